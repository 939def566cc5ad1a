"""The fact contract holds: what the prologue declares is what the fact builder emits, every
atom a rule reads is derived or declared, and every rule is reached by its cases.

The first test builds the facts of every case of every rulebook and of the sample with
nothing filtered, so a predicate declared and never emitted (or emitted and never
declared) fails it. Grounding with every warning on reports an atom that occurs in no rule
head: a misspelt body atom, which would otherwise never fire and never be noticed; with
each case's facts, it also reports an operation on the wrong kind of term. (The engine
itself grounds with warnings off: they cost time and these tests have heard them.)
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import clingo
import pytest

from checker.asp import EPILOGUE, INTERFACE, PROLOGUE, TALLY
from checker.cases import Case
from checker.facts import Const, FactBuilder, ownership_facts
from checker.read.documents import drop_nulls
from checker.read.inputs import RawDocument
from checker.read.load import load
from checker.rulebook import Rulebook, _used_predicates, load_rulebook, predicates_of
from checker.validate import validate
from checker.workdays import official, weekends_only
from tests.casebook import BOOKS, cases, report

ROOT = Path(__file__).resolve().parent.parent
_DEFINED = re.compile(r"^#defined\s+([a-z_][a-z0-9_]*)/\d+\s*\.", re.MULTILINE)
_HEAD = re.compile(r"^([a-z_][a-z0-9_]*)\(")


class _Everything(frozenset[str]):
    """Every predicate counts as read: the builder then emits all it can."""

    def __contains__(self, name: object) -> bool:
        return True


def declared(program: Path) -> set[str]:
    """The predicates a program declares with #defined."""
    return set(_DEFINED.findall(program.read_text(encoding="utf-8")))


def contract() -> set[str]:
    """The predicates of the fact contract: those the builder emits and those the prologue derives
    from them (a batch's fields, from its one batch_row fact)."""
    return declared(PROLOGUE) | _heads([PROLOGUE])


def emitted(book: Rulebook, documents: list[RawDocument]) -> set[str]:
    """The predicates the fact builder writes for these documents, none filtered out."""
    valid, _ = validate(documents)
    builder = FactBuilder(book, official(), dt.date(2021, 12, 31))
    builder.used = _Everything()
    builder.plan_ids = tuple(sorted({v.model.id for v in valid if v.kind == "annual_plan"}))  # as api does
    for doc in valid:
        builder.add(doc)
    return {_HEAD.match(line).group(1) for line in builder.finish().lines}  # type: ignore[union-attr]


def _corpus(book: Rulebook) -> list[list[RawDocument]]:
    """Each case's documents (checked on their own: ids repeat across cases), and the sample."""
    runs = [[RawDocument(c.file, f"/cases/{c.index}/documents/{j}", drop_nulls(d))
             for j, d in enumerate(c.documents)] for c in cases(book)]
    return [*runs, load([str(ROOT / "fixtures" / "sample")]).documents]


def test_the_prologue_declares_exactly_what_the_fact_builder_emits() -> None:
    book = BOOKS[0]
    names: set[str] = set()
    for b in BOOKS:
        for documents in _corpus(b):
            names |= emitted(book, documents)
    inputs = declared(PROLOGUE)
    assert names - inputs == set(), "emitted but not declared in the prologue"
    assert inputs - names == set(), "declared in the prologue but never emitted"


def test_the_epilogue_declares_what_a_rule_group_derives() -> None:
    assert {n for n in declared(EPILOGUE) if not n.startswith("engine_")} == INTERFACE


@pytest.mark.parametrize("book", BOOKS, ids=lambda b: b.id)
def test_a_rulebook_derives_no_input_and_nothing_the_engine_derives(book: Rulebook) -> None:
    heads = _heads(book.own_programs())
    assert heads & contract() == set()
    assert heads & (_heads([EPILOGUE, TALLY]) - INTERFACE) == set()


@pytest.mark.parametrize("book", BOOKS, ids=lambda b: b.id)
def test_the_engine_skips_facts_of_no_predicate_a_rule_reads(book: Rulebook) -> None:
    """The engine's quick scan of the programs names every predicate clingo's parser finds there,
    and no declared input no rule reads (the builder would emit what nothing reads)."""
    used = book.used_predicates()
    exact = predicates_of(book.programs(), heads_only=False)
    assert exact <= used
    assert (used - exact) & declared(PROLOGUE) == set()


