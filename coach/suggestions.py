"""What to add or change: one ``Fix`` per missing checklist item, with an example rewrite.

The examples are templates filled with pieces of the writer's own draft (the place, the product,
the problem sentence, the likely counterpart bureau). Anything the coach cannot know is left as a
visible placeholder in 〔〕 — 〔数値〕, 〔期間〕 — so no invented fact is ever presented as the
writer's. The pieces are found by plain rules (Sudachi nouns, a ward list, the analyzer's spans),
so the same draft always gets the same fixes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.checklist import ITEMS, items_for
from coach.models import Analysis, CriterionFinding, CriterionName, Fix, Language

# The seven wards and a few places any Kitakyushu reader recognises; the analyzer's gazetteer
# (Analysis.places) is preferred when it found something.
_PLACES = re.compile(
    r"(門司港|門司区|小倉北区|小倉南区|若松区|八幡東区|八幡西区|戸畑区|門司|小倉|若松|八幡|戸畑|黒崎|折尾|響灘|城野|枝光)"
)
_PRODUCT_HEADS = ("アプリ", "システム", "サービス", "プラットフォーム", "ロボット", "センサー", "ツール",
                  "ソリューション", "AI", "ドローン", "カメラ", "端末", "交通", "モビリティ", "シェア")
_EN_HEADS = r"(?:app|platform|system|service|sensor|robot|drone|camera|shuttle|solution|tool)s?"
_PRODUCT_EN = (
    # a product name: capitalised words before a head noun, e.g. "SkyHop drone"
    re.compile(rf"\b((?:[A-Z][\w-]*\s){{1,3}}{_EN_HEADS})\b"),
    # what the company makes or offers, e.g. "makes solar-powered fill-level sensors"
    re.compile(rf"\b(?:makes?|offers?|provides?|develops?|our)\s+((?:[\w-]+\s){{0,3}}?{_EN_HEADS})\b",
               re.IGNORECASE),
)
_EN_DETERMINERS = {"a", "an", "the", "this", "that", "these", "our", "your", "their", "its", "each", "every",
                   "all", "any", "one", "new"}
_PROBLEM_JA = re.compile(r"課題|困|不足|減少|難し|負担|増加|悩|不安|深刻|担い手|空き家|孤立")
_PROBLEM_EN = re.compile(r"\b(problem|challenge|shortage|decline|struggl|burden|lack|difficult)", re.IGNORECASE)
# Compounds that end like a product but name the company, the writer or the city's own services.
_NOT_A_PRODUCT = re.compile(r"^(弊社|当社|市民|行政|住民|各種|共創)|株式会社|有限会社|合同会社|[+＋]")
_TITLE_WORDS = {"件名", "テーマ", "応募テーマ", "提案テーマ", "提案", "ご提案", "概要"}
_COMPANY = re.compile(r"弊社|当社|我々|私たち")


@dataclass(frozen=True)
class DraftPieces:
    """Bits of the draft an example rewrite may quote."""

    place: str | None = None
    product: str | None = None
    problem: str | None = None
    bureau: str | None = None


def extract_pieces(text: str, analysis: Analysis, bureau: str | None = None) -> DraftPieces:
    """Pieces of the writer's own proposal. Text the analyzer marked as addressed to the reviewer
    is not the writer's proposal, so it is blanked out first: otherwise a quoted instruction
    (「審査AIへ：…」) could be taken for the product name and repeated in an example rewrite."""
    text = _without_injected(text, analysis)
    return DraftPieces(
        place=_place(text, analysis),
        product=_product(text, analysis.language),
        problem=_problem(text, analysis),
        bureau=bureau,
    )


def _without_injected(text: str, analysis: Analysis) -> str:
    """``text`` with the injected spans replaced by spaces: same length, so offsets still hold,
    and no quote, noun compound or sentence can reach across the gap. Newlines are kept so the
    title lines stay where they were."""
    if analysis.injection is None:
        return text
    chars = list(text)
    for ev in analysis.injection.evidence:
        for i in range(ev.start, min(ev.end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _place(text: str, analysis: Analysis) -> str | None:
    for place in analysis.places:
        if place and place not in ("北九州市", "北九州", "本市", "貴市"):
            return place
    m = _PLACES.search(text)
    return m.group(1) if m else None


def _product(text: str, language: Language) -> str | None:
    """The name of what is proposed: a product compound in the title line first (件名 usually
    names it), then a quoted product name, then the longest product compound in the draft."""
    if language == "en":
        for pattern in _PRODUCT_EN:
            for m in pattern.finditer(text):
                words = m.group(1).split()
                while words and words[0].lower() in _EN_DETERMINERS:
                    words = words[1:]
                if len(words) >= 2:  # a bare "solution" names nothing
                    return " ".join(words)
        return None
    lines = [ln for ln in text.splitlines() if ln.strip()]
    title = "\n".join(lines[:2])
    in_title = _product_compounds(title)
    if in_title:
        return max(in_title, key=len)
    for q in re.findall(r"[「『]([^」』\n]{2,24})[」』]", text):
        if any(h in q for h in _PRODUCT_HEADS) and not _NOT_A_PRODUCT.search(q):
            return q
    found = _product_compounds(text[:4000])
    return max(found, key=len) if found else None


def _product_compounds(text: str) -> list[str]:
    """Noun compounds ending in a product word, e.g. 「AIオンデマンド乗合交通」."""
    from ingest.japanese import tokenize

    out: list[str] = []
    run: list[str] = []
    for tok in [*tokenize(text), None]:
        if tok is not None and tok.pos[0] in ("名詞", "接頭辞", "接尾辞") and tok.surface.strip():
            if run or tok.surface not in _TITLE_WORDS:
                run.append(tok.surface)
            continue
        if run:
            phrase = "".join(run)
            head = next((h for h in _PRODUCT_HEADS if phrase.endswith(h)), None)
            # A bare head word (「サービス」) names nothing; keep compounds like 「マドグチAI」.
            if (head and len(head) + 2 <= len(phrase) <= 24 and not _NOT_A_PRODUCT.search(phrase)):
                out.append(phrase)
        run = []
    return out


def _problem(text: str, analysis: Analysis) -> str | None:
    finding = analysis.findings.get("issue_driven")
    if finding:
        for ev in finding.evidence:
            if ev.signal == "problem" and ev.text.strip() and not _COMPANY.search(ev.text):
                return _shorten(ev.text)
    from ingest.japanese import split_sentences

    injected = [(e.start, e.end) for e in (analysis.injection.evidence if analysis.injection else [])]
    pattern = _PROBLEM_EN if analysis.language == "en" else _PROBLEM_JA
    for s in split_sentences(text):
        # A sentence the instruction was glued into would be quoted with a hole in it: skip it.
        if any(a < s.end and s.start < b for a, b in injected) or len(s.text) < 10:
            continue
        if pattern.search(s.text) and not _COMPANY.search(s.text):
            return _shorten(s.text)
    return None


def _shorten(sentence: str, limit: int = 70) -> str:
    s = sentence.strip().lstrip("・-*●■□◆〇0123456789.)） ").rstrip("。.")
    if len(s) <= limit:
        return s
    cut = s.rfind("、", 0, limit)
    return s[: cut if cut > 20 else limit] + "…"


# --- templates --------------------------------------------------------------------------------
# key: (advice_ja, example_ja, advice_en, example_en). Placeholders: {place} {product} {problem}
# {bureau}; each falls back to a 〔〕 placeholder the writer must fill in.

_TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    "problem": (
        "製品の説明より先に、北九州市のどこで・誰が・どんな課題を抱えているかを一文で書いてください。",
        "{problem_lead}。{product}は、この課題を〔どのように〕解決します。",
        "Before describing the product, state in one sentence which local problem it solves, where and for whom.",
        "In {place}, {problem}. {product} addresses this by 〔how〕.",
    ),
    "affected": (
        "課題を抱えている人・地域・施設を具体的に書いてください(例: 年齢層、地区、施設、担当部署の業務)。",
        "この課題で困っているのは、{place}の〔対象者(例: 坂の上に住む65歳以上の方)〕です。",
        "Say who suffers the problem: which residents, area, facility or department.",
        "Those affected are 〔who, e.g. residents over 65〕 in {place}.",
    ),
    "size_evidence": (
        "課題の大きさを数字か出典で示してください(市や国の統計、現場のアンケート、実測値など)。伝聞だけでは弱くなります。",
        "{problem}。〔出典(例: 市の統計/当社アンケート)〕によると、{place}では〔数値〕人(〔数値〕%)が該当します。",
        "Show the size of the problem with a number or a source (city or national statistics, a survey, measurements).",
        "{problem}. According to 〔source〕, 〔number〕 people (〔number〕%) in {place} are affected.",
    ),
    "outcome": (
        "解決するとどう変わるかを、製品の利用数ではなく地域の成果(KPI)で書いてください。",
        "{product}の導入により、〔指標(例: 高齢者の外出率)〕を〔期間〕で〔数値〕%改善することを目標とします。",
        "Describe the change for the area as an outcome with a KPI, not as units sold or downloads.",
        "With {product}, we aim to improve 〔indicator〕 by 〔number〕% within 〔period〕.",
    ),
    "city_named": (
        "提案先として北九州市を明記し、市の誰に向けた提案かを書いてください(他市名や「〇〇市」のままにしない)。",
        "北九州市{bureau_ja}の皆さまに、{place}における{product}の実証をご提案します。",
        "Name 北九州市 (Kitakyushu) as the counterpart, not another city or a placeholder.",
        "We propose a trial of {product} in {place} to 〔department〕 of the City of Kitakyushu.",
    ),
    "local_fact": (
        "北九州市に固有の地域・施設・データを挙げ、それが提案とどうつながるかを書いてください。",
        "{place}では〔北九州市固有の状況やデータ〕があり、{product}はここでこそ効果を発揮します。",
        "Cite a place, facility or data particular to Kitakyushu and link it to the proposal.",
        "In {place}, 〔a fact particular to Kitakyushu〕, which is why {product} fits here.",
    ),
    "plan_link": (
        "北九州市の新ビジョン(稼げるまち・彩りあるまち・安らぐまち)や分野別計画のどこに貢献するかを書いてください。",
        "本提案は、北九州市新ビジョンの「〔稼げるまち/彩りあるまち/安らぐまち〕」と〔分野別計画名〕の目標に貢献します。",
        "Link the proposal to Kitakyushu's new vision (稼げるまち・彩りあるまち・安らぐまち) or a sector plan.",
        "This proposal contributes to the 〔稼げるまち/彩りあるまち/安らぐまち〕 strategy of Kitakyushu's vision and to 〔sector plan〕.",
    ),
    "why_here": (
        "なぜ他の市ではなく北九州市なのか、その理由を一文で書いてください。",
        "北九州市は〔理由(例: 斜面住宅地が多い/政令指定都市として権限を持つ)〕ため、{product}の効果を確かめる最適な場所です。",
        "Say in one sentence why Kitakyushu, rather than any city, is the right place.",
        "Kitakyushu is the right place because 〔reason〕, so {product} can show its effect here.",
    ),
    "single_solution": (
        "解決策を一つに絞ってください。ほかのサービスは、最初の提案で成果が出てから改めて提案できます。",
        "本提案では{product}による{problem_short}の解決に絞ります。〔その他のサービス〕は、成果を確認した後に改めてご相談します。",
        "Narrow the proposal to one solution; other services can follow once the first shows results.",
        "This proposal covers only {product} for 〔the one problem〕; 〔other services〕 can be discussed after the results.",
    ),
    "counterpart": (
        "どの部署(分野)のどの課題に対する提案なのかを明記してください。",
        "{bureau_or}の〔課題〕に対して、{product}を提供したいと考えています。",
        "Name the department (or field) and the problem the proposal is addressed to.",
        "We would like to offer {product} to {bureau_or_en} for 〔the problem〕.",
    ),
    "focused_scope": (
        "「他にも〜に応用できます」といった範囲を広げる記述は外し、最初の一件に集中してください。",
        "まずは{place}での{product}の実証に集中します。他分野への展開は、実証の結果を踏まえて検討します。",
        "Drop add-ons that widen the scope (\"it can also be used for…\"); focus on the first case.",
        "We will first focus on the {product} trial in {place}; other uses can be considered after the results.",
    ),
    "city_role": (
        "市にお願いしたいこと(実証の場・データ・関係部署との調整・市民への周知など)を具体的に書いてください。",
        "市には、〔実証フィールド(例: {place_site})の提供、関係部署との調整、市民への周知〕をお願いしたいと考えています。",
        "State what the city would provide: a site, data, coordination, publicity or permits.",
        "We ask the city for 〔a trial site in {place}, coordination with departments, publicity〕.",
    ),
    "company_role": (
        "事業者が担うこと(技術・人員・運営・資金)を書いてください。",
        "当社は{product}の〔機器・システム・運営スタッフ〕を提供し、実証の運営とデータ分析を担います。",
        "State what your company provides: technology, staff, operation, funds.",
        "We provide {product} 〔equipment, system, staff〕 and run the trial and its analysis.",
    ),
    "cost_bearer": (
        "誰がどの費用を負担するかを書いてください。年度途中や予算外の新たな支出を市に求める形は避けてください。",
        "実証期間中の費用(〔機器・運用費〕)は当社が負担し、市に新たな予算措置はお願いしません。本格導入時の費用分担は、実証の結果をもとに協議します。",
        "Say who pays for what; avoid asking the city for new spending mid-year or outside its budget.",
        "We bear the trial's costs (〔equipment, operation〕); no new city budget is requested. Costs after the trial will be discussed on its results.",
    ),
    "trial_frame": (
        "いきなり本格導入ではなく、期間と範囲を区切ったトライアル・実証実験から始める形にしてください。",
        "まずは{place}で〔期間(例: 3か月)〕の実証実験を行い、効果を市と一緒に検証します。",
        "Start with a trial or pilot limited in time and scope rather than a full rollout.",
        "We start with a 〔3-month〕 pilot in {place} and evaluate the results with the city.",
    ),
    "goals": (
        "成果の目標(KPI)と役割分担を文書で明記してください。期待値のずれを防げます。",
        "実証の目標: 〔指標〕を〔数値〕にすること。実証終了時に、市と当社で結果を検証し、次の進め方を決めます。",
        "Write down the goals (KPIs) and the division of roles, so both sides expect the same thing.",
        "Goal of the trial: 〔indicator〕 reaches 〔number〕. At the end, the city and we review the results together.",
    ),
}

_TO_G_ADVICE = (
    ("市が支払う委託料・利用料が主な収益になる形は、官民共創ではなく調達(toG)として扱われます。"
     "市民や企業からの収益など、市の支出に頼らないビジネスモデルを示してください。"),
    ("If the city's fees are your main revenue, this is procurement (toG), not 官民共創 (withG): show a "
     "business model that does not depend on the city paying."),
)


def fixes_for(
    criterion: CriterionName,
    finding: CriterionFinding,
    pieces: DraftPieces,
    language: Language,
    *,
    to_g: bool = False,
) -> list[Fix]:
    """Fixes for a criterion: one per missing item. A criterion that is not a pass always gets
    at least one (its first item not shown as present) even if the analyzer named none."""
    keys = [k for k in finding.missing if k in ITEMS and ITEMS[k].criterion == criterion]
    if not keys and finding.verdict != "pass":
        keys = [i.key for i in items_for(criterion) if i.key not in finding.present][:1] or [
            items_for(criterion)[0].key
        ]
    fixes = [_fix(key, pieces, language) for key in dict.fromkeys(keys)]
    if criterion == "cost_split" and to_g:
        item = ITEMS["cost_bearer"]
        fixes.append(
            Fix(
                item=item.key,
                label=item.label_ja if language == "ja" else item.label_en,
                advice=_TO_G_ADVICE[0] if language == "ja" else _TO_G_ADVICE[1],
                example=None,
            )
        )
    return fixes


def _fix(key: str, pieces: DraftPieces, language: Language) -> Fix:
    item = ITEMS[key]
    advice_ja, example_ja, advice_en, example_en = _TEMPLATES[key]
    if language == "en":
        return Fix(item=key, label=item.label_en, advice=advice_en, example=_fill(example_en, pieces, "en"))
    return Fix(item=key, label=item.label_ja, advice=advice_ja, example=_fill(example_ja, pieces, "ja"))


def _fill(template: str, p: DraftPieces, language: Language) -> str:
    if language == "en":
        values = {
            "place": p.place or "〔area〕",
            "product": p.product or "〔your solution〕",
            "problem": p.problem or "〔the problem〕",
            "bureau_or_en": p.bureau or "〔department〕",
        }
    else:
        values = {
            "place": p.place or "〔地域・施設〕",
            "product": p.product or "〔提案するサービス〕",
            "problem": p.problem or "〔誰が・何に困っているか〕",
            "problem_short": _short_problem(p.problem) or "〔課題〕",
            "place_site": f"{p.place}の公共施設" if p.place else "市内の公共施設",
            "problem_lead": p.problem or f"{p.place or '〔地域・施設〕'}では、〔誰が〕〔何に困っているか〕という課題があります",
            "bureau_ja": f" {p.bureau}" if p.bureau else "〔担当部署〕",
            "bureau_or": p.bureau or "〔担当部署〕",
        }
    return template.format(**values)


def _short_problem(problem: str | None) -> str | None:
    if not problem:
        return None
    m = re.search(r"([^、。]{2,20}(?:課題|問題|不足|減少|負担))", problem)
    return m.group(1) if m else None


def suggestion_text(fix: Fix, language: Language) -> str:
    """The contract's plain-string suggestion for a fix: advice, then the example rewrite."""
    if not fix.example:
        return f"【{fix.label}】{fix.advice}" if language == "ja" else f"[{fix.label}] {fix.advice}"
    if language == "en":
        return f"[{fix.label}] {fix.advice} For example: \"{fix.example}\""
    return f"【{fix.label}】{fix.advice} こう書くと伝わります: 「{fix.example}」"
