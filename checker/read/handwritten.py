"""What a person writes in YAML: dates as in a table (2022年5月10日), blank parts of a form.

A YAML document is written by hand, often on a form (`dsr-check template`). A part
of the form left wholly blank (a `third_party:` whose members are all empty, a
results item with nothing filled in) is absent, as a blank field is. A date is
often written the way a table cell holds it. In a field the schemas declare a date, such a value is read
by the table reader's date reader (checker.tables.readers.read_date: 2022年5月10日,
2022.5.10, 2022/5/10), so one reader decides what a written date means, and it
becomes YYYY-MM-DD with a note saying how it was read. What that reader refuses
stays as written, for the schema to refuse with its place. JSON and JSON Lines
are written by programs and stay strict.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from checker.errors import InputError, pointer
from checker.read.inputs import RawDocument
from checker.resources import schemas_dir
from checker.tables import readers as rd

_DATE_REF = "common.schema.json#/$defs/date"


@cache
def date_fields() -> frozenset[str]:
    """Every property name the published schemas declare as a date."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                if isinstance(sub, dict) and sub.get("$ref") == _DATE_REF:
                    names.add(key)
            for sub in node.values():
                walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    for path in sorted(schemas_dir().glob("*.schema.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return frozenset(names)


def _blank(value: Any) -> bool:
    """Nothing filled in: empty, or a mapping or list of blanks (an explicit {} or [] is written)."""
    if isinstance(value, dict | list):
        return bool(value) and all(_blank(v) for v in (value.values() if isinstance(value, dict) else value))
    return value is None


def read_handwritten(doc: RawDocument, notes: list[InputError]) -> RawDocument:
    """The document with blank parts absent (None) and hand-written dates as YYYY-MM-DD (noted)."""
    fields = date_fields()

    def walk(value: Any, path: str) -> Any:
        if _blank(value):
            return None
        if isinstance(value, dict):
            out = {}
            for key, sub in value.items():
                here = path + pointer(key)
                if key in fields and isinstance(sub, str):
                    try:
                        day = rd.read_date(sub).value
                    except rd.CannotRead:
                        day = sub
                    if day != sub:
                        notes.append(InputError(doc.file, here, f"{sub!r} read as the date {day}"))
                    out[key] = day
                else:
                    out[key] = walk(sub, here)
            return out
        if isinstance(value, list):
            return [walk(sub, f"{path}/{i}") for i, sub in enumerate(value) if not _blank(sub)]
        return value

    return RawDocument(doc.file, doc.path, walk(doc.data, doc.path))
