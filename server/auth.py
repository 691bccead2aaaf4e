"""Staff authentication: passwords (argon2), session cookies, API keys, roles.

401 vs 403, as the API answers them:

* **401 Unauthorized** — we do not know who you are: no credential, or one that does not match a
  live staff session or API key. A business link token is *not* a staff credential, so it gets
  401 too. The answer carries ``WWW-Authenticate: Bearer``.
* **403 Forbidden** — we know who you are, and your role may not do this (a reviewer calling an
  admin-only route).

Secrets are stored as hashes only and compared with ``secrets.compare_digest``; no secret is ever
logged.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.errors import CoachError, InvalidInput
from server.storage import (
    ROLES,
    ApiKey,
    AuditEntry,
    StaffSession,
    StaffUser,
    Store,
    as_utc,
    hash_secret,
    new_token,
    utcnow,
)

SESSION_COOKIE = "coach_staff"
SESSION_TTL = timedelta(hours=12)
API_KEY_PREFIX = "ck_"
Role = Literal["reviewer", "admin"]

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps login time the same either way, so
# timing does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class NotAuthenticated(CoachError):
    code = "not_authenticated"
    http_status = 401

    def __init__(self) -> None:
        super().__init__(
            "職員としてのログインが必要です。", "Staff sign-in required (session or API key)."
        )


class Forbidden(CoachError):
    code = "forbidden"
    http_status = 403

    def __init__(self, needed: str) -> None:
        super().__init__(
            f"この操作には「{needed}」権限が必要です。", f"This action needs the '{needed}' role."
        )


class StaffPrincipal(BaseModel):
    """Who is calling a staff route, and how they proved it."""

    user_id: int
    username: str
    role: Role
    via: Literal["session", "api_key"]

    def require(self, role: Role) -> None:
        if role == "admin" and self.role != "admin":
            raise Forbidden("admin")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def validate_password(password: str) -> None:
    if len(password) < 10:
        raise InvalidInput(
            "パスワードは10文字以上にしてください。", "Passwords need at least 10 characters."
        )


def create_user(store: Store, username: str, password: str, role: str = "reviewer") -> int:
    username = username.strip()
    if not username or len(username) > 64:
        raise InvalidInput("ユーザー名が不正です。", "Invalid username.")
    if role not in ROLES:
        raise InvalidInput(f"役割は {ROLES} のいずれかです。", f"Role must be one of {ROLES}.")
    validate_password(password)
    password_hash = hash_password(password)

    def work(session: Session) -> int:
        if session.scalar(select(StaffUser).where(StaffUser.username == username)) is not None:
            raise InvalidInput(
                f"ユーザー「{username}」は既に存在します。", f"User '{username}' already exists."
            )
        user = StaffUser(username=username, password_hash=password_hash, role=role,
                         created_at=utcnow())
        session.add(user)
        session.flush()
        session.add(AuditEntry(at=utcnow(), actor="system", action="user_created",
                               submission_id=None, detail={"username": username, "role": role}))
        return user.id

    return store.write(work)


def ensure_admin(store: Store, username: str, password: str | None) -> None:
    """Create the first admin from settings when configured and absent (idempotent)."""
    if not password:
        return
    with store.read() as session:
        if session.scalar(select(StaffUser).where(StaffUser.username == username)) is not None:
            return
    try:
        create_user(store, username, password, "admin")
    except InvalidInput:
        # Another worker created it first; that is the state we wanted.
        pass


def login(store: Store, username: str, password: str) -> tuple[str, StaffPrincipal]:
    """Check a password; return a new session token (to put in a cookie) and the principal."""
    with store.read() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    stored = user.password_hash if user is not None and user.active else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        _record_failed_login(store, user)
        raise NotAuthenticated()
    token = new_token()
    now = utcnow()

    def work(session: Session) -> None:
        session.add(StaffSession(token_hash=hash_secret(token), user_id=user.id, created_at=now,
                                 expires_at=now + SESSION_TTL))
        session.add(AuditEntry(at=now, actor=user.username, action="login", submission_id=None,
                               detail={}))

    store.write(work)
    return token, StaffPrincipal(user_id=user.id, username=user.username, role=user.role,
                                 via="session")


def _record_failed_login(store: Store, user: StaffUser | None) -> None:
    """Audit a refused login so an administrator can see password guessing.

    The attempted name is kept only when it is a real account: a name that matches no account is
    often a password typed into the wrong field, which must not land in the log."""
    actor = user.username if user is not None else "(unknown)"
    detail = {"known_user": user is not None, "active": bool(user is not None and user.active)}
    store.write(lambda session: session.add(AuditEntry(
        at=utcnow(), actor=actor, action="login_failed", submission_id=None, detail=detail)))


def logout(store: Store, token: str) -> None:
    def work(session: Session) -> None:
        row = session.get(StaffSession, hash_secret(token))
        if row is not None:
            session.delete(row)

    store.write(work)


def create_api_key(store: Store, username: str, name: str) -> str:
    """A new API key for ``username``; the plain key is returned once and stored hashed."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)

    def work(session: Session) -> None:
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
        if user is None:
            raise InvalidInput(f"ユーザー「{username}」がいません。", f"No user '{username}'.")
        session.add(ApiKey(key_hash=hash_secret(key), name=name[:100], user_id=user.id,
                           created_at=utcnow()))
        session.add(AuditEntry(at=utcnow(), actor=username, action="api_key_created",
                               submission_id=None, detail={"name": name[:100]}))

    store.write(work)
    return key


def authenticate(store: Store, credential: str | None) -> StaffPrincipal:
    """Resolve a bearer credential or session cookie to a staff principal, or raise 401."""
    if not credential or len(credential) > 200:
        raise NotAuthenticated()
    digest = hash_secret(credential)
    with store.read() as session:
        if credential.startswith(API_KEY_PREFIX):
            key = session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
            # The lookup is by hash; compare_digest makes the final check constant-time anyway.
            if key is None or key.revoked or not secrets.compare_digest(key.key_hash, digest):
                raise NotAuthenticated()
            user = session.get(StaffUser, key.user_id)
            via: Literal["session", "api_key"] = "api_key"
        else:
            row = session.get(StaffSession, digest)
            if row is None or not secrets.compare_digest(row.token_hash, digest):
                raise NotAuthenticated()
            if as_utc(row.expires_at) < utcnow():
                raise NotAuthenticated()
            user = session.get(StaffUser, row.user_id)
            via = "session"
        if user is None or not user.active:
            raise NotAuthenticated()
        return StaffPrincipal(user_id=user.id, username=user.username, role=user.role, via=via)
