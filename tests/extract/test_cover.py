"""Spec of the cover strategy (loaders/extract/cover.py): invented cover blocks and titles in,
the fields the resolver would take out."""

from __future__ import annotations

import pytest

from loaders.extract import cover
from loaders.extract.base import make_context
from loaders.extract.resolve import resolve


def fields(lines: list[str]) -> dict:
    res, _ = resolve(cover.read(make_context(lines)))
    return {k: r.value for k, r in res.items()}


# ── unit_name ───────────────────────────────────────────────────────────────────────────────


def test_implementer_one_value_per_line():
    got = fields(["项目名称", "", "职工帮扶资金", "", "主管部门", "", "某某县财政局", "", "实施单位", "", "青山县总工会"])
    assert got["unit_name"] == "青山县总工会"
    assert got["project_name"] == "职工帮扶资金"
    assert got["report_kind"] == "project"


def test_implementer_beats_supervisor_on_one_row():
    got = fields(["主管部门 绿水市教育体育局 实施单位 绿水市第二中学 "])
    assert got["unit_name"] == "绿水市第二中学"


def test_supervisor_alone_is_taken_without_budget_code():
    got = fields(["项目名称 |", "困难群众救助 |", "主管部门 |", "[305]石门县民政局 |"])
    assert got["unit_name"] == "石门县民政局"


def test_budget_code_before_name_is_stripped():
    got = fields(["一、基本情况 项目名称: 敬老补贴 实施(主管)单位 412007-河口县民政局机关 金额单位: 万元"])
    assert got["unit_name"] == "河口县民政局机关"
    assert got["project_name"] == "敬老补贴"


def test_department_cover_label_and_seal():
    got = fields(["部门(单位):东湖市青少年宫(盖章)"])
    assert got["unit_name"] == "东湖市青少年宫"


def test_pipe_cells():
    got = fields(["部门整体支出绩效自评表 | ||||", "(2022年度) | ||||", "部门 | 南岭县林业局 | |||"])
    assert got == {"unit_name": "南岭县林业局", "fiscal_year": 2022, "report_kind": "department_overall", "evaluation_mode": "self"}


def test_glued_flattened_form_reads_labels_as_borders():
    line = "2021年度道路养护补助项目自评表单位名称:平川县交通运输局填报日期:2022年3月1日项目名称道路养护补助资金主管部门平川县交通运输局项目实施单位公路养护股项目类别1、部门预算项目"
    got = fields([line])
    assert got["unit_name"] == "公路养护股"  # the implementer, a section of the bureau
    assert got["project_name"] == "道路养护补助资金"
    assert got["fiscal_year"] == 2021
    assert got["report_date"] == "2022-03"


def test_spaced_pdf_text():
    got = fields(["项 目 名 称 : 青 年 交 流 活 动 经 费 项 目 单 位 : 北 山 市 青 年 联 合 会 主 管 部 门 : 北 山 市 青 年 联 合 会"])
    assert got["unit_name"] == "北山市青年联合会"
    assert got["project_name"] == "青年交流活动经费"


def test_short_and_full_government_name_are_one_unit():
    got = fields(["单位名称:桃源镇政府 填报日期:2022.4.2", "单位名称 | 桃源镇人民政府 | |||"])
    assert got["unit_name"] == "桃源镇人民政府"


def test_interleaved_columns_take_the_name_after_the_next_label():
    got = fields(["部门整体支出绩效自评表 (2021年度) 单位基本情况 单位名称 年度整体 东海市西岸区妇女联合会 一、维护妇女权益。"])
    assert got["unit_name"] == "东海市西岸区妇女联合会"
    assert got["fiscal_year"] == 2021


def test_placeholder_names_are_not_names():
    got = fields(["2022年XX单位XX项目绩效自评表单位名称:填报日期:项目名称主管部门项目实施单位项目类别"])
    assert "unit_name" not in got and "project_name" not in got
    assert got["fiscal_year"] == 2022
    assert "evaluation_mode" not in got  # a blank template states no evaluation


