"""No traceback, ever: documents generated from the schemas, then broken, end in a report.

Each property runs a fixed, derandomized budget of examples, so CI is
reproducible; each example goes through the whole pipeline (read, validate,
facts, clingo, explain, render). Checked, beyond "it did not raise":
- the exit code is 0, 1 or 2, and 2 exactly when there are input errors;
- nothing is lost: every document without an input error of its own is checked;
- a document the schema accepts is never refused later (given unique ids).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker.api import Options, check
from checker.cli import app
from checker.dates import read_date
from checker.errors import pointer
from checker.read.inputs import RawDocument
from checker.reporters import REPORTERS
from checker.validate import fast_valid, schema_errors
from checker.workdays import official, weekends_only
from tests.schema_strategies import DATE_SHAPED, document, mutated, to_json

# A fixed, derandomized budget for CI; DSR_FUZZ_SCALE=20 (say) runs 20 times as many,
# with fresh randomness, when hunting locally.
SCALE = int(os.environ.get("DSR_FUZZ_SCALE", "1"))
FUZZ = settings(max_examples=150 * SCALE, deadline=None, derandomize=SCALE == 1, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CALENDARS = {"official": official(), "weekends": weekends_only()}

bundles = st.lists(st.one_of(document(), mutated(document())), min_size=1, max_size=6)
as_of = st.dates(dt.date(2019, 1, 1), dt.date(2023, 12, 31))


def _write(folder: Path, docs: list[Any], syntax: str) -> str:
    path = folder / f"docs.{syntax}"
    path.write_text(to_json(docs), encoding="utf-8")  # JSON text is YAML too
    return str(path)


def _own_errors(report: Any, index: int) -> bool:
    """Errors that stop the document being checked (not those the rules find in a checked one, R23)."""
    return any((e.path == f"/{index}" or e.path.startswith(f"/{index}/")) and not e.checked
               for e in report.input_errors)


@FUZZ
@given(docs=bundles, day=as_of, calendar=st.sampled_from(sorted(CALENDARS)),
       syntax=st.sampled_from(["json", "yaml"]), lang=st.sampled_from(["zh", "en"]))
def test_any_bundle_ends_in_a_report_through_the_library(docs: list[Any], day: dt.date, calendar: str,
                                                          syntax: str, lang: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), docs, syntax)
        report = check([path], Options(as_of=day, lang=lang, calendar=CALENDARS[calendar]))
    assert report.exit_code in {0, 1, 2}
    assert (report.exit_code == 2) == bool(report.input_errors)
    for render in REPORTERS.values():
        assert render(report)
    json.loads(REPORTERS["json"](report))
    if not any(e.path == "" for e in report.input_errors):  # the file as a whole was read
        checked = [i for i in range(len(docs)) if not _own_errors(report, i)]
        assert report.documents == len(checked), [e.to_dict() for e in report.input_errors]


@settings(FUZZ, max_examples=100 * SCALE)
@given(docs=bundles, day=as_of, weekends=st.booleans(), fmt=st.sampled_from(["json", "text"]),
       syntax=st.sampled_from(["json", "yaml"]))
def test_any_bundle_ends_in_a_report_through_the_cli(docs: list[Any], day: dt.date, weekends: bool, fmt: str,
                                                      syntax: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp), docs, syntax)
        args = ["check", path, "--as-of", day.isoformat(), "--format", fmt] + (["--weekends-only"] if weekends else [])
        result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in {0, 1, 2}
    if fmt == "json":
        report = json.loads(result.stdout)
        assert (result.exit_code == 2) == (report["summary"]["input_errors"] > 0)


@FUZZ
@given(docs=st.lists(document(), min_size=1, max_size=6), day=as_of)
def test_a_document_the_schema_accepts_is_never_refused_later(docs: list[dict[str, Any]], day: dt.date) -> None:
    for i, doc in enumerate(docs):  # unique ids: duplicates are refused by design
        doc["id"] = f"{doc['kind']}-{i}"
        for j, task in enumerate(doc.get("tasks") or ()):
            task["id"] = f"T{i}-{j}"
    # what validate() accepts: the compiled validator's yes, else the reference one's
    accepted = [d for d in docs if fast_valid(d) or not schema_errors(RawDocument("t", "", d))]
    with tempfile.TemporaryDirectory() as tmp:
        report = check([_write(Path(tmp), accepted, "json")], Options(as_of=day, calendar=weekends_only()))
    # refused, none; what the rules find between the values of a checked document (a declared year
    # its dates contradict, R23) is an input error that refuses nothing
    assert [e.to_dict() for e in report.input_errors if not e.checked] == []
    assert report.documents == len(accepted)


# --- the readers on token soup: whatever the bytes, a value or an input error -------------

YAML_TOKENS = ["!!bool ", "!!int ", "!!float ", "!!map ", "!!seq ", "!!str ", "!!null ", "!!set ", "!!omap ",
               "!!binary ", "!!merge ", "!!timestamp ", "!!python/object:os.system ", "!foo ", "!<tag:x> ",
               "&a ", "*a ", "&b ", "*b ", "<<: ", "? ", ": ", "- ", "[", "]", "{", "}", ", ", "\n", "\n  ",
               "\n    ", "'", '"', "\\u", "\\ud800", "#", "%YAML 1.1\n", "%TAG ! tag:x:\n", "---\n", "...\n",
               "yes", "maybe", "0x1F", "050", "1:20", "1:20.5", ".inf", ".nan", "1e-999", "9" * 120, "~",
               "2021-02-30", "kind", "id", "batch", "\t", "\x00", "\ufeff", "\x85", "é", "🧪"]
JSON_TOKENS = ["{", "}", "[", "]", ", ", ": ", '"', '"kind"', '"id"', '"batch"', "\\u0000", "\\ud800",
               "\\", "NaN", "Infinity", "-Infinity", "1e-99999", "9" * 120, "0.05", "-0", "true", "null",
               "\n", " ", "\ufeff", "é"]


@settings(FUZZ, max_examples=200 * SCALE)
@given(tokens=st.lists(st.sampled_from(YAML_TOKENS), max_size=40), syntax=st.sampled_from(["yaml", "json"]))
def test_any_token_soup_is_read_or_refused_never_raised(tokens: list[str], syntax: str) -> None:
    from checker.read.inputs import Limits
    from checker.read.parse import parse_value

    data = "".join(tokens).encode("utf-8", "surrogatepass")
    value, error = parse_value("f", data, syntax, Limits())
    assert (value is None) or error is None
    assert error is None or (error.message and error.message.encode("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:  # and the whole pipeline on what was read
        path = Path(tmp) / f"soup.{syntax}"
        path.write_bytes(data)
        report = check([str(path)], Options(as_of=dt.date(2021, 6, 1)))
    assert report.exit_code in {0, 1, 2}
    REPORTERS["json"](report).encode("utf-8")


@settings(FUZZ, max_examples=200 * SCALE)
@given(tokens=st.lists(st.sampled_from(JSON_TOKENS), max_size=40), raw=st.binary(max_size=40))
def test_any_json_soup_or_bytes_are_read_or_refused_never_raised(tokens: list[str], raw: bytes) -> None:
    from checker.read.inputs import Limits
    from checker.read.parse import parse_value

    for data in ("".join(tokens).encode("utf-8"), raw):
        for syntax in ("json", "yaml"):
            _, error = parse_value("f", data, syntax, Limits())
            assert error is None or error.message.encode("utf-8")


# --- the whole range the schemas allow, through the whole pipeline ---------------------------
DATE_FIELDS = [("scheme_entered_on",), ("draw", "drawn_on"), ("started_on",), ("completed_on",),
               ("results_entered_on",), ("results", 0, "entered_on")]


@settings(FUZZ, max_examples=60 * SCALE)
@given(text=DATE_SHAPED, field=st.sampled_from(DATE_FIELDS), syntax=st.sampled_from(["json", "jsonl"]))
def test_a_date_the_schema_accepts_is_one_every_later_step_takes(text: str, field: tuple[Any, ...],
                                                                  syntax: str) -> None:
    """Year 0000 once passed the compiled validator and raised in facts: both validators, the
    date reader and the pipeline agree on every text of a date's shape."""
    doc: dict[str, Any] = {"kind": "batch", "id": "B1", "task": "T1", "selected": ["o1"],
                           "draw": {"method": "platform_lottery", "drawn_on": "2021-03-01"},
                           "results": [{"object": "o1", "published": ["gsxt_sichuan"]}]}
    parent: Any = doc
    for part in field[:-1]:
        parent = parent[part]
    parent[field[-1]] = text
    is_date = read_date(text) is not None
    assert fast_valid(doc) == is_date
    assert (schema_errors(RawDocument("t", "", doc)) == []) == is_date
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"b.{syntax}"
        path.write_text(json.dumps(doc), encoding="utf-8")
        report = check([str(path)], Options(as_of=dt.date(2021, 12, 31), calendar=weekends_only()))
    assert report.documents == int(is_date)
    assert [e.path for e in report.input_errors] == ([] if is_date else
                                                     [("/0" if syntax == "jsonl" else "") + pointer(*field)])
