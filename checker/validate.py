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
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs
from pydantic import ValidationError

from checker.errors import InputError, pointer
from checker.models import MODELS, AnnualPlan, Document
from checker.names import has_invisible, invisible
from checker.read.inputs import RawDocument
from checker.resources import schemas_dir

if TYPE_CHECKING:
    import jsonschema

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
    """The reference validator of each kind: its verdicts and messages are reported.

    Imported here: a run whose every document the compiled validator finds valid never needs it
    (the sample's check is a tenth faster without the import).
    """
    import jsonschema
    from referencing import Registry, Resource

    schemas = _schemas()
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values())
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    strict = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})
    return {kind: strict(schemas[kind], registry=registry, format_checker=checker) for kind in KINDS}


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Any:
    """`pattern` as ECMA-262 and the compiled validator read it: `$` is the end of the text.

    Python's `$` also matches before a final newline, so `"50%"` and a newline would pass the
    reference validator and be refused by the models and the compiled validator.
    """
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        import jsonschema

        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _ecma(pattern: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern))


@cache
def compiled() -> dict[str, Any]:
    """The compiled validator of each kind, from the same schemas."""
    schemas = _schemas()
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.values()])
    return {
        kind: jsonschema_rs.Draft202012Validator(schemas[kind], registry=registry, validate_formats=True)
        for kind in KINDS
    }


def fast_valid(data: Any, decimals: bool = True) -> bool:
    """The compiled validator's yes, trusted only where the two validators agree by test.

    A decimal number (read from 1.5 or 2.0) is typed differently by the two:
    such documents always go to the reference validator. `decimals=False` when
    the reader knows the document holds none (read.jsonl): it is not searched.
    """
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str) or data["kind"] not in MODELS:
        return False
    if decimals and _has_decimal(data):
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


def check_read(raw: RawDocument, decimals: bool = True) -> list[InputError]:
    """A document's schema errors, as it is read (read.jsonl.Check)."""
    return [] if fast_valid(raw.data, decimals) else schema_errors(raw)


def vouch(data: Any, max_depth: int, decimals: bool = True) -> bool:
    """Valid by the compiled validator, under a schema that nests no deeper than `max_depth` (read.jsonl.Vouch)."""
    if not isinstance(data, dict):
        return False
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in MODELS:
        return False
    depth = schema_depths().get(kind)
    return depth is not None and depth <= max_depth and fast_valid(data, decimals)


@cache
def schema_depths() -> dict[str, int | None]:
    """The deepest any value valid under each kind's schema can nest, or None where it is unbounded."""
    schemas = _schemas()
    by_id = {s["$id"].rsplit("/", 1)[-1]: s for s in schemas.values()}
    return {kind: _depth(schemas[kind], schemas[kind], by_id, ()) for kind in KINDS}


def _depth(node: Any, root: dict[str, Any], by_id: dict[str, Any], seen: tuple[str, ...]) -> int | None:
    """The deepest nesting of an instance of `node` (0 for a scalar); None if the schema leaves it open.

    Conservative: a construct this does not know makes it None (the bounds are then walked).
    """
    if node is True or not isinstance(node, dict):
        return None
    if "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            return None  # recursive
        file, _, fragment = ref.partition("#")
        target_root = by_id.get(file, root) if file else root
        if file and file not in by_id:
            return None
        target: Any = target_root
        for part in [p for p in fragment.split("/") if p]:
            if not isinstance(target, dict) or part not in target:
                return None
            target = target[part]
        rest = {k: v for k, v in node.items() if k != "$ref"}
        inner = _depth(target, target_root, by_id, (*seen, ref))
        if inner is None:
            return None
        if not rest or set(rest) <= _ANNOTATIONS:
            return inner
        other = _depth(rest, root, by_id, seen)
        return None if other is None else min(inner, other)
    if "const" in node or "enum" in node:
        values = [node["const"]] if "const" in node else node["enum"]
        return 0 if all(not isinstance(v, (dict, list)) for v in values) else None
    for key in ("oneOf", "anyOf"):
        if key in node:
            parts = [_depth(n, root, by_id, seen) for n in node[key]]
            return None if None in parts else max(parts, default=0)
    if "allOf" in node:
        parts = [_depth(n, root, by_id, seen) for n in node["allOf"]]
        known = [p for p in parts if p is not None]
        return min(known) if known else None
    types = node.get("type")
    types = [types] if isinstance(types, str) else types
    if not types or not set(types) <= _JSON_TYPES:
        return None
    deepest = 0
    if "object" in types:
        if node.get("additionalProperties", True) is not False or "patternProperties" in node:
            return None
        for child in node.get("properties", {}).values():
            d = _depth(child, root, by_id, seen)
            if d is None:
                return None
            deepest = max(deepest, d + 1)
    if "array" in types:
        if "items" not in node or "prefixItems" in node:
            return None
        d = _depth(node["items"], root, by_id, seen)
        if d is None:
            return None
        deepest = max(deepest, d + 1)
    return deepest


