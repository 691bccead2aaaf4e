"""Judge for why_this_city — 「なぜこの自治体なのか」を明確にすること.

Rubric (``../shared/rubric.md`` §2): *pass* ties the proposal to facts or plans particular to
北九州市 (新ビジョン, a 分野別計画 or 市政変革 action, a ward/area/facility, local data, its powers
as a 政令指定都市) **and says why** that makes Kitakyushu the right place; *partial* names the city
(or 貴市) with reasoning that would fit any city, or shows local facts without a link; *fail* is a
generic nationwide pitch, a draft addressed to another city or to a placeholder (〇〇市), or one
that never names the city at all.

The judge therefore looks for four things, each with evidence spans:

- ``city_named`` — 北九州市 / 貴市 / Kitakyushu or one of its places, anywhere (the letterhead
  counts for naming, rubric: "named only in the salutation or letterhead: partial");
- ``local_fact`` — gazetteer places, local data and distinctions (政令市で最多, 全国初, 24時間空港 …)
  in the body (not in the sender's address block);
- ``plan_link`` — 新ビジョン strategies, sector plans, 市政変革;
- ``why_here`` — a reason phrase (だからこそ, ならでは, 他都市にない, 最適, 強み, "the place where" …) or a
  「なぜ北九州市か」 section whose sentences carry those facts.

Universal claims (「全国どこでも」「どの自治体でも」「北九州市でも…全国と同様」) keep a draft without a
stated reason at partial. Another city as the *addressee* (salutation, 「…市 御中」, a placeholder)
fails the draft even when a Kitakyushu place is its site; another city's *plan* beside local facts
caps it at partial. A badge many cities hold (SDGs未来都市, 環境モデル都市, 国際都市) is a reason only
when the draft ties it to its own subject; a 「なぜ北九州市か」 answer made of untied badges and praise
(「新しいことに挑戦する先進的な自治体だから」) is reasoning that would fit any city (partial).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.analysis import scope
from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.analysis.gazetteer import OtherCityHit, other_city_hits, place_hits
from coach.analysis.layout import Layout, Line
from coach.models import Bilingual, CriterionFinding, Evidence

# Weight of each gazetteer kind as a local fact (bureaus exist in every city: not a fact).
_FACT_WEIGHT = {"ward": 1.0, "ward_short": 1.0, "place": 1.0, "strategy": 1.0, "plan": 1.0, "epithet": 0.5}

# Distinctions of the city: superlatives, firsts, designations. Counted with a city anchor.
_DISTINCTION = re.compile(
    r"政令(?:指定都)?市(?:\d+市)?(?:の中|中|で|では|の)?(?:で)?(?:最も|最多|最大|最高|最小|最少|初|唯一|トップ|一番|1位)|"
    # 「政令市の中で保有する公共施設の量が最も多く」「市内で人口が最も多い区」「人口最多の区」
    r"(?:政令(?:指定都)?市|市内|区内|全国|九州)(?:の中|中)?で(?:は)?[^。、]{1,16}?(?:最も|最多|最大|最高|一番)|"
    r"(?:人口|面積|高齢化率|世帯数|事業所数)(?:が)?(?:最多|最大|最高|一番)|"
    r"全国(?:で|の市町村で|でも)?(?:初|唯一|最多|最大|トップ|1位|ワースト)|全国に先(?:駆|が)け|"
    r"九州(?:で|の)?(?:初|唯一|最大|最北)|"
    r"日本(?:初|一|で唯一)|世界(?:初|遺産|文化遺産)|\d+年ぶり|国家戦略特区|ランキング|"
    r"に選(?:ばれ|定)|に認定|に指定|として知られ|\d+時間空港|24-hour|24 hours|"
    r"first in japan|japan's first|only .{0,20} in kyushu|world heritage|national strategic (?:special )?zone|"
    r"sdgs future city|"
    r"environmental (?:model|future) city|(?:kitakyushu|the city) is home to|most (?:aged|elderly) .{0,20}designated")
# The city's own powers and institutions as a 政令指定都市 (weak alone: every 政令市 has wards).
_POWERS = re.compile(
    r"政令(?:指定都)?市|7つの区|7区|七つの区|交通局|市営バス|港湾管理者|児童相談所|保健所設置|"
    r"designated city|port (?:and|&) airport bureau|managed directly by the city|seven wards|"
    r"(?:runs|operates) its own (?:bus|port|transport)|its own bus network|port manager|"
    r"市が自ら|自ら[^。]{0,10}(?:運営|持ち|持つ|管理|運行)")
# 「…区」 names a ward; 「地区」「校区」「学区」「特区」 are generic areas any city has.
_WARD_WORD = r"[一-龥]{1,3}(?<![地校学特選街])区"
_ANCHOR = re.compile(r"北九州|本市|貴市|市内|市の|当市|市が|市は|市では|kitakyushu|the city|" + _WARD_WORD)
# Local data: an anchor, a number and a data word in one sentence.
_DATA_WORD = re.compile(
    r"高齢化率|人口|世帯|転入|転出|空き家|保有量|市債|利用者|来訪者|観光客|外国人|事業所|企業|就業者|戸|延床|面積|"
    r"児童|生徒|患者|件数|割合|率|目標|削減|population|residents|visitors")
_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万億]+(?:人|件|%|割|戸|社|校)")

# A stated reason: the draft argues why here.
_WHY_PHRASE = re.compile(
    r"だからこそ|からこそ|こそ[、,]|ならでは|他(?:の)?(?:どの)?(?:都市|自治体|地域|港|まち)(?:に|には|では)(?:も)?(?:ない|無い|見られない)|"
    r"他都市(?:に|には|より)|全国(?:的に)?でも(?:珍し|唯一|まれ|例)|唯一の|最適|最も(?:活か|適|必要|ふさわし|効果)|"
    r"最も[^。]{0,8}(?:貢献|役立|活か|生か|効果)|"
    r"強み|適して|適した|ふさわしい|条件が(?:そろ|揃)|意味があ|理由(?:の一つ|です|である|は)|特徴があ|の特徴であり|"
    r"相性が良|相性がよ|利点|完結(?:でき|する)|地元(?:で|の)最初|最初に(?:地元|北九州)|足元で|ここだけ|ここしか|"
    r"(?:他|ほか)に(?:は)?(?:ない|無い)|only here|nowhere else|(?:北九州市?|本市|貴市|[一-龥]{1,3}区)なら(?:ば)?[、,]|"
    r"is the place|the right place|the place where|why here|why kitakyushu|unlike|uniquely|only place|"
    r"ideal|best (?:place|field|first)|perfect|advantage|strength|exactly (?:the|where|what)|makes (?:it|kitakyushu)|"
    r"which is why|that is why|\bis why\b|belongs here|links naturally|here,? one|here one|"
    # a rarity claim: 「…を試せる都市はほとんどありません」「そうした自治体は限られます」 "few other cities have"
    r"(?:都市|自治体|まち|地域|市)は[、,]?(?:全国(?:で|に)も[、,]?)?(?:ほとんど|ほぼ|他に|ほかに|めったに)(?:ありません|ない|無い|見当たらない)|"
    r"(?:都市|自治体|まち|地域)は[、,]?(?:全国(?:で|に)も[、,]?)?(?:限られ|少な|まれ|珍し)|"
    r"\b(?:few|no) other (?:cities|municipalities|places)\b")
_BACK_REFERENCE = re.compile(r"\s*(?:だからこそ|そのため|このため|それゆえ|したがって|そこで|こうした|この(?:ような)?"
                             r"(?:特徴|条件|環境|強み)|so\b|therefore|that is why|this is why|this makes)")
# Places Kitakyushu shares with its neighbours across the straits and seas.
_BORDER = re.compile(r"関門|人道トンネル|周防灘|豊前海|響灘|玄界灘|kanmon|hibikinada")
# The city as the actor of a plan: 「…と市が示しています」「市も…の方針で…を進めている」 "the city plans to".
_CITY_DECISION = re.compile(
    r"(?:北九州市?|本市|貴市|市)(?:が|も|では|は)[^。]{0,60}?(?:示し|定め|進め|掲げ|決め|公表|打ち出し|位置づけ|位置付け|"
    r"計画して|予定して|検討して)|(?:計画|方針|ビジョン|プラン)(?:で|では|に基づ|に沿)[^。]{0,40}(?:市が|市は|市も)|"
    r"(?:kitakyushu|the city) (?:plans|has decided|announced|is planning|has set out|aims) to")
# Choosing where to start: 「まず区単位で」「…から始め」「…を対象に」「…で試行」 "start with", "first in".
_SITE_CHOICE = re.compile(r"まず|から始め|からスタート|を(?:対象|選|モデル)|で(?:試行|試し|先行|実証)|"
                          r"\bstart(?:ing)? (?:with|in)\b|\bfirst in\b|\bpilot (?:in|at)\b")
# A sentence that takes the previous one up: 「この…」「その中でも」 "This period …".
_TAKEN_UP = re.compile(r"\s*[^。]{0,12}?(?:この|その|こうした|そうした|これを|それを)|\s*(?:this|that|these)\b")
_ALIGN = re.compile(r"に沿(?:い|う|って|った)|に合致|に資する|に貢献|につなが|と一致|in line with|contributes? to")
_PLACE_WORD = re.compile(r"都市|まち|場所|フィールド|ここ|北九州|本市|貴市|地域|city|place|here|field")
_CAUSAL = re.compile(r"(?<!も)ので(?!す)|ため[、,]|ことから|だけに|一因|原因|背景(?:に|には)|増える見込み|増え続け|"
                     r"because|since|so that|, so\b|which means|this means")
_WHY_LABEL = re.compile(r"^[^:：。]{0,20}(?:なぜ|理由|選んだ|意義|why\b)[^:：。]{0,20}[:：]\s*\S")
_WHY_HEADING = re.compile(
    r"なぜ|理由|選んだ|意義|why\b|ならでは|に適した|実施場所")
_UNIVERSAL = re.compile(
    r"どの(?:自治体|地域|都市|施設|学校|まち|市町村)(?:の[^。]{0,12})?でも|全国どこ|どこでも(?:実施|導入|展開|利用|同じ)|"
    r"全国一律|汎用的|標準的に|全国(?:の[^。]{0,12})?共通|多くの自治体に共通|全国と同(?:様|じ)|"
    r"他の(?:地方)?(?:都市|自治体)と同様|地方都市と同様|全国の地方都市|大規模自治体ほど|"
    r"自治体(?:様)?(?:の皆様|各位)|日本の自治体|全国の自治体の皆様|日本の皆(?:様|さま)|日本全国|地域を選ば|場所を選ば|"
    r"japanese (?:cities|municipalities|local governments)|cities across japan|any region|"
    r"any city|anywhere in|every city|no local customi[sz]ation|municipal partner|any municipality")
# 「北九州市でも…」: the city as one more example of a national trend.
_ALSO = re.compile(r"(?:北九州市?|貴市|市内|本市)(?:内)?(?:でも|においても|におかれましても|も、?(?:全国|他の))")
_OTHER_FRAME = re.compile(r"(?:計画|ビジョン|戦略|方針|プラン|施策)")
# English: "Fukuoka City's transport plan", "Fukuoka City Comprehensive Transport Strategy".
_OTHER_FRAME_EN = re.compile(r"(?:'s|’s)?\s*(?:[a-z-]+\s+){0,3}(?:plan|strategy|vision|policy)\b")
_SALUTE = re.compile(r"御中|様|皆様|皆さま|ご担当|各位|dear|^to\b|市長|甲|乙|なぜ|why|[:：]")


# The sender's own line: its address names the sender's city, not the addressee.
_SENDER_LINE = re.compile(r"^\W*(?:提案者|提案企業|提案団体|差出人|発信者|応募者|事業者名|会社名|所在地|住所|本社|from)\s*[:：]", re.IGNORECASE)

# A sentence that only profiles or praises the city: 「北九州市は…で知られる魅力あるまちです」
# 「北九州市は人口約91万人の政令指定都市で、7つの区があります」「若松区にも多くの観光資源があります」.
_PROFILE = re.compile(
    r"^[^。]{0,4}(?:北九州市?|本市|貴市|kitakyushu)(?:は|には)[^。]*(?:で知られ|として知られ|魅力(?:ある|的な|あふれる)|を誇る|有名な|"
    r"豊かな|恵まれた|の政令指定都市|政令指定都市で)|"
    r"(?:観光資源|見どころ|名所|魅力)が(?:多く|たくさん|数多く)?(?:あり|ございます)")
# A profile sentence carrying the proposal's own words is not only a profile.
_PROFILE_BREAK = re.compile(r"当社|弊社|私たち|提案|実証|課題|ため|ので|から|こそ|we\b|our\b")

_NAMED_KINDS = {"ward", "ward_short", "place", "strategy", "plan", "epithet"}


@dataclass
class _Fact:
    start: int
    end: int
    weight: float
    kind: str
    sentence: int
    text: str = ""


def _facts(draft: Draft, lay: Layout) -> tuple[list[_Fact], list, bool]:
    """Local facts in the body, all city/place mentions, and whether the city is named at all."""
    folded = lay.folded
    hits = place_hits(folded)
    facts: list[_Fact] = []
    named = False
    for h in hits:
        if h.kind == "bureau":
            continue
        named = True
        if h.kind == "city":
            continue
        if lay.in_sender(h.start, h.end):
            continue
        facts.append(_Fact(h.start, h.end, _FACT_WEIGHT.get(h.kind, 1.0), h.kind, lay.sentence_index(h.start),
                           h.text))
    for i, s in enumerate(draft.sentences):
        st = folded[s.start:s.end]
        if lay.in_sender(s.start, s.end):
            continue
        anchored = bool(_ANCHOR.search(st))
        for m in _DISTINCTION.finditer(st):
            if anchored:
                facts.append(_Fact(s.start + m.start(), s.start + m.end(), 1.0, "distinction", i))
        for m in _POWERS.finditer(st):
            facts.append(_Fact(s.start + m.start(), s.start + m.end(), 0.5, "power", i))
        if re.search(r"北九州|本市|貴市|市内|kitakyushu|" + _WARD_WORD, st) and _NUMBER.search(st) \
                and _DATA_WORD.search(st):
            # 「北九州市の高齢化率は31%」 (the city as the subject) is a fact about the city; 「当社が
            # 市内の3施設で行った調査では」 is the proposer's own evidence, weighed less.
            about_city = bool(re.match(r"[^。]{0,6}?(?:北九州市?|本市|貴市|kitakyushu)(?:は|の|では|,| is| has)", st))
            facts.append(_Fact(s.start, s.end, 1.0 if about_city else 0.75, "local_data", i))
    return facts, hits, named


def _root(name: str, facts: list[_Fact]) -> str:
    """The shortest place name among the facts that this one contains (門司港レトロ → 門司港)."""
    roots = [f.text for f in facts if f.kind == "place" and f.text != name and f.text in name]
    return min(roots, key=len) if roots else name


def _fact_key(f: _Fact, facts: list[_Fact]) -> object:
    """What makes two facts the same: the (root) name for named ones, the position for the rest."""
    if f.kind == "place":
        return _root(f.text, facts)
    return f.text if f.kind in _NAMED_KINDS else f.start


def _fact_score(facts: list[_Fact], lo: int, hi: int) -> float:
    """Sum of distinct fact weights with an offset in [lo, hi) (one power counts once)."""
    seen: set[tuple[str, object]] = set()
    powers = 0
    score = 0.0
    for f in facts:
        if lo <= f.start < hi:
            # A place named five times is still one place; 「旦過」 inside 「旦過市場」 too.
            key = (f.kind, _fact_key(f, facts))
            if key in seen:
                continue
            seen.add(key)
            if f.kind == "power":
                # Two different powers (7つの区役所, 政令市の体制) describe a mechanism; more repeat it.
                powers += 1
                if powers > 2:
                    continue
            score += f.weight
    return min(score, 5.0)


def _other_city_addressed(draft: Draft, lay: Layout) -> list[OtherCityHit]:
    """Other cities the draft is *addressed to* or framed by: salutations, placeholders (〇〇市),
    「下関市様：…」 role lines, 「なぜ福岡市か」 headings and other cities' plans. A mere mention
    (「福岡空港と違い」「A市での実績」) is not counted."""
    folded = lay.folded
    out: list[OtherCityHit] = []
    for o in other_city_hits(draft):
        if o.kind == "prefecture":
            continue
        line = lay.line_at(o.start)
        ltxt = line.text if line else ""
        if _SENDER_LINE.match(ltxt) or (line is not None and lay.in_sender(o.start, o.end)
                                        and re.search(r"(?:〒|[(（])[^)）]*$", folded[line.start:o.start])):
            continue  # 「提案者：株式会社X（大阪市北区）」: where the sender is, not whom it addresses
        after = folded[o.end:o.end + 16]
        if _is_addressed(o, line, ltxt, after, folded):
            out.append(o)
    return out


def _is_addressed(o: OtherCityHit, line: Line | None, ltxt: str, after: str, folded: str) -> bool:
    """Whether a mention of another city (or a placeholder) is whom the draft addresses or whose
    plan it builds on, rather than a passing comparison. One test per way of addressing."""
    if o.kind == "placeholder":
        return True
    if line is not None and (line.header or line.heading) and _SALUTE.search(ltxt):
        return True  # in a salutation or heading line
    if re.match(r"\s*(?:様|御中|の皆様|の皆さま|長\s|[:：]|において|の方針|が抱える)", after):
        return True  # 「福岡市御中」「〇〇市長 」「下関市が抱える」
    if _OTHER_FRAME.search(after[:12]) and re.match(r"[\s　]?[^。、\s]{0,10}(?:計画|ビジョン|戦略|方針|プラン)", after):
        return True  # the other city's plan as the frame
    if o.kind == "english" and _OTHER_FRAME_EN.match(after + folded[o.end + 16:o.end + 48]):
        return True  # "Fukuoka City's transport plan calls for …": the other city's plan as the frame
    return o.kind == "english" and bool(
        re.search(r"^(?:dear|to|hello|hi)\b", ltxt) or re.search(r"why\W{0,3}$", folded[max(0, o.start - 6):o.start]))


# Titles the state or the press give to many cities (SDGs未来都市 is held by some 200): a badge says the
# city is forward-looking, not why this proposal belongs here, unless the draft ties it to its subject.
_BADGE = re.compile(r"sdgs未来都市|sdgs future city|環境(?:未来|モデル)都市|environmental (?:model|future) city|環境首都|"
                    r"国際都市|international city|国家戦略特区|national strategic (?:special )?zone|新三大夜景|"
                    r"起業家に優しい|startup[- ]friendly")
# The proposal itself named in a sentence: 「本提案」「当社の…」 "our pilot".
_PROPOSAL_WORD = re.compile(r"本提案|この提案|今回の提案|本事業|本実証|当社の|弊社の|私たちの|"
                            r"this (?:proposal|pilot|project)|our (?:pilot|proposal|service|solution|project)")


def _badge_facts_untied(draft: Draft, lay: Layout, facts: list[_Fact]) -> set[int]:
    """Offsets of badge facts whose sentence neither names the proposal nor shares a policy field with
    the rest of the draft: 「SDGs未来都市で、新しいことに挑戦する先進的な自治体だから」 beside a
    leak-detection or 見守り proposal (rubric §2 partial: reasoning that would fit any city)."""
    folded = lay.folded
    out: set[int] = set()
    for f in facts:
        if not _BADGE.search(folded[f.start:f.end]) and not (f.kind == "distinction" and _BADGE.search(f.text or "")):
            continue
        sent = draft.sentences[f.sentence] if 0 <= f.sentence < len(draft.sentences) else None
        if sent is None:
            continue
        st = folded[sent.start:sent.end]
        rest = folded[:sent.start] + folded[sent.end:]
        # the badge's own words (環境モデル都市 → 環境) are no shared field
        own_areas = scope.areas_of(_BADGE.sub("", st))
        if _PROPOSAL_WORD.search(st) or own_areas & scope.areas_of(rest):
            continue
        out.add(f.start)
    return out


def _badge_answer(draft: Draft, lay: Layout, facts: list[_Fact], untied: set[int]) -> bool:
    """The draft's own answer to 「なぜ北九州市か」 (a why heading or label) rests only on untied badges."""
    spans = [(sec.start, sec.end) for sec in lay.sections
             if sec.heading is not None and _WHY_HEADING.search(sec.heading.text)]
    spans += [(ln.start, ln.end) for ln in lay.lines if not ln.heading and _WHY_LABEL.match(ln.text)]
    for lo, hi in spans:
        inside = [f for f in facts if lo <= f.start < hi]
        # a reason argued beside the badge (「有人離島を持つ政令市はほとんどありません」) is an answer of its own
        argued = any(lo <= s.start < hi and _WHY_PHRASE.search(lay.folded[s.start:s.end])
                     and not _BADGE.search(lay.folded[s.start:s.end]) for s in draft.sentences)
        if inside and not argued and all(f.start in untied or f.kind == "power" for f in inside):
            return True
    return False


