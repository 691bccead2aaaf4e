"""issue_driven (rubric §1): pass / partial / fail on real drafts in several voices, plus the
signals it rests on (numbers in any form, hearsay, product-only KPIs).

The short drafts are written for these tests; the dev cases are named by id. Nothing is stubbed:
the judge runs on a real ``Draft`` (real Sudachi sentence split, real NFKC)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.analysis.issue_driven import judge_issue_driven


def judge(text: str):
    return judge_issue_driven(Draft.prepare(text))


LETTER_PASS = """件名：ごみ出しが難しい高齢者世帯への「玄関先回収」実証のご相談

八幡西区の団地では、エレベーターのない4階・5階に住む高齢者がごみ集積所まで袋を運べず、ごみをため込んでしまう例が出ています。
当社が昨年、区内の団地3か所で民生委員の方と行った聞き取り（対象182世帯）では、三割にあたる55世帯が「ごみ出しがつらい」と答えました。

そこで、登録した世帯の玄関先で週2回ごみを回収するサービスを試したいと考えています。
・市：団地管理者・自治会へのご紹介、市政だよりでの周知
・目標：登録世帯の「ごみ出しがつらい」と答える割合を半減、苦情件数を0件に"""

SLIDES_PASS = """【スライド1】水道検針のAI化
【スライド2】課題
●検針員のなり手が不足し、高齢化が進んでいる
●他の政令市での当社調査：検針員１人あたり月約１，８００件、誤検針は年間１，２００件
【スライド3】提案
●メーターにAIカメラを後付けし、使用量を自動送信
【スライド4】目標
●誤検針ゼロ、検針業務時間を９０％削減"""

ENGLISH_PASS = """Proposal: reducing missed health check-ups among gig workers

Problem
Freelance and gig workers rarely attend annual health check-ups. In our survey of 640 delivery riders in three Kyushu cities (2024), only 22% had a check-up in the past year.

Solution
Pop-up check-up booths at delivery hubs, open in the evening.

Targets
Raise check-up uptake among participating riders from 22% to 45%."""

HEARSAY_PARTIAL = """門司区の山間部では、近くのスーパーが閉店し、歩いて行ける店がなくなったと地域の方から伺っています。
そこで当社の移動販売車を週2回、地区の公民館前に停めて食料品を販売したいと考えています。
目標は、利用者の買い物のための外出を週1回増やすことです。"""

ABSTRACT_PARTIAL = """観光振興は地域活性化の重要な課題であると考えております。
弊社は観光プロモーション動画の制作をお引き受けいたします。"""

PRODUCT_KPI_PARTIAL = """■ Problem
・日本の食品ロスは年間472万トン（農林水産省推計）
・飲食店の閉店前の売れ残りは廃棄コストになっている
■ Solution
・余剰在庫をアプリでタイムセール出品
■ KPI
・加盟店舗数 300店舗
・アプリダウンロード数 30,000"""

BROCHURE_FAIL = """スマート街路灯「ヒカリポール」のご案内
■特長
・消費電力を従来比60%削減
・カメラ映像はクラウドで最大30日保存
■実績
全国75自治体、3,200基の導入実績。2024年度インフラDXアワード受賞。
資料をお送りしますので、ご検討のほどよろしくお願い申し上げます。"""

THEME_ONLY_FAIL = """事業名：未来の学び創造プロジェクト
テーマ：学校教育の充実
課題：学校教育の充実
提案内容：STEAM教育プログラムの出前授業
市に期待すること：採用をご検討ください。"""


MARKDOWN_PASS = """## 課題
市内の公園トイレは、利用者から「汚い」「紙がない」という苦情が多く寄せられています。市の公表資料によると、公園に関する苦情の約四割がトイレに関するものでした。清掃は曜日ごとの巡回で、汚れていても次の巡回まで対応できません。

## 提案
トイレに人感センサーと紙残量センサーを設置し、清掃の必要な時だけ清掃員に通知します。

