"""Extraction accuracy on the demo corpus: each parsed record against the expected answers beside
its file (written by loaders.demo, which shares no code with the parser), field by field,
counted right / wrong / missing per field family.

    python -m loaders.demo_accuracy data/demo [--limit N] [--workers K] [--details N] [--by-template] [--by-shape]

This module runs the parser, so it lives outside the generator package (loaders/demo imports
nothing from the parser; tests/demo/test_demo_imports.py). Only fields the expected answers
state are counted (a field the report does not state cannot be right or wrong; the answers
leave it out). Texts are compared after NFKC, traditional → simplified and without whitespace;
indicator targets and actuals as the cell text. Evaluations are matched within a file by (unit name, year, kind, project);
when no parsed evaluation has the whole key, the one sharing most of it is used (and counted
as a partial match). Flags: an expected code is right when the parser raised it, missing when
not; codes the generator controls that the parser raised without being expected are counted
separately as extra flags.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

SCALAR_FIELDS = (
    ("unit_name", ("unit", "name")),
    ("province", ("unit", "province")),
    ("city", ("unit", "city")),
    ("county", ("unit", "county")),
    ("admin_code", ("unit", "admin_code")),
    ("fiscal_year", ("fiscal_year",)),
    ("report_kind", ("report_kind",)),
    ("project_name", ("project_name",)),
    ("evaluation_mode", ("evaluation_mode",)),
    ("total_score", ("total_score",)),
    ("grade", ("grade",)),
)
FAMILIES = tuple(f for f, _ in SCALAR_FIELDS) + (
    "metric", "indicator_weight", "indicator_score", "indicator_target", "indicator_actual",
    "satisfaction_pct", "flag",
)
OUTCOMES = ("right", "wrong", "missing")


def _controlled_flags() -> frozenset[str]:
    """Flag codes whose presence the generator decides (injected or inherent to a template)."""
    from loaders.demo import TEMPLATES
    from loaders.demo.answer import INHERENT_FLAGS

    codes = {c for m in TEMPLATES.values() for flags in m.INJECTIONS.values() for c in flags}
    return frozenset(codes | INHERENT_FLAGS)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1 << 16)
def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    if not s.isascii():
        s = _t2s().convert(s)
    return re.sub(r"\s+", "", s)


def norm_text(s) -> str | None:
    """NFKC, simplified characters, no whitespace (so a traditional-character report compares)."""
    if s is None:
        return None
    return _norm(str(s))


def norm_project(s) -> str | None:
    t = norm_text(s)
    if t is None:
        return None
    return t.removesuffix("项目") or t


def norm_number(x) -> Decimal | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        return Decimal(str(x)).normalize()
    except InvalidOperation:
        return None


_PREFIX = re.compile(r"^(指标\s*\d+\s*[：:]\s*)")


def indicator_name(ind: dict) -> str:
    name = ind.get("level3") or ind.get("level2") or ind.get("level1") or ""
    name = norm_text(name) or ""
    return _PREFIX.sub("", name)


def group_key(g) -> str:
    t = _PREFIX.sub("", norm_text(g) or "")
    for suffix in ("满意度调查", "满意度指标", "满意度", "满意"):
        t = t.removesuffix(suffix)
    return t


@dataclass
class Tally:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_template: dict[str, dict[str, Counter]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    by_shape: dict[str, dict[str, Counter]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    tags: tuple[str, ...] = ()  # the shapes of the file being compared (see shape_tags)
    by_metric: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    flags_by_code: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    extra_flags: Counter = field(default_factory=Counter)
    details: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    files: int = 0
    files_failed: int = 0
    evaluations: int = 0  # expected evaluations compared
    other_documents: int = 0  # expected answers of pages that are no evaluation (部门决算), compared too
    matched_exact: int = 0
    matched_partial: int = 0
    unmatched: int = 0
    max_details: int = 20

    def add(self, family: str, outcome: str, template: str, where: str, expected=None, got=None) -> None:
        self.counts[family][outcome] += 1
        self.by_template[template][family][outcome] += 1
        for tag in self.tags:
            self.by_shape[tag][family][outcome] += 1
        if outcome != "right" and len(self.details[family]) < self.max_details:
            self.details[family].append((where, outcome, expected, got))

    def merge(self, other: "Tally") -> None:
        for fam, c in other.counts.items():
            self.counts[fam].update(c)
        for t, fams in other.by_template.items():
            for fam, c in fams.items():
                self.by_template[t][fam].update(c)
        for t, fams in other.by_shape.items():
            for fam, c in fams.items():
                self.by_shape[t][fam].update(c)
        for m, c in other.by_metric.items():
            self.by_metric[m].update(c)
        for m, c in other.flags_by_code.items():
            self.flags_by_code[m].update(c)
        self.extra_flags.update(other.extra_flags)
        for fam, rows in other.details.items():
            room = self.max_details - len(self.details[fam])
            self.details[fam].extend(rows[:max(0, room)])
        for attr in ("files", "files_failed", "evaluations", "other_documents", "matched_exact", "matched_partial", "unmatched"):
            setattr(self, attr, getattr(self, attr) + getattr(other, attr))

    def totals(self) -> Counter:
        out = Counter()
        for c in self.counts.values():
            out.update(c)
        return out

    def as_dict(self) -> dict:
        def shares(c: Counter) -> dict:
            n = sum(c[o] for o in OUTCOMES)
            return {o: c[o] for o in OUTCOMES} | {f"{o}_share": (round(c[o] / n, 4) if n else None) for o in OUTCOMES}

        return {
            "files": self.files, "files_failed": self.files_failed, "evaluations": self.evaluations,
            "other_documents": self.other_documents,
            "matched_exact": self.matched_exact, "matched_partial": self.matched_partial, "unmatched": self.unmatched,
            "fields": {fam: shares(self.counts[fam]) for fam in FAMILIES if fam in self.counts},
            "total": shares(self.totals()),
            "by_metric": {m: shares(c) for m, c in sorted(self.by_metric.items())},
            "flags_by_code": {m: shares(c) for m, c in sorted(self.flags_by_code.items())},
            "extra_flags": dict(self.extra_flags.most_common()),
        }


def _dig(d: dict, path: tuple[str, ...]):
    for p in path:
        if not isinstance(d, dict):
            return None
        d = d.get(p)
    return d


def _eval_key(ev: dict) -> tuple:
    return (norm_text(_dig(ev, ("unit", "name"))), ev.get("fiscal_year"), ev.get("report_kind"), norm_project(ev.get("project_name")))


def _match(expected: list[dict], parsed: list[dict]) -> list[tuple[dict, dict | None, str]]:
    """Pair each expected evaluation with a parsed one: exact key, else most shared key parts."""
    free = list(range(len(parsed)))
    keys = [_eval_key(p) for p in parsed]
    out = []
    for ev in expected:
        k = _eval_key(ev)
        exact = next((i for i in free if keys[i] == k), None)
        if exact is not None:
            free.remove(exact)
            out.append((ev, parsed[exact], "exact"))
            continue
        best, best_score = None, 0
        for i in free:
            pk = keys[i]
            # The project decides between several evaluations of one file; the rest breaks ties.
            score = (4 if k[3] is not None and pk[3] == k[3] else 0) + sum(a == b for a, b in zip(pk[:3], k[:3]))
            if k[3] is not None and pk[3] != k[3] and len(expected) > 1:
                score -= 4
            if score > best_score:
                best, best_score = i, score
        if best is not None and best_score >= 2:
            free.remove(best)
            out.append((ev, parsed[best], "partial"))
        else:
            out.append((ev, None, "none"))
    return out


def _same(expected, got) -> bool:
    ne, ng = norm_number(expected), norm_number(got)
    if ne is not None and ng is not None:
        return ne == ng
    if isinstance(expected, str) or isinstance(got, str):
        return norm_text(expected) == norm_text(got)
    return expected == got


def shape_tags(expected_record: dict) -> tuple[str, ...]:
    """What a generated file is, as tags to tally by: its family, its table layout, every shape
    the generator gave it (ocr, traditional, two_docs, site_header …) and who wrote it."""
    demo = expected_record.get("demo") or {}
    fmt = (expected_record.get("source") or {}).get("format")
    tags = [f"family:{(expected_record.get('source') or {}).get('family')}", f"layout:{demo.get('layout')}"]
    tags += [f"shape:{s}" for s in demo.get("shapes") or []]
    tags.append(f"issuer:{'union' if demo.get('issuer', 'union') == 'union' else 'other department'}")
    if fmt and fmt != "txt":
        tags.append(f"format:{fmt}")
    return tuple(tags)


def compare(expected_record: dict, parsed_record: dict | None, tally: Tally, where: str = "") -> None:
    """Count every field the expected record states against the parsed record (None: the file
    could not be parsed at all, so everything is missing)."""
    controlled = _controlled_flags()
    template = (expected_record.get("source") or {}).get("family") or "?"
    tally.tags = shape_tags(expected_record)
    tally.files += 1
    if parsed_record is None:
        tally.files_failed += 1
    parsed_evs = (parsed_record or {}).get("evaluations") or []
    for ev, got, how in _match(expected_record.get("evaluations") or [], parsed_evs):
        if ev.get("document_kind", "evaluation") == "evaluation":
            tally.evaluations += 1
        else:
            tally.other_documents += 1
        if how == "exact":
            tally.matched_exact += 1
        elif how == "partial":
            tally.matched_partial += 1
        else:
            tally.unmatched += 1
        g = got or {}
        label = f"{where} [{ev.get('project_name') or ev.get('report_kind')}]"
        for fam, path in SCALAR_FIELDS:
            e = _dig(ev, path)
            if e is None:
                continue
            v = _dig(g, path)
            if fam == "project_name":
                e, v = norm_project(e), norm_project(v)
            _count(tally, fam, e, v, template, label)
        for name, m in (ev.get("metrics") or {}).items():
            pm = (g.get("metrics") or {}).get(name)
            outcome = _count(tally, "metric", m["value"], pm["value"] if pm else None, template, f"{label} {name}")
            tally.by_metric[name][outcome] += 1
        _compare_indicators(ev.get("indicators") or [], g.get("indicators") or [], tally, template, label)
        _compare_satisfaction(ev.get("satisfaction") or [], g.get("satisfaction") or [], tally, template, label)
        want = {f["code"] for f in ev.get("quality_flags") or []}
        have = {f["code"] for f in g.get("quality_flags") or []}
        for code in sorted(want):
            outcome = "right" if code in have else "missing"
            tally.add("flag", outcome, template, f"{label} {code}", code, None)
            tally.flags_by_code[code][outcome] += 1
        for code in sorted((have & controlled) - want):
            tally.extra_flags[code] += 1


def _count(tally: Tally, fam: str, expected, got, template: str, where: str) -> str:
    if got is None:
        outcome = "missing"
    elif _same(expected, got):
        outcome = "right"
    else:
        outcome = "wrong"
    tally.add(fam, outcome, template, where, expected, got)
    return outcome


def _compare_indicators(expected: list[dict], parsed: list[dict], tally: Tally, template: str, label: str) -> None:
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(parsed):
        by_name[indicator_name(p)].append(i)
    used: set[int] = set()
    for e in expected:
        name = indicator_name(e)
        cands = [i for i in by_name.get(name, []) if i not in used]
        if not cands and len(name) >= 6:
            # Long goal sentences: a parser may keep only their first clause as the name.
            cands = [i for i, p in enumerate(parsed) if i not in used and len(indicator_name(p)) >= 4
                     and (name.startswith(indicator_name(p)) or indicator_name(p).startswith(name))]
        same_level = [i for i in cands if parsed[i].get("level") == e.get("level")]
        same_l2 = [i for i in (same_level or cands) if norm_text(parsed[i].get("level2")) == norm_text(e.get("level2"))]
        pick = (same_l2 or same_level or cands or [None])[0]
        p = parsed[pick] if pick is not None else {}
        if pick is not None:
            used.add(pick)
        where = f"{label} {name}"
        for fam, key in (("indicator_weight", "weight"), ("indicator_score", "score")):
            if e.get(key) is not None:
                _count(tally, fam, e[key], p.get(key), template, where)
        for fam, key in (("indicator_target", "target_raw"), ("indicator_actual", "actual_raw")):
            ev = e.get(key)
            if ev is None:
                continue
            pv = p.get(key)
            if pv is None:
                outcome = "missing"
            else:
                outcome = "right" if norm_text(ev) == norm_text(pv) else "wrong"
            tally.add(fam, outcome, template, where, ev, pv)


def _compare_satisfaction(expected: list[dict], parsed: list[dict], tally: Tally, template: str, label: str) -> None:
    with_pct = [p for p in parsed if p.get("pct") is not None]
    used: set[int] = set()
    for n, e in enumerate(x for x in expected if x.get("pct") is not None):
        gk = group_key(e.get("group"))
        pick = next((i for i, p in enumerate(with_pct) if i not in used and group_key(p.get("group")) == gk), None)
        if pick is None:
            pick = next((i for i in range(len(with_pct)) if i not in used), None)
        got = with_pct[pick]["pct"] if pick is not None else None
        if pick is not None:
            used.add(pick)
        _count(tally, "satisfaction_pct", e["pct"], got, template, f"{label} {e.get('group')}")


# --- running over a corpus ------------------------------------------------------------------


def expected_files(root: str | Path, limit: int | None = None) -> list[Path]:
    files = sorted(Path(root).rglob("*.expected.json"))
    return files[:limit] if limit else files


_FIELDS: dict[type, tuple[str, ...]] = {}


def record_jsonable(result) -> dict:
    """The same dict as loaders.records.to_jsonable (a test holds them equal), without its deep
    copies and JSON round trip."""
    import dataclasses

    from loaders.records import _default

    def conv(obj):
        if dataclasses.is_dataclass(obj):
            names = _FIELDS.get(type(obj))
            if names is None:
                names = _FIELDS[type(obj)] = tuple(f.name for f in dataclasses.fields(obj))
            return {n: conv(getattr(obj, n)) for n in names}
        if isinstance(obj, list | tuple):
            return [conv(v) for v in obj]
        if isinstance(obj, dict):
            return {k: conv(v) for k, v in obj.items()}
        if isinstance(obj, Decimal):
            return _default(obj)
        return obj

    data = conv(result)
    if not data.get("messages"):
        data.pop("messages", None)
    if data.get("error") is None:
        data.pop("error", None)
    return data


def _parse_one(expected_path: str) -> tuple[str, dict | None, str | None]:
    from loaders.parse import parse_path

    report = expected_path.removesuffix(".expected.json")
    try:
        return expected_path, record_jsonable(parse_path(report)), None
    except Exception as e:  # a parser bug must not stop the measurement; it counts as missing
        return expected_path, None, f"{type(e).__name__}: {e}"


def measure(root: str | Path, limit: int | None = None, workers: int = 1, max_details: int = 20) -> tuple[Tally, list[str]]:
    """Parse every generated file under root and compare; return the tally and parse errors."""
    paths = [str(p) for p in expected_files(root, limit)]
    tally = Tally(max_details=max_details)
    errors: list[str] = []
    if workers > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_parse_one, paths, chunksize=max(1, len(paths) // (workers * 8))))
    else:
        results = [_parse_one(p) for p in paths]
    for path, parsed, err in results:
        expected = json.loads(Path(path).read_text(encoding="utf-8"))
        if err:
            errors.append(f"{path.removesuffix('.expected.json')}: {err}")
        compare(expected, parsed, tally, where=expected["source"]["path"])
    return tally, errors


def format_table(tally: Tally) -> str:
    rows = [("字段族 field family", "right", "wrong", "missing", "n", "right%", "wrong%", "missing%")]

    def line(name: str, c: Counter):
        n = sum(c[o] for o in OUTCOMES)
        if not n:
            return
        rows.append((name, str(c["right"]), str(c["wrong"]), str(c["missing"]), str(n),
                     *(f"{100 * c[o] / n:.1f}" for o in OUTCOMES)))

    for fam in FAMILIES:
        if fam in tally.counts:
            line(fam, tally.counts[fam])
    line("TOTAL", tally.totals())
    widths = [max(len(r[i]) for r in rows) + 2 for i in range(len(rows[0]))]
    out = ["".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    head = (f"files {tally.files} (parse failed {tally.files_failed}); evaluations {tally.evaluations}"
            f"{f' and {tally.other_documents} other documents' if tally.other_documents else ''}: "
            f"matched exactly {tally.matched_exact}, partially {tally.matched_partial}, not found {tally.unmatched}")
    return head + "\n" + "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m loaders.demo_accuracy", description="演示语料上的抽取准确率（逐字段）")
    ap.add_argument("dir")
    ap.add_argument("--limit", type=int, default=None, help="只比较前 N 个文件")
    ap.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--details", type=int, default=0, help="每个字段族列出前 N 个错误或缺失")
    ap.add_argument("--by-template", action="store_true", help="按模板族分别列出")
    ap.add_argument("--by-shape", action="store_true", help="按版式、形态（OCR、繁体、两文合一…）和填报单位分别列出")
    ap.add_argument("--json", help="把结果写成 JSON")
    args = ap.parse_args(argv)
    if not expected_files(args.dir, 1):
        print(f"{args.dir}: 没有 *.expected.json（先运行 python -m loaders.demo）", file=sys.stderr)
        return 2
    tally, errors = measure(args.dir, args.limit, args.workers, max(args.details, 1))
    print(format_table(tally))
    if args.by_template:
        for t, fams in sorted(tally.by_template.items()):
            sub = Tally()
            sub.counts = fams
            print(f"\n== {t}")
            print(format_table(sub).split("\n", 1)[1])
    if args.by_shape:
        for t, fams in sorted(tally.by_shape.items()):
            sub = Tally()
            sub.counts = fams
            print(f"\n== {t}")
            print(format_table(sub).split("\n", 1)[1])
    if tally.by_metric:
        worst = sorted(tally.by_metric.items(), key=lambda kv: kv[1]["right"] / max(1, sum(kv[1].values())))
        print("\nmetrics (worst first): " + ", ".join(f"{m} {c['right']}/{sum(c.values())}" for m, c in worst))
    if tally.flags_by_code:
        print("expected flags raised: " + ", ".join(f"{m} {c['right']}/{sum(c.values())}" for m, c in sorted(tally.flags_by_code.items())))
    if tally.extra_flags:
        print("extra flags (raised, not injected): " + ", ".join(f"{k} ×{v}" for k, v in tally.extra_flags.most_common()))
    if errors:
        print(f"\nparse errors ({len(errors)}):")
        for e in errors[:20]:
            print("  " + e)
    if args.details:
        for fam in FAMILIES:
            rows = tally.details.get(fam) or []
            if rows:
                print(f"\n-- {fam}")
                for where, outcome, exp, got in rows[: args.details]:
                    print(f"  {outcome:7} {where}: expected {exp!r}, got {got!r}")
    if args.json:
        Path(args.json).write_text(json.dumps(tally.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
