"""/api/v1: the stateless check for other systems and CI, and submissions for token holders."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import sessionmaker
from starlette.datastructures import UploadFile

from checker.api import today
from checker.web import store
from checker.web.auth import token_user
from checker.web.db import KINDS, Submission, User, Version
from checker.web.pages import Db, Denied
from checker.web.store import Checker, Refused
from checker.web.work import AccountBusy, Job, Outcome, Pool

_CHECK_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                      "description": "Files as `dsr-check check` reads them (.json .jsonl .yaml .yml .xlsx .csv)"},
            "as_of": {"type": "string", "format": "date"},
            "lang": {"type": "string", "enum": ["zh", "en"]},
            "plan": {"type": "array", "items": {"type": "string"}, "description": "KEY=VALUE, as --plan"},
            "items": {"type": "array", "items": {"type": "string"}, "description": "KEY=VALUE, as --items"},
        }, "required": ["files"]}},
        "application/json": {"schema": {"type": "object", "properties": {
            "documents": {"type": "array", "items": {"type": "object"},
                          "description": "Documents of the data contract"},
            "as_of": {"type": "string", "format": "date"},
            "lang": {"type": "string", "enum": ["zh", "en"]},
        }, "required": ["documents"]}},
    },
}
_REPORT = {"200": {"description": "The JSON report of the data contract; header X-Exit-Code is the "
                                  "command line's exit code (0, 1 or 2)",
                   "content": {"application/json": {"schema": {"type": "object"}}}}}


def _fail(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status)


def token_holder(request: Request) -> User:
    """The account of the request's bearer token, or 401 (as JSON: the app's handler of Denied).

    Read in a session of its own, closed at once: a stateless check holds no database connection
    while it waits for the pool."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    with request.app.state.sessions() as db:
        user = token_user(db, token.strip()) if scheme.lower() == "bearer" and token else None
        if user is None:
            raise Denied(401, "an API token is needed: Authorization: Bearer <token>")
        db.expunge(user)
    return user


Token = Annotated[User, Depends(token_holder)]


def token_visible(sid: str, user: Token, db: Db) -> Submission:
    """The submission `sid` if the token's account may see it; 404 alike when it does not exist."""
    sub = store.find_submission(db, user, sid)
    if sub is None:
        raise Denied(404, "not found")
    return sub


TokenVisible = Annotated[Submission, Depends(token_visible)]


