"""Persistence of submissions, reviews, staff accounts and the audit log (SQLAlchemy 2).

SQLite (WAL) under ``data_dir`` is the embedded default; any SQLAlchemy URL (PostgreSQL) works.
The schema is owned by the alembic migrations in ``server/migrations``; the ORM classes below
mirror it. Every write goes through :meth:`Store.write`, which commits before returning and
retries when SQLite answers "database is locked", so an accepted submission is never lost to a
busy database.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
)

from ingest.errors import CoachError

log = logging.getLogger(__name__)

T = TypeVar("T")

# STEP 2–6 of the playbook, in order. 不採用 may follow any open step and needs a reason.
STATUSES: tuple[str, ...] = (
    "received",
    "first_check",
    "coordination",
    "dialogue",
    "decision",
    "agreement",
    "rejected",
)
STATUS_LABELS: dict[str, str] = {
    "received": "受付",
    "first_check": "一次確認",
    "coordination": "担当部署調整",
    "dialogue": "対話",
    "decision": "庁内意思決定",
    "agreement": "契約・協定",
    "rejected": "不採用",
}
TERMINAL_STATUSES = frozenset({"agreement", "rejected"})
ROLES: tuple[str, ...] = ("reviewer", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


def hash_secret(secret: str) -> str:
    """SHA-256 of a high-entropy secret (link tokens, session ids, API keys).

    These secrets carry 256 bits of randomness, so a fast hash is enough: it keeps a stolen
    database from yielding working links, and lookups stay indexable. Passwords (low entropy)
    use argon2 instead (``server.auth``).
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    source: Mapped[str] = mapped_column(String(16), default="web")  # web | upload | import | api
    title: Mapped[str] = mapped_column(String(200), default="")
    route: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    # Latest review, denormalised so the staff list filters in SQL.
    issue_driven: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    why_this_city: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    one_solution: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    cost_split: Mapped[str | None] = mapped_column(String(8), nullable=True, index=True)
    to_g: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    sales_pitch: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    injection: Mapped[bool] = mapped_column(Boolean, default=False)
    bureau: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    revision_count: Mapped[int] = mapped_column(Integer, default=0)

    reviews: Mapped[list[Review]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="Review.seq"
    )


