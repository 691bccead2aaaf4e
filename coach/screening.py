"""The city staff's pre-screening view of a submission (STEP 2 一次確認 and STEP 4 判断のポイント).

Everything here is read from the draft by plain, explainable rules and from the corpus at run
time: the counterpart bureaus come from ``corpus/kitakyushu/organization.md`` (its theme table and
its bureau notes), so when the organisation note is updated the guesses follow without code
changes. Timing advice follows the playbook's annual calendar (「北九州市の年間リズム」).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from coach.models import (
    Analysis,
    BureauGuess,
    Evidence,
    JudgementPoint,
    Route,
    ScreeningSummary,
    TimingAdvice,
)

ORGANIZATION_NOTE = Path("kitakyushu") / "organization.md"

ROUTE_LABELS: dict[str | None, str] = {
    "theme": "テーマ型(市が提示したテーマへの提案)",
    "free": "フリー型(自由提案)",
    None: "未指定(テーマ型/フリー型の別を確認してください)",
}


def screen(
    text: str,
    analysis: Analysis,
    *,
    route: Route | None,
    today: date,
    corpus_dir: Path,
) -> ScreeningSummary:
    sentences = _judged_sentences(text, analysis)
    return ScreeningSummary(
        route=route,
        route_label=ROUTE_LABELS[route],
        judgement_points=[
            fiscal_burden(text, sentences, analysis),
            originality(text, sentences),
            resource_exclusivity(text, sentences),
        ],
        bureaus=guess_bureaus(_without_injected(text, analysis), corpus_dir),
        timing=timing_advice(today),
        first_check=first_check(analysis),
    )


# --- sentences the rules may look at (never the injected ones) --------------------------------


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    text: str


def _judged_sentences(text: str, analysis: Analysis) -> list[_Span]:
    from ingest.japanese import split_sentences

    injected = [(e.start, e.end) for e in (analysis.injection.evidence if analysis.injection else [])]
    out = []
    for s in split_sentences(text):
        if any(a < s.end and s.start < b for a, b in injected):
            continue
        out.append(_Span(s.start, s.end, s.text))
    return out


def _without_injected(text: str, analysis: Analysis) -> str:
    """The draft with text addressed to the reviewer blanked out: it must not steer anything."""
    if analysis.injection is None:
        return text
    chars = list(text)
    for ev in analysis.injection.evidence:
        chars[ev.start : ev.end] = " " * (ev.end - ev.start)
    return "".join(chars)


def _matching(sentences: list[_Span], pattern: re.Pattern[str], signal: str, limit: int = 3) -> list[Evidence]:
    found = []
    for s in sentences:
        if pattern.search(unicodedata.normalize("NFKC", s.text)):
            found.append(Evidence(start=s.start, end=s.end, text=s.text, signal=signal))
            if len(found) >= limit:
                break
    return found


# --- STEP 4: 市の財政負担の有無 ---------------------------------------------------------------

_CITY_PAYS = re.compile(
    r"委託料|委託費|補助金|交付金|補正予算|予算(化|措置|計上|要求)|市(に|が|の)(ご)?(負担|支払|購入|契約)|"
    r"(利用|使用|ライセンス|導入|保守|運用)(料|費)|月額|年額|年間\d|買い取|購入いただ|ご購入|"
    r"city (would |will )?(pay|fund|purchase)|subsid|license fee|service fee|budget",
    re.IGNORECASE,
)
_COMPANY_PAYS = re.compile(
    r"(当社|弊社|事業者)(が|で|の)(費用|全額|全て|すべて)?(を)?負担|無償|無料|自己負担|自社負担|費用は(当社|弊社)|"
    r"市の(新たな)?(財政)?負担(は|なし|はありません|を求め)|負担を求め(ません|ない)|"
    r"at (our|no) (own )?cost|free of charge|we (will )?(bear|cover|fund)|no cost to the city",
    re.IGNORECASE,
)


def fiscal_burden(text: str, sentences: list[_Span], analysis: Analysis) -> JudgementPoint:
    asks = _matching(sentences, _CITY_PAYS, "city_pays")
    offers = _matching(sentences, _COMPANY_PAYS, "company_pays")
    if offers and not asks:
        assessment = "市の新たな財政負担は求めていません(事業者負担の記載あり)。"
    elif asks and offers:
        assessment = "一部を事業者が負担しますが、市の支出(委託料・利用料・予算措置など)を求める記述もあります。時期と金額の確認が必要です。"
    elif asks:
        assessment = "市の支出(委託料・利用料・予算措置など)を求める記述があります。税金を使う根拠と予算時期の確認が必要です。"
    else:
        assessment = "費用負担についての記載がありません。市の財政負担の有無を提案者に確認してください。"
    if analysis.flags.to_g:
        assessment += " 市の支払いが主な収益となるモデル(toG)です。"
    return JudgementPoint(key="fiscal_burden", label="市の財政負担の有無", assessment=assessment,
                          evidence=(asks + offers)[:4])


# --- STEP 4: 事業の独自性・独創性 ---------------------------------------------------------------

_ORIGINAL = re.compile(
    r"特許|独自|世界初|日本初|国内初|全国初|九州初|唯一|独創|自社開発|オリジナル|新規性|"
    r"patent|proprietary|first in|unique",
    re.IGNORECASE,
)
_WIDELY_SOLD = re.compile(r"(\d+|多数|多く)(以上)?の?(自治体|市町村|団体|企業)(で|に|へ)(導入|採用|実績)|導入実績|"
                          r"adopted by \d+|used by \d+", re.IGNORECASE)


def originality(text: str, sentences: list[_Span]) -> JudgementPoint:
    unique = _matching(sentences, _ORIGINAL, "originality")
    sold = _matching(sentences, _WIDELY_SOLD, "adoption_elsewhere")
    if unique:
        assessment = "独自性を示す記述があります(特許・独自技術など)。随意契約等を検討する場合は、その根拠として具体的に確認してください。"
    elif sold:
        assessment = "他自治体での導入実績が中心で、独自性の記述は見当たりません。既存製品の導入(調達)に近い可能性があります。"
    else:
        assessment = "独自性・独創性についての記述は見当たりません。類似事業との違いを提案者に確認してください。"
    return JudgementPoint(key="originality", label="事業の独自性・独創性", assessment=assessment,
                          evidence=(unique + sold)[:4])


# --- STEP 4: 行政資源の占用性 ---------------------------------------------------------------

_EXCLUSIVE = re.compile(r"独占|占用|専用|優先的|排他|exclusive", re.IGNORECASE)
_CITY_ASSETS = re.compile(
    r"市有地|公共施設|公園|道路|歩道|庁舎|区役所|市民センター|学校|図書館|体育館|駐車場|港湾|岸壁|公用車|市営|"
    r"(市|行政)(の|が)(保有|持つ|管理)(する)?(データ|情報|施設)|住民(の)?データ|データ(の)?提供|ネーミングライツ|"
    r"設置場所|スペース(の)?(提供|貸)|貸与|使用許可|"
    r"public (land|facilit|road|park|school)|city (data|facilit)",
    re.IGNORECASE,
)


def resource_exclusivity(text: str, sentences: list[_Span]) -> JudgementPoint:
    exclusive = _matching(sentences, _EXCLUSIVE, "exclusive_use")
    assets = _matching(sentences, _CITY_ASSETS, "city_assets")
    if exclusive:
        assessment = "特定の事業者が市の施設・データ等を独占的に使う可能性があります。他の事業者への機会の公平性をどう担保するか確認が必要です。"
    elif assets:
        assessment = "市の施設・道路・データ等の利用を含みます。利用の範囲・期間と、他の事業者への機会の公平性を確認してください。"
    else:
        assessment = "市の施設・データ等の占用に関する記述はありません。"
    return JudgementPoint(key="resource_exclusivity", label="行政資源の占用性", assessment=assessment,
                          evidence=(exclusive + assets)[:4])


# --- STEP 2 一次確認 ---------------------------------------------------------------------------


def first_check(analysis: Analysis) -> str:
    detail = analysis.flag_details.get("sales_pitch")
    if analysis.flags.sales_pitch:
        # staff read this summary in Japanese whatever the draft's language
        reason = (detail.reason_bilingual.ja if detail.reason_bilingual else detail.reason) if detail else ""
        why = f"({reason.rstrip('。. ')})" if reason else ""
        return f"単なる営業活動の可能性があります{why}。課題・市の役割・具体的な提案の有無を確認してください。"
    if analysis.flags.to_g:
        return "提案として受け付けられますが、市の支払いを主な収益とするモデル(toG)のため、調達との切り分けが必要です。"
    return "官民共創の提案として対話に進める内容です(単なる営業活動ではありません)。"


# --- timing (playbook: 北九州市の年間リズム) --------------------------------------------------


def timing_advice(today: date) -> TimingAdvice:
    """The playbook's annual rhythm (part 3, 「時期」): what a first approach can achieve on ``today``."""
    m = today.month
    if 4 <= m <= 8:
        period, period_en = "4月～8月頃", "April–August"
        advice = ("課題を共有し、信頼関係を築く時期です。具体的な事業計画がなくても、専門的な知見や現場の課題意識についての"
                  "意見交換から始められます。来年度の事業計画に載せたい場合は、9月～10月の設計に向けて今から対話を始めてください。")
        advice_en = ("The season for sharing problems and building trust. You can start with an exchange of expertise "
                     "and what you see in the field, even without a detailed plan. To get into next year's plans, "
                     "start the dialogue now, ahead of the September–October design period.")
    elif 9 <= m <= 10:
        period, period_en = "9月～10月頃", "September–October"
        advice = ("来年度の事業計画(設計図)を描く時期です。全く新しいテーマの提案は10月頃までに最初の対話を始めると、"
                  "じっくり検討してもらえます。実証実験への協力など、市に期待する役割を具体的に示してください。")
        advice_en = ("The city is drawing up next year's plans. A completely new theme gets careful consideration if the "
                     "first dialogue starts by about October. Say concretely what role you expect of the city, such as "
                     "support for a trial.")
    else:
        period, period_en = "11月～3月頃", "November–March"
        advice = ("市が一年で最も多忙な時期(予算査定・市議会)です。全く新しいテーマの十分な検討は難しく、"
                  "新年度の4月以降に改めて対話を始めるのが現実的です。それまでに提案を磨いておきましょう。")
        advice_en = ("The city's busiest months (budget review and the city council). A completely new theme is hard to "
                     "consider properly now; starting the dialogue again after April, in the new fiscal year, is "
                     "realistic. Use the time to sharpen the proposal.")
    return TimingAdvice(on=today, period=period, advice=advice, period_en=period_en, advice_en=advice_en)


