"""Which files a load or a check reads: files named on the command line, and every report-like
file under named folders, with the reason for each path it skips. Used by the CLI
(`python -m loaders check/load`) and by the warehouse loader, which imports it from here (the
CLI calls the warehouse, never the other way round).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from loaders.read import SUPPORTED, UNSUPPORTED_HINTS


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
