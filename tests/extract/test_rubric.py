"""Spec of the reader of score rubrics whose weights sit inside the labels
(loaders/extract/rubric.py): read in any layout the readers produce, and only when the leaves
carry their weights."""

from __future__ import annotations

from decimal import Decimal

from loaders.extract import run
from loaders.extract.rubric import FRAMEWORK, split_label

D = Decimal

RUBRIC = """某区总工会2023年度部门整体支出绩效评价评分表
一级指标\t二级指标\t三级指标\t评分标准\t得分
投入（10分）\t目标设定（10分）\t目标合理性（5分）\t符合得满分\t5
\t\t指标明确性（5分）\t量化得满分\t4
产出（20分）\t产出数量（12分）\t活动完成率（12分）\t完成得满分\t11
\t产出质量（8分）\t服务对象满意度（8分）\t≥90%得满分\t8
合计\t\t\t\t28
"""


def _rows(ev):
    return [(i.level, i.level1, i.level2, i.level3, i.weight, i.score) for i in ev.indicators]


EXPECTED = [
    (1, "投入", None, None, D(10), None),
    (2, "投入", "目标设定", None, D(10), None),
    (3, "投入", "目标设定", "目标合理性", D(5), D(5)),
    (3, "投入", "目标设定", "指标明确性", D(5), D(4)),
    (1, "产出", None, None, D(20), None),
    (2, "产出", "产出数量", None, D(12), None),
    (3, "产出", "产出数量", "活动完成率", D(12), D(11)),
    (2, "产出", "产出质量", None, D(8), None),
    # a name that reads like a level label is a name in the 三级指标 column
    (3, "产出", "产出质量", "服务对象满意度", D(8), D(8)),
]


def test_split_label():
    assert split_label("相关性（5分）") == ("相关性", D(5))
    assert split_label("决策(20.5 分)") == ("决策", D("20.5"))
    assert split_label("相关性") == ("相关性", None)


def test_levels_weights_and_scores_from_tab_rows():
    (ev,) = run(RUBRIC.split("\n"))
    assert ev.framework == FRAMEWORK
    assert _rows(ev) == EXPECTED
    assert ev.total_score == D(28)


def test_rows_without_their_merged_level_cells():
    """Pipe rows that leave out the empty merged cells on the left: each row is anchored on its
    leaf label, the level labels before it right-aligned."""
    pipe = "\n".join("| " + " | ".join(c for c in line.split("\t") if c) + " |" if "\t" in line else line
                     for line in RUBRIC.split("\n"))
    (ev,) = run(pipe.split("\n"))
    assert _rows(ev) == EXPECTED


def test_one_cell_per_line():
    lines = []
    for line in RUBRIC.split("\n"):
        if "\t" in line:
            lines += ["\t" + c for c in line.split("\t")] + [""]
        else:
            lines.append(line)
    (ev,) = run(lines)
    assert _rows(ev) == EXPECTED


def test_group_weights_that_do_not_add_up_are_flagged():
    (ev,) = run(RUBRIC.replace("投入（10分）", "投入（12分）").split("\n"))
    assert [f.code for f in ev.quality_flags if f.code == "children_sum_mismatch"] == ["children_sum_mismatch"]


def test_weights_in_the_level_labels_alone_are_no_such_rubric():
    """Leaves without a weight in their label (the weight in a 分值 column, or none): not read
    as this kind of rubric, whatever the level labels carry."""
    text = RUBRIC.replace("（5分）", "").replace("（12分）\t完成", "\t完成").replace("度（8分）", "度")
    (ev,) = run(text.split("\n"))
    assert ev.framework != FRAMEWORK
    assert all(i.level == 3 for i in ev.indicators)
