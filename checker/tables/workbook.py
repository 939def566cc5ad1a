"""Every table in a workbook or CSV as raw documents, with their cells and input errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.errors import InputError, pointer
from checker.read.inputs import SURROGATE, RawDocument
from checker.tables import readers as rd
from checker.tables.block import header_block
from checker.tables.document import DATES, Doc, TableRead, doc_fields
from checker.tables.forms import Form, documents_of, find_form, read_forms
from checker.tables.grid import Sheet, column_letter, read_csv, read_xlsx
from checker.tables.layout import Layout, Refusal, data_rows, find_layout
from checker.tables.records import hold, item_plan, read_item, read_task, task_plan, task_rows
from checker.tables.vocabulary import vocabulary
from checker.tables.word import read_docx
from checker.tables.xls import read_xls


@dataclass(frozen=True)
class TableOptions:
    """Document-level fields from the command line: --plan KEY=VALUE, --items KEY=VALUE."""

    plan: tuple[tuple[str, str], ...] = ()
    items: tuple[tuple[str, str], ...] = ()



# Each table syntax (checker.read.discover.SUFFIXES) → the reader of its grids of texts.
GRIDS: dict[str, Callable[[str, bytes], tuple[list[Sheet], list[InputError]]]] = {
    "xlsx": read_xlsx, "csv": read_csv, "xls": read_xls, "docx": read_docx,
}

# What a table must say of its document (the rest of the schema's required fields are filled in here).
_REQUIRED = {"annual_plan": ("level", "year"), "item_list": ("level",)}
_LEVELS = {"annual_plan": "plan_level", "item_list": "list_level"}


def _examples(fld: str, kind: str, voc: dict[str, Any]) -> list[str]:
    """Values a missing field accepts: for the level, the first Chinese name of each of this kind's levels."""
    if fld == "year":
        return ["2021"]
    names: dict[str, str] = {}
    for written, level in voc["values"][_LEVELS[kind]].items():
        if not written.isascii():
            names.setdefault(level, written)
    return list(names.values())


def _missing(fld: str, kind: str, voc: dict[str, Any]) -> str:
    label = "年度" if fld == "year" else "层级"
    return f"{fld} ({label}, e.g. {' / '.join(_examples(fld, kind, voc))})"


def _surrogates(name: str, sheets: list[Sheet], options: TableOptions) -> bool:
    """Whether a text a table's values are made of may hold an unpaired surrogate (an .xlsx may escape one as
    _xD800_). Values are made of these texts and of headers.yaml's by str operations, which make none."""
    texts = [name, *(s.name for s in sheets), *(t for pair in options.plan + options.items for t in pair)]
    texts.extend("\x00".join(row) for s in sheets for row in s.rows)
    return SURROGATE.search("\x00".join(texts)) is not None


