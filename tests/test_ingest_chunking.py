"""Structure-aware chunking on the real corpus: exact offsets, real section paths, sentence-safe cuts."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from ingest.chunking import MAX_CHARS, chunk_document, detect_headings
from ingest.index import corpus_files
from ingest.loaders import load_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PLAYBOOK = "playbook/kanmin-kyoso-playbook.txt"


@pytest.fixture(scope="module")
def playbook():
    doc = load_path(CORPUS / PLAYBOOK)
    return doc.text, chunk_document(doc.text, PLAYBOOK, kind=doc.kind)


def _chunk_containing(chunks, needle: str):
    found = [c for c in chunks if needle in c.text]
    assert found, f"no chunk contains {needle!r}"
    return found[0]


def test_every_chunk_is_an_exact_slice_of_its_source():
    for path in corpus_files(CORPUS):
        doc = load_path(path)
        source = path.relative_to(CORPUS).as_posix()
        chunks = chunk_document(doc.text, source, kind=doc.kind)
        assert chunks, source
        for c in chunks:
            assert doc.text[c.start:c.end] == c.text
            assert c.text == c.text.strip()
        # Chunks are in order and do not overlap.
        assert all(a.end <= b.start for a, b in itertools.pairwise(chunks))


def test_provenance_files_and_root_readme_are_not_content():
    names = {p.relative_to(CORPUS).as_posix() for p in corpus_files(CORPUS)}
    assert PLAYBOOK in names
    assert not any(n.lower().endswith(("source.md", "sources.md")) for n in names)
    assert "README.md" not in names


def test_point_sections_carry_their_path(playbook):
    _, chunks = playbook
    point4 = _chunk_containing(chunks, "年度途中や予算外で新たな支出")
    assert "第3部" in point4.section
    assert "官民共創を行う上で押さえていただきたいポイント" in point4.section
    assert "POINT.4" in point4.section
    assert point4.section.index("第3部") < point4.section.index("POINT.4")


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("迅速な一次確認", "STEP 2"),
        ("夜間オンコール代行サービス", "コラム"),
        ("サウンディングは、事業組成前に", "第2部"),
        ("市議会は、年に4回", "付録2"),
        ("リスク共有 Shared Risk", "第1部"),
        ("「カネ」の出所の違い", "POINT 1"),
    ],
)
def test_known_headings_become_sections(playbook, needle, expected):
    _, chunks = playbook
    assert expected in _chunk_containing(chunks, needle).section


def test_the_books_table_of_contents_gives_parts_and_appendices():
    text = load_path(CORPUS / PLAYBOOK).text
    top = [h.label for h in detect_headings(text) if h.level == 1]
    for part in ("第1部", "第2部", "第3部", "付録1", "付録2", "付録3"):
        assert any(label.startswith(part) for label in top), part


def test_hard_wrapped_paragraphs_are_not_cut_mid_sentence(playbook):
    text, chunks = playbook
    # Part 3's POINT.1–4 are hard-wrapped PDF lines; chunk edges must fall on sentence or
    # paragraph ends, never on a wrap inside a sentence.
    start = text.index("POINT.1")
    end = text.index("「行政の壁」の、その先へ", start)
    for c in chunks:
        if start <= c.end < end:
            tail = c.text.rstrip()
            assert re.search(r"[。！？」）)]$", tail) or text[c.end:c.end + 2].startswith("\n\n"), tail[-20:]


def test_markdown_headings_and_front_matter(tmp_path: Path):
    raw = (
        "---\ntitle: メモ\n---\n\n# 北九州市の概要\n\n前書きです。\n\n## 人口\n\n人口は約90万人です。"
        "高齢化が進んでいます。\n\n## 産業\n\nものづくりの街です。\n"
    )
    path = tmp_path / "memo.md"
    path.write_text(raw, encoding="utf-8")
    doc = load_path(path)
    chunks = chunk_document(doc.text, "memo.md", kind="markdown")
    assert all("title:" not in c.text for c in chunks)
    people = _chunk_containing(chunks, "約90万人")
    assert people.section == "北九州市の概要 › 人口"
    assert raw[people.start:people.end] == people.text


def test_long_sections_split_on_sentence_ends_and_ids_are_stable():
    body = "".join(f"これは{i}番目の文で、内容は官民共創の説明です。" for i in range(120))
    text = "1 長い節\n\n" + body + "\n"
    first = chunk_document(text, "long.txt")
    assert len(first) > 3
    for c in first:
        assert c.text.endswith("。")
        assert len(c.text) <= MAX_CHARS
    second = chunk_document(text, "long.txt")
    assert [c.chunk_id for c in first] == [c.chunk_id for c in second]
    assert len({c.chunk_id for c in first}) == len(first)


def test_cover_and_decoration_lines_do_not_stand_alone():
    # "官民共創 / PLAY / BOOK" and "— 第2部 — HANASHI NO NAKANI …" carry no answer; alone they were
    # 14- and 57-character chunks that BM25 ranked above real passages.
    for path in corpus_files(CORPUS):
        doc = load_path(path)
        for c in chunk_document(doc.text, path.name, kind=doc.kind):
            compact = re.sub(r"\s+", "", c.text)
            assert len(compact) >= 50 or re.search(r"[。！？]", compact), c.text
    text = load_path(CORPUS / PLAYBOOK).text
    first = chunk_document(text, PLAYBOOK)[0]
    assert first.text.startswith("官民共創\nPLAY\nBOOK") and "はじめに" in first.text