# A salutation line: the addressee and an addressing word, nothing else (「福岡市 住宅都市局 御中」
# 「熊本市 ご担当者様」「福岡市の皆様へ」 "Dear Fukuoka City team,").
_SALUTATION_LINE = re.compile(r"^[^。.!?]{0,60}(?:御中|様|各位|の皆様|の皆さま)(?:へ)?\s*[,、:：]?\s*$|^\W*(?:dear|to)\b[^.!?]{0,80}$",
                              re.IGNORECASE)


def _addressee(o: OtherCityHit, lay: Layout) -> bool:
    """Whether another city is whom the draft is addressed to — a placeholder, or the salutation at the
    top of the draft — rather than a plan it cites or a client it served (「■福岡市での実績」
    「福岡市様でも同様の取組を行いました」) (rubric §2: addressed as another city → fail; another city's
    plan beside local facts → partial)."""
    if o.kind == "placeholder":
        return True
    line = lay.line_at(o.start)
    if line is None or not _SALUTATION_LINE.search(line.text.strip()):
        return False
    opening = [ln for ln in lay.lines if ln.text.strip()][:4]
    return any(ln.start == line.start for ln in opening)


def _kitakyushu_addressed(lay: Layout) -> bool:
    """「北九州市・下関市 御中」: Kitakyushu is an addressee too (a joint letter), so another city in the
    salutation does not make the draft someone else's."""
    return any(re.search(r"北九州|kitakyushu|貴市", ln.text, re.IGNORECASE) and _SALUTATION_LINE.search(ln.text.strip())
               for ln in lay.lines)


