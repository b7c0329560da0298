"""指标得分: score rates by canonical dimension, where points were lost and why, self vs external."""

import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

HEATMAP_ROWS = 40
TOP_LOSSES = 20
PAIR_BARS = 20

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("指标得分", f, "不同指标体系按规范维度比较：决策、过程、产出、效益、满意度；得分率 = 得分 ÷ 分值。")
ui.guard(status)

dims = data.dimension_rows(f)
losses = data.loss_summary(f)
if dims.total == 0 and losses["indicators"] == 0:
    st.info("当前筛选条件下没有带评分表的报告。", icon=":material/filter_alt_off:")
    st.stop()


def evaluation_name(r) -> str:
    extra = " ".join(x for x in (fmt.kind_label(r.report_kind),
                                 fmt.mode_label(r.evaluation_mode) if isinstance(r.evaluation_mode, str) else "") if x)
    return fmt.unit_label(r.unit_name, r.is_demo, r.fiscal_year, extra)


st.subheader("各维度得分率")
if dims.total == 0:
    st.info("没有分维度的得分。", icon=":material/search_off:")
else:
    # The table lists the lowest total scores first, so its first evaluations are the heatmap's rows.
    frame = dims.frame.assign(label=[evaluation_name(r) for r in dims.frame.itertuples()])
    shown_ids = list(dict.fromkeys(frame["evaluation_id"]))[:HEATMAP_ROWS]
    if data.dimension_evaluations(f) > HEATMAP_ROWS:
        st.caption(f"热力图列出总分最低的 {HEATMAP_ROWS} 份报告；下表从总分最低的报告列起。")
    ui.demo_badge(frame)
    weakest = data.weakest_dimensions(f, 3)
    st.markdown("得分率最低：" + "；".join(f"**{evaluation_name(r)}** {fmt.dimension_label(r.dimension)} "
                                       f"{fmt.pct(r.score_rate_pct)}（{fmt.score(r.score)}/{fmt.score(r.weight)} 分）"
                                       for r in weakest.itertuples()))
    st.plotly_chart(charts.dimension_heatmap(frame[frame["evaluation_id"].isin(shown_ids)]), key="dimension_heatmap")
    ui.table(dims, "dimensions", "维度得分", link_column="link", open_row=True, transform=ui.report_links(f), columns=[
        "link", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "framework", "total_score", "dimension",
        "indicator_count", "weight", "score", "points_lost", "score_rate_pct", "is_demo"])

st.subheader("失分指标与原因")
if losses["indicators"] == 0:
    st.info("所选报告的指标都得了满分。", icon=":material/check_circle:")
else:
    top = data.loss_top_indicators(f, TOP_LOSSES)
    top["label"] = [f"{r.indicator}（{r.times} 次）" if r.times > 1 else r.indicator for r in top.itertuples()]
    st.markdown(f"共 **{fmt.count(losses['indicators'])}** 项指标失分，合计失 **{fmt.score(losses['points_lost'])}** 分。"
                f"下图为合计失分最多的 {len(top)} 个指标（括号内为失分的次数）。")
    st.plotly_chart(charts.losses_bars(top), key="losses_chart")
    rows = data.loss_rows(f)
    ui.demo_badge(rows.frame)
    ui.table(rows, "losses", "失分指标", caption="失分从多到少排列。", link_column="link", open_row=True,
             transform=ui.report_links(f, "indicator", "line"), columns=[
        "link", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "dimension", "level1", "level2", "level3",
        "weight", "score", "points_lost", "target_raw", "actual_raw", "reason", "line", "is_demo"])

st.subheader("自评与外部评价之差")
pairs = data.pair_rows(f)
if pairs.total == 0:
    st.info("没有同一单位、同一对象、同一年度既有自评又有外部评价（部门、财政或第三方）的报告。",
            icon=":material/compare_arrows:")
else:
    widest = data.pair_widest(f, PAIR_BARS)
    widest["label"] = [fmt.unit_label(r.unit_name, r.is_demo, r.fiscal_year, fmt.mode_label(r.external_mode))
                       for r in widest.itertuples()]
    for r in widest.head(1).itertuples():
        st.markdown(f"差距最大：**{r.label}** 自评 {fmt.score(r.self_total_score)} 分，外部评价 "
                    f"{fmt.score(r.external_total_score)} 分，差 {fmt.signed_score(r.total_score_gap)}。")
    if pairs.total > PAIR_BARS:
        st.caption(f"共 {fmt.count(pairs.total)} 对，图中为总分差距最大的 {PAIR_BARS} 对。")
    st.plotly_chart(charts.self_external_bars(widest), key="self_external_chart")
    st.caption("每行的“报告”打开其中外部评价的那份报告。")
    ui.table(pairs, "pairs", "自评与外部评价", link_column="link", open_row=True,
             transform=ui.report_links(f, id_column="external_evaluation_id"), columns=[
        "link", "unit_name", "fiscal_year", "report_kind", "project_name", "external_mode", "self_total_score",
        "external_total_score", "total_score_gap", "decision_rate_gap", "process_rate_gap", "output_rate_gap",
        "outcome_rate_gap", "satisfaction_rate_gap", "is_demo"])
