"""The contract's JSON report: one object, a member a line and a list's entries a line each, UTF-8.

Why this layout: the standard library's C encoder writes it (an indented dump
falls back to the pure-Python encoder, two to three times slower on a
province's year), and a line per finding still reads, greps and diffs well.
"""

from __future__ import annotations

import json
from typing import Any

from checker.report import Report

_encode = json.JSONEncoder(ensure_ascii=False).encode  # no indent: the C encoder


def render_json(report: Report) -> str:
    return layout(report.to_dict())


def layout(value: dict[str, Any]) -> str:
    """`{`, then each member on its own line, a non-empty list's entries each on their own line, `}`.

    The pieces are joined once, at the end: a report of 300,000 findings is some 50 million
    characters, and each join of a part of it would be one more copy of that part."""
    parts = ["{\n"]
    for i, (key, member) in enumerate(value.items()):
        if i:
            parts.append(",\n")
        if isinstance(member, list) and member:
            parts.append(f"{_encode(key)}: [\n")
            if key == "not_evaluated":
                _groups(member, parts)
            else:
                for j, entry in enumerate(member):
                    if j:
                        parts.append(",\n")
                    parts.append(_encode(entry))
            parts.append("\n]")
        else:
            parts.append(f"{_encode(key)}: {_encode(member)}")
    parts.append("\n}\n")
    return "".join(parts)


def _groups(groups: list[dict[str, Any]], parts: list[str]) -> None:
    """The not-evaluated groups as _encode writes them, added to `parts`, each list of records encoded
    once and in one call: a plan's tasks left not evaluated by three rules are in three groups, as the
    same dicts in the same order (report.not_evaluated_groups), and a call a record cost twice as much."""
    written: dict[tuple[int, ...], str] = {}  # the groups' lists are alive meanwhile: their ids stay theirs
    for i, group in enumerate(groups):
        if i:
            parts.append(",\n")
        keys = list(group)
        if keys[-1] != "subjects" or not isinstance(group["subjects"], list):
            parts.append(_encode(group))
            continue
        parts.append(_encode({k: group[k] for k in keys[:-1]})[:-1] + ", " if len(keys) > 1 else "{")
        ids = tuple(map(id, group["subjects"]))
        text = written.get(ids)
        if text is None:
            text = written[ids] = _encode(group["subjects"])
        parts.extend(('"subjects": ', text, "}"))
