"""Demo corpus: synthetic report files, each beside the answers a reader should find in it
(`<file>.expected.json`), clearly marked as demo data.

    python -m loaders.demo --units 300 --years 2019-2024 --seed 1 --out data/demo

What it writes, per county and year (see plan_unit): the trade union's department-wide
evaluation and its project evaluations in the four seed templates, most of the corpus; beside
them, in plausible minority shares, the families and layouts real pages show (realdev): prose
reports, 部门整体支出绩效自评表, 部门决算 pages (not evaluations), reports of the county's other
departments (妇联, 团委, 残联, 局, 委, 医院, 学校, 中心 …), tables as space-separated rows, CSV dumps and
PDF text with interleaved columns, and texts with site furniture, OCR misreads, traditional
characters or two documents in one.

The generator shares no code with the parser: it imports nothing from loaders outside
loaders/demo (tests/demo/test_demo_imports.py) and writes its own answers (loaders.demo.answer):
only what each document states.

Deterministic: the same arguments give byte-identical files, whatever the number of workers
(each unit is drawn from generators seeded by its own code). A corpus already made with the
same arguments and generator version (manifest.json) is not made again.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from loaders.demo import (
    catalog, shapes, t_dept_table, t_final_accounts, t_grid, t_project_form, t_prose, t_third_party, t_yueyang,
)
from loaders.demo.common import Ctx
from loaders.demo.departments import DEPARTMENT_KEYS, department_year, issuer_of
from loaders.demo.textdoc import OFFICE_LAYOUTS
from loaders.demo.world import UnitProfile, profile, rng_for, select_places

VERSION = "6"  # bump whenever the output for the same arguments changes
MANIFEST = "manifest.json"
FORMATS = ("txt", "docx", "xlsx", "pdf")

TEMPLATES = {
    t_project_form.FAMILY: t_project_form,
    t_grid.FAMILY: t_grid,
    t_third_party.FAMILY: t_third_party,
    t_yueyang.FAMILY: t_yueyang,
    t_prose.FAMILY: t_prose,
    t_dept_table.FAMILY: t_dept_table,
    t_final_accounts.FAMILY: t_final_accounts,
}
SEED_FAMILIES = (t_project_form.FAMILY, t_grid.FAMILY, t_third_party.FAMILY, t_yueyang.FAMILY)
NATIVE_LAYOUT = {
    t_project_form.FAMILY: "cell_lines",
    t_grid.FAMILY: "cell_lines",
    t_yueyang.FAMILY: "cell_lines",
    t_third_party.FAMILY: "tab_rows",
    t_dept_table.FAMILY: "pipe_rows",
    t_final_accounts.FAMILY: "flat",
}
# Layouts that only text extraction makes (written as .txt), with their share of .txt table files.
EXTRACTED_LAYOUTS = (("space_rows", 0.09), ("csv_rows", 0.04), ("pdf_columns", 0.07))
PROSE = "prose"  # the layout label of a file without tables
INJECTION_RATE = 0.15  # share of files that carry injected inconsistencies
# The union's department-wide evaluation: by a third party or the finance bureau (seed 001's
# template), self-evaluated in the Yueyang template (seed 003), as a prose report or as a
# 部门整体支出绩效自评表 — cumulative shares.
EXTERNAL_RATE = 0.24
YUEYANG_UP_TO, PROSE_UP_TO = 0.74, 0.87
OTHER_DEPARTMENT_RATE = 0.6  # share of county-years in which another department's report is found too
FINAL_ACCOUNTS_RATE = 0.2  # share of county-years in which a 部门决算 page is found too
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
    issuer: str = "union"  # "union" or a key of departments.DEPARTMENTS
    variant: str | None = None  # a family's sub-form (prose: project_self …; dept table: anhui …)
    shapes: tuple[str, ...] = ()  # loaders.demo.shapes laid over the text (txt only)

    @property
    def stem(self) -> str:
        return f"{self.year}_{self.seq:02d}_{self.family}"


def _layout(rng, family: str, fmt: str, variant: str | None = None) -> str:
    if family == t_prose.FAMILY or (family == t_final_accounts.FAMILY and variant != "table"):
        return PROSE
    if fmt == "txt":
        u = rng.random()
        for lay, share in EXTRACTED_LAYOUTS:
            if u < share:
                return "pdf_columns" if family == t_dept_table.FAMILY and variant == "guangdong" else lay
            u -= share
    if family == t_dept_table.FAMILY and variant == "guangdong" and fmt == "txt" and rng.random() < 0.7:
        return "pdf_columns"  # the Guangdong form reaches crawlers as PDF text
    native = NATIVE_LAYOUT[family]
    if rng.random() < 0.7:
        return native
    others = [lay for lay in OFFICE_LAYOUTS if lay != native]
    weights = [0.45 if lay in ("tab_rows", "cell_lines") else 0.35 if lay == "pipe_rows" else 0.2 for lay in others]
    return rng.choices(others, weights)[0]


def _injections(rng, family: str, project_keys: tuple[str, ...] = ()) -> tuple[str, ...]:
    module = TEMPLATES[family]
    if not module.INJECTIONS or rng.random() >= INJECTION_RATE:
        return ()
    keys = sorted(module.applicable(project_keys) if hasattr(module, "applicable") else module.INJECTIONS)
    if not keys:
        return ()
    chosen = [rng.choice(keys)]
    if rng.random() < 0.3:
        rest = [k for k in keys if k not in chosen and not any(k in g and chosen[0] in g for g in module.EXCLUSIVE)]
        if rest:
            chosen.append(rng.choice(rest))
    return tuple(sorted(chosen))


# Formats a family's files come in (a prose report is no spreadsheet).
_FAMILY_FORMATS = {t_prose.FAMILY: ("txt", "docx", "pdf")}


def _format(rng, formats: tuple[str, ...], family: str | None = None, variant: str | None = None) -> str:
    allowed = _FAMILY_FORMATS.get(family, FORMATS)
    if family == t_final_accounts.FAMILY and variant != "table":
        allowed = ("txt", "docx", "pdf")
    usable = tuple(f for f in formats if f in allowed) or ("txt",)
    if len(usable) == 1:
        return usable[0]
    if "txt" in usable and rng.random() < 0.7:
        return "txt"
    others = [f for f in usable if f != "txt"]
    if "pdf" in others and len(others) > 1:  # a PDF is slow to read: a small share (~2% of files)
        if rng.random() < 0.07:
            return "pdf"
        others.remove("pdf")
    return rng.choice(others)


def _shapes(rng, fmt: str, family: str, variant: str | None) -> tuple[str, ...]:
    """Shapes laid over a .txt file: site furniture (15%), a second document (three in ten of the
    one-project prose reports), traditional characters (4.5%) or OCR misreads (4.5%)."""
    if fmt != "txt":
        return ()
    out = []
    if rng.random() < 0.15:
        out.append("site_header")
    if family == t_prose.FAMILY and variant == "project_self" and rng.random() < 0.3:
        out.append("two_docs")
    u = rng.random()
    if u < 0.045:
        out.append("traditional")
    elif u < 0.09:
        out.append("ocr")
    return tuple(out)


class _Planner:
    """Numbers each issuer's files per year and draws their layout, format and shapes."""

    def __init__(self, prof: UnitProfile, formats: tuple[str, ...], year: int):
        self.prof, self.formats, self.year = prof, formats, year
        self.seq: dict[str, int] = {}
        self.specs: list[FileSpec] = []

    def add(self, rng, family: str, *, issuer: str = "union", keys: tuple[str, ...] = (), mode: str | None = None,
            variant: str | None = None) -> None:
        seq = self.seq[issuer] = self.seq.get(issuer, 0) + 1
        fmt = _format(rng, self.formats, family, variant)
        layout = _layout(rng, family, fmt, variant)
        injections = _injections(rng, family, keys)
        srng = rng_for(self.prof.seed, "shape", self.prof.place.admin_code, issuer, self.year, seq)
        self.specs.append(FileSpec(self.year, seq, family, layout, fmt, injections, keys, mode, issuer, variant,
                                   _shapes(srng, fmt, family, variant)))


