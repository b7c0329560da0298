"""Re-lay out a real report's text the way other converters write the same document.

`items(text)` reads the seed's own layout into table rows and running-text lines:
- a line with a TAB after its first cell (seed 001) is a whole row split on TAB;
- a run of lines that each start with a TAB (seeds 000/002/003) is one row, one cell a line,
  up to a blank line; a line without a TAB directly after a cell continues that cell (a Word
  cell with several paragraphs), and so does a short run of such lines after blank lines when
  the next cell follows it (a cell with empty paragraphs inside: "\\t年度主要", "", "工作内容");
- a row that a blank line cut in two ("\\t满意度指标", "", "\\t服务对象满意度指标" …) is joined
  again when the two pieces make exactly the width of the rows around it;
- everything else is a line of running text, kept as it is.

The renderers then write those rows in each layout the loader must read (module `LAYOUTS`);
`headers_after` reorders them first for the flattened layouts whose table headers come after
the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ONE_CELL = re.compile(r"\t[^\t]*")
_NUMERIC = re.compile(r"-?\d+(?:\.\d+)?%?")


@dataclass
class Row:
    cells: list[list[str]]  # each cell: its text lines (continuations kept apart)
    whole: bool = False  # came as one tab row (seed 001): keep it one line in every layout
    cut: bool = False  # ended at a blank line after a paragraph inside its last cell: may go on

    def texts(self, sep: str = " ") -> list[str]:
        return [sep.join(p.strip() for p in c if p.strip()) for c in self.cells]


@dataclass
class Text:
    line: str


Item = Row | Text


def _is_row(line: str) -> bool:
    return "\t" in line and not _ONE_CELL.fullmatch(line)


def _continuation_run(lines: list[str], i: int, cell_has_text: bool) -> tuple[int, bool] | None:
    """A short run of text lines (blank lines between) inside a cell: at most 6 lines and 80
    characters, followed after blank lines by the next one-cell line, and either continuing a
    cell that has text ("\t此项指标根据…", "", "部门单位应根据…") or followed at once by the next
    cell ("\t", "", "绩", "", "效", …, "标", "\t一级指标"). Returns (index after the run, whether
    a blank line separates it from the next cell, i.e. whether the row probably ends there)."""
    j, taken, chars, last_blank = i, 0, 0, True
    while j < len(lines):
        line = lines[j]
        if not line.strip() and "\t" not in line:
            last_blank = True
            j += 1
            continue
        if _ONE_CELL.fullmatch(line):
            if taken and (cell_has_text or not last_blank):
                return j, last_blank
            return None
        if "\t" in line:
            return None
        taken += 1
        chars += len(line.strip())
        last_blank = False
        if taken > 6 or chars > 80:
            return None
        j += 1
    return None


def items(text: str) -> list[Item]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out: list[Item] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_row(line):
            out.append(Row([[c] for c in line.split("\t")], whole=True))
            i += 1
            continue
        if not _ONE_CELL.fullmatch(line):
            out.append(Text(line))
            i += 1
            continue
        cells: list[list[str]] = []
        cut = False
        while i < len(lines):
            cur = lines[i]
            if _ONE_CELL.fullmatch(cur):
                cells.append([cur[1:]])
                i += 1
            elif cur.strip() and "\t" not in cur:
                cells[-1].append(cur)
                i += 1
            elif not cur.strip():
                run = _continuation_run(lines, i, bool("".join(cells[-1]).strip()))
                if run is None:
                    break
                end, ends_row = run
                cells[-1].extend(x for x in lines[i:end] if x.strip())
                i = end
                if ends_row:
                    cut = True
                    break
            else:
                break
        out.append(Row(cells, cut=cut))
    return _join_cut_rows(_drop_blanks_between_rows(out))


def _drop_blanks_between_rows(seq: list[Item]) -> list[Item]:
    """Blank lines that only separate two rows are the cell-per-line layout's row breaks, not
    part of the document: each renderer writes its own."""
    out: list[Item] = []
    for k, it in enumerate(seq):
        if isinstance(it, Text) and not it.line.strip() and out and isinstance(out[-1], Row):
            nxt = next((x for x in seq[k + 1 :] if not (isinstance(x, Text) and not x.line.strip())), None)
            if isinstance(nxt, Row):
                continue
        out.append(it)
    return out


def _join_cut_rows(seq: list[Item]) -> list[Item]:
    """Join a grid row that a blank line cut in two ("\t", "\t满意度指标", "", "\t服务对象满意度指标"
    …, or a cell whose last paragraph is followed by a blank line): the first piece starts with
    an empty (merged) cell or is `cut`, and the two pieces are as wide as the row before them."""
    out: list[Item] = []
    k = 0
    while k < len(seq):
        it = seq[k]
        nxt = seq[k + 1] if k + 1 < len(seq) else None
        prev = out[-1] if out else None
        if (
            isinstance(it, Row)
            and isinstance(nxt, Row)
            and isinstance(prev, Row)
            and not (it.whole or nxt.whole or prev.whole)
            and (it.cut or not it.texts()[0])
            and len(it.cells) + len(nxt.cells) == len(prev.cells)
        ):
            out.append(Row(it.cells + nxt.cells))
            k += 2
            continue
        out.append(it)
        k += 1
    return out


def _tables(seq: list[Item]) -> list[list[int]]:
    """Indices of the rows of each table (rows not separated by running text)."""
    out: list[list[int]] = []
    cur: list[int] = []
    for k, it in enumerate(seq):
        if isinstance(it, Row):
            cur.append(k)
        elif it.line.strip():
            if cur:
                out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


# ---------------------------------------------------------------------------------------------
# Renderers: items -> text


def cell_lines(seq: list[Item]) -> str:
    """One cell per line after a TAB, a blank line between rows (the seeds' own layout)."""
    out: list[str] = []
    for it in seq:
        if isinstance(it, Text):
            out.append(it.line)
            continue
        for c in it.cells:
            out.append("\t" + c[0])
            out.extend(c[1:])
        out.append("")
    return "\n".join(out) + "\n"


def cell_lines_pipe(seq: list[Item]) -> str:
    """One cell per line ending in '|' (no leading TAB), a blank line between rows."""
    out: list[str] = []
    for it in seq:
        if isinstance(it, Text):
            out.append(it.line)
            continue
        for text in it.texts():
            out.append(text + "|")
        out.append("")
    return "\n".join(out) + "\n"


def tab_rows(seq: list[Item]) -> str:
    """One row per line, cells joined by TAB, a cell's paragraphs joined by a space (what the
    .docx reader writes)."""
    out: list[str] = []
    for it in seq:
        out.append(it.line if isinstance(it, Text) else "\t".join(it.texts()))
    return "\n".join(out) + "\n"


def pipe_rows(seq: list[Item], wrap_at: int = 90) -> str:
    """'| a | b |' rows. On a table's continuation rows the row-spanning cells on the left are
    left out (a converter writes a merged cell once); a row longer than `wrap_at` characters has
    its longest cell wrapped onto the next line."""
    out: list[str] = []
    first_rows = {t[0] for t in _tables(seq)}
    for k, it in enumerate(seq):
        if isinstance(it, Text):
            out.append(it.line)
            continue
        cells = it.texts()
        if k not in first_rows:
            while len(cells) > 1 and not cells[0]:
                cells = cells[1:]
        line = "| " + " | ".join(cells) + " |"
        if len(line) > wrap_at:
            longest = max(range(len(cells)), key=lambda j: len(cells[j]))
            text = cells[longest]
            cut = len(text) // 2
            if len(text) >= 20 and not text[cut - 1].isspace() and not text[cut].isspace():
                head = "| " + " | ".join(cells[:longest] + [text[:cut]])
                tail = text[cut:] + " | " + " | ".join(cells[longest + 1 :]) + (" |" if longest + 1 < len(cells) else "|")
                out.extend([head, tail])
                continue
        out.append(line)
    return "\n".join(out) + "\n"


def flat(seq: list[Item], glue_numbers: bool = False) -> str:
    """Each row on one line, its non-empty cells separated by a space and nothing else (the
    positions of empty cells are lost). With `glue_numbers`, two adjacent cells that are both
    bare numbers are written without the space ("64 64 10" -> "646410")."""
    out: list[str] = []
    for it in seq:
        if isinstance(it, Text):
            out.append(it.line)
            continue
        cells = [c for c in it.texts("") if c]
        line = ""
        for j, c in enumerate(cells):
            if j and not (glue_numbers and _NUMERIC.fullmatch(cells[j - 1]) and _NUMERIC.fullmatch(c) and not cells[j - 1].endswith("%")):
                line += " "
            line += c
        out.append(line)
    return "\n".join(out) + "\n"


_NA_CELLS = {"无", "—", "——", "/", "-", "…", "……"}


def _is_header_row(row: Row) -> bool:
    """A row of column titles: two or more short cells, no figure, N/A marker or sentence mark
    in any."""
    cells = [c for c in row.texts("") if c]
    return len(cells) >= 2 and not any(re.search(r"[\d。；;，,]", c) or c in _NA_CELLS or len(c) > 30 for c in cells)


def _is_separator(row: Row) -> bool:
    """A one-cell row without figures (a table's title, "年度收入情况（万元）"): it belongs to the
    table below it and stays where it is."""
    cells = [c for c in row.texts("") if c]
    return len(cells) <= 1 and not any(re.search(r"\d", c) or c in _NA_CELLS for c in cells)


def headers_after(seq: list[Item]) -> list[Item]:
    """The items with each table's header written after its rows (a converter that emits a
    table's header last): every block of header rows moves behind the data rows that follow it,
    up to the next header block, title row or running text."""
    out: list[Item] = []
    k = 0
    while k < len(seq):
        it = seq[k]
        if not (isinstance(it, Row) and _is_header_row(it)):
            out.append(it)
            k += 1
            continue
        h_end = k
        while h_end < len(seq) and isinstance(seq[h_end], Row) and _is_header_row(seq[h_end]):
            h_end += 1
        d_end = h_end
        while d_end < len(seq) and isinstance(seq[d_end], Row) and not _is_header_row(seq[d_end]) and not _is_separator(seq[d_end]):
            d_end += 1
        out.extend(seq[h_end:d_end] + seq[k:h_end])
        k = d_end
    return out


# OCR misreadings of labels (as a scanner reads them) and of digits inside numbers.
OCR_LABELS = (
    ("总分", "总汾"),
    ("得分", "得汾"),
    ("年初预算数", "年初预箅数"),
    ("全年预算数", "全年预箅数"),
    ("执行率", "执行卒"),
    ("评价等次", "评价等欠"),
    ("评价等级", "评价等圾"),
    ("项目名称", "项日名称"),
    ("万元", "万无"),
)
_OCR_DIGIT = re.compile(r"(?<=\d)0(?=\d|%)|(?<=\d)1(?=\d|%)")


def ocr(text: str) -> str:
    """Misread labels from OCR_LABELS, full-width digits and colons in places, and digits read
    as letters inside numbers where the reading is unambiguous ("100%" -> "1O0%")."""
    for right, wrong in OCR_LABELS:
        text = text.replace(right, wrong)
    out_lines = []
    for n, line in enumerate(text.split("\n")):
        if n % 3 == 0:
            line = _OCR_DIGIT.sub(lambda m: "O" if m.group(0) == "0" else "l", line)
        elif n % 3 == 1:
            line = line.translate(str.maketrans("0123456789%:", "０１２３４５６７８９％："))
        out_lines.append(line)
    return "\n".join(out_lines)


LAYOUTS = {
    "cell_lines": lambda text: cell_lines(items(text)),
    "cell_lines_pipe": lambda text: cell_lines_pipe(items(text)),
    "tab_rows": lambda text: tab_rows(items(text)),
    "pipe_rows": lambda text: pipe_rows(items(text)),
    "flat": lambda text: flat(items(text)),
    "flat_glued": lambda text: flat(items(text), glue_numbers=True),
    "flat_headers_after": lambda text: flat(headers_after(items(text))),
    "flat_glued_headers_after": lambda text: flat(headers_after(items(text)), glue_numbers=True),
    "ocr": ocr,
}
