"""Exact ratios: read as fractions, compared through ranks.

clingo integers are 32-bit and wrap silently, so the rules never multiply.
Every ratio of a run (stated ratios, caps, thresholds, and count/size shares)
is read as an exact Fraction; the engine numbers the distinct values in
increasing order, and the rules compare those ranks. `a <= b` on ranks is
exactly `a <= b` on the values, for any directory size and any ratio.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def parse_ratio(value: Decimal | int | str) -> Fraction:
    """0.05, 1, "5%", "0.5%" as an exact fraction (never through float)."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            return Fraction(Decimal(text[:-1])) / 100
        return Fraction(Decimal(text))
    if isinstance(value, float):  # pragma: no cover - the readers never produce floats
        raise TypeError("ratios are read exactly, never as float")
    return Fraction(value)


def show_ratio(value: Fraction) -> str:
    """A ratio as a percent, exact: '5%', '0.5%', '12.5%', or '100/3%' when it does not terminate."""
    percent = value * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    d = percent.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        text = format(Decimal(percent.numerator) / Decimal(percent.denominator), "f")
        return f"{text.rstrip('0').rstrip('.')}%"
    return f"{percent.numerator}/{percent.denominator}%"


def floor_mul(size: int, ratio: Fraction) -> int:
    """The largest whole count not above size × ratio (R4: never rounded up)."""
    product = size * ratio
    return product.numerator // product.denominator


def _by_float(value: Fraction) -> tuple[float, Fraction]:
    """A sort key as exact as the fraction: rounding to float keeps the order (it may only tie)."""
    return value.numerator / value.denominator, value


class RatioTable:
    """Collects the run's ratios and ranks the distinct values."""

    def __init__(self) -> None:
        self._values: set[Fraction] = set()
        self._rank: dict[Fraction, int] = {}
        self._value: list[Fraction] = []

    def add(self, value: Fraction) -> Fraction:
        self._values.add(value)
        return value

    def copy(self) -> RatioTable:
        other = RatioTable()
        other._values = set(self._values)
        return other

    def freeze(self) -> None:
        try:  # a year's shares are tens of thousands of fractions: compared as floats first, in C
            self._value = sorted(self._values, key=_by_float)
        except OverflowError:  # a ratio past the floats' range
            self._value = sorted(self._values)
        self._rank = {v: i + 1 for i, v in enumerate(self._value)}

    def rank(self, value: Fraction) -> int:
        return self._rank[value]

    def value(self, rank: int) -> Fraction:
        return self._value[rank - 1]
