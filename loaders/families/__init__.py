"""Template families: one module per family, one registry (FAMILIES) in detection order.

Each family module exposes:
  NAME: str                                  stable family id, stored in source_file.family
  detect(doc: Document) -> float             0.0 (not this family) … 1.0 (certainly this family)
  extract(doc: Document) -> list[Evaluation] every evaluation the document holds, with the
                                             family-specific quality flags already attached

The generic extractor (`generic`) is not in FAMILIES: it runs only when no family claims the
document, and marks what it finds as low confidence.
"""

from __future__ import annotations

from types import ModuleType

from loaders.families import (
    generic,
    hunan_basic_data,
    indicator_grid,
    national_project_form,
    score_rubric,
    third_party_dept,
    yueyang_dept_self,
)
from loaders.read import Document

FAMILIES: tuple[ModuleType, ...] = (
    national_project_form,
    third_party_dept,
    yueyang_dept_self,
    indicator_grid,
    score_rubric,
    hunan_basic_data,
)

DETECT_THRESHOLD = 0.5


def detect(doc: Document) -> ModuleType | None:
    """The family with the highest detection score at or above the threshold, else None."""
    best, best_score = None, 0.0
    for fam in FAMILIES:
        score = fam.detect(doc)
        if score > best_score:
            best, best_score = fam, score
    return best if best_score >= DETECT_THRESHOLD else None


__all__ = ["FAMILIES", "detect", "generic"]
