"""The single writer: gives files and evaluations their ids and revisions and appends rows in
bulk to a staged copy of the warehouse (connect.py), which replaces the warehouse in one atomic
rename at the end of the load (run.py). A crash anywhere before that leaves the previous
warehouse exactly as it was.

Rows arrive as columns (pool.py's Chunks) and are appended as polars frames read by DuckDB through
the Arrow C stream interface, one INSERT per table per flush; a cluster load (lake.py) stages only
the files' own rows here and appends the child tables straight from its Parquet dataset. The text of a file is one source_text row (source_line splits it into lines on
demand). Before the rename, `finish` flips superseded revisions, completes retried files, renews
the region reference and rebuilds the summary tables the views read (finish_load), so readers
see them in step with the rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from warehouse import registry
from warehouse.load.frames import insert_frame, staged_frame
from warehouse.load.keys import evaluation_key, subject_key, unit_key
from warehouse.load.regions import refresh_regions
from warehouse.load.schema import prepare_schema
from warehouse.load.summary import LoadSummary

if TYPE_CHECKING:
    import duckdb

    from warehouse.load.pool import Chunk, FileOutcome

# Append to DuckDB after this many files… or this many buffered source lines, whichever comes
# first. Small enough that the appends overlap the parsing: what is left when the last file is
# parsed is done while a core stands idle.
FLUSH_FILES = 500
FLUSH_LINES = 250_000
CHECKPOINT_FILES = 10_000  # commit and checkpoint the staged copy after this many files (see Writer.flush)


class Writer:
    """Appends outcomes to the staged copy in bulk; keeps ids, units and revisions in memory.

    The staged copy is opened (`open_db`) only when the first file is to be recorded: a load
    whose files all turn out unchanged, or failing as before, neither copies the warehouse nor
    imports DuckDB."""

    TABLES = ("source_file", "source_text", "unit", "evaluation", "metric", "indicator", "satisfaction",
              "finding", "quality_flag", "dimension_score")

    def __init__(self, known: dict[str, tuple[str, str | None]], open_db: Callable[[], duckdb.DuckDBPyConnection]):
        self.known = known  # sha256 -> (status, error) already in the warehouse
        self._open_db = open_db
        self.con: duckdb.DuckDBPyConnection | None = None
        self.superseded: list[int] = []
        self.retried: list[dict[str, Any]] = []
        self.seen: dict[str, str] = {}  # sha256 -> path of its first copy in this load
        self.file_shas: dict[str, str] = {}  # path -> sha256 of every file parsed in this load
        self.added_files = 0
        self.schema_changed = False
        self.buffered_files = 0
        self.buffered_lines = 0
        # where a file's text goes instead of source_text rows here: a cluster load (lake.py)
        # appends the texts from its Parquet dataset and only needs (outcome, file_id, is_demo)
        self.text_sink: Callable[[FileOutcome, int, bool], None] | None = None

    def open(self) -> None:
        """Open the staged copy, bring its schema up to date, read the ids and revisions it holds
        and begin the transaction all appends go into. Idempotent."""
        if self.con is not None:
            return
        con = self._open_db()
        self.schema_changed = prepare_schema(con)
        self.run_id = con.execute("SELECT coalesce(max(load_run_id), 0) + 1 FROM load_run").fetchone()[0]
        self.types = {t: dict(cols) for t, cols in registry.table_columns(con).items()}  # DuckDB types
        self.next_file_id = con.execute("SELECT coalesce(max(file_id), 0) + 1 FROM source_file").fetchone()[0]
        self.next_eval_id = con.execute("SELECT coalesce(max(evaluation_id), 0) + 1 FROM evaluation").fetchone()[0]
        self.next_unit_id = con.execute("SELECT coalesce(max(unit_id), 0) + 1 FROM unit").fetchone()[0]
        self.units = dict(con.execute("SELECT unit_key, unit_id FROM unit").fetchall())
        self.revisions: dict[str, tuple[int, int | None]] = {
            k: (rev, cur)
            for k, rev, cur in con.execute(
                "SELECT evaluation_key, max(revision), max(evaluation_id) FILTER (WHERE is_current) "
                "FROM evaluation GROUP BY evaluation_key"
            ).fetchall()
        }
        self.file_ids = dict(con.execute("SELECT sha256, file_id FROM source_file").fetchall())
        # The workers use every core while files are parsed: appends in one DuckDB thread cost
        # less CPU than the same appends spread over all.
        con.execute("SET threads = 1")
        con.execute("BEGIN TRANSACTION")
        self.con = con
        self.files_since_checkpoint = 0
        self._reset()

    def commit_appends(self) -> None:
        """The last appends, committed; DuckDB gets every core back (summaries, checkpoint)."""
        if self.con is None:
            return
        self.flush()
        self.con.execute("COMMIT")
        self.con.execute("RESET threads")

    def _reset(self) -> None:
        self.rows: dict[str, dict[str, list]] = {t: {c: [] for c in self.types[t]} for t in self.TABLES}
        self.buffered_files = 0
        self.buffered_lines = 0

    def _append(self, table: str, values: dict[str, Any]) -> None:
        cols = self.rows[table]
        for c, v in values.items():
            cols[c].append(v)

    def _store_text(self, out: FileOutcome, file_id: int, is_demo: bool) -> None:
        """Stage the file's text as one source_text row: its lines joined by "\n", or listed when
        one of them holds a "\n" itself (then `text` is what source_line would not split)."""
        if self.text_sink is not None:
            self.text_sink(out, file_id, is_demo)
            return
        text = out.text if out.text is not None else "\n".join(out.lines or ())
        lines = None if out.text is not None else out.lines
        if lines is not None and text.count("\n") == len(lines) - 1:
            lines = None
        self._append("source_text", {"file_id": file_id, "is_demo": is_demo, "text": text, "lines": lines})

    def add_files(self, files: list[FileOutcome], summary: LoadSummary,
                  on_file: Callable[[], None] | None = None) -> list[list[int | None]]:
        """Stage the files' own rows (source_file, source_text, unit, evaluation), file by file
        (`on_file()` after each); count them in `summary`. Returns, per file, the id given to each
        of its evaluations (None: the file is not recorded again)."""
        ids = []
        for out in files:
            ids.append(self._add_file(out, summary))
            if on_file is not None:
                on_file()
        return ids

    def add_chunk(self, chunk: Chunk, summary: LoadSummary, on_file: Callable[[], None] | None = None) -> None:
        """Stage a worker's chunk, file by file (`on_file()` after each); count it in `summary`."""
        per_file = self.add_files(chunk.files, summary, on_file)
        ids = [i for file_ids in per_file for i in file_ids]  # per evaluation place in the chunk
        demo = [bool(out.source.get("is_demo", False)) for out in chunk.files for _ in out.evaluations]
        for table, cols in chunk.rows.items():
            self._add_rows(table, cols, ids, demo)

    def _add_rows(self, table: str, cols: dict[str, list], ids: list[int | None], demo: list[bool]) -> None:
        places = cols["ev"]
        if not places:
            return
        eids = [ids[k] for k in places]
        if None in eids:  # rows of a file not recorded again (the same bytes twice in this load)
            if all(e is None for e in eids):
                return
            keep = [j for j, e in enumerate(eids) if e is not None]
            cols = {name: [values[j] for j in keep] for name, values in cols.items()}
            places, eids = cols["ev"], [eids[j] for j in keep]
        target = self.rows[table]
        target["evaluation_id"] += eids
        target["is_demo"] += [demo[k] for k in places]
        for name, values in cols.items():
            if name != "ev":
                target[name] += values

    def _add_file(self, out: FileOutcome, summary: LoadSummary) -> list[int | None]:
        """Stage one parsed file's own rows; count it in `summary`. Returns the ids given to its
        evaluations, None for each when the file is not recorded (again)."""
        skipped: list[int | None] = [None] * len(out.evaluations)
        if out.sha256 is not None:
            self.file_shas[out.path] = out.sha256
        if out.sha256 is None:
            summary.failed += 1
            summary.errors.append({"path": out.path, "sha256": None, "status": "failed", "error": out.error})
            return skipped
        first = self.seen.get(out.sha256)
        if first is not None and out.status != "ok":  # a copy of a file that failed: it fails too
            if out.status == "failed":
                summary.failed += 1
            else:
                summary.unrecognized += 1
            summary.errors.append({"path": out.path, "sha256": out.sha256, "status": out.status,
                                   "error": f"{out.error}（与 {first} 内容相同）"})
            return skipped
        if first is not None or self.known.get(out.sha256, ("",))[0] == "ok":
            summary.unchanged += 1  # the same bytes under another path, or changed back meanwhile
            return skipped
        self.seen[out.sha256] = out.path
        if out.status != "ok":
            if out.status == "failed":
                summary.failed += 1
            else:
                summary.unrecognized += 1
            summary.errors.append(
                {"path": out.path, "sha256": out.sha256, "status": out.status, "error": out.error}
            )
        previous = self.known.get(out.sha256)
        if previous is not None and previous == (out.status, out.error):
            return skipped  # the same failure as last time: nothing to record again
        self.open()
        is_demo = bool(out.source.get("is_demo", False))
        file_row = {
            "sha256": out.sha256,
            "path": out.path,
            "file_name": PurePath(out.path).name,
            "format": out.source.get("format"),
            "family": out.source.get("family"),
            "encoding": out.source.get("encoding"),
            "size_bytes": out.size_bytes,
            "line_count": out.source.get("line_count"),
            "is_demo": is_demo,
            "status": out.status,
            "error": out.error,
            "messages": out.source.get("messages"),
            "evaluation_count": len(out.evaluations),
            "last_load_run_id": self.run_id,
        }
        if previous is None:
            file_id = self.next_file_id
            self.next_file_id += 1
            self._append("source_file", {**file_row, "file_id": file_id, "first_load_run_id": self.run_id})
            self.added_files += 1
            lines_stored = False
        else:  # a retry of a file that failed or was not recognized before
            file_id = self.file_ids[out.sha256]
            self.retried.append(file_row)
            lines_stored = previous[0] == "unrecognized"
        if not lines_stored and (out.text is not None or out.lines):  # read, and not empty
            self._store_text(out, file_id, is_demo)
            self.buffered_lines += out.source["line_count"]
            summary.lines += out.source["line_count"]
        revised = False
        ids: list[int | None] = []
        kinds: list[str] = []
        for no, ev in enumerate(out.evaluations):
            eid, is_revision = self._add_evaluation(out.sha256, file_id, no, ev, is_demo)
            ids.append(eid)
            revised |= is_revision
            kind = ev["head"]["document_kind"]
            summary.kinds[kind] = summary.kinds.get(kind, 0) + 1
            if kind != "evaluation" and kind not in kinds:
                kinds.append(kind)
            summary.evaluations += 1
            summary.indicators += ev["head"]["indicator_count"]
            summary.flags += ev["head"]["flag_count"]
        if kinds:
            summary.other_documents.append({"path": out.path, "kinds": kinds})
        if out.status == "ok":
            if revised:
                summary.revised += 1
            else:
                summary.new += 1
        self.buffered_files += 1
        return ids

    def _add_evaluation(self, sha: str, file_id: int, no: int, ev: dict[str, Any], is_demo: bool) -> tuple[int, bool]:
        """The evaluation's row (and its unit's, when new); its id and whether it is a revision."""
        ukey = unit_key(ev["unit"], is_demo, f"{sha[:16]}#{no}")
        unit_id = self.units.get(ukey)
        if unit_id is None:
            unit_id = self.units[ukey] = self.next_unit_id
            self.next_unit_id += 1
            self._append(
                "unit",
                {**ev["unit"], "unit_id": unit_id, "unit_key": ukey, "is_demo": is_demo,
                 "first_load_run_id": self.run_id},
            )
        head = ev["head"]
        skey = subject_key(ukey, head)
        ekey = evaluation_key(skey, head)
        eid = self.next_eval_id
        self.next_eval_id += 1
        last_rev, current = self.revisions.get(ekey, (0, None))
        if current is not None:
            self.superseded.append(current)
        self.revisions[ekey] = (last_rev + 1, eid)
        self._append(
            "evaluation",
            {
                **head,
                "evaluation_id": eid, "sha256": sha, "file_id": file_id, "evaluation_no": no,
                "unit_id": unit_id, "is_demo": is_demo, "subject_key": skey, "evaluation_key": ekey,
                "revision": last_rev + 1, "is_current": True, "load_run_id": self.run_id,
            },
        )
        return eid, last_rev > 0

    @property
    def wants_flush(self) -> bool:
        return self.con is not None and (self.buffered_files >= FLUSH_FILES or self.buffered_lines >= FLUSH_LINES)

    @property
    def has_changes(self) -> bool:
        return self.added_files > 0 or bool(self.retried)

    def _insert(self, table: str, columns: dict[str, list]) -> None:
        insert_frame(self.con, table, columns, self.types[table])

    def flush(self) -> None:
        for table in self.TABLES:
            cols = self.rows[table]
            lengths = {len(v) for v in cols.values()}
            if len(lengths) != 1:
                raise RuntimeError(f"{table}: staged columns out of step {lengths}")  # a bug here, not in a file
            if lengths != {0}:
                self._insert(table, cols)
        self.files_since_checkpoint += self.buffered_files
        self._reset()
        if self.files_since_checkpoint >= CHECKPOINT_FILES:
            # Appends go into one transaction per CHECKPOINT_FILES files. A commit per flush
            # checkpoints every time (the WAL outgrows its threshold), and each checkpoint writes
            # the growing tables' indexes out again: at 50k reports 30% more CPU than one
            # transaction. One transaction for everything holds all its rows in memory: 1.5 GB
            # at 50k reports, against 0.8 GB with a checkpoint every 10k files.
            self.con.execute("COMMIT")
            self.con.execute("CHECKPOINT")
            self.con.execute("BEGIN TRANSACTION")
            self.files_since_checkpoint = 0

    def finish(self, summary: LoadSummary, started: datetime, paths: list[str], workers: int) -> None:
        """After commit_appends: the revision flips, the retried files, the reference and the run."""
        import duckdb

        con = self.con
        if self.superseded:
            con.register("_superseded", staged_frame({"evaluation_id": self.superseded}, {"evaluation_id": "INTEGER"}))
            con.execute(
                "UPDATE evaluation SET is_current = false "
                "WHERE evaluation_id IN (SELECT evaluation_id FROM _superseded)"
            )
            con.unregister("_superseded")
        if self.retried:
            cols = {c: [r[c] for r in self.retried] for c in self.retried[0]}
            con.register("_retried", staged_frame(cols, self.types["source_file"]))
            sets = ", ".join(f"{c} = r.{c}" for c in cols if c != "sha256")
            con.execute(f"UPDATE source_file SET {sets} FROM _retried AS r WHERE source_file.sha256 = r.sha256")
            con.unregister("_retried")
        try:
            last = con.execute("SELECT region_sha256 FROM load_run ORDER BY load_run_id DESC LIMIT 1").fetchall()
        except duckdb.Error:
            last = []
        region_sha256 = refresh_regions(con, last[0][0] if last else None)
        finish_load(con)
        run = {
            "load_run_id": self.run_id, "started_at": started, "finished_at": datetime.now(),
            "paths": [str(p) for p in paths], "workers": workers, "files_seen": summary.files_seen,
            "files_new": summary.new, "files_revised": summary.revised, "files_unchanged": summary.unchanged,
            "files_failed": summary.failed, "files_unrecognized": summary.unrecognized,
            "evaluations": summary.evaluations, "indicators": summary.indicators,
            "quality_flags": summary.flags, "source_lines": summary.lines,
            "errors": json.dumps(summary.errors, ensure_ascii=False),
            "schema_sha256": registry.SCHEMA_SHA256,
            "region_sha256": region_sha256,
        }
        self._insert("load_run", {c: [v] for c, v in run.items()})


def finish_load(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The last step of every load that writes (and of warehouse.synth): rebuild the summary
    tables (sql/materialize/: the current evaluations with their metrics pivoted, peer ranks,
    alerts, coverage, the satisfaction distribution, indicator losses) from the whole warehouse,
    in the same staged copy, so readers never see them half-built or out of step with the rows.
    About 5 s and 0.7 GB at national scale (≈140k evaluations, ≈5M indicator rows). Returns the
    seconds each summary took."""
    return registry.refresh_summaries(con)
