"""Spec of the prose strategy: figures stated in sentences (invented sentences, not corpus text)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders.extract import prose
from loaders.extract.base import make_context
from loaders.extract.resolve import resolve


def read(*lines: str) -> dict:
    cands = prose.read(make_context(list(lines)))
    assert all(c.rank in (2, 3) and c.strategy == "prose" for c in cands)  # never a table cell's rank
    # figures of one project in a text naming several are marked; the evaluation keeps them only
    # when the report is on that one project (tests/extract/test_third_set_rules.py)
    fields, _ = resolve([c for c in cands if c.scope is None])
    return {k: r.value for k, r in fields.items()}


def D(s: str) -> Decimal:
    return Decimal(s)


# --- money -------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, field, value", [
    ("本项目年初预算资金30万元,全部为县级财政资金。", "budget_initial_yuan", "300000"),
    ("年初批复预算为56.5万元。", "budget_initial_yuan", "565000"),
    ("2022年初单位预算安排8万元。", "budget_initial_yuan", "80000"),
    ("该项目全年预算数为48.00万元。", "budget_adjusted_yuan", "480000"),
    ("调整后预算数为52万元。", "budget_adjusted_yuan", "520000"),
    ("县财政共下达我局项目资金66万元。", "budget_adjusted_yuan", "660000"),
    ("2021年预算安排资金15万元,用于职工培训。", "budget_adjusted_yuan", "150000"),
    ("项目预算资金为7万元。", "budget_adjusted_yuan", "70000"),
    ("全年共支出9.5万元。", "expenditure_yuan", "95000"),
    ("截至2021年12月31日,实际支出资金12.3万元。", "expenditure_yuan", "123000"),
    ("全年执行数为20万元。", "expenditure_yuan", "200000"),
    ("该经费决算数为18.00万元。", "expenditure_yuan", "180000"),
    ("实际执行支出预算1020.5万元。", "expenditure_yuan", "10205000"),
    ("2022年本年收入合计356.2万元。", "revenue_total_yuan", "3562000"),
])
def test_money_named_by_its_clause(sentence, field, value):
    assert read(sentence).get(field) == D(value)


def test_units_scale_to_yuan():
    assert read("全年预算数为1.2亿元。")["budget_adjusted_yuan"] == D("120000000")
    assert read("全年预算数为3,456,789.50元。")["budget_adjusted_yuan"] == D("3456789.50")
    assert read("全年预算数为850元。")["budget_adjusted_yuan"] == D("850")
    assert read("下达资金合计28.6万(含追加资金)。")["budget_adjusted_yuan"] == D("286000")


def test_budget_and_spending_in_one_sentence():
    got = read("该项目年初预算数为40万元,全年预算数为42万元,全年执行数为39.9万元,执行率为95%。")
    assert got["budget_initial_yuan"] == D("400000")
    assert got["budget_adjusted_yuan"] == D("420000")
    assert got["expenditure_yuan"] == D("399000")
    assert got["budget_exec_pct"] == D("95")


def test_a_named_full_year_budget_beats_an_unqualified_one():
    got = read("部门支出预算为500万元。", "调整后全年预算支出数为520万元。")
    assert got["budget_adjusted_yuan"] == D("5200000")


def test_weak_names_yield_to_strong_ones():
    got = read("帮扶专项资金64万元,财政预算内拨款64万元。", "(1)慰问专项资金60万元。", "(2)救助专项资金4万元。")
    assert got["budget_adjusted_yuan"] == D("640000")
    assert read("科普活动专项经费28万元,用于全年宣传。")["budget_adjusted_yuan"] == D("280000")


def test_markdown_emphasis_around_a_figure():
    assert read("部门整体总得分为 **88.78** 分,绩效评级为“良”。")["total_score"] == D("88.78")


def test_unqualified_budget_restating_the_initial_one_is_not_the_adjusted_budget():
    got = read("年初预算资金10万元,资金已全部到位。", "2021年,财政预算项目资金10万元,支付10万元。")
    assert got["budget_initial_yuan"] == D("100000")
    assert "budget_adjusted_yuan" not in got
    assert got["expenditure_yuan"] == D("100000")


def test_two_different_unqualified_budgets_leave_the_field_absent():
    got = read("局财政下达资金20万元。", "县财政安排资金25万元。")
    assert "budget_adjusted_yuan" not in got


@pytest.mark.parametrize("sentence", [
    "补助标准为每人每年600元。",
    "人均慰问费用500元。",
    "资助标准为小学生500元/年。",
    "收入合计比上年增加31.5万元,增长8.2%。",
    "全年支出比上年减少12万元。",
    "基本支出80.5万元,占总支出的70%。",
    "项目资金实际到位15万元,资金到位率100%。",
    "年末结余资金3.2万元。",
    "单位资产合计520万元,其中固定资产净值300万元。",
    "一般公共预算财政拨款收入88万元。",
    "医疗收入达到4亿元。",
    "联系电话0371-61234567,邮编474350。",
    "根据县财预〔2021〕56号文件。",
    "项目年度目标为:争取上级资金100万元。",
    "三公经费支出2.3万元。",  # not the document's spending (goes to its own field)
    "本年度开展培训12期,支出培训费3.6万元。",  # a kind of spending, not the total
    "年中追加预算20万元。",
    "一般公共预算拨款1180万元。",
    "收入预算执行率为100%。",
    "预算执行率=实际支出/预算数×100%。",
    "全年项目资金支出进度为100%。",
    "项目资金50万元已于2021年6月全部拨付到位。",
])
def test_distractors_give_no_budget_or_spending(sentence):
    got = read(sentence)
    for f in ("budget_initial_yuan", "budget_adjusted_yuan", "expenditure_yuan", "budget_exec_pct"):
        assert f not in got, (sentence, got)


def test_fund_sources_and_breakdowns_are_parts():
    got = read("全年共投入资金300万元。其中中央资金投入200万元,省级资金投入100万元。")
    assert got["budget_adjusted_yuan"] == D("3000000")
    got = read("全年执行资金250万元(中央资金执行150万元,省级资金执行100万元),执行率83.33%。")
    assert got["expenditure_yuan"] == D("2500000")
    assert got["budget_exec_pct"] == D("83.33")


def test_rate_of_a_fund_source_is_not_the_document_rate():
    got = read("中央资金完成120万元,预算执行率80%,省级资金完成50万元,预算执行率100%。")
    assert "budget_exec_pct" not in got
    assert "expenditure_yuan" not in got


def test_total_word_overrides_a_fund_source():
    got = read("2021年上级从中央和省级资金中,累计向我县拨付专项补助300.5万元。")
    assert got["budget_adjusted_yuan"] == D("3005000")


def test_topics_three_public_and_procurement():
    got = read("“三公”经费预算10万元,实际支出8.5万元。", "政府采购预算30万元,实际采购金额28万元,政府采购执行率93.33%。")
    assert got["three_public_budget_yuan"] == D("100000")
    assert got["three_public_actual_yuan"] == D("85000")
    assert got["procurement_budget_yuan"] == D("300000")
    assert got["procurement_exec_pct"] == D("93.33")
    assert "expenditure_yuan" not in got and "budget_adjusted_yuan" not in got


# --- several projects in one report -------------------------------------------------------------

def test_figures_of_one_project_are_not_the_reports():
    got = read(
        "2021年县财政共下达我单位项目资金50万元,共2个项目,分别为:甲经费30万元;乙经费20万元。",
        "1.甲经费。该项目财政拨入资金30万元,截至年底支出28万元。",
        "2.乙经费。该项目财政拨入资金20万元,截至年底支出20万元,执行率100%。",
    )
    assert got["budget_adjusted_yuan"] == D("500000")
    assert "expenditure_yuan" not in got
    assert "budget_exec_pct" not in got
    scoped = {(c.field, c.value) for c in prose.read(make_context([
        "共2个项目,分别为:甲经费30万元;乙经费20万元。", "2.乙经费。该项目截至年底支出20万元,执行率100%。"]))
        if c.scope == "project"}
    assert scoped == {("expenditure_yuan", D("200000")), ("budget_exec_pct", D("100"))}


def test_single_project_report_reads_its_project_sentences():
    got = read("1.资金情况:该项目年初预算资金8万元,截至年底支出7.2万元。")
    assert got["budget_initial_yuan"] == D("80000")
    assert got["expenditure_yuan"] == D("72000")


# --- rates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, value", [
    ("预算执行率为96.5%。", "96.5"),
    ("部门整体预算执行率达到100%。", "100"),
    ("全年执行数30万元,执行率为0.96。", "96"),
])
def test_execution_rate(sentence, value):
    assert read(sentence)["budget_exec_pct"] == D(value)


@pytest.mark.parametrize("sentence", [
    "资金到位率100%。",
    "预算执行率目标≥90%。",
    "预算执行率达到90%以上。",
    "支付进度达到85%。",
    "基本支出执行率98%。",
    "上年预算执行率为88%。",
])
def test_not_the_execution_rate(sentence):
    assert "budget_exec_pct" not in read(sentence)


def test_satisfaction():
    assert read("经问卷调查,受益群众满意度为98.6%。")["satisfaction_pct"] == D("98.6")
    assert read("服务对象满意率达97%。")["satisfaction_pct"] == D("97")
    assert "satisfaction_pct" not in read("服务对象满意度指标值为≥90%。")
    assert "satisfaction_pct" not in read("群众满意度达到90%以上。")


# --- score and grade --------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, value", [
    ("经综合评价,自评分为92分。", "92"),
    ("该项目绩效评价综合得分88.5分,评价等级为“良”。", "88.5"),
    ("本次评价最终得分为95分。", "95"),
    ("该单位2022年度整体支出绩效自评得分为93.5分,自评等次为优秀。", "93.5"),
])
def test_total_score(sentence, value):
    assert read(sentence)["total_score"] == D(value)


@pytest.mark.parametrize("sentence", [
    "评价指标体系总分值为100分。",
    "满分100分。",
    "产出指标得分45分。",
    "预算执行率指标自评得分10分。",
    "90分(含)以上为优。",
    "扣2分。",
    "总得分90分以上为优。",
    "支出预算完成率为100%得满分。",
])
def test_not_the_total_score(sentence):
    assert "total_score" not in read(sentence)


@pytest.mark.parametrize("sentence, grade", [
    ("综合得分91分,评价等次为“优”。", "优"),
    ("绩效评价等级为优秀。", "优秀"),
    ("自评等级:良好。", "良好"),
    ("评价得分为92分,评价结论为“优”。", "优"),
])
def test_grade(sentence, grade):
    assert read(sentence)["grade_raw"] == grade


@pytest.mark.parametrize("sentence", [
    "评价等级分为优、良、中、差四个等次。",
    "评价等次为优(90分以上)、良(80-89分)。",
    "被评为优秀党支部。",
])
def test_grade_rubric_and_honours_give_nothing(sentence):
    assert "grade_raw" not in read(sentence)


# --- headcounts -------------------------------------------------------------------------------

def test_headcounts():
    got = read("本单位核定编制15人,其中:行政编制10人,事业编制5人,在职实有14人。")
    assert got["headcount_authorised"] == D("15")
    assert got["headcount_actual"] == D("14")
    got = read("现有行政编制(参公)9名,年底实有人员8人。")
    assert got["headcount_authorised"] == D("9")
    assert got["headcount_actual"] == D("8")


@pytest.mark.parametrize("sentence", [
    "下属2个事业单位,各核定编制10人。",
    "退休人员6人。",
    "全年服务职工1200人次。",
    "内设机构4个。",
])
def test_headcount_distractors(sentence):
    got = read(sentence)
    assert "headcount_authorised" not in got and "headcount_actual" not in got


def test_table_rows_are_left_to_the_table_strategies():
    assert read("| 年初预算数 | 35万元 | 执行率 | 96% |") == {}


def test_traditional_text_is_read_after_normalisation():
    assert read("該項目全年預算數為12萬元,全年執行數為12萬元。")["expenditure_yuan"] == D("120000")


# --- rules added with the unseen u15–u26 replicas --------------------------------------------

def test_unit_broken_onto_the_next_line_completes_the_figure():
    got = read("区科协对2021年度整体支出进行了自评,自评得分为88.4", "分,等级为良。")
    assert got["total_score"] == D("88.4")


def test_a_lone_number_line_takes_no_unit_from_the_next_line():
    assert "total_score" not in read("自评得分", "分,以下同。")


@pytest.mark.parametrize("sentence, field, value", [
    ("2022年部门预算收入合计88.50万元,其中年初预算80.00万元,追加8.50万元。", "budget_adjusted_yuan", "885000"),
    ("年初批复预算收入56.6万元。", "budget_initial_yuan", "566000"),
])
def test_budget_income_is_the_budget(sentence, field, value):
    assert read(sentence)[field] == D(value)


@pytest.mark.parametrize("sentence", [
    "全镇完成一般公共预算收入3200万元。",
    "2022年决算收入合计88.50万元。",
])
def test_government_revenue_is_not_the_budget(sentence):
    assert "budget_adjusted_yuan" not in read(sentence)


def test_satisfaction_survey_result():
    assert read("学生及家长满意度调查结果为93.5%。")["satisfaction_pct"] == D("93.5")


def test_headcount_stated_as_a_checked_number():
    got = read("机构编制部门核定人数112人、年末在职人数104人、离退休人数61人。")
    assert got["headcount_authorised"] == D("112")
    assert got["headcount_actual"] == D("104")


def test_a_sentence_wrapped_by_the_page_width_is_read_whole():
    ctx = make_context([
        "(一)部门职能。区文联是区委领导下的人民团体,负责联系和服务全区文艺工作者,机关行政编制 6 名,实有在职",
        "人员 5 名,无下属单位。",
        "二、预算执行",
        "全年实际支出 96.03 万元。",
    ])
    cands = {c.field: c for c in prose.read(ctx)}
    assert cands["headcount_actual"].value == D("5") and cands["headcount_actual"].line == 2
    assert cands["headcount_authorised"].value == D("6") and cands["headcount_authorised"].line == 1
    assert cands["expenditure_yuan"].line == 4


def test_the_parts_of_the_years_spending():
    got = read("2022年全年支出121.93万元,其中:基本支出92.17万元(人员经费70.10万元、公用经费22.07万元),项目支出29.76万元。",
               "基本支出预算95.00万元,项目支出较上年增加3.20万元。")
    assert got["expenditure_yuan"] == D("1219300")
    assert got["exp_basic_yuan"] == D("921700")
    assert got["exp_personnel_yuan"] == D("701000")
    assert got["exp_public_operating_yuan"] == D("220700")
    assert got["exp_project_yuan"] == D("297600")


def test_the_score_of_the_rate_is_not_the_reports():
    got = read("(一)自评得分96分", "年初预算120万元,全年执行128.04万元,执行率97%,自评分19.4分。")
    assert got["total_score"] == D("96")
    assert got["budget_exec_pct"] == D("97")


def test_a_grade_followed_by_an_aside_about_another_year_is_read():
    got = {c.field: c.value for c in prose.read(make_context(
        ["经自评,本单位2022年度部门整体支出绩效自评得分为91.5分,评价等级为优秀(2021年度自评得分88分,等级良好)。"]))}
    assert got["grade_raw"] == "优秀" and got["total_score"] == Decimal("91.5")


def test_a_grade_followed_by_its_rule_is_not_read():
    got = {c.field for c in prose.read(make_context(["评价等级为优秀(90分及以上),良好(80-90分)。"]))}
    assert "grade_raw" not in got


def test_a_grade_right_after_its_label():
    got = {c.field: c.value for c in prose.read(make_context(["综合评价得分95.29分，评价等级优。"]))}
    assert got["grade_raw"] == "优"
    assert "grade_raw" not in {c.field for c in prose.read(make_context(["评价等级优良率达到98%。"]))}


def test_a_headcount_given_as_parts_and_their_sum():
    got = read("本单位核定行政编制9名、事业编制3名,共12名;年末实有在职人员11名。")
    assert got["headcount_authorised"] == 12 and got["headcount_actual"] == 11


def test_parts_that_do_not_add_up_to_the_total_give_no_headcount():
    got = read("本单位核定行政编制9名、事业编制3名,共13名。")
    assert "headcount_authorised" not in got


def test_a_word_list_s_tab_after_the_item_number_is_running_text():
    # Word numbering converted to text: "1.<TAB>…"; the sentence is read as prose, not as a row
    got = read("1.\t预算安排。2022年年初预算安排58.20万元,调整后预算61.40万元。",
               "2.\t支出情况。全年实际支出60.10万元,预算执行率97.88%。")
    assert got["budget_initial_yuan"] == D("582000") and got["expenditure_yuan"] == D("601000")
    assert got["budget_exec_pct"] == D("97.88")


@pytest.mark.parametrize("lines, value", [
    (["2022年政府采购预算86.00万元，实际完成政府采购81.27万元，主要为办公设备。"], "812700"),
    # a PDF's line cut between the label and its figure, the figure opening the next line
    (["本年度公务用车运行维护费及公务接待费；政府采购预算86.00万元，实际采购", "81.27万元，主要为检测设备。"], "812700"),
])
def test_procurement_actual(lines, value):
    assert read(*lines)["procurement_actual_yuan"] == D(value)


def test_sections_of_a_report_on_several_projects():
    # a department's statement covering itself and its projects: a numbered heading naming a
    # project opens that project's section; a numbered paragraph about the department as a whole
    # is the report's own
    got = read("区红十字会对2023年度部门整体支出和全部2个项目支出开展了绩效自评。",
               "(二)资金情况。2023年部门整体全年预算数118.64万元,全年执行数112.37万元,执行率94.72%。",
               "(一)应急救护培训经费绩效自评综述",
               "项目全年预算数18.00万元,执行数17.10万元,执行率95.00%,自评得分96分。",
               "(二)人道救助经费绩效自评综述",
               "项目全年预算数25.00万元,执行数25.00万元,执行率100%,自评得分98分。")
    assert got["budget_adjusted_yuan"] == D("1186400") and got["expenditure_yuan"] == D("1123700")
    assert got["budget_exec_pct"] == D("94.72") and "total_score" not in got


def test_a_wechat_report_on_several_projects_numbered_with_keycaps():
    got = read("📌 一、基本情况", "2023年共实施预算项目2个,全年预算合计18.00万元,实际支出17.10万元,总体执行率95.00%。",
               "📌 二、各项目自评情况", "1️⃣ 青少年思想引领活动经费",
               "💰 资金情况:年初预算12.00万元,实际支出11.46万元,预算执行率95.50%。",
               "2️⃣ 关爱留守儿童项目", "💰 资金情况:年初预算6.00万元,实际支出5.64万元,预算执行率94.00%。",
               "📌 三、结论", "2023年2个项目自评等级均为“优”。")
    assert got["budget_adjusted_yuan"] == D("180000") and got["expenditure_yuan"] == D("171000")
    assert got["budget_exec_pct"] == D("95.00") and got["grade_raw"] == "优"


def test_numbered_topics_of_a_department_report_are_its_own():
    # a count of what the unit produced ("扶持创作项目17个") makes no report on several projects,
    # and a numbered paragraph on one of the report's topics is the report's own
    got = read("(三)产出情况。扶持文艺精品创作项目17个,举办培训班6期。",
               "(四)“三公”经费。2023年“三公”经费预算9.80万元,决算6.94万元。",
               "(五)政府采购。2023年政府采购预算22.40万元,实际执行20.96万元。",
               "(六)满意度:问卷调查满意度为95.6%。")
    assert got["procurement_budget_yuan"] == D("224000") and got["procurement_actual_yuan"] == D("209600")
    assert got["satisfaction_pct"] == D("95.6") and got["three_public_budget_yuan"] == D("98000")


def test_a_report_on_several_projects_said_so():
    got = read("2023年共实施预算项目3个,全年预算合计28.00万元,实际支出26.76万元。",
               "1.青少年思想引领活动经费。该项目年初预算12.00万元,实际支出11.46万元。")
    assert got["budget_adjusted_yuan"] == D("280000") and got["expenditure_yuan"] == D("267600")


def test_a_time_word_keeps_the_topic_of_the_sentence():
    got = read("全年实际支出219.86万元,预算执行率96.12%。",
               "“三公”经费年初预算3.20万元,全年支出2.46万元,较上年下降9.23%。")
    assert got["expenditure_yuan"] == D("2198600") and got["three_public_actual_yuan"] == D("24600")
    assert got["three_public_budget_yuan"] == D("32000")


def test_a_project_heading_joined_with_the_text_under_it_still_opens_its_section():
    # without blank lines (a spreadsheet copy), the heading and its paragraph run together
    got = read("2023年共实施预算项目2个,全年预算合计18.00万元,实际支出17.10万元。",
               "1. 青少年权益保护(12355热线)经费",
               "自评结果:自评得分93分,等级为“优”,满意度93.5%。",
               "2. 关爱留守儿童项目",
               "自评结果:自评得分96分,满意度97%。")
    assert "total_score" not in got and "satisfaction_pct" not in got


def test_a_grade_in_corner_brackets():
    # traditional-character sites quote with 「」
    got = read("经评价,自评得分92分,评价等级为「优」。")
    assert got["grade_raw"] == "优" and got["total_score"] == 92


def test_text_with_a_space_between_every_character():
    got = read("截 至 2024 年 12 月 31 日 ， 项 目 实 际 支 出 93.60 万 元 ， 预 算 执 行 率 93.60% 。",
               "本 项 目 年 初 预 算 安 排 项 目 资 金 80.00 万 元 。")
    assert got["expenditure_yuan"] == D("936000") and got["budget_exec_pct"] == D("93.60")
    assert got["budget_initial_yuan"] == D("800000")


def test_a_quoted_grade_followed_by_the_bands_in_brackets_is_read():
    got = read("经评价,2023年度部门整体支出综合评分91.75分,评价等级为“优”(综合评分90分(含)以上为优、80分(含)至90分为良)。")
    assert got["grade_raw"] == "优" and got["total_score"] == D("91.75")
    # a list of quoted grades with their bands gives none
    assert "grade_raw" not in read("评价等级分为“优”(90分以上)、“良”(80-90分)、“中”、“差”。")


def test_a_rate_after_a_spending_breakdown_is_the_wholes_when_the_arithmetic_says_so():
    budget = "年初预算196.24万元,全年预算228.74万元。"
    got = read(budget + "全年实际支出219.86万元,其中基本支出157.36万元、项目支出62.50万元,预算执行率96.12%。")
    assert got["budget_exec_pct"] == D("96.12")  # 219.86 / 228.74
    # a rate that is not the whole's spending over a budget may be the last part's: not read
    got = read(budget + "全年实际支出219.86万元,其中基本支出157.36万元、项目支出62.50万元,预算执行率91.20%。")
    assert "budget_exec_pct" not in got


def test_money_not_spent_is_not_spending():
    got = read("全年预算数8.50万元,全年执行数7.27万元,预算执行率85.53%。未执行资金1.23万元,主要是活动取消。")
    assert got["expenditure_yuan"] == D("72700")
    assert "expenditure_yuan" not in read("项目结余资金1.23万元。") and "expenditure_yuan" not in read("未使用资金3万元。")


def test_a_report_on_several_projects_under_numbered_headings_gives_one_evaluation_each():
    from loaders import extract

    lines = [
        "某区侨联2023年度项目支出绩效自评报告",
        "我会对2023年度实施的2个预算项目分别开展了绩效自评。我会核定编制4名,实有3名。",
        "一、侨界困难群众帮扶资金项目",
        "(一)资金情况。该项目年初预算数8.00万元,全年执行数7.84万元,预算执行率98.00%。",
        "(二)自评结论。该项目自评得分94分,等级为“优”。",
        "二、侨界文化交流活动经费项目",
        "(一)资金情况。该项目年初预算数6.50万元,全年预算数8.50万元,全年执行数7.27万元,预算执行率85.53%。",
        "(二)自评结论。该项目自评得分85.5分,等级为“良”。",
        "三、存在的问题",
        "各项目绩效目标设置不够细化。",
    ]
    evs = extract.run(lines)
    projects = {e.project_name: e for e in evs if e.project_name}
    assert set(projects) == {"侨界困难群众帮扶资金项目", "侨界文化交流活动经费项目"}
    a, b = projects["侨界困难群众帮扶资金项目"], projects["侨界文化交流活动经费项目"]
    assert (a.total_score, a.grade, a.metrics["expenditure_yuan"].value) == (D("94"), "优", D("78400"))
    assert (b.total_score, b.grade, b.metrics["budget_adjusted_yuan"].value) == (D("85.5"), "良", D("85000"))
    assert a.metrics["headcount_authorised"].value == 4  # the unit's staffing, stated once for both
    # the report's own record takes none of the projects' figures
    whole = evs[0]
    assert whole.project_name is None and "expenditure_yuan" not in whole.metrics


def test_a_heading_about_every_project_names_none():
    from loaders.extract import make_context

    ctx = make_context(["共3个项目。", "二、各项目自评情况", "1. 青少年思想引领活动经费", "资金12万元。",
                        "2. 青年志愿服务项目经费", "资金10万元。"])
    assert [name for name, _, _ in prose.project_sections(ctx)] == ["青少年思想引领活动经费", "青年志愿服务项目经费"]


def test_a_figure_told_as_a_problem_yields_to_the_reports_own_statement():
    lines = ["二、预算执行情况", "截至9月30日,区总工会支出执行数261.93万元,预算执行率73.07%。",
             "六、主要问题及具体建议", "1.预算执行进度偏慢", "追加的帮扶资金40.00万元于8月下达,截至9月底仅支付12.36万元。",
             "七、其他"]
    assert read(*lines)["expenditure_yuan"] == D("2619300")
    # alone, it is still read (weaker evidence, but the only one)
    assert read(*lines[2:])["expenditure_yuan"] == D("123600")


def test_the_initial_budget_named_in_brackets_after_the_full_year_budget():
    got = read("2023年度,我会全年预算数298.74万元(年初预算数280.10万元,年中追加18.64万元),全年执行数291.36万元,预算执行率97.53%。")
    assert (got["budget_adjusted_yuan"], got["budget_initial_yuan"], got["expenditure_yuan"]) == (
        D("2987400"), D("2801000"), D("2913600"))
    # a breakdown in brackets stays a part
    assert read("全年执行资金250万元(中央资金执行150万元,省级资金执行100万元)。")["expenditure_yuan"] == D("2500000")


def test_a_report_outlines_own_sections_are_not_projects_in_a_text_naming_several():
    got = read("项目支出47.75万元涉及3个项目,均已完成单位自评。",
               "(三)效益情况。年末发放问卷500份,回收有效问卷483份,会员企业满意度98.2%。")
    assert got["satisfaction_pct"] == D("98.2")


def test_a_tenders_awarded_amount_is_the_procurement_spending():
    got = read("设备购置实行政府采购,政府采购预算386.00万元,实际中标金额371.25万元,节约资金14.75万元。")
    assert (got["procurement_budget_yuan"], got["procurement_actual_yuan"]) == (D("3860000"), D("3712500"))
    assert "expenditure_yuan" not in got


def test_the_total_of_the_funding_sources_is_the_years_budget_when_they_add_up():
    s = "项目资金来源为中央财政补助资金300.00万元、县级财政配套资金120.00万元、医院自筹资金85.40万元,合计505.40万元。"
    assert read(s)["budget_adjusted_yuan"] == D("5054000")
    assert "budget_adjusted_yuan" not in read(s.replace("505.40", "500.40"))  # they do not add up


def test_the_budget_after_an_addition_is_the_full_year_budget_and_the_addition_is_not():
    got = read("年初预算1,986.40万元,年中追加调整后全年预算2,352.18万元,全年实际支出2,261.09万元。")
    assert (got["budget_initial_yuan"], got["budget_adjusted_yuan"]) == (D("19864000"), D("23521800"))
    assert "budget_adjusted_yuan" not in read("年初预算100万元,年中追加20万元。")


def test_this_years_income_a_procurement_plan_and_teaching_staff_in_post():
    assert read("2023年度本年收入2,360.45万元,其中财政拨款收入2,318.60万元。")["revenue_total_yuan"] == D("23604500")
    got = read("全年政府采购计划26.40万元,实际采购金额25.10万元。")
    assert (got["procurement_budget_yuan"], got["procurement_actual_yuan"]) == (D("264000"), D("251000"))
    got = read("学校教职工编制168名,在职教职工172人。")
    assert (got["headcount_authorised"], got["headcount_actual"]) == (168, 172)
    assert "budget_adjusted_yuan" not in read("计划投资50万元。")


def test_parts_by_source_and_the_staff_of_a_subordinate_unit():
    got = read("全年预算数315.62万元,全年执行数301.97万元。按资金来源分,财政拨款全年预算268.40万元,执行258.75万元。")
    assert (got["budget_adjusted_yuan"], got["expenditure_yuan"]) == (D("3156200"), D("3019700"))
    got = read("核定行政编制18名,实有在编人员17名;所属事业单位某青少年活动中心核定事业编制22名,实有在编人员19名。")
    assert (got["headcount_authorised"], got["headcount_actual"]) == (18, 17)
