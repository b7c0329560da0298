"""Issue 14, items 1, 5 and 8, page by page with AppTest (the browser tests are in
test_cockpit_browser.py): the overview as a cockpit (the state of the latest year against the year
before, alerts ranked by severity and grouped by unit, data-quality errors apart, one list), one
click from an alert to the sentence of its report, full links in the downloads, trends that open
on the median and the largest falls, coverage against the regions in scope, errors first."""

from __future__ import annotations

import base64
import json
import re
from urllib.parse import parse_qs

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import cockpit, data, ui
from dashboard import format as fmt
from dashboard.registry import PAGES
from dashboard_helpers import QINGYUNPU, REPORTS_DIR, no_exception, texts

PAGE = {p.title: p.path for p in PAGES}


def rows(db, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def qingyunpu(db) -> int:
    return rows(db, "SELECT evaluation_id FROM v_evaluation WHERE unit_name = ?", [QINGYUNPU])[0][0]


def links(at) -> list[dict]:
    """Every st.page_link of the page: its page and query parameters."""
    return [{"page": pl.proto.page, "label": pl.proto.label,
             **{k: v if len(v) > 1 else v[0] for k, v in parse_qs(pl.proto.query_string).items()}}
            for pl in at.get("page_link")]


def plotly(at, key: str) -> dict:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.proto.id)
    return json.loads(chart.proto.spec)


def values(array) -> list:
    if isinstance(array, dict):  # a base64 typed array
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return array


# ---------------------------------------------------------------------------------------------
# The cockpit's words and numbers (dashboard/cockpit.py): pure functions


def test_the_state_is_the_latest_year_against_the_year_before():
    by_year = pd.DataFrame({
        "fiscal_year": [2022, 2023, 2024], "reports": [10, 12, 11], "units": [8, 9, 9], "scored": [10, 12, 11],
        "median_score": [90.0, 91.5, 90.25], "grade_mid": [1, 2, 0], "grade_poor": [0, 1, 1],
        "with_budget": [8, 9, 9], "with_procurement": [5, 6, 6], "with_satisfaction": [7, 8, 8]})
    alerts = pd.DataFrame({
        "fiscal_year": [2023, 2024], "budget_units": [3, 5], "overspend_units": [1, 2], "under_90_units": [2, 4],
        "procurement_units": [2, 2], "satisfaction_units": [4, 1], "score_drop_units": [0, 1], "alerts": [9, 9],
        "alerted_units": [6, 7], "error_flags": [1, 0], "error_reports": [1, 0]})
    s = cockpit.state(by_year, alerts)
    assert (s.year, s.previous, s.reports, s.units) == (2024, 2023, 11, 9)
    k = {x.key: x for x in s.kpis}
    assert (k["median_score"].value, k["median_score"].delta, k["median_score"].delta_color) == ("90.25", "-1.25", "normal")
    assert (k["weak_grades"].value, k["weak_grades"].delta) == ("1 份", "-2")  # 中 0 + 差 1 against 2 + 1
    assert (k["budget"].value, k["budget"].delta, k["budget"].delta_color) == ("5 个单位", "+2", "inverse")
    assert "超支 2 个、低于 90% 4 个" in k["budget"].help and "共 9 个单位报告了这一项" in k["budget"].help
    assert (k["procurement"].delta, k["satisfaction"].delta) == ("0", "-3")
    assert k["budget"].trend == [0.0, 3.0, 5.0]  # one value per year for the card's sparkline
    # a first year has nothing to compare with
    first = cockpit.state(by_year.head(1), alerts.head(0))
    assert first.previous is None and all(x.delta is None for x in first.kpis)
    assert "上一年没有报告，无法比较" in cockpit.scope_line(first, "江西省")


