"""The label-reading toolkit the template families share (loaders/families/*.py), so that every
family reads these things the same way: table blocks of the text readers' layouts, labelled
fields, the fiscal year, the unit's name, the grade and score, money mentions and labelled
figures in running text, findings, and document-level flags (layout artifacts, dates without a
year, a region inferred from the county's name).

A document no family recognises is read by the general strategies (loaders/extract), not here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from loaders.normalize import NUM, clean, dec, grade_of, is_na, pct
from loaders.read import Document, normalize_text
from loaders.records import Evaluation, Finding, Unit
from loaders.regions import resolve_unit

_CJK = r"\u4e00-\u9fff"
WAN = Decimal(10_000)


# ---------------------------------------------------------------------------------------------
# Table blocks: the text readers put one table cell per line (a leading tab marks a new cell,
# blank lines separate rows) or one row per line (cells split by tabs or pipes).


class TableCell(NamedTuple):
    text: str  # matching form: NFKC, all whitespace removed
    raw: str  # as written, trimmed (a multi-line cell keeps its line breaks)
    line: int  # 1-based line where the cell starts


@dataclass
class Block:
    """Cells between two blank lines, one tab/pipe row, or one line of running text."""

    cells: list[TableCell]
    line: int
    text: str | None = None  # running text (normalized) when this block is not a table row
    whole_row: bool = False  # one tab or pipe line: a complete row, never merged with the next
    # Whether this block is running text: an attribute, not a property, because readers ask it
    # of every block several times over (hundreds of thousands of times per thousand reports);
    # blocks are read-only once made, so it cannot go stale.
    is_text: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.is_text = self.text is not None


_RULE_ROW = re.compile(r"^[\s|｜:：\-—–]+$")




def squash(s: str) -> str:
    """Matching form of a cell: NFKC, every kind of whitespace removed."""
    # str.split() splits on exactly the characters re's \s matches; NFKC leaves ASCII and
    # already-normalized text as they are (the quick check runs in C).
    if s.isascii() or unicodedata.is_normalized("NFKC", s):
        return "".join(s.split())
    return "".join(normalize_text(s).split())


def squashed_text(doc: Document) -> str:
    """The whole document in matching form without any whitespace (line breaks included):
    every cell text and every squashed line the block reader makes is a substring of it, so
    a word missing here is missing from every cell. Computed once per document."""
    norm = doc.norm
    cached = doc.__dict__.get("_squashed_cache")
    if cached is None or cached[0] is not norm:
        cached = (norm, "".join(doc.text.split()))
        doc.__dict__["_squashed_cache"] = cached
    return cached[1]


def split_cells(raw: str) -> list[str] | None:
    """The cells of a table line, [] for a markdown rule row, None for running text.

    One leading tab alone marks a new cell (one-cell-per-line layout); in a row with more tabs
    a leading tab is an empty first cell (a merged or blank column), and is kept as one.
    """
    if "\t" in raw:
        if raw.startswith("\t") and raw.count("\t") == 1:
            return [raw[1:]]
        return raw.split("\t")
    s = raw.strip()
    pipes = s.count("|") + s.count("｜")
    if s.startswith(("|", "｜")) or pipes >= 2:
        if _RULE_ROW.match(s):
            return []
        s = _PIPE_LEAD.sub("", s)
        s = _PIPE_END.sub("", s)
        return _PIPE_SPLIT.split(s)
    return None


_PIPE_LEAD = re.compile(r"^[|｜]")
_PIPE_END = re.compile(r"[|｜]$")
_PIPE_SPLIT = re.compile(r"[|｜]")


class BlockList(list):
    """The blocks of a document range as `blocks` hands them out: a list, with a place (`memo`)
    for what readers derive from it, since the same range is asked the same questions by detect
    and by extract. Only lists made by `blocks` have one; a caller's own list has none."""

    __slots__ = ("memo",)

    def __init__(self, items=()) -> None:
        super().__init__(items)
        self.memo: dict = {}


def memo_of(blks: list[Block]) -> dict | None:
    return blks.memo if type(blks) is BlockList else None


