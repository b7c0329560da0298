"""Header tables: find a header by its column roles (lexicon/columns.toml), whatever the column
order, and give the rows under it as cells. Shared by the money-grid and indicator readers.

A header may be one complete row (tab/pipe), several rows (a header cell wrapped onto the
next line: "年度 | 实际" over "指标值 | 完成值"), one cell per line, or one space-separated line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from loaders import fastre
from loaders import lexicon
from loaders.extract.rows import Cell, Row, Rows, space_cells

_TRAILING_PAREN = fastre.compile(r"(?:\([^()]{0,14}\))+$")
_PAREN_ANY = fastre.compile(r"\([^()]{0,14}\)")


def squash(s: str) -> str:
    return "".join(s.split())


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """A header or row label in matching form: no spaces, no trailing colon, no trailing
    parenthesis ("(A)", "(万元)", "(20分)")."""
    s = squash(text).rstrip(":：")
    s2 = _TRAILING_PAREN.sub("", s).rstrip(":：")
    return s2 or s


@lru_cache(maxsize=None)
def roles(kind: str) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(label → role, sorted (label, role) pairs for prefix matching) of one table kind."""
    table = lexicon.load("columns")[kind]
    exact: dict[str, str] = {}
    for role, spec in table.items():  # labels as written win over the short forms of others
        for label in spec["labels"]:
            exact.setdefault(squash(label), role)
    for role, spec in table.items():
        for label in spec["labels"]:
            exact.setdefault(label_key(label), role)
    return exact, tuple(sorted(exact.items()))


MAX_LABEL = 24  # no header label is longer (after removing spaces): a longer cell names no role


@lru_cache(maxsize=None)
def _first_chars(kind: str) -> frozenset[str]:
    """The first two characters of every label of a kind: a cell starting otherwise names no
    role (checked before the lookup, on every row of every document)."""
    exact, _ = roles(kind)
    return frozenset(label[:2] for label in exact)


@lru_cache(maxsize=65536)
def role_of(text: str, kind: str) -> str | None:
    """The column role a header cell names, or None. (Cached: the same cell texts recur in
    every document of a template.)"""
    if not text or len(text) > 3 * MAX_LABEL:
        return None
    exact, pairs = roles(kind)
    s = squash(text)
    if s in exact:
        return exact[s]
    key = label_key(text)
    if key in exact:
        return exact[key]
    if 2 <= len(key) <= 4 and key not in _not_prefixes(kind):  # the first half of a header cell wrapped over two lines
        found = _prefixes(kind).get(key, ())
        if len(found) == 1:
            return next(iter(found))
    if kind == "money":
        m = _DATED.match(key)
        if m and role_of(m.group(1), kind) not in (None, "ignore"):
            # a column of a named year (2022年执行数 beside 全年执行数): another year's figures,
            # kept in its place but not read
            return "ignore"
    return None


_DATED = re.compile(r"^(?:19|20)\d{2}年度?(.{2,})$")


@lru_cache(maxsize=None)
def _not_prefixes(kind: str) -> frozenset[str]:
    """Cells that are not the first half of a column's name: the indicator block's own label
    (绩效, of a rotated 绩效指标; indicators.toml [block])."""
    if kind != "indicator":
        return frozenset()
    return frozenset(squash(x) for x in lexicon.load("indicators")["block"]["labels"])


@lru_cache(maxsize=None)
def _prefixes(kind: str) -> dict[str, frozenset[str]]:
    """First halves (2–4 characters) of the labels of a kind → the roles they may begin, for a
    label at most about twice as long as the half."""
    out: dict[str, set[str]] = {}
    for label, role in roles(kind)[1]:
        for k in range(2, 5):
            if k < len(label) <= 2 * k + 1:
                out.setdefault(label[:k], set()).add(role)
    return {p: frozenset(r) for p, r in out.items()}


@dataclass
class Header:
    roles: list[str]  # column roles in order (ignored columns included as "ignore")
    first: int  # index of the first header row in the row list
    last: int  # index of the last header row
    line: int
    unit_text: str  # the header's text and the rows just above it, for 万元/元 markers
    # the role of each cell of the header row, by position, when the header is one complete
    # row (a TAB or pipe row): rows of the same table with as many cells align by position
    positions: list[str | None] | None = None


