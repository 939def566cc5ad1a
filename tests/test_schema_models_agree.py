"""The published JSON Schemas and the pydantic models accept and reject the same documents."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from checker.models import MODELS
from checker.read.documents import drop_nulls
from checker.read.inputs import RawDocument
from checker.validate import schema_errors
from tests.casebook import BOOKS, cases
from tests.helpers import plan

VALID = [d for book in BOOKS for c in cases(book) for d in c.documents] + [plan()]


def _mutations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Documents that break one thing each."""
    out = []
    for key in list(doc):
        if key in {"kind"}:
            continue
        for bad in (None, 12, "", [], {"x": 1}, True, Decimal("1.5"), -1, "2021-02-30", "x\x00y"):
            m = copy.deepcopy(doc)
            m[key] = bad
            out.append(m)
        m = copy.deepcopy(doc)
        del m[key]
        out.append(m)
    extra = copy.deepcopy(doc)
    extra["unexpected"] = 1
    out.append(extra)
    return out


CORPUS = VALID + [m for d in VALID[:: max(1, len(VALID) // 25)] for m in _mutations(d)]


@pytest.mark.parametrize("doc", CORPUS, ids=range(len(CORPUS)))
def test_schema_and_model_agree(doc: dict[str, Any]) -> None:
    doc = drop_nulls(doc)
    schema_ok = not schema_errors(RawDocument("t", "", doc))
    try:
        MODELS[doc["kind"]].model_validate(doc)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert schema_ok == model_ok


def test_the_corpus_holds_both_outcomes() -> None:
    outcomes = {not schema_errors(RawDocument("t", "", d)) for d in CORPUS}
    assert outcomes == {True, False}


def _with_newline(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The document with one of its texts followed by a newline, for each text in it."""
    out = []
    stack: list[tuple[Any, ...]] = [()]
    while stack:
        path = stack.pop()
        value: Any = doc
        for p in path:
            value = value[p]
        if isinstance(value, dict):
            stack.extend((*path, k) for k in value if k != "kind")
        elif isinstance(value, list):
            stack.extend((*path, i) for i in range(len(value)))
        elif isinstance(value, str):
            m = copy.deepcopy(doc)
            target = m
            for p in path[:-1]:
                target = target[p]
            target[path[-1]] = value + "\n"
            out.append(m)
    return out


NEWLINES = [m for d in VALID for m in _with_newline(drop_nulls(d))] + [
    plan() | {"tasks": [{"id": "T1", "ratio": "50%\n"}]},
    {"kind": "progress_report", "id": "R1", "period": "2021-Q1\n"},
]


def test_a_final_newline_is_read_alike_by_schema_and_model() -> None:
    """Python's `$` matched before a final newline: "50%" and a newline passed the schema, not the model."""
    for doc in NEWLINES:
        schema_ok = not schema_errors(RawDocument("t", "", doc))
        try:
            MODELS[doc["kind"]].model_validate(doc)
            model_ok = True
        except ValidationError:
            model_ok = False
        assert schema_ok == model_ok, doc
