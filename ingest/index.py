"""Build the corpus index and retrieve from it.

Layout under ``data_dir``::

    chroma/                 embedded Chroma (absent when COACH_CHROMA_URL points at a server)
    index/chunks.json       every chunk with its BM25 terms (lexical search needs no Chroma)
    index/manifest.json     file hashes → chunk ids, and the embedder that built the vectors

Ingest is idempotent and self-repairing: chunk ids are content hashes, the set of vectors Chroma
should hold is recomputed from the corpus on every run and diffed against what Chroma *actually*
holds (not against the manifest), and the manifest is written last. A run that dies halfway
leaves vectors that the next run keeps or deletes as needed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ingest.chunking import chunk_document
from ingest.embeddings import Embedder, EmbedderIdentity, get_embedder
from ingest.errors import (
    BackendUnavailable,
    IndexNotReady,
    IngestBusy,
    InvalidInput,
    UnreadableDocument,
)
from ingest.lexical import BM25, lexical_terms, query_terms
from ingest.loaders import SUPPORTED_SUFFIXES, load_path
from ingest.models import Chunk, Passage
from ingest.settings import Settings

INDEX_FORMAT = 1


def _pipeline_version() -> str:
    """A fingerprint of the chunking and BM25 code. When it changes, unchanged files are still
    re-chunked and re-tokenised (about a second for the corpus); vectors of chunks whose text did
    not change are kept, since their ids are content hashes. No version number to forget to bump."""
    from ingest import chunking, lexical

    digest = hashlib.sha256()
    for module in (chunking, lexical):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


PIPELINE_VERSION = _pipeline_version()

# Which part of a chunk is embedded: its opening, where the heading and topic sentence are.
# e5-small's cost grows with length and the whole corpus must embed in well under a minute on two
# cores, so the view is capped. Prefixing the heading path was measured and made dense retrieval
# worse (recall@5 0.60 vs 0.67 on the dev questions), as did embedding whole chunks at 3x the cost.
EMBED_VIEW = "text"
EMBED_MAX_CHARS = 320
# Files that describe where the corpus came from; they are not content to retrieve or cite.
PROVENANCE_FILES = {"source.md", "sources.md"}
CANDIDATES = 40
# Weight of the lexical score in the fusion (dense gets the rest); measured in benchmarks/retrieval.py.
LEXICAL_WEIGHT = 0.6


class SkippedFile(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    files_indexed: int = Field(0, description="New or changed files chunked and embedded.")
    files_unchanged: int = 0
    files_removed: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_total: int = 0
    skipped: list[SkippedFile] = Field(default_factory=list)
    seconds: float = 0.0
    embedding: EmbedderIdentity | None = None


class Retrieval(BaseModel):
    passages: list[Passage]
    mode: Literal["hybrid", "lexical"]
    notices: list[str] = Field(default_factory=list)


class _StoredChunk(Chunk):
    terms: list[str]


class _FileEntry(BaseModel):
    sha256: str
    chunk_ids: list[str]


class _Manifest(BaseModel):
    format: int = INDEX_FORMAT
    embedding: EmbedderIdentity
    embed_view: str
    pipeline: str = ""
    collection: str
    files: dict[str, _FileEntry]
    chunks_total: int
    built_at: float


# --- corpus ------------------------------------------------------------------------------------


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Content files of the corpus, sorted; provenance notes and the root README excluded."""
    if not corpus_dir.is_dir():
        raise InvalidInput(
            f"コーパスのフォルダ「{corpus_dir}」がありません。COACH_CORPUS_DIR を確認してください。",
            f"corpus folder '{corpus_dir}' does not exist; check COACH_CORPUS_DIR",
        )
    out = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        if path.name.lower() in PROVENANCE_FILES or (len(rel.parts) == 1 and path.name.lower() == "readme.md"):
            continue
        out.append(path)
    return out


def _chunk_file(path: Path, source: str) -> list[_StoredChunk]:
    doc = load_path(path)
    return [
        _StoredChunk(**c.model_dump(), terms=lexical_terms(c.text))
        for c in chunk_document(doc.text, source, kind=doc.kind)
    ]


def _embed_view(chunk: Chunk) -> str:
    return chunk.text[:EMBED_MAX_CHARS]


# --- persistence -------------------------------------------------------------------------------


