"""Seed 001 (南昌市青云谱区): an external 部门整体支出绩效评价报告 — budget paragraphs, the
指标体系 table, the 得分一览表, and one narrative paragraph per indicator ending in
"依据评分标准，该项指标得100%权重分2.00分". Framework 决策15 / 管理25 / 产出30 / 效益30."""

from __future__ import annotations

from decimal import Decimal

import loaders.demo.catalog as catalog
from loaders.demo.common import (
    Evaluation,     MARKER_LINE, Ctx, band, better_band, expect, indicator, partition, plain, satisfaction, set_grade,
    spread_losses, wan, yuan, new_evaluation,
)
from loaders.demo.textdoc import TextDoc, fixed, num, q, ratio_pct, thousands
from loaders.demo.answer import Finding
from loaders.demo.world import PROVINCE_ABBREVIATIONS

FAMILY = "third_party_dept"

INJECTIONS: dict[str, tuple[str, ...]] = {
    "score_rate": ("score_rate_mismatch",),
    "total_sum": ("total_sum_mismatch",),
    "grade_band": ("grade_band_mismatch",),
    "narrative_self": ("narrative_self_contradiction",),
    "narrative_table": ("narrative_table_score_mismatch",),
    "unit_yuan": ("unit_suspect",),
    "target_missed_full": ("full_score_target_missed",),
    # the narrative's second head count also makes the stated 在职人员控制率 disagree with section 1
    "headcount": ("headcount_mismatch", "rate_recompute_mismatch"),
    "rate_recompute": ("rate_recompute_mismatch",),
    "sum_mismatch": ("sum_mismatch",),
    "rate_base": ("rate_base_mismatch",),
}
EXCLUSIVE = ({"total_sum", "grade_band"}, {"narrative_self", "narrative_table"})

L1 = (("部门决策", 15), ("部门管理", 25), ("部门产出", 30), ("部门效益", 30))

SCORE_SENTENCES = (
    "依据评分标准，该项指标得{p}%权重分{s}分。",
    "依据评分标准，该项指标得 {p}% 权重分得 {s} 分。",
    "依据评分标准该项指标得{p}%权重分{s}分。",
    "依据评分标准，该项指标得{p}%权重分 {s} 分。",
)
JUDGE_TEXT = {
    "中长期规划明确性": "{s}制定了部门中期规划，主要按照上级工会要求，结合本地基本情况制定，其中期规划与部门职能相符。",
    "年度工作计划明确性": "{s}制定了《{s}{y}年度工作计划》，工作计划有明确目标和实施内容。",
    "绩效目标合理性": "{s}在申报{y}年部门预算时同步申报部门整体支出绩效目标，与部门相关职能和规划相关。",
    "绩效指标明确性": "{s}编制{y}年度整体支出绩效目标的同时将其细化为绩效指标。",
    "预算编制科学性": "{s}部门预算编制按照“二上二下”的预算编制流程进行编制，经过财政部门严格审核确认。",
    "资金分配合理性": "{y}年{s}基本支出按照财政定额标准测算，项目支出严格按照实际需求进行分配管理。",
    "资金使用合规性": "现场核查{s}{y}年度财务凭证，资金使用符合财经法规和财务管理制度规定。",
    "管理制度健全性": "{s}按照《基层工会经费收支管理办法》等制度进行财务管理，相关管理制度较为健全。",
    "预决算信息公开性": "{y}年度{s}按照财政局要求在政府网站完成预决算公开工作。",
    "资产管理规范性": "{y}年{s}按照国有资产配置管理办法对固定资产进行管理，未发生资产损失、丢失的情况。",
    "部门工作完成及时率": "{y}年度{s}各项工作均在年度内按计划推进。",
    "预算支出标准执行率": "{y}年度部门预算支出主要为人员经费支出，参照人员经费标准执行。",
}
DECISION_RULES = {
    "中长期规划明确性": "①部门是否制定中长期规划；②中长期规划是否对总体目标、实施内容及时间安排有明确规定。每项分别占50%权重分，扣完为止。",
    "年度工作计划明确性": "①部门是否制定明确的年度工作计划；②年度工作计划包含明确的总体目标、计划实施内容、责任主体。满足①得20%权重分，②占80%权重分。",
    "绩效目标合理性": "①是否有部门整体支出绩效目标；②绩效目标与部门职能、规划计划是否具有相关性。满足①得20%权重分，否则此指标不得分；②占80%权重分。",
    "绩效指标明确性": "①是否将绩效目标细化分解为具体的绩效指标；②是否通过清晰、可衡量的指标值予以体现；③是否与年度工作任务数相对应。分别占30%、40%、30%的权重分。",
    "预算编制科学性": "①预算编制是否经过科学论证；②预算额度测算依据是否充分。每项占50%的权重分，扣完为止。",
    "资金分配合理性": "①资金分配依据是否充分；②分配结果是否合理。每项分别占50%的权重分，扣完为止。",
}
DEDUCT_TEXT = "但是存在部分工作未按计划完成、相关资料不够完整的情况。"


def _share_text(p: int) -> str:
    return f"{p}"


def _rate_text(score: Decimal, weight: Decimal) -> tuple[str, Decimal]:
    r = q(score / weight * 100, 1)
    return f"{num(r)}%", r


