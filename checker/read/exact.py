"""Numbers read exactly and within bounds, and the refusals both strict parsers raise.

A number is read exactly, so its size is bounded: Fraction(Decimal("1e-99999999"))
alone would build a hundred-million-digit integer. No value of the contract needs
more than a few digits; these bounds are far above any of them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MAX_NUMBER_DIGITS = 100
MAX_NUMBER_EXPONENT = 100


class DuplicateKey(ValueError):
    """A key repeated in one object or mapping."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Refused(ValueError):
    """A value the checker does not accept; the message says why."""


class TooDeep(Exception):
    """Nested past the guard depth: refused before a recursive parser sees it."""


def out_of_range(text: str) -> Refused:
    shown = text if len(text) <= 24 else text[:20] + "..."
    return Refused(
        f"the number {shown} is out of range: at most {MAX_NUMBER_DIGITS} digits and an "
        f"exponent within ±{MAX_NUMBER_EXPONENT} are read"
    )


def integer(text: str) -> int:
    """An integer literal, bounded before Python converts it."""
    if len(text.lstrip("+-")) > MAX_NUMBER_DIGITS:
        raise out_of_range(text)
    return int(text)


def decimal(text: str) -> Decimal:
    """A decimal literal, exact, with bounded digits and exponent."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Refused(f"{text!r} is not a number this checker accepts") from None
    if not value.is_finite():
        raise Refused(f"{text} is not a number this checker accepts")
    _, digits, exponent = value.as_tuple()
    if len(digits) > MAX_NUMBER_DIGITS or abs(int(exponent)) > MAX_NUMBER_EXPONENT:
        raise out_of_range(text)
    return value
