"""Structure-aware chunking of Japanese documents.

The quality of retrieval comes mostly from here. A document is first cut into *sections* at the
headings it really has, then sections are split (long ones, only at paragraph or sentence ends)
and merged (short siblings) into chunks of a useful size. Every chunk is an exact slice of the
document text — ``text[start:end] == chunk.text`` — so citations stay verbatim.

Headings are found three ways, strongest first:

1. The document's own table of contents. PDF-extracted books such as the playbook carry an INDEX
   block (``title<TAB>page``); its entries are looked up, in order, in the body, which gives the
   real parts and chapters even where the body shows them only as a decorated title line.
2. Heading patterns common in Japanese administrative documents: ``第N部``/``第N章``, ``付録``,
   numbered headings (``1 意識改革…``), ``STEP 1``, ``POINT.1``/``POINT 1``, ``コラム``,
   ``ア)``-style items, ``Phase 1``, and Markdown ``#`` headings.
3. Short stand-alone lines followed by prose (a sub-heading that lost its font in extraction).

Line breaks inside a paragraph (hard-wrapped PDF text) are never used as cut points while a
sentence end is available, so no chunk starts or ends mid-sentence.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from ingest.models import Chunk

SECTION_SEPARATOR = " › "

# Chunk sizes in characters (measured with benchmarks/retrieval.py on the dev questions, hybrid
# recall@5 / MRR): target 420 → 0.80 / 0.62, 500 → 0.87 / 0.64, 600 → 0.93 / 0.73,
# 700 → 0.93 / 0.72. Questions are answered by a paragraph *with its context* (the heading and
# the sentence before), so sections are kept whole up to ~600 characters; 900 stays within what
# e5-small reads (512 tokens) and what a citation can show.
TARGET_CHARS = 600
MAX_CHARS = 900
MIN_CHARS = 80

_TOC_LINE = re.compile(r"^(?P<title>\S.*?)\t+\s*(?P<page>\d{1,3})?\s*$")
_TOC_TITLES = {"index", "contents", "目次", "もくじ"}
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_PART_DECORATED = re.compile(r"^[—―\-–ー─]+\s*(第\s*[0-9０-９一二三四五六七八九十]+\s*部)\s*[—―\-–ー─]+$")
_PART_TITLED = re.compile(r"^第\s*[0-9０-９一二三四五六七八九十]+\s*部[ 　:：]+\S")
_APPENDIX = re.compile(r"^付録")
_CHAPTER = re.compile(r"^第\s*[0-9０-９一二三四五六七八九十]+\s*章")
_SECTION = re.compile(r"^第\s*[0-9０-９一二三四五六七八九十]+\s*節")
# A label on its own line whose title follows on the next line.
_LABEL = re.compile(r"^(?:STEP|Step)\s*\d+$|^POINT[.．\s]*\d+$|^【?コラム】?$|^Phase\s*\d+$")
_LABEL_TITLED = re.compile(r"^(?:STEP|Step)\s*\d+[ 　]+\S|^POINT[.．]?\s*\d+[ 　]+\S")
_NUMBERED = re.compile(r"^0?\d{1,2}[ 　]+\S")
_KANA_ITEM = re.compile(r"^[ア-ン][)）]")
_LETTER_ITEM = re.compile(r"^[A-Z][ 　]+\S")
_BRACKET_TITLE = re.compile(r"^[【〔][^】〕]{2,30}[】〕]$")
_SENTENCE_END = re.compile(r"[。！？!?][」』）)]*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")

LEVEL_PART, LEVEL_CHAPTER, LEVEL_TOPIC, LEVEL_ITEM, LEVEL_MINOR = 1, 2, 3, 4, 5


@dataclass(slots=True)
class Heading:
    start: int  # offset of the heading's first line
    body_start: int  # offset just after the heading's last line
    level: int
    label: str


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str  # stripped
    raw: str

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    path: tuple[str, ...]
    heading_level: int | None  # level of the heading this piece starts with, if any
    has_body: bool = True


@dataclass(slots=True)
class _TocEntry:
    level: int
    label: str
    key: str


@dataclass(slots=True)
class ChunkingOptions:
    target_chars: int = TARGET_CHARS
    max_chars: int = MAX_CHARS
    min_chars: int = MIN_CHARS


def chunk_document(text: str, source: str, *, kind: str = "text",
                   options: ChunkingOptions | None = None) -> list[Chunk]:
    """Cut ``text`` into chunks with section paths and exact offsets."""
    opts = options or ChunkingOptions()
    headings = detect_headings(text, markdown=(kind == "markdown"))
    pieces = _pieces(text, headings, opts)
    chunks: list[Chunk] = []
    for group in _merge(pieces, opts):
        start, end = _trim(text, group[0].start, group[-1].end)
        if end <= start:
            continue
        body = text[start:end]
        chunks.append(
            Chunk(
                chunk_id=chunk_id(source, start, body),
                text=body,
                source=source,
                section=_section_label(group),
                start=start,
                end=end,
            )
        )
    return chunks


def _section_label(group: list[_Piece]) -> str:
    """The heading path of a chunk. When short sibling sections were merged into one chunk, name
    them all (``… › STEP 1 提案の入口 / STEP 2 提案受付…``) so a citation never hides one."""
    with_body = [p for p in group if p.has_body] or group[:1]
    paths = [p.path for p in with_body]
    common = 0
    while all(len(path) > common and path[common] == paths[0][common] for path in paths):
        common += 1
    if all(len(path) == common for path in paths):
        return SECTION_SEPARATOR.join(paths[0])
    siblings = list(dict.fromkeys(path[common] for path in paths if len(path) > common))
    return SECTION_SEPARATOR.join(paths[0][:common] + (" / ".join(siblings),))


def chunk_id(source: str, start: int, text: str) -> str:
    """Stable id from the content: the same file gives the same ids on every ingest."""
    return hashlib.sha256(f"{source}\x00{start}\x00{text}".encode()).hexdigest()[:32]


# --- headings ----------------------------------------------------------------------------------


def detect_headings(text: str, *, markdown: bool = False) -> list[Heading]:
    lines = _lines(text)
    if markdown:
        return _markdown_headings(lines)
    toc_range, toc_entries = _find_toc(lines)
    toc_hits = _match_toc(lines, toc_range, toc_entries)
    headings: list[Heading] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank:
            i += 1
            continue
        if toc_range and i == toc_range[0]:
            # The table of contents is a section of its own, titled by the line above it if any.
            title_line = _prev_nonblank(lines, i)
            if title_line is not None and lines[title_line].text.lower() in _TOC_TITLES:
                if headings and headings[-1].start == lines[title_line].start:
                    headings.pop()  # the title line was already taken as a minor heading
                headings.append(Heading(lines[title_line].start, line.start, LEVEL_PART,
                                        lines[title_line].text))
            i = toc_range[1]
            continue
        heading, consumed = _classify(lines, i, toc_hits)
        if heading is not None:
            headings.append(heading)
        i += consumed
    return headings


def _classify(lines: list[_Line], i: int, toc_hits: dict[int, tuple[int, str]]) -> tuple[Heading | None, int]:
    line = lines[i]
    s = line.text
    if i in toc_hits:
        level, label = toc_hits[i]
        return Heading(line.start, line.end, level, label), 1
    if _LABEL.match(s):
        j = _next_nonblank(lines, i)
        if j is not None and _is_title_line(lines[j].text) and not _LABEL.match(lines[j].text):
            level = LEVEL_TOPIC
            title = lines[j].text
            if j in toc_hits:
                level = min(level, toc_hits[j][0])
            label = f"{_clean_label(s)} {_clean_label(title)}" if not s.startswith(("コラム", "【コラム")) \
                else f"コラム {_clean_label(title)}"
            return Heading(line.start, lines[j].end, level, label), j - i + 1
        return Heading(line.start, line.end, LEVEL_TOPIC, _clean_label(s)), 1
    if not _is_title_line(s):
        return None, 1
    m = _PART_DECORATED.match(s)
    if m:
        return Heading(line.start, line.end, LEVEL_PART, _clean_label(m.group(1))), 1
    if _PART_TITLED.match(s) or _APPENDIX.match(s):
        return Heading(line.start, line.end, LEVEL_PART, _clean_label(s)), 1
    if _CHAPTER.match(s):
        return Heading(line.start, line.end, LEVEL_CHAPTER, _clean_label(s)), 1
    if _SECTION.match(s) or _LABEL_TITLED.match(s) or (_NUMBERED.match(s) and "\t" not in s):
        return Heading(line.start, line.end, LEVEL_TOPIC, _clean_label(s)), 1
    if _KANA_ITEM.match(s) or _LETTER_ITEM.match(s) or _BRACKET_TITLE.match(s):
        return Heading(line.start, line.end, LEVEL_ITEM, _clean_label(s)), 1
    if _is_standalone_subheading(lines, i):
        return Heading(line.start, line.end, LEVEL_MINOR, _clean_label(s)), 1
    return None, 1


def _is_title_line(s: str) -> bool:
    return 0 < len(s) <= 60 and not s.endswith(("。", "、", ",", "，")) and "\t" not in s


def _is_standalone_subheading(lines: list[_Line], i: int) -> bool:
    """A short line alone between blank lines, followed by prose: a heading whose font was lost."""
    s = lines[i].text
    if len(s) > 30 or len(s) < 2:
        return False
    if i > 0 and not lines[i - 1].blank:
        return False
    if i + 1 < len(lines) and not lines[i + 1].blank:
        return False
    j = _next_nonblank(lines, i)
    if j is None:
        return False
    nxt = lines[j].text
    return len(nxt) >= 30 or bool(_SENTENCE_END.search(nxt[-3:]))


def _markdown_headings(lines: list[_Line]) -> list[Heading]:
    out: list[Heading] = []
    in_fence = False
    for line in lines:
        if line.text.startswith("```"):
            in_fence = not in_fence
            continue
        m = None if in_fence else _MD_HEADING.match(line.text)
        if m:
            out.append(Heading(line.start, line.end, len(m.group(1)), _clean_label(m.group(2))))
    return out


# --- table of contents -------------------------------------------------------------------------


def _find_toc(lines: list[_Line]) -> tuple[tuple[int, int] | None, list[_TocEntry]]:
    """The first block of >= 5 'title<TAB>page' lines (blank-free), if the document has one."""
    i = 0
    while i < len(lines):
        if _TOC_LINE.match(lines[i].text) and lines[i].text.rstrip().split("\t")[-1].strip().isdigit():
            j = i
            while j < len(lines) and not lines[j].blank and "\t" in lines[j].raw:
                j += 1
            if j - i >= 5:
                return (i, j), _toc_entries(lines[i:j])
            i = j
        i += 1
    return None, []


def _toc_entries(block: list[_Line]) -> list[_TocEntry]:
    entries: list[_TocEntry] = []
    seen_part = False
    for line in block:
        title = line.text.split("\t")[0].strip()
        if not title:
            continue
        if re.match(r"^第\s*\S+?\s*部|^付録", title):
            level, seen_part = LEVEL_PART, True
            label = re.sub(r"^(付録)《(\d+)》", r"\1\2 ", title)
        elif title.startswith(("・", "【コラム】", "【")) or seen_part:
            level = LEVEL_CHAPTER
            label = title.lstrip("・").replace("【コラム】", "コラム ")
        else:
            level = LEVEL_PART  # front matter entries (はじめに, 本書の使い方 …)
            label = title
        entries.append(_TocEntry(level, _clean_label(label), _match_key(title)))
    return entries


def _match_toc(lines: list[_Line], toc_range: tuple[int, int] | None,
               entries: list[_TocEntry]) -> dict[int, tuple[int, str]]:
    """Find each TOC entry's heading line in the body, in order (a line may match only ahead)."""
    hits: dict[int, tuple[int, str]] = {}
    if not toc_range:
        return hits
    pointer = 0
    for i, line in enumerate(lines):
        if pointer >= len(entries):
            break
        if toc_range[0] - 1 <= i < toc_range[1] or line.blank or not _is_title_line(line.text):
            continue
        key = _match_key(line.text)
        if len(key) < 4:
            continue
        for j in range(pointer, min(len(entries), pointer + 4)):
            if _toc_matches(key, entries[j].key):
                hits[i] = (entries[j].level, entries[j].label)
                pointer = j + 1
                break
    return hits


