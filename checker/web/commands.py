"""What `dsr-check serve` and `dsr-check users` do; the CLI imports this only when they run."""

from __future__ import annotations

import sys

from checker.web import store
from checker.web.auth import AccountError, add_user, new_token
from checker.web.db import User, engine_for, migrate, sessions

DEFAULT_DB = "dsr-check.db"


def serve(db: str, host: str, port: int, workers: int, seconds: float, memory_mb: int, secure_cookies: bool,
          per_account: int = 4) -> None:
    import uvicorn

    from checker.web.app import Settings, create_app

    app = create_app(Settings(db=db, workers=workers, seconds=seconds, memory_mb=memory_mb,
                                secure_cookies=secure_cookies, per_account=per_account))
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise AccountError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def users_add(db: str, name: str, role: str, department: str | None, jurisdiction: str | None) -> str:
    """Create an account (the password from the terminal, or the first line of standard input)."""
    password = _read_password()
    engine = engine_for(db)
    migrate(engine)
    with sessions(engine).begin() as s:
        user = add_user(s, name, password, role, department, jurisdiction)
        store.audit(s, "cli", "user.add", user.name, {"role": role, "department": department,
                                                       "jurisdiction": jurisdiction})
    return f"added {name} ({role})"


def users_token(db: str, name: str, label: str) -> str:
    """A new API token for the account, printed once."""
    engine = engine_for(db)
    migrate(engine)
    from sqlalchemy import select

    with sessions(engine).begin() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise AccountError(f"no user {name!r}")
        token = new_token(s, user, label)
        store.audit(s, "cli", "token.new", name, {"label": label})
    return token