def explode_flat(rows: list[Row], kind: str, min_run: int = 2, min_tokens: int = 8) -> Rows:
    """Rows with each long flattened line (a PDF or .doc page run into one line, cells split
    by spaces) cut where a run of header words of `kind` stands: the text before the run, the
    run (a header row) and the tokens after it (a row of cells), all on the same line."""
    cache = getattr(rows, "cache", None)
    if cache is not None and ("explode", kind) in cache:
        return cache[("explode", kind)]
    out = Rows()
    for row in rows:
        if row.delimited or len(row.cells) != 1 or row.cells[0].text.count(" ") < min_tokens - 1:
            out.append(row)
            continue
        tokens = space_cells(row.cells[0])
        found = [role_of(t.text, kind) for t in tokens]
        pieces: list[Row] = []
        i = start = 0
        while i < len(tokens):
            if found[i]:
                j = i
                while j < len(tokens) and found[j]:
                    j += 1
                if j - i >= min_run:
                    if start < i:
                        pieces.append(Row(tokens[start:i], row.line, complete=False, delimited=True))
                    pieces.append(Row(tokens[i:j], row.line, complete=True, delimited=True))
                    start = j
                i = j
            else:
                i += 1
        if not pieces:
            out.append(row)
            continue
        if start < len(tokens):
            pieces.append(Row(tokens[start:], row.line, complete=False, delimited=True))
        out += pieces
    if cache is not None:
        cache[("explode", kind)] = out
    return out


def row_cells(row: Row, min_tokens: int = 0) -> list[Cell]:
    """The cells of a row; a bare line is split on spaces when that gives at least
    `min_tokens` cells (one table row per line, cells separated by spaces)."""
    if row.delimited or not min_tokens:
        return row.cells
    parts = space_cells(row.cells[0])
    return parts if len(parts) >= min_tokens else row.cells


def find_headers(rows: list[Row], kind: str, must: set[str], any_of: set[str], max_span: int = 14) -> list[Header]:
    """Every header of a table kind: a run of rows whose cells name roles of that kind,
    holding every role in `must` and at least one of `any_of`."""
    cache = getattr(rows, "cache", None)
    key = ("headers", kind, frozenset(must), frozenset(any_of), max_span)
    if cache is not None and key in cache:
        return cache[key]
    roles_of = cache.get(("roles", kind)) if cache is not None else None
    if roles_of is None:
        first2 = _first_chars(kind)
        roles_of = []
        for r in rows:
            cells = r.cells
            if len(cells) == 1 and not r.delimited and " " not in cells[0].text:
                t = cells[0].text  # one cell (one value per line): most rows of most documents
                role = role_of(t, kind) if t[:2] in first2 else None
                roles_of.append([role] if role else [])
            else:
                roles_of.append(_row_roles(r, kind))
        if cache is not None:
            cache[("roles", kind)] = roles_of
    starts = cache.get(("starts", kind)) if cache is not None else None
    if starts is None:
        starts = [k for k, r in enumerate(roles_of) if r]  # rows naming a role (few in a document)
        if cache is not None:
            cache[("starts", kind)] = starts
    out: list[Header] = []
    n = len(rows)
    resume = 0
    for i in starts:
        if i < resume:
            continue
        collected: list[str] = []
        j = i
        last = i
        empties = 0
        while j < n and j - i < max_span:
            rr = roles_of[j]
            if rr:
                for role in rr:
                    if role == "ignore" or role not in collected:
                        collected.append(role)
                last = j
                empties = 0
            elif not rows[j].texts[0] and len(rows[j].cells) == 1 and empties < 2:
                empties += 1  # an empty cell between header cells (one value per line)
            elif _header_filler(rows[j]) and empties < 2:
                empties += 1
            else:
                break
            j += 1
        if must <= set(collected) and (not any_of or any_of & set(collected)):
            above = " ".join(" ".join(rows[k].texts) for k in range(max(0, i - 3), last + 1))
            positions = None
            if last == i and rows[i].delimited:
                positions = [role_of(c.text, kind) for c in rows[i].cells]
            elif all(rows[k].delimited for k in range(i, last + 1)):
                positions = _stacked_positions(rows[i:last + 1], kind)
                if positions is not None:
                    # the roles in the columns' order (row by row they came in another: "年初 |
                    # 全年 | 全年 | 分值 | 执行率 | 得分" over "预算数 | 预算数 | 执行数")
                    ordered = [r for r in positions if r]
                    if set(ordered) >= set(collected) - {"ignore"}:
                        collected = [r for k, r in enumerate(ordered) if r == "ignore" or r not in ordered[:k]]
            out.append(Header(collected, i, last, rows[i].line, above, positions))
            resume = last + 1
    if cache is not None:
        cache[key] = out
    return out