def blocks(doc: Document, start: int = 0, end: int | None = None) -> list[Block]:
    """Lines [start, end) (0-based) as table blocks and running-text blocks, in order.

    A line without a tab or pipe directly after a cell continues that cell (Word cells that
    span lines); after a blank line it is running text.

    Every family's detect and extract asks for the same blocks, so they are built once per
    document and range; callers treat them as read-only (they copy a block's cells to change them).
    """
    n = len(doc.lines)
    end = n if end is None else end
    cache = doc.__dict__.setdefault("_blocks_cache", {})
    key = (start, end)
    if key not in cache:
        marks = doc.__dict__.get("_blocks_marks")
        if key != (0, n) and marks is not None and 0 <= start <= end <= n and not marks[1][start] and not marks[1][end]:
            # No block is open where the range starts or ends: its blocks are exactly the ones
            # the whole document's pass made from these lines (same state at its first line,
            # and no later line reaches back into them).
            cache[key] = BlockList(cache[(0, n)][marks[0][start]:marks[0][end]])
        elif key == (0, n):
            cache[key] = BlockList(_blocks(doc, 0, n, marks=True))
        else:
            cache[key] = BlockList(_blocks(doc, start, end))
    return cache[key]


_BLANK = object()  # a blank line in `_line_cells`


def _line_cells(doc: Document) -> list:
    """Per line, what `_blocks` reads from it whatever the range: _BLANK, None for a line of
    running text, [] for a markdown rule row, the TableCell of a one-cell line ("\\tcell", the
    cell-per-line layout), else the list of the line's cells. Computed once per document, so the
    blocks of each range (a form of a multi-form file) do not split and squash again."""
    cached = doc.__dict__.get("_line_cells_cache")
    if cached is not None:
        return cached
    out: list = []
    append = out.append
    cell = TableCell
    norm = doc.norm
    for i, raw in enumerate(doc.lines):
        if "\t" in raw:
            # A TAB row: its cells' matching form is the normalized line's parts, squashed (NFKC
            # neither makes nor removes a TAB, and no character composes across one), so no
            # cell is normalized again.
            if raw[0] == "\t" and raw.find("\t", 1) < 0:
                append(cell("".join(norm[i][1:].split()), raw[1:].strip(), i + 1))
            else:
                append([cell("".join(n.split()), r.strip(), i + 1) for r, n in zip(raw.split("\t"), norm[i].split("\t"))])
            continue
        if not raw.strip():
            out.append(_BLANK)
            continue
        if "|" not in raw and "｜" not in raw:
            append(None)  # running text: what split_cells says of a line without TAB or bar
            continue
        parts = split_cells(raw)
        if parts is None or not parts:
            out.append(parts)
            continue
        out.append([TableCell(squash(p), p.strip(), i + 1) for p in parts])
    doc.__dict__["_line_cells_cache"] = out
    return out


def _blocks(doc: Document, start: int, end: int, marks: bool = False) -> list[Block]:
    """`blocks` of lines [start, end). With `marks` (the whole document), also notes before each
    line how many blocks were made and whether one was open (doc._blocks_marks), so that
    `blocks` can hand out ranges that begin and end with no block open as slices."""
    out: list[Block] = []
    cur: Block | None = None
    per_line = _line_cells(doc)
    norm = doc.norm
    made: list[int] = []
    open_at: list[bool] = []
    for i in range(start, end):
        if marks:
            made.append(len(out))
            open_at.append(cur is not None)
        cells = per_line[i]
        if cells.__class__ is TableCell:  # a one-cell line: the open block goes on
            if cur is None:
                cur = Block([], i + 1)
                out.append(cur)
            cur.cells.append(cells)
            continue
        if cells is _BLANK:
            cur = None
            continue
        if cells is None:
            if cur is not None and cur.cells:
                raw = doc.lines[i]
                last = cur.cells[-1]
                # squash(raw) is the normalized line without whitespace
                cur.cells[-1] = TableCell(last.text + "".join(norm[i].split()), (last.raw + "\n" + raw.strip()).strip(), last.line)
            else:
                out.append(Block([], i + 1, text=norm[i].strip()))
            continue
        if not cells:
            continue
        if len(cells) >= 2:
            out.append(Block(list(cells), i + 1, whole_row=True))
            cur = None
        else:
            if cur is None:
                cur = Block([], i + 1)
                out.append(cur)
            cur.cells.append(cells[0])
    if marks:
        made.append(len(out))
        open_at.append(False)  # nothing follows the last line
        doc.__dict__["_blocks_marks"] = (made, open_at)
    return out


def cell_number(cell: TableCell | None) -> Decimal | None:
    """A cell that holds just a number (N/A markers and text give None)."""
    if cell is None:
        return None
    return _number_of(cell.text)


@lru_cache(maxsize=8192)
def _number_of(text: str) -> Decimal | None:
    # Cached by text (a Decimal is immutable): "10", "9.5", "—" recur in every grid.
    if is_na(text):
        return None
    m = _CELL_NUMBER.fullmatch(text)
    return clean(dec(m.group(1))) if m else None


_CELL_NUMBER = re.compile(rf"({NUM})(?:分)?")


