"""Family: the Hunan/Yueyang 部门整体支出绩效评价自评报告 (cover 附件2-1 + score table 附件3-1).

The template: a cover (部门(单位)名称 / 预算编码 / 评价方式 / 评价机构 / 报告日期 / "…财政局（制）"),
base tables (人员编制/实有人数; 年度收入情况; 年度支出和结余情况; 三公经费; 固定资产, each with a
"局机关及二级机构汇总" row), the qualitative and quantitative goal tables, 绩效自评综合得分 and
评价等次, the evaluators, a narrative 评价报告综述, and the score table with level-1 投入/过程/产出/效果
whose weights sit in the labels ("投  入（15分）").

Everything is read by label and by table structure, never by line number: the same template
arrives one cell per line (cells start with a tab, continuation lines and blank lines inside a
cell), or one table row per line (tab or pipe separated). A row per line comes from the .docx,
.xlsx and .pdf readers too, each with its own habits, which the tables below undo:
- trailing empty cells: padded to the widest row of the converter's table (.docx, .pdf) or left
  out (.xlsx), so a row's width says nothing and every row is re-placed under its header;
- a cell's paragraphs joined by a space (.docx), by nothing (.pdf), or by a line break (.txt),
  so a cell's text is put in one canonical form (`_canonical`);
- a cell with empty paragraphs inside ends the converter's table: its later paragraphs arrive as
  lines of their own (no TAB) and the rest of the row as a new, short row ("5⇥5"), which the
  tables join back (`_with_continuations`, `_score_body`).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from itertools import combinations
from pathlib import Path

from loaders.layout import split_glued
from loaders.normalize import (
    amount_yuan,
    clean,
    dec,
    dimension_of,
    grade_band,
    grade_of,
    parse_value,
    pct,
    value_meets,
)
from loaders.read import Document, normalize_text
from loaders.records import Evaluation, Indicator, Satisfaction, Finding
from loaders.regions import resolve_unit

NAME = "yueyang_dept_self"
FRAMEWORK = "hunan_yueyang_dept_overall"
# the template's tables (base columns, flattened-table schemas, narrative money, typos) as data
with open(Path(__file__).with_suffix(".toml"), "rb") as _f:
    _TEMPLATE = tomllib.load(_f)

_NUM = r"\d+(?:\.\d+)?"
_WS = re.compile(r"\s+")
_NUMBER_KEY = re.compile(rf"-?{_NUM}")
# Inside one line of text (the narrative is searched as one string, one line per row).
_SP = r"[^\S\n]"


def _key(text: str) -> str:
    """Matching form of a label: NFKC, every space and line break removed."""
    return _WS.sub("", normalize_text(text))


_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _canonical(text: str) -> str:
    """A cell's text as every format gives it: each run of white space removed, except one space
    between two Latin letters. The .pdf reader joins a cell's lines that way, and neither a
    .docx cell ("财政供养人员 控制率") nor a .txt cell ("财政供养人员\\n\\n控制率") can tell a
    paragraph break from a space typed inside a paragraph, so all of them go the same way."""
    words = text.split()
    if len(words) < 2:
        return words[0] if words else ""
    out = words[0]
    for w in words[1:]:
        out += " " + w if out[-1] in _LATIN and w[0] in _LATIN else w
    return out


# ---------------------------------------------------------------------------------------------
# Cells and rows


def _squeeze(text: str) -> str:
    """`text` without any white space (as `_WS.sub("", text)`, faster on short strings)."""
    return "".join(text.split())


class _Cell:
    """One table cell: its text as one or more parts (the source lines or paragraphs it came in),
    with the 1-based line of each part, and its `key` (the matching form: NFKC, no white space).
    `text` and `label` are computed on first use, once the cell is complete: cells are not
    changed after `_rows` has read them (a join makes a new cell)."""

    __slots__ = ("parts", "lines", "line", "key", "plain", "_text", "_label")

    def __init__(self, parts: list[str], lines: list[int], key: str, plain: bool = False):
        self.parts = parts  # original text
        self.lines = lines
        self.line = lines[0]  # where the cell starts
        self.key = key
        self.plain = plain  # a line of running text (no TAB, no '|'), not a table cell
        self._text: str | None = None
        self._label: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = _canonical(" ".join(self.parts))
        return self._text

    @property
    def label(self) -> str:
        """Display form of a short label: original characters, spaces and line breaks removed."""
        if self._label is None:
            self._label = _squeeze("".join(self.parts))
        return self._label

    def extended(self, more: _Cell) -> _Cell:
        """This cell with the parts of `more` after its own (a paragraph a converter split off)."""
        return _Cell(self.parts + more.parts, self.lines + more.lines, self.key + more.key)

    def __repr__(self) -> str:  # for test failure messages
        return f"_Cell({self.text!r}, line={self.line})"


_EMPTY = _Cell([""], [0], "")
_MD_RULE = re.compile(r"\s*:?-{3,}:?\s*")


def _pipe_cells(raw: str) -> list[str] | None:
    """Cells of a '| a | b |' line (empty edge cells kept); [] for a markdown rule row; None when
    the line is no pipe row."""
    s = raw.strip()
    if not (s.startswith("|") and s.count("|") >= 3):
        return None
    inner = s[1 : -1 if s.endswith("|") else None].split("|")
    if all(_MD_RULE.fullmatch(c) for c in inner):
        return []
    return inner


def _rows(doc: Document) -> list[list[_Cell]]:
    """Table rows in reading order, empty cells kept (they carry the column positions).

    A line with a TAB after its first character is a whole row (cells split on TAB; a leading
    TAB is an empty first cell, a merged column); so is a '| a | b |' line. One cell per line: a
    line starting with a tab starts a cell; a line without one continues the open cell (also
    across blank lines); a blank line followed by a new cell hints at a row break. A hint can be
    wrong (a continuation paragraph followed by a blank line), so tables with a known width
    repair their rows with `_fit`. Any other line is a one-cell `plain` row.
    """
    rows: list[list[_Cell]] = []
    current: list[_Cell] | None = None
    open_cell: _Cell | None = None
    pending_break = False
    norm = doc.norm
    cell_of = _Cell
    grown: list[tuple[_Cell, list[str]]] = []  # cells with continuation lines, and their key parts
    open_keys: list[str] | None = None
    for i, raw in enumerate(doc.lines):
        ln = i + 1
        tab = raw.find("\t")
        if tab < 0 and not raw.strip():
            pending_break = True
            continue
        if tab > 0 or (tab == 0 and raw.find("\t", 1) > 0):
            parts, nparts = raw.split("\t"), norm[i].split("\t")
            if len(nparts) != len(parts):
                nparts = [normalize_text(p) for p in parts]
            rows.append([cell_of([p], [ln], "".join(n.split())) for p, n in zip(parts, nparts)])
            current, open_cell, pending_break = None, None, False
            continue
        if "|" in raw:
            piped = _pipe_cells(raw)
            if piped is not None:
                if piped:
                    rows.append([cell_of([p], [ln], _squeeze(normalize_text(p))) for p in piped])
                current, open_cell, pending_break = None, None, False
                continue
        if tab == 0:  # one cell
            cell = cell_of([raw[1:]], [ln], "".join(norm[i].split()))
            if current is None or pending_break:
                current = [cell]
                rows.append(current)
            else:
                current.append(cell)
            open_cell, open_keys = cell, None
        elif open_cell is not None:
            open_cell.parts.append(raw)
            open_cell.lines.append(ln)
            if open_keys is None:
                open_keys = [open_cell.key]
                grown.append((open_cell, open_keys))
            open_keys.append("".join(norm[i].split()))
        else:
            rows.append([cell_of([raw], [ln], "".join(norm[i].split()), plain=True)])
        pending_break = False
    for cell, keys in grown:
        cell.key = "".join(keys)
    return rows


def _is_paragraph(row: list[_Cell]) -> bool:
    """A plain line that can be a paragraph of a cell: not a piece of a '|' row a converter
    wrapped (which is no cell's text, and whose cells cannot be placed)."""
    return len(row) == 1 and row[0].plain and "|" not in row[0].key


def _is_whole(row: list[_Cell]) -> bool:
    """A row that came as one TAB or '|' line (all its cells start on one line)."""
    # In a one-cell-per-line row, and in a row joined from pieces or padded with empty cells,
    # the first and the last cell start on different lines.
    return len(row) > 1 and row[0].line == row[-1].line


def _trim(row: list[_Cell]) -> list[_Cell]:
    """The row without its trailing empty cells."""
    n = len(row)
    while n and not row[n - 1].key:
        n -= 1
    return row[:n]


def _pad(row: list[_Cell], width: int) -> list[_Cell]:
    return row + [_EMPTY] * (width - len(row)) if len(row) < width else row


def _place(row: list[_Cell], width: int, left: bool) -> list[_Cell]:
    """A whole row made `width` wide. Left-anchored (its first cell is in the first column):
    trailing empty cells are a converter's padding (or were left out), so the row is trimmed and
    padded again. Otherwise a converter left out the row-spanning (merged) cells on its left,
    which become empty cells there."""
    if left:
        return _pad(_trim(row), width)
    return [_EMPTY] * (width - len(row)) + row if len(row) < width else row


# A run of lines of running text longer than this is not a cell's paragraphs.
_MAX_CONTINUATION = 6


def _with_continuations(body: list[list[_Cell]], followed: bool = False) -> list[list[_Cell]]:
    """Rows of a table body with its plain lines put back into the cells they belong to.

    In the one-row-per-line layouts a line without a TAB inside a table is a paragraph of the
    cell above that a converter wrote on its own line (a cell with empty paragraphs inside): it
    continues the last filled cell of the row above (unless that cell is a figure), when a table
    row follows it within a few lines (`followed`: the row after the body is one). A run of
    plain lines that no table row follows is running text after the table and is left out;
    whole rows with no text at all carry nothing and are dropped.
    """
    out: list[list[_Cell]] = []
    n = len(body)
    i = 0
    while i < n:
        r = body[i]
        if _is_paragraph(r):
            j = i
            while j < n and _is_paragraph(body[j]):
                j += 1
            if (j == n and not followed) or j - i > _MAX_CONTINUATION or not out:
                i = j
                continue
            prev = out[-1]
            k = len(_trim(prev)) - 1
            if k < 0:
                k = len(prev) - 1
            cell = prev[k]
            if _NUMBER_KEY.fullmatch(cell.key):
                # A figure has no paragraphs: the row above is complete, and these lines are
                # text the layout could not place (left as they are, they are not read).
                out.extend(body[i:j])
                i = j
                continue
            for row in body[i:j]:
                cell = cell.extended(row[0])
            out[-1] = prev[:k] + [cell] + prev[k + 1 :]
            i = j
            continue
        if not (_is_whole(r) and not any(c.key for c in r)):
            out.append(r)
        i += 1
    return out


def _fit(rows: list[list[_Cell]], width: int) -> list[list[_Cell]]:
    """Join consecutive short rows whose cells add up to exactly `width` (a wrong break hint)."""
    out: list[list[_Cell]] = []
    i = 0
    n = len(rows)
    while i < n:
        acc, j = list(rows[i]), i
        # Lines of running text are never pieces of a row (a flattened table is not a table).
        while (
            len(acc) < width
            and j + 1 < n
            and len(acc) + len(rows[j + 1]) <= width
            and not any(c.plain for c in acc)
            and not any(c.plain for c in rows[j + 1])
        ):
            j += 1
            acc += rows[j]
        if len(acc) == width and j > i:
            out.append(acc)
            i = j + 1
        else:
            out.append(rows[i])
            i += 1
    return out


def _find_row(rows: list[list[_Cell]], pred, start: int = 0, stop: int | None = None) -> int | None:
    for idx in range(start, len(rows) if stop is None else min(stop, len(rows))):
        if pred(rows[idx]):
            return idx
    return None


def _first_cells(rows: list[list[_Cell]]) -> dict[str, tuple[int, int]]:
    """Key -> (row, column) of its first cell in reading order."""
    first: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            k = cell.key
            if k and k not in first:
                first[k] = (r, c)
    return first


def _value_after(rows: list[list[_Cell]], index: dict[str, tuple[int, int]], labels: tuple[str, ...]) -> _Cell | None:
    """The cell right after the first cell whose key is one of `labels` (same row, else the first
    cell of the next row)."""
    hits = [index[k] for k in labels if k in index]
    if not hits:
        return None
    r, c = min(hits)
    row = rows[r]
    if c + 1 < len(row):
        return row[c + 1]
    if r + 1 < len(rows) and rows[r + 1]:
        return rows[r + 1][0]
    return None


# ---------------------------------------------------------------------------------------------
# Detection

_L1_LABEL = re.compile(r"(投\s*入|过\s*程|产\s*出|效\s*果)\s*\(\s*\d+(?:\.\d+)?\s*分\s*\)")
_ISSUER = re.compile(r"财政局?\(制\)")


def detect(doc: Document) -> float:
    head = _WS.sub("", "".join(doc.norm[:40]))
    text = doc.text
    squeezed: list[str] = []

    def has(label: str) -> bool:
        """The label in the text, white space inside it allowed ("绩效自评 综合得分")."""
        if label in text:
            return True
        if not squeezed:
            squeezed.append(_WS.sub("", text))
        return label in squeezed[0]

    score = 0.0
    if "部门整体支出" in head and "自评报告" in head:
        score += 0.3
    if has("绩效自评综合得分"):
        score += 0.2
    if has("评价等次"):
        score += 0.05
    if _ISSUER.search(head):
        score += 0.15
    if has("自评得分") and len({_WS.sub("", m) for m in _L1_LABEL.findall(text)}) >= 3:
        score += 0.25
    if "部门(单位)名称" in head or has("局机关及二级机构汇总"):
        score += 0.05
    return min(score, 1.0)


# ---------------------------------------------------------------------------------------------
# Cover

_COVER_LIMIT = 60


def _cover_field(doc: Document, label: re.Pattern) -> tuple[str | None, int | None]:
    """Text after a cover label ("评价机构：…"), from the original line; None when blank."""
    lines = doc.lines
    for i, raw in enumerate(lines[:_COVER_LIMIT], start=1):
        m = label.search(raw.replace("\t", " "))
        if m:
            value = m.group(1).strip(" \u3000\t")
            if value:
                return value, i
            # The value may sit on the next non-empty line (a two-cell layout).
            for j in range(i, min(i + 3, len(lines))):
                nxt = lines[j].strip(" \u3000\t")
                if nxt:
                    return nxt, j + 1
            return None, i
    return None, None


def _cover_label(label_re: str) -> re.Pattern:
    return re.compile(rf"{label_re}\s*[:：]?\s*(.*)$")


_UNIT_LABEL = _cover_label(r"部门\s*[（(]\s*单位\s*[)）]\s*名\s*称")
_EVALUATOR_LABEL = _cover_label(r"评\s*价\s*机\s*构")
_DATE_LABEL = _cover_label(r"报\s*告\s*日\s*期")
_TITLE = re.compile(r"(\S*?)\s*(20\d{2})\s*年度?\s*部门整体支出")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


def _fiscal_year(doc: Document) -> tuple[int | None, str | None, int | None]:
    """(year, region named in the title, line) from "岳阳市云溪区2020年度部门整体支出"."""
    for i, line in enumerate(doc.norm[:40], start=1):
        if "部门整体支出" in line:
            m = _TITLE.search(line)
            if m:
                return int(m.group(2)), m.group(1) or None, i
    return None, None, None


def _report_date(text: str | None) -> str | None:
    if not text:
        return None
    m = _DATE.search(normalize_text(text))
    if not m:
        return None
    y, mo, d = m.group(1), int(m.group(2)), m.group(3)
    return f"{y}-{mo:02d}-{int(d):02d}" if d else f"{y}-{mo:02d}"


# ---------------------------------------------------------------------------------------------
# Base tables (收支情况)

_GROUP_LABEL = re.compile(r"其中[:：]?")
_SECTION = re.compile(r"[一二三四五六七八九十]+、")
_TITLE_UNIT = re.compile(r"\((万元|元)\)")

# Column label (key) -> metric (yueyang_dept_self.toml [[base_columns]]).
_BASE_COLUMNS: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(c["pattern"]), c["metric"]) for c in _TEMPLATE["base_columns"]
)


