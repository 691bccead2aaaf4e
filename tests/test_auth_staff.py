"""Staff access control, status workflow, audit log, exports and batch import (real app, real
SQLite, real review service)."""

from __future__ import annotations

import io
import json
import time

import pytest

from tests.server_helpers import (
    STAFF_PASSWORD,
    assert_json_error,
    client,
    dev_case,
    iter_api_routes,
    login,
    make_app,
)

PUBLIC_STAFF_ROUTES = {("POST", "/api/staff/login")}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    return make_app(tmp_path_factory.mktemp("staff"))


@pytest.fixture(scope="module")
def api(app):
    return client(app)


@pytest.fixture(scope="module")
def admin(api) -> dict[str, str]:
    return login(api)


@pytest.fixture(scope="module")
def reviewer(api, admin) -> dict[str, str]:
    created = api.post("/api/staff/users", headers=admin,
                       json={"username": "tanaka", "password": "reviewer-password-1", "role": "reviewer"})
    assert created.status_code == 201, created.text
    return login(api, "tanaka", "reviewer-password-1")


@pytest.fixture(scope="module")
def submissions(api) -> list[dict]:
    made = []
    for index in range(6):
        case = dev_case(index)
        response = api.post("/api/reviews", json={"text": case["text"], "route": case["route"]})
        assert response.status_code == 201
        made.append(response.json())
    return made


def staff_routes(app) -> list[tuple[str, str]]:
    """Every (method, path) under /api/staff, read from the app so a new one cannot be missed."""
    found = []
    for path, route in iter_api_routes(app):
        if path.startswith("/api/staff"):
            for method in sorted(route.methods):
                found.append((method, path))
    return found


def concrete(path: str) -> str:
    return path.replace("{submission_id}", "0" * 32).replace("{job_id}", "0" * 32)


def test_the_enumeration_finds_the_staff_routes(app) -> None:
    routes = staff_routes(app)
    # Cross-check with the OpenAPI schema: nothing documented is missing from the enumeration.
    documented = {(method.upper(), path) for path, item in app.openapi()["paths"].items()
                  if path.startswith("/api/staff") for method in item}
    assert documented <= set(routes)
    assert ("GET", "/api/staff/submissions") in routes
    assert ("POST", "/api/staff/submissions/{submission_id}/status") in routes
    assert len(routes) >= 12


def test_every_staff_route_refuses_anonymous_and_business_credentials(app, api, submissions) -> None:
    business_token = submissions[0]["token"]
    checked = 0
    for method, path in staff_routes(app):
        if (method, path) in PUBLIC_STAFF_ROUTES:
            continue
        url = concrete(path)
        for headers, cookies in (
            ({}, {}),
            ({"Authorization": f"Bearer {business_token}"}, {}),
            ({"Authorization": f"Basic {business_token}"}, {}),
            ({}, {"coach_staff": business_token}),
            ({"Authorization": "Bearer ck_" + "x" * 43}, {}),
        ):
            api.cookies.clear()
            for name, value in cookies.items():
                api.cookies.set(name, value)
            response = api.request(method, url, headers=headers, json={})
            error = assert_json_error(response, 401)
            assert error["code"] == "not_authenticated", (method, path)
            assert response.headers.get("www-authenticate") == "Bearer"
            assert submissions[0]["id"] not in response.text
            checked += 1
    api.cookies.clear()
    assert checked >= 12 * 5


def test_login_failures_and_roles(api, admin, reviewer) -> None:
    assert_json_error(api.post("/api/staff/login", json={"username": "admin", "password": "wrong"}), 401)
    assert_json_error(api.post("/api/staff/login", json={"username": "nobody", "password": "x"}), 401)
    assert_json_error(api.post("/api/staff/login", json={"username": "admin"}), 422)
    failed = [e for e in api.get("/api/staff/audit", headers=admin).json() if e["action"] == "login_failed"]
    # Newest first; a name that is no account is not written down (it may be a mistyped password).
    assert [(e["actor"], e["detail"]["known_user"]) for e in failed[:2]] == [("(unknown)", False), ("admin", True)]
    assert "nobody" not in str(failed)
    assert api.get("/api/staff/me", headers=reviewer).json()["role"] == "reviewer"
    # A reviewer is known (not 401) but may not manage accounts (403).
    error = assert_json_error(api.post("/api/staff/users", headers=reviewer,
                                       json={"username": "x", "password": "0123456789ab"}), 403)
    assert error["code"] == "forbidden"
    assert_json_error(api.post("/api/staff/api-keys", headers=reviewer, json={"name": "n"}), 403)


