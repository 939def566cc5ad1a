"""Bounded cost: no rule grounds over a user-sized range, and the far ends of the calendar hold.

Counted, not timed: the ground program of a task window 0001-01-01..9999-12-31
and of batches drawn in year 1 and in year 9999 has as many atoms and rules as
the same documents dated in 2021.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import clingo

from checker.api import Options, check_documents
from checker.facts import build_facts
from checker.read.inputs import RawDocument
from checker.rulebook import load_rulebook
from checker.validate import validate
from checker.workdays import weekends_only
from tests.helpers import plan

RULEBOOK = load_rulebook()
WEEKENDS = weekends_only()


def _bundle(window: tuple[str, str], first_draw: str, last_draw: str, done: str) -> list[dict[str, Any]]:
    p = plan()
    p["tasks"][0]["window"] = {"start": window[0], "end": window[1]}
    batches = [
        {"kind": "batch", "id": bid, "task": "T1", "scheme_entered_on": drawn,
         "draw": {"method": "platform_lottery", "drawn_on": drawn}, "selected": ["o1", "o2"],
         "inspectors": ["P1"], "started_on": done, "completed_on": done, "results_entered_on": done,
         "results": [{"object": "o1", "entered_on": done, "published": ["gsxt_sichuan"]}]}
        for bid, drawn in (("B1", first_draw), ("B2", last_draw))
    ]
    return [p, *batches]


def _ground_size(docs: list[dict[str, Any]], as_of: dt.date) -> tuple[int, int, int]:
    valid, errors = validate([RawDocument("f", f"/{i}", d) for i, d in enumerate(docs)])
    assert errors == []
    facts, fact_errors = build_facts(valid, RULEBOOK, WEEKENDS, as_of)
    assert fact_errors == []
    ctl = clingo.Control(["--warn=none"])
    for program in RULEBOOK.programs():
        ctl.load(str(program))
    ctl.add("base", [], facts.program())
    ctl.ground([("base", [])])
    ctl.solve()
    lp = ctl.statistics["problem"]["lp"]
    return len(facts.lines), int(lp["atoms"]), int(lp["rules"])


def test_a_window_over_the_whole_calendar_grounds_like_one_year() -> None:
    # the same shape both times: one batch before the policy (out of scope), one in the plan year
    near = _ground_size(_bundle(("2019-01-01", "2021-12-31"), "2019-01-01", "2021-12-29", "2021-12-31"),
                        dt.date(2021, 12, 31))
    far = _ground_size(_bundle(("0001-01-01", "9999-12-31"), "0001-01-01", "9999-12-29", "9999-12-31"),
                       dt.date(9999, 12, 31))
    assert far == near, (far, near)


def test_a_deadline_past_9999_12_31_is_not_shown_as_9999_12_31() -> None:
    # 5 working days after Thursday 9999-12-30 lie past the last date; the due date was clamped to
    # 9999-12-31 and shown as if it were the deadline.
    docs = _bundle(("9999-01-01", "9999-10-31"), "9999-12-30", "9999-12-30", "9999-12-31")
    for batch in docs[1:]:
        del batch["started_on"]
    report = check_documents([RawDocument("f", f"/{i}", d) for i, d in enumerate(docs)],
                             Options(as_of=dt.date(9999, 12, 31), calendar=WEEKENDS, lang="en"))
    starts = [f for f in report.findings if f.rule == "start-within-5-workdays"]
    assert starts and all(f.status == "not_evaluated" and "after 9999-12-31" in f.reason for f in starts)
    assert all(f.due != "9999-12-31" for f in report.findings if f.status == "pending")


def test_the_calendar_ends_are_exact() -> None:
    assert WEEKENDS.nth_workday(WEEKENDS.position(dt.date.max)) == dt.date(9999, 12, 31)
    assert WEEKENDS.nth_workday(1) == dt.date(1, 1, 1)
    try:
        WEEKENDS.nth_workday(WEEKENDS.position(dt.date.max) + 1)
    except ValueError as exc:
        assert "after 9999-12-31" in str(exc)
    else:
        raise AssertionError("a working day past 9999-12-31 was given a date")