@dataclass
class _BaseTable:
    title: str | None
    unit: str | None  # 万元 or 元, from the nearest table title
    columns: dict[str, tuple[Decimal | None, _Cell]] = field(default_factory=dict)  # label key -> value
    row_label: _Cell | None = None


def _column_labels(header: list[list[_Cell]], width: int) -> list[str] | None:
    """Leaf label of each column of a header with merged cells.

    Word's text keeps a vertically merged cell once and leaves empty cells below it; a horizontally
    merged cell (a group such as "其中：") appears once. Going bottom-up, a non-empty upper cell
    spans the consecutive filled columns under it (leaving one column for each upper cell still to
    come); an upper cell over an empty column spans one column. A column's label is the lowest
    non-group label above it.
    """
    if not header or len(header[-1]) != width:
        return None
    grids: list[list[_Cell]] = [[] for _ in header]
    grids[-1] = list(header[-1])
    for r in range(len(header) - 2, -1, -1):
        lower, upper, grid, c = grids[r + 1], header[r], [], 0
        for k, cell in enumerate(upper):
            if c >= width:
                break
            remaining = len(upper) - k - 1
            span = 1
            if cell.key and lower[c].key:
                while c + span < width - remaining and lower[c + span].key:
                    span += 1
            grid.extend([cell] * span)
            c += span
        grids[r] = (grid + [_EMPTY] * width)[:width]
    labels = []
    for c in range(width):
        label = ""
        for r in range(len(grids) - 1, -1, -1):
            k = grids[r][c].key
            if k and not _GROUP_LABEL.fullmatch(k):
                label = k
                break
        labels.append(label)
    return labels


