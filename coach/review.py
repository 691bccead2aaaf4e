"""The review service: one draft in, one ``Report`` out; and playbook Q&A (``answer``).

Assembly only — the verdicts come from the offline analyzer (``coach.analysis``), the citations
from the index (``coach.citations``), the fixes from ``coach.suggestions`` and the staff view from
``coach.screening``. When ``COACH_LLM`` names a chat model, ``coach.llm`` may rewrite the
explanations (reasons, suggestions, example rewrites, summary) but never a verdict or a flag: the
analyzer's judgement stands, so text inside a draft cannot talk its way to a pass.

The service is cheap to build and opens the index lazily, so ``coach review`` on a machine without
an index still reviews (with a notice and without citations), and a batch pays for opening the
index once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from coach.citations import CitationFinder, cite
from coach.intake import clean_with_map
from coach.models import (
    CRITERIA,
    Analysis,
    Citation,
    CriterionName,
    CriterionResult,
    Evidence,
    Language,
    Report,
    ReviewMode,
    Route,
)
from coach.suggestions import extract_pieces, fixes_for, suggestion_text
from ingest.errors import CoachError, IndexNotReady, InvalidInput
from ingest.settings import Settings, get_settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from ingest.index import CorpusRetriever

log = logging.getLogger(__name__)

CRITERION_LABELS: dict[CriterionName, tuple[str, str]] = {
    "issue_driven": ("課題ドリブン", "Issue-driven"),
    "why_this_city": ("なぜこの自治体なのか", "Why Kitakyushu"),
    "one_solution": ("1提案 = 1ソリューション", "One proposal, one solution"),
    "cost_split": ("役割分担・費用負担", "Roles and costs"),
}
VERDICT_LABELS = {"pass": ("満たしている", "met"), "partial": ("要修正", "needs work"),
                  "fail": ("不足", "missing")}

_NO_INDEX_NOTICE = ("索引がないため、プレイブックの引用を付けられませんでした。`coach ingest` を実行してください。 / "
                    "No index yet, so no playbook citations: run `coach ingest`.")


def _no_citations_notice(err: CoachError | None) -> str:
    """Why the report has no citations, in the index's own words: "no index yet" and "built with
    another embedding model (…): rebuild it" need different fixes, and ``IndexNotReady`` names
    the right one. Any other error (e.g. no index *and* no corpus for the lexical fallback) is
    passed on as the cause, with the usual remedy."""
    if err is None:
        return _NO_INDEX_NOTICE
    if isinstance(err, IndexNotReady):
        return (f"プレイブックの引用を付けられませんでした。{err.message_ja} / "
                f"No playbook citations: {err.message_en}")
    return (f"プレイブックの引用を付けられませんでした({err.message_ja.rstrip('。')})。索引がまだない場合は `coach ingest` を"
            f"実行してください。 / No playbook citations ({err.message_en}). If there is no index yet, "
            "run `coach ingest`.")


_LOOKUP_FAILED = ("プレイブックの引用の検索に失敗したため、一部の引用がありません。 / "
                  "Looking up playbook citations failed; some are missing.")


class Answer(BaseModel):
    """An answer to a question about the playbook and the city's plans, with its sources."""

    question: str
    text: str
    citations: list[Citation] = Field(default_factory=list)
    mode: ReviewMode = "offline"
    notices: list[str] = Field(default_factory=list)
    prompt_version: str | None = None


class AnswerEvent(BaseModel):
    """One event of a streamed answer: text pieces, then one ``final`` event with the citations."""

    kind: Literal["token", "final"]
    text: str = ""
    answer: Answer | None = None


