"""The conference office: its dashboard of the members, waivers granted from a finding, department feeds."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from checker.api import today
from checker.web import store
from checker.web.db import Feed, Submission, User, Waiver
from checker.web.pages import Db, Form, Visible, address, ics, page, role, run_now
from checker.web.store import Refused, audit

router = APIRouter(include_in_schema=False)
Office = role("conference", "admin")


@router.post("/s/{sid}/waivers")
async def waive(request: Request, form: Form, user: Office,
                sub: Visible, db: Db) -> Response:
    """A waiver of one finding; the check runs again with the submission's waivers as its --waivers file."""
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
    audit(db, user.name, "waiver.grant", w.id, {**fields, "expires": expires.isoformat(), "submission": sub.id},
          address(request))
    db.commit()
    await run_now(request, v.id, user.name)
    return RedirectResponse(f"/s/{sub.id}?v={v.number}", 303)


@router.get("/dashboard")
def dashboard(request: Request, user: Office, db: Db, year: int | None = None,
              jurisdiction: str | None = None) -> Response:
    place = user.jurisdiction if user.role == "conference" else (jurisdiction or "")
    year = year or today().year + (1 if today().month == 12 else 0)
    members = {u.department for u in db.scalars(select(User).where(
        User.role == "department", User.jurisdiction == place)) if u.department}
    subs = db.scalars(select(Submission).where(Submission.jurisdiction == place, Submission.year == year)
                      .order_by(Submission.created_at)).all()
    rows = [store.standing(subs, dept, year)
            | {"feed": f"{request.base_url}calendar/d/{store.feed(db, place, dept).token}.ics"}
            for dept in [store.CONFERENCE, *sorted(members | {s.department for s in subs} - {store.CONFERENCE})]]
    db.commit()  # feeds made on first sight
    pending = []
    for s in subs:
        v = store.latest_done(s)
        for o in (v.obligations or []) if v else []:
            if o["status"] == "pending":
                pending.append({**o, "department": s.department, "sid": s.id})
    pending.sort(key=lambda o: (o["due"] or "9999", o["department"], o["rule"]))
    return page(request, "dashboard.html", user, place=place, year=year, rows=rows, pending=pending)


@router.get("/calendar/d/{token}.ics")
def department_feed(token: str, db: Db) -> Response:
    """A department's obligations, for its calendar: the secret in the URL is the only credential."""
    row = db.get(Feed, token)
    if row is None:
        return Response("not found", 404, media_type="text/plain")
    return ics(db.scalars(select(Submission).where(Submission.jurisdiction == row.jurisdiction,
                                                   Submission.department == row.department)))
