"""Indicator tables (一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | …),
read from the header's column roles whatever their order and whichever are present.

Under the header each row is: the level-1 and level-2 labels when the row opens a group
(merged cells are carried down), the indicator's name, then one cell per value column, then
perhaps a note. Three layouts:

- complete rows (tab, pipe): the cells are split once, from the right: the value columns must
  fit their kinds (分值 and 得分 are numbers), the cells left of them are level labels and one
  name; a row that can be split two ways is skipped;
- one table row per line with cells separated by spaces: the same, on the tokens;
- one value per line: the name is followed by exactly as many cells as there are value
  columns (empty cells are single-space lines), checked by the same kinds.

Level labels come from lexicon/indicators.toml. A row that does not fit is left unread: a
score under the wrong indicator is worse than a missing one.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from itertools import combinations

from loaders import fastre
from loaders import lexicon
from loaders.extract.base import Candidate, Context
from loaders.extract.rows import Cell, Row, Rows, space_cells
from loaders.extract.tables import Header, _row_roles, explode_flat, find_headers, number, role_of, squash
from loaders.normalize import COMPARATOR_SIGNS, dimension_of, grade_of, parse_value, value_meets
from loaders.records import Indicator

_CORE = ("target", "actual", "weight", "score")
_STOP = fastre.compile(r"^(?:总分|合计|总计|综合得分|自评总分|自评得分|自评等级|评价等级|得分合计|备注|说明|填报人|填表人|联系人|联系电话|审核人|偏差大或|改进措施|注[:：1１])")
_HEADING = fastre.compile(r"^[一二三四五六七八九十]+、")  # a section heading of running text
_LEVEL_WEIGHT = fastre.compile(r"\(\s*\d+(?:\.\d+)?\s*分?\s*\)$")


@lru_cache(maxsize=1)
def _levels() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    spec = lexicon.load("indicators")
    return (frozenset(squash(x) for x in spec["level1"]["labels"]),
            frozenset(squash(x) for x in spec["level2"]["labels"]),
            tuple(spec["level2_suffix"]["words"]))


@lru_cache(maxsize=1)
def _block_labels() -> frozenset[str]:
    return frozenset(squash(x) for x in lexicon.load("indicators")["block"]["labels"])


def level_of(text: str) -> int | None:
    """1 or 2 when the cell is a level-1 or level-2 label, else None."""
    l1, l2, suffixes = _levels()
    s = squash(text)
    s = _LEVEL_WEIGHT.sub("", s)
    if s in l1:
        return 1
    if s in l2:
        return 2
    if len(s) <= 9 and s.endswith(suffixes):
        return 2
    return None


def table_rows(ctx: Context) -> Rows:
    """The rows indicator tables are read from: a flattened line cut at its header's run of
    column names, and the long row of tokens after it cut into one row per indicator where a
    level label or a total label opens the next one ("… 10 10 质量指标 重点工作完成率 ≥95% …")."""
    rows = explode_flat(ctx.rows, "indicator")
    cache = rows.cache
    if "indicator_rows" in cache:
        return cache["indicator_rows"]
    out = Rows()
    for row in rows:
        if not (row.delimited and not row.complete and len(row.cells) >= 12):
            out.append(row)
            continue
        chunk: list[Cell] = []
        for c in row.cells:
            opens = (level_of(c.text) is not None or _TOTAL_ROW.match(squash(c.text))) and chunk \
                and level_of(chunk[-1].text) is None
            if opens:
                out.append(Row(chunk, chunk[0].line, complete=False, delimited=True))
                chunk = []
            chunk.append(c)
        if chunk:
            out.append(Row(chunk, chunk[0].line, complete=False, delimited=True))
    cache["indicator_rows"] = out
    return out


def read(ctx: Context) -> list[Indicator]:
    rows = table_rows(ctx)
    headers = find_headers(rows, "indicator", must={"level3"}, any_of={"score", "weight", "actual", "target"})
    out: list[Indicator] = []
    seen: set[tuple[str, int]] = set()
    for h_i, h in enumerate(headers):
        end = headers[h_i + 1].first if h_i + 1 < len(headers) else len(rows)
        for ind in _read_table(rows, h, end):
            key = (ind.level3, ind.line)
            if key not in seen:
                seen.add(key)
                out.append(ind)
    if not out or all(i.weight is None and i.score is None for i in out):
        # nothing read, or rows without a weight or score: a header scattered through a
        # flattened line reads better, when it reads
        return _scattered(explode_flat(ctx.rows, "indicator")) or out
    return out


def _scattered(rows: Rows) -> list[Indicator]:
    """A table flattened into one line whose merged cells came out interleaved with the values
    (an .xlsx on a document-sharing page: "指标1:… 二级指标 三级指标 20个 20个 分值 得分 10 10
    指标2:…"): the header's column names stand in pieces between the first row's cells. The
    columns are the value columns in the order the pieces name them, and the rest of the line is
    read as a stream of cells, each name followed by its values (every row anchored by a figure
    in the 分值 or 得分 column)."""
    by_line: dict[int, list[Row]] = {}
    for r in rows:
        if r.delimited:
            by_line.setdefault(r.line, []).append(r)
    for pieces in by_line.values():
        if len(pieces) < 4:
            continue
        named = [(k, _texts_roles_of(p)) for k, p in enumerate(pieces) if p.complete]
        named = [(k, rr) for k, rr in named if rr]
        order: list[str] = []
        for _, rr in named:
            for r in rr:
                if r not in order:
                    order.append(r)
        slots = [r for r in order if r in _CORE]
        if "level3" not in order or len(named) < 3 or not {"weight", "score"} & set(slots) or len(slots) < 3:
            continue
        first = next(k for k, rr in named if "level3" in rr or set(rr) & set(_CORE))
        headers = {k for k, _ in named}
        stream = [c for k, p in enumerate(pieces) if k > first and k not in headers for c in p.cells]
        found = _read_stream(stream, slots, len(slots), {"l1": None, "l2": None})
        if len(found) >= 3:
            return found
    return []


def _texts_roles_of(row: Row) -> list[str]:
    return [r for r in (role_of(c.text, "indicator") for c in row.cells) if r]


_TOTAL_ROW = fastre.compile(r"^(?:总分|合计|总计|得分合计|综合得分|自评总分|自评得分|总得分|自评得分合计|分值合计)(?:\(\S*\))?[:：]?$")


_TOTAL_FIRST = ("总", "合", "得", "综", "自", "分")


def totals(ctx: Context) -> list[Candidate]:
    """The total score on the total row of an indicator table (总分 | 100 | 96.5, 合计 … 96.6):
    the figure in the score column when the row aligns with a one-row header; else a lone
    figure, or the second of two when the first is the full 100 points (分值 then 得分)."""
    rows = table_rows(ctx)
    headers = find_headers(rows, "indicator", must={"level3"}, any_of={"score", "weight", "actual", "target"})
    out: list[Candidate] = []
    for h_i, h in enumerate(headers):
        if "score" not in h.roles:
            continue
        end = headers[h_i + 1].first if h_i + 1 < len(headers) else len(rows)
        for k in range(h.last + 1, min(end, h.last + 400)):
            row = rows[k]
            first = row.cells[0].text if row.cells else ""
            # the total row opens with its label: only rows whose first word could be one are looked at
            if not first.startswith(_TOTAL_FIRST) and not (len(row.cells) > 1 and any(c.text.startswith(_TOTAL_FIRST) for c in row.cells[:2])):
                continue
            cells = [c for c in row.cells if c.text]
            if not cells:
                continue
            if row.delimited or len(row.cells) > 1:
                label, rest = cells[0], cells[1:]
            else:
                parts = space_cells(row.cells[0])
                label, rest = parts[0], parts[1:]
                if not rest:  # one value per line: the figures in the cells that follow
                    more = 0
                    for r2 in rows[k + 1:k + 12]:
                        t2 = r2.cells[0].text if len(r2.cells) == 1 else None
                        if t2 is None or (t2 and number(t2) is None):
                            break
                        if t2:
                            if len(rest) < 2:
                                rest.append(r2.cells[0])
                            else:
                                more += 1
                    if more:
                        # a third figure after 总分 / 100 / 9: a figure cut in two ("9" / "5.8"),
                        # or cells of other columns; which cell is the score is not said
                        break
            if not _TOTAL_ROW.match(squash(label.text)):
                continue
            figures = [c for c in rest if number(c.text) is not None and not squash(c.text).endswith("%")]
            value = None
            if h.positions and row.delimited and len(row.cells) <= len(h.positions) and "score" in h.positions:
                at = h.positions.index("score")
                if at < len(row.cells) and number(row.cells[at].text) is not None:
                    value = row.cells[at]
            if value is None and len(figures) == 1 and not ("weight" in h.roles and number(figures[0].text) == 100):
                # (a lone 100 under a table with a 分值 column is the weights' total, its 得分
                # cell left empty: a half-filled form)
                value = figures[0]
            elif value is None and len(figures) >= 2 and all(number(f.text) == 100 for f in figures[:-1]):
                # the full marks in the weight columns (the levels' weights and the indicators'),
                # then the score: "合计 | 100 | | | 100 | 97"
                value = figures[-1]
            if value is not None and number(value.text) <= 150:
                out.append(Candidate("total_score", number(value.text), value.text, value.line, "table", 1,
                                     note=f"{label.text} 行"))
                # a grade in the cell after the total ("总分 | 100 | 96 | 优")
                after = cells[cells.index(value) + 1:] if value in cells else []
                if after and len(squash(after[0].text)) <= 3 and grade_of(after[0].text):
                    out.append(Candidate("grade_raw", squash(after[0].text), after[0].text, after[0].line, "table", 1,
                                         note=f"{label.text} 行"))
            break
    return out


def _slots(h: Header, rows: list[Row] | None = None) -> list[str]:
    roles = h.roles
    if "level3" not in roles:
        return []
    at = roles.index("level3")
    slots = [r for r in roles[at + 1:] if r not in ("level1", "level2", "level3")]
    first_level = min(roles.index(r) for r in ("level1", "level2", "level3") if r in roles)
    before = [r for r in roles[:first_level] if r in _CORE or r == "note"]
    lower = _level_row_after(rows, h) if h.last > h.first and rows is not None and sum(r in _CORE for r in before) >= 2 else None
    if lower is not None and not {"weight", "score"} & set(lower):
        # a header over two rows whose lower row names the leading columns (一级 | 二级 | 三级 |
        # 指标性质 | 指标值 | 度量单位) and whose upper row the others, a group title first
        # (年度指标值 over 指标性质…度量单位 | 实际完成值 | 分值 | 得分 | 偏差原因): the lower row's
        # columns, then the upper row's that it does not name
        slots = lower + [r for r in before if r not in lower]
    return slots


def _level_row_after(rows: list[Row], h: Header) -> list[str] | None:
    """The columns the header row naming the indicator's name column names after it."""
    for k in range(h.first, h.last + 1):
        rr = _row_roles(rows[k], "indicator")
        if "level3" in rr:
            return [r for r in rr[rr.index("level3") + 1:] if r not in ("level1", "level2", "level3")]
    return None


def _core_len(slots: list[str]) -> int:
    """Value columns up to the last core one (a note after them is optional)."""
    last = max((i for i, r in enumerate(slots) if r in _CORE), default=-1)
    return last + 1


def _last_row_slots(rows: list[Row], h: Header, slots: list[str]) -> list[str]:
    """A header over two rows whose last one is a whole row naming the indicator's columns
    ("分解目标 | 自评" over "权重 | 二级指标 | 三级指标 | 年度指标值 | … | 分值 | 得分"): the columns
    after the name as that row names them, when it names more value columns than the two rows
    merged (where a role named twice counts once)."""
    last = rows[h.last]
    if h.first == h.last or not last.delimited:
        return slots
    named = [role_of(c.text, "indicator") for c in last.cells]
    if "level3" not in named:
        return slots
    after = [r for r in named[named.index("level3") + 1:] if r and r not in ("level1", "level2", "level3")]
    return after if sum(r in _CORE for r in after) > sum(r in _CORE for r in slots) else slots


def _read_table(rows: list[Row], h: Header, end: int) -> list[Indicator]:
    slots = _last_row_slots(rows, h, _slots(h, rows))
    out = _read_slots(rows, h, end, slots)
    n = _core_len(slots)
    if not out and n >= 2 and slots[n - 1] == "score" and "weight" in slots[:n - 1]:
        # a form whose 得分 column was left empty throughout (filled in before its scoring):
        # each row holds its values up to 分值 only. Read so only when three rows or more read
        # that way, every one with its 分值 a number.
        trial = _read_slots(rows, h, end, slots[:n - 1], by_position=False)
        if len(trial) >= 3 and all(i.weight is not None for i in trial):
            return trial
    return out


def _read_slots(rows: list[Row], h: Header, end: int, slots: list[str], by_position: bool = True) -> list[Indicator]:
    n = _core_len(slots)
    if n == 0:
        return []
    state = {"l1": None, "l2": None}
    # a table with no 一级/二级 columns has no level cells: a name that reads like a level label
    # (服务对象满意度) is an indicator there
    lvl = level_of if ("level1" in h.roles or "level2" in h.roles) else _no_level
    out: list[Indicator] = []
    levelled = "level1" in h.roles or "level2" in h.roles
    if "score" in h.roles and "weight" not in h.roles:
        weighted = _weighted_stream(rows[h.last + 1:end])
        if weighted:
            return weighted
    numbered = _numbered_rows(rows[h.last + 1:end])
    if numbered is not None:
        # rows numbered 1, 2, 3 … whose cells wrap over several lines: each number starts a row
        for cells, _ in numbered:
            ind = _read_row(cells[1:], slots, n, state, lvl=lvl, levelled=levelled)
            if ind is None and levelled:
                # a name that reads like a level label (服务对象满意度) in its own column
                ind = _read_row(cells[1:], slots, n, state, lvl=_no_level, levelled=True)
            if ind is not None:
                out.append(ind)
        return out
    k = h.last + 1
    stream: list[Cell] = []  # one-value-per-line cells waiting to be read
    held: list[Indicator] = []  # rows named like levels (see _label_named)
    vanishing = _vanishing(slots, n)
    total_row: Row | None = None
    misses = 0
    while k < end:
        row = rows[k]
        k += 1
        first = squash(row.texts[0]) if row.cells else ""
        if _STOP.match(first) and level_of(first) is None:
            total_row = row
            break
        if not row.delimited and _HEADING.match(first):
            break
        if row.delimited:
            ind = _read_by_position(row.cells, h.positions, state, lvl) if h.positions and by_position else None
            if ind is None:
                ind = _read_row(row.cells, slots, n, state, lvl=lvl, levelled=levelled and row.complete)
            if ind is None and not row.complete and len(row.cells) > 2 * n:
                # a piece of a flattened line holding several indicators of one level
                # ("民营企业家培训期数 ≥3期 3期 15 15 政企恳谈会次数 ≥4次 4次 10 10"): read as a
                # stream of cells, each name followed by its values
                found = _read_stream(row.cells, slots, n, state, lvl)
                if found:
                    out += found
                    misses = 0
                    continue
        elif len(row.cells) == 1 and len(space_cells(row.cells[0])) >= n + 1 - vanishing:
            ind = _read_row(space_cells(row.cells[0]), slots, n, state, spaced=True, lvl=lvl)
            if ind is None and levelled:
                held += _label_named(space_cells(row.cells[0]), slots, n, state)
        else:
            stream.append(row.cells[0])
            continue
        if ind is not None:
            out.append(ind)
            misses = 0
        else:
            misses += 1
            if misses > 12:
                break
    if stream and _stream_readable(slots):
        out += _read_stream(stream, slots, n, state, lvl)
    if held and out and total_row is not None and _completes(out, held, total_row):
        out = sorted(out + held, key=lambda i: i.line)
    return out


def _label_named(cells: list[Cell], slots: list[str], n: int, state: dict) -> list[Indicator]:
    """A row whose only text is a level label followed by exactly the value columns ("可持续影响
    5 5"): an indicator named like a level (a common-indicator table's 社会效益), or a level's
    subtotal. Kept aside; see `_completes`."""
    cells = [c for c in cells if c.text]
    k = next((j for j, c in enumerate(cells) if number(c.text) is not None), len(cells))
    values, tail = cells[k:k + n], cells[k + n:]
    if k < 1 or level_of(cells[k - 1].text) is None or len(values) != n or len(tail) > len(slots) - n:
        return []
    if not _stream_row_ok(slots[:n], values) or "weight" not in slots[:n] \
            or not all(_trailing_ok(r, c.text) for r, c in zip(slots[n:], tail)):
        return []
    return [_indicator(cells[k - 1], dict(zip(slots, values)), dict(state))]


def _completes(out: list[Indicator], held: list[Indicator], total_row: Row) -> bool:
    """Rows named like levels are indicators when, with them, the weights add up to the total
    row's full marks and without them they do not (and the scores to its score, when stated)."""
    figures = [number(c.text) for c in (space_cells(total_row.cells[0]) if not total_row.delimited else total_row.cells)]
    figures = [f for f in figures if f is not None]
    if not figures or any(i.weight is None for i in out + held):
        return False
    full = figures[0]
    weights = sum(i.weight for i in out)
    if weights == full or weights + sum(i.weight for i in held) != full:
        return False
    if len(figures) >= 2 and all(i.score is not None for i in out + held):
        return abs(sum(i.score for i in out + held) - figures[1]) < Decimal("0.015")
    return True


def _vanishing(slots: list[str], n: int) -> int:
    """How many cells a space-separated row may lack (its often-empty columns, two at most)."""
    return min(2, sum(1 for r in slots[:n] if r in _may_vanish()))


def _stream_readable(slots: list[str]) -> bool:
    """Whether one-value-per-line cells can be cut into rows under these columns: only with a
    分值 or 得分 column (a figure to anchor each row) or both a target and an actual column. A
    header of which only 年度指标值 is known (a monitoring form's 1-7月执行情况, 全年预计完成情况
    … are not) cannot tell where a row ends."""
    core = set(slots) & set(_CORE)
    return bool(core & {"weight", "score"}) or {"target", "actual"} <= core


_WEIGHT_OR_NUMBER = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]|(?<![\d.])(\d+(?:\.\d+)?)(?![\d.%])")


