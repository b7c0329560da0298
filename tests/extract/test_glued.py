"""Forms flattened with no separator at all: figures are split only where the arithmetic of
the form leaves one split (invented texts)."""

from __future__ import annotations

from decimal import Decimal

from loaders.extract import glued, make_context

HEAD = "项目自评表单位名称:某县住建局项目名称危房改造资金预算执行情况(万元)(20分)预算数(A)执行数(B)执行率(B/A)得分(20分*执行率)年度财政资金总额"


def money(run: str) -> dict:
    return {c.field: c.value for c in glued.read(make_context([HEAD + run + "度效标年绩目二级指标三级指标年初目标值(A)实际完成值(B)得分"]))}


def test_a_glued_money_row_splits_by_its_arithmetic():
    # 312.5 | 300 | 96% | 19.2: 300 / 312.5 = 96%, 20 × 96% = 19.2
    assert money("312.530096%19.2") == {
        "budget_adjusted_yuan": Decimal("3125000"), "expenditure_yuan": Decimal("3000000"), "budget_exec_pct": Decimal(96)}


def test_a_rate_printed_as_a_fraction():
    # 5.6 | 5.6 | 1 | 20
    assert money("5.65.6120")["budget_exec_pct"] == Decimal(100)


def test_a_run_no_split_of_which_fits_the_rate_is_not_read():
    # 10 | 10 | 10%? 10/10 = 100%, not 10%; 1010 | 10 → 0.99%; 101 | 010 has a leading zero
    ctx = make_context(["预算执行情况(万元)预算数(A)执行数(B)执行率(B/A)年度财政资金总额" + "10101010%" + "度" * 60])
    assert glued.read(ctx) == []


def test_the_only_split_that_fits_is_read():
    ctx = make_context(["预算执行情况(万元)预算数(A)执行数(B)执行率(B/A)年度财政资金总额" + "2222100%" + "度" * 60])
    got = {c.field: c.value for c in glued.read(ctx)}
    assert (got["budget_adjusted_yuan"], got["expenditure_yuan"]) == (Decimal(220000), Decimal(220000))


def test_glued_indicator_rows_split_at_percent_signs():
    line = (HEAD + "286.5271.694.8%18.96度效标年绩目二级指标三级指标年初目标值(A)实际完成值(B)得分出标产指"
            "数量指标改造户数21421420质量指标验收合格率100%100%10时效指标年底前竣工率100%96%9满意度指标服务对象满意度改造户满意度≥90%97%40总分")
    got = [(i.level3, i.target_raw, i.actual_raw, i.score) for i in glued.indicators(make_context([line]))]
    # the count row "21421420" splits several ways: left out
    assert got == [("验收合格率", "100%", "100%", Decimal(10)), ("年底前竣工率", "100%", "96%", Decimal(9)),
                   ("改造户满意度", "≥90%", "97%", Decimal(40))]


def test_a_percentage_over_100_in_a_glued_row_is_not_read():
    line = HEAD + "5.65.6120度效标二级指标三级指标年初目标值(A)实际完成值(B)得分满意度指标群众满意度90%295%40总分" + "度" * 10
    assert glued.indicators(make_context([line])) == []


def test_the_total_of_a_glued_form():
    ctx = make_context([HEAD + "5.65.6120度效标二级指标三级指标年初目标值(A)实际完成值(B)得分总分96.5偏差大或目标未完成原因分析无"])
    assert [(c.field, c.value) for c in glued.read(ctx) if c.field == "total_score"] == [("total_score", Decimal("96.5"))]
    # "总分100分" may be the maximum: not read
    ctx = make_context([HEAD + "5.65.6120度效标二级指标三级指标年初目标值(A)实际完成值(B)得分总分100分偏差大或目标未完成原因分析无"])
    assert [c for c in glued.read(ctx) if c.field == "total_score"] == []


