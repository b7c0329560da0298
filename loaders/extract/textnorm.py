"""Text normalisation before the strategies: one normalised line per source line.

- NFKC (full-width to half-width), spaces folded (loaders.read.normalize_text);
- traditional → simplified with OpenCC (a maintained converter, not a hand-made table);
- pinyin annotations stripped (農(nóng)業 → 农业), from the pattern in lexicon/ocr.toml;
- whole-word OCR and typo repairs from lexicon/ocr.toml.

The line count never changes, so every line number a strategy records points into the stored
source text.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from loaders import lexicon
from loaders.extract.tables import role_of
from loaders.fastre import Lines
from loaders.read import normalize_text


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern, tuple[tuple[str, str], ...]]:
    data = lexicon.load("ocr")
    return re.compile(data["pinyin"]["pattern"]), tuple(data["typos"].items())


# Characters that occur only in traditional writing (a sample of common ones): when a text has
# none, OpenCC is not asked (it costs more than everything else on a simplified text).
_TRAD_HINT = re.compile("[們個為與於來這說會對時後從開關國學進過還種點實現發經當業務單費預績評價額審計報總區縣鄉鎮農職幫練護項務與財務結檔縣區項資覽標產際條員長與辦衛傳電]")


def simplified(lines: list[str]) -> list[str] | None:
    """The lines in simplified characters when the text holds traditional ones (same count,
    one line per line), else None: what the template families read, so that a template written
    in traditional characters is still recognised."""
    text = "\n".join(lines)
    if not _TRAD_HINT.search(text):
        return None
    out = _converter().convert(text).split("\n")
    return out if len(out) == len(lines) else None


# Tables drawn with box-drawing characters (a text browser's dump, a console export): the
# vertical bars are cell borders ("|"), the lines made of corners and rules are no content.
_BOX_VERTICAL = str.maketrans({c: "|" for c in "│┃║╎╏┆┇┊┋"})
_BOX_RULE = re.compile(r"^[\s─━═┄┅┈┉╌╍┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬╒╓╕╖╘╙╛╜╞╟╡╢╤╥╧╨╪╫│┃║+\-=|]*$")
_BOX_CHARS = re.compile(r"[─━═┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬│┃║]")


def _unbox(text: str) -> str:
    if not _BOX_CHARS.search(text):
        return text
    out = []
    for line in text.split("\n"):
        if _BOX_CHARS.search(line):
            line = "" if _BOX_RULE.match(line) else line.translate(_BOX_VERTICAL)
        out.append(line)
    return "\n".join(out)


_KEYCAP = re.compile("([0-9])\ufe0f?\u20e3")


def normalise_lines(lines: list[str]) -> list[str]:
    text = _unbox(normalize_text("\n".join(lines)))
    if "\u20e3" in text:  # keycap digits numbering a list (WeChat: "1️⃣ 青少年…") as "1."
        text = _KEYCAP.sub(r"\1.", text)
    if _TRAD_HINT.search(text):
        text = _converter().convert(text)
    pinyin, typos = _rules()
    if "(" in text:
        text = pinyin.sub("", text)
    for wrong, right in typos:
        if wrong in text:
            text = text.replace(wrong, right)
    text = repair_ocr_text(text)
    out = text.split("\n")
    if len(out) != len(lines):  # a line held a line break of its own: go line by line
        out = [normalise_lines([line])[0] if "\n" not in line else normalize_text(line).replace("\n", " ") for line in lines]
    return out


# A line of a CSV dump: quoted cells ("单位名称","XX局"), or runs of empty cells (,,,) between
# them. Prose has commas too (NFKC turns ，into ,), but not "," nor ,, nor a leading quoted cell.
_CSV_LINE = re.compile(r'","|^\s*(?:,\s*)*"[^"]*"\s*,|,\s*,')
_MIN_CSV_LINES = 5


def csv_cells(lines: list[str]) -> list[str]:
    """The lines of a CSV dump (a spreadsheet saved as .csv and shown as text) as TAB rows, the
    cells split the way a CSV reader splits them (quoted cells keep their commas: "38,626,400.00").
    A quoted cell that runs over several lines is joined onto the record's first line and the
    lines it took are left empty, so the line count and every other line stay as they are. Texts
    with fewer than five such lines are returned unchanged."""
    marks = [bool(_CSV_LINE.search(s)) for s in lines]
    if sum(marks) < _MIN_CSV_LINES:
        return lines
    out = list(lines)
    i, n = 0, len(lines)
    while i < n:
        # a record opening with a quoted cell that runs onto the next lines (',"完成全县…管理,'):
        # too short of commas to be marked, it starts the record its quote closes in
        if not marks[i] and not (lines[i][:1] in (",", '"') and lines[i].count('"') % 2 == 1):
            i += 1
            continue
        j, text = i, lines[i]
        while text.count('"') % 2 and j + 1 < n and j - i < 20:
            j += 1
            text += "\n" + lines[j]
        if text.count('"') % 2:
            i += 1  # a quote left open: not a record
            continue
        try:
            cells = next(csv.reader(io.StringIO(text)), [])
        except csv.Error:
            i += 1
            continue
        out[i] = "\t".join(" ".join(c.split()) for c in cells)
        for k in range(i + 1, j + 1):
            out[k] = ""
        i = j + 1
    return out


# An HTML page's source (a crawler that kept the markup): table rows as TAB rows, the rest as text.
_HTML_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]\s*>", re.I | re.S)
_HTML_ROW_OPEN = re.compile(r"<tr\b", re.I)
_HTML_ROW_CLOSE = re.compile(r"</tr\s*>", re.I)
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
_HTML_TAG = re.compile(r"<[^<>]{0,2000}>")
_HTML_BLOCK_OPEN = re.compile(r"<(script|style)\b", re.I)
_MAX_HTML_ROW = 20_000


def _html_text(fragment: str) -> str:
    text = _HTML_TAG.sub("", _HTML_BREAK.sub(" ", fragment))
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def _without_scripts(text: str) -> str:
    """Scripts and styles blanked (their line breaks kept), in one pass: each opening tag up to its
    closing tag, or to the end of the text when none follows (no search restarts from an opening
    whose closing is missing, so an untrusted page cannot make this quadratic)."""
    out: list[str] = []
    pos = 0
    lower = text.lower()
    while True:
        m = _HTML_BLOCK_OPEN.search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        close = lower.find(f"</{m.group(1).lower()}", m.end())
        end = len(text) if close < 0 else (text.find(">", close) + 1 or len(text))
        out.append(text[pos:m.start()])
        out.append("\n" * text.count("\n", m.start(), end))
        pos = end
    return "".join(out)


def html_rows(lines: list[str]) -> list[str]:
    """An HTML source as text: each table row (<tr>…</tr>, on one line or several) as its cells
    TAB-separated on the row's first line; every other line without its tags and entities;
    scripts and styles dropped. Only in a text with three table cells or more; the line count
    stays as it is."""
    head = "\n".join(lines[:4000])
    if len(re.findall(r"<t[dh]\b", head, re.I)) < 3:
        return lines
    text = _without_scripts("\n".join(lines))
    src = text.split("\n")
    out = list(src)
    i, n = 0, len(src)
    while i < n:
        if _HTML_ROW_OPEN.search(src[i]):
            j = i
            while j < n - 1 and not _HTML_ROW_CLOSE.search(src[j]) and j - i < 50:
                j += 1
            row = " ".join(src[i:j + 1])
            # (a row longer than any table row is read as text: an unclosed cell tag in it would
            # make the cell search restart at every later one)
            cells = [_html_text(c) for c in _HTML_CELL.findall(row)] if len(row) <= _MAX_HTML_ROW else []
            out[i] = "\t".join(cells) if cells else _html_text(row)
            for k in range(i + 1, j + 1):
                out[k] = ""
            i = j + 1
            continue
        out[i] = _html_text(src[i])
        i += 1
    return out if len(out) == len(lines) else lines


def semicolon_rows(lines: list[str]) -> list[str]:
    """A CSV file separated by semicolons (a European-locale export), as TAB rows: the lines with
    the file's number of ASCII ';' (four or more, on five lines or more; a sentence's '；' is
    another character before normalisation) read by a CSV reader; other lines stay as they are."""
    counts = Counter(s.count(";") for s in lines if s.count(";") >= 4)
    if not counts:
        return lines
    width, seen = counts.most_common(1)[0]
    if seen < 5:
        return lines
    out = list(lines)
    for i, s in enumerate(lines):
        if s.count(";") == width:
            try:
                cells = next(csv.reader(io.StringIO(s), delimiter=";"), [])
            except csv.Error:
                continue
            out[i] = "\t".join(" ".join(c.split()) for c in cells)
    return out


_LIST_TAB = re.compile(r"^(\s*(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）]|[(（][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[①-⑳]))\t+(?=[^\t]+$)")


def list_tabs(lines: list[str]) -> list[str]:
    """A Word list converted to text puts a TAB after the item's number ("1.\t预算安排。…",
    "（1）\t开展…"): a line whose only TABs follow its list marker is running text, not a row of
    two cells."""
    if not any("\t" in s for s in lines):
        return lines
    out = [_LIST_TAB.sub(r"\1 ", s) if "\t" in s and s.lstrip()[:1] in _LIST_FIRST else s for s in lines]
    return lines if out == lines else out


FIRST_COLUMN_RUN = 6  # consecutive TAB lines filling their first cell only, at least


def first_column_rows(lines: list[str]) -> list[str]:
    """A table of which only the first column is filled (a page written one cell per line and
    saved as a Word or PDF table: "项目名称\t\t\t…", "65.00\t\t\t…"): in a run of at least six
    such TAB lines, holding three filled cells at least, each line keeps its first cell only —
    what it is, one value per line. A row of a real table ("合计\t\t\t") stands alone."""
    out = None
    i, n = 0, len(lines)
    while i < n:
        if not _first_only(lines[i]):
            i += 1
            continue
        j = i
        while j < n and _first_only(lines[j]):
            j += 1
        if j - i >= FIRST_COLUMN_RUN and sum(1 for k in range(i, j) if lines[k].split("\t", 1)[0].strip()) >= 3:
            if out is None:
                out = list(lines)
            for k in range(i, j):
                out[k] = lines[k].split("\t", 1)[0].rstrip()
        i = j
    return lines if out is None else out


def _first_only(s: str) -> bool:
    """A TAB line whose cells after the first are all empty."""
    if "\t" not in s:
        return False
    return not s.split("\t", 1)[1].strip()


_LIST_FIRST = frozenset("0123456789(（一二三四五六七八九十①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")


_OPEN_QUOTE = re.compile(r'(?:^|\t)"')


def quoted_cells(lines: list[str]) -> list[str]:
    """Excel cells copied as TAB-separated text: a cell holding line breaks is quoted and runs
    over several lines ('"项目资金' / '(万元)"\t\t年初预算数…'). Such a row is put back on its
    first line, each quoted cell's pieces joined and its quotes removed; the lines merged into it
    are left empty. Only where the text has TAB rows and a quoted cell opens a line or follows a
    TAB, and only when the quote closes within eight lines."""
    if not any("\t" in s for s in lines) or not any('"' in s for s in lines):
        return lines
    out = list(lines)
    changed = False
    i, n = 0, len(lines)
    while i < n:
        s = lines[i]
        if s.count('"') % 2 == 0 or not _OPEN_QUOTE.search(s):
            i += 1
            continue
        j, row = i + 1, s
        while j < n and j - i <= 8 and row.count('"') % 2:
            row += lines[j].strip() if not lines[j].startswith("\t") else lines[j]
            j += 1
        if row.count('"') % 2:
            i += 1
            continue
        cells = [c[1:-1].replace('""', '"') if len(c) >= 2 and c.startswith('"') and c.endswith('"') else c
                 for c in row.split("\t")]
        out[i] = "\t".join(cells)
        for k in range(i + 1, j):
            out[k] = ""
        changed = True
        i = j
    return out if changed else lines


_PLAIN_FIGURE = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")


def wrapped_rows(lines: list[str]) -> list[str]:
    """A TAB row cut by a line break inside one of its cells (a Word table's cell holding a
    newline: "\t产出指标\t数量指标\t指标1:开展科普讲座进校园进" / "社区场次\t≥40场\t46场\t10\t10"):
    the two lines are one row when together they give exactly the width of the table's rows above
    (a width several of its rows have), the second is a TAB row too, and the cut cell's two pieces
    both hold text. The row
    stands on its first line; the lines merged into it are left empty."""
    counts = [s.count("\t") + 1 if "\t" in s else 0 for s in lines]
    widths = Counter(c for c in counts if c >= 5)
    common = {w for w, k in widths.items() if k >= 2}
    if not common:
        return lines
    out = list(lines)
    changed = False
    i, n = 0, len(lines)
    width = 0
    while i < n:
        have = counts[i]
        if have in common:
            width = have  # the table's rows: as wide as the last row of a common width
        if not (width and 2 <= have < width):
            i += 1
            continue
        j, total, cells = i + 1, have, lines[i].split("\t")
        ok = True
        while j < n and j - i <= 2 and total < width and "\t" in lines[j]:
            more = lines[j].split("\t")
            a, b = cells[-1].strip(), more[0].strip()
            if not a or not b or a.endswith((":", "：", "。")) or b.endswith((":", "：")) or _PLAIN_FIGURE.match(a) \
                    or _PLAIN_FIGURE.match(b) \
                    or len(a) > 30 or not any(_PLAIN_FIGURE.match(c.strip()) for c in more[1:]):
                # a cut cell is a short one (a name, a label) holding text on both sides of the
                # break, and the rest of the row brings the row's figures; a line opening with a
                # label ("填报人:") starts a row of its own
                ok = False
                break
            cells = cells[:-1] + [cells[-1].rstrip() + more[0].strip()] + more[1:]
            total += len(more) - 1
            j += 1
        if ok and total == width and j - i >= 2 and "\t" in lines[j - 1]:
            out[i] = "\t".join(cells)
            for k in range(i + 1, j):
                out[k] = ""
            changed = True
            i = j
        else:
            i += 1
    return out if changed else lines


def _pipe_columns(line: str) -> list[int]:
    """Where a line's '|' stand on the screen (a CJK character is two columns wide)."""
    out, x = [], 0
    for ch in line:
        if ch == "|":
            out.append(x)
        x += 2 if ch >= "\u1100" and unicodedata.east_asian_width(ch) in "WF" else 1
    return out