def _weighted_stream(rows: list[Row]) -> list[Indicator]:
    """A score sheet whose only figures are the scores, each weight standing in its label
    ("相关性(5分)") and the rows run together or wrapped so that each score opens the next line
    ("相关性(5 分)" / "5 明确性(5 分)"): a label followed by a score is an indicator, a label
    followed by another label a group of the labels after it, as far as their weights fill its
    own. Read only when every group is filled exactly by its members' weights, every score is at
    most its weight, and the scores add up to the total row's figure when one is given."""
    tokens: list[tuple[str, str, Decimal, int]] = []  # (kind, label, value, line)
    pending = ""
    total: Decimal | None = None
    in_total = False
    for row in rows:
        text = " ".join(c.text for c in row.cells)
        if _STOP.match(squash(text)):
            in_total = True
        pos = 0
        for m in _WEIGHT_OR_NUMBER.finditer(text):
            between = text[pos:m.start()]
            pos = m.end()
            if in_total:
                if m.group(2) is not None:
                    total = Decimal(m.group(2))
                continue
            if m.group(1) is not None:
                name = squash(pending + between)
                pending = ""
                if not name:
                    return []
                tokens.append(("label", name, Decimal(m.group(1)), row.line))
            elif _STOP.match(squash(pending + between)):
                total = Decimal(m.group(2))  # the total row ("… 7.5 总分" / "91.5")
                in_total = True
                break
            elif squash(between) or pending.strip():
                pending += between + m.group(0)  # a figure inside a label (指标1, 2022年)
            else:
                tokens.append(("score", "", Decimal(m.group(2)), row.line))
        if in_total:
            if total is not None:
                break
            continue
        pending += text[pos:]
        if _STOP.match(squash(pending)):
            in_total, pending = True, ""
        if len(tokens) > 400:
            return []
    leaves = sum(1 for k, t in enumerate(tokens) if t[0] == "label" and k + 1 < len(tokens) and tokens[k + 1][0] == "score")
    if leaves < 3:
        return []
    out: list[Indicator] = []
    groups: list[list] = []  # [name, room left]
    k = 0
    while k < len(tokens):
        kind, name, value, line = tokens[k]
        if kind != "label":
            return []  # a score with no label before it
        if k + 1 < len(tokens) and tokens[k + 1][0] == "score":
            score = tokens[k + 1][2]
            if score > value or len(groups) > 2:
                return []
            for g in groups:
                g[1] -= value
                if g[1] < 0:
                    return []
            l1 = groups[0][0] if len(groups) == 2 else (groups[0][0] if groups else None)
            l2 = groups[1][0] if len(groups) == 2 else None
            out.append(Indicator(level1=l1, level2=l2, level3=name, dimension=dimension_of(l1, l2, name),
                                 weight=value, score=score, line=line))
            while groups and groups[-1][1] == 0:
                groups.pop()
            k += 2
        else:
            for g in groups:
                if g[1] < value:
                    return []
            groups.append([name, value])
            k += 1
    if groups:
        return []  # a group its members do not fill: not read as this kind of sheet
    if total is not None and sum(i.score for i in out) != total:
        return []
    return out


