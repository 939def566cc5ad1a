"""One document read from one sheet: its own fields (header block, command line, title), cells and errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from checker.errors import InputError, coded, pointer
from checker.messages import Msg, msg
from checker.read.inputs import RawDocument
from checker.rulebook import Text
from checker.sources import Cell
from checker.tables import readers as rd
from checker.tables.block import Entry
from checker.tables.cells import Cells
from checker.tables.grid import Sheet, column_letter


@dataclass
class TableRead:
    documents: list[RawDocument] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    cells: Cells = field(default_factory=Cells)  # each value's cell, by its pointer
    # what the reading says of itself and is no error: how each sheet was classified, the columns
    # not read, rows read as one task
    notes: list[InputError] = field(default_factory=list)
    # the columns of each table not read: {"path": the document's pointer, "sheet", "column", "header"}
    unused: list[dict[str, str]] = field(default_factory=list)
    # no text read (cells, sheet names, the file's name, the options) holds an unpaired surrogate, so no value
    # made of them does: the bounds walk need not look for one (checker.read.bounds.Screen)
    no_surrogates: bool = False


class Doc:
    """One document read from one sheet: its raw data, cells and errors."""

    def __init__(self, file: str, sheet: Sheet, base: str, out: TableRead) -> None:
        self.file, self.sheet, self.base, self.out = file, sheet, base, out
        self.data: dict[str, Any] = {}
        self.not_done: set[str] = set()  # dates the command line says were not done (--plan submitted_on=none)
        self._last: tuple[int, str, int, str] = (-1, "", 0, base)  # the last cell's row and record, as kept

    def cell(self, ptr: str, r: int, c: int, header: str, text: str | None, note: Text | None,
             record: str, sheet: Sheet | None = None, unreadable: bool = False, kind: str = "") -> None:
        last_r, last_record, row, whole = self._last
        if r != last_r or record is not last_record:  # a record's cells share its row number and pointer
            row, whole = r + 1, self.base + record
            self._last = (r, record, row, whole)
        self.out.cells[self.base + ptr] = Cell((sheet or self.sheet).name, row, column_letter(c) if c >= 0 else "",
                                               header, text, note, whole, unreadable, "", kind)

    def error(self, r: int, c: int, header: str, text: str, why: str | Msg, ptr: str, record: str,
              sheet: Sheet | None = None) -> None:
        """The cell cannot be read: an input error naming it and what it shows. A cell showing a
        formula's error value (#VALUE!, #REF!…) is said to be one, whatever its column expects."""
        grid = sheet or self.sheet
        name = grid.name
        col = column_letter(c)
        if rd.excel_error(text):
            formula = grid.formulas.get((r, c))
            why = msg("cell.formula_failed", shown=text.strip(), formula=formula) if formula \
                else msg("cell.error_value", shown=text.strip())
        self.out.errors.append(coded(
            self.file, self.base + ptr,
            msg("cell.unreadable" if name else "cell.unreadable_unnamed", sheet=name, row=r + 1, col=col,
                header=header, text=text, why=why),
            source=tuple({"sheet": name, "row": r + 1, "column": col, "header": header}.items())))
        self.cell(ptr, r, c, header, text, None, record, sheet, unreadable=True)


Reader = Callable[[str], rd.Reading]

# A plan's dates. A table that does not state one leaves it *not stated* (the rules needing it are
# not evaluated), unless the command line gives it, or says it was not done: --plan submitted_on=none.
DATES = ("submitted_on", "compiled_on", "issued_on", "published_on")
NOT_DONE = {"none", "无", "否", "未报送", "未编制", "未印发", "未公示", "未完成"}


def as_is(text: str) -> rd.Reading:
    return rd.Reading(text.strip(), None)


