"""Japanese/English signal detectors shared by the criterion judges.

Everything here reads a prepared ``Draft`` and returns spans with offsets into the ORIGINAL draft
text, so a judge can turn any hit into ``Evidence`` whose ``text == draft.text[start:end]``.

Matching happens on an NFKC-normalised, lower-cased copy (全角 digits and letters, ①, ㎡ and
half-width kana fold to one form), built character by character so every normalised character
keeps the offset of the original character it came from. Injected sentences (text addressed to
the reviewer) are already blanked in ``draft.judged_text`` and never reach a detector.

The vocabularies describe *kinds* of statement that the rubric (``../shared/rubric.md``) talks
about — a problem and who suffers it, evidence of its size, an outcome, a catalogue of services,
add-ons that widen the scope, the counterpart department — in several registers (letters, slides,
forms, English). They are deliberately about the shape of a statement, not about any topic.

Public, stable names (other judges may import them):
- text shape: ``Unit``, ``Line``, ``Hit``, ``units``, ``lines``, ``normalize``, ``strip_bullet``,
  ``strip_label``, ``has_content``;
- numbers: ``Quantity``, ``find_quantities``, ``kanji_to_number``, ``size_quantities``;
- issue_driven: ``problem_units``, ``is_abstract_problem``, ``affected_hits``, ``size_evidence_units``,
  ``outcome_units``, ``is_hearsay``, ``is_target``, ``is_track_record``, ``is_price``, ``is_theme_line``;
- one_solution: ``Catalogue``, ``catalogue``, ``addon_units``, ``counterpart_hits``, ``field_hits``,
  ``field_of``, ``FIELD_GROUPS``, ``unclear_counterpart_units``;
- sales_pitch: ``city_role_units``, ``proposal_units``, ``agreement_units``, ``brochure_units``,
  ``free_offer_units``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.japanese import split_sentences, tokenize

if TYPE_CHECKING:  # pragma: no cover
    from coach.analysis.draft import Draft


# --------------------------------------------------------------------------------------------
# Normalisation with an offset map
# --------------------------------------------------------------------------------------------


_NORM_CACHE: dict[str, str] = {}


def _norm_char(ch: str) -> str:
    n = _NORM_CACHE.get(ch)
    if n is None:
        n = unicodedata.normalize("NFKC", ch).lower()
        if n == "\u3000":
            n = " "
        if len(_NORM_CACHE) < 20_000:
            _NORM_CACHE[ch] = n
    return n


def normalize(text: str, base: int = 0) -> tuple[str, list[int]]:
    """NFKC + lower-case ``text`` one character at a time.

    Returns the normalised string and, for each of its characters, the offset (``base`` + index)
    of the original character it came from. Per-character NFKC differs from whole-string NFKC
    only for combining sequences, which proposals do not rely on.
    """
    parts = [_norm_char(ch) for ch in text]
    if all(len(p) == 1 for p in parts):
        return "".join(parts), list(range(base, base + len(text)))
    index: list[int] = []
    for i, p in enumerate(parts):
        index.extend([base + i] * len(p))
    return "".join(parts), index


@dataclass(frozen=True)
class Hit:
    """A detected span in the original draft text."""

    start: int
    end: int
    kind: str
    text: str = ""


@dataclass
class Unit:
    """A judged piece of the draft: a sentence or a line (or one English sentence of a paragraph).

    ``norm`` is the NFKC/lower-cased text; ``index[i]`` is the original offset of ``norm[i]``.
    ``section`` is the normalised text of the nearest heading above it (「【目標】」, "■ KPI" …),
    ``header`` tells whether the unit itself is such a heading, ``bullet`` whether it is a list item.
    """

    start: int
    end: int
    text: str
    norm: str
    index: list[int]
    line: int = 0
    section: str = ""
    header: bool = False
    bullet: bool = False
    context: str = ""  # the normalised line the unit sits on (labels such as 「目標：」 live there)
    title: bool = False  # the document's title / subject line

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original offsets of ``norm[a:b]``."""
        if not self.index:
            return self.start, self.end
        a = max(0, min(a, len(self.index) - 1))
        b = max(a + 1, min(b, len(self.index)))
        return self.index[a], self.index[b - 1] + 1

    def hit(self, m: re.Match[str], kind: str, draft_text: str) -> Hit:
        s, e = self.span(m.start(), m.end())
        return Hit(s, e, kind, draft_text[s:e])

    @property
    def body(self) -> str:
        """The normalised text without a leading list marker or 「X：」 label."""
        return strip_label(strip_bullet(self.norm))


@dataclass
class Line:
    """One line of the judged text (injected spans blanked), with list/heading shape."""

    number: int
    start: int
    end: int
    norm: str
    index: list[int]
    bullet: str | None = None  # marker kind: 'dot', 'mark' (■◆), 'num', 'circled', 'paren', 'alpha'
    header: bool = False
    section: str = ""


# --------------------------------------------------------------------------------------------
# Lines and units
# --------------------------------------------------------------------------------------------

# List markers after NFKC: ・ • ● ○ ◆ ◇ ■ □ ▪ ★ ☆ - – — * → ① (→1) (1) 1. 1) 1、 1 … a) (a) i.
_BULLET_RE = re.compile(
    r"^\s*(?:"
    r"(?P<dot>[・•●○◎▪▫★☆✓✔]|\*|-(?!\d)|–|—|→|⇒|>|〇)"
    r"|(?P<mark>[■□◆◇▼▽▶►])"
    r"|(?P<circled>[\u2460-\u2473\u2776-\u277f\u278a-\u2793])"
    r"|(?P<paren>[\(（]\s*(?:\d{1,2}|[a-z]|[ivx]{1,4}|[一二三四五六七八九十])\s*[\)）])"
    r"|(?P<num>(?:\d{1,2}|[一二三四五六七八九十])\s*(?:[\.．、\)）:：](?!\d)|\s))"
    r"|(?P<alpha>[a-z][\.\)]\s)"
    r")\s*"
)
_HEADER_BRACKET_RE = re.compile(r"^\s*(?:[【\[<＜〈《]|[■◆▼▽▶►◇□●]|#{1,4}\s)")
_LABEL_RE = re.compile(r"^\s*([^\s：:、。,]{1,12})\s*[：:]\s*")


def strip_bullet(s: str) -> str:
    m = _BULLET_RE.match(s)
    return s[m.end():] if m else s.lstrip()


def strip_label(s: str) -> str:
    """「期間：来年度…」 → 「来年度…」; leaves sentences that merely contain a colon alone."""
    m = _LABEL_RE.match(s)
    return s[m.end():] if m else s


def _circled_bullet(ch: str) -> bool:
    return "\u2460" <= ch <= "\u2473" or "\u2776" <= ch <= "\u2793"


def _line_bullet(raw: str, norm: str) -> str | None:
    stripped = raw.lstrip()
    if stripped and _circled_bullet(stripped[0]):
        return "circled"
    m = _BULLET_RE.match(norm)
    if not m:
        return None
    # 「1. 提案の背景」 may still be a numbered section heading: ``lines`` decides from its neighbours
    return next(k for k, v in m.groupdict().items() if v)


_SHORT_HEADING_RE = re.compile(
    r"^(?:kpi|kpis|目標|課題|背景|現状|提案|提案内容|ご提案内容|役割分担|費用|体制|期間|効果|期待効果|スケジュール|"
    r"problem|the problem|issue|solution|targets?|goals?|roles?|costs?|pilot|timeline|ask|traction|why now|next|future)"
    r"(?:\s*[\(（][^\)）]*[\)）])?\s*[:：]?$"
)


def _is_header(raw: str, norm: str) -> bool:
    s = norm.strip()
    if not s:
        return False
    if _HEADER_BRACKET_RE.match(raw.lstrip()) and len(s) <= 40 and "。" not in s:
        first = raw.lstrip()[:1]
        if first in "【[<＜〈《":
            # 「【目標】会員200名、…」 is a labelled content line, not a bare heading
            after = re.split(r"[】\]>＞〉》]", s, 1)
            return len(after) < 2 or len(after[1].strip()) <= 15
        # 「■主な特長」 is a heading; 「●将来的には…にも展開可能」 is a list item
        body = re.sub(r"[\(（][^\)）]*[\)）]", "", s.lstrip("■◆▼▽▶►◇□●#▪ "))
        return len(body) <= 20 and not re.search(r"[\d、,]|(?:ます|です|する|した|可能|ない)$", body)
    if len(s) <= 30 and s.endswith((":", "：")):
        return True
    if len(s) <= 30 and "。" not in s and _CHAPTER_RE.match(s):
        return True  # 「第8章 期待される成果」
    return bool(_SHORT_HEADING_RE.match(s))


_CHAPTER_RE = re.compile(r"^第\s*[\d一二三四五六七八九十]{1,3}\s*[章節部]\s*\S")


def _is_bare_heading(norm: str) -> bool:
    body = norm.strip().lstrip("●■◆◇□▪・•○◎★☆▶►▼▽ ")
    return len(body) <= 8 or bool(_SHORT_HEADING_RE.match(body))


_NUMBERED_HEADING_RE = re.compile(r"^(?:\d{1,2}|[ivx]+)\s*[\.．、]\s*\S")


def lines(draft: Draft) -> list[Line]:
    """The judged text's lines with offsets, list markers and heading context (cached per draft)."""
    cached = draft.__dict__.get("_signal_lines")
    if cached is not None:
        return cached
    text = draft.judged_text
    raw_lines: list[tuple[int, int, int, str, str, list[int]]] = []
    pos = 0
    for number, raw in enumerate(text.split("\n")):
        start, end = pos, pos + len(raw)
        pos = end + 1
        norm, index = normalize(raw, start)
        if norm.strip():
            raw_lines.append((number, start, end, raw, norm, index))
    kinds = [_line_bullet(r[3], r[4]) for r in raw_lines]
    firsts = [r[3].lstrip()[:1] for r in raw_lines]
    out: list[Line] = []
    section = ""
    for i, (number, start, end, raw, norm, index) in enumerate(raw_lines):
        header = _is_header(raw, norm)
        if header and firsts[i] in "●■◆◇□▪・•○◎★☆▶►▼▽" and any(
                0 <= j < len(firsts) and firsts[j] == firsts[i] and not _is_bare_heading(raw_lines[j][4])
                for j in (i - 1, i + 1)):
            header = False  # 「●商店街の来街者は減少傾向」 in a run of ● lines is a list item
        bullet = None if header else kinds[i]
        if bullet == "num" and len(norm.strip()) <= 24 and not norm.strip().endswith(("。", ".")) \
                and _NUMBERED_HEADING_RE.match(norm.strip()):
            # 「2．現状と課題」 is a section heading unless its neighbours are numbered items too
            neighbours = [kinds[j] for j in (i - 1, i + 1) if 0 <= j < len(kinds)]
            if "num" not in neighbours:
                header, bullet = True, None
        line = Line(number, start, end, norm, index, bullet, header, section)
        if header:
            section = norm.strip()
            line.section = section
        out.append(line)
    draft.__dict__["_signal_lines"] = out
    return out


_EN_SPLIT_RE = re.compile(r"(?<=[.;!?])\s+(?=[\"“'(\[]?[A-Z0-9])")


def units(draft: Draft) -> list[Unit]:
    """Judged sentences (injected text blanked), English paragraphs split into sentences."""
    cached = draft.__dict__.get("_signal_units")
    if cached is not None:
        return cached
    text = draft.judged_text
    line_list = lines(draft)
    starts = [ln.start for ln in line_list]
    out: list[Unit] = []
    # Split the blanked text itself: injected spans are spaces there, so whatever the Draft did
    # with a partly injected sentence, the rest of it is still judged and the injection never is.
    for s in split_sentences(text):
        piece = text[s.start:s.end]
        pieces: list[tuple[int, int]] = []
        last = 0
        for m in _EN_SPLIT_RE.finditer(piece):
            pieces.append((last, m.start()))
            last = m.end()
        pieces.append((last, len(piece)))
        for a, b in pieces:
            seg = piece[a:b]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg.rstrip())
            if trail <= lead:
                continue
            start, end = s.start + a + lead, s.start + a + trail
            raw = text[start:end]
            norm, index = normalize(raw, start)
            if not norm.strip():
                continue
            li = _line_of(starts, start)
            ln = line_list[li] if line_list else None
            out.append(Unit(
                start=start, end=end, text=draft.text[start:end], norm=norm, index=index,
                line=ln.number if ln else 0,
                section=ln.section if ln else "",
                header=bool(ln and ln.header and ln.start <= start and end <= ln.end),
                bullet=bool(ln and ln.bullet and start <= ln.start + 4),
                context=ln.norm if ln else "",
                title=bool(ln and _is_title(ln, line_list)),
            ))
    draft.__dict__["_signal_units"] = out
    return out


def _line_of(starts: list[int], pos: int) -> int:
    """Index of the line that contains offset ``pos``."""
    return max(0, bisect_right(starts, pos) - 1)


_TITLE_END_RE = re.compile(
    r"(?:提案|ご提案|提案書|ご案内|ご紹介|について|のお願い|お願い|プロジェクト|プラン|構想|事業|実証|の募集|proposal|pilot)"
    r"\s*(?:[\(（][^\)）]*[\)）])?\s*$"
)


def _is_title(ln: Line, line_list: list[Line]) -> bool:
    """A subject/title line: 「件名：…」, or a heading-like line ending in 「…のご提案」 near the top."""
    s = ln.norm.strip()
    if re.match(r"^(?:件名|subject|事業名|title|re)\s*[:：]", s):
        return True
    if "。" in s or len(s) > 60:
        return False
    top = [x.number for x in line_list[:3]]
    return bool(_TITLE_END_RE.search(s)) and (ln.number in top or ln.header)


# --------------------------------------------------------------------------------------------
# Numbers in any form
# --------------------------------------------------------------------------------------------

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                 "八": 8, "九": 9, "壱": 1, "弐": 2, "参": 3}
_KANJI_SMALL = {"十": 10, "百": 100, "千": 1000}
_KANJI_BIG = {"万": 10_000, "億": 100_000_000, "兆": 1_000_000_000_000}