def _index_dir(settings: Settings) -> Path:
    return settings.data_dir / "index"


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _read_manifest(settings: Settings) -> _Manifest | None:
    path = _index_dir(settings) / "manifest.json"
    if not path.exists():
        return None
    try:
        return _Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        return None  # unreadable or older format: treated as no index, rebuilt by ingest


def _read_chunks(settings: Settings) -> list[_StoredChunk]:
    path = _index_dir(settings) / "chunks.json"
    if not path.exists():
        return []
    try:
        return [_StoredChunk.model_validate(row) for row in json.loads(path.read_text(encoding="utf-8"))]
    except ValueError:
        return []


# --- ingest ------------------------------------------------------------------------------------


@contextmanager
def _ingest_lock(settings: Settings) -> Iterator[None]:
    """One ingest at a time per index: two would embed the same chunks twice and race on the
    manifest. An advisory lock on a file beside the index (released by the OS if the process
    dies, so a killed ingest never leaves a stale lock behind)."""
    import fcntl

    folder = _index_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".ingest.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestBusy(
                "別の `coach ingest` が同じインデックスを更新中です。終わってからもう一度実行してください。",
                f"another `coach ingest` is updating this index ({folder}); run again when it has finished",
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_index(settings: Settings, *, progress: bool = True) -> IngestReport:
    """Build or refresh the index from ``settings.corpus_dir``. Safe to run any number of times;
    a second ingest of the same index while one runs is refused with :class:`IngestBusy`."""
    with _ingest_lock(settings):
        return _build_index(settings, progress=progress)


def _build_index(settings: Settings, *, progress: bool) -> IngestReport:
    started = time.perf_counter()
    report = IngestReport()
    embedder = get_embedder(settings)
    report.embedding = embedder.identity
    old = _read_manifest(settings)
    same_embedder = (
        old is not None and old.embedding == embedder.identity and old.embed_view == _view_id()
        and old.collection == settings.collection
    )
    old_chunks: dict[str, list[_StoredChunk]] = {}
    if same_embedder and old is not None and old.pipeline == PIPELINE_VERSION:
        for c in _read_chunks(settings):
            old_chunks.setdefault(c.source, []).append(c)

    files: dict[str, _FileEntry] = {}
    chunks: list[_StoredChunk] = []
    paths = corpus_files(settings.corpus_dir)
    for path in _progress(paths, "chunking", progress):
        source = path.relative_to(settings.corpus_dir).as_posix()
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as err:
            report.skipped.append(SkippedFile(path=source, reason=f"cannot open ({err.strerror})"))
            continue
        previous = old.files.get(source) if (same_embedder and old) else None
        if previous and previous.sha256 == digest and source in old_chunks:
            file_chunks = old_chunks[source]
            report.files_unchanged += 1
        else:
            try:
                file_chunks = _chunk_file(path, source)
            except UnreadableDocument as err:
                report.skipped.append(SkippedFile(path=source, reason=err.message))
                continue
            report.files_indexed += 1
        files[source] = _FileEntry(sha256=digest, chunk_ids=[c.chunk_id for c in file_chunks])
        chunks.extend(file_chunks)
    if old:
        report.files_removed = len(set(old.files) - set(files))

    from ingest import store

    client = store.connect(settings)
    collection = store.get_collection(client, settings.collection, embedder.identity, _view_id(),
                                      reset_on_mismatch=True)
    present = store.stored_ids(collection)
    wanted = {c.chunk_id: c for c in chunks}
    to_add = [c for cid, c in wanted.items() if cid not in present]
    to_delete = sorted(present - set(wanted))
    for batch in _progress(_batches(to_add, 16), "embedding", progress, total=len(to_add), unit_size=16):
        vectors = embedder.embed_passages([_embed_view(c) for c in batch])
        collection.upsert(
            ids=[c.chunk_id for c in batch],
            embeddings=vectors.tolist(),
            documents=[c.text for c in batch],
            metadatas=[{"source": c.source, "section": c.section, "start": c.start, "end": c.end} for c in batch],
        )
    for batch in _batches(to_delete, store.UPSERT_BATCH):
        collection.delete(ids=batch)

    unique = list(wanted.values())
    _atomic_write(_index_dir(settings) / "chunks.json",
                  json.dumps([c.model_dump() for c in unique], ensure_ascii=False))
    manifest = _Manifest(
        embedding=embedder.identity, embed_view=_view_id(), pipeline=PIPELINE_VERSION,
        collection=settings.collection, files=files,
        chunks_total=len(unique), built_at=time.time(),
    )
    _atomic_write(_index_dir(settings) / "manifest.json", manifest.model_dump_json(indent=1))
    report.chunks_added = len(to_add)
    report.chunks_removed = len(to_delete)
    report.chunks_total = len(unique)
    report.seconds = round(time.perf_counter() - started, 2)
    _forget_cached(settings)
    return report


