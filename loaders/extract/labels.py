"""Strategy stub (to be written)."""

from __future__ import annotations

from loaders.extract.base import Candidate, Context


def read(ctx: Context) -> list[Candidate]:
    return []
