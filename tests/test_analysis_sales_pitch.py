"""sales_pitch flag (STEP 2 「単なる営業活動ではないか」): raised for a brochure or a bare request
for a meeting — no problem, no role for the city, no proposal; not raised for a concrete local
deployment, a free offer with a part for the city, or a proposal of an agreement."""

from __future__ import annotations

import pytest

from coach.analysis import analyze
from coach.analysis.cost_split import judge_cost_split
from coach.analysis.draft import Draft
from coach.analysis.issue_driven import judge_issue_driven
from coach.analysis.one_solution import judge_one_solution
from coach.analysis.sales_pitch import detect_sales_pitch
from coach.models import CriterionFinding


def flag(text: str, findings: dict[str, CriterionFinding] | None = None):
    draft = Draft.prepare(text)
    if findings is None:
        # the detector reads cost_split's city role in production (analyze()), so it does here too
        findings = {"issue_driven": judge_issue_driven(draft), "one_solution": judge_one_solution(draft),
                    "cost_split": judge_cost_split(draft)}
    return detect_sales_pitch(draft, findings)


BROCHURE = """スマート街路灯「ヒカリポール」のご案内
■特長
・消費電力を従来比60%削減
・災害時は非常用電源として稼働
■実績
全国75自治体、3,200基の導入実績。2024年度インフラDXアワード受賞。
■価格
1基 98万円（税別・工事費別）
資料をお送りしますので、ご検討のほどよろしくお願い申し上げます。"""

MEETING_REQUEST = """北九州市役所 ご担当者様
イベント企画の株式会社フェスタワークス、中村です。年間150本以上の運営実績がございます。
一度ご挨拶と意見交換の機会をいただけないでしょうか。ご都合のよい日程をお知らせください。"""

ENGLISH_MEETING = """Subject: Quick intro – EV car sharing
ShareVolt operates 1,800 vehicles in 40 cities and won the 2024 Mobility Innovation Award.
Could we schedule a 30-minute online meeting to introduce our service?"""

BUSINESS_CARD = """株式会社ひびきクリエイト 代表取締役 山下 健一
TEL 093-XXX-XXXX
【事業内容】ホームページ制作／SNS運用代行／動画制作／ロゴデザイン／イベント企画運営
官公庁・自治体様のお仕事、実績多数。お気軽にご相談ください！"""

LOCAL_DEPLOYMENT = """多言語AIガイドアプリ「GoLocal」は8言語に対応し、2022年にツーリズムテック大賞を受賞しました。
北九州市の主要な観光地30か所の多言語コンテンツを制作し、2025年10月から6か月の間、無料でサービスを提供することを提案します。"""

AGREEMENT = """北九州市長 様
北九州市と当組合との連携と協力に関する協定（案）について
下記の事項について包括的に連携・協力する協定の締結をご提案いたします。
1 創業支援に関すること
2 事業承継に関すること
3 観光振興に関すること"""

FREE_PROGRAMME = """「夢のアスリート教室」参加自治体募集のご案内
元日本代表選手が小学校を訪問し、体育の授業と講演を行います。
講師の派遣費、交通費、運営にかかる費用はすべて当社が負担いたします。
参加を希望される自治体様は、教育委員会を通じて実施希望校をお申し込みください。"""

PROBLEM_LED = """区役所の代表電話には定型的な問い合わせが集中し、繁忙期には応答率が55%まで低下しています。
AI音声応対を1区役所で6か月試行したいと考えています。市には電話回線の転送設定へのご協力をお願いします。"""


@pytest.mark.parametrize(
    "text, raised",
    [
        ("イベントも、チラシも、ホームページも、動画も、SNSも、全部おまかせください！", True),
        (("Dear Kitakyushu team, our SaaS for municipal procurement is used by 300 US counties. "
          "Pricing starts at USD 2,000/month. Happy to send a quote."), True),
        (("We'd like to offer the city free access to our air-quality dashboard for one year. The city's environment "
          "bureau would only need to tell us where to place 30 sensors on city property."), False),
        (("弊社が開発した翻訳機は80言語に対応します。観光案内所に置いていただければ、スタッフの負担が軽くなると思います。"
          "1台3万円です。カタログを同封いたします。"), True),
    ],
    ids=["mo-list", "english-price", "english-free-offer", "benefit-brochure"],
)
def test_more_voices(text: str, raised: bool) -> None:
    assert flag(text).raised is raised


