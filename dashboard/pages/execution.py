"""预算与采购执行: budget against spending, procurement against plan, and 三公 control."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

LIST_LIMIT = 10  # rows spelled out in sentences; the table below has them all
BARS = 20  # three-public bars: the largest spenders

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("预算与采购执行", f, "执行率同时给出报告值与按分子分母的复算值；金额单位为万元。")
ui.guard(status)

budget = data.budget_summary(f)
procurement = data.procurement_summary(f)
three = data.three_public_summary(f)
accounts = data.final_accounts_summary(f)
if budget["reports"] == 0 and procurement["reports"] == 0 and three["reports"] == 0 and accounts["documents"] == 0:
    st.info("当前筛选条件下没有报告给出预算、采购或“三公”经费数据。", icon=":material/filter_alt_off:")
    st.stop()


def name(r) -> str:
    return fmt.unit_label(r.unit_name, r.is_demo, r.fiscal_year)


def labelled(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(label=[name(r) for r in rows.itertuples()])


def sample_caption(points: data.Rows, what: str) -> None:
    """Say so when the scatter draws a sample, not every report."""
    if points.capped:
        st.caption(f"共 {fmt.count(points.total)} 份{what}，散点图画出其中固定抽取的 {fmt.count(len(points.frame))} 份"
                   "（按评价编号的哈希值排序取前若干份，每次相同）；区间统计与下表包含全部。")


st.subheader("预算执行")
if budget["reports"] == 0:
    st.info("没有报告给出预算与支出。", icon=":material/search_off:")
else:
    c = st.columns(4)
    c[0].metric("有预算数据的报告", fmt.count(budget["reports"]), border=True)
    c[1].metric("超支（>100%）", fmt.count(budget["overspend"]), border=True)
    c[2].metric("执行率低于 90%", fmt.count(budget["under_90"]), border=True)
    c[3].metric("报告值与复算值不一致", fmt.count(budget["disagree"]), border=True)
    watch = data.budget_watch(f, LIST_LIMIT)
    if watch.total:
        more = f"，下面列出前 {LIST_LIMIT} 份，其余见表" if watch.capped else ""
        st.markdown(f"**需关注（{fmt.count(watch.total)} 份{more}）**")
    for r in labelled(watch.frame).itertuples():
        if pd.notna(r.budget_exec_pct):
            budget_yuan = r.budget_adjusted_yuan if pd.notna(r.budget_adjusted_yuan) else r.budget_initial_yuan
            stated = f"，报告值 {fmt.pct(r.budget_exec_pct_stated)}" if pd.notna(r.budget_exec_pct_stated) else ""
            flag = "　:material/warning: 报告值与复算值不一致" if pd.notna(r.rates_agree) and not r.rates_agree else ""
            st.markdown(f"- **{r.label}**：预算执行率 {fmt.pct(r.budget_exec_pct)}（支出 {fmt.money_wan(r.expenditure_yuan)}"
                        f" / 预算 {fmt.money_wan(budget_yuan)}{stated}）{flag}")
    points = data.budget_points(f)
    sample_caption(points, "有预算和支出的报告")
    dots = labelled(points.frame)
    dots["budget_yuan"] = dots["budget_adjusted_yuan"].fillna(dots["budget_initial_yuan"])
    ui.demo_badge(dots)
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.budget_scatter(dots), key="budget_chart")
    with right:
        st.plotly_chart(charts.band_counts(data.band_counts("v_budget_execution", f), fmt.BUDGET_BAND_LABELS,
                                           "预算执行区间"), key="budget_band_chart")
    ui.table(data.budget_rows(f), "budget", "预算执行", link_column="link", open_row=True, transform=ui.report_links(
        f, lambda r: "budget_exec_pct" if pd.notna(r.get("budget_exec_pct_stated")) else "expenditure_yuan"), columns=[
        "link", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "document_kind", "budget_initial_yuan",
        "budget_adjusted_yuan",
        "expenditure_yuan", "budget_exec_pct_stated", "budget_exec_pct_recomputed", "budget_exec_pct_diff",
        "rates_agree", "overspend_yuan", "exec_band", "is_demo"])

st.subheader("政府采购执行")
if procurement["reports"] == 0:
    st.info("没有报告给出政府采购数据。", icon=":material/search_off:")
else:
    c = st.columns(3)
    c[0].metric("有采购数据的报告", fmt.count(procurement["reports"]), border=True)
    c[1].metric("执行率低于 80%", fmt.count(procurement["under_80"]), border=True)
    c[2].metric("执行率中位数", fmt.pct(procurement["median_pct"]), border=True)
    low = data.procurement_low(f, LIST_LIMIT)
    if low.total:
        more = f"，下面列出最低的 {LIST_LIMIT} 份，其余见表" if low.capped else ""
        st.markdown(f"**执行率低于 80% 的报告（{fmt.count(low.total)} 份{more}）**")
        for r in labelled(low.frame).itertuples():
            st.markdown(f"- **{r.label}**：政府采购执行率 {fmt.pct(r.procurement_exec_pct)}（实际 "
                        f"{fmt.money_wan(r.procurement_actual_yuan)} / 预算 {fmt.money_wan(r.procurement_budget_yuan)}），"
                        f"区间 {fmt.PROCUREMENT_BAND_LABELS.get(r.exec_band, r.exec_band)}")
    points = data.procurement_points(f)
    sample_caption(points, "有采购预算和实际金额的报告")
    dots = labelled(points.frame)
    ui.demo_badge(dots)
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.procurement_scatter(dots), key="procurement_chart")
    with right:
        st.plotly_chart(charts.band_counts(data.band_counts("v_procurement_execution", f),
                                           fmt.PROCUREMENT_BAND_LABELS, "采购执行区间"), key="procurement_band_chart")
    ui.table(data.procurement_rows(f), "procurement", "政府采购执行", link_column="link", open_row=True,
             transform=ui.report_links(f, lambda r: "procurement_exec_pct" if pd.notna(r.get("procurement_exec_pct_stated"))
                                       else "procurement_actual_yuan"), columns=[
        "link", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "document_kind", "procurement_budget_yuan",
        "procurement_actual_yuan", "procurement_exec_pct_stated", "procurement_exec_pct_recomputed",
        "procurement_exec_pct", "rates_agree", "exec_band", "rank_in_province", "peers_in_province",
        "percentile_in_province", "rank_national", "peers_national", "percentile_national", "is_demo"])

st.subheader("“三公”经费控制")
if three["reports"] == 0:
    st.info("没有报告给出“三公”经费数据。", icon=":material/search_off:")
else:
    c = st.columns(3)
    c[0].metric("有“三公”数据的报告", fmt.count(three["reports"]), border=True)
    c[1].metric("超出预算", fmt.count(three["over_budget"]), border=True)
    c[2].metric("支出合计", fmt.money_wan(three["actual_yuan"]), border=True)
    top = data.three_public_top(f, "control", LIST_LIMIT)
    ui.demo_badge(top.frame)
    if top.capped:
        st.caption(f"下面列出控制率最高的 {LIST_LIMIT} 份，其余见表。")
    for r in labelled(top.frame).itertuples():
        if pd.notna(r.three_public_budget_yuan):
            rate = f"，预算 {fmt.money_wan(r.three_public_budget_yuan)}，控制率 {fmt.pct(r.three_public_control_pct)}"
        else:
            rate = "（未给出预算，无法计算控制率）"
        change = f"，比上年 {fmt.signed_pct(r.actual_change_pct)}" if pd.notna(r.actual_change_pct) else ""
        st.markdown(f"- **{r.label}**：支出 {fmt.money_wan(r.three_public_actual_yuan)}{rate}{change}")
    largest = data.three_public_top(f, "actual", BARS)
    bars = labelled(largest.frame).rename(
        columns={"three_public_budget_yuan": "budget_yuan", "three_public_actual_yuan": "actual_yuan"})
    title = "“三公”经费预算与支出（万元）" + (f"，支出最多的 {BARS} 份" if largest.capped else "")
    st.plotly_chart(charts.budget_actual_bars(bars, title, "预算", "支出"), key="three_chart")
    ui.table(data.three_public_rows(f), "three_public", "三公经费", link_column="link", open_row=True,
             transform=ui.report_links(f, "three_public_actual_yuan"), columns=[
        "link", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "document_kind", "three_public_budget_yuan",
        "three_public_actual_yuan", "three_public_control_pct_stated", "three_public_control_pct_recomputed",
        "rates_agree", "previous_actual_yuan", "actual_change_yuan", "actual_change_pct", "is_demo"])

st.subheader("决算公开等非评价文件的收支")
st.caption("部门决算公开页、预算公开页等不是绩效评价，不参与得分比较；它们所述的收入、支出和“三公”经费在此列出，"
           "并与同一单位上年的同类文件比较（上表中也含这些文件，以“文件类型”区分）。")
if accounts["documents"] == 0:
    st.info("当前筛选条件下没有给出金额的非评价文件。", icon=":material/search_off:")
else:
    c = st.columns(4)
    c[0].metric("文件数", fmt.count(accounts["documents"]), border=True,
                help=f"涉及 {fmt.count(accounts['units'])} 个单位")
    c[1].metric("收入合计", fmt.money_wan(accounts["revenue_yuan"]), border=True)
    c[2].metric("支出合计", fmt.money_wan(accounts["expenditure_yuan"]), border=True)
    c[3].metric("“三公”经费支出", fmt.money_wan(accounts["three_public_yuan"]), border=True)
    ui.table(data.final_accounts_rows(f), "final_accounts", "非评价文件收支", link_column="link", open_row=True,
             transform=ui.report_links(f, lambda r: "expenditure_yuan" if pd.notna(r.get("expenditure_yuan"))
                                       else "revenue_total_yuan"),
             columns=["link", *(c for c in data.FINAL_ACCOUNTS_COLUMNS if c != "evaluation_id")])
