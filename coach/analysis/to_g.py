"""to_g flag — does the business model depend on the city paying?

Rubric (screening flags): toG when the city pays for the service as the main revenue — 委託料,
補助金, purchase or licence fees, ESCO fees out of savings, PFS/SIB outcome payments (a valid
scheme, but its revenue is still the city's). withG when revenue comes from the market and the
city contributes assets, data, coordination or credibility. False when no business model is stated.
A company-funded trial followed by a fee from a later budget year is toG.

Two readings decide it, both structural: a payment statement counts only when its own predicate does
not deny it (a Japanese clause puts its polarity last: 「…委託料をお願いするものではありません」), and a price
list counts only when the city is the *customer* of the priced thing — it serves the city's own work, sits
in the city's facilities, or the firm sells to governments — not merely because the letter is addressed to
the city (a hotel's room rates or a funeral plan's price are what guests pay). Public bodies or public
facilities named as the product's adopters (「全国200以上の自治体・道路管理者で採用」「公営霊園45か所で導入」)
say who buys it.

Detection is per sentence: a *payment* (fee, purchase, subsidy, outcome payment, budget) whose
*payer* is the city (市・自治体・貴市・the City, or a request addressed to it: ご購入ください,
ご予算化, お支払いいただく). Sentences that deny it (「市の費用負担はありません」「市に新たなご予算を
お願いするものではありません」) and payments by third parties (利用者・企業・施設・荷主からの…)
do not count. A price list addressed to a government buyer also counts: the city is the customer.
It is the *main* revenue that counts: a one-off capital item the city is asked to fund (boxes,
renovation) beside a running business that lives on the market (recovered materials sold, users'
fees) is a city expense, not a toG model; nor is an open question (「市のご負担があるかどうかは今後」).
The direction of the money matters: rent or 使用料 the proposer pays *to* the city makes the city the
payee, and a draft that says the city pays nothing (「市の財政負担：なし」 "costs the city nothing")
keeps its prices off the city — they are what users, shops or operators pay.
"""

from __future__ import annotations

import re

from coach.analysis.draft import Draft
from coach.analysis.layout import Layout
from coach.models import Bilingual, Evidence, FlagDetail

_CITY = (r"(?:北九州市|貴市|本市|市|自治体|行政|貴局|区役所|教育委員会|\bthe city\b|\bcity\b|\bmunicipalit(?:y|ies)\b|"
         r"\bcouncil\b|\bgovernment\b|\bbureau\b|\bdepartment\b)")
