"""Word (.docx) reports: paragraphs and tables in document order, as text lines.

Output convention (the families rely on it):
- a paragraph is one line, its text as in the document (a manual line break inside a paragraph
  starts a new line, because that is what the reader of the document sees);
- a table row is one line, its cells joined by TAB, one position per grid column; a merged cell
  is reported once, at its first grid position, and the positions it covers (to the right, and
  below for vertical merges) are empty strings, so columns stay aligned;
- text inside a cell is one string (its paragraphs and line breaks joined by a space);
- a table nested in a cell is flattened after the row that holds it.
"""

from __future__ import annotations

import io

from docx.oxml.ns import qn

from loaders.read.base import Document, ReadError, TextBudget, check_span, sha256_of
from loaders.read.guard import READ_SECONDS, open_ooxml_zip, time_limit, wrapped_read_error

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TR, _TC = qn("w:tr"), qn("w:tc")
_CUSTOM_XML = qn("w:customXml")
_T, _TAB, _PTAB, _BR, _CR = qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_NB_HYPHEN, _BR_TYPE = qn("w:noBreakHyphen"), qn("w:type")
_TXBX = qn("w:txbxContent")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Not part of a paragraph's visible text: text boxes (drawn elsewhere on the page), the legacy
# copy of a drawing, text moved away under tracked changes; nested paragraphs and tables are
# handled by their own walkers.
_SKIP_SUBTREES = (_TXBX, _MC_FALLBACK, qn("w:moveFrom"), _P, _TBL)


def read(data: bytes, name: str) -> Document:
    zf = open_ooxml_zip(data, ".docx")
    zf.close()
    with time_limit(READ_SECONDS):
        body = _load_body(data)
        budget = TextBudget()
        lines = [budget.add_line(line) for line in _block_lines(body, budget)]
        text_boxes = sum(
            1 for box in body.iter(_TXBX) if not any(a.tag == _MC_FALLBACK for a in box.iterancestors())
        )
    if not any(line.strip() for line in lines):
        raise ReadError("文档中没有任何文字 (如果内容是插入的扫描图片，需要先 OCR 识别成文字)")
    doc = Document(name=name, format="docx", encoding=None, lines=lines, sha256=sha256_of(data), size_bytes=len(data))
    if text_boxes:
        doc.notes.append(f"文档含 {text_boxes} 个文本框，其中的文字未读取")
    return doc


def _load_body(data: bytes):
    import docx

    try:
        return docx.Document(io.BytesIO(data)).element.body
    except ReadError:
        raise
    except Exception as e:  # zip, lxml and python-docx package errors: still one clear line
        raise (wrapped_read_error(e) or ReadError(f"文件已损坏或不是有效的 .docx ({type(e).__name__}: {_short(e)})")) from e


def _short(e: Exception) -> str:
    text = " ".join(str(e).split())
    return text[:120] + ("…" if len(text) > 120 else "")


def _children(parent):
    """Block-level children, looking through content controls and custom XML wrappers."""
    for child in parent.iterchildren():
        if child.tag in (_SDT, _CUSTOM_XML):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _children(content)
        else:
            yield child


def _block_lines(parent, budget: TextBudget):
    for child in _children(parent):
        if child.tag == _P:
            yield from _paragraph_text(child).split("\n")
        elif child.tag == _TBL:
            yield from _table_lines(child, budget)


def _paragraph_text(p) -> str:
    """Visible text of a paragraph, including runs inside hyperlinks, inline content controls,
    smart tags, fields and tracked insertions (python-docx's Paragraph.text skips several of
    these, which government templates use). Deleted text (w:delText) is not w:t and is left out."""
    out: list[str] = []

    def walk(el) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == _T:
                out.append(child.text or "")
            elif tag in (_TAB, _PTAB):
                out.append("\t")
            elif tag == _BR:
                if child.get(_BR_TYPE) in (None, "textWrapping"):
                    out.append("\n")
            elif tag == _CR:
                out.append("\n")
            elif tag == _NB_HYPHEN:
                out.append("-")
            elif tag not in _SKIP_SUBTREES and isinstance(tag, str):
                walk(child)

    walk(p)
    return "".join(out)


def _cell_text(tc, nested: list) -> str:
    """The cell's paragraphs joined by a space; nested tables are collected, not inlined."""
    parts = []
    for child in _children(tc):
        if child.tag == _P:
            parts.append(" ".join(_paragraph_text(child).split("\n")))
        elif child.tag == _TBL:
            nested.append(child)
    return " ".join(p for p in parts if p != "")


def _row_cells(tr):
    for child in tr.iterchildren():
        if child.tag == _TC:
            yield child
        elif child.tag in (_SDT, _CUSTOM_XML):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _row_cells(content)


def _span(el, attribute: str) -> int:
    """A span attribute (w:gridSpan, w:gridBefore, w:gridAfter) within base.MAX_SPAN: the empty
    positions it stands for are built as strings, so a huge value is refused before that."""
    try:
        value = getattr(el, attribute)
    except (ValueError, TypeError) as e:  # not a number
        raise ReadError(f"文件已损坏或不是有效的 .docx (表格的 {attribute} 不是数字)") from e
    return check_span(value or 0, f"表格单元格跨列数 (w:{attribute[0] + attribute.title().replace('_', '')[1:]})")


def _table_lines(tbl, budget: TextBudget):
    for tr in tbl.iterchildren(_TR):
        before = _span(tr, "grid_before")
        budget.add_cells(before)
        row: list[str] = [""] * before
        nested: list = []
        for tc in _row_cells(tr):
            span = max(_span(tc, "grid_span"), 1)
            budget.add_cells(span)
            # A vertically merged continuation shows the cell above; report that cell once only.
            text = "" if tc.vMerge == "continue" else _cell_text(tc, nested)
            row.append(text)
            row.extend([""] * (span - 1))
        after = _span(tr, "grid_after")
        budget.add_cells(after)
        row.extend([""] * after)
        yield "\t".join(row)
        for inner in nested:
            yield from _table_lines(inner, budget)