def _spanned_width(upper: list[_Cell], lower: list[_Cell]) -> int:
    """Columns an upper header row covers over the row below it, a filled upper cell spanning the
    run of filled cells under it (the header's own width when rows come without their trailing
    empty cells)."""
    c = 0
    for cell in upper:
        span = 1
        if cell.key and c < len(lower) and lower[c].key:
            while c + span < len(lower) and lower[c + span].key:
                span += 1
        c += span
    return c


def _header_grid(header: list[list[_Cell]], data: list[_Cell]) -> tuple[list[list[_Cell]], list[_Cell]] | None:
    """Header rows and the data row made one width, or None when a column cannot be placed.

    Upper header rows lose their trailing empty cells (a converter's padding). The lowest header
    row may have lost its merged cells on the left (pipe rows): it is then right-aligned under the
    data row. Otherwise the width is what the header spans and the data row fills.
    """
    if any(_is_whole(r) and r[0].key for r in header[1:-1]):
        # A middle header row that lost its merged cells on the left: how many is unknown, and
        # a guess would put a figure under the wrong column. The table is not read.
        return None
    upper = [_trim(r) for r in header[:-1]]
    lowest = header[-1]
    if upper and _is_whole(lowest) and lowest[0].key:
        width = len(data)
        return upper + [_place(lowest, width, left=False)], data
    lowest, data_t = _trim(lowest), _trim(data)
    width = max(len(lowest), len(data_t), _spanned_width(upper[-1], lowest) if upper else 0)
    # Upper rows stay as long as their cells: `_column_labels` leaves a column for each upper
    # cell still to come, which padding would add.
    return upper + [_pad(lowest, width)], _pad(data_t, width)


def _table_title(rows: list[list[_Cell]], h: int) -> tuple[str | None, str | None]:
    """(title, unit) of the table whose header is row h: the nearest cell above with a "(万元)";
    the section's later tables have none and share it. The section heading ("二、…") stops the
    search. One-cell rows a layout wrote without a blank line between them arrive as one row
    ("二、部门（单位）收支情况", "年度收入情况（万元）"): its cells are looked at last to first."""
    for b in range(h - 1, -1, -1):
        for cell in reversed(rows[b]):
            m = _TITLE_UNIT.search(cell.key)
            if m:
                return cell.text, m.group(1)
            if _SECTION.match(cell.key):
                return None, None
    return None, None


def _base_tables(rows: list[list[_Cell]]) -> list[_BaseTable]:
    """Every "机构名称 …" table with its 汇总 row, read by column header."""
    tables: list[_BaseTable] = []
    heads = [i for i, r in enumerate(rows) if r and r[0].key == "机构名称"]
    for n, h in enumerate(heads):
        nxt = heads[n + 1] if n + 1 < len(heads) else None
        d = _find_row(rows, lambda r: bool(r) and "汇总" in r[0].key, h + 1, nxt)
        if d is None:
            continue
        title, unit = _table_title(rows, h)
        header = _with_continuations(rows[h:d], followed=True)
        grid = _header_grid(header, rows[d]) if header else None
        labels = _column_labels(grid[0], len(grid[1])) if grid is not None else None
        if grid is not None and labels is not None:
            data = grid[1]
        else:
            # The header lost cells no one can place (a '|' layout leaves out merged cells on
            # the left of a middle header row), but the data row kept all its cells: when the
            # header's labels are one base table's and the row is exactly that table's width,
            # its cells are the template's columns in order, if they obey the table's sums.
            found = _schema_of(header, rows[d])
            if found is None:
                continue
            labels, data = found
        table = _BaseTable(title=title, unit=unit, row_label=data[0])
        for label, cell in zip(labels[1:], data[1:]):
            if label:
                table.columns[label] = (dec(cell.key) if cell.key else None, cell)
        tables.append(table)
    return tables


def _schema_of(header: list[list[_Cell]], data: list[_Cell]) -> tuple[list[str], list[_Cell]] | None:
    """([row label column] + the schema's leaves, the data row) when the header's labels are
    exactly one base table's leaves and the data row has one cell per leaf after its label and
    figures that obey the table's sums."""
    keys = [c.key for r in header for c in r if c.key and c.key != "机构名称" and not _FLAT_GROUPS.fullmatch(c.key)]
    data = _trim(data) if len(_trim(data)) > 1 else data
    for leaves, sums in _FLAT_BASE_SCHEMAS:
        if sorted(keys) != sorted(leaves):
            continue
        cells = _pad(data, 1 + len(leaves))
        if len(cells) != 1 + len(leaves) or any(c.key and not _FLAT_FIGURE.fullmatch(c.key) for c in cells[1:]):
            return None
        figures = [c.key or None for c in cells[1:]]
        if not _obeys(figures, sums):
            return None
        return ["", *leaves], cells
    return None


def _obeys(row: list[str | None], sums: tuple) -> bool:
    """The table's sums on a row of figures (None: an empty cell): a total is filled when one of
    its parts is, and equals the sum of the parts."""
    if row[0] is None:
        return False
    for total, parts in sums:
        filled = [Decimal(row[p]) for p in parts if row[p] is not None]
        if row[total] is None:
            if filled:
                return False
        elif Decimal(row[total]) != sum(filled, Decimal(0)):
            return False
    return True


# The base tables' leaf columns, left to right, and the sums they obey ((total, parts) by
# position), for flattened tables (yueyang_dept_self.toml [[flat_base_schemas]]).
_FLAT_BASE_SCHEMAS: tuple[tuple[tuple[str, ...], tuple[tuple[int, tuple[int, ...]], ...]], ...] = tuple(
    (tuple(x["leaves"]), tuple((total, tuple(parts)) for total, parts in x["sums"])) for x in _TEMPLATE["flat_base_schemas"]
)
_FLAT_GROUPS = re.compile(r"其中[:：]?|结余")
_FLAT_FIGURE = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
_TEMPLATE_ROW_LABEL = re.compile(r"汇总|局机关|二级机构|^\d+、")


def _flat_tokens(cell: _Cell) -> list[str]:
    return normalize_text(" ".join(cell.parts)).split()


def _flat_header(rows: list[list[_Cell]], h: int) -> tuple[tuple[str, ...], tuple, int] | None:
    """(leaves, sums, rows the header takes) of a flattened "机构名称 …" header starting at row h,
    when its labels are exactly one schema's leaves (and group labels such as "其中：")."""
    labels = {x for leaves, _ in _FLAT_BASE_SCHEMAS for x in leaves}
    tokens: list[str] = []
    n = 0
    while h + n < len(rows) and _is_paragraph(rows[h + n]):
        toks = _flat_tokens(rows[h + n][0])
        if n == 0:
            toks = toks[1:]  # "机构名称"
        elif not toks or not all(t in labels or _FLAT_GROUPS.fullmatch(t) for t in toks):
            break
        tokens += toks
        n += 1
    leaves_found = [t for t in tokens if t in labels]
    for leaves, sums in _FLAT_BASE_SCHEMAS:
        if sorted(leaves_found) == sorted(leaves):
            return leaves, sums, n
    return None


def _decimals(figures: list[str]) -> set[int]:
    """The numbers of decimal places the non-integer figures are written with."""
    return {len(f.split(".")[1]) for f in figures if "." in f}


def _flat_figures(tokens: list[str], width: int) -> list[list[str]]:
    """The figures of a flattened data row, each run of digits also read as several figures
    glued together ("274.98274.98" -> 274.98 | 274.98); every reading with at most `width`."""
    out: list[list[str]] = [[]]
    for t in tokens:
        alts = [[t]] if _FLAT_FIGURE.fullmatch(t) else []
        if re.fullmatch(r"[\d.]+", t) and len(t) >= 2:
            for k in range(2, width + 1):
                alts += [cut for cut in split_glued(t, k) if len(_decimals(cut)) <= 1]
        out = [acc + a for acc in out for a in alts if len(acc) + len(a) <= width]
        if len(out) > 5000:
            return []
    return out


def _flat_assignments(figures: list[str], leaves: tuple[str, ...], sums: tuple) -> list[list[str | None]]:
    """Every placement of the figures, in order, into the leaf columns that obeys the table: the
    total column is filled, a subtotal is filled when one of its parts is and equals the sum of
    its parts, and the row's decimals are written alike (no "60.770" beside "274.98")."""
    if len(_decimals(figures)) > 1:
        return []
    out = []
    for cols in combinations(range(len(leaves)), len(figures)):
        row: list[str | None] = [None] * len(leaves)
        for f, c in zip(figures, cols):
            row[c] = f
        if _obeys(row, sums):
            out.append(row)
    return out


