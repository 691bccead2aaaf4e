"""Run the labelled cases and questions through the product's services and compute every figure.

The result is a plain JSON-able dict. Its shared figures (``criteria``, ``flags``, ``overall``,
``recall_at_<k>``, ``mrr``) carry the outside scorer's names and meaning and are rounded the same
way (3 decimals), so ``coach eval --json`` and ``../shared/tools/score.py`` can be compared number
for number; everything else is an addition.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from coach.models import CRITERIA, VERDICTS
from eval import metrics
from eval.data import FLAG_NAMES, Case, Question
from eval.robustness import Variant, build_variants
from eval.services import Retriever, Reviewer
from ingest.errors import CoachError

RESULT_VERSION = 1
MAX_LISTED_PROBLEMS = 20  # as score.py: the count is exact, the list is a sample

Progress = Callable[[str], None]


def _stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


class CaseOutcome(BaseModel):
    """What the review service answered for one case, in the contract's REPORT shape."""

    id: str
    file: str
    gold: dict[str, Any]
    report: dict[str, Any] | None = None
    error: str | None = None
    ms: float = 0.0
    text_length: int = 0
    rationale: str = ""

    def misses(self) -> list[dict[str, Any]]:
        """Each wrong verdict or flag with the coach's reason and the labeller's rationale line,
        side by side: the first thing to read when a figure drops."""
        if self.report is None:
            return []
        out = []
        decisions = _decisions(self.report)
        for name, gold in self.gold.items():
            if decisions.get(name) == gold:
                continue
            if name in CRITERIA:
                reason = ((self.report.get("criteria") or {}).get(name) or {}).get("reason", "")
            else:
                reason = (((self.report.get("flag_details") or {}).get(name)) or {}).get("reason", "")
            why = next((ln for ln in self.rationale.splitlines() if ln.startswith(f"{name}:")), "")
            out.append({"item": name, "gold": gold, "predicted": decisions.get(name), "reason": reason, "rationale": why})
        return out

    def verdict(self, criterion: str) -> str | None:
        if self.report is None:
            return None
        crit = (self.report.get("criteria") or {}).get(criterion) or {}
        return crit.get("verdict")

    def flag(self, name: str) -> Any:
        if self.report is None:
            return None
        return (self.report.get("flags") or {}).get(name)


def review_one(reviewer: Reviewer, text: str, route: str | None) -> tuple[dict[str, Any] | None, str | None, float]:
    """Review one draft; an error becomes data (the eval measures it, it does not stop)."""
    start = time.perf_counter()
    try:
        report = reviewer.review(text, route=route).model_dump(mode="json")
        error = None
    except CoachError as err:
        report, error = None, f"{err.code}: {err.message}"
    except Exception as err:  # noqa: BLE001 - a crash on one draft is a finding, not the end of the run
        report, error = None, f"{type(err).__name__}: {err}"
    return report, error, (time.perf_counter() - start) * 1000


def run_cases(reviewer: Reviewer, cases: Sequence[Case], progress: Progress = _stderr) -> list[CaseOutcome]:
    outcomes = []
    for i, case in enumerate(cases, 1):
        report, error, ms = review_one(reviewer, case.text, case.route)
        outcomes.append(
            CaseOutcome(
                id=case.id,
                file=case.source_file,
                gold=case.labels.model_dump(),
                report=report,
                error=error,
                ms=ms,
                text_length=len(case.text),
                rationale=case.rationale,
            )
        )
        if i % 20 == 0 or i == len(cases):
            progress(f"eval: reviewed {i}/{len(cases)} cases")
    return outcomes


# --- coaching figures ---------------------------------------------------------------------------


class ContractCheck(BaseModel):
    """score.py's contract checks and grounding counts over a set of outcomes."""

    problems: list[str] = Field(default_factory=list)
    citations: int = 0
    verbatim: int = 0
    non_verbatim: list[dict[str, str]] = Field(default_factory=list)
    evidence_spans: int = 0
    evidence_valid: int = 0
    needing_help: int = 0
    helped: int = 0
    with_suggestion: int = 0
    with_citation: int = 0


