"""warehouse.synth: a synthetic warehouse written straight into the tables, as a load would leave it."""

from __future__ import annotations

import duckdb

from warehouse import registry
from warehouse.synth import synthesize


def test_synthetic_warehouse_is_demo_consistent_and_deterministic(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    res = synthesize(a, units=12, years=(2021, 2023), seed=3, quiet=True)
    rows = res["rows"]
    # per unit and year: a department-wide evaluation (sometimes two) and 4-6 projects
    assert 12 * 3 * 5 <= rows["evaluation"] <= 12 * 3 * 8
    assert rows["indicator"] > 25 * rows["evaluation"] and rows["load_run"] == 1
    con = duckdb.connect(str(a), read_only=True)
    one = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    for table in ("unit", "source_file", "source_line", "evaluation", "metric", "indicator", "satisfaction",
                  "finding", "quality_flag", "dimension_score"):
        assert one(f"SELECT bool_and(is_demo) FROM {table}") == [(True,)], table
    # the numbers agree the way a clean report's do: leaves add up to the dimensions and the total …
    assert one("""SELECT count(*) FROM dimension_score d
                  JOIN (SELECT evaluation_id, coalesce(dimension, 'unclassified') AS dimension, sum(score) AS s
                        FROM indicator WHERE is_leaf GROUP BY ALL) i USING (evaluation_id, dimension)
                  WHERE d.score <> i.s""") == [(0,)]
    off = one("""SELECT count(*) FROM evaluation e JOIN (SELECT evaluation_id, sum(score) AS s FROM dimension_score
                 GROUP BY ALL) d USING (evaluation_id) WHERE e.is_current AND e.total_score <> d.s""")[0][0]
    assert off <= 0.02 * rows["evaluation"]  # … apart from a few deliberate disagreements
    # the loader's derived columns match the rows
    assert one("""SELECT count(*) FROM evaluation e WHERE indicator_count <>
                  (SELECT count(*) FROM indicator i WHERE i.evaluation_id = e.evaluation_id)""") == [(0,)]
    # ranges like the demo corpus: self-evaluations mostly 90-100, external ones lower
    self_mean, ext_mean = one("""SELECT avg(total_score) FILTER (WHERE evaluation_mode = 'self'),
                                        avg(total_score) FILTER (WHERE evaluation_mode <> 'self')
                                 FROM v_evaluation""")[0]
    assert 90 <= self_mean <= 100 and 70 <= ext_mean < self_mean
    assert one("SELECT min(procurement_exec_pct) < 15, max(budget_exec_pct) > 100 FROM v_evaluation") == [(True, True)]
    # summaries built, every view answers, the schema is the current one
    for view in registry.VIEWS:
        assert one(f"SELECT count(*) > 0 FROM {view}") == [(True,)], view
    assert one("SELECT schema_sha256 FROM load_run") == [(registry.SCHEMA_SHA256,)]
    con.close()
    synthesize(b, units=12, years=(2021, 2023), seed=3, quiet=True)
    con = duckdb.connect(str(a), read_only=True)
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    for table in ("evaluation", "metric", "indicator", "mv_peer_rank"):
        cols = ", ".join(c for (c,) in con.execute(
            f"SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND table_name = '{table}'"
            " AND column_name NOT IN ('started_at', 'finished_at')").fetchall())
        diff = con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM a.{table} EXCEPT ALL SELECT {cols} FROM b.{table})")
        assert diff.fetchone() == (0,), table
    con.close()
