"""Wall time and peak memory of each step of a run, for the benchmark.

Each process records its own steps; shards send theirs back with their
findings (shard.py), and the benchmark adds them up. A run that nobody
measures records into NO_PHASES, which does nothing.
"""

from __future__ import annotations

import resource
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

STEPS = ("read", "validate", "facts", "ground", "solve", "explain")


class Phases:
    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.peak_kib: dict[str, int] = {}  # the process's peak RSS at the end of the step

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(step, time.perf_counter() - start)

    def add(self, step: str, seconds: float) -> None:
        self.seconds[step] += seconds
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.peak_kib[step] = max(self.peak_kib.get(step, 0), peak)

    def merge(self, other: Phases) -> None:
        self.seconds.update(other.seconds)
        for step, kib in other.peak_kib.items():
            self.peak_kib[step] = max(self.peak_kib.get(step, 0), kib)


class _Ignored(Phases):
    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        yield

    def add(self, step: str, seconds: float) -> None:
        pass


NO_PHASES: Phases = _Ignored()
