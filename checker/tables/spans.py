"""Merged ranges given to the cells they cover, within a budget of cells: for grids read cell by cell.

An .xls workbook lists its merged ranges; a Word table writes them as gridSpan
(across) and vMerge (down). Either way a range gives its top-left text to every
cell it covers and is remembered in `Sheet.spans`, as for .xlsx (checker.tables.grid).
"""

from __future__ import annotations

from checker.tables import grid
from checker.tables.grid import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Sheet

__all__ = ["LIMITS", "MAX_CELLS", "Span", "fill_spans"]

LIMITS = f"the limits are {MAX_ROWS} rows and {MAX_COLUMNS} columns a table, {MAX_CELLS} cells a file"

Span = tuple[int, int, int, int]  # first row, first column, last row, last column (from 0, inclusive)


def fill_spans(sheet: Sheet, ranges: list[Span], budget: int) -> tuple[int, str | None]:
    """Give each range's top-left text to the cells it covers; the budget left, or why the file is refused.

    A reader that lists every cell as a range (a Word cell without gridSpan or vMerge) gives
    one-cell ranges too: those merge nothing and are left out.
    """
    budget = grid.fill_spans(sheet, [r for r in sorted(set(ranges)) if r[:2] != r[2:]], budget)
    return budget, (f"merged ranges fill more than {MAX_CELLS} cells; {LIMITS}" if budget < 0 else None)
