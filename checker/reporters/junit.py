"""JUnit XML: one test suite per document, one test case per (rule, document).

A case fails when the rule found a violation in the document (the failure's
type is the rule's severity; its text lists every violation with its place and
evidence); it is skipped when the rule was not evaluated there, or every
violation was waived; otherwise it passes, with pending obligations listed in
its output. Input errors are errored cases of an `input` suite. Text is
stripped of characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from checker.report import Finding, Report
from checker.reporters.common import error_place, evidence_line, finding_place, severity_word, value, words

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text XML 1.0 can carry: a forbidden character becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _lines(report: Report, f: Finding) -> str:
    if report.lang == "en":
        ev = "; ".join(f"{k}={value(v)}" for k, v in f.evidence.items())
        head = f"[{f.severity}] {f.subject} @ {finding_place(f)} {f.path}".rstrip()
        return f"{head}\n  {f.message}\n  evidence: {ev}\n  remedy: {f.remedy}"
    w = words(report)  # in Chinese: the labels of the evidence, the place without the contract's path
    head = f"【{severity_word(report, f.severity)}】{f.subject}（{w['at']} {finding_place(f)}）"
    return (f"{head}\n  {f.message}\n  {w['evidence']}：{evidence_line(report, f)}\n"
            f"  {w['remedy']}：{f.remedy}")


def _skip_reason(report: Report, f: Finding) -> str:
    if f.reason:
        return f.reason
    return f"{words(report)['waived_by']}{(f.waiver or {}).get('authority', '')}"


def _pending(report: Report, f: Finding) -> str:
    if report.lang == "en":
        return f"pending {f.subject}: due {f.due} — {f.message}"
    w = words(report)
    return f"{w['pending']} {f.subject}：{w['due']} {f.due} — {f.message}"


def render_junit(report: Report) -> str:
    cases: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for code, document, _ in report.satisfied:
        cases[document].setdefault(code, [])
    for f in report.findings:
        if f.rule:
            cases[f.document][f.rule].append(f)
    clause = {t.rule: t.clause for t in report.tallies}
    root = ET.Element("testsuites", name="dsr-check")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for document in sorted(cases):
        suite = ET.SubElement(root, "testsuite", name=clean(document))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for code in sorted(cases[document], key=lambda c: (clause.get(c, ""), c)):
            found = cases[document][code]
            case = ET.SubElement(suite, "testcase", classname=clean(f"{clause.get(code, '')} {document}"),
                                 name=code)
            files = sorted({f.file for f in found})
            if files:
                case.set("file", clean(files[0]))
            counts["tests"] += 1
            violations = [f for f in found if f.status == "violation"]
            if violations:
                worst = min(violations, key=lambda f: ("error", "warning", "info").index(f.severity)
                            if f.severity in ("error", "warning", "info") else 3)
                fail = ET.SubElement(case, "failure", message=clean(violations[0].message), type=worst.severity)
                fail.text = clean("\n".join(_lines(report, f) for f in violations))
                counts["failures"] += 1
            elif any(f.status in {"not_evaluated", "waived", "exempt", "out_of_scope"} for f in found) \
                    and not any(f.status == "pending" for f in found):
                reasons = [_skip_reason(report, f) for f in found]
                ET.SubElement(case, "skipped", message=clean("; ".join(sorted(set(reasons)))))
                counts["skipped"] += 1
            pending = [f for f in found if f.status == "pending"]
            if pending:
                out = ET.SubElement(case, "system-out")
                out.text = clean("\n".join(_pending(report, f) for f in pending))
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
    if report.input_errors:
        suite = ET.SubElement(root, "testsuite", name="input", tests=str(len(report.input_errors)),
                              failures="0", errors=str(len(report.input_errors)), skipped="0")
        for e in report.input_errors:
            case = ET.SubElement(suite, "testcase", classname="input", name=clean(error_place(e)))
            text = e.text(report.lang)
            err = ET.SubElement(case, "error", message=clean(text), type="input-error")
            err.text = clean(f"{error_place(e)}{words(report)['colon']}{text}")
        totals["tests"] += len(report.input_errors)
        totals["errors"] += len(report.input_errors)
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