def test_a_weight_column_between_the_money_and_the_rate():
    # 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 run together: 48 | 46.08 | 10 | 96.00% | 9.6
    line = ("附件:项目绩效目标自评表(2023年度)项目名称青禾县农村饮水工程主管部门青禾县水利局实施单位青禾县水利局"
            "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:4846.081096.00%9.6其中:本年财政拨款4846.08"
            "其他资金年度总体目标完成情况综述总分10098.6注:一级指标分值统一设置")
    got = {c.field: c.value for c in glued.read(make_context([line]))}
    assert got["budget_adjusted_yuan"] == Decimal("480000")
    assert got["expenditure_yuan"] == Decimal("460800")
    assert got["budget_exec_pct"] == Decimal("96.00")
    assert got["total_score"] == Decimal("98.6")


def test_a_weight_column_whose_score_does_not_follow_from_it_is_not_split():
    line = ("附件:项目绩效目标自评表(2023年度)项目名称青禾县农村饮水工程主管部门青禾县水利局实施单位青禾县水利局"
            "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:4846.081096.00%8.1其中:本年财政拨款"
            "其他资金年度总体目标完成情况综述")
    got = {c.field for c in glued.read(make_context([line]))}
    assert not {"budget_adjusted_yuan", "expenditure_yuan", "budget_exec_pct"} & got


NATIONAL = ("项目支出绩效自评表(2022年度)项目名称职工帮扶资金主管部门某县总工会实施单位某县总工会"
            "项目资金(万元)年初 预算数全年 预算数全年 执行数分值执行率得分年度资金总额")


def national(run: str) -> dict:
    return {c.field: c.value for c in glued.read(make_context([NATIONAL + run + "其中:当年财政拨款" + "度" * 40]))}


def test_the_national_forms_glued_money_row_with_its_rate_and_score_columns_run_together():
    # "…执行数分值执行率得分年度资金总额": 执行率 and 得分 are two columns; the rate is of the
    # full-year budget (90.42 / 93.60 = 96.60%), and 10 × 96.60% = 9.66
    got = national("86.2093.6090.421096.60%9.66")
    assert got == {"budget_initial_yuan": Decimal("862000"), "budget_adjusted_yuan": Decimal("936000"),
                   "expenditure_yuan": Decimal("904200"), "budget_exec_pct": Decimal("96.60")}


def test_among_splits_that_fit_the_one_whose_amounts_agree_in_decimals():
    # 36.00 | 41.40 | 41.40 | 10 | 100% | 10 fits, and so does 36.004 | 1.404 | 1.40 (1.40 / 1.404
    # rounds to 100%): a form prints one row's amounts alike
    got = national("36.0041.4041.4010100%10")
    assert (got["budget_initial_yuan"], got["budget_adjusted_yuan"], got["expenditure_yuan"]) == (
        Decimal("360000"), Decimal("414000"), Decimal("414000"))


def test_national_form_indicator_rows_glued_with_their_units():
    # "走访调研民营企业数≥80家86家1010": the units end the target and the actual, the weight and the
    # score run together and split one way (10 | 10; "109" = 10 | 9)
    text = (NATIONAL + "86.2093.6090.421096.60%9.66绩效指标一级指标二级指标三级指标年度 指标值实际 完成值分值得分"
            "偏差原因分析 及改进措施产出指标数量指标走访调研民营企业数≥80家86家1010举办政企沟通座谈会≥6场7场109"
            "质量指标会员企业诉求办结率≥90%94%1010时效指标企业诉求响应时限按时办结基本按时55时效指标")
    rows = glued.indicators(make_context([text]))
    assert [(r.level3, r.target_raw, r.actual_raw, r.weight, r.score) for r in rows] == [
        ("走访调研民营企业数", "≥80家", "86家", Decimal(10), Decimal(10)),
        ("举办政企沟通座谈会", "≥6场", "7场", Decimal(10), Decimal(9)),
        ("会员企业诉求办结率", "≥90%", "94%", Decimal(10), Decimal(10)),
    ]  # a qualitative row (按时办结 / 基本按时) has no unit to cut at: not read
