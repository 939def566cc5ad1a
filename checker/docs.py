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
           "text": "条款全文", "none": "（无）", "cases": "用例", "applied_as": "作为例外适用"},
    "en": {"rules": "rules", "clause": "clause", "severity": "severity", "title": "title",
           "not_checkable": "not checkable", "readings": "readings", "checks": "what it checks",
           "quote": "quote", "remedy": "remedy", "fails": "failing example",
           "passes": "passing example", "text": "clause text", "none": "(none)", "cases": "case",
           "applied_as": "applied as an exception"},
}


def _ordered(rulebook: Rulebook) -> list[Rule]:
    return sorted(rulebook.rules.values(),
                  key=lambda r: (tuple(int(p) for p in r.clause.split(".")), r.code))


def rule_table(rulebook: Rulebook, lang: str) -> str:
    rows = [f"{r.code:<34} {r.clause:<6} {r.severity:<8} {r.title(lang)}" for r in _ordered(rulebook)]
    return "\n".join(rows) + "\n"


def clause_table(rulebook: Rulebook, lang: str) -> str:
    w = _W[lang]
    out = []
    for c in rulebook.clauses.values():
        rules = rulebook.rules_of(c.id)
        if rules:
            what = ", ".join(r.code for r in sorted(rules, key=lambda r: r.code))
        elif c.not_checkable:
            what = f"{w['not_checkable']}: {c.not_checkable}"
        elif c.applied_as:
            what = f"{w['applied_as']}: {c.applied_as}"
        else:
            what = w["none"]
        out.append(f"{c.id:<6} {c.citation(lang)}\n       {what}")
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
    if target in rulebook.rules:
        rules = [rulebook.rules[target]]
    elif target in rulebook.clauses:
        rules = rulebook.rules_of(target)
        clause = rulebook.clauses[target]
        if not rules:
            label, reason = ((w["applied_as"], clause.applied_as) if clause.applied_as
                             else (w["not_checkable"], clause.not_checkable or w["none"]))
            return f"{clause.id} {clause.citation(lang)}\n{w['text']}: {clause.text}\n{label}: {reason}\n"
    else:
        return None
    cases = all_cases(rulebook)
    out = []
    for r in rules:
        clause = rulebook.clauses[r.clause]
        out.append(f"{r.code} — {r.title(lang)}")
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
        out.append(f"{w['passes']}:")
        out.append(_example(ok) if ok else f"  {w['none']}")
    return "\n".join(out) + "\n"
