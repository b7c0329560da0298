"""Prose evaluation reports (realdev family C): no table, every figure inside a sentence.

Four variants (ctx.variant), each written by the union or by another department:

- project_self: one project's 项目支出绩效自评报告 (realdev 038, 041, 013): money in one of four
  wordings (年初预算资金 / 全年预算数 / 全年执行数 / 执行率; 财政拨入资金 … 截至 … 支出; 预算资金 … 实际到位
  … 资金到位率100% (not an execution rate); 预算数 … 决算数), targets and actuals in sentences, a
  score sentence (or none: "总体良好"), the rubric's "总分值为100分" as a distractor;
- projects_self: one report over the unit's two or three projects (realdev 009, 029): the total
  handed down ("共下达…万元，共N个项目") is the budget; each project's own figures follow; no
  single project name;
- dept_self: a 部门整体支出绩效自评报告 (realdev 003, u10): staffing, budget and its execution,
  the basic/project split, "三公" figures and procurement in sentences, a score and grade;
- external: a third-party or finance-bureau evaluation of one project (realdev 016, 054, u11).

Expected answers are the figures the sentences state (a budget written without 年初/调整 is the
full-year budget, as in the realdev gold); targets in sentences are not indicator rows.
"""

from __future__ import annotations

from decimal import Decimal

import loaders.demo.catalog as catalog
from loaders.demo.common import (
    Ctx, Evaluation, band, better_band, expect, new_evaluation, plain, set_grade, wan,
)
from loaders.demo.departments import DEPARTMENT_BY_KEY, project_of
from loaders.demo.textdoc import TextDoc, num, q, ratio_pct
from loaders.demo.world import PROVINCE_ABBREVIATIONS, rng_for

FAMILY = "prose_report"
VARIANTS = ("project_self", "projects_self", "dept_self", "external")

INJECTIONS: dict[str, tuple[str, ...]] = {
    "grade_band": ("grade_band_mismatch",),
}
EXCLUSIVE: tuple[set[str], ...] = ()

GRADE_WORDS = {"优": ("优", "优秀"), "良": ("良", "良好"), "中": ("中", "中等"), "差": ("差",)}
GRADE_OF = {w: g for g, words in GRADE_WORDS.items() for w in words}


def applicable(project_keys: tuple[str, ...]) -> list[str]:
    return list(INJECTIONS)


class _Money:
    """A project's budget and spending, in 万元."""

    def __init__(self, rng, project, year: int, exec_pct):
        lo, hi = project.budget_range
        self.adjusted = q(Decimal(str(rng.uniform(lo, hi) * 1.03 ** (year - 2018))), rng.choice((0, 1, 2, 2)))
        self.initial = self.adjusted if rng.random() < 0.7 else q(self.adjusted * Decimal(str(rng.uniform(0.82, 0.99))), 2)
        pct = Decimal(100) if rng.random() < 0.45 else min(Decimal(100), Decimal(exec_pct) - Decimal(str(rng.uniform(0, 8))))
        self.expenditure = q(self.adjusted * pct / 100, 2)
        self.rate = ratio_pct(self.expenditure, self.adjusted, 2)


def _grade_words(rng, total: Decimal, inj: set[str]) -> tuple[str, str, bool]:
    """(grade as written, its four-step grade, injected?) for a total."""
    grade = band(total)
    injected = "grade_band" in inj
    if injected:
        grade = better_band(grade)
    raw = rng.choice(GRADE_WORDS[grade])
    return raw, GRADE_OF[raw], injected


def _doc_number(rng, place, year: int, kind: str = "财预") -> str:
    abbr = PROVINCE_ABBREVIATIONS.get(place.province_code, "")
    return f"{abbr}{kind}〔{year}〕{rng.randint(3, 80)}号"


def _quantity_sentences(rng, project, who: str, year: int) -> tuple[str, str]:
    """'目标：…；实际完成：…' over the project's count indicators (distractor numbers)."""
    targets, actuals = [], []
    for name, unit, lo, hi in project.quantity:
        t = rng.randint(lo, hi)
        a = t if rng.random() < 0.6 else int(t * rng.uniform(0.85, 1.3))
        targets.append(f"{name}{t}{unit}")
        actuals.append(f"{name}{a}{unit}")
    return (f"{year}年{who}实施的{project.name}项目目标：" + "，".join(targets) + "。",
            "实际完成：" + "，".join(actuals) + "。")


