"""Tables flattened into one line with no separator at all (a scanned or converted form on a
document-sharing site: "…预算数(A)执行数(B)执行率(B/A)得分(20分*执行率)年度财政资金总额286.5271.694.8%18.96…").

Two readings, both general and both refusing anything that is not certain:

- the money row: the header's column roles are found in order in the glued text, then the
  total row's label and the run of figures after it. The run is split into one figure per
  column only where the arithmetic of the form leaves exactly one split: the rate equals
  执行数 ÷ 预算数, and where the header says so ("得分(20分*执行率)") the score equals the
  weight × the rate. A run that splits several ways is left unread.
- indicator rows: after a level-2 label (数量指标, 质量指标 …) the indicator's name runs up to the
  first figure, and the figures after it are split at their "%" signs; the row is read only
  when that gives exactly the header's value columns (年初目标值 | 实际完成值 | 得分 …).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import combinations

from loaders import fastre
from loaders import lexicon
from loaders.extract.base import Candidate, Context
from loaders.extract.indicators import _levels
from loaders.extract.tables import label_key, roles, squash
from loaders.normalize import dimension_of, parse_value, value_meets
from loaders.records import Indicator

MIN_LEN = 80  # a glued form line is long; shorter lines are read by the other strategies
_RUN = fastre.compile(r"[0-9.,%]+")
_NUM = fastre.compile(r"^(?:0|[1-9]\d*)(?:\.\d{1,4})?$")
_SCORE_RULE = fastre.compile(r"得分\((\d+(?:\.\d+)?)分\*执行率\)")
_VALUE = fastre.compile(r"[≥≤><]?\d+(?:\.\d+)?%?")
_VALUES = fastre.compile(r"(?:[≥≤><]?\d+(?:\.\d+)?%?)+")


def _glued(line: str) -> bool:
    return len(line) >= MIN_LEN and line.count(" ") * 20 < len(line)


@lru_cache(maxsize=1)
def _money_labels() -> list[tuple[str, str]]:
    exact, _ = roles("money")
    return sorted(((label, role) for label, role in exact.items() if len(label) >= 3), key=lambda x: -len(x[0]))


@lru_cache(maxsize=1)
def _total_labels() -> re.Pattern:
    suffix = "|".join(re.escape(s) for s in lexicon.load("columns")["money_rows"]["total_suffix"])
    return fastre.compile("(?:" + "|".join(re.escape(w) for w in _total_words()) + f"|[\u4e00-\u9fff]{{0,6}}(?:{suffix}))[:：]?")


@lru_cache(maxsize=1)
def _total_words() -> tuple[str, ...]:
    spec = lexicon.load("columns")["money_rows"]
    return tuple(sorted({label_key(x) for x in spec["total"] if len(label_key(x)) >= 4}, key=len, reverse=True))


# the total row of a glued form: "…40总分97.96偏差大或…" (a figure followed by 分 may be the
# maximum, "总分100分": not read)
_TOTAL = fastre.compile(r"(?:总分|总得分|自评总分)[:：]?(\d{1,3}(?:\.\d{1,2})?)(?=[\u4e00-\u9fff]|$)(?!分)")
# the total row with its 分值 cell before the score, glued ("总分10098.6" = 100 | 98.6): the
# maximum 100 and a score of two digits (or 100) leave one split
_TOTAL_AFTER_MAX = fastre.compile(r"(?:总分|总得分|自评总分)[:：]?100((?:[1-9]\d(?:\.\d{1,2})?)|100)(?=[\u4e00-\u9fff]|$)(?!分)")


def read(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for i, line in enumerate(ctx.lines, 1):
        if _glued(line):
            text = squash(line)
            out += _money(text, i)
            totals = {m.group(1) for m in _TOTAL.finditer(text)} or {m.group(1) for m in _TOTAL_AFTER_MAX.finditer(text)}
            if len(totals) == 1:
                v = totals.pop()
                if Decimal(v) <= 100:
                    out.append(Candidate("total_score", Decimal(v), v, i, "glued", 1, note="总分 of a glued form"))
    return out


def _roles_in(window: str, labels: list[tuple[str, str]]) -> list[str]:
    """The roles the labels name in a glued window, in the order they stand; a longer label
    (listed first) takes its characters from the shorter ones inside it. A 分值 between the
    spending and the rate column, and a 得分 after the rate, are that form's weight and score
    columns (two-character words are looked for only there)."""
    found = _found_in(window, labels)
    if not any(r == "rate" for _, _, r in found):
        # "…执行数分值执行率得分": 执行率得分 (a rate score column elsewhere) is here the rate
        # column and the score column run together
        for k, (a, b, r) in enumerate(found):
            if r != "rate" and window.startswith("执行率", a) and b - a > 3:
                found[k:k + 1] = [(a, a + 3, "rate"), (a + 3, b, r)]
                break
    roles_ = [r for _, _, r in found]
    at = {r: (a, b) for a, b, r in found}
    if "expenditure" in at and "rate" in at and at["expenditure"][1] <= at["rate"][0]:
        between = window[at["expenditure"][1]:at["rate"][0]]
        if "weight" not in roles_ and ("分值" in between or "权重" in between):
            roles_.insert(roles_.index("rate"), "weight")
        if "score" not in roles_ and window[at["rate"][1]:].startswith(("得分", "(B/A)得分", "(%)得分")):
            roles_.insert(roles_.index("rate") + 1, "score")
    return roles_


def _found_in(window: str, labels: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for label, role in labels:
        for m in re.finditer(re.escape(label), window):
            a, b = m.start(), m.end()
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            found.append((a, b, role))
    found.sort()
    return found


def _header_roles(text: str, end: int) -> tuple[list[str], int] | None:
    """The money columns named in the 120 characters before `end`, in order."""
    start = max(0, end - 120)
    ordered = _roles_in(text[start:end], _money_labels())
    if len([r for r in ordered if r in ("budget_adjusted", "budget_initial", "expenditure")]) < 2 or "rate" not in ordered:
        return None
    return ordered, start


def _money(text: str, line: int) -> list[Candidate]:
    out: list[Candidate] = []
    for m in _total_labels().finditer(text):
        run = _RUN.match(text, m.end())
        if not run:
            continue
        # the label's own start: a known total word inside the match ("…执行率得分年度资金总额":
        # the characters before 年度资金总额 are the header's last words, not the label's)
        start = m.start()
        for w in _total_words():
            k = m.group(0).find(w)
            if k > 0:
                start = m.start() + k
                break
        found = _header_roles(text, start)
        if not found:
            continue
        cols, _ = found
        cols = [c for c in cols if c in ("budget_initial", "budget_adjusted", "expenditure", "rate", "score", "weight")]
        if m.group(0).startswith("得分") and "score" not in cols and cols and cols[-1] == "rate":
            cols.append("score")  # the header's last word, run into the row label (…执行率得分年度资金总额)
        rule = _SCORE_RULE.search(text[max(0, m.start() - 120):m.start()])
        weight = Decimal(rule.group(1)) if rule else None
        split = _split_money(run.group(0), cols, weight)
        if split is None:
            continue
        scale = Decimal(10_000) if "万元" in text[max(0, m.start() - 160):m.start()] or "元" not in text[max(0, m.start() - 160):m.start()] else Decimal(1)
        target = {"budget_initial": "budget_initial_yuan", "budget_adjusted": "budget_adjusted_yuan",
                  "expenditure": "expenditure_yuan", "rate": "budget_exec_pct"}
        for role, (value, raw) in split.items():
            if role not in target:
                continue
            v = value if role == "rate" else value * scale
            out.append(Candidate(target[role], v, raw, line, "glued", 1, note="split by the form's arithmetic"))
        break
    return out


def _dec(s: str) -> Decimal | None:
    if not _NUM.match(s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _decimals(s: str) -> int:
    return len(s.partition(".")[2])


def _splits(s: str, k: int) -> list[list[str]]:
    """Every way to cut a digit string into k numbers (no leading zeros, ≤ 4 decimals)."""
    out = []
    for cuts in combinations(range(1, len(s)), k - 1):
        parts = [s[a:b] for a, b in zip((0,) + cuts, cuts + (len(s),))]
        if all(_dec(p) is not None for p in parts):
            out.append(parts)
    return out


def _split_money(run: str, cols: list[str], weight: Decimal | None) -> dict[str, tuple[Decimal, str]] | None:
    """{role: (value, raw)} for the only split of the run the arithmetic allows, else None."""
    if "rate" not in cols:
        return None
    ri = cols.index("rate")
    pre = cols[:ri]
    # a 分值 column between the money and the rate (全年预算数 | 全年执行数 | 分值 | 执行率 | 得分):
    # its figure is cut out too, and the score must then be that weight × the rate
    weighted = bool(pre) and pre[-1] == "weight"
    if weighted:
        pre = pre[:-1]
    money = [c for c in pre if c in ("budget_initial", "budget_adjusted", "expenditure")]
    if not money or money[-1] != "expenditure" or len(money) != len(pre):
        return None
    lead = len(money) + (1 if weighted else 0)  # figures before the rate
    after = cols[ri + 1:]
    readings = []
    if "%" in run:
        head, _, tail = run.partition("%")
        rate_fraction = False
        pieces_head = _splits(head, lead + 1)
    else:
        head, tail = run, ""
        rate_fraction = True
        pieces_head = []
    # a run with the rate printed as a fraction ("2.342.34120" = 2.34 | 2.34 | 1 | 20) is split
    # as one string into money, rate and what follows
    candidates = []
    if rate_fraction:
        for parts in _splits(run, lead + 1 + len(after)):
            candidates.append((parts[:lead], parts[lead], parts[lead + 1:], True))
    else:
        tails = [[]] if not tail else ([[tail]] if len(after) == 1 and _dec(tail) is not None else [])
        for parts in pieces_head:
            for t in tails:
                candidates.append((parts[:-1], parts[-1], t, False))
    for lead_parts, rate_s, rest, fraction in candidates:
        money_parts = lead_parts[:len(money)]
        row_weight = weight
        if weighted:
            row_weight = Decimal(lead_parts[-1])
            if not 0 < row_weight <= 100:
                continue
        amounts = [Decimal(p) for p in money_parts]
        rate = Decimal(rate_s) * (100 if fraction else 1)
        if fraction and Decimal(rate_s) > Decimal("1.5"):
            continue
        budgets, spent = amounts[:-1] or amounts[:1], amounts[-1]
        # a zero cut out of a run ("22221|0|0") is how an over-split looks: not a reading
        if any(b <= 0 for b in budgets) or spent <= 0 or rate <= 0 or rate > 300:
            continue
        # printed rates are rounded (and sometimes computed on another base): a tolerance of
        # 0.1 point plus 0.5% of the rate, against the initial or the full-year budget; the
        # split must still be the only one that fits
        if not any(abs(spent / b * 100 - rate) <= Decimal("0.1") + rate * Decimal("0.005") for b in budgets):
            continue
        if after and rest:
            score = Decimal(rest[0])
            if row_weight is not None and abs(row_weight * min(rate, Decimal(100)) / 100 - score) > Decimal("0.05") \
                    and abs(row_weight * rate / 100 - score) > Decimal("0.05"):
                continue
            if row_weight is None and score > 100:
                continue
        elif weighted and after:
            continue  # the score column left out: the weight cannot be told from the money
        readings.append((money_parts, rate_s, rest, fraction))
    if len(readings) > 1:
        # a form prints the amounts of one row with the same decimals ("36.00 | 41.40 | 41.40",
        # not "36.004 | 1.404 | 1.40"): among several splits, the one whose amounts agree
        readings = [r for r in readings if len({_decimals(p) for p in r[0]}) == 1]
    if len(readings) != 1:
        return None
    money_parts, rate_s, rest, fraction = readings[0]
    out = {role: (Decimal(p), p) for role, p in zip(money, money_parts)}
    out["rate"] = (Decimal(rate_s) * (100 if fraction else 1), rate_s + ("" if fraction else "%"))
    return out


# ---------------------------------------------------------------------------------------------
# Indicator rows


@lru_cache(maxsize=1)
def _level2_re() -> re.Pattern:
    _, l2, _ = _levels()
    words = sorted((w for w in l2 if w.endswith("指标") or len(w) >= 5), key=len, reverse=True)
    return fastre.compile("|".join(re.escape(w) for w in words))


def _indicator_slots(text: str) -> list[str] | None:
    """The value columns of a glued indicator header (after 三级指标), in order."""
    at = text.find("三级指标")
    if at < 0:
        return None
    exact, _ = roles("indicator")
    labels = sorted(((label, role) for label, role in exact.items()
                     if len(label) >= 2 and role not in ("level1", "level2", "level3", "ignore", "adjusted", "note", "unit")),
                    key=lambda x: -len(x[0]))
    slots = _roles_in(text[at + 4:at + 80], labels)
    return slots if slots and len(set(slots)) == len(slots) else None


def indicators(ctx: Context) -> list[Indicator]:
    text_lines = [(i, squash(line)) for i, line in enumerate(ctx.lines, 1) if _glued(line)]
    if not text_lines:
        return []
    slots = None
    for _, t in text_lines:
        slots = _indicator_slots(t)
        if slots:
            break
    if not slots or "score" not in slots:
        return []
    out: list[Indicator] = []
    l2re = _level2_re()
    if slots == ["target", "actual", "weight", "score"]:
        return _unit_rows(text_lines, l2re)
    for line, t in text_lines:
        matches = list(l2re.finditer(t))
        for k, m in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(t)
            seg = t[m.end():end]
            name_m = re.match(r"([\u4e00-\u9fff][^\d≥≤><]{1,40}?)(?=[≥≤><]?\d)", seg)
            if not name_m:
                continue
            name = name_m.group(1)
            vals_m = _VALUES.match(seg, name_m.end())
            if not vals_m:
                continue
            vals = _VALUE.findall(vals_m.group(0))
            if len(vals) != len(slots) or vals_m.end() < len(seg) and seg[vals_m.end()].isdigit():
                continue
            row = dict(zip(slots, vals))
            if any(row.get(r, "").endswith("%") for r in ("score", "weight")):
                continue
            # a percentage over 100 in a glued row may be an OCR '2' for ≥ run into the figure
            # ("90%295%40"): which it is, is not said
            if any(v.endswith("%") and Decimal(v.lstrip("≥≤><")[:-1]) > 100 for v in vals):
                continue
            # the name must not run into the previous figures ("…10时效指标" is cut by the label)
            if any(w in name for w in ("指标", "得分", "分值")):
                continue
            target, actual = parse_value(row.get("target")), parse_value(row.get("actual"))
            try:
                score = Decimal(row["score"]) if "score" in row else None
                weight = Decimal(row["weight"]) if "weight" in row else None
            except InvalidOperation:
                continue
            if (score is not None and score > 100) or (weight is not None and weight > 100):
                continue
            out.append(Indicator(level1=None, level2=m.group(0), level3=name, dimension=dimension_of(None, m.group(0), name),
                                 weight=weight, score=score, target_raw=row.get("target"), actual_raw=row.get("actual"),
                                 target=target, actual=actual, met=value_meets(target, actual), line=line))
    return out


# A row of the national form glued whole: name, target and actual each with its unit, then the
# weight and the score run together ("走访调研民营企业数≥80家86家1010"). Read only where the units
# delimit the values and the weight/score digits split one way alone (no leading zero, score ≤
# weight ≤ 100).
_UNIT_ROW = fastre.compile(
    r"(?P<name>[\u4e00-\u9fff“”\"(][^\d≥≤><,，。;；:：]{1,40}?)"
    r"(?P<target>[≥≤><]?\d+(?:\.\d+)?(?:%|[\u4e00-\u9fff/·]{1,6}))"
    r"(?P<actual>\d+(?:\.\d+)?(?:%|[\u4e00-\u9fff/·]{1,6}))"
    r"(?P<ws>\d{2,6}(?:\.\d{1,2})?)(?=[\u4e00-\u9fff“”\"(]|$)"
)


def _weight_score(run: str) -> tuple[Decimal, Decimal] | None:
    """The one way to cut a glued 分值 and 得分 ("1010" = 10 | 10, "109" = 10 | 9), else None."""
    found = []
    for k in range(1, len(run)):
        a, b = run[:k], run[k:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0" and b[1] != ".") or "." in a:
            continue
        wa, sb = _dec(a), _dec(b)
        if wa is None or sb is None or not (0 < wa <= 100) or sb > wa:
            continue
        found.append((wa, sb))
    return found[0] if len(found) == 1 else None


def _unit_rows(text_lines: list[tuple[int, str]], l2re: re.Pattern) -> list[Indicator]:
    out: list[Indicator] = []
    for line, t in text_lines:
        matches = list(l2re.finditer(t))
        for k, m in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(t)
            seg = t[m.end():end]
            pos = 0
            while True:
                r = _UNIT_ROW.match(seg, pos)
                if r is None:
                    break
                pos = r.end()
                name = r.group("name")
                ws = _weight_score(r.group("ws"))
                if ws is None or any(w in name for w in ("指标", "得分", "分值")):
                    continue
                weight, score = ws
                target_raw, actual_raw = r.group("target"), r.group("actual")
                target, actual = parse_value(target_raw), parse_value(actual_raw)
                out.append(Indicator(level1=None, level2=m.group(0), level3=name,
                                     dimension=dimension_of(None, m.group(0), name), weight=weight, score=score,
                                     target_raw=target_raw, actual_raw=actual_raw, target=target, actual=actual,
                                     met=value_meets(target, actual), line=line))
    return out
