"""部门决算 pages: final accounts that a crawler returns for evaluation queries (realdev 006, 008,
023, 025, 032–034). Not evaluations: the expected answer has document_kind final_accounts, the
unit and the year, and the income, spending and "三公" figures the page states (none on a table
of contents).

- toc: the 目录 of a 部门决算 (第一部分 概况 … 公开01表 … 第四部分 预算绩效情况说明 …), no figures;
- prose: 部门决算情况说明 with the figures in sentences (收、支总计 — which includes the carry-over and
  is a distractor —, 本年收入合计 with its general-budget part, 本年支出合计 with basic and project
  spending, "三公" spending with its parts, 机关运行经费 and 政府采购 as distractors);
- table: the 收入支出决算总表 (公开01表) in 元 with thousands separators, 行次 numbers beside the values.
"""

from __future__ import annotations

from decimal import Decimal

from loaders.demo.common import MARKER_LINE, Ctx, Evaluation, new_evaluation, plain, wan, yuan
from loaders.demo.textdoc import TextDoc, num, q, thousands

FAMILY = "final_accounts"
VARIANTS = ("toc", "prose", "table")
INJECTIONS: dict[str, tuple[str, ...]] = {}
EXCLUSIVE: tuple[set[str], ...] = ()

TABLES = ("收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
          "一般公共预算财政拨款基本支出决算表", "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
          "国有资本经营预算财政拨款支出决算表")
NOTES = ("收入支出决算总体情况说明", "收入决算情况说明", "支出决算情况说明", "财政拨款收入支出决算总体情况说明",
         "一般公共预算财政拨款支出决算情况说明", "一般公共预算财政拨款基本支出决算情况说明",
         "“三公”经费财政拨款支出决算情况说明", "政府性基金预算财政拨款收入支出决算情况说明", "其他重要事项的情况说明")
CN = "一二三四五六七八九十"


def applicable(project_keys: tuple[str, ...]) -> list[str]:
    return []


def render(ctx: Ctx) -> tuple[TextDoc, list[Evaluation]]:
    doc = TextDoc()
    doc.add(MARKER_LINE)
    variant = ctx.variant or "toc"
    rng, unit, year = ctx.rng, ctx.unit, ctx.year
    if rng.random() < 0.5:
        doc.add(f"发表日期：{year + 1}-{rng.randint(7, 10):02d}-{rng.randint(1, 28):02d}    文章来源：{unit.short}")
        doc.blank()
    line = doc.add(f"{unit.name}{year}年部门决算" if rng.random() < 0.7 else f"{year}年度{unit.name}部门决算")
    ev = new_evaluation(ctx.place, year, "department_overall", unit_line=line, unit_name=unit.name,
                        document_kind="final_accounts")
    if variant == "prose":
        _prose(doc, ctx, ev)
    elif variant == "table":
        _table(doc, ctx, ev)
    else:
        _toc(doc, ctx)
    return doc, [ev]


def _toc(doc: TextDoc, ctx: Ctx) -> None:
    unit, year = ctx.unit, ctx.year
    doc.add("目录")
    doc.blank()
    doc.add(f"第一部分：{unit.name}概况")
    doc.add("（一）主要职责")
    doc.add("（二）部门决算单位构成")
    doc.add(f"第二部分：{unit.name}{year}年部门决算报表")
    for i, t in enumerate(TABLES, start=1):
        doc.add(f"（{CN[i - 1]}）{t}（公开{i:02d}表）")
    doc.add(f"第三部分：{unit.name}{year}年部门决算情况说明")
    for i, t in enumerate(NOTES, start=1):
        doc.add(f"（{CN[i - 1]}）{t}")
    doc.add("第四部分：预算绩效情况说明")
    doc.add("（一）预算绩效管理工作开展情况")
    doc.add("（二）部门决算中项目绩效自评结果")
    doc.add("（三）绩效评价结果应用情况")
    doc.add("第五部分：名词解释")
    doc.blank()
    doc.add(f"第一部分：{unit.name}概况")
    doc.add("（一）主要职责")
    doc.add(f"1、贯彻落实党的路线、方针、政策和上级的工作要求，确定全{ctx.place.kind_char}相关工作的指导思想和重点任务。")


