"""The parse pool: files -> records -> plain rows, in worker processes.

Each file gets PARSE_SECONDS to parse (see parse_file): a file that hangs fails with the reason
解析超时 instead of stopping the load. The real parser always runs in the pool's workers, which
are the bounded children of loaders.sandbox (no process per file): each caps its address space
at start (a file that needs more fails with 解析所需内存超过上限), dies with the load
(PR_SET_PDEATHSIG) and drops the writer lock it inherited; a worker still on one file
HARD_GRACE_SECONDS past the limit is killed from here; a worker that dies fails only the file it
was on, with the reason, and the pool is replaced for the rest (parse_stream). Workers hand back
a Chunk per run of files: outcomes, and the child tables' rows as columns (decimals as exact
text), which the single writer (write.py) appends in bulk while the workers parse on.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from loaders.read import ReadError
from loaders.read.guard import time_limit
from loaders.records import ParseResult
from loaders.sandbox import (
    MEMORY_MB,
    crash_message,
    is_memory_error,
    limit_this_process,
    memory_message,
    mp_context,
    timeout_message,
)
from warehouse.load.files import hash_file, os_error, read_file
from warehouse.load.flatten import CHILD_TABLES, ROW_LISTS, ContractError, flatten

CHUNK_FILES = 32  # files per task sent to a worker process
PARSE_SECONDS = 60.0  # per file; a real report parses in well under a second
# A worker still on one file this long after its limit (stuck where the alarm cannot reach it,
# e.g. in C code) is killed from the main process, and the file fails with the time limit.
HARD_GRACE_SECONDS = 5.0
WATCH_SECONDS = 1.0  # how often the main process looks at the workers while it waits
MAX_BLIND_RESTARTS = 3  # pool breaks in a row that no file can be blamed for, before giving up

Parser = Callable[[bytes, str], "tuple[list[str], ParseResult]"]


def read_and_parse(data: bytes, path: str) -> tuple[list[str], ParseResult]:
    """The production parser: loaders.parse.parse_bytes, keeping the text lines for source_line."""
    from loaders.parse import parse_document
    from loaders.read import read_bytes

    doc = read_bytes(data, PurePath(path).name)
    return doc.lines, parse_document(doc, path)


@dataclass
class FileOutcome:
    index: int
    path: str
    sha256: str | None
    size_bytes: int | None
    status: str  # ok | unrecognized | failed
    error: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    lines: list[str] | None = None
    # the lines joined by "\n", in a Chunk, instead of `lines` when none holds a "\n" (one string
    # pickles at the cost of a copy, a list of 200 lines at 200 times the cost of a small object)
    text: str | None = None
    # flatten(): "head" and "unit" values and the row tuples of the child tables (ROW_LISTS);
    # in a Chunk the row tuples have moved to Chunk.rows and only "head" and "unit" are left
    evaluations: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Chunk:
    """What a worker hands back for a run of files: their outcomes, and the rows of the child
    tables of all their evaluations, columns (CHILD_TABLES' columns plus "ev", the place of the
    row's evaluation among the chunk's evaluations in file order). Plain lists, not Arrow: pyarrow
    imports pandas in each worker (seconds), and polars may deadlock in a child forked after the
    writer used it. Decimals travel as exact text (DuckDB casts them into their DECIMAL columns): a Decimal costs
    far more to pickle and to turn into a frame column than its text."""

    files: list[FileOutcome]
    rows: dict[str, dict[str, list]]


def _timed_out(seconds: float) -> str:
    return timeout_message(seconds)


def parse_file(index: int, path: str, parser: Parser = read_and_parse,
               seconds: float = PARSE_SECONDS) -> FileOutcome:
    """Read, hash, parse and flatten one file. Never raises: a failure is an outcome.

    The parser gets `seconds` of wall clock (loaders.read.guard.time_limit: enforced in the main
    thread of a process, i.e. in the CLI and in every pool worker; a no-op in other threads); a
    file that takes longer fails with the reason 解析超时 and the load goes on."""
    try:
        data = read_file(path)
    except ReadError as e:
        return FileOutcome(index, path, None, None, "failed", str(e))
    except OSError as e:
        return FileOutcome(index, path, None, None, "failed", os_error(e))
    sha = hashlib.sha256(data).hexdigest()
    out = FileOutcome(index, path, sha, len(data), "failed")
    started = time.monotonic()
    if _SLOT is not None:  # in a pool worker: tell the main process which file, since when
        _mark_slot(index, started)
    try:
        with time_limit(seconds):
            lines, result = parser(data, path)
    except Exception as e:
        if seconds > 0 and time.monotonic() - started >= seconds:
            out.error = _timed_out(seconds)  # our alarm, whatever the parser turned it into
        elif is_memory_error(e):
            out.error = memory_message(_MEMORY_MB)
        elif isinstance(e, ReadError):
            out.error = str(e)
        else:  # a bug in a family must not stop the batch; say what it was
            out.error = f"解析出错 ({type(e).__name__}: {e})"
        return out
    src = result.source
    out.source = {
        "format": src.format,
        "family": src.family,
        "encoding": src.encoding,
        "line_count": len(lines),
        "is_demo": bool(src.is_demo),
        "messages": [str(m) for m in result.messages] or None,
    }
    try:
        out.evaluations = [flatten(ev) for ev in result.evaluations]
    except ContractError as e:
        out.error = f"记录不符合约定 (record contract): {e}"
        return out
    except Exception as e:
        out.error = f"记录无法入库 ({type(e).__name__}: {e})"
        return out
    out.lines = list(lines)
    if out.evaluations:
        out.status = "ok"
    else:
        out.status = "unrecognized"
        out.error = result.error or "未识别出任何评价"
    return out


def parse_chunk(jobs: list[tuple[int, str]], parser: Parser, seconds: float = PARSE_SECONDS) -> Chunk:
    """Parse and flatten a run of files (parse_file, which never raises) and put the rows of all
    their evaluations' child tables into columns (see Chunk)."""
    files = []
    tuples: dict[str, list[tuple]] = {t: [] for t in CHILD_TABLES}
    places: dict[str, list[int]] = {t: [] for t in CHILD_TABLES}
    n = 0
    for i, p in jobs:
        out = parse_file(i, p, parser, seconds)
        for ev in out.evaluations:
            for table, key in ROW_LISTS.items():
                rows = ev.pop(key)
                if rows:
                    tuples[table].extend(rows)
                    places[table].extend([n] * len(rows))
            n += 1
        if out.lines:
            text = "\n".join(out.lines)
            if text.count("\n") == len(out.lines) - 1:
                out.text, out.lines = text, None
        files.append(out)
    if _SLOT is not None:
        _mark_slot(-1, 0.0)
    return Chunk(files, child_columns(tuples, places))