@pytest.mark.parametrize(
    "text, raised",
    [
        (BROCHURE, True),
        (MEETING_REQUEST, True),
        (ENGLISH_MEETING, True),
        (BUSINESS_CARD, True),
        (LOCAL_DEPLOYMENT, False),
        (AGREEMENT, False),
        (FREE_PROGRAMME, False),
        (PROBLEM_LED, False),
    ],
    ids=["brochure", "meeting", "english-meeting", "card", "local-deployment", "agreement", "free", "problem-led"],
)
def test_flag_on_written_drafts(text: str, raised: bool) -> None:
    detail = flag(text)
    assert detail.raised is raised, detail.reason
    assert detail.reason
    assert all(e.text == text[e.start:e.end] for e in detail.evidence)


def test_raised_flag_explains_what_is_missing_and_shows_the_sales_text() -> None:
    detail = flag(BROCHURE)
    assert "課題" in detail.reason and "役割" in detail.reason
    assert any("導入実績" in e.text or "ご案内" in e.text for e in detail.evidence)


def test_city_role_found_by_cost_split_clears_the_flag() -> None:
    # ANALYZER-B's cost_split reports what the city provides; if it found one, this is no brochure.
    cost = CriterionFinding(verdict="partial", reason="", present=["city_role"])
    assert flag(BROCHURE, {"cost_split": cost}).raised is False


@pytest.mark.parametrize("case_id", ["dev-005", "dev-011", "dev-024", "devb-006", "devb-007", "devb-010",
                                     "dev-014", "dev-052", "devb-012", "devb-024", "devb-042", "devb-047"])
def test_selected_dev_cases(dev_cases: list[dict], case_id: str) -> None:
    case = next(c for c in dev_cases if c["id"] == case_id)
    assert flag(case["text"]).raised is case["labels"]["sales_pitch"]


def test_full_analysis_sets_the_flag() -> None:
    assert analyze(BROCHURE).flags.sales_pitch is True
    assert analyze(PROBLEM_LED).flags.sales_pitch is False


MENU_WITHOUT_A_PROPOSAL = """【官民連携メニュー】
A. 防災：避難所のWi-Fi整備
B. 観光：多言語デジタルマップ
C. 教育：プログラミング出前授業
ご関心のあるメニューからご一緒させてください。"""

USES_ARE_NOT_PROBLEMS = """当社の小型IoTセンサー「ミハリ」は、防犯、交通量調査、河川水位の監視、不法投棄の見張りなど、さまざまな用途にお使いいただけます。
電池で3年動き、設置工事も不要です。1台 月額2,980円。ご興味があれば資料をお送りします。"""

ROUTING_ASK = """弊社のサービスは、防災・観光・子育てのどの分野でもご活用いただけます。
どの部署にご相談すればよいか分からず、代表アドレスにお送りしました。
市の課題に合わせてカスタマイズしますので、ご関心のある部署をご紹介いただけますでしょうか。"""

ENDORSEMENT_ASK = """弊社は介護DXの会社です。以下のことができます。
・介護記録アプリ
・見守りセンサー
・送迎ルート最適化
・介護人材の外国人採用支援
貴市の介護事業所の皆様にご紹介いただけないでしょうか。"""

LIAISON_IS_A_ROLE = """当社は商店街のブランディングを専門とするデザイン会社です。
■サービス
・商店街のロゴ・サイン計画
・SNS運用代行
・商店街公式アプリの開発
・動画・写真撮影
市には、商店街との橋渡しをお願いできればと存じます。"""


@pytest.mark.parametrize(
    "text, raised",
    [(MENU_WITHOUT_A_PROPOSAL, True), (USES_ARE_NOT_PROBLEMS, True), (ROUTING_ASK, True), (ENDORSEMENT_ASK, True),
     (LIAISON_IS_A_ROLE, False)],
    ids=["menu-no-proposal", "uses-not-problems", "routing-ask", "endorsement-ask", "liaison-is-a-role"],
)
def test_catalogue_brochures_and_asks(text: str, raised: bool) -> None:
    detail = analyze(text).flag_details["sales_pitch"]
    assert detail.raised is raised, detail.reason


# Sixth writer: a request for the reader's time is a meeting request; a free trial open to any
# customer (「今なら…ご利用いただけます」) is a promotion, not a proposal; a proposal anchored at a named
# place in the city is a concrete local deployment even when its only other mark is who pays.
TIME_ASK = """株式会社ミドリテック 営業部
防災・観光・子育て・窓口業務まで、自治体様のお悩みを幅広くお手伝いしております。
ご担当課に、5分ほどで構いませんのでサービスご紹介のお時間をいただければ幸いです。"""

