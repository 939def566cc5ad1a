"""GitHub Actions workflow-command annotations, one line per finding.

`::error file=…,line=…,col=…,title=…::message` for violations (error, warning
or notice after the rule's severity), a notice per pending obligation, an
error per input error. Values are escaped as the runner expects: in the
message `%`, CR and LF; in properties also `:` and `,`. A spreadsheet place
(sheet and cell) leads the message, since annotations know only lines.
"""

from __future__ import annotations

from typing import Any

from checker.report import Report
from checker.reporters.common import level, words


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, file: str, source: dict[str, Any], title: str, message: str) -> str:
    props = [f"file={escape_property(file)}"] if file else []
    if "line" in source:
        props.append(f"line={source['line']}")
        props.append(f"col={source.get('column', 1)}")
    elif "sheet" in source:
        message = f"{source['sheet']}!{source.get('column', '')}{source['row']}: {message}"
    props.append(f"title={escape_property(title)}")
    return f"::{kind} {','.join(props)}::{escape_data(message)}"


def render_github(report: Report) -> str:
    w = words(report)
    out: list[str] = []
    for f in report.findings:
        if f.status == "violation":
            kind = {"error": "error", "warning": "warning"}.get(level(f.severity), "notice")
            text = f"{f.message} {w['remedy']}{w['colon']}{f.remedy}" if f.remedy else f.message
            out.append(_command(kind, f.file, f.source, f"{f.clause} {f.rule} ({f.subject})", text))
        elif f.status == "pending":
            out.append(_command("notice", f.file, f.source,
                                f"{w['pending']} {f.clause} {f.rule} ({f.subject})",
                                f"{w['due']} {f.due}{w['colon']}{f.message}"))
    for e in report.input_errors:
        text = e.text(report.lang)
        # in Chinese a spreadsheet's cell leads the message (_command); the contract's pointer is not shown
        pointer = e.path if e.path and (report.lang == "en" or "sheet" not in dict(e.source)) else ""
        out.append(_command("error", e.file, dict(e.source), w["input_errors"],
                            f"{pointer}{w['colon']}{text}" if pointer else text))
    s = report.summary()
    out.append(" · ".join(f"{w[k]} {s[k]}" for k in ("documents", "violations", "waived", "pending",
                                                       "not_evaluated", "input_errors")))
    return "\n".join(out) + "\n"
