"""Run every dashboard page with AppTest, as the benchmark's dashboard process.

    BENCH_QUERY_LOG=queries.jsonl WAREHOUSE_PATH=db python -m bench.pages_worker --db db

Each page runs twice: with no filter, and with one province and one year in the URL (the filters
a user would set). dashboard.data writes every SQL statement it issues to BENCH_QUERY_LOG, tagged
with the page running, so the benchmark can time each query on its own. Prints one JSON line:
per page and filter set, the seconds of the full run (after a warm-up run that fills no cache
other than the connection) and whether it raised.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from streamlit.testing.v1 import AppTest

from bench import ROOT


def run_page(page: str, query: dict[str, str]) -> tuple[float, bool]:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    for k, v in query.items():
        at.query_params[k] = v
    from dashboard.registry import PAGES

    os.environ["BENCH_PAGE"] = PAGES[0].path
    t = time.perf_counter()
    at.run()
    first = time.perf_counter() - t
    if page != PAGES[0].path:
        os.environ["BENCH_PAGE"] = page
        at.switch_page(page)
        for k, v in query.items():  # switching pages drops the URL parameters; a link would carry them
            at.query_params[k] = v
        t = time.perf_counter()
        at.run()
        return time.perf_counter() - t, bool(at.exception)
    return first, bool(at.exception)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    args = ap.parse_args(argv)
    os.environ["WAREHOUSE_PATH"] = args.db
    sys.path.insert(0, str(ROOT))
    from dashboard.registry import PAGES
    from warehouse.connect import read_only

    con = read_only(args.db)
    province, year = con.execute(
        "SELECT province, fiscal_year FROM v_evaluation WHERE province IS NOT NULL "
        "GROUP BY ALL ORDER BY count(*) DESC, province, fiscal_year DESC LIMIT 1").fetchone()
    con.close()
    filter_sets = {"all": {}, "province_year": {"province": province, "year": [str(year), str(year)]}}
    out: dict[str, dict] = {}
    run_page(PAGES[0].path, {})  # warm-up: imports and the first connection are not a page's cost
    for spec in PAGES:
        out[spec.title] = {}
        for name, query in filter_sets.items():
            # Each run is a new AppTest: a new session with empty caches, as a user opening a link.
            seconds, failed = run_page(spec.path, query)
            out[spec.title][name] = {"seconds": seconds, "exception": failed}
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
