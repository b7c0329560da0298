"""python -m bench.write_only CORPUS DB WORKERS: the load with the parse taken out.

Every file is parsed first (a process pool, results kept in memory by path); then the timed load
(warehouse.load.load_paths, the same pool, writer and commit) uses a parser that hands back the
kept result, so the figure is what the loader costs besides the parser. Prints one JSON line:
seconds, reports/s, and the CPU seconds of this process (the writer) and of its workers.
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

KEPT: dict = {}


def _parse(path: str):
    from warehouse.load import read_and_parse

    return path, read_and_parse(Path(path).read_bytes(), path)


def kept(data: bytes, path: str):
    return KEPT[path]


def main(corpus: str, db: str, workers: int) -> dict:
    from loaders.files import iter_report_files
    from warehouse.load import load_paths

    files = [str(f) for f in iter_report_files([corpus])]
    with ProcessPoolExecutor(workers) as pool:
        KEPT.update(pool.map(_parse, files, chunksize=max(1, len(files) // (workers * 8))))
    for p in Path(db).parent.glob(Path(db).name + "*"):
        p.unlink()
    before, t = os.times(), time.perf_counter()
    summary = load_paths([corpus], db, workers=workers, parser=kept)
    seconds, after = time.perf_counter() - t, os.times()
    return {
        "seconds": seconds, "evaluations": summary.evaluations, "reports_per_s": summary.evaluations / seconds,
        "writer_cpu_s": after.user - before.user + after.system - before.system,
        "workers_cpu_s": (after.children_user - before.children_user
                          + after.children_system - before.children_system),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
