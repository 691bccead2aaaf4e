"""Scope signals (coach.analysis.scope) behind one_solution and sales_pitch.

Segmentation: every enumeration a draft makes (list runs, 「A・B・C」, 「A、B、Cなど」, 「A／B／C」,
"A, B and C") comes back as items whose offsets slice the original text. Decision: a series is a
catalogue when its items span three or more policy areas in an offer, when the draft lets the city
pick them one by one, or when the company presents them as its lines of business — and not when
they are one plan's features, roles, places or target groups. Extensions framed as later or
optional are add-ons; 「どちらかの局で」 leaves the counterpart open.

The fixture ``tests/fixtures/one_solution_drafts.jsonl`` holds 98 drafts in varied voices
(slides, e-mails, English, forms, menus, press releases) written and labelled by the rubric before
the analyzer was run on them (batch 1: 34 drafts, then tuned on; batches 2–5: 16 drafts each,
written after the previous batch was tuned). Misses left on purpose are listed below with why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.analysis import analyze, scope
from coach.analysis import signals as sg
from coach.analysis.draft import Draft

FIXTURE = Path(__file__).parent / "fixtures" / "one_solution_drafts.jsonl"
DRAFTS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def catalogues(text: str) -> list[scope.CatalogueSeries]:
    return scope.catalogue_series(Draft.prepare(text))


# --- segmentation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, items",
    [
        ("シェアサイクル・駐輪場運営・放置自転車の撤去受託・広告", ["シェアサイクル", "駐輪場運営", "放置自転車の撤去受託", "広告"]),
        ("当社のセンサーは、防犯、交通量調査、河川水位の監視、不法投棄の見張りなど、さまざまな用途にお使いいただけます。",
         ["防犯", "交通量調査", "河川水位の監視", "不法投棄の見張り"]),
        ("スマート防犯灯／河川監視カメラ／AIごみ収集ルート最適化", ["スマート防犯灯", "河川監視カメラ", "AIごみ収集ルート最適化"]),
        ("当社は、①空き店舗を使った学生の起業支援、②夜間のナイトマーケット、③公園でのキャンプイベントを進めたい。",
         ["①空き店舗を使った学生の起業支援", "②夜間のナイトマーケット", "③公園でのキャンプイベント"]),
        ("We can help with EV charging, rooftop solar, building energy audits and carbon accounting.",
         ["EV charging", "rooftop solar", "building energy audits", "carbon accounting"]),
        ("・BPR（業務改革）支援\n・RPA導入\n・生成AI研修", ["BPR（業務改革）支援", "RPA導入", "生成AI研修"]),
    ],
    ids=["nakaguro", "comma-uses", "slash", "circled-inline", "english", "list-with-parenthesis"],
)
def test_series_items_slice_the_original_text(text: str, items: list[str]) -> None:
    draft = Draft.prepare(text)
    found = scope.item_series(draft)
    assert found, "no series found"
    got = [text[i.start:i.end] for i in found[0].items]
    assert got == items


def test_a_two_item_series_is_not_a_series() -> None:
    assert scope.item_series(Draft.prepare("税務・福祉などの窓口に置きます。")) == []


# --- which series are catalogues -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, why",
    [
        ("当社の事業は次の4本柱です。\nシェアサイクル・駐輪場運営・放置自転車の撤去受託・自転車を使った広告", "company_menu"),
        ("小型IoTセンサー「ミハリ」は、防犯、交通量調査、河川水位の監視、不法投棄の見張りなど、さまざまな用途にお使いいただけます。",
         "areas"),
        (("当社メニュー（個別契約可）\n1. メタスクール（年額120万円）\n2. 教員研修パッケージ（1回15万円）\n"
          "3. 保護者オンライン相談（月額8万円）\n4. AIドリル（1人月額500円）"), "separable"),
        ("さらに、防災情報、観光案内、行政手続きの予約もアプリに載せ、市民のポータルにします。", "areas"),
        ("【官民連携メニュー】\nA. 防災：避難所のWi-Fi整備\nB. 観光：多言語デジタルマップ\nC. 教育：プログラミング出前授業", "areas"),
        ("来月の展示会に弊社も出展いたします。\n最新のAI議事録、電子契約、庁内チャットを展示いたしますので、ぜひお立ち寄りください。",
         "company_menu"),
    ],
    ids=["bike-share-lines", "sensor-uses", "edtech-menu", "portal-add-now", "field-menu", "three-products-on-show"],
)
def test_catalogues_found_without_known_lead_ins(text: str, why: str) -> None:
    found = catalogues(text)
    assert found, "not judged a catalogue"
    assert found[0].why == why


@pytest.mark.parametrize(
    "text",
    [
        # one product's features
        "ヒカリポールは、LED照明、防犯カメラ、Wi-Fi、環境センサーを一体化した次世代の街路灯です。",
        # one side's part of one plan
        "・市：市政だよりでの周知、地域包括支援センター・医療機関への協力依頼、乗合運行に必要な手続きのご助言",
        "・弊社の負担：ボイスボットの構築・運用・通話料・効果測定の一切",
        # places and target groups of one trial
        "若松区・戸畑区・門司区の市民センター各1か所で、6か月間実施します。",
        "参加者は65歳以上の方、要支援の方、その家族を対象とします。",
        # a plan written as labelled lines
        ("ご質問の件、以下のとおりです。\n・実証場所：志井公園駅周辺\n・実証期間：2026年6月から3か月\n"
         "・当社負担：電動カート2台\n・市にお願いしたいこと：駅前広場の使用許可"),
        # the resources a company brings
        "We provide 30 sensors, the analysis and all costs; the city provides the sites.",
    ],
    ids=["features", "city-role-line", "company-cost-line", "wards", "target-groups", "labelled-plan", "resources"],
)
def test_parts_of_one_plan_are_not_catalogues(text: str) -> None:
    assert catalogues(text) == []


# --- add-ons and counterparts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "ゆくゆくは、空き家の草刈りや家財整理の代行にも広げていきたいと考えています。",
        "実証の結果次第で、税務・福祉などの申請窓口への展開もご相談できればと思います。",
        "あわせて、管理栄養士による栄養講座の配信もご提供できます。",
        "ゆくゆくは、同じ映像から不法投棄やカーブミラーの破損も見つけられるようにしたいです。",
        "If it works, we could later offer the same reminders for tax deadlines and school notices.",
        "In future, the same audio platform could be extended to Mojiko Retro.",
    ],
    ids=["yukuyuku", "kekka-shidai", "awasete", "same-footage", "if-it-works", "in-future"],
)
def test_extensions_framed_as_later_are_addons(sentence: str) -> None:
    draft = Draft.prepare(sentence)
    assert scope.later_addon_units(draft)


@pytest.mark.parametrize(
    "sentence",
    [
        "実証後、成果を見て拡大を協議します。",  # growing the same trial
        "今後は全国の自治体に展開していく予定です。",  # the company's business elsewhere
        "当社は2026年に設立しました。",
    ],
)
def test_scale_ups_and_plans_elsewhere_are_not_addons(sentence: str) -> None:
    assert scope.later_addon_units(Draft.prepare(sentence)) == []


def test_later_extension_listing_areas_is_an_addon_not_a_catalogue() -> None:
    text = ("申告書作成支援AIの端末を区役所の窓口に2台、2か月置かせてください。費用は当社負担です。\n"
            "実証の結果次第で、税務・福祉・子育てなどの申請窓口への展開もご相談できればと思います。")
    assert catalogues(text) == []
    assert analyze(text).findings["one_solution"].verdict == "partial"


@pytest.mark.parametrize(
    "sentence",
    [
        "産業経済局か農林水産部か、どちらかの局でご相談に乗っていただければ幸いです。",
        "福祉の部署、商業振興の部署、交通の部署のどこにご相談すればよいでしょうか。",
        "We could work with either the Environment Bureau or the Parks Division.",
    ],
)
def test_open_counterparts(sentence: str) -> None:
    assert scope.open_counterpart_units(Draft.prepare(sentence))


def test_widens_nothing() -> None:
    draft = Draft.prepare("当社は事業承継のマッチングサイトを運営しており、市内の企業にもぜひ使っていただきたいと考えています。"
                          "当社の清掃ロボットは、どの公園でも同じように使えます。"
                          "将来は市内の病院にも展開したいです。")
    got = [scope.widens_nothing(u) for u in sg.units(draft)]
    assert got == [True, True, False]


# --- offerings in shapes without a list run (headed paragraphs, named add-ons, two problems) ---
# Short drafts written for these tests; each shape is one a writer used for a real catalogue.

MARK_MENU = """北九州市 ご担当者様

