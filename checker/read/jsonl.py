"""JSON Lines: one document a line, each read exactly as a .json file holding it alone would be.

Same parser, same bounds, same messages, placed at /N; what differs is speed:
checks that the bytes show cannot fail are skipped (`Screen`, `LineReader`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from checker.errors import InputError, pointer
from checker.read.bounds import Screen, check_bounds
from checker.read.exact import decimal
from checker.read.inputs import Limits, RawDocument
from checker.read.json_strict import decoders, digit_runs
from checker.read.parse import parse_bytes

# What validate.py lends the .jsonl reader: a document's schema errors, and whether the compiled
# validator finds it valid under a schema that bounds its nesting to the depth given.
# Each is told whether the document may hold a decimal number (which the compiled validator
# cannot be trusted with: validate.fast_valid).
Check = Callable[[RawDocument, bool], list[InputError]]
Vouch = Callable[[Any, int, bool], bool]
# What a run keeps of a valid document, given the text it was read from and whether that text holds
# only plain numbers: no decimal and none past 64 bits (checker.kept: a batch, its text).
Keep = Callable[[RawDocument, Any, bool], RawDocument]


def parse_lines(name: str, data: bytes, limits: Limits, documents: list[RawDocument],
                check: Check | None, vouch: Vouch | None, room: int, keep: Keep | None = None) -> list[InputError]:
    """JSON Lines: one document a line (path /N, N the line's index from 0); a bad line is its own error.

    Each line is parsed and bounded as a .json file holding that document alone
    would be; a read error's message starts with its line number. Reading stops
    once `room` documents are read (the run's document limit is then reached).

    The common line takes a faster road to the same place (LineReader): integers read
    by C where no digit run is long enough to be out of range, and no pre-parse
    depth scan (the parser's own recursion guard stands in; a line it refuses is
    read again the strict way, for the exact error). When the bytes rule out long
    strings and surrogates, and `vouch` finds the document valid under a schema
    that nests no deeper than the limit, the bounds walk is skipped: it could
    find nothing. With `check`, the others are schema-checked at once. A
    document kept is marked valid; one with schema errors is not kept. With
    `keep`, what is kept of a valid document is what `keep` makes of it and its line.
    """
    errors: list[InputError] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]  # a BOM: keep the offsets
    reader = LineReader()
    start = 0
    i = 0
    size = len(data)
    read = 0
    seen = False
    while start < size and read < room:
        end = data.find(b"\n", start)
        end = size if end < 0 else end + 1
        line = data[start:end].removesuffix(b"\n").removesuffix(b"\r")
        if line.strip():
            seen = True
            where = pointer(i)
            value = reader.read(line)
            error = None
            decimals = True  # may hold one
            if value is _SLOW:
                value, error = parse_bytes(name, line, "json", limits)
            elif type(value) is _NoDecimal:
                value, decimals = value.value, False
            valid = False
            if error is None:
                screen = Screen.of(line, limits, "json")
                valid = (vouch is not None and not screen.strings and not screen.surrogates
                         and vouch(value, limits.max_depth, decimals))
                if not valid:
                    error = check_bounds(name, value, limits, screen=screen)
                    if error is not None:  # said the strict way (a value too deep for its guard, say)
                        value, error = parse_bytes(name, line, "json", limits)
                        error = error or check_bounds(name, value, limits, screen=screen)
            if error:
                errors.append(InputError(name, where + error.path, f"line {i + 1}: {error.message}"))
            else:
                read += 1
                problems = check(RawDocument(name, where, value), decimals) if check is not None and not valid else []
                if problems:
                    errors.extend(problems)
                elif keep is not None and (valid or check is not None):
                    documents.append(keep(RawDocument(name, where, value, True), line,
                                          not decimals and not reader.wide))
                else:
                    documents.append(RawDocument(name, where, value, valid or check is not None))
        start = end
        i += 1
    if i and not seen:
        errors.append(InputError(name, "", "holds no document (one JSON object a line)"))
    return errors




_SLOW = object()


class _NoDecimal(NamedTuple):
    """A value read without a single decimal number in it (the validators need not look for one)."""

    value: Any


class LineReader:
    """Reads lines the fast way, counting the decimal numbers it reads: a line that read none holds none."""

    def __init__(self) -> None:
        self.decimals = 0
        self.wide = True  # whether the last line read may hold an integer past 64 bits
        self.strict, self.plain = decoders(self._decimal)

    def _decimal(self, text: str) -> Decimal:
        self.decimals += 1
        return decimal(text)

    def read(self, line: bytes) -> Any:
        """A line read the fast way, or _SLOW where only the strict reading may say what it is."""
        before = self.decimals
        self.wide = True
        try:
            text = line.decode("utf-8")
            self.wide, long = digit_runs(line)
            value = (self.strict if long else self.plain).decode(text)
        except (ValueError, RecursionError):  # JSONDecodeError, DuplicateKey, Refused, UnicodeDecodeError
            return _SLOW
        return value if self.decimals != before else _NoDecimal(value)
