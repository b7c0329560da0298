"""Document kinds: is this text an evaluation, or a page that only looks like one?

A crawler that looks for evaluation reports also returns 决算 and 预算 disclosures, project
disclosures, scoring rubrics, blank forms and tables of contents. The kind is decided from the
document's title and headings (the first lines) and its structure, weighed against evidence that
a unit was actually scored:

    scores given (a total, scored indicator rows, '自评得分95分', '评价等次:优') → evaluation
    a 决算 title or ≥ 3 决算 table/section names, no evaluation title before → final_accounts
    the same for 预算                                                         → budget_disclosure
    placeholder names (XX单位, ××项目), a form title (填报说明, 模板), or a
      form title (…自评表) with no unit and not one figure filled in          → template
    a rubric title (评价指标体系, 考核评分表) with criteria (评分标准, 扣完为止) → rubric
    a project-disclosure title (项目公开, 绩效目标表) and no evaluation words   → project_disclosure
    a 目录 followed by headings only                                          → toc
    a title saying the page is about evaluations but not one (…结果的通报,
      …整改情况的报告, …审计报告, …工作质量考核表), whatever scores it quotes → notice,
      rectification, audit, appraisal
    anything else                                                            → evaluation

The vocabulary is in loaders/lexicon/documents.toml (tables kind_*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from loaders import fastre
from loaders import lexicon
from loaders.extract.base import Context
from loaders.records import DOCUMENT_KINDS

HEAD_LINES = 200  # titles, headings and TOCs are looked for in the first lines only
TITLE_LINES = 60  # non-empty lines that may hold the title
TITLE_MAX = 60  # a title line is short (squashed characters)
DISCLOSURE_TITLE_LINES = 25  # a 决算/预算 page names itself in its first lines
OWN_TITLE_LINES = 15  # so do rubrics, forms and project disclosures
BODY_CHARS = 40_000


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Rx:
    eval_title: re.Pattern
    score: re.Pattern
    grade: re.Pattern
    eval_words: re.Pattern
    fa_title: re.Pattern
    fa_title_flat: re.Pattern
    fa_sections: tuple[str, ...]
    bd_title: re.Pattern
    bd_title_flat: re.Pattern
    bd_sections: tuple[str, ...]
    pd_title: re.Pattern
    pd_title_end: re.Pattern
    ex_ante_title: re.Pattern
    placeholder_generic: re.Pattern
    placeholder_region: re.Pattern
    template_title: re.Pattern
    form_title: re.Pattern
    rubric_title: re.Pattern
    rubric_criteria: re.Pattern
    toc_title: frozenset
    genres: tuple[tuple[str, re.Pattern, tuple[str, ...]], ...]  # (kind, title ending, words before it)


GENERIC_NOUNS = ("单位", "项目", "部门", "专项", "资金", "工程", "公司", "学校", "医院", "中心")


@lru_cache(maxsize=1)
def _rx() -> _Rx:
    lex = lexicon.load("documents")
    ev, fa, bd = lex["kind_evaluation"], lex["kind_final_accounts"], lex["kind_budget_disclosure"]
    tp, rb = lex["kind_template"], lex["kind_rubric"]

    def title_pair(t):
        core = f"(?:{_alt(t['title_before'])})(?:{_alt(t['title_core'])})(?:{_alt(t['title_after'])})?"
        # a whole (short) title line ends with the name; in a flattened line the TOC follows it
        return fastre.compile(core + "$"), fastre.compile(core + "(?=[(（【\\[]?(?:目录|目次|第一部分|公开时间|公开日期))")

    fa_t, fa_f = title_pair(fa)
    bd_t, bd_f = title_pair(bd)
    ph = _alt(tp["placeholders"])
    generic = [n for n in tp["named"] if n in GENERIC_NOUNS]
    region = [n for n in tp["named"] if n not in GENERIC_NOUNS]
    return _Rx(
        eval_title=fastre.compile(_alt(ev["title"])),
        score=fastre.compile(rf"(?:{_alt(ev['score_phrases'])})[::]?(?:为|是)?[::]?(\d{{1,3}}(?:\.\d+)?)(?![\d.%])"),
        grade=fastre.compile(
            rf"(?:{_alt(ev['grade_phrases'])})[::]?(?:为|是)?[“\"']?(?:{_alt(ev['grades'])})(?![((\d~\-、,,和及与/:：])"
        ),
        eval_words=fastre.compile(_alt(ev["words"])),
        fa_title=fa_t,
        fa_title_flat=fa_f,
        fa_sections=tuple(fa["sections"]),
        bd_title=bd_t,
        bd_title_flat=bd_f,
        bd_sections=tuple(bd["sections"]),
        pd_title=fastre.compile(_alt(lex["kind_project_disclosure"]["title"])),
        pd_title_end=fastre.compile("(?:" + _alt(lex["kind_project_disclosure"]["title_ends"]) + ")$"),
        ex_ante_title=fastre.compile(_alt(lex["kind_project_disclosure"]["ex_ante"])),
        placeholder_generic=fastre.compile(rf"(?:{ph})(?:{_alt(generic)})"),
        placeholder_region=fastre.compile(rf"(?:{ph})(?:{_alt(region)})"),
        template_title=fastre.compile(f"(?:{_alt(tp['title'])})$"),
        form_title=fastre.compile(_alt(tp["forms"])),
        rubric_title=fastre.compile(_alt(rb["title"])),
        rubric_criteria=fastre.compile(_alt(rb["criteria"])),
        toc_title=frozenset(lex["kind_toc"]["title"]),
        genres=tuple(
            (kind, fastre.compile(f"(?:{_alt(rule['ends'])})$"), tuple(rule.get("before_end", ())))
            for kind, rules in lex["kind_genres"].items()
            for rule in rules
        ),
    )


_FILE_TAIL = fastre.compile(r"(?:[._\-]?\d{6,})?\.(?:pdf|docx?|xlsx?|wps|txt|html?|et)$", re.I)
_TRIM_TAIL = fastre.compile(r"[\s()\[\]【】<>《》\"“”'、,。.:;_\-—|·•]+$")
_TRIM_HEAD = fastre.compile(r"^(?:[\s\-•·|\"“”'《]+|附件\d*[::]?|\d+[、.])+")
_TOC_ENTRY = fastre.compile(
    r"^(?:第[一二三四五六七八九十\d]+(?:部分|章|节)|[一二三四五六七八九十]+[、.]|[((][一二三四五六七八九十\d]+[))]"
    r"|\d+(?:\.\d+)*[、.]?|附件|附表|表\d)"
)
_PAGE_NO = fastre.compile(r"(?:\.{2,}|…+|PAGEREF\S*|\s)\s*\d{1,3}$")


@lru_cache(maxsize=65536)
def _clean_title(s: str, label_colon: bool = True) -> str:
    """A line as a title: after the last label colon (of a short line), without file extensions
    and stray marks."""
    if label_colon and len(s) <= TITLE_MAX + 20 and ":" in s:
        tail = re.split(r"[::]", s)[-1]
        if len(tail) >= 4:
            s = tail
    s = _FILE_TAIL.sub("", s)
    s = re.sub(r"\d{6,}$", "", s)
    s = _TRIM_TAIL.sub("", s)
    s = _TRIM_HEAD.sub("", s)
    return s


@dataclass
class _Head:
    """The title-bearing lines: (line index, cleaned squashed text, is a short title line)."""

    lines: list[tuple[int, str, bool]]


def _head(ctx: Context) -> _Head:
    out = []
    for i, (raw, sq) in enumerate(zip(ctx.lines[:HEAD_LINES], ctx.squashed[:HEAD_LINES])):
        if not sq or ">" in sq or "»" in sq:  # breadcrumbs name the site section, not the page
            continue
        # a table row, a CSV row or a sentence is not a title
        tableish = sq.count("|") >= 2 or '","' in sq or len(raw.split()) > 4
        t = _clean_title(sq[:150], label_colon=not tableish)
        sentence = any(c in t for c in ",。;!?")
        out.append((i, t, len(t) <= TITLE_MAX and not tableish and not sentence))
        if len(out) >= TITLE_LINES:
            break
    return _Head(out)


_YEAR = fastre.compile(r"(?:19|20)(?:\d\d|[xX×]{2})年?|年度")
_PARTS = fastre.compile(r"[-_—|]+")


def _disclosure_title(head: _Head, title: re.Pattern, flat: re.Pattern) -> tuple[int, int] | None:
    """(line, position) of a 决算/预算 title near the top, naming a year on its line or the line
    before ('2022年度部门决算', '…总工会2019年决算公开', '2018年度…办公室' / '部门决算公开说明').
    A page title may carry the site's name after a dash ('…部门决算-青山县人民政府')."""
    prev = ""
    for i, t, short in head.lines[:DISCLOSURE_TITLE_LINES]:
        dated = _YEAR.search(t) or _YEAR.search(prev)
        prev = t
        if not dated:
            continue
        if short:
            for part in _PARTS.split(t):
                if part and title.search(part):
                    return i, t.find(part)
        m = flat.search(t[:150])
        if m:
            return i, m.start()
    return None


