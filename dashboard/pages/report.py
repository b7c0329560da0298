"""报告详情: one evaluation in full; every number opens to the line of the report it came from.

A link can open one figure: ?evaluation_id=…&field=…&line=…&alert=… (an alert on the overview, a
row of a table) opens the report with that figure's tab selected and its entry expanded, and shows
the sentence it came from at the top, highlighted and scrolled into view (ui.focus_block)."""

import pandas as pd
import streamlit as st

from dashboard import auth, cockpit, data, filters, ui
from dashboard import format as fmt

# The tab a linked figure opens (field of the link -> tab index); a metric name opens 关键数值.
TAB_OF_FIELD = {"total_score": 0, "indicator": 0, "satisfaction_pct": 2, "satisfaction": 2, "finding": 3,
                "quality_flag": 4, "source": 5}

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("报告详情", f)
ui.guard(status)

choices = data.evaluation_choices(f)
labels = {int(r["evaluation_id"]): fmt.evaluation_label(r) for r in choices.to_dict("records")}
# ?evaluation_id=… (a link from an alert, or a shared view) names the evaluation to open. The
# picker is not bound to the URL itself: a bound selectbox would write its label, not the id.
linked = st.query_params.get("evaluation_id")
linked = int(linked) if linked and str(linked).isdigit() else None
if linked is not None and linked not in labels:  # a link may name one the filters hide
    brief = data.evaluation_brief(linked)
    if brief:
        labels = {linked: fmt.evaluation_label(brief), **labels}
if not labels:
    st.info("当前筛选条件下没有报告。", icon=":material/filter_alt_off:")
    st.stop()
if linked in labels and linked != st.session_state.get("_report_url_id"):
    st.session_state["report_pick"] = linked  # the URL changed (a link was opened): follow it
if st.session_state.get("report_pick") not in labels:
    st.session_state.pop("report_pick", None)
if len(choices) >= data.CHOICE_LIMIT:
    st.caption(f"下拉框列出前 {data.CHOICE_LIMIT} 份；请用左侧筛选缩小范围。")
evaluation_id = st.selectbox("选择报告（可输入单位名搜索；非评价文件注明类型）", list(labels), format_func=labels.get, key="report_pick")
st.query_params["evaluation_id"] = str(evaluation_id)
st.session_state["_report_url_id"] = evaluation_id
# The figure the link pointed at belongs to the linked evaluation; another one picked drops it.
if evaluation_id != linked:
    for name in ("field", "line", "alert"):
        st.query_params.pop(name, None)
focus_field = st.query_params.get("field") if evaluation_id == linked else None
focus_line = st.query_params.get("line") if evaluation_id == linked else None
focus_line = int(focus_line) if focus_line and str(focus_line).isdigit() else None
focus_alert = st.query_params.get("alert") if evaluation_id == linked else None
detail = data.report_detail(evaluation_id)
if detail is None:
    st.warning(f"评价 #{evaluation_id} 不存在，或已被新版本取代。", icon=":material/warning:")
    st.stop()

h = detail.header
lines = data.source_text(int(h["file_id"]))


def source_expander(title: str, line, body: str | None = None, icon: str | None = None, tab: int | None = None,
                    field: str | None = None) -> None:
    """A number with its source line: the expander opens to the line and a few lines around it.
    The entry a link pointed at (its tab, its line and, for a key figure, its name) is open from
    the start."""
    line = int(line) if pd.notna(line) else None
    focused = (line is not None and line == focus_line and tab is not None and tab == focus_tab
               and (field is None or field == focus_field))
    with st.expander(f"{title}　·　第 {line} 行" if line else f"{title}　·　无行号", icon=icon, expanded=focused):
        if body:
            st.markdown(body)
        ui.context_block(lines, line)


st.subheader(fmt.text(h["unit_name"]))
if h["is_demo"]:
    ui.demo_badge(force=True)


