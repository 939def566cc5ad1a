"""`dsr-check template`: a blank workbook a department fills in and dsr-check reads back.

Plans and item lists are tables with a header block; the other kinds (adjustments,
batches with their results, progress reports, work norms) are registers, one document
a row, read back by checker.tables.forms.

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
        terms = voc["terms"]
        lists = [(_list(terms["plan_level"]), f"B{block['level']}"),
                 (_list(terms["platform"], strict=False), f"B{block['platform']}")]
        methods = _list(terms["methods"], strict=False)
        exception = _list(terms["exception"])
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
        category = _list(voc["terms"]["category"])
        letter = ws.cell(header_row, cols["category"]).column_letter
        lists = [(_list(voc["terms"]["list_level"]), f"B{block['level']}"),
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


# --- registers: documents written one a row (checker.tables.forms reads them back) -------------
_TASK = ["task_id", "name", "items", "objects", "directory", "directory_size", "methods", "ratio", "count", "lead",
         "participants", "window", "exception_basis", "exception_cap", "exception_note", "special_timing"]
FORM_COLUMNS = {
    "adjustment": ["seq", "id", "plan", "action", *_TASK, "filed_with_conference_on", "filed_with_justice_on",
                   "published_on", "effective_on", "note"],
    "batch": ["seq", "id", "task", "origin", "year", "lead", "participants", "platform", "scheme_entered_on",
              "draw_method", "drawn_on", "witnesses", "directory", "directory_size", "selected", "selected_count",
              "inspectors", "declared_conflicts", "form_items", "methods", "third_party", "third_party_qualified",
              "started_on", "completed_on", "results_entered_on", "note"],
    "result": ["seq", "batch", "object", "outcome", "entered_on", "published", "nondisclosure_reason", "approved_by",
               "approver_role", "archived", "suspected_crime", "transferred_on", "note"],
    "progress_report": ["seq", "id", "department", "jurisdiction", "reporter", "period", "submitted_on", "note"],
    "work_norm": ["seq", "id", "name", "department", "covers", "note"],
}
# The sheets of each kind's workbook, in order (a batch's results are a sheet of their own).
FORM_SHEETS = {"adjustment": ["adjustment"], "batch": ["batch", "result"], "progress_report": ["progress_report"],
               "work_norm": ["work_norm"]}
_TEXT_COLUMNS = {"id", "plan", "task", "task_id", "batch", "object", "selected", "inspectors", "directory", "period"}
_DATE = "日期：2021-08-03、2021年8月3日，或设为日期格式的单元格"
_YES = "是 或 否"
HELP_FORMS: dict[str, dict[str, tuple[str, str]]] = {  # field → (what it holds, an example)
    "adjustment": {
        "seq": ("序号（不读取）", "1"),
        "id": ("调整编号（每次调整一个，不得重复）；未填时为“文件名-r行号”", "adj-2021-02"),
        "plan": ("所调整的年度计划的编号（计划表表头区的计划编号）", "plan-gy-2021"),
        "action": ("调整类型：新增、删除、变更（新增、变更填写下列任务各列；删除只填任务编号）", "变更"),
        "task_id": ("任务编号：新增任务的编号、变更或删除的任务的编号", "GY2021-07"),
        "window": ("检查日期，写明年份：2021-09-01至2021-11-15、2021年9月1日至11月15日（调整没有计划年度可借用）",
                   "2021年9月1日至11月15日"),
        "filed_with_conference_on": ("报联席会议备案的" + _DATE, "2021-08-02"),
        "filed_with_justice_on": ("报司法部门备案的" + _DATE + "；未备案留空", ""),
        "published_on": ("向社会公示的" + _DATE, "2021-08-06"),
        "effective_on": ("调整生效（开始实施）的" + _DATE, "2021-08-03"),
        "note": ("备注（不读取）", ""),
    },
    "batch": {
        "seq": ("序号（不读取）", "1"),
        "id": ("批次编号（不得重复）；检查结果表以此编号对应批次", "B2021-03"),
        "task": ("所属任务编号（年度计划中的任务编号）；投诉举报等非计划检查可空", "GY2021-02"),
        "origin": ("检查来源：随机计划（默认）、投诉举报、转办交办、数据监测", "随机计划"),
        "year": ("年度，如 2021", "2021"),
        "lead": ("牵头部门（一个）", "市市场监管局"),
        "participants": ("参与部门，以、分隔", "市应急管理局"),
        "platform": ("录入平台：省级平台，或本部门系统名称", "省级平台"),
        "scheme_entered_on": ("抽查方案录入平台的" + _DATE, "2021-04-19"),
        "draw_method": ("抽取方式：平台摇号、人工选定，或其他方式的名称", "平台摇号"),
        "drawn_on": ("抽取检查对象的" + _DATE, "2021-04-19"),
        "witnesses": ("见证人（单位），以、分隔", "广元市公证处"),
        "directory": ("检查对象名录库编号", "dir-special-equip"),
        "directory_size": ("名录库总数（户），整数", "860"),
        "selected": ("抽中的检查对象编号，一行一个或以、分隔", "special-equip-0003、special-equip-0004"),
        "selected_count": ("抽取户数（未列出抽中对象时填写）", ""),
        "inspectors": ("检查人员编号，以、分隔", "SC-010、SC-011"),
        "declared_conflicts": ("声明回避的检查人员编号，以、分隔", ""),
        "form_items": ("检查文书涵盖的抽查事项编号，以、分隔", ""),
        "methods": ("检查方式：实地核查、书面检查、网络监测、委托第三方，可多选，以、分隔", "实地核查"),
        "third_party": ("委托的第三方机构名称（委托第三方时）", ""),
        "third_party_qualified": ("第三方是否具备资质：" + _YES, ""),
        "started_on": ("检查开始的" + _DATE, "2021-04-22"),
        "completed_on": ("检查完成的" + _DATE, "2021-05-08"),
        "results_entered_on": ("检查结果录入平台的" + _DATE + "（各户另填的以检查结果表为准）", "2021-05-19"),
        "note": ("备注（不读取）", ""),
    },
    "result": {
        "seq": ("序号（不读取）", "1"),
        "batch": ("批次编号（抽查批次表中的编号）", "B2021-03"),
        "object": ("检查对象编号（抽中对象之一）", "special-equip-0003"),
        "outcome": ("检查结果", "发现问题，已责令整改"),
        "entered_on": ("本户结果录入的" + _DATE + "；空则取批次的结果录入日期", ""),
        "published": ("公示渠道，以、分隔：国家企业信用信息公示系统（四川）、全国信用信息共享平台（四川）",
                      "国家企业信用信息公示系统（四川）、全国信用信息共享平台（四川）"),
        "nondisclosure_reason": ("不予公开的理由（不公示时填写）", ""),
        "approved_by": ("不予公开的批准人", ""),
        "approver_role": ("批准人职务：本部门主要负责人，或其他职务", ""),
        "archived": ("不予公开手续是否已归档：" + _YES, ""),
        "suspected_crime": ("是否涉嫌犯罪：" + _YES, ""),
        "transferred_on": ("移送司法机关的" + _DATE, ""),
        "note": ("备注（不读取）", ""),
    },
    "progress_report": {
        "seq": ("序号（不读取）", "1"),
        "id": ("报告编号（不得重复）", "rep-sc-2021-Q3"),
        "department": ("报送部门（成员单位；县区联席会议报送时填其名称）", "市市场监管局"),
        "jurisdiction": ("行政区域", "广元市"),
        "reporter": ("报告主体：成员单位（默认）或 联席会议（县区、开发区联席会议向市联席会议报送）", "成员单位"),
        "period": ("报告期：2021-Q3 或 2021年第三季度（季度进展）；2021年度（年度书面总结）", "2021年第三季度"),
        "submitted_on": ("报送的" + _DATE, "2021-09-28"),
        "note": ("备注（不读取）", ""),
    },
    "work_norm": {
        "seq": ("序号（不读取）", "1"),
        "id": ("规范编号（不得重复）", "norm-sc"),
        "name": ("规范（工作细则）名称（不参与检查，报告中显示原文）", "市市场监管局双随机抽查工作细则"),
        "department": ("制定部门", "市市场监管局"),
        "covers": ("规范涵盖的内容，以、分隔：抽取方法、检查流程、审批权限、公示程序、归档方式、工作完成时限",
                   "抽取方法、检查流程、审批权限、公示程序"),
        "note": ("备注（不读取）", ""),
    },
}
# Drop-down lists: field → (the headers.yaml values it offers, strict). A list that is not strict
# warns but keeps what is typed.
FORM_LISTS: dict[str, dict[str, tuple[str, bool]]] = {
    "adjustment": {"action": ("action", True), "methods": ("methods", False), "exception_basis": ("exception", True)},
    "batch": {"origin": ("origin", True), "platform": ("platform", False), "draw_method": ("draw_method", False),
              "methods": ("methods", False), "third_party_qualified": ("yes_no", True)},
    "result": {"published": ("channel", False), "approver_role": ("approver_role", False),
               "archived": ("yes_no", True), "suspected_crime": ("yes_no", True)},
    "progress_report": {"reporter": ("reporter", True)},
    "work_norm": {"covers": ("covers", False)},
}


def form_header(kind: str, fld: str) -> str:
    """The header a register's template writes for a field: its first name in headers.yaml."""
    voc = vocabulary()
    own = voc["form_columns"][kind]
    if fld in own:
        return str(own[fld][0])
    return str(voc["plan_columns"]["id" if fld == "task_id" else fld][0])


