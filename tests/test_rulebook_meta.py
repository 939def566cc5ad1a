"""The rulebook keeps its parts in step: metadata, logic, clauses and cases."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from checker.cases import all_cases
from checker.rulebook import SEVERITIES, load_rulebook

RULEBOOK = load_rulebook()
RULES = sorted(RULEBOOK.rules.values(), key=lambda r: r.code)
CASES = all_cases(RULEBOOK)
_CODE = re.compile(r'"([a-z0-9]+(?:-[a-z0-9]+)+)"')


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _codes_in(program: str) -> set[str]:
    body = "\n".join(line.split("%", 1)[0] for line in program.splitlines())
    return set(_CODE.findall(body))


def test_each_code_lives_in_exactly_its_own_group() -> None:
    seen: dict[str, str] = {}
    for group in RULEBOOK.groups:
        for code in _codes_in((group.folder / "rules.lp").read_text(encoding="utf-8")):
            assert code in RULEBOOK.rules, f"{group.id}/rules.lp derives {code}, which has no metadata"
            assert code not in seen, f"{code} is derived in {seen.get(code)} and {group.id}"
            seen[code] = group.id
    for rule in RULES:
        assert seen.get(rule.code) == rule.group, f"{rule.code} is not derived in {rule.group}/rules.lp"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata_is_complete(rule) -> None:
    assert rule.severity in SEVERITIES
    assert rule.clause in RULEBOOK.clauses
    assert RULEBOOK.clauses[rule.clause].not_checkable is None
    assert all(r in RULEBOOK.readings for r in rule.readings)
    assert _squash(rule.quote) in _squash(RULEBOOK.clauses[rule.clause].text), "quote is not in the clause"
    for text in (rule.title, rule.checks, rule.message, rule.remedy):
        assert text.zh.strip() and text.en.strip()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_failing_and_passing_cases(rule) -> None:
    assert any(rule.code == v[0] for c in CASES for v in c.violations), "no failing case"
    assert any(rule.code == p[0] for c in CASES for p in c.passes), "no passing case"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_message_placeholders_exist_in_the_evidence(rule, lang) -> None:
    case = next(c for c in CASES if any(rule.code == v[0] for v in c.violations))
    report = case.run(RULEBOOK, lang)
    finding = next(f for f in report.of("violation") if f.rule == rule.code)
    for template in (rule.message(lang), rule.remedy(lang)):
        for _, name, _, _ in Formatter().parse(template):
            if name is not None:
                assert name in {*finding.evidence, "subject", "document"}, name
    assert "{" not in finding.message and "{" not in finding.remedy


def test_clause_texts_are_word_for_word_from_the_source() -> None:
    source = _squash(RULEBOOK.source_text())
    for clause in RULEBOOK.clauses.values():
        assert _squash(clause.text) in source, clause.id


def test_every_clause_is_enforced_or_says_why_not() -> None:
    for clause in RULEBOOK.clauses.values():
        accounts = [bool(RULEBOOK.rules_of(clause.id)), bool(clause.not_checkable), bool(clause.applied_as)]
        assert accounts.count(True) == 1, clause.id


def test_parameters_cite_existing_clauses() -> None:
    for p in RULEBOOK.parameters.values():
        assert p.clause in RULEBOOK.clauses, p.name


def test_thresholds_are_not_literals_in_rules() -> None:
    for group in RULEBOOK.groups:
        program = "\n".join(line.split("%", 1)[0]
                            for line in (group.folder / "rules.lp").read_text(encoding="utf-8").splitlines())
        for literal in ("1120", "1231", "1210", "131", "365", "20191122"):
            assert not re.search(rf"(?<![\w.]){literal}(?![\w.])", program), (group.id, literal)
