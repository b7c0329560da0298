"""Document kinds (loaders.extract.kinds.classify) on short invented texts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders import extract
from loaders.extract import kinds, make_context
from loaders.records import DOCUMENT_KINDS, Evaluation, Indicator, Unit


def kind(text: str, ev: Evaluation | None = None, fields=None) -> str:
    ctx = make_context(text.strip("\n").splitlines(), "t.txt")
    if ev is None:
        ev = Evaluation(unit=Unit(name=None), fiscal_year=None, report_kind=None)
    return kinds.classify(ctx, fields or {}, ev)


FINAL_ACCOUNTS_TOC = """
当前位置:首页 > 信息公开 > 财政预决算 > 部门决算
青山县农业农村局2022年度部门决算
发布日期:2023-09-12
目录
第一部分 部门概况
一、主要职责
二、机构设置
第二部分 2022年度部门决算表
一、收入支出决算总表
二、收入决算表
三、支出决算表
第三部分 2022年度部门决算情况说明
第四部分 名词解释
"""

FINAL_ACCOUNTS_PROSE = """
青山县妇女联合会2023年部门决算
2023年度本部门决算汇编范围的独立核算单位共1个。
2023年度收、支总计188.20万元,与2022年相比减少10.5万元。
2023年本年收入合计188.20万元,其中:一般公共预算财政拨款收入188.20万元,占100%。
"""

FINAL_ACCOUNTS_WITH_PERFORMANCE_TOC = """
2022年度部门决算
目 录
第一部分 2022年度部门决算报表
一、收入支出决算总表
二、收入决算表
第二部分 2022年度部门决算说明
第三部分 2022年度其他重要事项的情况说明
第四部分 2022年度部门绩效评价情况
第一部分 2022年度部门决算报表
报表详见附件。
第二部分 2022年度部门决算说明
一、部门基本情况
"""

FINAL_ACCOUNTS_FLAT = """
文档下载 | 共12页
青山镇卫生院2021年部门决算公开表20221017093512.xls
收入支出决算总表 部门:青山镇卫生院 收入 项目 行次 金额 一、一般公共预算财政拨款收入 1 2,345,678.90 收入决算表 支出决算表 财政拨款收入支出决算总表
"""

BUDGET_DISCLOSURE = """
青山县文化旅游局2024年部门预算
目录
第一部分 部门概况
第二部分 2024年部门预算表
一、部门收支总表
二、部门收入总表
三、部门支出总表
四、财政拨款收支总表
第三部分 2024年部门预算情况说明
"""

RUBRIC = """
部门整体支出绩效评价指标体系
一级指标 二级指标 三级指标 分值 评价标准 得分
投入 预算配置 在职人员控制率 2 在职人员控制率≤100%,计2分;每超过一个百分点扣0.2分,扣完为止。
投入 预算配置 三公经费变动率 4 变动率≤0,计4分;每超过一个百分点扣0.4分,扣完为止。
"""

TEMPLATE = """
2023年XX单位XX项目绩效自评表
单位名称: 填报日期:
项目名称 主管部门 项目实施单位
预算执行情况(万元) 预算数(A) 执行数(B) 执行率(B/A) 得分
一级指标 二级指标 三级指标 年初目标值 实际完成值 得分
"""

TEMPLATE_INSTRUCTIONS = """
项目支出绩效自评表填报说明
一、本表由项目实施单位填写。
二、预算数为调整后的全年预算数。
"""

PROJECT_DISCLOSURE = """
青山区总工会2023年重点领域财政项目公开
青山区总工会2023年职工疗休养项目
一、项目名称
职工疗休养专项资金
二、立项依据
依据有关规定,区财政每年安排专项资金用于职工疗休养。
三、项目实施单位
单位名称:青山区总工会
"""

EVAL_TOC_ONLY = """
青山县残疾人联合会2022年度部门整体支出绩效评价报告
目录
一、部门基本情况......1
二、绩效评价工作开展情况......2
三、综合评价情况及评价结论......3
四、绩效评价指标分析......4
五、存在的问题和改进措施......6
"""

TOC_ONLY = """
目录
第一部分 单位概况
一、主要职责
二、机构设置
第二部分 工作开展情况
第三部分 附件
"""

EVAL_PROSE = """
青山县红十字会2022年度项目支出绩效自评报告
一、项目基本情况
2022年财政下达专项资金30万元,实际支出28.5万元,预算执行率95%。
二、绩效自评结论
经自评,该项目自评得分为92分,评价等级为优。
"""

EVAL_MENTIONS_FINAL_ACCOUNTS = """
青山乡2022年度部门整体支出绩效自评报告
一、部门基本情况
纳入青山乡2022年度部门决算编报的单位共3个,其中行政单位1个。
二、部门决算情况
2022年度部门决算支出合计560.2万元,其中基本支出410.1万元。
"""

EVAL_FORM = """
部门整体支出绩效自评表
(2023年度)
部门|青山县农业农村局|
年初预算数|全年预算数|全年执行数|分值|执行率|得分|
年度资金总额|1846.52|1846.52|1800.00|10|97.48%|9.7|
"""

EVAL_UNTITLED = """
一、部门基本情况
(一)部门概况
省红十字会始建于1913年,内设办公室等4个处室。
(二)部门预决算情况
2022年初收入预算为1058.36万元,全年预算安排收入1386.92万元。
"""

# A 决算 page under its own title whose 绩效评价情况 part states one project's self-evaluation score
# stays a 决算 page: the score is that project's, not the department's (the record would otherwise
# enter score comparisons as a department scored 95).
FINAL_ACCOUNTS_SCORED_PROJECT = """
2022年度部门决算
第四部分 2022年度部门绩效评价情况
一、项目绩效自评结果
2022年度职工之家建设项目自评得分95分,等级为优。
"""

# A mid-year monitoring form states goals and progress (1-7月执行数), not an evaluation's result.
MONITORING = """
青禾县残疾人联合会2022年度项目绩效运行监控情况
项目支出绩效目标执行监控表(2022年度)
项目名称	残疾人康复服务
年初预算数	1-7月执行数	1-7月执行率	全年预计执行数
64.00	27.52	43.00%	64.00
"""

EVAL_MASKED_YEAR = """
工会项目绩效自评报告
20xx年中、省下达困难职工帮扶资金846.5万元,全年执行资金797.9万元,执行率94.26%。
"""

EVAL_RUBRIC_SCORED = """
项目支出绩效评价指标体系及评分表
一级指标 二级指标 三级指标 分值 评分标准 得分
决策 项目立项 立项依据充分性 3 依据充分得满分,否则酌情扣分 3
过程 资金管理 资金到位率 4 到位率100%得满分 4
综合得分 92.5
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        (FINAL_ACCOUNTS_TOC, "final_accounts"),
        (FINAL_ACCOUNTS_PROSE, "final_accounts"),
        (FINAL_ACCOUNTS_WITH_PERFORMANCE_TOC, "final_accounts"),
        (FINAL_ACCOUNTS_FLAT, "final_accounts"),
        (BUDGET_DISCLOSURE, "budget_disclosure"),
        (RUBRIC, "rubric"),
        (TEMPLATE, "template"),
        (TEMPLATE_INSTRUCTIONS, "template"),
        (PROJECT_DISCLOSURE, "project_disclosure"),
        (MONITORING, "project_disclosure"),
        (TOC_ONLY, "toc"),
        (EVAL_TOC_ONLY, "evaluation"),
        (EVAL_PROSE, "evaluation"),
        (EVAL_MENTIONS_FINAL_ACCOUNTS, "evaluation"),
        (EVAL_FORM, "evaluation"),
        (EVAL_UNTITLED, "evaluation"),
        (FINAL_ACCOUNTS_SCORED_PROJECT, "final_accounts"),
        (EVAL_MASKED_YEAR, "evaluation"),
        (EVAL_RUBRIC_SCORED, "evaluation"),
    ],
)
def test_kind(text, expected):
    assert kind(text) == expected


