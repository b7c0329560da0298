"""Re-flow: bring the layouts a converter may produce into the ones the families read.

The families read table cells one per line after a TAB (blank lines between rows), or one row
per line with cells split by TABs; they read labels in their matching form (NFKC). Real files
of the same template also arrive as:
- one cell per line ending in '|'                      -> one cell per line after a TAB;
- '| a | b |' rows whose long cells wrap onto the next line, and whose continuation rows leave
  out the row-spanning cells on the left             -> TAB rows, wraps joined, rows right-aligned;
- flattened lines, cells separated by spaces only      -> TAB rows (only in a document with no
  TAB or '|' table at all, and only for lines that look like table rows);
- OCR text: labels misread (总汾 for 总分), digits read as letters inside numbers (1O0%),
  full-width digits                                    -> repaired through a small confusion table.

`reflow` never changes the number of lines: a joined row stays on its first line and the lines
it took become empty, so every `line` a family reports still points into the original text.
Nothing here invents a value: a flattened row whose cells cannot be placed under its header
without guessing keeps only what is certain (see `split_glued`), the rest is left out.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import combinations

from loaders.read import Document, normalize_text

# ---------------------------------------------------------------------------------------------
# OCR repair

# Misread labels -> the label. Only words that cannot be anything else in these reports.
OCR_LABELS: tuple[tuple[str, str], ...] = (
    ("总汾", "总分"),
    ("得汾", "得分"),
    ("分汾", "分值"),
    ("预箅", "预算"),
    ("执行卒", "执行率"),
    ("完成卒", "完成率"),
    ("评价等欠", "评价等次"),
    ("评价等圾", "评价等级"),
    ("项日名称", "项目名称"),
    ("项日", "项目"),
    ("满意皮", "满意度"),
    ("绩效目枟", "绩效目标"),
)
_OCR_LABEL_RE = re.compile("|".join(re.escape(w) for w, _ in OCR_LABELS))
_OCR_LABEL_MAP = dict(OCR_LABELS)
# "64万无" is 64万元: 万无 means nothing else. A bare "无" stays "无" (it is the N/A marker).
_WAN_WU = re.compile(r"(?<=[\d(（:：])\s*万无")
# A letter O/o/l/I read for a digit, only between digits or between a digit and '%' or '.':
# there it cannot be a letter ("1O0%" -> "100%"); anywhere else it is left alone.
_LETTER_DIGIT = re.compile(r"(?<=\d)[OolI]+(?=[\d%.])|(?<=\d\.)[OolI]+(?=\d|%|$)")
_LETTER_TO_DIGIT = str.maketrans("OolI", "0011")
_OCR_HINT = re.compile(r"\d[OolI]|汾|箅|卒|万无|等欠|等圾|项日|满意皮|目枟")


_OCR_WORDS = ("汾", "箅", "卒", "万无", "等欠", "等圾", "项日", "满意皮", "目枟")


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
        if not _is_pipe_row(line):
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
}
_ROLE = {
    "年初预算数": "initial", "全年预算数": "adjusted", "预算数": "adjusted", "全年执行数": "executed",
    "执行数": "executed", "执行率": "rate", "分值": "weight", "权重": "weight", "得分": "score", "自评得分": "score",
}
# The level-1 and level-2 vocabulary of the national and provincial indicator systems: in a
# flattened row only these words can stand in those columns.
_LEVEL1 = re.compile(r"^(?:部门|项目)?(?:产出|效益|效果|满意度|决策|过程|投入|管理)(?:指标|目标)?(?:\(\d+(?:\.\d+)?分\))?$")
_LEVEL2 = re.compile(
    r"^(?:产出)?(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度|预算配置|预算执行|"
    r"预算管理|资产管理|资金管理|组织实施|职责履行|履职效益|部门规划计划|绩效目标|资金配置|政府采购管理|项目立项|项目效益|"
    r"目标设定|资金投入|项目管理)(?:指标)?(?:\(\d+(?:\.\d+)?分\))?$"
)
_VALUE_LIKE = re.compile(r"\d")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
_PCT = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?%")
_NA = {"—", "——", "-", "/", "无", "…", "……"}
_SENTENCE = re.compile(r"[。；;，,！？]")
_SINGLE_CJK = re.compile(r"^[\u4e00-\u9fff]$")
_POINTS = re.compile(r"^[(（]\d+(?:\.\d+)?分?[)）]$")
_NUMBERED = re.compile(r"^指标\d+[:：]")
# Labels of the one-value fields of a form's head; "label value" pairs on a flattened line.
FIELD_LABELS = {
    "项目名称", "主管部门", "实施单位", "单位名称", "部门(单位)名称", "部门名称", "预算编码", "联系人", "联络电话",
    "人员编制", "实有人数", "绩效自评综合得分", "综合得分", "评价等次", "评价等级", "绩效等级",
}
_ONE_CHAR_VALUES = set("是否无有优良中差")  # one-character cells that are values, never parts of a label
_SPACED_LABEL = re.compile(r"(?:(?<=\s)|^)([\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff](?:\(|\s|$))")
_TOTAL = re.compile(r"^(?:总分|合计|总计|综合得分)$")


def _tokens(line: str) -> list[str]:
    """Whitespace-split cells; a run of single characters ("绩 效 指 标", "总 分") is one cell,
    a lone "指标" or "(15分)" belongs to the cell before it ("满意度 指标", "部门决策 (15分)"),
    and two tokens that make a column title ("年度 指标值") are one."""
    # "投  入(15分)" -> "投入(15分)"; "是 是" stays two cells.
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
    return out


def _header_of(tokens: list[str]) -> list[str] | None:
    kinds = [HEADER_KINDS.get(t) for t in tokens]
    named = sum(1 for k in kinds if k)
    return tokens if named >= 3 and named >= len(tokens) - 2 else None


def cell_fits(cell: str, kind: str | None) -> bool:
    """Can this cell stand in a column of this kind (level1/level2/level3 vocabulary, number,
    pct, value, text)? Used to place cells whose columns a layout lost."""
    return _kind_ok(normalize_text(cell).strip(), kind)


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
        return bool(_LEVEL2.match(cell))
    if kind == "level3":
        return not _NUMBER.fullmatch(cell) and not _PCT.fullmatch(cell) and not (
            _VALUE_LIKE.search(cell) and len(cell) <= 8 and not _NUMBERED.match(cell)
        )
    if kind == "value":
        return not _NUMBERED.match(cell) and not _LEVEL1.match(cell) and not _LEVEL2.match(cell)
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


def _consistent(cells: dict[str, str]) -> bool:
    """Arithmetic the national forms obey: score ≤ weight ≤ 100, and the execution rate is the
    executed amount over the budget (±0.5 pp, the rates are printed rounded)."""
    v = {k: _dec(x) for k, x in cells.items() if x not in _NA and _dec(x) is not None}
    if "weight" in v and v["weight"] > 100:
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


def _readings(tokens: list[str], max_cells: int) -> list[list[str]]:
    """The token list with each run of digits that may hold several glued numbers ("646410")
    also read as 2, 3 … numbers (`split_glued`)."""
    options: list[list[list[str]]] = []
    for t in tokens:
        alts = [[t]]
        if _GLUED.fullmatch(t) and t.count("%") <= 2 and len(t) >= 3:
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


def _place(tokens: list[str], header: list[str]) -> list[str] | None:
    """The cells of a flattened row under its header, when there is exactly one way to put them
    there. Where the possible placements disagree on a figure, that cell stays empty; where
    they disagree on a label, the row is not offered at all (None): a value in a guessed
    column is worse than no value. Empty cells were lost, so each placement keeps the token order, lets
    merged (empty) cells stand only on the left or as an empty note/rate at the right, fits
    each column's kind (level-1/level-2 vocabulary, numbers, rates) and the arithmetic
    (`_consistent`). Glued numbers ("646410") are tried as several adjacent numeric cells."""
    width = len(header)
    kinds = [HEADER_KINDS.get(h) for h in header]
    found: list[list[str]] = []
    for cells in _readings(tokens, width):
        n = len(cells)
        for first in range(0, width - n + 1):
            # Cells fill consecutive columns from `first`, except that an optional column (an
            # empty rate, note or level label) may be skipped.
            for cols in _column_choices(first, n, width, tuple(kinds)):
                row = [""] * width
                if all(_kind_ok(c, kinds[col]) for c, col in zip(cells, cols)):
                    for c, col in zip(cells, cols):
                        row[col] = c
                    named = {_ROLE[h]: row[j] for j, h in enumerate(header) if h in _ROLE and row[j]}
                    if _consistent(named) and row not in found:
                        found.append(row)
                if len(found) > 200:
                    return None
    if not found:
        return None
    # Where the readings disagree the cell stays empty; if they disagree on a label (which
    # indicator the figures belong to), the row is not offered at all.
    agreed = [x if all(r[j] == x for r in found) else "" for j, x in enumerate(found[0])]
    if any(agreed[j] != x for r in found for j, x in enumerate(r) if kinds[j] in (None, "level1", "level2", "level3")):
        return None
    return agreed


@lru_cache(maxsize=4096)
def _column_choices(first: int, n: int, width: int, kinds: tuple[str | None, ...]) -> tuple[tuple[int, ...], ...]:
    """Increasing column tuples starting at `first` whose skipped columns are all optional.
    Cached: a table's rows ask for the same few (header, row length) shapes over and over."""
    out = []
    for cols in combinations(range(first, width), n):
        if cols[0] != first:
            continue
        skipped = [j for j in range(first, cols[-1] + 1) if j not in cols]
        trailing = range(cols[-1] + 1, width)
        if all(kinds[j] in ("pct", "text", "level2") for j in skipped) and all(kinds[j] in ("pct", "text") for j in trailing):
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


