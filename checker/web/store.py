"""What the service does with submissions, apart from HTTP: store, check, compare, recover.

Who may see what is decided here too (`visible`), so every route and API call
asks the same question the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from checker.read.inputs import Limits
from checker.web.db import KINDS, Audit, Feed, StoredFile, Submission, User, Version, Waiver, now
from checker.web.work import Context, Job, Outcome, run_job

INTERRUPTED = "interrupted: the server stopped during the check; run it again"
CONFERENCE = "联席会议办公室"  # the `department` of what a conference office uploads (its own plan)


class Refused(ValueError):
    """An upload or request refused, with the reason shown to its sender."""


class Unknown(LookupError):
    """No such thing that this user may see (whether it exists is not said)."""


def audit(db: Session, actor: str, action: str, target: str = "", detail: Any = "", address: str = "") -> None:
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, sort_keys=True)
    db.add(Audit(actor=actor, action=action, target=target, detail=text, address=address))


def visible_submissions(user: User) -> Select[tuple[Submission]]:
    """The submissions `user` may see, as a query every list and lookup starts from."""
    q = select(Submission)
    if user.role == "admin":
        return q
    if user.role == "department":
        return q.where(Submission.department == user.department, Submission.jurisdiction == user.jurisdiction)
    if user.role == "justice":
        q = q.where(Submission.kind == "adjustment")
        return q.where(Submission.jurisdiction == user.jurisdiction) if user.jurisdiction else q
    return q.where(Submission.jurisdiction == user.jurisdiction)


def find_submission(db: Session, user: User, sid: str) -> Submission | None:
    """The submission, or None alike when it does not exist and when `user` may not see it."""
    return db.scalar(visible_submissions(user).where(Submission.id == sid))


def safe_name(name: str) -> str:
    """An upload's file name without folders; refused when nothing usable is left."""
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    if not base or base.startswith(".") or len(base) > 200 or any(ord(c) < 32 for c in base):
        raise Refused(f"file name {name!r} cannot be stored: give the file a plain name")
    return base


