"""A rulebook's cases: each rule's passing and failing fixtures, as data.

Each group folder has `cases.yaml`: a list of cases, each named by a sentence,
with its documents inline, an as-of date, and the exact findings expected of
the group's rules: violations as (rule, clause, subject), passes as (rule,
subject) checked and satisfied, and optionally pending / not_evaluated /
exempt / out_of_scope. The tests run them all; `explain` shows them as examples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from checker.api import Options, check_documents
from checker.read.inputs import RawDocument
from checker.read.parse import parse_bytes
from checker.report import Report
from checker.rulebook import Group, Rulebook
from checker.workdays import official, weekends_only

DEFAULT_AS_OF = "2021-12-31"


@dataclass(frozen=True)
class Case:
    group: str
    index: int
    name: str
    as_of: str
    documents: list[Any]
    weekends_only: bool
    violations: frozenset[tuple[str, str, str]]
    passes: frozenset[tuple[str, str]]
    expect: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    out_of_scope: frozenset[str] | None = None
    # input errors the rules or the reading find (R23, R25): (JSON pointer inside the case, words of the message)
    input_errors: frozenset[tuple[str, str]] = frozenset()

    @property
    def file(self) -> str:
        return f"{self.group}/cases.yaml"

    def run(self, rulebook: Rulebook, lang: str = "zh") -> Report:
        raws = [RawDocument(self.file, f"/cases/{self.index}/documents/{j}", d)
                for j, d in enumerate(self.documents)]
        calendar = weekends_only() if self.weekends_only else official()
        options = Options(as_of=dt.date.fromisoformat(self.as_of), lang=lang, calendar=calendar,
                          rulebook=str(rulebook.folder), list_satisfied=True)
        return check_documents(raws, options)


def _pairs(items: list[dict[str, Any]] | None) -> frozenset[tuple[str, str]]:
    return frozenset((str(i["rule"]), str(i["subject"])) for i in items or ())


def load_cases(group: Group) -> list[Case]:
    path = group.folder / "cases.yaml"
    if not path.is_file():
        return []
    data, error = parse_bytes(str(path), path.read_bytes(), "yaml")
    if error:
        raise ValueError(f"{error.file}: {error.message}")
    out = []
    for i, c in enumerate(data.get("cases") or ()):
        out.append(Case(
            group=group.id, index=i, name=c["name"], as_of=str(c.get("as_of", DEFAULT_AS_OF)),
            documents=c["documents"], weekends_only=bool(c.get("weekends_only", False)),
            violations=frozenset((str(v["rule"]), str(v["clause"]), str(v["subject"]))
                                 for v in c.get("violations") or ()),
            passes=_pairs(c.get("passes")),
            expect={k: _pairs(c[k]) for k in ("pending", "not_evaluated", "exempt") if k in c},
            out_of_scope=(frozenset(str(x["subject"]) for x in c["out_of_scope"] or ())
                          if "out_of_scope" in c else None),
            input_errors=frozenset((str(e["path"]), str(e["says"])) for e in c.get("input_errors") or ()),
        ))
    return out


def all_cases(rulebook: Rulebook) -> list[Case]:
    return [case for g in rulebook.groups for case in load_cases(g)]
