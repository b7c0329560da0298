"""年度趋势: units over the years, the change from the previous year, the largest rises and falls."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

METRICS = {  # column in v_unit_trend -> (label, is a rate)
    "total_score": ("总分", False),
    "budget_exec_pct": ("预算执行率", True),
    "procurement_exec_pct": ("政府采购执行率", True),
    "satisfaction_pct": ("满意度", True),
}

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("年度趋势", f, "与上年比较：同一单位、同一评价对象、同一评价方式。")
ui.guard(status)

trend = data.view("v_unit_trend", f, order_by="unit_name, fiscal_year")
if trend.empty:
    st.info("当前筛选条件下没有报告。", icon=":material/filter_alt_off:")
    st.stop()


def series_name(r) -> str:
    extra = " ".join(x for x in (
        r.project_name if isinstance(r.project_name, str) else fmt.kind_label(r.report_kind),
        fmt.mode_label(r.evaluation_mode) if isinstance(r.evaluation_mode, str) else "") if x)
    return fmt.unit_label(r.unit_name, r.is_demo, suffix=extra)


trend["label"] = [series_name(r) for r in trend.itertuples()]
years_per_series = trend.groupby("label")["fiscal_year"].nunique().sort_values(ascending=False)
default = list(years_per_series.index[:5])
chosen = st.multiselect("单位（可多选）", list(years_per_series.index), default=default, key="units",
                        bind="query-params", placeholder="选择要比较的单位")
if not chosen:
    st.info("请选择至少一个单位。", icon=":material/touch_app:")
    st.stop()
picked = trend[trend["label"].isin(chosen)]
ui.demo_badge(picked)
latest = picked.sort_values("fiscal_year").groupby("label", sort=False).tail(1)
st.caption("所选单位最近一年的数值（括号内为比上年的变化）：")
st.markdown("\n".join(
    f"- **{r.label}** {int(r.fiscal_year)}年：总分 {fmt.score(r.total_score)}"
    + (f"（{fmt.signed_score(r.total_score_change)}）" if pd.notna(r.total_score_change) else "")
    + f"，预算执行率 {fmt.pct(r.budget_exec_pct)}，采购执行率 {fmt.pct(r.procurement_exec_pct)}，"
      f"满意度 {fmt.pct(r.satisfaction_pct)}"
    for r in latest.itertuples()))

cols = st.columns(2)
for i, (col, (name, is_pct)) in enumerate(METRICS.items()):
    with cols[i % 2]:
        frame = picked.rename(columns={col: "value"})[["label", "fiscal_year", "value"]]
        st.plotly_chart(charts.trend_lines(frame, name + ("（%）" if is_pct else "（分）"), title=name, is_pct=is_pct,
                                           order=chosen), key=f"trend_{col}")

st.subheader("与上年相比")
ui.table(picked, "trend_table", "年度趋势", columns=[
    "unit_name", "report_kind", "project_name", "evaluation_mode", "fiscal_year", "total_score", "previous_total_score",
    "total_score_change", "budget_exec_pct", "budget_exec_pct_change", "procurement_exec_pct",
    "procurement_exec_pct_change", "satisfaction_pct", "satisfaction_pct_change", "is_demo"])

st.subheader("升降最大的单位")
change_metric = st.selectbox("按哪项变化排序", list(METRICS), format_func=lambda m: METRICS[m][0],
                             key="change_metric", bind="query-params")
change_col = f"{change_metric}_change"
changes = trend.dropna(subset=[change_col]).assign(change=lambda d: d[change_col])
changes["label"] = [f"{lab} {int(y)}年" for lab, y in zip(changes["label"], changes["fiscal_year"])]
if changes.empty:
    st.info("所选范围内没有连续两年的同类评价，无法计算年度变化。", icon=":material/timeline:")
else:
    unit = "分" if change_metric == "total_score" else "个百分点"
    rises = changes.nlargest(10, "change")
    falls = changes.nsmallest(10, "change")
    st.markdown(f"上升最多：**{rises.iloc[0]['label']}**（{rises.iloc[0]['change']:+.2f} {unit}）；"
                f"下降最多：**{falls.iloc[0]['label']}**（{falls.iloc[0]['change']:+.2f} {unit}）。")
    both = changes.loc[sorted(set(rises.index) | set(falls.index))]
    st.plotly_chart(charts.change_bars(both, f"{METRICS[change_metric][0]}变化（{unit}）"), key="change_chart")
    ui.table(both, "change_table", "升降最大的单位", columns=[
        "unit_name", "report_kind", "project_name", "evaluation_mode", "fiscal_year", change_metric, change_col,
        "is_demo"])
