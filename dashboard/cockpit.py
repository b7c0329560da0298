"""The overview as a cockpit: what the first screen says, in words and numbers. Pure functions over
the small frames dashboard/data.py returns (one row per year, the alerts of the units shown); no
Streamlit, no queries. Numbers are written by dashboard/format.py.

- The state of the scope is that of its latest year with evaluations (within the filters), with
  the change on the year before: the median total score, reports graded 中 or 差, and the units
  overspent or below 90% budget execution, below 80% procurement execution, with a satisfaction
  figure below 90% (the alert rules of v_alerts).
- Alerts are ranked by severity, computed in the warehouse (v_alerts.severity: how far the figure
  is from the line × how much money is involved), and grouped by unit; each names its report
  (kind, project, mode, year), its figure and the link that opens the report at that figure's line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import format as fmt

# Pages linked to by their absolute path: st.page_link resolves it whatever the app's entry point
# (streamlit_app.py, or the benchmark's and tests' own navigation).
PAGES_DIR = Path(__file__).resolve().parent / "pages"
REPORT_PAGE = str(PAGES_DIR / "report.py")
QUALITY_PAGE = str(PAGES_DIR / "quality.py")

ALERT_LABELS = {
    "overspend": "预算超支（执行率>100%）",
    "budget_under_90": "预算执行率低于90%",
    "procurement_under_80": "政府采购执行率低于80%",
    "satisfaction_under_90": "满意度低于90%",
    "score_drop": "总分比上年下降超过5分",
    "error_flag": "数据质量错误",
}

# Severity bands of v_alerts.severity (gap / line × (1 + log10(1 + 万元))): ≥ 1 is a figure at
# least as far from its line as the line itself with money (procurement at 0.1% of a 90 万元
# budget: 2.97); 0.1 is e.g. 110% spent on a 10 万元 overspend, or a satisfaction of 81%.
SEVERITY_BANDS = ((1.0, "严重", "red"), (0.1, "较重", "orange"), (0.0, "一般", "gray"))

# The figure an alert rests on (v_alerts.field), as the report page names it.
FIELD_LABELS = {
    "budget_exec_pct": "预算执行率",
    "expenditure_yuan": "全年支出",
    "procurement_exec_pct": "政府采购执行率",
    "procurement_actual_yuan": "实际政府采购金额",
    "satisfaction_pct": "满意度",
    "total_score": "总分",
    "quality_flag": "质量标记",
}


def _num(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def severity_band(severity: Any) -> tuple[str, str]:
    """(label, colour) of a severity: 严重 red, 较重 orange, 一般 gray."""
    v = _num(severity) or 0.0
    for floor, name, color in SEVERITY_BANDS:
        if v >= floor:
            return name, color
    return SEVERITY_BANDS[-1][1:]


def describe(row: dict) -> str:
    """What an alert says, in words and formatted numbers (row: a v_alerts row as a dict)."""
    code = row.get("alert_code")
    value, other, note = row.get("value"), row.get("other_value"), row.get("note")
    if code in ("overspend", "budget_under_90"):
        stated = f"（报告值 {fmt.pct(other)}）" if _num(other) is not None and _num(value) is not None and \
            abs(_num(other) - _num(value)) >= 0.05 else ""
        money = row.get("money_yuan")
        what = "超支" if code == "overspend" else "未执行"
        amount = f"，{what} {fmt.money_wan(money)}" if _num(money) is not None else ""
        return f"预算执行率 {fmt.pct(value)}{stated}{amount}"
    if code == "procurement_under_80":
        actual = pd.to_numeric(note, errors="coerce") if isinstance(note, str) else None
        return f"采购执行率 {fmt.pct(value)}（实际 {fmt.money_wan(actual)} / 预算 {fmt.money_wan(other)}）"
    if code == "satisfaction_under_90":
        group = note if isinstance(note, str) and note else "总体"
        return f"{group}满意度 {fmt.pct(value)}"
    if code == "score_drop":
        return f"总分 {fmt.score(value)}，上年 {fmt.score(other)}"
    return fmt.user_message(note)


def gap_text(row: dict) -> str:
    """How far the figure is from the line: '低于红线 79.9 个百分点', '超出 5.7 个百分点', '降 7.00 分'."""
    gap = _num(row.get("gap"))
    if gap is None:
        return ""
    if row.get("alert_code") == "score_drop":
        return f"降 {fmt.score(gap)} 分"
    side = "超出" if row.get("alert_code") == "overspend" else "低于红线"
    return f"{side} {fmt.pp(gap).lstrip('+')}"


def subject(row: dict) -> str:
    """The report an alert belongs to: '2022年 部门整体 · 第三方评价', '2023年 项目：职工帮扶 · 自评'."""
    parts = []
    year = _num(row.get("fiscal_year"))
    if year is not None:
        parts.append(f"{int(year)}年")
    if not fmt.is_evaluation(row.get("document_kind")):
        kind = fmt.document_kind_label(row.get("document_kind"), short=True)
    else:
        kind = fmt.kind_label(row.get("report_kind"))
        if isinstance(row.get("project_name"), str) and row["project_name"]:
            kind = f"{kind}：{row['project_name']}"
    parts.append(kind)
    text = " ".join(parts)
    if isinstance(row.get("evaluation_mode"), str):
        text += f" · {fmt.mode_label(row['evaluation_mode'])}"
    return text


def place(row: dict) -> str:
    """Province, city and county of a unit, as far as known."""
    return " ".join(x for x in (row.get("province"), row.get("city"), row.get("county")) if isinstance(x, str) and x)


def link_params(row: dict) -> dict[str, str]:
    """The report page's query parameters that open an alert's figure: evaluation_id, field (the
    tab and the figure), line (the sentence) and alert (why it was opened)."""
    out = {"evaluation_id": str(int(row["evaluation_id"]))}
    if isinstance(row.get("field"), str):
        out["field"] = row["field"]
    line = _num(row.get("line"))
    if line is not None:
        out["line"] = str(int(line))
    if isinstance(row.get("alert_code"), str):
        out["alert"] = row["alert_code"]
    return out


def link_label(row: dict) -> str:
    """The text of the link to an alert's sentence: '看原文：预算执行率 · 第 585 行'."""
    figure = FIELD_LABELS.get(row.get("field"), "原文")
    line = _num(row.get("line"))
    return f"看原文：{figure} · 第 {int(line)} 行" if line is not None else f"看报告：{figure}"


