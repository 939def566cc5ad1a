"""The administrator: accounts and their roles, and the append-only audit log with its CSV export."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from checker.web.auth import AccountError, add_user
from checker.web.db import ROLES, Audit, User
from checker.web.pages import Db, Denied, Form, address, page, role
from checker.web.store import audit

router = APIRouter(include_in_schema=False)
Admin = role("admin")


@router.get("/audit")
def audit_page(request: Request, user: Admin, db: Db) -> Response:
    rows = db.scalars(select(Audit).order_by(Audit.id.desc()).limit(500)).all()
    return page(request, "audit.html", user, rows=rows)


@router.get("/audit.csv")
def audit_csv(user: Admin, db: Db) -> Response:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "at", "actor", "action", "target", "detail", "address"])
    for a in db.scalars(select(Audit).order_by(Audit.id)):
        w.writerow([a.id, a.at.isoformat(), *(_inert(x) for x in (a.actor, a.action, a.target, a.detail)), a.address])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit.csv"'})


@router.get("/users")
def users_page(request: Request, user: Admin, db: Db) -> Response:
    return page(request, "users.html", user, users=db.scalars(select(User).order_by(User.name)).all(), roles=ROLES)


@router.post("/users")
async def users_add(request: Request, form: Form, user: Admin,
                    db: Db) -> Response:
    try:
        new = add_user(db, str(form.get("name", "")), str(form.get("password", "")), str(form.get("role", "")),
                       str(form.get("department", "")) or None, str(form.get("jurisdiction", "")) or None)
    except AccountError as exc:
        db.rollback()
        return page(request, "message.html", user, 400, message=str(exc))
    audit(db, user.name, "user.add", new.name, {"role": new.role, "department": new.department,
                                                "jurisdiction": new.jurisdiction}, address(request))
    db.commit()
    return RedirectResponse("/users", 303)


@router.post("/users/{uid}/role")
async def users_role(request: Request, uid: int, form: Form, user: Admin,
                     db: Db) -> Response:
    target = db.get(User, uid)
    new_role = str(form.get("role", ""))
    if target is None or new_role not in ROLES:
        raise Denied(404, "not_found")
    audit(db, user.name, "user.role", target.name, {"from": target.role, "to": new_role}, address(request))
    target.role, target.epoch = new_role, target.epoch + 1  # the account's sessions end
    db.commit()
    return RedirectResponse("/users", 303)


def _inert(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