def _numbered_rows(rows: list[Row]) -> list[tuple[list[Cell], int]] | None:
    """A table whose rows open with their number (序号 1, 2, 3 …) and wrap over several lines
    (pipe rows cut at long cells): the cells of each numbered row, joined, with its first line.
    None unless at least three rows are numbered in sequence and some row wraps. A number alone
    or not the next one (a score on a line of its own) continues the row above."""
    out: list[tuple[list[Cell], int]] = []
    expected = 1
    wrapped = False
    for row in rows:
        first = squash(row.cells[0].text) if row.cells else ""
        if not row.delimited:
            # a lone cell: a wrapped cell of the row above (a score on a line of its own),
            # unless it is running text after the table
            if not first:
                continue
            if not out:
                continue  # what is left of the header
            if _STOP.match(first) or len(first) > 40:
                break
        # a row starts at its number followed by a cell (a lone "2" is a score on its own line)
        if row.delimited and first == str(expected) and sum(1 for c in row.cells if c.text) >= 2:
            out.append((list(row.cells), row.line))
            expected += 1
            continue
        if not out:
            return None
        opening = next((squash(c.text) for c in row.cells if c.text.strip()), "")
        if _STOP.match(opening):
            break  # the total row, its 序号 cell empty ("\t合计\t100\t\t92.4")
        out[-1][0].extend(row.cells)
        wrapped = True
    return out if len(out) >= 3 and wrapped else None