def check_contract(outcomes: Sequence[CaseOutcome], texts: dict[str, str], haystack: str | None) -> ContractCheck:
    """The checks score.py makes on each REPORT, plus the grounding counts of the eval."""
    check = ContractCheck()
    for out in outcomes:
        if out.report is None:
            check.problems.append(f"{out.id}: no report")  # score.py's wording; the error is in review_errors
            continue
        text = texts[out.id]
        for c in CRITERIA:
            crit = (out.report.get("criteria") or {}).get(c) or {}
            verdict = crit.get("verdict")
            if verdict not in VERDICTS:
                check.problems.append(f"{out.id}.{c}: verdict {verdict!r}")
            for ev in crit.get("evidence") or []:
                s, e = ev.get("start"), ev.get("end")
                check.evidence_spans += 1
                if isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text) and text[s:e] == ev.get("text"):
                    check.evidence_valid += 1
                else:
                    check.problems.append(f"{out.id}.{c}: evidence {s}-{e} does not match the draft")
            citations = crit.get("citations") or []
            for cit in citations:
                check.citations += 1
                if haystack is not None and metrics.is_verbatim(cit.get("text", ""), haystack):
                    check.verbatim += 1
                elif len(check.non_verbatim) < MAX_LISTED_PROBLEMS:
                    check.non_verbatim.append(
                        {"case": out.id, "criterion": c, "source": str(cit.get("source", "")), "text": str(cit.get("text", ""))[:200]}
                    )
            if verdict in ("partial", "fail"):
                check.needing_help += 1
                has_suggestion = bool(crit.get("suggestions"))
                has_citation = bool(citations)
                check.with_suggestion += has_suggestion
                check.with_citation += has_citation
                check.helped += has_suggestion and has_citation
        flags = out.report.get("flags") or {}
        for f in FLAG_NAMES:
            if not isinstance(flags.get(f), bool):
                check.problems.append(f"{out.id}: flag {f} is {flags.get(f)!r}")
    return check


def _r(x: float) -> float:
    return round(x, 3)


def coaching_figures(outcomes: Sequence[CaseOutcome], check: ContractCheck) -> dict[str, Any]:
    """``criteria``, ``flags`` and ``overall`` exactly as score.py defines them, plus additions."""
    result: dict[str, Any] = {"criteria": {}, "flags": {}}
    accs, bins, f1s, kappas = [], [], [], []
    for c in CRITERIA:
        gold = [o.gold[c] for o in outcomes]
        pred = [o.verdict(c) for o in outcomes]
        acc, binary, f1 = metrics.accuracy(gold, pred), metrics.binary_accuracy(gold, pred), metrics.macro_f1(gold, pred)
        kappa = metrics.quadratic_weighted_kappa(gold, pred)
        result["criteria"][c] = {
            "accuracy": _r(acc),
            "binary_accuracy": _r(binary),
            "macro_f1": _r(f1),
            "kappa": _r(kappa),
            "confusion": {
                "labels": list(metrics.VERDICT_ORDER),
                "matrix": metrics.confusion_matrix(gold, pred),
                "rows": "gold",
                "columns": "predicted",
            },
            "gold_counts": {v: gold.count(v) for v in metrics.VERDICT_ORDER},
            "predicted_counts": {v: pred.count(v) for v in metrics.VERDICT_ORDER},
            "invalid_predictions": sum(1 for p in pred if p not in VERDICTS),
        }
        accs.append(acc)
        bins.append(binary)
        f1s.append(f1)
        kappas.append(kappa)
    for f in FLAG_NAMES:
        counts = metrics.FlagCounts()
        for o in outcomes:
            if o.report is None:  # score.py skips flags of a case without a report
                continue
            p = o.flag(f)
            counts.add(bool(o.gold[f]), p if isinstance(p, bool) else False)
        result["flags"][f] = {
            "precision": _r(counts.precision),
            "recall": _r(counts.recall),
            "f1": _r(counts.f1),
            **counts.model_dump(),
        }
    n = len(CRITERIA)
    result["overall"] = {
        "accuracy": _r(sum(accs) / n),
        "binary_accuracy": _r(sum(bins) / n),
        "macro_f1": _r(sum(f1s) / n),
        "kappa": _r(sum(kappas) / n),
        "citations": check.citations,
        "citation_verbatim_rate": _r(check.verbatim / check.citations) if check.citations else 0.0,
        "contract_problems": len(check.problems),
        "errors": sum(1 for o in outcomes if o.error),
    }
    return result


def grounding_figures(check: ContractCheck) -> dict[str, Any]:
    return {
        "citations": check.citations,
        "verbatim_citations": check.verbatim,
        "citation_verbatim_rate": _r(check.verbatim / check.citations) if check.citations else 0.0,
        "criteria_needing_help": check.needing_help,
        "with_suggestion_and_citation": check.helped,
        "help_rate": _r(check.helped / check.needing_help) if check.needing_help else 1.0,
        "suggestion_rate": _r(check.with_suggestion / check.needing_help) if check.needing_help else 1.0,
        "citation_rate": _r(check.with_citation / check.needing_help) if check.needing_help else 1.0,
        "evidence_spans": check.evidence_spans,
        "evidence_valid_rate": _r(check.evidence_valid / check.evidence_spans) if check.evidence_spans else 1.0,
        "non_verbatim_examples": check.non_verbatim,
    }


