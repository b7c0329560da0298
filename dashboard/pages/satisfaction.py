"""满意度: how satisfaction is spread by year, region and respondent group; who is below 90%."""

import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

LOWEST = 8

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("满意度", f, "每个满意度数字计一次（一份报告可有多个调查对象）；分布表每份报告计一次。")
ui.guard(status)

summary = data.satisfaction_summary(f)
if summary["figures"] == 0:
    st.info("当前筛选条件下没有报告给出满意度。", icon=":material/filter_alt_off:")
    st.stop()
distribution = data.satisfaction_distribution(f)

valued, figures = int(summary["valued"]), int(summary["figures"])
c = st.columns(4)
c[0].metric("满意度数字", fmt.count(valued), border=True,  # a group named without a percentage has no value
            help=f"另有 {figures - valued} 个调查对象没有给出百分比" if figures > valued else None)
c[1].metric("涉及报告", fmt.count(summary["evaluations"]), border=True)
c[2].metric("中位数", fmt.pct(summary["median_pct"]), border=True)
c[3].metric("低于 90% 的占比", fmt.pct(100 * int(summary["below_90"]) / valued) if valued else fmt.MISSING,
            help=f"{int(summary['below_90'])} / {valued} 个满意度数字低于 90%", border=True)
lowest = data.satisfaction_lowest(f, LOWEST)
ui.demo_badge(lowest.frame)
st.markdown("最低的满意度：" + "　".join(
    f"**{fmt.unit_label(r.unit_name, r.is_demo, r.fiscal_year)}**（{r.respondent_group if isinstance(r.respondent_group, str) else '总体'}）"
    f"{fmt.pct(r.pct)}" for r in lowest.frame.itertuples()) + ("　…" if lowest.capped else ""))

st.plotly_chart(charts.satisfaction_histogram(data.satisfaction_bins(f)), key="satisfaction_hist")
st.caption("下面每个箱形：箱体为 25% 到 75% 分位，中间线为中位数，须线到最小值和最大值。")
left, right = st.columns(2)
by = "city" if f.province else "province"
with left:
    st.plotly_chart(charts.group_distribution(data.satisfaction_spread(f, by), "市" if by == "city" else "省",
                                              "满意度（%）", title="按地区", is_pct=True), key="satisfaction_region")
with right:
    st.plotly_chart(charts.group_distribution(data.satisfaction_spread(f, "respondent"), "调查对象", "满意度（%）",
                                              title="按调查对象", is_pct=True), key="satisfaction_group")

st.subheader("分布统计")
st.caption("每份报告一个观测值（报告给出的总体满意度，或各调查对象满意度的加权平均）。")
ui.table(distribution, "distribution", "满意度分布", columns=[
    "fiscal_year", "region_level", "province", "city", "n", "min_pct", "p25_pct", "median_pct", "p75_pct",
    "max_pct", "mean_pct", "n_below_90", "share_below_90_pct", "is_demo"])

st.subheader("全部满意度数字")
st.caption("从低到高排列。")
ui.table(data.satisfaction_rows(f), "figures", "满意度明细", link_column="link", open_row=True,
         transform=ui.report_links(f, "satisfaction_pct", "line"), columns=[
    "link", "unit_name", "fiscal_year", "province", "city", "report_kind", "evaluation_mode", "respondent_group", "pct",
    "weight", "score", "raw", "line", "is_demo"])
