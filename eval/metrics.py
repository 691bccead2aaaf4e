"""The metric functions of the eval, pure and small enough to check by hand.

The shared figures (accuracy, binary accuracy, 3-level macro-F1, flag precision/recall/F1,
citation verbatim rate, recall@k, MRR) follow ``../shared/tools/score.py`` exactly — the same
definitions, the same edge cases, the same text normalisation — so that the eval and the outside
scorer print the same numbers for the same data. Additions (quadratic weighted kappa, confusion
matrices, percentiles) are documented where they are defined.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

VERDICT_ORDER: tuple[str, ...] = ("fail", "partial", "pass")
"""Ordinal order of the verdicts, worst first (for kappa and confusion matrices)."""

CORPUS_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
"""The source files the outside scorer reads to decide whether a citation is verbatim."""

_WHITESPACE = re.compile(r"\s+")


def norm(text: str | None) -> str:
    """NFKC, then every whitespace character removed: the scorer's comparison form."""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", text or ""))


# --- verdicts ----------------------------------------------------------------------------------


def accuracy(gold: Sequence[str], pred: Sequence[str | None]) -> float:
    """Share of exact matches; an invalid (``None``) prediction counts as wrong."""
    if not gold:
        return 0.0
    return sum(1 for g, p in zip(gold, pred) if g == p) / len(gold)


def binary_accuracy(gold: Sequence[str], pred: Sequence[str | None]) -> float:
    """Accuracy of "pass" versus "not pass" (partial and fail are one class)."""
    if not gold:
        return 0.0
    return sum(1 for g, p in zip(gold, pred) if (g == "pass") == (p == "pass")) / len(gold)


def macro_f1(gold: Sequence[str], pred: Sequence[str | None], labels: Iterable[str] = VERDICT_ORDER) -> float:
    """Mean F1 over the labels that occur in gold or prediction.

    As in score.py, a label that appears in neither is left out of the mean (rather than counted
    as 0 or 1), and an invalid prediction is a false negative for its gold label.
    """
    f1s = []
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred) if g == lab and p != lab)
        if tp + fp + fn == 0:
            continue
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s) if f1s else 0.0


def confusion_matrix(
    gold: Sequence[str], pred: Sequence[str | None], labels: Sequence[str] = VERDICT_ORDER
) -> list[list[int]]:
    """``matrix[i][j]`` counts cases with gold ``labels[i]`` and prediction ``labels[j]``.

    Pairs whose gold or prediction is not one of ``labels`` (an invalid verdict) are not counted;
    the contract check reports them.
    """
    index = {lab: i for i, lab in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred):
        if g in index and p in index:
            matrix[index[g]][index[p]] += 1
    return matrix


def quadratic_weighted_kappa(
    gold: Sequence[str], pred: Sequence[str | None], labels: Sequence[str] = VERDICT_ORDER
) -> float:
    """Cohen's kappa with quadratic weights over the ordinal verdicts fail < partial < pass.

    Agreement beyond chance, where predicting "fail" for a "pass" costs four times as much as
    predicting "partial". 1 is perfect, 0 is chance level, negative is worse than chance. Invalid
    predictions are left out (the contract check counts them). When both raters use a single
    label, chance agreement is total and kappa is undefined: we return 1.0 if they agree on every
    case and 0.0 otherwise.
    """
    matrix = confusion_matrix(gold, pred, labels)
    n = sum(map(sum, matrix))
    size = len(labels)
    if n == 0 or size < 2:
        return 0.0
    row = [sum(matrix[i]) for i in range(size)]
    col = [sum(matrix[i][j] for i in range(size)) for j in range(size)]
    observed = expected = 0.0
    for i in range(size):
        for j in range(size):
            weight = (i - j) ** 2 / (size - 1) ** 2
            observed += weight * matrix[i][j] / n
            expected += weight * row[i] * col[j] / (n * n)
    if expected == 0:
        return 1.0 if observed == 0 else 0.0
    return 1.0 - observed / expected


class FlagCounts(BaseModel):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, pred: bool) -> None:
        if gold:
            self.tp += pred
            self.fn += not pred
        else:
            self.fp += pred
            self.tn += not pred

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# --- retrieval ---------------------------------------------------------------------------------


def first_hit_rank(chunk_texts: Sequence[str], anchors: Sequence[str], k: int) -> int | None:
    """1-based rank of the first of the top ``k`` chunks containing any anchor (normalised)."""
    wanted = [norm(a) for a in anchors]
    for rank, text in enumerate(chunk_texts[:k], 1):
        haystack = norm(text)
        if any(a in haystack for a in wanted):
            return rank
    return None


def recall_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose first hit is within the top ``k``."""
    return sum(1 for r in ranks if r is not None and r <= k) / max(len(ranks), 1)


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float:
    """Mean of 1/rank of the first hit; a question without a hit contributes 0."""
    return sum(1 / r for r in ranks if r) / max(len(ranks), 1)


# --- grounding and speed -----------------------------------------------------------------------


@lru_cache(maxsize=4)
def corpus_haystack(corpus_dir: Path) -> str:
    """All text sources of the corpus, normalised, one per line (as score.py reads them).

    Normalised text has no whitespace, so a citation can never match across two files.
    """
    if not corpus_dir.exists():
        return ""
    parts = []
    for path in sorted(corpus_dir.rglob("*")):
        if path.is_file() and path.suffix.lower() in CORPUS_SUFFIXES:
            parts.append(norm(path.read_text(encoding="utf-8", errors="ignore")))
    return "\n".join(parts)


def is_verbatim(citation_text: str, haystack: str) -> bool:
    """True when the citation, normalised, is non-empty and part of a corpus file."""
    needle = norm(citation_text)
    return bool(needle) and needle in haystack


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
