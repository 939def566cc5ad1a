"""The service's own guarantees: schema in step with the models, bounded checks, the language switch."""

from __future__ import annotations

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from checker.web.db import Base, engine_for, migrate
from tests.web.conftest import accounts, login, make_app, upload

SAMPLE = Path("fixtures/sample")


def test_the_migrations_make_the_schema_the_models_describe(db_url: str) -> None:
    engine = engine_for(db_url)
    migrate(engine)
    migrate(engine)  # at the newest revision already: nothing to do
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_a_check_over_its_memory_fails_alone(sqlite_url: str, qingchuan: bytes) -> None:
    web = make_app(sqlite_url, memory_mb=64)
    accounts(web)
    dept = login(web, "qc-market")
    sid, _ = upload(dept, [("qingchuan-2025.xlsx", qingchuan)])
    page = dept.get(f"/s/{sid}").text
    assert "失败" in page
    assert "the check needed more than 64 MiB" in page
    assert dept.get("/submissions").status_code == 200


def test_pages_switch_to_english_and_back(sqlite_url: str) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    dept = login(web, "qc-market")
    assert ">报送</a>" in dept.get("/submissions").text
    dept.get("/lang/en")
    assert ">Submissions</a>" in dept.get("/submissions").text and 'lang="en"' in dept.get("/submissions").text
    dept.get("/lang/zh")
    assert ">报送</a>" in dept.get("/submissions").text


def test_the_conference_plan_and_each_departments_feed_are_on_the_dashboard(sqlite_url: str) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    office = login(web, "qc-office")
    plans = [(p.name, p.read_bytes()) for p in sorted((SAMPLE / "plans").glob("*.yaml"))]
    sid, _ = upload(office, [plans[0]], title="2021年度联合抽查计划", year=2021, as_of="2021-03-01", plan_fields="")
    dept_sid, _ = upload(login(web, "qc-market"), [plans[1]], year=2021, as_of="2021-03-01", plan_fields="")
    page = office.get("/dashboard?year=2021").text
    rows = re.findall(r"<tr><td>(.*?)</td>(.*?)</tr>", re.search(r'<table id="members">(.*?)</table>', page,
                                                               re.S).group(1), re.S)
    assert [r[0] for r in rows] == ["联席会议办公室", "青川县卫生健康局", "青川县市场监督管理局"]
    conference, health, market = (r[1] for r in rows)
    assert "否" in health and "/s/" not in health  # a member that sent nothing
    assert f"/s/{sid}" in conference and "截止日期 2021-01-31" in conference
    assert f"/s/{dept_sid}" in market and "截止日期 2020-12-31" in market
    report = office.get(f"/s/{dept_sid}/v/1/report.json").json()
    clauses: dict[str, int] = {}
    for v in report["violations"]:
        clauses[v["clause"]] = clauses.get(v["clause"], 0) + 1
    shown = dict((c, int(n)) for c, n in re.findall(r"([\d.]+): (\d+)<br>", market))
    assert shown == clauses
    feeds = re.findall(r'<a href="http://testserver(/calendar/d/[^"]+\.ics)">', page)
    assert len(feeds) == 3
    market_feed = office.get(feeds[2]).text
    assert "BEGIN:VEVENT" in market_feed and "BEGIN:VEVENT" not in office.get(feeds[1]).text
    assert office.get("/calendar/d/not-a-token.ics").status_code == 404
    # the department finds the same feed on its account page
    assert feeds[2] in login(web, "qc-market").get("/account").text


def test_a_role_change_is_audited_and_ends_the_accounts_sessions(sqlite_url: str) -> None:
    from sqlalchemy import select

    from checker.web.db import Audit, User
    from tests.web.conftest import csrf

    web = make_app(sqlite_url)
    accounts(web)
    dept = login(web, "qc-market")
    admin = login(web, "root")
    with web.state.sessions() as db:
        uid = db.scalar(select(User.id).where(User.name == "qc-market"))
    r = admin.post(f"/users/{uid}/role", data={"csrf": csrf(admin, "/users"), "role": "justice"},
                   follow_redirects=False)
    assert r.status_code == 303
    r = dept.get("/submissions", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"  # the old session no longer counts
    assert admin.post(f"/users/{uid}/role", data={"role": "admin"}).status_code == 403  # no CSRF token
    with web.state.sessions() as db:
        last = db.scalars(select(Audit).where(Audit.action == "user.role")).one()
    assert (last.actor, last.target, last.detail) == ("root", "qc-market", '{"from": "department", "to": "justice"}')
