"""Family: the bare indicator grid, and the grid reader the national project form reuses.

Seed 000 (信丰县, FY2021) is the model: a narrative report whose only table is
一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值, with no 分值, 得分 or 总分 and no 项目资金
grid. The same grid with 分值/得分/偏差原因 columns is the indicator part of the national
项目支出绩效自评表; `national_project_form` reads it with `find_headers` and `read_grid`.

Rows are found from the header, not from line numbers: a row is as many cells as the header
has columns (cells are right-aligned to the header, because vertically merged level cells are
what a converter drops or leaves empty at the left), whether the cells come one per line,
split over blank lines, or as one tab or pipe row per line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from loaders import layout
import loaders.families.toolkit as toolkit
from loaders.families.toolkit import Block, TableCell, cell_number, squash, wan
from loaders.normalize import COMPARATOR_SIGNS, dimension_of, is_na, parse_value, value_meets
from loaders.extract.tables import role_of
from loaders.read import Document
from loaders.records import Evaluation, Indicator, Satisfaction, Unit
from loaders.satisfaction import is_satisfaction, satisfaction_from  # noqa: F401 (re-exported for the families)

NAME = "indicator_grid"

HEADER_ROLES: tuple[tuple[str, str], ...] = (
    ("level1", r"一级指标"),
    ("level2", r"二级指标"),
    ("level3", r"三级指标"),
    ("nature", r"指标性质|指标方向|比较符"),
    ("target", r"年度指标值|年度目标值|指标值|目标值|绩效目标值|预期目标值"),
    ("unit", r"度量单位|计量单位|单位"),
    ("actual", r"实际完成值|实际完成情况|完成值|实际值"),
    ("weight", r"分值|权重"),
    ("score", r"得分|自评得分"),
    ("note", r"偏差原因分析及改进措施|偏差原因.*|扣分原因.*|备注|说明"),
)
COUNT_UNITS = {"person", "person_time", "household", "org", "item", "event", "case", "doc"}
RATE_WORDS = re.compile(r"率|比例|占比|比重|满意|百分|覆盖面|完成度")
_TOTAL_ROW = re.compile(r"总分|合计|总计|自评得分|自评总分|得分合计|综合得分")
_NUMBERING = re.compile(r"^指标\s*\d*\s*[:：.、]?")
KIND_LABEL = {"department_overall": "部门整体支出", "project": "项目支出"}


_HEADER_ROLE_RES = tuple((role, re.compile(pattern)) for role, pattern in HEADER_ROLES)


def header_role(text: str) -> str | None:
    for role, pattern in _HEADER_ROLE_RES:
        if pattern.fullmatch(text):
            return role
    # the weight and score columns' other names (满分, 自评分 …) are the extraction core's
    # (lexicon/columns.toml [indicator.weight], [indicator.score])
    role = role_of(text, "indicator")
    return role if role in ("weight", "score") else None


@dataclass
class GridHeader:
    block: int  # index of the header block in the block list
    roles: list[str | None]  # one per column, from 一级指标 rightwards
    line: int

    @property
    def is_goal_grid(self) -> bool:
        r = set(self.roles)
        return {"level1", "target", "actual"} <= r and bool(r & {"level2", "level3"})

    @property
    def has_scores(self) -> bool:
        return "weight" in self.roles or "score" in self.roles


@dataclass
class GridRow:
    cells: dict[str, TableCell]  # role -> cell (right-aligned to the header)
    line: int


@dataclass
class Grid:
    header: GridHeader
    rows: list[GridRow]  # every row read, in order
    total: list[TableCell] | None  # the 总分 row, if any


def find_headers(blks: list[Block]) -> list[GridHeader]:
    memo = toolkit.memo_of(blks)
    if memo is not None and "grid_headers" in memo:
        return list(memo["grid_headers"])  # the same blocks were asked before (detect, then extract)
    out = []
    for k, b in enumerate(blks):
        for j, c in enumerate(b.cells):
            if c.text == "一级指标":
                cells = b.cells[j:]
                while cells and not cells[-1].text:
                    cells = cells[:-1]  # a trailing empty header cell is no column
                roles = [header_role(x.text) for x in cells]
                if "level2" in roles or "level3" in roles:
                    out.append(GridHeader(k, roles, c.line))
                break
    if memo is not None:
        memo["grid_headers"] = tuple(out)
    return out


def has_funds_grid(blks: list[Block]) -> bool:
    """The 项目资金 grid of the national form (年初预算数 | 全年预算数 | 全年执行数 …)."""
    return any(c.text.startswith(("年初预算数", "全年执行数")) for b in blks for c in b.cells)


def _pieces(blks: list[Block], header: GridHeader) -> tuple[list[list[TableCell] | GridRow], list[TableCell] | None]:
    """The table blocks under a header up to the 总分 row or the next text, and that row.

    In a table of whole rows (TAB or '|' lines) as long as their header row, a row keeps its
    columns: when it is as long as the header, or starts with the header's empty lead or merged
    cells, its cells are read by position and come back already placed (a GridRow), whatever a
    reader did to its empty end cells; a shorter row that starts with a label left out its merged
    cells on the left and is right-aligned. Other pieces are aligned by `read_grid`."""
    pieces: list[list[TableCell] | GridRow] = []
    hblk = blks[header.block]
    hlead = next((j for j, c in enumerate(hblk.cells) if c.text == "一级指标"), 0)
    width = len(header.roles)
    hlen = len(hblk.cells)
    body = []
    for b in blks[header.block + 1:]:
        if b.is_text or any(c.text == "一级指标" for c in b.cells):
            break
        body.append(b)
    whole = [b for b in body if b.whole_row]
    # Positions are trusted only when the header row ends at its last title (a header padded on
    # the right may have lost a cell on its left) and most rows are as long as the header.
    positional = hblk.whole_row and hlen == hlead + width and bool(whole) and all(len(b.cells) <= hlen for b in whole)
    for b in body:
        first = next((c for c in b.cells if c.text), None)
        if first is not None and _TOTAL_ROW.fullmatch(first.text):
            return pieces, b.cells
        cells = list(b.cells)
        if positional and b.whole_row and 1 < len(cells) <= hlen:
            if len(cells) == hlen or (not cells[0].text and len(cells) > hlead):
                row = cells[hlead:hlead + width]  # the row keeps its columns (its empty end may be cut)
                row += [TableCell("", "", b.line)] * (width - len(row))
            else:
                # A short row that starts with a label: it left out its merged cells on the left
                # (right-align it) or a reader cut its empty end (left-align it). The alignment
                # whose cells fit their columns (level vocabulary, numbers under 分值/得分) wins;
                # when both fit, the row goes to the joining and right-aligning of `read_grid`.
                blank = [TableCell("", "", b.line)] * (hlen - len(cells))
                fits = [r[hlead:hlead + width] for r in (blank + cells, cells + blank) if _fits(r[hlead:hlead + width], header.roles)]
                if len(fits) != 1:
                    while cells and not cells[-1].text:
                        cells.pop()
                    pieces.append(cells)
                    continue
                row = fits[0]
            by_role = {role: c for role, c in zip(header.roles, row) if role}
            if any(c.text for c in by_role.values()):
                line = next((c.line for c in row if c.text), b.line)
                pieces.append(GridRow(by_role, line))
            continue
        if b.whole_row:
            while cells and not cells[-1].text:
                cells.pop()  # readers pad or trim row ends differently; the end carries nothing
        if cells:
            pieces.append(cells)
    return pieces, None


_ROLE_KIND = {"level1": "level1", "level2": "level2", "level3": "level3", "weight": "number", "score": "number"}


def _fits(row: list[TableCell], roles: list[str | None]) -> bool:
    return all(
        not c.text or layout.cell_fits(c.text, _ROLE_KIND.get(role)) for c, role in zip(row, roles) if role in _ROLE_KIND
    )


_ANCHOR = re.compile(r"指标\s*\d+\s*[:：.、]")


def _place(cells: list[TableCell], full: int, level3_at: int | None) -> list[TableCell | None]:
    """Put a row's cells into `full` columns. A "指标N：" cell names the indicator, so it sits
    in the 三级指标 column; otherwise cells are right-aligned (merged level cells on the left
    are what converters leave out)."""
    if level3_at is not None:
        anchor = next((k for k, c in enumerate(cells) if c.text.startswith("指标") and _ANCHOR.match(c.text)), None)
        if anchor is not None:
            placed: list[TableCell | None] = [None] * full
            for k, c in enumerate(cells):
                if 0 <= k - anchor + level3_at < full:
                    placed[k - anchor + level3_at] = c
            return placed
    return cells[-full:] if len(cells) >= full else [None] * (full - len(cells)) + cells


def read_grid(blks: list[Block], header: GridHeader) -> Grid:
    """The rows under a grid header. A row is as many cells as the header has columns, plus
    the lead columns the rows carry left of 一级指标 (the vertical "绩效指标" label); pieces
    shorter than that (a Word cell split over two rows or paragraphs) are joined."""
    width = len(header.roles)
    pieces, total = _pieces(blks, header)
    extra = [len(p) - width for p in pieces if not isinstance(p, GridRow) and len(p) >= width]
    lead = max(set(extra), key=extra.count) if extra else 0
    full = width + min(lead, 2)
    rows_cells: list[list[TableCell] | GridRow] = []
    pending: list[TableCell] = []
    for p in pieces:
        if isinstance(p, GridRow):
            if pending:
                rows_cells.append(pending)
                pending = []
            rows_cells.append(p)
            continue
        while len(p) >= 2 * full:  # several one-cell-per-line rows without blank lines between
            rows_cells.append(p[:full])
            p = p[full:]
        if pending and len(pending) + len(p) > full:
            rows_cells.append(pending)
            pending = []
        pending = pending + p
        if len(pending) >= full:
            rows_cells.append(pending)
            pending = []
    if pending:
        rows_cells.append(pending)
    level3_at = full - width + header.roles.index("level3") if "level3" in header.roles else None
    rows = []
    for cells in rows_cells:
        if isinstance(cells, GridRow):
            rows.append(cells)
            continue
        placed = _place(cells, full, level3_at)[full - width:]
        by_role = {role: c for role, c in zip(header.roles, placed) if role and c is not None}
        line = next((c.line for c in placed if c is not None and c.text), cells[0].line)
        rows.append(GridRow(by_role, line))
    return Grid(header, rows, total)


def _level_label(cell: TableCell | None) -> str | None:
    """A level-1/2 label; a bare "指标" is the tail of a split cell ("经济效益\\n指标"), not a label."""
    if cell is None or is_na(cell.text) or cell.text == "指标":
        return None
    return cell.text


def _indicator_name(cell: TableCell | None) -> str | None:
    if cell is None:
        return None
    # the name as written, numbering included ("指标2:受助职工满意度"): two rows of one name under
    # different numbers stay apart; a bare number or placeholder is no name
    name = cell.text
    if not _NUMBERING.sub("", name).strip(" ：:") or set(_NUMBERING.sub("", name)) <= set("….。"):
        return None
    return None if is_na(name) else name


def _raw(cell: TableCell | None) -> str | None:
    return None if cell is None or is_na(cell.text) else cell.raw


_NATURE = {"≥": "≥", ">=": "≥", "大于等于": "≥", "不低于": "≥", "≤": "≤", "<=": "≤", "小于等于": "≤", "不高于": "≤",
           ">": ">", "大于": ">", "<": "<", "小于": "<", "=": "", "等于": "", "定性": "", "定量": ""}


def _split_target(c: dict[str, TableCell], target_raw: str | None, actual_raw: str | None) -> tuple[str | None, str | None, str | None]:
    """(target_raw, target text to parse, actual text to parse). Forms that split the target
    into 指标性质 | 指标值 | 度量单位 (Sichuan) are read as one target "≥300人"; a bare actual
    number takes the unit column's unit, since the unit cell governs the whole row."""
    nature = c.get("nature")
    unit = c.get("unit")
    if nature is None and unit is None:
        return target_raw, target_raw, actual_raw
    sign = _NATURE.get(squash(nature.raw), None) if nature is not None and not is_na(nature.text) else ""
    unit_text = "" if unit is None or is_na(unit.text) else unit.raw
    if target_raw is None or sign is None:
        return target_raw, target_raw, actual_raw  # an unknown 指标性质: the value alone, as written
    composed = f"{sign}{target_raw}{unit_text}" if re.fullmatch(r"[\d.,]+", squash(target_raw)) else target_raw
    actual_text = actual_raw
    if actual_raw is not None and unit_text and re.fullmatch(r"[\d.,]+", squash(actual_raw)):
        actual_text = f"{actual_raw}{unit_text}"
    return composed, composed, actual_text


