"""Seed 003 (岳阳市云溪区): the Yueyang 部门整体支出绩效评价自评报告 with its 收支 tables,
定性/定量目标, 综述 narrative and the 附件3-1 评分表 (投入15 / 过程40 / 产出25 / 效果20)."""

from __future__ import annotations

import re
from decimal import Decimal

import loaders.demo.catalog as catalog
from loaders.demo.common import (
    Evaluation,     MARKER_LINE, Ctx, band, better_band, expect, indicator, plain, satisfaction, set_grade, wan,
    new_evaluation,
)
from loaders.demo.textdoc import TextDoc, num, q

FAMILY = "yueyang_dept_self"

INJECTIONS: dict[str, tuple[str, ...]] = {
    "headcount": ("headcount_mismatch",),
    "staffing_rule": ("rule_violated_full_score",),
    "zero_den": ("zero_denominator_full_score",),
    "empty_benefit": ("empty_indicator_scored",),
    "total_sum": ("total_sum_mismatch",),
    "grade_band": ("grade_band_mismatch",),
    "sum_mismatch": ("sum_mismatch",),
    "partial": ("period_partial",),
    "score_exceeds": ("score_exceeds_weight",),
}
EXCLUSIVE = ({"total_sum", "grade_band", "score_exceeds"}, {"headcount", "staffing_rule"})

GRADE_RAW = {"优": "优秀", "良": "良好", "中": "中等", "差": "差"}

# (level1, level1 weight, level2, level2 weight, level3 split for the table, weight, rule, judgement?)
FRAME = (
    ("投  入", 15, "预算配置", 15, "财政供养人员\n\n控制率", 5, "以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。", "staffing"),
    ("", 0, "", 0, "“三公经费”\n变动率", 5, "“三公经费”变动率≦0,计5分；\n“三公经费”＞0，每超过一个百分点扣0.5分，扣完为止。", "judge"),
    ("", 0, "", 0, "重点支出\n安排率", 5, "重点支出安排率≥90%，计5分；80%（含）-90%，计4分；70%（含）-80%，计3分；60%（含）-70%，计2分；低于60%不得分。", "priority"),
    ("过  程", 40, "预算执行", 15, "预算调整率", 3, "预算调整率=0，计3分；0-10%（含），计2分；10-20%（含），计1分；20-30%（含），计0.5分；大于30%不得分。", "judge"),
    ("", 0, "", 0, "支付进度", 3, "春节前下达全部专项资金的50%；6月底前所有专项资金指标全部下达完。\n每出现一个专项未按进度完成资金下达扣0.5分，扣完为止。", "judge"),
    ("", 0, "", 0, "资金结余", 3, "无结余，3分；有结余，但不超过上年结转，2分；结余超过上年结转，不得分。", "surplus"),
    ("", 0, "", 0, "“三公经费”\n控制率", 6, "以100%为标准。三公经费控制率≦100%，计6分；\n每超过一个百分点扣1分，扣完为止。", "full"),
    ("", 0, "预算管理", 15, "管理制度\n健全性", 3, "①已制定或具有预算资金管理办法，内部财务管理制度、会计核算制度等管理制度，1分；\n②相关管理制度合法、合规、完整，1分；\n③相关管理制度得到有效执行，1分。", "judge"),
    ("", 0, "", 0, "资金使用\n合规性", 3, "①支出符合国家财经法规和财务管理制度规定以及有关专项资金管理办法的规定；\n②资金拨付有完整的审批程序和手续；\n以上情况每出现一例不符合要求的扣1分，扣完为止。", "judge"),
    ("", 0, "", 0, "预决算信息公开性和完善性", 3, "①按规定内容公开预决算信息，1分；\n②按规定时限公开预决算信息，0.5分；\n③基础数据信息和会计信息资料真实，0.5分；\n④基础数据信息和会计信息资料完整，0.5分；\n⑤基础数据信息和汇集信息资料准确，0.5分。", "judge"),
    ("", 0, "", 0, "政府采购\n\n执行率", 3, "政府采购执行率等于100%的，得3分；\n每减少一个百分点，扣0.2分，扣完为止。", "judge"),
    ("", 0, "", 0, "公务卡刷卡率", 3, "公务卡刷卡率达50％以上的，得3分。\n每减少一个百分点，扣0.2分，扣完为止。", "judge"),
    ("", 0, "资产管理\n（10分）", 10, "管理制度\n健全性", 3, "①已制定或具有资产管理制度，且相关资产管理制度合法、合规、完整，2分；\n②相关资产管理制度得到有效执行，1分。", "judge"),
    ("", 0, "", 0, "资产管理\n安全性", 4, "①资产保存完整；\n②资产配置合理；\n③资产处置规范；\n④资产账务管理合规，帐实相符；\n以上情况每出现一例不符合有关要求的扣1分，扣完为止。", "judge"),
    ("", 0, "", 0, "固定资产\n利用率", 3, "每低于100%一个百分点扣0.1分，扣完为止。", "fa"),
)

