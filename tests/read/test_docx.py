"""Word reader: document order, merged cells once, nested tables, Chinese intact, bad files."""

from __future__ import annotations

import copy
import io
import time
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from loaders.read import ReadError, read_bytes


def save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def fill(table, rows):
    for r, values in enumerate(rows):
        for c, value in enumerate(values or []):
            if value is not None:
                table.cell(r, c).text = value


@pytest.fixture
def small_report() -> bytes:
    d = docx.Document()
    d.add_paragraph("霍邱县总工会２０２３年度项目支出绩效自评表")
    t = d.add_table(rows=3, cols=4)
    fill(t, [["年初预算数", "全年预算数", "全年执行数", "执行率"], ["64", "64", "64", "100%"], ["549.6875", "", "", ""]])
    d.add_paragraph("总分：９５分，评价等次：优。")
    return save(d)


def test_paragraphs_and_tables_in_document_order(small_report):
    doc = read_bytes(small_report, "r.docx")
    assert doc.format == "docx"
    assert doc.lines == [
        "霍邱县总工会２０２３年度项目支出绩效自评表",
        "年初预算数\t全年预算数\t全年执行数\t执行率",
        "64\t64\t64\t100%",
        "549.6875\t\t\t",
        "总分：９５分，评价等次：优。",
    ]
    # Original text is stored as written; the matching form is NFKC.
    assert doc.norm[4] == "总分:95分,评价等次:优。"
    assert [c.text for c in doc.cells if c.line == 3] == ["64", "64", "64", "100%"]


def test_merged_cells_are_reported_once_and_columns_stay_aligned():
    d = docx.Document()
    t = d.add_table(rows=4, cols=4)
    fill(t, [["一级指标", "二级指标", "三级指标", "分值"], ["产出指标", "数量指标", "指标1", "10"],
             [None, None, "指标2", "20"], ["合计", None, None, "30"]])
    t.cell(1, 0).merge(t.cell(2, 0))  # vertical: 产出指标 spans two rows
    t.cell(1, 1).merge(t.cell(2, 1))
    t.cell(3, 0).merge(t.cell(3, 2))  # horizontal: 合计 spans three columns
    lines = read_bytes(save(d), "m.docx").lines
    assert lines == [
        "一级指标\t二级指标\t三级指标\t分值",
        "产出指标\t数量指标\t指标1\t10",
        "\t\t指标2\t20",
        "合计\t\t\t30",
    ]
    assert sum(line.count("产出指标") for line in lines) == 1


def test_a_merge_across_rows_and_columns_is_reported_once():
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    fill(t, [["块", None, "c"], [None, None, "f"], ["g", "h", "i"]])
    t.cell(0, 0).merge(t.cell(1, 1))
    assert read_bytes(save(d), "m.docx").lines == ["块\t\tc", "\t\tf", "g\th\ti"]


def test_nested_table_is_flattened_after_its_parent_row():
    d = docx.Document()
    d.add_paragraph("前")
    t = d.add_table(rows=2, cols=2)
    fill(t, [["指标", "说明"], ["满意度", "见下表"]])
    inner = t.cell(1, 1).add_table(rows=2, cols=2)
    fill(inner, [["服务对象", "满意度"], ["职工", "98.5%"]])
    t.add_row()
    fill(t, [None, None, ["合计", "100"]])
    d.add_paragraph("后")
    assert read_bytes(save(d), "n.docx").lines == [
        "前",
        "指标\t说明",
        "满意度\t见下表",
        "服务对象\t满意度",
        "职工\t98.5%",
        "合计\t100",
        "后",
    ]


def test_cell_paragraphs_and_breaks_join_with_a_space_and_paragraph_breaks_split_lines():
    d = docx.Document()
    p = d.add_paragraph("年初预算数：64万元")
    p.add_run().add_break()
    p.add_run("全年执行数：64万元\t（含结转）")
    t = d.add_table(rows=1, cols=2)
    cell = t.cell(0, 0)
    cell.text = "经济效益"
    cell.add_paragraph("指标")
    t.cell(0, 1).text = "第一行\n第二行"
    assert read_bytes(save(d), "b.docx").lines == [
        "年初预算数：64万元",
        "全年执行数：64万元\t（含结转）",
        "经济效益 指标\t第一行 第二行",
    ]


