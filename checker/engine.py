"""Run the rulebook's ASP programs over the facts and read the one model.

The programs are stratified and have no choice rules, so there is exactly one
model; it is read once. Only the findings (and the obligations `dsr-check
deadlines` lists) are read back as atoms: a province's year is satisfied
millions of times over, so what is satisfied is counted by
clingo per rule (`engine_satisfied/2`, checker/asp/tally.lp), and listed only when asked for (the
rulebook's cases check it). Records another shard reports (`engine_foreign/1`)
are left out of the counts here and of the findings in explain.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import clingo

from checker.facts import Facts, Span, ownership_facts
from checker.phases import NO_PHASES, Phases
from checker.rulebook import Rulebook

# not_evaluated_all/5 and not_evaluated_except/3: a group of records none of which can be judged, and
# those it leaves to be judged on their own (checker/asp/epilogue.lp); explain.py lists its records.
FINDINGS = (("violation", 4), ("pending", 5), ("not_evaluated", 3), ("not_evaluated_all", 5),
            ("not_evaluated_except", 3), ("exempted", 3), ("excluded_record", 2), ("input_conflict", 4))


@dataclass
class Model:
    """What one run of the rules found."""

    atoms: list[clingo.Symbol]  # findings, sorted
    satisfied_counts: dict[str, int]
    satisfied: list[clingo.Symbol] = field(default_factory=list)  # only when asked for
    obligations: list[clingo.Symbol] = field(default_factory=list)  # obligation/7 (checker.obligations)


def solve(rulebook: Rulebook, facts: Facts, foreign: list[Span] | None = None,
          list_satisfied: bool = False, phases: Phases = NO_PHASES, obligations: bool = True) -> Model:
    """Ground and solve; read the findings, the satisfied counts and, if asked, the satisfied and obligation atoms.

    A composed rulebook's parts are solved one by one over the same facts, so each decides
    exactly as it would alone (a record one book leaves out of scope is still judged by another).
    """
    if rulebook.parts:
        return _merge([solve(part, facts, foreign, list_satisfied, phases, obligations) for part in rulebook.parts])
    with phases("ground"):
        messages: list[str] = []
        # single-shot: one ground, one solve; clingo then skips what incremental solving needs.
        ctl = clingo.Control(["--warn=none", "--single-shot"],
                             logger=lambda _code, msg: messages.append(msg))
        for program in rulebook.programs():
            ctl.load(str(program))
        ctl.add("base", [], ("engine_list_satisfied.\n" if list_satisfied else "")
                + ("engine_obligations.\n" if obligations else ""))
        ctl.add("base", [], "\n".join(ownership_facts(rulebook.rules, foreign or [])))
        ctl.add("base", [], facts.program())
        ctl.ground([("base", [])])
    with phases("solve"):
        return _read(ctl, messages, list_satisfied, obligations)


def _merge(models: list[Model]) -> Model:
    """The parts' models as one: their rule codes are distinct; a record out of scope in two is listed once."""
    return Model(sorted({a for m in models for a in m.atoms}),
                 {code: n for m in models for code, n in m.satisfied_counts.items()},
                 sorted({a for m in models for a in m.satisfied}),
                 sorted({a for m in models for a in m.obligations}))


def _read(ctl: clingo.Control, messages: list[str], list_satisfied: bool, obligations: bool) -> Model:
    wanted = [*FINDINGS, ("engine_satisfied", 2)] + ([("satisfied", 2)] if list_satisfied else []) \
        + ([("obligation", 7)] if obligations else [])
    found: dict[str, list[clingo.Symbol]] = {name: [] for name, _ in wanted}
    undecided: list[clingo.Symbol] = []
    for name, arity in wanted:
        for atom in ctl.symbolic_atoms.by_signature(name, arity):
            (found[name] if atom.is_fact else undecided).append(atom.symbol)
    # A stratified program is decided by grounding; solve anyway, for any atom it left open.
    result = ctl.solve(on_model=lambda m: [found[s.name].append(s) for s in undecided if m.contains(s)])
    if not result.satisfiable:  # pragma: no cover - the rulebook has no constraints
        raise RuntimeError("the rulebook is unsatisfiable: " + "; ".join(messages))
    atoms = sorted(a for name, _ in FINDINGS for a in found[name])
    counts = {a.arguments[0].string: a.arguments[1].number for a in found["engine_satisfied"]}
    return Model(atoms, counts, sorted(found.get("satisfied", [])), sorted(found.get("obligation", [])))
