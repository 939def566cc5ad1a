"""Build .xls and .docx files from a grid of texts, for the tests of the office readers.

A table read from a published .xlsx (checker.tables.grid.Sheet) is written cell for
cell, its merged ranges as .xls merges (xlwt) or as Word's gridSpan and vMerge
(python-docx's merge); so each format can be held to read as the workbook does.
"""

from __future__ import annotations

import io

from checker.tables.grid import Sheet


def _ranges(sheet: Sheet) -> set[tuple[int, int, int, int]]:
    return set(sheet.spans.values())


def xls_bytes(sheets: list[Sheet]) -> bytes:
    """An Excel 97–2003 workbook holding the sheets' texts and merged ranges."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for sheet in sheets:
        ws = book.add_sheet(sheet.name or "Sheet1")
        covered: set[tuple[int, int]] = set()
        for r0, c0, r1, c1 in sorted(_ranges(sheet)):
            ws.write_merge(r0, r1, c0, c1, sheet.rows[r0][c0])
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(sheet.rows):
            for c, text in enumerate(row):
                if (r, c) not in covered and text:
                    ws.write(r, c, text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_bytes(sheets: list[Sheet], title_above: bool = True) -> bytes:
    """A Word document with one table per sheet; a title row merged across the table goes above it as a paragraph."""
    import docx

    document = docx.Document()
    for sheet in sheets:
        rows = [list(r) for r in sheet.rows]
        ranges = _ranges(sheet)
        width = sheet.width()
        first = 0
        if title_above and (0, 0, 0, width - 1) in ranges:
            document.add_paragraph(rows[0][0])
            first = 1
        table = document.add_table(rows=len(rows) - first, cols=width)
        for r in range(first, len(rows)):
            for c in range(width):
                span = sheet.spans.get((r, c))
                if span is None or span[:2] == (r, c):
                    table.cell(r - first, c).text = rows[r][c] if c < len(rows[r]) else ""
        for r0, c0, r1, c1 in sorted(ranges):
            if r0 < first:
                continue
            table.cell(r0 - first, c0).merge(table.cell(r1 - first, c1))
        document.add_paragraph("")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
