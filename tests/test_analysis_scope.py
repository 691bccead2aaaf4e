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
