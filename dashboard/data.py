"""Data access: the only dashboard module that talks to DuckDB.

One read-only connection per warehouse file version (`st.cache_resource`), reopened when a load
swaps a new file in (warehouse.connect.version changes); query results are cached
(`st.cache_data`) under the filters *and* that version, so new reports appear on every page at
the next rerun without a restart. Functions return pandas frames with the views' column names
(or small dicts of counts); pages turn them into labels and charts.

Nothing here brings a whole national view into Python: charts get aggregates computed in DuckDB
(counts per bin, quantiles per group, the top and bottom N), and a detail table gets its first
TABLE_ROWS rows with the number that matched (`Rows`); its CSV download runs the full query when
clicked (`all_rows`), a chunk at a time. Cached results are small and every cache is bounded.

Queries read the views in sql/. Where a page needs something no view gives, the query is here
and says so ("view gap"): the bands used to colour the peer ranking, the evaluation picker of the
report page, and the per-file context of the report page. The views that compare across the
whole warehouse read summary tables built at load time (sql/materialize/), so a query under
a filter reads the rows of the filter, not the country.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
import pandas as pd
import streamlit as st

from warehouse import connect, registry
from warehouse.safe import SCOPE_RE, scope_selects

UPLOAD_DIR_ENV = "UPLOAD_DIR"  # where uploaded reports are kept; data/uploads by default
CHOICE_LIMIT = 5000  # evaluations offered by the report picker; narrower filters find the rest


@dataclass(frozen=True)
class Filters:
    """The shared filters (dashboard/filters.py draws them and keeps them in the URL)."""

    year_from: int | None = None
    year_to: int | None = None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    report_kind: str | None = None
    evaluation_mode: str | None = None
    include_demo: bool = True

    def where(self, alias: str = "", skip: Sequence[str] = ()) -> tuple[str, list[Any]]:
        """A SQL condition on the common view columns (fiscal_year, province, city, county,
        report_kind, evaluation_mode, is_demo) and its parameters."""
        p = f"{alias}." if alias else ""
        conds: list[str] = []
        params: list[Any] = []
        if self.year_from is not None and "year" not in skip:
            conds.append(f"{p}fiscal_year >= ?")
            params.append(self.year_from)
        if self.year_to is not None and "year" not in skip:
            conds.append(f"{p}fiscal_year <= ?")
            params.append(self.year_to)
        for col in ("province", "city", "county", "report_kind", "evaluation_mode"):
            value = getattr(self, col)
            if value is not None and col not in skip:
                conds.append(f"{p}{col} = ?")
                params.append(value)
        if not self.include_demo and "demo" not in skip:
            conds.append(f"NOT {p}is_demo")
        return (" AND ".join(conds) or "TRUE"), params

    def query_params(self) -> dict[str, Any]:
        """The URL query parameters that reopen these filters, as the widgets of filters.py write
        them (a bound selectbox writes the label it shows: kind=项目, mode=自评)."""
        from dashboard.format import kind_label, mode_label

        out: dict[str, Any] = {}
        if self.year_from is not None and self.year_to is not None:
            out["year"] = [str(self.year_from), str(self.year_to)]
        for key, value in (("province", self.province), ("city", self.city), ("county", self.county),
                           ("kind", self.report_kind and kind_label(self.report_kind)),
                           ("mode", self.evaluation_mode and mode_label(self.evaluation_mode))):
            if value is not None:
                out[key] = value
        out["demo"] = "true" if self.include_demo else "false"
        return out


def link(page_url_path: str, filters: Filters | None = None, **params: Any) -> str:
    """A relative URL to a page with the filters and extra parameters, e.g. report?evaluation_id=2."""
    query = dict(filters.query_params()) if filters else {}
    query.update({k: v for k, v in params.items() if v is not None})
    return f"./{page_url_path}?{urlencode(query, doseq=True)}" if query else f"./{page_url_path}"


# ---------------------------------------------------------------------------------------------
# The connection


def warehouse_path() -> Path:
    return connect.default_path()


def _version_key() -> tuple[str, Any, str]:
    """(path, version, scope): the warehouse file now and the current user's region scope
    (dashboard.auth; '' = national). Every cached query is keyed by it, and `_cursor` applies
    the scope, so no two scopes share a cached result and no query runs unscoped."""
    from dashboard import auth

    path = warehouse_path()
    return str(path.resolve()), connect.version(path), auth.current_scope()


def _close(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except duckdb.Error:
        pass


@st.cache_resource(max_entries=2, on_release=_close, show_spinner=False)
def _connection(path: str, version: Any) -> duckdb.DuckDBPyConnection:
    """The read-only connection to one version of the file; a new version gets a new one."""
    return connect.read_only(path)


_scope_lock = threading.Lock()


def _scope_schema(con: duckdb.DuckDBPyConnection, scope: str) -> str:
    """The schema of the connection's in-memory catalog that holds, for a region scope, one view
    per warehouse table and view with the same name, returning only the rows within the scope
    (warehouse.safe.scope_selects: `admin_code LIKE 'scope%'`, or through the evaluation's unit).
    Made once per connection and scope."""
    if not SCOPE_RE.fullmatch(scope):
        raise ValueError(f"not a region scope: {scope!r}")
    schema = f"scope_{scope}"
    with _scope_lock:
        cur = con.cursor()
        try:
            exists = cur.execute("SELECT count(*) FROM duckdb_schemas() WHERE database_name = 'memory' "
                                 "AND schema_name = ?", [schema]).fetchone()[0]
            if not exists:
                selects = scope_selects(cur, scope, connect.CATALOG)
                cur.execute("BEGIN")
                cur.execute(f"CREATE SCHEMA memory.{schema}")
                for name, select in selects.items():
                    cur.execute(f'CREATE VIEW memory.{schema}."{name}" AS {select}')
                cur.execute("COMMIT")
        finally:
            cur.close()
    return schema


def _cursor(key: tuple[str, Any, str]) -> duckdb.DuckDBPyConnection:
    """A cursor for one query under the key's scope: the single place the region scope is applied
    to the dashboard's queries. National: the attached warehouse; a scope: the schema of scoped
    views with the warehouse's names (an object without a scoped view does not resolve)."""
    path, version, scope = key
    if version is None:
        raise connect.WarehouseMissing(path)
    # A cursor per query: Streamlit serves sessions from several threads. A cursor starts in the
    # connection's in-memory catalog, so it is pointed at the attached warehouse (or the scope) first.
    con = _connection(path, version)
    cur = con.cursor()
    if scope:
        cur.execute(f"USE memory.{_scope_schema(con, scope)}")
    else:
        cur.execute(f"USE {connect.CATALOG}")
    return cur


def _log_query(sql: str, params: Sequence[Any]) -> None:
    """The benchmark (bench/pages_worker.py) times every query a page issues: when
    BENCH_QUERY_LOG names a file, each statement is appended to it with the page running."""
    log = os.environ.get("BENCH_QUERY_LOG")
    if log:
        import json

        with open(log, "a", encoding="utf-8") as f:
            f.write(json.dumps({"page": os.environ.get("BENCH_PAGE"), "sql": sql, "params": list(params)},
                               ensure_ascii=False, default=str) + "\n")


def _df(key: tuple[str, Any, str], sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    _log_query(sql, params)
    cur = _cursor(key)
    try:
        return cur.execute(sql, list(params)).df()
    finally:
        cur.close()


def _rows(key: tuple[str, Any, str], sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    _log_query(sql, params)
    cur = _cursor(key)
    try:
        return cur.execute(sql, list(params)).fetchall()
    finally:
        cur.close()


# ---------------------------------------------------------------------------------------------
# Status of the warehouse (guards every page)


@dataclass(frozen=True)
class WarehouseStatus:
    path: str
    state: str  # missing | unreadable | empty | ok
    message: str = ""
    real_evaluations: int = 0
    demo_evaluations: int = 0
    version: Any = None

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    @property
    def demo_only(self) -> bool:
        return self.real_evaluations == 0 and self.demo_evaluations > 0


def status() -> WarehouseStatus:
    return _status(_version_key())


@st.cache_data(show_spinner=False, max_entries=16)
def _status(key: tuple[str, Any, str]) -> WarehouseStatus:
    path, version, _scope = key
    if version is None:
        return WarehouseStatus(path, "missing", "数据仓库文件不存在", version=version)
    try:
        (real, demo), = _rows(key,
                              "SELECT count(*) FILTER (WHERE NOT is_demo), count(*) FILTER (WHERE is_demo) FROM v_evaluation")
    except duckdb.CatalogException:
        return WarehouseStatus(path, "empty", "数据仓库尚未建立表结构", version=version)
    except (duckdb.Error, OSError) as e:
        return WarehouseStatus(path, "unreadable", f"无法读取数据仓库：{e}", version=version)
    if real + demo == 0:
        return WarehouseStatus(path, "empty", "数据仓库中还没有评价（或您的地区范围内没有）" if _scope
                               else "数据仓库中还没有评价", version=version)
    return WarehouseStatus(path, "ok", "", int(real), int(demo), version)


# ---------------------------------------------------------------------------------------------
# Filter options


@dataclass(frozen=True)
class FilterOptions:
    years: tuple[int, ...]
    regions: pd.DataFrame  # province, city, county (distinct)
    report_kinds: tuple[str, ...]
    evaluation_modes: tuple[str, ...]


def filter_options(include_demo: bool) -> FilterOptions:
    return _filter_options(_version_key(), include_demo)


@st.cache_data(show_spinner=False, max_entries=16)
def _filter_options(key: tuple[str, Any, str], include_demo: bool) -> FilterOptions:
    demo = "TRUE" if include_demo else "NOT is_demo"
    years = tuple(int(y) for (y,) in _rows(
        key, f"SELECT DISTINCT fiscal_year FROM v_evaluation WHERE fiscal_year IS NOT NULL AND {demo} ORDER BY 1"))
    regions = _df(key, f"SELECT DISTINCT province, city, county FROM v_evaluation WHERE {demo} ORDER BY ALL")
    kinds = tuple(k for (k,) in _rows(key, f"SELECT DISTINCT report_kind FROM v_evaluation WHERE {demo} ORDER BY 1") if k)
    modes = tuple(m for (m,) in _rows(key, f"SELECT DISTINCT evaluation_mode FROM v_evaluation WHERE {demo} ORDER BY 1")
                  if m)
    return FilterOptions(years, regions, kinds, modes)


# ---------------------------------------------------------------------------------------------
# Capped reads: a page shows the first rows of a detail table, says how many matched, and
# offers every row as a download; charts get aggregates, never one mark per row of the country.


TABLE_ROWS = 500  # rows a detail table shows; its CSV download holds every row that matched


@dataclass(frozen=True)
class Rows:
    """The first rows of a query in the order the page lists them, how many rows matched, and
    the query (with its parameters) that returns every one of them in the same order."""

    frame: pd.DataFrame
    total: int
    sql: str
    params: tuple

    @property
    def capped(self) -> bool:
        return self.total > len(self.frame)


_VIEWS = {
    "v_evaluation", "v_budget_execution", "v_procurement_execution", "v_three_public", "v_satisfaction",
    "v_dimension_scores", "v_indicator_losses", "v_unit_trend", "v_self_vs_external", "v_findings",
    "v_quality_flags", "v_alerts", "v_peer_rank", "v_final_accounts",
}

# v_evaluation also holds documents that are not evaluations (a 决算 disclosure …): every score,
# grade or count of evaluations read from it keeps only these (the comparison views do so already).
EVALUATIONS_ONLY = "document_kind = 'evaluation'"


# The integer column that names a row's evaluation in each view (every view has evaluation_id but
# the pairs of self and external evaluation).
_ROW_KEY = {"v_self_vs_external": "self_evaluation_id"}


def _bind(params: Sequence[Any]) -> list[Any]:
    """Cache keys need hashable arguments, so list parameters travel as tuples; DuckDB binds lists."""
    return [list(p) if isinstance(p, tuple) else p for p in params]


def _filtered(name: str, f: Filters, where: str, params: Sequence[Any], skip: Sequence[str]) -> tuple[str, list]:
    if name not in _VIEWS:
        raise ValueError(f"not a filterable view: {name}")
    common, common_params = f.where(skip=skip)
    return f"{name} WHERE {common} AND ({where})", [*common_params, *params]


@st.cache_data(show_spinner=False, max_entries=256)
def _view_rows(key: tuple[str, Any, str], name: str, f: Filters, columns: tuple[str, ...], order_by: str, limit: int,
               where: str = "TRUE", params: tuple = (), skip: tuple[str, ...] = (), count: bool = True) -> Rows:
    """The first `limit` rows of a filterable view and how many matched (when `count`).

    In two steps, because a top-N sort carries every selected column of every row through the
    sort, and the text columns of the whole country are what makes it slow: first the evaluation
    ids of the first rows (a narrow sort), then those evaluations' rows, sorted and cut again.
    That is the same answer: every row of the first `limit` belongs to one of those evaluations,
    and any other row of theirs ranks after the first `limit` anyway."""
    source, bound = _filtered(name, f, where, params, skip)
    sql = f"SELECT {', '.join(columns)} FROM {source} ORDER BY {order_by}"
    ids = {int(i) for (i,) in _rows(key, f"SELECT {_ROW_KEY.get(name, 'evaluation_id')} FROM {source} "
                                         f"ORDER BY {order_by} LIMIT {int(limit)}", _bind(bound))}
    chosen = f"{_ROW_KEY.get(name, 'evaluation_id')} IN ({', '.join(map(str, sorted(ids)))})" if ids else "FALSE"
    frame = _df(key, f"SELECT {', '.join(columns)} FROM {source} AND {chosen} ORDER BY {order_by} LIMIT {int(limit)}",
                _bind(bound))
    total = _rows(key, f"SELECT count(*) FROM {source}", _bind(bound))[0][0] if count else len(frame)
    return Rows(frame, int(total), sql, tuple(tuple(p) if isinstance(p, list) else p for p in bound))


def view_rows(name: str, f: Filters, columns: Sequence[str], order_by: str, limit: int = TABLE_ROWS,
              where: str = "TRUE", params: Sequence[Any] = (), skip: Sequence[str] = (), count: bool = True) -> Rows:
    """The first `limit` rows of a filterable view in `order_by` order (only `columns`), and how
    many rows matched (without `count`, the total is the rows returned)."""
    return _view_rows(_version_key(), name, f, tuple(columns), order_by, limit, where,
                      tuple(tuple(p) if isinstance(p, list) else p for p in params), tuple(skip), count)


@st.cache_data(show_spinner=False, max_entries=256)
def _view_agg(key: tuple[str, Any, str], name: str, f: Filters, select: str, group_by: str = "", order_by: str = "",
              where: str = "TRUE", params: tuple = (), skip: tuple[str, ...] = (), qualify: str = "",
              limit: int | None = None) -> pd.DataFrame:
    """An aggregate over a filterable view: one row, one row per group, or the rows a window keeps."""
    source, bound = _filtered(name, f, where, params, skip)
    sql = f"SELECT {select} FROM {source}"
    if group_by:
        sql += f" GROUP BY {group_by}"
    if qualify:
        sql += f" QUALIFY {qualify}"
    if order_by:
        sql += f" ORDER BY {order_by}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _df(key, sql, _bind(bound))


def _agg(name: str, f: Filters, select: str, group_by: str = "", order_by: str = "", where: str = "TRUE",
         params: Sequence[Any] = (), skip: Sequence[str] = (), qualify: str = "", limit: int | None = None
         ) -> pd.DataFrame:
    return _view_agg(_version_key(), name, f, select, group_by, order_by, where,
                     tuple(tuple(p) if isinstance(p, list) else p for p in params), tuple(skip), qualify, limit)


def _one(name: str, f: Filters, select: str, where: str = "TRUE", params: Sequence[Any] = ()) -> dict[str, Any]:
    """A one-row aggregate as a dict (column name -> value, each with its column's type)."""
    df = _agg(name, f, select, where=where, params=params)
    return {c: df[c].iloc[0] for c in df.columns}


def all_rows(rows: Rows, chunk_rows: int = 32_768) -> Iterator[pd.DataFrame]:
    """Every row behind a capped table, in the table's order, a chunk at a time: the CSV download
    runs this when clicked, so the whole result never sits in memory as one frame."""
    cur = _cursor(_version_key())
    try:
        result = cur.execute(rows.sql, _bind(rows.params))
        while True:
            chunk = result.fetch_df_chunk(max(1, chunk_rows // 2048))
            if chunk.empty:
                return
            yield chunk
    finally:
        cur.close()


SPREAD_SELECT = """count(*) AS n, min(value) AS min, quantile_cont(value, 0.25) AS q1,
    quantile_cont(value, 0.5) AS median, quantile_cont(value, 0.75) AS q3, max(value) AS max"""


# ---------------------------------------------------------------------------------------------
# 总览


def overview_counts(f: Filters) -> dict[str, int]:
    return _overview_counts(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _overview_counts(key: tuple[str, Any, str], f: Filters) -> dict[str, int]:
    where, params = f.where()
    (reports, units, regions, years, demo, scored, other), = _rows(
        key,
        f"""
        SELECT count(*) FILTER (WHERE {EVALUATIONS_ONLY}),
               count(DISTINCT unit_id) FILTER (WHERE {EVALUATIONS_ONLY}),
               count(DISTINCT coalesce(admin_code, county, unit_name)) FILTER (WHERE {EVALUATIONS_ONLY}),
               count(DISTINCT fiscal_year) FILTER (WHERE {EVALUATIONS_ONLY}),
               count(*) FILTER (WHERE is_demo AND {EVALUATIONS_ONLY}),
               count(total_score) FILTER (WHERE {EVALUATIONS_ONLY}),
               count(*) FILTER (WHERE NOT {EVALUATIONS_ONLY})
        FROM v_evaluation WHERE {where}
        """,
        params,
    )
    return {"reports": reports, "units": units, "regions": regions, "years": years, "demo": demo, "scored": scored,
            "other_documents": other}


EVALUATION_COLUMNS = ("evaluation_id", "fiscal_year", "province", "city", "county", "unit_name", "report_kind",
                      "project_name", "evaluation_mode", "total_score", "grade", "is_demo")


def evaluations(f: Filters) -> Rows:
    """v_evaluation rows (current evaluations, not other documents) under the filters, newest year first."""
    return view_rows("v_evaluation", f, EVALUATION_COLUMNS,
                     "fiscal_year DESC, province, city, county, unit_name, evaluation_id", where=EVALUATIONS_ONLY)


def grade_counts(f: Filters) -> pd.DataFrame:
    return _agg("v_evaluation", f, "grade, count(*) AS count", group_by="grade", order_by="grade",
                where=EVALUATIONS_ONLY)


SCORE_BIN = 5  # points per bar of the score histogram; 100 falls in the top bar (95–100)


def score_bins(f: Filters) -> pd.DataFrame:
    """Reports per SCORE_BIN-point bin of the total score: left (the bin's lower edge), count.
    A score of 100 (or above) counts in the 95–100 bin."""
    return _agg("v_evaluation", f, f"least(floor(total_score / {SCORE_BIN}) * {SCORE_BIN}, {100 - SCORE_BIN}) "
                f"AS left, count(*) AS count", group_by="1", order_by="1",
                where=f"total_score IS NOT NULL AND {EVALUATIONS_ONLY}")


ALERT_COLUMNS = (
    "evaluation_id", "unit_id", "fiscal_year", "province", "city", "county", "unit_name", "report_kind",
    "project_name", "evaluation_mode", "is_demo", "document_kind", "alert_code", "alert_order", "value",
    "other_value", "note", "field", "line", "gap", "money_yuan", "severity")
# Most severe first (severity: how far from the line × how much money, sql/materialize/150_mv_alerts.sql);
# error flags, which have no severity, last.
ALERT_ORDER = ("severity DESC NULLS LAST, alert_order, fiscal_year DESC, province, city, unit_name, evaluation_id, "
               "line")


def alerts(f: Filters) -> Rows:
    """v_alerts rows under the filters (the alert rules live in sql/materialize/150_mv_alerts.sql,
    computed once per load): one row per alert: evaluation, unit, alert code, value, previous value,
    the respondent group or flag message, the figure (field) and its source line, the gap from the
    line, the money involved and the severity; most severe first, error flags last."""
    return view_rows("v_alerts", f, ALERT_COLUMNS, ALERT_ORDER)


# ---------------------------------------------------------------------------------------------
# 总览 as a cockpit (dashboard/cockpit.py words it): the state of the scope per year, and the alerts
# of a year ranked by severity and grouped by unit. Every count is computed in DuckDB; only one
# row per year and the alerts of the units shown come into Python.


def state_by_year(f: Filters) -> pd.DataFrame:
    """Per fiscal year under the filters, of the evaluations: reports, units, scored, median_score,
    grade_mid (中), grade_poor (差), and the units that state each figure (with_budget,
    with_procurement, with_satisfaction; money from documents of any kind, as the alerts count it)."""
    return _agg("v_evaluation", f, f"""fiscal_year, count(*) FILTER (WHERE {EVALUATIONS_ONLY}) AS reports,
        count(DISTINCT unit_id) FILTER (WHERE {EVALUATIONS_ONLY}) AS units,
        count(total_score) FILTER (WHERE {EVALUATIONS_ONLY}) AS scored,
        quantile_cont(total_score, 0.5) FILTER (WHERE {EVALUATIONS_ONLY}) AS median_score,
        count(*) FILTER (WHERE grade = '中' AND {EVALUATIONS_ONLY}) AS grade_mid,
        count(*) FILTER (WHERE grade = '差' AND {EVALUATIONS_ONLY}) AS grade_poor,
        count(DISTINCT unit_id) FILTER (WHERE budget_exec_pct IS NOT NULL) AS with_budget,
        count(DISTINCT unit_id) FILTER (WHERE procurement_exec_pct IS NOT NULL) AS with_procurement,
        count(DISTINCT unit_id) FILTER (WHERE satisfaction_pct IS NOT NULL AND {EVALUATIONS_ONLY})
            AS with_satisfaction""",
                group_by="fiscal_year", order_by="fiscal_year", where="fiscal_year IS NOT NULL")


def alert_state_by_year(f: Filters) -> pd.DataFrame:
    """Per fiscal year under the filters, from v_alerts: the units with a budget alert (overspent
    or below 90%), a procurement alert (below 80%), a satisfaction figure below 90%, a score drop;
    alerts (error flags apart), alerted_units, error_flags and error_reports."""
    return _agg("v_alerts", f, """fiscal_year,
        count(DISTINCT unit_id) FILTER (WHERE alert_code IN ('overspend', 'budget_under_90')) AS budget_units,
        count(DISTINCT unit_id) FILTER (WHERE alert_code = 'overspend') AS overspend_units,
        count(DISTINCT unit_id) FILTER (WHERE alert_code = 'budget_under_90') AS under_90_units,
        count(DISTINCT unit_id) FILTER (WHERE alert_code = 'procurement_under_80') AS procurement_units,
        count(DISTINCT unit_id) FILTER (WHERE alert_code = 'satisfaction_under_90') AS satisfaction_units,
        count(DISTINCT unit_id) FILTER (WHERE alert_code = 'score_drop') AS score_drop_units,
        count(*) FILTER (WHERE alert_code <> 'error_flag') AS alerts,
        count(DISTINCT unit_id) FILTER (WHERE alert_code <> 'error_flag') AS alerted_units,
        count(*) FILTER (WHERE alert_code = 'error_flag') AS error_flags,
        count(DISTINCT evaluation_id) FILTER (WHERE alert_code = 'error_flag') AS error_reports""",
                group_by="fiscal_year", order_by="fiscal_year", where="fiscal_year IS NOT NULL")


@dataclass(frozen=True)
class AlertUnits:
    """The units with the most severe alerts and their alerts (error flags apart)."""

    frame: pd.DataFrame  # ALERT_COLUMNS + unit_severity, unit_alerts, unit_money_yuan, unit_rank
    units: int  # units with an alert under the filters
    alerts: int  # alerts under the filters


def alert_units(f: Filters, n_units: int, per_unit: int) -> AlertUnits:
    """The `n_units` units whose most severe alert is the most severe (error flags apart: they are
    listed on their own), each with its `per_unit` most severe alerts, most severe unit first; with
    unit_severity (its most severe alert), unit_alerts (all its alerts), unit_money_yuan (their
    money) and unit_rank (1 = the most severe unit)."""
    return _alert_units(_version_key(), f, int(n_units), int(per_unit))


@st.cache_data(show_spinner=False, max_entries=64)
def _alert_units(key: tuple[str, Any, str], f: Filters, n_units: int, per_unit: int) -> AlertUnits:
    where, params = f.where()
    source = f"(SELECT * FROM v_alerts WHERE {where} AND alert_code <> 'error_flag')"
    frame = _df(key, f"""
        WITH a AS {source},
        units AS (
            SELECT unit_id, max(severity) AS unit_severity, count(*) AS unit_alerts, sum(money_yuan) AS unit_money_yuan
            FROM a GROUP BY unit_id
            ORDER BY unit_severity DESC NULLS LAST, unit_alerts DESC, unit_id LIMIT {n_units}
        )
        SELECT {', '.join('a.' + c for c in ALERT_COLUMNS)}, u.unit_severity, u.unit_alerts, u.unit_money_yuan,
               dense_rank() OVER (ORDER BY u.unit_severity DESC NULLS LAST, u.unit_alerts DESC, u.unit_id) AS unit_rank
        FROM a JOIN units AS u USING (unit_id)
        QUALIFY row_number() OVER (PARTITION BY a.unit_id ORDER BY a.severity DESC NULLS LAST, a.alert_order,
                                   a.evaluation_id, a.line) <= {per_unit}
        ORDER BY unit_rank, a.severity DESC NULLS LAST, a.alert_order, a.evaluation_id, a.line
    """, params)
    (units, alerts), = _rows(key, f"SELECT count(DISTINCT unit_id), count(*) FROM {source}", params)
    return AlertUnits(frame, int(units), int(alerts))


def error_alerts(f: Filters, n: int) -> Rows:
    """The error-level quality flags under the filters (v_alerts, alert_code error_flag), newest
    year first: the block of data-quality errors on the overview."""
    return view_rows("v_alerts", f, ALERT_COLUMNS, "fiscal_year DESC, province, city, unit_name, evaluation_id, line",
                     n, "alert_code = 'error_flag'")


# ---------------------------------------------------------------------------------------------
# 地区对比: v_peer_rank of one metric and year (ranked among all peers at load time, whatever the
# filters), with the band each value falls in: the grade of a total score, the execution band of
# v_budget_execution / v_procurement_execution, above or within the three-public budget,
# satisfaction below or at least 90%. The bands are functions of the value, so no view is joined.

_BAND = """CASE metric
    WHEN 'total_score' THEN CASE WHEN value >= 90 THEN '优' WHEN value >= 80 THEN '良'
                                 WHEN value >= 60 THEN '中' ELSE '差' END
    WHEN 'budget_exec_pct' THEN CASE WHEN round(value, 2) > 100 THEN '>100' WHEN round(value, 2) = 100 THEN '100'
                                     WHEN value >= 90 THEN '90-100' WHEN value >= 80 THEN '80-90' ELSE '<80' END
    WHEN 'procurement_exec_pct' THEN CASE WHEN value >= 100 THEN '>=100' WHEN value >= 90 THEN '90-100'
                                          WHEN value >= 80 THEN '80-90' ELSE '<80' END
    WHEN 'three_public_control_pct' THEN CASE WHEN value > 100 THEN '>100' ELSE '100' END
    WHEN 'satisfaction_pct' THEN CASE WHEN value < 90 THEN '<90' ELSE '≥90' END
END"""
_PEERS = "metric = ? AND fiscal_year = ? AND value IS NOT NULL"
PEER_COLUMNS = (
    "evaluation_id", "unit_name", "province", "city", "county", "report_kind", "project_name", "evaluation_mode",
    "value", "rank_in_city", "peers_in_city", "percentile_in_city", "rank_in_province", "peers_in_province",
    "percentile_in_province", "rank_national", "peers_national", "percentile_national", "median_national", "is_demo")


def peer_rank_groups(f: Filters, metric: str, year: int) -> pd.DataFrame:
    """Per report kind, the reports ranked and their median: report_kind, n, median."""
    return _agg("v_peer_rank", f, "report_kind, count(*) AS n, quantile_cont(value, 0.5) AS median",
                group_by="report_kind", order_by="report_kind NULLS LAST", where=_PEERS, params=(metric, year),
                skip=("year",))


def peer_rank_ends(f: Filters, metric: str, year: int, each_end: int) -> pd.DataFrame:
    """Per report kind, the `each_end` highest and lowest values (all of them when there are
    fewer than twice that), highest first, with their band."""
    return _agg("v_peer_rank", f, f"*, {_BAND} AS band", where=_PEERS, params=(metric, year), skip=("year",),
                qualify=f"""
                    row_number() OVER (PARTITION BY report_kind ORDER BY value DESC, evaluation_id) <= {each_end}
                    OR row_number() OVER (PARTITION BY report_kind ORDER BY value, evaluation_id) <= {each_end}""",
                order_by="report_kind NULLS LAST, value DESC, evaluation_id")


def peer_rank_spread(f: Filters, metric: str, year: int, by: str) -> pd.DataFrame:
    """The spread of the values per province or city (`by`): group, n, min, q1, median, q3, max."""
    if by not in ("province", "city"):
        raise ValueError(by)
    return _agg("v_peer_rank", f, f"coalesce({by}, '未知') AS group, {SPREAD_SELECT}", group_by="1", order_by="1",
                where=_PEERS, params=(metric, year), skip=("year",))


def peer_ranks(f: Filters, metric: str, year: int) -> Rows:
    """The ranking table: v_peer_rank rows of the metric and year, highest value first."""
    return view_rows("v_peer_rank", f, PEER_COLUMNS, "value DESC, evaluation_id", where=_PEERS,
                     params=(metric, year), skip=("year",))


# ---------------------------------------------------------------------------------------------
# 年度趋势

SERIES_LIMIT = 2000  # series offered by the unit picker; narrower filters find the rest
_SERIES = ("unit_id", "report_kind", "project_name", "evaluation_mode", "is_demo")
TREND_COLUMNS = (
    "evaluation_id", "unit_id", "unit_name", "province", "city", "report_kind", "project_name", "evaluation_mode",
    "fiscal_year", "total_score", "previous_total_score", "total_score_change", "budget_exec_pct",
    "budget_exec_pct_change", "procurement_exec_pct", "procurement_exec_pct_change", "satisfaction_pct",
    "satisfaction_pct_change", "is_demo")
TREND_METRICS = ("total_score", "budget_exec_pct", "procurement_exec_pct", "satisfaction_pct")


def trend_series(f: Filters) -> Rows:
    """The series of v_unit_trend under the filters (one per unit, subject and evaluation mode),
    those with the most years first: unit_id, unit_name, province, city, report_kind,
    project_name, evaluation_mode, is_demo, years; at most SERIES_LIMIT, with the total."""
    return _trend_series(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=32)
def _trend_series(key: tuple[str, Any, str], f: Filters) -> Rows:
    where, params = f.where()
    source = f"""(SELECT unit_id, any_value(unit_name) AS unit_name, any_value(province) AS province,
                         any_value(city) AS city, report_kind, project_name, evaluation_mode, is_demo,
                         count(*) AS years  -- the view has one row per series and year
                  FROM v_unit_trend WHERE {where} GROUP BY ALL)"""
    sql = (f"SELECT * FROM {source} ORDER BY years DESC, unit_name, unit_id, report_kind, project_name NULLS FIRST, "
           "evaluation_mode, is_demo")
    (total,), = _rows(key, f"SELECT count(*) FROM {source}", params)
    return Rows(_df(key, f"{sql} LIMIT {SERIES_LIMIT}", params), int(total), sql, tuple(params))


def trend_of(f: Filters, series: Sequence[tuple]) -> pd.DataFrame:
    """v_unit_trend rows (TREND_COLUMNS) of the chosen series under the filters, each a tuple
    (unit_id, report_kind, project_name, evaluation_mode, is_demo) as trend_series gives them."""
    if not series:
        return pd.DataFrame(columns=TREND_COLUMNS)
    one = "(" + " AND ".join(f"{c} IS NOT DISTINCT FROM ?" for c in _SERIES) + ")"
    params = [None if pd.isna(v) else v for s in series for v in s]
    return view_rows("v_unit_trend", f, TREND_COLUMNS, "unit_name, unit_id, fiscal_year, evaluation_id",
                     limit=len(series) * 50, where=" OR ".join([one] * len(series)), params=params, count=False).frame


def trend_changes(f: Filters, metric: str, n: int) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The n largest rises and the n largest falls of `metric` from the previous year, and how
    many evaluations have a change at all."""
    if metric not in TREND_METRICS:
        raise ValueError(metric)
    change = f"{metric}_change"
    rises = view_rows("v_unit_trend", f, TREND_COLUMNS, f"{change} DESC, evaluation_id", n, f"{change} IS NOT NULL")
    falls = view_rows("v_unit_trend", f, TREND_COLUMNS, f"{change}, evaluation_id", n, f"{change} IS NOT NULL",
                      count=False)
    return rises.frame, falls.frame, rises.total


def trend_median(f: Filters) -> pd.DataFrame:
    """Per fiscal year under the filters, the median of each trend metric over the evaluations of
    the scope (the regional median the trend charts draw first): fiscal_year, total_score,
    budget_exec_pct, procurement_exec_pct, satisfaction_pct, and n_<metric> (how many)."""
    select = ", ".join(f"quantile_cont({m}, 0.5) AS {m}, count({m}) AS n_{m}" for m in TREND_METRICS)
    return _agg("v_unit_trend", f, f"fiscal_year, {select}", group_by="fiscal_year", order_by="fiscal_year",
                where="fiscal_year IS NOT NULL")


def trend_decliners(f: Filters, n: int) -> pd.DataFrame:
    """The n series whose total score fell the most from the previous year, in the latest year under
    the filters that has such a fall: unit_id, unit_name, province, city, report_kind, project_name,
    evaluation_mode, is_demo, fiscal_year, total_score_change (most negative first). Empty when no
    series fell."""
    return _trend_decliners(_version_key(), f, int(n))


@st.cache_data(show_spinner=False, max_entries=32)
def _trend_decliners(key: tuple[str, Any, str], f: Filters, n: int) -> pd.DataFrame:
    where, params = f.where()
    return _df(key, f"""
        WITH t AS (SELECT * FROM v_unit_trend WHERE {where} AND total_score_change < 0)
        SELECT unit_id, unit_name, province, city, report_kind, project_name, evaluation_mode, is_demo, fiscal_year,
               total_score_change
        FROM t WHERE fiscal_year = (SELECT max(fiscal_year) FROM t)
        ORDER BY total_score_change, unit_name, unit_id, evaluation_id LIMIT {n}
    """, params)


# ---------------------------------------------------------------------------------------------
# 预算与采购执行

POINTS = 1000  # points a scatter draws at most; beyond, a fixed pseudo-random sample (see sample_order)
# A sample that is the same on every run and for every user: rows ordered by a hash of their id.
SAMPLE_ORDER = "hash(evaluation_id)"
_BUDGET_ORDER = "fiscal_year DESC, province, city, unit_name, evaluation_id"
BUDGET_COLUMNS = (
    "evaluation_id", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "is_demo", "document_kind",
    "budget_initial_yuan",
    "budget_adjusted_yuan", "expenditure_yuan", "budget_exec_pct_stated", "budget_exec_pct_recomputed",
    "budget_exec_pct", "budget_exec_pct_diff", "rates_agree", "overspend_yuan", "exec_band")
_WATCH = "is_overspend OR is_under_90 OR NOT rates_agree"


def budget_summary(f: Filters) -> dict[str, Any]:
    return _one("v_budget_execution", f, """count(*) AS reports, count(*) FILTER (WHERE is_overspend) AS overspend,
        count(*) FILTER (WHERE is_under_90) AS under_90, count(*) FILTER (WHERE NOT rates_agree) AS disagree""")


def budget_watch(f: Filters, n: int) -> Rows:
    """Reports overspent, under 90% or whose stated rate disagrees with the recomputed one."""
    return view_rows("v_budget_execution", f, BUDGET_COLUMNS, _BUDGET_ORDER, n, _WATCH)


def budget_points(f: Filters) -> Rows:
    """At most POINTS reports with budget and spending, for the scatter (a fixed sample beyond)."""
    return view_rows("v_budget_execution", f, BUDGET_COLUMNS, SAMPLE_ORDER, POINTS,
                     "expenditure_yuan IS NOT NULL AND coalesce(budget_adjusted_yuan, budget_initial_yuan) IS NOT NULL")


def budget_rows(f: Filters) -> Rows:
    return view_rows("v_budget_execution", f, BUDGET_COLUMNS, _BUDGET_ORDER)


def band_counts(view_name: str, f: Filters) -> pd.DataFrame:
    """Reports per execution band of v_budget_execution or v_procurement_execution: band, count."""
    if view_name not in ("v_budget_execution", "v_procurement_execution"):
        raise ValueError(view_name)
    return _agg(view_name, f, "exec_band AS band, count(*) AS count", group_by="1", order_by="1",
                where="exec_band IS NOT NULL")


PROCUREMENT_COLUMNS = (
    "evaluation_id", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "is_demo", "document_kind",
    "procurement_budget_yuan",
    "procurement_actual_yuan", "procurement_exec_pct_stated", "procurement_exec_pct_recomputed",
    "procurement_exec_pct", "rates_agree", "exec_band", "rank_in_province", "peers_in_province",
    "percentile_in_province", "rank_national", "peers_national", "percentile_national")


def procurement_summary(f: Filters) -> dict[str, Any]:
    return _one("v_procurement_execution", f, """count(*) AS reports,
        count(*) FILTER (WHERE procurement_exec_pct < 80) AS under_80,
        quantile_cont(procurement_exec_pct, 0.5) AS median_pct""")


def procurement_low(f: Filters, n: int) -> Rows:
    """Reports whose procurement execution is below 80%, lowest first."""
    return view_rows("v_procurement_execution", f, PROCUREMENT_COLUMNS, "procurement_exec_pct, evaluation_id", n,
                     "procurement_exec_pct < 80")


def procurement_points(f: Filters) -> Rows:
    return view_rows("v_procurement_execution", f, PROCUREMENT_COLUMNS, SAMPLE_ORDER, POINTS,
                     "procurement_budget_yuan > 0 AND procurement_actual_yuan > 0")


def procurement_rows(f: Filters) -> Rows:
    return view_rows("v_procurement_execution", f, PROCUREMENT_COLUMNS, _BUDGET_ORDER)


THREE_PUBLIC_COLUMNS = (
    "evaluation_id", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "is_demo", "document_kind",
    "three_public_budget_yuan", "three_public_actual_yuan", "three_public_control_pct_stated",
    "three_public_control_pct_recomputed", "three_public_control_pct", "rates_agree", "previous_actual_yuan", "actual_change_yuan", "actual_change_pct")


def three_public_summary(f: Filters) -> dict[str, Any]:
    return _one("v_three_public", f, """count(*) AS reports, count(*) FILTER (WHERE is_over_budget) AS over_budget,
        sum(three_public_actual_yuan) AS actual_yuan""")


def three_public_top(f: Filters, by: str, n: int) -> Rows:
    """The n reports with the highest control rate (by='control') or the largest spending (by='actual')."""
    column = {"control": "three_public_control_pct", "actual": "three_public_actual_yuan"}[by]
    return view_rows("v_three_public", f, THREE_PUBLIC_COLUMNS, f"{column} DESC NULLS LAST, evaluation_id", n,
                     "TRUE" if by == "control" else f"{column} IS NOT NULL")


def three_public_rows(f: Filters) -> Rows:
    return view_rows("v_three_public", f, THREE_PUBLIC_COLUMNS, _BUDGET_ORDER)


FINAL_ACCOUNTS_COLUMNS = (
    "evaluation_id", "unit_name", "province", "city", "fiscal_year", "document_kind", "is_demo",
    "revenue_total_yuan", "expenditure_yuan", "three_public_budget_yuan", "three_public_actual_yuan",
    "previous_expenditure_yuan", "expenditure_change_pct")


def final_accounts_summary(f: Filters) -> dict[str, Any]:
    """Documents that are not evaluations but state money (v_final_accounts): how many, and totals."""
    return _one("v_final_accounts", f, """count(*) AS documents, count(DISTINCT unit_id) AS units,
        sum(revenue_total_yuan) AS revenue_yuan, sum(expenditure_yuan) AS expenditure_yuan,
        sum(three_public_actual_yuan) AS three_public_yuan""")


def final_accounts_rows(f: Filters) -> Rows:
    return view_rows("v_final_accounts", f, FINAL_ACCOUNTS_COLUMNS, _BUDGET_ORDER)


# ---------------------------------------------------------------------------------------------
# 满意度

SATISFACTION_BIN = 2  # percentage points per bar of the satisfaction histogram; 100 falls in 98–100
SATISFACTION_COLUMNS = (
    "evaluation_id", "unit_name", "fiscal_year", "province", "city", "report_kind", "evaluation_mode",
    "respondent_group", "pct", "weight", "score", "raw", "line", "is_demo")
_LOWEST = "pct, fiscal_year DESC, unit_name, evaluation_id, satisfaction_no"


def satisfaction_summary(f: Filters) -> dict[str, Any]:
    """figures (rows), valued (with a percentage), evaluations (with one), median and below_90."""
    return _one("v_satisfaction", f, """count(*) AS figures, count(pct) AS valued,
        count(DISTINCT evaluation_id) FILTER (WHERE pct IS NOT NULL) AS evaluations,
        quantile_cont(pct, 0.5) AS median_pct, count(*) FILTER (WHERE pct < 90) AS below_90""")


def satisfaction_lowest(f: Filters, n: int) -> Rows:
    return view_rows("v_satisfaction", f, SATISFACTION_COLUMNS, _LOWEST, n, "pct IS NOT NULL")


def satisfaction_bins(f: Filters) -> pd.DataFrame:
    """Satisfaction figures per fiscal year and SATISFACTION_BIN-point bin: fiscal_year, left, count."""
    b = SATISFACTION_BIN
    return _agg("v_satisfaction", f,
                f"fiscal_year, least(floor(pct / {b}) * {b}, {100 - b}) AS left, count(*) AS count",
                group_by="1, 2", order_by="1, 2", where="pct IS NOT NULL")


def satisfaction_spread(f: Filters, by: str) -> pd.DataFrame:
    """The spread of the satisfaction figures per province, city or respondent group (`by`):
    group, n, min, q1, median, q3, max."""
    group = {"province": "coalesce(province, '未知')", "city": "coalesce(city, '未知')",
             "respondent": "coalesce(respondent_group, '总体')"}[by]
    return _agg("v_satisfaction", f, f"{group} AS group, {SPREAD_SELECT.replace('value', 'pct')}", group_by="1",
                order_by="1", where="pct IS NOT NULL")


def satisfaction_rows(f: Filters) -> Rows:
    return view_rows("v_satisfaction", f, SATISFACTION_COLUMNS, _LOWEST)


def satisfaction_distribution(f: Filters) -> pd.DataFrame:
    """v_satisfaction_distribution rows that match the filters: the region level below the chosen
    region (cities of a province, provinces of the nation), per year, totals over kind/mode unless
    one is chosen."""
    return _satisfaction_distribution(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _satisfaction_distribution(key: tuple[str, Any, str], f: Filters) -> pd.DataFrame:
    conds = ["report_kind = ?", "evaluation_mode = ?"]
    params: list[Any] = [f.report_kind or "all", f.evaluation_mode or "all"]
    if f.year_from is not None:
        conds.append("fiscal_year BETWEEN ? AND ?")
        params += [f.year_from, f.year_to]
    if f.city:
        conds.append("region_level = 'city' AND province = ? AND city = ?")
        params += [f.province, f.city]
    elif f.province:
        conds.append("region_level IN ('province', 'city') AND province = ?")
        params.append(f.province)
    else:
        conds.append("region_level IN ('national', 'province')")
    if not f.include_demo:
        conds.append("NOT is_demo")
    return _df(key, f"""
        SELECT * FROM v_satisfaction_distribution WHERE {' AND '.join(conds)}
        ORDER BY is_demo, fiscal_year DESC, CASE region_level WHEN 'national' THEN 1 WHEN 'province' THEN 2 ELSE 3 END,
                 province, city
    """, params)


# ---------------------------------------------------------------------------------------------
# 指标得分

DIMENSION_COLUMNS = (
    "evaluation_id", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "framework", "total_score",
    "dimension", "dimension_order", "indicator_count", "weight", "score", "points_lost", "score_rate_pct", "is_demo")
LOSS_COLUMNS = (
    "evaluation_id", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "dimension", "level1", "level2",
    "level3", "weight", "score", "points_lost", "target_raw", "actual_raw", "reason", "line", "is_demo")
PAIR_COLUMNS = (
    "self_evaluation_id", "external_evaluation_id", "unit_name", "fiscal_year", "report_kind", "project_name",
    "external_mode", "self_total_score", "external_total_score", "total_score_gap", "decision_rate_gap",
    "process_rate_gap", "output_rate_gap", "outcome_rate_gap", "satisfaction_rate_gap", "is_demo")


def dimension_rows(f: Filters) -> Rows:
    """v_dimension_scores rows, lowest total score first (an evaluation's dimensions together)."""
    return view_rows("v_dimension_scores", f, DIMENSION_COLUMNS,
                     "total_score, unit_name, evaluation_id, dimension_order")


def dimension_evaluations(f: Filters) -> int:
    """How many evaluations have dimension scores under the filters."""
    return int(_one("v_dimension_scores", f, "count(DISTINCT evaluation_id) AS n")["n"])


def weakest_dimensions(f: Filters, n: int) -> pd.DataFrame:
    return view_rows("v_dimension_scores", f, DIMENSION_COLUMNS,
                     "score_rate_pct, unit_name, evaluation_id, dimension_order", n,
                     "score_rate_pct IS NOT NULL", count=False).frame


def loss_summary(f: Filters) -> dict[str, Any]:
    return _one("v_indicator_losses", f, "count(*) AS indicators, sum(points_lost) AS points_lost")


def loss_top_indicators(f: Filters, n: int) -> pd.DataFrame:
    """The n indicators (by name and dimension) that lost the most points in total:
    indicator, dimension, points_lost, times (how many rows lost points on it)."""
    return _agg("v_indicator_losses", f, """coalesce(level3, level2, level1, '（未命名）') AS indicator, dimension,
        sum(points_lost) AS points_lost, count(*) AS times""", group_by="1, 2",
        order_by="points_lost DESC, indicator, dimension", limit=n)


def loss_rows(f: Filters) -> Rows:
    return view_rows("v_indicator_losses", f, LOSS_COLUMNS, "points_lost DESC, unit_name, evaluation_id, line")


def pair_rows(f: Filters) -> Rows:
    return view_rows("v_self_vs_external", f, PAIR_COLUMNS,
                     "fiscal_year DESC, unit_name, self_evaluation_id, external_evaluation_id")


def pair_widest(f: Filters, n: int) -> pd.DataFrame:
    """The n pairs whose total scores are furthest apart."""
    return view_rows("v_self_vs_external", f, PAIR_COLUMNS,
                     "abs(total_score_gap) DESC NULLS LAST, self_evaluation_id, external_evaluation_id", n,
                     count=False).frame


# ---------------------------------------------------------------------------------------------
# 数据质量

FLAG_COLUMNS = ("evaluation_id", "severity", "code", "message", "unit_name", "fiscal_year", "report_kind",
                "evaluation_mode", "document_kind", "line", "is_demo")
# The chosen severities, and the chosen codes (none chosen: every code).
_FLAG_PICK = ("severity IN (SELECT unnest(?::VARCHAR[])) "
              "AND (len(?::VARCHAR[]) = 0 OR code IN (SELECT unnest(?::VARCHAR[])))")


def document_kinds(f: Filters) -> pd.DataFrame:
    """Current documents per kind under the filters (evaluations first): document_kind, count, demo."""
    return _agg("v_evaluation", f, "document_kind, count(*) AS count, count(*) FILTER (WHERE is_demo) AS demo",
                group_by="document_kind", order_by="document_kind <> 'evaluation', count DESC, document_kind")


def flag_summary(f: Filters) -> pd.DataFrame:
    """Flags per code and severity under the filters: code, severity, severity_order, count,
    evaluations (how many evaluations carry it)."""
    return _agg("v_quality_flags", f, """code, severity, min(severity_order) AS severity_order, count(*) AS count,
        count(DISTINCT evaluation_id) AS evaluations""", group_by="code, severity", order_by="severity_order, count DESC")


def flag_totals(f: Filters, severities: Sequence[str], codes: Sequence[str]) -> dict[str, Any]:
    """Flags of the chosen severities and codes (no code chosen: every code): total, error,
    warning, evaluations."""
    return _one("v_quality_flags", f, """count(*) AS total, count(*) FILTER (WHERE severity = 'error') AS error,
        count(*) FILTER (WHERE severity = 'warning') AS warning, count(DISTINCT evaluation_id) AS evaluations""",
                _FLAG_PICK, (tuple(severities), tuple(codes), tuple(codes)))


def flag_rows(f: Filters, severities: Sequence[str], codes: Sequence[str]) -> Rows:
    return view_rows("v_quality_flags", f, FLAG_COLUMNS,
                     "severity_order, fiscal_year DESC, unit_name, evaluation_id, flag_no", TABLE_ROWS,
                     _FLAG_PICK, (tuple(severities), tuple(codes), tuple(codes)))


def coverage(f: Filters) -> pd.DataFrame:
    """v_coverage rows of the chosen region and the level below it (the nation and its provinces,
    or a province and its cities), every year."""
    return _coverage(_version_key(), f, True).frame


def coverage_rows(f: Filters) -> Rows:
    """Every v_coverage row within the chosen region (the table of the page)."""
    return _coverage(_version_key(), f, False)


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage(key: tuple[str, Any, str], f: Filters, two_levels: bool) -> Rows:
    conds, params = [], []
    if f.year_from is not None:
        conds.append("fiscal_year BETWEEN ? AND ?")
        params += [f.year_from, f.year_to]
    if f.city:
        conds.append("province = ? AND city = ?")
        params += [f.province, f.city]
    elif f.province:
        conds.append("province = ?")
        params.append(f.province)
    if two_levels:
        conds.append("region_level IN ('province', 'city')" if f.province else "region_level IN ('national', 'province')")
    if not f.include_demo:
        conds.append("NOT is_demo")
    where = " AND ".join(conds) or "TRUE"
    sql = f"""SELECT * FROM v_coverage WHERE {where}
        ORDER BY is_demo, fiscal_year DESC, CASE region_level WHEN 'national' THEN 1 WHEN 'province' THEN 2 ELSE 3 END,
                 province, city"""
    (total,), = _rows(key, f"SELECT count(*) FROM v_coverage WHERE {where}", params)
    return Rows(_df(key, sql if two_levels else f"{sql} LIMIT {TABLE_ROWS}", params), int(total), sql, tuple(params))


def file_counts() -> dict[str, int]:
    """Source files: total, and not_ok (failed or unrecognized)."""
    return _file_counts(_version_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _file_counts(key: tuple[str, Any, str]) -> dict[str, int]:
    (total, not_ok), = _rows(key, "SELECT count(*), count(*) FILTER (WHERE status <> 'ok') FROM source_file")
    return {"total": int(total), "not_ok": int(not_ok or 0)}


def source_files() -> Rows:
    """Source files with their outcome, failed and unrecognized ones first."""
    return _source_files(_version_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _source_files(key: tuple[str, Any, str]) -> Rows:
    sql = """SELECT file_id, file_name, format, family, status, error, evaluation_count, is_demo, line_count
        FROM source_file ORDER BY CASE status WHEN 'failed' THEN 1 WHEN 'unrecognized' THEN 2 ELSE 3 END, file_id"""
    (total,), = _rows(key, "SELECT count(*) FROM source_file")
    return Rows(_df(key, f"{sql} LIMIT {TABLE_ROWS}"), int(total), sql, ())


def load_runs() -> pd.DataFrame:
    return _load_runs(_version_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _load_runs(key: tuple[str, Any, str]) -> pd.DataFrame:
    return _df(key, """
        SELECT load_run_id, started_at, finished_at, files_seen, files_new, files_revised, files_unchanged,
               files_failed, files_unrecognized, evaluations, indicators, quality_flags
        FROM load_run ORDER BY load_run_id DESC
    """)


# ---------------------------------------------------------------------------------------------
# 报告详情


def evaluation_choices(f: Filters) -> pd.DataFrame:
    """View gap: the picker of the report page (current evaluations under the filters, at most
    CHOICE_LIMIT, ordered by region, unit and year)."""
    return _evaluation_choices(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=16)
def _evaluation_choices(key: tuple[str, Any, str], f: Filters) -> pd.DataFrame:
    where, params = f.where()
    return _df(key, f"""
        SELECT evaluation_id, unit_name, fiscal_year, report_kind, project_name, evaluation_mode, total_score,
               grade, is_demo, document_kind
        FROM v_evaluation WHERE {where}
        ORDER BY province, city, county, unit_name, fiscal_year DESC, evaluation_id
        LIMIT {CHOICE_LIMIT}
    """, params)


def evaluation_brief(evaluation_id: int) -> dict | None:
    """The picker's fields for one evaluation (to offer a linked one the filters would hide)."""
    df = _evaluation_brief(_version_key(), int(evaluation_id))
    return None if df.empty else df.iloc[0].to_dict()


@st.cache_data(show_spinner=False, max_entries=256)
def _evaluation_brief(key: tuple[str, Any, str], evaluation_id: int) -> pd.DataFrame:
    return _df(key, """
        SELECT evaluation_id, unit_name, fiscal_year, report_kind, project_name, evaluation_mode, total_score,
               grade, is_demo, document_kind
        FROM v_evaluation WHERE evaluation_id = ?
    """, [evaluation_id])


@dataclass(frozen=True)
class ReportDetail:
    header: dict
    source: dict
    revisions: pd.DataFrame
    indicators: pd.DataFrame
    metrics: pd.DataFrame
    satisfaction: pd.DataFrame
    findings: pd.DataFrame
    flags: pd.DataFrame
    dimensions: pd.DataFrame


def report_detail(evaluation_id: int) -> ReportDetail | None:
    return _report_detail(_version_key(), int(evaluation_id))


@st.cache_data(show_spinner=False, max_entries=64)
def _report_detail(key: tuple[str, Any, str], evaluation_id: int) -> ReportDetail | None:
    head = _df(key, "SELECT * FROM v_evaluation WHERE evaluation_id = ?", [evaluation_id])
    if head.empty:
        return None
    header = head.iloc[0].to_dict()
    src = _df(key, "SELECT * FROM source_file WHERE sha256 = ?", [header["sha256"]])
    revisions = _df(key, """
        SELECT evaluation_id, revision, is_current, load_run_id, sha256 FROM evaluation
        WHERE evaluation_key = ? ORDER BY revision DESC
    """, [header["evaluation_key"]])
    indicators = _df(key, """
        SELECT indicator_no, source_table, level, level1, level2, level3, dimension, weight, score,
               TRY_CAST(round(100 * score / nullif(weight, 0), 4) AS DECIMAL(18,4)) AS score_rate_pct,
               score_rate_stated_pct, target_raw, actual_raw, met, note, rule, line
        FROM indicator WHERE evaluation_id = ? ORDER BY indicator_no
    """, [evaluation_id])
    metrics = _df(key, "SELECT metric, value, unit, raw, line, note FROM metric WHERE evaluation_id = ? ORDER BY line",
                  [evaluation_id])
    satisfaction = _df(key, """
        SELECT satisfaction_no, source, respondent_group, pct, weight, score, score_rate_pct, raw, line
        FROM v_satisfaction WHERE evaluation_id = ? ORDER BY satisfaction_no
    """, [evaluation_id])
    findings = _df(key, "SELECT finding_no, kind, category, text, line FROM v_findings WHERE evaluation_id = ? "
                        "ORDER BY finding_no", [evaluation_id])
    flags = _df(key, "SELECT flag_no, code, severity, message, line FROM v_quality_flags WHERE evaluation_id = ? "
                     "ORDER BY severity_order, flag_no", [evaluation_id])
    dimensions = _df(key, """
        SELECT dimension, dimension_order, indicator_count, weight, score, points_lost, score_rate_pct
        FROM v_dimension_scores WHERE evaluation_id = ? ORDER BY dimension_order
    """, [evaluation_id])
    return ReportDetail(header, src.iloc[0].to_dict() if not src.empty else {}, revisions, indicators, metrics,
                        satisfaction, findings, flags, dimensions)


def source_text(file_id: int) -> list[str]:
    """Every line of one source file (index i is line i + 1)."""
    return _source_text(_version_key(), int(file_id))


@st.cache_data(show_spinner=False, max_entries=32)
def _source_text(key: tuple[str, Any, str], file_id: int) -> list[str]:
    return [t for (t,) in _rows(key, "SELECT text FROM source_line WHERE file_id = ? ORDER BY line_no", [file_id])]


# ---------------------------------------------------------------------------------------------
# 数据字典 and the SQL console


def dictionary() -> list[dict]:
    """Every registered table and view with its COMMENT ON text and its columns."""
    return _dictionary(_version_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _dictionary(key: tuple[str, Any, str]) -> list[dict]:
    # Names, types and comments only (no rows): read from the warehouse's catalog, whatever the scope.
    cur = _cursor((key[0], key[1], ""))
    try:
        return registry.describe(cur)
    finally:
        cur.close()


@dataclass(frozen=True)
class QueryOutcome:
    frame: pd.DataFrame | None
    error: str | None
    truncated: bool = False
    seconds: float = 0.0
    timed_out: bool = False
    detail: str | None = None  # DuckDB's own text for an error, shown folded under the message


def warm_sql() -> None:
    """Start the SQL console's query-process server ahead of the first query (about 0.5 s)."""
    from warehouse import sqlrun

    sqlrun.warm()


def run_user_sql(sql: str, timeout_s: float = 10.0, max_rows: int = 10_000) -> QueryOutcome:
    """Run untrusted SQL through warehouse.safe.run_query, the path `python -m warehouse sql`
    takes too: every query in a throw-away process with a fresh in-memory database (nothing a
    query creates reaches the next one, anyone's), one SELECT, no files, no network, no settings,
    killed at the time limit, capped in memory, a row limit. Never raises for a bad query: the
    refusal or error comes back as a Chinese message, DuckDB's text as `detail`."""
    from warehouse.safe import QueryRefused, QueryTimeout, run_query

    path, version, scope = _version_key()
    if version is None:
        return QueryOutcome(None, "数据仓库不存在，请先导入报告。")
    try:
        result = run_query(sql, path, timeout_s=timeout_s, max_rows=max_rows, scope=scope)
    except QueryTimeout as e:
        return QueryOutcome(None, str(e), timed_out=True, detail=e.detail)
    except QueryRefused as e:
        return QueryOutcome(None, str(e), detail=e.detail)
    except connect.WarehouseMissing as e:
        return QueryOutcome(None, str(e))
    return QueryOutcome(arrow_to_pandas(result.table), None, result.truncated, result.seconds)


def arrow_to_pandas(table: Any) -> pd.DataFrame:
    """An Arrow table as pandas, DECIMAL columns as floats (display and Excel need numbers)."""
    import pyarrow as pa

    fields = [pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields)).to_pandas()


# ---------------------------------------------------------------------------------------------
# 导入报告: parse uploads, then load them


def known_files(shas: tuple[str, ...]) -> dict[str, str]:
    """sha256 -> status ('ok', 'unrecognized', 'failed') of the files already in the warehouse."""
    key = _version_key()
    if key[1] is None or not shas:
        return {}
    return _known_files(key, tuple(shas))


@st.cache_data(show_spinner=False, max_entries=32)
def _known_files(key: tuple[str, Any, str], shas: tuple[str, ...]) -> dict[str, str]:
    try:
        rows = _rows(key, "SELECT sha256, status FROM source_file WHERE sha256 IN (SELECT unnest(?::VARCHAR[]))",
                     [list(shas)])
    except duckdb.CatalogException:
        return {}
    return dict(rows)


def save_upload(name: str, payload: bytes) -> Path:
    """Keep an uploaded file as data/uploads/<first 12 hex of its sha256>_<name> (UPLOAD_DIR
    moves the folder)."""
    import hashlib

    folder = Path(os.environ.get(UPLOAD_DIR_ENV) or "data/uploads")
    folder.mkdir(parents=True, exist_ok=True)
    safe_name = Path(name).name.replace(os.sep, "_") or "report"
    target = folder / f"{hashlib.sha256(payload).hexdigest()[:12]}_{safe_name}"
    if not target.exists():
        target.write_bytes(payload)
    return target


def load_files(paths: list[Path], progress: Callable[[int, int], None] | None = None) -> Any:
    """Load saved files into the warehouse in one atomic load (warehouse.load.load_paths),
    calling progress(done, total) as files are read and once more when the new warehouse is in
    place; returns its LoadSummary. A reader never sees half of it."""
    from warehouse.load import load_paths

    return load_paths([str(p) for p in paths], warehouse_path(), workers=1, quiet=True, progress=progress)


# ---------------------------------------------------------------------------------------------
# 地图: per region of one map layer, the measures a choropleth colours by. The region is a GB/T 2260
# code made from the unit's admin_code (dashboard/geo.py draws the shapes with the same codes): a
# province PP0000; a prefecture PPCC00, or the county-level unit itself when it lies directly
# under the province (city is NULL: 仙桃市, 东方市); a county its own code. A unit whose code
# is only a province's or a city's has no shape below that level, and is counted as not on the map.

MAP_LAYERS = {
    "province": "left(admin_code, 2) || '0000'",
    "city": "CASE WHEN city IS NULL THEN admin_code ELSE left(admin_code, 4) || '00' END",
    "county": "admin_code",
}


def map_measures(f: Filters, year: int, layer: str) -> pd.DataFrame:
    """Per region of the layer under the filters (the filters' years replaced by `year`): code,
    reports (evaluations), units, demo (demo evaluations), median_score and scored (evaluations with
    a total score), median_exec and exec_n (budget execution), alerts (v_alerts rows) and alerted
    (evaluations with an alert). A region with no report is absent; code is NULL for units
    without an admin code."""
    if layer not in MAP_LAYERS:
        raise ValueError(layer)
    return _map_measures(_version_key(), f, int(year), layer)


@st.cache_data(show_spinner=False, max_entries=128)
def _map_measures(key: tuple[str, Any, str], f: Filters, year: int, layer: str) -> pd.DataFrame:
    code = MAP_LAYERS[layer]
    where, params = f.where(skip=("year",))
    evaluations = _df(key, f"""
        SELECT {code} AS code, count(*) AS reports, count(DISTINCT unit_id) AS units,
               count(*) FILTER (WHERE is_demo) AS demo,
               quantile_cont(total_score, 0.5) AS median_score, count(total_score) AS scored,
               quantile_cont(budget_exec_pct, 0.5) AS median_exec, count(budget_exec_pct) AS exec_n
        FROM v_evaluation WHERE {where} AND fiscal_year = ? AND {EVALUATIONS_ONLY}
        GROUP BY 1""", [*params, year])
    alerts = _df(key, f"""
        SELECT {code} AS code, count(*) AS alerts, count(DISTINCT evaluation_id) AS alerted
        FROM v_alerts WHERE {where} AND fiscal_year = ? GROUP BY 1""", [*params, year])
    out = evaluations.merge(alerts, on="code", how="outer")
    for col in ("reports", "units", "demo", "scored", "exec_n", "alerts", "alerted"):
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0).astype(int)
    for col in ("median_score", "median_exec"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out.sort_values("code", na_position="last").reset_index(drop=True)


def map_years(f: Filters) -> tuple[int, ...]:
    """Fiscal years with at least one evaluation under the filters, newest first."""
    df = _agg("v_evaluation", f, "DISTINCT fiscal_year AS year", order_by="1 DESC",
              where=f"fiscal_year IS NOT NULL AND {EVALUATIONS_ONLY}")
    return tuple(int(y) for y in df["year"])


# ---------------------------------------------------------------------------------------------
# 地区对比 rankings: self-evaluations and external evaluations (third party, department, finance)
# ranked apart, within the filters; a rank shared by equal values is a tie.

MODE_GROUP = "CASE WHEN evaluation_mode = 'self' THEN 'self' WHEN evaluation_mode IS NULL THEN 'unknown' ELSE 'external' END"


def rank_groups(f: Filters, metric: str, year: int) -> pd.DataFrame:
    """Per report kind and mode group (self / external / unknown): n, median, min, max, demo (how
    many demo reports), in page order."""
    return _agg("v_peer_rank", f, f"""report_kind, {MODE_GROUP} AS mode_group, count(*) AS n,
        quantile_cont(value, 0.5) AS median, min(value) AS min, max(value) AS max,
        count(*) FILTER (WHERE is_demo) AS demo""",
                group_by="1, 2", order_by="report_kind NULLS LAST, CASE mode_group WHEN 'self' THEN 1 "
                "WHEN 'external' THEN 2 ELSE 3 END", where=_PEERS, params=(metric, year), skip=("year",))


def rank_ends(f: Filters, metric: str, year: int, each_end: int) -> pd.DataFrame:
    """Per report kind and mode group, the `each_end` highest and lowest values (all of them when
    there are fewer than twice that), highest first, with: band, rank (1 = highest within the
    group under the filters; equal values share it) and ties (how many reports share the value)."""
    return _agg("v_peer_rank", f, f"""*, {_BAND} AS band, {MODE_GROUP} AS mode_group,
        rank() OVER (PARTITION BY report_kind, {MODE_GROUP} ORDER BY value DESC) AS rank,
        count(*) OVER (PARTITION BY report_kind, {MODE_GROUP}, value) AS ties""",
                where=_PEERS, params=(metric, year), skip=("year",), qualify=f"""
                    row_number() OVER (PARTITION BY report_kind, {MODE_GROUP} ORDER BY value DESC, evaluation_id)
                        <= {int(each_end)}
                    OR row_number() OVER (PARTITION BY report_kind, {MODE_GROUP} ORDER BY value, evaluation_id)
                        <= {int(each_end)}""",
                order_by="report_kind NULLS LAST, mode_group, value DESC, evaluation_id")


def rank_spread(f: Filters, metric: str, year: int, by: str) -> pd.DataFrame:
    """The spread of the values per province, city or county (`by`) under the filters: group, n,
    min, q1, median, q3, max, and the province and city the group lies in (for the drill)."""
    if by not in ("province", "city", "county"):
        raise ValueError(by)
    return _agg("v_peer_rank", f, f"""{by} AS group, any_value(province) AS province, any_value(city) AS city,
        {SPREAD_SELECT}""", group_by="1", order_by="median DESC, 1", where=f"{_PEERS} AND {by} IS NOT NULL",
                params=(metric, year), skip=("year",))
