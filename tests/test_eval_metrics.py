"""The eval's metric functions against small examples computed by hand."""

from __future__ import annotations

import pytest

from eval import metrics

# gold/pred used by several tests; the hand computation is spelled out in each test.
GOLD = ["fail", "partial", "pass", "pass", "partial"]
PRED = ["fail", "pass", "pass", "partial", "partial"]


def test_confusion_matrix_rows_are_gold_columns_predicted():
    assert metrics.confusion_matrix(GOLD, PRED) == [
        [1, 0, 0],  # gold fail
        [0, 1, 1],  # gold partial: one right, one called pass
        [0, 1, 1],  # gold pass: one right, one called partial
    ]


def test_confusion_matrix_skips_invalid_predictions():
    assert metrics.confusion_matrix(["pass", "fail"], [None, "fail"]) == [[1, 0, 0], [0, 0, 0], [0, 0, 0]]


def test_accuracy_and_binary_accuracy():
    assert metrics.accuracy(GOLD, PRED) == pytest.approx(3 / 5)
    # pass-vs-not: F/F, F/T, T/T, T/F, F/F -> 3 of 5 agree
    assert metrics.binary_accuracy(GOLD, PRED) == pytest.approx(3 / 5)
    assert metrics.accuracy(["pass"], [None]) == 0.0


def test_macro_f1_by_hand():
    # fail: tp1 fp0 fn0 -> 1; partial: tp1 fp1 fn1 -> 0.5; pass: tp1 fp1 fn1 -> 0.5
    assert metrics.macro_f1(GOLD, PRED) == pytest.approx((1 + 0.5 + 0.5) / 3)


def test_macro_f1_leaves_out_labels_nobody_used():
    # Only "pass" occurs: a perfect run scores 1, not 1/3 (score.py's rule).
    assert metrics.macro_f1(["pass", "pass"], ["pass", "pass"]) == 1.0
    # An invalid prediction is a miss for its gold label: pass tp1 fn1 -> 2/3.
    assert metrics.macro_f1(["pass", "pass"], ["pass", None]) == pytest.approx(2 / 3)


def test_quadratic_weighted_kappa_by_hand():
    # weights (i-j)^2/4; observed = 2 cells at distance 1 -> 2 * 1/4 / 5 = 0.1
    # margins rows = cols = [1, 2, 2]; expected = (0.5+2+0.5+1+2+1)/25 = 0.28
    assert metrics.quadratic_weighted_kappa(GOLD, PRED) == pytest.approx(1 - 0.1 / 0.28)
    assert metrics.quadratic_weighted_kappa(GOLD, PRED) == pytest.approx(9 / 14)


def test_kappa_extremes():
    assert metrics.quadratic_weighted_kappa(GOLD, GOLD) == pytest.approx(1.0)
    # Exactly reversed on the two ends: observed 1, expected 0.5 -> -1.
    assert metrics.quadratic_weighted_kappa(["fail", "pass"], ["pass", "fail"]) == pytest.approx(-1.0)
    # One label on both sides: chance agreement is total; defined as 1 when they agree.
    assert metrics.quadratic_weighted_kappa(["pass"] * 3, ["pass"] * 3) == 1.0
    # Constant prediction against varied gold carries no information: kappa 0.
    assert metrics.quadratic_weighted_kappa(["fail", "partial", "pass"], ["fail"] * 3) == pytest.approx(0.0)


def test_kappa_weighs_far_errors_more():
    near = metrics.quadratic_weighted_kappa(["pass", "fail", "partial"], ["partial", "fail", "partial"])
    far = metrics.quadratic_weighted_kappa(["pass", "fail", "partial"], ["fail", "fail", "partial"])
    assert far < near


def test_flag_counts():
    counts = metrics.FlagCounts()
    for gold, pred in [(True, True), (True, False), (False, True), (False, False), (True, True)]:
        counts.add(gold, pred)
    assert (counts.tp, counts.fp, counts.fn, counts.tn) == (2, 1, 1, 1)
    assert counts.precision == pytest.approx(2 / 3)
    assert counts.recall == pytest.approx(2 / 3)
    assert counts.f1 == pytest.approx(2 / 3)
    assert metrics.FlagCounts().f1 == 0.0


def test_norm_matches_the_scorer():
    assert metrics.norm("１０月頃 まで\n に") == "10月頃までに"
    assert metrics.norm(None) == ""


def test_first_hit_rank_recall_and_mrr():
    chunks = ["関係のない文章", "提案は １０月頃\nまでに お願いします", "10月頃までに"]
    assert metrics.first_hit_rank(chunks, ["10月頃までに"], k=5) == 2
    assert metrics.first_hit_rank(chunks, ["10月頃までに"], k=1) is None
    assert metrics.first_hit_rank(chunks, ["ない", "10月"], k=5) == 1
    ranks = [1, 2, None, 4]
    assert metrics.recall_at(ranks, 1) == 0.25
    assert metrics.recall_at(ranks, 3) == 0.5
    assert metrics.mean_reciprocal_rank(ranks) == pytest.approx((1 + 0.5 + 0.25) / 4)


def test_percentile_interpolates():
    assert metrics.percentile([4, 1, 3, 2], 50) == pytest.approx(2.5)
    assert metrics.percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert metrics.percentile([], 50) == 0.0


def test_verbatim_citation_uses_normalised_corpus(tmp_path):
    (tmp_path / "a.md").write_text("# 見出し\n原則として、本市は\n直接的な資金提供を行いません。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("別のファイル", encoding="utf-8")
    (tmp_path / "c.pdf").write_text("PDFは対象外", encoding="utf-8")
    haystack = metrics.corpus_haystack(tmp_path)
    assert metrics.is_verbatim("本市は 直接的な資金提供", haystack)
    assert not metrics.is_verbatim("資金提供を行いません。別のファイル", haystack)  # never across files
    assert not metrics.is_verbatim("PDFは対象外", haystack)
    assert not metrics.is_verbatim("   ", haystack)
