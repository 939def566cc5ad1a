"""Check the shards of a run on a Dask cluster: for a year larger than one machine.

Why Dask: shards are independent once each has the context, so any scheduler of
independent tasks will do, and an existing one brings what a home-made one
lacks (workers joining and leaving, retries, a dashboard). Each task is one
shard: its worker reads the inputs itself, from the same paths, in the same
folder (a shared file system), cuts them exactly as the command did (the cut
depends on the input alone) and checks its shard, so no batch crosses the
network; the files' hashes are compared first, so a file that changed between
the two readings is an error, not a different report. Results come back in
shard order and are merged as a forked run's are: the report is byte-identical
to one process's.

`local:N` starts a LocalCluster of N single-threaded worker processes on this
machine; `dask://HOST:PORT` joins a running scheduler.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from checker.shard import Progress, ShardResult, check_shard

if TYPE_CHECKING:
    from checker.api import Options


class ClusterError(RuntimeError):
    """The cluster could not be reached or used; the message says why and what to do."""


def parse(spec: str) -> tuple[str, str | int]:
    """`local:N` → ("local", N); `dask://HOST:PORT` → ("dask", "tcp://HOST:PORT")."""
    if spec.startswith("local:"):
        count = spec.removeprefix("local:")
        if count.isdigit() and int(count) > 0:
            return "local", int(count)
    elif spec.startswith("dask://") and len(spec) > len("dask://"):
        return "dask", "tcp://" + spec.removeprefix("dask://")
    raise ClusterError(f"--cluster {spec!r}: expected dask://HOST:PORT (a running scheduler) or local:N")


@contextmanager
def client(spec: str) -> Iterator[Any]:
    """A Dask client for the cluster named, closed (and a local cluster stopped) afterwards."""
    kind, where = parse(spec)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("--cluster needs Dask: pip install 'dsr-check[cluster]'") from None
    if kind == "local":
        with LocalCluster(n_workers=int(where), threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as cluster, Client(cluster) as c:
            yield c
        return
    try:
        c = Client(str(where), timeout="30s")
    except OSError as exc:
        raise ClusterError(f"--cluster {spec}: no Dask scheduler answers at {where}: {exc}") from None
    with c:
        yield c


def run_on_cluster(spec: str, paths: list[str], options: Options, shards: int, files: dict[str, str],
                   progress: Progress | None = None) -> list[ShardResult]:
    """Every shard, checked by a task of its own on the cluster; the results in shard order."""
    cwd = os.getcwd()
    with client(spec) as c:
        futures = c.map(_check_shard, [paths] * shards, [options] * shards, range(shards), [files] * shards,
                        [cwd] * shards, pure=False)
        done: list[ShardResult] = []
        for i, future in enumerate(futures):
            try:
                done.append(future.result())
            except ClusterError:
                raise
            except Exception as exc:  # a worker lost, the scheduler gone: Dask's errors, said plainly
                raise ClusterError(f"shard {i + 1} of {shards} failed on {spec}: {type(exc).__name__}: {exc}"
                                   ) from exc
            if progress:
                progress(i + 1, shards)
    return done


def _check_shard(paths: list[str], options: Options, index: int, files: dict[str, str], cwd: str) -> ShardResult:
    """On a worker: read the inputs, cut them as the command did, check shard `index`."""
    os.chdir(cwd)  # the inputs' names, as given, are relative to the command's folder
    collecting = gc.isenabled()
    gc.disable()  # as in api.check: millions of objects, none freed until the shard is done
    try:
        return _check(paths, options, index, files)
    finally:
        if collecting:
            gc.enable()


def _check(paths: list[str], options: Options, index: int, files: dict[str, str]) -> ShardResult:
    from checker.api import plan
    from checker.read.load import load
    from checker.rulebook import load_rulebook
    from checker.validate import check_read, vouch
    from checker.workdays import official

    loaded = load(paths, options.limits, options.tables, check=check_read, vouch=vouch)
    if loaded.files != files:
        changed = sorted(set(loaded.files.items()) ^ set(files.items()))
        raise ClusterError(f"the inputs differ on the worker (changed since they were read, or not shared): "
                           f"{', '.join(sorted({f for f, _ in changed}))}")
    assert options.as_of is not None  # fixed by the command, so every worker judges at the same date
    _, job, _ = plan(loaded, options, load_rulebook(options.rulebook), options.calendar or official(),
                     options.as_of)
    return check_shard(job, index)
