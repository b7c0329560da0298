"""Column lists as frames DuckDB appends in one INSERT: polars frames read through the Arrow C
stream interface; DECIMAL columns travel as their exact text and are cast by the INSERT."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: an unchanged reload needs neither
    import duckdb
    import polars as pl


def _frame_type(duck_type: str) -> pl.DataType:
    """The polars type that carries a column of this DuckDB type exactly. DECIMAL travels as its
    text and is cast by the INSERT (`typed_select`): building a polars Decimal column from Python
    Decimals costs about 30 µs per indicator row, the text a few."""
    import polars as pl

    if duck_type.startswith("DECIMAL("):
        return pl.Utf8
    simple = {
        "INTEGER": pl.Int32, "BIGINT": pl.Int64, "VARCHAR": pl.Utf8, "BOOLEAN": pl.Boolean,
        "TIMESTAMP": pl.Datetime("us"), "JSON": pl.Utf8, "VARCHAR[]": pl.List(pl.Utf8),
    }
    return simple[duck_type]


def typed_select(columns: Iterable[str], types: dict[str, str]) -> str:
    """The select list that gives a staged frame's columns their DuckDB types (DECIMAL from text)."""
    return ", ".join(f'CAST("{c}" AS {types[c]}) AS "{c}"' if types[c].startswith("DECIMAL(") else f'"{c}"'
                     for c in columns)


class ArrowStream:
    """A polars frame as DuckDB sees it: through the Arrow C stream interface. DuckDB's own polars
    scan converts with pyarrow, an import (with numpy) of 0.2–0.5 s a load does not need."""

    def __init__(self, frame: pl.DataFrame):
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self.frame.__arrow_c_stream__(requested_schema)


def staged_frame(columns: dict[str, list], types: dict[str, str]) -> ArrowStream:
    """Column lists as a frame DuckDB can scan; a DECIMAL column may hold Decimals or their text."""
    import polars as pl

    data = {}
    for c, values in columns.items():
        if types[c].startswith("DECIMAL(") and isinstance(next((v for v in values if v is not None), None), Decimal):
            values = [None if v is None else str(v) for v in values]
        data[c] = values
    return ArrowStream(pl.DataFrame(data, schema={c: _frame_type(types[c]) for c in columns}))


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list],
                 types: dict[str, str], distinct_on: tuple[str, ...] = ()) -> None:
    """Append column lists to `table` in one INSERT (columns matched by name; `types`: DuckDB
    column types of the table); `distinct_on`: keep the first row of each such key."""
    con.register("_staged_rows", staged_frame(columns, types))
    distinct = f"DISTINCT ON ({', '.join(distinct_on)}) " if distinct_on else ""
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT {distinct}{typed_select(columns, types)} FROM _staged_rows")
    finally:
        con.unregister("_staged_rows")


def table_types() -> dict[str, dict[str, str]]:
    """The DuckDB column types of every table sql/ defines (read from an in-memory database with
    the tables created), for the parse workers, which build frames before any warehouse is open.
    Called once in the main process before the pool forks, so workers inherit the answer."""
    import duckdb

    from warehouse import registry

    con = duckdb.connect()
    try:
        for obj in registry.OBJECTS:
            if obj.kind == "table":
                con.execute(obj.sql)
        return {t: dict(cols) for t, cols in registry.table_columns(con).items()}
    finally:
        con.close()
