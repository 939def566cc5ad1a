"""The workbook templates of adjustments, batches with results, progress reports and work norms.

Each template is filled with openpyxl, as an official fills it in Excel, with the
sample's own documents (fixtures/sample); the workbook must read back as exactly
those documents, and the sample checked with the workbook in place of the YAML
must say the same things (rule, clause, document, subject, message, evidence),
each finding pointing at the workbook's cells.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from checker.api import Options, check, read
from checker.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"
runner = CliRunner()

METHODS = {"on_site": "实地核查", "document": "书面检查", "online": "网络监测", "third_party": "委托第三方"}
ACTIONS = {"add": "新增", "remove": "删除", "change": "变更"}
ORIGINS = {"plan": "随机计划", "complaint": "投诉举报", "referral": "转办交办", "monitoring": "数据监测"}
CHANNELS = {"gsxt_sichuan": "国家企业信用信息公示系统（四川）", "creditchina_sichuan": "全国信用信息共享平台（四川）"}
COVERS = {"draw_method": "抽取方法", "process": "检查流程", "approval": "审批权限", "publication": "公示程序",
          "archiving": "归档方式", "time_limits": "工作完成时限"}
YES = {True: "是", False: "否"}
Cell = Callable[[dict[str, Any]], Any]


def _at(*path: str) -> Cell:
    def get(doc: dict[str, Any]) -> Any:
        node: Any = doc
        for p in path:
            node = node.get(p) if isinstance(node, dict) else None
        return node
    return get


def _joined(*path: str, words: dict[Any, str] | None = None, sep: str = "、") -> Cell:
    return lambda doc: sep.join(words[v] if words else v for v in _at(*path)(doc) or ()) or None


def _word(words: dict[Any, str], *path: str) -> Cell:
    return lambda doc: None if (v := _at(*path)(doc)) is None else words[v]


def _as_date(*path: str) -> Cell:
    """A date as Excel stores a typed date (the cell, not its text)."""
    return lambda doc: None if (v := _at(*path)(doc)) is None else dt.datetime.fromisoformat(v)


def _cn_date(*path: str) -> Cell:
    return lambda doc: None if (v := _at(*path)(doc)) is None else f"{v[:4]}年{int(v[5:7])}月{int(v[8:])}日"


def _window(doc: dict[str, Any]) -> str | None:
    w = _at("task", "window")(doc)
    return f"{w['start']}至{w['end']}" if w else None


def _quarter(doc: dict[str, Any]) -> str:
    p = str(doc["period"])
    return f"{p[:4]}年第{'一二三四'[int(p[-1]) - 1]}季度" if "-Q" in p else f"{p}年度"


# Header → the cell's value from the document, as an official types it (Chinese words, dates either way).
FILL: dict[str, dict[str, Cell]] = {
    "计划调整": {
        "调整编号": _at("id"), "所属计划编号": _at("plan"), "调整类型": _word(ACTIONS, "action"),
        "任务编号": lambda d: _at("task", "id")(d) or d.get("task_id"), "抽查计划名称": _at("task", "name"),
        "抽查事项": _joined("task", "items", sep="\n"), "检查对象": _at("task", "objects", "description"),
        "名录库编号": _at("task", "objects", "directory"), "抽查基数": _at("task", "objects", "directory_size"),
        "检查方式": _joined("task", "methods", words=METHODS), "抽查比例": _at("task", "ratio"),
        "抽查数量": _at("task", "count"), "牵头部门": _at("task", "lead"),
        "参与部门": _joined("task", "participants"), "检查日期": _window,
        "报联席会议备案日期": _as_date("filed_with_conference_on"),
        "报司法部门备案日期": _cn_date("filed_with_justice_on"), "公示日期": _as_date("published_on"),
        "生效日期": _at("effective_on"),
    },
    "抽查批次": {
        "批次编号": _at("id"), "任务编号": _at("task"), "检查来源": _word(ORIGINS, "origin"), "年度": _at("year"),
        "牵头部门": _at("lead"),
        "参与部门": lambda d: _joined("participants")(d) or ("无" if "participants" in d else None),
        "录入平台": lambda d: "省级平台" if d.get("platform") == "provincial" else d.get("platform"),
        "方案录入日期": _as_date("scheme_entered_on"),
        "抽取方式": lambda d: {"platform_lottery": "平台摇号"}.get(m, m) if (m := _at("draw", "method")(d)) else None,
        "抽取日期": _cn_date("draw", "drawn_on"), "见证人": _joined("draw", "witnesses"),
        "名录库编号": _at("directory"), "名录库总数": _at("directory_size"),
        "抽中对象": _joined("selected", sep="\n"), "抽取户数": _at("selected_count"),
        "检查人员": _joined("inspectors"), "声明回避的检查人员": _joined("declared_conflicts"),
        "检查文书涵盖的事项": _joined("form_items"), "检查方式": _joined("methods", words=METHODS),
        "委托的第三方机构": _at("third_party", "name"),
        "第三方是否具备资质": _word(YES, "third_party", "qualified"),
        "检查开始日期": _as_date("started_on"), "检查完成日期": _at("completed_on"),
        "结果录入日期": _as_date("results_entered_on"),
    },
    "检查结果": {
        "检查对象": _at("object"), "检查结果": _at("outcome"), "录入日期": _as_date("entered_on"),
        "公示渠道": _joined("published", words=CHANNELS), "不予公开理由": _at("nondisclosure", "reason"),
        "不予公开批准人": _at("nondisclosure", "approved_by"),
        "批准人职务": lambda d: {"principal_head": "本部门主要负责人"}.get(r, r)
        if (r := _at("nondisclosure", "approver_role")(d)) else None,
        "不予公开手续已归档": _word(YES, "nondisclosure", "archived"), "涉嫌犯罪": _word(YES, "suspected_crime"),
        "移送日期": _as_date("transferred_on"),
    },
    "工作推进情况": {
        "报告编号": _at("id"), "报送部门": _at("department"), "行政区域": _at("jurisdiction"),
        "报告主体": _word({"member": "成员单位", "conference": "联席会议"}, "reporter"), "报告期": _quarter,
        "报送日期": _as_date("submitted_on"),
    },
    "工作规范": {
        "规范编号": _at("id"), "规范名称": lambda d: f"{d['department']}双随机抽查工作细则",
        "制定部门": _at("department"), "规范涵盖内容": _joined("covers", words=COVERS),
    },
}
# Each kind: its sample files, and what the sample holds that the template's columns must cover.
KINDS = {
    "adjustment": ["adjustments.yaml"],
    "batch": [f"batches/B2021-{n:02d}.yaml" for n in range(1, 21)],
    "progress_report": ["reports.yaml", "county-reports.yaml"],
    "work_norm": ["work-norms.yaml"],
}


LATE = {"rep-sc-2021-Q3": "2021-10-12"}  # the sample's reports are all on time: one made late, on both sides


def _documents(kind: str) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for name in KINDS[kind]:
        value = yaml.safe_load((SAMPLE / name).read_text(encoding="utf-8"))
        docs.extend(value if isinstance(value, list) else [value])
    return [{**d, "submitted_on": LATE[d["id"]]} if d["id"] in LATE else d for d in docs]


def _as_yaml(tmp_path: Path, kind: str) -> str:
    """The kind's sample documents in one YAML file, as the workbook holds them in one file."""
    path = tmp_path / f"{kind}.yaml"
    path.write_text(yaml.safe_dump(_documents(kind), allow_unicode=True), encoding="utf-8")
    return str(path)


