"""Spec tests for the table strategies: invented texts in every layout → the facts they state.

Each case is text in, facts out (the style of Recognizers-Text specs); none is copied from a
real report. The same table written in four layouts must give the same facts.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders import extract
from loaders.extract import grid, indicators, labels, make_context
from loaders.extract.rows import build_rows
from loaders.extract.tables import role_of

MONEY_HEADER = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
TOTAL_ROW = ["年度资金总额", "50", "48", "45.6", "10", "95%", "9.5"]
IND_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
IND_ROWS = [
    ["产出指标", "数量指标", "指标1:慰问困难职工户数", "≥120户", "131户", "20", "20", ""],
    ["质量指标", "指标1:资金发放准确率", "100%", "98%", "20", "18", "个别信息有误"],
    ["满意度指标", "服务对象满意度指标", "指标1:受助职工满意度", "≥90%", "96%", "10", "10", ""],
]
EXPECTED_INDICATORS = [
    ("指标1:慰问困难职工户数", Decimal(20), Decimal(20), "≥120户", "131户", "产出指标", "数量指标"),
    ("指标1:资金发放准确率", Decimal(20), Decimal(18), "100%", "98%", "产出指标", "质量指标"),
    ("指标1:受助职工满意度", Decimal(10), Decimal(10), "≥90%", "96%", "满意度指标", "服务对象满意度指标"),
]


def pipe_layout() -> list[str]:
    rows = [["项目资金(万元)"] + MONEY_HEADER, TOTAL_ROW, IND_HEADER] + IND_ROWS
    return ["某县总工会项目支出绩效自评表"] + [" | ".join(r) + " |" for r in rows]


def tab_layout() -> list[str]:
    rows = [["项目资金(万元)"] + MONEY_HEADER, TOTAL_ROW, IND_HEADER] + IND_ROWS
    return ["某县总工会项目支出绩效自评表"] + ["\t".join(r) for r in rows]


def cell_per_line_layout() -> list[str]:
    """One value per line, blank lines between cells, a single space for an empty cell."""
    out = ["某县总工会项目支出绩效自评表", "", "项目资金(万元)", ""]
    for cell in MONEY_HEADER + TOTAL_ROW + IND_HEADER + [c for r in IND_ROWS for c in r]:
        out += [cell or " ", ""]
    return out


def space_rows_layout() -> list[str]:
    """One table row per line, cells separated by spaces (empty cells vanish)."""
    rows = [["项目资金"] + MONEY_HEADER, ["(万元)"] + TOTAL_ROW, IND_HEADER] + IND_ROWS
    return ["某县总工会项目支出绩效自评表"] + [" ".join(c for c in r if c) for r in rows]


LAYOUTS = {"pipe": pipe_layout, "tab": tab_layout, "cell_per_line": cell_per_line_layout, "space_rows": space_rows_layout}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_money_grid_in_every_layout(layout):
    ctx = make_context(LAYOUTS[layout]())
    got = {c.field: c.value for c in grid.read(ctx)}
    assert got == {
        "budget_initial_yuan": Decimal(500_000),
        "budget_adjusted_yuan": Decimal(480_000),
        "expenditure_yuan": Decimal(456_000),
        "budget_exec_pct": Decimal(95),
    }


@pytest.mark.parametrize("layout", LAYOUTS)
def test_indicator_table_in_every_layout(layout):
    ctx = make_context(LAYOUTS[layout]())
    got = [(i.level3, i.weight, i.score, i.target_raw, i.actual_raw, i.level1, i.level2) for i in indicators.read(ctx)]
    assert got == EXPECTED_INDICATORS


def test_columns_in_another_order_follow_the_header():
    # family R: 分值 before the target; no note column
    lines = [" | ".join(r) for r in [
        ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分"],
        ["产出指标", "数量指标", "救助人次", "10", "≥80人次", "95人次", "10"],
    ]]
    (ind,) = indicators.read(make_context(lines))
    assert (ind.weight, ind.target_raw, ind.actual_raw, ind.score) == (Decimal(10), "≥80人次", "95人次", Decimal(10))


def test_a_table_without_weights_reads_the_scores():
    lines = [" | ".join(r) for r in [
        ["一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
        ["产出指标", "数量指标", "改造户数", "200户", "200户", "20"],
    ]]
    (ind,) = indicators.read(make_context(lines))
    assert (ind.weight, ind.score, ind.target_raw) == (None, Decimal(20), "200户")


def test_a_row_that_splits_two_ways_is_not_read():
    # space-separated, one token too many: the name could be "甲 乙" or the target "乙 丙"
    lines = ["一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分", "产出指标 数量指标 甲 乙 丙 丁 10 10"]
    assert indicators.read(make_context(lines)) == []


def test_a_score_that_is_not_a_number_leaves_the_row_unread():
    lines = [" | ".join(r) for r in [
        ["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["职工满意度", "≥90%", "95%", "十分", "10"],
    ]]
    assert indicators.read(make_context(lines)) == []


def test_money_row_with_fewer_figures_places_only_what_is_certain():
    # one amount for the two money columns: which one is not said; the rate and score are
    lines = [" | ".join(r) for r in [["预算执行情况(万元)", "预算数(A)", "执行数(B)", "执行率(B/A)", "得分"],
                                     ["部门整体支出总额", "880", "100%", "20"]]]
    got = {c.field: c.value for c in grid.read(make_context(lines))}
    assert got == {"budget_exec_pct": Decimal(100)}


def test_money_in_yuan_when_the_table_says_so():
    lines = [" | ".join(r) for r in [["项目资金(元)", "全年预算数", "全年执行数", "执行率"], ["年度资金总额", "120000.00", "90000.00", "75%"]]]
    got = {c.field: c.value for c in grid.read(make_context(lines))}
    assert got["budget_adjusted_yuan"] == Decimal(120000) and got["expenditure_yuan"] == Decimal(90000)


@pytest.mark.parametrize("declared, budget", [("金额单位:元", Decimal("1842635.00")), ("单位：万元", Decimal("18426350000")), (None, None)])
def test_money_unit_declared_above_the_table(declared, budget):
    # the unit stated once above the form, far from the money table's header
    lines = ([declared] if declared else []) + ["单位名称 | 某镇人民政府", "年度目标 | 完成村道硬化12公里", "按资金来源 | 绩效", "备注 | 无",
                                                 "年度部门整体支出规模 | 全年预算数 | 全年执行数 | 执行率", "合计 | 1,842,635.00 | 1,790,382.05 | 97.16%"]
    got = {c.field: c.value for c in grid.read(make_context(lines))}
    # no unit stated: amounts of 100亿元 or more in 万元 (plausible in 元) are not read, and the
    # table says why
    assert got.get("budget_adjusted_yuan") == budget and got.get("budget_exec_pct") == Decimal("97.16")
    assert (got.get("quality_flag") == "unit_missing") == (declared is None)


def test_rate_as_a_fraction_is_a_percentage():
    lines = ["项目资金 全年预算数 全年执行数 执行率", "(万元) 年度资金总额 20 18 0.9"]
    got = {c.field: c.value for c in grid.read(make_context(lines))}
    assert got["budget_exec_pct"] == Decimal(90)


@pytest.mark.parametrize("lines, field, value", [
    (["人员编制", "", "35", "", "实有人数", "", "33"], "headcount_authorised", Decimal(35)),
    (["人员编制", "", "35", "", "实有人数", "", "33"], "headcount_actual", Decimal(33)),
    (["人员编制 | 35 | 实有人数 | 33"], "headcount_actual", Decimal(33)),
    (["总分 | 92.5"], "total_score", Decimal("92.5")),
    (["金额单位:万元", "预算数 6.5 执行数 6.5"], "expenditure_yuan", Decimal(65000)),
])
def test_label_value_cells(lines, field, value):
    got = {c.field: c.value for c in labels.read(make_context(lines))}
    assert got.get(field) == value


def test_a_label_with_two_figures_beside_it_is_not_read():
    # 总分 | 95 | 92: two figures in columns the row does not name
    assert labels.read(make_context(["总分 | 95 | 92"])) == []
    # but 100 first is the full marks and the other the score (session 7; as the glued reader's
    # "总分10098.6" = 100 | 98.6)
    assert [(c.field, c.value) for c in labels.read(make_context(["总分 | 100 | 92"]))] == [("total_score", Decimal("92"))]


def test_money_label_without_a_unit_is_not_read():
    assert labels.read(make_context(["预算数 | 6.5"])) == []


def test_header_roles_come_from_the_lexicon():
    assert role_of("年度 ", "indicator") == "target"  # the first half of a wrapped header cell
    assert role_of("执行率(B/A)", "money") == "rate"
    assert role_of("得分 (20分*执行率)", "money") == "score"
    assert role_of("项目名称", "money") is None
    assert role_of("满分", "indicator") == "weight" and role_of("自评分", "indicator") == "score"


def test_total_row_one_value_per_line_with_empty_cells_before_its_figures():
    # one value per line, the empty cells of the total row kept as single-space lines
    lines = ["一级指标", "二级指标", "三级指标", "年度目标值", "实际完成值", "满分", "自评分",
             "产出指标", "数量指标", "走访企业", "≥50家", "61家", "60", "60",
             "满意度指标", "服务对象满意度", "企业满意度", "≥90%", "92%", "40", "39.5",
             "合计", " ", " ", " ", " ", "100", "99.5", " ", "填报日期:2024年3月1日"]
    ctx = make_context(lines)
    assert [(i.level3, i.weight, i.score) for i in indicators.read(ctx)] == [
        ("走访企业", Decimal(60), Decimal(60)), ("企业满意度", Decimal(40), Decimal("39.5"))]
    assert [c.value for c in indicators.totals(ctx)] == [Decimal("99.5")]


def test_cell_per_line_pipe_layout_is_one_cell_per_row():
    # each cell on its own line ending in " |", a lone "|" for an empty cell, runs of pipes
    lines = ["项目名称 |", "临时救助 |", "|", "||||", "主管部门 |", "某县民政局 |", "||||"] * 2
    rows = build_rows(lines)
    assert [r.texts for r in rows][:4] == [["项目名称"], ["临时救助"], [""], ["主管部门"]]
    assert not any(r.delimited for r in rows)


def test_one_cell_per_line_after_a_tab_is_a_lone_cell():
    # the layout the .txt converters write for Word tables: "\tcell" per line, "\t" when empty;
    # the money grid must not take the TAB for an empty first column
    lines = ["\t项目资金(万元)", "\t", "\t年初预算数", "\t全年预算数", "\t全年执行数", "\t执行率", "",
             "\t年度资金总额", "\t40", "\t42", "\t41", "\t97.62%"]
    got = {c.field: c.value for c in grid.read(make_context(lines))}
    assert got == {"budget_initial_yuan": Decimal(400000), "budget_adjusted_yuan": Decimal(420000),
                   "expenditure_yuan": Decimal(410000), "budget_exec_pct": Decimal("97.62")}


def test_rows_as_long_as_a_one_row_header_align_by_position():
    # level labels the lexicon does not know (目标设定) are still labels in their column; a rule
    # column between the name and the score; the deduction note left empty
    lines = ["\t".join(r) for r in [
        ["一级指标", "二级指标", "三级指标", "评分标准", "得分", "扣分说明"],
        ["投入(20分)", "目标设定(8分)", "绩效目标合理性(4分)", "依据充分得满分", "4", ""],
        ["", "", "绩效指标明确性(4分)", "每缺一项扣1分", "3", "部分指标未量化"],
    ]]
    got = [(i.level1, i.level2, i.level3, i.score) for i in indicators.read(make_context(lines))]
    assert got == [("投入(20分)", "目标设定(8分)", "绩效目标合理性(4分)", Decimal(4)),
                   ("投入(20分)", "目标设定(8分)", "绩效指标明确性(4分)", Decimal(3))]


def test_a_row_short_of_a_value_column_is_not_aligned_by_position():
    # the header has a merged vertical label column the rows do not repeat: aligned by
    # position the name would fall under 二级指标; read from the right instead
    lines = [" | ".join(r) for r in [
        ["年度绩效指标", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
        ["产出指标", "数量指标", "调处矛盾纠纷", "143件", "143件", "10"],
    ]]
    (ind,) = indicators.read(make_context(lines))
    assert (ind.level1, ind.level2, ind.level3, ind.target_raw, ind.score) == ("产出指标", "数量指标", "调处矛盾纠纷", "143件", Decimal(10))


def test_total_row_and_weights_stated_in_the_names():
    lines = ["\t".join(r) for r in [
        ["一级指标", "二级指标", "三级指标", "评分标准", "得分"],
        ["过程", "预算执行", "预算完成率(10分)", "100%得满分", "9.6"],
        ["产出", "职责履行", "重点工作完成率(15分)", "完成得满分", "15"],
        ["合计", "", "", "", "24.6"],
    ]]
    from loaders.extract import indicators as ind_mod

    ctx = make_context(lines)
    assert [(i.level3, i.weight, i.score) for i in ind_mod.read(ctx)] == [
        ("预算完成率(10分)", Decimal(10), Decimal("9.6")), ("重点工作完成率(15分)", Decimal(15), Decimal(15))]
    assert [(c.field, c.value) for c in ind_mod.totals(ctx)] == [("total_score", Decimal("24.6"))]


@pytest.mark.parametrize("row, total", [
    (["总分", "100", "96.5"], Decimal("96.5")),  # 分值 then 得分
    (["总分", "96.5"], Decimal("96.5")),
    (["总分", "90", "85"], None),  # two figures, neither the full 100: which is the score is not said
    (["合计", "100", "", "", "100", "97"], Decimal(97)),  # the levels' weights, the indicators', then the score
    (["合计", "100", "90", "85"], None),
])
def test_total_row_figures(row, total):
    from loaders.extract import indicators as ind_mod

    lines = [" | ".join(r) for r in [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
                                     ["产出指标", "数量指标", "活动次数", "10次", "12次", "100", "96.5"], row]]
    got = [c.value for c in ind_mod.totals(make_context(lines))]
    assert got == ([total] if total is not None else [])


def test_a_label_written_in_full_wins_over_the_short_form_of_another():
    # fields.toml has "预算数(年初)" (initial) and "预算数" (full-year budget): a bare 预算数 is
    # the full-year budget, whatever order the labels are listed in
    got = {c.field: c.value for c in labels.read(make_context(["金额单位:万元", "预算数 6.12 到位数 6.12"]))}
    assert got == {"budget_adjusted_yuan": Decimal(61200)}


def test_a_line_without_a_tab_after_a_tab_cell_is_the_rest_of_that_cell():
    # "\t经济效益" / "指标": one cell over two lines; the bare 指标 is not an indicator's name
    head = ["\t一级指标", "\t二级指标", "\t三级指标", "\t年度指标值", "\t实际完成值", ""]
    body = ["\t效益指标", "\t经济效益", "指标", "\t指标1:带动职工创新", "\t有效带动", "\t有效带动", ""]
    inds = indicators.read(make_context(head + body))
    assert [(i.level2, i.level3, i.target_raw) for i in inds] == [("经济效益指标", "指标1:带动职工创新", "有效带动")]


def test_a_table_without_level_columns_reads_every_name_as_an_indicator():
    # 服务对象满意度 reads like a level-2 label, but this table has no level columns
    lines = [" | ".join(r) for r in [
        ["绩效指标", "指标名称", "计量单位", "年初指标值", "全年完成值", "指标权重(分)", "指标得分(分)"],
        ["", "服务对象满意度", "%", "90", "96", "10", "10"],
    ]]
    (ind,) = indicators.read(make_context(lines))
    assert (ind.level3, ind.actual_raw, ind.score) == ("服务对象满意度", "96", Decimal(10))
    # the unit stands in its own column: the value is a percentage, the raw text as written
    assert ind.actual.unit == "pct" and ind.actual.value == Decimal(96)


def test_a_grid_whose_label_is_the_header_s_first_cell():
    lines = [" | ".join(r) + " |" for r in [
        ["部门预算执行情况(万元)", "年初预算数", "全年(调整)预算数", "全年执行数", "执行率(%)"],
        ["", "120.00", "125.00", "120.00", "96.00%"],
    ]]
    got = {c.field: c.value for c in grid.read(make_context(lines))}
    assert got == {"budget_initial_yuan": Decimal(1200000), "budget_adjusted_yuan": Decimal(1250000),
                   "expenditure_yuan": Decimal(1200000), "budget_exec_pct": Decimal(96)}


def test_a_flattened_line_is_cut_into_one_row_per_indicator():
    line = ("绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 "
            "产出指标 数量指标 整治村数 8个 8个 10 10 质量指标 验收合格率 ≥95% 96% 10 9 个别返工 "
            "满意度指标 服务对象满意度指标 群众满意度 ≥90% 93% 20 19 总分 100 93.5")
    from loaders.extract import indicators as ind_mod

    ctx = make_context([line])
    got = [(i.level2, i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in ind_mod.read(ctx)]
    assert got == [("数量指标", "整治村数", "8个", "8个", Decimal(10), Decimal(10)),
                   ("质量指标", "验收合格率", "≥95%", "96%", Decimal(10), Decimal(9)),
                   ("服务对象满意度指标", "群众满意度", "≥90%", "93%", Decimal(20), Decimal(19))]
    assert [c.value for c in ind_mod.totals(ctx)] == [Decimal("93.5")]


def test_a_name_that_reads_like_a_level_label_in_a_full_row():
    lines = [" | ".join(r) + " |" for r in [["一级指标", "二级指标", "三级指标", "分值", "得分"],
                                             ["效果", "满意度", "服务对象满意度", "10", "7"]]]
    (ind,) = indicators.read(make_context(lines))
    assert (ind.level1, ind.level2, ind.level3, ind.weight, ind.score) == ("效果", "满意度", "服务对象满意度", Decimal(10), Decimal(7))


def test_several_indicators_of_one_level_in_a_flattened_line():
    line = ("绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 "
            "产出指标 数量指标 培训期数 ≥3期 3期 15 15 恳谈会次数 ≥4次 4次 10 10 质量指标 培训合格率 ≥95% 97% 10 10")
    got = [(i.level2, i.level3, i.target_raw, i.score) for i in indicators.read(make_context([line]))]
    assert got == [("数量指标", "培训期数", "≥3期", Decimal(15)), ("数量指标", "恳谈会次数", "≥4次", Decimal(10)),
                   ("质量指标", "培训合格率", "≥95%", Decimal(10))]


def test_a_grade_in_the_cell_after_the_total():
    from loaders.extract import indicators as ind_mod

    lines = [" | ".join(r) for r in [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
                                     ["产出指标", "数量指标", "活动次数", "10次", "12次", "100", "92"],
                                     ["总分", "100", "92", "优"]]]
    got = {c.field: c.value for c in ind_mod.totals(make_context(lines))}
    assert got == {"total_score": Decimal(92), "grade_raw": "优"}


def test_a_place_name_opening_with_yuan_is_not_the_money_unit():
    # "实施单位 元X县…" above the grid: 单位 followed by 元 names a place, not 单位:元
    lines = ["项目名称 某项目", "主管部门 元谋县农业农村局 实施单位 元谋县某镇人民政府",
             "项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分",
             "年度资金总额 0 60.00 58.20 10 97.00% 9.7"]
    ev = extract.run(lines)[0]
    assert ev.metrics["budget_adjusted_yuan"].value == Decimal(600000)
    assert ev.metrics["expenditure_yuan"].value == Decimal(582000)


def test_a_score_column_left_empty_throughout_reads_the_weights():
    # a .doc run into one line, its 得分 column not yet filled: name, target, actual, 分值
    line = ("绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 产出指标 数量指标 "
            "来访接待件数 ≥150件 168件 10 开展联谊活动 ≥12场 14场 10 质量指标 帮扶资金发放准确率 100% 100% 10 "
            "时效指标 信访事项按期办结率 ≥95% 97.6% 10 满意度指标 服务对象满意度指标 群众满意度 ≥90% 95.2% 15 总分 100 94")
    rows = indicators.read(make_context([line]))
    assert [(i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in rows] == [
        ("来访接待件数", "≥150件", "168件", Decimal(10), None), ("开展联谊活动", "≥12场", "14场", Decimal(10), None),
        ("帮扶资金发放准确率", "100%", "100%", Decimal(10), None), ("信访事项按期办结率", "≥95%", "97.6%", Decimal(10), None),
        ("群众满意度", "≥90%", "95.2%", Decimal(15), None)]


def test_a_row_short_of_its_score_is_not_read_when_the_others_have_theirs():
    # only the rows of a table whose 得分 column is empty throughout are read without it
    lines = ["一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |",
             "产出指标 | 数量指标 | 活动次数 | ≥10次 | 12次 | 20 | 20 |",
             "产出指标 | 质量指标 | 合格率 | 100% | 100% | 20 |"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.weight, i.score) for i in rows] == [("活动次数", Decimal(20), Decimal(20))]


def test_indicators_stated_one_per_sentence():
    lines = ["2.完成的绩效目标。", "A产出指标(自评分38分)", "(1)数量指标:", "维修校舍面积,年初目标值1200平方米,实际完成值1260平方米。",
             "(2)质量指标", "工程验收合格率,年初目标值100%,实际完成值98.5%,扣1分。", "B满意度指标(自评分9分)",
             "师生对维修工程的满意度,年度指标值≥90%,实际完成值93.4%。", "年初预算80万元,实际预算86万元,全年执行84.2万元。"]
    ev = extract.run(lines)[0]
    assert [(i.level1, i.level2, i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in ev.indicators] == [
        ("产出指标", "数量指标", "维修校舍面积", "1200平方米", "1260平方米", None, None),
        ("产出指标", "质量指标", "工程验收合格率", "100%", "98.5%", None, None),
        ("满意度指标", None, "师生对维修工程的满意度", "≥90%", "93.4%", None, None)]


def test_a_single_sentence_with_a_target_is_not_an_indicator_list():
    ev = extract.run(["该项目受益人数,年初目标值500人,实际完成值520人。", "项目资金已全部拨付。"])[0]
    assert ev.indicators == []


def test_money_grid_one_value_per_line_without_a_total_label():
    # the label cell above the header, an empty cell for the label column, one figure per column
    lines = ["项目资金(万元)", "", "年初预算数", "", "全年(调整)预算数", "", "全年执行数", "", "执行率(%)", "", "执行率权重", "",
             "执行率得分(分)", "", " ", "", "30.00", "", "36.00", "", "34.20", "", "95.00%", "", "10", "", "9.5", "", "当年绩效目标"]
    ev = extract.run(lines)[0]
    assert ev.metrics["budget_initial_yuan"].value == Decimal(300000)
    assert ev.metrics["budget_adjusted_yuan"].value == Decimal(360000)
    assert ev.metrics["expenditure_yuan"].value == Decimal(342000)
    assert ev.metrics["budget_exec_pct"].value == Decimal("95.00")


def test_money_column_with_one_figure_too_many_is_not_read():
    lines = ["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "30.00", "36.00", "34.20", "12"]
    ev = extract.run(lines)[0]
    assert "budget_adjusted_yuan" not in ev.metrics


def test_total_row_found_past_the_empty_cells_of_a_merged_header():
    # a Word table saved one cell per line: the header's merged "(万元)" row leaves empty cells
    # between the header and its 年度资金总额 row
    cells = ["项目资金", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "(万元)"] + [""] * 9 \
        + ["年度资金总额", "14.3", "15.88", "15.88", "10", "100%", "10"]
    ev = extract.run(["\t" + c for c in cells])[0]
    assert ev.metrics["budget_initial_yuan"].value == Decimal(143000)
    assert ev.metrics["expenditure_yuan"].value == Decimal(158800)


def test_a_table_drawn_with_box_characters():
    lines = ["┌──────┬──────┬──────┬──────┐", "│ 项目名称 │ 应急救护培训 │", "├──────┼──────┼──────┼──────┤",
             "│ 主管部门 │ 某区红十字会 │ 实施单位 │ 某区红十字会 │", "├──────┼──────┼──────┼──────┤",
             "│ 项目资金(万元) │ 年初预算数 │ 全年预算数 │ 全年执行数 │ 执行率 │",
             "│ 年度资金总额 │ 12.00 │ 12.00 │ 11.40 │ 95.00% │", "└──────┴──────┴──────┴──────┘"]
    ev = extract.run(lines)[0]
    assert ev.unit.name == "某区红十字会" and ev.project_name == "应急救护培训"
    assert ev.metrics["expenditure_yuan"].value == Decimal(114000)


def test_a_deduction_column_after_the_score():
    lines = ["一级指标 二级指标 三级指标 分值 得分 扣分 扣分原因",
             "决策(20分) 项目立项 立项依据充分性 4 4 0",
             "绩效目标 绩效目标合理性 4 3 1 目标与实际规模不匹配",
             "产出(30分) 数量指标 参保人数完成率 10 9 1 参保5,820人,目标6,000人",
             "合计 18 16 2"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.weight, i.score) for i in rows] == [
        ("立项依据充分性", Decimal(4), Decimal(4)), ("绩效目标合理性", Decimal(4), Decimal(3)),
        ("参保人数完成率", Decimal(10), Decimal(9))]


def test_a_two_row_header_whose_last_row_names_the_columns_and_level_weights_in_the_rows():
    lines = ["分解目标 | 自评", "权重 | 二级指标 | 三级指标 | 年度指标值 | 全年完成值 | 分值 | 得分 | 偏差及原因分析",
             "管理指标 | 30 | 预算管理 | 预算执行率 | ≥95% | 96.50% | 10 | 10 |",
             " | | 资产管理 | 固定资产账实相符率 | 100% | 100% | 5 | 5 |",
             " | | 制度建设 | 内控制度健全性 | 健全 | 健全 | 10 | 9 | 流程未及时修订",
             "合计 | 100 | | | | | 100 | 97 |"]
    rows = indicators.read(make_context(lines))
    assert [(i.level2, i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in rows] == [
        ("预算管理", "预算执行率", "≥95%", "96.50%", Decimal(10), Decimal(10)),
        ("资产管理", "固定资产账实相符率", "100%", "100%", Decimal(5), Decimal(5)),
        ("制度建设", "内控制度健全性", "健全", "健全", Decimal(10), Decimal(9))]


def test_a_table_printed_as_cards():
    # a mobile page: each row one "column:value" per line, a blank line between rows
    lines = ["项目资金(万元):年度资金总额", "年初预算数:18.00", "全年预算数:20.00", "全年执行数:19.30", "分值:10", "执行率:96.50%",
             "得分:9.65", "", "一级指标:产出指标", "二级指标:数量指标", "三级指标:组织研学活动批次", "年度指标值:≥12批次",
             "实际完成值:14批次", "分值:15", "得分:15", "", "一级指标:满意度指标", "二级指标:服务对象满意度指标",
             "三级指标:学生满意度", "年度指标值:≥90%", "实际完成值:95.8%", "分值:10", "得分:10", "", "总分:100", "自评得分:96.65"]
    ev = extract.run(lines)[0]
    assert ev.metrics["budget_adjusted_yuan"].value == Decimal(200000)
    assert ev.metrics["expenditure_yuan"].value == Decimal(193000)
    assert [(i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in ev.indicators] == [
        ("组织研学活动批次", "≥12批次", "14批次", Decimal(15), Decimal(15)), ("学生满意度", "≥90%", "95.8%", Decimal(10), Decimal(10))]
    assert ev.total_score == Decimal("96.65")


def test_a_cover_block_of_labels_is_not_a_card():
    lines = ["项目名称:职工帮扶", "主管部门:某县总工会", "实施单位:某县总工会", "联系人:张某", "联系电话:0000"]
    assert make_context(lines).lines == lines


def test_cards_without_blank_lines_between_them():
    # the same cards as a spreadsheet copy keeps them: no blank line; a key or a column seen
    # again opens the next card, and the cover fields before the first card stay fields
    lines = ["项目名称:研学活动经费", "实施单位:某区团委", "项目资金(万元):年度资金总额", "年初预算数:18.00", "全年预算数:20.00",
             "全年执行数:19.30", "执行率:96.50%", "一级指标:产出指标", "二级指标:数量指标", "三级指标:研学批次",
             "年度指标值:≥12批次", "实际完成值:14批次", "分值:15", "得分:15", "一级指标:满意度指标", "二级指标:满意度指标",
             "三级指标:学生满意度", "年度指标值:≥90%", "实际完成值:95.8%", "分值:10", "得分:10", "总分:100", "自评得分:96.65"]
    ev = extract.run(lines)[0]
    assert ev.project_name == "研学活动经费" and ev.unit.name == "某区团委"
    assert ev.metrics["expenditure_yuan"].value == Decimal(193000)
    assert [(i.level3, i.score) for i in ev.indicators] == [("研学批次", Decimal(15)), ("学生满意度", Decimal(10))]
    assert ev.total_score == Decimal("96.65")


def test_a_spreadsheet_printed_by_pandas():
    lines = ["                 项目支出绩效自评表  Unnamed: 1   Unnamed: 2   Unnamed: 3   Unnamed: 4   Unnamed: 5",
             "0                     项目名称   职工解困资金          NaN          NaN          NaN          NaN",
             "1                     主管部门   某县总工会           NaN         实施单位    某县总工会          NaN",
             "2               项目资金(万元)          NaN       年初预算数       全年预算数       全年执行数         执行率",
             "3                       NaN      年度资金总额:          60          72       69.12        0.96",
             "4                      三级指标       年度指标值        实际完成值          分值          得分          NaN",
             "5                   帮扶职工户数         ≥180户        192户          15          15          NaN",
             "6                  资金发放及时率          ≥95%          97%          10          10          NaN",
             "7                       总分          NaN          NaN         100        97.2  多出的  一格",
             "[8 rows x 6 columns]"]
    ev = extract.run(lines)[0]
    assert ev.unit.name == "某县总工会" and ev.project_name == "职工解困资金"
    assert ev.metrics["expenditure_yuan"].value == Decimal(691200)
    assert [(i.level3, i.weight, i.score) for i in ev.indicators] == [
        ("帮扶职工户数", Decimal(15), Decimal(15)), ("资金发放及时率", Decimal(10), Decimal(10))]
    assert ev.total_score is None  # its row has one cell more than the columns: not placed


def test_a_page_number_inside_a_table_is_not_an_indicator():
    lines = ["一级指标 二级指标 三级指标 分值 得分 扣分说明", "产出(25分) 职责履行 实际完成率 10 10",
             "某区总工会2023年度部门整体支出绩效自评报告", "- 3 -", "完成及时率 5 5", "质量达标率 10 9 1项竞赛延期,扣1分"]
    rows = indicators.read(make_context(lines))
    assert [(i.level2, i.level3, i.weight, i.score) for i in rows] == [
        ("职责履行", "实际完成率", Decimal(10), Decimal(10)), ("职责履行", "完成及时率", Decimal(5), Decimal(5)),
        ("职责履行", "质量达标率", Decimal(10), Decimal(9))]


def test_a_total_cut_in_two_one_value_per_line_is_not_read():
    lines = ["三级指标", "年度指标值", "实际完成值", "分值", "得分", "开展维权宣传活动", "≥20次", "22次", "15", "15",
             "总分", "100", "9", "5.8", "填报人:某某"]
    assert not [c for c in indicators.totals(make_context(lines)) if c.field == "total_score"]
    lines[12:14] = ["95.8"]
    assert [c.value for c in indicators.totals(make_context(lines)) if c.field == "total_score"] == [Decimal("95.8")]


def test_an_html_source_kept_by_a_crawler():
    lines = ['<html><head><meta charset="utf-8"><title>某区科协2023年度项目支出绩效自评表</title></head><body>',
             '<div class="position">您当前的位置:<a href="/">首页</a> &gt; 部门信息</div>',
             '<table border="1">',
             '<tr><td colspan="2">项目名称</td><td colspan="7">科普阵地建设补助经费</td></tr>',
             '<tr><td colspan="2">主管部门</td><td>某区科学技术协会</td><td>实施单位</td><td>某区科学技术协会</td></tr>',
             '<tr><td rowspan="2">项目资金<br>(万元)</td><td>&nbsp;</td><td>年初预算数</td><td>全年预算数</td>',
             '<td>全年执行数</td><td>分值</td><td>执行率</td><td>得分</td></tr>',
             '<tr><td>年度资金总额</td><td>20.00</td><td>24.00</td><td>23.16</td><td>10</td><td>96.50%</td><td>9.65</td></tr>',
             '</table><script>var x = "<td>1</td><td>2</td>";</script></body></html>']
    ctx = make_context(lines)
    assert len(ctx.lines) == len(lines)
    assert ctx.lines[6] == ""  # the row's second source line: joined onto its first
    ev = extract.run(lines)[0]
    assert ev.project_name == "科普阵地建设补助经费" and ev.unit.name == "某区科学技术协会"
    assert ev.metrics["expenditure_yuan"].value == Decimal(231600)


def test_a_spreadsheet_listed_cell_by_cell():
    lines = ["工作表: Sheet1 (A1:I6)", "A1\t项目支出绩效自评表", "A3\t项目名称", "C3\t托养服务补助", "A4\t主管部门", "C4\t某市残疾人联合会",
             "F4\t实施单位", "H4\t某市残疾人联合会", "A5\t项目资金(万元)", "D5\t年初预算数", "E5\t全年预算数", "F5\t全年执行数",
             "G5\t分值", "H5\t执行率", "I5\t得分", "C6\t年度资金总额", "D6\t14", "E6\t16", "F6\t15.2", "G6\t10", "H6\t0.95", "I6\t9.5"]
    ev = extract.run(lines)[0]
    assert ev.project_name == "托养服务补助" and ev.unit.name == "某市残疾人联合会"
    assert ev.metrics["expenditure_yuan"].value == Decimal(152000)
    assert ev.metrics["budget_exec_pct"].value == Decimal(95)


def test_a_semicolon_csv():
    lines = ["\ufeff项目支出绩效自评表;;;;;;;;", "项目名称;商会规范化建设补助;;;;;;;", "主管部门;某区工商业联合会;;;;实施单位;某区工商业联合会;;",
             "项目资金(万元);;年初预算数;全年预算数;全年执行数;分值;执行率;得分;", ";年度资金总额;15.00;15.00;14.61;10;97.40%;9.74;",
             "三级指标;年度指标值;实际完成值;分值;得分;;;;", "培训会员企业;≥200家;216家;20;20;;;;",
             "会员满意度;≥90%;93%;10;10;;;;", "说明：本表金额单位为万元；执行率保留两位小数。"]
    ev = extract.run(lines)[0]
    assert ev.unit.name == "某区工商业联合会" and ev.project_name == "商会规范化建设补助"
    assert ev.metrics["expenditure_yuan"].value == Decimal(146100)
    assert [(i.level3, i.weight, i.score) for i in ev.indicators] == [("培训会员企业", Decimal(20), Decimal(20)), ("会员满意度", Decimal(10), Decimal(10))]


def test_a_table_in_a_sites_accessible_mode():
    lines = ["第1行:一级指标|二级指标|三级指标|指标值|实际完成值|分值|得分",
             "第2行:一级指标 产出|二级指标 数量|三级指标 侨情调查覆盖社区|指标值 ≥20个|实际完成值 22个|分值 10|得分 10",
             "第3行:一级指标 效益|二级指标 社会效益|三级指标 权益保障|指标值 有效保障|实际完成值 有效保障|分值 20|得分 19"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in rows] == [
        ("侨情调查覆盖社区", "≥20个", "22个", Decimal(10), Decimal(10)), ("权益保障", "有效保障", "有效保障", Decimal(20), Decimal(19))]


def test_line_breaks_inside_markdown_cells():
    lines = ["| 项目支出绩效自评表<br>(2023年度) | | | | |",
             "| 项目资金<br>(万元) | 年初<br>预算数 | 全年<br>预算数 | 全年<br>执行数 | 执行率 |",
             "| 年度资金总额 | 10.00 | 12.00 | 11.40 | 95.00% |"]
    ev = extract.run(lines)[0]
    assert ev.metrics["budget_adjusted_yuan"].value == Decimal(120000)


def test_scripts_of_an_html_source_are_blanked_line_for_line_even_when_left_open():
    from loaders.extract.textnorm import _without_scripts

    assert _without_scripts("a<script>x\ny</script>b<STYLE>z</style>c<script>\nq") == "a\nbc\n"
    # many openings without a closing (an untrusted page): one pass, the rest of the text blanked
    assert _without_scripts("<td>1</td>" + "<script>" * 50_000 + "\n") == "<td>1</td>\n"


def test_layout_patterns_take_a_value_with_long_runs_of_spaces_whole():
    # (lazy "(.*?)\s*$" patterns retried the end at every space: quadratic on such a line)
    from loaders.extract.textnorm import _CARD_LINE, _CELL_ADDRESS

    assert _CARD_LINE.match("年初预算数:18" + " " * 100_000 + "万元  ").group(2) == "18" + " " * 100_000 + "万元"
    assert _CELL_ADDRESS.match("B3\t").group(3) == ""
    assert _CELL_ADDRESS.match("C6\t年度资金总额 ").group(3) == "年度资金总额"


def test_space_separated_rows_that_lost_their_empty_cells():
    # a row of space-separated cells drops its empty cells: the adjusted target (left empty on
    # every row) and the unit of a qualitative indicator are missing, and the row is read when
    # exactly one choice of missing columns fits every column
    lines = ["指标名称 计量单位 指标性质 年初指标值 调整指标值 全年完成值 得分系数(%) 指标权重(分) 指标得分(分) 是否核心指标",
             "图书借阅人次 人次 定量指标 ≥5000 5210 100% 20 20 是",
             "馆舍开放运行 定性指标 正常 正常 100% 10 10 否",
             "读者满意度 % 定量指标 ≥90% 88% 90% 10 9 是"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in rows] == [
        ("图书借阅人次", "≥5000", "5210", Decimal(20), Decimal(20)),
        ("馆舍开放运行", "正常", "正常", Decimal(10), Decimal(10)),
        ("读者满意度", "≥90%", "88%", Decimal(10), Decimal(9))]


def test_a_short_row_that_fits_two_ways_is_not_read():
    # one cell missing and two often-empty columns: '人次' could be the unit (the adjusted
    # target empty) or the target (the unit empty); the two readings disagree, so neither is kept
    lines = ["指标名称 计量单位 年初指标值 调整指标值 全年完成值 分值 得分",
             "开展培训 人次 12 13 10 10",
             "培训合格率 % ≥95% 97% 10 10"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.target_raw, i.actual_raw) for i in rows] == [("培训合格率", "≥95%", "97%")]


def test_a_flattened_line_whose_header_cells_are_interleaved_with_the_first_row():
    # an .xlsx flattened into one line with its merged cells in merge order: the column names
    # stand in pieces between the first indicator's cells
    line = ("某县项目支出绩效自评表 项目名称 乡村文化活动 一级 指标 年度 实际 指标值 完成值 指标1:举办文艺演出场次 二级指标 三级指标 "
            "12场 13场 分值 得分 20 20 指标2:参与群众人次 ≥3000人次 3250人次 20 20 质量指标 指标1:演出节目原创率 ≥30% 28% 20 18 "
            "满意度指标 指标1:群众满意度 ≥90% 93% 20 20 总分 100 98")
    rows = indicators.read(make_context([line]))
    assert [(i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in rows] == [
        ("指标1:举办文艺演出场次", "12场", "13场", Decimal(20), Decimal(20)),
        ("指标2:参与群众人次", "≥3000人次", "3250人次", Decimal(20), Decimal(20)),
        ("指标1:演出节目原创率", "≥30%", "28%", Decimal(20), Decimal(18)),
        ("指标1:群众满意度", "≥90%", "93%", Decimal(20), Decimal(20))]


def test_a_level_weight_before_a_level_2_label_the_lexicon_does_not_know():
    lines = ["分解目标 | 自评", "权重 | 二级指标 | 三级指标 | 年度指标值 | 全年完成值 | 分值 | 得分 | 偏差及原因分析",
             "产出指标 | 40 | 重点任务 | 开展普法讲座场次 | ≥8场 | 9场 | 20 | 20 |",
             " | | 重点任务 | 调解纠纷成功率 | ≥90% | 86% | 20 | 18 | 个别纠纷转诉讼",
             "合计 | 100 | | | | | 40 | 38 |"]
    rows = indicators.read(make_context(lines))
    assert [(i.level1, i.level2, i.level3, i.target_raw, i.weight, i.score) for i in rows] == [
        ("产出指标", "重点任务", "开展普法讲座场次", "≥8场", Decimal(20), Decimal(20)),
        ("产出指标", "重点任务", "调解纠纷成功率", "≥90%", Decimal(20), Decimal(18))]


def test_indicators_named_like_levels_complete_the_weights():
    # a common-indicator table names some indicators like level-2 labels (社会效益, 可持续影响):
    # such a row is an indicator when with it the weights add up to the total row and without it
    # they do not
    lines = ["一级指标 二级指标 三级指标 分值 得分 扣分说明",
             "产出(50分) 职责履行 实际完成率 30 30",
             "完成及时率 20 18 两项活动延期",
             "效果(50分) 履职效益 社会效益 30 30",
             "服务对象满意度 20 19 满意度95%",
             "合计 100 97"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.weight, i.score) for i in rows] == [
        ("实际完成率", Decimal(30), Decimal(30)), ("完成及时率", Decimal(20), Decimal(18)),
        ("社会效益", Decimal(30), Decimal(30)), ("服务对象满意度", Decimal(20), Decimal(19))]


def test_level_subtotal_rows_are_not_indicators():
    # the same shape as level subtotals: with them the weights would exceed the total
    lines = ["一级指标 二级指标 三级指标 分值 得分",
             "产出指标 数量指标 50 48",
             "培训人次 30 30",
             "培训场次 20 18",
             "满意度指标 服务对象满意度 50 50",
             "学员满意度 50 50",
             "合计 100 98"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.weight) for i in rows] == [("培训人次", Decimal(30)), ("培训场次", Decimal(20)), ("学员满意度", Decimal(50))]


def test_a_page_break_inside_a_one_value_per_line_table():
    # pdftotext without -layout: the page's number and the running title (the document's first
    # line) fall between a row's cells; the row reads on, the title is not a value
    lines = ["某县文化馆2023年度项目支出绩效自评结果", "项目支出绩效自评表",
             "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "产出指标", "数量指标", "送戏下乡场次", "≥40场", "42场", "20", "20",
             "成本指标", "单场演出成本", "≤0.5万元",
             "第 1 页 共 2 页", "某县文化馆2023年度项目支出绩效自评结果",
             "0.48万元", "20", "20", "总分", "100", "100"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.target_raw, i.actual_raw, i.weight) for i in rows] == [
        ("送戏下乡场次", "≥40场", "42场", Decimal(20)), ("单场演出成本", "≤0.5万元", "0.48万元", Decimal(20))]


def test_a_name_wrapped_by_the_page_column_in_a_one_value_per_line_table():
    lines = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "满意度指标", "服务对象满意度指标", "参训学员及用人单位满意", "度", "≥90%", "93%", "10", "9.5",
             "参训学员结业考核合格率", "≥95%", "97%", "10", "10"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.actual_raw, i.score) for i in rows] == [
        ("参训学员及用人单位满意度", "93%", Decimal("9.5")), ("参训学员结业考核合格率", "97%", Decimal(10))]


def test_a_tab_row_cut_by_a_line_break_inside_a_cell():
    # a Word table whose name cell holds a newline, written out as text: the two lines are one row
    # (together exactly as wide as the table's rows)
    lines = ["一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因",
             "产出指标\t数量指标\t开展法律援助进社区进",
             "企业场次\t≥30场\t34场\t20\t20\t",
             "\t质量指标\t援助案件办结率\t≥95%\t97%\t20\t20\t",
             "合计\t\t\t\t\t40\t40\t"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.target_raw, i.weight) for i in rows] == [
        ("开展法律援助进社区进企业场次", "≥30场", Decimal(20)), ("援助案件办结率", "≥95%", Decimal(20))]


def test_rows_of_other_widths_are_not_joined():
    from loaders.extract.textnorm import wrapped_rows
    lines = ["机构名称\t三公经费合计\t其中：", "\t\t公务接待费\t公务用车运维费\t公务用车购置费", "本级\t3.07\t3.07\t0\t0",
             "汇总\t3.07\t3.07\t0\t0"]
    assert wrapped_rows(lines) == lines


def test_a_fixed_width_table_whose_cells_wrap_onto_the_lines_below():
    # antiword: each long cell goes on under its row, the other cells of those lines empty
    lines = ["|一级指标|二级指标  |三级指标      |指标值    |完成值    |分值|得分  |",
             "|产出指标|数量指标  |资助家庭经济困|≥300人次  |312人次   |20  |20    |",
             "|        |          |难学生人次    |          |          |    |      |",
             "|        |成本指标  |人均资助标准  |1500元/生·|1500元/生·|10  |10    |",
             "|        |          |              |年        |年        |    |      |",
             "|总分                                      |          |30  |30    |"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.target_raw, i.actual_raw, i.weight) for i in rows] == [
        ("资助家庭经济困难学生人次", "≥300人次", "312人次", Decimal(20)),
        ("人均资助标准", "1500元/生·年", "1500元/生·年", Decimal(10))]


def test_a_row_ending_in_a_figure_is_not_joined_to_the_lines_after_it():
    # an .xlsx copy leaves trailing empty cells out: a short row ending in a figure, then a title
    # and a header, must not be read as one row cut in a cell
    from loaders.extract.textnorm import wrapped_rows
    lines = ["机构名称\t收入合计\t其中：\t财政拨款\t其他", "本级\t120.5\t10\t110.5\t0", "汇总\t120.5\t10\t110.5",
             "年度支出和结余情况（万元）", "机构名称\t支出合计\t其中：\t结余", "本级\t118\t2\t2.5\t0"]
    assert wrapped_rows(lines) == lines


def test_the_rotated_block_label_cut_between_header_and_first_row():
    # the merged first column 绩效指标, printed rotated: "绩效" opens the header line, "指标" the
    # first row; neither is a column name, a level or an indicator
    lines = ["绩效 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施",
             "指标 产出指标 数量指标 门诊人次 ≥5万人次 5.3万人次 50 50",
             "满意度指标 服务对象满意度指标 患者满意度 ≥90% 92% 50 50",
             "总分 100 100"]
    rows = indicators.read(make_context(lines))
    assert [(i.level1, i.level3, i.target_raw, i.weight) for i in rows] == [
        ("产出指标", "门诊人次", "≥5万人次", Decimal(50)), ("满意度指标", "患者满意度", "≥90%", Decimal(50))]


def test_a_column_of_another_year_beside_the_money_columns():
    lines = ["项目资金 2022年执行数 年初预算数 全年预算数 全年执行数 分值 执行率 得分",
             "年度资金总额 861.24 895.00 942.68 918.37 10 97.42% 9.74"]
    got = {c.field: c.value for c in grid.read(make_context(lines))}
    assert got["budget_initial_yuan"] == Decimal(8950000) and got["expenditure_yuan"] == Decimal(9183700)
    assert got["budget_exec_pct"] == Decimal("97.42")
    assert role_of("2022年执行数", "money") == "ignore" and role_of("2022年", "money") is None


def test_a_flat_score_sheet_numbered_rows_and_a_total_row_without_its_number():
    # 序号 | 指标 | 权重 | 评分标准 | 得分, the total row's 序号 cell empty, the signature after it
    lines = ["序号\t指标\t权重\t评分标准\t得分",
             "1\t预算执行率\t40\t执行率≥95%得满分,低于90%不得分\t38",
             "2\t群众满意度\t60\t满意度×60\t57",
             "\t合计\t100\t\t95",
             "某街道办事处"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.weight, i.score) for i in rows] == [("预算执行率", Decimal(40), Decimal(38)), ("群众满意度", Decimal(60), Decimal(57))]
    assert [c.value for c in indicators.totals(make_context(lines))] == [Decimal(95)]


def test_a_header_cut_into_three_rows_and_scores_left_blank():
    # each column's name cut over three TAB rows (年度 / 指标值); some 得分 cells left blank, the
    # rows ending before them; the merged first columns kept as empty cells
    lines = ["绩效\t一级\t二级\t三级\t年度\t实际\t分值\t得分\t偏差原因",
             "指标\t指标\t指标\t指标\t指标值\t完成值\t\t\t分析及改进",
             "\t\t\t\t\t\t\t\t措施",
             "\t产出指标\t数量指标\t资助学生人数\t≥60人\t62人\t50\t50\t",
             "\t满意度指标\t服务对象满意度指标\t受助学生满意度\t≥90%\t97%\t50",
             "总分\t\t\t\t\t\t100\t99"]
    rows = indicators.read(make_context(lines))
    assert [(i.level1, i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in rows] == [
        ("产出指标", "资助学生人数", "≥60人", "62人", Decimal(50), Decimal(50)),
        ("满意度指标", "受助学生满意度", "≥90%", "97%", Decimal(50), None)]


def test_excel_cells_copied_as_tab_separated_text_with_quoted_line_breaks():
    lines = ['"一级指标', '(分值)"\t"二级指标', '(分值)"\t三级指标\t分值\t"年度', '指标值"\t"实际', '完成值"\t得分',
             '"产出指标', '(60分)"\t"数量指标', '(60分)"\t送戏下乡演出场次\t60分\t≥120场\t126场\t60分',
             '"满意度指标', '(40分)"\t"服务对象满意度', '指标(40分)"\t群众满意度\t40分\t≥90%\t95%\t40分']
    rows = indicators.read(make_context(lines))
    assert [(i.level1, i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in rows] == [
        ("产出指标(60分)", "送戏下乡演出场次", "≥120场", "126场", Decimal(60), Decimal(60)),
        ("满意度指标(40分)", "群众满意度", "≥90%", "95%", Decimal(40), Decimal(40))]


def test_a_money_grid_one_value_per_line_whose_total_row_comes_after_its_parts():
    lines = ["资金类别", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
             "基本支出", "142.30", "151.86", "150.92", "—", "99.38%", "—",
             "项目支出", "38.00", "46.50", "41.37", "—", "88.97%", "—",
             "合计", "180.30", "198.36", "192.29", "10", "96.94%", "9.69"]
    got = {c.field: c.value for c in grid.read(make_context(lines))}
    assert got["budget_initial_yuan"] == Decimal(1803000) and got["expenditure_yuan"] == Decimal(1922900)
    assert got["budget_exec_pct"] == Decimal("96.94")


def test_a_two_row_header_whose_lower_row_names_the_leading_columns():
    # the upper row: a group title (年度指标值) over 指标性质 | 指标值 | 度量单位, then the columns
    # after it; the lower row: the level and name columns and the three under the group title
    lines = ["| 绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |",
             "| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 |",
             "| 产出指标 | 数量指标 | 培训救护员人数 | ≥ | 600 | 人 | 642 | 60 | 60 | |",
             "| 满意度指标 | 服务对象满意度指标 | 参训人员满意度 | ≥ | 90 | % | 95 | 40 | 40 | |",
             "| 总分 | 100 | 100 | |"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.target_raw, i.actual_raw, i.weight, i.score) for i in rows] == [
        ("培训救护员人数", "≥600人", "642", Decimal(60), Decimal(60)), ("参训人员满意度", "≥90%", "95", Decimal(40), Decimal(40))]


def test_a_money_grid_with_a_column_numbering_its_rows():
    lines = ["项目\t栏次\t年初预算数(A)\t全年预算数\t全年执行数(B)\t分值\t执行率(B/A)\t得分",
             "年度资金总额\t1\t286.40\t318.75\t309.18\t10\t97.00%\t9.70",
             "其中：基本支出\t2\t221.60\t236.05\t236.05\t\t100.00%\t"]
    got = {c.field: c.value for c in grid.read(make_context(lines))}
    assert got["budget_initial_yuan"] == Decimal(2864000) and got["expenditure_yuan"] == Decimal(3091800)
    assert got["budget_exec_pct"] == Decimal("97.00")


def test_a_document_site_s_pages_each_flattened_into_one_numbered_line():
    # the row of the second indicator is cut where the first page ends ("…实现就" / "2、业人数 …")
    page1 = ("1、项目支出绩效自评表 项目名称 巾帼家政技能培训项目 主管部门 某县妇女联合会 实施单位 某县妇女联合会 "
             "项目基本情况 年度目标 开展家政技能培训,提升农村妇女就业能力,带动参训妇女实现就业 一级指标 二级指标 三级指标 指标性质 指标值 度量单位 实际完成值 分值 得分 产出指标 数量指标 "
             "培训家政人员人数 ≥ 200 人 216 40 40 效益指标 社会效益指标 带动参训妇女实现就")
    page2 = "2、业人数 ≥ 80 人 86 40 40 满意度指标 服务对象满意度指标 参训学员满意度 ≥ 90 % 94 20 20 合计 100 100 评价结论 项目按计划完成。"
    rows = indicators.read(make_context([page1, "", page2.ljust(150, "。")]))
    assert [(i.level3, i.weight, i.score) for i in rows] == [
        ("培训家政人员人数", Decimal(40), Decimal(40)), ("带动参训妇女实现就业人数", Decimal(40), Decimal(40)),
        ("参训学员满意度", Decimal(20), Decimal(20))]


def test_single_characters_of_a_rotated_label_opening_space_separated_rows():
    lines = ["一级 二级 三级指标 分值 年度指标值 全年实际值 得分",
             "数量 新建保鲜库库容 40 2800立方米 2800立方米 40",
             "标 质量 项目工程验收合格率 30 100% 100% 30",
             "出 时效 项目完工及时率 30 100% 92% 24",
             "总分 100 94"]
    rows = indicators.read(make_context(lines))
    assert [(i.level3, i.weight, i.score) for i in rows] == [
        ("新建保鲜库库容", Decimal(40), Decimal(40)), ("项目工程验收合格率", Decimal(30), Decimal(30)),
        ("项目完工及时率", Decimal(30), Decimal(24))]


def test_a_header_cut_over_two_tab_rows_whose_lower_row_lost_its_trailing_cells():
    # "年初 | 全年 | 全年 | 分值 | 执行率 | 得分" over "预算数 | 预算数 | 执行数": the lower row has
    # lost its trailing empty cells; its pieces still complete the columns above them, and the
    # figures are read in the columns' order, not row after row
    lines = [
        "项目资金\t\t年初\t全年\t全年\t分值\t执行率\t得分",
        "(万元)\t\t预算数\t预算数\t执行数",
        "\t年度资金总额\t40.00\t48.00\t45.60\t10\t0.95\t9.5",
    ]
    m = extract.run(lines)[0].metrics
    assert (m["budget_initial_yuan"].value, m["budget_adjusted_yuan"].value, m["expenditure_yuan"].value,
            m["budget_exec_pct"].value) == (Decimal("400000"), Decimal("480000"), Decimal("456000"), Decimal("95"))
    # a short row that does not complete the columns (a wrapped cell "自评 / 权重") is no such header
    rows = ["分解目标\t自评", "权重\t二级指标\t三级指标\t年度指标值\t全年完成值\t分值\t得分\t偏差及原因分析"]
    from loaders.extract.tables import explode_flat, find_headers
    hs = find_headers(explode_flat(make_context(rows).rows, "indicator"), "indicator", must=set(), any_of=set())
    assert all(h.positions is None for h in hs)


def test_one_value_per_line_indicators_with_a_target_split_in_sign_value_unit_are_not_paired():
    # Hebei 预算项目绩效自评表: 预期指标值 split in 符号 / 值 / 单位 and 自评得分 in three
    # sub-columns. One value per line, the cells of a row outnumber the header's roles: read in
    # order they would pair the weight with the sign and the actual with the target's value
    # (">=" as the target, "450" as the actual), so no row is read; nor is a completion cell
    # ("完成") taken for an indicator's name.
    cells = ["一级指标", "二级指标", "三级指标", "指标分值", "预期指标值", "单项指标实际完成值", "单项指标完成情况",
             "自评得分", "符号", "值", "单位(文字描述)", "单项指标得分", "权重占比(%)", "单项指标折算得分",
             "产出指标", "数量指标", "走访困难职工户数", "20", ">=", "300", "户", "312户", "完成", "100.00", "20.00", "20.00",
             "质量指标", "慰问金发放准确率", "20", "=", "100", "%", "100%", "完成", "100.00", "20.00", "20.00",
             "满意度指标", "服务对象满意度指标", "慰问对象满意度", "10", ">=", "90", "%", "96%", "完成", "100.00", "10.00", "10.00"]
    lines = [x for c in cells for x in (c, "")]
    rows = extract.run(lines)[0].indicators
    assert [(r.level3, r.target_raw, r.actual_raw) for r in rows if r.weight is not None] == []
    assert not any(r.level3 in ("完成", "户完成") for r in rows)


def test_a_table_filling_only_its_first_column_is_one_value_per_line():
    # a page written one cell per line, saved as a Word or PDF table: every row "cell\t\t\t…"
    from loaders.extract.textnorm import first_column_rows

    cells = ["项目资金(万元)", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "", "年度资金总额:",
             "40.00", "48.00", "45.60", "10", "95.00%", "9.5"]
    lines = [c + "\t" * 7 for c in cells]
    assert first_column_rows(lines) == cells
    m = extract.run(lines)[0].metrics
    assert (m["budget_adjusted_yuan"].value, m["expenditure_yuan"].value) == (Decimal("480000"), Decimal("456000"))
    # a real table's total row with empty cells after its label stays a row
    table = ["一级指标\t二级指标\t得分", "产出\t数量\t10", "合计\t\t", "填报人:\t\t"]
    assert first_column_rows(table) == table


def test_an_indicator_named_like_its_level_two_label_after_that_label():
    # "满意度指标 | 服务对象满意度指标 | 服务对象满意度 | ≥90% | 94% | 10 | 10": the name is a level-2
    # word too; after the level-2 cell, it is the row's name, not a second level
    lines = ["绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因",
             "\t产出指标\t数量指标\t宣讲场次\t≥30场\t34场\t8\t8\t",
             "\t满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%\t94%\t10\t10\t"]
    rows = extract.run(lines)[0].indicators
    assert [(r.level2, r.level3, r.weight, r.actual_raw) for r in rows] == [
        ("数量指标", "宣讲场次", Decimal(8), "34场"), ("服务对象满意度指标", "服务对象满意度", Decimal(10), "94%")]


def test_a_fraction_written_as_a_binary_float_is_its_rate():
    from loaders.extract.tables import percent

    assert percent("0.949999988079071") == Decimal("95")
    assert percent("0.9612") == Decimal("96.12")


def test_a_csv_record_whose_first_quoted_cell_runs_onto_the_next_line():
    # ',"完成…管理,' / '及时处置…。",,,"全年…",,,,': the record starts on the first line, and the
    # table after it stays as it is
    from loaders.extract.textnorm import csv_cells

    lines = ['"项目名称","某某经费",,,,,,,', '"年度总体目标","预期目标",,,"实际完成情况",,,,',
             ',"完成全县接种,接种率保持在95%以上,', '及时处置异常反应。",,,"全年接种27310剂次",,,,',
             '"绩效指标","一级指标","二级指标","三级指标","年度指标值","实际完成值","分值","得分"',
             ',"产出指标","数量指标","接种剂次","≥26000剂次","27310剂次","10","10"']
    out = csv_cells(lines)
    assert out[2].startswith("\t完成全县接种,接种率保持在95%以上, 及时处置异常反应。") and out[3] == ""
    assert out[4].startswith("绩效指标\t一级指标") and out[5].endswith("27310剂次\t10\t10")


def test_one_value_per_line_an_indicator_named_like_its_level_two_label():
    cells = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
             "产出指标", "数量指标", "宣讲场次", "≥30场", "34场", "8", "8",
             "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "96%", "10", "10",
             "效益指标", "经济效益指标", "社会效益指标", "纠纷化解率", "≥90%", "94.6%", "10", "10"]
    rows = extract.run([x for c in cells for x in (c, "")])[0].indicators
    got = [(r.level2, r.level3, r.weight, r.actual_raw) for r in rows]
    assert ("服务对象满意度指标", "服务对象满意度", Decimal(10), "96%") in got
    # a level label proper (…指标) after another stays a level
    assert ("社会效益指标", "纠纷化解率", Decimal(10), "94.6%") in got


def test_a_money_header_spanning_sub_columns_reads_each_groups_total():
    # 预算数 and 实际支出 each over 合计 | 财政拨款 | 其他资金: the 合计 under each is the figure;
    # the sub-header's 合计 is not the total row
    lines = ["资金使用情况\t预算数\t\t\t实际支出\t\t\t执行率\t满分\t得分",
             "\t合计\t财政拨款\t其他资金\t合计\t财政拨款\t其他资金",
             "部门整体支出\t4,865.23\t4,638.00\t227.23\t4,711.87\t4,495.12\t216.75\t96.85%\t10\t9.69",
             "金额单位:万元"]
    m = extract.run(lines)[0].metrics
    assert (m["budget_adjusted_yuan"].value, m["expenditure_yuan"].value, m["budget_exec_pct"].value) == (
        Decimal("48652300"), Decimal("47118700"), Decimal("96.85"))


def test_a_three_public_row_in_the_money_grid_is_that_topics_budget_and_spending():
    lines = ["预算资金(万元) 年初预算数 全年预算数 全年执行数 执行率 分值 得分",
             "年度资金总额 318.46 352.10 340.82 96.80% 10 9.68",
             "其中:基本支出 240.10 262.30 258.44 98.53% — —",
             "“三公”经费 4.50 4.50 3.86 85.78% — —"]
    m = extract.run(lines)[0].metrics
    assert (m["expenditure_yuan"].value, m["three_public_budget_yuan"].value, m["three_public_actual_yuan"].value) == (
        Decimal("3408200"), Decimal("45000"), Decimal("38600"))


def test_a_table_of_projects_beside_the_units_grid_gives_none_of_its_totals():
    grid = ["预算资金\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
            "年度资金总额\t96.80\t118.45\t112.62\t10\t95.08%\t9.51", "金额单位:万元"]
    projects = ["附:重点项目支出情况(万元)", "序号\t项目名称\t全年预算数\t全年执行数\t执行率",
                "1\t希望工程助学金\t32.40\t32.40\t100.00%", "2\t青年志愿服务经费\t14.50\t12.48\t86.07%",
                "合计\t\t46.90\t44.88\t95.69%"]
    ev = extract.run(grid + [""] + projects)[0]
    assert (ev.metrics["budget_adjusted_yuan"].value, ev.metrics["expenditure_yuan"].value) == (
        Decimal("1184500"), Decimal("1126200"))
    assert ev.project_name is None  # nor is the 项目名称 column's neighbour a project's name
    # alone, a report's table of its projects gives the report's totals
    alone = extract.run(projects)[0]
    assert alone.metrics["budget_adjusted_yuan"].value == Decimal("469000")
