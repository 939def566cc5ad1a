"""SARIF 2.1.0 for code-scanning UIs.

One reporting descriptor per rule (its clause, citation and help), one result
per violation (kind fail, level from the rule's severity), per waived
violation (with an accepted external suppression) and per pending obligation
(kind open, level none, as SARIF requires for a result that is not a failure).
A result's physical location is its file with the line and column where the
input has lines (JSON, YAML), or the sheet, row and column of a spreadsheet
cell as properties; its logical location is the document and the subject.
Input errors are tool execution notifications.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from checker import __version__
from checker.errors import InputError
from checker.report import Finding, Report
from checker.reporters.common import level

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def uri(file: str) -> str:
    """A file name as a URI reference: relative names stay relative, percent-encoded."""
    p = Path(file)
    if p.is_absolute():
        return p.as_uri()
    return quote(PurePosixPath(p.as_posix()).as_posix(), safe="/")


def _descriptor(report: Report, code: str) -> dict[str, Any]:
    book, lang = report.book, report.lang
    assert book is not None
    rule = book.rules[code]
    clause = book.clauses[rule.clause]
    citation = clause.citation(lang)
    help_text = f"{citation}：「{rule.quote}」\n{rule.checks(lang)}"
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.title(lang)},
        "fullDescription": {"text": rule.checks(lang)},
        "help": {"text": help_text,
                 "markdown": f"**{citation}**\n\n> {rule.quote}\n\n{rule.checks(lang)}"},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"clause": rule.clause, "citation": citation, "severity": rule.severity,
                       "readings": list(rule.readings), "tags": [f"clause-{rule.clause}", rule.group]},
    }


def _physical(file: str, source: dict[str, Any], artifacts: dict[str, int]) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": uri(file)}
    if file in artifacts:
        artifact["index"] = artifacts[file]
    out: dict[str, Any] = {"artifactLocation": artifact}
    if "line" in source:
        out["region"] = {"startLine": source["line"], "startColumn": source.get("column", 1)}
    elif "sheet" in source:
        out["properties"] = {k: source[k] for k in ("sheet", "row", "column", "header") if k in source}
    elif "option" in source:
        out["properties"] = {"option": source["option"]}
    return out


def _location(f: Finding, artifacts: dict[str, int]) -> dict[str, Any]:
    logical: list[dict[str, Any]] = [
        {"name": f.subject, "fullyQualifiedName": f"{f.document}/{f.subject}", "kind": "object",
         "properties": {"document": f.document, "subject": f.subject, "path": f.path}},
    ]
    if "sheet" in f.source:
        ref = f"{f.source['sheet']}!{f.source.get('column', '')}{f.source['row']}"
        logical.append({"name": ref, "fullyQualifiedName": f"{f.file}#{ref}", "kind": "element"})
    return {"physicalLocation": _physical(f.file, f.source, artifacts), "logicalLocations": logical}


def _fingerprint(f: Finding) -> str:
    key = "\0".join((f.rule, f.document, f.subject, f.path, json.dumps(f.evidence, sort_keys=True,
                                                                     ensure_ascii=False, default=str)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _result(f: Finding, index: dict[str, int], artifacts: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {"ruleId": f.rule, "ruleIndex": index[f.rule]}
    if f.status == "pending":
        out.update(kind="open", level="none")
    else:
        out.update(kind="fail", level=level(f.severity))
    out["message"] = {"text": f.message}
    out["locations"] = [_location(f, artifacts)]
    out["partialFingerprints"] = {"dsrCheckFinding/v1": _fingerprint(f)}
    props: dict[str, Any] = {"clause": f.clause, "citation": f.citation, "quote": f.quote,
                             "document": f.document, "subject": f.subject, "path": f.path,
                             "evidence": f.evidence}
    if f.remedy:
        props["remedy"] = f.remedy
    if f.due:
        props["due"] = f.due
    out["properties"] = props
    if f.status == "waived" and f.waiver:
        w = f.waiver
        out["suppressions"] = [{
            "kind": "external", "status": "accepted",
            "justification": f"{w.get('reason', '')}（{w.get('authority', '')}）",
            "properties": w,
        }]
    return out


def _notification(e: InputError, artifacts: dict[str, int]) -> dict[str, Any]:
    source = dict(e.source)
    location: dict[str, Any] = {"physicalLocation": _physical(e.file, source, artifacts)} if e.file else {}
    if e.path:
        location["logicalLocations"] = [{"fullyQualifiedName": f"{e.file}#{e.path}", "kind": "value"}]
    return {"level": "error", "message": {"text": e.message}, **({"locations": [location]} if location else {})}


def render_sarif(report: Report) -> str:
    codes = [t.rule for t in report.tallies]
    index = {code: i for i, code in enumerate(codes)}
    artifacts = {i["file"]: n for n, i in enumerate(report.inputs)}
    results = [_result(f, index, artifacts) for f in report.findings
               if f.status in {"violation", "waived", "pending"}]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "dsr-check", "version": __version__, "semanticVersion": __version__,
            "rules": [_descriptor(report, c) for c in codes],
        }},
        "invocations": [{
            "executionSuccessful": True,
            "exitCode": report.exit_code,
            "toolExecutionNotifications": [_notification(e, artifacts) for e in report.input_errors],
        }],
        "artifacts": [{"location": {"uri": uri(i["file"])}, "hashes": {"sha-256": i["sha256"]},
                       "roles": ["analysisTarget"]} for i in report.inputs],
        "language": "en-US" if report.lang == "en" else "zh-CN",
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"asOf": report.as_of, "rulebook": report.rulebook, "calendar": report.calendar,
                       "summary": report.summary()},
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2, default=str) + "\n"
