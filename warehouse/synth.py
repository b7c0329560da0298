"""A national-scale warehouse for development, in a minute or two: synthetic rows written straight
into the warehouse tables, without report files or parsers.

    python -m warehouse synth --db data/bench/synth-national.duckdb            # 2,847 units × 8 years
    python -m warehouse synth --db /tmp/w.duckdb --units 300 --years 2020-2024  # smaller
    (or python -m warehouse.synth --out FILE …; the file is replaced)

Then point the dashboard or a benchmark at it: `WAREHOUSE_PATH=FILE make serve`, or time views and
queries on it with bench.views(Path(FILE)) / bench.pages(Path(FILE), workdir).

What it is for: measuring views and dashboard queries at the scale of DESIGN.md's goals (≈137k
reports, ≈5M indicator rows) while the real pipeline (`python -m loaders.demo` + `python -m
loaders load`) would take much longer. What it is not: a test of extraction. The text columns are
plausible but repetitive, source_line holds only a few lines per file, and numbers agree with each
other the way clean reports do (leaf scores add up to the total, rates are recomputable) apart from
a few deliberate disagreements.

Every row is `is_demo = true`. The distributions follow loaders/demo/world.py (the demo corpus):
real county-level places from the region table; per unit and year one department-wide evaluation
(30% external: third party or finance bureau, half of those with a self-evaluation beside it) and
4–6 project self-evaluations from the unit's portfolio (same projects year after year, so trends
and previous years exist); self-evaluation totals mostly 90–100, external ones ~84; budget execution
around 100% with some overspend and under-execution; procurement execution spread widely with a
tail near 0; satisfaction mostly 85–100; quality flags in the mix the demo corpus shows; ~1% of
evaluations superseded by a second revision.

The file is written like a load (warehouse.connect.staged_copy: built aside, swapped in
atomically), gets one load_run row and the region reference, and ends with the same
warehouse.load.finish_load step a real load ends with (the summaries the views read), so the
result is what the dashboard would see. Deterministic for a seed and DuckDB version (random
numbers come from numpy's seeded generator and DuckDB's hash()).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from warehouse import registry
from warehouse.connect import staged_copy, writer_lock

YEARS = (2017, 2024)
SEED = 7

# Quality flags: (code, share of evaluations carrying it), about the mix of the 1k demo corpus.
FLAG_MIX = (
    ("region_inferred", 0.60), ("template_labels", 0.55), ("unit_mismatch_narrative", 0.33),
    ("layout_artifact", 0.27), ("no_scores", 0.01), ("heading_mixed_terms", 0.07), ("weight_shared", 0.02),
    ("title_content_mismatch", 0.045), ("same_name_different_formula", 0.035), ("weight_redistributed", 0.027),
    ("rate_recompute_mismatch", 0.03), ("sum_mismatch", 0.02), ("overspend_unexplained", 0.02),
    ("grade_band_mismatch", 0.01), ("empty_indicator_scored", 0.008), ("headcount_mismatch", 0.006),
    ("score_exceeds_weight", 0.006), ("period_partial", 0.005), ("rule_violated_full_score", 0.004),
    ("total_sum_mismatch", 0.004), ("children_sum_mismatch", 0.004), ("full_score_target_missed", 0.002),
)
FIRMS = ("江西正信会计师事务所", "中审华会计师事务所", "大信会计师事务所", "立信会计师事务所", "中兴财光华会计师事务所",
         "天健会计师事务所", "北京中天恒管理咨询有限公司", "华夏绩效评价研究院")
DEPT_GROUPS = (("职工", "基层工会职工", "部门职工"), ("社会公众或服务对象", "职工"), ("职工",))
PROJECT_GROUPS = ("受助职工", "服务对象", "职工")
PROBLEMS = (
    ("部分指标设置不合理、绩效管理工作待加强", "个别绩效指标未细化量化，难以衡量项目实施效果"),
    ("预算编制精准度不高、存在超支现象", "年初预算与实际支出差距较大，部分支出未纳入年初预算"),
    ("政府采购执行率偏低、预算指标完成待提高", "政府采购预算执行进度偏慢，部分采购项目未实施"),
    ("部分项目推进效率缓慢", "项目实施进度滞后于计划，资金支付集中在年末"),
    ("资产管理有待规范", "固定资产账实不符，资产登记不及时"),
)
RECOMMENDATIONS = (
    ("提高绩效管理意识，加强绩效目标管理", "科学设置绩效目标，细化量化绩效指标"),
    ("加强预算编制与执行管理，严格控制支出", "提高预算编制的准确性，严格按预算执行"),
    ("细化政府采购预算编制，提高政府采购执行进度", "按计划组织实施政府采购，提高采购执行率"),
    ("推进部门工作实施，加快设施投入使用", "加快项目实施进度，均衡支出"),
    ("规范资产管理", "定期盘点固定资产，及时办理资产登记"),
)

# The department-wide score table: (level-1, dimension, weight, ((level-2, ((level-3, weight, target), …)), …)).
DEPT_FRAME = (
    ("决策", "decision", 20, (
        ("目标设定", (("绩效目标合理性", 3, "合理"), ("绩效指标明确性", 3, "明确"))),
        ("预算配置", (("在职人员控制率", 3, "≤100%"), ("“三公”经费变动率", 3, "≤0"), ("重点支出安排率", 8, "≥90%"))),
    )),
    ("过程", "process", 30, (
        ("预算执行", (("预算完成率", 4, "100%"), ("预算调整率", 3, "≤5%"), ("支付进度率", 3, "≥90%"),
                      ("结转结余率", 3, "≤5%"), ("公用经费控制率", 3, "≤100%"), ("政府采购执行率", 3, "100%"))),
        ("预算管理", (("管理制度健全性", 3, "健全"), ("资金使用合规性", 3, "合规"), ("预决算信息公开性", 3, "公开"))),
        ("资产管理", (("管理制度健全性（资产）", 1, "健全"), ("固定资产利用率", 1, "≥90%"))),
    )),
    ("履职效能", "output", 30, (
        ("部门履职", (("重点工作完成率", 10, "100%"), ("重点工作完成质量", 10, "达标"), ("履职及时性", 10, "及时"))),
    )),
    ("效益", "outcome", 20, (
        ("社会效益", (("职工权益维护成效", 6, "显著"), ("职工服务覆盖面", 4, "≥90%"))),
        ("可持续影响", (("长效管理机制", 4, "健全"),)),
        ("满意度", (("社会公众或服务对象满意度", 6, "≥90%"),)),
    )),
)

OUTPUT_WEIGHT, OUTCOME_WEIGHT = 50, 30


def _frames() -> list[dict[str, Any]]:
    """Every indicator row template: the department frame (frame 0) and one per demo project
    (catalog.PROJECTS, frames 1…), with slot order, level, table, names, weight and target."""
    from loaders.demo import catalog

    rows: list[dict[str, Any]] = []

    def add(frame: int, **r: Any) -> None:
        rows.append({"frame": frame, "slot": sum(1 for x in rows if x["frame"] == frame), **r})

    for l1, dim, w1, groups in DEPT_FRAME:
        add(0, level=1, source_table="score", level1=l1, level2=None, level3=None, dimension=dim, weight=w1,
            target=None, leaf=False)
        for l2, leaves in groups:
            add(0, level=2, source_table="score", level1=l1, level2=l2, level3=None, dimension=dim,
                weight=sum(w for _, w, _ in leaves), target=None, leaf=False)
            for l3, w, target in leaves:
                add(0, level=3, source_table="score", level1=l1, level2=l2, level3=l3,
                    dimension="satisfaction" if l2 == "满意度" else dim, weight=w, target=target, leaf=True)
    for l1, dim, _w1, groups in DEPT_FRAME:  # the department's goals table (年度绩效目标)
        if dim in ("output", "outcome"):
            for l2, leaves in groups:
                for l3, _w, target in leaves:
                    add(0, level=3, source_table="goals", level1=l1, level2=l2, level3=l3, dimension=dim,
                        weight=None, target=target, leaf=False)
    for k, p in enumerate(catalog.PROJECTS, start=1):
        output = [("数量指标", name, f"≥{lo}{unit}") for name, unit, lo, _hi in p.quantity]
        output += [("质量指标", name, "是" if kind == "yes" else "≥95%") for name, kind in p.quality]
        output += [("时效指标", "资金发放及时性", "及时"), ("成本指标", "项目资金支出", "≤预算")]
        outcome = [("社会效益指标", name, {"yes": "是", "pct": "≥90%"}.get(kind, "长期开展")) for name, kind in p.social]
        outcome += [("可持续影响指标", name, "长期开展") for name in p.sustain]
        add(k, level=1, source_table="score", level1="预算执行率", level2=None, level3=None, dimension="process",
            weight=10, target="100%", leaf=True)
        for l1, dim, total, items in (("产出指标", "output", OUTPUT_WEIGHT, output),
                                      ("效益指标", "outcome", OUTCOME_WEIGHT, outcome)):
            share = [total // len(items)] * len(items)
            share[0] += total - sum(share)
            add(k, level=1, source_table="score", level1=l1, level2=None, level3=None, dimension=dim, weight=total,
                target=None, leaf=False)
            for l2 in dict.fromkeys(i[0] for i in items):
                add(k, level=2, source_table="score", level1=l1, level2=l2, level3=None, dimension=dim,
                    weight=sum(w for (g, _, _), w in zip(items, share) if g == l2), target=None, leaf=False)
                for (g, name, target), w in zip(items, share):
                    if g == l2:
                        add(k, level=3, source_table="score", level1=l1, level2=l2, level3=name, dimension=dim,
                            weight=w, target=target, leaf=True)
        add(k, level=1, source_table="score", level1="满意度指标", level2=None, level3=None, dimension="satisfaction",
            weight=10, target=None, leaf=False)
        add(k, level=2, source_table="score", level1="满意度指标", level2="服务对象满意度指标", level3=None,
            dimension="satisfaction", weight=10, target=None, leaf=False)
        add(k, level=3, source_table="score", level1="满意度指标", level2="服务对象满意度指标", level3="服务对象满意度",
            dimension="satisfaction", weight=10, target="≥90%", leaf=True)
        for l1, dim, total, items in (("产出指标", "output", OUTPUT_WEIGHT, output),  # the score summary table
                                      ("效益指标", "outcome", OUTCOME_WEIGHT, outcome)):
            share = [total // len(items)] * len(items)
            share[0] += total - sum(share)
            for l2 in dict.fromkeys(i[0] for i in items):
                add(k, level=2, source_table="summary", level1=l1, level2=l2, level3=None, dimension=dim,
                    weight=sum(w for (g, _, _), w in zip(items, share) if g == l2), target=None, leaf=False)
        for l1, items in (("产出指标", output), ("效益指标", outcome)):  # the goals table (年度绩效目标)
            for g, name, target in items:
                add(k, level=3, source_table="goals", level1=l1, level2=g, level3=name,
                    dimension="output" if l1 == "产出指标" else "outcome", weight=None, target=target, leaf=False)
    return rows


def _plan(units: int, years: tuple[int, int], seed: int) -> dict[str, list]:
    """Units, source files and evaluations (one dict of column lists each), drawn with numpy."""
    from loaders.demo import catalog
    from loaders.demo.world import select_places
    from warehouse.load import evaluation_key, subject_key, unit_key

    places = select_places(units, seed, *years)
    if len(places) < units:
        print(f"只有 {len(places)} 个县级区划在 {years[0]}–{years[1]} 年间一直有效，按此生成 "
              f"(only {len(places)} places valid through the years)", file=sys.stderr)
    rng = np.random.default_rng(seed)
    n_years = years[1] - years[0] + 1
    n = len(places)
    base_wan = np.exp(rng.normal(np.log(380), 0.6, n))
    exec_bias = rng.normal(0, 2.5, n)
    proc_low = rng.choice([0.05, 0.1, 0.2, 0.45], n)
    auth = np.clip(np.round(rng.normal(12, 5, n)), 4, 40).astype(int)
    grid_style = rng.random(n) < 0.18
    level = np.zeros((n, n_years))
    lv = rng.normal(0, 1, n)
    budget = np.zeros((n, n_years))
    b = base_wan.copy()
    for y in range(n_years):
        lv = 0.75 * lv + np.sqrt(1 - 0.75**2) * rng.normal(0, 1, n)
        level[:, y] = lv
        b = b * (1 + rng.normal(0.03, 0.06, n))
        budget[:, y] = b
    project_keys = list(range(1, len(catalog.PROJECTS) + 1))

    unit_cols: dict[str, list] = {c: [] for c in ("unit_id", "unit_key", "unit_name", "province", "city", "county",
                                                  "admin_code", "geo_method", "is_demo", "first_load_run_id")}
    file_cols: dict[str, list] = {c: [] for c in ("sha256", "file_id", "path", "file_name", "format", "family",
                                                  "encoding", "size_bytes", "line_count", "is_demo", "status",
                                                  "evaluation_count", "first_load_run_id", "last_load_run_id")}
    ev_cols: dict[str, list] = {c: [] for c in (
        "evaluation_id", "sha256", "file_id", "evaluation_no", "unit_id", "unit_name_raw", "unit_line", "fiscal_year",
        "report_kind", "report_kind_declared", "project_name", "evaluation_mode", "evaluator", "report_date",
        "framework", "confidence", "is_demo", "subject_key", "evaluation_key", "revision", "is_current",
        "load_run_id", "frame", "target_total", "level", "exec_pct", "proc_pct", "budget_wan", "auth",
        "has_procurement", "has_three_public", "states_satisfaction", "grid")}
    next_eval = 1

    def add_file(path: str, family: str, n_evals: int) -> tuple[str, int]:
        sha = hashlib.sha256(path.encode()).hexdigest()
        fid = len(file_cols["sha256"]) + 1
        for c, v in (("sha256", sha), ("file_id", fid), ("path", path), ("file_name", path.rsplit("/", 1)[-1]),
                     ("format", "txt"), ("family", family), ("encoding", "utf-8"),
                     ("size_bytes", 6000 + 900 * n_evals), ("line_count", 6), ("is_demo", True), ("status", "ok"),
                     ("evaluation_count", n_evals), ("first_load_run_id", 1), ("last_load_run_id", 1)):
            file_cols[c].append(v)
        return sha, fid

    for u, place in enumerate(places):
        uid = u + 1
        unit = {"unit_name": place.unit_name, "province": place.province, "city": place.city,
                "county": place.county, "admin_code": place.admin_code, "geo_method": "explicit"}
        ukey = unit_key(unit, True, "")
        for c, v in {**unit, "unit_id": uid, "unit_key": ukey, "is_demo": True, "first_load_run_id": 1}.items():
            unit_cols[c].append(v)
        portfolio = list(rng.choice(project_keys, size=int(rng.integers(6, 9)), replace=False))
        folder = f"synth/{place.admin_code}_{place.unit_name}"
        for y in range(n_years):
            year = years[0] + y
            lvl = float(level[u, y])
            exec_pct = 100 + exec_bias[u] + rng.normal(0, 3.5)
            if rng.random() < 0.12:
                exec_pct -= rng.uniform(5, 20)
            exec_pct = float(np.clip(exec_pct, 72, 110.5))
            specs: list[dict[str, Any]] = []  # one per evaluation: kind, mode, project, frame, target
            r = rng.random()
            external = "finance" if r < 0.06 else "third_party" if r < 0.30 else None
            if external is None or rng.random() < 0.5:
                specs.append({"kind": "department_overall", "mode": "self", "project": None, "frame": 0,
                              "target": float(np.clip(94.8 + 2.4 * lvl + rng.normal(0, 1.3), 76, 100))})
            if external:
                specs.append({"kind": "department_overall", "mode": external, "project": None, "frame": 0,
                              "target": float(np.clip(84.0 + 3.6 * lvl + rng.normal(0, 2.4), 68, 95))})
            n_projects = int(rng.choice([4, 5, 5, 5, 6]))
            for key in rng.choice(portfolio, size=min(n_projects, len(portfolio)), replace=False):
                mode = "department" if rng.random() < 0.03 else "self"
                base = 97.5 if mode == "self" else 86.0
                specs.append({"kind": "project", "mode": mode, "project": catalog.PROJECTS[key - 1].name,
                              "frame": int(key),
                              "target": float(np.clip(base + 1.0 * lvl + rng.normal(0, 1.8), 70, 100))})
            # Files: each department-wide evaluation alone; projects in files of 1–3.
            groups: list[list[dict[str, Any]]] = [[s] for s in specs if s["kind"] == "department_overall"]
            projects = [s for s in specs if s["kind"] == "project"]
            i = 0
            while i < len(projects):
                size = int(rng.choice([1, 1, 2, 2, 3])) if not grid_style[u] else 1
                groups.append(projects[i:i + size])
                i += size
            for seq, group in enumerate(groups, start=1):
                first = group[0]
                if first["kind"] == "department_overall":
                    family = "yueyang_dept_self" if first["mode"] == "self" else "third_party_dept"
                else:
                    family = "indicator_grid" if grid_style[u] else "national_project_form"
                sha, fid = add_file(f"{folder}/{year}_{seq:02d}_{family}.txt", family, len(group))
                for no, s in enumerate(group):
                    self_dept = s["kind"] == "department_overall" and s["mode"] == "self"
                    if s["kind"] == "project":
                        framework = None if grid_style[u] else "national_project_self_2020"
                    elif self_dept:
                        framework = "hunan_yueyang_dept_overall"
                    else:
                        framework = f"jiangxi_dept_overall_{2017 if year < 2020 else 2020 if year < 2024 else 2024}"
                    evaluator = (place.unit_name if s["mode"] == "self" and s["kind"] == "project"
                                 else "部门（单位）评价组" if s["mode"] == "self"
                                 else f"{place.county}财政局" if s["mode"] == "finance"
                                 else f"{place.county}人民政府" if s["mode"] == "department"
                                 else FIRMS[int(rng.integers(len(FIRMS)))])
                    head = {"report_kind": s["kind"], "project_name": s["project"], "fiscal_year": year,
                            "evaluation_mode": s["mode"]}
                    skey = subject_key(ukey, head)
                    values = {
                        "evaluation_id": next_eval, "sha256": sha, "file_id": fid, "evaluation_no": no,
                        "unit_id": uid, "unit_name_raw": place.unit_name, "unit_line": 2, "fiscal_year": year,
                        "report_kind": s["kind"], "report_kind_declared": s["kind"], "project_name": s["project"],
                        "evaluation_mode": s["mode"], "evaluator": evaluator,
                        "report_date": f"{year + 1}-0{int(rng.integers(3, 10))}" if s["mode"] != "self" else None,
                        "framework": framework, "confidence": "high", "is_demo": True, "subject_key": skey,
                        "evaluation_key": evaluation_key(skey, head), "revision": 1, "is_current": True,
                        "load_run_id": 1, "frame": s["frame"], "target_total": s["target"], "level": lvl,
                        "exec_pct": exec_pct if s["kind"] == "department_overall"
                        else float(np.clip(rng.normal(97, 6), 55, 105)),
                        "proc_pct": (float(rng.uniform(0.02, 12)) if rng.random() < proc_low[u]
                                     else float(np.clip(rng.normal(88, 14), 25, 100))),
                        "budget_wan": float(budget[u, y]) if s["kind"] == "department_overall"
                        else float(rng.uniform(5, 200)),
                        "auth": int(auth[u]),
                        "has_procurement": bool(s["kind"] == "department_overall" and rng.random() < 0.6),
                        "has_three_public": bool(s["kind"] == "department_overall" and rng.random() < 0.5),
                        "states_satisfaction": bool(s["kind"] == "department_overall" and rng.random() < 0.4),
                        "grid": bool(grid_style[u]),
                    }
                    for c, v in values.items():
                        ev_cols[c].append(v)
                    next_eval += 1
    return {"unit": unit_cols, "source_file": file_cols, "evaluation": ev_cols}


def _frame(cols: dict[str, list], schema: dict | None = None):
    import polars as pl

    return pl.DataFrame(cols, schema=schema, strict=False)


# Uniform [0, 1) from DuckDB's hash of a salt and row keys: deterministic, vectorised.
def _u(salt: str, *keys: str) -> str:
    return f"(hash('{salt}', {', '.join(keys)}) % 1000000007) / 1000000007.0"


def synthesize(db: str | Path, units: int = 2847, years: tuple[int, int] = YEARS, seed: int = SEED,
               quiet: bool = False) -> dict[str, Any]:
    """Replace the warehouse at `db` with a synthetic one; returns row counts and seconds."""
    from warehouse.load import finish_load, refresh_regions

    t0 = time.perf_counter()
    started = datetime.now()
    db = Path(db)

    def say(msg: str) -> None:
        if not quiet:
            print(f"[{time.perf_counter() - t0:5.1f}s] {msg}", file=sys.stderr, flush=True)

    plan = _plan(units, years, seed)
    say(f"plan: {len(plan['evaluation']['evaluation_id']):,} evaluations")
    with writer_lock(db, quiet=quiet):
        db.unlink(missing_ok=True)
        Path(str(db) + ".wal").unlink(missing_ok=True)
        with staged_copy(db) as staged:
            con = staged.con
            registry.apply_schema(con)
            _fill(con, plan, seed, say)
            refresh_regions(con, None)
            say("base tables written")
            finish_load(con)
            say("summaries built")
            n = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("source_file", "evaluation", "indicator", "quality_flag", "source_line")}
            con.execute(
                """INSERT INTO load_run VALUES (1, ?, ?, ['warehouse.synth'], 1, ?, ?, 0, 0, 0, 0, ?, ?, ?, ?,
                   '[]', ?, ?)""",
                [started, datetime.now(), n["source_file"], n["source_file"], n["evaluation"], n["indicator"],
                 n["quality_flag"], n["source_line"], registry.SCHEMA_SHA256, _region_sha()],
            )
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in registry.TABLES}
    say(f"written to {db}")
    return {"db": str(db), "rows": counts, "seconds": time.perf_counter() - t0}


def _region_sha() -> str | None:
    from warehouse.load.regions import _region_rows, region_fingerprint

    return region_fingerprint(_region_rows())


def _fill(con, plan: dict[str, dict[str, list]], seed: int, say) -> None:
    import polars as pl

    con.register("_units", _frame(plan["unit"]))
    con.execute("INSERT INTO unit BY NAME SELECT * FROM _units")
    con.register("_files", _frame(plan["source_file"]))
    con.execute("INSERT INTO source_file BY NAME SELECT * FROM _files")
    con.register("_plan", _frame(plan["evaluation"]))
    con.execute("CREATE TEMP TABLE _ev AS SELECT * FROM _plan")
    con.register("_frames", pl.DataFrame(_frames()))
    con.execute("CREATE TEMP TABLE _fr AS SELECT * FROM _frames")
    s = str(int(seed))

    # Indicators: the frame rows of each evaluation. A leaf loses points with a probability that
    # makes the expected total the evaluation's target; parents carry the sums of their leaves.
    con.execute(f"""
        CREATE TEMP TABLE _ind AS
        WITH rows AS (
            SELECT e.evaluation_id, e.target_total, e.exec_pct, e.grid, f.*,
                   {_u(s + 'loss', 'e.evaluation_id', 'f.slot')} AS u1,
                   {_u(s + 'rate', 'e.evaluation_id', 'f.slot')} AS u2
            FROM _ev AS e JOIN _fr AS f ON f.frame = e.frame
            WHERE NOT (e.grid AND f.source_table = 'goals')
        ),
        scored AS (
            SELECT *,
                   CASE WHEN NOT leaf THEN NULL
                        WHEN level1 = '预算执行率' THEN round(weight * least(exec_pct, 100) / 100, 2)
                        WHEN u1 < least(0.95, (100 - target_total) / 100 / 0.375) THEN round(weight * (0.3 + 0.65 * u2), 2)
                        ELSE weight END AS leaf_score
            FROM rows
        )
        SELECT *,
               CASE WHEN leaf THEN leaf_score
                    WHEN source_table = 'goals' THEN NULL
                    WHEN level = 1 THEN sum(leaf_score) OVER (PARTITION BY evaluation_id, level1)
                    ELSE sum(leaf_score) OVER (PARTITION BY evaluation_id, level1, level2) END AS score_value
        FROM scored
    """)
    say("indicator rows drawn")
    con.execute("""
        INSERT INTO indicator (evaluation_id, indicator_no, source_table, level, level1, level2, level3, dimension,
                               weight, score, target_raw, actual_raw, met, note, line, is_leaf, weight_shared, is_demo)
        SELECT evaluation_id, slot, source_table, level, level1, level2, level3, dimension,
               CAST(weight AS DECIMAL(9,4)), CAST(score_value AS DECIMAL(9,4)), target,
               CASE WHEN level1 = '预算执行率' THEN printf('%.2f%%', exec_pct)
                    WHEN target IS NULL OR source_table = 'goals' THEN NULL
                    WHEN leaf_score < weight THEN CASE WHEN target LIKE '%\\%' ESCAPE '\\' THEN printf('%.1f%%', 60 + 35 * u2)
                                                       ELSE '部分完成' END
                    ELSE replace(replace(target, '≥', ''), '≤', '') END,
               CASE WHEN leaf THEN leaf_score >= weight END,
               CASE WHEN leaf AND leaf_score < weight
                    THEN printf('%s未完全达到目标，扣%.2f分。', coalesce(level3, level1), weight - leaf_score) END,
               40 + slot, leaf, false, true
        FROM _ind ORDER BY evaluation_id, slot
    """)
    con.execute("""
        INSERT INTO dimension_score
        SELECT evaluation_id, coalesce(dimension, 'unclassified'), count(*), sum(weight), sum(score), true
        FROM indicator WHERE is_leaf GROUP BY ALL ORDER BY evaluation_id
    """)
    say("indicators written")

    # Totals: the sum of the leaves (project grids state no total: no_scores), a few off by a little.
    con.execute(f"""
        CREATE TEMP TABLE _tot AS
        SELECT e.evaluation_id,
               CASE WHEN e.grid THEN NULL
                    WHEN {_u(s + 'off', 'e.evaluation_id')} < 0.004 THEN round(d.total - 0.5, 2)
                    ELSE d.total END AS total_score
        FROM _ev AS e
        LEFT JOIN (SELECT evaluation_id, sum(score) AS total FROM dimension_score GROUP BY ALL) AS d USING (evaluation_id)
    """)

    # Metrics, wide then unpivoted (NULL = not stated, never 0).
    con.execute(f"""
        CREATE TEMP TABLE _mw AS
        WITH b AS (
            SELECT e.*,
                   round(budget_wan * 10000, 2) AS initial,
                   round(budget_wan * 10000 * (1 + 0.08 * {_u(s + 'adj', 'evaluation_id')}), 2) AS adjusted,
                   {_u(s + 'pb', 'evaluation_id')} AS u_pb, {_u(s + 'tp', 'evaluation_id')} AS u_tp,
                   {_u(s + 'st', 'evaluation_id')} AS u_st, {_u(s + 'sp', 'evaluation_id')} AS u_sp
            FROM _ev AS e
        )
        SELECT evaluation_id, report_kind = 'department_overall' AS dept,
               initial AS budget_initial_yuan,
               adjusted AS budget_adjusted_yuan,
               round(adjusted * exec_pct / 100, 2) AS expenditure_yuan,
               CASE WHEN u_st < 0.03 THEN round(exec_pct + 1.5, 2) ELSE round(exec_pct, 2) END AS budget_exec_pct,
               CASE WHEN report_kind = 'project' THEN adjusted END AS funds_current_approp_yuan,
               CASE WHEN report_kind = 'department_overall' THEN round(adjusted * 1.02, 2) END AS revenue_total_yuan,
               CASE WHEN report_kind = 'department_overall' THEN round(adjusted * exec_pct / 100 * 0.62, 2) END AS exp_basic_yuan,
               CASE WHEN report_kind = 'department_overall' THEN round(adjusted * exec_pct / 100 * 0.50, 2) END AS exp_personnel_yuan,
               CASE WHEN report_kind = 'department_overall' THEN round(adjusted * exec_pct / 100 * 0.12, 2) END AS exp_public_operating_yuan,
               CASE WHEN report_kind = 'department_overall' THEN round(adjusted * exec_pct / 100 * 0.38, 2) END AS exp_project_yuan,
               CASE WHEN has_procurement THEN round(adjusted * (0.05 + 0.2 * u_pb), 2) END AS procurement_budget_yuan,
               CASE WHEN has_procurement THEN round(adjusted * (0.05 + 0.2 * u_pb) * proc_pct / 100, 2) END AS procurement_actual_yuan,
               CASE WHEN has_procurement THEN round(proc_pct, 2) END AS procurement_exec_pct,
               CASE WHEN has_three_public THEN round(20000 + 150000 * u_tp, 2) END AS three_public_budget_yuan,
               CASE WHEN has_three_public THEN round((20000 + 150000 * u_tp) * (0.45 + 0.62 * u_sp), 2) END AS three_public_actual_yuan,
               CASE WHEN has_three_public THEN round(100 * (0.45 + 0.62 * u_sp), 2) END AS three_public_control_pct,
               CASE WHEN report_kind = 'department_overall' THEN auth END AS headcount_authorised,
               CASE WHEN report_kind = 'department_overall' THEN auth - CAST(floor(3 * u_sp) AS INTEGER) END AS headcount_actual,
               CASE WHEN report_kind = 'department_overall' THEN round(initial * 0.4, 2) END AS fixed_assets_yuan,
               CASE WHEN states_satisfaction THEN round(least(100, greatest(72, 93 + 3 * level + 6 * (u_st - 0.5))), 0) END
                   AS satisfaction_pct
        FROM b
    """)
    con.execute("""
        INSERT INTO metric (evaluation_id, metric, value, unit, raw, line, note, is_demo)
        SELECT evaluation_id, metric, CAST(value AS DECIMAL(18,4)),
               CASE WHEN metric LIKE '%_pct' THEN 'pct' WHEN metric LIKE 'headcount%' THEN 'person' ELSE 'yuan' END,
               CASE WHEN metric LIKE '%_pct' THEN printf('%.2f%%', value)
                    WHEN metric LIKE 'headcount%' THEN printf('%d人', CAST(value AS INTEGER))
                    ELSE printf('%.4f 万元', value / 10000) END,
               10 + row_number() OVER (PARTITION BY evaluation_id ORDER BY metric), NULL, true
        FROM (UNPIVOT (SELECT * EXCLUDE (dept) FROM _mw) ON COLUMNS(* EXCLUDE (evaluation_id))
              INTO NAME metric VALUE value)
        ORDER BY evaluation_id, metric
    """)
    say("metrics written")

    # Satisfaction: department-wide evaluations ask 1–3 groups, projects one.
    groups = [{"frame_kind": 0, "variant": v, "no": i, "grp": g}
              for v, gs in enumerate(DEPT_GROUPS) for i, g in enumerate(gs)]
    groups += [{"frame_kind": 1, "variant": v, "no": 0, "grp": g} for v, g in enumerate(PROJECT_GROUPS)]
    con.register("_groups", pl.DataFrame(groups))
    con.execute(f"""
        INSERT INTO satisfaction
        WITH picks AS (
            SELECT e.evaluation_id, e.level, e.frame, e.grid,
                   CAST(floor({_u(s + 'grp', 'e.evaluation_id')} * 3) AS INTEGER) AS variant
            FROM _ev AS e
        ),
        rows AS (
            SELECT p.evaluation_id, g.no, g.grp, p.frame,
                   least(100, greatest(72, round(93 + 3 * p.level + 8 * ({_u(s + 'sat', 'p.evaluation_id', 'g.no')} - 0.55), 1)))
                       AS pct
            FROM picks AS p JOIN _groups AS g ON g.frame_kind = least(p.frame, 1) AND g.variant = p.variant
            WHERE NOT p.grid
        )
        SELECT evaluation_id, no, grp, CAST(pct AS DECIMAL(9,4)),
               CAST(CASE WHEN frame > 0 THEN 10 END AS DECIMAL(9,4)),
               CAST(CASE WHEN frame > 0 THEN round(10 * pct / 100, 2) END AS DECIMAL(9,4)),
               printf('%s满意度为%.1f%%', grp, pct), 80 + no, true
        FROM rows ORDER BY evaluation_id, no
    """)

    # Findings: department-wide evaluations state problems and recommendations, projects a few.
    findings = [{"k": k, "kind": kind, "category": c, "text": t}
                for kind, items in (("problem", PROBLEMS), ("recommendation", RECOMMENDATIONS))
                for k, (c, t) in enumerate(items)]
    con.register("_findings", pl.DataFrame(findings))
    con.execute(f"""
        INSERT INTO finding
        SELECT evaluation_id, row_number() OVER (PARTITION BY evaluation_id ORDER BY kind DESC, k) - 1,
               kind, category, text, 200 + k, true
        FROM (
            SELECT e.evaluation_id, f.*
            FROM _ev AS e JOIN _findings AS f
              ON {_u(s + 'find', 'e.evaluation_id', 'f.k')} < CASE WHEN e.frame = 0 THEN 0.6 ELSE 0.12 END
        )
        ORDER BY evaluation_id
    """)

    # Quality flags in the demo corpus's mix; severities from the registry.
    from loaders.checks import FLAG_CODES

    flags = [{"code": c, "share": p, "severity": FLAG_CODES[c][0], "message": FLAG_CODES[c][1], "k": i}
             for i, (c, p) in enumerate(FLAG_MIX) if c in FLAG_CODES]
    con.register("_flags", pl.DataFrame(flags))
    con.execute(f"""
        CREATE TEMP TABLE _fl AS
        SELECT e.evaluation_id, f.code, f.severity, f.message || '（合成数据）' AS message, f.k
        FROM _ev AS e JOIN _flags AS f ON {_u(s + 'flag', 'e.evaluation_id', 'f.k')} < f.share
        UNION ALL
        SELECT evaluation_id, 'no_scores', 'info', '报告没有分值、得分和等次（总分与等次留空，不是0）（合成数据）', 99
        FROM _ev WHERE grid
    """)
    con.execute("""
        INSERT INTO quality_flag
        SELECT evaluation_id, row_number() OVER (PARTITION BY evaluation_id ORDER BY k) - 1, code, severity, message,
               CASE WHEN k < 99 THEN 5 + k END, true
        FROM _fl ORDER BY evaluation_id
    """)
    say("satisfaction, findings and flags written")

    # Evaluations, with the counts the loader derives.
    con.execute("""
        INSERT INTO evaluation BY NAME
        WITH counts AS (
            SELECT evaluation_id, 'metric' AS t, count(*) AS n FROM metric GROUP BY ALL
            UNION ALL SELECT evaluation_id, 'indicator', count(*) FROM indicator GROUP BY ALL
            UNION ALL SELECT evaluation_id, 'satisfaction', count(*) FROM satisfaction GROUP BY ALL
            UNION ALL SELECT evaluation_id, 'finding', count(*) FROM finding GROUP BY ALL
            UNION ALL SELECT evaluation_id, 'flag', count(*) FROM quality_flag GROUP BY ALL
            UNION ALL SELECT evaluation_id, 'error_flag', count(*) FROM quality_flag WHERE severity = 'error' GROUP BY ALL
        ),
        wide AS (PIVOT counts ON t IN ('metric', 'indicator', 'satisfaction', 'finding', 'flag', 'error_flag')
                 USING sum(n) GROUP BY evaluation_id)
        SELECT e.* EXCLUDE (frame, target_total, level, exec_pct, proc_pct, budget_wan, auth, has_procurement,
                            has_three_public, states_satisfaction, grid),
               CAST(t.total_score AS DECIMAL(9,4)) AS total_score,
               CASE WHEN t.total_score >= 90 THEN '优' WHEN t.total_score >= 80 THEN '良'
                    WHEN t.total_score >= 60 THEN '中' WHEN t.total_score IS NOT NULL THEN '差' END AS grade,
               CASE WHEN t.total_score >= 90 THEN '优秀' WHEN t.total_score >= 80 THEN '良好'
                    WHEN t.total_score >= 60 THEN '中' WHEN t.total_score IS NOT NULL THEN '差' END AS grade_raw,
               coalesce(w.metric, 0) AS metric_count, coalesce(w.indicator, 0) AS indicator_count,
               coalesce(w.satisfaction, 0) AS satisfaction_count, coalesce(w.finding, 0) AS finding_count,
               coalesce(w.flag, 0) AS flag_count, coalesce(w.error_flag, 0) AS error_flag_count
        FROM _ev AS e JOIN _tot AS t USING (evaluation_id) LEFT JOIN wide AS w USING (evaluation_id)
        ORDER BY e.evaluation_id
    """)
    say("evaluations written")

    # About 1% of evaluations were loaded twice: an earlier revision (its own file, a few metrics)
    # that the current one superseded.
    con.execute(f"""
        CREATE TEMP TABLE _old AS
        SELECT e.*, row_number() OVER (ORDER BY e.evaluation_id) AS k
        FROM evaluation AS e WHERE {_u(s + 'rev', 'e.evaluation_id')} < 0.01
    """)
    con.execute("UPDATE evaluation SET revision = 2 WHERE evaluation_id IN (SELECT evaluation_id FROM _old)")
    first_file = con.execute("SELECT max(file_id) FROM source_file").fetchone()[0]
    first_eval = con.execute("SELECT max(evaluation_id) FROM evaluation").fetchone()[0]
    con.execute(f"""
        INSERT INTO source_file BY NAME
        SELECT sha256(f.path || '#rev1#' || o.evaluation_no) AS sha256, {first_file} + o.k AS file_id,
               replace(f.path, '.txt', '_初稿' || o.evaluation_no || '.txt') AS path,
               replace(f.file_name, '.txt', '_初稿' || o.evaluation_no || '.txt') AS file_name,
               f.format, f.family, f.encoding, f.size_bytes, f.line_count, true AS is_demo, 'ok' AS status,
               1 AS evaluation_count, 1 AS first_load_run_id, 1 AS last_load_run_id
        FROM _old AS o JOIN source_file AS f USING (sha256)
    """)
    con.execute(f"""
        INSERT INTO evaluation BY NAME
        SELECT o.* EXCLUDE (k, evaluation_id, sha256, file_id, evaluation_no, revision, is_current, total_score,
                            metric_count, indicator_count, satisfaction_count, finding_count, flag_count,
                            error_flag_count),
               {first_eval} + o.k AS evaluation_id, sha256(f.path || '#rev1#' || o.evaluation_no) AS sha256,
               {first_file} + o.k AS file_id, 0 AS evaluation_no, 1 AS revision, false AS is_current,
               CAST(least(100, o.total_score + 2) AS DECIMAL(9,4)) AS total_score,
               2 AS metric_count, 0 AS indicator_count, 0 AS satisfaction_count, 0 AS finding_count,
               0 AS flag_count, 0 AS error_flag_count
        FROM _old AS o JOIN source_file AS f USING (sha256)
    """)
    con.execute(f"""
        INSERT INTO metric
        SELECT {first_eval} + o.k, m.metric, m.value * 0.98, m.unit, m.raw, m.line, m.note, true
        FROM _old AS o JOIN metric AS m USING (evaluation_id)
        WHERE m.metric IN ('budget_adjusted_yuan', 'expenditure_yuan')
    """)

    _final_accounts(con, s)
    say("final accounts documents written")

    # A few lines of text per file (sparse: enough for the report page to show something).
    con.execute("""
        INSERT INTO source_text (file_id, text, is_demo)
        SELECT f.file_id,
               concat_ws(chr(10),
                   replace(f.file_name, '.txt', '') || '（合成数据）',
                   coalesce(u.unit_name, ''),
                   '评价年度：' || coalesce(CAST(e.fiscal_year AS VARCHAR), ''),
                   '总分：' || coalesce(CAST(e.total_score AS VARCHAR), '——'),
                   '等次：' || coalesce(e.grade_raw, '——'),
                   '本文件由 warehouse.synth 生成，仅供开发与性能测试。'),
               true
        FROM source_file AS f
        JOIN evaluation AS e ON e.sha256 = f.sha256 AND e.evaluation_no = 0
        LEFT JOIN unit AS u USING (unit_id)
        ORDER BY f.file_id
    """)
    for t in ("_ev", "_fr", "_ind", "_tot", "_mw", "_fl", "_old"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    for v in ("_units", "_files", "_plan", "_frames", "_groups", "_findings", "_flags"):
        con.unregister(v)


def _final_accounts(con, s: str) -> None:
    """About a quarter of the unit-years also published their 部门决算 (a document that is not an
    evaluation: document_kind = 'final_accounts', no score), stating revenue, expenditure and, for
    some, three-public figures, in its own file; the keys are the loader's (warehouse.load)."""
    first_file = con.execute("SELECT max(file_id) FROM source_file").fetchone()[0]
    first_eval = con.execute("SELECT max(evaluation_id) FROM evaluation").fetchone()[0]
    con.execute(f"""
        CREATE TEMP TABLE _fa AS
        WITH chosen AS (
            SELECT DISTINCT ON (e.unit_id, e.fiscal_year)
                   e.unit_id, e.fiscal_year, e.unit_name_raw, e.budget_wan, e.exec_pct, e.has_three_public,
                   f.path, u.unit_key
            FROM _ev AS e JOIN source_file AS f USING (sha256) JOIN unit AS u USING (unit_id)
            WHERE e.report_kind = 'department_overall' AND {_u(s + 'fa', 'e.unit_id', 'e.fiscal_year')} < 0.25
            ORDER BY e.unit_id, e.fiscal_year, e.evaluation_id
        )
        SELECT *, row_number() OVER (ORDER BY unit_id, fiscal_year) AS k,
               regexp_replace(path, '[^/]+$', '') || fiscal_year || '_部门决算公开.txt' AS fa_path,
               unit_key || '|department_overall||final_accounts' AS skey
        FROM chosen
    """)
    con.execute(f"""
        INSERT INTO source_file BY NAME
        SELECT sha256(fa_path) AS sha256, {first_file} + k AS file_id, fa_path AS path,
               regexp_extract(fa_path, '[^/]+$') AS file_name, 'txt' AS format, 'general' AS family,
               'utf-8' AS encoding, 4200 AS size_bytes, 6 AS line_count, true AS is_demo, 'ok' AS status,
               1 AS evaluation_count, 1 AS first_load_run_id, 1 AS last_load_run_id
        FROM _fa
    """)
    con.execute(f"""
        INSERT INTO metric
        SELECT {first_eval} + k, metric, CAST(value AS DECIMAL(18,4)), 'yuan', printf('%.2f', value / 10000) || '万元',
               line, NULL, true
        FROM (
            SELECT k, 'revenue_total_yuan' AS metric, round(budget_wan * 10000 * 1.02, 2) AS value, 4 AS line FROM _fa
            UNION ALL
            SELECT k, 'expenditure_yuan', round(budget_wan * 10000 * least(exec_pct, 105) / 100, 2), 5 FROM _fa
            UNION ALL
            SELECT k, 'three_public_budget_yuan', round(budget_wan * 10000 * 0.012, 2), 6 FROM _fa WHERE has_three_public
            UNION ALL
            SELECT k, 'three_public_actual_yuan',
                   round(budget_wan * 10000 * 0.012 * (0.7 + 0.35 * {_u(s + 'fa3', 'k')}), 2), 6
            FROM _fa WHERE has_three_public
        )
        ORDER BY 1, 2
    """)
    con.execute(f"""
        INSERT INTO evaluation BY NAME
        SELECT {first_eval} + k AS evaluation_id, sha256(fa_path) AS sha256, {first_file} + k AS file_id,
               0 AS evaluation_no, unit_id, unit_name_raw, 2 AS unit_line, fiscal_year,
               'final_accounts' AS document_kind, 'department_overall' AS report_kind, 'low' AS confidence,
               true AS is_demo, skey AS subject_key, skey || '|' || fiscal_year || '|' AS evaluation_key,
               1 AS revision, true AS is_current, 1 AS load_run_id,
               CASE WHEN has_three_public THEN 4 ELSE 2 END AS metric_count, 0 AS indicator_count,
               0 AS satisfaction_count, 0 AS finding_count, 0 AS flag_count, 0 AS error_flag_count
        FROM _fa ORDER BY k
    """)
    con.execute("DROP TABLE _fa")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m warehouse.synth", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="warehouse file to (re)write")
    ap.add_argument("--units", type=int, default=2847, help="county-level units (at most the places valid "
                                                            "through every year; 2,847 for 2017–2024)")
    ap.add_argument("--years", default=f"{YEARS[0]}-{YEARS[1]}", help="fiscal years, e.g. 2017-2024")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    first, _, last = args.years.partition("-")
    res = synthesize(args.out, args.units, (int(first), int(last or first)), args.seed, args.quiet)
    print(json.dumps(res, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
