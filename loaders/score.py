"""The project's own extraction scorer (`make score`, `python -m loaders.score`).

    python -m loaders.score [--corpus seeds|realdev|demo|all] [--markdown] [--verbose]

Scores parsed records against gold answers with the rules of the review scorer
(shared/tools/score_records.py), but in this process: `loaders.parse.parse_path` is called
directly, so a corpus takes seconds rather than one interpreter start per file.

The rules (kept identical to the review scorer; tests/test_score_agreement.py checks it):

- Gold is one JSON object per line with the keys of tests/corpus/realdev/README.md ("Gold
  conventions"). Each scalar key maps to a path in an evaluation (SCALAR below); money in gold
  is in 万元, in the record in 元.
- A field is *correct* when the record states the gold value, *wrong* when it states another,
  *missing* when it states none; *extra* when gold is null and the record states something (not
  counted in precision or recall). Precision = correct / (correct + wrong); recall = correct /
  (correct + wrong + missing).
- Numbers: equal within max(0.006 × scale, 1e-6 × |gold|). Years: integer equality. Grades:
  equal, or the record's 优/良/中/差 is the gold grade mapped. Project names: one contains the
  other. Other text: equal. Text is compared after NFKC, traditional → simplified (OpenCC t2s)
  and removing all whitespace.
- Satisfaction: any satisfaction figure of the record (its groups, or the satisfaction metric)
  may match. budget_any_wan: the initial or the adjusted budget may match.
- Indicators are matched by level-3 name (normalised); failing that, the first record row whose
  name contains the gold name or is contained in it. weight and score are numbers; target and
  actual are compared as text with the row's raw cell. Field key: ``ind[<level3>].<field>``.
- A file with several evaluations: the one with the most correct fields is scored (the first of
  equals); a file with none is scored against an empty evaluation (all missing).
- Document kinds (gold key ``is_evaluation``): an evaluation page is read as one when some
  evaluation has document_kind evaluation (or none); a page that only looks like one is
  recognised only when some evaluation, or the source, states another document_kind.
- A crash is an exception other than loaders.read.ReadError (an unreadable file is not a crash;
  its fields count as missing).

Corpora: ``seeds`` (data/reports with tests/corpus/seeds/gold.jsonl), ``realdev``
(tests/corpus/realdev) and ``demo`` (the generated demo corpus, 30 counties, 2022–2023, seed 1,
.txt only, in data/bench/score-demo, made on first use and cached by its manifest; its expected
answers — written by the generator, which shares no code with the parser — are turned into gold
lines by `gold_from_expected`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

OUTCOMES = ("correct", "wrong", "missing", "extra")

# gold key -> (dotted path in an evaluation, or a special name; gold → record factor; comparison)
WAN = 1e4
SCALAR: dict[str, tuple[str, float | None, str]] = {
    "unit_name": ("unit.name", None, "text"),
    "province": ("unit.province", None, "text"),
    "city": ("unit.city", None, "text"),
    "county": ("unit.county", None, "text"),
    "fiscal_year": ("fiscal_year", None, "int"),
    "report_kind": ("report_kind", None, "text"),
    "project_name": ("project_name", None, "loose"),
    "evaluation_mode": ("evaluation_mode", None, "text"),
    "total_score": ("total_score", None, "num"),
    "grade": ("grade", None, "grade"),
    "budget_initial_wan": ("metrics.budget_initial_yuan.value", WAN, "num"),
    "budget_full_year_wan": ("metrics.budget_adjusted_yuan.value", WAN, "num"),
    "expenditure_wan": ("metrics.expenditure_yuan.value", WAN, "num"),
    "execution_rate_pct": ("metrics.budget_exec_pct.value", None, "num"),
    "income_wan": ("metrics.revenue_total_yuan.value", WAN, "num"),
    "basic_expenditure_wan": ("metrics.exp_basic_yuan.value", WAN, "num"),
    "personnel_expenditure_wan": ("metrics.exp_personnel_yuan.value", WAN, "num"),
    "public_expenditure_wan": ("metrics.exp_public_operating_yuan.value", WAN, "num"),
    "project_expenditure_wan": ("metrics.exp_project_yuan.value", WAN, "num"),
    "procurement_budget_wan": ("metrics.procurement_budget_yuan.value", WAN, "num"),
    "procurement_actual_wan": ("metrics.procurement_actual_yuan.value", WAN, "num"),
    "procurement_rate_pct": ("metrics.procurement_exec_pct.value", None, "num"),
    "sanggong_budget_wan": ("metrics.three_public_budget_yuan.value", WAN, "num"),
    "sanggong_actual_wan": ("metrics.three_public_actual_yuan.value", WAN, "num"),
    "sanggong_rate_pct": ("metrics.three_public_control_pct.value", None, "num"),
    "fixed_assets_wan": ("metrics.fixed_assets_yuan.value", WAN, "num"),
    "satisfaction_pct": ("*satisfaction", None, "num"),
    "budget_any_wan": ("*budget_any", WAN, "num"),
    "staff_authorized": ("metrics.headcount_authorised.value", None, "num"),
    "staff_actual": ("metrics.headcount_actual.value", None, "num"),
}
# A grade as written → the four-step grade the record carries.
GRADE_MAP = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中": "中", "合格": "中", "差": "差", "不合格": "差"}
IND_FIELDS = ("weight", "score", "target", "actual")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1 << 16)
def _norm_str(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    if not s.isascii():
        s = _t2s().convert(s)
    return _SPACE.sub("", s)


def norm(x: Any) -> str:
    """The form texts are compared in: NFKC, simplified characters, no whitespace."""
    return _norm_str(str(x))


def _dig(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def stated(ev: dict, path: str) -> Any:
    """What an evaluation states for a gold key: a value, a list of candidates, or None."""
    if path == "*satisfaction":
        found = [s.get("pct") for s in ev.get("satisfaction") or [] if isinstance(s, dict)]
        found.append(_dig(ev, "metrics.satisfaction_pct.value"))
        found = [v for v in found if v is not None]
        return found or None
    if path == "*budget_any":
        found = [_dig(ev, f"metrics.{m}.value") for m in ("budget_initial_yuan", "budget_adjusted_yuan")]
        found = [v for v in found if v is not None]
        return found or None
    return _dig(ev, path)


def _empty(v: Any) -> bool:
    return v is None or v == "" or v == []


def _matches(how: str, want: Any, have: Any, factor: float | None) -> bool:
    try:
        if how == "num":
            f = factor or 1
            target = float(want) * f
            return abs(float(have) - target) <= max(0.006 * f, abs(target) * 1e-6)
        if how == "int":
            return int(have) == int(want)
        if how == "grade":
            h, w = norm(have), norm(want)
            return h == w or h == GRADE_MAP.get(w, "?")
        if how == "loose":
            h, w = norm(have), norm(want)
            return bool(h and w) and (h in w or w in h)
        return norm(have) == norm(want)
    except (TypeError, ValueError):
        return False


def judge(how: str, want: Any, have: Any, factor: float | None = None) -> str:
    """correct / wrong / missing for one gold value against what the record states."""
    if _empty(have):
        return "missing"
    candidates = have if isinstance(have, list) else [have]
    return "correct" if any(_matches(how, want, c, factor) for c in candidates) else "wrong"


def _indicator_cell(row: dict, name: str) -> Any:
    """The record's text for an indicator's target or actual: its raw cell."""
    got = row[name + "_raw"] if name + "_raw" in row else row.get(name)
    return got.get("raw") if isinstance(got, dict) else got


def score_evaluation(gold: dict, ev: dict) -> dict[str, str]:
    """Outcome per gold field for one evaluation (keys: scalar gold keys, ind[<name>].<field>)."""
    out: dict[str, str] = {}
    for key, (path, factor, how) in SCALAR.items():
        if key not in gold:
            continue
        have = stated(ev, path)
        if gold[key] is None:
            if not _empty(have):
                out[key] = "extra"
            continue
        out[key] = judge(how, gold[key], have, factor)

    rows: dict[str, dict] = {}  # normalised level-3 name → first row of that name
    for row in ev.get("indicators") or []:
        if isinstance(row, dict) and row.get("level3"):
            rows.setdefault(norm(row["level3"]), row)
    for g in gold.get("indicators") or []:
        want_name = norm(g.get("level3") or "")
        row = rows.get(want_name)
        if row is None and want_name:
            row = next((r for n, r in rows.items() if want_name in n or n in want_name), None)
        for f in IND_FIELDS:
            if g.get(f) is None:
                continue
            key = f"ind[{g.get('level3')}].{f}"
            if row is None:
                out[key] = "missing"
            elif f in ("weight", "score"):
                out[key] = judge("num", g[f], row.get(f))
            else:
                out[key] = judge("text", g[f], _indicator_cell(row, f))
    return out


def best_evaluation(gold: dict, evaluations: list[dict]) -> dict[str, str]:
    """The outcomes of the evaluation with most correct fields (the first of equals)."""
    best: dict[str, str] | None = None
    best_n = -1
    for ev in evaluations or [{}]:
        res = score_evaluation(gold, ev)
        n = sum(v == "correct" for v in res.values())
        if n > best_n:
            best, best_n = res, n
    return best or {}


def kind_outcome(gold: dict, record: dict | None) -> tuple[str, bool] | None:
    """("eval" | "other", recognised) when the gold says what kind of page this is."""
    if "is_evaluation" not in gold:
        return None
    evs = (record or {}).get("evaluations") or []
    if gold["is_evaluation"]:
        return "eval", any(e.get("document_kind") in (None, "evaluation") for e in evs)
    kinds = [e.get("document_kind") for e in evs]
    kinds += [((record or {}).get("source") or {}).get("document_kind"), (record or {}).get("document_kind")]
    return "other", any(k not in (None, "evaluation") for k in kinds)


def field_group(key: str) -> str:
    """ind[<name>].weight → ind.weight; scalar keys stay as they are."""
    if key.startswith("ind["):
        return "ind." + key.rsplit(".", 1)[1]
    return key


# --- files and corpora ----------------------------------------------------------------------


@dataclass
class FileScore:
    file: str
    outcomes: dict[str, str]
    crashed: bool = False
    unreadable: str | None = None
    kind: tuple[str, bool] | None = None


@dataclass
class CorpusScore:
    name: str
    files: list[FileScore] = field(default_factory=list)
    seconds: float = 0.0

    def totals(self) -> Counter:
        c = Counter({o: 0 for o in OUTCOMES})
        for f in self.files:
            c.update(f.outcomes.values())
        return c

    def by_field(self) -> dict[str, Counter]:
        out: dict[str, Counter] = {}
        for f in self.files:
            for k, v in f.outcomes.items():
                out.setdefault(field_group(k), Counter())[v] += 1
        return out

    @property
    def crashes(self) -> int:
        return sum(f.crashed for f in self.files)

    def kinds(self) -> dict[str, int]:
        k = Counter(f.kind for f in self.files if f.kind is not None)
        return {"other_recognised": k[("other", True)], "other": k[("other", True)] + k[("other", False)],
                "eval_recognised": k[("eval", True)], "eval": k[("eval", True)] + k[("eval", False)]}

    def summary(self) -> dict[str, Any]:
        t = self.totals()
        return {"corpus": self.name, "files": len({f.file for f in self.files}), "gold_records": len(self.files),
                "precision": precision(t), "recall": recall(t), **{o: t[o] for o in OUTCOMES},
                "crashes": self.crashes, "kinds": self.kinds(), "seconds": round(self.seconds, 2)}


def precision(c: Counter) -> float:
    n = c["correct"] + c["wrong"]
    return c["correct"] / n if n else 0.0


def recall(c: Counter) -> float:
    n = c["correct"] + c["wrong"] + c["missing"]
    return c["correct"] / n if n else 0.0


def parse_record(path: Path) -> tuple[dict | None, bool, str | None]:
    """(record as `python -m loaders parse` prints it, crashed, unreadable reason)."""
    from loaders.parse import parse_path
    from loaders.read import ReadError
    from loaders.records import to_jsonable

    try:
        return to_jsonable(parse_path(str(path))), False, None
    except ReadError as e:
        return None, False, str(e)
    except Exception as e:  # a parser bug: counted as a crash, its fields as missing
        return None, True, f"{type(e).__name__}: {e}"


def score_golds(docs: Path, golds: list[dict], name: str) -> CorpusScore:
    """Parse each file once and score every gold line that names it."""
    res = CorpusScore(name)
    t = time.perf_counter()
    cache: dict[str, tuple[dict | None, bool, str | None]] = {}
    for gold in golds:
        fname = gold["file"]
        if fname not in cache:
            cache[fname] = parse_record(docs / fname)
        record, crashed, why = cache[fname]
        evs = (record or {}).get("evaluations") or []
        res.files.append(FileScore(fname, best_evaluation(gold, evs), crashed, None if crashed else why,
                                   kind_outcome(gold, record)))
    res.seconds = time.perf_counter() - t
    return res


def read_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- the demo corpus as gold lines ----------------------------------------------------------

DEMO_DIR = ROOT / "data" / "bench" / "score-demo"  # git ignores data/bench
# 30 counties: enough files of each shape the generator mixes in (prose, 决算, OCR, traditional …)
# to be counted, a few seconds to parse.
DEMO_ARGS = {"units": 30, "years": (2022, 2023), "seed": 1}
# record metric → gold key (money: 元 in the record, 万元 in gold)
_METRIC_GOLD = {path.split(".")[1]: key for key, (path, _, _) in SCALAR.items()
                if path.startswith("metrics.") and key != "satisfaction_pct"}


def gold_from_expected(ev: dict, file: str) -> dict:
    """One expected answer of the demo generator written as a gold line. The answers hold only
    what the document states (loaders/demo/answer.py): a key they leave out (a province the
    text does not write) is null in gold, so a record stating it counts as extra, not wrong."""
    unit = ev.get("unit") or {}
    gold: dict[str, Any] = {key: None for key in SCALAR if key not in ("budget_any_wan",)}
    gold.update(file=file, unit_name=unit.get("name"), province=unit.get("province"), city=unit.get("city"),
                county=unit.get("county"), fiscal_year=ev.get("fiscal_year"), report_kind=ev.get("report_kind"),
                project_name=ev.get("project_name"), evaluation_mode=ev.get("evaluation_mode"),
                total_score=ev.get("total_score"), grade=ev.get("grade_raw") or ev.get("grade"))
    for name, m in (ev.get("metrics") or {}).items():
        key = _METRIC_GOLD.get(name)
        if key and m.get("value") is not None:
            factor = SCALAR[key][1]
            gold[key] = m["value"] / factor if factor else m["value"]
    sat = _dig(ev, "metrics.satisfaction_pct.value")
    if sat is None:
        sat = next((s["pct"] for s in ev.get("satisfaction") or [] if s.get("pct") is not None), None)
    gold["satisfaction_pct"] = sat
    # Indicator fields are keyed by level-3 name, so a name that comes again (a goals table and a
    # score table, or two groups with the same row) is kept once, as in the seeds gold.
    gold["indicators"], seen = [], set()
    for r in ev.get("indicators") or []:
        if not r.get("level3") or norm(r["level3"]) in seen:
            continue
        seen.add(norm(r["level3"]))
        gold["indicators"].append({"level1": r.get("level1"), "level2": r.get("level2"), "level3": r["level3"],
                                   "weight": r.get("weight"), "score": r.get("score"),
                                   "target": r.get("target_raw"), "actual": r.get("actual_raw")})
    gold["is_evaluation"] = ev.get("document_kind", "evaluation") == "evaluation"
    return gold


def demo_golds(root: Path = DEMO_DIR) -> list[dict]:
    from loaders.demo import generate

    generate(root, DEMO_ARGS["units"], DEMO_ARGS["years"], seed=DEMO_ARGS["seed"])  # cached: no work the second time
    golds = []
    for exp in sorted(root.rglob("*.expected.json")):
        rec = json.loads(exp.read_text(encoding="utf-8"))
        rel = exp.relative_to(root).as_posix().removesuffix(".expected.json")
        golds += [gold_from_expected(ev, rel) for ev in rec.get("evaluations") or []]
    return golds


# --- corpora ----------------------------------------------------------------------------------

CORPORA = ("seeds", "realdev", "demo", "unseen")


def score_corpus(name: str) -> CorpusScore:
    if name == "seeds":
        return score_golds(ROOT / "data" / "reports", read_gold(ROOT / "tests/corpus/seeds/gold.jsonl"), name)
    if name == "realdev":
        d = ROOT / "tests/corpus/realdev"
        return score_golds(d / "docs", read_gold(d / "gold.jsonl"), name)
    if name == "unseen":
        d = ROOT / "tests/corpus/unseen"
        return score_golds(d / "docs", read_gold(d / "gold.jsonl"), name)
    if name == "demo":
        return score_golds(DEMO_DIR, demo_golds(), name)
    raise ValueError(f"unknown corpus {name!r}; choose from {CORPORA}")


# --- output ------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:.3f}"


def totals_table(scores: list[CorpusScore], markdown: bool = False) -> str:
    rows = [["", *(s.name for s in scores)]]
    sums = [s.summary() for s in scores]
    rows.append(["gold records (files)", *(f"{m['gold_records']} ({m['files']})" for m in sums)])
    rows.append(["precision", *(_pct(m["precision"]) for m in sums)])
    rows.append(["recall", *(_pct(m["recall"]) for m in sums)])
    for o in OUTCOMES:
        rows.append([o, *(str(m[o]) for m in sums)])
    rows.append(["crashes", *(str(m["crashes"]) for m in sums)])
    rows.append(["non-evaluation pages given a non-evaluation kind",
                 *(f"{m['kinds']['other_recognised']} of {m['kinds']['other']}" for m in sums)])
    rows.append(["evaluations read as evaluations",
                 *(f"{m['kinds']['eval_recognised']} of {m['kinds']['eval']}" for m in sums)])
    rows.append(["seconds", *(f"{m['seconds']:.1f}" for m in sums)])
    return _table(rows, markdown)


def fields_table(scores: list[CorpusScore], markdown: bool = False) -> str:
    per = [s.by_field() for s in scores]
    order = [k for k in SCALAR] + [f"ind.{f}" for f in IND_FIELDS]
    names = [k for k in order if any(k in p for p in per)]
    head = ["field"]
    for s in scores:
        head += [f"{s.name} c/w/m/x", "P", "R"]
    rows = [head]
    for k in names:
        row = [k]
        for p in per:
            c = p.get(k)
            if c is None:
                row += ["—", "—", "—"]
                continue
            row += [f"{c['correct']}/{c['wrong']}/{c['missing']}/{c['extra']}",
                    _pct(precision(c)) if c["correct"] + c["wrong"] else "—",
                    _pct(recall(c)) if c["correct"] + c["wrong"] + c["missing"] else "—"]
        rows.append(row)
    return _table(rows, markdown)


def _table(rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(out)
    widths = [max(_width(r[i]) for r in rows) + 2 for i in range(len(rows[0]))]
    return "\n".join("".join(_pad(c, w, left=(i == 0)) for i, (c, w) in enumerate(zip(r, widths))) for r in rows)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int, left: bool) -> str:
    gap = " " * (w - _width(s))
    return s + gap if left else gap + s


def report(scores: list[CorpusScore], markdown: bool = False) -> str:
    return totals_table(scores, markdown) + "\n\n" + fields_table(scores, markdown)


def details(score: CorpusScore) -> str:
    lines = []
    for f in score.files:
        bad = {k: v for k, v in f.outcomes.items() if v != "correct"}
        ok = sum(v == "correct" for v in f.outcomes.values())
        state = "CRASH " if f.crashed else ("UNREADABLE " if f.unreadable else "")
        lines.append(f"{f.file}: {state}correct={ok} {bad}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m loaders.score", description="抽取准确率评分（与评审评分器同一规则）")
    ap.add_argument("--corpus", default="all", choices=(*CORPORA, "all"))
    ap.add_argument("--markdown", action="store_true", help="输出 Markdown 表格")
    ap.add_argument("--verbose", action="store_true", help="逐文件列出不正确的字段")
    ap.add_argument("--json", help="把汇总写成 JSON")
    args = ap.parse_args(argv)
    names = CORPORA if args.corpus == "all" else (args.corpus,)
    scores = [score_corpus(n) for n in names]
    if args.verbose:
        for s in scores:
            print(f"== {s.name}\n{details(s)}\n")
    if args.json:
        Path(args.json).write_text(json.dumps([s.summary() | {"fields": {k: dict(v) for k, v in s.by_field().items()}}
                                               for s in scores], ensure_ascii=False, indent=1), encoding="utf-8")
    print(report(scores, args.markdown))
    return 1 if any(s.crashes for s in scores) else 0


if __name__ == "__main__":
    sys.exit(main())
