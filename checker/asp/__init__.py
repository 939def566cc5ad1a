"""The engine's own ASP programs, which every rulebook runs between.

`prologue.lp` is the fact contract: every predicate the fact builder emits,
declared and documented. `epilogue.lp` declares what a rule group derives and
turns it into statuses (the only #show). A rulebook folder holds policy only;
the engine runs the prologue, the rulebook's programs, then the epilogue
(`Rulebook.programs`).
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent

PROLOGUE = _HERE / "prologue.lp"
EPILOGUE = _HERE / "epilogue.lp"

# What a rule group derives for the epilogue (declared at its top); composed rulebooks may
# all derive these, and no other predicate in common.
INTERFACE = frozenset({
    "applies", "breach", "deadline", "unevaluable", "exempt", "out_of_scope", "input_conflict",
    "all_range", "all_except", "applies_all", "deadline_all", "unevaluable_all",
})
