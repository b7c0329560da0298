"""PDF reader: tables and text with Chinese intact; no text layer is a clear OCR message."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pytest
from loaders.demo.formats import PDF_FONT, pdf_styles
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from loaders.read import ReadError, read_bytes

OCR = "没有可用的文字层.*OCR"


def build(story_items, encrypt=None) -> bytes:
    body, cell = pdf_styles()
    story = []
    for item in story_items:
        if isinstance(item, str):
            story.append(Paragraph(escape(item), body))
        else:
            rows, spans = item if isinstance(item, tuple) else (item, [])
            data = [[Paragraph(escape(v), cell) if v else "" for v in row] for row in rows]
            table = Table(data)
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
            style += [("SPAN", a, b) for a, b in spans]
            table.setStyle(TableStyle(style))
            story += [Spacer(1, 4), table, Spacer(1, 4)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, encrypt=encrypt).build(story)
    return buf.getvalue()


def test_text_and_tables_in_reading_order_with_chinese_intact():
    data = build([
        "霍邱县总工会2023年度项目支出绩效自评表",
        [["年初预算数", "全年预算数", "全年执行数", "执行率"], ["64", "64", "64", "100%"]],
        "总分：95分，评价等次：优。〔2015〕23号 ①② 洪城热恋·牵手幸福",
    ])
    doc = read_bytes(data, "r.pdf")
    assert doc.format == "pdf"
    assert doc.lines == [
        "霍邱县总工会2023年度项目支出绩效自评表",
        "年初预算数\t全年预算数\t全年执行数\t执行率",
        "64\t64\t64\t100%",
        "总分：95分，评价等次：优。〔2015〕23号 ①② 洪城热恋·牵手幸福",
    ]


def test_merged_table_cells_are_reported_once():
    rows = [["一级指标", "二级指标", "分值"], ["产出指标", "数量指标", "10"], ["", "质量指标", "20"], ["合计", "", "30"]]
    data = build([(rows, [((0, 1), (0, 2)), ((0, 3), (1, 3))])])
    assert read_bytes(data, "m.pdf").lines == [
        "一级指标\t二级指标\t分值",
        "产出指标\t数量指标\t10",
        "\t质量指标\t20",
        "合计\t\t30",
    ]


def test_wrapped_paragraphs_are_joined_and_paragraphs_kept_apart():
    long_cn = "全年预算数为549.6875万元，全年执行数为580.8142万元，预算执行率为105.66%。" * 6
    long_en = " ".join(["budget"] * 60)
    data = build([long_cn, "短段落。", long_en, "（二）下一段"])
    assert read_bytes(data, "w.pdf").lines == [long_cn, "短段落。", long_en, "（二）下一段"]


def test_a_space_drawn_at_a_wrap_point_is_kept():
    # Word writes the space at which it wrapped a line; reportlab's own wrapping drops it, so
    # this page is drawn line by line.
    pdf_styles()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(PDF_FONT, 10)
    for y, text in [(760, "甲" * 40), (747, "乙" * 37 + "符合得 "), (734, "100%权重分，否则不得分。"),
                    (710, "丙" * 37 + "文化宫"), (697, "建设完成率。")]:
        c.drawString(72, y, text)
    c.save()
    assert read_bytes(buf.getvalue(), "s.pdf").lines == [
        "甲" * 40 + "乙" * 37 + "符合得 100%权重分，否则不得分。",
        "丙" * 37 + "文化宫建设完成率。",
    ]


def test_wrapped_text_in_a_cell_is_joined_without_spaces():
    text = "协助办理职工互助保障人次根据实际情况完成协助办理职工互助保障工作全年计划完成4000人"
    body, cell = pdf_styles()
    table = Table([[Paragraph("三级指标", cell), Paragraph(text, cell)]], colWidths=[60, 90])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([table])
    assert read_bytes(buf.getvalue(), "c.pdf").lines == [f"三级指标\t{text}"]


def test_a_framed_single_cell_is_text_not_a_table():
    data = build([[["（一）部门概况：主要职责见下文。"]], "后文"])
    assert read_bytes(data, "f.pdf").lines == ["（一）部门概况：主要职责见下文。", "后文"]


# --- no text layer --------------------------------------------------------------------------


def _image_of_text() -> ImageReader:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).text((20, 80), "SCANNED REPORT 2023", fill="black")
    return ImageReader(image)


def test_an_image_only_pdf_needs_ocr():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(_image_of_text(), 50, 500, width=500, height=160)
    c.save()
    with pytest.raises(ReadError, match=OCR + "|扫描"):
        read_bytes(buf.getvalue(), "scan.pdf")


def test_text_drawn_as_paths_needs_ocr():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    path = c.beginPath()  # the strokes of 工 and 会, as a vectorising exporter leaves them
    for x0, y0, x1, y1 in [(100, 700, 140, 700), (120, 700, 120, 660), (95, 660, 145, 660),
                           (170, 700, 150, 680), (170, 700, 190, 680), (160, 670, 180, 670), (165, 655, 185, 655)]:
        path.moveTo(x0, y0)
        path.lineTo(x1, y1)
    c.drawPath(path, stroke=1, fill=0)
    c.save()
    with pytest.raises(ReadError, match=OCR):
        read_bytes(buf.getvalue(), "paths.pdf")


def minimal_pdf(content: bytes, font: bytes, descendant: bytes) -> bytes:
    """A one-page PDF written by hand, so its font can lack what real exporters sometimes omit."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        font,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        descendant,
        b"<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Flags 4 /FontBBox [0 0 1000 1000]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_a_font_without_unicode_map_gives_cid_codes_and_needs_ocr():
    data = minimal_pdf(
        b"BT /F1 12 Tf 72 700 Td <0123045606780ABC0123045606780ABC> Tj ET",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo"
        b" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
    )
    with pytest.raises(ReadError, match=r"\(cid:NN\).*Unicode 映射.*OCR"):
        read_bytes(data, "cid.pdf")


