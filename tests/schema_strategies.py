"""Hypothesis strategies that build documents from the published JSON Schemas.

A small generator, enough for the schemas of `schemas/`: $ref (within and
across files), const, enum, oneOf, objects (required and optional members),
arrays, strings (date format, patterns), integers and numbers with bounds,
booleans. Ids come mostly from a small shared pool, so that batches name the
tasks of plans and the rules meet each other; dates mostly fall in the years
the policy is about, sometimes anywhere in 0001–9999, sometimes any text of a
date's shape (year 0000, month 45).

`mutated` then breaks a document in one or more places, the ways users do:
wrong types, missing and extra members, empty and hostile strings, huge and
negative numbers, impossible dates, ratios over 100%, duplicated list items.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st

from checker.names import INVISIBLE
from checker.resources import schemas_dir

ID_POOL = ["T1", "T2", "B1", "B2", "plan-2020", "dir-food", "I1", "o1", "o2", "P1", "市市场监管局", "市卫生健康委"]
KINDS = ["item_list", "object_directory", "inspector_directory", "annual_plan", "adjustment", "batch",
         "progress_report", "work_norm"]

HOSTILE_VALUES: list[Any] = [
    None, "", " ", "\u3000", 0, -1, 1, -(2**63), 2**31, 2**63, 10**9 + 1, 10**100,
    Decimal("1.5"), Decimal("-0.0"), Decimal("1E-99"), Decimal("0.05"), Decimal("1E+99"),
    "2021-02-30", "2021-13-01", "0000-01-01", "0001-01-01", "9999-12-31", "2020-1-1", "20200101",
    "101%", "100.0%", "5%", "-5%", "5 %", "0.5", "x\x00y", "\x00", "T1\x00", "\u202eT1", "🧪",
    "T1\u200b", "市市场监管局\u200d", "\ufeffT1", "T1\U000e0041", "o\xad1", "B1\u2028", "\u3164",
    "%", "#show.", 'x"). bad.', "a\nb", "a\\", "a" * 20_000,
    [], {}, [None], [[]], {"kind": "batch"}, {"id": "T1"}, True, False, "T1", "B1", "plan-2020",
]


# Every text of a date's shape, most of them no date (2021-45-99, year 0000): the whole
# range a pattern-only reading of the schema would let through.
DATE_SHAPED = st.one_of(
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.sampled_from(["0000-01-01", "0000-02-29", "0000-12-31", "0001-01-01", "9999-12-31", "1900-02-29",
                     "2000-02-29", "2021-02-29", "2021-04-31", "2021-00-01", "2021-01-00"]),
)


@cache
def schemas() -> dict[str, dict[str, Any]]:
    return {f.name: json.loads(f.read_text(encoding="utf-8")) for f in schemas_dir().glob("*.schema.json")}


def _resolve(node: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
    while "$ref" in node:
        file, _, fragment = node["$ref"].partition("#")
        base = file or base
        node = schemas()[base]
        for part in fragment.strip("/").split("/") if fragment else []:
            node = node[part]
    return node, base


def _string(node: dict[str, Any]) -> st.SearchStrategy[str]:
    if node.get("format") == "date":
        near = st.dates(dt.date(2019, 1, 1), dt.date(2022, 12, 31)).map(dt.date.isoformat)
        return st.one_of(near, near, near, st.dates().map(dt.date.isoformat), DATE_SHAPED)
    pattern = node.get("pattern")
    if pattern and "%" in pattern:
        return st.one_of(st.sampled_from(["5%", "0.5%", "100%", "12.5%", "0%"]), st.from_regex(pattern, fullmatch=True))
    if pattern and "\\u3000" in pattern:  # an id or a department (a non-space character required)
        # no character a reviewer cannot see: the schema's description, checked by validate.invisible_errors
        free = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), min_size=1,
                       max_size=12).map(lambda s: INVISIBLE.sub("", s))
        return st.one_of(st.sampled_from(ID_POOL), st.sampled_from(ID_POOL), free.filter(lambda s: s.strip() != ""))
    return st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]),
                   min_size=node.get("minLength", 0), max_size=12)


def from_schema(node: dict[str, Any], base: str) -> st.SearchStrategy[Any]:
    node, base = _resolve(node, base)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "oneOf" in node:
        return st.one_of(*(from_schema(sub, base) for sub in node["oneOf"]))
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        required = set(node.get("required", []))
        return st.fixed_dictionaries(
            {k: from_schema(v, base) for k, v in props.items() if k in required},
            optional={k: from_schema(v, base) for k, v in props.items() if k not in required},
        )
    if kind == "array":
        return st.lists(from_schema(node.get("items", {}), base), max_size=3)
    if kind == "string":
        return _string(node)
    if kind == "integer":
        lo, hi = node.get("minimum", -(2**31)), node.get("maximum", 2**31)
        edges = [v for v in (lo, hi, 0, 1, 50, 1000, 2020) if lo <= v <= hi]
        return st.one_of(st.sampled_from(edges), st.integers(lo, hi))
    if kind == "number":
        lo, hi = node.get("minimum"), node.get("maximum")
        return st.decimals(lo, hi, allow_nan=False, allow_infinity=False, places=4)
    if kind == "boolean":
        return st.booleans()
    return st.sampled_from([None, 1, "x"])


def document(kind: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """A document the schema of its kind describes."""
    if kind is None:
        return st.one_of(*(document(k) for k in KINDS))
    name = f"{kind}.schema.json"
    if kind == "adjustment":
        return _adjustment()
    return from_schema(schemas()[name], name)


@st.composite
def _adjustment(draw: st.DrawFn) -> dict[str, Any]:
    """The schema's if/then: a removal names task_id, an addition or change carries the task."""
    doc = draw(from_schema(schemas()["adjustment.schema.json"], "adjustment.schema.json"))
    if doc["action"] == "remove":
        doc.setdefault("task_id", draw(st.sampled_from(ID_POOL)))
    else:
        doc.setdefault("task", draw(from_schema({"$ref": "common.schema.json#/$defs/task"}, "adjustment.schema.json")))
    return doc


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location inside a value, containers first."""
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_places(v, (*path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_places(v, (*path, i)))
    return out


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        value = value[p]
    return value


@st.composite
def mutated(draw: st.DrawFn, docs: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """A document broken in one to three places."""
    doc = _copy(draw(docs))
    for _ in range(draw(st.integers(1, 3))):
        places = _places(doc)
        top = [(k,) for k in doc] if isinstance(doc, dict) else []  # kind, id, ...: hit them often
        path = draw(st.sampled_from(places) | st.sampled_from(top)) if top else draw(st.sampled_from(places))
        how = draw(st.sampled_from(["replace", "replace", "delete", "extra", "duplicate"]))
        parent = _get(doc, path[:-1]) if path else None
        if how == "replace" and path:
            parent[path[-1]] = _copy(draw(st.sampled_from(HOSTILE_VALUES)))
        elif how == "delete" and path:
            del parent[path[-1]]
        elif how == "extra":
            target = _get(doc, path)
            if isinstance(target, dict):
                key = draw(st.sampled_from(["unexpected", "", "\x00", "kind", "id"]))
                target[key] = _copy(draw(st.sampled_from(HOSTILE_VALUES)))
            elif isinstance(target, list):
                target.append(_copy(draw(st.sampled_from(HOSTILE_VALUES))))
        elif how == "duplicate":
            target = _get(doc, path)
            if isinstance(target, list) and target:
                target.append(_copy(target[0]))
    return doc


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """JSON text with Decimals as exact numbers (json.dumps would need floats)."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(to_json(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {to_json(v)}" for k, v in value.items()) + "}"
