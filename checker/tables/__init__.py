"""Spreadsheet inputs: annual plans and item lists as real tables write them.

A workbook (.xlsx) or a CSV holds one table per sheet: one row per task (a
plan) or per item (an item list). The header row is found by its names, which
may be any synonym of `headers.yaml`, written with spaces inside, full-width
brackets, or over two rows of merged cells. Above the table, a small header
block (`年度：2021`, or a label cell and a value cell) gives what a table does
not hold: the plan's year, jurisdiction, level, department and dates; a sheet
named 计划信息 may hold it instead, and `--plan KEY=VALUE` / `--items KEY=VALUE`
fill what neither says. A plan's year may also be read from its title
(`…2021年度…计划表`), and says so.

Cells are free text, read by `readers.py` exactly or not at all: a cell that
cannot be read is an input error naming the sheet, row, column and text, and
its field is left out (the rules that need it are not evaluated). Every value
read is recorded as a `Cell` (sheet, row, column, text as written, and how it
was read) under the JSON pointer it fills, so findings point to the cell and
carry the text as written in their evidence.

Items in a plan are names. After every file is read, `resolve_items` maps
each name to the id of the item of that name in a supplied item list
(compared after NFKC and without spaces); a name no list holds is its own id,
and the reading says which.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from checker.errors import InputError, pointer
from checker.read.inputs import Loaded, RawDocument
from checker.rulebook import Text
from checker.sources import Cell
from checker.tables import readers as rd
from checker.tables.grid import Sheet, column_letter, read_csv, read_xlsx

HEADER_SCAN_ROWS = 30


@cache
def vocabulary() -> dict[str, Any]:
    """headers.yaml, with every synonym as matched (header_key)."""
    raw = yaml.safe_load((Path(__file__).parent / "headers.yaml").read_text(encoding="utf-8"))

    def index(spec: dict[str, list[str]]) -> dict[str, str]:
        out: dict[str, str] = {}
        for fld, names in spec.items():
            for n in names:
                out.setdefault(rd.header_key(n), fld)
        return out

    return {
        **raw,
        "plan_index": index(raw["plan_columns"]),
        "item_index": index(raw["item_columns"]),
        "plan_field_index": index(raw["plan_fields"]),
        "item_field_index": index(raw["item_list_fields"]),
        "values": {k: {rd.header_key(a): b for a, b in v.items()} for k, v in raw["values"].items()},
    }


@dataclass(frozen=True)
class TableOptions:
    """Document-level fields from the command line: --plan KEY=VALUE, --items KEY=VALUE."""

    plan: tuple[tuple[str, str], ...] = ()
    items: tuple[tuple[str, str], ...] = ()


@dataclass
class TableRead:
    documents: list[RawDocument] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    cells: dict[str, Cell] = field(default_factory=dict)


# --- the header row ------------------------------------------------------------------
@dataclass
class _Layout:
    kind: str  # annual_plan | item_list
    header_row: int
    first_data_row: int
    columns: dict[int, tuple[str, str]]  # column → (field, header as written)
    unknown: list[str]


def _match(text: str, index: dict[str, str]) -> str | None:
    return index.get(rd.header_key(text)) if text else None


def _layout(sheet: Sheet, voc: dict[str, Any]) -> _Layout | None:
    both = {**voc["item_index"], **voc["plan_index"]}
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        names = [sheet.text(r, c) for c in range(sheet.width())]
        if sum(1 for n in dict.fromkeys(names) if _match(n, both)) < 3:
            continue
        below = [sheet.text(r + 1, c) for c in range(sheet.width())]
        two_rows = any(b and b != n and _match(b, both) for n, b in zip(names, below, strict=False))
        plan_hits = {f for n in names + (below if two_rows else []) if (f := _match(n, voc["plan_index"]))}
        item_hits = {f for n in names + (below if two_rows else []) if (f := _match(n, voc["item_index"]))}
        is_plan = bool(plan_hits & set(voc["plan_only"]))
        is_items = bool(item_hits & set(voc["items_only"]))
        if is_plan == is_items:
            continue
        kind, index = ("annual_plan", voc["plan_index"]) if is_plan else ("item_list", voc["item_index"])
        columns: dict[int, tuple[str, str]] = {}
        unknown: list[str] = []
        for c, top in enumerate(names):
            sub = below[c] if two_rows else ""
            candidates = [sub, top + sub, top] if sub and sub != top else [top]
            hit = next(((f, cand) for cand in candidates if (f := _match(cand, index))), None)
            if hit and hit[0] not in {f for f, _ in columns.values()}:
                columns[c] = hit
            elif (sub or top) and not hit:
                unknown.append(sub or top)
        return _Layout(kind, r, r + (2 if two_rows else 1), columns, unknown)
    return None


# --- the header block ----------------------------------------------------------------
@dataclass
class _Entry:
    fld: str
    text: str
    label: str
    sheet: Sheet
    row: int
    col: int
    whole: str  # the cell as written (a "年度：2021" cell holds label and value)


def _header_block(sheet: Sheet, rows: range, index: dict[str, str]) -> tuple[list[_Entry], str | None, int]:
    """Label/value pairs above the table, and the title (a lone text line) with its row."""
    entries: list[_Entry] = []
    title, title_row = None, -1
    for r in rows:
        cells = [(c, sheet.text(r, c)) for c in range(sheet.width()) if sheet.text(r, c)]
        cells = [x for i, x in enumerate(cells) if i == 0 or x[1] != cells[i - 1][1]]  # merged duplicates
        found = False
        i = 0
        while i < len(cells):
            c, text = cells[i]
            span = sheet.spans.get((r, c))
            beside = (span[3] if span else c) + 1  # a value sits in the cell right of its label
            nxt = cells[i + 1] if i + 1 < len(cells) and cells[i + 1][0] == beside else None
            label, sep, rest = unicodedata.normalize("NFKC", text).partition(":")
            if sep and (fld := _match(label, index)):
                value = rest.strip()
                if not value and nxt:
                    value, i = nxt[1], i + 1
                entries.append(_Entry(fld, value, label.strip(), sheet, r, c, text))
                found = True
            elif (fld := _match(text, index)) and nxt:
                entries.append(_Entry(fld, nxt[1], text, sheet, r, nxt[0], nxt[1]))
                found, i = True, i + 1
            elif _match(text, index):
                found = True  # a label left blank
            i += 1
        if not found and len(cells) == 1 and title is None:
            title, title_row = cells[0][1], r
    return entries, title, title_row


# --- building a document ---------------------------------------------------------------
class _Doc:
    """One document read from one sheet: its raw data, cells and errors."""

    def __init__(self, file: str, sheet: Sheet, base: str, out: TableRead) -> None:
        self.file, self.sheet, self.base, self.out = file, sheet, base, out
        self.data: dict[str, Any] = {}

    def cell(self, ptr: str, r: int, c: int, header: str, text: str | None, note: Text | None,
             record: str, sheet: Sheet | None = None, **kw: Any) -> None:
        self.out.cells[self.base + ptr] = Cell((sheet or self.sheet).name, r + 1,
                                               column_letter(c) if c >= 0 else "", header, text, note,
                                               self.base + record, **kw)

    def error(self, r: int, c: int, header: str, text: str, why: str, ptr: str, record: str,
              sheet: Sheet | None = None) -> None:
        name = (sheet or self.sheet).name
        col = column_letter(c)
        self.out.errors.append(InputError(
            self.file, self.base + ptr,
            f"{'sheet ' + name + ' ' if name else ''}row {r + 1} column {col} ({header}): {text!r} "
            f"cannot be read: {why}",
            source=tuple({"sheet": name, "row": r + 1, "column": col, "header": header}.items())))
        self.cell(ptr, r, c, header, text, None, record, sheet, unreadable=True)


Reader = Callable[[str], rd.Reading]


def _as_is(text: str) -> rd.Reading:
    return rd.Reading(text.strip(), None)


def _field_readers(kind: str, voc: dict[str, Any]) -> dict[str, Reader]:
    values = voc["values"]

    def platform(t: str) -> rd.Reading:
        key = rd.header_key(t)
        if key in values["platform"]:
            return rd.Reading(values["platform"][key], Text(f"{t.strip()} → provincial", f"{t.strip()} → provincial"))
        return _as_is(t)

    readers: dict[str, Reader] = {
        "year": rd.read_year, "members": rd.read_names, "platform": platform,
        "level": (lambda t: rd.read_value(t, values["plan_level"], "a plan level (部门/联席会议)"))
        if kind == "annual_plan" else
        (lambda t: rd.read_value(t, values["list_level"], "a list level (省级/市级/县级)")),
    }
    for d in ("submitted_on", "compiled_on", "issued_on", "published_on"):
        readers[d] = rd.read_date
    return readers


def _doc_fields(doc: _Doc, kind: str, entries: list[_Entry], title: str | None, title_row: int,
                options: tuple[tuple[str, str], ...], option_name: str, voc: dict[str, Any]) -> None:
    """The document's own fields: header block first, then the command line, then the title (year)."""
    index = voc["plan_field_index"] if kind == "annual_plan" else voc["item_field_index"]
    readers = _field_readers(kind, voc)
    given: dict[str, str] = {}
    for e in entries:
        if e.fld in doc.data:
            continue
        try:
            r = readers.get(e.fld, _as_is)(e.text)
        except rd.CannotRead as exc:
            doc.error(e.row, e.col, e.label, e.text, str(exc), pointer(e.fld), "", e.sheet)
            continue
        doc.data[e.fld] = r.value
        given[e.fld] = e.text
        doc.cell(pointer(e.fld), e.row, e.col, e.label, e.whole, r.note, "", e.sheet)
    for key, text in options:
        fld = key if key in set(index.values()) else index.get(rd.header_key(key))
        if fld is None:
            doc.out.errors.append(InputError("", "", f"{option_name} {key}=…: no such field; expected one of "
                                                     f"{', '.join(sorted(set(index.values())))}"))
            continue
        try:
            r = readers.get(fld, _as_is)(text)
        except rd.CannotRead as exc:
            doc.out.errors.append(InputError(doc.file, doc.base + pointer(fld),
                                             f"{option_name} {key}={text!r} cannot be read: {exc}"))
            continue
        if fld in doc.data:
            if doc.data[fld] != r.value:
                doc.out.errors.append(InputError(
                    doc.file, doc.base + pointer(fld),
                    f"the workbook says {fld} is {given.get(fld)!r}, {option_name} says {text!r}; "
                    "the workbook's is kept"))
            continue
        doc.data[fld] = r.value
        doc.out.cells[doc.base + pointer(fld)] = Cell("", 0, text=text, reading=r.note, record=doc.base,
                                                      option=f"{option_name} {key}={text}")
    if kind == "annual_plan" and "year" not in doc.data and title and (y := rd.year_in_title(title)) is not None:
        doc.data["year"] = y
        doc.cell("/year", title_row, 0, "标题", title, Text(f"{y}（取自标题）", f"{y} (from the title)"), "")


