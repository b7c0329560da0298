"""Connections to the warehouse file: read-only for readers, a staged copy for the one writer.

DuckDB lets one process write a file or many read it. So a load never writes the file readers
have open: it takes an exclusive lock (<db>.lock), copies the file to <db>.tmp-<pid>, writes the
copy, checkpoints it and renames it over the original in one atomic step. Readers that have the
old file open keep reading it; the next `read_only()` sees the new one, and `version()` tells a
long-lived reader (the dashboard) that it is time to reopen. A crash before the rename leaves
the previous file untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a connection is made: an unchanged reload never opens one
    import duckdb

DEFAULT_PATH = "data/warehouse.duckdb"
CATALOG = "warehouse"  # the name a read-only connection attaches the file under


def default_path() -> Path:
    """`WAREHOUSE_PATH` when set, else data/warehouse.duckdb (relative to the working directory)."""
    return Path(os.environ.get("WAREHOUSE_PATH") or DEFAULT_PATH)


def version(path: str | os.PathLike | None = None) -> tuple[int, int, int] | None:
    """A cheap fingerprint of the file (inode, mtime in ns, size); None when it does not exist.
    It changes whenever a load swaps a new file in, so a reader can compare and reopen."""
    try:
        st = os.stat(path or default_path())
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class WarehouseMissing(FileNotFoundError):
    pass


def read_only(path: str | os.PathLike | None = None, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current warehouse file.

    The file is attached to a fresh in-memory database rather than opened with
    duckdb.connect(path): DuckDB caches instances per path within a process, so a second
    connect() while an old connection is alive would return the old (pre-swap) file.
    """
    p = Path(path or default_path())
    if not p.exists():
        raise WarehouseMissing(
            f"数据仓库不存在: {p}。请先载入报告: python -m loaders load data/reports "
            f"(warehouse not found; load reports first)"
        )
    import duckdb

    con = duckdb.connect(":memory:", config=config or {})
    con.execute(f"ATTACH {_sql_str(str(p))} AS {CATALOG} (READ_ONLY)")
    con.execute(f"USE {CATALOG}")
    return con


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def temp_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.tmp-{os.getpid()}")


@contextlib.contextmanager
def writer_lock(path: str | os.PathLike, quiet: bool = False) -> Iterator[None]:
    """Exclusive lock for the one process that may write `path`; waits for another writer.

    While held, no other writer exists, so temp files left by a killed writer are removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(_lock_path(path), "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not quiet:
                print(f"另一个载入正在写入 {path}，等待其完成… (waiting for another load)", file=sys.stderr)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            for stale in path.parent.glob(path.name + ".tmp-*"):
                stale.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _clone(src: Path, dst: Path) -> None:
    """Copy a file, as a copy-on-write clone where the file system supports it (instant)."""
    ficlone = 0x40049409
    try:
        with open(src, "rb") as s, open(dst, "wb") as d:
            fcntl.ioctl(d.fileno(), ficlone, s.fileno())
        return
    except OSError:
        pass
    shutil.copyfile(src, dst)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class StagedCopy:
    """A read-write connection to a private copy of the warehouse; see `staged_copy`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, temp: Path):
        self.con = con
        self.path = path
        self.temp = temp
        self.discarded = False

    def discard(self) -> None:
        """Throw the copy away on exit instead of swapping it in."""
        self.discarded = True


@contextlib.contextmanager
def staged_copy(path: str | os.PathLike) -> Iterator[StagedCopy]:
    """Yield a read-write connection to a copy of `path` (or a new file); on success, swap it in.

    Call only while holding `writer_lock(path)`. On an exception, or after `discard()`, the copy
    is deleted and `path` is left exactly as it was.
    """
    path = Path(path)
    temp = temp_path(path)
    wal = Path(str(path) + ".wal")
    for f in (temp, Path(str(temp) + ".wal")):
        f.unlink(missing_ok=True)
    if path.exists():
        _clone(path, temp)
        if wal.exists():  # a file last written without a checkpoint: its WAL belongs to it
            _clone(wal, Path(str(temp) + ".wal"))
    import duckdb

    con = duckdb.connect(str(temp))
    con.execute("SET enable_progress_bar = false")  # the loader has its own bar
    staged = StagedCopy(con, path, temp)
    ok = False
    try:
        yield staged
        if not staged.discarded:
            con.execute("CHECKPOINT")
        ok = True
    finally:
        con.close()
        if ok and not staged.discarded:
            _fsync(temp)
            wal.unlink(missing_ok=True)  # its content is in the checkpointed copy already
            os.replace(temp, path)
            _fsync(path.parent)
        else:
            temp.unlink(missing_ok=True)
        Path(str(temp) + ".wal").unlink(missing_ok=True)
