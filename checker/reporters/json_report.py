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
            members.append(f"{_encode(key)}: [\n" + ",\n".join(map(_encode, member)) + "\n]")
        else:
            members.append(f"{_encode(key)}: {_encode(member)}")
    return "{\n" + ",\n".join(members) + "\n}\n"
