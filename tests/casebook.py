"""The rulebooks the generic tests hold to their cases, and each case's report, run once.

Every rulebook here passes the same case tests (test_rule_cases.py), meta tests
(test_rulebook_meta.py) and contract tests (test_fact_contract.py).
"""

from __future__ import annotations

from pathlib import Path

from checker.cases import Case, all_cases
from checker.report import Report
from checker.rulebook import Rulebook, load_rulebook

_HERE = Path(__file__).resolve().parent

# A second, small rulebook: the Administrative Penalty Law's baseline (arts. 42 and 43).
APL = load_rulebook(str(_HERE / "rulebooks" / "apl-2021-42"))
BOOKS: tuple[Rulebook, ...] = (load_rulebook(), APL)

_CASES: dict[str, list[Case]] = {}
_REPORTS: dict[tuple[str, str, int, str], Report] = {}


def cases(book: Rulebook) -> list[Case]:
    if book.id not in _CASES:
        _CASES[book.id] = all_cases(book)
    return _CASES[book.id]


def report(book: Rulebook, case: Case, lang: str = "zh") -> Report:
    """The case's report, run once per language and kept for the other tests."""
    key = (book.id, case.group, case.index, lang)
    if key not in _REPORTS:
        _REPORTS[key] = case.run(book, lang)
    return _REPORTS[key]
