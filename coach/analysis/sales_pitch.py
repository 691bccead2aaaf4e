"""sales_pitch flag — STEP 2's first check 「単なる営業活動ではないか」 (rubric, screening flags).

Raised for a product brochure addressed to the city or a bare request for a meeting: no problem,
no role for the city, no proposal. Not raised for a product pitch that proposes a concrete local
deployment or trial, for a free offer with a part for the city, or for a proposal of an agreement
(包括連携協定), however thin.

A catalogue (one_solution fail) is read with care: the uses it lists are not problems, a menu that
never calls itself a proposal is a brochure, and an ask to be routed to 「ご関心のある部署」, to meet,
or (with nothing proposed) to recommend the product to buyers is not a role for the city.
"""

from __future__ import annotations

import re

from coach.analysis import scope
from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.models import Bilingual, CriterionFinding, FlagDetail

# A bare request to be routed inside the city (「ご関心のある部署をご紹介ください」「どの部署に相談すれば」
# "which team should we talk to") asks for a meeting, not for a part in a proposal. An introduction to
# partners outside the city hall (「商店街との橋渡し」) is a role and stays one.
_ROUTING_ASK_RE = re.compile(
    r"(?:部署|部局|ご担当|担当者|窓口|課)\S{0,8}(?:ご?紹介|おつなぎ|お繋ぎ|つないで|ご相談|相談すれば|お伝え)|"
    r"(?:which|right) (?:department|team|person|office)|who (?:to|should we) (?:talk|speak)"
)
# Asking the city to recommend the product to its buyers (「事業所の皆様にご紹介いただけないか」 "how the
# city could recommend our app to parents") is asking it to sell, not a part in a proposal.
_ENDORSE_ASK_RE = re.compile(
    r"(?:皆様|皆さま|事業所|事業者|市民|住民|保護者|利用者|学校|施設)\S{0,6}(?:に|へ)\S{0,6}(?:ご紹介|ご案内|お勧め|おすすめ|推奨)|"
    r"\brecommend\b\S*\s+(?:our|the|it|this)|\bintroduce (?:our|it|the app|the product) to\b"
)
# A draft that presents itself as a proposal (「ご提案」 "proposal") is not a brochure only for listing items.
_PROPOSES_RE = re.compile(r"提案|proposal|propose|協定|pilot|実証")


# 「市の課題に合わせてカスタマイズ」「貴市の課題解決に貢献」: the word 課題 without a problem in it.
_GENERIC_PROBLEM_RE = re.compile(
    r"(?:貴市|市|自治体|地域|皆様|御社|各部署)の(?:様々な|さまざまな|各種)?(?:課題|お困りごと|ニーズ)(?:に合わせ|に応じ|解決に|を解決|の解決|にお応え)"
)


_MEETING_RE = re.compile(r"\bmeeting\b|\bcall\b|面談|お打ち合わせ|ご挨拶")


def _is_ask(norm: str, proposes: bool) -> bool:
    """A 'role' that only asks to be routed, met, or (with nothing proposed) recommended to buyers."""
    return bool(_ROUTING_ASK_RE.search(norm) or _MEETING_RE.search(norm)
                or (not proposes and _ENDORSE_ASK_RE.search(norm)))


def _catalogue_spans(one_solution: CriterionFinding | None) -> list[tuple[int, int]]:
    if one_solution is None or one_solution.verdict != "fail":
        return []
    return [(e.start, e.end) for e in one_solution.evidence if e.signal == "catalogue"]


def _overlaps(u: sg.Unit, spans: list[tuple[int, int]]) -> bool:
    return any(a < u.end and u.start < b for a, b in spans)


_CITY_ROLE = ("市の役割が書かれています", "it states a role for the city")