def _toc_matches(line_key: str, entry_key: str) -> bool:
    if line_key == entry_key:
        return True
    if len(line_key) >= 6 and (entry_key.startswith(line_key) or line_key.startswith(entry_key)):
        return True
    return len(line_key) >= 8 and line_key in entry_key


def _match_key(title: str) -> str:
    s = unicodedata.normalize("NFKC", title)
    s = re.sub(r"^・|^【コラム】|^付録《?\d+》?|^第\s*\d+\s*部", "", s)
    return re.sub(r"[\W_]+", "", s).lower()


# --- pieces and merging ------------------------------------------------------------------------


def _pieces(text: str, headings: list[Heading], opts: ChunkingOptions) -> list[_Piece]:
    """Sections between headings, long ones split at paragraph/sentence ends."""
    pieces: list[_Piece] = []
    stack: list[Heading] = []
    bounds = [(0, None)] + [(h.start, h) for h in headings]
    for n, (start, heading) in enumerate(bounds):
        end = bounds[n + 1][0] if n + 1 < len(bounds) else len(text)
        if heading is not None:
            while stack and stack[-1].level >= heading.level:
                stack.pop()
            stack.append(heading)
        if end <= start:
            continue
        path = tuple(h.label for h in stack)
        body_from = heading.body_start if heading else start
        has_body = _is_prose(text[body_from:end])
        level = heading.level if heading else None
        for k, (a, b) in enumerate(_split(text, start, end, opts)):
            pieces.append(_Piece(a, b, path, level if k == 0 else None, has_body))
    return pieces


