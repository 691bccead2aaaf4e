"""sales_pitch flag — STEP 2's first check 「単なる営業活動ではないか」 (rubric, screening flags).

Raised for a product brochure addressed to the city or a bare request for a meeting: no problem,
no role for the city, no proposal. Not raised for a product pitch that proposes a concrete local
deployment or trial, for a free offer with a part for the city, or for a proposal of an agreement
(包括連携協定), however thin.

A free offer (「費用は当社が負担」「デモは無料で承ります」) is a reason only with a scope of its own (a place,
a count, a period), a proposal or a part for the city: otherwise it is the brochure's price line. One
line declaring a topic a nationwide social issue (「空き家問題は全国的な社会課題です」) is not a problem the
draft works from. Asking the city to consider a deployment at a named local place (「市内の市民センター
への設置をご検討ください」) is a concrete local deployment, and so is a proposal anchored at a named place
in the city (「門司港の旧庁舎を活用した…事業のご提案」). A trial open to any customer (「今なら30日間の無料
トライアルをご利用いただけます」) is a promotion, not a proposal; a request for the reader's time (「15分だけ
でもお時間をいただけませんか」) is a meeting request, not a role for the city.

A catalogue (one_solution fail) is read with care: the uses it lists are not problems, a menu that
never calls itself a proposal is a brochure, and an ask to be routed to 「ご関心のある部署」, to meet,
or (with nothing proposed) to recommend the product to buyers is not a role for the city.
"""

from __future__ import annotations

import re

from coach.analysis import scope
from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.analysis.gazetteer import place_hits
from coach.analysis.layout import fold
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


def _is_generic_problem(u: sg.Unit) -> bool:
    """A problem named only as a nationwide or social issue (「空き家問題は全国的な社会課題です」
    "a challenge for cities across Japan"), the opening line of many brochures."""
    if sg.find_quantities(u):
        return False
    return bool(_ISSUE_LINE_RE.search(u.norm))


# A topic declared an issue and nothing more: 「空き家問題は、いまや全国的な社会課題です」「高齢者の孤独は深刻な
# 問題となっています」 "Food waste is a growing social problem". The subject is a short noun phrase; a
# sentence that first says what is happening (「空き店舗が増え、人通りも減っており、…大きな課題」)
# decomposes the issue and is a problem statement.
_ISSUE_LABEL = (r"(?:全国的な|全国共通の|社会的な?|社会|国民的な?|喫緊の|深刻な|大きな|重要な|世界的な|地球規模の)\s*(?:社会)?"
                r"(?:課題|問題)(?:です|でございます|となって|になって|である|だ|の一つ|のひとつ)")
_ISSUE_LINE_RE = re.compile(
    r"^\W*[^、。,]{1,25}(?:は|が)[、,]?\s*(?:いまや|今や|近年|年々|ますます)?[、,]?\s*" + _ISSUE_LABEL + "|"
    r"^\W*[^,.;]{1,60}\b(?:is|has become|remains|are)\s+(?:now\s+)?(?:a |an )?(?:national|nationwide|social|societal|global|growing|"
    r"serious|pressing)\s+(?:social\s+)?(?:issue|problem|challenge)s?\b"
)


# A free offer with a scope of its own — a place, a count, a period (「公園トイレ1か所に3か月間、無償で」
# "ten bikes at one office for three months, free") — is a concrete deployment. 「導入費用は無料です」
# or 「初回のデモは無料で承ります」 states a price, not a deployment.
_SCOPE_RE = re.compile(
    r"市内|区内|地区|校区|駅|港|公園|施設|センター|庁舎|学校|か所|箇所|カ所|ヶ所|か月|ヶ月|カ月|ケ月|期間|年度|週間|"
    r"\d+\s*(?:台|基|校|園|地区|世帯|人|名|店舗)|"
    r"\b(?:\d+|one|two|three|four|five|six|ten)\s+(?:schools?|sites?|parks?|stations?|wards?|months?|weeks?|facilities|buildings|offices?)\b"
)


