"""Split a run into shards clingo checks apart, on one or more processes, and merge them.

Why: one clingo run uses one core, and its memory grows with its input.
Batches depend on one another only through the task, plan and adjustments they trace
to, so a shard is made of whole plan groups: every batch whose task is in plan
P, or added to P by an adjustment, is in P's shard, together with every
document that is not a batch (the context). A rule that counts a plan's or a
task's batches sees them all. Each finding is reported by exactly one shard: a
batch's and its results' by the shard holding the batch, a plan's, its tasks'
and its adjustments' by the plan's shard, any other context record's by the
first shard. A rule that aggregates batches of several plans into one finding
would need one shard; no rule does (the bench's test checks a sharded run
against an unsharded one).

Shards are cut from the input and the number of workers (at least one shard
for each, so that they all have work), and merged in shard order, then sorted:
the report is byte-identical with any cut and any number of workers. Workers
are forked, so they inherit the context's facts and the batches (kept as their
text, checker/kept.py) instead of receiving them; each reads its own. A
worker checks one shard and is replaced by one forked afresh: the memory a
shard's facts and clingo took is not given back to the system when it is done,
so a worker that went on to its next shard peaked above it (bench/NOTES.md).

Every shard grounds the whole context again, and the context grows with the
year (a million results come with 6,000 plans, directories and reports); but
a shard's clingo holds only its own batches. A shard holds up to SHARD_RESULTS
results: a million, so that a year of a million is grounded with its context
once, and a larger one in shards whose clingo fits in memory (the figures:
bench/NOTES.md).
"""

from __future__ import annotations

import bisect
import math
import multiprocessing
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.engine import solve
from checker.errors import InputError
from checker.explain import explain
from checker.facts import FactBuilder, Span
from checker.kept import Batch
from checker.obligations import Obligation, decode
from checker.phases import Phases
from checker.report import Finding
from checker.validate import Valid

SHARD_RESULTS = 1_000_000  # results a shard holds at most, but for one plan group larger than that

Progress = Callable[[int, int], None]  # (units done, units in all): shown as a bar, never in a report


@dataclass(frozen=True)
class Shard:
    index: int
    batches: tuple[Valid, ...]  # in input order


@dataclass
class ShardResult:
    findings: list[Finding]
    satisfied: list[tuple[str, str, str]]
    counts: Counter[tuple[str, str]]
    errors: list[InputError]
    calendar_years: set[int]
    documents: int
    phases: Phases
    obligations: list[Obligation]


@dataclass
class Job:
    """Everything a shard needs; forked workers inherit it."""

    base: FactBuilder  # the context's facts
    owners: list[tuple[Span, int]]  # each context document's record keys and the shard reporting them
    shards: list[Shard]
    lang: str
    list_satisfied: bool
    phases: type[Phases] = Phases  # each worker marks its steps on a fresh one (the benchmark measures them)
    obligations: bool = True  # decode the obligations (`dsr-check deadlines`)


def _weight(b: Valid) -> int:
    m = b.model
    return (m.results if type(m) is Batch else len(m.get("results") or ())) + 1


def _task_of(b: Valid) -> str | None:
    return b.model.get("task")


def _id_of(b: Valid) -> str:
    return b.model["id"]


def plan_groups(context: list[Valid]) -> dict[str, str]:
    """Task id -> the plan it belongs to: a plan's own task, else the plan an adjustment names."""
    plan_of: dict[str, str] = {}
    for doc in context:
        if doc.kind == "adjustment":
            m = doc.model
            code = m.task.id if m.task else m.task_id
            if code:
                plan_of.setdefault(code, m.plan)
    for doc in context:
        if doc.kind == "annual_plan":
            for t in doc.model.tasks or ():
                plan_of[t.id] = doc.id
    return plan_of


def cut(context: list[Valid], batches: list[Valid], target: int = SHARD_RESULTS, workers: int = 1
        ) -> tuple[list[Shard], dict[str, int]]:
    """Shards of whole plan groups, balanced by results, at least one a worker; and the shard of each
    plan with batches."""
    plan_of = plan_groups(context)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, b in enumerate(batches):
        task = _task_of(b)
        key = ("plan", plan_of[task]) if task in plan_of else ("task", task) if task else ("batch", _id_of(b))
        groups.setdefault(key, []).append(i)
    weights = {k: sum(_weight(batches[i]) for i in v) for k, v in groups.items()}
    results = sum(weights.values()) - len(batches)  # a batch weighs one more than its results
    count = max(1, min(len(groups), max(math.ceil(results / target), workers)))
    loads = [0] * count
    members: list[list[int]] = [[] for _ in range(count)]
    plan_shard: dict[str, int] = {}
    for key in sorted(groups, key=lambda k: (-weights[k], k)):  # largest first, to the lightest shard
        s = min(range(count), key=lambda j: (loads[j], j))
        loads[s] += weights[key]
        members[s].extend(groups[key])
        if key[0] == "plan":
            plan_shard[key[1]] = s
    shards = [Shard(s, tuple(batches[i] for i in sorted(m))) for s, m in enumerate(members)]
    return shards, plan_shard


