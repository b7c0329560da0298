"""How numbers and codes read on screen: money in 万元, rates with one decimal and %, Chinese labels.

Pure functions and plain dictionaries; no Streamlit, no queries. The warehouse stores money in 元
and rates in percentage points; only this module turns them into display text, for pages, charts
and tables alike. The rules (tests/dashboard/test_format.py spells them out, value in → text out):

- money: 万元 with two decimals and thousands separators (549.69 万元); an amount under 0.01 万元
  in 元 with two decimals (50.00 元);
- rates: one decimal and % (105.7%, 0.1%), a rate above 0 that rounds to 0.0 reads <0.1%;
  differences of rates signed in percentage points with one decimal (+2.3 个百分点);
- scores, weights and points lost: two decimals (88.78, 98.00); changes signed (+3.50 分);
- counts: whole numbers with thousands separators; a missing value of any kind: —;
- tables: the header names the unit (预算执行率（%）, 支出（万元）) and the cells do not repeat it;
- codes (template families, indicator frameworks, quality flags) are shown by their Chinese
  names; family and framework names are data in loaders/lexicon/documents.toml; server paths are
  shown as file names only.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import pandas as pd

DEMO_BADGE = "演示数据"
MISSING = "—"

REPORT_KIND_LABELS = {"department_overall": "部门整体", "project": "项目"}
MODE_LABELS = {"self": "自评", "department": "部门评价", "finance": "财政评价", "third_party": "第三方评价"}
DIMENSION_LABELS = {
    "decision": "决策",
    "process": "过程",
    "output": "产出",
    "outcome": "效益",
    "satisfaction": "满意度",
    "unclassified": "未归类",
}
DIMENSION_ORDER = ("decision", "process", "output", "outcome", "satisfaction", "unclassified")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
GRADE_ORDER = ("优", "良", "中", "差")
FINDING_KIND_LABELS = {"problem": "问题", "recommendation": "建议"}
SOURCE_STATUS_LABELS = {"ok": "已识别", "unrecognized": "未识别", "failed": "失败"}
REGION_LEVEL_LABELS = {"national": "全国", "province": "省", "city": "市"}
SOURCE_TABLE_LABELS = {"score": "评分表", "summary": "得分汇总表", "goals": "目标表"}


def document_kind_names() -> dict[str, str]:
    """Chinese names of the document kinds: the table kind_names of loaders/lexicon/documents.toml,
    the one place they live (the load report reads the same table)."""
    from loaders import lexicon

    return lexicon.load("documents")["kind_names"]


def family_names() -> dict[str, str]:
    """Chinese names of the template families (source_file.family): the table family_names of
    loaders/lexicon/documents.toml."""
    from loaders import lexicon

    return lexicon.load("documents")["family_names"]


def framework_names() -> dict[str, str]:
    """Chinese names of the indicator frameworks (evaluation.framework): the table
    framework_names of loaders/lexicon/documents.toml; a key holding {year} stands for any year."""
    from loaders import lexicon

    return lexicon.load("documents")["framework_names"]


_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")  # an internal code: snake_case, ASCII


def family_label(code: Any) -> str:
    """The Chinese name of a template family: yueyang_dept_self → '部门整体支出绩效自评报告（湖南岳阳）';
    '—' for NULL. An unknown code is not shown as it is: '其他模板'."""
    if not isinstance(code, str) or not code:
        return MISSING
    return family_names().get(code) or "其他模板"


def framework_label(code: Any) -> str:
    """The Chinese name of an indicator framework: national_project_self_2020 → '项目支出绩效自评表
    （财预〔2020〕10号）', jiangxi_dept_overall_2022 → '…（赣财绩〔2022〕）'. A framework the report
    names in its own words (Chinese, as the demo corpus writes them) is shown as it is; an
    unknown code reads '其他指标体系'; '—' for NULL."""
    if not isinstance(code, str) or not code:
        return MISSING
    names = framework_names()
    if code in names:
        return names[code]
    for key, name in names.items():
        if "{year}" in key:
            m = re.fullmatch(re.escape(key).replace(re.escape("{year}"), r"(\d{4})"), code)
            if m:
                return name.replace("{year}", m.group(1))
    return "其他指标体系" if _CODE.fullmatch(code) else code


def flag_label(code: Any) -> str:
    """What a quality-flag code means, in Chinese (loaders.flags.FLAG_CODES):
    total_sum_mismatch → '总分与各一级指标得分之和不一致'; an unknown code reads '其他质量问题'."""
    if not isinstance(code, str) or not code:
        return MISSING
    from loaders.flags import FLAG_CODES

    return FLAG_CODES[code][1] if code in FLAG_CODES else "其他质量问题"


_PATH = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s:：，,；;（）()'\"]+[/\\])+([^\s/\\:：，,；;（）()'\"]+)")
_ENGLISH_ECHO = re.compile(r"\s*[(（][A-Za-z][A-Za-z0-9 _.,:;'/-]*[)）]")


def user_message(message: Any) -> str:
    """A load or read message as users read it: a server path becomes its file name (an upload's
    12-hex prefix, added when it was saved, dropped too), a template family code its Chinese
    name, and the English echo in parentheses ('… (parse timed out)') is left out."""
    if message is None or message is pd.NA or (isinstance(message, float) and math.isnan(message)):
        return MISSING
    text = _PATH.sub(lambda m: file_name(m.group(0)), str(message))
    text = _ENGLISH_ECHO.sub("", text)
    for code, name in family_names().items():
        text = re.sub(rf"(?<![A-Za-z0-9_]){re.escape(code)}(?![A-Za-z0-9_])", name, text)
    return text


def file_name(path: Any) -> str:
    """The file name of a path, without the folder (never shown to users) and without the
    '<12 hex>_' prefix an upload is saved with: /srv/data/uploads/0a1b2c3d4e5f_报告.docx → '报告.docx'."""
    if not isinstance(path, str) or not path:
        return MISSING
    name = re.split(r"[/\\]", path)[-1]
    return re.sub(r"^[0-9a-f]{12}_(?=.)", "", name)


# Comparable per-evaluation metrics (v_peer_rank.metric) with their label and unit.
METRIC_LABELS = {
    "total_score": "总分",
    "budget_exec_pct": "预算执行率",
    "procurement_exec_pct": "政府采购执行率",
    "three_public_control_pct": "“三公”经费控制率",
    "satisfaction_pct": "满意度",
}

# Every metric name of the record contract (metric table), for the report detail page.
METRIC_NAME_LABELS = {
    "budget_initial_yuan": "年初预算",
    "budget_adjusted_yuan": "调整后全年预算",
    "expenditure_yuan": "全年支出（执行数）",
    "budget_exec_pct": "预算执行率",
    "revenue_total_yuan": "收入合计",
    "revenue_general_budget_yuan": "一般公共预算拨款",
    "revenue_other_yuan": "其他收入",
    "funds_current_approp_yuan": "当年财政拨款",
    "funds_carryover_yuan": "上年结转",
    "funds_other_yuan": "其他资金",
    "exp_basic_yuan": "基本支出",
    "exp_personnel_yuan": "人员支出",
    "exp_public_operating_yuan": "公用支出",
    "exp_project_yuan": "项目支出",
    "exp_wages_yuan": "工资福利支出",
    "exp_goods_services_yuan": "商品和服务支出",
    "exp_household_transfers_yuan": "对个人和家庭的补助",
    "surplus_current_yuan": "当年结余",
    "surplus_cumulative_yuan": "累计结余",
    "procurement_budget_yuan": "政府采购预算",
    "procurement_actual_yuan": "实际政府采购金额",
    "procurement_exec_pct": "政府采购执行率",
    "three_public_budget_yuan": "“三公”经费预算",
    "three_public_actual_yuan": "“三公”经费支出",
    "three_public_control_pct": "“三公”经费控制率",
    "official_reception_yuan": "公务接待费",
    "vehicle_operation_yuan": "公务用车运行维护费",
    "vehicle_purchase_yuan": "公务用车购置费",
    "overseas_travel_yuan": "因公出国（境）费",
    "public_operating_prev_yuan": "上年公用经费",
    "public_operating_cur_yuan": "本年公用经费",
    "public_operating_change_pct": "公用经费变动率",
    "headcount_authorised": "编制人数",
    "headcount_actual": "实有人数",
    "staffing_control_pct": "人员控制率",
    "fixed_assets_yuan": "固定资产",
    "fixed_assets_in_use_yuan": "在用固定资产",
    "fa_original_value_yuan": "固定资产原值",
    "fa_net_value_yuan": "固定资产净值",
    "fa_utilisation_pct": "固定资产利用率",
    "satisfaction_pct": "满意度",
}

# Bands as the views name them, with labels and colours (green good, red bad).
BUDGET_BAND_LABELS = {">100": "超支（>100%）", "100": "100%", "90-100": "90%–100%", "80-90": "80%–90%", "<80": "<80%"}
PROCUREMENT_BAND_LABELS = {">=100": "≥100%", "90-100": "90%–100%", "80-90": "80%–90%", "<80": "<80%"}
BAND_COLORS = {
    "优": "#2e7d32", "良": "#1976d2", "中": "#f9a825", "差": "#c62828",
    ">100": "#c62828", "100": "#2e7d32", ">=100": "#2e7d32", "90-100": "#66bb6a",
    "80-90": "#f9a825", "<80": "#c62828", "≥90": "#2e7d32", "<90": "#c62828", "无": "#9e9e9e",
}

# Display names of view columns; a column not listed keeps its name.
COLUMN_LABELS = {
    "evaluation_id": "评价编号",
    "fiscal_year": "年度",
    "province": "省",
    "city": "市",
    "county": "县区",
    "admin_code": "区划代码",
    "unit_name": "单位",
    "unit_label": "单位",
    "report_kind": "报告类型",
    "document_kind": "文件类型",
    "project_name": "项目",
    "evaluation_mode": "评价方式",
    "is_demo": "数据来源",
    "evaluator": "评价机构",
    "framework": "指标体系",
    "total_score": "总分",
    "grade": "等次",
    "grade_raw": "等次（原文）",
    "budget_initial_yuan": "年初预算（万元）",
    "budget_adjusted_yuan": "调整后预算（万元）",
    "expenditure_yuan": "支出（万元）",
    "budget_exec_pct_stated": "执行率·报告值（%）",
    "budget_exec_pct_recomputed": "执行率·复算值（%）",
    "budget_exec_pct": "预算执行率（%）",
    "budget_exec_pct_diff": "差异（百分点）",
    "rates_agree": "报告值与复算值",
    "overspend_yuan": "超支金额（万元）",
    "exec_band": "执行区间",
    "procurement_budget_yuan": "采购预算（万元）",
    "procurement_actual_yuan": "实际采购（万元）",
    "procurement_exec_pct_stated": "采购执行率·报告值（%）",
    "procurement_exec_pct_recomputed": "采购执行率·复算值（%）",
    "procurement_exec_pct": "采购执行率（%）",
    "procurement_exec_pct_diff": "差异（百分点）",
    "three_public_budget_yuan": "“三公”预算（万元）",
    "three_public_actual_yuan": "“三公”支出（万元）",
    "three_public_control_pct_stated": "控制率·报告值（%）",
    "three_public_control_pct_recomputed": "控制率·复算值（%）",
    "three_public_control_pct": "“三公”控制率（%）",
    "previous_actual_yuan": "上年“三公”支出（万元）",
    "revenue_total_yuan": "收入合计（万元）",
    "previous_expenditure_yuan": "上年支出（万元）",
    "expenditure_change_pct": "支出比上年（%）",
    "actual_change_yuan": "支出变化（万元）",
    "actual_change_pct": "支出变化率（%）",
    "control_pct_change": "控制率变化（百分点）",
    "satisfaction_pct": "满意度（%）",
    "respondent_group": "调查对象",
    "pct": "满意度（%）",
    "weight": "分值",
    "score": "得分",
    "score_rate_pct": "得分率（%）",
    "score_rate_stated_pct": "得分率·报告值（%）",
    "points_lost": "失分",
    "dimension": "维度",
    "level": "层级",
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "target_raw": "目标值",
    "actual_raw": "实际完成值",
    "met": "是否达成",
    "reason": "扣分原因",
    "note": "说明",
    "rule": "评分标准",
    "line": "原文行",
    "code": "标记类型",
    "severity": "严重程度",
    "message": "说明",
    "kind": "类别",
    "category": "分类",
    "text": "内容",
    "metric": "指标",
    "value": "数值",
    "raw": "原文",
    "previous_total_score": "上年总分",
    "total_score_change": "总分变化（分）",
    "budget_exec_pct_change": "预算执行率变化（百分点）",
    "procurement_exec_pct_change": "采购执行率变化（百分点）",
    "satisfaction_pct_change": "满意度变化（百分点）",
    "rank_in_city": "市内名次",
    "peers_in_city": "市内同类数",
    "percentile_in_city": "市内百分位",
    "median_in_city": "市内中位数",
    "rank_in_province": "省内名次",
    "peers_in_province": "省内同类数",
    "percentile_in_province": "省内百分位",
    "median_in_province": "省内中位数",
    "rank_national": "全国名次",
    "peers_national": "全国同类数",
    "percentile_national": "全国百分位",
    "median_national": "全国中位数",
    "median_national_pct": "全国中位数（%）",
    "n": "个数",
    "min_pct": "最小值（%）",
    "p10_pct": "P10（%）",
    "p25_pct": "P25（%）",
    "median_pct": "中位数（%）",
    "p75_pct": "P75（%）",
    "p90_pct": "P90（%）",
    "max_pct": "最大值（%）",
    "mean_pct": "均值（%）",
    "n_below_90": "低于90%个数",
    "share_below_90_pct": "低于90%占比（%）",
    "region_level": "地区层级",
    "units_reporting": "报告单位数",
    "counties_reporting": "报告县区数",
    "counties_expected": "应报县区数",
    "counties_reporting_pct": "县区报告率（%）",
    "units_in_scope": "范围内单位数",
    "units_reporting_pct": "单位报告率（%）",
    "counties_in_scope": "范围内县区数",
    "counties_in_scope_pct": "范围内县区报告率（%）",
    "coverage_text": "覆盖",
    "reports": "报告数",
    "alert": "预警",
    "detail": "情况",
    "link": "报告",
    "count": "数量",
    "demo_count": "其中演示数据",
    "external_mode": "外部评价方式",
    "self_total_score": "自评总分",
    "external_total_score": "外部评价总分",
    "total_score_gap": "总分差（自评−外部，分）",
    "file_name": "文件名",
    "status": "状态",
    "error": "原因",
    "family": "模板族",
    "format": "格式",
    "source_table": "来源表",
    "indicator_count": "指标数",
    "evaluations": "涉及报告数",
    "with_total_score_pct": "有总分（%）",
    "with_budget_exec_pct": "有预算执行率（%）",
    "with_procurement_exec_pct": "有采购执行率（%）",
    "with_satisfaction_pct": "有满意度（%）",
    "with_indicators_pct": "有指标表（%）",
    "with_error_flags": "有错误标记的报告数",
    "evaluation_count": "评价数",
    "line_count": "行数",
    "file_id": "文件序号",
    "file": "文件",
    "flag_count": "质量标记数",
    "indicators": "指标行数",
    "name": "名称",
    "shown": "数值（显示）",
    "decision_rate_gap": "决策得分率差（百分点）",
    "process_rate_gap": "过程得分率差（百分点）",
    "output_rate_gap": "产出得分率差（百分点）",
    "outcome_rate_gap": "效益得分率差（百分点）",
    "satisfaction_rate_gap": "满意度得分率差（百分点）",
}


def _num(value: Any) -> float | None:
    """A float, or None for NULL/NaN/NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Decimal):
        value = float(value)  # Decimal('NaN') becomes nan, caught below
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def wan(yuan: Any) -> float | None:
    """元 → 万元 as a number (None stays None)."""
    v = _num(yuan)
    return None if v is None else v / 10_000


