"""Obligations: every deadline the documents create, with its due date and status.

The rules derive `deadline/6`; the epilogue decides each one's status (met,
late, pending) and shows it as `obligation/7`. Here those atoms are decoded
for `dsr-check deadlines`: a table and an iCalendar file (RFC 5545) that a
calendar app imports. Nothing here decides a status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import clingo

from checker.facts import Facts
from checker.labels import Labels
from checker.rulebook import Rulebook
from checker.terminal import visible
from checker.terms import Decoder, Uncovered
from checker.workdays import WorkCalendar

STATUS_WORDS = {
    "zh": {"met": "已履行", "late": "逾期", "pending": "待履行"},
    "en": {"met": "met", "late": "late", "pending": "pending"},
}


@dataclass(frozen=True)
class Obligation:
    rule: str
    clause: str
    title: str
    quote: str
    document: str
    subject: str
    file: str
    path: str
    due: str | None  # None: a working-day deadline in a year no calendar covers
    done: str | None
    status: str  # met | late | pending
    evidence: dict[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple[str, ...]:
        return (self.due or "9999", self.rule, self.document, self.subject, self.path,
                json.dumps(self.evidence, sort_keys=True, ensure_ascii=False, default=str))

    @property
    def detail(self) -> str:
        """The evidence that tells one obligation of a record from another (member, quarter...)."""
        return self.detail_in(None)

    def detail_in(self, lab: Labels | None) -> str:
        """The detail with Chinese labels for keys and codes (年度：2021；报送日期：2021-01-06) when given them."""
        shown = [(k, v) for k, v in self.evidence.items() if k not in {"due", "done"}]
        if lab is None:
            return "; ".join(f"{k}={_show(v)}" for k, v in shown)
        return "；".join(f"{lab.key(k)}：{_show(lab.value(v), '、')}" for k, v in shown)

    @property
    def who(self) -> str:
        return self.document if self.subject == self.document else f"{self.document}/{self.subject}"

    @property
    def uid(self) -> str:
        return hashlib.sha256("\0".join(self.sort_key()[1:]).encode("utf-8")).hexdigest()[:32]


def _show(v: Any, sep: str = ", ") -> str:
    if isinstance(v, list):
        return sep.join(_show(x) for x in v)
    return "—" if v is None else str(v)


def decode(atoms: list[clingo.Symbol], facts: Facts, rulebook: Rulebook, calendar: WorkCalendar,
           lang: str) -> list[Obligation]:
    dec = Decoder(facts, calendar)
    out: list[Obligation] = []
    for atom in atoms:
        if atom.name != "obligation":
            continue
        code_t, rec_t, field_t, due_t, done_t, status_t, ev_t = atom.arguments
        code = code_t.string
        rule = rulebook.rules[code]
        rec = facts.record(rec_t.number)
        try:
            due = dec.value(due_t)
        except Uncovered:
            due = None
        out.append(Obligation(
            rule=code, clause=rule.clause, title=rule.title(lang), quote=rule.quote,
            document=rec.document, subject=rec.subject, file=rec.file, path=rec.path + dec.field(field_t),
            due=due, done=dec.value(done_t), status=status_t.name, evidence=dec.evidence(ev_t),
        ))
    return sorted(out, key=Obligation.sort_key)


def table(obligations: list[Obligation], lang: str, lab: Labels | None = None) -> str:
    """A plain-text table, one obligation a line, by due date; every cell as a terminal shows it safely
    (`lab`: the Chinese labels of codes)."""
    words = STATUS_WORDS["en" if lang == "en" else "zh"]
    head = ("due", "status", "clause", "rule", "document/subject", "done", "detail") if lang == "en" else \
        ("期限", "状态", "条款", "规则", "文档/对象", "完成", "说明")
    rows = [(o.due or "?", words.get(o.status, o.status), o.clause, o.rule, o.who,
             o.done or "—", o.detail_in(lab)) for o in obligations]
    return "\n".join("\t".join(visible(cell) for cell in r) for r in [head, *rows]) + "\n"


# --- iCalendar (RFC 5545) ----------------------------------------------------------
_CTL = {c: None for c in range(32) if c not in (9, 10)} | {127: None}


def ics_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newline escaped; other controls dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(_CTL)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (CRLF + space), never inside a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = [], 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines begin with a space
        current.append(ch)
        size += n
    parts.append("".join(current))
    return "\r\n ".join(parts)


def calendar(obligations: list[Obligation], as_of: dt.date, lang: str, lab: Labels | None = None) -> str:
    """Every dated obligation as an all-day VEVENT on its due day."""
    words = STATUS_WORDS["en" if lang == "en" else "zh"]
    stamp = as_of.strftime("%Y%m%dT000000Z")  # deterministic: the as-of date, not the clock
    name = "dsr-check obligations" if lang == "en" else "dsr-check 期限"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//dsr-check//obligations//" + lang.upper(),
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{ics_text(name)}"]
    for o in obligations:
        if o.due is None:
            continue
        day = dt.date.fromisoformat(o.due)
        summary = f"[{words.get(o.status, o.status)}] {o.clause} {o.title} · {o.who}"
        description = "\n".join(x for x in (
            f"{o.rule} ({o.clause})", f"「{o.quote}」", o.detail_in(lab),
            f"{'done: ' if lang == 'en' else '完成：'}{o.done or '—'}", f"{o.file} {o.path}") if x)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{o.uid}@dsr-check",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ics_text(summary)}",
            f"DESCRIPTION:{ics_text(description)}",
            f"CATEGORIES:{ics_text(o.status)},{ics_text(o.clause)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
