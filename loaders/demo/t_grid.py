"""Seed 000 (信丰县): a project evaluation report around a bare indicator grid (一级 / 二级 /
三级 / 年度指标值 / 实际完成值) with no weights, scores or grade; often titled 部门评价报告
although it evaluates one project."""

from __future__ import annotations

from decimal import Decimal

import loaders.demo.catalog as catalog
from loaders.demo.common import Evaluation, MARKER_LINE, Ctx, expect, indicator, plain, satisfaction, wan, new_evaluation
from loaders.demo.textdoc import TextDoc, num, q
from loaders.demo.world import rng_for

FAMILY = "indicator_grid"

INJECTIONS: dict[str, tuple[str, ...]] = {
    "narrative_sum": ("narrative_sum_mismatch", "grid_narrative_mismatch"),
    "double_counting": ("double_counting",),
    "pseudo_quant": ("pseudo_quantitative",),
    "unit_missing": ("unit_missing",),
    "count_under_quality": ("indicator_misplaced",),
}
EXCLUSIVE: tuple[set[str], ...] = ({"narrative_sum", "unit_missing"},)


def applicable(project_keys: tuple[str, ...]) -> list[str]:
    """Narrative money traps need the umbrella project, whose quantity rows are amounts."""
    if project_keys and project_keys[0] == "union_funds":
        return list(INJECTIONS)
    return [k for k in INJECTIONS if k not in ("narrative_sum", "unit_missing")]

# The umbrella 工会经费 project of seed 000: its quantity indicators are spending lines.
SPENDING_LINES = (
    ("基层工会阵地建设", "全县基层工会组织建设"),
    ("工人文化宫运营", "工人文化宫运营支出"),
    ("困难职工帮扶、送温暖、劳模三金", "困难职工帮扶及劳模慰问发放补助资金"),
    ("职工文体活动", "职工文体活动支出"),
    ("职工服务阵地建设", "职工服务阵地建设支出"),
)


