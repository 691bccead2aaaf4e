"""Batch import of submissions from CSV or JSON Lines, run in a background thread.

The job row is the progress display's source: ``total``, ``done``, ``failed`` and the first
errors by line. Each line is committed on its own, so a bad line or a crash loses nothing that
was already imported.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
import uuid
from typing import Any

from sqlalchemy.orm import Session

from coach.intake import clean_draft, decode_draft_bytes
from ingest.errors import CoachError, InvalidInput
from ingest.settings import Settings
from server.storage import AuditEntry, ImportJob, Store, utcnow
from server.submissions import create_submission

log = logging.getLogger(__name__)

MAX_ROWS = 5_000
MAX_ERRORS_KEPT = 50


def parse_rows(filename: str, raw: bytes) -> list[dict[str, Any]]:
    """Rows with ``text`` and optional ``route``/``id`` from a .csv or .jsonl file."""
    text = decode_draft_bytes(raw)
    lower = filename.lower()
    rows: list[dict[str, Any]] = []
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                value = {"_error": "JSON として読めません / not valid JSON"}
            if not isinstance(value, dict):
                value = {"_error": "オブジェクトではありません / not a JSON object"}
            rows.append({"_line": number, **value})
    elif lower.endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise InvalidInput("CSV には text 列が必要です。", "The CSV needs a 'text' column.")
        for number, record in enumerate(reader, start=2):
            rows.append({"_line": number, **record})
    else:
        raise InvalidInput(
            "取り込めるのは .csv と .jsonl です。", "Only .csv and .jsonl files can be imported.",
            code="unsupported_type",
        )
    if not rows:
        raise InvalidInput("ファイルに行がありません。", "The file has no rows.", code="empty_import")
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"一度に取り込めるのは{MAX_ROWS}件までです。",
                           f"At most {MAX_ROWS} rows per import.", code="too_large")
    return rows


def start_import(store: Store, settings: Settings, service: Any, *, filename: str,
                 rows: list[dict[str, Any]], actor: str) -> str:
    job_id = uuid.uuid4().hex
    now = utcnow()

    def work(session: Session) -> None:
        session.add(ImportJob(id=job_id, filename=filename[:255], actor=actor, state="queued",
                              total=len(rows), done=0, failed=0, errors={"lines": []},
                              created_at=now, updated_at=now))
        session.add(AuditEntry(at=now, actor=actor, action="import_started", submission_id=None,
                               detail={"job": job_id, "filename": filename[:255],
                                       "rows": len(rows)}))

    store.write(work)
    thread = threading.Thread(target=_run, args=(store, settings, service, job_id, rows, actor),
                              name=f"import-{job_id[:8]}", daemon=True)
    thread.start()
    return job_id


def _run(store: Store, settings: Settings, service: Any, job_id: str,
         rows: list[dict[str, Any]], actor: str) -> None:
    _update(store, job_id, state="running")
    errors: list[dict[str, Any]] = []
    done = failed = 0
    try:
        for row in rows:
            try:
                if "_error" in row:
                    raise InvalidInput(row["_error"])
                route = row.get("route") or None
                if route not in (None, "theme", "free"):
                    raise InvalidInput(f"route は theme / free / 空 のいずれかです(「{route}」)。",
                                       f"route must be theme, free or empty (got {route!r}).")
                text = clean_draft(row.get("text") if isinstance(row.get("text"), str) else "",
                                   settings)
                report = service.review(text, route=route)
                create_submission(store, text=text, route=route, report=report, source="import",
                                  actor=actor)
                done += 1
            except CoachError as err:
                failed += 1
                if len(errors) < MAX_ERRORS_KEPT:
                    errors.append({"line": row.get("_line"), "id": str(row.get("id", ""))[:100],
                                   "message": err.message})
            _update(store, job_id, done=done, failed=failed, errors={"lines": errors})
        _update(store, job_id, state="done")
    except Exception:
        log.exception("import job %s failed", job_id)
        _update(store, job_id, state="failed")


def _update(store: Store, job_id: str, **values: Any) -> None:
    def work(session: Session) -> None:
        job = session.get(ImportJob, job_id)
        if job is None:
            return
        for key, value in values.items():
            setattr(job, key, value)
        job.updated_at = utcnow()

    store.write(work)
