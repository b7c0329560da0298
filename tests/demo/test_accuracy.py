"""Field-by-field accuracy against the generator's answers (loaders.demo_accuracy), and a run of
the real parsers."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from loaders.demo import generate
from loaders.demo_accuracy import FAMILIES, OUTCOMES, Tally, compare, format_table, main, measure, record_jsonable


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("acc") / "corpus"
    generate(out, units=9, years=(2021, 2022), seed=12)
    return out


def _first_record(root: Path, family: str, flagged: bool = False) -> dict:
    for p in sorted(root.rglob("*.expected.json")):
        rec = json.loads(p.read_text(encoding="utf-8"))
        if rec["source"]["family"] == family and (not flagged or rec["evaluations"][0].get("quality_flags")):
            return rec
    raise AssertionError(family)


def _fields(rec: dict) -> int:
    t = Tally()
    compare(rec, rec, t)
    return sum(t.totals().values())


def test_a_record_against_itself_is_all_right(small):
    rec = _first_record(small, "third_party_dept")
    t = Tally()
    compare(rec, copy.deepcopy(rec), t)
    totals = t.totals()
    assert totals["wrong"] == totals["missing"] == 0 and totals["right"] > 100
    assert t.matched_exact == len(rec["evaluations"])


def test_changes_are_counted_wrong_or_missing(small):
    rec = _first_record(small, "yueyang_dept_self")
    got = copy.deepcopy(rec)
    ev = got["evaluations"][0]
    ev["total_score"] = ev["total_score"] - 1
    name = sorted(ev["metrics"])[0]
    del ev["metrics"][name]
    scored = next(i for i in ev["indicators"] if i.get("score") is not None)
    scored["score"] = scored["score"] + 5
    ev["unit"]["county"] = None
    target = next(i for i in ev["indicators"] if i.get("target_raw"))
    target["target_raw"] = "　" + target["target_raw"].replace("%", "％") + " "  # the same text, spelled wider
    t = Tally()
    compare(rec, got, t)
    assert t.counts["total_score"]["wrong"] == 1
    assert t.counts["metric"]["missing"] == 1 and t.by_metric[name]["missing"] == 1
    assert t.counts["indicator_score"]["wrong"] == 1
    assert t.counts["county"]["missing"] == 1
    assert t.counts["indicator_target"]["wrong"] == 0
    assert "admin_code" not in t.counts  # a code no document states is never expected
    assert sum(t.totals().values()) == _fields(rec)


def test_flags_expected_missing_and_extra(small):
    rec = _first_record(small, "indicator_grid", flagged=True)
    got = copy.deepcopy(rec)
    want = {f["code"] for f in rec["evaluations"][0]["quality_flags"]}
    assert "no_scores" in want
    got["evaluations"][0]["quality_flags"] = [{"code": "total_sum_mismatch", "severity": "error", "message": "", "line": None}]
    t = Tally()
    compare(rec, got, t)
    assert t.counts["flag"]["missing"] == len(want) and t.counts["flag"]["right"] == 0
    assert t.extra_flags["total_sum_mismatch"] == 1


def test_an_unparsed_file_counts_everything_missing(small):
    rec = _first_record(small, "national_project_form")
    t = Tally()
    compare(rec, None, t)
    assert t.files_failed == 1 and t.unmatched == len(rec["evaluations"])
    assert t.totals()["missing"] == _fields(rec) and t.totals()["right"] == 0


def test_evaluations_match_by_project_within_a_file(small):
    rec = next(
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(small.rglob("*.expected.json"))
        if len(json.loads(p.read_text(encoding="utf-8"))["evaluations"]) > 1
    )
    got = copy.deepcopy(rec)
    got["evaluations"].reverse()
    got["evaluations"][0]["unit"]["name"] = "某某县总工会"  # a wrong unit name still pairs by project
    t = Tally()
    compare(rec, got, t)
    assert t.unmatched == 0 and t.matched_partial == 1
    assert t.counts["unit_name"]["wrong"] == 1


def test_real_parsers_on_about_a_hundred_reports(tmp_path, capsys):
    out = tmp_path / "run"
    manifest, _ = generate(out, units=17, years=(2022, 2022), seed=21)
    assert 85 <= manifest["evaluations"] <= 130
    tally, errors = measure(out, workers=2)
    assert tally.files == manifest["files"] and tally.evaluations == manifest["evaluations"]
    assert tally.other_documents == manifest["other_documents"]  # 决算 pages are compared too
    totals = tally.totals()
    assert sum(totals[o] for o in OUTCOMES) > 4000  # fields the files state (no inferred places or codes)
    assert set(tally.counts) <= set(FAMILIES)
    # The pipeline reads most of what the files state; the exact shares are reported, not asserted.
    assert totals["right"] / sum(totals.values()) > 0.5, format_table(tally)
    print(format_table(tally))
    assert main([str(out), "--workers", "1", "--json", str(tmp_path / "acc.json"), "--details", "2", "--by-template",
                 "--by-shape"]) == 0
    report = json.loads((tmp_path / "acc.json").read_text(encoding="utf-8"))
    assert report["evaluations"] == manifest["evaluations"] and "fields" in report
    printed = capsys.readouterr().out
    assert "TOTAL" in printed and "== family:prose_report" in printed and "== issuer:other department" in printed


def test_texts_compare_across_traditional_and_simplified(small):
    rec = _first_record(small, "national_project_form")
    got = copy.deepcopy(rec)
    ev = got["evaluations"][0]
    ev["unit"]["name"] = ev["unit"]["name"].replace("总工会", "總工會")
    t = Tally()
    compare(rec, got, t)
    assert t.counts["unit_name"]["right"] == 1


def test_fast_serializer_matches_to_jsonable():
    from loaders.parse import parse_bytes
    from loaders.records import to_jsonable

    from project_paths import ROOT

    for path in sorted((ROOT / "data" / "reports").glob("*.txt"))[:4]:
        result = parse_bytes(path.read_bytes(), path.name)
        assert record_jsonable(result) == to_jsonable(result)
