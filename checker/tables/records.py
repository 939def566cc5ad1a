"""A table's rows as records: a plan's tasks and a list's items, each field read from its cell.

What a record holds is a table (`TASK_FIELDS`, `ITEM_FIELDS`): the column, the
pointer its value fills and the reader of its cell. One loop reads every row by
it; only what ties fields together (an exception states its basis) is code.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.errors import InputError, pointer
from checker.rulebook import Text
from checker.tables import readers as rd
from checker.tables.cells import Cells, Held
from checker.tables.cells import Column as HeldColumn
from checker.tables.document import Doc
from checker.tables.grid import column_letter
from checker.tables.layout import Layout


@dataclass(frozen=True)
class Context:
    """What a cell's reader may need beyond its text: the plan's year, the fixed values of headers.yaml."""

    year: int | None
    values: dict[str, dict[str, str]]
    ticks: frozenset[str] = frozenset()


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
    per_row: bool = False  # a task over several rows holds the distinct texts of them all (its items)
    data: bool = True  # False: the reading is kept with its cell, but the contract has no member for it
    empty_is_absent: bool = False  # a cell read as nothing (不涉及信用风险分类) states nothing


_NUMBER = r"(?:\d+[.、．)](?!\d)|[(（]\d+[)）]|[①-⑳])"
_NUMBERED = re.compile(rf"^\s*{_NUMBER}\s*")
_NUMBERED_AT = re.compile(rf"(?:^|(?<=[\n；;。]))\s*(?={_NUMBER})")


def _text(text: str, ctx: Context) -> rd.Reading:
    return rd.Reading(text.strip(), None)


def _item_names(text: str, ctx: Context) -> rd.Reading:
    """Items a cell lists: split at their numbers (1.…；2.…) where it numbers them, else one per line or
    ；-separated; numbering dropped. A ； inside a numbered item is part of it."""
    starts = [m.start() for m in _NUMBERED_AT.finditer(text)]
    if len(starts) > 1 or (starts and starts[0] == 0 and _NUMBERED.match(text)):
        pieces = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
        parts = [_NUMBERED.sub("", p).strip().rstrip("；;。").strip() for p in pieces]
    else:
        parts = [_NUMBERED.sub("", p).strip() for p in re.split(r"[\n；;]+", text)]
    names = [p for p in parts if p]
    if not names:
        raise rd.CannotRead("no item in it")
    return rd.Reading(names, None)


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
    Field("items", "/items", _item_names, kind="items", per_row=True),
    Field("objects", "/objects/description", _text, per_row=True),
    Field("directory", "/objects/directory", _text),
    Field("directory_size", "/objects/directory_size", lambda t, ctx: rd.read_size(t)),
    Field("methods", "/methods", _fixed("methods", "an inspection method", many=True)),
    Field("ratio", "/ratio", lambda t, ctx: rd.read_amount(t, "ratio"), spread=True),
    Field("count", "/count", lambda t, ctx: rd.read_amount(t, "count"), spread=True),
    Field("ratio_count", "/ratio", lambda t, ctx: rd.read_amount(t, "count"), spread=True),
    Field("ratio_tiers", "/ratio_tiers", lambda t, ctx: rd.read_tiers(t), empty_is_absent=True),
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


@dataclass(eq=False)
class Column:
    """A field as one table's layout places it: its column, header and pointer, worked out once per layout.

    `readings` remembers what each text of the column was read as (or why it could not be): a column
    of a few distinct texts (a lead, a window, 5%) is read once per text, not once per row.
    """

    fld: Field
    c: int
    header: str
    parents: tuple[str, ...]  # the members of the record above the value (/objects/description: objects)
    key: str
    readings: dict[str, rd.Reading | rd.Msg | str] = dataclasses.field(default_factory=dict)
    held: HeldColumn | None = None  # where its cells are kept compactly (`hold`), if they are
    plain: bool = False  # held, and a value the record keeps (not "empty is absent"): read_fields' short way

    def __post_init__(self) -> None:
        self.plain = self.fld.data and not self.fld.empty_is_absent


MEMO = 1024  # texts remembered per column; past them a text is read each time it comes


@dataclass(eq=False)
class Plan:
    """How every row of one table is read: its columns by field, and the context of its cells."""

    layout: Layout
    columns: tuple[Column, ...]
    by_field: dict[str, tuple[int, str]]
    ctx: Context
    held: Held | None = None  # the table's common cells, kept compactly (checker.tables.cells)


def plan(layout: Layout, fields: tuple[Field, ...], ctx: Context) -> Plan:
    """The plan a table's rows are read by: once per layout (header), never per row."""
    by_field = {f: (c, h) for c, (f, h) in layout.columns.items()}
    columns = []
    for fld in fields:
        if fld.column in by_field:
            c, header = by_field[fld.column]
            *parents, key = fld.to.strip("/").split("/")
            columns.append(Column(fld, c, header, tuple(parents), key))
    return Plan(layout, tuple(columns), by_field, ctx)


