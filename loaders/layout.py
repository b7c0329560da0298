"""Re-flow: bring the layouts a converter may produce into the ones the families read.

The families read table cells one per line after a TAB (blank lines between rows), or one row
per line with cells split by TABs; they read labels in their matching form (NFKC). Real files
of the same template also arrive as:
- one cell per line ending in '|'                      -> one cell per line after a TAB;
- '| a | b |' rows whose long cells wrap onto the next line, and whose continuation rows leave
  out the row-spanning cells on the left             -> TAB rows, wraps joined, rows right-aligned;
- flattened lines, cells separated by spaces only      -> TAB rows (only in a document with no
  '|' table, and no TAB table unless a flattened header line stands beside it; only for lines
  that look like table rows). Their cells are placed under the header by what each column can
  hold (level vocabulary, figures, rates, prose), by the arithmetic of the forms and by the
  weights the level labels state; a text cell with spaces inside is joined again; figures run
  together ("646410") are split, in a document that shows glued figures. The header may come
  after its rows (a converter that writes it last): the rows above it are read under it, and
  the header takes the place of the line above them when that line holds no figure;
- OCR text: labels misread (总汾 for 总分), digits read as letters inside numbers (1O0%),
  full-width digits                                    -> repaired through a small confusion table.

`reflow` never changes the number of lines: a joined row stays on its first line and the lines
it took become empty, so every `line` a family reports still points into the original text (a
moved header holds no figure). Nothing here invents a value: a flattened row whose cells cannot
be placed under its header without guessing keeps only what is certain, the rest is left out and
its line reported (`unread_rows`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import combinations

from loaders import lexicon as _lexicon
from loaders.read import Document, normalize_text

# ---------------------------------------------------------------------------------------------
# OCR repair

# The confusion table is data (lexicon/ocr.toml [words] and [patterns]), shared with the text
# normaliser of the extraction core.

_OCR = _lexicon.load("ocr")
OCR_LABELS: tuple[tuple[str, str], ...] = tuple(_OCR["words"].items())
_OCR_LABEL_RE = re.compile("|".join(re.escape(w) for w, _ in OCR_LABELS))
_OCR_LABEL_MAP = dict(OCR_LABELS)
_WAN_WU = re.compile(_OCR["patterns"]["wan_wu"])
_LETTER_DIGIT = re.compile(_OCR["patterns"]["letter_digit"])
_LETTER_TO_DIGIT = str.maketrans("OolI", "0011")
_OCR_WORDS = tuple(w for w, _ in OCR_LABELS) + ("万无",)
_OCR_HINT = re.compile(r"\d[OolI]|" + "|".join(re.escape(w) for w in _OCR_WORDS))


def _has_ocr_hint(text: str) -> bool:
    """_OCR_HINT.search(text), faster: its words (substring scans), or a digit before O/o/l/I
    (only looked for where one of those letters occurs at all)."""
    if any(w in text for w in _OCR_WORDS):
        return True
    return ("O" in text or "o" in text or "l" in text or "I" in text) and bool(_OCR_HINT.search(text))


def repair_ocr(line: str) -> str:
    if not _OCR_HINT.search(line):
        return line
    line = _OCR_LABEL_RE.sub(lambda m: _OCR_LABEL_MAP[m.group(0)], line)
    line = _WAN_WU.sub("万元", line)
    return _LETTER_DIGIT.sub(lambda m: m.group(0).translate(_LETTER_TO_DIGIT), line)


# ---------------------------------------------------------------------------------------------
# Cells ending in '|'

_PIPE_CELL = re.compile(r"^([^|｜\t]*)[|｜]\s*$")


def _pipe_cells(lines: list[str]) -> list[str]:
    """"年初预算数|" -> "\t年初预算数" when at least five lines are written that way."""
    hits = [i for i, line in enumerate(lines) if _PIPE_CELL.match(line)]
    if len(hits) < 5:
        return lines
    out = list(lines)
    for i in hits:
        out[i] = "\t" + _PIPE_CELL.match(lines[i]).group(1).strip()
    return out


# ---------------------------------------------------------------------------------------------
# '|' rows

_RULE_ROW = re.compile(r"^\s*[|｜]?\s*:?-{3,}:?\s*(?:[|｜]\s*:?-{3,}:?\s*)*[|｜]?\s*$")


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.startswith(("|", "｜")) and (s.count("|") + s.count("｜")) >= 2


def _row_cells(line: str) -> list[str]:
    s = line.strip().replace("｜", "|")
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") else s
    return [c.strip() for c in s.split("|")]


def _wrapped_head(lines: list[str], i: int) -> bool:
    """"| 指标2：开展…" whose one long cell a converter wrapped before its first '|': the row goes
    on over the next lines (none of them a row of its own) and ends with '|'."""
    s = lines[i].strip()
    if not s.startswith(("|", "｜")) or s.endswith(("|", "｜")):
        return False
    for nxt in lines[i + 1 : i + 4]:
        t = nxt.strip()
        if not t or t.startswith(("|", "｜")):
            return False
        if t.endswith(("|", "｜")):
            return True
    return False


def _pipe_rows(lines: list[str]) -> list[str]:
    """Pipe tables to TAB rows: a row that does not end with '|' goes on over the next lines
    (a wrapped cell) until one does. Rows that left out their row-spanning cells on the left
    stay short: which cells are missing is the family's call (the grids right-align rows under
    their header), a guess here could misplace a header row with merged columns."""
    piped = [line.strip() for line in lines if "|" in line or "｜" in line]
    framed = sum(1 for s in piped if s.startswith(("|", "｜")) and s.endswith(("|", "｜")))
    closed = sum(1 for s in piped if s.endswith(("|", "｜")))  # framed rows and wrapped rows' tails
    if framed < 2 or closed < 0.6 * len(piped):
        return lines  # "a | b" rows without frames: the families split those themselves
    out = list(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if not (_is_pipe_row(line) or _wrapped_head(lines, i)):
            i += 1
            continue
        if _RULE_ROW.match(line):
            out[i] = ""
            i += 1
            continue
        text, j = line.strip(), i
        while not text.endswith(("|", "｜")) and j + 1 < len(lines) and j - i < 3:
            nxt = lines[j + 1].strip()
            if not nxt or _is_pipe_row(nxt):
                break
            j += 1
            text += nxt
            out[j] = ""
        cells = _row_cells(text)
        out[i] = "\t".join(cells) if len(cells) > 1 else ("\t" + cells[0] if cells else "")
        i = j + 1
    return out


# ---------------------------------------------------------------------------------------------
# Flattened rows

# Column titles of the national and provincial forms, and the kind of cell each column holds.
HEADER_KINDS: dict[str, str] = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "level3", "评价内容": "level1",
    "年度指标值": "value", "实际完成值": "value", "指标值": "value", "绩效目标": "value", "完成情况": "value",
    "年度目标值": "value", "实际值": "value", "完成值": "value",
    "分值": "number", "权重": "number", "得分": "number", "自评得分": "number",
    "年初预算数": "number", "全年预算数": "number", "全年执行数": "number", "预算数": "number", "执行数": "number",
    "执行率": "pct", "得分率": "pct",
    "偏差原因分析及改进措施": "text", "扣分原因和其他说明": "text", "评分标准": "text", "备注": "text",
    "扣分说明": "text", "扣分原因": "text", "指标解释": "text", "评分依据": "text",
    "指标性质": "comparator", "度量单位": "unit", "计量单位": "unit",
}
_ROLE = {
    "年初预算数": "initial", "全年预算数": "adjusted", "预算数": "adjusted", "全年执行数": "executed",
    "执行数": "executed", "执行率": "rate", "分值": "weight", "权重": "weight", "得分": "score", "自评得分": "score",
}
# The level-1 and level-2 vocabulary of the national and provincial indicator systems: in a
# flattened row only these words can stand in those columns.
# A label may carry its weight or a note in brackets: "投入(15分)", "产出目标(部门工作实绩,…)".
_LEVEL1 = re.compile(r"^(?:部门|项目)?(?:产出|效益|效果|满意度|决策|过程|投入|管理)(?:指标|目标)?(?:\([^()]*\))?$")
_LEVEL2 = re.compile(
    r"^(?:产出)?(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|(?:社会公众或?)?服务对象满意度|满意度|预算配置|预算执行|"
    r"预算管理|资产管理|资金管理|组织实施|职责履行|履职效益|部门规划计划|绩效目标|资金配置|政府采购管理|项目立项|项目效益|"
    r"目标设定|资金投入|项目管理)(?:指标)?(?:\(\d+(?:\.\d+)?分?\))?$"
)
_VALUE_LIKE = re.compile(r"\d")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
_PCT = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?%")
_NA = {"—", "——", "-", "/", "无", "…", "……"}
_ELLIPSIS = re.compile(r"[.…]{3,}|…+")  # "……" (NFKC: "......"), a template's placeholder row
_SENTENCE = re.compile(r"[。；;，,！？]")
_SINGLE_CJK = re.compile(r"^[\u4e00-\u9fff]$")
_POINTS = re.compile(r"^[(（]\d+(?:\.\d+)?分?[)）]$")
_NUMBERED = re.compile(r"^指标\d+[:：]")
_RULE_TEXT = re.compile(r"[。;；,，≥≤<>=÷×]")
_COMPARATOR = re.compile(r"[≥≤=＝><]=?|定性|定量|正向|反向|—|——|/")
_ENDS_SENTENCE = re.compile(r"[。！？!?](?:\s*</p>)?$")
# Labels of the one-value fields of a form's head; "label value" pairs on a flattened line.
FIELD_LABELS = {
    "项目名称", "主管部门", "实施单位", "单位名称", "部门(单位)名称", "部门名称", "预算编码", "联系人", "联络电话",
    "人员编制", "实有人数", "绩效自评综合得分", "综合得分", "评价等次", "评价等级", "绩效等级",
}
_ONE_CHAR_VALUES = set("是否无有优良中差")  # one-character cells that are values, never parts of a label
_SPACED_LABEL = re.compile(r"(?:(?<=\s)|^)([\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff](?:\(|\s|$))")
_TOTAL = re.compile(r"^(?:总分|合计|总计|综合得分)$")
_SPACED_POINTS = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*分\s*\)")


def _tokens(line: str) -> list[str]:
    """Whitespace-split cells; a run of single characters ("绩 效 指 标", "总 分") is one cell,
    a lone "指标" or "(15分)" belongs to the cell before it ("满意度 指标", "部门决策 (15分)"),
    and two tokens that make a column title ("年度 指标值") are one."""
    # "投  入(15分)" -> "投入(15分)"; "(30 分)" -> "(30分)"; "是 是" stays two cells.
    line = _SPACED_POINTS.sub(r"(\1分)", line)
    line = _SPACED_LABEL.sub(lambda m: m.group(0) if m.group(1) in _ONE_CHAR_VALUES else m.group(1), line)
    out: list[str] = []
    single = False  # the last token was built from single characters
    for t in line.split():
        spaced = bool(_SINGLE_CJK.match(t)) and t not in _ONE_CHAR_VALUES
        if out and spaced and single:
            out[-1] += t
            continue
        if out and (t == "指标" or _POINTS.match(t) or ((out[-1] + t) in HEADER_KINDS and out[-1] not in HEADER_KINDS)):
            out[-1] += t
            single = False
            continue
        out.append(t)
        single = spaced
    return _merge_spaced_labels(out)


def _merge_spaced_labels(tokens: list[str]) -> list[str]:
    """A level label with its weight that a converter broke with spaces ("政府采 购管 理(3分)",
    "部门 产出(30分)"): the tokens that together make a label of the closed level-1/level-2
    vocabulary are one cell."""
    out: list[str] = []
    k = 0
    while k < len(tokens):
        for n in (3, 2):
            run = "".join(tokens[k : k + n])
            if k + n <= len(tokens) and "分)" in tokens[k + n - 1] and (_LEVEL1.match(run) or _LEVEL2.match(run)):
                out.append(run)
                k += n
                break
        else:
            out.append(tokens[k])
            k += 1
    return out


def _header_of(tokens: list[str]) -> list[str] | None:
    kinds = [HEADER_KINDS.get(t) for t in tokens]
    named = sum(1 for k in kinds if k)
    return tokens if named >= 3 and named >= len(tokens) - 2 else None


def cell_fits(cell: str, kind: str | None) -> bool:
    """Can this cell stand in a column of this kind (level1/level2/level3 vocabulary, number,
    pct, value, text)? Used to place cells whose columns a layout lost."""
    return _kind_ok(normalize_text(cell).strip(), kind)


@lru_cache(maxsize=16384)  # pure; the same cells are tried against the same kinds row after row
def _kind_ok(cell: str, kind: str | None) -> bool:
    if kind is None:
        return not _NUMBERED.match(cell)
    if cell in _NA:
        return kind in ("number", "pct", "text", "value")
    if kind == "number":
        return bool(_NUMBER.fullmatch(cell))
    if kind == "pct":
        return bool(_PCT.fullmatch(cell) or _NUMBER.fullmatch(cell))
    if kind == "level1":
        return bool(_LEVEL1.match(cell))
    if kind == "level2":
        # Word repeats a label inside its merged cell ("质量指标质量指标"): the label once.
        half = len(cell) // 2
        return bool(_LEVEL2.match(cell)) or (len(cell) % 2 == 0 and cell[:half] == cell[half:] and bool(_LEVEL2.match(cell[:half])))
    if kind == "level3":
        # An indicator's name is no sentence or formula: a cell with "。", ";", "," or a
        # comparison is a rule or a note.
        name = _LABEL_POINTS.sub("", cell)  # "相关性(5分)": the weight is no value
        return not _NUMBER.fullmatch(cell) and not _PCT.fullmatch(cell) and not (
            _VALUE_LIKE.search(name) and len(name) <= 8 and not _NUMBERED.match(name)
        ) and not _RULE_TEXT.search(cell) and not _LEVEL1.match(cell)
    if kind == "value":
        return not _NUMBERED.match(cell) and not _LEVEL1.match(cell) and not _LEVEL2.match(cell)
    if kind == "comparator":
        return bool(_COMPARATOR.fullmatch(cell))
    if kind == "unit":
        return not _VALUE_LIKE.search(cell) and len(cell) <= 4
    if kind == "text" and (_NUMBER.fullmatch(cell) or _PCT.fullmatch(cell)):
        return False  # a bare figure is no rule or note: it belongs in a figure column
    if kind == "goal":
        # A value column of a table without a level-3 column: "指标1：…" is the goal itself.
        return not _LEVEL1.match(cell) and not _LEVEL2.match(cell)
    return not _NUMBERED.match(cell)


def split_glued(token: str, parts: int) -> list[list[str]]:
    """Every way to cut a run of digits (with at most one '%', at its end) into `parts` numbers
    written the way a table writes them (no leading zeros, at most one decimal point)."""
    return [list(cut) for cut in _split_glued(token, parts)]


@lru_cache(maxsize=4096)
def _split_glued(token: str, parts: int) -> tuple[tuple[str, ...], ...]:
    # Cached: the same glued figures ("100100") recur row after row and report after report.
    out: list[list[str]] = []

    def rec(rest: str, k: int, acc: list[str]) -> None:
        if k == 1:
            if _NUMBER.fullmatch(rest) or _PCT.fullmatch(rest):
                out.append(acc + [rest])
            return
        for cut in range(1, len(rest)):
            head = rest[:cut]
            if _NUMBER.fullmatch(head) or (_PCT.fullmatch(head)):
                rec(rest[cut:], k - 1, acc + [head])

    rec(token, parts, [])
    return tuple(tuple(cut) for cut in out)


def _dec(s: str) -> Decimal | None:
    try:
        return Decimal(s.rstrip("%"))
    except InvalidOperation:
        return None


def _consistent(cells: dict[str, str], cap: Decimal | None = None) -> bool:
    """Arithmetic the national forms obey: score ≤ weight ≤ 100, a row's weight and score within
    the weight its level-1/level-2 label states (`cap`, "预算配置（15分）"), and the execution rate is
    the executed amount over the budget (±0.5 pp, the rates are printed rounded)."""
    v = {k: _dec(x) for k, x in cells.items() if x not in _NA and _dec(x) is not None}
    if "weight" in v and v["weight"] > 100:
        return False
    if cap is not None and any(k in v and v[k] > cap for k in ("weight", "score")):
        return False
    if "score" in v and "weight" in v and v["score"] > v["weight"]:
        return False
    if "rate" in v and "executed" in v:
        base = v.get("adjusted") or v.get("initial")
        if base:
            if abs(v["executed"] / base * 100 - v["rate"]) > Decimal("0.5"):
                return False
    return True


_GLUED = re.compile(r"\d[\d.%]*")


def _readings(tokens: list[str], max_cells: int, min_glue: int = 3) -> list[list[str]]:
    """The token list with each run of digits that may hold several glued numbers ("646410")
    also read as 2, 3 … numbers (`split_glued`); runs shorter than `min_glue` stay whole, and
    with `min_glue` 0 every run does."""
    options: list[list[list[str]]] = []
    for t in tokens:
        alts = [[t]]
        if min_glue and _GLUED.fullmatch(t) and t.count("%") <= 2 and len(t) >= min_glue:
            for n in range(2, min(max_cells, 7) + 1):
                alts += split_glued(t, n)
        options.append(alts)
    out: list[list[str]] = []

    def expand(k: int, acc: list[str]) -> None:
        if len(out) > 5000 or len(acc) > max_cells:
            return
        if k == len(options):
            out.append(acc)
            return
        for alt in options[k]:
            expand(k + 1, acc + alt)

    expand(0, [])
    return out


class _Joined(str):
    """Several whitespace-split tokens read back as one cell (a rule, note or goal whose text
    has spaces inside): such a cell can only stand in a column of prose (`_PROSE`)."""


_PROSE = ("text", "goal")


def _figure(token: str) -> bool:
    return bool(_NUMBER.fullmatch(token) or _PCT.fullmatch(token) or _GLUED.fullmatch(token)) or token in _NA


def _joinings(tokens: list[str], groups: int, figures_inside: bool = True) -> list[list[str]]:
    """The token list with up to `groups` runs of adjacent tokens joined by a space into one
    `_Joined` cell each. A run starts and ends with words, not figures (a rule's "得 4 分" may
    hold one inside; the figures after a rule are cells of their own), unless it ends the row
    ("… × 100%"). Where the table has figure columns (`figures_inside` False) a bare figure is
    never inside a run: it is a cell of its own."""
    out: list[list[str]] = []

    def rec(k: int, left: int, acc: list[str]) -> None:
        if len(out) > 2000:
            return
        if k == len(tokens):
            out.append(acc)
            return
        rec(k + 1, left, acc + [tokens[k]])
        if left and not _figure(tokens[k]) and not (_LEVEL1.match(tokens[k]) or _LEVEL2.match(tokens[k])):
            for end in range(k + 2, len(tokens) + 1):
                if not figures_inside and _figure(tokens[end - 1]):
                    break
                if not _figure(tokens[end - 1]) or (end == len(tokens) and k > 0):
                    rec(end, left - 1, acc + [_Joined(" ".join(tokens[k:end]))])

    rec(0, groups, [])
    return [t for t in out if any(isinstance(c, _Joined) for c in t)]


def _placements(
    tokens: list[str], header: list[str], optional: tuple[str, ...], rules: _Rules
) -> list[list[str]] | None:
    """Every way to put the cells of a flattened row under its header (None: too many)."""
    width = len(header)
    kinds = _kinds(header)
    found: list[list[str]] = []
    l3 = kinds.index("level3") if "level3" in kinds else None
    figures = [j for j, k in enumerate(kinds) if k in ("number", "pct")]

    l1 = kinds.index("level1") if "level1" in kinds else None
    l2 = kinds.index("level2") if "level2" in kinds else None
    weight_at = next((j for j, h in enumerate(header) if _ROLE.get(h) == "weight"), None)

    def fits_room(row: list[str]) -> bool:
        # Weights add up to their group's: a level-2 label under the current level-1 group, or
        # a level-3 row under the current level-2 group, cannot weigh more than the group has left.
        if rules.room1 is not None and l2 is not None and row[l2] and not (l1 is not None and row[l1]):
            m = _LABEL_POINTS.search(row[l2])
            if m and Decimal(m.group(1)) > rules.room1:
                return False
        if rules.room is None or l3 is None or not row[l3] or any(row[j] for j in (l1, l2) if j is not None):
            return True
        w = _row_weight(row[l3], row[weight_at] if weight_at is not None else "")
        return w is None or w <= rules.room

    def named_ok(row: list[str]) -> bool:
        # A row of figures names its indicator: its level-3 cell is never a merged one; so does
        # a row that follows a complete one (`rules.named`: it cannot be that row's wrapped rest).
        return l3 is None or bool(row[l3]) or not (rules.named or any(row[j] for j in figures))

    for cells in _readings(tokens, width, rules.min_glue):
        n = len(cells)
        for first in range(0, width - n + 1):
            # Cells fill consecutive columns from `first`, except that an optional column (an
            # empty rate, note or level label) may be skipped.
            for cols in _column_choices(first, n, width, kinds, optional):
                row = [""] * width
                if all(_kind_ok(c, kinds[col]) and (kinds[col] in _PROSE or not isinstance(c, _Joined)) for c, col in zip(cells, cols)):
                    for c, col in zip(cells, cols):
                        row[col] = str(c)
                    named = {_ROLE[h]: row[j] for j, h in enumerate(header) if h in _ROLE and row[j]}
                    if named_ok(row) and fits_room(row) and _consistent(named, rules.cap) and row not in found:
                        found.append(row)
                if len(found) > 200:
                    return None
    return found


_OPTIONAL = ("pct", "text", "level2", "comparator", "unit")


def _kinds(header: list[str]) -> tuple[str | None, ...]:
    """The kind of cell each column holds; in a table without a level-3 column the value columns
    hold the goals themselves ("goal": "指标1：…" is a goal there, a level-3 name elsewhere)."""
    kinds = tuple(HEADER_KINDS.get(h) for h in header)
    if "level3" not in kinds:
        kinds = tuple("goal" if k == "value" else k for k in kinds)
    return kinds


def _placement_header(header: list[str]) -> list[str]:
    """The header's columns as its data rows have them: "评价内容" heads two columns (the level-1
    and the level-2 label) in the provincial goal tables."""
    if "评价内容" in header and "二级指标" not in header:
        at = header.index("评价内容")
        return header[: at + 1] + ["二级指标"] + header[at + 1 :]
    return header


@dataclass(frozen=True)
class _Rules:
    """What a row's placement may assume beyond its header: the weight its level labels allow
    (`cap`), the shortest digit run that may hold glued numbers (2 in a document that shows
    glued figures, "274.98274.98"; else 0: none is split), and whether the row
    must name its indicator (`named`: the row above ended its text, so this one is no rest of it),
    and the weight left in the current level-2 group for a row that only names its level-3
    indicator (`room`: "产出数量(15分)" holds 15 points of level-3 weights)."""

    cap: Decimal | None = None
    min_glue: int = 3
    named: bool = False
    room: Decimal | None = None
    room1: Decimal | None = None


def _place(tokens: list[str], header: list[str], rules: _Rules = _Rules()) -> tuple[list[str], bool] | None:
    """The cells of a flattened row under its header, when there is exactly one way to put them
    there, and whether every figure of the row found its column. Where the possible placements
    disagree on a figure, that cell stays empty; where they disagree on a label, the row is not
    offered at all (None): a value in a guessed column is worse than no value. Empty cells were
    lost, so each placement keeps the token order, lets merged (empty) cells stand only on the
    left (never the level-3 name of a row of figures: such a row names its indicator) or as an empty
    note/rate at the right, fits each column's kind (level-1/level-2 vocabulary, numbers, rates)
    and the arithmetic (`_consistent`). Glued numbers ("646410") are tried as several adjacent
    numeric cells; a text cell with spaces inside (a long rule) as several tokens joined again.

    When no placement exists that way, the row may still be placed with an empty figure column
    in the middle ("社会效益 5" under 分值 | 自评得分: a merged 分值 cell): its labels are kept if
    every placement agrees on them, its figures only where they all agree (rarely), and the row
    is reported as not fully read."""
    width = len(header)
    kinds = _kinds(header)
    found = _placements(tokens, header, _OPTIONAL, rules)
    if found is not None and (found == [] or (not rules.named and "level3" in kinds)):
        # Also read with spaces inside a text cell: the row may be the wrapped rest of the row
        # above (one text cell) as much as a row of its own, unless it must name its indicator.
        texts = sum(1 for k in kinds if k in _PROSE)
        figures_inside = not any(k in ("number", "pct") for k in kinds)
        for joined in _joinings(tokens, texts, figures_inside) if texts else []:
            more = _placements(joined, header, _OPTIONAL, rules)
            if more is None:
                return None
            found += [r for r in more if r not in found]
    complete = True
    if found == []:
        # Here a bare figure stands in a figure column, never in a rule or note.
        found = [
            r for r in _placements(tokens, header, _OPTIONAL + ("number",), _Rules(rules.cap)) or []
            if not any(kinds[j] == "text" and (_NUMBER.fullmatch(x) or _PCT.fullmatch(x)) for j, x in enumerate(r))
        ]
        complete = False
    if not found:
        return None
    # A level label of the closed vocabulary ("绩效目标(5分)") stands in its own level's column
    # when the row allows that; a reading that makes it a level-3 name is then not the row.
    proper = [r for r in found if not _misplaced_label(r, kinds)]
    if proper:
        found = proper
    # Where the readings disagree the cell stays empty; if they disagree on a label (which
    # indicator the figures belong to), the row is not offered at all.
    agreed = [x if all(r[j] == x for r in found) else "" for j, x in enumerate(found[0])]
    if any(agreed[j] != x for r in found for j, x in enumerate(r) if kinds[j] in (None, "level1", "level2", "level3")):
        return None
    if not any(agreed):
        return None  # nothing certain is left of the row
    if not complete:
        # Only labels are certain here: a figure or text that the readings agree on but that
        # stands beside an unplaced figure is dropped too (it may be the unplaced one's twin).
        agreed = [x if kinds[j] in ("level1", "level2", "level3") else "" for j, x in enumerate(agreed)]
        if not any(agreed[j] for j, k in enumerate(kinds) if k == "level3"):
            return None
    return agreed, complete


@lru_cache(maxsize=4096)
def _column_choices(
    first: int, n: int, width: int, kinds: tuple[str | None, ...], optional: tuple[str, ...] = _OPTIONAL
) -> tuple[tuple[int, ...], ...]:
    """Increasing column tuples starting at `first` whose skipped columns are all optional.
    Cached: a table's rows ask for the same few (header, row length) shapes over and over."""
    # A row that opens a level-1 group opens a level-2 group too: its level-2 cell is not empty.
    l1, l2 = (kinds.index(k) if k in kinds else None for k in ("level1", "level2"))
    out = []
    for cols in combinations(range(first, width), n):
        if cols[0] != first:
            continue
        if l1 is not None and l2 is not None and l1 in cols and l2 not in cols:
            continue
        skipped = [j for j in range(first, cols[-1] + 1) if j not in cols]
        trailing = range(cols[-1] + 1, width)
        tail = ("pct", "text", "goal") + (("number",) if "number" in optional else ())
        if all(kinds[j] in optional for j in skipped) and all(kinds[j] in tail for j in trailing):
            out.append(cols)
    return tuple(out)


