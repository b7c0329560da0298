"""Output pieces every page uses: the empty-warehouse guard, a table with its CSV and Excel
downloads (capped at data.TABLE_ROWS rows on screen, every row in the CSV), the demo badge, and a
source line shown in its context."""

from __future__ import annotations

import functools
import html
import io
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard import format as fmt

LOAD_HELP = """
**如何导入报告**

- 在本看板的 **导入报告** 页上传 .txt / .docx / .xlsx / .pdf 报告文件，确认解析结果后点击“载入数据仓库”；或
- 在项目目录运行命令：

```bash
.venv/bin/python -m loaders load data/reports
```

默认写入 `data/warehouse.duckdb`（环境变量 `WAREHOUSE_PATH` 可改变位置）。载入完成后刷新本页即可看到新报告，无需重启看板。
"""


def guard(status: data.WarehouseStatus) -> None:
    """Stop the page with loading instructions when the warehouse is missing or empty."""
    if status.ok:
        return
    # The warehouse's path on the server and DuckDB's own error text are not shown to users.
    if status.state == "missing":
        st.info("还没有数据仓库。", icon=":material/database:")
    elif status.state == "empty":
        st.info(f"数据仓库中还没有报告（{status.message}）。", icon=":material/inbox:")
    else:
        logging.getLogger("dashboard").warning("warehouse %s: %s", status.path, status.message)
        st.warning("无法读取数据仓库，请联系管理员查看服务器日志。", icon=":material/warning:")
    st.markdown(LOAD_HELP)
    from dashboard import auth

    if auth.can("import"):
        st.page_link("dashboard/pages/import_reports.py", label="前往“导入报告”页", icon=":material/upload_file:")
    st.stop()


# Printing a page (the browser's 打印 / 另存为 PDF): the content only, full width, every row of it.
# The sidebar, the toolbar and header, the download buttons and the chart and table tool buttons
# are left out; the app's scrolling container lets the page run over as many sheets as it needs.
PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stDownloadButton"], [data-testid="stElementToolbar"], .modebar-container,
  [data-testid="stBottom"] { display: none !important; }
  [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    position: static !important; overflow: visible !important; height: auto !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  /* a container of fixed height scrolls on screen; on paper it shows every row */
  [data-testid="stVerticalBlock"][height], [data-testid="stLayoutWrapper"][height] {
    height: auto !important; max-height: none !important; overflow: visible !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0.5rem 0 !important; }
  [data-testid="stVerticalBlock"], [data-testid="stPlotlyChart"], [data-testid="stMetric"] { break-inside: avoid; }
}
</style>"""


# A phone (390 px): the page title on one line and less padding around the content.
SMALL_SCREEN_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: 1.5rem !important; padding-top: 0.25rem !important; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem !important; padding-right: 0.75rem !important; }
}
</style>"""


def print_styles() -> None:
    """The page's print styles (PRINT_CSS) and its small-screen styles (SMALL_SCREEN_CSS); st.html
    with a style alone takes no room on screen."""
    st.html(PRINT_CSS + SMALL_SCREEN_CSS)


def header(title: str, filters: data.Filters | None = None, caption: str | None = None) -> None:
    """The page title with the filters in a caption under it; every page calls it first, so the
    print styles are set here too."""
    print_styles()
    st.title(title)
    lines = [x for x in (caption, filters and _describe(filters)) if x]
    if lines:
        st.caption("　".join(lines))


def _describe(f: data.Filters) -> str:
    from dashboard.filters import describe

    return describe(f)


def demo_badge(df: pd.DataFrame | None = None, force: bool = False) -> None:
    """The 演示数据 badge, when the rows shown include demo rows."""
    if force or (df is not None and "is_demo" in df.columns and df["is_demo"].fillna(False).astype(bool).any()):
        st.badge(fmt.DEMO_BADGE, icon=":material/science:", color="orange",
                 help="这些行来自生成的演示报告，不是真实报告。")


def _excel(frame: pd.DataFrame, sheet: str) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        frame.to_excel(xw, sheet_name=sheet[:31], index=False)
        ws = xw.sheets[sheet[:31]]
        for i, col in enumerate(frame.columns):
            width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200).tolist()]) + 2
            ws.set_column(i, i, min(width * 1.6, 60))
    return buf.getvalue()


