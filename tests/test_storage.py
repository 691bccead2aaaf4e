"""Storage on a real SQLite file: migrations match the models, WAL, retry when locked, purge."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from server.storage import Store, Submission, utcnow
from server.submissions import create_submission, find_id_by_token
from tests.server_helpers import dev_case, shared_review_service


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'coach.db'}")
    store.migrate()
    yield store
    store.dispose()


def _report(text: str):
    return shared_review_service().review(text)


def test_migrations_match_the_models(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from server.storage import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    store.migrate()  # idempotent: a second start does nothing


def test_sqlite_runs_in_wal_mode(store: Store, tmp_path: Path) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_write_waits_for_a_locked_database_and_loses_nothing(tmp_path: Path) -> None:
    # A short busy timeout so the lock surfaces as "database is locked" and the retry loop runs.
    store = Store(f"sqlite:///{tmp_path / 'coach.db'}", busy_timeout_s=0.05, write_retries=12)
    store.migrate()
    text = dev_case(0)["text"]
    report = _report(text)
    blocker = sqlite3.connect(tmp_path / "coach.db", timeout=5, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")  # hold the write lock, as another writer would
    released = threading.Event()

    def release() -> None:
        time.sleep(0.6)
        blocker.rollback()
        released.set()

    threading.Thread(target=release).start()
    sub_id, token = create_submission(store, text=text, route=None, report=report)
    assert released.is_set()  # the write really had to wait for the lock
    assert find_id_by_token(store, token) == sub_id
    with store.read() as session:
        assert session.scalar(select(Submission.text).where(Submission.id == sub_id)) == text
    blocker.close()
    store.dispose()


def test_write_gives_up_with_the_error_when_locked_for_good(tmp_path: Path) -> None:
    from sqlalchemy.exc import OperationalError

    store = Store(f"sqlite:///{tmp_path / 'coach.db'}", busy_timeout_s=0.02, write_retries=1)
    store.migrate()
    blocker = sqlite3.connect(tmp_path / "coach.db")
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError):
        create_submission(store, text="北九州市の課題", route=None, report=_report("北九州市の課題"))
    blocker.rollback()
    blocker.close()
    with store.read() as session:
        assert session.scalar(select(Submission.id)) is None  # nothing half-written
    store.dispose()


def test_purge_removes_only_old_submissions(store: Store) -> None:
    report = _report(dev_case(1)["text"])
    old_id, _ = create_submission(store, text=dev_case(1)["text"], route=None, report=report)
    new_id, _ = create_submission(store, text=dev_case(1)["text"], route=None, report=report)
    store.write(lambda s: setattr(s.get(Submission, old_id), "created_at",
                                  utcnow() - timedelta(days=400)))
    assert store.purge(365) == 1
    with store.read() as session:
        remaining = set(session.scalars(select(Submission.id)))
    assert remaining == {new_id}


def test_purge_and_staff_commands(tmp_path: Path) -> None:
    env = {"COACH_DATA_DIR": str(tmp_path), "PATH": str(Path(sys.executable).parent),
           "COACH_NEW_PASSWORD": "a-long-enough-password"}
    coach = str(Path(sys.executable).parent / "coach")
    added = subprocess.run([coach, "staff", "add-user", "sato", "--role", "admin"], env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {"username": "sato", "role": "admin"}
    again = subprocess.run([coach, "staff", "add-user", "sato"], env=env, capture_output=True,
                           text=True, timeout=120, check=False)
    assert again.returncode != 0 and "already exists" in again.stderr
    key = subprocess.run([coach, "staff", "create-api-key", "sato", "--name", "ci"], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert key.returncode == 0 and json.loads(key.stdout)["key"].startswith("ck_")
    purged = subprocess.run([coach, "purge", "--days", "30"], env=env, capture_output=True,
                            text=True, timeout=120, check=False)
    assert purged.returncode == 0, purged.stderr
    assert json.loads(purged.stdout) == {"deleted": 0, "retention_days": 30}
    bad = subprocess.run([coach, "purge", "--days", "0"], env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    assert bad.returncode != 0


# --- revision numbers under concurrency -------------------------------------------------------
# CI once stored two revisions of one link as the same number: pysqlite began the transaction only
# at the INSERT, so add_revision's `max(seq)` was read outside it. These tests force the
# interleaving that exposed it instead of hoping a thread pool produces it.


def test_a_write_unit_that_reads_then_writes_is_not_interleaved(store: Store) -> None:
    from sqlalchemy import func

    from server.storage import Review

    sub_id, _ = create_submission(store, text=dev_case(0)["text"], route=None,
                                  report=_report(dev_case(0)["text"]))
    first_has_read = threading.Event()
    numbers: list[int] = []

    def next_revision(session, *, pause: bool) -> int:
        seq = (session.scalar(select(func.max(Review.seq)).where(Review.submission_id == sub_id))
               or 0) + 1
        if pause:
            first_has_read.set()
            time.sleep(0.5)  # the second writer starts here, while this one holds its read
        session.add(Review(submission_id=sub_id, seq=seq, text="t", route=None, report={},
                           mode="offline", created_at=utcnow()))
        return seq

    first = threading.Thread(
        target=lambda: numbers.append(store.write(lambda s: next_revision(s, pause=True))))
    first.start()
    assert first_has_read.wait(10)
    numbers.append(store.write(lambda s: next_revision(s, pause=False)))
    first.join(10)
    assert sorted(numbers) == [2, 3]


def test_the_database_refuses_a_second_review_with_the_same_number(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError

    from server.storage import Review

    sub_id, _ = create_submission(store, text=dev_case(0)["text"], route=None,
                                  report=_report(dev_case(0)["text"]))
    with pytest.raises(IntegrityError):
        store.write(lambda s: s.add(Review(submission_id=sub_id, seq=1, text="t", route=None,
                                           report={}, mode="offline", created_at=utcnow())))


def test_reads_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'coach.db'}", busy_timeout_s=0.05, write_retries=0)
    store.migrate()
    sub_id, token = create_submission(store, text="北九州市の課題", route=None,
                                      report=_report("北九州市の課題"))
    blocker = sqlite3.connect(tmp_path / "coach.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # a writer in the middle of its unit
    try:
        assert find_id_by_token(store, token) == sub_id
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        store.dispose()


def test_upgrading_a_database_with_duplicate_revision_numbers_renumbers_them(tmp_path: Path) -> None:
    """A database written before 0002 may hold the duplicates the race produced; the upgrade keeps
    every review and numbers them in the order they were stored."""
    from alembic import command
    from alembic.config import Config

    from server.storage import MIGRATIONS_DIR

    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "0001")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute(
            "INSERT INTO submissions (id, token_hash, source, title, text, status, status_reason,"
            " created_at, updated_at, to_g, sales_pitch, injection, revision_count) VALUES"
            " ('s1', 'h1', 'web', 't', 'x', 'received', '', '2026-11-01', '2026-11-01', 0, 0, 0, 3)")
        for review_id, seq in ((1, 1), (2, 2), (3, 2), (4, 3)):
            conn.execute("INSERT INTO reviews (id, submission_id, seq, text, report, mode, created_at)"
                         " VALUES (?, 's1', ?, ?, '{}', 'offline', '2026-11-01')",
                         (review_id, seq, f"r{review_id}"))
    store = Store(url)
    store.migrate()
    with sqlite3.connect(tmp_path / "old.db") as conn:
        rows = conn.execute("SELECT id, seq FROM reviews ORDER BY id").fetchall()
        count = conn.execute("SELECT revision_count FROM submissions").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO reviews (submission_id, seq, text, report, mode, created_at)"
                         " VALUES ('s1', 4, 'dup', '{}', 'offline', '2026-11-01')")
    assert rows == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert count == 4
    store.dispose()
