"""Charts: pure functions from a data frame to a Plotly figure. No Streamlit, no queries.

Every function takes a pandas frame with the columns its docstring names, copes with an empty
frame (a figure that says so), and labels axes, legends and hover text in Chinese. Money comes in
元 and is shown in 万元; rates are in percentage points. Every number a chart writes (bar labels,
hover text) is written by dashboard/format.py, so it reads as in the tables and sentences.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard import format as fmt

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
NEUTRAL = "#607d8b"
UP, DOWN = "#2e7d32", "#c62828"
SERIES = ("#1976d2", "#ef6c00", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#546e7a")


def _finish(fig: go.Figure, title: str | None = None, height: int = 380, **layout) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 15}} if title else None,
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 60},
        # At the foot of the figure, whatever its height, so it never covers the title or the axis.
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.005, "xanchor": "left",
                "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT}},
        **layout,
    )
    return fig


def empty_figure(message: str = "暂无数据", title: str | None = None) -> go.Figure:
    """A blank chart that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 16, "color": "#757575"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title, height=220)


def _has(df: pd.DataFrame | None, *cols: str) -> bool:
    if df is None or df.empty:
        return False
    return all(c in df.columns for c in cols) and not df[list(cols)].dropna().empty


def _floats(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype(float)


LABEL_POINTS = 25  # scatter points carry their name as text up to this many; beyond, hover only


def filled_bins(counts: pd.DataFrame, low: float, high: float, size: float) -> pd.DataFrame:
    """Counts per bin [left, left + size) from `low` to `high`, with the bins no row fell in as 0.
    Input columns: left (a bin's lower edge, as the query gives it), count. Output columns: left,
    right, center, count. The queries put `high` itself in the top bin (a score of 100 belongs
    with 95–100, not in a bin of its own)."""
    lefts = [low + i * size for i in range(int(round((high - low) / size)))]
    got = (counts.assign(left=_floats(counts["left"]).round(6)).groupby("left")["count"].sum()
           if not counts.empty else pd.Series(dtype=float))
    values = [int(got.get(round(x, 6), 0)) for x in lefts]
    return pd.DataFrame({"left": lefts, "right": [x + size for x in lefts],
                         "center": [x + size / 2 for x in lefts], "count": values})


def _text_positions(xs: pd.Series, log: bool = False) -> list[str]:
    """Point labels grow inwards (right of points in the left half, left of those in the right),
    so no name runs off the plot."""
    v = _floats(xs)
    if log:
        v = v.map(lambda x: math.log10(x) if x and x > 0 else float("nan"))
    mid = (v.min() + v.max()) / 2 if len(v) > 1 and v.max() > v.min() else float("inf")
    return ["top right" if (x <= mid or len(v) == 1) else "top left" for x in v]


def _count_axis(fig: go.Figure, top: float) -> None:
    """A count axis with whole-number ticks and room above the tallest bar for its label."""
    fig.update_yaxes(range=[0, max(1.0, top) * 1.18], dtick=1 if top <= 6 else None, tickformat=",d")


def _padded(lo: float, hi: float, floor: float | None = 0.0, share: float = 0.12) -> list[float]:
    """An axis range around [lo, hi] with room for text labels; never below `floor`."""
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    a, b = lo - span * share, hi + span * share
    if floor is not None:
        a = max(a, floor)
    return [a, b]


def grade_distribution(df: pd.DataFrame, title: str = "评价等次分布") -> go.Figure:
    """Bars of evaluations per grade. Columns: grade (优/良/中/差 or None), count."""
    if not _has(df, "count"):
        return empty_figure(title=title)
    d = df.copy()
    d["grade"] = d["grade"].fillna("无等次")
    order = [g for g in (*fmt.GRADE_ORDER, "无等次") if g in set(d["grade"])]
    d = d.set_index("grade").reindex(order).reset_index()
    fig = go.Figure(
        go.Bar(
            x=d["grade"], y=d["count"], text=[fmt.count(c) for c in d["count"]], textposition="outside",
            marker_color=[fmt.BAND_COLORS.get(g, fmt.BAND_COLORS["无"]) for g in d["grade"]],
            hovertemplate="%{x}：%{y} 份<extra></extra>",
        )
    )
    fig.update_xaxes(title="等次", type="category")
    fig.update_yaxes(title="报告数（份）")
    _count_axis(fig, float(d["count"].max()))
    return _finish(fig, title)


def score_histogram(df: pd.DataFrame, title: str = "总分分布") -> go.Figure:
    """Reports per 5-point score bin, coloured by grade band (优 ≥90, 良 80–90, 中 60–80, 差 <60).
    Columns: left (the bin's lower edge), count, as dashboard.data.score_bins gives them."""
    if not _has(df, "left", "count"):
        return empty_figure("没有给出总分的报告", title)
    lo = min(50.0, float(_floats(df["left"]).min()))
    b = filled_bins(df, lo, 100.0, 5.0)
    band = ["优" if x >= 90 else "良" if x >= 80 else "中" if x >= 60 else "差" for x in b["left"]]
    fig = go.Figure(
        go.Bar(
            x=b["center"], y=b["count"], width=4.6, marker_color=[fmt.BAND_COLORS[g] for g in band],
            text=[fmt.count(c) if c else "" for c in b["count"]], textposition="outside",
            customdata=[f"{l:g}–{r:g} 分" for l, r in zip(b["left"], b["right"])],
            hovertemplate="%{customdata}：%{y} 份<extra></extra>",
        )
    )
    fig.update_xaxes(title="总分（分）", range=[lo, 100.5], tickvals=list(b["left"]) + [100])
    fig.update_yaxes(title="报告数（份）")
    _count_axis(fig, float(b["count"].max()))
    return _finish(fig, title)


def ranked_bars(df: pd.DataFrame, value_label: str, median: float | None = None, title: str | None = None,
                is_pct: bool = False, band_labels: dict[str, str] | None = None) -> go.Figure:
    """Horizontal bars of units ranked by value, coloured by band, with the peer median.

    Columns: label, value, band (a key of format.BAND_COLORS or None)."""
    if not _has(df, "label", "value"):
        return empty_figure(title=title)
    d = df.dropna(subset=["value"]).copy()
    d["value"] = _floats(d["value"])
    d = d.sort_values("value", ascending=True)
    band_labels = band_labels or {}
    fig = go.Figure()
    for band, part in d.groupby(d["band"].fillna("无"), sort=False):
        fig.add_trace(
            go.Bar(
                y=part["label"], x=part["value"], orientation="h", name=band_labels.get(band, band),
                marker_color=fmt.BAND_COLORS.get(band, NEUTRAL),
                text=[fmt.pct(v) if is_pct else fmt.score(v) for v in part["value"]], textposition="outside",
                hovertemplate="%{y}：%{text}<extra>" + band_labels.get(band, band) + "</extra>",
            )
        )
    if median is not None and not (isinstance(median, float) and math.isnan(median)):
        fig.add_vline(x=float(median), line_dash="dash", line_color="#424242",
                      annotation_text=f"同类中位数 {fmt.pct(median) if is_pct else fmt.score(median)}",
                      annotation_position="top right")
    fig.update_yaxes(categoryorder="array", categoryarray=list(d["label"]), title=None, automargin=True)
    top = max(float(d["value"].max()), float(median) if median is not None and not math.isnan(median) else 0.0)
    fig.update_xaxes(title=value_label, range=[0, (top or 1.0) * 1.15])
    height = max(200, 120 + 30 * len(d))
    return _finish(fig, title, height=min(height, 1600), barmode="overlay")


def group_distribution(df: pd.DataFrame, group_label: str, value_label: str, title: str | None = None,
                       is_pct: bool = False) -> go.Figure:
    """One box per group from quantiles computed in the warehouse (not from the points, so a
    group of the whole country costs what a group of ten does): box from the 25th to the 75th
    percentile with the median, whiskers at the minimum and maximum.
    Columns: group, n, min, q1, median, q3, max."""
    if not _has(df, "group", "median"):
        return empty_figure(title=title)
    d = df.dropna(subset=["median"]).copy()
    for col in ("min", "q1", "median", "q3", "max"):
        d[col] = _floats(d[col])
    show = fmt.pct if is_pct else fmt.score
    hover = [f"{g}（{fmt.count(n)} 个）<br>最小 {show(lo)} · P25 {show(q1)} · 中位数 {show(m)} · P75 {show(q3)}"
             f" · 最大 {show(hi)}" for g, n, lo, q1, m, q3, hi in zip(d["group"], d["n"], d["min"], d["q1"], d["median"], d["q3"], d["max"])]
    fig = go.Figure(
        go.Box(
            x=[str(g) for g in d["group"]], q1=d["q1"], median=d["median"], q3=d["q3"], lowerfence=d["min"],
            upperfence=d["max"], marker_color=SERIES[0], boxpoints=False, showlegend=False,
            hovertext=hover, hoverinfo="text",
        )
    )
    fig.update_xaxes(title=group_label, type="category")
    fig.update_yaxes(title=value_label)
    return _finish(fig, title)


def trend_lines(df: pd.DataFrame, value_label: str, title: str | None = None, is_pct: bool = False,
                order: list[str] | None = None) -> go.Figure:
    """One line per unit over fiscal years. Columns: label, fiscal_year, value. `order` fixes each
    label's colour, so a unit has the same colour in every chart of a page."""
    if not _has(df, "label", "fiscal_year", "value"):
        return empty_figure("所选单位在所选年度没有该项数据", title)
    d = df.dropna(subset=["value"]).copy()
    d["value"] = _floats(d["value"])
    order = order or sorted(d["label"].unique())
    labelled = d["label"].nunique() <= 3  # more series: values on hover only, or the numbers collide
    fig = go.Figure()
    for name, part in d.sort_values("fiscal_year").groupby("label", sort=True):
        i = order.index(name) if name in order else len(order)
        fig.add_trace(
            go.Scatter(
                x=part["fiscal_year"], y=part["value"], mode="lines+markers+text" if labelled else "lines+markers",
                name=str(name),
                text=[fmt.pct(v) if is_pct else fmt.score(v) for v in part["value"]], textposition="top center",
                line={"color": SERIES[i % len(SERIES)]}, marker={"size": 9},
                hovertemplate="%{x}年：%{text}<extra>" + str(name) + "</extra>",
            )
        )
    years = sorted(d["fiscal_year"].dropna().astype(int).unique())
    fig.update_xaxes(title="年度", tickmode="array", tickvals=years, ticktext=[f"{y}年" for y in years],
                     range=[years[0] - 0.5, years[-1] + 0.5])
    fig.update_yaxes(title=value_label, range=_padded(float(d["value"].min()), float(d["value"].max()), share=0.2))
    return _finish(fig, title)


def change_bars(df: pd.DataFrame, value_label: str, title: str | None = None, is_pct: bool = False) -> go.Figure:
    """Diverging bars of year-over-year change, rises green and falls red, labelled in percentage
    points for a rate (is_pct) and in points for a score. Columns: label, change."""
    if not _has(df, "label", "change"):
        return empty_figure("没有可比的上年数据", title)
    d = df.dropna(subset=["change"]).copy()
    d["change"] = _floats(d["change"])
    d = d.sort_values("change")
    fig = go.Figure(
        go.Bar(
            y=d["label"], x=d["change"], orientation="h",
            marker_color=[UP if v >= 0 else DOWN for v in d["change"]],
            text=[fmt.change(v, is_pct, unit=False) for v in d["change"]], textposition="outside",
            cliponaxis=False,  # the label of the largest change stays whole at the plot's edge
            hovertemplate="%{y}：%{text}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line_color="#424242")
    fig.update_yaxes(title=None, automargin=True, categoryorder="array", categoryarray=list(d["label"]))
    lo, hi = min(0.0, float(d["change"].min())), max(0.0, float(d["change"].max()))
    fig.update_xaxes(title=value_label, range=_padded(lo, hi, floor=None, share=0.15))  # room for the labels
    return _finish(fig, title, height=max(260, 60 + 28 * len(d)))


def budget_scatter(df: pd.DataFrame, title: str = "预算与支出（万元）") -> go.Figure:
    """Budget against spending in 万元 with the line spending = budget; points whose stated rate
    disagrees with the recomputed one are drawn as crosses.
    Columns: label, budget_yuan, expenditure_yuan, rates_agree (bool or None)."""
    if not _has(df, "budget_yuan", "expenditure_yuan"):
        return empty_figure("没有同时给出预算和支出的报告", title)
    d = df.dropna(subset=["budget_yuan", "expenditure_yuan"]).copy()
    d["x"] = _floats(d["budget_yuan"]) / 10_000
    d["y"] = _floats(d["expenditure_yuan"]) / 10_000
    disagree = d["rates_agree"].eq(False) if "rates_agree" in d else pd.Series(False, index=d.index)
    d["pos"] = _text_positions(d["x"]) if len(d) > 1 else "top left"
    fig = go.Figure()
    for name, part, symbol, color in (
        ("报告执行率与复算一致或未报告", d[~disagree], "circle", "#1976d2"),
        ("报告执行率与复算不一致", d[disagree], "x", DOWN),
    ):
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["x"], y=part["y"], mode="markers+text" if len(d) <= LABEL_POINTS else "markers", name=name,
                text=part["label"], textposition=list(part["pos"]),
                marker={"symbol": symbol, "size": 11, "color": color},
                customdata=[[fmt.money_wan(x * 10_000), fmt.money_wan(y * 10_000)] for x, y in zip(part["x"], part["y"])],
                hovertemplate="%{text}<br>预算 %{customdata[0]}<br>支出 %{customdata[1]}<extra></extra>",
            )
        )
    top = float(max(d["x"].max(), d["y"].max())) * 1.1 or 1.0
    fig.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines", name="支出 = 预算",
                             line={"dash": "dash", "color": "#9e9e9e"}, hoverinfo="skip"))
    fig.update_xaxes(title="预算（万元）", rangemode="tozero", tickformat=",.0f")
    fig.update_yaxes(title="支出（万元）", rangemode="tozero", tickformat=",.0f")
    return _finish(fig, title)


