"""User text never changes what the rules do: hostile names behave as plain ones."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from checker.api import Options, check
from tests.helpers import plan, write

import datetime as dt

HOSTILE = [
    'x"). bad. %',
    "line\nbreak(\"a\"). #show.",
    "back\\slash\\",
    "% comment :- not a.",
    "#const x=1.",
    "a.b.c",
    "\u202eRTL\u202c mark",
    "emoji 🧪🏛️",
    "长" * 2000,
    "  市市场监管局  ",
]


def bundle(names: dict[str, str]) -> list[dict[str, Any]]:
    """A plan over its cap, a batch with a missing result, under the given names."""
    n = names.get
    p = plan(count=51, lead=n("lead", "市市场监管局"), task_id=n("task", "T1"), plan_id=n("plan", "plan-2020"))
    p["tasks"][0]["participants"] = [n("participant", "市卫生健康委")]
    batch = {
        "kind": "batch", "id": n("batch", "B1"), "task": n("task", "T1"), "year": 2020,
        "lead": n("lead", "市市场监管局"), "platform": "provincial",
        "scheme_entered_on": "2020-03-01",
        "draw": {"method": "platform_lottery", "drawn_on": "2020-03-02", "witnesses": [n("witness", "公证处")]},
        "directory": n("directory", "dir-food"), "directory_size": 1000,
        "selected": [n("o1", "o1"), n("o2", "o2")], "inspectors": [n("inspector", "P1")],
        "methods": ["on_site"], "started_on": "2020-03-12", "completed_on": "2020-03-20",
        "results": [{"object": n("o1", "o1"), "entered_on": "2020-03-25", "published": ["gsxt_sichuan"]}],
    }
    return [p, batch]


def findings(tmp: Path, docs: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    report = check([write(tmp, "bundle.json", docs)], Options(as_of=dt.date(2020, 12, 1)))
    assert report.input_errors == []
    return {(f.status, f.rule, f.clause, f.subject) for f in report.findings}


def test_hostile_names_change_nothing(tmp_path: Path) -> None:
    keys = ["lead", "task", "plan", "participant", "batch", "witness", "directory", "o1", "o2", "inspector"]
    plain = findings(tmp_path, bundle({}))
    assert plain, "the bundle must produce findings for the comparison to mean anything"
    rng = random.Random(58)
    for trial in range(3):
        names = {k: f"{rng.choice(HOSTILE)}{k}{trial}" for k in keys}
        renamed = findings(tmp_path, bundle(names))
        back = {v: k for k, v in names.items()}
        defaults = {"task": "T1", "batch": "B1", "plan": "plan-2020", "o1": "o1", "o2": "o2"}
        restored = {(s, r, c, defaults.get(back.get(subj, ""), subj)) for s, r, c, subj in renamed}
        assert restored == plain


def test_nul_in_a_name_is_an_input_error_not_a_collision(tmp_path: Path) -> None:
    docs = bundle({"task": "T1\x00evil"})
    report = check([write(tmp_path, "b.json", docs)], Options(as_of=dt.date(2020, 12, 1)))
    assert {e.path for e in report.input_errors} == {"/0/tasks/0/id", "/1/task"}


def test_department_names_compare_after_nfkc_and_trimming(tmp_path: Path) -> None:
    a = findings(tmp_path, bundle({"lead": "市市场监管局"}))
    docs = bundle({"lead": "市市场监管局"})
    docs[1]["lead"] = "  市市场监管局\u3000"  # trailing ideographic space, NFKC → space, trimmed
    report = check([write(tmp_path, "c.json", docs)], Options(as_of=dt.date(2020, 12, 1)))
    assert {(f.status, f.rule, f.clause, f.subject) for f in report.findings} == a


def test_reordering_documents_gives_the_same_findings(tmp_path: Path) -> None:
    docs = bundle({})
    one = check([write(tmp_path, "a.json", docs)], Options(as_of=dt.date(2020, 12, 1)))
    two = check([write(tmp_path, "a.json", list(reversed(docs)))], Options(as_of=dt.date(2020, 12, 1)))
    # The path and source (line) name the document's position in its file, which the reordering changes.
    def strip(r):
        rows = [{k: v for k, v in f.to_dict().items() if k not in {"path", "source"}} for f in r.findings]
        return sorted(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows)
    assert strip(one) == strip(two)
