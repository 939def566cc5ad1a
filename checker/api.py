"""The library entry point: check documents, get a Report value.

load → validate → derive facts → solve → explain, shard by shard (shard.py),
then merge. Every step returns its errors as values; nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from checker.cluster import ClusterError, run_on_cluster
from checker.errors import InputError
from checker.explain import tally
from checker.facts import FactBuilder, Span
from checker.kept import keep
from checker.phases import NO_PHASES, Phases
from checker.read.discover import expand, shown
from checker.read.documents import drop_nulls
from checker.read.inputs import Limits, Loaded, RawDocument
from checker.read.load import load
from checker.read.reading import written
from checker.report import Report
from checker.resources import DEFAULT_RULEBOOK
from checker.rulebook import Rulebook, load_rulebooks
from checker.shard import SHARD_RESULTS, Job, Progress, ShardResult, check_shard, cut, merge, owner, run
from checker.sources import SourceIndex, annotate
from checker.tables import TableOptions, resolve_items
from checker.validate import check_read, validate, vouch
from checker.waivers import apply_waivers
from checker.workdays import WorkCalendar, official

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def today() -> dt.date:
    """Today in Asia/Shanghai (the default as-of date, R12)."""
    return dt.datetime.now(CHINA).date()


@dataclass(frozen=True)
class Options:
    as_of: dt.date | None = None
    lang: str = "zh"
    calendar: WorkCalendar | None = None
    rulebook: str | tuple[str, ...] = DEFAULT_RULEBOOK  # a name or folder; several are composed
    limits: Limits = Limits()  # noqa: RUF009 - frozen
    waivers: str | None = None  # a waiver file (checker.waivers); None: no waivers
    tables: TableOptions = TableOptions()  # noqa: RUF009 - frozen; document fields for spreadsheets (--plan, --items)
    workers: int = 1  # processes checking shards; the report is the same for any number
    shard_results: int = SHARD_RESULTS  # results a shard holds at most (shard.py)
    list_satisfied: bool = False  # list every (rule, subject) satisfied, not only count them
    progress: Progress | None = None
    phases: Phases = NO_PHASES  # the benchmark's record of each step
    # decode every obligation (Report.obligations, for `dsr-check deadlines`); `check` turns it off:
    # a year of a province holds about one per result, and no report format shows them
    obligations: bool = True
    # dask://HOST:PORT or local:N: check the shards on a Dask cluster (checker.cluster), not here
    cluster: str | None = None
    # Files or folders read as context only (`context_of`): their documents inform the rules, the report
    # speaks only of the other files' documents (a file named among both is context). A service checks
    # one submission with the plans and adjustments others filed this way.
    context: tuple[str, ...] = ()


def check(paths: Iterable[str], options: Options | None = None) -> Report:
    """Check every document in `paths` against the rulebook."""
    paths = list(paths)
    options = options or Options()
    phases = options.phases
    # A run builds millions of objects and frees none until it ends: the cyclic collector,
    # triggered by allocations, would walk them over and over for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        paths = [*paths, *options.context]
        with phases("read"):
            # each valid batch is kept as its text, read again by the shard that checks it (checker.kept)
            loaded = load(paths, options.limits, options.tables, check=phases.nested("read", "validate", check_read),
                          vouch=phases.nested("read", "validate", vouch), keep=keep)
        return check_loaded(loaded, options, paths)
    finally:
        if collecting:
            gc.enable()


def read(paths: Iterable[str], options: Options | None = None) -> dict[str, Any]:
    """What `check` would check, as the JSON value `dsr-check read` writes (checker.read.reading)."""
    options = options or Options()
    return written(resolve_items(load(paths, options.limits, options.tables)))


def check_documents(documents: list[RawDocument], options: Options | None = None) -> Report:
    """Check documents already in memory (fixtures, other front ends)."""
    documents = [RawDocument(d.file, d.path, drop_nulls(d.data)) for d in documents]
    return check_loaded(Loaded(list(documents), [], {}), options or Options())


def _names(rulebook: str | tuple[str, ...]) -> tuple[str, ...]:
    return (rulebook,) if isinstance(rulebook, str) else tuple(rulebook)


def check_loaded(loaded: Loaded, options: Options, paths: list[str] | None = None) -> Report:
    """Check what was read; with `options.cluster` and the `paths` it was read from, on a Dask cluster."""
    rulebook = load_rulebooks(_names(options.rulebook))
    calendar = options.calendar or official()
    as_of = options.as_of or today()
    phases = options.phases
    loaded, job, errors, context = plan(loaded, options, rulebook, calendar, as_of)
    if options.cluster and paths is not None:
        on_worker = replace(options, as_of=as_of, progress=None, phases=NO_PHASES)  # every worker judges at one date
        shards = [(paths, on_worker, i, loaded.files, os.getcwd()) for i in range(len(job.shards))]
        job.shards.clear()  # each worker reads its own
        results = run_on_cluster(options.cluster, check_on_worker, shards, options.progress)
    else:
        results = run(job, options.workers, options.progress)
    base = job.base
    for r in results:
        phases.merge(r.phases)
    with phases("explain"):
        merged = merge(results)
        mine = context.mine
        findings, errors = annotate([f for f in merged["findings"] if mine(f.file)],
                                    sorted({e for e in loaded.errors + errors + base.errors + merged["errors"]
                                            if mine(e.file)}),
                                    SourceIndex(loaded.texts, loaded.cells), options.lang)
    satisfied_counts = {code: n for (code, status), n in merged["counts"].items() if status == "satisfied"}
    satisfied = merged["satisfied"]
    if context.files:  # the satisfied were listed (plan): count the own documents' only
        satisfied = [s for s in satisfied if s[1] not in context.ids]
        satisfied_counts = dict(Counter(rule for rule, _, _ in satisfied))
        satisfied = satisfied if options.list_satisfied else []
    report = Report(
        rulebook={"id": rulebook.id, "title": rulebook.title(options.lang),
                  "version": rulebook.version, "sha256": rulebook.sha256},
        as_of=as_of.isoformat(),
        lang=options.lang,
        calendar=calendar.describe(merged["calendar_years"]),
        documents=context.documents if context.files else base.facts.documents + merged["documents"],
        inputs=[{"file": f, "sha256": d, **({} if mine(f) else {"context": True})}
                for f, d in sorted(loaded.files.items())],
        findings=findings,
        satisfied=satisfied,
        tallies=tally(rulebook, findings, satisfied_counts),
        input_errors=errors,
        book=rulebook,
        obligations=[o for o in merged["obligations"] if mine(o.file)],
        notes=[n for n in loaded.notes if mine(n.file)],
    )
    return apply_waivers(report, options.waivers, options.limits) if options.waivers else report


@dataclass(frozen=True)
class Context:
    """The files read as context (Options.context), and the documents of theirs that were checked."""

    files: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()  # the ids of their checked documents, none of which the own files hold
    # the own files' valid documents: what the report counts (a count from the facts would need to
    # tell which of a shard's documents made facts, and a context document can fail to, R25)
    documents: int = 0

    def mine(self, file: str) -> bool:
        return file not in self.files


def context_of(loaded: Loaded, options: Options) -> Context:
    """Leave out each context document whose (kind, id), or one of whose task ids, the own files or an
    earlier context document hold: the own version of a plan is the one checked, and a copy of a
    context document in two submissions is no duplicate id."""
    if not options.context:
        return Context()
    files = frozenset(shown(f) for f in expand(options.context, options.limits.follow_links)[0])
    taken: set[tuple[str, str]] = set()

    def keys(data: Any) -> set[tuple[str, str]]:
        if not isinstance(data, dict):
            return set()
        out = {(str(data.get("kind")), str(data.get("id")))}
        tasks = data.get("tasks") if data.get("kind") == "annual_plan" else None
        return out | {("task", str(t.get("id"))) for t in tasks if isinstance(t, dict)} \
            if isinstance(tasks, list) else out

    for d in loaded.documents:
        if d.file not in files:
            taken |= keys(d.data)
    kept = []
    for d in loaded.documents:
        if d.file in files:
            mine = keys(d.data)
            if mine & taken:
                continue
            taken |= mine
        kept.append(d)
    loaded.documents = kept
    return Context(files)


def plan(loaded: Loaded, options: Options, rulebook: Rulebook, calendar: WorkCalendar, as_of: dt.date
         ) -> tuple[Loaded, Job, list[InputError], Context]:
    """Validate what was read and cut it into shards, with the context's facts: the job every shard
    is checked from (here, by forked workers, or again on each Dask worker from the same files)."""
    phases = options.phases
    given = context_of(loaded, options)
    loaded = resolve_items(loaded)  # spreadsheets' item names, before the documents are validated and cut
    with phases("validate"):
        valid, errors = validate(loaded.documents)
    if given.files:
        theirs = [v for v in valid if v.file in given.files]
        given = replace(given, ids=frozenset(v.id for v in theirs)
                        - {v.id for v in valid if v.file not in given.files}, documents=len(valid) - len(theirs))
    loaded.documents = []  # each document is held once from here: by its shard, until its facts are made
    context = [v for v in valid if v.kind != "batch"]
    batches = [v for v in valid if v.kind == "batch"]
    del valid
    with phases("facts"):
        shards, plan_shard = cut(context, batches, options.shard_results, options.workers)
        base = FactBuilder(rulebook, calendar, as_of)
        base.plan_ids = tuple(sorted({v.model.id for v in context if v.kind == "annual_plan"}))
        owners: list[tuple[Span, int]] = []
        for doc in context:
            before = len(base.document_keys)
            base.add(doc)
            if len(base.document_keys) > before:
                lo, hi = base.document_keys[-1]
                if hi >= lo:
                    owners.append((Span(lo, hi), owner(doc, plan_shard)))
    del batches
    # with context, the satisfied are listed to tell the own documents' from the context's
    job = Job(base, owners, shards, options.lang, options.list_satisfied or bool(given.files), type(phases),
              options.obligations)
    return loaded, job, errors, given


def check_on_worker(paths: list[str], options: Options, index: int, files: dict[str, str], cwd: str) -> ShardResult:
    """On a cluster's worker (checker.cluster): read the inputs, cut them as the command did, check shard `index`.

    `paths` are all the command read, its context's included (Options.context).

    The inputs are read from the same paths, in the command's folder (a shared file
    system), and must be the files the command read: their hashes are compared first.
    """
    os.chdir(cwd)  # the inputs' names, as given, are relative to the command's folder
    collecting = gc.isenabled()
    gc.disable()  # as in check: millions of objects, none freed until the shard is done
    try:
        loaded = load(paths, options.limits, options.tables, check=check_read, vouch=vouch, keep=keep)
        if loaded.files != files:
            changed = {f for f, _ in set(loaded.files.items()) ^ set(files.items())}
            raise ClusterError("the inputs differ on the worker (changed since they were read, or not shared): "
                               + ", ".join(sorted(changed)))
        assert options.as_of is not None
        _, job, _, _ = plan(loaded, options, load_rulebooks(_names(options.rulebook)), options.calendar or official(),
                         options.as_of)
        return check_shard(job, index)
    finally:
        if collecting:
            gc.enable()