def procurement_scatter(df: pd.DataFrame, title: str = "政府采购预算与实际（对数坐标）") -> go.Figure:
    """Procurement budget against actual on log axes (rates span 0.1% to 100%+), coloured by band.
    Columns: label, procurement_budget_yuan, procurement_actual_yuan, exec_band."""
    if not _has(df, "procurement_budget_yuan", "procurement_actual_yuan"):
        return empty_figure("没有同时给出采购预算和实际金额的报告", title)
    d = df.dropna(subset=["procurement_budget_yuan", "procurement_actual_yuan"]).copy()
    d["x"] = _floats(d["procurement_budget_yuan"])
    d["y"] = _floats(d["procurement_actual_yuan"])
    d = d[(d["x"] > 0) & (d["y"] > 0)].copy()
    if d.empty:
        return empty_figure("采购金额为 0，无法在对数坐标上显示", title)
    d["pos"] = _text_positions(d["x"], log=True) if len(d) > 1 else "top left"
    fig = go.Figure()
    for band, part in d.groupby(d["exec_band"].fillna("无"), sort=False):
        fig.add_trace(
            go.Scatter(
                x=part["x"], y=part["y"], mode="markers+text" if len(d) <= LABEL_POINTS else "markers",
                text=part["label"], textposition=list(part["pos"]),
                name=fmt.PROCUREMENT_BAND_LABELS.get(band, band),
                marker={"size": 11, "color": fmt.BAND_COLORS.get(band, NEUTRAL)},
                customdata=[[fmt.money_wan(a), fmt.money_wan(b)] for a, b in zip(part["x"], part["y"])],
                hovertemplate="%{text}<br>预算 %{customdata[0]}<br>实际 %{customdata[1]}<extra></extra>",
            )
        )
    lo = min(d["x"].min(), d["y"].min()) / 3
    hi = max(d["x"].max(), d["y"].max()) * 3
    for share, dash in ((1.0, "dash"), (0.8, "dot")):
        fig.add_trace(go.Scatter(x=[lo, hi], y=[lo * share, hi * share], mode="lines", hoverinfo="skip",
                                 name=f"执行率 {fmt.pct(100 * share)}", line={"dash": dash, "color": "#9e9e9e"}))
    ticks = [10.0 ** k for k in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)]
    names = [_yuan_tick(t) for t in ticks]
    fig.update_xaxes(type="log", title="采购预算（对数坐标）", range=[math.log10(lo), math.log10(hi)],
                     tickvals=ticks, ticktext=names)
    fig.update_yaxes(type="log", title="实际采购（对数坐标）", range=[math.log10(lo), math.log10(hi)],
                     tickvals=ticks, ticktext=names)
    return _finish(fig, title)