def recomputed(field: str) -> str:
    """For an execution rate (or the money it is computed from): the rate recomputed from the
    amounts when it differs from the stated one, which is what an alert compares with its line."""
    rate = {"budget_exec_pct": "budget", "expenditure_yuan": "budget", "procurement_exec_pct": "procurement",
            "procurement_actual_yuan": "procurement", "procurement_budget_yuan": "procurement"}.get(field)
    if rate is None:
        return ""
    stated, again = h.get(f"{rate}_exec_pct_stated"), h.get(f"{rate}_exec_pct_recomputed")
    name = "预算执行率" if rate == "budget" else "政府采购执行率"
    if pd.notna(again) and (pd.isna(stated) or abs(float(stated) - float(again)) >= 0.05):
        return f"；按金额复算的{name}为 {fmt.pct(again)}" + (f"，与报告所写 {fmt.pct(stated)} 不一致" if pd.notna(stated) else "")
    return ""


def focus_text(field: str | None, line: int | None) -> tuple[str, int | None]:
    """What the linked figure says and its line (the link's line, else the figure's own)."""
    if field in fmt.METRIC_NAME_LABELS and field != "satisfaction_pct" and not detail.metrics.empty:
        hit = detail.metrics[detail.metrics["metric"] == field]
        if len(hit):
            r = hit.iloc[0]
            return (f"{fmt.METRIC_NAME_LABELS[field]}：{fmt.metric_value(field, r['value'])}（原文写作“{r['raw']}”）"
                    + recomputed(field), line or int(r["line"]))
    if field == "satisfaction_pct" and not detail.satisfaction.empty:
        hit = detail.satisfaction[detail.satisfaction["line"] == line] if line else detail.satisfaction.head(1)
        if len(hit):
            r = hit.iloc[0]
            group = r["respondent_group"] if isinstance(r["respondent_group"], str) else "总体"
            return f"{group}满意度：{fmt.pct(r['pct'])}", line or (int(r["line"]) if pd.notna(r["line"]) else None)
    if field == "quality_flag" and not detail.flags.empty:
        hit = detail.flags[detail.flags["line"] == line] if line else detail.flags.head(1)
        if len(hit):
            r = hit.iloc[0]
            return f"{fmt.severity_label(r['severity'])}：{fmt.user_message(r['message'])}", line
    if field == "indicator" and line and not detail.indicators.empty:  # a row of 指标得分's 失分 table
        hit = detail.indicators[detail.indicators["line"] == line]
        if len(hit):
            r = hit.iloc[0]
            path = " › ".join(x for x in (r["level1"], r["level2"], r["level3"]) if isinstance(x, str)) or "指标"
            return f"{path}：得分 {fmt.score(r['score'])}/{fmt.score(r['weight'])}", line
    if field == "total_score":
        return f"总分：{fmt.score(h['total_score'])}（等次 {fmt.text(h['grade'])}）", line
    return (cockpit.FIELD_LABELS.get(field, "原文") if field else "原文"), line


focus_tab = None
if focus_field or focus_line:
    focus_tab = TAB_OF_FIELD.get(focus_field, 1 if focus_field in fmt.METRIC_NAME_LABELS else 5)
    what, focus_line = focus_text(focus_field, focus_line)
    why = f"预警“{cockpit.ALERT_LABELS[focus_alert]}”所依据的数字 · " if focus_alert in cockpit.ALERT_LABELS else ""
    with st.container(border=True, key="report_focus"):
        st.markdown(f":material/my_location: {why}**{what}**" + (f"　·　第 {focus_line} 行" if focus_line else ""))
        if focus_line and focus_line <= len(lines):
            ui.focus_block(lines, focus_line, "report-focus")
        elif focus_line:
            st.caption(f"第 {focus_line} 行不在这份文件保存的原文中（共 {len(lines)} 行）；下方选项卡中可查看它所在的表。")
        else:
            st.caption("报告没有给出这一数字所在的行；下方选项卡中可查看它所在的表和原文全文。")
evaluated = fmt.is_evaluation(h.get("document_kind"))
c = st.columns(4)
if evaluated:
    c[0].metric("总分", fmt.score(h["total_score"]), border=True,
                help="报告未给出总分时为空（不是 0）")
    c[1].metric("等次", fmt.text(h["grade"]), border=True,
                help=f"报告原文：{h['grade_raw']}" if isinstance(h["grade_raw"], str) else None)
    c[2].metric("预算执行率", fmt.pct(h["budget_exec_pct"]), border=True)
    c[3].metric("满意度", fmt.pct(h["satisfaction_pct"]), border=True)
