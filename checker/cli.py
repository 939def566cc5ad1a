"""The `dsr-check` command: parse options, call the library, pick a reporter, exit.

Exit codes (data contract): 0 no error-severity violation and no input error;
1 at least one error-severity violation; 2 input errors (they take precedence
over violations: the valid documents are still checked and reported); 3 bad
usage (an unknown option, a value no option takes, an output that cannot be
written), decided before anything is checked.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
import yaml
from typer.core import TyperGroup

from checker import help_zh, obligations, output
from checker.api import Options, check
from checker.cluster import ClusterError
from checker.cluster import parse as parse_cluster
from checker.dates import read_date
from checker.docs import clause_table, explain_text, rule_table, rules_markdown
from checker.errors import InputError
from checker.labels import labels
from checker.messages import in_chinese
from checker.read.inputs import MAX_DEPTH_CEILING, Limits
from checker.reporters import LISTS_PASSES, REPORTERS
from checker.reporters.paths import default_base
from checker.resources import DEFAULT_RULEBOOK
from checker.rulebook import Rulebook, load_rulebook, load_rulebooks
from checker.tables import TableOptions
from checker.terminal import visible, visible_lines
from checker.workdays import WorkCalendar, from_file, official, weekends_only

USAGE = 3  # the exit status of bad usage; 2 is input errors (Report.exit_code)
# Click's base of every usage error (an unknown option, a bad value, a missing argument), as
# typer carries it (its own copy of click, or click itself).
_UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class _Commands(TyperGroup):
    """Click's own usage errors exit with USAGE, as ours do."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except _UsageError as exc:
            exc.exit_code = USAGE
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _UsageError as exc:
            exc.exit_code = USAGE
            raise


app = typer.Typer(cls=_Commands, add_completion=False, no_args_is_help=True,
                  help="Check '双随机、一公开' supervision records against a rulebook, with citations.")


# One choice per registered reporter: adding a reporter adds the option value.
Format = StrEnum("Format", {name: name for name in REPORTERS})


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def _fail(message: str) -> typer.Exit:
    """Bad usage: say what is wrong and exit with USAGE (in Chinese when the locale or --lang zh
    asks, as --help is)."""
    if help_zh.wanted(sys.argv[1:], os.environ):
        message = in_chinese(message)
    typer.echo(f"dsr-check: {visible(message)}", err=True)
    return typer.Exit(USAGE)


def _echo_error(e: InputError, lang: str = "en") -> None:
    message = e.text(lang)
    typer.echo(f"dsr-check: {visible(e.file)}{'#' + visible(e.path) if e.path else ''}: {visible(message)}",
               err=True)


_DEFAULTS = Limits()


def _rulebook(name: str) -> Rulebook:
    """The rulebook named, or a usage error naming what is wrong with it."""
    try:
        return load_rulebook(name)
    except OSError as exc:
        raise _fail(f"no rulebook {name!r}: {exc.strerror or exc} ({exc.filename})") from None
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise _fail(f"rulebook {name!r} cannot be read: {type(exc).__name__}: {exc}") from None


def _rulebooks(names: list[str] | None) -> tuple[str, ...]:
    """The rulebooks named (by default the bundled one), checked to load and compose."""
    chosen = tuple(names or [DEFAULT_RULEBOOK])
    for name in chosen:
        _rulebook(name)
    try:
        load_rulebooks(chosen)
    except ValueError as exc:
        raise _fail(f"rulebooks {' + '.join(chosen)} cannot be composed: {exc}") from None
    return chosen


def _calendar(path: Path | None, weekends: bool, limits: Limits) -> tuple[WorkCalendar, list[InputError]]:
    """The working-day calendar, and the errors of a --calendar file that cannot be used (then the
    official calendar is returned, and nothing is to be checked with it)."""
    if path and weekends:
        raise _fail("--calendar and --weekends-only exclude each other")
    if weekends:
        return weekends_only(), []
    if path:
        calendar, errors = from_file(str(path), limits)
        if errors or calendar is None:
            return official(), errors
        return calendar, []
    return official(), []


def _progress_bar(stream: TextIO | None = None) -> Callable[[int, int], None]:
    """A one-line bar on stderr, for a terminal only (no bar in pipes, files or CI logs).

    It advances as each batch's facts are made and each shard is checked, and clears its
    line when the work is done, so the report or the next prompt starts on a clean line.
    """
    out = stream or sys.stderr
    shown = -1

    def show(done: int, total: int) -> None:
        nonlocal shown
        width = 30
        filled = width * done // max(total, 1)
        percent = 100 * done // max(total, 1)
        if done >= total:
            out.write("\r\x1b[2K")  # carriage return, erase the line
        elif percent != shown:
            out.write(f"\rdsr-check: [{'#' * filled}{'.' * (width - filled)}] {percent:3d}%")
        else:
            return
        shown = percent
        out.flush()

    return show


