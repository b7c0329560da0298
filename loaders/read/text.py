"""Plain-text reports: detect the encoding from evidence, never guess silently.

Order: BOMs (UTF-8, UTF-16 LE/BE), strict UTF-8, UTF-16 without BOM (by the NUL-byte pattern),
strict GB18030 (a superset of GBK and GB2312). Whatever decodes only by guessing is refused.
"""

from __future__ import annotations

import codecs

from loaders.read.base import MAX_LINES, Document, ReadError, over_limit, sha256_of

_CJK_LO, _CJK_HI = 0x4E00, 0x9FFF


# Control bytes that never occur in text (TAB, LF, VT, FF, CR and ESC do).
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or (13 < b < 32 and b != 27))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # counted in C
    return controls / len(sample) > 0.05


def _cjk_share(text: str) -> float:
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _CJK_LO <= ord(c) <= _CJK_HI) / len(letters)


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even_nul = data[0::2].count(0)
    odd_nul = data[1::2].count(0)
    half = len(data) // 2
    # Chinese in UTF-16 has few NULs, but ASCII punctuation and digits put NULs in one lane.
    for enc, lane_nul, other_nul in (("utf-16-le", odd_nul, even_nul), ("utf-16-be", even_nul, odd_nul)):
        if lane_nul > half * 0.1 and other_nul < half * 0.02:
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raise ReadError when the bytes are not text we can trust."""
    if not data.strip():
        raise ReadError("空文件 (没有任何文字)")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise ReadError(f"UTF-16 文件已损坏: {e.reason} (字节 {e.start})") from e
    try:
        text = data.decode("utf-8", errors="strict")
        if _looks_binary(data):
            raise ReadError("二进制文件，不是文本报告")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16, "utf-16"
    if _looks_binary(data):
        raise ReadError("二进制文件，不是文本报告")
    try:
        text = data.decode("gb18030", errors="strict")
    except UnicodeDecodeError as e:
        raise ReadError(f"无法识别的文字编码 (既不是 UTF-8/UTF-16，也不是 GB18030/GBK；字节 {e.start} 处出错)") from e
    if _cjk_share(text) < 0.2:
        raise ReadError("无法可靠识别文字编码 (按 GB18030 解码后几乎没有中文)，请另存为 UTF-8")
    return text, "gb18030"


def read(data: bytes, name: str) -> Document:
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    breaks = text.count("\n")
    if breaks > MAX_LINES:  # counted before a list of millions of lines is made
        raise over_limit("文本行数", breaks, MAX_LINES, " 行")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return Document(
        name=name,
        format="txt",
        encoding=encoding,
        lines=lines,
        sha256=sha256_of(data),
        size_bytes=len(data),
    )
