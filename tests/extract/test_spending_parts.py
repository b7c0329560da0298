"""Spec of three general rules added with the families' slimming: the parts of the year's
spending are read only from a breakdown of the spending (not of a budget or of income), an
amount "in 元" with more than two decimals is not read as a part, and a money grid of one row
with no label cell is read when its header states the unit. Plus one synonym: 实际政府采购金额."""

from __future__ import annotations

from decimal import Decimal

from loaders.extract import run

D = Decimal

BUDGET_THEN_SPENDING = [
    "某县总工会2022年度部门整体支出绩效评价报告",
    "2022年部门支出预算为332.87万元，其中：基本支出72.79万元，项目支出260.08万元。",
    "调整后全年预算支出数为334.04万元，其中：基本支出51.75万元(人员经费41.78万元、公用经费9.97万元),项目支出282.29万元。",
    "年末决算支出为341.99万元，其中：基本支出59.70万元(人员经费47.84万元、公用经费11.86万元)，项目支出282.29万元。",
]


def _metrics(lines):
    (ev,) = run(lines)
    return {k: m.value for k, m in ev.metrics.items()}


def test_the_parts_of_the_spending_not_of_the_budget():
    m = _metrics(BUDGET_THEN_SPENDING)
    assert m["exp_basic_yuan"] == D("597000")
    assert m["exp_personnel_yuan"] == D("478400")
    assert m["exp_public_operating_yuan"] == D("118600")
    assert m["exp_project_yuan"] == D("2822900")


def test_a_budgets_parts_alone_are_not_the_spendings():
    m = _metrics(BUDGET_THEN_SPENDING[:2])
    assert not {"exp_basic_yuan", "exp_project_yuan"} & set(m)


def test_parts_in_yuan_with_four_decimals_are_not_read():
    lines = BUDGET_THEN_SPENDING[:1] + ["年末决算支出为218.39万元，其中：基本支出40.50万元(人员经费35.1657 元、公用经费5.3351 元)，项目支出177.89万元。"]
    m = _metrics(lines)
    assert m["exp_basic_yuan"] == D("405000")
    assert "exp_personnel_yuan" not in m and "exp_public_operating_yuan" not in m


def test_actual_procurement_amount():
    m = _metrics(["某县总工会2021年度部门整体支出绩效自评报告", "政府采购预算12万元，实际政府采购金额11.8万元。"])
    assert (m["procurement_budget_yuan"], m["procurement_actual_yuan"]) == (D(120000), D(118000))


def test_a_money_grid_without_a_label_cell():
    head = "| 年初预算数（万元） | 全年预算数（万元） | 全年执行数（万元） | 执行率 |"
    m = _metrics(["单位名称：某县总工会", head, "| 50 | 52 | 49.4 | 95% |"])
    assert (m["budget_initial_yuan"], m["budget_adjusted_yuan"], m["expenditure_yuan"], m["budget_exec_pct"]) == (
        D(500000), D(520000), D(494000), D(95))
    # without a stated unit nothing says the figures are 万元: not read
    bare = _metrics(["单位名称：某县总工会", "| 年初预算数 | 全年执行数 |", "| 50 | 49 |"])
    assert "budget_initial_yuan" not in bare and "expenditure_yuan" not in bare
