"""Text about the rulebook: the rule list, the clause map, and `explain`."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import yaml

from checker.cases import Case, all_cases
from checker.rulebook import Clause, Rule, Rulebook, clause_order

_W = {
    "zh": {"rules": "规则", "clause": "条款", "severity": "严重程度", "title": "标题",
           "not_checkable": "不可检查", "readings": "解释口径", "checks": "检查内容",
           "quote": "原文", "remedy": "整改", "fails": "不合规示例", "passes": "合规示例",
           "text": "条款全文", "none": "（无）", "cases": "用例", "applied_as": "作为例外适用",
           "aliases": "旧代码", "unencoded": "未编码", "used_by": "依据此口径的规则",
           "error": "错误", "warning": "警告", "info": "提示",
           "more_detail": "一条规则的全文：dsr-check explain <规则代码>；全部展开：dsr-check explain {target} --full"},
    "en": {"rules": "rules", "clause": "clause", "severity": "severity", "title": "title",
           "not_checkable": "not checkable", "readings": "readings", "checks": "what it checks",
           "quote": "quote", "remedy": "remedy", "fails": "failing example",
           "passes": "passing example", "text": "clause text", "none": "(none)", "cases": "case",
           "applied_as": "applied as an exception", "aliases": "formerly", "unencoded": "not encoded",
           "used_by": "rules that take it",
           "more_detail": "One rule in full: dsr-check explain <code>; all of them: dsr-check explain {target} --full"},
}


def _ordered(rulebook: Rulebook) -> list[Rule]:
    return sorted(rulebook.rules.values(),
                  key=lambda r: (clause_order(r.clause), r.code))


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
            out.append(f"       ({i}) 「{sentence}」")
            out.append(f"           → {', '.join(r.code for r in rules) if rules else w['none']}")
            out.extend(f"           {w['unencoded']} 「{u.part}」: {u.why(lang)}" for u in parts)
    return "\n".join(out) + "\n"


class _Dumper(yaml.SafeDumper):
    """Dumps case documents as written: exact decimals stay plain numbers."""


_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", format(v, "f"))
)


def _example(case: Case, lang: str = "en", rulebook: Rulebook | None = None) -> str:
    body = yaml.dump(case.documents, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    # a case is named by an English sentence; in Chinese it is named by its place in the rulebook:
    # the title of its group of rules (三（五）年度抽查计划的动态调整), not the group's folder
    group = next((g.title("zh") for g in (rulebook.groups if rulebook else ()) if g.id == case.group), case.group)
    head = (f"  # {case.name} (as of {case.as_of})\n" if lang == "en"
            else f"  # 用例：“{group}”第 {case.index + 1} 条（基准日 {case.as_of}）\n")
    return head + "".join(f"  {line}\n" for line in body.splitlines())


def clauses_named(rulebook: Rulebook, target: str) -> list[Clause]:
    """The clauses a target names: an ID (4.1.2), an ID's prefix (3.5), or the citation a report
    prints, with or without the document (四（一）第2段, 三（五）, Part IV(1) ¶2)."""
    if target in rulebook.clauses:
        return [rulebook.clauses[target]]
    by_prefix = [c for c in rulebook.clauses.values() if c.id.startswith(target.rstrip(".") + ".")]
    if by_prefix:
        return by_prefix
    want = _squeeze(target)
    if not want:
        return []
    out = []
    for c in rulebook.clauses.values():
        for lang in ("zh", "en"):
            document = _document_name([x.citation(lang) for x in rulebook.clauses.values()])
            full, own = _squeeze(c.citation(lang)), _squeeze(c.citation(lang).removeprefix(document))
            if want in (full, own) or any(x.startswith(want + mark) for x in (full, own) for mark in ("第", "¶")):
                out.append(c)
                break
    return out


def _document_name(citations: list[str]) -> str:
    """What every citation starts with, to its last space: the document's name ('广府办发〔2019〕58号 ')."""
    first, last = min(citations), max(citations)
    n = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), min(len(first), len(last)))
    return first[: first.rfind(" ", 0, n) + 1]


