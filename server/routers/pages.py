"""Server-rendered pages. They hold no submission data: the scripts fetch it from the API with
the private token (business) or the staff session, so access control lives in one place."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from coach.checklist import CHECKLIST
from server.deps import SettingsDep

# Checklist item labels for the pages, so ``missing: ["size_evidence"]`` reads as words.
CHECKLIST_LABELS = {item.key: {"ja": item.label_ja, "en": item.label_en} for item in CHECKLIST}

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))

router = APIRouter(include_in_schema=False)


def _page(request: Request, name: str, settings: SettingsDep, **context: object) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request, name,
        {"retention_days": settings.retention_days, "max_chars": settings.max_draft_chars,
         "max_upload_mb": round(settings.max_upload_bytes / 1_000_000, 1),
         "llm": bool(settings.llm), "checklist": CHECKLIST_LABELS, **context},
    )


@router.get("/", response_class=HTMLResponse, name="home_page")
def home_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, "business.html", settings)


@router.get("/r/{token}", response_class=HTMLResponse, name="review_page")
def review_page(token: str, request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, "business.html", settings)


@router.get("/staff", response_class=HTMLResponse, name="staff_page")
def staff_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, "staff_list.html", settings)


@router.get("/staff/login", response_class=HTMLResponse, name="staff_login_page")
def staff_login_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, "staff_login.html", settings)


@router.get("/staff/s/{submission_id}", response_class=HTMLResponse, name="staff_detail_page")
def staff_detail_page(submission_id: str, request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, "staff_detail.html", settings)


@router.get("/staff/import", response_class=HTMLResponse, name="staff_import_page")
def staff_import_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(request, "staff_import.html", settings)
