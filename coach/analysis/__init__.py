"""The offline four-point analyzer: deterministic, explainable, no LLM.

``analyze(text, route)`` prepares the draft once (sentences, tokens, injected spans) and asks one
judge per criterion plus the flag detectors. Each judge returns a ``CriterionFinding`` with the
evidence spans and checklist items (``coach.checklist``) it rests on.
"""

from __future__ import annotations

from coach.analysis.cost_split import judge_cost_split
from coach.analysis.draft import Draft
from coach.analysis.gazetteer import find_other_cities, find_places
from coach.analysis.issue_driven import judge_issue_driven
from coach.analysis.one_solution import judge_one_solution
from coach.analysis.sales_pitch import detect_sales_pitch
from coach.analysis.to_g import detect_to_g
from coach.analysis.why_this_city import judge_why_this_city
from coach.models import Analysis, Bilingual, Flags, InjectionFinding

ANALYZER_VERSION = "0.1.0"

_INJECTION_NOTE = Bilingual(ja="審査者への指示と思われる文を検出しました。判定には使っていません。",
                            en="Found sentences that look like instructions to the reviewer. They were not used "
                               "for any verdict.")


def analyze(text: str, route: str | None = None) -> Analysis:
    draft = Draft.prepare(text, route)
    findings = {
        "issue_driven": judge_issue_driven(draft),
        "why_this_city": judge_why_this_city(draft),
        "one_solution": judge_one_solution(draft),
        "cost_split": judge_cost_split(draft),
    }
    to_g = detect_to_g(draft)
    sales_pitch = detect_sales_pitch(draft, findings)
    injection = None
    if draft.injected:
        injection = InjectionFinding(
            evidence=[draft.sentence_evidence(s, "injection") for s in draft.injected],
            note=_INJECTION_NOTE.in_language(draft.language),
        )
    return Analysis(
        language=draft.language,
        findings=findings,
        flags=Flags(to_g=to_g.raised, sales_pitch=sales_pitch.raised),
        flag_details={"to_g": to_g, "sales_pitch": sales_pitch},
        injection=injection,
        places=find_places(draft),
        other_cities=find_other_cities(draft),
        version=ANALYZER_VERSION,
    )