株式会社ソラトブ（ドローン事業）

弊社では自治体の皆様向けに、次のサービスをご用意しております。

■ 橋梁点検ドローン
高所の橋脚をドローンで撮影し、ひび割れをAIで判定します。

■ 災害時の物資輸送
孤立した集落へ医薬品や食料を空から届けます。

■ 農薬散布の代行
中山間地の田畑の散布作業を請け負います。

ご関心のある分野がございましたら、お気軽にお問い合わせください。"""

NUMBERED_MENU = """貴市との連携について

当NPOは以下の3つの取組でお力になれればと考えております。

1．子ども食堂の運営
週2回、八幡東区の公民館で夕食を提供します。

2．高齢者のスマホ教室
市民センターで月1回、スマホの使い方を教えます。

3．河川敷の清掃活動
紫川の河川敷でボランティアを集めて清掃します。"""

PRICED_MENU = """自治体DX支援メニュー

① 電子申請フォーム作成
　初期費用 300,000円
② AIチャットボット
　月額 50,000円
③ 庁内ペーパーレス研修
　1回 80,000円

お申込みは下記までお願いします。"""

NAMED_ADDONS = """小学校向けオンライン学習「まなびドア」実証のご提案

「まなびドア」は、不登校の児童が自宅から授業に参加できるアプリです。若松区の小学校2校で、6か月間無償で試行させてください。市には対象校のご紹介をお願いします。