def kanji_to_number(s: str) -> float | None:
    """二千 → 2000, 三十五 → 35, 一万二千 → 12000, 二〇二四 → 2024."""
    if not s:
        return None
    if all(c in _KANJI_DIGITS for c in s):
        return float("".join(str(_KANJI_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[c]
        elif c in _KANJI_SMALL:
            section += (digit if digit is not None else 1) * _KANJI_SMALL[c]
            digit = None
        elif c in _KANJI_BIG:
            section += digit or 0
            total += (section or 1) * _KANJI_BIG[c]
            section, digit = 0, None
        else:
            return None
    return float(total + section + (digit or 0))


# Units that measure something (people, money, things, rates). Dates (年/月/日 of a calendar) are
# handled separately: they are never evidence of size.
_COUNT_UNITS = (
    r"%|パーセント|割|分|ポイント|pt|人|名|件|円|世帯|戸|軒|倍|時間|回|校|園|施設|か所|箇所|ヶ所|カ所|"
    r"店舗|店|社|台|トン|t(?![a-z])|kg|km|m|ha|m2|kwh|歳|区画|隻|食|本|棟|団体|自治体|万|億|日|秒|"
    # other counters: 12路線, 40便, 3地区, 20車両, 500基 …
    r"路線|便|地区|校区|車両|基|枚|冊|席|室|床|組|チーム|頭|匹|羽|ヘクタール|キロ|メートル|リットル|l(?![a-z])"
)
_NUM = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_KNUM = r"[〇零一二三四五六七八九十百千万億]+"
_QTY_RE = re.compile(
    rf"(?P<pre>(?:(?:約|およそ|延べ|計|最大|平均|年間|月間|毎年|過去最多の|実に)\s*)*)"
    rf"(?:(?P<num>(?:{_NUM}\s*兆\s*)?{_NUM})|(?P<knum>{_KNUM}))\s*"
    rf"(?P<mult>万|億|千)?\s*(?P<unit>{_COUNT_UNITS})"
)
_FRACTION_RE = re.compile(rf"(?:{_NUM}|{_KNUM})\s*分の\s*(?:{_NUM}|{_KNUM})")
_VAGUE_QTY_RE = re.compile(r"過半数|半数|大半|半分|ほとんど|大多数")
_EN_QTY_RE = re.compile(
    rf"{_NUM}\s*(?:%|percent|per cent|minutes?|mins?|hours?|people|persons|residents|households|"
    rf"times|tonnes?|tons?|t\b|km|kwh|yen|jpy|million|billion|thousand|cases|visitors|users|"
    rf"trips|pickups|days|per cent|pt|points|schools|shops|stores|staff|drivers|respondents)\b"
    rf"|(?:n\s*=\s*{_NUM})|(?:from\s+{_NUM}\s+to\s+(?:under\s+)?{_NUM})|(?:by\s+half|halve|double)"
    # "412 heat-stroke ambulance calls": a count followed by what is counted
    rf"|\b\d{{2,}}(?:,\d{{3}})*\s+(?!(?:am|pm|years?|months?|days?)\b)[a-z][a-z-]{{2,}}"
    # "JPY 6,000", "USD 1.2 million": the currency written first
    rf"|(?:jpy|yen|usd|eur|gbp|aud|¥|\$|€|£)\s?{_NUM}(?:\s?(?:million|billion|k)\b)?"
)
# A year, a month or a day of the calendar, a time of day: not a quantity.
_DATE_RE = re.compile(
    rf"(?:{_NUM}|{_KNUM}|令和|平成|昭和)\s*(?:年度?|月|日)(?!間|数|以上|以内|分)"
    rf"|(?<![\d,])\d{{1,2}}\s*(?::|時(?!間))\s*\d{{0,2}}|{_NUM}\s*[〜~\-–]\s*{_NUM}\s*月"
    rf"|\b(?:19|20)\d{{2}}\b"
)


@dataclass(frozen=True)
class Quantity:
    start: int  # offsets into the original text
    end: int
    text: str
    value: float | None
    unit: str


def _arabic_value(num: str) -> float:
    """「1,200」「1.2」「1兆2,040」 (兆 part × 10^12, the rest as written)."""
    if "兆" in num:
        hi, lo = num.split("兆")
        return _arabic_value(hi) * 1e12 + (_arabic_value(lo) if lo.strip() else 0.0)
    return float(num.replace(",", "").replace("，", "").strip() or 0)


def _kanji_ok(knum: str, unit: str, after: str) -> bool:
    """Kanji numerals are everyday words too (一人暮らし, 一度, 二人三脚, 一つ)."""
    if unit in {"人", "名"} and knum in {"一", "二"}:
        return False
    if knum in {"一"} and unit in {"回", "日", "時間", "分", "件", "台", "本"}:
        return False
    # 十分 (enough), 一分: a kanji 分 counts only as a fraction (「三分の一」)
    return not (unit == "分" and not after.startswith("の"))


def find_quantities(unit: Unit) -> list[Quantity]:
    """Numbers with a measuring unit in any form: 312名, ４１％, 三割, 二千人, 1.2万件, 約1兆2,040億円,
    4分の1, 半数, "40% of pickups". Calendar dates and times of day are not quantities."""
    norm = unit.norm
    dates = [(m.start(), m.end()) for m in _DATE_RE.finditer(norm)]

    def in_date(a: int, b: int) -> bool:
        return any(da <= a and b <= db or (da <= a < db) for da, db in dates)

    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _QTY_RE.finditer(norm):
        num, knum, u = m.group("num"), m.group("knum"), m.group("unit")
        a = m.start("num") if num else m.start("knum")
        if in_date(a, m.end()):
            continue
        if u == "分" and norm[m.end():m.end() + 1] == "の":
            continue  # 「4分の1」 is a fraction, handled below
        if knum and not _kanji_ok(knum, u, norm[m.end():m.end() + 2]):
            continue
        if u == "日" and not (m.group("pre") or norm[m.end():m.end() + 1] in "間分以"):
            continue  # 「6日」 is usually a date
        value: float | None
        if num:
            value = _arabic_value(num)
        else:
            value = kanji_to_number(knum)
        mult = m.group("mult") or (u if u in {"万", "億"} else None)
        if value is not None and mult:
            if num and "兆" in num:  # 1兆2,040億: the 兆 part is already in units of 1, the rest in 億
                hi, lo = num.split("兆")
                value = _arabic_value(hi) * 1e12 + _arabic_value(lo) * {"万": 1e4, "億": 1e8, "千": 1e3}[mult]
            else:
                value *= {"万": 1e4, "億": 1e8, "千": 1e3}[mult]
        s, e = unit.span(a, m.end())
        out.append(Quantity(s, e, unit.text[s - unit.start:e - unit.start], value, u))
        taken.append((m.start(), m.end()))
    for rx, kind in ((_FRACTION_RE, "分の"), (_VAGUE_QTY_RE, "半"), (_EN_QTY_RE, "en")):
        for m in rx.finditer(norm):
            if any(a <= m.start() < b for a, b in taken) or in_date(m.start(), m.end()):
                continue
            s, e = unit.span(m.start(), m.end())
            out.append(Quantity(s, e, unit.text[s - unit.start:e - unit.start], None, kind))
            taken.append((m.start(), m.end()))
    return out


# --------------------------------------------------------------------------------------------
# Kinds of statement
# --------------------------------------------------------------------------------------------

def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts))


# A problem: a bad state of the world, a burden, a shortage, a decline, a risk. These words make
# a statement about how things are, so they count wherever they appear in a sentence.
PROBLEM_RE = _rx(
    r"課題(?!解決|の解決)|(?<!記述)(?<!練習)(?<!復習)(?<!試験)(?<!テスト)(?<!算数)(?<!診断)問題(?:が|と(?:なって|して|なる)|に(?:なって|直面)|は|です|だ|化|視|を抱|点|意識)|困(?:って|り|難|る)|負担(?:が|と|に|感|を強い|の大き|になって)|不足|足りて?い?(?:な|ず|ません)",
    r"減少|減って|減り|減便|廃止|低下|悪化|衰退|縮小|先細",
    r"孤立|孤独|閉じこも|難し(?:い|く|さ)|簡単ではな|できな(?:い|く)|できず|出来な|られな(?:い|く)|られず|行けな|通えな|使えな",
    r"遅れ|遅延|集中して|集中し|逼迫|圧迫|追いつかな|間に合わな|手遅れ|ずれ込",
    r"危険|リスク|懸念|心配|不安|迷惑|深刻|切実|急務|悪循環|瀬戸際|閑散|放置され|荒れ|[てで]しま(?:う|い|っ)|"
    r"つら(?:い|く)|苦し(?:い|く|さ|ん)|厳し(?:い|く|さ)|大変な|高騰|なくな(?:っ|り|る)|散乱|回らな|ハードルが高|"
    r"目立(?:つ|ち|って)|相次|(?:に|づ)く(?:い|く)(?!ら)|ほとんど(?:いな|な)|"
    r"処分され|捨てられ|無駄(?:に|な|が)|もったいな|失われ|(?:率|割合|数)(?:が|は|も)\S{0,4}(?:低|少な|伸び悩)|低迷|不十分",
    r"赤字|流出|転出|離れ|あきらめ|諦め|控え(?:る|た|て)|断念|お断り|断って|見過ごさ",
    r"妨げ|ふさい|塞い|怖(?:い|く|さ)|不便|(?<!費用が)(?<!負担が)少な(?:い|く)(?!とも)|未満(?:です|に|で|の)|頼って|頼らざる|苦心|苦労|"
    r"待たされ|列ができ|行かなくな|やめて(?:しま|い)|膨ら(?:んで|み)|かさ(?:んで|む|み)|届いていな|できていな|迷(?:う|っ|い)|"
    r"消え(?:かけ|かか)|剥が|はがれ|かすれ|傷んで|壊れ|破損|劣化|"
    r"(?:例|ケース|人|方|声|家庭|世帯)が(?:多い|多く|少なくな|後を絶たな|増えて)|"
    # a failure that recurs: 「電話がつながらないことがあります」「間に合わない場合が多い」
    r"(?:ない|ず)(?:こと|場合|ケース|日)が(?:あ|多|少なくな|増え|続)",
    r"費やし|費やさ|取られ|奪わ|奪って|時間がかか|時間を要|苦手|つまず|悩(?:み|ん)|届かな|知らな|にとどま|とどまって|下回|伸び悩|伸びな|進まな|進んでいな|"
    r"できません|られません|対応しきれ|応えきれ|追いつけ|苦情|クレーム|離職|退職|休職|欠員|滞(?:る|り|って)|"
    r"(?<!負担)(?<!費用)(?<!工事)(?<!設定)(?<!手間)(?<!必要)(?<!心配)が(?:なく|ない|ありません|いない|いません|おらず|決まら)|"
    # potential/negated verbs (たどり着けない, 運べず, 行けません), not requests (いただけないでしょうか)
    # or "without" (リフォームせずに)
    r"[えけげせてねべめれ](?<![さか][えけげせてねべめれ])(?<!ただ[えけげせてねべめれ])(?<!頂[えけげせてねべめれ])"
    r"(?<!もら[えけげせてねべめれ])(?<!く[えけげせてねべめれ])"
    r"(?:ない(?!で)|ず(?!に)|なく(?!て?も)|ません|ていない|ていません|ておらず)",
    r"(?:負担|手間|仕事|作業|業務|残業|待ち時間|コスト)(?:を|の)(?:減らす|軽減する|削減する|なくす|解消する)ため|"
    r"使われていな|使われなくな|利用されていな|活用されていな|増えて(?:い|お)|増え続け|増えた|増加して|増加傾向|倍増し|急増|増加しま|倍に(?:増|な)|高齢化が進|過去最多|激甚化",
    # English
    r"\bproblem|\bissues?\b|challenge|difficult|struggl|\black|shortage|short of|declin|decreas|\bdrop|\bqueue|waiting|"
    r"congest|overflow|complain|burden|isolat|\bunable|cannot|can't|\bfail|without|too few|too many|\bwaste|\bidle|"
    r"\brisk|(?<!may )concern|suffer|shortfall|\blos(?:e|ing|t)\b|\bleave\b|excluded|left behind|spill|(?:big|great|huge) opportunit|"
    r"\bempty\b|unused|underused|\brarely\b|only \d+\s*%|\bmissed\b|\bhard to\b|can(?:no|')t afford|lonel|\bunmet\b|throw(?:s|n)? away|thrown away|discard|\bwasted\b|"
    r"\bno (?:bus|buses|train|service|access|place|one|way)\b|\bturn(?:s|ed)? (?:back|away)\b|"
    r"landfill|incinerat|overtime|\bleak(?:s|age|ing)?\b(?![- ](?:detect|sensor|monitor|survey))|only after|"
    r"\bf(?:a|e)ll(?:en|ing|s)?\b|\bstopped\b|(?:was|were|been) (?:cut|closed|scrapped|withdrawn|abolished)|"
    r"\bno longer\b|\bstill (?:use|include|rely|depend)|\bcome back\b|\bgo straight back\b|\bby hand\b|\bon paper\b|\bafraid\b|\bunsafe\b",
)
# Problem topics: nouns that name a problem (空き家, 不法投棄, 熱中症 …). Alone in a product's
# feature list or title they name a market, so they count in full sentences and in the bullets of
# a 「課題」/「現状」 section only.
PROBLEM_TOPIC_RE = _rx(
    r"被害|事故|犠牲|不登校|ひきこもり|引きこもり|虐待|貧困|格差|フレイル|重症化|未受診|熱中症|転倒|"
    r"空き家|空き店舗|シャッター|老朽|雑草|不法投棄|漂着|へい死|食害|磯焼け|廃棄|食品ロス|未利用|"
    r"人手不足|担い手|なり手|渋滞|混雑|待ち時間|待たせ|行列|手作業|見落とし|人通り|長時間(?:勤務|労働)|残業|時間外勤務|過重|多忙|"
    r"廃業|閉店|閉鎖|残食|食べ残し|孤独死|待機児童|待機|"
    r"flood|litter|vacan|congestion|accident|heat[- ]?stroke|injur|fatalit|\bdeaths?\b|ambulance calls"
)
PROBLEM_SECTION_RE = _rx(r"課題|背景|現状|問題|problem|issue|challenge|background|situation")
# The problem named as the thing the solution removes: 「負担を軽減」「孤立を防ぐ」「課題解決に取り組む」.
_REMEDY_AFTER_RE = re.compile(
    r"^\S{0,3}?(?:を|の|に|が)?\s*(?:軽減|軽く|楽に|解消|防|削減|減ら|減(?:る|り|って)|改善|予防|防止|なく(?:す|し)|解決|抑制|低減|緩和|補|支援|サポート|対策|"
    r"確保|取り組|対応|向き合|和らげ|診断|分析|評価|予測|判定|検知|可視化|マップ|reduc|cut|solv|prevent|tackl|address)"
)
# A problem named only abstractly (rubric: 「地域活性化」「DX推進」「人口減少対策」 without decomposition).
ABSTRACT_PROBLEM_RE = _rx(
    r"活性化|にぎわい|賑わい|dx|デジタル化|人口減少|少子高齢化|少子化|高齢化(?!率)|脱炭素|カーボンニュートラル|"
    r"持続可能|地方創生|社会問題|全国的な課題|全国共通|共通の課題|重要な課題|大きな課題|欠かせない課題|"
    r"多くの自治体|各地で|全国の地方都市|地方都市|全国の(?:自治体|都市|地域)|全国各地|どの自治体も|opportunity|revitali[sz]|"
    r"across (?:japan|the country)|nationwide|(?:many|most|all) cities|cities (?:across|around|everywhere)|every city"
)
# Who suffers it.
AFFECTED_RE = _rx(
    r"高齢者|お年寄り|住民|市民|世帯|家庭|家族|子ども|子供|児童|生徒|学生|高校生|若者|若い世代|若年|保護者|母親|父親|親|"
    r"職員|教員|先生|保育士|介護職員|介護職|運転士|運転手|ドライバー|作業員|担当者|現場|利用者|来訪者|観光客|来街者|来庁者|"
    r"事業者|店舗|商店|個店|飲食店|中小企業|企業|農家|農業者|漁業者|漁師|生産者|障害のある|障害者|要支援者|要配慮者|外国人|"
    r"入居者|入所者|患者|被保険者|所有者|女性|ひとり親|独居|一人暮らし|通勤|通学|乗客|歩行者|"
    r"residents|citizens|elderly|older people|children|parents|families|staff|crews|drivers|workers|users|"
    r"visitors|businesses|shops|patients|students|teachers|households|park users|commuters"
)
# Where a figure comes from: a survey, statistics, records, own observation.
DATA_SOURCE_RE = _rx(
    r"調査|アンケート|統計|回答|推計|試算|データ|記録|実態|によると|によれば|点検|計測|測定|観測|カウント|"
    r"ヒアリング|聞き取り|タイムスタディ|分析|診断|集計|台帳|公表|資料|白書|センサス|国勢|住民基本台帳|厚生労働省|"
    r"総務省|国土交通省|文部科学省|農林水産省|環境省|内閣府|経済産業省|中小企業庁|スポーツ庁|研究班|学会|協会|"
    r"survey|observation|observed|data|statistics|census|estimate|records?|study|counted|\bcounts?\b|measured|analysis|n\s*=|"
    r"\breports?\b|\breported\b|according to|\baccounts\b|invoices|帳簿|決算|量った|量り|数えた|調べた|調べると|確認され|確認でき|判明|(?:わ|分)かった|(?:わ|分)かりました|"
    r"(?:確認|点検|観察|チェック|集計|記録|計測|測定|訪問)し(?:たところ|た結果)|"
    r"\d[\d,.]*\s*(?:件|人|名|か所|箇所|ヶ所|カ所|世帯|台|校|施設|戸|軒)(?:の)?(?:うち|中)[、,]?\s*(?:約|およそ)?\s*[\d一二三四五六七八九半]|\bout of\s+\d"
)
# Hearsay: second-hand report as the only support (rubric: 「と伺っています」 makes it partial).
HEARSAY_RE = _rx(
    r"と(?:伺|うかが)(?:って|い|う|っており)|(?<!お)伺って(?:い|お)|(?<!お)うかがって(?:い|お)|と\S{0,15}?(?:から|より)(?:伺|うかが|お?聞き|聞い)|伺っております|(?:と|を|話を|声を)(?:よく)?(?:お)?聞(?:いて|き(?:まし|及)|く)|"
    r"とお聞き|お聞きしました|耳に(?:し|する)|と承知|と拝察|と言われて|と聞く|と聞いた|"
    r"according to (?:several |some |many |local |a few )?(?:residents|people|locals|shopkeepers|shop owners|parents|users|fishermen|teachers|staff|neighbours|neighbors)\b|"
    r"\b(?:residents|people|locals|parents|users|staff) we (?:spoke|talked) (?:to|with)\b|"
    r"\b(?:told|tell|tells) us\b|\bwe(?:'ve| have)? heard\b|\bi(?:'ve| have)? heard\b|\bwe hear\b|reportedly|we are told|i am told|we understand that"
)
# A goal or KPI statement.
TARGET_RE = _rx(
    r"目標|目指|めざ|kpi|成果指標|評価指標|指標[①-⑩\d]|期待される(?:効果|成果)|期待(?:効果|する成果)|効果(?:）|\)|】|：|:)|見込|ことを狙|(?:ねらい|狙い)\s*[：:】]|"
    r"\btargets?\b|\baims?\b|\bgoals?\b|\bkpis?\b|success measure|measures? of success|\bobjectives?\b|expected (?:outcome|impact)"
)
# A change brought about: the outcome (rubric: 「外出率が10%向上」「年間□□万円削減」).
CHANGE_RE = _rx(
    r"削減|向上|改善|減少させ|戻す|戻し|回復|減らす|減らし|減に|減\b|\d\s*%\s*減|増加|増やす|増やし|\d\s*%\s*増|倍増|半減|短縮|延長|抑制|解消|"
    r"引き上げ|引き下げ|上げ(?:る|ます|たい)|下げ(?:る|ます|たい)|高め|低減|軽減|防止|予防|ゼロ|(?<![\d,.])0\s*件|なくす|"
    r"\d\S{0,8}\s*[→⇒]\s*(?:\S{0,8}\d|半分|半減|ゼロ|なし)|不要に(?:な|す|でき)|から\s*\S{0,12}?(?:に|へ)(?:引|上|下|増|減|改|短|延|する|し|な)|以内に|以下に|以上に|倍に|割合を|率を|"
    r"\bcut\b|reduc|increas|improv|raise|lower|halv|doubl|from\s+\S+\s+to|\bless\b|\bfewer\b|\bmore\b|under\s+\d|"
    r"\bdrop\b|\bdecline\b|\bfall\b|\brise\b|\bboost|shorten|\bwithin\s+\d"
)
# KPIs that count the product's own use (rubric: units sold, app downloads are not an outcome).
PRODUCT_KPI_STRONG_RE = _rx(
    r"ダウンロード|\bdl\b|dl数|インストール|登録(?:者|数|学生|ユーザー|店|件数)|会員(?:数)?|加盟(?!店(?:舗)?の)|掲載|"
    r"導入(?:数|台数|自治体|件数|施設数|実績)|設置(?:台数|数)|販売(?:数|台数|件数|枚数|個数)|出品|決済(?:件数|総額|額)|"
    r"スカウト|送信数|面談|再生回数|pv|閲覧数|フォロワー|投稿数|協賛企業|参加(?:店舗|生産者|企業)|"
    r"downloads?|sign-?ups?|registered|installations?|units sold|passes sold|partner attractions|attractions visited",
    # 「ベンチ100基設置」: units put in place count the product, not the problem
    r"\d\s*(?:基|台|か所|箇所|ヶ所|カ所|店舗|校|枚)\s*(?:を|の)?\s*(?:設置|導入|配備|配布|販売)|\b(?:install|deploy|sell)\w*\s+\d+"
)
PRODUCT_KPI_WEAK_RE = _rx(
    r"参加者|参加登録|延べ参加|参加率|参加チーム|来場者|利用登録|利用者数|利用(?:回数|件数)|月間利用|利用\d|"
    r"満足度|稼働率|識別精度|精度|稼働|通知まで|視聴者|ツアー参加|walks completed|satisfaction|room-nights|"
    r"継続(?:利用)?率|利用率|起動(?:回数|数|率)|アクティブ|ログイン|アクセス数|retention|active users|sessions|log-?ins|"
    # the company's own deliverables counted (「分析レポートを年2回提出」) are activity, not outcome
    r"レポート|報告書|提出|開催(?:回数|数)?|\breports? (?:submitted|delivered)"
)
# Company track record, awards, adoption elsewhere (product-out, rubric 1 fail).
TRACK_RECORD_RE = _rx(
    r"実績|受賞|大賞|アワード|グランプリ|賞を|賞】|優秀賞|最優秀|導入(?:いただ|され|済)|で導入|採用(?:実績|され)|"
    r"累計|創業|設立|従業員|社員\d|ランキング|獲得|特許|認証取得|選ばれ|導入(?:園|先|施設|企業|事例|効果|後)|"
    r"\baward|\bwon\b|deployed in|used (?:in|by)|adopted by|\bclients\b|\bfounded|\bemployees|"
    r"(?:他市|他の(?:自治体|市町村|都市|市)|他自治体|先行(?:導入)?自治体|導入(?:先|自治体))(?:で|では|において)[^。]{0,30}(?:導入|採用|実証|利用)|"
    r"導入(?:から|して)?\s*(?:\d+|[一二三半])\s*(?:年|か月|ヶ月|カ月|週間)(?:で|後|目)|"
    r"\b(?:in|at) (?:other|another|neighbouring|neighboring) (?:cities|city|towns?|municipalities)\b[^.]{0,40}\b(?:reduced|cut|improved|fell|dropped|halved)\b|"
    # what the company's product did elsewhere: "our service reduced waiting time from 45 to 18 minutes"
    r"\bour\b[^.;]{0,40}\b(?:reduced|cut|improved|increased|raised|halved|saved)\b|"
    r"(?:当社|弊社|本製品|本サービス|本システム)(?:の[^。、]{0,16})?(?:は|で|により|によって)[^。]{0,50}"
    r"(?:短縮|削減|改善|向上|減少|半減|増加)(?:しました|させました|できました|を実現|に成功)"
)
# Prices and fees: money the city or a user pays, not a size of the problem.
PRICE_RE = _rx(
    r"料金|価格|月額|年額|初期費用|ライセンス|委託料|利用料|使用料|税別|税込|見積|お支払|プラン|手数料|参加費|運賃|"
    r"ご負担|負担(?:します|いたします|し|する)|費用は|費用（|費用\(|経費|予算|補助|賃料|家賃|円(?:〜|~|から)|"
    r"\bfee|\bprice|\bcost|licen[cs]|\bpay\b|budget|\bjpy\b|\bgbp\b"
)
# 「【テーマ】…」「テーマ：…」 and proposal titles: a theme title is not a problem statement.
THEME_RE = _rx(r"^\s*[\[【<＜]?\s*(?:提案|応募|官民共創)?\s*テーマ|テーマ\s*[：:」】]|テーマへの提案")


def is_hearsay(u: Unit) -> bool:
    return bool(HEARSAY_RE.search(u.norm))


_TARGET_LABEL_RE = re.compile(
    r"^\W*(?:目標|kpi|成果指標|評価指標|期待される(?:効果|成果)|期待効果|効果|ねらい|狙い|targets?|goals?|kpis?|success measures?)\s*[\(（:：】\]>＞〉》]"
)


_SLIDE_PREFIX_RE = re.compile(r"^\s*(?:slide|スライド|p\.?)\s*\d+\W*")


def is_target(u: Unit) -> bool:
    """A goal statement: 「目標：…」, a line under 【目標】/■ KPI, 「…を目指します」, "Targets: …"."""
    if TARGET_RE.search(u.section) or _TARGET_LABEL_RE.search(_SLIDE_PREFIX_RE.sub("", strip_bullet(u.context))):
        return True
    return bool(re.search(
        r"目指|めざ|目標と|を目標|目標に|目標は|目標:|目標：|が目標|目標です|指標|kpi|\btargets?\b|\baim\b|\bgoal|"
        r"success measure|measures? of success|\bobjectives?\b|expected (?:outcome|impact)", u.norm))


def is_track_record(u: Unit) -> bool:
    return bool(TRACK_RECORD_RE.search(u.norm))


def is_price(u: Unit) -> bool:
    return bool(PRICE_RE.search(u.norm))


def is_theme_line(u: Unit) -> bool:
    return bool(THEME_RE.search(u.norm))


# A topic noun that is part of a product's name or domain: 「空き家バンク」「不法投棄の監視」「被害情報集約」.
_TOPIC_AS_DOMAIN_RE = re.compile(
    r"^\S{0,2}?(?:バンク|マッチング|窓口|相談|検知|監視|判定|情報|データ|アプリ|システム|サービス|センサー|予測|管理|"
    r"対策|防止|予防|活用|利活用|向け|用|専用|モニタリング|リノベ|改修|再生|解体|買取|"
    r"\s?(?:resilience|forecast|monitor|sensor|detection|management|platform|app\b|system|software|alert|prediction|mapping))"
)
_PRODUCT_DEFINITION_RE = re.compile(
    r"^[「『\"“]?[^、。]{1,30}[」』\"”]?\s*は[、,]?.{0,80}(?:サービス|システム|アプリ|製品|プラットフォーム|ツール|センサー|ロッカー|カメラ|機器|装置|プログラム)(?:です|でございます|となります)"
    r"|^[^.]{0,60}\b(?:makes|sells|provides|offers|develops|builds|delivers|manufactures)\b"
)


def _unremedied(rx: re.Pattern[str], body: str) -> list[re.Match[str]]:
    """Matches of ``rx`` in ``body`` that are not the object of a remedy (「負担を軽減」)."""
    out = []
    for m in rx.finditer(body):
        after = body[m.end():m.end() + 14]
        if _REMEDY_AFTER_RE.match(after):
            continue
        if rx is PROBLEM_TOPIC_RE and _TOPIC_AS_DOMAIN_RE.match(after):
            continue
        out.append(m)
    return out


_TESTIMONIAL_SECTION_RE = _rx(r"実績|導入事例|事例|お客様の声|利用者の声|自治体の声|の声|受賞|traction|testimonials?|case stud|track record")


# Not statements of a bad state: a polite request (「お時間を頂戴できませんでしょうか」), a
# condition (「申出がない限り」「支障がない場合」) or a prescription in an agreement's article
# (「費用は各自の負担とする」).
_REQUEST_RE = re.compile(r"(?:でき|[えけげせてねべめれ])(?:ませんでしょうか|ないでしょうか)|できませんか|(?:が|も)(?:ない|なく|なけれ)(?:限り|とき|場合|ば)|負担と(?:する|し(?:、|て))|"
                         r"[^、。\s]{0,12}?(?:った|た|だ|る|ない)(?:場合|際)(?:は|には|でも|、)|"
                         r"[^、。\s]{0,16}?(?:ない|れず|にくい)(?:方|人|人々|ご家庭|世帯|子ども)?(?:も|でも)(?!多|少な)[、,]?[^。]{0,40}?(?:(?:でき|られ)(?:る|ます)|可能)")
# A product's reassurance (「個人情報は含まれないため安心です」) and a product in a list
# ("- ClinicQ: a waiting-room queue app for clinics") are features, not problems; so is a plan to
# extend the same product later (「今後は同じ仕組みで…の検知も追加」).
_ASSURANCE_RE = re.compile(r"(?:(?:ため|ので|から)[、,]?\s*(?:ご)?安心(?:です|ください)|安心してご利用(?:いただけます|ください)|"
                           r"(?:心配|支障)(?:は|も)?(?:いりません|ありません|不要|無用)(?:です)?)\W*$|\bno need to worry\b|rest assured")
_PRODUCT_LISTING_RE = re.compile(
    r"^[a-z][\w-]{1,30}\s*[:：]\s*(?:an?|the)\s[^.]{0,80}\b(?:app|platform|tool|service|system|software|solution|product|sensor|device)\b")
_SAME_PRODUCT_LATER_RE = re.compile(
    r"^\W*(?:今後|将来(?:的に)?|ゆくゆく|いずれ)(?:は|も)?[、,]?\s*(?:同じ|同一の|同様の|この|本)\S{0,4}?"
    r"(?:仕組み|システム|技術|製品|サービス|方式|アプリ|プラットフォーム|ノウハウ|モデル|装置|センサー|機器|ツール)|\b(?:later|in future|in the future)\b[^.]{0,30}\b(?:same|this) (?:system|app|platform|product)")
# A problem relayed second-hand (rubric: hearsay keeps issue_driven partial, it does not erase
# the problem): 「…行き違いが生じていると、自治会長の皆様から伺っております」 "fishermen told us that…".
_REPORTED_STATE_RE = re.compile(
    r"生じ|起き|発生|増え|増加|目立|出て|相次|困|苦情|被害|トラブル|行き違い|"
    r"increas|caught|happen|occur|worse|complain|damage|trouble|stranded|\bmiss(?:es|ed)?\b|\boften\b")


def _problem_body(body: str) -> str:
    """``body`` with requests, conditions and prescriptions blanked out (same length, so offsets hold)."""
    return _REQUEST_RE.sub(lambda m: "＿" * len(m.group()), body)


def _reported_problem(u: Unit) -> bool:
    if not is_hearsay(u) or is_track_record(u) or _PRODUCT_EFFECT_RE.search(u.body) or _PROPOSING_RE.search(u.norm):
        return False
    return bool(_REPORTED_STATE_RE.search(u.norm) and (AFFECTED_RE.search(u.norm) or PROBLEM_TOPIC_RE.search(u.norm)))


def problem_units(draft: Draft) -> list[Unit]:
    """Sentences that state a problem: not headings, titles, theme titles, goals, add-ons or
    product features; a problem word that is only the object of a remedy does not count."""
    cached = draft.__dict__.get("_signal_problems")
    if cached is not None:
        return cached
    out = []
    for u in units(draft):
        if u.header or u.title or is_theme_line(u) or is_target(u):
            continue
        body = _problem_body(u.body)
        if not body or ADDON_RE.search(u.norm) or (ADDON_WEAK_RE.search(u.norm) and _ADDON_DEVICE_RE.search(u.norm)):
            continue
        state = _unremedied(PROBLEM_RE, body)
        topic = _unremedied(PROBLEM_TOPIC_RE, body)
        if _PRODUCT_DEFINITION_RE.search(body) and not state:
            continue  # 「「アキスマ」は、空き家を…つなぐマッチングサービスです」 defines the product
        if _TESTIMONIAL_SECTION_RE.search(u.section):
            continue  # 「【導入自治体の声】紙の名簿の集計作業がなくなった」 reports the product's effect
        if _ASSURANCE_RE.search(body) or _SAME_PRODUCT_LATER_RE.search(u.norm) \
                or _PRODUCT_LISTING_RE.search(strip_bullet(u.context or u.norm)):
            continue
        if is_track_record(u) and re.search(r"減り|減少|削減|短縮|改善|減った|減りました|下がり|reduced|cut", body):
            continue  # 「導入園では記録時間が52分から21分に減りました」 is the product's effect, not a problem
        in_problem_section = bool(PROBLEM_SECTION_RE.search(u.section)) or bool(_PROBLEM_LABEL_RE.search(u.context))
        sentence = not u.bullet and bool(re.search(r"[。.!?]$|(?:ます|です|いる|ある|た|ない)\W*$", body.strip()))
        if (state or (topic and (sentence or in_problem_section)) or _implied_problem(u, in_problem_section)
                or _reported_problem(u) or _ABSTRACT_AIM_RE.search(body)):
            out.append(u)
    draft.__dict__["_signal_problems"] = out
    return out


# An abstract aim stated as the proposal's purpose (「地域経済の活性化に向けて」 "to revitalise
# the local economy") names a problem, abstractly (rubric: partial, not product-out).
_ABSTRACT_AIM_RE = re.compile(
    r"(?:活性化|にぎわい|賑わい|地方創生|dx推進|デジタル化|脱炭素|人口減少対策)(?:に向け|のため|に貢献|に資する|に取り組(?:み|む|んで)|を図|につなげ)|"
    r"\b(?:revitali[sz]e|revitali[sz]ation of)\b")


def _implied_problem(u: Unit, in_problem_section: bool) -> bool:
    """A problem shown rather than named, in any register: a measured state of things under a
    「課題/現状/Problem」 heading or label, a figure the writer cites from a survey or records
    (「市の調査では…420台」 "62 hours of overtime (Board survey)"), or a description of how the
    work is done today (「現在、申込みは電話のみで…」 "Today, every application is on paper")."""
    body = u.body
    if is_track_record(u) or is_price(u) or _COMPANY_SUBJECT_RE.search(body) or _PROPOSING_RE.search(u.norm):
        return False
    if _PRODUCT_EFFECT_RE.search(body):
        return False  # 「導入後、満足度95%（当社調べ）」 reports the product's effect
    measured = bool(find_quantities(u))
    if in_problem_section and measured:
        return True
    if measured and not u.bullet and _CITED_SOURCE_RE.search(body) and not _FEATURE_RE.search(body):
        return True
    return bool(_TODAY_RE.search(body))


# A figure cited from somewhere: 「市の調査では」「（区役所の窓口記録）」 "(port survey, 2024)" "our survey of 40".
_CITED_SOURCE_RE = re.compile(
    r"調査|統計|アンケート|調べ|によると|によれば|では、|記録[)）]|計測|測定|公表|資料|台帳|白書|報告|年報|"
    r"数え|survey|statistics|census|\bdata\b|\blog\b|records|according to|\bfigures\b|\breport\b|register|"
    r"puts [a-z ]{0,30}at\b|\bcounted\b")
_FEATURE_RE = re.compile(r"自動|できます|可能|以上の精度|正答率|識別|ごとの|機能|feature|automatic")
_PROBLEM_LABEL_RE = re.compile(
    r"^\W*(?:(?:slide|スライド|p)\s*\d+\W*)?(?:現状と課題|現状・課題|課題|現状|背景|問題|提案の背景|背景と課題|"
    r"problem|the problem|background|challenge|situation|why it matters)\s*[:：]")
_COMPANY_SUBJECT_RE = re.compile(r"^\W*(?:当社|弊社|当法人|当会|私たち|我々|当研究室|本製品|本サービス|本システム)(?:は|が|で|の(?:製品|サービス))|"
                                 r"^\W*(?:we|our|us)\b")
_PRODUCT_EFFECT_RE = re.compile(r"満足|好評|高評価|精度|導入後|導入により|利用者の声|達成しました|削減しました|改善しました|"
                                r"satisf|accuracy|after (?:introducing|installing|deploying)")
_TODAY_RE = re.compile(r"^\W*(?:現在|現状|今は|いまは|いま、|today|currently|at present|right now)\W{0,2}\s*"
                       r"(?!(?:当社|弊社|私たち|we\b|our\b))\S")


_GENERIC_PROBLEM_WORD_RE = re.compile(r"^(?:課題|問題|\bproblem|\bissues?\b|challenge)$")


def is_abstract_problem(u: Unit) -> bool:
    """A problem named only in general terms: 「人口減少や高齢化といった課題」「…は重要な課題」."""
    body = _problem_body(u.body)
    words = [m.group() for m in _unremedied(PROBLEM_RE, body)] + [m.group() for m in _unremedied(PROBLEM_TOPIC_RE, body)]
    concrete = [w for w in words if not _GENERIC_PROBLEM_WORD_RE.match(w) and not ABSTRACT_PROBLEM_RE.fullmatch(w)]
    if find_quantities(u):
        return False
    return not concrete or bool(ABSTRACT_PROBLEM_RE.search(u.norm) and len(concrete) <= 1
                                and re.search(r"課題|問題|problem|issue|challenge", u.norm))


def affected_hits(draft: Draft, among: list[Unit] | None = None) -> list[Hit]:
    """Who suffers the problem, found in the problem sentences (or in ``among``)."""
    out = []
    for u in among if among is not None else problem_units(draft):
        m = AFFECTED_RE.search(u.norm)
        if m:
            out.append(u.hit(m, "affected", draft.text))
    return out


def has_content(draft: Draft) -> bool:
    """Whether the draft says anything a judge can read (a few words, not only marks or digits)."""
    return sum(len(re.sub(r"[\d\W_]", "", u.norm)) for u in units(draft)) >= 15


def size_quantities(u: Unit) -> list[Quantity]:
    """Quantities in a unit that can measure a problem: not plan durations or prices."""
    qs = []
    for q in find_quantities(u):
        if q.unit in {"日"} and not re.search(r"延べ|年間|月間", q.text):
            continue
        qs.append(q)
    return qs


_BARE_COUNT_RE = re.compile(r"(?<![\d.,:/-])(?!(?:19|20)\d\d(?![\d,]))\d{2,}(?:,\d{3})*(?![\d.,:/-]|\s*(?:年|月|日|歳|時))")
_PROPOSING_RE = re.compile(
    r"したい|いただけないでしょうか|いただきたい|いただけますと|提案(?:します|いたします)|実施します|導入します|行います|"
    r"設置します|開催します|\bwe (?:propose|will|would like)\b"
)


def size_evidence_units(draft: Draft, problems: list[Unit] | None = None) -> tuple[list[Unit], list[Unit]]:
    """(evidence, hearsay_only): units giving a figure for the problem's size, and units whose only
    support is second-hand (「…と伺っています」).

    A figure counts when it sits in a sentence that states the problem, or in a sentence citing a
    survey/data source next to a problem statement (the survey usually precedes or follows it);
    goals, prices, product specs and the company's track record are not evidence of size. A
    second-hand report counts only when it carries figures of its own (two or more).
    """
    problems = problems if problems is not None else problem_units(draft)
    problem_starts = {u.start for u in problems}
    all_units = units(draft)
    near: set[int] = set()
    for i, u in enumerate(all_units):
        if u.start in problem_starts:
            near.update(range(max(0, i - 3), min(len(all_units), i + 4)))
    evidence: list[Unit] = []
    hearsay: list[Unit] = []
    for i, u in enumerate(all_units):
        if u.header or u.title or is_theme_line(u):
            continue
        about_problem = u.start in problem_starts
        # the writer's own count under the 「課題」 heading (「当法人の清掃で1.2kmから3.6tを回収」)
        # is field observation, as good as a cited survey
        has_source = bool(DATA_SOURCE_RE.search(u.norm)) or (
            i in near and not u.bullet and bool(PROBLEM_SECTION_RE.search(u.section)) and not is_target(u))
        if not (about_problem or (has_source and (i in near or AFFECTED_RE.search(u.norm)))):
            continue
        if is_target(u):
            labelled = bool(TARGET_RE.search(u.section) or _TARGET_LABEL_RE.search(strip_bullet(u.context)))
            # 「国の目標である60%を大きく下回っています」 states the problem; 「目標：…」 lines do not
            if labelled or not about_problem or CHANGE_RE.search(u.body):
                continue
        if is_track_record(u) and not about_problem:
            continue
        qs = size_quantities(u)
        if not qs and about_problem and has_source:
            qs = [Quantity(u.start, u.end, m.group(), None, "count") for m in _BARE_COUNT_RE.finditer(u.norm)]
        if not qs:
            if about_problem and is_hearsay(u):
                hearsay.append(u)
            continue
        if is_price(u) and not (about_problem and has_source):
            continue
        if not has_source and _PROPOSING_RE.search(u.norm):
            continue  # 「…のため、2園で3か月試していただけないでしょうか」: the figures size the trial
        if not about_problem and re.search(r"(?:当社|弊社|本)\S{0,20}(?:は|が)\S{0,30}(?:できます|します|可能)", u.norm):
            continue  # a product claim with a number
        if is_hearsay(u) and len({q.text for q in qs}) < 2:
            hearsay.append(u)  # a single second-hand figure (「10軒近くが…と聞いています」)
            continue
        evidence.append(u)
    return evidence, hearsay


_PERCEIVED_OUTCOME_RE = re.compile(r"と(?:の)?回答|と答え|割合|感じ|(?<!参加)(?<!利用)(?<!継続)(?<!稼働)率|who (?:say|feel|report)")
_CLAUSE_SPLIT_RE = re.compile(r"[、;；]|(?<!\d)[,，]|[,，](?!\d{3})|\s・|(?<=\S)・(?=\S{2,}\s*\d)")
_BEFORE_AFTER_RE = re.compile(r"\d\S{0,8}\s*[→⇒]\s*\S{0,8}\d|\d(?:[^\d\sから]{1,3})?から\s*\S{0,12}?(?:に|へ)|\bfrom\s+\S+\s+to\b|"
                              r"\bfrom\s+\d[\d,.]*(?:\s+[a-z]+){0,3}\s+to\s+(?:under\s+|below\s+|over\s+)?\d")
_QA_TARGET_RE = re.compile(r"^\W*(?:q\W|問|質問)?.{0,20}(?:目標|kpi|ゴール|goal|target)\S{0,6}[?？]\s*$")


def outcome_units(draft: Draft) -> tuple[list[Unit], list[Unit]]:
    """(outcome, product_only): units stating how the problem changes (ideally a KPI), and
    target units whose every figure only counts the product's own use (downloads, sign-ups)."""
    outcome: list[Unit] = []
    product_only: list[Unit] = []
    prev_question = False
    for u in units(draft):
        if is_theme_line(u) or u.title:
            continue
        # 「Q. 目標は？」「A. 3年後に工賃を月2.5万円に」: the answer is a target
        target = is_target(u) or (prev_question and not _QA_TARGET_RE.search(u.norm))
        prev_question = bool(_QA_TARGET_RE.search(u.norm)) or (prev_question and len(u.body.strip()) <= 3)
        body = u.body
        if u.header and not CHANGE_RE.search(body):
            continue
        if is_hearsay(u) or (is_track_record(u) and not target):
            continue
        clauses = [c for c in _CLAUSE_SPLIT_RE.split(body) if c.strip()]
        good = bad = 0
        for c in clauses:
            cu = Unit(u.start, u.end, c, c, [], section=u.section)
            has_qty = bool(find_quantities(cu)) or bool(re.search(
                r"半減|倍増|半分|ゼロ|全員|by half|halve|double|\bzero\b|\bevery (?:participating |single )?[a-z-]+ (?:goes|gets|is|has|can)", c)) \
                or bool(_BEFORE_AFTER_RE.search(c))
            if not has_qty:
                continue
            change = bool(CHANGE_RE.search(c))
            if not (change or target):
                continue
            if is_price(cu) and not change:
                continue
            own_use = bool(PRODUCT_KPI_STRONG_RE.search(c)) and not re.search(r"率|割合|rate|あたり|per ", c)
            # 「参加者40名」 counts the product's use; 「参加者の『話せる場所がある』との回答80%」 does not
            weak_use = (bool(PRODUCT_KPI_WEAK_RE.search(c)) and not change
                        and not _PERCEIVED_OUTCOME_RE.search(c))
            if own_use or weak_use:
                bad += 1
            else:
                good += 1
        if good:
            # a solution's spec (「回答正答率95%以上」) is not an outcome unless framed as a goal
            if target or _BEFORE_AFTER_RE.search(body) or re.search(
                    r"目指|ことで|により|によって|させ(?:る|ます|たい)|たい|見込|aim|will|could|expect|"
                    r"(?:削減|短縮|向上|改善|半減|引き上げ|引き下げ|減らし|増やし|下げ|上げ)(?:ます|る(?:こと)?(?:です)?)\W*$|"
                    r"不要にな(?:ります|る)\W*$", u.norm) or \
                    (re.search(r"(?:削減|短縮|向上|半減|改善)\W*$", body) and re.search(r"効果|成果|effect|impact", u.context)):
                outcome.append(u)
        elif bad and target:
            product_only.append(u)
    return outcome, product_only


# --------------------------------------------------------------------------------------------
# One solution: catalogues, add-ons, counterparts
# --------------------------------------------------------------------------------------------

# Lead-ins to a list of separate offerings.
CATALOGUE_INTRO_RE = _rx(
    r"(?:以下|次|下記)(?:の|のような|のとおり|に)?\S{0,14}(?:サービス|取組|取り組み|事業|施策|活動|提案|メニュー|プログラム|技術|こと|パッケージ|ソリューション|製品|商品|プロジェクト)",
    r"(?:サービス|取組|取り組み|事業|施策|活動|メニュー|プログラム|技術|こと|パッケージ|ソリューション|製品|プロジェクト)\S{0,12}(?:以下|次)の(?:とおり|ように)",
    r"取り組みたいこと|できること|ご提供できる|ご提案できる|以下をパッケージ|次のように活用|提案内容|ご提案内容|ご提案事項|提案事項|研究内容|取組内容|"
    r"(?:以下|次)の(?:とおり|ような)?(?:取組|取り組み|事業|施策|サービス|提案)",
    r"ラインアップ|ラインナップ|一覧|提案メニュー|ご提案メニュー|連携事項|連携項目|協定事項|事業内容|サービス内容|当社の実績・サービス|^\W*サービス\W*$|"
    r"\d\s*本(?:柱|立て)|\d\s*つの(?:事業|取組|取り組み|提案|プロジェクト|施策|柱|サービス|プログラム)|\d\s*事業",
    r"what we offer|our (?:services|products|programs|programmes|solutions)|(?:platform|package|suite) includes|"
    r"cooperate on|we (?:can|could) (?:offer|provide)|the following",
)
# Lead-ins to a list of one product's features, track record, roles, goals or schedule.
NON_CATALOGUE_INTRO_RE = _rx(
    r"特長|特徴|機能|仕様|スペック|実績|受賞|メリット|導入効果|期待効果|効果|目標|kpi|役割|体制|費用|スケジュール|日程|期間|"
    r"課題|背景|現状|problem|traction|features|targets?|roles?|pilot|timeline|costs?|schedule|results|awards?",
)
# Items that describe a feature, not a separate service.
FEATURE_ITEM_RE = _rx(
    r"対応|可能|機能|精度|搭載|受賞|賞|実績|導入(?:済|実績|事例)|取得済|認証|登録|累計|以上|以内|不要|\d\s*%|自動で|自動的|"
    r"できます|します|です|ます|ません|により|→|⇒|：|:|\bwith\b|\bcan\b|\bup to\b"
)
ROLE_LABEL_RE = _rx(
    r"^\W*(?:当社|弊社|当法人|当組合|本講座|本研究室|当研究室|当団体|私たち|市|貴市|本市|貴局|自治体|行政|市役所|区役所|"
    r"教育委員会|国保担当部署|施設管理部署|介護保険担当部署|期間|場所|対象|内容|講師|目標|費用|利用料|kpi|実証|実証後|"
    r"期待効果|スケジュール|時期|city|company|the city|duration|targets?|costs?|roles?)"
    r"\s*(?:[\(（][^\)）]*[\)）])?\s*[：:]"
)
# A list of fields "に関すること" (連携協定): each item is a separate field.
AGREEMENT_ITEM_RE = _rx(r"に関すること|に関する事項|の推進$|の促進$")


@dataclass
class Catalogue:
    """A list of separate offerings, with the lead-in line that introduced it."""

    intro: Line | None
    items: list[Line]
    kind: str  # 'list' | 'inline' | 'numbered_proposals' | 'agreement'

    @property
    def start(self) -> int:
        return (self.intro or self.items[0]).start

    @property
    def end(self) -> int:
        return self.items[-1].end


_ATTRIBUTE_LABEL_RE = _rx(
    r"内容|時期|期間|場所|会場|対象|目標|役割|費用|体制|方法|規模|日程|定員|予算|効果|狙い|背景|課題|概要|スケジュール|"
    r"負担|お願い|期待|収益|kpi|target|role|cost|timeline|duration|scope|budget"
)


def _item_is_offering(norm: str) -> bool:
    """Whether a list item names a separate service/product/field (a noun phrase such as
    「空き家の管理代行」) rather than a feature, a role, a goal or a schedule line."""
    item = strip_bullet(norm).strip()
    if not item or ROLE_LABEL_RE.search(item):
        return False
    named = re.match(r"^([^：:。]{2,24})[：:]\s*\S", item)
    if named and _ATTRIBUTE_LABEL_RE.search(named.group(1)):
        return False  # 「内容：…」「時期：…」「市に担っていただきたい役割：…」 describe one plan
    body = named.group(1) if named else item
    if AGREEMENT_ITEM_RE.search(body):
        return True
    if re.search(r"^[\s\w\-–—]{0,40}[\-–—:：]\s", body) and len(body) > 40:
        body = re.split(r"[\-–—:：]\s", body, 1)[0]  # "VoyaPass – a multi-attraction e-ticket …"
    bare = re.sub(r"[\(（][^\)）]*[\)）]", "", body).strip()
    if FEATURE_ITEM_RE.search(bare):
        return False
    if len(re.sub(r"[\d\W_]", "", bare)) < 2:
        return False  # 「①」「1」 alone names nothing
    limit = 80 if bare.isascii() else 40  # English noun phrases run longer
    return len(bare) <= limit and _noun_phrase(bare)


def _noun_phrase(text: str) -> bool:
    """「空き家の管理代行」 names an offering; 「…を開設したい」「開設は今年度中を希望」 is a clause."""
    if re.fullmatch(r"[\x00-\x7f]+", text):
        return not re.search(r"\b(?:is|are|will|can|we|our)\b", text)  # English noun phrase
    toks = [t for t in tokenize(text) if t.pos[0] not in ("補助記号", "空白")]
    if not toks:
        return False
    if any(t.pos[0] == "助詞" and t.surface == "は" for t in toks):
        return False
    return toks[-1].pos[0] in ("名詞", "接尾辞")


def _group_runs(line_list: list[Line]) -> list[list[Line]]:
    """Consecutive list items with the same marker kind (blank lines do not break a run)."""
    runs: list[list[Line]] = []
    cur: list[Line] = []
    for ln in line_list:
        if ln.bullet and (not cur or cur[-1].bullet == ln.bullet or
                          {cur[-1].bullet, ln.bullet} <= {"num", "paren"}):
            cur.append(ln)
            continue
        if cur:
            runs.append(cur)
        cur = [ln] if ln.bullet else []
    if cur:
        runs.append(cur)
    return runs


_INLINE_LIST_RE = re.compile(r"[、／/|｜]")
_BROAD_RE = _rx(
    r"(?:幅広い|様々な|さまざまな|多様な|各種)\S{0,6}(?:サービス|事業|ソリューション|業務|製品)|幅広く(?:手がけ|展開|ご提供)|"
    r"総合(?:的に)?(?:ご)?(?:支援|提供)|ワンストップ|a (?:wide |broad )?range of (?:services|products|solutions)"
)
# 「…アプリ、オンライン診療、食事管理AI、睡眠改善プログラム、…を提供しています」
_OFFER_VERB_RE = re.compile(
    r"(?:を|も|まで)\S{0,10}?(?:ご?提供|展開|手がけ|取り扱|ご用意|展示|一括して(?:お)?引き受け|お引き受け|引き受け|請け負|お任せ|ご支援|"
    r"行って(?:おり|いま)|営んで)"
)
_EN_OFFER_RE = re.compile(
    r"(?:(?:products|services|solutions|offerings|portfolio|programmes|programs)\s+"
    r"(?:include|includes|including|are|cover|covering|in|for|such as|across)"
    r"|(?:provider|supplier|maker|manufacturer|developer)s?\s+of"
    r"|\b(?:supports?|covers?|works? (?:on|in)|speciali[sz]es? in|focus(?:es)? on))\b(.+)"
)
# 「新任職員研修、管理職研修、DX研修、接遇研修など、…幅広くサポートいたします」: four or more short items
# listed with 、 and closed by など, in a sentence where the company offers them.
_ENUMERATED_OFFER_RE = re.compile(
    r"(?:[^、。,]{1,16}[、,]){3,}[^、。,]{1,16}(?:など|等|の各分野|の各領域|の分野)[、,]?\S{0,40}?"
    r"(?:サポート|支援|提供|展開|手がけ|ご用意|お引き受け|取り扱|対応いたし|ご提案)"
)
# 「スマホ教室、健康体操、料理教室、書道、英会話、写真講座の講師を派遣できます」: five or more short items
# run straight into an offering verb.
_LONG_ENUMERATION_RE = re.compile(
    r"(?:[^、。]{1,12}、){4,}[^、。]{1,12}\S{0,12}?(?:提供|派遣|実施|開催|対応|ご用意|手がけ|行って|行います|できます|承り)"
)
_COMPANY_VOICE_RE = re.compile(r"当社|弊社|当法人|私たち|我々|当グループ|\bwe\b|\bour\b")


def _offering_sentence(body: str) -> bool:
    for m in _EN_OFFER_RE.finditer(body):
        listed = re.split(r"(?<=[a-z)])[.;!?](?:\s|$)", m.group(1))[0]  # this sentence only
        items = [p for p in re.split(r",|\band\b", listed) if p.strip()]
        if len(items) >= 4:
            return True
    v = _OFFER_VERB_RE.search(body)
    if not v:
        return False
    head = re.split(r"[。.!?]", body[:v.start()])[-1]
    parts = [p.strip() for p in re.split(r"[、，,]", head) if p.strip()]
    # count the short noun-phrase items that run up to the verb: 「A、B、C、Dを提供」
    run = 0
    for p in reversed(parts):
        if len(p) > 24 or re.search(r"(?:て|で|し|り|き|行い|により|によって|ており)$", p):
            break
        run += 1
    return run >= 4


# 「イベントも、チラシも、ホームページも、動画も…おまかせください」
_MO_LIST_RE = re.compile(r"(?:[^、。,]{1,20}も[、,]\s*){3,}")
# 「連携事項：A、B、C」 "Areas of cooperation: a; b; c" — a labelled list on one line
_LABELLED_LIST_RE = re.compile(
    r"(?:連携事項|協力事項|連携分野|連携内容|事業内容|提案メニュー|サービス内容|取扱(?:製品|商品)?|"
    r"areas of cooperation|cooperation areas|we offer|our services|services offered)\s*[:：]\s*(.+)"
)


def _labelled_list(body: str) -> bool:
    m = _LABELLED_LIST_RE.search(body)
    if not m:
        return False
    items = [p for p in re.split(r"[、;；,／/]", m.group(1)) if p.strip()]
    return len(items) >= 3


_POSSIBILITY_RE = re.compile(r"将来|今後|ゆくゆく|いずれ|うまくいけば|成果(?:を|が)|可能|でき(?:る|れば|たら)|視野|later|future|could|possible")


_PROPOSAL_HEADING_RE = re.compile(r"提案|施策|取組|取り組み|事業|solution|proposal|what we (?:do|offer)")


_MOTIRON_RE = re.compile(r"はもちろん[、,]?(.+?)まで\S{0,6}(?:手がけ|対応|行って|ご提供|提供|承)")


def _motiron_list(body: str) -> bool:
    """「チラシの印刷はもちろん、Webサイトの制作や動画の撮影、看板製作まで手がけています」."""
    m = _MOTIRON_RE.search(body)
    return bool(m) and len([p for p in re.split(r"[、,]|や", m.group(1)) if p.strip()]) >= 2


# 「まずは1)から」「まず1．について」「（2）〜（4）については別途」 "Items 2–4 can be discussed later":
# the numbered items above are separate offerings, taken one at a time.
_FIRST_ITEM_RE = re.compile(
    r"まず(?:は)?\s*(?:[\(（]?\d{1,2}[\)）.．]?|[①-⑩])\s*(?:から|について|を)"
    r"|[\(（]?\d[\)）]?\s*[〜~\-–]\s*[\(（]?\d[\)）]?\s*(?:について|は)"
    r"|items?\s*\d\s*[-–]\s*\d|(?:first|start with) (?:item|option) \d"
)


def _policy_areas(texts: Iterable[str]) -> set[str]:
    """The distinct policy areas (交通, 防災, 観光 …) that some texts name."""
    return {field_of(m.group()) for t in texts for m in FIELD_RE.finditer(t)}


def _listed_before_mo(body: str) -> int:
    """How many short items are listed right before 「…も」 in an add-on sentence."""
    m = re.search(r"([^。]*?)(?:なども|も)\S{0,6}(?:始め|行い|行え|実施|提供|手がけ|ご?提案)", body)
    if not m:
        return 0
    head = re.sub(r"^(?:また|あわせて|さらに|このほか|他にも|ほかにも)[、,]?", "", m.group(1))
    parts = [p.strip() for p in re.split(r"[、，,]", head) if p.strip()]
    return sum(1 for p in parts if len(p) <= 24)


_COUNTED_OFFER_RE = re.compile(
    r"(?:[2-9２-９]|[二三四五六七八九])\s*(?:つの)?\s*(?:事業|取組|取り組み|提案|プロジェクト|施策|サービス|プログラム|分野|領域|メニュー)"
    r"\S{0,30}(?:提供|支援|提案|展開|実施|ご支援|ご用意|用意)"
)
# 「点検、測量、農薬散布、物流、空撮、警備など、あらゆる用途に」: one product offered for every use.
_ANY_USE_RE = re.compile(r"(?:など|等)[、,]?\s*(?:あらゆる|様々な|さまざまな|幅広い|多様な)(?:用途|分野|場面|業務)|for (?:any|all|every) (?:use|purpose)")


_COUNTED_RE = re.compile(
    r"(?:\d|[一二三四五六七八九十])\s*(?:つの\s*(?:事業|取組|取り組み|提案|プロジェクト|施策|柱|サービス|プログラム|分野|メニュー|領域)"
    r"|本柱|本立て|事業|分野|プロジェクト|提案)"
)
_PROPOSAL_NO_RE = re.compile(r"提案\s*(?:[①-⑩]|\d{1,2}|[一二三四五])(?![\d万円])|proposal\s*\d|item\s*\d|project\s*\d")


# One product's coverage, not several offerings: 「住民票の写しの請求から…福祉サービスの申請まで、
# あらゆる窓口の帳票に対応しています」 (the items are what the product handles).
COVERAGE_RE = re.compile(r"から[、,]?[^。]{0,80}まで[、,]?[^。]{0,24}に対応して(?:います|おります)")
_COVERAGE_SENTENCE_RE = re.compile(r"[^。]*" + COVERAGE_RE.pattern + r"[。]?")
# A business card's lines of business: 「シェアサイクル事業／駐輪場の運営管理／放置自転車の撤去受託」.
_BUSINESS_LINE_RE = re.compile(
    r"(?:事業|運営|管理|受託|委託|広告|販売|代行|支援|開発|製造|施工|コンサルティング|レンタル|リース|仲介|派遣|"
    r"\b(?:sharing|operations?|removal|advertising|management|maintenance|consulting|rental|leasing|services?|"
    r"installation|development|construction))$")
# Also now, not later: 「防災情報・避難所マップ、観光案内、行政手続きの予約も同じアプリで」.
_ALSO_NOW_RE = re.compile(r"も(?:[、,]?\s*(?:同じ|同一の|一つの|ひとつの|1つの|この|本)|まとめて|一括)")


def catalogue(draft: Draft) -> list[Catalogue]:
    """Lists of several separate services, products, projects or fields offered as equals."""
    line_list = lines(draft)
    by_number = {ln.number: i for i, ln in enumerate(line_list)}
    out: list[Catalogue] = []
    first_item_starts = [u.start for u in units(draft) if _FIRST_ITEM_RE.search(u.norm)]
    for run in _group_runs(line_list):
        i0 = by_number[run[0].number]
        intro = None
        for j in range(i0 - 1, max(-1, i0 - 3), -1):
            cand = line_list[j]
            # the lead-in is the nearest line that is not an item of this list (it may itself be
            # a 「■貴市へのご提案メニュー」 line that looks like a list marker)
            if not cand.bullet or cand.bullet != run[0].bullet:
                intro = cand
                break
        intro_text = intro.norm if intro else ""
        offer = [ln for ln in run if _item_is_offering(ln.norm)]
        agreement = sum(1 for ln in run if AGREEMENT_ITEM_RE.search(strip_bullet(ln.norm).strip()))
        cat_intro = bool(CATALOGUE_INTRO_RE.search(intro_text))
        non_cat = bool(NON_CATALOGUE_INTRO_RE.search(intro_text)) and not cat_intro
        counted = _COUNTED_RE.search(intro_text)
        # a later sentence takes the items one at a time: 「まずは1)から試行させてください」
        taken_in_turn = (len(run) >= 3 and len(offer) >= 2 and run[0].bullet in {"num", "paren", "circled"}
                         and any(start > run[-1].end for start in first_item_starts))
        if agreement >= 3:
            out.append(Catalogue(intro, run, "agreement"))
            continue
        numbered_list = run[0].bullet in {"num", "paren", "circled"}
        listed = (
            (cat_intro and counted and len(run) >= 2)  # 「提案内容（3事業）」 + ①②③
            or taken_in_turn
            or (cat_intro and len(offer) >= 3)  # 「以下のサービスをご提供できます」 + items
            or (cat_intro and numbered_list and len(run) >= 3 and len(offer) >= 2)
            # no lead-in at all, but every item names a separate offering
            # under a bare 「提案」/"Solution" heading, four or more separate offerings
            or (not non_cat and intro is not None and intro.header and bool(_PROPOSAL_HEADING_RE.search(intro_text))
                and len(offer) >= 4 and len(offer) >= 0.8 * len(run))
            # offerings that belong to three or more policy areas are unrelated by definition
            or (not non_cat and len(offer) >= 3 and len(_policy_areas(x.norm for x in offer)) >= 3)
        )
        if listed:
            out.append(Catalogue(intro, run, "list"))
    # 「人材派遣、紹介予定派遣、BPO、…など幅広いサービス」 / 名刺の「事業内容」
    section_parts: dict[str, list[Line]] = {}
    covered = {x.number for c in out for x in c.items}
    for ln in line_list:
        if ln.number in covered:
            continue
        body = _COVERAGE_SENTENCE_RE.sub("", strip_label(strip_bullet(ln.norm)))
        parts = [p.strip() for p in _INLINE_LIST_RE.split(body) if p.strip()]
        short = [p for p in parts if len(p) <= 20]
        broad = len(short) >= 4 and bool(_BROAD_RE.search(ln.norm)) and bool(re.search(r"など|等", body))
        any_use = len(short) >= 4 and bool(_ANY_USE_RE.search(body))
        listed = bool(_MO_LIST_RE.search(body)) or _labelled_list(ln.norm)
        company = bool(_COMPANY_VOICE_RE.search(ln.norm))
        enumerated = company and (bool(_ENUMERATED_OFFER_RE.search(body)) or (
            len(short) >= 4 and len(_policy_areas(short)) >= 3))
        # (not a role line: 「当社：システム、スキャナー、研修、効果測定を無償で提供」 lists one side's part)
        plain = re.sub(r"[\(（][^\)）]*[\)）]", "", body)
        if not ROLE_LABEL_RE.search(strip_bullet(ln.norm)) and not re.search(r"負担|無償|無料|当社|弊社", plain):
            enumerated = enumerated or bool(_LONG_ENUMERATION_RE.search(plain))
        # three policy areas offered together now (not 「ご要望があれば」/「将来」: that is an add-on)
        also_now = (len(parts) >= 3 and len(_policy_areas(parts)) >= 3 and bool(_ALSO_NOW_RE.search(body))
                    and not _POSSIBILITY_RE.search(body) and not re.search(r"要望|希望|あわせて|併せて", body))
        if broad or any_use or listed or enumerated or also_now or _offering_sentence(body) or _motiron_list(body):
            out.append(Catalogue(None, [ln], "inline"))
        elif _COUNTED_OFFER_RE.search(body):
            out.append(Catalogue(None, [ln], "counted"))

        elif (("／" in ln.norm or "/" in ln.norm or "|" in ln.norm) and len(short) >= 2
              and (re.search(r"事業内容|サービス|業務内容|取扱|製品", ln.section + ln.norm[:12])
                   or sum(1 for p in short if _BUSINESS_LINE_RE.search(p)) >= 2)):
            section_parts.setdefault(ln.section, []).append(ln)
    for u in units(draft):
        body = u.body
        if ADDON_RE.search(body) and not _POSSIBILITY_RE.search(body) and _listed_before_mo(body) >= 3:
            # 「さらに、A、B、Cも実施したい」: more offerings committed to now, listed as equals —
            # unlike 「将来的には…にも展開可能」, an extra framed as a later possibility (partial)
            out.append(Catalogue(None, [Line(u.line, u.start, u.end, u.norm, u.index)], "inline"))
    for sec_lines in section_parts.values():
        n = sum(len([p for p in _INLINE_LIST_RE.split(strip_bullet(x.norm)) if p.strip()]) for x in sec_lines)
        if n >= 4:
            out.append(Catalogue(None, sec_lines, "inline"))
    # 「【提案①】…【提案②】…」: several proposals in one document
    numbered = [ln for ln in line_list if _PROPOSAL_NO_RE.search(ln.norm[:30])]
    labels = {_PROPOSAL_NO_RE.search(ln.norm[:30]).group() for ln in numbered}  # type: ignore[union-attr]
    if len(labels) >= 2:
        out.append(Catalogue(None, numbered, "numbered_proposals"))
    return out


# Extras that widen the scope (rubric: 「他にも〜にも応用できます」, "also possible later").
ADDON_RE = _rx(
    r"(?:にも|へも|としても)\S{0,12}?(?:応用|展開|転用|拡張|拡大|広げ|活用いただ|使っていただ|ご利用いただけ|提供可能|提供でき)",
    r"(?:応用|展開|転用|拡張|横展開)(?:も|が)?\s*(?:可能|でき|視野|考え|検討|ご提案)",
    r"(?:他|ほか)の\S{0,20}でも\S{0,10}(?:やれ|でき|展開|実施)",
    r"(?:このほか|他にも|ほかにも|さらに|あわせて)\S{0,80}?(?:なども|にも|も)\S{0,12}(?:ご一緒|ご?提案|提供|展開|応用|活用|できれば|可能)",
    r"(?:また|あわせて|さらに|このほか|他にも|ほかにも|同じ)\S{0,60}?も\S{0,6}(?:始め|行い|行え|実施|提供|やれ|やり|でき|手がけ)\S{0,3}?(?:たら|たい|れば|ます)",
    r"could (?:also|extend|expand)|can also be (?:used|applied|extended)|could be (?:extended|applied|used)|"
    r"later,? (?:it|we|the same) could|also be applied|expand (?:it )?to other|(?:can|could) also become|\band later\b|"
    r"(?:we )?can also (?:offer|provide|supply)|in addition,? we (?:can|could|also|offer)|(?:is|are) also available",
)
# Weaker verbs that widen the scope only with an "also / later / the same system" device.
ADDON_WEAK_RE = _rx(r"(?:にも|でも|としても)\S{0,12}?(?:活用でき|対応可能|設置可能|組み合わせ|使え|利用でき|ご活用)")
# A generic claim (「全国どの学校でも同じように」) is why_this_city's matter, not an add-on.
_GENERIC_RE = _rx(r"全国|どこでも|どの(?:地域|学校|自治体|施設|都市)|any city|anywhere")
_ADDON_DEVICE_RE = _rx(r"将来|今後|なお、|また、|このほか|他にも|ほかにも|あわせて|平常時|同じ|同(?:システム|製品|技術|装置|仕組み|プログラム)|later|also|future")


def addon_units(draft: Draft) -> list[Unit]:
    """Sentences that add uses or services beyond the one proposed."""
    out = []
    for u in units(draft):
        if u.header:
            continue
        strong = ADDON_RE.search(u.norm)
        weak = ADDON_WEAK_RE.search(u.norm)
        if not (strong or weak):
            continue
        if _GENERIC_RE.search(u.norm) and not re.search(r"将来|今後|later|future", u.norm):
            continue
        if not strong and not _ADDON_DEVICE_RE.search(u.norm):
            continue  # a feature bullet: 「曲面や壁面にも設置可能」
        out.append(u)
    return out


# The counterpart: a named department, or a field that points to one.
DEPARTMENT_RE = _rx(
    r"(?:局|課|部局|部署|所管課?|委員会|区役所|事務所|担当(?:部署|課|部局|窓口))"
    r"(?=の|様|御中|ご担当|へ|に|から|：|:|、|\)|）|\s|$)",
    r"(?<=[一-龥ァ-ヶー])ご?担当(?=者様|の皆様|者各位|の方)",  # 「交通政策ご担当者様」, not a bare 「ご担当者様」
    r"教育委員会|区役所|保健所|児童相談所",
    r"\bbureau\b|\bdepartment\b|\bdivision\b|team responsible|port authority",
)
FIELD_RE = _rx(
    r"交通|バス|モビリティ|介護|福祉|医療|健康|健診|保育|子育て|子ども|教育|学校|観光|防災|災害|避難|環境|ごみ|廃棄|"
    r"農業|農|漁業|水産|商店街|産業|雇用|就労|公園|道路|河川|港湾|空港|住宅|空き家|文化|スポーツ|国保|窓口|行政|dx|"
    r"エネルギー|電力|脱炭素|再生可能|太陽光|ヘルスケア|水道|下水|"
    r"\btransport|\btourism|\bhealth|\bcare\b|\bschools?\b|\beducation|\bparks?\b|\bports?\b|\bdisaster|\bflood|"
    r"\bwaste|\benvironment|\bhousing|\bsports?\b|\bwelfare|\benergy|\bwater\b|\bsolar"
)
UNCLEAR_COUNTERPART_RE = _rx(
    r"(?:どの|どちらの)\s*部署\S{0,20}(?:分から|わから|不明)",
    r"いくつもの部署|複数の部署にかかわ|各分野にまたが|分野にまたが|関係する部署の皆様と幅広く|部署を横断|"
    r"which (?:department|team)\S{0,20}(?:not sure|unsure)|not sure which|who should (?:i|we) (?:talk|speak|contact|ask)|"
    r"which (?:department|team|office) should|どこに(?:相談|申し込|連絡|問い合わせ)\S{0,8}(?:いい|よい|分から|わから)|"
    r"どちら(?:の窓口)?に(?:ご相談|ご連絡|相談|連絡)\S{0,6}(?:べき|よい|いい)",
)


# The name in front of 「局」「課」: kanji/katakana/latin (子ども is the one hiragana word bureaus use).
_NAME_BEFORE_RE = re.compile(r"(?:[一-龥々ァ-ヶーa-z0-9]|子ども){1,12}$")


def counterpart_hits(draft: Draft) -> list[Hit]:
    """Named departments (「介護保険担当部署」「港湾空港局」 "Port and Airport Bureau")."""
    out = []
    for u in units(draft):
        m = DEPARTMENT_RE.search(u.norm)
        if m:
            # extend the span left over the department's name: 「保健福祉局」, not just 「局」
            name = _NAME_BEFORE_RE.search(u.norm[:m.start()])
            a = name.start() if name else m.start()
            s, e = u.span(a, m.end())
            out.append(Hit(s, e, "department", draft.text[s:e]))
    return out


# Field words grouped by the policy area they point to, so 「バス」「乗合交通」「モビリティ」 count as one.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "交通": ("交通", "バス", "モビリティ", "transport"),
    "福祉・介護": ("介護", "福祉", "welfare", "care"),
    "保健・医療": ("医療", "健康", "健診", "国保", "ヘルスケア", "health"),
    "子育て・保育": ("保育", "子育て", "子ども"),
    "教育": ("教育", "学校", "school", "education"),
    "観光": ("観光", "tourism"),
    "防災": ("防災", "災害", "避難", "disaster", "flood"),
    "環境": ("環境", "ごみ", "廃棄", "waste", "environment"),
    "農林水産": ("農業", "農", "漁業", "水産"),
    "産業・雇用": ("商店街", "産業", "雇用", "就労"),
    "都市・住宅": ("公園", "道路", "河川", "住宅", "空き家", "park", "housing"),
    "港湾・空港": ("港湾", "空港", "port"),
    "文化・スポーツ": ("文化", "スポーツ", "sport"),
    "行政サービス": ("窓口", "行政", "dx"),
    "エネルギー": ("エネルギー", "電力", "脱炭素", "再生可能", "太陽光", "energy", "solar"),
    "上下水道": ("水道", "下水", "water"),
}
_FIELD_OF = {w: g for g, words in FIELD_GROUPS.items() for w in words}