def _template(tmp_path: Path, kind: str) -> openpyxl.Workbook:
    out = tmp_path / f"{kind}-blank.xlsx"
    result = runner.invoke(app, ["template", "--kind", kind, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(out)


HEADER_ROW = 3


def _columns(ws: Any) -> dict[str, int]:
    return {c.value: c.column for c in ws[HEADER_ROW] if c.value}


def _fill(tmp_path: Path, kind: str) -> Path:
    wb = _template(tmp_path, kind)
    rows = {ws.title: HEADER_ROW for ws in wb.worksheets}
    for doc in _documents(kind):
        parts = [(wb.worksheets[0], doc)]
        parts += [(wb["检查结果"], {**res, "batch": doc["id"]}) for res in doc.get("results", ())]
        for ws, record in parts:
            rows[ws.title] += 1
            cols = _columns(ws)
            ws.cell(rows[ws.title], cols["序号"], rows[ws.title] - HEADER_ROW)
            if ws.title == "检查结果":
                ws.cell(rows[ws.title], cols["批次编号"], record["batch"])
            for header, value_of in FILL[ws.title].items():
                if (value := value_of(record)) is not None:
                    ws.cell(rows[ws.title], cols[header], value)
    path = tmp_path / f"{kind}.xlsx"
    wb.save(path)
    return path


def _findings(report: Any) -> list[tuple[Any, ...]]:
    """What a check says, but in which file: status, rule, clause, document, subject, path, message, evidence."""
    def plain(ev: dict[str, Any]) -> str:
        return json.dumps({k: v for k, v in ev.items() if not k.endswith(("_as_written", "_read_as"))},
                          ensure_ascii=False, sort_keys=True)
    return sorted((f.status, f.rule, f.clause, f.document, f.subject, f.path, f.message, plain(f.evidence),
                   f.reason) for f in report.findings)


def _sample_without(kind: str) -> list[str]:
    skip = {SAMPLE / n for n in KINDS[kind]}
    return [str(p) for p in sorted(SAMPLE.rglob("*.yaml")) if p not in skip]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_filled_register_reads_as_the_same_documents(tmp_path: Path, kind: str) -> None:
    value = read([str(_fill(tmp_path, kind))])
    assert value["input_errors"] == []
    assert value["documents"] == _documents(kind)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_filled_register_checks_as_the_same_documents_in_yaml(tmp_path: Path, kind: str) -> None:
    opts = Options(as_of=dt.date(2021, 12, 31))
    filled = _fill(tmp_path, kind)
    written = _as_yaml(tmp_path, kind)
    from_yaml = check([*_sample_without(kind), written], opts)
    from_xlsx = check([*_sample_without(kind), str(filled)], opts)
    assert from_xlsx.input_errors == [] and from_yaml.input_errors == []
    mine = [f for f in from_yaml.findings if f.file == written and f.status == "violation"]
    assert mine, "the sample breaks a rule with a document of every kind"
    assert _findings(from_xlsx) == _findings(from_yaml)
    assert from_xlsx.exit_code == from_yaml.exit_code == 1
    # every finding on the workbook points at its cells: the document's row, and the field's column
    wb = openpyxl.load_workbook(filled)
    on_workbook = [f for f in from_xlsx.findings if f.file == str(filled) and f.status == "violation"]
    assert len(on_workbook) == len(mine)
    for f in on_workbook:
        src = f.source
        ws = wb[src["sheet"]]
        id_column = next(c for h, c in _columns(ws).items() if h in ("调整编号", "批次编号", "报告编号", "规范编号"))
        assert ws.cell(src["row"], id_column).value in (f.subject, f.document), (f.rule, src)
        if "column" in src:
            assert ws[f"{src['column']}{HEADER_ROW}"].value == src["header"]


def test_the_adjustment_findings_name_the_cells_of_their_dates(tmp_path: Path) -> None:
    report = check([*_sample_without("adjustment"), str(_fill(tmp_path, "adjustment"))],
                   Options(as_of=dt.date(2021, 12, 31)))
    cells = {f.rule: (f.source["sheet"], f.source["row"], f.source.get("header")) for f in report.findings
             if f.document == "adj-2021-02" and f.status == "violation"}
    assert cells == {"adjustment-filed-with-justice": ("计划调整", 5, "报司法部门备案日期"),
                     "adjustment-effective-after-filings": ("计划调整", 5, "生效日期")}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_register_has_its_headers_lists_and_instructions(tmp_path: Path, kind: str) -> None:
    wb = _template(tmp_path, kind)
    assert wb.sheetnames[-1] == "说明" and len(wb.sheetnames) == (3 if kind == "batch" else 2)
    for ws in wb.worksheets[:-1]:
        assert set(FILL[ws.title]) <= set(_columns(ws)), ws.title
        assert ws.data_validations.dataValidation, f"{ws.title} has drop-down lists"
    lists = {dv.formula1 for ws in wb.worksheets for dv in ws.data_validations.dataValidation}
    expected = {"adjustment": '"新增,删除,变更"', "batch": '"随机计划,投诉举报,转办交办,数据监测"',
                "progress_report": '"成员单位,联席会议"',
                "work_norm": '"抽取方法,检查流程,审批权限,公示程序,归档方式,工作完成时限"'}
    assert expected[kind] in lists
    text = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "同义列名" in text and "示例" in text


def test_a_blank_register_is_an_input_error_not_a_pass(tmp_path: Path) -> None:
    blank = tmp_path / "adjustment-blank.xlsx"
    _template(tmp_path, "adjustment")
    report = check([str(blank)], Options(as_of=dt.date(2021, 12, 31)))
    assert report.exit_code == 2 and not report.findings
    assert ["no row below the headers is filled in" in e.message for e in report.input_errors] == [True]


def _filled_row(tmp_path: Path, kind: str, values: dict[str, Any], sheet: int = 0) -> Path:
    wb = _template(tmp_path, kind)
    ws = wb.worksheets[sheet]
    cols = _columns(ws)
    for header, value in values.items():
        ws.cell(HEADER_ROW + 1, cols[header], value)
    path = tmp_path / f"{kind}-row.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(("kind", "values", "header", "column_of"), [
    ("adjustment", {"调整编号": "a1", "所属计划编号": "p", "调整类型": "挪用", "任务编号": "T1"}, "调整类型", "D"),
    ("adjustment", {"调整编号": "a1", "所属计划编号": "p", "调整类型": "新增", "任务编号": "T1",
                    "抽查比例": "三成左右"}, "抽查比例", None),
    ("batch", {"批次编号": "B1", "抽取日期": "四月底"}, "抽取日期", None),
    ("progress_report", {"报告编号": "R1", "报送部门": "市教育局", "报告期": "第三季度"}, "报告期", None),
    ("work_norm", {"规范编号": "N1", "制定部门": "市教育局", "规范涵盖内容": "抽取方法、吃饭"}, "规范涵盖内容", None),
])
def test_a_cell_that_cannot_be_read_names_its_sheet_row_and_header(tmp_path: Path, kind: str,
                                                                  values: dict[str, Any], header: str,
                                                                  column_of: str | None) -> None:
    path = _filled_row(tmp_path, kind, values)
    report = check([str(path)], Options(as_of=dt.date(2021, 12, 31)))
    errors = [e for e in report.input_errors if f"({header})" in e.message]
    assert len(errors) == 1, [e.message for e in report.input_errors]
    source = dict(errors[0].source)
    assert source["row"] == HEADER_ROW + 1 and source["header"] == header
    assert openpyxl.load_workbook(path).worksheets[0][f"{source['column']}{HEADER_ROW}"].value == header
    if column_of:
        assert source["column"] == column_of


