"""The report of one run: a value the reporters render.

Field names follow the data contract's JSON report. Lists are sorted on
content only (file, location, rule, subject), so the same inputs give the
same report whatever order they were read in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.errors import InputError
from checker.rulebook import Rulebook


# slots: a plan's 100,000 tasks make 300,000 findings. Not frozen: annotate sets the place of the run's
# own findings on them (checker.sources), and a frozen class's __init__ sets each of its 18 fields
# through object.__setattr__, which made building them half as slow again.
@dataclass(slots=True)
class Finding:
    """A violation, a pending obligation, or a rule not evaluated for a subject.

    `source` holds the location keys beyond the file: line/column in a JSON or
    YAML file, sheet/row/column of a spreadsheet cell. `waiver` is the waiver
    that turned a violation into a waived finding.
    """

    status: str  # violation | waived | pending | not_evaluated | exempt | out_of_scope
    rule: str
    clause: str
    citation: str
    quote: str
    severity: str
    title: str
    document: str
    subject: str
    file: str
    path: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    remedy: str = ""
    due: str | None = None
    reason: str = ""
    source: dict[str, Any] = field(default_factory=dict)
    waiver: dict[str, Any] | None = None

    def sort_key(self) -> tuple[str, ...]:
        return (self.file, self.path, self.rule, self.subject, self.message, self.status, self.reason)

    def to_dict(self) -> dict[str, Any]:
        base: dict[str, Any] = {"rule": self.rule, "clause": self.clause}
        where = {"document": self.document, "subject": self.subject, "path": self.path,
                 "source": {"file": self.file, **self.source}}
        if self.status in {"violation", "waived"}:
            out = {**base, "citation": self.citation, "quote": self.quote,
                   "severity": self.severity, "title": self.title, **where,
                   "message": self.message, "evidence": self.evidence, "remedy": self.remedy}
            return {**out, "waiver": self.waiver} if self.waiver else out
        if self.status == "pending":
            return {**base, **where, "due": self.due, "message": self.message,
                    "evidence": self.evidence}
        return {**base, "reason": self.reason, **where}

    def place(self) -> dict[str, Any]:
        """The record a finding is about and where it is: an entry of a not-evaluated group."""
        return {"document": self.document, "subject": self.subject, "path": self.path,
                "source": {"file": self.file, **self.source}}


@dataclass(frozen=True)
class RuleTally:
    rule: str
    clause: str
    severity: str
    satisfied: int
    violations: int
    pending: int
    not_evaluated: int
    exempt: int
    waived: int = 0

    @property
    def evaluated(self) -> bool:
        return self.satisfied + self.violations + self.pending + self.waived > 0


@dataclass
class Report:
    rulebook: dict[str, str]
    as_of: str
    lang: str
    calendar: dict[str, Any]
    documents: int
    inputs: list[dict[str, str]]
    findings: list[Finding]
    satisfied: list[tuple[str, str, str]]  # (rule, document, subject)
    tallies: list[RuleTally]
    input_errors: list[InputError]
    waivers: list[dict[str, Any]] | None = None  # each waiver and how it was used; None: not given
    book: Rulebook | None = field(default=None, repr=False)  # the rulebook, for reporters' rule metadata
    obligations: list[Any] = field(default_factory=list, repr=False)  # checker.obligations.Obligation
    # The folder SARIF and Code Quality name files relative to (checker.reporters.paths); None: as given.
    base_dir: str | None = field(default=None, repr=False)
    # What the readers say of their reading and is no error: how a sheet was classified, the columns
    # not read, rows read as one task, a hand-written date read (checker.read.inputs.Loaded.notes).
    notes: list[InputError] = field(default_factory=list)

    def of(self, status: str) -> list[Finding]:
        return [f for f in self.findings if f.status == status]

    def by_status(self) -> dict[str, list[Finding]]:
        """The findings sorted out by status in one pass (a plan of 100,000 tasks left without an item
        list has 300,000 findings, and a report asks for every status)."""
        by: dict[str, list[Finding]] = {}
        for f in self.findings:
            by.setdefault(f.status, []).append(f)
        return by

    @property
    def exit_code(self) -> int:
        if self.input_errors:
            return 2
        return 1 if any(f.severity == "error" for f in self.of("violation")) else 0

    def summary(self, by: dict[str, list[Finding]] | None = None) -> dict[str, int]:
        """The counts; `by` the findings by status, when the caller has them already."""
        by = self.by_status() if by is None else by
        return {
            "documents": self.documents,
            "rules_evaluated": sum(1 for t in self.tallies if t.evaluated),
            "violations": len(by.get("violation", ())),
            "waived": len(by.get("waived", ())),
            "pending": len(by.get("pending", ())),
            "not_evaluated": len(by.get("not_evaluated", ())),
            "exempt": len(by.get("exempt", ())),
            "out_of_scope": len(by.get("out_of_scope", ())),
            "input_errors": len(self.input_errors),
        }

    def to_dict(self) -> dict[str, Any]:
        by = self.by_status()
        return {
            "rulebook": self.rulebook,
            "as_of": self.as_of,
            "calendar": self.calendar,
            "summary": self.summary(by),
            "violations": [f.to_dict() for f in by.get("violation", ())],
            "waived": [f.to_dict() for f in by.get("waived", ())],
            "pending": [f.to_dict() for f in by.get("pending", ())],
            "not_evaluated": not_evaluated_groups(by.get("not_evaluated", [])),
            "exempt": [f.to_dict() for f in by.get("exempt", ())],
            "out_of_scope": [f.to_dict() for f in by.get("out_of_scope", ())],
            "input_errors": [e.to_dict(self.lang) for e in self.input_errors],
            "rules": [vars(t) for t in self.tallies],
            "inputs": self.inputs,
            **({"waivers": self.waivers} if self.waivers is not None else {}),
            **({"reading_notes": [e.to_dict(self.lang) for e in self.notes]} if self.notes else {}),
        }


def not_evaluated_groups(findings: list[Finding]) -> list[dict[str, Any]]:
    """Not-evaluated findings by (rule, reason): the reason names what is missing, and a year
    without directory entries is then four groups of twenty thousand batches, not eighty thousand
    entries repeating the same rule and reason. Groups in (rule, reason) order; each group's
    records in the findings' order."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    # a record left not evaluated by several rules is placed once (the same entry in each group)
    places: dict[tuple[str, str, str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
    for f in findings:
        key = (f.file, f.path, f.document, f.subject)
        known = places.get(key)
        if known is None or (known[0] is not f.source and known[0] != f.source):  # annotate shares a place
            known = places[key] = (f.source, f.place())
        groups.setdefault((f.rule, f.reason, f.clause), []).append(known[1])
    return [{"rule": rule, "clause": clause, "reason": reason, "count": len(records), "subjects": records}
            for (rule, reason, clause), records in sorted(groups.items())]