_COLUMN_WORDS = {"序号", "备注", "项目名称", "单位名称", "金额", "说明"}


def field_value(blks: list[Block], label: str) -> TableCell | None:
    """The value a label governs: the next non-empty cell after a label cell, or the text after
    "label：" in running text. `label` is a regex matched against the whole label. A label cell
    followed by another column title (序号 | 项目名称 | 备注) is a table header, not a field."""
    lab, inline, exact = _field_patterns(label)
    for b in blks:
        if b.is_text:
            m = inline.match(b.text)
            if m:
                v = m.group("v").strip()
                return TableCell(squash(v), v, b.line)
            continue
        for j, c in enumerate(b.cells):
            if (c.text in exact) if exact is not None else lab.fullmatch(c.text):
                nxt = next((x for x in b.cells[j + 1:] if x.text), None)
                if nxt is not None and nxt.text not in _COLUMN_WORDS:
                    return nxt
                break
    return None


@lru_cache(maxsize=256)
def _field_patterns(label: str) -> tuple[re.Pattern, re.Pattern, frozenset[str] | None]:
    """The label cell pattern, the inline "label：value" pattern, and, for a label written as
    plain alternatives ("主管部门|实施单位", "部门\\(单位\\)名称"), the set of cell texts the cell
    pattern accepts (each word, alone or with a colon), tested faster than the pattern."""
    plain = label.replace("\\(", "\x00").replace("\\)", "\x01")
    exact = None
    if not any(ch in plain for ch in "\\.^$*+?{}[]()"):
        words = [a.replace("\x00", "(").replace("\x01", ")") for a in plain.split("|")]
        exact = frozenset(w + suffix for w in words for suffix in ("", ":", "："))
    return re.compile(rf"(?:{label})[:：]?"), re.compile(rf"^(?:{label})\s*[:：]\s*(?P<v>\S.*)$"), exact


# ---------------------------------------------------------------------------------------------
# Document facts found by their labels.

_FY_RE = re.compile(r"((?:19|20)\d{2})\s*年度")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
_MONEY_CONTEXT = re.compile(r"预算|资金|财政|决算|支出|拨款|经费")


def find_fiscal_year(doc: Document, start: int = 0, end: int | None = None) -> int | None:
    """The year evaluated: the first "YYYY年度", else the first "YYYY年" in a sentence about
    money (预算/资金/财政…). Dates ("2021年7月") are not fiscal years."""
    norm = doc.norm
    end = len(norm) if end is None else end
    for i in range(start, end):
        if "年" in norm[i]:  # the pattern needs 年
            m = _FY_RE.search(norm[i])
            if m:
                return int(m.group(1))
    for i in range(start, end):
        line = norm[i]
        if "年" in line and _MONEY_CONTEXT.search(line):
            m = _YEAR_RE.search(line)
            if m:
                return int(m.group(1))
    return None


_UNIT_LABEL = r"部门\(单位\)名称|单位名称|部门名称|主管部门|实施单位|被评价单位"
_ADMIN = r"(?:自治县|自治州|县|区|市|旗|州|盟)"
_UNIT_IN_TITLE = re.compile(rf"^(?:附件[\d\-]*[:：]?\s*|关于)?([{_CJK}]{{1,20}}?{_ADMIN}总工会)")
_UNIT_IN_TEXT = re.compile(rf"(?<![{_CJK}])([{_CJK}]{{1,20}}?{_ADMIN}总工会)")
_NOT_A_NAME = re.compile(r"^(?:我|本|该|全|各|此|县|区|市|旗)")


def find_unit_name(doc: Document, blks: list[Block] | None = None) -> tuple[str, int] | None:
    """The union's name and line: a labelled field first, then a title line, then a name that
    stands on its own in the text ("我县总工会" is not a name)."""
    blks = blocks(doc) if blks is None else blks
    cell = field_value(blks, _UNIT_LABEL)
    if cell and cell.text.endswith("总工会"):
        return cell.text, cell.line
    titles = [b for b in blks if b.is_text][:15]
    for b in titles:
        if len(b.text) <= 40:
            m = _UNIT_IN_TITLE.match(b.text.replace(" ", ""))
            if m and not _NOT_A_NAME.match(m.group(1)):
                return m.group(1), b.line
    for i, line in enumerate(doc.norm, start=1):
        for m in _UNIT_IN_TEXT.finditer(line.replace(" ", "")):
            if not _NOT_A_NAME.match(m.group(1)):
                return m.group(1), i
    return None