def _task(doc: _Doc, layout: _Layout, r: int, i: int, plan_id: str, seq_ok: bool, voc: dict[str, Any]) -> None:
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

    text_reader = _as_is
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


def _item(doc: _Doc, layout: _Layout, r: int, i: int, voc: dict[str, Any]) -> None:
    record = pointer("items", i)
    by_field = {f: (c, h) for c, (f, h) in layout.columns.items()}
    item: dict[str, Any] = {}
    doc.cell(record, r, -1, "", None, None, record)
    text_reader = _as_is
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


def _is_note_row(sheet: Sheet, r: int) -> bool:
    """A row holding one text merged across several columns (注：…), not a record."""
    spans = {sheet.spans.get((r, c)) for c in range(sheet.width()) if sheet.text(r, c)}
    return len(spans) == 1 and None not in spans and (lambda s: s[3] - s[1] >= 2)(next(iter(spans)))


def _data_rows(sheet: Sheet, layout: _Layout) -> list[int]:
    known = [c for c, (f, _) in layout.columns.items() if f not in {"seq", "note"}]
    rows = []
    for r in range(layout.first_data_row, len(sheet.rows)):
        if _is_note_row(sheet, r) or not any(sheet.text(r, c) for c in known):
            continue
        rows.append(r)
    return rows


