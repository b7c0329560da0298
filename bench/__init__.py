"""The national-scale benchmark (`make bench`, `python -m bench`): figures go to BENCHMARKS.md.

Each step is a plain function returning a dict of figures, so the test suite can run the small
(1k) corpus through the same code and check the benchmark's own correctness (row counts,
accuracy figures) without asserting any timing.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2017, 2024)  # 8 fiscal years, as in the national goal
REPORTS_PER_UNIT_YEAR = 6
SIZES = {"1k": 1_000, "10k": 10_000, "national": 137_000}
NATIONAL_UNITS = 2_850
PARSE_SAMPLE = 3_000  # files timed for parse throughput (every file at 1k)
ACCURACY_SAMPLE = 3_000  # files compared with their expected records
REPEATS = 5


def units_for(size: str) -> int:
    if size == "national":
        return NATIONAL_UNITS
    years = YEARS[1] - YEARS[0] + 1
    return max(1, round(SIZES[size] / (years * REPORTS_PER_UNIT_YEAR)))


def median_seconds(fn: Callable[[], Any], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


class PeakRss:
    """Peak resident memory of a process and its children, sampled every 50 ms."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        try:
            p = psutil.Process(self.pid)
            procs = [p, *p.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for q in procs:
            try:
                total += q.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(0.05)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(cmd: Sequence[str], env: dict | None = None, timeout: float | None = None) -> dict[str, Any]:
    """Run a command; its wall time, peak memory (with children), exit code and output tail."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRss(proc.pid) as mem:
        out, err = proc.communicate(timeout=timeout)
    return {"seconds": time.perf_counter() - t, "peak_rss_mb": mem.peak / 2**20, "returncode": proc.returncode,
            "stdout": out[-4000:], "stderr": err[-4000:]}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                    capture_output=True, text=True).stdout.strip())
    except OSError:
        commit, dirty = "?", False
    import duckdb

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "commit": commit + ("+uncommitted" if dirty else ""),
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }


# ------------------------------------------------------------------------------------------
# Steps


def make_corpus(size: str, workdir: Path, workers: int) -> dict[str, Any]:
    from loaders.demo import generate

    out = workdir / f"corpus-{size}"
    t = time.perf_counter()
    manifest, made = generate(out, units_for(size), YEARS, seed=7, formats=("txt",), workers=workers)
    return {"dir": str(out), "units": units_for(size), "files": manifest["files"],
            "evaluations": manifest["evaluations"], "generated": made, "seconds": time.perf_counter() - t}


def _parse_count(path: str) -> int:
    from loaders.parse import parse_path

    try:
        return len(parse_path(path).evaluations)
    except Exception:
        return 0


def parse_throughput(corpus_dir: str, workers: int, sample: int = PARSE_SAMPLE) -> dict[str, Any]:
    """Reports (evaluations) parsed per second on one core and on `workers` cores."""
    from loaders.files import iter_report_files

    files = [str(f) for f in iter_report_files([corpus_dir])]
    step = max(1, len(files) // sample)
    chosen = files[::step][:sample]
    # Warm up first (imports, compiled patterns, the region table): the figure is the parser's
    # speed, not its start-up; the pool's workers fork from this process and inherit it.
    if chosen:
        _parse_count(chosen[0])
    t = time.perf_counter()
    n1 = sum(_parse_count(f) for f in chosen)
    one = time.perf_counter() - t
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        nn = sum(pool.map(_parse_count, chosen, chunksize=max(1, len(chosen) // (workers * 8))))
    many = time.perf_counter() - t
    return {"files": len(chosen), "reports": n1, "one_core_per_s": n1 / one, "all_cores_per_s": nn / many,
            "workers": workers}


def _remove_warehouse(db: Path) -> None:
    import shutil

    for p in (db, db.with_suffix(db.suffix + ".lock"), db.with_name(db.name + ".loaded"),
              db.with_name(db.name + ".hashes"), db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)
    shutil.rmtree(db.with_suffix(".lake"), ignore_errors=True)


def _counts(db: Path) -> tuple[dict[str, int], int, int]:
    """Rows of the main tables (source_line: the lines the view splits out), every row the load
    wrote (all tables), and the files not loaded ok."""
    import duckdb

    from warehouse import registry

    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("source_file", "source_text", "evaluation", "indicator", "metric", "quality_flag",
                            "source_line")}
        written = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in registry.TABLES
                      if t not in registry.SUMMARIES)
        failed = con.execute("SELECT count(*) FROM source_file WHERE status <> 'ok'").fetchone()[0]
    finally:
        con.close()
    return counts, written, failed


def load(corpus_dir: str, db: Path, workers: int, engine: str = "local") -> dict[str, Any]:
    """End-to-end load into a fresh warehouse, then the reload of the unchanged corpus; `engine`
    dask: on a LocalCluster of `workers` processes, through the Parquet lake beside `db`."""
    _remove_warehouse(db)
    cmd = [sys.executable, "-m", "loaders", "load", corpus_dir, "--db", str(db), "--workers", str(workers), "-q",
           "--engine", engine]
    first = run_measured(cmd)
    again = run_measured(cmd)
    counts, written, failed = _counts(db)
    return {
        "engine": engine,
        "seconds": first["seconds"], "reload_seconds": again["seconds"], "peak_rss_mb": first["peak_rss_mb"],
        "returncode": first["returncode"], "reload_returncode": again["returncode"],
        "summary": first["stdout"].strip().splitlines()[-6:], "size_mb": db.stat().st_size / 2**20,
        "rows": counts, "rows_written": written, "files_not_ok": failed,
        "reports_per_s": counts["evaluation"] / first["seconds"] if first["seconds"] else None,
        "stderr": first["stderr"][-1000:] if first["returncode"] not in (0, 1) else "",
    }


def load_dask(corpus_dir: str, db: Path, workers: int, local_db: Path | None = None) -> dict[str, Any]:
    """The same load on a Dask LocalCluster (`--engine dask`); `identical`: whether it gives the
    warehouse the local load gave (`local_db`: every table and view, row count and checksum)."""
    res = load(corpus_dir, db, workers, engine="dask")
    if local_db is not None and local_db.exists():
        from warehouse.export import fingerprint

        mine, theirs = fingerprint(db), fingerprint(local_db)
        res["identical"] = mine == theirs
        res["differing"] = sorted(k for k in mine if mine[k] != theirs.get(k))
    lake = db.with_suffix(".lake")
    res["lake_mb"] = sum(p.stat().st_size for p in lake.rglob("*.parquet")) / 2**20 if lake.exists() else None
    return res


def load_without_parser(corpus_dir: str, workdir: Path, workers: int) -> dict[str, Any]:
    """The load with the parse taken out: every file is parsed once beforehand (kept in memory by
    path), then the same load runs with a parser that returns the kept result. What is left is
    what the loader itself costs: reading, hashing, flattening, moving rows to the writer,
    inserting and committing (the figure the parser's speed does not move)."""
    res = run_measured([sys.executable, "-m", "bench.write_only", corpus_dir, str(workdir / "warehouse-noparse.duckdb"),
                        str(workers)], timeout=3600)
    if res["returncode"] != 0:
        return {"error": res["stderr"][-2000:]}
    return json.loads(res["stdout"].strip().splitlines()[-1])


def accuracy(corpus_dir: str, workers: int, sample: int = ACCURACY_SAMPLE) -> dict[str, Any]:
    from loaders.demo_accuracy import OUTCOMES, expected_files, measure

    files = expected_files(corpus_dir)
    limit = None if len(files) <= sample else sample
    tally, errors = measure(corpus_dir, limit=limit, workers=workers, max_details=0)
    total = tally.totals()
    n = sum(total[o] for o in OUTCOMES)
    per_family = {fam: {o: c[o] for o in OUTCOMES} for fam, c in tally.counts.items()}
    return {"files": tally.files, "evaluations": tally.evaluations, "fields": n,
            **{f"{o}_pct": 100 * total[o] / n if n else None for o in OUTCOMES},
            "per_family": per_family, "parse_errors": len(errors)}


def _filter_pick(con) -> tuple[str, int]:
    province, year = con.execute(
        "SELECT province, fiscal_year FROM v_evaluation WHERE province IS NOT NULL "
        "GROUP BY ALL ORDER BY count(*) DESC, province, fiscal_year DESC LIMIT 1").fetchone()
    return province, year


def views(db: Path) -> dict[str, Any]:
    """Median of 5 full fetches of every view: unfiltered, and for one province and one year."""
    from warehouse import registry
    from warehouse.connect import read_only

    con = read_only(db)
    out: dict[str, Any] = {}
    try:
        province, year = _filter_pick(con)
        for obj in registry.OBJECTS:
            if obj.kind != "view":
                continue
            cols = {r[0] for r in con.execute(f"DESCRIBE {obj.name}").fetchall()}
            row: dict[str, Any] = {"all_ms": 1000 * median_seconds(lambda: con.sql(f"SELECT * FROM {obj.name}").to_arrow_table())}
            row["rows_all"] = con.execute(f"SELECT count(*) FROM {obj.name}").fetchall()[0][0]
            if {"province", "fiscal_year"} <= cols:
                sql = f"SELECT * FROM {obj.name} WHERE province = ? AND fiscal_year = ?"
                row["province_year_ms"] = 1000 * median_seconds(lambda: con.sql(sql, params=[province, year]).to_arrow_table())
            out[obj.name] = row
    finally:
        con.close()
    return {"filter": {"province": province, "year": year}, "views": out}


def pages(db: Path, workdir: Path) -> dict[str, Any]:
    """Every page run with AppTest in a separate process (its peak memory is the dashboard's),
    with no filter and with one province and one year; then every query the pages issued is
    timed on its own (median of 5)."""
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "page_queries.jsonl"
    log.unlink(missing_ok=True)
    res = run_measured([sys.executable, "-m", "bench.pages_worker", "--db", str(db)],
                       env={"BENCH_QUERY_LOG": str(log), "WAREHOUSE_PATH": str(db)}, timeout=3600)
    if res["returncode"] != 0:
        return {"error": res["stderr"][-2000:], "peak_rss_mb": res["peak_rss_mb"]}
    page_runs = json.loads(res["stdout"].strip().splitlines()[-1])
    from warehouse.connect import CATALOG, read_only

    con = read_only(db)
    queries: dict[str, list[float]] = {}
    slowest: list[tuple[float, str, str]] = []
    try:
        seen: set[tuple[str, str]] = set()
        for line in log.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            key = (q["sql"], json.dumps(q["params"], ensure_ascii=False, default=str))
            if key in seen:
                continue
            seen.add(key)
            cur = con.cursor()
            cur.execute(f"USE {CATALOG}")
            ms = 1000 * median_seconds(lambda: cur.execute(q["sql"], q["params"]).df())  # as the pages fetch
            cur.close()
            queries.setdefault(q.get("page") or "?", []).append(ms)
            slowest.append((ms, q.get("page") or "?", " ".join(q["sql"].split())[:160]))
    finally:
        con.close()
    slowest.sort(reverse=True)
    return {
        "peak_rss_mb": res["peak_rss_mb"],
        "page_runs": page_runs,
        "queries": {p: {"n": len(v), "median_ms": statistics.median(v), "max_ms": max(v)} for p, v in queries.items()},
        "slowest": slowest[:8],
    }


def extraction_score() -> dict[str, Any]:
    """`make score`: every gold corpus (seeds, realdev, demo) scored with loaders.score; the
    tables are rendered here so BENCHMARKS.md shows what `make score` prints."""
    from loaders import score

    t = time.perf_counter()
    scores = [score.score_corpus(name) for name in score.CORPORA]
    return {"summaries": [s.summary() for s in scores], "totals_md": score.totals_table(scores, markdown=True),
            "fields_md": score.fields_table(scores, markdown=True), "seconds": time.perf_counter() - t,
            "machine": machine()}


def pandas_baseline(db: Path, workdir: Path) -> dict[str, Any]:
    from bench.baseline import compare

    return compare(db, workdir / "parquet")
