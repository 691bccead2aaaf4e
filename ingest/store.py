"""Chroma access: embedded ``PersistentClient`` under the data dir, or a server via ``HttpClient``.

The collection's metadata records the embedder that filled it, so a mismatch is caught on open.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

from ingest.embeddings import EmbedderIdentity
from ingest.errors import BackendUnavailable
from ingest.settings import Settings

UPSERT_BATCH = 256


def chroma_path(settings: Settings) -> Path:
    return settings.data_dir / "chroma"


def connect(settings: Settings):
    """A Chroma client for the settings. Raises ``BackendUnavailable`` if a server is unreachable."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}")
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as err:
            raise BackendUnavailable(
                f"Chroma サーバー({settings.chroma_url})に接続できません。",
                f"cannot reach the Chroma server at {settings.chroma_url} ({type(err).__name__})",
            ) from err
        return client
    path = chroma_path(settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def identity_metadata(identity: EmbedderIdentity, embed_view: str) -> dict[str, str | int]:
    return {
        "embedding_backend": identity.backend,
        "embedding_model": identity.model,
        "embedding_dim": identity.dim,
        "embed_view": embed_view,
    }


def get_collection(client, name: str, identity: EmbedderIdentity, embed_view: str, *, reset_on_mismatch: bool):
    """The corpus collection, created if missing. With ``reset_on_mismatch`` a collection built by
    another embedder (or from another view of the chunks) is dropped and recreated."""
    wanted = identity_metadata(identity, embed_view)
    try:
        collection = client.get_collection(name)
    except Exception:  # noqa: BLE001 - chroma raises NotFoundError/ValueError by version
        collection = None
    if collection is not None and reset_on_mismatch and not _same(collection.metadata, wanted):
        sys.stderr.write(f"coach: collection '{name}' was built with another embedding model; rebuilding it\n")
        client.delete_collection(name)
        collection = None
    if collection is None:
        collection = client.create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}, metadata=wanted
        )
    return collection


def _same(metadata: dict | None, wanted: dict) -> bool:
    metadata = metadata or {}
    return all(metadata.get(k) == v for k, v in wanted.items())


def stored_ids(collection) -> set[str]:
    ids: set[str] = set()
    offset = 0
    while True:
        page = collection.get(include=[], limit=5000, offset=offset)["ids"]
        ids.update(page)
        if len(page) < 5000:
            return ids
        offset += len(page)
