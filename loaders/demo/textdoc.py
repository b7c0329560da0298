"""A text document under construction: lines, tables in the layouts real reports use, and the
1-based line of everything written, so expected records can point at their source lines.

Layouts of a table row (`LAYOUTS`):
- cell_lines: a blank line, then one cell per line after a TAB (seeds 000, 002, 003); a cell
  holding a newline continues on the next line without a TAB, as wrapped cells do there;
- tab_rows: one row per line, cells joined by TAB (seed 001);
- pipe_rows: one row per line, cells between '|';
- flat: one row per line, cells joined by a space (text pasted out of a PDF);
- space_rows: an HTML table as a browser copies it (realdev 014, 027): cells joined by a space,
  empty cells gone, and a cell holding several lines stacked over the row's lines, so the row's
  visual line k holds the k-th line of every cell that has one ("年度 实际" / "指标值 完成值");
- csv_rows: a spreadsheet dumped as CSV (realdev 024): every filled cell quoted, empty cells
  empty between commas, a cell holding a newline keeps it inside its quotes;
- pdf_columns: text extracted from a PDF table whose long cells wrapped (realdev 017, 028): as
  space_rows, but every cell line longer than PDF_WRAP characters is cut into pieces, so the
  pieces of neighbouring cells interleave line by line.

Only cell_lines, tab_rows, pipe_rows and flat turn into Word and Excel tables
(loaders.demo.formats); the other layouts are what text extraction leaves, written as .txt.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

LAYOUTS = ("cell_lines", "tab_rows", "pipe_rows", "flat", "space_rows", "csv_rows", "pdf_columns")
OFFICE_LAYOUTS = ("cell_lines", "tab_rows", "pipe_rows", "flat")  # the ones formats.blocks reads as tables
PDF_WRAP = 18  # characters of a PDF table cell's line before it wraps


def num(d: Decimal | int, places: int | None = None) -> str:
    """Decimal as report text: no exponent, no trailing zeros (64, 274.98, 549.6875)."""
    d = Decimal(d)
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    s = format(d.normalize(), "f")
    return "0" if s in ("-0", "") else s


def fixed(d: Decimal | int, places: int = 2) -> str:
    """Decimal with exactly `places` decimals (2.00, 88.78)."""
    return format(Decimal(d).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP), "f")


def q(d: Decimal | int | float, places: int = 2) -> Decimal:
    """Round half up to `places` decimals (how reports round)."""
    return Decimal(str(d)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def ratio_pct(numerator: Decimal, denominator: Decimal, places: int = 2) -> Decimal | None:
    """numerator / denominator as a percentage, rounded as Decimal.quantize rounds (half even)."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return (numerator / denominator * 100).quantize(Decimal(1).scaleb(-places))


def thousands(d: Decimal, places: int = 2) -> str:
    """4,900 / 282,187.00 style."""
    return f"{Decimal(d).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,.{places}f}"


class TextDoc:
    def __init__(self) -> None:
        self.lines: list[str] = []

    @property
    def next_line(self) -> int:
        return len(self.lines) + 1

    def add(self, text: str = "") -> int:
        """Append text (may hold newlines); return the 1-based line of its first line."""
        first = self.next_line
        self.lines.extend(text.split("\n"))
        return first

    def blank(self, n: int = 1) -> None:
        self.lines.extend([""] * n)

    def row(self, cells: list[str], layout: str) -> list[int]:
        """Write one table row; return the line of each cell."""
        if layout == "cell_lines":
            self.lines.append("")
            out = []
            for cell in cells:
                parts = cell.split("\n")
                out.append(self.next_line)
                self.lines.append("\t" + parts[0])
                self.lines.extend(parts[1:])
            return out
        if layout in ("space_rows", "pdf_columns"):
            return self._stacked(cells, PDF_WRAP if layout == "pdf_columns" else None)
        if layout == "csv_rows":
            return self._csv(cells)
        flat_cells = [c.replace("\n", "") for c in cells]
        if layout == "tab_rows":
            text = "\t".join(flat_cells)
        elif layout == "pipe_rows":
            text = "| " + " | ".join(flat_cells) + " |"
        elif layout == "flat":
            text = " ".join(c for c in flat_cells if c)
        else:
            raise ValueError(f"unknown layout {layout!r}")
        n = self.add(text)
        return [n] * len(cells)

    def _stacked(self, cells: list[str], wrap: int | None) -> list[int]:
        pieces = []
        for cell in cells:
            parts = [p.strip() for p in cell.split("\n") if p.strip()]
            if wrap:
                parts = [p[i:i + wrap] for p in parts for i in range(0, len(p), wrap)]
            pieces.append(parts)
        depth = max((len(p) for p in pieces), default=0)
        first = self.next_line
        if depth == 0:
            self.lines.append("")
            return [first] * len(cells)
        for k in range(depth):
            self.lines.append(" ".join(p[k] for p in pieces if len(p) > k))
        return [first] * len(cells)

    def _csv(self, cells: list[str]) -> list[int]:
        out, text = [], ""
        first = self.next_line
        for i, cell in enumerate(cells):
            if i:
                text += ","
            out.append(first + text.count("\n"))
            if cell:
                text += '"' + cell.replace('"', '""') + '"'
        self.add(text)
        return out

    def table(self, rows: list[list[str]], layout: str) -> list[list[int]]:
        return [self.row(r, layout) for r in rows]

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
