"""The demo corpus generator: determinism, marker, record shape, distributions, caching."""

from __future__ import annotations

import copy
import json
import statistics
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from loaders.checks import FLAG_CODES, run_generic_checks
from loaders.demo import (
    MANIFEST, TEMPLATES, FileSpec, generate, plan_unit, record_jsonable, render_file, unit_dir_name,
)
from loaders.demo.__main__ import main as demo_main
from loaders.demo.common import INJECTION_FLAGS, MARKER_LINE
from loaders.demo.world import profile, select_places
from loaders.normalize import grade_band
from loaders.parse import DEMO_MARKER, parse_path
from loaders.records import (
    EVALUATION_MODES, GRADES, METRIC_UNITS, REPORT_KINDS, Evaluation, ParseResult, Source, Unit, to_jsonable,
)

YEARS = (2020, 2023)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "corpus"
    generate(out, units=40, years=YEARS, seed=7, workers=1)
    return out


def _records(root: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.expected.json"))]


def _evaluations(root: Path):
    for rec in _records(root):
        for ev in rec["evaluations"]:
            yield rec, ev


def _report_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".json"))


def test_same_seed_gives_byte_identical_files_whatever_the_workers(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, units=8, years=(2021, 2022), seed=3, workers=1)
    generate(b, units=8, years=(2021, 2022), seed=3, workers=2)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) > 20
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_another_seed_gives_another_corpus(tmp_path):
    generate(tmp_path / "a", units=3, years=(2022, 2022), seed=1)
    generate(tmp_path / "b", units=3, years=(2022, 2022), seed=2)
    names_a = {p.parent.name for p in (tmp_path / "a").rglob("*.txt")}
    names_b = {p.parent.name for p in (tmp_path / "b").rglob("*.txt")}
    assert names_a != names_b


def test_more_units_keep_the_first_ones():
    small = [p.admin_code for p in select_places(5, 11, 2019, 2024)]
    large = [p.admin_code for p in select_places(50, 11, 2019, 2024)]
    assert large[:5] == small


