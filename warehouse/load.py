"""Load report files into the warehouse: `python -m loaders load PATH... [--db FILE]`.

1. List the files. When the warehouse exists, read and hash each one (threads: hashlib and file
   reads release the GIL). A file whose SHA-256 is already loaded is unchanged and is not parsed
   again. The hashes of the loaded files are also kept beside the warehouse (<db>.loaded, tied to
   the version of the warehouse file it describes), so reloading an unchanged corpus compares
   hashes without opening, or even importing, DuckDB; when that list is missing or belongs to
   another version of the file, the warehouse itself is asked. Files that failed are retried.
2. Parse the rest in a process pool (forked after the parser is imported, so no worker imports
   it again), in chunks, in input order. Each worker turns its records into plain rows
   (`flatten`), derives what views would otherwise recompute from millions of rows (which
   indicators add up to the score, points per dimension, counts), checks the rows against the
   record contract and the column types, so a bad record fails its own file with a reason and
   never the batch, and hands the chunk's rows back as columns (decimals as exact text).
3. The main process only gives files and evaluations their ids and revisions and appends the
   columns in bulk (polars frames read by DuckDB through the Arrow C stream interface, one INSERT
   per table per flush) to a staged copy of the warehouse (connect.py), which replaces the
   warehouse in one atomic rename at the end. A crash anywhere before that leaves the previous
   warehouse exactly as it was. Nothing is written, and nothing copied, when nothing changed.
4. Before the rename, `finish_load` rebuilds the summary tables the views read (sql/materialize/:
   current evaluations with their metrics pivoted, peer ranks, alerts, coverage, satisfaction
   distribution, indicator losses) from the whole warehouse, so readers see them in step with
   the rows. A warehouse written under older sql/ definitions is brought up to date at the next
   load, even when no file changed.

Each file gets PARSE_SECONDS to parse (in the workers and the CLI; see parse_file): a file that
hangs fails with the reason 解析超时 instead of stopping the load. The real parser always runs in
the pool's workers, which are the bounded children of loaders.sandbox (no process per file):
each caps its address space at start (a file that needs more fails with 解析所需内存超过上限),
dies with the load (PR_SET_PDEATHSIG) and drops the writer lock it inherited; a worker still on
one file HARD_GRACE_SECONDS past the limit is killed from here; a worker that dies fails only
the file it was on, with the reason, and the pool is replaced for the rest (_parse_stream).
What cannot be read as a file (FIFOs, symbolic links that loop or leave the folder, unreadable
folders) is skipped with a line saying why (LoadSummary.skipped), and a copy of a file that
failed fails with it, as `check` reports it.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import re
import sys
import time
import traceback
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from loaders.read import ReadError
from loaders.read.guard import time_limit
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
    ParseResult,
    Value,
)
from loaders.sandbox import (
    MEMORY_MB,
    crash_message,
    is_memory_error,
    limit_this_process,
    memory_message,
    mp_context,
    os_error_message,
    read_report_file,
    timeout_message,
)
from warehouse import registry
from warehouse.connect import _lock_path as lock_path
from warehouse.connect import staged_copy, version, writer_lock

if TYPE_CHECKING:  # DuckDB and polars are imported where used: an unchanged reload needs neither
    import duckdb
    import polars as pl

CHUNK_FILES = 32  # files per task sent to a worker process
PARSE_SECONDS = 60.0  # per file; a real report parses in well under a second
# A worker still on one file this long after its limit (stuck where the alarm cannot reach it,
# e.g. in C code) is killed from the main process, and the file fails with the time limit.
HARD_GRACE_SECONDS = 5.0
WATCH_SECONDS = 1.0  # how often the main process looks at the workers while it waits
MAX_BLIND_RESTARTS = 3  # pool breaks in a row that no file can be blamed for, before giving up
# Append to DuckDB after this many files… or this many buffered source lines, whichever comes
# first. Small enough that the appends overlap the parsing: what is left when the last file is
# parsed is done while a core stands idle (at 1k reports, 2000 files: 1 s after the last chunk;
# 500: 0.2 s).
FLUSH_FILES = 500
FLUSH_LINES = 125_000
CHECKPOINT_FILES = 10_000  # commit and checkpoint the staged copy after this many files (see Writer.flush)

Parser = Callable[[bytes, str], "tuple[list[str], ParseResult]"]


def read_and_parse(data: bytes, path: str) -> tuple[list[str], ParseResult]:
    """The production parser: loaders.parse.parse_bytes, keeping the text lines for source_line."""
    from loaders.parse import parse_document
    from loaders.read import read_bytes

    doc = read_bytes(data, PurePath(path).name)
    return doc.lines, parse_document(doc, path)


# ---------------------------------------------------------------------------------------------
# Worker side: files -> plain rows, in columns


class ContractError(ValueError):
    """A record that does not fit the contract or the column types; fails its file."""


@dataclass
class FileOutcome:
    index: int
    path: str
    sha256: str | None
    size_bytes: int | None
    status: str  # ok | unrecognized | failed
    error: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    lines: list[str] | None = None
    # the lines joined by "\n", in a Chunk, instead of `lines` when none holds a "\n" (one string
    # pickles at the cost of a copy, a list of 200 lines at 200 times the cost of a small object)
    text: str | None = None
    # flatten(): "head" and "unit" values and the row tuples of the child tables (ROW_LISTS);
    # in a Chunk the row tuples have moved to Chunk.rows and only "head" and "unit" are left
    evaluations: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Chunk:
    """What a worker hands back for a run of files: their outcomes, and the rows of the child
    tables of all their evaluations as columns (CHILD_TABLES' columns plus "ev", the place of the
    row's evaluation among the chunk's evaluations in file order). Decimals travel as exact text
    (DuckDB casts them into their DECIMAL columns): a Decimal costs far more to pickle and to turn
    into a frame column than its text."""

    files: list[FileOutcome]
    rows: dict[str, dict[str, list]]


def _read_file(path: str) -> bytes:
    """A regular file's bytes (a FIFO or device is refused, never waited on); see
    loaders.sandbox.read_report_file."""
    return read_report_file(path)


def _os_error(e: OSError) -> str:
    return os_error_message(e)


def hash_file(path: str) -> tuple[str | None, int | None, str | None]:
    """(sha256, size, error) of one file; never raises."""
    try:
        data = _read_file(path)
    except ReadError as e:
        return None, None, str(e)
    except OSError as e:
        return None, None, _os_error(e)
    return hashlib.sha256(data).hexdigest(), len(data), None


def _timed_out(seconds: float) -> str:
    return timeout_message(seconds)


def parse_file(index: int, path: str, parser: Parser = read_and_parse,
               seconds: float = PARSE_SECONDS) -> FileOutcome:
    """Read, hash, parse and flatten one file. Never raises: a failure is an outcome.

    The parser gets `seconds` of wall clock (loaders.read.guard.time_limit: enforced in the main
    thread of a process, i.e. in the CLI and in every pool worker; a no-op in other threads); a
    file that takes longer fails with the reason 解析超时 and the load goes on."""
    try:
        data = _read_file(path)
    except ReadError as e:
        return FileOutcome(index, path, None, None, "failed", str(e))
    except OSError as e:
        return FileOutcome(index, path, None, None, "failed", _os_error(e))
    sha = hashlib.sha256(data).hexdigest()
    out = FileOutcome(index, path, sha, len(data), "failed")
    started = time.monotonic()
    if _SLOT is not None:  # in a pool worker: tell the main process which file, since when
        _mark_slot(index, started)
    try:
        with time_limit(seconds):
            lines, result = parser(data, path)
    except Exception as e:
        if seconds > 0 and time.monotonic() - started >= seconds:
            out.error = _timed_out(seconds)  # our alarm, whatever the parser turned it into
        elif is_memory_error(e):
            out.error = memory_message(_MEMORY_MB)
        elif isinstance(e, ReadError):
            out.error = str(e)
        else:  # a bug in a family must not stop the batch; say what it was
            out.error = f"解析出错 ({type(e).__name__}: {e})"
        return out
    src = result.source
    out.source = {
        "format": src.format,
        "family": src.family,
        "encoding": src.encoding,
        "line_count": len(lines),
        "is_demo": bool(src.is_demo),
        "messages": [str(m) for m in result.messages] or None,
    }
    try:
        out.evaluations = [flatten(ev) for ev in result.evaluations]
    except ContractError as e:
        out.error = f"记录不符合约定 (record contract): {e}"
        return out
    except Exception as e:
        out.error = f"记录无法入库 ({type(e).__name__}: {e})"
        return out
    out.lines = list(lines)
    if out.evaluations:
        out.status = "ok"
    else:
        out.status = "unrecognized"
        out.error = result.error or "未识别出任何评价"
    return out


def parse_chunk(jobs: list[tuple[int, str]], parser: Parser, seconds: float = PARSE_SECONDS) -> Chunk:
    """Parse and flatten a run of files (parse_file, which never raises) and put the rows of all
    their evaluations' child tables into columns (see Chunk)."""
    files = []
    tuples: dict[str, list[tuple]] = {t: [] for t in CHILD_TABLES}
    places: dict[str, list[int]] = {t: [] for t in CHILD_TABLES}
    n = 0
    for i, p in jobs:
        out = parse_file(i, p, parser, seconds)
        for ev in out.evaluations:
            for table, key in ROW_LISTS.items():
                rows = ev.pop(key)
                if rows:
                    tuples[table].extend(rows)
                    places[table].extend([n] * len(rows))
            n += 1
        if out.lines:
            text = "\n".join(out.lines)
            if text.count("\n") == len(out.lines) - 1:
                out.text, out.lines = text, None
        files.append(out)
    if _SLOT is not None:
        _mark_slot(-1, 0.0)
    return Chunk(files, {t: {"ev": places[t], **_columns(CHILD_TABLES[t], tuples[t])} for t in CHILD_TABLES})


