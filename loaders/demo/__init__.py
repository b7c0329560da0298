"""Demo corpus: synthetic report files in the four seed templates, each beside the record the
parsers should extract from it (`<file>.expected.json`), clearly marked as demo data.

    python -m loaders.demo --units 300 --years 2019-2024 --seed 1 --out data/demo

Deterministic: the same arguments give byte-identical files, whatever the number of workers
(each unit is drawn from generators seeded by its own code). A corpus already made with the
same arguments and generator version (manifest.json) is not made again.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import shutil
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from loaders.demo import catalog, t_grid, t_project_form, t_third_party, t_yueyang
from loaders.demo.common import Ctx
from loaders.demo.world import UnitProfile, profile, rng_for, select_places
from loaders.read import sha256_of
from loaders.records import ParseResult, Source, _default

VERSION = "3"  # bump whenever the output for the same arguments changes
MANIFEST = "manifest.json"
FORMATS = ("txt", "docx", "xlsx")

TEMPLATES = {
    t_project_form.FAMILY: t_project_form,
    t_grid.FAMILY: t_grid,
    t_third_party.FAMILY: t_third_party,
    t_yueyang.FAMILY: t_yueyang,
}
NATIVE_LAYOUT = {
    t_project_form.FAMILY: "cell_lines",
    t_grid.FAMILY: "cell_lines",
    t_yueyang.FAMILY: "cell_lines",
    t_third_party.FAMILY: "tab_rows",
}
INJECTION_RATE = 0.15  # share of files that carry injected inconsistencies
EXTERNAL_RATE = 0.3  # share of department-wide evaluations done by a third party or the finance bureau
PROJECT_KEYS = tuple(p.key for p in catalog.PROJECTS)


@dataclass(frozen=True)
class FileSpec:
    year: int
    seq: int
    family: str
    layout: str
    fmt: str
    injections: tuple[str, ...] = ()
    project_keys: tuple[str, ...] = ()
    mode: str | None = None

    @property
    def stem(self) -> str:
        return f"{self.year}_{self.seq:02d}_{self.family}"


def _layout(rng, family: str) -> str:
    native = NATIVE_LAYOUT[family]
    if rng.random() < 0.7:
        return native
    others = [lay for lay in ("cell_lines", "tab_rows", "pipe_rows", "flat") if lay != native]
    weights = [0.45 if lay in ("tab_rows", "cell_lines") else 0.35 if lay == "pipe_rows" else 0.2 for lay in others]
    return rng.choices(others, weights)[0]


def _injections(rng, family: str, project_keys: tuple[str, ...] = ()) -> tuple[str, ...]:
    if rng.random() >= INJECTION_RATE:
        return ()
    module = TEMPLATES[family]
    keys = sorted(module.applicable(project_keys) if hasattr(module, "applicable") else module.INJECTIONS)
    chosen = [rng.choice(keys)]
    if rng.random() < 0.3:
        rest = [k for k in keys if k not in chosen and not any(k in g and chosen[0] in g for g in module.EXCLUSIVE)]
        if rest:
            chosen.append(rng.choice(rest))
    return tuple(sorted(chosen))


def _format(rng, formats: tuple[str, ...]) -> str:
    if len(formats) == 1:
        return formats[0]
    if "txt" in formats and rng.random() < 0.7:
        return "txt"
    return rng.choice([f for f in formats if f != "txt"] or list(formats))


def plan_unit(prof: UnitProfile, formats: tuple[str, ...]) -> list[FileSpec]:
    """The files a unit hands in: per year one department-wide evaluation and ~5 projects."""
    specs: list[FileSpec] = []
    code = prof.place.admin_code
    for uy in prof.years:
        rng = rng_for(prof.seed, "plan", code, uy.year)
        seq = 1
        if rng.random() < EXTERNAL_RATE:
            fam, mode = t_third_party.FAMILY, ("finance" if rng.random() < 0.2 else "third_party")
        else:
            fam, mode = t_yueyang.FAMILY, None
        specs.append(FileSpec(uy.year, seq, fam, _layout(rng, fam), _format(rng, formats), _injections(rng, fam), (), mode))
        projects = rng.sample(prof.projects, k=min(len(prof.projects), rng.choice((4, 5, 5, 5, 6))))
        if prof.project_style == t_grid.FAMILY:
            if rng.random() < 0.4:
                projects[0] = "union_funds"
            groups = [[p] for p in projects]
        else:
            groups, i = [], 0
            while i < len(projects):
                size = rng.choice((1, 1, 2, 2, 3))
                groups.append(projects[i:i + size])
                i += size
        for group in groups:
            seq += 1
            fam = prof.project_style
            specs.append(FileSpec(uy.year, seq, fam, _layout(rng, fam), _format(rng, formats), _injections(rng, fam, tuple(group)), tuple(group)))
    return specs


def unit_dir_name(prof: UnitProfile) -> str:
    return f"{prof.place.admin_code}_{prof.place.unit_name}"


def _freeze_zip(data: bytes) -> bytes:
    """Office files carry the time they were saved (zip entries, docProps/core.xml): pin both
    so the same corpus is byte-identical whenever it is made."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", blob)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, blob)
    return out.getvalue()


def office_builders():
    """The .docx/.xlsx writers (loaders.demo.formats, also used by the reader tests)."""
    from loaders.demo import formats

    return {"docx": formats.to_docx, "xlsx": formats.to_xlsx}


