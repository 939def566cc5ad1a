"""Accounts: argon2 password hashes, API tokens, CSRF tokens, and a login rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from checker.web.db import ROLES, ApiToken, LoginFailure, User, now

_HASHER = PasswordHasher()
# A hash verified when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY = _HASHER.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A request about accounts that cannot be done, with the reason."""


def add_user(db: Session, name: str, password: str, role: str, department: str | None = None,
             jurisdiction: str | None = None) -> User:
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("a user name has 1 to 100 characters")
    if role not in ROLES:
        raise AccountError(f"role {role!r}: one of {', '.join(ROLES)}")
    if role == "department" and not (department and jurisdiction):
        raise AccountError("a department account names its --department and --jurisdiction")
    if role == "conference" and not jurisdiction:
        raise AccountError("a conference office account names its --jurisdiction")
    if len(password) < 10:
        raise AccountError("a password has at least 10 characters")
    if db.scalar(select(User).where(User.name == name)):
        raise AccountError(f"user {name!r} exists")
    user = User(name=name, password_hash=_HASHER.hash(password), role=role,
                department=(department or "").strip() or None, jurisdiction=(jurisdiction or "").strip() or None)
    db.add(user)
    db.flush()
    return user


def authenticate(db: Session, name: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.name == name.strip()))
    try:
        _HASHER.verify(user.password_hash if user else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(db: Session, user: User, label: str = "") -> str:
    """A new API token for `user`; only its hash is stored, so this is the one time it is seen."""
    token = "dsr_" + secrets.token_urlsafe(32)
    db.add(ApiToken(user_id=user.id, digest=_digest(token), label=label))
    return token


def token_user(db: Session, token: str) -> User | None:
    row = db.scalar(select(ApiToken).where(ApiToken.digest == _digest(token), ApiToken.revoked_at.is_(None)))
    return row.user if row and row.user.active else None


def revoke_tokens(db: Session, user: User) -> None:
    for row in db.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        row.revoked_at = now()


def csrf_token(session: dict) -> str:
    """The session's CSRF token, made on first use; every form carries it back."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(24)
    return token


def csrf_ok(session: dict, given: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


class RateLimit:
    """At most `attempts` failed logins per `window` seconds, per account name and per address.

    The failures are rows of the database (db.LoginFailure), not a process's memory: several
    server processes on one database share the count, and a restart does not reset it.
    """

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = dt.timedelta(seconds=window)

    def blocked(self, db: Session, *keys: str) -> bool:
        since = now() - self.window
        counts = db.execute(select(LoginFailure.key, func.count()).where(
            LoginFailure.key.in_(keys), LoginFailure.at > since).group_by(LoginFailure.key))
        return any(n >= self.attempts for _, n in counts)

    def failed(self, db: Session, *keys: str) -> None:
        db.execute(delete(LoginFailure).where(LoginFailure.at <= now() - self.window))  # past the window
        db.add_all(LoginFailure(key=k[:300]) for k in keys)
