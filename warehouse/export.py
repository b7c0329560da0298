"""Export the warehouse to Parquet for analysts: one folder per table and view, partitioned by
fiscal year where the object has one (`python -m warehouse export DIR`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from warehouse import registry
from warehouse.connect import read_only


def export_parquet(out_dir: str | os.PathLike, db: str | os.PathLike | None = None,
                   only: list[str] | None = None) -> dict[str, int]:
    """Write every registered table and view (or those named in `only`) under `out_dir`. The
    summary tables (mv_*) are left out unless named: their views (v_*) export the same rows.

    Objects with a fiscal_year column become `<out_dir>/<name>/fiscal_year=<year>/*.parquet`
    (hive partitioning, readable with read_parquet('<name>/**/*.parquet', hive_partitioning=true));
    the others become `<out_dir>/<name>.parquet`. An existing export of an object is replaced.
    Returns the row count per object.
    """
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
            columns = {r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()}
            counts[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            target = out / name
            shutil.rmtree(target, ignore_errors=True)
            (out / f"{name}.parquet").unlink(missing_ok=True)
            if "fiscal_year" in columns:
                path = str(target).replace("'", "''")
                con.execute(
                    f"COPY (SELECT * FROM \"{name}\") TO '{path}' "
                    "(FORMAT parquet, PARTITION_BY (fiscal_year), OVERWRITE_OR_IGNORE)"
                )
                if counts[name] == 0:
                    target.mkdir(parents=True, exist_ok=True)
            else:
                path = str(out / f"{name}.parquet").replace("'", "''")
                con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{path}' (FORMAT parquet)")
    finally:
        con.close()
    return counts
