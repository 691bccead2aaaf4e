"""Judge for one_solution — 「1提案 = 1ソリューション」の原則 (rubric §3).

pass    : one solution for one problem; the counterpart (department or field) is clear or inferable.
partial : one main solution with add-ons that widen the scope (「他にも〜にも応用できます」,
          "also possible later"), or no clear counterpart among several departments.
fail    : a catalogue — several unrelated services, products, projects or fields listed as equals
          (including a multi-item 連携協定 list), even when a trial is offered for the first item.

Catalogues come from two detectors: ``signals.catalogue`` (known lead-ins, counts, offer verbs) and
``scope.catalogue_series`` (any enumeration whose items are separate offerings, judged from what
distinguishes them — the fields they point to, their own product names, separate prices, a bundle
name over separate services). An extension framed as later or optional is an add-on, never a
catalogue; so is the product recommended to other kinds of users (「…などにもおすすめ」).

A single-product brochure with no stated problem is judged on scope alone (the missing problem is
issue_driven's matter).
"""

from __future__ import annotations

import re
from collections import Counter

from coach.analysis import scope
from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.analysis.wording import clip_words
from coach.models import Bilingual, CriterionFinding, Evidence


def _item_label(line: sg.Line, draft: Draft, n: int | None = 18) -> str:
    """An item of a list as a reason quotes it; ``n=None``: whole, for ``clip_words``."""
    raw = draft.text[line.start:line.end].strip()
    body = sg.strip_label(sg.strip_bullet(raw)).strip() or raw
    if n is None:
        return body
    return body if len(body) <= n else body[: n - 1] + "…"


