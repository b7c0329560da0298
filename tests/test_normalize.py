"""Number normalization (DOMAIN.md section 4), one row per pattern seen in real reports."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from loaders.normalize import (
    amount_yuan,
    dimension_of,
    grade_band,
    grade_of,
    parse_value,
    pct,
    ratio_pct,
    value_meets,
)


@pytest.mark.parametrize(
    "raw, comparator, value, low, high, unit_raw, unit",
    [
        ("≥500人", ">=", D(500), D(500), None, "人", "person"),
        ("480万元", "=", D(4800000), None, None, "万元", "yuan"),
        ("64万元", "=", D(640000), None, None, "万元", "yuan"),
        ("138.6万余元", "approx_ge", D(1386000), D(1386000), None, "万元", "yuan"),
        ("20余家", "approx_ge", D(20), D(20), None, "家", "org"),
        ("700余次", "approx_ge", D(700), D(700), None, "次", "event"),
        ("4000余名", "approx_ge", D(4000), D(4000), None, "名", "person"),
        ("1700多名", "approx_ge", D(1700), D(1700), None, "名", "person"),
        ("24次以上", ">=", D(24), D(24), None, "次", "event"),
        ("92%以上", ">=", D(92), D(92), None, "%", "pct"),
        ("≤90万元", "<=", D(900000), None, D(900000), "万元", "yuan"),
        ("不超过5次", "<=", D(5), None, D(5), "次", "event"),
        ("2-3家", "range", None, D(2), D(3), "家", "org"),
        ("1－2场", "range", None, D(1), D(2), "场", "event"),
        ("90%(含)~100%", "range", None, D(90), D(100), "%", "pct"),
        ("75场", "=", D(75), None, None, "场", "event"),
        ("开展活动15万人次", "=", D(150000), None, None, "人次", "person_time"),
        ("4,900 元", "=", D(4900), None, None, "元", "yuan"),
        ("1,200.00000", "=", D(1200), None, None, None, None),
        ("≥100百分比", ">=", D(100), D(100), None, "%", "pct"),
        ("＞８０％", ">", D(80), D(80), None, "%", "pct"),
        ("两场", "=", D(2), None, None, "场", "event"),
    ],
)
def test_quantities(raw, comparator, value, low, high, unit_raw, unit):
    v = parse_value(raw)
    assert (v.comparator, v.value, v.low, v.high, v.unit_raw, v.unit) == (comparator, value, low, high, unit_raw, unit)
    assert not v.is_qualitative


def test_person_time_is_not_person():
    assert parse_value("700人次").unit == "person_time"
    assert parse_value("700人").unit == "person"


def test_unit_inferred_and_trailing_garbage_are_warned():
    assert "unit_inferred" in parse_value("134万").warnings
    assert "trailing_garbage" in parse_value("100%0").warnings
    assert parse_value("100%0").value == D(100)


@pytest.mark.parametrize(
    "raw, code",
    [("是", "YES"), ("否", "NO"), ("满意", "SATISFIED"), ("长期开展", "ONGOING"), ("一定程度上缓解", "PARTIAL"),
     ("预算年度内", "WITHIN_FY"), ("已完成", "DONE"), ("完成预期目标", "DONE"), ("达成预期指标", "DONE")],
)
def test_qualitative(raw, code):
    v = parse_value(raw)
    assert v.is_qualitative and v.qual_code == code and v.value is None


@pytest.mark.parametrize("raw", ["—", "——", "/", "", "  ", "无", None])
def test_not_applicable_is_none_never_zero(raw):
    assert parse_value(raw) is None


@pytest.mark.parametrize(
    "target, actual, met",
    [
        ("24次以上", "20次", False),
        ("60家以上", "62家", True),
        ("≥500人", "≥500人", True),
        ("2-3家", "6家", True),
        ("≤90万元", "95万元", False),
        ("是", "是", True),
        ("满意", "满意", True),
        ("已完成", "一定程度上缓解", False),
        ("100%", "96%", False),
        ("5次", "5人", None),  # different units: undecidable, not a guess
        ("是", "5次", None),
    ],
)
def test_value_meets(target, actual, met):
    assert value_meets(parse_value(target), parse_value(actual)) is met


def test_money_and_rates():
    assert amount_yuan("549.6875 万元") == (D("5496875"), "万元")
    assert amount_yuan("4,900 元") == (D(4900), "元")
    assert amount_yuan("64", default_unit="万元") == (D(640000), "万元")
    assert amount_yuan("64") == (None, None)
    assert pct("支出预算完成率为 105.66%") == D("105.66")
    assert pct("-77.23%") == D("-77.23")
    assert ratio_pct(D("580.8142"), D("549.6875")) == D("105.66")
    assert ratio_pct(D(630), D(921000)) == D("0.07")
    assert ratio_pct(D(1), D(0)) is None


@pytest.mark.parametrize(
    "raw, grade", [("优秀", "优"), ("优", "优"), ("“良”", "良"), ("良好", "良"), ("合格", "中"), ("不合格", "差"), ("差", "差"), ("", None)]
)
def test_grade_words(raw, grade):
    assert grade_of(raw) == grade


@pytest.mark.parametrize("total, grade", [(D(100), "优"), (D(90), "优"), (D("89.99"), "良"), (D("88.78"), "良"), (D(80), "良"), (D(60), "中"), (D("59.9"), "差")])
def test_grade_bands(total, grade):
    assert grade_band(total) == grade


@pytest.mark.parametrize(
    "l1, l2, l3, dim",
    [
        ("部门决策", "绩效目标", None, "decision"),
        ("投入", "预算配置", None, "decision"),
        ("部门管理", "资金管理", None, "process"),
        ("过程", "预算执行", None, "process"),
        ("预算执行率", None, None, "process"),
        ("部门产出", "产出数量", None, "output"),
        ("产出", "职责履行", None, "output"),
        ("部门效益", "社会效益", None, "outcome"),
        ("效果", "履职效益", "经济效益", "outcome"),
        ("效果", "履职效益", "社会公众或服务对象满意度", "satisfaction"),
        ("部门效益", "服务对象满意度", None, "satisfaction"),
        ("满意度指标", "服务对象满意度指标", None, "satisfaction"),
    ],
)
def test_dimensions(l1, l2, l3, dim):
    assert dimension_of(l1, l2, l3) == dim


@pytest.mark.parametrize("raw, value", [("-77.23%", D("-77.23")), ("−5%", D(-5)), ("变动率 -3.5%", D("-3.5"))])
def test_negative_numbers_keep_their_sign(raw, value):
    assert parse_value(raw).value == value


def test_a_dash_between_numbers_is_a_range_not_a_sign():
    v = parse_value("2-3家")
    assert (v.comparator, v.low, v.high) == ("range", D(2), D(3))
