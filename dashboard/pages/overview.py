"""总览 as a cockpit: the state of the scope in its latest year against the year before, then the
alerts ranked by severity and grouped by unit, each one click from the sentence of the report it
rests on, and the data-quality errors on their own (dashboard/cockpit.py words it all)."""

import dataclasses

import streamlit as st

from dashboard import charts, cockpit, data, filters, ui
from dashboard import format as fmt

UNITS_SHOWN = 10  # units in the alert list; the table below holds every alert
PER_UNIT = 4  # alerts shown per unit, most severe first
ERRORS_SHOWN = 5
CARD_WIDTH = 172  # px: five cards in a row on a desktop, two on a 390 px phone
# The cards' values fit their width; on a phone the cards drop their sparklines, so the first
# alerts show on the first screen.
CARDS_CSS = """<style>
.st-key-cockpit_cards [data-testid="stMetricValue"] { font-size: 1.75rem; }
@media (max-width: 640px) {
  .st-key-cockpit_cards [data-testid="stMetric"] > div:has([data-testid="stMetricChart"]) { display: none; }
  .st-key-cockpit_cards [data-testid="stMetricValue"] { font-size: 1.5rem; }
}
</style>"""

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("工会绩效评价总览", f)
ui.guard(status)

counts = data.overview_counts(f)
if counts["reports"] == 0 and counts["other_documents"] == 0:
    st.info("当前筛选条件下没有报告。请放宽左侧的筛选条件。", icon=":material/filter_alt_off:")
    st.stop()

region = " ".join(x for x in (f.province, f.city, f.county) if x) or "全部地区"
alert_years = data.alert_state_by_year(f)
state = cockpit.state(data.state_by_year(f), alert_years)

# 1. The state of the scope: one line saying what the cards describe, then the cards.
if state.year is not None:
    st.markdown(cockpit.scope_line(state, region))
if counts["demo"]:
    ui.demo_badge(force=True)
st.html(CARDS_CSS)
cards = st.container(horizontal=True, gap="small", key="cockpit_cards")
with cards:
    for k in state.kpis:
        st.metric(k.label, k.value, k.delta, delta_color=k.delta_color, help=k.help, border=True, width=CARD_WIDTH,
                  chart_data=k.trend if len(k.trend) > 1 else None, chart_type="line",
                  delta_description=f"比{state.previous}年" if state.previous else None)
if counts["other_documents"]:
    st.caption(f"另有 {fmt.count(counts['other_documents'])} 份非评价文件（决算公开页、预算公开页等）："
               "保留其单位、年度和金额，其超支和采购执行率计入预警，不计入报告数、等次、总分和排名。")
if state.year is None:
    st.info("所选范围内只有非评价文件，没有可比较的评价报告。", icon=":material/description:")

# 2. The alerts of that year (or of every selected year), most severe first, grouped by unit.
st.subheader("预警：最要紧的在前")
every_year = st.toggle("包含所选范围内的全部年度", key="alert_all_years", bind="query-params",
                       help=f"默认只列 {state.year}年 的预警；打开后列出所选年度范围内的全部预警。" if state.year else None)
af = f if every_year or state.year is None else dataclasses.replace(f, year_from=state.year, year_to=state.year)
units = data.alert_units(af, UNITS_SHOWN, PER_UNIT)
if units.alerts == 0:
    elsewhere = int(alert_years["alerts"].sum()) if af is not f and len(alert_years) else 0
    st.success(f"{'所选年度' if af is f else f'{state.year}年'}没有预警（数据质量错误见下方）。"
               + (f"所选范围的其他年度有 {fmt.count(elsewhere)} 条，打开上方开关即可查看。" if elsewhere else ""),
               icon=":material/check_circle:")
else:
    groups = cockpit.group_by_unit(units.frame)
    st.caption(f"{fmt.count(units.units)} 个单位共 {fmt.count(units.alerts)} 条预警"
               + (f"，下面是最要紧的 {len(groups)} 个单位" if units.units > len(groups) else "")
               + "。按严重程度排序：偏离红线越远、涉及金额越大越靠前；同一单位的预警归在一起。"
               "点“看原文”在本页打开报告，定位到该数字所在的那一行。")
    for u in groups:
        with st.container(border=True, key=f"alert_unit_{u.rank}"):
            st.markdown(cockpit.unit_heading(u))
            for i, row in enumerate(u.rows):
                with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                    st.markdown(cockpit.alert_line(row), width="stretch")
                    st.page_link(cockpit.REPORT_PAGE, label=cockpit.link_label(row),
                                 icon=":material/subdirectory_arrow_right:",
                                 query_params={**f.query_params(), **cockpit.link_params(row)})
            if u.alerts > len(u.rows):
                st.caption(f"另有 {fmt.count(u.alerts - len(u.rows))} 条较轻的预警，见下方“全部预警”表。")

# 3. Data-quality errors, apart: they say a report's own figures disagree, not that a unit is off.
st.subheader("数据质量错误")
errors = data.error_alerts(af, ERRORS_SHOWN)
with st.container(border=True, key="cockpit_errors"):
    if errors.total == 0:
        st.success("没有错误级的数据质量标记。", icon=":material/check_circle:")
    else:
        st.markdown(f"**{fmt.count(errors.total)} 条错误级质量标记**：报告中的数字自相矛盾或算错。"
                    "引用这些报告的数字前，请先核对原文。")
        for row in errors.frame.to_dict("records"):
            demo = f"〔{fmt.DEMO_BADGE}〕" if row["is_demo"] else ""
            with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                st.markdown(f"**{fmt.text(row['unit_name'])}**{demo} {cockpit.subject(row)}："
                            f"{fmt.user_message(row['note'])}", width="stretch")
                st.page_link(cockpit.REPORT_PAGE, label=cockpit.link_label(row), icon=":material/subdirectory_arrow_right:",
                             query_params={**f.query_params(), **cockpit.link_params(row)})
        if errors.total > len(errors.frame):
            st.page_link(cockpit.QUALITY_PAGE, label=f"在“数据质量”页查看全部 {fmt.count(errors.total)} 条",
                         icon=":material/rule:", query_params=f.query_params())

# 4. How the grades and scores fall over the selected years, and every row behind the page.
years = f"{f.year_from}–{f.year_to}年" if f.year_from is not None and f.year_from != f.year_to else (
    f"{f.year_from}年" if f.year_from is not None else "全部年度")
st.subheader(f"等次与总分（{years}）")
left, right = st.columns(2)
with left:
    st.plotly_chart(charts.grade_distribution(data.grade_counts(f)), key="grade_chart")
with right:
    st.plotly_chart(charts.score_histogram(data.score_bins(f)), key="score_chart")

alerts = data.alerts(f)
with st.expander(f"全部预警（{years}，{fmt.count(alerts.total)} 条，按严重程度排序，可下载）"):
    ui.demo_badge(alerts.frame)
    ui.table(alerts, "alerts", "预警清单", columns=[
        "link", "严重程度", "alert", "unit_name", "fiscal_year", "report_kind", "project_name", "evaluation_mode",
        "document_kind", "detail", "line", "is_demo"], link_column="link", open_row=True,
        transform=lambda rows: cockpit.alert_frame(
            rows, lambda r: data.link("report", f, **cockpit.link_params(r))))

with st.expander("评价一览（等次与总分所依据的表）"):
    ui.table(data.evaluations(f), "evaluations", "评价一览", columns=["link", *data.EVALUATION_COLUMNS],
             link_column="link", open_row=True, transform=lambda rows: rows.assign(
                 link=[data.link("report", f, evaluation_id=int(i)) for i in rows["evaluation_id"]]))