# --- counterpart bureaus from the organisation note ------------------------------------------

# Words that appear in many bureaus' descriptions and say nothing about which one is meant.
_GENERIC = {
    "提案", "事業", "支援", "推進", "担当", "整備", "施策", "分野", "全般", "政策", "強化", "体制", "部門",
    "市民", "情報", "発信", "役割", "組織", "所管", "確認", "未確認", "推定", "改正", "現在", "相談",
    "地域", "課題", "解決", "活用", "管理", "維持", "北九州", "北九州市", "出典", "局", "市", "担う",
    "重要", "総合", "調整", "戦略", "企画", "計画", "再編", "新設", "要約", "規模", "一体",
    "年度", "システム", "づくり", "ページ", "パス", "同局", "実証", "センター", "単位", "業務", "作成",
    "報告", "評価", "調査", "関連", "公共", "施設", "連携", "説明", "所属", "局名", "運営", "経営",
    "比較", "分析", "公表", "住民", "民間", "都市", "資源", "次世代", "推進課", "企画課", "担当課",
    "総務", "宣言", "特集", "だより", "市政", "ため", "社会", "成長", "投資", "加速", "統合", "各局",
    "報道", "促進", "地区", "拠点", "移転", "独立", "原因", "被害", "主管", "事前", "調書", "進捗",
    "基本計画", "利活用", "管理者", "横断", "展開", "機動", "機動的", "立案", "意向", "反映", "市長",
    "全庁", "具体的", "先進的", "局内", "大規模", "小倉", "門司港", "振興", "誘致", "流れ", "建設",
    "建築", "誘導", "配置", "戦略的", "包括", "家庭", "財源", "確保", "運用", "レトロ", "上屋",
    "国家戦略特区", "本庁舎", "庁舎", "複合", "福北", "共創", "官民", "市有", "企業", "地元",
    "状況", "対策", "暮らし", "安心", "安全", "財産", "産業", "具体的な所管", "所管局名",
}


