"""The lexicon: how reports name things, as data (one TOML file per kind of thing).

Code reads the vocabulary from here and nowhere else: a new synonym is a one-line change to a
file in this folder (and a spec line in tests/lexicon/), never a change to a strategy.

  fields.toml      figures (money, rates, counts, scores, grades) and the labels that name them
  columns.toml     column roles of money grids and indicator tables (分值, 得分, 年度指标值 …)
  indicators.toml  level-1 and level-2 indicator labels and the canonical dimension of each
  documents.toml   document kinds, report kinds, evaluation modes, evaluators, title words
  units.toml       organisation suffixes (总工会, 局, 委员会, 医院, 学校, 镇人民政府 …)
  grades.toml      grade words (优秀, 良好, 合格 …) → 优/良/中/差
  prose.toml       how running text states figures (sentence rules of the prose strategy)
  ocr.toml         misreads repaired before matching (W → ≤, doubled characters …)
  sheets.toml      basic-data sheets: staffing header rows, year-by-kind columns and their rows
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FILES = ("fields", "columns", "indicators", "documents", "units", "grades", "ocr", "prose", "sheets")


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """One vocabulary file, parsed (cached: the files are read once per process)."""
    if name not in FILES:
        raise KeyError(f"no lexicon file {name!r}; known: {', '.join(FILES)}")
    with open(HERE / f"{name}.toml", "rb") as f:
        return tomllib.load(f)


def squash(s: str) -> str:
    """Matching form of a label: no whitespace. (Texts are NFKC'd and simplified before.)"""
    return "".join(s.split())
