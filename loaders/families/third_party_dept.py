"""Third-party department-wide evaluation reports (部门整体支出绩效评价报告), Jiangxi template.

A consulting firm evaluates a whole department for the finance bureau, following
赣财绩〔2022〕9号 (决策 / 管理 / 产出 / 效益). The report holds, in this order:
a cover (unit, year, evaluator, date), narrative sections with budget, procurement, 三公 and
asset figures, a methodology table 部门整体支出绩效评价指标体系 (一级/二级/三级/评分标准),
a score summary table 得分一览表 (二级指标 / 权重 / 得分 / 得分率), one narrative paragraph per
level-3 indicator ("（1）中长期规划明确性（2分）… 该项指标得100%权重分2.00分"), section 五 with
problems and recommendations, and often an appendix score table that PDF conversion has shuffled.

Extraction reads labels and structure, never fixed line numbers: tables are read as a stream of
cells (tab rows, '|' rows and one-cell-per-line layouts give the same stream), and sentences are
read from the flowing text, so a figure split over a page break is still found. The appendix
table is only used to cross-check the methodology table and the narrative.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from loaders.normalize import NUM, UNITS, clean, dec, dimension_of, parse_value, value_meets
from loaders.layout import unread_rows
from loaders.read import Document, normalize_text
from loaders.records import Evaluation, Finding, Indicator, Satisfaction
from loaders.regions import resolve_unit

NAME = "third_party_dept"

WAN = Decimal(10_000)
CENT = Decimal("0.01")

# ---------------------------------------------------------------------------------------------
# Text access
# ---------------------------------------------------------------------------------------------

_TAG_RE = re.compile(r"</?p>")


def _plain(line: str) -> str:
    """Matching form of one line: inline LaTeX ($\\geq 95\\%$, \\text{…}) and bold marks removed."""
    if "\\" in line:  # no backslash: no LaTeX to undo
        s = line.replace("\\%", "%").replace("\\％", "％").replace("\\times", "×").replace("\\geq", "≥").replace("\\leq", "≤")
        s = _LATEX_TEXT_RE.sub(r"\1", s)
    else:
        s = line
    return s.replace("$", "").replace("**", "")


_LATEX_TEXT_RE = re.compile(r"\\text\{([^}]*)\}")


_CIRCLED_RE = re.compile(r"([\u2460-\u2473])")


def _matching_form(line: str) -> str:
    """NFKC like Document.norm, except that circled numbers (①②③ list markers) stay as they are:
    NFKC turns them into digits, which would read as quantities ("①对外投资" -> "1对")."""
    if not _CIRCLED_RE.search(line):
        return normalize_text(line)  # what the split and join below give for a line without one
    return "".join(p if _CIRCLED_RE.fullmatch(p) else normalize_text(p) for p in _CIRCLED_RE.split(line))


_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_CJK_SPACE_RE = re.compile(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+")


def _tidy(s: str) -> str:
    """Display text without the spaces PDF extraction leaves around Chinese characters
    ("得 100%权重分 2.00 分" -> "得100%权重分2.00分"), so the same report reads the same in any format."""
    return _CJK_SPACE_RE.sub("", s).strip()


def _compact(s: str) -> str:
    """Text without tags and whitespace, for comparing the same sentence across layouts."""
    # str.split() splits on exactly the characters \s matches.
    return "".join((_TAG_RE.sub("", s) if "<" in s else s).split())


@dataclass(frozen=True, slots=True)  # slots: a report makes thousands; they are built faster
class _Cell:
    text: str  # matching form
    line: int
    orig: str = ""  # as printed (full-width punctuation kept), for display
    key: str = ""  # without whitespace, for comparing the same text across tables


class _Text:
    """The document as matching-form lines, one flowing string, and a stream of table cells."""

    def __init__(self, doc: Document) -> None:
        # A line without a circled number has doc.norm's matching form already.
        norm = doc.norm
        self.lines = [_plain(norm[i] if not _CIRCLED_RE.search(x) else _matching_form(x)) for i, x in enumerate(doc.lines)]
        self.orig = [_plain(x) for x in doc.lines]
        self.flow = "\n".join(self.lines)
        self._starts = []
        pos = 0
        for line in self.lines:
            self._starts.append(pos)
            pos += len(line) + 1
        cells: list[_Cell] = []
        # Same cells as splitting on r"\t|\|" and folding r"\s+" with re (str.split() splits on
        # exactly the characters \s matches), without the regex calls on every line and cell.
        for i, line in enumerate(self.lines, start=1):
            parts = line.replace("|", "\t").split("\t")
            shown = self.orig[i - 1].replace("|", "\t").split("\t")
            if len(shown) != len(parts):  # a full-width bar became a separator: show matching form
                shown = parts
            for part, orig in zip(parts, shown):
                t = (_TAG_RE.sub(" ", part) if "<" in part else part).strip()
                if t:
                    words = t.split()
                    o = " ".join((_TAG_RE.sub(" ", orig) if "<" in orig else orig).split())
                    cells.append(_Cell(" ".join(words), i, o, "".join(words)))
        self.cells = cells

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line(self, n: int) -> str:
        return self.lines[n - 1] if 0 < n <= len(self.lines) else ""

    def shown(self, n: int) -> str:
        return self.orig[n - 1].strip() if 0 < n <= len(self.orig) else ""


def _q2(d: Decimal) -> Decimal:
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt(d: Decimal | None) -> str:
    """A stated number as a reader would write it: exact digits, no meaningless zeros."""
    if d is None:
        return "—"
    c = clean(d)
    return format(c, "f")


def _money(d: Decimal) -> str:
    return f"{d:,.2f}"


_VALUE_CELL_RE = re.compile(rf"^(?:-?{NUM}\s*%?|——|—|-|/)$")


def _is_value_cell(text: str) -> bool:
    return bool(_VALUE_CELL_RE.match(text.strip()))


def _cell_number(text: str) -> Decimal | None:
    t = text.strip().rstrip("%").strip()
    return dec(t) if _SIGNED_NUM_RE.fullmatch(t) else None


_SIGNED_NUM_RE = re.compile(rf"-?{NUM}")


# ---------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------

_TITLE_RE = re.compile(r"(?P<year>20\d\d)\s*年度?\s*部门整体支出绩效评价报告")
_SCORE_PHRASE_RE = re.compile(rf"得\s*{NUM}\s*%\s*权重分?")
_COMPANY_RE = re.compile(r"^[\u4e00-\u9fff()]{4,40}(?:有限责任公司|有限公司|事务所|咨询中心|研究院)$")


def _has_summary_header(texts: list[str]) -> bool:
    for i in range(len(texts) - 2):
        if texts[i] == "权重" and texts[i + 1] == "得分" and texts[i + 2] == "得分率":
            return True
    return any("得分一览表" in c for c in texts)


def _cell_texts(doc: Document) -> list[str]:
    """[c.text for c in doc.cells], without building the Cell objects."""
    out = []
    for line in doc.norm:
        if "\t" in line or "|" in line:
            out += [t for t in (p.strip() for p in line.replace("|", "\t").split("\t")) if t]
        else:
            t = line.strip()
            if t:
                out.append(t)
    return out


def detect(doc: Document) -> float:
    """Structure, not wording of one file: the report title, a 权重/得分/得分率 summary table,
    narrative scores written as "得N%权重分", and an outside evaluator (a firm or a 评价组)."""
    lines = doc.norm
    head = "\n".join(lines[:60])
    score = 0.0
    if _TITLE_RE.search(head) and "自评" not in head:
        score += 0.3
    # Both tests of _has_summary_header need "得分率" or "得分一览表" in the text: the cells
    # are built only when it is there.
    if ("得分率" in doc.text or "得分一览表" in doc.text) and _has_summary_header(_cell_texts(doc)):
        score += 0.3
    if len(_SCORE_PHRASE_RE.findall(doc.text)) >= 5:
        score += 0.2
    if _evaluator(lines)[0] or "评价组" in doc.text:
        score += 0.2
    return min(score, 1.0)


# ---------------------------------------------------------------------------------------------
# Cover
# ---------------------------------------------------------------------------------------------


_TOC_RE = re.compile(r"目\s*录")
_SECTION_RE = re.compile(r"^[一二三四五六七八九十]+、")


def _cover_end(lines: list[str]) -> int:
    """Number of lines that make up the cover: up to the table of contents or the first section."""
    for i, line in enumerate(lines[:80]):
        s = line.strip()
        if _TOC_RE.fullmatch(s) or _SECTION_RE.match(s):
            return i
    return min(len(lines), 20)


def _title(t: _Text) -> tuple[str | None, int | None, int | None]:
    """(unit name, its line, fiscal year) from the cover title."""
    for i, line in enumerate(t.lines[:80], start=1):
        m = _TITLE_RE.search(line)
        if not m:
            continue
        year = int(m.group("year"))
        before = line[: m.start()].strip()
        if before:
            return before, i, year
        for j in range(i - 1, 0, -1):
            prev = t.line(j).strip()
            if prev:
                if len(prev) <= 40 and not re.search(r"\d", prev):
                    return prev, j, year
                break
        return None, None, year
    return None, None, None


def _evaluator(lines: list[str]) -> tuple[str | None, int | None]:
    for i in range(_cover_end(lines)):
        s = lines[i].strip()
        if _COMPANY_RE.match(s):
            return s, i + 1
    return None, None


def _report_date(t: _Text) -> str | None:
    for i in range(_cover_end(t.lines)):
        m = re.fullmatch(r"\s*(20\d\d)\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?\s*", t.lines[i])
        if m:
            return f"{m.group(1)}-{int(m.group(2)):02d}"
    return None


def _framework(t: _Text) -> str | None:
    m = re.search(r"赣财绩〔(\d{4})〕\d+号", t.flow)
    if m:
        return f"jiangxi_dept_overall_{m.group(1)}"
    return None


# ---------------------------------------------------------------------------------------------
# Score summary table (得分一览表)
# ---------------------------------------------------------------------------------------------

_WEIGHT_LABEL_RE = re.compile(rf"^(?P<name>.+?)\s*[(]\s*(?P<w>{NUM})\s*分?\s*[)]?$")


@dataclass
class _SummaryRow:
    level1: str | None
    level1_weight: Decimal | None
    level1_line: int | None
    name: str
    line: int
    values: list[str] = field(default_factory=list)

    def value(self, i: int) -> str | None:
        return self.values[i] if i < len(self.values) else None


@dataclass
class _Summary:
    rows: list[_SummaryRow]
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    total_line: int | None = None


def _summary(t: _Text) -> _Summary | None:
    cells = t.cells
    start = None
    for i in range(len(cells) - 2):
        if cells[i].text == "权重" and cells[i + 1].text == "得分" and cells[i + 2].text == "得分率":
            start = i + 3
            break
    if start is None:
        return None
    rows: list[_SummaryRow] = []
    l1 = l1w = l1line = None
    out = _Summary(rows)
    i = start
    while i < len(cells):
        c = cells[i]
        text = c.text
        if text.startswith("合计"):
            vals = [x.text for x in cells[i + 1 : i + 4] if _is_value_cell(x.text)]
            rest = text[2:].strip()
            if rest:
                vals = rest.split() + vals
            out.total_weight = _cell_number(vals[0]) if vals else None
            out.total_score = _cell_number(vals[1]) if len(vals) > 1 else None
            out.total_line = c.line
            break
        if _is_value_cell(text):
            if rows:
                rows[-1].values.append(text)
        elif len(text) > 30 or re.match(r"^[(][一二三四五六七八九十]+[)]|^[一二三四五六七八九十]+、", text):
            break  # the table has ended without a 合计 row
        else:
            m = _WEIGHT_LABEL_RE.match(text)
            if m:
                l1, l1w, l1line = m.group("name").strip(), dec(m.group("w")), c.line
            else:
                rows.append(_SummaryRow(l1, l1w, l1line, text, c.line))
        i += 1
    return out


# ---------------------------------------------------------------------------------------------
# Narrative per indicator (section 四) and findings (section 五)
# ---------------------------------------------------------------------------------------------

_TOP_RE = re.compile(r"^\s*([一二三四五六七八九十]+)\s*、\s*(?P<name>\S.*?)\s*$")
_L1_RE = re.compile(r"^\s*[(]\s*([一二三四五六七八九十]+)\s*[)]\s*(?P<name>\S.*?)\s*$")
_L2_RE = re.compile(
    rf"^\s*(\d{{1,2}})\s*[.、]\s*(?P<name>[^\d\s][^。,;:\t]{{1,30}}?)\s*"
    rf"(?:[(]\s*(?P<w>{NUM})\s*(?P<u>分|份)?\s*[)]?)?\s*$"
)
_L3_RE = re.compile(
    rf"^\s*[(]\s*(\d{{1,2}})\s*[)]\s*(?P<name>[^。;\t]{{2,40}}?)\s*[(]\s*(?P<w>{NUM})\s*(?P<u>分|份)\s*[)]\s*$"
)
_SCORE_PCT_RE = re.compile(rf"得\s*(?P<pct>{NUM})\s*%\s*(?:的)?\s*权重分?\s*(?:得)?\s*(?P<score>{NUM})\s*分")
_SCORE_PLAIN_RE = re.compile(rf"(?:评分标准|该项指标|此项)\s*,?\s*(?:该项指标)?\s*得\s*(?P<score>{NUM})\s*分")
_SCORE_ZERO_RE = re.compile(r"不得分")


# A numbered finding heading; unlike indicator headings it may hold a comma.
_FINDING_RE = re.compile(r"^\s*(\d{1,2})\s*[.、]\s*(?P<name>[^\d\s][^。;:\t]{1,40}?)\s*$")


@dataclass
class _Item:
    """One level-3 indicator as the narrative states it."""

    level1_raw: str | None
    level2_raw: str | None
    name: str
    weight: Decimal | None
    weight_unit: str
    heading_line: int
    body: str
    body_map: list[tuple[int, int]]  # (offset in body, source line) for each joined line
    score: Decimal | None = None
    score_pct: Decimal | None = None
    score_raw: str | None = None
    score_line: int | None = None


_TOC_LINE_RE = re.compile(r"\S\s*\t\s*\d+\s*$")


def _is_toc(line: str) -> bool:
    if "\t" not in line:
        return False
    end = line.rstrip()  # the pattern ends in digits, then only whitespace
    return bool(end) and end[-1].isdecimal() and bool(_TOC_LINE_RE.search(line))


def _top_headings(t: _Text) -> list[tuple[int, str]]:
    out = []
    for i, line in enumerate(t.lines, start=1):
        if _is_toc(line) or "\t" in line:
            continue
        m = _TOP_RE.match(line)
        if m and len(m.group("name")) <= 40:
            out.append((i, m.group("name")))
    return out


def _section_bounds(t: _Text) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(section with the per-indicator narrative, section with problems and recommendations)."""
    tops = _top_headings(t)
    ends = [n for n, _ in tops[1:]] + [len(t.lines) + 1]
    narrative = findings = None
    for (start, name), end in zip(tops, ends):
        n3 = sum(1 for k in range(start + 1, end) if _L3_RE.match(t.line(k)))
        if narrative is None and n3 >= 3:
            narrative = (start, end)
        elif narrative is not None and findings is None and "问题" in name:
            findings = (start, end)
    return narrative, findings


