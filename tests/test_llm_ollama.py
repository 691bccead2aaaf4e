"""The Ollama backend (LangChain's ``ChatOllama``) against a server on 127.0.0.1 speaking Ollama's
own wire format: ``POST /api/chat`` answered with newline-delimited JSON chunks (or one JSON object
when the client asks ``"stream": false``).

No Ollama binary or model can be installed here, so this server replays recorded content — the
same hand-written answers the OpenAI-compatible tests use (``tests/fixtures/llm/``), cut into
chunks the way Ollama streams them. Everything else is real: the ``ollama`` client library and
``ChatOllama`` speak HTTP to it, and the prompts, analyzer and retriever are the product's own.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from coach.llm import build_chat_model
from coach.review import ReviewService
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "llm"


def review_content() -> str:
    return json.loads((FIXTURES / "review_valid.json").read_text(encoding="utf-8"))["choices"][0]["message"]["content"]


def answer_pieces() -> list[str]:
    pieces = []
    for line in (FIXTURES / "answer_stream.sse").read_text(encoding="utf-8").splitlines():
        if line.startswith("data: {"):
            delta = json.loads(line.removeprefix("data: "))["choices"][0]["delta"]
            if delta.get("content"):
                pieces.append(delta["content"])
    return pieces


class OllamaRecordedServer:
    """Answers POST /api/chat with queued content (a list of pieces), keeping the requests."""

    def __init__(self) -> None:
        self.queue: list[list[str]] = []
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, **body})
                if self.path != "/api/chat":
                    self.send_error(404)
                    return
                pieces = server.queue.pop(0) if server.queue else ["not json"]
                model = body.get("model", "")
                at = "2026-11-30T00:00:00Z"
                final = {"model": model, "created_at": at, "message": {"role": "assistant", "content": ""},
                         "done": True, "done_reason": "stop", "total_duration": 1, "eval_count": len(pieces)}
                if body.get("stream", True):
                    lines = [{"model": model, "created_at": at,
                              "message": {"role": "assistant", "content": p}, "done": False} for p in pieces]
                    payload = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [*lines, final])
                    ctype = "application/x-ndjson"
                else:
                    final["message"]["content"] = "".join(pieces)
                    payload, ctype = json.dumps(final, ensure_ascii=False), "application/json"
                data = payload.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)


@pytest.fixture
def ollama() -> Iterator[OllamaRecordedServer]:
    server = OllamaRecordedServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(scope="module")
def retriever():
    from ingest.index import lexical_retriever_from_corpus

    return lexical_retriever_from_corpus(Settings(corpus_dir=ROOT / "corpus"))


def ollama_service(server: OllamaRecordedServer, retriever) -> ReviewService:
    settings = Settings(llm="ollama:qwen2.5:7b", llm_base_url=server.url, llm_max_retries=1,
                        llm_timeout_s=10, corpus_dir=ROOT / "corpus")
    model = build_chat_model(settings)
    assert type(model).__name__ == "ChatOllama"
    return ReviewService(settings, retriever=retriever, chat_model=model)


def test_ollama_rewrites_explanations_and_keeps_the_verdicts(ollama, retriever) -> None:
    content = review_content()
    third = len(content) // 3
    ollama.queue.append([content[:third], content[third:2 * third], content[2 * third:]])
    draft = json.loads((ROOT / "eval" / "cases-dev.jsonl").read_text(encoding="utf-8").splitlines()[0])["text"]
    report = ollama_service(ollama, retriever).review(draft)
    offline = ReviewService(Settings(corpus_dir=ROOT / "corpus"), retriever=retriever).review(draft)

    assert report.mode == "llm", report.notices
    assert report.criteria["issue_driven"].reason.startswith("斜面住宅地の高齢者")
    assert {n: r.verdict for n, r in report.criteria.items()} == {n: r.verdict for n, r in offline.criteria.items()}
    request = ollama.requests[0]
    assert request["path"] == "/api/chat" and request["model"] == "qwen2.5:7b"
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert f"<draft>\n{draft}\n</draft>" in request["messages"][1]["content"]


def test_ollama_garbage_falls_back_to_the_offline_review(ollama, retriever) -> None:
    ollama.queue += [["これは JSON ではありません"], ["{\"summary\": 1}"]]
    report = ollama_service(ollama, retriever).review("八幡東区の坂道で高齢者の外出が減っている課題に、乗合交通の実証を提案します。")
    assert report.mode == "offline"
    assert any("offline" in n.lower() or "オフライン" in n for n in report.notices), report.notices
    assert len(ollama.requests) == 2  # one try and one bounded retry, then the offline review


def test_ollama_streams_an_answer_token_by_token(ollama, retriever) -> None:
    pieces = answer_pieces()
    ollama.queue.append(pieces)
    events = list(ollama_service(ollama, retriever).stream_answer("新しいテーマの提案はいつまでにすればよいですか", k=3))
    tokens = [e.text for e in events if e.kind == "token"]
    assert tokens == pieces
    answer = events[-1].answer
    assert events[-1].kind == "final" and answer is not None and answer.mode == "llm"
    assert answer.text == "".join(pieces).strip()
    assert len(answer.citations) == 3