class _Ind:
    def __init__(self, l1, l2, name, weight, rule="", kind="judge", text=""):
        self.l1, self.l2, self.name, self.weight = l1, l2, name, Decimal(str(weight))
        self.rule, self.kind, self.text = rule, kind, text
        self.score: Decimal = self.weight
        self.share: int | None = 100  # percent of weight the narrative states; None: bare score sentence
        self.target_raw = self.actual_raw = None
        self.narrative = ""


def render(ctx: Ctx) -> tuple[TextDoc, list[Evaluation]]:
    rng, uy, place, year, layout = ctx.rng, ctx.uy, ctx.place, ctx.year, ctx.layout
    inj = set(ctx.injections)
    s = place.short  # 区总工会
    region = place.unit_name.removesuffix("总工会")
    abbr = PROVINCE_ABBREVIATIONS.get(place.province_code, "")
    finance = ctx.mode == "finance"
    evaluator = f"{region}财政局" if finance else rng.choice(catalog.EVALUATOR_FIRMS)
    doc = TextDoc()
    doc.add(MARKER_LINE)
    doc.blank()
    unit_line = doc.add(place.unit_name)
    doc.add(f"{year} 年度部门整体支出绩效评价报告")
    doc.blank()
    doc.add(evaluator)
    doc.blank()
    month = rng.choice((4, 5, 6, 7, 8))
    doc.add(f"{year + 1} 年 {month} 月")
    doc.blank(2)
    ev = new_evaluation(place, year, "department_overall", unit_line=unit_line, mode="finance" if finance else "third_party",
                        evaluator=evaluator, report_date=f"{year + 1}-{month:02d}",
                        framework=f"{abbr}财绩〔{year}〕9号 部门整体支出（决策15/管理25/产出30/效益30）")
    doc.add("目 录")
    for t, p in (("一、部门（单位）概况", 1), ("二、评价工作开展情况", 12), ("三、评价总体结论", 22), ("四、部门（单位）整体支出绩效实现情况", 23), ("五、部门整体支出绩效中存在问题及改进措施", 36)):
        doc.add(f"{t}\t{p}")
    doc.blank()
    if finance:
        doc.add(f"本次评价为财政评价，由{region}财政局组织实施，评价方式：财政重点评价。")
        doc.blank()

    # --- 一、概况: staffing and assets ----------------------------------------------------------
    doc.add("一、部门（单位）概况")
    doc.blank()
    doc.add("（一）部门（单位）主要职责职能，组织架构、人员及资产等基本情况")
    doc.blank()
    doc.add("1.部门（单位）主要职责职能")
    doc.add(f"{s}为{region}人民政府工作部门，负责依法征收工会经费，组织和指导全{place.kind_char}各基层工会开展工作。")
    doc.blank()
    doc.add("2.部门(单位)组织架构及人员情况")
    doc.add("(2) 人员情况")
    auth, actual = uy.headcount_authorised, uy.headcount_actual
    a1 = max(1, auth // 5)
    b1 = max(0, (auth - a1) // 2)
    c1 = auth - a1 - b1
    a2 = min(a1, actual)
    b2 = min(b1, actual - a2)
    c2 = actual - a2 - b2
    doc_no = f"{region[-3:-1] if len(region) >= 3 else region[0]}办发〔2015〕{rng.randint(10, 60)}号"

    def staffing_sentence(act: int, a: int, b: int, c: int) -> str:
        return (f"{s}编制人数小计{auth}人，其中：行政编制人数{a1}人，参照公务员管理的事业编制人数{b1}人，全部补助事业编制人数{c1}人，"
                f"自收自支编制人数0人。实际在职编制人数小计{act}人，行政在职人数{a}人，参照公务员管理的事业单位在职人数{b}人，全部补助事业在职人数{c}人。")

    line = doc.add(f"根据《{place.unit_name}职能配置、内设机构和人员编制规定》（{doc_no}）文件，" + staffing_sentence(actual, a2, b2, c2))
    plain(ev, "headcount_authorised", auth, f"编制人数小计{auth}人", line)
    plain(ev, "headcount_actual", actual, f"实际在职编制人数小计{actual}人", line)
    doc.blank()
    doc.add("3.部门（单位）资产情况")
    fa_orig = q(Decimal(str(rng.uniform(8e4, 2.5e6))), 2)
    fa_net = q(fa_orig * Decimal(str(rng.uniform(0.3, 0.85))), 2)
    fa_orig_start = fa_orig - q(Decimal(str(rng.uniform(0, 2e4))), 2)
    fa_net_start = fa_net + q(Decimal(str(rng.uniform(1e3, 3e4))), 2)
    doc.add(f"{year}年度{s}部门年初固定资产净值为{num(fa_net_start)}元，年末固定资产净值为{num(fa_net)}元，主要下降原因是因为固定资产折旧。")
    doc.add(f"{year}年度{s}资产情况明细表")
    asset_layout = layout
    doc.row(["项 目", "年初数", "", "年末数", ""], asset_layout)
    doc.row(["", "数量", "金额", "数量", "金额"], asset_layout)
    cells = doc.row(["（三）固定资产原值", "—", thousands(fa_orig_start), "—", thousands(fa_orig)], asset_layout)
    yuan(ev, "fa_original_value_yuan", fa_orig, thousands(fa_orig), cells[4])
    doc.row(["减：固定资产累计折旧", "—", thousands(fa_orig_start - fa_net_start), "—", thousands(fa_orig - fa_net)], asset_layout)
    cells = doc.row(["固定资产净值", "—", thousands(fa_net_start), "—", thousands(fa_net)], asset_layout)
    yuan(ev, "fa_net_value_yuan", fa_net, thousands(fa_net), cells[4])
    doc.blank()

    # --- budget paragraphs ---------------------------------------------------------------
    doc.add("（四）当年部门预算及执行情况")
    doc.add("1.部门预算及执行情况")
    init = uy.budget_wan
    other = Decimal(0) if rng.random() < 0.5 else q(init * Decimal(str(rng.uniform(0.02, 0.08))), 2)
    adj = init if (rng.random() < 0.35 and "rate_base" not in inj) else q(init * Decimal(str(rng.uniform(0.93, 1.08))), 4)
    if adj == init and "rate_base" in inj:
        adj = init + Decimal("12.5")
    exp = q(adj * uy.exec_pct / 100, 4)
    rate = ratio_pct(exp, adj, 2)
    b0 = q(init * Decimal(str(rng.uniform(0.15, 0.4))), 2)
    p0 = init - b0
    b1 = q(adj * Decimal(str(rng.uniform(0.15, 0.4))), 4)
    p1 = adj - b1
    pu1 = q(b1 * Decimal(str(rng.uniform(0.08, 0.25))), 4)
    pe1 = b1 - pu1
    p2 = p1 if rng.random() < 0.6 else q(p1 * Decimal(str(rng.uniform(0.9, 1.05))), 4)
    b2 = exp - p2
    if b2 <= 0:
        p2 = q(exp * Decimal("0.7"), 4)
        b2 = exp - p2
    pu2 = q(b2 * Decimal(str(rng.uniform(0.08, 0.25))), 4)
    pe2 = b2 - pu2
    stated_pe2 = pe2 + (q(Decimal(str(rng.uniform(2, 15))), 4) if "sum_mismatch" in inj else 0)
    other_txt = f"，其他收入 {num(other)} 万元" if other else ""
    line = doc.add(f"根据《{place.unit_name} {year} 年部门预算批复公开表》，{year} 年{s}年初批复预算收入为 {num(init)} 万元，其中：一般公共预算收入 {num(init - other)} 万元{other_txt}。"
                   f"{year} 年部门支出预算为 {num(init)} 万元，其中：基本支出 {num(b0)} 万元，项目支出 {num(p0)} 万元。")
    wan(ev, "budget_initial_yuan", init, f"{num(init)} 万元", line)
    line = doc.add(f"根据《{place.unit_name} {year} 年部门决算表》，{year} 年{s}调整后全年预算收入数为 {num(adj)} 万元，其中：一般公共预算财政拨款收入 {num(adj - other)} 万元{other_txt}；"
                   f"调整后全年预算支出数为 {num(adj)} 万元，其中：基本支出 {num(b1)} 万元(人员经费 {num(pe1)} 万元、公用经费 {num(pu1)} 万元),项目支出 {num(p1)} 万元。")
    wan(ev, "budget_adjusted_yuan", adj, f"{num(adj)} 万元", line)
    unit_word = "元" if "unit_yuan" in inj else "万元"
    line = doc.add(f"根据《{place.unit_name} {year} 年部门决算表》，{year} 年{s}年末决算支出为 {num(exp)} 万元，其中：基本支出 {num(b2)} 万元"
                   f"(人员经费 {num(stated_pe2)} {unit_word}、公用经费 {num(pu2)} {unit_word})，项目支出 {num(p2)} 万元；支出预算完成率为 {num(rate)}%。")
    wan(ev, "expenditure_yuan", exp, f"{num(exp)} 万元", line)
    wan(ev, "exp_basic_yuan", b2, f"{num(b2)} 万元", line)
    wan(ev, "exp_personnel_yuan", stated_pe2, f"{num(stated_pe2)} {unit_word}", line)
    wan(ev, "exp_public_operating_yuan", pu2, f"{num(pu2)} {unit_word}", line)
    wan(ev, "exp_project_yuan", p2, f"{num(p2)} 万元", line)
    plain(ev, "budget_exec_pct", rate, f"{num(rate)}%", line)
    if "unit_yuan" in inj:
        expect(ev, "unit_suspect", f"“人员经费 {num(stated_pe2)} 元”“公用经费 {num(pu2)} 元”：数量级是万元", line)
    if "sum_mismatch" in inj:
        expect(ev, "sum_mismatch", f"基本支出 {num(b2)} 万元 ≠ 人员经费 {num(stated_pe2)} + 公用经费 {num(pu2)}", line)
    if exp > adj:
        expect(ev, "overspend_unexplained", f"决算支出 {num(exp)} 万元超过调整后预算 {num(adj)} 万元，未说明资金来源", line)
    budget_line = line
    doc.blank()
    doc.add("2.部门政府采购预算及执行情况")
    pb = q(Decimal(str(rng.uniform(5, 120))), 2 if rng.random() < 0.5 else 1)
    pb_services = q(pb * Decimal(str(rng.uniform(0, 0.3))), 1)
    pa_yuan = q(pb * 10_000 * uy.procurement_exec_pct / 100, 0)
    pa_text = f"{thousands(pa_yuan, 0)} 元" if pa_yuan < 10_000 else f"{num(q(pa_yuan / 10_000, 4))} 万元"
    pa_value = pa_yuan if pa_yuan < 10_000 else q(pa_yuan / 10_000, 4) * 10_000
    pr = ratio_pct(pa_value, pb * 10_000, 2)
    pr_stated = pr
    if "rate_recompute" in inj:
        pr_stated = q(pr + Decimal(str(rng.uniform(3, 20))), 2) if pr < 80 else q(pr - Decimal(str(rng.uniform(3, 20))), 2)
    proc_sentence = (f"{year} 年度{s}政府采购预算总额 {num(pb)} 万元，其中：政府采购货物预算 {num(pb - pb_services)} 万元、政府采购工程预算 0 万元、"
                     f"政府采购服务预算 {num(pb_services)} 万元。{year} 年政府采购实际支出 {pa_text}，政府采购预算执行率为 {num(pr_stated)}%。")
    line = doc.add(f"根据《{place.unit_name} {year} 年预算编制说明》，" + proc_sentence)
    wan(ev, "procurement_budget_yuan", pb, f"{num(pb)} 万元", line)
    yuan(ev, "procurement_actual_yuan", pa_value, pa_text, line)
    plain(ev, "procurement_exec_pct", pr_stated, f"{num(pr_stated)}%", line)
    if "rate_recompute" in inj:
        expect(ev, "rate_recompute_mismatch", f"政府采购执行率印作 {pr_stated}%，按 {pa_text} ÷ {num(pb)} 万元 为 {pr}%", line)
    doc.blank()
    doc.add("3.部门“三公”经费预算及执行情况")
    tb = Decimal(rng.randrange(2000, 60000, 100))
    ta = q(tb * Decimal(str(rng.uniform(0.2, 1.0))), 0)
    tr = ratio_pct(ta, tb, 2)
    three_sentence = (f"{year} 年度{s}“三公”经费预算为 {thousands(tb, 0)} 元，均为公务接待费预算，{year} 年“三公”经费支出 {thousands(ta, 0)} 元，"
                      f"“三公”经费执行率为 {num(tr)}%。")
    line = doc.add(f"根据《{place.unit_name} {year} 年部门预算批复公开表》，" + three_sentence)
    yuan(ev, "three_public_budget_yuan", tb, f"{thousands(tb, 0)} 元", line)
    yuan(ev, "three_public_actual_yuan", ta, f"{thousands(ta, 0)} 元", line)
    plain(ev, "three_public_control_pct", tr, f"{num(tr)}%", line)
    doc.blank()

    # --- indicators and their scores --------------------------------------------------------
    inds: list[_Ind] = []
    for l1, l2, items in catalog.TP_DECISION:
        for name, w in items:
            inds.append(_Ind(l1, l2, name, w))
    m = "部门管理"
    inds += [
        _Ind(m, "资金管理", "支出预算执行率", 4, "支出预算完成率=(支出预算完成数/支出预算下达数)×100%。支出预算完成率为100%得满分，否则执行率在90%(含)~100%得3分，80%(含)~90%得2分，80%以下不得分。如若存在超支现象，按照每超支1%扣5%权重分计算，扣完为止。", "exec"),
        _Ind(m, "资金管理", "资金使用合规性", 6, "现场核查财务凭证，每发现1处不符合要求扣25%权重分，扣完为止。"),
        _Ind(m, "预算管理", "管理制度健全性", 4, "以上提及的管理制度每项占25%权重分，每缺少1项扣除相应权重分，扣完为止。"),
        _Ind(m, "预算管理", "预决算信息公开性", 2, "核查官网信息，每发现一次未公开或内容不完整扣50%权重分，扣完为止。"),
        _Ind(m, "政府采购管理", "政府采购执行率", 3, "政府采购执行率=实际政府采购金额/政府采购预算数×100%；政府采购执行率为100%得满分，否则执行率在90%(含)~100%得1.5分，80%(含)~90%得1分，80%以下不得分。", "proc"),
        _Ind(m, "资产管理", "资产管理规范性", 2, "①对外投资行为是否经审批；②是否有因管理不当发生严重资产损失和丢失情况；③是否存在超标准配置资产。"),
        _Ind(m, "资产管理", "固定资产利用率", 2, "固定资产利用率=(实际在用固定资产总额/所有固定资产总额)×100%。利用率为100%得满分，90%(含)~100%得1.5分，80%(含)~90%得1分，80%以下不得分。", "fa"),
        _Ind(m, "组织实施", "管理制度健全性", 2, "现场调研部门项目管理制度是否健全，每发现1个项目管理制度不健全扣50%权重分，扣完为止。"),
    ]
    # 产出数量: 5–8 quantity indicators over 10 points.
    qty_items = rng.sample(catalog.TP_QUANTITY, rng.randint(5, 8))
    weights = _weights(rng, 10, len(qty_items))
    missed_forced = "target_missed_full" in inj
    for i, (item, w) in enumerate(zip(qty_items, weights)):
        name, unit, lo, hi, rule, sent = item
        t = rng.randint(lo, hi)
        miss = (i == 0 and missed_forced) or rng.random() < max(0.02, 0.12 - 0.06 * uy.level)
        a = max(1, int(t * rng.uniform(0.6, 0.95))) if miss else int(t * rng.uniform(1.0, 1.3))
        if miss and a >= t:
            a = t - 1
        ind = _Ind("部门产出", "产出数量", name, w, rule.format(t=t), "qty", sent.format(y=year, s=s, a=a))
        ind.target_raw = f"{t}{unit}以上" if "以上" in rule else f"{t}{unit}"
        ind.actual_raw = f"{a}{unit}"
        ind.t, ind.a, ind.miss = t, a, miss
        if miss and not (i == 0 and missed_forced):
            share = int(Decimal(a) / Decimal(t) * 100)
            ind.share = share
            ind.score = q(ind.weight * share / 100, 2)
        ind.forced_full = i == 0 and missed_forced
        inds.append(ind)
    qual_items = rng.sample(catalog.TP_QUALITY, rng.randint(3, 5))
    for (name, rule, text), w in zip(qual_items, _weights(rng, 10, len(qual_items))):
        inds.append(_Ind("部门产出", "产出质量", name, w, rule, "judge", text))
    inds.append(_Ind("部门产出", "产出时效", "部门工作完成及时率", 5, "部门工作在年度内均按时完成，完成及时率为100%得100%权重分，否则每发现1项未及时完成扣20%权重分，扣完为止。"))
    inds += [
        _Ind("部门产出", "产出成本", "在职人员控制率", 1, "在职人员控制率=(在职人员数/编制数)×100%；控制率≤100%得满分，否则不得分。", "staff"),
        _Ind("部门产出", "产出成本", "“三公经费”控制率", 1, "“三公经费”控制率=(“三公经费”实际支出数/“三公经费”预算安排数)×100%；控制率≤100%得满分。", "three"),
        _Ind("部门产出", "产出成本", "公用经费控制率", 2, "公用经费变动比率=(本年度公用经费总额-上年度公用经费总额)/上年度公用经费总额×100%；变动比率≤0%得满分，否则每超过5%扣10%权重分，扣完为止。", "public"),
        _Ind("部门产出", "产出成本", "预算支出标准执行率", 1, "预算支出标准执行率=按照预算支出标准执行的业务数/已建设预算支出标准业务数×100%"),
    ]
    soc_items = rng.sample(catalog.TP_SOCIAL, rng.randint(4, 6))
    for (name, rule, text), w in zip(soc_items, _weights(rng, 16, len(soc_items))):
        inds.append(_Ind("部门效益", "社会效益", name, w, rule, "judge", text))
    name, rule, text = rng.choice(catalog.TP_SUSTAIN)
    inds.append(_Ind("部门效益", "可持续影响", name, 4, rule, "judge", text))
    two_groups = rng.random() < 0.6
    sat_main = uy.satisfaction_pct
    sat_staff = min(Decimal(100), sat_main + rng.randint(0, 6))
    sat_specs = [("基层工会职工满意度", 8, sat_main), ("部门职工满意度", 2, sat_staff)] if two_groups else [("服务对象满意度", 10, sat_main)]
    for name, w, pct in sat_specs:
        ind = _Ind("部门效益", "服务对象满意度", name, w, "满意度≥90%得100%权重分，否则每下降1%扣5%权重分，扣完为止。", "sat")
        ind.pct = pct
        inds.append(ind)

    # Rule-scored indicators.
    for ind in inds:
        if ind.kind == "exec":
            if rate > 100:
                ind.score = max(Decimal(0), q(ind.weight * (1 - Decimal("0.05") * (rate - 100)), 2))
            elif rate == 100:
                ind.score = ind.weight
            else:
                ind.score = Decimal(3) if rate >= 90 else Decimal(2) if rate >= 80 else Decimal(0)
            ind.share = None
        elif ind.kind == "proc":
            ind.score = ind.weight if pr >= 100 else Decimal("1.5") if pr >= 90 else Decimal(1) if pr >= 80 else Decimal(0)
            ind.share = int(ind.score / ind.weight * 100)
        elif ind.kind == "sat":
            ind.score = ind.weight if ind.pct >= 90 else max(Decimal(0), q(ind.weight * (1 - Decimal("0.05") * (90 - ind.pct)), 2))
            ind.share = int(q(ind.score / ind.weight * 100, 0))
    for ind in inds:
        # "得X%权重分Y分" only where X% of the weight is exactly Y; otherwise the bare "得Y分".
        if ind.share is not None and q(ind.weight * ind.share / 100, 2) != ind.score:
            ind.share = None
    fixed_loss = sum(i.weight - i.score for i in inds if i.kind != "judge")
    judge = {f"{i.l2}/{i.name}": i.weight for i in inds if i.kind == "judge"}
    shares = spread_losses(rng, judge, max(Decimal(0), Decimal(100) - uy.external_total - fixed_loss))
    for ind in inds:
        if ind.kind == "judge":
            ind.share = shares[f"{ind.l2}/{ind.name}"]
            ind.score = q(ind.weight * ind.share / 100, 2)

    # Narrative self-contradiction: a 0-score indicator written as "得100%权重分0.00分".
    contradiction = None
    if "narrative_self" in inj:
        contradiction = rng.choice([i for i in inds if i.kind == "judge"])
        contradiction.score = Decimal(0)
        contradiction.share = 0
    table_mismatch = None
    appendix = rng.random() < 0.45 or "narrative_table" in inj
    if "narrative_table" in inj:
        table_mismatch = rng.choice([i for i in inds if i.kind == "judge" and i.weight >= 2])

    # --- 二、评价工作开展情况 -----------------------------------------------------------------
    doc.add("二、评价工作开展情况")
    doc.add("（二）评价方法和指标体系")
    doc.add(f"根据《{place.province}省级项目支出和部门整体支出绩效评价管理暂行办法》（{abbr}财绩〔{year}〕9号）等文件精神，确定本次绩效评价指标的整体框架。")
    doc.add("（1）部门决策：占权重15分，用于考核部门规划计划明确性、绩效目标编制合理性、预算资金编制分配合理性等情况。")
    doc.add("（2）部门管理：占权重25分，用于考核预算资金到位及执行使用的合规性、项目管理制度健全及有效性等情况。")
    line = doc.add("（3）项目产出：占权重30分，分为产出数量、产出质量、产出时效、产出成本四个方面，用于衡量实际工作成果。")
    expect(ev, "heading_mixed_terms", "一级指标在方法一节写作“项目产出/项目效益”，在得分表中为“部门产出/部门效益”", line)
    doc.add("（4）项目效益：占权重30分，分为社会效益、可持续影响、满意度等方面，用于展现项目实施效果及群众对项目实施后的满意度情况。")
    doc.blank()
    doc.add("部门整体支出绩效评价指标体系")
    doc.blank()
    table_layout = layout
    doc.row(["一级指标", "二级指标", "三级指标", "评分标准"], table_layout)
    l2_weights = _level2_weights(inds)
    prev1 = prev2 = None
    for ind in inds:
        c1 = f"{ind.l1} ({dict(L1)[ind.l1]}分)" if ind.l1 != prev1 else ""
        c2 = f"{ind.l2} ({num(l2_weights[(ind.l1, ind.l2)])}分)" if (ind.l1, ind.l2) != prev2 else ""
        doc.row([c1, c2, ind.name, ind.rule or DECISION_RULES.get(ind.name, "符合得100%权重分，否则酌情扣分。")], table_layout)
        prev1, prev2 = ind.l1, (ind.l1, ind.l2)
    doc.blank()

    # --- 三、评价总体结论 ----------------------------------------------------------------------
    score_sum = sum(i.score for i in inds)
    total = score_sum
    if "total_sum" in inj:
        total = score_sum + Decimal(rng.choice((-1, 1))) * q(Decimal(str(rng.uniform(0.5, 3))), 2)
    grade = band(total)
    grade_raw = better_band(grade) if "grade_band" in inj else grade
    set_grade(ev, total, grade_raw, grade_raw)
    doc.add("三、评价总体结论")
    doc.add("(一) 评价得分情况")
    v = rng.random()
    if v < 0.5:
        line = doc.add(f"运用由评价组研发并通过内部论证的评价指标体系及评分标准，对{s}全年工作情况进行客观评价，最终评分结果：{s}部门整体总得分为 **{fixed(total)}** 分，绩效评级为“{grade_raw}”。")
    elif v < 0.8:
        line = doc.add(f"经综合评价，{s}部门整体支出绩效评价总得分为{fixed(total)}分，绩效评级为“{grade_raw}”。")
    else:
        line = doc.add(f"最终评分结果：{s}{year}年度部门整体支出绩效评价得分{fixed(total)}分，评价等级为“{grade_raw}”。")
    if "grade_band" in inj:
        expect(ev, "grade_band_mismatch", f"总分 {fixed(total)} 对应“{grade}”，报告评为“{grade_raw}”", line)
    doc.blank()
    doc.add(f"{place.unit_name}部门整体支出绩效评价得分一览表")
    doc.blank()
    doc.row(["一级指标", "二级指标", "权重", "得分", "得分率"], table_layout)
    l2_scores: dict[tuple[str, str], Decimal] = {}
    for ind in inds:
        l2_scores[(ind.l1, ind.l2)] = l2_scores.get((ind.l1, ind.l2), Decimal(0)) + ind.score
    wrong_rate_key = rng.choice(list(l2_scores)) if "score_rate" in inj else None
    prev1 = None
    for (l1, l2), sc in l2_scores.items():
        if l1 == "部门效益" and l2 == "社会效益" and rng.random() < 0.7:
            cells = doc.row([f"{l1}指标 ({dict(L1)[l1]}分)", "经济效益", "——", "——", ""], table_layout)
            prev1 = l1
            expect(ev, "weight_redistributed", "经济效益为“——”，其分值并入社会效益", cells[1])
        w = l2_weights[(l1, l2)]
        rate_text, rate_val = _rate_text(sc, w)
        if (l1, l2) == wrong_rate_key:
            rate_val = Decimal(100) if sc < w else Decimal(60)
            rate_text = f"{num(rate_val)}%"
        c1 = f"{l1}指标 ({dict(L1)[l1]}分)" if l1 != prev1 else ""
        cells = doc.row([c1, l2, num(w), num(sc), rate_text], table_layout)
        prev1 = l1
        ev.indicators.append(indicator(l1, l2, None, weight=w, score=sc, line=cells[1], level=2, table="summary", rate=rate_val))
        if (l1, l2) == wrong_rate_key:
            expect(ev, "score_rate_mismatch", f"{l2}: 得分 {num(sc)}/权重 {num(w)}，得分率印作 {rate_text}", cells[4])
    cells = doc.row(["", "合计", "100", num(total), f"{num(total)}%"], table_layout)
    if "total_sum" in inj:
        expect(ev, "total_sum_mismatch", f"各二级指标得分之和 {num(score_sum)} ≠ 总分 {num(total)}", cells[3])
    doc.blank()
    doc.add("（二）评价总体结论")
    doc.add(f"评价组通过资料收集、财务核查、现场调研等方式了解{s}部门基本情况及履职工作完成情况，部门整体进展情况良好。")
    doc.blank()

    # --- 四、绩效实现情况: one paragraph per indicator ---------------------------------------------
    doc.add("四、部门（单位）整体支出绩效实现情况")
    sections = {"部门决策": "（一）部门决策完成情况", "部门管理": "（二）部门管理完成情况", "部门产出": "（三）部门产出完成情况", "部门效益": "（四）部门效益完成情况"}
    prev1 = prev2 = None
    n2 = n3 = 0
    sat_metric_done = False
    for ind in inds:
        if ind.l1 != prev1:
            doc.blank()
            doc.add(sections[ind.l1])
            n2 = 0
        if (ind.l1, ind.l2) != prev2:
            n2 += 1
            n3 = 0
            doc.blank()
            doc.add(f"{n2}.{ind.l2}（{num(l2_weights[(ind.l1, ind.l2)])}分）")
        prev1, prev2 = ind.l1, (ind.l1, ind.l2)
        n3 += 1
        doc.blank()
        head = rng.choice(("（{n}）{name}（{w}分）", "({n}) {name} ({w}分)", "（{n}）{name}（{w} 分）"))
        head_line = doc.add(head.format(n=n3, name=ind.name, w=num(ind.weight)))
        body = _body(ind, ctx, s, year, rate, exp, adj, init, pb, pa_text, pr_stated, tb, ta, tr, inj, fa_net, auth, actual)
        score_text = fixed(ind.score)
        if ind is contradiction:
            sentence = "依据评分标准，该项指标得100%权重分0.00分。"
        elif ind.share is None:
            sentence = f"依据评分标准得 {score_text} 分。"
        elif ind.score == 0:
            sentence = "依据评分标准，该项指标不得分。"
        else:
            narrated = ind.score
            if ind is table_mismatch:
                narrated = ind.score - Decimal(1) if ind.score >= 1 else ind.score + Decimal(1)
                sentence = rng.choice(SCORE_SENTENCES).format(p=int(q(narrated / ind.weight * 100, 0)), s=fixed(narrated))
            else:
                sentence = rng.choice(SCORE_SENTENCES).format(p=ind.share, s=fixed(ind.score) if rng.random() < 0.8 else num(ind.score))
        if ind.kind != "judge" or ind.share in (100, None):
            text = body + sentence
        else:
            text = body + DEDUCT_TEXT + sentence
        line = doc.add(text)
        target_raw = ind.target_raw
        actual_raw = ind.actual_raw
        ev.indicators.append(indicator(ind.l1, ind.l2, ind.name, weight=ind.weight, score=ind.score, target_raw=target_raw,
                                       actual_raw=actual_raw, line=head_line, rule=ind.rule or None))
        if ind is contradiction:
            expect(ev, "narrative_self_contradiction", f"{ind.name}: “得100%权重分0.00分”", line)
        if ind.kind == "qty" and getattr(ind, "forced_full", False):
            expect(ev, "full_score_target_missed", f"{ind.name}: 目标 {ind.target_raw}，实际 {ind.actual_raw}，却得满分", line)
        if ind.kind == "sat":
            ev.satisfaction.append(satisfaction(ind.name.removesuffix("满意度"), ind.pct, ind.weight, ind.score, line, f"{num(ind.pct)}%"))
            if not sat_metric_done:
                plain(ev, "satisfaction_pct", ind.pct, f"{num(ind.pct)}%", line)
                sat_metric_done = True
        if ind.kind == "staff" and "headcount" in inj:
            expect(ev, "headcount_mismatch", "产出成本一节的在职人数与部门概况不一致", line)
        if ind.kind == "exec" and "rate_base" in inj:
            expect(ev, "rate_base_mismatch", f"引用年初批复预算 {num(init)} 万元为分母，而 {num(rate)}% 只能由调整后预算 {num(adj)} 万元复算", line)
        if ind.kind == "public":
            expect(ev, "same_name_different_formula", "“公用经费控制率”按同比变动率计算", line)
            plain(ev, "public_operating_cur_yuan", ind.cur, f"{num(ind.cur)}", line)
            plain(ev, "public_operating_prev_yuan", ind.prev, f"{num(ind.prev)}", line)
            plain(ev, "public_operating_change_pct", ind.chg, f"{num(ind.chg)}%", line)
        if ind.kind == "fa":
            plain(ev, "fa_utilisation_pct", Decimal(100), "100%", line)
        if ind.kind == "staff":
            plain(ev, "staffing_control_pct", ind.ctl, f"{num(ind.ctl)}%", line)

    # --- 五、问题 -----------------------------------------------------------------------------
    doc.blank()
    doc.add("五、部门整体支出绩效中存在问题及改进措施")
    doc.add("（一）主要问题及原因分析")
    picks = rng.sample(catalog.PROBLEMS, 3)
    for i, (prob, _) in enumerate(picks, start=1):
        line = doc.add(f"{i}.{prob}")
        ev.findings.append(Finding("problem", prob, line))
        doc.add(f"{s}在该方面仍有改进空间。")
    doc.add("(二) 改进的方向和具体措施")
    for i, (_, rec) in enumerate(picks, start=1):
        line = doc.add(f"{i}.{rec}")
        ev.findings.append(Finding("recommendation", rec, line))
        doc.add(f"建议{s}进一步完善相关工作。")

    if appendix:
        doc.blank()
        doc.add(f"{place.county}总工会部门整体支出绩效评价评价指标评分表")
        doc.row(["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"], table_layout)
        prev1 = prev2 = None
        for ind in inds:
            c1 = f"{ind.l1} ({dict(L1)[ind.l1]}分)" if ind.l1 != prev1 else ""
            c2 = f"{ind.l2} ({num(l2_weights[(ind.l1, ind.l2)])}分)" if (ind.l1, ind.l2) != prev2 else ""
            cells = doc.row([c1, c2, ind.name, num(ind.weight), ind.rule or "符合得满分", num(ind.score)], table_layout)
            prev1, prev2 = ind.l1, (ind.l1, ind.l2)
            if ind is table_mismatch:
                expect(ev, "narrative_table_score_mismatch", f"{ind.name}: 评分表得分 {num(ind.score)}，正文写作另一得分", cells[5])
    return doc, [ev]


def _weights(rng, total: int, n: int) -> list[Decimal]:
    """n weights in halves summing to total, each at least 0.5 (as seed 001's 产出数量)."""
    units = total * 2
    parts = [units // n] * n
    for _ in range(units - sum(parts)):
        parts[rng.randrange(n)] += 1
    return [Decimal(p) / 2 for p in parts]


def _level2_weights(inds: list[_Ind]) -> dict[tuple[str, str], Decimal]:
    out: dict[tuple[str, str], Decimal] = {}
    for i in inds:
        out[(i.l1, i.l2)] = out.get((i.l1, i.l2), Decimal(0)) + i.weight
    return out


def _body(ind: _Ind, ctx: Ctx, s, year, rate, exp, adj, init, pb, pa_text, pr, tb, ta, tr, inj, fa_net, auth, actual) -> str:
    rng = ctx.rng
    if ind.kind == "exec":
        over = "存在超支现象。" if rate > 100 else ("未超支。" if rate == 100 else "预算执行未达100%。")
        if "rate_base" in inj:
            return f"{year}年{s}年初批复预算收入为{num(init)}万元，决算支出为{num(exp)}万元，支出预算完成率为{num(rate)}%，{over}"
        return f"{year}年{s}调整后全年预算为{num(adj)}万元，决算支出为{num(exp)}万元，支出预算完成率为{num(rate)}%，{over}"
    if ind.kind == "proc":
        return f"{year} 年度{s}政府采购预算总额 {num(pb)} 万元，{year} 年政府采购实际支出 {pa_text}，政府采购预算执行率为 {num(pr)}%。"
    if ind.kind == "fa":
        return "目前已登记资产均在使用，固定资产利用率为 100%。"
    if ind.kind == "staff":
        act = actual
        if "headcount" in inj:
            act = actual + rng.randint(1, 3)
        ctl = q(Decimal(act) / Decimal(auth) * 100, 2)
        ind.ctl = ctl
        word = "未超编。" if ctl <= 100 else "存在超编。"
        return f"根据部门三定方案，{s}编制人数小计 {auth} 人。{year} 年实际在职编制人数小计 {act} 人。在职人员控制率为 {num(ctl)}%，{word}"
    if ind.kind == "three":
        return (f"{year} 年度{s}“三公”经费预算为 {thousands(tb, 0)} 元，{year} 年“三公”经费支出 {thousands(ta, 0)} 元，"
                f"三公经费控制率=(“三公经费”实际支出数/“三公经费”预算安排数)×100%=({thousands(ta, 0)}/{thousands(tb, 0)})×100%={num(tr)}%，")
    if ind.kind == "public":
        prev = q(Decimal(str(rng.uniform(5e4, 6e5))), 2)
        cur = q(prev * Decimal(str(rng.uniform(0.3, 1.0))), 2)
        chg = q((cur - prev) / prev * 100, 2)
        ind.prev, ind.cur, ind.chg = prev, cur, chg
        return (f"{year} 年度{s}公用经费预算为 {num(cur)} 元；{year - 1} 年度公用经费预算为 {num(prev)} 元，“公用经费”控制率=(本年度“公用经费”总额-上年度“公用经费”总额)/上年度“公用经费”总额×100%"
                f"=({num(cur)}-{num(prev)})/{num(prev)}×100%={num(chg)}%。")
    if ind.kind == "qty":
        return ind.text
    if ind.kind == "sat":
        return f"根据问卷调查数据，{year}年度职工对工会工作表示满意，{ind.name.removesuffix('满意度')}的满意度为 {num(ind.pct)}%。"
    base = JUDGE_TEXT.get(ind.name) or ind.text or "经核查，该项工作按计划完成。"
    return base.format(s=s, y=year)
