"""A rulebook: the policy as data the engine loads.

A rulebook folder holds `rulebook.yaml` (identity, readings, parameters,
reasons, vocabulary), `clauses.yaml` (every clause with its text),
`source.txt`, an optional `vocabulary.lp` (notions its groups share) and one
folder per clause group, each with `rules.lp` (the logic), `rules.yaml` (each
rule's metadata) and `cases.yaml` (its passing and failing fixtures). The fact
contract and the epilogue that decides statuses are the engine's
(checker/asp/), the same for every rulebook. Another city's rulebook is
another folder; nothing here is specific to Guangyuan. Several rulebooks run
as one (`compose`): their findings together, each cited to its own clauses.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from checker.asp import EPILOGUE, PROLOGUE, TALLY
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
    aliases: tuple[str, ...] = ()  # codes this rule had before it was renamed (waivers, `explain`)


@dataclass(frozen=True)
class Unencoded:
    """A part of a clause no rule encodes (word for word from it), and why no record can show it."""

    part: str
    why: Text


@dataclass(frozen=True)
class Clause:
    id: str
    heading: Text
    citation: Text
    text: str
    not_checkable: Text | None
    applied_as: Text | None = None  # a clause that works as an exception to other rules
    unencoded: tuple[Unencoded, ...] = ()  # parts of its sentences no rule encodes, with the reason

    def sentences(self) -> list[str]:
        """The clause's sentences, each ending at its 。 (the last one may not)."""
        out, start = [], 0
        for i, ch in enumerate(self.text):
            if ch == "。":
                out.append(self.text[start:i + 1].strip())
                start = i + 1
        if self.text[start:].strip():
            out.append(self.text[start:].strip())
        return out


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
    folder: Path  # a composed rulebook's is its first part's
    sha256: str
    readings: dict[str, Text]
    parameters: dict[str, Parameter]
    reasons: dict[str, Text]
    conflicts: dict[str, Text]  # input errors the rules find between records (R19, R23): message templates
    working_day_dates: frozenset[str]
    clauses: dict[str, Clause]
    groups: tuple[Group, ...]
    rules: dict[str, Rule]
    # fact name -> the values the rules name as constants (any other value is `other`)
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)
    shared: tuple[Path, ...] = ()  # vocabulary.lp: notions the groups share
    parts: tuple[Rulebook, ...] = ()  # the rulebooks a composed one runs together

    @property
    def folders(self) -> tuple[Path, ...]:
        """Its folder, or a composed rulebook's parts' folders."""
        return tuple(p.folder for p in self.parts) or (self.folder,)

    def own_programs(self) -> list[Path]:
        """The rulebook's .lp files: its shared vocabulary, then each group's rules."""
        return [*self.shared, *(g.folder / "rules.lp" for g in self.groups)]

    def programs(self) -> list[Path]:
        """What the engine runs: its prologue (the fact contract), the rulebook's programs, its epilogue and tally."""
        return [PROLOGUE, *self.own_programs(), EPILOGUE, TALLY]

    def used_predicates(self) -> frozenset[str]:
        """Every predicate name a rule reads or derives (a #defined alone does not count).

        Facts of any other input predicate can change nothing; the engine skips them.
        """
        return _used_predicates(tuple(self.programs()))

    def source_text(self) -> str:
        if self.parts:
            return "\n".join(p.source_text() for p in self.parts)
        return (self.folder / "source.txt").read_text(encoding="utf-8")

    def rule(self, code: str) -> Rule | None:
        """The rule with this code, or the one that was renamed from it (an alias)."""
        if code in self.rules:
            return self.rules[code]
        return next((r for r in self.rules.values() if code in r.aliases), None)

    def rules_of(self, clause: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.clause == clause]

    def accounts(self, clause: Clause) -> list[tuple[str, list[Rule], list[Unencoded]]]:
        """Each sentence of a clause with the rules whose quote lies in it and the parts of it no rule
        encodes: what `dsr-check clauses` shows, and what a meta-test holds complete."""
        text = _squash(clause.text)
        out, start = [], 0
        for sentence in clause.sentences():
            s = _squash(sentence)
            lo = text.find(s, start)
            hi = lo + len(s)
            start = hi
            rules = [r for r in self.rules_of(clause.id)
                     if (q := text.find(_squash(r.quote))) >= 0 and q < hi and q + len(_squash(r.quote)) > lo]
            parts = [u for u in clause.unencoded if _squash(u.part) in s]
            out.append((sentence, sorted(rules, key=lambda r: r.code), parts))
        return out


# What a program's text holds that is no atom: comments, strings and directives (#defined,
# #show...); then the tokens a scan of the rest looks at: parentheses and lower-case names.
_NOISE = re.compile(r'%\*.*?\*%|"(?:[^"\\]|\\.)*"|%[^\n]*|#(?:defined|show|const|include|script|program)\b[^.]*\.',
                    re.DOTALL)
