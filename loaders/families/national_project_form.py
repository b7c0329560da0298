"""Family: the national 项目支出绩效自评表 (财预〔2020〕10号 附件1), DOMAIN.md section 2.1.

Layout: header (项目名称, 主管部门, 实施单位); the 项目资金 grid (年初预算数 | 全年预算数 |
全年执行数 | 分值 | 执行率 | 得分, rows 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 /
其他资金); 年度总体目标; the indicator grid (一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值
| 得分 | 偏差原因分析及改进措施); 总分. A narrative 绩效评价报告 often follows the form.

A file may hold several forms (a 项目清单, then one form per project): each form header starts a
new evaluation, which owns the lines up to the next form header (its narrative included).
Seed 002 (霍邱县, FY2023) is the model.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import loaders.families.toolkit as toolkit
import loaders.families.indicator_grid as indicator_grid
from loaders import lexicon
from loaders.families.toolkit import Block, TableCell, squash, wan
from loaders.normalize import NUM, clean, dec, dimension_of, is_na, parse_value, pct, ratio_pct
from loaders.read import Document
from loaders.extract.tables import percent, role_of
from loaders.records import Evaluation, Indicator, Unit

NAME = "national_project_form"
FRAMEWORK = "national_project_self_2020"

_FORM_TITLE = re.compile(r"(?:项目支出|部门整体支出)绩效自评表")
_DEPT_TITLE = re.compile(r"部门整体支出绩效自评表")
# A project code before the name (Sichuan: "51000022T000001234567-困难职工帮扶").
_UNIT_CODE = re.compile(r"^\s*\d{3,}\s*[-－—_.:：]+\s*")
_PROJECT_CODE = re.compile(r"^\s*[0-9A-Z]{12,}\s*[-－—_:：]\s*")
FUNDS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("initial", r"年初预算数?"),
    # an unqualified 预算数 (Hubei form; its 备注 defines it as the adjusted total)
    ("adjusted", r"全年预算数?|预算数"),
    ("executed", r"全年执行数?|执行数"),
    ("weight", r"分值"),
    ("rate", r"执行率"),
    ("score", r"得分"),
)
_FUNDS_COLUMN_RES = tuple((role, re.compile(pattern)) for role, pattern in FUNDS_COLUMNS)
_UNIT_SUFFIX = re.compile(r"[（(](?:万元|元)[）)]")
FUNDS_ROWS: tuple[tuple[str, str], ...] = (
    ("total", r"年度资金总额|资金总额"),
    ("current", r"(?:其中[:：]?)?(?:当年|本年)财政拨款"),
    ("carryover", r"上年结转(?:资金)?"),
    ("other", r"其他资金"),
    ("basic", r"(?:其中[:：]?)?基本支出"),  # department-wide forms (Guizhou) split by kind of spending
    ("project_spending", r"项目支出"),
)
_FUNDS_ROW_RES = tuple((name, re.compile(pattern)) for name, pattern in FUNDS_ROWS)
SOURCE_METRICS = {"current": "funds_current_approp_yuan", "carryover": "funds_carryover_yuan", "other": "funds_other_yuan"}
# Spending rows of a department-wide form: what was spent (全年执行数) under each kind.
SPENDING_METRICS = {"basic": "exp_basic_yuan", "project_spending": "exp_project_yuan"}
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])")
_COUNT = re.compile(rf"({NUM})\s*(余|多)?\s*(人次|场次|人|名|位|户|家|个|场|次|件|项|所)")
_NAME_SUFFIX = re.compile(r"(?:项目)?(?:支出)?(?:绩效)?(?:自评表|自评报告|评价报告)$")


def _is_form_title(text: str) -> bool:
    if "自评表" not in text and "自 评 表" not in text:
        return False  # most cells: no squash needed
    t = squash(text)
    return len(t) <= 40 and bool(_FORM_TITLE.search(t)) and not t.startswith(_nav_links())


@lru_cache(maxsize=1)
def _nav_links() -> tuple[str, ...]:
    return tuple(lexicon.load("documents")["cover_title"]["nav_links"])


def _form_titles(blks: list[Block]) -> tuple[list[Block], list[TableCell]]:
    """(running-text blocks, table cells) that are a form title, in order; worked out once per
    block list (detect, _form_starts and _extract_form all ask)."""
    memo = toolkit.memo_of(blks)
    if memo is not None and "form_titles" in memo:
        return memo["form_titles"]
    texts = [b for b in blks if b.is_text and ("自评表" in b.text or "自 评 表" in b.text) and _is_form_title(b.text)]
    cells = [
        c for b in blks if not b.is_text
        for c in b.cells if ("自评表" in c.text or "自 评 表" in c.text) and _is_form_title(c.text)
    ]
    if memo is not None:
        memo["form_titles"] = (texts, cells)
    return texts, cells


def _funds_header(blks: list[Block]) -> tuple[int, dict[str, int]] | None:
    """(block index, column role -> cell index) of the 项目资金 grid header."""
    memo = toolkit.memo_of(blks)
    if memo is not None and "funds_header" in memo:
        found = memo["funds_header"]  # the same blocks were asked before (detect, then extract)
        return None if found is None else (found[0], dict(found[1]))
    found = _find_funds_header(blks)
    if memo is not None:
        memo["funds_header"] = found
    return None if found is None else (found[0], dict(found[1]))


def _find_funds_header(blks: list[Block]) -> tuple[int, dict[str, int]] | None:
    for k, b in enumerate(blks):
        if not any("预算" in c.text for c in b.cells):
            continue  # no 预算数 column: not the header (most blocks; keeps detection cheap)
        cols: dict[str, int] = {}
        for j, c in enumerate(b.cells):
            text = _UNIT_SUFFIX.sub("", c.text) if "元" in c.text else c.text
            for role, pattern in _FUNDS_COLUMN_RES:
                if role not in cols and pattern.fullmatch(text):
                    cols[role] = j
        if ("initial" in cols or "adjusted" in cols) and ("adjusted" in cols or "executed" in cols) and len(cols) >= 3:
            return k, cols
    return None


_CONTINUED = re.compile(r"[(（]续[)）]|续表")


def _form_starts(doc: Document, blks: list[Block]) -> list[int]:
    """0-based first lines of each form: its title, or failing that its 项目名称 row."""
    title_blocks, title_cells = _form_titles(blks)
    starts = [b.line - 1 for b in title_blocks]
    starts += [c.line - 1 for c in title_cells]
    if not starts:
        for b in blks:
            for j, c in enumerate(b.cells):
                if c.text == "项目名称":
                    value = next((x for x in b.cells[j + 1:] if x.text), None)
                    if value is not None and value.text not in ("备注", "序号", "项目名称"):
                        starts.append(c.line - 1)
    # The title repeated after a page break ("…自评表(续)", "续表") continues the form above.
    starts = sorted({s for s in starts if not _CONTINUED.search(doc.lines[s])})
    # A title with no form after it (a table of contents, a cover) does not start a form.
    kept = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(doc.lines)
        seg = toolkit.blocks(doc, s, e)
        if _funds_header(seg) is not None or any(h.is_goal_grid for h in indicator_grid.find_headers(seg)):
            kept.append(s)
    return kept


def _project_list(blks: list[Block]) -> list[TableCell]:
    """Names in the 项目清单 (序号 | 项目名称 | 备注) that precedes the forms."""
    for k, b in enumerate(blks):
        texts = [c.text for c in b.cells]
        if "序号" in texts and "项目名称" in texts:
            out = []
            for row in blks[k + 1:]:
                if row.is_text:
                    break
                # The name is the row's first cell that is not its number (readers trim or
                # keep the empty 备注 cell, so column positions are not reliable here).
                name = next((c for c in row.cells if c.text and not re.fullmatch(r"\d+", c.text)), None)
                if name is not None:
                    out.append(name)
            return out
    return []


def _components(doc: Document) -> tuple[bool, bool, bool, bool, bool]:
    """Whether each part of `detect`'s score can be there at all, from substring tests on the
    whitespace-free text (every cell and squashed line is a substring of it): (form title,
    项目资金 header, scored goal grid, goal grid, 项目名称 with 主管部门/实施单位 fields)."""
    text = toolkit.squashed_text(doc)
    title = "自评表" in text
    # A goal grid's header: 一级指标, 二级/三级指标, a target (…指标值/…目标值) and an actual
    # (…完成值/完成情况/实际值) column (indicator_grid.HEADER_ROLES); scored: a 分值/权重/得分 one.
    goal = (
        "一级指标" in text
        and ("二级指标" in text or "三级指标" in text)
        and ("指标值" in text or "目标值" in text)
        and ("完成值" in text or "完成情况" in text or "实际值" in text)
    )
    scored = goal and ("分值" in text or "权重" in text or "得分" in text)
    # Funds columns are read with the unit suffix "(万元)" cut out, so they are looked for in the
    # text with it cut out the same way (which keeps every such cell a substring).
    bare = _UNIT_SUFFIX.sub("", text) if "元" in text else text
    funds = "预算" in bare and ("全年预算" in bare or "执行数" in bare or "全年执行" in bare)
    fields = "项目名称" in text and ("主管部门" in text or "实施单位" in text)
    return title, funds, scored, goal, fields


def score_bound(doc: Document) -> float:
    """At least `detect(doc)`: its sum over the parts that can be there (same terms, same order)."""
    title, funds, scored, goal, fields = _components(doc)
    score = 0.0
    if title:
        score += 0.3
    if funds:
        score += 0.35
    if scored:
        score += 0.3
    elif goal:
        score += 0.05
    if fields:
        score += 0.05
    return min(score, 1.0)


def might_claim(doc: Document) -> bool:
    """False only when `detect` scores below 0.5 for certain, from a few substring tests on the
    whitespace-free text instead of the table blocks. A score of 0.5 needs two of: the form
    title (自评表), the 项目资金 header (a 预算数 column and a 全年预算数 or 执行数 column), the
    scored indicator grid (一级指标 and a 分值/权重/得分 column); the rest adds at most 0.1.
    Funds columns are read with the unit suffix "(万元)" cut out, so they are looked for in
    the text with it cut out the same way (which keeps every such cell a substring)."""
    title, funds, scored, _, _ = _components(doc)
    return title + funds + scored >= 2


def detect(doc: Document) -> float:
    """Two of three: the form title, the 项目资金 grid, an indicator grid with 分值/得分."""
    blks = toolkit.blocks(doc)
    score = 0.0
    if any(_form_titles(blks)):  # a text block or a cell that is the form title
        score += 0.3
    if _funds_header(blks) is not None:
        score += 0.35
    grids = [h for h in indicator_grid.find_headers(blks) if h.is_goal_grid]
    if any(h.has_scores for h in grids):
        score += 0.3
    elif grids:
        score += 0.05
    if toolkit.field_value(blks, "项目名称") and toolkit.field_value(blks, "主管部门|实施单位"):
        score += 0.05
    return min(score, 1.0)


def extract(doc: Document) -> list[Evaluation]:
    all_blks = toolkit.blocks(doc)
    starts = _form_starts(doc, all_blks)
    if not starts:
        return []
    bounds = list(zip(starts, starts[1:] + [len(doc.lines)]))
    listed = _project_list(toolkit.blocks(doc, 0, starts[0]))
    out = []
    for k, (s, e) in enumerate(bounds):
        ev = _extract_form(doc, s, e, listed[k] if len(listed) == len(bounds) else None)
        # Lines before the first form (the 项目清单) belong to the first evaluation.
        toolkit.flag_layout_artifacts(ev, doc, 0 if k == 0 else s, e)
        toolkit.flag_dates_without_year(ev, doc, 0 if k == 0 else s, e)
        out.append(ev)
    return out


def _extract_form(doc: Document, start: int, end: int, listed: TableCell | None) -> Evaluation:
    blks = toolkit.blocks(doc, start, end)
    fiscal_year = toolkit.find_fiscal_year(doc, start, end) or toolkit.find_fiscal_year(doc)
    project = toolkit.field_value(blks, "项目名称")
    if project is not None and (role_of(project.raw, "money") or role_of(project.raw, "indicator")):
        project = None  # the 项目名称 column of a table of projects, a header cell beside it
    supervisor = toolkit.field_value(blks, "主管部门")
    implementer = toolkit.field_value(blks, "实施单位")
    unit_cell = implementer or supervisor  # the evaluated unit is the one that carries the project out
    # (a budget code before the unit's name, "630001-共青团…", is not part of the name)
    unit_hit = (_UNIT_CODE.sub("", unit_cell.raw), unit_cell.line) if unit_cell else toolkit.find_unit_name(doc)
    unit = toolkit.resolve(doc, unit_hit[0], unit_hit[1], fiscal_year) if unit_hit else Unit(name=None)
    title_blocks, title_cells = _form_titles(blks)
    titles = [b.text for b in title_blocks]
    titles += [c.text for c in title_cells]
    kind = "department_overall" if any(_DEPT_TITLE.search(squash(t)) for t in titles) else "project"
    if kind == "department_overall":
        project = None
    ev = Evaluation(
        unit=unit,
        fiscal_year=fiscal_year,
        report_kind=kind,
        report_kind_declared=kind if title_blocks else None,
        project_name=_PROJECT_CODE.sub("", project.raw) if project else None,
        evaluation_mode="self",
        # In a 单位自评 the implementing unit fills in and scores its own form ("我单位…安排专人
        # 负责绩效评价工作"), so the 实施单位 is the evaluator; None when the form names none.
        evaluator=implementer.raw if implementer else None,
        framework=FRAMEWORK,
    )

    execution = _read_funds(doc, blks, ev)
    grids = [h for h in indicator_grid.find_headers(blks) if h.is_goal_grid]
    template_rows = []
    if grids:
        grid = indicator_grid.read_grid(blks, grids[0])
        ev.indicators, template_rows = indicator_grid.indicators_from(grid, "score")
    if execution is not None:
        ev.indicators.insert(0, execution)
    ev.satisfaction = indicator_grid.satisfaction_from(ev.indicators)

    table_total = toolkit.score_from_cells(blks)
    text_total = toolkit.score_from_text(blks)
    if table_total is not None:
        ev.total_score = table_total[0]
    elif text_total is not None:
        ev.total_score = text_total[0]
    if table_total is not None and text_total is not None and table_total[0] != text_total[0]:
        ev.flag(
            "narrative_table_score_mismatch",
            f"正文“{text_total[1]}”，表中总分 {table_total[0]}",
            text_total[2],
        )
    grade = toolkit.find_grade(doc, blks)
    if grade is not None:
        ev.grade_raw, ev.grade = grade[0], grade[1]
    toolkit.find_metrics(doc, [b for b in blks if b.is_text], ev)
    ev.findings = toolkit.find_findings(doc, start, end)

    if unit_hit:
        toolkit.flag_region(ev, doc)
    indicator_grid.check_grid(ev, template_rows)
    _check_breakdowns(ev, blks)
    _check_narrative_units(ev, blks)
    _check_project_names(ev, project, listed, blks)
    return ev


def _money_cell(cell: TableCell | None) -> tuple[str, Decimal] | None:
    if cell is None or is_na(cell.text):
        return None
    m = _NUM_CELL.fullmatch(cell.text)
    return (cell.raw, clean(dec(m.group(1)))) if m else None


_NUM_CELL = re.compile(rf"({NUM})")


def _read_funds(doc: Document, blks: list[Block], ev: Evaluation) -> Indicator | None:
    """Set the money metrics from the 项目资金 grid; return its 预算执行率 row as an indicator."""
    found = _funds_header(blks)
    if found is None:
        return None
    k, cols = found
    header = blks[k]
    nxt = blks[k + 1] if k + 1 < len(blks) else None
    unit = toolkit.declared_unit(doc, header.line, header, nxt)
    execution = None
    rows: dict[str, dict[str, TableCell]] = {}
    for b in blks[k + 1:]:
        if b.is_text and toolkit.UNIT_ONLY.fullmatch(squash(b.text)):
            continue  # the "（万元）" row, read by some converters as a paragraph
        if b.is_text or any(c.text.startswith(("年度总体目标", "一级指标", "绩效指标")) for c in b.cells):
            break
        label = next(
            (name for c in b.cells for name, pattern in _FUNDS_ROW_RES if pattern.fullmatch(c.text)),
            None,
        )
        if label is None or label in rows:
            continue
        offset = len(b.cells) - len(header.cells)
        rows[label] = {
            role: b.cells[j + offset] for role, j in cols.items() if 0 <= j + offset < len(b.cells)
        }

    if unit is None and rows:
        ev.flag("unit_missing", "项目资金表没有写金额单位（万元或元），金额未读取", header.line)
    note = f"金额单位取自表头（{unit}）"
    total = rows.get("total", {})
    if unit is not None:
        for role, metric in (("initial", "budget_initial_yuan"), ("adjusted", "budget_adjusted_yuan"), ("executed", "expenditure_yuan")):
            got = _money_cell(total.get(role))
            if got:
                ev.set_metric(metric, toolkit.to_yuan(got[1], unit), got[0], total[role].line, note=note)
        for label, metric in SOURCE_METRICS.items():
            row = rows.get(label, {})
            # A funding source's amount is its budget: 全年预算数, else 年初预算数.
            cell = next((row[r] for r in ("adjusted", "initial") if _money_cell(row.get(r))), None)
            if cell is not None:
                ev.set_metric(metric, toolkit.to_yuan(_money_cell(cell)[1], unit), cell.raw, cell.line, note=note)
        for label, metric in SPENDING_METRICS.items():
            got = _money_cell(rows.get(label, {}).get("executed"))
            if got:
                cell = rows[label]["executed"]
                ev.set_metric(metric, toolkit.to_yuan(got[1], unit), cell.raw, cell.line, note=note)

    rate_cell = total.get("rate")
    rate = None
    if rate_cell is not None and not is_na(rate_cell.text):
        rate = pct(rate_cell.text)
        if rate is None:
            # a bare figure: percentage points, or a fraction ("0.9612", ≤ 1.5 with decimals) read
            # the same way as the general table reader does
            rate = percent(rate_cell.text) if "." in rate_cell.text else toolkit.cell_number(rate_cell)
        ev.set_metric("budget_exec_pct", rate, rate_cell.raw, rate_cell.line)
    weight, score = toolkit.cell_number(total.get("weight")), toolkit.cell_number(total.get("score"))
    if rate is not None or weight is not None or score is not None:
        actual_raw = rate_cell.raw if rate is not None else None
        execution = Indicator(
            level1="预算执行率",
            level2=None,
            level3=None,
            dimension=dimension_of("预算执行率"),
            weight=weight,
            score=score,
            actual_raw=actual_raw,
            actual=parse_value(actual_raw),
            line=(rate_cell or total.get("weight") or total.get("score")).line,
            level=3,
            table="score",
        )

    m = ev.metrics
    base = m.get("budget_adjusted_yuan") or m.get("budget_initial_yuan")
    if rate is not None and base is not None and "expenditure_yuan" in m:
        recomputed = ratio_pct(m["expenditure_yuan"].value, base.value, 2)
        if recomputed is not None and abs(recomputed - rate) > 0.01:
            ev.flag(
                "rate_recompute_mismatch",
                f"执行率印作 {rate_cell.raw}，按全年执行数 {m['expenditure_yuan'].raw} ÷ {base.raw} 复算为 {recomputed}%",
                rate_cell.line,
            )
    parts = [m[x] for x in SOURCE_METRICS.values() if x in m]
    if base is not None and "funds_current_approp_yuan" in m and sum(p.value for p in parts) != base.value:
        ev.flag(
            "sum_mismatch",
            f"年度资金总额 {base.raw} ≠ 各资金来源之和 {' + '.join(p.raw for p in parts)}",
            base.line,
        )
    return execution


_QIZHONG = re.compile(r"其中[:：]?")


def _check_breakdowns(ev: Evaluation, blks: list[Block]) -> None:
    """"…资金64万元。其中：A 60万元，B 4万元" — the parts must add up to the amount before 其中."""
    for b in (x for x in blks if x.is_text):
        if "其" not in b.text:
            continue
        text = b.text.replace(" ", "")
        if "其中" not in text:
            continue
        for m in _QIZHONG.finditer(text):
            before = toolkit.money_mentions(text[: m.start()], b.line)
            clause = re.split(r"[。；;]", text[m.end():])[0]
            parts = toolkit.money_mentions(clause, b.line)
            if not before or len(parts) < 2 or any(p.approx for p in parts):
                continue
            whole = before[-1]
            total = sum(p.yuan for p in parts)
            if total != whole.yuan:
                ev.flag(
                    "sum_mismatch",
                    f"“{whole.subject[-10:]}{whole.raw}”，其中 {' + '.join(p.raw for p in parts)} = {wan(total)} 万元，"
                    f"相差 {wan(abs(total - whole.yuan))} 万元",
                    b.line,
                )


def _check_narrative_units(ev: Evaluation, blks: list[Block]) -> None:
    """Counts in the narrative's 产出 section in other units than the grid's 数量 indicators
    (seed 002: 困难职工人数 ≥500人, but the narrative counts 700余次 and 20余家)."""
    quantity = [
        i
        for i in ev.indicators
        if "数量" in (i.level2 or "")
        and i.target is not None
        and not i.target.is_qualitative
        and i.target.unit in indicator_grid.COUNT_UNITS
    ]
    if not quantity:
        return
    counts: list[tuple[str, str, int]] = []
    in_output = False
    for b in (x for x in blks if x.is_text):
        if _HEADING.match(b.text) and len(b.text) <= 30:
            in_output = "产出" in b.text
            continue
        if in_output:
            for m in _COUNT.finditer(b.text.replace(" ", "")):
                counts.append((m.group(0), parse_value(m.group(0)).unit, b.line))
    for ind in quantity:
        if counts and all(unit != ind.target.unit for _, unit, _ in counts):
            ev.flag(
                "unit_mismatch_narrative",
                f"数量指标“{ind.level3}”以“{ind.target.unit_raw}”计（{ind.target_raw}），"
                f"正文产出情况写的是 {'、'.join(raw for raw, _, _ in counts)}，计量单位不同",
                counts[0][2],
            )


def _core_name(name: str) -> str:
    core = _NAME_SUFFIX.sub("", squash(name))
    return _PROJECT_END.sub("", core)


_PROJECT_END = re.compile(r"项目$")
_REPORT_TITLE_END = re.compile(r"(?:自评|评价)报告$")


def _check_project_names(ev: Evaluation, project: TableCell | None, listed: TableCell | None, blks: list[Block]) -> None:
    """The form's 项目名称 against the 项目清单 entry and the narrative report's title."""
    if project is None:
        return
    variants: list[tuple[str, str, int]] = []
    if listed is not None:
        variants.append(("项目清单", listed.raw, listed.line))
    for b in (x for x in blks if x.is_text):
        if "项" not in b.text or "告" not in b.text:
            continue  # no 项目…报告 title (spaces aside): most paragraphs, without squashing them
        t = squash(b.text)
        if len(t) <= 40 and "项目" in t and _REPORT_TITLE_END.search(t):
            variants.append(("报告标题", b.text.strip(), b.line))
    for where, raw, line in variants:
        if _core_name(raw) != _core_name(project.raw):
            ev.flag(
                "project_name_varies",
                f"项目名称前后不一致：自评表写“{project.raw}”，{where}写“{raw}”",
                line,
            )
