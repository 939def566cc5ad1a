"""The ASGI application: pages for people, /api/v1 for machines, one library underneath.

Starlette (through FastAPI, which adds the OpenAPI schema of /api/v1) with
Jinja2 templates rendered on the server: every page works without
JavaScript and prints. Sessions are signed cookies (HttpOnly, SameSite
strict); every form carries a CSRF token; the API takes bearer tokens.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import UploadFile
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from checker.api import today
from checker.read.inputs import Limits
from checker.reporters.html_report import _CSS
from checker.web import store
from checker.web.auth import AccountError, RateLimit, add_user, authenticate, csrf_ok, csrf_token, new_token
from checker.web.db import KINDS, ROLES, Audit, Feed, Setting, Submission, User, Version, Waiver, engine_for, migrate
from checker.web.db import sessions as make_sessions
from checker.web.store import Refused, audit
from checker.web.words import WORDS
from checker.web.work import AccountBusy, Job, Pool, run_job

PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_EXTRA_CSS = """
nav { display: flex; flex-wrap: wrap; gap: .2em 1.2em; align-items: baseline; border-bottom: 1px solid #ccc;
      padding-bottom: .4em; margin-bottom: 1em; }
nav .who { margin-left: auto; color: #555; }
nav form { display: inline; }
form.stack label { display: block; margin: .5em 0 .1em; }
input[type=text], input[type=password], input[type=date], input[type=number], select, textarea {
  font: inherit; padding: .2em .3em; max-width: 100%; }
textarea { width: 100%; }
button, input[type=submit] { font: inherit; padding: .2em .9em; }
.flash { border: 1px solid #b00020; background: #fdecee; padding: .4em .8em; }
.ok { border: 1px solid #2e7d32; background: #edf7ee; padding: .4em .8em; }
.fixed { color: #2e7d32; } .new { color: #b00020; }
details.waive { margin: .2em 0; }
@media print { nav, form, details.waive { display: none; } }
"""


@dataclass
class Settings:
    db: str = "dsr-check.db"
    workers: int = 2
    queue: int = 32
    seconds: float = 120.0
    limits: Limits = field(default_factory=Limits)
    max_files: int = 1000
    secure_cookies: bool = False
    runner: Callable[[Job, float], Any] = run_job
    memory_mb: int = 4096  # a check's address space at most; a year of a province needs about 1.5 GiB
    per_account: int = 4  # checks one account may have queued or running (work.Pool)


class BodyLimit:
    """Refuse a request body over `limit` bytes: at once from Content-Length, else as it streams in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await _too_large(self.limit, send)
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(self.limit, send)


class _TooLarge(Exception):
    pass


async def _too_large(limit: int, send: Send) -> None:
    body = json.dumps({"error": f"the upload is larger than {limit // 2**20} MiB; it was not read"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _secret(sessions: sessionmaker) -> str:
    with sessions.begin() as db:
        row = db.get(Setting, "session_secret")
        if row is None:
            row = Setting(key="session_secret", value=secrets.token_urlsafe(48))
            db.add(row)
        return row.value


class Denied(Exception):
    def __init__(self, status: int, key: str) -> None:
        self.status, self.key = status, key


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    engine = engine_for(settings.db)
    migrate(engine)
    sessions = make_sessions(engine)
    with sessions.begin() as db:
        store.recover(db)
    pool = Pool(settings.workers, settings.queue, settings.per_account)
    checker = store.Checker(sessions, settings.limits, settings.seconds, settings.runner,
                            settings.memory_mb * 2**20)
    limiter = RateLimit()
    templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
    css = _CSS + _EXTRA_CSS

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.shutdown()

    app = FastAPI(lifespan=lifespan, title="dsr-check", version="1", openapi_url="/api/v1/openapi.json", docs_url=None,
                  redoc_url=None, description="Check '双随机、一公开' documents; submissions and reports.")
    app.state.sessions, app.state.pool, app.state.settings = sessions, pool, settings

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(SessionMiddleware, secret_key=_secret(sessions), session_cookie="dsr_session",
                       same_site="strict", https_only=settings.secure_cookies, max_age=12 * 3600)
    app.add_middleware(BodyLimit, limit=settings.limits.max_file_bytes)

    # --- helpers -------------------------------------------------------------------------------------

    def lang_of(request: Request) -> str:
        return request.session.get("lang", "zh") if request.session.get("lang") in WORDS else "zh"

    def page(request: Request, name: str, user: User | None, status: int = 200, **context: Any) -> HTMLResponse:
        lang = lang_of(request)
        return templates.TemplateResponse(request, name, {
            "t": WORDS[lang], "user": user, "csrf": csrf_token(request.session), "lang": lang, **context},
            status_code=status)

    def current(request: Request, db: Session, *roles: str) -> User:
        uid = request.session.get("uid")
        user = db.get(User, uid) if isinstance(uid, int) else None
        if user is None or not user.active or request.session.get("epoch") != user.epoch:
            raise Denied(401, "login")
        if roles and user.role not in roles:
            raise Denied(403, "no_access")
        return user

    async def form_of(request: Request) -> Any:
        form = await request.form(max_files=settings.max_files, max_fields=200)
        if not csrf_ok(request.session, form.get("csrf")):
            raise Denied(403, "csrf")
        return form

    def address(request: Request) -> str:
        return request.client.host if request.client else ""

    async def uploads(form: Any) -> list[tuple[str, bytes]]:
        files = []
        for item in form.getlist("files"):
            if isinstance(item, UploadFile) and item.filename:
                files.append((item.filename, await item.read()))
        return files

    async def run_now(version_id: str, account: str) -> None:
        """Queue the check and wait for it up to its time limit (the page then shows the report)."""
        try:
            future = pool.submit(lambda: checker(version_id), account)
        except AccountBusy as exc:
            future, error = None, exc.message()
        else:
            error = "busy: too many checks are waiting; run it again later"
        if future is None:
            with sessions.begin() as db:
                v = db.get(Version, version_id)
                v.status, v.error = "failed", error
            return
        try:
            await asyncio.wait_for(asyncio.wrap_future(future), settings.seconds + 10)
        except TimeoutError:
            pass

    def busy(request: Request, user: User) -> Response:
        """The account has its share of the pool: refused before anything is stored."""
        return page(request, "message.html", user, 429, message=AccountBusy(pool.per_account).message(
            lang_of(request)))

    @app.exception_handler(Denied)
    async def denied(request: Request, exc: Denied) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.key}, exc.status)
        if exc.status == 401:
            return RedirectResponse("/login", 303)
        with sessions() as db:
            uid = request.session.get("uid")
            user = db.get(User, uid) if isinstance(uid, int) else None
            return page(request, "message.html", user, exc.status, message=WORDS[lang_of(request)].get(
                exc.key, "CSRF token missing or wrong; reload the form."))

    # --- pages ---------------------------------------------------------------------------------------

    @app.get("/static/style.css", include_in_schema=False)
    def style() -> Response:
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        return RedirectResponse("/submissions" if request.session.get("uid") else "/login", 303)

    @app.get("/lang/{code}", include_in_schema=False)
    def switch(request: Request, code: str) -> Response:
        if code in WORDS:
            request.session["lang"] = code
        return RedirectResponse("/", 303)

    @app.get("/login", include_in_schema=False)
    def login_page(request: Request) -> Response:
        return page(request, "login.html", None)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await form_of(request)
        name, password = str(form.get("name", ""))[:100], str(form.get("password", ""))[:1000]
        keys = ("name:" + name.strip(), "addr:" + address(request))
        with sessions.begin() as db:
            if limiter.blocked(db, *keys):
                audit(db, name, "login.blocked", address=address(request))
                return page(request, "login.html", None, 429, error="too_many")
        with sessions.begin() as db:
            user = await asyncio.to_thread(authenticate, db, name, password)
            if user is None:
                limiter.failed(db, *keys)
                audit(db, name, "login.failed", address=address(request))
                return page(request, "login.html", None, 401, error="bad_login")
            audit(db, user.name, "login", address=address(request))
            lang = request.session.get("lang")
            request.session.clear()  # a new session (and CSRF token) for the new login
            request.session.update({"uid": user.id, "epoch": user.epoch, **({"lang": lang} if lang else {})})
        return RedirectResponse("/", 303)

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        await form_of(request)
        request.session.clear()
        return RedirectResponse("/login", 303)

    @app.get("/submissions", include_in_schema=False)
    def listing(request: Request) -> Response:
        with sessions() as db:
            user = current(request, db)
            subs = db.scalars(store.visible_submissions(user).order_by(Submission.created_at.desc())).all()
            rows = [(s, s.versions[-1] if s.versions else None) for s in subs]
            return page(request, "list.html", user, rows=rows)

    @app.get("/submit", include_in_schema=False)
    def submit_page(request: Request) -> Response:
        with sessions() as db:
            user = current(request, db, "department", "conference")
            subs = db.scalars(store.visible_submissions(user).where(
                Submission.department == store.uploader(user)).order_by(Submission.created_at.desc())).all()
            level = "level=conference" if user.role == "conference" else \
                f"level=department\ndepartment={user.department}"
            return page(request, "submit.html", user, subs=subs, kinds=KINDS, today=today().isoformat(),
                        year=today().year, plan_default=level)

    def version_form(form: Any) -> tuple[dt.date, str, str, str]:
        as_of = store.parse_date(str(form.get("as_of") or today().isoformat()), "as_of")
        lang = str(form.get("lang") or "zh")
        if lang not in WORDS:
            raise Refused("lang: zh or en")
        return as_of, lang, str(form.get("plan_fields", "")), str(form.get("item_fields", ""))

    @app.post("/submit", include_in_schema=False)
    async def submit(request: Request) -> Response:
        form = await form_of(request)
        files = await uploads(form)
        with sessions.begin() as db:
            user = current(request, db, "department", "conference")
            if pool.full_for(user.name):
                return busy(request, user)
            try:
                as_of, lang, plan, items = version_form(form)
                v = store.upload(db, user, files, str(form.get("submission") or ""), str(form.get("kind", "plan")),
                                 str(form.get("title", "")), str(form.get("year", "")), as_of, lang, plan, items)
                sub = v.submission
            except store.Unknown:
                raise Denied(404, "not_found") from None
            except Refused as exc:
                db.rollback()
                return page(request, "message.html", user, 400, message=str(exc))
            audit(db, user.name, "upload", v.id, {"submission": sub.id, "version": v.number,
                                                  "files": [[f.name, f.sha256] for f in v.files]}, address(request))
            target, vid, account = f"/s/{sub.id}?v={v.number}", v.id, user.name
        await run_now(vid, account)
        return RedirectResponse(target, 303)

    @app.get("/s/{sid}", include_in_schema=False)
    def submission_page(request: Request, sid: str, v: int | None = None) -> Response:
        from checker.web.filing import adjustments

        with sessions() as db:
            user = current(request, db)
            sub = store.find_submission(db, user, sid)
            if sub is None or not sub.versions:
                raise Denied(404, "not_found")
            version = next((x for x in sub.versions if x.number == v), sub.versions[-1])
            report = json.loads(version.report_json) if version.report_json else None
            waivers = db.scalars(select(Waiver).where(Waiver.submission_id == sub.id)
                                 .order_by(Waiver.granted_at)).all()
            return page(request, "submission.html", user, sub=sub, version=version, report=report,
                        changes=store.changes(sub, version), waivers=waivers, today=today().isoformat(),
                        uploader=store.uploader(user),
                        adjustments=adjustments(version) if sub.kind == "adjustment" else [],
                        busy=version.status in {"queued", "running"})

    def version_of(db: Session, user: User, sid: str, n: int) -> Version:
        sub = store.find_submission(db, user, sid)
        version = next((x for x in sub.versions if x.number == n), None) if sub else None
        if version is None:
            raise Denied(404, "not_found")
        return version

    @app.get("/s/{sid}/v/{n}/report", include_in_schema=False)
    def report_page(request: Request, sid: str, n: int) -> Response:
        with sessions() as db:
            user = current(request, db)
            version = version_of(db, user, sid, n)
            if not version.report_html:
                raise Denied(404, "not_found")
            html = version.report_html
        hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                          for s in _STYLE.findall(html))
        csp = (f"default-src 'none'; style-src {hashes or chr(39) + 'none' + chr(39)}; img-src data:; "
               "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
        return HTMLResponse(html, headers={"Content-Security-Policy": csp})

    @app.get("/s/{sid}/v/{n}/report.json", include_in_schema=False)
    def report_json(request: Request, sid: str, n: int) -> Response:
        with sessions() as db:
            version = version_of(db, current(request, db), sid, n)
            if not version.report_json:
                raise Denied(404, "not_found")
            return Response(version.report_json, media_type="application/json")

    @app.get("/s/{sid}/v/{n}/files/{fid}", include_in_schema=False)
    def download(request: Request, sid: str, n: int, fid: str) -> Response:
        with sessions() as db:
            version = version_of(db, current(request, db), sid, n)
            f = next((x for x in version.files if x.id == fid), None)
            if f is None:
                raise Denied(404, "not_found")
            ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", f.name)
            return Response(f.data, media_type="application/octet-stream", headers={
                "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''"
                                       + "".join(c if c.isascii() and c.isalnum() else
                                                 "".join(f"%{b:02X}" for b in c.encode()) for c in f.name),
                "Content-Security-Policy": "default-src 'none'; sandbox"})

    @app.post("/s/{sid}/v/{n}/rerun", include_in_schema=False)
    async def rerun(request: Request, sid: str, n: int) -> Response:
        await form_of(request)
        with sessions.begin() as db:
            user = current(request, db)
            version = version_of(db, user, sid, n)
            if pool.full_for(user.name):
                return busy(request, user)
            try:
                store.rerun(db, version)
            except Refused as exc:
                return page(request, "message.html", user, 400, message=str(exc))
            audit(db, user.name, "rerun", version.id, {"submission": sid, "version": n}, address(request))
            vid, account = version.id, user.name
        await run_now(vid, account)
        return RedirectResponse(f"/s/{sid}?v={n}", 303)

    @app.post("/s/{sid}/waivers", include_in_schema=False)
    async def waive(request: Request, sid: str) -> Response:
        form = await form_of(request)
        with sessions.begin() as db:
            user = current(request, db, "conference", "admin")
            sub = store.find_submission(db, user, sid)
            if sub is None:
                raise Denied(404, "not_found")
            try:
                fields = {k: str(form.get(k, "")).strip() for k in
                          ("rule", "document", "subject", "reason", "authority", "approver")}
                missing = [k for k, value in fields.items() if not value]
                if missing:
                    raise Refused(f"a waiver needs {', '.join(missing)}")
                expires = store.parse_date(str(form.get("expires", "")), "expires")
                latest = sub.versions[-1]
                w = Waiver(submission_id=sub.id, expires=expires, granted_by=user.name, **fields)
                db.add(w)
                db.flush()
                v = store.new_version(db, sub, [(f.name, f.data) for f in latest.files], latest.as_of, user.name,
                                      latest.lang, latest.plan_fields, latest.item_fields,
                                      note=f"waiver {w.id} granted by {user.name}")
            except Refused as exc:
                db.rollback()
                return page(request, "message.html", user, 400, message=str(exc))
            audit(db, user.name, "waiver.grant", w.id, {**fields, "expires": expires.isoformat(),
                                                         "submission": sub.id}, address(request))
            vid, target, account = v.id, f"/s/{sub.id}?v={v.number}", user.name
        await run_now(vid, account)
        return RedirectResponse(target, 303)

    @app.get("/dashboard", include_in_schema=False)
    def dashboard(request: Request, year: int | None = None, jurisdiction: str | None = None) -> Response:
        with sessions() as db:
            user = current(request, db, "conference", "admin")
            place = user.jurisdiction if user.role == "conference" else (jurisdiction or "")
            year = year or today().year + (1 if today().month == 12 else 0)
            members = {u.department for u in db.scalars(select(User).where(
                User.role == "department", User.jurisdiction == place)) if u.department}
            subs = db.scalars(select(Submission).where(Submission.jurisdiction == place, Submission.year == year)
                              .order_by(Submission.created_at)).all()
            rows = [store.standing(subs, dept, year)
                    | {"feed": f"{request.base_url}calendar/d/{store.feed(db, place, dept).token}.ics"}
                    for dept in [store.CONFERENCE, *sorted(members | {s.department for s in subs}
                                                            - {store.CONFERENCE})]]
            db.commit()  # feeds made on first sight
            pending = []
            for s in subs:
                v = store.latest_done(s)
                for o in (v.obligations or []) if v else []:
                    if o["status"] == "pending":
                        pending.append({**o, "department": s.department, "sid": s.id})
            pending.sort(key=lambda o: (o["due"] or "9999", o["department"], o["rule"]))
            return page(request, "dashboard.html", user, place=place, year=year, rows=rows, pending=pending)

    @app.get("/review", include_in_schema=False)
    def review(request: Request) -> Response:
        from checker.web.filing import adjustments

        with sessions() as db:
            user = current(request, db, "justice", "admin")
            subs = db.scalars(store.visible_submissions(user).where(Submission.kind == "adjustment")
                              .order_by(Submission.created_at)).all()
            rows = []
            for s in subs:
                v = s.versions[-1] if s.versions else None
                report = json.loads(v.report_json) if v and v.report_json else None
                rows.append({"sub": s, "version": v, "adjustments": adjustments(v) if v else [],
                             "violations": report["violations"] if report else []})
            return page(request, "review.html", user, rows=rows, today=today().isoformat())

    @app.post("/s/{sid}/filing", include_in_schema=False)
    async def filing(request: Request, sid: str) -> Response:
        from checker.web.filing import record_filing

        form = await form_of(request)
        with sessions.begin() as db:
            user = current(request, db, "justice", "admin")
            sub = store.find_submission(db, user, sid)
            if sub is None or sub.kind != "adjustment":
                raise Denied(404, "not_found")
            try:
                day = store.parse_date(str(form.get("filed_on", "")), "filed_on")
                v, dependents = record_filing(db, sub, str(form.get("adjustment", "")).strip(), day, user.name)
            except Refused as exc:
                db.rollback()
                return page(request, "message.html", user, 400, message=str(exc))
            audit(db, user.name, "filing", v.id, {"submission": sub.id, "version": v.number,
                                                  "filed_with_justice_on": day.isoformat(),
                                                  "rechecked": [d.id for d in dependents]}, address(request))
            vids, target, account = [v.id, *(d.id for d in dependents)], f"/s/{sub.id}?v={v.number}", user.name
        for vid in vids:
            await run_now(vid, account)
        return RedirectResponse(target, 303)

    @app.get("/audit", include_in_schema=False)
    def audit_page(request: Request) -> Response:
        with sessions() as db:
            user = current(request, db, "admin")
            rows = db.scalars(select(Audit).order_by(Audit.id.desc()).limit(500)).all()
            return page(request, "audit.html", user, rows=rows)

    @app.get("/audit.csv", include_in_schema=False)
    def audit_csv(request: Request) -> Response:
        with sessions() as db:
            current(request, db, "admin")
            out = io.StringIO()
            w = csv.writer(out)
            w.writerow(["id", "at", "actor", "action", "target", "detail", "address"])
            for a in db.scalars(select(Audit).order_by(Audit.id)):
                w.writerow([a.id, a.at.isoformat(), *(_inert(x) for x in (a.actor, a.action, a.target, a.detail)),
                            a.address])
            return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="audit.csv"'})

    @app.get("/users", include_in_schema=False)
    def users_page(request: Request) -> Response:
        with sessions() as db:
            user = current(request, db, "admin")
            return page(request, "users.html", user, users=db.scalars(select(User).order_by(User.name)).all(),
                        roles=ROLES)

    @app.post("/users", include_in_schema=False)
    async def users_add(request: Request) -> Response:
        form = await form_of(request)
        with sessions.begin() as db:
            user = current(request, db, "admin")
            try:
                new = add_user(db, str(form.get("name", "")), str(form.get("password", "")),
                               str(form.get("role", "")), str(form.get("department", "")) or None,
                               str(form.get("jurisdiction", "")) or None)
            except AccountError as exc:
                db.rollback()
                return page(request, "message.html", user, 400, message=str(exc))
            audit(db, user.name, "user.add", new.name, {"role": new.role, "department": new.department,
                                                        "jurisdiction": new.jurisdiction}, address(request))
        return RedirectResponse("/users", 303)

    @app.post("/users/{uid}/role", include_in_schema=False)
    async def users_role(request: Request, uid: int) -> Response:
        form = await form_of(request)
        with sessions.begin() as db:
            user = current(request, db, "admin")
            target = db.get(User, uid)
            role = str(form.get("role", ""))
            if target is None or role not in ROLES:
                raise Denied(404, "not_found")
            audit(db, user.name, "user.role", target.name, {"from": target.role, "to": role}, address(request))
            target.role, target.epoch = role, target.epoch + 1  # the account's sessions end
        return RedirectResponse("/users", 303)

    @app.get("/account", include_in_schema=False)
    def account(request: Request) -> Response:
        with sessions() as db:
            user = current(request, db)
            department = None
            if user.role == "department":
                token = store.feed(db, user.jurisdiction, user.department).token
                department = f"{request.base_url}calendar/d/{token}.ics"
                db.commit()
            return page(request, "account.html", user, token=request.session.pop("new_token", None),
                        feed=f"{request.base_url}calendar/{user.feed_token}.ics", department_feed=department)

    @app.post("/account/tokens", include_in_schema=False)
    async def account_token(request: Request) -> Response:
        form = await form_of(request)
        with sessions.begin() as db:
            user = current(request, db)
            request.session["new_token"] = new_token(db, user, str(form.get("label", ""))[:200])
            audit(db, user.name, "token.new", user.name, {"label": str(form.get("label", ""))[:200]},
                  address(request))
        return RedirectResponse("/account", 303)

    @app.get("/calendar/{token}.ics", include_in_schema=False)
    def feed(token: str) -> Response:
        with sessions() as db:
            user = db.scalar(select(User).where(User.feed_token == token, User.active.is_(True)))
            if user is None:
                return Response("not found", 404, media_type="text/plain")
            return ics(db.scalars(store.visible_submissions(user)))

    @app.get("/calendar/d/{token}.ics", include_in_schema=False)
    def department_feed(token: str) -> Response:
        with sessions() as db:
            row = db.get(Feed, token)
            if row is None:
                return Response("not found", 404, media_type="text/plain")
            subs = db.scalars(select(Submission).where(Submission.jurisdiction == row.jurisdiction,
                                                       Submission.department == row.department))
            return ics(subs)

    def ics(subs: Any) -> Response:
        from checker.obligations import Obligation, calendar

        found: dict[str, Obligation] = {}
        for s in subs:
            v = store.latest_done(s)
            for o in (v.obligations or []) if v else []:
                ob = Obligation(**o)
                found.setdefault(ob.uid, ob)
        text = calendar(sorted(found.values(), key=Obligation.sort_key), today(), "zh")
        return Response(text.encode("utf-8"), media_type="text/calendar; charset=utf-8")

    from checker.web.api import routes

    app.include_router(routes(sessions, pool, checker, settings))
    return app


def _inert(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
