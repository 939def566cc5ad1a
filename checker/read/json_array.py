"""A .json file that is one top-level array, read element by element as .jsonl lines are.

Why: the strict reading of a file as one value scans its whole text for depth,
walks every value for bounds (the file's bytes cannot rule out a string past
the limit once the file is longer than it) and leaves each document to be
validated again; a year's batches as one JSON array (a hundred megabytes) took
three times as long to read as the same batches as JSON Lines. Each element is
a document at /N, exactly as split_documents places it, so each gets a line's
treatment (`jsonl`): read by the fast decoder, screened by its own length, and
marked valid when the compiled validator vouches for it.

Anything this reading does not take as it is (a parse error, a value out of
bounds, nesting the decoder refuses, more documents than the run has room
for, a shape other than one array) returns None: the caller then reads the
file the strict way, which says exactly what is wrong. So the documents and
errors are those of the strict reading; only the time differs
(`tests/test_json_array_agrees.py`).
"""

from __future__ import annotations

import re

from checker.errors import pointer
from checker.read.bounds import Screen, check_bounds
from checker.read.inputs import Limits, RawDocument
from checker.read.json_strict import digit_runs
from checker.read.jsonl import Keep, LineReader, Vouch

_SPACE = re.compile(r"[ \t\n\r]*")
_SPACE_BYTES = re.compile(rb"[ \t\n\r]*")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def parse_array(name: str, data: bytes, limits: Limits, vouch: Vouch | None, room: int,
                keep: Keep | None = None) -> list[RawDocument] | None:
    """The documents of a top-level JSON array, at most `room`; None where only the strict reading may say.

    With `keep`, what is kept of a valid element is what `keep` makes of it and its text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.startswith(b"[", _SPACE_BYTES.match(data).end()):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    reader = LineReader()
    wide, long = digit_runs(data)
    decoder = reader.strict if long else reader.plain
    surrogates = _SURROGATE_ESCAPE.search(data) is not None  # else no element holds an unpaired one
    documents: list[RawDocument] = []
    i = _SPACE.match(text, text.index("[") + 1).end()
    if text.startswith("]", i):
        return None  # an empty list: the strict reading says what it holds
    depth = limits.max_depth - 1  # an element is a level down in its file, as within_bounds counts it
    while True:
        if len(documents) >= room:
            return None
        before = reader.decimals
        try:
            value, end = decoder.raw_decode(text, i)
        except (ValueError, RecursionError):  # JSONDecodeError, DuplicateKey, Refused
            return None
        decimals = reader.decimals != before
        screen = Screen(end - i > limits.max_string_chars, surrogates)
        where = pointer(len(documents))
        valid = (vouch is not None and depth > 0 and not screen.strings and not screen.surrogates
                 and vouch(value, depth, decimals))
        if not valid and check_bounds(name, value, limits, None, where, 1, screen) is not None:
            return None
        documents.append(keep(RawDocument(name, where, value, True), text[i:end], not decimals and not wide)
                         if keep is not None and valid else RawDocument(name, where, value, valid))
        i = _SPACE.match(text, end).end()
        if text.startswith(",", i):
            i = _SPACE.match(text, i + 1).end()
            continue
        if text.startswith("]", i) and _SPACE.match(text, i + 1).end() == len(text):
            return documents
        return None
