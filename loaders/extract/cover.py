"""The cover strategy: who is evaluated, for which year, what kind of report, by whom.

Evidence, strongest first:

1. labelled cover and form fields (实施单位 / 部门(单位)名称 / 项目名称 / 评价方式 / 评价机构 /
   报告日期 / a "(2022年度)" line under a form title). A value ends at the next label, at a cell
   border ("|") or at the end of the line; a label alone on its line takes the next line. This
   reads the one-value-per-line, pipe, space-separated and flattened (glued) layouts alike.
2. the report title: "[附件N:][YYYY年度]<unit>[YYYY年度]<project>…绩效自评报告(YYYY年度)".
3. weaker mentions: the unit that introduces itself in the text ("XX局是…", "XX会(以下简称…)"),
   a name standing alone on its line, a signature over a date, "对XX专项经费开展了绩效评价",
   "下达XX资金N万元", "YYYY年度" next to budget words.

Which unit: a project form names the supervising department (主管部门) and the implementing unit
(实施单位); the implementer is the evaluated unit, then the cover's unit field, then the 主管部门
(rank 2 when it is the only one). Vocabulary lives in lexicon/documents.toml (report_kind,
evaluation_mode, fiscal_year, cover_*) and lexicon/units.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from loaders import fastre
from loaders import lexicon
from loaders.extract.base import Candidate, Context
from loaders.extract.tables import role_of as column_role
from loaders.regions import opens_with_place

STRATEGY = "cover"
MAX_LINES = 150  # covers, form headers and titles sit at the top of a page

HEAD_LINES = 80  # where a weak mention (a name alone on its line, "XX局是…") is believed
CJK = "\u4e00-\u9fff"
NAME_CHARS = rf"[{CJK}()·]"
YEAR = r"(?<!\d)((?:19|20)\d{2})"
_MIN_YEAR, _MAX_YEAR = 2000, 2040

# patterns used line by line, compiled once
_NAME_RUN = fastre.compile(rf"{NAME_CHARS}+")
_PLACEHOLDER = fastre.compile(r"XX|xx|××|某某|○○|\*\*")
_ANY_CJK = fastre.compile(f"[{CJK}]")
_AMOUNT_WORDS = fastre.compile(r"单位:|金额|\(万元\)|\(元\)")
_SENTENCE_PUNCT = fastre.compile(r"[,。;:!?“”、]")
_QUOTED = fastre.compile(r"“[^“”,。]{1,12}”")  # a quoted name inside a title (“两癌”救助项目) is no sentence
_YEAR_LEAD = fastre.compile(rf"^\(?{YEAR}年度?\)?")
_YEAR_TAIL = fastre.compile(rf"\(?{YEAR}年度?\)?$")
# (a masked year, "20xx年度", still ends the unit's name in a title; it is never read as a year)
_YEAR_AHEAD = fastre.compile(rf"\(?(?:{YEAR}|(?:19|20)[xX×]{{2}})年")
_PROJECT_END = fastre.compile(r"(?:项目|资金|经费|补贴|补助|专项)\)?$")
_YEAR_CHARS = fastre.compile(r"[()\d年度]")
_PLACE_END = fastre.compile(r"(?:省|市|州|盟|县|区|旗)$")
_FULL_DATE_LINE = fastre.compile(rf"^{YEAR}年\d{{1,2}}月\d{{1,2}}日$")
_YEAR_ONLY = fastre.compile(rf"\(?{YEAR}年度\)?")
_YEAR_MENTION = fastre.compile(rf"{YEAR}年(度)?(?!\d{{1,2}}月)")
# the year after a title: "(2022年度)", "2022年度)" or "(2022年)" (Ningxia: 自评表(2022年))
_YEAR_PAREN = fastre.compile(rf"(?:\({YEAR}年度?|{YEAR}年度)\)")
_BOOK_TITLE = fastre.compile(r"《[^》]*》")
_YEAR_DU = fastre.compile(rf"{YEAR}年度")
_PROJECT_IN_PARENS = fastre.compile(rf"\(({NAME_CHARS}{{2,40}}(?:项目|资金|经费))\)")
_YEAR_PREFIX = fastre.compile(rf"^{YEAR}年度?")
_YEAR_MONTH_PREFIX = fastre.compile(rf"^{YEAR}年(?:\d{{1,2}}月)?")
_YEAR_MONTH = fastre.compile(rf"{YEAR}(?:年|[-./])(\d{{1,2}})(?:月|[-./])?")
_FULL_DATE = fastre.compile(rf"{YEAR}年(\d{{1,2}})月\d{{1,2}}日")
_NIANDU = re.compile("年度")
_CRUMB = re.compile(r"[\u4e00-\u9fff][>»][\u4e00-\u9fff]")
_NOTICE_TAIL = re.compile(r"^[)）]?的(?:通知|公告|公示|批复|函|报告)")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Lex:
    label_re: re.Pattern
    role_of: dict
    strict: frozenset
    strong: tuple
    single: frozenset
    cell_suffixes: tuple
    bad_start: tuple
    prose_bad_start: tuple
    bad_contains: tuple
    equivalent: tuple
    finance: tuple
    value_noise: tuple
    header_words: tuple
    ticked: tuple
    unticked: tuple
    kind_dept: tuple
    kind_project: tuple
    body_dept: tuple
    body_project: tuple
    self_words: tuple
    third_words: tuple
    firm_end: tuple
    third_re: re.Pattern
    assist: tuple
    self_re: re.Pattern
    date_label_re: re.Pattern
    notice_year_re: re.Pattern
    year_label_re: re.Pattern
    body_context: tuple
    body_window: int
    ending_re: re.Pattern
    no_name_endings: tuple
    after_unit: tuple
    name_tail: tuple
    generic_words: tuple
    lead_noise_re: re.Pattern
    meta_labels: tuple
    nav_links: tuple
    related_lists: frozenset
    not_in_title: tuple
    prose_unit_re: re.Pattern
    prose_unit_hint: re.Pattern
    referred_re: re.Pattern
    fund_re: re.Pattern
    evaluated_re: re.Pattern
    body_name_re: re.Pattern
    alone_re: re.Pattern


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    docs = lexicon.load("documents")
    units = lexicon.load("units")
    labels = docs["cover_labels"]
    role_of: dict[str, str] = {}
    for role in ("stop", "report_date", "evaluator", "mode", "project", "supervisor", "unit", "implementer"):
        for w in labels[role]:
            role_of[w] = role
    for w in labels["unit_strict"]:
        role_of.setdefault(w, "unit")
    strict = frozenset(labels["unit_strict"])
    title = docs["cover_title"]
    prose = docs["cover_prose"]
    suff = units["suffixes"]
    name = rf"{NAME_CHARS}{{2,30}}?(?:{_alt(suff['strong'] + suff['single'])})"
    fy = docs["fiscal_year"]
    mode = docs["evaluation_mode"]
    kind = docs["report_kind"]
    return _Lex(
        label_re=fastre.compile(_alt(role_of)),
        role_of=role_of,
        strict=strict,
        strong=tuple(sorted(suff["strong"], key=len, reverse=True)),
        single=frozenset(suff["single"]),
        cell_suffixes=tuple(sorted(suff["strong"] + suff["single"] + suff["cell"], key=len, reverse=True)),
        bad_start=tuple(units["not_a_name"]["starts"]),
        prose_bad_start=tuple(units["not_a_name"]["prose_starts"]),
        bad_contains=tuple(units["not_a_name"]["contains"]),
        equivalent=tuple(tuple(p) for p in units["equivalent"]["pairs"]),
        finance=tuple(units["publishers"]["finance"]),
        value_noise=tuple(labels["value_noise"]),
        header_words=tuple(labels["header_words"]),
        ticked=tuple(labels["ticked"]),
        unticked=tuple(labels["unticked"]),
        kind_dept=tuple(kind["department_overall"]),
        kind_project=tuple(kind["project"]),
        body_dept=tuple(kind["body_department_overall"]),
        body_project=tuple(kind["body_project"]),
        self_words=tuple(mode["self_words"]),
        third_words=tuple(mode["third_party_words"]),
        firm_end=tuple(mode["firm_endings"]),
        third_re=fastre.compile("|".join(f"(?:{p})" for p in mode["third_party_patterns"])),
        self_re=fastre.compile("|".join(f"(?:{p})" for p in mode["self_patterns"])),
        assist=tuple(mode["assist_words"]),
        date_label_re=fastre.compile(rf"(?:{_alt(fy['date_labels'])})[:]?"),
        notice_year_re=fastre.compile(rf"《[^》]{{0,30}}开展{YEAR}年度[^》]{{0,20}}(?:绩效评价|绩效自评)"),
        year_label_re=fastre.compile(rf"(?:{_alt(fy['labels'])})[:]{YEAR}"),
        body_context=tuple(fy["body_context"]),
        body_window=int(fy["body_window"]),
        ending_re=fastre.compile(_alt(title["endings"])),
        no_name_endings=tuple(title["no_name_endings"]),
        after_unit=tuple(title["after_unit"]),
        name_tail=tuple(title["name_tail"]),
        generic_words=tuple(sorted(title["generic_words"], key=len, reverse=True)),
        # page furniture in front of a title, and a site's tag in brackets (【信息公开】)
        lead_noise_re=fastre.compile(rf"^(?:(?:{_alt(title['lead_noise'])})[\d\-]*[:|]?|\d+、|[•\-*·]+|《|【[^】]{{1,8}}】|\[[^\]]{{1,8}}\])+"),
        meta_labels=tuple(title["meta_labels"]),
        nav_links=tuple(title["nav_links"]),
        related_lists=frozenset(title["related_lists"]),
        not_in_title=tuple(title["not_in_title"]),
        prose_unit_re=fastre.compile(rf"(?:^|(?<=[,。;:、“”\"(\s]))(?P<u>{name})(?={_alt(prose['after_unit'])})"),
        # what every match of it holds (a unit's ending, then the words that introduce it): the
        # lines to try it on are found with this, which a search rejects much faster
        prose_unit_hint=fastre.compile(rf"(?:{_alt(suff['strong'] + suff['single'])})(?={_alt(prose['after_unit'])})"),
        # "(我所)对NAME(以下简称“…”)…开展评价": the unit a report is about, named once in full
        referred_re=fastre.compile(rf"对(?P<u>{name})(?=\(以下简称)"),
        fund_re=fastre.compile(
            rf"(?:{_alt(prose['fund_verbs'])})(?P<n>{NAME_CHARS}{{2,25}}?(?:{_alt(prose['fund_endings'])}))(?:合计|共计|共)?\d"
        ),
        evaluated_re=fastre.compile(
            rf"对[“\"]?(?P<n>{NAME_CHARS}{{4,40}}?(?:{_alt(prose['fund_endings'] + ['项目'])})(?:\({NAME_CHARS}{{2,20}}\))?)[”\"]?(?:开展|进行)了?(?:绩效)?(?:评价|自评)"
        ),
        # a line that may be a unit's name alone: it ends with a strong ending (edge marks aside)
        alone_re=fastre.compile(rf"(?:{_alt(suff['strong'])})[•\-|]*$"),
        body_name_re=fastre.compile(
            rf"{YEAR}年度(?P<n>{NAME_CHARS}{{2,20}}?(?:{_alt(prose['body_name_endings'])}))(?:绩效)(?:评价|自评)"
        ),
    )


# ---------------------------------------------------------------------------------------------
# Names


def _has_any(s: str, words) -> bool:
    return any(w in s for w in words)


def _clean_value(lex: _Lex, v: str) -> str:
    for w in lex.value_noise:
        v = v.replace(w, "")
    return v.strip(":|·•-— ")


_PROJECT_CODE = fastre.compile(r"^[0-9A-Za-z]{8,}\s*[-—_:：]\s*")
_CODE_PREFIX = fastre.compile(r"^(?:\[\d+\]|【\d+】|\(\d+\)|\d{3,}[-—_.:]*)")
_NAME_STOP = fastre.compile(r"[,。;:、!?\s\d%]")


@lru_cache(maxsize=65536)
def unit_name(value: str, *, cell: bool = False, prose: bool = False, whole: bool = False) -> str | None:
    """The organisation name a value starts with, or None.

    cell   the value stands in a labelled cell: short endings (科, 股, 乡) are accepted
    prose  the name comes from running text: "县财政局…" is a reference, not a name
    whole  the name must be the whole value (a line standing alone)
    """
    lex = _lex()
    v = _CODE_PREFIX.sub("", _clean_value(lex, value))
    m = _NAME_STOP.search(v)
    if m:
        if whole:
            return None
        v = v[: m.start()]
    v = v[:40]
    endings = tuple(lex.cell_suffixes if cell else lex.strong)
    best = None
    for j in range(len(v), 1, -1):
        head = v[:j]
        if head.endswith(endings):
            best = head
            break
        if whole:
            return None
    if best is None or not _plausible(best, prose=prose):
        return None
    return best


@lru_cache(maxsize=65536)
def _plausible(name: str, *, prose: bool = False) -> bool:
    lex = _lex()
    if len(name) < 3 or not _NAME_RUN.fullmatch(name):
        return False
    if name.count("(") != name.count(")"):
        return False
    if (name.startswith(lex.bad_start) or (prose and name.startswith(lex.prose_bad_start))) and not opens_with_place(name):
        return False
    return not _has_any(name, lex.bad_contains)


def _placeholder(s: str) -> bool:
    return bool(_PLACEHOLDER.search(s))


@lru_cache(maxsize=65536)
def _project_value(value: str) -> str | None:
    lex = _lex()
    v = _clean_value(lex, value)
    v = re.split(r"[。;]", v)[0].strip(":|,")
    v = _PROJECT_CODE.sub("", v)  # a budget project code before the name (51082322R000000031407-…)
    if len(v) < 2 or len(v) > 60 or _placeholder(v) or not _ANY_CJK.search(v):
        return None
    if lex.label_re.fullmatch(v) or v.startswith(lex.header_words) or _AMOUNT_WORDS.search(v):
        return None
    if _has_any(v, lex.body_dept):
        return None  # "项目名称:2023年1-9月部门整体支出绩效评价": the department as a whole, no project
    if column_role(v, "money") or column_role(v, "indicator"):
        return None  # the 项目名称 column of a table of projects: the next header cell (全年预算数)
    return v


# ---------------------------------------------------------------------------------------------
# Labelled fields


@dataclass
class _Field:
    role: str
    value: str
    line: int
    label: str
    interleaved: bool = False


def _cells(s: str) -> list[str]:
    return [c for c in s.split("|")]


_NUMBERING = fastre.compile(r"^(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十\d]+\)|\d+[、.]|[•\-*·]+)")


def _labelled(ctx: Context) -> list[_Field]:
    lex = _lex()
    out: list[_Field] = []
    sq = ctx.squashed
    n = min(len(sq), MAX_LINES)
    for i in ctx.scan.with_match(lex.label_re, n):
        s = sq[i]
        if not s or not lex.label_re.search(s):
            continue
        cells = _cells(s)
        for ci, cell in enumerate(cells):
            body = _NUMBERING.sub("", cell)
            offset = len(cell) - len(body)
            occ = []
            for m in lex.label_re.finditer(cell):
                label = m.group(0)
                at_start = m.start() == offset or m.start() == 0
                after = cell[m.end(): m.end() + 1]
                colon = after == ":"
                if label in lex.strict and not (at_start and (colon or after == "")):
                    continue
                occ.append((m, at_start, colon))
            if not occ:
                continue
            formlike = len(occ) >= 2
            for k, (m, at_start, colon) in enumerate(occ):
                role = lex.role_of[m.group(0)]
                if role == "stop" or not (at_start or colon or formlike):
                    continue
                end = occ[k + 1][0].start() if k + 1 < len(occ) else len(cell)
                value = cell[m.end(): end].strip(": ")
                interleaved = False
                if not value:
                    if k + 1 < len(occ) and occ[k + 1][0].start() == m.end():
                        # label, then another label, then the value (interleaved columns)
                        nxt_end = occ[k + 2][0].start() if k + 2 < len(occ) else len(cell)
                        value = cell[occ[k + 1][0].end(): nxt_end].strip(": ")
                        interleaved = True
                    elif k + 1 == len(occ):
                        value = _next_value(sq, i, ci, cells, n)
                if value:
                    out.append(_Field(role, value, i + 1, m.group(0), interleaved))
    return out


def _next_value(sq: list[str], i: int, ci: int, cells: list[str], n: int) -> str:
    """The value of a label that ends its cell: the next non-empty cell, else the next line's."""
    lex = _lex()
    for c in cells[ci + 1:]:
        c = c.strip()
        if c:
            return "" if lex.label_re.match(c) else c
    stacked = _stacked_value(sq, i, n)
    if stacked is not None:
        return stacked
    for j in range(i + 1, min(n, i + 4)):
        line = sq[j].strip("|")
        if not line:
            continue
        first = next((c for c in line.split("|") if c.strip()), "")
        if lex.label_re.match(first):
            return ""
        return first
    return ""


