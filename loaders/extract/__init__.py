"""The extraction core: every document goes through every strategy; the resolver decides.

    lines ─► textnorm ─► Context ─► segments (one part per form when a file holds several)
      part ─► strategies (cover, labels, grid, glued, indicator totals, prose) ─► candidates
           └► indicator tables (indicators, glued)                           ─► indicator rows
      candidates ─► resolve (strongest rank; agree → value; disagree → absent + flag)
                 ─► Evaluation with its place (regions), satisfaction and document kind

No template is guessed first: a template family (loaders/families) may still read a document it
knows, and its reading is merged with this one by `loaders.parse`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from loaders.extract import cover, glued, grid, indicators, kinds, labels, prose, rubric, segments, sheets
from loaders.extract.base import Candidate, Context, make_context
from loaders.extract.resolve import resolve
from loaders.normalize import grade_of
from loaders.records import METRIC_UNITS, Evaluation, Unit
from loaders.regions import as_written, resolve_unit
from loaders.satisfaction import satisfaction_from

NAME = "general"  # source.family of a document no template family recognised

STRATEGIES = (cover.read, labels.read, grid.read, glued.read, indicators.totals, prose.read, sheets.read)


def candidates(ctx: Context) -> list[Candidate]:
    """Every strategy's candidates. A strategy that fails on an input it was not written for
    gives none, and says so (ctx.notes → a strategy_error flag): the others still read."""
    out: list[Candidate] = []
    for strategy in STRATEGIES:
        try:
            out += strategy(ctx)
        except Exception as e:  # noqa: BLE001 (untrusted input: one strategy must not stop the rest)
            ctx.notes.append(f"{strategy.__module__.rsplit('.', 1)[-1]}: {type(e).__name__}: {e}")
    return out


_INHERITED = ("fiscal_year", "report_kind", "evaluation_mode", "evaluator", "report_date")


def run(raw_lines: list[str], name: str = "") -> list[Evaluation]:
    """Every evaluation the text holds, read by the general strategies: one per form when the
    text holds several forms (loaders.extract.segments), else one."""
    ctx = make_context(raw_lines, name)
    parts = segments.split(ctx)
    if len(parts) < 2:
        whole = evaluation_of(ctx, candidates(ctx))
        return [whole] + _projects_of(ctx, whole)
    # what the whole text says once for all its forms (the year, the unit, the kind of
    # evaluation): its cover, read once
    whole, _ = resolve(cover.read(ctx))
    out = []
    for part in parts:
        ev = evaluation_of(part, candidates(part))
        for field in _INHERITED:
            if getattr(ev, field) is None and field in whole:
                setattr(ev, field, whole[field].value)
        if ev.unit.name is None and "unit_name" in whole:
            u = whole["unit_name"]
            ev.unit = resolve_unit(u.value, ctx.text[:20000], ev.fiscal_year, u.line)
        out.append(ev)
    return out


def _projects_of(ctx: Context, whole: Evaluation) -> list[Evaluation]:
    """A report on several projects also gives one evaluation per project whose paragraph states
    its own figures ("1.困难职工帮扶资金。该项目财政拨入资金40万元,…支出38.6万元"), beside the report's
    own evaluation; unit, year and mode are the report's."""
    items = [(project, line, line) for project, line in prose.project_items(ctx)]
    if len(items) < 2:
        # or numbered headings naming one project each, its paragraphs under them
        # ("一、侨界困难群众帮扶资金项目" / "(二)资金情况。该项目年初预算数8.00万元…")
        items = prose.project_sections(ctx)
    if len(items) < 2:
        return []
    out = []
    for project, line, last in items:
        cands = [c for n in range(line, last + 1) for c in prose.read_line(ctx, n)]
        fields, _ = resolve(cands)
        metrics = {k: r for k, r in fields.items() if k in METRIC_UNITS and isinstance(r.value, Decimal)}
        if not metrics:
            continue
        ev = Evaluation(unit=whole.unit, fiscal_year=whole.fiscal_year, report_kind="project", project_name=project)
        ev.evaluation_mode, ev.evaluator, ev.report_date = whole.evaluation_mode, whole.evaluator, whole.report_date
        ev.confidence, ev.document_kind = "low", whole.document_kind
        for k, r in metrics.items():
            ev.set_metric(k, r.value, r.raw, r.line)
        if last > line:  # a section: its own conclusion, and the unit's staffing stated once for all
            score = fields.get("total_score")
            if score is not None and isinstance(score.value, Decimal):
                ev.total_score = score.value
            grade = fields.get("grade_raw")
            if grade is not None:
                ev.grade_raw, ev.grade = grade.value, grade_of(grade.value)
            for k in ("headcount_authorised", "headcount_actual"):
                m = whole.metrics.get(k)
                if m is not None and k not in ev.metrics:
                    ev.set_metric(k, m.value, m.raw, m.line)
        ev.flag("project_of_report", f"本记录是多项目报告中的项目“{project}”（第{line}行）；整份报告另有一条记录，其金额已含本项目", line)
        out.append(ev)
    return out


