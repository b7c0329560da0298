"""总览: how much is in the warehouse, how the grades and scores fall, and who needs attention."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, ui
from dashboard import format as fmt

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("工会绩效评价总览", f)
ui.guard(status)

counts = data.overview_counts(f)
if counts["reports"] == 0 and counts["other_documents"] == 0:
    st.info("当前筛选条件下没有报告。请放宽左侧的筛选条件。", icon=":material/filter_alt_off:")
    st.stop()

grades = data.grade_counts(f)
scores = data.score_bins(f)
alert_counts = data.alert_counts(f)

c1, c2, c3, c4 = st.columns(4)
c1.metric("报告数", fmt.count(counts["reports"]), border=True,
          help=f"其中有总分的 {fmt.count(counts['scored'])} 份"
          + (f"，演示数据 {fmt.count(counts['demo'])} 份" if counts["demo"] else "")
          + (f"；另有非评价文件（决算公开页等）{fmt.count(counts['other_documents'])} 份，不计入得分比较"
             if counts["other_documents"] else ""))
c2.metric("单位数", fmt.count(counts["units"]), border=True)
c3.metric("地区数（县区）", fmt.count(counts["regions"]), border=True)
c4.metric("年度数", fmt.count(counts["years"]), border=True)
if counts["demo"]:
    ui.demo_badge(force=True)
    st.caption(f"其中 {fmt.count(counts['demo'])} 份为演示数据。")
if counts["other_documents"]:
    st.caption(f"另有 {fmt.count(counts['other_documents'])} 份非评价文件（决算公开页、预算公开页等）："
               "保留其单位、年度和金额，不计入报告数、等次、总分和排名。")

left, right = st.columns(2)
with left:
    st.plotly_chart(charts.grade_distribution(grades), key="grade_chart")
with right:
    st.plotly_chart(charts.score_histogram(scores), key="score_chart")

with st.expander("评价一览（等次与总分所依据的表）"):
    ui.table(data.evaluations(f), "evaluations", "评价一览", columns=data.EVALUATION_COLUMNS)

st.subheader("预警清单")
st.caption("规则：预算超支或执行率低于 90%；政府采购执行率低于 80%；满意度低于 90%；总分比上年下降超过 5 分；"
           "错误级的数据质量标记。点“查看报告”打开报告详情。")
if alert_counts.empty:
    st.success("当前筛选条件下没有预警。", icon=":material/check_circle:")
    st.stop()
alerts = data.alerts(f)


def describe(row: pd.Series) -> str:
    code = row["alert_code"]
    if code in ("overspend", "budget_under_90"):
        stated = f"（报告值 {fmt.pct(row['other_value'])}）" if pd.notna(row["other_value"]) else ""
        return f"预算执行率 {fmt.pct(row['value'])}{stated}"
    if code == "procurement_under_80":
        actual = pd.to_numeric(row["note"], errors="coerce")
        return f"采购执行率 {fmt.pct(row['value'])}（实际 {fmt.money_wan(actual)} / 预算 {fmt.money_wan(row['other_value'])}）"
    if code == "satisfaction_under_90":
        group = f"{row['note']}" if isinstance(row["note"], str) and row["note"] else "总体"
        return f"{group}满意度 {fmt.pct(row['value'])}"
    if code == "score_drop":
        return f"总分 {fmt.score(row['value'])}，上年 {fmt.score(row['other_value'])}"
    return fmt.text(row["note"])


def explain(rows: pd.DataFrame) -> pd.DataFrame:
    """The alert's name, what it says, and the link to its report (for the table and its CSV)."""
    return rows.assign(alert=rows["alert_code"].map(data.ALERT_LABELS),
                       detail=rows.apply(describe, axis=1) if len(rows) else pd.Series(dtype=str),
                       link=[data.link("report", f, evaluation_id=int(i)) for i in rows["evaluation_id"]])


st.markdown("　".join(f"**{data.ALERT_LABELS.get(r.alert_code, r.alert_code)}** {fmt.count(r.count)} 条"
                     for r in alert_counts.itertuples()))
shown = explain(alerts.frame)
ui.demo_badge(shown)
ui.table(alerts, "alerts", "预警清单", columns=[
    "link", "alert", "unit_name", "fiscal_year", "report_kind", "evaluation_mode", "document_kind", "detail", "line",
    "is_demo"],
    link_column="link", transform=explain)

# The first alerts again as plain links, readable and clickable without the table widget.
for _, row in shown.head(10).iterrows():
    demo = f"〔{fmt.DEMO_BADGE}〕" if row["is_demo"] else ""
    text = f"{row['unit_name']}{demo} {int(row['fiscal_year'])}年 · {row['alert']}：{row['detail']}"
    st.markdown(f"- [{text.replace('[', '［').replace(']', '］')}]({row['link']})")
