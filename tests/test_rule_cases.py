"""Every case of every rule group, run through the whole pipeline.

A case names the exact violations its group's rules find, as (rule, clause,
subject); the rules it passes, as (rule, subject) checked and satisfied; and,
where given, the exact pending / not_evaluated / exempt sets of its group.
"""

from __future__ import annotations

import pytest

from checker.cases import Case, all_cases
from checker.rulebook import load_rulebook

RULEBOOK = load_rulebook()
CASES = all_cases(RULEBOOK)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.group}: {c.name}" for c in CASES])
def test_case(case: Case) -> None:
    report = case.run(RULEBOOK)
    assert [e.to_dict() for e in report.input_errors] == []
    own = {r.code for r in RULEBOOK.rules.values() if r.group == case.group}
    found = {(f.rule, f.clause, f.subject) for f in report.of("violation") if f.rule in own}
    assert found == case.violations
    satisfied = {(rule, subject) for rule, _, subject in report.satisfied}
    assert case.passes <= satisfied, case.passes - satisfied
    for status, expected in case.expect.items():
        got = {(f.rule, f.subject) for f in report.of(status) if f.rule in own}
        assert got == expected, status
    if case.out_of_scope is not None:
        assert {f.subject for f in report.of("out_of_scope")} == case.out_of_scope


def test_every_group_has_cases() -> None:
    assert {g.id for g in RULEBOOK.groups} == {c.group for c in CASES}