def render(ctx: Ctx) -> tuple[TextDoc, list[Evaluation]]:
    variant = ctx.variant or "project_self"
    doc = TextDoc()
    from loaders.demo.common import MARKER_LINE

    doc.add(MARKER_LINE)
    if variant == "projects_self":
        return doc, [_projects_self(doc, ctx)]
    if variant == "dept_self":
        return doc, [_dept_self(doc, ctx)]
    if variant == "external":
        return doc, [_external(doc, ctx)]
    return doc, [project_report(doc, ctx, ctx.project_keys[0])]


def _department(ctx: Ctx):
    return DEPARTMENT_BY_KEY.get(ctx.unit.key)


def _satisfaction_group(ctx: Ctx) -> str:
    d = _department(ctx)
    return d.satisfaction_group if d else "受助职工"


def project_report(doc: TextDoc, ctx: Ctx, key: str, title_style: float | None = None) -> Evaluation:
    """One project's self-evaluation report appended to doc (also the second document of a
    two-document text)."""
    rng = rng_for(ctx.profile.seed, "prose", ctx.place.admin_code, ctx.unit.key, key, ctx.year)
    unit, place, year = ctx.unit, ctx.place, ctx.year
    project = project_of(key)
    proj = project.name
    money = _Money(rng, project, year, ctx.uy.exec_pct)
    inj = set(ctx.injections)
    style = rng.random() if title_style is None else title_style
    signed_at_end = False
    if style < 0.5:
        unit_line = doc.add(f"{unit.name}{year}年度{proj}项目支出绩效自评报告")
    elif style < 0.8:
        unit_line = doc.add(f"{unit.name}{year}年度项目绩效自评报告")
        doc.add(f"（{proj}项目）")
    else:
        doc.add(f"{proj}项目{year}年度绩效自评报告")
        unit_line, signed_at_end = None, True
    ev = new_evaluation(place, year, "project", unit_line=unit_line, unit_name=unit.name, project=proj, mode="self")
    if rng.random() < 0.5:
        doc.blank()
    doc.add("一、基本情况")
    doc.add(f"（一）项目概况。{project.purpose}。")
    wording = rng.random()
    if wording < 0.35:
        line = doc.add(f"年初预算资金数{num(money.initial)}万元，全年预算数{num(money.adjusted)}万元，"
                       f"全年执行数{num(money.expenditure)}万元，执行率为{num(money.rate)}%。")
        wan(ev, "budget_initial_yuan", money.initial, f"{num(money.initial)}万元", line)
        wan(ev, "budget_adjusted_yuan", money.adjusted, f"{num(money.adjusted)}万元", line)
        wan(ev, "expenditure_yuan", money.expenditure, f"{num(money.expenditure)}万元", line)
        plain(ev, "budget_exec_pct", money.rate, f"{num(money.rate)}%", line)
        spent_told = True
    elif wording < 0.6:
        with_rate = rng.random() < 0.5
        text = (f"该项目财政拨入资金{num(money.adjusted)}万元，截至{year}年12月31日支出{num(money.expenditure)}万元"
                + (f"，预算执行率{num(money.rate)}%" if with_rate else "") + "。")
        line = doc.add(text)
        wan(ev, "budget_adjusted_yuan", money.adjusted, f"{num(money.adjusted)}万元", line)
        wan(ev, "expenditure_yuan", money.expenditure, f"{num(money.expenditure)}万元", line)
        if with_rate:
            plain(ev, "budget_exec_pct", money.rate, f"{num(money.rate)}%", line)
        spent_told = True
    elif wording < 0.8:
        line = doc.add(f"{year}年度{proj}项目预算资金{num(money.adjusted)}万元，实际到位{num(money.adjusted)}万元，资金到位率100%。")
        wan(ev, "budget_adjusted_yuan", money.adjusted, f"{num(money.adjusted)}万元", line)
        spent_told = False
    else:
        line = doc.add(f"该项目{year}年预算数为{num(money.adjusted)} 万元，决算数为{num(money.expenditure)}万元。")
        wan(ev, "budget_adjusted_yuan", money.adjusted, f"{num(money.adjusted)} 万元", line)
        wan(ev, "expenditure_yuan", money.expenditure, f"{num(money.expenditure)}万元", line)
        spent_told = True
    goal, done = _quantity_sentences(rng, project, unit.short, year)
    doc.add(f"（二）项目绩效目标。{goal}{done}")
    doc.add("二、绩效评价工作开展情况")
    doc.add(f"（一）绩效评价目的、对象和范围。评价对象为{year}年{proj}项目资金，"
            f"依据《{place.region}财政局关于开展{year}年度预算绩效自评工作的通知》（{_doc_number(rng, place, year + 1)}）开展。")
    doc.add("（二）绩效评价原则、评价指标体系、评价方法。本次评价指标分为项目决策、项目过程、项目产出、项目效益四个部分，总分值为100分。")
    doc.add("三、综合评价情况及评价结论")
    total = q(min(Decimal(100), ctx.uy.self_total + Decimal(str(rng.uniform(-2.5, 2.5)))), rng.choice((0, 1, 1, 2)))
    scored = rng.random() < 0.8
    if scored:
        raw, grade, injected = _grade_words(rng, total, inj)
        form = rng.random()
        if form < 0.4:
            line = doc.add(f"经综合评价，该项目绩效自评得分为{num(total)}分，自评等级为“{raw}”。")
        elif form < 0.7:
            line = doc.add(f"综合评价得分{num(total)}分，评价等级{raw}。")
        else:
            line = doc.add(f"依据评分标准，对绩效目标设定、资金投入和使用等情况进行评价，自评分为{num(total)}分，等级为{raw}。")
        set_grade(ev, total, raw, grade)
        if injected:
            expect(ev, "grade_band_mismatch", f"总分 {num(total)} 对应“{band(total)}”，报告评为“{raw}”", line)
    else:
        doc.add("该项目在组织实施、项目管理、财务管理和任务完成等方面总体良好，基本完成了预定目标。")
    doc.add("四、绩效评价指标分析")
    doc.add(f"（一）项目决策情况。项目立项依据《{place.region}{year}年度部门预算批复》设立，绩效目标明确。")
    if spent_told:
        doc.add(f"（二）项目过程情况。项目资金严格按照财务制度管理，专款专用。")
    else:
        parts = _split(rng, money.expenditure, ("办公费", "印刷费", "差旅费", "劳务费", "宣传费", "专用材料费"))
        line = doc.add(f"（二）项目过程情况。{year}年度{proj}项目支出{num(money.expenditure)}万元，其中："
                       + "，".join(f"{n}{num(v)}万元" for n, v in parts) + "。")
        wan(ev, "expenditure_yuan", money.expenditure, f"{num(money.expenditure)}万元", line)
    doc.add(f"（三）项目产出情况。{done}完成年度目标任务。")
    sat = max(Decimal(70), min(Decimal(100), ctx.uy.satisfaction_pct + rng.randint(-3, 3)))
    if rng.random() < 0.7:
        line = doc.add(f"（四）项目效益情况。经问卷调查，{_satisfaction_group(ctx)}满意度为{num(sat)}%。")
        plain(ev, "satisfaction_pct", sat, f"{num(sat)}%", line)
    else:
        doc.add("（四）项目效益情况。项目实施后社会效益明显，受益群众普遍认可。")
    doc.add("五、存在的问题及原因分析")
    prob, rec = rng.choice(catalog.PROBLEMS)
    doc.add(f"{prob}。")
    doc.add("六、有关建议")
    doc.add(f"{rec}。")
    if signed_at_end:
        doc.blank()
        ev.unit.line = doc.add(unit.name)
        doc.add(f"{year + 1}年{rng.randint(3, 7)}月{rng.randint(1, 28)}日")
    return ev