@cache
def name_fields() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Where each kind holds ids and department names (`*`: each item of a list), from its schema.

    What the rules compare for identity: ids, and departments and jurisdictions (department names).
    """
    schemas = _schemas()
    by_id = {s["$id"].rsplit("/", 1)[-1]: s for s in schemas.values()}
    out = {}
    for kind in KINDS:
        found: set[tuple[str, ...]] = set()
        _names(schemas[kind], schemas[kind], by_id, (), found)
        out[kind] = tuple(sorted(found))
    return out


def _names(node: Any, root: dict[str, Any], by_id: dict[str, Any], at: tuple[str, ...],
           found: set[tuple[str, ...]]) -> None:
    if not isinstance(node, dict) or len(at) > 12:
        return
    ref = node.get("$ref")
    if ref:
        if ref.endswith(("#/$defs/id", "#/$defs/department")):
            found.add(at)
            return
        file, _, fragment = ref.partition("#")
        target_root = by_id.get(file, root) if file else root
        target: Any = target_root
        for part in [p for p in fragment.split("/") if p]:
            target = target.get(part, {}) if isinstance(target, dict) else {}
        _names(target, target_root, by_id, at, found)
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in node.get(key, ()):
            _names(sub, root, by_id, at, found)
    for key in ("then", "else"):
        _names(node.get(key), root, by_id, at, found)
    for name, sub in node.get("properties", {}).items():
        _names(sub, root, by_id, (*at, name), found)
    _names(node.get("items"), root, by_id, (*at, "*"), found)


def _texts(value: Any, at: tuple[str, ...], where: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """The texts at `at` in a value (`*` for each item of a list), with their places."""
    if not at:
        return [(where, value)] if isinstance(value, str) else []
    head, rest = at[0], at[1:]
    if head == "*":
        if not isinstance(value, list):
            return []
        if not rest:
            return [((*where, i), v) for i, v in enumerate(value) if isinstance(v, str)]
        return [t for i, v in enumerate(value) for t in _texts(v, rest, (*where, i))]
    return _texts(value.get(head), rest, (*where, head)) if isinstance(value, dict) else []


def _strings(value: Any, at: tuple[str, ...], out: list[str]) -> None:
    """The texts at `at` (as _texts, without their places: the cheap first look)."""
    for i, head in enumerate(at):
        if head == "*":
            if type(value) is not list:
                return
            rest = at[i + 1:]
            if not rest:
                out.extend(v for v in value if type(v) is str)
            elif len(rest) == 1:  # results/*/object: the bulk of a year
                key = rest[0]
                out.extend(v for d in value if type(d) is dict and type(v := d.get(key)) is str)
            elif len(rest) == 2 and rest[1] == "*":  # tasks/*/participants/*: a plan of 100,000 tasks
                key = rest[0]
                for d in value:
                    if type(d) is dict and type(v := d.get(key)) is list:
                        out.extend(x for x in v if type(x) is str)
            else:
                for v in value:
                    _strings(v, rest, out)
            return
        if type(value) is not dict:
            return
        value = value.get(head)
    if type(value) is str:
        out.append(value)


def _bulk(value: Any, at: tuple[str, ...], out: list[Any]) -> None:
    """The values at `at`, as _strings takes them but a list at a time, in C, and unchecked: a
    value not of the schema's shape raises TypeError here (an item no dict) or when joined."""
    for i, head in enumerate(at):
        if head == "*":
            rest = at[i + 1:]
            if type(value) is not list:
                raise TypeError
            if not rest:
                out.extend(value)
            elif len(rest) == 1:  # results/*/object: the bulk of a year
                out.extend(map(dict.get, value, repeat(rest[0])))
            else:
                for v in value:
                    _bulk(v, rest, out)
            return
        if type(value) is not dict:
            raise TypeError
        value = value.get(head)
        if value is None:
            return
    out.append(value)