def _label_line(s: str) -> bool:
    """A line that is one label and nothing else (its colon aside)."""
    t = s.strip("|").rstrip(":")
    return bool(t) and "|" not in t and _lex().label_re.fullmatch(t) is not None


def _stacked_value(sq: list[str], i: int, n: int) -> str | None:
    """Labels stacked one per line and then their values one per line, in the same order (a PDF
    read column by column: 项目名称 / 主管部门 / 实施单位 / <project> / <department> / <unit>): the
    value of the label on line i, "" when the values cannot be told apart, None when line i is
    not in such a stack."""
    if not _label_line(sq[i]):
        return None
    filled = [j for j in range(max(0, i - 8), min(n, i + 20)) if sq[j].strip("|")]
    at = filled.index(i)
    lo = at
    while lo > 0 and _label_line(sq[filled[lo - 1]]):
        lo -= 1
    hi = at
    while hi + 1 < len(filled) and _label_line(sq[filled[hi + 1]]):
        hi += 1
    k = hi - lo + 1
    if k < 2:
        return None
    values = filled[hi + 1:hi + 1 + k]
    if len(values) < k or any("|" in sq[j].strip("|") or _lex().label_re.match(sq[j].strip("|")) for j in values):
        return ""
    return sq[values[at - lo]].strip("|")


