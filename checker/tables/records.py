"""A table's rows as records: a plan's tasks and a list's items, each field read from its cell.

What a record holds is a table (`TASK_FIELDS`, `ITEM_FIELDS`): the column, the
pointer its value fills and the reader of its cell. One loop reads every row by
it; only what ties fields together (an exception states its basis) is code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.errors import pointer
from checker.rulebook import Text
from checker.tables import readers as rd
from checker.tables.document import Doc
from checker.tables.layout import Layout


@dataclass(frozen=True)
class Context:
    """What a cell's reader may need beyond its text: the plan's year, the fixed values of headers.yaml."""

    year: int | None
    values: dict[str, dict[str, str]]


CellReader = Callable[[str, Context], rd.Reading]


@dataclass(frozen=True)
class Field:
    """A column read into a record.

    `to` is the pointer (under the record) its value fills; a `spread` reader
    returns several members of the record (a ratio and its floor), each placed
    at the same cell, and `to` only names where an unreadable cell is reported.
    """

    column: str  # the column's field in headers.yaml
    to: str
    read: CellReader
    spread: bool = False
    kind: str = ""  # "items": names mapped to ids once every file is read (checker.tables.items)


_NUMBERED = re.compile(r"^\s*(?:\d+[.、．)]|[(（]\d+[)）]|[①-⑳])\s*")


def _text(text: str, ctx: Context) -> rd.Reading:
    return rd.Reading(text.strip(), None)


def _item_names(text: str, ctx: Context) -> rd.Reading:
    """Items a cell lists: one per line or ；-separated, numbering dropped."""
    parts = [_NUMBERED.sub("", p).strip() for p in re.split(r"[\n；;]+", text)]
    names = [p for p in parts if p]
    if not names:
        raise rd.CannotRead("no item in it")
    return rd.Reading(names, None)


def _ratio_and_count(text: str, ctx: Context) -> rd.Reading:
    """A cell holding a ratio and a count (5%；20户): each part read by its own reader."""
    parts = [p for p in re.split(r"[;；,，、/\s]+", unicodedata.normalize("NFKC", text)) if p]
    value: dict[str, Any] = {}
    notes: list[Text] = []
    for p in parts:
        reading = rd.read_ratio(p) if "%" in p else rd.read_count(p)
        value.update(reading.value)
        notes.append(reading.note or Text(p, p))
    return rd.Reading(value, Text("；".join(n.zh for n in notes), "; ".join(n.en for n in notes)))


def _cap(text: str, ctx: Context) -> rd.Reading:
    reading = rd.read_ratio(text)
    if set(reading.value) != {"ratio"}:
        raise rd.CannotRead("a cap is one ratio, e.g. 10%")
    return rd.Reading(reading.value["ratio"], reading.note)


def _fixed(table: str, what: str, many: bool = False) -> CellReader:
    """A reader of one (or several) of the fixed values headers.yaml lists under `table`."""
    read = rd.read_values if many else rd.read_value
    return lambda text, ctx: read(text, ctx.values[table], what)


TASK_FIELDS = (
    Field("name", "/name", _text),
    Field("items", "/items", _item_names, kind="items"),
    Field("objects", "/objects/description", _text),
    Field("directory", "/objects/directory", _text),
    Field("directory_size", "/objects/directory_size", lambda t, ctx: rd.read_size(t)),
    Field("methods", "/methods", _fixed("methods", "an inspection method", many=True)),
    Field("ratio", "/ratio", lambda t, ctx: rd.read_ratio(t), spread=True),
    Field("count", "/count", lambda t, ctx: rd.read_count(t), spread=True),
    Field("ratio_count", "/ratio", _ratio_and_count, spread=True),
    Field("lead", "/lead", lambda t, ctx: rd.read_one_name(t)),
    Field("participants", "/participants", lambda t, ctx: rd.read_names(t)),
    Field("window", "/window", lambda t, ctx: rd.read_window(t, ctx.year)),
    Field("exception_basis", "/exception/basis", _fixed("exception", "an exception basis")),
    Field("exception_cap", "/exception/cap", _cap),
    Field("exception_note", "/exception/note", _text),
    Field("special_timing", "/special_timing/reason", _text),
)

ITEM_FIELDS = (
    Field("id", "/id", _text),
    Field("name", "/name", _text),
    Field("department", "/department", lambda t, ctx: rd.read_one_name(t)),
    Field("object_type", "/object_type", _text),
    Field("basis", "/basis", _text),
    Field("category", "/category", _fixed("category", "an item category (重点/一般)")),
)


def _read_fields(doc: Doc, layout: Layout, r: int, record: str, out: dict[str, Any],
                 fields: tuple[Field, ...], ctx: Context) -> None:
    """Fill `out` (the record at `record`) from row `r`, by `fields`; an unreadable cell is an error and left out."""
    by_field = {f: (c, h) for c, (f, h) in layout.columns.items()}
    for fld in fields:
        if fld.column not in by_field:
            continue
        c, header = by_field[fld.column]
        text = doc.sheet.text(r, c)
        if not text:
            continue
        try:
            reading = fld.read(text, ctx)
        except rd.CannotRead as exc:
            doc.error(r, c, header, text, str(exc), record + fld.to, record)
            continue
        places = [(f"/{key}", v) for key, v in reading.value.items()] if fld.spread else [(fld.to, reading.value)]
        for to, value in places:
            *parents, key = to.strip("/").split("/")
            target = out
            for p in parents:
                target = target.setdefault(p, {})
            target[key] = value
            doc.cell(record + to, r, c, header, text, reading.note, record, kind=fld.kind)


def read_task(doc: Doc, layout: Layout, r: int, i: int, plan_id: str, seq_ok: bool, voc: dict[str, Any]) -> None:
    record = pointer("tasks", i)
    by_field = {f: (c, h) for c, (f, h) in layout.columns.items()}
    seq = doc.sheet.text(r, by_field["seq"][0]) if "seq" in by_field else ""
    own = doc.sheet.text(r, by_field["id"][0]) if "id" in by_field else ""
    task: dict[str, Any] = {"id": own or (f"{plan_id}-{rd.norm(seq)}" if seq and seq_ok else f"{plan_id}-r{r + 1}")}
    doc.cell(record, r, -1, "", None, None, record)
    year = doc.data.get("year") if isinstance(doc.data.get("year"), int) else None
    _read_fields(doc, layout, r, record, task, TASK_FIELDS, Context(year, voc["values"]))
    if "exception" in task and "basis" not in task["exception"]:
        c, header = by_field.get("exception_basis") or by_field.get("exception_cap") or (0, "例外依据")
        doc.error(r, c, header, doc.sheet.text(r, c), "an exception states its basis (重点领域/特殊行业/上级要求)",
                  record + "/exception/basis", record)
        del task["exception"]
    doc.data["tasks"].append(task)


def read_item(doc: Doc, layout: Layout, r: int, i: int, voc: dict[str, Any]) -> None:
    record = pointer("items", i)
    item: dict[str, Any] = {}
    doc.cell(record, r, -1, "", None, None, record)
    _read_fields(doc, layout, r, record, item, ITEM_FIELDS, Context(None, voc["values"]))
    if "id" not in item and "name" in item:
        item["id"] = item["name"]
    if "id" not in item:
        item["id"] = f"r{r + 1}"
    doc.data["items"].append(item)
