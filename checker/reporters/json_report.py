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
    """`{`, then each member on its own line, a non-empty list's entries each on their own line, `}`."""
    members = []
    for key, member in value.items():
        if isinstance(member, list) and member:
            entries = _groups(member) if key == "not_evaluated" else map(_encode, member)
            members.append(f"{_encode(key)}: [\n" + ",\n".join(entries) + "\n]")
        else:
            members.append(f"{_encode(key)}: {_encode(member)}")
    return "{\n" + ",\n".join(members) + "\n}\n"


def _groups(groups: list[dict[str, Any]]) -> list[str]:
    """The not-evaluated groups as _encode writes them, each record's place encoded once: a task
    left not evaluated by three rules is in three groups, as the same dict (report.not_evaluated_groups)."""
    shown: dict[int, str] = {}
    out = []
    for group in groups:
        keys = list(group)
        if keys[-1] != "subjects" or not isinstance(group["subjects"], list):
            out.append(_encode(group))
            continue
        subjects = []
        for place in group["subjects"]:
            text = shown.get(id(place))
            if text is None:
                text = shown[id(place)] = _encode(place)
            subjects.append(text)
        head = _encode({k: group[k] for k in keys[:-1]})[:-1] + ", " if len(keys) > 1 else "{"
        out.append(f'{head}"subjects": [{", ".join(subjects)}]}}')
    return out
