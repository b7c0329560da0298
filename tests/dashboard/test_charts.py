"""Charts are pure functions frame -> Plotly figure: checked without Streamlit or a warehouse."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts
from dashboard import format as fmt


def annotations(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


EMPTY_CASES = [
    (charts.grade_distribution, ()),
    (charts.score_histogram, ()),
    (charts.ranked_bars, ("总分",)),
    (charts.group_distribution, ("省", "总分")),
    (charts.trend_lines, ("总分",)),
    (charts.change_bars, ("总分变化",)),
    (charts.budget_scatter, ()),
    (charts.procurement_scatter, ()),
    (charts.band_counts, (fmt.BUDGET_BAND_LABELS,)),
    (charts.satisfaction_histogram, ()),
    (charts.dimension_heatmap, ()),
    (charts.losses_bars, ()),
    (charts.self_external_bars, ()),
    (charts.coverage_bars, ()),
    (charts.flag_counts, ()),
]


@pytest.mark.parametrize("chart, args", EMPTY_CASES, ids=[c.__name__ for c, _ in EMPTY_CASES])
def test_an_empty_frame_gives_a_chart_that_says_so(chart, args):
    empty = pd.DataFrame(columns=["label", "value", "band", "count", "grade", "total_score", "fiscal_year", "change",
                                  "budget_yuan", "expenditure_yuan", "procurement_budget_yuan",
                                  "procurement_actual_yuan", "exec_band", "pct", "dimension", "score_rate_pct",
                                  "points_lost", "self_total_score", "external_total_score", "region",
                                  "units_reporting", "code", "severity", "group", "actual_yuan", "left", "median"])
    fig = chart(empty, *args)
    assert isinstance(fig, go.Figure)
    assert not fig.data
    assert any(("无" in t or "没有" in t) for t in annotations(fig))


def test_filled_bins_add_the_empty_bins_between_low_and_high():
    b = charts.filled_bins(pd.DataFrame({"left": [55.0, 85.0, 95.0], "count": [1, 1, 2]}), 50, 100, 5)
    assert list(b["left"]) == [50, 55, 60, 65, 70, 75, 80, 85, 90, 95]
    counts = dict(zip(b["left"], b["count"]))
    assert counts[95] == 2 and counts[85] == 1 and counts[55] == 1 and counts[50] == 0
    assert b["count"].sum() == 4 and list(b["center"])[:2] == [52.5, 57.5]


def test_score_histogram_colours_bins_by_grade_band():
    # 88.78 → 85; 98 and 100 → 95 (the query puts 100 in the top bin); 55 → 55
    fig = charts.score_histogram(pd.DataFrame({"left": [85, 95, 55], "count": [1, 2, 1]}))
    bar = fig.data[0]
    by_center = dict(zip(bar.x, zip(bar.y, bar.marker.color)))
    assert by_center[87.5] == (1, fmt.BAND_COLORS["良"])
    assert by_center[97.5] == (2, fmt.BAND_COLORS["优"])
    assert by_center[57.5] == (1, fmt.BAND_COLORS["差"])
    assert by_center[72.5] == (0, fmt.BAND_COLORS["中"])
    assert fig.layout.xaxis.title.text == "总分（分）"


def test_grade_distribution_orders_grades_and_counts_missing_ones():
    df = pd.DataFrame({"grade": ["良", None, "优"], "count": [1, 1, 2]})
    fig = charts.grade_distribution(df)
    assert list(fig.data[0].x) == ["优", "良", "无等次"]
    assert list(fig.data[0].y) == [2, 1, 1]


def test_ranked_bars_sorts_colours_by_band_and_draws_the_median():
    df = pd.DataFrame({"label": ["甲", "乙", "丙"], "value": [88.78, 98.0, 55.0], "band": ["良", "优", "差"]})
    fig = charts.ranked_bars(df, "总分（分）", median=88.78, band_labels={"优": "优", "良": "良", "差": "差"})
    assert list(fig.layout.yaxis.categoryarray) == ["丙", "甲", "乙"]  # lowest at the bottom
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours == {"优": fmt.BAND_COLORS["优"], "良": fmt.BAND_COLORS["良"], "差": fmt.BAND_COLORS["差"]}
    assert any("同类中位数 88.78" in t for t in annotations(fig))
    assert fig.layout.xaxis.range[1] > 98  # room for the value labels


def test_ranked_bars_formats_rates_as_percent():
    df = pd.DataFrame({"label": ["甲"], "value": [0.0684], "band": ["<80"]})
    fig = charts.ranked_bars(df, "政府采购执行率（%）", median=0.0684, is_pct=True)
    assert list(fig.data[0].text) == ["0.1%"]  # one decimal for every rate (format.pct)


def test_trend_lines_keep_one_colour_per_unit_across_charts():
    df = pd.DataFrame({"label": ["甲", "甲", "乙"], "fiscal_year": [2021, 2022, 2022], "value": [90, 92, 80]})
    order = ["乙", "甲"]
    first = charts.trend_lines(df, "总分", order=order)
    second = charts.trend_lines(df[df["label"] == "甲"], "总分", order=order)
    colour = {t.name: t.line.color for t in first.data}
    assert second.data[0].line.color == colour["甲"] != colour["乙"]
    assert list(first.layout.xaxis.ticktext) == ["2021年", "2022年"]


def test_change_bars_colour_rises_and_falls():
    df = pd.DataFrame({"label": ["甲", "乙"], "change": [3.5, -6.0]})
    fig = charts.change_bars(df, "总分变化（分）")
    assert dict(zip(fig.data[0].y, fig.data[0].marker.color)) == {"甲": charts.UP, "乙": charts.DOWN}


def test_budget_scatter_marks_disagreeing_rates_and_shows_wan_yuan():
    df = pd.DataFrame({"label": ["甲", "乙"], "budget_yuan": [5_496_875, 640_000],
                       "expenditure_yuan": [5_808_142, 640_000], "rates_agree": [True, False]})
    fig = charts.budget_scatter(df)
    traces = {t.name: t for t in fig.data}
    assert list(traces["报告执行率与复算不一致"].text) == ["乙"]
    agree = traces["报告执行率与复算一致或未报告"]
    assert agree.x[0] == pytest.approx(549.6875) and agree.y[0] == pytest.approx(580.8142)
    assert "万元" in fig.layout.xaxis.title.text


def test_procurement_scatter_uses_log_axes_with_chinese_ticks():
    df = pd.DataFrame({"label": ["青云谱"], "procurement_budget_yuan": [921_000], "procurement_actual_yuan": [630],
                       "exec_band": ["<80"]})
    fig = charts.procurement_scatter(df)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert "1万元" in fig.layout.xaxis.ticktext and "1千元" in fig.layout.yaxis.ticktext
    point = fig.data[0]
    assert point.name == "<80%" and point.marker.color == fmt.BAND_COLORS["<80"]
    assert "0.06 万元" in point.customdata[0][1]


def test_procurement_scatter_cannot_plot_zero_on_a_log_axis():
    df = pd.DataFrame({"label": ["甲"], "procurement_budget_yuan": [1000], "procurement_actual_yuan": [0],
                       "exec_band": ["<80"]})
    fig = charts.procurement_scatter(df)
    assert not fig.data and "对数" in annotations(fig)[0]


def test_band_counts_keep_the_band_order_and_fill_missing_bands():
    df = pd.DataFrame({"band": ["<80", ">100"], "count": [2, 1]})
    fig = charts.band_counts(df, fmt.BUDGET_BAND_LABELS)
    assert list(fig.data[0].x) == list(fmt.BUDGET_BAND_LABELS.values())
    assert list(fig.data[0].y) == [1, 0, 0, 0, 2]


def test_satisfaction_histogram_stacks_years_and_marks_90():
    df = pd.DataFrame({"fiscal_year": [2022, 2022, 2020, 2020], "left": [96, 98, 90, 84], "count": [1, 1, 1, 2]})
    fig = charts.satisfaction_histogram(df)
    assert [t.name for t in fig.data] == ["2020年", "2022年"]
    assert sum(sum(t.y) for t in fig.data) == 5
    assert dict(zip(fig.data[0].x, fig.data[0].y))[85] == 2
    assert any(s.x0 == 90 for s in fig.layout.shapes)


def test_group_distribution_draws_boxes_from_the_quantiles_it_is_given():
    df = pd.DataFrame({"group": ["江西省", "湖南省"], "n": [1200, 3], "min": [70, 96], "q1": [88, 97],
                       "median": [92.5, 98], "q3": [95, 99], "max": [100, 100]})
    fig = charts.group_distribution(df, "省", "满意度（%）", is_pct=True)
    box = fig.data[0]
    assert list(box.x) == ["江西省", "湖南省"] and list(box.median) == [92.5, 98]
    assert list(box.lowerfence) == [70, 96] and list(box.upperfence) == [100, 100]
    assert not box.boxpoints  # no point per row: a province of 10,000 reports costs one box
    assert "1,200 个" in box.hovertext[0] and "中位数 92.5%" in box.hovertext[0]


def test_dimension_heatmap_keeps_row_order_and_dimension_order():
    df = pd.DataFrame({"label": ["乙", "乙", "甲"], "dimension": ["output", "decision", "satisfaction"],
                       "score_rate_pct": [94.0, 78.0, 100.0]})
    fig = charts.dimension_heatmap(df)
    heat = fig.data[0]
    assert list(heat.y) == ["乙", "甲"]
    assert list(heat.x) == ["决策", "产出", "满意度"]
    assert heat.z[0][0] == 78.0 and math.isnan(heat.z[1][0])


def test_losses_and_flags_and_coverage_charts_label_in_chinese():
    losses = charts.losses_bars(pd.DataFrame({"label": ["政府采购节支率"], "points_lost": [3.0],
                                              "dimension": ["process"]}))
    assert losses.data[0].name == "过程"
    flags = charts.flag_counts(pd.DataFrame({"code": ["a", "a", "b"], "severity": ["error", "info", "warning"],
                                             "count": [2, 1, 5]}))
    assert {t.name for t in flags.data} == {"错误", "警告", "提示"}
    cover = charts.coverage_bars(pd.DataFrame({"region": ["江西省"], "fiscal_year": [2022], "units_reporting": [2],
                                               "counties_expected": [100]}))
    assert list(cover.data[0].x) == ["江西省 2022年"] and cover.data[1].name == "应报县区数"


def test_every_chart_uses_a_cjk_font():
    fig = charts.grade_distribution(pd.DataFrame({"grade": ["优"], "count": [1]}))
    assert "Noto Sans CJK SC" in fig.layout.font.family
