"""Strict JSON: exact numbers, no duplicate keys, no NaN/Infinity, nesting bounded before parsing.

A member set to null is read as absent as the object is built (unique_keys).
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from itertools import accumulate, count
from typing import Any

from checker.read.exact import MAX_NUMBER_DIGITS, DuplicateKey, Refused, TooDeep, decimal, integer
from checker.read.inputs import GUARD_DEPTH

_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else b for b in range(256))  # every digit as 0
_LONG_RUN = b"0" * (MAX_NUMBER_DIGITS + 1)
_WIDE_RUN = b"0" * 19  # 10**18 and less fit in 64 bits


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object with no repeated key; a member set to null is read as absent."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise DuplicateKey(k)
            seen.add(k)
    if None in out.values():
        return {k: v for k, v in pairs if v is not None}
    return out


def _refuse_constant(token: str) -> Any:
    raise Refused(f"{token} is not a number this checker accepts")


def decoders(parse_float: Callable[[str], Decimal] = decimal) -> tuple[json.JSONDecoder, json.JSONDecoder]:
    """Strict: every number bounded by a hook. Plain: the same for a text whose bytes hold no run of
    more digits than a number may have, integers read by C (a decimal goes through its hook either way)."""
    strict = json.JSONDecoder(parse_float=parse_float, parse_int=integer, parse_constant=_refuse_constant,
                              object_pairs_hook=unique_keys)
    plain = json.JSONDecoder(parse_float=parse_float, parse_constant=_refuse_constant, object_pairs_hook=unique_keys)
    return strict, plain


_STRICT, _PLAIN = decoders()


def may_hold_long_numbers(data: bytes) -> bool:
    """Whether the bytes hold a digit run longer than a number may have (then integers need their hook)."""
    return data.translate(_DIGITS).find(_LONG_RUN) >= 0


def digit_runs(data: bytes) -> tuple[bool, bool]:
    """Whether the bytes may hold a number past 64 bits (a run of 19 digits or more), and one
    longer than a number may have (may_hold_long_numbers): one pass for both."""
    digits = data.translate(_DIGITS)
    wide = digits.find(_WIDE_RUN) >= 0
    return wide, wide and digits.find(_LONG_RUN) >= 0


def load_json(data: bytes, text: str) -> Any:
    """`text` (the decoded `data`) read strictly; raises JSONDecodeError, DuplicateKey, Refused or TooDeep."""
    if _may_nest(data) and json_depth(text) > GUARD_DEPTH:
        raise TooDeep
    return (_STRICT if may_hold_long_numbers(data) else _PLAIN).decode(text)


def _may_nest(data: bytes) -> bool:
    """Whether a JSON text has brackets enough to nest past the parsers' guard."""
    return data.count(b"[") + data.count(b"{") > GUARD_DEPTH


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = str.maketrans({"[": "\x02", "{": "\x02", "]": "\x00", "}": "\x00"})


def json_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text, found without recursion.

    Strings are removed first (brackets inside them do not nest); each opening
    bracket counts +1 and each closing one -1, summed in C by accumulate.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    steps = brackets.translate(_BRACKET_STEP).encode("latin-1")  # 2 for open, 0 for close
    return max(map(operator.sub, accumulate(steps), count(1)), default=0)