# 「市の負担はありません」 "There is no cost to the city:" names the city only to say it pays nothing;
# a role needs something the city does (a venue, data, a permit, an introduction, publicity).
_ROLE_VERB_RE = re.compile(
    r"提供|協力|紹介|案内|周知|広報|告知|許可|調整|橋渡し|共有|貸与|貸し|会場|場所|施設|データ|"
    r"provid|permi|introduc|connect|promot|host|share|\bdata\b|venue|site"
)


def _is_price_note(u: sg.Unit) -> bool:
    return bool(sg.FREE_OFFER_RE.search(u.norm)) and not _ROLE_VERB_RE.search(u.norm)


# Asking the city to consider putting the product at a named place here (「市内の市民センターへの設置を
# ご検討ください」 "place the kiosks in the ward offices in Kokura") proposes a local deployment; a count of
# places elsewhere (「全国320か所に設置されています」) does not.
_LOCAL_DEPLOYMENT_RE = re.compile(
    r"(?:市内|区内|本市|貴市|北九州|[一-龥]{1,3}区)の?\S{0,24}?(?:への|に|で|において)(?:の)?\s*(?:設置|導入|配備|展開|配置|実施|運用)"
    r"(?!され|済|実績|して(?:い|お))\S{0,12}?(?:ご検討|検討|お願い|いただ|させて|したい|提案)|"
    r"\b(?:we(?:'d| would) like to|we propose to|we plan to|could we|may we|let us)\s+(?:install|place|deploy|put|run|set up)\b"
    r"[^.]{0,60}\b(?:in|at|on)\s+(?:the city's|your|kitakyushu|municipal|city-owned|(?:\w+\s+)?ward)\b"
)


def _local_deployment_asks(draft: Draft) -> list[sg.Unit]:
    return [u for u in sg.units(draft)
            if not (u.header or u.title or sg.is_track_record(u)) and _LOCAL_DEPLOYMENT_RE.search(u.norm)]


# A proposal anchored at a named place in the city — a ward, an area, a facility from the gazetteer
# (「門司港の旧庁舎を活用した…事業のご提案」 "we propose a night market in Kokura's Uomachi arcade") — is a
# concrete local deployment, in the title as much as in a sentence. 北九州市 alone is the addressee.
_PROPOSAL_WORD_RE = re.compile(r"提案|\bpropos(?:e|ed|al|als|ing)\b")
_LOCAL_PLACE_KINDS = {"ward", "ward_short", "place"}
# a place that only names the addressees (「小倉北区の皆様へのご提案」 "to the residents of Tobata") anchors nothing
_ADDRESSEES_RE = re.compile(r"(?:皆様|皆さま|皆さん|御中|様)(?:へ|に向け)|\b(?:to|for) (?:the )?(?:residents|people|citizens) of\b")


def _local_site_proposals(draft: Draft) -> list[sg.Unit]:
    out = []
    for u in sg.units(draft):
        if u.header or sg.is_track_record(u) or not _PROPOSAL_WORD_RE.search(u.norm) or _ADDRESSEES_RE.search(u.norm):
            continue
        if any(h.kind in _LOCAL_PLACE_KINDS for h in place_hits(fold(u.text))):
            out.append(u)
    return out


# 「パンフレットを同封いたしました」「資料をご覧ください」 "please find enclosed": brochure voice that
# ``signals.BROCHURE_RE`` does not list.
_ENCLOSED_RE = re.compile(r"同封|ご覧(?:ください|いただけ|になって)|ご一読|\benclosed\b|please (?:find|see)")


# A meeting asked for as the reader's time (「15分だけでもお時間をいただけませんか」 "a few minutes of your
# time") is a meeting request too.
_MEETING_RE = re.compile(
    r"\bmeeting\b|\bcall\b|面談|お打ち合わせ|ご挨拶|お時間(?:を|の)?\S{0,6}?(?:いただ|頂|ちょうだい|割いて|さいて|ください)|"
    r"\d+\s*分(?:だけ|ほど|程度|間)?(?:でも|だけ)|(?:a few|\d+|some|ten|fifteen|twenty|thirty) minutes\b|\bof your time\b")