def kind_from_title(doc: Document, blks: list[Block] | None = None) -> tuple[str, int] | None:
    """The report kind a title line declares (部门整体/部门…报告 or 项目…)."""
    blks = blocks(doc) if blks is None else blks
    for b in [b for b in blks if b.is_text][:10]:
        t = b.text.replace(" ", "")
        if len(t) > 40 or not re.search(r"报告|自评|评价", t):
            continue
        if "部门整体" in t or re.search(r"部门(?:绩效)?(?:自评|评价)报告", t):
            return "department_overall", b.line
        if "项目" in t:
            return "project", b.line
    return None


PROJECT_CONTENT = re.compile(r"项目概况|项目绩效目标|项目决策|项目过程|项目产出|项目效益|该项目")
_DEPT_CONTENT = re.compile(r"部门整体支出|部门整体绩效|部门职责|人员编制|基本支出")


def kind_from_content(doc: Document, start: int = 0, end: int | None = None) -> str | None:
    """What the body evaluates: one project (项目概况, 项目决策…) or the whole department."""
    text = "\n".join(doc.norm[start:end])
    p, d = len(PROJECT_CONTENT.findall(text)), len(_DEPT_CONTENT.findall(text))
    if p > d:
        return "project"
    if d > p:
        return "department_overall"
    return None


_FIRM = re.compile(rf"[{_CJK}()（）]{{4,40}}(?:有限公司|有限责任公司|事务所)$")


def find_evaluation_mode(doc: Document, start: int = 0, end: int | None = None) -> str | None:
    """Who evaluated: the 评价方式 field when there is one; else a firm named as the author on
    the cover or as 评价机构 (third party); else the wording (自评, 财政评价, 部门评价, or the
    unit's own 评价小组). A 第三方 that audits dues (seed 003) does not make a third-party report."""
    blks = blocks(doc, start, end)
    mode = field_value(blks, r"评价方式|评价类型")
    if mode is not None:
        for pattern, value in ((r"第三方", "third_party"), (r"自评", "self"), (r"财政", "finance"), (r"部门", "department")):
            if re.search(pattern, mode.text):
                return value
    evaluator = field_value(blks, r"评价机构|评价单位")
    covers = [b.text.replace(" ", "") for b in blks if b.is_text][:15]
    if (evaluator and _FIRM.search(evaluator.text)) or any(_FIRM.fullmatch(t) for t in covers):
        return "third_party"
    text = "\n".join(doc.norm[start:end]).replace(" ", "")
    if "自评" in text:
        return "self"
    if re.search(r"第三方[^。；\n]{0,20}评价|委托[^。；\n]{0,30}(?:公司|事务所)[^。；\n]{0,20}评价", text):
        return "third_party"
    if re.search(r"财政(?:重点)?评价", text):
        return "finance"
    if re.search(r"我单位|本单位|我局", text) and re.search(r"评价(?:工作)?(?:小)?组", text):
        return "self"
    if "部门评价" in text:
        return "department"
    return None


def find_project_name(blks: list[Block]) -> TableCell | None:
    """项目名称 field, else the project a 项目概况 paragraph opens with ("工会经费项目主要用于…")."""
    cell = field_value(blks, r"项目名称")
    if cell is not None:
        return cell
    for b in blks:
        if b.is_text:
            m = re.search(rf"项目概况[。.:：]?\s*([{_CJK}]{{2,20}}?项目)(?:主要|是|为|用于|系|包括)", b.text)
            if m:
                return TableCell(m.group(1), m.group(1), b.line)
    return None


_GRADE_LABEL = r"绩效自评等级|评价等次|评价等级|绩效等级|绩效评级|评定等级|等次|等级|评级"
_GRADE_WORD = r"优秀|良好|不合格|合格|较差|中等|优|良|中|差"
_GRADE_RE = re.compile(
    rf"(?:{_GRADE_LABEL})\s*(?:为|是|:|：|评定为|确定为|被评为)?\s*[“\"「『]?(?P<g>{_GRADE_WORD})(?P<after>.?)"
)


def find_grade(doc: Document, blks: list[Block]) -> tuple[str, str, int] | None:
    """(grade_raw, grade, line) from "评价等级优" or a 评价等次 cell; enumerations of the
    grade scale ("等级分为优、良、中、差") are not a grade."""
    cell = field_value(blks, _GRADE_LABEL)
    if cell and re.fullmatch(rf"(?:{_GRADE_WORD})", cell.text):
        return cell.raw, grade_of(cell.text), cell.line
    for b in blks:
        if not b.is_text:
            continue
        text = b.text.replace(" ", "")
        if "等" not in text and "评级" not in text:
            continue  # every grade label has 等 or 评级
        for m in _GRADE_RE.finditer(text):
            if m.group("after") in ("、", "/", "，", ","):
                continue
            return m.group("g"), grade_of(m.group("g")), b.line
    return None


