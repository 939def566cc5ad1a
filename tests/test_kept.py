"""A batch kept as its text (checker.kept) reads again to the value the first reading gave.

Read once with `keep` and once without, the same files give the same documents: each kept
batch's data() equals the value read, for batches generated from the schema, with null
members (dropped as read), decimals and integers, as JSON Lines and as one JSON array.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.kept import Batch, keep
from checker.read.load import load
from checker.validate import check_read, vouch
from tests.schema_strategies import document, to_json

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _with_nulls(doc: dict[str, Any]) -> dict[str, Any]:
    """The batch with members set to null here and there (read as absent)."""
    out = dict(doc, year=None, note_null=None) if "year" not in doc else dict(doc, lead=None)
    out.pop("note_null", None)
    results = out.get("results")
    if isinstance(results, list) and results and isinstance(results[0], dict):
        out["results"] = [dict(results[0], outcome=None), *results[1:]]
    return out


def _both(folder: Path) -> tuple[list[Any], list[Any]]:
    plain = load([str(folder)], check=check_read, vouch=vouch)
    kept = load([str(folder)], check=check_read, vouch=vouch, keep=keep)
    assert plain.errors == kept.errors
    return ([(d.file, d.path, d.data) for d in plain.documents],
            [(d.file, d.path, d.data.data() if isinstance(d.data, Batch) else d.data) for d in kept.documents])


@SETTINGS
@given(docs=st.lists(document("batch"), min_size=1, max_size=4), nulls=st.booleans())
def test_a_kept_batch_reads_again_to_what_was_read(docs: list[dict[str, Any]], nulls: bool) -> None:
    if nulls:
        docs = [_with_nulls(d) for d in docs]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "b.jsonl").write_text("".join(to_json(d) + "\n" for d in docs), encoding="utf-8")
        (folder / "c.json").write_text("[\n" + ",\n".join(to_json(d) for d in docs) + "\n]\n", encoding="utf-8")
        plain, kept = _both(folder)
    assert kept == plain


def test_a_batch_is_kept_as_its_text_and_reads_again(tmp_path: Path) -> None:
    """The bulk is kept: a valid batch with a large integer and nulls reads back the same."""
    doc = {"kind": "batch", "id": "B1", "task": "T1", "year": 2021, "directory_size": 987654321,
           "scheme_entered_on": "2021-03-01", "lead": None, "selected": ["o1", "o2"],
           "results": [{"object": "o1", "outcome": "未发现问题", "published": ["gsxt_sichuan"]},
                       {"object": "o2", "outcome": None}]}
    (tmp_path / "b.jsonl").write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    plain, kept = _both(tmp_path)
    assert kept == plain
    read = load([str(tmp_path)], check=check_read, vouch=vouch, keep=keep).documents[0].data
    assert isinstance(read, Batch) and dict(read) == {"kind": "batch", "id": "B1", "task": "T1"}
    assert read.results == 2


def test_only_a_text_of_plain_numbers_takes_the_fast_reading(tmp_path: Path) -> None:
    """orjson reads an integer past 64 bits as a float and keeps a null: a text that may hold either is
    read the other way (the schemas bound every count, so a run of 19 digits in a text stands for one)."""
    base = {"kind": "batch", "id": "B1", "task": "T1", "year": 2021, "selected": ["o1"],
            "results": [{"object": "o1", "outcome": "未发现问题", "published": ["gsxt_sichuan"]}]}
    wide = dict(base, id="B2", selected=["1234567890123456789"],
                results=[dict(base["results"][0], object="1234567890123456789")])
    null = dict(base, id="B3", lead=None)
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in (base, wide, null)),
                                      encoding="utf-8")
    plain, kept = _both(tmp_path)
    assert kept == plain
    batches = [d.data for d in load([str(tmp_path)], check=check_read, vouch=vouch, keep=keep).documents]
    assert [b.plain for b in batches if isinstance(b, Batch)] == [True, False, False]