def _view_id() -> str:
    return f"{EMBED_VIEW}:{EMBED_MAX_CHARS}"


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _progress(items, label: str, enabled: bool, *, total: int | None = None, unit_size: int = 1):
    """Iterate with a progress bar on stderr (never stdout: JSON output stays clean)."""
    items = list(items)
    if not enabled or not items:
        yield from items
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task(label, total=total if total is not None else len(items))
        for item in items:
            yield item
            bar.advance(task, len(item) if unit_size > 1 else 1)


# --- retrieval ---------------------------------------------------------------------------------


class CorpusRetriever:
    """Hybrid (Chroma dense + BM25) retrieval over the corpus, fused by reciprocal rank.

    In lexical mode (no vectors available) only BM25 is used and every ``Retrieval`` says so.
    """

    def __init__(self, chunks: list[_StoredChunk], *, collection=None, embedder: Embedder | None = None,
                 notices: list[str] | None = None) -> None:
        self.chunks = chunks
        self._by_id = {c.chunk_id: i for i, c in enumerate(chunks)}
        self._bm25 = BM25([c.terms for c in chunks])
        self._sources = np.array([c.source for c in chunks], dtype=object)
        self._collection = collection
        self._embedder = embedder
        self.notices = list(notices or [])
        self._lock = threading.Lock()

    @property
    def mode(self) -> Literal["hybrid", "lexical"]:
        return "hybrid" if self._collection is not None and self._embedder is not None else "lexical"

    def retrieve(self, query: str, k: int = 5, *, sources: list[str] | None = None) -> Retrieval:
        return self.retrieve_many([query], k, sources=sources)[0]

    def retrieve_many(self, queries: list[str], k: int = 5, *, sources: list[str] | None = None) -> list[Retrieval]:
        """Several queries at once (the batch CLI): query embeddings are computed in one call."""
        if k < 1:
            raise InvalidInput("k は 1 以上にしてください。", "k must be at least 1")
        for q in queries:
            if not q or not q.strip():
                raise InvalidInput("質問が空です。", "the query is empty")
        allowed = None if sources is None else np.isin(self._sources, list(sources))
        dense_ranks: list[list[tuple[int, float]] | None] = [None] * len(queries)
        notices = list(self.notices)
        if self.mode == "hybrid":
            try:
                vectors = self._embedder.embed_queries(list(queries))  # type: ignore[union-attr]
                for n, vector in enumerate(vectors):
                    dense_ranks[n] = self._dense(vector, sources)
            except Exception as err:  # noqa: BLE001 - a vanished Chroma server must not crash a review
                message = (f"ベクトル検索が使えないため、キーワード検索のみで答えています / "
                           f"vector search failed ({type(err).__name__}); lexical results only")
                sys.stderr.write(f"coach: warning: {message}\n")
                notices.append(message)
        out = []
        for n, query in enumerate(queries):
            lexical = self._lexical(query, allowed)
            fused = fuse(lexical, dense_ranks[n])
            passages = [
                Passage(**self.chunks[i].model_dump(exclude={"terms"}), score=round(score, 6))
                for i, score in fused[:k]
            ]
            mode: Literal["hybrid", "lexical"] = "hybrid" if dense_ranks[n] is not None else "lexical"
            out.append(Retrieval(passages=passages, mode=mode, notices=notices))
        return out

    def _lexical(self, query: str, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        scores = self._bm25.scores(query_terms(query))  # the question's words + the plain-language bridge
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:CANDIDATES]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def _dense(self, vector: np.ndarray, sources: list[str] | None) -> list[tuple[int, float]]:
        where = {"source": {"$in": list(sources)}} if sources else None
        n = min(CANDIDATES, len(self.chunks))
        if n == 0:
            return []
        with self._lock:  # one HTTP/embedded query at a time per retriever
            result = self._collection.query(  # type: ignore[union-attr]
                query_embeddings=[vector.tolist()], n_results=n, where=where, include=["distances"]
            )
        return [(self._by_id[cid], 1.0 - float(dist))
                for cid, dist in zip(result["ids"][0], result["distances"][0]) if cid in self._by_id]

    def as_langchain(self, k: int = 5, *, sources: list[str] | None = None) -> CoachLangChainRetriever:
        return CoachLangChainRetriever(corpus=self, k=k, sources=sources)


