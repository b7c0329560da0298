"""The national 项目支出绩效自评表 family, against the real report 002 (霍邱县总工会, FY2023) field
by field; a file holding two forms; the same form written as pipe rows, to show extraction follows
labels and structure, not this file's lines.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from project_paths import REPORTS_DIR, ROOT
from loaders.families import FAMILIES
from loaders.families import national_project_form as fam
from loaders.parse import parse_document
from loaders.read import read_bytes

REPORT = REPORTS_DIR / "002_e1e9dc7755af7730.txt"
TEXT = REPORT.read_text(encoding="utf-8")
D = Decimal


def _doc(path=REPORT):
    return read_bytes(path.read_bytes(), path.name)


def _parse_text(text: str, name: str = "fixture.txt"):
    return parse_document(read_bytes(text.encode("utf-8"), name), name)


@pytest.fixture(scope="module")
def ev():
    result = parse_document(_doc(), str(REPORT.relative_to(ROOT)))
    assert result.source.family == fam.NAME
    assert len(result.evaluations) == 1
    return result.evaluations[0]


def flags(ev, code):
    return [f for f in ev.quality_flags if f.code == code]


def by_name(ev, name):
    (ind,) = [i for i in ev.indicators if i.level3 == name]
    return ind


# --- detection -------------------------------------------------------------------------------




# --- header, unit, score, grade --------------------------------------------------------------


def test_unit_is_the_implementing_unit(ev):
    # the evaluated unit is the 实施单位 (here the same union as the 主管部门, line 23)
    u = ev.unit
    assert (u.name, u.province, u.city, u.county, u.admin_code) == ("霍邱县总工会", "安徽省", "六安市", "霍邱县", "341522")
    assert u.line == 25


def test_header_fields(ev):
    assert ev.fiscal_year == 2023
    assert ev.report_kind == "project"
    assert ev.project_name == "困难职工送温暖"
    assert ev.evaluation_mode == "self"
    assert ev.evaluator == "霍邱县总工会"
    assert ev.framework == "national_project_self_2020"
    assert ev.confidence == "high"


def test_total_score_and_grade(ev):
    assert ev.total_score == D(100)
    assert (ev.grade_raw, ev.grade) == ("优", "优")
    assert not flags(ev, "grade_band_mismatch")
    assert not flags(ev, "narrative_table_score_mismatch")


# --- money -----------------------------------------------------------------------------------


def test_funds_grid_metrics_in_yuan_with_raw_and_line(ev):
    m = ev.metrics
    expected = {
        "budget_initial_yuan": (D(640000), "64", 47),
        "budget_adjusted_yuan": (D(640000), "64", 48),
        "expenditure_yuan": (D(640000), "64", 49),
        "funds_current_approp_yuan": (D(640000), "64", 57),
    }
    for name, (value, raw, line) in expected.items():
        assert (m[name].value, m[name].raw, m[name].line) == (value, raw, line), name
        assert "万元" in m[name].note  # the unit comes from the （万元） header cell
    assert (m["budget_exec_pct"].value, m["budget_exec_pct"].raw, m["budget_exec_pct"].line) == (D(100), "100%", 51)


def test_blank_funding_sources_are_absent_not_zero(ev):
    assert "funds_carryover_yuan" not in ev.metrics
    assert "funds_other_yuan" not in ev.metrics


def test_household_transfers_from_the_narrative(ev):
    m = ev.metrics["exp_household_transfers_yuan"]
    assert (m.value, m.raw, m.line) == (D(640000), "64万元", 291)


def test_funds_that_add_up_raise_no_flag(ev):
    # 64 = 60 送温暖 + 4 帮扶, and 年度资金总额 = 当年财政拨款; 64/64 = 100%.
    assert not flags(ev, "sum_mismatch")
    assert not flags(ev, "rate_recompute_mismatch")


# --- indicators ------------------------------------------------------------------------------


def test_execution_rate_row(ev):
    first = ev.indicators[0]
    assert (first.level1, first.dimension, first.weight, first.score) == ("预算执行率", "process", D(10), D(10))
    assert first.actual_raw == "100%" and first.actual.value == D(100) and first.actual.unit == "pct"
    assert first.target is None
    assert (first.level, first.table, first.line) == (3, "score", 51)


def test_ten_real_indicator_rows_and_no_template_rows(ev):
    rows = ev.indicators[1:]
    assert [(i.level1, i.level2, i.level3) for i in rows] == [
        ("产出指标", "数量指标", "困难职工人数"),
        ("产出指标", "质量指标", "所救助的职工是否均符合相关帮扶送温暖政策规定的条件"),
        ("产出指标", "时效指标", "支出完成时间"),
        ("产出指标", "成本指标", "帮扶送温暖金额"),
        ("效益指标", "经济效益", "维护职工合法权益"),
        ("效益指标", "社会效益", "帮扶送温暖是否实现常态化"),
        ("效益指标", "可持续影响指标", "项目后续运行、开展"),
        ("满意度指标", "服务对象满意度指标", "指标1:民生工程调查、县政府目标考核满意度调查"),
        ("满意度指标", "服务对象满意度指标", "指标2:县主管部门满意度"),
        ("满意度指标", "服务对象满意度指标", "指标3:缓解困难职工生活压力"),
    ]
    assert [i.dimension for i in rows] == ["output"] * 4 + ["outcome"] * 3 + ["satisfaction"] * 3
    assert [i.line for i in rows] == [132, 142, 152, 162, 172, 192, 232, 242, 262, 272]
    for i in rows:
        assert (i.weight, i.score, i.level, i.table) == (D(10), D(10), 3, "score")
        assert i.note is None  # "无" in the deviation column is N/A, not a note
        assert i.met is True
    assert all(i.level3 not in (None, "指标", "生态效益") for i in rows)


def test_targets_and_actuals_normalized(ev):
    people = by_name(ev, "困难职工人数")
    assert (people.target_raw, people.actual_raw) == ("≥500人", "≥500人")
    t = people.target
    assert (t.comparator, t.value, t.unit_raw, t.unit) == (">=", D(500), "人", "person")
    money = by_name(ev, "帮扶送温暖金额").target
    assert (money.comparator, money.value, money.unit) == ("=", D(640000), "yuan")
    codes = {
        "所救助的职工是否均符合相关帮扶送温暖政策规定的条件": "YES",
        "支出完成时间": "WITHIN_FY",
        "项目后续运行、开展": "ONGOING",
        "指标2:县主管部门满意度": "SATISFIED",
        "指标3:缓解困难职工生活压力": "PARTIAL",
    }
    for name, code in codes.items():
        ind = by_name(ev, name)
        assert ind.target.is_qualitative and ind.target.qual_code == code, name
        assert ind.actual.qual_code == code, name


def test_satisfaction_rows_are_qualitative(ev):
    assert [(s.group, s.pct, s.raw, s.weight, s.score, s.line) for s in ev.satisfaction] == [
        ("民生工程调查、县政府目标考核", None, "满意", D(10), D(10), 242),
        ("县主管部门", None, "满意", D(10), D(10), 262),
    ]


def test_no_findings_when_the_report_states_none(ev):
    assert ev.findings == []


# --- quality flags (DOMAIN.md section 6, seed 002) -------------------------------------------


def test_flag_total_sum_mismatch(ev):
    (f,) = flags(ev, "total_sum_mismatch")
    assert "110" in f.message and "100" in f.message
    assert f.line == 51


def test_flag_weights_total_mismatch(ev):
    (f,) = flags(ev, "weights_total_mismatch")
    assert "110" in f.message
    assert f.line == 51


def test_flag_benefit_indicator_under_satisfaction(ev):
    (f,) = flags(ev, "indicator_misplaced")
    assert "指标3:缓解困难职工生活压力" in f.message and f.line == 272


def test_flag_actual_copies_target(ev):
    found = {f.line: f.message for f in flags(ev, "actual_copies_target")}
    assert 132 in found and "≥500人" in found[132]


def test_flag_unit_mismatch_narrative(ev):
    (f,) = flags(ev, "unit_mismatch_narrative")
    assert f.line == 317
    assert "700余次" in f.message and "20余家" in f.message and "人" in f.message


def test_flag_pseudo_quantitative(ev):
    (f,) = flags(ev, "pseudo_quantitative")
    assert f.line == 172 and "维护职工合法权益" in f.message and "≥100%" in f.message


def test_flag_layout_artifacts(ev):
    found = {f.line: f.message for f in flags(ev, "layout_artifact")}
    assert "_GoBack" in found[317]
    assert "模板行" in found[181] and "生态效益" in found[181]


def test_flag_project_name_varies(ev):
    found = {f.line: f.message for f in flags(ev, "project_name_varies")}
    assert set(found) == {8, 288}
    assert "困难职工送温暖" in found[288] and "困难职工帮扶送温暖项目绩效评价报告" in found[288]


def test_flag_region_inferred(ev):
    (f,) = flags(ev, "region_inferred")
    assert f.line == 25 and "341522" in f.message


# --- several forms in one file ---------------------------------------------------------------


def _second_form() -> str:
    lines = TEXT.split("\n")
    start = next(k for k, line in enumerate(lines) if "项目支出绩效自评表" in line)
    end = next(k for k, line in enumerate(lines) if line.strip() == "总分") + 4
    form = "\n".join(lines[start:end])
    return (
        form.replace("困难职工送温暖", "职工文体活动")
        .replace("\t64\n", "\t30\n")
        .replace("64万元", "30万元")
        .replace("≥500人", "≥300人")
    )


def test_two_forms_give_two_evaluations():
    text = TEXT.rstrip("\n") + "\n\n" + _second_form() + "\n"
    result = _parse_text(text)
    first, second = result.evaluations
    assert (first.project_name, second.project_name) == ("困难职工送温暖", "职工文体活动")
    assert first.metrics["budget_initial_yuan"].value == D(640000)
    assert second.metrics["budget_initial_yuan"].value == D(300000)
    assert second.metrics["budget_initial_yuan"].line > 320  # its own lines, after the first form
    assert by_name(second, "困难职工人数").target.value == D(300)
    assert by_name(second, "帮扶送温暖金额").target.value == D(300000)
    assert len(second.indicators) == len(first.indicators) == 11
    # The narrative (and its grade) follows the first form only.
    assert (first.grade, second.grade) == ("优", None)
    assert second.total_score == D(100)
    assert second.unit.name == "霍邱县总工会"
    # One list entry for two forms: the list cannot be paired with the forms, so no list flag.
    assert all(f.line != 8 for f in flags(first, "project_name_varies"))


# --- the same form as pipe rows, with other figures ------------------------------------------

PIPE_FORM = """2024年度项目支出绩效自评表
| 项目名称 | 职工书屋建设 |
| 主管部门 | 霍山县总工会 | 实施单位 | 霍山县总工会 |
| 项目资金（万元） | | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
| | 年度资金总额 | 20 | 18 | 17.1 | 10 | 95% | 9.5 |
| | 其中：当年财政拨款 | 20 | 18 | 17.1 | — | | — |
| | 上年结转资金 | | | | — | | — |
| | 其他资金 | | | | — | | — |
| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| | 产出指标 | 数量指标 | 新建职工书屋数量 | ≥10个 | 12个 | 50 | 50 | 无 |
| | 效益指标 | 社会效益 | 职工阅读参与率 | ≥80% | 85% | 30 | 30 | 无 |
| | 满意度指标 | 服务对象满意度指标 | 职工满意度 | ≥90% | 92% | 10 | 9 | 个别书屋开放时间短 |
| 总分 | 100 | 98.5 | |
"""


def test_pipe_rows_layout():
    doc = read_bytes(PIPE_FORM.encode("utf-8"), "pipe.txt")
    assert fam.detect(doc) >= 0.9
    result = parse_document(doc, "pipe.txt")
    assert result.source.family == fam.NAME
    (ev,) = result.evaluations
    assert (ev.fiscal_year, ev.project_name, ev.unit.name) == (2024, "职工书屋建设", "霍山县总工会")
    m = ev.metrics
    assert (m["budget_initial_yuan"].value, m["budget_adjusted_yuan"].value, m["expenditure_yuan"].value) == (
        D(200000),
        D(180000),
        D(171000),
    )
    assert m["budget_exec_pct"].value == D(95)
    assert [(i.level3, i.weight, i.score, i.met) for i in ev.indicators] == [
        (None, D(10), D("9.5"), None),
        ("新建职工书屋数量", D(50), D(50), True),
        ("职工阅读参与率", D(30), D(30), True),
        ("职工满意度", D(10), D(9), True),
    ]
    assert ev.indicators[3].note == "个别书屋开放时间短"
    assert ev.total_score == D("98.5")
    assert [(s.group, s.pct) for s in ev.satisfaction] == [("职工", D(92))]
    # Weights 10+50+30+10 = 100 and scores 9.5+50+30+9 = 98.5: nothing to flag there.
    codes = {f.code for f in ev.quality_flags}
    assert not codes & {"total_sum_mismatch", "weights_total_mismatch", "rate_recompute_mismatch", "sum_mismatch"}


def test_breakdown_that_does_not_add_up_is_flagged():
    text = TEXT.replace("困难职工帮扶资金4万元", "困难职工帮扶资金5万元")
    (ev,) = _parse_text(text).evaluations
    (f,) = flags(ev, "sum_mismatch")
    assert f.line == 291 and "60万元 + 5万元 = 65 万元" in f.message and "相差 1 万元" in f.message


def test_execution_rate_recomputed_from_the_grid():
    text = PIPE_FORM.replace("| 95% |", "| 97% |")
    (ev,) = _parse_text(text).evaluations
    (f,) = flags(ev, "rate_recompute_mismatch")
    assert "95.00%" in f.message and f.line == 5


def test_a_rate_printed_as_a_fraction_in_the_money_row():
    text = "\n".join([
        "项目支出绩效自评表",
        "（2023年度）",
        "项目名称\t家庭教育指导服务项目",
        "主管部门\t某区妇女联合会\t实施单位\t某区妇女联合会",
        "项目资金（元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "年度资金总额\t500,000.00\t480,000.00\t456,000.00\t10\t0.95\t9.5",
        "其中：当年财政拨款\t500,000.00\t480,000.00\t456,000.00\t—\t—\t—",
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "产出指标\t数量指标\t举办家庭教育讲座场次\t≥20场\t22场\t40\t40\t",
        "满意度指标\t服务对象满意度指标\t家长满意度\t≥90%\t95%\t50\t50\t",
        "总分\t\t\t\t\t100\t99.5\t",
    ])
    result = _parse_text(text)
    assert result.source.family == fam.NAME
    e = result.evaluations[0]
    assert e.metrics["budget_exec_pct"].value == D("95")  # 0.95 = 456,000 / 480,000
    assert not flags(e, "template_reading_differs") and not flags(e, "rate_recompute_mismatch")
