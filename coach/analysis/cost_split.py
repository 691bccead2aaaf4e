"""Judge for cost_split — 役割分担・費用負担をクリアにし、現実的な共創の設計をすること.

Rubric (``../shared/rubric.md`` §4): *pass* states what the city provides (field, data,
facilities, coordination, publicity, permits) and what the company provides (technology, staff,
funds), who bears which costs, a realistic start (a trial / 実証, no unbudgeted mid-year spending)
and written goals or KPIs. *partial*: roles or costs only partly stated (「費用は別途ご相談」, one
side only), or a realistic frame without written goals. *fail*: nothing on roles or costs, money
asked this fiscal year or through a 補正予算, or a price list with no trial frame.

Decided boundaries followed here: a catalogue with a complete frame for its first item can pass;
a company-funded trial followed by a fee in a *later* budget year can pass (to_g flags the fee);
the company paying everything while the city's part is never stated is partial.

What a draft says about money is read for its role in the frame, not by the words alone: a cost named
only to put it off (「利用料などの費用負担は別途ご相談」) has no bearer; a product's price to its users
(「利用料は無料です」「月額980円（ご家族負担）」) and prices next to 「the city pays nothing」 are not a
price list put to the city; a fee bid through the city's own procurement route (指定管理者の公募) follows
the budget cycle; a dated company-funded start is a frame, unless the city is bound to pay for many
years from the start (an EPC with no pilot). A price list fails only when prices are all there is: a
trial proposed as the start, a cost put to negotiation (「初年度の費用は別途ご相談」, unlike a quote on
request) or a role stated around a single price makes the frame partly stated (partial).

Role statements are found by shape, not by vocabulary of one writer: labelled lines
(「市：…」「当社：…」「City: …」), role sections (「市に期待すること」「当社の役割・費用」「Pilot」) and
sentences whose subject is the city or the company and whose verb provides something.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.analysis.draft import Draft
from coach.analysis.layout import Layout
from coach.models import Bilingual, CriterionFinding, Evidence

# Who: the city side (any municipality, its departments, 自治体) and the proposer side.
_CITY = (r"(?:(?:北九州市|貴市|本市|当市|[一-龥]{1,4}市(?:様|役所)?|市(?:役所|側)?|自治体(?:様|側)?|行政|"
         r"[一-龥・]{1,12}(?:局|課|部署|部局|委員会|区役所|担当)|港湾管理者|貴局|学校|各校)"
         r"(?:の)?(?:さん|様|の皆様|の皆さま|の方|のご担当者?様?)?|"
         r"the city(?: of kitakyushu)?|city|municipality|the municipality|local government|council)")
_COMPANY = (r"(?:当(?:院|行|店|館|園|校|協会|会|センター|事務所|事業所|機構|財団|クリニック|病院|蔵|宮|寺|組合|大学)|"
            r"弊(?:院|行|店|館|園|会|所|団体|法人)|本学|私ども|私共|当方|our side|our part|our role|当社|弊社|私たち|わたしたち|当法人|本法人|弊法人|当団体|当組合|当研究室|本研究室|研究室|本講座|"
            r"当グループ|当社グループ|弊社グループ|うち|うちら|こちら|自分たち|我々|私ども|事業者|有志|we|our company|"
            r"our team)")
# An optional lead-in before a label: 「（役割分担）市：…」「4．弊社の役割と費用：…」.
_LEAD = r"^\s*(?:[(（【\[][^)）】\]]{1,12}[)）】\]])?\s*(?:\d{1,2}[.．、)]\s*)?[・\-–—*•●○◆■▶>]?\s*"
_PAREN = r"(?:\s*(?:side|側)|'s (?:role|part|contribution|tasks?))?(?:\s*[(（][^)）]{0,30}[)）])?\s*"
# English verbs count as a label only with a colon ("The City provides: …"); "We provide X; the City
# shares Y" is a sentence and is read as one (both roles).
_LABEL_CITY = re.compile(
    rf"{_LEAD}(?:{_CITY}|各?区){_PAREN}(?:[:：=＝→]|に(?:お願い|期待|担って|ご協力|求め)|の役割|がやること|(?:provides?|will)\s*[:：])")
# The city's part labelled by the public facility that gives it: 「図書館：設置場所の使用許可、利用者への周知」.
_PUBLIC_FACILITY = (r"(?:市立|市民|区民)?[一-龥ー]{0,8}(?:図書館|公民館|市民センター|区民センター|体育館|美術館|博物館|児童館|"
                    r"保育所|公園管理事務所|消防署|環境センター|給食センター)")
_LABEL_CITY = re.compile(_LABEL_CITY.pattern + rf"|{_LEAD}{_PUBLIC_FACILITY}{_PAREN}[:：=＝→]")
_LABEL_COMPANY = re.compile(
    rf"{_LEAD}{_COMPANY}{_PAREN}(?:[:：=＝→]|の(?:役割|負担|担当)|が(?:行う|負担|担う|やる)|(?:provides?|will)\s*[:：])")
# Several labelled roles on one line: 「役割：当社＝スタッフと費用、市＝地区の選定」.
_NEXT_LABEL = re.compile(rf"(?<=[、,;；/／])\s*(?=(?:{_CITY}|{_COMPANY}){_PAREN}[:：=＝→])")
_ROLE_PREFIX = re.compile(r"^\W*(?:\d{1,2}[.．、)]\s*)?(?:役割分担|役割|分担|体制|roles?)\s*[:：]\s*")
# English bullets in a pilot/roles block: "- PortFlow: system configuration …".
_LABEL_NAMED = re.compile(r"^\s*[\-–—*•]\s*[a-z][\w .&'-]{1,30}(?:[:：]| provides?\b)")
_HEAD_CITY = re.compile(rf"{_CITY}.{{0,10}}(?:お願い|期待|役割|担って|ご協力|求め|provides|role)|"
                        r"(?:市|自治体|the city|city)(?:への|に)(?:お願い|依頼)")
_HEAD_COMPANY = re.compile(rf"{_COMPANY}.{{0,8}}(?:役割|負担|担当|行うこと|やること|提供|provides|role)")
_ROLE_LABEL = re.compile(r"^\W*(?:役割分担|役割|分担|体制|roles?)\s*[:：]")
_PARTY_NO = r"^\W*(?:[(（]?(?:\d{1,2}|[一二三四五六七八九十]|[a-z])[)）.．、]|[①-⑩])?\s*"
_PARTY_HEADING_CITY = re.compile(rf"{_PARTY_NO}(?:{_CITY}|各?区)(?:\s*(?:side|側))?\s*[:：]?\s*$")
_PARTY_HEADING_COMPANY = re.compile(rf"{_PARTY_NO}{_COMPANY}(?:\s*(?:side|側))?\s*[:：]?\s*$")
_SUB_HEADING = re.compile(r"^\W*(?:[(（](?:\d{1,2}|[一二三四五六七八九十]|[a-z])[)）]|[①-⑩])")
_HEAD_ROLES = re.compile(r"役割分担|役割|体制|進め方|費用|実証|実施|pilot|roles?|costs?|scheme|スキーム|枠組み")

# What: the city's contributions (non-monetary) and the company's.
_CITY_GIVES = re.compile(
    r"提供|協力|使っ|使わ|調整|周知|広報|告知|発信|pr\b|許可|承認|紹介|橋渡し|あっせん|斡旋|貸付|貸与|貸し|借り|使用|利用|掲示|"
    r"共有|呼びかけ|案内|助言|選定|場の|会場|データ|記録|情報|名義|同封|協議|立会|共催|共同|後援|参加|掲載|"
    r"share|provide|permission|permit|introduc|promot|coordinat|host|access|data|venue|space|site|"
    r"handle|nominat|choose|select|collect|designat|let us|allow|"
    r"support|help|publicity|endorse")
_COMPANY_GIVES = re.compile(
    r"負担|提供|担当|担い|担う|運営|運行|派遣|開発|設置|用意|実施|構築|制作|作成|作っ|作り|お渡し|確保|配置|研修|分析|"
    r"加工|納品|製造|製作|解析|販売|配送|届け|回収|撤去|手配|持ち|通信費|人員|人手|スタッフ|要員|対応(?:いた)?します|"
    r"無償|無料|立替|立て替|出し合|整備|管理|保守|効果測定|cover|bear|provide|operate|build|install|"
    r"design|run|staff|fund|pay|supply|deliver|train|bring|organi[sz]e|host|equip|set up|fit\b")
# Costs: who pays.
_BEARER = re.compile(
    r"(?:費用|経費|コスト|お金|資金|[一-龥]{1,4}費|全額|全て|すべて|一切|立替|出し合|賄|まかな)[^。\n]{0,40}?"
    r"(?:負担(?:します|いたします|し[、,]|する|を|とします|とする|いただ|$|[)）。]|\s)|賄い|賄う|まかない|まかなう|出し合|"
    r"持ちます|持つ|支払います|お支払いします|カバー)|"
    r"(?:お金|費用|経費|資金)(?:のこと|の面)?は[^。\n]{0,40}?出(?:します|せる|し合)|"
    r"(?:当社|弊社|当法人|私たち|自社|当団体)の(?:費用|負担|資金|自己資金)(?:で|にて)|"
    r"(?:当社|弊社|当法人|私たち|私ども|私共|うち|こちら|自分たち|本研究室|当研究室|有志|組合|当会|当協会)[^。\n]{0,30}"
    r"(?:負担|出し合|用意します|賄|持ちます|持つ)|"
    # the payer as the subject of a paying verb: 「市が翌年度以降の当初予算で委託料を支払う」
    r"(?:市|自治体|貴市|事業者|当社|弊社|投資家|利用者|参加者|企業)が[^。\n]{0,40}?(?:支払う|支払います|お支払いします|負担する|負担します)|"
    # money the proposer fronts or raises: 「運営費の立替え（社会的投資で調達）」
    r"立て?替え?|(?:資金|費用|[一-龥]{1,4}費)[^。\n]{0,12}?(?:を)?調達|"
    # what users pay, in its several names: 「体験料をお客さんからいただいて」「月額980円（ご家族負担）」
    r"(?:体験料|入場料|乗船料|宿泊料|観覧料|見学料)|(?:お客さん|お客様|利用者|参加者|来場者)から[^。\n]{0,10}いただ|"
    r"[(（]\s*[^)）\s]{1,10}?(?:の)?(?:ご)?負担\s*[)）]|"
    r"費用は(?:一切)?(?:かかりません|発生しません)|"
    r"無償で(?!す)|無料で(?!す)|無償(?:の)?(?:提供|貸与|実施|実証|試行|トライアル)|"
    # the city's budget named as the payer of a later fee: 「来年度から市の当初予算でライセンス料をお支払いいただく」
    r"(?:市|自治体|貴市)の(?:当初)?予算(?:で|から|の範囲で)[^。\n]{0,40}?(?:お支払|支払|ご負担|負担)|お金を出し合|出し合って|折半|"
    r"(?:市|自治体|貴市)の(?:新たな)?(?:費用|財政)?負担(?:は|:|：)?\s*(?:なし|ありません|ない|想定していません|は求め|を求め|はござ)|"
    r"(?:財政|費用)負担[:：]?\s*(?:なし|無し)|新たなご?予算をお願いするものではありません|支出なし|"
    r"科研費|研究費|助成金|協賛|参加費|利用料|運賃|受講料|出店料|会費|持ち出し|自己資金|自社資金|自費|"
    # sharing the takings: 「売上の一部をレベニューシェアとして維持管理に充てる」「収益の一部を市に還元」
    # a fee waived for the trial: 「試験運用中のライセンス料は無料とし、正式導入後は…」
    r"(?:実証|試行|試験運用|トライアル|pilot|trial)[^。\n]{0,16}?(?:は|を)?(?:無償|無料)(?:と|で|に)|"
    r"レベニュー・?シェア|収益(?:の)?(?:配分|分配|還元)|(?:売上|収益)の一部を|revenue[- ]shar|profit[- ]shar|"
    r"クラウドファンディング|国の(?:補助金|交付金)|"
    r"(?:市|自治体|貴市)(?:様)?から頂戴|(?:市|自治体|貴市)(?:様)?(?:に|には|から)[^。\n]{0,30}(?:お支払いいただ|ご負担いただ)|[(（:：]\s*(?:市|自治体)(?:の)?負担|(?:市|自治体|貴市)(?:様)?(?:の|が)(?:ご)?負担(?:で|にて|とし|する|いただ)|"
    # the city's money named by where it comes from: 「公園管理・修繕は市からの包括委託」
    r"(?:市|自治体|貴市)(?:様)?(?:から|より)の[^。\n、]{0,6}?(?:委託料?|補助金?|交付金|負担金|支払い?)|"
    r"borne by|at no charge|no charge to|(?:the city|municipality) pays nothing|"
    r"(?:investors?|sponsors?|donors?|the foundation|a foundation) (?:would |will )?(?:fund|pay|cover)|"
    r"(?:residents|riders|passengers|supermarkets|stores|operators|tenants|members|households|parents) (?:would |will )?pay|"
    r"(?:the city|the board|the bureau|the council|municipality)(?: of education)? (?:would |will )?(?:pay|contract|fund)|"
    r"free of charge|at no cost|no (?:fee|cost|upfront cost) to|all (?:pilot )?costs|cover all|we cover|"
    r"at our (?:own )?(?:expense|cost)|we (?:pay|bear|fund)|costs? (?:are|will be) borne|"
    r"(?:covered|paid for|funded) by (?:a|an|the|our)\b|"
    r"\bfree\b (?:[\w-]+ ){0,2}(?:pilot|trial|camp|event|workshop|session|service|programme|program|course)|"
    r"bear(?:s)? (?:all|the) cost|pays? for|charge (?:families|users|participants|visitors|customers|carriers)|"
    r"(?:families|users|participants|visitors|customers|carriers) pay")
# Costs deferred: 「費用は別途ご相談」.
_DEFERRED = re.compile(
    r"(?:費用|経費|コスト|費用分担|費用負担|費用面|料金|導入費|利用料|お金|金額|価格|代金|委託料|実施体制)[^。\n]{0,40}?"
    r"(?:別途|今後|追って|協議|ご相談|応相談|要相談|相談に応じ|相談しながら|相談させ|お見積|見積|決定したい|検討させ|お問い合わせ)|"
    r"(?:costs?|pricing|fees?|other details|arrangements|who pays(?: what)?)[^.\n]{0,60}?(?:discuss|to be agreed|later|separately)")
# A realistic start: a trial, pilot or a bounded first period.
_TRIAL = re.compile(
    r"実証|試行|トライアル|社会実験|試験(?:的|運行|運用|導入|サービス|実施|販売|開催|営業|設置)|お試し|おためし|"
    r"モデル実施|先行実施|試(?:します|してみ|みる)|試し(?:[、,]|て|ます)|まず(?:は)?[、,]?\s*(?:来年度|\d|一|1|モデル)|"
    r"テスト導入|試験運用|パイロット|poc\b|やってみ|"
    r"モデル事業|pilot|trial|test run|proof of concept|start with|begin with|first phase|initially")
# The trial as the proposal's own start (not 「実証海域」 in a goal line).
_TRIAL_START = re.compile(r"(?:実証|試行|トライアル|試験|お試し|pilot|trial)[^。\n]{0,20}?"
                          r"(?:から始|からスタート|形で|を行|を実施|させ|したい|いたします|します|を想定|を予定|start|begin)")
# A bounded period; with a trial word it makes a frame. Some are frames by themselves.
_PERIOD = re.compile(
    r"\d+\s*(?:か月|ヶ月|カ月|ケ月|ヵ月)|半年|\d+\s*(?:週間|日間|年間)|期間|(?:来|次|翌)年度|\d{4}年度|20\d\d年|"
    r"令和\s*\d{1,2}\s*年度|r\d{1,2}年度|fy\s?20\d\d|fiscal (?:year )?20\d\d|\d{4}年\s*\d{1,2}月|\d{1,2}月\s*(?:から|〜|~|～|-)|\d{1,2}\s*[〜~～\-－–]\s*\d{1,2}月|\d+\s*シーズン|"
    r"[一二三四五六七八九十]+\s*(?:か月|ヶ月|カ月)|次回|\d+\s*回(?:限り|のみ|で|の)|"
    r"(?:\d+|one|two|three|four|five|six|eight|nine|ten|twelve|several)[\s-]*(?:months?|weeks?|days?)|"
    r"(?:from|until|starting) (?:next )?(?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december)|\b20\d\d\b")
_SELF_FRAME = re.compile(
    r"暫定利用|期間限定|(?:実施|実証|試行)?期間(?:[:：]|は)|まず(?:は)?[、,]?\s*半年|"
    r"(?:\d{4}年)?\d{1,2}月(?:から|より)[^。\n]{0,6}?(?:\d+\s*(?:か月|ヶ月|カ月)|半年|\d+年)間?|"
    r"まず(?:は)?\d+\s*(?:年間|か月|ヶ月)|\d+\s*日間|\d+\s*(?:days|weeks)\b|"
    r"(?:\d{4}年)?\d{1,2}月\s*[〜~～\-－–]\s*(?:\d{4}年)?\d{1,2}月|"
    r"(?:来|翌|次)年度[^。\n]{0,20}当初予算|当初予算に計上")
_FREE_STEP = re.compile(r"無償で|無料で|free of charge|at no cost|\bfree\b (?:[\w-]+ ){0,2}(?:pilot|trial|survey)")
# Goals written down.
_GOAL = re.compile(r"目標|kpi|(?:削減|節減|達成|成果|効果|性能)[^。\n]{0,6}保証|保証(?:値|水準)|guarantee[sd]?\b|\baim\s*[:：]|評価指標|成果指標|数値目標|達成基準|目指します|めざします|ねらい|狙い|targets?\b|goals?\b|aim (?:for|to)|"
                   r"objectives?|"
                   r"success (?:criteria|measures?)|metrics")
_QUANTITY = re.compile(r"\d|半減|半分|倍増|倍に|ゼロ|[一二三四五六七八九十]割|\bzero\b|\bhalf\b|double|percent")
# Talk of the price without amounts: 「料金はお見積り」「happy to discuss pricing」 — costs partly stated.
_FEE_TALK = re.compile(
    r"(?:料金|価格|初期費用|月額|年額|利用料|ライセンス料|導入費用|お見積)[^。\n]{0,40}?(?:お見積|ご相談|お問い合わせ|ご用意)|"
    r"お見積(?:り|もり)?(?:いたします|します|させて)|"
    r"(?:pricing|price|fees?|quote)[^.\n]{0,40}?(?:discuss|contact|on request|upon request)|"
    r"discuss (?:pricing|fees|the price)")
# Money asked this fiscal year / through a supplementary budget.
_MIDYEAR = re.compile(
    r"補正予算|補正で|予備費|年度途中|supplementary budget|within this fiscal year|"
    r"(?:本年度|今年度|年度内|年度中|年度末|this fiscal year|this year's budget)[^。\n]{0,40}?"
    r"(?:予算|補正|契約|交付|創設|導入|決裁|購入|負担|お支払|計上|執行|発注|スタート|支出|補助|助成|支援金|ご支援|grant|subsid)|"
    r"(?:予算|補正|契約|交付|創設|導入|決裁|購入|負担|計上|執行)[^。\n]{0,25}?(?:本年度中|今年度中|年度内|年度中)")
_OWN_SPENDING = re.compile(r"(?:当社|弊社|当法人|私たち|我々|自社)[^。\n]{0,6}(?:の)?(?:費用|負担|資金|持ち出し)|自己資金|自費|無償|無料|"
                           r"at our (?:own )?(?:cost|expense)|we (?:pay|cover|fund)")
_CITY_MONEY = re.compile(r"(?:市|貴市|自治体)[^。\n]{0,10}(?:予算|ご負担|お支払|費用|契約|購入)|ご予算|ご購入|ご契約|委託料|補助|the city(?:'s)? (?:budget|pays)")
_NEGATION = re.compile(r"なし|ない|ありません|求めません|求めない|いたしません|しません|不要|ございません|no\b|not\b|none")
# Price lists: amounts for the product, asked of the city, with no trial frame.
_PRICE = re.compile(
    r"(?:価格|料金|月額|年額|初期費用|初期構築費|ライセンス|利用料|保守|1台|1基|1張|1回|1ケース|プラン)[^。\n]{0,30}?"
    r"\d[\d,，.]*\s*(?:万|千)?円|\d[\d,，.]*\s*(?:万)?円\s*(?:〜|~|から|\(税|（税)|"
    r"(?:price|pricing|licen[cs]e|fee|subscription|cost)[^.\n]{0,30}(?:jpy|¥|yen|usd|aud|eur|gbp|sgd|hkd|twd|cny|krw|"
    r"us\$|s\$|\$|€|£)\s?\d|"
    r"(?:jpy|yen|aud|usd|eur|gbp|sgd|hkd|twd|cny|krw|\$|€|£)\s?\d[\d,.]*(?:\s?(?:million|k))?\s*"
    r"(?:each|per|a (?:month|year|unit)|/\s?(?:month|year|yr|mo))")
_BUDGET_ASK = re.compile(r"ご予算化|予算化|ご購入|ご発注|ご契約|お見積り|見積もり")


_CAPABILITY = re.compile(r"(?:以下|次)の(?:ような)?(?:サービス|取組|取り組み|事業|施策|メニュー|こと)|"
                         r"(?:提供|対応|実施|展開|導入|活用|応用)(?:が)?(?:でき|可能)|can (?:offer|provide)")


@dataclass
class _Roles:
    city: list[tuple[int, int]] = field(default_factory=list)
    company: list[tuple[int, int]] = field(default_factory=list)
    company_pays: list[tuple[int, int]] = field(default_factory=list)  # company lines naming costs


def _role_lines(lay: Layout) -> _Roles:
    """City and company role statements, from labelled lines, role sections and sentences."""
    roles = _Roles()
    context: str | None = None
    roles_section = False
    for line in lay.lines:
        t = line.text
        if _SUBJECT_LINE.match(t):
            continue
        # 「市（公園管理ご担当）：鍵の貸与、周知掲示」 reads as a salutation (ご担当) but assigns the city's part
        if line.header and not (_LABEL_COMPANY.search(t) and _COMPANY_GIVES.search(t)) and \
                not (_LABEL_CITY.search(t) and _CITY_GIVES.search(t)):
            # a terse labelled role 「研究室：機器の製作、通信費、データ解析」 looks like a
            # letterhead (no kana) but states what the proposer does
            continue  # 「提案者：株式会社X」 names the sender, 「件名：…のお願い」 the mail; neither assigns a role
        if t.startswith("|"):
            # A table row 「| 市の役割 | 会場の提供 |」 reads as 「市の役割：会場の提供」.
            cells = [c.strip() for c in t.strip("|").split("|")]
            if len(cells) >= 2 and not re.fullmatch(r"[-:\s]*", cells[1]):
                t = cells[0] + ":" + " ".join(cells[1:])
                t = t + " " * max(0, (line.end - line.start) - len(t))
                t = t[: line.end - line.start]
            _classify(line.start, line.end, t, roles, context)
            continue
        # Headings, 「市に期待すること：」 and questions used as headings (「Q. 市には何をお願いしたいですか？」).
        if line.heading or (len(t) <= 30 and t.endswith((":", "："))) or (len(t) <= 40 and t.endswith(("?", "？"))):
            # a bare party name (「（2）北九州市」) heads that party's part only inside a roles section;
            # elsewhere 「■北九州市」 heads facts about the city
            if roles_section and _PARTY_HEADING_CITY.match(t):
                context = "city"
            elif roles_section and _PARTY_HEADING_COMPANY.match(t):
                context = "company"
            elif _HEAD_CITY.search(t) and not _HEAD_COMPANY.search(t):
                context = "city"
            elif _HEAD_COMPANY.search(t) and not _HEAD_CITY.search(t):
                context = "company"
            elif _HEAD_ROLES.search(t):
                context = "mixed"
            else:
                context = None
            if context is not None and not _PARTY_HEADING_CITY.match(t) and not _PARTY_HEADING_COMPANY.match(t):
                roles_section = True
            elif context is None and not _SUB_HEADING.match(t):
                roles_section = False
            # A heading that carries its statement after the colon: 「市：会場の提供」.
            body = re.split(r"[:：]", t, maxsplit=1)
            if len(body) == 2 and len(body[1].strip()) > 4:
                _classify(line.start, line.end, t, roles, None)
            continue
        _classify(line.start, line.end, t, roles, "mixed" if _ROLE_LABEL.match(t) else context)
    return roles


_EN_CITY_ROLE = re.compile(
    r"\b(?:city|board|bureau|division|department|ward offices?|municipality|council)\b(?:'s [a-z ]{1,30}?)?(?: of [a-z]+)?"
    r"(?: would| will| could| can| to)? (?:handle|nominate|choose|select|collect|designate|let us|allow|share|provide|lend|"
    r"introduce|promote|host|grant|permit|help|coordinate|arrange|publici[sz]e)|"
    r"\bask the [a-z' ]{0,40}?(?:bureau|division|city|office|department|board|ward) to\b|"
    r"(?:ask|asks|request|invite) the (?:city|board|bureau|ward)|"
    r"(?:the city(?: of kitakyushu)?|the board of education|the education board|the ward office|the bureau|"
    r"the department|the municipality)"
    r"(?: \([^)]{0,40}\))? (?:would|will|could|to|can|introduces|lends|provides|shares|hosts|promotes|grants|gives|"
    r"offers|permits|helps|supports|coordinates|selects|arranges|publicises|publicizes|is asked|leases|rents|"
    r"allocates|approves|allows)\b|"
    r"(?:from|by) the city[,:]|we ask the city|"
    r"(?:would|could|will) the city (?:be willing to |kindly )?(?:share|provide|lend|help|introduce|promote|allow)")
_EN_READER_ASK = re.compile(
    r"(?:all we need is|we(?: would| will)? need|we ask for|we(?:'d| would) like (?:the city|you) to|could you|"
    r"would you|"
    r"please\b)[^.]{0,60}(?:room|space|venue|site|permission|permit|mention|newsletter|promotion|introduc|data|access)")
# A request to the reader (the city) for a resource: 「場所を貸してください」「会場をお借りできれば」.
_READER_ASK = re.compile(
    r"(?:場所|会場|スペース|土地|用地|施設|部屋|会議室|ホール|広場|公園|庁舎|駐車場|倉庫|体育館|教室|ロビー|敷地|データ|情報|"
    r"許可|広報|周知|告知|紹介|案内|協力|名簿|後援|共催|名義)"
    r"[^。\n]{0,12}?(?:を|の|に)?(?:お?貸し(?:て|いただ)|お借りし|お借りでき|借りられ|拝借|ご提供(?:いただ|ください|願)|使わせて|ご許可|"
    r"許可(?:して|を)(?:ください|いただ|もらえ)|ご紹介(?:いただ|ください)|ご案内(?:いただ|ください)|ご協力(?:いただ|ください|を)|"
    r"してください|(?:を|の)(?:いただけ|頂け|お願い)|"
    r"してもらえ|していただけ)|(?:使わせて|開催させて|設置させて|出店させて|販売させて)"
    r"(?:いただ|ください|もらえ|頂)")
# Not here: leave to do the work (「市民センターで試行させてください」「当社で清掃をやらせてもらえないか」)
# states nothing the city provides; the labelled drafts read it as no role (b1-h12, hold2-043).
_JA_COMMIT = re.compile(r"します|いたします|致します|予定|担います|行います|たいと|たく|用意します|負担します|"
                        r"(?:run|operated|delivered|provided|staffed) by us|"
                        r"we (?:recruit|train|insure|test|supply|will|provide|cover|bear|pay|run|operate|supply|deliver|install|build|charge|handle|"
                        r"manage|organi[sz]e|bring|host|fund|equip|set up|fit)|will (?:provide|cover|bear|pay)|"
                        r"we(?:'ll| are covering)")
_PAST_OR_STATE = re.compile(r"しました|いたしました|してきました|しています|しております|おります|"
                            r"してまいりました|したところ|ました。?$|"
                            r"(?:会社|企業|法人|団体|事業者|メーカー|ベンチャー|業者|専門家)(?:で(?:す|ございます)|であります)|"
                            # an English self-introduction describes the business, not a part in this project:
                            # "I'm Jake, co-founder at X - we build apps for …", "We are a start-up that makes …"
                            r"\bI'?m\b|\bI am\b|co-?founder|\bceo\b|\bfounded\b|we(?:'re| are) (?:a|an|live|based|proud)\b|"
                            r"\bsince (?:19|20)\d\d\b")


def _classify(start: int, end: int, t: str, roles: _Roles, context: str | None) -> None:
    pos = 0
    # Japanese sentences end with 。; English ones with a period before a space (the shared sentence
    # splitter keeps an English paragraph whole).
    for sentence in re.split(r"(?<=。)|(?<=\.)(?=\s)", t):
        # Drop a leading 「役割：」 so the first labelled role starts the segment.
        prefix = _ROLE_PREFIX.match(sentence)
        skip = prefix.end() if prefix else 0
        inner = 0
        for seg in _NEXT_LABEL.split(sentence[skip:]):
            a = start + pos + skip + inner
            inner += len(seg)
            if seg.strip():
                _classify_segment(a, a + len(seg), seg, roles, context)
        pos += len(sentence)


# Asking the reader for a meeting (「ご紹介のお時間をいただけませんか」) gives the project nothing: not a city role.
_MEETING_ASK = re.compile(r"(?:お時間|機会|面談|打ち合わせ|打合せ|ご説明|ご挨拶|デモ|ご面会)[^。\n]{0,8}(?:を|の)?(?:いただ|頂|ください|お願い|賜)|"
                          r"\b(?:meeting|call|appointment)\b")
# Asking for a call or a demo (「説明のお時間をいただけませんか」 "Could we set up a short call?") is not the
# proposer's part in the project either.
_MEETING_REQUEST = re.compile(r"\b(?:could|can|shall|may) we\b[^.?]{0,40}\b(?:call|meeting|chat|demo)\b|"
                              r"\b(?:call|meeting|chat|demo)\b[^.?]{0,40}\?\s*$|"
                              r"(?:お時間|面談|打ち合わせ|打合せ|ご説明の機会|デモ)[^。]{0,12}(?:いただけ|頂け|お願い|ください)")
_CITY_AS_CUSTOMER = re.compile(r"(?:(?:ご|お)(?:利用|使用|活用|導入|採用|使い)|使って|利用して)(?:いただ|頂|ください|を(?:ご検討|お願い))")


def _classify_segment(start: int, end: int, t: str, roles: _Roles, context: str | None) -> None:
    if _CAPABILITY.search(t):
        return  # 「以下のサービスをご提供できます」: a catalogue, not a commitment
    # A labelled line is a role statement by its shape: 「・当社：保冷車2台と人員」.
    m = _LABEL_CITY.search(t)
    if m and not _LABEL_COMPANY.search(t) and len(t) - m.end() >= 4 and \
            not re.search(r"ご負担いただ|お支払いいただ|ご予算|ご購入|補助金|委託料", t):
        roles.city.append((start, end))
        return
    m = _LABEL_COMPANY.search(t)
    if m and len(t) - m.end() >= 4:
        roles.company.append((start, end))
        if re.search(r"費用|経費|コスト|全額|資金|[一-龥](?:費|代)(?:[・、,)）]|$|を|は|の負担)|立て?替|調達|costs?\b|funds?\b|funding", t):
            roles.company_pays.append((start, end))
        return
    if context in ("city", "company", "mixed") and _LABEL_NAMED.search(t) and \
            (_COMPANY_GIVES.search(t) or _BEARER.search(t)) and not _LABEL_CITY.search(t):
        roles.company.append((start, end))
        return
    if context == "city" and _CITY_GIVES.search(t):
        roles.city.append((start, end))
        return
    if context == "company" and (_COMPANY_GIVES.search(t) or _BEARER.search(t)):
        roles.company.append((start, end))
        return
    # Sentences: 「市には、会場のご提供をお願いしたい」「当社は…を無償で提供します」.
    for m in re.finditer(r"(?:[^。!?\n.]|\.(?!\s))+[。!?.]?", t):
        s = m.group()
        a, b = start + m.start(), start + m.end()
        s_role = _CITY_AS_CUSTOMER.sub("", s)
        city_subject = re.search(rf"{_CITY}(?:\s*[(（][^)）]{{0,30}}[)）])?(?:には|に|から|へ|として|は|が|にて)", s)
        pays = re.search(r"ご負担いただ|お支払いいただ|ご予算|ご購入|補助金|委託料|\bpay|\bbuy|purchase|budget", s)
        asked = (_READER_ASK.search(s) or _EN_READER_ASK.search(s) or
                 (_EN_CITY_ROLE.search(s) and _CITY_GIVES.search(s))) and not pays and not _MEETING_ASK.search(s)
        # the city as subject giving something (not as a customer: 「ぜひご利用いただきたく」)
        gives = city_subject and _CITY_GIVES.search(s_role) and \
            (context in ("mixed", "city") or
             re.search(r"お願い|いただ|頂|ください|期待|依頼|ご協力|ご提供|ご紹介|ご調整|借り|貸し|ありがた|助か|幸い|"
                       r"would ask|ask the city|we would|could|provides?|will|need|許可|周知", s)) and \
            not re.search(r"ご負担いただ|お支払いいただ|ご予算|ご購入|補助金|委託料", s)
        if asked or gives:
            roles.city.append((a, b))
        # 「当社は…」「当社のスクールで…指導します」
        if re.search(rf"{_COMPANY}(?:の[^。、]{{1,15}}?)?{_PAREN}(?:は|が|で|にて|から|と|:|\s)", s) and \
                (_COMPANY_GIVES.search(s) or _BEARER.search(s)) and _JA_COMMIT.search(s) and \
                not _PAST_OR_STATE.search(s) and not _MEETING_REQUEST.search(s):
            roles.company.append((a, b))


# A price paid by residents, users or firms (「月額1世帯500円、申込は各世帯から当社に」) is the
# business model, not a price list put to the city.
_SUBJECT_LINE = re.compile(r"^\s*(?:件名|題名|subject|re)\s*[:：]", re.IGNORECASE)
# The city's part left open (rubric §4: roles for one side only → partial): 「市の役割については今後
# ご相談させてください」「市：関係機関との調整をお願いしたい（詳細はご相談）」 "the city's part to be discussed".
_CITY_PART_DEFERRED = re.compile(
    r"(?:市|自治体|貴市|行政)(?:様|側)?(?:の|に(?:お願いする|お願いしたい|担っていただく|ご協力いただく))(?:役割|ご?協力|ご?負担|お願い|関わり方?|関与|範囲|こと)"
    r"[^。\n:：]{0,20}?(?:今後|追って|別途|改めて)?\s*(?:ご?相談(?!窓口|会|員|支援|対応)|ご?協議(?!会)|検討させ|決めさせ)|"
    r"(?:the )?city(?:'s)? (?:role|part|contribution|involvement)[^.\n]{0,30}(?:to be (?:discussed|agreed|decided)|discuss)|"
    # only a request for 「ご協力」 with the details put off: 「市にはご協力をお願いしたく、詳しくは面談でご相談」
    r"(?:市|自治体|貴市|行政)(?:様|側)?(?:に|には|へは?)[^。\n]{0,12}?(?:ご協力|お力添え|ご支援|ご助力)[^。\n]{0,20}?"
    r"(?:詳しく|詳細|具体的(?:に|な内容)?|内容)は?[^。\n]{0,12}?(?:ご?相談|ご?協議|お話し|ご説明|打ち合わせ)|"
    r"(?:ask|need) (?:the city|you) (?:for|to) (?:your )?(?:help|support|cooperation)[^.\n]{0,30}(?:details|specifics)[^.\n]{0,20}(?:discuss|meeting)")
# The same inside a city role line: 「市：関係機関との調整をお願いしたい（詳細はご相談）」.
_DETAILS_DEFERRED = re.compile(r"[(（]\s*(?:詳細|具体的な内容|内容|範囲)は(?:今後|別途|追って)?\s*(?:ご?相談|ご?協議)")
_PAID_BY_OTHERS = re.compile(r"[(（]\s*(?:ご)?(?:家族|家庭|利用者|保護者|本人|会員|参加者|世帯|個人|受講者|購入者)(?:様)?(?:の)?(?:ご)?負担|"
                             r"(?:families|parents|users|residents|members|households|customers|subscribers) pay|"
                             r"paid by (?:families|parents|users|residents|members|households|customers)|"
                             r"(?:各世帯|世帯|ご?家族|ご?家庭|利用者|参加者|会員|住民|市民|保護者|お客様|事業者|企業|施設|店舗|所有者|オーナー|"
                             r"相続人|加盟店|荷主|テナント|受講者|入居者)(?:様)?(?:から|が|の負担|のご負担|にて)|"
                             r"参加費|運賃|入場料|受講料|会費|自己負担|市の(?:費用)?負担(?:は)?(?:なし|ありません)")


_OWN_COST = re.compile(rf"{_COMPANY}[^。\n]{{0,40}}(?:負担|持ちます|立て?替|cover|bear|pay for)|"
                       r"(?:先に|全額|自己資金で|自費で)[^。\n]{0,6}?(?:負担|立て?替)|(?:at|for) our (?:own )?(?:cost|expense)")
# 「利用料は無料です」「参加費0円」: the product's price to its users, not who bears the project's costs.
_USER_FEE_FREE = re.compile(r"^(?!.*(?:市|自治体|行政|当社|弊社|私たち|city|we\b)).*?(?:利用料|手数料|参加費|会費|登録料|使用料|月額|年会費|"
                            r"(?:user|usage|membership|sign-up) fees?)(?:は|も|:|：|\s)*(?:一切|完全)?(?:無料|無償|0円|ゼロ|free)")
_CITY_PAYS_FEE = re.compile(
    r"(?:市|貴市|自治体|本市)(?:様)?(?:が|から|より|は)[^。\n]{0,40}?(?:お支払い|支払|委託料|サービス料|成果報酬)|"
    r"(?:the city|the council|the bureau|municipality)[^.\n]{0,20}?\b(?:would |will )?pays?\b")
_LONG_TERM = re.compile(r"(?:[5-9５-９]|[1-3][0-9])\s*(?:年間|か年|カ年)|(?:五|六|七|八|九|十|十五|二十)\s*年間|長期(?:契約|にわたり)|"
                        r"(?:five|six|seven|eight|nine|ten|twelve|fifteen|twenty|[5-9]|[1-3]\d)[\s-]+years?\b|long-term contract")
_PROCUREMENT_ROUTE = re.compile(r"指定管理者?(?:の|制度)?(?:公募|募集|選定|に応募|への応募)|公募(?:型)?(?:プロポーザル)?に(?:応募|参加)|"
                                r"入札に(?:参加|応募)|プロポーザル(?:方式)?に(?:応募|参加)|(?:respond|bid) to (?:a|the|your) "
                                r"(?:tender|call)|public tender|competitive tender")
_CITY_PAYS_NOTHING = re.compile(
    r"(?:市|自治体|貴市|行政)(?:様|側)?(?:に|へ|の|では|として)[^。\n]{0,20}?(?:ご)?(?:費用|財政|金銭的な?)?(?:ご)?負担[^。\n]{0,16}?"
    r"(?:ありません|ございません|ない|なし|無し|不要|いたしません|しません|求めません)|"
    r"(?:市|自治体|貴市)(?:様)?(?:の|に|から)?[^。\n]{0,10}?(?:ご)?予算(?:措置)?(?:は|を)?[^。\n]{0,10}?(?:不要|必要ありません|いただきません|求めません)|"
    r"(?:the city|municipality|council)(?: pays| will pay| would pay) nothing|(?:at )?no cost to the (?:city|municipality|council)|"
    r"costs? the (?:city|municipality|council) nothing|free (?:of charge )?(?:for|to) the (?:city|municipality|council)")


def _sentence_text(lay: Layout, offset: int) -> str:
    s = lay.sentence_at(offset)
    if s is None:
        return ""
    # The price often sits in a parenthesis inside a longer sentence; read the whole sentence and,
    # when it is short, the one after it too.
    nxt = lay.sentence_at(s.end + 1)
    return lay.folded[s.start:(nxt.end if nxt is not None and s.end - s.start < 80 else s.end)]


def _own_sentence(lay: Layout, offset: int) -> str:
    s = lay.sentence_at(offset)
    return lay.folded[s.start:s.end] if s is not None else ""


_SALES_TRIAL = re.compile(r"available on request|on request|upon request|is available|無料トライアル(?:を)?(?:ご用意|実施中|受付)|"
                          # a sales offer to try the product: 「今なら30日間の無料トライアルをご利用いただけます」
                          r"無料(?:の)?(?:トライアル|お試し)[^。\n]{0,12}(?:ご利用いただけ|お申し?込|実施中|受付中)|"
                          r"(?:今なら|期間限定で?|いまなら)[^。\n]{0,16}(?:無料|無償|お試し)|"
                          r"お試し(?:いただけ|可能|プラン)|trial (?:is|are) (?:available|offered)")
_ROLES_DEFERRED = re.compile(r"体制|役割|分担|進め方|arrangements|roles?|who does")
_COST_DEFERRED = re.compile(r"費用|経費|コスト|料金|お金|金額|価格|代金|委託料|導入費|利用料|costs?|pricing|fees?|pays")
# A cost put to negotiation (「初年度の費用は別途ご相談」「to be agreed」) opens the split; a quote on request
# (「お見積りいたします」「お問い合わせください」) is a sales step and leaves a price list a price list.
_NEGOTIATED = re.compile(r"相談|協議|discuss|to be agreed")
_LATER_PHASE = re.compile(r"本格(?:導入|実施|運用)|正式(?:導入|運用|契約)|実証後|試行後|翌年度|次年度|以降|将来|after the (?:pilot|trial)")
_PAST = re.compile(r"実施した|行った|行いました|実施しました|調べた|調査では|でした|ました。?$|いました")
_FUTURE = re.compile(r"します|したい|いたします|予定|来年度|翌年度|から始|させて|ください|will|would|plan")


def _past_only(lay: Layout, offset: int) -> bool:
    st = _sentence_text(lay, offset)
    return bool(_PAST.search(st)) and not _FUTURE.search(st)


# Checklist items a partial reason names as lacking, (ja, en).
_LACKING_LABELS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("city_role", ("市が担うこと", "what the city would do")),
    ("company_role", ("事業者が担うこと", "what the company would do")),
    ("cost_bearer", ("費用の負担者", "who bears the costs")),
    ("trial_frame", ("実証などの始め方", "how to start (e.g. a trial)")),
    ("goals", ("目標・KPI", "goals or KPIs")),
)


# A duration that is a property of the product, not the proposal's period: 「講習（3日間）：18万円/人」
# in a price line, "battery lasts 14 days" in a spec line.
_SPEC_LINE = re.compile(r"battery|lasts?|runs? for|持続|連続|保証期間|講習|研修|コース|course|warranty")


def _spec_duration(lay: Layout, offset: int) -> bool:
    st = _own_sentence(lay, offset)
    return not _TRIAL.search(st) and bool(_PRICE.search(st) or _SPEC_LINE.search(st))


def _users_go_free(sentence: str) -> bool:
    """「利用料は無料」 with no party named: free for users, not a split of costs. A fee waived for the trial
    and charged afterwards (「試行期間中の利用料は無償とし、本格導入後は月額利用料をいただく」) is one."""
    return bool(_USER_FEE_FREE.search(sentence)) and not (_TRIAL.search(sentence) and _LATER_PHASE.search(sentence))


def judge_cost_split(draft: Draft) -> CriterionFinding:
    lay = Layout.of(draft)
    text = lay.folded
    roles = _role_lines(lay)

    def body_matches(rx: re.Pattern[str]) -> list[re.Match[str]]:
        return [m for m in rx.finditer(text) if not (lay.in_sender(m.start(), m.end()))]

    # 「A one-month free trial is available on request」 in a sales note: neither a bearer nor a frame
    bearer = [m for m in body_matches(_BEARER) if not _SALES_TRIAL.search(_own_sentence(lay, m.start()))]
    deferred = body_matches(_DEFERRED)
    # A cost named only to put it off (「アプリ利用料などの費用負担については別途ご相談」) has no bearer.
    bearer = [m for m in bearer if not _DEFERRED.search(_own_sentence(lay, m.start()))
              and not _users_go_free(_own_sentence(lay, m.start()))]
    trial_words = body_matches(_TRIAL)
    # 「2024年10月の平日5日間に実施した調査」 is evidence from the past, not the proposal's frame.
    trial_words = [m for m in trial_words if not _past_only(lay, m.start())
                   and not _SALES_TRIAL.search(_own_sentence(lay, m.start()))]
    periods = body_matches(_PERIOD)
    # A trial word with a period makes a frame; so does a company-funded, dated first step
    # ("we'd survey one district free of charge in spring 2026").
    trial = (trial_words + [m for m in body_matches(_FREE_STEP) if not _SALES_TRIAL.search(_own_sentence(lay, m.start()))] if periods else []) + \
        [m for m in body_matches(_SELF_FRAME) if not _past_only(lay, m.start()) and not _spec_duration(lay, m.start())
         and not _SALES_TRIAL.search(_own_sentence(lay, m.start()))]
    goals = []
    for m in body_matches(_GOAL):
        sentence = lay.sentence_at(m.start())
        before = text[sentence.start:m.start()] if sentence else ""
        if _QUANTITY.search(text[m.start(): m.end() + 220]) or _QUANTITY.search(before):
            goals.append(m)
    midyear = []
    for m in body_matches(_MIDYEAR):
        sentence = lay.sentence_at(m.start())
        st = text[sentence.start:sentence.end] if sentence else m.group()
        if _NEGATION.search(st) and not re.search(r"お願い(?!しません|いたしません|するものでは)|ください|希望|いただけ", st):
            continue  # 「本年度：自治体の新たな支出なし」
        if _OWN_SPENDING.search(st) and not _CITY_MONEY.search(st) and not re.search(r"補正|予備費|supplementary", st):
            continue  # 「今年度中に当社の費用で実証をスタート」: a start this year on the company's money
        midyear.append(m)
    # a priced item the proposer bears (「初期費用（1年目の約1,500万円を先に負担）」) is not asked of the city
    prices = [m for m in body_matches(_PRICE) if not _PAID_BY_OTHERS.search(_sentence_text(lay, m.start()))
              and not _OWN_COST.search(_own_sentence(lay, m.start()))]
    fee_talk = body_matches(_FEE_TALK)
    budget_ask = body_matches(_BUDGET_ASK)

    # a city role whose content is left 「今後ご相談」 does not state the city's part
    city_deferred = body_matches(_CITY_PART_DEFERRED) + [
        m for a, b in roles.city for m in _DETAILS_DEFERRED.finditer(text, a, b)]
    roles.city = [(a, b) for a, b in roles.city if not _CITY_PART_DEFERRED.search(text[a:b])
                  or _CITY_GIVES.search(_CITY_PART_DEFERRED.sub("", text[a:b]))]
    has_city = bool(roles.city)
    has_company = bool(roles.company)
    has_bearer = bool(bearer) or bool(roles.company_pays)
    # A dated first step the company funds, with no city money asked, is a realistic start too
    # (「2026年秋に1棟目を開業、改修費と運営費は当社が負担」).
    dated = [m for m in periods if not _past_only(lay, m.start())]
    # ... but not when the city is bound from the start to pay for many years (an EPC/ESCO contract for ten
    # years with no pilot): that is a long contract, not a realistic first step.
    long_city_contract = any(_LONG_TERM.search(_own_sentence(lay, m.start())) for m in body_matches(_CITY_PAYS_FEE))
    has_trial = bool(trial) or (bool(dated) and bool(bearer or roles.company_pays) and not prices and not deferred
                                and not long_city_contract)
    has_goals = bool(goals)
    # A fee for a later phase (「本格導入の際は年額1,200万円」) is a business model, not a price list.
    list_prices = [m for m in prices if not _LATER_PHASE.search(_own_sentence(lay, m.start()))]
    # A fee offered through the city's own procurement route (指定管理者の公募, 入札, a tender) follows the
    # budget cycle: it is a bid, not a price list pushed at the city.
    if body_matches(_PROCUREMENT_ROUTE):
        list_prices = []
    # A draft that says the city pays nothing (「自治体様に費用をご負担いただくことは一切ありません」) keeps
    # its prices off the city: they are what users pay, not a purchase asked of the city.
    city_pays_nothing = bool(body_matches(_CITY_PAYS_NOTHING))
    # ... and so does a proposer that bears the costs itself with nothing asked of the city: its prices
    # (「直葬プラン 税込9万8千円」) are what its customers pay.
    company_bears = (bool(roles.company_pays) or any(_OWN_COST.search(_own_sentence(lay, m.start())) for m in bearer)) \
        and not budget_ask
    # Rubric §4 fails a price list *with no frame*: prices are then the only thing said about the money. A
    # draft that also proposes to start with a trial (「まずは一区間で試行から」, even without a period), puts
    # the cost to negotiation (「初年度の費用は別途ご相談」), or states a role for either side around a single
    # price (「運行は当社の車両と乗務員で」) has a frame, only partly stated: partial, not a price list.
    negotiated = any(_NEGOTIATED.search(re.split(r"[。\n]", text[m.start():m.end() + 20])[0]) for m in deferred)
    proposes_trial = bool([m for m in body_matches(_TRIAL_START) if not _past_only(lay, m.start())
                           and not _SALES_TRIAL.search(_own_sentence(lay, m.start()))])
    price_list = bool(list_prices) and not has_trial and not city_pays_nothing and not company_bears and \
        not negotiated and not proposes_trial and \
        (len(list_prices) >= 2 or bool(budget_ask) or not (has_city or has_company))

    signals = {
        "city_role": float(len(roles.city)),
        "company_role": float(len(roles.company)),
        "cost_bearer": float(len(bearer)),
        "deferred_costs": float(len(deferred)),
        "trial_frame": float(len(trial)),
        "goals": float(len(goals)),
        "midyear_ask": float(len(midyear)),
        "price_mentions": float(len(prices)),
        "city_part_deferred": float(len(city_deferred)),
    }
    present = [k for k, ok in (("city_role", has_city), ("company_role", has_company or has_bearer),
                               ("cost_bearer", has_bearer), ("trial_frame", has_trial and not midyear),
                               ("goals", has_goals)) if ok]
    missing = [k for k in ("city_role", "company_role", "cost_bearer", "trial_frame", "goals") if k not in present]

    if midyear:
        verdict = "fail"
        reason = Bilingual(ja="今年度中・補正予算での支出を市に求めており、予算の流れに乗らない枠組みになっています。",
                           en="It asks the city to pay within this fiscal year or from a supplementary budget, "
                              "which does not fit the city's budget cycle.")
    elif price_list:
        verdict = "fail"
        reason = Bilingual(ja="価格表・購入の依頼が中心で、実証などの始め方や役割分担がありません。",
                           en="It is mainly a price list or a request to buy, with no way to start (such as a trial) "
                              "and no division of roles.")
    elif has_city and (has_company or has_bearer) and has_bearer and has_trial and has_goals and not city_deferred:
        verdict = "pass"
        reason = Bilingual(ja="市と事業者の役割、費用の負担者、実証から始める枠組みと目標が書かれています。",
                           en="It states what the city and the company each do, who bears the costs, and a "
                              "trial-first frame with goals.")
    elif has_city or has_company or has_bearer or (deferred and (has_city or has_company)) or \
            (prices and not price_list) or fee_talk:
        verdict = "partial"
        lacking = [lbl for k, lbl in _LACKING_LABELS if k in missing]
        ja_lacking, en_lacking = "・".join(ja for ja, _ in lacking), "; ".join(en for _, en in lacking)
        reason = Bilingual(ja="役割分担・費用の一部は書かれていますが、" + ja_lacking + "が不足しています。",
                           en=(f"Roles and costs are partly stated, but this is missing: {en_lacking}." if lacking else
                               "Roles and costs are partly stated, but the city's part is left open."))
        if deferred and not has_bearer:
            reason = Bilingual(ja="費用は「別途ご相談」などで先送りされ、" + (ja_lacking or "負担者") + "がはっきりしません。",
                               en="Costs are put off (\"to be discussed separately\" or the like), so this "
                                  "remains unclear: " + (en_lacking or "who pays") + ".")
    elif deferred and body_matches(_TRIAL_START):
        verdict = "partial"
        reason = Bilingual(ja="実証から始める意向はありますが、費用は「別途ご相談」とされ、役割分担も書かれていません。",
                           en="It means to start with a trial, but costs are \"to be discussed separately\" "
                              "and no roles are described.")
    elif deferred and _COST_DEFERRED.search(" ".join(m.group() for m in deferred)) and \
            not _ROLES_DEFERRED.search(" ".join(_own_sentence(lay, m.start()) for m in deferred)):
        # rubric §4: 「費用は別途ご相談」 is a cost partly stated (partial); deferring the roles and
        # the costs together (「実施体制や費用の分担は今後検討」) leaves nothing stated (fail)
        verdict = "partial"
        reason = Bilingual(ja="費用は「別途ご相談」とされ、誰が何を担い何を負担するかが書かれていません。",
                           en="Costs are \"to be discussed separately\", and it does not say who does what "
                              "or who pays for what.")
    elif deferred:
        verdict = "fail"
        reason = Bilingual(ja="役割や費用は「今後の協議」とされ、誰が何を担い何を負担するかが書かれていません。",
                           en="Roles and costs are left \"for future discussion\"; it does not say who does what "
                              "or who pays for what.")
    else:
        verdict = "fail"
        reason = Bilingual(ja="市と事業者の役割分担や費用負担についての記述がありません。",
                           en="Nothing says how roles and costs are split between the city and the company.")

    evidence: list[Evidence] = []
    seen: set[tuple[int, int, str]] = set()

    def add(a: int, b: int, signal: str) -> None:
        while a < b and text[a].isspace():
            a += 1
        if (a, b, signal) in seen or len(evidence) >= 10 or b <= a:
            return
        seen.add((a, b, signal))
        evidence.append(draft.evidence(a, b, signal))

    def add_sentence(offset: int, signal: str) -> None:
        s = lay.sentence_at(offset)
        if s is not None:
            add(s.start, s.end, signal)

    for m in midyear[:2]:
        add_sentence(m.start(), "midyear_ask")
    if price_list:
        for m in prices[:2]:
            add_sentence(m.start(), "price_list")
    for a, b in roles.city[:2]:
        add(a, b, "city_role")
    for a, b in roles.company[:2]:
        add(a, b, "company_role")
    for m in bearer[:1]:
        add_sentence(m.start(), "cost_bearer")
    for m in trial[:1]:
        add_sentence(m.start(), "trial_frame")
    for m in goals[:1]:
        add_sentence(m.start(), "goals")
    for m in deferred[:1]:
        add_sentence(m.start(), "deferred_costs")
    evidence.sort(key=lambda e: e.start)
    return CriterionFinding(verdict=verdict, reason=reason.in_language(draft.language), reason_bilingual=reason,
                            evidence=evidence, present=present, missing=missing, signals=signals)