def _columns(names: tuple[str, ...], rows: list[tuple]) -> dict[str, list]:
    """Row tuples as columns; a column of Decimals as their text (exact: they are quantized to
    the column's scale already)."""
    if not rows:
        return {name: [] for name in names}
    out = {}
    for name, values in zip(names, zip(*rows)):
        first = next((v for v in values if v is not None), None)
        out[name] = [None if v is None else str(v) for v in values] if isinstance(first, Decimal) else list(values)
    return out


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


# ---------------------------------------------------------------------------------------------
# Identity keys


def _key_part(s: str | None) -> str:
    """The matching form of a name inside a key: NFKC, no whitespace."""
    if not s:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def unit_key(unit: dict[str, Any], is_demo: bool, anonymous: str) -> str:
    """Demo units never share a key with real ones; an unnamed unit is unique to its file."""
    name = _key_part(unit["unit_name"]) or f"?{anonymous}"
    return f"{int(is_demo)}|{unit['admin_code'] or ''}|{name}"


def subject_key(ukey: str, head: dict[str, Any]) -> str:
    """unit|kind|project; a document that is not an evaluation adds |its document_kind, so a 决算
    page never becomes a revision of (or the previous year of) an evaluation, and the keys of
    evaluations stay what they were."""
    key = f"{ukey}|{head['report_kind'] or ''}|{_key_part(head['project_name'])}"
    kind = head.get("document_kind") or "evaluation"
    return key if kind == "evaluation" else f"{key}|{kind}"


def evaluation_key(skey: str, head: dict[str, Any]) -> str:
    return f"{skey}|{head['fiscal_year'] or ''}|{head['evaluation_mode'] or ''}"


# ---------------------------------------------------------------------------------------------
# Main side: ids, revisions and bulk appends


def _frame_type(duck_type: str) -> pl.DataType:
    """The polars type that carries a column of this DuckDB type exactly. DECIMAL travels as its
    text and is cast by the INSERT (`typed_select`): building a polars Decimal column from Python
    Decimals costs about 30 µs per indicator row, the text a few."""
    import polars as pl

    if duck_type.startswith("DECIMAL("):
        return pl.Utf8
    simple = {
        "INTEGER": pl.Int32, "BIGINT": pl.Int64, "VARCHAR": pl.Utf8, "BOOLEAN": pl.Boolean,
        "TIMESTAMP": pl.Datetime("us"), "JSON": pl.Utf8, "VARCHAR[]": pl.List(pl.Utf8),
    }
    return simple[duck_type]


def typed_select(columns: Iterable[str], types: dict[str, str]) -> str:
    """The select list that gives a staged frame's columns their DuckDB types (DECIMAL from text)."""
    return ", ".join(f'CAST("{c}" AS {types[c]}) AS "{c}"' if types[c].startswith("DECIMAL(") else f'"{c}"'
                     for c in columns)


class ArrowStream:
    """A polars frame as DuckDB sees it: through the Arrow C stream interface. DuckDB's own polars
    scan converts with pyarrow, an import (with numpy) of 0.2–0.5 s a load does not need."""

    def __init__(self, frame: pl.DataFrame):
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self.frame.__arrow_c_stream__(requested_schema)