def test_a_result_naming_no_batch_of_the_workbook_is_an_input_error(tmp_path: Path) -> None:
    wb = _template(tmp_path, "batch")
    ws, res = wb["抽查批次"], wb["检查结果"]
    ws.cell(HEADER_ROW + 1, _columns(ws)["批次编号"], "B1")
    for header, value in (("批次编号", "B9"), ("检查对象", "o1"), ("检查结果", "未发现问题")):
        res.cell(HEADER_ROW + 1, _columns(res)[header], value)
    path = tmp_path / "b.xlsx"
    wb.save(path)
    report = check([str(path)], Options(as_of=dt.date(2021, 12, 31)))
    assert [dict(e.source)["sheet"] for e in report.input_errors if "names no batch" in e.message] == ["检查结果"]


@pytest.mark.parametrize("kind", ["plan", "items", *sorted(KINDS)])
@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_no_template_replaces_a_file_without_force(tmp_path: Path, kind: str, suffix: str) -> None:
    out = tmp_path / f"filled{suffix}"
    out.write_bytes(b"filled in by hand")
    result = runner.invoke(app, ["template", "--kind", kind, "-o", str(out)])
    assert result.exit_code == 3 and out.read_bytes() == b"filled in by hand"
    if kind in ("plan", "items") and suffix == ".yaml":
        return  # a plan's template is only a workbook
    assert "--force" in result.output
    assert runner.invoke(app, ["template", "--kind", kind, "-o", str(out), "--force"]).exit_code == 0
    assert out.read_bytes() != b"filled in by hand"