def continued_rows(lines: list[str]) -> list[str]:
    """A fixed-width table (antiword, a text browser) wraps a long cell onto the lines below its
    row, every other cell of those lines empty ("|…|国家助学金人均|2000元/生·|…|5|5|" over
    "|…|资助标准|年|…| | |"): such a line continues the row above when it has as many cells, holds
    no figure of its own, writes only in columns the row above writes in, and its '|' stand
    exactly under those of the row above (a fixed-width table, not a table of '|' rows whose
    cells vary in width, where a row without figures is a row of its own); its pieces are
    appended to that row's cells. The row stands on its first line; the lines merged into it are
    left empty."""
    if sum(1 for s in lines if s.count("|") >= 5) < 4:
        return lines
    out = list(lines)
    changed = False
    i, n = 0, len(lines)
    while i < n:
        s = lines[i]
        if s.count("|") < 5:
            i += 1
            continue
        cells = s.split("|")
        figures = [k for k, c in enumerate(cells) if _PLAIN_FIGURE.match(c.strip())]
        j = i + 1
        at = None
        while j < n and figures and lines[j].count("|") == s.count("|"):
            more = lines[j].split("|")
            written = [k for k, c in enumerate(more) if c.strip()]
            if not written or any(_PLAIN_FIGURE.match(more[k].strip()) for k in written) \
                    or any(not cells[k].strip() or cells[k].rstrip().endswith(("。", ";", "；")) for k in written):
                break
            if _pipe_columns(lines[j]) != (at := at or _pipe_columns(s)):
                break
            for k in written:
                cells[k] = cells[k].rstrip() + more[k].strip()
            out[j] = ""
            j += 1
        if j > i + 1:
            out[i] = "|".join(cells)
            changed = True
        i = j
    return out if changed else lines


