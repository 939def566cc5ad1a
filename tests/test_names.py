"""Names that look the same are the same to every rule; names that differ are never merged silently.

checker.names decides, once, what a name may hold: no character a reviewer cannot see
(controls, format characters such as zero-width and bidi marks or tag characters, line
and paragraph separators, blank fillers). Such a name is refused with an input error
naming the character; every other name is keyed as written (departments after NFKC and
trimming, which a reviewer cannot see either).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.api import Options, check
from checker.names import INVISIBLE, department, has_invisible, invisible
from checker.workdays import weekends_only
from tests.helpers import plan, write

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, database=None)
NAMES = ["市生态环境局", "市市场监管局", "市卫生健康委", "广元市", "T1", "o1"]
# Every character the decision covers, from the regex itself
HIDDEN = [chr(c) for c in range(sys.maxunicode + 1) if INVISIBLE.match(chr(c))]


def test_the_invisible_characters_are_every_control_format_and_separator_character() -> None:
    """The spelt-out ranges hold every Cc, Cf, Zl and Zp character Python's Unicode database knows."""
    wanted = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in {"Cc", "Cf", "Zl", "Zp"}}
    assert wanted <= set(HIDDEN)
    others = {c for c in HIDDEN if c not in wanted}  # the blank fillers, and Cf of later Unicode versions
    assert all(unicodedata.category(c) in {"Mn", "Lo", "Cn"} for c in others), sorted(map(ord, others))
    assert not INVISIBLE.search("市生态环境局 T1 o-1 ％ 🧪 é")


def test_the_quick_look_finds_exactly_what_the_regex_does() -> None:
    """has_invisible tries str.isprintable first: every invisible character must be one it refuses, or a filler."""
    for c in HIDDEN:
        assert has_invisible(f"市生态环境局{c}") and has_invisible(f"T{c}1"), hex(ord(c))
    for text in ("市生态环境局", "T1", "o-1", "市市场监管局\u3000", "🧪", "", "a b"):
        assert has_invisible(text) == bool(INVISIBLE.search(text))


def _joint_plan(participant: str) -> dict:
    doc = plan(lead="市生态环境局")
    doc["tasks"][0]["participants"] = [participant]
    return doc


def _run(doc: dict) -> object:
    with tempfile.TemporaryDirectory() as tmp:
        return check([write(Path(tmp), "p.json", doc)], Options(as_of=dt.date(2020, 12, 31), calendar=weekends_only()))


@SETTINGS
@given(name=st.sampled_from(NAMES), hidden=st.sampled_from(HIDDEN[1:]), at=st.integers(0, 10))  # NUL: the schema
def test_a_name_holding_an_invisible_character_is_refused_naming_it(name: str, hidden: str, at: int) -> None:
    """市生态环境局 + U+200B once satisfied joint-task-has-participant against the lead 市生态环境局."""
    at = min(at, len(name))
    report = _run(_joint_plan(name[:at] + hidden + name[at:]))
    assert [e.path for e in report.input_errors] == ["/tasks/0/participants/0"]
    assert f"U+{ord(hidden):04X}" in report.input_errors[0].message
    assert report.documents == 0  # never checked as some other name


@SETTINGS
@given(a=st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=6),
       b=st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=6))
def test_two_visible_names_are_one_department_exactly_when_they_normalise_alike(a: str, b: str) -> None:
    a, b = INVISIBLE.sub("", a).strip() or "甲", INVISIBLE.sub("", b).strip() or "乙"
    report = _run(_joint_plan(b) | {"department": a} | {"tasks": [_joint_plan(b)["tasks"][0] | {"lead": a}]})
    assert report.input_errors == []
    joint = [f for f in report.findings if f.rule == "joint-task-has-participant"]
    same = department(a) == department(b)
    assert [f.status for f in joint] == (["violation"] if same else ["satisfied"] if joint else [])


def test_width_and_trimming_are_not_differences() -> None:
    report = _run(_joint_plan(" 市生态环境局　"))
    assert [(f.rule, f.status) for f in report.findings if f.rule == "joint-task-has-participant"] == [
        ("joint-task-has-participant", "violation")]
    assert invisible("市生态环境局\u200b") == "U+200B ZERO WIDTH SPACE"
    assert invisible("市生态环境局") is None
