"""Shapes of statement the third writer's held-out set showed the analyzer misreading, each
written here in fresh words (none is a held-out case's text), so the rule is tested, not the case.

- a polite request (「お時間を頂戴できませんでしょうか」), a condition (「申出がない限り」) or an
  agreement's prescription (「費用は各自の負担とする」) is not a problem sentence;
- a problem relayed second-hand (「…と保護者の方からうかがいました」 "according to residents") is a
  problem with hearsay evidence (partial), not no problem (fail);
- the company's results elsewhere (「当社のサービスはA市で…短縮しました」) size neither the problem
  nor the outcome, and a nationwide problem (「全国の自治体が…共通の課題」) stays abstract;
- the city's part left 「今後ご相談」 keeps cost_split at partial;
- the sender's address in another city (「提案者：株式会社X（大阪市北区）」) is not an addressee, and
  local facts only in a profile of the city (「…で知られる魅力あるまちです」) are not linked;
- an extra offered 「ご要望に応じて」/「あわせて」 is an add-on (partial), a rollout of the same
  service to 「市全域」 is not, and a product's coverage (「AからBまで…に対応しています」) is not a
  catalogue; business lines on a card (「A事業／B運営／C受託」) are;
- a fee from a later budget year or a 当初予算 (to_g) is not a mid-year ask, nor is a start this
  fiscal year on the company's own money; a price paid by
  households and the city's *current* cost (「処分は市の負担です」) are not the city paying the proposer;
- a standing sales offer (「無料トライアル受付中」) proposes nothing (sales_pitch).

Real ``analyze`` on real drafts (Sudachi, NFKC); nothing is stubbed.
"""

from __future__ import annotations

import pytest

from coach.analysis import analyze

