"""Access: secrets stay secret (hashed at rest, absent from every log record), links give no
oracle, every public write is rate limited, and staff actions leave an audit trail.

Complements, without repeating, tests/test_auth_staff.py (every /api/staff route refuses anonymous
and business credentials; roles; compare_digest in the code; the access-log filter) and
tests/test_api_reviews.py / tests/test_server_serve.py (a link reads only its own submission;
the real uvicorn log has no token; 429 on reviews and chat).
"""

from __future__ import annotations

import io
import logging

import pytest

from tests.server_helpers import (
    STAFF_PASSWORD,
    assert_json_error,
    client,
    dev_case,
    iter_api_routes,
    make_app,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    """An app with two writers' submissions, a staff session and an API key."""
    data_dir = tmp_path_factory.mktemp("access")
    app = make_app(data_dir)
    api = client(app)
    mine = api.post("/api/reviews", json={"text": dev_case(0)["text"], "route": "free"}).json()
    theirs = api.post("/api/reviews", json={"text": dev_case(3)["text"], "route": None}).json()
    session = api.post("/api/staff/login", json={"username": "admin", "password": STAFF_PASSWORD}).json()["token"]
    key = api.post("/api/staff/api-keys", json={"name": "ci"},
                   headers={"Authorization": f"Bearer {session}"}).json()["key"]
    api.cookies.clear()  # the login set the session cookie; requests here carry credentials explicitly
    return {"app": app, "api": api, "dir": data_dir, "mine": mine, "theirs": theirs, "session": session, "key": key}


def test_no_secret_is_stored_in_plain_text_anywhere_in_the_database(world) -> None:
    api = world["api"]
    # Force a checkpoint-free state: the WAL file is scanned as well as the main file.
    blobs = b"".join(p.read_bytes() for p in world["dir"].glob("coach.db*"))
    assert blobs
    for secret in (world["mine"]["token"], world["theirs"]["token"], world["session"], world["key"], STAFF_PASSWORD):
        assert secret.encode() not in blobs, "a secret is stored in plain text"
    assert api.get(f"/api/reviews/{world['mine']['token']}").status_code == 200  # yet it still works


def test_no_secret_appears_in_any_log_record(world, caplog: pytest.LogCaptureFixture) -> None:
    api, mine, theirs = world["api"], world["mine"], world["theirs"]
    bearer = {"Authorization": f"Bearer {world['session']}"}
    caplog.set_level(logging.DEBUG)
    api.get(f"/api/reviews/{mine['token']}")
    api.get(f"/api/reviews/{mine['token']}x")
    api.post(f"/api/reviews/{mine['token']}/revisions", json={"text": dev_case(0)["text"] + "\n追記", "route": "free"})
    api.post("/api/chat", json={"question": "提案の時期は", "token": theirs["token"]})
    api.get("/api/chat/stream", params={"question": "費用は", "token": mine["token"]})
    api.post("/api/staff/login", json={"username": "admin", "password": STAFF_PASSWORD + "-wrong"})
    api.post("/api/staff/login", json={"username": "admin", "password": STAFF_PASSWORD})
    api.cookies.clear()
    api.get("/api/staff/submissions", headers=bearer)
    api.get(f"/api/staff/submissions/{theirs['id']}", headers={"Authorization": f"Bearer {world['key']}"})
    api.get("/api/staff/submissions", headers={"Authorization": f"Bearer {mine['token']}"})
    assert caplog.records, "nothing was logged at all: the capture is not working"
    # The test's own HTTP client (httpx/httpcore) logs the URLs it calls; that is not the server.
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert server_side, "no server-side record was captured"
    everything = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in server_side)
    for secret in (mine["token"], theirs["token"], world["session"], world["key"], STAFF_PASSWORD):
        assert secret not in everything


def test_a_link_gives_no_oracle_about_other_submissions(world) -> None:
    """Unknown, malformed and id-shaped tokens all get the same 404 body: nothing to enumerate."""
    api, mine, theirs = world["api"], world["mine"], world["theirs"]
    bodies = set()
    for probe in (theirs["id"], mine["id"], "0" * 43, mine["token"][::-1], mine["token"].upper(),
                  mine["token"] + "=", "x" * 101, "%00" + mine["token"]):
        response = api.get(f"/api/reviews/{probe}")
        bodies.add(assert_json_error(response, 404)["message"])
        assert dev_case(3)["text"][:30] not in response.text and dev_case(0)["text"][:30] not in response.text
    assert len(bodies) == 1
    # Chat and revisions take a link too; another writer's id is not one.
    for response in (api.post("/api/chat", json={"question": "時期は", "token": theirs["id"]}),
                     api.get("/api/chat/stream", params={"question": "時期は", "token": theirs["id"]}),
                     api.post(f"/api/reviews/{theirs['id']}/revisions", json={"text": "北九州市の課題です。"})):
        assert_json_error(response, 404)
    # A staff id route with a business token is refused as unauthenticated, not "not found".
    assert_json_error(api.get(f"/api/staff/submissions/{theirs['id']}",
                              headers={"Authorization": f"Bearer {mine['token']}"}), 401)


def _rate_limited_routes(app) -> set[tuple[str, str]]:
    from server.deps import rate_limited

    found = set()
    for path, route in iter_api_routes(app):
        calls = {dep.call for dep in route.dependant.dependencies}
        if rate_limited in calls:
            found |= {(m, path) for m in route.methods}
    return found