# The city paying for the service.
_CITY_PAYS = re.compile(
    rf"{_CITY}(?:様)?(?:の|から|が|に|より|で|による)?[^。\n]{{0,30}}?"
    r"(?:委託料|委託費|運営委託|業務委託|補助金|補助制度|補助(?:して|を|いただ)|助成|交付金|成果報酬|成果連動|サービス料|ライセンス料|利用料|"
    r"使用料|購入|導入費|構築費|保守料|頂戴|お支払いいただ|お支払い(?:を)?お願い|ご負担いただ|ご負担を|負担いただ|支払う|"
    r"予算で|予算から|予算にて|予算化|予算に計上|当初予算|一括導入|\bpays?\b|\bfunds?\b|\bpurchase|licen[cs]e fee|"
    r"subscription|subscribe|\bbuy\b)|指定管理料|(?:invoice|bill|charge) the city|paid by the city|the city's budget|"
    r"(?:included in|paid from|funded from) (?:the city's |next year's |this year's |the )?(?:\w+ )?budget|"
    # a price asked of the reader with no other payer named: 「野菜の代金は…給食食材費からお支払いいただきます」
    r"(?:代金|対価)[^。\n]{0,70}?(?:お支払いいただ|お支払い(?:を)?お願い|ご負担いただ)|"
    r"(?:委託料|委託費|運営委託料|補助金|成果報酬|成果連動型|サービス料|ライセンス料|利用料|購入費|機器購入費|導入費|構築費)"
    # 「いただ」 is the reader's act (お支払いいただく), but 「させていただく」 is the writer's own humble act:
    # 「導入費用は別途ご相談させていただきます」 names no payer
    r"[^。\n]{0,40}?(?:お支払いいただ|お支払い(?:を)?お願い|ご負担|負担いただ|交付|予算|計上|ご検討|(?<!させて)いただ|お願い|想定|支払う|"
    r"頂戴|申し受け)|"
    rf"{_CITY}の(?:ご)?負担(?:で(?!す|ある|あり)|にて|により|として)|{_CITY}が(?:全額)?(?:ご)?負担(?:する|し|いただ)|"
    # asking to be contracted by the addressee: 「翌年度以降、1橋あたり28万円で定期点検を受託させていただきたく」
    r"受託(?:させていただ|させて(?:ください|頂)|したい|いたしたく|を(?:希望|お願い))|"
    # only the addressee has a 当初予算 / ご予算: 「再来年度以降の当初予算でのご検討をお願いしたい」
    r"当初予算(?:で|に|への|での)[^。\n]{0,12}(?:ご?検討|計上|措置|お願い|導入)|ご予算(?:で|に|の確保|をお願い)|"
    r"(?:(?:月額|年額|単価|あたり)[^。\n]{0,20}(?:での|で)?ご契約|ご契約(?:を|の)?(?:想定|予定|お願い)|"
    r"(?:subsidy|grant|funding|payment) (?:of [^.;]{0,30})?from the city|"
    r"(?:request|apply for|ask for|seek) (?:a |the |your )?(?:subsidy|grant)|ご予算化|予算化のご検討|ご購入|ご発注|随意契約|委託契約|業務委託契約|委託事業として|ご契約いただ|買い取って|"
    r"(?:年度内|今年度中|本年度中)[にの]?(?:ご)?契約|補正予算|入札|supplementary budget|procure|tender)|"
    # the city ordering the works: 「市の発注による施工を想定」「市から受注した工事」
    rf"{_CITY}(?:様)?(?:の|が|から|による)(?:ご)?発注(?:による|で|を受け|いただ|する|して|工事|案件|を想定)|"
    rf"{_CITY}(?:様)?(?:から|より)(?:の)?受注|"
    rf"{_CITY}[^。\n]{{0,20}}?委託を受け|{_CITY}(?:から|より)の?[^。\n]{{0,10}}?受託|"
    # the work commissioned by the city, in any compound of 委託: 「市からの包括委託」「市からの一括委託で」
    rf"{_CITY}(?:様)?(?:から|より)の[^。\n、]{{0,8}}?委託|"
    rf"{_CITY}(?:様)?(?:に|へ)[^。\n]{{0,30}}?(?:リース|レンタル)(?:する|します|いたします|で|を)|"
    r"(?:the city|municipality|the council|the board|the bureau)(?: could| would| will| can)? "
    r"(?:leases? |rents? )(?:the|our|these|those|them|\d)(?![^.;]{0,40}\bto us)|"
    r"(?:the city|municipality|the council|the board|the bureau)(?: could| would| will| can)? subscribe|"
    # 「ライセンス料 年額240万円（市負担）」
    rf"[(（:：]\s*{_CITY}(?:の|にて|で)?(?:ご)?負担\s*[)）]|"
    r"(?<![a-z])(?:esco|pfs|sib|ppa)(?![a-z])|ソーシャル・?インパクト・?ボンド|成果連動型民間委託|電力購入契約|"
    r"(?:school district|school board|schools?|the ward|public facilit(?:y|ies)) (?:pays|will pay|buys|purchases)")
# Indirect wordings, tried only when _CITY_PAYS finds nothing (so the words quoted for a sentence stay the
# most telling ones): 「今年度の予算でご検討ください」 — a budget only the addressee has — and "an annual
# subscription (JPY 6 million) in the next fiscal year's budget".
_CITY_PAYS_INDIRECT = re.compile(
    r"(?:今年度|本年度|来年度|次年度|翌年度|再来年度|\d{4}年度)の?(?:ご)?予算(?:の中|の範囲内|内)?(?:で|に|への|での|から)[^。\n]{0,12}"
    r"(?:ご?検討|計上|措置|お願い|導入|ください|お支払)|"
    r"(?:subscription|licen[cs]e(?: fee)?s?|service fees?|fees?)\b[^.\n]{0,60}?\b(?:in|from|within|under|out of) "
    r"(?:the |your |its )?(?:city's |next |following |coming )?(?:fiscal )?(?:year's )?budget")
