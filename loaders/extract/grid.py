"""Money grids: 项目资金 / 预算资金 / 预算执行情况 tables (年初预算数 | 全年预算数 | 全年执行数 |
分值 | 执行率 | 得分 in any order and subset), read from the header's column roles.

The row read is the total row (年度资金总额, 部门整体支出总额 … in lexicon/columns.toml
[money_rows]). Its figures are matched to the columns one to one; when fewer figures than
columns are printed they are taken only if the missing ones are the last columns and every
figure fits its column's kind. Anything else is left unread: a figure in the wrong column is
worse than none.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from loaders import fastre
from loaders import lexicon
from loaders.extract.base import Candidate, Context
from loaders.regions import opens_with_place
from loaders.extract.rows import Cell, Row, space_cells
from loaders.extract.tables import (
    Header, explode_flat, find_headers, label_key, number, percent, plain_number, role_of, squash,
)

TARGETS = {"budget_initial": "budget_initial_yuan", "budget_adjusted": "budget_adjusted_yuan",
           "expenditure": "expenditure_yuan", "rate": "budget_exec_pct"}
_MONEY_ROLES = {"budget_initial", "budget_adjusted", "expenditure"}


@lru_cache(maxsize=1)
def _total_labels() -> tuple[frozenset[str], tuple[str, ...]]:
    spec = lexicon.load("columns")["money_rows"]
    return frozenset(label_key(x) for x in spec["total"]), tuple(spec["total_suffix"])


_NUMBERED_INDICATOR = re.compile(r"^指标\d+[:.、]")


def is_total_label(text: str) -> bool:
    exact, suffixes = _total_labels()
    key = label_key(text)
    if _NUMBERED_INDICATOR.match(key):
        return False  # an indicator named like a total (指标1:补助资金总额), not the grid's row
    return key in exact or (len(key) <= 12 and key.endswith(suffixes))


_UNIT_YUAN = fastre.compile(r"(?:单位|项目资金|预算资金|资金情况|资金投入情况|金额)[^万元]{0,6}元|\(元\)")
_UNIT_WAN = fastre.compile(r"万元|\(万\)")


# a line declaring the unit of the amounts below it ("金额单位:元", "单位：万元")
_DECLARED = fastre.compile(r"(?:金额|货币|资金)?单位\s*[:：]\s*(万元|元)(?![\u4e00-\u9fff])")


def _declared(lines: list[str], before: int) -> Decimal | None:
    """The money unit the nearest declaration above a table states (1-based line `before`)."""
    for i in range(min(before, len(lines)) - 1, -1, -1):
        m = _DECLARED.search(lines[i])
        if m:
            return Decimal(10_000) if m.group(1) == "万元" else Decimal(1)
    return None


_IMPLAUSIBLE_WAN = Decimal(10) ** 10  # 100亿元, in 元: more than one unit's year


def _unit_unstated(header: Header, lines: list[str]) -> bool:
    text = squash(header.unit_text)
    return not _UNIT_WAN.search(text) and not _UNIT_YUAN.search(text) and _declared(lines, header.line) is None


def _scale(header: Header, lines: list[str] = ()) -> Decimal | None:
    text = squash(header.unit_text)
    wan = bool(_UNIT_WAN.search(text))
    # a 元 that opens a place's name (实施单位 元阳县…) is not the money unit
    yuan = any(not opens_with_place(text[m.end() - 1:m.end() + 15]) for m in _UNIT_YUAN.finditer(text))
    if wan and not yuan:
        return Decimal(10_000)
    if yuan and not wan:
        return Decimal(1)
    if not wan and not yuan:
        # the unit a line above the table declares ("金额单位:元"); else the national forms'
        # money columns are in 万元 unless they say so
        return _declared(lines, header.line) or Decimal(10_000)
    return None


def read(ctx: Context) -> list[Candidate]:
    rows = explode_flat(ctx.rows, "money")
    out: list[Candidate] = []
    headers = find_headers(rows, "money", must=set(), any_of={"budget_adjusted", "budget_initial", "expenditure"})
    lists = [_lists_items(rows, h) for h in headers]
    for h, listed in zip(headers, lists):
        if listed and not all(lists):
            # a table of projects (序号 | 项目名称 | 全年预算数 …) beside the unit's own grid: its
            # 合计 is those projects', not the unit's (alone, it is the report's total)
            continue
        money = [r for r in h.roles if r in _MONEY_ROLES]
        if not money or len([r for r in h.roles if r in ("rate", "expenditure", "budget_adjusted", "budget_initial")]) < 2:
            continue
        scale = _scale(h, ctx.lines)
        found = _total_row(rows, h) or _row_under_header(rows, h)
        if found is None:
            continue
        label_cell, values = found
        values = _by_position(rows, h, label_cell) or values
        if _unfilled(h, values):
            # a template's total row left at 0 while one of its parts states the amounts: the
            # part is the total; with no part (or several) filled, nothing is read
            found = _single_part(rows, label_cell, values)
            if found is None:
                continue
            label_cell, values = found
        got = _assign(h, values, scale, label_cell)
        if _unit_unstated(h, ctx.lines) and any(c.field.endswith("_yuan") and c.value >= _IMPLAUSIBLE_WAN for c in got):
            # no unit stated and amounts that, in 万元, would be 100亿元 or more: in 元 they are
            # plausible; which one is meant is not said, so none is read
            got = [c for c in got if not c.field.endswith("_yuan")]
            got.append(Candidate("quality_flag", "unit_missing", label_cell.text, label_cell.line, "grid", 1,
                                 note="资金表没有写金额单位，金额按万元计过大（或为元），未读取"))
        out += got
        out += _topic_rows(rows, h, scale)
    out += _sum_tables(rows, ctx.lines)
    return out


@lru_cache(maxsize=1)
def _list_columns() -> frozenset[str]:
    return frozenset(label_key(x) for x in lexicon.load("columns")["money_rows"]["list_columns"])


def _lists_items(rows: list[Row], h: Header) -> bool:
    """Whether the header names a column of items (项目名称): one row per project."""
    cols = _list_columns()
    return any(label_key(c.text) in cols for k in range(h.first, h.last + 1) for c in rows[k].cells)


def _topic_rows(rows: list[Row], h: Header, scale: Decimal | None) -> list[Candidate]:
    """A row of the grid naming a topic of its own ("“三公”经费 | 4.50 | 4.50 | 3.86 | 85.78%"):
    its figures under the same columns are that topic's budget and spending (lexicon/columns.toml
    [money_rows.topics]), read only where the total row's rules read them."""
    topics = _topic_labels()
    out: list[Candidate] = []
    for row in rows[h.last + 1:h.last + 12]:
        cells = row.cells if row.delimited or " " not in row.cells[0].text.strip() else space_cells(row.cells[0])
        if not cells:
            continue
        key = label_key(cells[0].text)
        topic = next((t for word, t in topics if word in key), None)
        if topic is None or len(key) > 12:
            continue
        got = _assign(h, cells[1:], scale, cells[0])
        fields = {c.field: c for c in got}
        budget = fields.get("budget_adjusted_yuan") or fields.get("budget_initial_yuan")
        spent = fields.get("expenditure_yuan")
        for c, target in ((budget, f"{topic}_budget_yuan"), (spent, f"{topic}_actual_yuan")):
            if c is not None:
                out.append(Candidate(target, c.value, c.raw, c.line, "grid", 1, note=f"资金表中的{cells[0].text.strip()}行"))
    return out


