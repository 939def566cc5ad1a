"""A .json file that is one array reads, element by element, exactly what the strict reading reads.

read.json_array takes a top-level array's elements the way .jsonl lines are taken
(fast decoder, per-element screen, the compiled validator's yes) and hands
anything else back to the strict reading. Held to it here: the same documents
and input errors from load, and the same report, with and without the
element-by-element reading, for generated and broken documents under any
limits, the hostile corpus, and arrays broken on purpose.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.api import Options, check
from checker.read import json_array
from checker.read.inputs import Limits
from checker.read.load import load
from checker.reporters import REPORTERS
from checker.validate import check_read, vouch
from tests.schema_strategies import document, mutated, to_json

SETTINGS = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"


def _strictly() -> Any:
    return mock.patch("checker.read.load.parse_array", return_value=None)


def _read(path: Path, limits: Limits) -> tuple[list[Any], list[Any]]:
    loaded = load([str(path)], limits, check=check_read, vouch=vouch)
    return [(d.file, d.path, d.data) for d in loaded.documents], loaded.errors


def _both(path: Path, limits: Limits) -> None:
    fast = _read(path, limits)
    with _strictly():
        strict = _read(path, limits)
    assert fast == strict
    options = Options(as_of=dt.date(2021, 12, 31), limits=limits)
    fast_report = REPORTERS["json"](check([str(path)], options))
    with _strictly():
        assert REPORTERS["json"](check([str(path)], options)) == fast_report


@SETTINGS
@given(docs=st.lists(st.one_of(document(), mutated(document())), min_size=1, max_size=5),
       depth=st.sampled_from([1, 2, 3, 4, 5, 32]), chars=st.sampled_from([8, 40, 10_000]),
       spaced=st.booleans())
def test_an_array_reads_as_the_strict_reading_reads_it(docs: list[Any], depth: int, chars: int,
                                                       spaced: bool) -> None:
    sep = ",\n  " if spaced else ","
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.json"
        head, tail = ("[\n  ", "\n]\n") if spaced else ("[", "]")
        path.write_text(head + sep.join(to_json(d) for d in docs) + tail, encoding="utf-8")
        _both(path, Limits(max_depth=depth, max_string_chars=chars))


@pytest.mark.parametrize("path", sorted(p for p in HOSTILE.iterdir() if p.suffix == ".json"), ids=lambda p: p.name)
def test_the_hostile_corpus_reads_as_strictly(path: Path) -> None:
    _both(path, Limits())


BATCH = '{"kind": "batch", "id": "B%d", "year": 2021}'
BROKEN = {
    "garbage after the array": "[" + BATCH % 1 + "] x",
    "a duplicate key in the second": "[" + BATCH % 1 + ', {"kind": "batch", "id": "B2", "id": "B3"}]',
    "a missing comma": "[" + BATCH % 1 + " " + BATCH % 2 + "]",
    "a trailing comma": "[" + BATCH % 1 + ",]",
    "NaN in the second": "[" + BATCH % 1 + ', {"kind": "batch", "id": "B2", "year": NaN}]',
    "an empty array": "[]",
    "an unclosed array": "[" + BATCH % 1,
    "a scalar element": "[" + BATCH % 1 + ", 7]",
    "an element nested too deep": "[" + BATCH % 1 + ', {"kind": "batch", "x": ' + "[" * 40 + "]" * 40 + "}]",
    "an element nested past the guard": "[" + "[" * 2000 + "]" * 2000 + "]",
    "a long string": "[" + '{"kind": "batch", "id": "' + "B" * 20_000 + '"}]',
    "an unpaired surrogate": '[{"kind": "batch", "id": "B\\ud800"}]',
    "a number too long": '[{"kind": "batch", "id": "B1", "year": ' + "9" * 200 + "}]",
    "a decimal": '[{"kind": "batch", "id": "B1", "year": 2021, "directory_size": 2.0}]',
    "a BOM and spaces": "\ufeff \n [" + BATCH % 1 + "] \n",
    "more documents than the limit": "[" + ", ".join(BATCH % i for i in range(5)) + "]",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=list(BROKEN))
def test_arrays_broken_on_purpose_read_as_strictly(text: str, tmp_path: Path) -> None:
    path = tmp_path / "docs.json"
    path.write_text(text, encoding="utf-8")
    _both(path, Limits(max_documents=3))


def test_a_clean_array_is_read_element_by_element(tmp_path: Path) -> None:
    path = tmp_path / "docs.json"
    path.write_text("[" + ", ".join(BATCH % i for i in range(3)) + "]", encoding="utf-8")
    docs = json_array.parse_array(str(path), path.read_bytes(), Limits(), vouch, 3)
    assert docs is not None and [d.path for d in docs] == ["/0", "/1", "/2"]
    assert json_array.parse_array(str(path), path.read_bytes(), Limits(), vouch, 2) is None  # past the room