# Someone other than the city pays: fares, members, companies, facilities, shippers, sponsors.
_THIRD_PARTY = re.compile(
    r"[(（]\s*(?:ご)?(?:家族|家庭|利用者|保護者|本人|会員|参加者|世帯|個人|受講者|購入者|入居者)(?:様)?(?:の)?(?:ご)?負担|"
    r"(?:ご)?(?:家族|家庭|本人|入居者)(?:様)?(?:から|が(?:支払|負担|購入)|の(?:ご)?負担)|"
    r"(?:利用者|参加者|会員|お客様|住民|市民|来場者|観光客|旅行者|生産者|加盟店|店舗|企業|事業者|施設|荷主|物流会社|"
    r"大会主催者|主催者|保護者|所有者|持ち主|協賛|スポンサー|広告|漁協|各園|各施設|製造業|メーカー|購入者|買い手|"
    r"travell?ers|users|visitors|"
    r"attractions|shops|merchants|sponsors|customers|hauliers|operators)(?:様)?(?:から|が|の|による|負担|との)|"
    r"(?:residents|riders|passengers|families|parents|members|tenants|supermarkets|stores|businesses|companies|firms|"
    r"operators|advertisers|participants|households|guests) (?:would |will |each )?pay|\b[a-z]+s pay us\b|paid by (?:the )?[a-z ]{0,20}operators|"
    r"運賃|参加費|ツアー料金|入場料|受講料|出店料|会費|掲載料|手数料|宿泊料|体験料|賃料|協賛金|参加者負担|自己負担|"
    # the buyer is the noun the payment verb modifies: 「クレジットを購入する意欲のある製造業」
    r"(?:購入|支払|負担)する[^。\n]{0,10}(?:企業|製造業|事業者|会社|方々|人|世帯|家庭)|"
    r"\bfares?\b|tickets?|commission|revenue (?:comes )?from|earn (?:from|an?\b)|ride fees?|user fees?|"
    r"paid by (?:users|riders|visitors|customers|families|participants)")
# The city named as the payer, which overrides fee words (「手数料として市から頂戴します」).
_CITY_PAYER = re.compile(
    rf"{_CITY}(?:様)?(?:に|には)[^。、\n]{{0,30}}?(?:お支払いいただ|ご負担いただ)(?!く(?:こと|必要|部分))|"
    rf"{_CITY}(?:様)?(?:の|から|より|が)[^。]{{0,15}}?(?:予算|お支払いいただ|(?:ご)?負担いただ|補助として|成果報酬|委託料|頂戴|支払う|"
    r"購入|買い取)|"
    rf"{_CITY}(?:様)?(?:に|へ)[^。\n]{{0,30}}?(?:リース|レンタル)(?:する|します|いたします|で)|"
    rf"[(（:：]\s*{_CITY}(?:の|にて|で)?(?:ご)?負担\s*[)）]|"
    r"(?:the city|municipalit(?:y|ies)|bureau) (?:pays|will pay|to pay|buys|to buy|subscribes)|"
    r"(?:invoice|bill|charge) the city|paid by the city|the city's budget|"
    r"(?:included in|paid from|funded from|funded by) (?:the city's |next year's |this year's |the )?(?:\w+ )?budget")
# The city's burden denied in other word orders: 「自治体様に費用をご負担いただくことは一切ありません」
# 「市に費用のご負担をお願いすることはありません」「自治体様への導入費用は無料です」.
_DENIED_JA = (
    rf"{_CITY}(?:役所)?(?:様)?(?:に|へ|が|の)[^。\n]{{0,12}}?(?:ご)?(?:負担|お支払い|支払)[^。\n]{{0,10}}?(?:こと|必要)(?:は|も)"
    r"[^。\n]{0,6}?(?:ありません|ございません|ない|なし|不要)|"
    rf"{_CITY}(?:役所)?(?:様)?(?:への|の|に|は)[^。\n]{{0,12}}?(?:費用|料金|導入費用?|利用料|初期費用)[^。\n]{{0,6}}?"
    r"(?:無料|無償|ゼロ|0円|かかりません|不要)")