def indicators_from(grid: Grid, table: str) -> tuple[list[Indicator], list[GridRow]]:
    """(indicators, template rows). A template row names a level but measures nothing
    ("指标", "生态效益" with empty cells); it is reported, not read as an indicator."""
    out: list[Indicator] = []
    template: list[GridRow] = []
    level1 = level2 = None
    for row in grid.rows:
        c = row.cells
        level1 = _level_label(c.get("level1")) or level1
        level2 = _level_label(c.get("level2")) or level2
        name = _indicator_name(c.get("level3"))
        if name is not None and squash(name).startswith(COMPARATOR_SIGNS):
            continue  # a target in the name's column ("≥120家"): a row shifted a column, not read
        target_raw, actual_raw = _raw(c.get("target")), _raw(c.get("actual"))
        weight, score = cell_number(c.get("weight")), cell_number(c.get("score"))
        target_raw, target_text, actual_text = _split_target(c, target_raw, actual_raw)
        if name is None and target_raw is None and actual_raw is None and weight is None and score is None:
            if any(x.text for role, x in c.items() if role in ("level1", "level2", "level3")):
                template.append(row)
            continue
        if name is None and weight is None and score is None:
            # a value without a name, a weight or a score: a row cut off or read a column off
            # ("效益指标 | 社会效益指标 | 残疾人生活质量 | 有效改善" at the end of a cut page)
            continue
        target, actual = parse_value(target_text), parse_value(actual_text)
        line = c["level3"].line if "level3" in c and c["level3"].text else row.line
        out.append(
            Indicator(
                level1=level1,
                level2=level2,
                level3=name,
                dimension=dimension_of(level1, level2, name),
                weight=weight,
                score=score,
                target_raw=target_raw,
                actual_raw=actual_raw,
                target=target,
                actual=actual,
                met=value_meets(target, actual),
                note=_raw(c.get("note")),
                line=line,
                level=3,
                table=table,
            )
        )
    return out, template


