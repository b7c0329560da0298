"""The registry of schema objects: plain data read from the numbered files in sql/.

One object per file, the file stem is the object name, files are applied in order (tables, then
views). `apply_schema` is idempotent: tables are created if missing, views are replaced, and
comments are set again. tests/warehouse/test_warehouse_registry.py fails when a file and its
object drift apart.

Summary tables (mv_*) are derived: each has a fill query in sql/materialize/ with the same file
name, and `refresh_summaries` rebuilds them all, in file order, at the end of every load that
writes (warehouse.load.finish_load). The view v_<x> publishes the summary table mv_<x>.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only schema_drift makes a connection; SCHEMA_SHA256 is read without DuckDB
    import duckdb

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"

_CREATE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*)",
    re.IGNORECASE | re.MULTILINE,
)
_FILE = re.compile(r"^(\d{3})_([a-z_][a-z0-9_]*)\.sql$")


@dataclass(frozen=True)
class SqlObject:
    order: int
    name: str  # the file stem without its number: the object the file must create
    kind: str  # table | view
    path: Path
    sql: str
    created: tuple[tuple[str, str], ...]  # every (kind, name) the file's CREATE statements name


def _read(path: Path) -> SqlObject:
    m = _FILE.match(path.name)
    if not m:
        raise ValueError(f"{path.name}: sql files are named NNN_object_name.sql")
    sql = path.read_text(encoding="utf-8")
    created = tuple((k.lower(), n) for k, n in _CREATE.findall(sql))
    kind = created[0][0] if created else "unknown"
    return SqlObject(order=int(m.group(1)), name=m.group(2), kind=kind, path=path, sql=sql, created=created)


@dataclass(frozen=True)
class Fill:
    order: int
    table: str  # the summary table the file fills: its stem without the number
    path: Path
    sql: str
    inserts: tuple[str, ...]  # every table the file's INSERT statements name


_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE | re.MULTILINE)


def _read_fill(path: Path) -> Fill:
    m = _FILE.match(path.name)
    if not m:
        raise ValueError(f"{path.name}: sql/materialize files are named NNN_table_name.sql")
    sql = path.read_text(encoding="utf-8")
    return Fill(order=int(m.group(1)), table=m.group(2), path=path, sql=sql, inserts=tuple(_INSERT.findall(sql)))


OBJECTS: tuple[SqlObject, ...] = tuple(_read(p) for p in sorted(SQL_DIR.glob("*.sql")))
FILLS: tuple[Fill, ...] = tuple(_read_fill(p) for p in sorted((SQL_DIR / "materialize").glob("*.sql")))
# Fingerprint of the schema definition; load_run.schema_sha256 records which one a load applied.
SCHEMA_SHA256: str = hashlib.sha256("\n".join(
    [f"{o.path.name}\n{o.sql}" for o in OBJECTS] + [f"materialize/{f.path.name}\n{f.sql}" for f in FILLS]
).encode()).hexdigest()
TABLES: tuple[str, ...] = tuple(o.name for o in OBJECTS if o.kind == "table")
VIEWS: tuple[str, ...] = tuple(o.name for o in OBJECTS if o.kind == "view")
SUMMARIES: tuple[str, ...] = tuple(f.table for f in FILLS)  # derived tables, rebuilt by refresh_summaries


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, replace every view, set every comment (in file order), in one
    transaction (several times faster on a file than statement by statement)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("\n".join(obj.sql for obj in OBJECTS))
        inherit_column_comments(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def refresh_summaries(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Rebuild every summary table from scratch (drop, create from its sql/ file, fill), in file
    order, in one transaction; returns the seconds each took. Dropping rather than deleting frees
    the old row groups and follows a changed column list without a migration."""
    import time

    by_name = {o.name: o for o in OBJECTS}
    seconds: dict[str, float] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for fill in FILLS:
            t = time.perf_counter()
            con.execute(f"DROP TABLE IF EXISTS {fill.table}")
            con.execute(by_name[fill.table].sql)
            con.execute(fill.sql)
            seconds[fill.table] = time.perf_counter() - t
        inherit_column_comments(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return seconds


def drop_summaries(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the summary tables (derived data), so a schema change in them is no drift."""
    for name in SUMMARIES:
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def inherit_column_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Give a view column without its own comment the comment its name has elsewhere.

    Views are visited in file order. The comment is taken from the earlier views that have a
    column of that name when they all agree, else from the tables when they all agree; a column
    whose meaning differs between sources (line, weight, text…) must be commented in its own file.
    Then a summary table mv_<x> takes, for a column without its own comment, the comment of that
    column in the view v_<x> that publishes it.
    """
    rows = con.execute(
        """
        SELECT table_name, column_name, comment FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
        """
    ).fetchall()
    comments: dict[str, dict[str, str | None]] = {}
    for table, column, comment in rows:
        comments.setdefault(table, {})[column] = comment

    def agreed(objects: tuple[str, ...] | list[str], column: str) -> str | None:
        texts = {comments[o][column] for o in objects if o in comments and comments[o].get(column)}
        return next(iter(texts)) if len(texts) == 1 else None

    statements = []
    base_tables = [t for t in TABLES if t not in SUMMARIES]
    seen_views: list[str] = []
    for view in VIEWS:
        for column, comment in comments.get(view, {}).items():
            if comment:
                continue
            text = agreed(seen_views, column) or agreed(base_tables, column)
            if text:
                statements.append(f'COMMENT ON COLUMN "{view}"."{column}" IS {_quote(text)};')
                comments[view][column] = text
        seen_views.append(view)
    for table in SUMMARIES:
        published = comments.get("v_" + table.removeprefix("mv_"), {})
        for column, comment in comments.get(table, {}).items():
            if not comment and published.get(column):
                statements.append(f'COMMENT ON COLUMN "{table}"."{column}" IS {_quote(published[column])};')
    if statements:
        con.execute("\n".join(statements))


def describe(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every registered table and view with its comment and columns (name, type, comment)."""
    objects = {
        name: comment
        for name, comment in con.execute(
            """
            SELECT table_name, comment FROM duckdb_tables()
            WHERE database_name = current_database() AND schema_name = 'main'
            UNION ALL
            SELECT view_name, comment FROM duckdb_views()
            WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
            """
        ).fetchall()
    }
    columns: dict[str, list[dict]] = {}
    for table, column, dtype, comment in con.execute(
        """
        SELECT table_name, column_name, data_type, comment FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
        ORDER BY table_name, column_index
        """
    ).fetchall():
        columns.setdefault(table, []).append({"name": column, "type": dtype, "comment": comment})
    return [
        {"name": o.name, "kind": o.kind, "comment": objects.get(o.name), "columns": columns.get(o.name, [])}
        for o in OBJECTS
        if o.name in objects
    ]


def table_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """(column, type) of every registered table, in order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in con.execute(
        """
        SELECT table_name, column_name, data_type FROM duckdb_columns()
        WHERE database_name = current_database() AND schema_name = 'main'
        ORDER BY table_name, column_index
        """
    ).fetchall():
        if table in TABLES:
            out.setdefault(table, []).append((column, dtype))
    return out


@lru_cache(maxsize=1)
def _defined() -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[str]]]:
    """(columns, CHECK constraints) of every table as sql/ defines them, from an in-memory
    database built once per process."""
    import duckdb

    fresh = duckdb.connect()
    try:
        for obj in OBJECTS:
            if obj.kind == "table":
                fresh.execute(obj.sql)
        return table_columns(fresh), _checks(fresh)
    finally:
        fresh.close()


def _checks(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The CHECK constraints of every registered table, as DuckDB prints them, sorted."""
    out: dict[str, list[str]] = {}
    for table, text in con.execute(
        """
        SELECT table_name, constraint_text FROM duckdb_constraints()
        WHERE database_name = current_database() AND schema_name = 'main' AND constraint_type = 'CHECK'
        """
    ).fetchall():
        if table in TABLES:
            out.setdefault(table, []).append(text)
    return {t: sorted(v) for t, v in out.items()}


def check_drift(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables whose columns are those sql/ defines but whose CHECK constraints are not (a value
    list grown since the warehouse was built: a new document kind); they are rebuilt in place."""
    want_cols, want = _defined()
    have, have_cols = _checks(con), table_columns(con)
    return [t for t in want_cols if t in have_cols and have_cols[t] == want_cols[t] and have.get(t, []) != want.get(t, [])]


def schema_drift(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables whose columns differ from what sql/ defines (a warehouse built by older code)."""
    want, _ = _defined()
    have = table_columns(con)
    return [
        f"{table}: 仓库中为 {have.get(table)}，sql/ 定义为 {cols}"
        for table, cols in want.items()
        if table in have and have[table] != cols
    ]
