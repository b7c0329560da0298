"""Prose strategy: figures stated in running text ("预算数为24.00万元,决算数为18.00万元",
"执行率为48.54%", "自评分为100分", "评价等次为“良”", "核定编制13人").

How a sentence is read (all vocabulary is in lexicon/prose.toml):

- A line that is a table row (cell separators) is left to the table strategies. Other lines are
  cut into sentences, and sentences into clauses, at punctuation.
- Every number is a token: money (with 元/万元/亿元), a percentage, points, a count of people, or a
  bare number (a year, a date, a list number). A figure is named by its *clause*: the text from
  the clause start, or from the number before it, up to the figure.
- Money is named by the first money rule whose label words occur in the clause. Rates, scores
  and counts need their label to end right before the figure.
- A clause may carry a topic: 三公 and 政府采购 send the figure to their own fields; a fund source
  or spending type (中央资金, 基本支出 …) makes it a part, which is not read unless the clause
  also says it is a total (共, 合计, 累计 …). A clause with no topic word inherits the topic of
  the figure before it in the same sentence ("中央资金完成498万元,预算执行率81%").
- After 其中/分别为, a figure of the same field as the one before the marker is a part: skipped.
- Skipped outright: per-person standards, changes from last year, shares, targets, bounds
  ("95%以上"), arrival of funds, surpluses, assets; sentences that state a goal.
- In a report that covers several projects, the sentences about one project are skipped; only
  figures named as totals are read from them.
- An unqualified budget figure (预算/下达/安排 without 年初/全年/调整) fills the adjusted budget,
  unless it only restates the initial budget figure of the same text.

Every reading is rank 2 (a labelled table cell, rank 1, wins where both exist).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from loaders import fastre
from loaders import lexicon
from loaders.extract.base import Candidate, Context

RANK = 2
PROBLEM_RANK = 3  # a figure under a heading on problems or suggestions
STRATEGY = "prose"
_DIGIT = fastre.compile(r"\d")
_NUM_START = fastre.compile(r"(?<![\d.,])\d")
_CN_NUM = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class _Rule:
    target: str
    kind: str
    label: re.Pattern
    unless: re.Pattern | None
    qualified: bool = True
    units: re.Pattern | None = None
    rank: int = RANK


@dataclass
class _Lex:
    sentence: re.Pattern
    clause: re.Pattern
    table_row: re.Pattern
    money: re.Pattern
    pct: re.Pattern
    fraction: re.Pattern
    score: re.Pattern
    count: re.Pattern
    other: re.Pattern
    units: dict[str, int]
    skip: re.Pattern
    skip_after: re.Pattern
    sentence_skip: re.Pattern
    part_marker: re.Pattern
    total: re.Pattern
    main: re.Pattern
    main_time: re.Pattern
    part: re.Pattern
    topics: list[tuple[str, re.Pattern, dict[str, str]]]
    money_rules: list[_Rule]
    breakdown_rules: list[_Rule]
    pct_rules: list[_Rule]
    count_rules: list[_Rule]
    tail: re.Pattern
    score_label: re.Pattern
    score_unless: re.Pattern
    score_max: Decimal
    grade: re.Pattern
    grade_followed: re.Pattern
    multi: re.Pattern
    project_sentence: re.Pattern
    project_item: re.Pattern
    whole_sentence: re.Pattern
    topic_item: re.Pattern
    project_heading: re.Pattern
    problem_heading: re.Pattern
    not_one_project: re.Pattern
    by_parts: re.Pattern
    sources_total: re.Pattern
    initial_in_brackets: re.Pattern
    subordinate: re.Pattern
    project_item_name: re.Pattern


def _opt(p: str | None) -> re.Pattern | None:
    return fastre.compile(p) if p else None


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    d = lexicon.load("prose")
    tail = d["connect"]["tail"]

    def ending(label: str) -> re.Pattern:
        return fastre.compile(f"(?:{label}){tail}")

    topics = []
    for name, t in d["topics"].items():
        topics.append((name, fastre.compile(t["words"]), {k: v for k, v in t.items() if k != "words"}))
    money_rules = [
        _Rule(r["target"], r["kind"], fastre.compile(r["label"]), _opt(r.get("unless")), r.get("qualified", True),
              rank=r.get("rank", RANK))
        for r in d["money"]
    ]
    pct_rules = [_Rule(r["target"], r["kind"], ending(r["label"]), _opt(r.get("unless"))) for r in d["pct"]]
    count_rules = [
        _Rule(r["target"], "count", ending(r["label"]), _opt(r.get("unless")), units=fastre.compile(f"^(?:{r['units']})$"))
        for r in d["count"]
    ]
    g = d["grade"]
    # the grade words of lexicon/grades.toml, longest first (letters only stand alone in cells)
    written = sorted({x["word"] for x in lexicon.load("grades")["grade"] if not x["word"].isascii()}, key=len, reverse=True)
    words = "|".join(re.escape(w) for w in written)
    n, c = d["numbers"], d["context"]
    return _Lex(
        sentence=fastre.compile(d["split"]["sentence"]),
        clause=fastre.compile(d["split"]["clause"]),
        table_row=fastre.compile(d["split"]["table_row"]),
        money=fastre.compile(n["money"]),
        pct=fastre.compile(n["pct"]),
        fraction=fastre.compile(n["fraction"]),
        score=fastre.compile(n["score"]),
        count=fastre.compile(n["count"]),
        other=fastre.compile(n["other"]),
        units={k: int(v) for k, v in d["units"].items()},
        skip=fastre.compile(c["skip"]),
        skip_after=fastre.compile(c["skip_after"]),
        sentence_skip=fastre.compile(c["sentence_skip"]),
        part_marker=fastre.compile(c["part_marker"]),
        total=fastre.compile(c["total"]),
        main=fastre.compile(c["main"]),
        main_time=fastre.compile(c["main_time"]),
        part=fastre.compile(c["part"]),
        topics=topics,
        money_rules=money_rules,
        breakdown_rules=[_Rule(r["target"], "breakdown", ending(r["label"]), _opt(r.get("unless"))) for r in d["breakdown"]],
        pct_rules=pct_rules,
        count_rules=count_rules,
        tail=fastre.compile(tail),
        score_label=ending(d["score"]["label"]),
        score_unless=fastre.compile(d["score"]["unless"]),
        score_max=Decimal(str(d["score"]["max"])),
        grade=fastre.compile(f"(?:{g['label']}){g['connect']}(?P<grade>{words})"),
        grade_followed=fastre.compile(g["followed"]),
        multi=fastre.compile(d["multi"]["pattern"]),
        project_sentence=fastre.compile(d["multi"]["project_sentence"]),
        project_item=fastre.compile(d["multi"]["project_item"]),
        whole_sentence=fastre.compile(d["multi"]["whole_sentence"]),
        topic_item=fastre.compile(d["multi"]["topic_item"]),
        project_heading=fastre.compile(d["multi"]["project_heading"]),
        problem_heading=fastre.compile(d["sections"]["problems"]),
        not_one_project=fastre.compile(d["sections"]["not_one_project"]),
        by_parts=fastre.compile(d["parts"]["by"]),
        sources_total=fastre.compile(d["parts"]["sources_total"]),
        initial_in_brackets=fastre.compile(d["parts"]["initial_in_brackets"]),
        subordinate=fastre.compile(d["parts"]["subordinate"]),
        project_item_name=fastre.compile(d["multi"]["project_item_name"]),
    )


# ---------------------------------------------------------------------------------------------
# tokens


@dataclass
class _Tok:
    kind: str  # money | pct | score | count | other
    start: int
    end: int
    value: Decimal
    unit: str = ""


def _dec(s: str) -> Decimal | None:
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def _tokens(s: str, lx: _Lex) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while True:
        m0 = _NUM_START.search(s, pos)
        if m0 is None:
            return out
        i = m0.start()
        tok = None
        for kind, pat in (("pct", lx.pct), ("money", lx.money), ("score", lx.score), ("count", lx.count)):
            m = pat.match(s, i)
            if m:
                v = _dec(m.group(1))
                if v is not None:
                    unit = m.group(2) if m.re.groups >= 2 else ""
                    tok = _Tok(kind, i, m.end(), v, unit or "")
                break
        if tok is None:
            m = lx.other.match(s, i)
            tok = _Tok("other", i, m.end(), _dec(m.group(0)) or Decimal(0))
        out.append(tok)
        pos = tok.end


# ---------------------------------------------------------------------------------------------
# reading


def _is_multi(text: str, lx: _Lex) -> bool:
    return _multi_text(text)


@lru_cache(maxsize=64)
def _multi_text(text: str) -> bool:
    lx = _lex()
    if not fastre.may_match(lx.multi, text):
        return False
    for m in lx.multi.finditer(text):
        n = m.group(1) or m.group(2)
        k = int(n) if n.isdigit() else _CN_NUM.get(n[-1], 0) if len(n) == 1 else 10
        if k >= 2:
            return True
    return False


def _clause(span: str, lx: _Lex) -> str:
    """The last clause of the text before a figure (its label)."""
    parts = lx.clause.split(span)
    return parts[-1] if parts else span


def _topic(clause: str, prev: str, lx: _Lex) -> str:
    for name, pat, _ in lx.topics:
        if pat.search(clause):
            return name
    if lx.part.search(clause):
        return "main" if lx.total.search(clause) else "part"
    if lx.total.search(clause) or lx.main.search(clause):
        # "“三公”经费年初预算3.20万元,全年支出2.46万元": a time word (全年, 本年) keeps the topic the
        # sentence is on; the department's own words (部门, 整体) end it
        if prev not in ("main", "part") and not lx.total.search(clause) and lx.main_time.search(clause) \
                and not lx.main.search(lx.main_time.sub("", clause)):
            return prev
        return "main"
    return prev


def _map(kind: str, target: str, topic: str, lx: _Lex) -> str | None:
    if topic == "main":
        return target
    if topic == "part":
        return None
    for name, _, fields in lx.topics:
        if name == topic:
            return fields.get(kind)
    return None


def _whole_rate(rate: Decimal, out: list[Candidate]) -> bool:
    """Whether a rate equals (to its printed decimals) the last spending read of the document
    over one of its budgets read before it."""
    spent = next((c.value for c in reversed(out) if c.field == "expenditure_yuan" and c.scope is None), None)
    if not spent:
        return False
    places = max(0, -rate.as_tuple().exponent)
    for c in out:
        if c.field in ("budget_adjusted_yuan", "budget_initial_yuan") and c.scope is None and c.value:
            if round(Decimal(spent) * 100 / Decimal(c.value), places) == rate:
                return True
    return False


def _first_rule(clause: str, rules: list[_Rule]) -> _Rule | None:
    """The first rule whose label words occur in the clause and whose `unless` words do not."""
    for r in rules:
        if r.label.search(clause) and not (r.unless and r.unless.search(clause)):
            return r
    return None


def _at(lineno: int | list[tuple[int, int]], pos: int) -> int:
    """The source line of a position in a text: its line number, or for a paragraph joined from
    wrapped lines, the line the position falls on ([(offset, line) …] in order)."""
    if isinstance(lineno, int):
        return lineno
    line = lineno[0][1]
    for start, n in lineno:
        if start > pos:
            break
        line = n
    return line


_ENDS_SENTENCE = ("。", "!", "?", ";", ":", "！", "？", "；", "：", "”", "\"", ")", "）")
_OPENS_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十]+部分|附件|附表)")


def _paragraphs(lines: list[str]) -> list[tuple[int, str, int | list[tuple[int, int]]]]:
    """Running text as paragraphs: a line cut by the page width (a PDF's text, no closing
    punctuation, long) is joined with the line that continues it, so that a label and its figure
    cut apart ("实有在职" / "人员5名") are read together; each figure keeps its own line.
    Table rows (TAB or '|'), short lines and lines opening an item stay as they are."""
    out: list[tuple[int, str, int | list[tuple[int, int]]]] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        first = i + 1
        parts: list[tuple[int, int]] = [(0, first)]
        text = line
        while (i + 1 < n and len(text.strip()) >= 15 and "\t" not in text and "|" not in text
               and not text.rstrip().endswith(_ENDS_SENTENCE)):
            nxt = lines[i + 1]
            if not nxt.strip() or "\t" in nxt or "|" in nxt or _OPENS_ITEM.match(nxt):
                break
            text = text.rstrip()
            parts.append((len(text), i + 2))
            text += nxt.lstrip()
            i += 1
        out.append((first, text, first if len(parts) == 1 else parts))
        i += 1
    return out


def _read_sentence(sent: str, off: int, line: str, lineno: int | list[tuple[int, int]], lx: _Lex, project: bool,
                   state: dict, out: list[Candidate]) -> None:
    toks = _tokens(sent, lx)
    goal_at = lx.sentence_skip.search(sent)
    by = lx.by_parts.search(sent)
    by_at = by.end() if by else None
    prev_end = 0
    topic = "main"
    last_field = state.get("last_field")
    head = state.get("last_field") if lx.part_marker.match(sent.lstrip()) else None
    rate_before = False  # a rate read earlier in the sentence
    parts_of = None  # the field whose parts the sentence's breakdown gives
    counted: dict[str, list[Candidate]] = {}  # count field → its readings in this sentence
    for t in toks:
        span = sent[prev_end:t.start]
        prev_end = t.end
        if t.kind != "other" and lx.part_marker.search(span) and head is None:
            head = last_field
        clause = _clause(span, lx)
        after = sent[t.end:]
        inside = _in_parentheses(line, off + t.start)
        if inside:  # a breakdown: its topic does not carry over to the figures after it
            fig_topic = _topic(clause, topic, lx)
        else:
            topic = fig_topic = _topic(clause, topic, lx)
        if by_at is not None and by_at < t.start and fig_topic == "main" and not lx.total.search(clause):
            fig_topic = "part"  # "按资金来源分,财政拨款全年预算268.40万元": a breakdown's parts
        if t.kind == "other":
            # a bare number right after a rate label: a rate written as a fraction (0.96)
            if lx.fraction.match(sent, t.start) and not lx.skip_after.match(after):
                r = _first_rule(clause, lx.pct_rules)
                if r is not None and r.kind == "rate" and not lx.skip.search(clause):
                    fld = _map("rate", r.target, fig_topic, lx)
                    if fld and not project and not (goal_at and goal_at.start() < t.start):
                        out.append(_cand(fld, t.value * 100, sent, t, _at(lineno, off + t.start), "rate as a fraction"))
            continue
        skipped = (
            (inside and not lx.initial_in_brackets.search(clause))
            or lx.skip.search(clause) is not None
            or lx.skip_after.match(after) is not None
            or (goal_at is not None and goal_at.start() < t.start)
        )
        fld = None
        note = None
        rank = RANK
        of_project = False  # a figure of one project in a report on several
        b = _first_rule(clause, lx.breakdown_rules) if t.kind == "money" and fig_topic in ("main", "part") else None
        if b is not None:
            # a part of the year's spending, named at the figure (also inside brackets); the
            # parts of a budget or of income ("支出预算为X万元,其中:基本支出Y万元") are not
            if last_field not in _PARTS:
                parts_of = last_field
            if parts_of in _NOT_SPENDING or (t.unit == "元" and -t.value.as_tuple().exponent > 2):
                # (an amount "in 元" with more than two decimals, "35.1657 元": the 万 was dropped,
                # or the figure is not one: not read)
                last_field = b.target
                continue
            fld = b.target
            if project:
                of_project = True
            if not (lx.skip_after.match(after) or (goal_at is not None and goal_at.start() < t.start)):
                c = _cand(fld, t.value * lx.units[t.unit], sent, t, _at(lineno, off + t.start), None, rank)
                out.append(replace(c, scope="project") if of_project else c)
            last_field = fld
            continue
        if t.kind == "money":
            r = _first_rule(clause, lx.money_rules)
            if r is not None:
                fld = _map(r.kind, r.target, fig_topic, lx)
                note = None if r.qualified else "unqualified"
                rank = r.rank
                if project and not lx.total.search(clause):
                    of_project = True
            value = t.value * lx.units[t.unit]
        elif t.kind == "pct":
            r = _first_rule(clause, lx.pct_rules)
            if r is not None:
                fld = _map("rate", r.target, fig_topic, lx) if r.kind == "rate" else r.target
                if fld is None and r.kind == "rate" and fig_topic == "part" and parts_of is not None \
                        and _whole_rate(t.value, out):
                    # "支出219.86万元,其中基本支出157.36万元、项目支出62.50万元,预算执行率96.12%":
                    # after the breakdown, a rate that is the whole's spending over its budget
                    # is the whole's
                    fld = r.target
                    note = "rate after a breakdown, equal to spending over budget"
                if project:
                    of_project = True
            value = t.value
        elif t.kind == "score":
            if rate_before:
                pass  # "执行率97%,得分9.7分": the score of the rate's indicator, not the report's
            elif lx.score_label.search(clause) and not lx.score_unless.search(clause) and t.value <= lx.score_max:
                fld = "total_score"
                if project:
                    of_project = True
            value = t.value
        else:  # count
            r = _first_rule(clause, lx.count_rules)
            if r is not None and r.units.match(t.unit):
                fld = r.target
                # the staff of a subordinate unit named earlier in the same part of the sentence
                # ("；所属事业单位…核定事业编制22名,实有在编人员19名") are not the unit's own
                part_from = max(sent.rfind("；", 0, t.start), sent.rfind(";", 0, t.start)) + 1
                if lx.subordinate.search(sent, part_from, t.start):
                    fld = None
            elif lx.total.fullmatch(clause.strip(",，、;； ")) and len(counted.get(last_field, ())) >= 2:
                # "核定行政编制6名、事业编制2名,共8名": the parts add up to the total, which is the count
                parts = counted.pop(last_field)
                if sum(c.value for c in parts) == t.value and not skipped:
                    for c in parts:
                        out.remove(c)
                    out.append(_cand(last_field, t.value, sent, t, _at(lineno, off + t.start), None, RANK))
                continue
            value = t.value
        if fld is not None and fld.endswith("_pct") and t.kind == "pct":
            rate_before = True
        if fld is None:
            continue
        if head is not None and fld == head:
            skipped = True  # a part of the figure before 其中/分别为, or of a total
        elif head is None and not inside and lx.total.search(clause):
            head = fld  # a total: the later figures of its field in this sentence are its parts
        last_field = fld
        if not skipped:
            c = _cand(fld, value, sent, t, _at(lineno, off + t.start), note, rank)
            out.append(replace(c, scope="project") if of_project else c)
            if t.kind == "count":
                counted.setdefault(fld, []).append(out[-1])
    state["last_field"] = last_field
    if "来源" in sent and not project and not (goal_at is not None):
        c = _sources_total(sent, toks, lx, lineno, off)
        if c is not None:
            out.append(c)
    # grades have no number of their own
    for m in lx.grade.finditer(sent):
        if _in_parentheses(line, off + m.start()):
            continue  # a grade in brackets is another year's or a rule's ("优秀(2021年度良好)")
        if lx.grade_followed.match(sent[m.end():]) and not (goal_at and goal_at.start() < m.start()):
            out.append(Candidate("grade_raw", m.group("grade"), m.group("grade"), _at(lineno, off + m.start()), STRATEGY, RANK,
                                 scope="project" if project else None))


# a line opening with an item number, behind symbols or not ("三、", "📌 (一)", "1.")
_NUMBERED_LINE = fastre.compile(r"^[^\w(（【\[\n]{0,8}(?:\d+[.、]|\(\d+\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))", re.M)
# symbols opening a line before its heading number (emoji, bullets)
_LEAD_SYMBOLS = re.compile(r"^[^\w(（【\[]+")

# the fields of the parts of the year's spending (lexicon prose.toml [[breakdown]]), and the
# totals whose parts are not the spending's
_PARTS = frozenset({"exp_basic_yuan", "exp_project_yuan", "exp_personnel_yuan", "exp_public_operating_yuan"})
_NOT_SPENDING = frozenset({"budget_initial_yuan", "budget_adjusted_yuan", "revenue_total_yuan"})


def _in_parentheses(line: str, at: int) -> bool:
    """Whether a figure stands inside an open parenthesis (a breakdown of the figure before it)."""
    before = line[:at]
    return before.count("(") > before.count(")")


_YEAR_WORD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")


def _stated_year(sent: str, upto: int) -> int | None:
    """The last year the sentence names before a figure ("2021年度实际支出…", "与2021年支出…相比"),
    not counting dates (2023年3月) and years inside a document title (《…2022年度…》)."""
    year = None
    for m in _YEAR_WORD.finditer(sent, 0, upto):
        before = sent[:m.start()]
        if before.count("《") > before.count("》"):
            continue
        year = int(m.group(1))
    return year




def _sources_total(sent: str, toks: list[_Tok], lx: _Lex, lineno, off: int) -> Candidate | None:
    """"项目资金来源为中央财政补助资金300.00万元、县级配套120.00万元、自筹85.40万元,合计505.40万元":
    the total of the sources the sentence lists is the year's funding, an unqualified budget
    figure, when the sources add up to it."""
    money = [t for t in toks if t.kind == "money" and t.unit in lx.units]
    if len(money) < 3 or not lx.sources_total.search(_clause(sent[money[-2].end:money[-1].start], lx)):
        return None
    if len({t.unit for t in money}) != 1 or "来源" not in sent[:money[0].start]:
        return None
    total, parts = money[-1], money[:-1]
    if sum(t.value for t in parts) != total.value:
        return None
    return _cand("budget_adjusted_yuan", total.value * lx.units[total.unit], sent, total,
                 _at(lineno, off + total.start), "unqualified")


def _cand(fld: str, value: Decimal, sent: str, t: _Tok, lineno: int, note: str | None,
          rank: int = RANK) -> Candidate:
    # raw is the figure as written ("226万元"); its sentence is on its line
    return Candidate(fld, value, sent[t.start:t.end].strip(), lineno, STRATEGY, rank, note, _stated_year(sent, t.start))


@lru_cache(maxsize=1)
def _any_label() -> re.Pattern:
    """Every label word any rule reads (a sentence without one gives no candidate: skipped
    before it is cut into figures, which is most of the work)."""
    d = lexicon.load("prose")
    parts = [r["label"] for key in ("money", "pct", "count") for r in d[key]]
    parts += [d["score"]["label"], d["grade"]["label"], "资金来源"]  # (the sources' total: _sources_total)
    # a prefilter is permissive: labels anchored at a clause's end match anywhere here
    return fastre.compile("|".join(f"(?:{p.rstrip('$')})" for p in parts))


# A PDF's hard line break between a figure and its unit ("自评得分为93.6" / "分,等级为优"): the
# unit opening the next line belongs to the figure ending this one (prose lines only).
_UNIT_OPENS = fastre.compile(r"^\s*(万元|元|分|%|人|名)(?=[,,。;;、)\s]|$)")
_PROSE_PUNCT = fastre.compile(r"[,,。;;]")


def _with_unit_of_next(lines: list[str], i: int, line: str) -> str:
    if not line or not line[-1].isdigit() or i + 1 >= len(lines) or not _PROSE_PUNCT.search(line):
        return line
    m = _UNIT_OPENS.match(lines[i + 1])
    return line + m.group(1) if m else line


def project_items(ctx: Context) -> list[tuple[str, int]]:
    """In a report on several projects ("共3个项目"), the numbered paragraphs that each open with
    one project's name ("1.困难职工帮扶资金。该项目…"): (name, line). Empty for other reports."""
    lx = _lex()
    if not _is_multi(ctx.text, lx):
        return []
    out = []
    for lineno, line in enumerate(ctx.lines, 1):
        m = lx.project_item.match(line)
        if m:
            n = lx.project_item_name.match(line, m.end())
            if n:
                out.append((n.group("name"), lineno))
    return out


