"""Run every dashboard page with AppTest, as the benchmark's dashboard process.

    BENCH_QUERY_LOG=queries.jsonl WAREHOUSE_PATH=db python -m bench.pages_worker --db db

Each page runs twice: with no filter, and with one province and one year in the URL (the filters
a user would set). Each run opens the page the way a link to /<page>?province=…&year=… does: a
new session whose first run is that page. (Switching pages inside one AppTest session would not
do: Streamlit drops the URL parameters bound to the previous page's widgets on a page change, so
the filtered run would silently measure the unfiltered page.) dashboard.data writes every SQL
statement it issues to BENCH_QUERY_LOG, tagged with the page running, so the benchmark can time
each query on its own. Prints one JSON line: per page and filter set, the seconds of the full run
(after a warm-up run that fills no cache other than the connection and the filter choices) and
whether it raised. Query results are cached per process (st.cache_data), so a page's queries are
cold on its first run with a filter set, except the filter choices every page shares.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from streamlit.testing.v1 import AppTest

from bench import ROOT


def open_at(page: str) -> None:
    """The app's navigation with `page` as the page at the root URL: what AppTest runs first."""
    import streamlit as st

    from bench import ROOT
    from dashboard.registry import PAGES

    st.set_page_config(page_title="工会绩效评价看板", layout="wide")
    st.navigation([st.Page(str(ROOT / p.path), title=p.title, url_path=p.url_path, default=p.path == page)
                   for p in PAGES]).run()


def run_page(page: str, query: dict[str, str]) -> tuple[float, bool]:
    at = AppTest.from_function(open_at, args=(page,), default_timeout=600)
    for k, v in query.items():
        at.query_params[k] = v
    os.environ["BENCH_PAGE"] = page
    t = time.perf_counter()
    at.run()
    return time.perf_counter() - t, bool(at.exception)


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
