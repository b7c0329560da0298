"""The "never wrong" property: on any input the loader either returns a value that the text
states, or returns nothing; and it never raises (bad input is an empty result or a ReadError).

Inputs are random mutations of the real reports and of the template fixtures: lines deleted,
duplicated and shuffled, numbers changed, labels cut, random text inserted, layouts changed.
For every value returned:
- a metric's raw figures appear in the text near its line, and its value is the raw number
  (times 1, 1万 or 1亿 for money);
- an indicator's weight and score, a satisfaction percentage and the total score appear as
  numbers in the text near the line the record points to (or, for the total, anywhere).
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import layout
from loaders.normalize import clean
from loaders.parse import parse_document
from loaders.read import ReadError, normalize_text, read_bytes

# Paths not imported from conftest: another tests/ folder's conftest module may shadow that name.
ROOT = Path(__file__).resolve().parents[1]
REPORTS_DIR = ROOT / "data" / "reports"
sys.path.insert(0, str(ROOT / "tests" / "layouts"))
from relayout import LAYOUTS  # noqa: E402

SOURCES = [p.read_text(encoding="utf-8") for p in sorted(REPORTS_DIR.glob("*.txt"))]
SOURCES += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "templates" / "fixtures").glob("*.txt"))]
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
WINDOW_BEFORE, WINDOW_AFTER = 5, 80  # a rubric row's figures may sit many cell lines below its name

LABEL_WORDS = ["年初预算数", "全年执行数", "执行率", "总分", "得分", "分值", "评价等次", "一级指标", "三级指标", "合计", "万元"]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", normalize_text(s)).replace(",", "")


def _mutate(draw, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "shuffle", "number", "label", "insert", "join"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i : i + draw(st.integers(1, 5))]
        elif op == "duplicate":
            lines[i:i] = lines[i : i + draw(st.integers(1, 5))]
        elif op == "shuffle":
            window = lines[i : i + 8]
            lines[i : i + 8] = draw(st.permutations(window))
        elif op == "number":
            lines[i] = _NUMBER.sub(lambda m: str(draw(st.integers(0, 99999))), lines[i], count=1)
        elif op == "label":
            word = draw(st.sampled_from(LABEL_WORDS))
            lines = [line.replace(word, "") for line in lines]
        elif op == "insert":
            lines.insert(i, draw(st.text(alphabet=st.sampled_from(list("0123456789%.万元分总得预算执行率|\t 一二三合计优良")), max_size=30)))
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + " " + lines[i + 1]]
    return "\n".join(lines)


@st.composite
def documents(draw):
    kind = draw(st.sampled_from(["seed", "seed", "seed", "random"]))
    if kind == "random":
        return draw(st.text(max_size=400))
    text = draw(st.sampled_from(SOURCES))
    if draw(st.booleans()):
        text = LAYOUTS[draw(st.sampled_from(sorted(LAYOUTS)))](text)
    return _mutate(draw, text)


def _numbers_near(lines: list[str], line: int | None) -> str:
    if line is None:
        return _squash("\n".join(lines))
    lo, hi = max(0, line - 1 - WINDOW_BEFORE), min(len(lines), line + WINDOW_AFTER)
    return _squash("\n".join(lines[lo:hi]))


def _shown(d: Decimal) -> str:
    return format(clean(d), "f")


def _check(text: str) -> None:
    try:
        doc = read_bytes(text.encode("utf-8"), "mutated.txt")
    except ReadError:
        return
    result = parse_document(doc, "mutated.txt")  # must not raise
    work = layout.reflow(doc)
    views = [doc.norm, work.norm]
    whole = [_squash("\n".join(v)) for v in views]
    for ev in result.evaluations:
        for name, m in ev.metrics.items():
            raw = _squash(m.raw)
            # The raw text as written, or (a figure in a table whose unit is in its title) the
            # cell's figure with that unit: the figure itself is on the line the metric names.
            figures = _NUMBER.findall(raw)
            near = [_numbers_near(v, m.line) for v in views]
            assert figures and all(any(f in n for n in near) for f in figures), f"{name}: raw {m.raw!r} not at line {m.line}"
            nums = [Decimal(x) for x in figures]
            scaled = {n * k for n in nums for k in (1, 10_000, 100_000_000)} | {-n for n in nums}
            assert clean(m.value) in {clean(x) for x in scaled}, f"{name}: {m.value} is not the number in {m.raw!r}"
        for ind in ev.indicators:
            for what, value in (("weight", ind.weight), ("score", ind.score)):
                if value is None:
                    continue
                near = [_numbers_near(v, ind.line) for v in views]
                assert any(_shown(value) in n for n in near), f"{ind.level3 or ind.level2 or ind.level1}: {what} {value} not near line {ind.line}"
        for s in ev.satisfaction:
            if s.pct is not None:
                assert any(_shown(s.pct) in w for w in whole), f"satisfaction {s.pct} not in the text"
        if ev.total_score is not None:
            assert any(_shown(ev.total_score) in w for w in whole), f"total {ev.total_score} not in the text"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
def test_every_value_returned_is_in_the_text(text):
    _check(text)


def test_the_unmutated_sources_hold():
    for text in SOURCES:
        _check(text)
        for relayout in LAYOUTS.values():
            _check(relayout(text))


def test_binary_and_empty_input_is_a_read_error_not_a_crash():
    for data in (b"", b"\x00\x01\x02" * 100, "无关文字".encode("gbk")):
        try:
            result = parse_document(read_bytes(data, "x.txt"), "x.txt")
        except ReadError:
            continue
        assert result.evaluations == [] or result.error is None
