"""Detection of text that addresses the reviewer instead of the city (prompt injection).

Placeholder: the analyzer helper replaces this with real detection.
"""

from __future__ import annotations

from ingest.japanese import Sentence


def find_injected_sentences(sentences: list[Sentence]) -> list[Sentence]:
    return []
