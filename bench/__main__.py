"""python -m bench [--sizes 1k,10k] [--workdir data/bench] [--out BENCHMARKS.md] [--note TEXT]

Runs the whole pipeline at each corpus size and writes BENCHMARKS.md (date, machine, commit,
every figure, and each goal of DESIGN.md met or not). The corpora and warehouses stay in the
work folder (git ignores it), so a second run reuses the generated corpus. The national size
(`--sizes national`, about an hour here) is not in the default run: its last figures are kept in
bench/national.json and shown with their date and commit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import bench
from bench import ROOT

GOALS = {
    "load_per_s": 1000.0,  # reports loaded per second on this machine (all cores)
    "reload_share": 0.05,  # unchanged reload time / load time
    "query_ms": 200.0,  # every page query at national scale
    "page_s": 1.5,  # a page run
    "dashboard_mb": 1024.0,  # dashboard process memory
}


def run_size(size: str, workdir: Path, workers: int, steps: set[str]) -> dict[str, Any]:
    res: dict[str, Any] = {"size": size}

    def step(name: str, fn, *args) -> None:
        if name not in steps:
            return
        print(f"[{size}] {name} …", file=sys.stderr, flush=True)
        t = time.perf_counter()
        try:
            res[name] = fn(*args)
        except Exception as e:  # a failed step is reported in the results, the others still run
            res[name] = {"error": f"{type(e).__name__}: {e}"}
        print(f"[{size}] {name} done in {time.perf_counter() - t:.1f}s", file=sys.stderr, flush=True)

    step("corpus", bench.make_corpus, size, workdir, workers)
    corpus = res["corpus"]["dir"]
    db = workdir / f"warehouse-{size}.duckdb"
    step("parse", bench.parse_throughput, corpus, workers)
    step("load", bench.load, corpus, db, workers)
    step("dask", bench.load_dask, corpus, workdir / f"warehouse-{size}-dask.duckdb", workers, db)
    if size != "national":  # keeps every parsed file in memory
        step("noparse", bench.load_without_parser, corpus, workdir / size, workers)
    step("accuracy", bench.accuracy, corpus, workers)
    step("views", bench.views, db)
    step("pages", bench.pages, db, workdir / size)
    step("baseline", bench.pandas_baseline, db, workdir / size)
    return res


def _f(x: Any, digits: int = 1) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _ok(good: bool | None) -> str:
    return "—" if good is None else ("✅" if good else "❌")


SCORE_HEADING = "## Extraction accuracy (make score)"


def score_section(sc: dict[str, Any]) -> list[str]:
    """The `make score` section: gold corpora scored with the review scorer's rules."""
    if "error" in sc:
        return [SCORE_HEADING, "", f"The scorer failed: `{sc['error'][-300:]}`"]
    m = sc["machine"]
    return [
        SCORE_HEADING, "",
        f"Run `make score` (`python -m loaders.score`). Last run: **{m['date']}**, commit `{m['commit']}`, "
        f"{m['cpu']}, {m['cores']} cores ({sc['seconds']:.1f} s for all three corpora).",
        "",
        "Gold answers: seeds = the four real reports in `data/reports/` (`tests/corpus/seeds/gold.jsonl`); "
        "realdev = 54 replicas of real public pages (`tests/corpus/realdev/`); demo = the generated corpus "
        "(30 counties, 2022–2023, seed 1), its expected answers as gold lines. Same rules as the review scorer "
        "(`shared/tools/score_records.py`): precision = correct / (correct + wrong), recall = correct / "
        "(correct + wrong + missing); extra = stated where the gold has nothing (not counted). "
        "`make test` holds floors on seeds and realdev (`tests/test_score_floors.py`).",
        "",
        sc["totals_md"],
        "",
        "<details><summary>per field (correct/wrong/missing/extra, precision, recall)</summary>",
        "",
        sc["fields_md"],
        "",
        "</details>",
    ]


def splice_score_section(markdown: str, sc: dict[str, Any]) -> str:
    """Replace (or add, before the first section after Pipeline) the `make score` section of an
    existing BENCHMARKS.md, leaving every other section as it is."""
    lines = markdown.splitlines()
    new = score_section(sc)
    if SCORE_HEADING in lines:
        start = lines.index(SCORE_HEADING)
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        lines[start:end] = new + [""]
    else:
        at = next((i for i, ln in enumerate(lines) if ln.startswith("## ") and not ln.startswith("## Pipeline")),
                  len(lines))
        lines[at:at] = new + [""]
    return "\n".join(lines) + "\n"