@lru_cache(maxsize=1)
def _topic_labels() -> tuple[tuple[str, str], ...]:
    spec = lexicon.load("columns")["money_rows"]["topics"]
    return tuple((label_key(w), topic) for topic, words in spec.items() for w in words)


_SUM_TARGETS = {"revenue_total": "revenue_total_yuan", "expenditure": "expenditure_yuan"}


def _sum_tables(rows: list[Row], lines: list[str] = ()) -> list[Candidate]:
    """收入合计/支出合计 columns: the first figure of the first row under the header, taken
    only when the figures after it in that row (its parts) add up to it."""
    out: list[Candidate] = []
    for h in find_headers(rows, "sums", must=set(), any_of={"revenue_total", "expenditure"}):
        named = [r for r in h.roles if r != "ignore"]
        if not named or named[0] not in ("name", "revenue_total", "expenditure"):
            continue
        target = next((r for r in named if r in _SUM_TARGETS), None)
        if target is None or named[named.index(target) - 1 if named.index(target) else 0] not in ("name", target):
            continue
        scale = _scale(h, lines)
        figures: list[Cell] = []
        started = False
        for row in rows[h.last + 1:h.last + 40]:
            for c in row.cells:
                t = squash(c.text)
                if not t:
                    continue
                v = number(t)
                if v is None or t.endswith("%"):
                    if started:
                        break
                    continue  # the row label (机构名称 column) or a header cell left over
                started = True
                figures.append(c)
            else:
                continue
            break
        if len(figures) < 3 or scale is None:
            continue
        total, parts = number(figures[0].text), [number(c.text) for c in figures[1:]]
        if abs(total - sum(parts)) > Decimal("0.011"):
            continue
        out.append(Candidate(_SUM_TARGETS[target], total * scale, figures[0].text, figures[0].line, "grid", 1,
                             note="合计等于其后各分项之和"))
    return out