def field_of(word: str) -> str:
    """The policy area a field word points to (「バス」→「交通」)."""
    w = normalize(word)[0].strip()
    return _FIELD_OF.get(w) or next((g for k, g in _FIELD_OF.items() if w.startswith(k)), w)


def field_hits(draft: Draft) -> list[Hit]:
    """Every mention of a policy field (交通, 介護, 観光 …) that points to a counterpart; ``kind``
    holds the policy area (``field:交通``)."""
    return [Hit(*u.span(m.start(), m.end()), f"field:{field_of(m.group())}",
                draft.text[slice(*u.span(m.start(), m.end()))])
            for u in units(draft) for m in FIELD_RE.finditer(u.norm)]


def unclear_counterpart_units(draft: Draft) -> list[Unit]:
    return [u for u in units(draft) if UNCLEAR_COUNTERPART_RE.search(u.norm)]


# --------------------------------------------------------------------------------------------
# Sales pitch: role for the city, a concrete proposal, an agreement, brochure voice
# --------------------------------------------------------------------------------------------

_CITY = r"(?:市|貴市|本市|貴局|自治体|行政|区役所|市役所|教育委員会|局|課|部署|委員会|担当)"
CITY_ROLE_RE = _rx(
    # 「市：会場の提供…」「・自治体（国保・保健部局）：データの提供」
    rf"^\W*(?:[^\s、。:：]{{0,10}}){_CITY}(?:様)?\s*(?:[\(（][^\)）]*[\)）])?\s*[:：]\s*\S",
    # 「市には、…をお願いしたい」「貴市に期待すること」
    rf"{_CITY}(?:様)?\s*(?:に|へ)(?:は)?[、,]?\S{{0,60}}?(?:お願い|期待|ご協力|ご提供|担って|いただきたい|いただければ|いただけます|できれば|ご相談)",
    # 「…のご提供をお願い」「ご紹介いただ」「周知にご協力」
    r"(?:提供|協力|紹介|案内|周知|広報|告知|許可|調整|橋渡し|あっせん|斡旋|共催|貸付|貸与|共有|呼びかけ|選定|立会い)"
    r"(?:を|に|の)?\s*(?:いただ|お願い|願え|ください|頂)",
    r"(?:会場|場所|施設|スペース|データ|情報|記録|用地)\S{0,12}(?:お借り|ご提供|提供|共有|貸与|貸し|使用許可|利用許可)",
    r"\bthe city(?:'s [a-z ]{2,30})? (?:provides|would|to|could|will)|\bcity\s*(?:\([^)]*\))?\s*:|\bask the city\b|\bshare\b.{0,40}\bdata\b|"
    r"\bpermission\b|introductions? to|introduce us|connect us|put us in touch|promotion (?:through|on)|\bhost\b|"
    r"joint(?:ly)? (?:promot|announc)",
)
# Sections listing what the city is asked to do: 「市に期待すること」「お願いしたいこと」 "The City provides".
ROLE_SECTION_RE = _rx(r"市に期待|期待すること|お願いしたいこと|お願いすること|市の役割|自治体の役割|担っていただきたい|役割分担|city provides|roles?")
_PURCHASE_RE = _rx(r"ご検討|ご予算化|ご購入|ご採用|採用を|お見積|ご契約|契約を|発注|導入をご|budget")
PROPOSAL_RE = _rx(
    r"実証(?!され|済)|試行|トライアル|試験的|試験サービス|試用|モデル(?:事業|地区|校|となる)|社会実験|パイロット|先行実施",
    r"(?:で|において|にて|内で|に)\S{0,40}(?:展開|設置|導入|開催|実施|運行|運営|提供|試用|配信|掲載|販売|運用)(?:させていただ|したい|いたしたい|することを提案|を提案|します|いたします|させてもらえ)",
    r"(?:市|貴市|本市)の\S{0,24}(?:事業|制度|施策|計画|サイト|窓口)(?:と|へ|に)の?(?:連携|掲載|組み込)",
    # a counted deployment here: 「公用車100台への取付けは当社が行います」
    r"\d+\s*(?:台|基|か所|箇所|校|園|施設|店舗|世帯)(?:へ|に)の?(?:取付|取り付|設置|配備|配布)(?!され|済|実績)",
    r"\bpilot\b|\btrial\b|we propose|our proposal|proposal:",
)
AGREEMENT_RE = _rx(r"連携協定|包括連携|協定(?:書|の締結|を締結|\(案\)|（案）)|協定締結|\bmou\b|memorandum of understanding|partnership agreement")
BROCHURE_RE = _rx(
    r"ご案内|ご紹介|カタログ|資料を(?:添付|お送り)|資料請求|パンフレット|お見積|料金|価格|ご購入|デモ|導入実績|受賞|"
    r"お問い合わせ|お気軽に|ウェブサイト|ご挨拶|お時間を|ご都合|日程|30分|ご検討|ご高覧|打ち合わせ|面談|お伺い|ご説明に|"
    r"派遣でき|承ります|お申し込み|お申込み|"
    r"機会をいただ|お役立て|ご活用(?:ください|いただ)|おまかせ|お任せ|月額|年額|円|税別|\btel\b|電話|mail|〒|株式会社|弊社|当社|"
    r"\bwe\b|\bour\b|brochure|attached|look forward|"
    r"\bcall\b|\bmeeting\b|\bintro\b|calendar|\bdemo\b|brochure|catalog"
)
FREE_OFFER_RE = _rx(
    r"(?:当社|弊社|当法人|私たち)\S{0,20}負担|無償|無料|費用はかかりません|市の(?:新たな)?(?:費用)?負担は?(?:なし|ありません|ございません|はない)|"
    r"free of charge|no fee|at no cost|we (?:will )?cover all|\bfree (?:access|trial|pilot|use|service)|for free|at our (?:own )?cost"
)


