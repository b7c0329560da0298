"""The safe connection refuses or stops everything but bounded read-only queries.
(Isolation between queries, the process limits and the spill folder: test_sql_isolation.py.)"""

from __future__ import annotations

import time

import pytest

from warehouse.safe import QueryRefused, QueryTimeout, SafeConnection, check_statement
from warehouse.load import load_paths
from warehouse_fakes import fake_parse, record, write_record


@pytest.fixture(scope="module")
def safe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("safe")
    files = [write_record(folder / "in", f"{i}.txt", record(unit=f"县{i}总工会", total=str(80 + i))) for i in range(5)]
    db = folder / "w.duckdb"
    load_paths([str(f) for f in files], db, workers=1, parser=fake_parse)
    with SafeConnection(db, timeout_s=1.5, max_rows=3, memory_limit="256MB") as con:
        yield con


def test_select_works_and_the_row_limit_applies(safe):
    r = safe.query("SELECT unit_name, total_score FROM v_evaluation ORDER BY total_score DESC")
    assert r.columns == ["unit_name", "total_score"]
    assert r.table.num_rows == 3 and r.truncated
    assert r.table.column("unit_name").to_pylist() == ["县4总工会", "县3总工会", "县2总工会"]
    small = safe.query("SELECT count(*) AS n FROM evaluation")
    assert small.table.to_pylist() == [{"n": 5}] and not small.truncated
    assert safe.query("DESCRIBE v_evaluation", max_rows=1000).table.num_rows > 20
    assert safe.query("EXPLAIN SELECT * FROM unit").table.num_rows >= 1
    assert safe.query("WITH x AS (SELECT 1 AS a) SELECT * FROM x;").table.to_pylist() == [{"a": 1}]


@pytest.mark.parametrize(
    "sql, fragment",
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "不能访问文件"),
        ("SELECT * FROM read_text('/etc/passwd')", "不能访问文件"),
        ("SELECT * FROM glob('/etc/*')", "不能访问文件"),
        ("SELECT * FROM '/etc/passwd.csv'", "不能访问文件"),
        ("COPY evaluation TO '/tmp/leak.csv'", "COPY"),
        ("COPY (SELECT 1) TO '/tmp/leak.parquet' (FORMAT parquet)", "COPY"),
        ("EXPORT DATABASE '/tmp/leak'", "EXPORT"),
        ("ATTACH '/tmp/other.duckdb' AS other", "ATTACH"),
        ("DETACH warehouse", "DETACH"),
        ("INSTALL httpfs", "INSTALL"),
        ("LOAD httpfs", "LOAD"),
        ("SET enable_external_access = true", "SET"),
        ("SET lock_configuration = false", "SET"),
        ("RESET memory_limit", "SET"),
        ("USE memory", "USE"),
        ("PRAGMA threads = 64", "SET"),
        ("PRAGMA enable_profiling", "PRAGMA"),
        ("CREATE TABLE x AS SELECT 1", "CREATE"),
        ("INSERT INTO unit (unit_id) VALUES (99)", "INSERT"),
        ("DELETE FROM evaluation", "DELETE"),
        ("UPDATE evaluation SET total_score = 100", "UPDATE"),
        ("DROP VIEW v_evaluation", "DROP"),
        ("CALL checkpoint()", "CALL"),
        ("BEGIN TRANSACTION", "事务"),
        ("SELECT 1; SELECT 2", "一次只能执行一条"),
        ("EXPLAIN ANALYZE CREATE TEMP VIEW v_evaluation AS SELECT 'FAKE' AS unit_name", "EXPLAIN"),
        ("EXPLAIN ANALYZE CREATE OR REPLACE TEMP MACRO round(x, n) AS 0", "EXPLAIN"),
        ("EXPLAIN COPY evaluation TO '/tmp/leak.csv'", "EXPLAIN"),
        ("EXPLAIN ANALYZE DROP VIEW v_evaluation", "EXPLAIN"),
        ("EXPLAIN ANALYZE SET enable_external_access = true", "EXPLAIN"),
        ("EXPLAIN ANALYZE INSERT INTO unit (unit_id) VALUES (99)", "EXPLAIN"),
        ("EXPLAIN (FORMAT json) CREATE TABLE x AS SELECT 1", "EXPLAIN"),
        ("EXPLAIN EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1", "语法错误"),
        ("/* c */ EXPLAIN ANALYZE CREATE MACRO m() AS 1", "EXPLAIN"),
        ("CREATE OR REPLACE TEMP MACRO round(x, n) AS 0", "CREATE"),
        ("SELEC 1", "语法错误"),
        ("", "请输入"),
    ],
)
def test_refused_with_a_clear_message(safe, sql, fragment):
    with pytest.raises(QueryRefused) as err:
        safe.query(sql)
    msg = str(err.value)
    assert fragment in msg
    assert any("\u4e00" <= ch <= "\u9fff" for ch in msg) and any(ch.isascii() and ch.isalpha() for ch in msg)


def test_settings_cannot_be_changed_even_through_a_select(safe):
    with pytest.raises(QueryRefused):
        safe.query("SELECT * FROM read_csv('/etc/passwd')")
    r = safe.query("SELECT current_setting('enable_external_access') AS ext, current_setting('lock_configuration') AS locked")
    assert r.table.to_pylist() == [{"ext": False, "locked": True}]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT count(*) FROM range(1000000000000) a",
        "SELECT count(*) FROM range(100000000) a, range(100000000) b",
        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r",
    ],
)
def test_endless_queries_are_stopped(safe, sql):
    t0 = time.perf_counter()
    with pytest.raises(QueryRefused) as err:
        safe.query(sql)
    elapsed = time.perf_counter() - t0
    assert elapsed < 30
    assert isinstance(err.value, QueryTimeout) or "内存" in str(err.value)
    assert "停止" in str(err.value) and "stopped" in str(err.value)
    # the connection is usable afterwards
    assert safe.query("SELECT 42 AS x").table.to_pylist() == [{"x": 42}]


def test_the_warehouse_file_is_read_only(safe):
    with pytest.raises(QueryRefused):
        safe.query("SELECT * FROM (INSERT INTO unit (unit_id) VALUES (1) RETURNING *)")


def test_check_statement_allows_only_reads():
    assert check_statement("FROM v_evaluation;") == "FROM v_evaluation"
    assert check_statement("SUMMARIZE unit") == "SUMMARIZE unit"
    assert check_statement("/* plan */ explain analyse SELECT 1;") == "EXPLAIN ANALYZE SELECT 1"


def test_missing_warehouse(tmp_path):
    from warehouse.connect import WarehouseMissing

    with pytest.raises(WarehouseMissing):
        SafeConnection(tmp_path / "none.duckdb")
