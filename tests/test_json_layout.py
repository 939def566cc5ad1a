"""The JSON report's not-evaluated groups, each place encoded once, read as json.dumps writes them."""

from __future__ import annotations

import json

from checker.reporters.json_report import layout


def _plain(value: dict) -> str:
    members = []
    for key, member in value.items():
        if isinstance(member, list) and member:
            members.append(json.dumps(key) + ": [\n" + ",\n".join(json.dumps(m, ensure_ascii=False) for m in member)
                           + "\n]")
        else:
            members.append(f"{json.dumps(key)}: {json.dumps(member, ensure_ascii=False)}")
    return "{\n" + ",\n".join(members) + "\n}\n"


def test_groups_sharing_a_place_are_written_as_each_alone() -> None:
    task = {"document": "计划", "subject": "T-1", "path": "/tasks/0", "source": {"file": "a.csv", "row": 6}}
    other = {"document": "计划", "subject": "T-2\n\"", "path": "/tasks/1", "source": {"file": "a.csv", "row": 7}}
    value = {
        "summary": {"not_evaluated": 5},
        "not_evaluated": [
            {"rule": "a", "clause": "3.2.1", "reason": "未提供", "count": 2, "subjects": [task, other]},
            {"rule": "b", "clause": "4.2.1", "reason": "x", "count": 1, "subjects": [task]},
            {"rule": "c", "count": 0, "subjects": []},
            {"subjects": [other]},
            {"rule": "d", "subjects": [task], "count": 1},  # not last: written as it is
            {"rule": "e", "count": 2, "subjects": [task, other]},  # the same records as a's, written once
        ],
        "exempt": [],
    }
    assert layout(value) == _plain(value)
