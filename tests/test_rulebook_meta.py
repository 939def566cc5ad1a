"""Every rulebook keeps its parts in step: metadata, logic, clauses and cases."""

from __future__ import annotations

import dataclasses
import re
from string import Formatter

import pytest

from checker.labels import labels
from checker.resources import rules_dir
from checker.rulebook import SEVERITIES, Rule, Rulebook
from tests.casebook import BOOKS, cases, report

RULES = [(book, rule) for book in BOOKS for rule in sorted(book.rules.values(), key=lambda r: r.code)]
RULE_IDS = [f"{b.id}/{r.code}" for b, r in RULES]
_CODE = re.compile(r'"([a-z0-9]+(?:-[a-z0-9]+)+)"')
each_book = pytest.mark.parametrize("book", BOOKS, ids=lambda b: b.id)
each_rule = pytest.mark.parametrize(("book", "rule"), RULES, ids=RULE_IDS)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _codes_in(program: str) -> set[str]:
    body = "\n".join(line.split("%", 1)[0] for line in program.splitlines())
    return set(_CODE.findall(body))


@each_book
def test_each_code_lives_in_exactly_its_own_group(book: Rulebook) -> None:
    seen: dict[str, str] = {}
    for group in book.groups:
        for code in _codes_in((group.folder / "rules.lp").read_text(encoding="utf-8")):
            assert code in book.rules, f"{group.id}/rules.lp derives {code}, which has no metadata"
            assert code not in seen, f"{code} is derived in {seen.get(code)} and {group.id}"
            seen[code] = group.id
    for rule in book.rules.values():
        assert seen.get(rule.code) == rule.group, f"{rule.code} is not derived in {rule.group}/rules.lp"


@each_rule
def test_rule_metadata_is_complete(book: Rulebook, rule: Rule) -> None:
    assert rule.severity in SEVERITIES
    assert rule.clause in book.clauses
    assert book.clauses[rule.clause].not_checkable is None
    assert all(r in book.readings for r in rule.readings)
    assert _squash(rule.quote) in _squash(book.clauses[rule.clause].text), "quote is not in the clause"
    for text in (rule.title, rule.checks, rule.message, rule.remedy):
        assert text.zh.strip() and text.en.strip()


@each_rule
def test_rule_has_failing_and_passing_cases(book: Rulebook, rule: Rule) -> None:
    assert any(rule.code == v[0] for c in cases(book) for v in c.violations), "no failing case"
    assert any(rule.code == p[0] for c in cases(book) for p in c.passes), "no passing case"


@each_rule
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_message_placeholders_exist_in_the_evidence(book: Rulebook, rule: Rule, lang: str) -> None:
    case = next(c for c in cases(book) if any(rule.code == v[0] for v in c.violations))
    finding = next(f for f in report(book, case, lang).of("violation") if f.rule == rule.code)
    for template in (rule.message(lang), rule.remedy(lang)):
        for _, name, spec, _ in Formatter().parse(template):
            if name == "todo":  # the steps still to take: each names an evidence key
                assert spec and set(spec.split(",")) <= set(finding.evidence), spec
            elif name == "label":  # a field the user fills in elsewhere, by its Chinese label
                assert spec and labels().key(spec) != spec, spec
            elif name is not None:  # "field": the finding's own field, in the user's terms
                assert name in {*finding.evidence, "subject", "document", "field"}, name
    assert "{" not in finding.message and "{" not in finding.remedy


@each_book
def test_clause_texts_are_word_for_word_from_the_source(book: Rulebook) -> None:
    source = _squash(book.source_text())
    for clause in book.clauses.values():
        assert _squash(clause.text) in source, clause.id


@each_book
def test_every_clause_is_enforced_or_says_why_not(book: Rulebook) -> None:
    for clause in book.clauses.values():
        accounts = [bool(book.rules_of(clause.id)), bool(clause.not_checkable), bool(clause.applied_as)]
        assert accounts.count(True) == 1, clause.id


@pytest.mark.parametrize("book", [b for b in BOOKS if b.folder.parent == rules_dir()], ids=lambda b: b.id)
def test_every_sentence_of_every_clause_is_accounted_for(book: Rulebook) -> None:
    """Encoded by a rule whose quote lies in it, or a part of it said not encoded and why (the bundled
    rulebooks: a test rulebook may cover a few sentences of its law)."""
    for clause in book.clauses.values():
        for u in clause.unencoded:
            assert _squash(u.part) in _squash(clause.text), (clause.id, u.part)
            assert u.why.zh.strip() and u.why.en.strip()
        if clause.not_checkable or clause.applied_as:
            assert not clause.unencoded, clause.id
            continue
        for sentence, rules, parts in book.accounts(clause):
            assert rules or parts, (clause.id, sentence)


def test_a_sentence_no_rule_quotes_is_reported_unaccounted() -> None:
    book = BOOKS[0]
    second = {"local-item-list-published", "local-list-follows-provincial"}  # the rules of 3.2.1's 2nd sentence
    bare = dataclasses.replace(book, rules={k: r for k, r in book.rules.items() if k not in second})
    clause = book.clauses["3.2.1"]
    assert [s for s, rules, parts in bare.accounts(clause) if not rules and not parts] == [clause.sentences()[1]]


@each_book
def test_parameters_cite_existing_clauses(book: Rulebook) -> None:
    for p in book.parameters.values():
        assert p.clause in book.clauses, p.name


@each_book
def test_thresholds_are_not_literals_in_rules(book: Rulebook) -> None:
    """No parameter's value of three digits or more (a day, a date, 365) is written in a rule."""
    values = [v for p in book.parameters.values() if p.kind in ("int", "monthday", "monthdays", "date")
              for v in (p.value if isinstance(p.value, list) else [p.value])]
    literals = {text for v in values if len(text := str(v).replace("-", "").lstrip("0")) >= 3}
    for group in book.groups:
        program = "\n".join(line.split("%", 1)[0]
                            for line in (group.folder / "rules.lp").read_text(encoding="utf-8").splitlines())
        for literal in literals:
            assert not re.search(rf"(?<![\w.]){literal}(?![\w.])", program), (group.id, literal)