def money_wan(yuan: Any, unit: bool = True) -> str:
    """An amount in 元 as text: 万元 with two decimals and thousands separators.

    5496875 → '549.69 万元'; 630 → '0.06 万元'. An amount under 0.01 万元 (100 元) would read
    '0.00 万元', so it is shown in 元 with two decimals: 50 → '50.00 元' (0 stays '0.00 万元').
    With unit=False the number alone, always in 万元 (for a chart or table whose axis or header
    names the unit).
    """
    v = wan(yuan)
    if v is None:
        return MISSING
    if not unit:
        return f"{v:,.2f}"
    if 0 < abs(v) < 0.01:
        return f"{v * 10_000:,.2f} 元"
    return f"{v:,.2f} 万元"


def _one_decimal(v: float) -> str:
    """One decimal with thousands separators; a value that is not zero but rounds to 0.0 reads
    '<0.1' (or '>-0.1'), so it is never mistaken for zero."""
    text = f"{v:,.1f}"
    if v != 0 and text in ("0.0", "-0.0"):
        return "<0.1" if v > 0 else ">-0.1"
    return text


def pct(value: Any) -> str:
    """A rate in percentage points, one decimal and %: 105.6627 → '105.7%', 0.0684 → '0.1%'.

    The rule is the same for every rate, small ones included (a table of rates reads in one
    column width); a rate above 0 that rounds to 0.0 reads '<0.1%', never '0.0%'."""
    v = _num(value)
    return MISSING if v is None else _one_decimal(v) + "%"


