"""What every page route shares: the templates, and the dependencies that answer a request's first
questions the same way everywhere — who is asking (401), may they (403), which submission (404), is
the form theirs (CSRF) — and running a check while the request waits.

The services a route needs (sessions, pool, checker, settings) are on `request.app.state`, put
there by `app.create_app`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from checker.api import today
from checker.web import store
from checker.web.auth import csrf_ok, csrf_token
from checker.web.db import Submission, User, Version
from checker.web.words import WORDS
from checker.web.work import AccountBusy

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


class Denied(Exception):
    """A request refused: 401 (to the login page), 403 or 404, with the key of its message (words.py)."""

    def __init__(self, status: int, key: str) -> None:
        self.status, self.key = status, key


def lang_of(request: Request) -> str:
    return request.session.get("lang", "zh") if request.session.get("lang") in WORDS else "zh"


def page(request: Request, name: str, user: User | None, status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    return templates.TemplateResponse(request, name, {
        "t": WORDS[lang], "user": user, "csrf": csrf_token(request.session), "lang": lang, **context},
        status_code=status)


def database(request: Request) -> Iterator[Session]:
    """The request's session. A route that writes commits itself, before it waits for a check."""
    with request.app.state.sessions() as db:
        yield db


Db = Annotated[Session, Depends(database)]


def holder(request: Request, db: Db) -> User:
    """The logged-in account of the session, or 401: none, deactivated, or its sessions ended."""
    uid = request.session.get("uid")
    user = db.get(User, uid) if isinstance(uid, int) else None
    if user is None or not user.active or request.session.get("epoch") != user.epoch:
        raise Denied(401, "login")
    return user


Holder = Annotated[User, Depends(holder)]


def role(*roles: str) -> Any:
    """The type of a route's parameter that is the logged-in account if it has one of `roles`, else 403."""

    def allowed(user: Holder) -> User:
        if user.role not in roles:
            raise Denied(403, "no_access")
        return user

    return Annotated[User, Depends(allowed)]


def visible(sid: str, user: Holder, db: Db) -> Submission:
    """The submission `sid` if the account may see it; 404 alike when it does not exist and when it may not."""
    sub = store.find_submission(db, user, sid)
    if sub is None or not sub.versions:
        raise Denied(404, "not_found")
    return sub


Visible = Annotated[Submission, Depends(visible)]


def version_of(sub: Submission, n: int) -> Version:
    version = next((x for x in sub.versions if x.number == n), None)
    if version is None:
        raise Denied(404, "not_found")
    return version


async def csrf_form(request: Request) -> FormData:
    """The posted form, if it carries the session's CSRF token; else 403."""
    form = await request.form(max_files=request.app.state.settings.max_files, max_fields=200)
    if not csrf_ok(request.session, form.get("csrf")):
        raise Denied(403, "csrf")
    return form


Form = Annotated[FormData, Depends(csrf_form)]


def address(request: Request) -> str:
    return request.client.host if request.client else ""


async def uploads(form: FormData) -> list[tuple[str, bytes]]:
    files = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            files.append((item.filename, await item.read()))
    return files


def busy(request: Request, user: User) -> Response | None:
    """429 when the account has its share of the pool (work.Pool), before anything is stored; else None."""
    pool = request.app.state.pool
    if not pool.full_for(user.name):
        return None
    return page(request, "message.html", user, 429, message=AccountBusy(pool.per_account).message(lang_of(request)))


async def run_now(request: Request, version_id: str, account: str) -> None:
    """Queue the check and wait for it up to its time limit (the page then shows the report)."""
    state = request.app.state
    try:
        future = state.pool.submit(lambda: state.checker(version_id), account)
    except AccountBusy as exc:
        future, error = None, exc.message()
    else:
        error = "busy: too many checks are waiting; run it again later"
    if future is None:
        with state.sessions.begin() as db:
            v = db.get(Version, version_id)
            v.status, v.error = "failed", error
        return
    try:
        await asyncio.wait_for(asyncio.wrap_future(future), state.settings.seconds + 10)
    except TimeoutError:
        pass


def ics(subs: Any) -> Response:
    """An iCalendar feed of the obligations of the latest checked version of each of `subs`."""
    from checker.obligations import Obligation, calendar

    found: dict[str, Obligation] = {}
    for s in subs:
        v = store.latest_done(s)
        for o in (v.obligations or []) if v else []:
            ob = Obligation(**o)
            found.setdefault(ob.uid, ob)
    text = calendar(sorted(found.values(), key=Obligation.sort_key), today(), "zh")
    return Response(text.encode("utf-8"), media_type="text/calendar; charset=utf-8")