_CITY_BURDEN_DENIED = re.compile(
    rf"{_CITY}(?:様)?(?:の|に|へ)(?:新たな)?(?:費用|財政)?(?:ご)?負担(?:は|を)?[^。]{{0,6}}(?:なし|無し|ありません|ない|求め)|"
    rf"{_DENIED_JA}|"
    r"no (?:fee|cost|charge) to the city|the city (?:pays|will pay) nothing|free (?:of charge )?(?:for|to) the city")
# Money from elsewhere that only looks like the city's: national/prefectural grants, research funds,
# and a trial-stage subsidy (not the business model).
_NOT_CITY_MONEY = re.compile(r"(?:国|県|国庫|科研|財団|民間|国土交通省|経済産業省|総務省|内閣府)の?[^。]{0,6}(?:補助金|交付金|助成)|"
                             r"(?:実証|試行|トライアル)(?:実験)?(?:の)?補助")
_NEGATED = re.compile(
    r"(?:費用|財政|新たな)?負担(?:は|:|：)?\s*(?:なし|無し|ありません|ない|想定していません|はござ|を求め|は求め)|"
    r"ご?予算をお願いするものではありません|支出(?:は)?なし|求めない|求めません|いただきません|不要|無償|無料|ではなく|"
    r"頼らず|依存せず|使いません|使わず|"
    r"no (?:fee|cost|charge)|free of charge|not (?:ask|charge)|at no cost|pays nothing|有無|かどうか|か否か|\bwhether\b")
_PRICE = re.compile(
    r"(?:価格|料金|月額|年額|初期費用|初期構築費|ライセンス|利用料|保守|1台|1基|1張|1回|1ケース|1校|プラン|単価)[^。\n]{0,30}?"
    r"\d[\d,，.]*\s*(?:万|千)?円|\d[\d,，.]*\s*(?:万)?円\s*(?:〜|~|から|\(税|（税|/月|/年)|"
    r"(?:price|fee|licen[cs]e)[^.\n]{0,30}(?:jpy|¥|yen)\s*\d|"
    r"(?:jpy|yen|aud|usd|eur|gbp|sgd|hkd|twd|cny|rmb|krw|nzd|cad|chf|us\$|a\$|s\$|nt\$|\$|€|£|¥)\s?\d[\d,.]*"
    r"(?:\s?(?:million|k))?\s*(?:each|per|a (?:month|year|unit)|/\s?(?:month|year|yr|mo))")
# The city as the *customer* of the priced product: it is sold to governments or serves the city's own
# operations (staff, 庁内 work, 自治体DX). Addressing the city (御中, ご担当者様, 貴市) does not make it the
# buyer: a hotel's room rates or a funeral plan's price in a letter to the city are what guests pay.
_GOV_BUYER = re.compile(
    r"(?:市|区|自治体)の[^。\n]{0,20}(?:に|で)(?:使って|ご利用|お使い|導入)|導入費用?(?:は|:)|導入しませんか|導入してみませんか|"
    r"職員(?:の皆様)?(?:向け|の(?:業務|時間|負担|事務))|職員研修|庁内|全庁|行政事務|自治体(?:の)?業務|"
    r"自治体[^。\n]{0,6}(?:向け|各位|ご担当)|自治体(?:様)?(?:で(?:の)?(?:導入|採用)|に導入)|導入(?:自治体|団体)|公共営業|官公庁|"
    # governments as the firm's clients: 「全国120自治体で導入」「自治体様のシティプロモーションをお手伝い」
    r"\d[\d,]*\s*(?:の)?(?:自治体|市町村|団体)[^。\n]{0,16}(?:導入|採用|実績|ご利用)|"
    # public bodies or public facilities as the product's adopters, however counted: 「全国200以上の自治体・
    # 道路管理者で採用」「全国の公営霊園45か所で導入」「市立病院12施設に納入」 — their buyer is a government
    r"(?:自治体|市区町村|市町村|都道府県|官公庁|行政機関|道路管理者|河川管理者|港湾管理者|消防本部|"
    r"(?:公営|市営|県営|町営|公立|市立|県立)[一-龥ァ-ヶー]{1,6})[^。\n]{0,16}?(?:で|に|へ|が)(?:の)?(?:導入|採用|納入)|"
    r"(?:adopted|used|deployed) (?:by|in) (?:over |more than )?\d+ (?:municipalities|councils|cities|local governments|"
    r"public (?:bodies|agencies))|"
    r"(?:自治体|市町村|官公庁)(?:様)?(?:の|から|を)[^。\n]{0,20}(?:お手伝い|ご支援|支援して|受託|サポート)|"
    r"導入実績|ご予算|ご購入|ご発注|お見積|見積|年度末の予算|ご導入|導入をご検討|"
    # the product placed in the city's own facilities: 「市立学校に配備」「区役所の窓口に置いて」「市の施設でご活用」
    r"(?:市の施設|市立[^。\n、]{0,10}|区役所[^。\n、]{0,6}|市役所[^。\n、]{0,6}|庁舎|公共施設)(?:など)?(?:に|で|へ)"
    r"(?:配備|設置|置いて|置かせて|ご活用|ご利用|導入|お使い)|"
    r"municipal (?:customers|clients|staff|offices|departments)|local governments?|public sector|quote|\d+ cities")
