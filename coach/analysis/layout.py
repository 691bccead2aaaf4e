"""The visible structure of a draft: lines, headings, sections and its letterhead.

Proposals arrive as letters, slides, forms and e-mails. The judges for why_this_city and
cost_split need to know *where* a phrase sits: a ward in the sender's address says nothing
about why the proposal belongs in Kitakyushu, while the same ward under 「なぜ北九州市か」 does;
「市：会場の提供」 under 「役割分担」 is the city's role. Everything here keeps offsets into the
original text so evidence spans stay exact.

Matching runs on ``folded``: the judged text with each character NFKC-folded *only when that
keeps it one character long* (全角英数 → ASCII, ＡＩ → AI, ：→ :), so a regex match on the folded
text is a valid span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from coach.analysis.draft import Draft

_FOLD_CACHE: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    f = unicodedata.normalize("NFKC", ch)
    if len(f) != 1:
        f = ch
    lo = f.lower()
    out = lo if len(lo) == 1 else f
    _FOLD_CACHE[ch] = out
    return out


def fold(text: str) -> str:
    """Length-preserving NFKC + lower case: offsets into the result are offsets into ``text``."""
    cache = _FOLD_CACHE
    return "".join([cache.get(ch) or _fold_char(ch) for ch in text])


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str  # folded text of the line, trimmed
    heading: bool
    header: bool  # letterhead, address block or salutation


@dataclass(frozen=True, slots=True)
class Section:
    """A heading line and the body lines under it (until the next heading)."""

    heading: Line | None
    start: int
    end: int


# Heading shapes: 【…】, ■/◆/●/▼/＜…＞ markers, numbered titles, "Foo:" lines, slide labels.
_HEADING_START = re.compile(
    r"^(?:[【\[<＜■◆◇□▼▽▶►#]|\d{1,2}[.．、)]\s*\S|[(（]\d{1,2}[)）]|"
    r"[①-⑳]|(?:slide|スライド|p)\s*\d)", re.IGNORECASE)
_HEADING_END = re.compile(r"[:：]$")
_ORG = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|(?:npo|一般社団|公益社団|一般財団|公益財団|社会福祉|特定非営利活動|学校|医療)法人|"
    r"(?<![当本弊])(?:組合|協会|財団|社団)|大学|研究室|研究科|講座|"
    r"\binc\b|\bltd\b|\bpte\b|\bllc\b|\bco\.|\bcorp|股份|公司|〒|\btel\b|fax|mail|e-mail|"
    r"所在地|住所|本社|提案者|提案団体|代表取締役|代表理事|理事長|代表\s|営業部|事業部|推進部|"
    r"from:|submitted by|best regards|kind regards|regards,|sincerely|^敬具$|^以上$")
_SALUTATION = re.compile(
    r"御中|様へ?$|様$|ご担当|ご担当者|皆様へ|皆さまへ|各位|^dear\b|^to the\b|^hello\b|^hi\b|"
    r"^拝啓|^前略|team,$|officials,$")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
# 「株式会社X（北九州市小倉北区、2021年創業）」: the parenthesis describes the sender, not the proposal.
_ORG_PAREN = re.compile(
    r"(?:株式会社|有限会社|合同会社|npo法人|一般社団法人|特定非営利活動法人|社団法人|財団法人|"
    r"信用組合|協同組合)[^\n(（。、]{0,30}[(（][^)）\n]{0,80}[)）]|大学(?:院)?[(（][^)）\n]{0,80}[)）]|"
    r"[^\n(（。、]{1,30}(?:株式会社|有限会社|合同会社|法人|inc\.?|ltd\.?|pte\.? ltd\.?)[(（][^)）\n]{0,80}[)）]|"
    r"本社[:：][^\n、。)）]{0,30}|所在地[:：][^\n]{0,60}")


@dataclass
class Layout:
    draft: Draft

    @classmethod
    def of(cls, draft: Draft) -> Layout:
        """The draft's layout, computed once per draft (``Draft.layout``) and shared by the judges."""
        return draft.layout

    @cached_property
    def folded(self) -> str:
        return fold(self.draft.judged_text)

    @cached_property
    def lines(self) -> list[Line]:
        out: list[Line] = []
        text = self.folded
        pos = 0
        for raw in text.split("\n"):
            start, end = pos, pos + len(raw)
            pos = end + 1
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            s = text[start:end]
            heading = bool(len(s) <= 48 and (_HEADING_START.search(s) or _HEADING_END.search(s)))
            short = len(s) <= 90 and not s.endswith("。")
            bullet = s[:1] in "・-–—*•●○◆▶>"
            # Letterheads are name blocks: an organisation marker and hardly any hiragana (no
            # predicate). 「高校生と大学生を対象とした大会」 is body text that happens to say 大学.
            kana = len(_HIRAGANA.findall(s))
            org = bool(_ORG.search(s)) and kana <= 4
            header = bool(short and not bullet and (org or _SALUTATION.search(s))) and not heading
            out.append(Line(start, end, s, heading, header))
        return out

    @cached_property
    def sections(self) -> list[Section]:
        out: list[Section] = []
        current: Line | None = None
        start = 0
        for line in self.lines:
            if line.heading:
                if current is not None or line.start > start:
                    out.append(Section(current, start, line.start))
                current, start = line, line.start
        out.append(Section(current, start, len(self.folded)))
        return [s for s in out if s.end > s.start]

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    @cached_property
    def _line_starts(self) -> list[int]:
        return [ln.start for ln in self.lines]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.draft.sentences]

    def section_at(self, offset: int) -> Section:
        if not self.sections:
            return Section(None, 0, len(self.folded))
        i = bisect_right(self._section_starts, offset) - 1
        return self.sections[max(i, 0)]

    def line_at(self, offset: int) -> Line | None:
        i = bisect_right(self._line_starts, offset) - 1
        if i >= 0 and self.lines[i].start <= offset < self.lines[i].end:
            return self.lines[i]
        return None

    @cached_property
    def sender_spans(self) -> list[tuple[int, int]]:
        """Spans that describe the sender or the addressee (letterhead, salutation, address
        parentheses), where a place name is not a reason."""
        spans = [(ln.start, ln.end) for ln in self.lines if ln.header]
        spans += [(m.start(), m.end()) for m in _ORG_PAREN.finditer(self.folded)]
        return sorted(spans)

    @cached_property
    def _sender_starts(self) -> list[int]:
        return [s for s, _ in self.sender_spans]

    def in_sender(self, start: int, end: int) -> bool:
        i = bisect_right(self._sender_starts, start)
        # Spans may nest (a parenthesis inside a header line): check the few that start before.
        return any(s <= start and end <= e for s, e in self.sender_spans[max(0, i - 4):i])

    def sentence_index(self, offset: int) -> int:
        i = bisect_right(self._sentence_starts, offset) - 1
        sents = self.draft.sentences
        if i >= 0 and sents[i].start <= offset < sents[i].end:
            return i
        return -1

    @cached_property
    def clauses(self) -> list[tuple[int, int]]:
        """The judged sentences, with English paragraphs further cut at ". " (the shared splitter
        cuts only at 。！？ and line breaks, so an English paragraph arrives as one sentence)."""
        out: list[tuple[int, int]] = []
        for s in self.draft.sentences:
            start = s.start
            for m in re.finditer(r"(?<=[.;])\s+(?=\S)", self.folded[s.start:s.end]):
                out.append((start, s.start + m.start()))
                start = s.start + m.end()
            out.append((start, s.end))
        return out

    def sentence_at(self, offset: int):
        i = self.sentence_index(offset)
        return self.draft.sentences[i] if i >= 0 else None
