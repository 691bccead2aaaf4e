"""The FastAPI app factory: ``create_app(settings, review_service=…, store=…)``.

Parts are injected so tests build the app with a temp database and a shared review service.
On creation the database is migrated (``alembic upgrade head``) and the first admin is created
when ``COACH_ADMIN_PASSWORD`` is set. Errors always leave as JSON ``{"error": {code, message}}``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from ingest.errors import CoachError
from ingest.settings import Settings, get_settings
from server.auth import ensure_admin
from server.deps import Services
from server.storage import DatabaseBusy, Store, is_locked

log = logging.getLogger("server")

HERE = Path(__file__).resolve().parent

# Pages load only their own scripts and styles; drafts are rendered as text, and this policy
# stops any script that might slip through anyway.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")

STATUS_CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 406: "not_acceptable", 413: "too_large",
                415: "unsupported_media_type", 429: "rate_limited"}
STATUS_MESSAGES = {
    400: ("リクエストの本文を読み取れませんでした(JSON の形式や文字コードを確認してください)。",
          "The request body could not be parsed (check the JSON and its encoding)."),
    404: ("ページまたは API が見つかりません。", "Not found."),
    405: ("このメソッドは使えません。", "Method not allowed."),
}


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                        headers=headers)


class SecurityHeaders:
    """Adds CSP and friends; refuses request bodies above the upload limit before reading them."""

    def __init__(self, app: ASGIApp, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            response = error_response(
                413, "too_large",
                f"送信データが大きすぎます(上限 {self.max_body_bytes:,} バイト)。 / "
                f"Request body too large (limit {self.max_body_bytes:,} bytes).",
            )
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    # Private links carry their token in the path: never send it to other sites.
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                if scope["path"].startswith(("/api/", "/r/")):
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


_TOKEN_IN_PATH = re.compile(r"(/api/reviews/|/r/)(?!upload\b)[A-Za-z0-9_\-]{8,}|(token=)[^&\s\"]+")


class RedactTokens(logging.Filter):
    """Keeps private tokens out of access logs (they are passwords to a submission)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def redact(value: str) -> str:
    return _TOKEN_IN_PATH.sub(lambda m: (m.group(1) or m.group(2)) + "[redacted]", value)


def install_log_redaction() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in access.filters):
        access.addFilter(RedactTokens())


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    patterns = getattr(app.state, "method_patterns", None)
    if patterns is None:
        patterns = []
        for template, item in app.openapi().get("paths", {}).items():
            regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            patterns.append((re.compile(regex), "{" in template,
                             sorted(m.upper() for m in item)))
        app.state.method_patterns = patterns
    # A literal path (/api/reviews/upload) wins over a template that also matches it.
    exact = [found for regex, templated, found in patterns if not templated and regex.match(path)]
    if exact:
        return exact[0]
    methods: set[str] = set()
    for regex, _templated, found in patterns:
        if regex.match(path):
            methods.update(found)
    return sorted(methods)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CoachError)
    async def coach_error(_request: Request, err: CoachError) -> JSONResponse:
        headers: dict[str, str] = {}
        # RateLimited and DatabaseBusy: the request may be sent again as is, after this long.
        retry_after = getattr(err, "retry_after", None)
        if isinstance(retry_after, int):
            headers["Retry-After"] = str(retry_after)
        if err.http_status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return error_response(err.http_status, err.code, err.message, headers)

    @app.exception_handler(OperationalError)
    async def database_error(request: Request, err: OperationalError) -> JSONResponse:
        # Still locked after busy_timeout and Store.write's retries: nothing was stored, and
        # the same request will very likely go through in a moment. Any other database error
        # is a fault like any other.
        if is_locked(err):
            log.warning("database locked; answered 503 to %s", request.method)
            return await coach_error(request, DatabaseBusy())
        return await internal_error(request, err)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, err: RequestValidationError) -> JSONResponse:
        # Say where and what, never echo the input back (it may be a whole draft).
        problems = []
        for item in err.errors()[:5]:
            where = ".".join(str(p) for p in item.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {item.get('msg', 'invalid')}")
        return error_response(
            422, "invalid_request",
            "リクエストの形式が正しくありません。 / The request is not valid: " + "; ".join(problems),
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> JSONResponse:
        ja, en = STATUS_MESSAGES.get(err.status_code, (str(err.detail), str(err.detail)))
        message = ja if ja == en else f"{ja} / {en}"
        headers = dict(err.headers or {})
        if err.status_code == 405:
            # Starlette names only the first matching route's methods; list every route's.
            allowed = _allowed_methods(app, request.url.path)
            if allowed:
                headers["Allow"] = ", ".join(allowed)
        return error_response(err.status_code, STATUS_CODES.get(err.status_code, "error"), message,
                              headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, err: Exception) -> JSONResponse:
        # The path of a private link is its password: log it redacted, like the access log.
        log.exception("unhandled error on %s %s", request.method, redact(request.url.path))
        return error_response(
            500, "internal_error",
            "内部エラーが発生しました。送信内容は保存されていない可能性があります。"
            "文章を手元に残したまま、時間をおいて再度お試しください。 / "
            "Internal error; your request may not have been saved. Keep your text and try again later.",
        )


def create_app(settings: Settings | None = None, *, review_service: Any | None = None,
               store: Store | None = None, warm_up: bool = True) -> FastAPI:
    """Build the app. ``review_service``/``store`` default to ones made from ``settings``.

    With ``warm_up`` the review service (and its retriever) is opened at start-up, so
    ``/healthz`` answers 200 only when the app can review.
    """
    settings = settings or get_settings()
    store = store or Store(settings.resolved_database_url)
    store.migrate()
    ensure_admin(store, settings.admin_username, settings.admin_password)
    services = Services(settings, store, review_service)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        install_log_redaction()
        if warm_up and not services.review_ready:
            from starlette.concurrency import run_in_threadpool

            try:
                await run_in_threadpool(services.warm_up)
            except CoachError as err:
                log.error("review service not ready: %s", err.message)
        yield

    app = FastAPI(
        title="官民共創 提案コーチ API",
        version="0.1.0",
        description="Reviews 官民共創 proposals for 北九州市 against the playbook's four points, "
        "answers questions from the playbook, and gives staff pre-screening summaries.",
        lifespan=lifespan,
    )
    app.state.services = services
    app.add_middleware(SecurityHeaders, max_body_bytes=settings.max_upload_bytes + 64_000)
    _install_error_handlers(app)

    from server.routers import chat, pages, reviews, staff

    app.include_router(reviews.router)
    app.include_router(chat.router)
    app.include_router(staff.public)
    app.include_router(staff.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/healthz", operation_id="healthz", tags=["health"])
    def healthz() -> JSONResponse:
        """200 when the database answers and the review service is open; 503 with the fix if
        not (e.g. no index yet: run `coach ingest`)."""
        try:
            with store.read() as session:
                session.execute(text("SELECT 1"))
        except Exception as err:  # noqa: BLE001 - health reports, it does not raise
            log.error("database not reachable: %s", type(err).__name__)
            return error_response(503, "database_unavailable",
                                  "データベースに接続できません。 / Database unavailable.")
        err = services.review_error
        if err is not None:
            return error_response(503, err.code, err.message)
        if not services.review_ready:
            return error_response(503, "starting", "起動中です。 / Starting up.")
        return JSONResponse({"status": "ok"})

    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory server.app:app_from_env``."""
    return create_app()
