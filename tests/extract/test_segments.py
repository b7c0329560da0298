"""Several forms in one text give one evaluation each (invented text)."""

from __future__ import annotations

from decimal import Decimal

from loaders import extract


def form(project: str, budget: str, spent: str, indicator: str, score: str) -> list[str]:
    rows = [
        ["项目支出绩效自评表"],
        ["项目名称", project],
        ["主管部门", "某县总工会", "实施单位", "某县总工会"],
        ["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", budget, budget, spent, "10", "100%", "10"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", indicator, "≥10次", "12次", "20", score],
    ]
    return [" | ".join(r) + " |" for r in rows] + [""]


def test_two_forms_in_one_text_are_two_evaluations():
    lines = ["某县总工会2023年度项目支出绩效自评表汇总", ""] + form("职工帮扶", "30", "30", "帮扶活动次数", "20") \
        + form("劳模慰问", "12", "11", "慰问活动次数", "18")
    evs = extract.run(lines)
    assert [e.project_name for e in evs] == ["职工帮扶", "劳模慰问"]
    assert [e.metrics["budget_adjusted_yuan"].value for e in evs] == [Decimal(300000), Decimal(120000)]
    assert [[(i.level3, i.score) for i in e.indicators] for e in evs] == [
        [("帮扶活动次数", Decimal(20))], [("慰问活动次数", Decimal(18))]]
    # said once for the whole text: inherited by each form
    assert [e.fiscal_year for e in evs] == [2023, 2023]
    assert all(e.unit.name == "某县总工会" for e in evs)


def test_one_form_is_one_evaluation():
    evs = extract.run(["某县总工会2023年度项目支出绩效自评表", ""] + form("职工帮扶", "30", "30", "帮扶活动次数", "20"))
    assert len(evs) == 1 and evs[0].project_name == "职工帮扶"


def test_a_failing_strategy_is_skipped_and_flagged(monkeypatch):
    from loaders import extract as core

    def broken(ctx):
        raise ValueError("boom")

    monkeypatch.setattr(core, "STRATEGIES", core.STRATEGIES[:1] + (broken,) + core.STRATEGIES[1:])
    (ev,) = core.run(["某县总工会2023年度项目支出绩效自评表", ""] + form("职工帮扶", "30", "30", "帮扶活动次数", "20"))
    assert ev.project_name == "职工帮扶" and ev.metrics  # the other strategies still read
    assert any(f.code == "strategy_error" and "boom" in f.message for f in ev.quality_flags)


def test_a_template_that_fails_leaves_the_document_to_the_general_strategies(monkeypatch):
    from loaders import families
    from loaders.parse import parse_bytes

    text = "\n".join(["某县总工会2023年度项目支出绩效自评表", ""] + form("职工帮扶", "30", "30", "帮扶活动次数", "20"))

    class Broken:
        NAME = "broken_template"

        @staticmethod
        def extract(doc):
            raise KeyError("no such column")

    monkeypatch.setattr(families, "detect", lambda doc: Broken)
    result = parse_bytes(text.encode("utf-8"), "f.txt")
    (ev,) = result.evaluations
    assert result.source.family == "general" and ev.project_name == "职工帮扶"
    assert any("broken_template" in m for m in result.messages)


def test_a_report_on_several_projects_also_gives_one_evaluation_per_project():
    lines = [
        "某市总工会2022年度项目支出绩效自评报告",
        "2022年市财政共下达我会项目资金50万元,共2个项目。",
        "1.困难职工帮扶资金。该项目财政拨入资金30万元,截至2022年12月31日支出28.5万元。",
        "2.职工文体活动经费。该项目财政拨入资金20万元,截至2022年12月31日支出20万元。",
    ]
    whole, *projects = extract.run(lines)
    assert whole.project_name is None and whole.metrics["budget_adjusted_yuan"].value == Decimal(500000)
    got = [(e.project_name, e.metrics["budget_adjusted_yuan"].value, e.metrics["expenditure_yuan"].value) for e in projects]
    assert got == [("困难职工帮扶资金", Decimal(300000), Decimal(285000)), ("职工文体活动经费", Decimal(200000), Decimal(200000))]
    assert all(e.unit.name == whole.unit.name and e.fiscal_year == 2022 for e in projects)
    assert all(any(f.code == "project_of_report" for f in e.quality_flags) for e in projects)


def test_forms_written_as_space_separated_rows_are_split_too():
    # a PDF's text: each table row one line, its cells separated by spaces
    def spaced(project, budget, spent, score):
        return ["项目支出绩效自评表", "(2023年度)", f"项目名称 {project}", "主管部门 某县农业农村局 实施单位 某县某镇人民政府",
                "项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分",
                f"年度资金总额 0 {budget} {spent} 10 95.00% 9.5",
                "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分",
                f"产出指标 数量指标 新建厂房面积 ≥300平方米 320平方米 20 {score}", f"总分 100 {score}", ""]
    evs = extract.run(["某镇2023年度衔接资金项目绩效自评表公示", ""] + spaced("甲村加工厂建设项目", "60.00", "57.00", "18")
                      + spaced("乙村大棚建设项目", "45.00", "42.75", "17"))
    assert [e.project_name for e in evs] == ["甲村加工厂建设项目", "乙村大棚建设项目"]
    assert [e.metrics["expenditure_yuan"].value for e in evs] == [Decimal(570000), Decimal("427500")]
    assert [e.total_score for e in evs] == [Decimal(18), Decimal(17)]


def test_an_indicator_header_that_begins_like_a_money_column_does_not_stop_the_split():
    # one cell per line (TAB-led), "实际      完成值" spaced out in its cell: its first word is
    # also how 实际支出 begins, but a header with one money column is not a money grid
    def form(project, budget, spent):
        cells = ["项目支出绩效自评表", "项目名称", project, "主管部门", "某县总工会", "实施单位", "某县总工会",
                 "项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
                 "年度资金总额", budget, budget, spent, "10", "100%", "10",
                 "一级指标", "二级指标", "三级指标", "年度         指标值", "实际      完成值", "分值", "得分",
                 "产出指标", "数量指标", "慰问人数", "≥100人", "120人", "20", "20"]
        return ["\t" + c for c in cells] + [""]
    evs = extract.run(["某县总工会2022年度项目支出绩效自评表", ""] + form("夏送清凉", "20", "19") + form("金秋助学", "30", "30"))
    assert [e.project_name for e in evs] == ["夏送清凉", "金秋助学"]


def test_an_essay_sites_numbered_samples_are_read_one_by_one():
    from loaders import extract

    lines = [
        "科协部门整体支出绩效自评报告范文(精选2篇)",
        "科协部门整体支出绩效自评报告 篇1",
        "甲市乙区科学技术协会20xx年度部门整体支出绩效自评报告",
        "核定编制15名,实有在职13名。年初预算数186.52万元,全年执行数198.64万元。",
        "科协部门整体支出绩效自评报告 篇2",
        "丙县科学技术协会20xx年度部门整体支出绩效自评报告",
        "核定编制8名,实有在职7名。年初预算数96.40万元,全年执行数108.31万元。",
    ]
    evs = extract.run(lines)
    assert [(e.unit.name, e.fiscal_year, e.metrics["headcount_authorised"].value) for e in evs] == [
        ("甲市乙区科学技术协会", None, 15), ("丙县科学技术协会", None, 8)]
    # a heading numbered once, or samples out of order, split nothing
    assert len(extract.run(lines[:4])) == 1