_CHUNK = re.compile(r"^\s*(\d{1,2})、")


def page_chunks(lines: list[str]) -> list[str]:
    """A document site's preview: the pages of a file, each flattened into one long line opened
    by its number ("1、报表编号…", "2、业人数 ≥ 80 人 …"), a word or a row cut where the page ends.
    The pages are one text: joined on the first page's line (their numbers dropped), the others
    left empty. Only for two pages or more, numbered 1, 2, … in order, each a long line."""
    pages = []
    for i, s in enumerate(lines):
        m = _CHUNK.match(s) if len(s) >= 150 else None
        if m and int(m.group(1)) == len(pages) + 1:
            pages.append((i, m.end()))
        elif s.strip() and pages and len(pages) < 2:
            pages = []  # the numbered pages follow one another (blank lines aside)
    if len(pages) < 2:
        return lines
    out = list(lines)
    first = pages[0][0]
    out[first] = lines[first][:pages[0][1]] + "".join(lines[i][at:] for i, at in pages)
    for i, _ in pages[1:]:
        out[i] = ""
    return out


_SPACED_TOKEN = re.compile(r"^(?:[\u4e00-\u9fff，。、；：（）“”《》,.;:()]|[0-9.,%]+)$")
_ONE_SPACE = re.compile(r"(?<=\S) (?=\S)")