class ReviewService:
    """Reviews drafts and answers questions. One instance per process is enough (thread-safe)."""

    def __init__(
        self,
        settings: Settings,
        *,
        retriever: CorpusRetriever | None = None,
        chat_model: BaseChatModel | None = None,
    ):
        self.settings = settings
        self._retriever = retriever
        self._retriever_error: CoachError | None = None
        self._finder: CitationFinder | None = self._new_finder(retriever) if retriever is not None else None
        self.chat_model = chat_model
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ReviewService:
        """The service as configured by ``COACH_*``: index opened on first use (lexical fallback
        allowed), chat model built now when ``COACH_LLM`` is set so a bad setting fails early."""
        settings = settings or get_settings()
        chat_model = None
        if settings.llm:
            from coach.llm import build_chat_model

            chat_model = build_chat_model(settings)
        return cls(settings, chat_model=chat_model)

    # --- the index, opened once --------------------------------------------------------------

    @property
    def retriever(self) -> CorpusRetriever:
        """The corpus retriever; raises ``IndexNotReady`` when there is no usable index."""
        with self._lock:
            if self._retriever is None:
                if self._retriever_error is not None:
                    raise self._retriever_error
                try:
                    from ingest.index import open_retriever
                except ImportError as err:  # the index layer is not installed in this build
                    self._retriever_error = IndexNotReady(
                        "検索索引の機能が見つかりません。", f"The index layer is missing ({err})."
                    )
                    raise self._retriever_error from None
                try:
                    self._retriever = open_retriever(self.settings, allow_lexical_fallback=True)
                except CoachError as err:
                    self._retriever_error = err
                    raise
                self._finder = self._new_finder(self._retriever)
            return self._retriever

    def _new_finder(self, retriever: CorpusRetriever) -> CitationFinder:
        s = self.settings
        return CitationFinder(retriever, cache_dir=s.data_dir / "cache",
                              embedder_id=f"{s.embeddings}:{s.embedding_model or ''}")

    def citation_finder(self) -> CitationFinder | None:
        """The finder, or None when no index can be opened: a review without citations (and a
        notice saying so) is more use to the writer than no review."""
        try:
            _ = self.retriever
        except CoachError as err:
            log.warning("no citations: %s", err.message)
            return None
        except Exception:
            log.exception("the index could not be opened; reviewing without citations")
            with self._lock:
                self._retriever_error = IndexNotReady("検索索引を開けませんでした。", "The index could not be opened.")
            return None
        return self._finder

    def warm(self) -> None:
        """Pay the one-time costs now (server start): open the index, answer the fixed citation
        queries, load the tokenizer. Never raises for a missing index; reviews will say so."""
        finder = self.citation_finder()
        if finder is not None:
            finder.warm()
        from coach.analysis import analyze

        analyze("北九州市の課題です。")

    # --- review ------------------------------------------------------------------------------

    def review(self, text: str, route: Route | None = None, today: date | None = None) -> Report:
        """The four-point review of ``text``. Evidence offsets point into ``text`` as given."""
        from coach.analysis import analyze
        from coach.screening import screen

        route = _check_route(route)
        cleaned, index_map = clean_with_map(text, self.settings)
        analysis = analyze(cleaned, route)
        screening = screen(cleaned, analysis, route=route, today=today or today_in_kitakyushu(),
                           corpus_dir=self.settings.corpus_dir)
        bureau = screening.bureaus[0].name if screening.bureaus else None
        pieces = extract_pieces(cleaned, analysis, bureau=bureau)
        finder = self.citation_finder()
        notices: list[str] = []
        if finder is None:
            notices.append(_no_citations_notice(self._retriever_error))
        lang = analysis.language

        criteria: dict[CriterionName, CriterionResult] = {}
        for name in CRITERIA:
            finding = analysis.findings[name]
            fixes = fixes_for(name, finding, pieces, lang, to_g=analysis.flags.to_g)
            citations: list[Citation] = []
            if finder is not None:
                local_terms: list[str] = []
                if name == "why_this_city" and finding.verdict != "pass":
                    local_terms = [p for p in (pieces.place, *analysis.places[:2]) if p]
                    if screening.bureaus:
                        local_terms += screening.bureaus[0].because[:2]
                try:
                    with finder.lookups() as lookup_notices:
                        citations = finder.for_criterion(name, finding.missing, local_terms=local_terms)
                    notices.extend(n for n in lookup_notices if n not in notices)
                except Exception:
                    log.exception("citation lookup failed for %s", name)
                    if _LOOKUP_FAILED not in notices:
                        notices.append(_LOOKUP_FAILED)
            criteria[name] = CriterionResult(
                verdict=finding.verdict,
                reason=finding.reason,
                reason_bilingual=finding.reason_bilingual,
                evidence=finding.evidence,
                present=finding.present,
                missing=finding.missing,
                suggestions=[suggestion_text(f, lang) for f in fixes],
                fixes=fixes,
                citations=citations,
            )
        if analysis.injection is not None:
            notices.append(
                "提案文の中に、審査する側(AIなど)への指示と思われる文がありました。これは提案の内容ではないため、判定には使っていません。"
                if lang == "ja" else
                "The draft contains text addressed to the reviewer (e.g. an AI). It is not part of the "
                "proposal and was not used for any verdict."
            )
        report = Report(
            criteria=criteria,
            flags=analysis.flags,
            summary=summarize(criteria, analysis, lang),
            flag_details=analysis.flag_details,
            injection=analysis.injection,
            screening=screening,
            language=lang,
            route=route,
            mode="offline",
            notices=notices,
            analyzer_version=analysis.version,
        )
        if self.chat_model is not None:
            from coach.llm import refine_report

            report = refine_report(self.chat_model, self.settings, report, cleaned)
        if index_map is not None:
            report = _remap_evidence(report, text, index_map)
        return report

    # --- questions about the playbook ------------------------------------------------------

    def answer(self, question: str, *, draft: str | None = None, k: int = 5) -> Answer:
        """The best passages for ``question`` (and, with an LLM, an answer grounded in them)."""
        events = list(self.stream_answer(question, draft=draft, k=k))
        final = events[-1].answer
        assert final is not None  # stream_answer always ends with a final event
        return final

    def stream_answer(self, question: str, *, draft: str | None = None, k: int = 5) -> Iterator[AnswerEvent]:
        question = _clean_question(question)
        if draft is not None:
            draft = clean_with_map(draft, self.settings)[0]
        retrieval = self.retriever.retrieve(question, k=k)
        citations = [cite(p, question) for p in retrieval.passages]
        notices = list(getattr(retrieval, "notices", None) or [])
        offline = Answer(question=question, text=offline_answer_text(question, citations),
                         citations=citations, mode="offline", notices=notices)
        if self.chat_model is None:
            if draft is not None:
                offline.notices.append("下書きを踏まえた回答は LLM 設定時のみです。 / The draft is used only "
                                       "when an LLM is configured.")
            yield AnswerEvent(kind="token", text=offline.text)
            yield AnswerEvent(kind="final", text=offline.text, answer=offline)
            return
        from coach.llm import stream_grounded_answer

        yield from stream_grounded_answer(self.chat_model, self.settings, offline, draft)


