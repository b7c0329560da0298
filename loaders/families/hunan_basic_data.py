"""Family: the Hunan 部门整体支出绩效评价基础数据表 (basic data sheet).

Hunan departments attach a sheet of base figures to their department-wide evaluation:
财政供养人员情况 (编制数 | 实际在职人数 | 控制率), then 经费控制情况 with one column per year and
kind (2020年决算数 | 2021年预算数 | 2021年决算数) and rows "三公"经费 (with its parts), 项目支出,
公用经费, 政府采购金额. The money unit is stated once ("单位：万元").

Figures are read by their row label and their column header: the evaluated year's 预算数
column gives the budgets, its 决算数 column the actual spending. A column whose year is not the
evaluated year (last year's 决算数) is never read as this year's figure.
"""

from __future__ import annotations

import re
from decimal import Decimal

import loaders.families.generic as generic
from loaders.families.generic import Block, cell_number, squash
from loaders.normalize import pct
from loaders.read import Document
from loaders.records import Evaluation, Unit

NAME = "hunan_basic_data"

_TITLE = re.compile(r"基础数据表")
_YEAR_COL = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:度)?(?P<k>预算数|决算数|执行数)")
# Row label -> (budget metric, actual metric).
ROWS: tuple[tuple[str, str | None, str | None], ...] = (
    (r"[\"“]?三公[\"”]?经费(?:合计)?", "three_public_budget_yuan", "three_public_actual_yuan"),
    (r"政府采购(?:金额|总额)?", "procurement_budget_yuan", "procurement_actual_yuan"),
    (r"项目支出[:：]?", None, "exp_project_yuan"),
    (r"公用经费[:：]?", None, "exp_public_operating_yuan"),
    (r"(?:\d[、.])?公务接待(?:费)?", None, "official_reception_yuan"),
    (r"(?:\d[、.])?出国(?:\(境\))?经费", None, "overseas_travel_yuan"),
)


def detect(doc: Document) -> float:
    head = "".join(squash(x) for x in doc.norm[:10])
    text = generic.squashed_text(doc)  # squash(doc.text), computed once per document
    score = 0.0
    if _TITLE.search(head):
        score += 0.5
    if "经费控制情况" in text:
        score += 0.2
    if "财政供养人员情况" in text or ("编制数" in text and "实际在职人数" in text):
        score += 0.2
    return min(score, 1.0)


def _unit(doc: Document) -> str | None:
    for line in doc.norm[:15]:
        m = re.search(r"单位[:：]\s*(万元|元)", line)
        if m:
            return m.group(1)
    return None


def extract(doc: Document) -> list[Evaluation]:
    blks = generic.blocks(doc)
    fiscal_year = generic.find_fiscal_year(doc)
    unit_hit = generic.find_unit_name(doc, blks)
    unit = generic.resolve(doc, unit_hit[0], unit_hit[1], fiscal_year) if unit_hit else Unit(name=None)
    ev = Evaluation(unit=unit, fiscal_year=fiscal_year, report_kind="department_overall", report_kind_declared="department_overall")
    _staffing(blks, ev)
    money_unit = _unit(doc)
    if money_unit is None:
        ev.flag("unit_missing", "基础数据表没有写金额单位（万元或元），金额未读取")
    else:
        _money(blks, ev, money_unit, fiscal_year)
    if unit_hit:
        generic.flag_region(ev, doc)
    return [ev]


def _staffing(blks: list[Block], ev: Evaluation) -> None:
    """编制数 | 实际在职人数 | 控制率 header with the figures in the row below."""
    for k, b in enumerate(blks):
        texts = [c.text for c in b.cells]
        cols = {
            role: j
            for j, t in enumerate(texts)
            for role, pattern in (("auth", r"编制数|人员编制"), ("actual", r"(?:\d{4}年)?(?:实际)?在职人数|实有人数"), ("rate", r"控制率"))
            if re.fullmatch(pattern, t)
        }
        if "auth" not in cols or "actual" not in cols or k + 1 >= len(blks):
            continue
        row = blks[k + 1].cells
        offset = len(row) - len(b.cells)
        for role, metric in (("auth", "headcount_authorised"), ("actual", "headcount_actual")):
            j = cols[role] + offset
            if 0 <= j < len(row) and re.fullmatch(r"\d+", row[j].text):
                ev.set_metric(metric, Decimal(row[j].text), row[j].raw, row[j].line)
        if "rate" in cols and 0 <= cols["rate"] + offset < len(row):
            c = row[cols["rate"] + offset]
            value = pct(c.text)
            if value is not None:
                ev.set_metric("staffing_control_pct", value, c.raw, c.line)
        return


def _money(blks: list[Block], ev: Evaluation, money_unit: str, fiscal_year: int | None) -> None:
    header = None
    for b in blks:
        texts = [c.text for c in b.cells]
        years = {j: _YEAR_COL.fullmatch(t) for j, t in enumerate(texts)}
        years = {j: m for j, m in years.items() if m}
        if len(years) >= 2:
            header = (b, years)
            continue
        if header is None or not b.cells:
            continue
        hb, years = header
        label = b.cells[0].text
        for pattern, budget_metric, actual_metric in ROWS:
            if not re.fullmatch(pattern, label):
                continue
            offset = len(b.cells) - len(hb.cells)
            for j, m in years.items():
                if fiscal_year is None or int(m.group("y")) != fiscal_year:
                    continue  # another year's column
                metric = budget_metric if m.group("k") == "预算数" else actual_metric
                at = j + offset
                if metric is None or metric in ev.metrics or not 0 < at < len(b.cells):
                    continue
                c = b.cells[at]
                n = cell_number(c)
                if n is not None:
                    ev.set_metric(metric, generic.to_yuan(n, money_unit), c.raw, c.line, note=f"金额单位取自表头（{money_unit}）")
            break
