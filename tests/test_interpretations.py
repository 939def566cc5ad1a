"""The worked examples of interpretations.md, end to end, with their evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from checker.api import Options, check_documents
from checker.read.inputs import RawDocument
from checker.report import Report
from tests.helpers import plan


def run(docs: list[dict[str, Any]], as_of: str = "2021-12-31") -> Report:
    raws = [RawDocument("t.json", f"/{i}", d) for i, d in enumerate(docs)]
    report = check_documents(raws, Options(as_of=dt.date.fromisoformat(as_of)))
    assert report.input_errors == []
    return report


def violations(report: Report, rule: str) -> list:
    return [f for f in report.of("violation") if f.rule == rule]


def batch(**fields: Any) -> dict[str, Any]:
    b = {"kind": "batch", "id": "B1", "task": "T1", "year": 2020, "lead": "市市场监管局",
         "platform": "provincial", "scheme_entered_on": "2020-03-02",
         "draw": {"method": "platform_lottery", "drawn_on": "2020-03-02"},
         "directory": "dir-food", "directory_size": 1000, "selected_count": 1, "inspectors": ["P1"],
         "methods": ["on_site"]}
    b.update(fields)
    return b


def test_r1_a_deadline_day_is_in_time() -> None:
    on_time = {"kind": "progress_report", "id": "R1", "department": "市市场监管局",
               "period": "2020-Q1", "submitted_on": "2020-03-31"}
    late = dict(on_time, id="R2", submitted_on="2020-04-01")
    report = run([on_time, late])
    assert [f.subject for f in violations(report, "quarterly-report-submitted")] == ["R2"]


def test_r2_drawn_monday_starts_by_the_next_monday() -> None:
    report = run([plan(), batch(started_on="2020-03-09"), batch(id="B2", started_on="2020-03-10")])
    [late] = violations(report, "start-within-5-workdays")
    assert late.subject == "B2"
    assert late.evidence["due"] == "2020-03-09" and late.evidence["done"] == "2020-03-10"


def test_r4_exact_arithmetic_never_rounds_up() -> None:
    report = run([plan(count=50, size=1000, task_id="T1"), plan(count=50, size=999, task_id="T2", plan_id="p2")])
    [over] = violations(report, "sampling-ratio-cap")
    assert over.subject == "T2"
    assert over.evidence == {"count": 50, "directory_size": 999, "cap": "5%", "max_allowed": 49}


def test_r4_holds_past_the_32_bit_products() -> None:
    # 100,000,000 × 5 passes 2^31 if a rule ever multiplied; the ranks never do.
    report = run([plan(count=5_000_001, size=100_000_000)])
    [over] = violations(report, "sampling-ratio-cap")
    assert over.evidence["max_allowed"] == 5_000_000


def test_r5_an_exception_cap_replaces_five_percent() -> None:
    p = plan(count=100, size=1000)
    p["tasks"][0].update(ratio="10%", exception={"basis": "key_area", "cap": "10%"})
    report = run([p])
    assert not violations(report, "sampling-ratio-cap") and not violations(report, "stated-ratio-cap")
    del p["tasks"][0]["exception"]["cap"]
    assert [f.subject for f in violations(run([p]), "exception-without-cap")] == ["T1"]


def test_r11_same_day_filing_publication_and_effect_is_allowed() -> None:
    adj = {"kind": "adjustment", "id": "A1", "plan": "plan-2020", "action": "remove", "task_id": "T1",
           "filed_with_conference_on": "2020-06-01", "filed_with_justice_on": "2020-06-01",
           "published_on": "2020-06-01", "effective_on": "2020-06-01"}
    report = run([plan(), adj])
    assert not [f for f in report.of("violation") if f.document == "A1"]
    report = run([plan(), dict(adj, effective_on="2020-05-31")])
    assert [f.rule for f in report.of("violation") if f.document == "A1"] == ["adjustment-effective-after-filings"]


def test_r23_a_declared_year_its_dates_contradict_is_an_input_error_not_out_of_scope() -> None:
    said = plan(count=999)
    said["year"] = 2019  # its window and submission say 2020
    report = check_documents([RawDocument("t.json", "/0", said)], Options(as_of=dt.date(2021, 12, 31)))
    assert [(e.path, "declares year 2019" in e.message) for e in report.input_errors] == [("/0/year", True)]
    assert report.of("out_of_scope") == []
    assert [f.subject for f in violations(report, "sampling-ratio-cap")] == ["T1"]


def test_r16_records_before_the_policy_are_out_of_scope() -> None:
    old = plan(count=999)
    old["year"] = 2019
    old["submitted_on"] = "2018-12-20"
    old["tasks"][0]["window"] = {"start": "2019-03-01", "end": "2019-10-31"}  # its dates agree (R23)
    report = run([old])
    assert not report.of("violation")
    assert [f.subject for f in report.of("out_of_scope")] == ["plan-2020"]


def test_r17_a_conference_plan_covers_every_member() -> None:
    p = plan()
    p.update(level="conference", compiled_on="2020-01-20", issued_on="2020-01-25",
             published_on="2020-01-26", members=["市市场监管局", "市卫生健康委", "市教育局"])
    del p["submitted_on"], p["department"]
    [gap] = violations(run([p]), "plan-covers-every-member")
    assert gap.evidence["member"] == "市教育局"


def test_r22_a_late_batch_entry_lists_only_the_results_entered_with_the_batchs_date() -> None:
    """One finding on the batch for the results that share its late results_entered_on: their number
    and their objects, not those of a result entered on time with a date of its own."""
    both = ["gsxt_sichuan", "creditchina_sichuan"]
    late = batch(selected=["o1", "o2", "o3"], selected_count=None, completed_on="2020-03-02",
                 results_entered_on="2020-05-01",
                 results=[{"object": "o1", "entered_on": "2020-03-05", "published": both},
                          {"object": "o2", "published": both}, {"object": "o3", "published": both}])
    del late["selected_count"]
    found = violations(run([plan(), late]), "results-entered-within-20-workdays")
    assert [(f.subject, f.evidence["results"], f.evidence["objects"]) for f in found] == [("B1", 2, ["o2", "o3"])]
    together = dict(late, results=[{"object": o, "published": both} for o in ("o1", "o2", "o3")])
    found = violations(run([plan(), together]), "results-entered-within-20-workdays")
    assert [(f.subject, f.evidence["results"], f.evidence["objects"]) for f in found] == [
        ("B1", 3, ["o1", "o2", "o3"])]