def test_every_kind_is_registered():
    for text in (FINAL_ACCOUNTS_TOC, BUDGET_DISCLOSURE, RUBRIC, TEMPLATE, PROJECT_DISCLOSURE, TOC_ONLY, EVAL_PROSE):
        assert kind(text) in DOCUMENT_KINDS


def test_placeholder_template_with_scores_is_an_evaluation():
    ev = Evaluation(unit=Unit(name=None), fiscal_year=2023, report_kind="project", total_score=Decimal("96"))
    assert kind(TEMPLATE, ev) == "evaluation"


def test_scored_indicator_rows_make_a_rubric_an_evaluation():
    ev = Evaluation(unit=Unit(name=None), fiscal_year=None, report_kind=None)
    ev.indicators = [
        Indicator(level1="投入", level2="预算配置", level3=name, dimension=None, weight=Decimal(w), score=Decimal(w))
        for name, w in (("在职人员控制率", "2"), ("三公经费变动率", "4"))
    ]
    assert kind(RUBRIC, ev) == "evaluation"


def test_region_placeholder_on_a_named_unit_is_not_a_template():
    text = """
青山县残疾人联合会部门整体支出绩效评价报告
××市财政局(制)
项目名称:残疾人专职委员补贴
项目单位:青山县残疾人联合会
"""
    named = Evaluation(unit=Unit(name="青山县残疾人联合会"), fiscal_year=None, report_kind=None)
    assert kind(text, named) == "evaluation"