# ---------------------------------------------------------------------------------------------
# The state of the scope


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    value: str
    delta: str | None  # the change on the year before, as shown ("+2", "-0.45 分"); None without one
    delta_color: str  # "normal" (up is good) or "inverse" (up is bad)
    help: str
    trend: list[float]  # the value per year of the range, for the card's sparkline


@dataclass(frozen=True)
class State:
    year: int | None  # the latest year with evaluations under the filters
    previous: int | None  # the year before it, when it has evaluations
    reports: int
    units: int
    kpis: tuple[Kpi, ...]


def _series(frame: pd.DataFrame, column: str, years: list[int]) -> list[float]:
    if frame.empty or column not in frame:
        return [0.0 for _ in years]
    by_year = dict(zip(frame["fiscal_year"].astype(int), pd.to_numeric(frame[column], errors="coerce")))
    return [0.0 if by_year.get(y) is None or pd.isna(by_year.get(y)) else float(by_year[y]) for y in years]


def state(by_year: pd.DataFrame, alerts_by_year: pd.DataFrame) -> State:
    """The cockpit's numbers from data.state_by_year and data.alert_state_by_year."""
    rows = by_year[pd.to_numeric(by_year["reports"], errors="coerce").fillna(0) > 0] if len(by_year) else by_year
    if rows.empty:
        return State(None, None, 0, 0, ())
    years = sorted(int(y) for y in rows["fiscal_year"])
    year = years[-1]
    previous = year - 1 if year - 1 in years else None
    cur = rows[rows["fiscal_year"] == year].iloc[0]
    prev = rows[rows["fiscal_year"] == previous].iloc[0] if previous else None
    alerts = alerts_by_year.set_index(alerts_by_year["fiscal_year"].astype(int)) if len(alerts_by_year) else None

    def alert(y: int | None, column: str) -> int:
        if y is None or alerts is None or y not in alerts.index:
            return 0
        return int(alerts.loc[y, column] or 0)

    def count_delta(now: int, before: int | None) -> str | None:
        if before is None:
            return None
        return f"{now - before:+,d}" if now != before else "0"

    since = f"比 {previous}年" if previous else ""
    kpis: list[Kpi] = []

    median = _num(cur["median_score"])
    before = _num(prev["median_score"]) if prev is not None else None
    medians = pd.to_numeric(rows.sort_values("fiscal_year")["median_score"], errors="coerce").dropna()
    kpis.append(Kpi(
        "median_score", "总分中位数", fmt.score(median),
        fmt.change(median - before, False, unit=False) if median is not None and before is not None else None,
        "normal",
        f"{year}年 {fmt.count(cur['scored'])} 份有总分的评价报告的中位数"
        + (f"；{since}：{fmt.score(before)}" if before is not None else ""),
        [float(v) for v in medians]))

    weak = int(cur["grade_mid"]) + int(cur["grade_poor"])
    weak_before = int(prev["grade_mid"]) + int(prev["grade_poor"]) if prev is not None else None
    kpis.append(Kpi(
        "weak_grades", "等次为中或差", f"{fmt.count(weak)} 份", count_delta(weak, weak_before), "inverse",
        f"{year}年：中 {fmt.count(cur['grade_mid'])} 份、差 {fmt.count(cur['grade_poor'])} 份"
        f"（共 {fmt.count(cur['reports'])} 份评价报告）",
        [a + b for a, b in zip(_series(rows, "grade_mid", years), _series(rows, "grade_poor", years))]))

    def budget_detail(y: int) -> str:
        return f"超支 {fmt.count(alert(y, 'overspend_units'))} 个、低于 90% {fmt.count(alert(y, 'under_90_units'))} 个"

    for key, label, column, denominator, detail in (
        ("budget", "超支或执行率<90%", "budget_units", "with_budget", budget_detail),
        ("procurement", "采购执行率<80%", "procurement_units", "with_procurement", None),
        ("satisfaction", "满意度<90%", "satisfaction_units", "with_satisfaction", None),
    ):
        now = alert(year, column)
        then = alert(previous, column) if previous else None
        text = (f"{year}年 {fmt.count(now)} 个单位" + (f"（{detail(year)}）" if detail else "")
                + f"；共 {fmt.count(cur[denominator])} 个单位报告了这一项"
                + (f"；{since}：{fmt.count(then)} 个" if then is not None else ""))
        kpis.append(Kpi(key, label, f"{fmt.count(now)} 个单位", count_delta(now, then), "inverse", text,
                        [float(alert(y, column)) for y in years]))
    return State(year, previous, int(cur["reports"]), int(cur["units"]), tuple(kpis))


