"""loaders/fastre.py: a first-character lookahead must never change what a pattern matches.

Every pattern the extraction core compiles through fastre is checked against the plain
`re.compile` of the same pattern on the lines of every corpus document (the seeds, realdev and
unseen replicas): same `search`, `match`, `finditer` spans and groups, same `sub`.
"""

from __future__ import annotations

import re

import pytest

from loaders import fastre
from loaders.extract import cover, kinds, prose
from loaders.extract.textnorm import normalise_lines
from loaders.read import read_bytes
from project_paths import ROOT

CORPUS = ROOT / "tests" / "corpus"


def _lines() -> list[str]:
    out: list[str] = []
    for path in sorted([*CORPUS.rglob("*"), *(ROOT / "data" / "reports").glob("*")]):
        if path.suffix in (".txt", ".docx", ".xlsx", ".pdf"):
            out += normalise_lines(read_bytes(path.read_bytes(), path.name).lines)
    return [s for s in dict.fromkeys(out) if s.strip()]


@pytest.fixture(scope="module")
def lines() -> list[str]:
    # the lexicon-built patterns are compiled on first use
    cover._lex()
    prose._lex()
    prose._any_label()
    kinds.classify  # noqa: B018 (module imported: its patterns are compiled)
    return _lines()


def test_first_chars():
    assert fastre.first_chars("年初(预算|批复)") == {"年"}
    assert fastre.first_chars("(?:实际|全年)?执行") == {"实", "全", "执"}
    assert fastre.first_chars("(?<!转移)支付") == {"支"}
    assert fastre.first_chars(r"[A-C]x|y") == {"A", "B", "C", "y"}
    # unbounded: a digit class, any character, a pattern that may match nothing, ignore case
    assert fastre.first_chars(r"\d+元") is None
    assert fastre.first_chars(r".*分") is None
    assert fastre.first_chars(r"(得分)?") is None
    assert fastre.first_chars("abc", re.IGNORECASE) is None


def test_global_flags_stay_first():
    rx = fastre.compile(r"(?s)得.分")
    assert rx.search("总得\n分").group(0) == "得\n分"


def test_every_pattern_matches_as_compiled_plainly(lines):
    assert len(lines) > 1000  # the corpus was read
    assert len(fastre.compiled) > 50
    sped_up = [(p, f, rx) for p, f, rx in fastre.compiled if rx.pattern != p]
    assert len(sped_up) > 30  # the lookahead is in use
    for pattern, flags, fast in sped_up:
        plain = re.compile(pattern, flags)
        for s in lines:
            a, b = plain.search(s), fast.search(s)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (pattern, s)
            a, b = plain.match(s), fast.match(s)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (pattern, s)
            if a is not None or plain.search(s) is not None:
                assert [(m.span(), m.groups()) for m in plain.finditer(s)] == \
                       [(m.span(), m.groups()) for m in fast.finditer(s)], (pattern, s)
                assert plain.sub("□", s) == fast.sub("□", s), (pattern, s)


def test_lines_with_a_match_are_all_found_in_one_search(lines):
    """`Lines.with_match` lists every line on which the pattern matches (it may list more: a
    match in the joined text can run over a line's end), for every pattern built here, on the
    corpus lines in document order."""
    docs = [lines[k:k + 200] for k in range(0, len(lines), 200)]
    checked = 0
    for _pattern, _flags, rx in fastre.compiled:
        for doc in docs:
            found = fastre.Lines(doc).with_match(rx)
            assert found == sorted(set(found))
            truth = [i for i, s in enumerate(doc) if rx.search(s)]
            assert set(truth) <= set(found), (rx.pattern, [doc[i] for i in set(truth) - set(found)])
            stop = len(doc) // 2
            assert set(i for i in truth if i < stop) <= set(fastre.Lines(doc).with_match(rx, stop))
            assert all(i < stop for i in fastre.Lines(doc).with_match(rx, stop))
            checked += len(truth)
    assert checked > 1000


def test_patterns_a_joined_search_could_miss_are_searched_line_by_line():
    # at a line's start the line alone has nothing before it, the joined text a newline
    assert fastre.joined_form(re.compile(r"(?<!\s)总分")) is None
    assert fastre.joined_form(re.compile(r"\A总分")) is None
    assert fastre.Lines(["x", "总分 90"]).with_match(re.compile(r"(?<!\s)总分")) == [1]
    assert fastre.joined_form(re.compile(r"(?<!\d)20\d\d年")) is not None
    # ^ and $ stand at every line
    assert fastre.Lines(["甲", "总分", "乙总分"]).with_match(re.compile(r"^总分$")) == [1]
    assert fastre.Lines(["", "", "a"]).with_match(re.compile("a")) == [2]
    assert fastre.Lines([]).with_match(re.compile("a")) == []


def test_a_hint_matches_wherever_its_pattern_does(lines):
    """A cheap pattern used to find the lines a costly one may match on must match every line
    the costly one matches (cover: a unit introduced in prose)."""
    lex = cover._lex()
    hits = [s for s in lines if lex.prose_unit_re.search(s)]
    assert hits  # the corpus has such sentences
    assert all(lex.prose_unit_hint.search(s) for s in hits)


def test_every_match_holds_the_required_characters(lines):
    assert fastre.required_chars(re.compile("(?:共\\d+个项目|项目\\d+个)")) == "个目项"
    assert fastre.required_chars(re.compile("a?b|bc")) == "b"
    assert fastre.required_chars(re.compile("(?=x)[ab]+")) == ""
    named = 0
    for _pattern, _flags, rx in fastre.compiled:
        need = fastre.required_chars(rx)
        named += bool(need)
        for s in lines:
            m = rx.search(s)
            if m is not None:
                assert all(c in m.group(0) for c in need), (rx.pattern, s)
    assert named > 20
