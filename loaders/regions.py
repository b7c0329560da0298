"""Region resolution: a unit name as written -> province / city / county and GB/T 2260 code.

The table is data/reference/regions.csv (built by data/reference/build_regions.py; see the
README next to it). A name is read from its start as a chain of admin names
[province][city][county]; the longest chain wins. Province and prefecture names may be
written without their suffix (江西, 岳阳, 恩施州); county-level names must carry theirs
(县/区/市/旗), because a bare stem such as 云溪 in the cover typo "岳阳市云溪财政局" cannot
be told apart from an ordinary word. A suffix-less name is only accepted when another
admin name follows it or only an organisation suffix (总工会, 财政局 …) does.

When several places fit (鼓楼区, 朝阳区), rows valid in the fiscal year are preferred,
then names written in full, then current rows (when no year is given), then hints from the
document text (province abbreviations in document numbers such as 赣财绩〔2022〕9号, and
mentions of the province or city names). If places still differ, only the levels they
share are returned; if they share nothing, only the name is (no guessing).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loaders import lexicon
from loaders.records import Unit

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "reference" / "regions.csv"

LEVELS = ("province", "city", "county")

# One-character abbreviations (简称) by province code; the first is the usual one in
# document numbers, the others are alternatives seen there (川/蜀, 黔/贵, 云/滇, 陕/秦,
# 甘/陇; 内 as in 内政发 for Inner Mongolia).
PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "110000": ("京",), "120000": ("津",), "130000": ("冀",), "140000": ("晋",),
    "150000": ("蒙", "内"), "210000": ("辽",), "220000": ("吉",), "230000": ("黑",),
    "310000": ("沪",), "320000": ("苏",), "330000": ("浙",), "340000": ("皖",),
    "350000": ("闽",), "360000": ("赣",), "370000": ("鲁",), "410000": ("豫",),
    "420000": ("鄂",), "430000": ("湘",), "440000": ("粤",), "450000": ("桂",),
    "460000": ("琼",), "500000": ("渝",), "510000": ("川", "蜀"), "520000": ("黔", "贵"),
    "530000": ("云", "滇"), "540000": ("藏",), "610000": ("陕", "秦"), "620000": ("甘", "陇"),
    "630000": ("青",), "640000": ("宁",), "650000": ("新",), "710000": ("台",),
    "810000": ("港",), "820000": ("澳",),
}
_PROVINCE_OF_ABBREVIATION = {a: code for code, abbrs in PROVINCE_ABBREVIATIONS.items() for a in abbrs}

# The 55 minority nationalities: cut from autonomous names to get the short form
# (恩施土家族苗族自治州 -> 恩施). 维吾尔 appears without 族 in 新疆维吾尔自治区.
_NATIONALITIES = (
    "蒙古族 回族 藏族 维吾尔族 维吾尔 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 "
    "仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 "
    "鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()
_NATIONALITY_RE = re.compile("|".join(sorted(_NATIONALITIES, key=len, reverse=True)))

_PROVINCE_SUFFIXES = ("特别行政区", "自治区", "省", "市")
_CITY_SUFFIXES = ("自治州", "地区", "新区", "盟", "市")

# Organisation words stripped from the end of a unit name (repeatedly, longest first).
_REGION_WORDS = lexicon.load("units")["region"]  # organisation words around the place name
ORG_SUFFIXES = tuple(sorted(_REGION_WORDS["trailing"], key=len, reverse=True))
_LEADING_NOISE = tuple(sorted(_REGION_WORDS["leading"], key=len, reverse=True))
_MUNICIPALITIES = frozenset(_REGION_WORDS["municipalities"])

_CJK = "\u4e00-\u9fff"
_ABBREVIATION_CLASS = "".join(_PROVINCE_OF_ABBREVIATION)
# A province abbreviation opening a document number: 赣财绩〔2022〕9号, 湘办发[2014]…, or the bare
# agency form 闽财 / 皖政 / 鄂办. Preceded by a non-Chinese character or by a word that
# introduces a citation (依据, 按照, 见, 和 …), so 岳云发 (岳阳市云溪区) does not count as 云南.
_DOC_NUMBER_RE = re.compile(
    rf"(?:(?<![{_CJK}])|(?<=[据照按见及和与]))([{_ABBREVIATION_CLASS}])"
    rf"(?=[财政办府]|[{_CJK}]{{1,5}}\s*[〔\[【(（]\s*(?:19|20)\d\d\s*[〕\]】)）])"
)
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Region:
    """One row of regions.csv. `province_code` / `city_code` are the row's own code at its level."""

    admin_code: str
    name: str
    level: str
    province_code: str
    city_code: str | None
    valid_from: int | None
    valid_to: int | None
    source: str

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return self.valid_to is None
        return (self.valid_from is None or year >= self.valid_from) and (self.valid_to is None or year <= self.valid_to)