def _figures(ctx: Ctx) -> dict[str, Decimal]:
    rng, uy = ctx.rng, ctx.uy
    revenue = q(uy.budget_wan * Decimal(str(rng.uniform(0.95, 1.08))), 2)
    general = revenue if rng.random() < 0.5 else q(revenue * Decimal(str(rng.uniform(0.85, 0.99))), 2)
    carry = Decimal(0) if rng.random() < 0.4 else q(revenue * Decimal(str(rng.uniform(0.01, 0.08))), 2)
    spent = q((revenue + carry) * Decimal(str(rng.uniform(0.9, 1.0))), 2)
    project = q(spent * Decimal(str(rng.uniform(0.1, 0.45))), 2)
    vehicle = Decimal(0) if rng.random() < 0.5 else q(Decimal(str(rng.uniform(0.5, 6))), 2)
    reception = q(Decimal(str(rng.uniform(0.1, 4))), 2)
    return {"revenue": revenue, "general": general, "other": revenue - general, "carry": carry, "spent": spent,
            "project": project, "basic": spent - project, "vehicle": vehicle, "reception": reception,
            "three": vehicle + reception, "three_budget": q((vehicle + reception) * Decimal(str(rng.uniform(1.0, 1.6))), 2)}


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{num(q(part / whole * 100, 2))}%" if whole else "0%"


def _prose(doc: TextDoc, ctx: Ctx, ev: Evaluation) -> None:
    rng, unit, year = ctx.rng, ctx.unit, ctx.year
    f = _figures(ctx)
    doc.add(f"第一部分 {unit.name}概况")
    auth, actual = ctx.uy.headcount_authorised, ctx.uy.headcount_actual
    line = doc.add(f"{year}年度纳入本部门决算汇编范围的独立核算单位共 1 个。{unit.short}总编制{auth}个，在岗在编人数{actual}人。")
    plain(ev, "headcount_authorised", auth, f"总编制{auth}个", line)
    plain(ev, "headcount_actual", actual, f"在岗在编人数{actual}人", line)
    doc.add(f"第三部分 {year}年度部门决算情况说明")
    total = f["revenue"] + f["carry"]
    change = q(total * Decimal(str(rng.uniform(-0.2, 0.2))), 2)
    word = "增加" if change >= 0 else "减少"
    pct = q(abs(change) / (total - change) * 100, 1) if total != change else Decimal(0)
    doc.add(f"一、收入支出决算总体情况说明。{year}年度收、支总计{num(total)}万元。与{year - 1}年相比，收、支总计各{word}{num(abs(change))}万元，"
            f"{'增长' if change >= 0 else '下降'}{num(pct)}%。")
    doc.add("（图1：收、支决算总计变动情况图）（单位：万元）")
    line = doc.add(f"二、收入决算情况说明。{year}年本年收入合计{num(f['revenue'])}万元，其中：一般公共预算财政拨款收入{num(f['general'])}万元，"
                   f"占{_share(f['general'], f['revenue'])}" + (f"；其他收入{num(f['other'])}万元，占{_share(f['other'], f['revenue'])}。" if f["other"] else "。"))
    wan(ev, "revenue_total_yuan", f["revenue"], f"{num(f['revenue'])}万元", line)
    wan(ev, "revenue_general_budget_yuan", f["general"], f"{num(f['general'])}万元", line)
    if f["other"]:
        wan(ev, "revenue_other_yuan", f["other"], f"{num(f['other'])}万元", line)
    doc.add("（图2：收入决算结构图）（单位：万元）")
    line = doc.add(f"三、支出决算情况说明。{year}年本年支出合计{num(f['spent'])}万元，其中：基本支出{num(f['basic'])}万元，"
                   f"占{_share(f['basic'], f['spent'])}；项目支出{num(f['project'])}万元，占{_share(f['project'], f['spent'])}。")
    wan(ev, "expenditure_yuan", f["spent"], f"{num(f['spent'])}万元", line)
    wan(ev, "exp_basic_yuan", f["basic"], f"{num(f['basic'])}万元", line)
    wan(ev, "exp_project_yuan", f["project"], f"{num(f['project'])}万元", line)
    doc.add("（图3：支出决算结构图）（单位：万元）")
    three_rate = q(f["three"] / f["three_budget"] * 100, 2)
    line = doc.add(f"七、“三公”经费财政拨款支出决算情况说明。{year}年度“三公”经费财政拨款支出决算为{num(f['three'])}万元，"
                   f"完成预算的{num(three_rate)}%。其中：因公出国（境）费0万元；公务用车购置及运行维护费{num(f['vehicle'])}万元；"
                   f"公务接待费{num(f['reception'])}万元。")
    wan(ev, "three_public_actual_yuan", f["three"], f"{num(f['three'])}万元", line)
    plain(ev, "three_public_control_pct", three_rate, f"{num(three_rate)}%", line)
    wan(ev, "overseas_travel_yuan", Decimal(0), "0万元", line)
    wan(ev, "official_reception_yuan", f["reception"], f"{num(f['reception'])}万元", line)
    doc.add(f"八、机关运行经费支出情况说明。{year}年度{unit.short}机关运行经费支出{num(q(f['basic'] * Decimal('0.12'), 2))}万元，"
            f"比上年{'增加' if rng.random() < 0.5 else '减少'}{num(q(Decimal(str(rng.uniform(0.5, 8))), 2))}万元。")
    doc.add(f"九、政府采购支出情况说明。{year}年度政府采购支出总额{num(q(f['project'] * Decimal('0.2'), 2))}万元，其中：政府采购货物支出"
            f"{num(q(f['project'] * Decimal('0.15'), 2))}万元。")


