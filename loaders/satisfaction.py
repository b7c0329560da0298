"""Satisfaction figures from indicator rows: a satisfaction indicator (满意度 in its name, or a
qualitative 满意 value) under the satisfaction dimension gives one Satisfaction entry, with
the surveyed group taken from the name ("受助职工满意度" → 受助职工)."""

from __future__ import annotations

import re

from loaders.records import Indicator, Satisfaction


def is_satisfaction(ind: Indicator) -> bool:
    codes = {v.qual_code for v in (ind.target, ind.actual) if v is not None}
    return "满意" in (ind.level3 or "") or "SATISFIED" in codes


_NUMBERING = re.compile(r"^指标\s*\d+\s*[:：.、]\s*")


def _group(ind: Indicator) -> str | None:
    name = _NUMBERING.sub("", ind.level3 or "")  # "指标2:受助职工满意度" → 受助职工
    k = name.find("满意")
    prefix = name[:k].rstrip("的") if k > 0 else ""
    if prefix:
        return prefix
    level2 = re.sub(r"满意度?(?:指标)?$", "", ind.level2 or "")
    return level2 or None


def _pct(ind: Indicator):
    """The satisfaction rate an indicator row states: its actual value in %, or a bare number
    under a target in % (0.92 → 92, 93.1 → 93.1: the column's unit, printed once in the target),
    or a fraction under a target that is a fraction too (≥0.85 | 0.912 → 91.2)."""
    a, t = ind.actual, ind.target
    if a is None or a.comparator not in ("=", "approx", "approx_ge") or a.value is None:
        return None
    if a.unit == "pct":
        return a.value
    if a.unit is None and t is not None and t.unit == "pct" and not a.is_qualitative:
        if 0 < a.value <= 1:
            return a.value * 100
        if 1 < a.value <= 100:
            return a.value
    if (a.unit is None and t is not None and t.unit is None and t.value is not None and 0 < t.value <= 1
            and 0 < a.value <= 1 and not a.is_qualitative):
        return a.value * 100  # target and actual both written as fractions (≥0.85 | 0.912)
    return None


def satisfaction_from(indicators: list[Indicator]) -> list[Satisfaction]:
    out = []
    for ind in indicators:
        if ind.dimension != "satisfaction" or not is_satisfaction(ind):
            continue
        out.append(
            Satisfaction(
                group=_group(ind),
                pct=_pct(ind),
                weight=ind.weight,
                score=ind.score,
                line=ind.line,
                raw=ind.actual_raw,
            )
        )
    return out
