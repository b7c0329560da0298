"""地区对比: rank the units of a region and year on one metric, self and external evaluations apart.

Each ranking is a dot plot whose axis is zoomed to the values (not from 0), so close scores still
separate; equal values share a rank (并列); the peer median is a dashed line labelled above the
plot. Self-evaluations and external evaluations (third party, department, finance) are ranked
apart, per report kind. A click on a dot narrows the filters (and the URL) to that unit's county
and offers its report; a click on a region of the distribution chart drills into that region,
as the map page does.
"""

from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

# The report page by its absolute path: st.page_link resolves it whatever the entry point
# (streamlit_app.py, or the benchmark's and tests' own navigation).
REPORT_PAGE = str(Path(__file__).resolve().parent / "report.py")

BANDS = {
    "total_score": {"优": "优（≥90）", "良": "良（80–90）", "中": "中（60–80）", "差": "差（<60）"},
    "budget_exec_pct": fmt.BUDGET_BAND_LABELS,
    "procurement_exec_pct": fmt.PROCUREMENT_BAND_LABELS,
    "three_public_control_pct": {">100": "超出预算", "100": "未超预算"},
    "satisfaction_pct": {"≥90": "≥90%", "<90": "<90%"},
}
MODE_GROUPS = {"self": "自评", "external": "外部评价", "unknown": "评价方式未注明"}
REAL_MARK = "〔真实报告〕"

DOTS_EACH_END = 20  # a longer ranking shows its top and bottom 20; the table ranks them all

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("地区对比", f, "同类比较：同一年度、同一报告类型；自评与外部评价分开排名。")
ui.guard(status)

opts = data.filter_options(f.include_demo)
years = [y for y in opts.years if f.year_from is None or f.year_from <= y <= f.year_to]
if not years:
    st.info("当前筛选条件下没有报告。", icon=":material/filter_alt_off:")
    st.stop()
c1, c2 = st.columns(2)
metric = c1.selectbox("比较指标", list(fmt.METRIC_LABELS), format_func=fmt.METRIC_LABELS.get, key="metric",
                      bind="query-params")
year = c2.selectbox("比较年度", sorted(years, reverse=True), format_func=lambda y: f"{y}年", key="rank_year",
                    bind="query-params")
is_pct = metric != "total_score"
label = fmt.METRIC_LABELS[metric] + ("（%）" if is_pct else "（分）")


def show(value) -> str:
    return fmt.pct(value) if is_pct else fmt.score(value)


def _on_dot(chart_key: str) -> None:
    """A click on a report's dot: the filters narrow to its county, and its report is offered."""
    state = st.session_state.get(chart_key)
    points = state["selection"]["points"] if state else []
    for point in points:
        custom = point.get("customdata") or []
        if len(custom) >= 4 and custom[0] is not None:
            evaluation_id, province, city, county = custom[:4]
            st.session_state["rank_pick"] = (int(evaluation_id), county)
            if province:
                filters.drill(province, city, county)
            return


def _on_region(chart_key: str, by: str) -> None:
    """A click on a region of the distribution chart: drill into it."""
    state = st.session_state.get(chart_key)
    points = state["selection"]["points"] if state else []
    for point in points:
        custom = point.get("customdata") or []
        if len(custom) >= 3 and custom[0]:
            group, province, city = custom[:3]
            if by == "province":
                filters.drill(group, None, None)
            elif by == "city":
                filters.drill(province, group, None)
            else:
                filters.drill(province, city, group)
            return


pick, pick_county = st.session_state.get("rank_pick") or (None, None)
if pick is not None and pick_county == f.county:  # until the filters move away from its county
    brief = data.evaluation_brief(pick)
    if brief:
        with st.container(border=True):
            st.markdown(f"已选：**{fmt.evaluation_label(brief)}**（筛选已缩小到该县区；左侧“县区”选“全部”可返回上一级）")
            st.page_link(REPORT_PAGE, label="查看报告", icon=":material/description:",
                         query_params={**f.query_params(), "evaluation_id": str(pick)})

groups = data.rank_groups(f, metric, year)
if groups.empty:
    st.info(f"{year}年在所选地区没有给出{fmt.METRIC_LABELS[metric]}的报告。", icon=":material/search_off:")
    st.stop()
