"""SQL as data: insert dict rows into a warehouse (filling what a test does not care about and
what the loader derives) and read query results back as dicts.

A module of its own (not conftest): test modules import it by this unique name.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb

from loaders.records import METRIC_UNITS
from warehouse import load


def _defaults(table: str, row: dict[str, Any], counters: dict[str, int]) -> dict[str, Any]:
    r = dict(row)
    if table == "evaluation":
        eid = r["evaluation_id"]
        r.setdefault("sha256", f"{eid:064d}")
        r.setdefault("file_id", eid)
        r.setdefault("evaluation_no", 0)
        r.setdefault("unit_id", 1)
        r.setdefault("confidence", "high")
        r.setdefault("is_demo", False)
        r.setdefault("subject_key", f"{r['unit_id']}|{r.get('report_kind') or ''}|{r.get('project_name') or ''}")
        r.setdefault("evaluation_key", f"k{eid}")  # unique; no view reads it
        r.setdefault("revision", 1)
        r.setdefault("is_current", True)
        r.setdefault("load_run_id", 1)
    elif table == "unit":
        r.setdefault("unit_key", f"u{r['unit_id']}")
        r.setdefault("is_demo", False)
        r.setdefault("first_load_run_id", 1)
    elif table == "source_file":
        r.setdefault("path", f"{r['sha256'][:8]}.txt")
        r.setdefault("file_name", r["path"])
        r.setdefault("size_bytes", 1)
        r.setdefault("is_demo", False)
        r.setdefault("status", "ok")
        r.setdefault("evaluation_count", 1)
        r.setdefault("first_load_run_id", 1)
        r.setdefault("last_load_run_id", 1)
    elif table == "metric":
        r.setdefault("unit", METRIC_UNITS[r["metric"]])
        r.setdefault("raw", str(r["value"]))
        r.setdefault("line", 1)
        r.setdefault("is_demo", False)
    elif table in ("indicator", "satisfaction", "finding", "quality_flag"):
        no = {"indicator": "indicator_no", "satisfaction": "satisfaction_no", "finding": "finding_no",
              "quality_flag": "flag_no"}[table]
        key = f"{table}:{r['evaluation_id']}"
        if no not in r:
            r[no] = counters.get(key, 0)
        counters[key] = r[no] + 1
        r.setdefault("is_demo", False)
        if table == "indicator":
            r.setdefault("source_table", "score")
            r.setdefault("level", 3)
        elif table == "finding":
            r.setdefault("kind", "problem")
            r.setdefault("text", "问题")
        elif table == "quality_flag":
            r.setdefault("code", "sum_mismatch")
            r.setdefault("severity", "warning")
            r.setdefault("message", "说明")
    elif table == "region":
        code = r["admin_code"]
        r.setdefault("level", "province" if code.endswith("0000") else "city" if code.endswith("00") else "county")
    return r


def _derive(tables: dict[str, list[dict[str, Any]]]) -> None:
    """What the loader writes along with the record: indicator.is_leaf / weight_shared, the
    dimension_score rows (warehouse.load.indicator_structure) and the evaluation counts."""
    by_eval: dict[int, list[dict[str, Any]]] = {}
    for r in sorted(tables.get("indicator", []), key=lambda r: (r["evaluation_id"], r["indicator_no"])):
        by_eval.setdefault(r["evaluation_id"], []).append(r)
    dims = []
    for eid, rows in by_eval.items():
        dec = lambda v: None if v is None else Decimal(str(v))  # noqa: E731
        leaf, shared, sums = load.indicator_structure(
            [(r["source_table"], r["level"], r.get("level1"), r.get("level2"), r.get("dimension"),
              dec(r.get("weight")), dec(r.get("score"))) for r in rows])
        for r, lf, sh in zip(rows, leaf, shared):
            r.setdefault("is_leaf", lf)
            r.setdefault("weight_shared", sh)
        is_demo = rows[0]["is_demo"]
        dims += [{"evaluation_id": eid, "dimension": d, "indicator_count": n, "weight": w, "score": sc,
                  "is_demo": is_demo} for d, n, w, sc in sums]
    tables.setdefault("dimension_score", dims)
    for e in tables.get("evaluation", []):
        eid = e["evaluation_id"]
        mine = {t: [r for r in tables.get(t, []) if r["evaluation_id"] == eid]
                for t in ("metric", "indicator", "satisfaction", "finding", "quality_flag")}
        e.setdefault("metric_count", len(mine["metric"]))
        e.setdefault("indicator_count", len(mine["indicator"]))
        e.setdefault("satisfaction_count", len(mine["satisfaction"]))
        e.setdefault("finding_count", len(mine["finding"]))
        e.setdefault("flag_count", len(mine["quality_flag"]))
        e.setdefault("error_flag_count", sum(1 for q in mine["quality_flag"] if q["severity"] == "error"))


def insert_rows(con: duckdb.DuckDBPyConnection, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Insert dict rows, filling unneeded NOT NULL columns and what the loader derives;
    evaluations get their source file and unit rows made up when the test does not give them.
    Ends as a load does: the summary tables (mv_*) are rebuilt from the rows."""
    counters: dict[str, int] = {}
    tables = {t: [_defaults(t, r, counters) for r in rows] for t, rows in tables.items()}
    _derive(tables)
    evals = tables.get("evaluation", [])
    have_units = {r["unit_id"] for r in tables.get("unit", [])}
    units = list(tables.get("unit", []))
    for e in evals:
        if e["unit_id"] not in have_units:
            have_units.add(e["unit_id"])
            units.append(_defaults("unit", {"unit_id": e["unit_id"], "is_demo": e["is_demo"]}, counters))
    have_files = {r["sha256"] for r in tables.get("source_file", [])}
    files = list(tables.get("source_file", []))
    for e in evals:
        if e["sha256"] not in have_files:
            have_files.add(e["sha256"])
            files.append(_defaults("source_file", {"sha256": e["sha256"], "file_id": e["file_id"],
                                                   "is_demo": e["is_demo"]}, counters))
    tables["unit"], tables["source_file"] = units, files
    for table, rows in tables.items():
        for r in rows:
            cols = ", ".join(f'"{c}"' for c in r)
            marks = ", ".join("?" for _ in r)
            con.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(r.values()))
    load.finish_load(con)  # the summary tables the views read, as every load ends


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    """Rows as dicts; DECIMAL values become floats (written the same way in expected rows)."""
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [
        {n: float(v) if isinstance(v, Decimal) else v for n, v in zip(names, row)}
        for row in cur.fetchall()
    ]
