"""`dsr-check --help` in Chinese when the locale or `--lang zh` asks for it (checker/help.zh.yaml)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # typer may carry its own copy of click: only its types are named here
    import click

_CATALOG = Path(__file__).resolve().parent / "help.zh.yaml"


@cache
def catalog() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(_CATALOG.read_text(encoding="utf-8"))
    return {"texts": dict(data["texts"]), "screens": dict(data["screens"])}


def wanted(argv: Sequence[str], environ: Mapping[str, str]) -> bool:
    """Chinese help: `--lang zh` (or `--lang=zh`) on the command line, else a Chinese locale
    (the first of LC_ALL, LC_MESSAGES, LANG that is set); `--lang en` keeps English."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] == "zh"
        if arg.startswith("--lang="):
            return arg == "--lang=zh"
    locale = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    return locale.lower().startswith("zh")


def without_top_level_lang(argv: list[str]) -> list[str]:
    """`dsr-check --help --lang zh`: before any command, --lang only chose the help's language."""
    if not argv or not argv[0].startswith("-"):
        return argv
    out, skip = [], False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--lang" and i + 1 < len(argv):
            skip = True
        elif not arg.startswith("--lang="):
            out.append(arg)
    return out


def in_chinese(command: click.Command) -> click.Command:
    """The command with its help texts, and its subcommands', in Chinese; the help screens' own
    words (用法、选项、命令) too. English stays where the catalog has no entry."""
    texts, screens = catalog()["texts"], catalog()["screens"]
    _screens(screens)
    _translate(command, texts, screens)
    return command


def _translate(command: click.Command, texts: dict[str, str], screens: dict[str, str]) -> None:
    if command.help in texts:
        command.help = texts[command.help]
        command.short_help = None
    for p in command.params:
        help_text = getattr(p, "help", None)
        if help_text in texts:
            p.help = texts[help_text]  # type: ignore[attr-defined]
    original = command.get_help_option

    def help_option(ctx: click.Context) -> click.Option | None:
        option = original(ctx)
        if option is not None:
            option.help = screens["Show this message and exit."]
        return option

    command.get_help_option = help_option  # type: ignore[method-assign]
    for sub in getattr(command, "commands", {}).values():
        _translate(sub, texts, screens)


def _screens(screens: dict[str, str]) -> None:
    """The frame of the help screens: click's usage prefix, typer's panel titles."""
    import importlib

    for name in ("click.formatting", "typer._click.formatting"):  # typer may carry its own click
        try:
            formatter: Any = importlib.import_module(name).HelpFormatter
        except (ImportError, AttributeError):
            continue
        write_usage = formatter.write_usage

        def usage(self: Any, prog: str, args: str = "", prefix: str | None = None, write_usage: Any = write_usage,
                  ) -> None:
            write_usage(self, prog, args, screens["Usage:"] if prefix is None else prefix)

        formatter.write_usage = usage
    try:
        import typer.rich_utils as rich
    except ImportError:  # typer without rich: click's plain help
        return
    rich.OPTIONS_PANEL_TITLE = screens["Options"]
    rich.ARGUMENTS_PANEL_TITLE = screens["Arguments"]
    rich.COMMANDS_PANEL_TITLE = screens["Commands"]
    rich.ERRORS_PANEL_TITLE = screens["Error"]
    rich.REQUIRED_LONG_STRING = f"[{screens['required']}]"
    rich.DEFAULT_STRING = f"[{screens['default']}：{{}}]"
