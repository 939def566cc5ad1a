"""Turn the model's atoms into findings: cited, evidenced, in the user's language.

Evidence terms decode in `checker.terms`, shared with the obligations.
Nothing here decides compliance; it only says what the rules decided.
"""

from __future__ import annotations

import datetime as dt
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import clingo

from checker.engine import Model
from checker.errors import InputError
from checker.facts import Facts, Record
from checker.labels import Labels, labels
from checker.report import Finding, RuleTally
from checker.rulebook import Rulebook, clause_order
from checker.terms import Decoder, Uncovered
from checker.workdays import WorkCalendar

_LIST_SEP = {"zh": "、", "en": ", "}


def _shown(value: Any, lang: str) -> str:
    if isinstance(value, list):
        return _LIST_SEP[lang].join(str(v) for v in value)
    if value is None:  # a value the record does not hold
        return "—" if lang == "en" else "未填写"
    return str(value)


def _cjk(ch: str) -> bool:
    """A Chinese character or full-width punctuation: no space is set beside it in Chinese text."""
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\u201c" <= ch <= "\u201d"


def render(template: str, values: dict[str, Any], lang: str, labels: Labels | None = None) -> str:
    """The template with the evidence in it; an unknown placeholder stays visible.

    In Chinese, codes among the values read as their labels (a platform's name, 新增 for
    add), and the space a template sets around a placeholder is dropped where the value
    meets Chinese text on that side (成员单位市教育局没有, but 任务 GY2021-05 计划).
    """
    zh = lang != "en"
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:  # a malformed template shows as written
        return template
    out: list[str] = []
    trim_next = False
    for literal, name, spec, _conv in parts:
        if trim_next and len(literal) > 1 and literal[0] == " " and _cjk(literal[1]):
            literal = literal[1:]
        trim_next = False
        if name is None:
            out.append(literal)
            continue
        if name == "label" and spec:  # a field the user fills in elsewhere: “特殊时间要求”（special_timing）
            text = spec if not zh or labels is None else f"“{labels.key(spec)}”（{spec}）"
            out.append(literal + text)
            continue
        if name == "todo" and spec:  # the steps still to take, in order: 先报司法部门备案，再
            steps = [labels.step(k) if zh and labels is not None else k
                     for k in spec.split(",") if values.get(k, "") is None]
            todo = ("先" + "、".join(steps) + "，再") if zh else ("first " + ", ".join(steps) + ", then ")
            out.append(literal + todo if steps else literal)
            continue
        if name not in values:
            out.append(literal + "{" + name + (":" + spec if spec else "") + "}")
            continue
        value = values[name]
        if zh and labels is not None:
            value = labels.value(value)
        try:
            text = format(value, spec) if spec and value is not None else _shown(value, lang)
        except (ValueError, TypeError):
            text = _shown(value, lang)
        if zh and text and _cjk(text[0]) and len(literal) > 1 and literal[-1] == " " and _cjk(literal[-2]):
            literal = literal[:-1]
        trim_next = zh and bool(text) and _cjk(text[-1])
        out.append(literal + text)
    return "".join(out)


@dataclass
class Explained:
    """The findings of one run (or shard), what it satisfied, and the counts per rule and status."""

    findings: list[Finding]
    satisfied: list[tuple[str, str, str]]  # (rule, document, subject), when listed
    counts: Counter[tuple[str, str]]
    errors: list[InputError] = field(default_factory=list)  # a due date no calendar covers (R25), conflicts


