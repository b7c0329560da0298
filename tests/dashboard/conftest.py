"""Fixtures for the dashboard tests.

- `real_warehouse`: the warehouse built once per session from data/reports/ with the real loader
  (`python -m loaders load`), in a temporary folder.
- `demo_warehouse`: a warehouse holding only a small generated demo corpus (`python -m loaders.demo`).
- `synth_warehouse`: synthetic rows written straight into the warehouse (`python -m warehouse synth`),
  60 units over two years: more rows than a page's table shows (dashboard.data.TABLE_ROWS).
- `missing_warehouse` / `schema_only_warehouse`: no file at all, and the schema without a report.
- `open_page`: runs the app's entry point with AppTest against a warehouse and opens one page.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from warehouse import registry

from dashboard.registry import PAGES
from dashboard_helpers import APP, REPORTS_DIR, ROOT


def load(paths: list[Path], db: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "loaders", "load", *map(str, paths), "--db", str(db), "-q"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("real") / "warehouse.duckdb"
    load([REPORTS_DIR], db)
    return db


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    corpus = folder / "corpus"
    made = subprocess.run([sys.executable, "-m", "loaders.demo", "--units", "4", "--years", "2021-2022",
                           "--seed", "7", "--out", str(corpus), "--workers", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    db = folder / "warehouse.duckdb"
    load([corpus], db)
    return db


@pytest.fixture(scope="session")
def synth_warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("synth") / "warehouse.duckdb"
    made = subprocess.run([sys.executable, "-m", "warehouse", "synth", "--units", "60", "--years", "2023-2024",
                           "--seed", "7", "--db", str(db), "-q"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    return db


@pytest.fixture(scope="session")
def missing_warehouse(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("missing") / "no_such_warehouse.duckdb"


@pytest.fixture(scope="session")
def schema_only_warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("schema") / "warehouse.duckdb"
    con = duckdb.connect(str(db))
    registry.apply_schema(con)
    con.close()
    return db


@pytest.fixture
def open_page(monkeypatch, tmp_path) -> Callable[..., AppTest]:
    """open_page(page_path, warehouse, query_params=None) -> AppTest after the page ran."""
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))

    def run(page: str, warehouse: Path, query_params: dict | None = None) -> AppTest:
        monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
        at = AppTest.from_file(str(APP), default_timeout=60)
        for key, value in (query_params or {}).items():  # as if the app were opened from a link
            at.query_params[key] = value
        at.run()  # the first page; it also registers the pages of st.navigation
        if page != PAGES[0].path:
            at.switch_page(page).run()
        return at

    return run
