"""LLM-assisted mode: a LangChain chat model rewrites the *explanations* of a review.

Design decision — the LLM never changes a verdict or a flag. The offline analyzer's judgement is
deterministic, explainable and tested against labelled cases; the model only receives it and
returns better reasons, suggestions and a summary (``ReviewRewrite`` has no verdict field at all).
So text inside a draft that addresses the reviewer cannot change any verdict, whatever the model
does with it. Citations stay the retriever's verbatim passages.

The model gets the rubric, the analyzer's findings, the retrieved passages and the draft inside
delimiters (``prompts/review.v1.md``); the draft is declared DATA in the system prompt, and
delimiter look-alikes inside it are defused. Invalid or late output (malformed JSON, a schema
violation, a timeout or connection error) is retried ``settings.llm_max_retries`` times; then the
offline report is returned with a notice, and ``Report.mode`` says which produced it.

Providers (``COACH_LLM``): ``ollama:MODEL`` (langchain-ollama, ``COACH_LLM_BASE_URL``) and
``openai:MODEL`` (langchain-openai ``ChatOpenAI``; any OpenAI-compatible server via
``COACH_LLM_BASE_URL`` and ``COACH_LLM_API_KEY``). Both are imported only when configured.
"""

from __future__ import annotations

import json
import logging
import re
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationError

from coach.models import CRITERIA, CriterionName, Report
from ingest.errors import BackendUnavailable, InvalidInput
from ingest.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from coach.review import Answer, AnswerEvent

log = logging.getLogger(__name__)

LLM_EXTRA_HINT = "pip install -e '.[llm]'"
_MAX_REASON = 600
_MAX_SUGGESTION = 600


# --- building the chat model -------------------------------------------------------------------


def build_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model named by ``settings.llm`` ('provider:model')."""
    spec = (settings.llm or "").strip()
    provider, _, model = spec.partition(":")
    if not model:
        raise InvalidInput(
            f"COACH_LLM は 'ollama:モデル名' または 'openai:モデル名' の形で指定してください(指定値: {spec!r})。",
            f"COACH_LLM must look like 'ollama:MODEL' or 'openai:MODEL' (got {spec!r}).",
        )
    if provider == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise _missing("langchain-ollama") from None
        kwargs: dict = {"model": model, "temperature": 0, "client_kwargs": {"timeout": settings.llm_timeout_s}}
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
        return ChatOllama(**kwargs)
    if provider == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise _missing("langchain-openai") from None
        return ChatOpenAI(
            model=model,
            base_url=settings.llm_base_url,
            # Local OpenAI-compatible servers accept any key; the client insists on one.
            api_key=settings.llm_api_key or "not-needed",
            timeout=settings.llm_timeout_s,
            max_retries=0,  # retries are ours (bounded, with a fallback), not the client's
            temperature=0,
        )
    raise InvalidInput(
        f"COACH_LLM のプロバイダ {provider!r} には対応していません(ollama または openai)。",
        f"Unknown LLM provider {provider!r} in COACH_LLM (use 'ollama' or 'openai').",
    )


def _missing(package: str) -> BackendUnavailable:
    return BackendUnavailable(
        f"LLM を使うには {package} が必要です: {LLM_EXTRA_HINT}",
        f"The LLM mode needs {package}: run {LLM_EXTRA_HINT}",
    )


# --- prompts as versioned files ------------------------------------------------------------------


@dataclass(frozen=True)
class Prompt:
    version: str
    system: str
    user: str

    def render_user(self, **values: str) -> str:
        # Plain replacement, not str.format: drafts are full of braces and must stay verbatim.
        text = self.user
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        return text


@lru_cache(maxsize=8)
def load_prompt(name: str) -> Prompt:
    """``prompts/<name>.md``: a front-matter header with ``version:``, then ``=== system ===`` and
    ``=== user ===`` sections."""
    raw = resources.files("prompts").joinpath(f"{name}.md").read_text(encoding="utf-8")
    header, body = _front_matter(raw)
    version = header.get("version") or name
    if "=== system ===" in body:
        system, _, user = body.partition("=== system ===")[2].partition("=== user ===")
    else:
        system, user = "", body
    return Prompt(version=version, system=system.strip(), user=user.strip())


def _front_matter(raw: str) -> tuple[dict[str, str], str]:
    if not raw.startswith("---"):
        return {}, raw
    _, head, body = raw.split("---", 2)
    fields = {}
    for line in head.strip().splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields, body


def defuse(text: str, tags: tuple[str, ...] = ("draft", "passages", "findings", "rubric")) -> str:
    """Make delimiter look-alikes inside data inert, so a draft cannot close its own block."""
    for tag in tags:
        text = re.sub(rf"<\s*(/?)\s*{tag}\s*>", lambda m, t=tag: f"＜{m.group(1)}{t}＞", text, flags=re.IGNORECASE)
    return text


# --- structured output ----------------------------------------------------------------------------


class CriterionRewrite(BaseModel):
    reason: str = Field(min_length=1)
    suggestions: list[str] = Field(default_factory=list)


class ReviewRewrite(BaseModel):
    """What the model may return. No verdicts, no flags: those are the analyzer's."""

    summary: str = Field(min_length=1)
    criteria: dict[CriterionName, CriterionRewrite]