def child_columns(tuples: dict[str, list[tuple]], places: dict[str, list[int]]) -> dict[str, dict[str, list]]:
    """The child tables' row tuples as columns, each row with "ev", its evaluation's place."""
    return {t: {"ev": places[t], **_columns(CHILD_TABLES[t], tuples[t])} for t in CHILD_TABLES}


def _columns(names: tuple[str, ...], rows: list[tuple]) -> dict[str, list]:
    """Row tuples as columns; a column of Decimals as their text (exact: they are quantized to
    the column's scale already)."""
    if not rows:
        return {name: [] for name in names}
    out = {}
    for name, values in zip(names, zip(*rows)):
        first = next((v for v in values if v is not None), None)
        out[name] = [None if v is None else str(v) for v in values] if isinstance(first, Decimal) else list(values)
    return out


_SLOT: tuple[Any, int] | None = None
_MEMORY_MB = MEMORY_MB


def _mark_slot(index: int, started: float) -> None:
    table, k = _SLOT
    table[3 * k + 1], table[3 * k + 2] = index, started


def _worker_init(table=None, claim=None, memory_mb: int = MEMORY_MB, parent: int | None = None,
                 lock_file: str | None = None) -> None:
    """Start of a pool worker: it dies with the load (PR_SET_PDEATHSIG), drops the writer lock
    it inherited (a worker outliving a killed load must not keep the next load waiting), caps its
    memory, and takes a row in the table the main process watches."""
    global _SLOT, _MEMORY_MB
    limit_this_process(memory_mb, parent)
    if lock_file:
        _close_inherited(lock_file)
    _MEMORY_MB = memory_mb
    if table is not None:
        with claim:
            k = next(i for i in range(len(table) // 3) if table[3 * i] == 0)
            table[3 * k], table[3 * k + 1] = os.getpid(), -1
        _SLOT = (table, k)
    # The parser makes many short-lived objects per file; the heap a worker inherits (modules,
    # tables) lives as long as it does. Frozen, collections never walk it (nor write to its
    # pages, which fork shares); a larger first generation runs them less often. Measured: 6-8%
    # less parse time than the default settings. Cycles are still collected.
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _close_inherited(lock_file: str) -> None:
    """Close this process's descriptors of the lock file (a flock belongs to the open file, which
    a forked child shares; the lock is released once the last descriptor closes)."""
    try:
        target = os.path.realpath(lock_file)
        for fd in os.listdir("/proc/self/fd"):
            try:
                if os.readlink(f"/proc/self/fd/{fd}") == target:
                    os.close(int(fd))
            except OSError:
                continue
    except OSError:
        pass


class _Pool:
    """A process pool whose workers can be watched and replaced: which file each is on and since
    when (see _worker_init), and how each one that died ended."""

    def __init__(self, workers: int, lock_file: str | None, memory_mb: int):
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp_context()
        self.table = ctx.RawArray("d", 3 * workers)
        parent = os.getpid() if ctx.get_start_method() == "fork" else None
        self.ex = ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_worker_init,
            initargs=(self.table, ctx.Lock(), memory_mb, parent, lock_file))
        self.killed: dict[int, float] = {}  # pid -> the time limit it was killed for
        self.processes: dict[int, Any] = {}

    def submit(self, jobs: list[tuple[int, str]], parser: Parser, seconds: float):
        future = self.ex.submit(parse_chunk, jobs, parser, seconds)
        self.processes.update(getattr(self.ex, "_processes", None) or {})
        return future

    def rows(self) -> list[tuple[int, int, float]]:
        t = self.table
        return [(int(t[3 * k]), int(t[3 * k + 1]), t[3 * k + 2]) for k in range(len(t) // 3) if t[3 * k]]

    def watch(self, seconds: float) -> None:
        """Kill a worker that is still on one file HARD_GRACE_SECONDS past the time limit."""
        if seconds <= 0:
            return
        now = time.monotonic()
        for pid, index, started in self.rows():
            if index >= 0 and now - started > seconds + HARD_GRACE_SECONDS and pid not in self.killed:
                self.killed[pid] = seconds
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass

    def blame(self) -> dict[int, str]:
        """After the pool broke: file index -> reason, for each file a worker was on when it died.
        The executor terminates the surviving workers (SIGTERM) once one dies; those are not to
        blame. When no worker can be told apart, every file in progress is."""
        processes = {**self.processes, **(getattr(self.ex, "_processes", None) or {})}
        for p in processes.values():
            p.join(5)
        exits = {pid: p.exitcode for pid, p in processes.items()}
        in_progress = [(pid, index) for pid, index, _ in self.rows() if index >= 0]
        culprits = {pid for pid, code in exits.items() if code not in (0, -15, None)} | set(self.killed)
        out: dict[int, str] = {}
        for pid, index in in_progress:
            if pid in culprits or not culprits:
                out[index] = (timeout_message(self.killed[pid]) if pid in self.killed
                              else crash_message(exits.get(pid)))
        return out

    def shutdown(self) -> None:
        self.ex.shutdown(wait=True, cancel_futures=True)


def _failed_chunk(jobs: list[tuple[int, str]], reason: str) -> Chunk:
    """The files failed with `reason`, hashed here so they are recorded (and retried next load)."""
    outcomes = []
    for i, p in jobs:
        sha, size, err = hash_file(p)
        outcomes.append(FileOutcome(i, p, sha, size, "failed", reason if sha is not None else err or reason))
    return Chunk(outcomes, child_columns({t: [] for t in CHILD_TABLES}, {t: [] for t in CHILD_TABLES}))


def parse_stream(jobs: list[tuple[int, str]], workers: int, parser: Parser,
                  seconds: float = PARSE_SECONDS, lock_file: str | None = None,
                  memory_mb: int = MEMORY_MB) -> Iterator[Chunk]:
    """Chunks in input order.

    The production parser always runs in worker processes (also with one worker): their memory
    is capped, a file stuck past its time limit gets its worker killed, and a worker that dies
    (killed, out of memory, a crash in C code) fails only the file it was on, with the reason;
    the pool is replaced and every other file is parsed again. Another parser (tests) runs in
    this process when one worker or one chunk is enough."""
    if parser is not read_and_parse and (workers <= 1 or len(jobs) <= CHUNK_FILES):
        for job in jobs:
            yield parse_chunk([job], parser, seconds)
        return
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    if parser is read_and_parse:
        import loaders.parse  # noqa: F401 - imported once here rather than once in every worker
    workers = max(1, min(workers, len(jobs)))
    chunk = max(1, min(CHUNK_FILES, len(jobs) // (workers * 4) or 1))
    todo = deque(jobs[k:k + chunk] for k in range(0, len(jobs), chunk))
    pool = _Pool(workers, lock_file, memory_mb)
    # in input order: [jobs, future] while parsing, [jobs, Chunk] once known
    window: deque[list] = deque()
    blind = 0
    try:
        while window or todo:
            broken = False
            while todo and len(window) < workers * 4:
                c = todo.popleft()
                try:
                    window.append([c, pool.submit(c, parser, seconds)])
                except BrokenProcessPool:  # a worker died since the last look
                    window.append([c, None])
                    broken = True
                    break
            head = window[0]
            if isinstance(head[1], Chunk):
                window.popleft()
                yield head[1]
                continue
            try:
                if broken:
                    raise BrokenProcessPool
                result = head[1].result(timeout=WATCH_SECONDS)
            except FutureTimeout:
                pool.watch(seconds)
                continue
            except BrokenProcessPool:
                blamed = pool.blame()
                pool.shutdown()
                blind = 0 if blamed else blind + 1
                pending, window = window, deque()
                for c, fut in pending:
                    if isinstance(fut, Chunk) or fut is None:  # known, or never sent
                        window.append([c, fut])
                    elif fut.done() and not fut.cancelled() and fut.exception() is None:
                        window.append([c, fut.result()])
                    elif blind > MAX_BLIND_RESTARTS:
                        window.append([c, _failed_chunk(c, crash_message(None))])
                    else:  # parsed again in the new pool, but the file a dead worker was on
                        run: list[tuple[int, str]] = []
                        for job in c:
                            if job[0] in blamed:
                                if run:
                                    window.append([run, None])
                                    run = []
                                window.append([[job], _failed_chunk([job], blamed[job[0]])])
                            else:
                                run.append(job)
                        if run:
                            window.append([run, None])
                if blind > MAX_BLIND_RESTARTS:  # workers keep dying with no file to blame: stop
                    window.extend([c, _failed_chunk(c, crash_message(None))] for c in todo)
                    todo = deque()
                pool = _Pool(workers, lock_file, memory_mb)
                for item in window:
                    if item[1] is None:
                        item[1] = pool.submit(item[0], parser, seconds)
                continue
            window.popleft()
            yield result
    finally:
        pool.shutdown()