def plan_unit(prof: UnitProfile, formats: tuple[str, ...]) -> list[FileSpec]:
    """The files found for one county per year: the union's department-wide evaluation (a seed
    template mostly; a prose report or a 部门整体支出绩效自评表 sometimes) and its 3–6 project
    evaluations (a seed form mostly; prose reports for about an eighth); in most years a report
    of another department of the county; in some a 部门决算 page."""
    specs: list[FileSpec] = []
    code = prof.place.admin_code
    for uy in prof.years:
        rng = rng_for(prof.seed, "plan", code, uy.year)
        plan = _Planner(prof, formats, uy.year)
        r = rng.random()
        if r < EXTERNAL_RATE:
            plan.add(rng, t_third_party.FAMILY, mode="finance" if rng.random() < 0.2 else "third_party")
        elif r < YUEYANG_UP_TO:
            plan.add(rng, t_yueyang.FAMILY)
        elif r < PROSE_UP_TO:
            plan.add(rng, t_prose.FAMILY, variant="dept_self")
        else:
            plan.add(rng, t_dept_table.FAMILY, variant="guangdong" if rng.random() < 0.35 else "anhui")
        projects = rng.sample(prof.projects, k=min(len(prof.projects), rng.choice((3, 4, 4, 5, 5, 6))))
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
            keys = tuple(group)
            r = rng.random()
            if r < 0.11 and "union_funds" not in keys:
                plan.add(rng, t_prose.FAMILY, keys=keys, variant="project_self" if len(keys) == 1 else "projects_self")
            elif r < 0.13 and "union_funds" not in keys:
                plan.add(rng, t_prose.FAMILY, keys=keys[:1], variant="external",
                         mode="finance" if rng.random() < 0.3 else "third_party")
            else:
                plan.add(rng, prof.project_style, keys=keys)
        drng = rng_for(prof.seed, "plan-departments", code, uy.year)
        if prof.departments and drng.random() < OTHER_DEPARTMENT_RATE:
            n = 2 if drng.random() < 0.15 else 1
            for key in drng.sample(prof.departments, min(n, len(prof.departments))):
                _plan_department(plan, drng, key)
        if drng.random() < FINAL_ACCOUNTS_RATE:
            issuer = "union" if drng.random() < 0.4 or not prof.departments else drng.choice(prof.departments)
            variant = drng.choices(t_final_accounts.VARIANTS, (0.35, 0.4, 0.25))[0]
            plan.add(drng, t_final_accounts.FAMILY, issuer=issuer, variant=variant)
        specs += plan.specs
    return specs


