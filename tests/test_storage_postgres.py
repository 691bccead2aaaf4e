"""Storage on a real PostgreSQL server (a throwaway cluster, see tests/postgres_server.py): the
migrations, the submission lifecycle, revision numbers under concurrent writers, and one pass
through the real app. Every test gets its own empty database on the module's one cluster."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from server.storage import AuditEntry, Review, Store, Submission, utcnow
from server.submissions import (
    add_revision,
    audit_for,
    change_status,
    create_submission,
    find_id_by_token,
    list_submissions,
    load_submission,
)
from tests.postgres_server import create_database, postgres_url  # noqa: F401 - fixture
from tests.server_helpers import client, dev_case, login, shared_review_service


@pytest.fixture()
def database_url(postgres_url: str) -> str:  # noqa: F811
    return create_database(postgres_url, f"coach_{uuid.uuid4().hex[:12]}")


@pytest.fixture()
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    store.migrate()
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def report() -> Any:
    return shared_review_service().review(dev_case(0)["text"])


def test_the_store_talks_to_postgresql_without_the_sqlite_begin(store: Store) -> None:
    from server.storage import _sqlite_begin

    assert not store.is_sqlite
    assert not event.contains(store.engine, "begin", _sqlite_begin)
    with store.engine.connect() as conn:
        assert conn.dialect.name == "postgresql"
        assert conn.exec_driver_sql("SHOW server_encoding").scalar() == "UTF8"


def test_migrations_reach_head_and_match_the_models(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from server.storage import MIGRATIONS_DIR, Base

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head == "0003"
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    store.migrate()  # a second start does nothing
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
        assert MigrationContext.configure(conn).get_current_revision() == head


def test_submission_lifecycle(store: Store, report: Any) -> None:
    text_0 = dev_case(0)["text"]
    sub_id, token = create_submission(store, text=text_0, route="free", report=report)
    assert find_id_by_token(store, token) == sub_id

    assert add_revision(store, sub_id, text=text_0 + "\n追記", route="free", report=report) == 2
    assert add_revision(store, sub_id, text=text_0 + "\n追記2", route=None, report=report) == 3
    sub = load_submission(store, sub_id)
    assert [r.seq for r in sub.reviews] == [1, 2, 3] and sub.revision_count == 3
    assert sub.text.endswith("追記2") and sub.route is None
    # JSON, timezone-aware timestamps and booleans come back as they went in.
    assert sub.reviews[-1].report == report.model_dump(mode="json")
    assert sub.created_at.utcoffset() == timedelta(0) and sub.updated_at >= sub.created_at
    assert sub.to_g is report.flags.to_g

    change_status(store, sub_id, status="first_check", reason="", actor="tanaka", role="reviewer")
    change_status(store, sub_id, status="rejected", reason="市の財政負担が前提のため",
                  actor="tanaka", role="reviewer")
    assert load_submission(store, sub_id).status == "rejected"
    changes = [e for e in audit_for(store, sub_id) if e.action == "status_changed"]
    assert [(e.detail["from"], e.detail["to"]) for e in changes] == [
        ("first_check", "rejected"), ("received", "first_check")]
    assert changes[0].detail["reason"] == "市の財政負担が前提のため" and changes[0].actor == "tanaka"

    total, rows = list_submissions(store, status="rejected", since=utcnow().date(),
                                   flags=["to_g"] if report.flags.to_g else None, q=sub.title[:5])
    assert total == 1 and rows[0].id == sub_id

    other_id, _ = create_submission(store, text=text_0, route=None, report=report)
    store.write(lambda s: setattr(s.get(Submission, sub_id), "created_at",
                                  utcnow() - timedelta(days=400)))
    assert store.purge(365) == 1
    with store.read() as session:
        assert set(session.scalars(select(Submission.id))) == {other_id}
        assert session.scalar(select(func.count()).where(Review.submission_id == sub_id)) == 0
        purge = session.scalars(select(AuditEntry).where(AuditEntry.action == "purge")).one()
        assert purge.detail["deleted"] == 1


def test_concurrent_revisions_get_distinct_numbers(store: Store, report: Any) -> None:
    """16 writers revise one submission at once. ``add_revision`` reads ``max(seq)`` and then
    inserts; on PostgreSQL only its ``SELECT … FOR UPDATE`` on the submission keeps two writers
    from reading the same maximum. To make the race certain rather than likely, every writer
    pauses 20 ms right after reading the maximum (a listener on the real engine), so without the
    lock all of them would read it before any commits and the unique index would refuse most."""
    sub_id, _ = create_submission(store, text=dev_case(0)["text"], route=None, report=report)
    writers = 16

    def widen_the_race(_conn, _cursor, statement: str, *_args: Any) -> None:
        if "max(reviews.seq)" in statement:
            time.sleep(0.02)

    event.listen(store.engine, "after_cursor_execute", widen_the_race)
    start = threading.Barrier(writers)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def revise(index: int) -> None:
        start.wait(10)
        try:
            numbers.append(add_revision(store, sub_id, text=f"第{index}稿", route=None,
                                        report=report))
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=revise, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    event.remove(store.engine, "after_cursor_execute", widen_the_race)

    assert errors == [], [type(e).__name__ + ": " + str(e)[:200] for e in errors]
    assert sorted(numbers) == list(range(2, writers + 2))
    with store.read() as session:
        seqs = list(session.scalars(select(Review.seq).where(Review.submission_id == sub_id)
                                    .order_by(Review.seq)))
        assert seqs == list(range(1, writers + 2))
        assert session.get(Submission, sub_id).revision_count == writers + 1


def test_the_database_refuses_a_second_review_with_the_same_number(store: Store,
                                                                  report: Any) -> None:
    from sqlalchemy.exc import IntegrityError

    sub_id, _ = create_submission(store, text=dev_case(0)["text"], route=None, report=report)
    with pytest.raises(IntegrityError) as refused:
        store.write(lambda s: s.add(Review(submission_id=sub_id, seq=1, text="t", route=None,
                                           report={}, mode="offline", created_at=utcnow())))
    assert "uq_reviews_submission_seq" in str(refused.value)
    with store.read() as session:  # the refused unit left nothing behind
        assert session.scalar(select(func.count()).where(Review.submission_id == sub_id)) == 1


def test_the_app_end_to_end_on_postgresql(database_url: str, tmp_path: Path) -> None:
    from server.app import create_app
    from tests.server_helpers import make_settings

    # The URL travels the way it does in production: Settings.database_url (COACH_DATABASE_URL).
    settings = make_settings(tmp_path, database_url=database_url)
    assert settings.resolved_database_url == database_url
    api = client(create_app(settings, review_service=shared_review_service()))
    with api:
        case = dev_case(1)
        created = api.post("/api/reviews", json={"text": case["text"], "route": case["route"]})
        assert created.status_code == 201, created.text
        body = created.json()
        mine = api.get(f"/api/reviews/{body['token']}")
        assert mine.status_code == 200 and mine.json()["reviews"][0]["text"] == case["text"]
        assert api.get(f"/r/{body['token']}").status_code == 200

        admin = login(api)
        made = api.post("/api/staff/users", headers=admin,
                        json={"username": "tanaka", "password": "reviewer-password-1",
                              "role": "reviewer"})
        assert made.status_code == 201, made.text
        reviewer = login(api, "tanaka", "reviewer-password-1")
        listed = api.get("/api/staff/submissions", headers=reviewer)
        assert listed.status_code == 200 and [r["id"] for r in listed.json()["items"]] == [body["id"]]
        moved = api.post(f"/api/staff/submissions/{body['id']}/status", headers=reviewer,
                         json={"status": "first_check"})
        assert moved.status_code == 200 and moved.json()["status"] == "first_check"

    # It really was PostgreSQL that stored it.
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM submissions WHERE id = :id"),
                                {"id": body["id"]}).scalar() == "first_check"
    finally:
        engine.dispose()


def test_a_deadlocked_write_unit_is_run_again(store: Store, postgres_url: str,  # noqa: F811
                                              report: Any) -> None:
    """PostgreSQL breaks a deadlock by aborting one transaction ("try again", SQLSTATE 40P01);
    ``Store.write`` re-runs its unit instead of failing the request. A real deadlock: this unit
    locks A then B while another connection locks B then A; the unit's short deadlock_timeout
    makes it the one PostgreSQL aborts."""
    from sqlalchemy import create_engine

    first, _ = create_submission(store, text="北九州市の課題 A", route=None, report=report)
    second, _ = create_submission(store, text="北九州市の課題 B", route=None, report=report)
    a_locked, b_locked = threading.Event(), threading.Event()
    attempts: list[int] = []

    def work(session) -> int:
        attempts.append(1)
        session.execute(text("SET LOCAL deadlock_timeout = '100ms'"))
        session.get(Submission, first, with_for_update=True)
        if len(attempts) == 1:
            a_locked.set()
            assert b_locked.wait(10)
        session.get(Submission, second, with_for_update=True).status_reason = "checked"
        return len(attempts)

    other = create_engine(store.engine.url)
    other_done: list[str] = []

    def other_writer() -> None:
        with other.begin() as conn:
            conn.execute(text("SET LOCAL deadlock_timeout = '10s'"))
            conn.execute(text("SELECT id FROM submissions WHERE id = :id FOR UPDATE"), {"id": second})
            b_locked.set()
            assert a_locked.wait(10)
            time.sleep(0.05)  # let the unit queue on B first
            conn.execute(text("SELECT id FROM submissions WHERE id = :id FOR UPDATE"), {"id": first})
        other_done.append("committed")

    thread = threading.Thread(target=other_writer)
    thread.start()
    try:
        assert store.write(work) == 2  # aborted once by the deadlock, then stored
    finally:
        thread.join(20)
        other.dispose()
    assert other_done == ["committed"]
    assert load_submission(store, second).status_reason == "checked"


def test_a_write_unit_that_hit_a_lock_timeout_is_run_again(store: Store, report: Any) -> None:
    """With a ``lock_timeout`` (an operator may set one), PostgreSQL cancels a unit that waited
    too long for a row (SQLSTATE 55P03, "canceling statement due to lock timeout"); it stored
    nothing, so ``Store.write`` runs it again, and it goes through once the holder commits."""
    from sqlalchemy import create_engine

    sub_id, _ = create_submission(store, text="北九州市の課題", route=None, report=report)
    holding = threading.Event()
    attempts: list[int] = []

    def work(session) -> None:
        attempts.append(1)
        session.execute(text("SET LOCAL lock_timeout = '50ms'"))
        session.get(Submission, sub_id, with_for_update=True).status_reason = "after the holder"

    other = create_engine(store.engine.url)

    def holder() -> None:
        with other.begin() as conn:
            conn.execute(text("SELECT id FROM submissions WHERE id = :id FOR UPDATE"), {"id": sub_id})
            holding.set()
            time.sleep(0.4)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert holding.wait(10)
        store.write(work)
    finally:
        thread.join(20)
        other.dispose()
    assert len(attempts) >= 2  # at least one attempt timed out and was run again
    assert load_submission(store, sub_id).status_reason == "after the holder"
