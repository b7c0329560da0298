"""The pages, in menu order: plain data. A test checks this list and dashboard/pages/ agree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard/pages/overview.py", "总览", "📊", "overview"),
)