# ---------------------------------------------------------------------------------------------
# Titles


@dataclass
class _Title:
    line: int
    seg: str  # the words before the title ending
    ending: str
    tail: str  # a few characters after the ending
    first: bool


def _titles(ctx: Context) -> list[_Title]:
    lex = _lex()
    sq = ctx.squashed
    n = min(len(sq), MAX_LINES)
    out: list[_Title] = []
    # a title ends on its line, or on one of the next three lines that opens with the ending
    hits = ctx.scan.with_match(lex.ending_re, n)
    listed = _related_listed(sq, lex, n) if hits else set()
    for i in sorted({j for h in hits for j in range(max(0, h - 3), h + 1)}):
        s = sq[i]
        if not s or i in listed:
            continue
        if ("»" in s or ">" in s) and len(_CRUMB.findall(s)) >= 2:
            continue  # a breadcrumb (首页 > 政务公开 > 预决算公开) names the site's sections
        prev = _previous(sq, i)
        meta = prev.strip("•-|").startswith(lex.meta_labels)
        if meta or s.startswith(lex.meta_labels) and not s.startswith("信息名称"):
            continue
        if any(s.startswith(k) and s[len(k):len(k) + 1] in (":", "：") and len(s) > len(k) + 4 for k in lex.nav_links):
            continue  # a link to the site's next or previous page ("下一篇:…自评表"), not this document
        for cell in [c for c in s.split("|") if c][:4]:
            t = lex.lead_noise_re.sub("", cell)
            m = lex.ending_re.search(t)
            if m is None and len(t) <= 30:
                nxt = next((sq[j] for j in range(i + 1, min(n, i + 4)) if sq[j].strip("|")), "")
                # the title's last line: its ending, perhaps after a qualifier ("财政重点" 绩效评价报告)
                nm = lex.ending_re.search(nxt, 0, 40)
                if nm and nm.start() <= 6 and not _SENTENCE_PUNCT.search(nxt[:nm.start()]) and len(nxt.strip("|")) <= nm.end() + 2:
                    t, m = t + nxt, lex.ending_re.search(t + nxt)
            if m is None or m.start() > 70:
                continue
            seg = t[: m.start()]
            if _SENTENCE_PUNCT.search(_QUOTED.sub("", seg)) or _has_any(seg, lex.not_in_title):
                continue
            tail = t[m.end(): m.end() + 16]
            # a notice about the report ("财政局关于公开…绩效评价报告的通知") names its issuer: the
            # report's own title, further down, is the first one
            notice = _NOTICE_TAIL.match(tail) is not None
            out.append(_Title(i + 1, seg, m.group(0), tail, not notice and not any(x.first for x in out)))
            break
    return out