def signed_pct(value: Any) -> str:
    """A relative change in percent, signed, one decimal: 12.34 → '+12.3%' (spending on last year)."""
    v = _num(value)
    if v is None:
        return MISSING
    return ("+" if v > 0 else "") + pct(v)


def pp(value: Any) -> str:
    """A difference of rates in percentage points, signed, one decimal: 2.34 → '+2.3 个百分点'."""
    v = _num(value)
    if v is None:
        return MISSING
    return ("+" if v > 0 else "") + _one_decimal(v) + " 个百分点"


def score(value: Any) -> str:
    """Points (a score, a weight, points lost) with two decimals: 88.78 → '88.78', 98 → '98.00'."""
    v = _num(value)
    if v is None:
        return MISSING
    return f"{v:,.2f}"


def signed_score(value: Any) -> str:
    """A change of points, signed, two decimals and 分: -3.5 → '-3.50 分', 0 → '0.00 分'."""
    v = _num(value)
    if v is None:
        return MISSING
    return ("+" if v > 0 else "") + score(v) + " 分"


def change(value: Any, is_pct: bool, unit: bool = True) -> str:
    """A change of a metric on last year: percentage points for a rate (one decimal), points for a
    score (two decimals), signed. unit=False leaves the unit out (a bar label under an axis that
    names it): -3.2 → '-3.2' or '-3.20'."""
    text = pp(value) if is_pct else signed_score(value)
    if not unit and text != MISSING:
        text = text.removesuffix(" 个百分点").removesuffix(" 分")
    return text


