"""What every strategy works on (`Context`) and what it returns (`Candidate`).

A strategy reads one kind of evidence on any document (label–value pairs, header tables,
indicator tables, prose sentences, the cover block) and returns candidate facts, each with the
line it came from. It never decides alone: `resolve` compares the candidates of all strategies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from loaders import fastre
from loaders.extract.textnorm import (
    address_rows, card_rows, continued_rows, csv_cells, first_column_rows, html_rows, line_breaks, list_tabs, normalise_lines, numbered_rows, page_furniture,
    page_chunks, pandas_rows, quoted_cells, semicolon_rows, spaced_letters, wrapped_rows,
)

# Evaluation fields a candidate may fill, besides metric names (records.METRIC_UNITS).
FIELDS = (
    "unit_name", "fiscal_year", "report_kind", "project_name", "evaluation_mode", "evaluator",
    "report_date", "total_score", "grade_raw", "document_kind",
)


@dataclass(frozen=True)
class Candidate:
    """One reading of one fact.

    field     an evaluation field (FIELDS) or a metric name ("budget_adjusted_yuan"…)
    value     str / int / Decimal (money in 元, rates in percentage points)
    raw       the text it was read from, as written (after normalisation)
    line      1-based line of the source text
    strategy  which strategy read it ("cover", "label", "grid", "prose", "title" …)
    rank      strength of the evidence: 1 a labelled cell or a form field, 2 a labelled phrase
              in running text, 3 a weak hint (a title, a distractor-prone sentence). The
              resolver only looks at the strongest rank present for a field.
    note      why, for the flag when readings disagree
    scope     "project" for a figure stated of one project ("该项目…自评得分") in a text that names
              several projects: the report's own only when the report is on that one project
    year      the year a sentence states for the figure; a figure of another year than the
              report's (last year's spending given for comparison) is not a reading of its field
    """

    field: str
    value: Any
    raw: str
    line: int
    strategy: str
    rank: int = 1
    note: str | None = None
    year: int | None = None  # the year the text states for this figure ("2021年度实际支出…"), if any
    scope: str | None = None  # "project": a figure of one project in a text that names several


@dataclass
class Context:
    """A document as the strategies see it: normalised lines (same count and order as the
    source text, so line numbers carry over) and the rows of cells built from them."""

    lines: list[str]  # normalised: NFKC, simplified, pinyin stripped, OCR repaired
    name: str = ""
    notes: list[str] = field(default_factory=list)

    @cached_property
    def rows(self):
        from loaders.extract.rows import build_rows

        return build_rows(self.lines)

    @cached_property
    def squashed(self) -> list[str]:
        """Every line without any whitespace (labels are matched on this form); a TAB between
        cells becomes "|", so TAB rows read like pipe rows."""
        return ["".join(s.replace("\t", "|").split()) for s in self.lines]

    @cached_property
    def scan(self) -> fastre.Lines:
        """The squashed lines, for finding the lines a pattern may match on in one search."""
        return fastre.Lines(self.squashed)

    @cached_property
    def line_scan(self) -> fastre.Lines:
        """The lines as they are, for finding the lines a pattern may match on in one search."""
        return fastre.Lines(self.lines)

    @cached_property
    def text(self) -> str:
        return "\n".join(self.lines)

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


# Forms a text may arrive in, brought to lines of cells before normalisation (each step keeps the
# line count, so line numbers stay the source's): an HTML source, <br> in cells, a semicolon CSV,
# a pandas print, a cell-by-cell listing, an accessible-mode table, a Word list's TAB after its
# number, a printed page's number and running title, Excel cells quoted over several lines,
# a TAB row cut by a line break in a cell, a fixed-width
# table's cells wrapped onto the lines below, text with a space between every character,
# a document site's pages each flattened into one numbered line; after it, comma CSV records
# and cards.
_BEFORE = (html_rows, line_breaks, semicolon_rows, pandas_rows, address_rows, numbered_rows, first_column_rows, list_tabs, page_furniture, quoted_cells, wrapped_rows, continued_rows, spaced_letters, page_chunks)
_AFTER = (csv_cells, card_rows)


# What a text holds when a step may change it (a step is skipped, at the cost of one search of
# the text, where none of these stands in it; every step also checks for itself).
_NEEDS = {
    html_rows: ("<t", "<T"), line_breaks: ("<br", "<BR"), semicolon_rows: (";",), pandas_rows: ("NaN",),
    numbered_rows: ("行",), first_column_rows: ("\t\t",), list_tabs: ("\t",), quoted_cells: ('"',), wrapped_rows: ("\t",),
    continued_rows: ("|",), page_chunks: ("2、",),
}


def make_context(raw_lines: list[str], name: str = "") -> Context:
    lines = raw_lines
    text = "\n".join(lines)
    for step in _BEFORE:
        needs = _NEEDS.get(step)
        if needs is not None and not any(x in text for x in needs):
            continue
        new = step(lines)
        if new is not lines:
            lines, text = new, "\n".join(new)
    lines = normalise_lines(lines)
    for step in _AFTER:
        lines = step(lines)
    return Context(lines=lines, name=name)


def money_yuan(amount: Decimal, unit: str) -> Decimal:
    """An amount in 元 from an amount in the given unit (元, 万元, 亿元)."""
    scale = {"元": 1, "万元": 10_000, "万": 10_000, "亿元": 100_000_000, "亿": 100_000_000, "千元": 1000}[unit]
    return amount * scale