def _own_title(head: _Head, title: re.Pattern) -> int | None:
    for i, t, short in head.lines[:OWN_TITLE_LINES]:
        if short and title.search(t):
            return i
    return None


GENRE_TITLE_MIN = 10  # a shorter line ending with 通报 is a menu item (工作通报), not a title
_TRAILING_PAREN = fastre.compile(r"\([^()]{1,40}\)?$")  # its ")" may be trimmed already


def _genre(head: _Head, rx: _Rx, eval_at: tuple[int, int] | None) -> str | None:
    """The kind a page's own title gives it when it is about evaluations without being one (a
    results bulletin, a rectification or audit report, an appraisal of evaluation work:
    documents.toml [kind_genres]); None when an evaluation title stands on an earlier line."""
    for i, t, short in head.lines[:OWN_TITLE_LINES]:
        if eval_at is not None and eval_at[0] < i:
            return None
        if not short or len(t) < GENRE_TITLE_MIN:
            continue
        t = _TRAILING_PAREN.sub("", t)  # 工作质量考核表(2022年职工疗休养服务项目)
        for kind, ending, before in rx.genres:
            m = ending.search(t)
            if m and (not before or any(w in t[:m.start()] for w in before)):
                return kind
    return None


def _eval_title_line(head: _Head, rx: _Rx) -> tuple[int, int] | None:
    """(line, position) of an evaluation title: a title line, or the opening of a flattened text."""
    for i, t, short in head.lines:
        if len(t) < 8:  # short menu items ('绩效自评') are site navigation, not a title
            continue
        m = rx.eval_title.search(t[:80])
        if m and (short or m.start() <= 40):
            return i, m.start()
    return None


