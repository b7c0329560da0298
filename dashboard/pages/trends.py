"""年度趋势: the median of the scope over the years, the units that fell the most against it, the
change from the previous year, the largest rises and falls.

The page opens on the regional median (the median of the units within the filters, per year) and
the units whose total score fell the most in the latest year, not on the first units of an
alphabet; any unit can be added. Every table row opens its report in the same tab."""

from collections import Counter

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
CHANGES_EACH_WAY = 10
DECLINERS = 5  # units chosen when the page opens: the largest falls of the total score

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("年度趋势", f, "与上年比较：同一单位、同一评价对象、同一评价方式。")
ui.guard(status)

series = data.trend_series(f)
if series.total == 0:
    st.info("当前筛选条件下没有报告。", icon=":material/filter_alt_off:")
    st.stop()
region = " ".join(x for x in (f.province, f.city, f.county) if x) or "全部地区"
median_name = f"{region}中位数"


def series_name(r, where: bool = False) -> str:
    extra = " ".join(x for x in (
        r.project_name if isinstance(r.project_name, str) else fmt.kind_label(r.report_kind),
        fmt.mode_label(r.evaluation_mode) if isinstance(r.evaluation_mode, str) else "") if x)
    name = r.unit_name if not where else f"{r.unit_name}（{' '.join(x for x in (r.province, r.city) if isinstance(x, str))}）"
    return fmt.unit_label(name, r.is_demo, suffix=extra)


def series_key(r) -> tuple:
    return (r.unit_id, r.report_kind, r.project_name if isinstance(r.project_name, str) else None,
            r.evaluation_mode if isinstance(r.evaluation_mode, str) else None, bool(r.is_demo))


def report_link(rows: pd.DataFrame) -> pd.DataFrame:
    """A link per row to its report, at the total score."""
    return rows.assign(link=[data.link("report", f, evaluation_id=int(i), field="total_score")
                             for i in rows["evaluation_id"]])


# One option per series, the ones with the most years first, and the largest falls (which may lie
# beyond the cap of the list); a name shared by two units (朝阳区 is in Beijing and in Changchun)
# carries its province and city.
decliners = data.trend_decliners(f, DECLINERS)
columns = ["unit_id", "unit_name", "province", "city", "report_kind", "project_name", "evaluation_mode", "is_demo"]
options = pd.concat([series.frame[columns], decliners[columns]], ignore_index=True)
options = options.assign(_key=[series_key(r) for r in options.itertuples()]).drop_duplicates("_key")
names = [series_name(r) for r in options.itertuples()]
shared = {n for n, times in Counter(names).items() if times > 1}
names = [series_name(r, where=n in shared) for r, n in zip(options.itertuples(), names)]
keys = dict(zip(names, options["_key"]))
name_of = {k: n for n, k in keys.items()}
fallen = [name_of[series_key(r)] for r in decliners.itertuples()]
if series.capped:
    st.caption(f"共 {fmt.count(series.total)} 个单位（含评价对象与评价方式），下拉框列出年度最多的 "
               f"{fmt.count(len(series.frame))} 个和下降最多的单位；请用左侧筛选缩小范围找到其余单位。")
if len(decliners):
    year = int(decliners["fiscal_year"].iloc[0])
    st.markdown(f"默认显示**{median_name}**和 {year}年 **总分下降最多的 {len(fallen)} 个单位**"
                f"（降幅 {fmt.signed_score(decliners['total_score_change'].iloc[0])} 至 "
                f"{fmt.signed_score(decliners['total_score_change'].iloc[-1])}）；可增删单位。")
else:
    st.markdown(f"默认显示**{median_name}**；所选范围内没有总分比上年下降的单位，可在下面选择单位比较。")
chosen = st.multiselect("单位（可多选）", names, default=fallen, key="units", bind="query-params",
                        placeholder="选择要与中位数比较的单位")
picked = data.trend_of(f, [keys[c] for c in chosen])
label_of = {keys[c]: c for c in chosen}
picked["label"] = [label_of[series_key(r)] for r in picked.itertuples()]
median = data.trend_median(f)
ui.demo_badge(picked)

st.plotly_chart(charts.trend_panels(picked, median, METRICS, median_name=median_name, order=chosen),
                key="trend_panels")
st.caption(f"虚线为{median_name}：所选范围内每年全部报告该项数值的中位数；实线为所选单位。"
           "没有某项数据的单位不出现在该项的图中。")

if not picked.empty:
    latest = picked.sort_values("fiscal_year").groupby("label", sort=False).tail(1)
    st.caption("所选单位最近一年的数值（括号内为比上年的变化）：")
    st.markdown("\n".join(
        f"- **{r.label}** {int(r.fiscal_year)}年：总分 {fmt.score(r.total_score)}"
        + (f"（{fmt.signed_score(r.total_score_change)}）" if pd.notna(r.total_score_change) else "")
        + f"，预算执行率 {fmt.pct(r.budget_exec_pct)}，采购执行率 {fmt.pct(r.procurement_exec_pct)}，"
          f"满意度 {fmt.pct(r.satisfaction_pct)}"
        for r in latest.itertuples()))
    st.subheader("与上年相比")
    ui.table(picked, "trend_table", "年度趋势", columns=[
        "link", "unit_name", "report_kind", "project_name", "evaluation_mode", "fiscal_year", "total_score",
        "previous_total_score", "total_score_change", "budget_exec_pct", "budget_exec_pct_change",
        "procurement_exec_pct", "procurement_exec_pct_change", "satisfaction_pct", "satisfaction_pct_change",
        "is_demo"], link_column="link", open_row=True, transform=report_link)

st.subheader("升降最大的单位")
change_metric = st.selectbox("按哪项变化排序", list(METRICS), format_func=lambda m: METRICS[m][0],
                             key="change_metric", bind="query-params")
change_col = f"{change_metric}_change"
rises, falls, with_change = data.trend_changes(f, change_metric, CHANGES_EACH_WAY)
if with_change == 0:
    st.info("所选范围内没有连续两年的同类评价，无法计算年度变化。", icon=":material/timeline:")
else:
    is_pct = METRICS[change_metric][1]
    unit = "个百分点" if is_pct else "分"
    both = pd.concat([rises, falls], ignore_index=True).drop_duplicates("evaluation_id", ignore_index=True)
    both = both.assign(change=both[change_col],
                       label=[f"{series_name(r)} {int(r.fiscal_year)}年" for r in both.itertuples()])
    top, bottom = both.loc[both["change"].idxmax()], both.loc[both["change"].idxmin()]
    st.markdown(f"上升最多：**{top['label']}**（{fmt.change(top['change'], is_pct)}）；"
                f"下降最多：**{bottom['label']}**（{fmt.change(bottom['change'], is_pct)}）。")
    if with_change > 2 * CHANGES_EACH_WAY:
        st.caption(f"共 {fmt.count(with_change)} 份报告有上年可比数据，下面列出上升和下降最多的各 {CHANGES_EACH_WAY} 份。")
    st.plotly_chart(charts.change_bars(both, f"{METRICS[change_metric][0]}变化（{unit}）", is_pct=is_pct), key="change_chart")
    ui.table(both.sort_values("change", ascending=False), "change_table", "升降最大的单位", columns=[
        "link", "unit_name", "report_kind", "project_name", "evaluation_mode", "fiscal_year", change_metric, change_col,
        "is_demo"], link_column="link", open_row=True, transform=report_link)
