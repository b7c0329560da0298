"""The shared filters, drawn in the sidebar and kept in the URL.

Each widget has an explicit key that is also its query parameter (`bind="query-params"`), so
the URL follows every change and a link opens the same view: ?year=2021&year=2022&province=江西省
&city=南昌市&county=青云谱区&kind=项目&mode=自评&demo=true. A bound widget writes the label it shows
(项目, not project), so data.Filters.query_params() writes the same. Values equal to the default
are left out of the URL; values the data does not offer are ignored.

The widgets have the same keys on every page, but a page's widgets are that page's (Streamlit
gives a widget an id per page), so on a page change (the sidebar menu, st.page_link,
st.switch_page) Streamlit drops the URL parameters bound to the previous page's widgets and keeps
their values only when they were already carried into a later run: a value seeded from the URL the
page was opened with (/overview?province=江西省) was lost on the first page change. So the
sidebar keeps the filters of the last run in the session (_KEPT) and, on the first run of another
page, puts back each one the new page's URL does not name, in the widget and in the URL
(_carry_over). A URL that names a filter (a link, st.switch_page(query_params=…)) wins. The
browser test (tests/dashboard/test_browser.py) checks both ways: a filter set in the page and one
that came in the URL.

Demo data: the toggle defaults to on whenever the warehouse holds demo reports. Demo data is only
there when someone loaded it (`make run` does, so that a first-time user sees comparisons across
hundreds of units at once); a production warehouse holds none and the toggle stays off and
disabled. Demo rows are badged 演示数据 wherever they appear, and one click takes them out.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard import data
from dashboard import format as fmt

ALL = "全部"
_KEPT = "_filters_kept"  # {"page": page id, "values": {key: (value, URL value)}} of the last run


def _all(value: Any) -> str:
    return ALL if value is None else str(value)


def sidebar(status: data.WarehouseStatus) -> data.Filters:
    """Draw the filters in the sidebar and return them. Call once per page, before the title."""
    demo_default = status.demo_evaluations > 0
    carried = _carried()
    bar = st.sidebar
    bar.header("筛选条件")
    year_box, region_box, kind_box, demo_box = bar.container(), bar.container(), bar.container(), bar.container()

    with demo_box:
        _carry_over(carried, "demo", (True, False))
        include_demo = st.toggle(
            "包含演示数据", value=demo_default, key="demo", bind="query-params",
            help="演示数据是系统生成的示例报告（不是真实报告），带“演示数据”标记；仓库中有演示数据时默认包含，关闭即只看真实报告。",
            disabled=status.real_evaluations == 0 or status.demo_evaluations == 0,
        )
        if status.demo_only:
            include_demo = True  # nothing else to show; the toggle is shown on and disabled
    opts = data.filter_options(include_demo)

    with year_box:
        year_from = year_to = None
        if len(opts.years) >= 2:
            _carry_over(carried, "year", None, lambda v: len(v) == 2 and all(y in opts.years for y in v))
            year_from, year_to = st.select_slider(
                "年度", options=list(opts.years), value=(opts.years[0], opts.years[-1]), key="year",
                bind="query-params",
            )
        elif len(opts.years) == 1:
            year_from = year_to = opts.years[0]
            st.caption(f"年度：{year_from}年（仓库中只有这一年）")

    with region_box:
        regions = opts.regions
        provinces = sorted(p for p in regions["province"].dropna().unique())
        _carry_over(carried, "province", provinces)
        # placeholder: a filter set to None by a drill or 重置筛选 reads 全部, not Streamlit's English prompt
        province = st.selectbox("省", [None, *provinces], format_func=_all, key="province", bind="query-params",
                                placeholder=ALL)
        in_province = regions if province is None else regions[regions["province"] == province]
        cities = sorted(c for c in in_province["city"].dropna().unique())
        _carry_over(carried, "city", cities)
        city = st.selectbox("市", [None, *cities], format_func=_all, key="city", bind="query-params", placeholder=ALL)
        in_city = in_province if city is None else in_province[in_province["city"] == city]
        counties = sorted(c for c in in_city["county"].dropna().unique())
        _carry_over(carried, "county", counties)
        county = st.selectbox("县区", [None, *counties], format_func=_all, key="county", bind="query-params",
                              placeholder=ALL)

    with kind_box:
        _carry_over(carried, "kind", opts.report_kinds)
        _carry_over(carried, "mode", opts.evaluation_modes)
        kind = st.selectbox("报告类型", [None, *opts.report_kinds], format_func=lambda k: _all(k) if k is None
                            else fmt.kind_label(k), key="kind", bind="query-params", placeholder=ALL)
        mode = st.selectbox("评价方式", [None, *opts.evaluation_modes], format_func=lambda m: _all(m) if m is None
                            else fmt.mode_label(m), key="mode", bind="query-params", placeholder=ALL)

    bar.button("重置筛选", key="reset_filters", on_click=_reset, args=(opts, demo_default), width="stretch")
    f = data.Filters(year_from, year_to, province, city, county, kind, mode, include_demo)
    _keep(f, opts, demo_default)
    return f


def _page() -> str:
    """The page this run shows (its script hash); '' outside a session."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.page_script_hash if ctx is not None else ""