def count(value: Any) -> str:
    v = _num(value)
    return MISSING if v is None else f"{int(v):,}"


def label(mapping: dict[str, str], code: Any) -> str:
    """The Chinese label of a code; the code itself when unknown; '—' for NULL."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code is pd.NA:
        return MISSING
    return mapping.get(str(code), str(code))


def text(value: Any) -> str:
    """A text field as shown: '—' for NULL/NaN."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return str(value)


def kind_label(code: Any) -> str:
    return label(REPORT_KIND_LABELS, code)


def document_kind_label(code: Any, short: bool = False) -> str:
    """绩效评价, or e.g. 决算公开页（非评价） (short: without the （非评价） note); NULL is an evaluation."""
    if not isinstance(code, str) or not code:
        code = "evaluation"
    name = document_kind_names().get(code, code)
    return name if short or code == "evaluation" else f"{name}（非评价）"


def is_evaluation(code: Any) -> bool:
    return not isinstance(code, str) or code in ("", "evaluation")


def mode_label(code: Any) -> str:
    return label(MODE_LABELS, code)


def dimension_label(code: Any) -> str:
    return label(DIMENSION_LABELS, code)


def severity_label(code: Any) -> str:
    return label(SEVERITY_LABELS, code)


def metric_value(name: str, value: Any) -> str:
    """A metric of the record contract in its display unit (万元, %, 人)."""
    if name.endswith("_yuan"):
        return money_wan(value)
    if name.endswith("_pct"):
        return pct(value)
    if name.startswith("headcount"):
        v = _num(value)
        return MISSING if v is None else f"{v:g} 人"
    return score(value)


