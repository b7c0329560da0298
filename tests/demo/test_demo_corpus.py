"""The demo corpus generator: determinism, marker, the answers' shape and vocabulary, what the
answers say being in the text, the mix of families, layouts, shapes and units, distributions,
caching."""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from loaders.checks import FLAG_CODES, run_generic_checks
from loaders.demo import (
    MANIFEST, PROJECT_KEYS, SEED_FAMILIES, TEMPLATES, FileSpec, generate, plan_unit, render_file, unit_dir_name,
)
from loaders.demo import answer
from loaders.demo.__main__ import main as demo_main
from loaders.demo.common import DEMO_MARKER as GENERATOR_MARKER
from loaders.demo.common import INHERENT_FLAGS, INJECTION_FLAGS, MARKER_LINE
from loaders.demo.departments import DEPARTMENT_KEYS
from loaders.demo.world import profile, select_places
from loaders.normalize import grade_band
from loaders.parse import DEMO_MARKER, parse_path
from loaders.records import (
    DOCUMENT_KINDS, EVALUATION_MODES, GRADES, METRIC_UNITS, REPORT_KINDS, Evaluation, Indicator, Metric, ParseResult,
    Source, Unit, to_jsonable,
)

YEARS = (2020, 2023)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "corpus"
    generate(out, units=40, years=YEARS, seed=7, workers=1)
    return out