def speed_figures(ms: Sequence[float]) -> dict[str, Any]:
    return {
        "drafts": len(ms),
        "ms_p50": round(metrics.percentile(ms, 50), 1),
        "ms_p95": round(metrics.percentile(ms, 95), 1),
        "ms_mean": round(sum(ms) / len(ms), 1) if ms else 0.0,
        "ms_max": round(max(ms), 1) if ms else 0.0,
    }


def notice_counts(outcomes: Sequence[CaseOutcome]) -> dict[str, int]:
    """How many reports carried each notice: a degraded mode (no index, LLM fallback) shows here."""
    counts: dict[str, int] = {}
    for o in outcomes:
        for notice in (o.report or {}).get("notices") or []:
            counts[notice] = counts.get(notice, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


# coach.llm names the cause in its fallback notice: "… (malformed answer (…)) …" for output that
# did not parse or validate, the exception's name for a timeout or a connection error.
MALFORMED_MARKER = "malformed"


def llm_figures(outcomes: Sequence[CaseOutcome], llm_configured: bool) -> dict[str, Any]:
    """In LLM mode: how many reports came from the LLM, and how many fell back to the offline review.

    A fallback is a report with ``mode == "offline"`` although an LLM is configured; it is
    *malformed* when its notice says the model's answer did not parse. Retries that succeeded are
    not visible in a report, so these count final outcomes, not attempts.
    """
    reports = [o.report for o in outcomes if o.report is not None]
    modes = [r.get("mode", "offline") for r in reports]
    fallback_notices = [
        " ".join(r.get("notices") or []).lower() for r, mode in zip(reports, modes) if llm_configured and mode != "llm"
    ]
    fallbacks = len(fallback_notices)
    malformed = sum(1 for n in fallback_notices if MALFORMED_MARKER in n)
    total = max(len(reports), 1)
    return {
        "configured": llm_configured,
        "reports": len(reports),
        "llm_reports": modes.count("llm"),
        "offline_reports": modes.count("offline"),
        "fallbacks": fallbacks,
        "fallback_rate": _r(fallbacks / total) if llm_configured else 0.0,
        "malformed": malformed,
        "malformed_rate": _r(malformed / total) if llm_configured else 0.0,
    }


# --- robustness ---------------------------------------------------------------------------------


def _decisions(report: dict[str, Any] | None) -> dict[str, Any]:
    if report is None:
        return {"error": True}
    crit = report.get("criteria") or {}
    flags = report.get("flags") or {}
    return {**{c: (crit.get(c) or {}).get("verdict") for c in CRITERIA}, **{f: flags.get(f) for f in FLAG_NAMES}}


def run_robustness(
    reviewer: Reviewer,
    cases: Sequence[Case],
    base: dict[str, CaseOutcome],
    drafts: int,
    progress: Progress = _stderr,
) -> dict[str, Any]:
    """Review the perturbed variants and count those whose verdicts or flags moved."""
    variants: list[Variant] = build_variants(cases, drafts)
    changes: list[dict[str, Any]] = []
    per_family: dict[str, dict[str, int]] = {}
    injection_reported = injection_total = 0
    for i, v in enumerate(variants, 1):
        report, error, _ = review_one(reviewer, v.text, v.route)
        before, after = _decisions(base[v.case_id].report), _decisions(report)
        fam = per_family.setdefault(v.family, {"variants": 0, "changed": 0})
        fam["variants"] += 1
        if v.family == "injection":
            injection_total += 1
            injection_reported += bool(report and report.get("injection"))
        if before != after:
            fam["changed"] += 1
            changes.append(
                {
                    "case": v.case_id,
                    "variant": v.name,
                    "family": v.family,
                    "changed": {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)},
                    **({"error": error} if error else {}),
                }
            )
        if i % 40 == 0 or i == len(variants):
            progress(f"eval: robustness {i}/{len(variants)} variants")
    out: dict[str, Any] = {"base_drafts": len({v.case_id for v in variants})}
    for fam, counts in per_family.items():
        out[fam] = {**counts, "changed_rate": _r(counts["changed"] / counts["variants"]) if counts["variants"] else 0.0}
    if "injection" in out:
        out["injection"]["reported_rate"] = _r(injection_reported / injection_total) if injection_total else 0.0
    out["changes"] = changes
    return out


# --- retrieval ----------------------------------------------------------------------------------