def _clean(data: Any, fields: tuple[tuple[str, ...], ...]) -> bool:
    """Whether no name holds an invisible character, one look a field (a year's objects are ASCII,
    which needs no regex); False too where a value is not of the schema's shape."""
    try:
        for at in fields:
            part: list[Any] = []
            _bulk(data, at, part)
            if part and has_invisible("".join(part)):
                return False
    except TypeError:
        return False
    return True


def invisible_errors(raw: RawDocument) -> list[InputError]:
    """An id or department name holding a character a screen does not show (checker.names)."""
    fields = name_fields().get(raw.data["kind"], ())
    if _clean(raw.data, fields):  # the common case
        return []
    strings: list[str] = []
    for at in fields:
        _strings(raw.data, at, strings)
    if not has_invisible("".join(strings)):
        return []
    errors = []
    for at in fields:
        for where, text in _texts(raw.data, at):
            what = invisible(text)
            if what:
                errors.append(InputError(raw.file, raw.path + pointer(*where),
                                         f"{_short(text)} holds {what}, a character a reviewer cannot see; "
                                         "an id or department name may not hold one (names that look the "
                                         "same must be the same)"))
    return errors


_JSON_TYPES = {"object", "array", "string", "number", "integer", "boolean", "null"}
_ANNOTATIONS = {"description", "title", "$comment", "examples", "default"}


def validate(raws: list[RawDocument]) -> tuple[list[Valid], list[InputError]]:
    """Schema-check, type, and de-duplicate the documents; errors as values.

    An id given twice (a document's within its kind, a task's across the plans)
    leaves it unknown which is meant, so every copy is refused and each error
    names the others: the outcome does not depend on the order of the documents.
    A document marked valid was schema-checked as it was read.
    """
    errors: list[InputError] = []
    typed: list[tuple[RawDocument, Document | dict[str, Any]]] = []
    for raw in raws:
        if not (raw.valid or fast_valid(raw.data)):
            problems = schema_errors(raw)
            if problems:
                errors.extend(problems)
                continue
        hidden = invisible_errors(raw)
        if hidden:
            errors.extend(hidden)
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
        documents[(raw.data["kind"], raw.data["id"])].append((n, raw.path + "/id"))
        if isinstance(model, AnnualPlan):
            tasks_at = raw.path + "/tasks/"  # pointer("tasks", i, "id"), made 100,000 times for a large plan
            for i, task in enumerate(model.tasks or ()):
                tasks[task.id].append((n, f"{tasks_at}{i}/id"))
    refused: set[int] = set()
    for (kind, id_), places in documents.items():
        refused |= _duplicates(typed, places, f"duplicate {kind} id {id_!r}", errors,
                               "none of these documents is checked")
    for id_, places in tasks.items():
        refused |= _duplicates(typed, places, f"duplicate task id {id_!r}", errors,
                               "no plan holding it is checked")
    valid = [Valid(raw.file, raw.path, model) for n, (raw, model) in enumerate(typed) if n not in refused]
    return valid, errors


def _duplicates(typed: list[tuple[RawDocument, Any]], places: list[tuple[int, str]], what: str,
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
