"""Run the rulebook's ASP programs over the facts and read the one model.

The programs are stratified and have no choice rules, so there is exactly one
model; it is read once. Only the epilogue's #show atoms come back.
"""

from __future__ import annotations

import clingo

from checker.facts import Facts
from checker.rulebook import Rulebook


def solve(rulebook: Rulebook, facts: Facts) -> list[clingo.Symbol]:
    """The shown atoms of the single model, sorted for determinism."""
    messages: list[str] = []
    ctl = clingo.Control(["--warn=none"], logger=lambda _code, msg: messages.append(msg))
    for program in rulebook.programs():
        ctl.load(str(program))
    ctl.add("base", [], facts.program())
    ctl.ground([("base", [])])
    atoms: list[clingo.Symbol] = []

    def on_model(model: clingo.Model) -> None:
        atoms.extend(model.symbols(shown=True))

    result = ctl.solve(on_model=on_model)
    if not result.satisfiable:  # pragma: no cover - the rulebook has no constraints
        raise RuntimeError("the rulebook is unsatisfiable: " + "; ".join(messages))
    return sorted(atoms)