@pytest.mark.parametrize(
    "title, unit",
    [
        ("白沙县总工会2022年度部门整体支出绩效自评报告", "白沙县总工会"),
        ("附件2:2021年度广州市某区科学技术协会部门整体支出绩效自评表.pdf", "广州市某区科学技术协会"),
        ("共青团南江市委2020年度项目绩效自评报告", "共青团南江市委"),
        ("青田县残联2023年度辅具适配项目支出绩效自评报告", "青田县残联"),
        ("红石县人民医院2022年度部门决算", "红石县人民医院"),
        ("石桥镇中心卫生院2021年部门决算公开表.xls", "石桥镇中心卫生院"),
        ("黄冈县农业农村局农田建设项目资金", "黄冈县农业农村局"),
    ],
)
def test_unit_at_the_start_of_a_title(title, unit):
    lines = [title, "绩效评价报告"] if title.endswith("资金") else [title]
    assert fields(lines)["unit_name"] == unit


def test_title_words_are_not_a_unit():
    got = fields(["2020年度乡村专职委员工作补贴项目绩效自评报告"])
    assert "unit_name" not in got  # "…专职委" is not a name


def test_unit_introducing_itself_in_the_text():
    got = fields(["项目绩效自评报告", "一、单位概况", "清河县红十字会是党领导下的人道救助团体,承担应急救护培训。"])
    assert got["unit_name"] == "清河县红十字会"


def test_references_are_not_names():
    got = fields(["一、评价过程", "县财政局牵头组建评价工作组,对项目开展了绩效评价。"])
    assert "unit_name" not in got


def test_signature_over_a_date():
    got = fields(["某专项资金项目自评报告", "一、项目基本情况", "……", "中共远山市委办公室", "2020年5月8日"])
    assert got["unit_name"] == "中共远山市委办公室"
    assert got["report_date"] == "2020-05"


def test_page_publisher_is_not_the_unit():
    got = fields(["• 发布机构", "长岭县财政局", "长岭县妇女联合会2022年度项目支出绩效自评报告"])
    assert got["unit_name"] == "长岭县妇女联合会"


# ── fiscal_year ─────────────────────────────────────────────────────────────────────────────


def test_year_line_under_a_form_title_beats_dates():
    got = fields(["项目支出绩效自评表", "发布时间:2024-03-01", "2023年度)", "填报日期:2024年2月1日"])
    assert got["fiscal_year"] == 2023


def test_publication_and_document_numbers_are_not_years():
    got = fields(["工会项目绩效自评报告", "时间:2023-02-14 报告", "依据《某办法》(财预〔2022〕10号),20xx年帮扶资金已拨付。"])
    assert "fiscal_year" not in got


def test_title_year_with_du_beats_a_year_in_a_project_name():
    got = fields(["南坪区2021年中央化肥减量项目补助资金绩效自评", "发文日期 2023-05-25", "2022年度项目支出绩效自评表"])
    assert got["fiscal_year"] == 2022


def test_body_year_needs_budget_words():
    assert fields(["科普项目自评报告", "2021年度青少年科技创新大赛中,我区获奖5个。"]).get("fiscal_year") is None
    assert fields(["科普项目自评报告", "2021年度上级下达专项资金20万元。"])["fiscal_year"] == 2021


def test_year_of_the_evaluation_notice():
    got = fields(["某局项目资金", "绩效评价报告", "按照《关于开展2021年度财政重点绩效评价工作的通知》(某财绩〔2022〕3号)要求"])
    assert got["fiscal_year"] == 2021


# ── report_kind and project_name ────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "title, kind, name",
    [
        ("东城区总工会2022年度部门整体支出绩效评价报告", "department_overall", None),
        ("西湖区文化馆整体支出绩效自评报告", "department_overall", None),
        ("2021年部门预算项目支出绩效自评报告", "project", None),
        ("市总工会困难职工帮扶资金绩效自评报告", "project", "困难职工帮扶资金"),
        ("南乡县残联2023年度残疾人康复项目支出绩效自评报告", "project", "残疾人康复项目"),
        ("某某专项资金项目自评报告", "project", None),
        ("城北区2022年度部门决算", "department_overall", None),
        ("关于农村饮水安全项目的绩效自评报告", "project", "农村饮水安全项目"),
    ],
)
def test_title_kind_and_project(title, kind, name):
    got = fields([title])
    assert got["report_kind"] == kind
    assert got.get("project_name") == name


def test_project_under_the_title_in_brackets():
    got = fields(["共青团北岭市委2020年度项目绩效自评报告", "(青年志愿服务经费项目)"])
    assert got["project_name"] == "青年志愿服务经费项目"


def test_project_label_beats_department_cover_title():
    got = fields(["2020年度村级助残补贴项目绩效自评报告.doc", "某市残疾人联合会部门整体支出绩效评价报告 项目名称 村级助残补贴 项目单位 某市残疾人联合会"])
    assert got["report_kind"] == "project"
    assert got["project_name"] == "村级助残补贴"