def _no_level(text: str) -> None:
    return None


@lru_cache(maxsize=1)
def _not_values() -> frozenset[str]:
    return frozenset(lexicon.load("columns")["indicator_cells"]["not_values"])


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    cells = lexicon.load("columns")["indicator_cells"]
    return frozenset(cells["not_values"]) | frozenset(cells["not_names"])


def _kind_ok(role: str, text: str) -> bool:
    t = squash(text)
    if role in ("weight", "score"):
        if t in ("", "—", "-", "/", "——"):
            return role == "score"
        v = number(t)
        return v is not None and not t.endswith("%") and v <= 100
    if role in ("target", "actual"):
        return level_of(t) is None and len(t) <= 80
    return True


def _read_row(cells: list[Cell], slots: list[str], n: int, state: dict, spaced: bool = False, lvl=level_of,
              levelled: bool = False) -> Indicator | None:
    """One indicator from a row's cells, right-aligned on the value columns. With `levelled` (a
    complete row of a table with 一级/二级 columns), one or two cells before the name are its
    level cells by position (二级 | 名称, or 一级 | 二级 | 名称)."""
    cells = list(cells)
    while cells and not cells[-1].text:
        cells.pop()
    while cells and not cells[0].text:
        cells.pop(0)
    if not cells:
        return None
    # the block's own label opening the row (绩效指标, or its second half 指标)
    while len(cells) > 1 and squash(cells[0].text) in _block_labels():
        cells.pop(0)
    # in a row of space-separated cells, single characters opening it are a rotated label's
    # pieces, printed one per line ("标 质量 项目工程验收合格率 10 …": 产出指标 read upwards)
    while spaced and len(cells) > 2 and len(squash(cells[0].text)) == 1 and not cells[0].text.strip().isdigit() \
            and number(cells[0].text) is None:
        cells.pop(0)
    # level labels opening the row
    lead: list[Cell] = []
    while cells and lvl(cells[0].text) is not None:
        lead.append(cells.pop(0))
        if len(cells) > 1 and _SMALL_INT.fullmatch(squash(cells[0].text)) and lvl(cells[1].text) is not None:
            cells.pop(0)  # the level's weight between it and the next level ("管理指标 | 30 | 预算管理 | …")
    if len(lead) >= 2 and lvl(lead[-1].text) == lvl(lead[-2].text) == 2 and cells \
            and not squash(lead[-1].text).endswith("指标"):
        # two level-2 cells in a row ("服务对象满意度指标 | 服务对象满意度"): the second, in the
        # name's column, is the indicator named like its level
        cells.insert(0, lead.pop())
    if lead and levelled and len(cells) > 2 and _SMALL_INT.fullmatch(squash(cells[0].text)) \
            and number(cells[1].text) is None and lvl(lead[-1].text) == 1:
        cells.pop(0)  # the level-1 label's weight before a level-2 label the lexicon does not know ("产出指标 | 25 | 重点工作 | …")
    if not cells:
        _set_levels(lead, state)
        return None
    options = _options(cells, slots, n, levelled and not spaced, _kind_ok)
    if not options and spaced:
        # a row of space-separated cells loses its empty cells: a column that is often left
        # empty (columns.toml [indicator_cells] may_vanish: 调整指标值, 计量单位 of a qualitative
        # row) may be missing, when exactly one choice of missing columns fits every column
        for fewer in _vanished(slots, n, len(cells)):
            options += [(head, values, fewer) for head, values, _ in _options(cells, fewer, _core_len(fewer), False, _strict_kind_ok)]
        if len({tuple(c.text for c in values) for _, values, fewer in options}) > 1 or \
                len({tuple(fewer[:len(values)]) for _, values, fewer in options}) > 1:
            return None
        options = options[:1]
    if len(options) != 1:
        if len(options) == 2 and _same(options):
            options = options[:1]
        else:
            return None
    _set_levels(lead, state)
    head, values, slots = options[0]
    if len(head) == 3:
        state["l1"], state["l2"] = head[0].text, head[1].text
    elif len(head) == 2:
        state["l2"] = head[0].text
    return _indicator(head[-1], dict(zip(slots, values)), state)


