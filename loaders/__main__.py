"""Command line: python -m loaders {parse,check,load} …

parse FILE      print the JSON record; exit 0 when an evaluation was found, 3 when the file was
                read but nothing was recognized (JSON and reason printed), 2 when it is unreadable
check PATH…     walk files and folders with a progress bar; one line per file
load PATH…      parse and load into the DuckDB warehouse (see warehouse/)
"""

from __future__ import annotations

import argparse
import errno
import os
import stat
import sys
from pathlib import Path

from loaders.read import SUPPORTED, UNSUPPORTED_HINTS
from loaders.records import to_json

EXIT_OK, EXIT_UNREADABLE, EXIT_UNRECOGNIZED = 0, 2, 3


def iter_report_files(paths: list[str]) -> list[Path]:
    """Files named on the command line, and every report-like file under named folders (in the
    order of sorted(folder.rglob("*")): by path components; links to folders are not followed).
    What scan_report_files skips is left out; see there."""
    return scan_report_files(paths)[0]


def scan_report_files(paths: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """(the files to read, [(path, reason)] of what was skipped). Under a named folder, a report
    file (by its extension) is skipped, with its reason, when it is not a regular file (a FIFO
    would block its reader for ever, a device never ends), when it is a symbolic link that loops,
    dangles or points out of the named folder (a link to /etc/passwd must not be read into the
    warehouse), and a subfolder that cannot be listed is named too. Links to folders are not
    followed. A path named on the command line is read as named, if it is a regular file."""
    wanted = set(SUPPORTED) | set(UNSUPPORTED_HINTS)
    out: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found: list[tuple[tuple[str, ...], str]] = []
            passed: list[tuple[str, str]] = []
            _scan(str(path), (), wanted, found, passed, os.path.realpath(path))
            found.sort()
            skipped += sorted(passed)
            out += [path.joinpath(*parts) for parts, _ in found]
        else:
            try:
                mode = os.stat(path).st_mode
            except OSError:
                mode = None  # missing or unreadable: the reader says which
            if mode is not None and not stat.S_ISREG(mode):
                from loaders.sandbox import not_regular_reason

                skipped.append((str(path), not_regular_reason(mode)))
                continue
            out.append(path)
    return out, skipped


def _scan(folder: str, parts: tuple[str, ...], wanted: set[str], found: list[tuple[tuple[str, ...], str]],
          skipped: list[tuple[str, str]], root: str) -> None:
    # os.scandir rather than Path.rglob: a reload of an unchanged corpus spends most of its time
    # listing it, and rglob (a Path per entry, sorted by Path comparison) is several times slower.
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except FileNotFoundError:
        return
    except OSError as e:
        reason = "没有权限" if isinstance(e, PermissionError) else f"{type(e).__name__}: {e.strerror or e}"
        skipped.append((folder, f"无法读取文件夹 ({reason})，其中的文件未载入 (unreadable folder)"))
        return
    for entry in entries:
        name = entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                _scan(entry.path, parts + (name,), wanted, found, skipped, root)
                continue
            dot = name.rfind(".")
            suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""  # as Path.suffix has it
            if suffix not in wanted or name.endswith(".expected.json"):
                continue
            if entry.is_file(follow_symlinks=False):
                found.append((parts + (name,), entry.path))
                continue
            reason = _not_a_report_file(entry, root)
        except OSError as e:
            reason = f"无法读取 ({type(e).__name__}: {e.strerror or e})"
        if reason is None:
            found.append((parts + (name,), entry.path))
        elif reason:
            skipped.append((entry.path, reason))


def _not_a_report_file(entry: os.DirEntry, root: str) -> str | None:
    """Why an entry with a report's extension that is not a plain regular file is skipped; None
    for a symbolic link to a regular file inside the loaded folder (read like the file), "" for
    a link to a folder inside it (not followed, nothing to say)."""
    from loaders.sandbox import not_regular_reason

    if not entry.is_symlink():
        return not_regular_reason(entry.stat(follow_symlinks=False).st_mode)
    try:
        target = os.path.realpath(entry.path, strict=True)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "符号链接循环 (symlink loop)，已跳过"
        return f"符号链接指向不存在的文件 ({os.readlink(entry.path)})，已跳过 (dangling symlink)"
    if os.path.commonpath([root, target]) != root:
        return f"符号链接指向所载入的文件夹之外 (→ {target})，已跳过 (symlink out of the folder)"
    mode = os.stat(target).st_mode
    if stat.S_ISDIR(mode):
        return ""  # a link to a folder inside: not followed, and nothing to say
    if not stat.S_ISREG(mode):
        return not_regular_reason(mode)
    return None


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


def document_kind_names() -> dict[str, str]:
    """The Chinese name of every document kind (loaders/lexicon/documents.toml, table kind_names)."""
    from loaders import lexicon

    return lexicon.load("documents")["kind_names"]


def document_kind_label(kind: str | None) -> str:
    """How the load report names a document kind: 绩效评价, or e.g. 决算公开页（非评价）."""
    kind = kind or "evaluation"
    name = document_kind_names().get(kind, kind)
    return name if kind == "evaluation" else f"{name}（非评价）"


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
    ld.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ld.add_argument("-q", "--quiet", action="store_true")
    ld.set_defaults(func=cmd_load)
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
