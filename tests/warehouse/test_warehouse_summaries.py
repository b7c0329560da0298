"""The summary tables (mv_*, built at the end of every load) against the queries they replace.

Each published view must return exactly what its reference definition in reference_views/ (the
view as it was computed from the base tables at query time) returns, row for row and type for
type, on the real reports, on a small demo corpus loaded through the real pipeline, and on a
synthetic warehouse (warehouse.synth). Then data tests of the columns only the summary tables
have, and of how a load builds them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse_tables import fetch
from warehouse import registry
from warehouse.load import load_paths

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = Path(__file__).resolve().parent / "reference_views"
PUBLISHED = sorted({"v_" + t.removeprefix("mv_") for t in registry.SUMMARIES} | {
    # views that now read a summary table instead of recomputing it
    "v_budget_execution", "v_procurement_execution", "v_three_public", "v_satisfaction", "v_indicator_leaf",
    "v_dimension_scores", "v_indicator_losses", "v_unit_trend", "v_self_vs_external", "v_findings",
    "v_quality_flags",
})


def reference_sql() -> str:
    """Every reference view, renamed ref_v_* (and reading ref_v_* views), without comments."""
    out = []
    for path in sorted(REFERENCE_DIR.glob("*.sql")):
        sql = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                        if not line.startswith(("COMMENT ON", "--")))
        out.append(re.sub(r"\bv_(\w+)", r"ref_v_\1", sql))
    return "\n".join(out)


def writable_copy(db: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    copy = tmp_path / db.name
    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy))
    con.execute(reference_sql())
    return con


def assert_same_as_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every published view equals its reference; returns the row counts compared."""
    counts = {}
    for view in PUBLISHED:
        ref = "ref_" + view
        have = con.execute(f"DESCRIBE {view}").fetchall()
        want = con.execute(f"DESCRIBE {ref}").fetchall()
        assert [(c[0], c[1]) for c in have] == [(c[0], c[1]) for c in want], f"{view}: columns or types differ"
        for a, b in ((view, ref), (ref, view)):
            extra = con.execute(f"SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b} LIMIT 3").fetchall()
            assert not extra, f"{a} has rows {b} lacks: {extra}"
        counts[view] = con.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
    return counts


def test_every_summary_table_is_published_by_a_view_with_a_reference():
    for table in registry.SUMMARIES:
        view = "v_" + table.removeprefix("mv_")
        assert view in registry.VIEWS, f"{table} has no view {view} publishing it"
        assert list(REFERENCE_DIR.glob(f"*_{view}.sql")) or (REFERENCE_DIR / "alerts.sql").exists()


def test_summaries_equal_the_reference_on_the_real_reports(built_warehouse, tmp_path):
    con = writable_copy(built_warehouse, tmp_path)
    counts = assert_same_as_reference(con)
    assert counts["v_evaluation"] == 4
    assert counts["v_peer_rank"] > 4 and counts["v_alerts"] > 0


