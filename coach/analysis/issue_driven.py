"""Judge for issue_driven — 「課題ドリブン」での提案を徹底すること (rubric §1).

pass    : a specific problem, who suffers it, evidence of its size (a figure, a data source) and
          how the proposal changes it (an outcome, ideally a KPI).
partial : a problem is named but abstract, or its size is missing or only hearsay, or the only
          KPIs count the product's own use.
fail    : product-out — features, awards and adoption elsewhere only; no problem the city would
          recognise (a theme title is not a problem statement).

A problem may be named (「不足」「減少」 "shortage") or only shown: a measured state under a
「課題・現状」 heading or label, a figure cited from a survey or records, or a description of how
the work is done today (「現在、申込みは電話のみで…」 "Today, every application is on paper"); see
``signals.problem_units``. Hearsay (「と伺っています」 "fishermen tell us") keeps it partial.
A measurement is evidence of size even with no problem word when it is a breakdown of a total
(「3,420件のうち約7割」) or the writer's own inspection (「156人のお宅で確認したところ」) next to
the problem. An abstract aim given as the purpose (「地域経済の活性化に向けて」) is an abstract
problem (partial), not product-out.

Beyond the shared detector this judge reads: states said in other words (「一人で過ごしている」
「伝わりきっていない」「滞在が短い」「多くの技術者が必要」 "under pressure", "getting worse"), a state relayed
by the people who see it (hearsay: a problem, kept partial), incidents counted in the writer's own
records (「発煙・発火が11件」), and a place's potential offered as the reason (「…のポテンシャル」: an
abstract problem, partial, like "a big opportunity"). A figure from a named survey relayed with a
hedge (「環境省の調査で…と聞いております」) is a cited source, not hearsay. A KPI whose label counts the
product's use (「アプリ登録者数：5,000人」) is not an outcome; the product's measured effect elsewhere on
the very measure the problem is stated in (「導入した2自治体では家事時間が平均45分短く」) is.

Not problems, though they carry a problem word: the product's results in other cities
(「他市では導入1年で…短縮」, track record), a condition the company covers (「下回った場合は当社が
補填します」), a reassurance (「…含まれないため安心です」), a benefit clause (「来られない方も参加
できる」), a product in a list ("ClinicQ: a queue app for clinics"), the same product extended later,
a letter's courtesy formulas (「ご多忙のところ恐縮ですが」 "we are waiting for your reply"), the connective
「…にとどまらず」 ("not only"), 課題 in a slogan compound (「課題先進地域」), a problem word that only
describes what the remedy acts on (「職員の時間を奪っている業務を、AIが効率化します」), and the plan itself
(「…の運用を試行します」「当法人：センサー10台の購入」), whose figures size the trial, not the problem.
An outcome may be a change verb in its potential form (「年間20棟ずつ減らせる見込み」) or the items of a list
introduced by a label line that names the goals (「・成果指標と支払条件：」).
"""

from __future__ import annotations

import re

from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.analysis.wording import clip_words
from coach.models import Bilingual, CriterionFinding, Evidence

# ---------------------------------------------------------------------------------------------
# Problem shapes the shared detector (``signals.problem_units``) does not read. They are kept
# here, not in signals, because only this judge needs them.
# ---------------------------------------------------------------------------------------------