def bigrams(text: str | None) -> set[str]:
    out = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text or ""):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out - {"指标", "全县"}


def _name(ind: Indicator) -> str:
    return ind.level3 or ind.level2 or ind.level1 or "?"


def check_grid(ev: Evaluation, template_rows: list[GridRow]) -> None:
    """Flags that follow from the grid alone (DOMAIN.md section 6, seeds 000 and 002)."""
    for ind in ev.indicators:
        name = _name(ind)
        if ind.dimension == "satisfaction" and not is_satisfaction(ind):
            ev.flag(
                "indicator_misplaced",
                f"“{name}”（{ind.actual_raw or ind.target_raw}）不是满意度，却列在“{ind.level1}”下",
                ind.line,
            )
        t = ind.target
        if "质量" in (ind.level2 or "") and t is not None and not t.is_qualitative and t.unit in COUNT_UNITS:
            ev.flag("indicator_misplaced", f"“{name}”是数量（{ind.target_raw}），却列在“{ind.level2}”下", ind.line)
        a = ind.actual
        if (
            a is not None
            and ind.target_raw
            and squash(ind.target_raw) == squash(ind.actual_raw)
            and a.comparator in (">=", "<=", ">", "<", "range")
        ):
            ev.flag(
                "actual_copies_target",
                f"“{name}”的实际完成值“{ind.actual_raw}”照抄年度指标值，只有比较符号，没有实际数",
                ind.line,
            )
        if any(v is not None and v.unit == "pct" for v in (t, a)) and not RATE_WORDS.search(name):
            ev.flag("pseudo_quantitative", f"“{name}”是定性事项，却写作百分比（{ind.target_raw or ind.actual_raw}）", ind.line)

    money = [i for i in ev.indicators if i.target is not None and i.target.unit == "yuan" and i.target.value is not None]
    quantity = [i for i in money if "数量" in (i.level2 or "")]
    for cost in (i for i in money if "成本" in (i.level2 or "")):
        for q in quantity:
            if cost.target.value == q.target.value and len(bigrams(cost.level3) & bigrams(q.level3)) >= 2:
                msg = f"成本指标“{_name(cost)}”{cost.target_raw} 与数量指标“{_name(q)}”{q.target_raw} 是同一笔资金"
                budget = ev.metrics.get("budget_initial_yuan") or ev.metrics.get("budget_adjusted_yuan")
                total = sum(i.target.value for i in quantity)
                if budget is not None and total == budget.value:
                    parts = " + ".join(wan(i.target.value) for i in quantity)
                    msg += f"；数量指标金额 {parts} = {wan(total)} 万元，已等于项目资金 {budget.raw}"
                ev.flag("double_counting", msg, cost.line)

    if template_rows:
        labels = "、".join(
            dict.fromkeys(
                x.text for r in template_rows for role, x in r.cells.items() if x.text and role.startswith("level")
            )
        )
        ev.flag(
            "layout_artifact",
            f"指标表中夹有 {len(template_rows)} 行空白模板行（{labels}），未作为指标读取",
            template_rows[0].line,
        )


