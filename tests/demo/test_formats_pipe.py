"""Office files written from a text in the pipe layout ('| a | b |' rows): each row becomes a
sheet row with its cells in columns, a cell that heads the rows below it (the empty cells left of
their first filled cell) is merged over them, and the file parses to the expected record as well
as the text itself does."""

from __future__ import annotations

import dataclasses
import io

import pytest

from loaders.demo import PROJECT_KEYS, SEED_FAMILIES, plan_unit, render_file, without_lines
from loaders.demo.formats import Table, _vertical_spans, blocks, to_docx, to_xlsx
from loaders.demo.world import profile, select_places
from loaders.demo_accuracy import Tally, compare, record_jsonable
from loaders.parse import parse_bytes
from loaders.read import read_bytes

YEARS = (2021, 2022)


def _pipe_file(family: str):
    """(text, expected record) of one generated file of `family`, written in the pipe layout."""
    for place in select_places(30, 3, *YEARS):
        prof = profile(place, 3, *YEARS, list(PROJECT_KEYS))
        for spec in plan_unit(prof, ("txt",)):
            # a plain file: no injected trap, no shape, not the finance-bureau variant of seed 001
            # (whose mode the parser reads as third_party: a parser miss the score reports)
            if spec.family == family and not spec.injections and not spec.shapes and spec.mode != "finance":
                spec = dataclasses.replace(spec, layout="pipe_rows")
                text, answers = render_file(prof, spec)
                source = {"path": "x", "format": "txt", "family": family, "is_demo": True}
                return text, {"source": source, "evaluations": [a.to_json() for a in answers]}
    raise AssertionError(family)


def _score(expected: dict, data: bytes, name: str) -> tuple[int, int, int]:
    parsed = record_jsonable(parse_bytes(data, name))
    tally = Tally()
    compare(without_lines(expected), parsed, tally)
    t = tally.totals()
    return t["right"], t["wrong"], t["missing"]


def test_pipe_rows_become_table_rows_and_wrapped_rows_are_joined():
    text = "标题\n| 一级指标 | 二级指标 | 分值 |\n| --- | --- | --- |\n| 产出 | 数量指标很长的一段\n文字 | 10 |\n|  | 质量 | 5 |\n正文\n"
    got = blocks(text)
    tables = [b for b in got if isinstance(b, Table)]
    assert len(tables) == 1
    assert tables[0].rows == [["一级指标", "二级指标", "分值"], ["产出", "数量指标很长的一段文字", "10"], ["", "质量", "5"]]
    # "产出" heads the row below it, whose first cell is empty: one merged cell over two rows.
    assert _vertical_spans(tables[0].padded()) == [(1, 2, 0)]


def test_one_cell_per_line_ending_in_a_pipe_is_a_row():
    text = "".join(f"{c}|\n" for c in ("一级指标", "二级指标", "分值")) + "\n" + "".join(f"{c}|\n" for c in ("产出", "数量", "10")) + "\n"
    tables = [b for b in blocks(text) if isinstance(b, Table)]
    assert tables[0].rows == [["一级指标", "二级指标", "分值"], ["产出", "数量", "10"]]


@pytest.mark.parametrize("family", sorted(SEED_FAMILIES))
def test_xlsx_from_the_pipe_layout_parses_like_the_text(family):
    text, expected = _pipe_file(family)
    right_txt, wrong_txt, _ = _score(expected, text.encode("utf-8"), "f.txt")
    data = to_xlsx(text)
    right, wrong, missing = _score(expected, data, "f.xlsx")
    assert wrong == 0 and wrong_txt == 0
    assert right >= right_txt, (right, right_txt, missing)
    # Cells are in columns: every '| … |' row is read back as one TAB row, not as one cell.
    doc = read_bytes(data, "f.xlsx")
    assert not any(line.lstrip().startswith("|") for line in doc.lines)


def test_xlsx_merges_the_cells_that_head_rows_below():
    import openpyxl

    text, _ = _pipe_file("yueyang_dept_self")
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(text))).active
    merged = [r for r in ws.merged_cells.ranges if r.min_col == r.max_col and r.max_row > r.min_row]
    assert merged
    for r in merged:
        top = ws.cell(r.min_row, r.min_col).value
        assert top not in (None, "")


def test_docx_from_the_pipe_layout_parses_like_the_text():
    text, expected = _pipe_file("yueyang_dept_self")
    right_txt, _, _ = _score(expected, text.encode("utf-8"), "f.txt")
    right, wrong, _ = _score(expected, to_docx(text), "f.docx")
    assert wrong == 0 and right >= right_txt