def _form_help(kind: str, fld: str) -> tuple[str, str]:
    if fld in HELP_FORMS[kind]:
        return HELP_FORMS[kind][fld]
    return HELP_PLAN.get("id" if fld == "task_id" else fld, ""), ""


def build_form(kind: str) -> Workbook:
    """The blank register of adjustments, batches (with a results sheet), progress reports or work norms."""
    voc = vocabulary()
    wb = Workbook()
    wb.remove(wb.active)
    for part in FORM_SHEETS[kind]:
        spec = voc["form_kinds"][part]
        ws = wb.create_sheet(spec["sheet"])
        ws.cell(1, 1, f"{spec['title']}（一行一份，填写说明见“说明”工作表）").font = Font(bold=True, size=14)
        header_row = 3
        cols = _header(ws, header_row, FORM_COLUMNS[part], {f: [form_header(part, f)] for f in FORM_COLUMNS[part]})
        for fld, (table, strict) in FORM_LISTS[part].items():
            letter = ws.cell(header_row, cols[fld]).column_letter
            dv = _list(voc["terms"][table], strict=strict)
            ws.add_data_validation(dv)
            dv.add(f"{letter}{header_row + 1}:{letter}{header_row + ROWS}")
        for fld in FORM_COLUMNS[part]:  # typed ids stay text: 001 keeps its zeros
            if fld in _TEXT_COLUMNS:
                letter = ws.cell(header_row, cols[fld]).column_letter
                for r in range(header_row + 1, header_row + 1 + ROWS):
                    ws[f"{letter}{r}"].number_format = "@"
    _form_instructions(wb.create_sheet("说明"), kind)
    return wb


