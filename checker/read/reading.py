"""A reading written out as JSON (`dsr-check read`) and taken back in by `check`.

`written` turns what the loader read into the data contract's
`{"documents": [...]}`, beside which it keeps what a reviewer needs and `check`
needs to report as it would on the tables themselves: `cells` (each value read
from a cell, under its pointer in this file: sheet, row, column, header, the text
as written and how it was read), `input_errors`, `reading_notes` and
`unused_columns`. `taken_back` restores cells, errors and notes when such a file
is checked, so its findings carry the same sources and `_as_written`/`_read_as`
evidence as the tables' own. The documents alone are a valid input too.
"""

from __future__ import annotations

from typing import Any

from checker.errors import InputError
from checker.read.inputs import Limits, Loaded
from checker.rulebook import Text
from checker.sources import Cell

KEYS = ("cells", "input_errors", "reading_notes", "unused_columns")


def _place(loaded: Loaded) -> dict[str, list[tuple[str, str]]]:
    """Each file's document pointers, longest first, → their pointers in the written file."""
    out: dict[str, list[tuple[str, str]]] = {}
    for i, d in enumerate(loaded.documents):
        out.setdefault(d.file, []).append((d.path, f"/documents/{i}"))
    for places in out.values():
        places.sort(key=lambda p: -len(p[0]))
    return out


def _moved(places: dict[str, list[tuple[str, str]]], file: str, path: str) -> str | None:
    """`path` in `file` as a pointer into the written file, or None when no document written holds it."""
    for old, new in places.get(file, ()):
        if path == old or path.startswith(old + "/") or old == "":
            return new + path[len(old):]
    return None


def _error(e: InputError, places: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    out = e.to_dict()
    out["at"] = (_moved(places, e.file, e.path) if e.path else None) or ""
    return out


def written(loaded: Loaded) -> dict[str, Any]:
    """The reading as one JSON value that `check` accepts unchanged."""
    places = _place(loaded)
    cells: dict[str, Any] = {}
    for file, by_pointer in sorted(loaded.cells.items()):
        for ptr, cell in sorted(by_pointer.items()):
            at = _moved(places, file, ptr)
            if at is None:
                continue
            record = _moved(places, file, cell.record)
            entry = {"file": file, "sheet": cell.sheet, "row": cell.row, "column": cell.column,
                     "header": cell.header, "as_written": cell.text,
                     "read_as": {"zh": cell.reading.zh, "en": cell.reading.en} if cell.reading else None,
                     "record": record if record is not None else at, "unreadable": cell.unreadable,
                     "option": cell.option}
            cells[at] = {k: v for k, v in entry.items() if v not in ("", None, False) or k == "row"}
    return {
        "documents": [d.data for d in loaded.documents],
        "cells": cells,
        "input_errors": [_error(e, places) for e in sorted(set(loaded.errors))],
        "reading_notes": [_error(n, places) for n in loaded.notes],
        "unused_columns": [{**u, "path": _moved(places, u["file"], u["path"]) or ""} for u in loaded.unused],
    }


def taken_back(name: str, value: Any, limits: Limits) -> tuple[dict[str, Cell], list[InputError], list[InputError]]:
    """The cells, input errors and notes a written reading keeps; what cannot be taken back is an error."""
    cells: dict[str, Cell] = {}
    errors: list[InputError] = []
    notes: list[InputError] = []
    if not isinstance(value, dict) or "documents" not in value:
        return cells, errors, notes
    given = value.get("cells") or {}
    if not isinstance(given, dict):
        return cells, [InputError(name, "/cells", "expected an object of cells by pointer, as `dsr-check read` "
                                                  "writes it")], notes
    for ptr, c in given.items():
        cell = _cell(c, limits)
        if cell is None or not ptr.startswith("/documents/"):
            errors.append(InputError(name, "/cells", f"the cell at {ptr[:200]!r} is not as `dsr-check read` "
                                                     "writes one; it is not used"))
            continue
        cells[ptr] = cell
    for key, into in (("input_errors", errors), ("reading_notes", notes)):
        for e in value.get(key) or () if isinstance(value.get(key), list) else ():
            if isinstance(e, dict) and isinstance(e.get("message"), str) and isinstance(e.get("at", ""), str):
                source = e.get("source") if isinstance(e.get("source"), dict) else {}
                kept = tuple((k, v) for k, v in source.items() if isinstance(v, str | int) and not isinstance(v, bool))
                origin = e.get("file") if isinstance(e.get("file"), str) else ""
                into.append(InputError(name, e.get("at", ""), e["message"],
                                       kept + ((("read_from", origin),) if origin and origin != name else ())))
    return cells, errors, notes


def _cell(c: Any, limits: Limits) -> Cell | None:
    if not isinstance(c, dict):
        return None
    texts = ("sheet", "column", "header", "record", "option")
    if any(not isinstance(c.get(k, ""), str) or len(c.get(k, "")) > limits.max_string_chars for k in texts):
        return None
    row, written_ = c.get("row", 0), c.get("as_written")
    if isinstance(row, bool) or not isinstance(row, int) or not (written_ is None or isinstance(written_, str)):
        return None
    read = c.get("read_as")
    if read is not None and not (isinstance(read, dict) and all(isinstance(read.get(k), str) for k in ("zh", "en"))):
        return None
    if not isinstance(c.get("unreadable", False), bool):
        return None
    return Cell(c.get("sheet", ""), row, c.get("column", ""), c.get("header", ""), written_,
                Text(read["zh"], read["en"]) if read else None, c.get("record", ""), c.get("unreadable", False),
                c.get("option", ""))