def test_the_readings_and_errors_of_registers_read_in_chinese(tmp_path: Path) -> None:
    from tests.test_all_chinese import assert_chinese

    paths = [str(ROOT / "fixtures" / "excel" / "adjustment-2021.xlsx")]
    cases = [("adjustment", {"调整编号": "a1", "所属计划编号": "p", "调整类型": "挪用", "检查日期": "3月-6月"}),
             ("adjustment", {"调整编号": "a2", "所属计划编号": "p", "调整类型": "删除", "任务编号": "T1",
                             "牵头部门": "市教育局"}),
             ("batch", {"批次编号": "B1", "抽取日期": "四月底", "抽取户数": "十户", "第三方是否具备资质": "大概"}),
             ("progress_report", {"报告编号": "R1", "报送部门": "市教育局", "报告期": "第三季度", "报告主体": "个人"}),
             ("work_norm", {"规范编号": "N1", "制定部门": "市教育局", "规范涵盖内容": "抽取方法、吃饭"})]
    for n, (kind, values) in enumerate(cases):
        (tmp_path / str(n)).mkdir()
        paths.append(str(_filled_row(tmp_path / str(n), kind, values)))
    (tmp_path / "blank").mkdir()
    _template(tmp_path / "blank", "work_norm")
    paths.append(str(tmp_path / "blank" / "work_norm-blank.xlsx"))
    report = check(paths, Options(as_of=dt.date(2021, 12, 31)))
    assert len(report.input_errors) >= 8 and report.notes
    assert_chinese(report)