_SCORE_LABEL = r"绩效自评综合得分|综合评价得分|自评综合得分|综合得分|评价总分|总得分|最终得分|评价得分|自评得分|总分"
_SCORE_RE = re.compile(rf"(?:{_SCORE_LABEL})\s*(?:为|是|:|：|达到|达)?\s*(?P<num>{NUM})\s*分")
_SCORE_LABEL_CELL = re.compile(rf"(?:{_SCORE_LABEL})")


def score_from_cells(blks: list[Block]) -> tuple[Decimal, Decimal | None, str, int] | None:
    """(score, full mark or None, raw, line) from a 总分 row: one number is the score; two are
    分值 then 得分, the order of every national and provincial form."""
    for b in blks:
        for j, c in enumerate(b.cells):
            if "分" in c.text and _SCORE_LABEL_CELL.fullmatch(c.text):  # every score label has 分
                nums = [(n, x) for x in b.cells[j + 1:] if (n := cell_number(x)) is not None]
                if len(nums) == 1:
                    if nums[0][0] == 100 and len(b.cells) > 3:
                        # a lone 100 in a wide row: the full mark in the 分值 column with the 得分
                        # cell left empty (a half-filled form) as likely as a perfect score
                        return None
                    return nums[0][0], None, nums[0][1].raw, nums[0][1].line
                if len(nums) == 2:
                    return nums[1][0], nums[0][0], nums[1][1].raw, nums[1][1].line
    return None


def score_from_text(blks: list[Block]) -> tuple[Decimal, str, int] | None:
    """(score, raw, line) from running text such as "综合评价得分100分"."""
    for b in blks:
        if b.is_text:
            m = _SCORE_RE.search(b.text.replace(" ", ""))
            if m:
                value = clean(dec(m.group("num")))
                if value is not None and value <= 100:
                    return value, m.group(0), b.line
    return None


# ---------------------------------------------------------------------------------------------
# Money and rates under their labels.

MONEY_LABELS: tuple[tuple[str, str], ...] = (
    ("budget_initial_yuan", r"年初预算数|年初批复预算数?|年初预算"),
    # a budget without 年初/调整 qualifier ("安排…项目资金") is the full-year budget (the gold
    # convention of tests/corpus/realdev, which the review scores by)
    ("budget_adjusted_yuan", r"全年预算数|调整后(?:全年)?预算数?|(?:部门预算|安排[^，。；,;]{0,8}?)项目资金"),
    ("expenditure_yuan", r"全年执行数|决算支出数?|支出预算完成数|实际支出数?"),
    ("procurement_budget_yuan", r"政府采购预算(?:数|金额)?"),
    ("procurement_actual_yuan", r"实际政府采购(?:金额|支出)?|政府采购实际(?:金额|支出)"),
    ("three_public_budget_yuan", r"[\"“]?三公[\"”]?经费预算(?:数|安排数)?"),
    ("three_public_actual_yuan", r"[\"“]?三公[\"”]?经费(?:实际支出|支出|决算数?)"),
    ("exp_household_transfers_yuan", r"对个人和家庭(?:的)?补助(?:支出)?"),
)
PCT_LABELS: tuple[tuple[str, str], ...] = (
    ("procurement_exec_pct", r"政府采购执行率"),
    ("three_public_control_pct", r"[\"“]?三公[\"”]?经费控制率"),
    ("budget_exec_pct", r"预算执行率|支出预算完成率|预算完成率|执行率"),
)
_CONNECT = r"\s*(?:为|是|达|:|：|共|计|合计|共计|约)?\s*"
UNIT_ONLY = re.compile(r"(?:单位[:：])?[（(]?(?:万元|元)[）)]?")
_VALUE_CELL = re.compile(rf"-?{NUM}(?:万元|亿元|元|%)?")
_RULE_AFTER = re.compile(r"^\s*(?:得|计|扣|及以上|以上|以下|\(含\)|（含）)")


def _money_re(label: str) -> re.Pattern:
    return re.compile(
        rf"(?:{label})\s*(?:[（(](?P<hu>万元|元)[）)])?{_CONNECT}(?P<num>{NUM})\s*(?P<scale>万|亿)?\s*(?P<yuan>元)?"
    )


_UNIT_IN_PARENS = re.compile(r"[（(](万元|元)[）)]")
_UNIT_LINE = re.compile(r"单位[:：]\s*(万元|元)|[（(](万元|元)[）)]\s*$")


