"""部门整体支出绩效自评表: the department-level self-evaluation form, in two provincial forms.

- anhui (realdev family N, 043): 部门 / 预算资金(万元) with 年初预算数 / 全年预算数 / 全年执行数 / 分值 /
  执行率 / 得分; rows 年度资金总额, 其中:当年财政拨款, 上年结转资金, 其他资金; 年度总体目标; the
  indicator grid 一级 / 二级 / 三级指标 / 年度指标值 / 实际完成值 / 分值 / 得分 / 偏差原因分析及改进措施;
  总分 (the department-level twin of the national project form);
- guangdong (realdev family J, 017, 028): 单位基本情况 / 单位名称, 年度整体绩效目标 beside 未能完成原因,
  整体绩效目标完成情况 with 按资金来源 (合计, 财政拨款, 其他资金) and 按支出类型 (基本支出, 项目支出)
  rows of 全年预算数 / 全年执行数 / 执行率, then the indicator grid and 自评总分 / 自评等级. As real
  pages carry it, it is mostly PDF text with interleaved columns (layout pdf_columns), often
  flattened onto one line.

Indicator rows come from the department's projects (or the union's portfolio).
"""

from __future__ import annotations

from decimal import Decimal

from loaders.demo.catalog import Project
from loaders.demo.common import (
    MARKER_LINE, Ctx, Evaluation, band, better_band, expect, indicator, new_evaluation, plain, satisfaction,
    set_grade, wan,
)
from loaders.demo.departments import project_of
from loaders.demo.t_project_form import _Form
from loaders.demo.t_prose import dept_projects
from loaders.demo.textdoc import TextDoc, num, q, ratio_pct

FAMILY = "dept_self_table"
VARIANTS = ("anhui", "guangdong")

INJECTIONS: dict[str, tuple[str, ...]] = {
    "total_sum": ("total_sum_mismatch",),
    "grade_band": ("grade_band_mismatch",),
}
EXCLUSIVE = ({"total_sum", "grade_band"},)

GOALS = ("1.{a}；2.{b}；3.加强预算绩效管理，规范资金使用；4.完成{k}委{k}政府交办的重点工作任务。")


def applicable(project_keys: tuple[str, ...]) -> list[str]:
    return list(INJECTIONS)


def _department_project(ctx: Ctx) -> Project:
    """The department's year as one 'project' for the indicator grid: its projects' indicators,
    its budget (万元, around the year's department budget)."""
    keys = dept_projects(ctx)[:3]
    projects = [project_of(k) for k in keys]
    b = float(ctx.uy.budget_wan) / 1.03 ** (ctx.year - 2015)
    return Project(
        key=f"dept-{ctx.unit.key}",
        name="部门整体支出",
        purpose="；".join(p.purpose for p in projects),
        budget_range=(max(1, int(b * 0.97)), int(b * 1.03) + 1),
        quantity=tuple(p.quantity[0] for p in projects),
        quality=tuple(x for p in projects for x in p.quality),
        social=tuple(x for p in projects for x in p.social),
        sustain=tuple(x for p in projects for x in p.sustain),
    )


def render(ctx: Ctx) -> tuple[TextDoc, list[Evaluation]]:
    doc = TextDoc()
    doc.add(MARKER_LINE)
    form = _Form(ctx, f"dept-{ctx.unit.key}", set(), project=_department_project(ctx))
    if (ctx.variant or "anhui") == "guangdong":
        ev = _guangdong(doc, ctx, form)
    else:
        ev = _anhui(doc, ctx, form)
    return doc, [ev]


def _goals(ctx: Ctx, form: _Form) -> tuple[str, str]:
    p = form.project
    names = [q_[0] for q_ in p.quantity]
    goal = GOALS.format(a=f"完成{names[0]}等年度任务", b=p.purpose.split("；")[0].split("用于")[-1], k=ctx.place.kind_char)
    return goal, "已按预期目标完成年度总体目标，" + "，".join(f"{r['l3']}{r['actual']}" for r in form.rows if r["kind"] == "qty") + "。"


