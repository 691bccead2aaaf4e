"""Playbook and corpus passages that back each verdict and each missing checklist item.

Every ``Citation.text`` is a verbatim substring of an indexed chunk (contract): a long chunk is cut
to its most relevant sentence(s) by offset, never paraphrased. The queries for the four points and
for the checklist items are fixed, so their answers are looked up once per process and shared by
every review in it (a batch of 60 drafts asks the index ~20 questions, not 60 × 20).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from coach.checklist import ITEMS, ChecklistItem, items_for
from coach.models import Citation, CriterionName

if TYPE_CHECKING:
    from ingest.models import Passage

log = logging.getLogger(__name__)

PLAYBOOK_PREFIX = "playbook/"
KITAKYUSHU_PREFIX = "kitakyushu/"

# The playbook's own statement of each point: heading marker in the chunk's section, and a query
# that finds it by words as well as by meaning.
POINT_OF: dict[CriterionName, tuple[str, str]] = {
    "issue_driven": ("POINT.1", "POINT.1 「課題ドリブン」での提案を徹底すること プロダクトアウト型の提案は行政には響きません"),
    "why_this_city": ("POINT.2", "POINT.2 「なぜこの自治体なのか」を明確にすること 全国一律・汎用的な提案はただの営業"),
    "one_solution": ("POINT.3", "POINT.3 「1提案 = 1ソリューション」の原則 この部署・この課題に対して"),
    "cost_split": ("POINT.4", "POINT.4 役割分担・費用負担をクリアにし、現実的な共創の設計をすること トライアル導入や実証実験"),
}

# A citation longer than this is cut to the best sentences of its chunk.
_MAX_CITATION_CHARS = 320
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[」』）)]*|$)")
_BLOCK_BREAK = re.compile(r"\n(?=[ \t]*(?:[-*+|#>]|\d+[.)]|\n))")


class PassageSource(Protocol):
    """What the finder needs from ``ingest.index.CorpusRetriever``."""

    def retrieve(self, query: str, k: int = 5, *, sources: list[str] | None = None): ...


class CitationFinder:
    """Looks passages up through a retriever and turns them into citations, with a per-process
    cache for the fixed queries. Thread-safe: the API may review in a thread pool."""

    def __init__(self, retriever: PassageSource, *, cache_dir: Path | None = None, embedder_id: str = ""):
        self._retriever = retriever
        self._cache_dir = cache_dir
        self._embedder_id = embedder_id
        self._cache: dict[tuple[str, str | None, int], list[Passage]] = {}
        self._local_cache: dict[str, Citation | None] = {}
        self._lock = threading.Lock()
        self._warmed = False
        self._collector = threading.local()

    # --- notices ----------------------------------------------------------------------------

    @contextmanager
    def lookups(self) -> Iterator[list[str]]:
        """Collect, for the lookups made inside (one review, on this thread), what the user must
        be told about how the passages were found: the retriever's standing notices (e.g. an index
        opened without Chroma) and any fault met on the way (Chroma gone mid-life).

        Per review, not per process: a fault that has passed must stop being reported, and reviews
        running in parallel threads must not see each other's notices."""
        notices = list(getattr(self._retriever, "notices", None) or [])
        self._collector.notices = notices
        try:
            yield notices
        finally:
            self._collector.notices = None

    @property
    def notices(self) -> list[str]:
        """The notices collected so far inside :meth:`lookups` (the standing ones outside it)."""
        current = getattr(self._collector, "notices", None)
        return list(current) if current is not None else list(getattr(self._retriever, "notices", None) or [])

    def _note(self, notices: Iterable[str]) -> None:
        current = getattr(self._collector, "notices", None)
        if current is None:
            return
        for notice in notices:
            if notice not in current:
                current.append(notice)

    # --- lookups --------------------------------------------------------------------------

    def passages(self, query: str, *, prefer: str | None = None, k: int = 8) -> list[Passage]:
        """Passages for ``query``, those whose source starts with ``prefer`` first (stable)."""
        if not self._warmed:
            self.warm()
        key = (query, prefer, k)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        retrieval = self._retriever.retrieve(query, k=k)
        return self._store(key, retrieval)

    def _store(self, key: tuple[str, str | None, int], retrieval) -> list[Passage]:
        notices = list(getattr(retrieval, "notices", None) or [])
        self._note(notices)
        found = list(retrieval.passages)
        prefer = key[1]
        if prefer:
            found.sort(key=lambda p: not p.source.startswith(prefer))
        standing = getattr(self._retriever, "notices", None) or []
        if all(n in standing for n in notices):
            # Only a complete answer is kept for the life of the process; one degraded by a
            # passing fault (vector search down) is asked again next time.
            with self._lock:
                self._cache[key] = found
        return found

    def warm(self) -> None:
        """Answer every fixed query at once: from the on-disk cache when it matches this index,
        else in one batched embedding call (a query embedded alone costs about as much as eight
        embedded together) whose answers are then cached on disk for the next process.

        Queries whose answer was degraded by a fault stay out of the cache; the next lookup asks
        them again one by one (the process is warm once, not retried in a loop)."""
        self._warmed = True
        keys = [(query, PLAYBOOK_PREFIX, 8) for _, query in POINT_OF.values()]
        keys += [(item.query, PLAYBOOK_PREFIX, 8) for item in ITEMS.values()]
        keys = [key for key in dict.fromkeys(keys) if key not in self._cache]
        many = getattr(self._retriever, "retrieve_many", None)
        if not keys or many is None:
            return
        queries = [q for q, _, _ in keys]
        disk = self._disk_path(queries)
        cached = _load_cached(disk, self._retriever) if disk else None
        if cached is not None and set(cached) >= set(queries):
            for key in keys:
                self._store(key, _CachedRetrieval(cached[key[0]]))
            return
        retrievals = many(queries, k=8)
        for key, retrieval in zip(keys, retrievals):
            self._store(key, retrieval)
        if disk is not None and all(getattr(r, "mode", "") == "hybrid" for r in retrievals):
            _save_cached(disk, {q: r.passages for q, r in zip(queries, retrievals)})

    def _disk_path(self, queries: list[str]) -> Path | None:
        """Where the fixed queries' answers for *this* index live: the name hashes the chunk ids
        (content hashes), the embedder and the queries, so any re-ingest or change misses."""
        if self._cache_dir is None or getattr(self._retriever, "mode", None) != "hybrid":
            return None
        chunks = getattr(self._retriever, "chunks", None)
        if not chunks:
            return None
        h = hashlib.sha256(_CACHE_VERSION.encode())
        for chunk in chunks:
            h.update(chunk.chunk_id.encode())
        h.update(json.dumps([self._embedder_id, queries], ensure_ascii=False).encode())
        return self._cache_dir / f"citations-{h.hexdigest()[:20]}.json"

    def for_point(self, criterion: CriterionName) -> Citation | None:
        """The playbook's POINT.n passage for a criterion (the best playbook passage otherwise)."""
        marker, query = POINT_OF[criterion]
        found = self.passages(query, prefer=PLAYBOOK_PREFIX)
        for passage in found:
            if passage.source.startswith(PLAYBOOK_PREFIX) and (span := point_span(passage.text, marker)):
                return _citation(passage, *span)
        return cite(found[0], query) if found else None

    def for_item(self, item: ChecklistItem) -> Citation | None:
        found = self.passages(item.query, prefer=PLAYBOOK_PREFIX)
        return cite(found[0], item.query) if found else None

    def for_local(self, terms: Iterable[str]) -> Citation | None:
        """A passage of the city's own documents about the places/field the draft names.

        Matched by words over the indexed chunks (no embedding): the terms are place names and
        bureau keywords, which either appear in a passage or not, and a per-draft query embedding
        would cost more than the rest of the review."""
        wanted = [t for t in dict.fromkeys(_compact(t) for t in terms if t) if len(t) >= 2]
        if not wanted:
            return None
        key = " ".join(wanted)
        with self._lock:
            if key in self._local_cache:
                return self._local_cache[key]
        chunks = getattr(self._retriever, "chunks", None)
        best = None
        if chunks is not None:
            best_score = 0.0
            for chunk in chunks:
                if not chunk.source.startswith(KITAKYUSHU_PREFIX) or chunk.source.endswith("sources.md"):
                    continue
                body = _compact(chunk.text)
                score = sum(len(t) * min(body.count(t), 3) for t in wanted)
                score += sum(len(t) for t in wanted if t in _compact(chunk.section))
                if score > best_score:
                    best, best_score = chunk, score
        citation = cite(best, key) if best is not None else None
        with self._lock:
            self._local_cache[key] = citation
        return citation

    def for_criterion(
        self,
        criterion: CriterionName,
        missing: Iterable[str] = (),
        *,
        local_terms: Iterable[str] = (),
        limit: int = 3,
    ) -> list[Citation]:
        """POINT.n first, then passages for the missing items (and, for why_this_city, a local
        passage), without repeats, at most ``limit``."""
        out: list[Citation] = []
        seen: set[str] = set()

        def add(citation: Citation | None) -> None:
            if citation is None or len(out) >= limit:
                return
            key = _compact(citation.text)
            if any(key in other or other in key for other in seen):
                return
            seen.add(key)
            out.append(citation)

        add(self.for_point(criterion))
        if criterion == "why_this_city":
            # The city's own words about the draft's place or field: the material to connect to.
            add(self.for_local(local_terms))
        for key in missing:
            item = ITEMS.get(key)
            if item is not None and item.criterion == criterion:
                add(self.for_item(item))
        if not out:  # never leave a criterion unbacked while the index can answer at all
            for item in items_for(criterion):
                add(self.for_item(item))
                if out:
                    break
        return out