def _best_match(subject: str, candidates: list[Indicator]) -> int | None:
    """Index of the one indicator whose name shares the most character pairs (at least 2)
    with the words of a narrative clause; None when no single one stands out."""
    scores = sorted(((len(bigrams(subject) & bigrams(c.level3)), k) for k, c in enumerate(candidates)), reverse=True)
    if not scores or scores[0][0] < 2 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]


def check_narrative_money(ev: Evaluation, blks: list[Block]) -> None:
    """The narrative's spending items against the grid's money indicators and the budget, and
    amounts written without 元. Each check uses the first paragraph that states the figures
    (seed 000 repeats its paragraph word for word)."""
    quantity = [
        i
        for i in ev.indicators
        if "数量" in (i.level2 or "") and i.target is not None and i.target.unit == "yuan" and i.target.value is not None
    ]
    budget = ev.metrics.get("budget_initial_yuan") or ev.metrics.get("budget_adjusted_yuan")
    compared: set[int] = set()
    summed = False
    missing: dict[str, list] = defaultdict(list)
    for b in (x for x in blks if x.is_text):
        mentions = toolkit.money_mentions(b.text, b.line)
        for m in mentions:
            if m.unit_missing:
                missing[m.subject[-12:] + m.raw].append(m)
        matched: dict[int, list] = defaultdict(list)
        for m in mentions:
            k = _best_match(m.subject, quantity)
            if k is None:
                k = _best_match(m.prev_subject, quantity)
            if k is not None:
                matched[k].append(m)
        for k, ms in matched.items():
            if k in compared:
                continue
            compared.add(k)
            ind = quantity[k]
            stated = sum(m.yuan for m in ms)
            diff = stated - ind.target.value
            if diff == 0 or (all(m.approx for m in ms) and Decimal(0) < -diff < ind.target.value / 100):
                continue
            said = " + ".join(m.raw for m in ms) + (f" = {wan(stated)} 万元" if len(ms) > 1 else "")
            where = f"表中年度指标值 {ind.target_raw}" + (f"、实际完成值 {ind.actual_raw}" if ind.actual_raw else "")
            ev.flag(
                "grid_narrative_mismatch",
                f"“{_name(ind)}”{where}，正文为 {said}，"
                f"{'多' if diff > 0 else '少'} {wan(abs(diff))} 万元",
                b.line,
            )
        if budget is not None and not summed and b.line == budget.line:
            at = next((k for k, m in enumerate(mentions) if m.yuan == budget.value), None)
            parts = mentions[at + 1:] if at is not None else []
            if len(parts) >= 2:
                summed = True
                total = sum(m.yuan for m in parts)
                if total != budget.value:
                    ev.flag(
                        "narrative_sum_mismatch",
                        f"正文列举的分项 {' + '.join(m.raw for m in parts)} = {wan(total)} 万元，"
                        f"与项目资金 {budget.raw} 相差 {wan(abs(budget.value - total))} 万元",
                        b.line,
                    )
    for ms in missing.values():
        m = ms[0]
        again = sorted({x.line for x in ms[1:]} - {m.line})
        ev.flag(
            "unit_missing",
            f"“{m.subject[-12:]}{m.raw}”没有写“元”，按上下文作 {wan(m.yuan)} 万元"
            + (f"（后文另有 {len(again)} 处相同）" if again else ""),
            m.line,
        )