def today_in_kitakyushu() -> date:
    """Today's date in Japan (UTC+9, no daylight saving): the calendar advice is about the city's
    year, whatever the server's clock zone."""
    return datetime.now(timezone(timedelta(hours=9))).date()


def offline_answer_text(question: str, citations: list[Citation]) -> str:
    if not citations:
        return "該当する箇所が見つかりませんでした。言い換えて質問してください。 / No matching passage found."
    lines = [(f"関連する箇所が{len(citations)}件見つかりました(関連の高い順)。 / "
              f"{len(citations)} passages found, best first.")]
    for i, c in enumerate(citations, 1):
        lines.append(f"[{i}] {c.section} ({c.source})\n{c.text}")
    return "\n\n".join(lines)


def summarize(criteria: dict[CriterionName, CriterionResult], analysis: Analysis, lang: Language) -> str:
    """Two or three sentences a writer reads first: the count, the first thing to fix, flags."""
    ja = lang == "ja"
    by: dict[str, list[str]] = {"pass": [], "partial": [], "fail": []}
    for name, result in criteria.items():
        by[result.verdict].append(CRITERION_LABELS[name][0 if ja else 1])
    first_fix = next(
        (r.fixes[0].label for name in CRITERIA if (r := criteria[name]).verdict == "fail" and r.fixes),
        None,
    ) or next((r.fixes[0].label for name in CRITERIA if (r := criteria[name]).verdict == "partial" and r.fixes), None)
    if ja:
        parts = [f"4つのポイントのうち、満たしている{len(by['pass'])}・要修正{len(by['partial'])}・不足{len(by['fail'])}。"]
        if by["fail"]:
            parts.append(f"不足: {'、'.join(by['fail'])}。")
        if by["partial"]:
            parts.append(f"要修正: {'、'.join(by['partial'])}。")
        if first_fix:
            parts.append(f"まず「{first_fix}」を書き加えてください。")
        elif not by["partial"] and not by["fail"]:
            parts.append("このまま提出できる内容です。")
        if analysis.flags.sales_pitch:
            parts.append("現状では課題・市の役割・提案がなく、営業資料と受け取られるおそれがあります。")
        if analysis.flags.to_g:
            parts.append("市の支払いを主な収益とするモデルのため、官民共創ではなく調達(toG)として扱われる可能性があります。")
        if analysis.injection is not None:
            parts.append("審査者への指示と思われる文は判定に使っていません。")
        return "".join(parts)
    parts = [(f"Of the four points: {len(by['pass'])} met, {len(by['partial'])} need work, "
              f"{len(by['fail'])} missing.")]
    if by["fail"]:
        parts.append(f"Missing: {', '.join(by['fail'])}.")
    if by["partial"]:
        parts.append(f"Needs work: {', '.join(by['partial'])}.")
    if first_fix:
        parts.append(f"Start by adding: {first_fix}.")
    if analysis.flags.sales_pitch:
        parts.append("As written it reads as a sales brochure: no problem, no role for the city, no proposal.")
    if analysis.flags.to_g:
        parts.append("Its revenue depends on the city paying, which makes it procurement (toG) rather than 官民共創.")
    if analysis.injection is not None:
        parts.append("Text addressed to the reviewer was ignored.")
    return " ".join(parts)


