"""Data access: the only dashboard module that talks to DuckDB.

One read-only connection per warehouse file version (`st.cache_resource`), reopened when a load
swaps a new file in (warehouse.connect.version changes); query results are cached
(`st.cache_data`) under the filters *and* that version, so new reports appear on every page at
the next rerun without a restart. Every function returns pandas frames with the views' column
names; pages turn them into labels and charts.

Queries read the views in sql/. Where a page needs something no view gives, the query is here
and says so ("view gap"): the bands used to colour the peer ranking, the evaluation picker of the
report page, and the per-file context of the report page. The views that compare across the
whole warehouse read summary tables built at load time (sql/materialize/), so a query under
a filter reads the rows of the filter, not the country.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
import pandas as pd
import streamlit as st

from warehouse import connect, registry

UPLOAD_DIR_ENV = "UPLOAD_DIR"  # where uploaded reports are kept; data/uploads by default
ALERT_LIMIT = 2000  # rows of the alert list; the page says when more matched
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


def _version_key() -> tuple[str, Any]:
    """(path, version) of the warehouse file now; every cached query is keyed by it."""
    path = warehouse_path()
    return str(path.resolve()), connect.version(path)


def _close(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.close()
    except duckdb.Error:
        pass


@st.cache_resource(max_entries=2, on_release=_close, show_spinner=False)
def _connection(path: str, version: Any) -> duckdb.DuckDBPyConnection:
    """The read-only connection to one version of the file; a new version gets a new one."""
    return connect.read_only(path)


def _cursor(key: tuple[str, Any]) -> duckdb.DuckDBPyConnection:
    path, version = key
    if version is None:
        raise connect.WarehouseMissing(path)
    # A cursor per query: Streamlit serves sessions from several threads. A cursor starts in the
    # connection's in-memory catalog, so it is pointed at the attached warehouse first.
    cur = _connection(path, version).cursor()
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


def _df(key: tuple[str, Any], sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    _log_query(sql, params)
    cur = _cursor(key)
    try:
        return cur.execute(sql, list(params)).df()
    finally:
        cur.close()


def _rows(key: tuple[str, Any], sql: str, params: Sequence[Any] = ()) -> list[tuple]:
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
    return _status(*_version_key())


@st.cache_data(show_spinner=False, max_entries=16)
def _status(path: str, version: Any) -> WarehouseStatus:
    if version is None:
        return WarehouseStatus(path, "missing", "数据仓库文件不存在", version=version)
    try:
        (real, demo), = _rows((path, version),
                              "SELECT count(*) FILTER (WHERE NOT is_demo), count(*) FILTER (WHERE is_demo) FROM v_evaluation")
    except duckdb.CatalogException:
        return WarehouseStatus(path, "empty", "数据仓库尚未建立表结构", version=version)
    except (duckdb.Error, OSError) as e:
        return WarehouseStatus(path, "unreadable", f"无法读取数据仓库：{e}", version=version)
    if real + demo == 0:
        return WarehouseStatus(path, "empty", "数据仓库中还没有评价", version=version)
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
def _filter_options(key: tuple[str, Any], include_demo: bool) -> FilterOptions:
    demo = "TRUE" if include_demo else "NOT is_demo"
    years = tuple(int(y) for (y,) in _rows(
        key, f"SELECT DISTINCT fiscal_year FROM v_evaluation WHERE fiscal_year IS NOT NULL AND {demo} ORDER BY 1"))
    regions = _df(key, f"SELECT DISTINCT province, city, county FROM v_evaluation WHERE {demo} ORDER BY ALL")
    kinds = tuple(k for (k,) in _rows(key, f"SELECT DISTINCT report_kind FROM v_evaluation WHERE {demo} ORDER BY 1") if k)
    modes = tuple(m for (m,) in _rows(key, f"SELECT DISTINCT evaluation_mode FROM v_evaluation WHERE {demo} ORDER BY 1")
                  if m)
    return FilterOptions(years, regions, kinds, modes)


# ---------------------------------------------------------------------------------------------
# 总览


def overview_counts(f: Filters) -> dict[str, int]:
    return _overview_counts(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _overview_counts(key: tuple[str, Any], f: Filters) -> dict[str, int]:
    where, params = f.where()
    (reports, units, regions, years, demo, scored), = _rows(
        key,
        f"""
        SELECT count(*), count(DISTINCT unit_id), count(DISTINCT coalesce(admin_code, county, unit_name)),
               count(DISTINCT fiscal_year), count(*) FILTER (WHERE is_demo), count(total_score)
        FROM v_evaluation WHERE {where}
        """,
        params,
    )
    return {"reports": reports, "units": units, "regions": regions, "years": years, "demo": demo, "scored": scored}


def evaluations(f: Filters) -> pd.DataFrame:
    """v_evaluation rows (current evaluations) under the filters."""
    return _evaluations(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _evaluations(key: tuple[str, Any], f: Filters) -> pd.DataFrame:
    where, params = f.where()
    return _df(key, f"""
        SELECT evaluation_id, fiscal_year, province, city, county, unit_id, unit_name, report_kind, project_name,
               evaluation_mode, is_demo, evaluator, framework, total_score, grade, grade_raw, grade_of_total,
               budget_exec_pct, procurement_exec_pct, three_public_control_pct, satisfaction_pct,
               flag_count, error_flag_count
        FROM v_evaluation WHERE {where}
        ORDER BY fiscal_year DESC, province, city, county, unit_name
    """, params)


def grade_counts(f: Filters) -> pd.DataFrame:
    return _grade_counts(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _grade_counts(key: tuple[str, Any], f: Filters) -> pd.DataFrame:
    where, params = f.where()
    return _df(key, f"SELECT grade, count(*) AS count FROM v_evaluation WHERE {where} GROUP BY grade ORDER BY grade",
               params)


ALERT_LABELS = {
    "overspend": "预算超支（执行率>100%）",
    "budget_under_90": "预算执行率低于90%",
    "procurement_under_80": "政府采购执行率低于80%",
    "satisfaction_under_90": "满意度低于90%",
    "score_drop": "总分比上年下降超过5分",
    "error_flag": "数据质量错误",
}


def alerts(f: Filters) -> pd.DataFrame:
    """v_alerts rows under the filters (the alert rules live in sql/materialize/150_mv_alerts.sql,
    computed once per load): one row per alert: evaluation, alert code, value, previous value, the
    respondent group or flag message, and the source line; the first ALERT_LIMIT in page order,
    each with total_alerts, the number that matched."""
    return _alerts(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _alerts(key: tuple[str, Any], f: Filters) -> pd.DataFrame:
    where, params = f.where()
    return _df(key, f"""
        SELECT evaluation_id, fiscal_year, province, city, county, unit_name, report_kind, project_name,
               evaluation_mode, is_demo, alert_code, alert_order, value, other_value, note, line,
               count(*) OVER () AS total_alerts
        FROM v_alerts WHERE {where}
        ORDER BY alert_order, fiscal_year DESC, province, city, unit_name, evaluation_id, line
        LIMIT {ALERT_LIMIT}
    """, params)


def score_values(f: Filters) -> pd.DataFrame:
    return _score_values(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _score_values(key: tuple[str, Any], f: Filters) -> pd.DataFrame:
    where, params = f.where()
    return _df(key, f"SELECT total_score FROM v_evaluation WHERE total_score IS NOT NULL AND {where}", params)


# ---------------------------------------------------------------------------------------------
# 地区对比


def peer_ranks(f: Filters, metric: str, year: int) -> pd.DataFrame:
    """v_peer_rank rows of one metric and year (ranked among all peers at load time, whatever the
    filters), with the band each value falls in: the grade of a total score, the execution band
    of v_budget_execution / v_procurement_execution, above or within the three-public budget,
    satisfaction below or at least 90%. The bands are functions of the value, so no view is joined."""
    return _peer_ranks(_version_key(), f, metric, year)


@st.cache_data(show_spinner=False, max_entries=64)
def _peer_ranks(key: tuple[str, Any], f: Filters, metric: str, year: int) -> pd.DataFrame:
    where, params = f.where("r", skip=("year",))
    return _df(key, f"""
        SELECT r.*, CASE r.metric
                   WHEN 'total_score' THEN CASE WHEN r.value >= 90 THEN '优' WHEN r.value >= 80 THEN '良'
                                                WHEN r.value >= 60 THEN '中' ELSE '差' END
                   WHEN 'budget_exec_pct' THEN CASE WHEN round(r.value, 2) > 100 THEN '>100'
                                                    WHEN round(r.value, 2) = 100 THEN '100'
                                                    WHEN r.value >= 90 THEN '90-100' WHEN r.value >= 80 THEN '80-90'
                                                    ELSE '<80' END
                   WHEN 'procurement_exec_pct' THEN CASE WHEN r.value >= 100 THEN '>=100' WHEN r.value >= 90 THEN '90-100'
                                                         WHEN r.value >= 80 THEN '80-90' ELSE '<80' END
                   WHEN 'three_public_control_pct' THEN CASE WHEN r.value > 100 THEN '>100' ELSE '100' END
                   WHEN 'satisfaction_pct' THEN CASE WHEN r.value < 90 THEN '<90' ELSE '≥90' END
               END AS band
        FROM v_peer_rank AS r
        WHERE r.metric = ? AND r.fiscal_year = ? AND r.value IS NOT NULL AND {where}
        ORDER BY r.value DESC
    """, [metric, year, *params])


# ---------------------------------------------------------------------------------------------
# Simple filtered reads of one view


_VIEWS = {
    "v_evaluation", "v_budget_execution", "v_procurement_execution", "v_three_public", "v_satisfaction",
    "v_dimension_scores", "v_indicator_losses", "v_unit_trend", "v_self_vs_external", "v_findings",
    "v_quality_flags",
}


def view(name: str, f: Filters, order_by: str = "fiscal_year DESC, province, city, unit_name") -> pd.DataFrame:
    """Every row of one filterable view under the filters (the view has the common columns)."""
    if name not in _VIEWS:
        raise ValueError(f"not a filterable view: {name}")
    return _view(_version_key(), name, f, order_by)


@st.cache_data(show_spinner=False, max_entries=128)
def _view(key: tuple[str, Any], name: str, f: Filters, order_by: str) -> pd.DataFrame:
    where, params = f.where()
    return _df(key, f"SELECT * FROM {name} WHERE {where} ORDER BY {order_by}", params)


def satisfaction_distribution(f: Filters) -> pd.DataFrame:
    """v_satisfaction_distribution rows that match the filters: the region level below the chosen
    region (cities of a province, provinces of the nation), per year, totals over kind/mode unless
    one is chosen."""
    return _satisfaction_distribution(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _satisfaction_distribution(key: tuple[str, Any], f: Filters) -> pd.DataFrame:
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


def coverage(f: Filters) -> pd.DataFrame:
    return _coverage(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage(key: tuple[str, Any], f: Filters) -> pd.DataFrame:
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
    if not f.include_demo:
        conds.append("NOT is_demo")
    where = " AND ".join(conds) or "TRUE"
    return _df(key, f"""
        SELECT * FROM v_coverage WHERE {where}
        ORDER BY is_demo, fiscal_year DESC, CASE region_level WHEN 'national' THEN 1 WHEN 'province' THEN 2 ELSE 3 END,
                 province, city
    """, params)


def flag_summary(f: Filters) -> pd.DataFrame:
    return _flag_summary(_version_key(), f)


@st.cache_data(show_spinner=False, max_entries=64)
def _flag_summary(key: tuple[str, Any], f: Filters) -> pd.DataFrame:
    where, params = f.where()
    return _df(key, f"""
        SELECT code, severity, min(severity_order) AS severity_order, count(*) AS count,
               count(DISTINCT evaluation_id) AS evaluations
        FROM v_quality_flags WHERE {where} GROUP BY code, severity ORDER BY severity_order, count DESC
    """, params)


def source_files() -> pd.DataFrame:
    """Every source file with its outcome (failed and unrecognized ones included)."""
    return _source_files(_version_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _source_files(key: tuple[str, Any]) -> pd.DataFrame:
    return _df(key, """
        SELECT file_id, file_name, path, format, family, status, error, evaluation_count, is_demo, size_bytes,
               line_count, first_load_run_id
        FROM source_file ORDER BY CASE status WHEN 'failed' THEN 1 WHEN 'unrecognized' THEN 2 ELSE 3 END, file_id
    """)


def load_runs() -> pd.DataFrame:
    return _load_runs(_version_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _load_runs(key: tuple[str, Any]) -> pd.DataFrame:
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


@st.cache_data(show_spinner=False, max_entries=64)
def _evaluation_choices(key: tuple[str, Any], f: Filters) -> pd.DataFrame:
    where, params = f.where()
    return _df(key, f"""
        SELECT evaluation_id, unit_name, fiscal_year, report_kind, project_name, evaluation_mode, total_score,
               grade, is_demo
        FROM v_evaluation WHERE {where}
        ORDER BY province, city, county, unit_name, fiscal_year DESC, evaluation_id
        LIMIT {CHOICE_LIMIT}
    """, params)


def evaluation_brief(evaluation_id: int) -> dict | None:
    """The picker's fields for one evaluation (to offer a linked one the filters would hide)."""
    df = _evaluation_brief(_version_key(), int(evaluation_id))
    return None if df.empty else df.iloc[0].to_dict()


