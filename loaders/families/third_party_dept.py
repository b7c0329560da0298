"""Placeholder: being written."""

from __future__ import annotations

from loaders.read import Document
from loaders.records import Evaluation

NAME = "third_party_dept"


def detect(doc: Document) -> float:
    return 0.0


def extract(doc: Document) -> list[Evaluation]:
    return []
