"""A table's rows as records: a plan's tasks and a list's items, each field read from its cell."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from checker.errors import pointer
from checker.rulebook import Text
from checker.tables import readers as rd
from checker.tables.document import Doc, Reader, as_is
from checker.tables.layout import Layout


def read_task(doc: Doc, layout: Layout, r: int, i: int, plan_id: str, seq_ok: bool, voc: dict[str, Any]) -> None:
    record = pointer("tasks", i)
    task: dict[str, Any] = {}
    values = voc["values"]
    year = doc.data.get("year") if isinstance(doc.data.get("year"), int) else None
    by_field = {f: (c, h) for c, (f, h) in layout.columns.items()}
    seq = doc.sheet.text(r, by_field["seq"][0]) if "seq" in by_field else ""
    own = doc.sheet.text(r, by_field["id"][0]) if "id" in by_field else ""
    task["id"] = own or (f"{plan_id}-{rd.norm(seq)}" if seq and seq_ok else f"{plan_id}-r{r + 1}")
    doc.cell(record, r, -1, "", None, None, record)

    def put(ptr: str, fld: str, reader: Reader) -> dict[str, Any] | Any | None:
        if fld not in by_field:
            return None
        c, header = by_field[fld]
        text = doc.sheet.text(r, c)
        if not text:
            return None
        try:
            reading = reader(text)
        except rd.CannotRead as exc:
            doc.error(r, c, header, text, str(exc), record + ptr, record)
            return None
        doc.cell(record + ptr, r, c, header, text, reading.note, record)
        return reading.value

    text_reader = as_is
    if (v := put("/name", "name", text_reader)) is not None:
        task["name"] = v
    if (v := put("/items", "items", lambda t: rd.Reading(_item_names(t), None))) is not None:
        task["items"] = v
        doc.out.cells[doc.base + record + "/items"] = dataclasses.replace(
            doc.out.cells[doc.base + record + "/items"], kind="items")
    objects: dict[str, Any] = {}
    if (v := put("/objects/description", "objects", text_reader)) is not None:
        objects["description"] = v
    if (v := put("/objects/directory", "directory", text_reader)) is not None:
        objects["directory"] = v
    if (v := put("/objects/directory_size", "directory_size", rd.read_size)) is not None:
        objects["directory_size"] = v
    if objects:
        task["objects"] = objects
    if (v := put("/methods", "methods", lambda t: rd.read_values(t, values["methods"], "an inspection method"))):
        task["methods"] = v
    for ptr, fld, reader in (("/ratio", "ratio", rd.read_ratio), ("/count", "count", rd.read_count)):
        if (v := put(ptr, fld, reader)) is not None:
            task.update(v)
            for key in v:  # a floor fills ratio_floor/count_floor: the same cell
                doc.out.cells[doc.base + record + "/" + key] = doc.out.cells[doc.base + record + ptr]
    if "ratio_count" in by_field:
        c, header = by_field["ratio_count"]
        text = doc.sheet.text(r, c)
        if text:
            parts = [p for p in re.split(r"[;；,，、/\s]+", unicodedata.normalize("NFKC", text)) if p]
            notes: list[Text] = []
            try:
                for p in parts:
                    reading = rd.read_ratio(p) if "%" in p else rd.read_count(p)
                    task.update(reading.value)
                    notes.append(reading.note or Text(p, p))
                note = Text("；".join(n.zh for n in notes), "; ".join(n.en for n in notes))
                for key in ("ratio", "count", "ratio_floor", "count_floor"):
                    if key in task:
                        doc.cell(record + "/" + key, r, c, header, text, note, record)
            except rd.CannotRead as exc:
                doc.error(r, c, header, text, str(exc), record + "/ratio", record)
    if (v := put("/lead", "lead", rd.read_one_name)) is not None:
        task["lead"] = v
    if (v := put("/participants", "participants", rd.read_names)) is not None:
        task["participants"] = v
    if (v := put("/window", "window", lambda t: rd.read_window(t, year))) is not None:
        task["window"] = v
    exception: dict[str, Any] = {}
    if (v := put("/exception/basis", "exception_basis",
                 lambda t: rd.read_value(t, values["exception"], "an exception basis"))) is not None:
        exception["basis"] = v
    if (v := put("/exception/cap", "exception_cap", rd.read_ratio)) is not None:
        if set(v) != {"ratio"}:
            c, header = by_field["exception_cap"]
            doc.error(r, c, header, doc.sheet.text(r, c), "a cap is one ratio, e.g. 10%", record + "/exception/cap",
                      record)
        else:
            exception["cap"] = v["ratio"]
    if (v := put("/exception/note", "exception_note", text_reader)) is not None:
        exception["note"] = v
    if exception and "basis" not in exception:
        c, header = by_field.get("exception_basis") or by_field.get("exception_cap") or (0, "例外依据")
        doc.error(r, c, header, doc.sheet.text(r, c), "an exception states its basis (重点领域/特殊行业/上级要求)",
                  record + "/exception/basis", record)
        exception = {}
    if exception:
        task["exception"] = exception
    if (v := put("/special_timing", "special_timing", text_reader)) is not None:
        task["special_timing"] = {"reason": v}
    doc.data["tasks"].append(task)


_NUMBERED = re.compile(r"^\s*(?:\d+[.、．)]|[(（]\d+[)）]|[①-⑳])\s*")


def _item_names(text: str) -> list[str]:
    """Items a cell lists: one per line or ；-separated, numbering dropped."""
    parts = [_NUMBERED.sub("", p).strip() for p in re.split(r"[\n；;]+", text)]
    names = [p for p in parts if p]
    if not names:
        raise rd.CannotRead("no item in it")
    return names


def read_item(doc: Doc, layout: Layout, r: int, i: int, voc: dict[str, Any]) -> None:
    record = pointer("items", i)
    by_field = {f: (c, h) for c, (f, h) in layout.columns.items()}
    item: dict[str, Any] = {}
    doc.cell(record, r, -1, "", None, None, record)
    text_reader = as_is
    readers: dict[str, Reader] = {
        "id": text_reader, "name": text_reader, "department": rd.read_one_name, "object_type": text_reader,
        "basis": text_reader,
        "category": lambda t: rd.read_value(t, voc["values"]["category"], "an item category (重点/一般)"),
    }
    for fld, reader in readers.items():
        if fld not in by_field:
            continue
        c, header = by_field[fld]
        text = doc.sheet.text(r, c)
        if not text:
            continue
        try:
            reading = reader(text)
        except rd.CannotRead as exc:
            doc.error(r, c, header, text, str(exc), record + "/" + fld, record)
            continue
        item[fld] = reading.value
        doc.cell(record + "/" + fld, r, c, header, text, reading.note, record)
    if "id" not in item and "name" in item:
        item["id"] = item["name"]
    if "id" not in item:
        item["id"] = f"r{r + 1}"
    doc.data["items"].append(item)

