"""The library as the README shows it: `dsr_check` is the project's import name, `checker` still works."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import dsr_check
from checker.api import Options, check

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_example_runs_and_gives_the_commands_report() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"## The Python API\n.*?```python\n(.*?)```", readme, re.S)
    printed: list[str] = []
    scope = {"print": lambda *a: printed.append(" ".join(map(str, a)))}
    try:
        exec(compile(example, "README.md", "exec"), scope)
    except SystemExit as stop:
        assert stop.code == 1  # the sample has error-severity violations
    sarif = json.loads(printed[-1])
    assert sarif["version"] == "2.1.0"
    ours = check(["fixtures/sample"], Options(as_of=dt.date(2021, 12, 31), lang="en"))
    assert printed[:-1] == [f"{f.clause} {f.rule} {f.subject} {f.message}" for f in ours.of("violation")]


def test_dsr_check_is_the_engines_own_api() -> None:
    assert dsr_check.check is check and dsr_check.Options is Options
    assert dsr_check.render(check(["fixtures/sample"], Options(as_of=dt.date(2021, 12, 31))), "json").startswith("{")
