"""Reporters: small classes that render a Report, picked by name."""

from __future__ import annotations

from collections.abc import Callable

from checker.report import Report
from checker.reporters.json_report import render_json
from checker.reporters.text_report import render_text

REPORTERS: dict[str, Callable[[Report], str]] = {
    "json": render_json,
    "text": render_text,
}
