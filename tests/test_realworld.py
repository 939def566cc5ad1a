"""The seven published tables in fixtures/realworld, read unedited, task by task.

tests/data/realworld_readings.yaml holds what each one reads as (every task's
name, items, objects, ratio/floor, count, lead, participants, window, methods,
exception, item category and credit-tier ratios), reviewed by hand against the
published table; the notes say how each sheet was classified and which columns
were not read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.tables import TableOptions, read_table
from checker.tables import readers as rd

ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "fixtures" / "realworld"
EXPECTED = yaml.safe_load((ROOT / "tests" / "data" / "realworld_readings.yaml").read_text(encoding="utf-8"))
OPTIONS = TableOptions(plan=(("level", "department"),), items=(("level", "county"),))
_TICKED = {"重点事项": "key", "一般事项": "general"}


def _reading(name: str) -> dict[str, Any]:
    path = TABLES / name
    read = read_table(name, path.read_bytes(), path.suffix[1:], OPTIONS)
    assert read.errors == []
    (doc,) = read.documents
    key = "tasks" if doc.data["kind"] == "annual_plan" else "items"
    records = []
    for i, record in enumerate(doc.data[key]):
        record = dict(record)
        category = read.cells.get(f"/{key}/{i}/item_category")
        if category is not None:
            record["item_category"] = _TICKED.get(category.header) or rd.read_value(
                category.text or "", {"重点": "key", "一般": "general"}, "").value
        tiers = read.cells.get(f"/{key}/{i}/ratio_tiers")
        if tiers is not None and tiers.reading is not None:
            record["ratio_tiers_read_as"] = tiers.reading.zh.split("；")[0]
        records.append(record)
    return {"kind": doc.data["kind"], "year": doc.data.get("year"), "not_stated": doc.data.get("not_stated"),
            "records": records,
            "notes": [n.message for n in read.notes]}


def test_every_published_table_is_pinned() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in TABLES.iterdir() if p.suffix in {".xlsx", ".csv"})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_published_table_reads_task_by_task_as_pinned(name: str) -> None:
    assert _reading(name) == EXPECTED[name]


def test_the_csv_export_reads_as_its_workbook() -> None:
    """The GBK export (its sub-header a row of its own) reads as the workbook, but for the ids."""
    workbook, export = _reading("qingchuan-2025.xlsx"), _reading("qingchuan-2025-export.csv")
    strip = [{k: v for k, v in t.items() if k != "id"} for t in workbook["records"]]
    assert [{k: v for k, v in t.items() if k != "id"} for t in export["records"]] == strip


def test_a_key_item_tick_claims_the_key_area_exception_with_its_ratio_as_cap() -> None:
    tasks = _reading("qingchuan-2025.xlsx")["records"]
    assert [t.get("exception") for t in tasks] == [None, None, {"basis": "key_area", "cap": "5%"}]
    assert [t["item_category"] for t in tasks] == ["general", "general", "key"]


def test_an_item_list_with_plan_like_columns_is_read_as_an_item_list_by_its_title() -> None:
    reading = _reading("yiyuan-2023-items.xlsx")
    assert reading["kind"] == "item_list"
    assert reading["notes"][0].startswith("sheet 抽查事项清单: read as an item list by its title")


def test_a_sheet_that_cannot_be_told_is_refused_naming_both_sets_of_headers() -> None:
    text = "序号,抽查事项,检查依据,检查主体,检查时间\n1,甲,法,县局,全年\n".encode()
    read = read_table("t.csv", text, "csv", OPTIONS)
    assert read.documents == []
    (error,) = read.errors
    assert "cannot tell an annual plan from an item list" in error.message
    assert "检查时间" in error.message and "检查依据" in error.message


def test_rows_without_seq_or_name_in_a_csv_continue_the_task_above_with_a_note() -> None:
    text = ("标题：2024年度抽查计划\n序号,任务名称,抽查事项,抽查比例,牵头部门,检查时间\n"
            "1,甲任务,事项一,5%,县局,全年\n,,事项二,,,\n2,乙任务,事项三,3%,县局,全年\n").encode()
    read = read_table("t.csv", text, "csv", TableOptions(plan=(("level", "department"), ("year", "2024"))))
    assert read.errors == []
    tasks = read.documents[0].data["tasks"]
    assert [t["items"] for t in tasks] == [["事项一", "事项二"], ["事项三"]]
    assert any("rows 4 state neither 序号 nor a task name" in n.message for n in read.notes)


@pytest.mark.parametrize(("text", "names"), [
    ("-", []), ("—", []), ("无", []), ("/", []),
    ("人力资源和社会保障、商务、税务部门", ["人力资源和社会保障部门", "商务部门", "税务部门"]),
    ("城乡建设、卫生健康、市场监管部门 消防救援机构", ["城乡建设部门", "卫生健康部门", "市场监管部门", "消防救援机构"]),
    ("县（市、区）粮食行政管理部门", ["县(市、区)粮食行政管理部门"]),
    ("市邮政管理局、\n市公安局", ["市邮政管理局", "市公安局"]),
])
def test_department_cells(text: str, names: list[str]) -> None:
    assert rd.read_names(text).value == names


def test_alternatives_are_refused_never_read_as_a_department() -> None:
    with pytest.raises(rd.CannotRead, match="或"):
        rd.read_names("卫生健康或市场监管部门")


@pytest.mark.parametrize(("text", "bare", "value"), [
    ("10% (20户)", "ratio", {"ratio": "10%", "count": 20}),
    ("5%，1,500户", "ratio", {"ratio": "5%", "count": 1500}),
    ("60-70家", "ratio", {"count": 70, "count_floor": 60}),
    ("1户(实际以联合双随机牵头单位抽查数为准。)", "count", {"count": 1}),
    ("1", "count", {"count": 1}),
    ("4%", "count", {"ratio": "4%"}),
    ("3%;2次/年", "ratio", {"ratio": "3%"}),
    ("每年对经办机构抽查比例之和≥20%;1次/年", "ratio", {"ratio_floor": "20%"}),
])
def test_ratio_and_count_cells_are_read_by_unit(text: str, bare: str, value: dict[str, Any]) -> None:
    assert rd.read_amount(text, bare).value == value


@pytest.mark.parametrize("text", ["市级2% 区级10%", "20户，30户", "A:3%;B:4%;C:5%;D:6%"])
def test_more_than_one_ratio_or_count_in_a_cell_is_refused(text: str) -> None:
    with pytest.raises(rd.CannotRead):
        rd.read_amount(text, "ratio")


def test_credit_tier_ratios_are_read_each_with_its_tier() -> None:
    reading = rd.read_tiers("A:3%;B:4%;C:5%;D:6%")
    assert reading.value == [{"tier": t, "ratio": r} for t, r in (("A", "3%"), ("B", "4%"), ("C", "5%"), ("D", "6%"))]
    assert reading.note is not None and "not of the whole directory" in reading.note.en


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2-11", "2025-02-01", "2025-11-30"), ("2025年9月", "2025-09-01", "2025-09-30"),
    ("5-10月", "2025-05-01", "2025-10-31"), ("10月-次年3月", "2025-10-01", "2026-03-31"),
])
def test_window_cells_of_published_tables(text: str, start: str, end: str) -> None:
    assert rd.read_window(text, 2025).value == {"start": start, "end": end}


def test_numbered_items_split_at_their_numbers_not_at_every_semicolon() -> None:
    from checker.tables.records import Context, _item_names

    text = "1.检查甲；含乙；2.检查丙"
    assert _item_names(text, Context(None, {})).value == ["检查甲；含乙", "检查丙"]


def test_spaces_inside_a_method_do_not_matter() -> None:
    methods = {"现场检查": "on_site", "书面检查": "document"}
    assert rd.read_values("现场  检查", methods, "a method").value == ["on_site"]
    assert rd.read_values("现场检查 书面检查", methods, "a method").value == ["on_site", "document"]


def _check(name: str, *plan: tuple[str, str]) -> Any:
    import datetime as dt

    from checker.api import Options, check

    return check([str(TABLES / name)], Options(as_of=dt.date(2026, 1, 1), lang="en",
                                               tables=TableOptions(plan=(("level", "department"), *plan))))


def test_a_published_table_states_no_plan_date_so_no_deadline_is_judged() -> None:
    report = _check("qingchuan-2025.xlsx")
    assert not [f for f in report.findings if f.rule == "department-plan-submitted" and f.status == "violation"]
    (unjudged,) = [f for f in report.findings if f.rule == "department-plan-submitted"]
    assert unjudged.status == "not_evaluated"
    assert "--plan submitted_on=YYYY-MM-DD" in unjudged.reason


def test_a_date_said_not_done_is_judged() -> None:
    report = _check("qingchuan-2025.xlsx", ("submitted_on", "none"))
    assert [(f.rule, f.status) for f in report.findings if f.rule == "department-plan-submitted"] == [
        ("department-plan-submitted", "violation")]


def test_the_report_says_how_each_sheet_was_read_in_its_language() -> None:
    from checker.reporters import REPORTERS

    zh = REPORTERS["text"](_check_lang("panzhihua-2024.xlsx", "zh"))
    assert "读取说明 (2):" in zh and "读作年度抽查计划" in zh and "未读取的列：J 检查对象 抽取层级" in zh
    data = _check_lang("panzhihua-2024.xlsx", "en").to_dict()
    assert [n["message"] for n in data["reading_notes"]][1] == "sheet Sheet1: columns not read: J 检查对象 抽取层级"


def _check_lang(name: str, lang: str) -> Any:
    import datetime as dt

    from checker.api import Options, check

    return check([str(TABLES / name)], Options(as_of=dt.date(2026, 1, 1), lang=lang,
                                               tables=TableOptions(plan=(("level", "department"),))))


def test_the_county_table_checked_unedited_yields_only_true_findings() -> None:
    """青川 2025: no date breach, no 未写明 for a stated field (its tier ratios state its ratio); what
    remains is true: each task names no participant ("-")."""
    report = _check("qingchuan-2025.xlsx")
    assert report.input_errors == []
    assert sorted((f.rule, f.subject) for f in report.of("violation")) == [
        ("joint-task-has-participant", f"qingchuan-2025-{i}") for i in (1, 2, 3)]


def _with_formulas(tmp_path: Path, cached: str | None) -> bytes:
    """The 青川 table with E... its 抽查户数 of task 1 as a formula, saved with `cached` as its value (or none)."""
    import io
    import re
    import zipfile

    import openpyxl

    book = openpyxl.load_workbook(TABLES / "qingchuan-2025.xlsx")
    book.worksheets[0]["J4"] = "=10+10"
    out = io.BytesIO()
    book.save(out)
    if cached is None:
        return out.getvalue()
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(<c r=\"J4\"[^>]*>\s*<f>[^<]*</f>)\s*(?:<v\s*/>|<v>[^<]*</v>)?",
                              rb"\1<v>" + cached.encode() + rb"</v>", data)
            dst.writestr(info, data)
    return patched.getvalue()


def test_a_formula_is_read_by_its_saved_value_with_a_note_naming_the_cell(tmp_path: Path) -> None:
    read = read_table("t.xlsx", _with_formulas(tmp_path, "20"), "xlsx", OPTIONS)
    assert read.errors == []
    assert read.documents[0].data["tasks"][0]["count"] == 20
    assert any("cell J4 holds the formula =10+10: the value saved with it, '20', is read" in n.message
               for n in read.notes)


def test_a_formula_with_no_saved_value_is_refused_naming_the_cell(tmp_path: Path) -> None:
    read = read_table("t.xlsx", _with_formulas(tmp_path, None), "xlsx", OPTIONS)
    (error,) = read.errors
    assert "row 4 column J" in error.message and "a formula with no value saved" in error.message
    assert "count" not in read.documents[0].data["tasks"][0]


def test_a_table_in_a_sheet_named_like_instructions_is_not_skipped_silently() -> None:
    import io

    import openpyxl

    book = openpyxl.load_workbook(TABLES / "shanggao-2023.xlsx")
    book.worksheets[0].title = "说明"
    out = io.BytesIO()
    book.save(out)
    read = read_table("t.xlsx", out.getvalue(), "xlsx", OPTIONS)
    assert read.documents == []
    assert [n.message for n in read.notes] == [
        "sheet 说明: holds a table but is not read, as a sheet of that name never is; rename it to read it"]
