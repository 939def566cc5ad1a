"""Validate raw documents against the published schemas, then type them.

The JSON Schemas in `schemas/` are the interface users read; validating with
them gives every error a JSON pointer and an expectation. Documents that pass
become pydantic records. Duplicate ids are input errors too.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import ValidationError
from referencing import Registry, Resource

from checker.errors import InputError, pointer
from checker.load import RawDocument
from checker.models import MODELS, AnnualPlan, Document
from checker.resources import schemas_dir

KINDS = tuple(MODELS)


@dataclass(frozen=True)
class Valid:
    """A document that passed validation, with where it came from."""

    file: str
    path: str
    model: Document


@cache
def validators() -> dict[str, jsonschema.protocols.Validator]:
    """One compiled validator per document kind."""
    folder: Path = schemas_dir()
    resources = []
    schemas: dict[str, dict[str, Any]] = {}
    for f in sorted(folder.glob("*.schema.json")):
        schema = json.loads(f.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
        schemas[f.name.removesuffix(".schema.json")] = schema
    registry = Registry().with_resources(resources)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return {
        kind: jsonschema.Draft202012Validator(schemas[kind], registry=registry, format_checker=checker)
        for kind in KINDS
    }


def drop_nulls(value: Any) -> Any:
    """An object member set to null is read as absent (spreadsheet exports write nulls)."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


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


def validate(raws: list[RawDocument]) -> tuple[list[Valid], list[InputError]]:
    """Schema-check, type, and de-duplicate the documents; errors as values.

    An id given twice (a document's within its kind, a task's across the plans)
    leaves it unknown which is meant, so every copy is refused and each error
    names the others: the outcome does not depend on the order of the documents.
    """
    errors: list[InputError] = []
    typed: list[tuple[RawDocument, Document]] = []
    for raw in raws:
        raw = RawDocument(raw.file, raw.path, drop_nulls(raw.data))
        problems = schema_errors(raw)
        if problems:
            errors.extend(problems)
            continue
        try:
            model = MODELS[raw.data["kind"]].model_validate(raw.data)
        except ValidationError as exc:  # the schema and models disagree: still an input error
            errors.extend(
                InputError(raw.file, raw.path + pointer(*e["loc"]), e["msg"]) for e in exc.errors()
            )
            continue
        typed.append((raw, model))
    documents: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    tasks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for n, (raw, model) in enumerate(typed):
        documents[(model.kind, model.id)].append((n, raw.path + "/id"))
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
    valid = [Valid(raw.file, raw.path, model) for n, (raw, model) in enumerate(typed) if n not in refused]
    return valid, errors


def _duplicates(typed: list[tuple[RawDocument, Document]], places: list[tuple[int, str]], what: str,
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