def _why_links(draft: Draft, lay: Layout, facts: list[_Fact], body_score: float) -> tuple[float, list[int]]:
    """How strongly the draft argues *why here*: the best fact score behind a reason phrase, a
    place-led causal sentence or a 「なぜ北九州市か」 section; and where those reasons are."""
    folded = lay.folded
    sents = draft.sentences
    where: list[int] = []
    link = 0.0
    for i, s in enumerate(sents):
        st = folded[s.start:s.end]
        # 「…政令市で最も高い。そのため、…を確かめられる都市です」: a connector pointing back at a fact
        # and a sentence about the place is a reason too.
        back = i > 0 and bool(_BACK_REFERENCE.match(st)) and bool(_PLACE_WORD.search(st))
        if lay.in_sender(s.start, s.end) or not (_WHY_PHRASE.search(st) or back):
            continue
        lo = sents[max(0, i - 2)].start
        hi = sents[min(len(sents) - 1, i + 1)].end
        sec = lay.section_at(s.start)
        own = _fact_score(facts, s.start, s.end)
        near = max(_fact_score(facts, lo, hi), _fact_score(facts, sec.start, sec.end) if sec.heading else 0.0)
        # Facts in the reason's own sentence count fully; facts around it at three quarters, unless
        # the reason points back to the sentence before (「…。だからこそ、…」).
        if i > 0 and _BACK_REFERENCE.match(st):
            own = max(own, _fact_score(facts, sents[i - 1].start, s.end))
        score = max(own, min(near, own + 1.0) if own > 0 else near * 0.75)
        if score > 0:
            where.append(s.start)
            link = max(link, score)
    for s in sents:
        # 「計画に掲げられた「40年で20%削減」の目標に沿い…」: the proposal aligned with a plan *and* a
        # concrete local fact in the same sentence (a bare 「新ビジョンに資する」 is not enough).
        st = folded[s.start:s.end]
        if lay.in_sender(s.start, s.end) or not _ALIGN.search(st):
            continue
        concrete = [f for f in facts if s.start <= f.start < s.end and f.kind not in ("plan", "strategy", "power")]
        if concrete:
            score = 0.75 * _fact_score(facts, s.start, s.end)
            if score >= 1.0:
                where.append(s.start)
                link = max(link, score)
    for s in sents:
        # 「黒崎は区役所も駅もすぐ近くなので…」: a place as the topic of a causal sentence.
        st = folded[s.start:s.end]
        if lay.in_sender(s.start, s.end) or not _CAUSAL.search(st):
            continue
        lead = [f for f in facts if s.start <= f.start < s.start + 14 and f.weight >= 1.0
                and f.kind not in ("local_data", "distinction")]
        english = draft.language == "en"
        # English: "Kitakyushu is home to X and Y, so students here can …" (the shared splitter keeps an
        # English paragraph whole, so the facts and the consequence sit in one "sentence").
        if (lead and re.match(r"[^。]{0,16}?(?:は|には|では)[、,]?", st)) or english:
            own = _fact_score(facts, s.start, s.end)
            if own >= 1.0:
                where.append(s.start)
                link = max(link, own)
    problems = sg.problem_units(draft)
    for s in sents:
        # 「北九州市は政令市で最も多くの公共施設を持ち、公共施設マネジメントの中で…が課題になっています」:
        # a distinction of the city and a second local fact (a plan, a place) in the very sentence
        # that states the problem say why the problem is this city's. (A distinction alone, or one
        # the problem sentence only points back to — 「…最も高い。そのため…」 — is not enough.)
        if lay.in_sender(s.start, s.end) or not any(u.start < s.end and s.start < u.end for u in problems):
            continue
        if any(f.kind == "distinction" and s.start <= f.start < s.end for f in facts):
            own = _fact_score([f for f in facts if f.kind != "power"], s.start, s.end)
            if own >= 2.0:
                where.append(s.start)
                link = max(link, own)
    for s in sents:
        # 「八幡西区は人口最多で空き地も多い区、まず区単位で」「政令市で最も高齢化が進む八幡東区から始めます」:
        # a distinction of a named place given as the reason the pilot starts there.
        st = folded[s.start:s.end]
        if lay.in_sender(s.start, s.end) or not _SITE_CHOICE.search(st):
            continue
        inside = [f for f in facts if s.start <= f.start < s.end]
        if any(f.kind == "distinction" for f in inside) and any(f.kind in _NAMED_KINDS and f.weight >= 1.0 for f in inside):
            own = _fact_score([f for f in inside if f.kind != "power"], s.start, s.end)
            if own >= 2.0:
                where.append(s.start)
                link = max(link, own)
    for i, s in enumerate(sents):
        # 「門司区の旧競輪場跡地は、公共施設再配置のモデルとして暫定広場にすると市が示しています。この期間を…
        # 試す場にしたい」: the city's own plan for a named place, taken up as the proposal's frame by the
        # next sentences (「この」「その中でも」). A plan named without a place (「新ビジョンに資する」) is not enough.
        st = folded[s.start:s.end]
        if lay.in_sender(s.start, s.end) or not _CITY_DECISION.search(st):
            continue
        own = _fact_score([f for f in facts if f.kind != "power"], s.start, s.end)
        planned = any(f.kind in ("plan", "strategy") and s.start <= f.start < s.end for f in facts)
        if own < 2.0 or not planned:
            continue
        if any(_TAKEN_UP.match(folded[t.start:t.end]) for t in sents[i + 1:i + 3]):
            where.append(s.start)
            link = max(link, own)
    for line in lay.lines:
        # 「なぜ小倉城か：市の中心にある城で…」: a why label with its answer on the same line.
        if line.heading or not _WHY_LABEL.match(line.text):
            continue
        score = _fact_score(facts, line.start, line.end)
        if score > 0:
            score += min(1.0, 0.5 * max(body_score - score, 0.0))
            link = max(link, score)
            where.append(line.start)
    for sec in lay.sections:
        if sec.heading is None or not _WHY_HEADING.search(sec.heading.text):
            continue
        if not re.search(r"北九州|貴市|本市|当市|[一-龥]{1,4}区|ここ|この(?:地|まち|場所)|kitakyushu|here|"
                         r"[一-龥ァ-ヶ]{2,6}(?:か|なのか)$|実施|選んだ|意義", sec.heading.text):
            continue
        score = _fact_score(facts, sec.start, sec.end)
        if score > 0:
            # Facts given earlier (the problem section) back the reasons given here.
            score += min(1.0, 0.5 * max(body_score - score, 0.0))
            link = max(link, score)
            where.append(sec.heading.start)
    return link, where