CASES: list[tuple[str, str, dict[str, object]]] = [
    (
        "meeting_request",
        (
            "北九州市 ご担当者様\n"
            "当社の防犯カメラ「ミハル」は全国150の自治体で導入されています。一度お打ち合わせのお時間をいただけませんでしょうか。\n"
            "株式会社ミハル 営業部"
        ),
        {"issue_driven": "fail", "sales_pitch": True},
    ),
    (
        "meeting_request_online",
        (
            "北九州市役所 御中\n"
            "弊社はAIチャットボット「こたえる君」を提供しております。15分ほどオンラインでご説明の機会を頂戴できないでしょうか。ご"
            "都合の良い日時をお知らせください。\n"
            "株式会社コタエル"
        ),
        {"issue_driven": "fail", "sales_pitch": True},
    ),
    (
        "agreement_articles",
        (
            "〇〇市と株式会社ミライとの連携協定書（案）\n"
            "第1条 本協定は、甲と乙が連携し、市民サービスの向上を図ることを目的とする。\n"
            "第2条 甲及び乙は、次の事項について連携する。\n"
            "(1) 防災に関すること\n"
            "(2) 観光振興に関すること\n"
            "(3) 子育て支援に関すること\n"
            "第3条 本協定に基づく費用は、各自の負担とする。\n"
            "第4条 有効期間は1年とし、申出がない限り更新する。"
        ),
        {"issue_driven": "fail", "one_solution": "fail", "sales_pitch": False},
    ),
    (
        "meeting_request_visit",
        (
            "北九州市 ご担当者様\n"
            "弊社の清掃ロボットは全国の駅で活躍しています。一度ご挨拶に伺えませんでしょうか。\n"
            "株式会社キレイ"
        ),
        {"issue_driven": "fail", "sales_pitch": True},
    ),
    (
        "hearsay_ja",
        (
            "北九州市 子ども家庭局 御中\n"
            "小倉北区の放課後児童クラブで、支援員が足りず、待機している子どもがいると保護者の方々からうかがいました。\n"
            "そこで、当法人の学生ボランティアを週2回派遣させていただけないでしょうか。費用は当法人が負担します。\n"
            "NPO法人まなびば"
        ),
        {"issue_driven": "partial"},
    ),
    (
        "hearsay_en",
        (
            "Dear Kitakyushu City,\n"
            "According to several residents we spoke to, elderly people i"
            "n Moji often miss the last bus and are stranded.\n"
            "We would like to run a 2-month pilot of volunteer evening ri"
            "des in Moji at our cost; the city would help by announcing i"
            "t in the ward newsletter.\n"
            "Kind regards, RideTogether"
        ),
        {"issue_driven": "partial"},
    ),
    (
        "nationwide_with_results_elsewhere",
        (
            "北九州市 御中\n"
            "全国の自治体が、人口減少と担い手不足という共通の課題を抱えています。\n"
            "当社のサービスは、A市で窓口の待ち時間を30分から10分に短縮しました。\n"
            "貴市でも実証させてください。費用は当社が負担します。"
        ),
        {"issue_driven": "partial"},
    ),
    (
        "sender_address_elsewhere",
        (
            "提案先：北九州市 環境局\n"
            "提案者：株式会社エコロ（東京都千代田区）\n"
            "当社の生ごみ処理機を市の施設に設置し、3か月の実証を行いたいと考えています。"
        ),
        {"why_this_city": "partial"},
    ),
    (
        "city_profile_next_to_unrelated_offer",
        (
            "北九州市 総務局 御中\n"
            "北九州市は門司港レトロや小倉城、皿倉山の夜景で知られる魅力あるまちです。若松区や戸畑区にも多くの観光資源があります。\n"
            "当社のAI議事録システムを庁内で3か月試行していただくことをご提案します。費用は当社が負担します。"
        ),
        {"why_this_city": "partial"},
    ),
    (
        "addon_on_request",
        (
            "北九州市 保健福祉局 御中\n"
            "高齢者の見守りのため、電力データを使った見守りサービスを門司区で試行したいと考えています。ご要望に応じて、買い物支援や配"
            "食サービスの手配もあわせてお引き受けいたします。"
        ),
        {"one_solution": "partial"},
    ),
    (
        "addon_also_extend",
        (
            "北九州市 建設局 御中\n"
            "公園のトイレの清掃状況をセンサーで見える化する実証を、小倉北区の勝山公園で3か月行いたいと考えています。あわせて、公園灯"
            "の故障検知や駐車場の満空情報の配信にも展開できればと考えております。"
        ),
        {"one_solution": "partial"},
    ),
    (
        "addon_if_the_city_wishes_en",
        (
            "Dear Kitakyushu City,\n"
            "We propose a 3-month pilot of our flood sensors at two under"
            "passes in Kokura Kita ward, at our cost. The city would choo"
            "se the sites and grant permits. Target: alert drivers within"
            " 1 minute of flooding.\n"
            "If the city wishes, we could also offer river-level monitori"
            "ng, landslide sensors and smart streetlights alongside the p"
            "ilot."
        ),
        {"one_solution": "partial"},
    ),
    (
        "business_card_ja",
        (
            "株式会社ミドリ\n"
            "代表取締役 山田 太郎\n"
            "造園工事／公園の維持管理／街路樹の剪定受託／緑化コンサルティング\n"
            "〒802-0001 北九州市小倉北区"
        ),
        {"one_solution": "fail"},
    ),
    (
        "business_card_en",
        (
            "ChariNavi Inc.\n"
            "Daiki Morinaga, CEO\n"
            "Bike sharing | Parking operations | Abandoned-bike removal |"
            " Bicycle advertising\n"
            "Hakata, Fukuoka\n"
            "Tel 092-000-0000"
        ),
        {"one_solution": "fail"},
    ),
    (
        "catalogue_in_prose",
        (
            "北九州市 御中\n"
            "私たちは、子育て支援、高齢者の見守り、観光ガイド、防災訓練の4つの事業を展開しています。このすべてを貴市でご一緒したいと"
            "考えています。"
        ),
        {"one_solution": "fail"},
    ),
    (
        "later_fee_from_year_after_next",
        (
            "北九州市 上下水道局 御中\n"
            "実証：来年度6か月、費用は当社負担。\n"
            "市：対象地区の選定、データ提供。\n"
            "目標：漏水発見件数を2倍。\n"
            "再来年度以降は、年額500万円の利用料で市全域への本格導入をご検討いただければ幸いです。"
        ),
        {"cost_split": "pass", "to_g": True, "one_solution": "pass"},
    ),
    (
        "later_initial_budget",
        (
            "北九州市 御中\n"
            "実証：来年度4月〜9月、門司区の2地区で実施。費用は当社が負担し、市の新たな予算は不要です。\n"
            "市：地区の選定と住民への周知。\n"
            "目標：買い物困難世帯の外出回数を月2回増やす。\n"
            "効果が確認できれば、再来年度以降の当初予算でのご検討をお願いしたいと考えています。"
        ),
        {"cost_split": "pass", "to_g": True},
    ),
    (
        "this_year_start_on_company_money",
        (
            "北九州市 環境局 御中\n"
            "若松区の海岸では漂着ごみが年間約40tにのぼり（市の清掃記録）、地元の清掃ボランティアの負担が大きくなっています。\n"
            "今年度中に当社の費用で、回収ロボットの実証をスタートしたいと考えています。期間は2か月です。\n"
            "市：実施場所の選定と海岸管理者との調整\n"
            "目標：ボランティアの回収作業時間を30%削減"
        ),
        {"cost_split": "pass", "to_g": False},
    ),
    (
        "contracted_by_the_city_later",
        (
            "北九州市 御中\n"
            "実証は当社負担で来年度に行い、その後は市からの受託事業として継続したいと考えています。市には対象施設の選定をお願いします"
            "。目標は待ち時間の半減です。"
        ),
        {"to_g": True},
    ),
    (
        "city_part_to_discuss_ja",
        (
            "北九州市 御中\n"
            "来年度4月から6か月間、八幡西区で実証を行います。費用は当社が全額負担します。目標は参加者の外出回数を20%増やすことで"
            "す。市にお願いしたいことについては、今後ご相談させてください。"
        ),
        {"cost_split": "partial"},
    ),
    (
        "city_part_to_discuss_en",
        (
            "Dear Kitakyushu City,\n"
            "We propose a 6-month pilot from April next year in Tobata. W"
            "e will cover all costs. Target: cut waiting time by 30%. The"
            " city's role is to be discussed at a later meeting."
        ),
        {"cost_split": "partial"},
    ),
    (
        "standing_trial_offer",
        (
            "AI議事録サービス「カクギジ」\n"
            "・会議の録音から自動で議事録\n"
            "・導入自治体80団体\n"
            "無料トライアル実施中。お気軽にお問い合わせください。\n"
            "株式会社カクギジ"
        ),
        {"sales_pitch": True},
    ),
    (
        "price_paid_by_households",
        (
            "北九州市 御中\n"
            "見守りGPS「ツナガル」のご紹介\n"
            "・小学生の保護者8万人が利用中\n"
            "販売価格：本体5,000円／月額500円\n"
            "保護者の皆様へのご案内チラシをご用意しています。"
        ),
        {"to_g": False},
    ),
    (
        "city_current_cost_is_the_problem",
        (
            "北九州市 環境局 御中\n"
            "現在、不法投棄されたごみの撤去は市の負担です。年間約300件、撤去費は約2,000万円にのぼります（市の資料）。\n"
            "当社の監視カメラを無償で3か月設置し、投棄件数を30%減らすことを目指します。市には設置場所の選定をお願いしたいです。"
        ),
        {"to_g": False},
    ),
]


def _got(analysis, key: str) -> object:
    if key in ("to_g", "sales_pitch"):
        return getattr(analysis.flags, key)
    return analysis.findings[key].verdict


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_statement_shape(name: str, text: str, expected: dict[str, object]) -> None:
    analysis = analyze(text)
    got = {k: _got(analysis, k) for k in expected}
    assert got == expected
    for finding in analysis.findings.values():
        for e in finding.evidence:
            assert text[e.start:e.end] == e.text


def test_hearsay_problem_is_cited_as_hearsay() -> None:
    text = {c[0]: c[1] for c in CASES}["hearsay_ja"]
    finding = analyze(text).findings["issue_driven"]
    assert "problem" in finding.present and "size_evidence" in finding.missing
    assert any(e.signal == "hearsay" and "うかがいました" in e.text for e in finding.evidence)
