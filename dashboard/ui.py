"""Output pieces every page uses: the empty-warehouse guard, a table with its CSV and Excel
downloads (capped at data.TABLE_ROWS rows on screen, every row in the CSV), the demo badge, and a
source line shown in its context."""

from __future__ import annotations

import html
import io
import logging
from collections.abc import Callable, Sequence

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


def print_styles() -> None:
    """The page's print styles (PRINT_CSS); st.html with a style alone takes no room on screen."""
    st.html(PRINT_CSS)


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
          transform: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> pd.DataFrame:
    """The table behind a chart: Chinese headers, money in 万元, rates in %, missing values as —,
    demo rows badged, with CSV and Excel downloads. Given `data.Rows` (the first rows of a larger
    result), it says how many rows matched and how many it shows, and its CSV holds every row.
    `transform` adds the page's computed columns (labels, links) to the rows, shown or downloaded.
    Returns the display frame."""
    rows = df if isinstance(df, data.Rows) else None
    frame = rows.frame if rows is not None else df
    raw = transform(frame) if transform else frame
    raw = raw[list(columns)] if columns else raw
    shown = fmt.for_display(raw)
    config: dict = {name: st.column_config.NumberColumn(name, format=f) for name, f in fmt.column_formats(raw).items()}
    if "fiscal_year" in raw.columns:
        config[fmt.COLUMN_LABELS["fiscal_year"]] = st.column_config.NumberColumn("年度", format="%d")
    if link_column and link_column in raw.columns:
        name = fmt.COLUMN_LABELS.get(link_column, link_column)
        config[name] = st.column_config.LinkColumn(name, display_text="查看报告")
    if caption:
        st.caption(caption)
    capped = rows is not None and rows.capped
    if capped:
        st.caption(cap_caption(rows.total, len(shown)))
    st.dataframe(shown, hide_index=True, column_config=config, key=f"{key}_table", height=height,
                 placeholder=fmt.MISSING)
    downloads(shown, key, file_stem, (lambda: csv_of_all(rows, columns, transform)) if capped else None,
              rows.total if capped else None)
    return shown


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
