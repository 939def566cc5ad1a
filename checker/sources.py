"""Where findings and input errors are in the inputs, and what the inputs said.

Every finding and input error names a file and a JSON pointer. This module
turns that into a place a reviewer can go to: the line and column in a JSON or
YAML file, or the sheet, row and column of a spreadsheet cell. For values read
from spreadsheet cells it also adds, to the evidence of a finding on that
field, the cell as written and how it was read (`<field>_as_written`,
`<field>_read_as`), and it leaves not evaluated a finding whose field is a
cell that could not be read (an input error already names that cell).

Nothing here decides compliance: it only locates and annotates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from itertools import chain
from typing import Any, NamedTuple

from checker.errors import InputError
from checker.labels import field_words, labels
from checker.positions import Position, ancestors, positions
from checker.read.discover import KEPT_TEXT, syntax_of
from checker.read.inputs import MAX_KEPT_TEXT_BYTES
from checker.report import Finding
from checker.rulebook import Text


class Cell(NamedTuple):
    """Where a value of a document came from in a spreadsheet, and how it was read.

    `record` is the pointer of the record the value belongs to (a task's row,
    or "" for the document's header block). `text` is the cell as written,
    `reading` how it was read (None when it was taken as written). A value set
    by a command-line option has `option` instead of a sheet. A tuple: a frozen
    dataclass cost three times the time to make and half as much again in memory
    (a table's common cells are not kept as Cells at all: checker.tables.cells).
    """

    sheet: str
    row: int
    column: str = ""
    header: str = ""
    text: str | None = None
    reading: Text | None = None
    record: str = ""
    unreadable: bool = False
    option: str = ""
    kind: str = ""  # "items": a plan's item names, mapped to ids once every file is read

    @property
    def ref(self) -> str:
        """The cell as a spreadsheet user names it: 计划!F5, or the option."""
        if self.option:
            return self.option
        sheet = f"{self.sheet}!" if self.sheet else ""
        return f"{sheet}{self.column}{self.row}" if self.column else f"{sheet}{self.row}"

    def location(self) -> dict[str, Any]:
        if self.option:
            return {"option": self.option}
        out: dict[str, Any] = {"sheet": self.sheet, "row": self.row}
        if self.column:
            out["column"] = self.column
        if self.header:
            out["header"] = self.header
        return out


class SourceIndex:
    """The cells of spreadsheet inputs and, on demand, positions in text inputs."""

    def __init__(self, texts: Mapping[str, bytes], cells: Mapping[str, Mapping[str, Cell]]) -> None:
        self.texts = texts
        self.cells = cells
        self._positions: dict[str, dict[str, Position]] = {}
        self._by_record: dict[tuple[str, str], dict[str, tuple[str, Cell]]] = {}
        self._grouped: dict[tuple[str, str], list[str]] = {}  # (file, record) → its cells' pointers, not yet asked
        self._indexed: set[str] = set()

    # --- text files: line and column -------------------------------------------
    def prepare(self, places: Iterable[tuple[str, str]]) -> None:
        """Find, in one scan per file, the positions of every (file, pointer) asked for."""
        wanted: dict[str, set[str] | None] = {}  # None: a file with no lines (a table's places are its cells)
        for file, path in places:
            if file not in wanted:
                # a JSON reading with cells (dsr-check read) has lines too
                wanted[file] = set() if syntax_of(file) in KEPT_TEXT else None
            paths = wanted[file]
            if paths is not None:
                paths.add(path)
        for file, paths in sorted(wanted.items()):
            if paths is None:
                continue
            syntax = syntax_of(file)
            data = self.texts.get(file)
            if data is None or len(data) > MAX_KEPT_TEXT_BYTES:
                continue
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                continue
            found = positions(text, syntax, paths)
            self._positions.setdefault(file, {}).update(found)

    def locate(self, file: str, path: str) -> dict[str, Any]:
        """The extra location keys of `source`: sheet/row/column, or line/column."""
        hit = self.cell(file, path)
        if hit:
            return hit[1].location()
        known = self._positions.get(file, {})
        for p in ancestors(path):
            if p in known:
                line, column = known[p]
                return {"line": line, "column": column}
        return {}

    # --- spreadsheet cells ----------------------------------------------------------
    def cell(self, file: str, path: str, *, field_only: bool = False) -> tuple[str, Cell] | None:
        """The cell the value at `path` came from: the nearest ancestor with a cell."""
        cells = self.cells.get(file)
        if not cells:
            return None
        for p in ancestors(path):
            c = cells.get(p)
            if c is not None and (c.column or c.option or not field_only):
                return p, c
            if c is not None and field_only:  # reached the record's row: no field cell
                return None
        return None

    def record_fields(self, file: str, record: str) -> dict[str, tuple[str, Cell]]:
        """The cells of one record, by field name (the last part of their pointer; of two, the first pointer's)."""
        key = (file, record)
        if key in self._by_record:
            return self._by_record[key]
        cells = self.cells.get(file, {})
        of_record = getattr(cells, "of_record", None)  # a table's cells (checker.tables.cells) know their records'
        if of_record is not None:
            pointers = of_record(record)
        else:
            if file not in self._indexed:  # the file's cells grouped by record in one pass (one a record was quadratic)
                self._indexed.add(file)
                for p, c in cells.items():
                    self._grouped.setdefault((file, c.record), []).append(p)
            pointers = self._grouped.pop(key, [])
        fields: dict[str, tuple[str, Cell]] = {}
        for p in sorted(pointers):  # sorted per record, when asked: a table's million cells are never sorted
            c = cells[p]
            if p != c.record and (c.column or c.option):
                fields.setdefault(p.rsplit("/", 1)[-1], (p, c))
        self._by_record[key] = fields
        return fields


def _written(evidence: dict[str, Any], field: str, cell: Cell, lang: str, shown: set[str]) -> None:
    """Add the cell as written and its reading, once per cell, when it was read (not taken as is)."""
    if cell.text is None or cell.reading is None or not cell.reading(lang) or cell.ref in shown:
        return  # not read, or nothing to say in this language (a Chinese word read as its own code)
    shown.add(cell.ref)
    evidence.setdefault(f"{field}_as_written", cell.text)
    evidence.setdefault(f"{field}_read_as", cell.reading(lang))


def _unreadable_reason(cell: Cell, lang: str) -> str:
    if lang == "en":
        return f"the cell {cell.ref} ({cell.header}) reads {cell.text!r}, which cannot be read; see the input errors"
    return f"单元格 {cell.ref}（{cell.header}）的内容“{cell.text}”无法读取，见输入错误"


def annotate(findings: list[Finding], errors: list[InputError], index: SourceIndex,
             lang: str) -> tuple[list[Finding], list[InputError]]:
    """Add each finding's and error's place, and the as-written texts of cells.

    `findings` are the run's own, built for it (explain, merged from the shards) and held by no one
    else: each is placed where it is and the list is returned, not a copy of each (a plan of 100,000
    rows has 300,000 findings left not evaluated, and the copies were held beside them). The findings
    of a record share its place, one dict no one changes."""
    index.prepare(chain(((f.file, f.path) for f in findings), ((e.file, e.path) for e in errors if e.path)))
    places: dict[tuple[str, str], dict[str, Any]] = {}
    for i, f in enumerate(findings):
        where = places.get((f.file, f.path))
        if where is None:
            where = places[(f.file, f.path)] = index.locate(f.file, f.path)
        judged = f.status in {"violation", "pending"}
        if not judged and "{field}" not in f.message and "{field}" not in f.remedy:
            if where != f.source:  # not a .jsonl line's, nor a file's too large to scan: nothing to add there
                f.source = where
            continue
        field_cell = index.cell(f.file, f.path, field_only=True) if judged else None
        if field_cell and field_cell[1].unreadable:
            findings[i] = dataclasses.replace(
                f, status="not_evaluated", source=where, evidence={}, message="", remedy="",
                due=None, reason=_unreadable_reason(field_cell[1], lang))
            continue
        row = index.cell(f.file, f.path) if judged else None
        if judged and (field_cell or row):
            evidence = dict(f.evidence)
            record = row[1].record if row else None
            shown: set[str] = set()
            if field_cell:
                _written(evidence, field_cell[0].rsplit("/", 1)[-1], field_cell[1], lang, shown)
            if record is not None:
                fields = index.record_fields(f.file, record)
                for key in list(f.evidence):
                    if key in fields:
                        _written(evidence, key, fields[key][1], lang, shown)
            f.evidence = evidence
        if "{field}" in f.message or "{field}" in f.remedy:
            words = field_words(f.path, where, lang, labels() if lang != "en" else None)
            f.message = f.message.replace("{field}", words)
            f.remedy = f.remedy.replace("{field}", words)
        if where != f.source:
            f.source = where
    located = []
    for e in errors:
        if e.source or not e.path:  # an error about a whole file has no place inside it
            located.append(e)
            continue
        where = index.locate(e.file, e.path)
        located.append(dataclasses.replace(e, source=tuple(where.items())) if where else e)
    return findings, located