def _guard(targets: list[str], reads: set[tuple[int, int]]) -> None:
    """Refuse, before the run, any target a report may not be written to (checker.output)."""
    try:
        output.check_targets(targets, reads)
    except output.Refused as exc:
        raise _fail(str(exc)) from None


def _write_or_print(target: Path | str | None, text: str | bytes, newline: str = "\n") -> None:
    try:
        output.write(output.STDOUT if target is None else str(target), text, newline)
    except output.Refused as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"cannot write {target}: {exc.strerror or exc}") from None


@app.command("check")
def check_command(
    paths: Annotated[list[str], typer.Argument(
        help="Input files or folders (.json, .jsonl, .yaml, .yml, .xlsx, .xls, .docx, .csv).")],
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Judge obligations at this date (default: today, Asia/Shanghai).")] = None,
    fmt: Annotated[list[Format] | None, typer.Option(
        "--format", help="Report format; repeat it, each with its own -o, for several reports in one run.")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Report language.")] = Lang.zh,
    calendar: Annotated[Path | None, typer.Option(
        "--calendar", help="A working-day calendar file (YAML/JSON) that adds or overrides years.")] = None,
    weekends_only_: Annotated[bool, typer.Option(
        "--weekends-only", help="Count Monday–Friday as working days, ignoring holidays.")] = False,
    outputs: Annotated[list[str] | None, typer.Option(
        "-o", "--output",
        help="Write the report to this file, or - for standard output (the n-th -o takes the n-th --format).")] = None,
    base_dir: Annotated[Path | None, typer.Option(
        "--base-dir", file_okay=False,
        help="SARIF and Code Quality name files relative to this folder "
             "(default: the current folder, when every input is inside it).")] = None,
    rulebook: Annotated[list[str] | None, typer.Option(
        "--rulebook", help="A bundled rulebook name or a rulebook folder; repeat it to check against several.",
    )] = None,
    waivers: Annotated[Path | None, typer.Option(
        "--waivers", help="A waiver file (YAML): approved violations are reported as waived.")] = None,
    no_waivers: Annotated[bool, typer.Option(
        "--no-waivers", help="Ignore --waivers (an audit run: every violation counts).")] = False,
    plan_fields: Annotated[list[str] | None, typer.Option(
        "--plan", help="A plan field a spreadsheet's header block leaves blank, as KEY=VALUE (year=2021).")] = None,
    item_fields: Annotated[list[str] | None, typer.Option(
        "--items", help="An item-list field a spreadsheet leaves blank, as KEY=VALUE (level=县级).")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", min=0,
        help="Processes checking shards of a large input (0: one per core). The report is the same for any number.",
    )] = 1,
    cluster: Annotated[str | None, typer.Option(
        "--cluster", help="Check the shards on a Dask cluster: dask://HOST:PORT (a running scheduler, the inputs "
        "on a file system its workers share) or local:N (N worker processes here). Needs dsr-check[cluster].",
    )] = None,
    max_file_mb: Annotated[int, typer.Option(
        "--max-file-mb", min=1, help="Refuse, unread, any input file larger than this (MiB).",
    )] = _DEFAULTS.max_file_bytes // 2**20,
    max_documents: Annotated[int, typer.Option(
        "--max-documents", min=1, help="Check at most this many documents in one run.",
    )] = _DEFAULTS.max_documents,
    max_depth: Annotated[int, typer.Option(
        "--max-depth", min=1, max=MAX_DEPTH_CEILING, help="Refuse values nested deeper than this.",
    )] = _DEFAULTS.max_depth,
    max_string: Annotated[int, typer.Option(
        "--max-string", min=1, help="Refuse texts and keys longer than this (characters).",
    )] = _DEFAULTS.max_string_chars,
    max_yaml_values: Annotated[int, typer.Option(
        "--max-yaml-values", min=1, help="Refuse a YAML file holding more values than this (bulk data: JSON).",
    )] = _DEFAULTS.max_yaml_values,
    follow_links: Annotated[bool, typer.Option(
        "--follow-links", help="Read symbolic links in the folders named that lead out of them (refused by default).",
    )] = False,
) -> None:
    """Check documents and report violations with their clauses."""
    day = _as_of(as_of)
    limits = Limits(max_file_bytes=max_file_mb * 2**20, max_documents=max_documents,
                    max_depth=max_depth, max_string_chars=max_string, max_yaml_values=max_yaml_values,
                    follow_links=follow_links)
    targets = _targets(fmt or [Format("text")], outputs or [])
    _guard([p for _, p in targets if p is not None],
           output.protected([*paths, *(str(f) for f in (calendar, waivers) if f is not None)]))
    books = _rulebooks(rulebook)
    work_calendar, calendar_errors = _calendar(calendar, weekends_only_, limits)
    options = Options(as_of=day, lang=lang.value, calendar=work_calendar,
                      rulebook=books, limits=limits,
                      waivers=None if no_waivers or not waivers else str(waivers),
                      tables=_table_options(plan_fields, item_fields),
                      workers=workers or _cores(), obligations=False,
                      list_satisfied=any(name in LISTS_PASSES for name, _ in targets),
                      progress=_progress_bar() if sys.stderr.isatty() else None, cluster=cluster)
    try:
        if cluster:
            parse_cluster(cluster)
        # a calendar file that cannot be used stops the check: the report says why, in every format
        report = replace(check([], options), input_errors=calendar_errors) if calendar_errors \
            else check(paths, options)
    except ClusterError as exc:
        raise _fail(str(exc)) from None
    files = [i["file"] for i in report.inputs]
    report = replace(report, base_dir=str(base_dir) if base_dir else default_base(files, os.getcwd()))
    # The reports build a dict or a line a finding, and the cyclic collector, triggered by those
    # allocations, would walk the run's millions of objects over and over (check() keeps it off
    # while it runs, for the same reason); the process ends when they are written.
    gc.disable()
    for name, path in targets:
        _write_or_print(path, REPORTERS[name](report))
    raise typer.Exit(report.exit_code)


