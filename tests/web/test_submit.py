"""Departments submit, see the report at once, resubmit, and see what changed; the same findings as the CLI."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app as cli
from tests.web.conftest import PASSWORD, accounts, csrf, fixed_qingchuan, login, make_app, upload


def cli_json(tmp: Path, files: list[tuple[str, bytes]], *args: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The command line's JSON report for the same files, named the same, in the current folder."""
    for name, data in files:
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_bytes(data)
    monkeypatch.chdir(tmp)
    result = CliRunner().invoke(cli, ["check", *[n for n, _ in files], "--format", "json", *args])
    assert result.exit_code in (0, 1, 2), result.output
    return result.stdout


def test_upload_report_is_the_command_lines_and_a_fix_shows_as_fixed(
        db_url: str, qingchuan: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    web = make_app(db_url)
    accounts(web)
    dept = login(web, "qc-market")
    sid, n = upload(dept, [("qingchuan-2025.xlsx", qingchuan)])
    assert n == 1 and len(sid) >= 22  # 128 random bits, not a row number
    web_json = dept.get(f"/s/{sid}/v/1/report.json").text
    expected = cli_json(tmp_path / "cli1", [("qingchuan-2025.xlsx", qingchuan)], "--as-of", "2025-06-01",
                        "--plan", "level=department", monkeypatch=monkeypatch)
    assert web_json == expected
    first = json.loads(web_json)["violations"]
    page = dept.get(f"/s/{sid}").text
    assert "已完成" in page and first and all(html.escape(v["message"]) in page for v in first)

    corrected = fixed_qingchuan()  # once: a workbook saved twice differs in its timestamp
    sid2, n2 = upload(dept, [("qingchuan-2025.xlsx", corrected)], submission=sid)
    assert (sid2, n2) == (sid, 2)
    web_json = dept.get(f"/s/{sid}/v/2/report.json").text
    assert web_json == cli_json(tmp_path / "cli2", [("qingchuan-2025.xlsx", corrected)], "--as-of",
                                "2025-06-01", "--plan", "level=department", monkeypatch=monkeypatch)
    before = {(v["rule"], v["document"], v["subject"]) for v in first}
    after = {(v["rule"], v["document"], v["subject"]) for v in json.loads(web_json)["violations"]}
    fixed = before - after
    assert fixed and {s for _, _, s in fixed} <= {"qingchuan-2025-1", "qingchuan-2025-2"}  # what was corrected
    page = dept.get(f"/s/{sid}?v=2").text
    table = re.search(r'<table id="changes">(.*?)</table>', page, re.S)
    assert table
    cells = re.findall(r"<td[^>]*>(\d+)</td>", table.group(1))
    assert cells == [str(len(fixed)), str(len(after - before)), str(len(before & after))]
    listed = re.search(r'<h3 class="fixed">.*?</ul>', page, re.S).group(0)
    assert all(f"<code>{rule}</code> {doc} · {subject}:" in listed for rule, doc, subject in fixed)


def test_a_department_sees_and_guesses_nothing_of_another(sqlite_url: str, qingchuan: bytes) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    sid, _ = upload(login(web, "qc-market"), [("qingchuan-2025.xlsx", qingchuan)])
    other = login(web, "qc-health")
    stranger_office = login(web, "wc-office")
    for client in (other, stranger_office):
        for path in (f"/s/{sid}", f"/s/{sid}/v/1/report", f"/s/{sid}/v/1/report.json"):
            assert client.get(path).status_code == 404, path
        assert sid not in client.get("/submissions").text
    assert login(web, "qc-office").get(f"/s/{sid}").status_code == 200  # its own jurisdiction's office
    assert other.get("/s/1").status_code == 404 and other.get("/s/AAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    # nor through the API, with the other department's token
    token = _token(other)
    api = other.get(f"/api/v1/submissions/{sid}", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 404
    assert other.get("/api/v1/submissions", headers={"Authorization": f"Bearer {token}"}).json() == []
    # a department may not open the conference's pages
    assert other.get("/dashboard").status_code == 403 and other.get("/audit").status_code == 403


def _token(client: object) -> str:
    page = client.get("/account").text  # type: ignore[attr-defined]
    value = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    client.post("/account/tokens", data={"csrf": value, "label": "ci"},  # type: ignore[attr-defined]
                follow_redirects=False)
    return re.search(r'<code id="token">([^<]+)</code>', client.get("/account").text).group(1)  # type: ignore


def test_forms_without_the_csrf_token_are_refused(sqlite_url: str, qingchuan: bytes) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    dept = login(web, "qc-market")
    r = dept.post("/submit", data={"title": "x", "kind": "plan", "year": "2025"},
                  files=[("files", ("q.xlsx", qingchuan))])
    assert r.status_code == 403
    r = dept.post("/submit", data={"csrf": "forged", "title": "x", "kind": "plan", "year": "2025"},
                  files=[("files", ("q.xlsx", qingchuan))])
    assert r.status_code == 403
    assert "q.xlsx" not in dept.get("/submissions").text
    assert dept.post("/login", data={"name": "qc-market", "password": PASSWORD}).status_code == 403


def test_hostile_names_render_inert(sqlite_url: str) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    dept = login(web, "qc-market")
    hostile = Path("fixtures/hostile/hostile-names.json").read_bytes()
    script = json.dumps({"kind": "batch", "id": "<script>alert(1)</script>", "origin": "complaint",
                         "lead": "<img src=x onerror=alert(2)>"}, ensure_ascii=False).encode()
    sid, _ = upload(dept, [("hostile-names.json", hostile), ("<b>x</b>.json", script)],
                    title="<script>alert('title')</script>", kind="batches", plan_fields="")
    for path in (f"/s/{sid}", "/submissions", f"/s/{sid}/v/1/report"):
        text = dept.get(path).text
        assert "<script" not in text and "<img" not in text and "<b>" not in text, path
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in dept.get(f"/s/{sid}").text


def test_report_csp_cookie_flags_and_downloads_a_browser_will_not_run(sqlite_url: str, qingchuan: bytes) -> None:
    web = make_app(sqlite_url)
    accounts(web)
    dept = login(web, "qc-market")
    page = b"<html><script>alert(1)</script></html>"
    sid, _ = upload(dept, [("qingchuan-2025.xlsx", qingchuan), ("page.html", page)])
    report = dept.get(f"/s/{sid}/v/1/report")
    csp = report.headers["content-security-policy"]
    assert csp.startswith("default-src 'none'; style-src 'sha256-") and "unsafe" not in csp
    assert "script-src" not in csp  # nothing but default-src 'none' for scripts
    files = re.findall(rf'href="(/s/{sid}/v/1/files/[^"]+)">([^<]+)</a>', dept.get(f"/s/{sid}").text)
    assert {name for _, name in files} == {"qingchuan-2025.xlsx", "page.html"}
    for href, _ in files:
        r = dept.get(href)
        assert r.headers["content-type"] == "application/octet-stream"
        assert r.headers["content-disposition"].startswith("attachment;")
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in r.headers["content-security-policy"]
    assert dict(files) and page in [dept.get(h).content for h, _ in files]
    cookie = login(web, "qc-health").cookies.jar
    flags = TestCookieFlags.of(web)
    assert "httponly" in flags and "samesite=strict" in flags
    assert cookie


class TestCookieFlags:
    @staticmethod
    def of(web: object) -> str:
        from fastapi.testclient import TestClient

        from tests.web.conftest import csrf

        client = TestClient(web)  # type: ignore[arg-type]
        r = client.post("/login", data={"csrf": csrf(client), "name": "qc-market", "password": PASSWORD},
                        follow_redirects=False)
        return r.headers["set-cookie"].lower()


def test_logins_are_rate_limited_across_server_processes(db_url: str) -> None:
    from fastapi.testclient import TestClient

    from tests.web.conftest import csrf

    web, other = make_app(db_url), make_app(db_url)  # two server processes on one database
    accounts(web)
    clients = [TestClient(web), TestClient(other)]
    for n in range(5):  # the failures alternate between the two
        client = clients[n % 2]
        r = client.post("/login", data={"csrf": csrf(client), "name": "qc-market", "password": "wrong-password"})
        assert r.status_code == 401
    for client in clients:
        r = client.post("/login", data={"csrf": csrf(client), "name": "qc-market", "password": PASSWORD})
        assert r.status_code == 429  # on either, even the right password, until the window passes
    # another account, from another address, is not held back by these failures
    fresh = TestClient(other, client=("192.0.2.7", 50000))
    r = fresh.post("/login", data={"csrf": csrf(fresh), "name": "qc-health", "password": PASSWORD},
                   follow_redirects=False)
    assert r.status_code == 303
    actions = [a for a in _audit_actions(web) if a.startswith("login")]
    assert actions == ["login.failed"] * 5 + ["login.blocked"] * 2 + ["login"]


def _audit_actions(web: object) -> list[str]:
    from sqlalchemy import select

    from checker.web.db import Audit

    with web.state.sessions() as db:  # type: ignore[attr-defined]
        return [a.action for a in db.scalars(select(Audit).order_by(Audit.id))]


def test_one_account_flooding_checks_cannot_starve_the_others(sqlite_url: str, qingchuan: bytes) -> None:
    import threading

    from fastapi.testclient import TestClient

    web = make_app(sqlite_url, workers=6, per_account=4)
    accounts(web)
    market, health = login(web, "qc-market"), login(web, "qc-health")
    release = threading.Event()
    held = [web.state.pool.submit(lambda: release.wait(60), "qc-market") for _ in range(4)]  # its four in flight
    try:
        # the fifth is refused before anything is stored, on the pages and in the API, in Chinese
        r = market.post("/submit", data={"csrf": csrf(market, "/submit"), "title": "2025年度计划", "kind": "plan",
                                         "year": "2025", "as_of": "2025-06-01", "plan_fields": "level=department"},
                        files=[("files", ("qingchuan-2025.xlsx", qingchuan))], follow_redirects=False)
        assert r.status_code == 429 and "本账户已有 4 项检查在排队或进行中" in r.text
        machine = TestClient(web)
        auth = {"Authorization": f"Bearer {_token(market)}"}
        r = machine.post("/api/v1/check", headers=auth, files=[("files", ("qingchuan-2025.xlsx", qingchuan))])
        assert r.status_code == 429 and r.json()["error"].startswith("本账户已有 4 项检查") and r.headers["retry-after"]
        r = machine.post("/api/v1/submissions", headers=auth, files=[("files", ("qingchuan-2025.xlsx", qingchuan))],
                         data={"title": "2025年度计划", "kind": "plan", "year": "2025"})
        assert r.status_code == 429
        assert "upload" not in _audit_actions(web) and market.get("/submissions").text.count("/s/") == 0
        # ... while another account's upload is checked at once
        sid, _ = upload(health, [("qingchuan-2025.xlsx", qingchuan)], plan_fields="level=department")
        assert health.get(f"/s/{sid}/v/1/report.json").status_code == 200
    finally:
        release.set()
    for future in held:
        future.result(60)
    sid, _ = upload(market, [("qingchuan-2025.xlsx", qingchuan)])  # its checks done, the account uploads again
    assert market.get(f"/s/{sid}/v/1/report.json").status_code == 200
