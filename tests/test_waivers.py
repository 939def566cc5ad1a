"""Waivers: a covered violation is waived, not counted; bad waivers cannot hide anything."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from tests.helpers import plan, write

runner = CliRunner()
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
GOOD = {"rule": "sampling-ratio-cap", "document": "plan-2020", "subject": "T1",
        "reason": "重点领域专项整治，经市政府同意", "authority": "广府办函〔2020〕12号",
        "approver": "市人民政府办公室", "expires": "2020-12-31"}


def _run(tmp_path: Path, waivers: list[dict], *extra: str, fmt: str = "json"):
    f = write(tmp_path, "plan.json", plan(count=51))
    w = tmp_path / "waivers.yaml"
    w.write_text(yaml.safe_dump({"waivers": waivers}, allow_unicode=True), encoding="utf-8")
    lang = [] if "--lang" in extra else ["--lang", "en"]  # the contract's English words unless asked
    result = runner.invoke(app, ["check", f, "--as-of", "2020-12-01", "--format", fmt, "--waivers", str(w),
                                 *lang, *extra])
    return result, (json.loads(result.stdout) if fmt in {"json", "sarif"} else result.stdout)


def test_a_waived_violation_is_reported_as_waived_and_does_not_fail_the_run(tmp_path: Path) -> None:
    result, report = _run(tmp_path, [GOOD])
    assert result.exit_code == 0, result.output
    assert report["violations"] == [] and report["summary"]["waived"] == 1
    waived = report["waived"][0]
    assert (waived["rule"], waived["subject"]) == ("sampling-ratio-cap", "T1")
    assert waived["waiver"]["authority"] == "广府办函〔2020〕12号" and waived["evidence"]["max_allowed"] == 50
    assert report["waivers"][0]["status"] == "used" and report["waivers"][0]["findings"] == 1
    assert any(i["file"].endswith("waivers.yaml") for i in report["inputs"])
    rules = {r["rule"]: r for r in report["rules"]}
    assert rules["sampling-ratio-cap"]["waived"] == 1 and rules["sampling-ratio-cap"]["violations"] == 0


def test_a_waiver_by_clause_covers_the_rules_of_that_clause(tmp_path: Path) -> None:
    by_clause = {k: v for k, v in GOOD.items() if k != "rule"} | {"clause": "4.1.2"}
    result, report = _run(tmp_path, [by_clause])
    assert result.exit_code == 0 and report["summary"]["waived"] == 1


def test_no_waivers_ignores_them_for_an_audit_run(tmp_path: Path) -> None:
    result, report = _run(tmp_path, [GOOD], "--no-waivers")
    assert result.exit_code == 1 and report["summary"]["waived"] == 0 and "waivers" not in report


def test_an_expired_waiver_does_not_apply_and_is_an_input_error(tmp_path: Path) -> None:
    result, report = _run(tmp_path, [GOOD | {"expires": "2020-11-30"}])
    assert result.exit_code == 2
    assert [v["rule"] for v in report["violations"]] == ["sampling-ratio-cap"]
    assert report["input_errors"][0]["path"] == "/waivers/0/expires"
    assert "expired on 2020-11-30" in report["input_errors"][0]["message"]
    assert report["waivers"][0]["status"] == "expired"


def test_a_waiver_without_reason_or_authority_does_not_apply(tmp_path: Path) -> None:
    result, report = _run(tmp_path, [GOOD | {"reason": " "}, GOOD | {"authority": None, "subject": "T1"}])
    assert result.exit_code == 2 and report["summary"]["waived"] == 0
    assert {e["path"] for e in report["input_errors"]} == {"/waivers/0/reason", "/waivers/1/authority"}
    assert [w["status"] for w in report["waivers"]] == ["incomplete", "incomplete"]


def test_an_unused_waiver_is_reported(tmp_path: Path) -> None:
    _, report = _run(tmp_path, [GOOD, GOOD | {"subject": "T9"}])
    assert [w["status"] for w in report["waivers"]] == ["used", "unused"]
    result, text = _run(tmp_path, [GOOD | {"subject": "T9"}], fmt="text")
    assert "unused" in text and result.exit_code == 1


def test_a_waived_finding_is_a_suppressed_sarif_result(tmp_path: Path) -> None:
    _, log = _run(tmp_path, [GOOD], fmt="sarif")
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    res = log["runs"][0]["results"][0]
    assert res["suppressions"][0]["kind"] == "external" and res["suppressions"][0]["status"] == "accepted"
    assert "广府办函〔2020〕12号" in res["suppressions"][0]["justification"]


@pytest.mark.parametrize("expires", [20201130, "20201130", "2020-W48-1", "2020W481", "2020-11-30\n", "2020-12-31 ",
                                     "0000-12-31", "2020-02-30", True, None])
def test_an_expiry_not_written_yyyy_mm_dd_is_an_incomplete_waiver(tmp_path: Path, expires: object) -> None:
    """Read by the documents' date reader: 20201130 (a YAML integer) once passed as a later date than 2020-12-01."""
    result, report = _run(tmp_path, [GOOD | {"expires": expires}])
    assert result.exit_code == 2 and report["summary"]["waived"] == 0
    assert [v["rule"] for v in report["violations"]] == ["sampling-ratio-cap"]
    assert [e["path"] for e in report["input_errors"]] == ["/waivers/0/expires"]
    assert "expected the expiry date YYYY-MM-DD" in report["input_errors"][0]["message"]
    assert report["waivers"][0]["status"] == "incomplete"


