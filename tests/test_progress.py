"""Progress: heard batch by batch within a shard, from forked workers too, and never in the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.api import Options, check
from checker.reporters import REPORTERS
from tests.helpers import plan, write


def _year(tmp_path: Path) -> list[str]:
    """Two plans of five tasks each and a batch of each task: two shards when a shard holds one result."""
    plans = [plan(count=5, plan_id=f"plan-{p}") for p in "AB"]
    for k, doc in enumerate(plans):
        doc["tasks"] = [{**doc["tasks"][0], "id": f"T{i}"} for i in range(5 * k, 5 * k + 5)]
    batches = [{"kind": "batch", "id": f"B{i}", "task": f"T{i}", "scheme_entered_on": "2020-06-01",
                "draw": {"method": "platform_lottery", "drawn_on": "2020-06-01"}, "selected": ["o1"],
                "inspectors": ["P1"], "started_on": "2020-06-03", "completed_on": "2020-06-10",
                "results": [{"object": "o1", "entered_on": "2020-06-12", "published": ["gsxt_sichuan"]}]}
               for i in range(10)]
    return [write(tmp_path, "plans.json", plans), write(tmp_path, "batches.json", batches)]


@pytest.mark.parametrize(("workers", "shard_results"), [(1, 400_000), (1, 1), (2, 1)])
def test_progress_advances_batch_by_batch_and_ends_complete(tmp_path: Path, workers: int,
                                                            shard_results: int) -> None:
    heard: list[tuple[int, int]] = []
    paths = _year(tmp_path)
    options = Options(as_of=dt.date(2020, 12, 1), workers=workers, shard_results=shard_results)
    report = check(paths, Options(**{**vars(options), "progress": lambda d, t: heard.append((d, t))}))
    assert report.input_errors == [] and report.documents == 12
    assert heard and heard[-1][0] == heard[-1][1]
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)
    assert len({t for _, t in heard}) == 1
    if workers == 1:
        assert len({d for d, _ in heard}) > 10  # batch by batch, not only per shard
    assert REPORTERS["json"](report) == REPORTERS["json"](check(paths, options))