def test_header_cell_is_not_a_project_name():
    got = fields(["序号", "项目名称", "决算金额(单位:万元)", "1"])
    assert "project_name" not in got


def test_project_from_the_evaluated_object():
    got = fields(["我们对平原县疾病预防控制中心免疫规划专项经费开展了绩效评价,有关情况报告如下:"])
    assert got["project_name"] == "平原县疾病预防控制中心免疫规划专项经费"
    assert got["unit_name"] == "平原县疾病预防控制中心"


def test_fund_issued_names_the_project():
    got = fields(["红十字会2021年度专项资金绩效评价报告", "2021财政下达人道救助专项资金23万元。"])
    assert got["project_name"] == "人道救助专项资金"


def test_own_funds_are_not_a_project():
    got = fields(["某会2020年度项目支出绩效评价自评报告", "2020年市财政共下达我会市级项目资金84万元,共3个项目。"])
    assert "project_name" not in got


# ── evaluation_mode and evaluator ───────────────────────────────────────────────────────────


def test_mode_field_and_evaluator_group():
    got = fields(["评价方式:部门(单位)绩效自评", "评价机构:部门(单位)评价组", "报告日期:2022年12月30日"])
    assert got["evaluation_mode"] == "self"
    assert got["evaluator"] == "部门(单位)评价组"
    assert got["report_date"] == "2022-12"


def test_ticked_checkbox():
    got = fields(["考评机构 中介机构□ 部门(单位)考评组☑ 财政考评组□ 项目负责人 张三"])
    assert got["evaluator"] == "部门(单位)考评组"
    assert got["evaluation_mode"] == "self"


def test_firm_as_evaluator_is_third_party():
    got = fields(["项目名称:文化活动经费 评价机构:华信会计师事务所有限公司"])
    assert got["evaluation_mode"] == "third_party"


def test_commissioned_firm_in_the_text():
    got = fields(["某局农村改厕项目资金", "绩效评价报告", "受某县财政局委托,我所对该项目资金开展了绩效评价。"])
    assert got["evaluation_mode"] == "third_party"


def test_finance_bureau_work_group():
    got = fields(["按照工作流程,县财政局牵头组建评价工作组,深入项目单位开展现场核查。"])
    assert got["evaluation_mode"] == "third_party"


def test_firm_assisting_a_self_evaluation_stays_self():
    got = fields(["某省帮扶资金项目2018年度绩效自评报告", "省总工会组建绩效自评工作专班,我公司受托作为工作专班成员,协助完成绩效自评工作。"])
    assert got["evaluation_mode"] == "self"


def test_firm_under_the_cover_title():
    got = fields(["东江区总工会", "2022 年度部门整体支出绩效评价报告", "", "江西某某咨询管理有限公司".replace("某某", "正信"), "2023 年 6 月"])
    assert got["evaluation_mode"] == "third_party"
    assert got["evaluator"] == "江西正信咨询管理有限公司"
    assert got["fiscal_year"] == 2022


def test_table_header_under_project_label_is_not_a_value():
    got = fields(["项目名称", "备注", "", "1", "项目名称", "职工送温暖", "主管部门"])
    assert got["project_name"] == "职工送温暖"


# ── rules added with the unseen u15–u26 replicas ────────────────────────────────────────────


def test_year_in_parentheses_without_du_after_a_title():
    got = fields(["平川市东城区本级部门项目支出绩效自评表(2021年)", "项目名称\t职工读书活动经费"])
    assert got["fiscal_year"] == 2021


def test_unit_named_once_before_its_short_name():
    got = fields(["某项目重点绩效评价报告",
                  "受远山市财政局委托,我所组成评价组,对远山市青禾区妇女联合会(以下简称“区妇联”)实施的项目开展评价。"])
    assert got["unit_name"] == "远山市青禾区妇女联合会"


def test_key_evaluation_word_is_not_part_of_the_project_name():
    got = fields(["远山市2021年度区总工会职工读书活动项目重点绩效评价报告"])
    assert not got.get("project_name", "").endswith("重点")


def test_a_list_of_other_documents_is_not_a_title():
    # a document site's "相关文档" line names other documents (last year's 决算): not this one's year
    lines = ["某市归国华侨联合会2022年度部门整体支出绩效自评表.doc", "",
             "部门整体支出绩效自评表 (2022年度) 部门名称 某市归国华侨联合会 自评总分 94",
             "相关文档 某市归国华侨联合会2021年度部门决算.doc 某市2022年度部门整体支出绩效自评工作通知.doc"]
    fields, conflicts = resolve(cover.read(make_context(lines)))
    assert fields["fiscal_year"].value == 2022 and not conflicts