# A letter addressed to the city quoting a price per device (1台, 1基, 1ライセンス): equipment is sold to the
# organisation that reads the letter, unlike a room rate or a service plan, which individuals pay.
_ADDRESSED_TO_CITY = re.compile(r"御中|ご担当者?様|貴市|貴局|(?:北九州市|市役所)(?:役所)?\s?(?:の)?(?:皆様|皆さま|ご担当|様)|"
                                r"your (?:\w+ )?(?:department|city|office)")
_PER_DEVICE = re.compile(r"(?:1|一)(?:台|基|セット|ライセンス|式)(?:あたり)?|台あたり|基あたり|per (?:unit|device|licen[cs]e)")
# A consumer product the city only helps to reach households (「ご家庭への配布チラシもご用意」
# 「保護者12万人が利用中」): its price list is what families pay, not a quote to the city.
_CONSUMER_MARKET = re.compile(
    r"(?:ご?家庭|保護者|世帯|個人|ご利用者|住民の皆様)(?:へ|に|向け)(?:の)?(?:配布|ご案内|周知|お知らせ|チラシ)|"
    r"(?:保護者|ご?家庭|個人|世帯|ユーザー)[^。\n]{0,12}\d[\d,]*\s*万?(?:人|世帯|件)が(?:利用|ご利用|購入)|"
    r"(?:保護者|ご?家庭|個人|世帯)(?:様)?が(?:ご?購入|お申込|申し込)|households? (?:buy|pay|subscribe)|parents (?:buy|pay|subscribe)")
# A fee named with only an inquiry, in a sales note to governments: 「月額利用料は…お見積り」.
_FEE_INQUIRY = re.compile(r"(?:初期費用|月額|年額|利用料|ライセンス)[^。\n]{0,30}(?:お見積|ご相談|お問い合わせ)|"
                          r"お見積(?:り|もり)?(?:いたします|します|させて|を作成)")
_SALES_TO_GOV = re.compile(r"自治体[^。\n]{0,6}向け|職員向け|庁内向け|公共営業")
_GOV_CUSTOMER = re.compile(r"自治体(?:様)?(?:に|へ|向けに)[^。\n]{0,20}(?:提供|販売|導入|納入)|自治体(?:様)?が(?:お客様|顧客)|"
                           r"(?:sell|provide|offer)s? (?:\w+ ){0,3}to (?:municipalities|local governments|cities)")
_FEE_NOUN = re.compile(r"手数料|利用料|料金|月額|年額|ライセンス料|\bfees?\b|subscription|licen[cs]e")
_PAID_BY_PUBLIC = re.compile(r"(?:利用者|住民|市民|参加者|会員|加盟店|店舗|企業|事業者|寄附者|お客様)(?:様)?(?:から|が|の負担)|"
                             r"(?:users|residents|members|merchants|shops) pay")