def spaced_letters(lines: list[str]) -> list[str]:
    """PDF text with a space between every character ("仙 居 县 总 工 会 2024 年 度 …"): on such a
    line (ten tokens or more, nine in ten of them one character or one figure) the single spaces
    are dropped; a run of spaces stays, as one."""
    out = None
    for i, s in enumerate(lines):
        if s.count(" ") < 9:
            continue
        tokens = s.split()
        if len(tokens) < 10 or sum(1 for t in tokens if _SPACED_TOKEN.match(t)) * 10 < len(tokens) * 9:
            continue
        if sum(1 for t in tokens if len(t) == 1) * 2 < len(tokens):
            continue  # mostly figures: a row of a table, not spaced-out text
        if out is None:
            out = list(lines)
        out[i] = re.sub(r" {2,}", " ", _ONE_SPACE.sub("", s))
    return lines if out is None else out


_PAGE_NUMBER = re.compile(r"^\s*(?:第\s*\d{1,3}\s*页\s*[,，、/]?\s*共\s*\d{1,3}\s*页|共\s*\d{1,3}\s*页\s*[,，、]?\s*第\s*\d{1,3}\s*页"
                          r"|[-—–－]{1,2}\s*\d{1,3}\s*[-—–－]{1,2}|\d{1,3}\s*/\s*\d{1,3}|(?:Page|page)\s*\d{1,3}(?:\s*of\s*\d{1,3})?)\s*$")


