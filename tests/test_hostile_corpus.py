"""The hostile corpus: every file of fixtures/hostile/ against its expected outcome."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from tests.helpers import entries

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))["cases"]
runner = CliRunner()


def test_every_file_of_the_corpus_has_an_expected_outcome() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.name != "expected.yaml"}
    listed = [c["file"] for c in CASES]
    assert len(listed) == len(set(listed))
    assert files == set(listed)
    assert all(p.stat().st_size < 64 * 1024 for p in CORPUS.iterdir())  # small, one thing each


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_hostile_file(case: dict[str, Any]) -> None:
    path = str(CORPUS / case["file"])
    # the contract's English words (a zh report words the same errors in Chinese: test_all_chinese)
    result = runner.invoke(app, ["check", path, "--as-of", "2021-12-31", "--format", "json", "--lang", "en",
                                 *case.get("args", [])])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if "exit" in case:
        assert result.exit_code == case["exit"]
    else:
        assert result.exit_code in {0, 1}
    report = json.loads(result.stdout)
    errors = [(e["path"], e["message"]) for e in report["input_errors"]]
    expected = [(e["path"], e["message"]) for e in case["input_errors"]]
    assert len(errors) == len(expected), errors
    for (path_, message), (want_path, fragment) in zip(errors, expected, strict=True):
        assert path_ == want_path and fragment in message, (path_, message)
    if "documents" in case:
        assert report["summary"]["documents"] == case["documents"]
    statuses = {"violations": "violation", "pending": "pending", "not_evaluated": "not_evaluated",
                "exempt": "exempt", "out_of_scope": "out_of_scope"}
    found = {(status, f["rule"], f["subject"]) for key, status in statuses.items() for f in entries(report, key)}
    for want in case.get("findings", []):
        assert (want["status"], want["rule"], want["subject"]) in found, (want, sorted(found))
    for subject in case.get("no_findings_about", []):
        assert not [f for f in found if f[2] == subject]