def _field_readers(kind: str, voc: dict[str, Any]) -> dict[str, Reader]:
    values = voc["values"]

    def platform(t: str) -> rd.Reading:
        key = rd.header_key(t)
        if key in values["platform"]:
            return rd.Reading(values["platform"][key], Text(f"{t.strip()} → provincial", f"{t.strip()} → provincial"))
        return as_is(t)

    readers: dict[str, Reader] = {
        "year": rd.read_year, "members": rd.read_names, "platform": platform,
        "level": (lambda t: rd.read_value(t, values["plan_level"], "a plan level (部门/联席会议)"))
        if kind == "annual_plan" else
        (lambda t: rd.read_value(t, values["list_level"], "a list level (省级/市级/县级)")),
    }
    for d in ("submitted_on", "compiled_on", "issued_on", "published_on"):
        readers[d] = rd.read_date
    return readers


def doc_fields(doc: Doc, kind: str, entries: list[Entry], title: str | None, title_row: int,
                options: tuple[tuple[str, str], ...], option_name: str, voc: dict[str, Any]) -> None:
    """The document's own fields: header block first, then the command line, then the title (year)."""
    index = voc["plan_field_index"] if kind == "annual_plan" else voc["item_field_index"]
    readers = _field_readers(kind, voc)
    given: dict[str, str] = {}
    by_option: dict[str, str] = {}  # field → the KEY=VALUE that gave it
    for e in entries:
        if e.fld in doc.data:
            continue
        try:
            r = readers.get(e.fld, as_is)(e.text)
        except rd.CannotRead as exc:
            doc.error(e.row, e.col, e.label, e.text, exc.why, pointer(e.fld), "", e.sheet)
            continue
        doc.data[e.fld] = r.value
        given[e.fld] = e.text
        doc.cell(pointer(e.fld), e.row, e.col, e.label, e.whole, r.note, "", e.sheet)
    for key, text in options:
        fld = key if key in set(index.values()) else index.get(rd.header_key(key))
        if fld is None:
            doc.out.errors.append(coded("", "", msg("option.no_field", option=option_name, key=key,
                                                    fields=tuple(sorted(set(index.values()))))))
            continue
        if fld in DATES and rd.header_key(text).lower() in NOT_DONE:
            doc.not_done.add(fld)
            continue
        try:
            r = readers.get(fld, as_is)(text)
        except rd.CannotRead as exc:
            doc.out.errors.append(coded(doc.file, doc.base + pointer(fld),
                                        msg("option.unreadable", option=option_name, key=key, text=text,
                                            why=exc.why)))
            continue
        if fld in by_option:
            if doc.data[fld] != r.value:
                doc.out.errors.append(coded(
                    doc.file, doc.base + pointer(fld),
                    msg("option.conflict", option=option_name, first=by_option[fld], key=key, text=text, field=fld)))
            continue
        if fld in doc.data:
            if doc.data[fld] != r.value:
                doc.out.errors.append(coded(
                    doc.file, doc.base + pointer(fld),
                    msg("option.workbook_kept", field=fld, given=given.get(fld), option=option_name, text=text)))
            continue
        doc.data[fld] = r.value
        by_option[fld] = f"{key}={text}"
        doc.out.cells[doc.base + pointer(fld)] = Cell("", 0, text=text, reading=r.note, record=doc.base,
                                                      option=f"{option_name} {key}={text}")
    titled = rd.year_in_title(title) if kind == "annual_plan" and title else None
    if titled is not None and "year" in doc.data and doc.data["year"] != titled:
        said = f"{option_name} {by_option['year']}" if "year" in by_option else f"the header block's {given['year']!r}"
        kept = doc.data["year"] if "year" not in by_option else titled
        doc.out.errors.append(InputError(
            doc.file, doc.base + "/year",
            f"the title {title!r} says the year is {titled}, {said} says {doc.data['year']}; "
            f"the year {kept} is kept: correct the one that is wrong"))
        doc.data["year"] = kept
        if kept == titled:
            doc.cell("/year", title_row, 0, "标题", title,
                     Text(f"{titled}（取自标题）", f"{titled} (from the title)"), "")
    if kind == "annual_plan" and "year" not in doc.data and title and (y := rd.year_in_title(title)) is not None:
        doc.data["year"] = y
        doc.cell("/year", title_row, 0, "标题", title, Text(f"{y}（取自标题）", f"{y} (from the title)"), "")

