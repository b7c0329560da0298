"""Number, unit, comparator, grade and dimension normalization (DOMAIN.md sections 1.5 and 4).

Everything here is a pure function of a string. Inputs are expected in matching form
(`loaders.read.normalize_text`: NFKC, so full-width digits, ％, ＞ and － are already ASCII).
Arithmetic is Decimal throughout; floats never touch a stated number.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from loaders import lexicon
from loaders.read import normalize_text
from loaders.records import Value

NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_NUM_RE = re.compile(NUM)

# Unit vocabulary: raw unit -> normalized unit. Longest first when matching ("人次" before "人").
UNITS = {
    "人次": "person_time",
    "场次": "event",
    "平方米": "sqm",
    "万元": "yuan",
    "亿元": "yuan",
    "元": "yuan",
    "人": "person",
    "名": "person",
    "位": "person",
    "户": "household",
    "家": "org",
    "个": "item",
    "场": "event",
    "次": "event",
    "期": "event",
    "起": "case",
    "件": "item",
    "份": "doc",
    "条": "doc",
    "支": "item",
    "对": "item",
    "台": "item",
    "辆": "item",
    "项": "item",
    "所": "org",
    "天": "day",
    "%": "pct",
    "㎡": "sqm",
}
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

GE_WORDS = ("≥", ">=", "≧", "不低于", "不少于", "大于等于", "至少", "不小于")
LE_WORDS = ("≤", "<=", "≦", "不超过", "不高于", "不多于", "小于等于", "控制在")
GT_WORDS = (">", "大于", "超过", "高于", "多于")
LT_WORDS = ("<", "小于", "低于", "不足", "不满", "少于")
# the signs a target opens with ("≥120家"): a cell opening with one is a target, not a name
COMPARATOR_SIGNS = ("≥", "≤", ">", "<", "≧", "≦", "=", "＞", "＜")

NA_MARKERS = {"", "—", "——", "-", "--", "/", "无", "N/A", "n/a", "不适用", "……", "…"}

# Qualitative vocabulary -> code. Checked in order; the first phrase contained in the text wins.
QUAL_CODES: tuple[tuple[str, str], ...] = (
    ("一定程度上", "PARTIAL"),
    ("部分完成", "PARTIAL"),
    ("基本完成", "PARTIAL"),
    ("未完成", "NO"),
    ("不满意", "NO"),
    ("长期开展", "ONGOING"),
    ("长期", "ONGOING"),
    ("常态化", "ONGOING"),
    ("持续", "ONGOING"),
    ("预算年度内", "WITHIN_FY"),
    ("年度内", "WITHIN_FY"),
    ("年内", "WITHIN_FY"),
    ("按时", "WITHIN_FY"),
    ("及时", "WITHIN_FY"),
    ("满意", "SATISFIED"),
    ("已完成", "DONE"),
    ("全部完成", "DONE"),
    ("完成预期", "DONE"),
    ("达成预期", "DONE"),
    ("达到预期", "DONE"),
    ("完成", "DONE"),
    ("效果明显", "DONE"),
    ("显著", "DONE"),
    ("有效", "DONE"),
    ("合格", "YES"),
    ("达标", "YES"),
    ("符合", "YES"),
    ("是", "YES"),
    ("有", "YES"),
    ("否", "NO"),
    ("无", "NONE"),
)
# How far each code goes towards "achieved"; a target is met when the actual reaches its rank.
QUAL_RANK = {"NO": 0, "NONE": 0, "PARTIAL": 1, "ONGOING": 2, "WITHIN_FY": 2, "SATISFIED": 2, "DONE": 2, "YES": 2}


def dec(s: str | int | float | Decimal | None) -> Decimal | None:
    """Decimal from a number string with optional thousands separators; None when not a number."""
    if s is None:
        return None
    if isinstance(s, Decimal):
        return s
    if isinstance(s, int):
        return Decimal(s)
    if isinstance(s, float):
        return Decimal(repr(s))
    if type(s) is str:
        return _dec_text(s)
    return _dec_text.__wrapped__(s)


@lru_cache(maxsize=8192)
def _dec_text(s: str) -> Decimal | None:
    # Cached by the text (a Decimal is immutable): the same figures recur in every report.
    t = s.strip().replace(",", "").replace("，", "")
    if not t:
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def clean(d: Decimal | None) -> Decimal | None:
    """Drop meaningless trailing zeros (1,200.00000 -> 1200) while keeping exact digits."""
    if d is None:
        return None
    n = d.normalize()
    return n.quantize(Decimal(1)) if n == n.to_integral_value() else n


def is_na(text: str | None) -> bool:
    return text is None or text.strip() in NA_MARKERS


def cn_numeral(s: str) -> int | None:
    """Small Chinese numerals (一 … 九十九) as int; None for anything else."""
    if not s:
        return None
    if all(c in _CN_DIGITS for c in s) and len(s) == 1:
        return _CN_DIGITS[s]
    m = re.fullmatch(r"([一二两三四五六七八九])?十([一二三四五六七八九])?", s)
    if m:
        tens = _CN_DIGITS[m.group(1)] if m.group(1) else 1
        ones = _CN_DIGITS[m.group(2)] if m.group(2) else 0
        return tens * 10 + ones
    return None


def unit_norm(unit_raw: str | None) -> str | None:
    if not unit_raw:
        return None
    return UNITS.get(unit_raw)


def qual_code(text: str) -> str | None:
    t = text.strip()
    for phrase, code in QUAL_CODES:
        if phrase in t:
            return code
    return None


_VALUE_RE = re.compile(
    rf"(?P<pre>{'|'.join(re.escape(w) for w in GE_WORDS + LE_WORDS + GT_WORDS + LT_WORDS + ('约', '大约', '近'))})?\s*"
    rf"(?P<num>{NUM}|[一二两三四五六七八九十]+)\s*"
    rf"(?:(?P<u1>%)?\s*(?P<incl1>\(含\))?\s*(?P<rsep>[-~～至到—])\s*(?P<num2>{NUM})\s*)?"
    rf"(?P<scale>万|亿)?\s*(?P<approx>余|多)?\s*"
    rf"(?P<unit>{_UNIT_ALT}|百分比)?"
    rf"(?P<incl2>\(含\))?\s*"
    rf"(?P<post>以上|以下|以内|及以上|及以下|左右|内)?"
)


def parse_value(raw: str | None) -> Value | None:
    """Normalize a target or actual cell. None for N/A markers (which are never 0)."""
    if raw is None:
        return None
    # The same cells ("≥95%", "是", "100%") recur in every report: parse each text once and
    # hand out a copy, so a caller that changes its Value changes no other.
    v = _parse_value_cached(raw)
    if v is None:
        return None
    out = object.__new__(Value)
    out.__dict__.update(v.__dict__)
    out.warnings = list(v.warnings)
    return out


@lru_cache(maxsize=8192)
def _parse_value_cached(raw: str) -> Value | None:
    text = normalize_text(raw).strip()
    if is_na(text):
        return None
    v = Value(raw=raw.strip())
    m = None
    for cand in _VALUE_RE.finditer(text):
        if cand.group("num") and (cand.group("num")[0].isdigit() or cand.group("unit")):
            m = cand
            break
    if m is None:
        v.is_qualitative = True
        v.qual_code = qual_code(text) or "OTHER"
        return v

    num_txt = m.group("num")
    if num_txt[0].isdigit():
        number = dec(num_txt)
        start = m.start("num")
        # A minus directly before the number is a sign unless it joins two numbers (a range "2-3").
        if start > 0 and text[start - 1] in "-−" and (start < 2 or not text[start - 2].isdigit()):
            number = -number
    else:
        n = cn_numeral(num_txt)
        if n is None:
            v.is_qualitative = True
            v.qual_code = qual_code(text) or "OTHER"
            return v
        number = Decimal(n)
        v.warnings.append("chinese_numeral")
    unit_raw = m.group("unit") or m.group("u1")
    if m.group("scale") == "万" and unit_raw == "元":
        unit_raw = "万元"
    elif m.group("scale") == "亿" and unit_raw == "元":
        unit_raw = "亿元"
    if unit_raw == "百分比":
        unit_raw = "%"
    scale = 1
    if m.group("scale") == "万":
        scale = 10_000
        if unit_raw is None:
            v.warnings.append("unit_inferred")
            unit_raw = "万元"
    elif m.group("scale") == "亿":
        scale = 100_000_000
    if unit_raw == "万元":
        scale = 10_000
    elif unit_raw == "亿元":
        scale = 100_000_000
    v.unit_raw = unit_raw
    v.unit = unit_norm(unit_raw)
    v.scale = scale

    # Remaining text after the match: garbage such as "100%0".
    tail = text[m.end():].strip()
    if unit_raw == "%" and re.match(r"^\d", tail):
        v.warnings.append("trailing_garbage")

    pre, post = m.group("pre"), m.group("post")
    if m.group("num2"):
        hi = dec(m.group("num2"))
        v.comparator = "range"
        v.low = clean(number * scale)
        v.high = clean(hi * scale) if hi is not None else None
        v.low_inclusive = True
        v.high_inclusive = bool(m.group("incl2")) or post in ("以内", "及以下")
        v.value = None
        return v
    value = clean(number * scale)
    comparator = "="
    if pre in GE_WORDS or post in ("以上", "及以上"):
        comparator = ">="
    elif pre in LE_WORDS or post in ("以下", "以内", "及以下", "内"):
        comparator = "<="
    elif pre in GT_WORDS:
        comparator = ">"
    elif pre in LT_WORDS:
        comparator = "<"
    elif m.group("approx"):
        comparator = "approx_ge"
        v.is_estimate = True
    elif pre in ("约", "大约", "近") or post == "左右":
        comparator = "approx"
        v.is_estimate = True
    v.comparator = comparator
    v.value = value
    if comparator in (">=", ">", "approx_ge"):
        v.low, v.low_inclusive = value, comparator != ">"
    elif comparator in ("<=", "<"):
        v.high, v.high_inclusive = value, comparator == "<="
    return v


def value_meets(target: Value | None, actual: Value | None) -> bool | None:
    """Does the actual satisfy the target? None when it cannot be decided from the text."""
    if target is None or actual is None:
        return None
    if target.is_qualitative or actual.is_qualitative:
        if target.is_qualitative and actual.is_qualitative:
            if target.qual_code == actual.qual_code:
                return True
            if target.qual_code in QUAL_RANK and actual.qual_code in QUAL_RANK:
                return QUAL_RANK[actual.qual_code] >= QUAL_RANK[target.qual_code]
        return None
    if target.unit and actual.unit and target.unit != actual.unit:
        return None
    # The actual's best-supported figure: its value, or the lower bound it states (">=500").
    a = actual.value if actual.value is not None else actual.low
    if a is None:
        return None
    c = target.comparator
    if c in ("=", "approx", "approx_ge"):
        return a >= target.value if target.value is not None else None
    if c == ">=":
        return a >= target.value
    if c == ">":
        return a > target.value
    if c == "<=":
        return a <= target.value
    if c == "<":
        return a < target.value
    if c == "range":
        if target.low is not None and a < target.low:
            return False
        return True
    return None


def first_number(text: str) -> Decimal | None:
    m = _NUM_RE.search(text)
    return dec(m.group(0)) if m else None


_AMOUNT_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>亿元|万元|元|万)?")


def amount_yuan(raw: str, default_unit: str | None = None) -> tuple[Decimal | None, str | None]:
    """Money in 元 from text like '549.6875 万元', '4,900 元' or a bare cell under a (万元) header.

    Returns (yuan, unit_used); unit_used is None when no unit was written and none was given.
    """
    m = _AMOUNT_RE.search(normalize_text(raw))
    if not m:
        return None, None
    n = dec(m.group("num"))
    unit = m.group("unit") or default_unit
    if unit in ("万元", "万"):
        return clean(n * 10_000), "万元"
    if unit == "亿元":
        return clean(n * 100_000_000), "亿元"
    if unit == "元":
        return clean(n), "元"
    return None, None


def pct(raw: str) -> Decimal | None:
    """Percentage points from '105.66%' (the stated figure, not recomputed)."""
    m = re.search(rf"(-?{NUM})\s*%", normalize_text(raw))
    return clean(dec(m.group(1))) if m else None


def ratio_pct(numerator: Decimal, denominator: Decimal, places: int = 2) -> Decimal | None:
    if denominator is None or numerator is None or denominator == 0:
        return None
    return (numerator / denominator * 100).quantize(Decimal(1).scaleb(-places))


def _grade_words() -> tuple[tuple[str, str], ...]:
    return tuple((g["word"], g["grade"]) for g in lexicon.load("grades")["grade"])


GRADE_WORDS = _grade_words()  # lexicon/grades.toml


@lru_cache(maxsize=1024)
def grade_of(raw: str | None) -> str | None:
    """Map a written grade (优秀, 良好, 合格, A…) to 优/良/中/差."""
    if not raw:
        return None
    t = normalize_text(raw).strip().strip("“”\"'「」")
    for word, grade in GRADE_WORDS:
        if t.startswith(word):
            return grade
    return None


def grade_band(total: Decimal | None) -> str | None:
    """The grade the national bands give a total out of 100: 优≥90, 良80–<90, 中60–<80, 差<60."""
    if total is None:
        return None
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


@lru_cache(maxsize=8192)
def dimension_of(level1: str | None, level2: str | None = None, level3: str | None = None) -> str | None:
    """Canonical dimension for comparing across frameworks (DESIGN.md)."""
    l1 = normalize_text(level1 or "")
    rest = normalize_text((level2 or "") + " " + (level3 or ""))
    if "满意" in l1 or "满意" in normalize_text(level2 or ""):
        return "satisfaction"
    if "满意度" in rest and ("效益" in l1 or "效果" in l1 or not l1):
        return "satisfaction"
    if "决策" in l1 or "投入" in l1:
        return "decision"
    if "过程" in l1 or "管理" in l1 or "执行率" in l1:
        return "process"
    if "产出" in l1 or "职责履行" in l1:
        return "output"
    if "效益" in l1 or "效果" in l1:
        return "outcome"
    return None