# A standing sales offer open to any customer (「無料トライアル受付中」 "free trial available on request")
# proposes nothing to this city: not a trial frame, not a free offer with a part for the city.
STANDING_OFFER_RE = _rx(
    r"(?:トライアル|お試し|試用|デモ|体験版)\S{0,6}(?:受付中|実施中|ご用意して|承って|お申し?込み(?:は|を|くだ)|随時)|"
    r"(?:trial|demo)s? (?:is |are )?(?:available|offered)(?: on request| upon request)?|(?:trial|demo) on request"
)


def _matching(draft: Draft, rx: re.Pattern[str]) -> list[Unit]:
    return [u for u in units(draft) if rx.search(u.norm) and not is_theme_line(u)]


def city_role_units(draft: Draft) -> list[Unit]:
    """Sentences that ask the city for a concrete contribution (place, data, publicity, permits,
    introductions) — a purchase decision (「ご検討ください」「ご予算化」) is not a role."""
    out = []
    for u in units(draft):
        if u.header or u.title or is_theme_line(u):
            continue
        asked = bool(CITY_ROLE_RE.search(strip_bullet(u.norm)))
        in_section = bool(ROLE_SECTION_RE.search(u.section)) and bool(u.body.strip())
        if not (asked or in_section):
            continue
        if _PURCHASE_RE.search(u.norm) and not re.search(r"提供|協力|周知|許可|調整|共有|紹介|会場|data|permission", u.norm):
            continue
        out.append(u)
    return out


