"""The justice bureau's filing date: a new version of the adjustment, and re-checks of what depends on it.

The date is written into the adjustment's own file (its `filed_with_justice_on`
field, as the department would have written it), so the new version is checked
like any upload and the filing is visible in the file, attributed in its note.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from checker.read.discover import syntax_of
from checker.read.inputs import Limits
from checker.read.parse import parse_value
from checker.web import store
from checker.web.db import Submission, Version
from checker.web.store import Refused


def _documents(value: Any) -> list[Any]:
    if isinstance(value, dict) and isinstance(value.get("documents"), list):
        return value["documents"]
    return value if isinstance(value, list) else [value]


def _parsed(name: str, data: bytes) -> tuple[Any, str] | None:
    """A JSON or YAML file's value and syntax; None for spreadsheets and what does not parse."""
    if Path(name).suffix.lower() not in {".json", ".yaml", ".yml"}:
        return None
    syntax = syntax_of(Path(name))
    value, error = parse_value(name, data, syntax, Limits())  # the bounds a check would apply
    return None if error else (value, syntax)


def _dump(value: Any, syntax: str) -> bytes:
    if syntax == "yaml":
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8")
    return (json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")


def adjustments(v: Version) -> list[tuple[str, str]]:
    """The id and recorded filing date ("" if none) of each adjustment in a version's JSON and YAML files."""
    out = []
    for f in v.files:
        parsed = _parsed(f.name, f.data)
        for doc in _documents(parsed[0]) if parsed else []:
            if isinstance(doc, dict) and doc.get("kind") == "adjustment":
                out.append((str(doc.get("id", "")), str(doc.get("filed_with_justice_on") or "")))
    return sorted(out)


def _task_of(doc: dict[str, Any]) -> str:
    task = doc.get("task")
    return str(task.get("id", "")) if isinstance(task, dict) else str(doc.get("task_id", ""))


def record_filing(db: Session, sub: Submission, adjustment: str, day: dt.date,
                  actor: str) -> tuple[Version, list[Version]]:
    """The new version of `sub` with the filing date set, and new versions of the submissions it affects."""
    latest = sub.versions[-1]
    files, task, hit = [], "", False
    for f in latest.files:
        parsed = _parsed(f.name, f.data)
        data = f.data
        if parsed:
            value, syntax = parsed
            for doc in _documents(value):
                if isinstance(doc, dict) and doc.get("kind") == "adjustment" and str(doc.get("id")) == adjustment:
                    doc["filed_with_justice_on"] = day.isoformat()
                    task, hit = _task_of(doc), True
                    data = _dump(value, syntax)
        files.append((f.name, data))
    if not hit:
        raise Refused(f"no adjustment {adjustment!r} in the JSON or YAML files of version {latest.number}")
    version = store.new_version(db, sub, files, latest.as_of, actor, latest.lang, latest.plan_fields,
                                latest.item_fields, note=f"filing {adjustment} {day.isoformat()} by {actor}")
    dependents = []
    others = db.scalars(select(Submission).where(Submission.jurisdiction == sub.jurisdiction,
                                                 Submission.year == sub.year, Submission.id != sub.id))
    for other in others:
        last = other.versions[-1] if other.versions else None
        if last is None or not task or not _has_batch_of(last, task):
            continue
        dependents.append(store.new_version(
            db, other, [(f.name, f.data) for f in last.files], last.as_of, actor, last.lang, last.plan_fields,
            last.item_fields, note=f"re-check: adjustment {adjustment} of task {task} filed {day.isoformat()}"))
    return version, dependents


def _has_batch_of(v: Version, task: str) -> bool:
    for f in v.files:
        parsed = _parsed(f.name, f.data)
        for doc in _documents(parsed[0]) if parsed else []:
            if isinstance(doc, dict) and doc.get("kind") == "batch" and str(doc.get("task", "")) == task:
                return True
    return False
