"""Readers: turn a report file's bytes into a `Document` of text lines.

One module per file format. Every reader produces plain text lines (table cells separated by
tabs, one table row per line), which is what gets stored in the warehouse, so a `line` number in
a record always points into text the user can see.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath


class ReadError(Exception):
    """The file cannot be read as a report; the message says why, in one line."""


MAX_BYTES = 50 * 1024 * 1024  # a report is at most a few MB; more is a wrong or hostile file
MAX_TEXT_BYTES = 10 * 1024 * 1024  # the longest real report text is ~100 KB
SUPPORTED = (".txt", ".docx", ".xlsx", ".pdf")
UNSUPPORTED_HINTS = {
    ".doc": "旧版 Word (.doc) 不支持，请另存为 .docx",
    ".wps": "WPS 文字 (.wps) 不支持，请另存为 .docx",
    ".et": "WPS 表格 (.et) 不支持，请另存为 .xlsx",
    ".xls": "旧版 Excel (.xls) 不支持，请另存为 .xlsx",
    ".zip": "压缩包不支持，请解压后逐个导入",
    ".rar": "压缩包不支持，请解压后逐个导入",
    ".7z": "压缩包不支持，请解压后逐个导入",
    ".png": "图片不支持，需要先 OCR 识别成文字",
    ".jpg": "图片不支持，需要先 OCR 识别成文字",
    ".jpeg": "图片不支持，需要先 OCR 识别成文字",
    ".tif": "图片不支持，需要先 OCR 识别成文字",
    ".tiff": "图片不支持，需要先 OCR 识别成文字",
    ".bmp": "图片不支持，需要先 OCR 识别成文字",
}

_SPACE_RUN = re.compile(r"[ \u3000\u00a0]+")


def normalize_text(s: str) -> str:
    """The matching form of a line: NFKC (full-width to half-width), spaces folded.

    Document-number brackets 〔〕 survive NFKC unchanged, as DOMAIN.md asks.
    """
    return _SPACE_RUN.sub(" ", unicodedata.normalize("NFKC", s))


@dataclass(frozen=True)
class Cell:
    text: str  # normalized (NFKC, trimmed)
    line: int  # 1-based line in Document.lines
    col: int  # 0-based position in its line


@dataclass
class Document:
    name: str
    format: str
    encoding: str | None
    lines: list[str]  # original text, as stored
    sha256: str
    size_bytes: int
    notes: list[str] = field(default_factory=list)
    _norm: list[str] | None = None
    _cells: list[Cell] | None = None

    @property
    def norm(self) -> list[str]:
        """NFKC-normalized lines, index i = line i+1."""
        if self._norm is None:
            self._norm = [normalize_text(line) for line in self.lines]
        return self._norm

    @property
    def text(self) -> str:
        return "\n".join(self.norm)

    @property
    def cells(self) -> list[Cell]:
        """Every non-empty cell in reading order: lines split on tabs and '|'."""
        if self._cells is None:
            out: list[Cell] = []
            for i, line in enumerate(self.norm, start=1):
                parts = re.split(r"\t|\|", line) if ("\t" in line or "|" in line) else [line]
                col = 0
                for p in parts:
                    t = p.strip()
                    if t:
                        out.append(Cell(t, i, col))
                    col += 1
            self._cells = out
        return self._cells

    def line_of_offset(self, offset: int) -> int:
        """1-based line number of a character offset into `text`."""
        return self.text.count("\n", 0, offset) + 1


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(data: bytes, name: str) -> Document:
    """Dispatch on the file extension (and magic bytes); raise ReadError with a clear reason."""
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