def explain(model: Model, facts: Facts, rulebook: Rulebook, calendar: WorkCalendar, lang: str,
            foreign: Callable[[int], bool] = lambda _key: False) -> Explained:
    """Findings from the model's atoms; those about a `foreign` record are another shard's to report."""
    dec = Decoder(facts, calendar)
    lab = labels(*rulebook.folders)
    findings: list[Finding] = []
    errors: list[InputError] = []
    satisfied: list[tuple[str, str, str]] = []
    counts: Counter[tuple[str, str]] = Counter(
        {(code, "satisfied"): n for code, n in model.satisfied_counts.items()})
    for atom in model.satisfied:
        if not foreign(atom.arguments[1].number):
            rec = facts.record(atom.arguments[1].number)
            satisfied.append((atom.arguments[0].string, rec.document, rec.subject))
    plain: dict[tuple[str, clingo.Symbol, clingo.Symbol], Finding] = {}

    def said(status: str, rule: clingo.Symbol, reason: clingo.Symbol) -> Finding:
        """A not-evaluated or exempt finding's (rule, reason) part, said once, not once a task (a plan's
        100,000 tasks), and found by the atom's own terms (each term read back from clingo is a call into it)."""
        found = plain.get((status, rule, reason))
        if found is None:
            found = plain[(status, rule, reason)] = _plain(
                status, _code(rule), rulebook, _NOWHERE, rulebook.reasons, reason.name, lang)
        return found

    excepted: dict[tuple[clingo.Symbol, clingo.Symbol], set[int]] = {}
    for atom in model.atoms:
        if atom.name == "not_evaluated_except":
            rule, group, record = atom.arguments
            excepted.setdefault((rule, group), set()).add(record.number)
    for atom in model.atoms:
        name, args = atom.name, atom.arguments
        if name == "not_evaluated_except":
            continue
        if name == "not_evaluated_all":
            # a group none of whose records can be judged: a finding for each of its records L..H,
            # but those the group leaves to be judged on their own and those another shard reports
            rule, group, reason, lo, hi = args
            left_out = excepted.get((rule, group), set())
            part = said("not_evaluated", rule, reason)
            n = len(findings)
            findings.extend(_of(part, facts.record(key))
                            for key in range(lo.number, hi.number + 1) if key not in left_out and not foreign(key))
            counts[(part.rule, part.status)] += len(findings) - n
            continue
        key = args[0 if name in {"excluded_record", "input_conflict"} else 1].number  # the record
        if foreign(key):
            continue
        if name in {"not_evaluated", "exempted"}:
            part = said("not_evaluated" if name == "not_evaluated" else "exempt", args[0], args[2])
            findings.append(_of(part, facts.record(key)))
            counts[(part.rule, part.status)] += 1
            continue
        if name == "input_conflict":
            # in English, as every input error is (the zh text is for the rulebook's readers)
            rec = facts.record(key)
            kind = args[2].name
            template = rulebook.conflicts[kind]("en") if kind in rulebook.conflicts else kind
            values = {**dec.evidence(args[3]), "subject": rec.subject, "document": rec.document}
            errors.append(InputError(rec.file, rec.path + dec.field(args[1]), render(template, values, "en"),
                                     checked=True))
            continue
        if name == "excluded_record":
            rec = facts.record(key)
            findings.append(_plain("out_of_scope", "", rulebook, rec, rulebook.reasons, args[1].name, lang))
            continue
        code = _code(args[0])
        rule = rulebook.rules[code]
        rec = facts.record(key)
        try:
            evidence = dec.evidence(args[3] if name == "violation" else args[4])
            due = dec.value(args[3]) if name == "pending" else None
        except Uncovered as exc:
            # R25: a deadline in a year no calendar covers is an input error, not a silent skip;
            # the rule is also listed as not evaluated, with the same reason.
            errors.append(InputError(rec.file, rec.path + dec.field(args[2]), _no_calendar_error(exc.year, code),
                                     checked=True))
            findings.append(Finding(
                "not_evaluated", code, rule.clause, "", "", rule.severity, rule.title(lang),
                rec.document, rec.subject, rec.file, rec.path, "",
                reason=_no_calendar(exc.year, lang),
            ))
            counts[(code, "not_evaluated")] += 1
            continue
        if due is not None:
            evidence.setdefault("due", due)
            evidence.setdefault("done", None)
        values = {**evidence, "subject": rec.subject, "document": rec.document}
        status = "violation" if name == "violation" else "pending"
        findings.append(Finding(
            status=status, rule=code, clause=rule.clause,
            citation=rulebook.clauses[rule.clause].citation(lang), quote=rule.quote,
            severity=rule.severity, title=rule.title(lang), document=rec.document,
            subject=rec.subject, file=rec.file, path=rec.path + dec.field(args[2]),
            message=render(rule.message(lang), values, lang, lab),
            evidence=evidence, remedy=render(rule.remedy(lang), values, lang, lab), due=due,
        ))
        counts[(code, "violations" if status == "violation" else "pending")] += 1
    return Explained(findings, satisfied, counts, errors)


