"""issue_driven (rubric §1) on statement shapes that carry no problem word, or carry one that is
not a problem statement.

- A problem shown as a MEASUREMENT (a breakdown of a total, the writer's own inspection) plus a
  target stated as a label, a 「…が目標です」 sentence, a 「期待される成果」 chapter, an arrow to
  「半分」, or a cost that becomes 「不要」: pass.
- Product-out drafts whose only problem-looking sentences are features: the results of adoption
  in other cities, a condition the company covers, a reassurance, a product in a list, a benefit
  clause 「…できない方も…できる」, the same product extended later: fail.
- An abstract aim stated as the purpose (「…の活性化に向けて」): partial, not fail.
- KPIs counting only the product's use (retention, launches): partial.
- why_this_city (rubric §2): a distinction of the city plus a place or plan in the sentence that
  states the problem, or a place-led sentence explaining why the problem arises here, is a reason;
  another city's plan quoted as 「福岡市 総合計画」 still caps the verdict at partial.

Every draft here was written for these tests. Real ``Draft`` (real Sudachi, real NFKC), no stubs."""

from __future__ import annotations

import pytest

from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.analysis.issue_driven import judge_issue_driven


def judge(text: str):
    return judge_issue_driven(Draft.prepare(text))


MEASURED = [
    # a breakdown of the writer's own count, a 「ねらい：」 label with an arrow to 「半分」
    ("戸畑区の公園を一人で見て回った。\n・点検したベンチ 80基\n・座面が割れて座れないもの 24基\n"
     "提案：地域の大工OBで月1回の補修班をつくる。\nねらい：座れないベンチを、いま24基→半分以下に。"),
    # a breakdown of records with no problem word, next to a problem sentence; a target with 削減
    ("当センターの2025年度の夜間相談1,200件のうち、約6割は翌日の通常窓口で足りる内容でした。"
     "そのため本当に急ぐ相談の電話がつながらないことがあります。\n"
     "提案：夜間に自動応答で翌日予約を受け付ける仕組みを試行します。\n目標：夜間の電話待ちを40%削減"),
    # the writer's own inspection (「…確認したところ」) and 「…ことが目標です」
    ("当組合の職員が2025年7月に市内の農業用ため池30か所を確認したところ、12か所で堤体に亀裂がありました。"
     "大雨のたびに下流の住宅が心配です。\n"
     "亀裂のあるため池をゼロにすることが目標です。点検と補修の計画づくりを組合が担います。"),
    # a 「第N章 期待される成果」 chapter heading over a noun-phrase KPI
    ("第1章 現状\n商店街の空き店舗が目立ち、27店のうち9店が空いています（商店会の台帳、2025年）。\n"
     "第2章 提案\n空き店舗を週末だけ若手の出店者に貸し出します。\n"
     "第3章 期待される成果\n・空き店舗数の抑制（3年間で27店を2割減）"),
    # a cost that the proposal makes unnecessary
    ("市の調べでは、市内の小学校の屋外プール40か所のうち半数以上が築40年を超え、更新費は1か所あたり約2億円とされています。"
     "夏の数週間しか使わないため費用に見合いません。\n"
     "近隣の民間屋内プールで授業を行う方式に切り替えることを提案します。試算では5か所の切替えで更新費10億円が不要になります。"),
]


@pytest.mark.parametrize("text", MEASURED)
def test_measured_problem_with_target_passes(text: str) -> None:
    finding = judge(text)
    assert finding.verdict == "pass", finding.reason
    assert {"problem", "size_evidence", "outcome"} <= set(finding.present)


PRODUCT_OUT = [
    # another city's results after adoption are the product's track record, not a problem here
    ("「パークミル」は公園遊具の点検をスマホで記録するアプリです。"
     "他市では導入半年で、点検記録の作成時間が平均40分から10分に短縮し、修繕漏れが3割減りました。"
     "全国12の自治体で採用されています。ぜひ一度デモをご覧ください。"),
    # a condition the company covers, and a reassurance
    ("当社の「エコライトLED」は、街路灯の消費電力を最大60%削減します。"
     "万一、製品が故障した場合は当社が無償で交換します。"
     "設置工事は夜間に行うため通行への影響も心配ありません。導入実績は全国200件以上です。"),
    # a benefit clause: 「…できない方も…できる」 describes who can use the product
    ("■ オンライン市民講座\n会場まで来られない方も、自宅から参加できる配信スタジオをご用意します。\n"
     "■ 観光動画制作\n名所を紹介するショート動画を制作します。\n受賞歴：映像アワード2024 優秀賞。"),
    # products in a list, and the same product extended later
    ("Hello,\nWe build software for local governments. Our products:\n"
     "- ParkPal: a parking-queue app for city car parks\n- FormFlow: an online forms platform\n"
     "ParkPal is used by 30+ cities. In the future the same app could also handle bike sharing.\nBest regards"),
]


