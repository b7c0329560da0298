"""What every reader shares: the `Document` it returns, `ReadError`, the size limits and the
text normalisation. The format modules import this module, never the package (which imports
them), so loaders.read has no import cycle.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


class ReadError(Exception):
    """The file cannot be read as a report; the message says why, in one line."""


MAX_BYTES = 50 * 1024 * 1024  # a report is at most a few MB; more is a wrong or hostile file
MAX_TEXT_BYTES = 10 * 1024 * 1024  # the longest real report text is ~100 KB
# What one file may hold once read. The longest real report has ~2,000 lines, ~100 KB of text
# and a few thousand table cells; a file far beyond that is broken or built to exhaust the parser
# (an 878-byte .docx whose cell spans 20 million columns), and is refused naming the limit.
MAX_LINES = 200_000
MAX_TEXT_CHARS = 5_000_000
MAX_TABLE_CELLS = 1_000_000  # grid positions of all tables of a file together
MAX_SPAN = 1_000  # columns one table cell may span (Word allows 63)
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


def over_limit(what: str, value: int, limit: int, unit: str = "") -> ReadError:
    """The ReadError for a file that exceeds one of the limits above, naming it."""
    return ReadError(f"文件超出读取上限：{what} {value:,}{unit} 超过上限 {limit:,}{unit}，不像是一份评价报告"
                     f" (可能已损坏或是恶意构造的)")


class TextBudget:
    """Counts what a reader produces and raises `over_limit` as soon as a limit is passed, before
    the rest is built."""

    __slots__ = ("lines", "chars", "cells")

    def __init__(self) -> None:
        self.lines = self.chars = self.cells = 0

    def add_line(self, line: str) -> str:
        self.lines += 1
        self.chars += len(line)
        if self.lines > MAX_LINES:
            raise over_limit("文本行数", self.lines, MAX_LINES, " 行")
        if self.chars > MAX_TEXT_CHARS:
            raise over_limit("文字总量", self.chars, MAX_TEXT_CHARS, " 个字符")
        return line

    def add_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > MAX_TABLE_CELLS:
            raise over_limit("表格单元格总数", self.cells, MAX_TABLE_CELLS, " 个")


def check_span(span: int, what: str = "表格单元格跨列数") -> int:
    if span > MAX_SPAN:
        raise over_limit(what, span, MAX_SPAN, " 列")
    return max(span, 0)


def check_text_limits(lines: list[str]) -> None:
    """Refuse a document with more lines or text than MAX_LINES / MAX_TEXT_CHARS."""
    if len(lines) > MAX_LINES:
        raise over_limit("文本行数", len(lines), MAX_LINES, " 行")
    chars = sum(map(len, lines))
    if chars > MAX_TEXT_CHARS:
        raise over_limit("文字总量", chars, MAX_TEXT_CHARS, " 个字符")


def _compat_starters() -> tuple[tuple[str, str], ...]:
    """(character, its NFKD form) for the compatibility characters reports are full of:
    full-width ASCII (，（）：％…), the ideographic space, circled numbers ①…⑳ and the
    ellipsis. Each is a starter whose decomposition is starters only, so writing it decomposed
    leaves the NFKD form of the whole text, hence its NFKC form, exactly as it was."""
    chars = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000", "\u2026"] + [chr(c) for c in range(0x2460, 0x2474)]
    out = []
    for ch in chars:
        d = unicodedata.normalize("NFKD", ch)
        assert unicodedata.combining(ch) == 0 and all(unicodedata.combining(x) == 0 for x in d)
        out.append((ch, d))
    return tuple(out)


_COMPAT_STARTERS = _compat_starters()


def _nfkc(s: str) -> str:
    """unicodedata.normalize("NFKC", s), faster on long text. NFKC of a whole document is slow
    (every character is decomposed and recomposed once the quick check fails, and it fails on
    the first "，"); replacing the common compatibility characters by their decompositions with
    str.replace (fast C scans) usually leaves text that passes the quick check as it is. Where
    it does not, NFKC runs on the replaced text, whose NFKC form is the same."""
    if unicodedata.is_normalized("NFKC", s):
        return s
    if len(s) > 256:  # on a short string the scans cost more than NFKC itself
        for ch, decomposed in _COMPAT_STARTERS:
            if ch in s:
                s = s.replace(ch, decomposed)
        if unicodedata.is_normalized("NFKC", s):
            return s
    return unicodedata.normalize("NFKC", s)


def normalize_text(s: str) -> str:
    """The matching form of a line: NFKC (full-width to half-width), spaces folded.

    Document-number brackets 〔〕 survive NFKC unchanged, as DOMAIN.md asks. (A line is
    normalised once: the same lines recur within a document's readings and across the reports
    of one template.)
    """
    if len(s) <= 300:
        return _normalize_line(s)
    return _normalize(s)


@lru_cache(maxsize=65536)
def _normalize_line(s: str) -> str:
    return _normalize(s)


def _normalize(s: str) -> str:
    # Fast paths with the same result: NFKC leaves ASCII as it is, and after NFKC there is no
    # U+3000 or U+00A0 left (both become " "), so only a run of two spaces needs the fold.
    if not s.isascii():
        s = _nfkc(s)
    while "  " in s:  # folds every run of spaces to one, by C scans (faster than the regex)
        s = s.replace("  ", " ")
    return s


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
            # One pass over the whole text instead of one call per line: NFKC neither makes
            # nor removes a line break and nothing composes across one, and the space fold
            # stops at line breaks, so the lines come out the same (checked by their count).
            text = normalize_text("\n".join(self.lines))
            norm = text.split("\n")
            if len(norm) != len(self.lines):  # a line holding a line break (not from our readers)
                norm = [normalize_text(line) for line in self.lines]
            else:
                self.__dict__["_text_cache"] = (norm, text)
            self._norm = norm
        return self._norm

    @property
    def text(self) -> str:
        # Cached beside the normalized lines it joins (not a dataclass field, so
        # dataclasses.replace never carries it over to a document with other lines).
        norm = self.norm
        cached = self.__dict__.get("_text_cache")
        if cached is None or cached[0] is not norm:
            cached = (norm, "\n".join(norm))
            self.__dict__["_text_cache"] = cached
        return cached[1]

    @property
    def cells(self) -> list[Cell]:
        """Every non-empty cell in reading order: lines split on tabs and '|'."""
        if self._cells is None:
            out: list[Cell] = []
            for i, line in enumerate(self.norm, start=1):
                # Splitting on '|' and on TAB is splitting on TAB once '|' became one.
                parts = line.replace("|", "\t").split("\t") if ("\t" in line or "|" in line) else [line]
                for col, p in enumerate(parts):
                    t = p.strip()
                    if t:
                        out.append(Cell(t, i, col))
            self._cells = out
        return self._cells

    def line_of_offset(self, offset: int) -> int:
        """1-based line number of a character offset into `text`."""
        return self.text.count("\n", 0, offset) + 1


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