def hold(how: Plan, cells: Cells, prefix: str, sheet: str, size: int) -> None:
    """Keep the common cells of the table's `size` records (under `prefix`, e.g. /tasks/) compactly."""
    how.held = cells.table(prefix, sheet, size)
    for col in how.columns:
        col.held = how.held.column(column_letter(col.c), col.header, col.fld.to, col.fld.kind, col.fld.spread)
        col.plain = col.plain and col.held is not None


_CONTAINERS = (list, dict)


def _fresh(value: Any) -> Any:
    """A remembered reading's value as a record's own: lists and mappings copied (item names are mapped
    in place once every file is read)."""
    if type(value) is list:
        return [v if type(v) is str else _fresh(v) for v in value]
    if type(value) is dict:
        return {k: v if type(v) is str else _fresh(v) for k, v in value.items()}
    return value


def _reading(col: Column, text: str, ctx: Context) -> rd.Reading:
    """The column's reader on `text`, once per distinct text (up to MEMO); CannotRead as the reader raises it.

    The reading is the column's, shared by every row of that text: a record keeps `_fresh` copies of its value.
    """
    known = col.readings.get(text)
    if known is None:
        try:
            known = col.fld.read(text, ctx)
        except rd.CannotRead as exc:
            known = exc.why  # its catalogue code, for the report's language
        if len(col.readings) < MEMO:
            col.readings[text] = known
    if not isinstance(known, rd.Reading):
        raise rd.CannotRead(known)
    return known