def _related_listed(sq: list[str], lex, n: int) -> set[int]:
    """Lines of a site's list of other documents: after a heading such as 相关资源, up to a blank
    line (a "更多" link aside)."""
    out: set[int] = set()
    for i in range(n):
        if sq[i] in lex.related_lists:
            j = i + 1
            while j < len(sq) and sq[j]:
                out.add(j)
                j += 1
    return out


def _previous(sq: list[str], i: int) -> str:
    """The last non-empty line before line i, or ""."""
    for j in range(i - 1, -1, -1):
        if sq[j]:
            return sq[j]
    return ""


def _strip_year(s: str) -> tuple[str, list[int]]:
    years = []

    def take(m):
        years.append(int(m.group(1)))
        return ""

    s = _YEAR_LEAD.sub(take, s)
    s = _YEAR_TAIL.sub(take, s)
    return s, years


def _title_unit(lex: _Lex, seg: str) -> tuple[str | None, str]:
    """The unit a title opens with, and the rest of the title."""
    return _title_unit_of(seg)


@lru_cache(maxsize=16384)
def _title_unit_of(seg: str) -> tuple[str | None, str]:
    lex = _lex()
    seg, _ = _strip_year(seg)
    ends = lex.strong + tuple(lex.single)
    # a name followed by a project is taken only when no longer name is followed by the year or a
    # title word: "共青团XX区委员会2022年…项目" ends at 委员会, not at 区委 (whose rest "员会2022年…项目"
    # also ends in 项目)
    before_project = None
    for j in range(3, min(len(seg), 40) + 1):
        head = seg[:j]
        if not head.endswith(ends):
            continue
        end = next((e for e in ends if head.endswith(e)), None)
        if not _NAME_RUN.fullmatch(head):
            break
        rest = seg[j:]
        follows_title = rest == "" or _YEAR_AHEAD.match(rest) or rest.startswith(lex.after_unit)
        follows_project = bool(_PROJECT_END.search(rest)) and end not in lex.single
        if follows_title and _plausible(head):
            return head, rest
        if follows_project and before_project is None and _plausible(head):
            before_project = (head, rest)
    if before_project is not None:
        return before_project
    return None, seg


