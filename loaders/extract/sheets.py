"""Basic-data sheets (基础数据表): base figures in tables read by their header row.

Two shapes, both seen in many provinces' department-wide evaluations (vocabulary in
lexicon/sheets.toml):

- a staffing header over its figures: "财政供养人员情况 | 编制数 | 2021年实际在职人数 | 控制率"
  then "| 12 | 11 | 91.67%": each figure under its label, the rows right-aligned (a caption
  cell on the left of the header has no figure under it);
- columns by year and kind: "经费控制情况 | 2020年决算数 | 2021年预算数 | 2021年决算数", then rows
  labelled "“三公”经费", "政府采购金额", "项目支出" …: a row's figure under a year's 预算数 column is
  that year's budget of the row's field, under its 决算数 column the year's spending. Each
  candidate carries its column's year, so another year's figure (last year's 决算数) is never
  taken for the report's (the resolver keeps the report's year only).

Money needs the document's stated unit ("单位：万元"); without one no amount is read and the
sheet says so (a `quality_flag` candidate: unit_missing).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from loaders import lexicon
from loaders.extract.base import Candidate, Context, money_yuan
from loaders.extract.labels import _doc_unit
from loaders.extract.rows import Cell
from loaders.extract.tables import number, percent, squash
from loaders.normalize import clean

_YEAR_LEAD = re.compile(r"^(?:19|20)\d{2}年(?:度)?(?:末)?")
_YEAR_COLUMN = re.compile(r"^(?P<y>(?:19|20)\d{2})年(?:度)?(?P<k>.+)$")
_ITEM = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[、.．)]|^[(（]\d+[)）]|^其中[:：]")
_QUOTES = str.maketrans("", "", "\"“”'‘’")
_NA = {"", "—", "-", "——", "/", "无"}


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """A row or column label in matching form: no spaces, quotes, item number or colon."""
    s = squash(text).translate(_QUOTES)
    s = _ITEM.sub("", s)
    return s.rstrip(":：")


@lru_cache(maxsize=1)
def _lex():
    spec = lexicon.load("sheets")
    fields = lexicon.load("fields")
    heads = {}
    for name in ("headcount_authorised", "headcount_actual"):
        for label in fields[name]["labels"]:
            heads[_key(label)] = fields[name]["target"]
    control = frozenset(_key(x) for x in spec["staffing"]["control"])
    yc = spec["year_columns"]
    kinds = {**{_key(x): "budget" for x in yc["budget"]}, **{_key(x): "actual" for x in yc["actual"]}}
    rows = {}
    for entry in yc["rows"]:
        for label in entry["labels"]:
            rows[_key(label)] = {"budget": entry["budget"] or None, "actual": entry["actual"] or None}
    return heads, control, kinds, rows


def table_rows(ctx: Context) -> list[list[Cell]]:
    """The document's table rows as lists of cells: a TAB or pipe row as it is; in a table of
    one cell per line, with a blank line between rows, the cells of consecutive lines joined.
    (Built once per document: the sheet and rubric readers both use them.)"""
    cached = ctx.__dict__.get("table_rows")
    if cached is not None:
        return cached
    out: list[list[Cell]] = []
    run: list[Cell] = []
    for row in ctx.rows:
        if len(row.cells) == 1:
            if run and row.line != run[-1].line + 1:
                out.append(run)
                run = []
            run.append(row.cells[0])
            continue
        if run:
            out.append(run)
            run = []
        out.append(list(row.cells) if row.delimited else [])
    if run:
        out.append(run)
    ctx.__dict__["table_rows"] = out
    return out


_YEAR_KIND = re.compile(r"(?:19|20)\d{2}年度?(?:预算|决算|执行|实际)")


def read(ctx: Context) -> list[Candidate]:
    heads, _, kinds, _ = _lex()
    text = ctx.text
    if not (_YEAR_KIND.search(text) or sum(1 for h in heads if h in text) >= 2):
        return []  # neither year columns nor two staffing labels anywhere: no sheet
    out: list[Candidate] = []
    rows = table_rows(ctx)
    unit: list[str | None] = []  # the document's money unit, looked up once when first needed
    for k, row in enumerate(rows):
        if len(row) < 3:
            continue
        keys = [_key(c.text) for c in row]
        if sum(1 for x in keys if _YEAR_LEAD.sub("", x) in heads) >= 2:
            out += _staffing(rows, k)
            continue
        years = _year_columns(keys, kinds)
        if len(years) >= 2:
            if not unit:
                unit.append(_doc_unit(ctx))
            out += _year_table(rows, k, years, unit[0])
    return out


def _staffing(rows: list[list[Cell]], k: int) -> list[Candidate]:
    heads, control, _, _ = _lex()
    header = rows[k]
    if k + 1 >= len(rows) or not rows[k + 1]:
        return []
    values = rows[k + 1]
    offset = len(values) - len(header)
    out: list[Candidate] = []
    for j, c in enumerate(header):
        key = _YEAR_LEAD.sub("", _key(c.text))
        at = j + offset
        if not 0 <= at < len(values):
            continue
        cell = values[at]
        t = squash(cell.text)
        if key in heads:
            if re.fullmatch(r"\d+", t):
                out.append(Candidate(heads[key], Decimal(t), cell.text, cell.line, "sheet", 1, note=c.text))
        elif key in control:
            v = percent(t)
            if v is not None:
                out.append(Candidate("staffing_control_pct", v, cell.text, cell.line, "sheet", 1, note=c.text))
    return out


def _year_columns(keys: list[str], kinds: dict[str, str]) -> dict[int, tuple[int, str]]:
    """column → (year, "budget" | "actual") for the header cells that name a year and a kind."""
    out = {}
    for j, key in enumerate(keys):
        m = _YEAR_COLUMN.match(key)
        if m and m.group("k") in kinds:
            out[j] = (int(m.group("y")), kinds[m.group("k")])
    return out


def _year_table(rows: list[list[Cell]], k: int, years: dict[int, tuple[int, str]], unit: str | None) -> list[Candidate]:
    _, _, kinds, labels = _lex()
    header = rows[k]
    out: list[Candidate] = []
    for row in rows[k + 1:k + 60]:
        if not row:
            break
        keys = [_key(c.text) for c in row]
        if len(_year_columns(keys, kinds)) >= 2:
            break  # the next table's header
        targets = labels.get(keys[0])
        if targets is None:
            continue
        offset = len(row) - len(header)
        for j, (year, kind) in years.items():
            metric = targets[kind]
            at = j + offset
            if metric is None or not 0 < at < len(row):
                continue
            cell = row[at]
            t = squash(cell.text)
            n = number(t)
            if t in _NA or n is None or t.endswith("%"):
                continue
            if unit is None:
                out.append(Candidate("quality_flag", "unit_missing", cell.text, cell.line, "sheet", 1,
                                     note="基础数据表没有写金额单位（万元或元），金额未读取"))
                return out
            out.append(Candidate(metric, clean(money_yuan(n, unit)), cell.text, cell.line, "sheet", 1, year=year,
                                 note=f"{row[0].text} / {header[j].text}"))
    return out