def _total_row(rows: list[Row], h: Header) -> tuple[Cell, list[Cell]] | None:
    """The total row under a header: (its label cell, the cells after the label)."""
    n = len(h.roles)
    seen = 0  # rows with text looked at (the empty cells of a one-value-per-line table aside)
    # eight table rows: in a table written one value per line, a row is a line per cell
    one_per_line = h.last > h.first and all(len(rows[k].cells) == 1 and not rows[k].delimited for k in range(h.first, h.last + 1))
    limit = 8 * (n + 1) if one_per_line else 8
    for k in range(h.last, len(rows)):
        row = rows[k]
        cells = row.cells
        if len(cells) == 1 and not cells[0].text:
            continue
        seen += 1
        if seen > limit:
            break
        if not row.delimited and len(cells) == 1 and " " in cells[0].text.strip():
            cells = space_cells(cells[0])
        for idx, c in enumerate(cells):
            if is_total_label(c.text):
                if len(cells) > idx + 1:  # the figures follow on the same row, up to a label
                    vals = []
                    for c2 in cells[idx + 1:]:
                        if c2.text and number(c2.text) is None and percent(c2.text) is None and c2.text not in ("—", "-", "——", "/"):
                            break
                        vals.append(c2)
                    if not any(squash(v.text) for v in vals) and row.delimited and any(squash(x.text) for x in cells[idx + 1:]):
                        break  # a sub-header ("合计 | 财政拨款 | 其他资金" under 预算数): not the row
                    return c, vals
                nxt = rows[k + 1] if k + 1 < len(rows) else None
                if nxt is not None and nxt.delimited:
                    # the figures on the next row (a spreadsheet dump with shifted cells)
                    vals = []
                    for c2 in nxt.cells:
                        if c2.text and number(c2.text) is None and percent(c2.text) is None and c2.text not in ("—", "-", "——", "/"):
                            break
                        vals.append(c2)
                    return c, vals
                # one value per line: the figures are the next cells, up to the next label
                vals: list[Cell] = []
                for r2 in rows[k + 1:k + 1 + n + 2]:
                    if r2.delimited or len(r2.cells) != 1:
                        break
                    t = r2.cells[0].text
                    if t and number(t) is None and percent(t) is None and t not in ("—", "-", "——", "/"):
                        break
                    vals.append(r2.cells[0])
                    if len(vals) == n:
                        break
                return c, vals
    return None


def _by_position(rows: list[Row], h: Header, label: Cell) -> list[Cell] | None:
    """The total row's figures by column, when the header is one delimited row and the total row
    lines up with it: the label spans the header's empty cells after its own ("| 资金投入情况 | |
    全年预算数 | …" over "| 年度资金总额: | | 86.40 | …"), those cells are empty in the total row
    too, and every role's column holds a cell. None otherwise (the cells are read in order)."""
    if h.positions is None:
        return None
    row = next((r for r in rows[h.last + 1:h.last + 8] if r.delimited and label in r.cells), None)
    if row is None:
        return None
    at = row.cells.index(label)
    idx = [h.positions.index(r) if r in h.positions else None for r in h.roles]
    if any(i is None or i >= len(row.cells) for i in idx) or any(squash(row.cells[k].text) for k in range(at)):
        return None
    if at == 0 and len(row.cells) >= max(idx) + 1 and any(h.positions[k] is None for k in range(min(idx), max(idx))) \
            and all(not squash(row.cells[k].text) or number(row.cells[k].text) is not None
                    for k in range(min(idx), max(idx)) if h.positions[k] is None):
        # columns the header leaves unnamed between its named ones (预算数 and 实际支出 each over
        # 合计 | 财政拨款 | 其他资金): the figures are read under their names, the 合计 first
        return [row.cells[i] for i in idx]
    first = min(idx)
    if first < at + 2 or any(h.positions[k] is not None for k in range(at, first)):
        return None  # no spanned label cells: the cells in order are the same reading
    if any(squash(row.cells[k].text) for k in range(at + 1, first)):
        return None  # the row does not line up with the header
    return [row.cells[i] for i in idx]


