"""Family: a score rubric whose weights sit inside the labels (评分表 with "相关性（5分）").

Many provinces (Chongqing department-wide evaluations, Hunan project evaluations, third-party
评分表 appendices) print their scores as a table 一级指标 | 二级指标 | 三级指标 | (评分标准 or
指标解释) | 得分 | (扣分说明), where each label carries its weight: "决策（20分）",
"项目立项（10分）", "立项依据充分性（5分）". There is no 分值 column (when there is one, its
cell is used) and no target or actual values. A 总分/合计 row closes the table.

Weights come only from a label or a 分值 cell; scores only from the 得分 cell of the row.
Rows are read by their header, in any layout the readers produce (one cell per line, TAB or
'|' rows): vertically merged level cells are empty or left out, so cells are right-aligned.
"""

from __future__ import annotations

import re
from decimal import Decimal

import loaders.families.generic as generic
from loaders.families.generic import Block, TableCell, cell_number
from loaders.normalize import NUM, clean, dec, dimension_of
from loaders.read import Document
from loaders.records import Evaluation, Indicator, Unit

NAME = "score_rubric"

_LABEL_WEIGHT = re.compile(rf"^(?P<name>.*?)[(（]\s*(?P<w>{NUM})\s*分\s*[)）]$")
_SCORE_HEADER = re.compile(r"得分|自评得分|评价得分|实际得分")
_WEIGHT_HEADER = re.compile(r"分值|权重|标准分")
_TOTAL = re.compile(r"总分|合计|总计|综合得分")
_TITLE = re.compile(r"评分表|评价表|打分表")
FRAMEWORK = "score_rubric_weights_in_labels"


def split_label(text: str) -> tuple[str, Decimal | None]:
    """("相关性", 5) from "相关性（5分）"; (text, None) when the label states no weight."""
    m = _LABEL_WEIGHT.match(text)
    if m and m.group("name"):
        return m.group("name"), clean(dec(m.group("w")))
    return text, None


def _header(blks: list[Block]) -> tuple[int, dict[str, int], int] | None:
    """(block index, role -> column, width) of a header 一级指标 … 得分 without target columns."""
    for k, b in enumerate(blks):
        texts = [c.text for c in b.cells]
        if "一级指标" not in texts:
            continue
        start = texts.index("一级指标")
        cols: dict[str, int] = {}
        for j, t in enumerate(texts[start:]):
            if t == "一级指标":
                cols["level1"] = j
            elif t == "二级指标":
                cols["level2"] = j
            elif t == "三级指标":
                cols["level3"] = j
            elif _SCORE_HEADER.fullmatch(t) and "score" not in cols:
                cols["score"] = j
            elif _WEIGHT_HEADER.fullmatch(t) and "weight" not in cols:
                cols["weight"] = j
            elif re.search(r"指标值|完成值|目标值", t):
                return None  # a goal grid (indicator_grid / national form), not a rubric
        width = len([t for t in texts[start:]])
        while width and not texts[start + width - 1]:
            width -= 1
        if "score" in cols and ("level2" in cols or "level3" in cols):
            return k, cols, width
    return None


def _rows(blks: list[Block], k: int, width: int) -> tuple[list[list[TableCell | None]], list[TableCell] | None]:
    """Rows under the header, right-aligned to its width, and the 总分/合计 row."""
    rows: list[list[TableCell | None]] = []
    pending: list[TableCell] = []
    for b in blks[k + 1:]:
        if b.is_text:
            break
        first = next((c for c in b.cells if c.text), None)
        if first is not None and _TOTAL.fullmatch(first.text):
            return rows, b.cells
        cells = list(b.cells)
        if b.whole_row:
            cells = cells[:width] if len(cells) >= width else cells
        pending += cells
        if len(pending) >= width or b.whole_row:
            row = pending[-width:] if len(pending) >= width else [None] * (width - len(pending)) + pending
            rows.append(row)
            pending = []
    return rows, None


def detect(doc: Document) -> float:
    blks = generic.blocks(doc)
    found = _header(blks)
    if found is None:
        return 0.0
    k, cols, width = found
    if "level3" not in cols:
        return 0.0  # the rubric's indicators are its level-3 rows: without that column it has none
    rows, total = _rows(blks, k, width)
    # The defining trait is a weight in each level-3 label ("相关性（5分）"). Weights in level-1 or
    # level-2 labels alone ("部门决策指标(15分)" over a 权重 column, seed 001; "投  入（15分）" over a
    # 分值 column, seed 003) belong to other templates' score tables, which are read by their families.
    leaves = [r[cols["level3"]] for r in rows if cols["level3"] < len(r) and r[cols["level3"]] is not None]
    leaves = [c for c in leaves if c.text]
    weighted = sum(1 for c in leaves if split_label(c.text)[1] is not None)
    if weighted < 3 or 2 * weighted < len(leaves):
        return 0.0
    score = 0.6 + (0.2 if total is not None else 0.0)
    if any(b.is_text and _TITLE.search(b.text) for b in blks[:k]):
        score += 0.1
    return min(score, 0.9)


