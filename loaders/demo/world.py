"""The demo world: which county-level unions exist, what each one is like, and how it does
year by year, and which other departments of the same county hand in reports beside it.
Everything is drawn from random generators seeded by (seed, unit code, …) text, so a unit's
reports do not depend on which other units were asked for or on the worker that writes them.

The places are the county-level divisions of data/reference/regions.csv, read here directly
(not through loaders.regions: the generator shares no code with the parser).
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from loaders.demo.textdoc import q

REGIONS_CSV = Path(__file__).resolve().parents[2] / "data" / "reference" / "regions.csv"

# One-character abbreviations of the provinces, as document numbers use them (赣财绩〔2022〕9号).
PROVINCE_ABBREVIATIONS = {
    "110000": "京", "120000": "津", "130000": "冀", "140000": "晋", "150000": "蒙", "210000": "辽",
    "220000": "吉", "230000": "黑", "310000": "沪", "320000": "苏", "330000": "浙", "340000": "皖",
    "350000": "闽", "360000": "赣", "370000": "鲁", "410000": "豫", "420000": "鄂", "430000": "湘",
    "440000": "粤", "450000": "桂", "460000": "琼", "500000": "渝", "510000": "川", "520000": "黔",
    "530000": "云", "540000": "藏", "610000": "陕", "620000": "甘", "630000": "青", "640000": "宁",
    "650000": "新", "710000": "台", "810000": "港", "820000": "澳",
}


@dataclass(frozen=True)
class _Row:
    admin_code: str
    name: str
    level: str
    province_code: str
    city_code: str | None
    valid_from: int | None
    valid_to: int | None

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or year >= self.valid_from) and (self.valid_to is None or year <= self.valid_to)


@lru_cache(maxsize=1)
def _rows() -> tuple[_Row, ...]:
    with REGIONS_CSV.open(encoding="utf-8", newline="") as f:
        return tuple(
            _Row(r["admin_code"], r["name"], r["level"], r["province_code"], r["city_code"] or None,
                 int(r["valid_from"]) if r["valid_from"] else None, int(r["valid_to"]) if r["valid_to"] else None)
            for r in csv.DictReader(f)
        )


@lru_cache(maxsize=1)
def _by_code() -> dict[str, list[_Row]]:
    out: dict[str, list[_Row]] = {}
    for r in _rows():
        out.setdefault(r.admin_code, []).append(r)
    return out


def _row_of(code: str, year: int) -> _Row | None:
    """The row of a code, preferring the one valid in the year."""
    rows = _by_code().get(code, [])
    valid = [r for r in rows if r.valid_in(year)]
    return (valid or rows or [None])[0]


def rng_for(*parts: object) -> random.Random:
    """A generator seeded by text (random seeds str through SHA-512: stable across runs)."""
    return random.Random(":".join(str(p) for p in parts))


@dataclass(frozen=True)
class Place:
    admin_code: str
    county: str
    city: str | None
    province: str
    province_code: str
    unit_name: str  # as written on the reports: <地级市><区>总工会 or <县>总工会
    short: str  # how the report calls itself: 区总工会 / 县总工会 / 市总工会 / 旗总工会

    @property
    def kind_char(self) -> str:
        """区 / 县 / 市 / 旗: the level word reports use (区财政局, 县委县政府)."""
        return self.short[0]

    @property
    def region(self) -> str:
        """The place as unit names begin with it: 南昌市青云谱区 / 信丰县."""
        return self.unit_name.removesuffix("总工会")


@dataclass(frozen=True)
class Issuer:
    """The unit that writes a document: the county's trade union or another department."""

    key: str  # union, or a key of catalog.DEPARTMENTS
    name: str  # as written on the report: 信丰县妇女联合会, 共青团信丰县委员会
    short: str  # how its reports call it in sentences: 县总工会, 县妇联, 县农业农村局
    self_word: str  # how it speaks of itself: 我会, 我局, 我院, 我校, 我委, 我中心


def _unit_name(county: str, city: str | None) -> tuple[str, str]:
    if county.endswith("区") and city and city != county:
        return f"{city}{county}总工会", "区总工会"
    last = county[-1] if county[-1] in "县市旗" else "县"
    return f"{county}总工会", f"{last}总工会"


def places(first_year: int, last_year: int) -> list[Place]:
    """County-level divisions valid through every year of the range, ordered by code."""
    out = []
    for r in _rows():
        if r.level != "county":
            continue
        if not all(r.valid_in(y) for y in range(first_year, last_year + 1)):
            continue
        province = _row_of(r.province_code, last_year)
        city = _row_of(r.city_code, last_year) if r.city_code else None
        if province is None:
            continue
        name, short = _unit_name(r.name, city.name if city else None)
        out.append(Place(r.admin_code, r.name, city.name if city else None, province.name, r.province_code, name, short))
    return out