# States of things the shared vocabulary lacks, each as a family (kanji/kana, English):
# being left alone (「夜に一人で過ごしている」 "home alone"), not fully done (「伝わりきっていない」
# 「活かしきれていない」), not known (「知られていない」「浸透していない」), too short a stay
# (「滞在が短い」), a growing or late harm ("getting worse", "notice too late", "losses", "killing
# oysters"), and strain (「手が回らない」 "under pressure", "overstretched", "fewer staff").
_STATE_RE = re.compile(
    r"(?:一人|ひとり|独り)(?:きり|ぼっち|で過ごし|で過ごす|で食事|で食べ|で留守番|で待)|孤食|"
    r"(?:き|切)(?:って|れて)(?:いな|おらず|いません)|(?<=[いきしちにみりぎびえけせてねめれ])(?:きれず|切れず)|"
    r"(?:伝わ|知られ|浸透し|認知され|周知され|理解され)(?:って|て)?(?:いな|おらず|いません)|"
    r"(?:滞在|滞在時間|利用時間|開館時間|営業時間|在籍期間|勤続年数)(?:が|は)\S{0,4}短(?:い|く|す)|手が回ら|"
    r"\bworse\b|\bworsen|too late|\blosses\b|\bkill(?:ing|ed)\b|\bdying\b|\bdie[- ]off|\bmortality\b|"
    r"under (?:\w+ )?pressure|overstretch|overwhelm|understaff|fewer staff|short[- ]staffed|\bstrain(?:ed)?\b|"
    r"\b(?:home|live|lives|living|eat|eats|eating|left) alone\b|(?:stays?|visits?) (?:are |is )?(?:too )?short|"
    # a large requirement is a burden: 「約2,000橋の点検には多くの技術者が必要です」 "takes hundreds of hours"
    r"(?:多くの|多数の|大勢の|膨大な|莫大な|多大な|大量の|相当な)\S{0,10}?(?:が|を)?(?:必要|かか|掛か|要し|要する|費やさ)|"
    r"\b(?:requires?|needs?|takes?) (?:a lot of|many|hundreds of|thousands of|huge|enormous)\b|"
    # waste named in the remedy's purpose: 「ごみにならないように」 "so they don't end up in the bin"
    r"(?:ごみ|ゴミ|廃棄物)(?:に|と)(?:なら|なる|なって|され)|"
    r"\bend(?:s|ing)? up (?:in|as|at) (?:the |a )?(?:bin|trash|rubbish|garbage|landfill|waste|dump)"
)
# Incidents counted as such (「発煙・発火が11件」 "three fires last year"): topics like 事故 and 被害,
# which the shared vocabulary has; they count in full sentences, not in a product's feature line.
_INCIDENT_RE = re.compile(
    r"火災|発火|発煙|出火|火事|漏水|断水|停電|故障|トラブル|事件|ヒヤリハット|救急搬送|"
    r"\bfires?\b|\bblazes?\b|outages?|breakdowns?|incidents?|near[- ]miss"
)
# 「…を検知」「火災報知」: the incident as what the product handles, not as a state of things.
_INCIDENT_AS_DOMAIN_RE = re.compile(
    r"^\S{0,3}?(?:を|の|に|が)?\s*(?:検知|防止|予防|対策|報知|警報|監視|センサー|保険|訓練|時|の際|発生時|"
    r"\s?(?:detect|alarm|sensor|prevent|insurance|drill|safety))")
# Who suffers, beyond ``signals.AFFECTED_RE``'s English list: growers, fishers, carers, pupils …
_AFFECTED_EXTRA_RE = re.compile(
    r"\b(?:farmers?|fishers?|fishermen|growers?|producers?|owners?|tenants?|carers?|caregivers?|nurses?|"
    r"pupils?|kids|seniors|passengers?|tourists?|travell?ers?|employees?|volunteers?|shopkeepers?)\b"
)
# Reported as common: 「かなりいる」「少なくない」 "more and more", "more … than before" — not the many who
# told it (「多くの方から」) and not a wish relayed (「ぜひ使いたい」との声 "would love to use it").
_MANY_RE = re.compile(r"(?:かなり(?:いる|おり|多|の数)|少なくな|大勢|多(?:い|く)|増え)(?!\S{0,8}(?:から|より)(?:伺|聞|お聞き|うかが))|"
                      r"\bmany\b(?! (?:\w+ )?(?:told|tell|say))|a lot of|more and more|\bmore\b[^.]{0,30}\bthan before\b|every year")
_WISH_RE = re.compile(r"たい|欲しい|ほしい|期待|喜|好評|楽しみ|\bwant|would (?:like|love)|\blove\b|excited|looking forward")
# An opportunity offered as the reason (「北九州空港のポテンシャル」「大きな潜在力を秘めて」): the
# Japanese family of "a big opportunity", which the shared detector reads as an abstract problem.
_OPPORTUNITY_RE = re.compile(r"ポテンシャル|潜在力|潜在的な(?:需要|可能性)|伸びしろ|大きなチャンス|好機")
_OWN_RE = re.compile(r"当社|弊社|当法人|私たち|我々|\bour\b|\bwe\b")
# Abstract in English as well: "go digital", "local governments everywhere".
_ABSTRACT_EXTRA_RE = re.compile(
    r"\bgo(?:ing)? digital\b|digitali[sz]|digital transformation|"
    r"\b(?:local governments|municipalities|councils|cities|towns) (?:everywhere|all over|across)\b")


def _skipped(u: sg.Unit) -> bool:
    """Units no problem is read from: headings, titles, goals, add-ons, testimonials, track record."""
    return bool(u.header or u.title or sg.is_theme_line(u) or sg.is_target(u) or sg.ADDON_RE.search(u.norm)
                or sg.issue_is_testimonial(u) or sg.is_track_record(u))