# A trial open to any customer who signs up (「今なら30日間の無料トライアルをご利用いただけます」 "start your
# free trial today") is a sales promotion, not a trial proposed for this city; the shared
# ``signals.STANDING_OFFER_RE`` reads the 「受付中」 "available on request" wordings of the same offer.
_PROMOTION_RE = re.compile(
    r"(?:トライアル|お試し|試用|デモ|体験版|無料期間)\S{0,10}?(?:を|が)?(?:ご利用|お試し|お申し?込み|お使い)(?:いただけ|になれ|できます)|"
    r"今なら|いまなら|期間限定|先着\d*|キャンペーン|"
    r"\b(?:start|begin|sign up for|register for|claim|get) (?:your |a |our )?(?:\d+-day )?free trial\b|\btry (?:it|us|them) (?:for )?free\b|"
    r"\blimited[- ]time\b")


def _is_promotion(u: sg.Unit) -> bool:
    return bool(_PROMOTION_RE.search(u.norm))


# Asking the city to adopt or buy the product (「北九州市でもこのアプリを導入していただけないでしょうか」
# "would you consider subscribing") is the sale itself, not a part for the city in a proposal.
_ADOPT_ASK_RE = re.compile(
    r"(?:導入|採用|購入|ご契約|契約)(?:して|を)?\S{0,4}?(?:いただけ|頂け|ください|下さい|願え|お願い)|"
    r"\b(?:adopt|buy|purchase|subscribe to|license)\b[^.]{0,30}\b(?:our|the|this) (?:app|product|service|system|platform)")


def _is_ask(norm: str, proposes: bool) -> bool:
    """A 'role' that only asks to be routed, met, or (with nothing proposed) recommended to buyers or
    adopted."""
    return bool(_ROUTING_ASK_RE.search(norm) or _MEETING_RE.search(norm)
                or (not proposes and (_ENDORSE_ASK_RE.search(norm) or _ADOPT_ASK_RE.search(norm))))


def _catalogue_spans(one_solution: CriterionFinding | None) -> list[tuple[int, int]]:
    if one_solution is None or one_solution.verdict != "fail":
        return []
    return [(e.start, e.end) for e in one_solution.evidence if e.signal == "catalogue"]


def _overlaps(u: sg.Unit, spans: list[tuple[int, int]]) -> bool:
    return any(a < u.end and u.start < b for a, b in spans)


# A role left for later (「自治体様にお願いする役割については、導入の際に個別に協議させていただきます」 "the
# city's part will be agreed later") states none. A cost left for later is cost_split's matter.
_DEFERRED_ROLE_RE = re.compile(
    r"(?:役割|ご協力|協力内容|お願いする(?:内容|こと)|分担)\S{0,8}(?:について|に関して|につきまして)は?[、,]?\S{0,30}?"
    r"(?:個別に|別途|改めて|追って|今後|後日|導入の際に)\S{0,8}?(?:協議|ご相談|相談|調整|決定|検討)|"
    r"\b(?:role|roles|responsibilities|part)\b[^.]{0,40}\b(?:to be (?:discussed|decided|agreed|determined)|(?:discussed|decided|agreed) later)\b")


_CITY_ROLE = ("市の役割が書かれています", "it states a role for the city")


