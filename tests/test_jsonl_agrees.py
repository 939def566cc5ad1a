"""The .jsonl fast path reads exactly what the .json path reads, under any limits.

A .jsonl line skips checks its bytes or its schema rule out (read.jsonl.parse_lines):
no long-number hooks without a long digit run, no depth scan before parsing,
no bounds walk for a document the compiled validator finds valid under a schema
that nests no deeper than the limit. These properties hold it to the strict
reading: the same documents, generated from the schemas and broken, give the
same findings and the same input errors (but for the `line N:` a read error
of a line starts with) as one .json file, whatever the depth and text limits;
and no value valid under a schema nests deeper than validate.schema_depths says.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checker.api import Options, check
from checker.read.inputs import Limits
from checker.validate import fast_valid, schema_depths
from tests.schema_strategies import document, mutated, to_json

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_LINE = re.compile(r"^line \d+: ")


def _depth(value: Any) -> int:
    stack, deepest = [(value, 0)], 0
    while stack:
        v, d = stack.pop()
        deepest = max(deepest, d)
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return deepest


_OTHERS = re.compile(r"also given in [^;]*;")


def _outcome(report: Any, place: Any) -> tuple[set[Any], list[tuple[str, str]]]:
    """Findings and input errors, each placed as `place(file, path)` says."""
    findings = {(f.status, f.rule, f.document, f.subject, place(f.file, f.path)) for f in report.findings}
    errors = sorted((place(e.file, e.path), _OTHERS.sub("", _LINE.sub("", e.message)))
                    for e in report.input_errors)
    return findings, errors


@SETTINGS
@given(docs=st.lists(st.one_of(document(), mutated(document())), min_size=1, max_size=5),
       depth=st.sampled_from([1, 2, 3, 4, 5, 32]), chars=st.sampled_from([8, 40, 10_000]))
def test_each_line_reads_as_a_json_file_of_its_own(docs: list[Any], depth: int, chars: int) -> None:
    options = Options(as_of=dt.date(2021, 12, 31),
                      limits=Limits(max_depth=depth, max_string_chars=chars))
    with tempfile.TemporaryDirectory() as tmp:
        files, lines = Path(tmp) / "files", Path(tmp) / "docs.jsonl"
        files.mkdir()
        for i, d in enumerate(docs):
            (files / f"{i:02d}.json").write_text(to_json(d), encoding="utf-8")
        lines.write_text("".join(to_json(d) + "\n" for d in docs), encoding="utf-8")
        as_files = check([str(files)], options)
        as_lines = check([str(lines)], options)
    assert _outcome(as_lines, lambda file, path: path) == _outcome(
        as_files, lambda file, path: f"/{int(Path(file).stem)}{path}")


@SETTINGS
@given(doc=st.one_of(document(), mutated(document())))
def test_no_valid_document_nests_deeper_than_its_schema_allows(doc: Any) -> None:
    assume(isinstance(doc, dict) and isinstance(doc.get("kind"), str) and fast_valid(doc))
    bound = schema_depths()[doc["kind"]]
    assert bound is None or _depth(doc) <= bound


def test_a_decimal_on_a_line_goes_to_the_reference_validator(tmp_path: Path) -> None:
    # The compiled validator is not trusted with decimals; the fast reader says when a line
    # holds none, and must not say so when it holds one (2.0 is no integer for the contract).
    line = '{"kind": "batch", "id": "B1", "year": 2021, "directory_size": 2.0, "selected_count": 1.5}'
    (tmp_path / "one.json").write_text(line, encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(line + "\n", encoding="utf-8")
    options = Options(as_of=dt.date(2021, 12, 31))
    as_file = check([str(tmp_path / "one.json")], options)
    as_line = check([str(tmp_path / "lines.jsonl")], options)
    assert as_file.input_errors and [(e.path, e.message) for e in as_file.input_errors] == [
        (e.path.removeprefix("/0"), e.message) for e in as_line.input_errors]
