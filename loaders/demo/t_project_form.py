"""Seed 002 (霍邱县): the national 项目支出绩效自评表, one or more forms per file, each followed
by its 绩效评价报告 narrative. Self-evaluation; weights 执行率10 / 产出50 / 效益30 / 满意度10."""

from __future__ import annotations

from decimal import Decimal

import loaders.demo.catalog as catalog
from loaders.demo.common import (
    Evaluation,     Ctx, band, better_band, expect, indicator, partition, plain, satisfaction, set_grade, wan,
    new_evaluation,
)
from loaders.demo.textdoc import TextDoc, num, q
from loaders.demo.departments import DEPARTMENT_BY_KEY, project_of
from loaders.demo.world import rng_for

FAMILY = "national_project_form"

# injection -> the flags it must raise
INJECTIONS: dict[str, tuple[str, ...]] = {
    "weights_110": ("weights_total_mismatch", "total_sum_mismatch"),
    "target_missed_full": ("full_score_target_missed",),
    "actual_copies_target": ("actual_copies_target",),
    "misplaced_benefit": ("indicator_misplaced",),
    "grade_band": ("grade_band_mismatch",),
    "total_sum": ("total_sum_mismatch",),
    "exec_rate": ("rate_recompute_mismatch",),
    "pseudo_quant": ("pseudo_quantitative",),
    "name_varies": ("project_name_varies",),
}
EXCLUSIVE = ({"weights_110", "total_sum", "grade_band"},)

GRADE_RAW = {"优": "优", "良": "良", "中": "中", "差": "差"}


def _nice(x: float) -> int:
    """Round a target the way plans are written (round tens and hundreds)."""
    if x >= 1000:
        return int(round(x / 100) * 100)
    if x >= 100:
        return int(round(x / 10) * 10)
    return max(1, int(round(x)))


