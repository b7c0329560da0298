"""Find and hash: the report files under the given paths, the SHA-256 of each (threads: hashlib
and file reads release the GIL), and what the warehouse already holds.

A file whose SHA-256 is already loaded is unchanged and is not parsed again. The hashes of the
loaded files are also kept beside the warehouse (<db>.loaded, tied to the version of the
warehouse file it describes), so reloading an unchanged corpus compares hashes without opening,
or even importing, DuckDB; when that list is missing or belongs to another version of the file,
the warehouse itself is asked (known_files). Files that failed are retried.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from loaders.read import ReadError
from loaders.sandbox import os_error_message, read_report_file
from warehouse import registry
from warehouse.connect import version
from warehouse.load.schema import schema_is_current


def read_file(path: str) -> bytes:
    """A regular file's bytes (a FIFO or device is refused, never waited on); see
    loaders.sandbox.read_report_file."""
    return read_report_file(path)


def os_error(e: OSError) -> str:
    return os_error_message(e)


def hash_file(path: str) -> tuple[str | None, int | None, str | None]:
    """(sha256, size, error) of one file; never raises."""
    try:
        data = read_file(path)
    except ReadError as e:
        return None, None, str(e)
    except OSError as e:
        return None, None, os_error(e)
    return hashlib.sha256(data).hexdigest(), len(data), None



StatKey = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def stat_key(path: str) -> StatKey | None:
    """What tells an unchanged file from a changed one without reading it: size, modification
    and change times (ns), inode. Writing the file changes its ctime even when its mtime is set
    back, so a key that matches means the bytes hashed under it are still the file's."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def hash_files(files: list[str], known: dict[str, tuple[StatKey, str]] | None = None,
               keys: list[StatKey | None] | None = None) -> list[tuple[str | None, int | None, str | None]]:
    """hash_file of every file, in order; a file whose stat key (`keys`, taken before) matches
    the one `known` holds for its path (the hash list of the last load, hash_list_path) is not
    read: its known hash is used. One slice of the list per thread: a task per file costs more
    than reading and hashing a report of a few kilobytes."""
    known = known or {}
    keys = keys or [None] * len(files)

    def one(k: int) -> tuple[str | None, int | None, str | None]:
        seen = known.get(files[k])
        if seen is not None and keys[k] is not None and seen[0] == keys[k]:
            return seen[1], keys[k][0], None
        return hash_file(files[k])

    todo = [k for k in range(len(files)) if not (files[k] in known and keys[k] == known[files[k]][0])]
    threads = max(1, min(4, os.cpu_count() or 1, len(todo) // 256))
    if threads == 1:
        return [one(k) for k in range(len(files))]
    size = -(-len(files) // threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = pool.map(lambda ks: [one(k) for k in ks], [range(k, min(k + size, len(files)))
                                                            for k in range(0, len(files), size)])
        return [h for part in parts for h in part]


def hash_list_path(db: Path) -> Path:
    """<db>.hashes: path, stat key and SHA-256 of every file the last load found, so the next one
    hashes only files whose stat key changed (a content cache: it does not say what is loaded)."""
    return db.with_name(db.name + ".hashes")


def read_hash_list(db: Path) -> dict[str, tuple[StatKey, str]]:
    """path -> (stat key, sha256) from <db>.hashes; empty when missing or unreadable."""
    out: dict[str, tuple[StatKey, str]] = {}
    try:
        with open(hash_list_path(db), encoding="utf-8") as f:
            if json.loads(f.readline()).get("version") != 1:
                return {}
            for line in f:
                sha, size, mtime, ctime, ino, path = line.rstrip("\n").split("\t", 5)
                if len(sha) == 64:
                    out[path] = ((int(size), int(mtime), int(ctime), int(ino)), sha)
    except (OSError, ValueError, AttributeError):
        return {}
    return out


def write_hash_list(db: Path, entries: Iterable[tuple[str, StatKey | None, str | None]]) -> None:
    """Write <db>.hashes from (path, stat key taken before the file was read, sha256)."""
    path = hash_list_path(db)
    temp = path.with_name(path.name + ".tmp")
    try:
        with open(temp, "w", encoding="utf-8") as f:
            f.write(json.dumps({"version": 1}) + "\n")
            for name, key, sha in entries:
                if key is not None and sha is not None and "\n" not in name and "\t" not in name:
                    f.write(f"{sha}\t{key[0]}\t{key[1]}\t{key[2]}\t{key[3]}\t{name}\n")
        os.replace(temp, path)
    except (OSError, UnicodeError) as e:  # only a shortcut: without it the next load reads every file
        print(f"无法写入 {path} (could not write the list of file hashes): {e}", file=sys.stderr)
        temp.unlink(missing_ok=True)


def known_files(db: Path) -> tuple[dict[str, tuple[str, str | None]], bool]:
    """sha256 -> (status, error) of the files in the warehouse, and whether it exists and its last
    load applied other sql/ definitions than the current ones (one connection for both)."""
    if not db.exists():
        return {}, False
    import duckdb

    from warehouse.connect import read_only

    con = read_only(db)
    try:
        stale = not schema_is_current(con)
        try:
            rows = con.execute("SELECT sha256, status, error FROM source_file").fetchall()
        except duckdb.CatalogException:  # a file without tables yet
            rows = []
        return {sha: (status, error) for sha, status, error in rows}, stale
    finally:
        con.close()


def loaded_list_path(db: Path) -> Path:
    """<db>.loaded: the SHA-256 of every file the warehouse holds as loaded, for unchanged reloads."""
    return db.with_name(db.name + ".loaded")


def loaded_hashes(db: Path) -> set[str] | None:
    """The SHA-256 of every file loaded ok, from <db>.loaded when it describes the warehouse file
    as it is now (its version: inode, mtime, size) and was written under the current sql/
    definitions; else None (ask the warehouse). A damaged list can only miss hashes, which sends
    the load to the warehouse; it cannot make a file look loaded."""
    current = version(db)
    if current is None:
        return None
    try:
        with open(loaded_list_path(db), encoding="ascii") as f:
            head = json.loads(f.readline())
            if head.get("warehouse") != list(current) or head.get("schema_sha256") != registry.SCHEMA_SHA256:
                return None
            return set(f.read().split())
    except (OSError, ValueError, AttributeError):
        return None


def write_loaded_hashes(db: Path, hashes: Iterable[str]) -> None:
    """Write <db>.loaded for the warehouse file as it is now (call while holding the writer lock)."""
    path = loaded_list_path(db)
    temp = path.with_name(path.name + ".tmp")
    head = {"warehouse": list(version(db) or ()), "schema_sha256": registry.SCHEMA_SHA256}
    try:
        with open(temp, "w", encoding="ascii") as f:
            f.write(json.dumps(head) + "\n")
            f.write("".join(h + "\n" for h in sorted(hashes)))
        os.replace(temp, path)
    except OSError as e:  # only a shortcut: without it the next reload asks the warehouse
        print(f"无法写入 {path} (could not write the list of loaded files): {e}", file=sys.stderr)
        temp.unlink(missing_ok=True)