def _options(cells: list[Cell], slots: list[str], n: int, levelled: bool, kind_ok) -> list[tuple[list[Cell], list[Cell], list[str]]]:
    """The ways a row's cells fit the columns, right-aligned on the value columns: (name and
    level cells, value cells, columns)."""
    out = []
    # the columns after the last core one (a deduction, a note) may be left empty: as many of
    # them as the row has cells for, each fitting its column
    for extra in range(len(slots) - n + 1):
        k = len(cells) - n - extra
        if k < 1:
            continue
        head, values, tail = cells[:k], cells[k:k + n], cells[k + n:]
        if len(head) != 1 and not (levelled and len(head) <= 3):
            continue  # the name must be one cell (a space-split name is not certain)
        if any(number(c.text) is not None or not c.text for c in head) or not _name_ok(head[-1].text):
            continue
        if not all(kind_ok(r, c.text) for r, c in zip(slots, values)):
            continue
        if not all(_trailing_ok(r, c.text) for r, c in zip(slots[n:], tail)):
            continue
        out.append((head, values, slots))
    return out


@lru_cache(maxsize=1)
def _may_vanish() -> frozenset[str]:
    return frozenset(lexicon.load("columns")["indicator_cells"]["may_vanish"])


def _vanished(slots: list[str], n: int, cells: int) -> list[list[str]]:
    """The columns with one or two of its often-empty ones removed, for a row short of cells."""
    drop = [i for i, r in enumerate(slots[:n]) if r in _may_vanish()]
    out = []
    for k in (1, 2):
        if cells + k < n + 1:
            continue
        for gone in combinations(drop, k):
            out.append([r for i, r in enumerate(slots) if i not in gone])
    return out


