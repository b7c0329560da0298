"""数据质量: every quality flag, the coverage of each region and year ("n of m"), and failed files."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("数据质量", f, "质量标记描述报告中的数字（自相矛盾、算错、缺失），从不改变报告所陈述的数字。")
ui.guard(status)

summary = data.flag_summary(f)
coverage = data.coverage(f)
kinds = data.document_kinds(f)


def code_label(code: str) -> str:
    return fmt.flag_label(code)  # what the flag means, in Chinese; the code itself is not shown


def with_link(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(link=[data.link("report", f, evaluation_id=int(i)) for i in rows["evaluation_id"]])


st.subheader("文件类型")
st.caption("每份当前文件的类型。只有绩效评价参与得分、等次和排名的比较；决算公开页等非评价文件保留其单位、年度和金额。")
if kinds.empty:
    st.info("当前筛选条件下没有文件。", icon=":material/search_off:")
else:
    shown = kinds.head(7)
    cols = st.columns(len(shown))
    for col, r in zip(cols, shown.itertuples()):
        col.metric(fmt.document_kind_label(r.document_kind, short=True), fmt.count(r.count), border=True,
                   help=f"其中演示数据 {fmt.count(r.demo)} 份" if r.demo else None)
    ui.table(kinds.rename(columns={"demo": "demo_count"}), "document_kinds", "文件类型",
             columns=["document_kind", "count", "demo_count"])

st.subheader("质量标记")
if summary.empty:
    st.success("当前筛选条件下没有质量标记。", icon=":material/check_circle:")
else:
    c1, c2 = st.columns(2)
    severities = c1.multiselect("严重程度", ["error", "warning", "info"], default=["error", "warning", "info"],
                                format_func=fmt.severity_label, key="severity", bind="query-params",
                                placeholder="选择严重程度")
    codes = sorted(summary["code"].unique())
    picked_codes = c2.multiselect("标记类型", codes, format_func=code_label, key="flag_code",
                                  bind="query-params", placeholder="全部类型")
    totals = data.flag_totals(f, severities, picked_codes)
    c = st.columns(4)
    c[0].metric("标记总数", fmt.count(totals["total"]), border=True)
    c[1].metric("错误", fmt.count(totals["error"]), border=True)
    c[2].metric("警告", fmt.count(totals["warning"]), border=True)
    c[3].metric("涉及报告", fmt.count(totals["evaluations"]), border=True)
    chosen = summary[summary["severity"].isin(severities)]
    if picked_codes:
        chosen = chosen[chosen["code"].isin(picked_codes)]
    chart = chosen[["code", "severity", "count"]].assign(code=chosen["code"].map(code_label))
    st.plotly_chart(charts.flag_counts(chart), key="flag_chart")
    rows = data.flag_rows(f, severities, picked_codes)
    ui.demo_badge(rows.frame)
    ui.table(rows, "flags", "质量标记", columns=[
        "link", "severity", "code", "message", "unit_name", "fiscal_year", "report_kind", "evaluation_mode",
        "document_kind", "line", "is_demo"], link_column="link", transform=with_link, caption="错误在前，其次警告、提示；同级按年度从新到旧。")

def coverage_text(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(coverage_text=[
        f"{int(r.counties_reporting)} / {int(r.counties_expected) if pd.notna(r.counties_expected) else '?'}"
        for r in rows.itertuples()])


st.subheader("报告覆盖")
st.caption("每个地区、每个年度：有当前评价的单位数与区划参考表中的县级区划数（m 个中的 n 个），以及关键字段齐全的比例。")
if coverage.empty:
    st.info("没有覆盖数据。", icon=":material/search_off:")
else:
    level = "city" if f.province else "province"
    part = coverage[coverage["region_level"] == level].copy()
    part["region"] = part[level].fillna("未知")
    national = coverage[coverage["region_level"] == ("province" if f.province else "national")]
    for r in national.itertuples():
        scope = r.province if isinstance(r.province, str) else "全国"
        expected = (f"，应报县区 {fmt.count(r.counties_expected)} 个（{fmt.pct(r.counties_reporting_pct)}）"
                    if pd.notna(r.counties_expected) else "")
        demo = f"〔{fmt.DEMO_BADGE}〕" if r.is_demo else ""
        st.markdown(f"- **{scope} {int(r.fiscal_year)}年**{demo}：{fmt.count(r.units_reporting)} 个单位、"
                    f"{fmt.count(r.counties_reporting)} 个县区报告{expected}；报告 {fmt.count(r.reports)} 份，"
                    f"有总分 {fmt.pct(r.with_total_score_pct)}，有预算执行率 {fmt.pct(r.with_budget_exec_pct)}，"
                    f"有满意度 {fmt.pct(r.with_satisfaction_pct)}")
    st.plotly_chart(charts.coverage_bars(part), key="coverage_chart")
    ui.table(data.coverage_rows(f), "coverage", "报告覆盖", transform=coverage_text, columns=[
        "fiscal_year", "region_level", "province", "city", "units_reporting", "counties_reporting", "counties_expected",
        "coverage_text", "counties_reporting_pct", "reports", "with_total_score_pct", "with_budget_exec_pct",
        "with_procurement_exec_pct", "with_satisfaction_pct", "with_indicators_pct", "with_error_flags", "is_demo"])

st.subheader("源文件")
files = data.file_counts()
if files["not_ok"] == 0:
    st.success(f"全部 {fmt.count(files['total'])} 个源文件都已识别。", icon=":material/check_circle:")
else:
    st.warning(f"{fmt.count(files['not_ok'])} / {fmt.count(files['total'])} 个源文件读取失败或未识别，原因见下表"
               "（排在最前）。", icon=":material/warning:")
ui.table(data.source_files(), "files", "源文件", columns=[
    "file_id", "file_name", "format", "family", "status", "error", "evaluation_count", "line_count", "is_demo"])
with st.expander("载入记录"):
    runs = data.load_runs()
    st.dataframe(runs.rename(columns={
        "load_run_id": "批次", "started_at": "开始", "finished_at": "结束", "files_seen": "文件", "files_new": "新增",
        "files_revised": "修订", "files_unchanged": "未变", "files_failed": "失败", "files_unrecognized": "未识别",
        "evaluations": "评价", "indicators": "指标行", "quality_flags": "质量标记"}), hide_index=True, key="runs_table",
        placeholder=fmt.MISSING)
