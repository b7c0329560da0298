"""The record contract: what `python -m loaders parse FILE` prints and the warehouse loads.

Plain dataclasses, JSON-serializable through `to_jsonable`. Every number keeps the raw text it
came from and the 1-based line of the source text, so it can be shown in context.
A value the report does not state is None (JSON null) or absent, never 0.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from loaders.flags import FLAG_CODES

REPORT_KINDS = ("department_overall", "project")
EVALUATION_MODES = ("self", "department", "finance", "third_party")
GRADES = ("优", "良", "中", "差")
DIMENSIONS = ("decision", "process", "output", "outcome", "satisfaction")
SEVERITIES = ("info", "warning", "error")
FINDING_KINDS = ("problem", "recommendation")
DOCUMENT_KINDS = (
    "evaluation", "final_accounts", "budget_disclosure", "project_disclosure", "rubric", "template", "toc",
    "notice", "rectification", "audit", "appraisal",
)

# Metric names: money in 元, rates in percentage points, counts in persons.
METRIC_UNITS = {
    "budget_initial_yuan": "yuan",
    "budget_adjusted_yuan": "yuan",
    "expenditure_yuan": "yuan",
    "budget_exec_pct": "pct",
    "revenue_total_yuan": "yuan",
    "revenue_general_budget_yuan": "yuan",
    "revenue_other_yuan": "yuan",
    "funds_current_approp_yuan": "yuan",
    "funds_carryover_yuan": "yuan",
    "funds_other_yuan": "yuan",
    "exp_basic_yuan": "yuan",
    "exp_personnel_yuan": "yuan",
    "exp_public_operating_yuan": "yuan",
    "exp_project_yuan": "yuan",
    "exp_wages_yuan": "yuan",
    "exp_goods_services_yuan": "yuan",
    "exp_household_transfers_yuan": "yuan",
    "surplus_current_yuan": "yuan",
    "surplus_cumulative_yuan": "yuan",
    "procurement_budget_yuan": "yuan",
    "procurement_actual_yuan": "yuan",
    "procurement_exec_pct": "pct",
    "three_public_budget_yuan": "yuan",
    "three_public_actual_yuan": "yuan",
    "three_public_control_pct": "pct",
    "official_reception_yuan": "yuan",
    "vehicle_operation_yuan": "yuan",
    "vehicle_purchase_yuan": "yuan",
    "overseas_travel_yuan": "yuan",
    "public_operating_prev_yuan": "yuan",
    "public_operating_cur_yuan": "yuan",
    "public_operating_change_pct": "pct",
    "headcount_authorised": "person",
    "headcount_actual": "person",
    "staffing_control_pct": "pct",
    "fixed_assets_yuan": "yuan",
    "fixed_assets_in_use_yuan": "yuan",
    "fa_original_value_yuan": "yuan",
    "fa_net_value_yuan": "yuan",
    "fa_utilisation_pct": "pct",
    "satisfaction_pct": "pct",
}


@dataclass
class Value:
    """A target or actual cell, normalized per DOMAIN.md section 4."""

    raw: str
    comparator: str | None = None  # =, >=, <=, >, <, range, approx_ge, approx
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    low_inclusive: bool | None = None
    high_inclusive: bool | None = None
    unit_raw: str | None = None
    unit: str | None = None  # person, person_time, household, org, item, event, case, doc, sqm, pct, yuan
    scale: int | None = None  # 1, 10_000, 100_000_000 (applied already to value/low/high)
    is_qualitative: bool = False
    qual_code: str | None = None
    is_estimate: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass
class Metric:
    value: Decimal
    raw: str
    line: int
    note: str | None = None


@dataclass
class Indicator:
    level1: str | None
    level2: str | None
    level3: str | None
    dimension: str | None
    weight: Decimal | None = None
    score: Decimal | None = None
    target_raw: str | None = None
    actual_raw: str | None = None
    target: Value | None = None
    actual: Value | None = None
    met: bool | None = None
    note: str | None = None
    line: int | None = None
    rule: str | None = None
    score_rate_stated_pct: Decimal | None = None
    level: int = 3  # 1, 2 or 3: which level of the indicator hierarchy this row carries
    table: str = "score"  # score: a scored indicator table; summary: a score summary table; goals: targets without scores


@dataclass
class Satisfaction:
    group: str | None
    pct: Decimal | None
    weight: Decimal | None = None
    score: Decimal | None = None
    line: int | None = None
    raw: str | None = None


@dataclass
class Finding:
    kind: str  # problem | recommendation
    category: str | None
    text: str
    line: int | None = None


@dataclass
class QualityFlag:
    code: str
    severity: str
    message: str
    line: int | None = None


@dataclass
class Unit:
    name: str | None
    province: str | None = None
    city: str | None = None
    county: str | None = None
    admin_code: str | None = None
    name_raw: str | None = None
    geo_method: str | None = None  # explicit, inferred_from_county, doc_hint
    line: int | None = None


@dataclass
class Evaluation:
    unit: Unit
    fiscal_year: int | None
    report_kind: str | None
    project_name: str | None = None
    report_kind_declared: str | None = None
    evaluation_mode: str | None = None
    evaluator: str | None = None
    report_date: str | None = None
    framework: str | None = None
    total_score: Decimal | None = None
    grade_raw: str | None = None
    grade: str | None = None
    confidence: str = "high"  # high: a family module; low: the generic extractor
    # evaluation, final_accounts (决算), budget_disclosure (预算公开), project_disclosure,
    # rubric (a scoring rubric without a unit's scores), template (a blank form), toc (a
    # table of contents): only "evaluation" enters score comparisons
    document_kind: str = "evaluation"
    metrics: dict[str, Metric] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    satisfaction: list[Satisfaction] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    quality_flags: list[QualityFlag] = field(default_factory=list)

    def set_metric(self, name: str, value: Decimal | None, raw: str, line: int, note: str | None = None) -> None:
        if name not in METRIC_UNITS:
            raise KeyError(f"unknown metric {name!r}")
        if value is None:
            return
        self.metrics[name] = Metric(value=value, raw=raw, line=line, note=note)

    def flag(self, code: str, message: str, line: int | None = None, severity: str | None = None) -> None:
        if code not in FLAG_CODES:
            raise KeyError(f"unregistered quality flag code {code!r}")
        sev = severity or FLAG_CODES[code][0]
        key = (code, message, line)
        if any((f.code, f.message, f.line) == key for f in self.quality_flags):
            return
        self.quality_flags.append(QualityFlag(code=code, severity=sev, message=message, line=line))


@dataclass
class Source:
    path: str
    sha256: str
    format: str
    family: str | None
    encoding: str | None = None
    size_bytes: int | None = None
    line_count: int | None = None
    is_demo: bool = False


@dataclass
class ParseResult:
    source: Source
    evaluations: list[Evaluation]
    error: str | None = None  # set when nothing was recognized (exit 3)
    messages: list[str] = field(default_factory=list)


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        # Integers stay integers; everything else keeps its exact decimal digits.
        if obj == obj.to_integral_value() and abs(obj) < 10**15:
            return int(obj) if obj.as_tuple().exponent >= 0 else float(obj)
        return float(obj)
    raise TypeError(f"not JSON serializable: {type(obj).__name__}")


def to_jsonable(result: ParseResult) -> dict[str, Any]:
    data = dataclasses.asdict(result)
    if not data.get("messages"):
        data.pop("messages", None)
    if data.get("error") is None:
        data.pop("error", None)
    return json.loads(json.dumps(data, default=_default, ensure_ascii=False))


def to_json(result: ParseResult, indent: int | None = 1) -> str:
    return json.dumps(to_jsonable(result), ensure_ascii=False, indent=indent, sort_keys=False)