def _names(draft: Draft, facts: list[_Fact], kinds: set[str], limit: int = 3) -> list[str]:
    out: dict[str, None] = {}
    for f in facts:
        if f.kind in kinds:
            out.setdefault(draft.text[f.start:f.end], None)
    return list(out)[:limit]


def _found(names: list[str], fallback: tuple[str, str]) -> tuple[str, str]:
    """The named facts for a reason, (ja, en); the draft's own words, or a fallback phrase."""
    if not names:
        return fallback
    return "・".join(names), _quoted(names)


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _profile_sentence(draft: Draft, lay: Layout, index: int) -> bool:
    if not 0 <= index < len(draft.sentences):
        return False
    s = draft.sentences[index]
    st = lay.folded[s.start:s.end]
    return bool(_PROFILE.search(st)) and not _PROFILE_BREAK.search(st)


_SITE_KINDS = {"ward", "ward_short", "place"}


def _sited_problem(draft: Draft, lay: Layout, facts: list[_Fact]) -> tuple[list[int], list[str]]:
    """The problem itself says why here: its evidence of size was gathered in the city (a count or survey
    at a named ward or place — 「小倉駅南口から半径300mを数えたところ約180台」 — or the city's own data)
    and the proposal is sited at a named place of the city (its title, a proposal or a role line). The
    place is then where the measured problem is, not a stage or a backdrop that suits the product
    (「歴史的建造物が多く、当社のサービスと親和性が高い」 stays a fact without a link, rubric §2 partial).
    Returns the evidence offsets and the proposal's place names."""
    units = sg.units(draft)
    evidence = {u.start for u in sg.size_evidence_units(draft)[0]}
    where: list[int] = []
    for i, u in enumerate(units):
        if u.start not in evidence or lay.in_sender(u.start, u.end):
            continue
        # the place may be named in the sentence that opens the same paragraph's account
        lo = units[i - 1].start if i > 0 and units[i - 1].line == u.line else u.start
        if any(lo <= f.start < u.end and (f.kind in _SITE_KINDS or f.kind == "local_data") for f in facts):
            where.append(u.start)
    if not where:
        return [], []
    sites = [u for u in units if u.title] + sg.proposal_units(draft) + sg.city_role_units(draft)
    named = [f for f in facts if f.kind in _SITE_KINDS and f.weight >= 1.0 and not lay.in_sender(f.start, f.end)
             and any(u.start <= f.start < u.end for u in sites)]
    if not named:
        return [], []
    return where, list(dict.fromkeys(draft.text[f.start:f.end] for f in named))[:3]