def declared_unit(doc: Document, line: int, blk: Block | None = None, nxt: Block | None = None) -> str | None:
    """A money unit declared for a table: in its header cells, the row under them, or a
    "单位：万元" line just above it."""
    for b in (blk, nxt):
        if b is not None:
            for text in [c.text for c in b.cells] + ([squash(b.text)] if b.is_text else []):
                m = _UNIT_IN_PARENS.search(text) if "元" in text else None
                if m:
                    return m.group(1)
    for i in range(max(0, line - 6), line - 1):
        m = _UNIT_LINE.search(doc.norm[i].replace(" ", ""))
        if m:
            return m.group(1) or m.group(2)
    return None


def to_yuan(number: Decimal, unit: str) -> Decimal:
    return clean(number * {"万元": WAN, "亿元": Decimal(100_000_000), "元": Decimal(1)}[unit])


_LABELS = [(m, lab, "yuan") for m, lab in MONEY_LABELS] + [(m, lab, "pct") for m, lab in PCT_LABELS]
_CELL_SUFFIX = r"(?:[（(](?:万元|元|%)[）)])?"
# Per label: the label cell, the money sentence or the rate sentence.
_LABEL_CELL = {m: re.compile(rf"(?:{lab}){_CELL_SUFFIX}") for m, lab, _ in _LABELS}
_LABEL_TEXT = {
    m: _money_re(lab) if kind == "yuan" else re.compile(rf"(?<!采购)(?<!控制)(?<!经费)(?:{lab}){_CONNECT}(?P<num>-?{NUM})\s*%")
    for m, lab, kind in _LABELS
}
# Any label at all: a cell or a line this does not match holds no metric (each pattern above
# needs its label there), so most cells and lines are passed over after one test.
_ANY_LABEL_CELL = re.compile(rf"(?:{'|'.join(lab for _, lab, _ in _LABELS)}){_CELL_SUFFIX}")
# Every label contains one of these words outside any optional part (checked below when the
# module loads), so running text with none of them holds no label: a few substring tests
# instead of a regex search over every paragraph.
_LABEL_WORDS = (
    "年初", "项目资金", "全年预算", "调整后", "全年执行", "决算支出", "支出预算完成", "实际支出", "政府采购", "三公",
    "对个人和家庭", "执行率", "完成率",
)


def _required_words_cover(pattern: str, words: tuple[str, ...]) -> bool:
    """Does each top-level alternative of `pattern` hold one of `words` literally, outside
    groups and character classes and not under a quantifier? (A syntactic check, enough for
    the plain label patterns above; a new label that fails it needs a new word.)"""
    alts, depth, klass, cur = [], 0, False, []
    for ch in pattern:
        if klass:
            klass = ch != "]"
        elif ch == "[":
            klass = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            alts.append("".join(cur))
            cur = []
            continue
        cur.append(ch if depth == 0 and not klass and ch not in "[]()" else "\0")
    alts.append("".join(cur))
    return all(
        any(k >= 0 and alt[k + len(w):k + len(w) + 1] not in ("?", "*", "{") for w in words for k in [alt.find(w)])
        for alt in alts
    )


assert all(_required_words_cover(lab, _LABEL_WORDS) for _, lab, _ in _LABELS)
_ANY_LABEL_WORD = re.compile("|".join(map(re.escape, _LABEL_WORDS)))  # literals: a fast scan


def find_metrics(doc: Document, blks: list[Block], ev: Evaluation) -> None:
    """Set every money figure and rate found under its label (the first occurrence wins)."""
    labels = _LABELS
    # Cells: "label | value" pairs and header rows with a value row beneath.
    for k, b in enumerate(blks):
        if b.is_text:
            continue
        nxt = next((x for x in blks[k + 1:k + 2] if not x.is_text), None)
        for j, c in enumerate(b.cells):
            if not _ANY_LABEL_CELL.fullmatch(c.text):
                continue
            for metric, lab, kind in labels:
                if metric in ev.metrics or not _LABEL_CELL[metric].fullmatch(c.text):
                    continue
                value_cell = next((x for x in b.cells[j + 1:] if x.text), None)
                if value_cell is not None and not _VALUE_CELL.fullmatch(value_cell.text):
                    value_cell = None  # the next cell is another label: a header row
                if value_cell is None and nxt is not None and len(nxt.cells) == len(b.cells):
                    value_cell = nxt.cells[j]
                if value_cell is None or is_na(value_cell.text):
                    continue
                _set_from_cell(doc, ev, metric, kind, value_cell, b, nxt)
    # Running text: "全年执行数为118.5万元", "执行率98.75%".
    for b in blks:
        if not b.is_text:
            continue
        text = b.text.replace(" ", "")
        if not _ANY_LABEL_WORD.search(text):
            continue
        for metric, lab, kind in labels:
            if metric in ev.metrics:
                continue
            if kind == "yuan":
                for m in _LABEL_TEXT[metric].finditer(text):
                    unit = ("万元" if m.group("scale") == "万" else "亿元" if m.group("scale") == "亿" else "元") if m.group("yuan") else m.group("hu")
                    if unit is None:
                        continue
                    raw = text[m.start("num"):m.end()]
                    ev.set_metric(metric, to_yuan(dec(m.group("num")), unit), raw, b.line)
                    break
            else:
                for m in _LABEL_TEXT[metric].finditer(text):
                    if _RULE_AFTER.match(text[m.end():]):
                        continue  # a scoring rule ("执行率为100%得满分"), not a stated rate
                    ev.set_metric(metric, clean(dec(m.group("num"))), text[m.start("num"):m.end()], b.line)
                    break