def staged_frame(columns: dict[str, list], types: dict[str, str]) -> ArrowStream:
    """Column lists as a frame DuckDB can scan; a DECIMAL column may hold Decimals or their text."""
    import polars as pl

    data = {}
    for c, values in columns.items():
        if types[c].startswith("DECIMAL(") and isinstance(next((v for v in values if v is not None), None), Decimal):
            values = [None if v is None else str(v) for v in values]
        data[c] = values
    return ArrowStream(pl.DataFrame(data, schema={c: _frame_type(types[c]) for c in columns}))


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list],
                 types: dict[str, str], distinct_on: tuple[str, ...] = ()) -> None:
    """Append column lists to `table` in one INSERT (columns matched by name; `types`: DuckDB
    column types of the table); `distinct_on`: keep the first row of each such key."""
    con.register("_staged_rows", staged_frame(columns, types))
    distinct = f"DISTINCT ON ({', '.join(distinct_on)}) " if distinct_on else ""
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT {distinct}{typed_select(columns, types)} FROM _staged_rows")
    finally:
        con.unregister("_staged_rows")


def insert_lines(con: duckdb.DuckDBPyConnection, files: list[tuple[int, bool, str | None, list[str] | None]]) -> None:
    """Append the text of files to source_line, in file order: (file_id, is_demo, text, lines)
    each, with the lines either joined by "\n" in `text` (DuckDB splits them) or listed."""
    columns = {"file_id": [], "is_demo": [], "text": [], "lines": []}
    for file_id, is_demo, text, lines in files:
        columns["file_id"].append(file_id)
        columns["is_demo"].append(is_demo)
        columns["text"].append(text)
        columns["lines"].append(lines)
    types = {"file_id": "INTEGER", "is_demo": "BOOLEAN", "text": "VARCHAR", "lines": "VARCHAR[]"}
    con.register("_staged_lines", staged_frame(columns, types))
    try:
        con.execute(
            "INSERT INTO source_line (file_id, line_no, text, is_demo) "
            "SELECT file_id, generate_subscripts(l, 1), unnest(l), is_demo "
            "FROM (SELECT file_id, is_demo, coalesce(lines, string_split(text, chr(10))) AS l FROM _staged_lines)"
        )
    finally:
        con.unregister("_staged_lines")


@dataclass
class LoadSummary:
    db: str
    files_seen: int = 0
    new: int = 0
    revised: int = 0
    unchanged: int = 0
    failed: int = 0
    unrecognized: int = 0
    evaluations: int = 0
    indicators: int = 0
    flags: int = 0
    lines: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    # paths not read, each {"path", "reason"}: FIFOs, symbolic links out of the folder or looping,
    # unreadable folders (loaders.files.scan_report_files)
    skipped: list[dict[str, str]] = field(default_factory=list)
    # documents loaded by kind (evaluation, final_accounts, …), and the files loaded whose
    # documents are not all evaluations: {"path", "kinds"} each
    kinds: dict[str, int] = field(default_factory=dict)
    other_documents: list[dict[str, Any]] = field(default_factory=list)
    wrote: bool = False
    load_run_id: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.failed or self.unrecognized or self.skipped)

    def report(self) -> str:
        out = [
            f"文件 {self.files_seen} 个：新增 {self.new}，未变 {self.unchanged}，修订 {self.revised}，"
            f"失败 {self.failed + self.unrecognized}（其中未识别 {self.unrecognized}）；"
            f"载入评价 {self.evaluations} 条，指标 {self.indicators} 条，质量标记 {self.flags} 条，"
            f"原文 {self.lines} 行；用时 {self.seconds:.1f} 秒" + (f"；跳过 {len(self.skipped)} 个路径" if self.skipped else ""),
            f"files {self.files_seen}: new {self.new}, unchanged {self.unchanged}, revised {self.revised}, "
            f"failed {self.failed + self.unrecognized} (unrecognized {self.unrecognized}); "
            f"evaluations {self.evaluations}, indicators {self.indicators}, flags {self.flags}",
        ]
        other = {k: n for k, n in self.kinds.items() if k != "evaluation"}
        if other:
            from loaders.labels import document_kind_names

            names = document_kind_names()
            out.append(f"其中非评价文件 {sum(other.values())} 份（不参与得分比较）："
                       + "，".join(f"{names.get(k, k)} {n}" for k, n in sorted(other.items()))
                       + f"; not evaluations: {sum(other.values())}")
        if self.wrote:
            out.append(f"已写入 {self.db}（载入批次 {self.load_run_id}）")
        else:
            out.append(f"{self.db} 无需改动 (nothing to change)")
        if self.other_documents:
            from loaders.labels import document_kind_label

            for d in self.other_documents:
                out.append(f"{'、'.join(document_kind_label(k) for k in d['kinds'])}: {d['path']}")
        for e in self.errors:
            label = "未识别" if e["status"] == "unrecognized" else "失败"
            out.append(f"{label}: {e['path']}: {e['error']}")
        for e in self.skipped:
            out.append(f"跳过: {e['path']}: {e['reason']}")
        return "\n".join(out)


