"""The library entry point: check documents, get a Report value.

load → validate → derive facts → solve → explain. Every step returns its
errors as values; nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from checker.engine import solve
from checker.explain import explain, tally
from checker.facts import build_facts
from checker.load import Limits, Loaded, RawDocument, load
from checker.obligations import decode as decode_obligations
from checker.report import Report
from checker.resources import DEFAULT_RULEBOOK
from checker.rulebook import load_rulebook
from checker.sources import SourceIndex, annotate
from checker.tables import TableOptions, resolve_items
from checker.validate import validate
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
    rulebook: str = DEFAULT_RULEBOOK
    limits: Limits = Limits()  # noqa: RUF009 - frozen
    waivers: str | None = None  # a waiver file (checker.waivers); None: no waivers
    tables: TableOptions = TableOptions()  # noqa: RUF009 - frozen; document fields for spreadsheets (--plan, --items)


def check(paths: Iterable[str], options: Options | None = None) -> Report:
    """Check every document in `paths` against the rulebook."""
    options = options or Options()
    return check_loaded(load(paths, options.limits, options.tables), options)


def check_documents(documents: list[RawDocument], options: Options | None = None) -> Report:
    """Check documents already in memory (fixtures, other front ends)."""
    return check_loaded(Loaded(documents, [], {}), options or Options())


def check_loaded(loaded: Loaded, options: Options) -> Report:
    rulebook = load_rulebook(options.rulebook)
    calendar = options.calendar or official()
    as_of = options.as_of or today()
    loaded = resolve_items(loaded)
    valid, errors = validate(loaded.documents)
    facts, fact_errors = build_facts(valid, rulebook, calendar, as_of)
    errors = loaded.errors + errors + fact_errors
    atoms = solve(rulebook, facts)
    findings, satisfied, _ = explain(atoms, facts, rulebook, calendar, options.lang)
    findings, errors = annotate(findings, sorted(set(errors)),
                                SourceIndex(loaded.files, loaded.cells), options.lang)
    report = Report(
        rulebook={"id": rulebook.id, "title": rulebook.title(options.lang),
                  "version": rulebook.version, "sha256": rulebook.sha256},
        as_of=as_of.isoformat(),
        lang=options.lang,
        calendar=calendar.describe(facts.calendar_years),
        documents=facts.documents,
        inputs=[{"file": f, "sha256": hashlib.sha256(b).hexdigest()}
                for f, b in sorted(loaded.files.items())],
        findings=findings,
        satisfied=satisfied,
        tallies=tally(rulebook, findings, satisfied),
        input_errors=errors,
        book=rulebook,
        obligations=decode_obligations(atoms, facts, rulebook, calendar, options.lang),
    )
    return apply_waivers(report, options.waivers) if options.waivers else report