def routes(sessions: sessionmaker, pool: Pool, checker: Checker, settings: Any) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["api"])

    async def run(job: Job, account: str) -> Outcome | None:
        future = pool.submit(lambda: settings.runner(job, settings.seconds), account)
        if future is None:
            return None
        return await asyncio.wrap_future(future)

    def busy() -> Response:
        """The account has its share of the pool (work.Pool): 429, in Chinese and in English."""
        exc = AccountBusy(pool.per_account)
        return JSONResponse({"error": exc.message("zh"), "detail": exc.message("en")}, 429,
                            headers={"Retry-After": str(int(settings.seconds))})

    @api.post("/check", openapi_extra={"requestBody": _CHECK_BODY}, responses=_REPORT,
              summary="Check files or documents; the report JSON, nothing stored")
    async def check(request: Request, user: Token) -> Response:
        if pool.full_for(user.name):
            return busy()
        try:
            if request.headers.get("content-type", "").startswith("application/json"):
                try:
                    body = json.loads(await request.body())
                except (ValueError, UnicodeDecodeError) as exc:
                    raise Refused(f"the body is not JSON: {exc}") from None
                if not isinstance(body, dict) or not isinstance(body.get("documents"), list):
                    raise Refused('expected {"documents": [...], "as_of": "YYYY-MM-DD"}')
                data = json.dumps({"documents": body["documents"]}, ensure_ascii=False).encode("utf-8")
                files = [("documents.json", data)]
                fields: dict[str, Any] = body
                plan: tuple[tuple[str, str], ...] = ()
                items: tuple[tuple[str, str], ...] = ()
            else:
                form = await request.form(max_files=settings.max_files, max_fields=200)
                files = [(f.filename, await f.read()) for f in form.getlist("files")
                         if isinstance(f, UploadFile) and f.filename]
                if not files:
                    raise Refused("no file: send them as multipart form field 'files'")
                fields = {k: form.get(k) for k in ("as_of", "lang")}
                plan = store.parse_fields("\n".join(str(x) for x in form.getlist("plan")), "plan")
                items = store.parse_fields("\n".join(str(x) for x in form.getlist("items")), "items")
            as_of = store.parse_date(str(fields.get("as_of") or today().isoformat()), "as_of")
            lang = str(fields.get("lang") or "zh")
            if lang not in ("zh", "en"):
                raise Refused("lang: zh or en")
            job = Job(files=store.unique_names(files), as_of=as_of, lang=lang, plan=plan, items=items,
                      limits=settings.limits, memory_bytes=settings.memory_mb * 2**20)
        except Refused as exc:
            return _fail(400, str(exc))
        try:
            outcome = await run(job, user.name)
        except AccountBusy:
            return busy()
        if outcome is None:
            return _fail(503, "busy: too many checks are waiting; try again later")
        if not outcome.ok:
            return _fail(422, outcome.error)
        return Response(outcome.report_json, media_type="application/json",
                        headers={"X-Exit-Code": str(outcome.exit_code)})

    def described(s: Submission) -> dict[str, Any]:
        return {"id": s.id, "department": s.department, "jurisdiction": s.jurisdiction, "year": s.year,
                "kind": s.kind, "title": s.title, "created_at": s.created_at.isoformat(),
                "versions": [{"number": v.number, "status": v.status, "error": v.error, "as_of": v.as_of.isoformat(),
                              "created_by": v.created_by, "created_at": v.created_at.isoformat(),
                              "note": v.note, "summary": v.summary, "exit_code": v.exit_code,
                              "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in v.files]}
                             for v in s.versions]}

    @api.get("/submissions", summary="The submissions the token's account may see")
    def submissions(user: Token, db: Db) -> Response:
        rows = db.scalars(store.visible_submissions(user).order_by(Submission.created_at)).all()
        return JSONResponse([described(s) for s in rows])

    @api.get("/submissions/{sid}", summary="One submission and its versions")
    def submission(sub: TokenVisible) -> Response:
        return JSONResponse(described(sub))

    @api.get("/submissions/{sid}/versions/{n}/report", responses=_REPORT, summary="A version's JSON report")
    def report(n: int, sub: TokenVisible) -> Response:
        v = next((x for x in sub.versions if x.number == n), None)
        if v is None or not v.report_json:
            return _fail(404, "not found")
        return Response(v.report_json, media_type="application/json")

    @api.post("/submissions", status_code=201, summary="Upload as a department (or the conference office): "
              "a new submission, or a new version of `submission`; checked before the answer",
              openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                  "type": "object", "required": ["files"], "properties": {
                      **_CHECK_BODY["content"]["multipart/form-data"]["schema"]["properties"],
                      "submission": {"type": "string", "description": "an id: upload a new version of it"},
                      "kind": {"type": "string", "enum": list(KINDS)}, "title": {"type": "string"},
                      "year": {"type": "integer"}}}}}}})
    async def submit(request: Request, user: Token, db: Db) -> Response:
        if pool.full_for(user.name):
            return busy()
        form = await request.form(max_files=settings.max_files, max_fields=200)
        files = [(f.filename, await f.read()) for f in form.getlist("files")
                 if isinstance(f, UploadFile) and f.filename]
        try:
            as_of = store.parse_date(str(form.get("as_of") or today().isoformat()), "as_of")
            lang = str(form.get("lang") or "zh")
            if lang not in ("zh", "en"):
                raise Refused("lang: zh or en")
            v = store.upload(db, user, files, str(form.get("submission") or ""), str(form.get("kind", "plan")),
                             str(form.get("title", "")), str(form.get("year", "")), as_of, lang,
                             "\n".join(str(x) for x in form.getlist("plan")),
                             "\n".join(str(x) for x in form.getlist("items")))
        except store.Unknown:
            return _fail(404, "not found")
        except Refused as exc:
            db.rollback()
            return _fail(400, str(exc))
        store.audit(db, user.name, "upload", v.id, {"submission": v.submission_id, "version": v.number,
                                                    "files": [[f.name, f.sha256] for f in v.files], "via": "api"})
        sid, vid = v.submission_id, v.id
        db.commit()
        try:
            future = pool.submit(lambda: checker(vid), user.name)
            error = "busy: too many checks are waiting; run it again later"
        except AccountBusy as exc:  # its share taken since the request came in
            future, error = None, exc.message()
        if future is None:
            with sessions.begin() as failed:
                row = failed.get(Version, vid)
                row.status, row.error = "failed", error
        else:
            await asyncio.wrap_future(future)
        with sessions() as fresh:  # the version as the check left it
            return JSONResponse(described(store.find_submission(fresh, user, sid)), 201)

    @api.get("/deadlines", summary="Pending obligations of the latest checked versions the account may see")
    def deadlines(user: Token, db: Db) -> Response:
        out = []
        for s in db.scalars(store.visible_submissions(user).order_by(Submission.created_at)):
            v = store.latest_done(s)
            for o in (v.obligations or []) if v else []:
                if o["status"] == "pending":
                    out.append({"submission": s.id, "department": s.department, **o})
        out.sort(key=lambda o: (o["due"] or "9999", o["submission"], o["rule"], o["subject"]))
        return JSONResponse(out)

    return api
