"""The pages when the warehouse holds more rows than a table shows (issue 6): every detail table
shows at most data.TABLE_ROWS rows and says how many matched, in the page's order; its CSV holds
every row; charts are drawn from aggregates; a missing value reads — in every table; and the
overview has its own URL."""

from __future__ import annotations

import base64
import io
import json

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import data, ui
from dashboard import format as fmt
from dashboard.registry import PAGES
from dashboard_helpers import no_exception, texts

PAGE = {p.title: p.path for p in PAGES}
LIMIT = data.TABLE_ROWS

# page -> (a column only that table has, the query counting the rows it lists)
CAPPED = {
    "总览": [("等次", "SELECT count(*) FROM v_evaluation WHERE document_kind = 'evaluation'"),
           ("预警", "SELECT count(*) FROM v_alerts")],
    "预算与采购执行": [("执行率·复算值（%）", "SELECT count(*) FROM v_budget_execution")],
    "满意度": [("调查对象", "SELECT count(*) FROM v_satisfaction")],
    "指标得分": [("指标数", "SELECT count(*) FROM v_dimension_scores"),
             ("扣分原因", "SELECT count(*) FROM v_indicator_losses")],
    "数据质量": [("标记类型", "SELECT count(*) FROM v_quality_flags")],
}


def count(db, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def table_with(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def plotly_values(at, key: str, trace: int = 0, axis: str = "y") -> list[float]:
    """The values of one axis of one trace of a chart on the page (Plotly may send numbers as
    base64 typed arrays)."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.proto.id)
    values = json.loads(chart.proto.spec)["data"][trace][axis]
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    return values


@pytest.mark.parametrize("title", list(CAPPED))
def test_a_table_longer_than_the_cap_shows_the_cap_and_says_how_many_matched(open_page, synth_warehouse, title):
    at = open_page(PAGE[title], synth_warehouse)
    no_exception(at)
    for d in at.dataframe:
        assert len(d.value) <= LIMIT
    shown = texts(at)
    for column, sql in CAPPED[title]:
        total = count(synth_warehouse, sql)
        assert total > LIMIT, f"the fixture should hold more than {LIMIT} rows for {column}"
        assert len(table_with(at, column)) == LIMIT
        assert f"共 {fmt.count(total)} 行，显示前 {LIMIT} 行" in shown


def test_a_capped_table_shows_the_first_rows_of_its_order(open_page, synth_warehouse):
    at = open_page(PAGE["满意度"], synth_warehouse)
    no_exception(at)
    figures = table_with(at, "调查对象")
    lowest = count(synth_warehouse, "SELECT min(pct) FROM v_satisfaction")
    assert figures["满意度（%）"].iloc[0] == pytest.approx(float(lowest))
    assert figures["满意度（%）"].is_monotonic_increasing
    at = open_page(PAGE["数据质量"], synth_warehouse)
    flags = table_with(at, "标记类型")
    errors = count(synth_warehouse, "SELECT count(*) FROM v_quality_flags WHERE severity = 'error'")
    assert (flags["严重程度"].iloc[:min(errors, LIMIT)] == "错误").all()


def test_the_csv_of_a_capped_table_holds_every_row_converted_like_the_table(monkeypatch, synth_warehouse):
    monkeypatch.setenv("WAREHOUSE_PATH", str(synth_warehouse))
    rows = data.flag_rows(data.Filters(), ["error", "warning", "info"], [])
    assert rows.capped and len(rows.frame) == LIMIT
    columns = ["severity", "code", "message", "unit_name", "fiscal_year", "line"]
    csv = pd.read_csv(io.BytesIO(ui.csv_of_all(rows, columns)), encoding="utf-8-sig")
    assert len(csv) == rows.total == count(synth_warehouse, "SELECT count(*) FROM v_quality_flags")
    shown = ui.display_rows(rows.frame, columns)
    assert list(csv.columns) == list(shown.columns) == ["严重程度", "标记类型", "说明", "单位", "年度", "原文行"]
    head = csv.head(LIMIT)
    assert head["标记类型"].tolist() == shown["标记类型"].tolist()  # the same order as the table
    assert head["严重程度"].tolist() == shown["严重程度"].tolist()


def test_charts_are_drawn_from_aggregates_of_every_row(open_page, synth_warehouse):
    at = open_page(PAGE["总览"], synth_warehouse)
    no_exception(at)
    scored = count(synth_warehouse, "SELECT count(total_score) FROM v_evaluation")
    assert sum(plotly_values(at, "score_chart")) == scored  # every score is in a bin, 100 included
    at = open_page(PAGE["满意度"], synth_warehouse)
    no_exception(at)
    box = json.loads(next(c for c in at.get("plotly_chart") if "satisfaction_region" in c.proto.id).proto.spec)
    provinces = count(synth_warehouse, "SELECT count(DISTINCT coalesce(province, '')) FROM v_satisfaction "
                                       "WHERE pct IS NOT NULL")
    assert box["data"][0]["type"] == "box" and len(box["data"][0]["x"]) == provinces
    assert "y" not in box["data"][0]  # quantiles, not one point per figure


@pytest.mark.parametrize("warehouse", ["real_warehouse", "synth_warehouse"])
@pytest.mark.parametrize("page", [p.path for p in PAGES], ids=[p.url_path for p in PAGES])
def test_missing_values_read_as_a_dash_in_every_table(open_page, request, warehouse, page):
    at = open_page(page, request.getfixturevalue(warehouse))
    no_exception(at)
    for d in at.dataframe:
        assert d.proto.placeholder == fmt.MISSING, d.key  # NULL cells, numbers included, show —
        for column in d.value.columns:
            cells = [v for v in d.value[column].tolist() if isinstance(v, str)]
            assert not set(cells) & {"None", "nan", "NaN", "<NA>", "NaT", "null"}, (d.key, column)
            assert not [v for v in cells if "None" in v or "<NA>" in v], (d.key, column)


def test_the_root_url_opens_the_overview_with_its_query(open_page, real_warehouse):
    at = open_page(PAGE["总览"], real_warehouse, {"province": "江西省", "year": ["2021", "2022"]})
    no_exception(at)
    assert at.title[0].value == "工会绩效评价总览"
    assert at.selectbox(key="province").value == "江西省"
    assert "2022年 · 江西省**：1 个单位、1 份评价报告" in texts(at)
    assert at.query_params["province"] == "江西省"
