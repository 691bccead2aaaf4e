"""The product services the eval drives: the public review service and the corpus retriever.

The eval measures what users get, so it opens them exactly as the command line and the app do:
``coach.review.ReviewService.from_settings`` (which opens the index lazily, with the lexical
fallback the product allows) and ``ingest.index.open_retriever`` (which, like ``coach retrieve``,
refuses to run without an index rather than measure something else).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from coach.models import Report
from ingest.settings import Settings


class Reviewer(Protocol):
    def review(self, text: str, route: str | None = None, today: date | None = None) -> Report: ...


class Retriever(Protocol):
    def retrieve(self, query: str, k: int): ...  # -> ingest.index.Retrieval(passages, mode, notices)


REVIEW_SERVICE = "coach.review.ReviewService"
RETRIEVAL_SERVICE = "ingest.index.open_retriever"


def open_reviewer(settings: Settings) -> Reviewer:
    from coach.review import ReviewService

    return ReviewService.from_settings(settings)


def open_retriever(settings: Settings) -> Retriever:
    """The index's retriever; ``IndexNotReady`` (run ``coach ingest``) when there is none."""
    from ingest.index import open_retriever as open_index

    return open_index(settings)
