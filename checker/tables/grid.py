"""A spreadsheet as a grid of texts: .xlsx through openpyxl, .csv in UTF-8 or GB18030.

Every cell becomes the text a person sees: numbers exactly (a float cell is
read through its shortest repr, which is what Excel stored from what was
typed; a percent-formatted 0.05 is `5%`), dates as YYYY-MM-DD. A merged range
gives its value to every cell it covers (a lead merged down three rows leads
all three tasks); `spans` remembers the ranges, so a note row merged across
the table can be told from a row of data. Bounds: the unpacked workbook size
the rows and columns per sheet and the cells per workbook; beyond them the file is an
input error. The archive is checked by checker.zipguard (member count, declared sizes,
ratios) before openpyxl unpacks anything, and sheets are read streaming.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import warnings
from dataclasses import dataclass, field
from decimal import Decimal

from checker.errors import InputError
from checker.zipguard import open_office

MAX_ROWS = 100_000
MAX_COLUMNS = 200
# A workbook's cells, merged ranges counted as the cells they fill: the table of a province's
# items or tasks is tens of thousands of rows of a dozen columns; each cell read costs some 200 bytes.
MAX_CELLS = 2_000_000


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]
    spans: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → its formula

    def text(self, r: int, c: int) -> str:
        row = self.rows[r] if r < len(self.rows) else []
        return row[c].strip() if c < len(row) else ""

    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@functools.lru_cache(maxsize=1024)  # every cell of a column shares its letters
def column_letter(c: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def _percent(value: Decimal) -> str:
    text = format((value * 100).normalize(), "f")
    return f"{text}%"


def cell_text(value: object, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (number_format or ""):
            return _percent(d)
        if d == d.to_integral_value():
            return str(int(d))
        return format(d.normalize(), "f")
    return str(value)


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})\"")


_CHUNK = 1 << 20  # bytes of sheet XML read at a time


def _column_index(letters: bytes) -> int:
    n = 0
    for b in letters:
        n = n * 26 + b - 64
    return n - 1


# A cell holding a formula: <c r="E4" ...><f>SUM(E1:E3)</f><v>6</v></c> (or a shared formula, <f t="shared" .../>).
_FORMULA = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"[^>]*>\s*"
                      rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)<)")
_OVERLAP = 4096  # a tag cut by a chunk's end is read with the next one


def _merged_ranges(ws: object) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a sheet (_sheet_xml)."""
    return _sheet_xml(ws)[0]


