"""Request and response models of the HTTP API (the OpenAPI schema is built from these)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from coach.compare import ReportComparison
from coach.models import Report, Route, Verdict

Status = Literal[
    "received", "first_check", "coordination", "dialogue", "decision", "agreement", "rejected"
]

EXAMPLE_DRAFT = (
    "件名：八幡東区の斜面住宅地におけるAIオンデマンド乗合交通の実証提案\n\n"
    "【課題】八幡東区の斜面住宅地では、バス停まで高低差30m以上の階段を上り下りしなければならない"
    "世帯が多く、高齢者の外出が難しくなっています。"
)


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. 'empty_draft', 'too_large'.")
    message: str = Field(description="What went wrong and what to do, in Japanese / English.")


class ErrorResponse(BaseModel):
    error: ErrorBody


class ReviewRequest(BaseModel):
    """A draft to review. Its length limit is enforced in one place (``coach.intake``)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": EXAMPLE_DRAFT, "route": "free"}]}
    )

    text: str = Field(description="The proposal draft (Japanese or English).")
    route: Route | None = Field(
        None, description="'theme' (テーマ型), 'free' (フリー型) or null when undecided."
    )


class RevisionRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": EXAMPLE_DRAFT + "\n北九州市の…", "route": "free"}]}
    )

    text: str = Field(description="The edited draft.")
    route: Route | None = None


class ReviewCreated(BaseModel):
    id: str = Field(description="Submission id (for reference; it does not grant access).")
    token: str = Field(description="Private access token for this submission. Keep it secret.")
    link: str = Field(description="Private page of this submission (contains the token).")
    revision: int = Field(description="1 for the first review, then 2, 3…")
    report: Report


class RevisionCreated(ReviewCreated):
    comparison: ReportComparison = Field(
        description="Per criterion: before/after verdict and whether it improved; flags changed."
    )


class ReviewOut(BaseModel):
    revision: int
    created_at: datetime
    route: Route | None
    text: str
    report: Report


class SubmissionView(BaseModel):
    """What a business link shows: its own submission, every review of it."""

    id: str
    link: str
    status: Status
    status_label: str
    created_at: datetime
    reviews: list[ReviewOut]
    retention_days: int


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"question": "提案する時期はいつがよいですか", "token": None}]}
    )

    question: str = Field(min_length=1, max_length=2000, description="A question about the "
                          "draft, the playbook or the city's plans.")
    token: str | None = Field(
        None, max_length=200,
        description="Optional private token of a submission, so the answer can use the draft.",
    )


class ChatCitation(BaseModel):
    source: str
    section: str
    text: str


class ChatAnswer(BaseModel):
    question: str
    text: str
    citations: list[ChatCitation]
    mode: str
    notices: list[str] = Field(default_factory=list)


# --- staff --------------------------------------------------------------------------------------


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class StaffMe(BaseModel):
    username: str
    role: str
    via: str


class LoginResponse(StaffMe):
    token: str = Field(description="Session token; also set as an HttpOnly cookie.")


class SubmissionRow(BaseModel):
    id: str
    title: str
    source: str
    route: Route | None
    status: Status
    status_label: str
    created_at: datetime
    updated_at: datetime
    verdicts: dict[str, Verdict | None]
    flags: dict[str, bool]
    bureau: str | None
    revisions: int


class SubmissionList(BaseModel):
    total: int
    items: list[SubmissionRow]


class AuditOut(BaseModel):
    at: datetime
    actor: str
    action: str
    submission_id: str | None
    detail: dict[str, Any]


class SubmissionDetail(SubmissionRow):
    text: str
    status_reason: str
    report: Report | None
    next_statuses: list[Status]
    audit: list[AuditOut]


class StatusChange(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "rejected", "reason": "営業活動の範囲のため"}]}
    )

    status: Status
    reason: str = Field("", max_length=2000, description="Required for 'rejected' (不採用).")


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=10, max_length=256)
    role: Literal["reviewer", "admin"] = "reviewer"


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    username: str | None = Field(None, description="Owner; defaults to the caller.")


class ApiKeyCreated(BaseModel):
    name: str
    key: str = Field(description="Shown once; store it safely.")


class ImportJobOut(BaseModel):
    id: str
    filename: str
    state: Literal["queued", "running", "done", "failed"]
    total: int
    done: int
    failed: int
    errors: list[dict[str, Any]]
    created_at: datetime
    updated_at: datetime