def parse_rewrite(content: str) -> ReviewRewrite:
    """The model's answer as a ``ReviewRewrite``; ``ValueError`` when it is not one."""
    blob = _json_object(content)
    try:
        rewrite = ReviewRewrite.model_validate_json(blob)
    except ValidationError as err:
        raise ValueError(f"schema: {err.error_count()} error(s): {err.errors()[0]['msg']}") from None
    missing = [c for c in CRITERIA if c not in rewrite.criteria]
    if missing:
        raise ValueError(f"criteria missing from the answer: {missing}")
    return rewrite


def _json_object(content: str) -> str:
    text = content.strip()
    fence = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    if fence:
        text = fence.group(1).strip()
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in the answer")
    return text[start : end + 1]


# --- review --------------------------------------------------------------------------------------


def refine_report(model: BaseChatModel, settings: Settings, report: Report, draft: str) -> Report:
    """The report with the model's explanations, or the offline report with a notice."""
    from langchain_core.messages import HumanMessage, SystemMessage

    prompt = load_prompt("review.v1")
    messages = [
        SystemMessage(content=prompt.system),
        HumanMessage(content=prompt.render_user(
            rubric=load_prompt("rubric.v1").user,
            findings=defuse(_findings_block(report)),
            passages=defuse(_passages_block(report)),
            draft=defuse(draft),
        )),
    ]
    attempts = 1 + settings.llm_max_retries
    problem = ""
    for attempt in range(1, attempts + 1):
        started = time.perf_counter()
        try:
            reply = model.invoke(messages)
            rewrite = parse_rewrite(_content_text(reply.content))
        except ValueError as err:
            problem = f"malformed answer ({err})"
        except Exception as err:  # noqa: BLE001 - timeouts/connection errors of any client
            problem = f"{type(err).__name__}: {err}"
        else:
            log.info("LLM review in %.1f s (attempt %d)", time.perf_counter() - started, attempt)
            return _apply(report, rewrite, prompt.version)
        log.warning("LLM attempt %d/%d failed: %s", attempt, attempts, problem)
    notice = ("LLM の応答が得られなかったか不正だったため、オフライン分析の結果を表示しています。 / "
              f"The LLM gave no usable answer after {attempts} attempt(s) ({problem[:160]}); "
              "this is the offline review.")
    return report.model_copy(update={"notices": [*report.notices, notice], "mode": "offline"})


# The model's prose sits next to the analyzer's badges, so it must not contradict them. A model
# that obeyed an instruction hidden in the draft ("rate this proposal full marks") typically says
# so in sweeping words: every point met, no changes needed, full marks, pass. Free text cannot be
# parsed for meaning, but those claims can be recognised, and the fallback is always at hand —
# the offline summary and reasons are written from the verdicts themselves. So: a summary making
# such a claim while any point is not met is rejected (offline summary kept, with a notice), and
# so is a reason that claims a pass for a point that is not one. Prepending the offline verdict
# sentence instead would still leave the contradiction on the page, one sentence further down.
_ALL_MET = re.compile(
    r"(すべて|全て|全部|いずれも|[4四]つとも|全項目|全観点)[^。]{0,24}"
    r"(満た|クリア|合格|達成|問題(は)?(な|あり))"
    r"|満点|(?<!不)合格|修正(は|の必要は|する必要は)?(不要|必要(は)?(ない|ありません))|このまま(で)?(提出|問題)"
    r"|\ball (four |4 |of the )?(points|criteria|requirements)\b[^.]{0,30}\b(met|satisf|pass|fulfil)"
    r"|\b(meets|satisfies|passes|fulfils|fulfills) (all|every)\b"
    r"|\bno (changes|fixes|revisions|edits|improvements)\b[^.]{0,20}\b(needed|required|necessary)"
    r"|\bready (to|for) (submit|submission)|\bfull marks\b|\bperfect score\b",
    re.IGNORECASE,
)
_PASS_CLAIM = re.compile(r"(?<!不)合格|満点|\bpass(es|ed)?\b|\bfully met\b", re.IGNORECASE)
_SUMMARY_REJECTED = ("LLM の要約が判定結果と食い違っていたため、要約はオフライン分析のものを表示しています。 / "
                     "The LLM's summary contradicted the verdicts, so the offline summary is shown.")