def test_the_readmes_excel_adjustment_is_checked_as_the_readme_shows(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [shown] = re.findall(r"The same adjustment as the justice bureau's clerk keeps it.*?```text\n(.*?)```", readme,
                         re.S)
    fixture = ROOT / "fixtures" / "excel" / "adjustment-2021.xlsx"
    made = tmp_path / "made.xlsx"
    spec = importlib.util.spec_from_file_location("make_adjustment", fixture.with_name("make_adjustment.py"))
    assert spec and spec.loader
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    maker.main(made)
    assert read([str(made)])["documents"] == read([str(fixture)])["documents"], "run make_adjustment.py"
    monkeypatch.chdir(ROOT)  # the README names the file from the repository's root
    result = runner.invoke(app, ["check", "fixtures/excel/adjustment-2021.xlsx", "--as-of", "2021-12-31",
                                 "--lang", "zh"])
    assert result.exit_code == 1
    printed = result.stdout.splitlines()
    assert all(line in printed for line in shown.splitlines()), "the README's adjustment output is stale"


@pytest.mark.parametrize("syntax", ["xls"])
def test_a_register_kept_in_old_excel_reads_as_the_workbook(tmp_path: Path, syntax: str) -> None:
    """An .xls register (Excel 97–2003, as many offices still save) gives the same adjustments."""
    from checker.tables.grid import Sheet, read_xlsx
    from tests.office import docx_bytes, xls_bytes

    filled = _fill(tmp_path, "adjustment")
    sheets, errors = read_xlsx(str(filled), filled.read_bytes())
    assert errors == []
    [sheet] = [s for s in sheets if s.name == "计划调整"]
    rows = HEADER_ROW + len(_documents("adjustment"))  # not the 500 formatted blank rows: Word's table is slow
    table = [Sheet(sheet.name, sheet.rows[:rows], sheet.spans)]
    other = tmp_path / f"adjustments.{syntax}"
    other.write_bytes(docx_bytes(table) if syntax == "docx" else xls_bytes(table))
    value = read([str(other)])
    assert value["input_errors"] == []
    assert value["documents"] == _documents("adjustment")