def tally(rulebook: Rulebook, findings: list[Finding], satisfied: dict[str, int]) -> list[RuleTally]:
    """The tallies of a run's final findings (after annotate and waivers) and its satisfied counts."""
    counts: Counter[tuple[str, str]] = Counter({(code, "satisfied"): n for code, n in satisfied.items()})
    counts.update((f.rule, "violations" if f.status == "violation" else f.status) for f in findings)
    return tallies(rulebook, counts)


def tallies(rulebook: Rulebook, counts: Counter[tuple[str, str]]) -> list[RuleTally]:
    """Per rule: satisfied, violations, pending, not evaluated, exempt; waived (checker.waivers)."""
    return [
        RuleTally(r.code, r.clause, r.severity, counts[(r.code, "satisfied")],
                  counts[(r.code, "violations")], counts[(r.code, "pending")],
                  counts[(r.code, "not_evaluated")], counts[(r.code, "exempt")],
                  counts[(r.code, "waived")])
        for r in sorted(rulebook.rules.values(), key=lambda r: (clause_order(r.clause), r.code))
    ]


def _no_calendar(year: int, lang: str) -> str:
    if year > dt.date.max.year:
        if lang == "en":
            return f"the deadline falls after {dt.date.max.isoformat()}, the last date dates can name"
        return f"期限晚于{dt.date.max.isoformat()}，超出可表示的日期"
    if lang == "en":
        return f"the deadline falls in {year}, which no working-day calendar covers"
    return f"期限落在{year}年，没有该年的工作日历"


def _no_calendar_error(year: int, code: str) -> str:
    """The input error of R25: which year, and how to supply it (messages of input errors are English)."""
    if year > dt.date.max.year:
        return f"the deadline of {code} falls after {dt.date.max.isoformat()}, the last date dates can name"
    return (f"the deadline of {code} falls in {year}, which no working-day calendar covers; supply one with "
            "--calendar FILE or choose --weekends-only")


_NOWHERE = Record("", "", "", "", "")
# The evidence and place of a finding that has none yet: one empty dict for them all, which no one
# changes (annotate and the waivers set a new one), not two for each of a plan's 300,000 not evaluated.
_NONE: dict[str, Any] = {}


def _code(term: clingo.Symbol) -> str:
    """A rule's code, written as a string or a constant."""
    return term.string if term.type == clingo.SymbolType.String else term.name


def _of(said: Finding, rec: Record) -> Finding:
    """The finding `said` (of no record, from _plain) of record `rec`."""
    return Finding(said.status, said.rule, said.clause, "", "", said.severity, said.title, rec.document,
                   rec.subject, rec.file, rec.path, "", _NONE, "", None, said.reason, _NONE)


def _plain(status: str, code: str, rulebook: Rulebook, rec: Any, reasons: Any, reason: str,
           lang: str) -> Finding:
    rule = rulebook.rules.get(code)
    text = reasons[reason](lang) if reason in reasons else reason
    return Finding(
        status=status, rule=code, clause=rule.clause if rule else "",
        citation="", quote="", severity=rule.severity if rule else "info",
        title=rule.title(lang) if rule else "", document=rec.document, subject=rec.subject,
        file=rec.file, path=rec.path, message="", reason=text,
    )