def _as_of(text: str | None) -> dt.date | None:
    """--as-of, read as documents' dates are: YYYY-MM-DD only (not 2021W527)."""
    if text is None:
        return None
    day = read_date(text)
    if day is None:
        raise _fail(f"--as-of {text!r} is not a date YYYY-MM-DD")
    return day


def _table_options(plan: list[str] | None, items: list[str] | None) -> TableOptions:
    """--plan/--items KEY=VALUE pairs, in the order given."""
    pairs: list[tuple[tuple[str, str], ...]] = []
    for name, given in (("--plan", plan or []), ("--items", items or [])):
        out = []
        for text in given:
            key, sep, value = text.partition("=")
            if not sep or not key.strip():
                raise _fail(f"{name} {text!r}: expected KEY=VALUE, e.g. {name} year=2021")
            out.append((key.strip(), value.strip()))
        pairs.append(tuple(out))
    return TableOptions(plan=pairs[0], items=pairs[1])


def _targets(formats: list[Format], outputs: list[str]) -> list[tuple[str, str | None]]:
    """Pair each --format with its -o: one format may go to stdout; several need one -o each (- for stdout)."""
    if len(formats) == 1 and len(outputs) <= 1:
        return [(formats[0].value, outputs[0] if outputs else None)]
    if len(outputs) != len(formats):
        raise _fail(f"{len(formats)} --format options need {len(formats)} -o files (got {len(outputs)}); "
                    "write e.g. --format json -o report.json --format html -o report.html "
                    "(-o - is standard output)")
    return [(f.value, p) for f, p in zip(formats, outputs, strict=True)]