PROMOTION = """自治体職員の皆様へ
AI文字起こしサービス「キキトリ」のご案内
会議の録音をアップロードするだけで、議事録の下書きを自動で作成します。
料金：月額30,000円〜
今なら2週間の無料お試しをご利用いただけます。お申し込みはウェブサイトから。"""

SITE_PROPOSAL = """小倉城周辺の空き区画を活用したナイトマーケット事業のご提案
株式会社ヨルイチ
当社はこれまで全国8都市で夜市を運営してまいりました。
出店者の募集、運営スタッフ、設営・撤去の費用はすべて当社が負担いたします。
ご検討のほど、よろしくお願いいたします。"""

# near-misses: the same asks next to a trial proposed here, and the same letter addressed only to the city
TIME_ASK_WITH_TRIAL = TIME_ASK + "\n若松区の市民センター2か所で、3か月間の実証を行わせていただきたいと考えております。"
CITY_ONLY_PROPOSAL = SITE_PROPOSAL.replace("小倉城周辺の空き区画を活用した", "北九州市の皆様への")
WARD_ADDRESSEES = SITE_PROPOSAL.replace("小倉城周辺の空き区画を活用した", "小倉北区の皆様への")


@pytest.mark.parametrize(
    "text, raised",
    [(TIME_ASK, True), (PROMOTION, True), (SITE_PROPOSAL, False), (TIME_ASK_WITH_TRIAL, False),
     (CITY_ONLY_PROPOSAL, True), (WARD_ADDRESSEES, True)],
    ids=["time-ask", "promotion", "site-proposal", "time-ask-with-trial", "city-only-proposal", "ward-addressees"],
)
def test_time_asks_promotions_and_site_proposals(text: str, raised: bool) -> None:
    detail = analyze(text).flag_details["sales_pitch"]
    assert detail.raised is raised, detail.reason


EN_SITE_PROPOSAL = """Dear Smart City Team,
ParkLoop Inc. is pleased to present three products for your consideration.
- LoopMeter: parking occupancy sensors with a payment app
- LoopLight: street lights that dim at night
- LoopBin: fill-level sensors for public bins
Proposed deployment for the Kokura station area:
- 200 LoopMeter sensors and 50 LoopBin units
Pricing: USD 400 per sensor. We have won the 2024 Smart Parking Award."""


@pytest.mark.parametrize(
    "text, raised",
    [(EN_SITE_PROPOSAL, False), (EN_SITE_PROPOSAL.replace("the Kokura station area", "a typical town centre"), True)],
    ids=["en-site-proposal", "en-any-town"],
)
def test_english_proposal_at_a_named_place(text: str, raised: bool) -> None:
    detail = analyze(text).flag_details["sales_pitch"]
    assert detail.raised is raised, detail.reason


# A brochure whose only "problem" is a backdrop — society's trends behind the company's mission,
# a rhetorical 「こんなお悩みはありませんか？」 with its checklist, an offer to hear the city's
# problems, a self-introduction — is a sales pitch; so is one whose "role for the city" is a line
# of another city's track record (「・B市：…が減少」 under 【導入事例】).
_PRODUCT = "\n■ 製品の特長\n・センサーで水位を自動計測\n・スマホに通知\n\n■ 価格\n1台あたり12万円\n"


@pytest.mark.parametrize(
    "text, raised",
    [
        ("豪雨の激甚化、インフラの老朽化、担い手不足――社会が直面する課題に、当社のIoTでお応えします。" + _PRODUCT, True),
        ("河川の見回り、こんなお悩みはありませんか？\n□ 夜間の巡回が負担\n□ 水位の記録が手書き\n" + _PRODUCT, True),
        ("弊社製品のご紹介とあわせ、貴市の防災上の課題について意見交換させていただければ幸いです。" + _PRODUCT, True),
        (_PRODUCT + "\n■ 導入事例\n・B市：職員の夜間出動が導入前と比べて減少\n", True),
        # near-misses: a particular local problem, and the same trends as the premise of a local trial
        ("市内の中小河川では、夜間の水位確認に職員が出動する回数が増えています。" + _PRODUCT, False),
        ("豪雨の激甚化が進むなか、貴市の紫川流域でセンサー10台の試験設置をご提案します。" + _PRODUCT, False),
    ],
    ids=["mission-trends", "rhetorical-checklist", "discuss-your-problems", "other-citys-record",
         "local-problem", "trend-then-local-trial"],
)
def test_a_backdrop_problem_does_not_save_a_brochure(text: str, raised: bool) -> None:
    detail = flag(text)
    assert detail.raised is raised, detail.reason