def _scored(body: str, ev, rx: _Rx) -> bool:
    """A unit was actually scored: a total, scored indicator rows, or a stated score."""
    if ev is not None:
        if getattr(ev, "total_score", None) is not None:
            return True
        rows = [r for r in getattr(ev, "indicators", None) or [] if r.score is not None or r.actual_raw]
        if len(rows) >= 2:
            return True
    for m in rx.score.finditer(body):
        if 0 < float(m.group(1)) <= 100:
            return True
    return rx.grade.search(body) is not None


_FILLED = fastre.compile(r"\d%|\d\.\d")
_BOILERPLATE = fastre.compile(r"KB|MB|页|金币|积分|资源ID|下载|上传|浏览|阅读|发布|日期|时间")


def _blank_form(ctx: Context, head: _Head, rx: _Rx) -> bool:
    """A form's title (…绩效自评表) followed by its labels only: no amount with decimals and no
    percentage anywhere (site lines about file size and downloads aside)."""
    at = None
    for i, t, short in head.lines[:OWN_TITLE_LINES]:
        m = rx.form_title.search(t if short else t[:80])
        if m and (short or m.start() <= 40):
            at = i
            break
    if at is None:
        return False

    def kept(s):
        return s.strip() and not (len(s) <= 80 and _BOILERPLATE.search(s))

    after = [s for s in ctx.lines[at + 1:HEAD_LINES] if kept(s)]
    if sum(len("".join(s.split())) for s in after) < 20:  # nothing after the title: cannot tell
        return False
    return not any(_FILLED.search(s) for s in ctx.lines[:HEAD_LINES] if kept(s))


def _sections(body: str, names: tuple[str, ...]) -> int:
    return sum(1 for n in names if n in body)