def fuse(lexical: list[tuple[int, float]], dense: list[tuple[int, float]] | None,
         lexical_weight: float = LEXICAL_WEIGHT) -> list[tuple[int, float]]:
    """Convex combination of normalised scores.

    Reciprocal-rank fusion throws the scores away, and here they matter: BM25 is often decisive
    (one passage scores 3x the next) while e5's cosines sit in a narrow band (0.80–0.85), so a
    rank-only fusion lets a near-tie in the dense list outvote a clear lexical winner. BM25 is
    divided by its best score; cosine is min-max scaled over the candidates. A passage missing
    from one list gets 0 from it.
    """
    scores: dict[int, float] = {}
    if lexical:
        top = lexical[0][1] or 1.0
        for idx, value in lexical:
            scores[idx] = lexical_weight * value / top
    if not dense:
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    values = [v for _, v in dense]
    hi, lo = max(values), min(values)
    for idx, value in dense:
        scores[idx] = scores.get(idx, 0.0) + (1 - lexical_weight) * (value - lo) / ((hi - lo) or 1.0)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _langchain_base():
    from langchain_core.retrievers import BaseRetriever

    return BaseRetriever


class CoachLangChainRetriever(_langchain_base()):  # type: ignore[misc]
    """The corpus retriever as a LangChain ``BaseRetriever`` (documents carry their provenance)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    corpus: Any
    k: int = 5
    sources: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager=None):
        from langchain_core.documents import Document

        retrieval = self.corpus.retrieve(query, self.k, sources=self.sources)
        return [
            Document(
                page_content=p.text,
                metadata={"source": p.source, "section": p.section, "start": p.start, "end": p.end,
                          "score": p.score, "chunk_id": p.chunk_id, "mode": retrieval.mode},
            )
            for p in retrieval.passages
        ]


# --- opening -----------------------------------------------------------------------------------

_cache: dict[tuple, tuple[float, CorpusRetriever]] = {}
_cache_lock = threading.Lock()


def _cache_key(settings: Settings, allow_lexical_fallback: bool) -> tuple:
    return (str(settings.data_dir.resolve()), str(settings.corpus_dir.resolve()), settings.chroma_url,
            settings.collection, settings.embeddings, settings.embedding_model, allow_lexical_fallback)


def _forget_cached(settings: Settings) -> None:
    with _cache_lock:
        for key in [k for k in _cache if k[0] == str(settings.data_dir.resolve())]:
            del _cache[key]


def open_retriever(settings: Settings, *, allow_lexical_fallback: bool = False) -> CorpusRetriever:
    """The retriever for the persisted index (cached per process; reopened after an ingest).

    No index: ``IndexNotReady``, or with ``allow_lexical_fallback`` an in-memory BM25 index built
    straight from the corpus. Index built by another embedder: ``IndexNotReady``. Chroma server
    unreachable: lexical retrieval over the locally stored chunks, with a notice.
    """
    manifest_path = _index_dir(settings) / "manifest.json"
    stamp = manifest_path.stat().st_mtime if manifest_path.exists() else -1.0
    key = _cache_key(settings, allow_lexical_fallback)
    with _cache_lock:
        hit = _cache.get(key)
        if hit and hit[0] == stamp:
            return hit[1]
        retriever = _open(settings, allow_lexical_fallback)
        _cache[key] = (stamp, retriever)
        return retriever


def _open(settings: Settings, allow_lexical_fallback: bool) -> CorpusRetriever:
    manifest = _read_manifest(settings)
    chunks = _read_chunks(settings) if manifest else []
    if manifest is None or not chunks:
        if not allow_lexical_fallback:
            raise IndexNotReady(
                "検索インデックスがありません。`coach ingest` を実行してください。",
                "no search index yet; run `coach ingest`",
            )
        return lexical_retriever_from_corpus(settings)
    _check_embedder_settings(settings, manifest)
    try:
        from ingest import store

        client = store.connect(settings)
    except BackendUnavailable as err:
        notice = (f"Chroma サーバーに接続できないため、キーワード検索のみで答えています / {err.message_en}; "
                  "lexical results only")
        sys.stderr.write(f"coach: warning: {notice}\n")
        return CorpusRetriever(chunks, notices=[notice])
    embedder = get_embedder(settings)
    if embedder.identity != manifest.embedding:
        raise _mismatch(manifest.embedding, embedder.identity)
    try:
        collection = client.get_collection(settings.collection)
    except Exception as err:
        raise IndexNotReady(
            "ベクトルのコレクションが見つかりません。`coach ingest` を実行してください。",
            f"collection '{settings.collection}' not found; run `coach ingest`",
        ) from err
    stored = collection.metadata or {}
    if stored.get("embedding_model") != manifest.embedding.model or stored.get("embedding_dim") != manifest.embedding.dim:
        raise _mismatch(EmbedderIdentity(backend=str(stored.get("embedding_backend")),
                                         model=str(stored.get("embedding_model")),
                                         dim=int(stored.get("embedding_dim") or 0)), embedder.identity)
    notices = []
    count = collection.count()
    if count != len(chunks):
        notices.append(f"インデックスが不完全です({count}/{len(chunks)})。`coach ingest` を実行してください / "
                       f"index incomplete ({count} of {len(chunks)} vectors); run `coach ingest`")
    return CorpusRetriever(chunks, collection=collection, embedder=embedder, notices=notices)


def _check_embedder_settings(settings: Settings, manifest: _Manifest) -> None:
    """Catch a backend/model change before loading any model."""
    built = manifest.embedding
    if settings.embeddings != built.backend or (
        settings.embeddings == "sentence-transformers" and settings.embedding_model != built.model
    ):
        raise _mismatch(built, EmbedderIdentity(backend=settings.embeddings,
                                                model=settings.embedding_model or "?", dim=0))


def _mismatch(built: EmbedderIdentity, configured: EmbedderIdentity) -> IndexNotReady:
    return IndexNotReady(
        f"インデックスは別の埋め込みモデル({built.backend}: {built.model}, {built.dim}次元)で作られています。"
        f"現在の設定({configured.backend}: {configured.model})で使うには `coach ingest` で作り直してください。",
        f"the index was built with {built.backend} '{built.model}' ({built.dim} dims) but the settings ask for "
        f"{configured.backend} '{configured.model}'; run `coach ingest` to rebuild it, or set "
        f"COACH_EMBEDDINGS/COACH_EMBEDDING_MODEL back",
    )


_corpus_cache: dict[tuple, CorpusRetriever] = {}


def lexical_retriever_from_corpus(settings: Settings) -> CorpusRetriever:
    """BM25 over the corpus, chunked in memory (no embeddings): a few seconds, no ingest needed."""
    if not settings.corpus_dir.is_dir():
        raise IndexNotReady(
            f"検索インデックスがなく、コーパスのフォルダ「{settings.corpus_dir}」もありません。"
            "COACH_CORPUS_DIR を確認して `coach ingest` を実行してください。",
            f"no search index and no corpus folder at '{settings.corpus_dir}'; check COACH_CORPUS_DIR "
            "and run `coach ingest`",
        )
    paths = corpus_files(settings.corpus_dir)
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    if key in _corpus_cache:
        return _corpus_cache[key]
    chunks: list[_StoredChunk] = []
    skipped = []
    for path in paths:
        try:
            chunks.extend(_chunk_file(path, path.relative_to(settings.corpus_dir).as_posix()))
        except UnreadableDocument as err:
            skipped.append(err.message)
    notice = ("検索インデックスがまだないため、キーワード検索のみで答えています。`coach ingest` で精度が上がります / "
              "no index yet: lexical (BM25) results only; run `coach ingest` for hybrid search")
    retriever = CorpusRetriever(chunks, notices=[notice] + skipped)
    _corpus_cache[key] = retriever
    return retriever
