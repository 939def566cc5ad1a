"""One self-contained, printable HTML file for the joint conference.

Chinese by default (English with --lang en): a summary; the violations
grouped by clause with the clause's quoted text, the evidence and the remedy;
the waived findings; the pending deadlines; what was not evaluated and why;
input errors; the calendar and the rulebook used; the inputs' hashes.
Everything from the inputs is HTML-escaped; the page loads nothing and runs
no script (a Content-Security-Policy says so to the browser).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from checker import __version__
from checker.report import Finding, Report
from checker.reporters.common import (
    SHOWN,
    SUMMARY_KEYS,
    WORDS,
    ReasonGroup,
    by_clause,
    by_reason,
    calendar_source,
    error_message,
    error_place,
    evidence_pairs,
    finding_place,
    verdict,
    words,
)

_CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei",
       "PingFang SC", sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 60em; padding: 1.5em;
       line-height: 1.5; font-size: 11pt; }
h1 { font-size: 1.5em; margin: 0 0 .2em; }
h2 { font-size: 1.2em; border-bottom: 2px solid #444; padding-bottom: .15em; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin: 1.2em 0 .3em; }
.meta { color: #555; margin: 0 0 1em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; font-size: .92em; }
th, td { border: 1px solid #bbb; padding: .25em .45em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eee; overflow-wrap: normal; word-break: keep-all; }
table.evidence td:first-child { width: 14em; }
.summary td { text-align: center; font-size: 1.2em; font-weight: bold; }
.summary td.bad { color: #b00020; }
blockquote { margin: .3em 0 .6em; padding: .3em .8em; border-left: 4px solid #888; background: #f6f6f6; }
.finding { border: 1px solid #ccc; border-radius: 4px; padding: .5em .8em; margin: .6em 0;
           page-break-inside: avoid; break-inside: avoid; }
.finding p { margin: .2em 0; }
.sev { display: inline-block; padding: 0 .45em; border-radius: 3px; color: #fff; font-size: .85em; }
.sev.error { background: #b00020; } .sev.warning { background: #b26a00; } .sev.info { background: #3a6ea5; }
.where { color: #555; font-size: .9em; }
code, .mono { font-family: "DejaVu Sans Mono", monospace; font-size: .88em; overflow-wrap: anywhere; }
h1.verdict { font-size: 1.35em; margin: .2em 0 .3em; padding: .3em .6em; border-radius: 4px;
              color: #fff; background: #2e7d32; }
h1.verdict.bad { background: #b00020; }
.kicker { font-size: 1.1em; font-weight: bold; margin: 0; }
.keep { page-break-inside: avoid; break-inside: avoid; }
#inputs table { font-size: .7em; }
#inputs td { padding: 0 .3em; }
#inputs h2 { font-size: 1em; }
footer { margin-top: 2em; color: #777; font-size: .85em; }
@media print { body { padding: 0; max-width: none; } h2, h3 { page-break-after: avoid; break-after: avoid; } }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    thead = f"<thead><tr>{th}</tr></thead>" if th else ""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table{klass}>{thead}<tbody>{body}</tbody></table>"


def _evidence(report: Report, f: Finding) -> str:
    key = (lambda k: _e(k)) if report.lang != "en" else (lambda k: f'<span class="mono">{_e(k)}</span>')
    return _table([], [[key(k), _e(v)] for k, v in evidence_pairs(report, f)], "evidence")


def _colon(w: dict[str, str]) -> str:
    return "：" if w is WORDS["zh"] else ": "


def _finding(report: Report, f: Finding, w: dict[str, str]) -> str:
    parts = [
        '<div class="finding">',
        f'<p><span class="sev {_e(f.severity)}">{_e(w.get(f.severity, f.severity))}</span> '
        f'<strong>{_e(f.title)}</strong> <code>{_e(f.rule)}</code></p>',
        f'<p class="where">{_e(w["document"])} {_e(f.document)} · {_e(w["subject"])} {_e(f.subject)} · '
        f'{_e(w["place"])} <span class="mono">{_e(finding_place(f))}</span> '
        f'<span class="mono">{_e(f.path)}</span></p>',
        f"<p>{_e(f.message)}</p>",
    ]
    if f.evidence:
        parts.append(f"<p><strong>{_e(w['evidence'])}</strong></p>{_evidence(report, f)}")
    if f.remedy:
        parts.append(f"<p><strong>{_e(w['remedy'])}{_colon(w)}</strong>{_e(f.remedy)}</p>")
    if f.waiver:
        wv = f.waiver
        parts.append(f"<p><strong>{_e(w['waivers'])}{_colon(w)}</strong>{_e(wv.get('authority', ''))} · "
                     f"{_e(wv.get('approver', ''))} · {_e(w['expires'])} {_e(wv.get('expires', ''))} · "
                     f"{_e(wv.get('reason', ''))}</p>")
    parts.append("</div>")
    return "".join(parts)


def _counted(title: str, n: int, w: dict[str, str]) -> str:
    return f"{title}（{n}）" if w is WORDS["zh"] else f"{title} ({n})"


def _subjects(group: ReasonGroup, w: dict[str, str]) -> str:
    """A group's subjects: all of them when few; else the first few, the rest one click away
    (<details>: the page stays whole to print and search, and runs no script)."""
    if len(group.subjects) <= SHOWN:
        return _e(", ".join(group.subjects))
    first = group.first() + w["all_of"].format(n=len(group.subjects))
    return f"<details><summary>{_e(first)}</summary>{_e(', '.join(group.subjects))}</details>"


def _section(title: str, items: list[Finding], body: Callable[[list[Finding]], str], w: dict[str, str]) -> str:
    inner = body(items) if items else f"<p>{_e(w['none_listed'])}</p>"
    return f"<section><h2>{_e(_counted(title, len(items), w))}</h2>{inner}</section>"


def _passed(report: Report) -> bool:
    return not report.input_errors and not report.of("violation") and report.documents > 0


def _folded(groups: list[ReasonGroup]) -> list[tuple[list[str], ReasonGroup]]:
    """Rows for the same records and reason folded into one naming each rule: a case batch
    exempt from eleven rules is one row, not eleven."""
    rows: dict[tuple[str, tuple[str, ...]], tuple[list[str], ReasonGroup]] = {}
    for g in groups:
        key = (g.reason, tuple(g.subjects))
        if key in rows:
            rows[key][0].append(g.rule)
        else:
            rows[key] = ([g.rule], g)
    return list(rows.values())


def _rules(rules: list[str]) -> str:
    return "<br>".join(f"<code>{_e(r)}</code>" for r in rules if r) or "—"


def render_html(report: Report) -> str:
    w = words(report)
    lang = "en" if report.lang == "en" else "zh-CN"
    s = report.summary()
    bad = {"violations", "input_errors"}
    summary = "<table class=\"summary\"><thead><tr>" + "".join(f"<th>{_e(w[k])}</th>" for k in SUMMARY_KEYS) \
        + "</tr></thead><tbody><tr>" + "".join(
            f'<td class="{"bad" if k in bad and s[k] else ""}">{s[k]}</td>' for k in SUMMARY_KEYS) \
        + "</tr></tbody></table>"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(w['report'])}</title><style>{_CSS}</style></head><body>",
        f'<header><h1 class="verdict{"" if _passed(report) else " bad"}">{_e(verdict(report))}</h1>',
        f'<p class="kicker">{_e(w["report"])}</p>',
        f'<p class="meta">{_e(report.rulebook["title"])}<br>{_e(w["as_of"])} {_e(report.as_of)}</p></header>',
        f'<section id="summary"><h2>{_e(w["summary"])}</h2>{summary}</section>',
    ]
    violations = report.of("violation")

    def grouped(items: list[Finding]) -> str:
        html = []
        for clause, group in by_clause(items):
            book = report.book
            heading = book.clauses[clause].heading(report.lang) if book and clause in book.clauses else ""
            # the heading and the clause's text are kept on the page of the first card
            html.append(f'<div class="keep"><h3>{_e(clause)} {_e(group[0].citation)} {_e(heading)}</h3>')
            for quote in sorted({f.quote for f in group}):
                html.append(f"<blockquote>{_e(w['quote'])}{_colon(w)}「{_e(quote)}」</blockquote>")
            html.append(_finding(report, group[0], w) + "</div>")
            html.extend(_finding(report, f, w) for f in group[1:])
        return "".join(html)

    out.append(_section(w["violations"], violations, grouped, w).replace("<section>", '<section id="violations">', 1))
    if report.of("waived"):
        out.append(_section(w["waived"], report.of("waived"), grouped, w))
    out.append(_section(w["pending"], report.of("pending"), lambda items: _table(
        [w["due"], w["clause"], w["rule"], w["subject"], w["message"]],
        [[_e(f.due or ""), _e(f.clause), f"<code>{_e(f.rule)}</code>", _e(f"{f.document}/{f.subject}"),
          _e(f.message)] for f in sorted(items, key=lambda f: (f.due or "", f.rule, f.subject))]), w))
    out.append(_section(w["not_evaluated"], report.of("not_evaluated"), lambda items: _table(
        [w["clause"], w["rule"], w["reason"], w["count"], w["subject"]],
        [[_e(g.clause), f"<code>{_e(g.rule)}</code>", _e(g.reason), str(len(g.subjects)), _subjects(g, w)]
         for g in by_reason(items)]), w))
    for status in ("exempt", "out_of_scope"):
        items = report.of(status)
        if items:
            out.append(_section(w[status], items, lambda items: _table(
                [w["rule"], w["reason"], w["count"], w["subject"]],
                [[_rules(rules), _e(g.reason), str(len(g.subjects)), _subjects(g, w)]
                 for rules, g in _folded(by_reason(items))]), w))
    errors = report.input_errors
    out.append(f"<section><h2>{_e(_counted(w['input_errors'], len(errors), w))}</h2>" + (_table(
        [w["place"], w["message"]],
        [[f'<span class="mono">{_e(error_place(e))}</span>', _e(error_message(report, e))]
                                     for e in errors]) if errors else f"<p>{_e(w['none_listed'])}</p>") + "</section>")
    if report.waivers is not None:
        out.append(f"<section><h2>{_e(w['waivers'])}</h2>" + _table(
            [w["rule"], w["document"], w["subject"], w["authority"], w["approver"], w["expires"], w["status"]],
            [[_e(x.get("rule") or x.get("clause") or ""), _e(x.get("document", "")), _e(x.get("subject", "")),
              _e(x.get("authority", "")), _e(x.get("approver", "")), _e(x.get("expires", "")),
              _e(w.get(str(x.get("status")), x.get("status", "")))] for x in report.waivers]) + "</section>")
    cal, book = report.calendar, report.rulebook
    out.append(f"<section><h2>{_e(w['calendar'])} · {_e(w['rulebook'])}</h2>" + _table(
        [],
        [[_e(w["calendar"]), _e(calendar_source(report))],
         [_e(w["years"]), _e(", ".join(str(y) for y in cal.get("years", [])))],
         [_e(w["covers"]), _e(cal.get("covers", "—"))],
         [_e(w["rulebook"]), _e(f"{book['id']} · {book['title']}")],
         [_e(w["version"]), _e(book["version"])],
         [_e(w["sha256"]), f'<span class="mono">{_e(book["sha256"])}</span>']]) + "</section>")
    out.append(f"<section id=\"inputs\"><h2>{_e(w['inputs'])}</h2>" + _table(
        [w["file"], w["sha256"]],
        [[f'<span class="mono">{_e(i["file"])}</span>' + (_e(w["context_input"]) if i.get("context") else ""),
          f'<span class="mono">{_e(i["sha256"])}</span>'] for i in report.inputs]) + "</section>")
    out.append(f"<footer>{_e(w['generated_by'])} {_e(__version__)}</footer></body></html>")
    return "\n".join(out) + "\n"
