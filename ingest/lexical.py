"""BM25 over Sudachi terms.

Terms are Sudachi *normalized* forms (表記ゆれ folded), particles/auxiliaries/symbols dropped,
lower-cased after NFKC. Compounds are indexed twice — as the long unit (mode C: 政令指定都市) and
as their short parts (mode A: 政令 / 指定 / 都市) — so a question that says 政令市 or 指定都市
still meets the passage. Each content word also contributes its SudachiDict *synonym group*
(``#syn20`` for お金/カネ, ``#syn718`` for 製品/プロダクト): writers ask in everyday words and
the playbook answers in administrative ones, and the dictionary's synonym groups bridge part of
that gap without any list written for this corpus (recall@5 of BM25 alone 0.77 → 0.83 on the
dev questions). The index is tiny (hundreds of chunks), so a plain inverted index in NumPy
scores a query in well under a millisecond.

Questions are searched with :func:`query_terms`, which adds the administrative terms of the
plain-language bridge (``ingest/vocabulary/plain_to_admin.tsv``: お金を出してもらえるか → 財政負担,
どの部署 → 担当部署) at ``BRIDGE_WEIGHT``, below the question's own words, so a passage that uses
the asker's exact words still outranks one that only shares a bridged term. Chunks are indexed
with :func:`lexical_terms` alone; the bridge is query-side only.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache

import numpy as np

from ingest.japanese import _chunks_for_sudachi, _tokenizer, nfkc_lower
from ingest.vocabulary import load_bridge

_DROP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}
# Words that appear in almost every question and say nothing about the topic. Sudachi tags most
# of them as nouns/verbs, so POS filtering alone keeps them; IDF would only partly damp them.
_STOP = {
    "する", "為る", "ある", "有る", "いる", "居る", "なる", "成る", "できる", "出来る", "れる", "られる",
    "こと", "事", "もの", "物", "よう", "様", "ため", "為", "どう", "何", "なに", "どんな", "どの",
    "どれ", "どこ", "いつ", "ない", "無い", "いい", "良い", "よい", "ください", "下さる", "思う",
    "の", "ん", "か", "ね", "よ", "さ", "て", "です", "ます", "でしょう", "くれる", "もらう", "貰う",
}


def _content(text: str, mode: str) -> list[tuple[int, int, str, tuple[int, ...]]]:
    """(start, end, normalized term, synonym groups) of the content words of ``text``."""
    from sudachipy import SplitMode

    split = SplitMode.C if mode == "C" else SplitMode.A
    tok = _tokenizer()  # the shared per-thread Sudachi tokenizer of ingest.japanese
    out = []
    for offset, piece in _chunks_for_sudachi(text):
        for m in tok.tokenize(piece, split):
            surface = m.surface()
            if m.part_of_speech()[0] in _DROP_POS or not surface.strip():
                continue
            term = nfkc_lower(m.normalized_form())
            if term in _STOP or nfkc_lower(surface) in _STOP:
                continue
            out.append((offset + m.begin(), offset + m.end(), term, tuple(m.synonym_group_ids())))
    return out


def lexical_terms(text: str) -> list[str]:
    """Search terms of ``text``: mode-C units, the mode-A parts of compounds, and the synonym
    groups of both."""
    long_units = _content(text, "C")
    terms = [term for _, _, term, _ in long_units]
    terms += [f"#syn{g}" for _, _, _, groups in long_units for g in groups]
    spans = {(s, e) for s, e, _, _ in long_units}
    for s, e, term, groups in _content(text, "A"):
        if (s, e) not in spans:
            terms.append(term)
        terms += [f"#syn{g}" for g in groups]
    return terms


# Weight of a bridged administrative term relative to the question's own terms (1.0). Measured in
# benchmarks/retrieval_variants.py (--bridge) on the dev and both paraphrase holdout sets.
BRIDGE_WEIGHT = 0.4


@lru_cache(maxsize=1024)
def _phrase_terms(phrase: str) -> tuple[str, ...]:
    # The table's admin terms recur across questions; tokenise each once per process.
    return tuple(dict.fromkeys(lexical_terms(phrase)))


def query_terms(text: str, *, bridge: bool = True, bridge_weight: float = BRIDGE_WEIGHT) -> dict[str, float]:
    """BM25 query of a question: its own terms at weight 1, then the terms of the administrative
    words the plain-language bridge finds for it at ``bridge_weight`` (a term the question already
    has keeps weight 1)."""
    weights = dict.fromkeys(lexical_terms(text), 1.0)
    if bridge:
        for phrase in load_bridge().admin_terms(text):
            for term in _phrase_terms(phrase):
                weights.setdefault(term, bridge_weight)
    return weights


class BM25:
    """Okapi BM25 with an inverted index. ``scores`` returns one float per document."""

    def __init__(self, documents: list[list[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.n = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float32)
        self.avg_len = float(lengths.mean()) if self.n else 0.0
        norm = k1 * (1 - b + b * lengths / (self.avg_len or 1.0))
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, doc in enumerate(documents):
            for term, tf in Counter(doc).items():
                postings[term].append((i, tf))
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._idf: dict[str, float] = {}
        for term, plist in postings.items():
            ids = np.fromiter((i for i, _ in plist), dtype=np.int32, count=len(plist))
            tfs = np.fromiter((tf for _, tf in plist), dtype=np.float32, count=len(plist))
            # Precompute the saturated term weight per posting; a query is then a few adds.
            self._postings[term] = (ids, tfs * (k1 + 1) / (tfs + norm[ids]))
            df = len(plist)
            self._idf[term] = math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def scores(self, query: Iterable[str] | Mapping[str, float]) -> np.ndarray:
        """Scores of every document for ``query``: a list of terms (each counted once, weight 1)
        or a mapping term → weight (as :func:`query_terms` returns)."""
        weighted = query if isinstance(query, Mapping) else dict.fromkeys(query, 1.0)
        out = np.zeros(self.n, dtype=np.float32)
        for term, weight in weighted.items():
            hit = self._postings.get(term)
            if hit is not None:
                ids, saturated = hit
                out[ids] += (weight * self._idf[term]) * saturated
        return out
