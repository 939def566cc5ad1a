"""The command line: exit codes, formats, languages, output files."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from checker.cli import _cores, app
from checker.reporters import REPORTERS
from tests.helpers import plan, write

runner = CliRunner()
AS_OF = ["--as-of", "2020-12-01"]


def _no_crash(result: Result) -> bool:
    return result.exception is None or isinstance(result.exception, SystemExit)


def test_exit_0_when_no_error_violation(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan(count=50))
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert not [v for v in json.loads(result.stdout)["violations"] if v["severity"] == "error"]


def test_exit_1_on_an_error_violation(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan(count=51))
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json"])
    assert result.exit_code == 1
    v = [v for v in json.loads(result.stdout)["violations"] if v["rule"] == "sampling-ratio-cap"]
    assert v and v[0]["subject"] == "T1" and v[0]["evidence"]["max_allowed"] == 50


def test_exit_2_on_input_errors_and_the_other_documents_are_still_checked(tmp_path: Path) -> None:
    good = write(tmp_path, "a.json", plan(count=51))
    bad = write(tmp_path, "b.json", {"kind": "batch", "id": "B1", "directory_size": "many"})
    result = runner.invoke(app, ["check", good, bad, *AS_OF, "--format", "json", "--lang", "en"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["input_errors"] == [{
        "file": bad, "path": "/directory_size",
        "message": '"many" is not valid: expected a count of objects, 0 to 1,000,000,000.',
        "source": {"line": 1, "column": 31},  # where the "directory_size" member begins
    }]
    assert any(v["rule"] == "sampling-ratio-cap" for v in report["violations"])


def test_bad_usage_is_exit_3_without_traceback_and_a_missing_input_is_an_input_error(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    result = runner.invoke(app, ["check", f, "--as-of", "2020-13-01"])
    assert result.exit_code == 3 and "Traceback" not in result.output
    for usage in (["check", f, "--no-such-option"], ["check"], ["check", f, "--workers", "many"], ["no-such-command"]):
        assert runner.invoke(app, usage).exit_code == 3, usage
    result = runner.invoke(app, ["check", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "文件或文件夹不存在" in result.stdout


def test_text_is_chinese_by_default_and_english_on_request(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan(count=51))
    zh = runner.invoke(app, ["check", f, *AS_OF]).stdout
    en = runner.invoke(app, ["check", f, *AS_OF, "--lang", "en"]).stdout
    assert "超过名录库 1000 户的 5%（最多 50 户）" in zh and "广府办发〔2019〕58号 四（一）第2段" in zh
    assert "over 5% of its directory of 1000 (at most 50)" in en and "GFBF [2019] No. 58, Part IV(1) ¶2" in en


def test_json_output_is_byte_identical_across_runs_and_written_to_a_file(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan(count=51))
    out1, out2 = tmp_path / "r1.json", tmp_path / "r2.json"
    runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "-o", str(out1)])
    runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "-o", str(out2)])
    assert out1.read_bytes() == out2.read_bytes()
    assert json.loads(out1.read_text(encoding="utf-8"))["summary"]["violations"] >= 1
    assert not list(tmp_path.glob(".dsr-check-*"))


def test_rules_clauses_and_explain() -> None:
    rules = runner.invoke(app, ["rules"]).stdout
    assert "sampling-ratio-cap" in rules and "4.1.2" in rules
    clauses = runner.invoke(app, ["clauses", "--lang", "en"]).stdout
    assert "5.2.1" in clauses and "not checkable" in clauses
    explained = runner.invoke(app, ["explain", "sampling-ratio-cap", "--lang", "en"])
    assert explained.exit_code == 0
    assert "R4" in explained.stdout and "failing example" in explained.stdout
    assert "count: 50" in explained.stdout  # the example documents are shown
    by_clause = runner.invoke(app, ["explain", "4.1.2"]).stdout
    assert "exception-without-cap" in by_clause
    assert runner.invoke(app, ["explain", "no-such-rule"]).exit_code == 3


def test_weekends_only_and_calendar_exclude_each_other(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    result = runner.invoke(app, ["check", f, "--weekends-only", "--calendar", f])
    assert result.exit_code == 3


def test_a_working_day_date_no_calendar_covers_is_an_input_error_naming_the_year(tmp_path: Path) -> None:
    batch = {"kind": "batch", "id": "B1", "origin": "complaint", "year": 2031, "platform": "provincial",
             "selected_count": 0,
             "draw": {"method": "platform_lottery", "drawn_on": "2031-03-03"}, "started_on": "2031-03-05"}
    f = write(tmp_path, "b.json", batch)
    result = runner.invoke(app, ["check", f, "--as-of", "2031-12-01", "--format", "json"])
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["input_errors"]
    assert {e["path"] for e in errors} == {"/draw/drawn_on", "/started_on"}
    assert all("2031" in e["message"] and "--calendar" in e["message"] for e in errors)
    ok = runner.invoke(app, ["check", f, "--as-of", "2031-12-01", "--format", "json", "--weekends-only"])
    report = json.loads(ok.stdout)
    assert ok.exit_code == 0 and report["input_errors"] == []
    assert report["calendar"]["source"].startswith("weekends-only") and report["calendar"]["years"] == [2031]


def test_a_calendar_file_is_named_in_the_report(tmp_path: Path) -> None:
    cal = tmp_path / "cal.yaml"
    cal.write_text("source: 国务院办公厅关于2031年部分节假日安排的通知（测试）\nyears:\n  2031:\n"
                   "    holidays: [2031-03-04]\n    workdays: []\n", encoding="utf-8")
    batch = {"kind": "batch", "id": "B1", "task": "T1", "year": 2031,
             "draw": {"method": "platform_lottery", "drawn_on": "2031-03-03"}, "started_on": "2031-03-11"}
    f = write(tmp_path, "b.json", batch)
    result = runner.invoke(app, ["check", f, "--as-of", "2031-12-01", "--format", "json", "--calendar", str(cal)])
    report = json.loads(result.stdout)
    assert "2031年部分节假日安排" in report["calendar"]["source"] and report["calendar"]["sha256"]
    # 03-04 is a holiday: the 5th working day after Mon 03-03 is Tue 03-11, so the start is in time
    assert not [v for v in report["violations"] if v["rule"] == "start-within-5-workdays"]


def test_each_limit_is_a_cli_option_and_exceeding_it_is_an_input_error(tmp_path: Path) -> None:
    long_id = write(tmp_path, "long.json", plan(task_id="T" * 50))
    deep = write(tmp_path, "deep.json", {"kind": "batch", "id": "B", "draw": {"witnesses": [["x"]]}})
    two = write(tmp_path, "two.json", [plan(plan_id="p1", task_id="T1"), plan(plan_id="p2", task_id="T2")])
    listed = write(tmp_path, "listed.yaml", {"documents": [plan()]})
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(2 * 2**20)
    cases = [
        (["--max-string", "20"], long_id, "/tasks/0/id", "text is 50 characters; the limit is 20"),
        (["--max-depth", "3"], deep, "/draw/witnesses/0/0", "nested deeper than 3 levels"),
        (["--max-documents", "1"], two, "/1", "more than 1 documents"),
        (["--max-file-mb", "1"], str(big), "", "--max-file-mb"),
        (["--max-yaml-values", "10"], listed, "", "holds more than 10 values"),
    ]
    for option, f, path, fragment in cases:
        result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "--lang", "en", *option])
        assert result.exit_code == 2, (option, result.output)
        errors = json.loads(result.stdout)["input_errors"]
        assert [e["path"] for e in errors] == [path] and fragment in errors[0]["message"], errors
    # the defaults let the same files through (but the sparse 2 MiB file of zeros, which is no JSON)
    for f in (long_id, deep, two, listed):
        result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "--lang", "en"])
        assert all("limit" not in e["message"] and "deeper" not in e["message"] and "values" not in e["message"]
                   for e in json.loads(result.stdout)["input_errors"])


def test_limit_options_out_of_range_are_usage_errors(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    for option in (["--max-depth", "101"], ["--max-depth", "0"], ["--max-file-mb", "0"],
                   ["--max-documents", "-1"], ["--max-string", "x"], ["--max-yaml-values", "0"]):
        result = runner.invoke(app, ["check", f, *option])
        assert result.exit_code == 3 and _no_crash(result), (option, result.exception)
        assert "Traceback" not in result.output


def test_an_unknown_rulebook_is_a_usage_error_for_every_command(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    for args in (["check", f], ["rules"], ["clauses"], ["explain", "4.1.2"], ["docs"]):
        result = runner.invoke(app, [*args, "--rulebook", str(tmp_path / "no-such-rulebook")])
        assert result.exit_code == 3, (args, result.exception)
        assert "no rulebook" in result.output


def test_a_bad_calendar_file_is_an_input_error_naming_the_place(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    cal = tmp_path / "cal.yaml"
    for body, where in [("source: x\nyears:\n  2027:\n    holidays: 5\n", "#/years/2027/holidays"),
                        ("source: x\nyears:\n  '²': {}\n", "#/years/²"),
                        ("source: x\nyears: [2027]\n", "expected {source"),
                        ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", "nested")]:
        cal.write_text(body, encoding="utf-8")
        result = runner.invoke(app, ["check", f, "--calendar", str(cal), "--lang", "en"])
        assert result.exit_code == 2 and _no_crash(result), result.exception
        assert where in result.output, result.output
    result = runner.invoke(app, ["check", f, "--calendar", str(tmp_path / "none.yaml"), "--lang", "en"])
    assert result.exit_code == 2 and "no such calendar file" in result.output
    # in Chinese, and as the report's input errors: the report says nothing was checked
    result = runner.invoke(app, ["check", f, "--calendar", str(tmp_path / "none.yaml"), "--format", "json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 2 and report["summary"]["documents"] == 0
    assert [e["message"] for e in report["input_errors"]] == ["日历文件不存在"]


def test_output_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    for target, fragment in [(tmp_path / "missing" / "r.json", "No such file or directory"),
                             (tmp_path, "Is a directory")]:
        result = runner.invoke(app, ["check", f, *AS_OF, "-o", str(target)])
        assert result.exit_code == 3 and f"cannot write {target}: {fragment}" in result.output
    assert not list(tmp_path.rglob(".dsr-check-*"))


def test_an_interrupted_write_leaves_the_old_report_whole_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    f = write(tmp_path, "plan.json", plan(count=51))
    out = tmp_path / "report.json"
    out.write_text("the previous report\n", encoding="utf-8")

    def disk_fails(_fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", disk_fails)  # after the text is written, before the rename
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "-o", str(out)])
    assert result.exit_code == 3 and "cannot write" in result.output
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "report.json"]

    monkeypatch.undo()

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "-o", str(out)])
    assert result.exit_code == 130  # click's exit for an interrupt
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "report.json"]


def test_a_renderer_that_fails_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    f = write(tmp_path, "plan.json", plan())
    out = tmp_path / "report.json"

    def broken(_report: object) -> str:
        raise RuntimeError("renderer broke")

    monkeypatch.setitem(REPORTERS, "json", broken)
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "-o", str(out)])
    assert isinstance(result.exception, RuntimeError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_a_written_report_gets_an_ordinary_mode_and_an_existing_one_keeps_its_own(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    umask = os.umask(0o022)
    try:
        new = tmp_path / "new.json"
        runner.invoke(app, ["check", f, *AS_OF, "-o", str(new)])
        assert stat.S_IMODE(new.stat().st_mode) == 0o644  # mkstemp alone would leave 0600
        kept = tmp_path / "kept.json"
        kept.write_text("", encoding="utf-8")
        kept.chmod(0o640)
        runner.invoke(app, ["check", f, *AS_OF, "-o", str(kept)])
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text(encoding="utf-8")
    finally:
        os.umask(umask)


def test_a_lone_surrogate_in_the_input_still_gives_a_writable_report(tmp_path: Path) -> None:
    f = tmp_path / "s.json"
    f.write_text('{"kind": "batch", "id": "B", "directory_size": "x\\ud800"}', encoding="utf-8")
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["check", str(f), *AS_OF, "--format", "json", "-o", str(out)])
    assert result.exit_code == 2 and _no_crash(result), result.exception
    assert json.loads(out.read_bytes().decode("utf-8"))["input_errors"][0]["path"] == "/directory_size"


def test_the_report_never_replaces_an_input(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    before = Path(f).read_bytes()
    (tmp_path / "alias.json").symlink_to(f)
    for target in (f, str(tmp_path / "alias.json")):
        result = runner.invoke(app, ["check", str(tmp_path), *AS_OF, "-o", target])
        assert result.exit_code == 3 and "is one of the inputs" in result.output
    assert Path(f).read_bytes() == before


def test_workers_0_means_one_per_core_and_changes_no_byte(tmp_path: Path) -> None:
    assert 1 <= _cores() <= (os.cpu_count() or 1)
    f = write(tmp_path, "plan.json", [plan(count=51, plan_id="p1", task_id="T1"), plan(plan_id="p2", task_id="T2")])
    one = runner.invoke(app, ["check", f, *AS_OF, "--format", "json"])
    every = runner.invoke(app, ["check", f, *AS_OF, "--format", "json", "--workers", "0"])
    assert one.exit_code == every.exit_code == 1 and one.stdout == every.stdout


def test_every_registered_reporter_is_a_format_choice_and_nothing_else(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    for name in REPORTERS:
        assert runner.invoke(app, ["check", f, *AS_OF, "--format", name]).exit_code == 0, name
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "yaml"])
    assert result.exit_code == 3 and "yaml" in result.output


@pytest.mark.parametrize("as_of", ["2021W527", "2021-W52-7", "20211231", "2021-12-31\n", "0000-12-31", "2021-12-32"])
def test_as_of_is_a_date_yyyy_mm_dd_and_nothing_else(tmp_path: Path, as_of: str) -> None:
    f = write(tmp_path, "plan.json", plan())
    for command in ("check", "deadlines"):
        result = runner.invoke(app, [command, f, "--as-of", as_of])
        assert result.exit_code == 3 and "is not a date YYYY-MM-DD" in result.output, result.output


@pytest.mark.parametrize("day", ["2031-W10-2", "20310304", "2031-03-04\n"])
def test_a_calendar_date_not_written_yyyy_mm_dd_is_refused(tmp_path: Path, day: str) -> None:
    cal = tmp_path / "cal.json"
    cal.write_text(json.dumps({"source": "测试", "years": {"2031": {"holidays": [day], "workdays": []}}}))
    f = write(tmp_path, "plan.json", plan())
    result = runner.invoke(app, ["check", f, "--calendar", str(cal), "--lang", "en"])
    assert result.exit_code == 2 and "expected a date YYYY-MM-DD in 2031" in result.output
    result = runner.invoke(app, ["check", f, "--calendar", str(cal)])
    assert result.exit_code == 2 and "」不是 2031 年的日期：应写作 YYYY-MM-DD" in result.output


def test_junit_from_the_command_line_lists_passing_cases(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    f = write(tmp_path, "plan.json", plan(count=50))
    result = runner.invoke(app, ["check", f, *AS_OF, "--format", "junit"])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.stdout)
    passed = {c.get("name") for c in root.iter("testcase") if not list(c)}
    assert "sampling-ratio-cap" in passed and "stated-ratio-cap" in passed
    assert int(root.get("tests")) > int(root.get("failures")) + int(root.get("skipped"))


def test_the_progress_bar_draws_percentages_and_clears_its_line() -> None:
    import io

    from checker.cli import _progress_bar

    out = io.StringIO()
    show = _progress_bar(out)
    for done in (0, 1, 1, 5, 10):
        show(done, 10)
    text = out.getvalue()
    assert text.count("%") == 3 and " 50%" in text  # 0%, 10%, 50%: an unchanged figure is not redrawn
    assert text.endswith("\r\x1b[2K") and "\n" not in text


@pytest.mark.parametrize(("target", "clauses"), [
    ("四（一）第2段", ["4.1.2"]), ("四(一)第2段", ["4.1.2"]), ("广府办发〔2019〕58号 四（一）第2段", ["4.1.2"]),
    ("Part IV(1) ¶2", ["4.1.2"]), ("三（五）", ["3.5.1", "3.5.2", "3.5.3"]), ("3.5", ["3.5.1", "3.5.2", "3.5.3"]),
])
def test_explain_accepts_the_citation_a_report_prints(target: str, clauses: list[str]) -> None:
    result = runner.invoke(app, ["explain", target])
    assert result.exit_code == 0, result.output
    shown = [line.split()[0] for line in result.stdout.splitlines() if re.match(r"\d+\.\d+\.\d+ ", line)]
    assert shown == clauses


def test_explain_of_a_clause_is_a_summary_and_in_full_on_request() -> None:
    summary = runner.invoke(app, ["explain", "3.5.3", "--lang", "en"]).stdout
    rules = [line.split()[0] for line in summary.splitlines() if line.startswith("  ")]
    assert "adjustment-filed-with-justice" in rules and len(rules) == 10  # R19 added two
    assert "failing example" not in summary and "explain 3.5.3 --full" in summary
    full = runner.invoke(app, ["explain", "3.5.3", "--full", "--lang", "en"]).stdout
    assert full.count("failing example:") == 10


def test_explain_fills_the_remedy_with_the_failing_examples_values() -> None:
    text = runner.invoke(app, ["explain", "batch-lead-is-task-lead", "--lang", "en"]).stdout
    [remedy] = [line for line in text.splitlines() if line.startswith("remedy:")]
    assert "{" not in remedy and "}" not in remedy