def _squeeze(text: str) -> str:
    """A citation as compared: NFKC (（ is (), no spaces or commas."""
    return re.sub(r"[\s,，]", "", unicodedata.normalize("NFKC", text))


def explain_text(rulebook: Rulebook, target: str, lang: str, full: bool = False) -> str | None:
    """A rule in full; a clause (or a citation) as a summary of its rules, in full with `full`."""
    w = _W[lang]
    if target in rulebook.readings:  # a reading (R19): its text and the rules that take it
        takers = sorted(r.code for r in rulebook.rules.values() if target in r.readings)
        return (f"{target}: {rulebook.readings[target](lang)}\n"
                f"{w['used_by']}: {', '.join(takers) if takers else w['none']}\n")
    if (found := rulebook.rule(target)) is not None:
        return _rules_in_full(rulebook, [found], lang)
    clauses = clauses_named(rulebook, target)
    if not clauses:
        return None
    rules = [r for c in clauses for r in sorted(rulebook.rules_of(c.id), key=lambda r: r.code)]
    if full and rules:
        return _rules_in_full(rulebook, rules, lang)
    out = []
    for clause in clauses:
        out.append(f"{clause.id} {clause.citation(lang)}")
        out.append(f"{w['text']}: {clause.text}")
        mine = sorted(rulebook.rules_of(clause.id), key=lambda r: r.code)
        if mine:
            out.append(f"{w['rules']} ({len(mine)}):")
            width = max(len(r.code) for r in mine)
            out.extend(f"  {r.code:<{width}}  [{w.get(r.severity, r.severity)}] {r.title(lang)}" for r in mine)
        elif clause.applied_as:
            out.append(f"{w['applied_as']}: {clause.applied_as(lang)}")
        else:
            out.append(f"{w['not_checkable']}: {clause.not_checkable(lang) if clause.not_checkable else w['none']}")
        out.extend(f"{w['unencoded']} 「{u.part}」: {u.why(lang)}" for u in clause.unencoded)
        out.append("")
    if rules:
        out.append(w["more_detail"].format(target=target))
    return "\n".join(out).rstrip("\n") + "\n"


def _rules_in_full(rulebook: Rulebook, rules: list[Rule], lang: str) -> str:
    w = _W[lang]
    cases = all_cases(rulebook)
    out = []
    for r in rules:
        clause = rulebook.clauses[r.clause]
        fail = next((c for c in cases if any(v[0] == r.code for v in c.violations)), None)
        ok = next((c for c in cases if any(p[0] == r.code for p in c.passes)), None)
        found = [f for f in fail.run(rulebook, lang).of("violation") if f.rule == r.code] if fail else []
        out.append(f"{r.code} — {r.title(lang)}")
        if r.aliases:
            out.append(f"{w['aliases']}: {', '.join(r.aliases)}")
        out.append(f"{w['clause']}: {r.clause} {clause.citation(lang)}  ·  {w['severity']}: "
                   f"{w.get(r.severity, r.severity)}")
        out.append(f"{w['quote']}: 「{r.quote}」")
        out.append(f"{w['text']}: {clause.text}")
        for reading in r.readings:
            out.append(f"{w['readings']} {reading}: {rulebook.readings[reading](lang)}")
        out.append(f"{w['checks']}: {r.checks(lang)}")
        # The remedy as a finding says it: its {placeholders} filled from the failing example.
        out.append(f"{w['remedy']}: {found[0].remedy}" if found else f"{w['remedy']}: {r.remedy(lang)}")
        out.append(f"{w['fails']}:")
        out.append(_example(fail, lang, rulebook) if fail else f"  {w['none']}")
        out.extend(f"  → {f.subject}: {f.message}" for f in found)
        out.append(f"{w['passes']}:")
        out.append(_example(ok, lang, rulebook) if ok else f"  {w['none']}")
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
