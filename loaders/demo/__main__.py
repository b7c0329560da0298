"""python -m loaders.demo --units N --years A-B --seed S --out DIR [--formats txt,docx,xlsx] [--workers K]"""

from __future__ import annotations

import argparse
import os
import sys
import time

from loaders.demo import FORMATS, generate


def _years(text: str) -> tuple[int, int]:
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return int(parts[0]), int(parts[0])
        if len(parts) == 2:
            return int(parts[0]), int(parts[1])
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"年份范围应写成 2019-2024，而不是 {text!r}")


def _formats(text: str) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(f.strip().lstrip(".").lower() for f in text.split(",") if f.strip()))
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise argparse.ArgumentTypeError(f"格式只能是 {','.join(FORMATS)}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m loaders.demo", description="生成演示语料（系统生成的演示数据，不是真实报告）")
    ap.add_argument("--units", type=int, required=True, help="县级单位个数（每县的总工会及其他部门）")
    ap.add_argument("--years", type=_years, required=True, help="预算年度范围，如 2019-2024")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="输出文件夹")
    ap.add_argument("--formats", type=_formats, default=("txt",), help="逗号分隔：txt,docx,xlsx,pdf（默认 txt）")
    ap.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--force", action="store_true", help="即使已有相同参数生成的语料也重新生成")
    args = ap.parse_args(argv)
    if args.units < 1:
        ap.error("--units 至少为 1")
    start = time.perf_counter()
    try:
        manifest, made = generate(args.out, args.units, args.years, args.seed, args.formats, args.workers, args.force)
    except ValueError as e:
        print(f"loaders.demo: {e}", file=sys.stderr)
        return 2
    took = time.perf_counter() - start
    verb = "生成" if made else "已存在（参数相同，未重新生成）"
    print(
        f"演示语料{verb}: {args.out}  县级单位 {manifest['arguments']['units']} 个（填报单位 {len(manifest['unit_dirs'])} 个）, "
        f"文件 {manifest['files']} 个, 评价 {manifest['evaluations']} 条, 决算等非评价文件 {manifest.get('other_documents', 0)} 个, "
        f"含注入不一致的文件 {manifest['injected_files']} 个, 用时 {took:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
