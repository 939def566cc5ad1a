"""The engine's own ASP programs, which every rulebook runs between.

`prologue.lp` is the fact contract: every predicate the fact builder emits,
declared and documented. `epilogue.lp` declares what a rule group derives and
turns it into statuses (the only #show); `tally.lp` counts what is satisfied.
A rulebook folder holds policy only; the engine runs the prologue, the
rulebook's programs, the epilogue and the tally (`Rulebook.programs`).
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent

PROLOGUE = _HERE / "prologue.lp"
EPILOGUE = _HERE / "epilogue.lp"
TALLY = _HERE / "tally.lp"

# What a rule group derives for the epilogue (declared at its top). A rulebook derives these and
# helpers of its own, never a predicate the prologue declares or the epilogue derives
# (tests/test_fact_contract.py).
INTERFACE = frozenset({
    "applies", "breach", "deadline", "unevaluable", "exempt", "out_of_scope", "input_conflict",
    "all_range", "all_except", "applies_all", "deadline_all", "unevaluable_all",
})
