"""Every table in a workbook or CSV as raw documents, with their cells and input errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checker.errors import InputError, pointer
from checker.read.inputs import RawDocument
from checker.tables import readers as rd
from checker.tables.block import header_block
from checker.tables.document import Doc, TableRead, doc_fields
from checker.tables.grid import Sheet, read_csv, read_xlsx
from checker.tables.layout import Layout, data_rows, find_layout
from checker.tables.records import read_item, read_task
from checker.tables.vocabulary import vocabulary


@dataclass(frozen=True)
class TableOptions:
    """Document-level fields from the command line: --plan KEY=VALUE, --items KEY=VALUE."""

    plan: tuple[tuple[str, str], ...] = ()
    items: tuple[tuple[str, str], ...] = ()



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
    tables: list[tuple[Sheet, Layout]] = []
    for sheet in sheets:
        empty = not any(any(x.strip() for x in row) for row in sheet.rows)
        if rd.header_key(sheet.name) in skip | header_names or empty:
            continue
        layout = find_layout(sheet, voc)
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
            labels = "; ".join(f"{f} ({_LABELS[f]})" for f in missing)
            out.errors.append(InputError(
                name, base, f"{'sheet ' + sheet.name + ': ' if sheet.name else ''}the table does not say its "
                            f"{labels}: add it to the header block above the table or the 计划信息 sheet, "
                            f"or give {option_name} {missing[0]}=…"))
            continue
        doc.data = {"kind": kind, "id": doc.data.pop("id", None) or (stem if len(tables) == 1 else
                                                                      f"{stem}-{sheet.name or k}"), **doc.data}
        doc.cell("", layout.header_row, -1, "", None, None, "")
        rows = data_rows(sheet, layout)
        if kind == "annual_plan":
            doc.data["tasks"] = []
            seqs = [rd.norm(sheet.text(r, c)) for r in rows for c, (f, _) in layout.columns.items() if f == "seq"]
            seq_ok = len(seqs) == len(rows) and len(set(seqs)) == len(seqs) and all(seqs)
            for i, r in enumerate(rows):
                read_task(doc, layout, r, i, doc.data["id"], seq_ok, voc)
        else:
            doc.data["items"] = []
            for i, r in enumerate(rows):
                read_item(doc, layout, r, i, voc)
        out.documents.append(RawDocument(name, base, doc.data))
    return out

