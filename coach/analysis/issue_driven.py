"""Judge for issue_driven — 「課題ドリブン」での提案を徹底すること (rubric §1).

pass    : a specific problem, who suffers it, evidence of its size (a figure, a data source) and
          how the proposal changes it (an outcome, ideally a KPI).
partial : a problem is named but abstract, or its size is missing or only hearsay, or the only
          KPIs count the product's own use.
fail    : product-out — features, awards and adoption elsewhere only; no problem the city would
          recognise (a theme title is not a problem statement).

A problem may be named (「不足」「減少」 "shortage") or only shown: a measured state under a
「課題・現状」 heading or label, a figure cited from a survey or records, or a description of how
the work is done today (「現在、申込みは電話のみで…」 "Today, every application is on paper"); see
``signals.problem_units``. Hearsay (「と伺っています」 "fishermen tell us") keeps it partial.
A measurement is evidence of size even with no problem word when it is a breakdown of a total
(「3,420件のうち約7割」) or the writer's own inspection (「156人のお宅で確認したところ」) next to
the problem. An abstract aim given as the purpose (「地域経済の活性化に向けて」) is an abstract
problem (partial), not product-out.

Not problems, though they carry a problem word: the product's results in other cities
(「他市では導入1年で…短縮」, track record), a condition the company covers (「下回った場合は当社が
補填します」), a reassurance (「…含まれないため安心です」), a benefit clause (「来られない方も参加
できる」), a product in a list ("ClinicQ: a queue app for clinics"), the same product extended later.
"""

from __future__ import annotations

import re

from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.analysis.wording import clip_words
from coach.models import Bilingual, CriterionFinding, Evidence


def _snippet(u: sg.Unit, n: int = 40) -> str:
    s = " ".join(u.text.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _strongest(problems: list[sg.Unit]) -> list[sg.Unit]:
    """Problem sentences, the clearest first: under a 「課題」 heading, naming who, with a figure."""
    def score(u: sg.Unit) -> int:
        return (2 * bool(sg.PROBLEM_SECTION_RE.search(u.section) or re.match(r"\W*(?:課題|problem)", u.norm))
                + bool(sg.AFFECTED_RE.search(u.norm)) + bool(sg.find_quantities(u)))
    return sorted(problems, key=lambda u: (-score(u), u.start))


def judge_issue_driven(draft: Draft) -> CriterionFinding:
    problems = sg.problem_units(draft)
    concrete = [u for u in problems if not sg.is_abstract_problem(u)]
    affected = sg.affected_hits(draft, problems)
    sizes, hearsay = sg.size_evidence_units(draft, problems)
    outcomes, product_kpis = sg.outcome_units(draft)
    track = [u for u in sg.units(draft) if sg.is_track_record(u)]

    present: list[str] = []
    missing: list[str] = []
    evidence: list[Evidence] = []

    if problems:
        present.append("problem")
        for u in _strongest(concrete or problems)[:2]:
            evidence.append(draft.evidence(u.start, u.end, "problem"))
    else:
        missing.append("problem")
    if affected:
        present.append("affected")
        h = affected[0]
        evidence.append(draft.evidence(h.start, h.end, "affected"))
    else:
        missing.append("affected")
    if sizes:
        present.append("size_evidence")
        for u in sizes[:2]:
            evidence.append(draft.evidence(u.start, u.end, "size_evidence"))
    else:
        missing.append("size_evidence")
        for u in hearsay[:1]:
            evidence.append(draft.evidence(u.start, u.end, "hearsay"))
    if outcomes:
        present.append("outcome")
        for u in outcomes[:2]:
            evidence.append(draft.evidence(u.start, u.end, "outcome"))
    else:
        missing.append("outcome")
        for u in product_kpis[:1]:
            evidence.append(draft.evidence(u.start, u.end, "product_kpi"))

    signals = {
        "problem_sentences": float(len(problems)),
        "concrete_problem_sentences": float(len(concrete)),
        "affected": float(len(affected)),
        "size_evidence": float(len(sizes)),
        "hearsay_only": float(len(hearsay)),
        "outcome": float(len(outcomes)),
        "product_only_kpi": float(len(product_kpis)),
        "track_record": float(len(track)),
    }

    if not problems:
        verdict = "fail"
        what = ("機能・実績の説明", "its features and track record") if track else ("製品・サービスの説明", "its product or service")
        reason = Bilingual(
            ja=f"{what[0]}が中心で、市が認識できる地域課題（誰が何に困っているか）が書かれていません。",
            en=f"The draft mainly describes {what[1]}; it states no local problem the city would recognize "
               "(who is struggling with what).")
    elif sizes and outcomes and concrete:
        verdict = "pass"
        problem, outcome = _strongest(concrete)[0], outcomes[0]
        reason = Bilingual(
            ja=f"課題（「{_snippet(problem)}」）、その規模を示すデータ、解決後の成果（「{_snippet(outcome, 30)}」）が書かれています。",
            en=f"It states the problem (\"{clip_words(problem.text, 70)}\"), data showing how big it is, and the "
               f"outcome once it is solved (\"{clip_words(outcome.text, 60)}\").")
    else:
        verdict = "partial"
        gaps: list[tuple[str, str]] = []
        if not concrete:
            gaps.append(("課題が抽象的で具体的に分解されていません", "the problem stays abstract and is not broken down"))
        if not sizes:
            gaps.append(("課題の規模を示すデータが伝聞（「と伺っています」等）だけです",
                         "how big the problem is rests only on hearsay (\"we hear that…\")") if hearsay
                        else ("課題の規模を示すデータ（数字・調査・現場の観察）がありません",
                              "there is no data on how big the problem is (figures, a survey, observations on site)"))
        if not outcomes:
            gaps.append(("KPIが製品の利用数だけで、課題がどう変わるかの成果目標がありません",
                         "the only KPI is product usage, with no target for how the problem itself changes")
                        if product_kpis
                        else ("提案によって課題がどう変わるか（成果・KPI）が書かれていません",
                              "it does not say how the proposal would change the problem (outcomes, KPIs)"))
        problem = _strongest(concrete or problems)[0]
        reason = Bilingual(ja=f"課題（「{_snippet(problem)}」）は書かれていますが、" + "。".join(ja for ja, _ in gaps) + "。",
                           en=f"The problem is stated (\"{clip_words(problem.text, 70)}\"), but "
                              + "; ".join(en for _, en in gaps) + ".")

    return CriterionFinding(verdict=verdict, reason=reason.in_language(draft.language), reason_bilingual=reason,
                            evidence=evidence, present=present,
                            missing=missing, signals=signals)