@app.command("deadlines")
def deadlines_command(
    paths: Annotated[list[str], typer.Argument(help="Input files or folders.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge obligations at this date.")] = None,
    ics: Annotated[Path | None, typer.Option("--ics", help="Also write the obligations as an iCalendar file.")] = None,
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    calendar: Annotated[Path | None, typer.Option("--calendar")] = None,
    weekends_only_: Annotated[bool, typer.Option("--weekends-only")] = False,
    rulebook: Annotated[list[str] | None, typer.Option("--rulebook", help="As for check.")] = None,
    plan_fields: Annotated[list[str] | None, typer.Option("--plan", help="As for check.")] = None,
    item_fields: Annotated[list[str] | None, typer.Option("--items", help="As for check.")] = None,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="As for check.")] = False,
) -> None:
    """Every obligation the documents create, with its due date and status (met, late, pending)."""
    day = _as_of(as_of)
    books = _rulebooks(rulebook)
    if ics is not None:
        if str(ics) == output.STDOUT:
            raise _fail("--ics -: the table goes to standard output; name a file for the calendar")
        _guard([str(ics)], output.protected([*paths, *([str(calendar)] if calendar else [])]))
    work_calendar, calendar_errors = _calendar(calendar, weekends_only_, _DEFAULTS)
    for e in calendar_errors:
        _echo_error(e, lang.value)
    if calendar_errors:
        raise typer.Exit(2)
    report = check(paths, Options(as_of=day, lang=lang.value, calendar=work_calendar,
                                  rulebook=books, tables=_table_options(plan_fields, item_fields),
                                  limits=Limits(follow_links=follow_links)))
    lab = None if lang is Lang.en else labels(*load_rulebooks(books).folders)
    sys.stdout.write(obligations.table(report.obligations, lang.value, lab))
    if ics:
        _write_or_print(ics, obligations.calendar(report.obligations, dt.date.fromisoformat(report.as_of),
                                                  lang.value, lab), newline="")
    for e in report.input_errors:
        _echo_error(e, lang.value)
    raise typer.Exit(2 if report.input_errors else 0)