def _set_from_cell(doc: Document, ev: Evaluation, metric: str, kind: str, cell: TableCell, blk: Block, nxt: Block | None) -> None:
    if kind == "pct":
        value = pct(cell.text)
        if value is None:
            value = cell_number(cell)
        if value is not None:
            ev.set_metric(metric, value, cell.raw, cell.line)
        return
    m = re.fullmatch(rf"({NUM})(万元|亿元|元)?", cell.text)
    if not m:
        return
    unit = m.group(2) or declared_unit(doc, blk.line, blk, nxt)
    if unit is None:
        return  # a bare number with no unit anywhere: 元 or 万元 would be a guess
    note = None if m.group(2) else f"金额单位取自表头（{unit}）"
    ev.set_metric(metric, to_yuan(dec(m.group(1)), unit), cell.raw, cell.line, note=note)


@dataclass(frozen=True)
class MoneyMention:
    """One amount of money in running text, with the words it belongs to."""

    raw: str  # "138.6万余元"
    yuan: Decimal
    subject: str  # clause text before the amount
    prev_subject: str  # the previous clause of the same sentence ("困难职工帮扶594人次")
    unit_missing: bool  # "134万" (no 元)
    approx: bool  # 余/多
    line: int


_MONEY_IN_TEXT = re.compile(
    rf"(?P<num>{NUM})\s*(?P<a1>余|多)?\s*(?:(?P<scale>万|亿)\s*(?P<a2>余|多)?\s*(?P<yuan>元)?|(?P<yuan2>元))"
)


_SENTENCE_SPLIT = re.compile(r"[。；;]")
_CLAUSE_SPLIT = re.compile(r"[，,]")


def money_mentions(text: str, line: int) -> list[MoneyMention]:
    """Every amount of money in a line of running text; "15万人次" is a count, not money."""
    out: list[MoneyMention] = []
    for sentence in _SENTENCE_SPLIT.split(text.replace(" ", "")):
        prev = ""
        for clause in _CLAUSE_SPLIT.split(sentence):
            for m in _MONEY_IN_TEXT.finditer(clause):
                after = clause[m.end():m.end() + 1]
                has_yuan = bool(m.group("yuan") or m.group("yuan2"))
                if not has_yuan and re.match(rf"[{_CJK}]", after or ""):
                    continue  # 万 followed by a count word (人次, 人, 户…)
                if m.start() > 0 and clause[m.start() - 1] in "第":
                    continue
                scale = WAN if m.group("scale") == "万" else Decimal(100_000_000) if m.group("scale") == "亿" else Decimal(1)
                out.append(
                    MoneyMention(
                        raw=m.group(0),
                        yuan=clean(dec(m.group("num")) * scale),
                        subject=clause[: m.start()],
                        prev_subject=prev,
                        unit_missing=not has_yuan,
                        approx=bool(m.group("a1") or m.group("a2")),
                        line=line,
                    )
                )
            prev = clause
    return out


def wan(yuan: Decimal) -> str:
    """An amount in 元 shown in 万元, as the reports write it."""
    return f"{clean(yuan / WAN)}"


# ---------------------------------------------------------------------------------------------
# Findings: 存在的问题 and 建议 sections.

_TOP_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+[章部分节])")
_SUB_HEADING = re.compile(r"^\s*[（(][一二三四五六七八九十\d]+[)）]")
_PROBLEM_WORDS = re.compile(
    r"问题|不足|缺口|不够|有待|尚未|欠缺|滞后|不强|不高|不完善|不到位|不规范|不充分|偏低|较少|短缺|薄弱|不明确|不够细"
)
_ITEM_SPLIT = re.compile(r"(?=(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|(?<!\d)\d+[、.．](?!\d)))")
_ITEM_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])\s*")


