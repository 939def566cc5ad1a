"""Turn validated documents into clingo facts, through one audited path.

No user text ever becomes program text. Every name, id and free text is
interned to an integer key; every record (document, task, item, result...) is
an integer key whose document, subject and JSON pointer stay here, in Python,
for the report. Fixed vocabularies (levels, methods, channels) become
constants only from the closed sets below; anything else is `other`. Dates
are YYYYMMDD integers, ratios are exact ranks (see ratios.py), and working-day
positions come from the calendar. `Facts.program()` is the only text handed
to clingo, and `_atom` the only function that writes it: it accepts integers
and vetted constants, nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from checker.errors import InputError, pointer
from checker.models import (
    Adjustment,
    AnnualPlan,
    Batch,
    InspectorDirectory,
    ItemList,
    ObjectDirectory,
    ProgressReport,
    Task,
    WorkNorm,
)
from checker.ratios import RatioTable, parse_ratio
from checker.rulebook import Rulebook
from checker.validate import Valid
from checker.workdays import WorkCalendar

_CONSTANT = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_INT = 2**31 - 1


class Const(str):
    """A constant the engine may write into a program: a vetted identifier."""

    def __new__(cls, name: str) -> Const:
        if not _CONSTANT.fullmatch(name):
            raise ValueError(f"not a constant: {name!r}")
        return super().__new__(cls, name)


def _closed(value: str | None, allowed: Iterable[str], default: str = "other") -> Const:
    """A value of a fixed vocabulary as a constant; anything else is `default`."""
    return Const(value if value in set(allowed) else default)


@dataclass(frozen=True)
class Record:
    """What the report needs to name a record the rules talk about."""

    kind: str
    document: str
    subject: str
    file: str
    path: str


@dataclass
class Facts:
    """The facts of one run and the tables that decode them."""

    lines: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    ratios: RatioTable = field(default_factory=RatioTable)
    documents: int = 0  # documents whose facts are in the program
    calendar_years: set[int] = field(default_factory=set)  # years counted in working days

    def program(self) -> str:
        return "\n".join(self.lines) + "\n"

    def string(self, key: int) -> str:
        return self.strings[key - 1]

    def record(self, key: int) -> Record:
        return self.records[key - 1]


def _atom(name: str, args: tuple[int | Const, ...]) -> str:
    """The only writer of program text: integers in range and vetted constants."""
    for a in args:
        if isinstance(a, bool) or not (
            isinstance(a, Const) or (isinstance(a, int) and -MAX_INT <= a <= MAX_INT)
        ):
            raise TypeError(f"unsafe fact argument {a!r} for {name}")
    return f"{Const(name)}({','.join(str(a) for a in args)})."


def ymd(text: str) -> int:
    """A validated ISO date as the integer YYYYMMDD (order-preserving)."""
    return int(text[0:4]) * 10000 + int(text[5:7]) * 100 + int(text[8:10])


def department(name: str) -> str:
    """Department names are compared after NFKC normalisation and trimming."""
    return unicodedata.normalize("NFKC", name).strip()


class FactBuilder:
    """Builds the facts of a run, document by document."""

    def __init__(self, rulebook: Rulebook, calendar: WorkCalendar, as_of: dt.date) -> None:
        self.rulebook = rulebook
        self.calendar = calendar
        self.as_of = as_of
        self.facts = Facts()
        self._string_keys: dict[str, int] = {}
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

    # --- the audited writers -------------------------------------------------
    def fact(self, name: str, *args: int | Const) -> None:
        self._buffer.append(_atom(name, args))

    def text(self, value: str) -> int:
        """The integer key of a text (interned; equal texts share a key)."""
        key = self._string_keys.get(value)
        if key is None:
            self.facts.strings.append(value)
            key = self._string_keys[value] = len(self.facts.strings)
        return key

    def dept(self, name: str) -> int:
        """A department or jurisdiction name, keyed after NFKC normalisation and trimming."""
        return self.text(department(name))

    def date(self, name: str, rec: int, value: str | None, where: str) -> None:
        """A dated fact; dates the rules count in working days get positions."""
        if value is None:
            return
        if name in self.rulebook.working_day_dates:
            year = int(value[:4])
            if not self.calendar.covers(year):
                self._doc_errors.append(InputError(
                    self._file, self._doc_path + where,
                    f"no working-day calendar covers {year} (date {value}); supply one with "
                    "--calendar FILE or choose --weekends-only",
                ))
                return
            self._buffer_workdays.add(value)
        self._buffer_dates.add(value)
        self.fact(name, rec, ymd(value))

    def ratio(self, name: str, rec: int, value: Fraction) -> None:
        self._buffer_ratios.append((name, rec, self.facts.ratios.add(value)))

    def share(self, name: str, rec: int, count: int | None, size: int | None) -> None:
        """count / size as an exact ratio, when both are known and size > 0."""
        if count is not None and size:
            self.ratio(name, rec, Fraction(count, size))

    def record(self, kind: str, document: str, subject: str, path: str, parent: int | None) -> int:
        self.facts.records.append(Record(kind, document, subject, self._file, path))
        key = len(self.facts.records)
        self.fact("record", key, Const(kind))
        self.fact("code", key, self.text(subject))
        if parent is not None:
            self.fact("part_of", key, parent)
        return key

    # --- documents -----------------------------------------------------------
    def add(self, doc: Valid) -> None:
        self._file, self._doc_path = doc.file, doc.path
        self._buffer, self._buffer_dates, self._buffer_workdays = [], set(), set()
        self._buffer_ratios, self._doc_errors = [], []
        getattr(self, f"_{doc.model.kind}")(doc.model, doc.path)
        if self._doc_errors:
            self.errors.extend(self._doc_errors)
            return
        self.facts.lines.extend(self._buffer)
        self.facts.documents += 1
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
        for m in d.members or ():
            self.fact("plan_member", plan, self.dept(m))
        if d.platform is not None:
            self.fact("plan_platform", plan, _closed(d.platform, ["provincial"]))
        for i, t in enumerate(d.tasks or ()):
            self._task(t, d.id, path + pointer("tasks", i), plan)

    def _task(self, t: Task, document: str, path: str, parent: int) -> int:
        task = self.record("task", document, t.id, path, parent)
        stated = {
            "name": bool(t.name and t.name.strip()),
            "items": bool(t.items),
            "objects": t.objects is not None and bool(
                (t.objects.description or "").strip() or t.objects.directory
            ),
            "methods": bool(t.methods),
            "ratio": t.ratio is not None or t.ratio_floor is not None,
            "count": t.count is not None or t.count_floor is not None,
            "lead": t.lead is not None,
            "participants": t.participants is not None,
            "window": t.window is not None,
        }
        for name, yes in stated.items():
            if yes:
                self.fact("task_states", task, Const(name))
        for i, item in enumerate(t.items or ()):
            self.fact("task_item", task, self.text(item), i)
        size = None
        if t.objects:
            if t.objects.directory:
                self.fact("task_directory", task, self.text(t.objects.directory))
            if t.objects.directory_size is not None:
                size = t.objects.directory_size
                self.fact("task_directory_size", task, size)
        for m in t.methods or ():
            self.fact("task_method", task, Const(m))
        if t.ratio is not None:
            self.ratio("task_ratio", task, parse_ratio(t.ratio))
        if t.count is not None:
            self.fact("task_count", task, t.count)
        self.share("task_share", task, t.count, size)
        if t.ratio_floor is not None:
            self.ratio("task_ratio_floor", task, parse_ratio(t.ratio_floor))
        if t.count_floor is not None:
            self.fact("task_count_floor", task, t.count_floor)
        self.share("task_floor_share", task, t.count_floor, size)
        if t.lead:
            self.fact("task_lead", task, self.dept(t.lead))
        for p in t.participants or ():
            self.fact("task_participant", task, self.dept(p))
        if t.window:
            self._buffer_dates |= {t.window.start, t.window.end}
            self.fact("task_window", task, ymd(t.window.start), ymd(t.window.end))
        if t.exception:
            self.fact("task_exception", task, Const(t.exception.basis))
            if t.exception.cap is not None:
                self.ratio("task_exception_cap", task, parse_ratio(t.exception.cap))
        if t.special_timing:
            self.fact("task_special_timing", task)
        return task

    def _adjustment(self, d: Adjustment, path: str) -> None:
        adj = self.record("adjustment", d.id, d.id, path, None)
        self.fact("adjust_plan", adj, self.text(d.plan))
        self.fact("adjust_action", adj, Const(d.action))
        task_id = d.task.id if d.task else d.task_id
        if task_id:
            self.fact("adjust_task_code", adj, self.text(task_id))
        if d.task:
            self._task(d.task, d.id, path + "/task", adj)
        self.date("adjust_filed_conference", adj, d.filed_with_conference_on, "/filed_with_conference_on")
        self.date("adjust_filed_justice", adj, d.filed_with_justice_on, "/filed_with_justice_on")
        self.date("adjust_published", adj, d.published_on, "/published_on")
        self.date("adjust_effective", adj, d.effective_on, "/effective_on")

    def _batch(self, d: Batch, path: str) -> None:
        b = self.record("batch", d.id, d.id, path, None)
        if d.task:
            self.fact("batch_task", b, self.text(d.task))
        self.fact("batch_origin", b, Const(d.origin or "plan"))
        if d.year is not None:
            self.fact("batch_year", b, d.year)
        if d.lead:
            self.fact("batch_lead", b, self.dept(d.lead))
        for p in d.participants or ():
            self.fact("batch_participant", b, self.dept(p))
        if d.platform is not None:
            self.fact("batch_platform", b, _closed(d.platform, ["provincial"]))
        self.date("batch_scheme_entered", b, d.scheme_entered_on, "/scheme_entered_on")
        if d.draw:
            if d.draw.method is not None:
                self.fact("batch_draw_method", b, _closed(d.draw.method, ["platform_lottery"]))
            self.date("batch_drawn", b, d.draw.drawn_on, "/draw/drawn_on")
            for w in d.draw.witnesses or ():
                self.fact("batch_witness", b, self.text(w))
        if d.directory:
            self.fact("batch_directory", b, self.text(d.directory))
        if d.directory_size is not None:
            self.fact("batch_directory_size", b, d.directory_size)
        selected = len(set(d.selected)) if d.selected is not None else d.selected_count
        for o in d.selected or ():
            self.fact("batch_selected", b, self.text(o))
        if selected is not None:
            self.fact("batch_selected_count", b, selected)
        self.share("batch_share", b, selected, d.directory_size)
        for p in d.inspectors or ():
            self.fact("batch_inspector", b, self.text(p))
        for m in d.methods or ():
            self.fact("batch_method", b, Const(m))
        if d.third_party:
            self.fact("batch_third_party", b)
            self.fact("batch_third_party_name", b, self.text(d.third_party.name))
            if d.third_party.qualified:
                self.fact("batch_third_party_qualified", b)
        self.date("batch_started", b, d.started_on, "/started_on")
        self.date("batch_completed", b, d.completed_on, "/completed_on")
        self.date("batch_results_entered", b, d.results_entered_on, "/results_entered_on")
        for i, r in enumerate(d.results or ()):
            where = pointer("results", i)
            x = self.record("result", d.id, r.object, path + where, b)
            if r.outcome:
                self.fact("result_outcome", x, self.text(r.outcome))
            self.date("result_entered", x, r.entered_on, where + "/entered_on")
            for ch in r.published or ():
                self.fact("result_published", x, _closed(ch, ["gsxt_sichuan", "creditchina_sichuan"]))
            if r.nondisclosure:
                nd = r.nondisclosure
                self.fact("result_withheld", x)
                if nd.reason and nd.reason.strip():
                    self.fact("withheld_reason", x)
                if nd.approved_by and nd.approved_by.strip():
                    self.fact("withheld_approved", x)
                if nd.approver_role is not None:
                    self.fact("withheld_approver_role", x, _closed(nd.approver_role, ["principal_head"]))
                if nd.archived:
                    self.fact("withheld_archived", x)
            if r.suspected_crime:
                self.fact("result_suspected_crime", x)
            self.date("result_transferred", x, r.transferred_on, where + "/transferred_on")

    def _progress_report(self, d: ProgressReport, path: str) -> None:
        r = self.record("progress_report", d.id, d.id, path, None)
        self.fact("report_department", r, self.dept(d.department))
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
            elif p.kind == "date":
                self.fact("param", Const(p.name), ymd(str(p.value)))
                self._dates.add(str(p.value))
        self.facts.ratios.freeze()
        for name, value in params:
            self.fact("param_ratio", Const(name), self.facts.ratios.rank(value))
        for name, rec, value in self._ratio_facts:
            self.fact(name, rec, self.facts.ratios.rank(value))
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