def test_an_alert_names_its_report_its_figure_and_how_far_it_is_from_the_line():
    row = {"alert_code": "procurement_under_80", "value": 0.0684, "other_value": 921000, "note": "630.00",
           "gap": 79.9316, "money_yuan": 920370, "severity": 2.966117, "fiscal_year": 2022,
           "report_kind": "department_overall", "project_name": None, "evaluation_mode": "third_party",
           "document_kind": "evaluation", "evaluation_id": 2, "field": "procurement_exec_pct", "line": 215}
    assert cockpit.describe(row) == "采购执行率 0.1%（实际 0.06 万元 / 预算 92.10 万元）"
    assert cockpit.subject(row) == "2022年 部门整体 · 第三方评价"
    assert cockpit.alert_line(row).startswith(":red-badge[严重] **政府采购执行率低于80%**")
    assert "低于红线 79.9 个百分点" in cockpit.alert_line(row)
    assert cockpit.link_params(row) == {"evaluation_id": "2", "field": "procurement_exec_pct", "line": "215",
                                        "alert": "procurement_under_80"}
    assert cockpit.link_label(row) == "看原文：政府采购执行率 · 第 215 行"
    assert cockpit.severity_band(0.14) == ("较重", "orange") and cockpit.severity_band(0.02) == ("一般", "gray")
    project = {**row, "report_kind": "project", "project_name": "职工帮扶", "evaluation_mode": "self"}
    assert cockpit.subject(project) == "2022年 项目：职工帮扶 · 自评"
    drop = {"alert_code": "score_drop", "value": 85, "other_value": 92, "gap": 7, "field": "total_score",
            "line": None, "evaluation_id": 5}
    assert cockpit.describe(drop) == "总分 85.00，上年 92.00" and cockpit.gap_text(drop) == "降 7.00 分"
    assert cockpit.link_label(drop) == "看报告：总分" and "line" not in cockpit.link_params(drop)


def test_the_new_charts_say_why_they_are_blank():
    from dashboard import charts

    panels = {"total_score": ("总分", False), "satisfaction_pct": ("满意度", True)}
    empty = charts.trend_panels(pd.DataFrame(columns=["label", "fiscal_year", *panels]),
                                pd.DataFrame(columns=["fiscal_year", *panels]), panels)
    assert [a.text for a in empty.layout.annotations][-2:] == ["所选范围没有该项数据"] * 2
    assert charts.coverage_grid(pd.DataFrame()).layout.annotations[0].text == "没有覆盖数据"
    assert charts.flag_types(pd.DataFrame(), "error").layout.annotations[0].text == "没有这一级的质量标记"
    errors = charts.flag_types(pd.DataFrame({"code": ["a", "b"], "count": [1, 2]}), "error")
    assert errors.layout.xaxis.dtick == 1 and errors.data[0].marker.color == charts.DOWN  # whole flags, in red


# ---------------------------------------------------------------------------------------------
# The overview on the real reports


def test_the_cockpit_opens_on_the_latest_year_and_ranks_alerts_by_severity(open_page, real_warehouse):
    at = open_page(PAGE["总览"], real_warehouse)
    no_exception(at)
    cards = {m.label: m for m in at.metric}
    assert list(cards) == ["总分中位数", "等次为中或差", "超支或执行率<90%", "采购执行率<80%", "满意度<90%"]
    assert cards["总分中位数"].value == "100.00" and cards["总分中位数"].proto.delta == "+11.22"
    text = texts(at)
    assert "2023年没有预警" in text  # 霍邱县 2023: only data-quality errors, listed apart
    assert "条错误级质量标记" in text
    errors = [x for x in links(at) if x.get("field") == "quality_flag"]
    assert errors and all(x["page"] == "report" and x.get("line") for x in errors)

    at.toggle(key="alert_all_years").set_value(True).run()
    no_exception(at)
    eid = qingyunpu(real_warehouse)
    alerts = [x for x in links(at) if x.get("alert") and x["alert"] != "error_flag"]
    # the 0.07% procurement (92.04 万元 not spent) before the 105.7% overspend (31.13 万元 over)
    assert [(x["evaluation_id"], x["alert"], x["field"], x["line"]) for x in alerts] == [
        (str(eid), "procurement_under_80", "procurement_exec_pct", "215"),
        (str(eid), "overspend", "budget_exec_pct", "211")]
    source = (REPORTS_DIR / "001_ef013dee5caf02af.txt").read_text(encoding="utf-8").splitlines()
    assert "0.07%" in source[215 - 1] and "105.66%" in source[211 - 1]  # the lines are the figures' own
    # grouped by unit: one heading for 青云谱区, its two alerts under it, each said once on the page
    headings = [m.value for m in at.markdown if str(m.value).startswith("**1. ")]
    assert headings == [f"**1. {QINGYUNPU}** 江西省 南昌市 青云谱区 · 2 条预警 · 涉及 123.16 万元"]
    shown = [str(m.value) for m in at.markdown]
    assert sum("采购执行率 0.1%" in t for t in shown) == 1 and sum("预算执行率 105.7%" in t for t in shown) == 1


