"""The Parquet side of a cluster load (cluster.py).

Each cluster task parses a run of files with the same function as the local pool (parse_chunk)
and writes what it found as a Parquet dataset, partitioned by fiscal year and province like
`python -m warehouse export`, into the load's staging folder (`write_records`): the records keyed
by the file's place in the load (file_index) and the evaluation's place in its file
(evaluation_no), since ids are the warehouse's to give.

The warehouse is then built from that dataset (`LakeFeed.stage`): the single writer (write.py)
reads the files' and evaluations' rows, in file order, and gives ids and revisions exactly as a
local load does; the child tables and the texts go from Parquet into the warehouse in one INSERT
per table, joined to those ids. Once the new warehouse is in place, the rows of the load run are
added to the lake (`<lake>/<table>/fiscal_year=…/province=…/run<N>-….parquet`, export.export_run)
and the staging folder is removed; a load that fails leaves the lake as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warehouse.load.flatten import CHILD_TABLES, EVALUATION_FIELDS, UNIT_FIELDS
from warehouse.load.frames import ArrowStream, staged_frame, table_types, typed_select
from warehouse.load.pool import PARSE_SECONDS, FileOutcome, parse_chunk, read_and_parse

if TYPE_CHECKING:
    import duckdb

    from warehouse.load.summary import LoadSummary
    from warehouse.load.write import Writer

COUNT_FIELDS = ("metric_count", "indicator_count", "satisfaction_count", "finding_count", "flag_count",
                "error_flag_count")
HEAD_FIELDS = EVALUATION_FIELDS + COUNT_FIELDS
FILE_FIELDS = ("path", "sha256", "size_bytes", "status", "error", "format", "family", "encoding", "line_count",
               "is_demo", "messages", "evaluation_count", "has_text")
PLACE = {"file_index": "INTEGER", "evaluation_no": "INTEGER", "fiscal_year": "INTEGER", "province": "VARCHAR"}
BATCH_FILES = 2_000  # files handed to the writer at a time while building


def record_types() -> dict[str, dict[str, str]]:
    """DuckDB types of the record tables a task writes (the warehouse's own column types)."""
    t = table_types()
    file_types = {**t["source_file"], "has_text": "BOOLEAN"}
    return {
        "file": {"file_index": "INTEGER", **{c: file_types[c] for c in FILE_FIELDS}, **_partition()},
        "source_text": {"file_index": "INTEGER", "text": "VARCHAR", "lines": "VARCHAR[]", **_partition()},
        "evaluation": {**PLACE, **{c: t["evaluation"][c] for c in HEAD_FIELDS},
                       **{c: t["unit"][c] for c in UNIT_FIELDS}},
        **{table: {**PLACE, **{c: t[table][c] for c in cols}} for table, cols in CHILD_TABLES.items()},
    }


def _partition() -> dict[str, str]:
    return {"fiscal_year": "INTEGER", "province": "VARCHAR"}


def write_records(jobs: list[tuple[int, str]], task: int, staging: str, seconds: float = PARSE_SECONDS) -> dict[str, int]:
    """A cluster task: parse the files (the local pool's parse_chunk, the production parser) and
    write the records under `staging`, one Parquet file per table and partition, named
    part-<task>-…; returns how many files and evaluations it wrote."""
    import duckdb

    chunk = parse_chunk(jobs, read_and_parse, seconds)
    types = record_types()
    rows: dict[str, dict[str, list]] = {name: {c: [] for c in cols} for name, cols in types.items()}
    places: list[tuple[int, int, Any, Any]] = []  # per evaluation: file_index, evaluation_no, year, province
    for out in chunk.files:
        first = out.evaluations[0] if out.evaluations else None
        year = first["head"]["fiscal_year"] if first else None
        province = first["unit"]["province"] if first else None
        text = out.text if out.text is not None else ("\n".join(out.lines) if out.lines else None)
        listed = out.lines if out.text is None and out.lines else None
        _add(rows["file"], file_index=out.index, path=out.path, sha256=out.sha256, size_bytes=out.size_bytes,
             status=out.status, error=out.error, format=out.source.get("format"), family=out.source.get("family"),
             encoding=out.source.get("encoding"), line_count=out.source.get("line_count"),
             is_demo=bool(out.source.get("is_demo", False)), messages=out.source.get("messages"),
             evaluation_count=len(out.evaluations), has_text=text is not None, fiscal_year=year, province=province)
        if text is not None:
            _add(rows["source_text"], file_index=out.index, text=text, lines=listed, fiscal_year=year,
                 province=province)
        for no, ev in enumerate(out.evaluations):
            head, unit = ev["head"], ev["unit"]
            places.append((out.index, no, head["fiscal_year"], unit["province"]))
            _add(rows["evaluation"], file_index=out.index, evaluation_no=no,
                 **{c: head[c] for c in HEAD_FIELDS}, **{c: unit[c] for c in UNIT_FIELDS})
    for table, cols in chunk.rows.items():
        target = rows[table]
        for k in cols["ev"]:
            index, no, year, province = places[k]
            target["file_index"].append(index)
            target["evaluation_no"].append(no)
            target["fiscal_year"].append(year)
            target["province"].append(province)
        for name, values in cols.items():
            if name != "ev":
                target[name] += values
    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")  # one task per worker thread
        for name, columns in rows.items():
            if not columns["fiscal_year"]:
                continue
            con.register("_records", staged_frame(columns, types[name]))
            target = str(Path(staging) / name).replace("'", "''")
            con.execute(f"COPY (SELECT {typed_select(columns, types[name])} FROM _records) TO '{target}' "
                        f"(FORMAT parquet, PARTITION_BY (fiscal_year, province), "
                        f"FILENAME_PATTERN 'part-{task:06d}-{{i}}', OVERWRITE_OR_IGNORE)")
            con.unregister("_records")
    finally:
        con.close()
    return {"files": len(chunk.files), "evaluations": len(places)}


def _add(columns: dict[str, list], **values: Any) -> None:
    for c, v in values.items():
        columns[c].append(v)


def scan(staging: str | os.PathLike, table: str) -> str | None:
    """The read_parquet() of one record table of the staging folder; None when no task wrote any."""
    folder = Path(staging) / table
    if not folder.is_dir() or next(folder.rglob("*.parquet"), None) is None:
        return None
    glob = str(folder / "**" / "*.parquet").replace("'", "''")
    return (f"read_parquet('{glob}', hive_partitioning = true, "
            "hive_types = {'fiscal_year': INTEGER, 'province': VARCHAR})")


def new_staging(lake: Path) -> Path:
    """A fresh staging folder for one load under the lake (removed when the load ends)."""
    path = lake / "_staging" / uuid.uuid4().hex[:12]
    path.mkdir(parents=True)
    return path


def stage(staging: Path, writer: Writer, summary: LoadSummary, file_done) -> None:
    """Build from the staging dataset: the writer gives files and evaluations their ids (in file
    order, as a local load would), then the child tables and the texts are appended from Parquet
    in one INSERT each, joined to those ids."""
    import duckdb
    import polars as pl

    files_scan, evals_scan = scan(staging, "file"), scan(staging, "evaluation")
    if files_scan is None:
        return
    reader = duckdb.connect()
    try:
        cols = ", ".join(("file_index",) + FILE_FIELDS)
        files = reader.execute(f"SELECT {cols} FROM {files_scan} ORDER BY file_index").fetchall()
        heads: dict[int, list[dict[str, Any]]] = {}
        if evals_scan is not None:
            names = HEAD_FIELDS + UNIT_FIELDS
            cur = reader.execute(f"SELECT file_index, {', '.join(names)} FROM {evals_scan} "
                                 "ORDER BY file_index, evaluation_no")
            while batch := cur.fetchmany(10_000):
                for row in batch:
                    values = dict(zip(names, row[1:]))
                    heads.setdefault(row[0], []).append({"head": {c: values[c] for c in HEAD_FIELDS},
                                                         "unit": {c: values[c] for c in UNIT_FIELDS}})
    finally:
        reader.close()
    ids: list[tuple[int, int, int, bool]] = []  # file_index, evaluation_no, evaluation_id, is_demo
    texts: list[tuple[int, int, bool]] = []  # file_index, file_id, is_demo
    writer.text_sink = lambda out, file_id, is_demo: texts.append((out.index, file_id, is_demo))
    try:
        for start in range(0, len(files), BATCH_FILES):
            outcomes = []
            for row in files[start:start + BATCH_FILES]:
                f = dict(zip(("file_index",) + FILE_FIELDS, row))
                source = {"format": f["format"], "family": f["family"], "encoding": f["encoding"],
                          "line_count": f["line_count"], "is_demo": f["is_demo"], "messages": f["messages"]}
                outcomes.append(FileOutcome(f["file_index"], f["path"], f["sha256"], f["size_bytes"], f["status"],
                                            f["error"], source, text="" if f["has_text"] else None,
                                            evaluations=heads.pop(f["file_index"], [])))
            for out, eids in zip(outcomes, writer.add_files(outcomes, summary, file_done)):
                demo = bool(out.source.get("is_demo", False))
                ids += [(out.index, no, eid, demo) for no, eid in enumerate(eids) if eid is not None]
            if writer.wants_flush:
                writer.flush()
    finally:
        writer.text_sink = None
    if writer.con is None:
        return
    writer.flush()
    con = writer.con
    con.execute("RESET threads")  # bulk appends: every core (the cluster has finished parsing)
    staged = {
        "_ids": pl.DataFrame(ids, schema={"file_index": pl.Int32, "evaluation_no": pl.Int32,
                                          "evaluation_id": pl.Int32, "is_demo": pl.Boolean}, orient="row"),
        "_texts": pl.DataFrame(texts, schema={"file_index": pl.Int32, "file_id": pl.Int32, "is_demo": pl.Boolean},
                               orient="row"),
    }
    for name, frame in staged.items():
        con.register(name, ArrowStream(frame))
    try:
        for table, columns in CHILD_TABLES.items():
            source = scan(staging, table)
            if source is None or not ids:
                continue
            order = "m.evaluation_id" + (f", r.{columns[0]}" if columns[0].endswith("_no") else "")
            con.execute(f"INSERT INTO {table} BY NAME SELECT m.evaluation_id, m.is_demo, "
                        f"{', '.join('r.' + c for c in columns)} FROM {source} AS r "
                        f"JOIN _ids AS m USING (file_index, evaluation_no) ORDER BY {order}")
        source = scan(staging, "source_text")
        if source is not None and texts:
            con.execute(f"INSERT INTO source_text BY NAME SELECT m.file_id, r.text, r.lines, m.is_demo "
                        f"FROM {source} AS r JOIN _texts AS m USING (file_index) ORDER BY m.file_id")
    finally:
        for name in staged:
            con.unregister(name)


def publish(db: Path, lake: Path, run: int | None) -> None:
    """After the new warehouse is in place: add the rows of load run `run` to the lake, and of
    any earlier run the lake lacks (a local load, or a cluster load stopped between its rename
    and this step); each run's rows once, marked by <lake>/_runs/run<N>."""
    from warehouse.connect import read_only
    from warehouse.export import export_run

    marks = lake / "_runs"
    marks.mkdir(parents=True, exist_ok=True)
    con = read_only(db)
    try:
        runs = [r for (r,) in con.execute("SELECT load_run_id FROM load_run ORDER BY 1").fetchall()]
        for r in runs:
            mark = marks / f"run{r}"
            if mark.exists() and r != run:
                continue
            export_run(con, lake, r)
            mark.touch()
    finally:
        con.close()


def remove(path: Path) -> None:
    try:
        shutil.rmtree(path)
        parent = path.parent
        if parent.name == "_staging" and not any(parent.iterdir()):
            parent.rmdir()
    except OSError as e:
        print(f"无法删除临时目录 {path} (could not remove the staging folder): {e}", file=sys.stderr)
