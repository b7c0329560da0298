"""The bare indicator-grid family, against the real report 000 (信丰县总工会, FY2021) field by
field; a tab-row variant of the grid to show extraction follows labels and structure; and a
changed narrative to show that the numbers in the flag messages are computed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from project_paths import REPORTS_DIR, ROOT
from loaders.families import FAMILIES
from loaders.families import indicator_grid as fam
from loaders.parse import parse_document
from loaders.read import read_bytes
from loaders.records import to_jsonable

REPORT = REPORTS_DIR / "000_08bca0917d8ae61f.txt"
TEXT = REPORT.read_text(encoding="utf-8")
D = Decimal


def _doc(path=REPORT):
    return read_bytes(path.read_bytes(), path.name)


def _parse_text(text: str, name: str = "fixture.txt"):
    return parse_document(read_bytes(text.encode("utf-8"), name), name)


@pytest.fixture(scope="module")
def result():
    return parse_document(_doc(), str(REPORT.relative_to(ROOT)))


@pytest.fixture(scope="module")
def ev(result):
    assert result.source.family == fam.NAME
    assert len(result.evaluations) == 1
    return result.evaluations[0]


def flags(ev, code):
    return [f for f in ev.quality_flags if f.code == code]


# --- detection -------------------------------------------------------------------------------




# --- document fields -------------------------------------------------------------------------


def test_unit_inferred_from_the_county(ev):
    u = ev.unit
    assert (u.name, u.province, u.city, u.county, u.admin_code) == ("信丰县总工会", "江西省", "赣州市", "信丰县", "360722")
    (f,) = flags(ev, "region_inferred")
    assert f.line == 2 and "江西省赣州市" in f.message


def test_fields(ev):
    assert ev.fiscal_year == 2021
    assert ev.report_kind == "project"
    assert ev.report_kind_declared == "department_overall"
    assert ev.project_name == "工会经费项目"
    assert ev.evaluation_mode == "self"
    assert ev.evaluator is None


def test_no_score_and_no_grade_are_null_not_zero(ev, result):
    assert ev.total_score is None and ev.grade is None and ev.grade_raw is None
    record = to_jsonable(result)["evaluations"][0]
    assert record["total_score"] is None and record["grade"] is None
    assert flags(ev, "no_scores")


def test_budget_from_the_narrative(ev):
    # "县财政局安排…项目资金480万元": a budget without 年初/调整 qualifier is the full-year budget
    assert set(ev.metrics) == {"budget_adjusted_yuan"}
    m = ev.metrics["budget_adjusted_yuan"]
    assert (m.value, m.raw, m.line) == (D(4800000), "480万元", 8)


# --- the grid --------------------------------------------------------------------------------


def test_eleven_goal_rows(ev):
    assert [(i.level1, i.level2, i.level3, i.target_raw, i.actual_raw, i.line) for i in ev.indicators] == [
        ("产出指标", "数量指标", "指标1:基层工会阵地建设", "180万元", "180万元", 29),
        ("产出指标", "数量指标", "指标2:工人文化宫运营", "200万元", "200万元", 36),
        ("产出指标", "数量指标", "指标3:困难职工帮扶、送温暖、劳模三金", "100万元", "100万元", 43),
        ("产出指标", "质量指标", "指标1:全县职工活动开展数", "75场", "75场", 50),
        ("产出指标", "时效指标", "指标1:全县职工活动开展及时率", "100%", "100%", 57),
        ("产出指标", "成本指标", "指标1:工人文化宫开展活动成本", "200万元", "200万元", 64),
        ("效益指标", "经济效益指标", "指标1:为全县经济效益提升提供精神支柱", "100%", "100%", 72),
        ("效益指标", "社会效益指标", "指标1:全县职工活动参与率", "100%", "100%", 80),
        ("效益指标", "生态效益指标", "指标1:有效提高生态效益", "100%", "100%", 88),
        ("效益指标", "可持续影响指标", "指标1:职工活动可持续影响率", "100%", "100%", 95),
        ("满意度指标", "服务对象满意度指标", "指标1:职工满意度", "100%", "100%", 103),
    ]
    assert [i.dimension for i in ev.indicators] == ["output"] * 6 + ["outcome"] * 4 + ["satisfaction"]
    for i in ev.indicators:
        assert (i.table, i.level, i.weight, i.score, i.met) == ("goals", 3, None, None, True)


def test_values_normalized(ev):
    money = ev.indicators[0].target
    assert (money.comparator, money.value, money.unit_raw, money.unit) == ("=", D(1800000), "万元", "yuan")
    count = ev.indicators[3].actual
    assert (count.value, count.unit_raw, count.unit) == (D(75), "场", "event")
    rate = ev.indicators[4].target
    assert (rate.value, rate.unit) == (D(100), "pct")


def test_satisfaction(ev):
    assert [(s.group, s.pct, s.weight, s.score, s.line) for s in ev.satisfaction] == [("职工", D(100), None, None, 103)]


# --- findings --------------------------------------------------------------------------------


def test_findings(ev):
    problems = [f for f in ev.findings if f.kind == "problem"]
    recommendations = [f for f in ev.findings if f.kind == "recommendation"]
    assert [(f.line, f.text[-9:]) for f in problems] == [(120, "资金缺口问题突出。")]
    assert [f.line for f in recommendations] == [122] * 5
    assert recommendations[0].text.startswith("推进完善工资集体协商制度")
    assert recommendations[-1].text.startswith("建议县财政对我单位加大资金的投入")
    assert all("积极作用" not in f.text for f in ev.findings)  # the experience paragraph is not a problem


# --- quality flags (DOMAIN.md section 6, seed 000) -------------------------------------------


def test_flag_title_content_mismatch(ev):
    (f,) = flags(ev, "title_content_mismatch")
    assert f.line == 2 and "部门评价报告" in f.message and "项目概况" in f.message


def test_flag_grid_narrative_mismatch(ev):
    found = {f.message.split("”")[0].lstrip("“"): f for f in flags(ev, "grid_narrative_mismatch")}
    assert set(found) == {"指标2:工人文化宫运营", "指标1:基层工会阵地建设", "指标3:困难职工帮扶、送温暖、劳模三金"}
    assert all(f.line == 8 for f in found.values())  # the repeated paragraph (line 116) is not flagged again
    assert "138.6万余元" in found["指标2:工人文化宫运营"].message and "少 61.4 万元" in found["指标2:工人文化宫运营"].message
    assert "134万" in found["指标1:基层工会阵地建设"].message and "少 46 万元" in found["指标1:基层工会阵地建设"].message
    helped = found["指标3:困难职工帮扶、送温暖、劳模三金"].message
    assert "132.89万余元 + 10万余元 = 142.89 万元" in helped and "多 42.89 万元" in helped


def test_flag_narrative_sum_mismatch(ev):
    (f,) = flags(ev, "narrative_sum_mismatch")
    assert f.line == 8 and "= 415.49 万元" in f.message and "相差 64.51 万元" in f.message


def test_flag_double_counting(ev):
    (f,) = flags(ev, "double_counting")
    assert f.line == 64
    assert "指标1:工人文化宫开展活动成本" in f.message and "指标2:工人文化宫运营" in f.message
    assert "180 + 200 + 100 = 480 万元" in f.message


def test_flag_count_under_quality(ev):
    (f,) = flags(ev, "indicator_misplaced")
    assert f.line == 50 and "75场" in f.message


def test_flag_pseudo_quantitative(ev):
    assert sorted(f.line for f in flags(ev, "pseudo_quantitative")) == [72, 88]


def test_flag_unit_missing(ev):
    (f,) = flags(ev, "unit_missing")
    assert f.line == 8 and "134万" in f.message


def test_flag_dates_without_year(ev):
    found = {f.line: f.message for f in flags(ev, "date_without_year")}
    assert set(found) == {109, 110, 111, 112}
    assert "3月20日" in found[109] and "5月10日" in found[112]


def test_no_flags_beyond_the_known_traps(ev):
    assert {f.code for f in ev.quality_flags} == {
        "region_inferred",
        "title_content_mismatch",
        "grid_narrative_mismatch",
        "narrative_sum_mismatch",
        "double_counting",
        "indicator_misplaced",
        "pseudo_quantitative",
        "unit_missing",
        "date_without_year",
        "no_scores",
    }


def test_flag_numbers_are_computed_from_the_text():
    text = TEXT.replace("工人文化宫运营支出138.6万余元", "工人文化宫运营支出150万余元")
    (ev,) = _parse_text(text).evaluations
    (culture,) = [f for f in flags(ev, "grid_narrative_mismatch") if "“指标2:工人文化宫运营”" in f.message]
    assert "少 50 万元" in culture.message
    (total,) = flags(ev, "narrative_sum_mismatch")
    assert "= 426.89 万元" in total.message and "相差 53.11 万元" in total.message


def test_matching_narrative_raises_no_grid_flags():
    text = (
        TEXT.replace("工人文化宫运营支出138.6万余元", "工人文化宫运营支出200万元")
        .replace("全县基层工会组织建设134万", "全县基层工会组织建设180万元")
        .replace("发放补助资金132.89万余元", "发放补助资金90万元")
    )
    (ev,) = _parse_text(text).evaluations
    assert not flags(ev, "grid_narrative_mismatch")
    assert not flags(ev, "narrative_sum_mismatch")
    assert not flags(ev, "unit_missing")


# --- the same grid as tab rows ---------------------------------------------------------------

TAB_REPORT = """关于安远县总工会2022年度职工服务项目的绩效评价报告
一、基本情况
（一）项目概况。职工服务项目主要用于职工培训和帮扶。2022年县财政局安排项目资金50万元。
二、绩效评价指标
一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值
产出指标\t数量指标\t指标1：职工技能培训人次\t≥300人次\t320人次
\t质量指标\t指标1：培训合格率\t≥90%\t93%
效益指标\t社会效益指标\t指标1：职工就业能力提升\t有效提升\t有效提升
满意度指标\t服务对象满意度指标\t指标1：参训职工满意度\t≥90%\t95%
三、存在的问题
培训场地不足，部分培训只能外租场地。
四、建议
一是建设固定培训场地。二是扩大培训覆盖面。
"""


def test_tab_rows_layout():
    doc = read_bytes(TAB_REPORT.encode("utf-8"), "tab.txt")
    assert fam.detect(doc) >= 0.9
    result = parse_document(doc, "tab.txt")
    assert result.source.family == fam.NAME
    (ev,) = result.evaluations
    assert (ev.unit.name, ev.fiscal_year, ev.report_kind, ev.project_name) == ("安远县总工会", 2022, "project", "职工服务项目")
    assert [(i.level1, i.level2, i.level3, i.met) for i in ev.indicators] == [
        ("产出指标", "数量指标", "指标1:职工技能培训人次", True),
        ("产出指标", "质量指标", "指标1:培训合格率", True),
        ("效益指标", "社会效益指标", "指标1:职工就业能力提升", True),
        ("满意度指标", "服务对象满意度指标", "指标1:参训职工满意度", True),
    ]
    assert ev.indicators[0].target.unit == "person_time" and ev.indicators[0].actual.value == D(320)
    assert ev.metrics["budget_adjusted_yuan"].value == D(500000)
    assert [(s.group, s.pct) for s in ev.satisfaction] == [("参训职工", D(95))]
    assert [(f.kind, f.line) for f in ev.findings] == [("problem", 11), ("recommendation", 13), ("recommendation", 13)]
    # A percentage on a rate, a count under 数量: nothing misplaced, nothing pseudo-quantitative.
    assert not flags(ev, "indicator_misplaced") and not flags(ev, "pseudo_quantitative")
