"""Where a run's steps begin and end, for whoever measures them.

The library marks its steps (read, validate, facts, ground, solve, explain)
and measures nothing: a `Phases` does nothing at each mark. The benchmark
(bench/measure.py) passes a subclass that records time and memory; shards
make a fresh one of the same class in each worker and send it back with
their findings, so a sharded run is measured as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class Phases:
    """The marks themselves; this class ignores them."""

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        yield

    def nested(self, outer: str, step: str, f: Callable[..., Any]) -> Callable[..., Any]:
        """`f`, whose calls are `step`'s work done inside `outer` (JSON Lines validated as read)."""
        return f

    def merge(self, other: Phases) -> None:
        """Add a shard's record to this one."""


NO_PHASES = Phases()
