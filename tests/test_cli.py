"""The command line: exit codes, formats, languages, output files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from checker.cli import app
from tests.helpers import plan, write

runner = CliRunner()
AS_OF = ["--as-of", "2020-12-01"]


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
    result = runner.invoke(app, ["check", good, bad, *AS_OF, "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["input_errors"] == [{
        "file": bad, "path": "/directory_size",
        "message": '"many" is not valid: expected a count of objects, 0 to 1,000,000,000.',
        "source": {"line": 1, "column": 31},  # where the "directory_size" member begins
    }]
    assert any(v["rule"] == "sampling-ratio-cap" for v in report["violations"])


def test_bad_usage_is_exit_2_without_traceback(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    result = runner.invoke(app, ["check", f, "--as-of", "2020-13-01"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = runner.invoke(app, ["check", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "no such file" in result.stdout


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
    assert runner.invoke(app, ["explain", "no-such-rule"]).exit_code == 2


def test_weekends_only_and_calendar_exclude_each_other(tmp_path: Path) -> None:
    f = write(tmp_path, "plan.json", plan())
    result = runner.invoke(app, ["check", f, "--weekends-only", "--calendar", f])
    assert result.exit_code == 2