def unique_names(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    seen: set[str] = set()
    out = []
    for name, data in files:
        base = safe_name(name)
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{n}-{base}"
        seen.add(candidate)
        out.append((candidate, data))
    return out


def parse_fields(text: str, option: str) -> tuple[tuple[str, str], ...]:
    """KEY=VALUE lines, as the command line's --plan and --items take them."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise Refused(f"{option} {line.strip()!r}: expected KEY=VALUE, e.g. level=department")
        out.append((key.strip(), value.strip()))
    return tuple(out)


def new_version(db: Session, sub: Submission, files: list[tuple[str, bytes]], as_of: dt.date, actor: str,
                lang: str = "zh", plan_fields: str = "", item_fields: str = "", note: str = "") -> Version:
    if not files:
        raise Refused("no file was uploaded")
    parse_fields(plan_fields, "--plan")
    parse_fields(item_fields, "--items")
    number = 1 + max((v.number for v in sub.versions), default=0)
    version = Version(submission_id=sub.id, number=number, as_of=as_of, lang=lang, plan_fields=plan_fields,
                      item_fields=item_fields, note=note, created_by=actor)
    db.add(version)
    db.flush()
    for name, data in unique_names(files):
        db.add(StoredFile(version_id=version.id, name=name, data=data, size=len(data),
                          sha256=hashlib.sha256(data).hexdigest()))
    db.flush()
    return version


def upload(db: Session, user: User, files: list[tuple[str, bytes]], sid: str, kind: str, title: str, year: str,
           as_of: dt.date, lang: str, plan_fields: str, item_fields: str) -> Version:
    """A new version of the user's submission `sid`, or of a new submission (kind, title, year)."""
    if user.role not in ("department", "conference"):
        raise Unknown(sid)
    if sid:
        sub = find_submission(db, user, sid)
        if sub is None or sub.department != uploader(user):
            raise Unknown(sid)
    else:
        title = title.strip()[:300]
        if kind not in KINDS or not title:
            raise Refused(f"a new submission needs a title and a kind ({', '.join(KINDS)})")
        try:
            number = int(year)
        except ValueError:
            raise Refused("year: a number such as 2025") from None
        sub = Submission(department=uploader(user), jurisdiction=user.jurisdiction or "", year=number, kind=kind,
                         title=title, created_by=user.name)
        db.add(sub)
        db.flush()
    return new_version(db, sub, files, as_of, user.name, lang, plan_fields, item_fields)


def waiver_entries(db: Session, sub: Submission) -> list[dict[str, str]] | None:
    rows = db.scalars(select(Waiver).where(Waiver.submission_id == sub.id).order_by(Waiver.granted_at, Waiver.id))
    entries = [{"rule": w.rule, "document": w.document, "subject": w.subject, "reason": w.reason,
                "authority": w.authority, "approver": w.approver, "expires": w.expires.isoformat()} for w in rows]
    return entries or None


CONTEXT = "context"  # the folder of a check's context files; uploads' names hold no '/', so none is inside it


def context_files(db: Session, sub: Submission) -> list[Context]:
    """The files of the latest version of every other submission of the jurisdiction and year: the plans,
    adjustments, item lists, directories and norms a check of `sub` reads as context (Options.context).

    One folder per submission, named by its department and numbered newest first: where two submissions
    hold the same document, the newer one's copy is read (checker.api.context_of), whatever the order the
    folder names would sort in otherwise.
    """
    others = db.scalars(select(Submission).where(Submission.jurisdiction == sub.jurisdiction,
                                                 Submission.year == sub.year, Submission.id != sub.id))
    latest = sorted((s.versions[-1] for s in others if s.versions), key=lambda v: (v.created_at, v.id),
                    reverse=True)
    width = len(str(len(latest)))
    out = []
    for n, v in enumerate(latest, 1):
        folder = f"{CONTEXT}/{n:0{width}d}-{_FOLDER.sub('_', v.submission.department)[:60]}"
        out.append(Context(folder, [(f.name, f.data) for f in v.files], parse_fields(v.plan_fields, "--plan"),
                           parse_fields(v.item_fields, "--items")))
    return out


_FOLDER = re.compile(r"[^\w-]")


@dataclass(frozen=True)
class Checker:
    """Runs a stored version's check and stores its outcome."""

    sessions: sessionmaker
    limits: Limits = Limits()  # noqa: RUF009 - frozen
    seconds: float = 120.0
    runner: Callable[[Job, float], Outcome] = run_job
    memory_bytes: int | None = None

    def __call__(self, version_id: str) -> None:
        with self.sessions.begin() as db:
            v = db.get(Version, version_id)
            if v is None or v.status not in {"queued"}:
                return
            v.status = "running"
            job = Job(files=[(f.name, f.data) for f in v.files], as_of=v.as_of, lang=v.lang,
                      plan=parse_fields(v.plan_fields, "--plan"), items=parse_fields(v.item_fields, "--items"),
                      waivers=waiver_entries(db, v.submission), context=context_files(db, v.submission),
                      limits=self.limits,
                      memory_bytes=self.memory_bytes)
        try:
            outcome = self.runner(job, self.seconds)
        except Exception as exc:  # the pool's own failure still ends the version
            outcome = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}")
        with self.sessions.begin() as db:
            v = db.get(Version, version_id)
            assert v is not None
            v.finished_at = now()
            if outcome.ok:
                v.status, v.report_json, v.report_html = "done", outcome.report_json, outcome.report_html
                v.exit_code, v.summary, v.rulebook = outcome.exit_code, outcome.summary, outcome.rulebook
                v.obligations = outcome.obligations
            else:
                v.status, v.error = "failed", outcome.error
            audit(db, "system", "check." + v.status, v.id, {"submission": v.submission_id, "version": v.number,
                                                             "error": outcome.error})


