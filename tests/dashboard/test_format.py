"""Display rules: money in 万元 with separators, rates with one decimal and %, Chinese labels."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd

from dashboard import format as fmt
from loaders.records import DIMENSIONS, EVALUATION_MODES, METRIC_UNITS, REPORT_KINDS, SEVERITIES


def test_money_is_shown_in_wan_yuan_with_separators():
    assert fmt.money_wan(Decimal("5496875")) == "549.69 万元"
    assert fmt.money_wan(123_456_789) == "12,345.68 万元"
    assert fmt.money_wan(630) == "0.0630 万元"  # under 1 万元: four decimals, not 0.06
    assert fmt.money_wan(None) == fmt.MISSING and fmt.money_wan(float("nan")) == fmt.MISSING


def test_rates_have_one_decimal_and_a_percent_sign():
    assert fmt.pct(105.6626) == "105.7%"
    assert fmt.pct(Decimal("96")) == "96.0%"
    assert fmt.pct(0.068404) == "0.07%"  # a rate under 1% keeps two decimals
    assert fmt.pct(0) == "0.0%"
    assert fmt.pct(None) == fmt.MISSING


def test_scores_drop_trailing_zeros():
    assert fmt.score(88.78) == "88.78" and fmt.score(98.0) == "98" and fmt.score(Decimal("9.50")) == "9.5"


def test_every_enum_of_the_contract_has_a_chinese_label():
    for kind in REPORT_KINDS:
        assert fmt.kind_label(kind) in ("部门整体", "项目")
    assert [fmt.mode_label(m) for m in EVALUATION_MODES] == ["自评", "部门评价", "财政评价", "第三方评价"]
    assert [fmt.dimension_label(d) for d in DIMENSIONS] == ["决策", "过程", "产出", "效益", "满意度"]
    assert [fmt.severity_label(s) for s in SEVERITIES] == ["提示", "警告", "错误"]
    assert set(METRIC_UNITS) <= set(fmt.METRIC_NAME_LABELS)


def test_metric_values_use_their_unit():
    assert fmt.metric_value("budget_adjusted_yuan", 5_496_875) == "549.69 万元"
    assert fmt.metric_value("budget_exec_pct", 105.66) == "105.7%"
    assert fmt.metric_value("headcount_actual", Decimal("9")) == "9 人"


def test_demo_rows_carry_the_badge():
    assert fmt.unit_label("甲县总工会", True, 2022) == "甲县总工会 2022〔演示数据〕"
    assert fmt.unit_label("甲县总工会", False) == "甲县总工会"
    label = fmt.evaluation_label({"evaluation_id": 2, "unit_name": "南昌市青云谱区总工会", "fiscal_year": 2022,
                                  "report_kind": "department_overall", "project_name": float("nan"),
                                  "evaluation_mode": "third_party", "total_score": 88.78, "grade": "良",
                                  "is_demo": False})
    assert label == "南昌市青云谱区总工会 · 2022年 · 部门整体 · 第三方评价 · 88.78分良（#2）"


def test_for_display_translates_converts_and_badges():
    df = pd.DataFrame({"unit_name": ["甲"], "report_kind": ["project"], "evaluation_mode": ["self"],
                       "budget_adjusted_yuan": [5_496_875.0], "budget_exec_pct": [105.66], "rates_agree": [False],
                       "is_demo": [True], "exec_band": [">100"]})
    shown = fmt.for_display(df)
    row = shown.iloc[0]
    assert row["报告类型"] == "项目" and row["评价方式"] == "自评" and row["数据来源"] == "演示数据"
    assert math.isclose(row["调整后预算（万元）"], 549.6875)
    assert row["报告值与复算值"] == "不一致" and row["执行区间"] == "超支（>100%）"
    formats = fmt.column_formats(df)
    assert formats["调整后预算（万元）"] == "%,.2f" and formats["预算执行率（%）"] == "%.1f%%"