def test_labels_stacked_then_their_values_in_the_same_order():
    # a PDF read column by column: the three labels, then the three values
    got = fields(["项目支出绩效自评表", "项目名称", "主管部门", "实施单位", "乡村文化站建设补助", "某县文化和旅游局", "某县某镇人民政府",
                  "项目资金", "(万元)"])
    assert got["unit_name"] == "某县某镇人民政府"
    assert got["project_name"] == "乡村文化站建设补助"


def test_stacked_labels_without_as_many_values_give_none():
    got = fields(["项目名称", "主管部门", "实施单位", "乡村文化站建设补助", "项目资金"])
    assert "unit_name" not in got


def test_a_unit_the_text_also_writes_in_full_is_read_in_full():
    got = fields(["某市科协2022年度部门整体支出绩效自评报告", "", "某市科学技术协会", "", "一、部门基本情况"])
    assert got["unit_name"] == "某市科学技术协会"
    got = fields(["吕梁市某区总工会", "某区总工会2023年度部门整体支出绩效自评报告", "一、基本情况", "某区总工会", "2024年3月1日"])
    assert got["unit_name"] == "吕梁市某区总工会"


def test_a_breadcrumb_is_not_a_title():
    got = fields(["首页 > 政务公开 > 预决算公开", "某县团委2023年度研学活动经费项目绩效自评表"])
    assert got["report_kind"] == "project"


def test_a_notice_about_the_report_names_its_issuer_not_the_unit():
    got = fields(["某区财政局关于公开2023年度重点项目绩效评价报告的通知(职工书屋建设项目)", "发布时间:2024-07-03", "",
                  "某市某区总工会职工书屋建设项目2023年度绩效评价报告", "", "某某管理咨询有限公司"])
    assert got["unit_name"] == "某市某区总工会"
    assert got["project_name"] == "职工书屋建设项目"


def test_a_title_run_into_a_table_with_comparators_is_still_a_title():
    # a flattened page: the title, then the table's cells, ">=90%" among them (not a breadcrumb)
    got = fields(["财政项目支出绩效自评表 (2023 年度) 社区康复服务补贴项目 项目名称 满意度 >=90% 93.5% 10 10"])
    assert got["fiscal_year"] == 2023


def test_a_link_to_the_next_page_is_not_a_title():
    # a site's "下一篇:" link names another page's report (here a department form)
    lines = ["某镇2023年度道路养护项目支出绩效自评表", "项目名称 | 道路养护项目", "实施单位 | 某镇人民政府",
             "上一篇:某镇2023年度环卫保洁项目支出绩效自评表", "下一篇:某镇2023年度部门整体支出绩效自评表"]
    got = fields(lines)
    assert got["report_kind"] == "project" and got["project_name"] == "道路养护项目"


def test_the_family_form_title_is_not_a_navigation_link():
    from loaders.parse import parse_bytes
    text = "\n".join(["项目支出绩效自评表", "(2023年度)",
                      "项目名称 | 道路养护项目 | 主管部门 | 某县交通运输局 | 实施单位 | 某镇人民政府",
                      "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分",
                      "年度资金总额 | 40.00 | 40.00 | 38.00 | 10 | 95.00% | 9.5",
                      "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分",
                      "产出指标 | 数量指标 | 养护道路里程 | ≥20公里 | 21公里 | 90 | 90",
                      "总分 | | | | | 100 | 99.5",
                      "下一篇:某镇2023年度部门整体支出绩效自评表"])
    ev = parse_bytes(text.encode(), "nav.txt").evaluations[0]
    assert ev.report_kind == "project" and ev.project_name == "道路养护项目"


def test_a_finance_bureau_publishing_the_evaluation_it_commissioned_is_not_the_unit():
    lines = ["某县财政局", "某县2022年度残疾人托养项目财政重点绩效评价报告(摘要)",
             "县财政局委托某某会计师事务所有限公司(以下简称“评价机构”)对某县残疾人联合会(以下简称“县残联”)实施的2022年度残疾人托养项目开展了财政重点绩效评价。",
             "经综合评价，该项目综合得分86.5分。", "某县财政局", "2023年9月27日"]
    got = fields(lines)
    assert got["unit_name"] == "某县残疾人联合会"
    assert got["evaluator"] == "某某会计师事务所有限公司" and got["evaluation_mode"] == "third_party"


