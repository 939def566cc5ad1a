"""Fixtures of the web service: an app on SQLite or on a throwaway PostgreSQL cluster, accounts, a client."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'dsr-check[web]'")

from fastapi.testclient import TestClient

from checker.web.app import Settings, create_app
from checker.web.auth import add_user

PG_BIN = Path("/usr/lib/postgresql")
PASSWORD = "correct horse battery"
QINGCHUAN = Path(__file__).parents[2] / "fixtures" / "realworld" / "qingchuan-2025.xlsx"


def _pg_bin() -> Path | None:
    versions = sorted(PG_BIN.glob("*/bin/initdb")) if PG_BIN.is_dir() else []
    return versions[-1].parent if versions else None


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A PostgreSQL cluster in a temporary folder, on a Unix socket only, run as the postgres user."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing on CI: .ci/run installs Debian's postgresql")
        pytest.skip("PostgreSQL binaries not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="dsr-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(folder, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = "54329"
    data = folder / "data"
    subprocess.run([*as_postgres, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "dsr"],
                   check=True, capture_output=True)
    subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-o",
                    f"-k {folder} -c listen_addresses='' -p {port}", "-l", str(folder / "log"), "-w", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://dsr@/postgres?host={folder}&port={port}"
    finally:
        subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


_databases = count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return str(tmp_path / "web.db")
    import psycopg

    server = request.getfixturevalue("postgres")
    name = f"test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(server.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.replace("/postgres?", f"/{name}?")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "web.db")


def make_app(db: str, **settings: object) -> object:
    return create_app(Settings(db=db, **settings))  # type: ignore[arg-type]


def accounts(app: object) -> None:
    """Two departments of 青川县, one of 旺苍县, their conference offices, a justice reviewer, an admin."""
    with app.state.sessions.begin() as db:  # type: ignore[attr-defined]
        add_user(db, "qc-market", PASSWORD, "department", "青川县市场监督管理局", "青川县")
        add_user(db, "qc-health", PASSWORD, "department", "青川县卫生健康局", "青川县")
        add_user(db, "wc-market", PASSWORD, "department", "旺苍县市场监督管理局", "旺苍县")
        add_user(db, "qc-office", PASSWORD, "conference", None, "青川县")
        add_user(db, "wc-office", PASSWORD, "conference", None, "旺苍县")
        add_user(db, "qc-justice", PASSWORD, "justice", None, "青川县")
        add_user(db, "root", PASSWORD, "admin")


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf(client: TestClient, page: str = "/login") -> str:
    match = CSRF.search(client.get(page).text)
    assert match, page
    return match.group(1)


def login(app: object, name: str) -> TestClient:
    client = TestClient(app)  # type: ignore[arg-type]
    r = client.post("/login", data={"csrf": csrf(client), "name": name, "password": PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def upload(client: TestClient, files: list[tuple[str, bytes]], *, submission: str = "", title: str = "2025年度计划",
           kind: str = "plan", year: int = 2025, as_of: str = "2025-06-01",
           plan_fields: str = "level=department", lang: str = "zh") -> tuple[str, int]:
    """Upload as the logged-in department; the submission id and version number the page went to."""
    r = client.post("/submit", data={"csrf": csrf(client, "/submit"), "submission": submission, "title": title,
                                     "kind": kind, "year": str(year), "as_of": as_of, "lang": lang,
                                     "plan_fields": plan_fields},
                    files=[("files", (n, d)) for n, d in files], follow_redirects=False)
    assert r.status_code == 303, r.text
    match = re.match(r"/s/([^?]+)\?v=(\d+)$", r.headers["location"])
    assert match, r.headers["location"]
    return match.group(1), int(match.group(2))


@pytest.fixture
def qingchuan() -> bytes:
    return QINGCHUAN.read_bytes()


def fixed_qingchuan() -> bytes:
    """The Qingchuan table as its department would correct it: ratios stated, the method written plainly."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(QINGCHUAN)
    sheet = book.worksheets[0]
    for row in (4, 5):
        sheet[f"I{row}"] = "5%"
        sheet[f"H{row}"] = "现场检查"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