def _unfilled(h: Header, values: list[Cell]) -> bool:
    """Whether the money figures of a total row are all 0 (a template's row left unfilled)."""
    money = [number(c.text) for role, c in zip(h.roles, values) if role in _MONEY_ROLES and squash(c.text)]
    return bool(money) and all(v is not None and v == 0 for v in money)


@lru_cache(maxsize=1)
def _part_labels() -> tuple[str, ...]:
    return tuple(label_key(x) for x in lexicon.load("columns")["money_rows"]["component"])


def _single_part(rows: list[Row], label: Cell, values: list[Cell]) -> tuple[Cell, list[Cell]] | None:
    """The one filled part row after an unfilled total row: (its label, its figures)."""
    stream: list[Cell] = []
    started = False
    for row in rows:
        if not started:
            if label not in row.cells:
                continue
            started = True
            cells = row.cells[row.cells.index(label) + 1 + len(values):]
        else:
            cells = row.cells if row.delimited or " " not in row.cells[0].text.strip() else space_cells(row.cells[0])
        stream += [c for c in cells if squash(c.text)]
        if len(stream) > 24:
            break
    parts: list[tuple[Cell, list[Cell]]] = []
    for c in stream:
        t = squash(c.text)
        if number(t) is None and percent(t) is None and t not in ("—", "-", "——", "/"):
            if not label_key(t).startswith(_part_labels()) and not any(p in label_key(t) for p in _part_labels()[1:]):
                break  # past the parts
            parts.append((c, []))
        elif parts:
            parts[-1][1].append(c)
        else:
            return None
    filled = [(c, figs) for c, figs in parts if any((number(f.text) or 0) != 0 for f in figs)]
    return filled[0] if len(filled) == 1 else None


def _row_under_header(rows: list[Row], h: Header) -> tuple[Cell, list[Cell]] | None:
    """A grid of one row whose label is the header's first cell ("部门预算执行情况(万元) | 年初预算数
    | …" over "| | 236.50 | 248.90 | …"): the row right under the header, when every cell of it
    is a figure (its label column left empty)."""
    if h.first != h.last:
        return _column_under_header(rows, h)
    if h.last + 1 >= len(rows):
        return None
    head = rows[h.last]
    cells = head.cells if head.delimited else space_cells(head.cells[0])
    if not cells or role_of(cells[0].text, "money") is not None:
        return _row_under_roles(rows, h, cells)  # no label cell: a row of figures only
    row = rows[h.last + 1]
    vals = row.cells if row.delimited else space_cells(row.cells[0])
    if row.delimited and vals and not vals[0].text:
        vals = vals[1:]  # the label column, left empty
    vals = [c for c in vals]
    if not vals or any(c.text and number(c.text) is None and percent(c.text) is None and c.text not in ("—", "-", "——", "/")
                       for c in vals):
        return None
    return cells[0], vals


def _column_under_header(rows: list[Row], h: Header) -> tuple[Cell, list[Cell]] | None:
    """The same grid written one value per line ("项目资金(万元)" / "年初预算数" / … / "执行率得分(分)"
    / " " / "48.00" / … / "9.7"): the cell above the header is the grid's label, the header's
    cells are followed by an empty cell (the label column's) or not, then by exactly one figure
    per column, then by a cell that is not a figure."""
    if h.first == 0 or any(r.delimited or len(r.cells) != 1 for r in rows[h.first:h.last + 1]):
        return None
    above = rows[h.first - 1]
    if above.delimited or len(above.cells) != 1:
        return None
    label = above.cells[0]
    if not label.text or role_of(label.text, "money") is not None or number(label.text) is not None:
        return None
    k = h.last + 1
    if k < len(rows) and not rows[k].delimited and len(rows[k].cells) == 1 and not rows[k].cells[0].text:
        k += 1
    vals: list[Cell] = []
    while k < len(rows) and len(vals) < len(h.roles):
        r = rows[k]
        if r.delimited or len(r.cells) != 1:
            return None
        t = r.cells[0].text
        if not t or (number(t) is None and percent(t) is None and t not in ("—", "-", "——", "/")):
            break
        vals.append(r.cells[0])
        k += 1
    if len(vals) != len(h.roles):
        return None
    if k < len(rows) and len(rows[k].cells) == 1 and number(rows[k].cells[0].text) is not None:
        return None  # more figures than columns: not this grid
    return label, vals