def _indicator_rows(doc: TextDoc, ctx: Ctx, ev: Evaluation, form: _Form, layout: str, score_head: str, lead: bool) -> tuple[Decimal, Decimal]:
    """The indicator grid; returns (sum of weights, sum of scores)."""
    head = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", score_head, "偏差原因分析及改进措施"]
    doc.row(head if lead else head[1:-1], layout)
    cur1 = cur2 = None
    weights = scores = Decimal(0)
    first_sat = None
    for r in form.rows:
        cur1 = r["l1"] or cur1
        cur2 = r["l2"] or cur2
        cells = [r["l1"], r["l2"], r["l3"], r["target"], r["actual"], str(r["weight"]), num(r["score"])]
        cells = ["", *cells, r["note"]] if lead else cells
        lines = doc.row(cells, layout)
        at = (lambda i: lines[i + 1]) if lead else (lambda i: lines[i])
        ev.indicators.append(indicator(cur1, cur2, r["l3"], weight=r["weight"], score=r["score"], target_raw=r["target"],
                                       actual_raw=r["actual"], line=at(2)))
        weights += Decimal(r["weight"])
        scores += r["score"]
        if r["kind"] == "sat":
            pct = Decimal(r["actual"].rstrip("%"))
            ev.satisfaction.append(satisfaction(r["l3"].split("：", 1)[-1], pct, r["weight"], r["score"], at(4), r["actual"]))
            if first_sat is None:
                first_sat = (pct, r["actual"], at(4))
    if first_sat:
        plain(ev, "satisfaction_pct", *first_sat)
    return weights, scores


def _total(ctx: Ctx, form: _Form, scores: Decimal, inj: set[str]) -> tuple[Decimal, str, str]:
    rng = form.rng
    total = scores
    if "total_sum" in inj:
        total = min(Decimal(100), scores + Decimal(rng.choice((1, 2, 3, -1, -2))))
        if total == scores:
            total = scores - 2
    grade = band(total)
    raw = better_band(grade) if "grade_band" in inj else grade
    return total, raw, grade


