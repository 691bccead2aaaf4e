"""Property tests: any text a writer can send either gets a clear refusal or a valid report whose
evidence offsets slice the submitted text exactly, and the same text always gets the same report.

Hypothesis generates arbitrary Unicode (controls, NUL, surrogates excluded only where Python
strings cannot carry them to a JSON API, CRLF, emoji with ZWJ, full-width forms) and also mixes
real proposal sentences with such noise, so the judges' code paths beyond "empty" are exercised.
Example counts are modest so the module runs in about 20 s on two cores.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.analysis import analyze
from coach.models import CRITERIA, VERDICTS, Report
from coach.review import ReviewService
from ingest.errors import CoachError
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    s for line in (ROOT / "eval" / "cases-dev.jsonl").read_text(encoding="utf-8").splitlines()[:12]
    for s in json.loads(line)["text"].split("。") if s.strip()
]
NOISE = st.sampled_from(["\r\n", "\r", "\x00", "\x07", "\ufeff", "\u200b", "\u2028", "\t", "\u3000",
                         "👩\u200d👩\u200d👧", "ＡＩ", "「", "」", "\ufffd", "\U000f0000", "<script>", "。"])
# Any code point except lone surrogates (a str holding one cannot be UTF-8 encoded by any client).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
DRAFTISH = st.lists(st.one_of(st.sampled_from(SENTENCES), NOISE, ANY_TEXT.map(lambda s: s[:40])),
                    min_size=1, max_size=25).map("".join)
TEXTS = st.one_of(ANY_TEXT, DRAFTISH)
PROFILE = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _all_evidence(report: Report):
    for result in report.criteria.values():
        yield from result.evidence
    for detail in report.flag_details.values():
        yield from detail.evidence
    if report.injection is not None:
        yield from report.injection.evidence
    if report.screening is not None:
        for point in report.screening.judgement_points:
            yield from point.evidence


@pytest.fixture(scope="module")
def service() -> ReviewService:
    from ingest.index import lexical_retriever_from_corpus

    settings_ = Settings(corpus_dir=ROOT / "corpus")
    return ReviewService(settings_, retriever=lexical_retriever_from_corpus(settings_))


@PROFILE
@given(text=TEXTS, route=st.sampled_from([None, "theme", "free"]))
def test_analyzer_evidence_slices_the_text_and_verdicts_are_valid(text: str, route) -> None:
    analysis = analyze(text, route)
    assert set(analysis.findings) == set(CRITERIA)
    for finding in analysis.findings.values():
        assert finding.verdict in VERDICTS
        for ev in finding.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)
            assert text[ev.start:ev.end] == ev.text
    assert analyze(text, route) == analysis  # deterministic


@PROFILE
@given(text=TEXTS, route=st.sampled_from([None, "theme", "free"]))
def test_review_refuses_clearly_or_reports_offsets_into_the_submitted_text(service, text: str, route) -> None:
    try:
        report = service.review(text, route=route)
    except CoachError as err:
        # A refusal is a user-facing error with both languages, never anything else.
        assert err.http_status in (413, 422) and err.message_ja and err.message_en
        return
    assert set(report.criteria) == set(CRITERIA)
    assert all(r.verdict in VERDICTS for r in report.criteria.values())
    assert isinstance(report.flags.to_g, bool) and isinstance(report.flags.sales_pitch, bool)
    for ev in _all_evidence(report):
        assert 0 <= ev.start <= ev.end <= len(text)
        assert text[ev.start:ev.end] == ev.text
    # The same input gives the same report (JSON-identical, so it can be stored and compared).
    assert service.review(text, route=route).model_dump_json() == report.model_dump_json()
