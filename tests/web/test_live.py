"""The service as it runs: a real server process, concurrent clients, a huge upload, a kill mid-check."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import select

from checker.web.auth import add_user, new_token
from checker.web.db import Version, engine_for, migrate, sessions
from checker.web.store import INTERRUPTED
from tests.web.conftest import PASSWORD

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "fixtures" / "sample"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: str, *args: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`dsr-check serve` in a process of its own; its address while it runs."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--db", db, "--port", str(port), *args],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "the server exited at start"
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.2)
        yield url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _database(tmp: Path) -> tuple[str, str]:
    """A SQLite database with a department account; its path and an API token of that account."""
    db = str(tmp / "live.db")
    engine = engine_for(db)
    migrate(engine)
    with sessions(engine).begin() as s:
        user = add_user(s, "qc-market", PASSWORD, "department", "青川县市场监督管理局", "青川县")
        token = new_token(s, user)
    engine.dispose()
    return db, token


def _sample() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(SAMPLE.rglob("*.yaml"))]


def test_twenty_concurrent_uploads_are_answered_and_a_100_mib_one_is_refused_unread(tmp_path: Path) -> None:
    db, token = _database(tmp_path)
    files = _sample()
    with serving(db, "--workers", "2", "--checks-per-account", "20") as (url, _):  # one account, twenty checks
        answers: list[httpx.Response | BaseException] = []

        def post() -> None:
            try:
                answers.append(httpx.post(url + "/api/v1/check", headers={"Authorization": f"Bearer {token}"},
                                          files=[("files", f) for f in files], data={"as_of": "2021-12-31"},
                                          timeout=300))
            except BaseException as exc:  # recorded, asserted below
                answers.append(exc)

        threads = [threading.Thread(target=post) for _ in range(20)]
        for t in threads:
            t.start()
        # while they run: 100 MiB announced, only the headers sent
        with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=30) as s:
            s.sendall(b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode()
                      + b"\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 104857600\r\n\r\n")
            head = s.recv(4096).decode("latin-1")
        assert head.startswith("HTTP/1.1 413"), head
        for t in threads:
            t.join(300)
        assert len(answers) == 20 and all(isinstance(a, httpx.Response) for a in answers), answers
        bodies = {a.text for a in answers if isinstance(a, httpx.Response) and a.status_code == 200}
        assert len(bodies) == 1 and len([a for a in answers if a.status_code == 200]) == 20  # type: ignore
        assert json.loads(bodies.pop())["summary"]["documents"] > 20


def test_a_server_killed_mid_check_marks_it_failed_and_it_runs_again(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    manifest = generate(20_000, 58, tmp_path / "year")
    files = [(p.name, p.read_bytes()) for p in sorted((tmp_path / "year" / "input").iterdir())]
    db, _ = _database(tmp_path)
    engine = engine_for(db)
    with serving(db, "--workers", "1") as (url, server):
        client = _logged_in(url)
        csrf = _csrf(client.get("/submit").text)
        upload = threading.Thread(target=lambda: _quiet(lambda: client.post(
            "/submit", data={"csrf": csrf, "title": "2021 全年", "kind": "batches", "year": "2021",
                             "as_of": "2021-12-31", "lang": "zh"}, files=[("files", f) for f in files])))
        upload.start()
        deadline = time.monotonic() + 120
        while _status(engine) != "running":
            assert time.monotonic() < deadline, f"the check never started: {_status(engine)}"
            time.sleep(0.05)
        os.killpg(server.pid, signal.SIGKILL)  # the server, its pool and the checking process, at once
        server.wait()
        upload.join(30)
    assert _status(engine) == "running"  # as the killed server left it
    with serving(db, "--workers", "1") as (url, _):
        assert _status(engine) == "failed"
        client = _logged_in(url)
        sid = client.get("/submissions").text.split('href="/s/', 1)[1].split('"', 1)[0]
        page = client.get(f"/s/{sid}").text
        assert INTERRUPTED in page
        r = client.post(f"/s/{sid}/v/1/rerun", data={"csrf": _csrf(page)}, timeout=300)
        assert r.status_code == 200
        assert _status(engine) == "done"
        assert json.loads(client.get(f"/s/{sid}/v/1/report.json").text)["summary"]["documents"] == manifest["documents"]


def _csrf(page: str) -> str:
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def _logged_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60, follow_redirects=True)
    r = client.post("/login", data={"csrf": _csrf(client.get("/login").text), "name": "qc-market",
                                    "password": PASSWORD})
    assert r.status_code == 200 and "qc-market" in r.text
    return client


def _quiet(call: object) -> None:
    try:
        call()  # type: ignore[operator]
    except httpx.HTTPError:
        pass


def _status(engine: object) -> str | None:
    with sessions(engine).begin() as s:  # type: ignore[arg-type]
        return s.scalar(select(Version.status).order_by(Version.created_at.desc()))