def test_expiry_is_compared_as_a_date(tmp_path: Path) -> None:
    result, report = _run(tmp_path, [GOOD | {"expires": "2020-12-01"}])  # the as-of day itself: in force
    assert result.exit_code == 0 and report["waivers"][0]["status"] == "used"
    result, report = _run(tmp_path, [GOOD | {"expires": "2020-11-30"}])
    assert result.exit_code == 2 and report["waivers"][0]["status"] == "expired"


BOMB = """waivers:
  - rule: sampling-ratio-cap
    document: plan-2020
    subject: T1
    authority: 广府办函〔2020〕12号
    approver: 市人民政府办公室
    expires: 2020-12-31
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    reason: *g
"""


def _check_with(tmp_path: Path, waiver_file: Path, *extra: str) -> tuple[object, dict]:
    f = write(tmp_path, "plan.json", plan(count=51))
    result = runner.invoke(app, ["check", f, "--as-of", "2020-12-01", "--format", "json", "--lang", "en",
                                 "--waivers", str(waiver_file), *extra])
    return result, json.loads(result.stdout)


def test_a_waiver_file_is_read_within_the_bounds_inputs_are(tmp_path: Path) -> None:
    """A 600-byte alias bomb in reason: once cost 17 s, 2.8 GB and a 624 MB report."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    result, report = _check_with(tmp_path, bomb)
    assert result.exit_code == 2 and report["summary"]["waived"] == 0
    assert [e["file"] for e in report["input_errors"]] == [str(bomb)]
    assert "aliases expand it to more than" in report["input_errors"][0]["message"]
    big = tmp_path / "big.yaml"
    big.write_bytes(b"waivers: []\n" + b"#" * (2 * 2**20))
    result, report = _check_with(tmp_path, big, "--max-file-mb", "1")
    assert result.exit_code == 2 and "--max-file-mb" in report["input_errors"][0]["message"]
    fifo = tmp_path / "w.yaml.fifo"
    os.mkfifo(fifo)  # reading it would block for ever
    result, report = _check_with(tmp_path, fifo)
    assert result.exit_code == 2 and "not a regular file" in report["input_errors"][0]["message"]


def test_a_waiver_field_that_is_not_text_makes_it_incomplete(tmp_path: Path) -> None:
    result, report = _run(tmp_path, [GOOD | {"reason": ["a", "b"]}, GOOD | {"approver": {"x": 1}}])
    assert result.exit_code == 2 and report["summary"]["waived"] == 0
    assert [(e["path"], e["message"]) for e in report["input_errors"]] == [
        ("/waivers/0/reason", "expected text for reason, not list"),
        ("/waivers/1/approver", "expected text for approver, not dict")]


def test_the_first_waiver_in_the_file_covering_a_violation_is_the_one_used(tmp_path: Path) -> None:
    by_clause = {k: v for k, v in GOOD.items() if k != "rule"} | {"clause": "4.1.2", "authority": "甲"}
    unrelated = [GOOD | {"subject": f"T{n}"} for n in range(2, 4000)]  # indexed, not scanned per finding
    _, report = _run(tmp_path, [*unrelated, by_clause, GOOD])
    assert report["waived"][0]["waiver"]["authority"] == "甲"
    assert [w["status"] for w in report["waivers"][-2:]] == ["used", "unused"]
    _, report = _run(tmp_path, [GOOD, by_clause])
    assert report["waived"][0]["waiver"]["authority"] == GOOD["authority"]
