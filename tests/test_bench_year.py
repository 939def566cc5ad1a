"""The benchmark measures a correct checker: the planted faults of a generated year are found exactly.

The generator (bench/generate.py) plants faults of five kinds at realistic
rates in an otherwise clean year; at the small size the checker must report,
for each planted kind's rule, exactly the planted subjects. The same year is
then checked cut into several shards, on one and on two workers: the JSON
report must be byte-identical to the unsharded one.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from checker.api import Options, check
from checker.reporters import REPORTERS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import AS_OF, RULES, generate

SMALL = 10_000


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("year")
    manifest = generate(SMALL, 58, out)
    return out / "input", manifest


def _check(folder: Path, **kw) -> str:
    report = check([str(folder)], Options(as_of=dt.date.fromisoformat(AS_OF), **kw))
    assert report.input_errors == []
    return REPORTERS["json"](report)


def test_the_generator_is_deterministic(tmp_path: Path, year: tuple[Path, dict]) -> None:
    again = generate(SMALL, 58, tmp_path)
    assert again == year[1]
    for name in ("context.json", "batches.jsonl"):
        assert (tmp_path / "input" / name).read_bytes() == (year[0] / name).read_bytes()


def test_every_fault_kind_is_planted(year: tuple[Path, dict]) -> None:
    assert {f["kind"] for f in year[1]["faults"]} == set(RULES)


def test_the_checker_reports_exactly_the_planted_faults(year: tuple[Path, dict]) -> None:
    folder, manifest = year
    report = check([str(folder)], Options(as_of=dt.date.fromisoformat(AS_OF)))
    assert report.input_errors == []
    planted_rules = set(RULES.values())
    found = {(f.rule, f.subject) for f in report.of("violation") if f.rule in planted_rules}
    planted = {(f["rule"], f["subject"]) for f in manifest["faults"]}
    assert found == planted


def test_shards_and_workers_change_nothing(year: tuple[Path, dict]) -> None:
    folder, _ = year
    whole = _check(folder, shard_results=10**9)
    assert _check(folder, shard_results=1_500, workers=1) == whole
    assert _check(folder, shard_results=1_500, workers=2) == whole


def test_shards_report_the_same_obligations(year: tuple[Path, dict]) -> None:
    folder, _ = year
    as_of = dt.date.fromisoformat(AS_OF)
    whole = check([str(folder)], Options(as_of=as_of, shard_results=10**9)).obligations
    assert whole
    assert check([str(folder)], Options(as_of=as_of, shard_results=1_500, workers=2)).obligations == whole
