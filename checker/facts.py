"""Turn validated documents into clingo facts, through one audited path.

No user text ever becomes program text. Every name, id and free text is
interned to an integer key; every record (document, task, item, result...) is
an integer key whose document, subject and JSON pointer stay here, in Python,
for the report. A value of a vocabulary the schemas close (a level, a method)
is a constant as validated; a value the rulebook's `vocabulary` names (a
platform, a publication channel) is that constant, anything else `other`. Dates
are YYYYMMDD integers, ratios are exact ranks (see ratios.py), and working-day
positions come from the calendar. `Facts.program()` is the only text handed
to clingo, and `_atom` (with `_diagonal`, its twin for one rule shape) the only
function that writes it: it accepts integers, ranges of integers and vetted
constants, nothing else.

A province's year holds a million results, so a result gets no fact of its
own unless it carries something of its own (an entry date, a nondisclosure, a
suspected crime: then part_of(X, B) and those facts). A batch's single-valued
fields are one wide fact, `batch_row` (the prologue derives a predicate per
field); its results are consecutive record keys L..H there; the keys of its selected
objects and of its results' objects are given as numbered runs of consecutive
keys, and the results missing from a channel as runs too (`result_off_run(B,
Ch, L, H)`: none in the usual year). The rules judge what the results share
once per batch and look at a result on its own only where it deviates
(4.3-results/rules.lp).
Facts of predicates no rule reads are not written at all.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

from checker.errors import InputError, pointer
from checker.kept import Batch
from checker.models import (
    Adjustment,
    AnnualPlan,
    InspectorDirectory,
    ItemList,
    ObjectDirectory,
    ProgressReport,
    Task,
    WorkNorm,
)
from checker.names import department
from checker.ratios import RatioTable, parse_ratio
from checker.rulebook import Rulebook
from checker.validate import Valid
from checker.workdays import WorkCalendar

_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CONSTANT = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_INT = 2**31 - 1


class Const(str):
    """A constant the engine may write into a program: a vetted identifier."""

    def __new__(cls, name: str) -> Const:
        known = _VETTED.get(name) if type(name) is str else None
        if known is not None:
            return known
        if not _CONSTANT.fullmatch(name):
            raise ValueError(f"not a constant: {name!r}")
        made = super().__new__(cls, name)
        if len(_VETTED) < 10_000:  # the vocabularies are small; user text never becomes a constant
            _VETTED[str(name)] = made
        return made


_VETTED: dict[str, Const] = {}  # constants already checked: a million facts check a few dozen names
_NONE = Const("none")  # a field of a wide fact (batch_row) that is absent


def _closed(value: str | None, allowed: Iterable[str], default: str = "other") -> Const:
    """A value of a fixed vocabulary as a constant; anything else is `default`."""
    return Const(value if value in allowed else default)


class Code(str):
    """A rule code of the rulebook's metadata (`batch-sampling-cap`), written as a clingo string."""

    def __new__(cls, code: str) -> Code:
        if not _CODE.fullmatch(code):
            raise ValueError(f"not a rule code: {code!r}")
        return super().__new__(cls, code)


class Span(NamedTuple):
    """The integers lo..hi (both included), written as a clingo range."""

    lo: int
    hi: int


@dataclass(frozen=True)
class Record:
    """What the report needs to name a record the rules talk about."""

    kind: str
    document: str
    subject: str
    file: str
    path: str


@dataclass(frozen=True)
class ResultSpan:
    """The results of one batch: consecutive record keys lo..hi, in document order."""

    lo: int
    hi: int
    document: str
    file: str
    path: str  # the batch's pointer
    objects: tuple[str, ...]


@dataclass
class Facts:
    """The facts of one run and the tables that decode them."""

    lines: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    records: list[Record | None] = field(default_factory=list)  # None: a result, see spans
    spans: list[ResultSpan] = field(default_factory=list)
    ratios: RatioTable = field(default_factory=RatioTable)
    # the results of a batch, not withheld, missing a channel: (batch, channel) -> result keys, for the
    # evidence of the batch's one finding (R22); only batches where some result misses one
    off: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    # the results of a batch entered with its date (no entered_on of their own): batch -> result keys, for
    # the evidence of the batch's one entry finding (R22); only batches where some result has its own
    entered_with: dict[int, list[int]] = field(default_factory=dict)
    documents: int = 0  # documents whose facts are in the program
    calendar_years: set[int] = field(default_factory=set)  # years counted in working days

    def program(self) -> str:
        return "\n".join(self.lines) + "\n"

    def string(self, key: int) -> str:
        return self.strings[key - 1]

    def record(self, key: int) -> Record:
        rec = self.records[key - 1]
        if rec is not None:
            return rec
        span = self.spans[bisect.bisect_right(self.spans, key, key=lambda s: s.lo) - 1]
        i = key - span.lo
        return Record("result", span.document, span.objects[i], span.file, f"{span.path}/results/{i}")


