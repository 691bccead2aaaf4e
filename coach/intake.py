"""The one gate every draft passes before it is reviewed (CLI, API, uploads, batch lines).

``clean_draft`` refuses what cannot be a proposal (nothing, too much, binary junk) with a message
in Japanese and English, and tidies what can: CRLF/CR newlines become LF, NUL and other control
characters are dropped, a leading BOM is dropped. Cleaning only ever *deletes* characters or
*replaces one character by one*, so ``clean_with_map`` can map every offset of the cleaned draft
back to the submitted text: evidence spans stay offsets into what the writer submitted.

``decode_draft_bytes`` turns a file's bytes into text (UTF-8 with or without BOM, UTF-16 with BOM,
Shift_JIS/CP932, EUC-JP), refusing bytes that are not text in any of them.
"""

from __future__ import annotations

import unicodedata

from ingest.errors import InputTooLarge, InvalidInput, UnreadableDocument
from ingest.settings import Settings

# Characters kept although their Unicode category is "control/format".
_KEEP_CONTROLS = {"\n", "\t"}
# Format characters that legitimately appear in Japanese/English text (ZWJ in emoji, soft hyphen…).
_KEEP_FORMAT = {"\u200d", "\u200c", "\u00ad", "\u2060"}
# Above this share of junk characters (controls, U+FFFD, private use, unassigned) among the
# non-space characters, the input is not a draft but binary data or text decoded wrongly.
_MAX_JUNK_SHARE = 0.05
# A draft needs at least this many letters or digits to be reviewed at all.
_MIN_WORD_CHARS = 2


def clean_draft(text: str, settings: Settings) -> str:
    """The draft as the coach will read it, or a user-facing error saying why it cannot be."""
    return clean_with_map(text, settings)[0]


def clean_with_map(text: str, settings: Settings) -> tuple[str, list[int] | None]:
    """``(cleaned, index_map)``: ``index_map[i]`` is the offset in ``text`` of cleaned char ``i``
    (with one extra entry for the end). ``None`` when cleaning changed nothing, the usual case."""
    if not isinstance(text, str):
        raise InvalidInput("提案文はテキストで送ってください。", "The draft must be text.")
    limit = settings.max_draft_chars
    # Cheap guard first, so a megabyte of junk is refused before it is scanned character by character.
    if len(text) > 2 * limit:
        raise _too_large(len(text), limit)

    kept: list[str] = []
    index_map: list[int] = []
    junk = 0
    changed = False
    n = len(text)
    for i, ch in enumerate(text):
        if ch == "\r":
            changed = True
            if i + 1 < n and text[i + 1] == "\n":
                continue  # CRLF: the LF that follows is kept
            kept.append("\n")
            index_map.append(i)
            continue
        if ch == "\ufeff" and i == 0:
            changed = True
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc" and ch not in _KEEP_CONTROLS:
            changed = True
            junk += 1
            continue
        if cat in ("Co", "Cn", "Cs") or ch == "\ufffd" or cat == "Cf" and ch not in _KEEP_FORMAT and ch != "\ufeff":
            junk += 1
        elif ch in ("\u2028", "\u2029"):
            changed = True
            kept.append("\n")
            index_map.append(i)
            continue
        kept.append(ch)
        index_map.append(i)
    cleaned = "".join(kept)

    visible = sum(1 for ch in text if not ch.isspace())
    # A stray control character or two (copied from a PDF) is cleaned, not refused.
    if junk > 3 and junk / max(visible, 1) > _MAX_JUNK_SHARE:
        raise InvalidInput(
            "提案文として読める文字ではありません(バイナリデータか、文字コードの誤りの可能性があります)。"
            "UTF-8 のテキストとして貼り付けるか、保存し直してください。",
            "This does not read as text (binary data or a wrong character encoding?). "
            "Paste the draft as plain text or save it as UTF-8.",
        )
    if sum(1 for ch in cleaned if ch.isalnum()) < _MIN_WORD_CHARS:
        raise InvalidInput(
            "提案文が空です。提案の本文を入力してください。",
            "The draft is empty. Please enter the text of your proposal.",
            code="empty_draft",
        )
    if len(cleaned) > limit:
        raise _too_large(len(cleaned), limit)
    if not changed:
        return text, None
    index_map.append(n)
    return cleaned, index_map


def _too_large(length: int, limit: int) -> InputTooLarge:
    return InputTooLarge(
        f"提案文が長すぎます({length:,}文字)。{limit:,}文字以内に要約してください。",
        f"The draft is too long ({length:,} characters); the limit is {limit:,}. "
        "Please shorten it.",
    )


# --- files ---------------------------------------------------------------------------------

_JAPANESE_LEGACY = ("cp932", "euc_jp")


def decode_draft_bytes(raw: bytes) -> str:
    """Text of a draft file. Tries UTF-8 (BOM or not), UTF-16 with BOM, then CP932 (Shift_JIS)
    and EUC-JP; refuses binary data and bytes no encoding reads."""
    if not raw.strip():
        raise InvalidInput(
            "ファイルが空です。提案の本文を入れてください。",
            "The file is empty. Please put the text of your proposal in it.",
            code="empty_draft",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        return _decode(raw[3:], "utf-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(raw, "utf-16")
    if _looks_binary(raw):
        raise _not_text()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in _JAPANESE_LEGACY:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible_japanese(text):
            return text
    raise UnreadableDocument(
        "ファイルの文字コードを判別できませんでした。UTF-8 または Shift_JIS で保存し直してください。",
        "Could not tell the file's character encoding. Please save it as UTF-8 or Shift_JIS.",
    )


def _decode(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableDocument(
            f"ファイルを {encoding} として読めませんでした。UTF-8 で保存し直してください。",
            f"The file is not valid {encoding}. Please save it as UTF-8.",
        ) from None


def _looks_binary(raw: bytes) -> bool:
    """NUL bytes or many control bytes: an image, a PDF, a zip — not a text file."""
    sample = raw[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0D, 0x0C))
    return controls / len(sample) > 0.01


def _plausible_japanese(text: str) -> bool:
    """A legacy decode "succeeds" on many byte strings; accept it only if it reads as text:
    mostly kana/kanji/ASCII and no half-width-katakana soup (typical of wrong guesses)."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return False
    good = sum(
        1
        for ch in visible
        if ch.isascii() or "\u3000" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uff01" <= ch <= "\uff5e"
    )
    return good / len(visible) >= 0.9


def _not_text() -> InvalidInput:
    return InvalidInput(
        "テキストファイルではないようです(画像・PDF・圧縮ファイルなど)。提案文をテキスト(.txt)で保存してください。",
        "This is not a text file (an image, PDF or archive?). Please save the draft as plain text (.txt).",
    )
