"""Domain models shared by the analyzer, the review service, the CLI, the API and the eval.

The REPORT shape of ``../shared/contract.md`` is the floor: ``criteria.<name>.verdict``,
``evidence[start,end,text]``, ``suggestions`` (strings), ``citations[source,section,text]``,
``flags.to_g``, ``flags.sales_pitch`` and ``summary``. Everything else here is an addition.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Verdict = Literal["pass", "partial", "fail"]
CriterionName = Literal["issue_driven", "why_this_city", "one_solution", "cost_split"]
Route = Literal["theme", "free"]
Language = Literal["ja", "en"]
ReviewMode = Literal["offline", "llm"]

CRITERIA: tuple[CriterionName, ...] = ("issue_driven", "why_this_city", "one_solution", "cost_split")
VERDICTS: tuple[Verdict, ...] = ("pass", "partial", "fail")


class Bilingual(BaseModel):
    """A sentence shown to people, written in both languages the coach serves from the same pieces
    (the quoted draft text stays verbatim in both). The writer reads it in the draft's language;
    the city staff's screening view reads ``ja``."""

    model_config = ConfigDict(frozen=True)

    ja: str
    en: str

    def in_language(self, language: Language) -> str:
        return self.en if language == "en" else self.ja


class Evidence(BaseModel):
    """A span of the submitted draft that a verdict rests on; ``text == draft[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    signal: str | None = Field(
        None, description="Checklist item or signal this span shows, e.g. 'size_evidence'."
    )


class Citation(BaseModel):
    """A verbatim passage of an indexed corpus chunk that backs a verdict or a fix."""

    source: str
    section: str
    text: str
    start: int | None = Field(None, description="Offset of the passage in its source text.")
    end: int | None = None


class Fix(BaseModel):
    """One thing to add or change, with an example written from the draft's own content."""

    item: str = Field(description="Checklist item key, e.g. 'size_evidence'.")
    label: str = Field(description="Checklist item as the writer reads it, e.g. 「課題の規模を示すデータ」.")
    advice: str = Field(description="What to add or change.")
    example: str | None = Field(None, description="こう書くと伝わります: an example rewrite.")


class CriterionResult(BaseModel):
    verdict: Verdict
    reason: str = Field("", description="Why this verdict, in one or two sentences, in the draft's language.")
    reason_bilingual: Bilingual | None = Field(
        None, description="The analyzer's reason in both languages (staff views read `ja`); an LLM "
                          "rewrite changes `reason` only.")
    evidence: list[Evidence] = Field(default_factory=list)
    present: list[str] = Field(default_factory=list, description="Checklist items the draft meets.")
    missing: list[str] = Field(default_factory=list, description="Checklist items the draft lacks.")
    suggestions: list[str] = Field(default_factory=list)
    fixes: list[Fix] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class Flags(BaseModel):
    to_g: bool = False
    sales_pitch: bool = False


class FlagDetail(BaseModel):
    """Why a screening flag was raised (or not), for staff and for the writer."""

    raised: bool
    reason: str = Field("", description="In the draft's language (``Analysis.language``).")
    reason_bilingual: Bilingual | None = Field(None, description="The same reason in both languages.")
    evidence: list[Evidence] = Field(default_factory=list)


class InjectionFinding(BaseModel):
    """Text in the draft that addresses the reviewer. It is reported and never obeyed."""

    evidence: list[Evidence] = Field(default_factory=list)
    note: str = Field("", description="In the draft's language.")


class JudgementPoint(BaseModel):
    """One of STEP 4's 庁内意思決定 points: 市の財政負担の有無, 事業の独自性・独創性, 行政資源の占用性."""

    key: Literal["fiscal_burden", "originality", "resource_exclusivity"]
    label: str
    assessment: str
    evidence: list[Evidence] = Field(default_factory=list)


class TimingAdvice(BaseModel):
    on: date
    period: str = Field(description="The playbook's season for this date, e.g. 「11月～3月頃」.")
    advice: str
    period_en: str = Field("", description="The same season in English, for English drafts and the English page.")
    advice_en: str = ""

    def in_language(self, language: Language) -> tuple[str, str]:
        """(period, advice) in ``language``; Japanese when no English text was written."""
        if language == "en" and self.advice_en:
            return self.period_en, self.advice_en
        return self.period, self.advice


class BureauGuess(BaseModel):
    name: str = Field(description="Likely counterpart bureau (局・室), from corpus organization notes.")
    score: float = 0.0
    because: list[str] = Field(default_factory=list, description="Terms in the draft that point there.")


class ScreeningSummary(BaseModel):
    """The city staff's pre-screening view of one submission."""

    route: Route | None = None
    route_label: str = ""
    judgement_points: list[JudgementPoint] = Field(default_factory=list)
    bureaus: list[BureauGuess] = Field(default_factory=list)
    timing: TimingAdvice | None = None
    first_check: str = Field("", description="STEP 2 一次確認: proposal or sales activity?")


class Report(BaseModel):
    """The review of one draft."""

    criteria: dict[CriterionName, CriterionResult]
    flags: Flags
    summary: str
    flag_details: dict[str, FlagDetail] = Field(default_factory=dict)
    injection: InjectionFinding | None = None
    screening: ScreeningSummary | None = None
    language: Language = "ja"
    route: Route | None = None
    mode: ReviewMode = "offline"
    notices: list[str] = Field(
        default_factory=list, description="E.g. LLM fallback, injection found, lexical-only retrieval."
    )
    prompt_version: str | None = None
    analyzer_version: str = ""


# --- what the offline analyzer hands to the review service -----------------------------------


class CriterionFinding(BaseModel):
    """The analyzer's verdict for one criterion, with the signals it rests on."""

    verdict: Verdict
    reason: str = Field(description="In the draft's language (``Analysis.language``).")
    reason_bilingual: Bilingual | None = Field(None, description="The same reason in both languages.")
    evidence: list[Evidence] = Field(default_factory=list)
    present: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    signals: dict[str, float] = Field(
        default_factory=dict, description="Explainable feature values, for debugging and the eval."
    )


class Analysis(BaseModel):
    """Deterministic, explainable analysis of a draft (no LLM)."""

    language: Language
    findings: dict[CriterionName, CriterionFinding]
    flags: Flags
    flag_details: dict[str, FlagDetail] = Field(default_factory=dict)
    injection: InjectionFinding | None = None
    places: list[str] = Field(default_factory=list, description="Kitakyushu places/plans named.")
    other_cities: list[str] = Field(default_factory=list, description="Other cities named.")
    version: str = ""
