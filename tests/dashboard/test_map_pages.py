"""The map page and the rankings (issue 14, items 2 and 3) with AppTest, and their charts:
a choropleth per drill level whose numbers come from the warehouse, the county's reports linked
to the report page, rankings whose axis is zoomed to the data with self and external evaluations
apart, ties shown, the peer median labelled above the plot and the demo badge once per chart."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from dashboard import charts, data, geo
from dashboard.registry import PAGES
from dashboard_helpers import QINGYUNPU, no_exception, texts

PAGE = {p.title: p.path for p in PAGES}


def chart_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def badges(at) -> list[str]:
    """The 演示数据 badges on the page (st.badge is Markdown: :orange-badge[…])."""
    return [m.value for m in at.markdown if "-badge[" in str(m.value) and "演示数据" in str(m.value)]


def frames(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def test_the_map_opens_on_the_nation_with_the_provinces_that_reported(open_page, real_warehouse):
    at = open_page(PAGE["地图"], real_warehouse, {"map_year": "2022年"})
    no_exception(at)
    shown = texts(at)
    assert "全国 · 2022年 · 总分中位数（按省）" in shown
    spec = chart_specs(at)[0]
    coloured = spec["data"][0]
    assert coloured["type"] == "choropleth" and coloured["locations"] == ["360000"]  # 青云谱区, 2022
    assert len(spec["data"][1]["locations"]) == 33  # the other provinces: grey, no report
    assert spec["layout"]["geo"]["visible"] is False and spec["layout"]["geo"]["fitbounds"] == "geojson"
    table = frames(at)[0]
    assert list(table["地区"]) == ["江西省"] and table["总分中位数（分）"].iloc[0] == pytest.approx(88.78)
    link = table["查看"].iloc[0]
    assert parse_qs(urlparse(link).query)["province"] == ["江西省"]


def test_the_map_drills_to_a_county_and_lists_its_reports(open_page, real_warehouse):
    # (AppTest drops a page's URL filters on its switch from the first page: the filters are set
    # in the sidebar, as a user would)
    at = open_page(PAGE["地图"], real_warehouse, {"map_year": "2022年"})
    at.selectbox(key="province").set_value("江西省").run()
    no_exception(at)
    assert "江西省 · 2022年 · 总分中位数（按市）" in texts(at)
    assert chart_specs(at)[0]["data"][0]["locations"] == ["360100"]  # 南昌市
    at.selectbox(key="city").set_value("南昌市").run()
    at.selectbox(key="county").set_value("青云谱区").run()
    no_exception(at)
    shown = texts(at)
    assert "江西省 南昌市 青云谱区 · 2022年" in shown and "青云谱区的报告" in shown
    spec = chart_specs(at)[0]
    assert spec["data"][0]["locations"] == ["360104"]
    assert any(t["type"] == "scattergeo" and t.get("name") == "所选地区" for t in spec["data"])  # outlined
    reports = frames(at)[-1]
    assert list(reports["单位"]) == [QINGYUNPU]
    link = reports["报告"].iloc[0]
    assert urlparse(link).path.endswith("/report") and "evaluation_id" in parse_qs(urlparse(link).query)
    # the breadcrumb goes back up a level at a time
    assert [b.label for b in at.button if b.key.startswith("crumb_")] == ["全国", "江西省", "南昌市", "青云谱区"]
    at.button(key="crumb_1").click().run()
    no_exception(at)
    assert at.selectbox(key="province").value == "江西省" and at.selectbox(key="city").value is None
    assert "江西省 · 2022年 · 总分中位数（按市）" in texts(at)


def test_the_map_colours_by_the_measure_chosen(open_page, synth_warehouse, monkeypatch):
    at = open_page(PAGE["地图"], synth_warehouse)
    no_exception(at)
    monkeypatch.setenv("WAREHOUSE_PATH", str(synth_warehouse))
    measures = data.map_measures(data.Filters(include_demo=True), at.selectbox(key="map_year").value, "province")
    for label, column in (("预警数", "alerts"), ("预算执行率中位数", "median_exec")):
        at.radio(key="map_measure").set_value(
            {"预警数": "alerts", "预算执行率中位数": "median_exec"}[label]).run()
        no_exception(at)
        trace = chart_specs(at)[0]["data"][0]
        got = dict(zip(trace["locations"], trace["z"] if isinstance(trace["z"], list) else []))
        want = measures.set_index("code")[column].dropna()
        for code, value in got.items():
            assert value == pytest.approx(float(want[code]))
    assert len(badges(at)) == 1  # the demo badge, once for the map


def test_map_measures_follow_the_layer_codes(real_warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_PATH", str(real_warehouse))
    every = data.Filters(include_demo=False)
    years = {2020: "430000", 2021: "360000", 2022: "360000", 2023: "340000"}
    for year, province in years.items():
        assert list(data.map_measures(every, year, "province")["code"]) == [province]
    jiangxi = data.Filters(province="江西省", include_demo=False)
    assert list(data.map_measures(jiangxi, 2021, "city")["code"]) == ["360700"]
    assert list(data.map_measures(jiangxi, 2022, "county")["code"]) == ["360104"]
    row = data.map_measures(jiangxi, 2022, "county").iloc[0]
    assert row["reports"] == 1 and row["median_score"] == pytest.approx(88.78)
    # every code the warehouse gives at a layer is a shape of that layer's view
    codes = set(data.map_measures(every, 2022, "province")["code"])
    assert codes <= {f["id"] for f in geo.shapes(geo.view_of(None, None, None))["features"]}


def test_rankings_separate_self_and_external_and_zoom_to_the_data(open_page, synth_warehouse):
    at = open_page(PAGE["地区对比"], synth_warehouse)
    no_exception(at)
    heads = [h.value for h in at.subheader]
    assert any("· 自评 ·" in h for h in heads) and any("· 外部评价 ·" in h for h in heads)
    ranked = [s for s in chart_specs(at) if s["data"] and s["data"][0].get("mode") == "markers+text"]
    assert ranked
    for spec in ranked:
        values = [x for t in spec["data"] for x in (t["x"] if isinstance(t["x"], list) else [])]
        lo, hi = spec["layout"]["xaxis"]["range"]
        assert lo > 0 and lo <= min(values) and hi >= max(values)  # zoomed, not from 0
        median = [a for a in spec["layout"]["annotations"] if a["text"].startswith("同类中位数")]
        assert len(median) == 1 and median[0]["yref"] == "paper" and median[0]["yanchor"] == "bottom"
    # one badge per chart, none in the unit names
    assert len(badges(at)) == len(ranked)
    assert all("演示数据" not in y for s in ranked for t in s["data"] for y in t["y"])


def test_rank_dots_show_ties_and_keep_the_median_label_inside():
    df = pd.DataFrame({"label": ["甲", "乙", "丙", "丁"], "value": [98.0, 95.5, 95.5, 80.0],
                       "band": ["优", "优", "优", "良"], "rank": [1, 2, 2, 4], "ties": [1, 2, 2, 1],
                       "evaluation_id": [1, 2, 3, 4], "province": ["江西省"] * 4, "city": ["南昌市"] * 4,
                       "county": ["青云谱区"] * 4})
    fig = charts.rank_dots(df, "总分（分）", median=95.5)
    rows = list(fig.layout.yaxis.categoryarray)
    assert rows == ["4. 丁", "并列2. 乙", "并列2. 丙", "1. 甲"]  # bottom to top: highest at the top
    lo, hi = fig.layout.xaxis.range
    assert 70 < lo < 80 and hi > 98
    (note,) = [a for a in fig.layout.annotations if a.text.startswith("同类中位数")]
    assert note.text == "同类中位数 95.50" and note.xanchor == "right"  # the median is right of centre
    assert fig.data[0].customdata[0] == [1, "江西省", "南昌市", "青云谱区"]  # what a click returns
    assert fig.layout.clickmode == "event+select"


def test_region_map_colours_reported_regions_and_greys_the_rest():
    view = geo.view_of("江西省", None, None)
    shapes = geo.shapes(view)
    df = pd.DataFrame({"code": [f["id"] for f in shapes["features"]],
                       "value": [88.0 if f["id"] == "360100" else float("nan") for f in shapes["features"]],
                       "text": ["x"] * len(shapes["features"])})
    fig = charts.region_map(shapes, df, "median_score", picked="360100")
    assert list(fig.data[0].locations) == ["360100"] and len(fig.data[1].locations) == 10
    assert fig.data[1].showscale is False
    assert fig.data[2].type == "scattergeo" and fig.data[2].mode == "lines"  # the outline of the pick
    assert fig.layout.geo.visible is False
