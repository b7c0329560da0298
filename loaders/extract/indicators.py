"""Indicator tables (stub)."""

from __future__ import annotations

from loaders.extract.base import Context
from loaders.records import Indicator


def read(ctx: Context) -> list[Indicator]:
    return []