def _check_route(route: str | None) -> Route | None:
    if route in (None, "", "null"):
        return None
    if route not in ("theme", "free"):
        raise InvalidInput(
            f"route は theme(テーマ型)か free(フリー型)で指定してください(指定値: {route!r})。",
            f"route must be 'theme' or 'free' (got {route!r}).",
        )
    return route  # type: ignore[return-value]


def _clean_question(question: str) -> str:
    if not isinstance(question, str) or not question.strip():
        raise InvalidInput("質問が空です。", "The question is empty.")
    question = question.strip()
    if len(question) > 2000:
        raise InvalidInput("質問が長すぎます(2,000文字まで)。", "The question is too long (2,000 characters at most).")
    return question


def _remap_evidence(report: Report, original: str, index_map: list[int]) -> Report:
    """Move every evidence span from the cleaned draft back onto the text the writer submitted."""

    def fix(ev: Evidence) -> Evidence:
        start = index_map[ev.start]
        end = index_map[ev.end - 1] + 1 if ev.end > ev.start else start
        return ev.model_copy(update={"start": start, "end": end, "text": original[start:end]})

    data = report.model_copy(deep=True)
    for result in data.criteria.values():
        result.evidence = [fix(e) for e in result.evidence]
    for detail in data.flag_details.values():
        detail.evidence = [fix(e) for e in detail.evidence]
    if data.injection is not None:
        data.injection.evidence = [fix(e) for e in data.injection.evidence]
    if data.screening is not None:
        for point in data.screening.judgement_points:
            point.evidence = [fix(e) for e in point.evidence]
    return data


@lru_cache(maxsize=1)
def default_service() -> ReviewService:
    return ReviewService.from_settings()


def review(text: str, route: Route | None = None, today: date | None = None) -> Report:
    """Review one draft with the process-wide default service (settings from ``COACH_*``)."""
    return default_service().review(text, route=route, today=today)
