"""The parser: bytes in, records out. A pure function with no global state, so the same call
can run in a process pool (or a Spark/Ray map) unchanged."""

from __future__ import annotations

import dataclasses
import re
from pathlib import PurePath

from loaders import extract, families, layout
from loaders.checks import run_generic_checks
from loaders.extract import rubric
from loaders.extract.indicators import level_of
from loaders.extract.textnorm import continued_rows, quoted_cells, simplified, wrapped_rows
from loaders.read import Document, read_bytes
from loaders.records import Evaluation, ParseResult, Source

DEMO_MARKER = "【演示数据】"


def parse_document(doc: Document, path: str) -> ParseResult:
    source_doc = doc
    # A template written in traditional characters is read in simplified ones (the stored text
    # and every line number stay the source's).
    simple = simplified(doc.lines)
    if simple is not None:
        doc = dataclasses.replace(doc, lines=simple, _norm=None, _cells=None)
    # Excel cells quoted over several lines, a TAB row cut by a line break inside a cell, and a
    # fixed-width table's cells wrapped onto the lines below are one row for the families too
    # (the general strategies join them in their own normalisation).
    joined = continued_rows(wrapped_rows(quoted_cells(doc.lines)))
    if joined is not doc.lines:
        doc = dataclasses.replace(doc, lines=joined, _norm=None, _cells=None)
    # Other layouts of the same template (pipe cells, wrapped pipe rows, flattened rows, OCR
    # misreadings) are re-flowed into the ones the families read; line numbers do not move.
    doc = layout.reflow(doc)
    fam = families.detect(doc)
    is_demo = any(DEMO_MARKER in line for line in doc.lines[:5])
    source = Source(
        path=path,
        sha256=doc.sha256,
        format=doc.format,
        family=fam.NAME if fam else None,
        encoding=doc.encoding,
        size_bytes=doc.size_bytes,
        line_count=len(source_doc.lines),
        is_demo=is_demo,
    )
    messages = list(doc.notes)
    evaluations = []
    if fam is not None:
        try:
            evaluations = fam.extract(doc)
        except Exception as e:  # noqa: BLE001 (a template plugin failing on a variant it was not written for)
            messages.append(f"模板 {fam.NAME} 读取出错，改由通用策略读取：{type(e).__name__}: {e}")
            source.family = None
    # The general strategies read every document; a template family's reading, where one
    # recognised the document, is kept and the general reading fills what it left empty.
    general = extract.run(source_doc.lines, path)
    if doc.lines is not source_doc.lines and len(general) == 1:
        # a rubric with weights in its labels whose rows a flattened layout ran together: read
        # from the text re-flowed into rows
        rubric.reread(general[0], doc.lines)
    if evaluations:
        # pairs of readings of the same form: in order when both found as many forms, else the
        # general reading of the whole text for a single form
        if len(general) == len(evaluations):
            for ev, g in zip(evaluations, general):
                merge_into(ev, g)
        elif len(evaluations) == 1:
            merge_into(evaluations[0], general[0])
        else:
            for ev in evaluations:
                ev.document_kind = general[0].document_kind
    else:
        evaluations = [g for g in general if has_content(g)]
        if evaluations:
            source.family = extract.NAME
            for ev in evaluations:
                ev.flag("low_confidence", "未识别出已知模板：由通用策略（标签、表头、正文句子）读取")
    unread = layout.unread_rows(doc)
    for ev in evaluations:
        if unread:
            # Sums over a table some of whose rows could not be read say nothing about the report.
            ev.quality_flags = [f for f in ev.quality_flags if f.code not in layout.SUM_FLAGS]
            ev.flag("rows_unreadable", f"{len(unread)} 个表格行无法按列可靠拆分，未读取（第 {'、'.join(map(str, unread[:10]))} 行）", unread[0])
        run_generic_checks(ev)
    result = ParseResult(source=source, evaluations=evaluations, messages=messages)
    if not evaluations:
        result.error = "未识别出任何评价：文件可以读取，但不属于已知模板，也找不到单位、年度、金额或得分等关键字段"
    return result


def has_content(ev: Evaluation) -> bool:
    """Whether the general reading found anything worth a record (a page recognised as another
    kind of document — 决算, rubric, template … — is kept so that its kind is stated)."""
    return bool(ev.unit.name or ev.fiscal_year or ev.metrics or ev.indicators or ev.total_score is not None
                or ev.document_kind != "evaluation")


_MERGED_FIELDS = ("fiscal_year", "report_kind", "project_name", "evaluation_mode", "evaluator", "report_date")