def page_furniture(lines: list[str]) -> list[str]:
    """A printed page's number ("第 1 页 共 2 页", "- 3 -") and the running title next to it (a
    line that repeats one of the document's first lines, just before or after the number) are
    not part of the text they interrupt: blanked, so that a table row cut by a page break reads
    on."""
    marks = [i for i, s in enumerate(lines) if len(s) <= 40 and _PAGE_NUMBER.match(s)]
    if not marks:
        return lines
    head = {s.strip() for s in lines[:5] if len(s.strip()) >= 6}
    out = list(lines)
    for i in marks:
        out[i] = ""
        for j in (i - 2, i - 1, i + 1, i + 2):
            if 5 <= j < len(lines) and lines[j].strip() in head:
                out[j] = ""
    return out


_BR = re.compile(r"\s*<br\s*/?>\s*", re.I)


def line_breaks(lines: list[str]) -> list[str]:
    """Line breaks written as <br> inside cells (Markdown tables, rich-text exports): the parts of
    a cell joined ("年初<br>预算数" → 年初预算数, as a wrapped header cell is read). Only in a text
    with two such tags or more; an HTML source is turned into rows before this."""
    if sum(1 for s in lines if "<br" in s or "<BR" in s) < 2:
        return lines
    return [_BR.sub("", s) if "<" in s else s for s in lines]


_ROW_NUMBER = re.compile(r"^\s*第\s*\d+\s*行\s*[:：]\s*")
_CELL_BORDER = re.compile(r"[|｜\t]")


def numbered_rows(lines: list[str]) -> list[str]:
    """A table in a site's accessible mode: "第1行:一级指标|二级指标|…" then "第2行:一级指标 投入|二级指标
    预算执行|…", each cell opened by its column's name. The row numbers dropped and each cell's
    column name taken off (by position, only where the cell opens with that name and a space),
    so the rows read as pipe rows. Only with three such rows or more."""
    marked = [i for i, s in enumerate(lines) if _ROW_NUMBER.match(s)]
    if len(marked) < 3:
        return lines
    out = list(lines)
    header: list[str] = []
    for i in marked:
        cells = [c.strip() for c in _CELL_BORDER.split(_ROW_NUMBER.sub("", lines[i]))]
        if not header or not all(c.startswith(h + " ") or c == h for c, h in zip(cells, header) if h and c):
            header = cells  # a header row: its cells are names, not "name value"
            out[i] = " | ".join(cells)
            continue
        values = [c[len(h) + 1:] if h and c.startswith(h + " ") else ("" if c == h else c) for c, h in zip(cells, header)]
        out[i] = " | ".join(values + cells[len(header):])
    return out


