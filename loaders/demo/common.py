"""What every demo template shares: the marker line, the render context, and builders of the
expected answers (loaders.demo.answer: the generator's own model, not the parser's records)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from loaders.demo.answer import (  # the flag lists are re-exported for the templates and tests
    INHERENT_FLAGS, INJECTION_FLAGS, Answer, Indicator, Satisfaction, Unit, clean, grade_band,
)
from loaders.demo.world import Issuer, Place, UnitProfile, UnitYear

# The first line of every generated file. The parser treats a file whose first lines hold
# "【演示数据】" as demo data (tests check the two agree).
DEMO_MARKER = "【演示数据】"
MARKER_LINE = f"{DEMO_MARKER}本文件为系统生成的演示数据，不是真实报告"

INJECTED = "演示数据有意注入的不一致"

Evaluation = Answer  # the templates' historical name for one expected evaluation


@dataclass
class Ctx:
    profile: UnitProfile
    uy: UnitYear
    rng: random.Random
    layout: str  # a textdoc layout for the document's tables
    injections: tuple[str, ...] = ()
    project_keys: tuple[str, ...] = ()
    mode: str | None = None  # department-wide external reports: third_party or finance
    issuer: Issuer | None = None  # the unit writing the document (None: the county's trade union)
    variant: str | None = None  # a template's own sub-form (e.g. dept_self_table: anhui | guangdong)
    notes: list[str] = field(default_factory=list)

    @property
    def place(self) -> Place:
        return self.profile.place

    @property
    def year(self) -> int:
        return self.uy.year

    @property
    def unit(self) -> Issuer:
        return self.issuer or self.profile.union


def written_unit(name: str, place: Place, line: int | None) -> Unit:
    """The unit as a document names it, with the places that name writes (a district union
    "南昌市青云谱区总工会" writes its city and district, "信丰县总工会" only its county). The
    province, and a city the name leaves out, are not stated and so not expected."""
    province = place.province if place.province in name else None
    city = place.city if place.city and place.city in name else None  # 北京市 is province and city
    county = place.county if place.county in name else None
    return Unit(name=name, province=province, city=city, county=county, line=line)


def new_evaluation(
    place: Place,
    year: int | None,
    kind: str,
    *,
    unit_line: int | None,
    unit_name: str | None = None,
    project: str | None = None,
    mode: str | None = None,
    evaluator: str | None = None,
    report_date: str | None = None,
    framework: str | None = None,  # kept for the templates' calls: a framework label is not stated
    document_kind: str = "evaluation",
) -> Evaluation:
    return Evaluation(
        unit=written_unit(unit_name or place.unit_name, place, unit_line),
        fiscal_year=year,
        report_kind=kind,
        project_name=project,
        evaluation_mode=mode,
        evaluator=evaluator,
        report_date=report_date,
        document_kind=document_kind,
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
    return Indicator(
        level1=level1,
        level2=level2,
        level3=level3,
        weight=None if weight is None else clean(Decimal(weight)),
        score=None if score is None else clean(Decimal(score)),
        target_raw=target_raw,
        actual_raw=actual_raw,
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
    ev.flag(code, f"{what}（{INJECTED if code in INJECTION_FLAGS else '模板固有'}）", line)


def band(total: Decimal) -> str:
    return grade_band(total)


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
