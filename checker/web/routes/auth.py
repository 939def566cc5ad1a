"""Logging in and out, the language, the account page with its API tokens and calendar feed."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from checker.web import store
from checker.web.auth import authenticate, new_token
from checker.web.db import User
from checker.web.pages import Db, Form, Holder, address, ics, page
from checker.web.store import audit
from checker.web.words import WORDS

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    return RedirectResponse("/submissions" if request.session.get("uid") else "/login", 303)


@router.get("/lang/{code}")
def switch(request: Request, code: str) -> Response:
    if code in WORDS:
        request.session["lang"] = code
    return RedirectResponse("/", 303)


@router.get("/login")
def login_page(request: Request) -> Response:
    return page(request, "login.html", None)


@router.post("/login")
async def login(request: Request, form: Form) -> Response:
    sessions, limiter = request.app.state.sessions, request.app.state.limiter
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


@router.post("/logout")
async def logout(request: Request, form: Form) -> Response:
    request.session.clear()
    return RedirectResponse("/login", 303)


@router.get("/account")
def account(request: Request, user: Holder, db: Db) -> Response:
    department = None
    if user.role == "department":
        token = store.feed(db, user.jurisdiction, user.department).token
        department = f"{request.base_url}calendar/d/{token}.ics"
        db.commit()
    return page(request, "account.html", user, token=request.session.pop("new_token", None),
                feed=f"{request.base_url}calendar/{user.feed_token}.ics", department_feed=department)


@router.post("/account/tokens")
async def account_token(request: Request, form: Form, user: Holder,
                        db: Db) -> Response:
    label = str(form.get("label", ""))[:200]
    request.session["new_token"] = new_token(db, user, label)
    audit(db, user.name, "token.new", user.name, {"label": label}, address(request))
    db.commit()
    return RedirectResponse("/account", 303)


@router.get("/calendar/{token}.ics")
def feed(token: str, db: Db) -> Response:
    """All the account may see, for its calendar: the secret in the URL is the only credential."""
    user = db.scalar(select(User).where(User.feed_token == token, User.active.is_(True)))
    if user is None:
        return Response("not found", 404, media_type="text/plain")
    return ics(db.scalars(store.visible_submissions(user)))
