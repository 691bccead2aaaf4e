from coach.checklist import CHECKLIST, ITEMS, items_for
from coach.models import CRITERIA, Report
from ingest.settings import Settings


def test_every_criterion_has_checklist_items_with_unique_keys():
    assert len(ITEMS) == len(CHECKLIST)
    for criterion in CRITERIA:
        assert items_for(criterion), criterion


def test_report_round_trips_the_contract_shape():
    payload = {
        "criteria": {
            c: {"verdict": "partial", "evidence": [{"start": 0, "end": 2, "text": "課題"}],
                "suggestions": ["…"], "citations": [{"source": "s", "section": "x", "text": "t"}]}
            for c in CRITERIA
        },
        "flags": {"to_g": False, "sales_pitch": True},
        "summary": "要約",
    }
    report = Report.model_validate(payload)
    dumped = report.model_dump(mode="json")
    assert dumped["criteria"]["cost_split"]["verdict"] == "partial"
    assert dumped["flags"] == {"to_g": False, "sales_pitch": True}


def test_settings_read_coach_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COACH_MAX_DRAFT_CHARS", "1234")
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.max_draft_chars == 1234
    assert settings.resolved_database_url.endswith("coach.db")
