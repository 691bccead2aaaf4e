"""Business side of the API: submit a draft, read it back through the private link, revise it,
upload a file. Every draft passes ``coach.intake.clean_draft`` (the one place limits live)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile, status

from coach.intake import clean_draft
from coach.models import Route
from ingest.errors import InvalidInput
from server.deps import (
    LinkReadLimitDep,
    RateLimitDep,
    ReviewServiceDep,
    SettingsDep,
    StoreDep,
)
from server.schemas import (
    ErrorResponse,
    ReviewCreated,
    ReviewOut,
    ReviewRequest,
    RevisionCreated,
    RevisionRequest,
    SubmissionView,
)
from server.storage import STATUS_LABELS, as_utc
from server.submissions import (
    add_revision,
    create_submission,
    find_id_by_token,
    latest_review,
    load_submission,
)
from server.uploads import read_upload

router = APIRouter(prefix="/api/reviews", tags=["reviews"])

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 404, 413, 415, 422, 429, 503)
}


def private_link(request: Request, token: str) -> str:
    return str(request.url_for("review_page", token=token))


@router.post(
    "",
    operation_id="create_review",
    status_code=status.HTTP_201_CREATED,
    response_model=ReviewCreated,
    responses=ERRORS,
    dependencies=[RateLimitDep],
    summary="Review a draft and store it",
)
def create_review(body: ReviewRequest, request: Request, settings: SettingsDep, store: StoreDep,
                  service: ReviewServiceDep) -> ReviewCreated:
    """Review the draft against the four points and store it. The submission is committed before
    this answers; the returned ``link`` is the writer's private page for it."""
    text = clean_draft(body.text, settings)
    report = service.review(text, route=body.route)
    sub_id, token = create_submission(store, text=text, route=body.route, report=report)
    return ReviewCreated(id=sub_id, token=token, link=private_link(request, token), revision=1,
                         report=report)


@router.post(
    "/upload",
    operation_id="upload_review",
    status_code=status.HTTP_201_CREATED,
    response_model=ReviewCreated,
    responses=ERRORS,
    dependencies=[RateLimitDep],
    summary="Review an uploaded .docx, .pdf or .txt draft",
)
async def upload_review(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    service: ReviewServiceDep,
    file: Annotated[UploadFile, File(description=".docx, .pdf or .txt")],
    route: Annotated[Route | None, Form()] = None,
) -> ReviewCreated:
    from starlette.concurrency import run_in_threadpool

    from ingest.loaders import extract_text

    content = await read_upload(file, settings)
    filename = file.filename or "upload.txt"
    text = await run_in_threadpool(extract_text, filename, content,
                                   max_bytes=settings.max_upload_bytes)
    text = clean_draft(text, settings)
    report = await run_in_threadpool(service.review, text, route=route)
    sub_id, token = await run_in_threadpool(
        create_submission, store, text=text, route=route, report=report, source="upload"
    )
    return ReviewCreated(id=sub_id, token=token, link=private_link(request, token), revision=1,
                         report=report)


def _view(request: Request, token: str, store: StoreDep, retention_days: int) -> SubmissionView:
    sub = load_submission(store, find_id_by_token(store, token))
    return SubmissionView(
        id=sub.id,
        link=private_link(request, token),
        status=sub.status,
        status_label=STATUS_LABELS[sub.status],
        created_at=as_utc(sub.created_at),
        retention_days=retention_days,
        reviews=[
            ReviewOut(revision=r.seq, created_at=as_utc(r.created_at), route=r.route, text=r.text,
                      report=r.report)
            for r in sub.reviews
        ],
    )


@router.get(
    "/{token}",
    operation_id="get_review",
    response_model=SubmissionView,
    responses=ERRORS,
    dependencies=[LinkReadLimitDep],
    summary="Read one's own submission through its private token",
)
def get_review(token: str, request: Request, store: StoreDep,
               settings: SettingsDep) -> SubmissionView:
    """Only the holder of the token can read the submission; an id or another token gives 404."""
    return _view(request, token, store, settings.retention_days)


@router.post(
    "/{token}/revisions",
    operation_id="revise_review",
    status_code=status.HTTP_201_CREATED,
    response_model=RevisionCreated,
    responses=ERRORS,
    dependencies=[RateLimitDep],
    summary="Review an edited draft and compare it with the previous review",
)
def revise_review(token: str, body: RevisionRequest, request: Request, settings: SettingsDep,
                  store: StoreDep, service: ReviewServiceDep) -> RevisionCreated:
    from coach.compare import compare_reports
    from coach.models import Report

    sub_id = find_id_by_token(store, token)
    text = clean_draft(body.text, settings)
    before = latest_review(load_submission(store, sub_id))
    if before is None:  # every submission is stored with its first review
        raise InvalidInput("前回のレビューが見つかりません。", "No previous review to compare.")
    report = service.review(text, route=body.route)
    # Compared before storing, so a failure here cannot leave a half-answered revision behind.
    comparison = compare_reports(Report.model_validate(before.report), report)
    seq = add_revision(store, sub_id, text=text, route=body.route, report=report)
    return RevisionCreated(id=sub_id, token=token, link=private_link(request, token),
                           revision=seq, report=report,
                           comparison=comparison)