def _numbering(token: str) -> int:
    """The rank of an item number's style in a report's outline: 一、 0, (一) 1, 1. 2, (1) 3."""
    t = token.strip()
    paren = t.startswith(("(", "（"))
    chinese = any(ch in "一二三四五六七八九十" for ch in t)
    return (0 if chinese else 2) + (1 if paren else 0)




def project_sections(ctx: Context) -> list[tuple[str, int, int]]:
    """In a report on several projects, the numbered headings that name one project each,
    standing on their own line ("一、侨界困难群众帮扶资金项目"), with the lines under them up to the
    next heading numbered alike: (name, heading line, last line). Empty for other reports."""
    lx = _lex()
    if not _is_multi(ctx.text, lx):
        return []
    heads = []  # (line number, numbering rank, name or None)
    for lineno, raw in enumerate(ctx.lines, 1):
        line = _LEAD_SYMBOLS.sub("", raw)
        m = lx.project_item.match(line)
        if not m:
            continue
        rest = line[m.end():].strip()
        name = None
        h = lx.project_heading.search(rest)
        if h is not None and len(rest) <= 40 and not any(ch in rest for ch in "。,，;；") \
                and lx.whole_sentence.search(rest) is None and lx.topic_item.match(line) is None \
                and lx.not_one_project.match(rest) is None:
            name = rest[:h.start() + len(h.group(1))].strip()
        heads.append((lineno, _numbering(m.group(0)), name))
    out = []
    for k, (lineno, rank, name) in enumerate(heads):
        if name is None:
            continue
        # up to the next heading of the same rank or above ("三、存在的问题" ends "3. …经费")
        end = next((n - 1 for n, r, _ in heads[k + 1:] if r <= rank), len(ctx.lines))
        out.append((name, lineno, end))
    return out if len(out) >= 2 else []


