"""Excel reader: every sheet, merged cells once, numbers as numbers, formulas' cached values."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter

from loaders.read import ReadError, read_bytes
from loaders.read.xlsx import format_value


def save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_every_sheet_in_order_with_a_marker_line():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基本情况"
    ws.append(["单位名称", "信丰县总工会"])
    second = wb.create_sheet("指标得分")
    second.append(["指标", "分值", "得分"])
    second.append(["预算执行率", 10, 9.5])
    wb.create_sheet("空表")
    doc = read_bytes(save(wb), "r.xlsx")
    assert doc.format == "xlsx"
    assert doc.lines == [
        "【工作表：基本情况】",
        "单位名称\t信丰县总工会",
        "【工作表：指标得分】",
        "指标\t分值\t得分",
        "预算执行率\t10\t9.5",
        "【工作表：空表】",
    ]


def test_numbers_are_numbers_not_displayed_text():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["年初预算数", 64.0, 64, 549.6875, 0.1, 1234567.89, -3.5, 1e-7])
    ws["B1"].number_format = "0.00"  # displayed "64.00"; stored 64
    ws["D1"].number_format = "#,##0.0"  # displayed "549.7"; stored 549.6875
    assert read_bytes(save(wb), "n.xlsx").lines[1] == "年初预算数\t64\t64\t549.6875\t0.1\t1234567.89\t-3.5\t0.0000001"


def test_percent_formatted_cells_keep_their_unit():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["执行率", 1, 0.9567, 0.85])
    for cell in ("B1", "C1", "D1"):
        ws[cell].number_format = "0%"
    assert read_bytes(save(wb), "p.xlsx").lines[1] == "执行率\t100%\t95.67%\t85%"


def test_dates_are_iso_and_text_keeps_its_characters():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["报告日期", dt.date(2023, 6, 30), dt.datetime(2023, 6, 30, 14, 5), "〔2015〕23号\n第二行", True])
    assert read_bytes(save(wb), "d.xlsx").lines[1] == (
        "报告日期\t2023-06-30\t2023-06-30 14:05:00\t〔2015〕23号 第二行\tTRUE"
    )


def test_merged_ranges_are_reported_once_at_their_top_left():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2023年度项目支出绩效自评表", None, None, None])
    ws.append(["产出指标", "数量指标", "指标1", 10])
    ws.append([None, None, "指标2", 20])
    ws.append(["合计", None, None, 30])
    ws.merge_cells("A1:D1")
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("A4:C4")
    lines = read_bytes(save(wb), "m.xlsx").lines
    assert lines[1:] == [
        "2023年度项目支出绩效自评表",
        "产出指标\t数量指标\t指标1\t10",
        "\t\t指标2\t20",
        "合计\t\t\t30",
    ]


def test_empty_rows_are_skipped_and_leading_empty_cells_kept():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C2"] = "右移的标题"
    ws["A5"] = "下一行"
    ws["E5"] = None
    assert read_bytes(save(wb), "e.xlsx").lines[1:] == ["\t\t右移的标题", "下一行"]


def test_formula_gives_its_cached_value():
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet("决算")
    ws.write_row(0, 0, ["年初预算数", "全年执行数", "执行率"])
    ws.write_number(1, 0, 549.6875)
    ws.write_number(1, 1, 580.8142)
    ws.write_formula(1, 2, "=ROUND(B2/A2*100,2)", None, 105.66)  # the value Excel saved
    wb.close()
    doc = read_bytes(buf.getvalue(), "f.xlsx")
    assert doc.lines[2] == "549.6875\t580.8142\t105.66"
    assert doc.notes == []


def test_formula_without_cached_value_is_named_in_notes():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "决算"
    ws.append(["年初预算数", "全年执行数", "执行率"])
    ws.append([64, 64, "=B2/A2"])  # openpyxl writes no cached value
    doc = read_bytes(save(wb), "nf.xlsx")
    assert doc.lines[2] == "64\t64"
    assert len(doc.notes) == 1
    assert "决算" in doc.notes[0] and "C2" in doc.notes[0] and "没有缓存" in doc.notes[0]


@pytest.mark.parametrize(
    "value, fmt, expected",
    [(64.0, "General", "64"), (549.6875, "General", "549.6875"), (1e20, "General", "100000000000000000000"),
     (0.3, "0.0%", "30%"), (None, "General", ""), (7, "General", "7")],
)
def test_format_value(value, fmt, expected):
    assert format_value(value, fmt) == expected


# --- bad files ------------------------------------------------------------------------------


@pytest.fixture
def workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["总分", 95])
    return save(wb)


def test_truncated_xlsx_is_a_clear_error(workbook_bytes):
    with pytest.raises(ReadError, match=r"文件已损坏或不是有效的 \.xlsx"):
        read_bytes(workbook_bytes[: len(workbook_bytes) // 2], "t.xlsx")


def test_xlsx_with_broken_sheet_xml_is_a_clear_error(workbook_bytes):
    src = zipfile.ZipFile(io.BytesIO(workbook_bytes))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b"<worksheet><sheetData><row><c r='A1'"
            out.writestr(info, data)
    with pytest.raises(ReadError, match=r"文件已损坏或不是有效的 \.xlsx \(.+\)"):
        read_bytes(buf.getvalue(), "x.xlsx")


def test_a_docx_renamed_xlsx_says_so():
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("报告")
    d.save(buf)
    with pytest.raises(ReadError, match=r"Word 文档.*扩展名却是 \.xlsx"):
        read_bytes(buf.getvalue(), "r.xlsx")


def test_an_old_excel_file_renamed_xlsx_says_to_save_as_xlsx():
    with pytest.raises(ReadError, match=r"另存为 \.xlsx"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "old.xlsx")


def test_an_empty_workbook_is_a_clear_error():
    with pytest.raises(ReadError, match="没有任何内容"):
        read_bytes(save(openpyxl.Workbook()), "empty.xlsx")
