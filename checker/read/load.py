"""Read input files into raw documents, strictly, without losing any.

A file holds one document, a list of documents, or {"documents": [...]};
a .jsonl file holds one document a line; a workbook or CSV holds tables
(checker.tables). JSON is read with exact decimals and refuses duplicate keys
and NaN/Infinity; YAML is read with a safe loader that keeps dates as text and
numbers exact. A member set to null is read as absent. Every problem is an
InputError value; nothing here raises to the caller.

Each file is read by the reader its syntax names (`READERS`); what every reader
shares (the file's size limit, its digest, the run's document limit) is here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from checker.errors import InputError
from checker.read.bounds import Budget, Screen, within_bounds
from checker.read.discover import KEPT_TEXT, expand, read_bounded, shown, syntax_of
from checker.read.documents import drop_nulls, has_null, split_documents
from checker.read.handwritten import read_handwritten
from checker.read.inputs import MAX_KEPT_TEXT_BYTES, Limits, Loaded, RawDocument
from checker.read.json_array import parse_array
from checker.read.jsonl import Check, Keep, Vouch, parse_lines
from checker.read.parse import parse_bytes
from checker.read.reading import KEYS, taken_back
from checker.tables import TableOptions, read_table


@dataclass
class _Run:
    """What one read holds so far, and what it was given."""

    limits: Limits
    tables: TableOptions | None
    check: Check | None
    vouch: Vouch | None
    keep: Keep | None
    documents: list[RawDocument] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[InputError] = field(default_factory=list)
    unused: list[dict[str, str]] = field(default_factory=list)


# A reader adds a file's documents, errors and cells to the run; it returns the pointer of
# the first document past the run's document limit (None when every one was taken).
Reader = Callable[[str, bytes, str, _Run], str | None]


def _read_text(name: str, data: bytes, syntax: str, run: _Run) -> str | None:
    """A .json or .yaml file: one document, a list of them, or {"documents": [...]}.

    A JSON file that is one array is first read element by element (json_array), the
    strict reading's documents in a fraction of its time; what that reading does not
    take as it is, the strict one reads.
    """
    limits = run.limits
    if syntax == "json":
        docs = parse_array(name, data, limits, run.vouch, limits.max_documents - len(run.documents), run.keep)
        if docs is not None:
            run.documents.extend(docs)
            return None
    value, error = parse_bytes(name, data, syntax, limits)
    if error:
        run.errors.append(error)
        return None
    docs, shape_errors, past = split_documents(name, value, limits.max_documents - len(run.documents))
    if isinstance(value, dict) and "documents" in value and any(k in value for k in KEYS):  # `dsr-check read`'s
        cells, kept_errors, notes = taken_back(name, value, limits)
        if cells:
            run.cells[name] = cells
        run.errors.extend(kept_errors)
        run.notes.extend(notes)
    del value
    run.errors.extend(shape_errors)
    docs, bound_errors = within_bounds(name, docs, limits, Budget(max(len(data), 1)), Screen.of(data, limits, syntax))
    run.errors.extend(bound_errors)
    if syntax == "yaml":  # within bounds, so its aliases expand to little; JSON's nulls went as it was parsed
        # written by hand: blank parts of a form are absent; dates may be written as in a table (2022年5月10日)
        docs = [RawDocument(d.file, d.path, drop_nulls(read_handwritten(d, run.notes).data)) for d in docs]
    run.documents.extend(docs)
    return past


def _read_lines(name: str, data: bytes, syntax: str, run: _Run) -> str | None:
    """A .jsonl file: one document a line, schema-checked as read when the run lends a check."""
    room = run.limits.max_documents + 1 - len(run.documents)
    run.errors.extend(parse_lines(name, data, run.limits, run.documents, run.check, run.vouch, room, run.keep))
    return None


def _read_table(name: str, data: bytes, syntax: str, run: _Run) -> str | None:
    """A workbook or CSV: its plan and item tables, each value with the cell it was read from."""
    read = read_table(name, data, syntax, run.tables)
    run.errors.extend(read.errors)
    run.notes.extend(read.notes)
    run.unused.extend({"file": name, **u} for u in read.unused)
    run.cells[name] = read.cells
    screen = Screen(strings=True, surrogates=not read.no_surrogates)
    docs, bound_errors = within_bounds(name, read.documents, run.limits, Budget(max(len(data), 1)), screen)
    run.errors.extend(bound_errors)
    vouch = run.vouch
    for d in docs:
        value = drop_nulls(d.data) if has_null(d.data) else d.data  # a table's readers write none: no copy
        # nor decimal numbers (they make texts and whole numbers): the compiled validator's yes is trusted
        # (validate.fast_valid); checker.tables.items takes it back from a plan whose item names it maps
        valid = vouch is not None and vouch(value, run.limits.max_depth, False)
        run.documents.append(RawDocument(d.file, d.path, value, valid))
    return None


READERS: dict[str, Reader] = {
    "json": _read_text, "yaml": _read_text, "jsonl": _read_lines, "xlsx": _read_table, "csv": _read_table,
    "xls": _read_table, "docx": _read_table,
}


def load(paths: Iterable[str], limits: Limits | None = None, tables: TableOptions | None = None,
         check: Check | None = None, vouch: Vouch | None = None, keep: Keep | None = None) -> Loaded:
    """Read every input file named (or inside a folder named), within the limits.

    A file's size is checked before it is read (and the read itself stops past
    the limit, for files that grow or lie about their size); once the documents
    read reach the limit, the files after are not read. `tables` gives
    spreadsheets the document fields their tables do not hold (--plan, --items).

    With `check` (and `vouch`), each line of a .jsonl file is schema-checked as
    it is read (parse_lines); with `keep`, what is kept of each valid document read
    so (checker.kept: a batch as its text, read again by its shard).
    """
    limits = limits or Limits()
    files, errors = expand(paths, limits.follow_links)
    run = _Run(limits, tables, check, vouch, keep, errors=errors)
    digests: dict[str, str] = {}
    texts: dict[str, bytes] = {}
    for i, f in enumerate(files):
        name = shown(f)
        data, error = read_bounded(f, limits.max_file_bytes)
        if error:
            run.errors.append(error)
            continue
        digests[name] = hashlib.sha256(data).hexdigest()
        syntax = syntax_of(f)
        if syntax in KEPT_TEXT and len(data) <= MAX_KEPT_TEXT_BYTES:
            texts[name] = data
        past = READERS[syntax](name, data, syntax, run)
        if past is not None:
            run.errors.append(_too_many(limits, name, past, len(files) - i - 1))
            break
        if len(run.documents) > limits.max_documents:
            first = run.documents[limits.max_documents]
            run.errors.append(_too_many(limits, first.file, first.path, len(files) - i - 1))
            run.documents = run.documents[: limits.max_documents]
            break
    return Loaded(run.documents, run.errors, digests, run.cells, texts, run.notes, run.unused)


def _too_many(limits: Limits, file: str, path: str, unread: int) -> InputError:
    return InputError(
        file, path,
        f"more than {limits.max_documents} documents: this one and those after it are not "
        f"checked" + (f", and {unread} more file(s) were not read" if unread else ""),
    )