def read_fields(doc: Doc, how: Plan, rows: list[int], record: str, out: dict[str, Any], i: int = -1) -> None:
    """Fill `out` (the record at `record`) from `rows`, by the plan's columns; an unreadable cell is an error
    and left out.

    A field is read from the first row, or (per_row) from the distinct texts of every row, one a line.
    `i` is the record's number in a table whose common cells are held compactly (`hold`).
    """
    sheet = doc.sheet
    formulas = bool(sheet.formulas)
    first = rows[0]
    cells = sheet.rows[first]  # the first row's texts, as Sheet.text gives them
    ctx = how.ctx
    held = how.held if i >= 0 else None
    width = len(cells)
    simple = held is not None and not formulas and len(rows) == 1
    for col in how.columns:
        if simple and col.plain and i not in held.touched:  # type: ignore[union-attr]
            # the common cell: its value placed and its cell held, as the general way below would
            text = cells[col.c].strip() if col.c < width else ""
            if not text:
                continue
            known = col.readings.get(text)
            if known is None or type(known) is rd.Reading:
                try:
                    reading = known or _reading(col, text, ctx)
                except rd.CannotRead as exc:
                    doc.error(first, col.c, col.header, text, exc.why, record + col.fld.to, record)
                    continue
                value = reading.value
                if col.fld.spread:
                    for key, member in value.items():
                        out[key] = _fresh(member) if type(member) in _CONTAINERS else member
                    held.put(col.held, i, text, reading.note, tuple(value))  # type: ignore[union-attr, arg-type]
                    continue
                target = out
                for p in col.parents:
                    target = target.setdefault(p, {})
                target[col.key] = _fresh(value) if type(value) in _CONTAINERS else value
                col.held.texts[i] = text  # type: ignore[union-attr]
                col.held.notes[i] = reading.note  # type: ignore[union-attr]
                continue
        fld, c, header = col.fld, col.c, col.header
        considered = rows if fld.per_row and len(rows) > 1 else None
        if formulas and not _formulas_read(doc, considered or [first], c, header, record + fld.to, record):
            continue
        if considered is None:
            text = cells[c].strip() if c < len(cells) else ""
            if not text:
                continue
            r = first
        else:
            texts = [t for t in dict.fromkeys(sheet.text(r, c) for r in considered) if t]
            if not texts:
                continue
            r = next(r for r in rows if sheet.text(r, c) == texts[0])
            text = "\n".join(texts)
        try:
            reading = _reading(col, text, ctx)
        except rd.CannotRead as exc:
            doc.error(r, c, header, text, exc.why, record + fld.to, record)
            continue
        # the cell is held compactly where it is the common one: on the record's first row, no loose cell before
        keep = held is not None and r == first and i not in held.touched and col.held is not None
        if not fld.data or (fld.empty_is_absent and not reading.value):
            if keep:  # such a field is never of a kind (items are data): the cell's kind is ""
                held.put(col.held, i, text, reading.note)  # type: ignore[union-attr, arg-type]
            else:
                doc.cell(record + fld.to, r, c, header, text, reading.note, record)
            continue
        if fld.spread:
            for key, value in reading.value.items():
                out[key] = _fresh(value)
                if not keep:
                    doc.cell(f"{record}/{key}", r, c, header, text, reading.note, record, kind=fld.kind)
            if keep:
                held.put(col.held, i, text, reading.note, tuple(reading.value))  # type: ignore[union-attr, arg-type]
            continue
        target = out
        for p in col.parents:
            target = target.setdefault(p, {})
        target[col.key] = _fresh(reading.value)
        if keep:
            held.put(col.held, i, text, reading.note)  # type: ignore[union-attr, arg-type]
        else:
            doc.cell(record + fld.to, r, c, header, text, reading.note, record, kind=fld.kind)


def _formulas_read(doc: Doc, rows: list[int], c: int, header: str, ptr: str, record: str) -> bool:
    """Whether the formula cells among `rows` in column `c` may be read: a formula's value saved with the
    workbook is read, with a note naming the cell (it may be stale); one with no value saved is refused."""
    for r in rows:
        formula = doc.sheet.formulas.get((r, c))
        if formula is None:
            continue
        text = doc.sheet.text(r, c)
        if rd.excel_error(text):  # the formula failed: its error value is not read, and not noted as read
            doc.error(r, c, header, text, "", ptr, record)
            return False
        if not text:
            doc.error(r, c, header, formula, "a formula with no value saved: open and save the workbook in "
                                             "Excel, or write the value", ptr, record)
            return False
        doc.out.notes.append(_note(doc, f"cell {column_letter(c)}{r + 1} holds the formula {formula}: "
                                        f"the value saved with it, {text!r}, is read"))
    return True


# --- a task over several rows -------------------------------------------------------------
_PER_ROW = {f.column for f in TASK_FIELDS if f.per_row} | {"seq", "name", "note", "id"}


