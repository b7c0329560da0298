"""The SQL console under a region scope (warehouse.safe.run_query(scope=…)): the query process
copies the rows in scope of the objects the query names into its in-memory database, under the
warehouse's names, and detaches the warehouse, so no spelling reaches rows outside the scope."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.safe import QueryRefused, run_query

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def synth(tmp_path_factory) -> tuple[Path, str, str]:
    """A synthetic warehouse and one county (its code and name) in it."""
    db = tmp_path_factory.mktemp("scope") / "data" / "w.duckdb"
    db.parent.mkdir(parents=True)
    made = subprocess.run([sys.executable, "-m", "warehouse", "synth", "--units", "40", "--years", "2023-2024",
                           "--seed", "7", "--db", str(db), "-q"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    con = duckdb.connect(str(db), read_only=True)
    code, county = con.execute("SELECT admin_code, county FROM v_evaluation GROUP BY ALL ORDER BY count(*) DESC, 1 "
                               "LIMIT 1").fetchone()
    con.close()
    return db, code, county


def rows(db, sql, scope):
    return run_query(sql, db, scope=scope).table.to_pylist()


def test_scoped_views_keep_their_names_and_hold_only_the_scope(synth):
    db, code, county = synth
    national = rows(db, "SELECT count(DISTINCT admin_code) AS n FROM v_evaluation", "")[0]["n"]
    assert national > 1
    for scope in (code[:2], code[:4], code):
        got = rows(db, "SELECT DISTINCT admin_code FROM v_evaluation", scope)
        assert got and all(r["admin_code"].startswith(scope) for r in got)
    assert {r["county"] for r in rows(db, "SELECT DISTINCT county FROM v_evaluation", code)} == {county}
    for view in ("v_budget_execution", "v_satisfaction", "v_alerts", "v_peer_rank", "v_quality_flags",
                 "v_indicator_losses", "v_unit_trend", "v_dimension_scores"):
        got = rows(db, f"SELECT DISTINCT admin_code FROM {view}", code)
        assert all(r["admin_code"] == code for r in got), view


def test_base_tables_and_report_text_are_scoped(synth):
    db, code, _ = synth
    ids = {r["evaluation_id"] for r in rows(db, "SELECT evaluation_id FROM v_evaluation", code)}
    for table in ("evaluation", "indicator", "metric", "quality_flag"):
        got = {r["evaluation_id"] for r in rows(db, f"SELECT DISTINCT evaluation_id FROM {table}", code)}
        assert got <= ids, table
    files = {r["file_id"] for r in rows(db, "SELECT file_id FROM v_evaluation", code)}
    assert {r["file_id"] for r in rows(db, "SELECT DISTINCT file_id FROM source_line", code)} <= files
    assert {r["file_id"] for r in rows(db, "SELECT file_id FROM source_file", code)} <= files
    assert rows(db, "SELECT count(*) AS n FROM unit WHERE admin_code <> ?".replace("?", f"'{code}'"), code)[0]["n"] == 0
    assert rows(db, "SELECT count(*) AS n FROM load_run", code)[0]["n"] == 0
    assert rows(db, "SELECT count(*) AS n FROM v_coverage", code)[0]["n"] == 0  # per city and up: none for a county


@pytest.mark.parametrize("escape", [
    "SELECT count(*) AS n FROM warehouse.main.v_evaluation",
    "SELECT count(*) AS n FROM warehouse.v_evaluation",
    "SELECT count(*) AS n FROM \"warehouse\".\"main\".\"v_evaluation\"",
    "SELECT count(*) AS n FROM query_table('warehouse.main.v_evaluation')",
    "SELECT count(*) AS n FROM query('SELECT * FROM warehouse.main.mv_evaluation')",
    "SELECT count(*) AS n FROM warehouse.main.mv_evaluation",
    "SELECT count(*) AS n FROM warehouse.main.source_line",
])
def test_no_escape_by_qualified_names(synth, escape):
    db, code, _ = synth
    assert run_query(escape, db).table.to_pylist()[0]["n"] > 0  # national: it works
    with pytest.raises(QueryRefused):
        run_query(escape, db, scope=code)


def test_the_warehouse_is_not_attached_for_a_scoped_query(synth):
    db, code, _ = synth
    names = {r["database_name"] for r in rows(db, "SELECT database_name FROM duckdb_databases()", code)}
    assert "warehouse" not in names
    for sql in ("ATTACH 'x.duckdb' AS y", "SELECT * FROM read_parquet('/etc/passwd')"):
        with pytest.raises(QueryRefused):
            run_query(sql, db, scope=code)


def test_a_bad_scope_is_refused(synth):
    db, _, _ = synth
    with pytest.raises(QueryRefused):
        run_query("SELECT 1", db, scope="36%' OR TRUE --")


def test_cli_sql_takes_a_scope(synth):
    db, code, county = synth
    done = subprocess.run([sys.executable, "-m", "warehouse", "sql", "SELECT DISTINCT county FROM v_evaluation",
                           "--format", "csv", "--scope", code, "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["county", county]