class Writer:
    """Appends outcomes to the staged copy in bulk; keeps ids, units and revisions in memory.

    The staged copy is opened (`open_db`) only when the first file is to be recorded: a load
    whose files all turn out unchanged, or failing as before, neither copies the warehouse nor
    imports DuckDB."""

    TABLES = ("source_file", "source_line", "unit", "evaluation", "metric", "indicator", "satisfaction",
              "finding", "quality_flag", "dimension_score")

    def __init__(self, known: dict[str, tuple[str, str | None]], open_db: Callable[[], duckdb.DuckDBPyConnection]):
        self.known = known  # sha256 -> (status, error) already in the warehouse
        self._open_db = open_db
        self.con: duckdb.DuckDBPyConnection | None = None
        self.superseded: list[int] = []
        self.retried: list[dict[str, Any]] = []
        self.seen: dict[str, str] = {}  # sha256 -> path of its first copy in this load
        self.added_files = 0
        self.schema_changed = False
        self.buffered_files = 0
        self.buffered_lines = 0

    def open(self) -> None:
        """Open the staged copy, bring its schema up to date, read the ids and revisions it holds
        and begin the transaction all appends go into. Idempotent."""
        if self.con is not None:
            return
        con = self._open_db()
        self.schema_changed = _prepare_schema(con)
        self.run_id = con.execute("SELECT coalesce(max(load_run_id), 0) + 1 FROM load_run").fetchone()[0]
        self.types = {t: dict(cols) for t, cols in registry.table_columns(con).items()}  # DuckDB types
        self.next_file_id = con.execute("SELECT coalesce(max(file_id), 0) + 1 FROM source_file").fetchone()[0]
        self.next_eval_id = con.execute("SELECT coalesce(max(evaluation_id), 0) + 1 FROM evaluation").fetchone()[0]
        self.next_unit_id = con.execute("SELECT coalesce(max(unit_id), 0) + 1 FROM unit").fetchone()[0]
        self.units = dict(con.execute("SELECT unit_key, unit_id FROM unit").fetchall())
        self.revisions: dict[str, tuple[int, int | None]] = {
            k: (rev, cur)
            for k, rev, cur in con.execute(
                "SELECT evaluation_key, max(revision), max(evaluation_id) FILTER (WHERE is_current) "
                "FROM evaluation GROUP BY evaluation_key"
            ).fetchall()
        }
        self.file_ids = dict(con.execute("SELECT sha256, file_id FROM source_file").fetchall())
        # The workers use every core while files are parsed: appends in one DuckDB thread cost
        # less CPU than the same appends spread over all.
        con.execute("SET threads = 1")
        con.execute("BEGIN TRANSACTION")
        self.con = con
        self.files_since_checkpoint = 0
        self._reset()

    def commit_appends(self) -> None:
        """The last appends, committed; DuckDB gets every core back (summaries, checkpoint)."""
        if self.con is None:
            return
        self.flush()
        self.con.execute("COMMIT")
        self.con.execute("RESET threads")

    def _reset(self) -> None:
        self.rows: dict[str, dict[str, list]] = {
            t: {c: [] for c in self.types[t]} for t in self.TABLES if t != "source_line"
        }
        self.line_files: list[tuple[int, bool, str | None, list[str] | None]] = []  # (file_id, is_demo, text, lines)
        self.buffered_files = 0
        self.buffered_lines = 0

    def _append(self, table: str, values: dict[str, Any]) -> None:
        cols = self.rows[table]
        for c, v in values.items():
            cols[c].append(v)

    def add_chunk(self, chunk: Chunk, summary: LoadSummary, on_file: Callable[[], None] | None = None) -> None:
        """Stage a worker's chunk, file by file (`on_file()` after each); count it in `summary`."""
        ids: list[int | None] = []  # per evaluation place in the chunk: its id, None when not recorded
        demo: list[bool] = []
        for out in chunk.files:
            ids += self._add_file(out, summary)
            demo += [bool(out.source.get("is_demo", False))] * len(out.evaluations)
            if on_file is not None:
                on_file()
        for table, cols in chunk.rows.items():
            self._add_rows(table, cols, ids, demo)

    def _add_rows(self, table: str, cols: dict[str, list], ids: list[int | None], demo: list[bool]) -> None:
        places = cols["ev"]
        if not places:
            return
        eids = [ids[k] for k in places]
        if None in eids:  # rows of a file not recorded again (the same bytes twice in this load)
            if all(e is None for e in eids):
                return
            keep = [j for j, e in enumerate(eids) if e is not None]
            cols = {name: [values[j] for j in keep] for name, values in cols.items()}
            places, eids = cols["ev"], [eids[j] for j in keep]
        target = self.rows[table]
        target["evaluation_id"] += eids
        target["is_demo"] += [demo[k] for k in places]
        for name, values in cols.items():
            if name != "ev":
                target[name] += values

    def _add_file(self, out: FileOutcome, summary: LoadSummary) -> list[int | None]:
        """Stage one parsed file's own rows; count it in `summary`. Returns the ids given to its
        evaluations, None for each when the file is not recorded (again)."""
        skipped: list[int | None] = [None] * len(out.evaluations)
        if out.sha256 is None:
            summary.failed += 1
            summary.errors.append({"path": out.path, "sha256": None, "status": "failed", "error": out.error})
            return skipped
        first = self.seen.get(out.sha256)
        if first is not None and out.status != "ok":  # a copy of a file that failed: it fails too
            if out.status == "failed":
                summary.failed += 1
            else:
                summary.unrecognized += 1
            summary.errors.append({"path": out.path, "sha256": out.sha256, "status": out.status,
                                   "error": f"{out.error}（与 {first} 内容相同）"})
            return skipped
        if first is not None or self.known.get(out.sha256, ("",))[0] == "ok":
            summary.unchanged += 1  # the same bytes under another path, or changed back meanwhile
            return skipped
        self.seen[out.sha256] = out.path
        if out.status != "ok":
            if out.status == "failed":
                summary.failed += 1
            else:
                summary.unrecognized += 1
            summary.errors.append(
                {"path": out.path, "sha256": out.sha256, "status": out.status, "error": out.error}
            )
        previous = self.known.get(out.sha256)
        if previous is not None and previous == (out.status, out.error):
            return skipped  # the same failure as last time: nothing to record again
        self.open()
        is_demo = bool(out.source.get("is_demo", False))
        file_row = {
            "sha256": out.sha256,
            "path": out.path,
            "file_name": PurePath(out.path).name,
            "format": out.source.get("format"),
            "family": out.source.get("family"),
            "encoding": out.source.get("encoding"),
            "size_bytes": out.size_bytes,
            "line_count": out.source.get("line_count"),
            "is_demo": is_demo,
            "status": out.status,
            "error": out.error,
            "messages": out.source.get("messages"),
            "evaluation_count": len(out.evaluations),
            "last_load_run_id": self.run_id,
        }
        if previous is None:
            file_id = self.next_file_id
            self.next_file_id += 1
            self._append("source_file", {**file_row, "file_id": file_id, "first_load_run_id": self.run_id})
            self.added_files += 1
            lines_stored = False
        else:  # a retry of a file that failed or was not recognized before
            file_id = self.file_ids[out.sha256]
            self.retried.append(file_row)
            lines_stored = previous[0] == "unrecognized"
        if (out.lines is not None or out.text is not None) and not lines_stored:
            n = out.source["line_count"]
            self.line_files.append((file_id, is_demo, out.text, out.lines))
            self.buffered_lines += n
            summary.lines += n
        revised = False
        ids: list[int | None] = []
        kinds: list[str] = []
        for no, ev in enumerate(out.evaluations):
            eid, is_revision = self._add_evaluation(out.sha256, file_id, no, ev, is_demo)
            ids.append(eid)
            revised |= is_revision
            kind = ev["head"]["document_kind"]
            summary.kinds[kind] = summary.kinds.get(kind, 0) + 1
            if kind != "evaluation" and kind not in kinds:
                kinds.append(kind)
            summary.evaluations += 1
            summary.indicators += ev["head"]["indicator_count"]
            summary.flags += ev["head"]["flag_count"]
        if kinds:
            summary.other_documents.append({"path": out.path, "kinds": kinds})
        if out.status == "ok":
            if revised:
                summary.revised += 1
            else:
                summary.new += 1
        self.buffered_files += 1
        return ids

    def _add_evaluation(self, sha: str, file_id: int, no: int, ev: dict[str, Any], is_demo: bool) -> tuple[int, bool]:
        """The evaluation's row (and its unit's, when new); its id and whether it is a revision."""
        ukey = unit_key(ev["unit"], is_demo, f"{sha[:16]}#{no}")
        unit_id = self.units.get(ukey)
        if unit_id is None:
            unit_id = self.units[ukey] = self.next_unit_id
            self.next_unit_id += 1
            self._append(
                "unit",
                {**ev["unit"], "unit_id": unit_id, "unit_key": ukey, "is_demo": is_demo,
                 "first_load_run_id": self.run_id},
            )
        head = ev["head"]
        skey = subject_key(ukey, head)
        ekey = evaluation_key(skey, head)
        eid = self.next_eval_id
        self.next_eval_id += 1
        last_rev, current = self.revisions.get(ekey, (0, None))
        if current is not None:
            self.superseded.append(current)
        self.revisions[ekey] = (last_rev + 1, eid)
        self._append(
            "evaluation",
            {
                **head,
                "evaluation_id": eid, "sha256": sha, "file_id": file_id, "evaluation_no": no,
                "unit_id": unit_id, "is_demo": is_demo, "subject_key": skey, "evaluation_key": ekey,
                "revision": last_rev + 1, "is_current": True, "load_run_id": self.run_id,
            },
        )
        return eid, last_rev > 0

    @property
    def wants_flush(self) -> bool:
        return self.con is not None and (self.buffered_files >= FLUSH_FILES or self.buffered_lines >= FLUSH_LINES)

    @property
    def has_changes(self) -> bool:
        return self.added_files > 0 or bool(self.retried)

    def _insert(self, table: str, columns: dict[str, list]) -> None:
        insert_frame(self.con, table, columns, self.types[table])

    def flush(self) -> None:
        for table in self.TABLES:
            if table == "source_line":
                if self.line_files:
                    insert_lines(self.con, self.line_files)
                continue
            cols = self.rows[table]
            lengths = {len(v) for v in cols.values()}
            if len(lengths) != 1:
                raise RuntimeError(f"{table}: staged columns out of step {lengths}")  # a bug here, not in a file
            if lengths != {0}:
                self._insert(table, cols)
        self.files_since_checkpoint += self.buffered_files
        self._reset()
        if self.files_since_checkpoint >= CHECKPOINT_FILES:
            # Appends go into one transaction per CHECKPOINT_FILES files. A commit per flush
            # checkpoints every time (the WAL outgrows its threshold), and each checkpoint writes
            # the growing tables' indexes out again: at 50k reports 30% more CPU than one
            # transaction. One transaction for everything holds all its rows in memory: 1.5 GB
            # at 50k reports, against 0.8 GB with a checkpoint every 10k files.
            self.con.execute("COMMIT")
            self.con.execute("CHECKPOINT")
            self.con.execute("BEGIN TRANSACTION")
            self.files_since_checkpoint = 0

    def finish(self, summary: LoadSummary, started: datetime, paths: list[str], workers: int) -> None:
        """After commit_appends: the revision flips, the retried files, the reference and the run."""
        import duckdb

        con = self.con
        if self.superseded:
            con.register("_superseded", staged_frame({"evaluation_id": self.superseded}, {"evaluation_id": "INTEGER"}))
            con.execute(
                "UPDATE evaluation SET is_current = false "
                "WHERE evaluation_id IN (SELECT evaluation_id FROM _superseded)"
            )
            con.unregister("_superseded")
        if self.retried:
            cols = {c: [r[c] for r in self.retried] for c in self.retried[0]}
            con.register("_retried", staged_frame(cols, self.types["source_file"]))
            sets = ", ".join(f"{c} = r.{c}" for c in cols if c != "sha256")
            con.execute(f"UPDATE source_file SET {sets} FROM _retried AS r WHERE source_file.sha256 = r.sha256")
            con.unregister("_retried")
        try:
            last = con.execute("SELECT region_sha256 FROM load_run ORDER BY load_run_id DESC LIMIT 1").fetchall()
        except duckdb.Error:
            last = []
        region_sha256 = refresh_regions(con, last[0][0] if last else None)
        finish_load(con)
        run = {
            "load_run_id": self.run_id, "started_at": started, "finished_at": datetime.now(),
            "paths": [str(p) for p in paths], "workers": workers, "files_seen": summary.files_seen,
            "files_new": summary.new, "files_revised": summary.revised, "files_unchanged": summary.unchanged,
            "files_failed": summary.failed, "files_unrecognized": summary.unrecognized,
            "evaluations": summary.evaluations, "indicators": summary.indicators,
            "quality_flags": summary.flags, "source_lines": summary.lines,
            "errors": json.dumps(summary.errors, ensure_ascii=False),
            "schema_sha256": registry.SCHEMA_SHA256,
            "region_sha256": region_sha256,
        }
        self._insert("load_run", {c: [v] for c, v in run.items()})


