"""one_solution (rubric §3): one solution for one problem and one counterpart.

Catalogues in every shape we have seen (bulleted menus, prose lists, business cards, 連携協定
lists, 「提案①②③」, English) fail; add-ons framed as "also possible later" and an unclear
counterpart are partial; a single-product brochure is judged on scope alone and passes."""

from __future__ import annotations

import pytest

from coach.analysis.draft import Draft
from coach.analysis.one_solution import judge_one_solution


def judge(text: str):
    return judge_one_solution(Draft.prepare(text))


def test_nothing_readable_is_not_a_solution() -> None:
    for text in ("", "①\n②\n③\n④", "■■■■", "。。。"):
        f = judge(text)
        assert f.verdict == "fail" and "single_solution" in f.missing


SINGLE_PASS = """駅から自宅までの「ラストワンマイル」を電動アシスト自転車のシェアで
【課題】坂道の多い住宅地では、駅まで家族に車で送ってもらう人が多くなっています。
【提案】駅と住宅地にシェアサイクルのステーションを置きます。
・市（交通政策課）：ステーション用地のご提供、市政だよりでの周知
・当社：自転車・ステーションの設置と運営費を負担"""

FEATURE_BROCHURE_PASS = """スマート街路灯「ヒカリポール」のご案内
■特長
・消費電力を従来比60%削減
・カメラ映像はクラウドで最大30日保存
・災害時は非常用電源として稼働
■実績
全国75自治体、3,200基の導入実績。"""

BULLET_CATALOGUE = """商店街活性化のご提案
弊社では以下のようなサービスをご提供できます。
・商店街のホームページ制作、SNS運用代行
・キャッシュレス決済の導入支援
・季節イベントの企画運営
・空き店舗と出店希望者のマッチング
・高齢者向けの買い物代行・配達"""

PROSE_CATALOGUE = """当社は、歩数に応じてポイントがたまる健康アプリ、オンライン診療、食事管理AI、睡眠改善プログラム、企業向け健康経営コンサルティングを提供しています。
まずは健康アプリについて、市の健康ポイント事業との連携をご検討いただけますと幸いです。"""

BUSINESS_CARD = """株式会社ネクスト・シティ・ソリューションズ
スマートシティ事業部 部長 佐藤 健
【取扱製品】防犯カメラ／スマート照明／デジタルサイネージ／EV充電器／ドローン点検
TEL 03-XXXX-XXXX"""

AGREEMENT_LIST = """北九州市と株式会社ミライ電力との包括連携に関する協定（案）
第2条（連携事項）
(1) 再生可能エネルギーの普及に関すること
(2) 防災力の向上に関すること
(3) 環境教育に関すること
(4) 地域経済の活性化に関すること"""

ENGLISH_CATALOGUE = """We are an award-winning AI company with offices in 12 countries.
Our products include a chatbot, OCR, predictive maintenance, traffic analytics, and a citizen app.
Please find our brochure attached."""

NUMBERED_PROPOSALS = """【提案①】病児保育の空き状況共有システム
市内の病児保育施設の空き状況を一覧で表示します。
【提案②】家事代行の割引プラン
産後の家事負担を軽減する割引クーポンを配布したい。
【提案③】食育ワークショップ
市民センターで親子向けの食育講座を開催したい。"""

ADDON_PARTIAL = """介護記録の音声入力アプリ「ケアボイス」を、介護施設5か所で3か月間無償で試していただけないでしょうか。
市には介護保険担当部署から施設への呼びかけをお願いします。
なお、同じ仕組みは障害福祉施設や保育所の連絡帳、病院の看護記録にも応用できますので、あわせてご検討ください。"""

ADDON_ENGLISH_PARTIAL = """We propose a six-month pilot of a self-guided AR walk around Mojiko Retro, with the city's tourism office promoting it.
Later on, the same platform could also run a night-view trail or a treasure hunt for school trips."""

UNCLEAR_COUNTERPART_PARTIAL = """住民と商店主が商店街の10年後を描くワークショップ「まちミライ会議」を開催したいと考えております。
どの部署にご相談するのがよいか分からず、こちらの窓口に投稿いたしました。商店街の振興、まちづくり、市民活動の支援など、いくつもの部署にかかわる内容だと思います。"""

SCALE_UP_IS_NOT_AN_ADDON = """市民センター5館の会議室にスマートロックを設置し、夜間も登録団体が使えるようにする実証を提案します。
市（市民センター所管課）には実証館の選定と利用団体への周知をお願いします。
実証後、成果と課題を報告書にまとめ、他館への展開の可否を貴市とともに判断します。"""


MO_LIST = "イベントも、チラシも、ホームページも、動画も、SNSも、全部おまかせください。北九州の皆さんを元気にします！"

ENGLISH_MOU = """Memorandum of Understanding (draft) between the City of Kitakyushu and BlueWave Energy
1. Purpose: to cooperate on decarbonisation of the port area.
2. Areas of cooperation: offshore wind maintenance training; hydrogen fuel supply for port vehicles; shore power for ships; carbon accounting for port tenants."""

ONE_STOP = "介護施設向けの見守りセンサー、介護記録ソフト、配膳ロボット、入浴介助リフト、職員向け研修をワンストップでご提供いたします。"

MORE_NOW = """大学のキャンパスで、候補者の政策を比較できるワークショップを選挙前に開催します。
さらに、高校での主権者教育の出前授業、SNSでの啓発動画の配信、投票済証を使った商店街の割引キャンペーンも実施したいと考えています。"""

ANY_USE = "当社のドローンは最大飛行時間55分です。点検、測量、農薬散布、物流、空撮、警備など、あらゆる用途にお使いいただけます。"

