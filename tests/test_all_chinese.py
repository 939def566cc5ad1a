"""A Chinese reader sees no English: every human format in zh, for the sample and for
every file of the hostile corpus, holds no ASCII word but codes, ids, dates, numbers,
file names and the names of formats (JSON, YAML, UTF-8…)."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.api import Options, check
from checker.cli import app
from checker.report import Report
from checker.reporters import REPORTERS

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
         "YYYY-MM-DD", "FILE", "True", "False", "None",
         # the commands, as a hint names them (dsr-check explain 4.3.2 --full)
         "explain", "deadlines", "template", "rules", "clauses"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_.'][A-Za-z0-9]+)*")
POINTER = re.compile(r"(?:#?/[^\s/，。；：、（）「」]*)+")
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|「[^」\n]*」")
# 司法部门备案日期（filed_with_justice_on）: the code stays available beside its label
CODE_BESIDE_LABEL = re.compile(r"（[a-z][a-z_]*）")
# flags, YAML tags, escapes, hashes, placeholders and numbers in exponent form
NOT_WORDS = re.compile(r"\b[0-9a-f]{16,}\b|\{[a-z_]+(?::[a-z_,]+)?\}|--[a-z][a-z-]*(?: [a-z_]+=)?|!![\w/]+"
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
    if report.book:
        words |= set(report.book.rules) | {report.book.id} | {a for r in report.book.rules.values()
                                                                  for a in getattr(r, "aliases", ())}
    return words


def english(text: str, allowed: set[str]) -> list[str]:
    """The ASCII words of `text` that are none of the allowed codes, ids and names."""
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


def human_texts(report: Report) -> dict[str, str]:
    """What a person reads of each format: the text, Markdown and HTML reports (the HTML's text
    outside styles and code), and the JSON report's sentences (its keys and codes are the contract's)."""
    page = _Text()
    page.feed(REPORTERS["html"](report))
    data = json.loads(REPORTERS["json"](report))
    sentences = [f.get(k, "") for part in ("violations", "pending", "not_evaluated", "exempt", "out_of_scope")
                 for f in data[part] for k in ("message", "remedy", "reason", "title")]
    markdown = re.sub(r"\\(.)", r"\1", re.sub(r"`[^`]*`", " ", REPORTERS["markdown"](report)))
    return {"text": REPORTERS["text"](report), "markdown": markdown, "html": "\n".join(page.parts),
            "json": "\n".join(sentences)}


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


runner = CliRunner()


@pytest.mark.parametrize("code", ["sampling-ratio-cap", "adjustment-filed-with-justice", "4.3.2"])
def test_explain_reads_in_chinese(code: str) -> None:
    out = runner.invoke(app, ["explain", code]).stdout
    # 检查内容 is the rulebook's description of each rule, naming the contract's fields as its
    # reference for authors (rules/…/rules.yaml `checks`); every other line is for the official
    body = "\n".join(line for line in out.splitlines() if not line.startswith(("    ", "检查内容")))
    example = re.compile(r"^  [a-z_]+:|^  - |^  #")  # the examples are documents of the contract, as written
    text = "\n".join(line for line in body.splitlines() if not example.match(line))
    book = check([str(SAMPLE)], Options(as_of=AS_OF)).book
    assert book is not None
    assert english(text, set(TERMS) | set(book.rules) | {"T1", "B1"}) == []


def test_deadlines_read_in_chinese() -> None:
    out = runner.invoke(app, ["deadlines", str(SAMPLE), "--as-of", "2021-06-30"]).stdout
    report = check([str(SAMPLE)], Options(as_of=dt.date(2021, 6, 30)))
    ids = {name for o in report.obligations for name in (o.document, o.subject)}
    assert english(out, allowed_words(report) | ids) == []