def task_rows(doc: Doc, layout: Layout, rows: list[int]) -> list[list[list[int]]]:
    """The rows of each task: rows under one merged 序号 or name cell (or one 序号) are one group, and a
    group is one task per run of rows that agree on everything but their items and objects.

    A row with neither 序号 nor name (a CSV export leaves a merged cell's later rows blank) continues the
    task above, and a note names the rows.
    """
    sheet = doc.sheet
    by_field = {f: c for c, (f, _) in layout.columns.items()}
    shared = [c for c, (f, _) in layout.columns.items() if f not in _PER_ROW] + sorted(layout.ticks)

    spans = sheet.spans
    keyed = [(f, by_field[f]) for f in ("seq", "name") if f in by_field]

    def key_of(r: int) -> tuple[Any, ...] | None:
        for f, c in keyed:
            span = spans.get((r, c)) if spans else None
            if span and span[2] > span[0]:
                return ("span", f, span)
            text = sheet.text(r, c)
            if text:
                return ("text", f, rd.norm(text))
        return None

    groups: list[list[int]] = []
    continued: list[int] = []
    last: tuple[Any, ...] | None = None
    for r in rows:
        key = key_of(r)
        if groups and key is None and (by_field.keys() & {"seq", "name"}):
            continued.append(r)
            groups[-1].append(r)
            continue
        if groups and key is not None and key == last:
            groups[-1].append(r)
        else:
            groups.append([r])
        last = key
    if continued:
        shown = "、".join(str(r + 1) for r in continued)
        doc.out.notes.append(_note(doc, f"rows {shown} state neither 序号 nor a task name: read as part of the "
                                        "task above them (the cells a merged cell shared were left blank)"))
    out: list[list[list[int]]] = []
    for group in groups:
        runs: list[list[int]] = []
        for r in group:
            same = runs and all(sheet.text(r, c) == sheet.text(runs[-1][0], c)
                                or (r in continued and not sheet.text(r, c)) for c in shared)
            if same:
                runs[-1].append(r)
            else:
                runs.append([r])
        out.append(runs)
    if not sheet.spans:
        _blank_shared(doc, [g for group in out for g in group], shared, layout)
    return out


def _blank_shared(doc: Doc, tasks: list[list[int]], shared: list[int], layout: Layout) -> None:
    """A note for each task (of a sheet with no merged cells) blank where the task above has text."""
    sheet = doc.sheet
    grid = sheet.rows
    picked = operator.itemgetter(*shared) if len(shared) > 1 else None
    past = max(shared, default=0)

    def filled(r: int) -> list[bool] | None:
        """Which shared cells of row `r` hold text; None when all do (the common row: looked at in C)."""
        row = grid[r]
        if picked is not None and len(row) > past and all(map(str.strip, picked(row))):
            return None
        return [bool(sheet.text(r, c)) for c in shared]

    for above, task in itertools.pairwise(tasks):
        now = filled(task[0])
        if now is None:
            continue
        before = filled(above[0]) or [True] * len(shared)
        blank = [c for c, here, there in zip(shared, now, before, strict=True) if not here and there]
        if blank and len(blank) >= 2:
            names = "、".join(" ".join((layout.columns[c][1] if c in layout.columns else "").split()) for c in blank)
            doc.out.notes.append(_note(doc, f"row {task[0] + 1} leaves {names} blank where row {above[0] + 1} "
                                            "states them: if they were one merged cell, fill them in; "
                                            "as written they are not stated"))


def _note(doc: Doc, message: str) -> InputError:
    sheet = f"sheet {doc.sheet.name}: " if doc.sheet.name else ""
    return InputError(doc.file, doc.base, sheet + message)


def _category(doc: Doc, layout: Layout, rows: list[int], record: str, ctx: Context,
              by_field: dict[str, tuple[int, str]]) -> str | None:
    """The item category a task's row states: a tick under 一般事项 or 重点事项, or a 事项类别 cell."""
    r = rows[0]
    ticked = []
    for c, category in sorted(layout.ticks.items()):
        text = doc.sheet.text(r, c)
        if not text:
            continue
        if rd.header_key(text) not in ctx.ticks:
            doc.error(r, c, "事项类别", text, "expected a tick (√) or nothing", record + "/item_category", record)
            return None
        ticked.append((c, category, text))
    if len(ticked) > 1:
        c = ticked[0][0]
        doc.error(r, c, "事项类别", ticked[0][2], "both 一般事项 and 重点事项 are ticked", record + "/item_category",
                  record)
        return None
    if ticked:
        c, category, text = ticked[0]
        header = "重点事项" if category == "key" else "一般事项"
        doc.cell(record + "/item_category", r, c, header, text, Text(f"{header}（{text}）", f"{category} ({text})"),
                 record)
        return category
    if "item_category" in by_field:
        c, header = by_field["item_category"]
        text = doc.sheet.text(r, c)
        if text:
            try:
                reading = rd.read_value(text, ctx.values["category"], "an item category (重点/一般)")
            except rd.CannotRead as exc:
                doc.error(r, c, header, text, exc.why, record + "/item_category", record)
                return None
            doc.cell(record + "/item_category", r, c, header, text, reading.note, record)
            return str(reading.value)
    return None


