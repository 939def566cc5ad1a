"""Small builders shared by the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def plan(count: int = 50, size: int = 1000, lead: str = "市市场监管局", task_id: str = "T1",
         plan_id: str = "plan-2020") -> dict[str, Any]:
    """A department plan with one task, complete but for the numbers given."""
    return {
        "kind": "annual_plan", "id": plan_id, "level": "department", "year": 2020,
        "department": lead, "submitted_on": "2019-12-20", "platform": "provincial",
        "tasks": [{
            "id": task_id, "name": "食品生产企业联合抽查", "items": ["I1"],
            "objects": {"description": "食品生产企业", "directory": "dir-food", "directory_size": size},
            "methods": ["on_site"], "ratio": "5%", "count": count, "lead": lead,
            "participants": ["市卫生健康委"], "window": {"start": "2020-03-01", "end": "2020-10-31"},
        }],
    }


def write(folder: Path, name: str, docs: Any) -> str:
    path = folder / name
    path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    return str(path)


def entries(report: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The entries of one list of a JSON report, one per (rule, subject): not-evaluated groups
    (rule, clause, reason and their subjects) opened into one entry per subject."""
    if key != "not_evaluated":
        return report[key]
    return [{k: v for k, v in group.items() if k not in {"count", "subjects"}} | subject
            for group in report[key] for subject in group["subjects"]]
