"""The library entry point: check documents, get a Report value.

load → validate → derive facts → solve → explain, shard by shard (shard.py),
then merge. Every step returns its errors as values; nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable
from dataclasses import dataclass

from checker.explain import tally
from checker.facts import FactBuilder, Span
from checker.phases import NO_PHASES, Phases
from checker.read.documents import drop_nulls
from checker.read.inputs import Limits, Loaded, RawDocument
from checker.read.load import load
from checker.report import Report
from checker.resources import DEFAULT_RULEBOOK
from checker.rulebook import load_rulebooks
from checker.shard import SHARD_RESULTS, Job, Progress, cut, merge, owner, run
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


def check(paths: Iterable[str], options: Options | None = None) -> Report:
    """Check every document in `paths` against the rulebook."""
    options = options or Options()
    phases = options.phases
    # A run builds millions of objects and frees none until it ends: the cyclic collector,
    # triggered by allocations, would walk them over and over for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with phases("read"):
            loaded = load(paths, options.limits, options.tables, check=phases.nested("read", "validate", check_read),
                          vouch=phases.nested("read", "validate", vouch))
        return check_loaded(loaded, options)
    finally:
        if collecting:
            gc.enable()


def check_documents(documents: list[RawDocument], options: Options | None = None) -> Report:
    """Check documents already in memory (fixtures, other front ends)."""
    documents = [RawDocument(d.file, d.path, drop_nulls(d.data)) for d in documents]
    return check_loaded(Loaded(list(documents), [], {}), options or Options())


def _names(rulebook: str | tuple[str, ...]) -> tuple[str, ...]:
    return (rulebook,) if isinstance(rulebook, str) else tuple(rulebook)


def check_loaded(loaded: Loaded, options: Options) -> Report:
    rulebook = load_rulebooks(_names(options.rulebook))
    calendar = options.calendar or official()
    as_of = options.as_of or today()
    phases = options.phases
    loaded = resolve_items(loaded)  # spreadsheets' item names, before the documents are validated and cut
    with phases("validate"):
        valid, errors = validate(loaded.documents)
    loaded.documents = []  # each document is held once from here: by its shard, until its facts are made
    context = [v for v in valid if v.kind != "batch"]
    batches = [v for v in valid if v.kind == "batch"]
    del valid
    with phases("facts"):
        shards, plan_shard = cut(context, batches, options.shard_results)
        base = FactBuilder(rulebook, calendar, as_of)
        owners: list[tuple[Span, int]] = []
        for doc in context:
            before = len(base.document_keys)
            base.add(doc)
            if len(base.document_keys) > before:
                lo, hi = base.document_keys[-1]
                if hi >= lo:
                    owners.append((Span(lo, hi), owner(doc, plan_shard)))
    del batches
    job = Job(base, owners, shards, options.lang, options.list_satisfied, type(phases), options.obligations)
    results = run(job, options.workers, options.progress)
    for r in results:
        phases.merge(r.phases)
    with phases("explain"):
        merged = merge(results)
        findings, errors = annotate(merged["findings"],
                                    sorted(set(loaded.errors + errors + base.errors + merged["errors"])),
                                    SourceIndex(loaded.texts, loaded.cells), options.lang)
    satisfied_counts = {code: n for (code, status), n in merged["counts"].items() if status == "satisfied"}
    report = Report(
        rulebook={"id": rulebook.id, "title": rulebook.title(options.lang),
                  "version": rulebook.version, "sha256": rulebook.sha256},
        as_of=as_of.isoformat(),
        lang=options.lang,
        calendar=calendar.describe(merged["calendar_years"]),
        documents=base.facts.documents + merged["documents"],
        inputs=[{"file": f, "sha256": d} for f, d in sorted(loaded.files.items())],
        findings=findings,
        satisfied=merged["satisfied"],
        tallies=tally(rulebook, findings, satisfied_counts),
        input_errors=errors,
        book=rulebook,
        obligations=merged["obligations"],
        notes=list(loaded.notes),
    )
    return apply_waivers(report, options.waivers, options.limits) if options.waivers else report