def _stacked_positions(rows: list[Row], kind: str) -> list[str | None] | None:
    """A header written over several rows of one width, each column's name cut into its rows
    ("年度" / "指标值"): the role of each column, its pieces joined, when the joined names give
    as many roles as the row naming most."""
    width = max(len(r.cells) for r in rows)
    # a row may be shorter than the widest by its trailing empty cells only (a TAB row loses
    # them: "(万元)\t\t预算数\t预算数\t执行数" under an eight-cell row); its cells still stand
    # in their columns from the left
    if width < 4 or any(len(r.cells) < width - 2 and not r.delimited for r in rows):
        return None
    short = any(len(r.cells) < width - 2 for r in rows)
    out = []
    for c in range(width):
        pieces = [r.cells[c].text.strip() for r in rows if c < len(r.cells) and r.cells[c].text.strip()]
        # the whole name, else the first piece that names a role ("偏差原因" of 偏差原因 / 分析及改进 / 措施)
        joined = "".join(pieces)
        if squash(joined) in _not_prefixes(kind):
            out.append(None)  # the block's own label (绩效 / 指标)
            continue
        if short and c > 0 and len(pieces) >= 2 and role_of(joined, kind) is None:
            # under a short row, every column cut in pieces must join into a name: else the
            # short row's cells do not stand in the columns ("分解目标 | 自评" over "权重 | 二级指标
            # | …", a wrapped cell)
            return None
        out.append(role_of(joined, kind) or next((x for x in (role_of(p, kind) for p in pieces) if x), None))
    best_row = max(sum(1 for c in r.cells if role_of(c.text, kind)) for r in rows)
    return out if sum(1 for r in out if r) >= best_row else None


def _header_filler(row: Row) -> bool:
    """A short cell inside a header that names no role ("绩效指标", "(万元)", "项目资金")."""
    return len(row.cells) == 1 and not row.delimited and len(row.texts[0]) <= 8 and not number(row.texts[0])


def _row_roles(row: Row, kind: str) -> list[str]:
    cells = row.cells
    if len(cells) == 1 and not row.delimited:
        t = cells[0].text
        if " " not in t:  # one cell (one value per line): most rows of most documents
            r = role_of(t, kind)
            return [r] if r else []
        return list(_texts_roles(tuple(c.text for c in space_cells(cells[0])), True, kind))
    return list(_texts_roles(tuple(c.text for c in cells), True, kind))


@lru_cache(maxsize=65536)
def _texts_roles(texts: tuple[str, ...], table_row: bool, kind: str) -> tuple[str, ...]:
    """The roles a row of cells names, when it is a header row: most of its non-empty cells
    name roles. (Cached by the cells' texts: the rows of a template recur in every report.)"""
    named = [r for r in (role_of(t, kind) for t in texts) if r]
    nonempty = sum(1 for t in texts if t)
    if len(named) >= 2 and len(named) * 2 >= nonempty:
        return tuple(named)
    if len(named) == 1 and nonempty <= 2:
        return tuple(named)
    return ()


# ---------------------------------------------------------------------------------------------
# Cell values

_NUM = fastre.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")
_NUM_UNIT = fastre.compile(r"^([-+]?\d[\d,]*(?:\.\d+)?)\s*(分|万元|元|%|人|万)?$")


def number(text: str) -> Decimal | None:
    """A plain number cell ("12", "1,200.50", "10分", "4.0"), else None."""
    s = squash(text)
    m = _NUM_UNIT.match(s)
    if not m:
        return None
    try:
        return Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        return None


def plain_number(text: str) -> Decimal | None:
    s = squash(text)
    if not _NUM.match(s):
        return None
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation:
        return None


def percent(text: str, header_has_pct: bool = False) -> Decimal | None:
    """A rate cell in percentage points: "103.11%" → 103.11; a fraction "0.96" → 96 (a rate
    printed as a fraction); a bare "100.00" under a "(%)" header → 100."""
    s = squash(text)
    if s.endswith("%"):
        try:
            return Decimal(s[:-1].replace(",", ""))
        except InvalidOperation:
            return None
    v = plain_number(s)
    if v is None:
        return None
    if header_has_pct:
        return v
    if v <= Decimal("1.5") and "." in s:
        if -v.as_tuple().exponent > 8:
            # a spreadsheet's binary float written out ("0.949999988079071"): the rate it stands
            # for, to six decimals of the fraction
            v = v.quantize(Decimal("0.000001"))
        return (v * 100).normalize()
    if v == 1 or v == 0:
        return None  # "1" or "0" could be a fraction or a percentage: not said
    return None