def downloads(frame: pd.DataFrame, key: str, file_stem: str, every_row: Callable[[], bytes] | None = None,
              total: int | None = None) -> None:
    """CSV (UTF-8 with BOM, so Excel reads the Chinese) and Excel downloads of a display table.
    When the table shows only the first rows, `every_row` makes the CSV of all `total` rows when
    clicked, and the Excel file holds the rows shown. Shown only to roles with `export` (analyst and up)."""
    from dashboard import auth

    if not auth.can("export"):
        return
    row = st.container(horizontal=True, gap="small")
    with row:
        if every_row is None:
            st.download_button("下载 CSV", data=lambda: frame.to_csv(index=False).encode("utf-8-sig"),
                               file_name=f"{file_stem}.csv", mime="text/csv", key=f"{key}_csv",
                               icon=":material/download:", on_click="ignore")
        else:
            st.download_button(f"下载全部 {fmt.count(total)} 行（CSV）", data=every_row, file_name=f"{file_stem}.csv",
                               mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore",
                               help="点击时从数据仓库读出全部行，行数多时需要几秒。")
        st.download_button("下载 Excel" if every_row is None else f"下载显示的 {fmt.count(len(frame))} 行（Excel）",
                           data=lambda: _excel(frame, file_stem),
                           file_name=f"{file_stem}.xlsx", key=f"{key}_xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/table:", on_click="ignore")


def cap_caption(total: int, shown: int) -> str:
    """What a capped table says above itself."""
    return (f"共 {fmt.count(total)} 行，显示前 {fmt.count(shown)} 行。全部行可用下方“下载全部”得到（CSV），"
            "也可缩小左侧筛选范围，或在“SQL 查询”页查询。")


