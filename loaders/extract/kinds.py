"""Document kinds (stub)."""

from __future__ import annotations

from loaders.extract.base import Context


def classify(ctx: Context, fields, ev) -> str:
    return "evaluation"