def test_session_cookie_login_and_logout(api) -> None:
    api.cookies.clear()
    response = api.post("/api/staff/login", json={"username": "admin", "password": STAFF_PASSWORD})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert api.get("/api/staff/submissions").status_code == 200  # cookie carried
    assert api.post("/api/staff/logout").status_code == 204
    api.cookies.clear()
    api.cookies.set("coach_staff", response.json()["token"])
    assert api.get("/api/staff/submissions").status_code == 401  # the session is gone
    api.cookies.clear()


def test_api_key_for_automation(api, admin) -> None:
    created = api.post("/api/staff/api-keys", headers=admin, json={"name": "nightly export"})
    assert created.status_code == 201
    key = created.json()["key"]
    listed = api.get("/api/staff/submissions", headers={"Authorization": f"Bearer {key}"})
    assert listed.status_code == 200
    assert api.get("/api/staff/me", headers={"Authorization": f"Bearer {key}"}).json()["via"] == "api_key"
    assert api.get("/api/staff/me", headers={"Authorization": f"Bearer {key[:-2]}"}).status_code == 401


def test_list_and_filters(api, admin, submissions) -> None:
    listed = api.get("/api/staff/submissions", headers=admin).json()
    ids = {row["id"] for row in listed["items"]}
    assert {s["id"] for s in submissions} <= ids and listed["total"] >= len(submissions)
    verdict = submissions[0]["report"]["criteria"]["issue_driven"]["verdict"]
    filtered = api.get("/api/staff/submissions", headers=admin,
                       params={"issue_driven": verdict}).json()["items"]
    assert filtered and all(r["verdicts"]["issue_driven"] == verdict for r in filtered)
    assert submissions[0]["id"] in {r["id"] for r in filtered}
    for route in ("theme", "free"):
        rows = api.get("/api/staff/submissions", headers=admin, params={"route": route}).json()["items"]
        assert all(r["route"] == route for r in rows)
    flagged = api.get("/api/staff/submissions", headers=admin, params={"flag": "to_g"}).json()["items"]
    assert all(r["flags"]["to_g"] for r in flagged)
    expected_to_g = {s["id"] for s in submissions if s["report"]["flags"]["to_g"]}
    assert expected_to_g <= {r["id"] for r in flagged}
    bureaus = api.get("/api/staff/bureaus", headers=admin).json()
    if bureaus:
        rows = api.get("/api/staff/submissions", headers=admin, params={"bureau": bureaus[0]}).json()["items"]
        assert rows and all(r["bureau"] == bureaus[0] for r in rows)
    assert api.get("/api/staff/submissions", headers=admin,
                   params={"since": "2999-01-01"}).json()["total"] == 0
    assert api.get("/api/staff/submissions", headers=admin,
                   params={"status": "received", "limit": 2}).json()["items"].__len__() <= 2
    assert_json_error(api.get("/api/staff/submissions", headers=admin, params={"route": "x"}), 422)
    assert_json_error(api.get("/api/staff/submissions", headers=admin, params={"since": "soon"}), 422)


def test_status_workflow_with_audit(api, admin, reviewer, submissions) -> None:
    sub_id = submissions[1]["id"]
    base = f"/api/staff/submissions/{sub_id}"
    detail = api.get(base, headers=reviewer).json()
    assert detail["status"] == "received" and detail["next_statuses"] == ["first_check", "rejected"]
    assert detail["report"]["screening"] is not None and detail["text"]
    # Skipping steps is refused; rejecting needs a reason.
    assert_json_error(api.post(f"{base}/status", headers=reviewer, json={"status": "dialogue"}), 422)
    error = assert_json_error(api.post(f"{base}/status", headers=reviewer,
                                       json={"status": "rejected", "reason": "  "}), 422)
    assert error["code"] == "reason_required"
    for step in ("first_check", "coordination", "dialogue"):
        moved = api.post(f"{base}/status", headers=reviewer, json={"status": step})
        assert moved.status_code == 200 and moved.json()["status"] == step
    rejected = api.post(f"{base}/status", headers=reviewer,
                        json={"status": "rejected", "reason": "市の財政負担が前提のため"})
    assert rejected.json()["status"] == "rejected"
    # Closed: only an admin may reopen.
    assert_json_error(api.post(f"{base}/status", headers=reviewer, json={"status": "received"}), 403)
    assert api.post(f"{base}/status", headers=admin, json={"status": "received"}).status_code == 200

    audit = api.get(base, headers=admin).json()["audit"]
    changes = [(e["actor"], e["detail"]["from"], e["detail"]["to"]) for e in audit
               if e["action"] == "status_changed"]
    assert ("tanaka", "dialogue", "rejected") in changes and ("admin", "rejected", "received") in changes
    reason = next(e for e in audit if e["action"] == "status_changed" and e["detail"]["to"] == "rejected")
    assert reason["detail"]["reason"] == "市の財政負担が前提のため"
    assert any(e["action"] == "viewed" and e["actor"] == "tanaka" for e in audit)
    # The writer sees the new status through the private link, nothing more.
    view = api.get(f"/api/reviews/{submissions[1]['token']}").json()
    assert view["status"] == "received" and "audit" not in view
    assert_json_error(api.get("/api/staff/submissions/" + "f" * 32, headers=admin), 404)