def _total_row(tokens: list[str]) -> str | None:
    """"总分 100 100" or a glued "总分 100100": the full mark then the score, both ≤ 100."""
    nums = tokens[1:]
    if len(nums) == 1 and _NUMBER.fullmatch(nums[0]):
        v = Decimal(nums[0])
        if v <= 100:
            return "\t".join(tokens)
        splits = [p for p in split_glued(nums[0], 2) if _consistent({"weight": p[0], "score": p[1]})]
        return "\t".join([tokens[0]] + splits[0]) if len(splits) == 1 else None
    if 1 < len(nums) <= 3 and all(_NUMBER.fullmatch(x) or x in _NA for x in nums):
        return "\t".join(tokens)
    return None


def _opens_group(tokens: list[str], header: list[str]) -> str | None:
    """"level1" or "level2" when a token of an unread row is such a label (it may have opened a
    new group of merged cells), else None. Under a header with a level-3 column, the last label
    before the row's first figure is its level-3 name ("社会效益 5"), which opens no group."""
    labels = tokens
    if "三级指标" in header:
        k = next((j for j, t in enumerate(tokens) if _figure(t)), len(tokens))
        labels = tokens[: max(k - 1, 0)]
    if any(_LEVEL1.match(t) for t in labels):
        return "level1"
    if any(_LEVEL2.match(t) for t in labels):
        return "level2"
    return None


