"""Plans published as .xls workbooks or as Word tables read as the .xlsx does; other office files are refused.

The tests build the files: every published .xlsx in fixtures/realworld is written
cell for cell, merged ranges included, as an .xls (xlwt) and as a Word table
(python-docx), and must read to the same documents.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path

import pytest

from checker.read.load import load
from checker.tables import TableOptions, read_table
from checker.tables.grid import read_xlsx
from checker.tables.spans import MAX_CELLS
from checker.tables.xls import MAX_XLS_BYTES
from tests.office import docx_bytes, xls_bytes

ROOT = Path(__file__).resolve().parent.parent
TABLES = sorted((ROOT / "fixtures" / "realworld").glob("*.xlsx"))
OPTIONS = TableOptions(plan=(("level", "department"),), items=(("level", "county"),))


def _documents(name: str, data: bytes, syntax: str) -> list[dict]:
    read = read_table(name, data, syntax, OPTIONS)
    assert read.errors == []
    return [d.data for d in read.documents]


@pytest.mark.parametrize("path", TABLES, ids=[p.name for p in TABLES])
@pytest.mark.parametrize("syntax", ["xls", "docx"])
def test_a_published_workbook_saved_as_xls_or_word_reads_to_the_same_documents(path: Path, syntax: str) -> None:
    sheets, _ = read_xlsx(path.name, path.read_bytes())
    data = xls_bytes(sheets) if syntax == "xls" else docx_bytes(sheets)
    assert _documents(f"{path.stem}.{syntax}", data, syntax) == _documents(path.name, path.read_bytes(), "xlsx")


def test_the_qingchuan_plan_as_a_word_table_keeps_its_title_ticks_and_tiers() -> None:
    path = ROOT / "fixtures" / "realworld" / "qingchuan-2025.xlsx"
    sheets, _ = read_xlsx(path.name, path.read_bytes())
    read = read_table("qingchuan-2025.docx", docx_bytes(sheets), "docx", OPTIONS)
    (doc,) = read.documents
    assert doc.data["year"] == 2025  # from the title paragraph above the table
    assert read.cells["/year"].text == "青川县市场监督管理局2025年度“双随机、一公开”监管计划"
    assert [t.get("exception") for t in doc.data["tasks"]] == [None, None, {"basis": "key_area", "cap": "5%"}]
    assert read.cells["/tasks/1/ratio_tiers"].sheet == "表1"


def _word_plan() -> bytes:
    """A Word plan: title and year above the table, 任务名称 merged down over three 抽查事项 rows."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件1")
    document.add_paragraph("某县市场监管局“双随机、一公开”抽查计划")
    document.add_paragraph("年度：2025")
    headers = ["序号", "任务名称", "抽查事项", "检查对象", "抽查比例", "检查时间", "牵头部门", "参与部门"]
    rows = [["1", "食品经营抽查", "许可情况", "食品经营者", "5%", "5-10月", "县市场监管局", "-"],
            ["", "", "进货查验", "", "", "", "", ""],
            ["", "", "标签标识", "", "", "", "", ""],
            ["2", "广告抽查", "广告发布登记", "广告经营者", "3%", "全年", "县市场监管局", "县文旅局"]]
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    for c, h in enumerate(headers):
        table.cell(0, c).text = h
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for c in (0, 1, 3, 4, 5, 6, 7):  # one task over three item rows
        table.cell(1, c).merge(table.cell(3, c))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_task_name_merged_down_in_word_is_one_task_holding_each_rows_item() -> None:
    data = _word_plan()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert 'w:vMerge w:val="restart"' in xml and "<w:vMerge/>" in xml  # Word's own vertical merge
    read = read_table("plan.docx", data, "docx", OPTIONS)
    assert read.errors == []
    (doc,) = read.documents
    assert doc.data["year"] == 2025
    tasks = doc.data["tasks"]
    assert [(t["name"], t["items"]) for t in tasks] == [("食品经营抽查", ["许可情况", "进货查验", "标签标识"]),
                                                       ("广告抽查", ["广告发布登记"])]
    assert (tasks[0]["ratio"], tasks[0]["lead"], tasks[0]["participants"]) == ("5%", "县市场监管局", [])
    assert tasks[0]["window"] == {"start": "2025-05-01", "end": "2025-10-31"}
    assert read.cells["/tasks/0/items"].sheet == "表1"


