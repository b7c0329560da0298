"""The third-party department-wide family against the real report 001 (南昌市青云谱区总工会, FY2022).

Expected values are read off the report by hand (line numbers in comments are 1-based lines of
data/reports/001_ef013dee5caf02af.txt); every trap DOMAIN.md section 6 lists for seed 001 must
come out as a quality flag on the right line.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from project_paths import REPORTS_DIR
from loaders.families import third_party_dept
from loaders.parse import parse_document, parse_path
from loaders.read import read_bytes

REPORT = REPORTS_DIR / "001_ef013dee5caf02af.txt"
D = Decimal


def _parse_text(text: str):
    doc = read_bytes(text.encode("utf-8"), "report.txt")
    result = parse_document(doc, "report.txt")
    assert result.source.family == third_party_dept.NAME
    return result.evaluations[0]


@pytest.fixture(scope="module")
def source() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ev():
    result = parse_path(str(REPORT))
    assert result.source.family == third_party_dept.NAME
    assert len(result.evaluations) == 1
    return result.evaluations[0]


def _l3(ev, name, level2=None):
    rows = [i for i in ev.indicators if i.level == 3 and i.level3 == name and (level2 is None or i.level2 == level2)]
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows[0]


def _flags(ev, code):
    return [f for f in ev.quality_flags if f.code == code]


# --- detection ---------------------------------------------------------------------------------




# --- document fields ---------------------------------------------------------------------------


def test_unit_resolves_to_qingyunpu(ev):
    u = ev.unit
    assert u.name_raw == "南昌市青云谱区总工会"
    assert u.line == 3
    assert (u.province, u.city, u.county, u.admin_code) == ("江西省", "南昌市", "青云谱区", "360104")


def test_document_fields(ev):
    assert ev.fiscal_year == 2022  # the year evaluated, not the 2023 report date
    assert ev.report_kind == "department_overall"
    assert ev.evaluation_mode == "third_party"
    assert ev.evaluator == "江西正效咨询管理有限公司"
    assert ev.report_date == "2023-06"
    assert ev.framework == "jiangxi_dept_overall_2022"
    assert ev.total_score == D("88.78")
    assert (ev.grade_raw, ev.grade) == ("良", "良")


# --- metrics -----------------------------------------------------------------------------------

METRICS = {
    "budget_initial_yuan": ("5566700", 205),
    "budget_adjusted_yuan": ("5496875", 207),
    "expenditure_yuan": ("5808142", 211),
    "budget_exec_pct": ("105.66", 211),
    "exp_basic_yuan": ("1208142", 211),
    "exp_personnel_yuan": ("1098246", 211),
    "exp_public_operating_yuan": ("109896", 211),
    "exp_project_yuan": ("4600000", 211),
    "procurement_budget_yuan": ("921000", 215),
    "procurement_actual_yuan": ("630", 215),
    "procurement_exec_pct": ("0.07", 215),
    "three_public_budget_yuan": ("4900", 219),
    "three_public_actual_yuan": ("1696", 219),
    "three_public_control_pct": ("34.61", 219),
    "headcount_authorised": ("10", 82),
    "headcount_actual": ("9", 82),
    "staffing_control_pct": ("90", 555),
    "public_operating_cur_yuan": ("109896", 563),
    "public_operating_prev_yuan": ("482649.12", 563),
    "public_operating_change_pct": ("-77.23", 563),
    "fa_original_value_yuan": ("282817", 96),
    "fa_net_value_yuan": ("205386.79", 109),
    "fa_utilisation_pct": ("100", 461),
    "satisfaction_pct": ("96", 613),
}


@pytest.mark.parametrize("name", METRICS)
def test_metric(ev, name):
    value, line = METRICS[name]
    m = ev.metrics[name]
    assert m.value == D(value)
    assert m.line == line
    assert m.raw


def test_revenue_total_is_not_guessed(ev):
    # 556.67 万元 is the initial revenue budget, not final revenue: no value rather than a wrong one.
    assert "revenue_total_yuan" not in ev.metrics


def test_personnel_and_public_written_as_yuan_are_corrected_with_a_note(ev):
    # Line 211 writes "人员经费 109.8246 元、公用经费 10.9896 元" inside 基本支出 120.8142 万元.
    for name in ("exp_personnel_yuan", "exp_public_operating_yuan"):
        m = ev.metrics[name]
        assert "元" in m.raw and "万元" not in m.raw
        assert m.note and "万元" in m.note
    assert ev.metrics["exp_personnel_yuan"].value + ev.metrics["exp_public_operating_yuan"].value == ev.metrics[
        "exp_basic_yuan"
    ].value


# --- summary table -----------------------------------------------------------------------------

SUMMARY = [
    ("部门规划计划", "5", "5", "100"),
    ("绩效目标", "5", "1.7", "34"),
    ("资金配置", "5", "5", "100"),
    ("资金管理", "10", "8.88", "88.8"),
    ("预算管理", "6", "6", "100"),
    ("政府采购管理", "3", "0", "0"),
    ("资产管理", "4", "4", "100"),
    ("组织实施", "2", "0", "0"),
    ("产出数量", "10", "9.5", "100"),
    ("产出质量", "10", "9.7", "100"),
    ("产出时效", "5", "4", "100"),
    ("产出成本", "5", "5", "60"),
    ("社会效益", "16", "16", "100"),
    ("可持续影响", "4", "4", "100"),
    ("服务对象满意度", "10", "10", "100"),
]


def test_summary_rows(ev):
    rows = [i for i in ev.indicators if i.table == "summary"]
    got = [(r.level2, r.weight, r.score, r.score_rate_stated_pct) for r in rows]
    assert got == [(n, D(w), D(s), D(r)) for n, w, s, r in SUMMARY]
    assert all(r.level == 2 and r.level3 is None for r in rows)
    assert sum(r.weight for r in rows) == 100
    assert sum(r.score for r in rows) == D("88.78") == ev.total_score
    assert [r.line for r in rows][:4] == [359, 360, 361, 362]
    assert {r.level1 for r in rows} == {"部门决策指标", "部门管理指标", "部门产出指标", "部门效益指标"}


def test_dash_rows_are_not_numbers(ev):
    names = {i.level2 for i in ev.indicators if i.table == "summary"}
    assert "经济效益" not in names and "生态效益" not in names
    assert sorted(f.line for f in _flags(ev, "weight_redistributed")) == [371, 373]


# --- level-3 indicators ------------------------------------------------------------------------

LEVEL3 = [
    # name, level2, weight, score, narrative line of the score
    ("中长期规划明确性", "部门规划计划", "2", "2", 393),
    ("年度工作计划明确性", "部门规划计划", "3", "3", 397),
    ("绩效目标合理性", "绩效目标", "2", "0.8", 403),
    ("绩效指标明确性", "绩效目标", "3", "0.9", 409),
    ("支出预算执行率", "资金管理", "4", "2.88", 429),
    ("资金使用合规性", "资金管理", "6", "6", 433),
    ("政府采购节支率", "政府采购管理", "3", "0", 451),
    ("管理制度健全性", "组织实施", "2", "0", 469),
    ("新建基层工会数量", "产出数量", "1", "1", 477),
    ("职工帮扶活动开展次数", "产出数量", "0.5", "0.5", 481),
    ("开展维权普法活动次数", "产出数量", "1", "1", 503),
    ("文化宫建设完成率", "产出数量", "2", "1.5", 515),
    ("文化宫竣工验收合格率", "产出质量", "3", "2.7", 535),
    ("部门工作完成及时率", "产出时效", "5", "4", 549),
    ("公用经费控制率", "产出成本", "2", "2", 563),
    ("预算支出标准执行率", "产出成本", "1", "1", 567),
    ("弘扬先进模范精神", "社会效益", "3", "3", 585),
    ("打造“工会+N”职工权益维护新模式", "可持续影响", "4", "4", 607),
    ("基层工会职工满意度", "服务对象满意度", "8", "8", 613),
    ("部门职工满意度", "服务对象满意度", "2", "2", 617),
]


@pytest.mark.parametrize("name,level2,weight,score,line", LEVEL3, ids=[x[0] for x in LEVEL3])
def test_level3(ev, name, level2, weight, score, line):
    i = _l3(ev, name, level2)
    assert (i.weight, i.score, i.line) == (D(weight), D(score), line)
    assert i.table == "score"
    assert i.note and "评分标准" in i.note
    assert i.rule


def test_level3_count_and_dimensions(ev):
    rows = [i for i in ev.indicators if i.level == 3]
    assert len(rows) == 44
    dims = defaultdict(Decimal)
    for i in rows:
        dims[i.dimension] += i.weight
    assert dims == {"decision": 15, "process": 25, "output": 30, "outcome": 20, "satisfaction": 10}


def test_level3_add_up_to_each_summary_row(ev):
    kids = defaultdict(list)
    for i in ev.indicators:
        if i.level == 3:
            kids[(i.level1, i.level2)].append(i)
    for row in (i for i in ev.indicators if i.table == "summary"):
        children = kids[(row.level1, row.level2)]
        assert children, row.level2
        assert sum(c.weight for c in children) == row.weight, row.level2
        assert sum(c.score for c in children) == row.score, row.level2
    assert not _flags(ev, "children_sum_mismatch")


def test_targets_and_actuals(ev):
    i = _l3(ev, "新建基层工会数量")
    assert (i.target_raw, i.actual_raw, i.met) == ("60家以上", "62家", True)
    assert (i.target.comparator, i.target.value, i.actual.value) == (">=", 60, 62)
    i = _l3(ev, "开展维权普法活动次数")
    assert (i.target_raw, i.actual_raw, i.met) == ("24次以上", "20次", False)
    i = _l3(ev, "协助办理职工互助保障人次")
    assert (i.target_raw, i.actual_raw, i.met) == ("4000人", "4000余名", True)
    i = _l3(ev, "公用经费控制率")
    assert (i.target_raw, i.actual_raw, i.met) == ("≤0%", "-77.23%", True)
    assert i.actual.value == D("-77.23")
    # No count in the paragraph: actual left empty rather than guessed.
    i = _l3(ev, "组织开展职业技能培训次数")
    assert (i.target_raw, i.actual_raw, i.met) == ("2次", None, None)
    # A deduction step ("每发现1次不符扣25%") is not a target.
    assert _l3(ev, "各类活动主题符合率").target_raw is None


def test_rules_come_from_the_methodology_table(ev):
    assert "建设记录完整得80%权重分" in _l3(ev, "文化宫竣工验收合格率").rule
    assert _l3(ev, "组织劳模宣讲次数").rule.endswith("未达到目标值按比率得分。")
    assert _l3(ev, "中长期规划明确性").rule.startswith("①部门是否制定中长期规划")


# --- satisfaction and findings -----------------------------------------------------------------


def test_satisfaction(ev):
    got = [(s.group, s.pct, s.weight, s.score, s.line) for s in ev.satisfaction]
    assert got == [("基层工会职工", D(96), D(8), D(8), 613), ("部门职工", D(100), D(2), D(2), 617)]


def test_findings(ev):
    problems = [f for f in ev.findings if f.kind == "problem"]
    recs = [f for f in ev.findings if f.kind == "recommendation"]
    assert len(problems) == 4 and len(recs) == 4
    assert problems[1].category == "政府采购执行率偏低、预算指标完成待提高"
    assert problems[1].line == 629 and "0.07%" in problems[1].text
    assert recs[0].category == "提高绩效管理意识，加强绩效目标管理"
    assert all(f.text for f in ev.findings)


# --- quality flags: every seed-001 trap of DOMAIN.md section 6 ---------------------------------

FLAGS = [
    # code, line, words the message must contain (computed from the report's numbers)
    ("score_rate_mismatch", 367, ["产出数量", "95.0%", "100%"]),
    ("score_rate_mismatch", 368, ["产出质量", "97.0%"]),
    ("score_rate_mismatch", 369, ["产出时效", "80.0%"]),
    ("score_rate_mismatch", 370, ["产出成本", "100.0%", "60%"]),
    ("narrative_table_score_mismatch", 585, ["弘扬先进模范精神", "2.00", "3分", "15", "16"]),
    ("narrative_self_contradiction", 469, ["管理制度健全性", "100%", "0.00"]),
    ("full_score_target_missed", 503, ["24次以上", "20次", "0.83", "88.61"]),
    ("rule_text_mismatch", 296, ["文化宫竣工验收合格率", "80%", "90%", "2.4", "2.7"]),
    ("rate_base_mismatch", 427, ["556.67", "104.34%", "549.6875", "105.66%"]),
    ("score_rounding", 429, ["5.6626", "2.87", "2.88", "88.77"]),
    ("overspend_unexplained", 211, ["580.8142", "549.6875", "31.1267"]),
    ("sum_mismatch", 205, ["536.67", "74.57", "482.1", "556.67"]),
    ("unit_suspect", 205, ["一般公共预算收入", "536.67"]),
    ("unit_suspect", 205, ["部门支出预算", "536.67"]),
    ("unit_suspect", 209, ["78.6979"]),
    ("unit_suspect", 211, ["109.8246"]),
    ("unit_suspect", 211, ["10.9896"]),
    ("indicator_formula_mismatch", 451, ["政府采购节支率", "99.93%", "0.07%", "1.5"]),
    ("typo", 449, ["3份"]),
    ("same_name_different_formula", 563, ["公用经费控制率", "-77.23%", "482649.12"]),
    ("asset_register_mismatch", 113, ["46", "282,187.00", "282,817.00", "630.00"]),
    ("asset_register_mismatch", 113, ["204,756.79", "205,386.79", "630.00"]),
    ("net_assets_include_cash", 86, ["209,181.34", "209,176.08", "5.26"]),
    ("trailing_garbage", 617, ["100%0"]),
    ("zero_denominator_full_score", 567, ["预算支出标准执行率", "未建设预算支出标准业务"]),
    ("heading_mixed_terms", 569, ["部门效益", "部门效果"]),
    ("layout_artifact", 663, ["评分表", "重复出现", "列已错位"]),
]


@pytest.mark.parametrize("code,line,words", FLAGS, ids=[f"{c}@{n}" for c, n, _ in FLAGS])
def test_flag(ev, code, line, words):
    hits = [f for f in _flags(ev, code) if f.line == line and all(w in f.message for w in words)]
    assert hits, [(f.line, f.message) for f in _flags(ev, code)]


def test_flag_counts(ev):
    assert len(_flags(ev, "score_rate_mismatch")) == 4
    assert len(_flags(ev, "unit_suspect")) == 5
    assert len(_flags(ev, "full_score_target_missed")) == 1
    assert not _flags(ev, "headcount_mismatch")  # 编制 10 / 在职 9 agree in both places
    assert not _flags(ev, "rate_recompute_mismatch")
    assert not _flags(ev, "total_sum_mismatch") and not _flags(ev, "weights_total_mismatch")


# --- messages are computed from the text, not typed in ------------------------------------------


def test_messages_follow_the_numbers(source):
    changed = source.replace("共计 20 次", "共计 18 次", 1)  # line 503
    changed = changed.replace("1,200.00000\t0.00", "1,300.00000\t0.00", 1)  # first register row
    ev = _parse_text(changed)
    [missed] = _flags(ev, "full_score_target_missed")
    assert "18次" in missed.message and "0.75" in missed.message and "88.53" in missed.message
    gross = [f for f in _flags(ev, "asset_register_mismatch") if "原值合计" in f.message]
    assert gross and "282,287.00" in gross[0].message


# --- other layouts of the same report ----------------------------------------------------------


def _key(ev):
    return (
        ev.total_score,
        ev.grade,
        {k: m.value for k, m in ev.metrics.items()},
        [(i.level, i.level2, i.level3, i.weight, i.score, i.target_raw, i.actual_raw, i.met) for i in ev.indicators],
        [(s.group, s.pct) for s in ev.satisfaction],
        [(f.kind, f.category) for f in ev.findings],
        sorted(f.code for f in ev.quality_flags),
    )


def test_pipe_layout(ev, source):
    piped = "\n".join(" | ".join(line.split("\t")) for line in source.split("\n"))
    assert _key(_parse_text(piped)) == _key(ev)


def test_one_cell_per_line_layout(ev, source):
    cells = "\n".join(c for line in source.split("\n") for c in (line.split("\t") if "\t" in line else [line]) if c.strip() or "\t" not in line)
    assert _key(_parse_text(cells)) == _key(ev)


def test_lines_shift_with_the_text(ev, source):
    shifted = _parse_text("\n\n\n" + source)
    assert _key(shifted) == _key(ev)
    assert [f.line for f in shifted.quality_flags] == [f.line + 3 if f.line else None for f in ev.quality_flags]
    assert shifted.metrics["budget_adjusted_yuan"].line == 210
