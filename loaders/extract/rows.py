"""Rows of cells from normalised lines, whatever layout the text arrived in.

Layouts seen in real pages (tests/corpus/realdev/README.md):
- tab rows (our .docx/.xlsx/.pdf readers) and pipe rows (HTML tables rendered with '|');
- one cell per line ending in ' |', lone '|' for an empty cell, a run of pipes ending the row;
- one value per line, blank lines between cells, a single space for an empty cell;
- one table row per line with cells separated by spaces (split on demand by the table
  readers, since a space may also sit inside a cell);
- running text.

A `Row` keeps its cells with their line numbers. Whether a row is complete (its cells are the
whole table row) is recorded: tab and pipe rows are, a line of a one-value-per-line table is
not, and the table readers treat the two differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from loaders import fastre


class Cell(NamedTuple):
    text: str  # trimmed; "" for an empty cell
    line: int  # 1-based


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    line: int
    complete: bool  # the cells are one whole table row (tab or pipe row)
    delimited: bool  # cells came from tabs or pipes (not a bare line)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


_PIPES_ONLY = fastre.compile(r"^\s*[|｜](?:\s*[|｜])*\s*$")
_ONE_CELL_PIPE = fastre.compile(r"^([^|｜\t]*?)\s*[|｜]\s*$")


def _split(line: str) -> list[str]:
    parts = line.replace("｜", "|").replace("\t", "|").split("|")
    return [p.strip() for p in parts]


def _strip_edges(cells: list[str]) -> list[str]:
    while cells and cells[-1] == "":
        cells.pop()
    return cells


class Rows(list):
    """The rows of a document, with a place for what readers compute from them once (the
    header roles of each table kind)."""

    __slots__ = ("cache",)

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.cache: dict = {}


def build_rows(lines: list[str]) -> Rows:
    piped = [s for s in lines if "|" in s or "｜" in s]
    cell_per_line_pipes = False
    if len(piped) >= 8:
        one_cell_pipe = sum(1 for s in piped if _ONE_CELL_PIPE.match(s) and s.strip() not in ("|", "｜"))
        pipe_runs = sum(1 for s in piped if _PIPES_ONLY.match(s))
        cell_per_line_pipes = one_cell_pipe >= 8 and pipe_runs >= 3 and one_cell_pipe > 0.3 * len(piped)
    rows = Rows()
    tab_cells = sum(1 for s in lines[:400] if s.startswith("\t") and s.count("\t") == 1)
    tab_cell = False
    for i, raw in enumerate(lines, start=1):
        s = raw.strip()
        if cell_per_line_pipes and ("|" in raw or "｜" in raw):
            # one cell per line: each cell is a row of its own, read like a one-value-per-line
            # table (the runs of pipes that end some rows are not reliable row ends)
            if _PIPES_ONLY.match(raw):
                if s in ("|", "｜"):
                    rows.append(Row([Cell("", i)], i, complete=False, delimited=False))
                continue
            m = _ONE_CELL_PIPE.match(raw)
            texts = [m.group(1).strip()] if m else _strip_edges(_split(raw))
            for t in texts:
                rows.append(Row([Cell(t, i)], i, complete=False, delimited=False))
            continue
        if raw.startswith("\t") and raw.count("\t") == 1 and "|" not in raw and "｜" not in raw:
            # one cell per line after a TAB (a converter's cell-per-line layout): a lone cell
            rows.append(Row([Cell(raw.strip(), i)], i, complete=False, delimited=False))
            tab_cell = True
            continue
        if tab_cell and s and "\t" not in raw and "|" not in raw and tab_cells >= 5:
            # a line right after a TAB cell, without a TAB of its own: the rest of that cell
            # ("\t经济效益" / "指标" is the one cell 经济效益指标)
            prev = rows[-1]
            rows[-1] = Row([Cell(prev.cells[0].text + s, prev.cells[0].line)], prev.line, complete=False, delimited=False)
            continue
        tab_cell = False
        if "\t" in raw or "|" in raw or "｜" in raw:
            texts = _strip_edges(_split(raw))
            if not any(texts):
                continue
            # a leading empty cell of a pipe row ("| a | b |") is the border, not a cell
            if texts and texts[0] == "" and raw.lstrip().startswith(("|", "｜")):
                texts = texts[1:]
            rows.append(Row([Cell(t, i) for t in texts], i, complete=True, delimited=True))
            continue
        if not s:
            if raw:  # a line holding only spaces: an empty cell of a one-value-per-line table
                rows.append(Row([Cell("", i)], i, complete=False, delimited=False))
            continue
        rows.append(Row([Cell(s, i)], i, complete=False, delimited=False))
    return rows


_SPACE_SPLIT = fastre.compile(r"\s+")


def space_cells(cell: Cell) -> list[Cell]:
    """The cells of a space-separated row (one line, cells split by spaces)."""
    return list(_space_cells(cell.text, cell.line))


@lru_cache(maxsize=4096)
def _space_cells(text: str, line: int) -> tuple[Cell, ...]:
    # cached: every table reader asks for the same lines' tokens
    return tuple(Cell(t, line) for t in _SPACE_SPLIT.split(text.strip()) if t)