# 「…を提案します」 is a proposal only with something concrete in it: a place, a number, a period.
_PROPOSE_RE = re.compile(
    r"提案します|提案いたします|ご提案いたします|提案させていただ|提案申し上げ|ことを提案|をご提案|ご提案させて|"
    r"\bwe would like to\b|\bwe'd like to\b|\bwe plan to\b"
)
_CONCRETE_RE = re.compile(
    r"市内|区|地区|校区|町|駅|港|公園|施設|センター|学校|園|か所|箇所|か月|ヶ月|期間|年度|から\d|\d+\s*(?:台|基|校|園|地区|世帯|人|名|か所)|"
    r"\b(?:\d+|two|three|four|five|six|ten)\s+(?:schools?|sites?|parks?|stations?|wards?|months?|weeks?|facilities|buildings)\b"
)


def proposal_units(draft: Draft) -> list[Unit]:
    """Sentences that propose doing something concrete here: a trial, a deployment at a place."""
    out = []
    for u in units(draft):
        if is_theme_line(u) or (u.header and "実証" not in u.norm):
            continue
        if STANDING_OFFER_RE.search(u.norm):
            continue
        if PROPOSAL_RE.search(u.norm) or (_PROPOSE_RE.search(u.norm) and _CONCRETE_RE.search(u.norm)):
            out.append(u)
    return out


