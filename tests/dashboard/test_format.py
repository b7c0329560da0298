"""Display rules: money in 万元 with separators, rates with one decimal and %, Chinese labels."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest

from dashboard import format as fmt
from loaders.records import DIMENSIONS, EVALUATION_MODES, METRIC_UNITS, REPORT_KINDS, SEVERITIES


# ── Numbers: one rule per kind of number, value in → text out ──────────────────────────────────
# Money: 万元, two decimals, thousands separators; under 0.01 万元 (100 元) in 元, two decimals.
# Rates: one decimal and %, small ones too (0.0684 → 0.1%); above 0 but rounding to 0.0: <0.1%.
# Rate differences: signed, one decimal, 个百分点. Scores (points): two decimals. NULL/NaN → —.

MISSING_VALUES = [None, float("nan"), pd.NA, Decimal("NaN")]


@pytest.mark.parametrize("yuan, text", [
    (Decimal("5496875"), "549.69 万元"),
    (123_456_789, "12,345.68 万元"),
    (921_000, "92.10 万元"),
    (630, "0.06 万元"),  # 0.063 万元: still 万元, two decimals
    (100, "0.01 万元"),
    (99.5, "99.50 元"),  # under 0.01 万元: in 元, so it does not read 0.00 万元
    (0.4, "0.40 元"),
    (0, "0.00 万元"),
    (-5_000, "-0.50 万元"),
])
def test_money(yuan, text):
    assert fmt.money_wan(yuan) == text


def test_money_without_the_unit_is_the_number_in_wan_yuan():
    assert fmt.money_wan(123_456_789, unit=False) == "12,345.68"
    assert fmt.money_wan(50, unit=False) == "0.01"  # an axis or header in 万元 names the unit


@pytest.mark.parametrize("value, text", [
    (105.6626, "105.7%"),
    (Decimal("96"), "96.0%"),
    (0.068404, "0.1%"),  # the real report's procurement rate: one decimal like every rate
    (0.04, "<0.1%"),  # not zero, so never 0.0%
    (0, "0.0%"),
    (100, "100.0%"),
    (1234.5, "1,234.5%"),
])
def test_rates(value, text):
    assert fmt.pct(value) == text


@pytest.mark.parametrize("value, text", [(2.34, "+2.3 个百分点"), (-12.06, "-12.1 个百分点"), (0, "0.0 个百分点")])
def test_rate_differences_in_percentage_points(value, text):
    assert fmt.pp(value) == text


@pytest.mark.parametrize("value, text", [(12.34, "+12.3%"), (-4, "-4.0%")])
def test_relative_changes_in_percent(value, text):
    assert fmt.signed_pct(value) == text


@pytest.mark.parametrize("value, text", [(88.78, "88.78"), (98.0, "98.00"), (Decimal("9.50"), "9.50"), (0, "0.00")])
def test_scores_have_two_decimals(value, text):
    assert fmt.score(value) == text


@pytest.mark.parametrize("value, text", [(3.5, "+3.50 分"), (-10.125, "-10.12 分"), (0, "0.00 分")])
def test_score_changes_are_signed_points(value, text):
    assert fmt.signed_score(value) == text


def test_a_change_is_in_points_or_percentage_points_by_metric():
    assert fmt.change(-3.2, is_pct=False) == "-3.20 分"
    assert fmt.change(-3.2, is_pct=True) == "-3.2 个百分点"
    assert fmt.change(-3.2, is_pct=True, unit=False) == "-3.2" and fmt.change(3.2, False, unit=False) == "+3.20"


@pytest.mark.parametrize("show", [fmt.money_wan, fmt.pct, fmt.pp, fmt.signed_pct, fmt.score, fmt.signed_score,
                                  fmt.count])
@pytest.mark.parametrize("missing", MISSING_VALUES, ids=["None", "nan", "NA", "Decimal-NaN"])
def test_a_missing_number_reads_a_dash(show, missing):
    assert show(missing) == fmt.MISSING == "—"


def test_table_headers_carry_the_unit_and_cells_do_not():
    df = pd.DataFrame(columns=["budget_adjusted_yuan", "budget_exec_pct", "procurement_exec_pct", "budget_exec_pct_diff",
                               "total_score", "total_score_change", "satisfaction_pct_change", "weight"])
    formats = fmt.column_formats(df)
    assert formats == {
        "调整后预算（万元）": "%,.2f",
        "预算执行率（%）": "%.1f",
        "采购执行率（%）": "%.1f",  # the same rule as every rate
        "差异（百分点）": "%+.1f",
        "总分": "%.2f",
        "总分变化（分）": "%+.2f",
        "满意度变化（百分点）": "%+.1f",
        "分值": "%.2f",
    }
    for header, printf in formats.items():
        assert "%%" not in printf and "万元" not in printf  # the unit is in the header, not in each cell


def test_every_money_or_rate_column_names_its_unit_in_its_header():
    for col, header in fmt.COLUMN_LABELS.items():
        if col.endswith("_yuan"):
            assert "万元" in header, col
        elif col.endswith(("_pct", "_gap", "_diff")) or col.startswith(("budget_exec", "procurement_exec")):
            assert "（%）" in header or "百分点" in header or header.endswith("分）"), col


# ── Names: codes never reach the screen ────────────────────────────────────────────────────────

FAMILIES = ["national_project_form", "third_party_dept", "yueyang_dept_self", "indicator_grid", "general"]


def test_every_template_family_has_a_chinese_name():
    from loaders import families
    from loaders.extract import NAME as GENERAL

    codes = {m.NAME for m in families.FAMILIES} | {GENERAL}
    assert set(FAMILIES) <= codes
    for code in codes:
        name = fmt.family_label(code)
        assert name != code and not any("a" <= c.lower() <= "z" for c in name), (code, name)
    # a family that is gone (its documents now read by the general strategies) keeps its name for
    # records loaded before
    for gone in ("hunan_basic_data", "score_rubric"):
        assert fmt.family_label(gone) != gone and fmt.family_label(gone) != "其他模板"
    assert fmt.family_label("no_such_family") == "其他模板" and fmt.family_label(None) == fmt.MISSING


@pytest.mark.parametrize("code, name", [
    ("national_project_self_2020", "项目支出绩效自评表（财预〔2020〕10号）"),
    ("hunan_yueyang_dept_overall", "岳阳市部门整体支出绩效评价指标（投入、过程、产出、效果）"),
    ("score_rubric_weights_in_labels", "评分表指标（分值写在指标名中）"),
    ("jiangxi_dept_overall_2022", "江西省部门整体支出绩效评价指标（赣财绩〔2022〕）"),
    ("岳阳市部门整体支出绩效评价（投入15/过程40/产出25/效果20）", "岳阳市部门整体支出绩效评价（投入15/过程40/产出25/效果20）"),
    ("some_new_framework", "其他指标体系"),
    (None, "—"),
])
def test_framework_names(code, name):
    assert fmt.framework_label(code) == name


def test_every_framework_a_family_writes_has_a_chinese_name():
    import re
    from pathlib import Path

    root = Path(fmt.__file__).resolve().parents[1] / "loaders" / "families"
    codes = {m.group(1) for p in root.glob("*.py")
             for m in re.finditer(r'^FRAMEWORK\s*=\s*"([^"]+)"', p.read_text(encoding="utf-8"), re.M)}
    assert codes
    for code in codes:
        assert fmt.framework_label(code) != "其他指标体系", code


def test_flag_codes_read_as_their_meaning():
    assert fmt.flag_label("total_sum_mismatch") == "总分与各一级指标得分之和不一致"
    assert fmt.flag_label("no_such_flag") == "其他质量问题"


@pytest.mark.parametrize("message, text", [
    ("/srv/app/data/uploads/0a1b2c3d4e5f_报告.docx: 解析超时 (超过 60 秒)，文件可能过于复杂 (parse timed out)",
     "报告.docx: 解析超时 (超过 60 秒)，文件可能过于复杂"),
    ("模板 yueyang_dept_self 读取出错，改由通用策略读取", "模板 部门整体支出绩效自评报告（湖南岳阳） 读取出错，改由通用策略读取"),
    ("无法读取 C:\\data\\in\\a.xlsx", "无法读取 a.xlsx"),
    ("未识别出已知模板", "未识别出已知模板"),
    (None, "—"),
])
def test_messages_show_file_names_not_server_paths(message, text):
    assert fmt.user_message(message) == text


def test_load_summary_names_files_only():
    from warehouse.load import LoadSummary

    summary = LoadSummary(db="/srv/secret/warehouse.duckdb", files_seen=2, new=1, failed=1, evaluations=1, wrote=True,
                          load_run_id=7, errors=[{"path": "/srv/secret/uploads/0a1b2c3d4e5f_坏.pdf", "status": "failed",
                                                  "error": "不是 PDF 文件 (not a pdf)"}])
    lines = fmt.load_summary_lines(summary)
    text = "\n".join(lines)
    assert "/srv" not in text and "secret" not in text and "duckdb" not in text
    assert "失败：坏.pdf：不是 PDF 文件" in text and "已写入数据仓库（载入批次 7）" in text
    assert not any("a" <= c <= "z" for c in text.lower() if c.isascii() and c.isalpha()) or "PDF" in text


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
    assert formats["调整后预算（万元）"] == "%,.2f" and formats["预算执行率（%）"] == "%.1f"
