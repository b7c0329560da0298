"""地区对比: rank the units of a region and year on one metric, against the peer median."""

import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

BANDS = {
    "total_score": {"优": "优（≥90）", "良": "良（80–90）", "中": "中（60–80）", "差": "差（<60）"},
    "budget_exec_pct": fmt.BUDGET_BAND_LABELS,
    "procurement_exec_pct": fmt.PROCUREMENT_BAND_LABELS,
    "three_public_control_pct": {">100": "超出预算", "100": "未超预算"},
    "satisfaction_pct": {"≥90": "≥90%", "<90": "<90%"},
}

BAR_EACH_END = 20  # a longer ranking shows its top and bottom 20 bars; the table ranks them all

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("地区对比", f, "同类比较：同一年度、同一报告类型。")
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

groups = data.peer_rank_groups(f, metric, year)
if groups.empty:
    st.info(f"{year}年在所选地区没有给出{fmt.METRIC_LABELS[metric]}的报告。", icon=":material/search_off:")
    st.stop()
ends = data.peer_rank_ends(f, metric, year, BAR_EACH_END)


def show(value) -> str:
    return fmt.pct(value) if is_pct else fmt.score(value)


ends["label"] = [
    fmt.unit_label(r.unit_name, r.is_demo, suffix=" ".join(
        x for x in (r.project_name if isinstance(r.project_name, str) else "", fmt.mode_label(r.evaluation_mode)
                    if isinstance(r.evaluation_mode, str) else "") if x))
    for r in ends.itertuples()
]
ui.demo_badge(ends)
for g in groups.itertuples():
    kind = g.report_kind
    kind_name = fmt.kind_label(kind) if isinstance(kind, str) else "类型未知"
    part = ends[ends["report_kind"] == kind] if isinstance(kind, str) else ends[ends["report_kind"].isna()]
    median = float(g.median)
    st.subheader(f"{kind_name}报告 · {year}年 · {fmt.METRIC_LABELS[metric]}排名")
    st.markdown(f"共 **{fmt.count(g.n)}** 份同类报告；同类中位数 **{show(median)}**；"
                f"最高 **{part.iloc[0]['label']}**（{show(part.iloc[0]['value'])}）。")
    if g.n > 2 * BAR_EACH_END:
        st.caption(f"图中显示最高和最低各 {BAR_EACH_END} 份；完整排名见下方百分位表。")
    st.plotly_chart(charts.ranked_bars(part, label, median=median, is_pct=is_pct, band_labels=BANDS[metric]),
                    key=f"rank_chart_{kind}")

st.subheader("按地区的分布")
by = "city" if f.province else "province"
spread = data.peer_rank_spread(f, metric, year, by)
st.caption("每个地区一个箱形：箱体为 25% 到 75% 分位，中间线为中位数，须线到最小值和最大值。")
st.plotly_chart(charts.group_distribution(spread, "市" if by == "city" else "省", label, is_pct=is_pct),
                key="spread_chart")

st.subheader("百分位表")
st.caption("名次 1 为最高；百分位 = 同类中数值低于本单位的比例（0–100）。同类：同一年度、同一报告类型，分别在市、省、全国范围内。")
# The value column takes the metric's own name, so its header names the unit (预算执行率（%）, 总分)
# and it is formatted like that metric everywhere else.
median_col = "median_national_pct" if is_pct else "median_national"
ui.table(data.peer_ranks(f, metric, year), "ranks", f"地区对比_{fmt.METRIC_LABELS[metric]}_{year}", columns=[
    "unit_name", "province", "city", "county", "report_kind", "project_name", "evaluation_mode", metric,
    "rank_in_city", "peers_in_city", "percentile_in_city", "rank_in_province", "peers_in_province",
    "percentile_in_province", "rank_national", "peers_national", "percentile_national", median_col, "is_demo"],
    transform=lambda rows: rows.rename(columns={"value": metric, "median_national": median_col}))
