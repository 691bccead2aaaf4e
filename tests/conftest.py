"""Shared fixtures. State goes to temp dirs so tests never touch the developer's data/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point every COACH_ setting that holds state at a fresh temp dir, per test."""
    data = tmp_path_factory.mktemp("coach-data")
    monkeypatch.setenv("COACH_DATA_DIR", str(data))
    monkeypatch.setenv("COACH_CORPUS_DIR", str(ROOT / "corpus"))
    for name in ("COACH_LLM", "COACH_CHROMA_URL", "COACH_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    from ingest.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def dev_cases() -> list[dict]:
    """Both writers' development cases."""
    return read_jsonl(ROOT / "eval" / "cases-dev.jsonl") + read_jsonl(ROOT / "eval" / "cases-dev-b.jsonl")


@pytest.fixture(scope="session")
def dev_questions() -> list[dict]:
    return read_jsonl(ROOT / "eval" / "questions-dev.jsonl")
