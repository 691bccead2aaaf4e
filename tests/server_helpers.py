"""Builders shared by the server tests: the real review service (opened once per process) and
apps on a real SQLite file in a temp dir."""

from __future__ import annotations

import json
import socket
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
STAFF_PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@lru_cache(maxsize=1)
def shared_review_service() -> Any:
    """The real ReviewService with lexical retrieval straight from corpus/ (no index build):
    opening it costs ~2 s, so every server test module shares this one."""
    from coach.review import ReviewService
    from ingest.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="coach-server-service-"))
    settings = Settings(data_dir=data_dir, corpus_dir=ROOT / "corpus", llm=None, chroma_url=None)
    service = ReviewService.from_settings(settings)
    service.retriever  # noqa: B018 - open it now, once
    return service


def make_settings(data_dir: Path, **overrides: Any) -> Any:
    from ingest.settings import Settings

    # Explicit None for the backends: a developer's COACH_LLM / COACH_DATABASE_URL must not leak
    # into tests (some apps here are built at collection time, before conftest clears them).
    values: dict[str, Any] = {"data_dir": data_dir, "corpus_dir": ROOT / "corpus", "llm": None,
                              "chroma_url": None, "database_url": None,
                              "rate_limit_per_minute": 10_000, "link_reads_per_minute": 10_000,
                              "admin_username": "admin",
                              "admin_password": STAFF_PASSWORD}
    values.update(overrides)
    return Settings(**values)


def make_app(data_dir: Path, **overrides: Any) -> FastAPI:
    from server.app import create_app

    return create_app(make_settings(data_dir, **overrides), review_service=shared_review_service())


def client(app: FastAPI) -> TestClient:
    # raise_server_exceptions=False: a 500 must show up as a response the test can assert on.
    return TestClient(app, raise_server_exceptions=False)


def dev_case(index: int = 0) -> dict[str, Any]:
    lines = (ROOT / "eval" / "cases-dev.jsonl").read_text(encoding="utf-8").splitlines()
    return json.loads([line for line in lines if line.strip()][index])


def login(c: TestClient, username: str = "admin", password: str = STAFF_PASSWORD) -> dict[str, str]:
    response = c.post("/api/staff/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def assert_json_error(response: Any, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]
    return body["error"]


def iter_api_routes(app: FastAPI):
    """Every APIRoute of the app, with its full path, through included routers.

    FastAPI ≥ 0.13x keeps included routers as branch objects (``original_router`` plus an
    include prefix) instead of flattening their routes into ``app.routes``; both shapes are
    walked so the enumeration cannot silently come back empty.
    """
    from fastapi.routing import APIRoute

    def walk(routes, prefix: str):
        for route in routes:
            if isinstance(route, APIRoute):
                yield prefix + route.path, route
            elif hasattr(route, "original_router"):
                context = getattr(route, "include_context", None)
                extra = getattr(context, "prefix", "") or ""
                yield from walk(route.original_router.routes, prefix + extra)

    yield from walk(app.routes, "")