def _flat_base_tables(rows: list[list[_Cell]]) -> list[_BaseTable]:
    """The base tables of a flattened layout: a "机构名称 …" line (and the header lines under it),
    with its "…汇总" data row after the header or, when the header comes after the data, before
    it. Figures go where every placement allowed by the column order and the sums agrees; the
    rest stay absent."""
    tables: list[_BaseTable] = []
    headers_first: bool | None = None  # one converter wrote them all: the first table decides
    for h, r in enumerate(rows):
        if not (_is_paragraph(r) and r[0].key.startswith("机构名称")):
            continue
        found = _flat_header(rows, h)
        if found is None:
            continue
        leaves, sums, n = found
        data = None
        after = h + n
        follows = after < len(rows) and _is_paragraph(rows[after]) and "汇总" in (_flat_tokens(rows[after][0]) or [""])[0]
        if headers_first is None:
            headers_first = follows
        if headers_first:
            if follows:
                data = after
        else:
            for b in range(h - 1, -1, -1):
                if not _is_paragraph(rows[b]):
                    break
                first = (_flat_tokens(rows[b][0]) or [""])[0]
                if "汇总" in first:
                    data = b
                    break
                if not _TEMPLATE_ROW_LABEL.search(first):
                    break
        if data is None:
            continue
        cell = rows[data][0]
        tokens = _flat_tokens(cell)
        readings = [a for f in _flat_figures(tokens[1:], len(leaves)) for a in _flat_assignments(f, leaves, sums)]
        if not readings:
            continue
        title, unit = _table_title(rows, h)
        line = cell.line
        table = _BaseTable(title=title, unit=unit, row_label=_Cell([tokens[0]], [line], _squeeze(tokens[0])))
        for c, label in enumerate(leaves):
            values = {x[c] for x in readings}
            text = values.pop() if len(values) == 1 else None
            table.columns[label] = (dec(text) if text else None, _Cell([text or ""], [line], text or ""))
        tables.append(table)
    return tables


def _metric_of_column(label: str) -> str | None:
    for pattern, metric in _BASE_COLUMNS:
        if pattern.fullmatch(label):
            return metric
    return None


# ---------------------------------------------------------------------------------------------
# Score table (附件3-1 评分表)

_LABEL_WEIGHT = re.compile(rf"(?P<name>.*?)\((?P<w>{_NUM})分\)")
_WEIGHT_SUFFIX = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_TOTAL_ROW = re.compile(r"(总分|合计)")
# Level-1 labels of the template: a row starting with one starts in the first column.
_LEVEL1_KEY = re.compile(r"(投入|过程|产出|效果|决策|管理|效益)(指标)?(\(\d+(?:\.\d+)?分\))?")


def _split_label(cell: _Cell) -> tuple[str, Decimal | None]:
    """("投入", 15) from "投  入\\n（15分）"."""
    m = _LABEL_WEIGHT.fullmatch(cell.key)
    if m:
        return _WEIGHT_SUFFIX.sub("", cell.label), dec(m.group("w"))
    return cell.label, None


@dataclass
class _ScoreTable:
    indicators: list[Indicator]
    rule_cells: dict[int, _Cell] = field(default_factory=dict)  # id(level-3 indicator) -> its rule cell
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    total_line: int | None = None


def _is_score_header(r: list[_Cell]) -> bool:
    keys = {c.key for c in r}
    return "一级指标" in keys and "三级指标" in keys and "分值" in keys


def _score_body(rows: list[list[_Cell]], width: int, c_w: int | None) -> list[list[_Cell]]:
    """The score table's rows, each `width` wide.

    Whole rows are placed under the header (`_place`): left-anchored when they start with an
    empty (merged) cell, a level-1 label or the total, else right-aligned. A whole row that
    starts with a number while the row above stops before the 分值 column is the rest of that
    row (a converter split it where a cell had empty paragraphs): its cells go on from 分值.
    """
    out: list[list[_Cell]] = []
    for r in _with_continuations(rows):
        if not _is_whole(r):
            out.append(r)
            continue
        first = r[0].key
        if out and c_w is not None and _NUMBER_KEY.fullmatch(first):
            prev, cur = _trim(out[-1]), _trim(r)
            if len(prev) <= c_w and c_w + len(cur) <= width:
                out[-1] = _pad(_pad(prev, c_w) + cur, width)
                continue
        left = not first or _LEVEL1_KEY.fullmatch(first) is not None or _TOTAL_ROW.match(first) is not None
        out.append(_place(r, width, left))
    return _fit(out, width)


def _score_table(rows: list[list[_Cell]], index: dict[str, tuple[int, int]]) -> _ScoreTable | None:
    first = index.get("一级指标")
    h = None if first is None else _find_row(rows, _is_score_header, first[0])
    if h is None:
        return None
    # A title or paragraph just before the table can share the header's hint-row: the table
    # starts at its 一级指标 cell.
    keys = [c.key for c in _trim(rows[h])]
    keys = keys[keys.index("一级指标") :]
    width = len(keys)

    def col(*names: str) -> int | None:
        for i, k in enumerate(keys):
            if any(k.startswith(n) for n in names):
                return i
        return None

    c1, c2, c3 = col("一级指标"), col("二级指标"), col("三级指标")
    c_rule, c_w, c_s, c_note = col("评分标准"), col("分值"), col("自评得分", "得分"), col("扣分原因")
    end = _find_row(rows, lambda r: bool(r) and _TOTAL_ROW.match(r[0].key) is not None, h + 1)
    if end is None:
        return None
    body = _score_body(rows[h + 1 : end + 1], width, c_w)

    def cell(r: list[_Cell], c: int | None) -> _Cell:
        return r[c] if c is not None and c < len(r) else _EMPTY

    table = _ScoreTable(indicators=[])
    l1 = l2 = None
    # Rows of the table's width get one more (empty) cell, where the columns the header lacks point.
    k1, k2, k3, k_rule, k_w, k_s, k_note = (width if c is None else c for c in (c1, c2, c3, c_rule, c_w, c_s, c_note))
    for r in body:
        if _TOTAL_ROW.match(r[0].key):
            table.total_weight = dec(cell(r, c_w).key)
            table.total_score = dec(cell(r, c_s).key)
            table.total_line = r[0].line
            break
        if len(r) != width or (r[0].key == "一级指标" and _is_score_header(r)):
            continue  # not a row of the table, or the header repeated after a page break
        r = r + [_EMPTY]
        a, b = r[k1], r[k2]
        if a.key:
            name, w = _split_label(a)
            # A page break repeats the running level-1/level-2 labels: the same label is not a new row.
            if l1 is None or l1.level1 != name:
                l1 = Indicator(
                    level1=name, level2=None, level3=None, dimension=dimension_of(name), weight=w, line=a.line, level=1
                )
                table.indicators.append(l1)
                l2 = None
        if b.key and l1 is not None:
            name, w = _split_label(b)
            if l2 is None or l2.level2 != name:
                l2 = Indicator(
                    level1=l1.level1, level2=name, level3=None, dimension=dimension_of(l1.level1, name),
                    weight=w, line=b.line, level=2,
                )
                table.indicators.append(l2)
        name_cell = r[k3]
        if not name_cell.key or l1 is None:
            continue
        rule_cell, note_cell = r[k_rule], r[k_note]
        level2 = l2.level2 if l2 else None
        ind = Indicator(
            level1=l1.level1,
            level2=level2,
            level3=name_cell.label,
            dimension=dimension_of(l1.level1, level2, name_cell.label),
            # An empty 分值 cell stays None: under 履职效益 the 15 points of 经济效益 are one merged
            # cell for 经济/社会/生态效益 together, so 社会效益 and 生态效益 have no weight of their own
            # (inventing 5 each would state a number the report does not).
            weight=dec(r[k_w].key),
            score=dec(r[k_s].key),
            note=note_cell.text or None,
            rule=rule_cell.text or None,
            line=name_cell.line,
            level=3,
        )
        table.indicators.append(ind)
        table.rule_cells[id(ind)] = rule_cell
    return table


# Rules of the template, parsed from the rule text so that a changed rule changes the check.

_RULE_OVER = re.compile(rf"每超过一个百分点扣({_NUM})分")
_RULE_CEILING = re.compile(rf"(?:≦|≤|<=|以)({_NUM})%")
_RULE_UNDER = re.compile(rf"每(?:低于({_NUM})%)?(?:减少)?一个百分点[,，]?扣({_NUM})分")
_RULE_FLOOR = re.compile(rf"(?:等于|达|≥|>=)({_NUM})%")
_CLAUSE_SPLIT = re.compile(r"[;；。]")
_BAND_POINTS = re.compile(rf"(?:计|得)({_NUM})分")
_BAND_RANGE = re.compile(rf"({_NUM})%?(\(含\))?[-~至]({_NUM})%(\(含\))?")
_BAND_FROM = re.compile(rf"(?:≥|>=)({_NUM})%|({_NUM})%(?:\(含\))?以上")
_BAND_BELOW = re.compile(rf"(?:低于|小于|<)({_NUM})%")
_BAND_ABOVE = re.compile(rf"(?:大于|高于|>)({_NUM})%")