def read_line(ctx: Context, lineno: int) -> list[Candidate]:
    """The figures of one paragraph, read as the text of one project (no multi-project caution)."""
    lx = _lex()
    out: list[Candidate] = []
    line = _with_unit_of_next(ctx.lines, lineno - 1, ctx.lines[lineno - 1])
    state: dict = {}
    pos = 0
    for m in list(lx.sentence.finditer(line)) + [None]:
        start, end = pos, (m.end() if m else len(line))
        sent = line[start:end]
        pos = end
        if sent.strip() and _any_label().search(sent):
            _read_sentence(sent, start, line, lineno, lx, False, state, out)
    return _drop_restatements(out)


def read(ctx: Context) -> list[Candidate]:
    lx = _lex()
    any_label = _any_label()
    multi = _is_multi(ctx.text, lx)
    out: list[Candidate] = []
    # the lines some label word may stand on, found in one search: a paragraph of one other
    # line (not ending with a figure, so no unit joins it from the next line) names none
    labelled = set(ctx.line_scan.with_match(any_label))
    in_project = False  # under a numbered heading that names a project (multi-project reports)
    problems_at = None  # the rank of the heading on problems or suggestions we are under, if any
    numbered = set(ctx.line_scan.with_match(_NUMBERED_LINE))  # lines opening with an item number
    for first, line, lineno in _paragraphs(ctx.lines):
        raw_first = ctx.lines[first - 1]
        if first - 1 in numbered:
            # (a numbered heading, or one behind a symbol: "📌 三、存在的问题")
            opening = _LEAD_SYMBOLS.sub("", raw_first).strip()
            number = lx.project_item.match(opening) if len(opening) <= 30 and "。" not in opening else None
        else:
            opening, number = raw_first, None
        if number is not None:
            rank = _numbering(number.group(0))
            if lx.problem_heading.search(opening) is not None:
                problems_at = rank if problems_at is None else min(problems_at, rank)
            elif problems_at is not None and rank <= problems_at:
                problems_at = None  # the next heading as high: the section has ended
        in_problems = problems_at is not None
        # the paragraph's first line (a heading may have been joined with the text under it)
        heading = opening if multi else line  # "📌 三、存在的问题"
        if multi and lx.project_item.match(heading) is not None:
            # a numbered heading opens a section: a project's when it names one
            in_project = lx.whole_sentence.search(heading) is None and len(heading) <= 40 \
                and lx.project_heading.search(heading) is not None
        single = isinstance(lineno, int)
        if single and lineno - 1 not in labelled and not line[-1:].isdigit():
            continue
        last = lineno if single else lineno[-1][1]
        extended = _with_unit_of_next(ctx.lines, last - 1, line)
        if single and extended is line and lineno - 1 not in labelled:
            continue  # no unit joined it from the next line: as found, no label word
        line = extended
        if not _DIGIT.search(line) and "等" not in line and "评" not in line:
            continue
        if not any_label.search(line):
            continue  # no sentence of it (nor any cell) names what a rule reads
        if lx.table_row.search(line):
            _read_conclusion_cells(line, lineno, lx, out)
            continue
        item = multi and lx.project_item.match(line) is not None and lx.whole_sentence.search(line) is None \
            and lx.topic_item.match(line) is None
        state: dict = {}
        pos = 0
        before = len(out)
        for m in list(lx.sentence.finditer(line)) + [None]:
            start, end = pos, (m.end() if m else len(line))
            sent = line[start:end]
            pos = end
            if not sent.strip() or not any_label.search(sent):
                continue
            project = item or in_project or (multi and lx.project_sentence.search(sent) is not None)
            _read_sentence(sent, start, line, lineno, lx, project, state, out)
        if in_problems:
            # a figure told as a problem ("…截至9月底仅支付12.36万元") is about one fund or one
            # step: weaker than the report's own statement of the same field
            out[before:] = [replace(c, rank=max(c.rank, PROBLEM_RANK)) for c in out[before:]]
    return _drop_restatements(out)