PLAN_BULLETS_PASS = """【ご提案】「まちの保健室」を商店街に
・高齢化が進む黒崎の商店街で、看護師が常駐する健康相談スペースを空き店舗に開設したい
・血圧測定、服薬の相談、介護の窓口への橋渡しを行う
・市には空き店舗の家賃補助をお願いしたい（月10万円）
・開設は今年度中を希望"""

ENGLISH_ALSO_OFFER = """We propose a reminder-and-release feature for bookings at two public sports facilities, at our cost.
Target: no-shows from 18% to 8%.
In addition, we can also offer an online coaching marketplace and a sports-event ticketing service."""


FIELDS_ENUMERATED = ("弊社は、交通、エネルギー、防災、観光、ヘルスケアの各分野で、データ連携基盤の構築からサービス設計まで"
                     "一気通貫でご支援いたします。")

TRAININGS = ("当社は人材育成に強みを持つ研修会社です。新任職員研修、管理職研修、DX研修、接遇研修、メンタルヘルス研修など、"
             "職員の皆様の育成を幅広くサポートいたします。")

ENGLISH_PROVIDER = ("We are a leading provider of water-treatment membranes, desalination plants, leak-detection software "
                    "and smart meters. We would be pleased to support Kitakyushu's water utility.")

TASKS_OF_ONE_PLAN = """AIオンデマンド交通の実証で行うこと
・バス停の移設
・乗降ポイントの設置
・予約システムの導入
・運転手の研修"""

ENGLISH_AND_LATER = """We would like to take the leftovers from five schools to our composting plant and give the compost back to school gardens.
We hope this can also become an environmental education programme, and later a city-wide food-waste collection system."""


FIRST_ITEM_THEN_THE_REST = """【ご提案の概要】
1) 公園の遊具点検のAI化
2) 街路樹の倒木リスク診断
3) 下水道管の劣化予測
いずれも当社の画像解析技術を応用したものです。まずは1)から、1区の公園20か所で試行させてください。"""

SERVICES_WE_RUN = "株式会社サンライズ警備は、施設警備、交通誘導、イベント警備、機械警備、身辺警護を行っております。"

NOT_ONLY_BUT_ALSO = ("当社は地域の印刷会社として、チラシ・ポスターの印刷はもちろん、Webサイトの制作や動画の撮影、"
                     "イベントの看板製作まで手がけています。")

MORE_USES_PROPOSED_NOW = """図書館の中にカフェを併設し、夜9時まで開館時間を延ばす運営を提案します。
あわせて、図書館の2階をコワーキングスペースに、屋上をビアガーデンに、駐車場を朝市の会場にすることも提案いたします。"""


INSTRUCTORS = "公民館の講座のご提案です。スマホ教室、健康体操、料理教室、書道、英会話、写真講座の講師を派遣できます。"


@pytest.mark.parametrize(
    "text",
    [FIRST_ITEM_THEN_THE_REST, SERVICES_WE_RUN, NOT_ONLY_BUT_ALSO, MORE_USES_PROPOSED_NOW, INSTRUCTORS],
    ids=["first-item", "services-we-run", "not-only", "more-uses-now", "instructors"],
)
def test_more_catalogue_shapes(text: str) -> None:
    finding = judge(text)
    assert finding.verdict == "fail", finding.reason