_PROBLEM_HEADING = re.compile(r"问题|不足")
_RECO_HEADING = re.compile(r"建议|措施|对策|改进")


def _section_kind(heading: str) -> str | None:
    has_problem = bool(_PROBLEM_HEADING.search(heading))
    has_reco = bool(_RECO_HEADING.search(heading))
    if has_problem and has_reco:
        return "mixed"
    if has_problem:
        return "problem"
    if has_reco:
        return "recommendation"
    return None


def find_findings(doc: Document, start: int = 0, end: int | None = None) -> list[Finding]:
    """Problem and recommendation items from their sections. A section that also reports
    experience (经验做法及存在的问题) keeps only the paragraphs that state a problem."""
    norm, lines = doc.norm, doc.lines
    end = len(norm) if end is None else end
    out: list[Finding] = []
    kind: str | None = None
    with_experience = False
    for i in range(start, end):
        line = norm[i].strip()
        if not line or "\t" in lines[i]:
            continue
        if _TOP_HEADING.match(line) and len(line) <= 40:
            kind = _section_kind(line)
            with_experience = "经验" in line
            continue
        if kind is None:
            continue
        if _SUB_HEADING.match(line) and len(line) <= 30:
            sub = _section_kind(line)
            if sub in ("problem", "recommendation"):
                kind = sub
            continue
        for item in _ITEM_SPLIT.split(doc.lines[i].strip()):  # the text as written
            item = _ITEM_PREFIX.sub("", item).strip()
            if len(item) < 6:
                continue
            pieces = [item]
            if kind == "recommendation":
                pieces = [p for p in re.split(r"(?<=。)(?=建议)", item) if p.strip()]
            for piece in pieces:
                k = kind
                if kind == "mixed":
                    k = "problem" if _PROBLEM_WORDS.search(piece) else "recommendation"
                elif kind == "problem" and with_experience and not _PROBLEM_WORDS.search(piece):
                    continue  # an experience paragraph in a "经验做法及存在的问题" section
                out.append(Finding(kind=k, category=None, text=piece.strip(), line=i + 1))
    return out


# ---------------------------------------------------------------------------------------------
# Document-level flags.

_ARTIFACT = re.compile(r"\[bookmark:[^\]]*\]|\{\\\*\\bkmk[^}]*\}|_GoBack")
_DATE_NO_YEAR = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def flag_layout_artifacts(ev: Evaluation, doc: Document, start: int = 0, end: int | None = None) -> None:
    text = doc.text
    if "[bookmark:" not in text and "bkmk" not in text and "_GoBack" not in text:
        return  # every artifact pattern needs one of these
    norm = doc.norm
    end = len(norm) if end is None else end
    for i in range(start, end):
        for m in _ARTIFACT.finditer(norm[i]):
            ev.flag("layout_artifact", f"Word 转换残留的书签标记“{m.group(0)}”", i + 1)


def flag_dates_without_year(ev: Evaluation, doc: Document, start: int = 0, end: int | None = None) -> None:
    norm = doc.norm
    end = len(norm) if end is None else end
    for i in range(start, end):
        line = norm[i]
        if "日" not in line:
            continue  # a date needs 日
        dates = [
            re.sub(r"\s+", "", m.group(0))
            for m in _DATE_NO_YEAR.finditer(line)
            if not re.search(r"年\s*$", line[: m.start()])
        ]
        if dates:
            ev.flag("date_without_year", f"日期没有写年份：{'、'.join(dates)}", i + 1)


def _short(name: str | None) -> str | None:
    if not name:
        return None
    return re.sub(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|地区|盟)$", "", name) or name


def resolve(doc: Document, name: str, line: int, fiscal_year: int | None) -> Unit:
    return resolve_unit(name, hint_text=doc.text, fiscal_year=fiscal_year, line=line)


def flag_region(ev: Evaluation, doc: Document) -> None:
    """region_unresolved when no province was found; region_inferred when the report names
    neither the province nor the city (they came from the county name alone)."""
    u = ev.unit
    if not u.name:
        return
    if not u.province:
        ev.flag("region_unresolved", f"无法确定“{u.name}”所在的省、市", u.line)
        return
    text = doc.text.replace(" ", "")
    named = [x for x in (u.province, u.city) if x and (x in text or _short(x) in text)]
    if not named:
        where = "".join(x for x in (u.province, u.city, u.county) if x)
        ev.flag("region_inferred", f"报告未写省、市，按“{u.name}”推断为{where}（{u.admin_code}）", u.line)