def test_the_quick_scan_skips_comments_strings_directives_and_terms(tmp_path: Path) -> None:
    program = tmp_path / "p.lp"
    program.write_text('%* block: gone(X). *%\n#defined hidden/1.\n#show shown/1.\n'
                       'head(X, term(Y)) :- body(X, "quoted(1)"), not neg(X), Y = #count{ Z : inner(Z) }. % tail(X)\n'
                       'plain.\n', encoding="utf-8")
    names = _used_predicates((program,))
    assert {"head", "body", "neg", "inner", "plain"} <= names
    assert not names & {"gone", "hidden", "shown", "term", "quoted", "tail"}
    assert names == predicates_of([program], heads_only=False) | {"not", "count"}


@pytest.mark.parametrize("book", BOOKS, ids=lambda b: b.id)
def test_a_vocabulary_closes_facts_of_the_contract_with_constants(book: Rulebook) -> None:
    assert set(book.vocabulary) <= contract()
    values = [v for vs in book.vocabulary.values() for v in vs]
    values += [v for p in book.parameters.values() if p.kind == "constants" for v in p.value]
    for value in values:
        assert Const(value) == value


def test_a_vocabulary_of_anything_but_names_is_refused_on_loading(tmp_path: Path) -> None:
    copy = tmp_path / "book"
    shutil.copytree(BOOKS[0].folder, copy)
    meta = copy / "rulebook.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("batch_platform: [provincial]", 'batch_platform: ["x). bad"]'), encoding="utf-8")
    with pytest.raises(ValueError, match="vocabulary of batch_platform"):
        load_rulebook(str(copy))


def test_none_is_no_value_of_a_vocabulary(tmp_path: Path) -> None:
    """`none` marks an absent field of batch_row: a platform of that name would read as no platform."""
    copy = tmp_path / "book"
    shutil.copytree(BOOKS[0].folder, copy)
    meta = copy / "rulebook.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("batch_platform: [provincial]", "batch_platform: [provincial, none]"),
                    encoding="utf-8")
    with pytest.raises(ValueError, match="`none` is reserved"):
        load_rulebook(str(copy))


def _heads(programs: list[Path]) -> set[str]:
    return set(predicates_of(programs, heads_only=True))


def grounding_messages(programs: list[Path], extra: str = "") -> list[str]:
    """Every message of grounding these programs, without facts, with all warnings on."""
    messages: list[str] = []
    ctl = clingo.Control(["--warn=all"], logger=lambda _code, msg: messages.append(msg))
    for program in programs:
        ctl.load(str(program))
    ctl.add("base", [], extra)
    ctl.ground([("base", [])])
    return messages


@pytest.mark.parametrize("book", BOOKS, ids=lambda b: b.id)
def test_every_atom_a_rule_reads_is_derived_or_declared(book: Rulebook) -> None:
    assert grounding_messages(book.programs()) == []


CASES = [(book, case) for book in BOOKS for case in cases(book)]


@pytest.mark.parametrize(("book", "case"), CASES, ids=[f"{b.id}/{c.group}/{c.index}" for b, c in CASES])
def test_grounding_a_cases_facts_warns_of_nothing(book: Rulebook, case: Case) -> None:
    """With facts, grounding also warns of an operation on the wrong kind of term (a text plus a number)."""
    valid, _ = validate([RawDocument(case.file, f"/cases/{case.index}/documents/{j}", drop_nulls(d))
                         for j, d in enumerate(case.documents)])
    calendar = weekends_only() if case.weekends_only else official()
    builder = FactBuilder(book, calendar, dt.date.fromisoformat(case.as_of))
    for doc in valid:
        builder.add(doc)
    flags = "engine_list_satisfied.\nengine_obligations.\n"
    program = flags + "\n".join(ownership_facts(book.rules, [])) + "\n" + builder.finish().program()
    assert grounding_messages(book.programs(), program) == []


def test_an_operation_on_a_constant_is_reported() -> None:
    book = BOOKS[0]
    facts = "param_item(publication_channels, 1, gsxt_sichuan).\n"
    wrong = "res_bad(C + 1) :- param_item(publication_channels, _, C).\n"
    assert any("operation undefined" in m for m in grounding_messages(book.programs(), facts + wrong))


def test_a_misspelt_body_atom_is_reported() -> None:
    book = BOOKS[0]
    typo = 'applies("x", R) :- recrod(R, batch).\n'
    messages = grounding_messages(book.programs(), typo)
    assert any("does not occur in any rule head" in m and "recrod(" in m for m in messages)


@pytest.mark.parametrize("book", BOOKS, ids=lambda b: b.id)
def test_every_rule_is_applied_and_breached_by_some_case(book: Rulebook) -> None:
    breached: set[str] = set()
    satisfied: set[str] = set()
    for case in cases(book):
        found = report(book, case)
        breached |= {f.rule for f in found.of("violation")}
        satisfied |= {rule for rule, _, _ in found.satisfied}
    assert set(book.rules) - breached == set(), "no case breaches these rules"
    assert set(book.rules) - satisfied == set(), "no case satisfies these rules"