def test_text_in_content_controls_and_hyperlinks_is_read():
    d = docx.Document()
    p = d.add_paragraph("单位名称：")
    p._p.append(parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtContent><w:r><w:t>信丰县总工会</w:t></w:r></w:sdtContent></w:sdt>'
    ))
    p._p.append(parse_xml(
        f'<w:hyperlink {nsdecls("w")}><w:r><w:t>（链接）</w:t></w:r></w:hyperlink>'
    ))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")}><w:r><w:delText>删掉的字</w:delText></w:r></w:del>'))
    assert read_bytes(save(d), "c.docx").lines == ["单位名称：信丰县总工会（链接）"]


def test_rare_characters_survive():
    text = "〔2015〕23号 ①②③ ≦100% “三公经费” 洪城热恋·牵手幸福 喆堃犇 ￥1,234.56"
    d = docx.Document()
    d.add_paragraph(text)
    assert read_bytes(save(d), "z.docx").lines == [text]


# --- bad files ------------------------------------------------------------------------------


def test_truncated_docx_is_a_clear_error(small_report):
    with pytest.raises(ReadError, match=r"文件已损坏或不是有效的 \.docx"):
        read_bytes(small_report[: len(small_report) // 2], "t.docx")


def test_docx_with_broken_xml_is_a_clear_error(small_report):
    src = zipfile.ZipFile(io.BytesIO(small_report))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            out.writestr(info, data)
    with pytest.raises(ReadError, match=r"文件已损坏或不是有效的 \.docx \(.+\)"):
        read_bytes(buf.getvalue(), "x.docx")


def test_random_bytes_named_docx_are_a_clear_error():
    with pytest.raises(ReadError, match=r"文件已损坏或不是有效的 \.docx"):
        read_bytes(bytes(range(256)) * 10, "junk.docx")


def test_a_pdf_renamed_docx_says_so():
    with pytest.raises(ReadError, match=r"PDF.*扩展名却是 \.docx"):
        read_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "report.docx")


def test_an_old_word_file_renamed_docx_says_to_save_as_docx():
    with pytest.raises(ReadError, match=r"旧版 Office.*另存为 \.docx"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "report.docx")


def test_a_document_without_text_says_ocr_may_be_needed():
    with pytest.raises(ReadError, match="没有任何文字.*OCR"):
        read_bytes(save(docx.Document()), "blank.docx")


def test_zip_bomb_is_refused_without_inflating_it(small_report, monkeypatch):
    src = zipfile.ZipFile(io.BytesIO(small_report))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            out.writestr(copy.copy(info), src.read(info))
        with out.open("word/media/image1.bin", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, about 300 KB on disk
                member.write(chunk)
    data = buf.getvalue()
    assert len(data) < 2 * 1024 * 1024

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("python-docx was handed a zip bomb")

    monkeypatch.setattr(docx, "Document", must_not_be_called)
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"疑似压缩炸弹 \(zip bomb\).*image1\.bin"):
        read_bytes(data, "bomb.docx")
    assert time.monotonic() - started < 1.0


def test_a_read_that_runs_too_long_stops_with_a_timeout(small_report, monkeypatch):
    import loaders.read.docx as docx_reader

    def slow_library(*args, **kwargs):
        try:
            while True:
                pass
        except Exception as e:  # a library that wraps whatever interrupts it
            raise ValueError("wrapped") from e

    monkeypatch.setattr(docx, "Document", slow_library)
    monkeypatch.setattr(docx_reader, "READ_SECONDS", 0.2)
    with pytest.raises(ReadError, match="读取超时"):
        read_bytes(small_report, "slow.docx")