_PLACE = re.compile(r"[\u4e00-\u9fff]{2,7}?(?:自治县|自治州|县|区|市|旗|州)")


def _region_from_other_units(ctx: Context, cands: list[Candidate], unit, year):
    """A unit named without its place (村镇建设股, 昙华乡人民政府) takes the region of the other
    units the text names for it (its 主管部门, the department on the title), when those all
    resolve to the same place."""
    places = {}
    for c in cands:
        if c.field != "unit_name" or c.value == unit.name:
            continue
        other = resolve_unit(c.value, ctx.text[:20000], year, c.line)
        if other.admin_code:
            places[other.admin_code] = other
    if not places:
        # no other unit named: the places the opening lines mention ("大姚县昙华乡…"), when they
        # are all one county or city
        head = "".join(ctx.lines[:40])
        for m in _PLACE.finditer(head):
            other = resolve_unit(m.group(0), "", year)
            if other.admin_code and other.geo_method:
                places[other.admin_code] = other
        codes = set(places)
        # a city and a county inside it are one place: keep the most specific
        for code in list(codes):
            if any(c != code and c.startswith(code.rstrip("0")) for c in codes):
                places.pop(code, None)
    if len(places) != 1:
        return unit
    other = next(iter(places.values()))
    unit.province, unit.city, unit.county, unit.admin_code = other.province, other.city, other.county, other.admin_code
    unit.geo_method = "doc_hint"
    return unit


def evaluation_of(ctx: Context, cands: list[Candidate]) -> Evaluation:
    # what a strategy says about the document rather than a reading of a field (a table whose
    # amounts were left unread for want of a unit): a quality flag
    said = [c for c in cands if c.field == "quality_flag"]
    cands = [c for c in cands if c.field != "quality_flag"]
    fields, conflicts = resolve(cands)
    year_r = fields.get("fiscal_year")
    if year_r is not None and any(c.year is not None and c.year != year_r.value for c in cands):
        # figures a sentence gives for another year (last year's spending, next year's budget)
        # are not readings of this report's fields
        cands = [c for c in cands if c.year is None or c.year == year_r.value]
        fields, conflicts = resolve(cands)
    if any(c.scope == "project" for c in cands):
        # figures stated of one project in a text naming several are the report's own only when
        # the report is on one project (its title or form names it)
        kind_r, project_r = fields.get("report_kind"), fields.get("project_name")
        if not (kind_r is not None and kind_r.value == "project" and project_r is not None and project_r.rank <= 2):
            cands = [c for c in cands if c.scope != "project"]
            fields, conflicts = resolve(cands)

    def val(name):
        r = fields.get(name)
        return r.value if r else None

    year = val("fiscal_year")
    unit_r = fields.get("unit_name")
    unit = resolve_unit(unit_r.value, ctx.text[:20000], year, unit_r.line) if unit_r else Unit(name=None)
    if unit.name and not (unit.province or unit.city or unit.county):
        unit = _region_from_other_units(ctx, cands, unit, year)
    unit = as_written(unit, ctx.text, year)
    ev = Evaluation(unit=unit, fiscal_year=year, report_kind=val("report_kind"))
    ev.project_name = val("project_name")
    ev.evaluation_mode = val("evaluation_mode")
    ev.evaluator = val("evaluator")
    ev.report_date = val("report_date")
    ev.confidence = "low"
    total = fields.get("total_score")
    if total is not None:
        ev.total_score = total.value
    grade = fields.get("grade_raw")
    if grade is not None:
        ev.grade_raw = grade.value
        ev.grade = grade_of(grade.value)
    for name, r in fields.items():
        if name in METRIC_UNITS and isinstance(r.value, Decimal):
            ev.set_metric(name, r.value, r.raw, r.line)
    try:
        ev.indicators = indicators.read(ctx) or glued.indicators(ctx) or indicators.sentences(ctx)
        rubric.apply(ev, rubric.read(ctx))  # a rubric whose labels carry the weights, if any
    except Exception as e:  # noqa: BLE001 (as in candidates)
        ctx.notes.append(f"indicators: {type(e).__name__}: {e}")
    for c in said:
        ev.flag(c.value, c.note, c.line)
    for note in ctx.notes:
        ev.flag("strategy_error", f"一个读取策略出错，已跳过（其余策略照常读取）：{note}")
    ev.satisfaction = satisfaction_from(ev.indicators)
    for c in conflicts:
        ev.flag("candidates_disagree", c.message(), c.readings[0].line)
    # which fields were left absent because readings disagreed (not serialised): a template
    # family that read such a field itself makes the flag moot
    ev.__dict__["conflicts"] = {c.field: (c.message(), c.readings[0].line) for c in conflicts}
    ev.__dict__["ranks"] = {name: r.rank for name, r in fields.items()}
    ev.document_kind = kinds.classify(ctx, fields, ev)
    return ev