# Figures a converter glued together: an amount with two decimals run into the next figure
# ("274.98274.98"), or a rate no table states ("64646410100%"). Where it glued some, short
# digit runs ("55") may be glued figures too.
_GLUED_EVIDENCE = re.compile(r"\d\.\d{2}\d+\.\d|(?<![\d.])\d{5,}(?:\.\d+)?%")
_LABEL_POINTS = re.compile(r"\((\d+(?:\.\d+)?)分\)$")


def _label_caps(tokens: list[str], caps: list[Decimal | None]) -> list[Decimal | None]:
    """The weights the row's level-1 and level-2 labels state ("投入(15分)", "预算配置(15分)"), a
    new level-1 label clearing the level-2 one; labels the row does not state carry over."""
    caps = list(caps)
    for t in tokens:
        m = _LABEL_POINTS.search(t)
        if m and _LEVEL1.match(t):
            caps = [Decimal(m.group(1)), None]
        elif m and _LEVEL2.match(t):
            caps[1] = Decimal(m.group(1))
    return caps


class _FlatTable:
    """Reads the flattened rows under one recognized header, in order, into `out`: each row is
    placed by `_place` (with the weights its level labels allow); a row that cannot be placed
    without guessing is dropped and reported in `unread`."""

    def __init__(self, header: list[str], out: list[str], unread: list[int], min_glue: int):
        self.header, self.out, self.unread, self.min_glue = header, out, unread, min_glue
        self.kinds = _kinds(header)
        self.orphan: str | None = None  # "level1"/"level2": an unread row above opened such a group
        self.caps: list[Decimal | None] = [None, None]  # weights stated by the current level-1, level-2 labels
        self.last: int | None = None  # the last row placed
        self.named = True  # the next row starts afresh (no wrapped rest of the row above)
        self.room: Decimal | None = None  # level-3 weight left in the current level-2 group
        self.room1: Decimal | None = None  # level-2 weight left in the current level-1 group

    def fits(self, tokens: list[str]) -> list[str] | None:
        """The row, taken as a row of its own, placed (completely) under the header, without
        reading it."""
        caps = _label_caps(tokens, self.caps)
        placement = _place(tokens, self.header, _Rules(_cap(caps), self.min_glue, True, self.room, self.room1))
        return placement[0] if placement is not None and placement[1] else None

    def opens(self, tokens: list[str]) -> bool:
        """Can the row be the first of a table: does it state the leftmost label its rows have
        (a merged label is written in the first row it spans)?"""
        placed = self.fits(tokens)
        if placed is None:
            return False
        at = next((j for j, k in enumerate(self.kinds) if k == "level1"), None)
        if at is None:
            at = next((j for j, k in enumerate(self.kinds) if k is None), 0)
        return bool(placed[at])

    def read(self, i: int, s: str, tokens: list[str], following: list[list[str]]) -> bool:
        """Read line i (`s`, its `tokens`); `following`: the tokens of the next few lines. False
        when the line is no row of the table and ends it (running text, left as it is)."""
        out, header, kinds = self.out, self.header, self.kinds
        if len(tokens) == 1 and _NUMBERED.match(s) and "goal" in kinds:
            # A goal table's placeholder row ("指标2："): the goal cell, its actual empty.
            out[i] = "\t".join(s if j == kinds.index("goal") else "" for j in range(len(kinds)))
            return True
        if len(tokens) == 1 and len(s) <= 10:
            if s in _NA:
                out[i] = ""  # a template row whose only cell is "无": nothing to place, nothing lost
            return True  # a unit line ("（万元）") or a lone label: left as it is
        if len(tokens) < 2:
            return False  # running text ends the table
        if _TOTAL.match(tokens[0]):
            out[i] = _total_row(tokens) or ""
            if not out[i]:
                self.unread.append(i + 1)
            return True
        self.caps = _label_caps(tokens, self.caps)
        placement = _place(tokens, header, _Rules(_cap(self.caps), self.min_glue, self.named, self.room, self.room1))
        self.named = False
        placed = None
        if placement is not None:
            placed, complete = placement
            if not complete:
                self.unread.append(i + 1)  # its labels are placed, its figures could not be
        if placed is not None and self.orphan:
            # A row left unread above opened a new level-1 or level-2 group (a merged cell):
            # rows that do not state that level themselves would inherit the wrong parent.
            at = next((j for j, k in enumerate(kinds) if k == self.orphan), None)
            if at is not None and placed[at]:
                self.orphan = None
            elif at is not None:
                if any(re.search(r"\d", t) for t in tokens):
                    self.unread.append(i + 1)
                out[i] = ""
                return True
        if placed is not None:
            out[i] = "\t".join(placed)
            self.last = i
            _spend(self, placed)
            prose = [c for j, c in enumerate(placed) if kinds[j] in _PROSE and c]
            self.named = bool(prose) and bool(_ENDS_SENTENCE.search(prose[-1]))
            return True
        if _SENTENCE.search(s) and not any(self.fits(t) for t in following):
            return False  # a sentence that is no row of the table, and no row follows: running text
        # A row inside the table that cannot be placed without guessing is not offered. It may
        # also be the rest of the row above (a cell wrapped onto a line of its own): that row's
        # text cells may be incomplete, so they are dropped too, unless this line plainly starts
        # a row of its own (a numbered goal, a level label).
        out[i] = ""
        opened = _opens_group(tokens, header)
        if opened and self.orphan != "level1":  # an open level-1 group outranks a level-2 one
            self.orphan = opened
        # Whatever this line was, if its text ends a sentence the next line starts afresh.
        self.named = bool(_ENDS_SENTENCE.search(s))
        if not (re.search(r"\d", s) or _SENTENCE.search(s)):
            return True  # a template row of labels ("指标 无", "上年结转资金 — —"): nothing lost
        self.unread.append(i + 1)
        starts_row = bool(_NUMBERED.match(tokens[0]) or _LEVEL1.match(tokens[0]) or _LEVEL2.match(tokens[0]))
        if self.last is not None and not starts_row:
            cells = out[self.last].split("\t")
            cut = [c if kinds[j] not in _PROSE else "" for j, c in enumerate(cells)]
            if cut != cells:
                out[self.last] = "\t".join(cut)
                self.unread.append(self.last + 1)
        self.last = None
        return True


