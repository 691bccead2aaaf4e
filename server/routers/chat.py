"""Follow-up questions about a draft, the playbook and the city's plans.

Answers come from retrieved playbook passages with citations. With an LLM configured the SSE
variant streams tokens as they arrive; without one it sends the one retrieval-grounded answer as
a single ``final`` event, so the page uses one code path for both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from ingest.errors import CoachError
from server.deps import RateLimitDep, ReviewServiceDep, StoreDep
from server.schemas import ChatAnswer, ChatRequest, ErrorResponse
from server.submissions import find_id_by_token, latest_review, load_submission

router = APIRouter(prefix="/api/chat", tags=["chat"])
ERRORS: dict[int | str, dict[str, Any]] = {c: {"model": ErrorResponse} for c in (400, 404, 422, 429, 503)}


def _draft_for(store: StoreDep, token: str | None) -> str | None:
    if not token:
        return None
    review = latest_review(load_submission(store, find_id_by_token(store, token)))
    return review.text if review else None


def _answer_out(answer: Any) -> ChatAnswer:
    data = answer.model_dump(mode="json") if hasattr(answer, "model_dump") else dict(answer)
    return ChatAnswer.model_validate(data)


@router.post("", operation_id="ask_question", response_model=ChatAnswer, responses=ERRORS,
             dependencies=[RateLimitDep], summary="Ask a question; answer with citations")
def ask_question(body: ChatRequest, store: StoreDep, service: ReviewServiceDep) -> ChatAnswer:
    question = body.question.strip()
    if not question:
        from ingest.errors import InvalidInput

        raise InvalidInput("質問を入力してください。", "Please enter a question.",
                           code="empty_question")
    draft = _draft_for(store, body.token)
    return _answer_out(service.answer(question, draft=draft, k=5))


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _stream(service: Any, question: str, draft: str | None) -> Iterator[str]:
    try:
        for item in service.stream_answer(question, draft=draft, k=5):
            if item.kind == "token":
                yield _sse("token", {"text": item.text})
            else:
                yield _sse("final", _answer_out(item.answer).model_dump(mode="json"))
    except CoachError as err:
        # Headers are already sent: the error travels as an event the page shows.
        yield _sse("error", {"error": {"code": err.code, "message": err.message}})
    except Exception:
        import logging

        logging.getLogger(__name__).exception("chat stream failed")
        yield _sse("error", {"error": {"code": "internal_error",
                                       "message": "内部エラーが発生しました / internal error"}})


def _stream_response(body: ChatRequest, store: StoreDep, service: Any) -> StreamingResponse:
    question = body.question.strip()
    if not question:
        from ingest.errors import InvalidInput

        raise InvalidInput("質問を入力してください。", "Please enter a question.",
                           code="empty_question")
    draft = _draft_for(store, body.token)
    return StreamingResponse(
        _stream(service, question, draft),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


# Before OpenAPI 3.2, a sequential media type's `schema` describes each event.
SSE_EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "event": {"type": "string", "enum": ["token", "final", "error"]},
        "data": {"type": "string", "description": "JSON: {text} for token, ChatAnswer for final, "
                 "{error: {code, message}} for error."},
    },
    "required": ["data"],
}
STREAM_DOC = {
    "description": "Server-sent events: zero or more `token` events, then one `final` event with "
    "the full answer (`ChatAnswer`), or one `error` event. Without an LLM the whole answer comes "
    "as one token and the final event.",
    "content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA}},
}


@router.post("/stream", operation_id="ask_question_stream", response_class=StreamingResponse,
             responses={200: STREAM_DOC, **ERRORS}, dependencies=[RateLimitDep],
             summary="Ask a question; stream the answer (SSE)")
def ask_question_stream(body: ChatRequest, store: StoreDep,
                        service: ReviewServiceDep) -> StreamingResponse:
    return _stream_response(body, store, service)


@router.get("/stream", operation_id="ask_question_stream_get", response_class=StreamingResponse,
            responses={200: STREAM_DOC, **ERRORS}, dependencies=[RateLimitDep],
            summary="Ask a question; stream the answer (SSE, for EventSource)")
def ask_question_stream_get(
    store: StoreDep,
    service: ReviewServiceDep,
    question: Annotated[str, Query(min_length=1, max_length=2000)],
    token: Annotated[str | None, Query(max_length=200)] = None,
) -> StreamingResponse:
    return _stream_response(ChatRequest(question=question, token=token), store, service)