def detect_sales_pitch(draft: Draft, findings: dict[str, CriterionFinding]) -> FlagDetail:
    catalogue = _catalogue_spans(findings.get("one_solution"))
    listed = [c.series.extent for c in scope.catalogue_series(draft)] if catalogue else []
    if catalogue and not listed:
        # one_solution read the catalogue by another path than a series (「…を一つのアプリで提供」): the
        # one sentence its evidence points at lists the catalogue's uses
        listed = [(a, b) for a, b in catalogue if any(u.start <= a and b <= u.end for u in sg.units(draft))]
    # a menu item's own description (「■ 防災学習VR／…を学校向けに提供します」) proposes no deployment here
    menus = scope.generic_menu_extents(draft) if catalogue else []
    proposals = [u for u in sg.proposal_units(draft) + _local_deployment_asks(draft) + _local_site_proposals(draft)
                 if not _overlaps(u, menus) and not _is_promotion(u)]
    # the uses a catalogue lists (「防犯、交通量調査、不法投棄の見張りなど」) are not problems, nor is
    # the bare word in 「市の課題に合わせて」, or not knowing whom to contact (「どちらの局がご担当か存じ上げず」)
    asking_whom = {(u.start, u.end) for u in scope.open_counterpart_units(draft) + sg.unclear_counterpart_units(draft)}
    # nor trends behind the writer's mission, a rhetorical 「こんなお悩みはありませんか？」 with its
    # checklist, or an offer to hear the city's problems (``signals.issue_backdrop_starts``)
    backdrop = sg.issue_backdrop_starts(draft)
    problems = [u for u in sg.problem_units(draft)
                if not _overlaps(u, listed) and (u.start, u.end) not in asking_whom and u.start not in backdrop
                and not (_GENERIC_PROBLEM_RE.search(u.norm) and not sg.size_quantities(u))
                and not sg.issue_states_nothing(u) and not sg.sales_writer_acts(u) and not _MEETING_RE.search(u.norm)]
    all_roles = sg.city_role_units(draft)
    # the sentence that lists the catalogue is the company's offer, not a part for the city
    # … nor what another city did (「・A市：問い合わせ電話が減少」 under 【導入事例】), nor the writer's
    # description of its own business (「当社は、市民向けに…を提供しています」)
    roles = [u for u in all_roles if not _is_ask(u.norm, bool(proposals)) and not _overlaps(u, listed)
             and not _is_price_note(u) and not sg.is_track_record(u) and not sg.issue_is_testimonial(u)
             and not sg.sales_is_self_description(u) and not sg.sales_writer_acts(u) and not _DEFERRED_ROLE_RE.search(u.norm)]
    agreements = sg.agreement_units(draft)
    free = [u for u in sg.free_offer_units(draft) if not _is_promotion(u)]
    brochure = sg.brochure_units(draft) + [u for u in sg.units(draft) if _ENCLOSED_RE.search(u.norm)]

    cost = findings.get("cost_split")
    # cost_split's city role counts unless all it rests on is such an ask
    cost_role_texts = [sg.normalize(e.text)[0] for e in (cost.evidence if cost else []) if e.signal == "city_role"]
    cost_role_is_ask = bool(cost_role_texts) and all(
        _is_ask(t, bool(proposals)) or any(sg.sales_writer_acts(u) for u in sg.units(draft) if t in u.norm) for t in cost_role_texts)
    city_role_found = (bool(cost and "city_role" in cost.present) and (bool(roles) or not all_roles)
                       and not (cost_role_is_ask and not roles))
    # a menu offered to the city that does not even call itself a proposal is a brochure, whatever
    # its wording (「【官民連携メニュー】… ご関心のあるメニューからご一緒させてください」)
    if catalogue and not brochure and not _PROPOSES_RE.search(draft.normalized.lower()):
        brochure = [u for u in sg.units(draft) if _overlaps(u, catalogue)]

    reasons_not = []
    # a problem named only in general terms (「空き家問題は全国的な社会課題です」) heading a brochure
    # is a bolted-on line, not a problem the draft works from
    concrete = [u for u in problems if not _is_generic_problem(u)]
    if concrete:
        reasons_not.append((("課題が書かれています", "it states a problem"), concrete[0]))
    if roles:
        reasons_not.append((_CITY_ROLE, roles[0]))
    if proposals:
        reasons_not.append((("具体的な実施の提案があります", "it proposes something concrete to carry out"), proposals[0]))
    if agreements:
        reasons_not.append((("連携協定の提案です", "it proposes a partnership agreement"), agreements[0]))
    # 「費用は当社負担」 alone is only the price line of a brochure: a free offer is a reason on its own
    # only with a scope (a place, a count, a period), and otherwise only next to another reason
    if free and (reasons_not or city_role_found or any(_SCOPE_RE.search(u.norm) for u in free)):
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