def _linear_rule(rule_key: str) -> tuple[str, Decimal, Decimal] | None:
    """("over"|"under", threshold pct, points per pp) from "≦100%…每超过一个百分点扣0.5分"."""
    m = _RULE_OVER.search(rule_key)
    if m:
        t = _RULE_CEILING.search(rule_key)
        return ("over", dec(t.group(1)), dec(m.group(1))) if t else None
    m = _RULE_UNDER.search(rule_key)
    if m:
        thr = m.group(1)
        if thr is None:
            t = _RULE_FLOOR.search(rule_key)
            thr = t.group(1) if t else None
        return ("under", dec(thr), dec(m.group(2))) if thr else None
    return None


def _linear_points(rule_key: str, weight: Decimal, rate: Decimal) -> Decimal | None:
    rule = _linear_rule(rule_key)
    if rule is None:
        return None
    direction, threshold, step = rule
    gap = rate - threshold if direction == "over" else threshold - rate
    if gap <= 0:
        return weight
    return max(Decimal(0), weight - step * gap)


def _bands(rule_key: str) -> list[tuple[Decimal | None, bool, Decimal | None, bool, Decimal]]:
    """Score bands (low, low_incl, high, high_incl, points) from a band rule.

    "(含)" marks the inclusive end; without it the low end is inclusive and the high end is not
    (DOMAIN.md section 4).
    """
    out = []
    for clause in _CLAUSE_SPLIT.split(rule_key):
        pts = _BAND_POINTS.search(clause)
        points = dec(pts.group(1)) if pts else (Decimal(0) if "不得分" in clause else None)
        if points is None:
            continue
        m = _BAND_RANGE.search(clause)
        if m:
            lo_incl, hi_incl = bool(m.group(2)), bool(m.group(4))
            if not lo_incl and not hi_incl:
                lo_incl = True
            out.append((dec(m.group(1)), lo_incl, dec(m.group(3)), hi_incl, points))
            continue
        m = _BAND_FROM.search(clause)
        if m:
            out.append((dec(m.group(1) or m.group(2)), True, None, False, points))
            continue
        m = _BAND_BELOW.search(clause)
        if m:
            out.append((None, False, dec(m.group(1)), False, points))
            continue
        m = _BAND_ABOVE.search(clause)
        if m:
            out.append((dec(m.group(1)), False, None, False, points))
    return out


def _band_points(rule_key: str, value: Decimal) -> Decimal | None:
    for lo, lo_incl, hi, hi_incl, points in _bands(rule_key):
        if lo is not None and (value < lo or (value == lo and not lo_incl)):
            continue
        if hi is not None and (value > hi or (value == hi and not hi_incl)):
            continue
        return points
    return None



# ---------------------------------------------------------------------------------------------
# Quantitative goal table (整体支出绩效定量目标及实施计划完成情况)

_PLACEHOLDER = re.compile(r"(指标\d*[:：]?|…+|\.{3,})*")
_GOAL_PREFIX = re.compile(r"^\s*指标\s*\d+\s*[:：]\s*")
_GOAL_END = re.compile(r"绩效自评综合得分|评价等次|总分")
_LABEL_NOTE = re.compile(r"[（(].*$")
_CLAUSE = re.compile(r"[，,；;。]")
_DIGIT = re.compile(r"\d")
_QUANTITY = re.compile(
    rf"(?:≥|≤|>=|<=|不低于|不少于|不超过)?{_NUM}\s*(?:[-－~～至]\s*{_NUM}\s*)?(?:万元|%|家|场次|场|个|人次|人|次|份|项|户|期|起|条)(?:以上|以下|以内)?"
)


@dataclass
class _Goal:
    level1: str
    level2: str
    text: str  # goal text, without the "指标N：" numbering
    actual: str | None
    line: int
    actual_line: int | None


@dataclass
class _GoalTable:
    goals: list[_Goal] = field(default_factory=list)
    empty_groups: list[tuple[str, int]] = field(default_factory=list)  # (level-2 label, line)


def _first_line_label(cell: _Cell) -> str:
    first = next((p.strip() for p in cell.parts if p.strip()), "")
    label = _LABEL_NOTE.sub("", _WS.sub("", first))
    # A label Word repeated inside its cell ("质量指标\n质量指标") arrives as one line in a tab
    # row ("质量指标 质量指标"): the same label twice is the label once.
    half = len(label) // 2
    if len(label) % 2 == 0 and half >= 2 and label[:half] == label[half:]:
        return label[:half]
    return label


def _is_goal_header(r: list[_Cell]) -> bool:
    keys = {c.key for c in r}
    return "评价内容" in keys and "绩效目标" in keys and "完成情况" in keys


def _goal_table(rows: list[list[_Cell]], index: dict[str, tuple[int, int]]) -> _GoalTable | None:
    first = index.get("评价内容")
    h = None if first is None else _find_row(rows, _is_goal_header, first[0])
    if h is None:
        return None
    # The body ends where a row's first (merged title) column is filled again, or, in a layout
    # that leaves merged cells out, at the 绩效自评综合得分 / 评价等次 row.
    def ends(r: list[_Cell]) -> bool:
        if _GOAL_END.match(r[0].key):
            return True
        return bool(r[0].key) and not _is_whole(r) and not _is_paragraph(r)

    end = _find_row(rows, ends, h + 1)
    body = _with_continuations(rows[h + 1 : end], followed=end is not None)
    if not body:
        return None
    if any(_is_whole(r) for r in body):
        # Whole rows that start with the empty title column keep their place (their trailing
        # cells may be padding or left out); rows without it lost their merged cells on the left.
        span = max(max(len(_trim(r)) if _is_whole(r) and not r[0].key else len(r) for r in body), 4)
        body = [_place(r, span, not r[0].key) if _is_whole(r) else r for r in body]
    width = Counter(len(r) for r in body).most_common(1)[0][0]
    if width < 4:
        return None
    body = _fit(body, width)
    c_l1, c_l2, c_goal, c_act = width - 4, width - 3, width - 2, width - 1
    table = _GoalTable()
    l1 = l2 = None
    group_cells: dict[str, list[_Cell]] = {}
    group_line: dict[str, int] = {}
    order: list[str] = []
    for r in body:
        if len(r) != width:
            continue
        if r[c_l1].key:
            l1 = _first_line_label(r[c_l1])
        if r[c_l2].key:
            l2 = _first_line_label(r[c_l2])
            if l2 not in group_cells:
                group_cells[l2], group_line[l2] = [], r[c_l2].line
                order.append(l2)
        if l1 is None or l2 is None:
            continue
        goal, act = r[c_goal], r[c_act]
        group_cells[l2].append(goal)
        if _PLACEHOLDER.fullmatch(goal.key):
            continue  # a template row ("指标1：", "……") that was never filled in
        table.goals.append(
            _Goal(
                level1=l1,
                level2=l2,
                text=_GOAL_PREFIX.sub("", goal.text),
                actual=act.text or None,
                line=goal.line,
                actual_line=act.line if act.key else None,
            )
        )
    for name in order:
        if all(_PLACEHOLDER.fullmatch(c.key) for c in group_cells[name]):
            table.empty_groups.append((name, group_line[name]))
    return table


def _goal_indicator(g: _Goal) -> Indicator:
    name = _CLAUSE.split(g.text, maxsplit=1)[0].strip()
    # A target is parsed only when the goal states exactly one quantity ("92%以上", "1－2场");
    # a goal with two ("2-3家 … 1-2家") or none is prose, and its first number alone would mislead.
    quantities = _QUANTITY.findall(normalize_text(g.text)) if _DIGIT.search(g.text) else []
    target = parse_value(quantities[0]) if len(quantities) == 1 else None
    actual = parse_value(g.actual) if g.actual else None
    if not quantities and actual is not None and actual.qual_code == "DONE":
        met = True  # a prose goal the report declares done ("已完成"); nothing more to compare
    else:
        met = value_meets(target, actual)
    return Indicator(
        level1=g.level1,
        level2=g.level2,
        level3=name,
        dimension=dimension_of(g.level1, g.level2, name),
        target_raw=g.text,
        actual_raw=g.actual,
        target=target,
        actual=actual,
        met=met,
        line=g.line,
        level=3,
        table="goals",
    )


# ---------------------------------------------------------------------------------------------
# Narrative (评价报告综述)