ends = data.rank_ends(f, metric, year, DOTS_EACH_END)
ends["label"] = [
    fmt.unit_label(r.unit_name, False, suffix=" ".join(
        x for x in (r.project_name if isinstance(r.project_name, str) else "", fmt.mode_label(r.evaluation_mode)
                    if isinstance(r.evaluation_mode, str) and r.mode_group == "external" else "") if x))
    for r in ends.itertuples()
]

for g in groups.itertuples():
    kind = g.report_kind
    kind_name = fmt.kind_label(kind) if isinstance(kind, str) else "类型未知"
    same_kind = ends["report_kind"] == kind if isinstance(kind, str) else ends["report_kind"].isna()
    part = ends[same_kind & (ends["mode_group"] == g.mode_group)].copy()
    if part.empty:
        continue
    median = float(g.median)
    mixed = 0 < int(g.demo) < int(g.n)
    if mixed:  # real reports among demo ones: the real ones are marked, the chart badged once
        part["label"] = [f"{lab}{'' if d else REAL_MARK}" for lab, d in zip(part["label"], part["is_demo"])]
    st.subheader(f"{kind_name}报告 · {MODE_GROUPS.get(g.mode_group, g.mode_group)} · {year}年 · "
                 f"{fmt.METRIC_LABELS[metric]}排名")
    top = part.iloc[0]
    tied = part[part["ties"] > 1]
    sentence = (f"共 **{fmt.count(g.n)}** 份同类报告；同类中位数 **{show(median)}**；"
                f"最高 **{top['label']}**（{show(top['value'])}），最低 {show(g.min)}。")
    if not tied.empty:
        sentence += f"有 {fmt.count(len(tied))} 份与其他报告同分，名次记为“并列”。"
    st.markdown(sentence)
    if int(g.demo) > 0:
        ui.demo_badge(force=True)
        if mixed:
            st.caption(f"除标明{REAL_MARK}的行外均为演示数据。")
    if g.n > 2 * DOTS_EACH_END:
        st.caption(f"图中显示最高和最低各 {DOTS_EACH_END} 份（中间以“⋯”隔开）；完整排名见下方百分位表。")
    chart_key = f"rank_chart_{kind}_{g.mode_group}_{metric}_{year}"
    st.plotly_chart(charts.rank_dots(part, label, median=median, is_pct=is_pct, band_labels=BANDS[metric],
                                     gap=g.n > 2 * DOTS_EACH_END),
                    key=chart_key, on_select=partial(_on_dot, chart_key), selection_mode="points")
st.caption("点击一个点：筛选缩小到该单位所在县区，并可打开它的报告。")

by = "county" if f.city else "city" if f.province else "province"
by_name = {"province": "省", "city": "市", "county": "县区"}[by]
st.subheader(f"按{by_name}的分布")
spread = data.rank_spread(f, metric, year, by)
st.caption(f"每个{by_name}一行，按中位数排列：圆点为中位数，粗线为 25% 到 75% 分位，细线为最小值到最大值；括号内为报告数。"
           f"点击圆点查看该{by_name}。")
spread_key = f"spread_chart_{by}_{metric}_{year}"
st.plotly_chart(charts.spread_dots(spread, by_name, label, is_pct=is_pct), key=spread_key,
                on_select=partial(_on_region, spread_key, by), selection_mode="points")

st.subheader("百分位表")
st.caption("名次 1 为最高；百分位 = 同类中数值低于本单位的比例（0–100）。同类：同一年度、同一报告类型，分别在市、省、全国范围内。")
# The value column takes the metric's own name, so its header names the unit (预算执行率（%）, 总分)
# and it is formatted like that metric everywhere else.
median_col = "median_national_pct" if is_pct else "median_national"


def _table_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.rename(columns={"value": metric, "median_national": median_col}).assign(
        link=[data.link("report", f, evaluation_id=int(i)) for i in rows["evaluation_id"]])


ui.table(data.peer_ranks(f, metric, year), "ranks", f"地区对比_{fmt.METRIC_LABELS[metric]}_{year}", columns=[
    "link", "unit_name", "province", "city", "county", "report_kind", "project_name", "evaluation_mode", metric,
    "rank_in_city", "peers_in_city", "percentile_in_city", "rank_in_province", "peers_in_province",
    "percentile_in_province", "rank_national", "peers_national", "percentile_national", median_col, "is_demo"],
    link_column="link", transform=_table_rows)