@dataclass(frozen=True, slots=True)
class _Match:
    region: Region
    end: int
    is_alias: bool


def _year(text: str) -> int | None:
    return int(text) if text else None


@lru_cache(maxsize=1)
def region_rows() -> tuple[Region, ...]:
    """All rows of the region table, ordered by code (historical rows included)."""
    with REGIONS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Region(
                admin_code=row["admin_code"], name=row["name"], level=row["level"],
                province_code=row["province_code"], city_code=row["city_code"] or None,
                valid_from=_year(row["valid_from"]), valid_to=_year(row["valid_to"]), source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


def regions_by_code(admin_code: str) -> tuple[Region, ...]:
    """Rows with this code (more than one only if a code was reused across periods)."""
    return _index().by_code.get(admin_code, ())


def region_of(admin_code: str, fiscal_year: int | None = None) -> Region | None:
    """The row for a code, preferring the one valid in fiscal_year (or the current one)."""
    rows = regions_by_code(admin_code)
    valid = [r for r in rows if r.valid_in(fiscal_year)]
    return (valid or list(rows) or [None])[0]


def provinces(fiscal_year: int | None = None) -> list[Region]:
    """Province-level rows valid in fiscal_year (current rows when no year is given)."""
    return [r for r in region_rows() if r.level == "province" and r.valid_in(fiscal_year)]


def counties_of(province_code: str, fiscal_year: int | None = None) -> list[Region]:
    """County-level rows of a province valid in fiscal_year (current rows when no year is given)."""
    return [
        r for r in region_rows()
        if r.level == "county" and r.province_code == province_code and r.valid_in(fiscal_year)
    ]


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _short_forms(region: Region) -> set[str]:
    """Ways of writing a province or prefecture without its suffix (江西, 岳阳, 恩施, 恩施州),
    and autonomous counties/banners as <stem>县/<stem>旗 (石柱县)."""
    name = region.name
    forms = set()
    if region.level == "county":
        if name.endswith(("自治县", "自治旗")):
            stem = _NATIONALITY_RE.split(name, maxsplit=1)[0]
            if len(stem) >= 2 and stem != name:
                forms.add(stem + name[-1])
        return forms
    stem = _strip_suffix(name, _PROVINCE_SUFFIXES if region.level == "province" else _CITY_SUFFIXES)
    stem = _NATIONALITY_RE.split(stem, maxsplit=1)[0]
    if len(stem) >= 2 and stem != name:
        forms.add(stem)
        if name.endswith("自治州"):
            forms.add(stem + "州")
    return forms


@dataclass(frozen=True, slots=True)
class _Index:
    by_code: dict[str, tuple[Region, ...]]
    names: dict[str, dict[str, tuple[tuple[Region, bool], ...]]]  # level -> written form -> (row, is_alias)
    max_len: dict[str, int]


@lru_cache(maxsize=1)
def _index() -> _Index:
    rows = region_rows()
    by_code: dict[str, list[Region]] = defaultdict(list)
    for row in rows:
        by_code[row.admin_code].append(row)
    full_names = {row.name for row in rows}
    names: dict[str, dict[str, list[tuple[Region, bool]]]] = {level: defaultdict(list) for level in LEVELS}
    for row in rows:
        # The city rows of the municipalities (110100 北京市 …) repeat the province's name:
        # they are parents only, so a bare 北京市 resolves to the province.
        if row.level == "city" and row.admin_code[:2] in ("11", "12", "31", "50"):
            continue
        names[row.level][row.name].append((row, False))
        for form in _short_forms(row):
            if form not in full_names:
                names[row.level][form].append((row, True))
    return _Index(
        by_code={code: tuple(group) for code, group in by_code.items()},
        names={level: {form: tuple(group) for form, group in forms.items()} for level, forms in names.items()},
        max_len={level: max(map(len, forms)) for level, forms in names.items()},
    )


def clean_name(name_raw: str) -> str:
    """NFKC with all whitespace removed (Chinese unit names contain none)."""
    return _SPACE_RE.sub("", unicodedata.normalize("NFKC", name_raw)).strip(":：,，。.、")


def core_name(name: str) -> str:
    """The admin part of a cleaned unit name: leading 中共 and trailing organisation words removed."""
    for noise in _LEADING_NOISE:
        if name.startswith(noise):
            name = name[len(noise):]
            break
    while True:
        stripped = _strip_suffix(name, ORG_SUFFIXES)
        if stripped == name:
            return name
        name = stripped


def _matches(text: str, start: int, level: str, parent: Region | None) -> list[_Match]:
    index = _index()
    forms = index.names[level]
    found = []
    for length in range(min(index.max_len[level], len(text) - start), 1, -1):
        for region, is_alias in forms.get(text[start:start + length], ()):
            if parent is not None:
                parent_code = region.city_code if parent.level == "city" else region.province_code
                if parent_code != parent.admin_code:
                    continue
            found.append(_Match(region, start + length, is_alias))
    return found


def _chains(core: str) -> list[tuple[_Match, ...]]:
    """Every consistent [province][city][county] reading of the start of `core`."""
    chains = []
    for province in [None, *_matches(core, 0, "province", None)]:
        after_province = province.end if province else 0
        for city in [None, *_matches(core, after_province, "city", province.region if province else None)]:
            after_city = city.end if city else after_province
            parent = city.region if city else province.region if province else None
            for county in [None, *_matches(core, after_city, "county", parent)]:
                chain = tuple(m for m in (province, city, county) if m is not None)
                # A short form must be followed by another admin name or by nothing but
                # organisation words (core ends there): 岳阳云溪区, 江西总工会, not 南京路.
                if chain and (not chain[-1].is_alias or chain[-1].end == len(core)):
                    chains.append(chain)
    return chains


@lru_cache(maxsize=65536)
def _candidates(core: str, fiscal_year: int | None) -> tuple[tuple[_Match, ...], ...]:
    """The best readings of a core name, before document hints."""
    chains = _chains(core)
    if not chains:
        return ()
    longest = max(chain[-1].end for chain in chains)
    chains = [chain for chain in chains if chain[-1].end == longest]
    if fiscal_year is not None:
        chains = [c for c in chains if c[-1].region.valid_in(fiscal_year)] or chains
    fewest_aliases = min(sum(m.is_alias for m in chain) for chain in chains)
    chains = [c for c in chains if sum(m.is_alias for m in c) == fewest_aliases]
    if fiscal_year is None:
        chains = [c for c in chains if c[-1].region.valid_to is None] or chains
    # Readings that end on the same row (北京市 + 朝阳区 or 北京市 + 北京市 + 朝阳区) are one place.
    unique: dict[tuple[str, str], tuple[_Match, ...]] = {}
    for chain in chains:
        key = (chain[-1].region.admin_code, chain[-1].region.name)
        if key not in unique or len(chain) > len(unique[key]):
            unique[key] = chain
    return tuple(unique.values())


def opens_with_place(name: str) -> bool:
    """Whether a name opens with an admin place name (本溪市…, 全州县…): such a name is not a
    reference like 本单位 or 全市 whatever its first character."""
    return bool(_candidates(core_name(clean_name(name)), None))


@lru_cache(maxsize=64)
def _normalized_hint(hint_text: str) -> str:
    return unicodedata.normalize("NFKC", hint_text)


@lru_cache(maxsize=64)
def _doc_number_hits(hint_text: str) -> dict[str, int]:
    """Province code -> count of document numbers in the text opened by its abbreviation."""
    hits: dict[str, int] = defaultdict(int)
    for match in _DOC_NUMBER_RE.finditer(_normalized_hint(hint_text)):
        hits[_PROVINCE_OF_ABBREVIATION[match.group(1)]] += 1
    return dict(hits)


@lru_cache(maxsize=4096)
def _mentions(hint_text: str, admin_code: str) -> int:
    """How often the text names this province or city (its short form covers the full name)."""
    region = region_of(admin_code)
    forms = [f for f in _short_forms(region) if region.name.startswith(f)] or [region.name]
    return _normalized_hint(hint_text).count(min(forms, key=len))


def _pick_by_hints(chains: tuple[tuple[_Match, ...], ...], hint_text: str) -> tuple[tuple[_Match, ...], ...]:
    """Narrow the readings to the province, then the city, the document points to most."""
    for level in ("province", "city"):
        keys = [_ancestor_code(chain[-1].region, level) for chain in chains]
        if None in keys or len(set(keys)) < 2:
            continue
        scores = {}
        for key in set(keys):
            scores[key] = _mentions(hint_text, key)
            if level == "province":
                scores[key] += _doc_number_hits(hint_text).get(key, 0)
        ranked = sorted(scores.values(), reverse=True)
        if ranked[0] > 0 and ranked[0] > ranked[1]:
            best = max(scores, key=scores.get)
            chains = tuple(chain for chain, key in zip(chains, keys) if key == best)
        if len(chains) == 1:
            break
    return chains


def _ancestor_code(region: Region, level: str) -> str | None:
    if level == "province":
        return region.province_code
    if level == "city":
        return region.city_code
    return region.admin_code if region.level == "county" else None


def resolve_unit(name_raw: str, hint_text: str = "", fiscal_year: int | None = None, line: int | None = None) -> Unit:
    """Resolve a unit name (e.g. 南昌市青云谱区总工会) to province, city, county and admin code.

    `name` is the cleaned name as written, organisation suffix kept. `geo_method` is
    explicit (the name carries its province or city), inferred_from_county (only the county
    was written; parents looked up) or doc_hint (the document text chose among places).
    An ambiguous or unknown name keeps only what all readings share, possibly nothing.
    """
    if not name_raw or not name_raw.strip():
        return Unit(name=None, name_raw=name_raw or None, line=line)
    name = clean_name(name_raw)
    chains = _candidates(core_name(name), fiscal_year)
    used_hints = False
    if len(chains) > 1 and hint_text:
        narrowed = _pick_by_hints(chains, hint_text)
        used_hints = len(narrowed) < len(chains)
        chains = narrowed
    if not chains:
        return Unit(name=name, name_raw=name_raw, line=line)
    if len(chains) == 1:
        region = chains[0][-1].region
    else:
        region = _shared_ancestor([chain[-1].region for chain in chains])
        if region is None:
            return Unit(name=name, name_raw=name_raw, line=line)
    written_levels = {m.region.level for chain in chains for m in chain}
    if used_hints:
        geo_method = "doc_hint"
    elif written_levels & {"province", "city"}:
        geo_method = "explicit"
    else:
        geo_method = "inferred_from_county"
    province = region_of(region.province_code, fiscal_year)
    city = region_of(region.city_code, fiscal_year) if region.city_code else None
    city_name = city.name if city else None
    if city_name is None and province is not None and province.name in _MUNICIPALITIES:
        city_name = province.name  # a 直辖市 is its own city
    return Unit(
        name=name,
        province=province.name if province else None,
        city=city_name,
        county=region.name if region.level == "county" else None,
        admin_code=region.admin_code,
        name_raw=name_raw,
        geo_method=geo_method,
        line=line,
    )


def as_written(unit: Unit, text: str, fiscal_year: int | None = None) -> Unit:
    """The unit with each place name as the text writes it, where the text writes a short form
    only (楚雄州 for 楚雄彝族自治州): the records state places as written; the code keeps the
    canonical place."""
    if not unit.admin_code:
        return unit
    code = unit.admin_code
    levels = (("province", code[:2] + "0000"), ("city", code[:4] + "00"), ("county", code))
    for level, c in levels:
        name = getattr(unit, level)
        if not name or name in text:
            continue
        region = region_of(c, fiscal_year)
        if region is None or region.name != name:
            continue
        written = [f for f in sorted(_short_forms(region), key=len, reverse=True) if f[-1] in "州县旗市区盟" and f in text]
        if written:
            setattr(unit, level, written[0])
    return unit


def _shared_ancestor(regions: list[Region]) -> Region | None:
    """The most specific province or city every region belongs to, if any."""
    for level in ("city", "province"):
        codes = {_ancestor_code(region, level) for region in regions}
        if len(codes) == 1 and None not in codes:
            return region_of(codes.pop())
    return None
