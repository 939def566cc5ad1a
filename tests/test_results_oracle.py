"""The result rules judged per batch (runs, gaps, group deadlines) against a plain reading.

4.3-results no longer looks at every result: it compares runs of keys, finds the
unpublished results as gaps between runs of published ones, and decides the
entry deadline once per batch (epilogue: *many records at once*). Here random
batches (results on any channels, some with their own entry dates, withheld or
repeated; selected lists with objects missing or extra) are checked, and each
rule's findings and satisfied records are compared with what the clause says,
computed result by result in Python. Counts are checked too: satisfied
records listed and counted agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.api import Options, check_documents
from checker.read.inputs import RawDocument

CHANNELS = ["gsxt_sichuan", "creditchina_sichuan", "other_site"]
BOTH = {"gsxt_sichuan", "creditchina_sichuan"}
COMPLETED = "2021-03-01"  # Monday; the 20th working day after it is 2021-03-29
DUE = "2021-03-29"
OBJECTS = [f"o{i}" for i in range(8)]


@st.composite
def batches(draw: st.DrawFn) -> dict[str, Any]:
    results = []
    for obj in draw(st.lists(st.sampled_from(OBJECTS), min_size=1, max_size=12)):
        r: dict[str, Any] = {"object": obj, "outcome": "未发现问题"}
        published = draw(st.one_of(st.none(), st.lists(st.sampled_from(CHANNELS), max_size=3, unique=True)))
        if published is not None:
            r["published"] = published
        if draw(st.integers(0, 4)) == 0:
            r["entered_on"] = draw(st.sampled_from(["2021-03-10", DUE, "2021-03-30"]))
        if draw(st.integers(0, 6)) == 0:
            r["nondisclosure"] = {"reason": "涉密", "approved_by": "张三", "approver_role": "principal_head",
                                  "archived": True}
        results.append(r)
    batch: dict[str, Any] = {"kind": "batch", "id": "B1", "year": 2021, "completed_on": COMPLETED,
                             "results": results}
    entered = draw(st.sampled_from([None, "2021-03-10", "2021-03-30"]))
    if entered:
        batch["results_entered_on"] = entered
    if draw(st.booleans()):
        batch["selected"] = draw(st.lists(st.sampled_from(OBJECTS), min_size=1, max_size=8, unique=True))
    else:
        batch["selected_count"] = draw(st.integers(0, 9))
    return batch


def _expected(batch: dict[str, Any], as_of: str) -> dict[str, dict[str, set[str]]]:
    """Per rule: the subjects violated, pending and satisfied, read off the clause."""
    out: dict[str, dict[str, set[str]]] = {}

    def put(rule: str, status: str, subject: str) -> None:
        out.setdefault(rule, {"violation": set(), "pending": set(), "satisfied": set()})[status].add(subject)

    overdue = as_of > DUE
    shared = batch.get("results_entered_on")  # one fact for the results without their own date (R22)
    for r in batch["results"]:
        obj = r["object"]
        if r.get("entered_on"):
            put("results-entered-within-20-workdays", "violation" if r["entered_on"] > DUE else "satisfied", obj)
        elif shared and shared <= DUE:
            put("results-entered-within-20-workdays", "satisfied", obj)
        else:  # late or not entered: one finding on the batch
            put("results-entered-within-20-workdays",
                "violation" if shared or overdue else "pending", "B1")
        on_both = BOTH <= set(r.get("published") or ())
        if "nondisclosure" not in r:
            if on_both:
                put("results-published-on-both-channels", "satisfied", obj)
            else:  # missing a channel: one finding on the batch per channel (R22)
                put("results-published-on-both-channels", "violation" if overdue else "pending", "B1")
    have = {r["object"] for r in batch["results"]}
    if "selected" in batch:
        short = bool(set(batch["selected"]) - have)
    else:
        short = len(have) < batch["selected_count"]
    put("all-selected-results-entered", ("violation" if overdue else "pending") if short else "satisfied", "B1")
    return out


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(batch=batches(), as_of=st.sampled_from(["2021-03-15", DUE, "2021-12-31"]))
def test_result_rules_read_as_the_clause_says(batch: dict[str, Any], as_of: str) -> None:
    report = check_documents([RawDocument("b.json", "", batch)],
                             Options(as_of=dt.date.fromisoformat(as_of), list_satisfied=True))
    assert report.input_errors == []
    tallies = {t.rule: t for t in report.tallies}
    for rule, want in _expected(batch, as_of).items():
        got = {"violation": {f.subject for f in report.of("violation") if f.rule == rule},
               "pending": {f.subject for f in report.of("pending") if f.rule == rule},
               "satisfied": {s for r, _, s in report.satisfied if r == rule}}
        # A subject (object) given by two results may be in two states; compare the states each reaches.
        for status in want:
            assert got[status] == want[status], (rule, status, batch)
        listed = sum(1 for r, _, _ in report.satisfied if r == rule)
        assert tallies[rule].satisfied == listed, rule