def _strict_kind_ok(role: str, text: str) -> bool:
    """_kind_ok, and the columns around the values hold what their kind holds: a unit is a short
    word (%, 户, 人次), a nature a comparator or a word such as 定量指标."""
    t = squash(text)
    if role == "unit":
        return 0 < len(t) <= 4 and not any(ch.isdigit() for ch in t) and t not in _not_values() \
            and not t.startswith(COMPARATOR_SIGNS)
    if role == "nature":
        return t in _not_values() or t in _comparators()
    if role in ("target", "actual"):
        # a single character without a figure is a unit (次, 个), not a value
        return _kind_ok(role, text) and t not in _not_values() and (len(t) > 1 or t.isdigit())
    return _kind_ok(role, text)


_SMALL_INT = re.compile(r"\d{1,3}")


def _trailing_ok(role: str, text: str) -> bool:
    """A cell after the core columns: a deduction is a figure; any other column (a note) is not
    one (a figure there means the row's values were placed a column off)."""
    if role == "deduction":
        return number(text) is not None
    return number(text) is None


def _left_kept(cells: list[Cell], positions: list[str | None]) -> bool:
    """A row that keeps its empty first cell (a merged level column left blank) has not lost
    cells on its left: the cells missing at its end are empty ones (a 得分 left blank)."""
    return bool(cells) and not cells[0].text.strip() and "level3" in positions \
        and len(cells) > positions.index("level3") and bool(cells[positions.index("level3")].text.strip())


