"""Untrusted files under hard limits (issue 13): the readers refuse bombs naming the limit, and
the bounded parser (a child process with a wall clock and a memory cap) turns any bytes into a
result or one clean reason, never a hang or a traceback."""

from __future__ import annotations

import io
import resource
import time
import zipfile

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.demo.formats import to_docx, to_pdf, to_xlsx
from loaders.read import ReadError, read_bytes
from loaders.read.base import MAX_LINES
from loaders.records import ParseResult
from loaders.sandbox import BoundedParser, parse_bounded

SAMPLE = "甲县总工会2023年度部门整体支出绩效评价报告\n评价得分\t90\n等级\t优\n预算数\t549.68万元\n"


def _rewrite(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == member:
                assert old in body
                body = body.replace(old, new, 1)
            z.writestr(info, body)
    return out.getvalue()


def gridspan_bomb(span: int) -> bytes:
    """A one-cell table whose cell says it spans `span` grid columns (a few kilobytes)."""
    d = docx.Document()
    d.add_table(rows=1, cols=1).cell(0, 0).text = "x"
    buf = io.BytesIO()
    d.save(buf)
    return _rewrite(buf.getvalue(), "word/document.xml", b"<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{span}"/>'.encode())


def merge_bomb() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.active.merge_cells("A1:B2")
    buf = io.BytesIO()
    wb.save(buf)
    return _rewrite(buf.getvalue(), "xl/worksheets/sheet1.xml", b'<mergeCell ref="A1:B2"', b'<mergeCell ref="A1:XFD1048576"')


@pytest.mark.parametrize("span", [20_000_000, 1_000_000_000])
def test_gridspan_bomb_gives_a_clean_error_fast_and_within_memory(span):
    data = gridspan_bomb(span)
    assert len(data) < 40_000
    started = time.monotonic()
    result, error = parse_bounded(data, "bomb.docx", seconds=20, memory_mb=512)
    assert time.monotonic() - started < 10  # was 56 s and 2.1 GB at 20 million
    assert result is None
    assert "w:gridSpan" in error and "超过上限 1,000 列" in error and f"{span:,}" in error
    # in this process too, the reader stops before it builds anything
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ReadError, match="gridSpan"):
        read_bytes(data, "bomb.docx")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB


def test_merged_range_over_a_whole_sheet_is_refused_before_openpyxl_builds_it():
    started = time.monotonic()
    with pytest.raises(ReadError, match="合并单元格覆盖的格数 17,179,869,184 个 超过上限"):
        read_bytes(merge_bomb(), "bomb.xlsx")
    assert time.monotonic() - started < 5


def test_too_many_lines_names_the_limit():
    with pytest.raises(ReadError, match=f"文本行数 {MAX_LINES + 1:,} 行 超过上限"):
        read_bytes(("甲\n" * (MAX_LINES + 1)).encode(), "long.txt")


def test_a_real_report_passes_the_limits():
    result, error = parse_bounded(to_docx(SAMPLE), "ok.docx")
    assert error is None and isinstance(result, ParseResult)


def test_bounded_parser_names_missing_files_and_fifos(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with BoundedParser(seconds=10) as parser:
        assert parser.parse(str(tmp_path / "missing.txt")) == (None, "文件不存在 (file not found)")
        result, error = parser.parse(str(fifo))
        assert result is None and "命名管道 (FIFO)" in error
        result, error = parser.parse(SAMPLE.encode(), "a.txt")
        assert error is None and result.source.format == "txt"


# ---------------------------------------------------------------------------------------------
# Mutated files through the bounded parser

SEEDS = {".docx": to_docx(SAMPLE), ".xlsx": to_xlsx(SAMPLE), ".pdf": to_pdf(SAMPLE), ".txt": SAMPLE.encode()}
_PARSER: BoundedParser | None = None


def _bounded() -> BoundedParser:
    global _PARSER
    if _PARSER is None:
        _PARSER = BoundedParser(seconds=15, memory_mb=1024)
    return _PARSER


@st.composite
def mutated(draw):
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[suffix])
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "span"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[at:at + draw(st.integers(1, 512))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:  # a huge number where a small one was
            data[at:at] = str(draw(st.integers(10**6, 10**12))).encode()
    return suffix, bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_files_give_a_result_or_one_clean_reason(case):
    suffix, data = case
    started = time.monotonic()
    result, error = _bounded().parse(data, "fuzz" + suffix)
    assert time.monotonic() - started < 25
    if error is None:
        assert isinstance(result, ParseResult)
    else:
        assert result is None and isinstance(error, str) and error
        assert "Traceback" not in error and "\n" not in error


# ---------------------------------------------------------------------------------------------
# The hard limits themselves (a parser that misbehaves, forked into the child)


def _stuck(data, name):
    import signal

    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])  # out of reach of time_limit
    time.sleep(600)


def _hog(data, name):
    return bytearray(8 * 1024**3)


def _die(data, name):
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("bad, expected", [
    (_stuck, "解析超时 (超过 0.5 秒)"), (_hog, "解析所需内存超过上限 (512 MB)"), (_die, "解析进程意外终止 (信号 SIGKILL"),
])
def test_the_child_is_bounded_whatever_the_parser_does(monkeypatch, bad, expected):
    import loaders.parse
    import loaders.sandbox

    loaders.sandbox._warm_parser()  # in this process, with the real parser
    monkeypatch.setattr(loaders.sandbox, "HARD_GRACE_SECONDS", 1.0)
    monkeypatch.setattr(loaders.parse, "parse_bytes", bad)
    started = time.monotonic()
    with BoundedParser(seconds=0.5, memory_mb=512) as parser:
        result, error = parser.parse(b"x", "a.txt")
        assert result is None and error.startswith(expected)
        monkeypatch.undo()  # the next file gets a working child again
        result, error = parser.parse(SAMPLE.encode(), "b.txt")
        assert error is None
    assert time.monotonic() - started < 10