def test_breadcrumb_is_not_a_title():
    text = """
首页 > 政府信息公开 > 预算决算 > 市级部门决算
青山市团市委2021年度项目绩效自评报告
一、项目基本情况
"""
    assert kind(text) == "evaluation"


def test_disclosure_title_needs_a_year():
    # a bare table cell '部门预算' is not the page's title
    text = """
预算类型
部门预算
项目名称
社区科普活动经费
"""
    assert kind(text) == "evaluation"


BLANK_FORM = """
文档下载 资源大小:24.87KB 全文页数:9页
项目支出绩效自评表
( 年度)
项目名称 主管部门 实施单位
项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分
年度资金总额 10
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
"""

FILLED_FORM_CUT_EARLY = """
项目支出绩效自评表
(2022年度)
项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分
年度资金总额 18 18 16.2 10 0.9 9
"""


def test_blank_form_is_a_template():
    assert kind(BLANK_FORM) == "template"


def test_filled_form_is_an_evaluation():
    assert kind(FILLED_FORM_CUT_EARLY) == "evaluation"


def test_blank_form_of_a_named_unit_is_an_evaluation():
    named = Evaluation(unit=Unit(name="青山县民政局"), fiscal_year=None, report_kind=None)
    assert kind(BLANK_FORM, named) == "evaluation"


def test_final_accounts_title_over_two_lines_and_with_site_suffix():
    two_lines = """
2018年度青山州电子政务办公室
部门决算公开说明
第一部分 部门单位概况
一、主要职能
"""
    suffixed = """
青山县审计局2020年部门决算-青山县人民政府
保密审查情况:已审查
"""
    assert kind(two_lines) == "final_accounts"
    assert kind(suffixed) == "final_accounts"


def test_flattened_final_accounts_with_bracketed_toc():
    text = "青山区河道管理处 2021 年度决算公开说明 (目录) 第一部分:基本情况 一、部门主要职能 二、机构设置 第二部分:2021 年度部门决算情况说明"
    assert kind(text) == "final_accounts"


def test_a_grade_given_makes_a_rubric_an_evaluation():
    assert kind(RUBRIC + "合计 96.6\n评价等级:优秀\n") == "evaluation"


def test_grade_bands_of_a_rubric_are_not_a_grade():
    assert kind(RUBRIC + "评价等级分为优、良、中、差四个等级,优(90分以上)。\n") == "rubric"


def test_an_ex_ante_assessment_is_not_an_evaluation():
    lines = ["某县妇联2024年度儿童关爱基地建设项目事前绩效评估报告", "", "一、项目基本情况", "项目申请资金40.00万元。",
             "二、评估结论", "经综合评估，该项目评估得分86分，等级为良，建议予以支持。"]
    ev = extract.run(lines)[0]
    assert ev.document_kind == "project_disclosure"


def test_a_page_titled_as_a_projects_targets_is_a_project_disclosure():
    text = """某区民政局2024年度困难群众救助补助资金项目绩效目标
一、项目基本情况
项目名称：困难群众救助补助资金
2024年预算金额：1,286.50万元
二、项目绩效目标
产出指标 数量指标 救助人次 ≥12000人次
(三)绩效目标将作为年中绩效运行监控和年度绩效自评的依据，自评结果将按规定公开。"""
    assert kind(text) == "project_disclosure"
    # a self-evaluation of the targets is not one
    assert kind("某区民政局2023年度困难群众救助补助资金项目绩效目标自评表\n自评得分96分\n") == "evaluation"


# Pages about evaluations that are not one (documents.toml [kind_genres]): the title's ending
# decides, whatever scores the page quotes.