def _quote(u: sg.Unit, n: int = 40) -> str:
    s = " ".join(u.text.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _catalogue_reason(c: sg.Catalogue, draft: Draft) -> Bilingual:
    n = len(c.items)
    if c.kind == "agreement":
        return Bilingual(ja=f"連携協定の項目として{n}分野が並列に並んでいます。1つの課題と解決策に絞ってください。",
                         en=f"The partnership agreement (連携協定) lists {n} fields side by side. "
                            "Narrow it to one problem and one solution.")
    if c.kind == "numbered_proposals":
        return Bilingual(ja=f"1つの文書に{n}件の提案が並んでいます。1提案＝1ソリューションに分けてください。",
                         en=f"One document holds {n} proposals. Split them up: one proposal, one solution.")
    if c.kind == "list":
        labels = "、".join(_item_label(ln, draft) for ln in c.items[:4])
        more = n > 4
        en_labels = [clip_words(_item_label(ln, draft, None), _EN_LABEL) for ln in c.items[:4]]
        return Bilingual(
            ja=f"別々のサービス・取組が{n}件並列に並んでいます（{labels}{'など' if more else ''}）。1つに絞ってください。",
            en=f"{n} separate services or initiatives are listed side by side "
               f"({_en_list(en_labels, more)}). Narrow it to one.")
    return Bilingual(ja=f"別々のサービス・取組が並列に並んでいます（「{_item_label(c.items[0], draft, 40)}」）。1つに絞ってください。",
                     en=f"Separate services or initiatives are listed side by side "
                        f"(\"{clip_words(_item_label(c.items[0], draft, None), 70)}\"). Narrow it to one.")


_EN_LABEL = 32  # an English list item quoted in a reason: enough words to recognize it

# Why a series is a catalogue, as an attribute of its items: (ja, en).
_SERIES_KIND = {
    "areas": ("分野の異なる", "services or uses in different fields"),
    "separable": ("個別に選べる", "services or uses the city could pick one by one"),
    "priced": ("それぞれ価格のついた", "separately priced services or uses"),
    "company_menu": ("別々の", "separate services or uses"),
    "named": ("名前の異なる", "differently named services or uses"),
    "picked": ("1件だけ取り出して計画できる、別々の", "separate services or uses (one is picked out and planned alone)"),
    "bundled": ("一つの名前にまとめられた別々の", "separate services or uses bundled under one name"),
}


def _series_reason(c: scope.CatalogueSeries, draft: Draft) -> Bilingual:
    items = c.series.items
    names = "、".join(_clip(draft.text[it.start:it.end].strip()) for it in items[:4])
    more = "など" if len(items) > 4 else ""
    en_names = _en_list([clip_words(draft.text[it.start:it.end], _EN_LABEL) for it in items[:4]], len(items) > 4)
    if c.why == "problems":
        return Bilingual(ja=f"別々の課題が並列に扱われています（{names}{more}）。1つの課題に絞ってください。",
                         en=f"Separate problems are handled side by side ({en_names}). Narrow it to one problem.")
    ja, en = _SERIES_KIND[c.why]
    return Bilingual(ja=f"{ja}サービス・用途が{len(items)}件並列に並んでいます（{names}{more}）。1つに絞ってください。",
                     en=f"{len(items)} {en} are listed side by side ({en_names}). Narrow it to one.")


def _en_list(labels: list[str], more: bool) -> str:
    """Quoted draft labels for an English reason: "A", "B", "C" and more."""
    quoted = ", ".join(f'"{label}"' for label in labels)
    return quoted + (" and more" if more else "")


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


def _whole_words(hit: sg.Hit, text: str) -> sg.Hit:
    """The hit widened to whole words: a department word found inside a longer English word
    ("Environment" in "Environmental Monitoring") is quoted as the word the draft wrote."""
    s, e = hit.start, hit.end
    while s > 0 and text[s - 1].isascii() and text[s - 1].isalnum() and text[s].isascii() and text[s].isalnum():
        s -= 1
    while e < len(text) and text[e].isascii() and text[e].isalnum() and text[e - 1].isascii() and text[e - 1].isalnum():
        e += 1
    return hit if (s, e) == (hit.start, hit.end) else sg.Hit(s, e, hit.kind, text[s:e])


_BRACKETED_RE = re.compile(r"[\(（][^\)）]*[\)）]")
_LIST_SEP_RE = re.compile(r"[、,;；／/]")


_BACK_REF_LINE_RE = re.compile(r"^(?:の|について|につき|に関して|に関する)")


def _without_back_reference(c: sg.Catalogue) -> sg.Catalogue:
    """The list without a line that refers back to one of its items (「(2)について、具体的には…」 reads
    as a fourth item to a run of numbered lines)."""
    if c.kind != "list":
        return c
    items = [ln for ln in c.items if not _BACK_REF_LINE_RE.match(sg.strip_bullet(ln.norm).strip())]
    return c if len(items) == len(c.items) or not items else sg.Catalogue(c.intro, items, c.kind)


def _enumerated_only_in_brackets(c: sg.Catalogue) -> bool:
    """A one-line catalogue whose only separators sit inside brackets: "an AR tour (English, Chinese,
    Korean, Thai)" 「見守りセンサー（温度・湿度・照度）」 lists one offering's variants, not offerings."""
    if c.kind != "inline" or len(c.items) != 1:
        return False
    norm = c.items[0].norm
    return bool(_LIST_SEP_RE.search(norm)) and not _LIST_SEP_RE.search(_BRACKETED_RE.sub("", norm))


def judge_one_solution(draft: Draft) -> CriterionFinding:
    content = sg.has_content(draft)
    later = scope.later_addon_units(draft)
    # a sentence enumerating what one desk or product covers (「窓口には、A、B、Cなどの相談が寄せられます」)
    ranges = scope.one_offering_sentences(draft)
    # an extension framed as later (「結果次第で税務・福祉などへの展開も」) is an add-on even when it
    # lists several areas; only lists offered now as equals make a catalogue
    catalogues = [_without_back_reference(c) for c in sg.catalogue(draft)
                  if not any(u.start <= c.start and c.end <= u.end for u in later)
                  and not scope.plan_parts(draft, c.items)  # 「役割｜…」 rows, lists of who suffers
                  and not _enumerated_only_in_brackets(c)
                  and not (c.kind == "list" and c.intro is not None and scope.proposer_profile(c.intro.norm, draft))
                  and not (c.kind == "inline" and any(a < c.end and c.start < b for a, b in ranges))]
    series = [] if catalogues else scope.catalogue_series(draft)
    addons = _units_union([u for u in sg.addon_units(draft) + scope.recommended_also_units(draft)
                           if not scope.widens_nothing(u, draft)], later)
    unclear = _units_union(sg.unclear_counterpart_units(draft), scope.open_counterpart_units(draft),
                           scope.department_series_units(draft))
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
        reason = Bilingual(ja="提案の内容（何を、どの課題に対して行うのか）が読み取れません。",
                           en="The draft does not make clear what is proposed (what would be done, for which problem).")
        return CriterionFinding(
            verdict="fail", reason=reason.in_language(draft.language), reason_bilingual=reason,
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
        counterpart = _whole_words(counterpart, draft.text)
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
        parts: list[tuple[str, str]] = []
        if addons:
            parts.append((f"主な解決策は一つですが、範囲を広げる追加提案があります（「{_quote(addons[0])}」）",
                          (f"There is one main solution, but add-ons widen the scope "
                           f"(\"{clip_words(addons[0].text, 70)}\")")))
        if unclear:
            parts.append(("相手となる部署がはっきりしません", "It is unclear which city department would be the counterpart"))
        reason = Bilingual(ja="。".join(ja for ja, _ in parts) + "。", en=". ".join(en for _, en in parts) + ".")
    else:
        verdict = "pass"
        ja, en = "一つの解決策に絞られています。", "It is focused on one solution."
        if counterpart is not None:
            name = counterpart.kind.split(":", 1)[1] if counterpart.kind.startswith("field:") else counterpart.text
            ja += f"相手となる部署・分野（{name}）も読み取れます。"
            # the draft's own word, not the policy area's Japanese name
            en += f" The counterpart department or field is also clear (\"{counterpart.text}\")."
        reason = Bilingual(ja=ja, en=en)
    return CriterionFinding(verdict=verdict, reason=reason.in_language(draft.language), reason_bilingual=reason,
                            evidence=evidence, present=present, missing=missing, signals=signals)
