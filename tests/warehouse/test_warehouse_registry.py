"""The sql/ folder and its registry agree: file stem = object, one object per file, a header
with purpose and grain, tables before views, and a comment on every table, view and column."""

from __future__ import annotations

import re

import duckdb
import pytest

from warehouse import registry

OBJECTS = registry.OBJECTS


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: o.path.name)
def test_file_creates_exactly_the_object_it_is_named_after(obj):
    assert obj.created == ((obj.kind, obj.name),), (
        f"{obj.path.name} must create exactly one object named {obj.name}, it creates {obj.created}"
    )


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: o.path.name)
def test_file_opens_with_purpose_and_grain(obj):
    header = []
    for line in obj.sql.splitlines():
        if not line.startswith("--"):
            break
        header.append(line)
    assert header and header[0].startswith(f"-- {obj.name}:"), f"{obj.path.name}: first line names the object"
    assert any("Grain" in h for h in header), f"{obj.path.name}: the header states the grain"


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: o.path.name)
def test_file_comments_its_object(obj):
    pattern = rf"COMMENT ON {obj.kind.upper()} {obj.name} IS '[^']*[\u4e00-\u9fff][^']*[A-Za-z]{{3}}"
    assert re.search(pattern, obj.sql), f"{obj.path.name}: COMMENT ON {obj.kind.upper()} in Chinese and English"
    for target in re.findall(r"COMMENT ON COLUMN (\w+)\.", obj.sql):
        assert target == obj.name, f"{obj.path.name} comments a column of {target}"


def test_tables_come_before_views_and_numbers_are_unique():
    orders = [o.order for o in OBJECTS]
    assert len(set(orders)) == len(orders)
    kinds = [o.kind for o in OBJECTS]
    assert kinds == sorted(kinds, key=lambda k: k != "table"), "every table file is numbered before every view"
    assert set(kinds) == {"table", "view"}


def test_registry_lists_every_file():
    names = {p.stem.split("_", 1)[1] for p in registry.SQL_DIR.glob("*.sql")}
    assert names == set(registry.TABLES) | set(registry.VIEWS)


def test_issue_views_exist():
    wanted = {
        "v_evaluation", "v_budget_execution", "v_procurement_execution", "v_three_public", "v_satisfaction",
        "v_satisfaction_distribution", "v_dimension_scores", "v_indicator_losses", "v_unit_trend",
        "v_self_vs_external", "v_peer_rank", "v_findings", "v_quality_flags", "v_coverage",
    }
    assert wanted <= set(registry.VIEWS)


def test_schema_applies_twice_and_every_column_is_commented():
    con = duckdb.connect()
    registry.apply_schema(con)
    registry.apply_schema(con)  # idempotent: the loader applies it to every copy it writes
    described = registry.describe(con)
    assert [o["name"] for o in described] == [o.name for o in OBJECTS]
    missing = [o["name"] for o in described if not o["comment"]]
    missing += [f"{o['name']}.{c['name']}" for o in described for c in o["columns"] if not c["comment"]]
    assert not missing, f"no COMMENT ON for {missing}"
    bilingual = [
        f"{o['name']}.{c['name']}"
        for o in described
        for c in o["columns"]
        if not (re.search(r"[\u4e00-\u9fff]", c["comment"]) and re.search(r"[A-Za-z]{3}", c["comment"]))
    ]
    assert not bilingual, f"comments must be Chinese and English: {bilingual}"
    assert registry.schema_drift(con) == []


def test_every_view_carries_the_filter_columns():
    con = duckdb.connect()
    registry.apply_schema(con)
    filters = {"fiscal_year", "province", "city", "is_demo"}
    per_evaluation = {"evaluation_id", "county", "admin_code", "unit_name", "report_kind", "evaluation_mode"}
    aggregates = {"v_satisfaction_distribution", "v_coverage"}
    pairs = {"v_self_vs_external"}  # two evaluations per row: self_/external_evaluation_id
    storage = {"source_line"}  # source_text split into lines: a file's text, not a report's figures
    for view in registry.VIEWS:
        if view in storage:
            continue
        cols = {r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()}
        assert filters <= cols, f"{view} lacks {filters - cols}"
        if view in aggregates:
            continue
        wanted = per_evaluation - ({"evaluation_id", "evaluation_mode"} if view in pairs else set())
        assert wanted <= cols, f"{view} lacks {wanted - cols}"


def test_schema_drift_is_detected():
    con = duckdb.connect()
    registry.apply_schema(con)
    con.execute("ALTER TABLE metric ADD COLUMN extra INTEGER")
    assert any(d.startswith("metric:") for d in registry.schema_drift(con))


@pytest.mark.parametrize("fill", registry.FILLS, ids=lambda f: f.path.name)
def test_each_fill_file_fills_the_summary_table_it_is_named_after(fill):
    by_name = {o.name: o for o in OBJECTS}
    assert fill.table in by_name and by_name[fill.table].kind == "table", f"{fill.path.name}: no table {fill.table}"
    assert by_name[fill.table].order == fill.order, f"{fill.path.name}: numbered as sql/{fill.order:03d}_{fill.table}"
    assert fill.inserts == (fill.table,), f"{fill.path.name} must INSERT INTO {fill.table} only, it names {fill.inserts}"
    header = [line for line in fill.sql.splitlines() if line.startswith("--")]
    assert header and header[0].startswith(f"-- {fill.table}:") and any("Grain" in h for h in header)


def test_summary_tables_are_exactly_the_mv_tables_and_each_has_a_publishing_view():
    assert set(registry.SUMMARIES) == {t for t in registry.TABLES if t.startswith("mv_")}
    for table in registry.SUMMARIES:
        assert "v_" + table.removeprefix("mv_") in registry.VIEWS
    assert [f.order for f in registry.FILLS] == sorted(f.order for f in registry.FILLS)


def test_refresh_rebuilds_the_summaries_with_every_column_commented_and_no_drift():
    con = duckdb.connect()
    registry.apply_schema(con)
    registry.refresh_summaries(con)
    registry.refresh_summaries(con)  # idempotent: drop, create, fill
    described = {o["name"]: o for o in registry.describe(con)}
    for table in registry.SUMMARIES:
        missing = [c["name"] for c in described[table]["columns"] if not c["comment"]]
        assert not missing, f"{table}: no comment on {missing}"
    assert registry.schema_drift(con) == []