def unit_label(unit_name: Any, is_demo: Any = False, fiscal_year: Any = None, suffix: str = "") -> str:
    """The name a chart shows for a unit; demo units carry the 演示数据 badge."""
    name = MISSING if unit_name is None or unit_name is pd.NA else str(unit_name)
    if fiscal_year is not None and _num(fiscal_year) is not None:
        name = f"{name} {int(_num(fiscal_year))}"
    if suffix:
        name = f"{name} · {suffix}"
    if _truthy(is_demo):
        name = f"{name}〔{DEMO_BADGE}〕"
    return name


def evaluation_label(row: dict) -> str:
    """One line naming an evaluation: unit, year, kind (project), mode, score and grade."""
    parts = [text(row.get("unit_name"))]
    year = _num(row.get("fiscal_year"))
    if year is not None:
        parts.append(f"{int(year)}年")
    kind = kind_label(row.get("report_kind"))
    if isinstance(row.get("project_name"), str) and row["project_name"]:
        kind = f"{kind}：{row['project_name']}"
    if not is_evaluation(row.get("document_kind")):
        kind = document_kind_label(row.get("document_kind"))
    parts.append(kind)
    if isinstance(row.get("evaluation_mode"), str):
        parts.append(mode_label(row["evaluation_mode"]))
    s = _num(row.get("total_score"))
    if s is not None:
        grade = row.get("grade") if isinstance(row.get("grade"), str) else ""
        parts.append(f"{score(s)}分{grade}")
    out = " · ".join(parts) + f"（#{row.get('evaluation_id')}）"
    if _truthy(row.get("is_demo")):
        out += f"〔{DEMO_BADGE}〕"
    return out


