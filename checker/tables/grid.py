"""A spreadsheet as a grid of texts: .xlsx through openpyxl, .csv in UTF-8 or GB18030.

Every cell becomes the text a person sees: numbers exactly (a float cell is
read through its shortest repr, which is what Excel stored from what was
typed; a percent-formatted 0.05 is `5%`), dates as YYYY-MM-DD. A merged range
gives its value to every cell it covers (a lead merged down three rows leads
all three tasks); `spans` remembers the ranges, so a note row merged across
the table can be told from a row of data. Bounds: the unpacked workbook size
the rows and columns per sheet; beyond them the file is an input error. The archive is
checked by checker.zipguard (member count, declared sizes, ratios) before
openpyxl unpacks anything.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from dataclasses import dataclass, field
from decimal import Decimal

from checker.errors import InputError
from checker.zipguard import check_zip_bytes

MAX_ROWS = 100_000
MAX_COLUMNS = 200


@dataclass
class Sheet:
    name: str
    rows: list[list[str]]
    spans: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)

    def text(self, r: int, c: int) -> str:
        row = self.rows[r] if r < len(self.rows) else []
        return row[c].strip() if c < len(row) else ""

    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


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


def read_xlsx(name: str, data: bytes) -> tuple[list[Sheet], list[InputError]]:
    """The sheets of a workbook, opened only once checker.zipguard finds it cannot explode."""
    refused = check_zip_bytes(name, data)
    if refused:
        return [], [refused]
    import openpyxl  # imported here: JSON/YAML-only runs do not pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        return [], [InputError(name, "", f"cannot read the workbook: {type(exc).__name__}: {exc}")]
    sheets: list[Sheet] = []
    errors: list[InputError] = []
    for ws in wb.worksheets:
        if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
            errors.append(InputError(name, "", f"sheet {ws.title} has {ws.max_row} rows and {ws.max_column} "
                                               f"columns; the limits are {MAX_ROWS} and {MAX_COLUMNS}"))
            continue
        rows = [[cell_text(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
        sheet = Sheet(ws.title, rows)
        for rng in ws.merged_cells.ranges:
            r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
            top = sheet.text(r0, c0)
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                for c in range(c0, c1 + 1):
                    while len(rows[r]) <= c:
                        rows[r].append("")
                    rows[r][c] = top
                    sheet.spans[(r, c)] = (r0, c0, r1, c1)
        sheets.append(sheet)
    return sheets, errors


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
