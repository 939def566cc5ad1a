"""--cluster: shards checked by Dask workers that read the inputs themselves give one process's report."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.api import Options, check, check_on_worker
from checker.cli import USAGE, app
from checker.cluster import ClusterError, parse
from checker.read.load import load
from checker.reporters import REPORTERS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import AS_OF, generate

SAMPLE = str(Path(__file__).resolve().parent.parent / "fixtures" / "sample")
OPTIONS = {"as_of": dt.date.fromisoformat(AS_OF), "shard_results": 600}


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("year")
    generate(2_000, 58, out)
    return str(out / "input")


def test_a_local_cluster_of_two_workers_gives_the_report_of_one_process(year: str) -> None:
    alone = check([year], Options(**OPTIONS))
    assert alone.input_errors == [] and alone.of("violation")
    on_cluster = check([year], Options(**OPTIONS, cluster="local:2"))
    for fmt in ("json", "text"):
        assert REPORTERS[fmt](on_cluster) == REPORTERS[fmt](alone)


def test_a_worker_refuses_inputs_that_differ_from_those_the_command_read(year: str, tmp_path: Path) -> None:
    files = load([year]).files
    changed = {f: "0" * 64 for f in files}
    with pytest.raises(ClusterError, match="the inputs differ on the worker"):
        check_on_worker([year], Options(**OPTIONS), 0, changed, str(Path.cwd()))


@pytest.mark.parametrize("spec", ["local:0", "local:two", "dask://", "tcp://host:8786", "host:8786"])
def test_a_cluster_is_named_as_dask_or_local(spec: str) -> None:
    with pytest.raises(ClusterError, match="expected dask://HOST:PORT"):
        parse(spec)
    result = CliRunner().invoke(app, ["check", SAMPLE, "--cluster", spec])
    assert result.exit_code == USAGE and "expected dask://HOST:PORT" in result.output


def test_cluster_names_parse() -> None:
    assert parse("local:3") == ("local", 3)
    assert parse("dask://10.0.0.5:8786") == ("dask", "tcp://10.0.0.5:8786")