def finish_load(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The last step of every load that writes (and of warehouse.synth): rebuild the summary
    tables (sql/materialize/: the current evaluations with their metrics pivoted, peer ranks,
    alerts, coverage, the satisfaction distribution, indicator losses) from the whole warehouse,
    in the same staged copy, so readers never see them half-built or out of step with the rows.
    About 5 s and 0.7 GB at national scale (≈140k evaluations, ≈5M indicator rows). Returns the
    seconds each summary took."""
    return registry.refresh_summaries(con)


REGION_FIELDS = ("admin_code", "name", "level", "province_code", "city_code", "province", "city", "county",
                 "valid_from", "valid_to", "source")


def _as_dict(row: Any) -> dict[str, Any]:
    if isinstance(row, dict):
        return row
    if is_dataclass(row):
        return asdict(row)
    if hasattr(row, "_asdict"):
        return row._asdict()
    return dict(row)


def _region_rows() -> tuple | None:
    try:
        from loaders.regions import region_rows
    except ImportError:
        return None
    return tuple(region_rows())


def region_fingerprint(raw: tuple | None) -> str | None:
    return None if raw is None else hashlib.sha256(repr(raw).encode()).hexdigest()


def region_reference(raw: tuple | None = None) -> list[dict[str, Any]] | None:
    """loaders.regions.region_rows() as rows of the region table, with the province and city
    names filled in from their codes; None when that module has no region_rows()."""
    if raw is None:
        raw = _region_rows()
        if raw is None:
            return None
    raw = [_as_dict(r) for r in raw]
    names: dict[str, str] = {}
    for r in sorted(raw, key=lambda r: (r.get("valid_to") is None, r.get("valid_to") or 0)):
        names[str(r["admin_code"])] = r["name"]  # the current (or latest) name of each code wins
    out = []
    for r in raw:
        code = str(r.get("admin_code") or "").strip()
        if len(code) != 6 or not r.get("name"):
            continue
        level = r.get("level") or ("province" if code.endswith("0000") else "city" if code.endswith("00") else "county")
        province_code = r.get("province_code") or code[:2] + "0000"
        city_code = r.get("city_code") or None
        out.append({
            "admin_code": code, "name": r["name"], "level": level,
            "province_code": province_code, "city_code": city_code,
            "province": names.get(province_code),
            "city": names.get(city_code) if city_code and level != "province" else None,
            "county": r["name"] if level == "county" else None,
            "valid_from": r.get("valid_from"), "valid_to": r.get("valid_to"), "source": r.get("source"),
        })
    return out


def refresh_regions(con: duckdb.DuckDBPyConnection, last_fingerprint: str | None) -> str | None:
    """Replace the region reference with loaders.regions.region_rows() when it changed since the
    last load; return the fingerprint of what the table now holds (None: no reference)."""
    try:
        raw = _region_rows()
        fingerprint = region_fingerprint(raw)
        if raw is None or fingerprint == last_fingerprint:
            return last_fingerprint
        rows = region_reference(raw)
    except Exception as e:  # the reference is optional: a broken one must not stop a load
        print(f"区划参考表读取失败，沿用原表: {type(e).__name__}: {e}", file=sys.stderr)
        return last_fingerprint
    con.execute("DELETE FROM region")
    if rows:
        types = dict(registry.table_columns(con)["region"])
        insert_frame(con, "region", {c: [r[c] for r in rows] for c in REGION_FIELDS}, types,
                     distinct_on=("admin_code", "valid_from"))
    return fingerprint


# ---------------------------------------------------------------------------------------------
# Orchestration


class SchemaDrift(RuntimeError):
    pass


def _known_files(db: Path) -> tuple[dict[str, tuple[str, str | None]], bool]:
    """sha256 -> (status, error) of the files in the warehouse, and whether it exists and its last
    load applied other sql/ definitions than the current ones (one connection for both)."""
    if not db.exists():
        return {}, False
    import duckdb

    from warehouse.connect import read_only

    con = read_only(db)
    try:
        stale = not _schema_is_current(con)
        try:
            rows = con.execute("SELECT sha256, status, error FROM source_file").fetchall()
        except duckdb.CatalogException:  # a file without tables yet
            rows = []
        return {sha: (status, error) for sha, status, error in rows}, stale
    finally:
        con.close()


def loaded_list_path(db: Path) -> Path:
    """<db>.loaded: the SHA-256 of every file the warehouse holds as loaded, for unchanged reloads."""
    return db.with_name(db.name + ".loaded")


def _loaded_hashes(db: Path) -> set[str] | None:
    """The SHA-256 of every file loaded ok, from <db>.loaded when it describes the warehouse file
    as it is now (its version: inode, mtime, size) and was written under the current sql/
    definitions; else None (ask the warehouse). A damaged list can only miss hashes, which sends
    the load to the warehouse; it cannot make a file look loaded."""
    current = version(db)
    if current is None:
        return None
    try:
        with open(loaded_list_path(db), encoding="ascii") as f:
            head = json.loads(f.readline())
            if head.get("warehouse") != list(current) or head.get("schema_sha256") != registry.SCHEMA_SHA256:
                return None
            return set(f.read().split())
    except (OSError, ValueError, AttributeError):
        return None


def _write_loaded_hashes(db: Path, hashes: Iterable[str]) -> None:
    """Write <db>.loaded for the warehouse file as it is now (call while holding the writer lock)."""
    path = loaded_list_path(db)
    temp = path.with_name(path.name + ".tmp")
    head = {"warehouse": list(version(db) or ()), "schema_sha256": registry.SCHEMA_SHA256}
    try:
        with open(temp, "w", encoding="ascii") as f:
            f.write(json.dumps(head) + "\n")
            f.write("".join(h + "\n" for h in sorted(hashes)))
        os.replace(temp, path)
    except OSError as e:  # only a shortcut: without it the next reload asks the warehouse
        print(f"无法写入 {path} (could not write the list of loaded files): {e}", file=sys.stderr)
        temp.unlink(missing_ok=True)


# In a pool worker: its place in the shared table of what each worker is parsing (pid, file
# index, start time on the monotonic clock, which all processes share), and its memory limit.
_SLOT: tuple[Any, int] | None = None
_MEMORY_MB = MEMORY_MB


def _mark_slot(index: int, started: float) -> None:
    table, k = _SLOT
    table[3 * k + 1], table[3 * k + 2] = index, started


def _worker_init(table=None, claim=None, memory_mb: int = MEMORY_MB, parent: int | None = None,
                 lock_file: str | None = None) -> None:
    """Start of a pool worker: it dies with the load (PR_SET_PDEATHSIG), drops the writer lock
    it inherited (a worker outliving a killed load must not keep the next load waiting), caps its
    memory, and takes a row in the table the main process watches."""
    global _SLOT, _MEMORY_MB
    limit_this_process(memory_mb, parent)
    if lock_file:
        _close_inherited(lock_file)
    _MEMORY_MB = memory_mb
    if table is not None:
        with claim:
            k = next(i for i in range(len(table) // 3) if table[3 * i] == 0)
            table[3 * k], table[3 * k + 1] = os.getpid(), -1
        _SLOT = (table, k)
    # The parser makes many short-lived objects per file; the heap a worker inherits (modules,
    # tables) lives as long as it does. Frozen, collections never walk it (nor write to its
    # pages, which fork shares); a larger first generation runs them less often. Measured: 6-8%
    # less parse time than the default settings. Cycles are still collected.
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _close_inherited(lock_file: str) -> None:
    """Close this process's descriptors of the lock file (a flock belongs to the open file, which
    a forked child shares; the lock is released once the last descriptor closes)."""
    try:
        target = os.path.realpath(lock_file)
        for fd in os.listdir("/proc/self/fd"):
            try:
                if os.readlink(f"/proc/self/fd/{fd}") == target:
                    os.close(int(fd))
            except OSError:
                continue
    except OSError:
        pass


class _Pool:
    """A process pool whose workers can be watched and replaced: which file each is on and since
    when (see _worker_init), and how each one that died ended."""

    def __init__(self, workers: int, lock_file: str | None, memory_mb: int):
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp_context()
        self.table = ctx.RawArray("d", 3 * workers)
        parent = os.getpid() if ctx.get_start_method() == "fork" else None
        self.ex = ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_worker_init,
            initargs=(self.table, ctx.Lock(), memory_mb, parent, lock_file))
        self.killed: dict[int, float] = {}  # pid -> the time limit it was killed for
        self.processes: dict[int, Any] = {}

    def submit(self, jobs: list[tuple[int, str]], parser: Parser, seconds: float):
        future = self.ex.submit(parse_chunk, jobs, parser, seconds)
        self.processes.update(getattr(self.ex, "_processes", None) or {})
        return future

    def rows(self) -> list[tuple[int, int, float]]:
        t = self.table
        return [(int(t[3 * k]), int(t[3 * k + 1]), t[3 * k + 2]) for k in range(len(t) // 3) if t[3 * k]]

    def watch(self, seconds: float) -> None:
        """Kill a worker that is still on one file HARD_GRACE_SECONDS past the time limit."""
        if seconds <= 0:
            return
        now = time.monotonic()
        for pid, index, started in self.rows():
            if index >= 0 and now - started > seconds + HARD_GRACE_SECONDS and pid not in self.killed:
                self.killed[pid] = seconds
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass

    def blame(self) -> dict[int, str]:
        """After the pool broke: file index -> reason, for each file a worker was on when it died.
        The executor terminates the surviving workers (SIGTERM) once one dies; those are not to
        blame. When no worker can be told apart, every file in progress is."""
        processes = {**self.processes, **(getattr(self.ex, "_processes", None) or {})}
        for p in processes.values():
            p.join(5)
        exits = {pid: p.exitcode for pid, p in processes.items()}
        in_progress = [(pid, index) for pid, index, _ in self.rows() if index >= 0]
        culprits = {pid for pid, code in exits.items() if code not in (0, -15, None)} | set(self.killed)
        out: dict[int, str] = {}
        for pid, index in in_progress:
            if pid in culprits or not culprits:
                out[index] = (timeout_message(self.killed[pid]) if pid in self.killed
                              else crash_message(exits.get(pid)))
        return out

    def shutdown(self) -> None:
        self.ex.shutdown(wait=True, cancel_futures=True)


def _failed_chunk(jobs: list[tuple[int, str]], reason: str) -> Chunk:
    """The files failed with `reason`, hashed here so they are recorded (and retried next load)."""
    outcomes = []
    for i, p in jobs:
        sha, size, err = hash_file(p)
        outcomes.append(FileOutcome(i, p, sha, size, "failed", reason if sha is not None else err or reason))
    return Chunk(outcomes,
                 {t: {"ev": [], **{c: [] for c in cols}} for t, cols in CHILD_TABLES.items()})


def _parse_stream(jobs: list[tuple[int, str]], workers: int, parser: Parser,
                  seconds: float = PARSE_SECONDS, lock_file: str | None = None,
                  memory_mb: int = MEMORY_MB) -> Iterator[Chunk]:
    """Chunks in input order.

    The production parser always runs in worker processes (also with one worker): their memory
    is capped, a file stuck past its time limit gets its worker killed, and a worker that dies
    (killed, out of memory, a crash in C code) fails only the file it was on, with the reason;
    the pool is replaced and every other file is parsed again. Another parser (tests) runs in
    this process when one worker or one chunk is enough."""
    if parser is not read_and_parse and (workers <= 1 or len(jobs) <= CHUNK_FILES):
        for job in jobs:
            yield parse_chunk([job], parser, seconds)
        return
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    if parser is read_and_parse:
        import loaders.parse  # noqa: F401 - imported once here rather than once in every worker
    workers = max(1, min(workers, len(jobs)))
    chunk = max(1, min(CHUNK_FILES, len(jobs) // (workers * 4) or 1))
    todo = deque(jobs[k:k + chunk] for k in range(0, len(jobs), chunk))
    pool = _Pool(workers, lock_file, memory_mb)
    # in input order: [jobs, future] while parsing, [jobs, Chunk] once known
    window: deque[list] = deque()
    blind = 0
    try:
        while window or todo:
            broken = False
            while todo and len(window) < workers * 4:
                c = todo.popleft()
                try:
                    window.append([c, pool.submit(c, parser, seconds)])
                except BrokenProcessPool:  # a worker died since the last look
                    window.append([c, None])
                    broken = True
                    break
            head = window[0]
            if isinstance(head[1], Chunk):
                window.popleft()
                yield head[1]
                continue
            try:
                if broken:
                    raise BrokenProcessPool
                result = head[1].result(timeout=WATCH_SECONDS)
            except FutureTimeout:
                pool.watch(seconds)
                continue
            except BrokenProcessPool:
                blamed = pool.blame()
                pool.shutdown()
                blind = 0 if blamed else blind + 1
                pending, window = window, deque()
                for c, fut in pending:
                    if isinstance(fut, Chunk) or fut is None:  # known, or never sent
                        window.append([c, fut])
                    elif fut.done() and not fut.cancelled() and fut.exception() is None:
                        window.append([c, fut.result()])
                    elif blind > MAX_BLIND_RESTARTS:
                        window.append([c, _failed_chunk(c, crash_message(None))])
                    else:  # parsed again in the new pool, but the file a dead worker was on
                        run: list[tuple[int, str]] = []
                        for job in c:
                            if job[0] in blamed:
                                if run:
                                    window.append([run, None])
                                    run = []
                                window.append([[job], _failed_chunk([job], blamed[job[0]])])
                            else:
                                run.append(job)
                        if run:
                            window.append([run, None])
                if blind > MAX_BLIND_RESTARTS:  # workers keep dying with no file to blame: stop
                    window.extend([c, _failed_chunk(c, crash_message(None))] for c in todo)
                    todo = deque()
                pool = _Pool(workers, lock_file, memory_mb)
                for item in window:
                    if item[1] is None:
                        item[1] = pool.submit(item[0], parser, seconds)
                continue
            window.popleft()
            yield result
    finally:
        pool.shutdown()


def _take(it: Iterator, n: int) -> list:
    out = []
    for _ in range(n):
        try:
            out.append(next(it))
        except StopIteration:
            break
    return out


def _hash_files(files: list[str]) -> list[tuple[str | None, int | None, str | None]]:
    """hash_file of every file, in order. One slice of the list per thread: a task per file costs
    more than reading and hashing a report of a few kilobytes."""
    threads = max(1, min(4, os.cpu_count() or 1, len(files) // 256))
    if threads == 1:
        return [hash_file(f) for f in files]
    size = -(-len(files) // threads)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        parts = pool.map(lambda part: [hash_file(f) for f in part], [files[k:k + size] for k in range(0, len(files), size)])
        return [h for part in parts for h in part]


def load_paths(paths: list[str], db: str | os.PathLike, workers: int | None = None, quiet: bool = True,
               parser: Parser = read_and_parse, progress: Callable[[int, int], None] | None = None,
               parse_seconds: float = PARSE_SECONDS) -> LoadSummary:
    """Load files and folders into the warehouse at `db`; see the module docstring.

    `progress(done, total)`, when given, is called as files are done (total = every file found,
    unchanged ones count as done at once), and a last time with done == total once the new
    warehouse is in place, so one bar can follow one atomic load. `parse_seconds` limits the
    parse of each file (parse_file). A warehouse built under older sql/ definitions is brought up
    to date (schema and summary tables) even when no file changed."""
    from loaders.files import scan_report_files

    t0 = time.perf_counter()
    started = datetime.now()
    db = Path(db)
    workers = max(1, workers or os.cpu_count() or 1)
    found, skipped = scan_report_files([str(p) for p in paths])
    files = [str(f) for f in found]
    summary = LoadSummary(db=str(db), files_seen=len(files),
                          skipped=[{"path": path, "reason": reason} for path, reason in skipped])

    def report(done: int) -> None:
        if progress is not None:
            progress(done, len(files))

    def unchanged_done() -> LoadSummary:
        summary.seconds = time.perf_counter() - t0
        report(len(files))
        return summary

    with writer_lock(db, quiet=quiet):
        hashed = _hash_files(files) if db.exists() else None
        if hashed is not None:
            loaded = _loaded_hashes(db)
            if loaded is not None and all(sha in loaded for sha, _, _ in hashed):
                summary.unchanged = len(files)
                report(len(files))
                return unchanged_done()
        known, stale = _known_files(db)
        jobs: list[tuple[int, str]] = []
        if known:
            for i, (path, (sha, _size, _err)) in enumerate(zip(files, hashed)):
                if sha is not None and known.get(sha, ("",))[0] == "ok":
                    summary.unchanged += 1
                    continue
                jobs.append((i, path))  # a second copy is parsed too: a copy of a failed file fails
        else:
            jobs = list(enumerate(files))
        report(len(files) - len(jobs))
        if not jobs and not stale:
            if known:  # the list was missing or out of date: the next unchanged reload needs no DuckDB
                _write_loaded_hashes(db, (sha for sha, (status, _) in known.items() if status == "ok"))
            return unchanged_done()
        from tqdm import tqdm

        holder: dict[str, Any] = {}
        done = len(files) - len(jobs)

        def open_staged() -> duckdb.DuckDBPyConnection:
            ctx = staged_copy(db)
            holder["ctx"], holder["staged"] = ctx, ctx.__enter__()
            return holder["staged"].con

        writer = Writer(known, open_staged)
        bar = tqdm(total=len(jobs), desc="解析并载入", unit="个文件", file=sys.stderr, disable=quiet or not jobs,
                   mininterval=0.5)

        def file_done() -> None:
            nonlocal done
            done += 1
            bar.update(1)
            report(done)

        stream = _parse_stream(jobs, workers, parser, parse_seconds, lock_file=str(lock_path(db)))
        loaded_ok: list[str] | None = None
        try:
            for chunk in stream:
                writer.add_chunk(chunk, summary, file_done)
                if writer.wants_flush:
                    writer.flush()
            bar.close()
            unreadable = any(e["sha256"] is None for e in summary.errors)  # logged in load_run
            if stale or unreadable:  # the warehouse is brought up to date even when no file changed
                writer.open()
            writer.commit_appends()
            if writer.has_changes or writer.schema_changed or unreadable:
                writer.finish(summary, started, paths, workers)
                summary.wrote = True
                summary.load_run_id = writer.run_id
                loaded_ok = [r[0] for r in writer.con.execute(
                    "SELECT sha256 FROM source_file WHERE status = 'ok'").fetchall()]
            elif "staged" in holder:
                holder["staged"].discard()
        except BaseException:
            stream.close()  # stop the pool before the staged copy goes away
            if "ctx" in holder:
                holder["ctx"].__exit__(*sys.exc_info())
            raise
        if "ctx" in holder:
            holder["ctx"].__exit__(None, None, None)
        if loaded_ok is not None:
            _write_loaded_hashes(db, loaded_ok)
        elif known and not stale:
            _write_loaded_hashes(db, (sha for sha, (status, _) in known.items() if status == "ok"))
    summary.seconds = time.perf_counter() - t0
    report(len(files))
    return summary


def _schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the last load applied the sql/ definitions as they are now."""
    import duckdb

    try:
        last = con.execute("SELECT schema_sha256 FROM load_run ORDER BY load_run_id DESC LIMIT 1").fetchall()
    except duckdb.Error:  # a new file, or one from before schema_sha256 existed
        return False
    return bool(last) and last[0][0] == registry.SCHEMA_SHA256