_TOKEN = re.compile(r"[()]|(?<![A-Za-z0-9_'])_*[a-z][A-Za-z0-9_']*")


@cache
def _used_predicates(programs: tuple[Path, ...]) -> frozenset[str]:
    """Every name outside parentheses in a statement: the atoms' predicates, and a few words more
    (`not`, an aggregate's name, a constant compared): never fewer than predicates_of finds.

    Why not predicates_of: parsing the programs into clingo's AST and walking it in Python took
    a third of the sample's check, and this list only spares the engine facts no rule reads;
    tests/test_fact_contract.py holds it to contain predicates_of's.
    """
    names: set[str] = set()
    for path in programs:
        depth = 0
        for token in _TOKEN.findall(_NOISE.sub(" ", path.read_text(encoding="utf-8"))):
            if token == "(":
                depth += 1
            elif token == ")":
                depth -= 1
            elif depth == 0:
                names.add(token)
    return frozenset(names)


def predicates_of(programs: Iterable[Path], heads_only: bool) -> frozenset[str]:
    """The predicate names atoms of these programs use (with heads_only, those rules derive)."""
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

    def visit(stm: Any) -> None:
        if not heads_only:
            visitor(stm)
        elif stm.ast_type == clingo.ast.ASTType.Rule:
            visitor(stm.head)

    clingo.ast.parse_files([str(p) for p in programs], visit)
    return frozenset(names)


def clause_order(clause: str) -> tuple[str, tuple[int, ...]]:
    """How clause ids sort: by book (a composed run's prefix), then by number (4.1.2 before 4.1.10)."""
    book, _, local = clause.rpartition(":")
    return book, tuple(int(p) for p in local.split(".") if p.isdigit())


def _check_aliases(rules: dict[str, Rule]) -> None:
    """An old code names one rule only, and never a rule that has it as its code now."""
    seen: dict[str, str] = {}
    for rule in rules.values():
        for alias in rule.aliases:
            if alias in rules:
                raise ValueError(f"alias {alias} of rule {rule.code} is the code of another rule")
            if alias in seen:
                raise ValueError(f"alias {alias} is given to both {seen[alias]} and {rule.code}")
            seen[alias] = rule.code


def _squash(text: str) -> str:
    return "".join(text.split())


def _maybe_text(value: Any) -> Text | None:
    return None if value is None else Text.of(value)


def _yaml(path: Path) -> Any:
    """A rulebook file, read safely; with libyaml's loader (C) where PyYAML has it: every run starts here."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _digest(folder: Path) -> str:
    """The folder's files and the engine's programs it runs between: what decides its verdicts."""
    h = hashlib.sha256()
    files = [(f.relative_to(folder).as_posix(), f) for f in folder.rglob("*") if f.is_file()]
    for name, f in sorted(files) + [(f"engine:{p.name}", p) for p in (PROLOGUE, EPILOGUE, TALLY)]:
        h.update(name.encode())
        h.update(b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


_CONSTANT = re.compile(r"[a-z][a-z0-9_]{0,39}")  # what facts.Const accepts


def _constants(values: Any, where: str) -> tuple[str, ...]:
    """Names the rules will see as constants: a list of lower-case identifiers."""
    if not isinstance(values, list) or not all(isinstance(v, str) and _CONSTANT.fullmatch(v) for v in values):
        raise ValueError(f"{where}: expected a list of names such as [provincial] (a-z, 0-9, _), got {values!r}")
    return tuple(values)


def _vocabulary(meta: Any) -> dict[str, tuple[str, ...]]:
    """Each fact's closed values; `none` is not one: it is an absent field of a wide fact (batch_row)."""
    out = {str(k): _constants(v, f"vocabulary of {k}") for k, v in (meta.get("vocabulary") or {}).items()}
    for k, values in out.items():
        if "none" in values:
            raise ValueError(f"vocabulary of {k}: `none` is reserved for an absent value")
    return out


def _parameter(name: str, spec: Any) -> Parameter:
    if spec["kind"] == "constants":
        _constants(spec["value"], f"parameter {name}")
    return Parameter(name, spec["kind"], spec["value"], str(spec["clause"]), spec.get("note", ""))


