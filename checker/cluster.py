"""Check the shards of a run on a Dask cluster: for a year larger than one machine.

Why Dask: shards are independent once each has the context, so any scheduler of
independent tasks will do, and an existing one brings what a home-made one
lacks (workers joining and leaving, retries, a dashboard). Each task is one
shard: its worker reads the inputs itself (api.check_on_worker), from the same paths, in the same
folder (a shared file system), cuts them exactly as the command did (the cut
depends on the input and the options) and checks its shard, so no batch crosses the
network; the files' hashes are compared first, so a file that changed between
the two readings is an error, not a different report. Results come back in
shard order and are merged as a forked run's are: the report is byte-identical
to one process's.

`local:N` starts a LocalCluster of N single-threaded worker processes on this
machine; `dask://HOST:PORT` joins a running scheduler.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from checker.shard import Progress, ShardResult


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


def run_on_cluster(spec: str, task: Callable[..., ShardResult], shards: list[tuple[Any, ...]],
                   progress: Progress | None = None) -> list[ShardResult]:
    """`task(*args)` for each shard's args, each a task of its own on the cluster; the results in shard order."""
    with client(spec) as c:
        futures = [c.submit(task, *args, pure=False) for args in shards]
        done: list[ShardResult] = []
        for i, future in enumerate(futures):
            try:
                done.append(future.result())
            except ClusterError:
                raise
            except Exception as exc:  # a worker lost, the scheduler gone: Dask's errors, said plainly
                raise ClusterError(f"shard {i + 1} of {len(shards)} failed on {spec}: {type(exc).__name__}: {exc}"
                                   ) from exc
            if progress:
                progress(i + 1, len(shards))
    return done