def test_the_alert_table_is_the_whole_list_ranked_with_links_to_the_figures(open_page, real_warehouse):
    at = open_page(PAGE["总览"], real_warehouse)
    no_exception(at)
    table = next(d.value for d in at.dataframe if "预警" in d.value.columns)
    assert len(table) == rows(real_warehouse, "SELECT count(*) FROM v_alerts")[0][0]
    assert table["严重程度"].tolist()[:2] == ["严重", "较重"] and set(table["严重程度"].iloc[2:]) == {"—"}
    assert table["预警"].tolist()[:2] == ["政府采购执行率低于80%", "预算超支（执行率>100%）"]
    first = parse_qs(table["报告"].iloc[0].split("?", 1)[1])
    assert first["field"] == ["procurement_exec_pct"] and first["line"] == ["215"]
    assert table["原文行"].notna().all()  # every alert of the real reports names its line


def test_downloads_carry_full_links(monkeypatch, real_warehouse):
    monkeypatch.setenv("WAREHOUSE_PATH", str(real_warehouse))
    base = "http://dashboard.example:8501/"
    assert ui.full_link("./report?evaluation_id=2", base) == base + "report?evaluation_id=2"
    assert ui.full_link("./report?evaluation_id=2", None) == "./report?evaluation_id=2"
    rows_ = data.alerts(data.Filters())
    transform = ui._with_full_links(lambda r: cockpit.alert_frame(
        r, lambda x: data.link("report", data.Filters(), **cockpit.link_params(x))), "link", base)
    csv = pd.read_csv(__import__("io").BytesIO(ui.csv_of_all(rows_, ["link", "alert", "unit_name"], transform)),
                      encoding="utf-8-sig")
    assert len(csv) == rows_.total and csv["报告"].str.startswith(base + "report?").all()
    assert ui.page_of("./report?evaluation_id=2&field=budget_exec_pct")[1] == {
        "evaluation_id": ["2"], "field": ["budget_exec_pct"]}
    assert ui.page_of("./report?x=1")[0].endswith("dashboard/pages/report.py")


def test_a_picked_table_row_opens_its_report_in_the_same_session(open_page, real_warehouse):
    at = open_page(PAGE["总览"], real_warehouse)
    no_exception(at)
    table = next(d for d in at.dataframe if "预警" in d.value.columns)
    link = table.value["报告"].iloc[0]
    at.session_state[ui._PICKED] = link  # what the table's on_select leaves for the next run
    at.run()
    no_exception(at)
    assert at.selectbox(key="report_pick").value == qingyunpu(real_warehouse)
    assert any("政府采购执行率低于80%" in str(m.value) for m in at.markdown)


# ---------------------------------------------------------------------------------------------
# One click to the sentence: the report page opened at a figure


def test_the_report_opens_at_the_figure_with_its_sentence_highlighted(open_page, real_warehouse):
    eid = qingyunpu(real_warehouse)
    at = open_page(PAGE["报告详情"], real_warehouse, {"evaluation_id": str(eid), "field": "procurement_exec_pct",
                                                    "line": "215", "alert": "procurement_under_80"})
    no_exception(at)
    focus = next(str(m.value) for m in at.markdown if "所依据的数字" in str(m.value))
    assert "政府采购执行率低于80%" in focus and "政府采购执行率：0.1%（原文写作“0.07%”）" in focus and "第 215 行" in focus
    block = next(str(h.value) for h in at.get("html") if 'id="report-focus"' in str(h.value))
    line = block.split('id="report-focus-line"', 1)[1].split("</div>", 1)[0]
    assert 'data-line="215"' in line and "0.07%" in line  # the sentence itself, marked
    assert "scrollIntoView" in block  # and brought into view
    expanded = [e.label for e in at.expander if e.proto.expanded]
    assert expanded == ["政府采购执行率：0.1%\u3000·\u3000第 215 行"]  # not the other figures of line 215
    # another report picked: the figure of the link no longer applies
    other = rows(real_warehouse, "SELECT min(evaluation_id) FROM v_evaluation WHERE evaluation_id <> ?", [eid])[0][0]
    at.selectbox(key="report_pick").select(other).run()
    no_exception(at)
    assert "field" not in at.query_params and "line" not in at.query_params
    assert not any("所依据的数字" in str(m.value) for m in at.markdown)