def agreement_units(draft: Draft) -> list[Unit]:
    return _matching(draft, AGREEMENT_RE)


def brochure_units(draft: Draft) -> list[Unit]:
    return _matching(draft, BROCHURE_RE)


def free_offer_units(draft: Draft) -> list[Unit]:
    return [u for u in _matching(draft, FREE_OFFER_RE) if not STANDING_OFFER_RE.search(u.norm)]



# --------------------------------------------------------------------------------------------
# issue_driven: public views of the problem reader's parts, for the judge's own problem shapes
# (``coach/analysis/issue_driven.py``), so it applies the same exclusions as ``problem_units``.
# --------------------------------------------------------------------------------------------


def issue_problem_body(u: Unit) -> str:
    """``u.body`` with requests, conditions and prescriptions blanked (「故障した場合は」)."""
    return _problem_body(u.body)


def issue_is_testimonial(u: Unit) -> bool:
    """Under a 「導入事例」「利用者の声」 heading: the product's effect, not a problem."""
    return bool(_TESTIMONIAL_SECTION_RE.search(u.section))


def issue_is_assurance(body: str) -> bool:
    """A product's reassurance (「…ため安心です」 "rest assured")."""
    return bool(_ASSURANCE_RE.search(body))


def issue_is_product_effect(body: str) -> bool:
    """The product's effect (「導入後、満足度95%」 "after installing")."""
    return bool(_PRODUCT_EFFECT_RE.search(body))


