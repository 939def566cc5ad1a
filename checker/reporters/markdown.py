"""Markdown for pasting into a review comment: a summary, then tables.

Every text that comes from the inputs or the rulebook is escaped, so a name
holding `|`, `*`, `<` or a newline cannot break the table or inject markup, an
`@org/team` cannot ping anyone, a bare URL or `www.` name is not made a link, and an
escape byte or bidi control is shown as an escape (checker.terminal).
"""

from __future__ import annotations

import re

from checker.report import Report
from checker.reporters.common import (
    SUMMARY_KEYS,
    by_clause,
    by_reason,
    calendar_source,
    error_message,
    error_place,
    evidence_line,
    finding_place,
    verdict,
    words,
)
from checker.terminal import visible

_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~&])")
# What GitHub turns into a mention or a link without any markup: @user and @org/team (and
# e-mail addresses), bare https://, http://, ftp://, mailto: and xmpp: URLs, and www. names.
# A zero-width space after @ (as an entity) and the : or . as entities keep them text.
_LIVE = re.compile(r"@|(?<=[A-Za-z])(:)(?=//)|(?i:(?<=\bmailto)|(?<=\bxmpp))(:)|(?i:(?<=\bwww))(\.)")


def _defuse(m: re.Match[str]) -> str:
    return "@&#8203;" if m.group() == "@" else f"&#{ord(m.group())};"


def md(text: object) -> str:
    """Text as literal Markdown: punctuation with a meaning is backslash-escaped, lines joined,
    mentions and bare links defused, and what a screen does not show written as an escape."""
    return _LIVE.sub(_defuse, _SPECIAL.sub(r"\\\1", visible(" ".join(str(text).split()))))


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out.extend("| " + " | ".join(r) + " |" for r in rows)
    out.append("")
    return out


def render_markdown(report: Report) -> str:
    w = words(report)
    s = report.summary()
    out = [f"## {md(verdict(report))}", "", md(report.rulebook["title"]), ""]
    out.append(f"{w['as_of']} {md(report.as_of)} · {w['calendar']}: {md(calendar_source(report))} · "
               f"{w['rulebook']} {md(report.rulebook['id'])} {md(report.rulebook['version'])}")
    out.append("")
    out.extend(_table([w[k] for k in SUMMARY_KEYS], [[str(s[k]) for k in SUMMARY_KEYS]]))
    violations = report.of("violation")
    for clause, items in by_clause(violations):
        first = items[0]
        out.append(f"### {md(clause)} {md(first.citation)}")
        out.append("")
        for quote in sorted({f.quote for f in items}):
            out.append(f"> {md(quote)}")
        out.append("")
        rows = [[md(w.get(f.severity, f.severity)), f"`{f.rule}`", md(f"{f.document}/{f.subject}"),
                 md(finding_place(f)), md(f.message), md(evidence_line(report, f)), md(f.remedy)]
                for f in items]
        out.extend(_table([w["severity"], w["rule"], w["subject"], w["place"], w["message"], w["evidence"],
                           w["remedy"]], rows))
    sections = [
        ("waived", lambda f: [f"`{f.rule}`", md(f"{f.document}/{f.subject}"), md(f.message),
                              md((f.waiver or {}).get("authority", "")), md((f.waiver or {}).get("reason", ""))],
         [w["rule"], w["subject"], w["message"], w["authority"], w["reason"]]),
        ("pending", lambda f: [md(f.due or ""), f"`{f.rule}`", md(f"{f.document}/{f.subject}"), md(f.message)],
         [w["due"], w["rule"], w["subject"], w["message"]]),
    ]
    for status, row, head in sections:
        items = report.of(status)
        if items:
            out += [f"### {w[status]} ({len(items)})", ""]
            out.extend(_table(head, [row(f) for f in items]))
    items = report.of("not_evaluated")
    if items:
        out += [f"### {w['not_evaluated']} ({len(items)})", ""]
        out.extend(_table([w["rule"], w["reason"], w["count"], w["subject"]],
                          [[f"`{g.rule}`", md(g.reason), str(len(g.subjects)), md(g.named(w))]
                           for g in by_reason(items)]))
    if report.input_errors:
        out += [f"### {w['input_errors']} ({len(report.input_errors)})", ""]
        out.extend(_table([w["place"], w["message"]],
                          [[md(error_place(e)), md(error_message(report, e))] for e in report.input_errors]))
    return "\n".join(out).rstrip("\n") + "\n"