def run_questions(retriever: Retriever, questions: Sequence[Question], k: int) -> dict[str, Any]:
    """recall@1..k and MRR within the top k, with score.py's hit rule; plus misses and speed."""
    ranks: list[int | None] = []
    ms: list[float] = []
    modes: set[str] = set()
    notices: set[str] = set()
    per_question = []
    if questions:  # warm-up, as for the reviews: the first query loads the embedding model
        retriever.retrieve(questions[0].question, k)
    for q in questions:
        start = time.perf_counter()
        retrieval = retriever.retrieve(q.question, k)
        ms.append((time.perf_counter() - start) * 1000)
        modes.add(str(getattr(retrieval, "mode", "")))
        notices.update(getattr(retrieval, "notices", []) or [])
        texts = [p.text for p in retrieval.passages]
        rank = metrics.first_hit_rank(texts, q.anchors, k)
        ranks.append(rank)
        per_question.append(
            {"id": q.id, "question": q.question, "anchors": q.anchors, "rank": rank,
             "top": [f"{p.source} › {p.section}" for p in retrieval.passages[:3]]}
        )
    figures: dict[str, Any] = {"questions": len(questions), "k": k}
    for cut in sorted({1, 3, 5, k}):
        if cut <= k:
            figures[f"recall_at_{cut}"] = _r(metrics.recall_at(ranks, cut))
    figures["mrr"] = _r(metrics.mean_reciprocal_rank(ranks))
    figures["missed"] = [q.id for q, r in zip(questions, ranks) if not r]
    figures["retrieval"] = {
        "modes": sorted(m for m in modes if m),
        "notices": sorted(notices),
        **{key: value for key, value in speed_figures(ms).items() if key != "drafts"},
        "per_question": per_question,
    }
    return figures


# --- the whole run ------------------------------------------------------------------------------


class RunOptions(BaseModel):
    case_files: list[Path]
    question_file: Path | None
    k: int = 5
    robustness_drafts: int = 15
    corpus_dir: Path


def evaluate(
    options: RunOptions,
    reviewer: Reviewer,
    retriever: Retriever | None,
    cases: Sequence[Case],
    questions: Sequence[Question],
    info: dict[str, Any],
    llm_configured: bool,
    progress: Progress = _stderr,
) -> dict[str, Any]:
    started = time.perf_counter()
    result: dict[str, Any] = {
        "version": RESULT_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "services": info,
        "case_files": [str(p) for p in options.case_files],
        "question_file": str(options.question_file) if options.question_file else None,
    }
    # One review before the clock starts: opening the index and loading the embedding model is
    # paid once per process, and would otherwise land on whichever case happens to come first.
    # A draft that falls short somewhere, so the warm-up also exercises the citation path.
    warm = next((c for c in cases if any(c.labels.verdict(n) != "pass" for n in CRITERIA)), cases[0])
    _, _, warmup_ms = review_one(reviewer, warm.text, warm.route)
    review_started = time.perf_counter()
    outcomes = run_cases(reviewer, cases, progress)
    review_seconds = time.perf_counter() - review_started
    texts = {c.id: c.text for c in cases}
    haystack = metrics.corpus_haystack(options.corpus_dir.resolve()) if options.corpus_dir.exists() else None
    check = check_contract(outcomes, texts, haystack)
    result["cases"] = len(cases)
    result["seconds"] = round(review_seconds, 2)
    result["ms_per_case"] = round(1000 * review_seconds / max(len(cases), 1), 1)
    result.update(coaching_figures(outcomes, check))
    result["problems"] = check.problems[:MAX_LISTED_PROBLEMS]
    result["review_errors"] = [{"case": o.id, "error": o.error} for o in outcomes if o.error][:MAX_LISTED_PROBLEMS]
    result["grounding"] = grounding_figures(check)
    result["speed"] = {**speed_figures([o.ms for o in outcomes]), "warmup_ms": round(warmup_ms, 1)}
    result["report_notices"] = notice_counts(outcomes)
    result["llm"] = llm_figures(outcomes, llm_configured)
    files = sorted({o.file for o in outcomes})
    if len(files) > 1:
        result["by_file"] = {}
        for name in files:
            subset = [o for o in outcomes if o.file == name]
            sub_check = check_contract(subset, texts, haystack)
            figures = coaching_figures(subset, sub_check)
            result["by_file"][name] = {
                "cases": len(subset),
                "criteria": {c: {k: v for k, v in f.items() if k in ("accuracy", "binary_accuracy", "macro_f1", "kappa")} for c, f in figures["criteria"].items()},
                "flags": {f: {k: v for k, v in d.items() if k in ("precision", "recall", "f1")} for f, d in figures["flags"].items()},
                "overall": figures["overall"],
            }
    if options.robustness_drafts > 0:
        result["robustness"] = run_robustness(reviewer, cases, {o.id: o for o in outcomes}, options.robustness_drafts, progress)
    if retriever is not None and questions:
        result.update(run_questions(retriever, questions, options.k))
        progress(f"eval: retrieved for {len(questions)} questions")
    result["per_case"] = [
        {
            "id": o.id,
            "file": o.file,
            "gold": o.gold,
            "predicted": _decisions(o.report),
            "ms": round(o.ms, 1),
            **({"error": o.error} if o.error else {}),
            **({"misses": misses} if (misses := o.misses()) else {}),
        }
        for o in outcomes
    ]
    result["total_seconds"] = round(time.perf_counter() - started, 2)
    return result
