"""Waivers: a violation the authorities have knowingly accepted, reported as waived.

A waiver file (YAML or JSON) holds `waivers:`, a list of entries:

    - rule: sampling-ratio-cap          # or clause: "4.1.2" (any rule of that clause)
      document: plan-gy-2021
      subject: GY2021-05
      reason: 重点领域专项整治，经市政府同意按8%抽查
      authority: 广府办函〔2021〕12号     # the authorising document's number (文号)
      approver: 市人民政府办公室
      expires: 2021-12-31

A waiver applies to the violations of its rule (or clause), document and
subject while it is in force (as-of date on or before `expires`). Such a
finding is reported as waived, with the waiver, and does not count toward
exit status 1. A waiver that has expired, or lacks its reason, authority or
approver, does not apply and is itself an input error on the waiver file
(exit 2), so it cannot silently hide a violation; an unused waiver is listed
as unused. Waivers are administrative acts outside the policy: nothing here
decides what complies, only which decided violations were accepted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.dates import read_date
from checker.errors import InputError, coded, pointer
from checker.explain import tally
from checker.messages import msg
from checker.read.discover import read_bounded, text_syntax_of
from checker.read.inputs import Limits
from checker.read.parse import parse_value
from checker.report import Report

REQUIRED = ("document", "subject", "reason", "authority", "approver", "expires")
_KNOWN = {"rule", "clause", *REQUIRED}


@dataclass(frozen=True)
class Waiver:
    path: str  # JSON pointer of the entry in its file
    rule: str
    clause: str
    document: str
    subject: str
    reason: str
    authority: str
    approver: str
    expires: str

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v and k != "path"}


def read_waivers(file: str, limits: Limits | None = None
                 ) -> tuple[list[Waiver], list[dict[str, Any]], list[InputError], bytes | None]:
    """The well-formed waivers, a row per entry for the report, the input errors, the file's bytes.

    Read as inputs are: within --max-file-mb, strictly parsed, within the depth, text and
    YAML value bounds (a 600-byte alias bomb in `reason:` once cost 17 s, 2.8 GB and a
    624 MB report).
    """
    p = Path(file)
    limits = limits or Limits()
    if not p.is_file():
        what = "file.not_regular" if os.path.lexists(file) else "file.missing"
        return [], [], [coded(file, "", msg("waiver.unreadable", what=msg(what)))], None
    data, error = read_bounded(p, limits.max_file_bytes)
    if error:
        return [], [], [error], None
    value, error = parse_value(file, data, text_syntax_of(p), limits)
    if error:
        return [], [], [error], data
    entries = value.get("waivers") if isinstance(value, dict) else value
    if not isinstance(entries, list):
        return [], [], [coded(file, "", msg("waiver.list"))], data
    base = "/waivers" if isinstance(value, dict) else ""
    waivers: list[Waiver] = []
    rows: list[dict[str, Any]] = []
    errors: list[InputError] = []
    for i, entry in enumerate(entries):
        where = base + pointer(i)
        if not isinstance(entry, dict):
            errors.append(coded(file, where, msg("waiver.entry")))
            continue
        plain = {k: v for k, v in entry.items() if k in _KNOWN and isinstance(v, (str, int)) and v is not True
                 and v is not False}
        text = {k: str(v).strip() for k, v in plain.items()}
        row = {**text, "source": {"file": file, "path": where}}
        rows.append(row)
        problems = [coded(file, where + pointer(k), msg("waiver.unknown_field", field=k))
                    for k in entry if k not in _KNOWN]
        not_text = {k: v for k, v in entry.items() if k in _KNOWN and k != "expires" and v is not None
                    and k not in plain}
        problems += [coded(file, where + pointer(k), msg("waiver.not_text", field=k,
                                                                 type=type(v).__name__))
                     for k, v in not_text.items()]
        if bool(text.get("rule") or "rule" in not_text) == bool(text.get("clause") or "clause" in not_text):
            problems.append(coded(file, where, msg("waiver.rule_or_clause")))
        for k in ("document", "subject"):
            if not text.get(k) and k not in not_text:
                problems.append(coded(file, where + pointer(k), msg("waiver.names", field=k)))
        for k in ("reason", "authority", "approver"):
            if not text.get(k) and k not in not_text:
                problems.append(coded(file, where + pointer(k), msg("waiver.no_field", field=k)))
        if read_date(entry.get("expires")) is None:  # the documents' reader: not 20210101, not 2021-W01-1
            problems.append(coded(file, where + "/expires",
                                  msg("waiver.expires", value=entry.get("expires"))))
        if problems:
            row["status"] = "incomplete"
            errors.extend(problems)
            continue
        waivers.append(Waiver(where, text.get("rule", ""), text.get("clause", ""), text["document"],
                              text["subject"], text["reason"], text["authority"], text["approver"],
                              text["expires"]))
    return waivers, rows, errors, data


def apply_waivers(report: Report, file: str, limits: Limits | None = None) -> Report:
    """The report with covered violations waived, and the waivers' own errors and use."""
    waivers, rows, errors, data = read_waivers(file, limits)
    by_path = {r["source"]["path"]: r for r in rows}
    in_force: list[Waiver] = []
    for w in waivers:
        row = by_path[w.path]
        rule = report.book.rule(w.rule) if (w.rule and report.book) else None
        if rule is not None:
            w = dataclasses.replace(w, rule=rule.code)  # a renamed rule's old code still matches
        if w.rule and report.book and rule is None:
            row["status"] = "unknown_rule"
            errors.append(coded(file, w.path + "/rule", msg("waiver.no_rule", rule=w.rule)))
        elif dt.date.fromisoformat(w.expires) < dt.date.fromisoformat(report.as_of):  # both read strictly
            row["status"] = "expired"
            errors.append(coded(file, w.path + "/expires",
                                msg("waiver.expired", expires=w.expires, report_as_of=report.as_of)))
        else:
            in_force.append(w)
    # indexed by what a waiver covers: findings x waivers was 4.6 s for 4,000 waivers
    index: dict[tuple[str, str, str, str], int] = {}
    for n, w in enumerate(in_force):
        index.setdefault(("rule", w.rule, w.document, w.subject) if w.rule
                         else ("clause", w.clause, w.document, w.subject), n)
    used: dict[str, int] = {}
    findings = []
    for f in report.findings:
        hit = None
        if f.status == "violation":
            first = min((n for n in (index.get(("rule", f.rule, f.document, f.subject)),
                                     index.get(("clause", f.clause, f.document, f.subject))) if n is not None),
                        default=None)  # the first in the file, as before
            hit = None if first is None else in_force[first]
        if hit:
            used[hit.path] = used.get(hit.path, 0) + 1
            f = dataclasses.replace(f, status="waived", waiver={**hit.describe(), "file": file})
        findings.append(f)
    for w in in_force:
        by_path[w.path]["status"] = "used" if used.get(w.path) else "unused"
        by_path[w.path]["findings"] = used.get(w.path, 0)
    inputs = report.inputs + ([{"file": file, "sha256": hashlib.sha256(data).hexdigest()}] if data else [])
    return dataclasses.replace(
        report, findings=findings, waivers=rows, inputs=inputs,
        input_errors=sorted(set(report.input_errors) | set(errors)),
        tallies=tally(report.book, findings, {t.rule: t.satisfied for t in report.tallies})
        if report.book else report.tallies)