def _is_prose(body: str) -> bool:
    """Whether a section has content of its own. A cover title or a decorative line
    ("HANASHI NO NAKANI …") is not: it is carried into the next chunk instead of standing alone,
    where BM25 would rank a 14-character fragment above real passages."""
    compact = re.sub(r"\s+", "", body)
    return len(compact) >= 50 or bool(re.search(r"[。！？]", compact))


def _split(text: str, start: int, end: int, opts: ChunkingOptions) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    while end - pos > opts.max_chars:
        cut = _cut_point(text, pos, min(end, pos + opts.max_chars), opts)
        out.append((pos, cut))
        pos = cut
    out.append((pos, end))
    return out


def _cut_point(text: str, lo: int, hi: int, opts: ChunkingOptions) -> int:
    """Best place to end a piece that starts at ``lo``: never inside a sentence if avoidable."""
    floor = lo + opts.target_chars // 2
    window = text[floor:hi]
    paragraphs = [m.end() for m in _PARAGRAPH_BREAK.finditer(window)]
    if paragraphs:
        return floor + paragraphs[-1]
    sentences = [m.end() for m in _SENTENCE_END.finditer(window)]
    if sentences:
        return floor + sentences[-1]
    sentences = [m.end() for m in _SENTENCE_END.finditer(text, lo + 1, hi)]
    if sentences:
        return sentences[-1]
    newline = text.rfind("\n", lo + 1, hi)
    if newline > lo:
        return newline + 1
    return hi


