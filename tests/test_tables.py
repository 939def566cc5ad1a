"""Spreadsheet inputs: free-text cells read exactly (or refused), synonym and two-row headers,
findings that point to the cell and show what was written and how it was read."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from checker.api import Options, check
from checker.cli import app
from checker.tables import TableOptions, read_table
from checker.tables import readers as rd

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "excel"
COUNTY = ["--plan", "level=conference", "--plan", "jurisdiction=旺苍县", "--plan", "compiled_on=2021-01-25",
          "--plan", "issued_on=2021-02-03", "--plan", "published_on=2021-02-05"]


# --- the readings, one by one ------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [
    ("5%", {"ratio": "5%"}), ("0.5%", {"ratio": "0.5%"}), ("0.05", {"ratio": "5%"}), ("５％", {"ratio": "5%"}),
    ("不超过5%", {"ratio": "5%"}), ("5%以内", {"ratio": "5%"}), ("不低于0.5%", {"ratio_floor": "0.5%"}),
    ("10-20%", {"ratio": "20%", "ratio_floor": "10%"}), ("3%;2次/年", {"ratio": "3%"}),
    ("1%～3%", {"ratio": "3%", "ratio_floor": "1%"}),
])
def test_ratio_cells_are_read_exactly(text: str, value: dict[str, str]) -> None:
    assert rd.read_ratio(text).value == value


def test_a_floor_is_not_a_cap_and_says_so() -> None:
    note = rd.read_ratio("不低于0.5%").note
    assert note and "不是上限" in note.zh and "not a cap" in note.en
    assert "2次/年" in rd.read_ratio("3%;2次/年").note.zh


@pytest.mark.parametrize("text", ["约5%", "5%、10%", "很多", "120%", "20-10%", "1.5"])
def test_ratio_cells_that_cannot_be_read_are_refused(text: str) -> None:
    with pytest.raises(rd.CannotRead):
        rd.read_ratio(text)


@pytest.mark.parametrize(("text", "value"), [
    ("20", {"count": 20}), ("13户", {"count": 13}), ("1,000家", {"count": 1000}), ("不超过20户", {"count": 20}),
    ("不少于3户", {"count_floor": 3}), ("10-20户", {"count": 20, "count_floor": 10}), ("13.0", {"count": 13}),
])
def test_count_cells(text: str, value: dict[str, int]) -> None:
    assert rd.read_count(text).value == value


@pytest.mark.parametrize("text", ["待定", "5%", "约20户", "2.5户", "20次"])
def test_count_cells_that_cannot_be_read(text: str) -> None:
    with pytest.raises(rd.CannotRead):
        rd.read_count(text)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2021-03-01至2021-06-30", "2021-03-01", "2021-06-30"),
    ("2021年3月1日-6月30日", "2021-03-01", "2021-06-30"),
    ("3.20-4.30", "2021-03-20", "2021-04-30"),
    ("3月—12月", "2021-03-01", "2021-12-31"),
    ("1月-12月", "2021-01-01", "2021-12-31"),
    ("2月", "2021-02-01", "2021-02-28"),
    ("10月31日前", "2021-01-01", "2021-10-31"),
    ("11月20日前完成", "2021-01-01", "2021-11-20"),
    ("10月底前", "2021-01-01", "2021-10-31"),
    ("全年", "2021-01-01", "2021-12-31"),
    ("下半年", "2021-07-01", "2021-12-31"),
    ("第二季度", "2021-04-01", "2021-06-30"),
    ("2021年4月至10月", "2021-04-01", "2021-10-31"),
    ("2021-05-06", "2021-05-06", "2021-05-06"),
])
def test_window_cells(text: str, start: str, end: str) -> None:
    assert rd.read_window(text, 2021).value == {"start": start, "end": end}


@pytest.mark.parametrize(("text", "year"), [("待定", 2021), ("3.20-4.30", None), ("6月-3月", 2021),
                                            ("2.30-3.1", 2021), ("13月", 2021)])
def test_window_cells_that_cannot_be_read(text: str, year: int | None) -> None:
    with pytest.raises(rd.CannotRead):
        rd.read_window(text, year)


def test_the_year_a_window_borrows_is_named_in_its_reading() -> None:
    assert "年份取计划年度 2021" in rd.read_window("3.20-4.30", 2021).note.zh
    assert rd.read_window("2021-03-01至2021-06-30", 2021).note is None  # read as written


def test_names_and_fixed_values() -> None:
    assert rd.read_names("县卫生健康局、县农业农村局等").value == ["县卫生健康局", "县农业农村局"]
    with pytest.raises(rd.CannotRead, match="one lead"):
        rd.read_one_name("县市场监管局、县卫生健康局")
    methods = {"实地核查": "on_site", "书面检查": "document"}
    assert rd.read_values("实地核查、书面检查", methods, "a method").value == ["on_site", "document"]
    with pytest.raises(rd.CannotRead, match="抽样检测"):
        rd.read_values("实地核查、抽样检测", methods, "a method")


# --- a county plan as published, checked without editing it ----------------------------
@pytest.fixture(scope="module")
def county() -> dict:
    result = CliRunner().invoke(app, ["check", str(FIXTURES / "county-plan-2021.xlsx"), "--as-of", "2021-12-31",
                                      "--format", "json", *COUNTY])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_the_county_plan_is_read_with_its_synonym_and_two_row_headers(county: dict) -> None:
    assert county["input_errors"] == []
    found = {(v["rule"], v["subject"]) for v in county["violations"]}
    assert found == {
        ("task-window-by-nov-20", "county-plan-2021-2"),   # 3月—12月
        ("task-window-by-nov-20", "county-plan-2021-3"),   # 1月-12月
        ("sampling-ratio-cap", "county-plan-2021-4"),      # 13户 of 200
        ("sampling-ratio-cap", "county-plan-2021-5"),      # 12户 of 60
        ("stated-ratio-cap", "county-plan-2021-5"),        # 10-20%: the upper end, and the floor
        ("task-window-by-nov-20", "county-plan-2021-5"),   # 全年
    }
    satisfied = {t["rule"]: t for t in county["rules"]}
    assert satisfied["stated-ratio-cap"]["satisfied"] == 6  # 不超过5%, 3%;2次/年, 0.05, 不低于0.5%, 5%, 5%
    assert satisfied["task-window-by-nov-20"]["satisfied"] == 4  # 3.20-4.30, 10月31日前, 11月20日前完成, dates


def test_every_reading_behind_a_finding_is_in_its_evidence(county: dict) -> None:
    for v in county["violations"]:
        written = {k[: -len("_as_written")] for k in v["evidence"] if k.endswith("_as_written")}
        read = {k[: -len("_read_as")] for k in v["evidence"] if k.endswith("_read_as")}
        assert written == read and written, v
    window = next(v for v in county["violations"] if v["subject"] == "county-plan-2021-2")
    assert window["evidence"]["window_as_written"] == "3月—12月"
    assert window["evidence"]["window_read_as"] == "2021-03-01 至 2021-12-31（年份取计划年度 2021）"
    assert window["evidence"]["window_end"] == "2021-12-31"
    ratio = next(v for v in county["violations"]
                 if v["rule"] == "stated-ratio-cap" and v["path"].endswith("/ratio"))
    assert ratio["evidence"]["ratio_as_written"] == "10-20%" and ratio["evidence"]["ratio"] == "20%"
    count = next(v for v in county["violations"] if v["subject"] == "county-plan-2021-4")
    assert (count["evidence"]["count_as_written"], count["evidence"]["count"]) == ("13户", 13)


def test_findings_point_to_sheet_row_and_column(county: dict) -> None:
    count = next(v for v in county["violations"] if v["subject"] == "county-plan-2021-4")
    assert count["source"] == {"file": str(FIXTURES / "county-plan-2021.xlsx"), "sheet": "抽查计划", "row": 7,
                               "column": "G", "header": "抽查户数（户）"}
    ws = openpyxl.load_workbook(FIXTURES / "county-plan-2021.xlsx")["抽查计划"]
    assert ws["G7"].value == "13户"


def test_the_year_comes_from_the_title_and_says_so() -> None:
    """The compilation date is said not done (--plan compiled_on=none): its breach carries the year."""
    report = check([str(FIXTURES / "county-plan-2021.xlsx")],
                   Options(as_of=dt.date(2021, 12, 31),
                           tables=TableOptions(plan=(("level", "conference"), ("compiled_on", "none")))))
    compiled = next(f for f in report.of("violation") if f.rule == "conference-plan-compiled")
    assert compiled.evidence["year"] == 2021 and compiled.evidence["year_read_as"] == "2021（取自标题）"
    assert compiled.evidence["year_as_written"].startswith("旺苍县2021年度")


def test_the_gbk_csv_export_gives_the_same_findings(county: dict) -> None:
    raw = (FIXTURES / "county-plan-2021.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    result = CliRunner().invoke(app, ["check", str(FIXTURES / "county-plan-2021.csv"), "--as-of", "2021-12-31",
                                      "--format", "json", *COUNTY])
    csv_report = json.loads(result.stdout)

    def key(r: dict) -> list:
        return sorted((v["rule"], v["subject"], v["path"], json.dumps(v["evidence"], ensure_ascii=False))
                      for v in r["violations"])
    assert key(csv_report) == key(county)


def test_the_committed_fixture_is_what_its_script_makes(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_county_plan", FIXTURES / "make_county_plan.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.workbook()
    committed = openpyxl.load_workbook(FIXTURES / "county-plan-2021.xlsx")
    for a, b in zip(fresh.worksheets, committed.worksheets, strict=True):
        assert [[c.value for c in r] for r in a.iter_rows()] == [[c.value for c in r] for r in b.iter_rows()]
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
    assert (FIXTURES / "county-plan-2021.csv").read_bytes() == module.csv_text().encode("gb18030")


# --- cells that cannot be read -------------------------------------------------------
def _workbook(tmp_path: Path, rows: list[list], block: list[list] | None = None) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "计划"
    for r in block or [["年度", 2021], ["层级", "部门"], ["部门", "县市场监管局"], ["报送日期", "2020-12-20"]]:
        ws.append(r)
    ws.append(["序号", "任务名称", "抽查事项", "检查对象", "抽查基数", "检查方式", "抽查比例", "抽查数量", "牵头部门",
               "参与部门", "检查时间"])
    for r in rows:
        ws.append(r)
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return str(path)


def _items(tmp_path: Path) -> str:
    """An item list that does not say its level."""
    wb = openpyxl.Workbook()
    wb.active.append(["县级抽查事项清单"])
    wb.active.append(["序号", "抽查事项", "事项类别", "检查主体", "检查对象"])
    wb.active.append([1, "食品生产监督检查", "重点", "县市场监管局", "食品生产企业"])
    wb.save(tmp_path / "items.xlsx")
    return str(tmp_path / "items.xlsx")


ROW = [1, "食品联合抽查", "食品生产监督检查", "食品生产企业", 1000, "实地核查", "5%", 50, "县市场监管局",
       "县卫生健康局", "3月-6月"]


def test_an_unreadable_cell_is_an_input_error_naming_its_cell_and_its_rule_not_evaluated(tmp_path: Path) -> None:
    row = list(ROW)
    row[7] = "若干"
    report = check([_workbook(tmp_path, [row])], Options(as_of=dt.date(2021, 12, 31)))
    [e] = report.input_errors
    assert e.path == "/tasks/0/count" and "若干" in e.message and "sheet 计划 row 6 column H (抽查数量)" in e.message
    assert dict(e.source) == {"sheet": "计划", "row": 6, "column": "H", "header": "抽查数量"}
    assert not [f for f in report.of("violation") if f.subject == "plan-1"]
    stated = [f for f in report.of("not_evaluated") if f.rule == "task-contents-stated"]
    assert stated and "计划!H6" in stated[0].reason
    assert report.exit_code == 2


def test_a_damaged_or_headerless_workbook_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    report = check([str(bad)], Options(as_of=dt.date(2021, 12, 31)))
    assert report.input_errors[0].message == "not a zip archive (an .xlsx workbook is one)"
    wb = openpyxl.Workbook()
    wb.active.append(["随便", "什么"])
    wb.save(tmp_path / "none.xlsx")
    report = check([str(tmp_path / "none.xlsx")], Options(as_of=dt.date(2021, 12, 31)))
    assert "no header row found" in report.input_errors[0].message


def test_plan_fields_come_from_the_header_block_or_the_command_line(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [ROW], block=[["行政区域：利州区"]])
    read = read_table(path, Path(path).read_bytes(), "xlsx",
                      TableOptions(plan=(("year", "2021"), ("层级", "部门"), ("jurisdiction", "昭化区"))))
    doc = read.documents[0].data
    assert (doc["year"], doc["level"], doc["jurisdiction"]) == (2021, "department", "利州区")
    assert [e.message for e in read.errors] == [
        "the workbook says jurisdiction is '利州区', --plan says '昭化区'; the workbook's is kept"]
    assert read.cells["/year"].option == "--plan year=2021"


def test_item_names_map_to_the_ids_of_a_supplied_item_list(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [[*ROW[:2], "食品生产监督检查；未列入的事项", *ROW[3:]]])
    items = tmp_path / "items.json"
    items.write_text(json.dumps({"kind": "item_list", "id": "L1", "level": "provincial", "items": [
        {"id": "I-01", "name": "食品 生产监督检查", "department": "县市场监管局"}]}, ensure_ascii=False),
        encoding="utf-8")
    report = check([path, str(items)], Options(as_of=dt.date(2021, 12, 31)))
    [off] = [f for f in report.of("violation") if f.rule == "task-item-on-list"]
    assert off.evidence["item"] == "未列入的事项" and off.path == "/tasks/0/items/1"
    assert "I-01（清单中同名事项）" in off.evidence["items_read_as"]


def test_a_zip_bomb_named_xlsx_is_refused_before_unpacking(tmp_path: Path) -> None:
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", bytes(8 * 2**20))  # 8 MiB of zeros, ~8 KiB packed
    report = check([str(bomb)], Options(as_of=dt.date(2021, 12, 31)))
    [e] = report.input_errors
    assert e.file == str(bomb) and "zip bomb" in e.message and dict(e.source) == {"member": "xl/sharedStrings.xml"}


def test_a_table_that_does_not_say_its_level_names_what_to_add() -> None:
    result = CliRunner().invoke(app, ["check", str(FIXTURES / "county-plan-2021.xlsx"), "--as-of", "2021-12-31",
                                      "--format", "json", "--lang", "en"])
    assert result.exit_code == 2
    [error] = json.loads(result.stdout)["input_errors"]
    assert "does not say its level (层级" in error["message"] and "--plan level=" in error["message"]


@pytest.mark.parametrize("kind", ["annual_plan", "item_list"])
def test_every_level_the_hint_suggests_is_then_accepted(tmp_path: Path, kind: str) -> None:
    path = _workbook(tmp_path, [ROW], block=[["年度：2021"]]) if kind == "annual_plan" else _items(tmp_path)
    [error] = read_table(path, Path(path).read_bytes(), "xlsx").errors
    suggested = re.search(r"e\.g\. (.+?)\)", error.message).group(1).split(" / ")
    option = "plan" if kind == "annual_plan" else "items"
    assert f"--{option} level={suggested[-1]}" in error.message and len(suggested) >= 2
    for level in suggested:
        read = read_table(path, Path(path).read_bytes(), "xlsx", TableOptions(**{option: (("level", level),)}))
        assert read.errors == [] and read.documents[0].data["level"], level


def test_the_same_field_given_twice_on_the_command_line_is_a_conflict(tmp_path: Path) -> None:
    path = _workbook(tmp_path, [ROW], block=[["层级：部门"]])
    read = read_table(path, Path(path).read_bytes(), "xlsx", TableOptions(plan=(("year", "2021"), ("年度", "2022"))))
    assert [e.message for e in read.errors] == ["--plan year=2021 and --plan 年度=2022 conflict: give year once"]
    assert read.documents[0].data["year"] == 2021


# --- bounded cost: counted, not timed ---------------------------------------------------------
def test_a_csv_past_the_row_limit_is_refused_as_it_is_read(tmp_path: Path) -> None:
    """60 MB of newlines raised MemoryError (20 MB peaked at 1.58 GB): every row was listed first."""
    import tracemalloc

    from checker.tables.grid import MAX_ROWS, read_csv

    data = b"\n" * (4 * 2**20)
    tracemalloc.start()
    try:
        sheets, errors = read_csv("many.csv", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sheets == [] and [e.message for e in errors] == [f"more than {MAX_ROWS} rows; the limit is {MAX_ROWS}"]
    assert peak < 12 * len(data)  # the text, its StringIO and MAX_ROWS rows: 27 MB (listing all 4M rows: ~300 MB)
    sheets, errors = read_csv("wide.csv", b"," * 1000)
    assert sheets == [] and errors[0].message == "row 1 has 1001 columns; the limit is 200"


def _plan_csv(rows: int) -> bytes:
    head = "年度,2021\n层级,部门\n部门,县市场监管局\n报送日期,2020-12-20\n" \
           "序号,任务名称,抽查事项,检查对象,抽查基数,检查方式,抽查比例,抽查数量,牵头部门,参与部门,检查时间\n"
    body = "".join(f"{i},任务{i},事项{i},企业,1000,实地核查,5%,{50 + i % 3},县市场监管局,县卫生健康局,3月-6月\n"
                   for i in range(1, rows + 1))
    return (head + body).encode("utf-8")


def test_reading_a_table_is_linear_in_its_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """3,000 CSV rows took 10.5 s and 10,000 over 60 s: the sheet's width per row, and every cell of
    the file sorted once per record for the findings' places."""
    import builtins

    import checker.sources
    from checker.tables.grid import Sheet

    counts = {"width": 0, "sorted": 0}
    width = Sheet.width

    def counted_width(self: Sheet) -> int:
        counts["width"] += 1
        return width(self)

    def counted_sorted(values, *args, **kwargs):  # type: ignore[no-untyped-def]
        out = builtins.sorted(values, *args, **kwargs)
        counts["sorted"] += len(out)
        return out

    monkeypatch.setattr(Sheet, "width", counted_width)
    monkeypatch.setattr(checker.sources, "sorted", counted_sorted, raising=False)
    spent = []
    for rows in (300, 600):
        counts.update(width=0, sorted=0)
        f = tmp_path / f"plan-{rows}.csv"
        f.write_bytes(_plan_csv(rows))
        report = check([str(f)], Options(as_of=dt.date(2021, 12, 31)))
        assert report.input_errors == [] and len(report.of("violation")) >= rows // 3  # 51 and 52 of 1000: over 5%
        spent.append(dict(counts))
    assert spent[0]["width"] == spent[1]["width"] <= 31  # once per row above the header (at most 30), not per row
    assert spent[1]["sorted"] <= 2.2 * spent[0]["sorted"]


