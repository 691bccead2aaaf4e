"""The one gate for drafts: empty, oversized, binary and wrongly encoded input get a clear error."""

from __future__ import annotations

import pytest

from coach.intake import clean_draft, clean_with_map, decode_draft_bytes
from ingest.errors import InputTooLarge, InvalidInput, UnreadableDocument
from ingest.settings import Settings

DRAFT = "八幡東区の斜面住宅地では、高齢者の外出が難しくなっています。\n当社はAI乗合交通の実証を提案します。"


@pytest.fixture
def settings() -> Settings:
    return Settings(max_draft_chars=1000)


def test_ordinary_text_is_returned_unchanged(settings: Settings) -> None:
    assert clean_draft(DRAFT, settings) is DRAFT
    assert clean_with_map(DRAFT, settings)[1] is None


@pytest.mark.parametrize("text", ["", "   \n\t ", "\u3000\u3000", "。、！"])
def test_empty_drafts_are_refused(settings: Settings, text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        clean_draft(text, settings)
    assert "空" in err.value.message and "empty" in err.value.message


def test_too_long_draft_names_limit_and_length(settings: Settings) -> None:
    with pytest.raises(InputTooLarge) as err:
        clean_draft("あ" * 1001, settings)
    assert "1,001" in err.value.message and "1,000" in err.value.message
    assert err.value.http_status == 413


def test_hundred_thousand_characters_are_refused_quickly(settings: Settings) -> None:
    with pytest.raises(InputTooLarge) as err:
        clean_draft("課題" * 50_000, Settings())
    assert "100,000" in err.value.message


def test_newlines_and_controls_are_cleaned_and_offsets_map_back(settings: Settings) -> None:
    raw = "\ufeff課題は\r\n坂道\x00です。\r次の行"
    cleaned, index_map = clean_with_map(raw, settings)
    assert cleaned == "課題は\n坂道です。\n次の行"
    assert index_map is not None
    # every cleaned character comes from the same character (or a CR turned LF) of the raw text
    for i, ch in enumerate(cleaned):
        assert raw[index_map[i]] == ch or (ch == "\n" and raw[index_map[i]] in "\r\n")
    start = cleaned.index("坂道です")
    end = start + len("坂道です")
    assert raw[index_map[start] : index_map[end - 1] + 1] == "坂道\x00です"


def test_binary_junk_is_refused(settings: Settings) -> None:
    junk = "".join(chr(c) for c in range(32)) * 5 + "abc"
    with pytest.raises(InvalidInput) as err:
        clean_draft(junk, settings)
    assert "バイナリ" in err.value.message


def test_replacement_characters_from_a_bad_decode_are_refused(settings: Settings) -> None:
    broken = "提案\ufffd\ufffd\ufffd書\ufffd\ufffd\ufffd\ufffd\ufffd"
    with pytest.raises(InvalidInput):
        clean_draft(broken, settings)


def test_non_string_is_refused(settings: Settings) -> None:
    with pytest.raises(InvalidInput):
        clean_draft(b"bytes", settings)  # type: ignore[arg-type]


# --- files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        DRAFT.encode("utf-8"),
        b"\xef\xbb\xbf" + DRAFT.encode("utf-8"),
        DRAFT.encode("cp932"),
        DRAFT.encode("shift_jis"),
        DRAFT.encode("euc_jp"),
        DRAFT.encode("utf-16"),
    ],
    ids=["utf8", "utf8-bom", "cp932", "shift_jis", "euc-jp", "utf16-bom"],
)
def test_decode_common_japanese_encodings(raw: bytes) -> None:
    assert decode_draft_bytes(raw) == DRAFT


def test_decode_refuses_binary_files() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(InvalidInput) as err:
        decode_draft_bytes(png)
    assert "テキストファイルではない" in err.value.message


def test_decode_refuses_undecodable_bytes() -> None:
    # valid in no Japanese encoding: lone continuation bytes and an invalid lead byte
    with pytest.raises(UnreadableDocument) as err:
        decode_draft_bytes(b"\x80\x81\xff\xfe\xfd abc \xa0\xa1\xa2\xff")
    assert "UTF-8" in err.value.message


def test_decode_refuses_empty_files() -> None:
    with pytest.raises(InvalidInput):
        decode_draft_bytes(b"  \n")