_ROW = {"adjustment": "一行一次调整", "batch": "一行一个批次", "result": "一行一户",
        "progress_report": "一行一份报告", "work_norm": "一行一份规范"}


def _form_instructions(ws: Worksheet, kind: str) -> None:
    voc = vocabulary()
    lines: list[list[str]] = [
        ["填写说明"],
        ["；".join(f"“{voc['form_kinds'][p]['sheet']}”表{_ROW[p]}" for p in FORM_SHEETS[kind])
         + "。列名可用下表“同义列名”中的任一写法，列的顺序不限；不需要的列可以删除。"],
        ["单元格按原文读取：能读的读出并在报告证据中同时显示原文与读法；不能读的报为输入错误（注明工作表、行、列名和原文），"
         "不作猜测。留空的单元格视为未填写。填好后用 dsr-check check 本文件 检查（可与年度计划一并检查）。"],
    ]
    if kind == "batch":
        lines.append(["检查结果表一行一户，以“批次编号”对应抽查批次表中的批次；同一批次的多户各占一行。"])
    for part in FORM_SHEETS[kind]:
        own = voc["form_columns"][part]
        lines += [[], [f"“{voc['form_kinds'][part]['sheet']}”表", "", "", "", ""],
                  ["列名", "字段", "说明", "示例", "同义列名"]]
        for fld in FORM_COLUMNS[part]:
            names = own[fld] if fld in own else voc["plan_columns"]["id" if fld == "task_id" else fld]
            what, example = _form_help(part, fld)
            lines.append([str(names[0]), fld, what, example, "、".join(str(n) for n in names[1:])])
    for row in lines:
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=14)
    for w, letter in ((18, "A"), (22, "B"), (60, "C"), (30, "D"), (40, "E")):
        ws.column_dimensions[letter].width = w
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_bytes(kind: str = "plan") -> bytes:
    """The template workbook of any kind a person fills in, as .xlsx bytes."""
    out = io.BytesIO()
    (build(kind) if kind in {"plan", "items"} else build_form(kind)).save(out)
    return out.getvalue()