def issue_is_proposing(u: Unit) -> bool:
    """The writer proposing or asking (「実施します」「いただけないでしょうか」 "we will")."""
    return bool(_PROPOSING_RE.search(u.norm))


def issue_is_perceived_outcome(text: str) -> bool:
    """A measure of how people fare (「…と回答する割合」「率」 "who say"), not a count of product use."""
    return bool(_PERCEIVED_OUTCOME_RE.search(text))


# --------------------------------------------------------------------------------------------
# issue_driven / sales_pitch: set phrases that carry a problem word but state no problem. A
# letter's courtesy formulas (「ご多忙のところ恐縮ですが」 "we are waiting for your kind reply"), the
# connective 「…にとどまらず」 ("not only … but"), and 課題 as part of a slogan compound
# (「課題先進地域」「課題解決型」) say nothing about how things are in the city. A sentence whose only
# problem words sit inside such phrases is no problem statement.
# --------------------------------------------------------------------------------------------

_ISSUE_FORMULA_RE = _rx(
    # greeting and closing formulas of a letter, Japanese
    r"ご多忙|ご多用|お忙しい(?:中|ところ|とは)|ご繁忙|ご繁多|ご多端|恐縮|恐れ入り|おそれいり|お手数|ご面倒|"
    r"申し訳(?:ございません|ありません|なく)|失礼(?:いたします|します|とは存じ|ながら)|ご無礼|"
    r"(?:ご迷惑|ご不便|ご負担|ご心配|お手間|ご面倒)を(?:おかけ|お掛け)|"
    r"(?:時下|ますます)\S{0,12}(?:ご清栄|ご清祥|ご健勝|ご隆盛|ご発展)",
    # … and English
    r"\b(?:await|awaiting|wait|waiting)\b(?: for)? (?:your|you)\b[^.!?]{0,24}\b(?:repl|respon|answer|feedback|contact)\w*|"
    r"look(?:ing)? forward to|\bhear from you\b|sorry (?:to|for) (?:trouble|bother|disturb|the)\w*|"
    r"(?:despite|during|in) your busy|(?:i|we) know (?:you are|you're|how) busy|apologi[sz]e for\b[^.!?]{0,30}|"
    r"thank you (?:very much )?for (?:your|taking)\b[^.!?]{0,30}",
    # "not only … but": 「従来の役割にとどまらず」「…のみならず」
    r"(?:に|だけに|のみに)(?:とどま|留ま|止ま)ら(?:ず|ない)",
    # 課題 in a slogan compound, not a statement: 「課題先進地域」「課題解決型」「課題認識」
    r"(?:社会|地域)?課題(?:先進|解決型|解決力|認識|意識|設定|抽出|発見|起点|ドリブン|解決に(?:向け|貢献|資す|取り組))",
)


