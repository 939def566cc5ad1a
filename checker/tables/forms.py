"""Sheets of documents written one a row: adjustments, batches and their results, progress reports, work norms.

Officials keep these in Excel as registers (调整备案登记表, 抽查批次登记表…): one row per
document. A sheet is such a register when one row holds every header its kind
needs (headers.yaml `form_kinds`, names matched exactly, never by what they
contain, so no plan or item table is read as one). Each row becomes the same
document the JSON contract describes; an adjustment's row also holds the task it
adds or changes under the plan's own headers, read by the plan's cell readers; a
batch's results are a sheet of their own, one row per object, joined to their
batch by its 批次编号. Every value keeps its cell, so findings point at it, and an
unreadable cell is an input error naming sheet, row and column header.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from checker.errors import InputError, pointer
from checker.read.inputs import RawDocument
from checker.rulebook import Text
from checker.tables import readers as rd
from checker.tables.document import Doc, TableRead
from checker.tables.grid import Sheet, column_letter
from checker.tables.layout import HEADER_SCAN_ROWS, Layout, data_rows
from checker.tables.records import TASK_FIELDS, Context, Field, plan, read_fields
from checker.tables.vocabulary import match_column, vocabulary

# The kinds a register holds, and the kind of document each row is ("result" rows join a batch).
DOCUMENT_KIND = {"adjustment": "adjustment", "batch": "batch", "progress_report": "progress_report",
                 "work_norm": "work_norm"}
SHOWN = {"adjustment": ("计划调整", "plan adjustments"), "batch": ("抽查批次", "batches"),
         "result": ("检查结果", "inspection results"), "progress_report": ("工作推进情况", "progress reports"),
         "work_norm": ("抽查工作规范", "work norms")}


@dataclass(frozen=True)
class Form:
    """A sheet read as a register of one kind, and its data rows."""

    sheet: Sheet
    kind: str  # a key of headers.yaml form_kinds
    layout: Layout
    rows: tuple[int, ...]


@cache
def _index(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for fld, names in vocabulary()["form_columns"][kind].items():
        for n in names:
            out.setdefault(rd.header_key(n), fld)
    return out


def match_form_column(text: str, kind: str, voc: dict[str, Any]) -> str | None:
    """The field a header of a `kind` register names; an adjustment's task columns are the plan's."""
    if not text:
        return None
    if (hit := _index(kind).get(rd.header_key(text))) is not None:
        return hit
    if kind == "adjustment" and (fld := match_column(text, "annual_plan", voc)) is not None:
        return "task_id" if fld == "id" else fld
    return None


def find_form(sheet: Sheet, voc: dict[str, Any]) -> Form | None:
    """The register a sheet holds: its first row with every header one kind needs, or None."""
    width = max((len(row) for row in sheet.rows[:HEADER_SCAN_ROWS]), default=0)  # the header is in these rows
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        names = [sheet.text(r, c) for c in range(width)]
        own = {k: {f for n in names if n and (f := _index(k).get(rd.header_key(n)))} for k in voc["form_kinds"]}
        kind = next((k for k, spec in voc["form_kinds"].items() if set(spec["needs"]) <= own[k]), None)
        if kind is None:
            continue
        columns: dict[int, tuple[str, str]] = {}
        unused: list[tuple[int, str]] = []
        for c, name in enumerate(names):
            fld = match_form_column(name, kind, voc)
            if fld and fld not in {f for f, _ in columns.values()}:
                columns[c] = (fld, name)
            elif name:
                unused.append((c, " ".join(name.split())))
        needs = "、".join(h for f, h in columns.values() if f in voc["form_kinds"][kind]["needs"])
        zh, en = SHOWN[kind]
        reason = Text(f"按表头（{needs}）读作{zh}，一行一份", f"read as {en}, one a row, by its headers ({needs})")
        layout = Layout(kind, r, r + 1, columns, unused, {}, reason)
        return Form(sheet, kind, layout, tuple(data_rows(sheet, layout)))
    return None


def documents_of(forms: list[Form]) -> int:
    """How many documents the registers hold (a result row is part of its batch)."""
    return sum(len(f.rows) for f in forms if f.kind != "result")


# --- cell readers ------------------------------------------------------------------------
CellReader = Callable[[str, Context], rd.Reading]
_LIST_SEP = re.compile(r"[、，,；;\n]+")
_ID_SEP = re.compile(r"[、，,；;\s]+")


def _text(text: str, ctx: Context) -> rd.Reading:
    return rd.Reading(text.strip(), None)


def _date(text: str, ctx: Context) -> rd.Reading:
    return rd.read_date(text)


def _parts(text: str, sep: re.Pattern[str]) -> rd.Reading:
    parts = [p.strip() for p in sep.split(unicodedata.normalize("NFKC", text)) if p.strip()]
    if not parts:
        raise rd.CannotRead("nothing in it")
    return rd.Reading(parts, Text("、".join(parts), "; ".join(parts)) if len(parts) > 1 else None)


def _ids(text: str, ctx: Context) -> rd.Reading:
    """Ids, one a line or separated by 、，；or spaces."""
    return _parts(text, _ID_SEP)


def _texts(text: str, ctx: Context) -> rd.Reading:
    """Names that may hold spaces (见证人), one a line or separated by 、，；."""
    return _parts(text, _LIST_SEP)


def _fixed(table: str, what: str, many: bool = False) -> CellReader:
    read = rd.read_values if many else rd.read_value
    return lambda text, ctx: read(text, ctx.values[table], what)


def _open(table: str) -> CellReader:
    """A value with fixed codes for the words headers.yaml lists, anything else kept as written (another system)."""
    def read(text: str, ctx: Context) -> rd.Reading:
        key = rd.header_key(text)
        code = ctx.values[table].get(key)
        if code is None:
            return rd.Reading(text.strip(), None)
        return rd.Reading(code, None if code == key else Text(f"{text.strip()} → {code}", f"{text.strip()} → {code}"))
    return read


def _open_many(table: str) -> CellReader:
    one = _open(table)

    def read(text: str, ctx: Context) -> rd.Reading:
        parts = _parts(text, _LIST_SEP).value
        codes = [one(p, ctx).value for p in parts]
        shown = "、".join(f"{p} → {v}" if p != v else p for p, v in zip(parts, codes, strict=True))
        return rd.Reading(list(dict.fromkeys(codes)), Text(shown, shown))
    return read


def _count(text: str, ctx: Context) -> rd.Reading:
    r = rd.read_count(text, floors=False)
    if set(r.value) != {"count"} or (r.note and r.note.en.startswith("at most")):
        raise rd.CannotRead("expected a whole number, e.g. 13户")
    return rd.Reading(r.value["count"], r.note)


_QUARTER = re.compile(r"(\d{4})(?:年度?)?(?:-|第)?(?:Q([1-4])|([1-4一二三四])季度)")
_YEAR = re.compile(r"(\d{4})(?:年度?)?(?:全年|年度总结|总结|全年总结)?")
_CN = {"一": "1", "二": "2", "三": "3", "四": "4"}


def read_period(text: str, ctx: Context | None = None) -> rd.Reading:
    """A report's period: 2021-Q3, 2021年第三季度, 2021Q3 (a quarter); 2021, 2021年度 (the annual summary)."""
    t = rd.norm(text).upper()
    if m := _QUARTER.fullmatch(t):
        value = f"{m.group(1)}-Q{m.group(2) or _CN.get(m.group(3), m.group(3))}"
    elif m := _YEAR.fullmatch(t):
        value = m.group(1)
    else:
        raise rd.CannotRead("expected a quarter such as 2021-Q3 or 2021年第三季度, or a year such as 2021年度 "
                            "(the annual summary)")
    return rd.Reading(value, None if value == t else Text(value, value))