def check_title_content(ev: Evaluation, doc: Document, title: tuple[str, int] | None) -> None:
    if title is None or ev.report_kind is None or title[0] == ev.report_kind:
        return
    words = list(dict.fromkeys(toolkit.PROJECT_CONTENT.findall(doc.text)))
    ev.flag(
        "title_content_mismatch",
        f"标题“{doc.norm[title[1] - 1].strip()}”称{KIND_LABEL[title[0]]}评价报告，"
        f"正文评价的是{KIND_LABEL[ev.report_kind]}（{'、'.join(words[:4])}），按{KIND_LABEL[ev.report_kind]}处理",
        title[1],
    )


def detect(doc: Document) -> float:
    """A 一级/二级/三级 | 年度指标值 | 实际完成值 grid without 分值/得分 columns, in a document
    without the 项目资金 grid of the national form."""
    blks = toolkit.blocks(doc)
    goal = [h for h in find_headers(blks) if h.is_goal_grid]
    if not goal:
        return 0.0
    if any(h.has_scores for h in goal):
        return 0.2
    if has_funds_grid(blks):
        return 0.3
    rows = [r for r in read_grid(blks, goal[0]).rows if "target" in r.cells and r.cells["target"].text]
    return 0.9 if len(rows) >= 3 else 0.6