def owner(doc: Valid, plan_shard: dict[str, int]) -> int:
    """The shard that reports a context document's records."""
    if doc.kind == "annual_plan":
        return plan_shard.get(doc.id, 0)
    if doc.kind == "adjustment":
        return plan_shard.get(doc.model.plan, 0)
    return 0


_JOB: Job | None = None
# Work done, in units: a batch's facts are one, and a shard's clingo run as many as it has batches,
# plus one, so a shard of only context counts too. Forked workers add to the same shared counter;
# _SHOW is set only where the bar is drawn in the process doing the work (one worker).
_DONE: Any = None
_SHOW: Callable[[], None] | None = None


def _units(shard: Shard) -> int:
    return 2 * len(shard.batches) + 1


def _tick(n: int) -> None:
    if _DONE is None:
        return
    with _DONE.get_lock():
        _DONE.value += n
    if _SHOW is not None:
        _SHOW()


def _run(index: int) -> ShardResult:
    assert _JOB is not None
    return check_shard(_JOB, index)


def check_shard(job: Job, index: int) -> ShardResult:
    """Check one shard of the job: its batches with the context's facts."""
    shard = job.shards[index]
    phases = job.phases()
    batches = len(shard.batches)
    with phases("facts"):
        builder = job.base.fork()
        foreign = [span for span, s in job.owners if s != index]
        for b in shard.batches:
            builder.add(b)
            _tick(1)
        # The batches are facts now: let their data go before clingo needs the memory (a forked
        # worker drops only its own copy).
        job.shards[index] = Shard(index, ())
        del shard
        facts = builder.finish()
    model = solve(builder.rulebook, facts, foreign, job.list_satisfied, phases, job.obligations)
    with phases("explain"):
        los = [s.lo for s in foreign]

        def is_foreign(key: int) -> bool:
            i = bisect.bisect_right(los, key) - 1
            return i >= 0 and foreign[i].lo <= key <= foreign[i].hi

        out = explain(model, facts, builder.rulebook, builder.calendar, job.lang, is_foreign)
        owned = [a for a in model.obligations if not is_foreign(a.arguments[1].number)]
        obligations = decode(owned, facts, builder.rulebook, builder.calendar, job.lang)
    _tick(batches + 1)
    return ShardResult(out.findings, out.satisfied, out.counts, builder.errors + out.errors, facts.calendar_years,
                       facts.documents - job.base.facts.documents, phases, obligations)


def run(job: Job, workers: int, progress: Progress | None = None) -> list[ShardResult]:
    """Check every shard, on `workers` processes when there is more than one shard.

    `progress` hears of each batch whose facts are made and each shard checked, from the
    workers too (they count into shared memory; this process shows it while it waits).
    """
    global _JOB, _DONE, _SHOW
    _JOB = job
    done: list[ShardResult] = []
    total = len(job.shards)
    units = sum(_units(s) for s in job.shards)
    context = multiprocessing.get_context("fork")
    show: Callable[[], None] | None = None
    if progress:
        counter = _DONE = context.Value("q", 0)

        def draw() -> None:
            progress(min(counter.value, units), units)

        show = draw
    try:
        if workers <= 1 or total <= 1:
            _SHOW = show
            for i in range(total):
                done.append(_run(i))
        else:
            # a worker a shard: the next starts from the parent's memory, not from the last shard's heap
            with context.Pool(min(workers, total), maxtasksperchild=1) as pool:
                results = pool.imap(_run, range(total))
                while len(done) < total:
                    try:
                        done.append(results.next(timeout=0.2))
                    except multiprocessing.TimeoutError:
                        pass
                    if show:
                        show()
    finally:
        _JOB, _DONE, _SHOW = None, None, None
    return done


def merge(results: list[ShardResult]) -> dict[str, Any]:
    """The shards' findings, counts and obligations as one run's, in a deterministic order."""
    findings = [f for r in results for f in r.findings]
    findings.sort(key=Finding.sort_key)
    counts: Counter[tuple[str, str]] = Counter()
    for r in results:
        counts.update(r.counts)
    return {
        "findings": findings,
        "satisfied": sorted(s for r in results for s in r.satisfied),
        "counts": counts,
        "errors": [e for r in results for e in r.errors],
        "calendar_years": set().union(*(r.calendar_years for r in results)) if results else set(),
        "documents": sum(r.documents for r in results),
        "obligations": sorted((o for r in results for o in r.obligations), key=Obligation.sort_key),
    }