加えて、高齢者施設向けの見守りカメラ「ケアアイ」と、図書館向けの蔵書点検ロボット「ホンダナ」も同時にご提案いたします。"""

ENGLISH_ALSO = """Subject: ParkPal for Kitakyushu

ParkPal is an app that shows free parking spaces near Kokura station in real time, using cameras the city already owns. We would like to run a three-month pilot at our own cost.

We also provide the following separate products:
- TrashTrack: route planning for waste collection trucks
- SchoolBus Live: bus location sharing for parents

Please let us know if you are interested."""

TWO_PROBLEMS = """二つの課題に同時に取り組む提案

課題1：商店街の空き店舗が増えている
小倉の商店街では5年で空き店舗が2倍になりました。

課題2：若者の就職先が市外に流れている
市内の大学生の7割が市外で就職しています。

提案：空き店舗を学生のインターン先として使い、両方を一度に解決します。"""

VARIANTS_FOR_USES = """弊社の太陽光LED表示板「ヒカリボード」のご紹介です。
・投票所案内型：選挙の投票所までの道順を表示
・避難誘導型：災害時に避難所の方向を表示
・観光案内型：名所の情報を多言語で表示
ご検討のほど、よろしくお願いいたします。"""

MARKDOWN_MENU = """# 株式会社ミライ工房 自治体向けサービス

## スマート駐車場
空き区画をセンサーで検知し、アプリで案内します。

## 河川水位センサー
大雨の時の水位を遠隔で監視します。

## 観光Wi-Fi
観光地に無料Wi-Fiを設置します。"""

# one field, but three separately named products sold together: still a catalogue
NAMED_SAME_FIELD = """当社は防災の総合メーカーです。