def detect_sales_pitch(draft: Draft, findings: dict[str, CriterionFinding]) -> FlagDetail:
    catalogue = _catalogue_spans(findings.get("one_solution"))
    listed = [c.series.extent for c in scope.catalogue_series(draft)] if catalogue else []
    # a menu item's own description (「■ 防災学習VR／…を学校向けに提供します」) proposes no deployment here
    menus = scope.generic_menu_extents(draft) if catalogue else []
    proposals = [u for u in sg.proposal_units(draft) if not _overlaps(u, menus)]
    # the uses a catalogue lists (「防犯、交通量調査、不法投棄の見張りなど」) are not problems, nor is
    # the bare word in 「市の課題に合わせて」, or not knowing whom to contact (「どちらの局がご担当か存じ上げず」)
    asking_whom = {(u.start, u.end) for u in scope.open_counterpart_units(draft) + sg.unclear_counterpart_units(draft)}
    problems = [u for u in sg.problem_units(draft)
                if not _overlaps(u, listed) and (u.start, u.end) not in asking_whom
                and not (_GENERIC_PROBLEM_RE.search(u.norm) and not sg.size_quantities(u))]
    all_roles = sg.city_role_units(draft)
    # the sentence that lists the catalogue is the company's offer, not a part for the city
    roles = [u for u in all_roles if not _is_ask(u.norm, bool(proposals)) and not _overlaps(u, listed)]
    agreements = sg.agreement_units(draft)
    free = sg.free_offer_units(draft)
    brochure = sg.brochure_units(draft)

    cost = findings.get("cost_split")
    # cost_split's city role counts unless all it rests on is such an ask
    cost_role_texts = [sg.normalize(e.text)[0] for e in (cost.evidence if cost else []) if e.signal == "city_role"]
    cost_role_is_ask = bool(cost_role_texts) and all(_is_ask(t, bool(proposals)) for t in cost_role_texts)
    city_role_found = (bool(cost and "city_role" in cost.present) and (bool(roles) or not all_roles)
                       and not (cost_role_is_ask and not roles))
    # a menu offered to the city that does not even call itself a proposal is a brochure, whatever
    # its wording (「【官民連携メニュー】… ご関心のあるメニューからご一緒させてください」)
    if catalogue and not brochure and not _PROPOSES_RE.search(draft.normalized.lower()):
        brochure = [u for u in sg.units(draft) if _overlaps(u, catalogue)]

    reasons_not = []
    if problems:
        reasons_not.append((("課題が書かれています", "it states a problem"), problems[0]))
    if roles:
        reasons_not.append((_CITY_ROLE, roles[0]))
    if proposals:
        reasons_not.append((("具体的な実施の提案があります", "it proposes something concrete to carry out"), proposals[0]))
    if agreements:
        reasons_not.append((("連携協定の提案です", "it proposes a partnership agreement"), agreements[0]))
    if free:
        reasons_not.append((("事業者負担・無償での実施の申し出です",
                             "it offers to do this at the company's own cost or free of charge"), free[0]))

    if reasons_not or city_role_found or not brochure:
        whys = [r for r, _ in reasons_not] or [
            _CITY_ROLE if city_role_found else ("営業資料の特徴が見当たりません", "it shows none of the marks of sales material")]
        reason = Bilingual(ja=f"単なる営業ではありません（{'、'.join(ja for ja, _ in whys)}）。",
                           en=f"This is not merely a sales pitch ({'; '.join(en for _, en in whys)}).")
        evidence = [draft.evidence(u.start, u.end, "not_sales_pitch") for _, u in reasons_not[:2]]
        return FlagDetail(raised=False, reason=reason.in_language(draft.language), reason_bilingual=reason,
                          evidence=evidence)

    evidence = [draft.evidence(u.start, u.end, "brochure") for u in brochure[:3]]
    reason = Bilingual(
        ja="製品・サービスの案内や面談の依頼だけで、地域の課題、市に担ってほしい役割、具体的な提案が書かれていません。",
        en="It only introduces a product or service or asks for a meeting; it states no local problem, "
           "no role for the city and no concrete proposal.")
    return FlagDetail(
        raised=True,
        reason=reason.in_language(draft.language),
        reason_bilingual=reason,
        evidence=evidence,
    )