@pytest.mark.parametrize(
    "text, verdict",
    [(FIELDS_ENUMERATED, "fail"), (TRAININGS, "fail"), (ENGLISH_PROVIDER, "fail"), (TASKS_OF_ONE_PLAN, "pass"),
     (ENGLISH_AND_LATER, "partial")],
    ids=["fields", "trainings", "english-provider", "tasks-of-one-plan", "english-and-later"],
)
def test_prose_catalogues_and_plans(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    "text, verdict",
    [(MO_LIST, "fail"), (ENGLISH_MOU, "fail"), (ONE_STOP, "fail"), (MORE_NOW, "fail"), (ANY_USE, "fail"),
     (PLAN_BULLETS_PASS, "pass"), (ENGLISH_ALSO_OFFER, "partial")],
    ids=["mo-list", "english-mou", "one-stop", "more-now", "any-use", "plan-bullets", "english-also"],
)
def test_more_voices(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    "text, verdict",
    [
        (SINGLE_PASS, "pass"),
        (FEATURE_BROCHURE_PASS, "pass"),
        (SCALE_UP_IS_NOT_AN_ADDON, "pass"),
        (BULLET_CATALOGUE, "fail"),
        (PROSE_CATALOGUE, "fail"),
        (BUSINESS_CARD, "fail"),
        (AGREEMENT_LIST, "fail"),
        (ENGLISH_CATALOGUE, "fail"),
        (NUMBERED_PROPOSALS, "fail"),
        (ADDON_PARTIAL, "partial"),
        (ADDON_ENGLISH_PARTIAL, "partial"),
        (UNCLEAR_COUNTERPART_PARTIAL, "partial"),
    ],
    ids=["single", "feature-brochure", "scale-up", "bullets", "prose", "card", "agreement", "english",
         "numbered-proposals", "addon", "addon-en", "unclear-counterpart"],
)
def test_verdicts_on_written_drafts(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


def test_catalogue_reason_names_the_items_and_points_at_the_list() -> None:
    f = judge(BULLET_CATALOGUE)
    assert "single_solution" in f.missing
    assert "キャッシュレス決済の導入支援" in f.reason
    cat = next(e for e in f.evidence if e.signal == "catalogue")
    assert "季節イベントの企画運営" in cat.text
    assert f.signals["catalogue_items"] == 5


def test_addon_and_counterpart_items() -> None:
    addon = judge(ADDON_PARTIAL)
    assert addon.missing == ["focused_scope"]
    assert any(e.signal == "addon" and "応用" in e.text for e in addon.evidence)
    unclear = judge(UNCLEAR_COUNTERPART_PARTIAL)
    assert "counterpart" in unclear.missing and "部署" in unclear.reason
    single = judge(SINGLE_PASS)
    assert set(single.present) == {"single_solution", "counterpart", "focused_scope"}


@pytest.mark.parametrize(
    "case_id, verdict",
    [("dev-003", "fail"), ("dev-002", "partial"), ("dev-005", "pass"), ("dev-044", "partial"),
     ("devb-013", "fail"), ("devb-021", "fail"), ("devb-001", "partial"), ("devb-019", "pass"),
     ("devb-046", "fail"), ("devb-058", "partial")],
)
def test_selected_dev_cases(dev_cases: list[dict], case_id: str, verdict: str) -> None:
    case = next(c for c in dev_cases if c["id"] == case_id)
    assert case["labels"]["one_solution"] == verdict
    assert judge(case["text"]).verdict == verdict


def test_evidence_spans_are_exact_slices_of_the_original(dev_cases: list[dict]) -> None:
    for case in dev_cases:
        for e in judge(case["text"]).evidence:
            assert e.text == case["text"][e.start:e.end]


# Shapes from other writers that the lead-in/count rules missed (coach.analysis.scope finds them).
BIKE_SHARE_LINES = """株式会社チャリモ九州です。当社の事業は次の4本柱です。
シェアサイクル・駐輪場運営・放置自転車の撤去受託・自転車を使った広告
いずれも貴市でお役に立てると考えております。"""

SENSOR_USES = ("当社の小型IoTセンサー「ミハリ」は、防犯、交通量調査、河川水位の監視、不法投棄の見張りなど、"
               "さまざまな用途にお使いいただけます。1台 月額2,980円。")

CONSULTING_MENU = """弊社コンサルティングメニューのご案内です。
・BPR（業務改革）支援
・RPA導入
・生成AI研修
・セキュリティ監査
・eラーニング"""

GARBAGE_APP_PORTAL = """ごみ分別アプリ「わけるん」を門司区で試したいと考えています。市には分別辞書データのご提供をお願いします。
さらに、防災情報、観光案内、行政手続きの予約もアプリに載せ、市民のポータルにします。"""

YUKUYUKU_ADDON = """空き家の見守りサービスを、八幡東区の50戸で6か月試行したいと考えています。費用は当社負担です。
市には所有者への案内状の送付をお願いします。
ゆくゆくは、空き家の草刈りや家財整理の代行にも広げていきたいと考えています。"""

EITHER_BUREAU = """土壌センサーと自動かん水で水やりを半分にする実証を、農家5戸で一作期行いたいと思います。
産業経済局か農林水産部か、どちらかの局でご相談に乗っていただければ幸いです。"""

LATER_TO_OTHER_COUNTERS = """AIが対話で申告書の下書きを作る端末を、区役所の窓口に2台、2か月置かせてください。費用は当社で負担します。
実証の結果次第で、税務・福祉などの申請窓口への展開もご相談できればと思います。"""

SAME_APP_ALSO = """回覧板をデジタル化するアプリを、戸畑区の町内会3つで半年試したいです。市には町内会への紹介をお願いします。
あわせて、同じアプリで町内会費のキャッシュレス徴収、ごみ当番表、防犯パトロールの記録にも対応していく予定です。"""

HERE_TOO_IS_THE_PROPOSAL = """当社は事業承継のマッチングサイトを運営しており、市内の企業にもぜひ使っていただきたいと考えています。
市には商工会議所を通じたご案内をお願いしたいです。"""


@pytest.mark.parametrize(
    "text, verdict",
    [(BIKE_SHARE_LINES, "fail"), (SENSOR_USES, "fail"), (CONSULTING_MENU, "fail"), (GARBAGE_APP_PORTAL, "fail"),
     (YUKUYUKU_ADDON, "partial"), (EITHER_BUREAU, "partial"), (LATER_TO_OTHER_COUNTERS, "partial"),
     (SAME_APP_ALSO, "partial"), (HERE_TOO_IS_THE_PROPOSAL, "pass")],
    ids=["bike-share", "sensor-uses", "consulting-menu", "garbage-portal", "yukuyuku", "either-bureau",
         "later-other-counters", "same-app-also", "here-too"],
)
def test_shapes_without_known_lead_ins(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


def test_series_catalogue_reason_and_evidence() -> None:
    f = judge(BIKE_SHARE_LINES)
    assert "4件" in f.reason and "駐輪場運営" in f.reason
    cat = next(e for e in f.evidence if e.signal == "catalogue")
    assert cat.text == BIKE_SHARE_LINES[cat.start:cat.end] and cat.text.startswith("シェアサイクル")


# --- one item of a numbered list picked out and planned alone (a menu, rubric §3) -------------

PICKED_BY_NUMBER = """商店街のにぎわいづくりについてご提案します。
(1) 空き店舗を使った子ども食堂
(2) 商店街ポイントカードのアプリ化
(3) アーケード屋根への太陽光パネル設置
(2)について、具体的には次のとおりです。
・期間：2026年10月〜2027年1月
・当社：アプリ開発と加盟店への説明（費用は当社負担）
・市：商店街連合会との調整"""

PICKED_KANJI_SECTIONS = """若松区の漁港の活性化について、次のことを考えています。
一、朝どれ鮮魚の自動販売機の設置
 漁協の前に冷蔵の自販機を1台置きます。
二、釣り体験の受付サイトの運営
三、漁師小屋を改装したゲストハウス
まずは一を先に進めたいと思います。期間は半年、費用は当方で持ち、市には設置場所の許可をお願いします。"""

PICKED_ENGLISH = """Proposal to the Port and Harbor Bureau

1. Shore power hookups for fishing boats at two piers
2. A booking app for the public slipway
3. Guided night tours of the container terminal

For item 1, the pilot would run from June to November; we pay for the hardware and the city provides
the berth permits."""

# Near miss: the numbered lines are the features of one app; picking one out for a closer look does
# not make them separate offerings.
FEATURES_PICKED = """高齢者の通院の付き添い予約アプリを、戸畑区の診療所3か所で試したいと考えています。
アプリの主な機能
1) 通院日の前日に家族へ自動で知らせる
2) 付き添いボランティアとの日程調整
3) 診療所の待ち時間の表示
1)の通知については、期間中に家族の利用率を測り、目標を70%とします。"""


@pytest.mark.parametrize(
    "text, verdict",
    [(PICKED_BY_NUMBER, "fail"), (PICKED_KANJI_SECTIONS, "fail"), (PICKED_ENGLISH, "fail"), (FEATURES_PICKED, "pass")],
    ids=["paren-number", "kanji-sections", "english-item", "features-near-miss"],
)
def test_one_item_picked_out_of_a_numbered_list(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


def test_picked_item_reason_names_the_items_not_the_back_reference() -> None:
    f = judge(PICKED_BY_NUMBER)
    assert "3件" in f.reason and "子ども食堂" in f.reason
    assert "について" not in f.reason.split("（", 1)[1]


# --- variants in brackets are one offering; a bundle price means separate products --------------

BRACKETED_LANGUAGES = """Proposal: a multilingual counter tablet for Kokura Kita ward office

What we provide: one tablet app (English, Vietnamese, Nepali, Chinese) that reads out the steps of a
moving-in registration. We lend three tablets for six months at our cost; the ward office provides a
desk and a staff contact."""

BUNDLE_PRICED = """Our school products for your city:
- StudyLoop Maths: adaptive maths drills for grades 1–6
- StudyLoop Voice: pronunciation practice with AI feedback
- StudyLoop Calm: a daily mood check-in for pupils

Pricing:
- Maths: USD 6 per pupil per year
- Voice: USD 5 per pupil per year
- Calm: USD 4 per pupil per year
- Bundle of all three: USD 12 per pupil per year"""

# Near miss: one product's price broken into its parts.
ONE_PRODUCT_PRICED = """A heat-stroke alert wristband for port workers at Moji, one product for one problem.

Pricing for the city:
- Device set-up: USD 4,000 (one-off)
- Platform licence: USD 1,500 per year
- Optional: extra wristbands USD 90 each"""


@pytest.mark.parametrize(
    "text, verdict",
    [(BRACKETED_LANGUAGES, "pass"), (BUNDLE_PRICED, "fail"), (ONE_PRODUCT_PRICED, "pass")],
    ids=["bracketed-languages", "bundle-priced", "one-product-priced"],
)
def test_brackets_and_bundles(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# --- the city asked to find the counterpart; a later framing in the section heading -------------

FIND_US_A_DEPARTMENT = """北九州市 ご担当者様
弊社は360度カメラでの施設のバーチャル見学コンテンツを制作しています。
図書館でも美術館でも体育館でも使えますので、どちらのご担当部署にお送りすればよいのか分からず、こちらにお送りしました。
ご興味をお持ちの部局の方をご紹介いただけますと幸いです。"""
FIND_US_A_DEPARTMENT_EN = """Dear City of Kitakyushu,
We make virtual tours of public buildings with 360-degree cameras. We would be grateful if you could
forward this to the relevant department, as we do not know who would handle it."""
# Near miss: the department is named, and the company only asks for a meeting.
NAMED_DEPARTMENT = """北九州市 市民文化スポーツ局 美術館ご担当者様
北九州市立美術館の常設展を360度カメラでバーチャル見学できるようにするご提案です。一度ご説明に伺えれば幸いです。"""

ROADMAP_HEADING = """学童保育の入退室をICカードで保護者に知らせるサービス「かえるメール」のご提案です。
八幡西区の学童クラブ5か所で半年間、無償で試していただけます。

■ 今後の展開
放課後子ども教室や地域の習い事教室の出欠管理にも対応予定です。"""
# Near miss: a section about the trial's own next step (scale-up of the same service) widens nothing.
NEXT_STEP_SCALE_UP = """学童保育の入退室をICカードで保護者に知らせるサービス「かえるメール」のご提案です。
八幡西区の学童クラブ5か所で半年間、無償で試していただけます。

■ 今後の進め方
結果を見て、市内全域への拡大を協議させてください。"""


@pytest.mark.parametrize(
    "text, verdict",
    [(FIND_US_A_DEPARTMENT, "partial"), (FIND_US_A_DEPARTMENT_EN, "partial"), (NAMED_DEPARTMENT, "pass"),
     (ROADMAP_HEADING, "partial"), (NEXT_STEP_SCALE_UP, "pass")],
    ids=["find-us-a-department", "forward-to-relevant-department", "named-department", "roadmap-heading",
         "next-step-scale-up"],
)
def test_open_counterpart_and_heading_framed_addons(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# --- sixth-writer round: what the items address, not only how they are laid out --------------------

FIELDS_UNDER_REQUEST = """北九州市 ご担当者様

地元信用金庫として、地域との連携についてご相談させてください。

当金庫は市内に22店舗を構え、地域の皆様の暮らしに根ざした活動を続けてまいりました。つきましては、次の事項についてご協力をお願いしたく存じます。

1. 防災訓練への職員の参加
 各店舗の職員が校区の避難訓練に加わります。
2. 子育て世帯向けのお金の講座
 保育所や児童館で家計の講座を開きます。
3. 高齢のお客様の見守り
 窓口で気になる様子があれば区役所へお知らせします。
4. 観光イベントへの協賛
 市の観光イベントに協賛金を出します。
"""
# Near miss: the same request lead, but its items are one event's parts (venue, publicity, staff).
PARTS_UNDER_REQUEST = """北九州市 ご担当者様

若松区の商店街で、夏休みの親子向け防災キャンプを開きたいと考えております。つきましては、次の事項についてご協力をお願いしたく存じます。

1. 会場としての小学校体育館の使用許可
 8月の土日2日間を想定しています。
2. 市政だよりでの参加者募集の告知
 親子30組を募集します。
3. 危機管理室の職員による講話
 30分程度の講話をお願いできれば幸いです。
"""
MEASURES_LEAD = """介護付き住宅を運営する当法人から、外国人介護職員の定着についてのご相談です。

つきましては、以下の取組を進めたく、ご支援をお願いいたします。

1. 日本語学習の時間を勤務内に確保
 週2時間の学習時間を設けます。

2. 住まいの確保
 職員寮の家賃の一部を補助していただきたいと考えています。

3. 家族の呼び寄せ相談
 行政書士による相談会を開きます。

4. 地域の祭りへの参加
 職員と地域の交流の場をつくります。
"""
# Near miss: the lead announces steps of one plan, not initiatives.
STEPS_LEAD = """介護付き住宅を運営する当法人から、外国人介護職員の日本語学習についてのご提案です。

つきましては、以下の手順で進めたく、ご協力をお願いいたします。

1. 6月に職員20名の日本語力を測定
 当法人の費用で実施します。

2. 7月から週2時間の学習を勤務内に実施
 講師は当法人が手配します。

3. 12月に再測定して結果をご報告
 市には結果の共有先をご紹介いただきたいと考えています。
"""
NAMED_MODULES_EN = """Dear Kitakyushu City,

Our TownKit suite combines:
- AirSense: air-quality sensors on lamp posts
- FloodEye: water-level cameras on rivers
- BusBeat: live bus positions for riders
- SchoolGate: attendance tags for pupils

Each can be switched on for the city in 2027."""
# Near miss: tiers of one sensor service, priced per tier, are options of one offering.
TIERS_EN = """Dear Kitakyushu City,

We propose river water-level cameras for the Murasaki River, to warn residents before floods.
- Starter: 3 cameras, JPY 90,000 per month
- Pro: 10 cameras, JPY 250,000 per month
- Enterprise: 30 cameras, JPY 600,000 per month
A free three-month trial of the Starter plan is offered."""
PRICE_PER_TOOL = """自治体向け業務ツール「まちワーク」のご案内

・ボイスメモ：窓口での聞き取りを文字にします
・スケジューラ：会議の日程を自動で決めます
・チェッカー：様式の記入漏れを見つけます

料金：各ツール 月額3万円（3ツールまとめてのご契約で月額7万円）
北九州市役所の皆様、ぜひお試しください。"""
OPEN_WHICH_BUREAU = """地域のため池の水位をセンサーで見守り、大雨の前に管理者へ知らせる仕組みのご提案です。
小倉南区のため池3か所で、半年間当社の費用で試させてください。
担当が建設局になるのか農林水産部になるのか分からず、共創窓口でご判断いただければ幸いです。"""
NAMED_BUREAU = """地域のため池の水位をセンサーで見守り、大雨の前に管理者へ知らせる仕組みのご提案です。
小倉南区のため池3か所で、半年間当社の費用で試させてください。
農林水産部のご担当者様にご相談させていただければ幸いです。"""


@pytest.mark.parametrize(
    "text, verdict",
    [(FIELDS_UNDER_REQUEST, "fail"), (PARTS_UNDER_REQUEST, "pass"), (MEASURES_LEAD, "fail"), (STEPS_LEAD, "pass")],
    ids=["fields-under-a-request-lead", "one-events-parts-under-a-request-lead", "lead-names-initiatives",
         "lead-names-steps"],
)
def test_items_judged_by_what_they_address(text: str, verdict: str) -> None:
    # a parts word in the lead (「ご協力をお願い」) does not make items that point to four bureaus'
    # fields, or items the lead itself calls 取組, one plan's parts
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    "text, verdict",
    [(NAMED_MODULES_EN, "fail"), (TIERS_EN, "pass"), (PRICE_PER_TOOL, "fail")],
    ids=["named-modules-of-a-suite", "tiers-of-one-service", "price-per-tool"],
)
def test_named_modules_and_prices_per_item(text: str, verdict: str) -> None:
    # several differently named modules under one suite are services listed as equals (rubric §3
    # fail); Starter/Pro/Enterprise tiers are options of one service
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    "text, verdict",
    [(OPEN_WHICH_BUREAU, "partial"), (NAMED_BUREAU, "pass")],
    ids=["which-of-two-bureaus-unknown", "bureau-named"],
)
def test_counterpart_left_open_between_candidates(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


RECOMMENDED_ELSEWHERE = """若松図書館 館長様

返却された本を30秒で消毒する装置「ページケア」のご案内です。
貸出カウンターの横に置くだけで、利用者がご自身で操作できます。
本体価格は45万円、月額のリースもございます。
保育園や高齢者施設、学童クラブなどにもおすすめです。"""
# Near miss: the same device recommended to more branches of the same library service widens nothing.
RECOMMENDED_HERE_TOO = """若松図書館 館長様

返却された本を30秒で消毒する装置「ページケア」のご案内です。
貸出カウンターの横に置くだけで、利用者がご自身で操作できます。
本体価格は45万円、月額のリースもございます。
市内の各図書館の分館にもおすすめです。"""
BUNDLED_SERVICES = """一人暮らし高齢者の生活支援のご提案です。
ソリューションは「くらしまるごとサポート」です。内容は、安否確認の電話、お弁当の宅配、病院への付き添い、庭の草取りの4つです。
小倉南区の50世帯で半年間、当社の費用で試させてください。"""
BUNDLED_PACKAGE_EN = """We propose to modernise the counters at Kokurakita ward office.
What we would bring, as one package:
1. A phone line answered by voice AI for questions about garbage days
2. Robots that re-key tax forms into the ledger
3. A pop-up legal advice desk twice a month"""
# Near miss: a package of one service's components (sensors, a dashboard, alerts) is one solution.
PACKAGE_OF_COMPONENTS_EN = """We propose a flood warning pilot on the Murasaki River.
What we would deploy, as one package:
1. Six water-level sensors on bridges
2. A dashboard for the river office
3. SMS alerts to residents who sign up"""


@pytest.mark.parametrize(
    "text, verdict",
    [(RECOMMENDED_ELSEWHERE, "partial"), (RECOMMENDED_HERE_TOO, "pass")],
    ids=["recommended-to-other-facilities", "recommended-to-more-branches-here"],
)
def test_product_recommended_to_other_users(text: str, verdict: str) -> None:
    # 「…などにもおすすめです」 adds counterparts beside the one addressed (rubric §3 add-on, partial)
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    "text, verdict",
    [(BUNDLED_SERVICES, "fail"), (BUNDLED_PACKAGE_EN, "fail"), (PACKAGE_OF_COMPONENTS_EN, "pass")],
    ids=["services-under-one-name", "services-as-one-package-en", "one-services-components-as-a-package"],
)
def test_bundle_name_does_not_make_one_solution(text: str, verdict: str) -> None:
    # several services declared one package / 「まるごと」 service are still listed as equals (fail);
    # the sensors, dashboard and alerts of one warning service are its parts
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# Near misses for the rules above: an effects list touching four fields is one plan's outcomes, and
# features labelled in plain words (not coined product names) under an offer lead are one app's parts.
EFFECTS_ACROSS_FIELDS = """八幡西区でAIオンデマンドバスを半年間試す提案です。費用は当社が負担します。
■期待される効果
・高齢者の外出機会の増加
・商店街の来店客の増加
・マイカー利用の減少による環境負荷の低減
・子どもの送迎負担の軽減"""
PLAIN_FEATURE_LABELS = """小倉北区の子育て世帯向けに、保育園の空き状況を知らせるアプリ「ほいくナビ」のご提案です。
ほいくナビで以下をご提供します：
・マップ表示：近くの保育園を地図で表示
・プッシュ通知：空きが出たらお知らせ
・チャット相談：入園手続きの質問に回答
・カレンダー：見学予約を管理
半年間、当社の費用で試させてください。"""
PLAIN_FEATURE_LABELS_EN = """We propose a nursery vacancy app for families in Kokurakita.
We provide:
- Map view: nurseries near you on a map
- Push alerts: a message when a place opens
- Chat desk: answers about enrolment forms
- Calendar: booking visits
A six-month pilot at our cost."""


@pytest.mark.parametrize(
    "text", [EFFECTS_ACROSS_FIELDS, PLAIN_FEATURE_LABELS, PLAIN_FEATURE_LABELS_EN],
    ids=["effects-across-fields", "plain-feature-labels", "plain-feature-labels-en"],
)
def test_one_plans_effects_and_features_stay_one_solution(text: str) -> None:
    finding = judge(text)
    assert finding.verdict == "pass", finding.reason


# The range of ONE delivered thing is not a catalogue: uses reached through a single access point, the
# subjects residents bring to one desk, the departments one service works with. Near misses: a
# company delivering several services "in one stop", and fields listed as what it solves.
ONE_ACCESS_USES = """市民向けアプリ「まちパス」のご提案
弊社は、図書館の貸出予約・公民館の講座申込・児童手当の申請・防災情報の通知を一つのアプリで一元管理できるサービス「まちパス」を提供しております。
市（デジタル政策課）と、半年間の試行をご相談させてください。"""
ONE_ACCESS_EN = """Proposal: one resident app
We provide a service that lets residents book library rooms, apply for child benefits, pay parking fees and receive disaster alerts with a single login.
We would like to discuss a six-month trial with the Digital Policy Division."""
DESK_TOPICS = """外国人住民の生活相談窓口のご提案
私たちの窓口には、ごみの分別、子どもの就学の手続き、病院の受診、災害時の避難などについての相談が毎週寄せられます。
そこで、週2回の多言語相談会を市の国際交流センター（国際政策課）で開きたいと考えています。"""
DEPARTMENTS_ONE_DESK = """子育て家庭の手続き案内チャットのご提案
一つのチャット窓口で、保育の申込、児童手当、予防接種の質問に答えます。
この窓口は、子ども家庭局、保健福祉局（予防接種）、区役所の市民課、教育委員会など、関係する各局と連携して運営したいと考えています。"""
ONE_STOP_SERVICES = """空き家まるごとサポートのご提案
当社は次のサービスをワンストップでご提供します。
・空き家の巡回と管理代行
・リフォーム工事
・遺品整理
・民泊への転用支援"""
SERVICES_IN_ONE_APP = """弊社は、市民向けに、介護の相談チャット、粗大ごみの受付、公園の混雑表示、観光スタンプラリーを一つのアプリで提供しています。
貴市でもこのアプリを導入していただけないでしょうか。"""
FIELDS_SOLVED = """防災・観光・子育て支援・窓口DXまで、自治体様のお困りごとをワンストップで解決します。
当社にお任せください。"""


PARTNERS_LINE = """子育て家庭の手続き案内チャットのご提案
一つのチャット窓口で、保育の申込、児童手当、予防接種の質問に答える仕組みを、子ども家庭局と半年間試します。
・連携先：保健福祉局、区役所の市民課、教育委員会"""


def test_the_bureaus_one_service_works_with_leave_the_counterpart_open() -> None:
    # three bureaus named as equals in prose: no one counterpart (partial), and no menu of services;
    # a labelled 「連携先：」 line beside the owner lists partners only
    finding = judge(DEPARTMENTS_ONE_DESK)
    assert finding.verdict == "partial", finding.reason
    assert "counterpart" in finding.missing and "single_solution" in finding.present
    assert judge(PARTNERS_LINE).verdict == "pass"


@pytest.mark.parametrize(
    "text, verdict",
    [(ONE_ACCESS_USES, "pass"), (ONE_ACCESS_EN, "pass"), (DESK_TOPICS, "pass"),
     (ONE_STOP_SERVICES, "fail"), (SERVICES_IN_ONE_APP, "fail"), (FIELDS_SOLVED, "fail")],
    ids=["uses-of-one-app", "uses-of-one-app-en", "questions-one-desk-receives",
         "services-delivered-in-one-stop", "services-delivered-in-one-app", "fields-solved-in-one-stop"],
)
def test_the_range_of_one_delivered_thing_is_not_a_catalogue(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# The city asked to route the draft, or departments given as alternatives: the counterpart is open.
ROUTE_ME = """公園の遊具点検アプリのご提案
点検結果を写真付きで記録し、修繕の優先順位を地図に示すアプリを、市内の公園10か所で3か月試したいと考えています。
公園の管理と子どもの安全のどちらのご担当になるのか分からず、しかるべき部署にお取り次ぎいただければ幸いです。"""
SPLIT_OWNERS = """夜道の足元灯のご提案
人が近づくと点灯する足元灯を、通学路の一区間に20基置いて試したいと考えています。
通学路は教育委員会、街路灯は道路部門とご担当が分かれているため、関係部署の皆様でご検討いただければ幸いです。"""
NAMED_OWNER = """夜道の足元灯のご提案
人が近づくと点灯する足元灯を、通学路の一区間に20基置いて試したいと考えています。
ご担当の道路維持課とは、関係部署との調整も含めて進め方をご相談させてください。"""


@pytest.mark.parametrize(
    "text, verdict",
    [(ROUTE_ME, "partial"), (SPLIT_OWNERS, "partial"), (NAMED_OWNER, "pass")],
    ids=["asks-to-be-routed", "owners-split", "named-department-near-miss"],
)
def test_a_draft_asking_the_city_to_route_it_has_no_clear_counterpart(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# Extensions by other verbs of widening: 「…にもつなげたい」「…を併設することも検討」.
LATER_LINKED = """放課後の校庭開放の見守りボランティアのご提案
小学校2校で、放課後の校庭開放に地域のボランティアが見守りに立つ仕組みを半年試します。
ゆくゆくは地域の高齢者の健康づくりにもつなげたいと考えています。"""
LATER_ADDED_FACILITY = """駅前の小型駐輪場のご提案
駅から100m以内に20台規模の駐輪場を3か所設け、1回100円で運営します。
今後は、同じ場所に宅配ロッカーを併設することも検討しています。"""


@pytest.mark.parametrize("text", [LATER_LINKED, LATER_ADDED_FACILITY], ids=["linked-later", "co-located-later"])
def test_other_verbs_of_widening_make_an_addon(text: str) -> None:
    finding = judge(text)
    assert finding.verdict == "partial", finding.reason
    assert "focused_scope" in finding.missing


# A sentence about what the place may become is not the proposer's add-on; the proposer's own
# "later" still is.
PLACE_MAY_BECOME = """若松区の港での電動フォークリフト共同利用の実証
港の荷役会社3社で電動フォークリフト4台を共同利用し、半年間の稼働率を計測します。
若松区の港は風力発電の部品を扱う拠点であり、将来は港の電力を地元の再生可能エネルギーでまかなうことも期待できる場所だと考えています。
市（港湾空港局）には実証用の充電場所の使用許可をお願いします。"""
PROPOSER_LATER = """若松区の港での電動フォークリフト共同利用の実証
港の荷役会社3社で電動フォークリフト4台を共同利用し、半年間の稼働率を計測します。
当社は将来、同じ仕組みを倉庫の配送トラックにも広げたいと考えています。
市（港湾空港局）には実証用の充電場所の使用許可をお願いします。"""


@pytest.mark.parametrize("text, verdict", [(PLACE_MAY_BECOME, "pass"), (PROPOSER_LATER, "partial")],
                         ids=["what-the-place-may-become", "proposer-extends-later"])
def test_a_sentence_about_the_place_is_no_addon(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# An open-ended offer over a list of domains is the rubric's 「こんなこともあんなこともできます」; one
# product's features beside an ordinary contact line are not.
ANYTHING_CARD = """合同会社ネクストフィールド
代表社員　佐藤 花子
防災／観光／農業／教育／ヘルスケア
どんなことでもお気軽にご相談ください。"""
ONE_PRODUCT_CARD = """合同会社ネクストフィールド
漏水検知センサー「ミズミハリ」
お気軽にご相談ください。"""


@pytest.mark.parametrize("text, verdict", [(ANYTHING_CARD, "fail"), (ONE_PRODUCT_CARD, "pass")],
                         ids=["anything-over-domains", "one-product-card"])
def test_an_open_ended_offer_over_domains_is_a_catalogue(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# Quoted ideas are not product names: 「…」という選択肢 labels a way of seeing the one service.
CONCEPT_QUOTES = """空き店舗の「お試し出店」マッチングの実証
商店街の空き店舗と出店希望者をつなぐマッチングを、当社のサイトで半年間試します。
「借りて始める」に加え「引き継いで始める」という選択肢も用意することで、出店のハードルを下げたいと考えます。
市（産業経済局）には商店街への周知をお願いします。"""
TWO_PRODUCTS_QUOTED = """空き店舗の「お試し出店」マッチングの実証
商店街の空き店舗と出店希望者をつなぐマッチングを、当社のサイトで半年間試します。
あわせて、会計アプリ「ミセノワ」と求人サイト「ミセジョブ」もご提供します。
市（産業経済局）には商店街への周知をお願いします。"""


@pytest.mark.parametrize("text, verdict", [(CONCEPT_QUOTES, "pass"), (TWO_PRODUCTS_QUOTED, "fail")],
                         ids=["quoted-ideas", "two-quoted-products-near-miss"])
def test_quoted_ideas_are_not_added_products(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# Numbered sections of separate offerings where only the first carries a plan: one item of a menu is
# planned, the rest wait (rubric §3 fail). Phases of one plan planned the same way are one solution.
FIRST_SECTION_PLANNED = """北九州市 建設局 ご担当者様
株式会社ミチテックの山田です。市の脱炭素の目標の達成に向けて、以下をご提案します。

1. 公園灯のLED照明リース
 ・対象:小倉南区の公園3か所で試行
 ・当社が機器と設置費を負担し、市には設置場所の使用許可をお願いします
 ・期間:2027年6月から1年間、目標:電気代を3割削減
2. 庁舎駐車場の太陽光カーポート
3. 市内事業者向けの節電コンサルティング

2と3は別の機会にご説明いたします。"""
PHASES_FIRST_PLANNED = """北九州市 建設局 ご担当者様
株式会社ミチテックの山田です。公園灯のスマート照明化について、次の順で進めたいと考えています。

1. 実証
 ・対象:小倉南区の公園3か所で試行
 ・当社が機器と設置費を負担し、市には設置場所の使用許可をお願いします
 ・期間:2027年6月から1年間、目標:電気代を3割削減
2. 本格導入
3. 全市展開

2と3は実証の結果を見て市と協議します。"""


# Credentials (listed in a catalogue, adopted by N cities, an award) vouch for the one thing
# offered; a list of them beside its features is no menu, however many fields its words touch.
CREDENTIALS_LIST = """【提案シート】
提案名:給食の食べ残し計測カメラの試行
■当社製品の概要
・配膳台に置くだけで食べ残しの量をAIが自動計測するカメラ
・環境省の食品ロス削減モデル事業に採択
・全国の病院・学校・ホテル・高齢者施設など40施設で導入実績
・2025年度 観光庁長官賞 受賞
■提案内容
市立小学校2校で3か月、食べ残しを計測し、献立の見直しに役立つデータを教育委員会にお渡しします。
費用は当社が負担します。"""
SERVICES_LIST_NEAR_MISS = """【提案シート】
提案名:給食の食べ残し計測カメラの試行
■当社のサービス
・学校給食の食べ残し計測
・高齢者施設の見守りセンサー
・観光地の混雑予測
・道路の路面劣化診断
■提案内容
市立小学校2校で3か月、食べ残しを計測し、献立の見直しに役立つデータを教育委員会にお渡しします。
費用は当社が負担します。"""


# "The city provides A, B and C" lists what the city brings to one plan, not services on offer.
CITY_PROVIDES_EN = """Subject: Pilot of shaded bus-stop benches in Kokura

Dear Co-creation Desk,
Bus passengers in Kokura wait in the sun in summer; the transport bureau counted 40 heat complaints last year.
We propose to install 10 solar-shaded benches at bus stops for one summer, at our cost.
The city provides the school bus stops, hospital shuttle stops and tourist coach bays, and shares passenger counts with us.
We will report shade temperature and passenger satisfaction every month to the Transportation Bureau."""
WE_PROVIDE_EN_NEAR_MISS = """Subject: Our services for Kitakyushu

Dear Co-creation Desk,
Our company offers elderly-care monitoring, school lunch planning, tourism promotion videos and flood sensors.
We would be glad to introduce any of them in Kitakyushu."""


@pytest.mark.parametrize(
    "text, verdict",
    [(FIRST_SECTION_PLANNED, "fail"), (PHASES_FIRST_PLANNED, "pass"), (CREDENTIALS_LIST, "pass"),
     (SERVICES_LIST_NEAR_MISS, "fail"), (CITY_PROVIDES_EN, "pass"), (WE_PROVIDE_EN_NEAR_MISS, "fail")],
    ids=["first-section-planned", "phases-near-miss", "credentials", "services-near-miss", "city-provides-en",
         "we-provide-near-miss"],
)
def test_what_a_list_is_decides_the_catalogue(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# The proposer's strengths vouch for the one proposal (like credentials), however many fields they
# touch; a slashed line of lines of business in a draft that proposes nothing is the company's menu.
STRENGTHS_THEN_ONE_PLAN = """北九州市 ご担当者様
旧倉庫を活用したシェアキッチン事業のご提案

■弊社の強み
・病院食や介護食の献立づくりに精通した管理栄養士チーム
・観光客向けの料理教室を国内外の旅行会社と共同で運営
・学校給食の食材を扱う地元農家とのネットワーク
■ご提案
八幡東区の市有倉庫1棟をお借りし、創業を目指す方が時間単位で使えるシェアキッチンを開設します。
改修費と運営費は弊社が負担し、市には倉庫の貸付と創業支援窓口での周知をお願いします。"""
SLASHED_CARD = """みらいクリエイト株式会社
代表取締役  佐藤 一郎
防災アプリ開発/観光プロモーション/介護施設向け見守り/学習塾運営
〒802-0000 北九州市小倉北区XX 1-2-3  TEL 093-XXX-XXXX"""


@pytest.mark.parametrize(
    "text, verdict",
    [(STRENGTHS_THEN_ONE_PLAN, "pass"), (SERVICES_LIST_NEAR_MISS, "fail"), (SLASHED_CARD, "fail")],
    ids=["strengths", "services-near-miss", "slashed-card"],
)
def test_proposer_descriptions_and_cards(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason

