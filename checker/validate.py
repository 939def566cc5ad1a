"""Validate raw documents against the published schemas, then type them.

The JSON Schemas in `schemas/` are the interface users read; validating with
them gives every error a JSON pointer and an expectation. Documents that pass
become pydantic records. Duplicate ids are input errors too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import ValidationError
from referencing import Registry, Resource

from checker.errors import InputError, pointer
from checker.load import RawDocument
from checker.models import MODELS, Document
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
    if kind not in MODELS:
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
    """Schema-check, type, and de-duplicate the documents; errors as values."""
    valid: list[Valid] = []
    errors: list[InputError] = []
    seen: dict[tuple[str, str], RawDocument] = {}
    task_seen: dict[str, tuple[str, str]] = {}
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
        key = (model.kind, model.id)
        if key in seen:
            first = seen[key]
            errors.append(InputError(
                raw.file, raw.path + "/id",
                f"duplicate {model.kind} id {model.id!r}; first given in {first.file}{first.path or ''}",
            ))
            continue
        clash = _task_clash(model, raw, task_seen)
        if clash:
            errors.append(clash)
            continue
        seen[key] = raw
        valid.append(Valid(raw.file, raw.path, model))
    return valid, errors


def _task_clash(model: Document, raw: RawDocument, task_seen: dict[str, tuple[str, str]]) -> InputError | None:
    """Task ids are unique across the plans of one run (the data contract)."""
    if model.kind != "annual_plan" or not model.tasks:
        return None
    local: dict[str, str] = {}
    for i, task in enumerate(model.tasks):
        where = raw.path + pointer("tasks", i, "id")
        earlier = local.get(task.id) or (
            f"{task_seen[task.id][0]}{task_seen[task.id][1]}" if task.id in task_seen else None
        )
        if earlier:
            return InputError(raw.file, where, f"duplicate task id {task.id!r}; first given in {earlier}")
        local[task.id] = f"{raw.file}{where}"
    for tid, where in local.items():
        task_seen[tid] = (where, "")
    return None