@cache
def load_rulebook(name: str = DEFAULT_RULEBOOK) -> Rulebook:
    """Load a bundled rulebook by name, or any rulebook folder by path."""
    folder = Path(name) if Path(name).is_dir() else rules_dir() / name
    meta = _yaml(folder / "rulebook.yaml")
    clauses = {
        str(c["id"]): Clause(str(c["id"]), Text.of(c["heading"]), Text.of(c["citation"]),
                             c["text"], _maybe_text(c.get("not_checkable")),
                             _maybe_text(c.get("applied_as")),
                             tuple(Unencoded(u["part"], Text.of(u["why"])) for u in c.get("unencoded") or ()))
        for c in _yaml(folder / "clauses.yaml")["clauses"]
    }
    groups: list[Group] = []
    rules: dict[str, Rule] = {}
    reasons = {k: Text.of(v) for k, v in meta["reasons"].items()}
    conflicts = {k: Text.of(v) for k, v in (meta.get("conflicts") or {}).items()}
    parameters = {k: _parameter(k, v) for k, v in meta["parameters"].items()}
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
            parameters[k] = _parameter(k, v)
        for r in spec.get("rules") or ():
            if r["code"] in rules:
                raise ValueError(f"rule code {r['code']} is defined twice")
            rules[r["code"]] = Rule(
                code=r["code"], name=r["name"], clause=str(r["clause"]), severity=r["severity"],
                readings=tuple(r.get("readings") or ()), quote=r["quote"], title=Text.of(r["title"]),
                checks=Text.of(r["checks"]), message=Text.of(r["message"]),
                remedy=Text.of(r["remedy"]), group=sub.name,
                aliases=tuple(str(a) for a in r.get("aliases") or ()),
            )
    _check_aliases(rules)
    return Rulebook(
        id=meta["id"], version=str(meta["version"]), title=Text.of(meta["title"]), folder=folder,
        sha256=_digest(folder),
        readings={k: Text.of(v) for k, v in meta["readings"].items()},
        parameters=parameters,
        reasons=reasons,
        conflicts=conflicts,
        working_day_dates=frozenset(meta.get("working_day_dates") or ()),
        clauses=clauses, groups=tuple(groups), rules=rules, vocabulary=_vocabulary(meta),
        shared=tuple(p for p in [folder / "vocabulary.lp"] if p.is_file()),
    )


@cache
def load_rulebooks(names: tuple[str, ...]) -> Rulebook:
    """One rulebook, or several composed into one (`--rulebook A --rulebook B`)."""
    books = tuple(load_rulebook(n) for n in names)
    return books[0] if len(books) == 1 else compose(books)


def compose(books: tuple[Rulebook, ...]) -> Rulebook:
    """Several rulebooks run as one: their rules together, each cited to its own book.

    Clause and reading ids are prefixed with their book's id (`apl-2021-42:42.1`),
    so each finding cites its own source. The engine solves each part on its own
    (engine.solve) over one set of facts: rule codes, parameters and reasons, which
    those facts and the findings name, must not repeat across books, and two books
    that close the same fact's vocabulary must close it alike (a value one book
    names would otherwise stop being `other` for the other).
    """
    seen: dict[str, str] = {}
    for book in books:
        for kind, names in (("rulebook", [book.id]), ("rule code", book.rules), ("parameter", book.parameters),
                            ("reason", book.reasons), ("conflict", book.conflicts)):
            for name in names:
                key = f"{kind} {name}"
                if key in seen:
                    raise ValueError(f"{key} is in both {seen[key]} and {book.id}")
                seen[key] = book.id
    closed: dict[str, Rulebook] = {}
    for book in books:
        for fact, values in book.vocabulary.items():
            other = closed.setdefault(fact, book)
            if other.vocabulary[fact] != values:
                raise ValueError(f"the vocabulary of {fact} differs between {other.id} and {book.id}")

    def q(book: Rulebook, local: str) -> str:
        return f"{book.id}:{local}"

    rules = {code: dataclasses.replace(r, clause=q(b, r.clause), readings=tuple(q(b, x) for x in r.readings))
             for b in books for code, r in b.rules.items()}
    _check_aliases(rules)
    clauses = {q(b, cid): dataclasses.replace(c, id=q(b, cid)) for b in books for cid, c in b.clauses.items()}
    return Rulebook(
        id="+".join(b.id for b in books), version="+".join(b.version for b in books),
        title=Text(" + ".join(b.title.zh for b in books), " + ".join(b.title.en for b in books)),
        folder=books[0].folder,
        sha256=hashlib.sha256("".join(b.sha256 for b in books).encode()).hexdigest(),
        readings={q(b, k): v for b in books for k, v in b.readings.items()},
        parameters={k: dataclasses.replace(p, clause=q(b, p.clause)) for b in books for k, p in b.parameters.items()},
        reasons={k: v for b in books for k, v in b.reasons.items()},
        conflicts={k: v for b in books for k, v in b.conflicts.items()},
        working_day_dates=frozenset().union(*(b.working_day_dates for b in books)),
        clauses=clauses, groups=tuple(g for b in books for g in b.groups), rules=rules,
        vocabulary={fact: b.vocabulary[fact] for fact, b in closed.items()},
        shared=tuple(p for b in books for p in b.shared), parts=books,
    )