def _title_kind(lex: _Lex, text: str) -> str | None:
    if _has_any(text, lex.kind_dept):
        return "department_overall"
    if _has_any(text, lex.kind_project):
        return "project"
    return None


def _title_project(lex: _Lex, rest: str) -> str | None:
    return _title_project_of(rest)


@lru_cache(maxsize=16384)
def _title_project_of(rest: str) -> str | None:
    lex = _lex()
    name, _ = _strip_year(rest)
    if name.startswith("关于"):
        name = name[2:]
    changed = True
    while changed:
        changed = False
        for t in lex.name_tail:
            if name.endswith(t) and len(name) > len(t):
                name, changed = name[: -len(t)], True
    name, _ = _strip_year(name)
    if name.startswith("(") and name.endswith(")"):
        name = name[1:-1]
    core = name
    for w in lex.generic_words:
        core = core.replace(w, "")
    core = _YEAR_CHARS.sub("", core)
    if len(core) < 2 or _placeholder(name) or not _has_any(name, lex.kind_project):
        return None
    return name


# ---------------------------------------------------------------------------------------------
# The strategy


def read(ctx: Context) -> list[Candidate]:
    lex = _lex()
    out: list[Candidate] = []

    def add(field, value, raw, line, rank, note=None):
        out.append(Candidate(field, value, raw, line, STRATEGY, rank, note))

    fields = _labelled(ctx)
    titles = _titles(ctx)
    _units(ctx, lex, fields, titles, add)
    _years(ctx, lex, titles, add)
    title_kind = _kinds(ctx, lex, fields, titles, add)
    _projects(ctx, lex, fields, titles, title_kind, add)
    _modes(ctx, lex, fields, titles, add)
    _dates(ctx, fields, add)
    return _in_full(_not_the_publisher(out, lex))


def _not_the_publisher(cands: list[Candidate], lex) -> list[Candidate]:
    """A finance department that signs or heads an evaluation it commissioned is its publisher:
    when the text names an evaluated unit that is not a finance department (对XX(以下简称…)实施的…),
    the finance department's readings of the unit are dropped."""
    units = [c for c in cands if c.field == "unit_name"]
    evaluated = [c for c in units if c.note in ("评价对象简称", "评价对象") and not c.value.endswith(lex.finance)]
    if not evaluated or not any(c.value.endswith(lex.finance) for c in units):
        return cands
    return [c for c in cands if not (c.field == "unit_name" and c.value.endswith(lex.finance))]