def _plan_department(plan: _Planner, rng, key: str) -> None:
    from loaders.demo.departments import DEPARTMENT_BY_KEY

    projects = [p.key for p in DEPARTMENT_BY_KEY[key].projects]
    r = rng.random()
    if r < 0.3:
        plan.add(rng, t_prose.FAMILY, issuer=key, keys=(rng.choice(projects),), variant="project_self")
    elif r < 0.42:
        plan.add(rng, t_prose.FAMILY, issuer=key, variant="dept_self")
    elif r < 0.47:
        plan.add(rng, t_prose.FAMILY, issuer=key, keys=(rng.choice(projects),), variant="external",
                 mode="finance" if rng.random() < 0.3 else "third_party")
    elif r < 0.52:
        plan.add(rng, t_prose.FAMILY, issuer=key, keys=tuple(rng.sample(projects, 2)), variant="projects_self")
    elif r < 0.77:
        plan.add(rng, t_project_form.FAMILY, issuer=key, keys=tuple(rng.sample(projects, rng.choice((1, 1, 2)))))
    else:
        plan.add(rng, t_dept_table.FAMILY, issuer=key, variant="guangdong" if rng.random() < 0.35 else "anhui")


def unit_dir_name(prof: UnitProfile, issuer: str = "union") -> str:
    return f"{prof.place.admin_code}_{issuer_of(prof.place, issuer).name}"


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
    """The .docx/.xlsx/.pdf writers (loaders.demo.formats, also used by the reader tests). A demo
    PDF draws its tables without rules (formats.to_pdf_columns), so its text comes out with the
    columns interleaved, as real PDF pages do."""
    from loaders.demo import formats

    return {"docx": formats.to_docx, "xlsx": formats.to_xlsx, "pdf": formats.to_pdf_columns}


def without_lines(obj):
    """An expected record without its line numbers: a converted format gets its lines from its
    reader (a .docx table row is one line there), which the generator cannot know."""
    if isinstance(obj, dict):
        return {k: without_lines(v) for k, v in obj.items() if k != "line"}
    if isinstance(obj, list):
        return [without_lines(v) for v in obj]
    return obj


def render_file(prof: UnitProfile, spec: FileSpec):
    """(text, expected answers) of one file."""
    place = prof.place
    union = spec.issuer == "union"
    uy = next(u for u in prof.years if u.year == spec.year) if union else department_year(prof, spec.issuer, spec.year)
    seed_parts = ("file", place.admin_code, spec.year, spec.seq) if union else ("file", place.admin_code, spec.issuer, spec.year, spec.seq)
    ctx = Ctx(
        profile=prof,
        uy=uy,
        rng=rng_for(prof.seed, *seed_parts),
        layout=spec.layout,
        injections=spec.injections,
        project_keys=spec.project_keys,
        mode=spec.mode,
        issuer=issuer_of(place, spec.issuer),
        variant=spec.variant,
    )
    doc, answers = TEMPLATES[spec.family].render(ctx)
    if not spec.shapes:
        return doc.text(), answers
    srng = rng_for(prof.seed, "shape-render", place.admin_code, spec.issuer, spec.year, spec.seq)
    if "two_docs" in spec.shapes:
        _second_document(doc, answers, ctx, srng)
    lines = doc.lines
    if "site_header" in spec.shapes:
        lines = shapes.site_header(lines, answers, srng, ctx.unit, spec.year)
    if "ocr" in spec.shapes:
        lines = shapes.ocr(lines, answers, srng)
    if "traditional" in spec.shapes:
        lines = shapes.traditional(lines, answers)
    return "\n".join(lines) + "\n", answers