def _anhui(doc: TextDoc, ctx: Ctx, form: _Form) -> Evaluation:
    rng, layout, place, year, unit = form.rng, ctx.layout, ctx.place, ctx.year, ctx.unit
    inj = set(ctx.injections)
    doc.row(["部门整体支出绩效自评表"], layout)
    doc.row([f"（{year}年度）"], layout)
    unit_line = doc.row(["部门", unit.name], layout)[1]
    ev = new_evaluation(place, year, "department_overall", unit_line=unit_line, unit_name=unit.name, mode="self")
    doc.row(["预算资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], layout)
    rate = ratio_pct(form.expenditure, form.adjusted, 2)
    exec_score = q(Decimal(10) * min(rate, Decimal(100)) / 100, 2)
    over = rate > 100
    score_cell = "" if over and rng.random() < 0.5 else num(exec_score)  # realdev 043 leaves it empty
    cells = doc.row(["年度资金总额", num(form.initial), num(form.adjusted), num(form.expenditure), "10", f"{num(rate)}%", score_cell], layout)
    wan(ev, "budget_initial_yuan", form.initial, num(form.initial), cells[1])
    wan(ev, "budget_adjusted_yuan", form.adjusted, num(form.adjusted), cells[2])
    wan(ev, "expenditure_yuan", form.expenditure, num(form.expenditure), cells[3])
    plain(ev, "budget_exec_pct", rate, f"{num(rate)}%", cells[5])
    # The funds row scores the execution rate (its 分值 10); when the 得分 cell is left empty the
    # row still weighs 10, it only states no score.
    ev.indicators.append(indicator("预算执行率", None, None, weight=10, score=exec_score if score_cell else None,
                                   line=cells[6] if score_cell else cells[4]))
    cells = doc.row(["其中：当年财政拨款", num(form.initial), num(form.adjusted), num(form.expenditure), "—", f"{num(rate)}%", "—"], layout)
    wan(ev, "funds_current_approp_yuan", form.adjusted, num(form.adjusted), cells[2])
    doc.row(["上年结转资金", "—", "—", "—", "—", "", "—"], layout)
    doc.row(["其他资金", "—", "—", "—", "—", "", "—"], layout)
    goal, done = _goals(ctx, form)
    doc.row(["年度总体目标", "预期目标", "实际完成情况"], layout)
    doc.row(["", goal, done], layout)
    weights, scores = _indicator_rows(doc, ctx, ev, form, layout, "得分", lead=True)
    total, raw, grade = _total(ctx, form, scores + (exec_score if score_cell else 0), inj)
    cells = doc.row(["总分", "100", num(total), ""], layout)
    if rng.random() < 0.5 or "grade_band" in inj:
        g_cells = doc.row(["评价等级", raw], layout)
        set_grade(ev, total, raw, raw)
        if "grade_band" in inj:
            expect(ev, "grade_band_mismatch", f"总分 {num(total)} 对应“{grade}”，表中评为“{raw}”", g_cells[1])
    else:
        ev.total_score = total
    if "total_sum" in inj:
        expect(ev, "total_sum_mismatch", f"各指标得分之和 {num(scores + (exec_score if score_cell else 0))} ≠ 总分 {num(total)}", cells[2])
    doc.blank(2)
    doc.add(f"填报单位（盖章）：{unit.name}    填报日期：{year + 1}年{rng.randint(2, 6)}月{rng.randint(1, 28)}日")
    return ev


def _guangdong(doc: TextDoc, ctx: Ctx, form: _Form) -> Evaluation:
    rng, layout, place, year, unit = form.rng, ctx.layout, ctx.place, ctx.year, ctx.unit
    inj = set(ctx.injections)
    doc.add(f"附件{rng.randint(1, 4)}：{year}年度{unit.name}部门整体支出绩效自评表.pdf")
    start = doc.next_line
    doc.row(["部门整体支出绩效自评表", f"（{year}年度）"], layout)
    unit_line = doc.row(["单位基本情况", "单位名称", unit.name], layout)[2]
    ev = new_evaluation(place, year, "department_overall", unit_line=unit_line, unit_name=unit.name, mode="self")
    goal, _ = _goals(ctx, form)
    reason = rng.choice(("因项目审批流程较长，部分资金未能在年内支付。", "因受天气影响，部分工程进度滞后。",
                         "部分活动因上级安排调整延期举办。", "无"))
    doc.row(["年度整体绩效目标", goal, "未能完成原因", reason], layout)
    doc.row(["整体绩效目标完成情况", "按资金来源", "年度部门整体支出规模", "全年预算数", "全年执行数", "执行率"], layout)
    rate = ratio_pct(form.expenditure, form.adjusted, 2)
    cells = doc.row(["", "", "合计", num(form.adjusted), num(form.expenditure), f"{num(rate)}%"], layout)
    wan(ev, "budget_adjusted_yuan", form.adjusted, num(form.adjusted), cells[3])
    wan(ev, "expenditure_yuan", form.expenditure, num(form.expenditure), cells[4])
    plain(ev, "budget_exec_pct", rate, f"{num(rate)}%", cells[5])
    doc.row(["", "", "财政拨款", num(form.adjusted), num(form.expenditure), f"{num(rate)}%"], layout)
    doc.row(["", "", "其他资金", "0", "0", "0"], layout)
    project_budget = q(form.adjusted * Decimal(str(rng.uniform(0.15, 0.5))), 2)
    basic_budget = form.adjusted - project_budget
    basic_spent = min(basic_budget, q(basic_budget * Decimal(str(rng.uniform(0.97, 1.0))), 2))
    project_spent = form.expenditure - basic_spent
    if project_spent < 0:
        basic_spent, project_spent = form.expenditure, Decimal(0)
    cells = doc.row(["", "按支出类型", "基本支出", num(basic_budget), num(basic_spent), f"{num(ratio_pct(basic_spent, basic_budget, 2))}%"], layout)
    wan(ev, "exp_basic_yuan", basic_spent, num(basic_spent), cells[4])
    p_rate = ratio_pct(project_spent, project_budget, 2)
    cells = doc.row(["", "", "项目支出", num(project_budget), num(project_spent), f"{num(p_rate)}%"], layout)
    wan(ev, "exp_project_yuan", project_spent, num(project_spent), cells[4])
    weights, scores = _indicator_rows(doc, ctx, ev, form, layout, "自评得分", lead=False)
    exec_score = q(Decimal(10) * min(rate, Decimal(100)) / 100, 2)
    cells = doc.row(["预算执行", "预算执行率", "100%", f"{num(rate)}%", "10", num(exec_score)], layout)
    ev.indicators.append(indicator("预算执行", None, "预算执行率", weight=10, score=exec_score, target_raw="100%",
                                   actual_raw=f"{num(rate)}%", line=cells[1]))
    total, raw, grade = _total(ctx, form, scores + exec_score, inj)
    t_cells = doc.row(["自评总分", num(total)], layout)
    g_cells = doc.row(["自评等级", raw], layout)
    set_grade(ev, total, raw, raw)
    if "grade_band" in inj:
        expect(ev, "grade_band_mismatch", f"总分 {num(total)} 对应“{grade}”，表中评为“{raw}”", g_cells[1])
    if "total_sum" in inj:
        expect(ev, "total_sum_mismatch", f"各指标得分之和 {num(scores + exec_score)} ≠ 总分 {num(total)}", t_cells[1])
    if layout == "pdf_columns" and rng.random() < 0.5:
        _one_line(doc, ev, start)  # the whole table as one extracted line (realdev 017, 028)
    return ev


def _one_line(doc: TextDoc, ev: Evaluation, start: int) -> None:
    """Join every line from `start` on into one (PDF text a crawler flattened)."""
    head, tail = doc.lines[: start - 1], doc.lines[start - 1:]
    doc.lines = head + [" ".join(t for t in tail if t.strip())]
    ev.move_lines(lambda n: n if n < start else start)
