"""Validate raw documents against the published schemas, then type them.

The JSON Schemas in `schemas/` are the interface users read; validating with
them gives every error a JSON pointer and an expectation. Two validators read
the same schemas: a compiled one (jsonschema-rs) decides, fast, that a
document is valid; only a document it refuses, or one holding a decimal number
(which the two type differently), goes to the reference validator (jsonschema),
whose verdict and messages are the ones reported. tests/test_validators_agree.py
keeps the two in step. Documents that pass become pydantic records, except
batches: they are the bulk (a province's year holds a million results), the
schema already fixes their every field, and facts.py reads them as they are.
Duplicate ids are input errors too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
from pydantic import ValidationError
from referencing import Registry, Resource

from checker.errors import InputError, pointer
from checker.load import Deferred, RawDocument
from checker.models import MODELS, AnnualPlan, Document
from checker.resources import schemas_dir

KINDS = tuple(MODELS)


@dataclass(frozen=True)
class Valid:
    """A document that passed validation, with where it came from.

    `model` is its pydantic record, or for a batch its schema-valid data.
    """

    file: str
    path: str
    model: Document | dict[str, Any]

    @property
    def kind(self) -> str:
        m = self.model
        return m["kind"] if isinstance(m, dict) else m.kind

    @property
    def id(self) -> str:
        m = self.model
        return m["id"] if isinstance(m, dict) else m.id


UNTYPED = frozenset({"batch"})  # kinds facts.py reads from their schema-valid data


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    return {
        f.name.removesuffix(".schema.json"): json.loads(f.read_text(encoding="utf-8"))
        for f in sorted(Path(schemas_dir()).glob("*.schema.json"))
    }


@cache
def validators() -> dict[str, jsonschema.protocols.Validator]:
    """The reference validator of each kind: its verdicts and messages are reported."""
    schemas = _schemas()
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values())
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return {
        kind: jsonschema.Draft202012Validator(schemas[kind], registry=registry, format_checker=checker)
        for kind in KINDS
    }


@cache
def compiled() -> dict[str, Any]:
    """The compiled validator of each kind, from the same schemas."""
    schemas = _schemas()
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.values()])
    return {
        kind: jsonschema_rs.Draft202012Validator(schemas[kind], registry=registry, validate_formats=True)
        for kind in KINDS
    }


def fast_valid(data: Any) -> bool:
    """The compiled validator's yes, trusted only where the two validators agree by test.

    A decimal number (read from 1.5 or 2.0) is typed differently by the two:
    such documents always go to the reference validator.
    """
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str) or data["kind"] not in MODELS:
        return False
    if _has_decimal(data):
        return False
    try:
        return bool(compiled()[data["kind"]].is_valid(data))
    except (ValueError, TypeError):  # a value the compiled validator cannot take
        return False


def _has_decimal(value: Any) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is dict:
            stack.extend(x for x in v.values() if type(x) in _CONTAINERS)
        elif t is list:
            stack.extend(x for x in v if type(x) in _CONTAINERS)
        elif t is Decimal:
            return True
    return False


_CONTAINERS = (dict, list, Decimal)


def schema_errors(raw: RawDocument) -> list[InputError]:
    """Every way the document breaks its kind's schema."""
    data = raw.data
    if not isinstance(data, dict):
        return [InputError(raw.file, raw.path, "expected a document (an object with kind and id)")]
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in MODELS:  # a list or mapping raised TypeError here
        expected = ", ".join(KINDS)
        return [InputError(raw.file, raw.path + "/kind", f"unknown kind {kind!r}; expected one of {expected}")]
    found = sorted(validators()[kind].iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [
        InputError(raw.file, raw.path + pointer(*e.absolute_path), _describe(e)) for e in found
    ]


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"{error.message}; see the {error.schema.get('title') or 'schema'} fields"
    description = error.schema.get("description")
    if description and error.validator in {"oneOf", "pattern", "format", "type", "minLength", "enum"}:
        return f"{_short(error.instance)} is not valid: expected {description}"
    return error.message


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def check_batch(raw: RawDocument) -> list[InputError]:
    """A batch's schema errors, as it is read (load.BatchCheck)."""
    return [] if fast_valid(raw.data) else schema_errors(raw)


def validate(raws: list[RawDocument | Deferred]) -> tuple[list[Valid | Deferred], list[InputError]]:
    """Schema-check, type, and de-duplicate the documents; errors as values.

    An id given twice (a document's within its kind, a task's across the plans)
    leaves it unknown which is meant, so every copy is refused and each error
    names the others: the outcome does not depend on the order of the documents.
    A Deferred batch was schema-checked as it was read: only its id is checked here.
    """
    errors: list[InputError] = []
    typed: list[tuple[RawDocument | Deferred, Document | dict[str, Any] | None]] = []
    for raw in raws:
        if isinstance(raw, Deferred):
            typed.append((raw, None))
            continue
        if not fast_valid(raw.data):
            problems = schema_errors(raw)
            if problems:
                errors.extend(problems)
                continue
        kind = raw.data["kind"]
        if kind in UNTYPED:
            model: Document | dict[str, Any] = raw.data
        else:
            try:
                model = MODELS[kind].model_validate(raw.data)
            except ValidationError as exc:  # the schema and models disagree: still an input error
                errors.extend(
                    InputError(raw.file, raw.path + pointer(*e["loc"]), e["msg"]) for e in exc.errors()
                )
                continue
        typed.append((raw, model))
    documents: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    tasks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for n, (raw, model) in enumerate(typed):
        if isinstance(raw, Deferred):
            documents[("batch", raw.id)].append((n, raw.path + "/id"))
            continue
        documents[(raw.data["kind"], raw.data["id"])].append((n, raw.path + "/id"))
        if isinstance(model, AnnualPlan):
            for i, task in enumerate(model.tasks or ()):
                tasks[task.id].append((n, raw.path + pointer("tasks", i, "id")))
    refused: set[int] = set()
    for (kind, id_), places in documents.items():
        refused |= _duplicates(typed, places, f"duplicate {kind} id {id_!r}", errors,
                               "none of these documents is checked")
    for id_, places in tasks.items():
        refused |= _duplicates(typed, places, f"duplicate task id {id_!r}", errors,
                               "no plan holding it is checked")
    valid: list[Valid | Deferred] = [
        raw if isinstance(raw, Deferred) else Valid(raw.file, raw.path, model)  # type: ignore[arg-type]
        for n, (raw, model) in enumerate(typed) if n not in refused
    ]
    return valid, errors


def _duplicates(typed: list[tuple[RawDocument | Deferred, Any]], places: list[tuple[int, str]], what: str,
                errors: list[InputError], outcome: str) -> set[int]:
    """Refuse every document holding an id given more than once; each error names the others."""
    if len(places) < 2:
        return set()
    named = [(typed[n][0].file, where) for n, where in places]
    for file, where in named:
        others = sorted(f"{f}#{w}" for f, w in named if (f, w) != (file, where))
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        errors.append(InputError(file, where, f"{what}, also given in {shown}; {outcome}"))
    return {n for n, _ in places}