@pytest.fixture(scope="module")
def demo_corpus_warehouse(tmp_path_factory) -> Path:
    """A small demo corpus (loaders.demo: 5 units, 3 years) loaded through the real pipeline."""
    folder = tmp_path_factory.mktemp("demo_summaries")
    corpus = folder / "corpus"
    made = subprocess.run([sys.executable, "-m", "loaders.demo", "--units", "5", "--years", "2020-2022",
                           "--seed", "11", "--out", str(corpus), "--workers", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    db = folder / "warehouse.duckdb"
    summary = load_paths([str(corpus)], db, workers=2, quiet=True)
    assert summary.evaluations > 50
    return db


def test_summaries_equal_the_reference_on_a_demo_corpus(demo_corpus_warehouse, tmp_path):
    con = writable_copy(demo_corpus_warehouse, tmp_path)
    counts = assert_same_as_reference(con)
    # (the demo corpus mixes in prose reports, 部门决算 pages and other departments: fewer scored
    # union evaluations to rank than the seed templates alone gave)
    assert counts["v_unit_trend"] > 50 and counts["v_peer_rank"] > 150
    # the comparison has something to compare: previous years, pairs, alerts of several rules
    assert con.execute("SELECT count(previous_evaluation_id) FROM v_unit_trend").fetchone()[0] > 10
    assert con.execute("SELECT count(DISTINCT alert_code) FROM v_alerts").fetchone()[0] >= 3


def test_summaries_equal_the_reference_on_a_synthetic_warehouse(tmp_path):
    from warehouse.synth import synthesize

    db = tmp_path / "synth.duckdb"
    res = synthesize(db, units=40, years=(2020, 2023), quiet=True)
    assert res["rows"]["evaluation"] > 900
    (tmp_path / "copy").mkdir()
    con = writable_copy(db, tmp_path / "copy")
    counts = assert_same_as_reference(con)
    assert counts["v_self_vs_external"] > 0 and counts["v_three_public"] > 0
    # revisions: superseded evaluations exist and stay out of every view
    assert con.execute("SELECT count(*) FROM evaluation WHERE NOT is_current").fetchone()[0] > 0
    assert counts["v_evaluation"] == con.execute("SELECT count(*) FROM evaluation WHERE is_current").fetchone()[0]


# ---------------------------------------------------------------------------------------------
# Data tests of what only the summary tables hold


def ev(eid, uid=1, year=2022, kind="department_overall", mode="self", total=None, **kw):
    return {"evaluation_id": eid, "unit_id": uid, "fiscal_year": year, "report_kind": kind,
            "evaluation_mode": mode, "total_score": total, **kw}


def test_mv_evaluation_previous_year_and_dimension_rates(given):
    con = given({
        "evaluation": [
            ev(1, year=2021), ev(2, year=2022), ev(3, year=2022, mode="third_party"), ev(4, year=2023),
            ev(5, year=2023, kind="project", project_name="帮扶"), ev(6, year=2024, kind="project", project_name="帮扶"),
            ev(7, year=2021, mode=None), ev(8, year=2022, mode=None),  # an unknown mode matches an unknown mode
            ev(9, year=2021, revision=1, is_current=False, evaluation_key="old", sha256="d" * 64, file_id=90),
        ],
        "indicator": [
            {"evaluation_id": 2, "level": 3, "level1": "决策", "level2": "a", "level3": "x", "dimension": "decision",
             "weight": 10, "score": 8},
            {"evaluation_id": 2, "level": 3, "level1": "决策", "level2": "a", "level3": "y", "dimension": "decision",
             "weight": 10, "score": 10},
            {"evaluation_id": 2, "level": 3, "level1": "满意度", "level2": "b", "level3": "z",
             "dimension": "satisfaction", "weight": 8, "score": 7.6},
            {"evaluation_id": 2, "level": 3, "level1": "产出", "level2": "c", "level3": "w", "dimension": "output",
             "weight": 0, "score": 0},
        ],
    })
    rows = fetch(con, """SELECT evaluation_id, previous_evaluation_id, decision_rate_pct, process_rate_pct,
                                output_rate_pct, satisfaction_rate_pct FROM mv_evaluation ORDER BY evaluation_id""")
    prev = {r["evaluation_id"]: r["previous_evaluation_id"] for r in rows}
    assert prev == {1: None, 2: 1, 3: None, 4: 2, 5: None, 6: 5, 7: None, 8: 7}
    two = next(r for r in rows if r["evaluation_id"] == 2)
    assert (two["decision_rate_pct"], two["process_rate_pct"], two["output_rate_pct"],
            two["satisfaction_rate_pct"]) == (90.0, None, None, 95.0)


def test_mv_peer_rank_ranks_among_all_peers_whatever_the_filter(given):
    units = [{"unit_id": i, "unit_name": f"u{i}", "province": p, "city": c, "unit_key": f"u{i}"}
             for i, (p, c) in enumerate([("甲省", "A市"), ("甲省", "A市"), ("甲省", "B市"), ("乙省", "C市")], start=1)]
    con = given({
        "unit": units,
        "evaluation": [ev(i, uid=i, total=t) for i, t in enumerate([90, 80, 80, 70], start=1)]
        + [ev(5, uid=4, kind="project", project_name="p", total=10)],  # another kind: not a peer
    })
    rows = fetch(con, """SELECT evaluation_id, rank_in_city, peers_in_city, rank_in_province, peers_in_province,
                                percentile_in_province, rank_national, peers_national, percentile_national,
                                median_national
                         FROM v_peer_rank WHERE metric = 'total_score' AND province = '甲省' ORDER BY evaluation_id""")
    assert rows == [
        {"evaluation_id": 1, "rank_in_city": 1, "peers_in_city": 2, "rank_in_province": 1, "peers_in_province": 3,
         "percentile_in_province": 100.0, "rank_national": 1, "peers_national": 4, "percentile_national": 100.0,
         "median_national": 80.0},
        {"evaluation_id": 2, "rank_in_city": 2, "peers_in_city": 2, "rank_in_province": 2, "peers_in_province": 3,
         "percentile_in_province": 0.0, "rank_national": 2, "peers_national": 4, "percentile_national": 33.33,
         "median_national": 80.0},
        {"evaluation_id": 3, "rank_in_city": 1, "peers_in_city": 1, "rank_in_province": 2, "peers_in_province": 3,
         "percentile_in_province": 0.0, "rank_national": 2, "peers_national": 4, "percentile_national": 33.33,
         "median_national": 80.0},
    ]
    # the procurement view takes its ranks from the same table
    assert fetch(con, "SELECT count(*) AS n FROM v_procurement_execution") == [{"n": 0}]


def test_summaries_follow_a_revision_and_are_rebuilt_by_each_load(tmp_path):
    from warehouse_fakes import fake_parse, record, write_record

    reports = tmp_path / "reports"
    db = tmp_path / "w.duckdb"
    first = write_record(reports, "a.txt", record(unit="甲区总工会", year=2022, total="80"))
    load_paths([str(reports)], db, workers=1, parser=fake_parse)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT evaluation_id, total_score FROM mv_evaluation").fetchall() == [(1, 80)]
    con.close()
    first.unlink()
    write_record(reports, "a2.txt", record(unit="甲区总工会", year=2022, total="91"))
    write_record(reports, "b.txt", record(unit="甲区总工会", year=2021, total="99"))
    load_paths([str(reports)], db, workers=1, parser=fake_parse)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("""SELECT evaluation_id, fiscal_year, total_score, previous_evaluation_id FROM mv_evaluation
                          ORDER BY evaluation_id""").fetchall()
    alerts = con.execute("SELECT evaluation_id, alert_code FROM v_alerts").fetchall()
    con.close()
    assert rows == [(2, 2022, 91, 3), (3, 2021, 99, None)]
    assert alerts == [(2, "score_drop")]
