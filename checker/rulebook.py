"""A rulebook: the policy as data the engine loads.

A rulebook folder holds `rulebook.yaml` (identity, readings, parameters,
reasons), `clauses.yaml` (every clause with its text), `prologue.lp` (the fact
contract), `epilogue.lp` (statuses and #show) and one folder per clause group,
each with `rules.lp` (the logic), `rules.yaml` (each rule's metadata) and
`cases.yaml` (its passing and failing fixtures). Another city's rulebook is
another folder; nothing here is specific to Guangyuan.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from checker.resources import DEFAULT_RULEBOOK, rules_dir

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Text:
    """A text in Chinese and English."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    @staticmethod
    def of(value: Any) -> Text:
        if isinstance(value, str):
            return Text(value, value)
        return Text(str(value["zh"]), str(value["en"]))


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    clause: str
    severity: str
    readings: tuple[str, ...]
    quote: str
    title: Text
    checks: Text
    message: Text
    remedy: Text
    group: str


@dataclass(frozen=True)
class Clause:
    id: str
    heading: Text
    citation: Text
    text: str
    not_checkable: Text | None
    applied_as: Text | None = None  # a clause that works as an exception to other rules


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    value: Any
    clause: str
    note: str


@dataclass(frozen=True)
class Group:
    id: str
    folder: Path
    title: Text


@dataclass(frozen=True)
class Rulebook:
    id: str
    version: str
    title: Text
    folder: Path
    sha256: str
    readings: dict[str, Text]
    parameters: dict[str, Parameter]
    reasons: dict[str, Text]
    conflicts: dict[str, Text]  # input errors the rules find between records (R19, R23): message templates
    working_day_dates: frozenset[str]
    clauses: dict[str, Clause]
    groups: tuple[Group, ...]
    rules: dict[str, Rule]

    def programs(self) -> list[Path]:
        """The .lp files: prologue, shared vocabulary, each group, epilogue."""
        return [self.folder / "prologue.lp", self.folder / "vocabulary.lp",
                *(g.folder / "rules.lp" for g in self.groups), self.folder / "epilogue.lp"]

    def used_predicates(self) -> frozenset[str]:
        """Every predicate name a rule reads or derives (a #defined alone does not count).

        Facts of any other input predicate can change nothing; the engine skips them.
        """
        return _used_predicates(tuple(self.programs()))

    def source_text(self) -> str:
        return (self.folder / "source.txt").read_text(encoding="utf-8")

    def rules_of(self, clause: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.clause == clause]


@cache
def _used_predicates(programs: tuple[Path, ...]) -> frozenset[str]:
    import clingo.ast

    names: set[str] = set()

    class _Atoms(clingo.ast.Transformer):
        def visit_SymbolicAtom(self, node: Any) -> Any:
            term = node.symbol
            if term.ast_type == clingo.ast.ASTType.Function:
                names.add(term.name)
            elif term.ast_type == clingo.ast.ASTType.SymbolicTerm:
                names.add(term.symbol.name)
            return node

    visitor = _Atoms()
    clingo.ast.parse_files([str(p) for p in programs], lambda stm: visitor(stm))
    return frozenset(names)


def _maybe_text(value: Any) -> Text | None:
    return None if value is None else Text.of(value)


def _yaml(path: Path) -> Any:
    """A rulebook file, read safely; with libyaml's loader (C) where PyYAML has it: every run starts here."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(f.relative_to(folder).as_posix().encode())
        h.update(b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


@cache
def load_rulebook(name: str = DEFAULT_RULEBOOK) -> Rulebook:
    """Load a bundled rulebook by name, or any rulebook folder by path."""
    folder = Path(name) if Path(name).is_dir() else rules_dir() / name
    meta = _yaml(folder / "rulebook.yaml")
    clauses = {
        str(c["id"]): Clause(str(c["id"]), Text.of(c["heading"]), Text.of(c["citation"]),
                             c["text"], _maybe_text(c.get("not_checkable")),
                             _maybe_text(c.get("applied_as")))
        for c in _yaml(folder / "clauses.yaml")["clauses"]
    }
    groups: list[Group] = []
    rules: dict[str, Rule] = {}
    reasons = {k: Text.of(v) for k, v in meta["reasons"].items()}
    conflicts = {k: Text.of(v) for k, v in (meta.get("conflicts") or {}).items()}
    parameters = {k: Parameter(k, v["kind"], v["value"], str(v["clause"]), v.get("note", ""))
                  for k, v in meta["parameters"].items()}
    for sub in sorted(p for p in folder.iterdir() if (p / "rules.yaml").is_file()):
        spec = _yaml(sub / "rules.yaml")
        groups.append(Group(sub.name, sub, Text.of(spec["title"])))
        for k, v in (spec.get("reasons") or {}).items():
            if k in reasons:
                raise ValueError(f"reason {k} is defined twice ({sub.name})")
            reasons[k] = Text.of(v)
        for k, v in (spec.get("conflicts") or {}).items():
            if k in conflicts:
                raise ValueError(f"conflict {k} is defined twice ({sub.name})")
            conflicts[k] = Text.of(v)
        for k, v in (spec.get("parameters") or {}).items():
            if k in parameters:
                raise ValueError(f"parameter {k} is defined twice ({sub.name})")
            parameters[k] = Parameter(k, v["kind"], v["value"], str(v["clause"]), v.get("note", ""))
        for r in spec.get("rules") or ():
            if r["code"] in rules:
                raise ValueError(f"rule code {r['code']} is defined twice")
            rules[r["code"]] = Rule(
                code=r["code"], name=r["name"], clause=str(r["clause"]), severity=r["severity"],
                readings=tuple(r.get("readings") or ()), quote=r["quote"], title=Text.of(r["title"]),
                checks=Text.of(r["checks"]), message=Text.of(r["message"]),
                remedy=Text.of(r["remedy"]), group=sub.name,
            )
    return Rulebook(
        id=meta["id"], version=str(meta["version"]), title=Text.of(meta["title"]), folder=folder,
        sha256=_digest(folder),
        readings={k: Text.of(v) for k, v in meta["readings"].items()},
        parameters=parameters,
        reasons=reasons,
        conflicts=conflicts,
        working_day_dates=frozenset(meta.get("working_day_dates") or ()),
        clauses=clauses, groups=tuple(groups), rules=rules,
    )
