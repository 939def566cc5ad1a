"""Wall time and peak memory of each step of a run: the library's marks, recorded.

A step's seconds add up over its calls and over the shards; its memory is the
process's peak RSS at the end of the step, the largest over the shards.
"""

from __future__ import annotations

import resource
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from checker.phases import Phases


class Measured(Phases):
    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.peak_kib: dict[str, int] = {}

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self._add(step, time.perf_counter() - start)

    def nested(self, outer: str, step: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any) -> Any:
            start = time.perf_counter()
            try:
                return f(*args)
            finally:
                spent = time.perf_counter() - start
                self.seconds[step] += spent
                self.seconds[outer] -= spent  # counted once, as `step`

        return timed

    def _add(self, step: str, seconds: float) -> None:
        self.seconds[step] += seconds
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.peak_kib[step] = max(self.peak_kib.get(step, 0), peak)

    def merge(self, other: Phases) -> None:
        if isinstance(other, Measured):
            self.seconds.update(other.seconds)
            for step, kib in other.peak_kib.items():
                self.peak_kib[step] = max(self.peak_kib.get(step, 0), kib)
