"""`dsr-check read` writes what `check` would check; `check` of that file reports as `check` of the tables.

Every table in fixtures/realworld and fixtures/excel is read to JSON, and the
JSON checked: the same findings (rule, subject, status, message, remedy,
evidence with its `_as_written`/`_read_as`, and source sheet/row/column), the
same input errors and reading notes, and the same exit status as checking
the table itself.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import dsr_check
from checker.api import Options, check, read
from checker.cli import app
from checker.read.inputs import RawDocument
from checker.report import Report
from checker.tables import TableOptions
from checker.validate import validate

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = TableOptions(plan=(("level", "department"),), items=(("level", "county"),))
COUNTY = TableOptions(plan=(("level", "conference"), ("jurisdiction", "旺苍县"), ("compiled_on", "2021-01-25"),
                            ("issued_on", "2021-02-03"), ("published_on", "2021-02-05")))
TABLES = [(p, REALWORLD) for p in sorted((ROOT / "fixtures" / "realworld").glob("*.*")) if p.suffix != ".md"] + [
    (p, COUNTY) for p in sorted((ROOT / "fixtures" / "excel").glob("county-plan-2021.*"))]


def _options(tables: TableOptions, lang: str = "zh") -> Options:
    return Options(as_of=dt.date(2025, 12, 31), tables=tables, lang=lang)


def _seen(report: Report) -> dict[str, Any]:
    """What a reader of the report sees, but for the file each thing is in."""
    def finding(f: Any) -> tuple[str, ...]:
        return (f.rule, f.subject, f.status, f.message, f.remedy, f.reason,
                json.dumps(f.evidence, ensure_ascii=False, sort_keys=True),
                json.dumps(f.source, ensure_ascii=False, sort_keys=True))

    def said(e: Any) -> tuple[str, str]:
        return e.message, json.dumps({k: v for k, v in e.source if k != "read_from"}, ensure_ascii=False)

    return {"findings": sorted(map(finding, report.findings)), "errors": sorted(map(said, report.input_errors)),
            "notes": sorted(map(said, report.notes)), "exit": report.exit_code,
            "tallies": report.tallies}


@pytest.mark.parametrize(("path", "tables"), TABLES, ids=[p.name for p, _ in TABLES])
def test_checking_what_read_wrote_reports_as_checking_the_table(tmp_path: Path, path: Path,
                                                                  tables: TableOptions) -> None:
    written = tmp_path / "reading.json"
    written.write_text(json.dumps(read([str(path)], _options(tables)), ensure_ascii=False), encoding="utf-8")
    for lang in ("zh", "en"):
        direct = check([str(path)], _options(tables, lang))
        again = check([str(written)], _options(TableOptions(), lang))
        assert direct.findings, "a table with nothing to find would prove little"
        assert _seen(again) == _seen(direct)


def test_the_documents_read_are_the_contracts_shape_and_keep_every_cells_source_and_reading() -> None:
    path = ROOT / "fixtures" / "realworld" / "qingchuan-2025.xlsx"
    value = read([str(path)], _options(REALWORLD))
    valid, errors = validate([RawDocument("r.json", f"/documents/{i}", d) for i, d in enumerate(value["documents"])])
    assert errors == [] and len(valid) == 1
    tiers = value["cells"]["/documents/0/tasks/1/ratio_tiers"]
    assert (tiers["sheet"], tiers["row"], tiers["column"], tiers["header"]) == (
        "2025年度监管计划", 5, "K", "信用风险分类  抽查比例")
    assert tiers["as_written"] == "按照B类2%（1户）、C类30%（2户）、D类35%（3户）比例抽取"
    assert set(tiers["read_as"]) == {"zh", "en"}
    assert value["cells"]["/documents/0/level"]["option"] == "--plan level=department"
    assert value["unused_columns"] == [{"file": str(path), "path": "/documents/0", "sheet": "2025年度监管计划",
                                        "column": "E", "header": "组织实施 层级"}]
    assert value["reading_notes"][0]["message"].startswith(
        "sheet 2025年度监管计划: read as an annual plan by its title")


def test_an_unreadable_cell_stays_an_input_error_and_its_rule_not_evaluated(tmp_path: Path) -> None:
    table = tmp_path / "plan.csv"
    table.write_text("序号,抽查计划名称,抽查事项,检查对象,检查方式,抽查比例,抽查数量,牵头部门,参与部门,检查日期\n"
                     "1,食品抽查,许可,食品经营者,现场检查,待定,20,县市场监管局,-,3月—10月\n", encoding="utf-8")
    tables = TableOptions(plan=(("level", "department"), ("year", "2021")))
    value = read([str(table)], _options(tables))
    (error,) = value["input_errors"]
    assert error["at"] == "/documents/0/tasks/0/ratio" and "'待定' cannot be read" in error["message"]
    assert value["cells"]["/documents/0/tasks/0/ratio"]["unreadable"] is True
    written = tmp_path / "reading.json"
    written.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    again, direct = check([str(written)], _options(TableOptions())), check([str(table)], _options(tables))
    assert _seen(again) == _seen(direct) and again.exit_code == 2
    (kept,) = again.input_errors
    assert (kept.file, kept.path, dict(kept.source)["read_from"]) == (str(written), error["at"], str(table))


def test_the_command_writes_the_reading_and_exits_as_its_input_errors_say(tmp_path: Path) -> None:
    path = ROOT / "fixtures" / "realworld" / "shanggao-2023.xlsx"
    out = tmp_path / "shanggao.json"
    result = CliRunner().invoke(app, ["read", str(path), "--plan", "level=department", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == dsr_check.read([str(path)], _options(REALWORLD))
    printed = CliRunner().invoke(app, ["read", str(path)])  # no level: an input error, the plan not read
    assert printed.exit_code == 2 and json.loads(printed.stdout)["documents"] == []
    assert "表格未写明“层级”" in printed.stderr  # what a person reads is in the chosen language, Chinese by default
    english = CliRunner().invoke(app, ["read", str(path), "--lang", "en"])
    assert "does not say its level" in english.stderr and english.stdout == printed.stdout
    again = CliRunner().invoke(app, ["read", str(out), "-o", str(out)])
    assert again.exit_code == 3 and "one of the inputs" in again.output


def test_a_folder_of_json_and_yaml_documents_reads_back_to_the_same_findings(tmp_path: Path) -> None:
    """Documents written by hand have no cells: the reading holds them as read (YAML dates as dates)."""
    sample = ROOT / "fixtures" / "sample"
    value = read([str(sample)], _options(TableOptions()))
    assert value["cells"] == {} and value["input_errors"] == [] and value["unused_columns"] == []
    written = tmp_path / "reading.json"
    written.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    options = Options(as_of=dt.date(2021, 12, 31))
    direct, again = check([str(sample)], options), check([str(written)], options)

    def seen(report: Report) -> list[tuple[str, ...]]:
        return sorted((f.rule, f.subject, f.status, f.message) for f in report.findings)

    assert again.documents == direct.documents == len(value["documents"])
    assert seen(again) == seen(direct) and again.exit_code == direct.exit_code == 1