def _yuan_tick(yuan: float) -> str:
    """A power of ten in 元 as a short Chinese label: 1000 → '1千元', 1e6 → '100万元'."""
    for unit, size in (("亿元", 1e8), ("万元", 1e4), ("千元", 1e3)):
        if yuan >= size:
            return f"{yuan / size:g}{unit}"
    return f"{yuan:g}元"


def band_counts(df: pd.DataFrame, band_labels: dict[str, str], title: str | None = None) -> go.Figure:
    """Bars of evaluations per band, in the order of `band_labels`. Columns: band, count."""
    if not _has(df, "band", "count"):
        return empty_figure(title=title)
    d = df.dropna(subset=["band"]).set_index("band").reindex(list(band_labels)).fillna({"count": 0}).reset_index()
    fig = go.Figure(
        go.Bar(
            x=[band_labels[b] for b in d["band"]], y=d["count"], text=[fmt.count(c) for c in d["count"]], textposition="outside",
            marker_color=[fmt.BAND_COLORS.get(b, NEUTRAL) for b in d["band"]],
            hovertemplate="%{x}：%{y} 份<extra></extra>",
        )
    )
    fig.update_xaxes(title="执行区间", type="category")
    fig.update_yaxes(title="报告数（份）")
    _count_axis(fig, float(d["count"].max()))
    return _finish(fig, title)


