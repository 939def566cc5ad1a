"""The ASGI application: pages for people, /api/v1 for machines, one library underneath.

Starlette (through FastAPI, which adds the OpenAPI schema of /api/v1) with
Jinja2 templates rendered on the server: every page works without
JavaScript and prints. Sessions are signed cookies (HttpOnly, SameSite
strict); every form carries a CSRF token; the API takes bearer tokens.
This module makes the application and its services; the pages are the
routers of checker.web.routes, on the dependencies of checker.web.pages.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import sessionmaker
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from checker.read.inputs import Limits
from checker.reporters.html_report import _CSS
from checker.web import store
from checker.web.auth import RateLimit
from checker.web.db import Setting, User, engine_for, migrate
from checker.web.db import sessions as make_sessions
from checker.web.pages import Denied, lang_of, page
from checker.web.routes import admin, auth, conference, review, submissions
from checker.web.words import WORDS
from checker.web.work import Job, Pool, run_job

PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")
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
    css = _CSS + _EXTRA_CSS

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.shutdown()

    app = FastAPI(lifespan=lifespan, title="dsr-check", version="1", openapi_url="/api/v1/openapi.json", docs_url=None,
                  redoc_url=None, description="Check '双随机、一公开' documents; submissions and reports.")
    app.state.sessions, app.state.pool, app.state.settings = sessions, pool, settings
    app.state.checker, app.state.limiter = checker, RateLimit()

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

    @app.get("/static/style.css", include_in_schema=False)
    def style() -> Response:
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    for router in (auth.router, submissions.router, conference.router, review.router, admin.router):
        app.include_router(router)
    from checker.web.api import routes

    app.include_router(routes(sessions, pool, checker, settings))
    return app

