"""Working days (R2, R3) across Spring Festival, National Day and make-up days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.read.inputs import Limits
from checker.workdays import from_file, official, weekends_only

D = dt.date.fromisoformat
OFFICIAL = official()


def nth_after(calendar, day: str, n: int) -> str:
    """The last day in time for 'within n working days after day' (R2)."""
    return calendar.nth_workday(calendar.position(D(day)) + n).isoformat()


@pytest.mark.parametrize(
    ("event", "n", "last_day"),
    [
        ("2020-03-02", 5, "2020-03-09"),  # R2's worked example: Monday → next Monday
        ("2020-01-20", 5, "2020-02-04"),  # Spring Festival 2020 (01-24..02-02 off)
        ("2020-01-18", 1, "2020-01-19"),  # Sunday 2020-01-19 is a make-up working day
        ("2020-09-30", 5, "2020-10-14"),  # National Day 2020; Saturday 10-10 is worked
        ("2020-10-01", 1, "2020-10-09"),  # the event on a holiday: not counted, nor the holiday
        ("2020-10-03", 20, "2020-11-04"),  # 10-09, Sat 10-10, then 18 more
    ],
)
def test_nth_working_day_after(event: str, n: int, last_day: str) -> None:
    assert nth_after(OFFICIAL, event, n) == last_day


def test_the_packages_find_workday_is_not_used_for_days_off() -> None:
    # chinesecalendar's find_workday(1, Sunday before a make-up Sunday) differs from R2; ours counts strictly after.
    assert nth_after(OFFICIAL, "2020-01-25", 1) == "2020-02-03"


def test_before_counts_working_days_strictly_before() -> None:
    assert OFFICIAL.before(D("2020-03-09")) == OFFICIAL.position(D("2020-03-06"))
    assert OFFICIAL.before(D("2020-03-08")) == OFFICIAL.position(D("2020-03-08"))


def test_weekends_only_ignores_holidays_and_knows_every_year() -> None:
    w = weekends_only()
    assert nth_after(w, "2020-09-30", 5) == "2020-10-07"
    assert w.covers(9999) and w.covers(1)
    assert nth_after(w, "9999-12-01", 5) == "9999-12-08"


def test_official_calendar_knows_2004_to_2026_only() -> None:
    assert OFFICIAL.covers(2004) and OFFICIAL.covers(2026)
    assert not OFFICIAL.covers(2027) and not OFFICIAL.covers(2003)


def test_a_calendar_file_adds_a_year(tmp_path: Path) -> None:
    f = tmp_path / "cal.yaml"
    f.write_text(
        "source: 国务院办公厅关于2027年部分节假日安排的通知（示例）\n"
        "years:\n  2027:\n    holidays: [2027-01-01]\n    workdays: [2027-01-02]\n",
        encoding="utf-8",
    )
    calendar, errors = from_file(str(f))
    assert errors == [] and calendar is not None
    assert calendar.covers(2027) and calendar.covers(2020)
    assert not calendar.is_workday(D("2027-01-01")) and calendar.is_workday(D("2027-01-02"))
    assert "2027" in calendar.source and calendar.digest


def test_a_bad_calendar_file_is_an_input_error(tmp_path: Path) -> None:
    f = tmp_path / "cal.yaml"
    f.write_text("years:\n  2027:\n    holidays: [2026-01-01, nope]\n", encoding="utf-8")
    calendar, errors = from_file(str(f))
    assert calendar is None
    assert [e.path for e in errors] == ["/source", "/years/2027/holidays/0", "/years/2027/holidays/1"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ("source: x\nyears:\n  2027:\n    holidays: 5\n", "/years/2027/holidays"),  # was a TypeError
        ("source: x\nyears:\n  '²': {}\n", "/years/²"),  # '²'.isdigit() is True; int('²') raised
        ("source: x\nyears:\n  '0000': {}\n", "/years/0000"),
        ("source: x\nyears:\n  2027: {holidays: {2027-01-01: x}}\n", "/years/2027/holidays"),
    ],
)
def test_a_malformed_calendar_file_is_an_input_error_not_a_traceback(tmp_path: Path, body: str, path: str) -> None:
    f = tmp_path / "cal.yaml"
    f.write_text(body, encoding="utf-8")
    calendar, errors = from_file(str(f))
    assert calendar is None and [e.path for e in errors] == [path]


def test_a_calendar_file_obeys_the_reading_limits(tmp_path: Path) -> None:
    f = tmp_path / "cal.json"
    f.write_text('{"source": "' + "x" * 100 + '", "years": {}}', encoding="utf-8")
    calendar, errors = from_file(str(f), Limits(max_string_chars=10))
    assert calendar is None and "the limit is 10" in errors[0].message
    calendar, errors = from_file(str(tmp_path / "missing.json"))
    assert calendar is None and [e.message for e in errors] == ["no such calendar file"]