# The writer's own records of incidents (「うちの選別場でも…9件」 "our depot recorded 14 fires") are field
# observation; what the product itself does (「当社のセンサーは故障が少なく」) is not.
_PRODUCT_SUBJECT_RE = re.compile(
    r"^\W*(?:本製品|本サービス|本システム|本機|(?:当社|弊社|私たち)の\S{0,12}?"
    r"(?:製品|サービス|システム|機器|装置|センサー|カメラ|ランプ|ライト|アプリ|ツール|ロボット|ドローン|技術|ソリューション))|"
    r"^\W*(?:our|the|this)\s+(?:[\w-]+\s+){0,2}?(?:products?|apps?|system|devices?|sensors?|service|platform|robots?|lamps?|lights?|"
    r"cameras?|tools?|software|solution|technology|machines?|kits?|drones?|buoys?)\b")


# An incident counts when it is said to happen (a count, 「起きています」 "occurred"), not when it is
# what a plan maps or compares (「ヒヤリハット件数を比べ」) or what a product detects ("detect near-misses").
_OCCURRED_RE = re.compile(r"起き|起こ|発生|相次|続い|あった|ありました|あります|出て|"
                          r"\b(?:occurr|happen|recorded|reported|were|was|have been|has been)\w*")
_HANDLES_BEFORE_RE = re.compile(r"(?:検知|監視|予測|防止|記録|把握|比べ|集計|可視化)\S{0,4}$|"
                                r"\b(?:detect|monitor|predict|prevent|track|map|spot)\w*\s+(?:\w+\s+)?$")


def _incident(u: sg.Unit) -> bool:
    # conditions (「製品が故障した場合は」) are blanked; the product's own record is no incident here
    body = sg.issue_problem_body(u)
    if _PRODUCT_SUBJECT_RE.search(body) or sg.issue_is_product_effect(body) or sg.FREE_OFFER_RE.search(body):
        return False
    if not (sg.find_quantities(u) or _OCCURRED_RE.search(body)) or sg.issue_is_proposing(u):
        return False
    for m in _INCIDENT_RE.finditer(body):
        if not (_INCIDENT_AS_DOMAIN_RE.match(body[m.end():m.end() + 10])
                or _HANDLES_BEFORE_RE.search(body[max(0, m.start() - 16):m.start()])):
            return True
    return False


def _extra_state(u: sg.Unit) -> bool:
    """A state from ``_STATE_RE`` that is not a condition (「伝わっていない場合は」), not what the
    product does ("our lamp kills germs"), nor the object of the remedy (「一人で過ごす時間をなくす」)."""
    body = sg.issue_problem_body(u)
    m = _STATE_RE.search(body)
    if not m or sg.issue_is_assurance(body) or _PRODUCT_SUBJECT_RE.search(body):
        return False
    return not re.match(r"\S{0,6}?(?:を|が)?(?:防|なく|解消|減ら|ゼロ)|[^.]{0,12}\b(?:prevent|avoid)", body[m.end():m.end() + 14])


def _reported(u: sg.Unit) -> bool:
    """A state relayed by the people who see it (「民生委員の方から『夜に一人で過ごす子がかなりいる』と
    伺っています」 "farmers told us heat waves kill more oysters than before"): still a problem, only
    hearsay (rubric: partial)."""
    if not sg.is_hearsay(u) or sg.issue_is_proposing(u):
        return False
    who = sg.AFFECTED_RE.search(u.norm) or _AFFECTED_EXTRA_RE.search(u.norm)
    return bool(who and not _WISH_RE.search(u.norm) and (_MANY_RE.search(u.norm) or _STATE_RE.search(u.norm)))


# The shared reader's abstract aim (「地域経済の活性化に向けて」) with a degree adverb between the aim and
# its verb (「地域活性化に一層貢献したく」「にぎわいづくりにさらに寄与できれば」): the same aim, abstractly named.
_ABSTRACT_AIM_DEGREE_RE = re.compile(
    r"(?:活性化|にぎわい|賑わい|地方創生|脱炭素|人口減少対策)(?:づくり)?に[、,]?\s*(?:より一層|一層|いっそう|さらに|更に|少しでも|大きく)\s*"
    r"(?:貢献|寄与|資する|資し|つなげ)")


def _opportunity(u: sg.Unit) -> bool:
    """A bullet under 「…のポテンシャル」 or a sentence offering a place's potential as the reason."""
    heading = _OPPORTUNITY_RE.search(u.section) and not _OWN_RE.search(u.section)
    return bool(heading or (_OPPORTUNITY_RE.search(u.norm) and not _OWN_RE.search(u.norm)))


