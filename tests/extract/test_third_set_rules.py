"""Spec tests for the general rules the third unseen set (u29–u44) prompted. Invented texts in,
facts out; none is copied from a report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders import extract
from loaders.parse import parse_document
from loaders.read import read_bytes
from project_paths import REPORTS_DIR


def _one(text: str):
    evs = extract.run(text.strip("\n").split("\n"))
    assert len(evs) == 1
    return evs[0]


def _metrics(ev) -> dict[str, Decimal]:
    return {k: m.value for k, m in ev.metrics.items()}


def test_a_figure_of_another_year_is_not_read():
    ev = _one("""
青禾县科学技术协会2022年度部门整体支出绩效自评报告
2022年年初预算80.00万元,全年预算90.00万元,实际支出88.20万元。2021年度实际支出70.10万元。
与2021年支出65.00万元相比有所增加。
""")
    m = _metrics(ev)
    assert ev.fiscal_year == 2022
    assert m["expenditure_yuan"] == Decimal("882000")
    assert not [f for f in ev.quality_flags if f.code == "candidates_disagree"]


def test_a_dated_or_quoted_year_does_not_qualify_a_figure():
    ev = _one("""
青禾县科学技术协会2022年度部门整体支出绩效自评报告
根据《关于开展2023年度绩效自评工作的通知》,全年实际支出88.20万元。
""")
    assert _metrics(ev)["expenditure_yuan"] == Decimal("882000")


UNFILLED_TOTAL = """
项目支出绩效自评表
项目名称\t社区服务经费
实施单位\t青禾县青禾街道办事处
项目资金(万元)\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分
年度资金总额\t0\t0\t0\t10\t0\t0
其中:当年财政拨款\t50\t52\t49.4\t—\t—\t—
上年结转资金\t\t\t\t—\t—\t—
其他资金\t\t\t\t—\t—\t—
"""


def test_an_unfilled_total_row_gives_way_to_its_one_filled_part():
    m = _metrics(_one(UNFILLED_TOTAL))
    assert m["budget_initial_yuan"] == Decimal("500000")
    assert m["budget_adjusted_yuan"] == Decimal("520000")
    assert m["expenditure_yuan"] == Decimal("494000")


def test_an_unfilled_total_row_with_two_filled_parts_gives_nothing():
    text = UNFILLED_TOTAL.replace("上年结转资金\t\t\t\t", "上年结转资金\t1\t1\t1\t")
    m = _metrics(_one(text))
    assert not {"budget_initial_yuan", "budget_adjusted_yuan", "expenditure_yuan"} & set(m)


def test_a_numbered_indicator_named_like_a_total_is_not_the_money_row():
    ev = _one("""
项目支出绩效自评表
项目资金(万元)\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分
成本指标\t指标1:补助资金总额\t12.5万元\t12.5万元\t10\t10
""")
    assert "budget_exec_pct" not in _metrics(ev)


def test_self_evaluation_stated_in_a_sentence():
    ev = _one("""
青禾县文学艺术界联合会
2022年度部门整体支出绩效评价报告
按照要求,本部门对2022年整体支出开展绩效自评,自评得分91.5分。
""")
    assert ev.evaluation_mode == "self"


def test_a_unit_whose_place_opens_with_a_reference_character():
    # 本溪, 全州, 原平: place names, not 本单位 / 全市 / 原单位
    ev = _one("""
本溪满族自治县妇女联合会2022年度部门整体支出绩效自评报告
2022年全年预算50.00万元,实际支出48.00万元。
""")
    assert ev.unit.name == "本溪满族自治县妇女联合会"
    assert ev.unit.county == "本溪满族自治县"


def test_a_final_accounts_page_with_a_project_score_stays_final_accounts():
    ev = _one("""
青禾县妇女联合会2022年度部门决算
第一部分 部门概况
2022年度收入合计120.00万元,支出合计118.00万元。
(三)预算绩效管理情况。本部门对助学项目开展绩效自评,自评得分96分,评价等级为优。
""")
    assert ev.document_kind == "final_accounts"


def test_a_form_continued_after_a_page_break_is_one_form():
    text = """