1．避難所用の段ボールベッド「ネムレル」
組み立て5分、100台から納品します。

2．備蓄食の管理アプリ「ストックン」
賞味期限を自動で通知します。

3．防災無線の戸別受信機「キコエル」
高齢者の家庭に設置します。

まとめてご導入いただくと割引いたします。"""


@pytest.mark.parametrize(
    "text, why",
    [(MARK_MENU, "separable"), (NUMBERED_MENU, "areas"), (PRICED_MENU, "priced"), (NAMED_ADDONS, "named"),
     (ENGLISH_ALSO, "named"), (TWO_PROBLEMS, "problems"), (VARIANTS_FOR_USES, "areas"), (MARKDOWN_MENU, "areas"),
     (NAMED_SAME_FIELD, "named")],
    ids=["mark-menu", "numbered-menu", "priced-circled", "named-addons", "english-also", "two-problems", "variants",
         "markdown-menu", "named-same-field"],
)
def test_catalogues_in_other_shapes(text: str, why: str) -> None:
    found = catalogues(text)
    assert [c.why for c in found][:1] == [why]
    finding = analyze(text).findings["one_solution"]
    assert finding.verdict == "fail", finding.reason
    for e in finding.evidence:
        assert e.text == text[e.start:e.end]


def test_headed_paragraphs_slice_the_original_text() -> None:
    (series,) = [s for s in scope.item_series(Draft.prepare(MARK_MENU)) if s.kind == "sections"]
    assert [MARK_MENU[i.start:i.end] for i in series.items] == ["橋梁点検ドローン", "災害時の物資輸送", "農薬散布の代行"]


def test_named_addons_name_every_product() -> None:
    (c,) = catalogues(NAMED_ADDONS)
    assert [NAMED_ADDONS[i.start:i.end] for i in c.series.items] == ["まなびドア", "ケアアイ", "ホンダナ"]


ONE_PLAN_IN_SECTIONS = {
    "numbered-sections": """北九州市 環境局 御中

ごみステーションのカラス被害を減らす実証のご提案

1．背景と課題
小倉南区では、ごみステーションのカラス被害の苦情が年400件あります。

2．提案の内容
折りたたみ式の防鳥ボックスを20か所に設置し、散乱の件数を比べます。

3．役割分担
当社がボックスの設置と清掃を行い、市は設置場所の調整をお願いします。

4．費用
実証の費用は全額当社が負担します。""",
    "feature-sections": """見守りセンサー「ミマモリン」の特長

■ 工事不要
コンセントに挿すだけで使えます。

■ 通知が早い
動きがない状態が続くと、ご家族にすぐ通知します。

■ 月額が安い
月額980円でご利用いただけます。

門司区の高齢者世帯50軒で、3か月の無償実証を行わせてください。市には対象世帯へのご案内をお願いします。""",
    "components": """高齢者見守りの実証のご提案（門司区）

1．見守りセンサー「ミハリ」
冷蔵庫の開け閉めを検知し、一日動きがないと通知します。

2．管理画面「ミハリビュー」
地域包括支援センターの職員が、通知を一覧で確認できます。

3．月1回の報告会
当社が通知の件数と対応結果を報告します。

門司区の独居高齢者100世帯で6か月、費用は当社負担で実施します。市には対象世帯へのご案内をお願いします。""",
    "steps": """空き家の見守り実証のご提案（戸畑区）

■ STEP1 空き家の把握
自治会と一緒に空き家を地図にします。

■ STEP2 月1回の巡回
当社スタッフが外観を確認します。

■ STEP3 所有者への報告
写真付きの報告書を所有者に送ります。

費用は所有者からの月額料金でまかない、市の負担はありません。市には所有者へのご案内をお願いします。""",
    "who-benefits": """スマート街路灯の実証（八幡西区）

当社の街路灯は、照明の明るさを人の通行に合わせて変えます。