# What the writer puts under its own 「課題」 heading is offered as the problem, even in words no problem
# vocabulary reads (「全国的に犯罪の手口が多様化しており、市民の関心は高まっています」 "safety matters to every
# town"): named, so not product-out, but abstract (rubric: partial). Only a heading that says problem —
# 「背景」 or 「現状」 may hold the company's history.
_PROBLEM_HEADING_RE = re.compile(r"課題|問題|お困りごと|\bproblems?\b|\bchallenges?\b|\bissues?\b")


def _under_problem_heading(u: sg.Unit) -> bool:
    if not _PROBLEM_HEADING_RE.search(u.section) or _OWN_RE.search(u.section):
        return False
    if sg.is_track_record(u) or sg.is_price(u) or sg.is_target(u) or _PRODUCT_SUBJECT_RE.search(u.body) or _is_plan(u):
        return False
    return len(re.sub(r"\W", "", u.body)) >= 10


# The plan itself — a sentence whose predicate is what the writer will do (「…センサーを設置し、…運用を訓練の
#場で試行します」 "we will install ten sensors at the depot") or a line of the writer's own part
# (「当法人：センサー10台の購入」) — is neither a problem statement nor evidence of its size, whatever
# topic word (転倒, 事故) or figure (10台, 150万円) it carries: those size the plan.
_PLAN_PREDICATE_RE = re.compile(
    r"(?:試行|試験運用|実証|運用|提供|実施|導入|設置|開催|配布|配置|展開|配信|派遣|整備|行い|設け)"
    r"(?:し|いたし|させていただき|させて頂き)?ます\W*$|"
    r"^\W*(?:we|our team) (?:will|plan to|propose to|would like to) (?:install|run|deploy|test|trial|hold|provide|set up|place|offer)\b")
_OWN_PART_RE = re.compile(
    r"^\W*(?:当社|弊社|当法人|当組合|当団体|当会|私たち|事業者|提案者|we|our company|the company)\s*(?:[(（][^)）]*[)）])?\s*[:：]")


def _is_plan(u: sg.Unit) -> bool:
    return bool(_PLAN_PREDICATE_RE.search(u.norm) or _OWN_PART_RE.search(u.norm))


def _problem_units(draft: Draft) -> tuple[list[sg.Unit], set[int]]:
    """``signals.problem_units`` plus the shapes above; also the starts of the units that name the
    problem only abstractly among the added ones (an opportunity, "go digital")."""
    every = sg.problem_units(draft)
    known = {u.start for u in every}
    # trends behind the writer's mission, a rhetorical 「こんなお悩みはありませんか？」 and its checklist,
    # an offer to hear the city's problems: a backdrop, no problem the city would recognise
    backdrop = sg.issue_backdrop_starts(draft)
    known |= backdrop
    # courtesy formulas, 「にとどまらず」, 課題 slogans and the remedy's object state no problem
    # … nor a line whose agent is the writer (「…を製造・販売しております」「自治体の『人手不足』を、私たちが
    # 支えます」): it says what the company sells, its problem words name the market it serves
    shared = [u for u in every if not (sg.issue_states_nothing(u) or _is_plan(u) or u.start in backdrop
                                       or sg.sales_writer_acts(u))]
    added: list[sg.Unit] = []
    abstract: set[int] = set()
    for u in sg.units(draft):
        if u.start in known or _skipped(u):
            continue
        sentence = not u.bullet and bool(re.search(r"[。.!?]$|(?:ます|です|いる|ある|た|ない)\W*$", u.body.strip()))
        if _extra_state(u) or _reported(u) or (_incident(u) and sentence):
            added.append(u)
        elif _opportunity(u) or _under_problem_heading(u) or _ABSTRACT_AIM_DEGREE_RE.search(u.body):
            added.append(u)
            abstract.add(u.start)
    for u in shared + added:
        # 「少子高齢化、人手不足…――自治体を取り巻く課題」: a list of society's trends, however concrete one item sounds
        if (_ABSTRACT_EXTRA_RE.search(u.norm) and not sg.find_quantities(u)) or sg.issue_is_generic_trend(u):
            abstract.add(u.start)
    return sorted(shared + added, key=lambda u: u.start), abstract


