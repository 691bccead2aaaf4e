"""Staff side of the API: sign-in, submissions with filters, status along STEP 2–6, audit log,
exports, batch import, users and API keys.

Every route here except ``login`` hangs off ``router``, whose router-level dependency demands a
staff credential, so a new route cannot be added without authentication by accident (and
``tests/test_auth_staff.py`` enumerates them from ``app.routes`` to prove it).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile

from coach.models import Report, Verdict
from server import auth
from server.deps import (
    AdminDep,
    RateLimitDep,
    ServicesDep,
    SettingsDep,
    StaffDep,
    StoreDep,
    current_staff,
    staff_credential,
)
from server.export import summary_markdown, summary_pdf
from server.imports import parse_rows, start_import
from server.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    AuditOut,
    ErrorResponse,
    ImportJobOut,
    LoginRequest,
    LoginResponse,
    StaffMe,
    Status,
    StatusChange,
    SubmissionDetail,
    SubmissionList,
    SubmissionRow,
    UserCreate,
)
from server.storage import STATUS_LABELS, AuditEntry, ImportJob, Submission, as_utc
from server.submissions import (
    NotFound,
    audit_for,
    bureaus_in_use,
    change_status,
    latest_review,
    list_submissions,
    load_submission,
    next_statuses,
    record,
)
from server.uploads import read_upload

ERRORS: dict[int | str, dict[str, Any]] = {
    c: {"model": ErrorResponse} for c in (400, 401, 403, 404, 413, 422, 503)
}

public = APIRouter(prefix="/api/staff", tags=["staff"])
router = APIRouter(prefix="/api/staff", tags=["staff"], dependencies=[Depends(current_staff)],
                   responses=ERRORS)


@public.post("/login", operation_id="staff_login", response_model=LoginResponse,
             dependencies=[RateLimitDep],  # slows password guessing
             responses={c: {"model": ErrorResponse} for c in (400, 401, 422, 429)})
def staff_login(body: LoginRequest, request: Request, response: Response,
                store: StoreDep) -> LoginResponse:
    """Check the password; set an HttpOnly, SameSite=Strict session cookie (the page uses it)
    and also return the token for scripts that prefer ``Authorization: Bearer``."""
    token, principal = auth.login(store, body.username, body.password)
    response.set_cookie(
        auth.SESSION_COOKIE, token, max_age=int(auth.SESSION_TTL.total_seconds()), httponly=True,
        samesite="strict", secure=request.url.scheme == "https", path="/",
    )
    return LoginResponse(token=token, **principal.model_dump(include={"username", "role", "via"}))


@router.post("/logout", operation_id="staff_logout", status_code=204)
def staff_logout(request: Request, response: Response, store: StoreDep,
                 staff: StaffDep) -> Response:
    credential = staff_credential(request)
    if credential and staff.via == "session":
        auth.logout(store, credential)
    record(store, actor=staff.username, action="logout")
    out = Response(status_code=204)
    out.delete_cookie(auth.SESSION_COOKIE, path="/")
    return out


@router.get("/me", operation_id="staff_me", response_model=StaffMe)
def staff_me(staff: StaffDep) -> StaffMe:
    return StaffMe(username=staff.username, role=staff.role, via=staff.via)


def _row(sub: Submission) -> SubmissionRow:
    return SubmissionRow(
        id=sub.id, title=sub.title, source=sub.source, route=sub.route, status=sub.status,
        status_label=STATUS_LABELS[sub.status], created_at=as_utc(sub.created_at),
        updated_at=as_utc(sub.updated_at),
        verdicts={"issue_driven": sub.issue_driven, "why_this_city": sub.why_this_city,
                  "one_solution": sub.one_solution, "cost_split": sub.cost_split},
        flags={"to_g": sub.to_g, "sales_pitch": sub.sales_pitch, "injection": sub.injection},
        bureau=sub.bureau, revisions=sub.revision_count,
    )


FlagName = Literal["to_g", "sales_pitch", "injection"]


@router.get("/submissions", operation_id="staff_list_submissions", response_model=SubmissionList)
def staff_list_submissions(
    store: StoreDep,
    staff: StaffDep,
    issue_driven: Verdict | None = None,
    why_this_city: Verdict | None = None,
    one_solution: Verdict | None = None,
    cost_split: Verdict | None = None,
    flag: Annotated[list[FlagName] | None, Query(description="Raised flags (all must hold).")] = None,
    route: Literal["theme", "free", "none"] | None = None,
    bureau: Annotated[str | None, Query(max_length=64)] = None,
    status: Status | None = None,
    since: date | None = None,
    until: date | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Words in the title.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SubmissionList:
    verdicts = {name: value for name, value in (
        ("issue_driven", issue_driven), ("why_this_city", why_this_city),
        ("one_solution", one_solution), ("cost_split", cost_split)) if value}
    total, rows = list_submissions(
        store, verdicts=verdicts, flags=list(flag or []), route=route, bureau=bureau,
        status=status, since=since, until=until, q=q, limit=limit, offset=offset,
    )
    return SubmissionList(total=total, items=[_row(s) for s in rows])


@router.get("/bureaus", operation_id="staff_list_bureaus", response_model=list[str])
def staff_list_bureaus(store: StoreDep, staff: StaffDep) -> list[str]:
    """Bureaus that appear among submissions (for the list filter)."""
    return bureaus_in_use(store)


def _audit_out(entries: list[AuditEntry]) -> list[AuditOut]:
    return [AuditOut(at=as_utc(e.at), actor=e.actor, action=e.action,
                     submission_id=e.submission_id, detail=e.detail) for e in entries]


@router.get("/submissions/{submission_id}", operation_id="staff_get_submission",
            response_model=SubmissionDetail)
def staff_get_submission(submission_id: str, store: StoreDep, staff: StaffDep) -> SubmissionDetail:
    sub = load_submission(store, submission_id)
    record(store, actor=staff.username, action="viewed", submission_id=sub.id)
    review = latest_review(sub)
    return SubmissionDetail(
        **_row(sub).model_dump(), text=sub.text, status_reason=sub.status_reason,
        report=Report.model_validate(review.report) if review else None,
        next_statuses=next_statuses(sub.status), audit=_audit_out(audit_for(store, sub.id)),
    )


@router.post("/submissions/{submission_id}/status", operation_id="staff_change_status",
             response_model=SubmissionRow)
def staff_change_status(submission_id: str, body: StatusChange, store: StoreDep,
                        staff: StaffDep) -> SubmissionRow:
    """Move along STEP 2–6 (one step at a time) or to 不採用 with a reason; audited."""
    change_status(store, submission_id, status=body.status, reason=body.reason,
                  actor=staff.username, role=staff.role)
    return _row(load_submission(store, submission_id))


def _export_name(sub: Submission, ext: str) -> str:
    return f"attachment; filename=\"summary-{sub.id[:8]}.{ext}\"; filename*=UTF-8''" + quote(
        f"事前確認-{sub.id[:8]}.{ext}")


@router.get("/submissions/{submission_id}/export.md", operation_id="staff_export_markdown",
            response_class=Response,
            responses={200: {"content": {"text/markdown": {"schema": {"type": "string"}}}}})
def staff_export_markdown(submission_id: str, store: StoreDep, staff: StaffDep) -> Response:
    sub = load_submission(store, submission_id)
    review = latest_review(sub)
    body = summary_markdown(sub, Report.model_validate(review.report) if review else None)
    record(store, actor=staff.username, action="exported", submission_id=sub.id,
           detail={"format": "markdown"})
    return Response(body, media_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": _export_name(sub, "md")})


@router.get("/submissions/{submission_id}/export.pdf", operation_id="staff_export_pdf",
            response_class=Response,
            responses={200: {"content": {"application/pdf": {"schema": {"type": "string",
                                                                        "format": "binary"}}}}})
def staff_export_pdf(submission_id: str, store: StoreDep, staff: StaffDep) -> Response:
    sub = load_submission(store, submission_id)
    review = latest_review(sub)
    body = summary_pdf(sub, Report.model_validate(review.report) if review else None)
    record(store, actor=staff.username, action="exported", submission_id=sub.id,
           detail={"format": "pdf"})
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": _export_name(sub, "pdf")})


@router.get("/audit", operation_id="staff_audit_log", response_model=list[AuditOut])
def staff_audit_log(store: StoreDep, staff: StaffDep,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[AuditOut]:
    return _audit_out(audit_for(store, None, limit))


@router.post("/imports", operation_id="staff_start_import", response_model=ImportJobOut,
             status_code=202)
async def staff_start_import(
    services: ServicesDep, settings: SettingsDep, staff: StaffDep,
    file: Annotated[UploadFile, File(description=".csv (text, route columns) or .jsonl")],
) -> ImportJobOut:
    from starlette.concurrency import run_in_threadpool

    raw = await read_upload(file, settings)
    rows = await run_in_threadpool(parse_rows, file.filename or "import.jsonl", raw)
    service = await run_in_threadpool(services.review_service)
    job_id = await run_in_threadpool(
        start_import, services.store, settings, service, filename=file.filename or "import",
        rows=rows, actor=staff.username,
    )
    return _job_out(services.store, job_id)


def _job_out(store: StoreDep, job_id: str) -> ImportJobOut:
    with store.read() as session:
        job = session.get(ImportJob, job_id)
        if job is None:
            raise NotFound("取り込みジョブが見つかりません。", "Import job not found.")
        return ImportJobOut(id=job.id, filename=job.filename, state=job.state, total=job.total,
                            done=job.done, failed=job.failed, errors=job.errors.get("lines", []),
                            created_at=as_utc(job.created_at), updated_at=as_utc(job.updated_at))


@router.get("/imports/{job_id}", operation_id="staff_get_import", response_model=ImportJobOut)
def staff_get_import(job_id: str, store: StoreDep, staff: StaffDep) -> ImportJobOut:
    return _job_out(store, job_id)


@router.post("/users", operation_id="staff_create_user", response_model=StaffMe, status_code=201)
def staff_create_user(body: UserCreate, store: StoreDep, admin: AdminDep) -> StaffMe:
    auth.create_user(store, body.username, body.password, body.role)
    record(store, actor=admin.username, action="user_created_by_admin",
           detail={"username": body.username, "role": body.role})
    return StaffMe(username=body.username, role=body.role, via="session")


@router.post("/api-keys", operation_id="staff_create_api_key", response_model=ApiKeyCreated,
             status_code=201)
def staff_create_api_key(body: ApiKeyCreate, store: StoreDep, admin: AdminDep) -> ApiKeyCreated:
    key = auth.create_api_key(store, body.username or admin.username, body.name)
    return ApiKeyCreated(name=body.name, key=key)


