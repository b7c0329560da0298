"""How the CLI and the load report name things for people: the Chinese names of document kinds
(the names themselves are data: loaders/lexicon/documents.toml, table kind_names)."""

from __future__ import annotations

from loaders import lexicon


def document_kind_names() -> dict[str, str]:
    """The Chinese name of every document kind (loaders/lexicon/documents.toml, table kind_names)."""
    return lexicon.load("documents")["kind_names"]


def document_kind_label(kind: str | None) -> str:
    """How the load report names a document kind: 绩效评价, or e.g. 决算公开页（非评价）."""
    kind = kind or "evaluation"
    name = document_kind_names().get(kind, kind)
    return name if kind == "evaluation" else f"{name}（非评价）"
