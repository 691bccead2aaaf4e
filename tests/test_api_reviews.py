"""The business API against the real app, the real review service and a real SQLite file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.server_helpers import assert_json_error, client, dev_case, make_app


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api-reviews")


@pytest.fixture(scope="module")
def api(data_dir: Path):
    return client(make_app(data_dir))


def rows(data_dir: Path, sql: str, **params: object) -> list[tuple]:
    """Read the database with a fresh engine: proves the data was committed, not just cached."""
    engine = create_engine(f"sqlite:///{data_dir / 'coach.db'}")
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def test_review_is_stored_and_answers_the_contract(api, data_dir: Path) -> None:
    case = dev_case(0)
    response = api.post("/api/reviews", json={"text": case["text"], "route": case["route"]})
    assert response.status_code == 201, response.text
    body = response.json()
    report = body["report"]
    assert set(report["criteria"]) == {"issue_driven", "why_this_city", "one_solution", "cost_split"}
    for result in report["criteria"].values():
        assert result["verdict"] in {"pass", "partial", "fail"}
        for ev in result["evidence"]:
            assert case["text"][ev["start"]:ev["end"]] == ev["text"]
    assert set(report["flags"]) >= {"to_g", "sales_pitch"} and report["summary"]
    assert body["link"].endswith("/r/" + body["token"])
    # Committed before the answer: a separate connection sees it, with the token only hashed.
    stored = rows(data_dir, "SELECT id, token_hash, text, status FROM submissions WHERE id = :id",
                  id=body["id"])
    assert len(stored) == 1
    assert stored[0][1] != body["token"] and body["token"] not in stored[0][1]
    assert stored[0][2] == case["text"] and stored[0][3] == "received"
    assert rows(data_dir, "SELECT count(*) FROM reviews WHERE submission_id = :id", id=body["id"])[0][0] == 1


def test_private_link_reads_only_its_own_submission(api) -> None:
    first = api.post("/api/reviews", json={"text": dev_case(1)["text"], "route": None}).json()
    second = api.post("/api/reviews", json={"text": dev_case(2)["text"], "route": "theme"}).json()
    mine = api.get(f"/api/reviews/{first['token']}")
    assert mine.status_code == 200
    view = mine.json()
    assert view["id"] == first["id"] and len(view["reviews"]) == 1
    assert view["reviews"][0]["text"] == dev_case(1)["text"]
    assert second["id"] != first["id"] and dev_case(2)["text"] not in mine.text
    # The id is not a key; neither is a guessed, truncated or altered token.
    altered = first["token"][:-1] + ("B" if first["token"].endswith("A") else "A")
    for probe in (first["id"], second["id"], first["token"][:-1], altered,
                  "0" * 43, "1", "../" + first["token"]):
        assert_json_error(api.get(f"/api/reviews/{probe}"), 404)
    assert_json_error(api.post(f"/api/reviews/{second['id']}/revisions",
                               json={"text": "北九州市の課題", "route": None}), 404)
    # There is no listing endpoint for writers at all.
    assert api.get("/api/reviews").status_code in (404, 405)


def test_revision_compares_with_the_previous_review(api) -> None:
    case = dev_case(3)
    created = api.post("/api/reviews", json={"text": case["text"], "route": case["route"]}).json()
    edited = case["text"] + "\n\n北九州市の新ビジョンにある「安らぐまち」に沿って、八幡西区で実証します。"
    response = api.post(f"/api/reviews/{created['token']}/revisions",
                        json={"text": edited, "route": case["route"]})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["revision"] == 2 and body["comparison"]
    view = api.get(f"/api/reviews/{created['token']}").json()
    assert [r["revision"] for r in view["reviews"]] == [1, 2]
    assert view["reviews"][1]["text"] == edited


@pytest.mark.parametrize(
    ("payload", "statuses"),
    [
        ({"text": ""}, (422,)),
        ({"text": "   \n\u3000 "}, (422,)),
        ({"text": "\x00\x01\x02" * 50}, (422,)),
        ({"text": "あ" * 100_001}, (413,)),
        ({"text": 42}, (422,)),
        ({"text": ["a"]}, (422,)),
        ({"text": "北九州市の課題", "route": "both"}, (422,)),
        ({"route": "free"}, (422,)),
        ([], (422,)),
    ],
    ids=["empty", "whitespace", "control-chars", "too-long", "number", "list", "bad-route",
         "missing-text", "not-an-object"],
)
def test_bad_drafts_get_a_clear_4xx_json(api, payload, statuses) -> None:
    error = assert_json_error(api.post("/api/reviews", json=payload), *statuses)
    assert " / " in error["message"]  # Japanese / English


def test_malformed_requests_never_500(api) -> None:
    assert_json_error(api.post("/api/reviews", content=b"{not json",
                               headers={"content-type": "application/json"}), 422)
    assert_json_error(api.post("/api/reviews", content="\xff\xfe".encode("latin-1"),
                               headers={"content-type": "application/json"}), 422)
    assert_json_error(api.get("/no/such/page"), 404)
    assert_json_error(api.delete("/api/reviews"), 404, 405)
    # A body above the upload limit is refused before it is read.
    assert_json_error(api.post("/api/reviews", content=b"x",
                               headers={"content-type": "application/json",
                                        "content-length": str(10**9)}), 413)


def _upload(api, name: str, content: bytes, route: str | None = None):
    data = {"route": route} if route else {}
    return api.post("/api/reviews/upload", files={"file": (name, io.BytesIO(content))}, data=data)


def test_upload_txt_docx_and_bad_files(api) -> None:
    case = dev_case(4)
    ok = _upload(api, "draft.txt", case["text"].encode("utf-8"), "free")
    assert ok.status_code == 201, ok.text
    assert api.get(f"/api/reviews/{ok.json()['token']}").json()["reviews"][0]["route"] == "free"

    sjis = _upload(api, "sjis.txt", case["text"].encode("cp932", errors="ignore"))
    assert sjis.status_code == 201, sjis.text

    import docx

    document = docx.Document()
    for paragraph in case["text"].split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    from_docx = _upload(api, "draft.docx", buffer.getvalue())
    assert from_docx.status_code == 201, from_docx.text

    assert_json_error(_upload(api, "empty.txt", b""), 422)
    assert_json_error(_upload(api, "image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), 415, 422)
    assert_json_error(_upload(api, "broken.pdf", b"%PDF-1.7\n garbage garbage"), 422)
    assert_json_error(_upload(api, "broken.docx", b"PK\x03\x04 not really a zip"), 422)
    assert_json_error(_upload(api, "binary.txt", bytes(range(256)) * 20), 422)
    assert_json_error(_upload(api, "draft.txt", b"a" * 5_000_001), 413)
    assert_json_error(api.post("/api/reviews/upload", data={"route": "free"}), 422)


def test_chat_answers_with_citations_and_streams_sse(api) -> None:
    created = api.post("/api/reviews", json={"text": dev_case(0)["text"], "route": "free"}).json()
    answer = api.post("/api/chat", json={"question": "提案する時期はいつがよいですか",
                                         "token": created["token"]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["text"] and body["citations"] and body["mode"] == "offline"
    assert all(c["source"] and c["text"] for c in body["citations"])

    with api.stream("POST", "/api/chat/stream",
                    json={"question": "費用負担はどう考えればよいですか"}) as stream:
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        raw = "".join(stream.iter_text())
    events = [block for block in raw.split("\n\n") if block.strip()]
    assert events[-1].startswith("event: final")
    final = json.loads(events[-1].split("data: ", 1)[1])
    assert final["citations"] and final["text"]

    get_stream = api.get("/api/chat/stream", params={"question": "対話とは何ですか"})
    assert get_stream.status_code == 200 and "event: final" in get_stream.text

    assert_json_error(api.post("/api/chat", json={"question": ""}), 422)
    assert_json_error(api.post("/api/chat", json={"question": "x" * 2001}), 422)
    assert_json_error(api.post("/api/chat", json={"question": "時期は", "token": "nope"}), 404)


def test_security_headers_and_pages(api) -> None:
    page = api.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "自動" in page.text and "日" in page.text  # the disclosure is on the page
    assert api.get("/healthz").json() == {"status": "ok"}
    assert api.get("/r/anything").status_code == 200  # the page; its data comes from the API


def test_rate_limit_answers_429(tmp_path: Path) -> None:
    limited = client(make_app(tmp_path, rate_limit_per_minute=3))
    codes = [limited.post("/api/reviews", json={"text": ""}).status_code for _ in range(3)]
    assert codes == [422, 422, 422]
    error = assert_json_error(limited.post("/api/reviews", json={"text": "北九州市"}), 429)
    assert error["code"] == "rate_limited"
    assert int(limited.post("/api/chat", json={"question": "時期"}).headers["retry-after"]) >= 1
    # Reading one's own link is not rate limited (it costs nothing and writers reload).
    assert limited.get("/healthz").status_code == 200


def test_unexpected_errors_are_json_500_without_internals(tmp_path: Path) -> None:
    from server.app import create_app
    from tests.server_helpers import make_settings

    class BrokenService:
        """Stands in for a review service with a bug: nothing in the product raises like this
        on purpose, so the only way to reach the last-resort handler is a deliberate fault."""

        def review(self, *args, **kwargs):
            raise RuntimeError("secret internal detail /etc/passwd")

    app = create_app(make_settings(tmp_path), review_service=BrokenService())
    response = client(app).post("/api/reviews", json={"text": "北九州市の課題について"})
    error = assert_json_error(response, 500)
    assert error["code"] == "internal_error"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert client(app).get("/api/staff/submissions", headers={}).status_code == 401


def _docx_with(document_xml: str) -> bytes:
    """A minimal .docx whose word/document.xml is the given XML."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'))
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def test_docx_bombs_are_refused_quickly_with_4xx(api) -> None:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    billion_laughs = (f'<?xml version="1.0"?><!DOCTYPE d [{entities}]>'
                      f"<w:document {ns}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body>"
                      "</w:document>")
    inflated = (f'<?xml version="1.0"?><w:document {ns}><w:body>'
                + "<w:p><w:r><w:t>北九州市の課題です。</w:t></w:r></w:p>" * 400_000
                + "</w:body></w:document>")
    for name, xml in (("laughs.docx", billion_laughs), ("inflated.docx", inflated)):
        response = _upload(api, name, _docx_with(xml))
        assert_json_error(response, 413, 422)
