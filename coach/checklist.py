"""The named checklist items behind each of the four points (``../shared/rubric.md``).

The analyzer reports items as ``present``/``missing`` by key; the review service turns a missing
item into advice, an example rewrite and a playbook citation. Keeping the vocabulary in one place
means a new item is added once and every layer (report, page, eval) speaks of it the same way.
"""

from __future__ import annotations

from pydantic import BaseModel

from coach.models import CriterionName


class ChecklistItem(BaseModel):
    key: str
    criterion: CriterionName
    label_ja: str
    label_en: str
    query: str  # what to look up in the playbook when the item is missing


CHECKLIST: tuple[ChecklistItem, ...] = (
    # 1. 課題ドリブン
    ChecklistItem(key="problem", criterion="issue_driven", label_ja="具体的な地域課題",
                  label_en="A concrete regional problem",
                  query="課題ドリブン 地域の課題 プロダクトアウト型の提案は響きません"),
    ChecklistItem(key="affected", criterion="issue_driven", label_ja="課題を抱えている人・地域・施設",
                  label_en="Who suffers the problem",
                  query="市民起点の課題設定 誰が困っているのか"),
    ChecklistItem(key="size_evidence", criterion="issue_driven", label_ja="課題の規模を示すデータ",
                  label_en="Evidence of the problem's size",
                  query="市民〇〇人の課題が解決され 行政コストが年間□□万円削減"),
    ChecklistItem(key="outcome", criterion="issue_driven", label_ja="解決後の成果・KPI",
                  label_en="The outcome and its KPI",
                  query="社会的インパクトを具体的なKPIとして提示 外出率が10%向上"),
    # 2. なぜこの自治体なのか
    ChecklistItem(key="city_named", criterion="why_this_city", label_ja="北九州市への言及",
                  label_en="Kitakyushu named as the counterpart",
                  query="なぜこの自治体なのか 全国一律・汎用的な提案 ただの営業"),
    ChecklistItem(key="local_fact", criterion="why_this_city", label_ja="北九州市固有の地域・データ",
                  label_en="Facts, places or data particular to Kitakyushu",
                  query="北九州市の行政課題とニーズを知る方法"),
    ChecklistItem(key="plan_link", criterion="why_this_city", label_ja="新ビジョン・分野別計画との接点",
                  label_en="Link to the 新ビジョン or a sector plan",
                  query="新ビジョン 稼げるまち 彩りあるまち 安らぐまち 3つの重点戦略 分野別計画"),
    ChecklistItem(key="why_here", criterion="why_this_city", label_ja="北九州市で行う理由",
                  label_en="Why that makes Kitakyushu the right place",
                  query="本市が目指す将来像や直面している具体的な地域課題と自社提案の接点"),
    # 3. 1提案 = 1ソリューション
    ChecklistItem(key="single_solution", criterion="one_solution", label_ja="一つに絞った解決策",
                  label_en="One solution",
                  query="1提案 = 1ソリューション こんなこともあんなこともできます"),
    ChecklistItem(key="counterpart", criterion="one_solution", label_ja="相手となる部署・分野",
                  label_en="A clear counterpart department or field",
                  query="この部署・この課題に対して このソリューションを提供したい 縦割り"),
    ChecklistItem(key="focused_scope", criterion="one_solution", label_ja="範囲を広げる追加提案がないこと",
                  label_en="No add-ons that widen the scope",
                  query="まずはこの課題にこの解決策という明確な提案から始める"),
    # 4. 役割分担・費用負担
    ChecklistItem(key="city_role", criterion="cost_split", label_ja="市が担うこと（場・データ・調整・周知）",
                  label_en="What the city provides",
                  query="行政が投資する資源 公共施設や道路 データ 信用力"),
    ChecklistItem(key="company_role", criterion="cost_split", label_ja="事業者が担うこと",
                  label_en="What the company provides",
                  query="民間が投資する資源 技術 人材 資金"),
    ChecklistItem(key="cost_bearer", criterion="cost_split", label_ja="誰がどの費用を負担するか",
                  label_en="Who bears which costs",
                  query="費用負担 年度途中や予算外で新たな支出を求めることは難しい"),
    ChecklistItem(key="trial_frame", criterion="cost_split", label_ja="トライアル・実証実験から始める枠組み",
                  label_en="A trial or pilot first",
                  query="まずはトライアル導入や実証実験から始めるなど現実的な枠組み"),
    ChecklistItem(key="goals", criterion="cost_split", label_ja="成果の目標・KPIの明文化",
                  label_en="Goals or KPIs written down",
                  query="成果の目標やゴール 役割分担は明文化しておくことが重要"),
)

ITEMS: dict[str, ChecklistItem] = {item.key: item for item in CHECKLIST}


def items_for(criterion: CriterionName) -> list[ChecklistItem]:
    return [item for item in CHECKLIST if item.criterion == criterion]