部门整体支出绩效自评表
部门\t青禾县总工会
年度预算执行情况(万元)\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分
年度资金总额\t100.00\t110.00\t104.50\t10\t95.00%\t9.5
绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分
\t产出指标\t数量指标\t慰问职工户数\t≥100户\t120户\t20\t20
第 1 页,共 2 页
部门整体支出绩效自评表(续)
绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分
\t满意度指标\t服务对象满意度指标\t职工满意度\t≥90%\t95%\t10\t10
总分\t\t\t\t\t\t100\t95.5
"""
    result = parse_document(read_bytes(text.encode(), "form.txt"), "form.txt")
    assert len(result.evaluations) == 1
    ev = result.evaluations[0]
    assert ev.total_score == Decimal("95.5")
    assert ev.metrics["expenditure_yuan"].value == Decimal("1045000")


def test_satisfaction_printed_without_its_percent_sign():
    from loaders.normalize import parse_value
    from loaders.records import Indicator
    from loaders.satisfaction import satisfaction_from

    def row(target: str, actual: str) -> Indicator:
        return Indicator(level=3, level1="满意度指标", level2="服务对象满意度指标", level3="群众满意度",
                         dimension="satisfaction", target=parse_value(target), actual=parse_value(actual),
                         target_raw=target, actual_raw=actual)

    assert [s.pct for s in satisfaction_from([row("≥90%", "0.92")])] == [Decimal("92.00")]
    assert [s.pct for s in satisfaction_from([row("≥90百分比", "93.1")])] == [Decimal("93.1")]
    # a bare number under a target that is not a rate says nothing about a percentage
    assert [s.pct for s in satisfaction_from([row("≥90分", "93.1")])] == [None]


def test_a_project_report_naming_a_second_project_keeps_its_score_and_grade():
    ev = _one("""
青禾县团委2023年度青少年宫培训项目支出绩效自评报告
2023年,团县委共实施项目2个:青少年宫培训项目和心理服务项目。本报告为青少年宫培训项目自评情况。
经自评,该项目2023年度绩效自评得分96.4分,评价等级为“优”。
""")
    assert ev.total_score == Decimal("96.4")
    assert ev.grade == "优"


def test_a_department_report_does_not_take_one_projects_score():
    ev = _one("""
青禾县团委2023年度部门整体支出绩效自评报告
2023年,团县委共实施项目2个:青少年宫培训项目和心理服务项目。
1.青少年宫培训项目。该项目自评得分96.4分,评价等级为“优”。
""")
    assert ev.total_score is None
    assert ev.grade is None


@pytest.mark.parametrize("label", ["部门(单位)全称", "单位全称", "填表单位"])
def test_unit_labels(label):
    ev = _one(f"""
青禾县科学技术协会2022年度部门整体支出绩效自评报告
{label}:青禾县科学技术协会 (公章)
""")
    assert ev.unit.name == "青禾县科学技术协会"


def test_a_filled_in_by_unit_gives_way_to_the_implementing_unit():
    ev = _one("""
