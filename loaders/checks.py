"""Checks of a report's own arithmetic and consistency (DOMAIN.md section 6).

`FLAG_CODES` (loaders/flags.py) is the registry of every quality-flag code: (default severity,
what it means).
Family modules emit the flags that need document context (a narrative sentence against a table
cell); `run_generic_checks` emits those that follow from the record alone. Flags never change a
stated number: they only describe it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from loaders.flags import FLAG_CODES  # noqa: F401 (the registry, re-exported here)
from loaders.normalize import grade_band, ratio_pct
from loaders.records import Evaluation



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
