"""Template families: one module per family, one registry (FAMILIES) in detection order.

Each family module exposes:
  NAME: str                                  stable family id, stored in source_file.family
  detect(doc: Document) -> float             0.0 (not this family) … 1.0 (certainly this family)
  extract(doc: Document) -> list[Evaluation] every evaluation the document holds, with the
                                             family-specific quality flags already attached

Every document is also read by the general strategies (loaders/extract), which are all that
read a document no family claims; `loaders.parse` merges the two readings. What the families
share (table blocks, labelled fields …) is in `toolkit`.
"""

from __future__ import annotations

from types import ModuleType

from loaders.families import (
    indicator_grid,
    national_project_form,
    third_party_dept,
    yueyang_dept_self,
)
from loaders.read import Document

FAMILIES: tuple[ModuleType, ...] = (
    national_project_form,
    third_party_dept,
    yueyang_dept_self,
    indicator_grid,
)

DETECT_THRESHOLD = 0.5
# Families whose detect reads the text only (no table blocks): cheap enough to ask ahead.
CHEAP_DETECT: tuple[ModuleType, ...] = (third_party_dept, yueyang_dept_self)


def detect(doc: Document) -> ModuleType | None:
    """The family with the highest detection score at or above the threshold, else None (the
    first such family on a tie).

    Short cuts that give the same answer for less work:
    - a family whose `might_claim(doc)` is False scores below the threshold for certain, so it
      can be neither the answer nor beat it;
    - a family with a `score_bound(doc)` (its score is at most that) is not asked when an earlier
      family already scored as much, or when a later family with a cheap detect scores more;
    - no score exceeds 1.0, so once a family scores 1.0 no later one can replace it."""
    best, best_score = None, 0.0
    ahead: dict[ModuleType, float] = {}  # cheap scores asked for ahead of their turn
    for i, fam in enumerate(FAMILIES):
        might_claim = getattr(fam, "might_claim", None)
        if might_claim is not None and not might_claim(doc):
            continue
        score_bound = getattr(fam, "score_bound", None)
        if fam not in ahead and score_bound is not None:
            bound = score_bound(doc)
            if bound <= best_score:
                continue  # a tie does not replace the earlier family
            if bound < 1.0 and any(_ahead(later, doc, ahead) > bound for later in FAMILIES[i + 1:] if later in CHEAP_DETECT):
                continue  # a later family scores more than this one can
        score = ahead[fam] if fam in ahead else fam.detect(doc)
        if score > best_score:
            best, best_score = fam, score
        if best_score >= 1.0:
            break
    return best if best_score >= DETECT_THRESHOLD else None


def _ahead(fam: ModuleType, doc: Document, ahead: dict[ModuleType, float]) -> float:
    if fam not in ahead:
        ahead[fam] = fam.detect(doc)
    return ahead[fam]


__all__ = ["FAMILIES", "detect"]