@app.command("read")
def read_command(
    paths: Annotated[list[str], typer.Argument(help="Input files or folders.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    plan_fields: Annotated[list[str] | None, typer.Option("--plan", help="As for check.")] = None,
    item_fields: Annotated[list[str] | None, typer.Option("--items", help="As for check.")] = None,
    max_file_mb: Annotated[int, typer.Option(
        "--max-file-mb", min=1, help="As for check.")] = _DEFAULTS.max_file_bytes // 2**20,
    max_documents: Annotated[int, typer.Option(
        "--max-documents", min=1, help="As for check.")] = _DEFAULTS.max_documents,
    lang: Annotated[Lang, typer.Option("--lang", help="The language of the input errors printed on stderr "
                                                      "(the reading keeps each message as check reads it back).")]
    = Lang.zh,
) -> None:
    """What check would check, as JSON: the documents, each cell they were read from, the input errors."""
    from checker import output as output_
    from checker.api import read

    if output is not None:
        _guard([str(output)], output_.protected(paths))
    limits = Limits(max_file_bytes=max_file_mb * 2**20, max_documents=max_documents)
    value = read(paths, Options(limits=limits, tables=_table_options(plan_fields, item_fields)))
    _write_or_print(output, json.dumps(value, ensure_ascii=False, indent=1) + "\n")
    for e in value["input_errors"]:
        _echo_error(InputError(e["file"], e["path"], e["message"]), lang.value)
    raise typer.Exit(2 if value["input_errors"] else 0)


class TemplateKind(StrEnum):
    plan = "plan"
    items = "items"
    adjustment = "adjustment"
    batch = "batch"
    progress_report = "progress_report"
    work_norm = "work_norm"


_TABLES = {TemplateKind.plan, TemplateKind.items}  # the kinds whose template is only a workbook; the rest also YAML


@app.command("template")
def template_command(
    target: Annotated[Path, typer.Option("-o", "--output", help="The file to write: an .xlsx workbook (every "
                                                               "kind), or a .yaml form (the kinds but plan "
                                                               "and items).")],
    kind: Annotated[TemplateKind, typer.Option(
        "--kind", help="plan (one row per task), items (an item list), or a document written by hand: "
                       "adjustment, batch (with its results), progress_report, work_norm.")] = TemplateKind.plan,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write a blank form to fill in: a workbook for every kind, or YAML for a document written by hand."""
    from checker.tables.template import template_bytes
    from checker.written_template import yaml_template

    suffix = target.suffix.lower()
    table = suffix == ".xlsx"
    if kind in _TABLES and not table:
        raise _fail(f"{target}: the {kind.value} template is an .xlsx workbook")
    if not table and suffix not in {".yaml", ".yml"}:
        raise _fail(f"{target}: the {kind.value} template is an .xlsx workbook or a .yaml file")
    if target.exists() and not force:
        raise _fail(f"{target} exists (it may be filled in): choose another name, or give --force to replace it")
    _guard([str(target)], set())
    _write_or_print(target, template_bytes(kind.value) if table else yaml_template(kind.value))


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


@app.command("rules")
def rules_command(
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    rulebook: Annotated[str, typer.Option("--rulebook")] = DEFAULT_RULEBOOK,
) -> None:
    """List every rule: code, clause, severity, title."""
    typer.echo(visible_lines(rule_table(_rulebook(rulebook), lang.value)), nl=False)


@app.command("clauses")
def clauses_command(
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    rulebook: Annotated[str, typer.Option("--rulebook")] = DEFAULT_RULEBOOK,
) -> None:
    """Every clause and the rules that enforce it, or why it is not checkable."""
    typer.echo(visible_lines(clause_table(_rulebook(rulebook), lang.value)), nl=False)


@app.command("explain")
def explain_command(
    target: Annotated[str, typer.Argument(
        help="A rule code, a clause ID (4.1.2, 3.5) or the citation a report prints (四（一）第2段, 三（五）).")],
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    full: Annotated[bool, typer.Option("--full", help="For a clause: every rule in full, not a summary.")] = False,
    rulebook: Annotated[str, typer.Option("--rulebook")] = DEFAULT_RULEBOOK,
) -> None:
    """The clause text, the reading, what the rule checks, a failing and a passing example."""
    text = explain_text(_rulebook(rulebook), target, lang.value, full)
    if text is None:
        raise _fail(f"no rule or clause {target!r}; see `dsr-check rules` and `dsr-check clauses`")
    typer.echo(visible_lines(text), nl=False)


@app.command("docs")
def docs_command(
    target: Annotated[str | None, typer.Option("-o", "--output", help="Write to this file (- for standard output).")]
    = None,
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.en,
    rulebook: Annotated[str, typer.Option("--rulebook")] = DEFAULT_RULEBOOK,
) -> None:
    """The rulebook's reference page (Markdown), generated from its metadata and cases."""
    if target is not None:
        _guard([target], set())
    _write_or_print(target, rules_markdown(_rulebook(rulebook), lang.value))


@app.command("serve")
def serve_command(
    db: Annotated[str, typer.Option("--db", help="A SQLite file, or postgresql://user@host/name.")] = "dsr-check.db",
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Checks run at once.")] = 2,
    seconds: Annotated[float, typer.Option("--check-seconds", min=1, help="Time limit of one check.")] = 120.0,
    memory_mb: Annotated[int, typer.Option("--check-memory-mb", min=64, help="Memory of one check (MiB).")] = 4096,
    per_account: Annotated[int, typer.Option("--checks-per-account", min=1,
                                             help="Checks one account may have queued or running.")] = 4,
    secure_cookies: Annotated[bool, typer.Option("--secure-cookies", help="Behind HTTPS: cookies only over it.")]
    = False,
) -> None:
    """Start the web service (submissions, reports, review) on a database."""
    from checker.web.commands import serve

    serve(db, host, port, workers, seconds, memory_mb, secure_cookies, per_account)


users_app = typer.Typer(help="Accounts of the web service.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add_command(
    name: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option("--role", help="department, conference, justice or admin.")],
    department: Annotated[str | None, typer.Option("--department")] = None,
    jurisdiction: Annotated[str | None, typer.Option("--jurisdiction")] = None,
    db: Annotated[str, typer.Option("--db")] = "dsr-check.db",
) -> None:
    """Create an account; the password is asked for (or read from the first line of standard input)."""
    from checker.web.auth import AccountError
    from checker.web.commands import users_add

    try:
        typer.echo(users_add(db, name, role, department, jurisdiction))
    except AccountError as exc:
        raise _fail(str(exc)) from None


@users_app.command("token")
def users_token_command(
    name: Annotated[str, typer.Argument()],
    label: Annotated[str, typer.Option("--label")] = "",
    db: Annotated[str, typer.Option("--db")] = "dsr-check.db",
) -> None:
    """Print a new API token for the account (shown this once)."""
    from checker.web.auth import AccountError
    from checker.web.commands import users_token

    try:
        typer.echo(users_token(db, name, label))
    except AccountError as exc:
        raise _fail(str(exc)) from None


def main() -> None:
    """The `dsr-check` command: run it, flush what it wrote, and exit at once.

    A year of results leaves a gigabyte of objects behind, and the interpreter would
    spend half a second freeing them on its way out. The report is written and the
    files closed by then, so the process ends without that teardown (as mypy does).
    """
    try:
        if help_zh.wanted(sys.argv[1:], os.environ):
            help_zh.in_chinese(typer.main.get_command(app))(
                args=help_zh.without_top_level_lang(sys.argv[1:]), prog_name="dsr-check")
        else:
            app()
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    os._exit(_flushed(code))


def _flushed(code: object) -> int:
    """Flush stdout and stderr; the exit status sys.exit would give for `code`."""
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away, or the stream is closed
            pass
    return code or 0
