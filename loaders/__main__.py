"""Command line: python -m loaders {parse,check,load} …

parse FILE      print the JSON record; exit 0 when an evaluation was found, 3 when the file was
                read but nothing was recognized (JSON and reason printed), 2 when it is unreadable
check PATH…     walk files and folders with a progress bar; one line per file
load PATH…      parse and load into the DuckDB warehouse (see warehouse/); --engine dask
                [--scheduler ADDRESS] parses on a Dask cluster through a Parquet lake
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from loaders.files import scan_report_files
from loaders.labels import document_kind_label
from loaders.records import to_json

EXIT_OK, EXIT_UNREADABLE, EXIT_UNRECOGNIZED = 0, 2, 3


def _safe_parse(path: Path, parser=None):
    """(result, error message); never raises for a bad file. The file is parsed in a child
    process with a wall-clock and a memory limit (loaders.sandbox; `parser`, a BoundedParser,
    reuses its child for many files)."""
    from loaders.sandbox import parse_bounded

    if parser is not None:
        return parser.parse(str(path))
    return parse_bounded(str(path))


def cmd_parse(args: argparse.Namespace) -> int:
    result, err = _safe_parse(Path(args.file))
    if err is not None:
        print(f"{args.file}: {err}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(to_json(result, indent=None if args.compact else 1))
    if not result.evaluations:
        print(f"{args.file}: {result.error}", file=sys.stderr)
        return EXIT_UNRECOGNIZED
    return EXIT_OK


def summary_line(path: Path, result, err: str | None) -> str:
    """One line per file: path, family, then per evaluation its unit, year, kind, score and counts;
    a document that is not an evaluation starts its part with its kind (决算公开页（非评价）)."""
    if err is not None:
        return f"{path}\tERROR\t{err}"
    if not result.evaluations:
        return f"{path}\tUNRECOGNIZED\t{result.error}"
    parts = []
    for ev in result.evaluations:
        score = "—" if ev.total_score is None else f"{ev.total_score}"
        grade = ev.grade or "—"
        kind = getattr(ev, "document_kind", "evaluation") or "evaluation"
        parts.append(
            ("" if kind == "evaluation" else f"{document_kind_label(kind)}\t")
            + f"{ev.unit.name or '?'}\t{ev.fiscal_year or '?'}\t{ev.report_kind or '?'}"
            f"{(':' + ev.project_name) if ev.project_name else ''}\t{score} {grade}\t"
            f"metrics={len(ev.metrics)} indicators={len(ev.indicators)} flags={len(ev.quality_flags)}"
        )
    return f"{path}\t{result.source.family}\t" + " | ".join(parts)


def cmd_check(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from loaders.sandbox import BoundedParser

    files, skipped = scan_report_files(args.paths)
    for path, reason in skipped:
        print(f"{path}\tSKIPPED\t{reason}")
    failed = other = 0
    bar = tqdm(files, desc="检查", unit="个文件", file=sys.stderr, disable=args.quiet or not files)
    with BoundedParser() as parser:
        for f in bar:
            result, err = _safe_parse(f, parser)
            if err is not None or not result.evaluations:
                failed += 1
            elif all((getattr(ev, "document_kind", None) or "evaluation") != "evaluation" for ev in result.evaluations):
                other += 1
            bar.write(summary_line(f, result, err), file=sys.stdout)
    print(f"共 {len(files)} 个文件，{len(files) - failed} 个识别成功（其中非评价文件 {other} 个），"
          f"{failed} 个失败或未识别" + (f"；跳过 {len(skipped)} 个路径" if skipped else ""), file=sys.stderr)
    return 1 if failed or skipped else 0


def cmd_load(args: argparse.Namespace) -> int:
    from warehouse.load import main as load_main

    return load_main(args)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m loaders", description="工会绩效评价报告解析与入库")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("parse", help="解析一个文件，输出 JSON 记录")
    p.add_argument("file")
    p.add_argument("--compact", action="store_true", help="单行 JSON")
    p.set_defaults(func=cmd_parse)
    c = sub.add_parser("check", help="检查文件或文件夹，每个文件一行摘要")
    c.add_argument("paths", nargs="+")
    c.add_argument("-q", "--quiet", action="store_true", help="不显示进度条")
    c.set_defaults(func=cmd_check)
    ld = sub.add_parser("load", help="解析并载入 DuckDB 数据仓库")
    ld.add_argument("paths", nargs="+")
    ld.add_argument("--db", default=os.environ.get("WAREHOUSE_PATH", "data/warehouse.duckdb"))
    ld.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="解析进程数（dask：本机集群的工作进程数）")
    ld.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="local：本机进程池；dask：在 Dask 集群上解析，记录写成 Parquet 数据集后入库")
    ld.add_argument("--scheduler", metavar="ADDRESS", default=None,
                    help="Dask 调度器地址（如 tcp://HOST:8786）；不给则在本机启动 LocalCluster")
    ld.add_argument("--lake", metavar="DIR", default=None,
                    help="Parquet 数据湖目录（--engine dask；默认在数据仓库旁：<db>.lake/）")
    ld.add_argument("-q", "--quiet", action="store_true")
    ld.set_defaults(func=cmd_load)
    args = ap.parse_args(argv)
    if args.cmd == "load" and (args.scheduler or args.lake) and args.engine != "dask":
        ap.error("--scheduler、--lake 需与 --engine dask 一起使用 (--scheduler and --lake need --engine dask)")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