def _row_under_roles(rows: list[Row], h: Header, cells: list[Cell]) -> tuple[Cell, list[Cell]] | None:
    """A grid of one row with no label column ("| 年初预算数(万元) | 全年预算数(万元) | 全年执行数(万元)
    | 执行率 |" over "| 50 | 52 | 49.4 | 95% |"): every header cell names a column, and the row
    under it is delimited, as long, and all figures; the header states the money unit (without a
    label cell, nothing says the grid is one of the national forms, whose unit goes unsaid)."""
    if not cells or any(role_of(c.text, "money") is None for c in cells):
        return None
    unit = squash(h.unit_text)
    if not (_UNIT_WAN.search(unit) or _UNIT_YUAN.search(unit)):
        return None
    row = rows[h.last + 1]
    if not (row.delimited and rows[h.last].delimited) or len(row.cells) != len(cells):
        return None
    if any(number(c.text) is None and percent(c.text) is None for c in row.cells):
        return None
    return cells[0], list(row.cells)


def _fits(role: str, text: str, pct_header: bool) -> bool:
    t = squash(text)
    if t in ("", "—", "-", "——", "/", "无"):
        return True
    if role in _MONEY_ROLES or role in ("weight", "score"):
        return number(t) is not None and not t.endswith("%")
    if role == "rate":
        return t.endswith("%") or percent(t, pct_header) is not None or plain_number(t) is not None
    return True


def _around_rate(roles: list[str], vals: list[Cell]) -> list[tuple[str, Cell]]:
    """Fewer figures than columns, with one percentage among them and one rate column: the
    rate is placed, and each side of it is placed only where it has as many figures as
    columns. ("1127.6 | 100% | 20" under 预算数 | 执行数 | 执行率 | 得分 gives the rate and the
    score; which of the two money columns 1127.6 fills is not said.)"""
    pcts = [i for i, c in enumerate(vals) if squash(c.text).endswith("%")]
    if len(pcts) != 1 or roles.count("rate") != 1:
        return []
    vi, ri = pcts[0], roles.index("rate")
    pairs = [("rate", vals[vi])]
    before_v, before_r = vals[:vi], roles[:ri]
    after_v, after_r = vals[vi + 1:], roles[ri + 1:]
    if len(before_v) == len(before_r):
        pairs += list(zip(before_r, before_v))
    if len(after_v) == len(after_r):
        pairs += list(zip(after_r, after_v))
    return [(r, c) for r, c in pairs if _fits(r, c.text, False)]


def _assign(h: Header, values: list[Cell], scale: Decimal | None, label: Cell) -> list[Candidate]:
    roles = h.roles
    vals = list(values)
    while vals and squash(vals[-1].text) == "":
        vals.pop()
    if len(vals) > len(roles):
        vals = vals[:len(roles)] if all(squash(v.text) == "" or number(v.text) is None for v in vals[len(roles):]) else []
    if not vals or len(vals) > len(roles):
        return []
    pct_header = "%" in h.unit_text
    pairs = list(zip(roles, vals))
    if not all(_fits(role, cell.text, pct_header) for role, cell in pairs):
        pairs = _around_rate(roles, vals)
        if not pairs:
            return []
    out: list[Candidate] = []
    for role, cell in pairs:
        target = TARGETS.get(role)
        t = squash(cell.text)
        if target is None or t in ("", "—", "-", "——", "/", "无"):
            continue
        if role == "rate":
            v = percent(t, pct_header)
            if v is None and plain_number(t) is not None and plain_number(t) > Decimal("1.5"):
                v = plain_number(t)
            if v is None:
                continue
            out.append(Candidate(target, v, cell.text, cell.line, "grid", 1))
        else:
            if scale is None:
                continue
            amount = number(t)
            if amount is None:
                continue
            if t.endswith("万元") or t.endswith("万"):
                yuan = amount * 10_000
            elif t.endswith("元"):
                yuan = amount
            else:
                yuan = amount * scale
            out.append(Candidate(target, yuan.normalize() if yuan == yuan.to_integral_value() else yuan, cell.text, cell.line, "grid", 1,
                                 note=f"{label.text} / {role}"))
    return out
