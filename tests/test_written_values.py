"""A value outside a fixed vocabulary (a platform, a draw method) is judged as `other`, and the
finding quotes it as written: the reviewer sees which system was named, not the word "other"."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.api import Options, check_documents
from checker.read.inputs import RawDocument
from tests.helpers import plan

AS_OF = Options(as_of=dt.date(2020, 12, 1))


def _batch(platform: str, method: str) -> dict:
    return {"kind": "batch", "id": "B1", "year": 2020, "task": "T1", "platform": platform,
            "draw": {"method": method, "drawn_on": "2020-03-02"}}


def _finding(docs: list[dict], rule: str):
    report = check_documents([RawDocument("in.json", f"/{i}", d) for i, d in enumerate(docs)], AS_OF)
    found = [f for f in report.findings if f.rule == rule and f.status == "violation"]
    assert len(found) == 1, [(f.rule, f.status) for f in report.findings]
    return found[0]


@pytest.mark.parametrize("name", ["市局自建监管系统", 'x"). bad. %', "other", "Provincial"])
def test_a_platform_of_its_own_is_quoted(name: str) -> None:
    f = _finding([plan(), _batch(name, "platform_lottery")], "batch-on-provincial-platform")
    assert f.subject == "B1" and f.clause == "3.1.1"
    assert f.evidence == {"platform": name} and name in f.message
    p = dict(plan(), platform=name)
    g = _finding([p], "plan-on-provincial-platform")
    assert g.subject == "plan-2020" and g.evidence == {"platform": name} and name in g.message


def test_a_draw_method_other_than_the_lottery_is_quoted() -> None:
    f = _finding([plan(), _batch("provincial", "人工指定")], "draw-by-platform-lottery")
    assert f.subject == "B1" and f.clause == "4.1.1" and f.evidence == {"method": "人工指定"}
    assert "人工指定" in f.message and f.path == "/1/draw/method"


def test_a_platform_not_stated_is_shown_as_none() -> None:
    batch = _batch("provincial", "platform_lottery")
    del batch["platform"]
    f = _finding([plan(), batch], "batch-on-provincial-platform")
    assert f.evidence == {"platform": None} and "未填写" in f.message
