"""指标得分: score rates by canonical dimension, where points were lost and why, self vs external."""

import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

HEATMAP_ROWS = 40

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("指标得分", f, "不同指标体系按规范维度比较：决策、过程、产出、效益、满意度；得分率 = 得分 ÷ 分值。")
ui.guard(status)

dims = data.view("v_dimension_scores", f, order_by="total_score, unit_name, dimension_order")
losses = data.view("v_indicator_losses", f, order_by="points_lost DESC, unit_name")
pairs = data.view("v_self_vs_external", f, order_by="fiscal_year DESC, unit_name")
if dims.empty and losses.empty:
    st.info("当前筛选条件下没有带评分表的报告。", icon=":material/filter_alt_off:")
    st.stop()


def evaluation_name(r) -> str:
    extra = " ".join(x for x in (fmt.kind_label(r.report_kind),
                                 fmt.mode_label(r.evaluation_mode) if isinstance(r.evaluation_mode, str) else "") if x)
    return fmt.unit_label(r.unit_name, r.is_demo, r.fiscal_year, extra)


st.subheader("各维度得分率")
if dims.empty:
    st.info("没有分维度的得分。", icon=":material/search_off:")
else:
    dims["label"] = [evaluation_name(r) for r in dims.itertuples()]
    shown_ids = list(dict.fromkeys(dims["evaluation_id"]))[:HEATMAP_ROWS]
    if len(set(dims["evaluation_id"])) > HEATMAP_ROWS:
        st.caption(f"热力图列出总分最低的 {HEATMAP_ROWS} 份报告；下表包含全部。")
    ui.demo_badge(dims)
    weakest = dims.dropna(subset=["score_rate_pct"]).nsmallest(3, "score_rate_pct")
    st.markdown("得分率最低：" + "；".join(f"**{r.label}** {fmt.dimension_label(r.dimension)} {fmt.pct(r.score_rate_pct)}"
                                       f"（{fmt.score(r.score)}/{fmt.score(r.weight)} 分）" for r in weakest.itertuples()))
    st.plotly_chart(charts.dimension_heatmap(dims[dims["evaluation_id"].isin(shown_ids)]), key="dimension_heatmap")
    ui.table(dims, "dimensions", "维度得分", columns=[
        "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "framework", "total_score", "dimension",
        "indicator_count", "weight", "score", "points_lost", "score_rate_pct", "is_demo"])

st.subheader("失分指标与原因")
if losses.empty:
    st.info("所选报告的指标都得了满分。", icon=":material/check_circle:")
else:
    losses["indicator"] = losses["level3"].fillna(losses["level2"]).fillna(losses["level1"]).fillna("（未命名）")
    top = (losses.groupby(["indicator", "dimension"], dropna=False)
           .agg(points_lost=("points_lost", "sum"), reports=("evaluation_id", "nunique"))
           .reset_index().nlargest(20, "points_lost"))
    top["label"] = [f"{r.indicator}（{r.reports} 份）" if r.reports > 1 else r.indicator for r in top.itertuples()]
    st.markdown(f"共 **{len(losses)}** 项指标失分，合计失 **{fmt.score(losses['points_lost'].sum())}** 分。")
    st.plotly_chart(charts.losses_bars(top), key="losses_chart")
    ui.demo_badge(losses)
    ui.table(losses, "losses", "失分指标", columns=[
        "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "dimension", "level1", "level2", "level3",
        "weight", "score", "points_lost", "target_raw", "actual_raw", "reason", "line", "is_demo"])

st.subheader("自评与外部评价之差")
if pairs.empty:
    st.info("没有同一单位、同一对象、同一年度既有自评又有外部评价（部门、财政或第三方）的报告。",
            icon=":material/compare_arrows:")
else:
    pairs["label"] = [fmt.unit_label(r.unit_name, r.is_demo, r.fiscal_year, fmt.mode_label(r.external_mode))
                      for r in pairs.itertuples()]
    widest = pairs.reindex(pairs["total_score_gap"].abs().sort_values(ascending=False).index).head(1)
    for r in widest.itertuples():
        st.markdown(f"差距最大：**{r.label}** 自评 {fmt.score(r.self_total_score)} 分，外部评价 "
                    f"{fmt.score(r.external_total_score)} 分，差 {fmt.signed_score(r.total_score_gap)}。")
    st.plotly_chart(charts.self_external_bars(pairs), key="self_external_chart")
    ui.table(pairs, "pairs", "自评与外部评价", columns=[
        "unit_name", "fiscal_year", "report_kind", "project_name", "external_mode", "self_total_score",
        "external_total_score", "total_score_gap", "decision_rate_gap", "process_rate_gap", "output_rate_gap",
        "outcome_rate_gap", "satisfaction_rate_gap", "is_demo"])
