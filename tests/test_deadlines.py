"""`dsr-check deadlines`: every obligation with due date and status, as a table and as iCalendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from typer.testing import CliRunner

from checker.api import Options, check
from checker.cli import app
from checker.names import INVISIBLE
from checker.obligations import Obligation, fold, ics_text, table
from tests.helpers import plan, write

SAMPLE = str(Path(__file__).resolve().parent.parent / "fixtures" / "sample")
runner = CliRunner()


def test_a_submitted_plan_is_met_and_a_late_one_late() -> None:
    report = check([SAMPLE], Options(as_of=dt.date(2021, 6, 30)))
    plans = {o.document: o for o in report.obligations if o.rule == "department-plan-submitted"}
    assert (plans["plan-sc-2021"].status, plans["plan-sc-2021"].due, plans["plan-sc-2021"].done) == \
        ("met", "2020-12-31", "2020-12-28")
    assert (plans["plan-ny-2021"].status, plans["plan-ny-2021"].done) == ("late", "2021-01-06")


def test_obligations_not_yet_due_are_pending_and_agree_with_the_check(tmp_path: Path) -> None:
    doc = plan()
    doc["submitted_on"] = None
    f = write(tmp_path, "plan.json", doc)
    early = check([f], Options(as_of=dt.date(2019, 12, 1)))
    [o] = [o for o in early.obligations if o.rule == "department-plan-submitted"]
    assert (o.status, o.due, o.done) == ("pending", "2019-12-31", None)
    assert [p.rule for p in early.of("pending")] == ["department-plan-submitted"]
    late = check([f], Options(as_of=dt.date(2020, 1, 2)))
    assert [o.status for o in late.obligations if o.rule == "department-plan-submitted"] == ["late"]


def test_a_member_report_never_filed_is_pending_then_late() -> None:
    early = check([SAMPLE], Options(as_of=dt.date(2021, 9, 1)))
    late = check([SAMPLE], Options(as_of=dt.date(2021, 12, 31)))
    for report, status in ((early, "pending"), (late, "late")):
        owed = [o for o in report.obligations if o.rule == "every-member-reports-quarterly"
                and o.evidence["quarter"] == 3]
        assert [(o.status, o.due, o.evidence["member"]) for o in owed] == [(status, "2021-09-30", "市教育局")]
    [v] = [v for v in late.of("violation") if v.rule == "every-member-reports-quarterly"]
    assert v.evidence == {"due": "2021-09-30", "done": None, "member": "市教育局", "year": 2021, "quarter": 3}


def test_the_ics_file_parses_and_holds_every_dated_obligation(tmp_path: Path) -> None:
    out = tmp_path / "deadlines.ics"
    result = runner.invoke(app, ["deadlines", SAMPLE, "--as-of", "2021-06-30", "--ics", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    report = check([SAMPLE], Options(as_of=dt.date(2021, 6, 30)))
    assert len(events) == len([o for o in report.obligations if o.due])
    assert len({str(e["UID"]) for e in events}) == len(events)
    late = next(e for e in events if "plan-ny-2021" in str(e["SUMMARY"]))
    assert late.decoded("DTSTART") == dt.date(2020, 12, 31) and "逾期" in str(late["SUMMARY"])
    assert "报送日期：2021-01-06" in str(late["DESCRIPTION"])
    table = result.stdout.splitlines()
    assert table[0].split("\t")[:2] == ["期限", "状态"] and len(table) == len(events) + 1


def test_ics_text_is_escaped_and_folded_on_character_boundaries() -> None:
    assert ics_text("a;b,c\\d\ne\x01") == "a\\;b\\,c\\\\d\\ne"
    line = "SUMMARY:" + "检查" * 40
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert "".join(parts) == line
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    parsed = icalendar.Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20200101T000000Z\r\n"
        + fold("SUMMARY:" + ics_text("检;查,\\" * 30)) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert str(next(iter(parsed.walk("VEVENT")))["SUMMARY"]) == "检;查,\\" * 30


OSC8 = "\x1b]8;;mailto:a@evil.example\x07click\x1b]8;;\x07"  # no / in a file name


def test_nothing_from_the_inputs_reaches_the_terminal_raw(tmp_path: Path) -> None:
    """An id holding ESC ]0;…BEL ESC [2J retitled the window and cleared the screen; a file name's
    OSC 8 hyperlink reached stderr. The id is refused now; the file name is shown escaped."""
    doc = plan(plan_id="p\x1b]0;owned\x07\x1b[2J\t2020-01-01\tmet\n\u202eevil")
    f = write(tmp_path, f"{OSC8}.json", [doc, plan(plan_id="p2", task_id="T2")])
    result = runner.invoke(app, ["deadlines", f, "--as-of", "2020-12-01"])
    assert result.exit_code == 2
    for stream in (result.stdout, result.stderr):
        assert not INVISIBLE.search(stream.replace("\n", "").replace("\t", "")), stream
    assert "\\x1b]8;;mailto:a@evil.example\\x07click" in result.stderr
    assert len(result.stdout.splitlines()) == 1 + len({line for line in result.stdout.splitlines()[1:]})


def test_every_cell_of_the_deadlines_table_is_made_visible() -> None:
    o = Obligation(rule="r", clause="1", title="t", quote="q", document="d\t1", subject="s\n\u202e2", file="f",
                   path="", due="2020-01-01", done=None, status="met", evidence={"member": "m\x1b[2J"})
    lines = table([o], "en").splitlines()
    assert len(lines) == 2 and lines[1].count("\t") == 6
    assert "d\\t1/s\\n\\u202e2" in lines[1] and "member=m\\x1b[2J" in lines[1]