_NARRATIVE_MONEY: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(rf"{x['pattern']}{_SP}*({_NUM}){_SP}*万元"), x["metric"]) for x in _TEMPLATE["narrative_money"]
)
_DIGITS = re.compile(r"\d+")
_IN_POST = re.compile(rf"(?:现有)?在职(?:人数|人员){_SP}*(\d+){_SP}*人")
_IN_POST_PARTS = re.compile(r"在职(?:人数|人员)\s*\d+\s*人[,，]?\s*(其中[^。]*)")
_NO_PROJECTS = re.compile(r"无项目支出")
_BASIC_SPENDING = re.compile(rf"基本支出{_SP}*({_NUM}){_SP}*万元")
_PARTIAL = re.compile(r"截[至止]\s*\d+\s*月[底末]?|预计|上半年|前三季度|1\s*-\s*\d+\s*月|[一二三]季度末?")
_PARTIAL_ANCHORS = ("截", "预计", "上半年", "季度", "-")
_SENTENCE = re.compile(r"[^。；;！？!?]+")
_RATE_OF_PARTS = re.compile(rf"(\d+)个[^,;。]*,其中(\d+)个[^;。]*?([\u4e00-\u9fff]{{1,6}}率)(?:达到|达|为)?({_NUM})%")
_TYPOS: tuple[tuple[str, str, bool], ...] = tuple(tuple(x) for x in _TEMPLATE["typos"])  # (as written, meant, certain)
_ISSUER_PREFIX = re.compile(r"(\S+?)财政局?\s*\(制\)")
_HEADING = re.compile(r"[一二三四五六七八九十]+、")
_HEADING_PREFIX = re.compile(r"^[一二三四五六七八九十]+、\s*")
_PROBLEM = re.compile(r"问题|不足")
_ADVICE = re.compile(r"建议|改进|整改|下一步")
_FINDING_WORDS = ("问题", "不足", "建议", "改进", "整改", "下一步")
_TEMPLATE_ROW = re.compile(r"局机关|二级机构\d*")
_SUB_UNIT_ROW = re.compile(r"二级机构\d+")
_NESTED_COLUMN = re.compile(r"基本支出|结余")


class _Text:
    """Lines `start`… of the NFKC text as one string, so that a pattern is searched once rather
    than line by line; patterns stay inside a line (`_SP`, never a bare \\s)."""

    def __init__(self, norm: list[str], start: int = 0, text: str | None = None):
        self.start = start
        self.text = text if text is not None else "\n".join(norm[start:])

    def line_of(self, offset: int) -> int:
        """1-based line of the document at a character offset into `text` (few lookups are made,
        so counting line breaks beats building an index)."""
        return self.start + self.text.count("\n", 0, offset) + 1

    def lines_with(self, needle: str) -> list[int]:
        """1-based lines holding `needle`, each once, in order."""
        out: list[int] = []
        text, at = self.text, self.text.find(needle)
        line, counted = self.start + 1, 0  # line of offset `counted`
        while at >= 0:
            line += text.count("\n", counted, at)
            counted = at
            if not out or out[-1] != line:
                out.append(line)
            at = text.find(needle, at + 1)
        return out

    def search(self, pattern: re.Pattern) -> tuple[re.Match, int] | None:
        m = pattern.search(self.text)
        return (m, self.line_of(m.start())) if m else None


def _narrative_start(doc: Document) -> int:
    """0-based index of the 评价报告综述 heading, or 0 when the report has none."""
    for i, line in enumerate(doc.norm):
        if "评价报告综述" in line:
            return i
    return 0


def _findings(doc: Document, narrative: _Text) -> list[Finding]:
    """Problems and recommendations under their headings; none when the report has no such section."""
    out: list[Finding] = []
    norm = doc.norm
    if not any(_HEADING.match(norm[n - 1].strip()) for w in _FINDING_WORDS for n in narrative.lines_with(w)):
        return out  # no heading opens a problem or recommendation section
    kind = category = None
    for i in range(narrative.start, len(doc.norm)):
        text = doc.norm[i].strip()
        if not text:
            continue
        if text.startswith("附件") or "\t" in doc.lines[i]:
            kind = None  # an appendix or a table ends the narrative section
            continue
        if _HEADING.match(text):
            category = _HEADING_PREFIX.sub("", text)
            if _PROBLEM.search(text):
                kind = "problem"
            elif _ADVICE.search(text):
                kind = "recommendation"
            else:
                kind = None
            continue
        if kind:
            out.append(Finding(kind=kind, category=category, text=doc.lines[i].strip(), line=i + 1))
    return out


# ---------------------------------------------------------------------------------------------
# Extraction


def extract(doc: Document) -> list[Evaluation]:
    rows = _rows(doc)
    index = _first_cells(rows)
    full = _Text(doc.norm, 0, doc.text)
    narrative = _Text(doc.norm, _narrative_start(doc))

    name_raw, name_line = _cover_field(doc, _UNIT_LABEL)
    fiscal_year, title_region, _ = _fiscal_year(doc)
    evaluator, _ = _cover_field(doc, _EVALUATOR_LABEL)
    date_raw, _ = _cover_field(doc, _DATE_LABEL)

    unit = resolve_unit(name_raw or "", hint_text=full.text, fiscal_year=fiscal_year, line=name_line)
    ev = Evaluation(
        unit=unit,
        fiscal_year=fiscal_year,
        report_kind="department_overall",
        # evaluation_mode: the general reading's (its 评价方式 cell), merged by loaders.parse
        evaluator=evaluator,
        report_date=_report_date(date_raw),
        framework=FRAMEWORK,
    )
    if not unit.admin_code:
        ev.flag("region_unresolved", f"无法确定“{name_raw}”所在的行政区划", name_line)

    total_cell = _value_after(rows, index, ("绩效自评综合得分", "综合得分", "总分"))
    if total_cell is not None and total_cell.key:
        ev.total_score = dec(total_cell.key)
    grade_cell = _value_after(rows, index, ("评价等次", "评价等级", "绩效评级"))
    if grade_cell is not None and grade_cell.key:
        ev.grade_raw = grade_cell.text
        ev.grade = grade_of(grade_cell.text)

    for labels, metric in ((("人员编制", "编制数"), "headcount_authorised"), (("实有人数",), "headcount_actual")):
        c = _value_after(rows, index, labels)
        if c is not None and _DIGITS.fullmatch(c.key):
            ev.set_metric(metric, Decimal(c.key), c.text, c.line)

    tables = _base_tables(rows) or _flat_base_tables(rows)
    for t in tables:
        for label, (value, cell) in t.columns.items():
            metric = _metric_of_column(label)
            if metric is None or value is None or metric in ev.metrics or t.unit is None:
                continue
            yuan, unit_used = amount_yuan(cell.key, default_unit=t.unit)
            ev.set_metric(metric, yuan, f"{cell.text} {unit_used}", cell.line, note=label)

    found = []
    for k, (pattern, metric) in enumerate(_NARRATIVE_MONEY):
        hit = narrative.search(pattern)
        if hit is not None:
            found.append((hit[1], k, hit[0], metric))
    for line, _, m, metric in sorted(found, key=lambda f: f[:2]):
        if metric not in ev.metrics:
            ev.set_metric(metric, clean(dec(m.group(1)) * 10_000), m.group(0), line)

    score = _score_table(rows, index)
    if score is not None:
        ev.indicators.extend(score.indicators)
    goals = _goal_table(rows, index)
    if goals is not None:
        ev.indicators.extend(_goal_indicator(g) for g in goals.goals)
        sat_goal = next((g for g in goals.goals if "满意度" in g.level2 and g.actual and pct(g.actual) is not None), None)
        if sat_goal is not None:
            ev.set_metric("satisfaction_pct", pct(sat_goal.actual), sat_goal.actual, sat_goal.actual_line)

    for ind in ev.indicators:
        if ind.table == "score" and ind.level == 3 and ind.level3 and "满意度" in ind.level3:
            stated = pct(ind.note) if ind.note else None
            metric = ev.metrics.get("satisfaction_pct")
            ev.satisfaction.append(
                Satisfaction(
                    group=re.sub(r"满意度$", "", ind.level3) or None,
                    pct=stated if stated is not None else (metric.value if metric else None),
                    weight=ind.weight,
                    score=ind.score,
                    line=ind.line,
                    raw=ind.note or (metric.raw if metric else None),
                )
            )

    ev.findings = _findings(doc, narrative)

    _Checks(doc, rows, ev, score, goals, tables, title_region, full, narrative).run()
    return [ev]


# ---------------------------------------------------------------------------------------------
# Checks that need the document (DOMAIN.md section 6, seed 003)


def _fmt(d: Decimal, places: int = 2) -> str:
    return str(clean(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)))


