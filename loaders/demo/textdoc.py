"""A text document under construction: lines, tables in the layouts real reports use, and the
1-based line of everything written, so expected records can point at their source lines.

Layouts of a table row (`LAYOUTS`):
- cell_lines: a blank line, then one cell per line after a TAB (seeds 000, 002, 003); a cell
  holding a newline continues on the next line without a TAB, as wrapped cells do there;
- tab_rows: one row per line, cells joined by TAB (seed 001);
- pipe_rows: one row per line, cells between '|';
- flat: one row per line, cells joined by a space (text pasted out of a PDF).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

LAYOUTS = ("cell_lines", "tab_rows", "pipe_rows", "flat")


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

    def table(self, rows: list[list[str]], layout: str) -> list[list[int]]:
        return [self.row(r, layout) for r in rows]

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
