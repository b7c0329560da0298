"""The warehouse schema as a load finds it: whether its last load applied the current sql/
definitions, and bringing a staged copy up to them (including moving text stored the old way,
one source_line row per line, into source_text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from warehouse import registry

if TYPE_CHECKING:
    import duckdb


class SchemaDrift(RuntimeError):
    pass


def schema_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the last load applied the sql/ definitions as they are now."""
    import duckdb

    try:
        last = con.execute("SELECT schema_sha256 FROM load_run ORDER BY load_run_id DESC LIMIT 1").fetchall()
    except duckdb.Error:  # a new file, or one from before schema_sha256 existed
        return False
    return bool(last) and last[0][0] == registry.SCHEMA_SHA256


def prepare_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring the staged copy's schema up to the sql/ definitions; whether it had to change."""
    if schema_is_current(con):
        return False
    existed = bool(registry.table_columns(con))
    registry.drop_summaries(con)  # derived: rebuilt by finish_load under the new definitions
    move_source_lines(con)
    if existed:
        rebuild_checks(con)
    registry.apply_schema(con)
    # Tables apply_schema just created match sql/ by construction, and a warehouse whose last
    # load applied the current definitions was checked then: only an older one can drift.
    drift = registry.schema_drift(con) if existed else []
    if drift:
        raise SchemaDrift(
            "数据仓库的表结构与 sql/ 中的定义不一致，请删除后重新载入 (warehouse schema differs from sql/; "
            "rebuild it):\n  " + "\n  ".join(drift)
        )
    return True


def rebuild_checks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables whose CHECK constraints changed in sql/ (DuckDB cannot alter a constraint) are
    rebuilt under the new definition with every row kept, in one transaction; their names."""
    tables = registry.check_drift(con)
    if not tables:
        return []
    by_name = {o.name: o for o in registry.OBJECTS}
    con.execute("BEGIN TRANSACTION")
    try:
        for t in tables:
            con.execute(f"ALTER TABLE {t} RENAME TO {t}__before_checks")
            con.execute(by_name[t].sql)
            con.execute(f"INSERT INTO {t} SELECT * FROM {t}__before_checks")
            con.execute(f"DROP TABLE {t}__before_checks")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return tables


def move_source_lines(con: duckdb.DuckDBPyConnection) -> bool:
    """A warehouse from before source_text kept one source_line row per line: move its text into
    source_text (one row per file, the lines joined by line breaks, listed only where a line holds
    one itself) and drop the table, which the source_line view replaces. Whether it did."""
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = 'source_line'"
    ).fetchall()
    if not kind or kind[0][0] != "BASE TABLE":
        return False
    by_name = {o.name: o for o in registry.OBJECTS}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(by_name["source_text"].sql)
        con.execute("""
            INSERT INTO source_text (file_id, text, lines, is_demo)
            SELECT file_id, string_agg(text, chr(10) ORDER BY line_no),
                   CASE WHEN bool_or(contains(text, chr(10))) THEN list(text ORDER BY line_no) END,
                   bool_or(is_demo)
            FROM source_line GROUP BY file_id ORDER BY file_id
        """)
        con.execute("DROP TABLE source_line")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return True