def test_every_file_carries_the_marker_and_parses_as_demo(corpus):
    files = _report_files(corpus)
    assert files
    for f in files:
        first = f.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == MARKER_LINE and first.startswith(DEMO_MARKER), f
    for f in files[:: max(1, len(files) // 15)]:
        assert parse_path(str(f)).source.is_demo, f


def test_expected_records_have_the_contract_shape(corpus):
    empty = to_jsonable(ParseResult(source=Source("x", "0", "txt", None), evaluations=[Evaluation(unit=Unit(None), fiscal_year=None, report_kind=None)]))
    ev_keys, unit_keys, src_keys = set(empty["evaluations"][0]), set(empty["evaluations"][0]["unit"]), set(empty["source"])
    records = _records(corpus)
    assert records
    for rec in records:
        assert set(rec["source"]) == src_keys and rec["source"]["is_demo"] is True
        assert rec["evaluations"], rec["source"]["path"]
        for ev in rec["evaluations"]:
            assert set(ev) == ev_keys
            assert set(ev["unit"]) == unit_keys
            assert ev["report_kind"] in REPORT_KINDS
            assert ev["evaluation_mode"] in EVALUATION_MODES
            assert ev["grade"] is None or ev["grade"] in GRADES
            assert set(ev["metrics"]) <= set(METRIC_UNITS)
            assert {f["code"] for f in ev["quality_flags"]} <= set(FLAG_CODES)
            assert ev["unit"]["admin_code"] and len(ev["unit"]["admin_code"]) == 6
            for ind in ev["indicators"]:
                assert ind["level"] in (1, 2, 3) and ind["table"] in ("score", "summary", "goals")


def test_fast_serializer_matches_to_jsonable(corpus):
    place = select_places(3, 7, *YEARS)[1]
    prof = profile(place, 7, *YEARS, [])
    from loaders.demo import PROJECT_KEYS

    prof = profile(place, 7, *YEARS, list(PROJECT_KEYS))
    for spec in plan_unit(prof, ("txt",))[:8]:
        _, evaluations = render_file(prof, spec)
        result = ParseResult(source=Source("p", "s", "txt", spec.family, is_demo=True), evaluations=evaluations)
        assert record_jsonable(result) == to_jsonable(result)


def _compact(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def test_lines_point_at_the_stated_text(corpus):
    checked = 0
    for rec in _records(corpus):
        lines = (corpus / rec["source"]["path"]).read_text(encoding="utf-8").split("\n")
        for ev in rec["evaluations"]:
            for name, m in ev["metrics"].items():
                assert _compact(m["raw"]) in _compact(lines[m["line"] - 1]), (rec["source"]["path"], name, m)
                checked += 1
            for ind in ev["indicators"]:
                name = ind["level3"]
                if ind["line"] is None or name is None:  # summary rows and the execution-rate cell
                    continue
                head = _compact(name)[:4]
                assert head in _compact(lines[ind["line"] - 1]), (rec["source"]["path"], name, ind["line"])
    assert checked > 1000


def test_mix_of_kinds_modes_and_templates(corpus):
    kinds, modes, fams = Counter(), Counter(), Counter()
    per_unit_year = Counter()
    for rec, ev in _evaluations(corpus):
        kinds[ev["report_kind"]] += 1
        modes[ev["evaluation_mode"]] += 1
        fams[rec["source"]["family"]] += 1
        per_unit_year[(ev["unit"]["admin_code"], ev["fiscal_year"])] += 1
    n = sum(kinds.values())
    assert set(fams) == set(TEMPLATES)
    assert 0.1 < kinds["department_overall"] / n < 0.25
    assert modes["self"] / n > 0.85 and modes["third_party"] > 0 and modes["finance"] > 0
    assert 5 <= statistics.mean(per_unit_year.values()) <= 7
    assert len(per_unit_year) == 40 * (YEARS[1] - YEARS[0] + 1)
    manifest = json.loads((corpus / MANIFEST).read_text(encoding="utf-8"))
    assert 0.08 < manifest["injected_files"] / manifest["files"] < 0.25


def test_score_distributions_self_high_external_lower(corpus):
    self_totals, ext_totals = [], []
    for _, ev in _evaluations(corpus):
        if ev["total_score"] is None:
            continue
        (self_totals if ev["evaluation_mode"] == "self" else ext_totals).append(ev["total_score"])
    assert len(ext_totals) > 10
    assert sum(90 <= t <= 100 for t in self_totals) / len(self_totals) > 0.7
    assert max(self_totals) <= 100
    assert statistics.mean(ext_totals) < statistics.mean(self_totals) - 5
    assert sum(70 <= t <= 95 for t in ext_totals) / len(ext_totals) > 0.8


def test_execution_procurement_and_satisfaction_spread(corpus):
    exec_dept, proc, sat = [], [], []
    for _, ev in _evaluations(corpus):
        m = ev["metrics"]
        if ev["report_kind"] == "department_overall" and "budget_exec_pct" in m:
            exec_dept.append(m["budget_exec_pct"]["value"])
        if "procurement_exec_pct" in m:
            proc.append(m["procurement_exec_pct"]["value"])
        if "satisfaction_pct" in m:
            sat.append(m["satisfaction_pct"]["value"])
    assert exec_dept and proc and sat
    assert any(v > 100 for v in exec_dept) and max(exec_dept) <= 111
    assert any(v < 95 for v in exec_dept)
    assert 95 <= statistics.median(exec_dept) <= 102
    assert any(v < 5 for v in proc) and any(v > 85 for v in proc)
    assert sum(85 <= v <= 100 for v in sat) / len(sat) > 0.7


def test_units_keep_their_level_from_year_to_year(corpus):
    by_unit = defaultdict(dict)
    for _, ev in _evaluations(corpus):
        if ev["report_kind"] == "project" and ev["total_score"] is not None:
            by_unit[ev["unit"]["admin_code"]].setdefault(ev["fiscal_year"], []).append(ev["total_score"])
    pairs = []
    for years in by_unit.values():
        means = {y: statistics.mean(v) for y, v in years.items()}
        pairs += [(means[y], means[y + 1]) for y in means if y + 1 in means]
    xs, ys = zip(*pairs)
    assert statistics.correlation(xs, ys) > 0.2


def test_grades_follow_the_bands_unless_injected(corpus):
    for rec, ev in _evaluations(corpus):
        if ev["total_score"] is None:
            continue
        injected = any(f["code"] == "grade_band_mismatch" for f in ev["quality_flags"])
        assert (ev["grade"] == grade_band(ev["total_score"])) != injected, (rec["source"]["path"], ev["total_score"], ev["grade"])


def test_generic_checks_agree_with_the_expected_flags():
    """Run the generic checks on the generator's own records: every flag they raise must be
    expected, and every expected flag they can see must be raised (the generator's arithmetic
    is consistent except where it injects)."""
    from loaders.demo import PROJECT_KEYS

    generic_codes = {"score_rate_mismatch", "score_exceeds_weight", "total_sum_mismatch", "weights_total_mismatch",
                     "children_sum_mismatch", "grade_band_mismatch", "rate_recompute_mismatch", "sum_mismatch", "no_scores"}
    seen_injected = Counter()
    for place in select_places(30, 5, 2021, 2022):
        prof = profile(place, 5, 2021, 2022, list(PROJECT_KEYS))
        for spec in plan_unit(prof, ("txt",)):
            _, evaluations = render_file(prof, spec)
            for ev in evaluations:
                expected = {f.code for f in ev.quality_flags}
                probe = copy.deepcopy(ev)
                probe.quality_flags = []
                run_generic_checks(probe)
                raised = {f.code for f in probe.quality_flags}
                assert raised <= expected, (spec, raised - expected)
                # The generic rate check sees procurement, three-public and staffing rates only
                # (a wrong 执行率 in a project form is for its family to notice).
                visible = expected & generic_codes
                triples = (("procurement_exec_pct", "procurement_actual_yuan", "procurement_budget_yuan"),
                           ("staffing_control_pct", "headcount_actual", "headcount_authorised"))
                if not any(all(k in ev.metrics for k in t) for t in triples):
                    visible.discard("rate_recompute_mismatch")
                assert visible <= raised, (spec, visible - raised)
                seen_injected.update(expected & INJECTION_FLAGS)
    assert len(seen_injected) >= 8


def test_every_expected_flag_is_injected_or_inherent(corpus):
    from loaders.demo.common import INHERENT_FLAGS

    codes = {f["code"] for _, ev in _evaluations(corpus) for f in ev["quality_flags"]}
    assert codes and codes <= INJECTION_FLAGS | INHERENT_FLAGS


def test_injections_declare_registered_flags():
    for module in TEMPLATES.values():
        for name, codes in module.INJECTIONS.items():
            assert codes and set(codes) <= set(FLAG_CODES), (module.FAMILY, name)
            assert set(codes) <= INJECTION_FLAGS, (module.FAMILY, name)


def test_cached_when_arguments_match_and_remade_when_not(tmp_path):
    out = tmp_path / "c"
    m1, made = generate(out, units=3, years=(2022, 2023), seed=1)
    assert made
    manifest = out / MANIFEST
    stamp = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    m2, made = generate(out, units=3, years=(2022, 2023), seed=1, workers=2)
    assert not made and m2 == m1
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamp
    m3, made = generate(out, units=2, years=(2022, 2023), seed=9)
    assert made and m3["arguments"]["seed"] == 9
    dirs = {p.name for p in out.iterdir() if p.is_dir()}
    assert dirs == set(m3["unit_dirs"])  # the previous corpus' folders are gone
    assert json.loads(manifest.read_text(encoding="utf-8"))["arguments"]["units"] == 2


def test_cli_writes_a_corpus_and_reports_the_cache(tmp_path, capsys):
    out = tmp_path / "cli"
    assert demo_main(["--units", "2", "--years", "2022-2022", "--seed", "4", "--out", str(out), "--workers", "1"]) == 0
    assert "生成" in capsys.readouterr().err
    assert demo_main(["--units", "2", "--years", "2022-2022", "--seed", "4", "--out", str(out)]) == 0
    assert "未重新生成" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        demo_main(["--units", "2", "--years", "twenty", "--out", str(out)])


def test_office_formats_are_deterministic_and_readable(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, units=4, years=(2022, 2022), seed=2, formats=("txt", "docx", "xlsx"))
    generate(b, units=4, years=(2022, 2022), seed=2, formats=("txt", "docx", "xlsx"))
    office = sorted(p for p in a.rglob("*") if p.suffix in (".docx", ".xlsx"))
    assert office
    for p in office:
        assert p.read_bytes() == (b / p.relative_to(a)).read_bytes()
        result = parse_path(str(p))
        assert result.source.is_demo and result.evaluations, p
        rec = json.loads(Path(str(p) + ".expected.json").read_text(encoding="utf-8"))
        assert rec["source"]["format"] == p.suffix[1:]


def test_unit_names_follow_the_real_pattern():
    for place in select_places(200, 1, 2019, 2024):
        if place.county.endswith("区") and place.city:
            assert place.unit_name == f"{place.city}{place.county}总工会"
        else:
            assert place.unit_name == f"{place.county}总工会"
        assert unit_dir_name(profile(place, 1, 2019, 2019, [])) .startswith(place.admin_code)


def test_file_spec_stem_is_stable():
    assert FileSpec(2022, 3, "x", "flat", "txt").stem == "2022_03_x"
