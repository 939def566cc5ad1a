"""Validation: duplicate ids are refused whole, whatever the order they come in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from checker.api import Options, check
from checker.read.inputs import RawDocument
from checker.validate import validate
from tests.helpers import plan, write

OPTIONS = Options(as_of=dt.date(2020, 12, 1))


def _batch(draw_method: str) -> dict[str, object]:
    return {"kind": "batch", "id": "B1", "task": "T1", "draw": {"method": draw_method}, "inspectors": ["P1"]}


def _outcome(tmp_path: Path, docs: list[object]) -> tuple[set[tuple[str, str, str]], set[tuple[str, str]]]:
    report = check([write(tmp_path, "docs.json", docs)], OPTIONS)
    return ({(f.status, f.rule, f.subject) for f in report.findings},
            {(e.path, e.message.split(",")[0]) for e in report.input_errors})


def test_a_document_id_given_twice_refuses_every_copy_in_any_order(tmp_path: Path) -> None:
    # Keeping the first copy made the verdict on B1 depend on which copy came first.
    docs = [plan(), _batch("platform_lottery"), _batch("manual")]
    one = _outcome(tmp_path, docs)
    two = _outcome(tmp_path, [docs[0], docs[2], docs[1]])
    assert one[0] == two[0]
    assert not any(subject == "B1" for _, _, subject in one[0])
    assert one[1] == {("/1/id", "duplicate batch id 'B1'"), ("/2/id", "duplicate batch id 'B1'")}
    assert {p for p, _ in two[1]} == {"/1/id", "/2/id"}


def test_a_task_id_in_two_plans_refuses_both_plans(tmp_path: Path) -> None:
    docs = [plan(plan_id="p1", count=51), plan(plan_id="p2", count=10)]
    one = _outcome(tmp_path, docs)
    two = _outcome(tmp_path, list(reversed(docs)))
    assert one[0] == two[0] == set()
    assert one[1] == {("/0/tasks/0/id", "duplicate task id 'T1'"), ("/1/tasks/0/id", "duplicate task id 'T1'")}


def test_each_duplicate_names_the_others() -> None:
    raws = [RawDocument(f"f{i}.json", "", {"kind": "work_norm", "id": "W", "department": "d", "covers": []})
            for i in range(5)]
    valid, errors = validate(raws)
    assert valid == [] and len(errors) == 5
    assert errors[0].message == ("duplicate work_norm id 'W', also given in f1.json#/id, f2.json#/id, "
                                 "f3.json#/id and 1 more; none of these documents is checked")


def test_a_kind_that_is_a_list_or_mapping_is_an_unknown_kind() -> None:
    # {"kind": []} raised TypeError (unhashable) when looked up among the kinds.
    raws = [RawDocument("f.json", f"/{i}", {"kind": kind, "id": "X"}) for i, kind in enumerate([[], {"a": 1}, 5])]
    valid, errors = validate(raws)
    assert valid == [] and [(e.path, e.message.split(";")[0]) for e in errors] == [
        ("/0/kind", "unknown kind []"), ("/1/kind", "unknown kind {'a': 1}"), ("/2/kind", "unknown kind 5")]
