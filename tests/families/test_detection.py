"""Detection, across the registry: each real report is claimed by the family its golden file
names, with a score of at least 0.9, and every other family scores below 0.5 on it — the
structure-based ones too. A rubric whose level-3 labels carry their weights ("相关性（5分）") is
no family's: the general strategies read it (loaders/extract/rubric.py), and a score table with
weights in its level-1/2 labels only (seed 001's summary table, seed 003's 评分表) is not such a
rubric. A new example report with its golden file is covered without new code."""

from __future__ import annotations

import json

import pytest

from loaders import families
from loaders.extract import run as read_general
from loaders.extract.rubric import FRAMEWORK as RUBRIC
from loaders.read import read_bytes
from project_paths import GOLDEN_DIR, REPORTS_DIR

SEEDS = sorted(REPORTS_DIR.glob("*.txt"))
TEMPLATE_FIXTURES = REPORTS_DIR.parent.parent / "tests" / "templates" / "fixtures"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_each_report_is_claimed_by_its_family_only(path):
    expected = json.loads((GOLDEN_DIR / f"{path.stem}.json").read_text(encoding="utf-8"))["source"]["family"]
    doc = read_bytes(path.read_bytes(), path.name)
    scores = {fam.NAME: fam.detect(doc) for fam in families.FAMILIES}
    assert expected in scores, f"golden family {expected} is not registered"
    assert scores[expected] >= 0.9, scores
    others = {name: s for name, s in scores.items() if name != expected}
    assert all(s < 0.5 for s in others.values()), scores
    assert families.detect(doc).NAME == expected


RUBRICS = sorted((TEMPLATE_FIXTURES / name) for name in ("chongqing_dept_rubric.txt", "rubric_weights_in_labels.txt"))


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.stem)
def test_the_rubrics_are_no_familys_and_read_as_rubrics(path):
    doc = read_bytes(path.read_bytes(), path.name)
    assert families.detect(doc) is None
    (ev,) = read_general(doc.lines)
    assert ev.framework == RUBRIC
    assert {i.level for i in ev.indicators} == {1, 2, 3}
    assert not any("分)" in (i.level3 or "") for i in ev.indicators)


def test_weights_in_level_1_and_2_labels_alone_are_no_rubric():
    """The Chongqing rubric with its level-3 weights moved into a 分值 column: the level-1/2
    labels still carry weights, but that is the shape of the seeds' score tables."""
    text = (TEMPLATE_FIXTURES / "chongqing_dept_rubric.txt").read_text(encoding="utf-8")
    text = text.replace("评分标准\t得分", "评分标准\t分值\t得分")
    lines = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) >= 5 and cells[2].endswith("分）"):
            name, weight = cells[2][:-1].split("（")
            cells = cells[:2] + [name] + cells[3:4] + [weight.removesuffix("分")] + cells[4:]
        lines.append("\t".join(cells))
    (ev,) = read_general(lines)
    assert ev.framework is None
    assert ev.indicators and all(i.level == 3 for i in ev.indicators)