def _spend(table: _FlatTable, placed: list[str]) -> None:
    """Keep `room` (the level-3 weight left in the current level-2 group) and `room1` (the
    level-2 weight left in the current level-1 group) up to date after a placed row."""
    kinds = table.kinds
    at = {k: kinds.index(k) for k in ("level1", "level2", "level3") if k in kinds}
    if "level1" in at and placed[at["level1"]]:
        m = _LABEL_POINTS.search(placed[at["level1"]])
        table.room1 = Decimal(m.group(1)) if m else None
        table.room = None
    if "level2" in at and placed[at["level2"]]:
        m = _LABEL_POINTS.search(placed[at["level2"]])
        table.room = Decimal(m.group(1)) if m else None
        if table.room1 is not None:
            table.room1 = table.room1 - table.room if table.room is not None else None
    if "level3" in at and placed[at["level3"]] and table.room is not None:
        weight_at = next((j for j, h in enumerate(table.header) if _ROLE.get(h) == "weight"), None)
        w = _row_weight(placed[at["level3"]], placed[weight_at] if weight_at is not None else "")
        table.room = table.room - w if w is not None else None  # a row of unknown weight: room unknown




def _row_weight(name: str, weight: str) -> Decimal | None:
    """A level-3 row's weight: its 分值 cell, else the weight in its label ("相关性(5分)")."""
    if weight and _NUMBER.fullmatch(weight):
        return Decimal(weight)
    m = _LABEL_POINTS.search(name)
    return Decimal(m.group(1)) if m else None