# A spreadsheet printed cell by cell ("A1<TAB>项目支出绩效自评表", "C3<TAB>…"): the grid rebuilt.
_CELL_ADDRESS = re.compile(r"^\s*([A-Z]{1,2})(\d{1,5})\s*[\t:：=]\s*(\S(?:.*\S)?|)\s*$")


def _column_index(letters: str) -> int:
    k = 0
    for ch in letters:
        k = k * 26 + (ord(ch) - 64)
    return k - 1


def address_rows(lines: list[str]) -> list[str]:
    """Cells listed by their address, one per line, as TAB rows: each sheet row's cells in their
    columns (empty cells between) on the line of the row's first cell, its other lines left
    empty. Only in a text with ten such lines or more, whose rows come in order."""
    found = [(i, m) for i, s in enumerate(lines) if "\t" in s or ":" in s or "：" in s or "=" in s
             for m in [_CELL_ADDRESS.match(s)] if m]
    if len(found) < 10:
        return lines
    rows: dict[int, list[tuple[int, int, str]]] = {}
    for i, m in found:
        rows.setdefault(int(m.group(2)), []).append((i, _column_index(m.group(1)), m.group(3)))
    firsts = [cells[0][0] for _, cells in sorted(rows.items())]
    if firsts != sorted(firsts):
        return lines  # rows out of order: not one sheet listed row by row
    out = list(lines)
    for _, cells in rows.items():
        width = max(c for _, c, _ in cells) + 1
        values = [""] * width
        for _, c, v in cells:
            values[c] = v
        out[cells[0][0]] = "\t".join(values)
        for i, _, _ in cells[1:]:
            out[i] = ""
    return out


# A spreadsheet printed by pandas (DataFrame.to_string): a row index in front of every row, NaN for
# an empty cell, "Unnamed: n" for a header cell left empty, columns two spaces apart or more.
_PANDAS_ROW = re.compile(r"^\s*\d+\s+\S")
_PANDAS_GAP = re.compile(r"\s{2,}")
_PANDAS_EMPTY = re.compile(r"^(?:NaN|nan|None|NaT|Unnamed: \d+)$")
_ONE_GAP = re.compile(r"\s+")
_UNNAMED = re.compile(r"\s+(?=Unnamed: \d)")
_PANDAS_SHAPE = re.compile(r"^\s*\[\d+ rows x \d+ columns\]\s*$")


def pandas_rows(lines: list[str]) -> list[str]:
    """A DataFrame printed as text, as TAB rows: the index dropped, NaN and "Unnamed: n" cells
    empty, the cells split where two spaces or more stand (one, in a copy that kept no more).
    Only in a text with five indexed rows or more, three of them holding NaN cells; other lines
    (the file's title, a footer) stay as they are."""
    if not any("NaN" in s for s in lines):
        return lines
    rows = [i for i, s in enumerate(lines) if _PANDAS_ROW.match(s)]
    if len(rows) < 5 or sum(1 for i in rows if "NaN" in lines[i]) < 3:
        return lines
    out = list(lines)
    # columns two spaces apart or more; in a copy that kept one space (a PDF), one space
    gap = _PANDAS_GAP if any(_PANDAS_GAP.search(lines[i].strip()) for i in rows) else _ONE_GAP
    split = {i: gap.split(lines[i].strip())[1:] for i in rows}
    # every row of a DataFrame has as many cells as it has columns: a row with another count is
    # not split where its cells are (a cell holding two spaces), and stays as it is
    width = Counter(len(c) for c in split.values()).most_common(1)[0][0]
    for i, cells in split.items():
        if len(cells) == width:
            out[i] = "\t".join("" if _PANDAS_EMPTY.match(c) else c for c in cells)
    # the header row, just above the first indexed row
    head = rows[0] - 1
    if head >= 0 and "Unnamed:" in lines[head]:
        cells = _PANDAS_GAP.split(lines[head].strip())
        if len(cells) != width:  # one space apart: "Unnamed: 1" holds a space of its own
            cells = _UNNAMED.split(lines[head].strip())
        out[head] = "\t".join("" if _PANDAS_EMPTY.match(c.strip()) else c.strip() for c in cells if c.strip())
    for i, s in enumerate(lines):
        if _PANDAS_SHAPE.match(s):
            out[i] = ""
    return out


