"""满意度: how satisfaction is spread by year, region and respondent group; who is below 90%."""

import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("满意度", f, "每个满意度数字一个点（一份报告可有多个调查对象）；分布表每份报告计一次。")
ui.guard(status)

figures = data.view("v_satisfaction", f, order_by="pct, fiscal_year DESC, unit_name")
if figures.empty:
    st.info("当前筛选条件下没有报告给出满意度。", icon=":material/filter_alt_off:")
    st.stop()
distribution = data.satisfaction_distribution(f)

figures["label"] = [fmt.unit_label(r.unit_name, r.is_demo, r.fiscal_year) for r in figures.itertuples()]
figures["respondent"] = figures["respondent_group"].fillna("总体")
valued = figures.dropna(subset=["pct"])  # a group named without a percentage (e.g. 较满意) has no value
below = valued[valued["pct"] < 90]
c = st.columns(4)
c[0].metric("满意度数字", fmt.count(len(valued)), border=True,
            help=f"另有 {len(figures) - len(valued)} 个调查对象没有给出百分比" if len(figures) > len(valued) else None)
c[1].metric("涉及报告", fmt.count(valued["evaluation_id"].nunique()), border=True)
c[2].metric("中位数", fmt.pct(valued["pct"].median()), border=True)
c[3].metric("低于 90% 的占比", fmt.pct(100 * len(below) / len(valued)) if len(valued) else fmt.MISSING,
            help=f"{len(below)} / {len(valued)} 个满意度数字低于 90%", border=True)
ui.demo_badge(figures)
st.markdown("最低的满意度：" + "　".join(f"**{r.label}**（{r.respondent}）{fmt.pct(r.pct)}"
                                     for r in valued.head(8).itertuples()) + ("　…" if len(valued) > 8 else ""))

st.plotly_chart(charts.satisfaction_histogram(valued), key="satisfaction_hist")
left, right = st.columns(2)
by = "city" if f.province else "province"
with left:
    st.plotly_chart(charts.group_distribution(valued.assign(group=valued[by].fillna("未知"), value=valued["pct"]),
                                              "市" if by == "city" else "省", "满意度（%）",
                                              title="按地区"), key="satisfaction_region")
with right:
    st.plotly_chart(charts.group_distribution(valued.assign(group=valued["respondent"], value=valued["pct"]),
                                              "调查对象", "满意度（%）", title="按调查对象"), key="satisfaction_group")

st.subheader("分布统计")
st.caption("每份报告一个观测值（报告给出的总体满意度，或各调查对象满意度的加权平均）。")
ui.table(distribution, "distribution", "满意度分布", columns=[
    "fiscal_year", "region_level", "province", "city", "n", "min_pct", "p25_pct", "median_pct", "p75_pct",
    "max_pct", "mean_pct", "n_below_90", "share_below_90_pct", "is_demo"])

st.subheader("全部满意度数字")
ui.table(figures, "figures", "满意度明细", columns=[
    "unit_name", "fiscal_year", "province", "city", "report_kind", "evaluation_mode", "respondent_group", "pct",
    "weight", "score", "raw", "line", "is_demo"])
