"""An Excel 97–2003 workbook (.xls, BIFF in an OLE2 file) as a grid of texts, through xlrd.

Government sites still attach plans as .xls. Each cell becomes the text a person
sees, as for .xlsx (`grid.cell_text`: numbers exactly, a percent format as `5%`,
dates as YYYY-MM-DD); merged ranges give their value to every cell they cover.
xlrd reads a whole file into memory, so the file is bounded before it is opened
(MAX_XLS_BYTES: a published plan is tens of kilobytes), and its rows, columns and
cells before any text is made. A file named .xls that is really an .xlsx workbook
is read as one; one that is HTML or a Word file is refused with what to do.
xlrd reports only a formula's cached value (BIFF keeps no flag xlrd exposes), so
.xls formula cells read as the value Excel last showed.
"""

from __future__ import annotations

import io

from checker.errors import InputError
from checker.tables.grid import MAX_COLUMNS, MAX_ROWS, Sheet, cell_text, read_xlsx
from checker.tables.spans import LIMITS, MAX_CELLS, Span, fill_spans

MAX_XLS_BYTES = 16 * 2**20
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
SAVE_AS = "save it as .xlsx or .docx"


def read_xls(name: str, data: bytes) -> tuple[list[Sheet], list[InputError]]:
    """The sheets of an .xls workbook, or why it is refused."""
    if data.startswith(_ZIP):  # an .xlsx saved under an .xls name
        return read_xlsx(name, data)
    if not data.startswith(_OLE2):
        return [], [InputError(name, "", f"not an Excel 97–2003 workbook (no OLE2 header; a web page saved as "
                                         f".xls?): {SAVE_AS}")]
    if len(data) > MAX_XLS_BYTES:
        return [], [InputError(name, "", f".xls file is {len(data)} bytes; the limit for .xls is {MAX_XLS_BYTES} "
                                         f"bytes: {SAVE_AS}")]
    import xlrd  # imported here: runs without .xls files do not pay for it

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises many types for a damaged or foreign OLE2 file
        return [], [InputError(name, "", f"cannot read the .xls workbook ({type(exc).__name__}: {exc}): {SAVE_AS}")]
    sheets: list[Sheet] = []
    budget = MAX_CELLS
    for ws in book.sheets():
        if ws.nrows > MAX_ROWS or ws.ncols > MAX_COLUMNS:
            return [], [InputError(name, "", f"sheet {ws.name} has {ws.nrows} rows and {ws.ncols} columns; {LIMITS}")]
        budget -= ws.nrows * ws.ncols
        if budget < 0:
            return [], [InputError(name, "", f"the workbook holds more than {MAX_CELLS} cells; {LIMITS}")]
        rows = [[_text(book, ws.cell(r, c)) for c in range(ws.row_len(r))] for r in range(ws.nrows)]
        for row in rows:
            while row and not row[-1]:
                row.pop()
        sheet = Sheet(ws.name, rows)
        ranges: list[Span] = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells]
        budget, problem = fill_spans(sheet, ranges, budget)
        if problem:
            return [], [InputError(name, "", problem)]
        sheets.append(sheet)
    return sheets, []


def _text(book: object, cell: object) -> str:
    """A cell as a person sees it, as grid.cell_text makes it for .xlsx."""
    import xlrd

    kind, value = cell.ctype, cell.value  # type: ignore[attr-defined]
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_TEXT:
        return str(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(value))
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    if kind == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate_as_datetime(value, book.datemode))  # type: ignore[attr-defined]
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(value)
    return cell_text(value, _number_format(book, cell))


def _number_format(book: object, cell: object) -> str:
    try:
        xf = book.xf_list[cell.xf_index]  # type: ignore[attr-defined]
        return book.format_map[xf.format_key].format_str  # type: ignore[attr-defined]
    except (AttributeError, IndexError, KeyError, TypeError):
        return "General"

