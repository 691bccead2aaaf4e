"""The staff summary export is Japanese whatever language the draft was written in: the
writer's report carries English reasons for an English draft, the export the analyzer's Japanese."""

from __future__ import annotations

import re

from server.export import summary_markdown
from server.storage import Submission, utcnow
from tests.server_helpers import shared_review_service

ENGLISH_DRAFT = (
    "We run a bike-share service. In Wakamatsu ward, 40% of high-school students cycle over the "
    "Wakato Bridge approach, where 12 accidents were recorded last year. We propose a 3-month trial "
    "of 20 bikes with safety sensors; we bear all costs, and ask the city's road department to share "
    "accident data and allow two docking stations on city land. Goal: halve near-misses on the route."
)
KANA_OR_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_an_english_draft_is_exported_to_staff_with_japanese_reasons() -> None:
    report = shared_review_service().review(ENGLISH_DRAFT)
    assert report.language == "en"
    assert not KANA_OR_KANJI.search(report.criteria["cost_split"].reason)  # the writer reads English
    now = utcnow()
    sub = Submission(id="s" * 32, title="bike share", route=None, text=ENGLISH_DRAFT, status="received",
                     status_reason="", created_at=now, updated_at=now, revision_count=1)
    markdown = summary_markdown(sub, report)
    table = markdown.split("## 4つのポイント", 1)[1].split("## フラグ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "判定" not in line]
    assert len(rows) == 4
    for name, row in zip(report.criteria, rows):
        japanese = report.criteria[name].reason_bilingual.ja
        assert japanese.replace("|", "\\|").replace("\n", " ") in row
    flags = markdown.split("## フラグ", 1)[1]
    assert report.flag_details["to_g"].reason_bilingual.ja in flags
