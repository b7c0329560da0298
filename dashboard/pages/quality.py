"""数据质量: the quality flags, error-level first (their own chart, on their own scale, and at the
top of the list); coverage as a year × region grid measured against the regions in scope ("n of
the m counties that report at all"); the kinds of documents and the files that failed."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

SEVERITIES = ("error", "warning", "info")

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
    """A link per flag to its report, at the flag's line (the 质量标记 tab, the sentence in view)."""
    return rows.assign(link=[data.link("report", f, evaluation_id=int(i), field="quality_flag",
                                       line=int(n) if pd.notna(n) else None)
                             for i, n in zip(rows["evaluation_id"], rows["line"])])


st.subheader("质量标记")
if summary.empty:
    st.success("当前筛选条件下没有质量标记。", icon=":material/check_circle:")
else:
    per_severity = summary.groupby("severity")["count"].sum()
    c = st.columns(3)
    for col, sev in zip(c, SEVERITIES):
        col.metric(fmt.severity_label(sev), fmt.count(int(per_severity.get(sev, 0))), border=True,
                   help=("报告中的数字自相矛盾或算错：引用前须核对原文。" if sev == "error" else
                         "可能有误或不完整，值得一看。" if sev == "warning" else "读取时的说明，一般无需处理。"))
    c1, c2 = st.columns(2)
    severities = c1.multiselect("严重程度", list(SEVERITIES), default=list(SEVERITIES),
                                format_func=fmt.severity_label, key="severity", bind="query-params",
                                placeholder="选择严重程度")
    codes = sorted(summary["code"].unique())
    picked_codes = c2.multiselect("标记类型", codes, format_func=code_label, key="flag_code",
                                  bind="query-params", placeholder="全部类型")
    chosen = summary[summary["severity"].isin(severities)]
    if picked_codes:
        chosen = chosen[chosen["code"].isin(picked_codes)]
    # One chart per severity, each on its own scale (55 errors are no slivers beside 700 hints):
    # the errors first, the warnings and hints in tabs under them.
    shown = [s for s in SEVERITIES if s in set(chosen["severity"])]

    def flag_chart(sev: str, titled: bool = True) -> None:
        part = chosen[chosen["severity"] == sev]
        title = f"{fmt.severity_label(sev)}（{fmt.count(int(part['count'].sum()))} 条）" if titled else None
        st.plotly_chart(charts.flag_types(part.assign(code=part["code"].map(code_label)), sev, title=title),
                        key=f"flag_chart_{sev}")

    if "error" in shown:
        flag_chart("error")
    rest = [s for s in shown if s != "error"]
    if rest:
        for tab, sev in zip(st.tabs([f"{fmt.severity_label(s)}（{fmt.count(int(chosen.loc[chosen['severity'] == s, 'count'].sum()))} 条）"
                                     for s in rest], key="flag_tabs"), rest):
            with tab:
                flag_chart(sev, titled=False)
    totals = data.flag_totals(f, severities, picked_codes)
    rows = data.flag_rows(f, severities, picked_codes)
    ui.demo_badge(rows.frame)
    ui.table(rows, "flags", "质量标记", columns=[
        "link", "severity", "code", "message", "unit_name", "fiscal_year", "report_kind", "evaluation_mode",
        "document_kind", "line", "is_demo"], link_column="link", transform=with_link, open_row=True,
        caption=f"错误在前，其次警告、提示；同级按年度从新到旧。共涉及 {fmt.count(totals['evaluations'])} 份报告；"
                "“查看报告”打开报告并定位到标记所在的原文行。")


def region_of(rows: pd.DataFrame, level: str) -> list[str]:
    """The grid's row names: the province or city, demo rows badged (they are counted apart)."""
    return [f"{r if isinstance(r, str) else '未知'}{'〔' + fmt.DEMO_BADGE + '〕' if d else ''}"
            for r, d in zip(rows[level], rows["is_demo"])]


def coverage_text(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(coverage_text=[
        f"{int(r.counties_reporting)} / {int(r.counties_in_scope) if pd.notna(r.counties_in_scope) else '?'}"
        for r in rows.itertuples()])


st.subheader("报告覆盖")
st.caption("覆盖按范围内的地区计算：每格是该地区在该年度有当前评价的县区数，比上该地区任一年度报告过的县区数"
           "（m 个中的 n 个），不是全国所有县区。真实报告与演示数据分开计数。")
if coverage.empty:
    st.info("没有覆盖数据。", icon=":material/search_off:")
else:
    level = "city" if f.province else "province"
    part = coverage[coverage["region_level"] == level].sort_values(["is_demo", level, "fiscal_year"])
    scope = coverage[coverage["region_level"] == ("province" if f.province else "national")]
    # the latest year of the real reports and of the demo data in words; every year in the grid
    latest = scope.sort_values(["is_demo", "fiscal_year"], ascending=[True, False]).groupby("is_demo").head(1)
    for r in latest.itertuples():
        where = r.province if isinstance(r.province, str) else "全国"
        demo = f"〔{fmt.DEMO_BADGE}〕" if r.is_demo else ""
        reference = (f"；区划参考表中{'有报告的省份' if where == '全国' else where}共 {fmt.count(r.counties_expected)} 个县区，"
                     f"已报告 {fmt.pct(r.counties_reporting_pct)}" if pd.notna(r.counties_expected) else "")
        st.markdown(f"- **{where} {int(r.fiscal_year)}年**{demo}：{fmt.count(r.counties_reporting)} / "
                    f"{fmt.count(r.counties_in_scope)} 个县区报告（{fmt.pct(r.counties_in_scope_pct)}），"
                    f"{fmt.count(r.units_reporting)} / {fmt.count(r.units_in_scope)} 个单位；报告 {fmt.count(r.reports)} 份，"
                    f"有总分 {fmt.pct(r.with_total_score_pct)}，有预算执行率 {fmt.pct(r.with_budget_exec_pct)}，"
                    f"有满意度 {fmt.pct(r.with_satisfaction_pct)}{reference}")
    grid = part.assign(region=region_of(part, level))
    st.markdown(f"**各{'市' if level == 'city' else '省'}各年度报告的县区**（n / 范围内 m 个；颜色为报告率）")
    st.plotly_chart(charts.coverage_grid(grid), key="coverage_chart")
    ui.table(data.coverage_rows(f), "coverage", "报告覆盖", transform=coverage_text, columns=[
        "fiscal_year", "region_level", "province", "city", "units_reporting", "units_in_scope", "counties_reporting",
        "counties_in_scope", "coverage_text", "counties_in_scope_pct", "counties_expected", "counties_reporting_pct",
        "reports", "with_total_score_pct", "with_budget_exec_pct", "with_procurement_exec_pct",
        "with_satisfaction_pct", "with_indicators_pct", "with_error_flags", "is_demo"])

st.subheader("文件类型")
st.caption("每份当前文件的类型。只有绩效评价参与得分、等次和排名的比较；决算公开页等非评价文件保留其单位、年度和金额。")
if kinds.empty:
    st.info("当前筛选条件下没有文件。", icon=":material/search_off:")
else:
    shown_kinds = kinds.head(7)
    cols = st.columns(len(shown_kinds))
    for col, r in zip(cols, shown_kinds.itertuples()):
        col.metric(fmt.document_kind_label(r.document_kind, short=True), fmt.count(r.count), border=True,
                   help=f"其中演示数据 {fmt.count(r.demo)} 份" if r.demo else None)
    ui.table(kinds.rename(columns={"demo": "demo_count"}), "document_kinds", "文件类型",
             columns=["document_kind", "count", "demo_count"])

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