# What a table must say of its document (the rest of the schema's required fields are filled in here).
_REQUIRED = {"annual_plan": ("level", "year"), "item_list": ("level",)}
_LABELS = {"level": "层级: department 部门 / conference 联席会议; provincial 省级 / municipal 市级 / county 县级",
           "year": "年度"}


def read_table(name: str, data: bytes, syntax: str, options: TableOptions | None = None) -> TableRead:
    """Every table in a workbook or CSV as raw documents, with their cells and input errors."""
    options = options or TableOptions()
    voc = vocabulary()
    out = TableRead()
    sheets, errors = read_xlsx(name, data) if syntax == "xlsx" else read_csv(name, data)
    out.errors.extend(errors)
    skip = {rd.header_key(s) for s in voc["skip_sheets"]}
    header_names = {rd.header_key(s) for s in voc["header_sheets"]}
    block_sheets = [s for s in sheets if rd.header_key(s.name) in header_names]
    tables: list[tuple[Sheet, _Layout]] = []
    for sheet in sheets:
        empty = not any(any(x.strip() for x in row) for row in sheet.rows)
        if rd.header_key(sheet.name) in skip | header_names or empty:
            continue
        layout = _layout(sheet, voc)
        if layout is None:
            out.errors.append(InputError(
                name, "", f"{'sheet ' + sheet.name + ': ' if sheet.name else ''}no header row found: a plan table "
                          "needs headers such as 抽查计划名称, 牵头部门, 检查日期; an item table 抽查事项, 检查主体 "
                          "(see `dsr-check template`)"))
            continue
        tables.append((sheet, layout))
    stem = Path(name).stem
    for k, (sheet, layout) in enumerate(tables):
        base = "" if len(tables) == 1 else pointer(k)
        doc = _Doc(name, sheet, base, out)
        kind = layout.kind
        index = voc["plan_field_index"] if kind == "annual_plan" else voc["item_field_index"]
        entries, title, title_row = _header_block(sheet, range(layout.header_row), index)
        for bs in block_sheets:
            entries += _header_block(bs, range(len(bs.rows)), index)[0]
        opts = options.plan if kind == "annual_plan" else options.items
        option_name = "--plan" if kind == "annual_plan" else "--items"
        _doc_fields(doc, kind, entries, title, title_row, opts, option_name, voc)
        missing = [f for f in _REQUIRED[kind] if f not in doc.data]
        if missing:
            labels = "; ".join(f"{f} ({_LABELS[f]})" for f in missing)
            out.errors.append(InputError(
                name, base, f"{'sheet ' + sheet.name + ': ' if sheet.name else ''}the table does not say its "
                            f"{labels}: add it to the header block above the table or the 计划信息 sheet, "
                            f"or give {option_name} {missing[0]}=…"))
            continue
        doc.data = {"kind": kind, "id": doc.data.pop("id", None) or (stem if len(tables) == 1 else
                                                                      f"{stem}-{sheet.name or k}"), **doc.data}
        doc.cell("", layout.header_row, -1, "", None, None, "")
        rows = _data_rows(sheet, layout)
        if kind == "annual_plan":
            doc.data["tasks"] = []
            seqs = [rd.norm(sheet.text(r, c)) for r in rows for c, (f, _) in layout.columns.items() if f == "seq"]
            seq_ok = len(seqs) == len(rows) and len(set(seqs)) == len(seqs) and all(seqs)
            for i, r in enumerate(rows):
                _task(doc, layout, r, i, doc.data["id"], seq_ok, voc)
        else:
            doc.data["items"] = []
            for i, r in enumerate(rows):
                _item(doc, layout, r, i, voc)
        out.documents.append(RawDocument(name, base, doc.data))
    return out


