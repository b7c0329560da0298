"""The resolver: candidates from every strategy in, one value (or none) per field out.

Rules, in order:
1. Only the strongest evidence counts: candidates of the lowest `rank` present for a field.
2. If they all agree (same value), that value is taken, with the line of its first reading.
3. If they disagree, the field is left absent and a `candidates_disagree` flag names the
   readings and their lines. A wrong number is worse than a missing one.

Fields where a document legitimately states several values and one is meant (the unit name on
the title and on the cover, the fiscal year in the title and in a date) are handled by their
strategies, which give the weaker mentions a higher rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from functools import lru_cache

from loaders import lexicon
from loaders.extract.base import Candidate
from loaders.records import METRIC_UNITS


@dataclass
class Resolved:
    value: object
    raw: str
    line: int
    strategy: str
    support: int  # how many readings agreed
    rank: int = 1


@dataclass
class Conflict:
    field: str
    readings: list[Candidate]

    def message(self) -> str:
        parts = [f"第{c.line}行“{c.raw[:40]}”→{_show(c.value)}" for c in self.readings[:4]]
        return f"{self.field} 的几处读数不一致，未取值：" + "；".join(parts)


def _show(v: object) -> str:
    if isinstance(v, Decimal):
        return format(v.normalize(), "f")
    return str(v)


def _key(value: object) -> object:
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, str):
        return "".join(value.split())
    return value


@lru_cache(maxsize=1)
def _limits() -> dict[str, tuple[Decimal, Decimal]]:
    spec = lexicon.load("fields")["limits"]
    kind_of_unit = {"pct": "pct", "yuan": "money", "person": "count"}
    out = {name: tuple(Decimal(str(x)) for x in spec[kind_of_unit[unit]]) for name, unit in METRIC_UNITS.items()}
    out["total_score"] = tuple(Decimal(str(x)) for x in spec["score"])
    return out


def plausible(c: Candidate) -> bool:
    """Whether a figure is within the range its kind can take (lexicon/fields.toml [limits])."""
    lim = _limits().get(c.field)
    if lim is None or not isinstance(c.value, Decimal):
        return True
    return lim[0] <= c.value <= lim[1]


def resolve(cands: list[Candidate]) -> tuple[dict[str, Resolved], list[Conflict]]:
    by_field: dict[str, list[Candidate]] = {}
    for c in cands:
        if c.value is None or c.value == "" or not plausible(c):
            continue
        by_field.setdefault(c.field, []).append(c)
    out: dict[str, Resolved] = {}
    conflicts: list[Conflict] = []
    for name, cs in by_field.items():
        best = min(c.rank for c in cs)
        top = [c for c in cs if c.rank == best]
        values = {}
        for c in top:
            values.setdefault(_key(c.value), []).append(c)
        if len(values) == 1:
            group = next(iter(values.values()))
            first = min(group, key=lambda c: c.line)
            out[name] = Resolved(first.value, first.raw, first.line, first.strategy, len(group), best)
        else:
            readings = [min(g, key=lambda c: c.line) for g in values.values()]
            conflicts.append(Conflict(name, sorted(readings, key=lambda c: c.line)))
    return out, conflicts