def _records(root: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.expected.json"))]


def _answers(root: Path):
    for rec in _records(root):
        for ev in rec["evaluations"]:
            yield rec, ev


def _evaluations(root: Path):
    for rec, ev in _answers(root):
        if ev.get("document_kind", "evaluation") == "evaluation":
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


def test_the_generator_speaks_the_records_vocabulary():
    # The generator keeps its own lists (it imports nothing of the parser); they must be the
    # record's names, or the answers could not be laid beside a parsed record.
    assert GENERATOR_MARKER == DEMO_MARKER and MARKER_LINE.startswith(DEMO_MARKER)
    assert answer.METRICS <= set(METRIC_UNITS)
    assert set(answer.DOCUMENT_KINDS) <= set(DOCUMENT_KINDS)
    assert set(answer.REPORT_KINDS) <= set(REPORT_KINDS) and set(answer.EVALUATION_MODES) <= set(EVALUATION_MODES)
    assert set(answer.GRADES) == set(GRADES)
    assert INJECTION_FLAGS | INHERENT_FLAGS <= set(FLAG_CODES)
    for total in (Decimal("59.99"), Decimal(60), Decimal("79.9"), Decimal(80), Decimal("89.99"), Decimal(90), Decimal(100)):
        assert answer.grade_band(total) == grade_band(total)


def test_every_file_carries_the_marker_and_parses_as_demo(corpus):
    files = _report_files(corpus)
    assert files
    for f in files:
        first = f.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == MARKER_LINE and first.startswith(DEMO_MARKER), f
    for f in files[:: max(1, len(files) // 15)]:
        assert parse_path(str(f)).source.is_demo, f


def test_answers_use_the_record_field_names_and_hold_only_what_is_stated(corpus):
    empty = to_jsonable(ParseResult(source=Source("x", "0", "txt", None), evaluations=[Evaluation(unit=Unit(None), fiscal_year=None, report_kind=None)]))
    ev_keys, unit_keys, src_keys = set(empty["evaluations"][0]), set(empty["evaluations"][0]["unit"]), set(empty["source"])
    ind_keys = set(to_jsonable(ParseResult(source=Source("x", "0", "txt", None), evaluations=[Evaluation(
        unit=Unit(None), fiscal_year=None, report_kind=None, indicators=[Indicator(None, None, None, None)])]))["evaluations"][0]["indicators"][0])
    records = _records(corpus)
    assert records
    for rec in records:
        assert set(rec["source"]) <= src_keys and rec["source"]["is_demo"] is True
        assert rec["evaluations"], rec["source"]["path"]
        for ev in rec["evaluations"]:
            assert set(ev) <= ev_keys, set(ev) - ev_keys
            assert set(ev["unit"]) <= unit_keys
            # not stated by any document: a code, how a place was inferred, the framework's label
            assert not {"admin_code", "geo_method", "name_raw"} & set(ev["unit"])
            assert "framework" not in ev and "confidence" not in ev
            assert ev["report_kind"] in REPORT_KINDS
            assert ev.get("evaluation_mode") in (None, *EVALUATION_MODES)
            assert ev.get("grade") in (None, *GRADES)
            assert ev["document_kind"] in DOCUMENT_KINDS
            assert set(ev.get("metrics", {})) <= set(METRIC_UNITS)
            assert {f["code"] for f in ev.get("quality_flags", [])} <= set(FLAG_CODES)
            for ind in ev.get("indicators", []):
                assert set(ind) <= ind_keys
                assert not {"target", "actual", "met", "dimension"} & set(ind)  # interpretations, not statements
                assert ind["level"] in (1, 2, 3) and ind["table"] in ("score", "summary", "goals")


def _compact(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def _repaired(s: str) -> str:
    """An OCR'd line as its writer meant it, for comparing with the answers (see shapes.ocr)."""
    s = re.sub(r"(?<![\d.])2(?=(?:[5-9]\d|100)(?:\.\d+)?%)", "≥", s)
    return s.replace("W", "≤").replace("万兀", "万元").replace("预箅", "预算").replace("X", "×")


def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def test_what_the_answers_say_is_in_the_text(corpus):
    """Hand-checkable: every stated value is found where the answer says (metric raws on their
    line, indicator names, targets and actuals on theirs, names of units, places and projects in
    the document)."""
    t2s = _t2s()
    checked = Counter()
    for rec in _records(corpus):
        if rec["source"]["format"] != "txt":
            continue
        text = (corpus / rec["source"]["path"]).read_text(encoding="utf-8")
        shapes = rec["demo"].get("shapes", [])
        fix = _repaired if "ocr" in shapes else (lambda s: s)
        conv = t2s.convert if "traditional" in shapes else (lambda s: s)

        def norm(s: str) -> str:
            return _compact(conv(fix(s)))

        lines = [norm(line) for line in text.split("\n")]
        whole = "".join(lines)
        for ev in rec["evaluations"]:
            where = rec["source"]["path"]
            u = ev["unit"]
            for key in ("name", "province", "city", "county"):
                if u.get(key):
                    assert norm(u[key]) in whole, (where, key, u[key])
            if u.get("line"):
                assert norm(u["name"]) in lines[u["line"] - 1], (where, u)
            if ev.get("project_name"):
                assert norm(ev["project_name"]) in whole, (where, ev["project_name"])
            for name, m in ev.get("metrics", {}).items():
                assert norm(m["raw"]) in lines[m["line"] - 1], (where, name, m)
                checked["metric"] += 1
            for ind in ev.get("indicators", []):
                if ind.get("line") is None or not ind.get("level3"):
                    continue
                window = "".join(lines[ind["line"] - 1: ind["line"] + 3])  # a wrapped cell goes on below
                assert norm(ind["level3"])[:4] in window, (where, ind)
                for cell in ("target_raw", "actual_raw"):
                    if ind.get(cell):  # in the row; the third-party template states them in its rules and narrative
                        here = window if rec["source"]["family"] != "third_party_dept" else whole
                        assert norm(ind[cell])[:12] in here, (where, cell, ind)
                checked["indicator"] += 1
    assert checked["metric"] > 1000 and checked["indicator"] > 1000


def test_mix_of_families_layouts_shapes_and_units(corpus):
    """The seed templates stay most of the corpus; each shape real pages show is a minority."""
    manifest = json.loads((corpus / MANIFEST).read_text(encoding="utf-8"))
    files = manifest["files"]
    fam, lay, shp, who = manifest["by_family"], manifest["by_layout"], manifest["by_shape"], manifest["by_issuer"]
    assert set(fam) == set(TEMPLATES)
    assert 0.55 < sum(fam[f] for f in SEED_FAMILIES) / files < 0.85
    for f in set(TEMPLATES) - set(SEED_FAMILIES):
        assert 0.02 < fam[f] / files < 0.25, (f, fam[f])
    for layout in ("space_rows", "csv_rows", "pdf_columns"):
        assert 0.01 < lay[layout] / files < 0.1, (layout, lay)
    assert 0.05 < shp["site_header"] / files < 0.2
    for shape in ("traditional", "ocr", "two_docs"):
        assert 0.005 < shp[shape] / files < 0.08, (shape, shp)
    assert 0.08 < who["other department"] / files < 0.3
    # the other departments are many kinds of unit
    dirs = manifest["unit_dirs"]
    kinds = {k for d in dirs for k in ("局", "委员会", "联合会", "医院", "中学", "中心", "红十字会") if d.endswith(k)}
    assert len(kinds) >= 5, kinds
    assert manifest["other_documents"] == sum(1 for _, ev in _answers(corpus) if ev["document_kind"] != "evaluation") > 0


def test_mix_of_kinds_and_modes(corpus):
    kinds, modes = Counter(), Counter()
    per_county_year = Counter()
    for rec, ev in _evaluations(corpus):
        kinds[ev["report_kind"]] += 1
        modes[ev.get("evaluation_mode")] += 1
        per_county_year[(rec["source"]["path"].split("_", 1)[0], ev["fiscal_year"])] += 1
    n = sum(kinds.values())
    assert 0.1 < kinds["department_overall"] / n < 0.3
    assert modes["self"] / n > 0.85 and modes["third_party"] > 0 and modes["finance"] > 0
    assert 5 <= statistics.mean(per_county_year.values()) <= 7.5
    assert len(per_county_year) == 40 * (YEARS[1] - YEARS[0] + 1)
    manifest = json.loads((corpus / MANIFEST).read_text(encoding="utf-8"))
    assert 0.08 < manifest["injected_files"] / manifest["files"] < 0.25


def test_final_accounts_pages_are_not_evaluations_and_state_their_figures(corpus):
    seen = Counter()
    for rec, ev in _answers(corpus):
        if rec["source"]["family"] != "final_accounts":
            assert ev["document_kind"] == "evaluation"
            continue
        assert ev["document_kind"] == "final_accounts"
        assert not ev.get("indicators") and ev.get("total_score") is None and ev.get("evaluation_mode") is None
        m = ev.get("metrics", {})
        variant = rec["demo"]["variant"]
        seen[variant] += 1
        if variant == "toc":
            assert m == {}
        else:
            assert {"revenue_total_yuan", "expenditure_yuan"} <= set(m)
    assert set(seen) == {"toc", "prose", "table"}


def test_score_distributions_self_high_external_lower(corpus):
    self_totals, ext_totals = [], []
    for _, ev in _evaluations(corpus):
        if ev.get("total_score") is None:
            continue
        (self_totals if ev["evaluation_mode"] == "self" else ext_totals).append(ev["total_score"])
    assert len(ext_totals) > 10
    assert sum(90 <= t <= 100 for t in self_totals) / len(self_totals) > 0.7
    assert max(self_totals) <= 100
    assert statistics.mean(ext_totals) < statistics.mean(self_totals) - 5
    assert sum(66 <= t <= 95 for t in ext_totals) / len(ext_totals) > 0.8


def test_execution_procurement_and_satisfaction_spread(corpus):
    exec_dept, proc, sat = [], [], []
    for _, ev in _evaluations(corpus):
        m = ev.get("metrics", {})
        if ev["report_kind"] == "department_overall" and "budget_exec_pct" in m:
            exec_dept.append(m["budget_exec_pct"]["value"])
        if "procurement_exec_pct" in m:
            proc.append(m["procurement_exec_pct"]["value"])
        if "satisfaction_pct" in m:
            sat.append(m["satisfaction_pct"]["value"])
    assert exec_dept and proc and sat
    assert any(v > 100 for v in exec_dept) and max(exec_dept) <= 111
    assert any(v < 95 for v in exec_dept)
    assert 93 <= statistics.median(exec_dept) <= 102
    assert any(v < 5 for v in proc) and any(v > 85 for v in proc)
    assert sum(85 <= v <= 100 for v in sat) / len(sat) > 0.7


def test_units_keep_their_level_from_year_to_year(corpus):
    # a union's self-evaluations (department-wide and projects) of one year against the next
    by_unit = defaultdict(dict)
    for rec, ev in _evaluations(corpus):
        if rec["demo"]["issuer"] == "union" and ev.get("evaluation_mode") == "self" and ev.get("total_score") is not None:
            by_unit[ev["unit"]["name"]].setdefault(ev["fiscal_year"], []).append(ev["total_score"])
    pairs = []
    for years in by_unit.values():
        means = {y: statistics.mean(v) for y, v in years.items()}
        pairs += [(means[y], means[y + 1]) for y in means if y + 1 in means]
    xs, ys = zip(*pairs)
    assert statistics.correlation(xs, ys) > 0.3


def test_grades_follow_the_bands_unless_injected(corpus):
    for rec, ev in _evaluations(corpus):
        if ev.get("total_score") is None or ev.get("grade") is None:
            continue
        injected = any(f["code"] == "grade_band_mismatch" for f in ev.get("quality_flags", []))
        assert (ev["grade"] == grade_band(Decimal(str(ev["total_score"])))) != injected, (rec["source"]["path"], ev["total_score"], ev["grade"])


def _as_record(ev) -> Evaluation:
    """An answer as the parser's record, so the parser's generic checks can run over it."""
    def d(v):
        return None if v is None else Decimal(str(v))

    rec = Evaluation(unit=Unit(ev.unit.name), fiscal_year=ev.fiscal_year, report_kind=ev.report_kind,
                     total_score=d(ev.total_score), grade_raw=ev.grade_raw, grade=ev.grade)
    rec.metrics = {k: Metric(d(m.value), m.raw, m.line) for k, m in ev.metrics.items()}
    rec.indicators = [Indicator(i.level1, i.level2, i.level3, None, weight=d(i.weight), score=d(i.score), line=i.line,
                                score_rate_stated_pct=d(i.score_rate_stated_pct), level=i.level, table=i.table)
                      for i in ev.indicators]
    return rec


def test_generic_checks_agree_with_the_expected_flags():
    """Run the parser's generic checks over the generator's answers (here, in a test: the
    generator itself does not share them): every flag they raise must be expected, and every
    expected flag they can see must be raised (the generator's arithmetic is consistent except
    where it injects)."""
    generic_codes = {"score_rate_mismatch", "score_exceeds_weight", "total_sum_mismatch", "weights_total_mismatch",
                     "children_sum_mismatch", "grade_band_mismatch", "rate_recompute_mismatch", "sum_mismatch", "no_scores"}
    seen_injected = Counter()
    families = Counter()
    for place in select_places(30, 5, 2021, 2022):
        prof = profile(place, 5, 2021, 2022, list(PROJECT_KEYS), DEPARTMENT_KEYS)
        for spec in plan_unit(prof, ("txt",)):
            _, answers = render_file(prof, spec)
            families[spec.family] += 1
            for ev in answers:
                expected = {f.code for f in ev.quality_flags}
                probe = _as_record(ev)
                run_generic_checks(probe)
                raised = {f.code for f in probe.quality_flags}
                assert raised <= expected, (spec, raised - expected)
                visible = expected & generic_codes
                triples = (("procurement_exec_pct", "procurement_actual_yuan", "procurement_budget_yuan"),
                           ("staffing_control_pct", "headcount_actual", "headcount_authorised"))
                if not any(all(k in ev.metrics for k in t) for t in triples):
                    visible.discard("rate_recompute_mismatch")
                assert visible <= raised, (spec, visible - raised)
                seen_injected.update(expected & INJECTION_FLAGS)
    assert len(seen_injected) >= 8
    assert set(families) == set(TEMPLATES)


def test_every_expected_flag_is_injected_or_inherent(corpus):
    codes = {f["code"] for _, ev in _answers(corpus) for f in ev.get("quality_flags", [])}
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


def test_office_and_pdf_formats_are_deterministic_and_readable(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    formats = ("txt", "docx", "xlsx", "pdf")
    generate(a, units=12, years=(2022, 2022), seed=2, formats=formats)
    generate(b, units=12, years=(2022, 2022), seed=2, formats=formats)
    office = sorted(p for p in a.rglob("*") if p.suffix in (".docx", ".xlsx", ".pdf"))
    assert {p.suffix for p in office} == {".docx", ".xlsx", ".pdf"}
    for p in office:
        assert p.read_bytes() == (b / p.relative_to(a)).read_bytes()
        rec = json.loads(Path(str(p) + ".expected.json").read_text(encoding="utf-8"))
        assert rec["source"]["format"] == p.suffix[1:]
        assert "line" not in json.dumps(rec["evaluations"])  # a converted file's lines are its reader's
        result = parse_path(str(p))
        assert result.source.is_demo, p
        if rec["source"]["family"] in SEED_FAMILIES and p.suffix != ".pdf":
            assert result.evaluations, p


def test_unit_names_follow_the_real_pattern():
    for place in select_places(200, 1, 2019, 2024):
        if place.county.endswith("区") and place.city:
            assert place.unit_name == f"{place.city}{place.county}总工会"
        else:
            assert place.unit_name == f"{place.county}总工会"
        assert unit_dir_name(profile(place, 1, 2019, 2019, [])).startswith(place.admin_code)


def test_places_are_the_region_tables_counties():
    # the generator reads data/reference/regions.csv itself; its places agree with the resolver's table
    from loaders import regions

    for place in select_places(60, 3, 2019, 2024):
        row = regions.region_of(place.admin_code, 2024)
        assert row is not None and row.name == place.county and row.level == "county"
        assert regions.region_of(place.province_code, 2024).name == place.province


def test_file_spec_stem_is_stable():
    assert FileSpec(2022, 3, "x", "flat", "txt").stem == "2022_03_x"
