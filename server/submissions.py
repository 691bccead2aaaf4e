"""Submissions and their reviews: create, revise, look up by private token, list, move along
STEP 2–6, with every staff action written to the audit log in the same transaction."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from coach.models import CRITERIA, Report
from ingest.errors import CoachError, InvalidInput
from server.storage import (
    STATUS_LABELS,
    STATUSES,
    TERMINAL_STATUSES,
    AuditEntry,
    Review,
    Store,
    Submission,
    as_utc,
    hash_secret,
    new_token,
    utcnow,
)


class NotFound(CoachError):
    code = "not_found"
    http_status = 404

    def __init__(self, what_ja: str = "見つかりません。", what_en: str = "Not found.") -> None:
        super().__init__(what_ja, what_en)


def _link_not_found() -> NotFound:
    # One message whether the token is malformed, unknown or purged: nothing to probe.
    return NotFound(
        "このリンクの提案は見つかりません(保存期間を過ぎて削除された可能性があります)。",
        "No submission for this link (it may have been removed after the retention period).",
    )


def title_of(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().removeprefix("件名：").removeprefix("件名:").strip()
        if line:
            return line[:80]
    return ""


def _apply_report(sub: Submission, report: Report) -> None:
    for name in CRITERIA:
        setattr(sub, name, report.criteria[name].verdict if name in report.criteria else None)
    sub.to_g = report.flags.to_g
    sub.sales_pitch = report.flags.sales_pitch
    sub.injection = bool(report.injection and report.injection.evidence)
    bureaus = report.screening.bureaus if report.screening else []
    sub.bureau = bureaus[0].name[:64] if bureaus else None


def create_submission(
    store: Store, *, text: str, route: str | None, report: Report, source: str = "web",
    actor: str | None = None,
) -> tuple[str, str]:
    """Store a new submission with its first review; committed when this returns.

    Returns ``(id, token)``. The token is the writer's only key; only its hash is stored.
    """
    token = new_token()
    sub_id = uuid.uuid4().hex
    now = utcnow()
    report_json = report.model_dump(mode="json")

    def work(session: Session) -> None:
        sub = Submission(
            id=sub_id, token_hash=hash_secret(token), source=source, title=title_of(text),
            route=route, text=text, status="received", status_reason="", created_at=now,
            updated_at=now, revision_count=1,
        )
        _apply_report(sub, report)
        session.add(sub)
        session.add(Review(submission_id=sub_id, seq=1, text=text, route=route,
                           report=report_json, mode=report.mode, created_at=now))
        if actor:
            session.add(AuditEntry(at=now, actor=actor, action="imported",
                                   submission_id=sub_id, detail={"source": source}))

    store.write(work)
    return sub_id, token


def find_id_by_token(store: Store, token: str) -> str:
    if not token or len(token) > 100:
        raise _link_not_found()
    digest = hash_secret(token)
    with store.read() as session:
        row = session.execute(
            select(Submission.id, Submission.token_hash).where(Submission.token_hash == digest)
        ).first()
    if row is None or not secrets.compare_digest(row.token_hash, digest):
        raise _link_not_found()
    return row.id


def load_submission(store: Store, sub_id: str) -> Submission:
    with store.read() as session:
        sub = session.scalar(
            select(Submission).where(Submission.id == sub_id).options(selectinload(Submission.reviews))
        )
        if sub is None:
            raise NotFound("提案が見つかりません。", "Submission not found.")
        session.expunge_all()
        return sub


def latest_review(sub: Submission) -> Review | None:
    return sub.reviews[-1] if sub.reviews else None


def add_revision(store: Store, sub_id: str, *, text: str, route: str | None,
                 report: Report) -> int:
    now = utcnow()
    report_json = report.model_dump(mode="json")

    def work(session: Session) -> int:
        # FOR UPDATE serialises concurrent revisions on PostgreSQL; SQLite's write units are
        # already serialised by Store.write (BEGIN IMMEDIATE).
        sub = session.get(Submission, sub_id, with_for_update=True)
        if sub is None:
            raise _link_not_found()
        seq = (session.scalar(select(func.max(Review.seq)).where(Review.submission_id == sub_id))
               or 0) + 1
        session.add(Review(submission_id=sub_id, seq=seq, text=text, route=route,
                           report=report_json, mode=report.mode, created_at=now))
        sub.text = text
        sub.route = route
        sub.title = title_of(text)
        sub.updated_at = now
        sub.revision_count = seq
        _apply_report(sub, report)
        return seq

    return store.write(work)


# --- staff ----------------------------------------------------------------------------------------


def next_statuses(current: str) -> list[str]:
    """The steps a submission may move to: the next step of STEP 2–6, or 不採用 while open.

    Skipping steps is not offered: the playbook's process is sequential, and the audit log reads
    better when every step is recorded. An admin may reopen a closed one (back to 受付).
    """
    if current in TERMINAL_STATUSES:
        return ["received"]
    order = [s for s in STATUSES if s != "rejected"]
    nxt = order[order.index(current) + 1 :][:1]
    return [*nxt, "rejected"]


def change_status(store: Store, sub_id: str, *, status: str, reason: str, actor: str,
                  role: str) -> None:
    reason = reason.strip()
    if status == "rejected" and not reason:
        raise InvalidInput("不採用には理由の記入が必要です。", "A reason is required to reject.",
                           code="reason_required")

    def work(session: Session) -> None:
        sub = session.get(Submission, sub_id, with_for_update=True)  # two staff, one decision
        if sub is None:
            raise NotFound("提案が見つかりません。", "Submission not found.")
        allowed = next_statuses(sub.status)
        if status not in allowed:
            raise InvalidInput(
                f"「{STATUS_LABELS[sub.status]}」から「{STATUS_LABELS[status]}」へは変更できません。",
                f"Cannot move from '{sub.status}' to '{status}'; allowed: {', '.join(allowed)}.",
                code="invalid_transition",
            )
        if sub.status in TERMINAL_STATUSES and role != "admin":
            from server.auth import Forbidden

            raise Forbidden("admin")
        before = sub.status
        sub.status = status
        sub.status_reason = reason
        sub.updated_at = utcnow()
        session.add(AuditEntry(at=utcnow(), actor=actor, action="status_changed",
                               submission_id=sub_id,
                               detail={"from": before, "to": status, "reason": reason}))

    store.write(work)


def record(store: Store, *, actor: str, action: str, submission_id: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    store.write(lambda s: s.add(AuditEntry(at=utcnow(), actor=actor, action=action,
                                           submission_id=submission_id, detail=detail or {})))


def audit_for(store: Store, sub_id: str | None = None, limit: int = 200) -> list[AuditEntry]:
    with store.read() as session:
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
        if sub_id is not None:
            query = query.where(AuditEntry.submission_id == sub_id)
        return list(session.scalars(query).all())


def list_submissions(
    store: Store, *, verdicts: dict[str, str] | None = None, flags: list[str] | None = None,
    route: str | None = None, bureau: str | None = None, status: str | None = None,
    since: date | None = None, until: date | None = None, q: str | None = None,
    limit: int = 50, offset: int = 0,
) -> tuple[int, list[Submission]]:
    query = select(Submission)
    for name, verdict in (verdicts or {}).items():
        query = query.where(getattr(Submission, name) == verdict)
    for flag in flags or []:
        query = query.where(getattr(Submission, flag).is_(True))
    if route == "none":
        query = query.where(Submission.route.is_(None))
    elif route:
        query = query.where(Submission.route == route)
    if bureau:
        query = query.where(Submission.bureau == bureau)
    if status:
        query = query.where(Submission.status == status)
    if since:
        query = query.where(Submission.created_at >= datetime.combine(since, time.min, tzinfo=UTC))
    if until:
        query = query.where(Submission.created_at <= datetime.combine(until, time.max, tzinfo=UTC))
    if q:
        query = query.where(Submission.title.contains(q))
    with store.read() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(Submission.created_at.desc(), Submission.id).limit(limit).offset(offset)
        ).all()
        session.expunge_all()
    return total, list(rows)


def bureaus_in_use(store: Store) -> list[str]:
    with store.read() as session:
        return sorted(b for b in session.scalars(select(Submission.bureau).distinct()) if b)


def created_on(sub: Submission) -> datetime:
    return as_utc(sub.created_at)
