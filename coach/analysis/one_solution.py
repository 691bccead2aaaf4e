"""Judge for one_solution — 「1提案 = 1ソリューション」の原則 (rubric §3).

pass    : one solution for one problem; the counterpart (department or field) is clear or inferable.
partial : one main solution with add-ons that widen the scope (「他にも〜にも応用できます」,
          "also possible later"), or no clear counterpart among several departments.
fail    : a catalogue — several unrelated services, products, projects or fields listed as equals
          (including a multi-item 連携協定 list), even when a trial is offered for the first item.

Catalogues come from two detectors: ``signals.catalogue`` (known lead-ins, counts, offer verbs) and
``scope.catalogue_series`` (any enumeration whose items are separate offerings, judged from what
distinguishes them). An extension framed as later or optional is an add-on, never a catalogue.

A single-product brochure with no stated problem is judged on scope alone (the missing problem is
issue_driven's matter).
"""

from __future__ import annotations

from collections import Counter

from coach.analysis import scope
from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.models import CriterionFinding, Evidence


def _item_label(line: sg.Line, draft: Draft, n: int = 18) -> str:
    raw = draft.text[line.start:line.end].strip()
    body = sg.strip_label(sg.strip_bullet(raw)).strip() or raw
    return body if len(body) <= n else body[: n - 1] + "…"


def _quote(u: sg.Unit, n: int = 40) -> str:
    s = " ".join(u.text.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _catalogue_reason(c: sg.Catalogue, draft: Draft) -> str:
    if c.kind == "agreement":
        return f"連携協定の項目として{len(c.items)}分野が並列に並んでいます。1つの課題と解決策に絞ってください。"
    if c.kind == "numbered_proposals":
        return f"1つの文書に{len(c.items)}件の提案が並んでいます。1提案＝1ソリューションに分けてください。"
    if c.kind == "list":
        names = "、".join(_item_label(ln, draft) for ln in c.items[:4])
        more = "など" if len(c.items) > 4 else ""
        return f"別々のサービス・取組が{len(c.items)}件並列に並んでいます（{names}{more}）。1つに絞ってください。"
    return f"別々のサービス・取組が並列に並んでいます（「{_item_label(c.items[0], draft, 40)}」）。1つに絞ってください。"


def _series_reason(c: scope.CatalogueSeries, draft: Draft) -> str:
    items = c.series.items
    names = "、".join(_clip(draft.text[it.start:it.end].strip()) for it in items[:4])
    more = "など" if len(items) > 4 else ""
    if c.why == "problems":
        return f"別々の課題が並列に扱われています（{names}{more}）。1つの課題に絞ってください。"
    why = {
        "areas": "分野の異なる",
        "separable": "個別に選べる",
        "priced": "それぞれ価格のついた",
        "company_menu": "別々の",
        "named": "名前の異なる",
    }[c.why]
    return f"{why}サービス・用途が{len(items)}件並列に並んでいます（{names}{more}）。1つに絞ってください。"


def _clip(s: str, n: int = 18) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _units_union(*groups: list[sg.Unit]) -> list[sg.Unit]:
    seen: set[tuple[int, int]] = set()
    out = []
    for u in sorted((u for g in groups for u in g), key=lambda u: u.start):
        if (u.start, u.end) not in seen:
            seen.add((u.start, u.end))
            out.append(u)
    return out


def _main(hits: list[sg.Hit]) -> sg.Hit | None:
    """The department, or the policy area, named most often (ties: the first named)."""
    if not hits:
        return None
    key = (lambda h: h.kind) if hits[0].kind.startswith("field:") else (lambda h: sg.normalize(h.text)[0])
    counts = Counter(key(h) for h in hits)
    best = max(counts.values())
    return next(h for h in hits if counts[key(h)] == best)


def judge_one_solution(draft: Draft) -> CriterionFinding:
    content = sg.has_content(draft)
    later = scope.later_addon_units(draft)
    # an extension framed as later (「結果次第で税務・福祉などへの展開も」) is an add-on even when it
    # lists several areas; only lists offered now as equals make a catalogue
    catalogues = [c for c in sg.catalogue(draft)
                  if not any(u.start <= c.start and c.end <= u.end for u in later)
                  and not scope.plan_parts(draft, c.items)]  # 「役割｜…」 rows, lists of who suffers
    series = [] if catalogues else scope.catalogue_series(draft)
    addons = _units_union([u for u in sg.addon_units(draft) if not scope.widens_nothing(u, draft)], later)
    unclear = _units_union(sg.unclear_counterpart_units(draft), scope.open_counterpart_units(draft))
    departments = sg.counterpart_hits(draft)
    fields = [] if departments else sg.field_hits(draft)  # a field only matters when no department is named
    counterpart = _main(departments or fields)

    signals = {
        "catalogues": float(len(catalogues) + len(series)),
        "catalogue_items": float(max([len(c.items) for c in catalogues] + [len(c.series.items) for c in series],
                                     default=0)),
        "addons": float(len(addons)),
        "unclear_counterpart": float(len(unclear)),
        "departments": float(len(departments)),
        "fields": float(len(fields)),
    }
    if not content:
        return CriterionFinding(
            verdict="fail", reason="提案の内容（何を、どの課題に対して行うのか）が読み取れません。",
            missing=["single_solution", "counterpart", "focused_scope"], signals=signals)

    evidence: list[Evidence] = []
    present: list[str] = []
    missing: list[str] = []
    if catalogues or series:
        missing.append("single_solution")
        evidence += [draft.evidence(c.start, c.end, "catalogue") for c in catalogues[:2]]
        evidence += [draft.evidence(c.series.start, c.series.end, "catalogue") for c in series[:2]]
    else:
        present.append("single_solution")
    if unclear or counterpart is None:
        missing.append("counterpart")
        evidence += [draft.evidence(u.start, u.end, "unclear_counterpart") for u in unclear[:1]]
    else:
        present.append("counterpart")
        evidence.append(draft.evidence(counterpart.start, counterpart.end, "counterpart"))
    if addons:
        missing.append("focused_scope")
        evidence += [draft.evidence(u.start, u.end, "addon") for u in addons[:2]]
    else:
        present.append("focused_scope")

    if catalogues:
        verdict, reason = "fail", _catalogue_reason(catalogues[0], draft)
    elif series:
        verdict, reason = "fail", _series_reason(series[0], draft)
    elif addons or unclear:
        verdict = "partial"
        parts = []
        if addons:
            parts.append(f"主な解決策は一つですが、範囲を広げる追加提案があります（「{_quote(addons[0])}」）")
        if unclear:
            parts.append("相手となる部署がはっきりしません")
        reason = "。".join(parts) + "。"
    else:
        verdict = "pass"
        reason = "一つの解決策に絞られています。"
        if counterpart is not None:
            name = counterpart.kind.split(":", 1)[1] if counterpart.kind.startswith("field:") else counterpart.text
            reason += f"相手となる部署・分野（{name}）も読み取れます。"
    return CriterionFinding(verdict=verdict, reason=reason, evidence=evidence, present=present,
                            missing=missing, signals=signals)