def test_a_scanned_page_among_text_pages_is_noted():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    pdf_styles()
    c.setFont(PDF_FONT, 12)
    c.drawString(72, 760, "第一页：总分 95 分")
    c.showPage()
    c.drawImage(_image_of_text(), 50, 500, width=500, height=160)
    c.save()
    doc = read_bytes(buf.getvalue(), "mixed.pdf")
    assert doc.lines == ["第一页：总分 95 分"]
    assert len(doc.notes) == 1 and "第 2 页" in doc.notes[0] and "OCR" in doc.notes[0]


# --- bad files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_pdf() -> bytes:
    return build(["总分：95分", [["a", "b"], ["1", "2"]]])


def test_truncated_pdf_is_a_clear_error(good_pdf):
    with pytest.raises(ReadError, match="PDF 文件不完整"):
        read_bytes(good_pdf[: len(good_pdf) // 2], "t.pdf")


def test_damaged_pdf_body_is_a_clear_error():
    with pytest.raises(ReadError, match=r"文件已损坏或不是有效的 \.pdf \(.+\)"):
        read_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "d.pdf")


def test_not_a_pdf_at_all_is_a_clear_error():
    with pytest.raises(ReadError, match=r"不是有效的 \.pdf"):
        read_bytes("这是一段文字，不是 PDF".encode() * 50, "x.pdf")


def test_a_docx_renamed_pdf_says_so():
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("报告")
    d.save(buf)
    with pytest.raises(ReadError, match=r"Word 文档.*扩展名却是 \.pdf"):
        read_bytes(buf.getvalue(), "r.pdf")


def test_a_password_protected_pdf_says_so():
    from reportlab.lib import pdfencrypt

    data = build(["机密"], encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    with pytest.raises(ReadError, match="密码"):
        read_bytes(data, "locked.pdf")


def test_a_read_that_runs_too_long_stops_with_a_timeout(monkeypatch):
    import loaders.read.pdf as pdf_reader

    rows = [[f"指标{i}", "≥95%", "98.5%", "10", "9.8"] for i in range(40)]
    data = build(["长报告"] + [rows] * 6)
    monkeypatch.setattr(pdf_reader, "READ_SECONDS", 0.05)
    with pytest.raises(ReadError, match="读取超时"):
        read_bytes(data, "slow.pdf")
