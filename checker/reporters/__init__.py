"""Reporters: small functions that render a Report, picked by name."""

from __future__ import annotations

from collections.abc import Callable

from checker.report import Report
from checker.reporters.codequality import render_codequality
from checker.reporters.github import render_github
from checker.reporters.html_report import render_html
from checker.reporters.json_report import render_json
from checker.reporters.junit import render_junit
from checker.reporters.markdown import render_markdown
from checker.reporters.sarif import render_sarif
from checker.reporters.text_report import render_text

# The CLI's --format choices are these keys, in this order (the default first).
REPORTERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "github": render_github,
    "html": render_html,
    "markdown": render_markdown,
    "codequality": render_codequality,
}

# Reporters that list each (rule, document) that passed: the run must list what it satisfied
# (Options.list_satisfied), which it otherwise only counts.
LISTS_PASSES = frozenset({"junit"})