def _read_by_position(cells: list[Cell], positions: list[str | None], state: dict, lvl=level_of) -> Indicator | None:
    """A row with at most as many cells as the one-row header, read column by column (the
    level cells may be empty: merged cells carried down)."""
    if not cells or len(cells) > len(positions):
        return None
    # only the trailing empty cells may be missing (a note column left blank); a row with fewer
    # cells is one whose merged cells on the left were dropped: not aligned by position
    if any(r in _CORE or r == "level3" for r in positions[len(cells):]) and not _left_kept(cells, positions):
        return None
    by_role: dict[str, Cell] = {}
    for role, c in zip(positions, cells):
        if role and role not in by_role:
            by_role[role] = c
    name = by_role.get("level3")
    if name is None or not name.text or not _name_ok(name.text):
        return None
    # a name that reads like a level label (服务对象满意度) is a name in its column, when the row
    # has every cell of the header; a shorter row might be shifted
    if lvl(name.text) is not None and len(cells) != len(positions):
        return None
    slots = [r for r in positions if r in _CORE]
    present = [r for r in slots if r in by_role]
    if not present or not all(_kind_ok(r, by_role[r].text) for r in present):
        return None
    if not any(number(by_role[r].text) is not None for r in present if r in ("weight", "score")) \
            and not any(squash(by_role[r].text) for r in present):
        return None
    # the level cells by their column (a label the lexicon does not know is still a label here)
    l1, l2 = by_role.get("level1"), by_role.get("level2")
    if l1 is not None and l1.text:
        state["l1"], state["l2"] = l1.text, None
    if l2 is not None and l2.text:
        state["l2"] = l2.text
    return _indicator(name, {r: by_role[r] for r in present + [x for x in ("note", "unit", "nature") if x in by_role]}, state)


def _same(options) -> bool:
    a, b = options
    return [c.text for c in a[0]] == [c.text for c in b[0]] and [c.text for c in a[1]] == [c.text for c in b[1]]


def _set_levels(lead: list[Cell], state: dict) -> None:
    for c in lead:
        lvl = level_of(c.text)
        if lvl == 1:
            state["l1"], state["l2"] = c.text, None
        elif lvl == 2:
            state["l2"] = c.text


def _read_stream(cells: list[Cell], slots: list[str], n: int, state: dict, lvl=level_of) -> list[Indicator]:
    out: list[Indicator] = []
    i = 0
    skipped = -1  # the last cell passed over (not a name, a level or a value)
    prev_level = None  # the level of the cell just before, when it was a level label
    has_note = len(slots) > n
    while i < len(cells):
        c = cells[i]
        t = squash(c.text)
        if not t:
            i += 1
            continue
        if (_STOP.match(t) or _HEADING.match(t)) and level_of(t) is None:
            break
        level = lvl(t)
        if level is not None:
            values = cells[i + 1:i + 1 + n]
            # a level-2 word right after a level-2 label, followed by a row's values, is the
            # indicator named like its level ("服务对象满意度指标" / "服务对象满意度" / ≥90% / …)
            named = level == 2 and prev_level == 2 and not t.endswith("指标") and len(values) == n \
                and _stream_row_ok(slots, values)
            if not named:
                _set_levels([c], state)
                prev_level = level
                i += 1
                continue
        prev_level = None
        values = cells[i + 1:i + 1 + n]
        prev = squash(cells[i - 1].text) if i > 0 and skipped == i - 1 else ""
        if len(t) <= 3 and len(prev) >= 6 and number(prev) is None and lvl(prev) is None:
            # a name wrapped by the page's column ("受益残疾人及家属满意" / "度"): the short piece
            # that opens the row's values ends the name left unread just before it
            c = Cell(cells[i - 1].text.strip() + c.text.strip(), cells[i - 1].line)
            t = squash(c.text)
        if len(values) == n and _name_ok(t) and _stream_row_ok(slots, values):
            out.append(_indicator(c, dict(zip(slots, values)), state))
            i += 1 + n
            if has_note and i < len(cells):
                nxt = cells[i]
                if not squash(nxt.text):
                    i += 1
                elif lvl(nxt.text) is None and not _fits_at(cells, i + 1, slots, n, lvl) and not _fits_at(cells, i, slots, n, lvl):
                    i += 1  # a note, not the next indicator
            continue
        skipped = i
        i += 1
    return out


def _stream_row_ok(slots: list[str], values: list[Cell]) -> bool:
    """Cells that may be one indicator's values: each fits its column, and where the table has
    分值 or 得分 columns at least one of them holds a number (without that anchor, any run of
    text lines would pass for a row)."""
    if not all(_kind_ok(r, v.text) for r, v in zip(slots, values)):
        return False
    if any(r in ("target", "actual") and squash(v.text) in _comparators() for r, v in zip(slots, values)):
        # a comparator alone (">=") is the sign column of a target split in 符号 / 值 / 单位: the
        # stream has more columns than the slots, and its cells cannot be paired with them
        return False
    anchors = [v for r, v in zip(slots, values) if r in ("weight", "score")]
    if anchors:
        return any(number(v.text) is not None for v in anchors)
    return any(squash(v.text) for v in values)


