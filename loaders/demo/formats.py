"""Build real .docx, .xlsx and .pdf files from a report's text: the demo corpus uses it to write
reports in the formats stewards receive, and the reader tests to turn the four example reports
into those formats.

The text is first split into blocks:
- a line with a TAB after its first cell (seed 001 style) is a table row split on TAB;
- a run of lines that each hold one cell after a leading TAB (seeds 000/002/003 style), up to a
  blank line, is one table row whose cells are those lines; a line without a TAB inside such a
  run continues the cell above it (a cell wrapped onto the next line), and so does a line after
  a blank line when the next cell follows it at once (a cell with an empty line inside);
- a '| a | b |' line (the pipe layout) is a table row split on '|'; a row that does not end
  with '|' goes on over the next lines (a long cell a converter wrapped) until one does; a
  markdown rule row ('| --- | --- |') is no row;
- in a document with at least five lines written "cell|" (one cell per line, ending in '|'),
  a run of such lines up to a blank line is one table row;
- every other line is a paragraph (a blank line is an empty paragraph).
Rows separated only by blank lines form one table, padded to its widest row.

These rules are the writer's own (the generator shares no code with the parser). to_pdf draws
ruled tables, as Word exports them; to_pdf_columns draws them without rules, so a reader sees the
text of neighbouring columns interleaved line by line (the demo corpus's PDF files).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape

_ONE_CELL = re.compile(r"\t[^\t]*")
_PIPE_CELL_LINE = re.compile(r"^([^|｜\t]*)[|｜]\s*$")
_RULE_CELL = re.compile(r"\s*:?-{3,}:?\s*")
_MAX_WRAP = 3  # lines a wrapped "|" row may take beyond its first (a converter wraps a long cell)
_PLAIN_INT = re.compile(r"-?(0|[1-9]\d{0,14})")
_PLAIN_DECIMAL = re.compile(r"-?(0|[1-9]\d*)\.\d*[1-9]")


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)

    def padded(self) -> list[list[str]]:
        w = self.width
        return [r + [""] * (w - len(r)) for r in self.rows]


def _is_pipe_row(line: str) -> bool:
    """'| a | b |' (or with full-width '｜'): a line that starts with a bar and holds two."""
    s = line.strip()
    return s.startswith(("|", "｜")) and (s.count("|") + s.count("｜")) >= 2


def _row_cells(line: str) -> list[str]:
    """The cells between the bars of a pipe row, stripped; the outer bars frame the row."""
    s = line.strip().replace("｜", "|")
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _wrapped_head(lines: list[str], i: int) -> bool:
    """A line opening a pipe row without closing it, whose long cell goes on over the next
    lines (none of them a row of its own, none blank) until one ends with a bar."""
    s = lines[i].strip()
    if not s.startswith(("|", "｜")) or s.endswith(("|", "｜")):
        return False
    for nxt in lines[i + 1 : i + 1 + _MAX_WRAP]:
        t = nxt.strip()
        if not t or t.startswith(("|", "｜")):
            return False
        if t.endswith(("|", "｜")):
            return True
    return False


def blocks(text: str) -> list[Paragraph | Table]:
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: list[Paragraph | Table] = []
    table: Table | None = None
    pending: list[Paragraph] = []  # blank lines after a row: dropped if another row follows
    i = 0

    def add_row(row: list[str]) -> None:
        nonlocal table
        if table is None:
            table = Table()
            out.append(table)
        pending.clear()
        table.rows.append(row)

    def is_row(line: str) -> bool:
        return "\t" in line and not _ONE_CELL.fullmatch(line)

    cell_pipes = sum(1 for line in lines if _PIPE_CELL_LINE.match(line)) >= 5

    while i < len(lines):
        line = lines[i]
        if _is_pipe_row(line) or _wrapped_head(lines, i):
            text, j = line.strip(), i
            while not text.endswith(("|", "｜")) and j + 1 < len(lines) and j - i < _MAX_WRAP:
                nxt = lines[j + 1].strip()
                if not nxt or _is_pipe_row(nxt):
                    break
                j += 1
                text += nxt
            cells = _row_cells(text)
            if not all(_RULE_CELL.fullmatch(c) for c in cells):
                add_row(cells)
            i = j + 1
        elif cell_pipes and _PIPE_CELL_LINE.match(line):
            cells = []
            while i < len(lines) and _PIPE_CELL_LINE.match(lines[i]):
                cells.append(_PIPE_CELL_LINE.match(lines[i]).group(1).strip())
                i += 1
            add_row(cells)
        elif is_row(line):
            add_row(line.split("\t"))
            i += 1
        elif _ONE_CELL.fullmatch(line):
            cells: list[str] = []
            while i < len(lines) and not is_row(lines[i]) and not _is_pipe_row(lines[i]):
                if lines[i].startswith("\t"):
                    cells.append(lines[i][1:])
                elif lines[i].strip():
                    cells[-1] += "\n" + lines[i]
                elif _blank_inside_cell(lines, i):
                    cells[-1] += "\n" + lines[i + 1]
                    i += 1
                else:
                    break
                i += 1
            add_row(cells)
        else:
            if line.strip() == "" and table is not None:
                pending.append(Paragraph(""))
            else:
                table = None
                out.extend(pending)
                pending.clear()
                out.append(Paragraph(line))
            i += 1
    out.extend(pending)
    return out


def _blank_inside_cell(lines: list[str], i: int) -> bool:
    """A blank line, one line without a TAB, then the next cell: the blank is inside a cell
    (seed 003 has eleven, e.g. "\t财政供养人员", "", "控制率", "\t以100%为标准…")."""
    return (
        i + 2 < len(lines)
        and "\t" not in lines[i + 1]
        and lines[i + 1].strip() != ""
        and _ONE_CELL.fullmatch(lines[i + 2]) is not None
    )


def plain_number(text: str) -> int | float | None:
    """The number a cell holds when it is exactly a number as a spreadsheet would show it
    (no thousands separators, units, percent signs or trailing zeros); else None."""
    if _PLAIN_INT.fullmatch(text):
        return int(text)
    if _PLAIN_DECIMAL.fullmatch(text) and repr(float(text)) == text:
        return float(text)
    return None


# --- .docx ---------------------------------------------------------------------------------


def to_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for block in blocks(text):
        if isinstance(block, Paragraph):
            document.add_paragraph(block.text)
            continue
        rows = block.padded()
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        # Fill the cells through the XML rows: table.cell() rebuilds the grid on every call.
        for tr, values in zip(table._tbl.tr_lst, rows):
            for tc, value in zip(tr.tc_lst, values):
                parts = value.split("\n")
                tc.p_lst[0].append(_run(parts[0]))
                for part in parts[1:]:
                    tc.add_p().append(_run(part))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _run(text: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    return r


# --- .xlsx ---------------------------------------------------------------------------------


def to_xlsx(text: str) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报告"
    for block in blocks(text):
        if isinstance(block, Paragraph):
            ws.append([_xlsx_value(block.text)])
            continue
        first = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
        for row in block.padded():
            ws.append([_xlsx_value(v) for v in row])
        for top, bottom, col in _vertical_spans(block.padded()):
            ws.merge_cells(start_row=first + top, start_column=col + 1, end_row=first + bottom, end_column=col + 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _vertical_spans(rows: list[list[str]]) -> list[tuple[int, int, int]]:
    """(top row, bottom row, column) of each cell that spans rows: a filled cell over the empty
    cells below it that stand left of their row's first filled cell (a level label, "项目资金",
    written once for the rows it heads)."""
    out = []
    width = len(rows[0]) if rows else 0
    for col in range(width):
        top = None
        for r, row in enumerate(rows + [None]):
            lead = row is not None and not row[col] and not any(row[:col])
            if row is not None and row[col]:
                if top is not None and r - 1 > top:
                    out.append((top, r - 1, col))
                top = r
            elif not lead:
                if top is not None and r - 1 > top:
                    out.append((top, r - 1, col))
                top = None
    return out


def _xlsx_value(text: str):
    if text == "":
        return None
    number = plain_number(text)
    return text if number is None else number


# --- .pdf ----------------------------------------------------------------------------------

# A TrueType CJK font from a Debian package (fonts-wqy-zenhei), embedded with a ToUnicode map.
# reportlab's built-in Adobe CID font (STSong-Light) is not used: "·" (U+00B7), which the
# reports use in titles like 洪城热恋·牵手幸福, does not survive it.
PDF_FONT = "WenQuanYiZenHei"
PDF_FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@lru_cache(maxsize=1)
def pdf_styles():
    import os

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not os.path.exists(PDF_FONT_FILE):
        raise RuntimeError(f"{PDF_FONT_FILE} missing: apt-get install fonts-wqy-zenhei")
    pdfmetrics.registerFont(TTFont(PDF_FONT, PDF_FONT_FILE, subfontIndex=0))
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=10, leading=13, wordWrap="CJK", spaceBefore=5)
    cell = ParagraphStyle("cell", fontName=PDF_FONT, fontSize=8, leading=10, wordWrap="CJK")
    return body, cell


def to_pdf(text: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph as PdfParagraph
    from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    body, cell = pdf_styles()
    page = landscape(A4)
    margin = 40
    usable = page[0] - 2 * margin
    story = []
    for block in blocks(text):
        if isinstance(block, Paragraph):
            if block.text.strip():
                story.append(PdfParagraph(escape(block.text.strip()), body))
            continue
        rows = block.padded()
        data = [[PdfParagraph("<br/>".join(escape(p.strip()) for p in v.split("\n")), cell) for v in row] for row in rows]
        table = PdfTable(data, colWidths=_column_widths(rows, usable), repeatRows=0)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [Spacer(1, 4), table, Spacer(1, 4)]
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin
    ).build(story)
    return buf.getvalue()


def _column_widths(rows: list[list[str]], usable: float) -> list[float]:
    """Widths proportional to the square root of each column's longest text (so long rubric
    text gets room without starving short columns), at least 30 points each."""
    longest = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    weights = [max(n, 2) ** 0.5 for n in longest]
    total = sum(weights)
    widths = [max(30.0, usable * w / total) for w in weights]
    scale = usable / sum(widths)
    return [w * scale for w in widths]


BUILDERS = {".docx": to_docx, ".xlsx": to_xlsx, ".pdf": to_pdf}
_WRAP_TOKEN = re.compile(r"[A-Za-z0-9.,%+\-/:]+|.", re.S)


# --- .pdf as plain text in columns ----------------------------------------------------------


def to_pdf_columns(text: str) -> bytes:
    """A PDF whose tables are drawn without rules, each cell's text wrapped inside its column:
    what a report printed to PDF from a borderless layout looks like. Text extraction reads such
    a page line by line across the columns, so the pieces of neighbouring long cells interleave
    (realdev 017, 028). Written on a reportlab canvas (fast, no layout engine) with the same
    embedded CJK font as to_pdf; invariant, so the same text gives the same bytes."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas as pdf_canvas

    pdf_styles()  # registers the font
    size, leading, margin = 9.0, 12.0, 40.0
    page_w, page_h = landscape(A4)
    usable = page_w - 2 * margin
    buf = io.BytesIO()
    c = pdf_canvas.Canvas(buf, pagesize=(page_w, page_h), invariant=1)
    c.setFont(PDF_FONT, size)
    y = page_h - margin

    def room(lines: int) -> None:
        nonlocal y
        if y - lines * leading < margin:
            c.showPage()
            c.setFont(PDF_FONT, size)
            y = page_h - margin

    def wrap(s: str, width: float) -> list[str]:
        """Pieces of s that fit width: a CJK glyph is one em, an ASCII one half; a run of ASCII
        letters and digits (a number, 1099.64 or 95%) is never cut."""
        pieces, cur, cur_w = [], "", 0.0
        for token in _WRAP_TOKEN.findall(s):
            w = sum(size * (0.55 if ch.isascii() else 1.0) for ch in token)
            if cur and cur_w + w > width:
                pieces.append(cur)
                cur, cur_w = "", 0.0
            cur += token
            cur_w += w
        return [*pieces, cur] if cur or not pieces else pieces

    for block in blocks(text):
        if isinstance(block, Paragraph):
            parts = wrap(block.text.strip(), usable) if block.text.strip() else [""]
            for part in parts:
                room(1)
                if part:
                    c.drawString(margin, y, part)
                y -= leading
            continue
        rows = block.padded()
        widths = _column_widths(rows, usable)
        xs = [margin + sum(widths[:i]) for i in range(len(widths))]
        for row in rows:
            cells = [[p for line in cell.split("\n") if line.strip() for p in wrap(line.strip(), w - 4)] for cell, w in zip(row, widths)]
            depth = max(1, max(len(ps) for ps in cells))
            room(min(depth, 40))
            for k in range(depth):
                if y < margin:
                    room(1)
                for x, ps in zip(xs, cells):
                    if k < len(ps):
                        c.drawString(x, y, ps[k])
                y -= leading
            y -= leading / 3
    c.save()
    return buf.getvalue()