def _safe(a: Any) -> bool:
    if isinstance(a, (Const, Code)):
        return True
    if isinstance(a, Span):
        return _safe_int(a.lo) and _safe_int(a.hi)
    return _safe_int(a)


def _safe_int(a: Any) -> bool:
    return type(a) is int and -MAX_INT <= a <= MAX_INT


def _atom(name: str, args: tuple[int | Const | Span, ...]) -> str:
    """The only writer of facts: integers in range, ranges of them, and vetted constants."""
    shown = []
    for a in args:
        t = type(a)
        if t is int:  # type, not isinstance: True is no integer here
            if -MAX_INT <= a <= MAX_INT:
                shown.append(str(a))
                continue
        elif t is Const:
            shown.append(a)
            continue
        if _safe(a):
            shown.append(_show(a))
        else:
            raise TypeError(f"unsafe fact argument {a!r} for {name}")
    return f"{_VETTED.get(name) or Const(name)}({','.join(shown)})."


def _show(a: int | Const | Code | Span) -> str:
    if isinstance(a, Span):
        return f"{a.lo}..{a.hi}"
    if isinstance(a, Code):
        return f'"{a}"'
    return str(a)


def ownership_facts(codes: Iterable[str], foreign: list[Span]) -> list[str]:
    """The engine's own facts: every rule code, and the records another shard reports (shard.py)."""
    return [_atom("engine_rule", (Code(c),)) for c in sorted(codes)] + [
        _atom("engine_foreign", (span,)) for span in foreign]


def _diagonal(name: str, lo: int, hi: int, offset: int) -> str:
    """`name(X, X+offset)` for X in lo..hi: a run of code/2 facts as one rule, integers only."""
    if not (_safe_int(lo) and _safe_int(hi) and _safe_int(offset) and _safe_int(hi + offset)):
        raise TypeError(f"unsafe range for {name}: {lo}..{hi} + {offset}")
    return f"{Const(name)}(X,X+{offset}):-X={lo}..{hi}." if offset >= 0 else \
        f"{Const(name)}(X,X-{-offset}):-X={lo}..{hi}."


def runs(keys: list[int]) -> list[Span]:
    """Consecutive integers as ranges: [3, 4, 5, 9] -> [3..5, 9..9]."""
    out: list[Span] = []
    if not keys:
        return out
    lo = prev = keys[0]
    for k in keys[1:]:
        if k != prev + 1:
            out.append(Span(lo, prev))
            lo = k
        prev = k
    out.append(Span(lo, prev))
    return out


def ymd(text: str) -> int:
    """A validated ISO date as the integer YYYYMMDD (order-preserving)."""
    return int(text[0:4]) * 10000 + int(text[5:7]) * 100 + int(text[8:10])


def closest(word: str, candidates: Iterable[str], most: int = 3) -> list[str]:
    """The candidates at the least edit distance from `word` (at most `most`, in order): to name the
    plan an adjustment probably meant when its plan id matches none."""
    pool = set(candidates)
    if len(word) > 200 or len(pool) > 2000:  # a bound on the work (200 x 200 x 2000 steps); ids are short
        return []
    scored = sorted((_edits(word, c[:200]), c) for c in pool)
    return [c for d, c in scored if d == scored[0][0]][:most] if scored else []


