"""Write a text report as .docx, .xlsx and .pdf, as an office user would: tables as real tables.

Independent of the parser on purpose (nothing here imports `loaders`): its idea of what a table
row is is its own, so a reader test built on it does not merely agree with itself.

- a line holding '|' or a TAB is a table row; its cells are the pieces between them (an empty
  piece is an empty cell, kept in place; each cell's text is trimmed);
- consecutive table lines form one table (padded to its widest row); any other line, a blank
  line included, is a paragraph and ends the table.

.docx: paragraphs and Word tables. .xlsx: one sheet, a row per line, paragraphs in column A,
table cells in columns with borders round the table's cells (numbers whose text is their own
shortest form stored as numbers). .pdf (reportlab, CJK TrueType font): paragraphs wrapped as a
word processor wraps them, an empty line as a line's height of space, tables ruled with the
cell text placed in its column.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

_CELL_SPLIT = re.compile(r"[|\t]")
_INT = re.compile(r"-?(?:0|[1-9]\d{0,14})")
_DECIMAL = re.compile(r"-?(?:0|[1-9]\d{0,10})\.\d{0,5}[1-9]")


@dataclass
class Para:
    text: str


@dataclass
class Grid:
    rows: list[list[str]]

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)

    def padded(self) -> list[list[str]]:
        w = self.width
        return [r + [""] * (w - len(r)) for r in self.rows]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # a form feed (a PDF page break as pdftotext writes it) and the like


def blocks(text: str) -> list[Para | Grid]:
    # control characters are no text a user types into a document (Word and Excel refuse them)
    lines = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: list[Para | Grid] = []
    for line in lines:
        if "|" in line or "\t" in line:
            cells = [c.strip() for c in _CELL_SPLIT.split(line)]
            if out and isinstance(out[-1], Grid):
                out[-1].rows.append(cells)
            else:
                out.append(Grid([cells]))
        else:
            out.append(Para(line))
    return out


# --- .docx ---------------------------------------------------------------------------------


def to_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for block in blocks(text):
        if isinstance(block, Para):
            document.add_paragraph(block.text)
            continue
        rows = block.padded()
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for row, values in zip(table.rows, rows):
            for cell, value in zip(row.cells, values):
                if value:
                    cell.paragraphs[0].add_run(value)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# --- .xlsx ---------------------------------------------------------------------------------


def _xlsx_value(text: str):
    """A cell holding a plain number is stored as that number when the number's own text is
    the same text (64, 0.96; not 95.50, 1,000 or 85%), as a spreadsheet user's typing would be."""
    if text == "":
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text) and repr(float(text)) == text:
        return float(text)
    return text


def to_xlsx(text: str) -> bytes:
    """One sheet, one row per line: a paragraph in column A, a table's cells in columns with
    thin borders round every cell of the table's rectangle (empty cells included), as a table
    is drawn in a spreadsheet."""
    import openpyxl
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报告"
    r = 0
    for block in blocks(text):
        if isinstance(block, Para):
            r += 1
            if block.text:
                ws.cell(row=r, column=1, value=block.text).data_type = "s"
            continue
        for row in block.padded():
            r += 1
            for c, text_value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                cell.border = grid
                value = _xlsx_value(text_value)
                if value is not None:
                    cell.value = value
                    if isinstance(value, str):
                        cell.data_type = "s"  # text that looks like a formula stays text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- .pdf ----------------------------------------------------------------------------------

FONT = "WQYZenHeiW"
FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@lru_cache(maxsize=1)
def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not os.path.exists(FONT_FILE):
        raise RuntimeError(f"{FONT_FILE} missing: apt-get install fonts-wqy-zenhei")
    pdfmetrics.registerFont(TTFont(FONT, FONT_FILE, subfontIndex=0))
    body = ParagraphStyle("w-body", fontName=FONT, fontSize=10, leading=13, wordWrap="CJK", spaceBefore=4)
    cell = ParagraphStyle("w-cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
    return body, cell


def to_pdf(text: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body, cell = _styles()
    page = landscape(A4)
    margin = 36
    usable = page[0] - 2 * margin
    story = []
    for block in blocks(text):
        if isinstance(block, Para):
            if block.text.strip():
                story.append(_Lines(block.text.strip(), body))
            else:
                story.append(Spacer(1, body.leading))  # an empty line is a line's height of space
            continue
        rows = block.padded()
        data = [[Paragraph(escape(v), cell) for v in row] for row in rows]
        table = Table(data, colWidths=_column_widths(rows, usable), repeatRows=0)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [Spacer(1, 4), table, Spacer(1, 4)]
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin
    ).build(story)
    return buf.getvalue()


def _break_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Wrap as a word processor does: anywhere between Chinese characters, at a space inside a
    run of Latin letters and digits (never inside a word or number); the space a line was broken
    at stays at the end of the upper line (Word draws it; reportlab's own wrapping drops it)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    tokens = re.findall(r"[\x21-\x7e]+ ?| |.", text)
    lines: list[str] = []
    line = ""
    for token in tokens:
        if line and stringWidth((line + token).rstrip(" "), font, size) > width:
            lines.append(line)
            line = token.lstrip(" ") if not line.endswith(" ") else token
            continue
        line += token
    if line:
        lines.append(line)
    return lines


@lru_cache(maxsize=1)
def _lines_flowable():
    from reportlab.platypus import Flowable

    class Lines(Flowable):
        """A paragraph drawn line by line (see _break_lines), splittable across pages."""

        def __init__(self, text: str, style, lines: list[str] | None = None):
            super().__init__()
            self.text, self.style, self.lines = text, style, lines

        def wrap(self, avail_width, avail_height):
            if self.lines is None:
                self.lines = _break_lines(self.text, self.style.fontName, self.style.fontSize, avail_width)
            self.width = avail_width
            self.height = len(self.lines) * self.style.leading
            return self.width, self.height

        def getSpaceBefore(self):
            return self.style.spaceBefore

        def split(self, avail_width, avail_height):
            self.wrap(avail_width, avail_height)
            fit = int(avail_height // self.style.leading)
            if fit < 1 or fit >= len(self.lines):
                return [] if fit < 1 else [self]
            return [Lines(self.text, self.style, self.lines[:fit]), Lines(self.text, self.style, self.lines[fit:])]

        def draw(self):
            c = self.canv
            c.setFont(self.style.fontName, self.style.fontSize)
            for i, line in enumerate(self.lines):
                c.drawString(0, self.height - (i + 1) * self.style.leading + 0.2 * self.style.fontSize, line)

    return Lines


def _Lines(text: str, style):
    return _lines_flowable()(text, style)


def _column_widths(rows: list[list[str]], usable: float) -> list[float]:
    """Widths growing with the square root of each column's longest text, at least 24 points."""
    longest = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    weights = [max(n, 2) ** 0.5 for n in longest]
    widths = [max(24.0, usable * w / sum(weights)) for w in weights]
    scale = usable / sum(widths)
    return [w * scale for w in widths]


WRITERS = {".docx": to_docx, ".xlsx": to_xlsx, ".pdf": to_pdf}
