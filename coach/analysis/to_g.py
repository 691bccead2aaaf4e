"""to_g flag detector. Placeholder until the analyzer lands."""

from __future__ import annotations

from coach.analysis.draft import Draft
from coach.models import FlagDetail


def detect_to_g(draft: Draft) -> FlagDetail:
    return FlagDetail(raised=False, reason="(not implemented yet)")
