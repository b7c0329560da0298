"""Golden files: every real example report under data/reports/ has tests/golden/<stem>.json.

A new example report is a new file pair, not new code. Regenerate after a deliberate change with
`UPDATE_GOLDEN=1 make test` and review the diff by eye against the report.
"""

from __future__ import annotations

import json
import os

import pytest

from project_paths import GOLDEN_DIR, REPORTS_DIR, ROOT
from loaders.parse import parse_path
from loaders.records import to_jsonable

REPORTS = sorted(p for p in REPORTS_DIR.iterdir() if p.suffix in (".txt", ".docx", ".xlsx", ".pdf"))


def parse_relative(path):
    return to_jsonable(parse_path(str(path.relative_to(ROOT))))


def test_every_report_has_a_golden_file():
    missing = [p.name for p in REPORTS if not (GOLDEN_DIR / f"{p.stem}.json").exists()]
    assert not missing, f"no golden file for {missing}"


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_golden(path, monkeypatch):
    monkeypatch.chdir(ROOT)
    got = parse_relative(path)
    golden = GOLDEN_DIR / f"{path.stem}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert got == expected