class _Form:
    """One project's numbers and indicator rows, before layout."""

    def __init__(self, ctx: Ctx, key: str, injections: set[str], project=None):
        self.ctx = ctx
        self.project = project or project_of(key)
        self.inj = injections
        rng = rng_for(ctx.profile.seed, "project", ctx.place.admin_code, key, ctx.year)
        self.rng = rng
        base_rng = rng_for(ctx.profile.seed, "project-base", ctx.place.admin_code, key)
        lo, hi = self.project.budget_range
        base = base_rng.uniform(lo, hi) * (1.03 ** (ctx.year - 2015))
        self.initial = q(base * rng.uniform(0.9, 1.1), rng.choice((0, 0, 1, 2)))
        self.adjusted = self.initial if rng.random() < 0.7 else q(self.initial * Decimal(str(rng.uniform(0.85, 1.2))), 2)
        if rng.random() < 0.55:
            exec_pct = Decimal(100)
        else:
            exec_pct = Decimal(str(rng.uniform(86, 99.9)))
        self.expenditure = q(self.adjusted * exec_pct / 100, 2)
        self.exec_pct = q(self.expenditure / self.adjusted * 100, 2) if self.adjusted else None
        self.exec_stated = self.exec_pct
        if "exec_rate" in injections:
            self.exec_stated = q(self.exec_pct + Decimal(rng.choice((-1, 1))) * Decimal(str(rng.uniform(2, 8))), 2)
        self.exec_score = q(Decimal(10) * min(self.exec_pct, Decimal(100)) / 100, 2)
        carry = q(self.adjusted * Decimal(str(rng.uniform(0.05, 0.3))), 2) if rng.random() < 0.2 else None
        self.carryover = carry
        self.current = self.adjusted - carry if carry else self.adjusted
        self.name = self.project.name
        self.level = ctx.uy.level
        self.rows: list[dict] = []  # indicator rows in form order
        self._build_rows()

    # --- indicator rows ---------------------------------------------------------------------
    def _row(self, l1, l2, l3, target, actual, weight, score, kind, note="无"):
        self.rows.append(dict(l1=l1, l2=l2, l3=l3, target=target, actual=actual, weight=weight, score=score, kind=kind, note=note))

    def _miss(self) -> bool:
        p = min(0.35, max(0.01, 0.10 - 0.07 * self.level))
        return self.rng.random() < p

    def _quantity(self, name, unit, lo, hi, weight, force_miss=False, copy_target=False):
        """(target, actual, score, missed) of a count indicator."""
        rng = self.rng
        t = _nice(rng.uniform(lo, hi))
        style = rng.random()
        target = f"≥{t}{unit}" if style < 0.5 or copy_target else (f"{t}{unit}以上" if style < 0.75 else f"{t}{unit}")
        if copy_target:  # the seed's trap: the actual cell repeats the target, comparator and all
            return target, target, Decimal(weight), False
        miss = force_miss or self._miss()
        a = _nice(t * rng.uniform(0.72, 0.95)) if miss else _nice(t * rng.uniform(1.0, 1.35))
        if miss and a >= t:
            a = t - 1
        if not miss and a < t:
            a = t
        score = Decimal(weight) if not miss else q(Decimal(weight) * Decimal(a) / Decimal(t), 2)
        return target, f"{a}{unit}", score, miss

    def _pct(self, weight):
        rng = self.rng
        t = rng.choice((90, 95, 98, 100))
        target = f"≥{t}%" if t < 100 else "100%"
        if self._miss():
            a = q(Decimal(t) * Decimal(str(rng.uniform(0.85, 0.98))), 0)
            return target, f"{num(a)}%", q(Decimal(weight) * a / t, 2)
        a = t if t == 100 or rng.random() < 0.5 else rng.randint(t, 100)
        return target, f"{a}%", Decimal(weight)

    def _build_rows(self):
        rng, p = self.rng, self.project
        inj = self.inj
        if "weights_110" in inj:
            out_w, ben_w, sat_w = [10] * (3 + min(len(p.quantity), 2)), [10, 10, 10], [10, 10, 10]
        else:
            out_w = partition(rng, 50, 3 + min(len(p.quantity), rng.randint(1, 3)))
            ben_w = partition(rng, 30, rng.randint(2, 3))
            sat_w = partition(rng, 10, 3 if "misplaced_benefit" in inj else rng.choice((1, 1, 2)), step=1, low=2)
        # 产出: quantity first, then quality, time, cost (the order of the national form).
        n_qty = max(1, len(out_w) - 3)
        qty = list(p.quantity)
        missed_forced = "target_missed_full" in inj
        copied = "actual_copies_target" in inj
        for i in range(n_qty):
            name, unit, lo, hi = qty[i]
            forced = missed_forced and i == 0
            target, actual, score, miss = self._quantity(
                name, unit, lo, hi, out_w[i], force_miss=forced, copy_target=copied and i == (1 if missed_forced and n_qty > 1 else 0) and not forced)
            if forced:
                score = Decimal(out_w[i])  # the injected trap: target missed, full marks
                self.missed_line_key = name
            self._row("产出指标" if i == 0 else "", "数量指标" if i == 0 else "", name, target, actual, out_w[i], score, "qty")
        w_iter = iter(out_w[n_qty:])
        qual = p.quality[rng.randrange(len(p.quality))]
        w = next(w_iter)
        if qual[1] == "yes":
            self._row("", "质量指标", qual[0], "是", "是", w, Decimal(w), "yes")
        else:
            t, a, s = self._pct(w)
            self._row("", "质量指标", qual[0], t, a, w, s, "pct")
        w = next(w_iter)
        name, t, a = rng.choice((("支出完成时间", "预算年度内", "预算年度内"), ("资金发放及时性", "及时", "及时"), ("项目完成及时率", "100%", "100%")))
        self._row("", "时效指标", name, t, a, w, Decimal(w), "time")
        w = next(w_iter)
        cost_name = rng.choice(("项目资金支出", f"{p.name}金额", "资金使用成本"))
        if self.expenditure < self.adjusted:
            t, a = f"≤{num(self.adjusted)}万元", f"{num(self.expenditure)}万元"
        else:
            t = a = f"{num(self.adjusted)}万元"
        self._row("", "成本指标", cost_name, t, a, w, Decimal(w), "cost")
        # 效益
        b_iter = iter(ben_w)
        first = True
        if "pseudo_quant" in inj:
            w = next(b_iter)
            self._row("效益指标", "经济效益", "维护职工合法权益", "≥100%", "100%", w, Decimal(w), "pseudo")
            first = False
        remaining = list(b_iter)
        socials = list(p.social)
        for i, w in enumerate(remaining):
            last = i == len(remaining) - 1
            if last:
                name = p.sustain[rng.randrange(len(p.sustain))]
                t, a = rng.choice((("长期开展", "长期开展"), ("长期", "长期"), ("持续发挥作用", "持续发挥作用")))
                self._row("效益指标" if first else "", "可持续影响指标", name, t, a, w, Decimal(w), "ongoing")
            else:
                name, kind = socials[i % len(socials)]
                if kind == "pct":
                    t, a, s = self._pct(w)
                elif kind == "ongoing":
                    t, a, s = "长期开展", "长期开展", Decimal(w)
                else:
                    t, a, s = "是", "是", Decimal(w)
                self._row("效益指标" if first else "", "社会效益" if i == 0 else "", name, t, a, w, s, kind)
            first = False
        # 满意度
        sat = self.ctx.uy.satisfaction_pct + rng.randint(-2, 2)
        sat = max(Decimal(60), min(Decimal(100), sat))
        self.satisfaction_entries = []
        for i, w in enumerate(sat_w):
            if "misplaced_benefit" in inj and i == len(sat_w) - 1:
                self._row("", "", "缓解困难职工生活压力", "一定程度上缓解", "一定程度上缓解", w, Decimal(w), "misplaced")
                continue
            names = self._satisfaction_names()
            name = names[(i + rng.randrange(2)) % len(names)] if i else rng.choice(names[:3])
            if rng.random() < 0.75:
                t = rng.choice((85, 90, 95))
                a = sat
                s = Decimal(w) if a >= t else q(Decimal(w) * a / t, 2)
                self._row("满意度指标" if i == 0 else "", "服务对象满意度指标" if i == 0 else "", f"指标{i + 1}：{name}", f"≥{t}%", f"{num(a)}%", w, s, "sat")
            else:
                self._row("满意度指标" if i == 0 else "", "服务对象满意度指标" if i == 0 else "", f"指标{i + 1}：{name}", "满意", "满意", w, Decimal(w), "sat_q")


    def _satisfaction_names(self) -> tuple[str, ...]:
        if self.ctx.unit.key == "union":
            return catalog.SATISFACTION_NAMES
        dept = DEPARTMENT_BY_KEY[self.ctx.unit.key]
        return (f"{dept.satisfaction_group}满意度", "服务对象满意度", "社会公众满意度", "主管部门满意度")


