"""A draft prepared once for all the criterion judges: sentences, tokens, language, and the
spans that address the reviewer (prompt injection), which the judges must ignore."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from coach.models import Evidence, Language
from ingest.japanese import Sentence, Token, detect_language, split_sentences, tokenize

if TYPE_CHECKING:
    from coach.analysis.layout import Layout


@dataclass
class Draft:
    text: str
    route: str | None = None
    language: Language = "ja"
    sentences: list[Sentence] = field(default_factory=list)
    # Sentences that talk to the reviewer/AI. Judges skip them so they cannot change a verdict.
    injected: list[Sentence] = field(default_factory=list)

    @classmethod
    def prepare(cls, text: str, route: str | None = None) -> Draft:
        from coach.analysis.injection import find_injected_sentences

        sentences = split_sentences(text)
        injected = find_injected_sentences(sentences)
        # An injected span may be part of a sentence (a bracketed aside, one English sentence
        # of a paragraph): drop only the sentences it covers whole; the judges read
        # ``judged_text``, where every injected span is blanked anyway.
        return cls(
            text=text,
            route=route,
            language="ja" if detect_language(text) == "ja" else "en",
            sentences=[
                s for s in sentences if not any(i.start <= s.start and s.end <= i.end for i in injected)
            ],
            injected=injected,
        )

    @cached_property
    def tokens(self) -> list[Token]:
        """Tokens of the judged sentences only (injected sentences excluded)."""
        out: list[Token] = []
        for s in self.sentences:
            for t in tokenize(s.text):
                out.append(Token(t.surface, t.normalized, t.dictionary, t.pos,
                                 t.start + s.start, t.end + s.start))
        return out

    @cached_property
    def layout(self) -> Layout:
        """Headings, sections and letterhead of the draft, for the judges that read structure."""
        from coach.analysis.layout import Layout

        return Layout(self)

    @cached_property
    def judged_text(self) -> str:
        """The draft with injected sentences blanked out (same length, so offsets still hold)."""
        chars = list(self.text)
        for s in self.injected:
            for i in range(s.start, s.end):
                if not chars[i].isspace():
                    chars[i] = " "
        return "".join(chars)

    @cached_property
    def normalized(self) -> str:
        """NFKC of judged_text, for pattern matching. NFKC can change length; use it only for
        yes/no tests and map spans through ``evidence_for`` on the original text."""
        return unicodedata.normalize("NFKC", self.judged_text)

    def evidence(self, start: int, end: int, signal: str | None = None) -> Evidence:
        return Evidence(start=start, end=end, text=self.text[start:end], signal=signal)

    def sentence_evidence(self, sentence: Sentence, signal: str | None = None) -> Evidence:
        return self.evidence(sentence.start, sentence.end, signal)