else:
    # not an evaluation (a 决算 disclosure …): no score to show, what it states in money instead
    st.info(f"这份文件是**{fmt.document_kind_label(h['document_kind'])}**：不是绩效评价，不参与得分、等次和排名的比较；"
            "保留其单位、年度和所述金额（收入、支出、“三公”经费），可在“预算与采购执行”中与同类文件比较。",
            icon=":material/description:")
    c[0].metric("文件类型", fmt.document_kind_label(h["document_kind"], short=True), border=True)
    c[1].metric("收入合计", fmt.money_wan(h["revenue_total_yuan"]), border=True)
    c[2].metric("支出合计", fmt.money_wan(h["expenditure_yuan"]), border=True)
    c[3].metric("“三公”经费支出", fmt.money_wan(h["three_public_actual_yuan"]), border=True)
if isinstance(h["grade_of_total"], str) and isinstance(h["grade"], str) and h["grade_of_total"] != h["grade"]:
    st.warning(f"报告的等次“{h['grade']}”与总分所在区间的等次“{h['grade_of_total']}”不一致。", icon=":material/warning:")

facts = {
    "地区": " ".join(x for x in (h["province"], h["city"], h["county"]) if isinstance(x, str)) or fmt.MISSING,
    "行政区划代码": fmt.text(h["admin_code"]),
    "年度": f"{int(h['fiscal_year'])}年" if pd.notna(h["fiscal_year"]) else fmt.MISSING,
    "文件类型": fmt.document_kind_label(h.get("document_kind")),
    "报告类型": fmt.kind_label(h["report_kind"]) + (f"：{h['project_name']}" if isinstance(h["project_name"], str) else ""),
    "评价方式": fmt.mode_label(h["evaluation_mode"]),
    "评价机构": fmt.text(h["evaluator"]),
    "报告日期": fmt.text(h["report_date"]),
    "指标体系": fmt.framework_label(h["framework"]),
    "来源文件": f"{fmt.file_name(detail.source.get('file_name'))}（{str(detail.source.get('format') or '').upper()}，"
            f"模板：{fmt.family_label(detail.source.get('family'))}，{len(lines)} 行）",
    "版本": f"第 {int(h['revision'])} 版" + (f"（共 {len(detail.revisions)} 版）" if len(detail.revisions) > 1 else ""),
}
st.markdown("\n".join(f"- **{k}**：{v}" for k, v in facts.items()))

tab_labels = [f"得分表（{len(detail.indicators)}）", f"关键数值（{len(detail.metrics)}）",
              f"满意度（{len(detail.satisfaction)}）", f"问题与建议（{len(detail.findings)}）",
              f"质量标记（{len(detail.flags)}）", "原文全文"]
# The linked figure's tab is the one open (a key per evaluation and tab, so a new link opens anew).
tabs = st.tabs(tab_labels, default=tab_labels[focus_tab] if focus_tab is not None else None,
               key=f"report_tabs_{evaluation_id}_{focus_tab}")

with tabs[0]:
    if not detail.dimensions.empty:
        st.markdown("**按规范维度**　" + "　".join(
            f"{fmt.dimension_label(r.dimension)} {fmt.score(r.score)}/{fmt.score(r.weight)}（{fmt.pct(r.score_rate_pct)}）"
            for r in detail.dimensions.itertuples()))
    if detail.indicators.empty:
        st.info("报告没有指标表。", icon=":material/search_off:")
    else:
        ui.table(detail.indicators, "indicators", f"得分表_{evaluation_id}", columns=[
            "source_table", "level", "level1", "level2", "level3", "dimension", "weight", "score", "score_rate_pct",
            "score_rate_stated_pct", "target_raw", "actual_raw", "met", "note", "line"])
        st.caption("逐项查看原文：展开一项，看到它在报告中的那一行及上下文。")
        rows = st.container(height=560 if len(detail.indicators) > 12 else "content", key="indicator_sources")
        for r in detail.indicators.itertuples():
            path = " › ".join(x for x in (r.level1, r.level2, r.level3) if isinstance(x, str)) or "（未命名）"
            numbers = []
            if pd.notna(r.score) or pd.notna(r.weight):
                numbers.append(f"得分 {fmt.score(r.score)}/{fmt.score(r.weight)}")
            if isinstance(r.target_raw, str) or isinstance(r.actual_raw, str):
                numbers.append(f"目标 {fmt.text(r.target_raw)} → 实际 {fmt.text(r.actual_raw)}")
            body = "；".join(x for x in (
                f"评分表：{fmt.label(fmt.SOURCE_TABLE_LABELS, r.source_table)}，第 {r.level} 级",
                f"说明：{r.note}" if isinstance(r.note, str) else "",
                f"评分标准：{r.rule}" if isinstance(r.rule, str) else "") if x)
            with rows:
                source_expander(f"{path}　{'　'.join(numbers)}", r.line, body, tab=0)

