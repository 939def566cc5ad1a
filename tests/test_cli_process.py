"""The command as a process: it exits without the interpreter's teardown (cli.main), so what it
wrote must be flushed and its exit status kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from checker.cli import _flushed, app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "fixtures" / "sample")
AS_OF = ["--as-of", "2021-12-31"]


def _run(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, env=env, timeout=120)


def test_the_report_on_stdout_is_whole_and_the_status_kept() -> None:
    done = _run("check", SAMPLE, *AS_OF, "--format", "json")
    in_process = CliRunner().invoke(app, ["check", SAMPLE, *AS_OF, "--format", "json"])
    assert done.returncode == in_process.exit_code == 1  # the sample holds violations
    assert json.loads(done.stdout) == json.loads(in_process.stdout)


def test_a_report_file_is_whole(tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    done = _run("check", SAMPLE, *AS_OF, "--format", "sarif", "-o", str(out))
    assert done.returncode == 1 and done.stdout == b""
    assert json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]


def test_input_errors_exit_2_with_their_message() -> None:
    done = _run("check", "/no/such/folder", *AS_OF)
    assert done.returncode == 2 and b"/no/such/folder" in done.stdout


def test_an_exit_code_that_is_text_is_shown_and_is_status_1(capsys) -> None:
    assert _flushed("stopped") == 1 and capsys.readouterr().err == "stopped\n"
    assert _flushed(None) == 0 and _flushed(3) == 3
