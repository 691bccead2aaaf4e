"""The Kitakyushu gazetteer is built from the real corpus notes (and follows them when they
change), is cached in the data dir, and finds our places and other cities in real drafts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.analysis import gazetteer as gz
from coach.analysis.draft import Draft
from coach.analysis.gazetteer import (
    extract_gazetteer,
    find_other_cities,
    find_places,
    load_gazetteer,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fresh_caches():
    gz._load.cache_clear()
    gz._matcher.cache_clear()
    yield
    gz._load.cache_clear()
    gz._matcher.cache_clear()


def test_built_from_the_corpus_notes():
    g = load_gazetteer()
    assert g.wards == ["門司区", "小倉北区", "小倉南区", "若松区", "八幡東区", "八幡西区", "戸畑区"]
    for short in ("門司", "小倉", "若松", "八幡", "戸畑"):
        assert short in g.ward_short
    assert g.strategies == ["稼げるまち", "彩りあるまち", "安らぐまち"]
    # Sector plans from the vision note's table, the reform plans from the reform note.
    assert "北九州市地域公共交通計画" in g.plans
    assert "北九州市公共施設マネジメント実行計画" in g.plans
    assert "北九州市政変革アクションプラン" in g.plans
    # Bureaus from organization.md, places from the city profile's ward table.
    assert {"港湾空港局", "保健福祉局", "財政・変革局", "都市ブランド創造局"} <= set(g.bureaus)
    assert {"門司港レトロ", "小倉城", "平尾台", "若戸大橋", "皿倉山", "北九州空港"} <= set(g.places)
    # Named initiatives quoted in the notes, and institutions named in running text.
    assert {"こどもまんなかcity宣言", "クラ弁", "福北連携", "みらい政策委員会"} <= set(g.plans)
    assert "ロボット・DX推進センター" in g.places
    # Ordinary quoted words are not initiatives.
    assert not {"グローバル", "つながり", "子育て支援", "少子高齢化"} & set(g.plans)


def test_a_new_note_adds_names_without_code_changes():
    notes = {
        "wards.md": "| 区 | 人口 |\n|---|---|\n| 門司区 | 1 |\n| 新港区 | 2 |\n",
        "plans.md": "本市は「北九州市みなと未来計画」を定め、**新港スタジアム** を整備した。\n",
    }
    g = extract_gazetteer(notes)
    assert "新港区" in g.wards and "新港" in g.ward_short
    assert "北九州市みなと未来計画" in g.plans
    assert "新港スタジアム" in g.places


def test_cache_is_written_to_the_data_dir_and_follows_corpus_changes(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus" / "kitakyushu"
    corpus.mkdir(parents=True)
    (corpus / "a.md").write_text("| 区 | x |\n|---|---|\n| 門司区 | 1 |\n", encoding="utf-8")
    monkeypatch.setenv("COACH_CORPUS_DIR", str(tmp_path / "corpus"))
    from ingest.settings import get_settings

    get_settings.cache_clear()
    assert load_gazetteer().wards == ["門司区"]
    cache = Path(get_settings().data_dir) / "gazetteer.json"
    first = json.loads(cache.read_text(encoding="utf-8"))
    assert first["gazetteer"]["wards"] == ["門司区"]

    (corpus / "a.md").write_text("| 区 | x |\n|---|---|\n| 門司区 | 1 |\n| 戸畑区 | 2 |\n", encoding="utf-8")
    gz._load.cache_clear()
    assert load_gazetteer().wards == ["門司区", "戸畑区"]
    assert json.loads(cache.read_text(encoding="utf-8"))["key"] != first["key"]


def test_a_corrupt_cache_file_is_rebuilt():
    from ingest.settings import get_settings

    cache = Path(get_settings().data_dir) / "gazetteer.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("{not json", encoding="utf-8")
    assert len(load_gazetteer().wards) == 7


def test_find_places_in_japanese_and_english_drafts():
    ja = Draft.prepare("八幡東区の斜面住宅地で、皿倉山のふもとから小倉駅までを結ぶ実証です。新ビジョンの「安らぐまち」に沿います。")
    assert find_places(ja) == ["八幡東区", "皿倉山", "小倉駅", "新ビジョン", "安らぐまち"]
    en = Draft.prepare("A pilot between Kokura Station, Mojiko and Kitakyushu Airport along the Kanmon Strait.")
    assert {"Kokura", "Mojiko", "Kitakyushu Airport", "Kanmon Strait"} <= set(find_places(en))


def test_find_places_ignores_lookalikes():
    d = Draft.prepare("会津若松市と近江八幡市での実績があり、日本市場に進出したいと考えています。")
    assert find_places(d) == []


def test_find_other_cities():
    d = Draft.prepare("福岡市の皆様へ\n当社は下関市と久留米市で実績があります。福岡県北九州市小倉北区にも拠点があります。")
    assert find_other_cities(d) == ["福岡市", "下関市", "久留米市"]  # 福岡県 is a prefecture, ours
    assert find_other_cities(Draft.prepare("〇〇市と株式会社Xとの連携協定書（案）")) == ["〇〇市"]
    # An anonymised address is not an addressee placeholder.
    assert find_other_cities(Draft.prepare("〒803-0000 北九州市小倉北区○○町1-2-3")) == []
    en = Draft.prepare("Dear Fukuoka City Transport Bureau, we also work with the City of Kitakyushu.")
    assert find_other_cities(en) == ["Fukuoka City"]


def test_dev_case_places(dev_cases):
    by_id = {c["id"]: c for c in dev_cases}
    d = Draft.prepare(by_id["devb-054"]["text"])  # addressed to 下関市 throughout
    assert "下関市" in find_other_cities(d)
    d = Draft.prepare(by_id["dev-029"]["text"])
    places = find_places(d)
    assert {"若松区", "八幡西区", "若戸渡船", "安らぐまち", "市政変革アクションプラン"} <= set(places)


def test_the_port_in_both_english_word_orders():
    # "Kitakyushu port" is as common in English drafts as "the Port of Kitakyushu"
    draft = Draft.prepare("We measured heat at two container yards in Kitakyushu port and at the Port of Kitakyushu.")
    assert {"Kitakyushu port", "Port of Kitakyushu"} <= set(find_places(draft))
    assert "Kitakyushu portal" not in find_places(Draft.prepare("Log in to the Kitakyushu portal."))
