"""Merged ranges given to the cells they cover, within a budget of cells: for grids read cell by cell.

An .xls workbook lists its merged ranges; a Word table writes them as gridSpan
(across) and vMerge (down). Either way a range gives its top-left text to every
cell it covers and is remembered in `Sheet.spans`, as for .xlsx (checker.tables.grid).
"""

from __future__ import annotations

from checker.tables.grid import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Sheet

__all__ = ["LIMITS", "MAX_CELLS", "Span", "fill_spans"]

LIMITS = f"the limits are {MAX_ROWS} rows and {MAX_COLUMNS} columns a table, {MAX_CELLS} cells a file"

Span = tuple[int, int, int, int]  # first row, first column, last row, last column (from 0, inclusive)


def fill_spans(sheet: Sheet, ranges: list[Span], budget: int) -> tuple[int, str | None]:
    """Give each range's top-left text to the cells it covers; the budget left, or why the file is refused."""
    rows = sheet.rows
    for r0, c0, r1, c1 in sorted(set(ranges)):
        if c1 >= MAX_COLUMNS or r0 >= len(rows) or (r0, c0) == (r1, c1):
            continue  # past the limits or below the last row: covers nothing read
        r1 = min(r1, len(rows) - 1)
        budget -= (r1 - r0 + 1) * (c1 - c0 + 1)
        if budget < 0:
            return budget, f"merged ranges fill more than {MAX_CELLS} cells; {LIMITS}"
        top = sheet.text(r0, c0)
        for r in range(r0, r1 + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = top
                sheet.spans[(r, c)] = (r0, c0, r1, c1)
    return budget, None
