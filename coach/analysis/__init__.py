"""The offline four-point analyzer: deterministic, explainable, no LLM.

``analyze(text, route)`` prepares the draft once (sentences, tokens, injected spans) and asks one
judge per criterion plus the flag detectors. Each judge returns a ``CriterionFinding`` with the
evidence spans and checklist items (``coach.checklist``) it rests on.
"""

from __future__ import annotations

from coach.models import Analysis

ANALYZER_VERSION = "0.1.0"


def analyze(text: str, route: str | None = None) -> Analysis:
    raise NotImplementedError("the analyzer is being built (issue 3)")