NATIONAL = Path(__file__).with_name("national.json")


def kept_national() -> dict[str, Any] | None:
    """The last national run's figures (bench/national.json), for a run that did not redo it."""
    try:
        return json.loads(NATIONAL.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def keep_national(r: dict[str, Any], machine: dict[str, Any]) -> None:
    """Keep this national run's figures for the runs that will not redo it."""
    keep = {"about": kept_national().get("about") if kept_national() else "The last national run's figures.",
            "size": "national", "date": machine["date"], "commit": machine["commit"], "note": "",
            "corpus": {k: r.get("corpus", {}).get(k) for k in ("units", "files", "evaluations")},
            "parse": {k: r.get("parse", {}).get(k) for k in ("one_core_per_s", "all_cores_per_s")},
            "load": {k: r.get("load", {}).get(k) for k in ("seconds", "reports_per_s", "reload_seconds", "size_mb",
                                                            "peak_rss_mb", "rows", "rows_written")},
            "dask": {k: r.get("dask", {}).get(k) for k in ("seconds", "reports_per_s", "peak_rss_mb", "identical")}}
    NATIONAL.write_text(json.dumps(keep, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _label(r: dict[str, Any]) -> str:
    if r.get("kept"):
        note = f", {r['note']}" if r.get("note") else ""
        return f"{r['size']} (run {r['date'][:10]}, commit {r['commit']}{note})"
    return r["size"]


def render(results: list[dict[str, Any]], machine: dict[str, Any], score: dict[str, Any] | None = None,
           note: str = "") -> str:
    rows = list(results)
    if not any(r["size"] == "national" for r in rows) and (kept := kept_national()):
        rows.append({**kept, "kept": True})
    out = [
        "# Benchmarks",
        "",
        f"Run `make bench` (`python -m bench`, sizes 1k and 10k). Last run: **{machine['date']}**, "
        f"commit `{machine['commit']}`.",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB RAM; "
        f"Python {machine['python']}, DuckDB {machine['duckdb']}." + (f" {note}" if note else ""),
        "",
        "Corpora are generated by `python -m loaders.demo` (seed 7, fiscal years "
        f"{bench.YEARS[0]}–{bench.YEARS[1]}, ~{bench.REPORTS_PER_UNIT_YEAR} reports per unit and year; "
        "national = 2,850 county-level units; `python -m bench --sizes national`, about an hour here, is "
        "not part of `make bench`: its row is the last national run, with its date). Timings are medians "
        "of 5 where repeated. Nothing here is asserted by the test suite; the suite checks the benchmark's "
        "own row counts and accuracy figures on the 1k corpus.",
        "",
        "## Pipeline",
        "",
        "| corpus | units | files | reports | parse 1 core (reports/s) | parse all cores (reports/s) | load (s) | load (reports/s) | reload unchanged (s) | reload / load | rows written | warehouse (MB) | loader peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        c, p, ld = r.get("corpus", {}), r.get("parse", {}), r.get("load", {})
        share = ld["reload_seconds"] / ld["seconds"] if ld.get("seconds") and ld.get("reload_seconds") else None
        out.append(
            f"| {_label(r)} | {_f(c.get('units'))} | {_f(c.get('files'))} | {_f(c.get('evaluations'))} | "
            f"{_f(p.get('one_core_per_s'))} | {_f(p.get('all_cores_per_s'))} | {_f(ld.get('seconds'))} | "
            f"{_f(ld.get('reports_per_s'))} {_ok(ld.get('reports_per_s', 0) >= GOALS['load_per_s'] if ld.get('reports_per_s') else None)} | "
            f"{_f(ld.get('reload_seconds'), 2)} | {_f(100 * share if share is not None else None)}% "
            f"{_ok(share <= GOALS['reload_share'] if share is not None else None)} | {_f(ld.get('rows_written'))} | "
            f"{_f(ld.get('size_mb'))} | {_f(ld.get('peak_rss_mb'))} |"
        )
    out += ["", "Rows loaded (source_line: the lines the view splits out of source_text, one row per file):", ""]
    for r in rows:
        ld = r.get("load", {})
        if "rows" in ld and not r.get("kept"):
            out.append(f"- {r['size']}: " + ", ".join(f"{k} {_f(v)}" for k, v in ld["rows"].items())
                       + f"; files not loaded ok: {_f(ld.get('files_not_ok'))}")
    out += ["", "### Dask engine beside the local load",
            "",
            "`python -m loaders load DIR --engine dask` on a `LocalCluster` of as many single-threaded worker "
            "processes as cores (started by the load, so its start-up is in the time): the same parse mapped "
            "over the files, the records written as a Parquet dataset, the warehouse built from it, the run's "
            "rows added to the lake. Identical = every table and view has the same row count and checksum as "
            "after the local load. Peak RSS counts the load and its cluster's processes.",
            "",
            "| corpus | local load (s) | local (reports/s) | dask load (s) | dask (reports/s) | dask reload (s) | dask peak RSS (MB) | lake (MB) | identical |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ld, dk = r.get("load", {}), r.get("dask") or {}
        if not dk:
            continue
        if "error" in dk:
            out.append(f"| {_label(r)} | failed: `{dk['error'][-200:]}` |||||||")
            continue
        out.append(f"| {_label(r)} | {_f(ld.get('seconds'))} | {_f(ld.get('reports_per_s'))} | {_f(dk.get('seconds'))} | "
                   f"{_f(dk.get('reports_per_s'))} | {_f(dk.get('reload_seconds'), 2)} | {_f(dk.get('peak_rss_mb'))} | "
                   f"{_f(dk.get('lake_mb'))} | {_ok(dk.get('identical'))} |")
    if any(r.get("noparse") for r in rows):
        out += ["", "### The load without the parser",
                "",
                "The same load with every file parsed beforehand (`python -m bench.write_only`): what the loader "
                "costs besides the parser (read, hash, flatten, rows to the writer, insert, commit). CPU seconds "
                "of the writer process and of the parse workers.",
                "",
                "| corpus | load without parse (s) | reports/s | writer CPU (s) | workers CPU (s) |",
                "|---|---|---|---|---|"]
        for r in rows:
            n = r.get("noparse") or {}
            if n and "error" not in n:
                out.append(f"| {_label(r)} | {_f(n.get('seconds'))} | {_f(n.get('reports_per_s'))} | "
                           f"{_f(n.get('writer_cpu_s'))} | {_f(n.get('workers_cpu_s'))} |")
    if score is not None:
        out += ["", *score_section(score)]
    out += ["", "## Extraction accuracy (parsed record vs the generator's expected record, field by field)", "",
            "| corpus | files compared | fields | right % | wrong % | missing % |", "|---|---|---|---|---|---|"]
    for r in results:
        a = r.get("accuracy", {})
        out.append(f"| {r['size']} | {_f(a.get('files'))} | {_f(a.get('fields'))} | {_f(a.get('right_pct'), 2)} | "
                   f"{_f(a.get('wrong_pct'), 2)} | {_f(a.get('missing_pct'), 2)} |")
    for r in results:
        a = r.get("accuracy", {})
        if a.get("per_family"):
            out += ["", f"<details><summary>{r['size']}: per field family</summary>", "",
                    "| field family | right | wrong | missing |", "|---|---|---|---|"]
            for fam, c in a["per_family"].items():
                out.append(f"| {fam} | {_f(c['right'])} | {_f(c['wrong'])} | {_f(c['missing'])} |")
            out += ["", "</details>"]
    out += ["", "## Views (median of 5 full fetches, ms)", ""]
    sizes = [r["size"] for r in results if "views" in r and "views" in r["views"]]
    if sizes:
        head = "| view | " + " | ".join(f"{s}: all | {s}: 1 province, 1 year" for s in sizes) + " |"
        out += [head, "|---|" + "---|---|" * len(sizes)]
        names = list(next(r for r in results if r["size"] == sizes[0])["views"]["views"])
        for name in names:
            cells = []
            for r in results:
                if r["size"] not in sizes:
                    continue
                v = r["views"]["views"].get(name, {})
                cells += [_f(v.get("all_ms")), _f(v.get("province_year_ms"))]
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    out += ["", "## Dashboard pages", "",
            "Each page run headless with AppTest in its own process (a new session, empty caches), with no "
            "filter and with one province and one year; then every query the pages issued timed alone.", ""]
    for r in results:
        pg = r.get("pages")
        if not pg:
            continue
        if "error" in pg:
            out += [f"- {r['size']}: pages step failed: `{pg['error'][-300:]}`"]
            continue
        national = r["size"] == "national"
        out += [f"### {r['size']} (dashboard peak RSS {_f(pg['peak_rss_mb'])} MB "
                f"{_ok(pg['peak_rss_mb'] <= GOALS['dashboard_mb'])})", "",
                "| page | run, all (s) | run, 1 province 1 year (s) | queries | median query (ms) | slowest query (ms) |",
                "|---|---|---|---|---|---|"]
        for title, runs in pg["page_runs"].items():
            q = pg["queries"].get(next((p.path for p in _pages() if p.title == title), ""), {})
            worst = max(v["seconds"] for v in runs.values())
            slow = q.get("max_ms")
            out.append(
                f"| {title} | {_f(runs['all']['seconds'], 2)} | {_f(runs['province_year']['seconds'], 2)} "
                f"{_ok(worst <= GOALS['page_s'])} | {_f(q.get('n'))} | {_f(q.get('median_ms'))} | {_f(slow)} "
                f"{_ok(slow <= GOALS['query_ms']) if (slow is not None and national) else ''} |"
            )
        out += ["", "Slowest queries:", ""]
        for ms, page, sql in pg.get("slowest", []):
            out.append(f"- {ms:,.1f} ms · {page} · `{sql}`")
        out.append("")
    out += ["## Baseline: pandas over the Parquet export, same questions", ""]
    for r in results:
        b = r.get("baseline")
        if not b or "cases" not in b:
            if b:
                out.append(f"- {r['size']}: baseline failed: `{b.get('error', '')[-300:]}`")
            continue
        out += [f"### {r['size']} (export {_f(b['export_seconds'], 2)} s, pandas read {_f(b['pandas_read_seconds'], 2)} s)", "",
                "| question | pandas (ms) | DuckDB warehouse (ms) | pandas / DuckDB | same answer |", "|---|---|---|---|---|"]
        for name, c in b["cases"].items():
            out.append(f"| {name} | {_f(c['pandas_ms'])} | {_f(c['duckdb_ms'])} | {_f(c['ratio'], 1)}× | {_ok(c['same_answer'])} |")
        out.append("")
    return "\n".join(out) + "\n"


def history() -> str:
    """The hand-kept before/after record (bench/HISTORY.md), so a new run does not erase it."""
    path = Path(__file__).with_name("HISTORY.md")
    return "\n" + path.read_text(encoding="utf-8") if path.exists() else ""


def _pages():
    from dashboard.registry import PAGES

    return PAGES


def _score() -> dict[str, Any]:
    print("[score] make score …", file=sys.stderr, flush=True)
    try:
        return bench.extraction_score()
    except Exception as e:  # reported in BENCHMARKS.md, the other sections still written
        return {"error": f"{type(e).__name__}: {e}"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description="全国规模基准测试 (national-scale benchmark)")
    ap.add_argument("--sizes", default="1k,10k")
    ap.add_argument("--workdir", default=str(ROOT / "data" / "bench"))
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--steps", default="corpus,parse,load,dask,noparse,accuracy,views,pages,baseline,score")
    ap.add_argument("--note", default="", help="a line about the machine's load, after its description")
    ap.add_argument("--score-only", action="store_true",
                    help="only run `make score` and replace its section in the existing --out file")
    args = ap.parse_args(argv)
    if args.score_only:
        sc = _score()
        out = Path(args.out)
        old = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
        out.write_text(splice_score_section(old, sc), encoding="utf-8")
        print(f"wrote the make score section of {out}", file=sys.stderr)
        return 0
    # The project's own modules as bytecode, as installed packages are (make setup): where
    # PYTHONDONTWRITEBYTECODE is set, each load would otherwise time Python compiling the parser.
    import compileall

    for folder in ("loaders", "warehouse", "dashboard", "bench"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in bench.SIZES]
    if unknown:
        ap.error(f"unknown sizes {unknown}; choose from {list(bench.SIZES)}")
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    steps = set(args.steps.split(",")) | {"corpus"}
    results = [run_size(s, workdir, args.workers, steps) for s in sizes]
    sc = _score() if "score" in steps else None
    (workdir / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    machine = bench.machine()
    for r in results:
        if r["size"] == "national" and "load" in r and "error" not in r["load"]:
            keep_national(r, machine)
    Path(args.out).write_text(render(results, machine, sc, args.note) + history(), encoding="utf-8")
    print(f"wrote {args.out} and {workdir / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
