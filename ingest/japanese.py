"""Japanese text handling shared by chunking, BM25 and the draft analyzer.

Sudachi gives surface offsets, so every token and sentence can be mapped back to the exact
characters of the source: evidence spans and citations depend on that.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Sentence ends: Japanese and Western terminators, and line breaks (drafts are often bulleted).
_SENTENCE_END = re.compile(r"[。！？!?]+[」』）)]*|\n+")
# Sudachi refuses inputs over ~49,149 bytes; tokenise long texts in pieces of this many chars.
_SUDACHI_MAX_CHARS = 12_000
# Parts of speech that carry no search or analysis meaning.
_DROP_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    normalized: str  # Sudachi's normalized form (表記ゆれ folded: 為る, 成る, 2 …)
    dictionary: str
    pos: tuple[str, ...]
    start: int  # character offsets into the text given to tokenize()
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


_local = threading.local()


def _tokenizer():
    # Sudachi tokenizers are not thread-safe; one per thread is cheap (~150 ms once).
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import Dictionary

        tok = Dictionary(dict="core").tokenizer()
        _local.tokenizer = tok
    return tok


def _chunks_for_sudachi(text: str):
    """Yield (offset, piece) with pieces short enough for Sudachi, cut at line/sentence ends."""
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + _SUDACHI_MAX_CHARS)
        if end < len(text):
            cut = max(text.rfind("\n", pos, end), text.rfind("。", pos, end))
            if cut > pos:
                end = cut + 1
        yield pos, text[pos:end]
        pos = end


def tokenize(text: str, *, mode: str = "C") -> list[Token]:
    """All tokens of ``text`` with offsets into it. Mode C keeps compounds (八幡東区, 住宅地)."""
    from sudachipy import SplitMode

    split = {"A": SplitMode.A, "B": SplitMode.B, "C": SplitMode.C}[mode]
    tok = _tokenizer()
    out: list[Token] = []
    for offset, piece in _chunks_for_sudachi(text):
        for m in tok.tokenize(piece, split):
            out.append(
                Token(
                    surface=m.surface(),
                    normalized=m.normalized_form(),
                    dictionary=m.dictionary_form(),
                    pos=tuple(m.part_of_speech()),
                    start=offset + m.begin(),
                    end=offset + m.end(),
                )
            )
    return out


def content_terms(text: str, *, mode: str = "C") -> list[str]:
    """Normalized content words for lexical search: particles, auxiliaries and symbols dropped."""
    terms = []
    for t in tokenize(text, mode=mode):
        if t.pos[0] in _DROP_POS or not t.surface.strip():
            continue
        terms.append(nfkc_lower(t.normalized))
    return terms


def nfkc_lower(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def split_sentences(text: str) -> list[Sentence]:
    """Sentences (or lines) with exact offsets; surrounding whitespace is trimmed from each span."""
    out: list[Sentence] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end() if not m.group().startswith("\n") else m.start()
        _append_trimmed(text, pos, end, out)
        pos = m.end()
    _append_trimmed(text, pos, len(text), out)
    return out


def _append_trimmed(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(text=text[start:end], start=start, end=end))


@lru_cache(maxsize=1)
def _japanese_re() -> re.Pattern[str]:
    return re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def detect_language(text: str) -> str:
    """'ja' when a meaningful share of letters is kana/kanji, else 'en'."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "ja"
    ja = sum(1 for c in letters if _japanese_re().match(c))
    return "ja" if ja / len(letters) >= 0.2 else "en"