def extract(doc: Document) -> list[Evaluation]:
    blks = generic.blocks(doc)
    found = _header(blks)
    if found is None:
        return []
    k, cols, width = found
    rows, total_row = _rows(blks, k, width)
    fiscal_year = generic.find_fiscal_year(doc)
    unit_hit = generic.find_unit_name(doc, blks)
    unit = generic.resolve(doc, unit_hit[0], unit_hit[1], fiscal_year) if unit_hit else Unit(name=None)
    title = generic.kind_from_title(doc, blks)
    project = generic.find_project_name(blks)
    kind = (title[0] if title else None) or generic.kind_from_content(doc)
    ev = Evaluation(
        unit=unit,
        fiscal_year=fiscal_year,
        report_kind=kind,
        report_kind_declared=title[0] if title else None,
        evaluation_mode=generic.find_evaluation_mode(doc),
        framework=FRAMEWORK,
    )
    if kind == "project":
        ev.project_name = project.raw if project else _project_from_title(blks)
    ev.indicators = _indicators(rows, cols)
    ev.total_score = _total(total_row, cols, width)
    grade = generic.find_grade(doc, blks)
    if grade is not None:
        ev.grade_raw, ev.grade = grade[0], grade[1]
    generic.find_metrics(doc, [b for b in blks if b.is_text], ev)
    ev.findings = generic.find_findings(doc)
    if unit_hit:
        generic.flag_region(ev, doc)
    _check_label_weights(ev)
    return [ev]


def _project_from_title(blks: list[Block]) -> str | None:
    """"平江县总工会2022年度职工疗休养项目绩效评价评分表" -> "职工疗休养项目"."""
    for b in blks:
        if b.is_text:
            m = re.search(r"(?:19|20)\d{2}\s*年度?\s*(?P<p>[\u4e00-\u9fff]{2,30}?项目)(?:支出)?绩效", b.text)
            if m:
                return m.group("p")
    return None


def _indicators(rows: list[list[TableCell | None]], cols: dict[str, int]) -> list[Indicator]:
    out: list[Indicator] = []
    l1 = l2 = None

    def cell(r: list[TableCell | None], role: str) -> TableCell | None:
        j = cols.get(role)
        return r[j] if j is not None and j < len(r) else None

    for r in rows:
        c1, c2, c3 = cell(r, "level1"), cell(r, "level2"), cell(r, "level3")
        if c1 is not None and c1.text:
            name, w = split_label(c1.text)
            l1 = Indicator(level1=name, level2=None, level3=None, dimension=dimension_of(name), weight=w, line=c1.line, level=1)
            out.append(l1)
            l2 = None
        if c2 is not None and c2.text and l1 is not None:
            name, w = split_label(c2.text)
            l2 = Indicator(
                level1=l1.level1, level2=name, level3=None, dimension=dimension_of(l1.level1, name), weight=w, line=c2.line, level=2
            )
            out.append(l2)
        if c3 is None or not c3.text or l1 is None:
            continue
        name, w = split_label(c3.text)
        weight_cell = cell(r, "weight")
        if weight_cell is not None and cell_number(weight_cell) is not None:
            w = cell_number(weight_cell)  # a 分值 column states the weight itself
        level2 = l2.level2 if l2 else None
        out.append(
            Indicator(
                level1=l1.level1,
                level2=level2,
                level3=name,
                dimension=dimension_of(l1.level1, level2, name),
                weight=w,
                score=cell_number(cell(r, "score")),
                line=c3.line,
                level=3,
            )
        )
    return out


def _total(total_row: list[TableCell] | None, cols: dict[str, int], width: int) -> Decimal | None:
    """The 总分 row's score: the cell under 得分 when the row keeps its columns, else its one number
    (two numbers are 分值 then 得分, as in every form)."""
    if total_row is None:
        return None
    nums = [(j, n) for j, c in enumerate(total_row) if (n := cell_number(c)) is not None]
    if len(total_row) >= width:
        at = cols["score"] + len(total_row) - width
        value = cell_number(total_row[at]) if at < len(total_row) else None
        if value is not None:
            return value
    if len(nums) == 1:
        return nums[0][1]
    if len(nums) == 2:
        return nums[1][1]
    return None


def _check_label_weights(ev: Evaluation) -> None:
    """The weights in the labels must add up: level-2 to their level-1 (level-3 to level-2 is
    one of the generic checks)."""
    for parent_level, child_level, key in ((1, 2, "level1"),):
        for p in (i for i in ev.indicators if i.level == parent_level and i.weight is not None):
            kids = [
                i.weight
                for i in ev.indicators
                if i.level == child_level and i.level1 == p.level1 and (key == "level1" or i.level2 == p.level2)
            ]
            if kids and None not in kids and sum(kids) != p.weight:
                name = p.level2 or p.level1
                ev.flag("children_sum_mismatch", f"{name}（{p.weight}分）：下级指标分值之和 {sum(kids)} 分", p.line)
