"""Compare two parse results field by field, ignoring where things are (line numbers, the
source block) and the wording of quality-flag messages (they quote lines and line numbers)."""

from __future__ import annotations

import unicodedata
from typing import Any

from loaders.parse import parse_document
from loaders.read import read_bytes
from loaders.records import to_jsonable

_DROP = {"line"}


def parse_text(text: str, name: str = "layout.txt") -> dict:
    return to_jsonable(parse_document(read_bytes(text.encode("utf-8"), name), name))


def strip(obj: Any) -> Any:
    """The record without `line` keys and without whitespace inside strings."""
    if isinstance(obj, dict):
        out = {k: strip(v) for k, v in obj.items() if k not in _DROP}
        return out
    if isinstance(obj, list):
        return [strip(x) for x in obj]
    if isinstance(obj, str):
        # A layout cannot carry a cell's line breaks (a tab row holds one line), and raw text
        # keeps full-width digits as written: text is compared in NFKC form without whitespace.
        return "".join(unicodedata.normalize("NFKC", obj).split())
    return obj


def evaluations(result: dict) -> list[dict]:
    evs = strip(result.get("evaluations", []))
    for ev in evs:
        ev["quality_flags"] = sorted(f["code"] for f in ev["quality_flags"])
    return evs


def diff(a: Any, b: Any, path: str = "") -> list[str]:
    """Paths where a and b differ (first 200)."""
    out: list[str] = []
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: {'missing' if k not in a else a[k]!r} != {'missing' if k not in b else b[k]!r}")
            else:
                out.extend(diff(a[k], b[k], f"{path}.{k}"))
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: len {len(a)} != {len(b)}")
        for k, (x, y) in enumerate(zip(a, b)):
            out.extend(diff(x, y, f"{path}[{k}]"))
    elif a != b:
        out.append(f"{path}: {a!r} != {b!r}")
    return out[:200]


# ---------------------------------------------------------------------------------------------
# What a layout lost, and what it got wrong.

SCALARS = (
    "fiscal_year", "report_kind", "project_name", "report_kind_declared", "evaluation_mode", "evaluator",
    "report_date", "framework", "total_score", "grade_raw", "grade", "confidence",
)


def _ind_key(i: dict) -> tuple:
    return (i["table"], i["level"], i["level1"], i["level2"], i["level3"])


def losses(base: dict, got: dict) -> tuple[dict, list[str]]:
    """(what the layout lost, what it got wrong) for one evaluation. Lost: fields that are null
    or missing in `got` but stated in `base`. Wrong: anything in `got` that is not in `base`
    or differs from it (a value, an indicator, a finding or a flag the original does not have)."""
    lost: dict = {"fields": set(), "metrics": set(), "indicators": set(), "indicator_fields": set(),
                  "satisfaction": 0, "findings": 0, "flags": []}
    wrong: list[str] = []
    for k in SCALARS:
        if got.get(k) != base.get(k):
            (lost["fields"].add(k) if got.get(k) is None else wrong.append(f"{k}: {got.get(k)!r} != {base.get(k)!r}"))
    for k, v in base["unit"].items():
        if got["unit"].get(k) != v:
            (lost["fields"].add("unit." + k) if got["unit"].get(k) is None else wrong.append(f"unit.{k}: {got['unit'].get(k)!r}"))
    for name, m in base["metrics"].items():
        if name not in got["metrics"]:
            lost["metrics"].add(name)
        elif got["metrics"][name] != m:
            wrong.append(f"metric {name}: {got['metrics'][name]} != {m}")
    wrong += [f"metric {n} not in the original" for n in got["metrics"] if n not in base["metrics"]]
    by_key = {}
    for i in base["indicators"]:
        by_key.setdefault(_ind_key(i), []).append(i)
    seen = set()
    for i in got["indicators"]:
        cands = by_key.get(_ind_key(i))
        if not cands:
            wrong.append(f"indicator not in the original: {_ind_key(i)}")
            continue
        seen.add(_ind_key(i))
        b = cands[0]
        for f, v in b.items():
            if i.get(f) != v:
                if i.get(f) is None:
                    lost["indicator_fields"].add(f)
                else:
                    wrong.append(f"indicator {_ind_key(i)[2:]} {f}: {i.get(f)!r} != {v!r}")
    lost["indicators"] = {k[2:] for k in by_key if k not in seen}
    for part in ("satisfaction", "findings"):
        got_items, base_items = got[part], list(base[part])
        for x in got_items:
            # The same item, or the same item with some fields left out (null).
            match = next((y for y in base_items if all(v is None or y.get(k) == v for k, v in x.items())), None)
            if match is None:
                wrong.append(f"{part} not in the original: {x}")
                continue
            base_items.remove(match)
            if match != x:
                lost[f"{part}_fields"] = lost.get(f"{part}_fields", set()) | {k for k, v in x.items() if v != match[k]}
        lost[part] = len(base_items)
    flags = list(base["quality_flags"])
    for code in got["quality_flags"]:
        if code in flags:
            flags.remove(code)
        else:
            wrong.append(f"flag not in the original: {code}")
    lost["flags"] = sorted(flags)
    return lost, wrong


# ---------------------------------------------------------------------------------------------
# How much of the record a layout keeps.


def leaves(ev: dict) -> dict[str, object]:
    """Every stated value of one evaluation (as from `evaluations`) by a path that does not
    depend on order: indicators by (table, level, level-1/2/3 names) and their occurrence,
    satisfaction by group, quality flags by code and occurrence."""
    out: dict[str, object] = {}

    def walk(o, p: str) -> None:
        if isinstance(o, dict):
            for k, v in o.items():
                walk(v, f"{p}.{k}")
        elif isinstance(o, list):
            for k, v in enumerate(o):
                walk(v, f"{p}[{k}]")
        elif o is not None:
            out[p] = o

    for k, v in ev.items():
        if k == "indicators":
            seen: dict[tuple, int] = {}
            for i in v:
                key = _ind_key(i)
                n = seen[key] = seen.get(key, -1) + 1
                walk(i, f"indicator{key}#{n}")
        elif k == "satisfaction":
            for j, s in enumerate(v):
                walk(s, f"satisfaction[{s.get('group')}]#{j}")
        elif k == "quality_flags":
            seen_codes: dict[str, int] = {}
            for code in v:
                n = seen_codes[code] = seen_codes.get(code, -1) + 1
                out[f"flag.{code}#{n}"] = True
        else:
            walk(v, k)
    return out


def recovery(base: dict, got: dict) -> tuple[int, int]:
    """(values of `base` that `got` states equally, values `base` states)."""
    b, g = leaves(base), leaves(got)
    return sum(1 for p, v in b.items() if g.get(p) == v), len(b)