def test_an_evaluator_label_inside_a_sentence_gives_no_evaluator():
    lines = ["某县2022年度项目绩效评价报告", "评价机构按照决策、过程、产出、效益四个维度设置评价指标体系。"]
    assert "evaluator" not in fields(lines)


def test_a_title_over_two_lines_whose_second_qualifies_the_ending():
    lines = ["某市某区2022年城镇老旧小区改造项目", "财政重点绩效评价报告", "", "项目名称：2022年城镇老旧小区改造项目",
             "报告日期：2023年9月12日"]
    got = fields(lines)
    assert got["fiscal_year"] == 2022


def test_a_site_tag_before_the_title_and_a_youth_league_name_in_short_and_in_full():
    lines = ["【信息公开】莲池团区委2023年度项目支出绩效自评报告", "", "共青团保定市莲池区委员会", "2024年4月19日"]
    got = fields(lines)
    assert got["unit_name"] == "共青团保定市莲池区委员会" and got["fiscal_year"] == 2023
    # the party committee of the same district is another unit
    assert fields(["莲池团区委2023年度项目支出绩效自评报告", "中共保定市莲池区委员会"])["unit_name"] == "莲池团区委"


def test_a_quoted_name_in_a_title_and_a_site_s_list_of_other_documents():
    lines = ["梨树县妇联2022年度“两癌”救助项目绩效自评报告.docx", "",
             "1、梨树县妇女联合会2022年度“两癌”困难妇女救助项目绩效自评报告一、项目基本情况(一)项目概况。为帮助困难妇女……", "",
             "相关资源", "更多", "2022年度部门整体支出绩效自评报告模板.docx", "", "学海文库网站版权所有"]
    got = fields(lines)
    assert got["report_kind"] == "project" and got["fiscal_year"] == 2022
    # the file's name writes the project short, the report's own title in full
    assert got["project_name"] == "“两癌”困难妇女救助项目"


def test_a_form_without_implementer_whose_title_names_another_unit_than_the_supervisor():
    lines = ["格尔木市疾病预防控制中心2022年度转移支付项目绩效目标自评表", "转移支付项目绩效目标自评表", "(2022年度)",
             "项目名称 重大传染病防控经费", "主管部门 市卫生健康委员会"]
    assert fields(lines)["unit_name"] == "格尔木市疾病预防控制中心"


def test_a_japanese_character_form_from_ocr_reads_as_the_chinese_label():
    # an OCR engine's CJK model writes 単 for 单: "实施単位" is the 实施单位 label (ocr.toml [words])
    from loaders import extract

    ev = extract.run(["项目名称 职工文化阵地运行经费", "主管部门 某市总工会", "実施単位 某市工人文化宫", "自评得分 94.5分"])[0]
    assert ev.unit.name == "某市工人文化宫"


def test_a_partnership_firm_as_evaluator_is_a_third_party_and_a_department_wide_item_is_no_project():
    from loaders import extract

    ev = extract.run(["某区总工会2023年1-9月部门整体支出绩效评价报告", "项目名称:2023年1-9月部门整体支出绩效评价",
                      "实施单位:某区总工会", "评价机构:西藏雅江联合会计师事务所(普通合伙)", "综合得分86.45分。"])[0]
    assert (ev.evaluation_mode, ev.report_kind, ev.project_name) == ("third_party", "department_overall", None)


def test_an_industry_union_named_in_a_title():
    from loaders import extract

    ev = extract.run(["河南省教科文卫体工会2021年度项目支出绩效自评报告", "项目名称:一线职工疗休养项目", "自评得分95分。"])[0]
    assert (ev.unit.name, ev.unit.province, ev.fiscal_year) == ("河南省教科文卫体工会", "河南省", 2021)


def test_a_label_line_under_a_short_tab_row_starts_a_row_of_its_own():
    # "评价等级\t优" then "填报人:\t…\t联系电话:\t62170358…": not one row cut in two
    from loaders.extract.textnorm import wrapped_rows

    lines = ["一级指标\t二级指标\t三级指标\t指标值\t实际值\t满分\t得分\t未完成原因分析"] * 3 + [
        "评价等级\t优", "填报人:\t周某\t联系电话:\t62170000\t\t填报日期:\t2023年6月30日"]
    assert wrapped_rows(lines) == lines
