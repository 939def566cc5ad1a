"""Values within the limits: depth, text length, unpaired surrogates, and what YAML aliases expand to.

The parsers bound nesting at a ceiling; here each document is held to the run's
own limits, so one document nested a little too deep is refused alone, with its
place, and the others are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from checker.errors import InputError, pointer
from checker.read.inputs import SURROGATE, Limits, RawDocument


@dataclass
class Budget:
    """How many more values a file may stand for (shared by its documents)."""

    total: int
    walked: int = 0

    @property
    def spent(self) -> bool:
        return self.walked > self.total


@dataclass(frozen=True)
class Screen:
    """What the bytes of a JSON text show cannot be wrong, so the bounds walk skips it.

    A text no longer than the string limit holds no string or key past it; a text
    without a `\\u` escape of a surrogate (D800-DFFF) holds no unpaired surrogate
    (valid UTF-8 cannot encode one). YAML is never screened: it has more escapes.
    """

    strings: bool  # check string and key lengths
    surrogates: bool  # look for unpaired surrogates

    @staticmethod
    def of(data: bytes, limits: Limits, syntax: str) -> Screen:
        if syntax == "yaml":
            return Screen(True, True)
        return Screen(len(data) > limits.max_string_chars, _SURROGATE_ESCAPE.search(data) is not None)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_CONTAINERS = (dict, list)


def check_bounds(
    name: str, value: Any, limits: Limits, budget: int | Budget | None = None, where: str = "",
    depth: int = 0, screen: Screen | None = None,
) -> InputError | None:
    """Refuse values nested deeper, or strings longer, than the limits allow.

    `budget` bounds the number of values walked: YAML aliases can make a file of a
    few hundred bytes stand for a billion values ("billion laughs"); a file that
    stands for more values than it has bytes is refused before anything expands it.
    `where` and `depth` place `value` inside its file (a document in a list).

    A first walk builds no JSON pointers and skips what `screen` rules out; only a
    value it finds fault with is walked again, pointers and all, to name the fault.
    """
    if isinstance(budget, int):
        budget = Budget(budget)
    walked = budget.walked if budget is not None else 0
    if _within(value, limits, budget, depth, screen or Screen(True, True)):
        return None
    if budget is not None:
        budget.walked = walked
    return _locate(name, value, limits, budget, where, depth)


def _within(value: Any, limits: Limits, budget: Budget | None, depth: int, screen: Screen) -> bool:
    """Whether `value` is within the limits (and the budget, which it spends): check_bounds' walk, faster.

    Scalars other than strings are counted, not visited; a container whose members
    would sit past the depth limit is itself the fault.
    """
    strings, surrogates = screen.strings, screen.surrogates
    max_depth, max_chars = limits.max_depth, limits.max_string_chars
    allowance = budget.total - budget.walked if budget is not None else -1
    if depth > max_depth:
        return False
    walked = 1
    visit = _WALKED if strings or surrogates else _CONTAINERS
    stack: list[tuple[Any, int]] = [(value, depth)]
    while stack:
        v, d = stack.pop()
        t = type(v)
        if t is dict:
            if strings and any(len(k) > max_chars for k in v):
                return False
            if surrogates and any(SURROGATE.search(k) for k in v):
                return False
            values: Any = v.values()
        elif t is list:
            values = v
        else:
            if t is str and ((strings and len(v) > max_chars) or (surrogates and SURROGATE.search(v))):
                return False
            continue
        if values:
            if d >= max_depth:
                return False
            walked += len(values)
            if 0 <= allowance < walked:
                break
            stack.extend([(x, d + 1) for x in values if type(x) in visit])
    if budget is not None:
        budget.walked += walked
        return not budget.spent
    return True


_WALKED = (dict, list, str)


def _locate(
    name: str, value: Any, limits: Limits, budget: Budget | None, where: str, depth: int,
) -> InputError | None:
    """The first fault of `value` in walk order, with its place."""
    stack: list[tuple[Any, int, str]] = [(value, depth, where)]
    while stack:
        v, depth, where = stack.pop()
        if budget is not None:
            budget.walked += 1
            if budget.spent:
                return InputError(
                    name, "", f"its aliases expand it to more than {budget.total} values, one per "
                    "byte of the file; write the values out instead"
                )
        if depth > limits.max_depth:
            return InputError(name, where, f"nested deeper than {limits.max_depth} levels")
        if isinstance(v, dict):
            for k, item in v.items():
                if len(k) > limits.max_string_chars:
                    return InputError(name, where, f"a key is longer than {limits.max_string_chars} characters")
                if SURROGATE.search(k):
                    return InputError(name, where, _unpaired(k))
                stack.append((item, depth + 1, where + pointer(k)))
        elif isinstance(v, list):
            stack.extend((item, depth + 1, where + pointer(i)) for i, item in enumerate(v))
        elif isinstance(v, str):
            if len(v) > limits.max_string_chars:
                return InputError(name, where, f"text is {len(v)} characters; the limit is {limits.max_string_chars}")
            if SURROGATE.search(v):
                return InputError(name, where, _unpaired(v))
    return None


def _unpaired(text: str) -> str:
    at = SURROGATE.search(text)
    code = ord(at.group()) if at else 0
    return f"text holds an unpaired surrogate \\u{code:04x} (an escape that is not a character)"


def within_bounds(
    name: str, docs: list[RawDocument], limits: Limits, budget: Budget, screen: Screen | None = None,
) -> tuple[list[RawDocument], list[InputError]]:
    """The documents within the limits; one out of bounds never hides the others.

    Only aliases expanding past the budget refuse the whole file: it is hostile.
    """
    kept: list[RawDocument] = []
    errors: list[InputError] = []
    for doc in docs:
        error = check_bounds(name, doc.data, limits, budget, doc.path, doc.path.count("/"), screen)
        if error is None:
            kept.append(doc)
        elif budget.spent:
            return [], [error]
        else:
            errors.append(error)
    return kept, errors

