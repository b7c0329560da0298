"""Export the warehouse to Parquet for analysts (`python -m warehouse export DIR`), and the Parquet
lake a cluster load keeps (warehouse/load/lake.py): one layout for both, so DuckDB, Spark or Trino
users read either the same way.

Layout: one folder per table or view. A row that belongs to an evaluation (every view, the
evaluation table and its child tables; a source file by its first evaluation) lies under
`<name>/fiscal_year=<year>/province=<province>/` (hive partitioning; no year or province:
`__HIVE_DEFAULT_PARTITION__`); the others (unit, region, load_run) lie in `<name>/` itself.
Partition values are URL-encoded in the folder names; read with
`read_parquet('<dir>/<name>/**/*.parquet', hive_partitioning = true)` (DuckDB) or any hive-aware
reader, which gives back fiscal_year and province as columns.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from warehouse import registry
from warehouse.connect import read_only

if TYPE_CHECKING:
    import duckdb

PARTITIONS = ("fiscal_year", "province")
# tables of a load run's rows in the lake, and the rows of run {run} in each
RUN_ROWS = {
    "load_run": "load_run_id = {run}",
    "source_file": "last_load_run_id = {run}",
    "source_text": "file_id IN (SELECT file_id FROM source_file WHERE last_load_run_id = {run})",
    "unit": "first_load_run_id = {run}",
    "evaluation": "load_run_id = {run}",
    **{t: "evaluation_id IN (SELECT evaluation_id FROM evaluation WHERE load_run_id = {run})"
       for t in ("metric", "indicator", "satisfaction", "finding", "quality_flag", "dimension_score")},
}


def _columns(con: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    return {r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()}


def partitioned_select(con: duckdb.DuckDBPyConnection, name: str, where: str | None = None) -> tuple[str, bool]:
    """The SELECT that exports `name` (optionally only rows matching `where`, in the object's own
    columns) and whether it is partitioned by fiscal year and province: with the object's own
    fiscal_year and province, those of its evaluation (evaluation_id) or of its file's first
    evaluation (file_id); unit, region and load_run are not partitioned."""
    cols = _columns(con, name)
    filt = f" WHERE {where}" if where else ""
    if set(PARTITIONS) <= cols:
        return f'SELECT * FROM "{name}"{filt}', True
    place = ("SELECT e.evaluation_id, e.file_id, e.evaluation_no, e.fiscal_year, u.province "
             "FROM evaluation AS e LEFT JOIN unit AS u USING (unit_id)")
    if "evaluation_id" in cols and name != "evaluation":
        return (f'SELECT o.*, p.fiscal_year, p.province FROM (SELECT * FROM "{name}"{filt}) AS o '
                f"LEFT JOIN ({place}) AS p USING (evaluation_id)"), True
    if name == "evaluation":
        return (f"SELECT o.*, u.province FROM (SELECT * FROM evaluation{filt}) AS o "
                "LEFT JOIN unit AS u USING (unit_id)"), True
    if "file_id" in cols:
        return (f'SELECT o.*, p.fiscal_year, p.province FROM (SELECT * FROM "{name}"{filt}) AS o '
                f"LEFT JOIN ({place}) AS p ON p.file_id = o.file_id AND p.evaluation_no = 0"), True
    return f'SELECT * FROM "{name}"{filt}', False


def write_object(con: duckdb.DuckDBPyConnection, name: str, target: Path, stem: str,
                 where: str | None = None) -> None:
    """Write `name` (rows matching `where`) under `target` (the object's folder) as files named
    `stem…`: hive partitions by fiscal year and province where partitioned_select says so."""
    select, partitioned = partitioned_select(con, name, where)
    target.mkdir(parents=True, exist_ok=True)
    path = str(target).replace("'", "''")
    if partitioned:
        con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, PARTITION_BY (fiscal_year, province), "
                    f"FILENAME_PATTERN '{stem}{{i}}', OVERWRITE_OR_IGNORE)")
    else:
        con.execute(f"COPY ({select}) TO '{path}/{stem}0.parquet' (FORMAT parquet)")


def export_parquet(out_dir: str | os.PathLike, db: str | os.PathLike | None = None,
                   only: list[str] | None = None) -> dict[str, int]:
    """Write every registered table and view (or those named in `only`) under `out_dir`, in the
    layout of the module docstring. The summary tables (mv_*) are left out unless named: their
    views (v_*) export the same rows. An existing export of an object is replaced. Returns the
    row count per object."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = [o.name for o in registry.OBJECTS]
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            raise ValueError(f"没有这些表或视图 (unknown objects): {', '.join(unknown)}")
        names = [n for n in names if n in only]
    else:
        names = [n for n in names if n not in registry.SUMMARIES]
    con = read_only(db)
    counts: dict[str, int] = {}
    try:
        for name in names:
            counts[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            target = out / name
            shutil.rmtree(target, ignore_errors=True)
            (out / f"{name}.parquet").unlink(missing_ok=True)  # the layout of older exports
            write_object(con, name, target, "data_")
    finally:
        con.close()
    return counts


def export_run(con: duckdb.DuckDBPyConnection, lake: str | os.PathLike, run: int) -> dict[str, int]:
    """Append the rows load run `run` wrote (RUN_ROWS) to the lake at `lake`, in the export
    layout, as files named run<run>-…; files of that run already there (a run whose load did not
    finish) are replaced. Returns the row count per table."""
    lake = Path(lake)
    counts: dict[str, int] = {}
    for name, rows in RUN_ROWS.items():
        where = rows.format(run=int(run))
        stem = f"run{int(run)}-"
        target = lake / name
        for old in target.rglob(f"{stem}*.parquet") if target.exists() else ():
            old.unlink()
        counts[name] = con.execute(f'SELECT count(*) FROM "{name}" WHERE {where}').fetchone()[0]
        if counts[name]:
            write_object(con, name, target, stem, where)
    return counts


def fingerprint(db: str | os.PathLike) -> dict[str, tuple[int, int]]:
    """(row count, checksum) of every table and view, the load log (load_run) left out: two
    warehouses with the same fingerprint hold the same rows and show the same views, whatever
    order the rows were written in. The checksum adds up a hash of each row; DOUBLE columns are
    rounded to 9 significant digits first (a parallel sum may differ in its last bits)."""
    con = read_only(db)
    try:
        out = {}
        for obj in registry.OBJECTS:
            if obj.name == "load_run":
                continue
            cols = con.execute(f'DESCRIBE "{obj.name}"').fetchall()
            parts = [f'round("{c}", 9 - CAST(ceil(log10(abs("{c}") + 1e-300)) AS INTEGER))' if t == "DOUBLE"
                     else f'"{c}"' for c, t, *_ in cols]
            count, total = con.execute(
                f'SELECT count(*), coalesce(sum(hash({", ".join(parts)})), 0) FROM "{obj.name}"').fetchone()
            out[obj.name] = (count, int(total))
        return out
    finally:
        con.close()
