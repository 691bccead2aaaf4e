#!/usr/bin/env python
"""Time `build_index` on the whole corpus: from scratch, then a second (no-op) run.

    python benchmarks/ingest_speed.py [--corpus corpus]

Uses a fresh temporary data dir (never your COACH_DATA_DIR). Prints the machine's load average
beside the figures: on a shared 2-core machine the embedding step's time depends on it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    args = ap.parse_args()

    from ingest.embeddings import get_embedder
    from ingest.index import build_index
    from ingest.settings import Settings

    with tempfile.TemporaryDirectory(prefix="coach-ingest-bench-") as data:
        settings = Settings(corpus_dir=Path(args.corpus), data_dir=Path(data), chroma_url=None)
        started = time.perf_counter()
        get_embedder(settings)
        load_s = time.perf_counter() - started
        load_before = os.getloadavg()[0]
        first = build_index(settings, progress=False)
        second = build_index(settings, progress=False)
        load_after = os.getloadavg()[0]
    print(f"model load: {load_s:.1f} s")
    print(f"first ingest: {first.files_indexed} files, {first.chunks_total} chunks in {first.seconds:.1f} s "
          f"({first.chunks_total / max(first.seconds, 1e-9):.1f} chunks/s)")
    print(f"second ingest: +{second.chunks_added} -{second.chunks_removed}, total {second.chunks_total}, "
          f"{second.seconds:.1f} s")
    print(f"1-min load average: {load_before:.1f} before, {load_after:.1f} after (2 cores)")


if __name__ == "__main__":
    main()
