"""Guard rails shared by the binary readers: what a file really is, zip-bomb inspection, and a
per-file time limit.

A steward's folder can hold anything: a PDF renamed .docx, a truncated download, a hostile
archive. Each check here turns such a file into a one-line ReadError before a library sees it,
so one bad file costs milliseconds and never takes the batch down.
"""

from __future__ import annotations

import io
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from loaders.read.base import ReadError

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all members together; a real report is < 20 MB
MAX_MEMBER_RATIO = 100  # deflate of real XML reaches ~10-30; zeros reach ~1000
MAX_RATIO_MEMBER_BYTES = 10 * 1024 * 1024  # small members may compress well; big ones may not
MAX_MEMBERS = 10_000
READ_SECONDS = 60  # per file; the largest real report reads in well under a second

# What each zip-based format must contain, and how to name it in a message.
_OOXML_PARTS = {
    ".docx": ("word/document.xml", "Word 文档 (.docx)"),
    ".xlsx": ("xl/workbook.xml", "Excel 工作簿 (.xlsx)"),
    ".pptx": ("ppt/presentation.xml", "PowerPoint 演示文稿 (.pptx)"),
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC_NAMES = (
    (b"%PDF", "PDF 文件"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)


def sniff(data: bytes) -> str | None:
    """A human name for what the bytes look like, from magic numbers; None when unknown."""
    head = data[:1024]
    if head.startswith(_OLE_MAGIC):
        return "旧版 Office 文件 (.doc/.xls/.wps/.et) 或带密码的 Office 文件"
    for magic, label in _MAGIC_NAMES:
        if head.startswith(magic):
            return label
    if b"%PDF-" in head:  # a PDF may carry junk before its header
        return "PDF 文件"
    return None


def wrong_format_reason(data: bytes, expected_suffix: str) -> str | None:
    """A message when the bytes are clearly another format than the extension says."""
    what = sniff(data)
    if what is None and data.startswith(b"PK\x03\x04") and expected_suffix not in _OOXML_PARTS:
        what = _zip_kind(data)
    if what is None:
        return None
    if what.startswith("旧版 Office"):
        return f"这是{what}，不是 {expected_suffix}：请在 Office/WPS 中另存为 {expected_suffix} (如有密码请先去掉)"
    if what == "PDF 文件" and expected_suffix == ".pdf":
        return None
    hint = " (请改正扩展名)" if what == "PDF 文件" else ""
    space = " " if what[0].isascii() else ""
    return f"文件内容是{space}{what}，扩展名却是 {expected_suffix}{hint}"


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return "zip 压缩包"
    for part, label in _OOXML_PARTS.values():
        if part in names:
            return label
    return "zip 压缩包"


def open_ooxml_zip(data: bytes, suffix: str) -> zipfile.ZipFile:
    """Open a .docx/.xlsx as a zip after checking it is one, of the right kind, and no bomb.

    Only the central directory is read here; nothing is decompressed. Python's zipfile stops
    every member at its declared size (and then fails the CRC check), so the declared sizes
    checked here bound what python-docx and openpyxl can inflate later.
    """
    label = _OOXML_PARTS[suffix][1]
    reason = wrong_format_reason(data, suffix)
    if reason:
        raise ReadError(reason)
    if not data:
        raise ReadError(f"空文件，不是有效的 {suffix}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as e:
        raise ReadError(f"文件已损坏或不是有效的 {suffix} ({label}应是 zip 格式，此文件无法按 zip 打开，可能已被截断)") from e
    check_zip_bomb(infos)
    names = {i.filename for i in infos}
    required = _OOXML_PARTS[suffix][0]
    if required not in names:
        for other, (part, other_label) in _OOXML_PARTS.items():
            if other != suffix and part in names:
                raise ReadError(f"文件内容是{other_label}，扩展名却是 {suffix}")
        if any(i.flag_bits & 0x1 for i in infos):
            raise ReadError(f"文件带有密码 (加密的 zip)，不是有效的 {suffix}")
        raise ReadError(f"文件已损坏或不是有效的 {suffix} (缺少 {required})")
    return zf


def check_zip_bomb(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse archives whose declared sizes could exhaust memory or time when inflated."""
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"疑似压缩炸弹 (zip bomb)：包含 {len(infos)} 个文件 (上限 {MAX_MEMBERS})")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_RATIO_MEMBER_BYTES and ratio > MAX_MEMBER_RATIO:
            raise ReadError(
                f"疑似压缩炸弹 (zip bomb)：{info.filename} 解压后 {info.file_size / 1024 / 1024:.0f} MB，"
                f"压缩比 {ratio:.0f}:1"
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ReadError(
            f"疑似压缩炸弹 (zip bomb)：解压后共 {total / 1024 / 1024:.0f} MB "
            f"(上限 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB)"
        )


class ReadTimeout(ReadError):
    """Reading one file took longer than its time limit."""


def find_wrapped(e: BaseException, kind: type) -> BaseException | None:
    """An exception of `kind` that a library caught and wrapped in its own exception (as its
    cause, context or an argument), or `e` itself when it is one."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [e]
    while todo:
        cur = todo.pop()
        if cur is None or id(cur) in seen:
            continue
        seen.add(id(cur))
        if isinstance(cur, kind):
            return cur
        todo += [cur.__cause__, cur.__context__] + [a for a in getattr(cur, "args", ()) if isinstance(a, BaseException)]
    return None


def wrapped_read_error(e: BaseException) -> ReadError | None:
    """A ReadError (e.g. the time limit) that a library caught and wrapped in its own exception."""
    return find_wrapped(e, ReadError)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ReadTimeout if the body runs longer than `seconds` (wall clock).

    Uses SIGALRM through setitimer, so it works only in the main thread of a process (the CLI
    and process-pool workers); elsewhere it is a no-op. Libraries sometimes swallow whatever is
    raised inside them (pdfminer wraps its debug logging in `except Exception`), so the alarm
    repeats until the body ends, and a body that finishes after a swallowed alarm still counts
    as timed out. An outer timer that is already armed (e.g. pytest-timeout) is respected: if it
    fires sooner it keeps governing, and it is re-armed with its remaining time on exit.
    """
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    outer_remaining, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    if outer_remaining and outer_remaining <= seconds:
        yield  # the outer alarm comes first; installing ours would steal its signal
        return
    message = f"读取超时 (超过 {seconds:g} 秒)，文件可能过于复杂或已损坏"
    state = {"fired": False, "closing": False}

    def on_alarm(signum, frame):
        if state["closing"]:
            return
        state["fired"] = True
        raise ReadTimeout(message)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, min(seconds, 0.5))
    try:
        yield
    finally:
        while True:  # an alarm landing before `closing` is set must not skip the cleanup
            try:
                state["closing"] = True
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except ReadTimeout:
                continue
        signal.signal(signal.SIGALRM, previous)
        if outer_remaining:
            left = outer_remaining - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), outer_interval)
    if state["fired"]:
        raise ReadTimeout(message)
