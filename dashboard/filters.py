"""The shared filters, drawn in the sidebar and kept in the URL.

Each widget has an explicit key that is also its query parameter (`bind="query-params"`), so
the URL follows every change and a link opens the same view: ?year=2021&year=2022&province=江西省
&city=南昌市&county=青云谱区&kind=项目&mode=自评&demo=true. A bound widget writes the label it shows
(项目, not project), so data.Filters.query_params() writes the same. Values equal to the default
are left out of the URL; values the data does not offer are ignored.

The widgets have the same keys on every page, so the values follow the user from page to page
(the browser test checks this).

Demo data: the toggle defaults to on whenever the warehouse holds demo reports. Demo data is only
there when someone loaded it (`make run` does, so that a first-time user sees comparisons across
hundreds of units at once); a production warehouse holds none and the toggle stays off and
disabled. Demo rows are badged 演示数据 wherever they appear, and one click takes them out.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import data
from dashboard import format as fmt

ALL = "全部"


def _all(value: Any) -> str:
    return ALL if value is None else str(value)


def sidebar(status: data.WarehouseStatus) -> data.Filters:
    """Draw the filters in the sidebar and return them. Call once per page, before the title."""
    demo_default = status.demo_evaluations > 0
    bar = st.sidebar
    bar.header("筛选条件")
    year_box, region_box, kind_box, demo_box = bar.container(), bar.container(), bar.container(), bar.container()

    with demo_box:
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
        # placeholder: a filter set to None by a drill or 重置筛选 reads 全部, not Streamlit's English prompt
        province = st.selectbox("省", [None, *provinces], format_func=_all, key="province", bind="query-params",
                                placeholder=ALL)
        in_province = regions if province is None else regions[regions["province"] == province]
        cities = sorted(c for c in in_province["city"].dropna().unique())
        city = st.selectbox("市", [None, *cities], format_func=_all, key="city", bind="query-params", placeholder=ALL)
        in_city = in_province if city is None else in_province[in_province["city"] == city]
        counties = sorted(c for c in in_city["county"].dropna().unique())
        county = st.selectbox("县区", [None, *counties], format_func=_all, key="county", bind="query-params",
                              placeholder=ALL)

    with kind_box:
        kind = st.selectbox("报告类型", [None, *opts.report_kinds], format_func=lambda k: _all(k) if k is None
                            else fmt.kind_label(k), key="kind", bind="query-params", placeholder=ALL)
        mode = st.selectbox("评价方式", [None, *opts.evaluation_modes], format_func=lambda m: _all(m) if m is None
                            else fmt.mode_label(m), key="mode", bind="query-params", placeholder=ALL)

    bar.button("重置筛选", key="reset_filters", on_click=_reset, args=(opts, demo_default), width="stretch")
    return data.Filters(year_from, year_to, province, city, county, kind, mode, include_demo)


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