def _split(rng, total: Decimal, names: tuple[str, ...]) -> list[tuple[str, Decimal]]:
    """Two to four parts (in 万元, two decimals, none tiny) that add up to total."""
    n = rng.randint(2, min(4, len(names)))
    chosen = rng.sample(names, n)
    cents = int(total * 100)
    if cents < 10 * n:
        return [(chosen[0], total)]
    weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
    parts = [int(cents * w / sum(weights)) for w in weights[:-1]]
    parts.append(cents - sum(parts))
    return [(name, Decimal(c) / 100) for name, c in zip(chosen, parts)]


def _projects_self(doc: TextDoc, ctx: Ctx) -> Evaluation:
    rng, unit, place, year = ctx.rng, ctx.unit, ctx.place, ctx.year
    projects = [project_of(k) for k in ctx.project_keys]
    unit_line = doc.add(f"{unit.name}{year}年度项目支出绩效评价自评报告")
    ev = new_evaluation(place, year, "project", unit_line=unit_line, unit_name=unit.name, mode="self")
    doc.blank()
    doc.add(f"按照《{place.region}部门预算绩效目标管理办法》（{_doc_number(rng, place, year)}）要求，{unit.self_word}对{year}年"
            f"预算项目支出开展了绩效自评，现将自评情况报告如下：")
    doc.blank()
    doc.add("一、单位基本情况")
    auth, actual = ctx.uy.headcount_authorised, ctx.uy.headcount_actual
    line = doc.add(f"{unit.name}内设{rng.randint(2, 6)}个科室。现有编制{auth}名，{year}年底实有人员{actual}人。单位财务独立核算。")
    plain(ev, "headcount_authorised", auth, f"{auth}名", line)
    plain(ev, "headcount_actual", actual, f"{actual}人", line)
    doc.blank()
    doc.add("二、绩效目标分解下达情况")
    moneys = [_Money(rng, p, year, ctx.uy.exec_pct) for p in projects]
    total = sum(m.adjusted for m in moneys)
    line = doc.add(f"{year}年{place.kind_char}财政共下达{unit.self_word}项目资金{num(total)}万元，共{len(projects)}个项目，分别为："
                   + "；".join(f"{p.name}{num(m.adjusted)}万元" for p, m in zip(projects, moneys)) + "。")
    wan(ev, "budget_adjusted_yuan", total, f"{num(total)}万元", line)
    doc.blank()
    doc.add("三、项目资金使用及管理情况")
    for i, (p, m) in enumerate(zip(projects, moneys), start=1):
        doc.add(f"{i}.{p.name}。该项目财政拨入资金{num(m.adjusted)}万元，截至{year}年12月31日支出{num(m.expenditure)}万元，"
                f"主要用于{p.purpose.split('用于')[-1]}。")
    spent = sum(m.expenditure for m in moneys)
    if rng.random() < 0.6:
        rate = ratio_pct(spent, total, 2)
        line = doc.add(f"全年共支出项目资金{num(spent)}万元，预算执行率为{num(rate)}%。")
        wan(ev, "expenditure_yuan", spent, f"{num(spent)}万元", line)
        plain(ev, "budget_exec_pct", rate, f"{num(rate)}%", line)
    doc.blank()
    doc.add("四、绩效自评结论")
    doc.add(f"经自评，{len(projects)}个项目均完成年度绩效目标，自评结果均在90分以上。")
    doc.add("五、存在的问题和改进措施")
    prob, rec = rng.choice(catalog.PROBLEMS)
    doc.add(f"{prob}，下一步将{rec}。")
    return ev


