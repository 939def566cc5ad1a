"""The sample year as a bundle of documents, renaming, and findings compared on content.

`rename` maps every id and every department name of a bundle through fresh
names, consistently (ids compare exactly, departments after NFKC and trimming,
so each namespace has its own map), and returns what is needed to map the
names in a report back. `canonical` gives a report's findings as comparable
values: file names and the document's place in its file removed, names mapped
back; so two runs that differ only in layout or names compare equal.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checker.api import Options, check
from checker.names import department
from checker.read.load import load
from checker.report import Report
from tests.schema_strategies import to_json

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"
OPTIONS = Options(as_of=dt.date(2021, 12, 31), list_satisfied=True)  # canonical() reads the satisfied list

ID_KEYS = {"id", "task", "plan", "task_id", "directory", "selected", "entries", "inspectors", "object",
           "items", "witnesses"}
DEPARTMENT_KEYS = {"department", "lead", "participants", "members"}


def sample_documents() -> list[dict[str, Any]]:
    loaded = load([str(SAMPLE)])
    assert loaded.errors == []
    return [d.data for d in loaded.documents]


class Renaming:
    """A consistent renaming of ids and departments, and its way back."""

    def __init__(self, fresh: Callable[[int], str]) -> None:
        self.fresh = fresh
        self.ids: dict[str, str] = {}
        self.departments: dict[str, str] = {}
        self.back: dict[str, str] = {}

    def id(self, old: str) -> str:
        if old not in self.ids:
            new = f"⟦{len(self.back)}⟧{self.fresh(len(self.back))}"
            self.ids[old] = new
            self.back[new] = old
        return self.ids[old]

    def department(self, old: str) -> str:
        key = department(old)
        if key not in self.departments:
            new = department(f"⟦{len(self.back)}⟧{self.fresh(len(self.back))}")
            self.departments[key] = new
            self.back[new] = key
        return self.departments[key]

    def apply(self, value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: self.apply(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.apply(v, key) for v in value]
        if isinstance(value, str) and key in ID_KEYS:
            return self.id(value)
        if isinstance(value, str) and key in DEPARTMENT_KEYS:
            return self.department(value)
        return value

    def undo(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.undo(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.undo(v) for v in value]
        if isinstance(value, str):
            for new in sorted(self.back, key=len, reverse=True):
                if new in value:
                    value = value.replace(new, self.back[new])
        return value


_DOCUMENT_PLACE = re.compile(r"^/(documents/)?\d+")


def canonical(report: Report, renaming: Renaming | None = None) -> set[str]:
    """Findings and satisfied checks, without file names or places of documents in files."""
    out: set[str] = set()
    for f in report.findings:
        d = f.to_dict()
        d.pop("source", None)
        d["path"] = _DOCUMENT_PLACE.sub("", d.get("path", ""))
        d["status"] = f.status
        d = renaming.undo(d) if renaming else d
        for key in ("message", "remedy"):  # Chinese text sets a space beside a Latin name, none beside a Chinese one
            if key in d:
                d[key] = d[key].replace(" ", "")
        out.add(json.dumps(d, ensure_ascii=False, sort_keys=True))
    for rule, document, subject in report.satisfied:
        item = ["satisfied", rule, document, subject]
        out.add(json.dumps(renaming.undo(item) if renaming else item, ensure_ascii=False))
    return out


def run(folder: Path, files: dict[str, list[dict[str, Any]]], options: Options = OPTIONS) -> Report:
    """Write each file as a JSON list of documents and check the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, docs in files.items():
        (folder / name).write_text(to_json(docs), encoding="utf-8")
    return check([str(folder)], options)