def test_every_public_write_and_the_login_are_rate_limited_with_429(tmp_path) -> None:
    app = make_app(tmp_path, rate_limit_per_minute=2)
    limited = _rate_limited_routes(app)
    public_writes = {(m, p) for p, r in iter_api_routes(app) for m in r.methods
                     if m == "POST" and not (p.startswith("/api/staff") and p != "/api/staff/login")}
    assert public_writes <= limited, public_writes - limited
    api = client(app)
    token = api.post("/api/reviews", json={"text": dev_case(5)["text"]}).json()["token"]
    calls = {
        ("POST", "/api/reviews"): lambda: api.post("/api/reviews", json={"text": ""}),
        ("POST", "/api/reviews/upload"): lambda: api.post("/api/reviews/upload",
                                                          files={"file": ("a.txt", io.BytesIO(b""))}),
        ("POST", "/api/reviews/{token}/revisions"): lambda: api.post(f"/api/reviews/{token}/revisions", json={"text": ""}),
        ("POST", "/api/chat"): lambda: api.post("/api/chat", json={"question": ""}),
        ("POST", "/api/chat/stream"): lambda: api.post("/api/chat/stream", json={"question": ""}),
        ("GET", "/api/chat/stream"): lambda: api.get("/api/chat/stream", params={"question": ""}),
        ("POST", "/api/staff/login"): lambda: api.post("/api/staff/login", json={"username": "admin", "password": "guess"}),
    }
    assert set(calls) >= limited, limited - set(calls)
    # The limiter counts per client across these routes: the budget of 2 is spent by now.
    api.post("/api/reviews", json={"text": ""})
    for route, call in calls.items():
        response = call()
        error = assert_json_error(response, 429)
        assert error["code"] == "rate_limited" and int(response.headers["retry-after"]) >= 1, route
        assert " / " in error["message"]


def test_private_link_reads_have_their_own_budget(tmp_path) -> None:
    """Reads of private links are limited too (slows scraping a leaked link or guessing), on a
    budget of their own: reloading one's page does not spend the budget for the next review."""
    api = client(make_app(tmp_path, rate_limit_per_minute=2, link_reads_per_minute=3))
    token = api.post("/api/reviews", json={"text": dev_case(5)["text"]}).json()["token"]
    assert api.get(f"/api/reviews/{token}").status_code == 200
    assert api.get(f"/api/reviews/{token}").status_code == 200
    assert_json_error(api.get("/api/reviews/not-a-token"), 404)  # a guess counts like a read
    response = api.get(f"/api/reviews/{token}")
    error = assert_json_error(response, 429)
    assert error["code"] == "rate_limited" and int(response.headers["retry-after"]) >= 1
    # The write budget (2) still has one review left after four reads.
    assert api.post("/api/reviews", json={"text": dev_case(6)["text"]}).status_code == 201


def test_staff_reads_exports_and_changes_are_audited_with_who(world) -> None:
    api, theirs = world["api"], world["theirs"]
    key = {"Authorization": f"Bearer {world['key']}"}
    api.get(f"/api/staff/submissions/{theirs['id']}", headers=key)
    api.get(f"/api/staff/submissions/{theirs['id']}/export.md", headers=key)
    api.get(f"/api/staff/submissions/{theirs['id']}/export.pdf", headers=key)
    api.post(f"/api/staff/submissions/{theirs['id']}/status", headers=key, json={"status": "first_check"})
    audit = api.get("/api/staff/audit", headers=key, params={"limit": 1000}).json()
    mine = [(e["action"], e["detail"].get("format")) for e in audit
            if e["actor"] == "admin" and e["submission_id"] == theirs["id"]]
    assert ("viewed", None) in mine and ("exported", "markdown") in mine and ("exported", "pdf") in mine
    assert ("status_changed", None) in mine
    assert any(e["action"] == "login" and e["actor"] == "admin" for e in audit)
    assert any(e["action"] == "api_key_created" for e in audit)
    # The audit log itself is staff-only.
    assert_json_error(api.get("/api/staff/audit"), 401)
    assert_json_error(api.get("/api/staff/audit", headers={"Authorization": f"Bearer {theirs['token']}"}), 401)


# Regression guard; the defect this test found (fixed after 5004e31) was: server/app.py
# internal_error() logs 'unhandled error on %s %s' with request.url.path, and the RedactTokens
# filter is installed only on uvicorn.access, so any 500 on /api/reviews/{token}/revisions (or
# /r/{token}) writes the writer's private token to the server log. Redact the path there too
# (server.app.redact) or add the filter to the 'server' logger.
def test_an_unexpected_error_on_a_link_route_does_not_log_the_token(world, caplog: pytest.LogCaptureFixture) -> None:
    from server.app import create_app
    from tests.server_helpers import make_settings

    class BrokenService:
        """Stands in for a review service with a bug: the product has no way to fail like this on
        purpose, and the point is what the last-resort handler logs."""

        def review(self, *args, **kwargs):
            raise RuntimeError("bug")

    broken = client(create_app(make_settings(world["dir"]), review_service=BrokenService()))
    token = world["mine"]["token"]
    caplog.set_level(logging.DEBUG)
    response = broken.post(f"/api/reviews/{token}/revisions", json={"text": dev_case(0)["text"]})
    assert_json_error(response, 500)
    server_side = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert any(r.name == "server" for r in server_side)
    assert token not in "\n".join(r.getMessage() for r in server_side)
