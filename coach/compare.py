"""What changed between two reviews of the same proposal (the page shows it on re-review)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from coach.models import CRITERIA, CriterionName, Report, Verdict

Change = Literal["improved", "worse", "same"]
_RANK: dict[Verdict, int] = {"fail": 0, "partial": 1, "pass": 2}


class CriterionChange(BaseModel):
    before: Verdict
    after: Verdict
    change: Change
    newly_met: list[str] = Field(default_factory=list, description="Checklist items now present.")
    still_missing: list[str] = Field(default_factory=list)
    newly_missing: list[str] = Field(default_factory=list, description="Items that were present and are gone.")


class ReportComparison(BaseModel):
    criteria: dict[CriterionName, CriterionChange]
    improved: list[CriterionName] = Field(default_factory=list)
    worse: list[CriterionName] = Field(default_factory=list)
    flags_changed: dict[str, tuple[bool, bool]] = Field(
        default_factory=dict, description="flag -> (before, after), only flags that changed."
    )
    summary: str = ""


def compare_reports(before: Report, after: Report) -> ReportComparison:
    changes: dict[CriterionName, CriterionChange] = {}
    for name in CRITERIA:
        b, a = before.criteria[name], after.criteria[name]
        delta = _RANK[a.verdict] - _RANK[b.verdict]
        change: Change = "improved" if delta > 0 else "worse" if delta < 0 else "same"
        was_missing, now_missing = set(b.missing), set(a.missing)
        was_present = set(b.present)
        changes[name] = CriterionChange(
            before=b.verdict,
            after=a.verdict,
            change=change,
            newly_met=[k for k in b.missing if k not in now_missing] + [
                k for k in a.present if k not in was_present and k not in was_missing
            ],
            still_missing=[k for k in a.missing if k in was_missing],
            newly_missing=[k for k in a.missing if k not in was_missing],
        )
    flags_changed = {
        flag: (getattr(before.flags, flag), getattr(after.flags, flag))
        for flag in ("to_g", "sales_pitch")
        if getattr(before.flags, flag) != getattr(after.flags, flag)
    }
    improved = [n for n, c in changes.items() if c.change == "improved"]
    worse = [n for n, c in changes.items() if c.change == "worse"]
    return ReportComparison(criteria=changes, improved=improved, worse=worse, flags_changed=flags_changed,
                            summary=_summary(changes, after.language))


def _summary(changes: dict[CriterionName, CriterionChange], language: str) -> str:
    from coach.checklist import ITEMS
    from coach.review import CRITERION_LABELS

    ja = language == "ja"
    up = [CRITERION_LABELS[n][0 if ja else 1] for n, c in changes.items() if c.change == "improved"]
    down = [CRITERION_LABELS[n][0 if ja else 1] for n, c in changes.items() if c.change == "worse"]
    met = [ITEMS[k].label_ja if ja else ITEMS[k].label_en for c in changes.values() for k in c.newly_met if k in ITEMS]
    if ja:
        parts = []
        if up:
            parts.append(f"良くなった点: {'、'.join(up)}。")
        if down:
            parts.append(f"後退した点: {'、'.join(down)}。")
        if met:
            parts.append(f"新たに書けたこと: {'、'.join(met)}。")
        return "".join(parts) or "前回から判定は変わっていません。"
    parts = []
    if up:
        parts.append(f"Improved: {', '.join(up)}.")
    if down:
        parts.append(f"Worse: {', '.join(down)}.")
    if met:
        parts.append(f"Newly covered: {', '.join(met)}.")
    return " ".join(parts) or "No verdict changed since the last review."