def _contradicts(text: str, pattern: re.Pattern[str]) -> bool:
    return pattern.search(unicodedata.normalize("NFKC", text)) is not None


def _apply(report: Report, rewrite: ReviewRewrite, version: str) -> Report:
    all_met = all(r.verdict == "pass" for r in report.criteria.values())
    criteria = {}
    for name, result in report.criteria.items():
        new = rewrite.criteria.get(name)
        update: dict = {}
        if new is not None:
            reason = new.reason.strip()
            if reason and not (result.verdict != "pass" and _contradicts(reason, _PASS_CLAIM)):
                update["reason"] = reason[:_MAX_REASON]
            suggestions = [s.strip()[:_MAX_SUGGESTION] for s in new.suggestions if s.strip()][:5]
            # A criterion that is not met keeps the offline fixes if the model offered none.
            if suggestions or result.verdict == "pass":
                update["suggestions"] = suggestions or result.suggestions
        criteria[name] = result.model_copy(update=update)
    summary, notices = rewrite.summary.strip()[:1200], report.notices
    if not all_met and _contradicts(summary, _ALL_MET):
        log.warning("LLM summary contradicts the verdicts; keeping the offline summary")
        summary, notices = report.summary, [*report.notices, _SUMMARY_REJECTED]
    return report.model_copy(update={
        "criteria": criteria,
        "summary": summary,
        "notices": notices,
        "mode": "llm",
        "prompt_version": version,
    })


def _findings_block(report: Report) -> str:
    data = {
        "language": report.language,
        "flags": report.flags.model_dump(),
        "criteria": {
            name: {
                "verdict": r.verdict,
                "reason": r.reason,
                "present": r.present,
                "missing": r.missing,
                "evidence": [e.text for e in r.evidence[:5]],
                "offline_suggestions": r.suggestions,
            }
            for name, r in report.criteria.items()
        },
        "injection_found": report.injection is not None,
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def _passages_block(report: Report) -> str:
    seen: dict[str, str] = {}
    for result in report.criteria.values():
        for c in result.citations:
            seen.setdefault(c.text, f"[{c.section} | {c.source}]\n{c.text}")
    return "\n\n".join(seen.values())


def _content_text(content) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)


# --- questions -------------------------------------------------------------------------------------


def stream_grounded_answer(
    model: BaseChatModel, settings: Settings, offline: Answer, draft: str | None
) -> Iterator[AnswerEvent]:
    """Token events from the model, then a final event with the passages it was given. On
    failure before any token: retries, then the offline answer with a notice."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from coach.review import AnswerEvent

    prompt = load_prompt("answer.v1")
    passages = "\n\n".join(f"[{i}] {c.section} ({c.source})\n{c.text}" for i, c in enumerate(offline.citations, 1))
    messages = [
        SystemMessage(content=prompt.system),
        HumanMessage(content=prompt.render_user(
            passages=defuse(passages), draft=defuse(draft or "(なし / none)"), question=defuse(offline.question),
        )),
    ]
    attempts = 1 + settings.llm_max_retries
    problem = ""
    for attempt in range(1, attempts + 1):
        pieces: list[str] = []
        try:
            for chunk in model.stream(messages):
                piece = _content_text(chunk.content)
                if piece:
                    pieces.append(piece)
                    yield AnswerEvent(kind="token", text=piece)
        except Exception as err:  # noqa: BLE001 - timeouts/connection errors of any client
            problem = f"{type(err).__name__}: {err}"
            log.warning("LLM answer attempt %d/%d failed: %s", attempt, attempts, problem)
            if pieces:  # part of an answer is already on screen: do not start another
                break
            continue
        text = "".join(pieces).strip()
        if text:
            answer = offline.model_copy(update={"text": text, "mode": "llm", "prompt_version": prompt.version})
            yield AnswerEvent(kind="final", text=text, answer=answer)
            return
        problem = "empty answer"
    notice = ("LLM の回答が得られなかったため、検索結果のみを表示しています。 / "
              f"The LLM gave no answer ({problem[:160]}); showing the passages only.")
    fallback = offline.model_copy(update={"notices": [*offline.notices, notice]})
    yield AnswerEvent(kind="token", text=fallback.text)
    yield AnswerEvent(kind="final", text=fallback.text, answer=fallback)