def _sheet_xml(ws: object) -> tuple[list[tuple[int, int, int, int]], dict[tuple[int, int], str]]:
    """The merged ranges and the formula cells of a sheet, read from its XML in one streamed pass
    (read-only sheets list neither)."""
    merged: set[tuple[int, int, int, int]] = set()
    formulas: dict[tuple[int, int], str] = {}
    buf = b""
    with ws._get_source() as src:  # type: ignore[attr-defined]
        while chunk := src.read(_CHUNK):
            buf += chunk
            last = 0
            for m in _MERGE.finditer(buf):  # a match ends at the ref's closing quote: it is whole
                c0, r0, c1, r1 = _column_index(m[1]), int(m[2]) - 1, _column_index(m[3]), int(m[4]) - 1
                merged.add((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
                last = max(last, m.end())
            for m in _FORMULA.finditer(buf):  # a match ends at the formula's end: it is whole
                body = (m[4] or b"").decode("utf-8", "replace")
                formulas[(int(m[2]) - 1, _column_index(m[1]))] = "=" + body if body else "(a shared formula)"
                last = max(last, m.end())
            buf = buf[max(last, len(buf) - _OVERLAP):]
    return sorted(merged), formulas


def read_xlsx(name: str, data: bytes) -> tuple[list[Sheet], list[InputError]]:
    """The sheets of a workbook, opened only once checker.zipguard finds it cannot explode.

    Streamed: openpyxl's read-only sheets yield a row at a time, and the merged ranges are
    read from the sheet's XML. At most MAX_CELLS cells (merged ranges counted as the cells
    they fill), MAX_ROWS rows and MAX_COLUMNS columns a workbook: a 6.7 MB workbook within
    the row and column limits once took 60 s and 3.3 GB loaded whole.
    """
    import openpyxl  # imported here: JSON/YAML-only runs do not pay for it

    wb = open_office(name, data, "workbook", lambda f: openpyxl.load_workbook(f, data_only=True, read_only=True))
    if isinstance(wb, InputError):
        return [], [wb]
    sheets: list[Sheet] = []
    budget = MAX_CELLS
    try:
        for ws in wb.worksheets:
            sheet, problem, budget = _read_sheet(ws, budget)
            if problem:
                return [], [InputError(name, "", problem)]
            sheets.append(sheet)  # type: ignore[arg-type]
    except Exception as exc:  # a damaged sheet: openpyxl raises many types while streaming
        return [], [InputError(name, "", f"cannot read the workbook: {type(exc).__name__}: {exc}")]
    finally:
        wb.close()
    return sheets, []


def _read_sheet(ws: object, budget: int) -> tuple[Sheet | None, str | None, int]:
    """One sheet's rows and merged ranges within the budget of cells left; the budget after."""
    title = ws.title  # type: ignore[attr-defined]
    limits = (f"the limits are {MAX_ROWS} rows and {MAX_COLUMNS} columns a sheet, "
              f"{MAX_CELLS} cells a workbook")
    ws.reset_dimensions()  # type: ignore[attr-defined]  # a sheet's stated size may lie: count what is there
    rows: list[list[str]] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        problem = _read_rows(ws, rows, budget, title, limits)
    if problem:
        return None, problem[0], problem[1]
    budget -= sum(len(r) for r in rows)
    _typed_numbers(rows, caught)
    sheet = Sheet(title, rows)
    merged, sheet.formulas = _sheet_xml(ws)
    budget = fill_spans(sheet, merged, budget)
    if budget < 0:
        return None, f"the workbook's merged ranges fill more than {MAX_CELLS} cells; {limits}", budget
    return sheet, None, budget


def _read_rows(ws: object, rows: list[list[str]], budget: int, title: str, limits: str) -> tuple[str, int] | None:
    """Append the sheet's rows as texts to `rows`; a limit passed, and the budget then, if one is."""
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        if len(rows) == MAX_ROWS:
            return f"sheet {title} has more than {MAX_ROWS} rows; {limits}", budget
        texts = [cell_text(c.value, getattr(c, "number_format", "General")) for c in row]
        while texts and not texts[-1]:
            texts.pop()
        if len(texts) > MAX_COLUMNS:
            return f"sheet {title} row {len(rows) + 1} has {len(texts)} columns; {limits}", budget
        budget -= len(texts)
        if budget < 0:
            return f"the workbook holds more than {MAX_CELLS} cells; {limits}", budget
        rows.append(texts)
    return None


# openpyxl's word for a number in a date-formatted cell that is no date (20211228): it shows #VALUE!
_NOT_A_DATE = re.compile(r"Cell ([A-Z]{1,3})([0-9]{1,7}) is marked as a date but the serial value (\S+) is outside")


def _typed_numbers(rows: list[list[str]], caught: list[warnings.WarningMessage]) -> None:
    """Put back the number the user typed where openpyxl read #VALUE! for a date cell it could not
    make a date of (20211228 typed in a date column): the error then names what the user sees typed."""
    for w in caught:
        m = _NOT_A_DATE.match(str(w.message))
        if not m:
            continue
        r, c = int(m[2]) - 1, _column_index(m[1].encode())
        if r < len(rows) and c < len(rows[r]) and rows[r][c] == "#VALUE!":
            try:
                rows[r][c] = cell_text(int(m[3]) if m[3].isdigit() else float(m[3]))
            except ValueError:
                continue


def fill_spans(sheet: Sheet, ranges: list[tuple[int, int, int, int]], budget: int) -> int:
    """Give each merged range's top-left text to the cells it covers and remember it in `sheet.spans`;
    the budget of cells left (below 0: the ranges fill more than it allowed, and the sheet is unfinished)."""
    rows = sheet.rows
    for r0, c0, r1, c1 in ranges:
        if c1 >= MAX_COLUMNS or r0 >= len(rows):
            continue  # past the table's limits or below its last row: covers nothing read
        r1 = min(r1, len(rows) - 1)
        budget -= (r1 - r0 + 1) * (c1 - c0 + 1)
        if budget < 0:
            return budget
        top = sheet.text(r0, c0)
        for r in range(r0, r1 + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = top
                sheet.spans[(r, c)] = (r0, c0, r1, c1)
    return budget


def read_csv(name: str, data: bytes) -> tuple[list[Sheet], list[InputError]]:
    """A CSV in UTF-8 (with or without BOM) or in the GB18030/GBK that Chinese Excel exports."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            return [], [InputError(name, "", f"neither UTF-8 nor GB18030/GBK: byte 0x{data[exc.start]:02x} "
                                             f"at offset {exc.start} cannot be decoded")]
    rows: list[list[str]] = []
    try:  # row by row, stopping past the limit: 60 MB of newlines once listed 60 million rows first
        for row in csv.reader(io.StringIO(text, newline="")):
            if len(rows) == MAX_ROWS:
                return [], [InputError(name, "", f"more than {MAX_ROWS} rows; the limit is {MAX_ROWS}")]
            if len(row) > MAX_COLUMNS:
                return [], [InputError(name, "", f"row {len(rows) + 1} has {len(row)} columns; "
                                                 f"the limit is {MAX_COLUMNS}")]
            rows.append(row)
    except csv.Error as exc:
        return [], [InputError(name, "", f"invalid CSV: {exc}")]
    return [Sheet("", rows)], []