# A KPI whose metric is only in its label (「・アプリ登録者数：初年度5,000人」「開封率：40%」): the body
# is a bare figure, so the shared reader does not see that it counts the product's own use.
_ENGAGEMENT_RE = re.compile(r"開封|クリック|既読|閲覧|視聴|タップ|open rate|click|views?\b|impressions?")
# How many take up and finish the writer's own programme (「12週間の修了率：80%以上」「受講率」「出席率」
# "completion rate") measures the programme's use, not the problem: a rate, but of the product.
_UPTAKE_RE = re.compile(r"修了|完走|完了率|受講|出席率|参加率|継続率|脱落|離脱率|"
                        r"\b(?:completion|attendance|adherence|drop-?out|retention) rates?\b|\bcompleted the (?:programme|program|course)\b")


def _label(u: sg.Unit) -> str:
    stripped = sg.strip_bullet(u.norm)
    return stripped[: max(0, len(stripped) - len(u.body))]


def _counts_own_use(u: sg.Unit) -> bool:
    label = _label(u)
    if not label or sg.CHANGE_RE.search(u.body):
        return False
    own = bool(sg.PRODUCT_KPI_STRONG_RE.search(label)) and not re.search(r"率|割合|rate|あたり|per ", label)
    weak = bool(sg.PRODUCT_KPI_WEAK_RE.search(label)) and not sg.issue_is_perceived_outcome(label)
    return own or weak or bool(_ENGAGEMENT_RE.search(label) or _UPTAKE_RE.search(label))


# The product's measured effect elsewhere on the very measure the problem is stated in (problem:
# 「家事・育児時間は1日6時間」; track record: 「導入自治体では家事時間が平均45分短くなりました」) shows how
# the solution changes this problem. A result on some other measure stays track record.
_EFFECT_RE = re.compile(r"短く|短縮|減り|減った|減少|削減|下がり|半減|改善|向上|増え|増加|上がり")
_EN_EFFECT_RE = re.compile(r"\b(?:reduced|cut|shortened|halved|improved|raised|increased|lowered)\s+(?:the\s+|its\s+|their\s+)?"
                           r"([a-z]+(?:[ -][a-z]+)?)")
# the measure is the noun before the subject particle: 「（平日夕方の）家事時間が…短く」 → 家事
_MEASURE_RE = re.compile(r"([^\s、。,，「」『』()（）の・]{1,12})[」』]?\s*(?:が|は|を)[^、。]{0,16}$")
_GENERIC_HEAD_RE = re.compile(r"(?:時間|件数|人数|回数|割合|比率|率|数|量|額|費用|コスト|度)$")


def _measure(u: sg.Unit) -> str | None:
    m = _EFFECT_RE.search(u.norm)
    if m:
        found = _MEASURE_RE.search(u.norm[: m.start()])
        core = _GENERIC_HEAD_RE.sub("", found.group(1)) if found else ""
        return core if len(core) >= 2 else None
    m = _EN_EFFECT_RE.search(u.norm)
    return m.group(1) if m else None


# adoption elsewhere in words the shared track-record vocabulary lacks: 「導入した2自治体では」
# 「導入いただいた園では」 "in the towns that use it", "where it runs today"
_ELSEWHERE_RE = re.compile(
    r"導入(?:した|している|済みの|いただいた|いただいている|された)\S{0,6}(?:自治体|市|町|村|区|施設|園|校|学校|企業|事業所|団体|地域|病院|医院|クリニック|薬局|店舗)|"
    r"\b(?:cities|towns|councils|municipalities|schools|clinics|sites) (?:that|which|where) (?:use|used|have used|adopted|run)")


# Outcomes the shared reader misses, both about form rather than words:
# - a change verb in its potential form (「危険箇所を年間20棟ずつ減らせると見込んでいます」「待ち時間を半分に
#   縮められます」): the shared change vocabulary has 減らす/減らし, not 減らせる;
# - the items of a list introduced by a label line that names the goals (「・成果指標と支払条件：」
#   then 「①受診率 50%以上」): a target, though no heading above says so.
_POTENTIAL_CHANGE_RE = re.compile(
    r"減らせ|増やせ|下げられ|上げられ|なくせ|防げ|抑えられ|高められ|縮められ|戻せ|半分にでき|(?:短く|少なく|軽く|低く|高く|早く)でき")
_EXPECTED_RE = re.compile(r"見込|期待|でき(?:れば|ると|ます)|ことで|により|によって|と考え|予定|見通し|られ(?:ます|る)|せ(?:ます|る)")


def _potential_outcome(u: sg.Unit) -> bool:
    if u.header or u.title or sg.is_hearsay(u) or sg.is_track_record(u):
        return False
    clauses = re.split(r"[、,;；]", u.body)
    return any(_POTENTIAL_CHANGE_RE.search(c) and not _product_use(c)
               and sg.size_quantities(sg.Unit(u.start, u.end, c, c, [], section=u.section))
               for c in clauses) and bool(_EXPECTED_RE.search(u.norm))