■ 歩行者
夜道が明るくなり、安心して歩けます。

■ 近隣住民
深夜は減光するので、まぶしさが減ります。

■ 市の道路管理
電気代が4割減ります。

黒崎駅前の通り20基で6か月試行します。費用は当社負担、市には設置の許可をお願いします。""",
    "three-points-of-one-plan": """小倉駅周辺の放置自転車を減らす実証のご提案

以下の3点をご提案します。

1．市営駐輪場へのセンサー設置
駐輪場3か所の入口に、空き台数を数えるセンサーを付けます。

2．アプリでの空き表示
駅に向かう人が、スマホで空いている駐輪場を探せるようにします。

3．利用データの共有
曜日・時間帯ごとの利用状況を、市の自転車対策の担当にお渡しします。

費用は当社が負担し、市には設置の許可をお願いします。""",
    "english-structure": """Proposal: quieter night buses in Kokura

1. The problem
Residents along the night bus routes complain about engine noise; the ward received 120 complaints last year.

2. Our solution
We retrofit five buses with electric drive kits and measure the noise for six months.

3. What we ask of the city
Permission to use the Kokura depot and help contacting the bus operator.

4. Costs
We pay for the kits and the measurements.""",
    "places": """観光案内の多言語音声ガイドを3エリアで試行します。

■ 門司港エリア
門司港レトロの建物を、音声で案内します。

■ 小倉エリア
小倉城と旦過市場を、音声で案内します。

■ 八幡エリア
東田の産業遺産を、音声で案内します。

費用は当社負担、市には案内板へのQRコード掲示の許可をお願いします。""",
    "audiences": """地域の移動販売車「まちマルシェ号」を八幡西区の団地で3か月走らせます。費用は当社負担で、市には停車場所の調整をお願いします。

■ 高齢者の方へ
家の近くで、生鮮食品を買えます。

■ 子育て世帯の方へ
重い荷物を持たずに買い物ができます。

■ 地元の商店の方へ
販売車に商品を載せて、売り先を広げられます。""",
    "companion-app": """小倉南区の通学路で、子どもの見守りタグ「まもるん」を3か月試行させてください。費用は当社負担で、市には学校へのご案内をお願いします。
あわせて、保護者がタグの位置を確認できるアプリ「まもるんナビ」も無償でご提供します。""",
    "role-table-row": """項目｜内容
課題｜紫川の外来種が増え、在来魚が2年で4割減った（当会の定点調査）
提案｜外来魚を釣って回収する釣り大会を小倉で年4回開く
市の役割｜河川敷の使用許可、市政だよりでの告知
当会の役割｜大会運営、安全管理、保険加入、計測データの公開
費用｜運営費は当会と協賛店で負担""",
    "who-suffers-list": """通学路の危険箇所を見える化する実証（八幡東区）

誰が困っているか
・通学路を歩く小学生
・送り迎えをする保護者
・見守りに立つ地域の高齢者