def _fuller(full: str, short: str) -> bool:
    """Whether `full` is the unit `short` written in full: its place in front (吕梁市 + 离石区总工会),
    its ending in full (贺州市科协 → 贺州市科学技术协会), or both."""
    if full == short:
        return False
    names = [(short, "")] + [(short[: -len(p[0])] + p[1], p[2] if len(p) > 2 else "") for p in _lex().equivalent
                             if short.endswith(p[0])]
    return any(full == n or (full.endswith(n) and full.startswith(opens) and _PLACE_END.search(full[: -len(n)]) is not None)
               for n, opens in names)


def _in_full(cands: list[Candidate]) -> list[Candidate]:
    """Every reading of a unit's name that the text also writes in full, in that full form, when it
    writes one full form only: the readings then agree on it. So too a project's name written
    short in one title and in full in another (“两癌”救助项目 / “两癌”困难妇女救助项目: the short
    one's characters in order, same first and last)."""
    names = {c.value for c in cands if c.field == "unit_name"}
    projects = {c.value for c in cands if c.field == "project_name"}
    out = []
    for c in cands:
        if c.field == "unit_name":
            full = {n for n in names if _fuller(n, c.value)}
            if len(full) == 1:
                c = replace(c, value=full.pop())
        elif c.field == "project_name" and len(projects) > 1:
            full = {n for n in projects if n != c.value and _spelled_out(n, c.value)}
            if len(full) == 1:
                c = replace(c, value=full.pop())
        out.append(c)
    return out


def _spelled_out(full: str, short: str) -> bool:
    """Whether `full` writes `short` out: longer, the same first and last characters, and every
    character of `short` in it in order."""
    if len(full) <= len(short) or len(short) < 4 or full[0] != short[0] or full[-1] != short[-1]:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def _units(ctx, lex, fields, titles, add) -> None:
    tiers: dict[str, list[tuple[str, _Field]]] = {"implementer": [], "unit": [], "supervisor": []}
    for f in fields:
        if f.role in tiers:
            name = unit_name(f.value, cell=not f.interleaved)
            if name:
                tiers[f.role].append((name, f))
    best = next((t for t in ("implementer", "unit", "supervisor") if tiers[t]), None)
    if best is not None:
        # (a name also written in full, 吕亭镇政府 / 吕亭镇人民政府, is read in full: _in_full)
        rank = 2 if best == "supervisor" else 1
        if best == "supervisor":
            # a form with no 实施单位 whose own title names another unit (格尔木市疾病预防控制中心…
            # 自评表, 主管部门 市卫生健康委员会): the title names the unit, the 主管部门 supervises it
            first = next((t for t in titles if t.first), None)
            named = _title_unit(lex, first.seg)[0] if first is not None else None
            if named and all(named != n and not named.endswith(n) and not n.endswith(named) for n, _ in tiers["supervisor"]):
                rank = 3
        for name, f in tiers[best]:
            add("unit_name", name, f.value, f.line, rank, f"{f.label}")
    labelled = {n for tier in tiers.values() for n, _ in tier}
    for t in titles:
        name, _ = _title_unit(lex, t.seg)
        if name:
            # the same unit with its place in front in a form cell (title "北碚区侨联…", cell
            # "重庆市北碚区侨联"): one unit, written in full
            fuller = [n for n in labelled if len(n) > len(name) and n.endswith(name)
                      and _PLACE_END.search(n[: -len(name)])]
            if len(fuller) == 1:
                name = fuller[0]
            add("unit_name", name, t.seg + t.ending, t.line, 2 if t.first else 3, "标题")
    sq = ctx.squashed
    head = min(len(sq), HEAD_LINES)
    scan = ctx.scan
    # lines that may be a name alone, or hold a name followed by words that introduce it
    lines = set(scan.with_match(lex.alone_re, head))
    lines.update(scan.with_match(lex.prose_unit_hint, head))
    lines.update(scan.with_match(lex.referred_re, head))
    for i in sorted(lines):
        s = sq[i]
        if not s:
            continue
        meta = _previous(sq, i).strip("•-|").startswith(lex.meta_labels)
        line = s.strip("•-|")
        if not meta and len(line) <= 30:
            name = unit_name(line, whole=True)
            if name == line:
                nxt = next((sq[j] for j in range(i + 1, min(len(sq), i + 4)) if sq[j]), "")
                signed = _FULL_DATE_LINE.match(nxt)
                add("unit_name", name, line, i + 1, 2 if signed else 3, "署名" if signed else "单独一行")
                continue
        for m in lex.prose_unit_re.finditer(s):
            name = m.group("u")
            if _plausible(name, prose=True):
                add("unit_name", name, s[max(0, m.start() - 5): m.end() + 8], i + 1, 3, "正文")
        for m in lex.referred_re.finditer(s):
            name = m.group("u")
            if _plausible(name, prose=True):
                add("unit_name", name, s[max(0, m.start() - 5): m.end() + 8], i + 1, 3, "评价对象简称")
    for i in scan.with_match(lex.evaluated_re, MAX_LINES):
        for m in lex.evaluated_re.finditer(sq[i]):
            name = unit_name(m.group("n"), prose=True)
            if name and name != m.group("n"):
                add("unit_name", name, m.group(0), i + 1, 3, "评价对象")


