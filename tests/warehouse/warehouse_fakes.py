"""Report files whose bytes are a JSON record (the shape of `python -m loaders parse`) and the
parser that reads them back, so loading can be tested without the template families.

A module of its own (not conftest) so worker processes can find `fake_parse` by name.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from loaders.read import ReadError
from loaders.records import (
    Evaluation,
    Finding,
    Indicator,
    Metric,
    ParseResult,
    QualityFlag,
    Satisfaction,
    Source,
    Unit,
    Value,
)


def record(
    unit: str = "测试县总工会",
    year: int | None = 2022,
    kind: str | None = "department_overall",
    mode: str | None = "self",
    project: str | None = None,
    total: str | int | None = "90",
    grade: str | None = "优",
    metrics: dict[str, str | int] | None = None,
    indicators: list[dict[str, Any]] | None = None,
    satisfaction: list[dict[str, Any]] | None = None,
    findings: list[dict[str, Any]] | None = None,
    flags: list[dict[str, Any]] | None = None,
    province: str | None = "江西省",
    city: str | None = "赣州市",
    county: str | None = None,
    admin_code: str | None = None,
    is_demo: bool = False,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One evaluation in the JSON shape of the record contract."""
    ev = {
        "unit": {"name": unit, "province": province, "city": city, "county": county, "admin_code": admin_code,
                 "name_raw": unit, "line": 1},
        "fiscal_year": year, "report_kind": kind, "project_name": project, "evaluation_mode": mode,
        "total_score": total, "grade_raw": grade, "grade": grade,
        "metrics": {k: {"value": v, "raw": str(v), "line": 2} for k, v in (metrics or {}).items()},
        "indicators": indicators or [], "satisfaction": satisfaction or [], "findings": findings or [],
        "quality_flags": flags or [],
    }
    ev.update(extra or {})
    return {"source": {"is_demo": is_demo}, "evaluations": [ev]}


def write_record(folder: Path, name: str, *records: dict[str, Any], note: str = "") -> Path:
    """A .txt file holding the records (several evaluations when given several) as JSON lines
    of text; `note` changes the bytes without changing the record."""
    evaluations = [ev for r in records for ev in r["evaluations"]]
    doc = {"source": records[0]["source"] if records else {}, "evaluations": evaluations, "note": note}
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _dec(v: Any) -> Any:
    return None if v is None else Decimal(str(v))


def _value(d: dict[str, Any] | None) -> Value | None:
    if d is None:
        return None
    d = dict(d)
    for k in ("value", "low", "high"):
        d[k] = _dec(d.get(k))
    return Value(**d)


def _indicator(i: dict[str, Any]) -> Indicator:
    d = {"level1": None, "level2": None, "level3": None, "dimension": None, **i}
    for k in ("weight", "score", "score_rate_stated_pct"):
        d[k] = _dec(d.get(k))
    d["target"], d["actual"] = _value(d.get("target")), _value(d.get("actual"))
    return Indicator(**d)


def fake_parse(data: bytes, path: str) -> tuple[list[str], ParseResult]:
    """Parser for files written by `write_record`. Special contents: not UTF-8 -> ReadError;
    {"raise": "..."} -> the parser raises; {"error": "..."} -> read but unrecognized;
    {"hang": true} -> the parser never returns (a busy loop; a broad `except` swallows the first
    interruption, as libraries sometimes do)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReadError("不是 UTF-8 文本") from e
    doc = json.loads(text)
    if "raise" in doc:
        raise RuntimeError(doc["raise"])
    if doc.get("hang"):
        try:
            while True:
                sum(range(1000))
        except Exception:  # noqa: S110 - swallowing is the point: the time limit must still end it
            pass
        while True:
            sum(range(1000))
    lines = text.split("\n")
    src = doc.get("source", {})
    evaluations = []
    for ev in doc.get("evaluations", []):
        evaluations.append(
            Evaluation(
                unit=Unit(**ev["unit"]),
                fiscal_year=ev.get("fiscal_year"),
                report_kind=ev.get("report_kind"),
                project_name=ev.get("project_name"),
                evaluation_mode=ev.get("evaluation_mode"),
                evaluator=ev.get("evaluator"),
                report_date=ev.get("report_date"),
                framework=ev.get("framework"),
                total_score=_dec(ev.get("total_score")),
                grade_raw=ev.get("grade_raw"),
                grade=ev.get("grade"),
                confidence=ev.get("confidence", "high"),
                document_kind=ev.get("document_kind", "evaluation"),
                metrics={k: Metric(value=_dec(m["value"]), raw=m["raw"], line=m["line"])
                         for k, m in ev.get("metrics", {}).items()},
                indicators=[_indicator(i) for i in ev.get("indicators", [])],
                satisfaction=[Satisfaction(**{**s, "pct": _dec(s.get("pct")), "weight": _dec(s.get("weight")),
                                              "score": _dec(s.get("score"))})
                              for s in ev.get("satisfaction", [])],
                findings=[Finding(**f) for f in ev.get("findings", [])],
                quality_flags=[QualityFlag(**q) for q in ev.get("quality_flags", [])],
            )
        )
    source = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), format="txt", family="fake",
                    encoding="utf-8", size_bytes=len(data), line_count=len(lines), is_demo=src.get("is_demo", False))
    result = ParseResult(source=source, evaluations=evaluations)
    if not evaluations:
        result.error = doc.get("error", "未识别出任何评价")
    return lines, result


def q(db: Path, sql: str) -> list[tuple]:
    """Rows of a query on a warehouse file, through a read-only connection that is closed after."""
    from warehouse import connect

    con = connect.read_only(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
