"""Ranks keep the exact order of the ratios, where floats would tie or overflow."""

from __future__ import annotations

from fractions import Fraction

from checker.ratios import RatioTable


def _ranked(values: list[Fraction]) -> list[Fraction]:
    table = RatioTable()
    for v in values:
        table.add(v)
    table.freeze()
    return [table.value(r) for r in range(1, len(set(values)) + 1)]


def test_ratios_equal_as_floats_keep_their_exact_order() -> None:
    third = Fraction(1, 3)
    below = Fraction(10**17, 3 * 10**17 + 1)  # a float cannot tell it from a third
    above = Fraction(10**17 + 1, 3 * 10**17 + 2)
    assert float(below) == float(third) == float(above)
    assert _ranked([above, third, below, third]) == [below, third, above]


def test_ratios_past_the_floats_range_are_ranked_exactly() -> None:
    huge = Fraction(10**400, 3)
    values = [huge, Fraction(1, 20), huge + Fraction(1, 10**400), Fraction(0)]
    assert _ranked(values) == sorted(values)