def _misplaced_label(row: list[str], kinds: tuple[str | None, ...]) -> bool:
    for j, k in enumerate(kinds):
        c = row[j]
        if not c:
            continue
        if k == "level3" and (_LEVEL1.match(c) or _LEVEL2.match(c)):
            return True
        if k == "level2" and _LEVEL1.match(c) and not _LEVEL2.match(c):
            return True
    return False


def _cap(caps: list[Decimal | None]) -> Decimal | None:
    stated = [c for c in caps if c is not None]
    return min(stated) if stated else None


# How many lines `_FlatTable.read` looks ahead, and how far above a header rows are looked for.
_LOOKAHEAD = 3
_MAX_ROWS_ABOVE = 80


def _flat_rows(lines: list[str], unread: list[int]) -> list[str]:
    """In a document with no TAB or '|' table, lines under a recognized column header become
    TAB rows, their cells placed under the header by `_place`; a row that cannot be placed
    without guessing is dropped (its line left empty). A header may also come after its rows
    (a converter that writes a table's header last): rows just above a header that no table has
    read, starting with one that states its leftmost label, are read under it."""
    text = "\n".join(lines)
    if "|" in text or "｜" in text:
        return lines
    # A TAB table (cells after a TAB; a stray TAB on an otherwise empty line, a flattened
    # table's vertical label, makes none) is read as it is, unless a flattened header line
    # (three or more column titles between spaces, no TAB) stands beside it.
    if text.count("\t") >= 3 and not _flat_header_line(text):
        return lines
    return _FlatReader(lines, unread).run()


