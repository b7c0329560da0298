"""Score rubrics whose weights sit inside the labels: 一级指标 | 二级指标 | 三级指标 | (评分标准)
| 得分 | (扣分说明), with "决策（20分）", "项目立项（10分）", "相关性（5分）" and no 分值 column.
Chongqing department-wide rubrics, Hunan project rubrics and third-party 评分表 appendices
print their scores so.

The table is taken for such a rubric only when at least three of its leaves, and at least half
of them, state their weight in their label. Then:

- each row is anchored on its leaf label (the last cell carrying a weight): the cells before
  it are its level labels, right-aligned (merged level cells are empty or left out, as the
  layouts print them), and the score is the cell as many columns after it as the header puts
  得分 after 三级指标 (a 分值 column, where there is one, gives the weight);
- the names lose their weight ("相关性"), and each level-1 and level-2 label gives a row with
  the weight it states (the generic checks compare level-3 weights with their level-2 row);
- the evaluation is given the framework `FRAMEWORK`, and a children_sum_mismatch flag where
  the level-2 weights of a level-1 group do not add up to its weight.

Weights in level-1/2 labels alone ("部门决策指标(15分)" over a 权重 column) are another kind of
score table (seed 001's summary, seed 003's 评分表), left to the indicator reader.
"""

from __future__ import annotations

import re
from decimal import Decimal

from loaders.extract.base import Context, make_context
from loaders.extract.rows import Cell
from loaders.extract.sheets import table_rows
from loaders.extract.tables import number, squash
from loaders.normalize import NUM, clean, dec, dimension_of
from loaders.records import Evaluation, Indicator
from loaders.satisfaction import satisfaction_from

FRAMEWORK = "score_rubric_weights_in_labels"
_LABEL_WEIGHT = re.compile(rf"^(?P<name>.*?)\s*[(（]\s*(?P<w>{NUM})\s*分\s*[)）]$")
_SCORE = re.compile(r"得分|自评得分|评价得分|实际得分")
_WEIGHT = re.compile(r"分值|权重|标准分")
_GOALS = re.compile(r"指标值|完成值|目标值")
_TOTAL = re.compile(r"总分|合计|总计|综合得分")
_LEVELS = {"一级指标": "level1", "二级指标": "level2", "三级指标": "level3"}


def split_label(text: str | None) -> tuple[str | None, Decimal | None]:
    """("相关性", 5) from "相关性（5分）"; (text, None) when the label states no weight."""
    if text is None:
        return None, None
    m = _LABEL_WEIGHT.match(text.strip())
    if m and m.group("name"):
        return m.group("name"), clean(dec(m.group("w")))
    return text, None


def _header(rows: list[list[Cell]]) -> tuple[int, dict[str, int]] | None:
    """(row index, role → column counted from 一级指标) of a rubric header: level columns and a
    得分 column, and no target or actual columns (a goals grid)."""
    for k, row in enumerate(rows):
        keys = [squash(c.text) for c in row]
        if "一级指标" not in keys:
            continue
        start = keys.index("一级指标")
        cols: dict[str, int] = {}
        for j, t in enumerate(keys[start:]):
            if t in _LEVELS:
                cols.setdefault(_LEVELS[t], j)
            elif _SCORE.fullmatch(t):
                cols.setdefault("score", j)
            elif _WEIGHT.fullmatch(t):
                cols.setdefault("weight", j)
            elif _GOALS.search(t):
                return None
        if "score" in cols and "level3" in cols:
            return k, cols
    return None


def _cell_number(cell: Cell | None) -> Decimal | None:
    if cell is None:
        return None
    t = squash(cell.text).removesuffix("分")
    return number(t) if t and not t.endswith("%") else None


def read(ctx: Context) -> list[Indicator]:
    """The rubric's rows (levels 1, 2 and 3), or [] when the document holds no rubric with
    weights in its labels."""
    if "一级指标" not in ctx.text or "分)" not in ctx.text:
        return []  # no rubric, or no label carrying its weight ("相关性(5分)")
    rows = table_rows(ctx)
    found = _header(rows)
    if found is None:
        return []
    k, cols = found
    c3 = cols["level3"]
    out: list[Indicator] = []
    l1 = l2 = None
    leaves = weighted = 0
    for row in rows[k + 1:k + 200]:
        texts = [squash(c.text) for c in row]
        filled = [t for t in texts if t]
        if len(row) < 2 or not filled or _TOTAL.fullmatch(filled[0]):
            break
        at = max((j for j, t in enumerate(texts) if split_label(t)[1] is not None), default=None)
        if at is None:
            continue
        leaves += 1
        name, weight = split_label(row[at].text)
        labels = {}
        for role in ("level2", "level1"):
            if role in cols:
                j = at - (c3 - cols[role])
                if 0 <= j < at and texts[j]:
                    labels[role] = row[j]
        # a level-1 label without its level-2 neighbour is a shifted row: not read
        if "level1" in labels and "level2" in cols and "level2" not in labels:
            return []
        if "level1" in labels:
            n1, w1 = split_label(labels["level1"].text)
            l1 = Indicator(level1=n1, level2=None, level3=None, dimension=dimension_of(n1), weight=w1,
                           line=labels["level1"].line, level=1)
            out.append(l1)
            l2 = None
        if l1 is None:
            return []  # a leaf before any level-1 label: not this kind of table
        if "level2" in labels:
            n2, w2 = split_label(labels["level2"].text)
            l2 = Indicator(level1=l1.level1, level2=n2, level3=None, dimension=dimension_of(l1.level1, n2), weight=w2,
                           line=labels["level2"].line, level=2)
            out.append(l2)
        weight_cell = row[at + cols["weight"] - c3] if "weight" in cols and 0 <= at + cols["weight"] - c3 < len(row) else None
        if _cell_number(weight_cell) is not None:
            weight = _cell_number(weight_cell)  # a 分值 column states the weight itself
        else:
            weighted += 1
        s = at + cols["score"] - c3
        level2 = l2.level2 if l2 else None
        out.append(Indicator(level1=l1.level1, level2=level2, level3=name, dimension=dimension_of(l1.level1, level2, name),
                             weight=weight, score=_cell_number(row[s]) if 0 <= s < len(row) else None,
                             line=row[at].line, level=3))
    if weighted < 3 or 2 * weighted < leaves:
        return []
    return out


def apply(ev: Evaluation, found: list[Indicator]) -> None:
    """Give the evaluation the rubric's rows, its framework and the check of its group weights."""
    if not found:
        return
    ev.indicators = found
    ev.framework = ev.framework or FRAMEWORK
    for p in (i for i in found if i.level == 1 and i.weight is not None):
        kids = [i.weight for i in found if i.level == 2 and i.level1 == p.level1]
        if kids and None not in kids and sum(kids) != p.weight:
            ev.flag("children_sum_mismatch", f"{p.level1}（{p.weight}分）：下级指标分值之和 {sum(kids)} 分", p.line)


def reread(ev: Evaluation, lines: list[str]) -> None:
    """Read the rubric again from the text re-flowed into table rows (loaders.layout.reflow: a
    flattened layout whose rows the general reading could not cut into cells)."""
    if ev.framework == FRAMEWORK or not any("一级指标" in line for line in lines) \
            or not any("分)" in line or "分）" in line for line in lines):
        return
    found = read(make_context(lines))
    if found:
        apply(ev, found)
        ev.satisfaction = satisfaction_from(ev.indicators)
