"""The conference's waivers and dashboard, the justice bureau's filings, the API, the audit log, recovery."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select, text
from typer.testing import CliRunner

from checker.cli import USAGE
from checker.cli import app as cli_app
from checker.web.db import Audit, Submission, Version
from checker.web.store import INTERRUPTED, new_version
from tests.web.conftest import accounts, csrf, fixed_qingchuan, login, make_app, upload
from tests.web.test_submit import _token, cli_json

SAMPLE = Path("fixtures/sample")
FEED = r'<code id="feed">http://testserver(/calendar/[^<]+\.ics)</code>'


def _waive(client: object, sid: str, **fields: str) -> object:
    data = {"csrf": csrf(client, f"/s/{sid}"), "reason": "县政府同意延后报送", "authority": "青府办函〔2025〕3号",
            "approver": "青川县人民政府办公室", "expires": "2025-12-31", **fields}
    return client.post(f"/s/{sid}/waivers", data=data, follow_redirects=False)  # type: ignore[attr-defined]


def test_a_waiver_granted_in_the_ui_is_the_waiver_file_of_the_command_line(
        sqlite_url: str, qingchuan: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    sid, _ = upload(login(web, "qc-market"), [("qingchuan-2025.xlsx", qingchuan)])
    office = login(web, "qc-office")
    first, second = json.loads(office.get(f"/s/{sid}/v/1/report.json").text)["violations"][:2]
    subject = {k: first[k] for k in ("rule", "document", "subject")}
    assert _waive(login(web, "qc-market"), sid, **subject).status_code == 403  # departments do not waive
    r = _waive(office, sid, **subject)
    assert r.status_code == 303 and r.headers["location"] == f"/s/{sid}?v=2"
    report = json.loads(office.get(f"/s/{sid}/v/2/report.json").text)
    assert [(w["rule"], w["subject"]) for w in report["waived"]] == [(first["rule"], first["subject"])]

    entry = {**subject, "reason": "县政府同意延后报送", "authority": "青府办函〔2025〕3号",
             "approver": "青川县人民政府办公室", "expires": "2025-12-31"}
    waivers = json.dumps({"waivers": [entry]}, ensure_ascii=False).encode("utf-8")
    (tmp_path / "waivers").mkdir()
    (tmp_path / "waivers" / "granted.json").write_bytes(waivers)  # the file the service writes for the check
    expected = cli_json(tmp_path, [("qingchuan-2025.xlsx", qingchuan)], "--as-of", "2025-06-01",
                        "--plan", "level=department", "--waivers", "waivers/granted.json", monkeypatch=monkeypatch)
    assert office.get(f"/s/{sid}/v/2/report.json").text == expected

    # an expired waiver does not apply and shows, as with --waivers
    _waive(office, sid, **{k: second[k] for k in ("rule", "document", "subject")}, expires="2025-01-31")
    report = json.loads(office.get(f"/s/{sid}/v/3/report.json").text)
    assert any("已于 2025-01-31 到期" in e["message"] for e in report["input_errors"])  # the report is in Chinese
    assert (second["rule"], second["subject"]) in {(v["rule"], v["subject"]) for v in report["violations"]}


def test_the_dashboard_shows_each_member_and_its_open_findings(sqlite_url: str, qingchuan: bytes) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    sid, _ = upload(login(web, "qc-market"), [("qingchuan-2025.xlsx", qingchuan)])
    page = login(web, "qc-office").get("/dashboard?year=2025").text
    members = re.search(r'<table id="members">(.*?)</table>', page, re.S).group(1)
    rows = re.findall(r"<tr><td>(.*?)</td>(.*?)</tr>", members, re.S)
    assert [r[0] for r in rows] == ["联席会议办公室", "青川县卫生健康局", "青川县市场监督管理局"]
    health, market = rows[1][1], rows[2][1]
    assert "否" in health and f"/s/{sid}" in market
    report = login(web, "qc-office").get(f"/s/{sid}/v/1/report.json").json()
    clauses: dict[str, int] = {}
    for v in report["violations"]:
        clauses[v["clause"]] = clauses.get(v["clause"], 0) + 1
    assert clauses and dict((c, int(n)) for c, n in re.findall(r"([\d.]+): (\d+)<br>", market)) == clauses
    assert "旺苍县" not in page


def test_the_justice_reviewer_records_a_filing_as_a_new_version(db_url: str, tmp_path: Path) -> None:
    web = make_app(db_url)
    accounts(web)
    files = [(p.name, p.read_bytes()) for p in sorted((SAMPLE / "plans").glob("*.yaml"))]
    adjustments = (SAMPLE / "adjustments.yaml").read_text("utf-8").replace(
        "  filed_with_justice_on: '2021-06-11'\n", "", 1)
    files.append(("adjustments.yaml", adjustments.encode("utf-8")))
    sid, _ = upload(login(web, "qc-market"), files, kind="adjustment", year=2021, as_of="2021-12-31",
                    title="2021年计划调整", plan_fields="")
    batches = SAMPLE / "batches"
    dependent, _ = upload(login(web, "qc-market"), [("B2021-14.yaml", (batches / "B2021-14.yaml").read_bytes())],
                          kind="batches", year=2021, as_of="2021-12-31", title="2021年批次", plan_fields="")
    unrelated, _ = upload(login(web, "qc-health"), [("B2021-01.yaml", (batches / "B2021-01.yaml").read_bytes())],
                          kind="batches", year=2021, as_of="2021-12-31", title="2021年批次", plan_fields="")
    justice = login(web, "qc-justice")
    queue = justice.get("/review").text
    assert f"/s/{sid}" in queue and "adjustment-filed-with-justice" in queue
    assert "adj-2021-01: 未备案<br>adj-2021-02: 未备案" in queue
    r = justice.post(f"/s/{sid}/filing", data={"csrf": csrf(justice, f"/s/{sid}"), "adjustment": "adj-2021-01",
                                                "filed_on": "2021-06-11"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/s/{sid}?v=2"
    page = justice.get(f"/s/{sid}?v=2").text
    assert "filing adj-2021-01 2021-06-11 by qc-justice" in page
    before = json.loads(justice.get(f"/s/{sid}/v/1/report.json").text)
    after = json.loads(justice.get(f"/s/{sid}/v/2/report.json").text)
    key = ("adjustment-filed-with-justice", "adj-2021-01")
    assert key in {(v["rule"], v["document"]) for v in before["violations"]}
    assert key not in {(v["rule"], v["document"]) for v in after["violations"]}
    assert len(after["violations"]) == len(before["violations"]) - 1
    assert login(web, "qc-market").get(f"/s/{sid}?v=2").status_code == 200  # the department sees the filing
    # the batches of the task the adjustment adds are checked again; other batches are not
    with web.state.sessions() as db:
        versions = {s: [(v.number, v.status, v.note) for v in db.get(Submission, s).versions]
                    for s in (dependent, unrelated)}
    assert versions[dependent][1] == (2, "done", "re-check: adjustment adj-2021-01 of task GY2021-12 filed 2021-06-11")
    assert len(versions[unrelated]) == 1


def test_api_check_is_stateless_and_the_command_lines_report(
        sqlite_url: str, qingchuan: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    client = login(web, "qc-market")
    auth = {"Authorization": f"Bearer {_token(client)}"}
    from fastapi.testclient import TestClient

    machine = TestClient(web)  # no session: the token alone
    r = machine.post("/api/v1/check", headers=auth, files=[("files", ("qingchuan-2025.xlsx", qingchuan))],
                     data={"as_of": "2025-06-01", "plan": "level=department"})
    assert r.status_code == 200
    assert r.text == cli_json(tmp_path, [("qingchuan-2025.xlsx", qingchuan)], "--as-of", "2025-06-01",
                              "--plan", "level=department", monkeypatch=monkeypatch)
    assert r.headers["x-exit-code"] == str(CliRunner().invoke(
        cli_app, ["check", "qingchuan-2025.xlsx", "--as-of", "2025-06-01", "--plan", "level=department"]).exit_code)
    docs = [json.loads((Path(__file__).parents[2] / "fixtures/hostile/hostile-names.json").read_text("utf-8"))]
    r = machine.post("/api/v1/check", headers=auth, json={"documents": docs, "as_of": "2021-12-31"})
    assert r.status_code == 200 and r.json()["summary"]["documents"] == 1
    assert machine.post("/api/v1/check", json={"documents": []}).status_code == 401
    assert machine.post("/api/v1/check", headers={"Authorization": "Bearer dsr_forged"},
                        json={"documents": []}).status_code == 401
    assert machine.get("/api/v1/submissions", headers=auth).json() == []  # nothing was stored by a check
    # a department's system uploads through the API; the submission is its department's, as from the pages
    r = machine.post("/api/v1/submissions", headers=auth, files=[("files", ("qingchuan-2025.xlsx", qingchuan))],
                     data={"title": "2025年度计划", "kind": "plan", "year": "2025", "as_of": "2025-06-01",
                           "plan": "level=department"})
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["department"] == "青川县市场监督管理局" and made["versions"][0]["status"] == "done"
    assert machine.get(f"/api/v1/submissions/{made['id']}/versions/1/report", headers=auth).text == \
        client.get(f"/s/{made['id']}/v/1/report.json").text
    other = {"Authorization": f"Bearer {_token(login(web, 'qc-health'))}"}
    r = machine.post("/api/v1/submissions", headers=other, files=[("files", ("x.json", b"[]"))],
                     data={"submission": made["id"]})
    assert r.status_code == 404
    assert [s["id"] for s in machine.get("/api/v1/submissions", headers=auth).json()] == [made["id"]]
    schema = machine.get("/api/v1/openapi.json").json()
    assert {"/api/v1/check", "/api/v1/submissions", "/api/v1/deadlines"} <= set(schema["paths"])
    assert "/login" not in schema["paths"]


def test_an_interrupted_check_is_failed_at_restart_and_runs_again(db_url: str, qingchuan: bytes) -> None:
    web = make_app(db_url)
    accounts(web)
    sid, _ = upload(login(web, "qc-market"), [("qingchuan-2025.xlsx", qingchuan)])
    with web.state.sessions.begin() as db:  # the state a server killed mid-check leaves
        sub = db.get(Submission, sid)
        v = new_version(db, sub, [("qingchuan-2025.xlsx", fixed_qingchuan())], sub.versions[0].as_of, "qc-market",
                        plan_fields="level=department")
        v.status = "running"
    restarted = make_app(db_url)
    dept = login(restarted, "qc-market")
    page = dept.get(f"/s/{sid}?v=2").text
    assert "失败" in page and INTERRUPTED in page
    r = dept.post(f"/s/{sid}/v/2/rerun", data={"csrf": csrf(dept, f"/s/{sid}?v=2")}, follow_redirects=False)
    assert r.status_code == 303
    with restarted.state.sessions() as db:
        assert db.scalar(select(Version.status).where(Version.submission_id == sid, Version.number == 2)) == "done"


def test_a_check_over_its_time_limit_fails_and_the_server_goes_on(sqlite_url: str, qingchuan: bytes) -> None:
    web = make_app(sqlite_url, seconds=0.05)
    accounts(web)
    dept = login(web, "qc-market")
    sid, _ = upload(dept, [("qingchuan-2025.xlsx", qingchuan)])
    assert "timeout: the check took longer than 0.05 s" in dept.get(f"/s/{sid}").text
    assert dept.get("/submissions").status_code == 200


def test_the_audit_log_is_append_only_and_exported(db_url: str, qingchuan: bytes) -> None:
    web = make_app(db_url)
    accounts(web)
    upload(login(web, "qc-market"), [("qingchuan-2025.xlsx", qingchuan)])
    with web.state.sessions() as db:
        actions = [a.action for a in db.scalars(select(Audit).order_by(Audit.id))]
    assert actions == ["login", "upload", "check.done"]
    for statement in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"), web.state.sessions.begin() as db:
            db.execute(text(statement))
    admin = login(web, "root")
    export = admin.get("/audit.csv")
    assert export.headers["content-type"].startswith("text/csv")
    assert [line.split(",")[3] for line in export.text.splitlines()[1:4]] == ["login", "upload", "check.done"]
    assert login(web, "qc-office").get("/audit.csv").status_code == 403


def test_the_calendar_feed_needs_its_token(sqlite_url: str) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    dept = login(web, "qc-market")
    files = [(p.name, p.read_bytes()) for p in sorted((SAMPLE / "plans").glob("*.yaml"))]
    upload(dept, files, year=2021, as_of="2021-03-01", plan_fields="")
    feed = re.search(FEED, dept.get("/account").text).group(1)
    r = dept.get(feed)
    assert r.headers["content-type"].startswith("text/calendar") and "BEGIN:VEVENT" in r.text
    assert dept.get("/calendar/guessed.ics").status_code == 404
    # another department's feed has none of these obligations
    other = login(web, "qc-health")
    other_feed = re.search(FEED, other.get("/account").text).group(1)
    assert "BEGIN:VEVENT" not in other.get(other_feed).text


def test_users_are_added_from_the_command_line(tmp_path: Path) -> None:
    from checker.cli import app as cli

    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    r = runner.invoke(cli, ["users", "add", "clerk", "--role", "conference", "--jurisdiction", "青川县", "--db", db],
                      input="a long enough password\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["users", "add", "x", "--role", "department", "--db", db], input="a long enough password\n")
    assert r.exit_code == USAGE and "--department" in r.output
    r = runner.invoke(cli, ["users", "token", "clerk", "--db", db])
    assert r.exit_code == 0 and r.stdout.startswith("dsr_")
    web = make_app(db)
    api = web.state  # the token works against the same database
    from fastapi.testclient import TestClient

    assert TestClient(web).get("/api/v1/submissions",
                               headers={"Authorization": f"Bearer {r.stdout.strip()}"}).json() == []
    assert api.sessions


def test_a_check_reads_the_jurisdictions_plans_and_adjustments_and_a_filing_rechecks_with_them(
        db_url: str) -> None:
    web = make_app(db_url)
    accounts(web)
    batches = SAMPLE / "batches"
    # a department's batch of task GY2021-12, which an adjustment adds, arrives before the plan and adjustment
    health = login(web, "qc-health")
    dependent, _ = upload(health, [("B2021-14.yaml", (batches / "B2021-14.yaml").read_bytes())],
                          kind="batches", year=2021, as_of="2021-12-31", title="2021年批次", plan_fields="")
    first = health.get(f"/s/{dependent}/v/1/report.json").json()
    untraced = {(g["rule"], g["reason"][:8]) for g in first["not_evaluated"]}
    assert ("batch-traced-to-plan", "批次所属任务不在") in untraced  # no plan to trace it to, yet
    files = [(p.name, p.read_bytes()) for p in sorted((SAMPLE / "plans").glob("*.yaml"))]
    unfiled = (SAMPLE / "adjustments.yaml").read_text("utf-8").replace("  filed_with_justice_on: '2021-06-11'\n", "", 1)
    sid, _ = upload(login(web, "qc-market"), [*files, ("adjustments.yaml", unfiled.encode("utf-8"))],
                    kind="adjustment", year=2021, as_of="2021-12-31", title="2021年计划调整", plan_fields="")
    other_year, _ = upload(login(web, "qc-market"), [("B2021-01.yaml", (batches / "B2021-01.yaml").read_bytes())],
                           kind="batches", year=2022, as_of="2021-12-31", title="2022年批次", plan_fields="")
    # the adjustment's own check read the health bureau's batch as context, and reports nothing of it
    adjustment = login(web, "qc-market").get(f"/s/{sid}/v/1/report.json").json()
    assert {i["file"] for i in adjustment["inputs"] if i.get("context")} == {"context/1-青川县卫生健康局/B2021-14.yaml"}
    assert all(f["source"]["file"] in {n for n, _ in files} | {"adjustments.yaml"} for f in adjustment["violations"])

    justice = login(web, "qc-justice")
    r = justice.post(f"/s/{sid}/filing", data={"csrf": csrf(justice, f"/s/{sid}"), "adjustment": "adj-2021-01",
                                                "filed_on": "2021-06-11"}, follow_redirects=False)
    assert r.status_code == 303
    with web.state.sessions() as db:
        filed = {f.name: f.sha256 for f in db.get(Submission, sid).versions[1].files}
        assert [v.number for v in db.get(Submission, other_year).versions] == [1]  # another year: not re-checked
    # the batch is checked again with the filed version of the adjustment and the plans as its context
    page = health.get(f"/s/{dependent}?v=2").text
    assert "re-check: adjustment adj-2021-01 of task GY2021-12 filed 2021-06-11" in page
    second = health.get(f"/s/{dependent}/v/2/report.json").json()
    context = {i["file"]: i["sha256"] for i in second["inputs"] if i.get("context")}
    folder = "context/1-青川县市场监督管理局/"
    assert context == {folder + name: digest for name, digest in filed.items()}
    assert context[folder + "adjustments.yaml"] != hashlib.sha256(unfiled.encode("utf-8")).hexdigest()
    # ... so the batch is traced to the task the adjustment adds, in force on its draw: judged, and met
    assert "batch-traced-to-plan" not in {g["rule"] for g in second["not_evaluated"]}
    judged = {t["rule"]: t["satisfied"] for t in second["rules"]}
    assert judged["batch-traced-to-plan"] == judged["batch-starts-after-adjustment"] == 1
    # ... and only the batch is reported on: the adjustment still unfiled (adj-2021-02) is the adjustment's
    assert second["summary"]["documents"] == 1
    assert {f["document"] for f in second["violations"]} <= {"B2021-14"}
    assert "adjustment-filed-with-justice" not in page
    assert "context/1-青川县市场监督管理局" in page  # the page names the context it was checked with
    html = health.get(f"/s/{dependent}/v/2/report").text  # ... and so does the HTML report's appendix
    assert f"{folder}adjustments.yaml</span>（参照文件：只读取，不报告其中的问题）" in html


def test_another_submissions_spreadsheet_is_read_with_its_own_fields(sqlite_url: str, qingchuan: bytes) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    upload(login(web, "qc-market"), [("qingchuan-2025.xlsx", qingchuan)])  # its table needs level=department
    batch = yaml.safe_load((SAMPLE / "batches" / "B2021-14.yaml").read_text("utf-8"))
    batch |= {"id": "B2025-01", "task": "qingchuan-2025-1", "year": 2025, "lead": "行政审批股", "participants": [],
              "scheme_entered_on": "2025-03-03", "started_on": "2025-03-10", "completed_on": "2025-03-20",
              "results_entered_on": "2025-03-25"}
    batch["draw"]["drawn_on"] = "2025-03-03"
    health = login(web, "qc-health")
    sid, _ = upload(health, [("B2025-01.json", json.dumps(batch, ensure_ascii=False).encode("utf-8"))],
                    kind="batches", year=2025, as_of="2025-06-01", title="2025年批次", plan_fields="")
    report = health.get(f"/s/{sid}/v/1/report.json").json()
    # the table was read with its submission's level=department, not with this one's fields (none), and its
    # plan traces the batch: read with none, it would hold no plan and the batch would not be judged
    assert [i["file"] for i in report["inputs"] if i.get("context")] == ["context/1-青川县市场监督管理局/read.json"]
    assert {t["rule"]: t["satisfied"] for t in report["rules"]}["batch-traced-to-plan"] == 1
    assert report["summary"]["documents"] == 1 and not report["input_errors"]