_MIN_BUREAU_SCORE = 2.0


@dataclass(frozen=True)
class BureauProfile:
    name: str
    keywords: dict[str, float]  # keyword -> weight


def guess_bureaus(text: str, corpus_dir: Path, limit: int = 3) -> list[BureauGuess]:
    path = corpus_dir / ORGANIZATION_NOTE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return []
    profiles = _bureau_profiles(str(path), mtime)
    haystack = unicodedata.normalize("NFKC", text).lower()
    guesses = []
    for profile in profiles:
        hits = [(kw, w) for kw, w in profile.keywords.items() if kw in haystack]
        if not hits:
            continue
        # A keyword inside a longer hit (介護 in 介護予防) is not counted twice.
        terms = [kw for kw, _ in hits]
        kept = [(kw, w) for kw, w in hits if not any(kw != other and kw in other for other in terms)]
        score = sum(w * min(3, haystack.count(kw)) for kw, w in kept)
        because = [kw for kw, _ in sorted(kept, key=lambda kw_w: (-kw_w[1], kw_w[0]))][:5]
        guesses.append(BureauGuess(name=profile.name, score=round(score, 2), because=because))
    guesses.sort(key=lambda g: (-g.score, g.name))
    # One weak word (a single 0.5-weight hit) is not a guess worth showing to staff.
    return [g for g in guesses if g.score >= _MIN_BUREAU_SCORE][:limit]


