"""sales_pitch flag — STEP 2's first check 「単なる営業活動ではないか」 (rubric, screening flags).

Raised for a product brochure addressed to the city or a bare request for a meeting: no problem,
no role for the city, no proposal. Not raised for a product pitch that proposes a concrete local
deployment or trial, for a free offer with a part for the city, or for a proposal of an agreement
(包括連携協定), however thin.
"""

from __future__ import annotations

from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.models import CriterionFinding, FlagDetail


def detect_sales_pitch(draft: Draft, findings: dict[str, CriterionFinding]) -> FlagDetail:
    problems = sg.problem_units(draft)
    roles = sg.city_role_units(draft)
    proposals = sg.proposal_units(draft)
    agreements = sg.agreement_units(draft)
    free = sg.free_offer_units(draft)
    brochure = sg.brochure_units(draft)

    cost = findings.get("cost_split")
    city_role_found = bool(cost and "city_role" in cost.present)

    reasons_not = []
    if problems:
        reasons_not.append(("課題が書かれています", problems[0]))
    if roles:
        reasons_not.append(("市の役割が書かれています", roles[0]))
    if proposals:
        reasons_not.append(("具体的な実施の提案があります", proposals[0]))
    if agreements:
        reasons_not.append(("連携協定の提案です", agreements[0]))
    if free:
        reasons_not.append(("事業者負担・無償での実施の申し出です", free[0]))

    if reasons_not or city_role_found or not brochure:
        why = "、".join(r for r, _ in reasons_not) or (
            "市の役割が書かれています" if city_role_found else "営業資料の特徴が見当たりません")
        evidence = [draft.evidence(u.start, u.end, "not_sales_pitch") for _, u in reasons_not[:2]]
        return FlagDetail(raised=False, reason=f"単なる営業ではありません（{why}）。", evidence=evidence)

    evidence = [draft.evidence(u.start, u.end, "brochure") for u in brochure[:3]]
    return FlagDetail(
        raised=True,
        reason="製品・サービスの案内や面談の依頼だけで、地域の課題、市に担ってほしい役割、具体的な提案が書かれていません。",
        evidence=evidence,
    )