def _wide_workbook(path: Path, rows: int, columns: int, merge: str | None = None) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "大表"
    for r in range(rows):
        ws.append([f"r{r}c{c}" for c in range(columns)])
    if merge:
        ws.merge_cells(merge)
    wb.save(path)


def test_a_workbook_is_read_streaming_within_a_cell_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 6.7 MB workbook within the row and column limits took over 60 s and 3.3 GB, loaded whole:
    now read a row at a time, and refused past MAX_CELLS (merged ranges counted as the cells they fill)."""
    from checker.tables import grid

    monkeypatch.setattr(grid, "MAX_CELLS", 1000)
    cases = [((40, 20, None), None),  # 800 cells
             ((60, 20, None), "the workbook holds more than 1000 cells"),
             ((60, 20, "A1:T50"), "the workbook's merged ranges fill more than 1000 cells"),
             ((2, 201, None), "sheet 大表 row 1 has 201 columns")]
    for (rows, columns, merge), refused in cases:
        path = tmp_path / f"w{rows}-{columns}-{merge is not None}.xlsx"
        _wide_workbook(path, rows, columns, merge)
        sheets, errors = grid.read_xlsx(str(path), path.read_bytes())
        if refused is None:
            assert errors == [] and len(sheets[0].rows) == rows and sheets[0].text(rows - 1, columns - 1) == \
                f"r{rows - 1}c{columns - 1}"
        else:
            assert sheets == [] and len(errors) == 1 and errors[0].message.startswith(refused), errors


def test_merged_ranges_are_read_from_the_sheet_itself(tmp_path: Path) -> None:
    from checker.tables.grid import read_xlsx

    path = tmp_path / "merged.xlsx"
    _wide_workbook(path, 6, 4, "B2:C4")
    [sheet], errors = read_xlsx(str(path), path.read_bytes())
    assert errors == [] and sheet.text(3, 2) == "r1c1" and sheet.spans[(3, 2)] == (1, 1, 3, 2)
    assert sheet.text(4, 2) == "r4c2" and (4, 2) not in sheet.spans


@pytest.mark.parametrize("chunk", [7, 100, 1 << 20])
def test_merged_ranges_read_from_the_xml_are_openpyxls_whatever_the_chunks(chunk: int,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A range whose tag straddled the end of a chunk was lost (the real tables' headers lost merged cells)."""
    from checker.tables import grid

    monkeypatch.setattr(grid, "_CHUNK", chunk)
    books = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "realworld").glob("*.xlsx"))
    assert books
    for book in [*books, FIXTURES / "county-plan-2021.xlsx"]:
        whole = openpyxl.load_workbook(book)
        streamed = openpyxl.load_workbook(book, read_only=True)
        for ws, ro in zip(whole.worksheets, streamed.worksheets, strict=True):
            want = sorted((r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in ws.merged_cells.ranges)
            assert grid._merged_ranges(ro) == want, (book.name, ws.title)
        streamed.close()
