"""loaders.score applies the review scorer's rules: on realdev both give the same outcome for every
field of every file, and the same totals, crashes and document-kind counts.

The review scorer (shared/tools/score_records.py) is not part of this repository; CI has shared/
beside the clone. It is run here on the same parsed records as loaders.score (its parse
subprocess is replaced by an in-process parse), so the comparison is of the rules alone and
takes seconds.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from loaders import score
from loaders.records import to_json
from project_paths import ROOT

REALDEV = ROOT / "tests" / "corpus" / "realdev"
CANDIDATES = (Path("/work/shared/tools/score_records.py"), ROOT.parent / "shared" / "tools" / "score_records.py")
REFERENCE = next((p for p in CANDIDATES if p.exists()), None)

pytestmark = pytest.mark.skipif(
    REFERENCE is None,
    reason="the review scorer shared/tools/score_records.py is not beside this clone "
           f"(looked for {', '.join(str(p) for p in CANDIDATES)})",
)


@pytest.fixture(scope="module")
def reference():
    spec = importlib.util.spec_from_file_location("review_score_records", REFERENCE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def parsed():
    """file name → (record, crashed, reason), parsed once for both scorers."""
    return {g["file"]: score.parse_record(REALDEV / "docs" / g["file"])
            for g in score.read_gold(REALDEV / "gold.jsonl")}


def test_same_outcome_for_every_field(reference, parsed):
    golds = score.read_gold(REALDEV / "gold.jsonl")
    differ = []
    for gold in golds:
        record = parsed[gold["file"]][0]
        evs = (record or {}).get("evaluations") or []
        theirs = max((reference.score_evaluation(gold, ev) for ev in evs or [{}]),
                     key=lambda r: sum(v == "correct" for v in r.values()))
        ours = score.best_evaluation(gold, evs)
        for key in sorted(set(theirs) | set(ours)):
            if theirs.get(key) != ours.get(key):
                differ.append(f"{gold['file']} {key}: review {theirs.get(key)}, loaders.score {ours.get(key)}")
    assert not differ, "\n".join(differ)


def test_same_text_normalisation_on_gold_texts(reference):
    """The review scorer's hand table and OpenCC agree on every text the gold holds."""
    texts = set()
    for gold in score.read_gold(REALDEV / "gold.jsonl"):
        texts |= {v for k, v in gold.items() if isinstance(v, str) and k not in ("notes", "file")}
        for ind in gold.get("indicators") or []:
            texts |= {v for v in ind.values() if isinstance(v, str)}
    differ = [t for t in sorted(texts) if reference.norm(t) != score.norm(t)]
    assert not differ, differ


def test_same_totals_kinds_and_crashes(reference, parsed, monkeypatch):
    def fake_run(cmd, cwd=None, **kw):  # what `python -m loaders parse FILE` would have printed
        record, crashed, why = parsed[Path(cmd[-1]).name]
        if crashed:
            return subprocess.CompletedProcess(cmd, 2, "", f"{cmd[-1]}: 解析出错 ({why})\n")
        if record is None:
            return subprocess.CompletedProcess(cmd, 2, "", f"{cmd[-1]}: {why}\n")
        return subprocess.CompletedProcess(cmd, 0 if record["evaluations"] else 3, to_json_dict(record), "")

    monkeypatch.setattr(reference.subprocess, "run", fake_run)
    monkeypatch.setattr(sys, "argv", ["score_records.py", str(REALDEV / "docs"), str(REALDEV / "gold.jsonl")])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        reference.main()
    text = out.getvalue()
    m = re.search(r"precision ([\d.]+) recall ([\d.]+) \((\d+)/(\d+)/(\d+)/(\d+) correct/wrong/missing/extra\)", text)
    assert m, text
    ours = score.score_golds(REALDEV / "docs", score.read_gold(REALDEV / "gold.jsonl"), "realdev")
    t = ours.totals()
    assert [int(x) for x in m.groups()[2:]] == [t["correct"], t["wrong"], t["missing"], t["extra"]]
    assert f"{score.precision(t):.3f}" == m.group(1) and f"{score.recall(t):.3f}" == m.group(2)
    # Crashes are not compared: `loaders parse` turns a parser exception into exit 2, which the
    # review scorer takes for an unreadable file, while loaders.score counts it as a crash. Both
    # count the file's fields as missing, so the totals above agree either way.
    k = ours.kinds()
    kinds = re.search(r"document kinds: (\d+) of (\d+) non-evaluation .*?; (\d+) of (\d+) evaluations", text)
    assert kinds, text
    assert [int(x) for x in kinds.groups()] == [k["other_recognised"], k["other"], k["eval_recognised"], k["eval"]]


def to_json_dict(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def test_record_is_what_the_cli_prints():
    """parse_record gives the dict `python -m loaders parse` prints (the review scorer reads that)."""
    from loaders.parse import parse_path

    path = REALDEV / "docs" / "004_longzihu-zonggonghui-zhigongzhijia-2023-project-self.txt"

    assert score.parse_record(path)[0] == json.loads(to_json(parse_path(str(path))))