def _listed_targets(draft: Draft) -> list[sg.Unit]:
    """Items under a label line that names goals or KPIs, with a figure or a change each."""
    out: list[sg.Unit] = []
    under = False
    for u in sg.units(draft):
        label_line = not u.body.strip() and bool(re.search(r"[:：]\s*$", u.norm))
        if label_line:
            under = bool(sg.TARGET_RE.search(u.norm))
            continue
        if not u.bullet or u.header:
            under = False
            continue
        if under and (sg.size_quantities(u) or sg.CHANGE_RE.search(u.body)) and not sg.is_price(u) \
                and not _product_use(sg.strip_bullet(u.norm)):
            out.append(u)
    return out


def _product_use(text: str) -> bool:
    """A measure that counts the product's own use (sign-ups, downloads, participants)."""
    strong = bool(sg.PRODUCT_KPI_STRONG_RE.search(text)) and not re.search(r"率|割合|rate|あたり|per ", text)
    return strong or bool(_UPTAKE_RE.search(text)) or bool(sg.PRODUCT_KPI_WEAK_RE.search(text) and not sg.issue_is_perceived_outcome(text))


def _elsewhere(u: sg.Unit) -> bool:
    return sg.is_track_record(u) or bool(_ELSEWHERE_RE.search(u.norm))


def _shown_elsewhere(draft: Draft, concrete: list[sg.Unit]) -> list[sg.Unit]:
    problem_text = " ".join(u.norm for u in concrete if not _elsewhere(u))
    out = []
    for u in sg.units(draft):
        if not _elsewhere(u) or not sg.find_quantities(u):
            continue
        measure = _measure(u)
        if measure and measure in problem_text:
            out.append(u)
    return out


# A figure from a named survey or statistics, relayed with a hedge (「環境省の調査で…年間数千件規模と聞い
# ております」 "the ministry's survey puts it at 40%, we are told"), is a cited source, not hearsay from
# informants (rubric: 「と伺っています」 about what residents say).
_NAMED_SOURCE_RE = re.compile(
    r"[省庁]の?(?:調査|統計|推計|発表|公表|資料|データ)|(?:調査|統計|白書|国勢|センサス|年報|報告書)(?:で|では|によると|によれば|の結果)|"
    r"\b(?:ministry|agency|government|national|official)\b[^.]{0,30}\b(?:survey|statistics|census|data|figures|report)\b|"
    r"\b(?:survey|statistics|census|study|report)\b[^.]{0,20}\b(?:shows?|puts?|found|finds)\b")


def _cited_with_hedge(hearsay: list[sg.Unit]) -> list[sg.Unit]:
    return [u for u in hearsay if _NAMED_SOURCE_RE.search(u.norm) and sg.size_quantities(u)]


