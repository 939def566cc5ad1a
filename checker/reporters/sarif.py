"""SARIF 2.1.0 for code-scanning UIs.

One reporting descriptor per rule (its clause, citation and help), one result
per violation (kind fail, level from the rule's severity), per waived
violation (with an accepted external suppression) and per pending obligation
(kind open, level none, as SARIF requires for a result that is not a failure).
A result's physical location is its file with the line and column where the
input has lines (JSON, YAML), or the sheet, row and column of a spreadsheet
cell as properties; its logical location is the document and the subject.
Input errors are results too, of a rule of their own (`input-error`, level
error), so code scanning shows them beside the violations, and they stay tool
execution notifications. Files are named relative to the report's base folder
(uriBaseId SRCROOT, given in originalUriBaseIds) when they lie inside it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from checker import __version__
from checker.errors import InputError
from checker.report import Finding, Report
from checker.reporters.common import level
from checker.reporters.paths import relative

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
BASE_ID = "SRCROOT"
INPUT_ERROR = "input-error"  # the rule id of input errors as results


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


def _artifact(file: str, base: str | None) -> dict[str, Any]:
    """An artifact location: relative to the base folder when the file is inside it."""
    rel = relative(file, base)
    if rel is None:
        return {"uri": uri(file)}
    return {"uri": quote(rel, safe="/"), "uriBaseId": BASE_ID}


def _physical(file: str, source: dict[str, Any], artifacts: dict[str, int], base: str | None) -> dict[str, Any]:
    artifact = _artifact(file, base)
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


def _location(f: Finding, artifacts: dict[str, int], base: str | None) -> dict[str, Any]:
    logical: list[dict[str, Any]] = [
        {"name": f.subject, "fullyQualifiedName": f"{f.document}/{f.subject}", "kind": "object",
         "properties": {"document": f.document, "subject": f.subject, "path": f.path}},
    ]
    if "sheet" in f.source:
        ref = f"{f.source['sheet']}!{f.source.get('column', '')}{f.source['row']}"
        logical.append({"name": ref, "fullyQualifiedName": f"{f.file}#{ref}", "kind": "element"})
    return {"physicalLocation": _physical(f.file, f.source, artifacts, base), "logicalLocations": logical}


def fingerprint(f: Finding) -> str:
    """A finding's identity across runs: its rule, place and evidence (not its wording)."""
    key = "\0".join((f.rule, f.document, f.subject, f.path, json.dumps(f.evidence, sort_keys=True,
                                                                     ensure_ascii=False, default=str)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _result(f: Finding, index: dict[str, int], artifacts: dict[str, int], base: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"ruleId": f.rule, "ruleIndex": index[f.rule]}
    if f.status == "pending":
        out.update(kind="open", level="none")
    else:
        out.update(kind="fail", level=level(f.severity))
    out["message"] = {"text": f.message}
    out["locations"] = [_location(f, artifacts, base)]
    out["partialFingerprints"] = {"dsrCheckFinding/v1": fingerprint(f)}
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


def _error_location(e: InputError, artifacts: dict[str, int], base: str | None) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": _physical(e.file, dict(e.source), artifacts, base)} \
        if e.file else {}
    if e.path:
        location["logicalLocations"] = [{"fullyQualifiedName": f"{e.file}#{e.path}", "kind": "value"}]
    return location


def _notification(e: InputError, lang: str, artifacts: dict[str, int], base: str | None) -> dict[str, Any]:
    location = _error_location(e, artifacts, base)
    return {"level": "error", "message": {"text": e.text(lang)}, **({"locations": [location]} if location else {})}


def error_fingerprint(e: InputError) -> str:
    """An input error's identity across runs and languages: its file, place and English wording."""
    return hashlib.sha256("\0".join((e.file, e.path, e.message)).encode("utf-8", "surrogatepass")).hexdigest()


def _error_result(e: InputError, lang: str, rule_index: int, artifacts: dict[str, int],
                  base: str | None) -> dict[str, Any]:
    location = _error_location(e, artifacts, base)
    return {"ruleId": INPUT_ERROR, "ruleIndex": rule_index, "kind": "fail", "level": "error",
            "message": {"text": e.text(lang)}, **({"locations": [location]} if location else {}),
            "partialFingerprints": {"dsrCheckInputError/v1": error_fingerprint(e)},
            "properties": {"file": e.file, "path": e.path}}


def _input_error_rule(lang: str) -> dict[str, Any]:
    title = "输入有误：文件或文档未能读取或不符合数据约定" if lang == "zh" else \
        "Input error: a file or document could not be read or does not meet the data contract"
    fix = "按错误说明改正该文件后重新检查；其中未能检查的文档不计入结论。" if lang == "zh" else \
        "Correct the file as the message says and check again; documents that could not be checked count for nothing."
    return {"id": INPUT_ERROR, "name": "input error", "shortDescription": {"text": title},
            "fullDescription": {"text": fix}, "help": {"text": fix},
            "defaultConfiguration": {"level": "error"}, "properties": {"tags": ["input"]}}


def render_sarif(report: Report) -> str:
    codes = [t.rule for t in report.tallies]
    index = {code: i for i, code in enumerate(codes)}
    artifacts = {i["file"]: n for n, i in enumerate(report.inputs)}
    base = report.base_dir
    results = [_result(f, index, artifacts, base) for f in report.findings
               if f.status in {"violation", "waived", "pending"}]
    rules = [_descriptor(report, c) for c in codes]
    if report.input_errors:
        rules.append(_input_error_rule(report.lang))
        results += [_error_result(e, report.lang, len(codes), artifacts, base) for e in report.input_errors]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "dsr-check", "version": __version__, "semanticVersion": __version__,
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": True,
            "exitCode": report.exit_code,
            "toolExecutionNotifications": [_notification(e, report.lang, artifacts, base)
                                           for e in report.input_errors],
        }],
        **({"originalUriBaseIds": {BASE_ID: {"uri": Path(os.path.abspath(base)).as_uri().rstrip("/") + "/"}}}
           if base else {}),
        "artifacts": [{"location": _artifact(i["file"], base), "hashes": {"sha-256": i["sha256"]},
                       "roles": ["analysisTarget"]} for i in report.inputs],
        "language": "en-US" if report.lang == "en" else "zh-CN",
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"asOf": report.as_of, "rulebook": report.rulebook, "calendar": report.calendar,
                       "summary": report.summary()},
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2, default=str) + "\n"