def _truthy(value: Any) -> bool:
    """bool() that treats NULL/NaN as False."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return False
    return bool(value)


def for_display(df: pd.DataFrame) -> pd.DataFrame:
    """The table behind a chart as people read it: money in 万元, enums in Chinese, demo badged,
    Chinese column headers. Numbers stay numbers (sortable); `column_config` formats them."""
    out = df.copy()
    for col in out.columns:
        if col.endswith("_yuan"):
            out[col] = pd.to_numeric(out[col], errors="coerce") / 10_000
        elif col == "report_kind":
            out[col] = out[col].map(kind_label)
        elif col == "document_kind":
            out[col] = out[col].map(lambda c: document_kind_label(c, short=True))
        elif col in ("evaluation_mode", "external_mode"):
            out[col] = out[col].map(mode_label)
        elif col == "dimension":
            out[col] = out[col].map(dimension_label)
        elif col == "severity":
            out[col] = out[col].map(severity_label)
        elif col == "kind" and set(out[col].dropna().unique()) <= set(FINDING_KIND_LABELS):
            out[col] = out[col].map(lambda c: label(FINDING_KIND_LABELS, c))
        elif col == "status":
            out[col] = out[col].map(lambda c: label(SOURCE_STATUS_LABELS, c))
        elif col == "region_level":
            out[col] = out[col].map(lambda c: label(REGION_LEVEL_LABELS, c))
        elif col == "exec_band":
            labels = {**BUDGET_BAND_LABELS, **PROCUREMENT_BAND_LABELS}
            out[col] = out[col].map(lambda c: label(labels, c))
        elif col == "source_table":
            out[col] = out[col].map(lambda c: label(SOURCE_TABLE_LABELS, c))
        elif col == "family":
            out[col] = out[col].map(family_label)
        elif col == "framework":
            out[col] = out[col].map(framework_label)
        elif col == "code":
            out[col] = out[col].map(flag_label)
        elif col in ("error", "message"):
            out[col] = out[col].map(lambda m: None if m is None or m is pd.NA or (isinstance(m, float) and math.isnan(m))
                                    else user_message(m))
        elif col in ("file_name", "file"):
            out[col] = out[col].map(lambda n: file_name(n) if isinstance(n, str) else n)
        elif col == "format":
            out[col] = out[col].map(lambda x: x.upper() if isinstance(x, str) else x)
        elif col == "metric":
            out[col] = out[col].map(lambda c: label({**METRIC_NAME_LABELS, **METRIC_LABELS}, c))
        elif col == "is_demo":
            out[col] = out[col].map(lambda d: DEMO_BADGE if bool(d) else "真实报告")
        elif col in ("rates_agree",):
            out[col] = out[col].map(lambda a: MISSING if a is None or a is pd.NA or (isinstance(a, float) and math.isnan(a)) else ("一致" if a else "不一致"))
        elif col == "met":
            out[col] = out[col].map(lambda a: MISSING if a is None or a is pd.NA or (isinstance(a, float) and math.isnan(a)) else ("是" if a else "否"))
    return out.rename(columns={c: COLUMN_LABELS.get(c, c) for c in out.columns})


# Columns of points (scores, weights, points lost): two decimals, like format.score.
SCORE_COLUMNS = ("total_score", "previous_total_score", "score", "weight", "points_lost", "self_total_score",
                 "external_total_score")

# Columns of counts: whole numbers with thousands separators. Ids, years and line numbers are not
# counts and keep their plain digits.
COUNT_COLUMNS = ("n", "count", "demo_count", "n_below_90", "reports", "units_reporting", "counties_reporting",
                 "counties_expected", "evaluations", "indicator_count", "evaluation_count", "line_count", "flag_count",
                 "indicators", "with_error_flags", "units_in_scope", "counties_in_scope")


def column_formats(df: pd.DataFrame) -> dict[str, str]:
    """printf formats for the number columns of `df` (before renaming), keyed by display header.

    The header names the unit (金额（万元）, 执行率（%）, 差异（百分点）) and the cells do not repeat
    it: money in 万元 with two decimals and separators, rates and their differences with one
    decimal (the rule of format.pct), points and their differences with two (format.score)."""
    formats: dict[str, str] = {}
    for col in df.columns:
        name = COLUMN_LABELS.get(col, col)
        if col.endswith("_yuan"):
            formats[name] = "%,.2f"
        elif col in ("total_score_change", "total_score_gap"):
            formats[name] = "%+.2f"
        elif col.endswith(("_diff", "_change", "_gap")) or col.endswith("_change_pct"):
            formats[name] = "%+.1f"  # rate differences, in percentage points (or % for a change of money)
        elif "_pct" in col or col == "pct" or col.startswith("percentile"):
            formats[name] = "%.1f"
        elif col in SCORE_COLUMNS or col.startswith("median"):
            formats[name] = "%.2f"
        elif col in COUNT_COLUMNS or col.startswith(("peers_", "rank_")):
            formats[name] = "%,d"  # counts with thousands separators, like format.count
    return formats


def load_summary_lines(summary: Any) -> list[str]:
    """What a load did, in Chinese, for the import page: counts, then each file not loaded with
    its reason and each non-evaluation file, by file name only (the server's folders are not
    shown). `summary` is a warehouse.load.LoadSummary (read by attribute only)."""
    failed = summary.failed + summary.unrecognized
    lines = [f"文件 {count(summary.files_seen)} 个：新增 {count(summary.new)}，修订 {count(summary.revised)}，"
             f"未变 {count(summary.unchanged)}，失败 {count(failed)}（其中未识别 {count(summary.unrecognized)}）；"
             f"载入评价 {count(summary.evaluations)} 条，指标 {count(summary.indicators)} 条，"
             f"质量标记 {count(summary.flags)} 条，原文 {count(summary.lines)} 行；用时 {summary.seconds:.1f} 秒"]
    other = {k: n for k, n in (summary.kinds or {}).items() if k != "evaluation"}
    if other:
        names = document_kind_names()
        lines.append(f"其中非评价文件 {count(sum(other.values()))} 份（不参与得分比较）："
                     + "，".join(f"{names.get(k, k)} {count(n)}" for k, n in sorted(other.items())))
    if summary.wrote:
        lines.append(f"已写入数据仓库（载入批次 {summary.load_run_id}）")
    else:
        lines.append("数据仓库无需改动" + ("：这些文件都已在仓库中" if summary.unchanged == summary.files_seen else ""))
    for d in summary.other_documents or []:
        lines.append(f"{'、'.join(document_kind_label(k, short=True) for k in d['kinds'])}：{file_name(d['path'])}")
    for e in summary.errors or []:
        what = "未识别" if e.get("status") == "unrecognized" else "失败"
        lines.append(f"{what}：{file_name(e.get('path'))}：{user_message(e.get('error'))}")
    for e in summary.skipped or []:
        lines.append(f"跳过：{file_name(e.get('path'))}：{user_message(e.get('reason'))}")
    return lines