项目支出绩效自评表
项目名称\t职工疗休养
实施单位\t青禾县职工服务中心
填报单位\t青禾县总工会
""")
    assert ev.unit.name == "青禾县职工服务中心"


NUMBERED_WRAPPED = """
部门整体支出绩效评价自评表
序号 | 一级指标 | 二级指标 | 三级指标 | 指标分值 | 指标解释 | 评分标准 | 自评得分 |
1 | 决策 (10分) |
目标设定 (10分) | 目标合理性 | 6 | 目标是否合理。 | 合理得6分 |
5.5 |
2 | 目标明确性 | 4 | 目标是否明确。 | 明确得4分 | 4 | |
3 | 效果 (20分) |
满意度 (20分) | 服务对象满意度 | 20 | 问卷调查。 |
满意度≥95%得20分 |
18 |
合计 | | | | 40 | | | 27.5 |
"""


def test_numbered_rows_that_wrap_over_lines():
    ev = _one(NUMBERED_WRAPPED)
    got = [(i.level1, i.level2, i.level3, i.weight, i.score) for i in ev.indicators]
    assert got == [
        ("决策 (10分)", "目标设定 (10分)", "目标合理性", Decimal("6"), Decimal("5.5")),
        ("决策 (10分)", "目标设定 (10分)", "目标明确性", Decimal("4"), Decimal("4")),
        ("效果 (20分)", "满意度 (20分)", "服务对象满意度", Decimal("20"), Decimal("18")),
    ]


SCORE_SHEET = """
2022 年部门整体支出绩效评价得分表 一级指标 二级指标 三级指标 得分 部门决 策(20 分) 目标任务(10 分) 相关性(5 分)
5 明确性(5 分)
4.5 预算编制(10 分) 测算依据(10 分)
9 部门绩 效(20 分) 履职成效(20 分) 活动开展场次(12 分)
11 满意度(8 分)
7.5 总分
37
"""


def test_a_score_sheet_with_weights_in_its_labels_and_wrapped_scores():
    ev = _one(SCORE_SHEET)
    got = [(i.level1, i.level2, i.level3, i.weight, i.score) for i in ev.indicators]
    assert got == [
        ("部门决策", "目标任务", "相关性", Decimal("5"), Decimal("5")),
        ("部门决策", "目标任务", "明确性", Decimal("5"), Decimal("4.5")),
        ("部门决策", "预算编制", "测算依据", Decimal("10"), Decimal("9")),
        ("部门绩效", "履职成效", "活动开展场次", Decimal("12"), Decimal("11")),
        ("部门绩效", "履职成效", "满意度", Decimal("8"), Decimal("7.5")),
    ]


def test_a_score_sheet_whose_scores_do_not_add_up_is_not_read():
    ev = _one(SCORE_SHEET.replace("\n37\n", "\n38\n"))
    assert ev.indicators == []


def test_a_csv_dump_is_read_as_table_rows():
    from loaders.extract.textnorm import csv_cells

    lines = [
        '"青禾县人民医院2022年度单位整体支出绩效自评表",,,,,,,,',
        '"单位名称","青禾县人民医院",,,,,"金额单位:元",,',
        '"预算执行情况",,"年初预算数","全年预算数","全年执行数","分值","执行率","得分",',
        ',"资金总额","1,000,000.00","1,200,000.00","1,140,000.00","10","0.95","9.5",',
        ',,,"出院患者人次","≥4.2万人次","4.06万人次","10","9","住院部改造期间压缩床位,',
        '改造完成后已恢复"',
        '经自评,该单位得分95分,等级为优。',
    ]
    out = csv_cells(lines)
    assert len(out) == len(lines)
    assert out[3].split("\t")[1:5] == ["资金总额", "1,000,000.00", "1,200,000.00", "1,140,000.00"]
    assert out[4].split("\t")[-1] == "住院部改造期间压缩床位, 改造完成后已恢复" and out[5] == ""
    assert out[6] == lines[6]  # prose keeps its commas
    ev = _one("\n".join(lines))
    assert ev.metrics["expenditure_yuan"].value == Decimal("1140000")
    assert ev.metrics["expenditure_yuan"].line == 4


def test_prose_with_commas_is_not_a_csv_dump():
    from loaders.extract.textnorm import csv_cells

    lines = ["经自评,该项目得分95分,等级为优,预算执行率98%,满意度96%。"] * 8
    assert csv_cells(lines) == lines


def test_satisfaction_as_a_fraction_under_a_fraction_target():
    from loaders.normalize import parse_value
    from loaders.records import Indicator
    from loaders.satisfaction import satisfaction_from

    ind = Indicator(level=3, level1="满意度指标", level2="服务对象满意度指标", level3="患者满意度",
                    dimension="satisfaction", target=parse_value("≥0.85"), actual=parse_value("0.912"),
                    target_raw="≥0.85", actual_raw="0.912")
    assert [s.pct for s in satisfaction_from([ind])] == [Decimal("91.200")]


def test_a_half_filled_form_has_no_total():
    ev = _one("""