def _staging_units(draft: Draft) -> list[sg.Unit]:
    """The title, the city's role lines and the goal lines: where a place is the stage, not a reason."""
    return [u for u in sg.units(draft) if u.title] + sg.city_role_units(draft) + sg.outcome_units(draft)[0]


def _named_only_as_kishi(hits: list) -> bool:
    """The city is named only as 「貴市」/「御市」 (no 北九州, no ward or place): an address line any city
    could receive."""
    named = [h for h in hits if h.kind != "bureau"]
    return bool(named) and all(h.kind == "city" and not re.search(r"北九州|kitakyushu", h.text, re.IGNORECASE) for h in named)


def judge_why_this_city(draft: Draft) -> CriterionFinding:
    lay = Layout.of(draft)
    folded = lay.folded
    facts, hits, named = _facts(draft, lay)
    other_addressed = _other_city_addressed(draft, lay)
    body_score = _fact_score(facts, 0, len(folded))
    link, why_at = _why_links(draft, lay, facts, body_score)
    untied = _badge_facts_untied(draft, lay, facts)
    # The draft's own answer to 「なぜ北九州市か」 is only a badge: whatever else it names, the reason it
    # gives would fit any city with the same title (rubric §2 partial).
    badge_answer = bool(untied) and _badge_answer(draft, lay, facts, untied)
    if badge_answer:
        link, why_at = 0.0, []
    elif untied and link >= 1.0:
        # a reason that rests on badges alone is judged without them
        kept = [f for f in facts if f.start not in untied]
        link, why_at = _why_links(draft, lay, kept, _fact_score(kept, 0, len(folded)))

    strong = [f for f in facts if f.weight >= 1.0]
    distinct_strong = len({folded[f.start:f.end] for f in strong if f.kind != "local_data"})
    distinct_any = len({(f.kind, _fact_key(f, facts)) for f in facts})
    # Facts woven through the draft, not one descriptive sentence about the place.
    # (a sentence praising or profiling the city — 「北九州市は門司港レトロや小倉城で知られる魅力ある
    # まちです」 — shows facts without linking them to anything, so it does not count as woven in)
    # Places that only name the venue in the title, a role line (「市：小倉駅前の使用許可」) or a KPI line
    # (「市内宿泊率30%」) use the city as a stage; they do not weave it into the argument.
    staging = _staging_units(draft)
    fact_sentences = len({f.sentence for f in facts if not _profile_sentence(draft, lay, f.sentence)
                          and not any(u.start <= f.start < u.end for u in staging)})
    universal = [m for m in _UNIVERSAL.finditer(folded) if not lay.in_sender(m.start(), m.end())
                 or "自治体" in m.group() or "partner" in m.group()]
    also = list(_ALSO.finditer(folded))

    signals = {
        "city_named": float(named),
        "local_fact_score": round(body_score, 2),
        "distinct_places": float(distinct_strong),
        "why_link": round(link, 2),
        "universal_claims": float(len(universal)),
        "also_claims": float(len(also)),
        "other_city_addressed": float(len(other_addressed)),
    }

    sited_at, sited_places = _sited_problem(draft, lay, facts)
    signals["sited_problem"] = float(len(sited_at))

    plan_facts = [f for f in facts if f.kind in ("strategy", "plan")]
    present: list[str] = []
    if named:
        present.append("city_named")
    if body_score >= 1.0:
        present.append("local_fact")
    if plan_facts:
        present.append("plan_link")

    # --- verdict -----------------------------------------------------------------------------
    generic = bool(universal) or bool(also)
    # Facts woven through a draft link to a proposal only if it proposes something to the city: in a
    # news release or a brochure they describe where the product is (rubric: local facts without a
    # link → partial).
    proposes = bool(sg.proposal_units(draft) or sg.city_role_units(draft) or sg.agreement_units(draft)
                    or re.search(r"提案|proposal|propose|させて(?:ください|いただ|頂|もらえ)|"
                                 r"いただけないでしょうか|ませんでしょうか|たいと(?:考え|思)|たく(?:存じ|思)|"
                                 r"お願い(?:します|いたします|したい|申し上げ)|のお願い|"
                                 r"\blet us\b|\bwe (?:would|'d) like to\b|\bwe (?:will|plan to|want to)\b", lay.folded))
    # 関門 and the straits belong to 下関市 as much as to 北九州市: in a draft addressed to another city
    # they are no fact about Kitakyushu.
    core_score = _fact_score([f for f in facts if not _BORDER.search(f.text or "")], 0, len(folded))
    # (a number next to 「貴市の」 — 「貴市の希望される地区で100世帯に」 — is the proposal's own size, not a
    # fact that could only be Kitakyushu's: without a named place or plan the address stays generic)
    generic_kishi = _named_only_as_kishi(hits) and bool(universal) and not any(
        f.kind in _NAMED_KINDS or f.kind == "distinction" for f in facts)
    # a draft addressed to another city stays someone else's even where it names Kokura as the site
    addressed_elsewhere = any(_addressee(o, lay) for o in other_addressed) and not _kitakyushu_addressed(lay)
    if other_addressed and (core_score < 1.0 or addressed_elsewhere):
        verdict = "fail"
        others = list(dict.fromkeys(draft.text[o.start:o.end] for o in other_addressed))
        if core_score >= 1.0:
            ja, en = _found(_names(draft, facts, _NAMED_KINDS), ("市内の地域", "places in the city"))
            reason = Bilingual(
                ja=f"他の自治体（{'・'.join(others)}）に宛てた提案です。{ja}は出てきますが、北九州市への提案として"
                   "書かれていません。",
                en=f"The proposal is addressed to another city ({_quoted(others)}); it mentions {en}, but it is "
                   "not written as a proposal to Kitakyushu.")
        else:
            reason = Bilingual(
                ja=f"他の自治体（{'・'.join(others)}）に宛てた、または雛形のままの提案で、北九州市に結びつく記述がありません。",
                en=f"The proposal is addressed to another city ({_quoted(others)}) or is an unedited template; "
                   "nothing in it is tied to Kitakyushu.")
    elif not named or generic_kishi:
        # 「貴市」 in a draft that declares itself nationwide (「全国どこの自治体でも同じ仕組みで」「日本の皆様に」)
        # is a mail-merge address, like a placeholder: the generic pitch of rubric §2 fail.
        verdict = "fail"
        reason = (Bilingual(ja="北九州市の名前も、市内の地域・施設・計画も出てきません。",
                            en="Neither Kitakyushu nor any of its districts, facilities or plans is mentioned.")
                  if not universal else
                  Bilingual(ja="全国どこでも使える汎用的な提案として書かれ、北九州市に結びつく記述がありません。",
                            en="It is written as a generic proposal that could be sent to any city, "
                               "with nothing tied to Kitakyushu."))
    elif other_addressed:
        verdict = "partial"
        others = list(dict.fromkeys(draft.text[o.start:o.end] for o in other_addressed))
        reason = Bilingual(
            ja=f"北九州市の地域の事実はありますが、他の自治体（{'・'.join(others)}）の計画・宛名が混在しています。",
            en=f"It has local facts about Kitakyushu, but plans or addressees of other cities ({_quoted(others)}) "
               "are mixed in.")
    elif link >= 1.0 and not (generic and link < 1.5 and distinct_strong < 2):
        verdict = "pass"
        present.append("why_here")
        ja, en = _found(_names(draft, facts, _NAMED_KINDS), ("市の固有のデータ", "the city's own data"))
        reason = Bilingual(ja=f"{ja}など北九州市に固有の事実に触れ、なぜ北九州市で行うのかを説明しています。",
                           en=f"It cites facts specific to Kitakyushu, such as {en}, and explains why this should "
                              "be done in Kitakyushu.")
    elif sited_at and not generic and proposes and not badge_answer:
        verdict = "pass"
        present.append("why_here")
        why_at = why_at + sited_at
        reason = Bilingual(ja=f"{'・'.join(sited_places)}で確かめた課題の数字に基づき、その場所で行う提案になっていて、"
                              "課題そのものが北九州市で行う理由を示しています。",
                           en=f"The problem is measured at {_quoted(sited_places)} in Kitakyushu and the proposal is "
                              "sited there, so the problem itself shows why this belongs in Kitakyushu.")
    elif body_score >= 3.0 and distinct_any >= 2 and fact_sentences >= 2 and not generic and proposes \
            and not badge_answer:
        verdict = "pass"
        present.append("why_here")
        ja, en = _found(_names(draft, facts, _NAMED_KINDS), ("市の固有のデータ", "the city's own data"))
        reason = Bilingual(ja=f"{ja}など北九州市に固有の地域・データを複数挙げ、提案をそこに結びつけています。",
                           en=f"It names several places and data specific to Kitakyushu, such as {en}, "
                              "and ties the proposal to them.")
    else:
        verdict = "partial"
        if body_score >= 1.0:
            ja, en = _found(_names(draft, facts, _NAMED_KINDS), ("市の地域のデータ", "local data about the city"))
            reason = Bilingual(ja=f"{ja}には触れていますが、それがなぜ北九州市で行う理由になるのかが書かれていません。",
                               en=f"It mentions {en}, but does not say why that makes Kitakyushu the place "
                                  "to do this.")
        elif generic:
            reason = Bilingual(
                ja="北九州市の名前はありますが、「全国と同様」など、どの自治体にも当てはまる理由にとどまっています。",
                en="Kitakyushu is named, but the reasons given (\"as everywhere in Japan\" and the like) "
                   "would fit any city.")
        else:
            reason = Bilingual(ja="北九州市（貴市）の名前はありますが、市に固有の事実や計画との結びつきがありません。",
                               en="Kitakyushu is named, but the proposal is not tied to any fact or plan "
                                  "specific to the city.")

    missing = [k for k in ("city_named", "local_fact", "plan_link", "why_here") if k not in present]

    # --- evidence ----------------------------------------------------------------------------
    evidence: list[Evidence] = []
    seen: set[int] = set()

    def add_sentence(offset: int, signal: str) -> None:
        s = lay.sentence_at(offset)
        if s is not None and s.start not in seen and len(evidence) < 8:
            seen.add(s.start)
            evidence.append(draft.sentence_evidence(s, signal))

    for st in why_at[:3]:
        add_sentence(st, "why_here")
    spans: set[str] = set()

    def add_span(f: _Fact, signal: str) -> None:
        # Named facts are shown as the name itself; data and distinctions as their sentence.
        if f.kind in ("local_data",):
            add_sentence(f.start, signal)
            return
        key = folded[f.start:f.end]
        if key in spans or len(evidence) >= 10:
            return
        spans.add(key)
        evidence.append(draft.evidence(f.start, f.end, signal))

    for f in plan_facts[:2]:
        add_span(f, "plan_link")
    for f in sorted((f for f in facts if f.kind not in ("strategy", "plan")), key=lambda f: (-f.weight, f.start))[:3]:
        add_span(f, "local_fact")
    for o in other_addressed[:2]:
        evidence.append(draft.evidence(o.start, o.end, "other_city"))
    for m in universal[:2]:
        add_sentence(m.start(), "generic")
    if not evidence and named:
        h = next((h for h in hits if h.kind != "bureau"), None)
        if h is not None:
            evidence.append(draft.evidence(h.start, h.end, "city_named"))
    evidence.sort(key=lambda e: e.start)

    return CriterionFinding(verdict=verdict, reason=reason.in_language(draft.language), reason_bilingual=reason,
                            evidence=evidence, present=present, missing=missing, signals=signals)
