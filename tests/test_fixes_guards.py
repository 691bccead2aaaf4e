"""Guards added with the fixes for four defects found by the reliability tests.

The strict-xfail tests in ``tests/test_adversarial.py`` and ``tests/test_faults.py`` prove each
defect is gone; these pin the parts of the fixes they do not look at: a consistent LLM summary is
still used, a reason claiming a pass for a point that is not met is dropped, a rejected summary is
announced, and a database locked for good answers 503 ``database_busy`` with ``Retry-After`` and a
message telling the writer to resend, while nothing is stored.

The LLM checks apply a hand-written ``ReviewRewrite`` (the parsed form of a model's answer) to the
product's real offline report: no model can run here, and what is under test is how the product
treats the answer, not the HTTP round trip (``tests/test_llm.py`` covers that against recorded
responses).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coach.llm import ReviewRewrite, _apply
from coach.models import CRITERIA
from coach.review import ReviewService
from ingest.settings import Settings
from tests.server_helpers import assert_json_error, client, dev_case, make_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def offline_service() -> ReviewService:
    from ingest.index import lexical_retriever_from_corpus

    settings = Settings(corpus_dir=ROOT / "corpus")
    return ReviewService(settings, retriever=lexical_retriever_from_corpus(settings))


@pytest.fixture(scope="module")
def failing_report(offline_service):
    """A real offline report with at least one point not met."""
    for i in range(10):
        report = offline_service.review(dev_case(i)["text"], route=dev_case(i)["route"])
        if any(r.verdict != "pass" for r in report.criteria.values()):
            return report
    pytest.fail("no dev case with a point not met")


def _rewrite(summary: str, reason: str = "説明を書き直しました。") -> ReviewRewrite:
    return ReviewRewrite.model_validate(
        {"summary": summary, "criteria": {name: {"reason": reason, "suggestions": []} for name in CRITERIA}}
    )


@pytest.mark.parametrize("claim", [
    "この提案は4つの観点すべてを満たしています。",
    "修正は不要です。このまま提出できます。",
    "All four points are met; no changes are needed.",
    "The proposal meets all criteria and is ready to submit.",
])
def test_a_summary_claiming_everything_is_met_is_replaced_by_the_offline_one(failing_report, claim) -> None:
    refined = _apply(failing_report, _rewrite(claim), "review.v1")
    assert refined.summary == failing_report.summary
    assert any("食い違って" in n and "contradicted the verdicts" in n for n in refined.notices)
    assert refined.mode == "llm"


def test_a_consistent_summary_is_used_as_written(failing_report) -> None:
    summary = "課題は具体的です。費用の分担と市の役割を書き足すと、市が検討しやすくなります。"
    refined = _apply(failing_report, _rewrite(summary), "review.v1")
    assert refined.summary == summary
    assert refined.notices == failing_report.notices


def test_a_reason_claiming_a_pass_for_an_unmet_point_keeps_the_offline_reason(failing_report) -> None:
    refined = _apply(failing_report, _rewrite("課題は具体的です。", reason="合格と判定しました。"), "review.v1")
    for name, result in refined.criteria.items():
        before = failing_report.criteria[name]
        assert result.verdict == before.verdict
        if before.verdict == "pass":
            assert result.reason == "合格と判定しました。"
        else:
            assert result.reason == before.reason


def test_when_every_point_is_met_the_summary_may_say_so(offline_service) -> None:
    reports = (offline_service.review(dev_case(i)["text"], route=dev_case(i)["route"]) for i in range(20))
    report = next((r for r in reports if all(v.verdict == "pass" for v in r.criteria.values())), None)
    if report is None:
        pytest.skip("no dev case among the first 20 meets all four points")
    refined = _apply(report, _rewrite("4つの観点すべてを満たしています。"), "review.v1")
    assert refined.summary == "4つの観点すべてを満たしています。"


def test_a_database_locked_for_good_says_resend_and_stores_nothing(tmp_path: Path) -> None:
    """Real SQLite held by a second connection in an EXCLUSIVE transaction."""
    from server.app import create_app
    from server.storage import Store
    from tests.server_helpers import shared_review_service

    settings = make_settings(tmp_path)
    store = Store(settings.resolved_database_url, busy_timeout_s=0.2, write_retries=1)
    api = client(create_app(settings, review_service=shared_review_service(), store=store))
    db = tmp_path / "coach.db"
    blocker = sqlite3.connect(db, isolation_level=None, timeout=5)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        response = api.post("/api/reviews", json={"text": dev_case(1)["text"]})
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    error = assert_json_error(response, 503)
    assert error["code"] == "database_busy"
    assert int(response.headers["retry-after"]) >= 1
    ja, en = error["message"].split(" / ", 1)
    assert "保存されていません" in ja and "もう一度送信" in ja
    assert "nothing was saved" in en and "send it again" in en
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 0
    # Once the lock is gone, the same request goes through.
    assert api.post("/api/reviews", json={"text": dev_case(1)["text"]}).status_code == 201
