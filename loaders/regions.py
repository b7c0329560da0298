"""Placeholder: being written (region resolution)."""

from __future__ import annotations

from loaders.records import Unit


def resolve_unit(name_raw: str, hint_text: str = "", fiscal_year: int | None = None, line: int | None = None) -> Unit:
    return Unit(name=name_raw, name_raw=name_raw, line=line)