def _second_document(doc, answers, ctx: Ctx, rng) -> None:
    """Two documents in one text: another project's table tail in front (half the time), or a
    second report after the first."""
    from loaders.demo.departments import DEPARTMENT_BY_KEY, project_of

    own = ctx.project_keys[0]
    pool = list(ctx.profile.projects) if ctx.unit.key == "union" else [p.key for p in DEPARTMENT_BY_KEY[ctx.unit.key].projects]
    others = [k for k in pool if k != own and k != "union_funds"]
    if not others or rng.random() < 0.5:
        doc.lines = shapes.table_tail(doc.lines, answers, rng, project_of(rng.choice(others or [own])))
        return
    doc.blank(2)
    doc.add(rng.choice(("——————————", "相关推荐", "下一篇：")))
    answers.append(t_prose.project_report(doc, ctx, rng.choice(others), title_style=rng.random() * 0.8))


def write_unit(args: tuple) -> dict:
    """Generate and write every file of one county (its union and its other departments);
    return counts for the manifest."""
    place, seed, first, last, out, formats = args
    prof = profile(place, seed, first, last, list(PROJECT_KEYS), DEPARTMENT_KEYS)
    stats = {"files": 0, "evaluations": 0, "other_documents": 0, "injected_files": 0, "by_family": {}, "by_format": {},
             "by_layout": {}, "by_shape": {}, "by_issuer": {}}
    dirs: dict[str, Path] = {}
    builders = office_builders()
    for spec in plan_unit(prof, formats):
        text, answers = render_file(prof, spec)
        fmt = spec.fmt
        if fmt == "txt":
            data = text.encode("utf-8")
        elif fmt == "pdf":
            data = builders[fmt](text)
        else:
            data = _freeze_zip(builders[fmt](text))
        udir = dirs.get(spec.issuer)
        if udir is None:
            udir = dirs[spec.issuer] = Path(out) / unit_dir_name(prof, spec.issuer)
            udir.mkdir(parents=True, exist_ok=True)
        name = f"{spec.stem}.{fmt}"
        rel = f"{udir.name}/{name}"
        (udir / name).write_bytes(data)
        source = {"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "format": fmt, "family": spec.family,
                  "size_bytes": len(data), "is_demo": True}
        if fmt == "txt":
            source.update(encoding="utf-8", line_count=text.count("\n"))
        records = [a.to_json() for a in answers]
        demo = {"layout": spec.layout, "injections": list(spec.injections), "generator_version": VERSION,
                "issuer": spec.issuer}
        if spec.variant:
            demo["variant"] = spec.variant
        if spec.shapes:
            demo["shapes"] = list(spec.shapes)
        record = {"source": source, "evaluations": records if fmt == "txt" else without_lines(records), "demo": demo}
        (udir / f"{name}.expected.json").write_text(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        evaluations = sum(a.document_kind == "evaluation" for a in answers)
        stats["files"] += 1
        stats["evaluations"] += evaluations
        stats["other_documents"] += len(answers) - evaluations
        stats["injected_files"] += bool(spec.injections)
        for key, value in (("by_family", spec.family), ("by_format", fmt), ("by_layout", spec.layout),
                           ("by_issuer", "union" if spec.issuer == "union" else "other department")):
            stats[key][value] = stats[key].get(value, 0) + 1
        for shape in spec.shapes:
            stats["by_shape"][shape] = stats["by_shape"].get(shape, 0) + 1
    stats["unit_dirs"] = sorted(d.name for d in dirs.values())
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
        "other_documents": sum(r["other_documents"] for r in results),
        "injected_files": sum(r["injected_files"] for r in results),
        **{key: _merge(r[key] for r in results) for key in ("by_family", "by_format", "by_layout", "by_shape", "by_issuer")},
        "unit_dirs": sorted(d for r in results for d in r["unit_dirs"]),
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