def select_places(n: int, seed: int, first_year: int, last_year: int) -> list[Place]:
    """n places in a seeded order; asking for more units keeps the first ones (a prefix)."""
    pool = places(first_year, last_year)
    rng_for(seed, "places").shuffle(pool)
    return pool[:n]


@dataclass
class UnitYear:
    """How a unit does in one fiscal year (drawn with persistence from the year before)."""

    year: int
    level: float  # standard normal, AR(1) across years
    self_total: Decimal  # target total of a self-evaluation (mostly 90–100)
    external_total: Decimal  # target total of an external evaluation (75–92)
    budget_wan: Decimal  # department budget in 万元
    exec_pct: Decimal  # budget execution (expenditure / adjusted budget)
    procurement_exec_pct: Decimal
    satisfaction_pct: Decimal
    headcount_authorised: int
    headcount_actual: int


@dataclass
class UnitProfile:
    place: Place
    seed: int
    dept_budget_base: Decimal
    exec_bias: float
    procurement_low: float  # how likely the unit leaves its procurement budget unspent
    headcount_authorised: int
    project_style: str  # national_project_form or indicator_grid
    projects: list[str] = field(default_factory=list)  # keys into catalog.PROJECTS, the unit's portfolio
    years: list[UnitYear] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)  # keys of catalog.DEPARTMENTS that publish reports too

    @property
    def union(self) -> Issuer:
        return Issuer("union", self.place.unit_name, self.place.short, "我会")


def _clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def profile(place: Place, seed: int, first_year: int, last_year: int, project_keys: list[str],
            department_keys: list[str] | tuple[str, ...] = ()) -> UnitProfile:
    rng = rng_for(seed, "unit", place.admin_code)
    base = Decimal(str(round(math.exp(rng.gauss(math.log(380), 0.6)), 2)))
    auth = int(_clamp(round(rng.gauss(12, 5)), 4, 40))
    prof = UnitProfile(
        place=place,
        seed=seed,
        dept_budget_base=base,
        exec_bias=rng.gauss(0.0, 2.5),
        procurement_low=rng.choice((0.05, 0.1, 0.2, 0.45)),
        headcount_authorised=auth,
        project_style="indicator_grid" if rng.random() < 0.18 else "national_project_form",
        projects=rng.sample(project_keys, k=min(len(project_keys), rng.randint(6, 8))),
    )
    if department_keys:  # drawn apart, so the union's own draws do not depend on them
        drng = rng_for(seed, "departments", place.admin_code)
        prof.departments = drng.sample(list(department_keys), k=min(len(department_keys), drng.randint(3, 6)))
    level = rng.gauss(0, 1)
    budget = base
    for year in range(first_year, last_year + 1):
        yr = rng_for(seed, "unit-year", place.admin_code, year)
        level = 0.75 * level + math.sqrt(1 - 0.75**2) * yr.gauss(0, 1)
        self_total = _clamp(94.8 + 2.4 * level + yr.gauss(0, 1.3), 76, 100)
        external = _clamp(84.0 + 3.6 * level + yr.gauss(0, 2.4), 68, 95)
        budget = budget * Decimal(str(round(1 + yr.gauss(0.03, 0.06), 4)))
        # Execution: around 100 with a unit bias; some overspend (to ~110), some under-execution.
        exec_pct = 100 + prof.exec_bias + yr.gauss(0, 3.5)
        if yr.random() < 0.12:
            exec_pct -= yr.uniform(5, 20)
        exec_pct = _clamp(exec_pct, 72, 110.5)
        if yr.random() < prof.procurement_low:
            proc = yr.uniform(0.02, 12)  # the tail near 0 (the real 0.07%)
        else:
            proc = _clamp(yr.gauss(88, 14), 25, 100)
        satisfaction = _clamp(93 + 3 * level + yr.gauss(0, 3), 72, 100)
        actual = auth - max(0, round(yr.gauss(1, 1.2)))
        prof.years.append(
            UnitYear(
                year=year,
                level=level,
                self_total=q(self_total, 1),
                external_total=q(external, 2),
                budget_wan=q(budget, 2),
                exec_pct=q(exec_pct, 2),
                procurement_exec_pct=q(proc, 2),
                satisfaction_pct=Decimal(round(satisfaction)),
                headcount_authorised=auth,
                headcount_actual=max(1, actual),
            )
        )
    return prof