def _year(text: str, ctx: Context) -> rd.Reading:
    return rd.read_year(text)


_YES_NO = "是 or 否"
# What each register's row holds: the column, the pointer its value fills and the reader of its cell.
FIELDS: dict[str, tuple[Field, ...]] = {
    "adjustment": (
        Field("id", "/id", _text),
        Field("plan", "/plan", _text),
        Field("action", "/action", _fixed("action", "an adjustment (新增/删除/变更)")),
        Field("filed_with_conference_on", "/filed_with_conference_on", _date),
        Field("filed_with_justice_on", "/filed_with_justice_on", _date),
        Field("published_on", "/published_on", _date),
        Field("effective_on", "/effective_on", _date),
    ),
    "batch": (
        Field("id", "/id", _text),
        Field("task", "/task", _text),
        Field("origin", "/origin", _fixed("origin", "an origin (随机计划/投诉举报/转办交办/数据监测)")),
        Field("year", "/year", _year),
        Field("lead", "/lead", lambda t, ctx: rd.read_one_name(t)),
        Field("participants", "/participants", lambda t, ctx: rd.read_names(t)),
        Field("platform", "/platform", _open("platform")),
        Field("scheme_entered_on", "/scheme_entered_on", _date),
        Field("draw_method", "/draw/method", _open("draw_method")),
        Field("drawn_on", "/draw/drawn_on", _date),
        Field("witnesses", "/draw/witnesses", _texts),
        Field("directory", "/directory", _text),
        Field("directory_size", "/directory_size", lambda t, ctx: rd.read_size(t)),
        Field("selected", "/selected", _ids),
        Field("selected_count", "/selected_count", _count),
        Field("inspectors", "/inspectors", _ids),
        Field("declared_conflicts", "/declared_conflicts", _ids),
        Field("form_items", "/form_items", _ids),
        Field("methods", "/methods", _fixed("methods", "an inspection method", many=True)),
        Field("third_party", "/third_party/name", _text),
        Field("third_party_qualified", "/third_party/qualified", _fixed("yes_no", _YES_NO)),
        Field("started_on", "/started_on", _date),
        Field("completed_on", "/completed_on", _date),
        Field("results_entered_on", "/results_entered_on", _date),
    ),
    "result": (
        Field("object", "/object", _text),
        Field("outcome", "/outcome", _text),
        Field("entered_on", "/entered_on", _date),
        Field("published", "/published", _open_many("channel")),
        Field("nondisclosure_reason", "/nondisclosure/reason", _text),
        Field("approved_by", "/nondisclosure/approved_by", _text),
        Field("approver_role", "/nondisclosure/approver_role", _open("approver_role")),
        Field("archived", "/nondisclosure/archived", _fixed("yes_no", _YES_NO)),
        Field("suspected_crime", "/suspected_crime", _fixed("yes_no", _YES_NO)),
        Field("transferred_on", "/transferred_on", _date),
    ),
    "progress_report": (
        Field("id", "/id", _text),
        Field("department", "/department", _text),
        Field("jurisdiction", "/jurisdiction", _text),
        Field("reporter", "/reporter", _fixed("reporter", "who reports (成员单位/联席会议)")),
        Field("period", "/period", read_period),
        Field("submitted_on", "/submitted_on", _date),
    ),
    "work_norm": (
        Field("id", "/id", _text),
        Field("name", "/name", _text, data=False),
        Field("department", "/department", _text),
        Field("covers", "/covers", _fixed("covers", "what a norm covers", many=True)),
    ),
}


