"""Every case of every rule group, run through the whole pipeline.

A case names the exact violations its group's rules find, as (rule, clause,
subject); the rules it passes, as (rule, subject) checked and satisfied; and,
where given, the exact pending / not_evaluated / exempt sets of its group, and the exact
input errors (by place; each message holding the words given).
"""

from __future__ import annotations

import pytest

from checker.cases import Case
from checker.rulebook import Rulebook
from tests.casebook import BOOKS, cases, report

CASES = [(book, case) for book in BOOKS for case in cases(book)]


@pytest.mark.parametrize(("book", "case"), CASES, ids=[f"{b.id}/{c.group}: {c.name}" for b, c in CASES])
def test_case(book: Rulebook, case: Case) -> None:
    found = report(book, case)
    errors = {(e.path, e.message) for e in found.input_errors}
    prefix = f"/cases/{case.index}/documents"
    expected = {(prefix + path, says) for path, says in case.input_errors}
    assert {path for path, _ in errors} == {path for path, _ in expected}, errors
    for path, says in expected:
        assert any(p == path and says in m for p, m in errors), (path, says, errors)
    own = {r.code for r in book.rules.values() if r.group == case.group}
    violations = {(f.rule, f.clause, f.subject) for f in found.of("violation") if f.rule in own}
    assert violations == case.violations
    satisfied = {(rule, subject) for rule, _, subject in found.satisfied}
    assert case.passes <= satisfied, case.passes - satisfied
    for status, expected in case.expect.items():
        got = {(f.rule, f.subject) for f in found.of(status) if f.rule in own}
        assert got == expected, status
    if case.out_of_scope is not None:
        assert {f.subject for f in found.of("out_of_scope")} == case.out_of_scope


@pytest.mark.parametrize("book", BOOKS, ids=lambda b: b.id)
def test_every_group_has_cases(book: Rulebook) -> None:
    assert {g.id for g in book.groups} == {c.group for c in cases(book)}