@lru_cache(maxsize=4)
def _bureau_profiles(path: str, mtime: int) -> tuple[BureauProfile, ...]:
    """Parse the note: the theme table (テーマ | 見立て | 確度), the bureau bullets
    (``- **局**: … → 受けそうな提案``) and the new-organisation table (組織 | 役割)."""
    note = Path(path).read_text(encoding="utf-8")
    profiles: dict[str, dict[str, float]] = {}

    def add(name: str, phrase: str, weight: float) -> None:
        name = _clean_bureau_name(name)
        if not name:
            return
        bag = profiles.setdefault(name, {})
        for kw in _keywords(phrase):
            bag[kw] = max(bag.get(kw, 0.0), weight)

    section = ""
    for line in note.splitlines():
        if line.startswith("#"):
            section = line.lstrip("#").strip()
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if cells and (set("".join(cells)) <= set("-: ") or cells[0] in ("提案テーマ", "組織")):
            continue
        if cells and "窓口" in section and len(cells) >= 2:
            add(cells[1], cells[0], 2.0)
        elif cells and "組織改正" in section and len(cells) >= 2:
            add(cells[0], cells[1], 1.0)
        elif line.startswith("- **") and "**" in line[4:]:
            name, _, rest = line[4:].partition("**")
            about, arrow, offers = rest.partition("→")
            add(name, offers if arrow else "", 2.0)
            add(name, about, 0.5)
    return tuple(BureauProfile(name, kws) for name, kws in profiles.items() if kws)


def _clean_bureau_name(cell: str) -> str:
    name = re.sub(r"\*\*|\[[^\]]*\]", "", cell).strip(" :：")
    if not name or name.startswith("(未確認)") or name == "（未確認）":
        return ""
    return name


def _keywords(phrase: str) -> list[str]:
    from ingest.japanese import tokenize

    phrase = re.sub(r"\[[^\]]*\]|\*\*|\([^)]*\)|（[^）]*）", " ", unicodedata.normalize("NFKC", phrase))
    out: list[str] = []
    for piece in re.split(r"[、,・/。:;\s]+|など|や", phrase):
        piece = piece.strip("「」『』 ")
        if (2 <= len(piece) <= 8 and piece not in _GENERIC and not re.fullmatch(r"[\d年月日]+", piece)
                and "を" not in piece and not re.search(r"[\u3041-\u3093]$", piece)):
            out.append(piece.lower())
        for tok in tokenize(piece):
            s = tok.surface.strip()
            if (tok.pos[0] == "名詞" and tok.pos[1] != "数詞" and len(s) >= 2 and s not in _GENERIC
                    and not re.fullmatch(r"[\dA-Za-z]+", s)):
                out.append(s.lower())
    return list(dict.fromkeys(out))
