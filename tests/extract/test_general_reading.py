"""Documents no template family knows, read by the general strategies alone (loaders/extract,
source.family "general", low confidence): small hand-written snippets of forms (a
Sichuan-style table, a Hubei-style narrative), and text that is not a report at all. Only
numbers that a label governs are read, and none is invented.

(These snippets were written for the old fallback extractor, which the general strategies
replaced; the facts asserted are the same.)
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders.families import FAMILIES
from loaders.parse import parse_document
from loaders.read import read_bytes

D = Decimal


def _doc(text: str, name: str = "snippet.txt"):
    return read_bytes(text.encode("utf-8"), name)


def _read(text: str):
    result = parse_document(_doc(text), "snippet.txt")
    return result.evaluations


def flags(ev, code):
    return [f for f in ev.quality_flags if f.code == code]


SICHUAN_TABLE = """附件3
苍溪县总工会2022年度项目绩效自评结果表
单位名称：苍溪县总工会
项目名称：职工服务阵地建设
| 年初预算数（万元） | 全年预算数（万元） | 全年执行数（万元） | 执行率 |
| 50 | 52 | 49.4 | 95% |
| 总分 | 92 |
评价等次：优
"""

HUBEI_NARRATIVE = """秭归县总工会2021年度部门整体支出绩效自评报告
一、部门基本情况
2021年年初预算数为320.5万元，全年预算数为335万元，全年执行数为330.2万元，预算执行率为98.57%。
政府采购预算12万元，实际政府采购金额11.8万元。“三公”经费预算3万元，“三公”经费支出2.1万元。
二、自评结论
本单位成立自评工作组，按评分标准逐项打分：预算执行率为100%得满分，每低1个百分点扣0.1分。
经自评，综合得分95.5分，评价等级为优秀。
"""


def test_no_family_claims_the_snippets():
    for text in (SICHUAN_TABLE, HUBEI_NARRATIVE):
        doc = _doc(text)
        assert all(f.detect(doc) < 0.5 for f in FAMILIES)


def test_sichuan_style_table():
    (ev,) = _read(SICHUAN_TABLE)
    assert ev.unit.name == "苍溪县总工会" and ev.unit.line == 3
    assert ev.fiscal_year == 2022
    assert ev.project_name == "职工服务阵地建设"
    assert ev.report_kind == "project"
    assert ev.evaluation_mode == "self"
    m = ev.metrics
    # a row of figures under a header of money columns, with no label cell (the unit from the
    # header cells)
    assert (m["budget_initial_yuan"].value, m["budget_initial_yuan"].raw, m["budget_initial_yuan"].line) == (D(500000), "50", 6)
    assert m["budget_adjusted_yuan"].value == D(520000)
    assert m["expenditure_yuan"].value == D(494000)
    assert m["budget_exec_pct"].value == D(95)
    assert ev.total_score == D(92)
    assert (ev.grade_raw, ev.grade) == ("优", "优")
    assert ev.confidence == "low"
    assert flags(ev, "low_confidence")


def test_hubei_style_narrative():
    (ev,) = _read(HUBEI_NARRATIVE)
    assert ev.unit.name == "秭归县总工会" and ev.unit.line == 1
    assert ev.fiscal_year == 2021
    assert ev.report_kind == "department_overall"
    assert ev.evaluation_mode == "self"
    got = {name: (m.value, m.raw, m.line) for name, m in ev.metrics.items()}
    assert got == {
        "budget_initial_yuan": (D(3205000), "320.5万元", 3),
        "budget_adjusted_yuan": (D(3350000), "335万元", 3),
        "expenditure_yuan": (D(3302000), "330.2万元", 3),
        "budget_exec_pct": (D("98.57"), "98.57%", 3),
        "procurement_budget_yuan": (D(120000), "12万元", 4),
        "procurement_actual_yuan": (D(118000), "11.8万元", 4),
        "three_public_budget_yuan": (D(30000), "3万元", 4),
        "three_public_actual_yuan": (D(21000), "2.1万元", 4),
    }
    assert ev.total_score == D("95.5")
    assert (ev.grade_raw, ev.grade) == ("优秀", "优")
    assert ev.confidence == "low" and flags(ev, "low_confidence")


def test_a_scoring_rule_is_not_a_stated_rate():
    text = "单位名称：秭归县总工会\n评分标准：预算执行率为100%得满分，每低1个百分点扣0.1分。\n"
    (ev,) = _read(text)
    assert "budget_exec_pct" not in ev.metrics


def test_numbers_without_their_label_are_not_read():
    # "共支出500万元" names the year's spending (the prose rules read it); the count (30场) and
    # the praise (成绩优) are not under any label
    text = "秭归县总工会工作总结\n本年度共支出500万元，开展活动30场，职工满意，成绩优。\n"
    (ev,) = _read(text)
    assert set(ev.metrics) == {"expenditure_yuan"}
    assert ev.total_score is None and ev.grade is None


def test_a_bare_number_with_no_unit_anywhere_is_not_money():
    text = "单位名称：秭归县总工会\n| 年初预算数 | 全年执行数 |\n| 50 | 49 |\n"
    (ev,) = _read(text)
    assert "budget_initial_yuan" not in ev.metrics and "expenditure_yuan" not in ev.metrics


def test_a_grade_scale_is_not_a_grade():
    text = "单位名称：秭归县总工会\n评价等级分为优、良、中、差四档。\n"
    (ev,) = _read(text)
    assert ev.grade is None


def test_a_score_alone_is_enough():
    (ev,) = _read("某项目绩效评价\n综合评价得分88.5分。\n")
    assert ev.unit.name is None and ev.total_score == D("88.5")
    assert not flags(ev, "region_unresolved")


@pytest.mark.parametrize(
    "text",
    [
        "今天天气很好，我们去公园散步，买了两瓶水，一共花了10元。\n明天继续。\n",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\nTotal: 100\n",
        "会议纪要\n一、会议时间：3月5日\n二、参会人员：张三、李四\n三、议题：讨论全县工会工作，我县总工会将加强宣传。\n",
    ],
    ids=["chinese_prose", "latin", "minutes"],
)
def test_random_text_gives_nothing(text):
    assert _read(text) == []


def test_a_document_no_family_knows_is_read_by_the_general_strategies():
    result = parse_document(_doc(HUBEI_NARRATIVE), "hubei.txt")
    assert result.source.family == "general"
    assert result.error is None
    (ev,) = result.evaluations
    assert ev.confidence == "low"


def test_parse_reports_an_error_for_text_without_facts():
    result = parse_document(_doc("今天天气很好。\n"), "prose.txt")
    assert result.evaluations == [] and result.error
    assert result.source.family is None


def test_a_spending_label_followed_by_its_rate_one_value_per_line():
    from decimal import Decimal

    from loaders import extract

    lines = ["金额单位:", "万元", "预算安排情况(调整后)", "资金到位情况", "资金执行情况", "预算执行进度(%)",
             "预算数", "45.00", "到位数", "45.00", "执行数", "43.65", "97.00", "其中:财政资金", "30.00"]
    m = extract.run(lines)[0].metrics
    assert (m["expenditure_yuan"].value, m["budget_exec_pct"].value) == (Decimal("436500"), Decimal("97.00"))
    # a second figure that is not the rate leaves both unread
    lines[12] = "12.00"
    m = extract.run(lines)[0].metrics
    assert "expenditure_yuan" not in m and "budget_exec_pct" not in m


def test_a_spending_label_followed_by_its_rate_in_a_space_separated_row():
    from decimal import Decimal

    from loaders import extract

    lines = ["一、基本情况 项目名称: 高龄津贴 金额单位: 万元",
             "二、预算执行情况 预算安排情况(调整后) 资金到位情况 资金执行情况 预算执行进度(%)",
             "预算数 8.40 到位数 8.40 执行数 8.19 97.50",
             "其中:财政资金 8.40 其中:财政资金 8.40 其中:财政资金 8.19"]
    m = extract.run(lines)[0].metrics
    assert (m["expenditure_yuan"].value, m["budget_exec_pct"].value) == (Decimal("81900"), Decimal("97.50"))


def test_a_total_row_with_its_full_marks_and_its_score_across_empty_cells():
    from decimal import Decimal

    from loaders.extract import labels, make_context

    # the full marks, then the score (the label reader took the 100 before, which met the
    # table's 96.50 and left the total absent)
    got = {c.field: c.value for c in labels.read(make_context(["总分\t100\t\t\t\t\t96.50\t"]))}
    assert got == {"total_score": Decimal("96.50")}
    # two figures of which the first is not the full marks: not said which is the score
    assert labels.read(make_context(["总分\t95\t\t96.50"])) == []
    from loaders import extract

    lines = ["一级指标\t二级指标\t三级指标\t分值\t年度指标值\t全年实际值\t得分",
             "产出指标\t数量指标\t开放文化站数量\t50\t8个\t8个\t50",
             "满意度指标\t服务对象满意度指标\t群众满意度\t50\t≥90%\t91.5%\t46.5",
             "总分\t100\t\t\t\t\t96.50\t"]
    assert extract.run(lines)[0].total_score == Decimal("96.50")


def test_a_money_table_turned_sideways_gives_its_total_column():
    from decimal import Decimal

    from loaders import extract

    lines = ["| 资金情况(万元) | 合计 | 基本支出 | 项目支出 |",
             "| 年初预算数 | 186.40 | 142.60 | 43.80 |",
             "| 全年预算数 | 201.75 | 145.15 | 56.60 |",
             "| 全年执行数 | 195.32 | 145.15 | 50.17 |",
             "| 执行率 | 96.81% | 100.00% | 88.64% |"]
    m = extract.run(lines)[0].metrics
    assert (m["budget_initial_yuan"].value, m["budget_adjusted_yuan"].value, m["expenditure_yuan"].value,
            m["budget_exec_pct"].value) == (Decimal("1864000"), Decimal("2017500"), Decimal("1953200"), Decimal("96.81"))
    # without a 合计 heading over the column, three figures beside a label say nothing certain
    m = extract.run(["| 资金情况(万元) | 财政拨款 | 基本支出 | 项目支出 |"] + lines[1:])[0].metrics
    assert "budget_initial_yuan" not in m and "expenditure_yuan" not in m
