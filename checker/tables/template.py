"""`dsr-check template`: a blank workbook a department fills in and dsr-check reads back.

The table sheet has a header block (the plan's or list's own fields) above
the table, the canonical Chinese headers (the first name of each list in
headers.yaml), drop-down lists where a field has fixed values, and an
instructions sheet (说明) saying what each column holds and which readings of
free text are understood. What the header block leaves blank may be given on
the command line instead (--plan KEY=VALUE, --items KEY=VALUE).
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from checker.tables.vocabulary import vocabulary

ROWS = 500  # rows below the header that get drop-down lists

PLAN_COLUMNS = ["seq", "id", "name", "items", "objects", "directory", "directory_size", "methods", "ratio",
                "count", "lead", "participants", "window", "exception_basis", "exception_cap", "exception_note",
                "special_timing", "note"]
ITEM_COLUMNS = ["seq", "id", "name", "category", "department", "object_type", "basis", "note"]
PLAN_FIELDS = ["id", "year", "jurisdiction", "level", "department", "submitted_on", "compiled_on", "issued_on",
               "published_on", "members", "platform"]
ITEM_FIELDS = ["id", "level", "issuer", "published_on"]

HELP_PLAN = {
    "seq": "序号，可空；未填任务编号时，任务编号为“计划编号-序号”",
    "id": "任务编号（可空）；批次以此编号引用任务，同一次检查中不得重复",
    "name": "抽查计划名称",
    "items": "抽查事项：一行一项（或以；分隔）；与所供事项清单中同名事项对应，否则以原文为编号",
    "objects": "检查对象（描述）",
    "directory": "检查对象名录库编号（可空）",
    "directory_size": "抽查基数（名录库总数），整数，可带“户”",
    "methods": "检查方式：实地核查、书面检查、网络监测、委托第三方，可多选，以、分隔",
    "ratio": "抽查比例：5%、0.05、不超过5%（上限）、不低于0.5%（下限，不是上限）、10-20%（上限20%）",
    "count": "抽查数量：20、13户、不超过20户、不少于3户（下限）、10-20户",
    "lead": "牵头部门（一个）",
    "participants": "参与部门，以、分隔",
    "window": "检查日期：2021-03-01至2021-06-30、3.20-4.30、3月—12月、全年、第二季度、10月31日前（无年份时取计划年度）",
    "exception_basis": "例外依据（4.1.2）：重点领域、特殊行业、上级要求；须同时写比例上限",
    "exception_cap": "例外情形的抽查比例上限，如 10%",
    "exception_note": "例外说明",
    "special_timing": "特殊时间要求的理由（任务不受11月20日前完成的限制）",
    "note": "备注（不读取）",
}
HELP_ITEMS = {
    "seq": "序号（不读取）",
    "id": "事项编号；未填时以事项名称为编号",
    "name": "抽查事项名称",
    "category": "事项类别：重点 或 一般",
    "department": "检查主体（一个部门）",
    "object_type": "检查对象",
    "basis": "检查依据",
    "note": "备注（不读取）",
}
HELP_FIELDS = {
    "id": "文档编号；未填时取文件名",
    "year": "计划年度，如 2021（未填时可从标题“2021年度”读取，或用 --plan year=2021）",
    "jurisdiction": "行政区域，如 广元市利州区",
    "level": "层级",
    "department": "报送部门（部门计划）",
    "submitted_on": "报送联席会议日期（部门计划），如 2020-12-28",
    "compiled_on": "联席会议编制完成日期",
    "issued_on": "政府印发日期",
    "published_on": "向社会公示（公布）日期",
    "members": "联席会议成员单位，以、分隔",
    "platform": "录入平台：省级平台，或本部门系统名称",
    "issuer": "发布单位",
}

_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_BLOCK_FILL = PatternFill("solid", fgColor="F2F2F2")


def _list(values: list[str], *, strict: bool = True) -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                        showErrorMessage=True, errorStyle="stop" if strict else "warning")
    if not strict:
        dv.error = "可填写多个，以、分隔"
    return dv


def _block(ws: Worksheet, fields: list[str], labels: dict[str, list[str]], start: int) -> dict[str, int]:
    rows = {}
    for i, fld in enumerate(fields):
        r = start + i
        ws.cell(r, 1, labels[fld][0]).font = Font(bold=True)
        ws.cell(r, 1).fill = _BLOCK_FILL
        ws.cell(r, 3, HELP_FIELDS.get(fld, "")).font = Font(color="808080", size=9)
        rows[fld] = r
    return rows


def _header(ws: Worksheet, row: int, fields: list[str], columns: dict[str, list[str]]) -> dict[str, int]:
    cols = {}
    for c, fld in enumerate(fields, start=1):
        cell = ws.cell(row, c, columns[fld][0])
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = 8 if fld == "seq" else 18
        cols[fld] = c
    ws.freeze_panes = ws.cell(row + 1, 1)
    return cols


def build(kind: str = "plan") -> Workbook:
    """The blank template workbook of a plan (kind 'plan') or an item list (kind 'items')."""
    voc = vocabulary()
    wb = Workbook()
    ws = wb.active
    if kind == "plan":
        ws.title = "计划"
        ws.cell(1, 1, "年度抽查计划（填写说明见“说明”工作表）").font = Font(bold=True, size=14)
        block = _block(ws, PLAN_FIELDS, voc["plan_fields"], 2)
        header_row = 2 + len(PLAN_FIELDS) + 1
        cols = _header(ws, header_row, PLAN_COLUMNS, voc["plan_columns"])
        lists = [(_list(["部门", "联席会议"]), f"B{block['level']}"),
                 (_list(["省级平台"], strict=False), f"B{block['platform']}")]
        methods = _list(["实地核查", "书面检查", "网络监测", "委托第三方"], strict=False)
        exception = _list(["重点领域", "特殊行业", "上级要求"])
        for dv, fld in ((methods, "methods"), (exception, "exception_basis")):
            letter = ws.cell(header_row, cols[fld]).column_letter
            lists.append((dv, f"{letter}{header_row + 1}:{letter}{header_row + ROWS}"))
        helps, fields, columns, labels = HELP_PLAN, PLAN_COLUMNS, voc["plan_columns"], voc["plan_fields"]
        block_fields = PLAN_FIELDS
    else:
        ws.title = "事项清单"
        ws.cell(1, 1, "抽查事项清单（填写说明见“说明”工作表）").font = Font(bold=True, size=14)
        block = _block(ws, ITEM_FIELDS, voc["item_list_fields"], 2)
        header_row = 2 + len(ITEM_FIELDS) + 1
        cols = _header(ws, header_row, ITEM_COLUMNS, voc["item_columns"])
        category = _list(["重点", "一般"])
        letter = ws.cell(header_row, cols["category"]).column_letter
        lists = [(_list(["省级", "市级", "县级"]), f"B{block['level']}"),
                 (category, f"{letter}{header_row + 1}:{letter}{header_row + ROWS}")]
        helps, fields, columns, labels = HELP_ITEMS, ITEM_COLUMNS, voc["item_columns"], voc["item_list_fields"]
        block_fields = ITEM_FIELDS
    for dv, ref in lists:
        ws.add_data_validation(dv)
        dv.add(ref)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 14)
    _instructions(wb.create_sheet("说明"), kind, fields, columns, helps, block_fields, labels)
    return wb


def _instructions(ws: Worksheet, kind: str, fields: list[str], columns: dict[str, list[str]],
                  helps: dict[str, str], block_fields: list[str], labels: dict[str, list[str]]) -> None:
    option = "--plan" if kind == "plan" else "--items"
    lines = [
        ["填写说明"],
        ["一行一条记录（任务或事项）。列名可用下表“同义列名”中的任一写法；表头可占两行（合并单元格）。"],
        [f"表头区（表格上方）填写本文档自身的信息；未填的项可在命令行用 {option} 键=值 给出，"
         f"如 {option} year=2021（表头区已填的以表头区为准）。"],
        ["单元格按原文读取：能读的读出并在报告证据中同时显示原文（*_as_written）与读法（*_read_as）；"
         "不能读的报为输入错误（注明工作表、行、列和原文），不作猜测。"],
        [],
        ["表头区", "键", "说明", "同义写法"],
        *[[labels[f][0], f, HELP_FIELDS.get(f, ""), "、".join(labels[f][1:])] for f in block_fields],
        [],
        ["列名", "字段", "说明", "同义列名"],
        *[[columns[f][0], f, helps.get(f, ""), "、".join(columns[f][1:])] for f in fields],
    ]
    for row in lines:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=14)
    for w, letter in ((16, "A"), (16, "B"), (70, "C"), (50, "D")):
        ws.column_dimensions[letter].width = w
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_bytes(kind: str = "plan") -> bytes:
    out = io.BytesIO()
    build(kind).save(out)
    return out.getvalue()