def _prepare_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring the staged copy's schema up to the sql/ definitions; whether it had to change."""
    if _schema_is_current(con):
        return False
    existed = bool(registry.table_columns(con))
    registry.drop_summaries(con)  # derived: rebuilt by finish_load under the new definitions
    registry.apply_schema(con)
    # Tables apply_schema just created match sql/ by construction, and a warehouse whose last
    # load applied the current definitions was checked then: only an older one can drift.
    drift = registry.schema_drift(con) if existed else []
    if drift:
        raise SchemaDrift(
            "数据仓库的表结构与 sql/ 中的定义不一致，请删除后重新载入 (warehouse schema differs from sql/; "
            "rebuild it):\n  " + "\n  ".join(drift)
        )
    return True


def main(args: argparse.Namespace) -> int:
    """Entry point of `python -m loaders load`: exit 0 when every file loaded, 1 when some file
    failed or was not recognized, 2 when the load itself was interrupted (nothing changed)."""
    try:
        summary = load_paths(args.paths, args.db, workers=args.workers, quiet=args.quiet)
    except SchemaDrift as e:
        print(str(e), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("载入已中断，数据仓库保持原状 (interrupted; the warehouse is unchanged)", file=sys.stderr)
        return 2
    except Exception as e:
        traceback.print_exc()
        print(f"载入失败，数据仓库保持原状 (load failed; the warehouse is unchanged): {type(e).__name__}: {e}",
              file=sys.stderr)
        return 2
    if not summary.files_seen:
        print("没有找到报告文件 (.txt/.docx/.xlsx/.pdf) (no report files found)", file=sys.stderr)
    print(summary.report())
    return 0 if summary.ok else 1