def recover(db: Session) -> int:
    """Versions a stopped server left queued or running are failed, to be run again."""
    n = 0
    for v in db.scalars(select(Version).where(Version.status.in_(("queued", "running")))):
        v.status, v.error, v.finished_at = "failed", INTERRUPTED, now()
        audit(db, "system", "check.failed", v.id, {"submission": v.submission_id, "version": v.number,
                                                    "error": INTERRUPTED})
        n += 1
    return n


def rerun(db: Session, v: Version) -> None:
    if v.status != "failed":
        raise Refused("only a failed check is run again")
    v.status, v.error, v.finished_at = "queued", "", None


def _open_keys(report_json: str | None) -> dict[tuple[str, str, str], dict[str, Any]]:
    if not report_json:
        return {}
    report = json.loads(report_json)
    return {(f["rule"], f["document"], f["subject"]): f for f in report.get("violations", [])}


@dataclass(frozen=True)
class Changes:
    """Violations (rule, document, subject) fixed, new and still open since the previous checked version."""

    previous: int | None
    fixed: list[dict[str, Any]]
    new: list[dict[str, Any]]
    still_open: list[dict[str, Any]]


def changes(sub: Submission, v: Version) -> Changes:
    earlier = [p for p in sub.versions if p.number < v.number and p.status == "done"]
    if not earlier or v.status != "done":
        return Changes(None, [], [], [])
    prev = earlier[-1]
    before, after = _open_keys(prev.report_json), _open_keys(v.report_json)
    return Changes(prev.number,
                   fixed=[before[k] for k in sorted(before.keys() - after.keys())],
                   new=[after[k] for k in sorted(after.keys() - before.keys())],
                   still_open=[after[k] for k in sorted(after.keys() & before.keys())])


def latest_done(sub: Submission) -> Version | None:
    done = [v for v in sub.versions if v.status == "done"]
    return done[-1] if done else None


def open_by_clause(v: Version | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in _open_keys(v.report_json if v else None).values():
        counts[f["clause"]] = counts.get(f["clause"], 0) + 1
    return dict(sorted(counts.items()))


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, what: str) -> dt.date:
    try:
        if not _DATE.match(text.strip()):
            raise ValueError
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise Refused(f"{what}: expected a date YYYY-MM-DD, got {text!r}") from None


def uploader(user: User) -> str:
    """The department a user's uploads belong to: its own, or the conference office."""
    return CONFERENCE if user.role == "conference" else (user.department or "")


def feed(db: Session, jurisdiction: str, department: str) -> Feed:
    """The department's calendar feed, made on first use."""
    row = db.scalar(select(Feed).where(Feed.jurisdiction == jurisdiction, Feed.department == department))
    if row is None:
        row = Feed(jurisdiction=jurisdiction, department=department)
        db.add(row)
        db.flush()
    return row


def _due(parameter: str, year: int) -> dt.date:
    """A month-day deadline of the rulebook (department_plan_by, conference_plan_by) in `year`."""
    from checker.rulebook import load_rulebook

    month, day = (int(x) for x in load_rulebook().parameters[parameter].value.split("-"))
    return dt.date(year, month, day)


def standing(subs: list[Submission], department: str, year: int) -> dict[str, Any]:
    """One dashboard row: when the department's plan for `year` arrived here, against its deadline, and
    its open violations by clause. The deadline is the rulebook's (a department's plan by 12-31 of the
    year before, the conference's own by 01-31); whether the plan says it was submitted in time is the
    rules' to judge, in the report."""
    conference = department == CONFERENCE
    mine = [s for s in subs if s.department == department]
    plans = [s for s in mine if s.kind == "plan"]
    first = min((v.created_at for s in plans for v in s.versions), default=None)
    due = _due("conference_plan_by", year) if conference else _due("department_plan_by", year - 1)
    open_clauses: dict[str, int] = {}
    for s in mine:
        for clause, n in open_by_clause(latest_done(s)).items():
            open_clauses[clause] = open_clauses.get(clause, 0) + n
    return {"department": department, "conference": conference, "subs": mine, "plan": bool(plans),
            "first": first, "due": due, "on_time": first is not None and first.date() <= due,
            "open": dict(sorted(open_clauses.items()))}