def test_a_flag_link_opens_the_flag_and_a_score_link_without_a_line_says_so(open_page, real_warehouse):
    eid = qingyunpu(real_warehouse)
    at = open_page(PAGE["报告详情"], real_warehouse, {"evaluation_id": str(eid), "field": "quality_flag",
                                                    "line": "585"})
    no_exception(at)
    assert any(e.proto.expanded and "第 585 行" in e.label and e.label.startswith("错误") for e in at.expander)
    at = open_page(PAGE["报告详情"], real_warehouse, {"evaluation_id": str(eid), "field": "total_score"})
    no_exception(at)
    assert "总分：88.78（等次 良）" in texts(at) and "报告没有给出这一数字所在的行" in texts(at)


# ---------------------------------------------------------------------------------------------
# Trends and quality


def test_trends_open_on_the_median_and_the_largest_falls(open_page, synth_warehouse):
    at = open_page(PAGE["年度趋势"], synth_warehouse)
    no_exception(at)
    (year,), = rows(synth_warehouse, "SELECT max(fiscal_year) FROM v_unit_trend WHERE total_score_change < 0")
    falls = rows(synth_warehouse, """SELECT unit_name, total_score_change FROM v_unit_trend
                                     WHERE fiscal_year = ? AND total_score_change < 0
                                     ORDER BY total_score_change, unit_name, unit_id, evaluation_id LIMIT 5""", [year])
    chosen = at.multiselect(key="units").value
    assert len(chosen) == len(falls) == 5
    assert [c.split(" · ")[0] for c in chosen] == [u for u, _ in falls]  # not the first units of an alphabet
    spec = plotly(at, "trend_panels")
    median = [t for t in spec["data"] if t["name"] == "全部地区中位数"]
    assert len(median) == 4 and median[0]["line"]["dash"] == "dash"  # one per panel, drawn first
    (m,), = rows(synth_warehouse, f"SELECT quantile_cont(total_score, 0.5) FROM v_unit_trend WHERE fiscal_year = {year}")
    assert values(median[0]["y"])[-1] == pytest.approx(float(m))
    assert sum(1 for t in spec["data"] if t.get("showlegend")) == 1 + 5  # one legend entry per line


def test_quality_shows_errors_first_and_coverage_against_the_regions_in_scope(open_page, real_warehouse):
    at = open_page(PAGE["数据质量"], real_warehouse)
    no_exception(at)
    assert [m.label for m in at.metric][:3] == ["错误", "警告", "提示"]
    charts = [c.proto.id for c in at.get("plotly_chart")]
    assert "flag_chart_error" in charts[0]  # the errors' own chart comes first
    errors = plotly(at, "flag_chart_error")["data"][0]
    (n,), = rows(real_warehouse, "SELECT count(*) FROM v_quality_flags WHERE severity = 'error'")
    assert sum(values(errors["x"])) == n
    grid = plotly(at, "coverage_chart")["data"][0]
    assert grid["type"] == "heatmap" and grid["y"] == ["安徽省", "江西省", "湖南省"]
    assert grid["x"] == ["2020年", "2021年", "2022年", "2023年"]
    assert grid["text"][1] == ["0", "1/2", "1/2", "0"]  # 江西: 2 counties report at all, one a year
    assert "全国 2023年**：1 / 4 个县区报告（25.0%）" in texts(at)
    flags = next(d.value for d in at.dataframe if "标记类型" in d.value.columns)
    assert flags["严重程度"].iloc[0] == "错误" and flags["报告"].str.contains("field=quality_flag").all()


def test_the_overview_stays_within_its_time_on_the_synthetic_warehouse(open_page, synth_warehouse):
    import time

    t = time.perf_counter()
    at = open_page(PAGE["总览"], synth_warehouse, {"alert_all_years": "true"})
    no_exception(at)
    assert time.perf_counter() - t < 10  # a cold AppTest run, imports included (bench: page runs < 1 s)
    groups = [m for m in at.markdown if str(m.value).startswith("**") and " 条预警" in str(m.value)]
    assert len(groups) == 10  # the ten most severe units, not every alert of the country
    top = rows(synth_warehouse, "SELECT max(severity) FROM v_alerts")[0][0]
    first = next(str(m.value) for m in at.markdown if re.match(r":\w+-badge\[(严重|较重|一般)\]", str(m.value)))
    assert first.startswith(f":{cockpit.severity_band(top)[1]}-badge[{cockpit.severity_band(top)[0]}]")
    assert fmt.count(rows(synth_warehouse, "SELECT count(DISTINCT unit_id) FROM v_alerts "
                                           "WHERE alert_code <> 'error_flag'")[0][0]) + " 个单位共" in texts(at)
