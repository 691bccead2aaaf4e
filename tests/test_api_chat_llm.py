"""The chat SSE route and the review route in LLM mode, through the real app.

No instruction-tuned model can run on this machine, so the LLM is the recorded OpenAI-compatible
server of ``tests/test_llm.py`` (canned wire-format responses on 127.0.0.1); LangChain's client,
the prompts, the retriever, the app and SQLite are all real. This checks the server's part: tokens
are relayed as SSE ``token`` events as they arrive, then one ``final`` event with citations; and a
dead LLM backend still gives a stored offline review with a notice.
"""

from __future__ import annotations

import json
from pathlib import Path

from coach.llm import build_chat_model
from coach.review import ReviewService
from server.app import create_app
from tests.server_helpers import ROOT, client, dev_case, free_port, make_settings
from tests.test_llm import RecordedServer


def _lexical_retriever():
    from ingest.index import lexical_retriever_from_corpus
    from ingest.settings import Settings

    return lexical_retriever_from_corpus(Settings(corpus_dir=ROOT / "corpus"))


def _app(tmp_path: Path, base_url: str, timeout: float = 10.0):
    settings = make_settings(tmp_path, llm="openai:test-model", llm_base_url=base_url,
                             llm_api_key="sk-test", llm_timeout_s=timeout, llm_max_retries=0)
    service = ReviewService(settings, retriever=_lexical_retriever(),
                            chat_model=build_chat_model(settings))
    return create_app(settings, review_service=service)


def test_sse_relays_llm_tokens_then_final(tmp_path: Path) -> None:
    with RecordedServer() as llm:
        llm.queue.append(("answer_stream.sse", 0.0))
        api = client(_app(tmp_path, llm.url))
        with api.stream("POST", "/api/chat/stream",
                        json={"question": "新しいテーマの提案はいつまでにすればよいですか"}) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            raw = "".join(response.iter_text())
    events = [block.split("\n", 1) for block in raw.split("\n\n") if block.strip()]
    names = [head.removeprefix("event: ") for head, _ in events]
    assert names.count("token") >= 2 and names[-1] == "final"
    final = json.loads(events[-1][1].removeprefix("data: "))
    assert final["mode"] == "llm" and final["citations"]
    streamed = "".join(json.loads(body.removeprefix("data: "))["text"]
                       for head, body in events if head == "event: token")
    # The page shows the tokens as they come, then replaces them with the final text: same words.
    assert streamed.strip() and streamed.strip() == final["text"].strip()
    assert llm.requests and llm.requests[0]["stream"] is True


def test_review_with_llm_backend_down_is_offline_with_a_notice(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    api = client(_app(tmp_path, dead, timeout=3.0))
    response = api.post("/api/reviews", json={"text": dev_case(0)["text"], "route": "free"})
    assert response.status_code == 201, response.text
    report = response.json()["report"]
    assert report["mode"] == "offline" and report["notices"]
    assert api.get(f"/api/reviews/{response.json()['token']}").status_code == 200