当社の車載カメラの映像から、急ブレーキの多い地点を地図にします。費用は当社負担で、市には通学路のデータのご提供をお願いします。""",
}


@pytest.mark.parametrize("text", list(ONE_PLAN_IN_SECTIONS.values()), ids=list(ONE_PLAN_IN_SECTIONS))
def test_one_plan_in_sections_is_not_a_catalogue(text: str) -> None:
    assert catalogues(text) == []
    finding = analyze(text).findings["one_solution"]
    assert finding.verdict == "pass", finding.reason


@pytest.mark.parametrize(
    "text, parts",
    [
        ("当会の役割｜大会運営、安全管理、保険加入", True),  # a table row labelled with a part of the plan
        ("・坂道を歩く小学生\n・付き添う保護者\n・見守りに立つ地域の高齢者", True),  # who suffers
        ("・空き家の管理代行\n・移住相談の窓口運営\n・ふるさと納税の返礼品開発", False),  # separate services
    ],
)
def test_plan_parts_screens_lines_read_as_a_catalogue(text: str, parts: bool) -> None:
    draft = Draft.prepare(text)
    assert scope.plan_parts(draft, sg.lines(draft)) is parts


def test_same_product_named_later_elsewhere_is_an_addon() -> None:
    text = ("駐輪場の空き状況を表示するアプリ「チャリナビ」を、小倉駅周辺の市営駐輪場3か所で3か月試行させてください。"
            "費用は当社が負担し、市には駐輪場へのセンサー設置の許可をお願いします。\n"
            "将来的には、同じ仕組みを「クルマナビ」として市営駐車場にも展開したいと考えています。")
    assert catalogues(text) == []
    assert analyze(text).findings["one_solution"].verdict == "partial"


def test_a_side_request_is_an_addon() -> None:
    text = ("若松区の海岸で、月1回のビーチクリーンを自治会と続けています。回収したごみの分別と運搬を市にお願いできないでしょうか。"
            "ついでに、海岸の駐車場の街灯が切れている件もご相談したいです。")
    draft = Draft.prepare(text)
    assert [u.text for u in scope.later_addon_units(draft)] == ["ついでに、海岸の駐車場の街灯が切れている件もご相談したいです。"]
    assert analyze(text).findings["one_solution"].verdict == "partial"


def test_generic_menu_paragraphs_are_a_brochure_local_ones_are_not() -> None:
    assert analyze(MARK_MENU).flags.sales_pitch is True  # 「…を空から届けます」 describes the product line
    assert analyze(NUMBERED_MENU).flags.sales_pitch is False  # 八幡東区の公民館、紫川: deployments here


# --- the written drafts ----------------------------------------------------------------------


# q14 offers one meter for leak detection and for watching over elderly residents: two unrelated uses
# in one sentence without a list shape, which the series segmentation cannot see.
# s12 adds three uses of the compost (市民農園, 食育授業, 販売) with 「また…も行いたい」: labelled an add-on
# (partial), but the older rule in signals.catalogue reads a wish listing three extras as a catalogue.
KNOWN_ONE_SOLUTION_MISSES = {"q14", "s12"}


@pytest.mark.parametrize("case", DRAFTS, ids=[c["id"] for c in DRAFTS])
def test_one_solution_on_written_drafts(case: dict) -> None:
    if case["id"] in KNOWN_ONE_SOLUTION_MISSES:
        pytest.xfail("known miss, see KNOWN_ONE_SOLUTION_MISSES")
    finding = analyze(case["text"]).findings["one_solution"]
    assert finding.verdict == case["labels"]["one_solution"], finding.reason


# n12 proposes four projects and asks the city to route it to 「それぞれの所管課」: labelled not a sales
# pitch (concrete projects in 小倉), but the routing ask is discounted like a bare meeting request.
# q12 offers three alternative plans and asks which one the city wants; labelled not a pitch (it
# presents proposals) but nothing in it is a problem, a role or a concrete deployment, so it is flagged.
# q14 is flagged only through its catalogue, which is missed (above). r14 (a bin lid, a price, "Want a
# demo?") is a brochure, but "compacts waste" reads as a problem to signals.problem_units.
KNOWN_SALES_PITCH_MISSES = {"n12", "q12", "q14", "r14"}


@pytest.mark.parametrize("case", DRAFTS, ids=[c["id"] for c in DRAFTS])
def test_sales_pitch_on_written_drafts(case: dict) -> None:
    if case["id"] in KNOWN_SALES_PITCH_MISSES:
        pytest.xfail("known miss, see KNOWN_SALES_PITCH_MISSES")
    detail = analyze(case["text"]).flag_details["sales_pitch"]
    assert detail.raised == case["labels"]["sales_pitch"], detail.reason


def test_catalogue_evidence_slices_the_original_text() -> None:
    for case in DRAFTS:
        a = analyze(case["text"])
        for e in a.findings["one_solution"].evidence + a.flag_details["sales_pitch"].evidence:
            assert e.text == case["text"][e.start:e.end]


def test_scope_is_deterministic() -> None:
    text = DRAFTS[0]["text"]
    first = analyze(text).findings["one_solution"].model_dump()
    assert all(analyze(text).findings["one_solution"].model_dump() == first for _ in range(3))


# English catalogues whose first item sits behind a long stretch of words: a bounded search for a
# list piece used to start inside a word and quote "y shares stop data" for "…company shares stop data".
ENGLISH_CATALOGUES = [
    """Subject: What our mobility company can do for your city

