"""Text about the rulebook: the rule list, the clause map, and `explain`."""

from __future__ import annotations

from decimal import Decimal

import yaml

from checker.cases import Case, all_cases
from checker.rulebook import Rule, Rulebook

_W = {
    "zh": {"rules": "规则", "clause": "条款", "severity": "严重程度", "title": "标题",
           "not_checkable": "不可检查", "readings": "解释口径", "checks": "检查内容",
           "quote": "原文", "remedy": "整改", "fails": "不合规示例", "passes": "合规示例",
           "text": "条款全文", "none": "（无）", "cases": "用例", "applied_as": "作为例外适用",
           "aliases": "旧代码", "unencoded": "未编码", "used_by": "依据此口径的规则"},
    "en": {"rules": "rules", "clause": "clause", "severity": "severity", "title": "title",
           "not_checkable": "not checkable", "readings": "readings", "checks": "what it checks",
           "quote": "quote", "remedy": "remedy", "fails": "failing example",
           "passes": "passing example", "text": "clause text", "none": "(none)", "cases": "case",
           "applied_as": "applied as an exception", "aliases": "formerly", "unencoded": "not encoded",
           "used_by": "rules that take it"},
}


def _ordered(rulebook: Rulebook) -> list[Rule]:
    return sorted(rulebook.rules.values(),
                  key=lambda r: (tuple(int(p) for p in r.clause.split(".")), r.code))


def rule_table(rulebook: Rulebook, lang: str) -> str:
    rows = [f"{r.code:<34} {r.clause:<6} {r.severity:<8} {r.title(lang)}" for r in _ordered(rulebook)]
    return "\n".join(rows) + "\n"


def clause_table(rulebook: Rulebook, lang: str) -> str:
    """Every clause, sentence by sentence: the rules that encode it, or why not."""
    w = _W[lang]
    out = []
    for c in rulebook.clauses.values():
        out.append(f"{c.id:<6} {c.citation(lang)}")
        if c.not_checkable:
            out.append(f"       {w['not_checkable']}: {c.not_checkable(lang)}")
            continue
        if c.applied_as:
            out.append(f"       {w['applied_as']}: {c.applied_as(lang)}")
            continue
        for i, (sentence, rules, parts) in enumerate(rulebook.accounts(c), 1):
            what = ", ".join(r.code for r in rules) if rules else w["none"]
            out.append(f"       ({i}) 「{sentence}」")
            out.append(f"           → {what}")
            out.extend(f"           {w['unencoded']} 「{u.part}」: {u.why(lang)}" for u in parts)
    return "\n".join(out) + "\n"


class _Dumper(yaml.SafeDumper):
    """Dumps case documents as written: exact decimals stay plain numbers."""


_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f"))
)


