"""Tables with merged cells, drawn the same way in HTML, DOCX and XLSX.

The national annual-report tables (国办公开办函〔2021〕30号) are not plain
grids: table 二 stacks four small tables under article headings, table 三
has a two-level header, and table 四 is a single row of fifteen numbers under
a three-level header. A table here is a list of rows of `Cell`s, as in HTML:
a cell spanning several rows takes its place in the rows below it, and
`place` works out the (row, column) every cell starts at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Cell:
    text: Any = ""
    cols: int = 1
    rows: int = 1
    head: bool = False
    key: str = ""  # a data attribute for tests and scripts ("new.total")
    left: bool = False  # a row label, aligned left as in the template
    label: str = ""  # what an input in this cell is for (screen readers)


def head(text: Any, cols: int = 1, rows: int = 1, *, left: bool = False) -> Cell:
    return Cell(text=text, cols=cols, rows=rows, head=True, left=left)


@dataclass(frozen=True)
class Placed:
    row: int
    col: int
    cell: Cell


def place(table: list[list[Cell]]) -> tuple[list[Placed], int]:
    """Every cell with the row and column it starts at, and the table's width."""
    taken: set[tuple[int, int]] = set()
    out: list[Placed] = []
    width = 0
    for r, row in enumerate(table):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append(Placed(r, c, cell))
            for dr in range(cell.rows):
                for dc in range(cell.cols):
                    taken.add((r + dr, c + dc))
            c += cell.cols
            width = max(width, c)
    return out, width


def to_docx(
    doc: Any,
    table: list[list[Cell]],
    *,
    size: float = 10.5,
    widths: list[float] | None = None,
) -> None:
    """Append `table` to an OfficialDoc, merging the spanned cells."""
    placed, width = place(table)
    doc.grid(placed, rows=len(table), cols=width, size=size, widths=widths)


def to_sheet(ws: Any, table: list[list[Cell]], *, first_row: int) -> int:
    """Write `table` into an openpyxl sheet from `first_row`; the next free row."""
    from openpyxl.styles import Alignment, Font

    placed, _width = place(table)
    for p in placed:
        row, col = first_row + p.row, 1 + p.col
        cell = ws.cell(row=row, column=col, value=p.cell.text)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if p.cell.head:
            cell.font = Font(bold=True)
        if p.cell.rows > 1 or p.cell.cols > 1:
            ws.merge_cells(
                start_row=row,
                start_column=col,
                end_row=row + p.cell.rows - 1,
                end_column=col + p.cell.cols - 1,
            )
    return first_row + len(table)
