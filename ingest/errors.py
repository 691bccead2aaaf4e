"""The small family of errors a user may see. Anything else is a bug and is reported as such.

Each error carries a stable ``code`` (for the API's ``{"error": {"code", "message"}}`` and for
tests) and a message in Japanese and English, because writers and staff read Japanese and
maintainers may not.
"""

from __future__ import annotations


class CoachError(Exception):
    """An error whose message is meant for the user: say what went wrong and what to do."""

    code: str = "error"
    http_status: int = 400

    def __init__(self, message_ja: str, message_en: str | None = None, *, code: str | None = None):
        super().__init__(message_ja)
        self.message_ja = message_ja
        self.message_en = message_en or message_ja
        if code:
            self.code = code

    @property
    def message(self) -> str:
        if self.message_en and self.message_en != self.message_ja:
            return f"{self.message_ja} / {self.message_en}"
        return self.message_ja


class InvalidInput(CoachError):
    """The draft, file or request cannot be used as given (empty, too large, not text…)."""

    code = "invalid_input"
    http_status = 422


class InputTooLarge(InvalidInput):
    code = "too_large"
    http_status = 413


class UnreadableDocument(InvalidInput):
    """A corpus file or upload that cannot be parsed (corrupt PDF, bad encoding, XML bomb…)."""

    code = "unreadable_document"


class IndexNotReady(CoachError):
    """No index yet, or one built with another embedding model: run ``coach ingest``."""

    code = "index_not_ready"
    http_status = 503


class BackendUnavailable(CoachError):
    """A configured backend (Chroma server, LLM) cannot be reached or is not installed."""

    code = "backend_unavailable"
    http_status = 503


class IngestBusy(CoachError):
    """Another ``coach ingest`` is writing the same index right now."""

    code = "ingest_busy"
    http_status = 409