## 目標
- トイレに関する苦情を半減
- 清掃員の巡回距離を20%削減"""

LACK_AND_HEARSAY_PARTIAL = """市政だよりは自治会の班長さんが各戸に配っていますが、班長のなり手がなく、配布が滞る地区が出ていると自治会長から聞いています。
新聞販売店の配達網を使って、市政だよりを全戸にポスティングする方法を提案します。"""

BENEFIT_IS_NOT_A_PROBLEM_FAIL = """弊社が開発した外国人観光客向け翻訳機「ツウヤくん」は、80言語に対応し、オフラインでも使えます。
観光案内所に置いていただければ、スタッフの負担が軽くなると思います。1台3万円、レンタルも可能です。"""

ENGLISH_BROCHURE_FAIL = """To whom it may concern,
Our company provides world-class consulting services in smart city planning, digital transformation, sustainability strategy, and tourism marketing.
We would welcome the opportunity to present our capabilities to your team."""


PHARMACY_PASS = """戸畑区の商店街で薬局を営んでいます。
最近、一人暮らしのお年寄りが薬を飲み忘れたり、同じ薬を二重に飲んでしまったりする例が目立ちます。うちの薬局の在宅訪問先48人のうち、昨年度に飲み忘れ・重複が確認されたのは19人でした。
そこで、お薬カレンダーと電話の声かけを組み合わせた「飲み忘れゼロ見守り」を区内に広げたいと考えています。
1年後に、参加者の飲み忘れ・重複を半分に減らすのが目標です。"""

ENGLISH_SUCCESS_MEASURE_PASS = """Loneliness among older residents is a growing public-health issue. Japan's Cabinet Office reports that about 4 in 10 people aged 65+ living alone feel lonely at least sometimes.
We propose weekly phone calls by trained students to 200 isolated older residents in Tobata Ward.
Success measure: a 20% drop in participants' loneliness scores after six months."""

ENGLISH_NO_FIGURES_PARTIAL = """Hiraodai is hard to reach without a car: there is no bus on most weekends. We could not find visitor numbers.
We propose a weekend shuttle van for one summer season. Target: 3,000 riders in the season."""


ENGLISH_COUNTS_PASS = """Construction and road workers in Kitakyushu face rising summer heat; the fire department recorded 412 heat-stroke ambulance calls city-wide last summer, about a quarter of them from people working outdoors.
We propose to lend 300 cooling vests and wearable heat sensors to small contractors for one summer.
Target: zero heat-stroke ambulance calls among participating crews."""