def test_a_finance_bureaus_results_bulletin_is_a_notice():
    text = """首页 > 政务公开 > 财政信息
关于2023年度县直部门整体支出绩效评价结果的通报
各县直部门：
现将评价结果通报如下：县总工会92分，评价等级为优；县妇联85分，评价等级为良。"""
    assert kind(text) == "notice"


def test_a_procurement_notice_for_an_evaluation_service_is_a_notice_but_a_units_result_notice_is_not():
    text = """某县总工会2023年度帮扶项目绩效评价服务采购项目中标结果公告
一、项目名称：某县总工会2023年度帮扶项目绩效评价服务
中标金额：3.20万元，评审得分91.50"""
    assert kind(text) == "notice"
    # a unit publishing its own evaluation result keeps it (no procurement word before 公示)
    own = """某县总工会2023年度部门整体支出绩效自评结果公示
经自评，我会2023年度部门整体支出自评得分95分，评价等级为优。"""
    assert kind(own) == "evaluation"


def test_a_rectification_report_quoting_the_evaluation_is_a_rectification():
    text = """某县总工会
关于2022年度职工帮扶项目绩效评价发现问题整改情况的报告
区财政局：
评价结果为：项目综合得分82.5分，评价等级为良。针对评价指出的问题，我会整改如下。"""
    assert kind(text) == "rectification"
    # an evaluation report with a section on rectification stays an evaluation
    report = """某县总工会2022年度职工帮扶项目绩效自评报告
一、项目概况
二、自评结论：自评得分91分，评价等级为优。
三、上年评价发现问题的整改情况
已全部整改。"""
    assert kind(report) == "evaluation"


def test_an_audit_report_is_an_audit():
    text = """关于2023年度医疗服务能力提升项目资金管理使用情况的内部审计报告
审计科于2024年2月对项目资金进行了专项审计。项目预算300万元，支出276万元。"""
    assert kind(text) == "audit"


def test_an_appraisal_of_an_evaluation_agencys_work_is_an_appraisal():
    text = """第三方机构绩效评价工作质量考核表（2022年职工疗休养服务项目）
考核内容 | 分值 | 计分标准 | 分数
评价方案编制质量 | 15 | 方案完整得15分 | 14
总分 | 100 | | 92"""
    assert kind(text) == "appraisal"


def test_a_menu_item_or_a_later_title_does_not_make_a_genre():
    # a short menu line ending with 通报, then the evaluation's own title
    assert kind("工作通报\n某县总工会2022年度部门整体支出绩效自评报告\n自评得分95分\n") == "evaluation"
    # an evaluation title on an earlier line wins over a bulletin quoted below it
    text = """某县妇联2022年度部门整体支出绩效自评报告
附：关于2021年度部门整体支出绩效评价结果的通报
自评得分90分。"""
    assert kind(text) == "evaluation"


def test_every_document_kind_has_a_name_and_a_place_in_the_warehouse():
    import re

    from loaders import lexicon
    from warehouse import registry

    names = lexicon.load("documents")["kind_names"]
    assert set(names) == set(DOCUMENT_KINDS)
    sql = next(o.sql for o in registry.OBJECTS if o.name == "evaluation")
    check = re.search(r"CHECK \(document_kind IN \(([^)]*)\)\)", sql).group(1)
    assert set(re.findall(r"'([a-z_]+)'", check)) == set(DOCUMENT_KINDS)
    genres = lexicon.load("documents")["kind_genres"]
    assert set(genres) <= set(DOCUMENT_KINDS)


def test_a_units_self_report_for_an_appraisal_of_its_performance_management_work():
    text = """某区民政局2022年度预算绩效管理工作考核自评报告
根据区财政局通知,我局对照考核细则逐项自评,自评得分96分。"""
    assert kind(text) == "appraisal"
    # a spending evaluation's own title stays one
    assert kind("某区民政局2022年度部门整体支出绩效考核报告\n自评得分96分。\n") == "evaluation"


def test_a_mid_year_monitoring_report_quoting_last_years_score_is_no_evaluation():
    from loaders import extract

    lines = ["某县总工会2023年度预算绩效运行监控情况报告", "县财政局:",
             "截至2023年6月30日,累计支出96.28万元,预算执行率46.88%。",
             "我会2022年度部门整体支出绩效自评得分95.2分,等级为“优”。"]
    ev = extract.run(lines)[0]
    assert (ev.document_kind, ev.unit.name, ev.fiscal_year) == ("project_disclosure", "某县总工会", 2023)
