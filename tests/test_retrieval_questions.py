"""The question sets that retrieval quality is measured on are well-formed.

A benchmark question whose anchor is not in the corpus can never be a hit, and one whose question
quotes its own anchor measures string matching, not paraphrase robustness; both would quietly
distort the figures in docs/benchmarks.md. No index is needed: the anchors are matched against
the corpus's content files the way ../shared/contract.md scores a hit (NFKC, whitespace removed).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from ingest.index import corpus_files
from ingest.loaders import load_path

ROOT = Path(__file__).resolve().parent.parent
QUESTION_SETS = [
    ROOT / "eval" / "questions-dev.jsonl",
    *sorted((ROOT / "benchmarks").glob("questions-*.jsonl")),
]
# Written after tuning, in a user's words: their questions must not quote the anchor.
PARAPHRASED = {p for p in QUESTION_SETS if p.name.startswith("questions-holdout")}


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@pytest.fixture(scope="module")
def corpus_text() -> str:
    corpus = ROOT / "corpus"
    return "\n".join(_norm(load_path(path).text) for path in corpus_files(corpus))


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_there_are_paraphrased_sets_beside_the_dev_set():
    assert len(PARAPHRASED) >= 2, [p.name for p in QUESTION_SETS]


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda p: p.name)
def test_question_set_is_well_formed_and_every_anchor_is_in_the_corpus(path: Path, corpus_text: str):
    rows = _rows(path)
    assert rows, f"{path.name} is empty"
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), f"duplicate ids in {path.name}"
    for row in rows:
        assert row["question"].strip(), row["id"]
        assert row["anchors"], row["id"]
        missing = [a for a in row["anchors"] if _norm(a) not in corpus_text]
        assert not missing, f"{path.name} {row['id']}: anchors not in the corpus: {missing}"
        if path in PARAPHRASED:
            quoted = [a for a in row["anchors"] if _norm(a) in _norm(row["question"])]
            assert not quoted, f"{path.name} {row['id']} quotes its anchor: {quoted}"
