"""A file's value as documents: one document, a list of them, or {"documents": [...]}."""

from __future__ import annotations

from typing import Any

from checker.errors import InputError, pointer
from checker.read.inputs import RawDocument


def split_documents(name: str, value: Any, room: int | None = None
                    ) -> tuple[list[RawDocument], list[InputError], str | None]:
    """One document, a list of them, or {"documents": [...]}: at most `room` of them.

    The third value is the pointer of the first document past the room (None when
    all were taken): the documents from there are not taken, nor wrapped, nor checked.
    """
    if isinstance(value, dict) and "documents" in value and "kind" not in value:
        items, where = value["documents"], ("documents",)
        if not isinstance(items, list):
            return [], [InputError(name, "/documents", "expected a list of documents")], None
    elif isinstance(value, list):
        items, where = value, ()
    elif isinstance(value, dict):
        return [RawDocument(name, "", value)], [], None
    else:
        return [], [InputError(name, "", "expected a document, a list of documents or {\"documents\": [...]}")], None
    taken = items if room is None else items[:room]
    past = pointer(*where, len(taken)) if len(taken) < len(items) else None
    return [RawDocument(name, pointer(*where, i), d) for i, d in enumerate(taken)], [], past


def has_null(value: Any) -> bool:
    """Whether drop_nulls would drop anything: an object member set to null, at any depth.

    A look at each container (in C), not a call per value: a table of 100,000 rows holds none.
    """
    stack = [value]
    while stack:
        v = stack.pop()
        if type(v) is dict:
            members = v.values()
            if None in members:
                return True
            stack.extend(x for x in members if type(x) in _CONTAINERS)
        elif type(v) is list:
            stack.extend(x for x in v if type(x) in _CONTAINERS)
    return False


_CONTAINERS = (dict, list)


def drop_nulls(value: Any) -> Any:
    """An object member set to null is read as absent (spreadsheet exports write nulls).

    JSON gets this while it is parsed (json_strict.unique_keys); YAML inputs (load) and
    documents given in memory (api.check_documents) get it here.
    """
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value
