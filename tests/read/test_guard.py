"""Guard rails: what a file really is, zip bombs, and the per-file time limit."""

from __future__ import annotations

import io
import signal
import threading
import time
import zipfile

import pytest

from loaders.read import ReadError, read_bytes
from loaders.read.guard import (
    MAX_MEMBERS,
    ReadTimeout,
    check_zip_bomb,
    open_ooxml_zip,
    sniff,
    time_limit,
    wrong_format_reason,
)


def _info(name: str, size: int, compressed: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = size, compressed
    return info


def test_ordinary_members_pass():
    check_zip_bomb([_info("word/document.xml", 5_000_000, 400_000), _info("word/media/a.png", 3_000_000, 2_900_000)])


def test_one_highly_compressed_big_member_is_a_bomb():
    with pytest.raises(ReadError, match="zip bomb"):
        check_zip_bomb([_info("word/document.xml", 50 * 1024 * 1024, 100_000)])


def test_small_member_may_compress_well():
    # 5 MB of repetitive XML at 1000:1 is normal for a blank-heavy sheet and is allowed.
    check_zip_bomb([_info("xl/worksheets/sheet1.xml", 5 * 1024 * 1024, 5_000)])


def test_total_uncompressed_size_is_limited():
    members = [_info(f"word/media/{i}.bin", 9 * 1024 * 1024, 9 * 1024 * 1024) for i in range(25)]
    with pytest.raises(ReadError, match="zip bomb.*共 225 MB"):
        check_zip_bomb(members)


def test_member_count_is_limited():
    members = [_info(f"x/{i}.xml", 10, 10) for i in range(MAX_MEMBERS + 1)]
    with pytest.raises(ReadError, match="zip bomb.*10001 个文件"):
        check_zip_bomb(members)


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "旧版 Office"),
        (b"\x89PNG\r\n\x1a\n" + bytes(10), "PNG"),
        (b"\xff\xd8\xff\xe0" + bytes(10), "JPEG"),
        (b"Rar!\x1a\x07\x00", "RAR"),
        (b"{\\rtf1\\ansi", "RTF"),
    ],
)
def test_sniff_names_what_the_bytes_are(data, expected):
    assert expected in sniff(data)


def test_plain_bytes_are_not_named():
    assert sniff(b"hello") is None
    assert wrong_format_reason(b"hello", ".docx") is None


def test_a_zip_inside_a_pdf_name_is_named_by_its_contents():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<x/>")
    assert "Word" in wrong_format_reason(buf.getvalue(), ".pdf")


def test_a_zip_without_the_main_part_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ReadError, match=r"缺少 word/document.xml"):
        open_ooxml_zip(buf.getvalue(), ".docx")


def test_an_xlsx_named_docx_is_named():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<x/>")
    with pytest.raises(ReadError, match=r"Excel.*扩展名却是 \.docx"):
        open_ooxml_zip(buf.getvalue(), ".docx")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf"])
def test_empty_file_is_a_clear_error(suffix):
    with pytest.raises(ReadError):
        read_bytes(b"", f"empty{suffix}")


# --- time limit ----------------------------------------------------------------------------


def test_time_limit_interrupts_a_slow_read():
    started = time.monotonic()
    with pytest.raises(ReadTimeout, match="读取超时"):
        with time_limit(0.2):
            while True:
                pass
    assert time.monotonic() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # nothing left armed


def test_time_limit_lets_a_fast_read_finish_and_restores_the_handler():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(5):
        value = sum(range(1000))
    assert value == 499500
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_time_limit_is_a_no_op_outside_the_main_thread():
    seen: list[object] = []

    def worker():
        try:
            with time_limit(0.05):
                time.sleep(0.2)
            seen.append("finished")
        except Exception as e:  # pragma: no cover - would be the failure
            seen.append(e)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen == ["finished"]


def test_an_outer_timer_is_re_armed_with_its_remaining_time():
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with time_limit(1):
            pass
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 25 < remaining <= 30
        assert not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_sooner_outer_timer_keeps_governing():
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with time_limit(10):
            time.sleep(0.3)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_an_alarm_swallowed_by_a_library_still_times_out():
    swallowed = 0
    with pytest.raises(ReadTimeout):
        with time_limit(0.1):
            deadline = time.monotonic() + 0.5
            while time.monotonic() < deadline:  # a library loop that eats every exception
                try:
                    time.sleep(0.01)
                except Exception:
                    swallowed += 1
    assert swallowed >= 1
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
