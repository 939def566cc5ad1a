"""A Chinese reader sees no English: every human format in zh, for the sample and for
every file of the hostile corpus, holds no ASCII word but codes, ids, dates, numbers,
file names and the names of formats (JSON, YAML, UTF-8…)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from checker.api import Options, check
from checker.cli import app
from checker.report import Report
from checker.reporters import REPORTERS
from checker.tables import TableOptions
from checker.workdays import from_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample"
CORPUS = ROOT / "fixtures" / "hostile"
EXCEL = ROOT / "fixtures" / "excel"
AS_OF = dt.date(2021, 12, 31)

# names of formats, standards and tools a Chinese official writes in Latin letters too
TERMS = {"JSON", "YAML", "UTF-8", "UTF", "BOM", "GBK", "GB18030", "SHA-256", "SHA", "NFKC", "ISO", "CSV",
         "Excel", "xlsx", "csv", "json", "yaml", "yml", "jsonl", "dsr-check", "chinesecalendar", "NUL",
         "NaN", "Infinity", "Q1", "Q2", "Q3", "Q4", "HTML", "Markdown", "SARIF", "JUnit", "zip", "MiB",
         # the contract's kinds and the two keys every document has, named as codes
         "kind", "id", "item_list", "object_directory", "inspector_directory", "annual_plan", "adjustment",
         "batch", "progress_report", "work_norm", "documents",
         # a date's form, a flag's argument, and values as Python or YAML write them
         "YYYY-MM-DD", "YYYY", "FILE", "True", "False", "None",
         # the commands, as a hint names them (dsr-check explain 4.3.2 --full)
         "explain", "deadlines", "template", "rules", "clauses"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_.'][A-Za-z0-9]+)*")
POINTER = re.compile(r"(?:#?/[^\s/，。；：、（）「」]*)+")
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|「[^」\n]*」")
# 司法部门备案日期（filed_with_justice_on）: the code stays available beside its label
CODE_BESIDE_LABEL = re.compile(r"（[a-z][a-z_.]*(?=[），])")  # (tests/test_explain_names_labels.py: the label first)
# flags, YAML tags, escapes, hashes, placeholders and numbers in exponent form
NOT_WORDS = re.compile(r"\b[0-9a-f]{16,}\b|\{[a-z_]+(?::[a-z_,]+)?\}|--[a-z][a-z-]*(?: [a-z_]+=[\w-]*)?|!![\w/]+"
                       r"|\\+u[0-9a-f]{4}|\b0x[0-9a-f]+|\d+e[-+]?\d+")


def allowed_words(report: Report) -> set[str]:
    """Codes, ids and names the report quotes from the inputs and the rulebook."""
    words = set(TERMS)
    for f in report.findings:
        words |= {f.rule, f.document, f.subject, *(str(v) for v in f.evidence.values() if not isinstance(v, list))}
        for v in f.evidence.values():
            if isinstance(v, list):
                words |= {str(x) for x in v}
    for e in report.input_errors:
        words |= {e.file, *Path(e.file).parts}
    for i in report.inputs:
        words |= {i["file"], *Path(i["file"]).parts}
    for w in report.waivers or ():  # what the waiver file says, as written
        words |= {str(w.get(k)) for k in ("rule", "clause", "document", "subject") if w.get(k)}
    if report.book:
        words |= set(report.book.rules) | {report.book.id} | {a for r in report.book.rules.values()
                                                                  for a in getattr(r, "aliases", ())}
    return words


def english(text: str, allowed: set[str]) -> list[str]:
    """The ASCII words of `text` that are none of the allowed codes, ids and names."""
    text = CODE_BESIDE_LABEL.sub(" ", text)
    for name in sorted(allowed, key=len, reverse=True):
        if len(name) > 2 and not name.isdigit() and name in text:
            text = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", " ", text)
    text = CODE_BESIDE_LABEL.sub(" ", POINTER.sub(" ", QUOTED.sub(" ", text)))
    text = NOT_WORDS.sub(" ", text)
    found = []
    for w in WORD.findall(text):
        parts = re.split(r"[-_.]", w)
        if w in allowed or w.rstrip(".") in allowed or all(p in allowed or p.isdigit() for p in parts):
            continue
        if re.fullmatch(r"[A-Z]{0,3}\d[\w\-]*|[a-z]?\d+[a-z]?|\d+\w*", w):  # ids and numbers: GY2021-05, 2021-Q3
            continue
        if re.fullmatch(r"[A-Z]{1,2}|[0-9a-f]{16,}", w):  # a spreadsheet column; a hash
            continue
        if re.fullmatch(r"Y(?:[-+]\d+|-Q\d)", w):  # the plan year Y of a rule's description: Y-1, Y-Q4
            continue
        found.append(w)
    return found


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in {"style", "code"}

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in {"style", "code"}

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _sarif(report: Report) -> str:
    """What code scanning shows: rule descriptions and help, results' messages, remedies and
    suppressions, and the notifications."""
    run = json.loads(REPORTERS["sarif"](report))["runs"][0]
    texts = []
    for rule in run["tool"]["driver"]["rules"]:
        texts += [rule["shortDescription"]["text"], rule["fullDescription"]["text"], rule["help"]["text"],
                  rule["help"].get("markdown", "")]
    for r in run["results"]:
        texts += [r["message"]["text"], r.get("properties", {}).get("remedy", "")]
        texts += [s["justification"] for s in r.get("suppressions", [])]
    texts += [n["message"]["text"] for inv in run["invocations"] for n in inv["toolExecutionNotifications"]]
    return "\n".join(texts)


def _junit(report: Report) -> str:
    """What a CI view shows of each case: failure, skip and error messages and their texts."""
    root = ET.fromstring(REPORTERS["junit"](report))
    texts = []
    for node in root.iter():
        if node.tag in {"failure", "skipped", "error"}:
            texts.append(node.get("message", ""))
        if node.tag in {"failure", "error", "system-out"}:
            texts.append(node.text or "")
    return "\n".join(texts)


_COMMAND = re.compile(r"^::(\w+) (.*?)::(.*)$")


def _github(report: Report) -> str:
    """Each annotation's title and message, unescaped; the summary line."""
    texts = []
    for line in REPORTERS["github"](report).splitlines():
        m = _COMMAND.match(line)
        if not m:
            texts.append(line)
            continue
        props = dict(p.split("=", 1) for p in m[2].split(","))
        texts += [unquote(props.get("title", "")), unquote(m[3])]
    return "\n".join(texts)


