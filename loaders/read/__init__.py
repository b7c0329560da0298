"""Readers: turn a report file's bytes into a `Document` of text lines.

One module per file format. Every reader produces plain text lines (table cells separated by
tabs, one table row per line), which is what gets stored in the warehouse, so a `line` number in
a record always points into text the user can see.
"""

from __future__ import annotations

from pathlib import PurePath

from loaders.read.base import (  # noqa: F401 (the package's interface)
    MAX_BYTES,
    MAX_TEXT_BYTES,
    SUPPORTED,
    UNSUPPORTED_HINTS,
    Cell,
    Document,
    ReadError,
    check_text_limits,
    normalize_text,
    sha256_of,
)


def read_bytes(data: bytes, name: str) -> Document:
    """Dispatch on the file extension (and magic bytes); raise ReadError with a clear reason,
    also when the text read passes a limit of base.py (lines, characters)."""
    doc = _read(data, name)
    check_text_limits(doc.lines)
    return doc


def _read(data: bytes, name: str) -> Document:
    suffix = PurePath(name).suffix.lower()
    if len(data) > MAX_BYTES:
        raise ReadError(f"文件过大 ({len(data) / 1024 / 1024:.1f} MB > {MAX_BYTES // 1024 // 1024} MB)，不像是一份评价报告")
    if suffix in UNSUPPORTED_HINTS:
        raise ReadError(f"不支持的格式 {suffix}: {UNSUPPORTED_HINTS[suffix]}")
    if suffix == ".docx":
        from loaders.read import docx

        return docx.read(data, name)
    if suffix == ".xlsx":
        from loaders.read import xlsx

        return xlsx.read(data, name)
    if suffix == ".pdf":
        from loaders.read import pdf

        return pdf.read(data, name)
    if suffix in (".txt", ".text", ".csv", ".md", ""):
        from loaders.read import text

        if len(data) > MAX_TEXT_BYTES:
            raise ReadError(
                f"文件过大 ({len(data) / 1024 / 1024:.1f} MB > {MAX_TEXT_BYTES // 1024 // 1024} MB 文本)，不像是一份评价报告"
            )

        return text.read(data, name)
    raise ReadError(f"不支持的格式 {suffix or '(无扩展名)'}: 请转换为 .txt / .docx / .xlsx / .pdf")