def _body(t: _Text, first: int, last: int) -> tuple[str, list[tuple[int, int]]]:
    """Lines first..last joined as one paragraph (PDF breaks sentences across lines), with a map
    from offsets in the paragraph back to source lines."""
    text, where = "", []
    for k in range(first, last + 1):
        s = t.line(k).strip()
        if s:
            where.append((len(text), k))
            text += s
    return text, where


def _body_line(it: "_Item", offset: int) -> int:
    line = it.heading_line
    for start, n in it.body_map:
        if start > offset:
            break
        line = n
    return line


def _heading_kind(line: str) -> str | None:
    if _L3_RE.match(line):
        return "l3"
    if _L1_RE.match(line):
        return "l1"
    if _L2_RE.match(line):
        return "l2"
    if _TOP_RE.match(line):
        return "top"
    return None


def _score_in(t: _Text, body_lines: list[int], item: _Item) -> None:
    """Find the stated score of an indicator in its paragraph (after 评分标准 when present)."""
    text = "\n".join(t.line(k) for k in body_lines)
    base = t._starts[body_lines[0] - 1] if body_lines else 0
    anchor = text.rfind("评分标准")
    pos = anchor if anchor >= 0 else 0
    for rx in (_SCORE_PCT_RE, _SCORE_PLAIN_RE):
        m = rx.search(text, pos)
        if m:
            item.score = dec(m.group("score"))
            item.score_pct = dec(m.group("pct")) if "pct" in rx.groupindex else None
            item.score_raw = _tidy(m.group(0))
            item.score_line = t.line_of(base + m.start("score"))
            return
    m = _SCORE_ZERO_RE.search(text, pos)
    if m:
        item.score = Decimal(0)
        item.score_raw = m.group(0)
        item.score_line = t.line_of(base + m.start())


def _narrative(t: _Text, bounds: tuple[int, int]) -> list[_Item]:
    """Level-3 narrative items, each with the level-1 and level-2 headings it sits under."""
    start, end = bounds
    items: list[_Item] = []
    l1 = l2 = None
    k = start + 1
    while k < end:
        line = t.line(k)
        kind = _heading_kind(line)
        if kind == "l1":
            l1 = re.sub(r"(完成情况|情况|分析)$", "", _L1_RE.match(line).group("name")).strip()
            l2 = None
        elif kind == "l2":
            l2 = _L2_RE.match(line).group("name").strip()
        elif kind == "l3":
            m = _L3_RE.match(line)
            j = k + 1
            while j < end and _heading_kind(t.line(j)) is None:
                j += 1
            body_lines = [x for x in range(k + 1, j) if t.line(x).strip()]
            body, where = _body(t, k + 1, j - 1)
            item = _Item(l1, l2, m.group("name").strip(), dec(m.group("w")), m.group("u"), k, body, where)
            _score_in(t, body_lines, item)
            items.append(item)
            k = j
            continue
        k += 1
    return items


