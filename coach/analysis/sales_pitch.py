"""sales_pitch flag detector. Placeholder until the analyzer lands."""

from __future__ import annotations

from coach.analysis.draft import Draft
from coach.models import CriterionFinding, FlagDetail


def detect_sales_pitch(draft: Draft, findings: dict[str, CriterionFinding]) -> FlagDetail:
    return FlagDetail(raised=False, reason="(not implemented yet)")
