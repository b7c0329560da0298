"""A third-party report whose narrative gives an item one score while its scoring table (columns
… 分值 评分标准 得分, no 评分过程 column) gives another, and only the table's score makes the items
add up to their level-2 row. The record takes the table's score, points at the table's line, and
flags the disagreement. Built with the demo generator's "narrative_table" injection."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from loaders.demo import PROJECT_KEYS, FileSpec, render_file
from loaders.demo.world import profile, select_places
from loaders.parse import parse_path


def _narrative_score(text: str, name: str) -> Decimal | None:
    """The score the narrative paragraph under the item's heading states ("…权重分2.15分")."""
    lines = text.splitlines()
    for k, line in enumerate(lines[:-1]):
        if re.match(rf"[（(]\d+[）)]\s*{re.escape(name)}\s*[（(]", line):
            m = re.search(r"权重分\s*(\d+(?:\.\d+)?)\s*分", lines[k + 1])
            return Decimal(m.group(1)) if m else None
    return None


def _cases(n: int = 4):
    """Generated reports where the narrative really states a score other than the table's (the
    generator sometimes words its injected score as "不得分", which equals a table score of 0)."""
    out = []
    for place in select_places(30, 3, 2021, 2022):
        prof = profile(place, 3, 2021, 2022, list(PROJECT_KEYS))
        spec = FileSpec(2022, 1, "third_party_dept", "tab_rows", "txt", ("narrative_table",), (), "third_party")
        text, expected = render_file(prof, spec)
        flag = next(f for f in expected[0].quality_flags if f.code == "narrative_table_score_mismatch")
        name = flag.message.split(":")[0]
        table = next(i.score for i in expected[0].indicators if i.level3 == name and i.level == 3)
        said = _narrative_score(text, name)
        if said is not None and said != table:
            out.append((prof, spec))
        if len(out) == n:
            break
    return out


@pytest.mark.parametrize("prof,spec", _cases(), ids=lambda x: getattr(getattr(x, "place", None), "admin_code", ""))
def test_table_score_wins_when_it_makes_the_sum_and_the_disagreement_is_flagged(prof, spec, tmp_path):
    text, expected = render_file(prof, spec)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    got = parse_path(str(path)).evaluations[0]
    want = expected[0]
    flagged = [f for f in want.quality_flags if f.code == "narrative_table_score_mismatch"]
    name = flagged[0].message.split(":")[0]
    exp = next(i for i in want.indicators if i.level3 == name and i.level == 3)
    ind = next(i for i in got.indicators if i.level3 == name and i.level == 3)
    assert ind.score == exp.score
    lines = text.splitlines()
    assert name in lines[ind.line - 1] and re.search(rf"(^|\t){re.escape(str(exp.score))}\s*$", lines[ind.line - 1])
    mine = [f for f in got.quality_flags if f.code == "narrative_table_score_mismatch"]
    assert any(name in f.message and str(exp.score) in f.message for f in mine)
    # the narrative's own figure is still in the message, so a reader sees both readings
    assert any(re.search(r"正文“[^”]*\d", f.message) for f in mine)
    assert isinstance(ind.score, Decimal)