def _is_toc(ctx: Context, rx: _Rx, eval_at: tuple[int, int] | None) -> bool:
    """A 目录 followed by headings only. The TOC of a titled evaluation report stays an evaluation
    (the page was cut after its contents; its title still names the unit and the year)."""
    sq = ctx.squashed[:HEAD_LINES]
    start = next((i for i, s in enumerate(sq) if s in rx.toc_title), None)
    if start is None or (eval_at is not None and eval_at[0] < start):
        return False
    entries = [s for s in sq[start + 1:] if s]
    if len(entries) < 3:
        return False
    if any(len(s) > 60 for s in entries):
        return False
    headings = sum(1 for s in entries if _TOC_ENTRY.match(s) or _PAGE_NO.search(s) or len(s) <= 20)
    return headings >= 0.8 * len(entries)


def _titled_disclosure(head: _Head, rx: _Rx, eval_at: tuple[int, int] | None) -> bool:
    """The page is titled as a 决算 or 预算公开 page, before any evaluation title."""
    for title, flat in ((rx.fa_title, rx.fa_title_flat), (rx.bd_title, rx.bd_title_flat)):
        at = _disclosure_title(head, title, flat)
        if at is not None and (eval_at is None or eval_at > at):
            return True
    return False


def classify(ctx: Context, fields, ev) -> str:
    rx = _rx()
    head = _head(ctx)
    body = "".join(ctx.squashed[:HEAD_LINES])[:BODY_CHARS]
    eval_at = _eval_title_line(head, rx)
    ex_ante = _own_title(head, rx.ex_ante_title)
    if ex_ante is not None and (eval_at is None or eval_at[0] > ex_ante):
        return "project_disclosure"  # an ex-ante assessment, before any evaluation title
    genre = _genre(head, rx, eval_at)
    if genre is not None:
        return genre  # a bulletin or a rectification report quotes scores it did not give
    if _scored(body, ev, rx) and not _titled_disclosure(head, rx, eval_at):
        # (a 决算 or 预算公开 page under its own title stays one when its 预算绩效管理情况
        # section states a project's self-evaluation score)
        return "evaluation"

    def disclosure(title, flat, sections) -> tuple[int, int] | None:
        """Where the disclosure's title is (or (10**6, 0) when only its structure says so);
        None when an evaluation title comes first."""
        at = _disclosure_title(head, title, flat)
        if at is not None and (eval_at is None or eval_at > at):
            return at
        if at is None and eval_at is None and _sections(body, sections) >= 3:
            return 10**6, 0
        return None

    fa = disclosure(rx.fa_title, rx.fa_title_flat, rx.fa_sections)
    bd = disclosure(rx.bd_title, rx.bd_title_flat, rx.bd_sections)
    if fa is not None or bd is not None:
        if bd is None or (fa is not None and fa <= bd):
            return "final_accounts"
        return "budget_disclosure"

    unit_named = bool(ev is not None and getattr(getattr(ev, "unit", None), "name", None))
    for _i, t, _short in head.lines:
        if rx.placeholder_generic.search(t) or (not unit_named and rx.placeholder_region.search(t)):
            return "template"
    if _own_title(head, rx.template_title) is not None:
        return "template"
    if not unit_named and _blank_form(ctx, head, rx):
        return "template"

    at = _own_title(head, rx.rubric_title)
    if at is not None and (eval_at is None or eval_at[0] > at) and rx.rubric_criteria.search(body):
        return "rubric"

    if _own_title(head, rx.pd_title) is not None and not rx.eval_words.search(body):
        return "project_disclosure"
    pd_at = _own_title(head, rx.pd_title_end)
    if pd_at is not None and (eval_at is None or eval_at[0] > pd_at) and not _scored(body, ev, rx):
        # titled as a project's targets ("…项目绩效目标"), no evaluation title before, nothing
        # scored (its text may say the targets will be the basis of a later 自评)
        return "project_disclosure"

    if _is_toc(ctx, rx, eval_at):
        return "toc"
    stated = fields.get("document_kind") if fields else None
    if stated is not None and stated.value in DOCUMENT_KINDS:
        return stated.value
    return "evaluation"
