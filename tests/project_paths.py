"""Paths every test may need. A uniquely named module (not conftest) so that test files in
sub-folders with conftests of their own import the right one."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = ROOT / "data" / "reports"
GOLDEN_DIR = ROOT / "tests" / "golden"