# Column titles most headers have: a first, cheap look for a flattened header line.
_HEADER_HINT = re.compile(r"一级指标|三级指标|评价内容|预算数|指标值|评分标准|分值|得分")


def _flat_header_line(text: str) -> bool:
    at = 0
    for m in _HEADER_HINT.finditer(text):
        if m.start() < at:
            continue  # a line already looked at
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        at = end = len(text) if end < 0 else end
        line = text[start:end]
        if "\t" not in line and _header_words(line) >= 3:
            return True
    return False


def _header_words(line: str) -> int:
    """How many of a line's words are column titles (a flattened header line: three or more)."""
    if len(line) > 200 or line.count(" ") < 2:
        return 0
    return sum(1 for w in line.split() if w in HEADER_KINDS)


_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")


def _is_field_pair(tokens: list[str]) -> bool:
    return len(tokens) % 2 == 0 and all(tokens[k] in FIELD_LABELS for k in range(0, len(tokens), 2))


class _FlatReader:
    """One pass over a flattened document (`_flat_rows`)."""

    def __init__(self, lines: list[str], unread: list[int]):
        self.lines, self.unread = lines, unread
        self.out = list(lines)
        self.norm = [normalize_text(line).strip() for line in lines]
        self.taken = [False] * len(lines)  # lines a table (or a label-value pair) has read
        self.fields = [False] * len(lines)  # lines read as label-value pairs
        self.owner: list[tuple[str, ...] | None] = [None] * len(lines)  # the header a line was read under
        # Glued figures are read apart only in a document that shows some: "274.98274.98" (two
        # amounts run together), "64646410100%" (no rate is that large). Elsewhere "17.83" is
        # one figure, not 17.8 and 3.
        self.min_glue = 2 if sum(1 for line in lines if _GLUED_EVIDENCE.search(line)) >= 1 else 0
        self._tokens: dict[int, list[str]] = {}

    def tokens(self, k: int) -> list[str]:
        if k not in self._tokens:
            self._tokens[k] = _tokens(self.norm[k])
        return self._tokens[k]

    def following(self, k: int) -> list[list[str]]:
        nxt = [j for j in range(k + 1, min(k + 1 + 2 * _LOOKAHEAD, len(self.lines))) if self.norm[j]][:_LOOKAHEAD]
        return [self.tokens(j) for j in nxt]

    def read(self, table: _FlatTable, k: int) -> bool:
        if table.read(k, self.norm[k], self.tokens(k), self.following(k)):
            self.taken[k] = True
            self.owner[k] = tuple(table.header)
            return True
        return False

    def run(self) -> list[str]:
        table: _FlatTable | None = None
        # A document's converter writes every table the same way: the first header decides
        # whether headers come before their rows (a row follows it) or after them (none does).
        headers_first: bool | None = None
        for i in range(len(self.lines)):
            if not self.norm[i]:
                continue
            if "\t" in self.lines[i]:
                table = None  # a TAB row or cell is read as it is; it ends a flattened table
                self.taken[i] = True
                continue
            tokens = self.tokens(i)
            if _is_field_pair(tokens):
                self.out[i] = "\t".join(tokens)  # "项目名称 困难职工送温暖", "主管部门 X 实施单位 Y"
                self.taken[i] = self.fields[i] = True
                continue
            h = _header_of(tokens)
            lead = 0
            if h is None and len(tokens) > 3 and _header_of(tokens[1:]):
                h, lead = tokens, 1  # a row title left of the header ("项目资金", "绩效指标")
            if h is not None:
                header = _placement_header(h if not lead else [""] + tokens[1:])
                self.out[i] = "\t".join(tokens)
                self.taken[i] = True
                self.owner[i] = tuple(header)
                table = _FlatTable(header, self.out, self.unread, self.min_glue)
                if headers_first is None:
                    headers_first = self.headers_first(i, table)
                if headers_first is False:
                    # Its rows are above it; what follows belongs to another table (or to the
                    # next header, when a page break repeated it).
                    self.rows_above(i, header)
                    table = None
                continue
            if table is not None and not self.read(table, i):
                table = None
        return self.out

    def headers_first(self, i: int, table: _FlatTable) -> bool | None:
        """True when rows follow the header on line i, False when none does but rows end just
        above it, None when neither says (the next header decides). A unit line ("（万元）") or
        a label-value line is no row either way."""
        below = [t for t in self.following(i) if not _is_field_pair(t) and len(t) > 1]
        if any(table.opens(t) for t in below):
            return True
        if self.scan_above(i, table.header) is not None:
            return False
        return None

    def scan_above(self, i: int, header: list[str]) -> tuple[int, int] | None:
        """(first, end) of the rows of a table whose header (line i) comes after them: the run
        of lines just above that no table has read (label-value lines such as "绩效自评综合得分
        98" between them and the header aside), from the first one that can open the table."""
        norm, taken = self.norm, self.taken
        probe = _FlatTable(header, self.out, self.unread, self.min_glue)
        j = i - 1
        while j >= 0 and self.fields[j]:
            j -= 1
        end = j + 1  # the rows end here
        top, misses = None, 0
        while j >= 0 and i - j <= _MAX_ROWS_ABOVE and norm[j] and not taken[j]:
            tokens = self.tokens(j)
            if len(tokens) == 1 and (norm[j] in _NA or _ELLIPSIS.fullmatch(norm[j]) or _NUMBERED.match(norm[j])):
                j -= 1  # a template row of the table ("……", "指标2：")
                continue
            if probe.fits(tokens) is not None or _TOTAL.match(tokens[0]):
                misses = 0
                if probe.opens(tokens):
                    top = j
            else:
                misses += 1
                if misses > 2 or len(tokens) < 2:
                    break
            j -= 1
        return None if top is None else (top, end)

    def rows_above(self, i: int, header: list[str]) -> None:
        """Read the rows found by `scan_above` under the header on line i, and bring the header
        above them."""
        norm, taken = self.norm, self.taken
        found = self.scan_above(i, header)
        if found is None:
            return
        top, end = found
        probe = _FlatTable(header, self.out, self.unread, self.min_glue)
        table = _FlatTable(header, self.out, self.unread, self.min_glue)
        for k in range(top, end):
            if norm[k]:
                self.read(table, k)
        # The families read a header, then its rows. Rows keep their lines (every figure points
        # at its own line), so the header moves instead:
        above = top - 1
        while above >= 0 and not norm[above] and taken[above]:
            above -= 1
        if above >= 0 and self.owner[above] == tuple(header):
            return  # the rows go on from a table with this header above (a page break repeated it)
        if above >= 0 and not taken[above] and not re.search(r"\d", _YEAR.sub("", norm[above])) and "\t" not in self.out[above]:
            # onto the line above the rows when that line holds no figure (a blank line, the
            # table's title; a year in it is no figure read from it). That line's text goes
            # where the header was, unless rows follow there (it would break into a table).
            follows = any(probe.fits(t) is not None for t in self.following(i)[:1])
            self.out[above], self.out[i] = self.out[i], ("" if follows else self.out[above])
            taken[above] = True
            self.owner[above] = tuple(header)
            return
        # No place for the header above its rows: a family would take them for rows of whatever
        # table comes before. They are not offered.
        for k in range(top, end):
            if self.out[k] != self.lines[k]:
                self.out[k] = ""
                self.unread.append(k + 1)


