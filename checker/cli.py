"""The `dsr-check` command: parse options, call the library, pick a reporter, exit.

Exit codes (data contract): 0 no error-severity violation and no input error;
1 at least one error-severity violation; 2 input errors or bad usage.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from checker.api import Options, check
from checker.docs import clause_table, explain_text, rule_table, rules_markdown
from checker.reporters import REPORTERS
from checker.resources import DEFAULT_RULEBOOK
from checker.rulebook import load_rulebook
from checker.workdays import WorkCalendar, from_file, official, weekends_only

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Check '双随机、一公开' supervision records against a rulebook, with citations.")


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"dsr-check: {message}", err=True)
    return typer.Exit(2)


def _calendar(path: Path | None, weekends: bool) -> WorkCalendar:
    if path and weekends:
        raise _fail("--calendar and --weekends-only exclude each other")
    if weekends:
        return weekends_only()
    if path:
        calendar, errors = from_file(str(path))
        if errors or calendar is None:
            for e in errors:
                typer.echo(f"dsr-check: {e.file}{'#' + e.path if e.path else ''}: {e.message}", err=True)
            raise typer.Exit(2)
        return calendar
    return official()


def _progress_bar() -> Callable[[int, int], None]:
    """A one-line bar on stderr, for a terminal only (no bar in pipes, files or CI logs)."""

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\rdsr-check: [{'#' * filled}{'.' * (width - filled)}] {done}/{total} shards")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def write_atomically(path: Path, text: str) -> None:
    """Write a whole report or nothing: a temporary file renamed into place."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".dsr-check-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command("check")
def check_command(
    paths: Annotated[list[str], typer.Argument(help="Input files or folders (.json, .yaml, .yml).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge obligations at this date (default: today, Asia/Shanghai).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Report format.")] = Format.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Report language.")] = Lang.zh,
    calendar: Annotated[Path | None, typer.Option("--calendar", help="A working-day calendar file (YAML/JSON) that adds or overrides years.")] = None,
    weekends_only_: Annotated[bool, typer.Option("--weekends-only", help="Count Monday–Friday as working days, ignoring holidays.")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the report to this file.")] = None,
    rulebook: Annotated[str, typer.Option("--rulebook", help="A bundled rulebook name or a rulebook folder.")] = DEFAULT_RULEBOOK,
    workers: Annotated[int, typer.Option("--workers", min=0, help="Processes checking shards of a large input (0: one per core). The report is the same for any number.")] = 1,
) -> None:
    """Check documents and report violations with their clauses."""
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise _fail(f"--as-of {as_of!r} is not a date YYYY-MM-DD") from None
    options = Options(as_of=day, lang=lang.value, calendar=_calendar(calendar, weekends_only_),
                      rulebook=rulebook, workers=workers or os.cpu_count() or 1,
                      progress=_progress_bar() if sys.stderr.isatty() else None)
    report = check(paths, options)
    text = REPORTERS[fmt.value](report)
    if output:
        write_atomically(output, text)
    else:
        sys.stdout.write(text)
    raise typer.Exit(report.exit_code)


@app.command("rules")
def rules_command(
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    rulebook: Annotated[str, typer.Option("--rulebook")] = DEFAULT_RULEBOOK,
) -> None:
    """List every rule: code, clause, severity, title."""
    typer.echo(rule_table(load_rulebook(rulebook), lang.value), nl=False)


@app.command("clauses")
def clauses_command(
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    rulebook: Annotated[str, typer.Option("--rulebook")] = DEFAULT_RULEBOOK,
) -> None:
    """Every clause and the rules that enforce it, or why it is not checkable."""
    typer.echo(clause_table(load_rulebook(rulebook), lang.value), nl=False)


@app.command("explain")
def explain_command(
    target: Annotated[str, typer.Argument(help="A rule code or a clause ID (e.g. 4.1.2).")],
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    rulebook: Annotated[str, typer.Option("--rulebook")] = DEFAULT_RULEBOOK,
) -> None:
    """The clause text, the reading, what the rule checks, a failing and a passing example."""
    text = explain_text(load_rulebook(rulebook), target, lang.value)
    if text is None:
        raise _fail(f"no rule or clause {target!r}; see `dsr-check rules` and `dsr-check clauses`")
    typer.echo(text, nl=False)


@app.command("docs")
def docs_command(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.en,
    rulebook: Annotated[str, typer.Option("--rulebook")] = DEFAULT_RULEBOOK,
) -> None:
    """The rulebook's reference page (Markdown), generated from its metadata and cases."""
    text = rules_markdown(load_rulebook(rulebook), lang.value)
    if output:
        write_atomically(output, text)
    else:
        sys.stdout.write(text)


def main() -> None:
    app()