def display_rows(part: pd.DataFrame, columns: Sequence[str] | None = None,
                 transform: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> pd.DataFrame:
    """Rows as a table shows them: the page's computed columns added, the columns chosen,
    converted for reading (format.for_display)."""
    part = transform(part) if transform else part
    return fmt.for_display(part[list(columns)] if columns else part)


def csv_of_all(rows: data.Rows, columns: Sequence[str] | None = None,
               transform: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> bytes:
    """Every row behind a capped table as CSV (UTF-8 with BOM), converted like the table, read
    from the warehouse a chunk at a time."""
    buf = io.BytesIO()
    header = True
    for chunk in data.all_rows(rows):
        buf.write(display_rows(chunk, columns, transform).to_csv(index=False, header=header)
                  .encode("utf-8-sig" if header else "utf-8"))
        header = False
    if header:  # no row at all: the header alone
        buf.write(display_rows(rows.frame.head(0), columns, transform).to_csv(index=False).encode("utf-8-sig"))
    return buf.getvalue()


def table(df: pd.DataFrame | data.Rows, key: str, file_stem: str, columns: Sequence[str] | None = None,
          link_column: str | None = None, height: int | str = "auto", caption: str | None = None,
          transform: Callable[[pd.DataFrame], pd.DataFrame] | None = None, open_row: bool = False) -> pd.DataFrame:
    """The table behind a chart: Chinese headers, money in 万元, rates in %, missing values as —,
    demo rows badged, with CSV and Excel downloads. Given `data.Rows` (the first rows of a larger
    result), it says how many rows matched and how many it shows, and its CSV holds every row.
    `transform` adds the page's computed columns (labels, links) to the rows, shown or downloaded.
    The links of `link_column` are full addresses in the downloads (a CSV opened elsewhere still
    reaches the report); with `open_row`, picking a row opens its link in the same tab.
    Returns the display frame."""
    follow_picked_row()
    if link_column:
        base = base_url()
        transform = _with_full_links(transform, link_column, base)
        return _table(df, key, file_stem, columns, link_column, height, caption, transform, open_row, base)
    return _table(df, key, file_stem, columns, link_column, height, caption, transform, open_row, None)


def _table(df: pd.DataFrame | data.Rows, key: str, file_stem: str, columns: Sequence[str] | None,
           link_column: str | None, height: int | str, caption: str | None,
           transform: Callable[[pd.DataFrame], pd.DataFrame] | None, open_row: bool, base: str | None
           ) -> pd.DataFrame:
    rows = df if isinstance(df, data.Rows) else None
    frame = rows.frame if rows is not None else df
    raw = transform(frame) if transform else frame
    raw = raw[list(columns)] if columns else raw
    shown = fmt.for_display(raw)
    config: dict = {name: st.column_config.NumberColumn(name, format=f) for name, f in fmt.column_formats(raw).items()}
    if "fiscal_year" in raw.columns:
        config[fmt.COLUMN_LABELS["fiscal_year"]] = st.column_config.NumberColumn("年度", format="%d")
    links: list[str] = []
    if link_column and link_column in raw.columns:
        name = fmt.COLUMN_LABELS.get(link_column, link_column)
        links = [str(v) for v in raw[link_column]]
        # on screen the link stays relative to the app (it opens in the app, whatever its address)
        shown[name] = [_relative(v, base) for v in shown[name]]
        config[name] = st.column_config.LinkColumn(name, display_text="查看报告")
    if caption:
        st.caption(caption)
    capped = rows is not None and rows.capped
    if capped:
        st.caption(cap_caption(rows.total, len(shown)))
    if open_row and links:
        st.caption("点选一行左侧的方框，即在本页打开该报告并定位到相应的原文。")
        st.dataframe(shown, hide_index=True, column_config=config, key=f"{key}_table", height=height,
                     placeholder=fmt.MISSING, selection_mode="single-row",
                     on_select=functools.partial(_pick_row, f"{key}_table", [_relative(v, base) for v in links]))
    else:
        st.dataframe(shown, hide_index=True, column_config=config, key=f"{key}_table", height=height,
                     placeholder=fmt.MISSING)
    exported = shown
    if links:
        exported = shown.copy()
        exported[fmt.COLUMN_LABELS.get(link_column, link_column)] = links
    downloads(exported, key, file_stem, (lambda: csv_of_all(rows, columns, transform)) if capped else None,
              rows.total if capped else None)
    return shown


# ---------------------------------------------------------------------------------------------
# Links: full addresses in downloads, a picked table row opened in the same tab.


def base_url() -> str | None:
    """The app's address as the browser sees it, up to the page name (http://host:8501/), so a
    link in a CSV or Excel file opens the report from outside the app; None outside a browser
    session (tests, scripts), where links stay relative."""
    try:
        url = st.context.url
    except Exception:  # no session (a bare script run)
        return None
    if not url or "://" not in url:
        return None
    return url.split("?", 1)[0].rsplit("/", 1)[0] + "/"


def full_link(link: object, base: str | None) -> object:
    """./report?… → http://host:8501/report?… when the app's address is known."""
    if base and isinstance(link, str) and link.startswith("./"):
        return base + link[2:]
    return link


def _relative(link: object, base: str | None) -> object:
    if base and isinstance(link, str) and link.startswith(base):
        return "./" + link[len(base):]
    return link


def _with_full_links(transform: Callable[[pd.DataFrame], pd.DataFrame] | None, column: str, base: str | None
                     ) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def full(part: pd.DataFrame) -> pd.DataFrame:
        part = transform(part) if transform else part
        if base and column in part.columns:
            part = part.assign(**{column: [full_link(v, base) for v in part[column]]})
        return part

    return full


_PICKED = "_ui_picked_link"


def _pick_row(state_key: str, links: list[str]) -> None:
    """on_select of a table with open_row: remember the picked row's link; the next table drawn
    (or follow_picked_row) opens it."""
    picked = st.session_state.get(state_key)
    rows = getattr(getattr(picked, "selection", None), "rows", None) or (
        picked.get("selection", {}).get("rows") if isinstance(picked, dict) else None)
    if rows and 0 <= rows[0] < len(links):
        st.session_state[_PICKED] = links[rows[0]]


def follow_picked_row() -> None:
    """Open the link of a picked table row in the same tab (st.switch_page keeps the session, so a
    signed-in user stays signed in), with the link's query parameters."""
    link = st.session_state.pop(_PICKED, None)
    if not link:
        return
    target = page_of(link)
    if target:
        # The filters' parameters are bound to the sidebar's widgets, which have the same keys on
        # every page (dashboard/filters.py): their values follow the session, and switch_page may not
        # set them.
        params = {k: v for k, v in target[1].items() if k not in _FILTER_PARAMS}
        st.switch_page(target[0], query_params=params)


_FILTER_PARAMS = ("year", "province", "city", "county", "kind", "mode", "demo")  # keys of filters.sidebar


def report_links(f: data.Filters | None, field: str | Callable[[dict], str | None] | None = None,
                 line_column: str | None = None, id_column: str = "evaluation_id"
                 ) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A table's transform that adds a `link` column: each row's report (`id_column`), opened at the
    row's figure (`field`, a report-page field or metric name, or a function of the row giving one)
    and its sentence (`line_column`) when the row carries them; the filters go with the link.
    For ui.table(..., link_column="link", open_row=True, transform=report_links(...))."""
    def add(rows: pd.DataFrame) -> pd.DataFrame:
        links = []
        for r in rows.to_dict("records"):
            params: dict[str, object] = {"evaluation_id": int(r[id_column])}
            name = field(r) if callable(field) else field
            if name:
                params["field"] = name
            line = r.get(line_column) if line_column else None
            if line is not None and pd.notna(line):
                params["line"] = int(line)
            links.append(data.link("report", f, **params))
        return rows.assign(link=links)

    return add


def page_of(link: str) -> tuple[str, dict[str, list[str]]] | None:
    """./report?a=1&a=2 → ('/…/dashboard/pages/report.py', {'a': ['1', '2']}); None for a link that
    names no page of the app."""
    from urllib.parse import parse_qs, urlsplit

    from dashboard.registry import PAGES

    parts = urlsplit(link)
    name = parts.path.rsplit("/", 1)[-1]
    page = next((p.path for p in PAGES if p.url_path == name), None)
    if page is None:
        return None
    # absolute: st.switch_page resolves it whatever the app's entry point
    return str(Path(__file__).resolve().parent.parent / page), parse_qs(parts.query, keep_blank_values=True)


def context_block(lines: list[str], line: int | None, radius: int = 3) -> None:
    """Lines line-radius … line+radius of a source text, the line itself highlighted."""
    if not line or not lines:
        st.caption("原文未给出行号。")
        return
    lo, hi = max(1, line - radius), min(len(lines), line + radius)
    rows = []
    for n in range(lo, hi + 1):
        text = html.escape(lines[n - 1]) or "&nbsp;"
        style = "background:#fff3cd;font-weight:600;" if n == line else "color:#555;"
        rows.append(f'<div style="{style}white-space:pre-wrap;"><span style="color:#999;display:inline-block;'
                    f'width:3.5em;text-align:right;margin-right:.8em;">{n}</span>{text}</div>')
    st.html('<div style="font-family:\'Noto Sans Mono CJK SC\',monospace;font-size:13px;line-height:1.6;'
            'border:1px solid #e0e0e0;border-radius:6px;padding:6px 8px;">' + "".join(rows) + "</div>")


def focus_block(lines: list[str], line: int, anchor: str, radius: int = 3) -> None:
    """The sentence a link pointed at: lines line-radius … line+radius with the line itself marked
    (a bar at its left and a stronger colour), the block under the HTML id `anchor` and the line
    under `anchor`-line, which is scrolled to the middle of the screen when the page opens (the
    script names only the id, made of ASCII letters, digits and hyphens)."""
    if not re.fullmatch(r"[A-Za-z0-9-]+", anchor):
        raise ValueError(f"not an anchor: {anchor!r}")
    lo, hi = max(1, line - radius), min(len(lines), line + radius)
    rows = []
    for n in range(lo, hi + 1):
        text = html.escape(lines[n - 1]) or "&nbsp;"
        style = ("background:#ffe08a;font-weight:700;border-left:4px solid #c62828;padding-left:4px;"
                 if n == line else "color:#555;border-left:4px solid transparent;padding-left:4px;")
        rows.append(f'<div{" id=" + chr(34) + anchor + "-line" + chr(34) if n == line else ""} data-line="{n}" '
                    f'style="{style}white-space:pre-wrap;"><span style="color:#999;display:inline-block;'
                    f'width:3.5em;text-align:right;margin-right:.8em;">{n}</span>{text}</div>')
    # No '<' inside the script: the sanitizer drops a script whose text looks like it holds a tag.
    script = ("<script>(function(){var tries=0;function go(){var el=document.getElementById('" + anchor + "-line');"
              "tries+=1;if(el){el.scrollIntoView({block:'center'});if(tries>=5)return;}"
              "if(tries>=20)return;setTimeout(go,250);}setTimeout(go,100);})();</script>")
    st.html(f'<div id="{anchor}" style="font-family:\'Noto Sans Mono CJK SC\',monospace;font-size:14px;'
            'line-height:1.7;border:2px solid #c62828;border-radius:6px;padding:6px 8px;scroll-margin:80px;">'
            + "".join(rows) + "</div>" + script, unsafe_allow_javascript=True)