def _dept_self(doc: TextDoc, ctx: Ctx) -> Evaluation:
    rng, unit, place, year, uy = ctx.rng, ctx.unit, ctx.place, ctx.year, ctx.uy
    inj = set(ctx.injections)
    if rng.random() < 0.6:
        unit_line = doc.add(f"{unit.name}{year}年度部门整体支出绩效自评报告")
    else:
        unit_line = doc.add(unit.name)
        doc.add(f"{year}年度部门整体支出绩效自评报告")
    ev = new_evaluation(place, year, "department_overall", unit_line=unit_line, unit_name=unit.name, mode="self")
    doc.blank()
    dept = _department(ctx)
    duties = dept.duties if dept else "组织和指导全{k}各级工会履行维护、建设、参与、教育职能，做好困难职工帮扶和职工服务工作".format(k=place.kind_char)
    offices = dept.offices if dept else ("办公室", "组织宣传部", "权益保障部", "经费审查办公室")
    doc.add("一、部门基本情况")
    doc.add(f"（一）主要职能。{unit.name}{duties}。")
    doc.add(f"（二）机构设置。内设{'、'.join(offices)}等{len(offices)}个机构。")
    auth, actual = uy.headcount_authorised, uy.headcount_actual
    retired = rng.randint(0, max(1, auth // 2))
    line = doc.add(f"（三）人员情况。核定编制{auth}名，{year}年末实有在职人员{actual}人，退休人员{retired}人。")
    plain(ev, "headcount_authorised", auth, f"{auth}名", line)
    plain(ev, "headcount_actual", actual, f"{actual}人", line)
    doc.add("二、部门整体支出及预算执行情况")
    init = uy.budget_wan
    added = Decimal(0) if rng.random() < 0.4 else q(init * Decimal(str(rng.uniform(0.02, 0.15))), 2)
    adj = init + added
    exp = q(adj * uy.exec_pct / 100, 2)
    rate = ratio_pct(exp, adj, 2)
    if added:
        text = (f"{year}年年初预算{num(init)}万元，年中追加{num(added)}万元，全年预算数{num(adj)}万元；"
                f"全年实际支出{num(exp)}万元，预算执行率{num(rate)}%。")
    else:
        text = f"{year}年年初预算{num(init)}万元，未作调整；全年实际支出{num(exp)}万元，预算执行率{num(rate)}%。"
    line = doc.add(text)
    wan(ev, "budget_initial_yuan", init, f"{num(init)}万元", line)
    if added:
        wan(ev, "budget_adjusted_yuan", adj, f"{num(adj)}万元", line)
    wan(ev, "expenditure_yuan", exp, f"{num(exp)}万元", line)
    plain(ev, "budget_exec_pct", rate, f"{num(rate)}%", line)
    project = q(exp * Decimal(str(rng.uniform(0.1, 0.45))), 2)
    basic = exp - project
    public = q(basic * Decimal(str(rng.uniform(0.1, 0.3))), 2)
    personnel = basic - public
    line = doc.add(f"其中：基本支出{num(basic)}万元（人员经费{num(personnel)}万元、公用经费{num(public)}万元），项目支出{num(project)}万元。")
    wan(ev, "exp_basic_yuan", basic, f"{num(basic)}万元", line)
    wan(ev, "exp_personnel_yuan", personnel, f"{num(personnel)}万元", line)
    wan(ev, "exp_public_operating_yuan", public, f"{num(public)}万元", line)
    wan(ev, "exp_project_yuan", project, f"{num(project)}万元", line)
    tb = q(Decimal(str(rng.uniform(1, 12))), 2)
    ta = q(tb * Decimal(str(rng.uniform(0.3, 1.0))), 2)
    tr = ratio_pct(ta, tb, 2)
    line = doc.add(f"“三公”经费年初预算{num(tb)}万元，全年支出{num(ta)}万元，“三公”经费控制率{num(tr)}%，比上年下降{rng.randint(2, 30)}%。")
    wan(ev, "three_public_budget_yuan", tb, f"{num(tb)}万元", line)
    wan(ev, "three_public_actual_yuan", ta, f"{num(ta)}万元", line)
    plain(ev, "three_public_control_pct", tr, f"{num(tr)}%", line)
    if rng.random() < 0.5:
        pb = q(Decimal(str(rng.uniform(3, 60))), 2)
        pa = q(pb * uy.procurement_exec_pct / 100, 2)
        pr = ratio_pct(pa, pb, 2)
        line = doc.add(f"政府采购预算{num(pb)}万元，实际采购金额{num(pa)}万元，政府采购执行率{num(pr)}%。")
        wan(ev, "procurement_budget_yuan", pb, f"{num(pb)}万元", line)
        wan(ev, "procurement_actual_yuan", pa, f"{num(pa)}万元", line)
        plain(ev, "procurement_exec_pct", pr, f"{num(pr)}%", line)
    doc.add("三、部门整体绩效目标完成情况")
    keys = list(dept_projects(ctx))
    for i, key in enumerate(rng.sample(keys, min(2, len(keys))), start=1):
        p = project_of(key)
        goal, done = _quantity_sentences(rng, p, unit.short, year)
        doc.add(f"{i}.{p.name}。{goal}{done}")
    doc.add("四、自评结论")
    total = q(min(Decimal(100), uy.self_total + Decimal(str(rng.uniform(-1.5, 1.5)))), rng.choice((1, 2)))
    raw, grade, injected = _grade_words(rng, total, inj)
    line = doc.add(f"经自评，{year}年度{unit.short}部门整体支出绩效自评得分{num(total)}分，自评等级为“{raw}”。")
    set_grade(ev, total, raw, grade)
    if injected:
        expect(ev, "grade_band_mismatch", f"总分 {num(total)} 对应“{band(total)}”，报告评为“{raw}”", line)
    doc.add("五、存在的问题及改进措施")
    for prob, rec in rng.sample(catalog.PROBLEMS, 2):
        doc.add(f"{prob}。下一步将{rec}。")
    return ev


def dept_projects(ctx: Ctx) -> tuple[str, ...]:
    dept = _department(ctx)
    if dept:
        return tuple(p.key for p in dept.projects)
    return tuple(ctx.profile.projects) or tuple(p.key for p in catalog.PROJECTS[:3])


def _external(doc: TextDoc, ctx: Ctx) -> Evaluation:
    rng, unit, place, year = ctx.rng, ctx.unit, ctx.place, ctx.year
    inj = set(ctx.injections)
    project = project_of(ctx.project_keys[0])
    finance = ctx.mode == "finance"
    bureau = f"{place.region}财政局"
    firm = rng.choice(catalog.EVALUATOR_FIRMS)
    evaluator = bureau if finance else firm
    if rng.random() < 0.5:
        unit_line = doc.add(f"{unit.name}{year}年度{project.name}项目绩效评价报告")
    else:
        doc.add(f"{project.name}项目{year}年度财政重点绩效评价报告")
        unit_line = None
    month = rng.randint(3, 8)
    if not finance:
        doc.add(f"{firm[:2]}绩评字〔{year + 1}〕{rng.randint(10, 99)}号")
    ev = new_evaluation(place, year, "project", unit_line=unit_line, unit_name=unit.name, project=project.name,
                        mode="finance" if finance else "third_party", evaluator=evaluator)
    doc.blank()
    if finance:
        line = doc.add(f"按照{bureau}{year + 1}年度重点绩效评价工作安排，我们（{bureau}绩效评价工作组）于{year + 1}年{month}月"
                       f"对{unit.name}{year}年度{project.name}项目开展了财政重点绩效评价。")
    else:
        line = doc.add(f"受{bureau}委托，{firm}（以下简称“我们”）于{year + 1}年{month}月至{month + 1}月"
                       f"对{unit.name}{year}年度{project.name}项目开展了重点绩效评价。")
    if ev.unit.line is None:
        ev.unit.line = line
    doc.add("一、项目基本情况")
    doc.add(f"（一）项目概况。{project.purpose}。")
    money = _Money(rng, project, year, ctx.uy.exec_pct)
    line = doc.add(f"{year}年该项目预算安排{num(money.adjusted)}万元，实际支出{num(money.expenditure)}万元，预算执行率{num(money.rate)}%。")
    wan(ev, "budget_adjusted_yuan", money.adjusted, f"{num(money.adjusted)}万元", line)
    wan(ev, "expenditure_yuan", money.expenditure, f"{num(money.expenditure)}万元", line)
    plain(ev, "budget_exec_pct", money.rate, f"{num(money.rate)}%", line)
    goal, done = _quantity_sentences(rng, project, unit.short, year)
    doc.add(f"（二）项目绩效目标。{goal}")
    doc.add("二、评价工作开展情况")
    doc.add(f"评价组采用资料核查、现场勘查和问卷调查相结合的方法，按照决策、过程、产出、效益四个维度设置评价指标，满分100分。")
    doc.add("三、评价结论")
    total = q(ctx.uy.external_total + Decimal(str(rng.uniform(-2, 2))), 2)
    raw, grade, injected = _grade_words(rng, total, inj)
    line = doc.add(f"经评价，该项目综合得分{num(total)}分，绩效评价等级为“{raw}”。")
    set_grade(ev, total, raw, grade)
    if injected:
        expect(ev, "grade_band_mismatch", f"总分 {num(total)} 对应“{band(total)}”，报告评为“{raw}”", line)
    doc.add("四、绩效分析")
    doc.add(f"（一）产出情况。{done}")
    sat = max(Decimal(70), min(Decimal(100), ctx.uy.satisfaction_pct + rng.randint(-6, 2)))
    line = doc.add(f"（二）效益情况。评价组发放问卷{rng.randint(60, 400)}份，{_satisfaction_group(ctx)}满意度为{num(sat)}%。")
    plain(ev, "satisfaction_pct", sat, f"{num(sat)}%", line)
    doc.add("五、主要问题及建议")
    for prob, rec in rng.sample(catalog.PROBLEMS, 2):
        doc.add(f"{prob}。建议{rec}。")
    if finance:
        doc.add(f"{bureau}绩效评价工作组")
    else:
        doc.add(firm)
    doc.add(f"{year + 1}年{month + 1}月")
    return ev
