"""Satisfaction figures from indicator rows: a satisfaction indicator (满意度 in its name, or a
qualitative 满意 value) under the satisfaction dimension gives one Satisfaction entry, with
the surveyed group taken from the name ("受助职工满意度" → 受助职工)."""

from __future__ import annotations

import re

from loaders.records import Indicator, Satisfaction


def is_satisfaction(ind: Indicator) -> bool:
    codes = {v.qual_code for v in (ind.target, ind.actual) if v is not None}
    return "满意" in (ind.level3 or "") or "SATISFIED" in codes


def _group(ind: Indicator) -> str | None:
    name = ind.level3 or ""
    k = name.find("满意")
    prefix = name[:k].rstrip("的") if k > 0 else ""
    if prefix:
        return prefix
    level2 = re.sub(r"满意度?(?:指标)?$", "", ind.level2 or "")
    return level2 or None


def satisfaction_from(indicators: list[Indicator]) -> list[Satisfaction]:
    out = []
    for ind in indicators:
        if ind.dimension != "satisfaction" or not is_satisfaction(ind):
            continue
        a = ind.actual
        stated = a is not None and a.unit == "pct" and a.comparator in ("=", "approx", "approx_ge")
        out.append(
            Satisfaction(
                group=_group(ind),
                pct=a.value if stated else None,
                weight=ind.weight,
                score=ind.score,
                line=ind.line,
                raw=ind.actual_raw,
            )
        )
    return out
