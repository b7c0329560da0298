"""Label–value pairs in table cells: a cell that is exactly a field label (lexicon/fields.toml)
and the figure beside it: the next cell of the same row, the next cell of a one-value-per-line
table, or the token after it in a space-separated row ("预算数 6.12 到位数 6.12").

Only a lone figure counts: a label followed by two figures in its row (总分 | 100 | 96: the
maximum and the score) says nothing certain about which is meant, and is left to the tables.
Money needs a stated unit (in the label, the figure, or the document's 单位/金额单位 line).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from loaders import fastre
from loaders import lexicon
from loaders.extract.base import Candidate, Context
from loaders.extract.rows import Cell, space_cells
from loaders.extract.tables import label_key, number, percent, plain_number, squash
from loaders.normalize import grade_of
from loaders.regions import opens_with_place


@lru_cache(maxsize=1)
def _labels() -> dict[str, tuple[str, str]]:
    """label (matching form) → (target field, unit kind)"""
    specs = [v for v in lexicon.load("fields").values() if "labels" in v]
    out: dict[str, tuple[str, str]] = {}
    # labels as written first; then their short forms without a trailing parenthesis, where no
    # label as written already means something else ("预算数(年初)" must not take "预算数")
    for spec in specs:
        for label in spec["labels"]:
            out.setdefault("".join(label.split()), (spec["target"], spec["unit"]))
    for spec in specs:
        for label in spec["labels"]:
            out.setdefault(label_key(label), (spec["target"], spec["unit"]))
    return out


_HAS_DIGIT = fastre.compile(r"\d")
_DOC_UNIT = fastre.compile(r"(?:金额单位|单位)[:：]?\s*(万元|元|亿元)")
_LABEL_UNIT = fastre.compile(r"\((万元|元|亿元|人|%|分)\)")
_NA = {"", "—", "-", "——", "/", "无"}


def _doc_unit(ctx: Context) -> str | None:
    # a 元 that opens a place's name (实施单位 元阳县…) is not the money unit
    units = {m.group(1) for m in _DOC_UNIT.finditer(ctx.text)
             if not (m.group(1) == "元" and opens_with_place(ctx.text[m.start(1):m.start(1) + 15]))}
    return units.pop() if len(units) == 1 else None


@lru_cache(maxsize=1)
def _glued() -> re.Pattern:
    """A cell holding its label and its figure together ("预算完成率96%", "总分:92.5分")."""
    names = sorted(_labels(), key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    return fastre.compile(rf"^(?P<label>{alt})(?:为|:|：)?(?P<value>\d[\d,]*(?:\.\d+)?(?:%|万元|元|亿元|人|名|分)?)$")


def read(ctx: Context) -> list[Candidate]:
    labels = _labels()
    glued = _glued()
    # a table with a 行次 (row number) column: the integer after a row label is its row number
    row_numbers = "行次" in ctx.text
    doc_unit: list[str | None] = []
    out: list[Candidate] = []
    held: list[tuple[Cell, Cell, Cell]] = []  # spending label, its figure and a second figure after it
    rows = ctx.rows
    for k, row in enumerate(rows):
        cells = row.cells
        if not row.delimited and len(cells) == 1 and " " in cells[0].text.strip():
            cells = space_cells(cells[0])
        for idx, cell in enumerate(cells):
            key = label_key(cell.text)
            spec = labels.get(key)
            if spec is None:
                m = glued.match(squash(cell.text)) if len(cell.text) <= 30 and _HAS_DIGIT.search(cell.text) else None
                if m:
                    target, kind = labels[m.group("label")]
                    if not doc_unit:
                        doc_unit.append(_doc_unit(ctx))
                    c = _candidate(target, kind, Cell(m.group("label"), cell.line), Cell(m.group("value"), cell.line), doc_unit[0])
                    if c is not None:
                        out.append(c)
                continue
            after = cells[idx + 1:]
            if after and spec[0] == "total_score" and row.delimited:
                figures = [c for c in after if squash(c.text)]
                if len(figures) >= 2 and _figure(figures[1].text):
                    # "总分 | 100 | | | 96.50" (or side by side): the full marks, then the score,
                    # as the glued reader takes "总分10098.6"; any other pair says nothing certain
                    if len(figures) == 2 and number(figures[0].text) == 100 and number(figures[1].text) is not None \
                            and number(figures[1].text) <= 100:
                        after = [figures[1]]
                    else:
                        continue
            if after:
                value = after[0]
                # a second figure right after it: maximum and score, budget and spending …
                if len(after) > 1 and _figure(after[1].text) and not labels.get(label_key(after[1].text)):
                    sideways = _under_total_column(rows, k, idx + 1) if row.delimited else None
                    if sideways is not None:
                        # a table turned sideways: the figure under its 合计 column is the total,
                        # in the unit its heading row states ("资金情况(万元)")
                        m = _LABEL_UNIT.search("".join(squash(c.text) for c in sideways.cells))
                        if m and not _LABEL_UNIT.search(squash(cell.text)):
                            cell = Cell(cell.text + f"({m.group(1)})", cell.line)
                    else:
                        if spec[0] == "expenditure_yuan":
                            held.append((cell, value, after[1]))  # spending and its rate, perhaps
                        continue
            elif not row.delimited and k + 1 < len(rows) and not rows[k + 1].delimited and len(rows[k + 1].cells) == 1:
                value = rows[k + 1].cells[0]
                # one value per line: the value must stand alone (the line after it is a
                # label or text, not another figure)
                if k + 2 < len(rows) and not rows[k + 2].delimited and _figure(rows[k + 2].cells[0].text):
                    if spec[0] == "expenditure_yuan":
                        held.append((cell, value, rows[k + 2].cells[0]))
                    continue
            else:
                continue
            target, kind = spec
            if row_numbers and re.fullmatch(r"\d{1,3}", squash(value.text)):
                continue
            if not doc_unit:
                doc_unit.append(_doc_unit(ctx))
            c = _candidate(target, kind, cell, value, doc_unit[0])
            if c is not None:
                out.append(c)
    if held:
        if not doc_unit:
            doc_unit.append(_doc_unit(ctx))
        out += _spending_with_rate(held, out, doc_unit[0])
    return _full_marks_dropped(out)


@lru_cache(maxsize=1)
def _total_column() -> frozenset[str]:
    """The names of a total (lexicon/columns.toml [money_rows] total: 合计, 总计 …)."""
    return frozenset(label_key(x) for x in lexicon.load("columns")["money_rows"]["total"])


def _under_total_column(rows, k: int, col: int):
    """The heading row when column `col` of row k stands under a 合计 heading of a row of the same
    table a few rows above, with the parts' headings after it ("资金情况 | 合计 | 基本支出 | 项目支出" over
    "年初预算数 | 186.40 | 142.60 | 43.80": fields as rows, the total and its parts as columns)."""
    for j in range(k - 1, max(-1, k - 7), -1):
        above = rows[j]
        if not above.delimited:
            return None
        cells = above.cells
        if col < len(cells) and label_key(cells[col].text) in _total_column():
            rest = [squash(c.text) for c in cells[col + 1:] if squash(c.text)]
            return above if rest and all(number(t) is None for t in rest) else None
    return None


def _spending_with_rate(held: list[tuple[Cell, Cell, Cell]], out: list[Candidate], doc_unit: str | None) -> list[Candidate]:
    """"执行数 / 43.65 / 97.00" one value per line: a spending label followed by two figures says
    nothing certain, unless the second is the first over a budget read beside it, to its printed
    decimals (43.65 ÷ 45.00 = 97.00%): then they are the spending and its rate."""
    budgets = [c.value for c in out if c.field in ("budget_adjusted_yuan", "budget_initial_yuan") and c.value]
    got: list[Candidate] = []
    for label, value, second in held:
        spent = _candidate("expenditure_yuan", "money", label, value, doc_unit)
        rate = plain_number(squash(second.text).rstrip("%"))
        if spent is None or rate is None:
            continue
        places = max(0, -rate.as_tuple().exponent)
        if any(round(spent.value * 100 / b, places) == rate for b in budgets):
            got.append(spent)
            got.append(Candidate("budget_exec_pct", rate, second.text, second.line, "label", 1,
                                 note="执行数后的比率等于执行数÷预算数"))
    return got


def _full_marks_dropped(cands: list[Candidate]) -> list[Candidate]:
    """A total of exactly 100 followed within three lines by another labelled total ("总分:100" /
    "自评得分:96.65"): the 100 is the full marks, not the score."""
    totals = [c for c in cands if c.field == "total_score"]
    full = {id(c) for c in totals if c.value == 100
            and any(o is not c and o.value != 100 and 0 < o.line - c.line <= 3 for o in totals)}
    return [c for c in cands if id(c) not in full]


def _figure(text: str) -> bool:
    t = squash(text)
    return bool(t) and (number(t) is not None or t.endswith("%"))


def _candidate(target: str, kind: str, label: Cell, value: Cell, doc_unit: str | None) -> Candidate | None:
    t = squash(value.text)
    if t in _NA:
        return None
    if kind == "count":
        m = re.fullmatch(r"(\d+)(?:人|名)?", t)
        return Candidate(target, Decimal(m.group(1)), value.text, value.line, "label", 1) if m else None
    if kind == "score":
        v = number(t)
        if v is None or t.endswith("%") or v > 100:
            return None
        return Candidate(target, v, value.text, value.line, "label", 1)
    if kind == "pct":
        v = percent(t, "%" in label.text)
        if v is None:
            return None
        return Candidate(target, v, value.text, value.line, "label", 1)
    if kind == "grade":
        if len(t) > 4 or grade_of(t) is None:
            return None
        return Candidate("grade_raw", t, value.text, value.line, "label", 1)
    if kind == "money":
        amount = number(t)
        if amount is None or t.endswith("%"):
            return None
        m = _LABEL_UNIT.search(squash(label.text))
        unit = "万元" if t.endswith(("万元", "万")) else "元" if t.endswith("元") else (m.group(1) if m else doc_unit)
        if unit not in ("万元", "元", "亿元"):
            return None
        scale = {"万元": 10_000, "元": 1, "亿元": 100_000_000}[unit]
        return Candidate(target, amount * scale, value.text, value.line, "label", 1)
    return None
