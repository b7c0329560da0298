"""The Yueyang 部门整体支出绩效评价自评报告 family, against the real report 003 (岳阳市云溪区总工会,
FY2020) field by field, plus a tab-row variant of the template to show extraction follows labels
and structure, not this file's lines, and that variant as the .docx/.xlsx/.pdf readers write it
(rows trimmed or padded, rows split where a cell had empty paragraphs).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from project_paths import REPORTS_DIR, ROOT
from loaders.families import FAMILIES
from loaders.families import yueyang_dept_self as fam
from loaders.parse import parse_document
from loaders.read import read_bytes

REPORT = REPORTS_DIR / "003_ec634bb450182679.txt"
D = Decimal


def _doc(path=REPORT, prefix: bytes = b""):
    return read_bytes(prefix + path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def ev():
    result = parse_document(_doc(), str(REPORT.relative_to(ROOT)))
    assert result.source.family == fam.NAME
    assert len(result.evaluations) == 1
    return result.evaluations[0]


def flags(ev, code):
    return [f for f in ev.quality_flags if f.code == code]


def score_rows(ev, level):
    return [i for i in ev.indicators if i.table == "score" and i.level == level]


# --- detection -------------------------------------------------------------------------------




# --- cover and header fields -----------------------------------------------------------------


def test_unit(ev):
    u = ev.unit
    assert u.name_raw == "岳阳市云溪区总工会"
    assert u.line == 7
    assert (u.province, u.city, u.county, u.admin_code) == ("湖南省", "岳阳市", "云溪区", "430603")


def test_header_fields(ev):
    assert ev.fiscal_year == 2020  # from the title; the report date is 2021
    assert ev.report_kind == "department_overall"
    assert ev.project_name is None
    assert ev.evaluation_mode == "self"
    assert ev.evaluator == "部门（单位）评价组"
    assert ev.report_date == "2021-07-15"
    assert ev.framework == "hunan_yueyang_dept_overall"
    assert ev.total_score == D(98)
    assert ev.grade_raw == "优秀"
    assert ev.grade == "优"


# --- metrics ---------------------------------------------------------------------------------

EXPECTED_METRICS = {
    "headcount_authorised": (D(7), 26),
    "headcount_actual": (D(10), 28),
    "revenue_total_yuan": (D(2749800), 78),
    "revenue_general_budget_yuan": (D(2749800), 80),
    "expenditure_yuan": (D(2749800), 134),
    "exp_basic_yuan": (D(2749800), 135),
    "exp_personnel_yuan": (D(2142100), 136),
    "exp_public_operating_yuan": (D(607700), 137),
    "exp_project_yuan": (D(0), 138),  # the table states 0
    "surplus_current_yuan": (D(0), 139),  # the table states 0
    "three_public_actual_yuan": (D(100500), 183),
    "official_reception_yuan": (D(100500), 184),
    "vehicle_operation_yuan": (D(0), 185),
    "vehicle_purchase_yuan": (D(0), 186),
    "overseas_travel_yuan": (D(0), 187),
    "fixed_assets_yuan": (D(763500), 224),
    "fixed_assets_in_use_yuan": (D(763500), 225),
    "exp_wages_yuan": (D(1304600), 482),
    "exp_goods_services_yuan": (D(607700), 482),
    "exp_household_transfers_yuan": (D(837500), 482),
    "satisfaction_pct": (D(90), 404),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_METRICS))
def test_metric(ev, name):
    value, line = EXPECTED_METRICS[name]
    assert name in ev.metrics, f"{name} missing"
    m = ev.metrics[name]
    assert (m.value, m.line) == (value, line)
    assert m.raw


def test_no_other_metrics(ev):
    # Blank cells (累计结余, 上年结转, 其他收入) are absent, never 0.
    assert set(ev.metrics) == set(EXPECTED_METRICS)


def test_metric_raw_keeps_text_and_unit(ev):
    assert ev.metrics["exp_personnel_yuan"].raw == "214.21 万元"
    assert ev.metrics["exp_wages_yuan"].raw == "工资福利支出130.46万元"


# --- score table -----------------------------------------------------------------------------


def test_level1_rows(ev):
    got = [(i.level1, i.weight, i.score, i.dimension, i.line) for i in score_rows(ev, 1)]
    assert got == [
        ("投入", D(15), None, "decision", 525),
        ("过程", D(40), None, "process", 556),
        ("产出", D(25), None, "output", 697),
        ("效果", D(20), None, "outcome", 749),
    ]


def test_level2_rows(ev):
    got = [(i.level1, i.level2, i.weight, i.score, i.line) for i in score_rows(ev, 2)]
    # 资产管理 appears once although the page break at line 663 repeats its label at line 674.
    assert got == [
        ("投入", "预算配置", D(15), None, 527),
        ("过程", "预算执行", D(15), None, 558),
        ("过程", "预算管理", D(15), None, 594),
        ("过程", "资产管理", D(10), None, 652),
        ("产出", "职责履行", D(25), None, 698),
        ("效果", "履职效益", D(20), None, 751),
    ]


LEVEL3 = [
    # level1, level2, level3, weight, score, line
    ("投入", "预算配置", "财政供养人员控制率", 5, 5, 529),
    ("投入", "预算配置", "“三公经费”变动率", 5, 5, 539),
    ("投入", "预算配置", "重点支出安排率", 5, 5, 549),
    ("过程", "预算执行", "预算调整率", 3, 3, 560),
    ("过程", "预算执行", "支付进度", 3, 3, 568),
    ("过程", "预算执行", "资金结余", 3, 3, 577),
    ("过程", "预算执行", "“三公经费”控制率", 6, 6, 585),
    ("过程", "预算管理", "管理制度健全性", 3, 3, 596),
    ("过程", "预算管理", "资金使用合规性", 3, 3, 607),
    ("过程", "预算管理", "预决算信息公开性和完善性", 3, 3, 621),
    ("过程", "预算管理", "政府采购执行率", 3, 3, 633),
    ("过程", "预算管理", "公务卡刷卡率", 3, 3, 644),
    ("过程", "资产管理", "管理制度健全性", 3, 3, 654),
    ("过程", "资产管理", "资产管理安全性", 4, 4, 676),  # after the repeated header
    ("过程", "资产管理", "固定资产利用率", 3, 3, 690),
    ("产出", "职责履行", "推进全面小康建设指标任务完成情况", 5, 5, 700),
    ("产出", "职责履行", "建设湖南新增极目标任务完成情况", 7, 7, 711),
    ("产出", "职责履行", "《政府工作报告》目标任务完成情况", 5, 5, 719),
    ("产出", "职责履行", "省市重点民生实事完成情况", 2, 2, 727),
    ("产出", "职责履行", "省市重点工程和重大项目建设完成情况", 2, 2, 735),
    ("产出", "职责履行", "其他工作实绩指标完成情况", 4, 4, 743),
    # 15 is one merged 分值 cell for the three benefits; 社会/生态效益 have no weight of their own.
    ("效果", "履职效益", "经济效益", 15, 5, 753),
    ("效果", "履职效益", "社会效益", None, 5, 763),
    ("效果", "履职效益", "生态效益", None, 5, 771),
    ("效果", "履职效益", "社会公众或服务对象满意度", 5, 3, 779),
]


def test_level3_rows(ev):
    rows = score_rows(ev, 3)
    assert len(rows) == 25
    got = [(i.level1, i.level2, i.level3, i.weight, i.score, i.line) for i in rows]
    want = [(a, b, c, None if w is None else D(w), D(s), ln) for a, b, c, w, s, ln in LEVEL3]
    assert got == want


def test_level3_rule_note_dimension(ev):
    rows = {i.line: i for i in score_rows(ev, 3)}
    staffing = rows[529]
    assert "每超过一个百分点扣0.5分，扣完为止" in staffing.rule
    assert staffing.note is None and staffing.dimension == "decision"
    assert rows[779].note == "满意度90%"
    assert rows[779].dimension == "satisfaction"
    assert rows[753].dimension == "outcome" and rows[700].dimension == "output" and rows[560].dimension == "process"
    assert rows[711].rule is None  # the rule cell is merged into 推进全面小康… above
    assert rows[596].rule.startswith("①已制定或具有预算资金管理办法")


# --- goal table ------------------------------------------------------------------------------


def goal_rows(ev):
    return [i for i in ev.indicators if i.table == "goals"]


def test_goal_rows(ev):
    rows = goal_rows(ev)
    assert [(i.level1, i.level2, i.line) for i in rows] == (
        [("产出目标", "质量指标", ln) for ln in (279, 285, 291, 297, 303, 309)]
        + [("产出目标", "数量指标", ln) for ln in (315, 321, 327, 333)]
        + [("效益目标", "社会效益", 377), ("效益目标", "社会公众或服务对象满意度", 403)]
    )
    assert all(i.level == 3 and i.weight is None and i.score is None for i in rows)
    # Template rows ("指标1：", "……") of 时效/成本/经济效益/生态效益 are not indicators.
    assert not {"时效指标", "成本指标", "经济效益", "生态效益"} & {i.level2 for i in rows}


def test_goal_values(ev):
    by_line = {i.line: i for i in goal_rows(ev)}
    first = by_line[279]
    assert first.target_raw.startswith("全面完成市总工会下达的组建任务")
    assert first.actual_raw == "已完成" and first.actual.qual_code == "DONE"
    assert first.target is None and first.met is True  # a prose goal the report declares done
    rate = by_line[321].target
    assert (rate.comparator, rate.value, rate.unit) == (">=", D(92), "pct")
    contests = by_line[333].target
    assert (contests.comparator, contests.low, contests.high, contests.unit) == ("range", D(1), D(2), "event")
    assert by_line[315].target is None  # two quantities (2-3家 … 1-2家): no single target
    assert by_line[315].met is None  # … so "已完成" cannot be checked against it
    assert by_line[403].actual.value == D(90) and by_line[403].dimension == "satisfaction"


# --- satisfaction and findings ---------------------------------------------------------------


def test_satisfaction(ev):
    assert len(ev.satisfaction) == 1
    s = ev.satisfaction[0]
    assert (s.group, s.pct, s.weight, s.score, s.line) == ("社会公众或服务对象", D(90), D(5), D(3), 779)


def test_no_findings_section(ev):
    assert ev.findings == []


# --- quality flags: one test per code --------------------------------------------------------


def test_headcount_mismatch(ev):
    (f,) = flags(ev, "headcount_mismatch")
    assert f.line == 477
    assert "人员编制7人" in f.message and "实有人数10人" in f.message and "16人" in f.message


def test_rule_violated_full_score(ev):
    (f,) = flags(ev, "rule_violated_full_score")
    assert f.line == 529
    assert "142.86%" in f.message and "228.57%" in f.message and "应得0分" in f.message


def test_zero_denominator_full_score(ev):
    (f,) = flags(ev, "zero_denominator_full_score")
    assert f.line == 549
    # Both pieces of evidence are quoted; no line numbers in messages (they differ between a
    # report's .txt/.docx/.pdf forms; the flag's `line` is the score row).
    assert "2020年度无项目支出" in f.message and "支出表项目支出为0 万元" in f.message


def test_empty_indicator_scored(ev):
    got = {f.line: f.message for f in flags(ev, "empty_indicator_scored")}
    assert set(got) == {753, 771}
    assert got[753].startswith("经济效益") and "定量目标表“经济效益”中只有模板占位" in got[753]
    assert got[771].startswith("生态效益") and "定量目标表“生态效益”中只有模板占位" in got[771]


def test_period_partial(ev):
    got = {f.line: f.message for f in flags(ev, "period_partial")}
    assert set(got) == {494, 510}  # one flag per sentence
    assert "上半年" in got[494]
    assert "截至9月底" in got[510] and "预计" in got[510]


def test_rate_truncated(ev):
    (f,) = flags(ev, "rate_truncated")
    assert f.line == 494
    assert "48÷58=82.76%" in f.message and "83%" in f.message
    assert not flags(ev, "rate_recompute_mismatch")


def test_typo(ev):
    got = {f.line: f.message for f in flags(ev, "typo")}
    assert {16, 478, 711} <= set(got)
    assert "一般公人预算" in got[478]
    assert "新增极" in got[711]
    assert "岳阳市云溪财政局（制）" in got[16] and "“区”" in got[16]


def test_template_labels(ev):
    got = {f.line: f.message for f in flags(ev, "template_labels")}
    assert "局机关及二级机构汇总" in got[77] and "二级机构行均为空" in got[77]
    assert "时效指标" in got[338] and "成本指标" in got[356]
    assert {703, 756} <= set(got)  # template guidance left in the score table


def test_weight_shared(ev):
    (f,) = flags(ev, "weight_shared")
    assert f.line == 753
    assert "5+5+5=15" in f.message


def test_strict_rescore(ev):
    (f,) = flags(ev, "strict_rescore")
    assert f.line == 406
    assert f.severity == "info"
    assert "总分 98 → 83" in f.message and "→ 良" in f.message


def test_every_flag_is_expected(ev):
    # A new flag on this report is a decision, not an accident.
    assert {f.code for f in ev.quality_flags} == {
        "headcount_mismatch",
        "rule_violated_full_score",
        "zero_denominator_full_score",
        "empty_indicator_scored",
        "weight_shared",
        "period_partial",
        "rate_truncated",
        "typo",
        "template_labels",
        "strict_rescore",
    }


# --- the consistent parts hold (positive cases) ----------------------------------------------


def test_consistent_money(ev):
    m = {k: v.value for k, v in ev.metrics.items()}
    assert m["revenue_total_yuan"] == m["expenditure_yuan"] == m["exp_personnel_yuan"] + m["exp_public_operating_yuan"]
    assert m["exp_wages_yuan"] + m["exp_household_transfers_yuan"] == m["exp_personnel_yuan"]  # 130.46 + 83.75
    assert m["exp_wages_yuan"] + m["exp_goods_services_yuan"] + m["exp_household_transfers_yuan"] == m["exp_basic_yuan"]
    assert m["three_public_actual_yuan"] == m["official_reception_yuan"]


def test_consistent_scores(ev):
    assert sum(i.weight for i in score_rows(ev, 1)) == 100
    assert sum(i.score for i in score_rows(ev, 3)) == ev.total_score == 98
    sat = next(i for i in score_rows(ev, 3) if i.line == 779)
    assert fam._band_points(fam._key(sat.rule), D(90)) == sat.score == 3


def test_no_flags_for_consistent_parts(ev):
    codes = {f.code for f in ev.quality_flags}
    for code in (
        "sum_mismatch",
        "total_sum_mismatch",
        "weights_total_mismatch",
        "children_sum_mismatch",
        "grade_band_mismatch",
        "narrative_table_score_mismatch",
        "grid_narrative_mismatch",
        "score_exceeds_weight",
    ):
        assert code not in codes
    # 固定资产利用率 (100%), 资金结余 (0) and 满意度 (90% → 3) follow their rules.
    assert [f.line for f in flags(ev, "rule_violated_full_score")] == [529]


# --- rule parsers ----------------------------------------------------------------------------


def test_linear_rule():
    key = fam._key("以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。")
    assert fam._linear_rule(key) == ("over", D(100), D("0.5"))
    assert fam._linear_points(key, D(5), D(104)) == D(3)
    assert fam._linear_points(key, D(5), D(100)) == D(5)
    card = fam._key("公务卡刷卡率达50％以上的，得3分。\n每减少一个百分点，扣0.2分，扣完为止。")
    assert fam._linear_rule(card) == ("under", D(50), D("0.2"))


def test_band_rule():
    sat = fam._key("95%（含）以上计5分；\n85%（含）-95%，计3分；\n75%（含）-85%，计1分；\n低于75%计0分。")
    assert [fam._band_points(sat, D(v)) for v in (96, 95, 94.9, 85, 80, 74.9)] == [5, 5, 3, 3, 1, 0]
    adj = fam._key("预算调整率=0，计3分；0-10%（含），计2分；10-20%（含），计1分；20-30%（含），计0.5分；大于30%不得分。")
    assert [fam._band_points(adj, D(v)) for v in (10, 15, 30, 31)] == [2, 1, D("0.5"), 0]


# --- other layouts ---------------------------------------------------------------------------


def test_shifted_lines_follow_the_text():
    prefix = "（系统导出）\n\n".encode()
    shifted = fam.extract(_doc(prefix=prefix))[0]
    base = fam.extract(_doc())[0]
    assert [(i.level3, i.weight, i.score, i.line + 2) for i in base.indicators] == [
        (i.level3, i.weight, i.score, i.line) for i in shifted.indicators
    ]
    moved = {k: (m.value, m.line + 2) for k, m in base.metrics.items()}
    assert moved == {k: (m.value, m.line) for k, m in shifted.metrics.items()}


TAB_ROWS = """附件2-1：
岳阳市平江县2021年度部门整体支出
绩效评价自评报告
部门(单位)名称：平江县总工会
评价方式：部门（单位）绩效自评
评价机构：部门（单位）评价组
报告日期：2022 年 6 月
岳阳市平江县财政局（制）
一、部门（单位）基本概况
人员编制\t8\t实有人数\t8
二、部门（单位）收支情况
年度收入情况（万元）
机构名称\t收入合计\t其中：
\t\t上年结转\t公共财政拨款\t政府基金拨款\t纳入专户管理的非税收入拨款\t其他收入
局机关及二级机构汇总\t120.5\t10\t110.5\t\t\t
部门（单位）年度支出和结余情况（万元）
机构名称\t支出合计\t其中：\t结余
\t\t基本支出\t其中：\t项目支出\t当年结余\t累计结余
\t\t\t人员支出\t公用支出\t\t\t
局机关及二级机构汇总\t115.5\t95.5\t80\t15.5\t20\t5\t
机构名称\t三公经费合计\t其中：
\t\t公务接待费\t公务用车运维费\t公务用车购置费\t因公出国费
局机关及二级机构汇总\t3.2\t1.2\t2\t0\t0
机构名称\t固定资产合计\t其中：\t其他
\t\t在用固定资产\t出租固定资产\t
局机关及二级机构汇总\t50\t45\t0\t5
三、部门（单位）整体支出绩效自评情况
整体支出绩效定量目标及实施计划完成情况\t评价内容\t绩效目标\t完成情况
\t产出目标\t数量指标\t指标1：开展职工技能培训3期\t已完成
\t\t时效指标\t指标1：\t
\t效益目标\t社会效益\t提升职工获得感\t已完成
\t\t社会公众或服务对象满意度\t职工满意\t96%
绩效自评综合得分\t99
评价等次\t优秀
五、评价报告综述
3．人员情况，现有在职人数8人。
基本支出95.5万元，其中工资福利支出60万元、一般商品和服务支出15.5万元、对个人和家庭补助支出20万元。
七、存在的主要问题
1．绩效目标设置不够细化。
八、改进建议
1．细化绩效指标。
附件3-1：
一级指标\t二级指标\t三级指标\t评分标准\t分值\t自评得分\t扣分原因和其他说明
投入（15分）\t预算配置（15分）\t在职人员控制率\t以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。\t5\t5\t
\t\t重点支出安排率\t重点支出安排率≥90%，计5分；80%（含）-90%，计4分；低于60%不得分。\t10\t10\t
过程（40分）\t资产管理（40分）\t固定资产利用率\t每低于100%一个百分点扣0.1分，扣完为止。\t40\t40\t
产出（25分）\t职责履行（25分）\t重点工作完成情况\t\t25\t24\t未全部完成
效果（20分）\t履职效益（20分）\t社会效益\t\t15\t15\t
\t\t社会公众或服务对象满意度\t95%（含）以上计5分；85%（含）-95%，计3分；75%（含）-85%，计1分；低于75%计0分。\t5\t5\t满意度96%
总分\t\t\t\t100\t99\t
"""


@pytest.fixture(scope="module")
def tab_ev():
    doc = read_bytes(TAB_ROWS.encode(), "tab_rows.txt")
    assert fam.detect(doc) >= 0.9
    result = parse_document(doc, "tab_rows.txt")
    assert result.source.family == fam.NAME
    return result.evaluations[0]


def test_tab_rows_header_and_metrics(tab_ev):
    ev = tab_ev
    assert (ev.fiscal_year, ev.report_date, ev.total_score, ev.grade) == (2021, "2022-06", D(99), "优")
    m = {k: v.value for k, v in ev.metrics.items()}
    assert m == {
        "headcount_authorised": 8,
        "headcount_actual": 8,
        "revenue_total_yuan": 1205000,
        "funds_carryover_yuan": 100000,
        "revenue_general_budget_yuan": 1105000,
        "expenditure_yuan": 1155000,
        "exp_basic_yuan": 955000,
        "exp_personnel_yuan": 800000,
        "exp_public_operating_yuan": 155000,
        "exp_project_yuan": 200000,
        "surplus_current_yuan": 50000,
        "three_public_actual_yuan": 32000,
        "official_reception_yuan": 12000,
        "vehicle_operation_yuan": 20000,
        "vehicle_purchase_yuan": 0,
        "overseas_travel_yuan": 0,
        "fixed_assets_yuan": 500000,
        "fixed_assets_in_use_yuan": 450000,
        "exp_wages_yuan": 600000,
        "exp_goods_services_yuan": 155000,
        "exp_household_transfers_yuan": 200000,
        "satisfaction_pct": 96,
    }


def test_tab_rows_indicators_and_flags(tab_ev):
    ev = tab_ev
    l3 = [(i.level2, i.level3, i.weight, i.score) for i in ev.indicators if i.table == "score" and i.level == 3]
    assert l3 == [
        ("预算配置", "在职人员控制率", 5, 5),
        ("预算配置", "重点支出安排率", 10, 10),
        ("资产管理", "固定资产利用率", 40, 40),
        ("职责履行", "重点工作完成情况", 25, 24),
        ("履职效益", "社会效益", 15, 15),
        ("履职效益", "社会公众或服务对象满意度", 5, 5),
    ]
    goals = [(i.level2, i.target.value if i.target else None) for i in ev.indicators if i.table == "goals"]
    assert goals == [("数量指标", 3), ("社会效益", None), ("社会公众或服务对象满意度", None)]
    codes = {f.code for f in ev.quality_flags}
    # 8 of 8 in post, 96% satisfaction, sums that add up: no flags for those.
    quiet = {"headcount_mismatch", "sum_mismatch", "total_sum_mismatch", "zero_denominator_full_score", "typo"}
    assert not codes & quiet
    # 45 ÷ 50 = 90% in use: the rule gives 40 − 10 × 0.1 = 39, not 40.
    (f,) = [f for f in ev.quality_flags if f.code == "rule_violated_full_score"]
    assert "90%" in f.message and "应得39分" in f.message
    labels = next(f.message for f in ev.quality_flags if f.code == "template_labels" and f.line == 15)
    assert "局机关及二级机构汇总" in labels and "为空" not in labels  # no 二级机构 rows here
    assert "总分 99 → 98" in next(f.message for f in ev.quality_flags if f.code == "strict_rescore")
    assert [(x.kind, x.text) for x in ev.findings] == [
        ("problem", "1．绩效目标设置不够细化。"),
        ("recommendation", "1．细化绩效指标。"),
    ]


# --- rows as the .docx/.xlsx/.pdf readers write them -------------------------------------------


def _record(data: str | bytes, name: str = "variant.txt") -> list[dict]:
    """The evaluations of a report, without `line` keys (they move when the layout changes)."""
    from loaders.records import to_jsonable

    def drop_lines(obj):
        if isinstance(obj, dict):
            return {k: drop_lines(v) for k, v in obj.items() if k != "line"}
        if isinstance(obj, list):
            return [drop_lines(v) for v in obj]
        return obj

    raw = data.encode() if isinstance(data, str) else data
    return drop_lines(to_jsonable(parse_document(read_bytes(raw, name), name))["evaluations"])


def _retab(text: str, cells) -> str:
    """Each TAB row of `text` with its cells rewritten by `cells(list) -> list`."""
    return "\n".join("\t".join(cells(line.split("\t"))) if "\t" in line else line for line in text.split("\n"))


def test_canonical_cell_text_is_the_same_in_every_format():
    # .txt keeps a cell's paragraphs on lines of their own, .docx joins them with a space, .pdf
    # with nothing: one canonical text, white space kept only between two Latin letters.
    assert fam._canonical("财政供养人员\n\n控制率") == fam._canonical("财政供养人员 控制率") == "财政供养人员控制率"
    assert fam._canonical("  计5分；\n“三公经费”＞0 ") == "计5分；“三公经费”＞0"
    assert fam._canonical("Word\nExcel 2016") == "Word Excel2016"
    assert fam._canonical(" \n ") == ""


def test_row_width_says_nothing():
    # The .xlsx reader leaves trailing empty cells out; the .docx and .pdf readers pad every row
    # to the widest row of the converter's table. Neither changes what is read.
    base = _record(TAB_ROWS)
    trimmed = _retab(TAB_ROWS, lambda c: c[: max((i + 1 for i, x in enumerate(c) if x), default=0)])
    padded = _retab(TAB_ROWS, lambda c: c + [""] * (9 - len(c)))
    assert trimmed != TAB_ROWS and padded != TAB_ROWS
    assert _record(trimmed) == base
    assert _record(padded) == base


SPLIT_ROW = (
    "产出（25分）\t职责履行（25分）\t重点工作完成情况\t依据年度综合绩效考核内容设置。\t\t\t\n"
    "\n"
    "部门单位应根据部门实际进行调整。\n"
    "\n"
    "25\t24\t未全部完成\t\t\t\t\n"
)


def test_a_row_split_at_an_empty_paragraph_is_joined_again():
    # A converter ends its table at a cell with empty paragraphs inside: the cell's last paragraph
    # arrives as a line of its own, the rest of the row ("25⇥24⇥…") as a new row. The paragraph
    # goes back into the rule, the figures under 分值 / 自评得分, not under 一级指标.
    text = TAB_ROWS.replace("产出（25分）\t职责履行（25分）\t重点工作完成情况\t\t25\t24\t未全部完成\n", SPLIT_ROW)
    assert text != TAB_ROWS
    ev = parse_document(read_bytes(text.encode(), "split.txt"), "split.txt").evaluations[0]
    (row,) = [i for i in ev.indicators if i.table == "score" and i.level2 == "职责履行" and i.level == 3]
    assert (row.level1, row.level3, row.weight, row.score, row.note) == ("产出", "重点工作完成情况", D(25), D(24), "未全部完成")
    assert row.rule == "依据年度综合绩效考核内容设置。部门单位应根据部门实际进行调整。"
    assert [i.level1 for i in ev.indicators if i.table == "score" and i.level == 1] == ["投入", "过程", "产出", "效果"]
    guidance = [f for f in ev.quality_flags if f.code == "template_labels" and "职责履行" in f.message]
    assert len(guidance) == 1 and guidance[0].line == text.split("\n").index("部门单位应根据部门实际进行调整。") + 1


def test_a_figure_takes_no_paragraphs():
    # Text after a complete row (its last filled cell a figure) is not glued to that figure.
    text = TAB_ROWS.replace("低于60%不得分。\t10\t10\t\n", "低于60%不得分。\t10\t10\t\n（以下为说明）\n")
    assert text != TAB_ROWS
    ev = parse_document(read_bytes(text.encode(), "note.txt"), "note.txt").evaluations[0]
    row = next(i for i in ev.indicators if i.table == "score" and i.level3 == "重点支出安排率")
    assert (row.weight, row.score, row.note) == (D(10), D(10), None)
    assert len([i for i in ev.indicators if i.table == "score" and i.level == 3]) == 6


@pytest.mark.parametrize("fmt", [".docx", ".xlsx", ".pdf"])
def test_tab_rows_in_real_files(fmt):
    from loaders.demo.formats import BUILDERS

    assert _record(BUILDERS[fmt](TAB_ROWS), "tab_rows" + fmt) == _record(TAB_ROWS)