def _opens_group(tokens: list[str]) -> str | None:
    """"level1" or "level2" when a token of an unread row is such a label (it may have opened a
    new group of merged cells), else None."""
    if any(_LEVEL1.match(t) for t in tokens):
        return "level1"
    if any(_LEVEL2.match(t) for t in tokens):
        return "level2"
    return None


def _flat_rows(lines: list[str], unread: list[int]) -> list[str]:
    """In a document with no TAB or '|' table, lines under a recognized column header become
    TAB rows, their cells placed under the header by `_place`; a row that cannot be placed
    without guessing is dropped (its line left empty)."""
    if any("\t" in line or "|" in line or "｜" in line for line in lines):
        return lines
    out = list(lines)
    header: list[str] | None = None
    orphan: str | None = None  # "level1"/"level2": an unread row above opened such a group
    for i, line in enumerate(lines):
        s = normalize_text(line).strip()
        if not s:
            continue
        tokens = _tokens(s)
        if len(tokens) % 2 == 0 and all(tokens[k] in FIELD_LABELS for k in range(0, len(tokens), 2)):
            out[i] = "\t".join(tokens)  # "项目名称 困难职工送温暖", "主管部门 X 实施单位 Y"
            continue
        h = _header_of(tokens)
        lead = 0
        if h is None and len(tokens) > 3 and _header_of(tokens[1:]):
            h, lead = tokens, 1  # a row title left of the header ("项目资金", "绩效指标")
        if h is not None:
            orphan = None
            header = h if not lead else [""] + tokens[1:]
            out[i] = "\t".join(tokens)
            continue
        if header is None:
            continue
        if len(tokens) == 1 and len(s) <= 10:
            if s in _NA:
                out[i] = ""  # a template row whose only cell is "无": nothing to place, nothing lost
            continue  # a unit line ("（万元）") or a lone label: left as it is
        if len(tokens) < 2:
            header = None  # running text ends the table
            continue
        if _TOTAL.match(tokens[0]):
            out[i] = _total_row(tokens) or ""
            if not out[i]:
                unread.append(i + 1)
            continue
        placed = _place(tokens, header)
        if placed is not None and orphan:
            # A row left unread above opened a new level-1 or level-2 group (a merged cell):
            # rows that do not state that level themselves would inherit the wrong parent.
            at = next((j for j, h in enumerate(header) if HEADER_KINDS.get(h) == orphan), None)
            if at is not None and placed[at]:
                orphan = None
            elif at is not None:
                if any(re.search(r"\d", t) for t in tokens):
                    unread.append(i + 1)
                out[i] = ""
                continue
        if placed is not None:
            out[i] = "\t".join(placed)
        elif len(tokens) >= 3 and "text" in {HEADER_KINDS.get(h) for h in header} and re.search(r"\d", tokens[-1]):
            unread.append(i + 1)  # a row with a rule or note column that could not be placed: left as text
            orphan = _opens_group(tokens) or orphan
        elif _SENTENCE.search(s):
            header = None  # a sentence that is no row of the table: running text, left as it is
        else:
            out[i] = ""  # a row whose cells cannot be placed without guessing is not offered
            orphan = _opens_group(tokens) or orphan
            if any(re.search(r"\d", t) for t in tokens[1:]):
                unread.append(i + 1)  # it held figures: the table is incomplete
    return out


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
    elif "\t" not in text:
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
