"""Text reading: encodings are detected from evidence; bad input is a clear error, never a crash."""

from __future__ import annotations

import codecs

import pytest

from project_paths import REPORTS_DIR
from loaders.read import ReadError, read_bytes
from loaders.read.text import decode

SEED = REPORTS_DIR / "002_e1e9dc7755af7730.txt"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encode, expected",
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("gbk"), "gb18030"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: t.encode("utf-16-le"), "utf-16"),
        (lambda t: t.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-bom", "utf16le-nobom", "utf16be-nobom"],
)
def test_encodings_round_trip(seed_text, encode, expected):
    text, enc = decode(encode(seed_text))
    assert enc == expected
    assert text == seed_text


def test_lines_keep_original_and_normalized_form():
    doc = read_bytes("第一行\n　全角１２３％\r\n三".encode("utf-8"), "x.txt")
    assert doc.lines == ["第一行", "　全角１２３％", "三"]
    assert doc.norm[1] == " 全角123%"
    assert [c.line for c in doc.cells] == [1, 2, 3]


def test_cells_split_on_tabs_and_pipes():
    doc = read_bytes("a\tb\t\tc\nd | e |\n".encode("utf-8"), "x.txt")
    assert [(c.text, c.line, c.col) for c in doc.cells] == [
        ("a", 1, 0), ("b", 1, 1), ("c", 1, 3), ("d", 2, 0), ("e", 2, 1),
    ]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "空文件"),
        (b"   \n\n ", "空文件"),
        (bytes(range(256)) * 40, "二进制"),
        (b"\x89PNG\r\n\x1a\n" + bytes(2000), "二进制"),
        ("plain ascii words only, no report".encode("latin-1") + b"\xe9\xe8\xff\xfe\xfa" * 3, "编码"),
    ],
    ids=["empty", "blank", "binary", "png-as-txt", "latin1"],
)
def test_bad_text_is_a_clear_error(data, reason):
    with pytest.raises(ReadError, match=reason):
        read_bytes(data, "bad.txt")


@pytest.mark.parametrize("name", ["old.doc", "x.wps", "y.et", "scan.png", "pack.zip", "a.xls"])
def test_unsupported_formats_say_what_to_convert_to(name):
    with pytest.raises(ReadError, match="不支持"):
        read_bytes(b"whatever", name)


def test_huge_file_is_refused_without_reading_it_as_text():
    with pytest.raises(ReadError, match="文件过大"):
        read_bytes(b"a" * (51 * 1024 * 1024), "huge.txt")
