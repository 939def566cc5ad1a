"""A batch kept as the text it was read from, until its shard's facts are made.

Why: a province's year is a million results in 20,000 batches, and parsed they
take five times their text (about 700 bytes a result against 140). Held parsed
from reading to the last shard, they were most of a run's memory (3.6 GiB at
3M results), and with workers the coordinating process held every batch while
each worker copied its own. So a batch read from a .jsonl line or a JSON array's
element, and found valid as it was read (its schema, its names), is kept as its
text and the little the cut and validation need: its kind, id and task, and how
many results it has. Its shard reads it again (`Batch.data`), in the process
that checks the shard, to the same value the first reading gave.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from checker.read.exact import decimal
from checker.read.inputs import RawDocument
from checker.read.json_strict import decoders
from checker.validate import invisible_errors

_SMALL = ("kind", "id", "task")  # what the cut (shard.py) and validation (duplicate ids) read of a batch
# The first reading refused duplicate keys, NaN and numbers out of bounds, so a text read again
# needs only its decimals read exactly and, where it holds a null, its null members dropped.
_WITH_NULLS = decoders(decimal)[1]
_PLAIN = json.JSONDecoder(parse_float=decimal)


class Batch(dict[str, Any]):
    """A valid batch's kind, id and task, with the text it was read from."""

    __slots__ = ("plain", "results", "text")

    def __init__(self, small: dict[str, Any], text: bytes | str, results: int, plain: bool = False) -> None:
        super().__init__(small)
        self.text = text
        self.results = results
        self.plain = plain  # no null, no decimal, no integer past 64 bits: orjson reads it as json would

    def data(self) -> dict[str, Any]:
        """The batch as first read, read again from its text.

        A plain text is read by orjson, faster than the standard library: it reads such a text to the same
        value (it would read a decimal as a float, a wider integer as a float, and keep a null);
        what it refuses (an unpaired surrogate) is read as any other text."""
        if self.plain:
            try:
                return orjson.loads(self.text)  # type: ignore[no-any-return]
            except orjson.JSONDecodeError:
                pass
        text = self.text if isinstance(self.text, str) else self.text.decode("utf-8")
        return (_WITH_NULLS if "null" in text else _PLAIN).decode(text)


def keep(raw: RawDocument, text: bytes | str, plain_numbers: bool = False) -> RawDocument:
    """A document as read, or for a valid batch, the same document kept as its text (read.load's `keep`).

    `plain_numbers`: the text holds no decimal number and no integer past 64 bits.
    The names a reviewer must be able to see are checked here, while the value is at hand
    (validate.invisible_errors): a batch with one is kept as it is, for validation to report.
    """
    data = raw.data
    if not raw.valid or type(data) is not dict or data.get("kind") != "batch" or invisible_errors(raw):
        return raw
    small = {k: data[k] for k in _SMALL if k in data}
    plain = plain_numbers and ("null" not in text if isinstance(text, str) else b"null" not in text)
    return RawDocument(raw.file, raw.path, Batch(small, text, len(data.get("results") or ()), plain), True)