def scope_line(st_: State, region: str) -> str:
    """One line that says what the cards describe."""
    if st_.year is None:
        return ""
    compare = f"与 {st_.previous}年 比较" if st_.previous else "上一年没有报告，无法比较"
    return (f"**{st_.year}年 · {region}**：{fmt.count(st_.units)} 个单位、{fmt.count(st_.reports)} 份评价报告；"
            f"{compare}（所选年度范围内最近的一年）")


# ---------------------------------------------------------------------------------------------
# Alerts grouped by unit


@dataclass(frozen=True)
class UnitAlerts:
    rank: int
    unit_name: str
    place: str
    is_demo: bool
    alerts: int  # all its alerts (the rows may be fewer: the most severe per_unit)
    money_yuan: float | None
    severity: float | None
    rows: tuple[dict, ...]


def group_by_unit(frame: pd.DataFrame) -> list[UnitAlerts]:
    """data.alert_units().frame as units in rank order, each with its alert rows (dicts)."""
    if frame.empty:
        return []
    out = []
    for rank, part in frame.groupby("unit_rank", sort=True):
        records = part.to_dict("records")
        first = records[0]
        out.append(UnitAlerts(int(rank), fmt.text(first["unit_name"]), place(first), bool(first["is_demo"]),
                              int(first["unit_alerts"]), _num(first["unit_money_yuan"]), _num(first["unit_severity"]),
                              tuple(records)))
    return out


def unit_heading(u: UnitAlerts) -> str:
    """'**1. 南昌市青云谱区总工会**〔演示数据〕 江西省 南昌市 · 2 条预警 · 涉及 92.35 万元'."""
    demo = f"〔{fmt.DEMO_BADGE}〕" if u.is_demo else ""
    money = f" · 涉及 {fmt.money_wan(u.money_yuan)}" if u.money_yuan else ""
    where = f" {u.place}" if u.place else ""
    return f"**{u.rank}. {u.unit_name}**{demo}{where} · {fmt.count(u.alerts)} 条预警{money}"


def alert_line(row: dict) -> str:
    """One alert as a markdown line: band, rule, report and what the figure says."""
    band, color = severity_band(row.get("severity"))
    gap = gap_text(row)
    return (f":{color}-badge[{band}] **{ALERT_LABELS.get(row.get('alert_code'), fmt.text(row.get('alert_code')))}**"
            f"　{subject(row)}：{describe(row)}" + (f"，{gap}" if gap else ""))


def alert_frame(rows: pd.DataFrame, link: Any) -> pd.DataFrame:
    """The alerts table's computed columns: alert (rule), detail (what it says), 严重程度 (the band,
    a column named as shown), and link (`link(row)` gives the URL of the report at the figure)."""
    records = rows.to_dict("records")
    return rows.assign(
        alert=[ALERT_LABELS.get(r["alert_code"], r["alert_code"]) for r in records],
        detail=[describe(r) for r in records],
        **{"严重程度": [severity_band(r["severity"])[0] if _num(r["severity"]) is not None else "—" for r in records]},
        link=[link(r) for r in records],
    )