# --- item names to ids, across files -----------------------------------------------------
def resolve_items(loaded: Loaded) -> Loaded:
    """Map the item names of spreadsheet plans to the ids of same-named items in the item lists."""
    names: dict[str, str] = {}
    any_list = False
    for raw in loaded.documents:
        if isinstance(getattr(raw, "data", None), dict) and raw.data.get("kind") == "item_list":
            any_list = True
            for it in raw.data.get("items") or ():
                if isinstance(it, dict) and isinstance(it.get("name"), str) and isinstance(it.get("id"), str):
                    names.setdefault(rd.norm(it["name"]), it["id"])
    for file, cells in loaded.cells.items():
        for ptr, cell in list(cells.items()):
            if cell.kind != "items":
                continue
            raw = next((d for d in loaded.documents if d.file == file and ptr.startswith(d.path + "/")), None)
            if raw is None:
                continue
            target: Any = raw.data
            for part in ptr[len(raw.path):].strip("/").split("/"):
                target = target[int(part)] if isinstance(target, list) else target[part]
            ids, zh, en = _map_names(list(target), names, any_list)
            target[:] = ids
            cells[ptr] = dataclasses.replace(cell, reading=Text("；".join(zh), "; ".join(en)))
    return loaded


def _map_names(items: list[str], names: dict[str, str], any_list: bool) -> tuple[list[str], list[str], list[str]]:
    ids: list[str] = []
    zh: list[str] = []
    en: list[str] = []
    for name in items:
        key = rd.norm(name)
        if key in names:
            ids.append(names[key])
            zh.append(f"{name} → {names[key]}（清单中同名事项）")
            en.append(f"{name} → {names[key]} (the listed item of that name)")
            continue
        parts = [p for p in re.split(r"[、，,]", name) if p.strip()]
        if len(parts) > 1 and all(rd.norm(p) in names for p in parts):
            for p in parts:
                ids.append(names[rd.norm(p)])
            zh.append(f"{name} → {'、'.join(names[rd.norm(p)] for p in parts)}（按“、”分开后均为清单事项）")
            en.append(f"{name} → {', '.join(names[rd.norm(p)] for p in parts)} (split at 、, each a listed item)")
            continue
        ids.append(name)
        if any_list:
            zh.append(f"{name}（所供清单中没有同名事项，以原文为编号）")
            en.append(f"{name} (no item of that name in the lists supplied; the text is its id)")
        else:
            zh.append(f"{name}（未提供事项清单，以原文为编号）")
            en.append(f"{name} (no item list supplied; the text is its id)")
    return ids, zh, en
