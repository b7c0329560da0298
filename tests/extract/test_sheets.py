"""Spec of the basic-data sheet strategy (loaders/extract/sheets.py): staffing header rows over
their figures, and tables with one column per year and kind, read the same way in any
province's sheet and whatever the document's template."""

from __future__ import annotations

from decimal import Decimal

from loaders.extract import run
from loaders.extract.base import make_context
from loaders.extract.sheets import read

D = Decimal


def _metrics(text: str) -> dict:
    (ev,) = run(text.split("\n"))
    return {k: (m.value, m.raw, m.line) for k, m in ev.metrics.items()}


SHEET = """某县总工会2022年度部门整体支出绩效评价基础数据表
单位：万元
人员情况\t核定编制\t2022年实有人数\t人员控制率
\t20\t18\t90%
项目\t2021年决算数\t2022年预算数\t2022年执行数
一、“三公”经费合计\t5.1\t4\t3.5
(2)公务接待费\t1.2\t1\t0.8
政府采购总额\t—\t30\t28.5
"""


def test_staffing_figures_under_their_labels():
    got = _metrics(SHEET)
    assert got["headcount_authorised"] == (D(20), "20", 4)
    assert got["headcount_actual"] == (D(18), "18", 4)
    assert got["staffing_control_pct"] == (D(90), "90%", 4)


def test_the_evaluated_years_columns_only():
    got = _metrics(SHEET)
    assert got["three_public_budget_yuan"] == (D(40000), "4", 6)
    assert got["three_public_actual_yuan"] == (D(35000), "3.5", 6)  # not 2021's 5.1
    assert got["official_reception_yuan"] == (D(8000), "0.8", 7)
    assert got["procurement_budget_yuan"] == (D(300000), "30", 8)
    assert got["procurement_actual_yuan"] == (D(285000), "28.5", 8)


def test_each_figure_carries_its_columns_year():
    cands = read(make_context(SHEET.split("\n")))
    years = {(c.field, c.year) for c in cands if c.field.startswith("three_public")}
    assert years == {("three_public_actual_yuan", 2021), ("three_public_budget_yuan", 2022),
                     ("three_public_actual_yuan", 2022)}


def test_without_a_money_unit_no_amount_is_read_and_the_sheet_says_so():
    (ev,) = run(SHEET.replace("单位：万元\n", "").split("\n"))
    assert not any(k.endswith("_yuan") for k in ev.metrics)
    assert ev.metrics["headcount_actual"].value == 18  # counts need no unit
    assert [f.code for f in ev.quality_flags if f.code == "unit_missing"] == ["unit_missing"]


def test_a_row_the_vocabulary_does_not_know_is_not_read():
    text = SHEET.replace("政府采购总额", "其他支出")
    assert not any(k.startswith("procurement") for k in _metrics(text))


def test_one_year_column_is_no_year_table():
    """A single "2022年预算数" column is a money grid's (read by the grid strategy), not a sheet
    of years and kinds."""
    text = "单位：万元\n项目\t2022年预算数\t备注\n“三公”经费\t4\t\n"
    assert not [c for c in read(make_context(text.split("\n"))) if c.field.startswith("three_public")]