class _Checks:
    def __init__(self, doc, rows, ev, score, goals, tables, title_region, full: _Text, narrative: _Text):
        self.doc, self.rows, self.ev = doc, rows, ev
        self.score, self.goals, self.tables = score, goals, tables
        self.title_region = title_region
        self.full, self.narr = full, narrative
        self.start = narrative.start
        self.rescored: list[tuple[str, Decimal, Decimal]] = []  # (indicator, score, strict score)
        self.in_post = narrative.search(_IN_POST)  # "现有在职人数16人": staff in post per the narrative
        self._rule_keys: dict[int, str] = {}
        self._l3 = (
            [(i, _key(i.level3)) for i in score.indicators if i.level == 3 and i.level3] if score is not None else []
        )

    def run(self) -> None:
        self.headcount()
        self.staffing_rule()
        self.zero_denominator()
        self.fixed_asset_rule()
        self.surplus_rule()
        self.satisfaction_rule()
        self.empty_indicators()
        self.shared_weight()
        self.score_table_sums()
        self.money_sums()
        self.partial_periods()
        self.truncated_rates()
        self.typos()
        self.template_labels()
        self.strict_rescore()

    # helpers
    def m(self, name: str) -> Decimal | None:
        metric = self.ev.metrics.get(name)
        return metric.value if metric else None

    def score_row(self, pattern: str) -> Indicator | None:
        pat = re.compile(pattern)
        return next((i for i, k in self._l3 if pat.search(k)), None)

    def rule_key(self, ind: Indicator) -> str:
        k = self._rule_keys.get(id(ind))
        if k is None:
            k = self._rule_keys[id(ind)] = _key(ind.rule or "")
        return k

    # staffing
    def headcount(self) -> None:
        a, b = self.ev.metrics.get("headcount_authorised"), self.ev.metrics.get("headcount_actual")
        found = self.in_post
        if found is None or b is None:
            return
        m, line = found
        n = Decimal(m.group(1))
        if n == b.value:
            return
        # Quote the breakdown that follows ("其中行政人员10人，…") from the original line.
        parts = _IN_POST_PARTS.search(self.doc.lines[line - 1])
        parts_txt = f"（{parts.group(1).rstrip('。 ')}）" if parts else ""
        head = f"人员编制{a.value}人、" if a else ""
        # No line numbers in the message: they differ between a report's .txt/.docx/.pdf forms,
        # and the flag's own `line` already points at the narrative.
        self.ev.flag(
            "headcount_mismatch",
            f"人数前后不一致：基本概况表{head}实有人数{b.value}人，正文称“现有在职人数{n}人”{parts_txt}",
            line,
        )

    def staffing_rule(self) -> None:
        ind = self.score_row(r"人员控制率")
        a, b = self.m("headcount_authorised"), self.m("headcount_actual")
        if ind is None or a in (None, 0) or b is None or ind.weight is None or ind.score is None:
            return
        rate = b / a * 100
        expected = _linear_points(self.rule_key(ind), ind.weight, rate)
        if expected is None or ind.score <= expected:
            return
        found = self.in_post
        alt = ""
        if found is not None and Decimal(found[0].group(1)) != b:
            n = Decimal(found[0].group(1))
            alt = f"（按正文在职{n}人为{_fmt(n / a * 100)}%）"
        _, threshold, step = _linear_rule(self.rule_key(ind))
        self.rescored.append((ind.level3, ind.score, expected))
        if ind.score == ind.weight:
            self.ev.flag(
                "rule_violated_full_score",
                f"{ind.level3}：实有人数{b}人÷编制{a}人={_fmt(rate)}%{alt}，超过{_fmt(threshold)}%标准"
                f"{_fmt(rate - threshold)}个百分点，按评分标准“每超过一个百分点扣{step}分，扣完为止”"
                f"应得{_fmt(expected)}分，报告给了满分{ind.score}分",
                ind.line,
            )

    def zero_denominator(self) -> None:
        ind = self.score_row(r"重点支出安排率")
        if ind is None or ind.score is None or ind.weight is None or ind.score < ind.weight:
            return
        project = self.ev.metrics.get("exp_project_yuan")
        said = self.narr.search(_NO_PROJECTS)
        if not ((project is not None and project.value == 0) or said):
            return
        evidence = []
        if project is not None and project.value == 0:
            evidence.append(f"支出表项目支出为{project.raw}")
        if said:
            evidence.append(f"正文“{self.doc.lines[said[1] - 1].strip()}”")
        self.ev.flag(
            "zero_denominator_full_score",
            f"{ind.level3}＝重点项目支出÷项目支出，而{'；'.join(evidence)}，分母为0、比率无从计算，却计满分{ind.score}分",
            ind.line,
        )

    def fixed_asset_rule(self) -> None:
        ind = self.score_row(r"固定资产利用率")
        total, used = self.ev.metrics.get("fixed_assets_yuan"), self.ev.metrics.get("fixed_assets_in_use_yuan")
        if ind is None or total is None or total.value == 0 or used is None or ind.weight is None or ind.score is None:
            return
        rate = used.value / total.value * 100
        expected = _linear_points(self.rule_key(ind), ind.weight, rate)
        if expected is not None and ind.score > expected:
            self.rescored.append((ind.level3, ind.score, expected))
            if ind.score == ind.weight:
                self.ev.flag(
                    "rule_violated_full_score",
                    f"{ind.level3}：在用固定资产{used.raw}÷固定资产合计{total.raw}={_fmt(rate)}%，"
                    f"按评分标准应得{_fmt(expected)}分，报告给了满分{ind.score}分",
                    ind.line,
                )

    def surplus_rule(self) -> None:
        ind = self.score_row(r"资金结余")
        surplus = self.m("surplus_current_yuan")
        if ind is None or surplus is None or ind.score is None or ind.weight is None:
            return
        if surplus > 0 and ind.score == ind.weight and "无结余" in self.rule_key(ind):
            self.ev.flag(
                "rule_violated_full_score",
                f"{ind.level3}：当年结余{surplus}元，评分标准“无结余”才得满分，报告给了满分{ind.score}分",
                ind.line,
            )

    def satisfaction_rule(self) -> None:
        for s in self.ev.satisfaction:
            rows = (i for i in self.ev.indicators if i.table == "score" and i.level == 3)
            ind = next((i for i in rows if i.line == s.line), None)
            if ind is None or s.pct is None or s.score is None:
                continue
            expected = _band_points(self.rule_key(ind), s.pct)
            if expected is not None and s.score > expected and s.score == ind.weight:
                self.rescored.append((ind.level3, s.score, expected))
                self.ev.flag(
                    "rule_violated_full_score",
                    f"{ind.level3}：满意度{s.pct}%按评分标准应得{expected}分，报告给了满分{s.score}分",
                    ind.line,
                )

    # empty or template content
    def empty_indicators(self) -> None:
        if self.goals is None:
            return
        for name, goal_line in self.goals.empty_groups:
            ind = self.score_row(re.escape(_key(name)))
            if ind is not None and ind.score is None:
                continue  # the score row's figures were not read (a flattened layout): which flag is unknown
            if ind is not None and ind.score:
                self.rescored.append((ind.level3, ind.score, Decimal(0)))
                self.ev.flag(
                    "empty_indicator_scored",
                    f"{ind.level3}：定量目标表“{name}”中只有模板占位“指标1：指标2：……”，"
                    f"未设置任何指标，评分表却计了{ind.score}分",
                    ind.line,
                )
            else:
                self.ev.flag(
                    "template_labels",
                    f"定量目标表“{name}”只有模板占位“指标1：指标2：……”，未设置指标（不计为指标）",
                    goal_line,
                )
    def shared_weight(self) -> None:
        """A 分值 cell merged over several rows: its weight belongs to the group, not to one row."""
        if self.score is None:
            return
        rows = [i for i in self.score.indicators if i.level == 3]
        for k, ind in enumerate(rows):
            if ind.weight is None:
                continue
            group = [ind]
            for nxt in rows[k + 1 :]:
                if nxt.level2 != ind.level2 or nxt.weight is not None or nxt.score is None:
                    break
                group.append(nxt)
            if len(group) < 2:
                continue
            scores = [g.score for g in group if g.score is not None]
            names = "、".join(g.level3 for g in group)
            self.ev.flag(
                "weight_shared",
                f"“{ind.level3}”行的分值{ind.weight}分是{names}{len(group)}项合计（合并单元格），"
                f"{len(group)}项得分合计{'+'.join(str(s) for s in scores)}={sum(scores)}分；"
                f"不能按{ind.weight}分计算“{ind.level3}”一项的得分率",
                ind.line,
            )

    # arithmetic
    def score_table_sums(self) -> None:
        t = self.score
        if t is None:
            return
        l1 = [i for i in t.indicators if i.level == 1]
        l2 = [i for i in t.indicators if i.level == 2]
        l3 = [i for i in t.indicators if i.level == 3]
        full = t.total_weight if t.total_weight is not None else Decimal(100)
        if l1 and all(i.weight is not None for i in l1) and sum(i.weight for i in l1) != full:
            self.ev.flag("weights_total_mismatch", f"一级指标分值之和 {sum(i.weight for i in l1)} ≠ 满分 {full}", l1[0].line)
        for p in l1:
            kids = [i.weight for i in l2 if i.level1 == p.level1]
            if p.weight is not None and kids and None not in kids and sum(kids) != p.weight:
                self.ev.flag("children_sum_mismatch", f"{p.level1}: 二级指标分值之和 {sum(kids)} ≠ 一级指标分值 {p.weight}", p.line)
        if t.total_score is not None and self.ev.total_score is not None and t.total_score != self.ev.total_score:
            self.ev.flag(
                "narrative_table_score_mismatch",
                f"评分表总分 {t.total_score} ≠ 自评表“绩效自评综合得分” {self.ev.total_score}",
                t.total_line,
            )
        scores = [i.score for i in l3]
        if t.total_score is not None and scores and None not in scores and sum(scores) != t.total_score:
            self.ev.flag("total_sum_mismatch", f"三级指标得分之和 {sum(scores)} ≠ 评分表总分 {t.total_score}", t.total_line)

    def money_sums(self) -> None:
        m = self.ev.metrics

        def check(total: str, parts: tuple[str, ...], label: str) -> None:
            if total not in m or any(p not in m for p in parts):
                return
            s = sum(m[p].value for p in parts)
            if abs(s - m[total].value) > 1:
                shown = " + ".join(m[p].raw for p in parts)
                message = f"{label}不符：{m[total].raw} ≠ {shown}（= {clean(s / 10_000)} 万元）"
                self.ev.flag("sum_mismatch", message, m[total].line)

        check("revenue_total_yuan", ("expenditure_yuan", "surplus_current_yuan"), "收入合计与 支出合计 + 当年结余")
        check("expenditure_yuan", ("exp_basic_yuan", "exp_project_yuan"), "支出合计与 基本支出 + 项目支出")
        check(
            "exp_basic_yuan",
            ("exp_wages_yuan", "exp_goods_services_yuan", "exp_household_transfers_yuan"),
            "基本支出与 工资福利 + 商品和服务 + 对个人和家庭补助",
        )
        # Economic classes: personnel = wages + transfers to households; public = goods and services.
        check("exp_personnel_yuan", ("exp_wages_yuan", "exp_household_transfers_yuan"), "人员支出与 工资福利 + 对个人和家庭补助")
        check("exp_public_operating_yuan", ("exp_goods_services_yuan",), "公用支出与 商品和服务支出")
        # Tables whose first column is the total of all the others (收入, 三公经费, 固定资产); the
        # expenditure table nests columns (人员/公用 under 基本支出) and is checked through metrics above.
        for t in self.tables:
            cols = list(t.columns.items())
            if len(cols) < 2 or cols[0][1][0] is None or any(_NESTED_COLUMN.search(k) for k, _ in cols):
                continue
            total_label, (total, cell) = cols[0]
            parts = [v for _, (v, _) in cols[1:] if v is not None]
            if parts and sum(parts) != total:
                self.ev.flag(
                    "sum_mismatch",
                    f"{t.title or total_label}（{t.row_label.label}）：分项之和 {sum(parts)} ≠ {total_label} {total}",
                    cell.line,
                )
        found = self.narr.search(_BASIC_SPENDING)
        basic = m.get("exp_basic_yuan")
        if found and basic is not None and clean(dec(found[0].group(1)) * 10_000) != basic.value:
            self.ev.flag("grid_narrative_mismatch", f"正文基本支出{found[0].group(1)}万元 ≠ 支出表{basic.raw}", found[1])

    # narrative
    def partial_periods(self) -> None:
        lines, norm = self.doc.lines, self.doc.norm
        # Every match of _PARTIAL holds one of _PARTIAL_ANCHORS: only lines with one can have a
        # sentence with a match.
        candidates = sorted({n for a in _PARTIAL_ANCHORS for n in self.narr.lines_with(a)})
        for i in (n - 1 for n in candidates):
            if not _PARTIAL.search(norm[i]):
                continue
            for sent in _SENTENCE.findall(lines[i]):
                hits = _PARTIAL.findall(normalize_text(sent))
                if hits:
                    self.ev.flag(
                        "period_partial",
                        f"年度报告使用了部分期间数或预计数（{'、'.join(dict.fromkeys(hits))}）：“{sent.strip()}”",
                        i + 1,
                    )

    def truncated_rates(self) -> None:
        norm = self.doc.norm
        for i in (n - 1 for n in self.narr.lines_with(",其中")):
            for m in _RATE_OF_PARTS.finditer(norm[i]):
                den, num, name, stated = Decimal(m.group(1)), Decimal(m.group(2)), m.group(3), dec(m.group(4))
                if den == 0:
                    continue
                exact = num / den * 100
                places = Decimal(1).scaleb(stated.as_tuple().exponent)
                rounded = exact.quantize(places, rounding=ROUND_HALF_UP)
                truncated = exact.quantize(places, rounding=ROUND_DOWN)
                if stated == rounded:
                    continue
                code = "rate_truncated" if stated == truncated else "rate_recompute_mismatch"
                self.ev.flag(
                    code,
                    f"{name}：{num}÷{den}={_fmt(exact)}%，四舍五入应为{rounded}%，报告写作{stated}%"
                    + ("（截断而非四舍五入）" if code == "rate_truncated" else ""),
                    i + 1,
                )

    def typos(self) -> None:
        # One flag per typo and line, in line order and, within a line, in the order of _TYPOS.
        seen = sorted((line, k) for k, (wrong, _, _) in enumerate(_TYPOS) for line in self.full.lines_with(wrong))
        for line, k in seen:
            wrong, right, certain = _TYPOS[k]
            self.ev.flag("typo", f"“{wrong}”{'应为' if certain else '疑为'}“{right}”之误", line)
        # The form issuer "岳阳市云溪财政局（制）" against the region in the title "岳阳市云溪区…".
        if not self.title_region:
            return
        for i, line in enumerate(self.doc.norm[:40], start=1):
            if "财政" not in line:
                continue
            m = _ISSUER_PREFIX.search(line)
            if not m:
                continue
            prefix, region = m.group(1), self.title_region
            if region != prefix and region.startswith(prefix) and region[len(prefix):] in ("区", "县", "市"):
                missing = region[len(prefix):]
                self.ev.flag(
                    "typo",
                    f"封面“{self.doc.lines[i - 1].strip()}”漏了“{missing}”字，应为“{region}财政局（制）”（标题为“{region}”）",
                    i,
                )

    def template_labels(self) -> None:
        name = self.ev.unit.name_raw or self.ev.unit.name or ""
        if "局" not in name:
            labels, first, sub_rows = [], None, []
            for row in self.rows:
                k = row[0].key
                if ("局机关" in k or "二级机构" in k) and _TEMPLATE_ROW.search(k):
                    # A flattened row is one line: its label is the first word, its figures the rest.
                    cells = _flat_tokens(row[0]) if _is_paragraph(row) else [c.label for c in row]
                    if not cells or not _TEMPLATE_ROW.search(_key(cells[0])):
                        continue
                    if cells[0] not in labels:
                        labels.append(cells[0])
                    first = first or row[0].line
                    if _SUB_UNIT_ROW.search(_key(cells[0])):
                        sub_rows.append(cells)
            if labels:
                empty = "，二级机构行均为空" if sub_rows and all(not c for r in sub_rows for c in r[1:]) else ""
                self.ev.flag(
                    "template_labels",
                    f"收支情况表沿用模板行标签{'、'.join(f'“{x}”' for x in labels)}，本单位为{name}{empty}",
                    first,
                )
        # Guidance of the template left in the score table: the indicators were not refined.
        if self.score is not None:
            for ind in self.score.indicators:
                if ind.level == 3 and ind.rule and "应根据部门实际" in ind.rule:
                    cell = self.score.rule_cells[id(ind)]
                    line = next((ln for part, ln in zip(cell.parts, cell.lines) if "应根据部门实际" in _key(part)), ind.line)
                    self.ev.flag(
                        "template_labels",
                        f"评分表“{ind.level2}”保留了模板说明“部门单位应根据部门实际…细化…个性化指标”，"
                        f"所列指标（{ind.level3}等）未细化为本单位指标",
                        line,
                    )

    def strict_rescore(self) -> None:
        total = self.ev.total_score
        if total is None or not self.rescored:
            return
        cut = sum(s - strict for _, s, strict in self.rescored)
        if cut <= 0:
            return
        strict_total = total - cut
        items = "；".join(f"{n} {s}→{_fmt(strict)}分" for n, s, strict in self.rescored)
        band = grade_band(strict_total)
        at = self.full.text.find("绩效自评综合得分")
        self.ev.flag(
            "strict_rescore",
            f"严格按评分标准复算：{items}；总分 {total} → {_fmt(strict_total)}，"
            f"等次 {self.ev.grade_raw or self.ev.grade} → {band}",
            self.full.line_of(at) if at >= 0 else None,
        )
