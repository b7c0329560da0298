"""PDF reports: tables and the text around them, page by page, in reading order.

Output convention (the families rely on it):
- a table row (ruled tables, as Word and WPS export them) is one line, its cells joined by TAB;
  a merged cell is reported once, the positions it covers are empty strings;
- text outside tables is one line per paragraph: lines that a paragraph wrapped at the right
  margin are joined again, because a label and its value must not be split by layout;
- wherever wrapping is undone (paragraphs, and lines inside a cell) the pieces are joined
  without a space, as Chinese is written, except between two Latin letters.

A PDF has no text when it is a scan, or when its fonts carry no map from glyphs back to Unicode
(the text then comes out as "(cid:123)"). Both are refused with a message saying OCR is needed,
never returned as an empty or garbled document.
"""

from __future__ import annotations

import io
import re

from loaders.read.base import Document, ReadError, sha256_of
from loaders.read.guard import READ_SECONDS, time_limit, wrapped_read_error, wrong_format_reason

MAX_PAGES = 500  # the longest real report has ~60 pages
_CID = re.compile(r"\(cid:\d+\)")
_LATIN = re.compile(r"[A-Za-z]")
# The first piece of a line that could not have been broken off: a run of Latin letters, digits
# and ASCII signs, or one other character, with any closing punctuation that may not start a line.
_FIRST_TOKEN = re.compile(r"(?:[\x21-\x7e]+|\S)[，。、；：？！）》」』】〕”’…,.;:!?)\]}%]*")
_BLANK_LINE = 1.5  # space between two items, in line heights, that reads as an empty line
NO_TEXT_LAYER = "PDF 没有可用的文字层 ({why})，需要先 OCR 识别成文字再导入"


def read(data: bytes, name: str) -> Document:
    reason = wrong_format_reason(data, ".pdf")
    if reason:
        raise ReadError(reason)
    if b"%PDF-" not in data[:1024]:
        raise ReadError("文件已损坏或不是有效的 .pdf (没有 %PDF 文件头)")
    if b"%%EOF" not in data[-4096:]:
        # pdfminer would quietly recover the pages before the cut; a report missing its end
        # (often the scores and the conclusion) must not load as if it were whole.
        raise ReadError("PDF 文件不完整 (缺少结尾标记 %%EOF，可能在下载或复制时被截断)")
    notes: list[str] = []
    with time_limit(READ_SECONDS):
        items = _extract(data, notes)
    lines = _join_wrapped(items)
    _require_text_layer(lines)
    doc = Document(name=name, format="pdf", encoding=None, lines=lines, sha256=sha256_of(data), size_bytes=len(data))
    doc.notes.extend(notes)
    return doc


