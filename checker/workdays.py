"""Working days (R2, R3): exact positions of dates in a working-day calendar.

A working day is Monday–Friday, minus statutory holidays, plus make-up working
days, as the State Council announces each year. `position(d)` is the number of
working days from 0001-01-01 up to and including d, computed in O(log n) from
weekday arithmetic and the sorted exceptions, so a date in year 9999 costs no
more than one next week. The rules compare positions; they never count days.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.dates import read_date
from checker.errors import InputError, coded
from checker.messages import msg
from checker.read.discover import read_bounded, text_syntax_of
from checker.read.inputs import Limits
from checker.read.parse import parse_value

_YEAR = re.compile(r"[0-9]{4}")


def _weekdays_upto(ordinal: int) -> int:
    """Mondays–Fridays in [0001-01-01, the day with this ordinal]; 0001-01-01 is a Monday."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


@dataclass(frozen=True)
class WorkCalendar:
    """A working-day calendar: which years it knows, and its exceptions to Mon–Fri."""

    source: str
    years: frozenset[int] | None  # None: every year (weekends-only counting)
    holidays: tuple[int, ...] = ()  # ordinals of weekday holidays
    makeup_days: tuple[int, ...] = ()  # ordinals of weekend make-up working days
    digest: str = field(default="")

    def covers(self, year: int) -> bool:
        return self.years is None or year in self.years

    def is_workday(self, day: dt.date) -> bool:
        o = day.toordinal()
        i = bisect.bisect_left(self.holidays, o)
        if i < len(self.holidays) and self.holidays[i] == o:
            return False
        j = bisect.bisect_left(self.makeup_days, o)
        if j < len(self.makeup_days) and self.makeup_days[j] == o:
            return True
        return day.weekday() < 5

    def position(self, day: dt.date) -> int:
        """Working days up to and including `day` (from 0001-01-01)."""
        o = day.toordinal()
        return (
            _weekdays_upto(o)
            - bisect.bisect_right(self.holidays, o)
            + bisect.bisect_right(self.makeup_days, o)
        )

    def before(self, day: dt.date) -> int:
        """Working days strictly before `day`."""
        return self.position(day) - (1 if self.is_workday(day) else 0)

    def nth_workday(self, k: int) -> dt.date:
        """The date of the k-th working day (the inverse of `position`).

        Raises ValueError when that day would fall after 9999-12-31.
        """
        if k > self.position(dt.date.max):
            raise ValueError(f"working day {k} falls after {dt.date.max.isoformat()}")
        lo, hi = 1, dt.date.max.toordinal()
        while lo < hi:
            mid = (lo + hi) // 2
            if self.position(dt.date.fromordinal(mid)) >= k:
                hi = mid
            else:
                lo = mid + 1
        return dt.date.fromordinal(lo)

    def describe(self, used: set[int]) -> dict[str, Any]:
        """The calendar as the report names it: its source and the years this run used."""
        out: dict[str, Any] = {"source": self.source, "years": sorted(used)}
        if self.years is not None:
            out["covers"] = f"{min(self.years)}–{max(self.years)}"
        if self.digest:
            out["sha256"] = self.digest
        return out


def weekends_only() -> WorkCalendar:
    """Monday–Friday counting, for any year, chosen explicitly (R3)."""
    return WorkCalendar(source="weekends-only (Monday–Friday, no holidays)", years=None)


def official(overrides: dict[int, tuple[set[dt.date], set[dt.date]]] | None = None,
             override_source: str = "") -> WorkCalendar:
    """The State Council schedules from chinesecalendar, with years overridden or added."""
    import chinese_calendar
    from chinese_calendar import constants

    known: dict[int, tuple[set[dt.date], set[dt.date]]] = {}
    for day in constants.holidays:
        known.setdefault(day.year, (set(), set()))[0].add(day)
    for day in constants.workdays:
        known.setdefault(day.year, (set(), set()))[1].add(day)
    first, last = min(known), max(d.year for d in constants.holidays)
    for year in range(first, last + 1):
        known.setdefault(year, (set(), set()))
    version = getattr(chinese_calendar, "__version__", "?")
    source = f"chinesecalendar {version} (State Council schedules {first}–{last})"
    for year, pair in (overrides or {}).items():
        known[year] = pair
    if overrides:
        source += f"; {override_source} for {', '.join(str(y) for y in sorted(overrides))}"
    holidays = sorted(d.toordinal() for h, _ in known.values() for d in h if d.weekday() < 5)
    makeup = sorted(d.toordinal() for _, w in known.values() for d in w if d.weekday() >= 5)
    return WorkCalendar(source=source, years=frozenset(known), holidays=tuple(holidays),
                        makeup_days=tuple(makeup))


def from_file(path: str, limits: Limits | None = None) -> tuple[WorkCalendar | None, list[InputError]]:
    """Read a calendar file and lay it over the official schedules.

    The file (YAML or JSON) names its source and, per year, the holidays and
    the make-up working days:
        source: 国务院办公厅关于2027年部分节假日安排的通知
        years:
          2027: {holidays: [2027-01-01, ...], workdays: [2027-02-07, ...]}
    """
    p = Path(path)
    limits = limits or Limits()
    if not p.is_file():
        return None, [coded(path, "", msg("calendar.missing"))]
    data, error = read_bounded(p, limits.max_file_bytes)
    if error:
        return None, [error]
    value, error = parse_value(path, data, text_syntax_of(p), limits)
    if error:
        return None, [error]
    errors: list[InputError] = []
    if not isinstance(value, dict) or not isinstance(value.get("years"), dict):
        return None, [coded(path, "", msg("calendar.shape"))]
    source = value.get("source")
    if not isinstance(source, str) or not source.strip():
        errors.append(coded(path, "/source", msg("calendar.source")))
    overrides: dict[int, tuple[set[dt.date], set[dt.date]]] = {}
    for key, spec in value["years"].items():
        where = f"/years/{key}"
        if not _YEAR.fullmatch(str(key)) or int(key) == 0:
            errors.append(coded(path, where, msg("calendar.year")))
            continue
        year = int(key)
        if not isinstance(spec, dict) or set(spec) - {"holidays", "workdays"}:
            errors.append(coded(path, where, msg("calendar.year_shape")))
            continue
        sets: list[set[dt.date]] = []
        for part in ("holidays", "workdays"):
            days: set[dt.date] = set()
            listed = spec.get(part) or []
            if not isinstance(listed, list):
                errors.append(coded(path, f"{where}/{part}", msg("calendar.dates")))
                listed = []
            for i, text in enumerate(listed):
                day = read_date(text)  # not 2027-W01-1, not the YAML integer 20270101
                if day is None or day.year != year:
                    errors.append(coded(path, f"{where}/{part}/{i}", msg("calendar.date", year=year, value=text)))
                else:
                    days.add(day)
            sets.append(days)
        overrides[year] = (sets[0], sets[1])
    if errors:
        return None, errors
    calendar = official(overrides, str(source))
    digest = hashlib.sha256(data).hexdigest()
    return WorkCalendar(calendar.source, calendar.years, calendar.holidays, calendar.makeup_days, digest), []
