"""Several evaluations in one text: a file that holds one form per project (项目支出绩效自评表
repeated for each project), or two documents one after the other.

A form starts at its 项目名称 cell when a money grid (年初预算数 / 全年预算数 / 执行数 …) or an
indicator table follows it before the next form starts. With two or more such starts, each form
is read on its own: the strategies see the form's lines only (the other lines blanked, so line
numbers stay those of the whole text).
"""

from __future__ import annotations

import re
from dataclasses import replace

from loaders.extract.base import Context
from loaders.extract.rows import Rows
from loaders.extract.tables import explode_flat, find_headers, label_key

_FORM_KEYS = ("项目名称",)
_GRID_ROLES = ("rate", "expenditure", "budget_adjusted", "budget_initial")


def form_starts(ctx: Context) -> list[int]:
    """0-based line indexes where a form starts (only when at least two forms are found)."""
    rows = ctx.rows
    # money grids as the grid reader takes them: two money or rate columns at least (an indicator
    # header whose "实际 完成值" begins like 实际支出 is not one)
    grids = [h.line for h in find_headers(explode_flat(rows, "money"), "money", must=set(), any_of={"budget_adjusted", "budget_initial", "expenditure"})
             if len([r for r in h.roles if r in _GRID_ROLES]) >= 2]
    if len(grids) < 2:
        return []
    names = [r.line for r in rows if r.cells and label_key(_first_cell(r)) in _FORM_KEYS]
    starts: list[int] = []
    for g in grids:
        before = [n for n in names if n <= g and (not starts or n > starts[-1])]
        if not before:
            return []
        starts.append(before[-1])
    if len(set(starts)) < 2:
        return []
    # the form's title, when it stands on the line just above its 项目名称 row
    out = []
    for s in starts:
        i = s - 1  # 1-based line → 0-based index
        j = i - 1
        while j >= 0 and not ctx.lines[j].strip():
            j -= 1
        if j >= 0 and ctx.lines[j].rstrip(" |").endswith(("表", "表)", "年度)")) and (not out or j > out[-1]):
            i = j
        out.append(i)
    return out


def _first_cell(row) -> str:
    """A row's first cell; of a line whose cells are split by spaces, its first word."""
    text = row.cells[0].text
    if not row.delimited and len(row.cells) == 1 and " " in text.strip():
        return text.split()[0]
    return text


# an essay site's numbered samples: "科协部门整体支出绩效自评报告范文 篇1" … "… 篇2"
_SAMPLE = re.compile(r"^(.{0,40}?)\s*(?:第)?篇\s*([1-9])\s*$|^(.{0,40}?)\s*第([1-9一二三四五六七八九])篇\s*$")
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", 1)}


def sample_starts(ctx: Context) -> list[int]:
    """0-based line indexes where an essay site's numbered samples start ("…自评报告 篇1", "…
    篇2"): the same heading, numbered 1, 2, … in order (only when there are two at least)."""
    marks: list[tuple[int, str, int]] = []
    for i, line in enumerate(ctx.lines):
        if "篇" not in line:
            continue
        m = _SAMPLE.match(line.strip())
        if m:
            head = (m.group(1) if m.group(1) is not None else m.group(3)).strip()
            n = m.group(2) or m.group(4)
            marks.append((i, head, int(n) if n.isdigit() else _CN_DIGITS[n]))
    if len(marks) < 2 or len({h for _, h, _ in marks}) != 1 or [n for _, _, n in marks] != list(range(1, len(marks) + 1)):
        return []
    return [i for i, _, _ in marks]


def split(ctx: Context) -> list[Context]:
    starts = form_starts(ctx) or sample_starts(ctx)
    if not starts:
        return [ctx]
    out = []
    bounds = starts + [len(ctx.lines)]
    for k in range(len(starts)):
        lo, hi = bounds[k], bounds[k + 1]
        lines = ["" if not (lo <= i < hi) else line for i, line in enumerate(ctx.lines)]
        part = replace(ctx, lines=lines)
        # the form's rows are the whole text's rows on its lines (not built again)
        part.__dict__["rows"] = Rows(r for r in ctx.rows if lo < r.line <= hi)
        out.append(part)
    return out
