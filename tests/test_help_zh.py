"""`--help` in Chinese when the locale or --lang zh asks for it, English otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer

from checker import help_zh
from checker.cli import app

ROOT = Path(__file__).resolve().parent.parent


def helps(command: click.Command | None = None) -> set[str]:
    """Every help text of the command line: commands, groups and their subcommands, options."""
    command = command or typer.main.get_command(app)
    out = {command.help or "", *(p.help for p in command.params if getattr(p, "help", None))}
    for sub in getattr(command, "commands", {}).values():
        out |= helps(sub)
    return out - {""}


def test_every_help_text_has_its_chinese() -> None:
    assert helps() - set(help_zh.catalog()["texts"]) == set()


@pytest.mark.parametrize(("argv", "env", "zh"), [
    (["check", "--help"], {"LANG": "zh_CN.UTF-8"}, True),
    (["check", "--help", "--lang", "zh"], {"LANG": "C"}, True),
    (["--help", "--lang=zh"], {}, True),
    (["check", "--help", "--lang", "en"], {"LANG": "zh_CN.UTF-8"}, False),
    (["check", "--help"], {"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, True),
    (["check", "--help"], {"LANG": "C"}, False),
])
def test_the_locale_or_lang_chooses(argv: list[str], env: dict[str, str], zh: bool) -> None:
    assert help_zh.wanted(argv, env) is zh


def run(argv: list[str], lang: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")} | {"LANG": lang, "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "checker", *argv], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_reads_in_chinese_under_a_chinese_locale() -> None:
    out = run(["check", "--help"], "zh_CN.UTF-8")
    assert "用法：" in out and "检查材料，报告违规及其所依据的条款。" in out and "以此日期为基准日" in out
    assert "显示本帮助并退出" in out and "Usage" not in out
    top = run(["--help", "--lang", "zh"], "C")
    assert "按规则集检查" in top and "命令" in top


def test_help_stays_english_otherwise() -> None:
    out = run(["check", "--help"], "C")
    assert "Check documents and report violations" in out and "用法" not in out


def run_failing(argv: list[str], lang: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")} | {"LANG": lang}
    done = subprocess.run([sys.executable, "-m", "checker", *argv], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 3, done.stderr
    return done.stderr


def test_bad_usage_is_said_in_chinese_when_help_would_be() -> None:
    assert run_failing(["explain", "nothing"], "zh_CN.UTF-8") == (
        "dsr-check: 没有规则或条款 'nothing'；可用 `dsr-check rules` 和 `dsr-check clauses` 查看\n")
    out = run_failing(["check", "fixtures/sample", "--as-of", "2021-13-01", "--lang", "zh"], "C")
    assert "不是 YYYY-MM-DD 格式的日期" in out
    assert "is not a date YYYY-MM-DD" in run_failing(["check", "fixtures/sample", "--as-of", "2021-13-01"], "C")