# --- reading -------------------------------------------------------------------------------
def read_forms(name: str, stem: str, forms: list[Form], out: TableRead, start: int, alone: bool,
               voc: dict[str, Any]) -> None:
    """Every register's rows as documents, numbered from `start` in the file (`alone`: the file's only one)."""
    ctx = Context(None, voc["values"], frozenset(voc["ticks"]))
    batches: dict[str, Doc] = {}
    n = start
    for form in sorted(forms, key=lambda f: f.kind == "result"):  # results join the batches read before them
        sheet, layout = form.sheet, form.layout
        where = f"sheet {sheet.name}: " if sheet.name else ""
        zh, en = SHOWN[form.kind]
        out.notes.append(InputError(name, "", f"{where}{layout.reason.en if layout.reason else ''}"))
        if layout.unused:
            shown = ", ".join(f"{column_letter(c)} {h}" for c, h in layout.unused)
            out.notes.append(InputError(name, "", f"{where}columns not read: {shown}"))
            out.unused.extend({"path": "", "sheet": sheet.name, "column": column_letter(c), "header": h}
                              for c, h in layout.unused)
        if form.kind == "result":
            for r in form.rows:
                _result(name, form, r, batches, out, ctx)
            continue
        if not form.rows:
            out.errors.append(InputError(name, "", f"{where}no row below the headers is filled in: a register of "
                                                   f"{en} ({zh}) holds one a row"))
            continue
        for r in form.rows:
            doc = Doc(name, sheet, "" if alone else pointer(n), out)
            n += 1
            _document(doc, form, r, stem, ctx)
            if form.kind == "batch" and isinstance(doc.data.get("id"), str):
                batches.setdefault(doc.data["id"], doc)
            out.documents.append(RawDocument(name, doc.base, doc.data))


def _fields(doc: Doc, layout: Layout, rows: list[int], record: str, out: dict[str, Any], fields: tuple[Field, ...],
            ctx: Context) -> None:
    """One row's fields, read by the plans' own loop (records.plan: the row's columns and their readers)."""
    read_fields(doc, plan(layout, fields, ctx), rows, record, out)


def _document(doc: Doc, form: Form, r: int, stem: str, ctx: Context) -> None:
    kind = DOCUMENT_KIND[form.kind]
    doc.cell("", r, -1, "", None, form.layout.reason, "")
    data: dict[str, Any] = {}
    _fields(doc, form.layout, [r], "", data, FIELDS[form.kind], ctx)
    _blank_cells(doc, form.layout, r, "", FIELDS[form.kind])
    if "id" not in data:
        data["id"] = f"{stem}-r{r + 1}"
    if form.kind == "adjustment":
        _task(doc, form.layout, r, data, ctx)
    doc.data = {"kind": kind, "id": data.pop("id"), **data}