def test_exports_markdown_and_pdf(api, admin, submissions) -> None:
    sub_id = submissions[2]["id"]
    md = api.get(f"/api/staff/submissions/{sub_id}/export.md", headers=admin)
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert "# 事前確認サマリー" in md.text and "課題ドリブン" in md.text
    assert "attachment" in md.headers["content-disposition"]
    from server.export import find_japanese_font

    pdf = api.get(f"/api/staff/submissions/{sub_id}/export.pdf", headers=admin)
    if find_japanese_font() is None:
        assert_json_error(pdf, 503)
    else:
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert len(pdf.content) > 2_000
    audit = api.get("/api/staff/audit", headers=admin).json()
    formats = {e["detail"].get("format") for e in audit
               if e["action"] == "exported" and e["submission_id"] == sub_id}
    assert "markdown" in formats


def _wait_for_job(api, headers, job_id: str) -> dict:
    for _ in range(300):
        job = api.get(f"/api/staff/imports/{job_id}", headers=headers).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError("import did not finish in 30 s")


def test_batch_import_jsonl_and_csv_with_progress(api, admin) -> None:
    before = api.get("/api/staff/submissions", headers=admin).json()["total"]
    lines = [json.dumps({"id": f"x{i}", "text": dev_case(10 + i)["text"], "route": "free"},
                        ensure_ascii=False) for i in range(3)]
    lines.insert(1, "{broken json")
    lines.append(json.dumps({"id": "empty", "text": "   "}))
    lines.append(json.dumps({"id": "bad-route", "text": "北九州市の課題", "route": "other"}))
    upload = api.post("/api/staff/imports", headers=admin,
                      files={"file": ("batch.jsonl", io.BytesIO("\n".join(lines).encode("utf-8")))})
    assert upload.status_code == 202, upload.text
    job = _wait_for_job(api, admin, upload.json()["id"])
    assert job["state"] == "done" and job["total"] == 6
    assert job["done"] == 3 and job["failed"] == 3
    assert {e["line"] for e in job["errors"]} == {2, 5, 6}
    after = api.get("/api/staff/submissions", headers=admin).json()
    assert after["total"] == before + 3
    assert any(r["source"] == "import" for r in after["items"])

    csv_text = "id,text,route\n" + f"c1,\"{dev_case(20)['text'].replace(chr(34), chr(39))}\",theme\n"
    csv_job = api.post("/api/staff/imports", headers=admin,
                       files={"file": ("batch.csv", io.BytesIO(csv_text.encode("utf-8")))})
    assert _wait_for_job(api, admin, csv_job.json()["id"])["done"] == 1

    assert_json_error(api.post("/api/staff/imports", headers=admin,
                               files={"file": ("batch.xlsx", io.BytesIO(b"PK\x03\x04"))}), 422)
    assert_json_error(api.post("/api/staff/imports", headers=admin,
                               files={"file": ("big.jsonl", io.BytesIO(b"a" * 5_000_001))}), 413)
    assert_json_error(api.post("/api/staff/imports", headers=admin,
                               files={"file": ("no-text.csv", io.BytesIO(b"id,body\n1,x\n"))}), 422)
    audit = api.get("/api/staff/audit", headers=admin).json()
    assert any(e["action"] == "import_started" for e in audit)
    assert any(e["action"] == "imported" and e["actor"] == "admin" for e in audit)


def test_tokens_are_not_logged(app, api, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from server.app import RedactTokens

    token = api.post("/api/reviews", json={"text": dev_case(5)["text"]}).json()["token"]
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:1", "GET", f"/api/reviews/{token}", "1.1", 200), None)
    RedactTokens().filter(record)
    assert token not in record.getMessage() and "[redacted]" in record.getMessage()
    stream = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s "%s %s"',
                               ("x", "GET", f"/api/chat/stream?question=q&token={token}"), None)
    RedactTokens().filter(stream)
    assert token not in stream.getMessage()


def test_constant_time_comparisons_are_used() -> None:
    """The secret checks go through secrets.compare_digest (read from the code that runs)."""
    import inspect

    from server import auth, submissions

    assert "compare_digest" in inspect.getsource(auth.authenticate)
    assert "compare_digest" in inspect.getsource(submissions.find_id_by_token)