部门整体支出绩效自评表
一级指标\t二级指标\t三级指标\t分值\t年度指标值\t实际完成值\t得分
产出指标\t数量指标\t培训人次\t50\t≥100人次\t\t
效益指标\t社会效益指标\t群众知晓率\t50\t≥90%\t\t
总分\t\t\t100\t\t\t
""")
    assert ev.total_score is None


def test_a_grade_in_brackets_is_not_the_reports():
    ev = _one("""
青禾县工商业联合会2022年度部门整体支出绩效自评报告
经自评,本单位2022年度部门整体支出绩效自评得分为91.5分,评价等级为优,较上年(2021年度等级良好)有所提升。
""")
    assert ev.total_score == Decimal("91.5")
    assert ev.grade == "优"


def test_a_firm_that_carried_out_the_evaluation():
    ev = _one("""
青禾县红十字会应急救护培训项目绩效评价报告
受贵局委托,青禾正信会计师事务所有限公司(以下简称“我公司”)组成评价工作小组,于2023年3月至4月对青禾县红十字会2022年度应急救护培训项目实施了绩效评价。
""")
    assert ev.evaluation_mode == "third_party"


def test_a_template_in_traditional_characters_is_recognised():
    from loaders.extract.textnorm import simplified

    assert simplified(["項目支出績效自評表", "項目名稱\t職工服務"]) == ["项目支出绩效自评表", "项目名称\t职工服务"]
    assert simplified(["项目支出绩效自评表"]) is None
    text = (REPORTS_DIR / "002_e1e9dc7755af7730.txt").read_text(encoding="utf-8")
    import opencc

    trad = opencc.OpenCC("s2t").convert(text)
    result = parse_document(read_bytes(trad.encode("utf-8"), "trad.txt"), "trad.txt")
    plain = parse_document(read_bytes(text.encode("utf-8"), "plain.txt"), "plain.txt")
    assert result.source.family == plain.source.family != "general"
    (ev,), (ref,) = result.evaluations, plain.evaluations
    assert ev.total_score == ref.total_score
    assert {k: m.value for k, m in ev.metrics.items()} == {k: m.value for k, m in ref.metrics.items()}
    assert [(i.weight, i.score) for i in ev.indicators] == [(i.weight, i.score) for i in ref.indicators]


def test_a_money_row_whose_label_spans_two_columns():
    text = """