def merge_into(ev: Evaluation, general: Evaluation) -> None:
    """Fill what a template family left empty from the general reading of the same text."""
    ev.document_kind = general.document_kind
    if not ev.unit.name and general.unit.name:
        ev.unit = general.unit
    elif general.unit.name and ev.unit.name and ev.unit.name != general.unit.name \
            and ev.unit.name.endswith(general.unit.name) and _LABEL_WORDS.search(ev.unit.name[: -len(general.unit.name)]):
        # the template took a label cell with the name ("况单位名称乳源…总工会": an OCR'd rotated
        # label, then 单位名称): the general reading's name is the name
        ev.unit = general.unit
    elif ev.unit.name == general.unit.name and not (ev.unit.province or ev.unit.city or ev.unit.county) \
            and (general.unit.province or general.unit.city or general.unit.county):
        ev.unit = general.unit  # the same unit, placed by the general reading (from the text around it)
    for name in _MERGED_FIELDS:
        if getattr(ev, name) is None and getattr(general, name) is not None:
            setattr(ev, name, getattr(general, name))
    if ev.total_score is None and general.total_score is not None:
        ev.total_score = general.total_score
    if ev.grade is None and general.grade is not None:
        ev.grade_raw, ev.grade = general.grade_raw, general.grade
    taken = {(m.line, m.value) for m in ev.metrics.values()}
    ranks = general.__dict__.get("ranks", {})
    for name, m in general.metrics.items():
        mine = ev.metrics.get(name)
        if mine is not None:
            # a table or label reading (rank 1) that disagrees with the template's: neither is
            # taken (a template misreading a layout it was not written for must not win)
            if mine.value != m.value and ranks.get(name, 9) == 1:
                del ev.metrics[name]
                ev.flag("template_reading_differs",
                        f"{name}: 模板读作“{mine.raw}”（第{mine.line}行），通用读法读作“{m.raw}”（第{m.line}行），未取值", mine.line)
            continue
        # the same figure of the same line, filed by the family under another name (年初 vs
        # 全年 for an unqualified budget): the template's reading stands
        if (m.line, m.value) not in taken:
            ev.metrics[name] = m
    named = [i for i in ev.indicators if i.level3]
    twice = len({i.level3 for i in named}) < len(named) and len({i.level3 for i in general.indicators}) == len(general.indicators)
    if len(general.indicators) > len(named) or (general.indicators and len(general.indicators) == len(named) and (
            _names(general.indicators) != _names(named) or twice)) or _levels_as_names(named, general.indicators):
        # the general table reader found more indicator rows than the template did, or as many
        # under other names (the template read a layout it was not written for one column off):
        # or with two rows of one name where the general reader tells them apart (指标1/指标2):
        # its rows are taken, beside the template's unnamed rows without a target (the
        # budget-execution row; an unnamed row with a target is a shifted row, not kept)
        ev.indicators = [i for i in ev.indicators if not i.level3 and i.target_raw is None] + general.indicators
        ev.satisfaction = general.satisfaction
    else:
        # the same rows: the general reading fills the scores the template left empty (a 自评分
        # column it does not know), row by row where names agree and weights do or are missing
        by_name = {i.level3: i for i in general.indicators if i.level3 and i.score is not None}
        for i in ev.indicators:
            g = by_name.get(i.level3)
            if g is None or i.score is not None:
                continue
            if i.weight is None:
                i.weight = g.weight  # a row the template read without its 分值 and 得分 either
            if i.weight == g.weight:
                i.score = g.score
                if i.target_raw is None and i.actual_raw is None:
                    i.target_raw, i.target, i.actual_raw, i.actual, i.met = g.target_raw, g.target, g.actual_raw, g.actual, g.met
    if not ev.satisfaction and general.satisfaction:
        ev.satisfaction = general.satisfaction
    conflicts = general.__dict__.get("conflicts", {})
    for name, (message, line) in conflicts.items():
        if _family_value(ev, name) is None:
            ev.flag("candidates_disagree", message, line)


def _levels_as_names(named, general) -> bool:
    """The template read level labels as indicator names (数量指标, 质量指标: a table whose merged
    cells are repeated in every column read one column off), where the general reading names
    none so: the general reading's rows are the better ones."""
    def level_name(i) -> bool:
        return bool(i.level3) and i.level3.strip().endswith("指标") and level_of(i.level3) is not None

    if not general or any(level_name(i) for i in general):
        return False
    return sum(1 for i in named if level_name(i)) >= 2


_LABEL_WORDS = re.compile(r"名称|单位|部门|机构")
_NUMBERING = re.compile(r"^指标\s*\d+\s*[:：.、]?")
_WEIGHT_SUFFIX = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]$")


def _names(indicators) -> set[str]:
    """The indicator names of a reading, template numbering ("指标1:"), a stated weight
    ("(5分)") and spaces aside."""
    return {_WEIGHT_SUFFIX.sub("", _NUMBERING.sub("", "".join(i.level3.split()))) for i in indicators if i.level3}


def _family_value(ev: Evaluation, name: str):
    if name in ev.metrics:
        return ev.metrics[name]
    if name == "unit_name":
        return ev.unit.name
    if name == "grade_raw":
        return ev.grade_raw
    return getattr(ev, name, None)


def parse_bytes(data: bytes, path: str) -> ParseResult:
    """Parse one report file's bytes. Raises loaders.read.ReadError for unreadable input."""
    doc = read_bytes(data, PurePath(path).name)
    return parse_document(doc, path)


def parse_path(path: str) -> ParseResult:
    with open(path, "rb") as f:
        data = f.read()
    return parse_bytes(data, path)
