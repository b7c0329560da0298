"""The baseline a user might otherwise reach for: pandas over the Parquet export.

Three questions leadership asks, answered both ways on the same data:
  procurement  one province and year: procurement execution rate per evaluation, ranked
  scores       every province and year: reports, mean total score, share graded 优
  losses       nationally: the 20 level-3 indicators that lost most points
DuckDB answers from the warehouse file; pandas from frames read from the export (the read is
timed separately, as a user would read once and then query). Both answers are compared, so the
ratio is between two correct results.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from bench import median_seconds


def _read(parquet: Path, name: str, columns: list[str]) -> pd.DataFrame:
    path = parquet / name
    if path.is_dir():
        # A partitioned table, read as a dataset whose partition keys are plain columns: a report
        # whose year was not read sits in the null partition (__HIVE_DEFAULT_PARTITION__), which
        # pd.read_parquet refuses ("Cannot yet unify dictionaries with nulls").
        import pyarrow.dataset as ds

        partitioning = ds.HivePartitioning.discover(null_fallback="__HIVE_DEFAULT_PARTITION__")
        return ds.dataset(path, format="parquet", partitioning=partitioning).to_table(columns=columns).to_pandas()
    return pd.read_parquet(parquet / f"{name}.parquet", columns=columns)


def pandas_frames(parquet: Path) -> dict[str, pd.DataFrame]:
    return {
        "evaluation": _read(parquet, "evaluation", ["evaluation_id", "unit_id", "fiscal_year", "report_kind",
                                                    "total_score", "grade", "is_current", "is_demo"]),
        "unit": _read(parquet, "unit", ["unit_id", "unit_name", "province"]),
        "metric": _read(parquet, "metric", ["evaluation_id", "metric", "value"]),
        "indicator": _read(parquet, "indicator", ["evaluation_id", "level", "level3", "weight", "score",
                                                  "is_leaf", "weight_shared"]),
    }


def pandas_procurement(f: dict[str, pd.DataFrame], province: str, year: int) -> pd.DataFrame:
    ev = f["evaluation"]
    ev = ev[ev["is_current"] & (ev["fiscal_year"] == year)].merge(f["unit"], on="unit_id")
    ev = ev[ev["province"] == province]
    m = f["metric"]
    m = m[m["metric"].isin(["procurement_budget_yuan", "procurement_actual_yuan"]) & m["evaluation_id"].isin(ev["evaluation_id"])]
    wide = m.pivot_table(index="evaluation_id", columns="metric", values="value", aggfunc="first").reset_index()
    wide = wide.reindex(columns=["evaluation_id", "procurement_budget_yuan", "procurement_actual_yuan"])  # none stated
    wide = wide.dropna(subset=["procurement_budget_yuan", "procurement_actual_yuan"])
    wide = wide[wide["procurement_budget_yuan"].astype(float) > 0]
    out = ev.merge(wide, on="evaluation_id")
    out["rate"] = (out["procurement_actual_yuan"].astype(float) / out["procurement_budget_yuan"].astype(float) * 100).round(2)
    out["rank"] = out.groupby(["is_demo", "report_kind"])["rate"].rank(method="min", ascending=False)
    return out.sort_values(["rank", "evaluation_id"])[["evaluation_id", "rate", "rank"]]


def duck_procurement(con, province: str, year: int) -> pd.DataFrame:
    return con.execute(
        """
        WITH b AS (
            SELECT evaluation_id, is_demo, report_kind,
                   round(procurement_actual_yuan / procurement_budget_yuan * 100, 2) AS rate
            FROM v_evaluation
            WHERE province = ? AND fiscal_year = ? AND procurement_budget_yuan > 0
              AND procurement_actual_yuan IS NOT NULL
        )
        SELECT evaluation_id, rate, rank() OVER (PARTITION BY is_demo, report_kind ORDER BY rate DESC) AS rank
        FROM b ORDER BY rank, evaluation_id
        """,
        [province, year],
    ).df()


def pandas_scores(f: dict[str, pd.DataFrame]) -> pd.DataFrame:
    ev = f["evaluation"]
    ev = ev[ev["is_current"]].merge(f["unit"], on="unit_id")
    ev = ev.assign(excellent=(ev["grade"] == "优").astype(float), total=ev["total_score"].astype(float))
    # as the SQL: rows without a province left out, a report without a year kept (its own group)
    ev = ev[ev["province"].notna()]
    g = ev.groupby(["province", "fiscal_year"], dropna=False).agg(
        reports=("evaluation_id", "size"), mean_score=("total", "mean"), share_excellent=("excellent", "mean"))
    return g.reset_index().sort_values(["province", "fiscal_year"])


def duck_scores(con) -> pd.DataFrame:
    return con.execute(
        """
        SELECT province, fiscal_year, count(*) AS reports, avg(total_score::DOUBLE) AS mean_score,
               avg(CASE WHEN grade = '优' THEN 1.0 ELSE 0.0 END) AS share_excellent
        FROM v_evaluation WHERE province IS NOT NULL
        GROUP BY province, fiscal_year ORDER BY province, fiscal_year
        """
    ).df()


def pandas_losses(f: dict[str, pd.DataFrame]) -> pd.DataFrame:
    ev = f["evaluation"]
    current = ev.loc[ev["is_current"], ["evaluation_id"]]
    ind = f["indicator"]
    ind = ind[ind["is_leaf"] & ~ind["weight_shared"] & ind["weight"].notna() & ind["score"].notna()]
    ind = ind.merge(current, on="evaluation_id")
    lost = ind["weight"].astype(float) - ind["score"].astype(float)
    ind = ind.assign(lost=lost)[lost > 0]
    g = ind.groupby("level3", dropna=False).agg(rows=("lost", "size"), points_lost=("lost", "sum")).reset_index()
    g["points_lost"] = g["points_lost"].round(4)  # float sums differ in the last bits; ties break by name
    return g.sort_values(["points_lost", "level3"], ascending=[False, True]).head(20)


def duck_losses(con) -> pd.DataFrame:
    return con.execute(
        """
        SELECT i.level3, count(*) AS rows, round(sum((i.weight - i.score)::DOUBLE), 4) AS points_lost
        FROM indicator i JOIN evaluation e USING (evaluation_id)
        WHERE e.is_current AND i.is_leaf AND NOT i.weight_shared AND i.weight IS NOT NULL
          AND i.score IS NOT NULL AND i.score < i.weight
        GROUP BY i.level3 ORDER BY points_lost DESC, level3 LIMIT 20
        """
    ).df()


def compare(db: Path, parquet: Path) -> dict[str, Any]:
    from warehouse.connect import read_only
    from warehouse.export import export_parquet

    t = time.perf_counter()
    export_parquet(parquet, db, only=["evaluation", "unit", "metric", "indicator"])
    export_s = time.perf_counter() - t
    t = time.perf_counter()
    frames = pandas_frames(parquet)
    read_s = time.perf_counter() - t
    con = read_only(db)
    try:
        province, year = con.execute(
            "SELECT province, fiscal_year FROM v_evaluation WHERE province IS NOT NULL "
            "GROUP BY ALL ORDER BY count(*) DESC, province, fiscal_year DESC LIMIT 1").fetchone()
        cases = {
            "procurement": (lambda: pandas_procurement(frames, province, year), lambda: duck_procurement(con, province, year)),
            "scores": (lambda: pandas_scores(frames), lambda: duck_scores(con)),
            "losses": (lambda: pandas_losses(frames), lambda: duck_losses(con)),
        }
        out: dict[str, Any] = {"export_seconds": export_s, "pandas_read_seconds": read_s, "cases": {}}
        for name, (pd_fn, duck_fn) in cases.items():
            a, b = pd_fn(), duck_fn()
            same = len(a) == len(b) and list(a.iloc[:, 0].astype(str)) == list(b.iloc[:, 0].astype(str))
            pandas_ms = 1000 * median_seconds(pd_fn)
            duck_ms = 1000 * median_seconds(duck_fn)
            out["cases"][name] = {"pandas_ms": pandas_ms, "duckdb_ms": duck_ms, "ratio": pandas_ms / duck_ms,
                                  "rows": len(b), "same_answer": same}
    finally:
        con.close()
    return out
