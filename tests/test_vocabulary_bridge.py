"""The plain-language ↔ 行政用語 bridge (ingest/vocabulary/plain_to_admin.tsv) and how the lexical
query uses it. Real Sudachi, the real shipped table and the real corpus; no index is needed."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingest.index import corpus_files
from ingest.lexical import BM25, BRIDGE_WEIGHT, lexical_terms, query_terms
from ingest.vocabulary import VocabularyBridge, load_bridge, parse_table

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def test_the_shipped_table_loads_with_a_useful_number_of_concepts():
    bridge = load_bridge()
    assert 60 <= len(bridge.entries) <= 150
    for entry in bridge.entries:
        assert entry.plain and entry.admin and entry.note, f"row at line {entry.line} is incomplete"
    assert load_bridge() is bridge  # read once per process


def test_every_admin_term_occurs_in_the_corpus():
    corpus = "".join(_norm(p.read_text(encoding="utf-8")) for p in corpus_files(CORPUS))
    missing = sorted({(e.line, term) for e in load_bridge().entries for term in e.admin if _norm(term) not in corpus})
    assert not missing, f"admin terms that never occur in corpus/ (line, term): {missing}"


@pytest.mark.parametrize(
    ("question", "admin"),
    [
        ("市はお金を出してもらえるのでしょうか？", "財政負担"),
        ("役所のどの部署に相談すればいいですか", "担当部署"),
        ("まずは試しにやってみたいのですが", "実証実験"),
        ("Is there a subsidy for a pilot project?", "補助金"),
        ("Which department should we contact?", "担当部署"),
    ],
)
def test_a_plain_question_gets_the_admin_terms_at_a_lower_weight(question, admin):
    terms = query_terms(question)
    own = set(lexical_terms(question))
    bridged = [t for t in lexical_terms(admin) if t not in own]
    assert bridged, f"{admin} adds nothing new to {question!r}"
    for term in bridged:
        assert terms.get(term) == pytest.approx(BRIDGE_WEIGHT), (term, terms)
    assert all(terms[t] == 1.0 for t in own)
    assert 0 < BRIDGE_WEIGHT < 1


def test_the_question_own_terms_are_unchanged_and_bridge_can_be_switched_off():
    question = "事業費はお金を出してもらえるのでしょうか？"
    assert list(query_terms(question, bridge=False)) == list(dict.fromkeys(lexical_terms(question)))
    assert set(query_terms(question)) > set(query_terms(question, bridge=False))


def test_a_question_without_plain_wording_is_not_expanded():
    question = "包括連携協定の締結に必要な庁内調整の流れ"
    assert load_bridge().admin_terms(question) == []
    assert query_terms(question) == query_terms(question, bridge=False)


def test_exact_words_outrank_bridged_words():
    # Two passages of equal length and equally rare words: one has the asker's own word (試し), the
    # other only the administrative word the bridge adds for it (トライアル). The asker's wins.
    question = "まずは試しにやらせてもらえますか"
    assert "トライアル" in load_bridge().admin_terms(question)
    filler = [lexical_terms(t) for t in ("市の予算の話", "議会の日程", "公園の管理", "港湾の整備", "人口の推移")]
    exact, bridged = lexical_terms("試しの導入"), lexical_terms("トライアルの導入")
    scores = BM25([exact, bridged, *filler]).scores(query_terms(question))
    assert scores[1] > 0, "the bridged passage should still be found"
    assert scores[0] > scores[1]


def test_english_keys_match_whole_words_only():
    bridge = VocabularyBridge(parse_table("fee|pilot\t使用料\tnote\n"))
    assert bridge.matches("What is the fee?") and bridge.matches("a PILOT project")
    assert not bridge.matches("We got feedback from the autopilot team")


def test_japanese_keys_match_across_whitespace_and_width():
    bridge = VocabularyBridge(parse_table("どの部署\t担当部署\tnote\n"))
    assert bridge.admin_terms("どの 部署 ですか") == ["担当部署"]


def test_a_malformed_row_fails_loudly():
    with pytest.raises(ValueError, match="3 tab-separated columns"):
        parse_table("お金\t財政負担\n")
    with pytest.raises(ValueError, match="plain words and admin terms"):
        parse_table("|\t財政負担\tnote\n")