def _keep(f: data.Filters, opts: data.FilterOptions, demo_default: bool) -> None:
    """Remember the filters that differ from their defaults, with their URL values, and the page."""
    params = f.query_params()
    values: dict[str, tuple[Any, Any]] = {}
    if f.year_from is not None and len(opts.years) >= 2 and (f.year_from, f.year_to) != (opts.years[0], opts.years[-1]):
        values["year"] = ((f.year_from, f.year_to), params["year"])
    for key, value in (("province", f.province), ("city", f.city), ("county", f.county), ("kind", f.report_kind),
                       ("mode", f.evaluation_mode)):
        if value is not None:
            values[key] = (value, params[key])
    if f.include_demo != demo_default:
        values["demo"] = (f.include_demo, params["demo"])
    st.session_state[_KEPT] = {"page": _page(), "values": values}


def _carried() -> dict[str, tuple[Any, Any]]:
    """The kept filters to put back: those of the last run when it showed another page; none on
    a rerun of the same page (where the widgets hold their own values)."""
    kept = st.session_state.get(_KEPT)
    if not kept or kept.get("page") == _page():
        return {}
    return dict(kept.get("values") or {})


def _carry_over(carried: dict[str, tuple[Any, Any]], key: str, offered: Any, valid: Any = None) -> None:
    """Put a carried filter back before its widget is drawn: in the widget's state and in the URL,
    unless the URL of the new page names it (a link's filters win) or the data does not offer it."""
    if key not in carried or key in st.query_params:
        return
    value, param = carried[key]
    if (valid is not None and not valid(value)) or (offered is not None and value not in offered):
        return
    st.session_state[key] = value
    try:
        st.query_params[key] = param
    except StreamlitAPIException:  # still bound (Streamlit kept the widget): the widget writes it
        pass


def drill(province: str | None = None, city: str | None = None, county: str | None = None) -> None:
    """Narrow (or widen) the region filters: a callback of a map or chart click or a breadcrumb
    button, so it runs before the sidebar's widgets are drawn; the widgets then show the region
    and write it to the URL (?province=…&city=…&county=…)."""
    st.session_state["province"] = province
    st.session_state["city"] = city
    st.session_state["county"] = county


def _reset(opts: data.FilterOptions, demo_default: bool) -> None:
    if len(opts.years) >= 2:
        st.session_state["year"] = (opts.years[0], opts.years[-1])
    for key in ("province", "city", "county", "kind", "mode"):
        st.session_state[key] = None
    st.session_state["demo"] = demo_default


def describe(f: data.Filters) -> str:
    """The filters in one line, for the caption under a page title."""
    parts = []
    if f.year_from is not None:
        parts.append(f"{f.year_from}年" if f.year_from == f.year_to else f"{f.year_from}–{f.year_to}年")
    region = " ".join(x for x in (f.province, f.city, f.county) if x)
    parts.append(region or "全部地区")
    parts.append(fmt.kind_label(f.report_kind) if f.report_kind else "全部报告类型")
    parts.append(fmt.mode_label(f.evaluation_mode) if f.evaluation_mode else "全部评价方式")
    parts.append("含演示数据" if f.include_demo else "不含演示数据")
    return "筛选：" + " · ".join(parts)
