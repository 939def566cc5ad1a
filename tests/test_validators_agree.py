"""The compiled validator (jsonschema-rs) says yes only where the reference validator (jsonschema) does.

validate.py trusts the compiled validator's yes and asks the reference one
otherwise; the two must agree on every document the fast path accepts. The
corpus: every fixture document, each broken in many ways, and ids made of
every character up to U+3100 (the regex engines once disagreed on which
characters are whitespace).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from checker.read.documents import drop_nulls
from checker.read.inputs import RawDocument
from checker.validate import fast_valid, schema_errors
from tests.test_schema_models_agree import CORPUS

BATCH = {"kind": "batch", "id": "B1", "task": "T1", "draw": {"method": "platform_lottery", "drawn_on": "2021-03-02"},
         "selected": ["o1"], "results": [{"object": "o1", "published": ["gsxt_sichuan"]}]}


def _ids() -> list[dict[str, Any]]:
    out = []
    for c in range(0x3100):
        for doc in (dict(BATCH, id=chr(c)), dict(BATCH, lead=f" {chr(c)} ")):
            out.append(doc)
    return out


def _numbers() -> list[dict[str, Any]]:
    out = []
    for value in (Decimal("2"), Decimal("2.0"), 2, True, -1, 10**10, Decimal("0.5")):
        m = copy.deepcopy(BATCH)
        m["directory_size"] = value
        out.append(m)
        m = copy.deepcopy(BATCH)
        m["results"][0]["suspected_crime"] = value
        out.append(m)
    return out


DOCS = [drop_nulls(d) for d in CORPUS] + _ids() + _numbers()


@pytest.mark.parametrize("chunk", range(0, len(DOCS), 500))
def test_fast_yes_is_a_reference_yes(chunk: int) -> None:
    for doc in DOCS[chunk:chunk + 500]:
        if fast_valid(doc):
            assert schema_errors(RawDocument("t", "", doc)) == [], doc


def test_the_fast_path_is_taken_for_plain_valid_documents() -> None:
    valid = [d for d in DOCS if not schema_errors(RawDocument("t", "", d))]
    fast = [d for d in valid if fast_valid(d)]
    assert len(fast) >= 0.8 * len(valid)
