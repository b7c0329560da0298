"""The generator's own expected answers: what a generated document states, written as JSON beside
it (`<file>.expected.json`).

This module is the generator's, not the parser's: nothing here comes from loaders.records,
loaders.normalize or loaders.checks (a generator sharing the parser's rules could not find the
parser's mistakes; tests/demo/test_demo_imports.py keeps it so). The JSON uses the record's field
names, so a scorer can lay a parsed record beside it, but it holds only what the document states:

- a value the document does not state is absent (no key), never inferred: a province that is
  not written, an admin code, a dimension, a normalised target;
- money is in 元 as the metric names say (`*_yuan`; a figure written in 万元 is × 10,000), rates
  in percentage points (a rate printed as the fraction 0.96 is 96), counts as written;
- indicator targets and actuals are the cell text (`target_raw`, `actual_raw`); where a shape
  garbles a symbol on purpose (OCR reads ≥ as 2, ≤ as W) they are the text the writer meant, and
  the document's own spelling is in the metric's `raw` and in the file;
- quality flags are the inconsistencies the generator wrote on purpose (or the traps a template
  always carries), each with the parser's flag code the reader is expected to raise.

Values the generator adds to help a reader find the place (`line`, `raw`) are locations, not
answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, Callable

# Metric names the generator writes (the record's vocabulary; tests check it is a subset).
METRICS = frozenset(
    {
        "budget_initial_yuan", "budget_adjusted_yuan", "expenditure_yuan", "budget_exec_pct",
        "revenue_total_yuan", "revenue_general_budget_yuan", "revenue_other_yuan",
        "funds_current_approp_yuan", "funds_carryover_yuan", "funds_other_yuan",
        "exp_basic_yuan", "exp_personnel_yuan", "exp_public_operating_yuan", "exp_project_yuan",
        "exp_wages_yuan", "exp_goods_services_yuan", "exp_household_transfers_yuan",
        "surplus_current_yuan", "procurement_budget_yuan", "procurement_actual_yuan", "procurement_exec_pct",
        "three_public_budget_yuan", "three_public_actual_yuan", "three_public_control_pct",
        "official_reception_yuan", "vehicle_operation_yuan", "vehicle_purchase_yuan", "overseas_travel_yuan",
        "public_operating_prev_yuan", "public_operating_cur_yuan", "public_operating_change_pct",
        "headcount_authorised", "headcount_actual", "staffing_control_pct",
        "fixed_assets_yuan", "fixed_assets_in_use_yuan", "fa_original_value_yuan", "fa_net_value_yuan",
        "fa_utilisation_pct", "satisfaction_pct",
    }
)

# What kind of document a file is (the record's names; tests check them).
DOCUMENT_KINDS = ("evaluation", "final_accounts")
REPORT_KINDS = ("department_overall", "project")
EVALUATION_MODES = ("self", "finance", "third_party")
GRADES = ("优", "良", "中", "差")

# Flags raised by traps a template always carries (as its real report does): expected
# wherever the generator writes that trap, never injected.
INHERENT_FLAGS = frozenset(
    {"title_content_mismatch", "no_scores", "overspend_unexplained", "same_name_different_formula",
     "heading_mixed_terms", "weight_redistributed"}
)

# Flags the generator injects on purpose (the rest of a template's expected flags are
# traps its real template always carries, e.g. no scores at all in seed 000).
INJECTION_FLAGS = frozenset(
    {
        "score_rate_mismatch", "total_sum_mismatch", "weights_total_mismatch", "grade_band_mismatch",
        "narrative_table_score_mismatch", "narrative_self_contradiction", "unit_suspect",
        "full_score_target_missed", "headcount_mismatch", "rate_recompute_mismatch", "sum_mismatch",
        "rate_base_mismatch", "rule_violated_full_score", "zero_denominator_full_score",
        "empty_indicator_scored", "period_partial", "score_exceeds_weight", "actual_copies_target",
        "indicator_misplaced", "pseudo_quantitative", "project_name_varies", "narrative_sum_mismatch",
        "grid_narrative_mismatch", "double_counting", "unit_missing",
    }
)


def clean(d: Decimal | int | None) -> Decimal | None:
    """A Decimal without meaningless trailing zeros (88.50 → 88.5, 100.00 → 100)."""
    if d is None:
        return None
    n = Decimal(d).normalize()
    return n.quantize(Decimal(1)) if n == n.to_integral_value() else n


def grade_band(total: Decimal) -> str:
    """The national bands the documents grade by: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60."""
    return "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"


@dataclass
class Unit:
    name: str | None
    province: str | None = None  # only where the document writes it
    city: str | None = None
    county: str | None = None
    line: int | None = None


@dataclass
class Metric:
    value: Decimal
    raw: str  # the figure as the document writes it
    line: int | None


@dataclass
class Indicator:
    level1: str | None
    level2: str | None
    level3: str | None
    weight: Decimal | None = None
    score: Decimal | None = None
    target_raw: str | None = None
    actual_raw: str | None = None
    line: int | None = None
    level: int = 3
    table: str = "score"  # score | summary | goals
    rule: str | None = None
    note: str | None = None
    score_rate_stated_pct: Decimal | None = None


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
    text: str
    line: int | None = None


@dataclass
class Flag:
    code: str
    message: str
    line: int | None = None


@dataclass
class Answer:
    """What one evaluation (or one other document, e.g. a 决算 page) in a file states."""

    unit: Unit
    fiscal_year: int | None
    report_kind: str | None
    project_name: str | None = None
    report_kind_declared: str | None = None
    evaluation_mode: str | None = None
    evaluator: str | None = None
    report_date: str | None = None
    total_score: Decimal | None = None
    grade_raw: str | None = None
    grade: str | None = None
    document_kind: str = "evaluation"
    metrics: dict[str, Metric] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    satisfaction: list[Satisfaction] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    quality_flags: list[Flag] = field(default_factory=list)

    def set_metric(self, name: str, value: Decimal | int | None, raw: str, line: int | None) -> None:
        if name not in METRICS:
            raise KeyError(f"unknown metric {name!r}")
        if value is not None:
            self.metrics[name] = Metric(clean(Decimal(value)), raw, line)

    def flag(self, code: str, message: str, line: int | None = None) -> None:
        if code not in INJECTION_FLAGS | INHERENT_FLAGS:
            raise KeyError(f"the generator does not write flag {code!r}")
        if not any((f.code, f.message, f.line) == (code, message, line) for f in self.quality_flags):
            self.quality_flags.append(Flag(code, message, line))

    def move_lines(self, where: Callable[[int], int | None]) -> None:
        """Renumber every line (a shape that adds, joins or moves lines)."""
        self.unit.line = _moved(self.unit.line, where)
        for group in (self.metrics.values(), self.indicators, self.satisfaction, self.findings, self.quality_flags):
            for item in group:
                item.line = _moved(item.line, where)

    def map_text(self, conv: Callable[[str], str]) -> None:
        """Rewrite every stated text the way a shape rewrote the document (traditional characters)."""
        u = self.unit
        u.name, u.province, u.city, u.county = (_text(conv, v) for v in (u.name, u.province, u.city, u.county))
        self.project_name = _text(conv, self.project_name)
        self.evaluator = _text(conv, self.evaluator)
        self.grade_raw = _text(conv, self.grade_raw)
        for m in self.metrics.values():
            m.raw = conv(m.raw)
        for i in self.indicators:
            for name in ("level1", "level2", "level3", "target_raw", "actual_raw", "rule", "note"):
                setattr(i, name, _text(conv, getattr(i, name)))
        for s in self.satisfaction:
            s.group, s.raw = _text(conv, s.group), _text(conv, s.raw)
        for f in self.findings:
            f.text = conv(f.text)

    def to_json(self) -> dict[str, Any]:
        return _jsonable(self)


def _moved(line: int | None, where: Callable[[int], int | None]) -> int | None:
    return None if line is None else where(line)


def _text(conv: Callable[[str], str], value: str | None) -> str | None:
    return None if value is None else conv(value)


def number(d: Decimal) -> int | float:
    """A Decimal as a JSON number: integers as integers, the rest with their exact digits."""
    if d == d.to_integral_value() and abs(d) < 10**15:
        return int(d)
    return float(d)


_NAMES: dict[type, tuple[str, ...]] = {}


def _jsonable(obj: Any) -> Any:
    """Dataclasses as dicts without their empty values (an absent value is no key)."""
    if hasattr(obj, "__dataclass_fields__"):
        names = _NAMES.get(type(obj))
        if names is None:
            names = _NAMES[type(obj)] = tuple(f.name for f in fields(obj))
        out = {}
        for n in names:
            v = getattr(obj, n)
            if v is None or v == [] or v == {}:
                continue
            out[n] = _jsonable(v)
        return out
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, Decimal):
        return number(obj)
    return obj