Our transport analytics company shares stop data, runs parking guidance, sells bicycle racks and operates an on-demand shuttle for elderly residents. We offer each of these services separately.""",
    """Dear Environmental Monitoring Division,

We provide air-quality sensors, flood gauges for small rivers, recycling sorting robots and a tourism footfall dashboard — pick any of them, each module is licensed independently.""",
    """Hello,

Our communications agency specialising in municipal storytelling produces promotional videos for tourism, recruitment campaigns for city hall, school safety leaflets and disaster drill manuals.""",
]


def _inside_word(text: str, i: int) -> bool:
    """Whether offset ``i`` falls between two letters or digits of one word."""
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


@pytest.mark.parametrize("text", ENGLISH_CATALOGUES, ids=["long-subject", "department-word", "agency"])
def test_english_catalogue_spans_are_whole_words(text: str) -> None:
    draft = Draft.prepare(text)
    spans = [(it.start, it.end) for s in scope.item_series(draft) for it in s.items]
    analysis = analyze(text)
    spans += [(e.start, e.end) for k in ("one_solution", "why_this_city") for e in analysis.findings[k].evidence]
    assert spans, "the drafts enumerate offerings: the test must see some spans"
    for k in ("one_solution", "why_this_city"):
        for e in analysis.findings[k].evidence:
            assert text[e.start:e.end] == e.text
    for a, b in spans:
        assert not _inside_word(text, a) and not _inside_word(text, b), repr(text[a:b])
    # the first item is quoted from the start of its words, not from inside "company"
    assert analysis.findings["one_solution"].verdict == "fail"
    assert '"y shares' not in analysis.findings["one_solution"].reason


def test_english_fixture_drafts_quote_whole_words() -> None:
    english = [c["text"] for c in DRAFTS if Draft.prepare(c["text"]).language == "en"]
    assert len(english) >= 5
    for text in english:
        draft = Draft.prepare(text)
        analysis = analyze(text)
        spans = [(it.start, it.end) for s in scope.item_series(draft) for it in s.items]
        for k in ("one_solution", "why_this_city"):
            for e in analysis.findings[k].evidence:
                assert text[e.start:e.end] == e.text
                spans.append((e.start, e.end))
        for a, b in spans:
            assert not _inside_word(text, a) and not _inside_word(text, b), repr(text[a:b])


# A slashed line of four or more lines of business in a draft that proposes nothing (a business card)
# is the company's menu; the same line beside a concrete proposal is left to the other rules.
CARD = """ひかりテック株式会社
営業部長  中村 健
AI・IoT開発/ホームページ制作/イベント映像制作/ドローン測量/業務システム受託
〒800-0000 北九州市門司区XX 1-2-3"""
CARD_BESIDE_A_PROPOSAL = """ひかりテック株式会社の中村です。
門司港レトロ地区で、ドローン測量による護岸の点検を3か月試行したいと考えています。
当社が機材と操縦者を用意し、費用も負担します。市には飛行許可の手続きへのご協力をお願いします。
当社の業務：AI・IoT開発/ホームページ制作/イベント映像制作/ドローン測量/業務システム受託"""


def test_slashed_card_is_a_company_menu_but_not_beside_a_proposal() -> None:
    assert [c.why for c in catalogues(CARD)] == ["company_menu"]
    assert "company_menu" not in [c.why for c in catalogues(CARD_BESIDE_A_PROPOSAL) if c.series.kind == "slash"]