def _table(doc: TextDoc, ctx: Ctx, ev: Evaluation) -> None:
    f = _figures(ctx)
    layout, rng = ctx.layout, ctx.rng

    def cents(v: Decimal) -> Decimal:  # a 决算 in 元 has its cents
        return q(v * 10_000 + Decimal(str(rng.uniform(0, 9999.99))), 2) if v else Decimal(0)

    yuan_of = {k: cents(f[k]) for k in ("general", "other", "carry", "basic", "project")}
    yuan_of["revenue"] = yuan_of["general"] + yuan_of["other"]
    yuan_of["spent"] = yuan_of["basic"] + yuan_of["project"]
    if yuan_of["spent"] > yuan_of["revenue"] + yuan_of["carry"]:  # spending within what there was
        yuan_of["carry"] = yuan_of["spent"] - yuan_of["revenue"] + cents(Decimal("0.5"))
    doc.add("收入支出决算总表")
    doc.add(f"部门：{ctx.unit.name}    金额单位：元    公开01表")
    doc.row(["项目", "行次", "金额", "项目（按功能分类）", "行次", "金额"], layout)
    income = [("一、一般公共预算财政拨款收入", "general"), ("二、政府性基金预算财政拨款收入", None),
              ("三、国有资本经营预算财政拨款收入", None), ("四、上级补助收入", None), ("五、事业收入", None),
              ("六、经营收入", None), ("七、附属单位上缴收入", None), ("八、其他收入", "other")]
    spend = [("一、一般公共服务支出", "basic"), ("二、外交支出", None), ("三、国防支出", None), ("四、公共安全支出", None),
             ("五、教育支出", None), ("六、科学技术支出", None), ("七、文化旅游体育与传媒支出", None), ("八、社会保障和就业支出", "project")]
    for i, ((li, lk), (ri, rk)) in enumerate(zip(income, spend), start=1):
        lv = thousands(yuan_of[lk]) if lk and yuan_of[lk] else ""
        rv = thousands(yuan_of[rk]) if rk and yuan_of[rk] else ""
        cells = doc.row([li, str(i), lv, ri, str(i + 30), rv], ctx.layout)
        if lk == "general":
            yuan(ev, "revenue_general_budget_yuan", yuan_of["general"], lv, cells[2])
        if lk == "other" and lv:
            yuan(ev, "revenue_other_yuan", yuan_of["other"], lv, cells[2])
    cells = doc.row(["本年收入合计", "27", thousands(yuan_of["revenue"]), "本年支出合计", "57", thousands(yuan_of["spent"])], layout)
    yuan(ev, "revenue_total_yuan", yuan_of["revenue"], thousands(yuan_of["revenue"]), cells[2])
    yuan(ev, "expenditure_yuan", yuan_of["spent"], thousands(yuan_of["spent"]), cells[5])
    carry = thousands(yuan_of["carry"]) if yuan_of["carry"] else ""
    end = yuan_of["revenue"] + yuan_of["carry"] - yuan_of["spent"]
    doc.row(["年初结转和结余", "29", carry, "年末结转和结余", "59", thousands(end) if end else ""], layout)
    total = thousands(yuan_of["revenue"] + yuan_of["carry"])
    doc.row(["总计", "30", total, "总计", "60", total], layout)
    doc.add("注：本表反映部门本年度的总收支和年初、年末结转结余情况。")
