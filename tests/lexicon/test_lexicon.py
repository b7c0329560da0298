"""The lexicon registry and its files agree, every file parses, and a few entries read as the
files say (spec lines: text in, meaning out)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders import lexicon
from loaders.extract import indicators, make_context
from loaders.extract.tables import role_of
from loaders.normalize import grade_of


def test_the_registry_lists_exactly_the_files_in_the_folder():
    present = {p.stem for p in lexicon.HERE.glob("*.toml")}
    assert present == set(lexicon.FILES)


@pytest.mark.parametrize("name", lexicon.FILES)
def test_every_file_parses(name):
    assert lexicon.load(name)


def test_an_unknown_file_is_refused_by_name():
    with pytest.raises(KeyError, match="no lexicon file"):
        lexicon.load("nope")


@pytest.mark.parametrize("written, grade", [("优秀", "优"), ("良好", "良"), ("合格", "中"), ("不合格", "差"), ("较好", "良"), ("B", "良")])
def test_grade_words(written, grade):
    assert grade_of(written) == grade


@pytest.mark.parametrize("cell, kind, role", [
    ("全年(调整)预算数", "money", "budget_adjusted"),
    ("执行率(B/A×100%)", "money", "rate"),
    ("年初目标值(A)", "indicator", "target"),
    ("指标权重(分)", "indicator", "weight"),
    ("计量单位", "indicator", "unit"),
    ("扣分", "indicator", "deduction"),
    ("扣分原因", "indicator", "note"),
])
def test_column_labels(cell, kind, role):
    assert role_of(cell, kind) == role


@pytest.mark.parametrize("cell, level", [("产出指标", 1), ("满意度指标(10分)", 1), ("社会效益指标", 2), ("群众满意度 指标", 2), ("产出质量", 2), ("指标1:职工满意度", None)])
def test_level_labels(cell, level):
    assert indicators.level_of(cell) == level


def test_every_field_label_names_a_known_target():
    from loaders.records import METRIC_UNITS

    known = set(METRIC_UNITS) | {"total_score", "grade"}
    targets = {spec["target"] for spec in lexicon.load("fields").values() if "labels" in spec}
    assert targets <= known, targets - known


def test_a_new_synonym_is_one_line_of_data(monkeypatch):
    # what "a synonym is a data change" means in practice: a label added to fields.toml's list
    # is read by the label strategy with no code change
    from loaders.extract import labels

    original = lexicon.load
    spec = {k: dict(v) for k, v in original("fields").items()}
    spec["headcount_actual"]["labels"] = spec["headcount_actual"]["labels"] + ["在岗职工数"]
    monkeypatch.setattr(lexicon, "load", lambda name: spec if name == "fields" else original(name))
    labels._labels.cache_clear()
    try:
        got = {c.field: c.value for c in labels.read(make_context(["在岗职工数 | 23"]))}
    finally:
        monkeypatch.undo()
        labels._labels.cache_clear()
    assert got == {"headcount_actual": Decimal(23)}