@pytest.mark.parametrize("text", PRODUCT_OUT)
def test_product_features_are_not_problems(text: str) -> None:
    finding = judge(text)
    assert finding.verdict == "fail", (finding.reason, [e.text for e in finding.evidence])


def test_adoption_elsewhere_is_track_record() -> None:
    draft = Draft.prepare("他市では導入1年で、窓口の待ち時間が平均30分から10分に短縮しました。")
    assert sg.is_track_record(sg.units(draft)[0])
    # other cities' figures of the PROBLEM stay admissible as size evidence
    draft = Draft.prepare("総務省の調査では、同規模の他市でも窓口の平均待ち時間は30分を超えています。")
    assert not sg.is_track_record(sg.units(draft)[0])


def test_abstract_aim_is_partial_not_fail() -> None:
    text = ("株式会社みらい商事です。当社は地域経済の活性化に向けて、次の取組で貴市と共創したいと考えております。\n"
            "1．地元産品の通販サイト運営\n2．商店街のイベント企画\n詳細は個別にご相談させてください。")
    finding = judge(text)
    assert finding.verdict == "partial", finding.reason
    # the city's own policy (honorific 「取り組まれ」) is not the proposal's aim
    city_policy = ("貴市は脱炭素に取り組まれており、当社の電動草刈機がお役に立てると考えます。"
                   "最大出力1.5kW、連続稼働3時間、価格は1台28万円です。")
    assert judge(city_policy).verdict == "fail"


def test_product_use_kpis_are_not_an_outcome() -> None:
    text = ("文部科学省の調査では、小学生の約3割が朝食を毎日食べていません。朝食を抜く子どもは午前中に集中が続かないとされています。\n"
            "当社の朝ごはん記録アプリ「モグモグ」を市内の小学校3校で試行します。\n"
            "・目標：アプリの継続利用率70%、1日あたりの平均起動回数2回以上")
    finding = judge(text)
    assert finding.verdict == "partial", finding.reason
    assert "outcome" in finding.missing


# why_this_city (rubric §2) on the same kind of drafts: the local fact is tied to the problem.
from coach.analysis.why_this_city import judge_why_this_city


def why(text: str):
    return judge_why_this_city(Draft.prepare(text))


@pytest.mark.parametrize("text", [
    # a distinction of the city and a place in the sentence that states the problem
    ("北九州市は政令市の中で高齢化率が最も高く、八幡東区の坂の多い団地では買い物に行けない高齢者が増えています。"
     "移動販売車で週2回、団地を回る実証を提案します。目標：買い物に困ると答える世帯を半減。"),
    # a place-led sentence that explains why the problem arises here (「一因」「増える見込み」)
    ("若松区の海水浴場は、市内から車で30分以内で行けることもあり、夏の週末に駐車場が満車になる一因になっています。"
     "臨時の駐車場予約システムを試行することを提案します。"),
])
def test_local_fact_tied_to_the_problem_passes(text: str) -> None:
    finding = why(text)
    assert finding.verdict == "pass", finding.reason


def test_another_citys_plan_quoted_with_a_space_caps_at_partial() -> None:
    text = ("北九州市 ご担当者様\n\n当社は「熊本市 環境基本計画」に掲げられた目標に沿って本製品を開発しました。"
            "小倉駅は1日の乗降客が多く、小倉北区の昼間人口は夜間人口を大きく上回るため、実証の場所として適しています。"
            "小倉駅周辺の市有地1か所で6か月の実証を提案します。")
    finding = why(text)
    assert finding.verdict == "partial", finding.reason


def test_distinction_alone_in_the_problem_sentence_stays_partial() -> None:
    text = ("北九州市は政令市の中で高齢化率が最も高く、買い物に行けない高齢者が増えています。"
            "当社の宅配アプリを導入してください。")
    assert why(text).verdict == "partial"


@pytest.mark.parametrize("text", [
    # the feature shapes above must not swallow real problem statements
    "バスの本数が減り、通院できない方も多く、診察を受けられずにいます。",
    "雨が降った場合は、バスが運休し通学できない生徒が出ます。",
    "現状は問題ありませんが、10年後には担い手が不足します。",
    "今後、この地域では高齢化がさらに進み、買い物に困る方が増えています。",
    "そのため本当に急ぐ相談の電話がつながらないことがあります。",
])
def test_real_problem_statements_are_kept(text: str) -> None:
    assert sg.problem_units(Draft.prepare(text))


@pytest.mark.parametrize("text", [
    "会場に来られない方も、自宅から参加できる配信をご用意します。",
    "万一、製品が故障した場合は当社が無償で交換します。",
    "個人情報はシールに含まれないため安心です。",
    "今後は同じ仕組みで、区画線のかすれの検知も追加していく予定です。",
])
def test_feature_sentences_are_not_problems(text: str) -> None:
    assert not sg.problem_units(Draft.prepare(text))