_FIELDS: dict[type, tuple[str, ...]] = {}


def record_jsonable(result: ParseResult) -> dict:
    """The same dict as records.to_jsonable (a test holds them equal), without its deep copies
    and JSON round trip, which made up most of the generation time."""

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


def _drop_lines(obj):
    """Converted formats get their lines from the reader, which the generator cannot know."""
    if isinstance(obj, dict):
        return {k: (None if k == "line" else _drop_lines(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_drop_lines(v) for v in obj]
    return obj


def render_file(prof: UnitProfile, spec: FileSpec):
    """(text, evaluations) of one file."""
    uy = next(u for u in prof.years if u.year == spec.year)
    ctx = Ctx(
        profile=prof,
        uy=uy,
        rng=rng_for(prof.seed, "file", prof.place.admin_code, spec.year, spec.seq),
        layout=spec.layout,
        injections=spec.injections,
        project_keys=spec.project_keys,
        mode=spec.mode,
    )
    doc, evaluations = TEMPLATES[spec.family].render(ctx)
    return doc.text(), evaluations


def write_unit(args: tuple) -> dict:
    """Generate and write every file of one unit; return counts for the manifest."""
    place, seed, first, last, out, formats = args
    prof = profile(place, seed, first, last, list(PROJECT_KEYS))
    udir = Path(out) / unit_dir_name(prof)
    udir.mkdir(parents=True, exist_ok=True)
    stats = {"files": 0, "evaluations": 0, "injected_files": 0, "by_family": {}, "by_format": {}}
    for spec in plan_unit(prof, formats):
        text, evaluations = render_file(prof, spec)
        fmt = spec.fmt
        if fmt != "txt":
            builders = office_builders()
            data = _freeze_zip(builders[fmt](text))
        else:
            data = text.encode("utf-8")
        name = f"{spec.stem}.{fmt}"
        rel = f"{udir.name}/{name}"
        (udir / name).write_bytes(data)
        source = Source(
            path=rel, sha256=sha256_of(data), format=fmt, family=spec.family,
            encoding="utf-8" if fmt == "txt" else None, size_bytes=len(data),
            line_count=text.count("\n") if fmt == "txt" else None, is_demo=True,
        )
        record = record_jsonable(ParseResult(source=source, evaluations=evaluations))
        record["demo"] = {"layout": spec.layout, "injections": list(spec.injections), "generator_version": VERSION}
        if fmt != "txt":
            record["evaluations"] = _drop_lines(record["evaluations"])
        (udir / f"{name}.expected.json").write_text(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        stats["files"] += 1
        stats["evaluations"] += len(evaluations)
        stats["injected_files"] += bool(spec.injections)
        stats["by_family"][spec.family] = stats["by_family"].get(spec.family, 0) + len(evaluations)
        stats["by_format"][fmt] = stats["by_format"].get(fmt, 0) + 1
    stats["unit_dir"] = udir.name
    return stats


def _arguments(units: int, years: tuple[int, int], seed: int, formats: tuple[str, ...]) -> dict:
    return {"generator_version": VERSION, "units": units, "years": list(years), "seed": seed, "formats": list(formats)}


def read_manifest(out: Path) -> dict | None:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def generate(out: str | Path, units: int, years: tuple[int, int], seed: int = 1,
             formats: tuple[str, ...] = ("txt",), workers: int = 1, force: bool = False) -> tuple[dict, bool]:
    """Write the corpus into `out`; return (manifest, made). `made` is False when `out` already
    held a corpus made with the same arguments (nothing is rewritten then)."""
    out = Path(out)
    first, last = years
    if first > last:
        raise ValueError(f"年份范围无效: {first}-{last}")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"不支持的格式: {', '.join(unknown)}（可选 {', '.join(FORMATS)}）")
    wanted = _arguments(units, years, seed, tuple(formats))
    old = read_manifest(out)
    if old is not None and not force and old.get("arguments") == wanted:
        return old, False
    if old is not None:
        # Remove only what the previous run wrote, never anything else in the folder.
        for d in old.get("unit_dirs", []):
            if "/" not in d and d not in ("", ".", ".."):
                shutil.rmtree(out / d, ignore_errors=True)
        (out / MANIFEST).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    chosen = select_places(units, seed, first, last)
    tasks = [(p, seed, first, last, str(out), tuple(formats)) for p in chosen]
    if workers > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(write_unit, tasks, chunksize=max(1, len(tasks) // (workers * 8))))
    else:
        results = [write_unit(t) for t in tasks]
    manifest = {
        "about": "【演示数据】系统生成的演示语料，不是真实报告 (python -m loaders.demo)",
        "arguments": wanted,
        "files": sum(r["files"] for r in results),
        "evaluations": sum(r["evaluations"] for r in results),
        "injected_files": sum(r["injected_files"] for r in results),
        "by_family": _merge(r["by_family"] for r in results),
        "by_format": _merge(r["by_format"] for r in results),
        "unit_dirs": sorted(r["unit_dir"] for r in results),
    }
    if len(chosen) < units:
        manifest["note"] = f"只有 {len(chosen)} 个县级单位在 {first}-{last} 年间都有效"
    tmp = out / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out / MANIFEST)  # written last: a half-made corpus has no manifest
    return manifest, True


def _merge(dicts) -> dict:
    out: dict = {}
    for d in dicts:
        for k, v in d.items():
            out[k] = out.get(k, 0) + v
    return dict(sorted(out.items()))