def extract(doc: Document) -> list[Evaluation]:
    blks = toolkit.blocks(doc)
    goal = [h for h in find_headers(blks) if h.is_goal_grid]
    if not goal:
        return []
    grid = read_grid(blks, goal[0])
    fiscal_year = toolkit.find_fiscal_year(doc)
    unit_hit = toolkit.find_unit_name(doc, blks)
    unit = toolkit.resolve(doc, unit_hit[0], unit_hit[1], fiscal_year) if unit_hit else Unit(name=None)
    title = toolkit.kind_from_title(doc, blks)
    content = toolkit.kind_from_content(doc)
    ev = Evaluation(
        unit=unit,
        fiscal_year=fiscal_year,
        report_kind=content or (title[0] if title else None),
        report_kind_declared=title[0] if title else None,
        # The unit's own 项目评价工作小组 did the work ("我单位"); no evaluator is named.
        evaluation_mode=toolkit.find_evaluation_mode(doc),
    )
    if ev.report_kind == "project":
        project = toolkit.find_project_name(blks)
        ev.project_name = project.raw if project else None
    toolkit.find_metrics(doc, [b for b in blks if b.is_text], ev)
    ev.indicators, template_rows = indicators_from(grid, "score" if grid.header.has_scores else "goals")
    ev.satisfaction = satisfaction_from(ev.indicators)
    # total score and grade: the general reading's (its table and label readers), merged by
    # loaders.parse
    ev.findings = toolkit.find_findings(doc)

    if unit_hit:
        toolkit.flag_region(ev, doc)
    check_title_content(ev, doc, title)
    check_grid(ev, template_rows)
    check_narrative_money(ev, blks)
    toolkit.flag_layout_artifacts(ev, doc)
    toolkit.flag_dates_without_year(ev, doc)
    return [ev]