LEVEL1_OF = {"投  入": "投入", "过  程": "过程", "产  出": "产出", "效  果": "效果"}
DEDUCTION_REASONS = (
    "部分专项资金未按进度下达", "个别支出凭证审批手续不完整", "预决算公开内容不够完整", "部分支出未使用公务卡结算",
    "个别资产未及时登记入账", "部分工作未按计划完成", "个别任务完成进度滞后",
)


def _goal_text(text: str) -> str:
    """The 绩效目标 cell's content without its "指标N：" label."""
    return re.sub(r"^指标\d+[：:]", "", text)


def _clean_name(cell: str) -> str:
    return cell.replace("\n", "").replace(" ", "")


def render(ctx: Ctx) -> tuple[TextDoc, list[Evaluation]]:
    rng, uy, place, year, layout = ctx.rng, ctx.uy, ctx.place, ctx.year, ctx.layout
    inj = set(ctx.injections)
    doc = TextDoc()
    doc.add(MARKER_LINE)
    region_name = place.unit_name.removesuffix("总工会")
    short = place.short  # 区总工会 / 县总工会
    doc.add("附件2-1：")
    doc.blank()
    doc.add(f"{region_name}{year}年度部门整体支出")
    doc.blank()
    doc.add("绩效评价自评报告")
    doc.blank()
    unit_line = doc.add(f"部门(单位)名称：  {place.unit_name}               ")
    doc.blank()
    doc.add(f"预 算 编 码： {rng.randint(100, 999)}{rng.randint(1, 9):03d}                     ")
    doc.add("评价方式：部门（单位）绩效自评")
    doc.blank()
    doc.add("评价机构：部门（单位）评价组   ")
    doc.blank()
    month, day = rng.choice(((5, 20), (6, 10), (6, 28), (7, 15), (8, 5)))
    doc.add(f"报告日期：{year + 1} 年 {month} 月 {day} 日")
    doc.blank()
    doc.add(f"{region_name}财政局（制）")
    ev = new_evaluation(place, year, "department_overall", unit_line=unit_line, mode="self",
                        evaluator="部门（单位）评价组", report_date=f"{year + 1}-{month:02d}-{day:02d}",
                        framework="岳阳市部门整体支出绩效评价（投入15/过程40/产出25/效果20）")

    # --- 一、基本概况 ---------------------------------------------------------------------
    doc.blank()
    doc.add("\t一、部门（单位）基本概况")
    doc.row(["联系人", "          " + rng.choice(("李红英", "王建国", "张丽", "刘洋", "陈静", "周敏")), "联络电话", str(rng.randint(8000000, 8999999))], layout)
    auth, actual = uy.headcount_authorised, uy.headcount_actual
    if "staffing_rule" in inj:
        actual = auth + rng.randint(2, 5)
    cells = doc.row(["人员编制", str(auth), "实有人数", str(actual)], layout)
    plain(ev, "headcount_authorised", auth, str(auth), cells[1])
    plain(ev, "headcount_actual", actual, str(actual), cells[3])
    headcount_line = cells[3]
    doc.row(["职能职责概述", "依照《工会法》、《劳动法》和《中国工会章程》等有关法律法规，组织和指导全区各级工会履行工会的\"维护、建设、参与、教育\"等各项社会职能。"], layout)
    goals = catalog.YY_GOALS
    new_orgs, wage_pct, contests = rng.randint(20, 120), rng.choice((85, 90, 92, 95)), rng.choice(("1－2", "2-3", "1-2"))
    work = "\n".join(f"{i}、 {n}：{t.format(n=new_orgs, p=wage_pct, m=contests)}" for i, (n, t) in enumerate(goals, start=1))
    doc.row(["年度主要\n\n工作内容", work], layout)
    doc.row(["年度部门（单位）总体运行情况及取得的成绩", "1、维权服务更加有力。\n2、扶贫帮困更加有为。\n3、基层组织更加有范。\n4、素质提升更加有效。"], layout)

    # --- 二、收支情况 ----------------------------------------------------------------------
    budget = uy.budget_wan
    project = Decimal(0) if "zero_den" in inj else q(budget * Decimal(str(rng.uniform(0.08, 0.35))), 2)
    basic = q(budget - project, 2)
    public = q(basic * Decimal(str(rng.uniform(0.12, 0.3))), 2)
    personnel = basic - public
    household = q(personnel * Decimal(str(rng.uniform(0.1, 0.4))), 2)
    wages = personnel - household
    total_exp = basic + project
    surplus = Decimal(0) if rng.random() < 0.7 else q(total_exp * Decimal(str(rng.uniform(0.005, 0.04))), 2)
    revenue = total_exp + surplus
    other_rev = Decimal(0) if rng.random() < 0.75 else q(revenue * Decimal(str(rng.uniform(0.02, 0.1))), 2)
    general = revenue - other_rev
    stated_personnel = personnel
    if "sum_mismatch" in inj:
        stated_personnel = personnel + q(Decimal(str(rng.uniform(3, 25))), 2)
    doc.blank()
    doc.add("\t二、部门（单位）收支情况")
    doc.blank()
    doc.add("\t年度收入情况（万元）")
    doc.row(["机构名称", "收入合计", "其中："], layout)
    doc.row(["", "", "上年结转", "公共财\n\n政拨款", "政府基金拨款", "纳入专户管理的非税收入拨款", "其他\n\n收入"], layout)
    other_txt = num(other_rev) if other_rev else ""
    cells = doc.row(["局机关及二级机构汇总", num(revenue), "", num(general), "", "", other_txt], layout)
    wan(ev, "revenue_total_yuan", revenue, num(revenue), cells[1])
    wan(ev, "revenue_general_budget_yuan", general, num(general), cells[3])
    if other_rev:
        wan(ev, "revenue_other_yuan", other_rev, other_txt, cells[6])
    doc.row(["1、局机关", num(revenue), "", num(general), "", "", other_txt], layout)
    doc.row(["2、二级机构1", "", "", "", "", "", ""], layout)
    doc.row(["3、二级机构2", "", "", "", "", "", ""], layout)
    doc.blank()
    doc.add("\t部门（单位）年度支出和结余情况（万元）")
    doc.row(["机构名称", "支出合计", "其中：", "结余"], layout)
    doc.row(["", "", "基本支出", "其中：", "项目支出", "当年结余", "累计结余"], layout)
    doc.row(["", "", "", "人员支出", "公用支出", "", "", ""], layout)
    exp_cells = ["局机关及二级机构汇总", num(total_exp), num(basic), num(stated_personnel), num(public), num(project), num(surplus), ""]
    cells = doc.row(exp_cells, layout)
    wan(ev, "expenditure_yuan", total_exp, num(total_exp), cells[1])
    wan(ev, "exp_basic_yuan", basic, num(basic), cells[2])
    wan(ev, "exp_personnel_yuan", stated_personnel, num(stated_personnel), cells[3])
    wan(ev, "exp_public_operating_yuan", public, num(public), cells[4])
    wan(ev, "exp_project_yuan", project, num(project), cells[5])
    wan(ev, "surplus_current_yuan", surplus, num(surplus), cells[6])
    if "sum_mismatch" in inj:
        expect(ev, "sum_mismatch", f"基本支出 {num(basic)} ≠ 人员支出 {num(stated_personnel)} + 公用支出 {num(public)}", cells[2])
    doc.row(["1、局机关"] + exp_cells[1:], layout)
    doc.row(["2、二级机构1", "", "", "", "", "", "", ""], layout)
    doc.row(["3、二级机构2", "", "", "", "", "", "", ""], layout)
    reception = q(Decimal(str(rng.uniform(1, 15))), 2)
    vehicle = Decimal(0) if rng.random() < 0.6 else q(Decimal(str(rng.uniform(1, 8))), 2)
    three = reception + vehicle
    doc.blank()
    doc.row(["机构名称", "三公经费\n\n合计", "其中："], layout)
    doc.row(["", "", "公务接待费", "公务用车运维费", "公务用车购置费", "因公出国费"], layout)
    cells = doc.row(["局机关及二级机构汇总", num(three), num(reception), num(vehicle), "0", "0"], layout)
    wan(ev, "three_public_actual_yuan", three, num(three), cells[1])
    wan(ev, "official_reception_yuan", reception, num(reception), cells[2])
    wan(ev, "vehicle_operation_yuan", vehicle, num(vehicle), cells[3])
    wan(ev, "vehicle_purchase_yuan", Decimal(0), "0", cells[4])
    wan(ev, "overseas_travel_yuan", Decimal(0), "0", cells[5])
    doc.row(["1、局机关", num(three), num(reception), num(vehicle), "0", "0"], layout)
    doc.row(["2、二级机构1", "", "", "", "", ""], layout)
    doc.row(["3、二级机构2", "", "", "", "", ""], layout)
    fa_total = q(Decimal(str(rng.uniform(20, 400))), 2)
    fa_use_pct = Decimal(100) if rng.random() < 0.8 else Decimal(rng.randint(90, 99))
    fa_in_use = q(fa_total * fa_use_pct / 100, 2)
    fa_other = fa_total - fa_in_use
    doc.blank()
    doc.row(["机构名称", "固定资产\n\n合计", "其中：", "其他"], layout)
    doc.row(["", "", "在用固定资产", "出租固定资产", ""], layout)
    cells = doc.row(["局机关及二级机构汇总", num(fa_total), num(fa_in_use), "0", num(fa_other)], layout)
    wan(ev, "fixed_assets_yuan", fa_total, num(fa_total), cells[1])
    wan(ev, "fixed_assets_in_use_yuan", fa_in_use, num(fa_in_use), cells[2])
    doc.row(["1、局机关", num(fa_total), num(fa_in_use), "0", num(fa_other)], layout)
    doc.row(["2、二级机构1", "", "", "", ""], layout)
    doc.row(["3、二级机构2", "", "", "", ""], layout)

    # --- 三、绩效自评情况 (goals) -------------------------------------------------------------
    doc.blank()
    doc.add("\t三、部门（单位）整体支出绩效自评情况")
    targets = "\n".join(f"目标{i}：{n}" for i, (n, _) in enumerate(goals, start=1))
    doc.row(["整体支出绩效定性目标及实施计划完成情况", "预期目标", "实际完成"], layout)
    doc.row(["", targets, "完成预期目标"], layout)
    doc.row(["整体支出\n\n绩效定量目标及实施计划完成情况", "评价内容", "绩效目标", "完成情况"], layout)
    goal_rows = []  # (level1, level2, text, actual)
    quality = [t.format(n=new_orgs, p=wage_pct, m=contests) for _, t in goals[:3]]
    quantity = [f"重点打造{rng.randint(2, 6)}家工会阵地建设示范点；着力创建模范职工之家{rng.randint(1, 4)}家。",
                f"进一步推进企业工资集体协商工作，确保企业工资集体协商占工会建制率的{wage_pct}%以上。",
                f"精心组织好{contests}场全区性职工大赛活动。"]
    l1 = "产出目标\n\n（部门工作实绩，包含上级部门和市委市政府布置的重点工作、实事任务等，根据部门实际进行调整细化）"
    for i, text in enumerate(quality, start=1):
        goal_rows.append(("产出目标", "质量指标", f"指标{i}：{text}", "已完成", l1 if i == 1 else "", "质量指标" if i == 1 else ""))
    for i, text in enumerate(quantity, start=1):
        goal_rows.append(("产出目标", "数量指标", f"指标{i}：{text}", "已完成", "", "数量指标" if i == 1 else ""))
    for (g1, g2, text, act, c1, c2) in goal_rows:
        cells = doc.row(["", c1, c2, text, act], layout)
        ev.indicators.append(indicator(g1, g2, text, target_raw=_goal_text(text), actual_raw=act, line=cells[3], table="goals"))
    for l2 in ("时效指标", "成本指标"):
        doc.row(["", "", l2, "指标1：", ""], layout)
        doc.row(["", "", "", "指标2：", ""], layout)
        doc.row(["", "", "", "……", ""], layout)
    benefit_l1 = "效益目标\n\n（预期实现的效益）"
    social = "开展了丰富的职工文体活动，加大困难职工帮扶力度，在增强工会活力、团结职工群体、维护社会稳定等方面作出了努力和贡献；"
    cells = doc.row(["", benefit_l1, "社会效益", social, "已完成"], layout)
    ev.indicators.append(indicator("效益目标", "社会效益", social, target_raw=social, actual_raw="已完成", line=cells[3], table="goals"))
    econ = "指标1：助力企业稳岗稳产，为职工挽回经济损失"
    eco = "指标1：倡导绿色出行和节能降耗的职工文化"
    empty_benefits = "empty_benefit" in inj
    if empty_benefits:
        doc.row(["", "", "经济效益", "指标1：\n\n指标2：\n\n……", ""], layout)
        doc.row(["", "", "生态效益", "指标1：\n\n指标2：\n\n……", ""], layout)
    else:
        cells = doc.row(["", "", "经济效益", econ, "已完成"], layout)
        ev.indicators.append(indicator("效益目标", "经济效益", econ, target_raw=_goal_text(econ), actual_raw="已完成", line=cells[3], table="goals"))
        cells = doc.row(["", "", "生态效益", eco, "已完成"], layout)
        ev.indicators.append(indicator("效益目标", "生态效益", eco, target_raw=_goal_text(eco), actual_raw="已完成", line=cells[3], table="goals"))
    sat_pct = uy.satisfaction_pct
    sat_text = f"{num(sat_pct)}%"
    cells = doc.row(["", "", "社会公众或服务对象满意度", "工会工作获得社会基本认可", sat_text], layout)
    sat_line = cells[4]
    ev.indicators.append(indicator("效益目标", "社会公众或服务对象满意度", "工会工作获得社会基本认可", target_raw="工会工作获得社会基本认可",
                                   actual_raw=sat_text, line=cells[3], table="goals"))
    plain(ev, "satisfaction_pct", sat_pct, sat_text, sat_line)

    # --- scores -------------------------------------------------------------------------
    fixed_scores: dict[str, Decimal] = {}
    sat_score = Decimal(5) if sat_pct >= 95 else Decimal(3) if sat_pct >= 85 else Decimal(1) if sat_pct >= 75 else Decimal(0)
    fa_score = max(Decimal(0), Decimal(3) - (Decimal(100) - fa_use_pct) * Decimal("0.1"))
    loss_needed = Decimal(100) - uy.self_total
    loss_needed -= (5 - sat_score) + (3 - fa_score)
    rows = []
    for (c1, w1, c2, w2, c3, w, rule, kind) in FRAME:
        rows.append(dict(c1=c1, w1=w1, c2=c2, w2=w2, c3=c3, w=Decimal(w), rule=rule, kind=kind, score=Decimal(w), note=""))
    for i, (name, w) in enumerate(catalog.YY_OUTPUTS):
        first = i == 0
        rule = ("此项指标根据区委区政府年度综合绩效考核工作的通知考核内容设置。\n\n部门单位应根据部门实际进行调整，并将其细化成相应的个性化指标" if first else "")
        rows.append(dict(c1="产  出（25分）" if first else "", w1=25 if first else 0, c2="职责履行\n（25分）" if first else "", w2=25 if first else 0,
                         c3=name, w=Decimal(w), rule=rule, kind="judge", score=Decimal(w), note=""))
    for r in rows:
        if r["kind"] == "surplus":
            r["score"] = Decimal(3) if surplus == 0 else Decimal(2)
            if surplus:
                r["note"] = "有少量结余，未超过上年结转"
                loss_needed -= 1
        if r["kind"] == "fa":
            r["score"] = fa_score
            if fa_score < 3:
                r["note"] = f"固定资产利用率{num(fa_use_pct)}%"
    judge = [r for r in rows if r["kind"] == "judge"]
    while loss_needed > Decimal("0.25") and judge:
        r = rng.choice(judge)
        step = Decimal("0.5") if loss_needed < 1 or rng.random() < 0.3 else Decimal(1)
        if r["score"] - step < 0:
            judge.remove(r)
            continue
        r["score"] -= step
        r["note"] = rng.choice(DEDUCTION_REASONS)
        loss_needed -= step
    exceed_row = None
    if "score_exceeds" in inj:
        exceed_row = rng.choice([r for r in rows if r["kind"] == "judge" and r["score"] == r["w"]] or rows[:1])
        exceed_row["score"] = exceed_row["w"] + 1
    # 效果 block: 经济/社会/生态 share a merged 15 (as the seed) or carry 5 each.
    merged = rng.random() < 0.5
    benefit_scores = [Decimal(5), Decimal(5), Decimal(5)]
    if loss_needed > Decimal("0.25"):
        k = rng.randrange(3)
        benefit_scores[k] -= min(Decimal(2), loss_needed.quantize(Decimal("0.5")) or Decimal("0.5"))
    benefit_rule = ("此三项指标为设置部门整体支出绩效评价指标时必须考虑的共性要素。\n\n部门单位应根据部门实际并结合部门整体支出绩效目标设立情况有选择的进行设置，并将其细化为相应的个性化指标。")
    for i, name in enumerate(("经济效益", "社会效益", "生态效益")):
        w = (Decimal(15) if i == 0 else None) if merged else Decimal(5)
        rows.append(dict(c1="效  果\n（20分）" if i == 0 else "", w1=20 if i == 0 else 0, c2="履职效益\n（20分）" if i == 0 else "",
                         w2=20 if i == 0 else 0, c3=name, w=w, rule=benefit_rule if i == 0 else "", kind="benefit", score=benefit_scores[i], note=""))
    rows.append(dict(c1="", w1=0, c2="", w2=0, c3="社会公众或服务对象满意度", w=Decimal(5),
                     rule="95%（含）以上计5分；\n\n85%（含）-95%，计3分；\n\n75%（含）-85%，计1分；\n\n低于75%计0分。",
                     kind="sat", score=sat_score, note=f"满意度{num(sat_pct)}%"))

    # --- 四、评价人员 and 五、综述 -----------------------------------------------------------
    doc.blank()
    grade_total = sum(r["score"] for r in rows)
    total = grade_total
    if "total_sum" in inj:
        total = grade_total + rng.choice((Decimal(2), Decimal(3), Decimal(-2)))
        if total > 100:
            total = grade_total - 2
    grade = band(total)
    grade_raw = GRADE_RAW[grade]
    if "grade_band" in inj:
        grade_raw = GRADE_RAW[better_band(grade)]
    cells = doc.row(["绩效自评综合得分", num(total)], layout)
    total_line = cells[1]
    cells = doc.row(["评价等次", grade_raw], layout)
    set_grade(ev, total, grade_raw, {"优秀": "优", "良好": "良", "中等": "中", "差": "差"}[grade_raw])
    if "grade_band" in inj:
        expect(ev, "grade_band_mismatch", f"总分 {total} 对应“{grade}”，报告评为“{grade_raw}”", cells[1])
    doc.blank()
    doc.add("\t四、评价人员")
    doc.row(["姓  名", "职务/职称", "单  位", "签  字"], layout)
    for person, title in (("陈小雪", "党组书记"), ("杨榕如", "经审主任"), ("丁敏湘", "副主席")):
        doc.row([person, title, f"{place.county}总工会", ""], layout)
    doc.blank()
    doc.add("\t评价组组长（签字）：")
    doc.add("\t部门（单位）意见：")
    doc.add("\t财政部门归口业务股室意见：")
    doc.blank()
    doc.add("\t五、评价报告综述")
    doc.blank()
    doc.add("一、部门（单位）概况")
    doc.add("1．主要职能。")
    doc.add(f"贯彻党和国家关于工会工作的方针、政策和上级工会的指示，确定全{place.kind_char}工会工作的指导思想和工作任务，独立自主地开展工会各项活动。")
    doc.add(f"2．机构情况，本单位为行政一级部门预算单位,机关内设{rng.choice(('两', '三'))}个部门（综合管理办公室、女工部）。")
    narrative_actual = actual
    if "headcount" in inj:
        narrative_actual = actual + rng.randint(2, 7)
    admin = max(1, narrative_actual - rng.randint(0, narrative_actual // 2))
    line = doc.add(f"3．人员情况，现有在职人数{narrative_actual}人，其中行政人员{admin}人，非参公事业人员{narrative_actual - admin}人。")
    if "headcount" in inj:
        expect(ev, "headcount_mismatch", f"表中实有人数 {actual} 人，综述写在职人数 {narrative_actual} 人", line)
    doc.add("二、一般公共预算支出情况")
    doc.add("（一）基本支出情况")
    line = doc.add(f"基本支出{num(basic)}万元，其中工资福利支出{num(wages)}万元、一般商品和服务支出{num(public)}万元、对个人和家庭补助支出{num(household)}万元。")
    wan(ev, "exp_wages_yuan", wages, f"{num(wages)}万元", line)
    wan(ev, "exp_goods_services_yuan", public, f"{num(public)}万元", line)
    wan(ev, "exp_household_transfers_yuan", household, f"{num(household)}万元", line)
    doc.add("（二）项目支出情况")
    if project:
        doc.add(f"{year}年度项目支出{num(project)}万元，主要用于困难职工帮扶、职工文体活动和基层工会组织建设。")
    else:
        doc.add(f"{year}年度无项目支出")
    doc.add("三、政府性基金预算支出情况：无")
    doc.add("四、国有资本经营预算支出情况：无")
    doc.add("五、社会保险基金预算支出情况：无")
    doc.add("六、部门整体支出绩效情况")
    doc.add("（一）基层组织建设全面规范")
    doc.add(f"一是加强组建力度。目前全{place.kind_char}共有工会组织{rng.randint(150, 600)}家，其中新成立基层工会组织{new_orgs}家。")
    doc.add("（二）系统保障能力有效提升")
    collected = q(Decimal(str(rng.uniform(200, 1500))), 2)
    if "partial" in inj:
        line = doc.add(f"加大工会经费征缴力度，截至9月底完成税务代收任务{num(collected)}万元，预计年底工会经费可突破{int(collected * Decimal('1.2') // 10 * 10)}万元。")
        expect(ev, "period_partial", "年度报告使用截至9月底的数和年底预计数", line)
    else:
        doc.add(f"加大工会经费征缴力度，全年完成税务代收任务{num(collected)}万元，工会经费做到应收尽收。")
    doc.blank(3)

    # --- 附件3-1 评分表 -----------------------------------------------------------------------
    doc.add("附件3-1：")
    doc.blank()
    doc.add(f"   {place.county}总工会部门整体支出绩效评价评分表")
    header = ["一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分", "扣分原因和其他说明"]
    doc.row(header, layout)
    cur1 = cur2 = None
    page_break_at = rng.choice((12, 13, None))
    for i, r in enumerate(rows):
        if page_break_at is not None and i == page_break_at:
            doc.blank()
            doc.row(header, layout)
            c1 = "过  程\n\n（40分）"
            c2 = "资产管理\n（10分）"
            r = dict(r, c1=c1, c2=c2)
        c1 = r["c1"]
        if c1 and "（" not in c1:
            c1 = f"{c1}\n（{r['w1']}分）"
        c2 = r["c2"]
        if c2 and "（" not in c2:
            c2 = f"{c2}\n（{r['w2']}分）"
        if c1:
            cur1 = LEVEL1_OF[c1.split("\n")[0].split("（")[0].strip()] if c1.split("\n")[0].split("（")[0].strip() in LEVEL1_OF else c1.split("\n")[0].split("（")[0].replace(" ", "")
        if c2:
            cur2 = c2.split("\n")[0].split("（")[0]
        w_text = "" if r["w"] is None else num(r["w"])
        cells = doc.row([c1, c2, r["c3"], r["rule"], w_text, num(r["score"]), r["note"]], layout)
        name = _clean_name(r["c3"])
        ind = indicator(cur1, cur2, name, weight=r["w"], score=r["score"], line=cells[2], rule=r["rule"].replace("\n", "") or None,
                        note=r["note"] or None)
        ev.indicators.append(ind)
        if r["kind"] == "sat":
            ev.satisfaction.append(satisfaction("社会公众或服务对象", sat_pct, r["w"], r["score"], cells[5], r["note"]))
        if r["kind"] == "staffing" and "staffing_rule" in inj:
            expect(ev, "rule_violated_full_score", f"实有人数 {actual} 超过编制 {auth}（控制率 {q(Decimal(actual) / auth * 100, 2)}%），财政供养人员控制率仍得满分", cells[5])
        if r["kind"] == "priority" and "zero_den" in inj:
            expect(ev, "zero_denominator_full_score", f"{year}年度无项目支出，重点支出安排率仍得满分", cells[5])
        if r is exceed_row or (exceed_row is not None and r.get("c3") == exceed_row["c3"] and r["score"] > (r["w"] or 0)):
            expect(ev, "score_exceeds_weight", f"{name}: 得分 {num(r['score'])} 高于分值 {num(r['w'])}", cells[2])
        if empty_benefits and name in ("经济效益", "生态效益"):
            expect(ev, "empty_indicator_scored", f"{name}的指标内容为空（指标1：… 指标2：…），却得 {num(r['score'])} 分", cells[2])
    cells = doc.row(["总 分", "", "", "", "100", num(total), ""], layout)
    if "total_sum" in inj:
        expect(ev, "total_sum_mismatch", f"各指标得分之和 {num(grade_total)} ≠ 总分 {num(total)}", cells[5])
    doc.blank(2)
    doc.add("备注：如部门（单位）根据本部门实际情况修改调整了附件3《部门整体支出绩效评价指标体系（参考样表）》，须相应修改调整本表中的对应部分。")
    return doc, [ev]