def budget_actual_bars(df: pd.DataFrame, title: str | None = None, budget_name: str = "预算",
                       actual_name: str = "实际") -> go.Figure:
    """Horizontal grouped bars of budget and actual per unit, in 万元.
    Columns: label, budget_yuan, actual_yuan."""
    if not _has(df, "label") or df[["budget_yuan", "actual_yuan"]].dropna(how="all").empty:
        return empty_figure(title=title)
    d = df.iloc[::-1]  # the first row on top
    fig = go.Figure()
    for col, name, color in (("budget_yuan", budget_name, "#90caf9"), ("actual_yuan", actual_name, "#1565c0")):
        vals = _floats(d[col]) / 10_000
        fig.add_trace(go.Bar(y=d["label"], x=vals, name=name, marker_color=color, orientation="h",
                             text=[fmt.money_wan(v * 10_000, unit=False) if not math.isnan(v) else "" for v in vals],
                             customdata=[fmt.money_wan(v * 10_000) for v in vals],
                             textposition="outside", hovertemplate="%{y}<br>" + name + " %{customdata}<extra></extra>"))
    top = float(pd.concat([_floats(d["budget_yuan"]), _floats(d["actual_yuan"])]).max()) / 10_000
    fig.update_xaxes(title="万元", range=[0, (top or 1.0) * 1.18], tickformat=",.1f")
    fig.update_yaxes(title=None, type="category", automargin=True)
    return _finish(fig, title, barmode="group", height=max(260, 90 + 34 * len(d)))


def satisfaction_histogram(df: pd.DataFrame, title: str = "满意度分布（按年度）") -> go.Figure:
    """Satisfaction figures per 2-point bin and fiscal year, with the 90% line; 100% falls in the
    98–100 bin. Columns: fiscal_year, left (the bin's lower edge), count, as
    dashboard.data.satisfaction_bins gives them."""
    if not _has(df, "left", "count"):
        return empty_figure("没有满意度数据", title)
    d = df.dropna(subset=["left"]).copy()
    lo = min(70.0, math.floor(float(_floats(d["left"]).min()) / 10) * 10)
    fig = go.Figure()
    years = sorted(d["fiscal_year"].dropna().astype(int).unique())
    for i, year in enumerate(years):
        b = filled_bins(d[d["fiscal_year"] == year], lo, 100.0, 2.0)
        fig.add_trace(go.Bar(x=b["center"], y=b["count"], name=f"{year}年", marker_color=SERIES[i % len(SERIES)],
                             customdata=[f"{l:g}%–{r:g}%" for l, r in zip(b["left"], b["right"])],
                             hovertemplate="%{customdata}：%{y} 个<extra>" + f"{year}年" + "</extra>"))
    fig.add_vline(x=90, line_dash="dot", line_color=DOWN, annotation_text="90%", annotation_position="top left")
    fig.update_xaxes(title="满意度（%）", range=[lo, 100.5], dtick=5)
    fig.update_yaxes(title="个数", rangemode="tozero")
    return _finish(fig, title, barmode="stack", bargap=0.05)