# A later budget year keeps a fee alive even next to 「実証期間は無償」.
_PROPOSER_PAYS_CITY = re.compile(
    r"(?:使用料|賃料|占用料|貸付料|地代|借地料|家賃)[^。\n]{0,20}(?:お支払い|支払い?|納め|納付)(?:します|いたします|ます|する)|"
    r"(?:お支払い|納付|納め)(?:します|いたします)|"
    r"(?:pay|paying) (?:the city|rent|a (?:fee|rent) to the city)|(?:rent|lease fee|fee) to the city")
_LATER_YEAR = re.compile(r"翌年度|次年度|来年度|以降|実証後|本格|\d{4}年度|after the pilot|following (?:fiscal )?year|"
                         r"next (?:fiscal )?year|from year")


_DRAFT_DENIES = re.compile(
    rf"{_DENIED_JA}|"
    r"(?:the city|municipality) pays nothing|costs? the city nothing|(?:at )?no cost to the city|free (?:of charge )?for the city|no (?:new )?(?:cost|budget|fee|charge) (?:to|for|from) the city|"
    r"not asking (?:the city )?for any (?:new )?(?:budget|money|funding)|does not ask for any (?:new )?(?:budget|money|funding)|"
    r"市の(?:新たな)?(?:費用|財政)?負担(?:は|:)?\s*(?:なし|無し|ありません|ございません)|財政負担(?:は|:)?\s*(?:なし|無し|ありません)")
# The proposer bearing a priced item: 「初期費用30万円は当社が負担」.
_OWN_COST = re.compile(r"(?:当社|弊社|当法人|私たち|we)[^。\n]{0,20}(?:負担|cover|bear|pay for)|(?:at|for) our (?:own )?(?:cost|expense)")


# A one-off capital cost (purchase of equipment, installation, renovation) borne by the city; recurring
# payments to the proposer (委託料, licence, subscription, subsidy, outcome payment) are not one-off.
_CAPITAL_COST = re.compile(r"(?:購入|設置|改修|整備|工事|設備|建設|修繕|改装|取得)(?:費|費用|代|工事)|初期(?:費用|投資)|"
                           # the thing funded is a building or works: 「市の財産の改修であるため、補正予算で」
                           r"(?:改修|改装|修繕|改築|建設|建替|設備更新|内装)(?:で|であ|に|を|の(?:ため|費用))|"
                           r"(?:機器|設備|機材|端末|ボックス|箱|車両|遊具|看板|ベンチ|センサー|キオスク)[^。\n]{0,20}?(?:購入|買い取|取得)|"
                           r"(?:purchase|installation|renovation|refurbishment|capital|equipment|set-?up) costs?|"
                           r"\b(?:buy|purchase|install)s? (?:the |our |\d+ |[a-z]+ ){0,3}(?:sensors|units|boxes|bins|devices|kiosks|"
                           r"benches|screens|chargers|equipment|vehicles)")
_RECURRING = re.compile(r"委託|補助|助成|ライセンス|利用料|使用料|サービス料|保守|運営費|年額|月額|毎年|毎月|継続|成果|"
                        r"licen[cs]e|subscription|annual|per (?:year|month)|running|service fee|subsid|grant|outcome")
# Where the running revenue comes from, when it is not the city: sales, users, rent flowing elsewhere.
_MARKET_REVENUE = re.compile(
    r"(?:売っ?た|売却|販売)(?:した)?(?:代金|収入|益|収益)|代金で[^。\n]{0,20}(?:まかな|賄|運営|回)|"
    r"(?:収入|収益|売上)(?:は|を|で)[^。\n]{0,30}(?:から|として|で(?:まかな|賄|運営))|家賃収入|"
    r"(?:利用者|店舗|企業|テナント|広告主|会員|参加者|来場者)(?:様)?からの(?:利用料|手数料|会費|広告料|賃料|参加費|入場料)|"
    r"(?:revenue|income) (?:comes |will come )?from (?:the )?(?:sale|selling|users|residents|customers|members|fees paid by|ads|advert)|"
    r"(?:runs|run|lives|paid for) (?:on|by) (?:the )?(?:fees|ads|advertising|sales|subscriptions) (?:paid by|from|to) "
    r"(?:shops|users|residents|customers|members|visitors|businesses|advertisers)|"
    r"(?:fees|subscriptions) paid by (?:shops|users|residents|customers|members|visitors|businesses)")


