"""The four example reports as .docx, .xlsx and .pdf (built in code, tables as real tables):
each reads back to the text the builder put in, and parses to the same evaluations as the .txt.

Line numbers legitimately differ between formats (a one-cell-per-line table row becomes one tab
row), so `line` keys and the source block are left out of the comparison; everything else —
unit, year, scores, grades, metrics with their raw text, indicators, findings, flags — must match.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from loaders.demo.formats import BUILDERS, Paragraph, blocks
from project_paths import REPORTS_DIR

from loaders.parse import parse_bytes
from loaders.read import read_bytes
from loaders.read.xlsx import SHEET_MARK
from loaders.records import to_jsonable

SEEDS = sorted(REPORTS_DIR.glob("*.txt"))
FORMATS = sorted(BUILDERS)
CASES = [pytest.param(seed, fmt, id=f"{seed.stem[:3]}{fmt}") for seed in SEEDS for fmt in FORMATS]


@lru_cache(maxsize=None)
def built(seed_name: str, fmt: str) -> bytes:
    return BUILDERS[fmt]((REPORTS_DIR / seed_name).read_text(encoding="utf-8"))


def _expected_lines(text: str, fmt: str) -> list[str]:
    """What the reader must give back for the builder's blocks, under each format's convention."""
    out: list[str] = []
    for block in blocks(text):
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif fmt == ".pdf" and len(block.rows) == 1 and len(block.rows[0]) == 1:
            out.extend(block.rows[0][0].split("\n"))  # a one-cell table is a frame: read as text
        else:
            out.extend("\t".join(cell.replace("\n", " ") for cell in row) for row in block.padded())
    if fmt == ".xlsx":
        trimmed = [re.sub(r"\t+$", "", line) for line in out]
        return [SHEET_MARK.format(name="报告")] + [line for line in trimmed if line != ""]
    if fmt == ".pdf":
        return _pdf_comparable(out)
    return out


def _pdf_comparable(lines: list[str]) -> list[str]:
    """PDF keeps no spacing: compare cell by cell without whitespace, and without empty rows."""
    squeezed = ["\t".join(re.sub(r"\s", "", cell) for cell in line.split("\t")) for line in lines]
    return [line for line in squeezed if line.strip("\t")]


@pytest.mark.parametrize("seed, fmt", CASES)
def test_reader_gives_back_the_built_text(seed, fmt):
    doc = read_bytes(built(seed.name, fmt), seed.stem + fmt)
    got = _pdf_comparable(doc.lines) if fmt == ".pdf" else doc.lines
    assert got == _expected_lines(seed.read_text(encoding="utf-8"), fmt)


def _without_lines(obj):
    if isinstance(obj, dict):
        return {k: _without_lines(v) for k, v in obj.items() if k != "line"}
    if isinstance(obj, list):
        return [_without_lines(v) for v in obj]
    return obj


def differences(got, want, path="", limit=15) -> list[str]:
    """Where two JSON values differ, as short 'path: got != want' lines (for the failure message)."""
    out: list[str] = []
    if isinstance(got, dict) and isinstance(want, dict):
        for key in sorted(set(got) | set(want), key=str):
            if len(out) >= limit:
                break
            out += differences(got.get(key, "<absent>"), want.get(key, "<absent>"), f"{path}.{key}", limit - len(out))
    elif isinstance(got, list) and isinstance(want, list):
        if len(got) != len(want):
            out.append(f"{path}: {len(got)} items != {len(want)} items")
        for i, (g, w) in enumerate(zip(got, want)):
            if len(out) >= limit:
                break
            out += differences(g, w, f"{path}[{i}]", limit - len(out))
    elif got != want:
        out.append(f"{path}: {str(got)[:80]!r} != {str(want)[:80]!r}")
    return out


@pytest.mark.parametrize("seed, fmt", CASES)
def test_same_evaluations_as_the_text_version(seed, fmt):
    from_text = to_jsonable(parse_bytes(seed.read_bytes(), seed.name))
    from_file = to_jsonable(parse_bytes(built(seed.name, fmt), seed.stem + fmt))
    assert from_text["evaluations"], "the text version itself yields no evaluation"
    got, want = _without_lines(from_file["evaluations"]), _without_lines(from_text["evaluations"])
    assert got == want, f"{fmt} differs from .txt (got != want):\n" + "\n".join(differences(got, want))


def test_built_files_hold_real_tables_and_numbers():
    import io

    import docx
    import openpyxl
    import pdfplumber

    seed = next(s for s in SEEDS if s.name.startswith("002"))
    document = docx.Document(io.BytesIO(built(seed.name, ".docx")))
    assert len(document.tables) == 2 and len(document.tables[1].rows) > 20
    sheet = openpyxl.load_workbook(io.BytesIO(built(seed.name, ".xlsx"))).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert 64 in values and all(type(v) is int for v in values if v == 64)  # numbers, not "64"
    assert "100%" in values  # a percentage stays text, as written
    with pdfplumber.open(io.BytesIO(built(seed.name, ".pdf"))) as pdf:
        assert sum(len(page.find_tables()) for page in pdf.pages) >= 2