@pytest.mark.parametrize(
    "text, verdict",
    [(PHARMACY_PASS, "pass"), (ENGLISH_SUCCESS_MEASURE_PASS, "pass"), (ENGLISH_NO_FIGURES_PARTIAL, "partial"),
     (ENGLISH_COUNTS_PASS, "pass")],
    ids=["pharmacy", "english-success-measure", "english-no-figures", "english-counts"],
)
def test_observed_figures_and_english_goals(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    "text, verdict",
    [
        (MARKDOWN_PASS, "pass"),
        (LACK_AND_HEARSAY_PARTIAL, "partial"),
        (BENEFIT_IS_NOT_A_PROBLEM_FAIL, "fail"),
        (ENGLISH_BROCHURE_FAIL, "fail"),
    ],
    ids=["markdown", "lack-hearsay", "benefit-only", "english-brochure"],
)
def test_more_voices(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    "text, verdict",
    [
        (LETTER_PASS, "pass"),
        (SLIDES_PASS, "pass"),
        (ENGLISH_PASS, "pass"),
        (HEARSAY_PARTIAL, "partial"),
        (ABSTRACT_PARTIAL, "partial"),
        (PRODUCT_KPI_PARTIAL, "partial"),
        (BROCHURE_FAIL, "fail"),
        (THEME_ONLY_FAIL, "fail"),
    ],
    ids=["letter", "slides", "english", "hearsay", "abstract", "product-kpi", "brochure", "theme-only"],
)
def test_verdicts_on_written_drafts(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


def test_pass_names_all_four_items_with_evidence() -> None:
    f = judge(LETTER_PASS)
    assert set(f.present) == {"problem", "affected", "size_evidence", "outcome"}
    assert f.missing == []
    signals = {e.signal for e in f.evidence}
    assert {"problem", "size_evidence", "outcome"} <= signals
    assert "課題" in f.reason


def test_partial_reasons_name_what_is_missing() -> None:
    hearsay = judge(HEARSAY_PARTIAL)
    assert "size_evidence" in hearsay.missing and "伝聞" in hearsay.reason
    kpi = judge(PRODUCT_KPI_PARTIAL)
    assert "outcome" in kpi.missing and "利用数" in kpi.reason
    assert kpi.signals["product_only_kpi"] >= 1


def test_fail_says_no_problem() -> None:
    f = judge(BROCHURE_FAIL)
    assert f.missing[0] == "problem"
    assert "地域課題" in f.reason


def test_hearsay_with_its_own_figures_still_counts() -> None:
    # Rubric: hearsay as the ONLY evidence is partial; a second-hand report that carries figures is data.
    text = ("北九州市の4月入所の一次申込は約6,000件にのぼり、7つの区役所で延べ約4,000時間の作業が集中していると伺っています。"
            "当社のAI入所選考システムを導入し、選考作業時間を80%削減することを目指します。")
    assert judge(text).verdict == "pass"


@pytest.mark.parametrize(
    "case_id, verdict",
    [("dev-001", "pass"), ("dev-008", "partial"), ("dev-005", "fail"), ("devb-037", "partial"),
     ("devb-047", "fail"), ("devb-026", "pass"), ("devb-049", "partial"), ("dev-014", "fail")],
)
def test_selected_dev_cases(dev_cases: list[dict], case_id: str, verdict: str) -> None:
    case = next(c for c in dev_cases if c["id"] == case_id)
    assert case["labels"]["issue_driven"] == verdict  # the label this test relies on
    assert judge(case["text"]).verdict == verdict


def test_evidence_spans_are_exact_slices_of_the_original(dev_cases: list[dict]) -> None:
    for case in dev_cases:
        draft = Draft.prepare(case["text"])
        for e in judge_issue_driven(draft).evidence:
            assert e.text == case["text"][e.start:e.end]


def test_fullwidth_and_kanji_numbers_are_quantities() -> None:
    draft = Draft.prepare("回答者のうち４１％、三割の世帯、二千人、1.2万件、約1兆2,040億円、4分の1が該当しました。2024年4月に実施。")
    unit = sg.units(draft)[0]
    found = {q.text: q for q in sg.find_quantities(unit)}
    assert {"４１％", "三割", "二千人", "1.2万件", "4分の1"} <= set(found)
    assert found["二千人"].value == 2000
    assert found["1.2万件"].value == 12000
    assert not any("2024" in t or t.startswith("4月") for t in found)  # dates are not quantities
    for q in found.values():
        assert q.text == draft.text[q.start:q.end]


# Drafts by another writer (tests/fixtures/analyzer_voices_b.jsonl), labelled by the rubric before
# the judge ran on them: problems shown by a measured state or by how the work is done today,
# hearsay from fishermen and residents' leaders, KPIs counting benches installed or downloads.
VOICES_B = [json.loads(line) for line in (Path(__file__).resolve().parent / "fixtures" / "analyzer_voices_b.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]
# z05 (a need 「多くの技術者が必要です」) and y05 (waste named in the remedy's purpose) were known misses
# until the judge read those shapes; see test_needs_and_purposes_name_a_problem below.
KNOWN_MISSES_B: dict[str, str] = {}


@pytest.mark.parametrize("case", VOICES_B, ids=[c["id"] for c in VOICES_B])
def test_voices_b(case: dict, request: pytest.FixtureRequest) -> None:
    if case["id"] in KNOWN_MISSES_B:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_MISSES_B[case["id"]], strict=True))
    finding = judge(case["text"])
    assert finding.verdict == case["labels"]["issue_driven"], finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # a problem shown by how the work is done today, with a measured figure and a goal
        (("Today, every building permit application in Kitakyushu is submitted on paper and checked by hand. "
         "Applicants come back on average 2.3 times to fix missing documents (our survey of 40 local architects, "
         "2025). We would build a pre-check tool. Goal: halve the number of return visits."), "pass"),
        # the same shape with no figure and no goal: partial, not fail
        (("現在、市内の公民館の予約は各館の窓口か電話で行い、空き状況は館ごとにしか分かりません。"
         "オンラインで全館の空き状況を確認できるシステムを提案します。"), "partial"),
        # a measured state under 「■現状」 with no problem word, and a goal
        ("■現状\n市の調査では、小倉駅周辺の放置自転車は1日平均420台にのぼります。\n■目標\n放置自転車を1日200台以下に半減させます。",
         "pass"),
        # hearsay in English: "fishermen tell us" keeps it partial even with a goal
        (("Fishermen in Wakamatsu tell us that their catches of sea bream have fallen sharply. We would place five "
         "reef blocks. Aim: double the juvenile fish counted at the reef sites within two years."), "partial"),
        # a bare count next to its source is evidence of size
        (("Heatstroke ambulance transports in Kitakyushu reached 612 in summer 2024 (Fire Bureau data), more than "
         "half of them people aged 65 or over. Goal: cut heatstroke transports of people aged 65+ in the ward by 15%."),
         "pass"),
        # units installed count the product, not the problem
        (("市内のバス停約3,100か所のうち、ベンチがあるのは約2割にとどまり（当社調べ）、高齢の方が立ったままバスを待っています。\n"
         "目標：3年で広告付きベンチ100基設置"), "partial"),
        # a company's own figures are not a problem
        (("Our platform integrates traffic, energy and building data into one 3D model and has been adopted by 12 "
         "cities in Asia. Pricing starts at SGD 150,000 per year."), "fail"),
    ],
    ids=["today-en", "today-ja", "measured-section", "hearsay-en", "bare-count", "units-installed", "company-figures"],
)
def test_problems_in_other_shapes(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# --- shapes the judge reads beyond ``signals.problem_units`` (5th writer's drafts) ---------------
# Every text below is written for these tests; each group has a near-miss that must not move.


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # a state relayed by people who see it: a problem, hearsay only → partial
        (("自治会の役員さんから「夕方に一人で留守番している小学生が団地に大勢いる」と伺っています。"
         "そこで週2回、集会所で学習室を開きたいと考えています。目標は利用児童を月30人にすることです。"), "partial"),
        (("Several growers told us that late frosts are killing more blossoms than before. We would install "
          "frost alarms in ten orchards. Goal: cut blossom losses by 30% in two seasons."), "partial"),
        # near-miss: relayed enthusiasm is no problem; the draft is product-out
        ("保護者の方から「ぜひ使ってみたい」と伺っています。当社のアプリは時間割と連絡帳を一つにまとめたサービスです。", "fail"),
        ("多くの保護者の方から「早く使いたい」との声を伺っています。当社のアプリは連絡帳をスマホにまとめます。", "fail"),
        ("Many parents told us they would love an app like ours. It puts the school timetable on one screen.", "fail"),
    ],
    ids=["reported-alone-ja", "reported-en", "reported-praise", "reported-wish-many", "reported-wish-en"],
)
def test_reported_states_are_hearsay_problems(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # bullets up top that state how things are, with no problem word: not fully known, too short a stay
        (("八幡の産業遺産めぐりのご提案\n・官営八幡製鐵所の価値が市外の人に伝わりきっていない\n・来訪者の滞在が短い\n"
         "ご提案\n・解説アプリとガイドツアーを組み合わせた周遊企画"), "partial"),
        (("Kaiwa Labs — proposal\nTown halls everywhere are overstretched and must go digital. "
          "We would deploy a chatbot at one ward office. Goal: 20% fewer phone inquiries."), "partial"),
        # near-misses: a product describing itself, in both languages
        ("当社のアプリは、誰でも数分で使いこなせます。通知はスマホに届き、設定も簡単です。", "fail"),
        ("Our UV lamp is killing 99.9% of germs in minutes and needs no chemicals.", "fail"),
    ],
    ids=["not-known-short-stay", "overstretched-en", "product-self-description", "product-kills-germs"],
)
def test_states_in_other_words(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # incidents counted by the writer's own records, with a goal → pass
        (("うちの選別場でも2024年度に充電池の発煙・発火が9件起き、1件は消防が出動しました。"
         "回収拠点を設けて、充電池の混入を半分に減らすことを目標とします。"), "pass"),
        (("Our depot recorded 14 fires from lithium batteries in 2024, three of them needing the fire brigade. "
          "Goal: halve battery fires at the depot within a year."), "pass"),
        # near-miss: the incident as what the product handles, and a condition the company covers
        ("当社の火災検知センサーは煙を0.5秒で捉えます。万一、機器が故障した場合は無償で交換します。", "fail"),
        # near-misses: incidents as what a plan compares or a product spots
        ("通学路のヒヤリハット地点を地図にまとめ、対策の前後でヒヤリハット件数を比べます。", "fail"),
        ("Our cameras detect near-misses at junctions and are installed at 40 sites in Japan.", "fail"),
    ],
    ids=["incidents-ja", "incidents-en", "incident-as-domain", "incidents-a-plan-compares", "incidents-a-product-spots"],
)
def test_counted_incidents_are_a_problem_with_its_size(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # a place's potential offered as the reason: an abstract problem, partial (not product-out)
        (("【1】若松の海辺のポテンシャル\n- 年間50万人が訪れる海水浴場\n- 夕日の名所\n【2】提案\n- 海辺のグランピング施設\n"
         "【3】目標\n- 宿泊者数を年間1万人から2万人に増やす"), "partial"),
        # near-miss: the company's own potential is a feature list
        ("■ 当社のポテンシャル\n- 特許12件\n- 全国300社との取引\n■ サービス\n- 倉庫の自動化ロボット", "fail"),
    ],
    ids=["place-potential", "own-potential"],
)
def test_opportunity_is_an_abstract_problem(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # a need stated as a large requirement, with no measured burden → partial
        ("市内の約1,300か所の雨水ますの清掃には、多くの作業員が必要です。当社の清掃ロボットをご紹介します。", "partial"),
        (("Checking the city's 900 culverts each year requires hundreds of inspector hours. "
          "We sell a drone inspection service."), "partial"),
        # waste named in the purpose of the remedy
        ("古いおもちゃを修理して、ごみにならないようにする「おもちゃ病院」を開いています。市民センターの一室をお借りできないでしょうか。",
         "partial"),
        # near-miss: a requirement the product meets is no burden named
        ("当社のセンサーは設置に特別な工事が必要ありません。電池で5年動きます。", "fail"),
    ],
    ids=["need-ja", "need-en", "waste-purpose-ja", "no-burden"],
)
def test_needs_and_purposes_name_a_problem(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


PROBLEM_WITH_SIZE = ("小倉北区の子育て世帯の7割が、平日の夕方に相談できる窓口がないと答えています（区の2024年度アンケート）。"
                     "夜間のオンライン相談を6か月試行します。\n")


@pytest.mark.parametrize(
    ("kpis", "verdict"),
    [
        ("【目標】\n・LINE友だち登録数：5,000人\n・お知らせの開封率：45%", "partial"),
        ("【目標】\n・アプリ起動回数：月3万回", "partial"),
        # near-miss: the label names the problem's measure
        ("【目標】\n・「相談できる窓口がない」と答える世帯の割合：7割→4割", "pass"),
    ],
    ids=["registrations-and-open-rate", "launches", "problem-measure"],
)
def test_product_use_named_only_in_the_kpi_label(kpis: str, verdict: str) -> None:
    finding = judge(PROBLEM_WITH_SIZE + kpis)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # the product's effect elsewhere on the very measure of the problem is its outcome
        (("市内の小児科では、受付から診察までの待ち時間が平均70分に達しています（当院の受付記録）。"
         "当社の順番待ちアプリを導入した3医院では、待ち時間が平均30分短くなりました。"), "pass"),
        # near-miss: an effect elsewhere on another measure stays track record
        (("市内の小児科では、受付から診察までの待ち時間が平均70分に達しています（当院の受付記録）。"
         "当社の順番待ちアプリを導入した3医院では、患者満足度が20ポイント上がりました。"), "partial"),
    ],
    ids=["same-measure", "other-measure"],
)
def test_effect_elsewhere_on_the_problems_measure(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # a named survey relayed with a hedge is a cited source
        (("買い物に困っている高齢者は全国で約900万人と、農林水産省の推計で示されていると聞いております。"
         "地区の公民館前で週2回の移動販売を行い、買い物のための外出を週1回増やすことを目標とします。"), "pass"),
        # near-miss: a single figure from residents is hearsay
        (("地区の高齢者のうち30人ほどが買い物に困っていると、民生委員の方から伺っています。"
         "地区の公民館前で週2回の移動販売を行い、買い物のための外出を週1回増やすことを目標とします。"), "partial"),
    ],
    ids=["survey-with-hedge", "residents-hearsay"],
)
def test_cited_survey_with_a_hedge_is_not_hearsay(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# ---------------------------------------------------------------------------------------------
# Set phrases that carry a problem word but state no problem (sixth writer): a letter's courtesy
# formulas, 「…にとどまらず」 ("not only"), 課題 inside a slogan compound, and a problem word that only
# describes what the product's remedy acts on. Each comes with a near-miss that states a problem.
# ---------------------------------------------------------------------------------------------

_PRODUCT_OUT = "当社のクラウド勤怠システム「タイムノート」は、打刻から給与計算までを一括で管理できます。導入企業は1,200社を超えました。"


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (_PRODUCT_OUT + "ご多忙の折、大変恐れ入りますが、ご一読いただけますと幸いです。", "fail"),
        (_PRODUCT_OUT + "年度末でご不便をおかけいたしますが、ご検討のほどよろしくお願いいたします。", "fail"),
        (("Our drone service maps rooftops in one afternoon. It is used by 40 firms. "
         "Sorry to trouble you; we will be waiting for your reply."), "fail"),
        (("Our drone service maps rooftops in one afternoon. It is used by 40 firms. "
         "We are awaiting your kind response."), "fail"),
        # near-misses: a real state of things next to the same courtesy line
        (_PRODUCT_OUT + "市内の介護事業所では、紙のタイムカードの集計に毎月20時間を費やしていると伺っています。"
         "ご多忙の折、大変恐れ入りますが、ご一読いただけますと幸いです。", "partial"),
        (("Our drone service maps rooftops in one afternoon. Residents are waiting six weeks for a roof inspection. "
         "We look forward to hearing from you."), "partial"),
    ],
    ids=["ja-closing", "ja-closing-2", "en-closing", "en-awaiting", "ja-near-miss", "en-near-miss"],
)
def test_courtesy_formulas_are_not_problems(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # 「にとどまらず」 is "not only": the company describing its own business
        (("当行は、融資という本来の業務にとどまらず、地域の事業承継の支援にも力を入れております。"
         "当行の相談窓口は県内に42か所ございます。"), "fail"),
        # 課題 in a slogan compound
        ("課題先進国の日本だからこそ、課題解決型のビジネスが求められています。当社のAIプラットフォームは20業種に対応します。",
         "fail"),
        # near-misses: 「にとどまっています」 states a low figure; 「…が課題です」 names a problem
        ("市の創業相談の利用は月3件にとどまっています。", "partial"),
        ("通学路の見守りを担う人の確保が課題となっています。", "partial"),
    ],
    ids=["not-only", "slogan", "stays-low", "named-issue"],
)
def test_self_description_and_slogans_are_not_problems(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # the problem word only qualifies what the product removes
        (("職員の残業を招いている手書きの集計作業を、当社のツールでまとめて自動化します。"
         "料金は月額3万円です。"), "fail"),
        # near-miss: the same state said as a sentence of its own
        ("手書きの集計作業が、職員の残業を招いています。そこで当社のツールで自動化します。料金は月額3万円です。", "partial"),
    ],
    ids=["remedy-object", "stated-state"],
)
def test_problem_word_in_the_remedys_object(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


_NAP_PLAN = ("保育士の皆さんは午睡中の見守りに追われ、記録の時間が取れていません。\n"
             "当社の午睡センサー20台を市内の2園に設置し、うつぶせ寝による事故の兆候をタブレットに知らせる運用を試行します。\n"
             "・当社：センサー20台の貸出（約80万円相当）、設置と記録の集計\n"
             "・目標：午睡中の記録にかかる時間を半減")


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # the plan's figures (20台, 2園, 80万円) size the trial, not the problem
        (_NAP_PLAN, "partial"),
        # near-miss: a figure for the problem itself
        ("市の調査では、保育士の時間外勤務は月平均18時間です。" + _NAP_PLAN, "pass"),
    ],
    ids=["plan-figures", "problem-figure"],
)
def test_the_plans_own_figures_are_not_evidence_of_size(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


_SIZED_PROBLEM = ("若松区の海岸では、漂着ごみが年間およそ40トン回収されています（区の清掃記録）。"
                  "地元の清掃ボランティアは高齢化し、回収が追いついていません。\n")


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        # a change verb in its potential form, framed as expected
        (_SIZED_PROBLEM + "漂着ごみの発生源となる河川に回収ネットを張ることで、海岸に届くごみを年間10トン減らせる見込みです。", "pass"),
        # the items under a label line naming the goals
        (_SIZED_PROBLEM + "河川に回収ネットを張る実証を行います。\n・成果指標：\n・海岸での回収量 年間30トン以下\n・ボランティア1人あたりの作業時間 2割減",
         "pass"),
        # near-misses: the same figures with no outcome framing, and a list under a label line that is not about goals
        (_SIZED_PROBLEM + "河川に回収ネットを張ります。ネットは1枚で幅10メートルまで広げられます。", "partial"),
        (_SIZED_PROBLEM + "河川に回収ネットを張る実証を行います。\n・使用する機材：\n・回収ネット 10枚\n・重量計 2台", "partial"),
    ],
    ids=["potential-verb", "listed-targets", "spec-not-outcome", "listed-equipment"],
)
def test_outcomes_in_potential_form_and_listed_targets(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# Problems mentioned only as a backdrop (``signals.issue_backdrop_starts``): society's trends behind
# the writer's mission, a rhetorical 「お悩みありませんか」 with its checklist, an offer to hear the
# city's problems, a problem word naming what the writer makes. None is a situation of particular
# people, places or services, so a brochure that has nothing else states no problem (fail). The
# near-misses keep a problem: the same trends as the premise of an ask to this city (abstract:
# partial), a question that is not rhetorical, and the writer's own observation.
_BROCHURE_BODY = "\n■ 主な機能\n・タブレットで点検記録を入力\n・帳票を自動作成\n\n■ 価格\n月額3万円（税別）\n"


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("当社は、人口減少・インフラ老朽化・技術者不足といったわが国が抱える課題に向き合い、点検アプリを開発してまいりました。"
         + _BROCHURE_BODY, "fail"),
        ("気候変動、食料危機、資源の枯渇――世界が直面する課題に、私たちの技術でお応えします。" + _BROCHURE_BODY, "fail"),
        ("「地域の課題を、デジタルで解決する。」" + _BROCHURE_BODY, "fail"),
        ("施設の点検記録、こんなお困りごとはございませんか？\n□ 紙の記録が探せない\n□ 担当者の異動で引き継ぎが途切れる\n"
         + _BROCHURE_BODY, "fail"),
        ("当社の点検アプリのご紹介とともに、貴市のお困りごとをお聞かせいただければ幸いです。" + _BROCHURE_BODY, "fail"),
        # near-misses: the trends as the premise of what the draft asks of this city stay an abstract problem
        ("人口減少と技術者不足が進むなか、貴市の施設点検をデジタルで支えたく、点検アプリの試行をご提案します。" + _BROCHURE_BODY,
         "partial"),
        ("市内の公民館では、紙の点検記録が見つからず、修繕の判断が遅れる例が出ています。" + _BROCHURE_BODY, "partial"),
    ],
    ids=["mission-trend-list", "promise-to-world", "tagline", "rhetorical-checklist", "hear-your-problems",
         "trend-as-premise", "particular-problem"],
)
def test_a_backdrop_is_no_problem_statement(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (("Hello! I'm Mia from TrailTag - we make a tiny app that helps parks avoid litter and overflowing bins. "
          "Could we show you a short demo?"), "fail"),
        (("Hello! I'm Mia from TrailTag. Last summer we counted 40 overflowing bins in the city's riverside parks "
          "on a single weekend. We make a tiny app that tells crews which bins are full."), "partial"),
    ],
    ids=["self-intro-domain", "own-observation"],
)
def test_english_self_introduction_names_the_domain_not_a_problem(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# Two elements read without a figure of the usual kind: the writer's own count of events over a
# period (「この冬だけで…31回ありました」) is evidence of size, and the purpose said as reducing the very
# thing the problem names (「…取り残しを減らすことがねらいです」) is an outcome (rubric: "an outcome,
# ideally a KPI"). Near-misses: a count of the product's use, a count with no period, and a purpose
# that reduces something the problem never named.
_LOCKERS = ("戸畑区の団地では、エレベーターのない棟に住む高齢者が、重い買い物袋を運べずに困っています。\n"
            "当店の配達担当が玄関まで荷物を運んだ回数は、この冬の3か月間だけで31回ありました。\n"
            "そこで、棟の1階に共用の受け取りロッカーを置きたいと考えています。\n")


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (_LOCKERS + "階段での荷物運びによる転倒を減らすことがねらいです。", "pass"),
        (_LOCKERS + "ロッカーを置くことが、重い荷物を運べない高齢者の困りごとを防ぐ近道だと考えます。", "pass"),
        # near-misses
        (_LOCKERS + "ロッカーの扉は暗証番号で開きます。", "partial"),
        (_LOCKERS + "配送にかかる当店の燃料代を減らすことがねらいです。", "partial"),
        (_LOCKERS.replace("この冬の3か月間だけで31回ありました", "いつも多くなっています")
         + "階段での荷物運びによる転倒を減らすことがねらいです。", "partial"),
        (_LOCKERS.replace("当店の配達担当が玄関まで荷物を運んだ回数は、この冬の3か月間だけで31回ありました",
                          "当店のアプリの利用件数は、この冬の3か月間で310件ありました")
         + "階段での荷物運びによる転倒を減らすことがねらいです。", "partial"),
    ],
    ids=["purpose-reduces-problem", "remedy-is-the-shortcut", "no-outcome", "reduces-own-cost", "no-count", "product-use-count"],
)
def test_own_event_count_and_a_purpose_that_reduces_the_problem(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# Two things that are not what they look like: the rate at which people finish or attend the writer's
# own programme (「講座の受講完了率：9割」 "attendance rate") counts the programme's use, not the
# problem; and how far a place is (「…から約40km」) is the setting, not the size of a problem — unless
# the distance is itself the problem (「最寄りの診療所まで8km以上」).
_FALLS = ("国の調査では、65歳以上の約4人に1人が1年間に転倒を経験しています。\n"
          "当社の「足腰教室」は、週1回・10週間の体操講座です。\n")


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (_FALLS + "【成果指標】\n・講座の受講完了率：9割以上\n・毎回の出席率：80%", "partial"),
        (_FALLS + "【成果指標】\n・参加者の1年間の転倒経験の割合：25%から15%へ", "pass"),
    ],
    ids=["uptake-rates", "falls-outcome"],
)
def test_the_uptake_of_ones_own_programme_is_not_an_outcome(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


_ISLAND = "そこで、島の港に小型の診療所を開き、オンライン診療を試します。診療所までの移動時間を半分にすることを目指します。"


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("島の高齢者は、通院が難しくなっています。この島は本土の港から約40kmの位置にあり、当社の他地域での運航データと比べやすい距離です。\n" + _ISLAND,
         "partial"),
        ("島の高齢者は、通院が難しくなっています。島の住民の多くは、最寄りの診療所まで8km以上離れて暮らしています。\n" + _ISLAND,
         "pass"),
    ],
    ids=["distance-is-setting", "distance-is-the-problem"],
)
def test_a_distance_sizes_a_problem_only_when_it_is_the_problem(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# What the writer puts under its own 「課題」 heading is offered as the problem even when no problem
# word reads it: named, so not product-out, but abstract (partial). Near-miss: the same general words
# under a heading that is not about a problem (「会社概要」) leave a brochure with no problem (fail).
_GENERAL = "近年、全国的に災害の形が多様化しており、備えへの住民の関心はますます高まっています。"
_SIREN = "\n【ご提案】\n屋外スピーカーを公園に設置し、緊急情報を自動で放送します。\n【費用】\n1基あたり80万円です。"


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("【課題】\n" + _GENERAL + _SIREN, "partial"),
        (("■ Challenges\nEvery town today wants its residents to be safer and better prepared.\n"
          "■ Our product\nOutdoor speakers that broadcast alerts automatically.\n■ Price\nUSD 6,000 per unit."), "partial"),
        ("【会社概要】\n" + _GENERAL + _SIREN, "fail"),
    ],
    ids=["ja-problem-heading", "en-challenges-heading", "company-heading"],
)
def test_general_words_under_a_problem_heading_name_an_abstract_problem(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason


# A line whose agent is the writer says what the company sells, not a problem: a humble predicate on
# an offering verb (「現在は次の機器を取り扱っております」) or a slogan with the writer as subject
# (「介護現場の『記録の手間』を、私たちがなくします」 "We are proud to support cities facing staff
# shortages"). Near-misses: the writer reporting what it heard or counted here is a problem statement.
@pytest.mark.parametrize(
    "text, verdict",
    [
        ("現在は次の機器を取り扱っております。\n・見守りセンサー\n・服薬支援ロボット\n一度ご説明に伺えれば幸いです。", "fail"),
        ("介護現場の「人手不足」を、私たちが支えます\n■サービス\n・記録の自動化\n・夜間の見守り\nお気軽にご相談ください。", "fail"),
        (("We heard from care managers in Yahatanishi that families of people with dementia often cannot find "
          "respite care at short notice.\nWe propose a booking line for short stays."), "partial"),
        (("私たちが若松区の介護事業所12か所で聞き取ったところ、夜勤の人手不足が続き、職員1人で利用者20人を見守る日が月に10日以上あるとのことでした。\n"
          "そこで、夜間の見守りセンサーの試行を提案します。"), "partial"),
    ],
    ids=["ja-humble-product-list", "ja-slogan-writer-subject", "en-we-heard-local", "ja-we-surveyed-local"],
)
def test_a_line_whose_agent_is_the_writer_is_no_problem(text: str, verdict: str) -> None:
    finding = judge(text)
    if verdict == "fail":
        assert finding.verdict == "fail", finding.reason
    else:
        assert finding.verdict != "fail", finding.reason


# An abstract aim with a degree adverb before its verb (「まちのにぎわいづくりに、より一層寄与したく」) is the
# same abstract aim the shared reader knows (「活性化に向けて」): named, not product-out (partial).
# Near-miss: the same aim as the writer's ongoing mission in a brochure stays a backdrop (fail).
@pytest.mark.parametrize(
    "text, verdict",
    [
        (("日頃のご愛顧への恩返しとして、まちのにぎわいづくりに、より一層寄与したく、貴市との連携協定の締結をご提案いたします。\n"
          "連携事項（案）\n一、商店街イベントへの協力\n二、防災訓練への参加"), "partial"),
        ("弊社は、地域の活性化にさらに貢献してまいります。\n■商品\n・地元食材の弁当\n・贈答用の菓子\nご注文をお待ちしております。",
         "fail"),
    ],
    ids=["aim-with-degree-adverb", "mission-backdrop-near-miss"],
)
def test_an_abstract_aim_with_a_degree_adverb_is_named_abstractly(text: str, verdict: str) -> None:
    finding = judge(text)
    assert finding.verdict == verdict, finding.reason
