"""sales_pitch: what a free offer and a nationwide issue line are worth (rubric, screening flags).

A brochure that says the product costs the city nothing is still a brochure: 「費用は当社負担」 is a
price, not a proposal. It stops being one when the free offer has a scope of its own (a place, a
count, a period) or comes with a proposal or a part for the city. Likewise one line declaring a
topic a nationwide social issue, above a product description, is not a problem the draft works
from. The texts are written for these tests, in several wordings, with near-misses that must not
raise the flag.
"""

from __future__ import annotations

import pytest

from coach.analysis import analyze

FREE_BROCHURE_JA = """見守りタグ「ミマモリン」のご紹介
・ボタン電池で2年間動作
・全国の加盟店舗1,200店で受信
・グッドデザイン賞受賞
導入・運用の費用はすべて弊社が負担いたします。
パンフレットを同封いたしましたので、ご覧ください。"""

FREE_DEMO_JA = """株式会社そらまき
水田向け自動散水ロボットのご案内
・スマホ1台で10台まで同時に操作
・GPSで散水範囲を自動設定
お試し運転は無償で承ります（費用は弊社負担）。
お気軽にお問い合わせください。"""

FREE_BROCHURE_EN = """Introducing ParkPal, the parking app used by 900,000 drivers.
- Pay by phone in 3 taps
- Winner of the 2024 Smart City Award
There is no cost to the city: we cover all set-up and running costs.
Our brochure is attached; we look forward to hearing from you."""

# near-misses: the same free offer given a scope here is a concrete deployment
FREE_WITH_SCOPE_JA = """見守りタグ「ミマモリン」のご紹介
・ボタン電池で2年間動作
戸畑区の2つの小学校で、6か月間、児童200人分のタグを無償で配布し、試験運用させていただきたいと考えております。
機器・受信器・保守の費用はすべて弊社が負担いたします。"""

FREE_WITH_SCOPE_EN = """Introducing ParkPal, the parking app used by 900,000 drivers.
We would like to run it at three municipal car parks for four months, free of charge to the city.
We cover all set-up and running costs."""

NATIONAL_ISSUE_LINE_JA = """食品ロスは、いまや全国的な社会問題です。
「たべのこさん」は売れ残りそうなお弁当をアプリで予約できるサービスです。
■特長
・加盟店 全国3,000店
・アプリ評価4.6
お気軽にお問い合わせください。"""

NATIONAL_ISSUE_LINE_EN = """Loneliness among older people is a growing social problem.
CallBuddy is a friendly phone service that calls members every morning.
- 40,000 members nationwide
- Winner of the 2023 AgeTech Award
Please see the attached brochure."""

# near-miss: a problem with who and how many is a problem, not an issue line
MEASURED_PROBLEM_JA = """市内のコンビニ3店舗で聞き取りをしたところ、1店舗あたり毎日約15食のお弁当が廃棄されていました。
「たべのこさん」は売れ残りそうなお弁当をアプリで予約できるサービスです。
お気軽にお問い合わせください。"""


@pytest.mark.parametrize(
    ("text", "raised"),
    [(FREE_BROCHURE_JA, True), (FREE_DEMO_JA, True), (FREE_BROCHURE_EN, True),
     (FREE_WITH_SCOPE_JA, False), (FREE_WITH_SCOPE_EN, False)],
    ids=["free-brochure-ja", "free-demo-ja", "free-brochure-en", "free-with-scope-ja", "free-with-scope-en"],
)
def test_a_free_offer_is_a_reason_only_with_a_scope(text: str, raised: bool) -> None:
    detail = analyze(text).flag_details["sales_pitch"]
    assert detail.raised is raised, detail.reason


@pytest.mark.parametrize(
    ("text", "raised"),
    [(NATIONAL_ISSUE_LINE_JA, True), (NATIONAL_ISSUE_LINE_EN, True), (MEASURED_PROBLEM_JA, False)],
    ids=["issue-line-ja", "issue-line-en", "measured-problem-ja"],
)
def test_a_nationwide_issue_line_is_not_a_problem(text: str, raised: bool) -> None:
    detail = analyze(text).flag_details["sales_pitch"]
    assert detail.raised is raised, detail.reason


def test_reason_follows_the_drafts_language() -> None:
    ja = analyze(FREE_BROCHURE_JA).flag_details["sales_pitch"]
    en = analyze(FREE_BROCHURE_EN).flag_details["sales_pitch"]
    assert "製品" in ja.reason and "product" in en.reason
    assert ja.reason_bilingual.en and en.reason_bilingual.ja


# near-miss: what is happening is said before the label, so the issue is decomposed
DECOMPOSED_ISSUE_JA = """近年、市内の団地では空き室が増え、自治会の担い手も減っており、見守りが大きな課題となっています。
弊社では以下のサービスをご提供できます。
・見守りセンサーの設置
・安否確認の電話サービス
まずはお打ち合わせの機会をいただけますでしょうか。"""

LOCAL_PLACE_ASK_JA = """「まちの給水ポット」は、マイボトルに給水できるスタンドです。全国の駅や商業施設など210か所に設置されています。
北九州市の皆さまにも使っていただきたく、区内の図書館や体育館への設置をご検討いただければ幸いです。"""

LOCAL_PLACE_ASK_EN = """RefillPoint is a water station for reusable bottles, already at 210 stations and malls across Japan.
We would like to place five stations in your ward offices and libraries."""

# near-misses: places counted elsewhere, or what the product could do, nothing asked here
CAPABILITY_ONLY_EN = """RefillPoint is a water station for reusable bottles.
It can be installed at your libraries, parks or ward offices in a day. Please see the attached brochure."""

ELSEWHERE_ONLY_JA = """「まちの給水ポット」は、マイボトルに無料で給水できるスタンドです。全国の駅や商業施設など210か所に設置されています。
資料を同封いたしましたので、ご覧ください。"""


@pytest.mark.parametrize(
    ("text", "raised"),
    [(DECOMPOSED_ISSUE_JA, False), (LOCAL_PLACE_ASK_JA, False), (LOCAL_PLACE_ASK_EN, False), (ELSEWHERE_ONLY_JA, True),
     (CAPABILITY_ONLY_EN, True)],
    ids=["decomposed-issue-ja", "local-place-ask-ja", "local-place-ask-en", "elsewhere-only-ja", "capability-only-en"],
)
def test_local_deployment_asks_and_decomposed_issues(text: str, raised: bool) -> None:
    detail = analyze(text).flag_details["sales_pitch"]
    assert detail.raised is raised, detail.reason