# The writer describing its own business (「当社は、…を一つのアプリで提供しています」) is neither a
# problem (its features name uses: 「混雑表示」) nor a role for the city, and asking the city to adopt
# the product is the sale itself. Near-miss: the same ask with a concrete local trial is a proposal.
_SELF = "弊社は、市民向けに、公園の混雑表示、ごみ出しの通知、避難所の開設情報を一つの画面で提供しています。\n"


@pytest.mark.parametrize(
    "text, raised",
    [
        (_SELF + "北九州市でもこの画面を採用していただけませんか。", True),
        (("Hi! I'm Ken from RideDot - we build a dashboard that shows congestion and empty bike racks. "
          "Would your team like to adopt our app?"), True),
        (_SELF + "まずは小倉駅南口の市営駐輪場1か所で、3か月間の無償試行をご提案します。", False),
    ],
    ids=["ja-self-description-adopt-ask", "en-self-intro-adopt-ask", "with-local-trial"],
)
def test_self_description_and_an_adoption_ask_are_a_pitch(text: str, raised: bool) -> None:
    detail = flag(text)
    assert detail.raised is raised, detail.reason


# What a brochure is, sentence by sentence: the writer is the subject. A line whose agent is the
# writer — named (「私たちが支えます」 "We are pleased to introduce…") or marked by a humble predicate
# on an offering verb (「次のサービスを展開しております」) — says what the company sells: its problem
# words name a market (「物流業界の『人手不足』」), its verbs (introduce) are not a part for the city.
# Near-misses: a measured problem of this city, or a sentence asking the city for a venue, is read
# as usual.
_SERVICES = "・ドライバー派遣\n・倉庫作業の請負\n・配送ルートの設計\n"
_EN_BROCHURE = ("Dear City of Kitakyushu,\n\nWe are pleased to introduce SnowBot Mini, the lightest snow-clearing "
                "robot on the market.\n\n- Clears 300 m2 per hour\n- Runs 6 hours per charge\n- Sold in 9 countries\n\n"
                "Public-sector price: JPY 450,000 per unit. We would be glad to ship a demo unit to your office.")


@pytest.mark.parametrize(
    "text, raised",
    [
        ("現在は次のサービスを展開しております。\n" + _SERVICES + "30分ほどお時間を頂戴できれば幸いです。", True),
        ("物流業界の「人手不足」を、私たちが支えます\n■サービス\n" + _SERVICES
         + "業務委託をご検討の際は、ぜひ弊社にお声がけください。", True),
        (_EN_BROCHURE + " Please reply to set up a call with our Tokyo agent.", True),
        ("現在は次のサービスを展開しております。\n" + _SERVICES
         + "市内の運送会社では、ドライバーの欠員が昨年度から120人に増えています。", False),
        (_EN_BROCHURE + " We would like the city to provide one pumping station in Wakamatsu for a three-month trial.",
         False),
    ],
    ids=["ja-humble-service-list", "ja-slogan-writer-subject", "en-we-introduce",
         "with-measured-local-problem", "en-with-city-venue"],
)
def test_a_line_whose_subject_is_the_writer_states_no_problem_and_no_role(text: str, raised: bool) -> None:
    detail = flag(text)
    assert detail.raised is raised, detail.reason


# A part for the city left for later (「市にお願いする役割については、契約の際に改めて調整させていただきます」
# "the city's role is to be agreed later") states none. Near-miss: a role named now.
_MENU = ("全国の自治体様へ\n株式会社サイクルネットです。以下のプランをご用意しております。\n"
         "・公用自転車のシェア化\n・観光向けレンタサイクル\n・駐輪場の電子化\n機材の費用は当社が負担します。\n")


@pytest.mark.parametrize(
    "text, raised",
    [
        (_MENU + "自治体様にお願いする役割につきましては、契約の際に改めて調整させていただきます。", True),
        (_MENU + "The city's role is to be discussed once a plan is chosen.", True),
        (_MENU + "市には、駐輪場用地の提供と市報での周知をお願いしたいと考えています。", False),
    ],
    ids=["ja-role-deferred", "en-role-deferred", "role-named-now"],
)
def test_a_role_left_for_later_is_no_role(text: str, raised: bool) -> None:
    detail = flag(text)
    assert detail.raised is raised, detail.reason