def test_an_xls_reads_numbers_percents_and_dates_as_a_person_sees_them() -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("抽查计划")
    ws.write(0, 0, "2024年度双随机抽查计划")
    headers = ["序号", "任务名称", "抽查事项", "检查对象", "抽查比例", "抽查户数", "检查时间", "牵头部门"]
    for c, h in enumerate(headers):
        ws.write(1, c, h)
    percent, day = xlwt.easyxf(num_format_str="0%"), xlwt.easyxf(num_format_str="YYYY-MM-DD")
    ws.write(2, 0, 1)
    for c, text in ((1, "食品抽查"), (2, "许可情况"), (3, "食品经营者"), (7, "县市场监管局")):
        ws.write(2, c, text)
    ws.write(2, 4, 0.05, percent)
    ws.write(2, 5, 20)
    ws.write(2, 6, dt.date(2024, 9, 30), day)
    out = io.BytesIO()
    book.save(out)
    read = read_table("plan.xls", out.getvalue(), "xls", OPTIONS)
    assert read.errors == []
    (task,) = read.documents[0].data["tasks"]
    assert (task["ratio"], task["count"]) == ("5%", 20)
    assert read.cells["/tasks/0/ratio"].text == "5%" and read.cells["/tasks/0/window"].text == "2024-09-30"


def test_an_xlsx_saved_under_an_xls_name_is_read_as_a_workbook() -> None:
    path = ROOT / "fixtures" / "realworld" / "shanggao-2023.xlsx"
    assert _documents("shanggao-2023.xls", path.read_bytes(), "xls") == _documents(
        path.name, path.read_bytes(), "xlsx")


@pytest.mark.parametrize(("data", "said"), [
    (b"<html><table><tr><td>1</td></tr></table></html>", "not an Excel 97–2003 workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "cannot read the .xls workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(MAX_XLS_BYTES), "the limit for .xls is"),
])
def test_an_xls_that_is_not_a_workbook_or_too_large_is_refused_saying_how_to_save_it(data: bytes, said: str) -> None:
    read = read_table("plan.xls", data, "xls", OPTIONS)
    (error,) = read.errors
    assert said in error.message and error.message.endswith("save it as .xlsx or .docx")
    assert read.documents == []


def test_a_word_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", bytes(4 * 2**20))
    (error,) = read_table("plan.docx", out.getvalue(), "docx", OPTIONS).errors
    assert "expands" in error.message


def test_a_word_table_past_the_cell_budget_is_refused() -> None:
    """A cell claiming 150 columns, merged down more rows than the budget lets 150 columns fill."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    # each row's own random text keeps the archive's ratio under the zip guard's
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="150"/><w:vMerge{}/></w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>'
    noise = random.Random(0)
    rows = [cell.format(' w:val="restart"' if r == 0 else "", noise.getrandbits(64))
            for r in range(MAX_CELLS // 150 + 1)]
    table = parse_xml(f"<w:tbl {nsdecls('w')}><w:tblGrid/>" + "".join(f"<w:tr>{c}</w:tr>" for c in rows)
                      + "</w:tbl>")
    document = docx.Document()
    document.element.body.insert(0, table)
    out = io.BytesIO()
    document.save(out)
    (error,) = read_table("big.docx", out.getvalue(), "docx", OPTIONS).errors
    assert f"more than {MAX_CELLS} cells" in error.message


def test_a_word_document_without_a_table_says_so() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("抽查计划见附件")
    out = io.BytesIO()
    document.save(out)
    (error,) = read_table("notice.docx", out.getvalue(), "docx", OPTIONS).errors
    assert error.message.startswith("the Word document holds no table")


@pytest.mark.parametrize("name", ["plan.doc", "plan.et", "plan.wps", "PLAN.DOC"])
def test_an_office_file_that_is_not_read_is_an_input_error_named_or_found(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    (tmp_path / "notes.txt").write_text("not an input", encoding="utf-8")
    for given in (tmp_path, tmp_path / name):
        loaded = load([str(given)])
        (error,) = loaded.errors
        assert error.file == (tmp_path / name).as_posix()
        assert error.message.endswith("are not read: save it as .xlsx or .docx")
        assert loaded.files == {}


def test_the_refusal_reads_in_chinese() -> None:
    from checker.messages import in_chinese

    assert in_chinese(".doc files (a Word 97–2003 document) are not read: save it as .xlsx or .docx") == (
        "不读取 .doc 文件：请另存为 .xlsx 或 .docx")
