"""One load, start to end: find and hash the files (files.py), leave out those already loaded,
parse the rest (the local pool, pool.py, or a Dask cluster, cluster.py), stage their rows in a
copy of the warehouse through the single writer (write.py) and put the copy in place in one
atomic rename. Nothing is written, and nothing copied, when nothing changed.

The engines differ only in how parsed files reach the writer (a Feed): the local pool hands it
column chunks while the workers parse on; a cluster writes a Parquet dataset that the writer then
reads in bulk. Ids, revisions, retries and failures are the writer's, the same for both.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from warehouse.connect import _lock_path as lock_path
from warehouse.connect import staged_copy, writer_lock
from warehouse.load.files import (
    hash_files,
    known_files,
    loaded_hashes,
    read_hash_list,
    stat_key,
    write_hash_list,
    write_loaded_hashes,
)
from warehouse.load.pool import PARSE_SECONDS, Parser, parse_stream, read_and_parse
from warehouse.load.schema import SchemaDrift
from warehouse.load.summary import LoadSummary
from warehouse.load.write import Writer

if TYPE_CHECKING:
    import duckdb

Job = tuple[int, str]  # (place in the list of files found, path)


class Feed(Protocol):
    """How parsed files reach the writer."""

    workers: int

    def run(self, jobs: list[Job], writer: Writer, summary: LoadSummary, file_done: Callable[[], None]) -> None:
        """Parse every job and stage its outcome with `writer` (file ids in job order)."""

    def close(self, ok: bool, load_run_id: int | None) -> None:
        """After the load: stop what it started; `ok` once the new warehouse is in place."""


class LocalFeed:
    """The local pool: workers parse chunks of files while this process appends the previous
    chunks (one writer, insertion overlapping parsing)."""

    def __init__(self, workers: int, parser: Parser, parse_seconds: float, lock_file: str):
        self.workers, self.parser, self.parse_seconds, self.lock_file = workers, parser, parse_seconds, lock_file
        self.stream = None

    def run(self, jobs, writer, summary, file_done) -> None:
        self.stream = parse_stream(jobs, self.workers, self.parser, self.parse_seconds, lock_file=self.lock_file)
        for chunk in self.stream:
            writer.add_chunk(chunk, summary, file_done)
            if writer.wants_flush:
                writer.flush()

    def close(self, ok: bool, load_run_id: int | None) -> None:
        if self.stream is not None:
            self.stream.close()  # stops the pool


def load_paths(paths: list[str], db: str | os.PathLike, workers: int | None = None, quiet: bool = True,
               parser: Parser = read_and_parse, progress: Callable[[int, int], None] | None = None,
               parse_seconds: float = PARSE_SECONDS) -> LoadSummary:
    """Load files and folders into the warehouse at `db` with the local parse pool; see the
    module docstring.

    `progress(done, total)`, when given, is called as files are done (total = every file found,
    unchanged ones count as done at once), and a last time with done == total once the new
    warehouse is in place, so one bar can follow one atomic load. `parse_seconds` limits the
    parse of each file (pool.parse_file). A warehouse built under older sql/ definitions is
    brought up to date (schema and summary tables) even when no file changed."""
    db = Path(db)
    workers = max(1, workers or os.cpu_count() or 1)
    return run_load(paths, db, LocalFeed(workers, parser, parse_seconds, str(lock_path(db))), quiet, progress)


def run_load(paths: list[str], db: Path, feed: Feed, quiet: bool = True,
             progress: Callable[[int, int], None] | None = None) -> LoadSummary:
    """The load with parsed files coming from `feed` (see load_paths)."""
    from loaders.files import scan_report_files

    t0 = time.perf_counter()
    started = datetime.now()
    db = Path(db)
    found, skipped = scan_report_files([str(p) for p in paths])
    files = [str(f) for f in found]
    summary = LoadSummary(db=str(db), files_seen=len(files),
                          skipped=[{"path": path, "reason": reason} for path, reason in skipped])

    def report(done: int) -> None:
        if progress is not None:
            progress(done, len(files))

    def unchanged_done() -> LoadSummary:
        summary.seconds = time.perf_counter() - t0
        report(len(files))
        return summary

    with writer_lock(db, quiet=quiet):
        # Stat keys first, then the hashes: a file whose key is the one the last load hashed is
        # not read again (files.hash_files), so an unchanged reload reads no report file.
        keys = [stat_key(f) for f in files]
        cached = read_hash_list(db) if db.exists() else {}
        hashed = hash_files(files, cached, keys) if db.exists() else None

        def remember(shas: list[str | None]) -> None:
            if any(cached.get(f, (None, None)) != (k, sha) for f, k, sha in zip(files, keys, shas)):
                write_hash_list(db, zip(files, keys, shas))

        if hashed is not None:
            loaded = loaded_hashes(db)
            if loaded is not None and all(sha in loaded for sha, _, _ in hashed):
                summary.unchanged = len(files)
                remember([sha for sha, _, _ in hashed])
                report(len(files))
                return unchanged_done()
        known, stale = known_files(db)
        jobs: list[Job] = []
        if known:
            for i, (path, (sha, _size, _err)) in enumerate(zip(files, hashed)):
                if sha is not None and known.get(sha, ("",))[0] == "ok":
                    summary.unchanged += 1
                    continue
                jobs.append((i, path))  # a second copy is parsed too: a copy of a failed file fails
        else:
            jobs = list(enumerate(files))
        report(len(files) - len(jobs))
        if not jobs and not stale:
            if known:  # the list was missing or out of date: the next unchanged reload needs no DuckDB
                write_loaded_hashes(db, (sha for sha, (status, _) in known.items() if status == "ok"))
                remember([sha for sha, _, _ in hashed])
            return unchanged_done()
        from tqdm import tqdm

        holder: dict[str, Any] = {}
        done = len(files) - len(jobs)

        def open_staged() -> duckdb.DuckDBPyConnection:
            ctx = staged_copy(db)
            holder["ctx"], holder["staged"] = ctx, ctx.__enter__()
            return holder["staged"].con

        writer = Writer(known, open_staged)
        bar = tqdm(total=len(jobs), desc="解析并载入", unit="个文件", file=sys.stderr, disable=quiet or not jobs,
                   mininterval=0.5)

        def file_done() -> None:
            nonlocal done
            done += 1
            bar.update(1)
            report(done)

        loaded_ok: list[str] | None = None
        try:
            feed.run(jobs, writer, summary, file_done)
            bar.close()
            unreadable = any(e["sha256"] is None for e in summary.errors)  # logged in load_run
            if stale or unreadable:  # the warehouse is brought up to date even when no file changed
                writer.open()
            writer.commit_appends()
            if writer.has_changes or writer.schema_changed or unreadable:
                writer.finish(summary, started, paths, feed.workers)
                summary.wrote = True
                summary.load_run_id = writer.run_id
                loaded_ok = [r[0] for r in writer.con.execute(
                    "SELECT sha256 FROM source_file WHERE status = 'ok'").fetchall()]
            elif "staged" in holder:
                holder["staged"].discard()
        except BaseException:
            feed.close(False, None)  # stop the workers before the staged copy goes away
            if "ctx" in holder:
                holder["ctx"].__exit__(*sys.exc_info())
            raise
        if "ctx" in holder:
            holder["ctx"].__exit__(None, None, None)
        feed.close(True, summary.load_run_id)
        if loaded_ok is not None:
            write_loaded_hashes(db, loaded_ok)
        elif known and not stale:
            write_loaded_hashes(db, (sha for sha, (status, _) in known.items() if status == "ok"))
        if db.exists():
            remember([hashed[i][0] if hashed is not None else writer.file_shas.get(f) for i, f in enumerate(files)])
    summary.seconds = time.perf_counter() - t0
    report(len(files))
    return summary


def main(args: argparse.Namespace) -> int:
    """Entry point of `python -m loaders load`: exit 0 when every file loaded, 1 when some file
    failed or was not recognized, 2 when the load itself was interrupted (nothing changed).
    `args.engine` "dask" parses on a Dask cluster (`args.scheduler`, or a local one)."""
    try:
        if getattr(args, "engine", "local") == "dask":
            from warehouse.load.cluster import load_paths_dask

            summary = load_paths_dask(args.paths, args.db, scheduler=getattr(args, "scheduler", None),
                                      workers=args.workers, quiet=args.quiet, lake=getattr(args, "lake", None))
        else:
            summary = load_paths(args.paths, args.db, workers=args.workers, quiet=args.quiet)
    except SchemaDrift as e:
        print(str(e), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("载入已中断，数据仓库保持原状 (interrupted; the warehouse is unchanged)", file=sys.stderr)
        return 2
    except Exception as e:
        traceback.print_exc()
        print(f"载入失败，数据仓库保持原状 (load failed; the warehouse is unchanged): {type(e).__name__}: {e}",
              file=sys.stderr)
        return 2
    if not summary.files_seen:
        print("没有找到报告文件 (.txt/.docx/.xlsx/.pdf) (no report files found)", file=sys.stderr)
    print(summary.report())
    return 0 if summary.ok else 1