def read_table(name: str, data: bytes, syntax: str, options: TableOptions | None = None) -> TableRead:
    """Every table in a workbook or CSV as raw documents, with their cells and input errors."""
    options = options or TableOptions()
    voc = vocabulary()
    out = TableRead()
    sheets, errors = GRIDS.get(syntax, read_csv)(name, data)
    out.errors.extend(errors)
    out.no_surrogates = not _surrogates(name, sheets, options)
    skip = {rd.header_key(s) for s in voc["skip_sheets"]}
    header_names = {rd.header_key(s) for s in voc["header_sheets"]}
    block_sheets = [s for s in sheets if rd.header_key(s.name) in header_names]
    tables: list[tuple[Sheet, Layout]] = []
    skipped: list[InputError] = []  # a table in a sheet never read (说明): said when it is the only one
    forms: list[Form] = []
    for sheet in sheets:
        empty = not any(any(x.strip() for x in row) for row in sheet.rows)
        if rd.header_key(sheet.name) in skip | header_names or empty:
            if rd.header_key(sheet.name) in skip and isinstance(find_layout(sheet, voc), Layout):
                skipped.append(InputError(name, "", f"sheet {sheet.name}: holds a table but is not read, as a "
                                                    "sheet of that name never is; rename it to read it"))
            continue
        if (form := find_form(sheet, voc)) is not None:  # a register of adjustments, batches, reports or norms
            forms.append(form)
            continue
        layout = find_layout(sheet, voc)
        where = f"{'sheet ' + sheet.name + ': ' if sheet.name else ''}"
        if isinstance(layout, Refusal):
            out.errors.append(InputError(name, "", f"{where}row {layout.header_row + 1}: {layout.message}; "
                                                   "add a title naming it (…抽查计划 or …事项清单)"))
            continue
        if layout is None:
            out.errors.append(InputError(
                name, "", f"{'sheet ' + sheet.name + ': ' if sheet.name else ''}no header row found: a plan table "
                          "needs headers such as 抽查计划名称, 牵头部门, 检查日期; an item table 抽查事项, 检查主体 "
                          "(see `dsr-check template`)"))
            continue
        tables.append((sheet, layout))
    if not tables and not forms:
        out.notes.extend(skipped)
    stem = Path(name).stem
    alone = len(tables) + documents_of(forms) == 1
    for k, (sheet, layout) in enumerate(tables):
        base = "" if alone else pointer(k)
        doc = Doc(name, sheet, base, out)
        kind = layout.kind
        index = voc["plan_field_index"] if kind == "annual_plan" else voc["item_field_index"]
        entries, title, title_row = header_block(sheet, range(layout.header_row), index)
        for bs in block_sheets:
            entries += header_block(bs, range(len(bs.rows)), index)[0]
        opts = options.plan if kind == "annual_plan" else options.items
        option_name = "--plan" if kind == "annual_plan" else "--items"
        doc_fields(doc, kind, entries, title, title_row, opts, option_name, voc)
        missing = [f for f in _REQUIRED[kind] if f not in doc.data]
        if missing:
            labels = "; ".join(_missing(f, kind, voc) for f in missing)
            out.errors.append(InputError(
                name, base, f"{'sheet ' + sheet.name + ': ' if sheet.name else ''}the table does not say its "
                            f"{labels}: add it to the header block above the table or the 计划信息 sheet, "
                            f"or give {option_name} {missing[0]}={_examples(missing[0], kind, voc)[-1]}"))
            continue
        doc.data = {"kind": kind, "id": doc.data.pop("id", None) or (stem if len(tables) == 1 else
                                                                      f"{stem}-{sheet.name or k}"), **doc.data}
        unstated = [f for f in DATES if kind == "annual_plan" and f not in doc.data and f not in doc.not_done]
        if unstated:
            doc.data["not_stated"] = unstated
        doc.cell("", layout.header_row, -1, "", None, layout.reason, "")
        where = f"{'sheet ' + sheet.name + ': ' if sheet.name else ''}"
        out.notes.append(InputError(name, base, f"{where}{layout.reason.en if layout.reason else ''}"))
        if layout.unused:
            shown = ", ".join(f"{column_letter(c)} {h}" for c, h in layout.unused)
            out.notes.append(InputError(name, base, f"{where}columns not read: {shown}"))
            out.unused.extend({"path": base, "sheet": sheet.name, "column": column_letter(c), "header": h}
                              for c, h in layout.unused)
        rows = data_rows(sheet, layout)
        if kind == "annual_plan":
            doc.data["tasks"] = []
            groups = task_rows(doc, layout, rows)
            seq_c = next((c for c, (f, _) in layout.columns.items() if f == "seq"), None)  # a field has one column
            seqs = [] if seq_c is None else [rd.norm(sheet.text(g[0][0], seq_c)) for g in groups]
            seq_ok = len(seqs) == len(groups) and len(set(seqs)) == len(seqs) and all(seqs)
            how = task_plan(layout, doc.data.get("year") if isinstance(doc.data.get("year"), int) else None, voc)
            hold(how, out.cells, base + "/tasks/", sheet.name, sum(len(g) for g in groups))
            for group in groups:
                for j, run in enumerate(group):
                    read_task(doc, how, run, doc.data["id"], seq_ok, j + 1 if len(group) > 1 else 0)
        else:
            doc.data["items"] = []
            how = item_plan(layout, voc)
            hold(how, out.cells, base + "/items/", sheet.name, len(rows))
            for i, r in enumerate(rows):
                read_item(doc, how, r, i)
        out.documents.append(RawDocument(name, base, doc.data))
    if forms:
        read_forms(name, stem, forms, out, len(tables), alone, voc)
    return out