def _one_off_capital(clause: str) -> bool:
    return bool(_CAPITAL_COST.search(clause)) and not _RECURRING.search(clause)


# The predicate that governs a payment phrase, read up to the next 、/。: a Japanese sentence puts its
# polarity at the end, so 「市に委託料をお願いするものではありません」「貴市からの委託料の受領は想定して
# おりません」「市に費用のご負担をお願いすることは考えておりません」「自治体様への導入費用は無料です」 all deny
# the payment whatever their wording.
# A question (〜ませんか), a condition (〜なければ/〜ないと/〜なしでは) or a cause (〜ないため) is not a denial.
_DENIED_TAIL = re.compile(r"^[^、。\n]*?(?:ません|ございません|ない|なし|無し|せず|しない|"
                          r"(?:無料|無償|不要|ゼロ|(?<![\d,，.])0円)(?:です|となります|でございます|とします)?)(?=[。.\s)）]|$)|"
                          # 「市の補助金なしで運営します」 (but 「補助金なしでは続けられません」 is a condition)
                          r"^[^、。\n]{0,4}?(?:なし|無し)(?:で|に)(?!は)|^[^、。\n]{0,6}?(?:に頼らず|に依存せず|を使わず|を受けず)")
# 「お時間を頂戴」「機会を頂戴」: 頂戴 is a payment only when money is what is received.
_NOT_MONEY_RECEIVED = re.compile(r"(?:時間|機会|ご意見|ご指導|ご連絡|お返事|ご返信|ご助言|ご理解)を?頂戴")


def _payment(clause: str) -> re.Match[str] | None:
    """The first payment by the city in a clause that the clause's own predicate does not deny."""
    for rx in (_CITY_PAYS, _CITY_PAYS_INDIRECT):
        for m in rx.finditer(clause):
            if _DENIED_TAIL.search(clause[m.end():]):
                continue
            if "頂戴" in m.group(0) and _NOT_MONEY_RECEIVED.search(clause[max(0, m.end() - 12):m.end()]):
                continue
            return m
    return None


# What a hit found, when it is a label rather than the draft's own words: its English.
_FOUND_EN = {
    "価格表": "a price list",
    "自治体が払う手数料・料金": "fees paid by local governments",
    "自治体向けの料金": "fees charged to local governments",
    "price quoted to the city": "a price quoted to the city",
}


def _found_en(found: str) -> str:
    return _FOUND_EN.get(found) or f'"{found}"'  # the draft's own words are quoted


_CITY_RX = re.compile(_CITY)


def _own_part_names_city(clause: str, m: re.Match[str]) -> bool:
    """A sentence that gives each part its own payer (「公園管理は市からの包括委託、空き家管理は所有者からの料金」):
    the city's part stands when the payment names the city and no other payer sits in its own 、-part."""
    if not _CITY_RX.search(m.group(0)):
        return False
    a = max(clause.rfind("、", 0, m.start()), clause.rfind("，", 0, m.start())) + 1
    ends = [i for i in (clause.find("、", m.end()), clause.find("，", m.end())) if i >= 0]
    return not _THIRD_PARTY.search(clause[a:min(ends) if ends else len(clause)])


