"""Reproducible evidence: the report names the rulebook (version, hash), the calendar and each
input's SHA-256; the same inputs give the same bytes, and one changed byte changes its hash."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from checker.cli import app
from checker.rulebook import load_rulebook
from tests.bundles import SAMPLE

runner = CliRunner()
AS_OF = ["--as-of", "2021-12-31"]


def _report(*args: str) -> dict:
    result = runner.invoke(app, ["check", *args, *AS_OF, "--format", "json"])
    assert result.exit_code in {0, 1, 2}, result.output
    return json.loads(result.stdout)


def test_the_report_names_rulebook_calendar_and_inputs() -> None:
    report = _report(str(SAMPLE))
    rulebook = load_rulebook()
    assert report["rulebook"]["id"] == rulebook.id and report["rulebook"]["version"] == rulebook.version
    assert len(report["rulebook"]["sha256"]) == 64
    assert report["calendar"]["source"].startswith("chinesecalendar") and report["calendar"]["years"] == [2021]
    files = sorted(SAMPLE.rglob("*.yaml"))
    assert [i["file"] for i in report["inputs"]] == sorted(f.as_posix() for f in files)
    for entry in report["inputs"]:
        assert entry["sha256"] == hashlib.sha256(Path(entry["file"]).read_bytes()).hexdigest()


def test_the_same_inputs_give_the_same_bytes_in_both_formats(tmp_path: Path) -> None:
    for fmt in ("json", "text"):
        outs = [tmp_path / f"{fmt}-{i}" for i in range(2)]
        for out in outs:
            runner.invoke(app, ["check", str(SAMPLE), *AS_OF, "--format", fmt, "-o", str(out)])
        assert outs[0].read_bytes() == outs[1].read_bytes() and outs[0].stat().st_size > 1000


def test_one_changed_byte_changes_that_inputs_hash_and_no_other(tmp_path: Path) -> None:
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    before = {i["file"]: i["sha256"] for i in _report(str(copy))["inputs"]}
    target = copy / "work-norms.yaml"
    data = bytearray(target.read_bytes())
    data[-2] = ord(" ") if data[-2] != ord(" ") else ord("\t")  # a change inside the last line's text
    target.write_bytes(bytes(data))
    after = {i["file"]: i["sha256"] for i in _report(str(copy))["inputs"]}
    assert set(before) == set(after)
    assert {f for f in before if before[f] != after[f]} == {target.as_posix()}


def test_an_input_that_fails_to_parse_is_still_hashed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"kind": ')
    report = _report(str(bad))
    assert report["inputs"] == [{"file": bad.as_posix(), "sha256": hashlib.sha256(b'{"kind": ').hexdigest()}]


def test_a_changed_rulebook_or_calendar_file_shows_in_the_report(tmp_path: Path) -> None:
    rulebook = tmp_path / "rulebook"
    shutil.copytree(load_rulebook().folder, rulebook)
    plan = str(SAMPLE / "plans")
    first = _report(plan, "--rulebook", str(rulebook))["rulebook"]["sha256"]
    (rulebook / "source.txt").write_text((rulebook / "source.txt").read_text(encoding="utf-8") + "\n",
                                         encoding="utf-8")
    changed = tmp_path / "changed"
    shutil.copytree(rulebook, changed)
    second = _report(plan, "--rulebook", str(changed))["rulebook"]["sha256"]
    assert first != second and first == _report(plan)["rulebook"]["sha256"]

    calendar = tmp_path / "cal.yaml"
    calendar.write_text("source: 国务院办公厅通知（示例）\nyears:\n  2027:\n    holidays: [2027-01-01]\n",
                        encoding="utf-8")
    described = _report(plan, "--calendar", str(calendar))["calendar"]
    assert "国务院办公厅通知（示例）" in described["source"]
    assert described["sha256"] == hashlib.sha256(calendar.read_bytes()).hexdigest()