def _edits(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions of one character."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


class FactBuilder:
    """Builds the facts of a run, document by document."""

    def __init__(self, rulebook: Rulebook, calendar: WorkCalendar, as_of: dt.date) -> None:
        self.rulebook = rulebook
        self.calendar = calendar
        self.as_of = as_of
        self.used = rulebook.used_predicates()
        self.vocabulary = {name: tuple(Const(v) for v in values) for name, values in rulebook.vocabulary.items()}
        # a result's channels, and the usual list naming them all (in either order: checked in one comparison)
        self._channels = self.vocabulary.get("result_off_run", ())
        self._all_channels = [list(self._channels), list(self._channels)[::-1]]
        self.facts = Facts()
        self._string_keys: dict[str, int] = {}
        self._dept_keys: dict[str, int] = {}  # a name as written -> the key of its normalised form
        # a ratio as written, and a (count, size) share, read once: a plan's rows repeat them
        self._ratios_read: dict[Any, Fraction] = {}
        self._shares: dict[tuple[int, int], Fraction] = {}
        self._dates: set[str] = set()
        self._workday_dates: set[str] = set()
        self._ratio_facts: list[tuple[str, int, Fraction]] = []
        self.errors: list[InputError] = []
        # per-document buffers: a document with an input error contributes nothing
        self._buffer: list[str] = []
        self._buffer_dates: set[str] = set()
        self._buffer_workdays: set[str] = set()
        self._buffer_ratios: list[tuple[str, int, Fraction]] = []
        self._doc_errors: list[InputError] = []
        self._file = ""
        self._doc_path = ""
        self.document_keys: list[tuple[int, int]] = []  # record keys first..last of each document added
        self.plan_ids: tuple[str, ...] = ()  # every supplied plan's id, for adjust_plan_near (set before adding)

    def fork(self) -> FactBuilder:
        """A builder that goes on from this one's documents, leaving this one as it is.

        Every shard goes on from the same context documents (shard.py).
        """
        other = copy.copy(self)
        f = self.facts
        other.facts = Facts(list(f.lines), list(f.strings), list(f.records), list(f.spans),
                            f.ratios.copy(), dict(f.off), dict(f.entered_with), f.documents,
                            set(f.calendar_years))
        other._string_keys = dict(self._string_keys)
        other._dept_keys = dict(self._dept_keys)
        other._dates = set(self._dates)
        other._workday_dates = set(self._workday_dates)
        other._ratio_facts = list(self._ratio_facts)
        other.errors = []
        other.document_keys = list(self.document_keys)
        return other

    # --- the audited writers -------------------------------------------------
    def fact(self, name: str, *args: int | Const | Span) -> None:
        if name in self.used:
            self._buffer.append(_atom(name, args))

    def constant(self, name: str, value: str) -> Const:
        """A value of the fact's vocabulary in the rulebook, as its constant; any other is `other`."""
        return _closed(value, self.vocabulary.get(name, ()))

    def closed(self, name: str, rec: int, value: str) -> None:
        """name(rec, V) for a value of the rulebook's vocabulary, name(rec, other) for any other; then,
        so that a message can quote what was written, name_written(rec, K), K the text's key."""
        self.fact(name, rec, self.closed_value(name, rec, value))

    def closed_value(self, name: str, rec: int, value: str) -> Const:
        """The constant of closed(), with its name_written fact when it is `other`."""
        shown = self.constant(name, value)
        if shown == "other" and f"{name}_written" in self.used:
            self.fact(f"{name}_written", rec, self.text(value))
        return shown

    def facts_over(self, name: str, keys: list[int], *tail: int | Const) -> None:
        """name(K, tail...) for every key, a line per run of consecutive keys (a run of one as a plain
        fact: clingo holds an interval as a rule to instantiate, more memory than a fact)."""
        if name in self.used:
            self._buffer.extend(_atom(name, (span.lo if span.lo == span.hi else span, *tail))
                                for span in runs(keys))

    def numbered_runs(self, name: str, rec: int, keys: list[int], *head: Const) -> None:
        """name(rec, head..., K, L, H) for the K-th run L..H (from 1) of sorted, distinct keys."""
        if name in self.used:
            self._buffer.extend(_atom(name, (rec, *head, k, span.lo, span.hi))
                                for k, span in enumerate(runs(keys), 1))

    def codes(self, lo: int, keys: list[int]) -> None:
        """code(lo + i, keys[i]) for every i: a line per run where both sides step by one."""
        if "code" not in self.used:
            return
        start = 0
        n = len(keys)
        while start < n:
            end = start
            while end + 1 < n and keys[end + 1] == keys[end] + 1:
                end += 1
            if end > start:
                self._buffer.append(_diagonal("code", lo + start, lo + end, keys[start] - (lo + start)))
            else:
                self._buffer.append(_atom("code", (lo + start, keys[start])))
            start = end + 1

    def text(self, value: str) -> int:
        """The integer key of a text (interned; equal texts share a key)."""
        key = self._string_keys.get(value)
        if key is None:
            self.facts.strings.append(value)
            key = self._string_keys[value] = len(self.facts.strings)
        return key

    def texts(self, values: list[str]) -> list[int]:
        """The keys of many texts (as text(), without a call for each one already known)."""
        keys, strings = self._string_keys, self.facts.strings
        new = [v for v in dict.fromkeys(values) if v not in keys]  # in order of first occurrence
        if new:
            keys.update(zip(new, range(len(strings) + 1, len(strings) + 1 + len(new)), strict=True))
            strings.extend(new)
        return list(map(keys.__getitem__, values))

    def dept(self, name: str) -> int:
        """A department or jurisdiction name, keyed after NFKC normalisation and trimming."""
        key = self._dept_keys.get(name)
        if key is None:
            key = self._dept_keys[name] = self.text(department(name))
        return key

    def read_ratio(self, value: Any) -> Fraction:
        """parse_ratio, once for each value written."""
        ratio = self._ratios_read.get(value)
        if ratio is None:
            ratio = self._ratios_read[value] = parse_ratio(value)
        return ratio

    def date(self, name: str, rec: int, value: str | None, where: str) -> None:
        """A dated fact; dates the rules count in working days get positions."""
        day = self.day(name, value, where)
        if day is not _NONE:
            self.fact(name, rec, day)

    def day(self, name: str, value: str | None, where: str) -> int | Const:
        """The date of fact `name` as YYYYMMDD, taken into the calendar's facts; `none` when it is
        absent (or its year has no working-day calendar: an input error)."""
        if value is None:
            return _NONE
        if name in self.rulebook.working_day_dates:
            year = int(value[:4])
            if not self.calendar.covers(year):
                self._doc_errors.append(InputError(
                    self._file, self._doc_path + where,
                    f"no working-day calendar covers {year} (date {value}); supply one with "
                    "--calendar FILE or choose --weekends-only",
                ))
                return _NONE
            self._buffer_workdays.add(value)
        self._buffer_dates.add(value)
        return ymd(value)

    def ratio(self, name: str, rec: int, value: Fraction) -> None:
        self._buffer_ratios.append((name, rec, self.facts.ratios.add(value)))

    def share(self, name: str, rec: int, count: int | None, size: int | None) -> None:
        """count / size as an exact ratio, when both are known and size > 0; each (count, size) made
        once: a plan's rows repeat them."""
        if count is not None and size:
            value = self._shares.get((count, size))
            if value is None:
                value = self._shares[(count, size)] = Fraction(count, size)
            self.ratio(name, rec, value)

    def new_record(self, kind: str, document: str, subject: str, path: str) -> int:
        """The key of a new record of the file being read, with no facts yet."""
        self.facts.records.append(Record(kind, document, subject, self._file, path))
        return len(self.facts.records)

    def record(self, kind: str, document: str, subject: str, path: str, parent: int | None) -> int:
        key = self.new_record(kind, document, subject, path)
        self.fact("record", key, Const(kind))
        self.fact("code", key, self.text(subject))
        if parent is not None:
            self.fact("part_of", key, parent)
        return key

    # --- documents -----------------------------------------------------------
    def add(self, doc: Valid) -> None:
        self._file, self._doc_path = doc.file, doc.path
        first = len(self.facts.records) + 1
        self._buffer, self._buffer_dates, self._buffer_workdays = [], set(), set()
        self._buffer_ratios, self._doc_errors = [], []
        getattr(self, f"_{doc.kind}")(doc.model, doc.path)
        if self._doc_errors:
            self.errors.extend(self._doc_errors)
            return
        self.facts.lines.extend(self._buffer)
        self.facts.documents += 1
        self.document_keys.append((first, len(self.facts.records)))
        self._dates |= self._buffer_dates
        self._workday_dates |= self._buffer_workdays
        self._ratio_facts.extend(self._buffer_ratios)

    def _item_list(self, d: ItemList, path: str) -> None:
        lst = self.record("item_list", d.id, d.id, path, None)
        self.fact("list_level", lst, Const(d.level))
        if d.issuer:
            self.fact("list_issuer", lst, self.text(d.issuer))
        self.date("list_published", lst, d.published_on, "/published_on")
        for i, it in enumerate(d.items):
            item = self.record("item", d.id, it.id, path + pointer("items", i), lst)
            self.fact("item_department", item, self.dept(it.department))
            if it.category:
                self.fact("item_category", item, Const(it.category))
            if it.object_type:
                self.fact("item_object_type", item, self.text(it.object_type))

    def _object_directory(self, d: ObjectDirectory, path: str) -> None:
        od = self.record("object_directory", d.id, d.id, path, None)
        self.fact("directory_department", od, self.dept(d.department))
        self.date("directory_updated", od, d.updated_on, "/updated_on")
        self.fact("directory_size", od, d.size)
        if d.entries is not None:
            self.fact("directory_lists_entries", od)
            for e in d.entries:
                self.fact("directory_entry", od, self.text(e))

    def _inspector_directory(self, d: InspectorDirectory, path: str) -> None:
        ins = self.record("inspector_directory", d.id, d.id, path, None)
        self.fact("directory_department", ins, self.dept(d.department))
        self.date("directory_updated", ins, d.updated_on, "/updated_on")
        for p in d.inspectors:
            self.fact("directory_inspector", ins, self.text(p))

    def _annual_plan(self, d: AnnualPlan, path: str) -> None:
        plan = self.record("annual_plan", d.id, d.id, path, None)
        self.fact("plan_level", plan, Const(d.level))
        self.fact("plan_year", plan, d.year)
        if d.jurisdiction:
            self.fact("plan_jurisdiction", plan, self.dept(d.jurisdiction))
        if d.department:
            self.fact("plan_department", plan, self.dept(d.department))
        for name in ("submitted", "compiled", "issued", "published"):
            self.date(f"plan_{name}", plan, getattr(d, f"{name}_on"), f"/{name}_on")
        for name in d.not_stated or ():
            self.fact("plan_not_stated", plan, Const(name))
        for m in d.members or ():
            self.fact("plan_member", plan, self.dept(m))
        for c in d.county_conferences or ():
            self.fact("plan_county_conference", plan, self.dept(c))
        if d.platform is not None:
            self.closed("plan_platform", plan, d.platform)
        grouped: dict[tuple[str, tuple[int | Const, ...]], list[int]] = {}
        # the tasks' ids first, so that their keys follow one another as the tasks' records do:
        # code/2 is then a line per run of tasks, not a line a task
        ids = self.texts([t.id for t in d.tasks or ()])
        for i, t in enumerate(d.tasks or ()):
            self._task(t, d.id, path + pointer("tasks", i), plan, grouped, coded=True)
        self._task_runs(grouped)
        if d.tasks:  # its tasks are the records after it, in order
            self.codes(plan + 1, ids)
            self.fact("tasks_of", plan, plan + 1, len(self.facts.records))

    def _task_runs(self, grouped: dict[tuple[str, tuple[int | Const, ...]], list[int]]) -> None:
        """The tasks' facts, a line per run of consecutive tasks stating the same: a plan's rows
        mostly repeat a lead, a window, the nine contents, so 100,000 rows are a few hundred lines."""
        for (name, tail), keys in grouped.items():
            self.facts_over(name, keys, *tail)

    def _task(self, t: Task, document: str, path: str, parent: int,
              grouped: dict[tuple[str, tuple[int | Const, ...]], list[int]], coded: bool = False) -> int:
        """A task's facts, name(task, tail...), collected in `grouped` by (name, tail) for _task_runs;
        its code/2 too unless `coded` (the caller writes them)."""
        task = self.new_record("task", document, t.id, path)

        def fact(name: str, rec: int, *tail: int | Const) -> None:
            grouped.setdefault((name, tail), []).append(rec)

        fact("record", task, Const("task"))
        if not coded:
            self.fact("code", task, self.text(t.id))
        fact("part_of", task, parent)
        stated = {
            "name": bool(t.name and t.name.strip()),
            "items": bool(t.items),
            "objects": t.objects is not None and bool(
                (t.objects.description or "").strip() or t.objects.directory
            ),
            "methods": bool(t.methods),
            "ratio": t.ratio is not None or t.ratio_floor is not None or bool(t.ratio_tiers),
            "count": t.count is not None or t.count_floor is not None,
            "lead": t.lead is not None,
            "participants": t.participants is not None,
            "window": t.window is not None,
        }
        for name, yes in stated.items():
            if not yes:  # what a task leaves out: a plan's tasks mostly state all nine
                fact("task_omits", task, Const(name))
        for i, item in enumerate(t.items or ()):
            fact("task_item", task, self.text(item), i)
        if t.category:
            fact("task_category", task, Const(t.category))
        size = None
        if t.objects:
            if t.objects.directory:
                fact("task_directory", task, self.text(t.objects.directory))
            if t.objects.directory_size is not None:
                size = t.objects.directory_size
                fact("task_directory_size", task, size)
        for m in t.methods or ():
            fact("task_method", task, Const(m))
        if t.ratio is not None:
            self.ratio("task_ratio", task, self.read_ratio(t.ratio))
        if t.count is not None:
            fact("task_count", task, t.count)
        self.share("task_share", task, t.count, size)
        if t.ratio_floor is not None:
            self.ratio("task_ratio_floor", task, self.read_ratio(t.ratio_floor))
        if t.count_floor is not None:
            fact("task_count_floor", task, t.count_floor)
        self.share("task_floor_share", task, t.count_floor, size)
        if t.lead:
            fact("task_lead", task, self.dept(t.lead))
        for p in t.participants or ():
            fact("task_participant", task, self.dept(p))
        if t.window:
            self._buffer_dates |= {t.window.start, t.window.end}
            fact("task_window", task, ymd(t.window.start), ymd(t.window.end))
        if t.exception:
            fact("task_exception", task, Const(t.exception.basis))
            if t.exception.cap is not None:
                self.ratio("task_exception_cap", task, self.read_ratio(t.exception.cap))
        if t.special_timing:
            fact("task_special_timing", task)
        return task

    def _adjustment(self, d: Adjustment, path: str) -> None:
        adj = self.record("adjustment", d.id, d.id, path, None)
        self.fact("adjust_plan", adj, self.text(d.plan))
        if self.plan_ids and d.plan not in self.plan_ids:
            near = closest(d.plan, self.plan_ids)
            if near:
                self.fact("adjust_plan_near", adj, self.text(", ".join(near)))
        self.fact("adjust_action", adj, Const(d.action))
        task_id = d.task.id if d.task else d.task_id
        if task_id:
            self.fact("adjust_task_code", adj, self.text(task_id))
        if d.task:
            grouped: dict[tuple[str, tuple[int | Const, ...]], list[int]] = {}
            task = self._task(d.task, d.id, path + "/task", adj, grouped)
            self._task_runs(grouped)
            self.fact("tasks_of", adj, task, task)
        self.date("adjust_filed_conference", adj, d.filed_with_conference_on, "/filed_with_conference_on")
        self.date("adjust_filed_justice", adj, d.filed_with_justice_on, "/filed_with_justice_on")
        self.date("adjust_published", adj, d.published_on, "/published_on")
        self.date("adjust_effective", adj, d.effective_on, "/effective_on")

    def _batch(self, d: dict[str, Any], path: str) -> None:
        """A batch, read from its schema-valid data (validate.UNTYPED): no model per result; one kept
        as its text (checker.kept) is read again here, in the process checking its shard.

        Its single-valued fields are one `batch_row` fact (the prologue gives each as its own
        predicate): a year has tens of thousands of batches, and clingo parses one wide fact
        much faster than sixteen narrow ones."""
        if type(d) is Batch:
            d = d.data()
        g = d.get
        b = self.new_record("batch", d["id"], d["id"], path)
        code = self.text(d["id"])
        task = self.text(d["task"]) if g("task") else _NONE
        origin = Const(g("origin") or "plan")
        year = d["year"] if g("year") is not None else _NONE
        lead = self.dept(d["lead"]) if g("lead") else _NONE
        for p in g("participants") or ():
            self.fact("batch_participant", b, self.dept(p))
        platform = self.closed_value("batch_platform", b, d["platform"]) if g("platform") is not None else _NONE
        scheme = self.day("batch_scheme_entered", g("scheme_entered_on"), "/scheme_entered_on")
        draw = g("draw")
        method = drawn = _NONE
        if draw:
            if draw.get("method") is not None:
                method = self.closed_value("batch_draw_method", b, draw["method"])
            drawn = self.day("batch_drawn", draw.get("drawn_on"), "/draw/drawn_on")
            for w in draw.get("witnesses") or ():
                self.fact("batch_witness", b, self.text(w))
        directory = self.text(d["directory"]) if g("directory") else _NONE
        size = g("directory_size")
        chosen = g("selected")
        keys: list[int] = []
        if chosen is not None:
            keys = sorted(set(self.texts(chosen)))
            self.numbered_runs("batch_selected_run", b, keys)
            selected: int | None = len(keys)
        else:
            selected = g("selected_count")
        self.share("batch_share", b, selected, size)
        for p in g("inspectors") or ():
            self.fact("batch_inspector", b, self.text(p))
        form = g("form_items")
        if form is not None:
            self.fact("batch_states_form", b)
            for item in form:
                self.fact("batch_form_item", b, self.text(item))
        for p in g("declared_conflicts") or ():
            self.fact("batch_declared_conflict", b, self.text(p))
        for m in g("methods") or ():
            self.fact("batch_method", b, Const(m))
        third = g("third_party")
        if third:
            self.fact("batch_third_party", b)
            if third.get("qualified"):
                self.fact("batch_third_party_qualified", b)
        started = self.day("batch_started", g("started_on"), "/started_on")
        completed = self.day("batch_completed", g("completed_on"), "/completed_on")
        entered = self.day("batch_results_entered", g("results_entered_on"), "/results_entered_on")
        results = g("results")
        n = len(results) if results else 0
        self.fact("batch_row", b, code, task, origin, year, lead, platform, scheme, method, drawn, directory,
                  _NONE if size is None else size, _NONE if selected is None else selected, started, completed,
                  entered, *((b + 1, b + n) if n else (_NONE, _NONE)))
        if results:
            self._results(d["id"], path, b, results, keys if chosen is not None else None, chosen)

    def _results(self, document: str, path: str, b: int, results: list[dict[str, Any]],
                 selected_keys: list[int] | None, selected: list[str] | None) -> None:
        """A batch's results: record keys lo..hi, their facts per batch, as runs.

        Only a result with facts of its own (an entry date, a nondisclosure, a
        suspected crime) gets facts of its own, and part_of; the rules judge
        the others together (4.3-results/rules.lp).
        """
        records = self.facts.records
        lo = len(records) + 1
        n = len(results)
        hi = lo + n - 1
        records.extend([None] * n)
        objects = [r["object"] for r in results]
        self.facts.spans.append(ResultSpan(lo, hi, document, self._file, path, tuple(objects)))
        text = self.text
        # Usually the results are of the selected objects, in their order: their keys are known.
        same = selected_keys is not None and objects == selected
        self.numbered_runs("batch_result_objects", b, selected_keys if same else sorted(set(self.texts(objects))))
        outcomes = "result_outcome" in self.used
        known, every = self._channels, self._all_channels
        off: dict[str, list[int]] = {}  # for each channel of the vocabulary, the results not on it
        dated = 0  # results with an entered_on of their own
        for i, r in enumerate(results):
            x = lo + i
            published = r.get("published")
            if published not in every:  # else on exactly the rulebook's channels, the usual case
                on = set(published or ())
                for ch in known:
                    if ch not in on:
                        off.setdefault(ch, []).append(x)
            if outcomes and r.get("outcome"):
                self.fact("result_outcome", x, text(r["outcome"]))
            if len(r) > 3 or published is None or "outcome" not in r:  # else: object, published, outcome
                self._result_details(r, x, b, pointer("results", i))
                dated += r.get("entered_on") is not None
        for ch in known:
            keys = off.get(ch)
            if keys:
                for span in runs(keys):
                    self.fact("result_off_run", b, ch, span.lo, span.hi)
                missing = [x for x in keys if results[x - lo].get("nondisclosure") is None]
                if missing:
                    self.facts.off[(b, ch)] = missing
        if dated:
            self.facts.entered_with[b] = [lo + i for i, r in enumerate(results) if r.get("entered_on") is None]

    def _result_details(self, r: dict[str, Any], x: int, b: int, where: str) -> None:
        """What few results carry: their own entry date, a nondisclosure, a suspected crime."""
        self.fact("part_of", x, b)
        self.date("result_entered", x, r.get("entered_on"), where + "/entered_on")
        nd = r.get("nondisclosure")
        if nd is not None:
            self.fact("result_withheld", x)
            if (nd.get("reason") or "").strip():
                self.fact("withheld_reason", x)
            if (nd.get("approved_by") or "").strip():
                self.fact("withheld_approved", x)
            if nd.get("approver_role") is not None:
                self.fact("withheld_approver_role", x, self.constant("withheld_approver_role", nd["approver_role"]))
            if nd.get("archived"):
                self.fact("withheld_archived", x)
        if r.get("suspected_crime"):
            self.fact("result_suspected_crime", x)
        self.date("result_transferred", x, r.get("transferred_on"), where + "/transferred_on")

    def _progress_report(self, d: ProgressReport, path: str) -> None:
        r = self.record("progress_report", d.id, d.id, path, None)
        self.fact("report_department", r, self.dept(d.department))
        if d.reporter == "conference":
            self.fact("report_by_conference", r)
        if d.jurisdiction:
            self.fact("report_jurisdiction", r, self.dept(d.jurisdiction))
        year, _, quarter = d.period.partition("-Q")
        self.fact("report_period", r, int(year), int(quarter or 0))
        self.date("report_submitted", r, d.submitted_on, "/submitted_on")

    def _work_norm(self, d: WorkNorm, path: str) -> None:
        w = self.record("work_norm", d.id, d.id, path, None)
        self.fact("norm_department", w, self.dept(d.department))
        for c in d.covers:
            self.fact("norm_covers", w, Const(c))

    # --- the run-wide facts ----------------------------------------------------
    def finish(self) -> Facts:
        """Parameters, dates, working-day positions and ratio ranks."""
        self._buffer = []
        params: list[tuple[str, Fraction]] = []
        for p in self.rulebook.parameters.values():
            if p.kind == "ratio":
                params.append((p.name, self.facts.ratios.add(parse_ratio(str(p.value)))))
            elif p.kind == "int":
                self.fact("param", Const(p.name), int(p.value))
            elif p.kind == "monthday":
                month, day_ = str(p.value).split("-")
                self.fact("param", Const(p.name), int(month) * 100 + int(day_))
            elif p.kind == "monthdays":
                for i, text in enumerate(p.value, start=1):
                    month, day_ = str(text).split("-")
                    self.fact("param_item", Const(p.name), i, int(month) * 100 + int(day_))
            elif p.kind == "constants":
                for i, name in enumerate(p.value, start=1):
                    self.fact("param_item", Const(p.name), i, Const(str(name)))
            elif p.kind == "date":
                self.fact("param", Const(p.name), ymd(str(p.value)))
                self._dates.add(str(p.value))
        self.facts.ratios.freeze()
        for name, value in params:
            self.fact("param_ratio", Const(name), self.facts.ratios.rank(value))
        # a line per run of records with the same ratio (a plan's tasks mostly state one)
        ranked: dict[tuple[str, int], list[int]] = {}
        rank = self.facts.ratios.rank
        for name, rec, value in self._ratio_facts:
            ranked.setdefault((name, rank(value)), []).append(rec)
        for (name, r), keys in ranked.items():
            self.facts_over(name, keys, r)
        for ch in self._channels:
            self.fact("result_channel", ch)
        as_of = self.as_of.isoformat()
        self._dates.add(as_of)
        self.fact("as_of", ymd(as_of))
        self.fact("as_of_workdays", self.calendar.position(self.as_of), self.calendar.before(self.as_of))
        for text in sorted(self._dates):
            self.fact("day", ymd(text), dt.date.fromisoformat(text).toordinal())
        self.facts.calendar_years = {int(t[:4]) for t in self._workday_dates}
        for text in sorted(self._workday_dates):
            day = dt.date.fromisoformat(text)
            self.fact("workdays", ymd(text), self.calendar.position(day), self.calendar.before(day))
        self.facts.lines.extend(self._buffer)
        return self.facts


def build_facts(
    documents: Iterable[Valid], rulebook: Rulebook, calendar: WorkCalendar, as_of: dt.date
) -> tuple[Facts, list[InputError]]:
    builder = FactBuilder(rulebook, calendar, as_of)
    for doc in documents:
        builder.add(doc)
    return builder.finish(), builder.errors