def _years(ctx, lex, titles, add) -> None:
    sq = ctx.squashed
    n = min(len(sq), MAX_LINES)
    for i in sorted(set(ctx.scan.with_match(_YEAR_ONLY, n)) | set(ctx.scan.with_match(lex.year_label_re, n))):
        s = sq[i].strip("|")
        m = _YEAR_ONLY.fullmatch(s)
        if m:
            add("fiscal_year", int(m.group(1)), s, i + 1, 1, "表头年度")
            continue
        for m in lex.year_label_re.finditer(sq[i]):
            add("fiscal_year", int(m.group(1)), m.group(0), i + 1, 1, "年度栏")
    title_text: dict[int, str] = {}
    for t in titles:
        title_text.setdefault(t.line, t.seg + t.ending)
        text = t.seg + t.ending
        years = [(int(m.group(1)), bool(m.group(2))) for m in _YEAR_MENTION.finditer(text)]
        m = _YEAR_PAREN.match(t.tail)
        if m:
            years.append((int(m.group(1) or m.group(2)), True))
        if len({y for y, _ in years}) == 1:
            y, du = years[0][0], any(d for _, d in years)
            if _MIN_YEAR <= y <= _MAX_YEAR:
                add("fiscal_year", y, text, t.line, 2 if du else 3, "标题")
    # the body: "YYYY年度" followed by budget words, outside dates, document titles and numbers
    for i in ctx.scan.with_match(_NIANDU, n):
        if "年度" not in sq[i]:
            continue
        for m in lex.notice_year_re.finditer(sq[i]):
            add("fiscal_year", int(m.group(1)), m.group(0), i + 1, 4, "通知标题中的评价年度")
        s = sq[i].replace(title_text.get(i + 1, "\0"), "", 1)
        s = _BOOK_TITLE.sub("", s)
        dm = lex.date_label_re.search(s)
        if dm:
            s = s[: dm.start()]
        for m in _YEAR_DU.finditer(s):
            window = s[m.end(): m.end() + lex.body_window]
            y = int(m.group(1))
            if _MIN_YEAR <= y <= _MAX_YEAR and _has_any(window, lex.body_context):
                add("fiscal_year", y, s[m.start(): m.end() + lex.body_window], i + 1, 4, "正文年度")


def _kinds(ctx, lex, fields, titles, add) -> str | None:
    first_kind = None
    for t in titles:
        kind = _title_kind(lex, t.seg + t.ending)
        if kind:
            add("report_kind", kind, t.seg + t.ending, t.line, 2 if t.first else 3, "标题")
            if first_kind is None:
                first_kind = kind
    for f in fields:
        if f.role == "project" and not f.interleaved:
            if _project_value(f.value):
                add("report_kind", "project", f.value, f.line, 2, f.label)
                break
            if _has_any(f.value, lex.body_dept):
                add("report_kind", "department_overall", f.value, f.line, 2, f.label)
                break
    text = ctx.text if len(ctx.text) < 200_000 else ctx.text[:200_000]
    flat = "".join(text.split())
    d, p = _has_any(flat, lex.body_dept), _has_any(flat, lex.body_project)
    if d != p:
        add("report_kind", "department_overall" if d else "project", "", 1, 4, "正文用语")
    return first_kind


def _projects(ctx, lex, fields, titles, title_kind, add) -> None:
    for f in fields:
        if f.role == "project":
            v = _project_value(f.value)
            if v:
                add("project_name", v, f.value, f.line, 1, f.label)
    sq = ctx.squashed
    for t in titles:
        if _title_kind(lex, t.seg + t.ending) != "project" or t.ending in lex.no_name_endings:
            continue
        _, rest = _title_unit(lex, t.seg)
        name = _title_project(lex, rest)
        if name:
            add("project_name", name, t.seg + t.ending, t.line, 2 if t.first else 3, "标题")
        # "(XX项目)" on the line under the title
        for j in range(t.line, min(len(sq), t.line + 3)):
            m = _PROJECT_IN_PARENS.fullmatch(sq[j])
            if m and not _placeholder(m.group(1)):
                add("project_name", m.group(1), sq[j], j + 1, 2, "标题下括号")
                break
    if title_kind == "department_overall":
        return
    n = min(len(sq), MAX_LINES)
    scan = ctx.scan
    for i in sorted(set(scan.with_match(lex.evaluated_re, n)) | set(scan.with_match(lex.body_name_re, n))
                    | set(scan.with_match(lex.fund_re, n))):
        s = sq[i]
        for m in lex.evaluated_re.finditer(s):
            name = _body_name(lex, m.group("n"))
            if name:
                add("project_name", name, m.group(0), i + 1, 3, "评价对象")
        for m in lex.body_name_re.finditer(s):
            name = _body_name(lex, m.group("n"))
            if name:
                add("project_name", name, m.group(0), i + 1, 4, "正文项目")
        for m in lex.fund_re.finditer(s):
            name = _body_name(lex, m.group("n"))
            if name:
                add("project_name", name, m.group(0), i + 1, 4, "下达资金")


def _body_name(lex, name: str) -> str | None:
    name = _YEAR_PREFIX.sub("", name)
    if name.startswith(lex.bad_start) or name.startswith(lex.prose_bad_start):
        return None
    return _title_project(lex, name)


