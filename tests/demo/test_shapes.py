"""The layouts and shapes that make the demo corpus look like real pages, each with what it does
to the text and to the answers."""

from __future__ import annotations

import csv
import dataclasses
import io
import re

import pytest

from loaders.demo import PROJECT_KEYS, FileSpec, render_file
from loaders.demo.departments import DEPARTMENT_KEYS
from loaders.demo.formats import to_pdf_columns
from loaders.demo.textdoc import PDF_WRAP, TextDoc
from loaders.demo.world import profile, select_places

YEARS = (2021, 2022)


@pytest.fixture(scope="module")
def prof():
    place = select_places(5, 4, *YEARS)[0]
    return profile(place, 4, *YEARS, list(PROJECT_KEYS), DEPARTMENT_KEYS)


def _spec(prof, family: str, **kw) -> FileSpec:
    keys = kw.pop("project_keys", (prof.projects[0],))
    return dataclasses.replace(FileSpec(YEARS[1], 9, family, kw.pop("layout", "tab_rows"), "txt"), project_keys=keys, **kw)


def test_csv_rows_read_back_as_the_cells_with_their_lines():
    doc = TextDoc()
    doc.add("标题")
    cells = ["项目", "", "评分标准\n（续）", "10", 'say "x"']
    lines = doc.row(cells, "csv_rows")
    text = "\n".join(doc.lines[1:])
    assert list(csv.reader(io.StringIO(text))) == [cells]
    assert lines == [2, 2, 2, 3, 3]  # after the quoted newline, cells are on the next line
    assert doc.lines[1].startswith('"项目",,"评分标准')


def test_space_rows_stack_a_header_cell_over_the_rows_lines():
    doc = TextDoc()
    lines = doc.row(["一级指标", "年度\n指标值", "实际\n完成值", "", "分值"], "space_rows")
    assert doc.lines == ["一级指标 年度 实际 分值", "指标值 完成值"]
    assert lines == [1] * 5


def test_pdf_columns_interleave_the_pieces_of_long_cells():
    doc = TextDoc()
    a, b = "甲" * (PDF_WRAP + 5), "乙" * (PDF_WRAP + 2)
    doc.row(["名称", a, b, "10"], "pdf_columns")
    assert doc.lines == [f"名称 {'甲' * PDF_WRAP} {'乙' * PDF_WRAP} 10", "甲甲甲甲甲 乙乙"]


def test_site_header_keeps_the_marker_first_and_moves_every_line(prof):
    spec = _spec(prof, "national_project_form", layout="cell_lines")
    plain_text, plain_answers = render_file(prof, spec)
    text, answers = render_file(prof, dataclasses.replace(spec, shapes=("site_header",)))
    lines, plain_lines = text.split("\n"), plain_text.split("\n")
    shift = len(lines) - len(plain_lines)
    assert shift > 0 and lines[0] == plain_lines[0] and lines[shift + 1:] == plain_lines[1:]
    for a, b in zip(answers, plain_answers):
        assert a.unit.line == b.unit.line + shift
        assert [m.line for m in a.metrics.values()] == [m.line + shift for m in b.metrics.values()]


def test_traditional_characters_in_the_text_and_in_the_answers(prof):
    spec = _spec(prof, "prose_report", variant="project_self", layout="prose")
    text, answers = render_file(prof, dataclasses.replace(spec, shapes=("traditional",)))
    first, body = text.split("\n", 1)
    assert first.startswith("【演示数据】") and "報告" in body and "报告" not in body
    a = answers[0]
    assert a.unit.name in body and a.project_name in body
    assert any(ch in a.unit.name + a.project_name for ch in "會縣區團聯協衛醫學貼動職")


def test_ocr_misreads_the_symbols_but_the_answers_keep_what_was_meant(prof):
    for key in prof.projects:
        spec = _spec(prof, "national_project_form", layout="tab_rows", project_keys=(key,))
        text, answers = render_file(prof, dataclasses.replace(spec, shapes=("ocr",)))
        meant = [i for a in answers for i in a.indicators if (i.target_raw or "").startswith(("≥9", "≤"))]
        if meant:
            break
    assert meant, "no ≥9x% or ≤ target to misread"
    body = text.split("\n", 1)[1]
    assert "≤" not in body and not re.search(r"≥(?:[5-9]\d|100)%", body)
    for ind in meant:
        misread = "W" + ind.target_raw[1:] if ind.target_raw.startswith("≤") else "2" + ind.target_raw[1:]
        assert misread.replace("万元", "万兀") in body or misread in body
    for a in answers:  # a metric's raw is as the file has it
        for m in a.metrics.values():
            assert m.raw in text.split("\n")[m.line - 1]


def test_two_documents_in_one_text(prof):
    tails = pairs = 0
    for seq in range(1, 40):
        spec = dataclasses.replace(_spec(prof, "prose_report", variant="project_self", layout="prose"), seq=seq,
                                   shapes=("two_docs",), year=YEARS[seq % 2])
        text, answers = render_file(prof, spec)
        lines = text.split("\n")
        if len(answers) == 2:
            pairs += 1
            a, b = answers
            assert a.project_name != b.project_name
            assert a.project_name in text and b.project_name in text
        else:
            tails += 1
            assert "|" in lines[1]  # another project's table tail comes first
            assert all(m.line > 5 for m in answers[0].metrics.values())  # nothing of it is expected
        if tails and pairs:
            break
    assert tails and pairs


def test_projects_report_states_the_total_not_a_project_name(prof):
    spec = _spec(prof, "prose_report", variant="projects_self", layout="prose", project_keys=tuple(prof.projects[:3]))
    text, answers = render_file(prof, spec)
    a = answers[0]
    assert a.project_name is None
    total = a.metrics["budget_adjusted_yuan"]
    line = text.split("\n")[total.line - 1]
    parts = [float(x) for x in re.findall(r"([\d.]+)万元", line.split("分别为")[1])]
    assert abs(sum(parts) * 10_000 - float(total.value)) < 0.01


def test_pdf_with_columns_reads_back_interleaved():
    from loaders.read import read_bytes

    text = "【演示数据】x\n标题\n\t名称\t" + "甲" * 60 + "\t" + "乙" * 60 + "\t10\n正文\n"
    data = to_pdf_columns(text)
    assert data == to_pdf_columns(text)  # invariant: the same bytes every time
    read = "\n".join(read_bytes(data, "x.pdf").lines)
    # the first cell's second piece comes after the second cell's first piece: the columns interleave
    assert re.search(r"甲+[^甲]*乙+[^乙]*甲+", read), read
