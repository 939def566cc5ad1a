"""The pre-commit hook and the GitHub Action, run as their hosts would run them.

The action's shell steps run here with the environment a runner gives them (inputs,
GITHUB_OUTPUT, RUNNER_TEMP); its `uses:` steps (setup-python, upload-sarif) belong to
GitHub. The hook's entry runs on the files its `files`/`exclude` patterns select. With
DSR_PACKAGING=1 (as `.ci/run` sets), the action's install step runs too, into a fresh
virtual environment, and pre-commit runs the hook itself through `pre-commit try-repo`.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import plan, write

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = os.environ.get("DSR_PACKAGING") == "1"


def _shim(folder: Path) -> Path:
    """A `dsr-check` command that runs this checkout (the project is not installed here)."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "dsr-check"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT))} exec {shlex.quote(sys.executable)} '
                    '-m checker "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return bin_dir


def _records(tmp_path: Path, count: int) -> Path:
    """A repository's records, beside files that are not records."""
    repo = tmp_path / "repo"
    (repo / "records").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    write(repo / "records", "plan.json", plan(count=count))
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    (repo / ".github" / "workflows" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    return repo


# --- the GitHub Action ---------------------------------------------------------------
_EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def _run_action(repo: Path, tmp_path: Path, inputs: dict[str, str], path: str,
                install: bool = False) -> tuple[list[int], str, Path]:
    """Each step of action.yml as a runner runs it (the install step if asked); each shell step's status."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    given = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | inputs
    output = tmp_path / "github_output"
    output.touch()
    outputs: dict[str, str] = {}

    def value(expr: str) -> str:
        if expr.startswith("inputs."):
            return given[expr.removeprefix("inputs.")]
        if expr == "github.action_path":
            return str(ROOT)
        if expr == "steps.check.outputs.exit-code":
            return outputs.get("exit-code", "")
        raise AssertionError(f"an expression this test does not know: {expr}")

    assert action["runs"]["using"] == "composite"
    statuses, text = [], ""
    used = []
    for step in action["runs"]["steps"]:
        if "uses" in step:
            used.append(step["uses"].split("@")[0])
            continue
        if step["name"] == "Install dsr-check" and not install:
            continue
        env = {**os.environ, "PATH": path, "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(output),
               **{k: _EXPR.sub(lambda m: value(m.group(1)), str(v)) for k, v in step.get("env", {}).items()}}
        assert "${{" not in step["run"], "inputs reach the shell through env, never into the script"
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo,
                              env=env, capture_output=True, text=True, timeout=600)
        statuses.append(done.returncode)
        text += done.stdout + done.stderr
        outputs.update(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
    assert used == ["actions/setup-python", "github/codeql-action/upload-sarif"]
    return statuses, text, repo / given["sarif"]


@pytest.mark.parametrize(("count", "expected"), [(51, 1), (50, 0)])
def test_the_action_annotates_writes_sarif_and_fails_as_the_exit_status_says(tmp_path: Path, count: int,
                                                                            expected: int) -> None:
    repo = _records(tmp_path, count)
    path = f"{_shim(tmp_path)}:{os.environ['PATH']}"
    statuses, text, sarif = _run_action(repo, tmp_path, {"paths": "records/", "as-of": "2020-12-01"}, path)
    assert statuses == [0, expected]  # the check step records the status; the last step fails with it
    run = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]
    assert run["artifacts"][0]["location"] == {"uri": "records/plan.json", "uriBaseId": "SRCROOT"}
    annotations = [line for line in text.splitlines() if line.startswith("::error file=records/plan.json")]
    assert bool(annotations) == (expected == 1), text


def test_the_action_passes_on_input_errors_and_bad_usage_as_their_own_statuses(tmp_path: Path) -> None:
    repo = _records(tmp_path, 50)
    (repo / "records" / "broken.json").write_text("{", encoding="utf-8")
    path = f"{_shim(tmp_path)}:{os.environ['PATH']}"
    assert _run_action(repo, tmp_path, {"paths": "records/"}, path)[0] == [0, 2]
    assert _run_action(repo, tmp_path, {"paths": "records/", "args": "--no-such-option"}, path)[0] == [0, 3]


@pytest.mark.skipif(not PACKAGING, reason="installs the package and its dependencies: set DSR_PACKAGING=1")
def test_the_action_installs_dsr_check_and_runs_it(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    repo = _records(tmp_path, 51)
    statuses, text, _ = _run_action(repo, tmp_path, {"paths": "records/"}, f"{venv / 'bin'}:{os.environ['PATH']}",
                                    install=True)
    assert statuses == [0, 0, 1], text
    assert (venv / "bin" / "dsr-check").is_file()


# --- the pre-commit hook -------------------------------------------------------------
def _hook() -> dict[str, Any]:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hook


def test_the_hooks_entry_checks_the_records_it_selects_and_fails_on_a_violation(tmp_path: Path) -> None:
    hook = _hook()
    assert hook["id"] == "dsr-check" and hook["language"] == "python"
    repo = _records(tmp_path, 51)
    files = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file())
    selected = [f for f in files if re.search(hook["files"], f) and not re.search(hook["exclude"], f)]
    assert selected == ["records/plan.json"]  # not .pre-commit-config.yaml, not .github/
    entry = shlex.split(hook["entry"])
    assert entry[0] == "dsr-check"
    env = {**os.environ, "PATH": f"{_shim(tmp_path)}:{os.environ['PATH']}"}
    done = subprocess.run([*entry, "--as-of", "2020-12-01", *selected], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1 and "sampling-ratio-cap" in done.stdout
    write(repo / "records", "plan.json", plan(count=50))
    done = subprocess.run([*entry, "--as-of", "2020-12-01", *selected], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout


def _pre_commit() -> str | None:
    """pre-commit beside this Python (the test extra installs it there), or on the PATH."""
    beside = Path(sys.executable).with_name("pre-commit")
    return str(beside) if beside.is_file() else shutil.which("pre-commit")


@pytest.mark.skipif(not PACKAGING or _pre_commit() is None,
                    reason="runs pre-commit, which installs the package: set DSR_PACKAGING=1")
def test_pre_commit_runs_the_hook_from_this_repository(tmp_path: Path) -> None:
    repo = _records(tmp_path, 51)
    git = ["git", "-c", "user.email=ci@example.invalid", "-c", "user.name=ci"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "records"], cwd=repo, check=True)
    pre_commit = _pre_commit()
    assert pre_commit is not None
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    done = subprocess.run([pre_commit, "try-repo", str(ROOT), "dsr-check", "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 1 and "sampling-ratio-cap" in done.stdout, done.stdout + done.stderr
