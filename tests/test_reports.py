"""Every report format, checked by what reads it: the SARIF schema, an XML parser,
an HTML parser and headless Chromium, the runner's escaping rules."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from checker.api import Options, check
from checker.cli import app
from checker.names import INVISIBLE
from checker.report import Finding, Report
from checker.reporters import REPORTERS
from checker.reporters.github import escape_data, escape_property
from checker.reporters.markdown import md
from checker.reporters.text_report import SHOWN
from tests.helpers import plan, write

SAMPLE = str(Path(__file__).resolve().parent.parent / "fixtures" / "sample")
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
HOSTILE = 'T<script>alert("x")</script>|*_`#%:,&amp;@org/team https://x.example'
# A name may not hold a control character (checker.names); a file name may, and every report names its file.
HOSTILE_FILE = "hostile\n\x01\x1b]0;t\x07\u202e plan.json"


@pytest.fixture(scope="module")
def sample() -> Report:
    return check([SAMPLE], Options(as_of=dt.date(2021, 12, 31)))


def hostile(tmp_path: Path, lang: str = "zh") -> Report:
    doc = plan(count=51, task_id=HOSTILE)
    doc["tasks"][0]["lead"] = "市市场监管局<b>"
    return check([write(tmp_path, HOSTILE_FILE, doc)], Options(as_of=dt.date(2020, 12, 1), lang=lang))


# --- SARIF ---------------------------------------------------------------------
def test_sarif_is_valid_against_the_official_schema(sample: Report, tmp_path: Path) -> None:
    for report in (sample, hostile(tmp_path)):
        log = json.loads(REPORTERS["sarif"](report))
        jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_sarif_has_one_rule_per_code_and_real_levels_and_places(sample: Report) -> None:
    run = json.loads(REPORTERS["sarif"](sample))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [t.rule for t in sample.tallies]
    assert len({r["id"] for r in rules}) == len(sample.book.rules)
    cap = next(r for r in rules if r["id"] == "sampling-ratio-cap")
    assert cap["properties"]["clause"] == "4.1.2" and "5%" in cap["help"]["text"]
    assert cap["defaultConfiguration"]["level"] == "error"
    results = run["results"]
    assert len(results) == len(sample.of("violation"))
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["sampling-ratio-cap"] == "error"
    assert levels["municipal-item-only-without-provincial"] == "warning"
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]
        assert loc["physicalLocation"]["region"]["startLine"] >= 1
        assert loc["logicalLocations"][0]["fullyQualifiedName"].count("/") >= 1
    cap_result = next(r for r in results if r["ruleId"] == "sampling-ratio-cap")
    uri = cap_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    line = cap_result["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert Path(uri).name == "conference-2021.yaml"
    assert Path(SAMPLE, "plans", "conference-2021.yaml").read_text(encoding="utf-8").splitlines()[line - 1] \
        .strip() == "count: 50"


def test_sarif_input_errors_are_notifications(tmp_path: Path) -> None:
    bad = write(tmp_path, "b.json", {"kind": "batch", "id": "B1", "directory_size": "many"})
    log = json.loads(REPORTERS["sarif"](check([bad], Options(as_of=dt.date(2020, 12, 1)))))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["level"] == "error" and "many" in notes[0]["message"]["text"]
    assert notes[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 31}


# --- JUnit ---------------------------------------------------------------------
def test_junit_has_one_case_per_rule_and_document(sample: Report) -> None:
    root = ET.fromstring(REPORTERS["junit"](sample))
    cases = [(s.get("name"), c.get("name")) for s in root.iter("testsuite") for c in s.iter("testcase")]
    assert len(cases) == len(set(cases))
    expected = {(d, r) for r, d, _ in sample.satisfied} | {(f.document, f.rule) for f in sample.findings if f.rule}
    assert set(cases) == expected
    failed = {(s.get("name"), c.get("name")) for s in root.iter("testsuite") for c in s.iter("testcase")
              if c.find("failure") is not None}
    assert failed == {(f.document, f.rule) for f in sample.of("violation")}
    assert int(root.get("failures")) == len(failed)
    cap = next(c for c in root.iter("testcase")
               if c.get("name") == "sampling-ratio-cap" and c.find("failure") is not None)
    assert "999" in cap.find("failure").text and cap.find("failure").get("type") == "error"


def test_junit_stays_well_formed_with_hostile_names(tmp_path: Path) -> None:
    root = ET.fromstring(REPORTERS["junit"](hostile(tmp_path)))
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "plan-2020")
    text = "".join(c.find("failure").text for c in suite.iter("testcase") if c.find("failure") is not None)
    assert "<script>" in text and "\x01" not in text


# --- GitHub annotations --------------------------------------------------------
def test_github_annotations_are_escaped(tmp_path: Path) -> None:
    assert escape_data("50%\r\nx") == "50%25%0D%0Ax"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    lines = REPORTERS["github"](hostile(tmp_path)).splitlines()
    cap = next(line for line in lines if "sampling-ratio-cap" in line)
    assert cap.startswith("::error file=") and ",line=" in cap and ",col=" in cap
    props, message = cap[len("::error "):].split("::", 1)
    assert "整改" in message and "\r" not in message
    assert "\n" not in cap and "%0A" in props  # the file name's newline, escaped
    assert dict(p.split("=", 1) for p in props.split(","))["title"].startswith("4.1.2 sampling-ratio-cap")
    assert "%25" in props and "%3A" in props and "%2C" in props


# --- Markdown --------------------------------------------------------------------
def test_markdown_tables_keep_their_shape_with_hostile_names(tmp_path: Path) -> None:
    text = REPORTERS["markdown"](hostile(tmp_path))
    rows = [line for line in text.splitlines() if line.startswith("| ") and "sampling-ratio-cap" in line]
    assert rows
    unescaped_pipes = [line.replace("\\|", "").count("|") for line in rows]
    assert set(unescaped_pipes) == {8}  # 7 columns
    assert "<script>" not in text and "\\<script\\>" in text


def test_markdown_pings_no_one_links_nothing_and_keeps_no_control_character(tmp_path: Path) -> None:
    text = REPORTERS["markdown"](hostile(tmp_path))
    assert "@org/team" not in text and "@&#8203;org/team" in text
    assert "https://x.example" not in text and "https&#58;//x.example" in text
    assert not INVISIBLE.search(text.replace("\n", "")) and "\\\\x1b\\]0;t\\\\x07\\\\u202e" in text
    assert md("www.evil.example, WWW.x.y, mailto:a, a@b.example") == \
        "www&#46;evil.example, WWW&#46;x.y, mailto&#58;a, a@&#8203;b.example"
    assert md("ratio: 5% of 2021.03") == "ratio: 5% of 2021.03"  # nothing else changes


# --- HTML ------------------------------------------------------------------------
class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids |= {v for k, v in attrs if k == "id" and v}

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_html_holds_the_summary_violations_by_clause_calendar_and_hashes(sample: Report) -> None:
    page = parse(REPORTERS["html"](sample))
    text = "".join(page.text)
    assert {"summary", "violations"} <= page.ids
    assert "“双随机、一公开”联合抽查合规检查报告" in text and "违规（10）" in text
    assert "4.1.2 广府办发〔2019〕58号 四（一）第2段" in text
    assert "「检查对象抽查比例不超过检查对象名录库总数的 5%。」" in text
    assert "最多可抽户数" in text and "max_allowed" not in text and "整改：" in text
    assert "chinesecalendar" in text and sample.rulebook["sha256"] in text
    assert all(i["sha256"] in text for i in sample.inputs)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags


def test_html_escapes_user_text_and_speaks_english_on_request(tmp_path: Path) -> None:
    html = REPORTERS["html"](hostile(tmp_path, lang="en"))
    page = parse(html)
    assert "script" not in page.tags and "b" not in page.tags
    assert "<script>" in "".join(page.text)  # shown as text, not markup
    assert "&lt;script&gt;" in html and 'lang="en"' in html
    assert "Violations (1)" in "".join(page.text) and "Remedy" in "".join(page.text)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="chromium is not installed")
def test_html_opens_in_headless_chromium(sample: Report, tmp_path: Path) -> None:
    assert CHROMIUM, "CI installs chromium (.ci/run)"
    page = tmp_path / "report.html"
    page.write_text(REPORTERS["html"](sample), encoding="utf-8")
    shot = tmp_path / "report.png"
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'id="summary"' in dom.stdout and "违规（10）" in dom.stdout
    shot_run = subprocess.run([*flags, "--window-size=1000,1400", f"--screenshot={shot}", page.as_uri()],
                              capture_output=True, text=True, timeout=120)
    assert shot_run.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- several formats in one run --------------------------------------------------
def test_several_formats_in_one_run(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan(count=51))
    outs = {fmt: tmp_path / f"report.{fmt}" for fmt in ("json", "html", "sarif", "junit", "markdown", "github")}
    args = ["check", f, "--as-of", "2020-12-01"]
    for fmt, path in outs.items():
        args += ["--format", fmt, "-o", str(path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert json.loads(outs["json"].read_text(encoding="utf-8"))["summary"]["violations"] == 1
    assert outs["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    ET.fromstring(outs["junit"].read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SCHEMA).validate(json.loads(outs["sarif"].read_text(encoding="utf-8")))


def test_several_formats_need_one_file_each(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    result = CliRunner().invoke(app, ["check", f, "--format", "json", "--format", "html", "-o", str(tmp_path / "r")])
    assert result.exit_code == 3 and "need 2 -o files" in result.output


# --- the terminal report ------------------------------------------------------------
def _not_evaluated(subject: str, rule: str = "selected-in-object-directory") -> dict:
    return {"status": "not_evaluated", "rule": rule, "clause": "3.3.1", "citation": "", "quote": "",
            "severity": "error", "title": "", "document": subject, "subject": subject, "file": "b.jsonl",
            "path": "/0", "message": "", "reason": "the object directory lists no entries"}


def test_text_names_records_sharing_a_reason_once_past_a_few(sample: Report) -> None:
    many = [Finding(**_not_evaluated(f"B{i:02d}")) for i in range(SHOWN + 4)]
    few = [Finding(**_not_evaluated(f"C{i}", rule="inspectors-in-directory")) for i in range(SHOWN)]
    text = REPORTERS["text"](replace(sample, lang="en", findings=many + few))
    lines = text.splitlines()
    head = lines.index(f"  {SHOWN + 4} records [selected-in-object-directory]: the object directory lists no entries")
    assert lines[head + 1] == "    " + ", ".join(f"B{i:02d}" for i in range(SHOWN)) + \
        " … and 4 more (the JSON report lists each)"
    for i in range(SHOWN):  # as many as SHOWN: a line each
        assert f"  C{i} [inspectors-in-directory]: the object directory lists no entries" in lines
    assert f"not evaluated ({2 * SHOWN + 4}):" in lines


def test_json_groups_not_evaluated_records_by_rule_and_reason_listing_each(sample: Report) -> None:
    many = [Finding(**_not_evaluated(f"B{i:02d}")) for i in range(SHOWN + 4)]
    other = [Finding(**{**_not_evaluated("C0"), "reason": "no item_list was supplied"})]
    few = [Finding(**_not_evaluated(f"C{i}", rule="inspectors-in-directory")) for i in range(2)]
    report = json.loads(REPORTERS["json"](replace(sample, lang="en", findings=many + other + few)))
    groups = [(g["rule"], g["reason"], g["count"], [s["subject"] for s in g["subjects"]])
              for g in report["not_evaluated"]]
    assert groups == [
        ("inspectors-in-directory", "the object directory lists no entries", 2, ["C0", "C1"]),
        ("selected-in-object-directory", "no item_list was supplied", 1, ["C0"]),
        ("selected-in-object-directory", "the object directory lists no entries", SHOWN + 4,
         [f"B{i:02d}" for i in range(SHOWN + 4)]),
    ]
    assert report["not_evaluated"][0]["subjects"][0] == {
        "document": "C0", "subject": "C0", "path": "/0", "source": {"file": "b.jsonl"}}
    assert report["summary"]["not_evaluated"] == SHOWN + 4 + 1 + 2  # records, not groups


REPORT_SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schemas" / "report" / "report.schema.json")
                           .read_text(encoding="utf-8"))


def test_json_reports_follow_the_report_schema(sample: Report, tmp_path: Path) -> None:
    many = [Finding(**_not_evaluated(f"B{i:02d}")) for i in range(3)]
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "batch", "id": 7}', encoding="utf-8")
    told = check(["fixtures/sample/batches/B2021-14.yaml"],  # a check with context marks the context's files
                 Options(as_of=dt.date(2021, 12, 31), context=("fixtures/sample/plans",)))
    assert [i["file"] for i in told.inputs if i.get("context")] == [
        "fixtures/sample/plans/conference-2021.yaml", "fixtures/sample/plans/departments-2021.yaml"]
    for report in (sample, replace(sample, findings=sample.findings + many),
                   check([str(bad)], Options(as_of=dt.date(2021, 12, 31))), told):
        jsonschema.validate(json.loads(REPORTERS["json"](report)), REPORT_SCHEMA,
                            cls=jsonschema.Draft202012Validator)
    grouped = json.loads(REPORTERS["json"](replace(sample, findings=many)))
    grouped["not_evaluated"][0]["subjects"][0].pop("path")  # a group's record without its place is refused
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(grouped, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)


def test_json_puts_each_member_and_each_entry_on_a_line_of_its_own(sample: Report) -> None:
    text = REPORTERS["json"](sample)
    report = json.loads(text)
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    members = [line for line in lines if line.startswith('"')]
    assert [m.split('"')[1] for m in members] == list(report)
    violations = lines.index('"violations": [')
    assert [json.loads(line.rstrip(",")) for line in lines[violations + 1:violations + 1 + len(report["violations"])]] \
        == report["violations"]


def test_markdown_and_html_give_one_row_per_rule_and_reason(sample: Report) -> None:
    many = [Finding(**_not_evaluated(f"B{i:02d}")) for i in range(SHOWN + 4)]
    report = replace(sample, lang="en", findings=many)
    md = REPORTERS["markdown"](report)
    rows = [line for line in md.splitlines() if "`selected-in-object-directory`" in line]
    assert len(rows) == 1 and f"| {SHOWN + 4} |" in rows[0]
    assert "B07 … and 4 more (the JSON report lists each)" in rows[0] and "B08" not in rows[0]
    page = REPORTERS["html"](report)
    assert page.count("<details>") == 1 and "B11" in page  # every subject is on the page, folded
    assert f"{SHOWN + 4} in all (open to see each)" in page


def test_sarif_input_errors_are_also_results_of_their_own_rule(tmp_path: Path) -> None:
    good = write(tmp_path, "a.json", plan(count=51))
    bad = write(tmp_path, "b.json", {"kind": "batch", "id": "B1", "directory_size": "many"})
    report = check([good, bad], Options(as_of=dt.date(2020, 12, 1)))
    run = json.loads(REPORTERS["sarif"](report))["runs"][0]
    jsonschema.Draft4Validator(SCHEMA).validate({"version": "2.1.0", "runs": [run]})
    rules = run["tool"]["driver"]["rules"]
    errors = [r for r in run["results"] if r["ruleId"] == "input-error"]
    assert len(errors) == len(report.input_errors) == 1
    assert rules[errors[0]["ruleIndex"]]["id"] == "input-error" and errors[0]["level"] == "error"
    assert "many" in errors[0]["message"]["text"]
    assert errors[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 31}
    assert {r["ruleId"] for r in run["results"]} >= {"sampling-ratio-cap", "input-error"}


def test_sarif_names_files_relative_to_the_base_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from checker.cli import app

    (tmp_path / "plans").mkdir()
    f = write(tmp_path / "plans", "p.json", plan(count=51))
    monkeypatch.chdir(tmp_path)  # inside the current folder: relative to it by default
    for args in ([], ["--base-dir", str(tmp_path)]):
        result = CliRunner().invoke(app, ["check", f, "--as-of", "2020-12-01", "--format", "sarif", *args])
        run = json.loads(result.stdout)["runs"][0]
        loc = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert loc == {"uri": "plans/p.json", "uriBaseId": "SRCROOT", "index": 0}, args
        assert run["originalUriBaseIds"] == {"SRCROOT": {"uri": tmp_path.resolve().as_uri() + "/"}}
        assert run["artifacts"][0]["location"] == {"uri": "plans/p.json", "uriBaseId": "SRCROOT"}
    elsewhere = tmp_path / "plans"
    result = CliRunner().invoke(app, ["check", f, "--as-of", "2020-12-01", "--format", "sarif",
                                      "--base-dir", str(elsewhere)])
    assert json.loads(result.stdout)["runs"][0]["artifacts"][0]["location"]["uri"] == "p.json"
    monkeypatch.chdir(tmp_path / "plans")  # an input outside the current folder: its own name, no base
    outside = write(tmp_path, "o.json", plan(count=51))
    run = json.loads(CliRunner().invoke(app, ["check", outside, "--as-of", "2020-12-01", "--format",
                                              "sarif"]).stdout)["runs"][0]
    assert "originalUriBaseIds" not in run and "uriBaseId" not in run["artifacts"][0]["location"]


# --- GitLab Code Quality ---------------------------------------------------------
def test_code_quality_lists_violations_and_input_errors_as_gitlab_reads_them(tmp_path: Path) -> None:
    good = write(tmp_path, "a.json", plan(count=51))
    bad = write(tmp_path, "b.json", {"kind": "batch", "id": "B1", "directory_size": "many"})
    report = check([good, bad], Options(as_of=dt.date(2020, 12, 1)))
    issues = json.loads(REPORTERS["codequality"](replace(report, base_dir=str(tmp_path))))
    assert len(issues) == len(report.of("violation")) + 1
    for issue in issues:  # the fields GitLab requires, with their types
        assert isinstance(issue["description"], str) and isinstance(issue["check_name"], str)
        assert len(issue["fingerprint"]) == 64
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str) and issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    cap = next(i for i in issues if i["check_name"] == "sampling-ratio-cap")
    assert cap["severity"] == "major" and cap["location"]["path"] == "a.json"
    error = next(i for i in issues if i["check_name"] == "input-error")
    assert error["severity"] == "critical" and error["location"] == {"path": "b.json", "lines": {"begin": 1}}


def test_code_quality_of_the_sample_names_each_violation_once(sample: Report) -> None:
    issues = json.loads(REPORTERS["codequality"](sample))
    assert sorted((i["check_name"], i["severity"]) for i in issues) == sorted(
        (f.rule, {"error": "major", "warning": "minor", "info": "info"}[f.severity]) for f in sample.of("violation"))
