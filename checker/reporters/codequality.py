"""GitLab Code Quality: a JSON list of issues a merge request's widget shows.

One issue per violation (severity major for error, minor for warning, info for
info) and one per input error (critical: what could not be read was not
checked). Waived and pending findings are not issues. Paths are relative to
the report's base folder, as GitLab matches them against the repository; an
issue without a line (a spreadsheet cell) is placed on line 1 and names its
cell in the description.
"""

from __future__ import annotations

import json
from typing import Any

from checker.errors import InputError
from checker.report import Finding, Report
from checker.reporters.paths import relative
from checker.reporters.sarif import INPUT_ERROR, error_fingerprint, fingerprint

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def _path(file: str, base: str | None) -> str:
    return relative(file, base) or file


def _issue(f: Finding, base: str | None) -> dict[str, Any]:
    cell = f" ({f.source['sheet']}!{f.source.get('column', '')}{f.source['row']})" if "sheet" in f.source else ""
    return {
        "type": "issue",
        "check_name": f.rule,
        "description": f"{f.clause} {f.subject}: {f.message}{cell}",
        "content": {"body": f"「{f.quote}」\n\n{f.remedy}"},
        "severity": SEVERITY.get(f.severity, "info"),
        "fingerprint": fingerprint(f),
        "location": {"path": _path(f.file, base), "lines": {"begin": int(f.source.get("line", 1))}},
    }


def _error(e: InputError, lang: str, base: str | None) -> dict[str, Any]:
    # in Chinese a spreadsheet's error names its cell in the message; the contract's pointer is not shown
    pointer = e.path if e.path and (lang == "en" or "sheet" not in dict(e.source)) else ""
    return {
        "type": "issue",
        "check_name": INPUT_ERROR,
        "description": f"{pointer + (': ' if lang == 'en' else '：') if pointer else ''}{e.text(lang)}",
        "severity": "critical",
        "fingerprint": error_fingerprint(e),
        "location": {"path": _path(e.file, base), "lines": {"begin": int(dict(e.source).get("line", 1))}},
    }


def render_codequality(report: Report) -> str:
    issues = [_issue(f, report.base_dir) for f in report.of("violation")]
    issues += [_error(e, report.lang, report.base_dir) for e in report.input_errors]
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