class Review(Base):
    __tablename__ = "reviews"
    # The revision number is what the writer and staff quote ("第3版"); two revisions sharing one
    # would make the history ambiguous, so the database refuses it even if a writer races past
    # the lock taken in ``Store.write``.
    __table_args__ = (Index("uq_reviews_submission_seq", "submission_id", "seq", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_id: Mapped[str] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    route: Mapped[str | None] = mapped_column(String(8), nullable=True)
    report: Mapped[dict[str, Any]]
    mode: Mapped[str] = mapped_column(String(8), default="offline")
    created_at: Mapped[datetime]

    submission: Mapped[Submission] = relationship(back_populates="reviews")


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="reviewer")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    submission_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    detail: Mapped[dict[str, Any]]


class ImportJob(Base):
    __tablename__ = "import_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    actor: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued|running|done|failed
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[dict[str, Any]]  # {"lines": [{"line": n, "message": "…"}]}
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


# PostgreSQL's "nothing was done, run the transaction again" answers: deadlock_detected,
# serialization_failure, lock_not_available (lock_timeout / NOWAIT).
_PG_RETRY_SQLSTATES = frozenset({"40P01", "40001", "55P03"})


def is_locked(err: OperationalError) -> bool:
    """Whether the database refused because another connection holds the lock."""
    # Matched by SQLSTATE, not text: a deadlock's message matched "locked" only through
    # "blocked by process", and a lock timeout's did not match at all.
    sqlstate = getattr(err.orig, "sqlstate", None)  # psycopg errors; sqlite3's have none
    if sqlstate:
        return sqlstate in _PG_RETRY_SQLSTATES
    text = str(err.orig).lower() if err.orig is not None else str(err).lower()
    return "locked" in text or "busy" in text


class DatabaseBusy(CoachError):
    """What the user is told when the database stayed locked past ``busy_timeout`` and every
    retry of :meth:`Store.write` (which re-raises the driver's ``OperationalError``; the API's
    error handler answers it with this): nothing was stored.

    A 503 with ``Retry-After``, not a 500: the request was fine and sending it again shortly
    will very likely work, and the writer must be told that this one was *not* saved."""

    code = "database_busy"
    http_status = 503

    def __init__(self, retry_after: int = 5) -> None:
        super().__init__(
            f"データベースが混み合っているため、保存できませんでした(この送信は保存されていません)。"
            f"{retry_after}秒ほど待ってから、もう一度送信してください。",
            f"The database is busy, so nothing was saved. Please send it again in about {retry_after} s.",
        )
        self.retry_after = retry_after


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class Store:
    """The database: one engine, short sessions, committed writes with retry on lock."""

    def __init__(self, url: str, *, busy_timeout_s: float = 30.0, write_retries: int = 8):
        self.url = url
        self.write_retries = write_retries
        self.is_sqlite = url.startswith("sqlite")
        connect_args: dict[str, Any] = {}
        if self.is_sqlite:
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            # Requests run in a thread pool; each thread opens its own connection from the pool.
            connect_args = {"timeout": busy_timeout_s, "check_same_thread": False}
        self.engine: Engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas(busy_timeout_s))
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Write units read before they write (the next revision number is max + 1). They take
        # SQLite's write lock when they begin, so a second writer waits instead of reading the
        # same maximum; see ``_sqlite_begin``.
        self._write_sessions = sessionmaker(
            self.engine.execution_options(**{_WRITE_LOCK: True}), expire_on_commit=False
        )

    # --- schema ---------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest migration (``alembic upgrade head``)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")

    # --- sessions -------------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a transaction and commit it; retry the whole unit when locked.

        ``work`` must be safe to re-run (it only touches the session), which is why writes are
        passed as functions instead of an open session.
        """
        delay = 0.05
        for attempt in range(self.write_retries + 1):
            session = self._write_sessions()
            try:
                result = work(session)
                session.commit()
                return result
            except OperationalError as err:
                session.rollback()
                if not is_locked(err):
                    raise
                if attempt == self.write_retries:
                    # The caller gets the driver's error; the API answers it with DatabaseBusy.
                    log.error("database still locked after %d attempt(s); write not stored", attempt + 1)
                    raise
                log.warning("database busy, retrying write (attempt %d)", attempt + 1)
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()

    # --- retention ------------------------------------------------------------------------------

    def purge(self, retention_days: int, *, now: datetime | None = None) -> int:
        """Delete submissions (and their reviews) older than ``retention_days``; return how many."""
        cutoff = (now or utcnow()) - timedelta(days=retention_days)

        def work(session: Session) -> int:
            old = session.scalars(select(Submission).where(Submission.created_at < cutoff)).all()
            for submission in old:
                session.delete(submission)
            session.add(
                AuditEntry(
                    at=utcnow(), actor="system", action="purge", submission_id=None,
                    detail={"retention_days": retention_days, "deleted": len(old),
                            "cutoff": cutoff.isoformat()},
                )
            )
            # Expired staff sessions go too: they are useless and still secrets.
            for expired in session.scalars(
                select(StaffSession).where(StaffSession.expires_at < utcnow())
            ).all():
                session.delete(expired)
            return len(old)

        return self.write(work)


_WRITE_LOCK = "coach_write_lock"


def _sqlite_pragmas(busy_timeout_s: float) -> Callable[..., None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Python's sqlite3 (3.11) opens a transaction only before INSERT/UPDATE/DELETE, so a
        # SELECT at the start of a unit of work ran outside it, on data another writer was about
        # to change (two revisions got the same number under load). Turning its implicit BEGIN
        # off lets ``_sqlite_begin`` open every transaction at the start of the unit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return on_connect


def _sqlite_begin(connection: Any) -> None:
    """Open the transaction SQLAlchemy is beginning: ``BEGIN IMMEDIATE`` for a write unit (takes
    the write lock now, waiting up to ``busy_timeout``), a plain deferred ``BEGIN`` for reads so
    they never queue behind writers (WAL readers see the last committed snapshot)."""
    immediate = connection.get_execution_options().get(_WRITE_LOCK, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
