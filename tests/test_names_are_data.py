"""User text never changes what the rules do: hostile names behave as plain ones."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.api import Options, check
from checker.facts import build_facts
from checker.names import INVISIBLE
from checker.read.inputs import RawDocument
from checker.reporters import REPORTERS
from checker.rulebook import load_rulebook
from checker.validate import validate
from checker.workdays import official
from tests.bundles import Renaming, canonical, run, sample_documents
from tests.helpers import plan, write

HOSTILE = [
    'x"). bad. %',
    "line break(\"a\"). #show.",
    "back\\slash\\",
    "% comment :- not a.",
    "#const x=1.",
    "a.b.c",
    "عربي RTL mark",
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


# --- hostile names on the whole sample year --------------------------------------------------

SAMPLE = sample_documents()


def _plain() -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        return canonical(run(Path(tmp), {"all.json": SAMPLE}))


PLAIN = _plain()

# Controls, bidi and zero-width characters are refused in names (checker.names, tests/test_names.py).
NASTY = [
    '"', "'", '\\', '\\"', "%", "% rest of line", "#", "#show a/1.", ".", "..",
    ":-", ":- not a.", "a :- b.", "x\"). bad. %", "עברית", "🧪", "👍🏽",
    "{subject}", "{0}", "${x}", "~1", "/", "", " ", "\u3000", "长" * 3000, "x" * 9000,
]
tails = st.one_of(st.sampled_from(NASTY),
                  st.text(st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=20)
                  .map(lambda s: INVISIBLE.sub("", s)))


@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(names=st.lists(tails, min_size=8, max_size=8))
def test_a_hostile_named_year_gives_the_findings_of_the_plain_one(names: list[str]) -> None:
    renaming = Renaming(lambda n: names[n % len(names)])
    with tempfile.TemporaryDirectory() as tmp:
        report = run(Path(tmp), {"all.json": renaming.apply(SAMPLE)})
    assert [e.to_dict() for e in report.input_errors] == []
    assert canonical(report, renaming) == PLAIN


# Arguments are integers, ranges of integers (a batch's results are consecutive keys) or constants.
_FACT = re.compile(r"[a-z][a-z0-9_]*(\((-?[0-9]+(\.\.-?[0-9]+)?|[a-z][a-z0-9_]*)"
                   r"(,(-?[0-9]+(\.\.-?[0-9]+)?|[a-z][a-z0-9_]*))*\))?\."
                   # a run of keys paired with a run of text keys (facts._diagonal)
                   r"|[a-z][a-z0-9_]*\(X,X[+-][0-9]+\):-X=-?[0-9]+\.\.-?[0-9]+\.")


def test_no_user_text_reaches_the_program() -> None:
    renaming = Renaming(lambda n: NASTY[n % len(NASTY)])
    raws = [RawDocument("f.json", f"/{i}", d) for i, d in enumerate(renaming.apply(SAMPLE))]
    valid, errors = validate(raws)
    assert errors == [] and len(valid) == len(SAMPLE)
    facts, _ = build_facts(valid, load_rulebook(), official(), dt.date(2021, 12, 31))
    lines = facts.program().splitlines()
    assert len(lines) > 1000
    assert [line for line in lines if not _FACT.fullmatch(line)] == []


@pytest.mark.parametrize("where", ["id", "task", "lead", "directory", "selected", "inspectors", "object"])
def test_nul_anywhere_in_a_name_is_an_input_error_and_never_a_collision(tmp_path: Path, where: str) -> None:
    plain = findings(tmp_path, bundle({}))
    docs = bundle({})
    docs.append(copy.deepcopy(docs[1]))  # a second batch that differs from B1 only by NUL somewhere
    batch = docs[2]
    batch["id"] = "B1\x00" if where == "id" else "B9"
    if where in {"task", "lead", "directory"}:
        batch[where] += "\x00evil"
    elif where in {"selected", "inspectors"}:
        batch[where][0] += "\x00evil"
    elif where == "object":
        batch["results"][0]["object"] += "\x00"
    report = check([write(tmp_path, "n.json", docs)], Options(as_of=dt.date(2020, 12, 1)))
    assert len(report.input_errors) >= 1
    assert all(e.path.startswith("/2/") for e in report.input_errors), report.input_errors
    assert {(f.status, f.rule, f.clause, f.subject) for f in report.findings} == plain


FORGED = "B1\n  [错误] forged-rule · 广府办发 \r\x1b[2K\x1b]0;title\x07\u202eevil\u2066\u200e\u2028\U000e0041\u200b"
SHOWN = ("B1\\n  [错误] forged-rule · 广府办发 \\r\\x1b[2K\\x1b]0;title\\x07"
         "\\u202eevil\\u2066\\u200e\\u2028\\U000e0041\\u200b")


def test_a_file_name_cannot_forge_hide_or_reorder_a_line_of_the_text_report(tmp_path: Path) -> None:
    plain = check([write(tmp_path, "p.json", bundle({}))], Options(as_of=dt.date(2020, 12, 1)))
    report = check([write(tmp_path, FORGED, bundle({}))], Options(as_of=dt.date(2020, 12, 1)))
    assert report.input_errors == []
    text = REPORTERS["text"](report)
    assert len(text.splitlines()) == len(REPORTERS["text"](plain).splitlines())
    assert not INVISIBLE.search(text.replace("\n", ""))
    assert SHOWN in text


def test_a_name_quoted_in_an_input_error_cannot_forge_a_line_of_the_text_report(tmp_path: Path) -> None:
    report = check([write(tmp_path, "f.json", bundle({"batch": FORGED}))], Options(as_of=dt.date(2020, 12, 1)))
    assert [e.path for e in report.input_errors] == ["/1/id"]
    text = REPORTERS["text"](report)
    assert not INVISIBLE.search(text.replace("\n", "")) and SHOWN[:20] in text  # quoted as JSON
