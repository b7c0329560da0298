"""预算与采购执行: budget against spending, procurement against plan, and 三公 control."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("预算与采购执行", f, "执行率同时给出报告值与按分子分母的复算值；金额单位为万元。")
ui.guard(status)

budget = data.view("v_budget_execution", f)
procurement = data.view("v_procurement_execution", f)
three = data.view("v_three_public", f)
if budget.empty and procurement.empty and three.empty:
    st.info("当前筛选条件下没有报告给出预算、采购或“三公”经费数据。", icon=":material/filter_alt_off:")
    st.stop()


def name(r) -> str:
    return fmt.unit_label(r.unit_name, r.is_demo, r.fiscal_year)


def band_frame(df: pd.DataFrame) -> pd.DataFrame:
    return df.groupby("exec_band").size().rename("count").reset_index().rename(columns={"exec_band": "band"})


LIST_LIMIT = 10  # rows spelled out in sentences; the table below has them all

st.subheader("预算执行")
if budget.empty:
    st.info("没有报告给出预算与支出。", icon=":material/search_off:")
else:
    budget["label"] = [name(r) for r in budget.itertuples()]
    budget["budget_yuan"] = budget["budget_adjusted_yuan"].fillna(budget["budget_initial_yuan"])
    disagree = budget[budget["rates_agree"].eq(False)]
    c = st.columns(4)
    c[0].metric("有预算数据的报告", fmt.count(len(budget)), border=True)
    c[1].metric("超支（>100%）", fmt.count(budget["is_overspend"].eq(True).sum()), border=True)
    c[2].metric("执行率低于 90%", fmt.count(budget["is_under_90"].eq(True).sum()), border=True)
    c[3].metric("报告值与复算值不一致", fmt.count(len(disagree)), border=True)
    ui.demo_badge(budget)
    watch = budget[budget["is_overspend"].eq(True) | budget["is_under_90"].eq(True) | budget["rates_agree"].eq(False)]
    if not watch.empty:
        more = f"，下面列出前 {LIST_LIMIT} 份，其余见表" if len(watch) > LIST_LIMIT else ""
        st.markdown(f"**需关注（{len(watch)} 份{more}）**")
    for r in watch.head(LIST_LIMIT).itertuples():
        if pd.notna(r.budget_exec_pct):
            stated = f"，报告值 {fmt.pct(r.budget_exec_pct_stated)}" if pd.notna(r.budget_exec_pct_stated) else ""
            flag = "　:material/warning: 报告值与复算值不一致" if pd.notna(r.rates_agree) and not r.rates_agree else ""
            st.markdown(f"- **{r.label}**：预算执行率 {fmt.pct(r.budget_exec_pct)}（支出 {fmt.money_wan(r.expenditure_yuan)}"
                        f" / 预算 {fmt.money_wan(r.budget_yuan)}{stated}）{flag}")
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.budget_scatter(budget), key="budget_chart")
    with right:
        st.plotly_chart(charts.band_counts(band_frame(budget), fmt.BUDGET_BAND_LABELS, "预算执行区间"),
                        key="budget_band_chart")
    ui.table(budget, "budget", "预算执行", columns=[
        "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "budget_initial_yuan", "budget_adjusted_yuan",
        "expenditure_yuan", "budget_exec_pct_stated", "budget_exec_pct_recomputed", "budget_exec_pct_diff",
        "rates_agree", "overspend_yuan", "exec_band", "is_demo"])

st.subheader("政府采购执行")
if procurement.empty:
    st.info("没有报告给出政府采购数据。", icon=":material/search_off:")
else:
    procurement["label"] = [name(r) for r in procurement.itertuples()]
    c = st.columns(3)
    c[0].metric("有采购数据的报告", fmt.count(len(procurement)), border=True)
    c[1].metric("执行率低于 80%", fmt.count((procurement["procurement_exec_pct"] < 80).sum()), border=True)
    c[2].metric("执行率中位数", fmt.pct(procurement["procurement_exec_pct"].median()), border=True)
    ui.demo_badge(procurement)
    low = procurement[procurement["procurement_exec_pct"] < 80].sort_values("procurement_exec_pct")
    if not low.empty:
        st.markdown(f"**执行率低于 80% 的报告（{len(low)} 份）**")
        for r in low.head(LIST_LIMIT).itertuples():
            st.markdown(f"- **{r.label}**：政府采购执行率 {fmt.pct(r.procurement_exec_pct)}（实际 "
                        f"{fmt.money_wan(r.procurement_actual_yuan)} / 预算 {fmt.money_wan(r.procurement_budget_yuan)}），"
                        f"区间 {fmt.PROCUREMENT_BAND_LABELS.get(r.exec_band, r.exec_band)}")
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.procurement_scatter(procurement), key="procurement_chart")
    with right:
        st.plotly_chart(charts.band_counts(band_frame(procurement), fmt.PROCUREMENT_BAND_LABELS, "采购执行区间"),
                        key="procurement_band_chart")
    ui.table(procurement, "procurement", "政府采购执行", columns=[
        "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "procurement_budget_yuan",
        "procurement_actual_yuan", "procurement_exec_pct_stated", "procurement_exec_pct_recomputed",
        "procurement_exec_pct", "rates_agree", "exec_band", "rank_in_province", "peers_in_province",
        "percentile_in_province", "rank_national", "peers_national", "percentile_national", "is_demo"])

st.subheader("“三公”经费控制")
if three.empty:
    st.info("没有报告给出“三公”经费数据。", icon=":material/search_off:")
else:
    three["label"] = [name(r) for r in three.itertuples()]
    c = st.columns(3)
    c[0].metric("有“三公”数据的报告", fmt.count(len(three)), border=True)
    c[1].metric("超出预算", fmt.count(three["is_over_budget"].eq(True).sum()), border=True)
    c[2].metric("支出合计", fmt.money_wan(three["three_public_actual_yuan"].sum(min_count=1)), border=True)
    ui.demo_badge(three)
    if len(three) > LIST_LIMIT:
        st.caption(f"下面列出控制率最高的 {LIST_LIMIT} 份，其余见表。")
    for r in three.sort_values("three_public_control_pct", ascending=False).head(LIST_LIMIT).itertuples():
        if pd.notna(r.three_public_budget_yuan):
            rate = f"，预算 {fmt.money_wan(r.three_public_budget_yuan)}，控制率 {fmt.pct(r.three_public_control_pct)}"
        else:
            rate = "（未给出预算，无法计算控制率）"
        change = f"，比上年 {r.actual_change_pct:+.1f}%" if pd.notna(r.actual_change_pct) else ""
        st.markdown(f"- **{r.label}**：支出 {fmt.money_wan(r.three_public_actual_yuan)}{rate}{change}")
    bars = three.nlargest(20, "three_public_actual_yuan").rename(
        columns={"three_public_budget_yuan": "budget_yuan", "three_public_actual_yuan": "actual_yuan"})
    title = "“三公”经费预算与支出（万元）" + ("，支出最多的 20 份" if len(three) > 20 else "")
    st.plotly_chart(charts.budget_actual_bars(bars, title, "预算", "支出"), key="three_chart")
    ui.table(three, "three_public", "三公经费", columns=[
        "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "three_public_budget_yuan",
        "three_public_actual_yuan", "three_public_control_pct_stated", "three_public_control_pct_recomputed",
        "rates_agree", "previous_actual_yuan", "actual_change_yuan", "actual_change_pct", "is_demo"])