def _extract(data: bytes, notes: list[str]) -> list[dict]:
    """Text lines and table rows of every page, each a dict with its page and position."""
    import pdfplumber

    pages: list[list[dict]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ReadError(f"PDF 页数过多 ({len(pdf.pages)} 页 > {MAX_PAGES} 页)，不像是一份评价报告")
            for number, page in enumerate(pdf.pages, start=1):
                page_items = _page_items(page, number)
                if not page_items and page.images:
                    notes.append(f"第 {number} 页只有图片、没有文字层 (可能是扫描页)，该页内容需要 OCR")
                pages.append(page_items)
                page.close()  # frees the page's parsed objects; long reports stay small in memory
    except ReadError:
        raise
    except Exception as e:  # pdfminer/pdfplumber errors on damaged files: one clear line
        raise (wrapped_read_error(e) or ReadError(_open_error(e))) from e
    return _join_pages(pages)


def _join_pages(pages: list[list[dict]]) -> list[dict]:
    """The pages' items in order, with an empty line at a page break where the page break hides
    one between a table and what comes before or after it: a page that starts with another
    table than the one that ended the page before (a table split over pages keeps its columns),
    or a page whose first item starts at least a line's height below the top margin (the
    highest first item of any page), as after an empty line. Between two text lines a page
    break is left to the paragraph joining (a paragraph may go on over the page)."""
    starts = [p[0]["top"] for p in pages if p]
    top_margin = min(starts) if starts else 0.0
    items: list[dict] = []
    for page_items in pages:
        if items and page_items:
            last, first = items[-1], page_items[0]
            spaced = first["top"] - top_margin >= _BLANK_LINE * first["line_height"] > 0
            if _other_table(last, first) or (spaced and "row" in (last["kind"], first["kind"])):
                items.append({"kind": "blank", "page": first["page"], "top": top_margin, "text": ""})
        items.extend(page_items)
    return items


def _open_error(e: Exception) -> str:
    cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
    kind = type(cause).__name__
    if "Password" in kind or "Encryption" in kind:
        return "PDF 有打开密码或加密，无法读取：请去掉密码后再导入"
    text = " ".join(str(cause).split())[:120]
    return f"文件已损坏或不是有效的 .pdf ({kind}: {text})"


def _page_items(page, number: int) -> list[dict]:
    # A ruled box around a whole page or a paragraph is a frame, not a table: a table has at
    # least two cells.
    tables = [t for t in page.find_tables() if len(t.cells) > 1]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    out: list[dict] = []
    # A space drawn right after a line's last character (Word writes the space it wrapped at)
    # tells a wrapped "得 100%" from a wrapped "为549"; pdfplumber's lines leave blanks out.
    blanks = [c for c in text_page.chars if not c["text"].strip()]
    for line in text_page.extract_text_lines(return_chars=True):
        if line["text"].strip():
            ends_with_space = any(
                abs(c["top"] - line["top"]) < 1 and line["x1"] - 0.5 <= c["x0"] <= line["x1"] + 1 for c in blanks
            )
            out.append(
                {"kind": "text", "page": number, "top": line["top"], "bottom": line["bottom"],
                 "x0": line["x0"], "x1": line["x1"], "text": line["text"] + (" " if ends_with_space else ""),
                 "width": page.width, "lead": _first_token_width(line)}
            )
    for table in tables:
        columns = sorted({round(x, 1) for cell in table.cells for x in (cell[0], cell[2])})
        for row in table.extract():
            cells = [join_wrapped_lines((cell or "").split("\n")) for cell in row]
            out.append({"kind": "row", "page": number, "top": table.bbox[1], "bottom": table.bbox[3],
                        "text": "\t".join(cells), "columns": columns})
    # Stable sort: a table's rows keep their order and sit where the table sits on the page.
    out.sort(key=lambda item: item["top"])
    return _with_blank_lines(out, page.chars)


def _with_blank_lines(items: list[dict], chars: list[dict]) -> list[dict]:
    """The page's items with an empty line wherever the page leaves at least a line's height of
    space between two of them (_BLANK_LINE), as an empty line of text does: it is where one table
    ends and the next begins, or where a table's last cell ends and the text after it starts.

    A line's height is that of the text line next to the space (below it, else above it); between
    two tables, the median height of the page's characters. The space between paragraphs and
    around tables, as word processors set them, is well under it. Each item keeps its
    `line_height` (a table row: the page's median character height) for the page breaks."""
    heights = sorted(c["bottom"] - c["top"] for c in chars if c["text"].strip())
    char_height = heights[len(heights) // 2] if heights else 0.0
    for it in items:
        it["line_height"] = it["bottom"] - it["top"] if it["kind"] == "text" else char_height
    out: list[dict] = []
    prev = None
    above = 0.0  # bottom of everything above (a table's rows all carry the table's bottom)
    for it in items:
        if prev is not None and it["top"] > above:
            height = it["line_height"] if it["kind"] == "text" or prev["kind"] != "text" else prev["line_height"]
            if height > 0 and it["top"] - above >= _BLANK_LINE * height:
                out.append({"kind": "blank", "page": it["page"], "top": above, "text": ""})
        out.append(it)
        above = it["bottom"] if prev is None else max(above, it["bottom"])
        prev = it
    return out


def _other_table(last: dict, first: dict) -> bool:
    """Whether two tables (the last item of a page, the first of the next) are two tables: a
    table split over pages keeps its columns."""
    if last["kind"] != "row" or first["kind"] != "row":
        return False
    a, b = last["columns"], first["columns"]
    return len(a) != len(b) or any(abs(x - y) > 1.0 for x, y in zip(a, b))


def _first_token_width(line: dict) -> float:
    """Width of the line's first unbreakable piece: had it fitted on the line above, the line
    above would not have wrapped before it."""
    chars = [c for c in line["chars"] if c["text"].strip()]
    match = _FIRST_TOKEN.match(line["text"].lstrip())
    if not chars or not match:
        return 0.0
    n = min(len(match.group().replace(" ", "")), len(chars))
    return chars[n - 1]["x1"] - chars[0]["x0"]


def join_wrapped_lines(parts: list[str]) -> str:
    """Undo wrapping: join pieces without a space, except where the PDF kept a space at the end
    of the upper line (Word does; reportlab drops it), or between two Latin letters."""
    text = ""
    space_pending = False
    for raw in parts:
        part = raw.strip()
        if not part:
            continue
        if text and (space_pending or (_LATIN.fullmatch(text[-1]) and _LATIN.fullmatch(part[0]))):
            text += " "
        text += part
        space_pending = raw[-1:].isspace()
    return text


def _join_wrapped(items: list[dict]) -> list[str]:
    """One line per paragraph: a text line that reaches the right margin continues on the next.

    The right margin is where full lines end (see _right_margin). A line was
    wrapped when the first piece of the next line would not have fitted after it; a paragraph
    break is recognised by that piece fitting, by extra space above the next line, or by a
    change of font size.
    """
    texts = [it for it in items if it["kind"] == "text"]
    if not texts:
        return [it["text"] for it in items]
    right = _right_margin(texts)
    left = min(it["x0"] for it in texts)
    wide_block = (right - left) >= 0.5 * max(it["width"] for it in texts)
    lines: list[str] = []
    pieces: list[str] = []
    for i, it in enumerate(items):
        if it["kind"] != "text":
            if pieces:
                lines.append(join_wrapped_lines(pieces))
                pieces = []
            lines.append(it["text"])
            continue
        pieces.append(it["text"])
        nxt = items[i + 1] if i + 1 < len(items) else None
        if not (wide_block and nxt is not None and _continues(it, nxt, right)):
            lines.append(join_wrapped_lines(pieces))
            pieces = []
    return lines


def _right_margin(texts: list[dict]) -> float:
    """Where full lines end: the upper quartile of the right edges of the long lines. Not the
    maximum, because a line may overhang the margin (hanging punctuation, a wide last word)."""
    far = max(it["x1"] for it in texts)
    left = min(it["x0"] for it in texts)
    long_edges = sorted(it["x1"] for it in texts if it["x1"] - left >= 0.5 * (far - left))
    return long_edges[(3 * (len(long_edges) - 1)) // 4]


def _continues(cur: dict, nxt: dict, right: float) -> bool:
    if nxt["kind"] != "text":
        return False
    height = cur["bottom"] - cur["top"]
    next_height = nxt["bottom"] - nxt["top"]
    if height <= 0 or abs(next_height - height) > 0.2 * height:
        return False
    if cur["x1"] + nxt["lead"] < right - 0.25 * height:
        return False  # the next line's first piece would have fitted: a paragraph ended here
    if nxt["page"] == cur["page"]:
        return nxt["top"] - cur["bottom"] <= 0.5 * height
    return nxt["page"] == cur["page"] + 1


def _require_text_layer(lines: list[str]) -> None:
    text = "".join("".join(line.split()) for line in lines)
    if not text:
        raise ReadError(NO_TEXT_LAYER.format(why="没有提取到任何文字，可能是扫描件或图片"))
    cid_chars = sum(len(m) for m in _CID.findall(text))
    if cid_chars / len(text) > 0.3:
        raise ReadError(
            NO_TEXT_LAYER.format(why="文字提取出来是 (cid:NN) 编码，字体缺少 Unicode 映射")
        )
