"""What every demo template shares: the marker line, the render context, and builders of the
expected record (the same dataclasses and normalizers the parsers use, so shapes agree)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from loaders.checks import FLAG_CODES
from loaders.normalize import clean, dimension_of, grade_band, parse_value, value_meets
from loaders.parse import DEMO_MARKER
from loaders.records import Evaluation, Indicator, Satisfaction, Unit
from loaders.demo.world import Place, UnitProfile, UnitYear

MARKER_LINE = f"{DEMO_MARKER}本文件为系统生成的演示数据，不是真实报告"

INJECTED = "演示数据有意注入的不一致"


@dataclass
class Ctx:
    profile: UnitProfile
    uy: UnitYear
    rng: random.Random
    layout: str  # a textdoc layout for the document's tables
    injections: tuple[str, ...] = ()
    project_keys: tuple[str, ...] = ()
    mode: str | None = None  # department-wide external reports: third_party or finance
    notes: list[str] = field(default_factory=list)

    @property
    def place(self) -> Place:
        return self.profile.place

    @property
    def year(self) -> int:
        return self.uy.year


def new_evaluation(
    place: Place,
    year: int,
    kind: str,
    *,
    unit_line: int | None,
    project: str | None = None,
    mode: str | None = None,
    evaluator: str | None = None,
    report_date: str | None = None,
    framework: str | None = None,
) -> Evaluation:
    explicit = place.city is not None and place.unit_name.startswith(place.city)
    unit = Unit(
        name=place.unit_name,
        province=place.province,
        city=place.city,
        county=place.county,
        admin_code=place.admin_code,
        name_raw=place.unit_name,
        geo_method="explicit" if explicit else "inferred_from_county",
        line=unit_line,
    )
    return Evaluation(
        unit=unit,
        fiscal_year=year,
        report_kind=kind,
        project_name=project,
        evaluation_mode=mode,
        evaluator=evaluator,
        report_date=report_date,
        framework=framework,
    )


def set_grade(ev: Evaluation, total: Decimal | None, grade_raw: str | None, grade: str | None) -> None:
    ev.total_score = total
    ev.grade_raw = grade_raw
    ev.grade = grade


def wan(ev: Evaluation, name: str, amount_wan: Decimal | None, raw: str, line: int) -> None:
    """A money metric stated in 万元 (value stored in 元)."""
    if amount_wan is not None:
        ev.set_metric(name, clean(Decimal(amount_wan) * 10_000), raw, line)


def yuan(ev: Evaluation, name: str, amount: Decimal | None, raw: str, line: int) -> None:
    if amount is not None:
        ev.set_metric(name, clean(Decimal(amount)), raw, line)


def plain(ev: Evaluation, name: str, value: Decimal | int | None, raw: str, line: int) -> None:
    """A rate (percentage points) or a count."""
    if value is not None:
        ev.set_metric(name, clean(Decimal(value)), raw, line)


def indicator(
    level1: str | None,
    level2: str | None,
    level3: str | None,
    *,
    weight: Decimal | int | None = None,
    score: Decimal | int | None = None,
    target_raw: str | None = None,
    actual_raw: str | None = None,
    line: int | None = None,
    level: int = 3,
    table: str = "score",
    rule: str | None = None,
    note: str | None = None,
    rate: Decimal | None = None,
) -> Indicator:
    target = parse_value(target_raw)
    actual = parse_value(actual_raw)
    return Indicator(
        level1=level1,
        level2=level2,
        level3=level3,
        dimension=dimension_of(level1, level2, level3),
        weight=None if weight is None else clean(Decimal(weight)),
        score=None if score is None else clean(Decimal(score)),
        target_raw=target_raw,
        actual_raw=actual_raw,
        target=target,
        actual=actual,
        met=value_meets(target, actual),
        note=note,
        line=line,
        rule=rule,
        score_rate_stated_pct=clean(rate) if rate is not None else None,
        level=level,
        table=table,
    )


def satisfaction(group: str, pct: Decimal | None, weight, score, line: int, raw: str) -> Satisfaction:
    return Satisfaction(
        group=group,
        pct=None if pct is None else clean(Decimal(pct)),
        weight=None if weight is None else clean(Decimal(weight)),
        score=None if score is None else clean(Decimal(score)),
        line=line,
        raw=raw,
    )


def expect(ev: Evaluation, code: str, what: str, line: int | None = None) -> None:
    """Record a quality flag the parser is expected to raise for this evaluation."""
    if code not in FLAG_CODES:
        raise KeyError(code)
    ev.flag(code, f"{what}（{INJECTED if code in INJECTION_FLAGS else '模板固有'}）", line)


def band(total: Decimal) -> str:
    return grade_band(total) or "差"


def better_band(grade: str) -> str:
    order = ("差", "中", "良", "优")
    i = order.index(grade)
    return order[i + 1] if i + 1 < len(order) else order[i - 1]


def partition(rng: random.Random, total: int, n: int, step: int = 5, low: int = 5) -> list[int]:
    """n weights, multiples of `step`, each >= low, summing to total (as forms assign them)."""
    n = max(1, min(n, total // low))
    parts = [low] * n
    left = total - low * n
    while left > 0:
        parts[rng.randrange(n)] += step
        left -= step
    return parts


def spread_losses(rng: random.Random, weights: dict[str, Decimal], loss: Decimal, shares=(90, 80, 75, 60, 50, 40, 30, 0)) -> dict[str, int]:
    """Pick a share of the weight (percent) for judgement indicators so that their total
    deduction comes near `loss`. Returns {name: percent}; unnamed ones keep 100."""
    out = {k: 100 for k in weights}
    keys = list(weights)
    rng.shuffle(keys)
    left = loss
    for _ in range(2):  # a second pass when mild deductions did not reach the loss
        for k in keys:
            if left <= Decimal("0.05"):
                return out
            w = weights[k]
            done = w * (100 - out[k]) / 100
            options = [s for s in shares if s < out[k] and w * (100 - s) / 100 - done <= left + Decimal("0.3")]
            if not options:
                continue
            mild = [s for s in options if s >= 50]
            s = rng.choice(mild) if mild and rng.random() < 0.8 else min(options)
            left -= w * (100 - s) / 100 - done
            out[k] = s
    return out


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