def read_task(doc: Doc, how: Plan, rows: list[int], plan_id: str, seq_ok: bool, part: int = 0) -> None:
    """The task of `rows` (one row, or several under one merged task cell); `part` numbers it within its
    group when the group's rows differ in more than their items."""
    i = len(doc.data["tasks"])
    r = rows[0]
    record = pointer("tasks", i)
    by_field = how.by_field
    seq = doc.sheet.text(r, by_field["seq"][0]) if "seq" in by_field else ""
    own = doc.sheet.text(r, by_field["id"][0]) if "id" in by_field else ""
    task_id = own or (f"{plan_id}-{rd.norm(seq)}" if seq and seq_ok else f"{plan_id}-r{r + 1}")
    task: dict[str, Any] = {"id": f"{task_id}-{part}" if part else task_id}
    _record_cell(doc, how, record, r, i)
    read_fields(doc, how, rows, record, task, i)
    if "exception" in task and "basis" not in task["exception"]:
        c, header = by_field.get("exception_basis") or by_field.get("exception_cap") or (0, "例外依据")
        doc.error(r, c, header, doc.sheet.text(r, c), "an exception states its basis (重点领域/特殊行业/上级要求)",
                  record + "/exception/basis", record)
        del task["exception"]
    if _category(doc, how.layout, rows, record, how.ctx, by_field) == "key" and "exception" not in task:
        _key_item(doc, task, record)
    doc.data["tasks"].append(task)


def _record_cell(doc: Doc, how: Plan, record: str, r: int, i: int) -> None:
    """The record's own cell: its row."""
    if how.held is not None and i not in how.held.touched:
        how.held.rows[i] = r + 1
    else:
        doc.cell(record, r, -1, "", None, None, record)


def task_plan(layout: Layout, year: int | None, voc: dict[str, Any]) -> Plan:
    """The plan a plan table's task rows are read by (the plan's year known from its header block)."""
    return plan(layout, TASK_FIELDS, Context(year, voc["values"], frozenset(voc["ticks"])))


def item_plan(layout: Layout, voc: dict[str, Any]) -> Plan:
    """The plan an item list's rows are read by."""
    return plan(layout, ITEM_FIELDS, Context(None, voc["values"]))


def _key_item(doc: Doc, task: dict[str, Any], record: str) -> None:
    """R24: a task of a 重点 item claims the key-area exception, its stated ratio (not a floor) its cap."""
    base = doc.base + record
    category = doc.out.cells[base + "/item_category"]
    task["exception"] = {"basis": "key_area"}
    note = Text("重点事项：按 R24 主张重点领域例外", "a key item: it claims the key-area exception (R24)")
    doc.out.cells[base + "/exception/basis"] = category._replace(reading=note)
    if "ratio" in task:
        ratio = task["ratio"]
        task["exception"]["cap"] = ratio
        doc.out.cells[base + "/exception/cap"] = doc.out.cells[base + "/ratio"]._replace(
            reading=Text(f"重点事项所列比例 {ratio} 即其上限（R24）",
                         f"the key item's stated ratio {ratio} is its cap (R24)"))


def read_item(doc: Doc, how: Plan, r: int, i: int) -> None:
    record = pointer("items", i)
    item: dict[str, Any] = {}
    _record_cell(doc, how, record, r, i)
    read_fields(doc, how, [r], record, item, i)
    if "id" not in item and "name" in item:
        item["id"] = item["name"]
    if "id" not in item:
        item["id"] = f"r{r + 1}"
    doc.data["items"].append(item)