| 资金投入情况(万元) | | 全年预算数(A) | 全年执行数(B) | 预算执行率(B/A×100%) | |
| 年度资金总额: | | 86.40 | 80.35 | 93.00% | |
"""
    m = _metrics(_one(text))
    assert (m["budget_adjusted_yuan"], m["expenditure_yuan"], m["budget_exec_pct"]) == (
        Decimal("864000"), Decimal("803500"), Decimal("93.00"))
    # a row that does not line up with its header (a cell missing) is not read by position
    shifted = text.replace("| 年度资金总额: | | 86.40 |", "| 年度资金总额: | 86.40 |")
    m = _metrics(_one(shifted))
    assert m.get("budget_adjusted_yuan") != Decimal("803500")


def test_a_budget_code_before_the_implementing_unit_is_not_part_of_its_name():
    text = "\n".join(["\t".join(r) for r in [
        ["项目支出绩效自评表"], ["(2022年度)"],
        ["项目名称", "青少年暑期托管服务项目", "", "", "", "", "", ""],
        ["主管部门", "630-共青团第十师北屯市委员会", "", "", "实施单位", "630001-共青团第十师北屯市委员会", "", ""],
        ["项目资金(万元)", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", "15.00", "15.00", "14.10", "10", "94.00%", "9.4"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["产出指标", "数量指标", "托管学生人数", "≥200人", "216人", "90", "88", ""],
        ["总分", "", "", "", "", "100", "97.4", ""]]])
    ev = parse_document(read_bytes(text.encode(), "coded.txt"), "coded.txt").evaluations[0]
    assert ev.unit.name == "共青团第十师北屯市委员会"


def test_a_template_that_takes_a_label_with_the_unit_s_name_gives_way():
    # an OCR'd form: the rotated label's last character, then 单位名称, run into the name
    text = "\n".join(["2021年度乳源瑶族自治县总工会部门整体支出绩效自评表", "部门整体支出绩效自评表", "（2021年度）", "金额单位：万元",
                      "况 单位名称 乳源瑶族自治县总工会",
                      "整体绩效 按资金来源 年度部门整体 全年预算数 全年执行数 执行率",
                      "合计 612.48 589.37 96.23%",
                      "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分",
                      "产出指标 数量指标 困难职工帮扶慰问户数 ≥300户 326户 50 50",
                      "满意度指标 服务对象满意度指标 职工满意度 ≥90% 95% 50 50",
                      "自评得分 100"])
    ev = parse_document(read_bytes(text.encode(), "ocr.txt"), "ocr.txt").evaluations[0]
    assert ev.unit.name == "乳源瑶族自治县总工会"


def test_the_general_reading_fills_scores_a_template_left_empty():
    # a 自评分 column the national form template does not know: its rows come without scores, the
    # general reading's rows (same names, same weights) have them
    text = "\n".join(["\t".join(r) for r in [
        ["部门整体支出绩效自评表"], ["(2023年度)"],
        ["部门名称", "某街道办事处", "", "", "", "", "", "", ""],
        ["年度预算执行情况(万元)", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
        ["", "年度资金总额", "100.00", "120.00", "114.00", "10", "95.00%", "9.5", ""],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "自评分", "偏差原因分析及改进措施"],
        ["", "产出指标", "数量指标", "老旧小区改造完成个数", "≥5个", "5个", "45", "45", ""],
        ["", "满意度指标", "服务对象满意度指标", "辖区居民满意度", "≥90%", "92.8%", "45", "44", ""],
        ["总分", "", "", "", "", "", "100", "98.5", ""]]])
    ev = parse_document(read_bytes(text.encode(), "n.txt"), "n.txt").evaluations[0]
    assert [(i.level3, i.weight, i.score) for i in ev.indicators if i.level3] == [
        ("老旧小区改造完成个数", Decimal(45), Decimal(45)), ("辖区居民满意度", Decimal(45), Decimal(44))]


def test_the_general_reading_fills_rows_a_template_read_without_weights_and_scores():
    # an OCR'd form whose rotated block label came out reversed (标指效绩): the national template
    # reads the names but neither weights nor scores; the general reading has them
    text = "\n".join(["2021年度某县总工会部门整体支出绩效自评表", "部门整体支出绩效自评表", "（2021年度）", "金额单位：万元",
                      "单位名称 某县总工会",
                      "整体绩效 按资金来源 年度部门整体 全年预算数 全年执行数 执行率",
                      "合计 612.48 589.37 96.23%",
                      "标指效绩 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 未完成原因分析",
                      "产出指标 数量指标 职工技能竞赛和培训人次 ≥1000人次 1126人次 50 50",
                      "帮扶对象精准识别率 100% 100% 30 30",
                      "满意度指标 服务对象满意度指标 帮扶对象满意度 ≥90% 95% 20 19",
                      "自评得分 99"])
    ev = parse_document(read_bytes(text.encode(), "ocr2.txt"), "ocr2.txt").evaluations[0]
    got = {i.level3: (i.weight, i.score, i.target_raw) for i in ev.indicators if i.level3}
    assert got["职工技能竞赛和培训人次"] == (Decimal(50), Decimal(50), "≥1000人次")
    assert got["帮扶对象精准识别率"] == (Decimal(30), Decimal(30), "100%")