@st.cache_data(show_spinner=False, max_entries=256)
def _evaluation_brief(key: tuple[str, Any], evaluation_id: int) -> pd.DataFrame:
    return _df(key, """
        SELECT evaluation_id, unit_name, fiscal_year, report_kind, project_name, evaluation_mode, total_score,
               grade, is_demo
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
def _report_detail(key: tuple[str, Any], evaluation_id: int) -> ReportDetail | None:
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
def _source_text(key: tuple[str, Any], file_id: int) -> list[str]:
    return [t for (t,) in _rows(key, "SELECT text FROM source_line WHERE file_id = ? ORDER BY line_no", [file_id])]


# ---------------------------------------------------------------------------------------------
# 数据字典 and the SQL console


def dictionary() -> list[dict]:
    """Every registered table and view with its COMMENT ON text and its columns."""
    return _dictionary(_version_key())


@st.cache_data(show_spinner=False, max_entries=8)
def _dictionary(key: tuple[str, Any]) -> list[dict]:
    cur = _cursor(key)
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


def _close_safe(con: Any) -> None:
    try:
        con.close()
    except duckdb.Error:
        pass


@st.cache_resource(max_entries=2, on_release=_close_safe, show_spinner=False)
def _safe_connection(path: str, version: Any, timeout_s: float, max_rows: int) -> Any:
    from warehouse.safe import SafeConnection

    return SafeConnection(path, timeout_s=timeout_s, max_rows=max_rows)


def run_user_sql(sql: str, timeout_s: float = 10.0, max_rows: int = 10_000) -> QueryOutcome:
    """Run untrusted SQL on the safe read-only connection (warehouse/safe.py: one SELECT, no
    files, no network, no settings, a time and a row limit). Never raises for a bad query: the
    refusal or error comes back as a message."""
    from warehouse.safe import QueryRefused, QueryTimeout

    path, version = _version_key()
    if version is None:
        return QueryOutcome(None, "数据仓库不存在，请先导入报告。")
    try:
        result = _safe_connection(path, version, timeout_s, max_rows).query(sql)
    except QueryTimeout as e:
        return QueryOutcome(None, str(e), timed_out=True)
    except (QueryRefused, connect.WarehouseMissing) as e:
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
    path, version = _version_key()
    if version is None or not shas:
        return {}
    return _known_files((path, version), tuple(shas))


@st.cache_data(show_spinner=False, max_entries=32)
def _known_files(key: tuple[str, Any], shas: tuple[str, ...]) -> dict[str, str]:
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