# A table cell that is a sentence (评价结论 | 项目自评得分96.6分,等级为优。): only the evaluation's
# own result is read from it; the figures of a goal or indicator cell stay the table's.
_CELL_SPLIT = fastre.compile(r"[|\t]")
_CONCLUSION_FIELDS = ("total_score", "grade_raw")


def _read_conclusion_cells(line: str, lineno: int, lx: _Lex, out: list[Candidate]) -> None:
    pos = 0
    for cell in _CELL_SPLIT.split(line):
        off = pos
        pos += len(cell) + 1
        if len(cell.strip()) < 8 or not re.search(r"[,,。;;]", cell):
            continue
        found: list[Candidate] = []
        state: dict = {}
        at = 0
        for m in list(lx.sentence.finditer(cell)) + [None]:
            start, end = at, (m.end() if m else len(cell))
            sent = cell[start:end]
            at = end
            if sent.strip():
                _read_sentence(sent, off + start, line, lineno, lx, False, state, found)
        out += [c for c in found if c.field in _CONCLUSION_FIELDS]


def _drop_restatements(cands: list[Candidate]) -> list[Candidate]:
    """An unqualified budget figure (预算数, 下达, 安排) fills the adjusted budget only when the text
    has no figure named as the full-year / adjusted budget, and only when it does not restate the
    initial budget figure."""
    initial = {c.value.normalize() for c in cands if c.field == "budget_initial_yuan"}
    qualified = any(c.field == "budget_adjusted_yuan" and c.note != "unqualified" for c in cands)
    if not initial and not qualified:
        return cands
    return [c for c in cands
            if not (c.field == "budget_adjusted_yuan" and c.note == "unqualified"
                    and (qualified or c.value.normalize() in initial))]
