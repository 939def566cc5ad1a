"""A department's (or the conference office's) submissions: list, upload, a version's page, report and files."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData

from checker.api import today
from checker.web import store
from checker.web.db import KINDS, Submission, Waiver
from checker.web.filing import adjustments
from checker.web.pages import Db, Denied, Form, Holder, Visible, address, busy, page, role, run_now, uploads, version_of
from checker.web.store import Refused, audit
from checker.web.words import WORDS

router = APIRouter(include_in_schema=False)
Uploader = role("department", "conference")
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@router.get("/submissions")
def listing(request: Request, user: Holder, db: Db) -> Response:
    subs = db.scalars(store.visible_submissions(user).order_by(Submission.created_at.desc())).all()
    rows = [(s, s.versions[-1] if s.versions else None) for s in subs]
    return page(request, "list.html", user, rows=rows)


@router.get("/submit")
def submit_page(request: Request, user: Uploader,
                db: Db) -> Response:
    subs = db.scalars(store.visible_submissions(user).where(
        Submission.department == store.uploader(user)).order_by(Submission.created_at.desc())).all()
    level = "level=conference" if user.role == "conference" else f"level=department\ndepartment={user.department}"
    return page(request, "submit.html", user, subs=subs, kinds=KINDS, today=today().isoformat(),
                year=today().year, plan_default=level)


def _version_form(form: FormData) -> tuple[dt.date, str, str, str]:
    as_of = store.parse_date(str(form.get("as_of") or today().isoformat()), "as_of")
    lang = str(form.get("lang") or "zh")
    if lang not in WORDS:
        raise Refused("lang: zh or en")
    return as_of, lang, str(form.get("plan_fields", "")), str(form.get("item_fields", ""))


@router.post("/submit")
async def submit(request: Request, form: Form, user: Uploader,
                 db: Db) -> Response:
    refused = busy(request, user)
    if refused:
        return refused
    files = await uploads(form)
    try:
        as_of, lang, plan, items = _version_form(form)
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
    db.commit()
    await run_now(request, v.id, user.name)
    return RedirectResponse(f"/s/{sub.id}?v={v.number}", 303)


@router.get("/s/{sid}")
def submission_page(request: Request, user: Holder, sub: Visible, db: Db,
                    v: int | None = None) -> Response:
    version = next((x for x in sub.versions if x.number == v), sub.versions[-1])
    report = json.loads(version.report_json) if version.report_json else None
    waivers = db.scalars(select(Waiver).where(Waiver.submission_id == sub.id).order_by(Waiver.granted_at)).all()
    return page(request, "submission.html", user, sub=sub, version=version, report=report,
                changes=store.changes(sub, version), waivers=waivers, today=today().isoformat(),
                uploader=store.uploader(user), adjustments=adjustments(version) if sub.kind == "adjustment" else [],
                busy=version.status in {"queued", "running"})


@router.get("/s/{sid}/v/{n}/report")
def report_page(n: int, sub: Visible) -> Response:
    """The HTML report, with a CSP that lets its own style sheet apply and nothing else."""
    html = version_of(sub, n).report_html
    if not html:
        raise Denied(404, "not_found")
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in _STYLE.findall(html))
    csp = (f"default-src 'none'; style-src {hashes or chr(39) + 'none' + chr(39)}; img-src data:; "
           "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})


@router.get("/s/{sid}/v/{n}/report.json")
def report_json(n: int, sub: Visible) -> Response:
    version = version_of(sub, n)
    if not version.report_json:
        raise Denied(404, "not_found")
    return Response(version.report_json, media_type="application/json")


@router.get("/s/{sid}/v/{n}/files/{fid}")
def download(n: int, fid: str, sub: Visible) -> Response:
    """A stored file, as an attachment a browser will not run."""
    f = next((x for x in version_of(sub, n).files if x.id == fid), None)
    if f is None:
        raise Denied(404, "not_found")
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", f.name)
    return Response(f.data, media_type="application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''"
                               + "".join(c if c.isascii() and c.isalnum() else
                                         "".join(f"%{b:02X}" for b in c.encode()) for c in f.name),
        "Content-Security-Policy": "default-src 'none'; sandbox"})


@router.post("/s/{sid}/v/{n}/rerun")
async def rerun(request: Request, sid: str, n: int, form: Form,
                user: Holder, sub: Visible,
                db: Db) -> Response:
    version = version_of(sub, n)
    refused = busy(request, user)
    if refused:
        return refused
    try:
        store.rerun(db, version)
    except Refused as exc:
        return page(request, "message.html", user, 400, message=str(exc))
    audit(db, user.name, "rerun", version.id, {"submission": sid, "version": n}, address(request))
    db.commit()
    await run_now(request, version.id, user.name)
    return RedirectResponse(f"/s/{sid}?v={n}", 303)