def detect_to_g(draft: Draft) -> FlagDetail:
    lay = Layout.of(draft)
    text = lay.folded
    hits: list[tuple[int, int, str, str]] = []  # start, end, signal, what was found
    for a, b in lay.clauses:
        st = text[a:b]
        m = _payment(st)
        if not m:
            continue
        if _NOT_CITY_MONEY.search(st) and not re.search(r"継続|毎年|運営補助|前提", st):
            continue
        explicit = _CITY_PAYER.search(st) and not _CITY_BURDEN_DENIED.search(st)
        if not explicit and (_NEGATED.search(st) or _CITY_BURDEN_DENIED.search(st)) and not _LATER_YEAR.search(st):
            continue  # 「市の費用負担はありません」
        if _THIRD_PARTY.search(st) and not _CITY_PAYER.search(st) and not _own_part_names_city(st, m):
            continue
        if _PROPOSER_PAYS_CITY.search(st) and not _CITY_PAYER.search(st):
            continue  # 「港湾用地は市の規定に基づく使用料をお支払いします」: the company pays the city  # 「企業からの業務委託料」「施設からの利用料」: paid by someone else
        hits.append((a, b, "city_pays", draft.text[a + m.start():a + m.end()]))
    # A one-off capital item the city is asked to fund (boxes, renovation) while the running business lives
    # on the market (「手間賃は回収物を売った代金でまかなえる」) is a city expense, not the revenue model.
    market_capital = bool(hits) and bool(_MARKET_REVENUE.search(text)) and \
        all(_one_off_capital(text[a:b]) for a, b, _, _ in hits)
    if market_capital:
        hits = []
    # with the city's part a one-off expense, prices in the draft are what the market pays
    denies = market_capital or bool(_DRAFT_DENIES.search(text))
    # A price list sent to a government buyer: the city is the customer.
    per_device = bool(_ADDRESSED_TO_CITY.search(text)) and any(
        _PRICE.search(text[a:b]) and _PER_DEVICE.search(text[a:b]) for a, b in lay.clauses)
    if (_GOV_BUYER.search(text) or per_device) and not denies and not _CONSUMER_MARKET.search(text):
        # 「導入費は無料、月額利用料は5万円〜」: a free part does not cancel the priced part.
        priced = [(a, b) for a, b in lay.clauses if _PRICE.search(text[a:b]) and not _OWN_COST.search(text[a:b])
                  and not _THIRD_PARTY.search(text[a:b]) and not _CITY_BURDEN_DENIED.search(text[a:b])]
        hits += [(a, b, "price_to_city", "価格表") for a, b in priced[:2]]
    # An English sales note quoting a unit price to its reader: the reader, the city, is the buyer.
    if not hits and draft.language == "en" and not denies:
        priced = [(a, b) for a, b in lay.clauses if _PRICE.search(text[a:b])
                  and not _THIRD_PARTY.search(text[a:b]) and not _NEGATED.search(text[a:b])]
        hits += [(a, b, "price_to_city", "price quoted to the city") for a, b in priced[:2]]
    # 「全国の自治体に…を提供しています。手数料は寄附額の8%です」: governments are the customers.
    if not hits and not market_capital and _GOV_CUSTOMER.search(text):
        for a, b in lay.clauses:
            st = text[a:b]
            # 「システム利用料・広告費などは当社が負担いたします」: a fee the proposer bears
            if _FEE_NOUN.search(st) and not _PAID_BY_PUBLIC.search(st) and not _CITY_BURDEN_DENIED.search(st) \
                    and not _OWN_COST.search(st) and not _NEGATED.search(st):
                hits.append((a, b, "fee_to_city", "自治体が払う手数料・料金"))
                break
    if not hits and not market_capital and _SALES_TO_GOV.search(text):
        m = _FEE_INQUIRY.search(text)
        s = lay.sentence_at(m.start()) if m else None
        if s is not None:
            hits.append((s.start, s.end, "fee_to_city", "自治体向けの料金"))

    if not hits:
        reason = Bilingual(
            ja="市が支払う料金・委託料・補助金を収益の柱とする記述はありません"
               "（市場から収益を得る withG か、収益モデルの記載なし）。",
            en="Nothing says the business would live mainly on fees, contract payments or subsidies paid by the "
               "city (it either earns from the market, withG, or gives no revenue model).")
        return FlagDetail(raised=False, reason=reason.in_language(draft.language), reason_bilingual=reason)
    seen: set[int] = set()
    evidence: list[Evidence] = []
    for a, b, sig, _ in sorted(hits):
        if a not in seen:
            seen.add(a)
            evidence.append(draft.evidence(a, b, sig))
    found = list(dict.fromkeys(h[3].strip() for h in hits))
    reason = Bilingual(
        ja=f"収益が市の支払い（{'・'.join(found)[:60]}）に依存しています。官民共創（withG）ではなく"
           "調達（toG）に近い事業モデルです。",
        en=f"Revenue depends on payments by the city ({', '.join(_found_en(f) for f in found[:3])}). "
           "The business model is closer to procurement (toG) than to 官民共創 (public-private co-creation, "
           "withG).")
    return FlagDetail(raised=True, reason=reason.in_language(draft.language), reason_bilingual=reason,
                      evidence=evidence[:4])
