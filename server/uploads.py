"""The one place the server judges an uploaded file's size (drafts and batch imports alike)."""

from __future__ import annotations

from fastapi import UploadFile

from ingest.errors import InputTooLarge
from ingest.settings import Settings


async def read_upload(file: UploadFile, settings: Settings) -> bytes:
    """The file's bytes, or ``InputTooLarge`` (413) past ``settings.max_upload_bytes``.

    Reads one byte past the limit, never more, so an oversized file is not held in memory.
    (The request body as a whole is already capped by the app's body-size guard.)
    """
    limit = settings.max_upload_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise InputTooLarge(
            f"ファイルが大きすぎます(上限 {limit / 1_000_000:.1f} MB)。小さくするか、本文を貼り付けてください。",
            f"The file is too large (limit {limit / 1_000_000:.1f} MB). Make it smaller or paste "
            "the text instead.",
        )
    return content
