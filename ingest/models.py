"""What the index hands upwards: chunks of the corpus with their provenance."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Chunk(BaseModel):
    """A stored piece of a source document, cut on sentence and heading boundaries."""

    chunk_id: str = Field(description="Stable id: hash of source path and text.")
    text: str = Field(description="The passage, verbatim from the source (front matter removed).")
    source: str = Field(description="Path of the source relative to the corpus folder.")
    section: str = Field(
        description="Heading path, e.g. '第3部 › 官民共創を行う上で押さえていただきたいポイント › POINT.4'."
    )
    start: int = Field(ge=0, description="Offset of the first character in the extracted source text.")
    end: int = Field(ge=0, description="Offset after the last character in the extracted source text.")


class Passage(Chunk):
    """A chunk returned for a query, with its fused score (higher is better)."""

    score: float = 0.0
