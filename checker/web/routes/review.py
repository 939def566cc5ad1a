"""The justice bureau: the queue of adjustments, and recording a filing date (checker.web.filing)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from checker.api import today
from checker.web import store
from checker.web.db import Submission
from checker.web.filing import adjustments, record_filing
from checker.web.pages import Db, Denied, Form, Visible, address, page, role, run_now
from checker.web.store import Refused, audit

router = APIRouter(include_in_schema=False)
Reviewer = role("justice", "admin")


@router.get("/review")
def review(request: Request, user: Reviewer, db: Db) -> Response:
    subs = db.scalars(store.visible_submissions(user).where(Submission.kind == "adjustment")
                      .order_by(Submission.created_at)).all()
    rows = []
    for s in subs:
        v = s.versions[-1] if s.versions else None
        report = json.loads(v.report_json) if v and v.report_json else None
        rows.append({"sub": s, "version": v, "adjustments": adjustments(v) if v else [],
                     "violations": report["violations"] if report else []})
    return page(request, "review.html", user, rows=rows, today=today().isoformat())


@router.post("/s/{sid}/filing")
async def filing(request: Request, form: Form, user: Reviewer,
                 sub: Visible, db: Db) -> Response:
    """The filing date as a new version of the adjustment; then the checks of what depends on it."""
    if sub.kind != "adjustment":
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
    db.commit()
    for vid in [v.id, *(d.id for d in dependents)]:
        await run_now(request, vid, user.name)
    return RedirectResponse(f"/s/{sub.id}?v={v.number}", 303)
