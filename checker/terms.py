"""Decode the model's evidence terms into plain values.

Terms decode by their shape: s(K) a text, d(YYYYMMDD) a date, wd(K) the K-th
working day, r(Rank) a ratio, rec(K) a record's id, n(N) a number,
floor_mul(N, r(R)) the exact ⌊N × R⌋, days(d(A), d(B)) the days from A to B,
recs(L, H) the ids of records L..H (a batch's results: their objects), off(B, Ch) the
objects of batch B's results, not withheld, missing channel Ch, entered_with(B) the
objects of batch B's results entered with its date (R22).
Findings (`explain`) and obligations (`deadlines`) read the same terms, so
they share this one decoder.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import clingo

from checker.facts import Facts
from checker.labels import Code
from checker.ratios import floor_mul, show_ratio
from checker.workdays import WorkCalendar


class Uncovered(Exception):
    """A working-day date falls in a year the calendar does not know."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


class Decoder:
    """Decodes terms; each distinct term once.

    Why memoized: a year's findings repeat the same terms (a batch's due day, its
    completion date, the same evidence tuple for each of its late results), and
    decoding one walks it through clingo's C API attribute by attribute.
    """

    def __init__(self, facts: Facts, calendar: WorkCalendar) -> None:
        self.facts = facts
        self.calendar = calendar
        self._values: dict[clingo.Symbol, Any] = {}
        self._evidence: dict[clingo.Symbol, dict[str, Any]] = {}

    def value(self, t: clingo.Symbol) -> Any:
        try:
            return self._values[t]
        except KeyError:
            v = self._values[t] = self._value(t)
            return v

    def _value(self, t: clingo.Symbol) -> Any:
        if t.type == clingo.SymbolType.Number:
            return t.number
        if t.type == clingo.SymbolType.String:
            return t.string
        if t.name == "" and t.arguments:  # a tuple
            return [self.value(a) for a in t.arguments]
        if not t.arguments:
            return None if t.name == "none" else Code(t.name)
        name, args = t.name, t.arguments
        if name == "s":
            return self.facts.string(args[0].number)
        if name == "d":
            n = args[0].number
            return f"{n // 10000:04d}-{n // 100 % 100:02d}-{n % 100:02d}"
        if name == "wd":
            if args[0].number > self.calendar.position(dt.date.max):  # nth_workday would clamp
                raise Uncovered(dt.date.max.year + 1)
            day = self.calendar.nth_workday(args[0].number)
            if not self.calendar.covers(day.year):
                raise Uncovered(day.year)
            return day.isoformat()
        if name == "r":
            return show_ratio(self.facts.ratios.value(args[0].number))
        if name == "rec":
            return self.facts.record(args[0].number).subject
        if name == "n":
            return args[0].number
        if name == "recs":  # the subjects of records L..H (a batch's results: their objects)
            return [self.facts.record(k).subject for k in range(args[0].number, args[1].number + 1)]
        if name == "off":  # the objects of a batch's results missing channel Ch (facts.off)
            keys = self.facts.off.get((args[0].number, args[1].name), [])
            return [self.facts.record(k).subject for k in keys]
        if name == "entered_with":  # the objects of a batch's results entered with its date (facts.entered_with)
            return [self.facts.record(k).subject for k in self.facts.entered_with.get(args[0].number, [])]
        if name == "floor_mul":
            return floor_mul(args[0].number, self.facts.ratios.value(args[1].arguments[0].number))
        if name == "days":
            a, b = (dt.date.fromisoformat(self.value(x)) for x in args)
            return (b - a).days
        return str(t)

    def evidence(self, t: clingo.Symbol) -> dict[str, Any]:
        """Flatten key(value) terms (nested in tuples) into a dict (a new one: callers add to it)."""
        try:
            known = self._evidence[t]
        except KeyError:
            known = self._evidence[t] = self._flatten(t, {})
        return dict(known)

    def _flatten(self, t: clingo.Symbol, out: dict[str, Any]) -> dict[str, Any]:
        """Repeated keys make lists."""
        if t.type == clingo.SymbolType.Function and t.name == "":
            for a in t.arguments:
                self._flatten(a, out)
        elif t.type == clingo.SymbolType.Function and len(t.arguments) == 1:
            key, val = t.name, self.value(t.arguments[0])
            if key in out:
                prev = out[key]
                out[key] = [*prev, val] if isinstance(prev, list) else [prev, val]
            else:
                out[key] = val
        return out

    def field(self, t: clingo.Symbol) -> str:
        """A rule's Field: "count", a tuple ("items", 3), or none for the record itself."""
        if t.type == clingo.SymbolType.String:
            return "/" + t.string
        if t.type == clingo.SymbolType.Function and t.name == "":
            return "".join("/" + str(self.value(a)) for a in t.arguments)
        if t.type == clingo.SymbolType.Function and not t.arguments and t.name != "none":
            return "/" + t.name
        return ""