def _merge(pieces: list[_Piece], opts: ChunkingOptions) -> list[list[_Piece]]:
    groups: list[list[_Piece]] = []
    current: list[_Piece] = []
    size = 0
    for piece in pieces:
        length = piece.end - piece.start
        if current:
            has_body = any(p.has_body for p in current)
            starts_major = piece.heading_level is not None and piece.heading_level <= LEVEL_CHAPTER
            starts_topic = piece.heading_level is not None and piece.heading_level <= LEVEL_TOPIC
            new_chunk = has_body and (
                starts_major
                or size + length > opts.target_chars
                or (starts_topic and size >= opts.min_chars)
            )
            if new_chunk:
                groups.append(current)
                current, size = [], 0
        current.append(piece)
        size += length
    if current:
        groups.append(current)
    return groups


# --- small helpers -----------------------------------------------------------------------------


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        out.append(_Line(pos, pos + len(raw), raw.strip(), raw))
        pos += len(raw) + 1
    return out


def _next_nonblank(lines: list[_Line], i: int) -> int | None:
    for j in range(i + 1, min(len(lines), i + 4)):
        if not lines[j].blank:
            return j
    return None


def _prev_nonblank(lines: list[_Line], i: int) -> int | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        if not lines[j].blank:
            return j
    return None


def _clean_label(s: str) -> str:
    s = re.sub(r"[*#]+", "", s)
    s = re.sub(r"<[^>]+>", "", s)
    s = s.strip().lstrip("".join(c for c in s[:3] if unicodedata.category(c) == "So"))
    return re.sub(r"[\s\u3000]+", " ", s).strip()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