_FIRM_FORM = re.compile(r"\((?:特殊)?(?:普通|有限)?合伙\)$")  # 会计师事务所(特殊普通合伙)


def _mode_of(lex, value: str) -> str | None:
    if _has_any(value, lex.third_words) or _FIRM_FORM.sub("", value).endswith(lex.firm_end):
        return "third_party"
    if _has_any(value, lex.self_words):
        return "self"
    return None


def _ticked(lex, value: str) -> str:
    """The ticked option of a checkbox list ("中介机构□部门(单位)考评组☑财政考评组□")."""
    marks = lex.ticked + lex.unticked
    if not _has_any(value, marks):
        return value
    parts = re.split("(" + _alt(marks) + ")", value)
    for k in range(1, len(parts), 2):
        if parts[k] in lex.ticked and parts[k - 1]:
            return parts[k - 1]
    return ""


# an evaluator's value is a name: not a bracket, a quote or a sentence going on ("”)对…实施的",
# "依据《…》", "按照…设置"), which a label inside running text is followed by
_NAMELIKE = re.compile(r"^(?![对依按根采于在从经将由通及并和与])[\u4e00-\u9fffA-Za-z]")


@lru_cache(maxsize=1)
def _alias_re(firm_end: tuple) -> re.Pattern:
    ends = "|".join(re.escape(e) for e in sorted(firm_end, key=len, reverse=True))
    return fastre.compile(rf"(?:委托|聘请|由)(?P<n>[\u4e00-\u9fff()（）]{{2,36}}?(?:{ends}))[(（]以下简称[“\"']?(?:评价机构|评价组|第三方|评价单位)")


def _modes(ctx, lex, fields, titles, add) -> None:
    for f in fields:
        if f.role == "mode":
            mode = _mode_of(lex, _ticked(lex, f.value))
            if mode:
                add("evaluation_mode", mode, f.value, f.line, 1, f.label)
        elif f.role == "evaluator":
            v = _clean_value(lex, _ticked(lex, f.value))
            v = _YEAR_MONTH_PREFIX.sub("", v)
            v = re.split(r"[,。;\d]|[〇零一二三四五六七八九]{2,}年", v)[0]
            if 2 <= len(v) <= 40 and not _placeholder(v) and _NAMELIKE.match(v):
                add("evaluator", v, f.value, f.line, 1, f.label)
                mode = _mode_of(lex, v)
                if mode:
                    add("evaluation_mode", mode, f.value, f.line, 1, f.label)
    for t in titles:
        text = t.seg + t.ending
        if _has_any(text, lex.self_words) and not _placeholder(text):
            add("evaluation_mode", "self", text, t.line, 2, "标题")
    sq = ctx.squashed
    # a firm named and then called the evaluator ("委托XX会计师事务所有限公司(以下简称“评价机构”)")
    alias = _alias_re(lex.firm_end)
    for i in ctx.scan.with_match(alias, min(len(sq), MAX_LINES)):
        for m in alias.finditer(sq[i]):
            add("evaluator", m.group("n"), m.group(0), i + 1, 1, "以下简称评价机构")
            add("evaluation_mode", "third_party", m.group(0), i + 1, 1, "以下简称评价机构")
    # a firm's name standing alone under the title of a report (the cover of a third-party report)
    for t in titles[:2]:
        for j in range(t.line, min(len(sq), t.line + 6)):
            line = sq[j]
            if 4 <= len(line) <= 30 and _FIRM_FORM.sub("", line).endswith(lex.firm_end) and _NAME_RUN.fullmatch(_FIRM_FORM.sub("", line)):
                add("evaluator", line, line, j + 1, 2, "封面机构")
                add("evaluation_mode", "third_party", line, j + 1, 2, "封面机构")
                break
    n = min(len(sq), MAX_LINES)
    for i in sorted(set(ctx.scan.with_match(lex.third_re, n)) | set(ctx.scan.with_match(lex.self_re, n))):
        s = sq[i]
        for m in lex.third_re.finditer(s):
            sentence = s[max(0, m.start() - 40): m.end() + 40]
            if not _has_any(sentence, lex.assist):
                add("evaluation_mode", "third_party", m.group(0), i + 1, 3, "正文")
        m = lex.self_re.search(s)
        if m:
            add("evaluation_mode", "self", m.group(0), i + 1, 3, "正文")


def _month(value: str) -> str | None:
    m = _YEAR_MONTH.search(value)
    if m and 1 <= int(m.group(2)) <= 12 and _MIN_YEAR <= int(m.group(1)) <= _MAX_YEAR:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    return None


def _dates(ctx, fields, add) -> None:
    for f in fields:
        if f.role == "report_date":
            month = _month(f.value)
            if month:
                add("report_date", month, f.value, f.line, 1 if f.label == "报告日期" else 2, f.label)
    sq = ctx.squashed
    for i in ctx.scan.with_match(_FULL_DATE):
        if i == 0:
            continue
        m = _FULL_DATE.fullmatch(sq[i])
        if m:
            prev = next((sq[j] for j in range(i - 1, max(-1, i - 3), -1) if sq[j]), "")
            if prev and unit_name(prev, whole=True) == prev:
                add("report_date", _month(sq[i]), sq[i], i + 1, 2, "署名日期")
