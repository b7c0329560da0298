"""Flatten: one parsed evaluation as plain row values, checked against the record contract and
the column types (a record that does not fit fails its own file with a reason, never the batch),
with what the views would otherwise derive from millions of rows (which indicators add up to the
score, points per dimension, counts). Runs in the parse workers (pool.py, lake.py)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from loaders.records import (
    DIMENSIONS,
    DOCUMENT_KINDS,
    EVALUATION_MODES,
    FINDING_KINDS,
    GRADES,
    METRIC_UNITS,
    REPORT_KINDS,
    SEVERITIES,
    Evaluation,
    Value,
)


class ContractError(ValueError):
    """A record that does not fit the contract or the column types; fails its file."""

_QUANTUM: dict[int, Decimal] = {}  # scale -> Decimal('1E-scale')
_LIMIT: dict[tuple[int, int], Decimal] = {}  # (precision, scale) -> the first value too large


def _dec(v: Any, precision: int, scale: int, where: str) -> Decimal | None:
    """The value as a Decimal that fits DECIMAL(precision, scale), or ContractError."""
    if v is None:
        return None
    if type(v) is not Decimal:
        if isinstance(v, bool) or not isinstance(v, (Decimal, int)):
            raise ContractError(f"{where}: 应为 Decimal，得到 {type(v).__name__} {v!r}")
        v = Decimal(v)
    quantum = _QUANTUM.get(scale)
    if quantum is None:
        quantum = _QUANTUM[scale] = Decimal(1).scaleb(-scale)
    try:
        q = v.quantize(quantum, rounding=ROUND_HALF_EVEN)
    except InvalidOperation as e:
        raise ContractError(f"{where}: 数值 {v!r} 超出范围") from e
    limit = _LIMIT.get((precision, scale))
    if limit is None:
        limit = _LIMIT[(precision, scale)] = Decimal(10) ** (precision - scale)
    if not q.is_finite() or abs(q) >= limit:
        raise ContractError(f"{where}: 数值 {v} 超出 DECIMAL({precision},{scale}) 的范围")
    return q


def _str(v: Any, where: str, required: bool = False) -> str | None:
    if v is None:
        if required:
            raise ContractError(f"{where}: 不能为空")
        return None
    if not isinstance(v, str):
        raise ContractError(f"{where}: 应为字符串，得到 {type(v).__name__}")
    return v


def _int(v: Any, where: str, low: int = -(2**31), high: int = 2**31 - 1) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
        raise ContractError(f"{where}: 应为 {low}..{high} 之间的整数，得到 {v!r}")
    return v


def _enum(v: Any, allowed: Iterable[str], where: str) -> str | None:
    if v is not None and v not in allowed:
        raise ContractError(f"{where}: {v!r} 不在 {tuple(allowed)} 之中")
    return v


def _bool(v: Any, where: str) -> bool | None:
    if v is not None and not isinstance(v, bool):
        raise ContractError(f"{where}: 应为 true/false，得到 {v!r}")
    return v


def _value_cols(v: Value | None, where: str) -> tuple:
    if v is None:
        return (None,) * 13
    return (
        _str(v.comparator, where + ".comparator"),
        _dec(v.value, 18, 4, where + ".value"),
        _dec(v.low, 18, 4, where + ".low"),
        _dec(v.high, 18, 4, where + ".high"),
        _bool(v.low_inclusive, where + ".low_inclusive"),
        _bool(v.high_inclusive, where + ".high_inclusive"),
        _str(v.unit_raw, where + ".unit_raw"),
        _str(v.unit, where + ".unit"),
        _int(v.scale, where + ".scale", 0, 10**12),
        bool(v.is_qualitative),
        _str(v.qual_code, where + ".qual_code"),
        bool(v.is_estimate),
        [str(w) for w in v.warnings] or None,
    )


VALUE_FIELDS = (
    "comparator", "value", "low", "high", "low_inclusive", "high_inclusive", "unit_raw", "unit",
    "scale", "is_qualitative", "qual_code", "is_estimate", "warnings",
)
EVALUATION_FIELDS = (
    "unit_name_raw", "unit_line", "fiscal_year", "report_kind", "report_kind_declared", "project_name",
    "evaluation_mode", "evaluator", "report_date", "framework", "total_score", "grade_raw", "grade",
    "confidence", "document_kind",
)
UNIT_FIELDS = ("unit_name", "province", "city", "county", "admin_code", "geo_method")
METRIC_COLS = ("metric", "value", "unit", "raw", "line", "note")
INDICATOR_COLS = (
    ("indicator_no", "source_table", "level", "level1", "level2", "level3", "dimension", "weight", "score",
     "score_rate_stated_pct", "target_raw")
    + tuple("target_" + f for f in VALUE_FIELDS)
    + ("actual_raw",)
    + tuple("actual_" + f for f in VALUE_FIELDS)
    + ("met", "note", "rule", "line", "is_leaf", "weight_shared")
)
SATISFACTION_COLS = ("satisfaction_no", "respondent_group", "pct", "weight", "score", "raw", "line")
FINDING_COLS = ("finding_no", "kind", "category", "text", "line")
FLAG_COLS = ("flag_no", "code", "severity", "message", "line")
DIMENSION_COLS = ("dimension", "indicator_count", "weight", "score")
# child table -> the columns of the row tuples flatten() makes for it, and the key it keeps them under
CHILD_TABLES = {
    "metric": METRIC_COLS, "indicator": INDICATOR_COLS, "satisfaction": SATISFACTION_COLS,
    "finding": FINDING_COLS, "quality_flag": FLAG_COLS, "dimension_score": DIMENSION_COLS,
}
ROW_LISTS = {
    "metric": "metrics", "indicator": "indicators", "satisfaction": "satisfaction", "finding": "findings",
    "quality_flag": "flags", "dimension_score": "dimensions",
}


def indicator_structure(rows: list[tuple]) -> tuple[list[bool], list[bool], list[tuple]]:
    """Which indicator rows add up to the score, and their sums per canonical dimension.

    `rows`, in record order: (source_table, level, level1, level2, dimension, weight, score).
    Returns is_leaf and weight_shared per row, and (dimension, leaf count, weight, score) rows.
    The scoring table is the score table when it has scored rows, else the summary table; a leaf
    is a row of it without scored rows below (a level-1 row without level-2/3 rows of the same
    level-1 name, a level-2 row without level-3 rows, every level-3 row), so leaves add up
    without counting a point twice whichever levels a report prints. A weight printed once for
    several rows (a merged cell) shows as a weighted leaf followed by weightless scored leaves
    under the same parent: all of them are weight_shared.
    """
    is_leaf = [False] * len(rows)
    shared = [False] * len(rows)
    scored = [i for i, r in enumerate(rows) if r[0] in ("score", "summary") and (r[5] is not None or r[6] is not None)]
    if not scored:
        return is_leaf, shared, []
    table = "score" if any(rows[i][0] == "score" for i in scored) else "summary"
    used = [i for i in scored if rows[i][0] == table]

    def parent1(r: tuple) -> str:
        return r[2] or ""

    def parent2(r: tuple) -> tuple[str, str]:
        return (r[2] or "", r[3] or "")

    has_level2_or_3 = {parent1(rows[i]) for i in used if rows[i][1] > 1}
    has_level3 = {parent2(rows[i]) for i in used if rows[i][1] == 3}
    leaves = [
        i for i in used
        if rows[i][1] == 3
        or (rows[i][1] == 2 and parent2(rows[i]) not in has_level3)
        or (rows[i][1] == 1 and parent1(rows[i]) not in has_level2_or_3)
    ]
    anchors: dict[tuple[str, str], int] = {}
    runs: dict[tuple[tuple[str, str], int], list[int]] = {}
    for i in leaves:
        group = parent2(rows[i])
        if rows[i][5] is not None:
            anchors[group] = i
        if group in anchors:
            runs.setdefault((group, anchors[group]), []).append(i)
    for members in runs.values():
        if any(rows[i][5] is None and rows[i][6] is not None for i in members):
            for i in members:
                shared[i] = True
    sums: dict[str, list] = {}
    for i in leaves:
        is_leaf[i] = True
        acc = sums.setdefault(rows[i][4] or "unclassified", [0, None, None])
        acc[0] += 1
        for k, v in ((1, rows[i][5]), (2, rows[i][6])):
            if v is not None:
                acc[k] = v if acc[k] is None else acc[k] + v
    return is_leaf, shared, [(d, n, w, sc) for d, (n, w, sc) in sums.items()]


def flatten(ev: Evaluation) -> dict[str, Any]:
    """One evaluation as plain values and row tuples, checked against the contract and types."""
    u = ev.unit
    head = {
        "unit_name_raw": _str(u.name_raw, "unit.name_raw"),
        "unit_line": _int(u.line, "unit.line"),
        "fiscal_year": _int(ev.fiscal_year, "fiscal_year", 1990, 2100),
        "report_kind": _enum(ev.report_kind, REPORT_KINDS, "report_kind"),
        "report_kind_declared": _str(ev.report_kind_declared, "report_kind_declared"),
        "project_name": _str(ev.project_name, "project_name"),
        "evaluation_mode": _enum(ev.evaluation_mode, EVALUATION_MODES, "evaluation_mode"),
        "evaluator": _str(ev.evaluator, "evaluator"),
        "report_date": _str(ev.report_date, "report_date"),
        "framework": _str(ev.framework, "framework"),
        "total_score": _dec(ev.total_score, 9, 4, "total_score"),
        "grade_raw": _str(ev.grade_raw, "grade_raw"),
        "grade": _enum(ev.grade, GRADES, "grade"),
        "confidence": _enum(ev.confidence, ("high", "low"), "confidence"),
        "document_kind": _enum(getattr(ev, "document_kind", None) or "evaluation", DOCUMENT_KINDS, "document_kind"),
    }
    unit = {
        "unit_name": _str(u.name, "unit.name"),
        "province": _str(u.province, "unit.province"),
        "city": _str(u.city, "unit.city"),
        "county": _str(u.county, "unit.county"),
        "admin_code": _str(u.admin_code, "unit.admin_code"),
        "geo_method": _str(u.geo_method, "unit.geo_method"),
    }
    metrics = []
    for name, m in ev.metrics.items():
        if name not in METRIC_UNITS:
            raise ContractError(f"metrics: 未登记的指标名 {name!r}")
        where = f"metrics.{name}"
        value = _dec(m.value, 18, 4, where)
        if value is None:
            raise ContractError(f"{where}: 数值为空（未陈述的数值应省略）")
        line = _int(m.line, where + ".line")
        if line is None:
            raise ContractError(f"{where}: 缺少行号")
        metrics.append((name, value, METRIC_UNITS[name], _str(m.raw, where + ".raw", True), line,
                        _str(m.note, where + ".note")))
    indicators = []
    for i, ind in enumerate(ev.indicators):
        w = f"indicators[{i}]"
        indicators.append(
            (
                i,
                _enum(ind.table, ("score", "summary", "goals"), w + ".table"),
                _int(ind.level, w + ".level", 1, 3),
                _str(ind.level1, w + ".level1"),
                _str(ind.level2, w + ".level2"),
                _str(ind.level3, w + ".level3"),
                _enum(ind.dimension, DIMENSIONS, w + ".dimension"),
                _dec(ind.weight, 9, 4, w + ".weight"),
                _dec(ind.score, 9, 4, w + ".score"),
                _dec(ind.score_rate_stated_pct, 18, 4, w + ".score_rate_stated_pct"),
                _str(ind.target_raw, w + ".target_raw"),
                *_value_cols(ind.target, w + ".target"),
                _str(ind.actual_raw, w + ".actual_raw"),
                *_value_cols(ind.actual, w + ".actual"),
                _bool(ind.met, w + ".met"),
                _str(ind.note, w + ".note"),
                _str(ind.rule, w + ".rule"),
                _int(ind.line, w + ".line"),
            )
        )
    structure = [(t[1], t[2], t[3], t[4], t[6], t[7], t[8]) for t in indicators]
    leaf, shared, dimension_sums = indicator_structure(structure)
    indicators = [t + (leaf[i], shared[i]) for i, t in enumerate(indicators)]
    dimensions = [
        (d, n, _dec(w, 9, 4, f"dimension {d} weight"), _dec(sc, 9, 4, f"dimension {d} score"))
        for d, n, w, sc in dimension_sums
    ]
    satisfaction = [
        (
            i,
            _str(s.group, f"satisfaction[{i}].group"),
            _dec(s.pct, 9, 4, f"satisfaction[{i}].pct"),
            _dec(s.weight, 9, 4, f"satisfaction[{i}].weight"),
            _dec(s.score, 9, 4, f"satisfaction[{i}].score"),
            _str(s.raw, f"satisfaction[{i}].raw"),
            _int(s.line, f"satisfaction[{i}].line"),
        )
        for i, s in enumerate(ev.satisfaction)
    ]
    findings = [
        (
            i,
            _enum(f.kind, FINDING_KINDS, f"findings[{i}].kind"),
            _str(f.category, f"findings[{i}].category"),
            _str(f.text, f"findings[{i}].text", True),
            _int(f.line, f"findings[{i}].line"),
        )
        for i, f in enumerate(ev.findings)
    ]
    flags = [
        (
            i,
            _str(q.code, f"quality_flags[{i}].code", True),
            _enum(q.severity, SEVERITIES, f"quality_flags[{i}].severity"),
            _str(q.message, f"quality_flags[{i}].message", True),
            _int(q.line, f"quality_flags[{i}].line"),
        )
        for i, q in enumerate(ev.quality_flags)
    ]
    if any(k is None for k in (f[1] for f in findings)) or any(q[2] is None for q in flags):
        raise ContractError("findings.kind / quality_flags.severity 不能为空")
    head.update(
        metric_count=len(metrics), indicator_count=len(indicators), satisfaction_count=len(satisfaction),
        finding_count=len(findings), flag_count=len(flags),
        error_flag_count=sum(1 for q in flags if q[2] == "error"),
    )
    return {
        "head": head, "unit": unit, "metrics": metrics, "indicators": indicators,
        "satisfaction": satisfaction, "findings": findings, "flags": flags, "dimensions": dimensions,
    }