def _findings(t: _Text, bounds: tuple[int, int]) -> list[Finding]:
    start, end = bounds
    out: list[Finding] = []
    kind = None
    cur: Finding | None = None
    for k in range(start + 1, end):
        line = t.line(k)
        s = line.strip()
        if not s:
            continue
        if "\t" in line or "|" in line or re.search(r"评分表$|^附件|^附表", s):
            break  # an appendix table follows the last recommendation
        m1 = _L1_RE.match(s)
        if m1:
            name = m1.group("name")
            kind = "recommendation" if re.search(r"措施|建议|改进|方向", name) else "problem" if "问题" in name else None
            cur = None
            continue
        m2 = _FINDING_RE.match(s)
        if m2 and kind:
            category = _tidy(re.sub(r"^\d+\s*[.．、]\s*", "", t.shown(k)))
            cur = Finding(kind=kind, category=category, text="", line=k)
            out.append(cur)
            continue
        if cur is not None:
            cur.text += _tidy(t.shown(k))
    return out


# ---------------------------------------------------------------------------------------------
# Methodology table (指标体系: 一级 / 二级 / 三级 / 评分标准) and the appendix score table
# ---------------------------------------------------------------------------------------------


@dataclass
class _Rule:
    name: str
    line: int
    text: str = ""  # matching form
    shown: str = ""  # as printed
    lines: list[int] = field(default_factory=list)


def _is_level_label(c: str) -> bool:
    s = _compact(c)
    return bool(_LEVEL_WEIGHT_END_RE.search(s)) or s in ("分)", "分", ")")


_LEVEL_WEIGHT_END_RE = re.compile(rf"[(]{NUM}分?[)]?$")
_SECTION_HEAD_RE = re.compile(r"^[(][一二三四五六七八九十]+[)]|^[一二三四五六七八九十]+、")


def _find_header(cells: list[_Cell], names: tuple[str, ...], start: int = 0) -> int | None:
    """Index of the first cell after a header row made of `names` in order."""
    n = len(names)
    for i in range(start, len(cells) - n + 1):
        if all(cells[i + j].text == names[j] for j in range(n)):
            return i + n
    return None


def _methodology(t: _Text, item_names: list[str]) -> list[_Rule]:
    cells = t.cells
    i = _find_header(cells, ("一级指标", "二级指标", "三级指标", "评分标准"))
    if i is None:
        return []
    known = {_compact(n) for n in item_names}
    rules: list[_Rule] = []
    for c in cells[i:]:
        s = _compact(c.text)
        if _SECTION_HEAD_RE.match(s) and "\t" not in t.line(c.line):
            break  # the next section heading ends the table
        if _is_level_label(c.text):
            continue
        is_name = s in known or (len(s) >= 4 and any(k.startswith(s) for k in known))
        if not is_name and len(s) <= 25 and not re.search(r"[,。;:、%=]", s) and len(s) > 2 and not _is_value_cell(s):
            is_name = not rules or bool(rules[-1].text)
        if is_name:
            rules.append(_Rule(name=s, line=c.line))
        elif rules and len(s) > 2:
            rules[-1].text += c.text.strip()
            rules[-1].shown += c.orig.strip()
            rules[-1].lines.append(c.line)
    return rules


def _match_rules(items: list[_Item], rules: list[_Rule], complete: bool = True) -> dict[int, _Rule]:
    """Pair narrative items with methodology rows, in order; names may differ slightly. Rows
    whose names differ are paired by position only when the table is `complete` (no row of it
    was left unread by the layout pass): with a row missing, the same position is another row.
    A row whose rule text was not read pairs with nothing."""
    out: dict[int, _Rule] = {}
    cur = 0
    for idx, item in enumerate(items):
        name = _compact(item.name)
        hit = None
        for j in range(cur, len(rules)):
            r = rules[j].name
            if r == name or (len(r) >= 4 and name.startswith(r)):
                hit = j
                break
        if hit is None and cur < len(rules) and complete:
            # Same position, different wording (基层工会职工满意度 ~ 社会公众或服务对象满意度).
            r = rules[cur].name
            if len(r) >= 3 and len(name) >= 3 and r[-3:] == name[-3:]:
                hit = cur
        if hit is not None:
            if rules[hit].text:
                out[idx] = rules[hit]
            cur = hit + 1
    return out


def _appendix(t: _Text) -> tuple[list[_Cell], int | None]:
    """Cells of the appendix score table (header with 分值 … 评分过程), and the line of its title."""
    cells = t.cells
    for i in range(len(cells)):
        if cells[i].text == "评分过程":
            window = {c.text for c in cells[max(0, i - 8) : i]}
            if {"分值", "得分"} <= window:
                first = next((c.line for c in cells[max(0, i - 8) : i] if c.text == "一级指标"), cells[i].line)
                title = first
                for k in range(first - 1, max(0, first - 4), -1):
                    if "评分表" in t.line(k):
                        title = k
                        break
                return cells[i + 1 :], title
    return [], None


def _numbers(s: str) -> list[Decimal]:
    return [dec(x) for x in re.findall(NUM, s)]


# ---------------------------------------------------------------------------------------------
# Money sentences: "X 为 N 万元，其中：A n1 万元、B n2 元(…)"
# ---------------------------------------------------------------------------------------------


@dataclass(eq=False)  # figures are compared by identity: two equal amounts are different figures
class _Fig:
    label: str
    num: Decimal
    unit: str  # as written: 万元 or 元
    line: int
    raw: str
    as_wan: bool = False  # read as 万元 although written 元 (proved or by magnitude)
    proved: bool = False
    evidence: str = ""  # the sum that holds only when the figure is read as 万元

    def wan(self) -> Decimal:
        return self.num if self.unit == "万元" or self.as_wan else self.num / WAN

    def yuan(self) -> Decimal:
        return clean(self.wan() * WAN)


@dataclass
class _Breakdown:
    total: _Fig
    parts: list[tuple[_Fig, list[_Fig]]]


_TOTAL_RE = re.compile(
    rf"(?P<label>[\u4e00-\u9fff“”]{{2,30}}?)\s*(?:为|总额为?|合计为?)\s*(?P<num>{NUM})\s*(?P<unit>万元|元)\s*,?\s*其中\s*:"
)
_PART_RE = re.compile(rf"^\s*(?P<label>[^\d()]*?)\s*(?P<num>{NUM})\s*(?P<unit>万元|元)")


def _label(s: str) -> str:
    """The money label without the year and unit name the sentence opens with."""
    s = re.sub(r"\s+", "", s)
    m = re.search(r"^.*(?:总工会|工会)", s)
    if m:
        return s[m.end():]
    return re.sub(r"^年度?(?![初末底])", "", s)


