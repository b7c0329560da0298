"""Detection, across the registry: each real report is claimed by the family its golden file
names, with a score of at least 0.9 and a clear margin over every other family. The four
template families score below 0.5 on each other's reports; the structure-based families
(score_rubric reads any rubric with weights in its labels) may recognise a rubric inside a
report of another template, but never win it. A new example report with its golden file is
covered without new code."""

from __future__ import annotations

import json

import pytest

from loaders import families
from loaders.read import read_bytes
from project_paths import GOLDEN_DIR, REPORTS_DIR

SEEDS = sorted(REPORTS_DIR.glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_each_report_is_claimed_by_its_family_only(path):
    expected = json.loads((GOLDEN_DIR / f"{path.stem}.json").read_text(encoding="utf-8"))["source"]["family"]
    doc = read_bytes(path.read_bytes(), path.name)
    scores = {fam.NAME: fam.detect(doc) for fam in families.FAMILIES}
    assert expected in scores, f"golden family {expected} is not registered"
    assert scores[expected] >= 0.9, scores
    others = {name: s for name, s in scores.items() if name != expected}
    assert max(others.values()) <= scores[expected] - 0.15, scores
    structural = {"score_rubric", "hunan_basic_data"}
    assert all(s < 0.5 for name, s in others.items() if name not in structural), scores
    assert families.detect(doc).NAME == expected