with tabs[1]:
    if detail.metrics.empty:
        st.info("报告没有给出预算、支出等关键数值。", icon=":material/search_off:")
    else:
        metrics = detail.metrics.assign(name=detail.metrics["metric"].map(lambda m: fmt.METRIC_NAME_LABELS.get(m, m)))
        metrics["shown"] = [fmt.metric_value(m, v) for m, v in zip(metrics["metric"], metrics["value"])]
        for r in metrics.itertuples():
            note = f"\n\n说明：{r.note}" if isinstance(r.note, str) else ""
            source_expander(f"{r.name}：{r.shown}", r.line, f"原文写作“{r.raw}”。{note}", tab=1, field=r.metric)
        ui.table(metrics, "metrics", f"关键数值_{evaluation_id}", columns=["name", "shown", "raw", "line"])

with tabs[2]:
    if detail.satisfaction.empty:
        st.info("报告没有给出满意度。", icon=":material/search_off:")
    else:
        for r in detail.satisfaction.itertuples():
            group = r.respondent_group if isinstance(r.respondent_group, str) else "总体"
            scored = f"，得分 {fmt.score(r.score)}/{fmt.score(r.weight)}" if pd.notna(r.weight) else ""
            source_expander(f"{group}：{fmt.pct(r.pct)}{scored}", r.line,
                            f"原文写作“{r.raw}”。" if isinstance(r.raw, str) else None, tab=2)
        ui.table(detail.satisfaction, "satisfaction", f"满意度_{evaluation_id}", columns=[
            "respondent_group", "pct", "weight", "score", "score_rate_pct", "raw", "line"])

with tabs[3]:
    if detail.findings.empty:
        st.info("报告没有列出问题或建议。", icon=":material/search_off:")
    else:
        for r in detail.findings.itertuples():
            kind = fmt.label(fmt.FINDING_KIND_LABELS, r.kind)
            text = r.text if len(r.text) <= 60 else r.text[:60] + "…"
            source_expander(f"{kind}：{text}", r.line, r.text if len(r.text) > 60 else None, tab=3)
        ui.table(detail.findings, "findings", f"问题与建议_{evaluation_id}", columns=["kind", "category", "text", "line"])

with tabs[4]:
    if detail.flags.empty:
        st.success("没有质量标记。", icon=":material/check_circle:")
    else:
        for r in detail.flags.itertuples():
            icon = {"error": ":material/error:", "warning": ":material/warning:"}.get(r.severity, ":material/info:")
            source_expander(f"{fmt.severity_label(r.severity)}：{fmt.user_message(r.message)}", r.line,
                            f"类型：{fmt.flag_label(r.code)}", icon, tab=4)
        ui.table(detail.flags, "flags", f"质量标记_{evaluation_id}", columns=["severity", "code", "message", "line"])

with tabs[5]:
    st.caption(f"{fmt.file_name(detail.source.get('file_name'))} · 共 {len(lines)} 行（docx/xlsx/pdf 为读取后得到的文本）")
    # st.code drops one leading and one trailing newline; pad them so a blank first line is kept
    # and the numbers in the margin are the line numbers the expanders cite.
    st.code("\n" + "\n".join(lines) + "\n", language=None, line_numbers=True, height=600)
    if auth.can("export"):
        st.download_button("下载原文", data="\n".join(lines).encode("utf-8"), key="source_download",
                           file_name=f"{fmt.file_name(detail.source.get('file_name')) if detail.source.get('file_name') else 'report'}.txt",
                           mime="text/plain",
                           icon=":material/download:", on_click="ignore")