def _codequality(report: Report) -> str:
    issues = json.loads(REPORTERS["codequality"](report))
    return "\n".join(t for i in issues for t in (i["description"], i.get("content", {}).get("body", "")))


def human_texts(report: Report) -> dict[str, str]:
    """What a person reads of each format: the text, Markdown and HTML reports (the HTML's text
    outside styles and code), the JSON report's sentences (its keys and codes are the contract's),
    and what SARIF, JUnit, GitHub annotations and Code Quality show."""
    page = _Text()
    page.feed(REPORTERS["html"](report))
    data = json.loads(REPORTERS["json"](report))
    sentences = [f.get(k, "") for part in ("violations", "pending", "not_evaluated", "exempt", "out_of_scope")
                 for f in data[part] for k in ("message", "remedy", "reason", "title")]
    sentences += [e["message"] for part in ("input_errors", "reading_notes") for e in data.get(part, [])]
    markdown = re.sub(r"\\(.)", r"\1", re.sub(r"`[^`]*`", " ", REPORTERS["markdown"](report)))
    texts = {"text": REPORTERS["text"](report), "markdown": markdown, "html": "\n".join(page.parts),
             "json": "\n".join(sentences), "sarif": _sarif(report), "junit": _junit(report),
             "github": _github(report), "codequality": _codequality(report)}
    assert set(texts) == set(REPORTERS), "a format the test does not read"
    return texts


def assert_chinese(report: Report) -> None:
    allowed = allowed_words(report)
    leaks = {name: sorted(set(english(text, allowed))) for name, text in human_texts(report).items()}
    assert not any(leaks.values()), leaks