# A table printed as cards (a mobile page, a form export): each row one "column:value" per line,
# a blank line between rows ("三级指标:参与人数" / "年度指标值:≥600人" / "分值:10" …).
_CARD_LINE = re.compile(r"^\s*([^:：\t|]{2,24})[:：]\s*(\S(?:.*\S)?)\s*$")
_MIN_CARD_LINES = 4
_MIN_CARD_COLUMNS = 3


def card_rows(lines: list[str]) -> list[str]:
    """Cards as table rows: a run of four or more "key:value" lines, three or more of whose keys
    name columns of one table kind (lexicon/columns.toml), becomes its header row (the keys, on
    the run's first line) and its row (the values, on the second), TAB-separated; the run's
    other lines are left empty, so the line count and every other line stay as they are."""
    # the lines that are "key:value", found in one search; a card is a run of four of them
    found = [i for i in Lines(lines).with_match(_CARD_LINE) if _CARD_LINE.match(lines[i])]
    starts = [i for k, i in enumerate(found) if k + 3 < len(found) and found[k + 3] == i + 3
              and (k == 0 or found[k - 1] != i - 1)]
    if not starts:
        return lines
    out = list(lines)
    n = len(lines)
    for i in starts:
        i = _cards_from(lines, out, i, n)
    return out


def _cards_from(lines: list[str], out: list[str], i: int, n: int) -> int:
    """The cards of the run of key:value lines starting at line i, written into `out`."""
    while i < n and _CARD_LINE.match(lines[i]):
        j = i
        pairs = []
        roles: set = set()
        while j < n:
            m = _CARD_LINE.match(lines[j])
            if m is None:
                break
            key = m.group(1).strip()
            role = role_of(key, "indicator") or role_of(key, "money")
            if any(key == k for k, _ in pairs) or (role not in (None, "ignore") and role in roles):
                break  # a key or a column seen in this card opens the next one (no blank line between)
            roles.add(role)
            pairs.append((key, m.group(2)))
            j += 1
        card = _card(pairs)
        if card is not None:
            lo, hi = card  # the card's lines within the run: from a row label before its columns
            out[i + lo] = "\t".join(k for k, _ in pairs[lo:hi])
            out[i + lo + 1] = "\t".join(v for _, v in pairs[lo:hi])
            for k in range(i + lo + 2, i + hi):
                out[k] = ""
        i = max(j, i + 1)
    return i


def _card(pairs: list[tuple[str, str]]) -> tuple[int, int] | None:
    """The part of a run of key:value lines that is one card: from the key before the first key
    naming a column (the row's label column, 项目资金(万元) / 一级指标) to the last key naming one,
    with three columns named at least. Cover fields before it (项目名称:…) and lines after it
    (联系人:…) stay as they are."""
    for kind in ("money", "indicator"):
        named = [role_of(k, kind) not in (None, "ignore") for k, _ in pairs]
        if sum(named) < _MIN_CARD_COLUMNS:
            continue
        first = named.index(True)
        last = len(named) - 1 - named[::-1].index(True)
        lo = max(0, first - 1)
        if last + 1 - lo >= _MIN_CARD_LINES and sum(named[lo:last + 1]) >= _MIN_CARD_COLUMNS:
            return lo, last + 1
    return None


def repair_ocr_text(text: str) -> str:
    """Misread labels, 万无 and digits read as letters, from lexicon/ocr.toml (the same table
    loaders.layout uses)."""
    from loaders.layout import _has_ocr_hint, repair_ocr

    if not _has_ocr_hint(text):
        return text
    return "\n".join(repair_ocr(line) for line in text.split("\n"))


def simplify(s: str) -> str:
    """One string in matching form (NFKC, simplified)."""
    return normalise_lines([s])[0]
