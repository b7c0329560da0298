"""Excel (.xlsx) reports: every worksheet in order, one line per non-empty row.

Output convention (the families rely on it):
- a line "【工作表：<name>】" opens each worksheet;
- a row is one line, its cells joined by TAB from column A, trailing empty cells dropped;
  a row of a drawn table (cells with borders) that holds no value keeps its empty cells up to
  the last bordered one, so it stays a row ("\t") and does not read as an empty line;
- rows with no value are skipped, except a run of empty rows between content that touches a
  drawn table: it is where the table starts or ends (as a blank line does in text), and is
  kept as that many empty lines;
- a merged range is reported once, at its top-left cell; the cells it covers are empty strings;
- numbers are the stored numbers, not the displayed text: an integral float is written as an
  integer ("64"), any other float in its shortest exact form ("549.6875"); a cell formatted as a
  percentage is written as a percentage ("85%" for 0.85) because that is the unit it states;
  dates are ISO ("2023-06-30");
- a formula gives its cached value (the value Excel computed when it last saved the file); a
  formula without one is read as empty and named in Document.notes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

from loaders.read.base import MAX_TABLE_CELLS, Document, ReadError, TextBudget, over_limit, sha256_of
from loaders.read.guard import READ_SECONDS, open_ooxml_zip, time_limit, wrapped_read_error

SHEET_MARK = "【工作表：{name}】"
MAX_CELLS = 2_000_000  # a report sheet has at most a few thousand cells
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def read(data: bytes, name: str) -> Document:
    zf = open_ooxml_zip(data, ".xlsx")
    has_formulas = _scan_sheets(zf)
    zf.close()
    notes: list[str] = []
    budget = TextBudget()
    with time_limit(READ_SECONDS):
        wb = _load(data, data_only=True)
        formulas = _load(data, data_only=False) if has_formulas else None
        lines: list[str] = []
        for ws in wb.worksheets:
            lines.append(budget.add_line(SHEET_MARK.format(name=ws.title)))
            lines.extend(budget.add_line(line) for line in _sheet_lines(ws, formulas[ws.title] if formulas else None, notes))
    if len(lines) == len(wb.worksheets):
        raise ReadError("工作簿中没有任何内容 (所有工作表都是空的)")
    doc = Document(name=name, format="xlsx", encoding=None, lines=lines, sha256=sha256_of(data), size_bytes=len(data))
    doc.notes.extend(notes)
    return doc


def _scan_sheets(zf: zipfile.ZipFile) -> bool:
    """Whether any worksheet holds a formula (decides if a second, formula-reading pass is
    needed). Refuses merged ranges covering more than base.MAX_TABLE_CELLS cells together:
    openpyxl makes an object for every cell a range covers, so one A1:XFD1048576 in a file of
    a few kilobytes would take minutes and gigabytes."""
    formulas = False
    for info in zf.infolist():
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            try:
                with zf.open(info) as f:
                    xml = f.read()
            except Exception as e:  # a damaged member: one clear line
                raise ReadError(f"文件已损坏或不是有效的 .xlsx ({type(e).__name__}: {' '.join(str(e).split())[:120]})") from e
            formulas = formulas or bool(_FORMULA_TAG.search(xml))
            covered = 0
            for c1, r1, c2, r2 in _MERGE_REF.findall(xml):
                rows = abs(int(r2) - int(r1)) + 1
                cols = abs(_column_number(c2) - _column_number(c1)) + 1
                covered += rows * cols
                if covered > MAX_TABLE_CELLS:
                    raise over_limit("合并单元格覆盖的格数", covered, MAX_TABLE_CELLS, " 个")
    return formulas


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _load(data: bytes, data_only: bool):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, read_only=False, keep_links=False)
    except ReadError:
        raise
    except Exception as e:  # zip, XML, and openpyxl's own errors on a damaged workbook: one clear line
        text = " ".join(str(e).split())[:120]
        raise (wrapped_read_error(e) or ReadError(f"文件已损坏或不是有效的 .xlsx ({type(e).__name__}: {text})")) from e


def _sheet_lines(ws, formula_ws, notes: list[str]) -> list[str]:
    if ws.max_row * ws.max_column > MAX_CELLS:
        raise ReadError(f"工作表「{ws.title}」过大 ({ws.max_row} 行 × {ws.max_column} 列)，不像是一份评价报告")
    rows: list[tuple[str | None, bool]] = []  # (line or None if no cell, whether it has bordered cells)
    missing: list[str] = []
    # Cells covered by a merged range are MergedCell objects whose value is None, so the range's
    # value appears once, at its top-left cell, without extra work here.
    for row in ws.iter_rows():
        cells: list[str] = []
        drawn = 0  # number of cells up to the last bordered one
        for cell in row:
            value = cell.value
            if value is None and formula_ws is not None:
                formula = formula_ws[cell.coordinate].value
                if isinstance(formula, str) and formula.startswith("="):
                    missing.append(f"{cell.coordinate} ({formula[:40]})")
            cells.append(format_value(value, getattr(cell, "number_format", "General")))
            if _bordered(cell):
                drawn = len(cells)
        keep = max((i + 1 for i, c in enumerate(cells) if c != ""), default=0) or drawn
        rows.append(("\t".join(cells[:keep]) if keep else None, drawn > 0))
    out = _with_table_breaks(rows)
    if missing:
        shown = "、".join(missing[:10]) + (f" 等 {len(missing)} 个" if len(missing) > 10 else "")
        notes.append(
            f"工作表「{ws.title}」中的公式没有缓存的计算结果 (文件未经 Excel 保存过)，按空白读取：{shown}"
        )
    return out


def _bordered(cell) -> bool:
    if not getattr(cell, "has_style", False):
        return False
    border = cell.border
    return any(side is not None and side.style for side in (border.left, border.right, border.top, border.bottom))


def _with_table_breaks(rows: list[tuple[str | None, bool]]) -> list[str]:
    """The rows' lines; a row without any cell (None) is skipped, unless it is in a run of such
    rows between two rows with content, next to a drawn table: then each is an empty line."""
    out: list[str] = []
    i = 0
    while i < len(rows):
        line, drawn = rows[i]
        if line is not None or drawn:
            out.append(line or "")
            i += 1
            continue
        j = i
        while j < len(rows) and rows[j][0] is None and not rows[j][1]:
            j += 1
        if out and j < len(rows) and (rows[i - 1][1] or rows[j][1]):
            out.extend([""] * (j - i))
        i = j
    return out


def format_value(value, number_format: str = "General") -> str:
    """The text of one cell value (see the module docstring for the rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        if "%" in (number_format or ""):
            return _number_text(Decimal(repr(value)) * 100 if isinstance(value, float) else Decimal(value) * 100) + "%"
        return _number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return " ".join(str(value).replace("\r\n", "\n").split("\n"))


def _number_text(value) -> str:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        value = Decimal(repr(value))  # shortest repr: 549.6875, 0.1 (not 0.1000000000000000055)
    elif isinstance(value, int):
        return str(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