def _split_top(s: str, seps: str) -> list[tuple[str, int]]:
    """Split on separators outside parentheses; (piece, offset)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(s):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0:
            out.append((s[start:i], start))
            start = i + 1
    out.append((s[start:], start))
    return out


def _in_total_run(ch: str) -> bool:
    """Can this character stand in a _TOTAL_RE match before its 其中? (CJK, “”, digits (\\d is
    str.isdecimal), ',', '.', whitespace (\\s is str.isspace).)"""
    return "\u4e00" <= ch <= "\u9fff" or ch in "“”,." or ch.isspace() or ch.isdecimal()


def _total_matches(flow: str) -> list[re.Match]:
    """_TOTAL_RE.finditer(flow), searched only where a match can be. Every match ends in
    "其中", whitespace, ':' and everything before its 其中 is a character `_in_total_run`
    accepts, so each match lies in a window from the start of such a run to a "其中…:". The
    pattern has no anchor or lookaround, so searching a window (pos/endpos) finds what a search
    of the whole text finds there; the windows are merged and taken in order, as finditer goes."""
    windows: list[list[int]] = []
    q = flow.find("其中")
    while q >= 0:
        k = q + 2
        while k < len(flow) and flow[k].isspace():
            k += 1
        if k < len(flow) and flow[k] == ":":
            p = q
            while p > 0 and _in_total_run(flow[p - 1]):
                p -= 1
            if windows and p <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], k + 1)
            else:
                windows.append([p, k + 1])
        q = flow.find("其中", q + 1)
    return [m for a, b in windows for m in _TOTAL_RE.finditer(flow, a, b)]


def _breakdowns(t: _Text) -> list[_Breakdown]:
    out: list[_Breakdown] = []
    flow = t.flow
    for m in _total_matches(flow):
        end = len(flow)
        for stop in ("。", ";"):
            k = flow.find(stop, m.end())
            if k >= 0:
                end = min(end, k)
        total = _Fig(_label(m.group("label")), dec(m.group("num")), m.group("unit"),
                     t.line_of(m.start("num")), f"{m.group('num')} {m.group('unit')}")
        rest = flow[m.end() : end]
        parts: list[tuple[_Fig, list[_Fig]]] = []
        for piece, off in _split_top(rest, ",、"):
            pm = _PART_RE.match(piece)
            if not pm:
                continue
            base = m.end() + off
            fig = _Fig(_label(pm.group("label")), dec(pm.group("num")), pm.group("unit"),
                       t.line_of(base + pm.start("num")), f"{pm.group('num')} {pm.group('unit')}")
            subs: list[_Fig] = []
            after = piece[pm.end() :]
            sm = re.match(r"\s*\((?P<in>[^)]*)\)", after)
            if sm:
                inner_off = base + pm.end() + sm.start("in")
                for sp, so in _split_top(sm.group("in"), ",、"):
                    q = _PART_RE.match(sp)
                    if q:
                        subs.append(_Fig(_label(q.group("label")), dec(q.group("num")), q.group("unit"),
                                         t.line_of(inner_off + so + q.start("num")),
                                         f"{q.group('num')} {q.group('unit')}"))
            parts.append((fig, subs))
        if parts:
            out.append(_Breakdown(total, parts))
    return out


def _relations(b: _Breakdown) -> list[tuple[_Fig, list[_Fig]]]:
    rel = [(b.total, [p for p, _ in b.parts])]
    rel += [(p, subs) for p, subs in b.parts if subs]
    return rel


def _suspects(b: _Breakdown) -> list[_Fig]:
    """Figures written 元 among 万元 figures of the same size: the unit is probably 万元."""
    figs = [b.total] + [p for p, _ in b.parts] + [s for _, subs in b.parts for s in subs]
    wan = [f.num for f in figs if f.unit == "万元" and f.num > 0]
    if not wan:
        return []
    top = max(wan)
    return [f for f in figs if f.unit == "元" and f.num < WAN and f.num > 0 and Decimal("0.001") <= f.num / top <= 10]


def _resolve_units(b: _Breakdown) -> None:
    """Mark suspect figures as 万元, and as proved where a sum holds only under that reading."""
    sus = _suspects(b)
    for f in sus:
        f.as_wan = True
    for parent, children in _relations(b):
        involved = [f for f in [parent, *children] if f in sus]
        if not involved:
            continue
        as_wan = abs(parent.wan() - sum(c.wan() for c in children)) < Decimal("0.005")
        for f in involved:
            f.as_wan = False
        as_written = abs(parent.wan() - sum(c.wan() for c in children)) < Decimal("0.005")
        for f in involved:
            f.as_wan = True
        if as_wan and not as_written:
            sum_text = f"{parent.label} {_fmt(parent.wan())} = " + " + ".join(_fmt(c.wan()) for c in children)
            for f in involved:
                f.proved = True
                f.evidence = sum_text


# ---------------------------------------------------------------------------------------------
# Asset table and asset register
# ---------------------------------------------------------------------------------------------

_ASSET_ID_RE = re.compile(r"^[A-Z]{2,4}\d{6,12}$")


_ASSET_LABEL_PREFIX_RE = re.compile(r"^(?:[(][一二三四五六七八九十]+[)]|[一二三四五六七八九十]+、|\d+[.]|其中:|减:)\s*")


def _asset_rows(t: _Text) -> dict[str, tuple[list[Decimal], int]]:
    """Rows of the asset table: label -> (amounts in 元 [year start, year end], line)."""
    cells = t.cells
    start = None
    for i, c in enumerate(cells):
        if c.text in ("年初数", "年初") and any(x.text in ("年末数", "年末") for x in cells[i + 1 : i + 4]):
            start = i
            break
    if start is None:
        return {}
    rows: dict[str, tuple[list[Decimal], int]] = {}
    i = start
    while i < len(cells):
        c = cells[i]
        label = "".join(_ASSET_LABEL_PREFIX_RE.sub("", c.text).split())  # \s and str.split() agree
        vals = []
        j = i + 1
        while j < len(cells) and _is_value_cell(cells[j].text):
            vals.append(cells[j].text)
            j += 1
        if vals and not _is_value_cell(c.text):
            nums = [_cell_number(v) for v in vals]
            if len(nums) == 4:  # 数量, 金额, 数量, 金额
                amounts = [nums[1], nums[3]]
            else:
                amounts = [n for n in nums if n is not None]
            if len(amounts) == 2 and all(a is not None for a in amounts):
                rows.setdefault(label, (amounts, c.line))
            if label == "净值合计":
                break
        i = j if j > i + 1 else i + 1
        if i - start > 200:
            break
    return rows


def _asset_register(t: _Text) -> list[tuple[str, Decimal, Decimal, int]]:
    """Register lines (asset id, 原值, 净值, line): the first two amounts after each id."""
    cells = t.cells
    out = []
    for i, c in enumerate(cells):
        if not _ASSET_ID_RE.match(c.text):
            continue
        nums = []
        for x in cells[i + 1 : i + 9]:
            if _ASSET_ID_RE.match(x.text):
                break
            n = _cell_number(x.text) if re.fullmatch(rf"{NUM}", x.text) else None
            if n is not None:
                nums.append(n)
            if len(nums) == 2:
                break
        if len(nums) == 2:
            out.append((c.text, nums[0], nums[1], c.line))
    return out


# ---------------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------------


def _first(t: _Text, pattern: str) -> re.Match | None:
    return re.search(pattern, t.flow)


def _set_money(ev: Evaluation, t: _Text, name: str, m: re.Match | None) -> None:
    if not m:
        return
    num, unit = dec(m.group("num")), m.group("unit")
    value = clean(num * WAN) if unit == "万元" else clean(num)
    ev.set_metric(name, value, f"{m.group('num')} {unit}", t.line_of(m.start("num")))


def _set_plain(ev: Evaluation, t: _Text, name: str, m: re.Match | None) -> None:
    if not m:
        return
    raw = m.group("num") + ("%" if name.endswith("_pct") else "人" if name.startswith("headcount") else "")
    ev.set_metric(name, clean(dec(m.group("num"))), raw, t.line_of(m.start("num")))


_MONEY = rf"(?P<num>{NUM})\s*(?P<unit>万元|元)"
_PCT = rf"(?P<num>-?{NUM})\s*%"


def _metrics(ev: Evaluation, t: _Text, breakdowns: list[_Breakdown]) -> None:
    """The figures this template states in its own words, that the checks below need or that the
    general reading does not give as the template writes them (the initial budget, the
    procurement rate and the 三公 figures are left to the general reading, which reads them so)."""
    _set_money(ev, t, "budget_adjusted_yuan", _first(t, rf"调整后全年预算支出(?:数)?\s*为\s*{_MONEY}")
               or _first(t, rf"调整后全年预算(?:收入)?(?:数)?\s*为\s*{_MONEY}"))
    _set_money(ev, t, "expenditure_yuan", _first(t, rf"决算支出(?:数)?\s*为\s*{_MONEY}"))
    _set_plain(ev, t, "budget_exec_pct", _first(t, rf"支出预算(?:完成|执行)率\s*为\s*{_PCT}"))
    _set_money(ev, t, "procurement_budget_yuan", _first(t, rf"政府采购预算总额\s*(?:为)?\s*{_MONEY}"))
    _set_money(ev, t, "procurement_actual_yuan",
               _first(t, rf"政府采购[^。;]{{0,12}}?实际(?:支出|采购金额)\s*(?:为)?\s*{_MONEY}"))
    _set_plain(ev, t, "headcount_authorised",
               _first(t, r"(?<!在职)编制人数(?:小计|合计|共|为)?\s*(?P<num>\d+)\s*人"))
    _set_plain(ev, t, "headcount_actual", _first(t, r"在职(?:编制)?人数(?:小计|合计|共|为)?\s*(?P<num>\d+)\s*人"))
    _set_plain(ev, t, "staffing_control_pct", _first(t, rf"在职人员控制率\s*为\s*{_PCT}"))
    _set_plain(ev, t, "fa_utilisation_pct", _first(t, rf"固定资产利用率\s*为\s*{_PCT}"))

    # Public operating expenditure of this year and last year, told apart by the year named.
    for m in re.finditer(rf"(?P<year>20\d\d)\s*年度?[^。;]{{0,12}}?公用经费(?:预算|支出|总额)?(?:数)?\s*为\s*{_MONEY}", t.flow):
        y = int(m.group("year"))
        if ev.fiscal_year and y == ev.fiscal_year and "public_operating_cur_yuan" not in ev.metrics:
            _set_money(ev, t, "public_operating_cur_yuan", m)
        elif ev.fiscal_year and y == ev.fiscal_year - 1 and "public_operating_prev_yuan" not in ev.metrics:
            _set_money(ev, t, "public_operating_prev_yuan", m)
    _set_plain(ev, t, "public_operating_change_pct",
               _first(t, rf"公用经费”?\s*(?:控制率|变动比?率)\s*=[^。;]*?=\s*{_PCT}"))

    # Final-accounts breakdown: basic (personnel + public) and project expenditure.
    final = next((b for b in breakdowns if "决算支出" in b.total.label), None)
    if final:
        for part, subs in final.parts:
            _set_fig(ev, "exp_basic_yuan" if "基本支出" in part.label else
                     "exp_project_yuan" if "项目支出" in part.label else None, part)
            for s in subs:
                _set_fig(ev, "exp_personnel_yuan" if "人员" in s.label else
                         "exp_public_operating_yuan" if "公用" in s.label else None, s)


def _set_fig(ev: Evaluation, name: str | None, f: _Fig) -> None:
    if name is None:
        return
    if f.unit == "元" and f.as_wan:
        if not f.proved:
            return  # 元 or 万元 cannot be decided from the text: no value rather than a wrong one
        # Written "元", but the figures it adds up to are in 万元: the report dropped the 万.
        ev.set_metric(name, f.yuan(), f.raw, f.line,
                      note=f"原文写作“{f.raw}”；{f.evidence} 仅在按万元读时成立，故按 {_fmt(f.num)} 万元入库")
        return
    ev.set_metric(name, f.yuan(), f.raw, f.line)


# ---------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------

_COUNT_UNITS = "人次|家|次|场|人|名|个|位|项|期|起|对"
_COUNT_RE = re.compile(rf"(?P<num>\d+(?:\.\d+)?)\s*(?P<approx>余|多)?\s*(?P<unit>{_COUNT_UNITS})(?P<post>以上)?")
_PCT_TARGET_RE = re.compile(rf"(?P<cmp>≥|≤|>=|<=)\s*(?P<num>-?{NUM})\s*%|(?P<num2>{NUM})\s*%\s*以上")
_PCT_ACTUAL_RE = re.compile(rf"(?:为|=)\s*(?P<raw>-?{NUM}\s*%\d*)")


def _target_raw(rule: str | None, name: str) -> str | None:
    if not rule:
        return None
    m = _PCT_TARGET_RE.search(rule)
    if m:
        return re.sub(r"\s+", "", m.group(0))
    if not re.search(r"(数量|次数|人次|个数)$", name):
        return None  # counts in other rules are deduction steps or alternatives, not targets
    for m in _COUNT_RE.finditer(rule):
        if "每" in rule[max(0, m.start() - 4) : m.start()]:
            continue  # "每发现1次…扣" is a deduction step, not a target
        return re.sub(r"\s+", "", m.group(0))
    return None


def _actual_raw(item: _Item, target: str | None) -> str | None:
    body = item.body
    cut = body.find("依据评分标准")
    text = body if cut < 0 else body[:cut]
    tv = parse_value(target) if target else None
    if tv is not None and tv.unit and tv.unit != "pct":
        # Counts: the figure in the paragraph with the target's unit; a 共/共计 total wins.
        cands = [m for m in _COUNT_RE.finditer(text) if UNITS.get(m.group("unit")) == tv.unit]
        if not cands:
            return None
        total = [m for m in cands if re.search(r"(共计|共|合计|累计|全年)\D{0,6}$", text[max(0, m.start() - 8) : m.start()])]
        pick = total[-1] if total else cands[0] if len(cands) == 1 else None
        return re.sub(r"\s+", "", pick.group(0)) if pick else None
    if item.name.endswith("率") or "满意度" in item.name:
        found = [m for m in _PCT_ACTUAL_RE.finditer(text)]
        if found:
            return re.sub(r"\s+", "", found[-1].group("raw"))
    return None


def _level_names(summary: _Summary | None, items: list[_Item]) -> dict[int, tuple[str | None, str | None]]:
    """Level-1 and level-2 names for each item, spelled as the summary table spells them."""
    out: dict[int, tuple[str | None, str | None]] = {}
    if not summary:
        return {i: (it.level1_raw, it.level2_raw) for i, it in enumerate(items)}
    l1s = []
    for r in summary.rows:
        if r.level1 and r.level1 not in l1s:
            l1s.append(r.level1)
    narrative_l1s = []
    for it in items:
        if it.level1_raw not in narrative_l1s:
            narrative_l1s.append(it.level1_raw)
    l1_map = {}
    for pos, raw in enumerate(narrative_l1s):
        dim = dimension_of(raw)
        hit = next((x for x in l1s if dim and dimension_of(x) == dim), None)
        l1_map[raw] = hit or (l1s[pos] if pos < len(l1s) else raw)
    for i, it in enumerate(items):
        l1 = l1_map.get(it.level1_raw, it.level1_raw)
        rows = [r for r in summary.rows if r.level1 == l1]
        raw2 = _compact(it.level2_raw or "")
        hit = next((r.name for r in rows if _compact(r.name) == raw2), None)
        hit = hit or next((r.name for r in rows if raw2 and (_compact(r.name) in raw2 or raw2 in _compact(r.name))), None)
        out[i] = (l1, hit or it.level2_raw)
    return out


def _choose_scores(items: list[_Item], names: dict[int, tuple], summary_scores: dict[tuple, Decimal],
                   table_scores: dict[int, tuple[Decimal, int]] | None = None) -> dict[int, Decimal | None]:
    """The score of each item. Where the narrative's items do not add up to their summary row, and
    another reading stated in the report does (the sentence's own percentage of the weight, as in
    "得100%权重分2.00分" of 3, or the appendix table's 得分 for the item), take that reading; else
    the score the narrative states. Either way the disagreement is flagged (_flag_narrative)."""
    chosen = {i: it.score for i, it in enumerate(items)}
    groups: dict[tuple, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(names[i], []).append(i)
    for key, idx in groups.items():
        target = summary_scores.get(key)
        if target is None or any(chosen[i] is None for i in idx):
            continue
        if abs(sum(chosen[i] for i in idx) - target) < Decimal("0.011"):
            continue
        for i in idx:
            it = items[i]
            if it.score_pct is None or it.weight is None:
                continue
            alt = _q2(it.weight * it.score_pct / 100)
            if alt == it.score:
                continue
            trial = sum(chosen[j] for j in idx) - chosen[i] + alt
            if abs(trial - target) < Decimal("0.011"):
                chosen[i] = alt
                break
        else:
            for i in idx:
                alt = (table_scores or {}).get(i, (None,))[0]
                if alt is None or alt == chosen[i]:
                    continue
                trial = sum(chosen[j] for j in idx) - chosen[i] + alt
                if abs(trial - target) < Decimal("0.011"):
                    chosen[i] = alt
                    break
    return chosen


# ---------------------------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------------------------


def extract(doc: Document) -> list[Evaluation]:
    t = _Text(doc)
    name, name_line, year = _title(t)
    unit = resolve_unit(name or "", hint_text=t.flow, fiscal_year=year, line=name_line)
    ev = Evaluation(
        unit=unit,
        fiscal_year=year,
        report_kind="department_overall",
        report_kind_declared="department_overall",
        # evaluator and evaluation_mode: the general reading's (the firm on the cover), merged by
        # loaders.parse
        report_date=_report_date(t),
        framework=_framework(t),
    )

    m = re.search(rf"总得分为\s*(?P<s>{NUM})\s*分", t.flow)
    summary = _summary(t)
    if m:
        ev.total_score = dec(m.group("s"))
    elif summary and summary.total_score is not None:
        ev.total_score = summary.total_score

    breakdowns = _breakdowns(t)
    for b in breakdowns:
        _resolve_units(b)
    _metrics(ev, t, breakdowns)

    narrative_bounds, findings_bounds = _section_bounds(t)
    items = _narrative(t, narrative_bounds) if narrative_bounds else []
    rules = _methodology(t, [it.name for it in items])
    rule_of = _match_rules(items, rules, complete=not unread_rows(doc))
    app_cells, app_first = _appendix(t)

    # Summary rows (level 2).
    summary_scores: dict[tuple, Decimal] = {}
    if summary:
        for r in summary.rows:
            w, s, rate = (_cell_number(r.value(k) or "") for k in range(3))
            if w is None and s is None and not (r.value(0) or "").strip():
                # No figures at all (a layout that lost them): the row is kept without numbers,
                # so that sums over the level are not checked on a partial set.
                ev.indicators.append(Indicator(
                    level1=r.level1, level2=r.name, level3=None, dimension=dimension_of(r.level1, r.name),
                    line=r.line, level=2, table="summary",
                ))
                continue
            if w is None and s is None:
                ev.flag("weight_redistributed",
                        f"{r.level1}/{r.name} 的权重和得分为“{r.value(0) or ''}”，该项不计分，其分值并入同级其他二级指标",
                        r.line)
                continue
            ev.indicators.append(Indicator(
                level1=r.level1, level2=r.name, level3=None, dimension=dimension_of(r.level1, r.name),
                weight=w, score=s, score_rate_stated_pct=rate if r.value(2) and "%" in r.value(2) else None,
                line=r.line, level=2, table="summary",
            ))
            if s is not None:
                summary_scores[(r.level1, r.name)] = s
        _check_level1_weights(ev, summary)

    names = _level_names(summary, items)
    table_scores = _appendix_row_scores(_score_table_cells(t), items)
    scores = _choose_scores(items, names, summary_scores, table_scores)
    l3_of: dict[int, Indicator] = {}
    for i, it in enumerate(items):
        rule = rule_of.get(i)
        l1, l2 = names[i]
        target_raw = _target_raw(rule.text if rule else None, it.name)
        actual_raw = _actual_raw(it, target_raw)
        target, actual = parse_value(target_raw), parse_value(actual_raw)
        l3_of[i] = Indicator(
            level1=l1, level2=l2, level3=it.name, dimension=dimension_of(l1, l2, it.name),
            weight=clean(it.weight), score=clean(scores[i]), target_raw=target_raw, actual_raw=actual_raw,
            target=target, actual=actual, met=value_meets(target, actual), note=_shown_body(t, it),
            # the line the chosen score is printed on: the scoring table's row when that reading was taken
            line=(table_scores[i][1] if i in table_scores and scores[i] == table_scores[i][0] != it.score
                  else it.score_line or it.heading_line),
            rule=_tidy(rule.shown) if rule else None, level=3, table="score",
        )
        ev.indicators.append(l3_of[i])
        if "满意度" in it.name and actual is not None and actual.value is not None:
            ev.satisfaction.append(Satisfaction(
                group=re.sub(r"满意度$", "", it.name) or None, pct=actual.value, weight=clean(it.weight),
                score=clean(scores[i]), line=_line_of_in_body(t, it, actual_raw), raw=actual_raw,
            ))
    if ev.satisfaction:
        main = max(ev.satisfaction, key=lambda s: s.weight or 0)
        ev.set_metric("satisfaction_pct", main.pct, main.raw or "", main.line or 0, note=main.group)

    if findings_bounds:
        ev.findings = _findings(t, findings_bounds)

    # Family-specific quality checks: each needs document context the generic checks lack.
    _flag_narrative(ev, t, items, scores, names, summary_scores, app_cells, table_scores)
    _flag_rules(ev, t, items, rule_of, rules, app_cells, scores)
    _flag_indicator_logic(ev, t, items, rule_of, scores, l3_of)
    _flag_budget(ev, t, items, rule_of, scores, breakdowns)
    _flag_assets(ev, t, app_first)
    _flag_headcount(ev, t)
    _flag_headings(ev, t, summary)
    _flag_appendix(ev, t, app_cells, app_first)
    return [ev]


def _shown_body(t: _Text, it: _Item) -> str:
    """The item's paragraph as printed."""
    return "".join(_tidy(t.shown(n)) for _, n in it.body_map)


def _line_of_in_body(t: _Text, it: _Item, raw: str | None) -> int:
    """Source line of `raw` as it appears in the item's paragraph (compared without spaces)."""
    if raw:
        k = it.body.find(raw)
        if k < 0:
            k = it.body.replace(" ", "").find(raw)
            if k >= 0:  # map the offset in the space-less text back to the paragraph
                seen = -1
                for pos, ch in enumerate(it.body):
                    if ch != " ":
                        seen += 1
                    if seen == k:
                        k = pos
                        break
        if k >= 0:
            return _body_line(it, k)
    return it.score_line or it.heading_line


# ---------------------------------------------------------------------------------------------
# Family checks
# ---------------------------------------------------------------------------------------------


def _check_level1_weights(ev: Evaluation, summary: _Summary) -> None:
    """Level-2 weights under each level-1 label must add up to the weight the label carries."""
    groups: dict[str, list[_SummaryRow]] = {}
    for r in summary.rows:
        groups.setdefault(r.level1, []).append(r)
    for l1, rows in groups.items():
        w1 = rows[0].level1_weight
        stated = [r.value(0) or "" for r in rows]
        ws = [_cell_number(v) for v in stated]
        if any(w is None and v.strip() == "" for w, v in zip(ws, stated)):
            continue  # a weight the text does not carry: the sum cannot be checked
        ws = [w for w in ws if w is not None]
        if w1 is not None and ws and sum(ws) != w1:
            ev.flag("children_sum_mismatch", f"{l1}: 二级指标权重之和 {_fmt(sum(ws))} ≠ 一级指标权重 {_fmt(w1)}",
                     rows[0].level1_line)


_PLAIN_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")


def _score_table_cells(t: _Text) -> list[_Cell]:
    """Cells after the last header row naming 三级指标 and 分值 and ending in 得分: the scoring table
    that states each item's score in its own column (with or without a 评分过程 column)."""
    by_line: dict[int, list[str]] = {}
    for c in t.cells:
        by_line.setdefault(c.line, []).append(c.text)
    header = None
    for line, texts in by_line.items():
        if texts and texts[-1] == "得分" and {"三级指标", "分值"} <= set(texts):
            header = line
    return [] if header is None else [c for c in t.cells if c.line > header]


def _appendix_row_scores(app_cells: list[_Cell], items: list[_Item]) -> dict[int, tuple[Decimal, int]]:
    """The score the appendix table's own 得分 column gives each item, where it can be read without
    guessing: exactly one appendix row names the item, the row's next cell is the item's weight and
    its last cell is a plain number no larger than that weight. Nothing otherwise (a shuffled or
    repeated appendix, as PDF extraction leaves it, gives no candidate)."""
    by_line: dict[int, list[_Cell]] = {}
    for c in app_cells:
        by_line.setdefault(c.line, []).append(c)
    out: dict[int, tuple[Decimal, int]] = {}
    for i, it in enumerate(items):
        if it.weight is None:
            continue
        key = re.sub(r"\s+", "", it.name)
        found: list[tuple[Decimal, int]] = []
        for line, row in by_line.items():
            pos = next((k for k, c in enumerate(row) if c.key == key), None)
            if pos is None or pos + 2 >= len(row):
                continue
            weight, last = row[pos + 1].text.strip(), row[-1].text.strip()
            if not (_PLAIN_NUMBER_RE.fullmatch(weight) and _PLAIN_NUMBER_RE.fullmatch(last)):
                continue
            if dec(weight) != it.weight or dec(last) > it.weight:
                continue
            found.append((dec(last), line))
        if len(found) == 1:
            out[i] = found[0]
    return out


def _appendix_scores(app_cells: list[_Cell], body: str) -> list[tuple[Decimal, str, int]]:
    """Scores stated by the appendix's 评分过程 text for the same paragraph as the narrative."""
    key = _compact(body)[:24]
    if len(key) < 12:
        return []
    out = []
    for c in app_cells:
        if c.key.startswith(key):
            m = _SCORE_PCT_RE.search(c.text) or _SCORE_PLAIN_RE.search(c.text)
            if m:
                out.append((dec(m.group("score")), re.sub(r"\s+", "", m.group(0)), c.line))
    return out


def _flag_narrative(ev, t, items, scores, names, summary_scores, app_cells, table_scores=None) -> None:
    def why(i: int) -> str:
        key = names[i]
        target = summary_scores.get(key)
        chosen = [scores[j] for j in range(len(items)) if names[j] == key]
        if target is not None and None not in chosen and abs(sum(chosen) - target) < Decimal("0.011"):
            return "（与二级指标得分合计一致）"
        return "（正文所写；各项合计与二级指标得分仍不一致）"

    for i, it in enumerate(items):
        if it.weight_unit == "份":
            ev.flag("typo", f"指标标题“{it.name}({_fmt(it.weight)}份)”中的“份”应为“分”", it.heading_line)
        if it.score is not None and it.score_pct is not None and it.weight is not None:
            implied = _q2(it.weight * it.score_pct / 100)
            if implied != _q2(it.score):
                used = scores[i]
                app = _appendix_scores(app_cells, it.body)
                app_txt = "；附表评分过程写作" + "、".join(dict.fromkeys(f"“{a[1]}”" for a in app)) if app else ""
                ev.flag("narrative_self_contradiction",
                        f"{it.name}: 正文“{it.score_raw}”自相矛盾，权重 {_fmt(it.weight)} 分的 {_fmt(it.score_pct)}% 应为 "
                        f"{_fmt(implied)} 分，却写 {_fmt(it.score)} 分{app_txt}；本记录取 {_fmt(used)} 分{why(i)}",
                        it.score_line)
        for a_score, a_raw, _ in _appendix_scores(app_cells, it.body):
            if it.score is not None and a_score != it.score:
                key = names[i]
                group = [j for j in range(len(items)) if names[j] == key]
                stated_sum = sum(items[j].score for j in group if items[j].score is not None)
                extra = ""
                if key in summary_scores and stated_sum != summary_scores[key]:
                    extra = (f"；按正文各项得分，{key[1]}合计 {_fmt(stated_sum)} 分，"
                             f"汇总表为 {_fmt(summary_scores[key])} 分")
                ev.flag("narrative_table_score_mismatch",
                        f"{it.name}: 正文“{it.score_raw}”，附表评分表的评分过程为“{a_raw}”、得分 {_fmt(a_score)}{extra}",
                        it.score_line)
                break
        else:
            table = (table_scores or {}).get(i)
            if table is not None and it.score is not None and table[0] != it.score:
                ev.flag("narrative_table_score_mismatch",
                        f"{it.name}: 正文“{it.score_raw}”，附表评分表（第 {table[1]} 行）得分 {_fmt(table[0])}；"
                        f"本记录取 {_fmt(scores[i])} 分{why(i)}",
                        it.score_line)


def _flag_rules(ev, t, items, rule_of, rules, app_cells, scores) -> None:
    """Rule text of the methodology table against the same rule in the appendix table."""
    by_rule = {id(r): i for i, r in rule_of.items()}
    for r in rules:
        key = _compact(r.text)[:16]
        if len(key) < 10:
            continue
        mine = _numbers(r.text)
        for c in app_cells:
            if not c.key.startswith(key):
                continue
            theirs = _numbers(c.text)
            n = min(len(mine), len(theirs))
            diff = next((k for k in range(n) if mine[k] != theirs[k]), None)
            if diff is None:
                continue
            a_clause = _clause_with(r.text, mine[diff])
            b_clause = _clause_with(c.text, theirs[diff])
            msg = f"{r.name}: 评价指标体系表为“{a_clause}”，附表评分表为“{b_clause}”"
            i = by_rule.get(id(r))
            it = items[i] if i is not None else None
            if it and it.weight is not None and "权重" in a_clause and "权重" in b_clause:
                alt = _q2(it.weight * mine[diff] / 100)
                used = _q2(it.weight * theirs[diff] / 100)
                given = scores[i]
                msg += (f"；按指标体系表应得 {_fmt(it.weight)}×{_fmt(mine[diff])}%={_fmt(alt)} 分，"
                        f"按评分表为 {_fmt(used)} 分，报告给了 {_fmt(given)} 分")
            ev.flag("rule_text_mismatch", msg, r.line)
            break


def _clause_with(text: str, number: Decimal) -> str:
    for clause in re.split(r"[,;。]", _TAG_RE.sub("", text)):
        if any(n == number for n in _numbers(clause)):
            return re.sub(r"\s+", "", clause)
    return ""


_FORMULA_RE = re.compile(r"(?P<label>[\u4e00-\u9fff“”\"]+?)\s*=\s*(?P<expr>[^=×*%]+?)\s*[×*]\s*100\s*%")
# Formula terms of the Jiangxi template and the metric each one names.
_TERMS = (
    ("政府采购预算数", "procurement_budget_yuan"),
    ("实际政府采购金额", "procurement_actual_yuan"),
    ("“三公经费”实际支出数", "three_public_actual_yuan"),
    ("“三公经费”预算安排数", "three_public_budget_yuan"),
    ("在职人员数", "headcount_actual"),
    ("编制数", "headcount_authorised"),
    ("本年度“公用经费”总额", "public_operating_cur_yuan"),
    ("上年度“公用经费”总额", "public_operating_prev_yuan"),
)


def _eval_formula(expr: str, ev: Evaluation) -> tuple[Decimal | None, str]:
    """Evaluate '(A-B)/C' or 'A/B' with metric values; (rate, the arithmetic written out)."""
    e = re.sub(r"\s+", "", expr)
    vals = {}
    for term, metric in _TERMS:
        if term in e and metric in ev.metrics:
            vals[term] = ev.metrics[metric].value
    m = re.fullmatch(r"\(?(?P<a>[^()/\-]+)-(?P<b>[^()/\-]+)\)?/(?P<c>[^()/\-]+)", e)
    if m and all(x in vals for x in m.group("a", "b", "c")):
        a, b, c = (vals[x] for x in m.group("a", "b", "c"))
        if c:
            return ((a - b) / c * 100).quantize(CENT), f"({_fmt(a)}-{_fmt(b)})/{_fmt(c)}"
    m = re.fullmatch(r"\(?(?P<a>[^()/\-]+)/(?P<b>[^()/\-]+)\)?", e)
    if m and all(x in vals for x in m.group("a", "b")):
        a, b = vals[m.group("a")], vals[m.group("b")]
        if b:
            return (a / b * 100).quantize(CENT), f"{_fmt(a)}/{_fmt(b)}"
    return None, ""


_BAND_RE = re.compile(rf"(?P<lo>{NUM})\s*%\s*\(含\)\s*[~\-—至]\s*(?P<hi>{NUM})\s*%\s*得\s*(?P<pts>{NUM})\s*分")


def _band_score(rule: str, rate: Decimal) -> tuple[Decimal | None, str]:
    full = re.search(rf"为\s*(?P<v>{NUM})\s*%\s*得满分", rule)
    if full and rate == dec(full.group("v")):
        return None, "满分"
    for m in _BAND_RE.finditer(rule):
        if dec(m.group("lo")) <= rate < dec(m.group("hi")):
            return dec(m.group("pts")), re.sub(r"\s+", "", m.group(0))
    return None, ""


def _flag_indicator_logic(ev, t, items, rule_of, scores, l3_of) -> None:
    for i, it in enumerate(items):
        rule = rule_of.get(i)
        ind = l3_of[i]
        score = scores[i]
        # A target the actual misses, scored in full.
        if ind.met is False and score is not None and it.weight is not None and score >= it.weight:
            msg = f"{it.name}: 目标“{ind.target_raw}”，实际“{ind.actual_raw}”，未达到目标却得满分 {_fmt(score)}/{_fmt(it.weight)}"
            tv, av = ind.target, ind.actual
            a = av.value if av.value is not None else av.low
            if rule and re.search(r"按(?:完成)?比率得分", rule.text) and tv.value:
                rescored = _q2(a / tv.value * it.weight)
                msg += (f"；按评分标准“未达到目标值按比率得分”应得 {_fmt(a)}÷{_fmt(tv.value)}×{_fmt(it.weight)}="
                        f"{_fmt(rescored)} 分")
                if ev.total_score is not None:
                    msg += f"，总分应为 {_fmt(ev.total_score - score + rescored)}"
            ev.flag("full_score_target_missed", msg, ind.line)
        if ind.actual is not None and "trailing_garbage" in ind.actual.warnings:
            ev.flag("trailing_garbage", f"{it.name}: “{ind.actual_raw}”末尾多出字符，按 {_fmt(ind.actual.value)}% 读取",
                    _line_of_in_body(t, it, ind.actual_raw))
        if rule is None:
            continue
        fm = _FORMULA_RE.search(_TAG_RE.sub("", rule.text))
        expr = re.sub(r"\s+", "", fm.group("expr")) if fm else ""
        # A ratio whose denominator the narrative says does not exist, scored in full.
        if fm and "/" in fm.group("expr"):
            den = re.sub(r"\s+", "", fm.group("expr").split("/")[-1])
            core = re.sub(r"^已|数$", "", den)
            if core and re.search(rf"(?:未|没有|无)\s*{re.escape(core)}", re.sub(r"\s+", "", it.body)) \
                    and score is not None and it.weight is not None and score >= it.weight:
                ev.flag("zero_denominator_full_score",
                        f"{it.name} = {expr}；正文称“未{core}”，分母为 0，比率无法计算，"
                        f"却得满分 {_fmt(score)}/{_fmt(it.weight)}", ind.line)
        if not fm:
            continue
        label = re.sub(r"[“”\"]", "", fm.group("label"))
        key = re.sub(r"[“”\"]", "", it.name)
        recomputed, arithmetic = _eval_formula(fm.group("expr"), ev)
        # The formula defines a different ratio than the indicator's name says.
        if key[-3:] not in label and "变动" in label:
            stated = f"，报告结果 {ind.actual_raw}" if ind.actual_raw else ""
            ev.flag("same_name_different_formula",
                    f"{it.name}: 评分标准按“{label}”计算，即 {expr}"
                    f"{f' = {arithmetic} = {recomputed}%' if recomputed is not None else ''}{stated}；"
                    f"这是同比变动率，不是控制率（实际数/预算数），本记录存为变动率", ind.line)
        # The narrative scores a different ratio than the formula defines.
        if recomputed is not None and ind.actual is not None and ind.actual.value is not None \
                and abs(recomputed - ind.actual.value) > Decimal("0.5"):
            used_label = _rate_label_before(it.body, ind.actual_raw)
            msg = (f"{it.name}: 评分标准公式 {expr} = {arithmetic} = {recomputed}%，"
                   f"正文却按“{used_label or '另一比率'}”{ind.actual_raw} 评分（{_fmt(score)} 分）")
            pts, band = _band_score(rule.text, recomputed)
            if pts is not None:
                msg += f"；按公式结果 {recomputed}% 和分档“{band}”应得 {_fmt(pts)} 分"
            ev.flag("indicator_formula_mismatch", msg, ind.line)


def _rate_label_before(body: str, raw: str | None) -> str | None:
    if not raw:
        return None
    k = body.find(raw)
    if k < 0:
        return None
    m = re.search(r"([\u4e00-\u9fff]{2,12}率)\s*(?:为|=)\s*$", body[:k])
    return m.group(1) if m else None


def _flag_budget(ev, t, items, rule_of, scores, breakdowns) -> None:
    m = ev.metrics
    # Units: 元 written where the sums show 万元.
    for b in breakdowns:
        figs = [b.total] + [p for p, _ in b.parts] + [s for _, subs in b.parts for s in subs]
        for f in figs:
            if not f.as_wan:
                continue
            why = _unit_evidence(b, f)
            ev.flag("unit_suspect", f"“{f.label} {f.raw}”写作“元”，{why}，应为 {_fmt(f.num)} 万元", f.line)
        for parent, children in _relations(b):
            total = sum(c.wan() for c in children)
            if abs(parent.wan() - total) < Decimal("0.005"):
                continue
            parts = " + ".join(f"{c.label} {_fmt(c.wan())}" for c in children)
            msg = f"{parent.label} {_fmt(parent.wan())} 万元 ≠ {parts} = {_fmt(total)} 万元（差 {_fmt(total - parent.wan())} 万元）"
            for other in breakdowns:
                if other is b:
                    continue
                if abs(other.total.wan() - total) < Decimal("0.005"):
                    same = next((p for p, _ in other.parts if abs(p.wan() - parent.wan()) < Decimal("0.005")), None)
                    msg += f"；分项合计等于“{other.total.label} {_fmt(other.total.wan())} 万元”"
                    if same:
                        msg += f"，而 {_fmt(parent.wan())} 等于其中“{same.label}”，疑只计了该部分"
                    break
            ev.flag("sum_mismatch", msg, parent.line)

    # Budget execution: the base the narrative names, the rounding, and the overspend.
    exe = next((i for i, it in enumerate(items) if re.search(r"预算(?:执行|完成)率", it.name)), None)
    exp, adj = m.get("expenditure_yuan"), m.get("budget_adjusted_yuan")
    rate = m.get("budget_exec_pct")
    if exe is not None and exp and rate:
        it = items[exe]
        base_m = re.search(rf"(?P<label>[\u4e00-\u9fff]{{2,12}}预算(?:收入|支出)?(?:数)?)\s*为\s*{_MONEY}", it.body)
        if base_m and "决算" not in base_m.group("label"):
            unit = base_m.group("unit")
            base = dec(base_m.group("num")) * (WAN if unit == "万元" else 1)
            cited = (exp.value / base * 100).quantize(CENT)
            if abs(cited - rate.value) > Decimal("0.01"):
                label = _label(base_m.group("label"))
                msg = (f"支出预算执行率: 正文以“{label} {base_m.group('num')} {unit}”为分母，"
                       f"{_fmt(exp.value / WAN)}÷{base_m.group('num')} = {cited}%，与所报 {_fmt(rate.value)}% 不符")
                cands = []
                if adj:
                    cands.append(("调整后全年预算", adj.value, adj.line))
                for b in breakdowns:
                    if "支出预算" in b.total.label and "调整" not in b.total.label:
                        cands.append((b.total.label, b.total.wan() * WAN, b.total.line))
                for lbl, val, _ in cands:
                    r2 = (exp.value / val * 100).quantize(CENT)
                    tag = "可复算出所报比率" if abs(r2 - rate.value) <= Decimal("0.01") else "亦不符"
                    msg += f"；用{lbl} {_fmt(val / WAN)} 万元为 {r2}%，{tag}"
                ev.flag("rate_base_mismatch", msg, _body_line(it, base_m.start("num")))
        rule = rule_of.get(exe)
        step = re.search(rf"每超支?\s*(?P<step>{NUM})\s*%\s*扣\s*(?P<ded>{NUM})\s*%\s*权重分?", rule.text if rule else "")
        score = scores[exe]
        if step and adj and it.weight is not None and score is not None and exp.value > adj.value:
            over = (exp.value / adj.value - 1) * 100
            per = it.weight * dec(step.group("ded")) / 100 / dec(step.group("step"))
            exact = max(Decimal(0), it.weight - per * over)
            if _q2(exact) != _q2(score):
                trunc = over.quantize(Decimal("0.1"), rounding="ROUND_DOWN")
                msg = (f"{it.name}: 超支 {over.quantize(Decimal('0.0001'))} 个百分点"
                       f"（{_fmt(exp.value / WAN)}÷{_fmt(adj.value / WAN)}），按“每超支{step.group('step')}%扣"
                       f"{step.group('ded')}%权重分”连续计算扣 {(per * over).quantize(Decimal('0.0001'))} 分，"
                       f"应得 {exact.quantize(Decimal('0.0001'))}≈{_q2(exact)} 分，报告给 {_fmt(score)} 分")
                if _q2(it.weight - per * trunc) == _q2(score):
                    msg += f"（把超支幅度截断为 {trunc} 个百分点才得 {_fmt(score)}）"
                if ev.total_score is not None:
                    msg += f"；按 {_q2(exact)} 分总分为 {_q2(ev.total_score - score + _q2(exact))}"
                ev.flag("score_rounding", msg, items[exe].score_line)
    if exp and adj and exp.value > adj.value:
        explained = re.search(r"超支[^。]{0,40}(?:原因|来源|由于|因为|系)", t.flow)
        if not explained:
            gap = exp.value - adj.value
            ev.flag("overspend_unexplained",
                    f"决算支出 {_fmt(exp.value / WAN)} 万元超过调整后全年预算 {_fmt(adj.value / WAN)} 万元 "
                    f"{_fmt(gap / WAN)} 万元（{(gap / adj.value * 100).quantize(CENT)}%），报告未说明超支资金的来源",
                    exp.line)


def _unit_evidence(b: _Breakdown, f: _Fig) -> str:
    for parent, children in _relations(b):
        if f is parent or f in children:
            total = sum(c.wan() for c in children)
            if abs(parent.wan() - total) < Decimal("0.005"):
                parts = " + ".join(_fmt(c.wan()) for c in children)
                return f"但按万元读时 {parent.label} {_fmt(parent.wan())} = {parts} 成立"
    others = [x for x in [b.total] + [p for p, _ in b.parts] if x.unit == "万元"]
    sample = "、".join(f"{x.label} {x.raw}" for x in others[:2])
    return f"但与同句的万元金额（{sample}）同一数量级，按元则小到不合理"


def _flag_assets(ev: Evaluation, t: _Text, appendix_first: int | None) -> None:
    rows = _asset_rows(t)
    gross = rows.get("固定资产原值")
    net = rows.get("固定资产净值")
    if gross:
        ev.set_metric("fa_original_value_yuan", clean(gross[0][1]), _money(gross[0][1]), gross[1], note="年末数")
    if net:
        ev.set_metric("fa_net_value_yuan", clean(net[0][1]), _money(net[0][1]), net[1], note="年末数")
    register = _asset_register(t)
    stated = re.search(r"共有各类资产件?\s*(?P<n>\d+)", t.flow)
    line = t.line_of(stated.start()) if stated else (register[0][3] if register else None)
    proc = ev.metrics.get("procurement_actual_yuan")
    if register and gross:
        g_sum = sum(r[1] for r in register)
        n = len(register)
        start, end = gross[0]
        if g_sum != end:
            msg = f"固定资产明细表列示 {n} 项"
            if stated:
                msg += f"（正文称 {stated.group('n')} 件）"
            msg += f"，原值合计 {_money(g_sum)} 元"
            msg += f"，等于年初原值 {_money(start)} 元" if g_sum == start else ""
            msg += f"，而年末原值为 {_money(end)} 元，差 {_money(end - g_sum)} 元"
            if proc and end - g_sum == proc.value:
                msg += f"，恰为当年政府采购支出 {_fmt(proc.value)} 元，疑为新购资产未列入明细"
            said = re.search(rf"资产原值\s*(?P<v>{NUM})\s*元", t.flow)
            if said and dec(said.group("v")) == start and start != end:
                msg += f"；正文“资产原值{said.group('v')}元”用的是年初数"
            ev.flag("asset_register_mismatch", msg, line)
    if register and net:
        n_sum = sum(r[2] for r in register)
        end = net[0][1]
        if n_sum != end:
            msg = f"固定资产明细表净值合计 {_money(n_sum)} 元，而资产表年末固定资产净值为 {_money(end)} 元，差 {_money(end - n_sum)} 元"
            if proc and end - n_sum == proc.value:
                msg += f"（与当年政府采购支出 {_fmt(proc.value)} 元相同）"
            ev.flag("asset_register_mismatch", msg, line)
    total = rows.get("净值合计")
    cash = rows.get("货币资金")
    if total and net and cash and any(c > 0 for c in cash[0]):
        for m in re.finditer(rf"年初资产净值\s*为\s*(?P<a>{NUM})\s*元\s*,\s*年末资产净值\s*为\s*(?P<b>{NUM})\s*元", t.flow):
            a, b = dec(m.group("a")), dec(m.group("b"))
            if appendix_first and t.line_of(m.start()) >= appendix_first:
                break  # the appendix repeats the narrative
            if [a, b] == total[0]:
                parts = [f"{_money(x)} = 固定资产净值 {_money(y)} + 货币资金 {_money(z)}"
                         for x, y, z in zip(total[0], net[0], cash[0])]
                ev.flag("net_assets_include_cash",
                        f"“资产净值”取自资产表“净值合计”，含货币资金：年初 {parts[0]}，年末 {parts[1]} 元；并非固定资产净值",
                        t.line_of(m.start("a")))


def _flag_headcount(ev: Evaluation, t: _Text) -> None:
    for label, rx in (("编制人数", r"(?<!在职)编制人数(?:小计|合计)\s*(?P<n>\d+)\s*人"),
                      ("在职人数", r"在职(?:编制)?人数(?:小计|合计)\s*(?P<n>\d+)\s*人")):
        found = [(int(m.group("n")), t.line_of(m.start("n"))) for m in re.finditer(rx, t.flow)]
        if len({n for n, _ in found}) > 1:
            ev.flag("headcount_mismatch", f"{label}前后不一，先后写作 " + "、".join(f"{n} 人" for n, _ in found),
                    found[1][1])


_TERM_RE = re.compile(r"(部门|项目)(决策|管理|产出|效益|效果)(?=指标|完成情况|\s*[(:])")


def _flag_headings(ev: Evaluation, t: _Text, summary: _Summary | None) -> None:
    """The same level-1 heading written with 部门/项目 or 效益/效果 in different places."""
    dim = {"决策": "决策", "管理": "管理", "产出": "产出", "效益": "效益", "效果": "效益"}
    forms: dict[str, dict[str, int]] = {}
    for i, line in enumerate(t.lines, start=1):
        if _is_toc(line):
            continue
        if "部门" not in line and "项目" not in line:
            continue
        for m in _TERM_RE.finditer(line):
            forms.setdefault(dim[m.group(2)], {}).setdefault(m.group(0), i)
    reference = {}
    if summary:
        for r in summary.rows:
            mm = _TERM_RE.search((r.level1 or "") + "指标")
            if mm:
                reference[dim[mm.group(2)]] = mm.group(0)
    for d, seen in forms.items():
        ref = reference.get(d) or min(seen, key=seen.get)
        for form, line in seen.items():
            if form != ref:
                ev.flag("heading_mixed_terms",
                        f"一级指标名称混用：汇总表为“{ref}”，此处写作“{form}”", line)


def _flag_appendix(ev: Evaluation, t: _Text, cells: list[_Cell], first: int | None) -> None:
    if not cells or first is None:
        return
    long = Counter(c.key for c in cells if len(c.key) >= 20)
    repeated = sum(1 for v in long.values() if v > 1)
    per_line = Counter(c.line for c in cells)
    widths = sorted(set(per_line.values()))
    if repeated or len(widths) > 2:
        title = t.line(first).strip()
        ev.flag("layout_artifact",
                f"附表“{title}”为 PDF 转换结果：每行单元格数从 {widths[0]} 到 {widths[-1]} 不等，"
                f"{repeated} 段文字重复出现，列已错位；本记录以指标体系表和正文为准，附表仅用于交叉核对", first)