def _grade_raw(g: str) -> str:
    return GRADE_RAW[g]


def render(ctx: Ctx) -> tuple[TextDoc, list[Evaluation]]:
    rng = ctx.rng
    place = ctx.place
    doc = TextDoc()
    from loaders.demo.common import MARKER_LINE

    doc.add(MARKER_LINE)
    inj_target = rng.randrange(len(ctx.project_keys))
    forms = [
        _Form(ctx, key, set(ctx.injections) if i == inj_target else set())
        for i, key in enumerate(ctx.project_keys)
    ]
    list_names = []
    for f in forms:
        if "name_varies" in f.inj:
            list_names.append(f.name + "工作经费")
        else:
            list_names.append(f.name)
    layout = ctx.layout
    doc.add("附件：")
    doc.add(f"{ctx.unit.name}绩效自评项目清单")
    doc.row(["序号", "项目名称", "备注"], layout)
    for i, n in enumerate(list_names, start=1):
        doc.row([str(i), f"{n}项目自评表", ""], layout)
    doc.blank(3)
    evaluations = []
    for f, list_name in zip(forms, list_names):
        evaluations.append(_render_form(doc, ctx, f, list_name))
    return doc, evaluations


def _render_form(doc: TextDoc, ctx: Ctx, f: _Form, list_name: str) -> Evaluation:
    rng, layout, place, year = f.rng, ctx.layout, ctx.place, ctx.year
    doc.blank()
    title_line = doc.add(f"{year}年度项目支出绩效自评表")
    doc.blank()
    doc.row([f"（{year}年度）"], layout)
    name_line = doc.row(["项目名称", f.name], layout)[1]
    unit_name = ctx.unit.name
    unit_line = doc.row(["主管部门", unit_name, "实施单位", unit_name], layout)[1]
    ev = new_evaluation(place, year, "project", unit_line=unit_line, unit_name=unit_name, project=f.name, mode="self",
                        evaluator=unit_name)
    doc.row(["项目资金", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], layout)
    doc.row(["（万元）", "", "", "", "", "", "", ""], layout)
    exec_text = f"{num(f.exec_stated)}%"
    if layout in ("space_rows", "csv_rows") and f.exec_stated < 100 and rng.random() < 0.5:
        exec_text = num(f.exec_stated / 100)  # the rate as a spreadsheet keeps it (realdev 014: 0.96)
    cells = doc.row(["", "年度资金总额", num(f.initial), num(f.adjusted), num(f.expenditure), "10", exec_text, num(f.exec_score)], layout)
    wan(ev, "budget_initial_yuan", f.initial, num(f.initial), cells[2])
    wan(ev, "budget_adjusted_yuan", f.adjusted, num(f.adjusted), cells[3])
    wan(ev, "expenditure_yuan", f.expenditure, num(f.expenditure), cells[4])
    plain(ev, "budget_exec_pct", f.exec_stated, exec_text, cells[6])
    exec_ind = indicator("预算执行率", None, None, weight=10, score=f.exec_score, line=cells[7],
                         rule="执行率×分值，最高不超过分值")
    if "exec_rate" in f.inj:
        expect(ev, "rate_recompute_mismatch", f"执行率印作 {f.exec_stated}%，按 全年执行数÷全年预算数 为 {f.exec_pct}%", cells[6])
    cur = f.current
    cur_initial = f.initial - f.carryover if f.carryover and f.carryover < f.initial else f.initial
    cells = doc.row(["", "其中：当年财政拨款", num(cur_initial), num(cur), num(min(cur, f.expenditure)), "—", "", "—"], layout)
    wan(ev, "funds_current_approp_yuan", cur, num(cur), cells[3])
    if f.carryover:
        cells = doc.row(["", "      上年结转资金", "", num(f.carryover), num(max(Decimal(0), f.expenditure - cur)), "—", "", "—"], layout)
        wan(ev, "funds_carryover_yuan", f.carryover, num(f.carryover), cells[3])
    else:
        doc.row(["", "      上年结转资金", "", "", "", "—", "", "—"], layout)
    doc.row(["", "  其他资金", "", "", "", "—", "", "—"], layout)
    doc.row(["年度总体目标", "预期目标", "实际完成情况"], layout)
    goal = f"完成{f.project.purpose.split('用于')[-1].split('，')[0]}工作，确保资金使用规范、按时足额到位。"
    doc.row(["", goal, "通过该项目的实施，" + goal], layout)
    doc.row(["绩         效         指         标", "一级指标", "二级指标", "三级指标", "年度         指标值", "实际      完成值", "分值", "得分", "偏差原因分析及改进措施"], layout)
    if layout == "cell_lines" and rng.random() < 0.6:
        for _ in range(3):  # empty template rows, as the Word form leaves them
            doc.row([""] * 9, layout)
    ev.indicators.append(exec_ind)
    score_sum = f.exec_score
    weight_sum = Decimal(10)
    cur_l1 = cur_l2 = None
    blank_rows_after = {"社会效益", "经济效益"} if (layout == "cell_lines" and rng.random() < 0.5) else set()
    first_sat_pct = None
    for r in f.rows:
        cur_l1 = r["l1"] or cur_l1
        cur_l2 = r["l2"] or cur_l2
        score_text = num(r["score"])
        cells = doc.row(["", r["l1"], r["l2"], r["l3"], r["target"], r["actual"], str(r["weight"]), score_text, r["note"]], layout)
        l2 = cur_l2 if r["kind"] != "misplaced" else cur_l2
        ind = indicator(cur_l1, l2, r["l3"], weight=r["weight"], score=r["score"], target_raw=r["target"],
                        actual_raw=r["actual"], line=cells[3], note=None)
        ev.indicators.append(ind)
        score_sum += r["score"]
        weight_sum += r["weight"]
        if r["kind"] == "sat":
            pct = Decimal(r["actual"].rstrip("%"))
            ev.satisfaction.append(satisfaction(r["l3"].split("：", 1)[-1], pct, r["weight"], r["score"], cells[5], r["actual"]))
            if first_sat_pct is None:
                first_sat_pct = (pct, r["actual"], cells[5])
        if r["kind"] == "qty" and "target_missed_full" in f.inj and r["l3"] == getattr(f, "missed_line_key", None):
            expect(ev, "full_score_target_missed", f"{r['l3']}: 目标 {r['target']}，实际 {r['actual']}，却得满分", cells[3])
        if r["kind"] == "qty" and "actual_copies_target" in f.inj and r["actual"] == r["target"]:
            expect(ev, "actual_copies_target", f"{r['l3']}: 实际完成值照抄年度指标值 {r['actual']}", cells[5])
        if r["kind"] == "misplaced":
            expect(ev, "indicator_misplaced", "效益类指标“缓解困难职工生活压力”放在满意度指标下", cells[3])
        if r["kind"] == "pseudo" and "pseudo_quant" in f.inj:
            expect(ev, "pseudo_quantitative", "“维护职工合法权益”是定性事项，写成了 ≥100%", cells[4])
        if cur_l2 in blank_rows_after and r["kind"] in ("yes", "pct", "ongoing", "pseudo") and r["l2"]:
            doc.row(["", "", "指标", "", "", "", "", "", "无"], layout)
    if first_sat_pct:
        plain(ev, "satisfaction_pct", first_sat_pct[0], first_sat_pct[1], first_sat_pct[2])
    total = score_sum
    if "weights_110" in f.inj:
        total = min(Decimal(100), score_sum)
    if "total_sum" in f.inj:
        delta = Decimal(rng.choice((1, 2, 3, -1, -2)))
        total = min(Decimal(100), score_sum + delta) if score_sum + delta > 0 else score_sum - delta
        if total == score_sum:
            total = score_sum - 2
    grade = band(total)
    grade_raw = grade
    if "grade_band" in f.inj:
        grade_raw = better_band(grade)
    cells = doc.row(["总分", "100", num(total), ""], layout)
    set_grade(ev, total, grade_raw, grade_raw)
    if "weights_110" in f.inj:
        expect(ev, "weights_total_mismatch", f"各指标分值之和 {weight_sum} 分，而满分为 100 分", cells[0])
        if total != score_sum:
            expect(ev, "total_sum_mismatch", f"各指标得分之和 {score_sum} ≠ 总分 {total}", cells[0])
    if "total_sum" in f.inj:
        expect(ev, "total_sum_mismatch", f"各指标得分之和 {score_sum} ≠ 总分 {total}", cells[0])
    doc.blank(3)
    # The narrative report that follows the form.
    narrative_name = f.name if "name_varies" not in f.inj else list_name
    doc.add(f"{narrative_name}项目绩效评价报告")
    doc.add("1、 基本情况")
    doc.add("（1） 项目概况")
    doc.add(f"我{place.kind_char}{year}年度实施{narrative_name}项目，{f.project.purpose}。{narrative_name}专项资金{num(f.adjusted)}万元，"
            f"财政预算内拨款{num(f.current)}万元。")
    doc.add("（二）项目绩效目标")
    doc.add("项目年度总体目标为" + goal.rstrip("。") + "。阶段性目标包括产出数量、质量、时效、成本，以及社会效益、可持续影响、服务对象满意度。")
    doc.add("二、绩效评价工作开展情况")
    doc.add("（一）绩效评价对象和范围")
    doc.add(f"本次绩效评价对象为{year}年度{narrative_name}项目，共1个项目。")
    doc.add("（二）绩效评价原则、评价方法")
    doc.add("评价采用定量与定性评价相结合的方法，总分由各项指标得分汇总形成。")
    doc.add("三、综合评价情况及评价结论")
    variant = rng.random()
    if variant < 0.6:
        line = doc.add(f"综合评价得分{num(total)}分，评价等级{grade_raw}。")
    elif variant < 0.85:
        line = doc.add(f"经综合评价，该项目自评得分{num(total)}分，评价等级为“{grade_raw}”。")
    else:
        line = doc.add(f"项目绩效自评综合得分为{num(total)}分，自评等级{grade_raw}。")
    if "grade_band" in f.inj:
        expect(ev, "grade_band_mismatch", f"总分 {total} 对应“{grade}”，报告评为“{grade_raw}”", line)
    if "name_varies" in f.inj:
        expect(ev, "project_name_varies", f"项目名称在自评表中为“{f.name}”，在清单和报告中为“{list_name}”", name_line)
    doc.add("四、绩效评价指标分析")
    doc.add("（一）项目决策情况")
    if ctx.unit.key == "union":
        doc.add(f"{ctx.place.short}党组召开主席办公会研究项目资金分解、分配和组织实施，细化到各基层工会。")
    else:
        doc.add(f"{ctx.unit.short}党组会议研究项目资金分解、分配和组织实施，明确责任股室和完成时限。")
    doc.add("（二）项目过程情况")
    doc.add(f"截至{year}年12月底，项目资金支出{num(f.expenditure)}万元，预算执行率{num(f.exec_stated)}%。")
    doc.add("（三）项目产出情况")
    qty_rows = [r for r in f.rows if r["kind"] == "qty"]
    if qty_rows:
        r = qty_rows[0]
        doc.add(f"全年{r['l3']}达到{r['actual'].lstrip('≥')}，完成年度目标任务。")
    doc.add("（四）项目效益情况")
    if ctx.unit.key == "union":
        doc.add(f"一是社会效益方面。围绕{place.kind_char}委中心工作，带领广大工会干部投身大局，帮扶工作实现常态化。")
    else:
        doc.add(f"一是社会效益方面。围绕{place.kind_char}委中心工作，项目惠及{f.project.name.rstrip('项目')}服务对象，社会反响良好。")
    doc.add("二是可持续影响方面。进一步增强了职工的获得感、安全感、幸福感。")
    return ev