def render(ctx: Ctx) -> tuple[TextDoc, list[Evaluation]]:
    rng, place, year, layout = ctx.rng, ctx.place, ctx.year, ctx.layout
    inj = set(ctx.injections)
    key = ctx.project_keys[0]
    umbrella = key == "union_funds"
    project = None if umbrella else catalog.PROJECT_BY_KEY[key]
    name = "工会经费" if umbrella else project.name
    doc = TextDoc()
    doc.add(MARKER_LINE)
    doc.add(rng.choice(("附件8", "附件", "附件3")))
    dept_title = rng.random() < 0.6
    title_line = doc.add(f"{place.unit_name}部门评价报告" if dept_title else f"{place.unit_name}{name}项目绩效评价报告")
    doc.blank()
    ev = new_evaluation(place, year, "project", unit_line=title_line, project=name, mode="self",
                        framework="项目支出绩效指标（产出/效益/满意度，无分值）")
    if dept_title:
        ev.report_kind_declared = "department_overall"
        expect(ev, "title_content_mismatch", "标题为“部门评价报告”，正文评价的是一个项目", title_line)
    base_rng = rng_for(ctx.profile.seed, "grid-base", place.admin_code, key)
    lo, hi = (200, 900) if umbrella else project.budget_range
    budget = q(Decimal(str(base_rng.uniform(lo, hi) * rng.uniform(0.9, 1.15))), 0 if rng.random() < 0.6 else 1)
    ch = place.kind_char
    doc.add("一、基本情况")
    purpose = ("全县困难职工资金的发放；送温暖资金的发放；困难劳模慰问金；全县基层工会组织建设以及工人文化宫运营等情况" if umbrella
               else project.purpose.split("用于")[-1])
    doc.add(f"（一）项目概况。{name}项目主要用于{purpose}。")
    doc.add(f"（二）项目绩效目标。总体目标：实现全{ch}工运事业高质量发展。阶段性目标：{year}年6月底前达到50%，12月份以前完成100%。")
    doc.add("二、绩效评价工作开展情况")

    # Quantity rows: spending lines (umbrella) or counts (a catalog project).
    qty_rows = []  # (name, target, actual, narrative text)
    narrative_bits = []
    if umbrella:
        lines = rng.sample(SPENDING_LINES, 3)
        cuts = sorted(rng.sample(range(1, int(budget)), 2))
        amounts = [Decimal(cuts[0]), Decimal(cuts[1] - cuts[0]), budget - cuts[1]]
        for (grid_name, narr_name), amount in zip(lines, amounts):
            qty_rows.append((grid_name, f"{num(amount)}万元", f"{num(amount)}万元", narr_name, amount))
    else:
        for qname, unit, qlo, qhi in project.quantity:
            t = rng.randint(qlo, qhi)
            a = t if rng.random() < 0.7 else int(t * rng.uniform(1.0, 1.25))
            qty_rows.append((qname, f"{t}{unit}", f"{a}{unit}", None, None))
    narrative_amounts = []
    for i, (gname, t, a, narr, amount) in enumerate(qty_rows):
        if amount is None:
            narrative_bits.append(f"{gname}{a}")
            continue
        stated = amount
        text = f"{narr}{num(amount)}万元"
        if "narrative_sum" in inj:
            stated = q(amount * Decimal(str(rng.uniform(0.6, 0.95))), 2)
            text = f"{narr}{num(stated)}万余元"
        if "unit_missing" in inj and i == 1:
            text = f"{narr}{num(amount)}万"
        narrative_amounts.append(stated)
        narrative_bits.append(text)
    people = rng.randint(2, 20) * 10000
    narrative = f"{year}年{ch}财政局安排我单位部门预算项目资金{num(budget)}万元。开展活动{num(Decimal(people) / 10000)}万人次，" + "，".join(narrative_bits) + "。"
    line = doc.add("一是绩效评价目的、对象和范围。工会经费主要目的就是让全县基层工会会员得到实惠、维护全体职工合法权益。" + narrative)
    wan(ev, "budget_adjusted_yuan", budget, f"{num(budget)}万元", line)
    if "narrative_sum" in inj:
        expect(ev, "narrative_sum_mismatch", f"正文分项合计 {num(sum(narrative_amounts))} 万元 ≠ 项目资金 {num(budget)} 万元", line)
        expect(ev, "grid_narrative_mismatch", "正文中的分项金额与指标表不一致", line)
    if "unit_missing" in inj:
        expect(ev, "unit_missing", f"“{narrative_bits[1]}”缺少单位", line)
    doc.add("二是绩效评价指标体系。绩效指标主要从产出指标、效益指标、满意度指标三大方面展开。详见附表。")
    doc.blank()
    doc.add("\t")
    for ch_ in "绩效指标":
        doc.blank()
        doc.add(ch_)
    doc.row(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"], layout)
    doc.blank()

    def grid_row(l1_cell, l2_cell, idx, iname, target, actual, l1, l2):
        cells = doc.row(["", l1_cell, l2_cell, f"指标{idx}：{iname}", target, actual], layout)
        ev.indicators.append(indicator(l1, l2, f"指标{idx}：{iname}", target_raw=target, actual_raw=actual, line=cells[3], table="goals"))
        return cells

    for i, (gname, t, a, _, _) in enumerate(qty_rows, start=1):
        grid_row("产出指标" if i == 1 else "", "数量指标" if i == 1 else "", i, gname, t, a, "产出指标", "数量指标")
    activities = rng.randint(20, 150)
    if "count_under_quality" in inj:  # the seed's trap: a count filed as a quality indicator
        cells = grid_row("", "质量指标", 1, f"全{ch}职工活动开展数", f"{activities}场", f"{activities + rng.randint(0, 10)}场", "产出指标", "质量指标")
        expect(ev, "indicator_misplaced", f"数量“全{ch}职工活动开展数 {activities}场”放在质量指标下", cells[3])
    else:
        grid_row("", "质量指标", 1, rng.choice(("活动组织合格率", "资金发放准确率", "帮扶对象认定准确率")),
                 f"≥{rng.choice((90, 95))}%", f"{rng.randint(96, 100)}%", "产出指标", "质量指标")
    grid_row("", "时效指标", 1, f"全{ch}职工活动开展及时率", "100%", "100%", "产出指标", "时效指标")
    if "double_counting" in inj and umbrella:
        gname, t, a, _, _ = qty_rows[1]
        cells = grid_row("", "成本指标", 1, f"{gname}成本", t, a, "产出指标", "成本指标")
        expect(ev, "double_counting", f"成本指标“{gname}成本 {t}”重复了数量指标“{gname} {t}”", cells[3])
    elif "double_counting" in inj:
        gname, t, a, _, _ = qty_rows[0]
        cells = grid_row("", "成本指标", 1, f"{gname}成本", f"{num(budget)}万元", f"{num(budget)}万元", "产出指标", "成本指标")
        grid_row("", "", 2, "项目资金总额", f"{num(budget)}万元", f"{num(budget)}万元", "产出指标", "成本指标")
        expect(ev, "double_counting", f"成本指标两次计入同一笔 {num(budget)} 万元", cells[3])
    else:
        spent = q(budget * Decimal(str(rng.uniform(0.93, 1.0))), 2)
        grid_row("", "成本指标", 1, "项目支出成本控制", f"≤{num(budget)}万元", f"{num(spent)}万元", "产出指标", "成本指标")
    pseudo = "pseudo_quant" in inj
    benefit_rows = (
        ("经济效益\n指标", f"为全{ch}经济效益提升提供精神支柱", "100%", "100%") if pseudo else ("经济效益\n指标", "带动职工参与经济技术创新", "有效带动", "有效带动"),
        ("社会效益\n指标", f"全{ch}职工活动参与率", f"≥{rng.choice((85, 90, 95))}%", f"{rng.randint(95, 100)}%"),
        ("生态效益\n指标", "有效提高生态效益", "100%", "100%") if pseudo else ("生态效益\n指标", "倡导绿色低碳的职工文化", "是", "是"),
        ("可持续影响指标", "职工活动可持续开展", "长期", "长期"),
    )
    for i, (l2, iname, t, a) in enumerate(benefit_rows):
        cells = grid_row("效益指标" if i == 0 else "", l2, 1, iname, t, a, "效益指标", l2.replace("\n", ""))
        if pseudo and i == 0:
            expect(ev, "pseudo_quantitative", f"“{iname}”是定性事项，写成了 100%", cells[4])
    sat = ctx.uy.satisfaction_pct
    sat_target = f"≥{rng.choice((85, 90))}%"
    cells = doc.row(["", "满意度指标", "服务对象满意度指标", "指标1：职工满意度", sat_target, f"{num(sat)}%"], layout)
    ev.indicators.append(indicator("满意度指标", "服务对象满意度指标", "指标1：职工满意度", target_raw=sat_target,
                                   actual_raw=f"{num(sat)}%", line=cells[3], table="goals"))
    ev.satisfaction.append(satisfaction("职工", sat, None, None, cells[5], f"{num(sat)}%"))
    plain(ev, "satisfaction_pct", sat, f"{num(sat)}%", cells[5])
    expect(ev, "no_scores", "指标表只有年度指标值和实际完成值，没有分值、得分、总分和等次")
    doc.blank()
    doc.add("三是绩效评价过程。")
    doc.add(f"第一阶段：准备阶段（{year + 1}年3月20日前）。成立项目评价工作小组，制定项目工作计划。")
    doc.add(f"第二阶段：评价工作执行阶段（{year + 1}年4月1日-{year + 1}年4月30日）。依据评价指标体系收集相关数据，组织问卷调查和项目调研。")
    doc.add(f"第三阶段：评价报告撰写（{year + 1}年5月1日-{year + 1}年5月10日）。项目评价小组撰写项目评价报告。")
    doc.add("四、综合评价情况及评价结论")
    doc.add("（一）项目决策情况：该项目的各方面决策都按照“三重一大”集体决策制度推进。")
    doc.add("（二）项目过程情况：该项目在实施过程中严格按照所制定的方案推进。")
    doc.add(f"（三）项目产出情况：数量指标方面，{narrative}全年开展职工活动{activities}场以上。")
    doc.add("五、主要经验做法及存在的问题")
    doc.add("随着困难职工帮扶、基层工会组织建设、职工文体活动的开展不断推进，资金缺口问题突出。")
    doc.add("六、有关措施及建议")
    doc.add(f"建议{ch}财政对我单位加大资金的投入，以便更好地为全{ch}职工提供更优质的服务。")
    return doc, [ev]