def _blank_cells(doc: Doc, layout: Layout, r: int, record: str, fields: tuple[Field, ...]) -> None:
    """The blank cells of a row's fields, kept so a finding of a missing date names the cell to fill in."""
    by_field = {f: (c, h) for c, (f, h) in layout.columns.items()}
    for fld in fields:
        if fld.column in by_field and doc.base + record + fld.to not in doc.out.cells:
            c, header = by_field[fld.column]
            if not doc.sheet.text(r, c):
                doc.cell(record + fld.to, r, c, header, None, None, record)


def _window(text: str, ctx: Context) -> rd.Reading:
    """A task's window as an adjustment states it: with its year (an adjustment has no plan year to lend)."""
    try:
        return rd.read_window(text, None)
    except rd.CannotRead as exc:
        if "names no year" in str(exc):
            raise rd.CannotRead("it names no year: write the dates in full, e.g. 2021-07-01至2021-10-31") from None
        raise


_ADJUSTED_TASK = tuple(dataclasses.replace(f, read=_window) if f.column == "window" else f for f in TASK_FIELDS)
_TASK_COLUMNS = {f.column for f in TASK_FIELDS}


def _task(doc: Doc, layout: Layout, r: int, data: dict[str, Any], ctx: Context) -> None:
    """The task an adjustment adds or changes (the plan's columns), or the id of the task it removes."""
    by_field = {f: (c, h) for c, (f, h) in layout.columns.items()}
    task_id = doc.sheet.text(r, by_field["task_id"][0]) if "task_id" in by_field else ""
    if data.get("action") == "remove":
        if task_id:
            c, header = by_field["task_id"]
            data["task_id"] = task_id
            doc.cell("/task_id", r, c, header, task_id, None, "")
        filled = [h for c, (f, h) in layout.columns.items() if f in _TASK_COLUMNS and doc.sheet.text(r, c)]
        if filled:
            where = f"sheet {doc.sheet.name}: " if doc.sheet.name else ""
            doc.out.notes.append(InputError(doc.file, doc.base, f"{where}row {r + 1}: a removal names only its "
                                            f"task's 任务编号; {'、'.join(filled)} not read"))
        return
    task: dict[str, Any] = {}
    doc.cell("/task", r, -1, "", None, None, "/task")
    if task_id:
        c, header = by_field["task_id"]
        task["id"] = task_id
        doc.cell("/task/id", r, c, header, task_id, None, "/task")
    _fields(doc, layout, [r], "/task", task, _ADJUSTED_TASK, ctx)
    _blank_cells(doc, layout, r, "/task", _ADJUSTED_TASK)
    if "exception" in task and "basis" not in task["exception"]:
        c, header = by_field.get("exception_basis") or by_field.get("exception_cap") or (0, "例外依据")
        doc.error(r, c, header, doc.sheet.text(r, c), "an exception states its basis (重点领域/特殊行业/上级要求)",
                  "/task/exception/basis", "/task")
        del task["exception"]
    if task:
        data["task"] = task


def _result(name: str, form: Form, r: int, batches: dict[str, Doc], out: TableRead, ctx: Context) -> None:
    """One result row, appended to the batch its 批次编号 names."""
    sheet, layout = form.sheet, form.layout
    c, header = next((c, h) for c, (f, h) in layout.columns.items() if f == "batch")
    batch_id = sheet.text(r, c)
    owner = batches.get(batch_id)
    if owner is None:
        known = "、".join(batches) or "—"
        out.errors.append(InputError(
            name, "", f"{'sheet ' + sheet.name + ' ' if sheet.name else ''}row {r + 1} column {column_letter(c)} "
                      f"({header}): {batch_id!r} names no "
                      f"batch of this workbook's batch sheet (batches: {known}); the result is not read",
            source=tuple({"sheet": sheet.name, "row": r + 1, "column": column_letter(c), "header": header}.items())))
        return
    doc = Doc(name, sheet, owner.base, out)
    doc.data = owner.data
    results = owner.data.setdefault("results", [])
    record = pointer("results", len(results))
    doc.cell(record, r, -1, "", None, None, record)
    result: dict[str, Any] = {}
    _fields(doc, layout, [r], record, result, FIELDS["result"], ctx)
    _blank_cells(doc, layout, r, record, FIELDS["result"])
    results.append(result)