# --- the on-disk cache of the fixed queries' answers ------------------------------------------

_CACHE_VERSION = "citations-cache-1"


class _CachedRetrieval:
    def __init__(self, passages: list[Passage]):
        self.passages = passages
        self.notices: list[str] = []


def _load_cached(path: Path, retriever) -> dict[str, list[Passage]] | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    from ingest.models import Passage

    by_id = {c.chunk_id: c for c in retriever.chunks}
    out: dict[str, list[Passage]] = {}
    for query, hits in raw.items():
        passages = []
        for chunk_id, score in hits:
            chunk = by_id.get(chunk_id)
            if chunk is None:  # cannot happen for a matching key; treat as a miss, not an error
                return None
            passages.append(Passage(chunk_id=chunk.chunk_id, text=chunk.text, source=chunk.source,
                                    section=chunk.section, start=chunk.start, end=chunk.end, score=score))
        out[query] = passages
    return out


def _save_cached(path: Path, answers: dict[str, list[Passage]]) -> None:
    data = {q: [[p.chunk_id, p.score] for p in passages] for q, passages in answers.items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".citations-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
    except OSError as err:  # a read-only data dir only costs speed
        log.info("citation cache not written (%s)", err)


# --- cutting a chunk to its relevant sentences ------------------------------------------------


def cite(passage: Passage, query: str) -> Citation:
    """A citation of ``passage``: the whole chunk when short, else its sentences most related to
    ``query``. The text is always ``passage.text[a:b]`` for some a, b."""
    return _citation(passage, *best_span(passage.text, query))


_POINT_MARK = re.compile(r"POINT\s*[.．]\s*(\d)")


def point_span(text: str, marker: str) -> tuple[int, int] | None:
    """Offsets of the playbook's statement of one POINT inside a chunk: from its ``POINT.n``
    heading to the next POINT heading (or the end), cut at a sentence end if too long."""
    marks = list(_POINT_MARK.finditer(text))
    wanted = marker.rsplit(".", 1)[-1]
    for i, m in enumerate(marks):
        if m.group(1) != wanted:
            continue
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        column = text.find("\nコラム", m.end(), end)  # the playbook's column follows POINT.4
        if column > 0:
            end = column
        a, b = _trim(text, m.start(), end)
        if b - a > 2 * _MAX_CITATION_CHARS:
            stop = text.rfind("。", a, a + 2 * _MAX_CITATION_CHARS)
            if stop > a:
                b = stop + 1
        return (a, b) if b - a > len(m.group(0)) + 5 else None
    return None


def _citation(passage: Passage, a: int, b: int) -> Citation:
    return Citation(
        source=passage.source,
        section=_section_at(passage, a),
        text=passage.text[a:b],
        start=passage.start + a,
        end=passage.start + b,
    )


def _section_at(passage: Passage, a: int) -> str:
    """The chunk's heading path, corrected when the quoted text sits under a later POINT.n heading
    inside the same chunk (the chunker may keep several short POINTs under the first's heading)."""
    marks = [m for m in _POINT_MARK.finditer(passage.text) if m.start() <= a]
    if not marks:
        return passage.section
    mark = marks[-1]
    label = f"POINT.{mark.group(1)}"
    if label in passage.section:
        return passage.section
    lines = [ln.strip() for ln in passage.text[mark.start():].splitlines() if ln.strip()]
    heading = " ".join(lines[:2] if lines and len(lines[0]) < 12 else lines[:1])[:60]
    parent = passage.section.rsplit(" › ", 1)[0] if "POINT" in passage.section else passage.section
    return f"{parent} › {heading}"


def best_span(text: str, query: str, max_chars: int = _MAX_CITATION_CHARS) -> tuple[int, int]:
    """Offsets of the run of sentences in ``text`` that shares most with ``query``, trimmed of
    surrounding whitespace and at most ``max_chars`` long unless one sentence is longer."""
    whole = _trim(text, 0, len(text))
    if whole[1] - whole[0] <= max_chars:
        return whole
    spans = _sentence_spans(text)
    if not spans:
        return whole
    wanted = _bigrams(query)
    scores = [len(_bigrams(text[a:b]) & wanted) for a, b in spans]
    best = max(range(len(spans)), key=lambda i: (scores[i], -i))
    lo = hi = best
    # Grow to the neighbours while they help and the cut stays short: a lone 20-character
    # sentence rarely makes sense without the one before or after it.
    while True:
        grew = False
        for cand in (hi + 1, lo - 1):
            if 0 <= cand < len(spans):
                new_lo, new_hi = min(lo, cand), max(hi, cand)
                if spans[new_hi][1] - spans[new_lo][0] <= max_chars and (
                    scores[cand] > 0 or spans[hi][1] - spans[lo][0] < 80
                ):
                    lo, hi, grew = new_lo, new_hi, True
                    break
        if not grew:
            break
    return spans[lo][0], spans[hi][1]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of a chunk with offsets. Markdown line structure (bullets, table rows, headings,
    blank lines) also ends a sentence; a plain line break does not (the playbook's PDF text wraps
    mid-sentence)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    breaks = [m.start() for m in _BLOCK_BREAK.finditer(text)] + [len(text)]
    for end in breaks:
        for m in _SENTENCE.finditer(text, pos, end):
            if m.end() > m.start():
                a, b = _trim(text, m.start(), m.end())
                if b > a:
                    spans.append((a, b))
        pos = end
    return spans


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _bigrams(text: str) -> set[str]:
    t = _compact(text)
    return {t[i : i + 2] for i in range(len(t) - 1)}
