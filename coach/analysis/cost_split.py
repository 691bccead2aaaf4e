"""Judge for cost_split. Placeholder until the analyzer lands: every draft is 'fail' with that reason."""

from __future__ import annotations

from coach.analysis.draft import Draft
from coach.models import CriterionFinding


def judge_cost_split(draft: Draft) -> CriterionFinding:
    return CriterionFinding(verdict="fail", reason="(analyzer not implemented yet)")