def _example(case: Case) -> str:
    body = yaml.dump(case.documents, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"  # {case.name} (as of {case.as_of})\n" + "".join(f"  {line}\n" for line in body.splitlines())


def explain_text(rulebook: Rulebook, target: str, lang: str) -> str | None:
    w = _W[lang]
    if target in rulebook.readings:  # a reading (R19): its text and the rules that take it
        takers = sorted(r.code for r in rulebook.rules.values() if target in r.readings)
        return (f"{target}: {rulebook.readings[target](lang)}\n"
                f"{w['used_by']}: {', '.join(takers) if takers else w['none']}\n")
    head: list[str] = []
    if (found := rulebook.rule(target)) is not None:
        rules = [found]
    elif target in rulebook.clauses:
        rules = rulebook.rules_of(target)
        clause = rulebook.clauses[target]
        if not rules:
            if clause.applied_as:
                label, reason = w["applied_as"], clause.applied_as(lang)
            else:
                label = w["not_checkable"]
                reason = clause.not_checkable(lang) if clause.not_checkable else w["none"]
            return f"{clause.id} {clause.citation(lang)}\n{w['text']}: {clause.text}\n{label}: {reason}\n"
        # what of the clause no rule encodes, then its rules
        head = [f"{clause.id} {clause.citation(lang)}",
                *(f"{w['unencoded']} 「{u.part}」: {u.why(lang)}" for u in clause.unencoded)]
    else:
        return None
    cases = all_cases(rulebook)
    out = head
    for r in rules:
        clause = rulebook.clauses[r.clause]
        out.append(f"{r.code} — {r.title(lang)}")
        if r.aliases:
            out.append(f"{w['aliases']}: {', '.join(r.aliases)}")
        out.append(f"{w['clause']}: {r.clause} {clause.citation(lang)}  ·  {w['severity']}: {r.severity}")
        out.append(f"{w['quote']}: 「{r.quote}」")
        out.append(f"{w['text']}: {clause.text}")
        for reading in r.readings:
            out.append(f"{w['readings']} {reading}: {rulebook.readings[reading](lang)}")
        out.append(f"{w['checks']}: {r.checks(lang)}")
        out.append(f"{w['remedy']}: {r.remedy(lang)}")
        fail = next((c for c in cases if any(v[0] == r.code for v in c.violations)), None)
        ok = next((c for c in cases if any(p[0] == r.code for p in c.passes)), None)
        out.append(f"{w['fails']}:")
        out.append(_example(fail) if fail else f"  {w['none']}")
        if fail:
            found = [f for f in fail.run(rulebook, lang).of("violation") if f.rule == r.code]
            out.extend(f"  → {f.subject}: {f.message}" for f in found)
        out.append(f"{w['passes']}:")
        out.append(_example(ok) if ok else f"  {w['none']}")
    return "\n".join(out) + "\n"


def rules_markdown(rulebook: Rulebook, lang: str = "en") -> str:
    """The rulebook's reference page, generated from its metadata and cases."""
    w = _W[lang]
    cases = all_cases(rulebook)
    out = [f"# {rulebook.title(lang)}", "",
           f"Rulebook `{rulebook.id}` version {rulebook.version}. Generated by `dsr-check docs`; "
           "do not edit by hand.", ""]
    out += ["| clause | rules |", "|---|---|"]
    for c in rulebook.clauses.values():
        rules = rulebook.rules_of(c.id)
        if rules:
            what = ", ".join(f"[`{r.code}`](#{r.code})" for r in sorted(rules, key=lambda r: r.code))
            what += "".join(f"<br>{w['unencoded']} 「{u.part}」: {u.why(lang)}" for u in c.unencoded)
        else:
            what = (f"{w['applied_as']}: {c.applied_as(lang)}" if c.applied_as
                    else f"{w['not_checkable']}: {c.not_checkable(lang) if c.not_checkable else w['none']}")
        out.append(f"| {c.id} {c.citation(lang)} | {what} |")
    out.append("")
    for r in _ordered(rulebook):
        clause = rulebook.clauses[r.clause]
        out += [f"## {r.code}", "", f"**{r.title(lang)}** — {r.clause} {clause.citation(lang)}, "
                f"{w['severity']} `{r.severity}`"
                + (f", {w['readings']} {', '.join(r.readings)}" if r.readings else "")
                + (f", {w['aliases']} {', '.join(f'`{a}`' for a in r.aliases)}" if r.aliases else ""),
                "", f"> {r.quote}", "", f"{w['checks']}: {r.checks(lang)}", "",
                f"{w['remedy']}: {r.remedy(lang)}", ""]
        for reading in r.readings:
            out.append(f"- {reading}: {rulebook.readings[reading](lang)}")
        if r.readings:
            out.append("")
        fail = next((c for c in cases if any(v[0] == r.code for v in c.violations)), None)
        ok = next((c for c in cases if any(p[0] == r.code for p in c.passes)), None)
        for label, case in ((w["fails"], fail), (w["passes"], ok)):
            if case:
                out += [f"{label}: *{case.name}*", "", "```yaml", _example(case).rstrip(), "```", ""]
    return "\n".join(out) + "\n"
