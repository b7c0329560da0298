"""Checks of a report's own arithmetic and consistency (DOMAIN.md section 6).

`FLAG_CODES` is the registry of every quality-flag code: (default severity, what it means).
Family modules emit the flags that need document context (a narrative sentence against a table
cell); `run_generic_checks` emits those that follow from the record alone. Flags never change a
stated number: they only describe it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from loaders.normalize import grade_band, ratio_pct
from loaders.records import Evaluation

FLAG_CODES: dict[str, tuple[str, str]] = {
    # score-table arithmetic
    "score_rate_mismatch": ("warning", "印刷的得分率与 得分÷权重 不一致"),
    "children_sum_mismatch": ("error", "下级指标的分值或得分之和与上级不一致"),
    "total_sum_mismatch": ("error", "总分与各一级指标得分之和不一致"),
    "weights_total_mismatch": ("error", "各指标分值之和与满分（总分）不一致"),
    "grade_band_mismatch": ("warning", "评价等次与总分所在的等次区间不一致"),
    "score_exceeds_weight": ("error", "得分高于分值"),
    "narrative_table_score_mismatch": ("error", "正文中的得分与评分表中的得分不一致"),
    "narrative_self_contradiction": ("warning", "同一句话前后矛盾（如“得100%权重分0.00分”）"),
    "rule_text_mismatch": ("warning", "同一指标在两张表中的评分标准不一致"),
    "score_rounding": ("info", "按评分标准复算的得分与报告的得分有舍入差异"),
    "full_score_target_missed": ("error", "未达到目标值却给了满分"),
    "rule_violated_full_score": ("error", "按报告自己的评分标准应扣分，却给了满分"),
    "zero_denominator_full_score": ("warning", "比率的分母为0（无此业务），却给了满分"),
    "empty_indicator_scored": ("warning", "指标内容为空却计了分"),
    "weight_redistributed": ("info", "部分二级指标为“——”，其分值并入其他指标"),
    "weight_shared": ("info", "分值为跨行合并单元格，是几项指标的合计分值，单项得分率不能按它计算"),
    "strict_rescore": ("info", "严格按评分标准复算后的总分与等次"),
    "indicator_misplaced": ("warning", "指标放在了不相符的类别下（如数量放在质量下、效益放在满意度下）"),
    "double_counting": ("warning", "同一笔资金在两个指标中重复计算"),
    "pseudo_quantitative": ("info", "定性事项写成了百分比"),
    "actual_copies_target": ("warning", "实际完成值照抄年度指标值（带比较符号，不是实际数）"),
    "no_scores": ("info", "报告没有分值、得分和等次（总分与等次留空，不是0）"),
    # money and ratios
    "rate_recompute_mismatch": ("warning", "报告的比率与按其分子分母复算的结果不一致"),
    "rate_base_mismatch": ("warning", "比率所引用的分母与实际能复算出该比率的分母不同"),
    "sum_mismatch": ("warning", "分项金额之和与合计不一致"),
    "overspend_unexplained": ("warning", "决算支出超过调整后预算，报告未说明资金来源"),
    "unit_suspect": ("warning", "金额单位可疑（写作“元”但数量级是“万元”）"),
    "indicator_formula_mismatch": ("warning", "指标名称、公式与实际计分所用的比率不一致"),
    "same_name_different_formula": ("info", "指标名称相同但计算口径不同（如用变动率代替控制率）"),
    "rate_truncated": ("info", "百分比被截断而不是四舍五入"),
    "grid_narrative_mismatch": ("warning", "指标表中的数字与正文叙述不一致"),
    "narrative_sum_mismatch": ("warning", "正文列举的分项金额之和与预算总额不一致"),
    # assets and staffing
    "asset_register_mismatch": ("warning", "资产明细合计与资产总表不一致"),
    "net_assets_include_cash": ("info", "“资产净值”包含货币资金，并非固定资产净值"),
    "headcount_mismatch": ("error", "不同章节的编制数或在职人数不一致"),
    # document-level
    "title_content_mismatch": ("warning", "标题所称的报告类型与正文内容不一致"),
    "unit_missing": ("info", "数字缺少单位，按上下文推断"),
    "date_without_year": ("info", "日期没有年份"),
    "period_partial": ("warning", "年度报告中使用了部分期间数或预计数"),
    "typo": ("info", "明显的错别字或笔误"),
    "template_labels": ("info", "沿用了模板中的占位标签"),
    "layout_artifact": ("info", "文档转换残留（书签、重复单元格、错位的列）"),
    "project_name_varies": ("info", "同一项目的名称前后不一致"),
    "trailing_garbage": ("info", "数字后有多余字符（如“100%0”）"),
    "region_inferred": ("info", "报告未写省市，按县区名推断"),
    "region_unresolved": ("warning", "无法确定单位所在的行政区划"),
    "heading_mixed_terms": ("info", "标题混用 部门/项目、效果/效益 等说法"),
    "unit_mismatch_narrative": ("warning", "正文使用的计量单位与指标表不同"),
    "low_confidence": ("info", "未识别模板，仅按标签提取了关键字段"),
    "candidates_disagree": ("warning", "同一字段的几处读数不一致（如封面与表格、表格与正文），未取值"),
    "template_reading_differs": ("warning", "模板读法与通用读法对同一字段的读数不一致，未取值"),
    "rows_unreadable": ("warning", "表格中有行无法按列可靠拆分（如扁平化文本），未读取；涉及该表的合计核对不进行"),
}


def _q(d: Decimal) -> Decimal:
    return d.quantize(Decimal("0.01"))


def check_score_rates(ev: Evaluation) -> None:
    for ind in ev.indicators:
        if ind.score_rate_stated_pct is None or ind.weight in (None, 0) or ind.score is None:
            continue
        actual = ratio_pct(ind.score, ind.weight, 1)
        if abs(actual - ind.score_rate_stated_pct) > Decimal("0.5"):
            name = ind.level3 or ind.level2 or ind.level1
            ev.flag(
                "score_rate_mismatch",
                f"{name}: 得分 {ind.score}/权重 {ind.weight} = {actual}%，报告印作 {ind.score_rate_stated_pct}%",
                ind.line,
            )


def check_score_within_weight(ev: Evaluation) -> None:
    for ind in ev.indicators:
        if ind.score is not None and ind.weight is not None and ind.score > ind.weight:
            name = ind.level3 or ind.level2 or ind.level1
            ev.flag("score_exceeds_weight", f"{name}: 得分 {ind.score} 高于分值 {ind.weight}", ind.line)


def _rows_unreadable(ev: Evaluation) -> bool:
    return any(f.code == "rows_unreadable" for f in ev.quality_flags)


def check_totals(ev: Evaluation) -> None:
    """Total = sum of the top-level rows, and the weights add up to the full mark."""
    if ev.total_score is None or _rows_unreadable(ev):
        return
    top = min((i.level for i in ev.indicators if i.score is not None), default=None)
    if top is None:
        return
    rows = [i for i in ev.indicators if i.level == top and i.table != "goals"]  # goal rows carry no scores
    scores = [i.score for i in rows if i.score is not None]
    weights = [i.weight for i in rows if i.weight is not None]
    if scores and len(scores) == len(rows):
        s = sum(scores)
        if abs(s - ev.total_score) > Decimal("0.011"):
            ev.flag(
                "total_sum_mismatch",
                f"各{'一二三'[top - 1]}级指标得分之和 {_q(s)} ≠ 总分 {ev.total_score}",
                rows[0].line,
            )
    if weights and len(weights) == len(rows):
        w = sum(weights)
        full = Decimal(100)
        if w != full:
            ev.flag("weights_total_mismatch", f"各指标分值之和 {w} 分，而满分为 {full} 分", rows[0].line)


def check_children_sums(ev: Evaluation) -> None:
    """Where the record carries both level-2 rows and their level-3 rows, their sums must agree."""
    l2 = {(i.level1, i.level2): i for i in ev.indicators if i.level == 2}
    if not l2 or _rows_unreadable(ev):
        return
    kids: dict[tuple, list] = defaultdict(list)
    for i in ev.indicators:
        if i.level == 3:
            kids[(i.level1, i.level2)].append(i)
    for key, parent in l2.items():
        children = kids.get(key)
        if not children:
            continue
        for attr, label in (("weight", "分值"), ("score", "得分")):
            pv = getattr(parent, attr)
            cv = [getattr(c, attr) for c in children]
            if pv is None or any(v is None for v in cv):
                continue
            if abs(sum(cv) - pv) > Decimal("0.011"):
                ev.flag(
                    "children_sum_mismatch",
                    f"{parent.level2}: 三级指标{label}之和 {_q(sum(cv))} ≠ 二级指标{label} {pv}",
                    parent.line,
                )


def check_grade_band(ev: Evaluation) -> None:
    band = grade_band(ev.total_score)
    if band and ev.grade and band != ev.grade:
        ev.flag("grade_band_mismatch", f"总分 {ev.total_score} 对应“{band}”，报告评为“{ev.grade_raw}”")


def check_stated_rates(ev: Evaluation) -> None:
    """Stated ratios against their parts (±0.01 pp), where the record has both."""
    m = ev.metrics
    pairs = (
        ("procurement_exec_pct", "procurement_actual_yuan", "procurement_budget_yuan", "政府采购执行率"),
        ("three_public_control_pct", "three_public_actual_yuan", "three_public_budget_yuan", "“三公”经费控制率"),
        ("staffing_control_pct", "headcount_actual", "headcount_authorised", "在职人员控制率"),
    )
    for rate, num, den, label in pairs:
        if rate in m and num in m and den in m:
            r = ratio_pct(m[num].value, m[den].value, 2)
            if r is not None and abs(r - m[rate].value) > Decimal("0.01"):
                ev.flag(
                    "rate_recompute_mismatch",
                    f"{label}: 报告 {m[rate].value}%，按 {m[num].raw} ÷ {m[den].raw} 复算为 {r}%",
                    m[rate].line,
                )


def check_money_sums(ev: Evaluation) -> None:
    m = ev.metrics
    if all(k in m for k in ("exp_basic_yuan", "exp_personnel_yuan", "exp_public_operating_yuan")):
        parts = m["exp_personnel_yuan"].value + m["exp_public_operating_yuan"].value
        if abs(parts - m["exp_basic_yuan"].value) > 1:
            ev.flag(
                "sum_mismatch",
                f"基本支出 {m['exp_basic_yuan'].raw} ≠ 人员 {m['exp_personnel_yuan'].raw} + 公用 {m['exp_public_operating_yuan'].raw}",
                m["exp_basic_yuan"].line,
            )


def check_missing_scores(ev: Evaluation) -> None:
    if ev.total_score is None and ev.indicators and all(i.score is None for i in ev.indicators):
        ev.flag("no_scores", "报告只有指标值，没有分值、得分、总分和等次")


GENERIC_CHECKS = (
    check_score_rates,
    check_score_within_weight,
    check_totals,
    check_children_sums,
    check_grade_band,
    check_stated_rates,
    check_money_sums,
    check_missing_scores,
)


def run_generic_checks(ev: Evaluation) -> None:
    for check in GENERIC_CHECKS:
        check(ev)
