"""Options.context: documents read to inform the rules, never reported on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from checker.api import Options, check

SAMPLE = Path("fixtures/sample")
BATCH = str(SAMPLE / "batches" / "B2021-14.yaml")
CONTEXT = (str(SAMPLE / "plans"), str(SAMPLE / "adjustments.yaml"))
AS_OF = dt.date(2021, 12, 31)


def _found(report: object) -> set[tuple[str, str, str, str]]:
    return {(f.status, f.rule, f.document, f.subject) for f in report.findings}  # type: ignore[attr-defined]


def test_a_check_with_context_is_the_whole_check_told_of_its_own_files() -> None:
    alone = check([BATCH], Options(as_of=AS_OF, list_satisfied=True))
    told = check([BATCH], Options(as_of=AS_OF, list_satisfied=True, context=CONTEXT))
    whole = check([BATCH, *CONTEXT], Options(as_of=AS_OF, list_satisfied=True))
    # the plan and the adjustment trace the batch: rules not evaluated alone are judged with the context
    assert ("not_evaluated", "batch-traced-to-plan", "B2021-14", "B2021-14") in _found(alone)
    assert ("batch-traced-to-plan", "B2021-14", "B2021-14") in told.satisfied
    # ... exactly as the check of everything judges the batch, and nothing of the context is reported:
    # the sample's adjustment adj-2021-02, not filed with the justice department, is no finding here
    assert _found(told) == {f for f in _found(whole) if f[2] == "B2021-14"}
    assert ("violation", "adjustment-filed-with-justice", "adj-2021-02", "adj-2021-02") in _found(whole)
    assert told.satisfied == [s for s in whole.satisfied if s[1] == "B2021-14"]
    assert {f.file for f in told.findings} == {BATCH} and not told.input_errors
    assert told.documents == 1 and [o for o in told.obligations if o.document != "B2021-14"] == []
    assert {t.rule: t.satisfied for t in told.tallies if t.satisfied} == \
        {r: sum(1 for s in told.satisfied if s[0] == r) for r, _, _ in told.satisfied}
    # the report names the context's files apart from its own
    assert [(i["file"], i.get("context", False)) for i in told.inputs] == [
        ("fixtures/sample/adjustments.yaml", True), (BATCH, False),
        ("fixtures/sample/plans/conference-2021.yaml", True), ("fixtures/sample/plans/departments-2021.yaml", True)]
    # without context, a report says nothing of it
    assert all("context" not in i for i in alone.inputs)


def test_the_own_copy_of_a_document_is_checked_and_the_contexts_is_left_out(tmp_path: Path) -> None:
    own = tmp_path / "adjustments.yaml"  # the department's version: adj-2021-02 now filed
    own.write_text((SAMPLE / "adjustments.yaml").read_text("utf-8").replace(
        "  filed_with_conference_on: '2021-08-02'\n",
        "  filed_with_conference_on: '2021-08-02'\n  filed_with_justice_on: '2021-08-02'\n"), "utf-8")
    copy = tmp_path / "other" / "plans"  # another submission holding the same plans twice over
    copy.mkdir(parents=True)
    for p in (SAMPLE / "plans").glob("*.yaml"):
        (copy / p.name).write_bytes(p.read_bytes())
    report = check([str(own)], Options(as_of=AS_OF, context=(*CONTEXT, str(copy))))
    assert not report.input_errors  # no duplicate ids: the context's adjustments and second plans are not read
    assert report.documents == 2
    assert ("violation", "adjustment-filed-with-justice", "adj-2021-02", "adj-2021-02") not in _found(report)
    assert {f.file for f in report.findings} == {str(own)}


def test_a_context_document_the_facts_refuse_changes_neither_count_nor_errors(tmp_path: Path) -> None:
    late = tmp_path / "late.yaml"  # another batch, in a year no working-day calendar covers (R25)
    late.write_text((SAMPLE / "batches" / "B2021-01.yaml").read_text("utf-8").replace("2021-", "2035-"), "utf-8")
    whole = check([BATCH, str(late)], Options(as_of=AS_OF))
    assert whole.documents == 1 and any("2035" in e.message for e in whole.input_errors)
    told = check([BATCH], Options(as_of=AS_OF, context=(str(late),)))
    assert told.documents == 1 and not told.input_errors
