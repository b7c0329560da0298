"""Fixtures for the warehouse tests.

- `given`: an in-memory warehouse with the schema applied holding the given dict rows
  (warehouse_tables.insert_rows), so SQL can be tested as data.
- warehouse_fakes.py (not a fixture): report files holding a JSON record and their parser.
- `built_warehouse`: the warehouse built once per session from data/reports/ with the real
  parser, for checks of real values through the views.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from warehouse import registry
from warehouse_tables import insert_rows

ROOT = Path(__file__).resolve().parents[2]
REPORTS_DIR = ROOT / "data" / "reports"


# ---------------------------------------------------------------------------------------------
# SQL as data


@pytest.fixture
def given():
    """given(tables) -> a connection to a fresh in-memory warehouse holding those rows."""
    cons = []

    def make(tables: dict[str, list[dict[str, Any]]] | None = None) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        registry.apply_schema(con)
        insert_rows(con, tables or {})
        cons.append(con)
        return con

    yield make
    for c in cons:
        c.close()


# ---------------------------------------------------------------------------------------------
# The real reports


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """data/reports/ loaded with the real parser into a fresh warehouse (once per session)."""
    from warehouse.load import load_paths

    folder = tmp_path_factory.mktemp("real")
    reports = folder / "reports"
    shutil.copytree(REPORTS_DIR, reports)
    db = folder / "warehouse.duckdb"
    summary = load_paths([str(reports)], db, workers=2, quiet=True)
    assert summary.files_seen == len(list(REPORTS_DIR.glob("*.txt")))
    return db