def _fits_at(cells: list[Cell], i: int, slots: list[str], n: int, lvl=level_of) -> bool:
    if i >= len(cells):
        return False
    name = cells[i]
    values = cells[i + 1:i + 1 + n]
    return (len(values) == n and _name_ok(name.text) and lvl(name.text) is None and _stream_row_ok(slots, values))


def _name_ok(text: str) -> bool:
    """An indicator's name: not a figure, not a cell of another column (是, 否, 定量指标), not a
    target ("≥120家") nor the table's total row (合计, 总分)."""
    t = squash(text)
    return (len(t) >= 2 and number(t) is None and t not in _not_names() and not t.startswith(COMPARATOR_SIGNS)
            and _TOTAL_ROW.match(t) is None)



@lru_cache(maxsize=1)
def _comparators() -> dict[str, str]:
    return dict(lexicon.load("columns")["indicator"]["nature"]["comparators"])


def _indicator(name: Cell, vals: dict[str, Cell], state: dict) -> Indicator:
    def text(role):
        c = vals.get(role)
        if c is None:
            return None
        t = c.text.strip()
        return None if t in ("", "—", "-", "/", "——") else t

    def num(role):
        t = text(role)
        return number(t) if t is not None else None

    target_raw, actual_raw = text("target"), text("actual")
    weight = num("weight")
    if weight is None and "weight" not in vals:
        # a rubric without a 分值 column states each weight in the name: "预算完成率(10分)"
        m = _LEVEL_WEIGHT.search(squash(name.text))
        if m:
            weight = number(m.group(0).strip("()"))
    target, actual = parse_value(target_raw), parse_value(actual_raw)
    nature = text("nature")
    if nature and target_raw and number(target_raw) is not None and nature in _comparators():
        # the target's comparator and unit in columns of their own: the target as one would
        # write it (≥ | 2 | 期 → ≥2期), as a template family reads it
        target_raw = _comparators()[nature] + target_raw + (text("unit") or "")
        target = parse_value(target_raw)
    unit = text("unit")
    if unit:
        # the unit in a column of its own (96 | %): the values are normalised with it, the raw
        # text stays as written
        if target_raw and number(target_raw) is not None and not target_raw.endswith(unit):
            target = parse_value(target_raw + unit)
        if actual_raw and number(actual_raw) is not None and not actual_raw.endswith(unit):
            actual = parse_value(actual_raw + unit)
    ind = Indicator(
        level1=state["l1"], level2=state["l2"], level3=name.text.strip(),
        dimension=dimension_of(state["l1"], state["l2"], name.text),
        weight=weight, score=num("score"),
        target_raw=target_raw, actual_raw=actual_raw, target=target, actual=actual,
        met=value_meets(target, actual), line=name.line,
    )
    note = text("note")
    if note:
        ind.note = note
    return ind


# ---------------------------------------------------------------------------------------------
# Indicators stated in sentences


@lru_cache(maxsize=1)
def _sentence_rx() -> re.Pattern:
    spec = lexicon.load("indicators")["sentence"]

    def alt(words):
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    value = r"[^,，。;；:：]{1,24}?"
    return fastre.compile(
        rf"^(?P<name>[^,，。;；:：]{{2,40}})[,，:：]\s*(?:{alt(spec['target_words'])})(?:为|是|:|：)?\s*(?P<target>{value})"
        rf"\s*[,，;；]\s*(?:{alt(spec['actual_words'])})(?:为|是|:|：)?\s*(?P<actual>{value})\s*(?:[,，;；。]|$)")


_ITEM_MARK = fastre.compile(r"^(?:[(（]?\d+[)）.、]|[(（][一二三四五六七八九十]+[)）]|[A-Z](?=[.、\u4e00-\u9fff])[.、]?|[一二三四五六七八九十]+、)\s*")
_GROUP_NOTE = fastre.compile(r"[(（][^()（）]*分[)）]$|[:：]$")


def sentences(ctx: Context) -> list[Indicator]:
    """Indicators written one per item ("(1)数量指标:" / "新增高清监控点位,年初目标值64个,实际完成值64
    个。"): the name, its target and its actual value; a line that is a level label alone (after
    its item mark and a group score "(自评分39分)") sets the levels of the items under it. At least
    two such items, or none is read."""
    rx = _sentence_rx()
    state = {"l1": None, "l2": None}
    out: list[Indicator] = []
    for lineno, raw in enumerate(ctx.lines, 1):
        line = raw.strip()
        if not line or len(line) > 160:
            continue
        body = _ITEM_MARK.sub("", line)
        label = _GROUP_NOTE.sub("", squash(body))
        level = level_of(label) if len(label) <= 12 else None
        if level == 1:
            state["l1"], state["l2"] = label, None
            continue
        if level == 2:
            state["l2"] = label
            continue
        m = rx.match(body)
        if m is None or number(m.group("name")) is not None:
            continue
        vals = {"target": Cell(m.group("target"), lineno), "actual": Cell(m.group("actual"), lineno)}
        out.append(_indicator(Cell(m.group("name").strip(), lineno), vals, state))
    return out if len(out) >= 2 else []