def issue_formula_spans(body: str) -> list[tuple[int, int]]:
    """Spans of ``body`` that are set phrases (courtesy, 「にとどまらず」, 課題 slogans)."""
    return [m.span() for m in _ISSUE_FORMULA_RE.finditer(body)]


def issue_only_formula(u: Unit) -> bool:
    """The unit's problem words all sit inside set phrases and nothing else makes it a problem
    (a figure under a 「課題」 heading, a report relayed, an abstract aim): no problem statement."""
    body = _problem_body(u.body)
    spans = issue_formula_spans(body)
    if not spans:
        return False
    hits = _unremedied(PROBLEM_RE, body) + _unremedied(PROBLEM_TOPIC_RE, body)
    if not hits or not all(any(a <= m.start() < b for a, b in spans) for m in hits):
        return False
    in_section = bool(PROBLEM_SECTION_RE.search(u.section)) or bool(_PROBLEM_LABEL_RE.search(u.context))
    return not (_implied_problem(u, in_section) or _reported_problem(u) or _ABSTRACT_AIM_RE.search(body))


# The problem word inside the noun phrase the remedy acts on (「職員の時間を奪っている業務を、AIが効率化
# します」「住民を悩ませる手続きを一つの窓口で解消します」): the same shape as 「負担を軽減」, which
# ``_unremedied`` already skips, with a relative clause between the word and the remedy's object;
# also the offer to help with them all (「自治体様のお悩みを幅広くお手伝いしております」).
_ISSUE_REMEDY_OBJECT_RE = re.compile(
    r"^[^、。,]{0,12}?を[、,]?\s*[^。]{0,30}?(?:効率化|解決|解消|軽減|削減|自動化|省力化|一掃|なく|減ら|楽に|サポート|支援|改善|防|"
    r"お手伝い|手助け|お応え|応え)(?:し|いたし|でき|させ|させて)?(?:ます|ております|ています)\W*$")


def issue_only_remedy_object(u: Unit) -> bool:
    """Every problem word only describes what the sentence's remedy removes."""
    body = _problem_body(u.body)
    hits = _unremedied(PROBLEM_RE, body) + _unremedied(PROBLEM_TOPIC_RE, body)
    return bool(hits) and all(_ISSUE_REMEDY_OBJECT_RE.search(body[m.end():]) for m in hits)


def issue_states_nothing(u: Unit) -> bool:
    """A unit ``problem_units`` keeps that states no problem: its problem words are set phrases
    (``issue_only_formula``) or describe the remedy's object (``issue_only_remedy_object``)."""
    return issue_only_formula(u) or issue_only_remedy_object(u)


# --------------------------------------------------------------------------------------------
# issue_driven / sales_pitch: lines that mention problems as a backdrop, not as a situation of
# particular people, places or services that the city would recognise. A brochure whose only
# "problem" is such a line states none (issue_driven fail) and is a sales pitch. Four shapes:
# - the writer presenting itself: its mission or ongoing business set against society's
#   challenges (「少子高齢化、人手不足…――自治体を取り巻く課題が山積するなか、当社は…に取り組んでいます」
#   「社会が直面する課題に、水素の力でお応えします」), or a problem word that only names the domain of
#   what it makes ("I'm Ann from QLine - we build a queueing app");
# - a rhetorical question to the reader (「こんなお悩みはありませんか？」 "Tired of long lines?") and
#   the checklist right under it: advertising copy any customer may tick;
# - an offer to hear the city's problems (「貴市の課題について意見交換させてください」 "we'd love to
#   hear about your challenges"): the problem is what the writer does not know yet.
# A trend line that is the premise of what the draft asks of this city (「人口減少が進むなか、貴市と
# 連携を…」) is not a backdrop: it names an abstract problem the proposal targets (partial).
# --------------------------------------------------------------------------------------------

# Challenges of a holder in general — society, municipalities, the country, the era — not of a
# particular group: 「自治体を取り巻く課題」「社会が直面する課題」"challenges facing local governments".
ISSUE_GENERIC_HOLDER_RE = _rx(
    r"(?:社会|自治体|地域社会|日本|わが国|我が国|国内|世界|地球|人類|時代|現代|地方|全国の(?:自治体|地域|都市))"
    r"(?:が|を|の|に)?\s*(?:直面する|直面している|取り巻く|抱える|抱えている|共通する|共通の|迫られる)\s*(?:様々な|さまざまな|多くの|多様な)?(?:社会)?(?:課題|問題|チャレンジ)",
    r"\b(?:challenges?|problems?|issues?) (?:facing|faced by|confronting) (?:society|local governments|municipalities|"
    r"communities|cities|the world|japan|the country|our society)\b",
)
# this city, not citizens in general (「市民向けサービス」) nor cities at large (「都市の」)
_ISSUE_CITY_RE = _rx(r"貴市|本市|貴自治体|北九州|市内|区内|(?<!都)市(?:の|が|に|と|から)|\byour (?:city|town|council)\b|kitakyushu")
_ISSUE_WRITER_RE = _rx(
    r"当社|弊社|私たち|わたしたち|私ども|我々|当法人|当団体|当グループ|ミッション|経営理念|企業理念|創業以来|"
    r"\b(?:we|i'm|i am|our (?:company|mission|team|purpose))\b")
# what the writer does in general (its business, its mission), not a plan for this city
_ISSUE_WRITER_ACTIVITY_RE = _rx(
    r"(?:取り組|推進|開発|提供|展開|手が?け|支援|ご支援|お応え|応え|貢献|解決|挑戦|歩ん|尽力|邁進|まい進)\S{0,10}"
    r"(?:います|おります|まいりました|きました|します|いたします|する|してまいります)\W*$|(?:を|に)ミッションと?し|ミッションに掲げ|"
    r"\b(?:we|i) (?:build|make|develop|design|sell|offer|provide|run|operate|help|create)\b")
_ISSUE_OFFERING_VERB_RE = _rx(
    r"\bwe (?:build|make|develop|design|sell|offer|provide|run|operate|create)\b|"
    r"(?:を|の)(?:開発|製造|販売|提供|運営)(?:し|・)")
# 「当社は、…を…で提供しています」: the writer as the subject, what it makes or sells as the predicate
_ISSUE_JA_SELF_DESCRIPTION_RE = re.compile(
    r"^\W*(?:当社|弊社|私たち|わたしたち|私ども|我々|当法人|当団体|当グループ)(?:は|では)[、,]?[^。]{0,120}"
    r"(?:開発|製造|販売|提供|運営|展開)(?:し|いたし)て(?:います|おります|まいりました)\W*$")
_ISSUE_RHETORICAL_RE = _rx(
    r"(?:お悩み|悩み|お困り|困りごと|困って|悩んで|不満|ストレス|お手間|手間)\S{0,12}?(?:は|が|を|で|に)?\S{0,6}?"
    r"(?:ありませんか|ございませんか|ないですか|いませんか|おりませんか|ではありませんか|でしょうか)\W*$",
    r"^\W*(?:are you|do you|does your|is your|tired of|struggling with|still)\b[^.!?]*\?\W*$",
)
_ISSUE_HEAR_PROBLEMS_RE = _rx(
    r"(?:課題|お困りごと|困りごと|お悩み|ニーズ)(?:など)?(?:について|に関して|に関する|を|の)\S{0,6}?"
    r"(?:意見交換|お聞かせ|聞かせて|お伺い|伺い|伺え|お聞き|聞かせ|ヒアリング|ご相談|お話|議論|教えて|共有させ)",
    r"\b(?:hear|learn|talk|discuss|listen)\w*\b(?: more)?(?: about| to)? (?:your|the city's|kitakyushu's) "
    r"(?:challenges|needs|issues|problems|pain points)\b",
)


def issue_is_generic_trend(u: Unit) -> bool:
    """Challenges named as those of society or municipalities in general, with no figure."""
    return bool(ISSUE_GENERIC_HOLDER_RE.search(u.norm)) and not find_quantities(u)


def _issue_writer_backdrop(u: Unit) -> bool:
    norm = u.norm
    if _ISSUE_CITY_RE.search(norm) or not _ISSUE_WRITER_ACTIVITY_RE.search(norm.rstrip("」』\"” ")):
        return False
    # the writer's own words: named as the subject or the mission, a promise to the reader, or a
    # tagline standing alone in quotes (「社会課題を、テクノロジーで解決する。」)
    voiced = (bool(_ISSUE_WRITER_RE.search(norm)) or bool(re.search(r"(?:お応え|応え)\S{0,6}(?:します|いたします)\W*$", norm))
              or bool(re.fullmatch(r"\s*[「『\"“][^「『」』\"“”]+[」』\"”]\s*", norm)))
    if not voiced:
        return False
    if issue_is_generic_trend(u) or is_abstract_problem(u):
        return True
    # a problem word only inside the object of what the writer makes: after the verb in English ("we
    # build a queueing app"), before it in Japanese (「当社は、…避難所の混雑表示…をアプリで提供しています」)
    body = _problem_body(norm)
    hits = _unremedied(PROBLEM_RE, body) + _unremedied(PROBLEM_TOPIC_RE, body)
    if not hits:
        return False
    if _ISSUE_JA_SELF_DESCRIPTION_RE.search(norm):
        return True
    verb = _ISSUE_OFFERING_VERB_RE.search(norm)
    return bool(verb) and all(m.start() >= verb.end() for m in hits)


def issue_backdrop_starts(draft: Draft) -> set[int]:
    """Starts of the units that mention problems only as a backdrop (the shapes above)."""
    out: set[int] = set()
    checklist = False
    for u in units(draft):
        if checklist and u.bullet and not u.header:
            out.add(u.start)
            continue
        checklist = False
        if u.header or u.title:
            continue
        if _ISSUE_RHETORICAL_RE.search(u.norm) and not find_quantities(u):
            out.add(u.start)
            checklist = True
        elif (_ISSUE_HEAR_PROBLEMS_RE.search(u.norm) and not find_quantities(u)) or _issue_writer_backdrop(u):
            out.add(u.start)
    return out


def sales_is_self_description(u: Unit) -> bool:
    """The writer describing its own business (「当社は、…を一つのアプリで提供しています」 "we build a queueing
    app"): neither a problem nor a part for the city, whatever words (市民, 提供) it carries."""
    return bool(_ISSUE_JA_SELF_DESCRIPTION_RE.search(u.norm) or re.match(
        r"^\W*(?:(?:hi|hello)\W+)?(?:i'm|i am)?[^.]{0,60}?\bwe (?:build|make|develop|design|sell|offer|provide|run|operate|create)\b", u.norm))



# What a brochure is, sentence by sentence: the writer is the subject. A sentence whose agent is the
# writer — named (「私たちが支えます」「当社は…」 "We are pleased to introduce…") or marked by a humble
# predicate on an offering verb (「以下の商品を製造・販売しております」「ご用意しております」) — says what the
# company does or sells: its problem words name the market it serves (「自治体の『人手不足』を、私たちが
# 支えます」) and its verbs (introduce, provide) are the company's acts, not a part for the city. A
# sentence with a measured size or that speaks of this city is read as usual.
_SALES_WRITER_SUBJECT_RE = re.compile(
    r"(?:当社|弊社|私たち|わたしたち|私ども|我々|当法人|当団体|当グループ)(?:が|は|では|も)[^。]{0,60}?"
    r"(?:製造|販売|提供|運営|展開|開発|用意|支え|サポート|支援|お手伝い|手が?け|取り扱|取扱|承|お届け|ご紹介|ご案内)|"
    r"^\W*(?:we|our (?:company|team))\b(?: are| 're| would| 'd| will| 'll| can)?(?: (?:pleased|happy|delighted|proud|glad|excited) to)?"
    r" (?:introduce|present|offer|provide|sell|make|build|develop|support|help|supply|deliver|announce)\b")
_SALES_HUMBLE_OFFER_RE = re.compile(
    r"(?:製造|販売|提供|運営|展開|開発|用意|支え|サポート|支援|お手伝い|手が?け|取り扱|取扱|承)\S{0,6}?"
    r"(?:しております|いたしております|いたします|ております)\W*$")
# a sentence that asks the city for something in the writer's voice (「会場のご提供をお願いいたします」
# "we would like the city to provide a venue") still asks it
_SALES_ASKS_READER_RE = re.compile(r"いただ|頂|ください|下さい|お願い|願え|\byou\b|\byour\b|\bthe city\b|\bcity to\b")


def sales_writer_acts(u: Unit) -> bool:
    """The writer is the agent of the sentence (named, or by a humble predicate on an offering verb):
    a line of the brochure, neither a problem nor a part for the city (sales_pitch, issue_driven)."""
    norm = u.norm
    if size_quantities(u) or _ISSUE_CITY_RE.search(norm) or _SALES_ASKS_READER_RE.search(norm):
        return False
    return bool(_SALES_WRITER_SUBJECT_RE.search(norm) or _SALES_HUMBLE_OFFER_RE.search(norm.rstrip("」』\"” ―-")))