def dimension_heatmap(df: pd.DataFrame, title: str = "各维度得分率（%）") -> go.Figure:
    """Units × canonical dimensions, cell = score rate (%), rows in the frame's order.
    Columns: label, dimension, score_rate_pct."""
    if not _has(df, "label", "dimension", "score_rate_pct"):
        return empty_figure("没有分维度的得分", title)
    d = df.dropna(subset=["score_rate_pct"]).copy()
    d["score_rate_pct"] = _floats(d["score_rate_pct"])
    dims = [x for x in fmt.DIMENSION_ORDER if x in set(d["dimension"])]
    rows = list(dict.fromkeys(d["label"]))  # keep the caller's order (e.g. lowest total score first)
    grid = (d.pivot_table(index="label", columns="dimension", values="score_rate_pct", aggfunc="mean")
            .reindex(index=rows, columns=dims))
    z = grid.to_numpy()
    text = [[fmt.pct(v) if not math.isnan(v) else "" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[fmt.dimension_label(x) for x in dims], y=list(grid.index), text=text, texttemplate="%{text}",
            colorscale=[[0, "#c62828"], [0.6, "#f9a825"], [0.8, "#fff59d"], [1, "#2e7d32"]], zmin=0, zmax=100,
            colorbar={"title": {"text": "得分率（%）"}}, hovertemplate="%{y}<br>%{x}：%{text}<extra></extra>",
            xgap=2, ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    fig.update_xaxes(side="top", type="category")
    return _finish(fig, title, height=max(260, 90 + 34 * len(grid)))


def losses_bars(df: pd.DataFrame, title: str = "失分最多的指标") -> go.Figure:
    """Horizontal bars of points lost per indicator, coloured by dimension.
    Columns: label, points_lost, dimension."""
    if not _has(df, "label", "points_lost"):
        return empty_figure("没有失分的指标", title)
    d = df.dropna(subset=["points_lost"]).copy()
    d["points_lost"] = _floats(d["points_lost"])
    d = d.sort_values("points_lost")
    fig = go.Figure()
    dims = [x for x in fmt.DIMENSION_ORDER if x in set(d["dimension"].fillna("unclassified"))]
    colors = dict(zip(fmt.DIMENSION_ORDER, SERIES))
    for dim in dims:
        part = d[d["dimension"].fillna("unclassified") == dim]
        fig.add_trace(go.Bar(y=part["label"], x=part["points_lost"], orientation="h", name=fmt.dimension_label(dim),
                             marker_color=colors.get(dim, NEUTRAL), text=[fmt.score(v) for v in part["points_lost"]],
                             textposition="outside", hovertemplate="%{y}：失 %{text} 分<extra></extra>"))
    fig.update_yaxes(title=None, automargin=True, categoryorder="array", categoryarray=list(d["label"]))
    fig.update_xaxes(title="失分（分）", rangemode="tozero")
    return _finish(fig, title, height=max(260, 70 + 26 * len(d)), barmode="overlay")


def self_external_bars(df: pd.DataFrame, title: str = "自评与外部评价总分") -> go.Figure:
    """Grouped bars of self and external total scores per subject.
    Columns: label, self_total_score, external_total_score."""
    if not _has(df, "label") or df[["self_total_score", "external_total_score"]].dropna(how="all").empty:
        return empty_figure("没有同一单位同一年度既有自评又有外部评价的报告", title)
    fig = go.Figure()
    for col, name, color in (("self_total_score", "自评", "#90caf9"), ("external_total_score", "外部评价", "#1565c0")):
        vals = _floats(df[col])
        fig.add_trace(go.Bar(x=df["label"], y=vals, name=name, marker_color=color,
                             text=[fmt.score(v) for v in vals], textposition="outside",
                             hovertemplate="%{x}<br>" + name + " %{text} 分<extra></extra>"))
    fig.update_yaxes(title="总分（分）", range=[0, 105])
    fig.update_xaxes(title=None, type="category")
    return _finish(fig, title, barmode="group")


def coverage_bars(df: pd.DataFrame, title: str = "报告覆盖（报告单位数 / 应报县区数）") -> go.Figure:
    """Bars of units reporting per region and year, with the expected count as a marker.
    Columns: region, fiscal_year, units_reporting, counties_expected (may be NULL)."""
    if not _has(df, "region", "units_reporting"):
        return empty_figure(title=title)
    d = df.copy()
    d["x"] = d["region"].astype(str) + " " + d["fiscal_year"].astype(int).astype(str) + "年"
    fig = go.Figure(go.Bar(x=d["x"], y=d["units_reporting"], name="报告单位数", marker_color="#1976d2",
                           text=[fmt.count(c) for c in d["units_reporting"]], textposition="outside"))
    if "counties_expected" in d and d["counties_expected"].notna().any():
        fig.add_trace(go.Scatter(x=d["x"], y=d["counties_expected"], mode="markers", name="应报县区数",
                                 marker={"symbol": "line-ew-open", "size": 28, "line": {"width": 3}, "color": DOWN}))
    fig.update_yaxes(title="个数", rangemode="tozero")
    fig.update_xaxes(title=None, type="category")
    return _finish(fig, title)


# ---------------------------------------------------------------------------------------------
# Trends, coverage and quality as the cockpit review asked (issue 14): one legend for the four
# trend panels with the regional median drawn first, a year × region coverage grid measured
# against the regions in scope, and flag types per severity, each on its own scale.

MEDIAN_COLOR = "#424242"


def trend_panels(df: pd.DataFrame, median: pd.DataFrame, panels: dict[str, tuple[str, bool]],
                 median_name: str = "中位数", order: list[str] | None = None) -> go.Figure:
    """The trend metrics in a 2 × 2 grid of panels sharing one legend: the median of the scope per
    year (dashed, grey) and one line per chosen series.

    df columns: label, fiscal_year and one column per key of `panels` (metric -> (title, is_pct)).
    median columns: fiscal_year and the same metric columns. `order` fixes each label's colour."""
    from plotly.subplots import make_subplots

    names = list(panels)
    fig = make_subplots(rows=2, cols=2, subplot_titles=[panels[m][0] for m in names], vertical_spacing=0.16,
                        horizontal_spacing=0.1)
    labels = order or (sorted(df["label"].unique()) if _has(df, "label") else [])
    years: set[int] = set()
    for i, metric in enumerate(names):
        row, col = i // 2 + 1, i % 2 + 1
        title, is_pct = panels[metric]
        show = fmt.pct if is_pct else fmt.score
        values: list[float] = []
        if _has(median, "fiscal_year", metric):
            m = median.dropna(subset=[metric]).sort_values("fiscal_year")
            ys = _floats(m[metric])
            values += ys.tolist()
            years |= set(m["fiscal_year"].astype(int))
            fig.add_trace(go.Scatter(
                x=m["fiscal_year"], y=ys, mode="lines+markers", name=median_name, legendgroup="median",
                showlegend=i == 0, line={"color": MEDIAN_COLOR, "dash": "dash", "width": 3},
                marker={"size": 7, "symbol": "diamond"}, text=[show(v) for v in ys],
                hovertemplate="%{x}年：%{text}<extra>" + median_name + "</extra>"), row=row, col=col)
        if _has(df, "label", "fiscal_year", metric):
            d = df.dropna(subset=[metric]).sort_values("fiscal_year")
            for name, part in d.groupby("label", sort=False):
                k = labels.index(name) if name in labels else len(labels)
                ys = _floats(part[metric])
                values += ys.tolist()
                years |= set(part["fiscal_year"].astype(int))
                fig.add_trace(go.Scatter(
                    x=part["fiscal_year"], y=ys, mode="lines+markers", name=str(name), legendgroup=str(name),
                    showlegend=False, line={"color": SERIES[k % len(SERIES)]}, marker={"size": 8},
                    text=[show(v) for v in ys], hovertemplate="%{x}年：%{text}<extra>" + str(name) + "</extra>"),
                    row=row, col=col)
        if not values:
            fig.add_annotation(text="所选范围没有该项数据", x=0.5, y=0.5, showarrow=False,
                               xref=f"x{i + 1 if i else ''} domain", yref=f"y{i + 1 if i else ''} domain",
                               font={"color": "#757575"})
        else:
            lo, hi = min(values), max(values)
            fig.update_yaxes(range=_padded(lo, hi, floor=0.0, share=0.2), row=row, col=col,
                             ticksuffix="%" if is_pct else "")
    # one legend entry per series, whichever panel has it first
    seen: set[str] = set()
    for trace in fig.data:
        if trace.legendgroup != "median" and trace.name not in seen:
            trace.showlegend = True
            seen.add(trace.name)
    ticks = sorted(years)
    if ticks:
        fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=[f"{y}年" for y in ticks],
                         range=[ticks[0] - 0.4, ticks[-1] + 0.4])
    fig.update_annotations(font={"size": 14})
    _finish(fig, None, height=620 + 22 * max(0, (len(seen) + 1) // 2 - 1))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 90 + 22 * max(0, (len(seen) + 1) // 2 - 1)})
    return fig


def coverage_grid(df: pd.DataFrame, title: str | None = None) -> go.Figure:
    """A year × region grid: each cell the share of the region's counties in scope (those reporting
    in any year) that reported that year, written "n/m".

    Columns: region, fiscal_year, counties_reporting, counties_in_scope, counties_in_scope_pct."""
    if not _has(df, "region", "fiscal_year"):
        return empty_figure("没有覆盖数据", title)
    d = df.copy()
    d["fiscal_year"] = d["fiscal_year"].astype(int)
    regions = list(dict.fromkeys(d["region"]))  # the caller's order, top first
    years = sorted(d["fiscal_year"].unique())
    pct = d.pivot_table(index="region", columns="fiscal_year", values="counties_in_scope_pct", aggfunc="first")
    pct = pct.reindex(index=regions, columns=years)
    cells = {(r.region, int(r.fiscal_year)): (r.counties_reporting, r.counties_in_scope) for r in d.itertuples()}
    text = [[(f"{fmt.count(cells[(r, y)][0])}/{fmt.count(cells[(r, y)][1])}" if (r, y) in cells else "0")
             for y in years] for r in regions]
    z = pct.to_numpy(dtype=float)
    z = [[0.0 if math.isnan(v) else v for v in row] for row in z]  # a region with no report that year: 0
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"{y}年" for y in years], y=regions, text=text, texttemplate="%{text}", zmin=0, zmax=100,
        colorscale=[[0, "#ffcdd2"], [0.5, "#fff59d"], [0.8, "#c5e1a5"], [1, "#2e7d32"]],
        colorbar={"title": {"text": "报告率（%）"}, "thickness": 12}, xgap=2, ygap=2,
        hovertemplate="%{y} %{x}：%{text} 个县区报告（%{z:.1f}%）<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category", automargin=True)
    fig.update_xaxes(side="top", type="category")
    return _finish(fig, title, height=max(220, 80 + 26 * len(regions)))


def flag_types(df: pd.DataFrame, severity: str, title: str | None = None) -> go.Figure:
    """Horizontal bars of the flags of one severity per type, on a scale of their own (so 55 errors
    are not slivers beside 700 hints). Columns: code (the type as shown), count."""
    if not _has(df, "code", "count"):
        return empty_figure("没有这一级的质量标记", title)
    d = df.groupby("code", as_index=False)["count"].sum().sort_values("count")
    color = {"error": DOWN, "warning": "#f9a825", "info": "#90a4ae"}.get(severity, NEUTRAL)
    fig = go.Figure(go.Bar(
        y=d["code"], x=d["count"], orientation="h", marker_color=color, text=[fmt.count(c) for c in d["count"]],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}：%{x} 条<extra>" + fmt.severity_label(severity) + "</extra>"))
    fig.update_yaxes(title=None, automargin=True, type="category")
    top = float(d["count"].max())
    fig.update_xaxes(title="标记数（条）", range=[0, max(1.0, top) * 1.2], tickformat=",d", dtick=1 if top <= 6 else None)
    return _finish(fig, title, height=max(200, 70 + 26 * len(d)))


def flag_counts(df: pd.DataFrame, title: str = "质量标记（按类型）") -> go.Figure:
    """Horizontal stacked bars of flags per type and severity. Columns: code (the type as shown: its
    Chinese meaning, format.flag_label), severity, count."""
    if not _has(df, "code", "count"):
        return empty_figure("没有质量标记", title)
    d = df.copy()
    totals = d.groupby("code")["count"].sum().sort_values()
    colors = {"error": DOWN, "warning": "#f9a825", "info": "#90a4ae"}
    fig = go.Figure()
    for sev in ("error", "warning", "info"):
        part = d[d["severity"] == sev]
        if part.empty:
            continue
        fig.add_trace(go.Bar(y=part["code"], x=part["count"], orientation="h", name=fmt.severity_label(sev),
                             marker_color=colors[sev], hovertemplate="%{y}：%{x} 条<extra>" + fmt.severity_label(sev) + "</extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=list(totals.index), title=None, automargin=True)
    fig.update_xaxes(title="标记数（条）", rangemode="tozero")
    return _finish(fig, title, height=max(260, 70 + 24 * len(totals)), barmode="stack")


# ---------------------------------------------------------------------------------------------
# 地图 and rankings that separate (issue 14): a choropleth drawn by Plotly's geo subplot without a
# basemap, and dot plots whose axis is zoomed to the data, clickable to drill down.

MAP_MEASURES = {
    "median_score": "总分中位数（分）",
    "alerts": "预警数（条）",
    "median_exec": "预算执行率中位数（%）",
}
NO_DATA = "#eceff1"


def _exec_scale(lo: float, hi: float) -> list:
    """A colour scale for execution rates from lo to hi: red far below 90%, amber at 90%, green at
    100%, purple above (an overspend)."""
    def at(v: float) -> float:
        return min(1.0, max(0.0, (v - lo) / (hi - lo)))

    stops = [(lo, "#c62828"), (80, "#ef6c00"), (90, "#f9a825"), (97, "#9ccc65"), (100, "#2e7d32"),
             (103, "#8e24aa"), (max(hi, 110), "#4a148c")]
    scale, last = [], -1.0
    for v, c in stops:
        p = at(v)
        if p > last or (p == last == 0.0 and not scale):
            scale.append([p, c])
            last = p
    if scale[0][0] > 0:
        scale.insert(0, [0.0, scale[0][1]])
    if scale[-1][0] < 1:
        scale.append([1.0, scale[-1][1]])
    return scale


def _ring_lines(geometry: dict) -> tuple[list, list]:
    """The outline of a (multi)polygon as lon/lat lists separated by None (for a Scattergeo line)."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    lon, lat = [], []
    for poly in polys:
        for ring in poly:
            lon += [p[0] for p in ring] + [None]
            lat += [p[1] for p in ring] + [None]
    return lon, lat


def region_map(geojson: dict, df: pd.DataFrame, measure: str, picked: str | None = None,
               labels: pd.DataFrame | None = None, title: str | None = None, height: int = 620) -> go.Figure:
    """A choropleth of the regions of `geojson` (features with id = code) by `measure`.

    Columns of df: code, value (NaN: no report), text (the hover text). Regions with reports are
    the first trace (clickable, coloured); regions without are drawn grey in the second; `picked`
    (a code) is outlined; `labels` (code, name, lon, lat) writes region names on the map."""
    if not geojson.get("features"):
        return empty_figure("没有该地区的边界数据", title)
    d = df.copy()
    d["value"] = _floats(d["value"])
    by_id = {f["id"]: f for f in geojson["features"]}
    d = d[d["code"].isin(by_id)]
    has = d[d["value"].notna()]
    none = d[d["value"].isna()]
    fig = go.Figure()
    label = MAP_MEASURES.get(measure, measure)
    if not has.empty:
        vals = has["value"]
        lo, hi = float(vals.min()), float(vals.max())
        if measure == "alerts":
            lo, scale = 0.0, "OrRd"
            hi = max(hi, 1.0)
        elif measure == "median_exec":
            lo, hi = min(lo, 85.0), max(hi, 105.0)
            scale = _exec_scale(lo, hi)
        else:
            if hi - lo < 2:  # a scale of at least two points, so near-equal medians do not look far apart
                lo = hi - 2
            scale = "RdYlGn"
        fig.add_trace(go.Choropleth(
            geojson={"type": "FeatureCollection", "features": [by_id[c] for c in has["code"]]},
            locations=list(has["code"]), z=list(has["value"]), featureidkey="id", zmin=lo, zmax=hi,
            colorscale=scale, marker={"line": {"color": "#ffffff", "width": 0.8}},
            text=list(has["text"]), hovertemplate="%{text}<extra></extra>", name="有报告",
            colorbar={"title": {"text": label, "side": "right"}, "thickness": 14, "len": 0.75,
                      "tickformat": ",d" if measure == "alerts" else None},
        ))
    if not none.empty:
        fig.add_trace(go.Choropleth(
            geojson={"type": "FeatureCollection", "features": [by_id[c] for c in none["code"]]},
            locations=list(none["code"]), z=[0] * len(none), featureidkey="id", showscale=False,
            colorscale=[[0, NO_DATA], [1, NO_DATA]], marker={"line": {"color": "#ffffff", "width": 0.8}},
            text=list(none["text"]), hovertemplate="%{text}<extra></extra>", name="没有报告",
        ))
    if picked and picked in by_id:
        lon, lat = _ring_lines(by_id[picked]["geometry"])
        fig.add_trace(go.Scattergeo(lon=lon, lat=lat, mode="lines", line={"color": "#212121", "width": 2.5},
                                    hoverinfo="skip", showlegend=False, name="所选地区"))
    if labels is not None and not labels.empty:
        fig.add_trace(go.Scattergeo(
            lon=list(labels["lon"]), lat=list(labels["lat"]), text=list(labels["name"]), mode="text",
            textfont={"size": 11, "color": "#263238"}, hoverinfo="skip", showlegend=False, name="地名",
            customdata=[[c] for c in labels["code"]]))
    # Mercator, fitted to the shapes drawn (Plotly's fitbounds does not fit conic projections).
    fig.update_geos(visible=False, fitbounds="geojson", projection_type="mercator", bgcolor="rgba(0,0,0,0)")
    fig = _finish(fig, title, height=height, clickmode="event+select", dragmode=False, showlegend=False)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 40 if title else 8, "b": 8})
    return fig


def _tie_labels(d: pd.DataFrame) -> list[str]:
    """Rank labels: '3' or '并列3' when several reports share the value."""
    out = []
    for r, t in zip(d["rank"], d["ties"]):
        r = int(r) if pd.notna(r) else None
        out.append("—" if r is None else (f"并列{r}" if pd.notna(t) and int(t) > 1 else str(r)))
    return out


def rank_dots(df: pd.DataFrame, value_label: str, median: float | None = None, title: str | None = None,
              is_pct: bool = False, band_labels: dict[str, str] | None = None, gap: bool = False) -> go.Figure:
    """A ranked dot plot: one row per report (highest at the top), a dot at its value coloured by
    band, the axis zoomed to the values (not from 0), the peer median as a dashed line labelled
    above the plot (never over a dot, never cut off). Ties share a rank ('并列3').

    Columns: label, value, band, rank, ties, and customdata columns evaluation_id, province,
    city, county (returned with a click). `gap`: a row separates the top from the bottom when
    only the two ends of a long ranking are drawn."""
    if not _has(df, "label", "value"):
        return empty_figure(title=title)
    d = df.dropna(subset=["value"]).copy()
    d["value"] = _floats(d["value"])
    d = d.sort_values(["value", "label"], ascending=[False, True]).reset_index(drop=True)
    d["rank_label"] = _tie_labels(d) if {"rank", "ties"} <= set(d.columns) else [str(i + 1) for i in range(len(d))]
    d["row"] = [f"{r}. {name}" for r, name in zip(d["rank_label"], d["label"])]
    show = fmt.pct if is_pct else fmt.score
    band_labels = band_labels or {}
    lo, hi = float(d["value"].min()), float(d["value"].max())
    if median is not None and not (isinstance(median, float) and math.isnan(median)):
        lo, hi = min(lo, float(median)), max(hi, float(median))
    span = hi - lo if hi > lo else max(abs(hi) * 0.05, 1.0)
    rng = [lo - span * 0.08, hi + span * 0.22]  # room on the right for the value labels
    order = list(d["row"])
    if gap and len(d) > 1:
        cut = len(d) // 2
        order = order[:cut] + ["⋯"] + order[cut:]
    fig = go.Figure()
    cols = [c for c in ("evaluation_id", "province", "city", "county") if c in d.columns]
    for band, part in d.groupby(d["band"].fillna("无") if "band" in d else pd.Series("无", index=d.index), sort=False):
        name = band_labels.get(band, band)
        fig.add_trace(go.Scatter(
            x=list(part["value"]), y=list(part["row"]), mode="markers+text", name=name,
            marker={"size": 11, "color": fmt.BAND_COLORS.get(band, NEUTRAL), "line": {"color": "#ffffff", "width": 1}},
            text=[show(v) for v in part["value"]], textposition="middle right", textfont={"size": 12},
            customdata=part[cols].astype(object).where(part[cols].notna(), None).values.tolist() if cols else None,
            hovertemplate="%{y}：%{text}<extra>" + name + "</extra>",
        ))
    if median is not None and not (isinstance(median, float) and math.isnan(median)):
        m = float(median)
        share = (m - rng[0]) / (rng[1] - rng[0])
        fig.add_vline(x=m, line_dash="dash", line_color="#424242", line_width=1.5)
        # above the plot area, anchored on the side with room, so the label neither covers a dot
        # nor runs past the chart's edge
        fig.add_annotation(x=m, xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
                           xanchor="left" if share < 0.6 else "right", text=f"同类中位数 {show(m)}",
                           font={"size": 12, "color": "#424242"}, bgcolor="rgba(255,255,255,0.9)")
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)), title=None, automargin=True,
                     type="category", showgrid=True, gridcolor="#f1f3f4")
    fig.update_xaxes(title=value_label, range=rng, zeroline=False, showgrid=True, gridcolor="#eceff1")
    height = max(220, 110 + 26 * len(order))
    fig = _finish(fig, title, height=min(height, 1600), clickmode="event+select")
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60 if title else 34, "b": 60})
    return fig


def spread_dots(df: pd.DataFrame, group_label: str, value_label: str, title: str | None = None,
                is_pct: bool = False) -> go.Figure:
    """One row per region, sorted by median (highest at the top): a thin line from the minimum to
    the maximum, a thick one from P25 to P75, a dot at the median (click it to drill into the
    region). Quantiles come from the warehouse. Columns: group, n, min, q1, median, q3, max, and
    province, city (the region's place, returned with a click)."""
    if not _has(df, "group", "median"):
        return empty_figure(title=title)
    d = df.dropna(subset=["median"]).copy()
    for col in ("min", "q1", "median", "q3", "max"):
        d[col] = _floats(d[col])
    d = d.sort_values(["median", "group"], ascending=[False, True]).reset_index(drop=True)
    show = fmt.pct if is_pct else fmt.score
    rows = [f"{g}（{fmt.count(n)}）" for g, n in zip(d["group"], d["n"])]

    def segments(a: str, b: str) -> tuple[list, list]:
        xs, ys = [], []
        for lo, hi, y in zip(d[a], d[b], rows):
            xs += [lo, hi, None]
            ys += [y, y, None]
        return xs, ys

    fig = go.Figure()
    x, y = segments("min", "max")
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line={"color": "#b0bec5", "width": 2}, hoverinfo="skip",
                             name="最小–最大"))
    x, y = segments("q1", "q3")
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line={"color": "#64b5f6", "width": 9}, hoverinfo="skip",
                             name="P25–P75"))
    hover = [f"{g}（{fmt.count(n)} 份）<br>中位数 {show(m)} · P25 {show(q1)} · P75 {show(q3)}<br>"
             f"最小 {show(lo)} · 最大 {show(hi)}<br>点击查看该地区"
             for g, n, lo, q1, m, q3, hi in zip(d["group"], d["n"], d["min"], d["q1"], d["median"], d["q3"], d["max"])]
    cols = [c for c in ("group", "province", "city") if c in d.columns]
    fig.add_trace(go.Scatter(x=list(d["median"]), y=rows, mode="markers", name="中位数",
                             marker={"size": 11, "color": "#0d47a1", "line": {"color": "#ffffff", "width": 1}},
                             customdata=d[cols].astype(object).where(d[cols].notna(), None).values.tolist(),
                             hovertext=hover, hoverinfo="text"))
    lo, hi = float(d["min"].min()), float(d["max"].max())
    span = hi - lo if hi > lo else max(abs(hi) * 0.05, 1.0)
    # no axis title: the rows name themselves, and a rotated title would sit on their labels
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(rows)), type="category", automargin=True,
                     title=None)
    fig.update_xaxes(title=value_label, range=[lo - span * 0.05, hi + span * 0.05], zeroline=False)
    return _finish(fig, title, height=min(max(220, 110 + 26 * len(rows)), 1400), clickmode="event+select")