def test_the_sample_reads_in_chinese() -> None:
    assert_chinese(check([str(SAMPLE)], Options(as_of=AS_OF)))


@pytest.mark.parametrize("path", sorted(p.name for p in CORPUS.iterdir() if p.name != "expected.yaml"))
def test_each_hostile_file_reads_in_chinese(path: str) -> None:
    assert_chinese(check([str(CORPUS / path)], Options(as_of=AS_OF)))


def test_a_county_spreadsheet_reads_in_chinese() -> None:
    assert_chinese(check([str(EXCEL / "county-plan-2021.xlsx")], Options(as_of=AS_OF)))


def _county_workbook(tmp_path: Path, cells: dict[str, object]) -> str:
    """The county plan of fixtures/excel with `cells` written over (K is 实施时间, F 抽查比例)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_county_plan", EXCEL / "make_county_plan.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    wb = module.workbook()
    for ref, value in cells.items():
        wb.active[ref] = value
        if isinstance(value, int):
            wb.active[ref].number_format = "yyyy-mm-dd"  # a date column: Excel cannot show the number
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    return str(path)


def test_unreadable_cells_read_in_chinese(tmp_path: Path) -> None:
    """A number typed for a date, a failed formula, a ratio and a date no reader knows, a level
    and a year that conflict: each error names the cell and the value, in Chinese."""
    path = _county_workbook(tmp_path, {"K4": 20211228, "K5": '=1+"a"', "F6": "约3%", "K7": "2021年2月30日"})
    report = check([path], Options(as_of=AS_OF, tables=TableOptions(
        plan=(("level", "联席会议"), ("year", "2021"), ("年度", "2022"), ("colour", "red"), ("compiled_on", "明年")))))
    assert len(report.input_errors) >= 6
    assert_chinese(report)


def test_a_bad_waiver_file_reads_in_chinese(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - {rule: sampling-ratio-cap, clause: '4.1.2', document: plan-gy-2021, reason: '', colour: red,"
        " expires: 20211231}\n"
        "  - {rule: no-such-rule, document: plan-gy-2021, subject: GY2021-05, reason: 经批准,"
        " authority: 广府办函〔2021〕12号, approver: 市人民政府办公室, expires: 2021-12-31}\n"
        "  - {rule: sampling-ratio-cap, document: plan-gy-2021, subject: GY2021-05, reason: 经批准,"
        " authority: 广府办函〔2021〕12号, approver: 市人民政府办公室, expires: 2021-01-31}\n"
        "  - {rule: sampling-ratio-cap, document: plan-gy-2021, subject: GY2021-05, reason: [1]}\n"
        "  - just text\n", encoding="utf-8")
    report = check([str(SAMPLE)], Options(as_of=AS_OF, waivers=str(waivers)))
    assert len(report.input_errors) >= 8
    assert_chinese(report)
    missing = check([str(SAMPLE)], Options(as_of=AS_OF, waivers=str(tmp_path / "none.yaml")))
    assert [e.text("zh") for e in missing.input_errors] == ["无法读取豁免单：文件不存在"]
    assert_chinese(missing)


@pytest.mark.parametrize("body", [
    "years:\n  2027:\n    holidays: [2027-13-01, 20270101]\n    workdays: [2026-02-07]\n  abc: {}\n",
    "source: x\nyears:\n  2027:\n    holidays: 5\n  2028: {holidays: [], days: []}\n",
    "source: x\nyears: [2027]\n",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
    "source: x\nyears: {2027: {holidays: [2027-01-01\n",
])
def test_a_bad_calendar_file_reads_in_chinese(tmp_path: Path, body: str) -> None:
    """As `check --calendar FILE` reports a calendar it cannot use: its errors, nothing checked."""
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text(body, encoding="utf-8")
    _, errors = from_file(str(calendar))
    assert errors
    assert_chinese(dataclasses.replace(check([], Options(as_of=AS_OF)), input_errors=errors))


runner = CliRunner()


BOOK = check([str(SAMPLE)], Options(as_of=AS_OF)).book
assert BOOK is not None
EXPLAINED = [*sorted(BOOK.rules), "4.3.2", "三（五）", "R19"]


@pytest.mark.parametrize("code", EXPLAINED)
def test_explain_reads_in_chinese(code: str) -> None:
    """Every rule, a clause, a citation and a reading: each line is for the official, the
    examples' documents aside (they are the contract's documents, as written)."""
    out = runner.invoke(app, ["explain", code]).stdout
    example = re.compile(r"^ {2,}[a-z_]+:|^ {2,}- ")
    text = "\n".join(line for line in out.splitlines() if not example.match(line))
    assert text.strip()
    allowed = set(TERMS) | set(BOOK.rules) | {a for r in BOOK.rules.values() for a in r.aliases}
    quoted = set(re.findall(r"^ +(?:- )?(?:[a-z_]+: )?'?([^'\n:]+?)'?$", out, re.M))  # ids the findings quote
    assert english(text, allowed | quoted) == []


def test_deadlines_read_in_chinese() -> None:
    out = runner.invoke(app, ["deadlines", str(SAMPLE), "--as-of", "2021-06-30"]).stdout
    report = check([str(SAMPLE)], Options(as_of=dt.date(2021, 6, 30)))
    ids = {name for o in report.obligations for name in (o.document, o.subject)}
    assert english(out, allowed_words(report) | ids) == []


@pytest.mark.parametrize("message", [
    "not a zip archive (an .xlsx workbook is one)",
    "archive declares 11 members; the limit is 10",
    "member declares 300000 bytes; the limit is 299999",
    "member expands 1028 times (a zip bomb?); the limit is 200",
    "members declare more than 1000000 bytes in all (a zip bomb?)",
    "members 'a' and 'b' overlap (a zip bomb?)",
    "no such member in the archive",
    "member holds more than the 65536 bytes it may",
    "file is 5105 bytes; the limit is 1000 bytes",
    "sheet 大表 row 1 has 201 columns; the limits are 100000 rows and 200 columns a sheet, 1000 cells a workbook",
    "row 1 has 1001 columns; the limit is 200",
    "more than 100000 rows; the limit is 100000",
    "the workbook's merged ranges fill more than 1000 cells; the limits are 100000 rows and 200 columns a sheet, "
    "1000 cells a workbook",
    "sheet Sheet: no header row found: a plan table needs headers such as 抽查计划名称, 牵头部门, 检查日期; an item "
    "table 抽查事项, 检查主体 (see `dsr-check template`)",
    "1:20.5 at line 2 column 8 is a base-60 number in YAML 1.1; quote it if text",
    "the tag !!map at line 1 column 4 is on a value that is not a mapping",
    "the key at line 9 column 4 is a list or mapping; a key is text",
    "'2020.5.8' read as the date 2020-05-08",
    "'ä' does not match '^[0-9]{4}(-Q[1-4])?$'",
    "invalid YAML: unacceptable character #x009e: special characters are not allowed",
    "1 is not valid: expected add (新增), remove (删除) or change (变更) a task; either word may be written.",
    "folder holds no .json, .jsonl, .yaml, .yml, .xlsx, .csv, .xls or .docx input",
    "invalid YAML at line 3 column 1: expected ',' or ']', but got '<stream end>'",
    "no item in it",
    "a cap is one ratio, e.g. 10%",
])
def test_errors_still_raised_in_english_read_in_chinese(message: str) -> None:
    """Errors raised as English text (not yet as catalogue codes) are worded through the patterns."""
    from checker.messages import in_chinese

    zh = in_chinese(message)
    assert zh != message and english(zh, set(TERMS) | {"xls", "docx", "yml", "zip", "Sheet"}) == [], zh  # a sheet name


def test_deadlines_with_a_bad_calendar_file_read_in_chinese(tmp_path: Path) -> None:
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text("years:\n  2027:\n    holidays: [20270101]\n    workdays: []\n", encoding="utf-8")
    result = runner.invoke(app, ["deadlines", str(SAMPLE), "--calendar", str(calendar)])
    assert result.exit_code == 2
    assert "「20270101」不是 2027 年的日期" in result.output
    assert english(result.output, set(TERMS) | {str(calendar), *calendar.parts}) == []