def _snippet(u: sg.Unit, n: int = 40) -> str:
    s = " ".join(u.text.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _strongest(problems: list[sg.Unit]) -> list[sg.Unit]:
    """Problem sentences, the clearest first: under a 「課題」 heading, naming who, with a figure."""
    def score(u: sg.Unit) -> int:
        return (2 * bool(sg.PROBLEM_SECTION_RE.search(u.section) or re.match(r"\W*(?:課題|problem)", u.norm))
                + bool(sg.AFFECTED_RE.search(u.norm)) + bool(sg.find_quantities(u)))
    return sorted(problems, key=lambda u: (-score(u), u.start))


# How far a place is (「北九州港は釜山から約230km」「駅まで徒歩15分」 "12 miles from the port") describes the
# setting, the matter of why_this_city; next to a problem it is no evidence of the problem's size. In a
# sentence that states the problem (「最寄りのスーパーまで2km以上」) the distance is the problem and counts.
_DISTANCE_UNITS = {"km", "m", "キロ", "メートル", "キロメートル", "mi", "miles", "mile"}
_TRAVEL_RE = re.compile(r"から|まで|離れ|\bfrom\b|\baway\b")
_TRAVEL_MEANS_RE = re.compile(r"徒歩|車で|バスで|電車で|自転車で|\bwalk|\bdrive|\bby (?:car|bus|train)\b")


def _only_distance(u: sg.Unit) -> bool:
    qs = sg.size_quantities(u)
    means = bool(_TRAVEL_MEANS_RE.search(u.norm))
    return bool(qs) and bool(_TRAVEL_RE.search(u.norm) or means) and all(
        q.unit in _DISTANCE_UNITS or (means and q.unit in {"分", "時間", "minutes", "hours"}) for q in qs)


# Evidence of size the writer counted itself: events over a period, stated as what happened
# (「昨年度1年間で12件ありました」「連絡した件数は2区だけで43件」 "staff logged 31 calls last winter"). A
# record of the city's situation, like a cited survey; not the product's use, a plan or a target.
_PERIOD_RE = re.compile(r"年度|年間|1年間|一年間|昨年|一昨年|前年|今年|過去\d+|月間|か月間|ヶ月間|\d{4}年|"
                        r"\b(?:last|this|per|a|each) (?:year|winter|summer|month|season)\b|\bin (?:19|20)\d\d\b|\bannual")
_EVENTS_COUNTED_RE = re.compile(
    r"\d[\d,]*\s*(?:件|回|人|名|世帯|台|棟|か所|箇所)\S{0,3}?(?:あり|ございまし|に上|にのぼ|発生|起き|を数え|寄せられ|確認され|記録され)|"
    r"件数は\S{0,24}?\d[\d,]*\s*件|"
    r"\b\d[\d,]*\s+(?:incidents|cases|calls|reports|complaints|times|accidents|falls|rescues)\b[^.]{0,30}\b(?:logged|recorded|reported|received|occurred|happened|counted)\b|"
    r"\b(?:logged|recorded|counted|received)\s+\d[\d,]*\s+(?:incidents|cases|calls|reports|complaints|accidents|falls|rescues)\b")


def _events_counted(u: sg.Unit) -> bool:
    if u.header or u.title or sg.is_target(u) or sg.is_track_record(u) or sg.is_price(u) or _is_plan(u):
        return False
    if sg.is_hearsay(u) or _PRODUCT_SUBJECT_RE.search(u.body) or sg.issue_is_product_effect(u.body) or _product_use(u.norm):
        return False
    return bool(_PERIOD_RE.search(u.norm) and _EVENTS_COUNTED_RE.search(u.norm))


# An outcome with no figure: the proposal's purpose said as reducing the very thing the problem
# statement names (「孤立した状態での発見の遅れを減らすことが目的です」「…置くことが、放置を減らす近道だと
# 考えます」 "the aim is to cut the number of falls"). The rubric asks for "an outcome, ideally a KPI".
_REDUCE_OBJECT_RE = re.compile(
    r"([^\s、。,「」『』()（）]{2,14}?)を(?:減らす|減らし|なくす|なくし|防ぐ|防ぎ|短くする|短くし|解消する|解消し|減少させ|早める|早め)"
    r"(?=\S{0,6}?(?:ことが|ことを|こと[、,]?|ための|ため|のが)?\S{0,4}?(?:目的|目標|ねらい|狙い|近道|目指|めざ|と考え))")
_EN_REDUCE_OBJECT_RE = re.compile(
    r"\b(?:aim|goal|purpose|objective) (?:is|was) to (?:reduce|cut|prevent|end|shorten|halve) (?:the )?(?:number of )?([a-z]+(?: [a-z]+)?)")


def _qualitative_outcomes(draft: Draft, concrete: list[sg.Unit]) -> list[sg.Unit]:
    problem_text = " ".join(u.norm for u in concrete)
    out = []
    for u in sg.units(draft):
        if u.header or u.title or sg.is_hearsay(u) or _elsewhere(u) or sg.ADDON_RE.search(u.norm):
            continue
        for m in list(_REDUCE_OBJECT_RE.finditer(u.norm)) + list(_EN_REDUCE_OBJECT_RE.finditer(u.norm)):
            obj = m.group(1).split("の")[-1] if "の" in m.group(1) else m.group(1)
            if sg.PROBLEM_RE.search(obj) or sg.PROBLEM_TOPIC_RE.search(obj) or (len(obj) >= 2 and obj in problem_text):
                out.append(u)
                break
    return out


def judge_issue_driven(draft: Draft) -> CriterionFinding:
    problems, abstract = _problem_units(draft)
    concrete = [u for u in problems if u.start not in abstract and not sg.is_abstract_problem(u)]
    affected = sg.affected_hits(draft, problems) or [
        u.hit(m, "affected", draft.text) for u in problems for m in [_AFFECTED_EXTRA_RE.search(u.norm)] if m]
    sizes, hearsay = sg.size_evidence_units(draft, problems)
    problem_starts = {u.start for u in problems}
    sizes = [u for u in sizes if not _is_plan(u) and not (u.start not in problem_starts and _only_distance(u))]
    cited = _cited_with_hedge(hearsay)
    sizes, hearsay = sizes + cited, [u for u in hearsay if u not in cited]
    if problems and not sizes:
        sizes = [u for u in sg.units(draft) if _events_counted(u)]
    outcomes, product_kpis = sg.outcome_units(draft)
    product_kpis = product_kpis + [u for u in outcomes if _counts_own_use(u)]
    outcomes = [u for u in outcomes if not _counts_own_use(u)]
    if not outcomes:
        outcomes = [u for u in sg.units(draft) if _potential_outcome(u)] + _listed_targets(draft)
    if not outcomes:
        outcomes = _shown_elsewhere(draft, concrete)
    if not outcomes:
        outcomes = _qualitative_outcomes(draft, concrete)
    track = [u for u in sg.units(draft) if sg.is_track_record(u)]

    present: list[str] = []
    missing: list[str] = []
    evidence: list[Evidence] = []

    if problems:
        present.append("problem")
        for u in _strongest(concrete or problems)[:2]:
            evidence.append(draft.evidence(u.start, u.end, "problem"))
    else:
        missing.append("problem")
    if affected:
        present.append("affected")
        h = affected[0]
        evidence.append(draft.evidence(h.start, h.end, "affected"))
    else:
        missing.append("affected")
    if sizes:
        present.append("size_evidence")
        for u in sizes[:2]:
            evidence.append(draft.evidence(u.start, u.end, "size_evidence"))
    else:
        missing.append("size_evidence")
        for u in hearsay[:1]:
            evidence.append(draft.evidence(u.start, u.end, "hearsay"))
    if outcomes:
        present.append("outcome")
        for u in outcomes[:2]:
            evidence.append(draft.evidence(u.start, u.end, "outcome"))
    else:
        missing.append("outcome")
        for u in product_kpis[:1]:
            evidence.append(draft.evidence(u.start, u.end, "product_kpi"))

    signals = {
        "problem_sentences": float(len(problems)),
        "concrete_problem_sentences": float(len(concrete)),
        "affected": float(len(affected)),
        "size_evidence": float(len(sizes)),
        "hearsay_only": float(len(hearsay)),
        "outcome": float(len(outcomes)),
        "product_only_kpi": float(len(product_kpis)),
        "track_record": float(len(track)),
    }

    if not problems:
        verdict = "fail"
        what = ("機能・実績の説明", "its features and track record") if track else ("製品・サービスの説明", "its product or service")
        reason = Bilingual(
            ja=f"{what[0]}が中心で、市が認識できる地域課題（誰が何に困っているか）が書かれていません。",
            en=f"The draft mainly describes {what[1]}; it states no local problem the city would recognize "
               "(who is struggling with what).")
    elif sizes and outcomes and concrete:
        verdict = "pass"
        problem, outcome = _strongest(concrete)[0], outcomes[0]
        reason = Bilingual(
            ja=f"課題（「{_snippet(problem)}」）、その規模を示すデータ、解決後の成果（「{_snippet(outcome, 30)}」）が書かれています。",
            en=f"It states the problem (\"{clip_words(problem.text, 70)}\"), data showing how big it is, and the "
               f"outcome once it is solved (\"{clip_words(outcome.text, 60)}\").")
    else:
        verdict = "partial"
        gaps: list[tuple[str, str]] = []
        if not concrete:
            gaps.append(("課題が抽象的で具体的に分解されていません", "the problem stays abstract and is not broken down"))
        if not sizes:
            gaps.append(("課題の規模を示すデータが伝聞（「と伺っています」等）だけです",
                         "how big the problem is rests only on hearsay (\"we hear that…\")") if hearsay
                        else ("課題の規模を示すデータ（数字・調査・現場の観察）がありません",
                              "there is no data on how big the problem is (figures, a survey, observations on site)"))
        if not outcomes:
            gaps.append(("KPIが製品の利用数だけで、課題がどう変わるかの成果目標がありません",
                         "the only KPI is product usage, with no target for how the problem itself changes")
                        if product_kpis
                        else ("提案によって課題がどう変わるか（成果・KPI）が書かれていません",
                              "it does not say how the proposal would change the problem (outcomes, KPIs)"))
        problem = _strongest(concrete or problems)[0]
        reason = Bilingual(ja=f"課題（「{_snippet(problem)}」）は書かれていますが、" + "。".join(ja for ja, _ in gaps) + "。",
                           en=f"The problem is stated (\"{clip_words(problem.text, 70)}\"), but "
                              + "; ".join(en for _, en in gaps) + ".")

    return CriterionFinding(verdict=verdict, reason=reason.in_language(draft.language), reason_bilingual=reason,
                            evidence=evidence, present=present,
                            missing=missing, signals=signals)