# ---------------------------------------------------------------------------------------------


def reflow(doc: Document) -> Document:
    """The document with its layout brought into the forms the families read; the same object
    when nothing needed changing. Same number of lines, same name, hash and size."""
    # One look at the whole text decides which passes can change anything (most documents
    # need none): no OCR hint on any line, no '|' anywhere (the two pipe passes only touch lines
    # with one), a TAB somewhere (the flattened-row pass only runs without TAB or '|'). An OCR
    # hint never spans a line break, and OCR repair adds no TAB and no '|'.
    text = "\n".join(doc.lines)
    lines = doc.lines
    if _has_ocr_hint(text):
        lines = [repair_ocr(line) for line in lines]
    unread: list[int] = []
    if "|" in text or "｜" in text:
        lines = _pipe_cells(lines)
        lines = _pipe_rows(lines)
        lines = _flat_rows(lines, unread)
    else:
        lines = _flat_rows(lines, unread)
    if lines is doc.lines or lines == doc.lines:
        return doc
    notes = list(doc.notes)
    if unread:
        notes.append(f"{UNREAD_NOTE}{','.join(map(str, unread))}")
    return replace(doc, lines=lines, notes=notes, _norm=None, _cells=None)


# Flags computed over a whole table: meaningless when rows of it were left unread.
SUM_FLAGS = {"total_sum_mismatch", "weights_total_mismatch", "children_sum_mismatch", "strict_rescore"}
UNREAD_NOTE = "扁平化表格中无法可靠地按列拆分、未读取的行："


def unread_rows(doc: Document) -> list[int]:
    """Lines of table rows that `reflow` left out because their cells could not be placed."""
    for note in doc.notes:
        if note.startswith(UNREAD_NOTE):
            return [int(x) for x in note[len(UNREAD_NOTE):].split(",") if x]
    return []
