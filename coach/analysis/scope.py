"""Scope signals for one_solution (rubric §3) that do not depend on known lead-in phrases.

The older detectors in ``signals`` recognise a catalogue by its lead-in (「以下のサービス」), a count
(「3つの事業」) or an offer verb after four or more items. Drafts by other writers list their
offerings in many other shapes, so this module works in two steps:

1. **Segment** the draft into the series of items it enumerates, whatever the punctuation: list
   runs (・ ■ 1. A. …), 「A・B・C」 noun series, 「A、B、Cなど」 series (also with inline (1)(2)(3)),
   and English "A, B, C and D" series, and items that head their own paragraphs (「■ 防災学習VR」
   「1．事業承継マッチング」「① ポータル出店」 each followed by its description or price). Each item
   keeps its offsets in the original text.
2. **Decide** whether a series is a catalogue — separate services/uses offered as equals — from
   what surrounds and distinguishes its items, not from a fixed phrase list:
   - the items belong to three or more policy areas (a field lexicon: 交通/防災/観光/教育/福祉/
     環境/税務/防犯/広告 …) in a sentence or list where something is offered;
   - the draft offers them one by one (separate contracts/prices per item, 「個別契約」「いずれかの
     サービス」 "available separately");
   - the company presents them as its lines of business (「当社の事業は」「メニュー」 "we can help with").
   - headed paragraphs that carry two or more distinct product names 「…」, or a price each;
   - items labelled with different product names ("HeatWatch:", 「AI議事録：」; not tiers such as
     Starter/Pro), or a lead-in that bundles services under one name (「まるごと支援サービス。内容は…」,
     "as one package:") — unless the items are one service's components (sensors, app, dashboard).
   A series of features, roles, goals, places or target groups is not a catalogue, nor are headings
   that structure one proposal (「1．背景と課題」「■ STEP1」「(2) 誰が困っているか」). What the items
   address outweighs the words of the lead-in: items pointing to three or more policy fields, or a
   lead-in that calls them 取組/施策/サービス, are not "one plan's parts" just because the lead-in also
   says お願い or 背景.

Two more shapes count as a catalogue without any enumeration: other NAMED products offered now beside
the main one (「あわせて、保育所向けの「A」、部活動向けの「B」もご用意」, "We also offer two separate
products: - Name: …"), unless the name is the main product's own companion (「X」 → 「Xナビ」); and
separate problems treated as equals (「課題A：…」「課題B：…」, 「二つの課題に同時に取り組む」).

Separately, an extension framed as later or optional (「ゆくゆくは〜にも」「結果次第で〜への展開も」
「あわせて〜も」 "could later") is an add-on (partial), even when it lists several areas, and so is a
side request tacked on (「ついでに…も何とかならんか」), and so is the product recommended to other kinds
of users (「学校や公民館などにもおすすめ」); 「どちらかの局で」「A局かB課か」「窓口がいずれになるか分からない」
leave the counterpart open (partial).

Why no embeddings here: multilingual-e5-small's mean pairwise cosine between the items of real
catalogues (0.885–0.927) and of one product's features or roles (0.876–0.889) overlaps, so
semantic dissimilarity did not separate them (measured on the drafts in
``tests/fixtures/one_solution_drafts.jsonl``); the structural cues above did.

Every span returned maps to the original draft text (``Draft.evidence`` slices it exactly).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import pairwise

from coach.analysis import signals as sg
from coach.analysis.draft import Draft
from coach.analysis.gazetteer import place_hits
from coach.analysis.layout import fold

# --------------------------------------------------------------------------------------------
# Field lexicon: which policy area an item points to
# --------------------------------------------------------------------------------------------

# Wider than ``signals.FIELD_GROUPS`` on purpose: an item such as 「撤去受託」「広告」「セキュリティ監査」
# names a line of business even when it names no department.
AREA_WORDS: dict[str, tuple[str, ...]] = {
    "交通": ("交通", "バス", "モビリティ", "タクシー", "乗合", "送迎", "シェアサイクル", "駐輪", "駐車", "自転車",
           "transport", "mobility", "parking", "bike", "traffic signal", "traffic"),
    "福祉・介護": ("介護", "福祉", "高齢者", "見守り", "徘徊", "障害", "ひとり親", "フードバンク", "生活困窮", "welfare", "elderly",
                "care"),
    "保健・医療": ("医療", "診療", "健康", "健診", "病院", "看護", "遠隔医療", "health", "medical", "clinic", "hospital"),
    "子育て": ("子育て", "保育", "子ども", "妊婦", "陣痛", "産後", "childcare"),
    "教育": ("教育", "学校", "授業", "ドリル", "教員", "プログラミング", "不登校", "school", "education", "classroom"),
    "観光": ("観光", "インバウンド", "tourism", "tourist", "visitor"),
    "防災": ("防災", "災害", "避難", "水位", "浸水", "disaster", "flood", "evacuation"),
    "防犯・安全": ("防犯", "通学路", "不審者", "security camera", "crime"),
    "環境": ("環境", "ごみ", "廃棄", "不法投棄", "リサイクル", "堆肥", "清掃", "空気", "大気", "waste", "recycling", "compost",
           "clean-up", "litter", "air-quality", "air quality"),
    "エネルギー": ("エネルギー", "電力", "脱炭素", "太陽光", "ソーラー", "充電", "省エネ", "energy", "solar", "charging", "carbon"),
    "産業・雇用": ("商店街", "産業", "地域経済", "商工", "雇用", "就労", "採用", "人材", "起業", "創業", "employment", "recruit"),
    "農林水産": ("農業", "農家", "漁業", "水産", "農薬", "farm", "fishery"),
    "都市・インフラ": ("道路", "橋梁", "下水", "水道", "公園", "住宅", "空き家", "インフラ", "bridge", "road", "park"),
    "河川": ("河川", "river"),
    "交通調査": ("交通量", "人流", "traffic count", "footfall"),
    "行政手続き": ("手続き", "申請", "窓口", "予約", "税務", "税", "行政", "文書管理", "tax", "permit"),
    "広告・PR": ("広告", "プロモーション", "pr動画", "サイネージ", "advertising", "marketing"),
    "人材育成": ("研修", "eラーニング", "e-learning", "人材育成", "training"),
    "情報セキュリティ": ("セキュリティ", "監査", "cyber"),
    "業務改革": ("bpr", "rpa", "業務改革", "dx", "生成ai", "automation"),
    "文化・スポーツ": ("文化", "スポーツ", "図書館", "culture", "sport"),
    "港湾・空港": ("港湾", "空港", "berth", "port", "cruise"),
    "金融": ("ふるさと納税", "グリーンボンド", "green bond", "bond", "finance", "決済"),
    "移住・定住": ("移住", "定住", "relocation"),
    "選挙・議会": ("選挙", "投票", "議会", "election", "voting"),
}
_AREA_RE = re.compile("|".join(sorted((re.escape(w) for ws in AREA_WORDS.values() for w in ws), key=len, reverse=True)))
_AREA_OF = {w: a for a, ws in AREA_WORDS.items() for w in ws}


def areas_of(text: str) -> set[str]:
    """The policy areas a (normalised) text names."""
    return {_AREA_OF[m.group()] for m in _AREA_RE.finditer(text)}


# --------------------------------------------------------------------------------------------
# Series of items
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    start: int
    end: int
    text: str  # normalised item text


@dataclass(frozen=True)
class Series:
    """Items the draft enumerates as equals. ``kind``: 'list' | 'options' (「A案：」) | 'ordinal' (「第一に」) |
    'nakaguro' | 'comma' | 'slash' | 'english'."""

    kind: str
    items: tuple[Item, ...]
    context: str  # normalised text around the series (its sentence, or the lead-in line of a list)
    unit_start: int
    unit_end: int
    line: str = ""  # the normalised line the series sits on (inline series)
    bodies: tuple[str, ...] = ()  # 'sections': the normalised paragraph under each item
    lead: str = ""  # 'list': the lead-in alone (``context`` adds the line after the list)

    @property
    def start(self) -> int:
        return self.items[0].start

    @property
    def end(self) -> int:
        return self.items[-1].end

    @property
    def extent(self) -> tuple[int, int]:
        """The span the series covers in the draft: with 'sections', the last item's paragraph too."""
        return (self.start, max(self.end, self.unit_end) if self.kind == "sections" else self.end)

    @property
    def areas(self) -> set[str]:
        return {a for it in self.items for a in areas_of(it.text)}


# Series are found on a copy of the sentence where parentheticals are masked with "_" (same length,
# so offsets hold and 「BPR（業務改革）支援」 stays one item).
_PAREN_RE = re.compile(r"[\(（][^\)）]{0,24}[\)）]")
_JA_SEP = {"nakaguro": re.compile(r"\s?・\s?"), "comma": re.compile(r"\s?[、,，]\s?"),
           "slash": re.compile(r"\s?[／/|｜]\s?")}
# Where an item's text begins (after the subject/object of the sentence) and ends (before the verb).
_JA_HEAD_CUT_RE = re.compile(r".*(?:は|が|には|では|として|について|[:：「『]|です。?|ます。?)\s*")
_JA_TAIL_CUT_RE = re.compile(r"(?:など|等|といった|を|の各|まで|の\d|\d\s*(?:つ|本|件|事業)|に(?:お|ご|対応|も)|もアプリ|も[、,])")
# A piece ending like a verb or a clause is not an item; nouns ending in り/き/し/い (見張り, 手続き,
# 暮らし, 住まい) are, so only the verb forms of those endings count.
_VERBISH_RE = re.compile(
    r"(?:て|で|た|る|れ|ず|ば|す|たり|ので|から|けど|ながら|あり|おり|なり|より|でき|いただき|おき|"
    r"(?<=[をとにでがも])し|ない|たい|よい|いい|しい|多い|高い|低い|強い|良い)$"
)
_NOUN_END_RE = re.compile(r"[一-龥々ァ-ヶーa-z0-9]$")
_NOT_ITEM_RE = re.compile(r"(?:は|が|を|には|では|とは)$|^(?:さらに|また|なお|加えて|あわせて|併せて|もちろん|特に|例えば|具体的には)$")
# Each piece starts and ends at a word boundary (the lookarounds): without them a search for a
# piece of at most 40 characters starts inside a longer word ("…survey says" → "y says").
_EN_LIST_RE = re.compile(
    r"((?:(?<![a-z0-9'_\-])[a-z0-9][a-z0-9 \-/'_]{1,40},\s*)+[a-z0-9][a-z0-9 \-/'_]{1,40}?,?\s+(?:and|or)\s+"
    r"[a-z0-9][a-z0-9 \-/'_]{1,60}(?![a-z0-9'_\-]))"
)
_EN_HEAD_CUT_RE = re.compile(
    r".*\b(?:with|offer|offers|provide|provides|include|includes|including|such as|support|supports|in|on|add|adding|cover|covers|"
    r"are|is|like|do|does|bundles?|combines?|sells?|runs?|operates?|manages?|build|builds|for|stack:?)\s+"
)
_EN_TAIL_CUT_RE = re.compile(r"\s+(?:to|as|for|in|at|across|within|with|by|on|from)\s.*$")


def _mask(norm: str) -> str:
    return _PAREN_RE.sub(lambda m: "_" * len(m.group()), norm)


def _item(u: sg.Unit, a: int, b: int) -> Item | None:
    seg = u.norm[a:b]
    lead = len(seg) - len(seg.lstrip("_ ・、,"))
    a2, b2 = a + lead, a + len(seg.rstrip("_ "))
    if b2 <= a2:
        return None
    text = re.sub(r"_+", "", _mask(u.norm[a2:b2]))
    if len(re.sub(r"[\d\W_]", "", text)) < 2:
        return None
    s, e = u.index[a2], u.index[b2 - 1] + 1
    return Item(s, e, u.norm[a2:b2])


def _keep_run(u: sg.Unit, base: int, run: list[tuple[int, int]], out: list[tuple[Item, ...]]) -> None:
    if len(run) >= 3:
        good = tuple(i for i in (_item(u, base + x, base + y) for x, y in run) if i)
        if len(good) >= 3:
            out.append(good)


def _ja_series(u: sg.Unit, masked: str, kind: str) -> list[tuple[Item, ...]]:
    """Runs of three or more short pieces between separators, trimmed to the item text."""
    out: list[tuple[Item, ...]] = []
    for clause_m in re.finditer(r"[^。!?！？]+", masked):
        clause, base = clause_m.group(), clause_m.start()
        cuts = [(m.start(), m.end()) for m in _JA_SEP[kind].finditer(clause)]
        if len(cuts) < 2:
            continue
        starts = [0] + [e for _, e in cuts]
        ends = [st for st, _ in cuts] + [len(clause)]
        run: list[tuple[int, int]] = []
        for x, y in zip(starts, ends):
            piece = clause[x:y]
            if not run:  # the first item follows the sentence's subject: 「当社は、A、B、C」
                h = _JA_HEAD_CUT_RE.match(piece)
                if h and h.end() < len(piece):
                    x += h.end()
                    piece = clause[x:y]
            t = _JA_TAIL_CUT_RE.search(piece)
            if t and t.group().startswith("を") and _NOUN_END_RE.search(piece[t.end():]):
                t = None  # 「空き店舗を使った学生の起業支援」: the を is inside the item
            if t:  # the last item runs into the verb: 「…の見張りなど、さまざまな用途に」
                y = x + t.start()
                piece = clause[x:y]
            core = piece.strip("_ 、,")
            is_item = (not _NOT_ITEM_RE.search(core)  # not a subject or an adverb (「さらに」)
                       and 1 <= len(core) <= 24 and not _VERBISH_RE.search(core))
            if is_item:
                run.append((x, y))
            if not is_item or t:
                _keep_run(u, base, run, out)
                run = []
        _keep_run(u, base, run, out)
    return out


def _en_series(u: sg.Unit, masked: str) -> list[tuple[Item, ...]]:
    out = []
    for m in _EN_LIST_RE.finditer(masked):
        text, base = m.group(1), m.start(1)
        h = _EN_HEAD_CUT_RE.match(text.split(",")[0])
        if h:
            text, base = text[h.end():], base + h.end()
        spans = []
        pos = 0
        for piece in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", text):
            if not piece.strip():
                continue
            i = text.index(piece, pos)
            pos = i + len(piece)
            t = _EN_TAIL_CUT_RE.search(piece)
            piece_end = i + (t.start() if t else len(piece))
            spans.append((base + i, base + piece_end))
        items = tuple(x for x in (_item(u, a, b) for a, b in spans) if x)
        if len(items) >= 3:
            out.append(items)
    return out


def _inline_series(draft: Draft) -> list[Series]:
    out: list[Series] = []
    line_list = sg.lines(draft)
    by_number = {ln.number: i for i, ln in enumerate(line_list)}
    for u in sg.units(draft):
        if u.header:
            continue
        masked = _mask(u.norm)
        found = [("nakaguro", s) for s in _ja_series(u, masked, "nakaguro")]
        found += [("comma", s) for s in _ja_series(u, masked, "comma")]
        found += [("slash", s) for s in _ja_series(u, masked, "slash")]
        found += [("english", s) for s in _en_series(u, masked)]
        for kind, items in found:
            context = u.norm
            # a series that is a whole line (名刺の事業内容, 「A・B・C・D」 under 「当社の事業は次の4本柱です」)
            # is introduced by the line above it
            i = by_number.get(u.line)
            if i and items[-1].end - items[0].start >= 0.6 * len(u.norm.strip()):
                context = line_list[i - 1].norm + " " + context
            out.append(Series(kind, items, context, u.start, u.end, sg.strip_bullet(u.context)))
    return out


_OTHER_OFFERS_HEAD_RE = re.compile(r"(?:その他|そのほか|ほか|他)の\S{0,4}(?:提案|サービス|メニュー|事業|商品|製品|取組|取り組み)|other (?:products|services|offers)")


def _intro(line_list: list[sg.Line], i: int) -> str:
    """The line before a list; with a short sub-heading there (「■ 自治体向け」), the line above it too."""
    if not i:
        return ""
    prev = line_list[i - 1]
    if prev.header and _OTHER_OFFERS_HEAD_RE.search(prev.norm):
        return prev.norm  # 「【その他のご提案】」 introduces its list on its own
    if prev.header and len(prev.norm.strip()) <= 20 and i >= 2:
        return line_list[i - 2].norm + " " + prev.norm
    return prev.norm


def _list_series(draft: Draft) -> list[Series]:
    """Runs of list items (same marker kind), each with the line that introduces it."""
    line_list = sg.lines(draft)
    out: list[Series] = []
    run: list[sg.Line] = []
    intro = ""

    def close() -> None:
        if len(run) >= 3:
            items = []
            for ln in run:
                body = sg.strip_bullet(ln.norm).strip()
                off = ln.norm.find(body) if body else 0
                s, e = ln.index[off] if ln.index else ln.start, ln.end
                items.append(Item(s, e, body))
            after = next((x.norm for x in line_list if x.start > run[-1].end), "")
            out.append(Series("list", tuple(items), intro + " " + after, run[0].start, run[-1].end, lead=intro))

    for i, ln in enumerate(line_list):
        if run and ln.header and len(ln.norm.strip()) <= 20 and i + 1 < len(line_list) \
                and line_list[i + 1].bullet == run[-1].bullet and _OFFER_CTX_RE.search(intro):
            continue  # in 【サービス一覧】, 「■ 自治体向け」 between two parts of one menu does not end it
        if ln.bullet and (not run or ln.bullet == run[-1].bullet or {ln.bullet, run[-1].bullet} <= {"num", "paren"}):
            if not run:
                intro = _intro(line_list, i)
            run.append(ln)
            continue
        close()
        run = [ln] if ln.bullet else []
        intro = _intro(line_list, i) if ln.bullet else ""
    close()
    return out


# 「A案：…」「プランB：…」 "Option 3: …" lines: alternatives the city is asked to choose among.
_OPTION_LINE_RE = re.compile(r"^\W*(?:[a-z0-9]\s*案|案\s*[a-z0-9]|プラン\s*[a-z0-9]|(?:option|plan)\s*[a-z0-9])\s*[:：.．]\s*\S")


def _option_series(draft: Draft) -> list[Series]:
    out: list[Series] = []
    line_list = sg.lines(draft)
    run: list[int] = []
    for i in range(len(line_list) + 1):
        if i < len(line_list) and _OPTION_LINE_RE.match(line_list[i].norm):
            run.append(i)
            continue
        if len(run) >= 3:
            lns = [line_list[j] for j in run]
            intro = line_list[run[0] - 1].norm if run[0] else ""
            after = line_list[run[-1] + 1].norm if run[-1] + 1 < len(line_list) else ""
            items = []
            for ln in lns:
                m = _OPTION_LINE_RE.match(ln.norm)
                k = m.end() - 1 if m else 0  # the item is what follows 「A案：」
                items.append(Item(ln.index[k], ln.end, ln.norm[k:].strip()))
            out.append(Series("options", tuple(items), intro + " " + after, lns[0].start, lns[-1].end))
        run = []
    return out


# 「第一に、A。第二に、B。第三に、C。」 "First, … Second, …": items in consecutive sentences.
_ORDINAL_RE = re.compile(
    r"^\W*(?:第\s*[一二三四五六1-6]\s*に|[一二三四五1-5]\s*つ目(?:は|に|として)|(?:first|second|third|fourth)(?:ly)?,)\s*[、,]?\s*"
)


def _ordinal_series(draft: Draft) -> list[Series]:
    out: list[Series] = []
    us = sg.units(draft)
    run: list[int] = []
    for i in range(len(us) + 1):
        if i < len(us) and _ORDINAL_RE.match(us[i].norm):
            run.append(i)
            continue
        if len(run) >= 3:
            items = []
            for j in run:
                u = us[j]
                k = _ORDINAL_RE.match(u.norm).end()  # type: ignore[union-attr]
                body = re.sub(r"(?:です|でございます|となります)?[。.]?$", "", u.norm[k:].strip())
                items.append(Item(u.index[k], u.index[k + max(len(body), 1) - 1] + 1, body))
            intro = us[run[0] - 1].norm if run[0] else ""
            out.append(Series("ordinal", tuple(items), intro, us[run[0]].start, us[run[-1]].end))
        run = []
    return out


# 「1．事業承継マッチング\n（説明）\n2．創業支援\n（説明）」「■ 防災学習VR\n（説明）」「①ポータル出店\n　手数料：…」:
# items that head their own paragraphs, so no run of list lines holds them. Marker kinds (on the raw
# line, before NFKC turns ① into 1): 【1】, ■◆▼▶, ## (Markdown), ①, 1．, (1).
_SECTION_MARK_RE = re.compile(
    r"^\s*(?:(?P<bracket>【\s*[0-9０-９]{1,2}\s*】)|(?P<mark>[■□◆◇▼▶►])|(?P<hash>#{2,4}(?=\s))|(?P<circled>[\u2460-\u2473\u2776-\u277f])|"
    r"(?P<num>(?:[0-9０-９]{1,2}|[一二三四五六七八九十])\s*[\.．、\)）](?![0-9０-９]))|(?P<paren>[\(（]\s*[0-9０-９]{1,2}\s*[\)）]))\s*"
)


_KANJI_DIGITS = "一二三四五六七八九十"


def _section_series(draft: Draft) -> list[Series]:
    """Runs of three or more headings with the same marker, with paragraphs between them."""
    line_list = sg.lines(draft)
    text = draft.judged_text
    heads: list[tuple[int, str, int]] = []  # (line index, marker kind, offset of the head text)
    for i, ln in enumerate(line_list):
        m = _SECTION_MARK_RE.match(text[ln.start:ln.end])
        if m and m.end() < ln.end - ln.start and not re.search(r"[。.]$|(?:ます|です|たい)$", ln.norm.strip()):
            heads.append((i, next(k for k, v in m.groupdict().items() if v), ln.start + m.end()))
    out: list[Series] = []
    run: list[tuple[int, str, int]] = []

    def close() -> None:
        # only heads with paragraphs between them: a plain run of list lines is ``_list_series``'s
        if len(run) < 3 or all(b[0] - a[0] == 1 for a, b in pairwise(run)):
            return
        items, bodies = [], []
        for k, (i, _, off) in enumerate(run):
            ln = line_list[i]
            items.append(Item(off, ln.end, sg.normalize(text[off:ln.end])[0].strip()))
            stop = run[k + 1][0] if k + 1 < len(run) else min(i + 3, len(line_list))
            bodies.append(" ".join(x.norm for x in line_list[i + 1:stop]))
        first = run[0][0]
        intro = " ".join(x.norm for x in line_list[max(0, first - 2):first])
        last = run[-1][0]
        tail = line_list[last + 1] if last + 1 < len(line_list) and bodies[-1] else line_list[last]
        out.append(Series("sections", tuple(items), intro, line_list[first].start, tail.end, bodies=tuple(bodies)))

    def number(h: tuple[int, str, int]) -> int:
        d = re.search(r"[0-9０-９]+", text[line_list[h[0]].start:h[2]])
        k = re.search(r"[一二三四五六七八九十]", text[line_list[h[0]].start:h[2]])
        if k and not d:
            return _KANJI_DIGITS.index(k.group()) + 1  # 「一、…」「二、…」
        return int(d.group()) if d else (ord(text[line_list[h[0]].start:h[2]].strip()[:1] or "0") if h[1] == "circled" else 0)

    for h in heads:
        if run and h[1] == run[-1][1] and h[1] not in ("mark", "hash") and number(h) <= number(run[-1]):
            close()  # the numbering starts again: another list
            run = []
        if run and h[1] != run[-1][1]:
            close()  # another marker kind: an outer or inner level of headings
            run = []
        run.append(h)
    close()
    return out


def item_series(draft: Draft) -> list[Series]:
    """Every enumeration of three or more items in the draft (cached per draft)."""
    cached = draft.__dict__.get("_scope_series")
    if cached is None:
        cached = (_list_series(draft) + _option_series(draft) + _ordinal_series(draft) + _inline_series(draft)
                  + _section_series(draft))
        draft.__dict__["_scope_series"] = cached
    return cached


# --------------------------------------------------------------------------------------------
# Which series are catalogues
# --------------------------------------------------------------------------------------------

# Something is offered in this sentence / by this list's lead-in.
_OFFER_CTX_RE = re.compile(
    r"(?:当社|弊社|当グループ|当法人|私たち|我々)\S{0,12}(?:事業|サービス|メニュー|商品|製品|ソリューション|プロダクト|強み|できる)|"
    r"(?:当社|弊社|当グループ|当法人|私たち|我々)\S{0,6}(?:の)?(?:取り組み|取組|活動)|"
    r"会社案内|会社概要|各(?:サービス|事業|メニュー|製品|商品)|いずれの(?:サービス|事業|取り組み|取組|活動)|which of these|each of (?:these|our)|"
    r"\b(?:we|our \w+) (?:also )?(?:do|run|runs|sell|sells|make|makes|operate|operates|manage|manages)\b|\bbundles?\b|一覧|"
    r"事業(?:内容|の柱)|本柱|\d\s*つの(?:事業|サービス|取組|取り組み|柱|メニュー)|\d\s*事業|メニュー|ラインナップ|ラインアップ|"
    r"できること|以下(?:の|を)|次の|下記の|取扱|取り扱|手がけ|展開して|提供して|ご提供|ご用意|"
    r"(?:用途|分野|場面|業務)に(?:お使い|ご活用|活用|対応|使え)|"
    r"(?:さまざまな|様々な|あらゆる|幅広い|多様な)(?:用途|分野|場面|業務|サービス)|"
    r"what we offer|we (?:can|could) (?:help|offer|provide|support)|our (?:services|products|solutions|modules|offer)|"
    r"\bmodules?\b|\bpackage\b|portfolio|\b(?:provides?|offers?|sells?)\s*:|\b(?:stack|suite|line-?up)\b|"
    r"\bwe(?:'d| would)? (?:like to |love to )?(?:offer|provide)\b"
)
# The draft lets the city pick items one by one: separate contracts, prices or choices.
_SEPARABLE_RE = re.compile(
    r"個別(?:に)?(?:契約|導入|発注|ご契約)|個別契約|単独で(?:導入|契約|ご利用)|独立して(?:導入|契約|ご利用)|"
    r"(?:選択|お選び|選んで)(?:いただけ|ください|いただく)|いずれかの(?:サービス|メニュー|事業|分野)|いずれか(?:を|一つ|ひとつ)|"
    r"(?:a|b|c)案|"
    r"ご?関心のある(?:メニュー|サービス|事業|分野|領域)|(?:どの|いずれの)(?:メニュー|サービス)からでも|"
    r"available separately|each (?:module|service|item|product|component) (?:is|can be)|(?:deployed|licensed|purchased|used) independently|"
    r"(?:\d\s*[〜~～\-]\s*\d|いずれ|どれ|ほか|他)も\S{0,3}(?:別途|個別)|(?:サービス|メニュー|事業|商品|製品)ごとに\S{0,4}(?:個別|お見積|見積|ご契約|契約)|"
    r"pick (?:any|one)|whichever (?:module|service)|"
    # sold one by one, or also as a bundle (a bundle price implies separate prices)
    r"\b(?:offer|offered|sell|sold|licen[cs]e[ds]?|contract(?:ed)?|price[ds]?|purchased?)\b[^.]{0,40}\bseparately\b|"
    r"\bbundle (?:of|with) (?:all|both|the) |\ball (?:two|three|four|\d) (?:for|together for)\b|"
    r"別々に(?:ご?契約|導入|購入|お申し?込み)|単品(?:で|でも)(?:の)?(?:ご?契約|導入|購入)|(?:\d|全|[二三四])\s*(?:製品|サービス|点)セット(?:で|価格|割)|"
    r"セット(?:価格|割引?|料金)|まとめて(?:ご?契約|導入)(?:いただく|される|すると)|"
    # a price per item (「各機能 月額5万円」「各モジュール年額」 "each module costs")
    r"各(?:機能|モジュール|サービス|製品|商品|メニュー|ツール)\s*(?:[:：]\s*)?(?:月額|年額|[¥$]?\s*\d)|"
    r"(?:\d|全|[二三四五])\s*(?:機能|モジュール|ツール)\s*(?:セット|パック|まとめて)|"
    r"\beach (?:module|tool|feature) (?:costs|is priced|at)\b|"
    r"\bany (?:module|of the modules|service|of our services)\b|module by module|"
    r"which (?:area|module|service)s? interests?|which of (?:these|them|our \w+) (?:fits?|suits?|interests?)"
)
_PRICE_RE = re.compile(r"\d\s*(?:万)?円|[¥$€£]\s*\d|(?:jpy|usd|eur|gbp)\s*\d|\d\s*(?:ドル|ユーロ)|\d\s*(?:万)?円/|月額|年額")
# Lead-ins to lists of one plan's parts (features, roles, goals, schedule, evidence, targets).
_PARTS_CTX_RE = re.compile(
    r"特長|特徴|機能|仕様|スペック|実績|受賞|効果|目標|kpi|役割|体制|費用|負担|スケジュール|日程|期間|課題|背景|現状|"
    r"対象|参加|連携先|構成|内訳|手順|流れ|ステップ|条件|実証内容|内容|お願い|期待|"
    r"features?|roles?|targets?|goals?|timeline|schedule|costs?|problem|results|steps?|phases?"
)
# Items that are places or target groups, not services.
_PLACE_ITEM_RE = re.compile(r"(?:区|市|町|駅|港|地区|校区|公園|団地|センター|エリア|通り|商店街|市場)$")
_WARDS_RE = re.compile(r"^(?:門司|小倉北|小倉南|小倉|若松|八幡東|八幡西|八幡|戸畑|黒崎|折尾|城野|mojiko|kokura|yahata|wakamatsu|tobata)")
_GROUP_ITEM_RE = re.compile(r"(?:者|世帯|生徒|児童|住民|市民|家庭|事業者|企業|農家|店舗|residents|families|students|businesses)$")
_COMPANY_RE = re.compile(r"当社|弊社|当グループ|当法人|私たち|我々|\bwe\b|\bour\b")
_OFFER_VERB_RE = re.compile(
    r"提供|展開|手がけ|行って|対応|ご用意|取り扱|お使い|ご活用|使え|載せ|追加|支援|サポート|できます|"
    r"\boffer|\bprovide|\bhelp|\badd\b|\badding\b|\bsupport"
)


# 「事業内容：A、B、C」 is a menu; 「市：A、B、C」「弊社の負担：…」「連携先：…」 list one plan's parts.
_LINE_LABEL_RE = re.compile(r"^\W*(?:[a-z]\s*[\.\)]\s*)?([^：:。、]{1,16})\s*[：:]")
_MENU_LABEL_RE = re.compile(r"事業内容|業務内容|事業|メニュー|サービス|取扱|取り扱|製品|商品|ラインナップ|できること|services|products|offer")


def _labelled_part(s: Series, line_norm: str) -> bool:
    m = _LINE_LABEL_RE.match(line_norm)
    if not m or s.items[0].start < 0:
        return False
    label = m.group(1)
    return not _MENU_LABEL_RE.search(label) and not areas_of(label)


# A lead-in that says what its items are — initiatives, services, measures (「以下の取組を行いたく」
# "the following services") — outweighs a parts word elsewhere in it (「ご支援をお願い」「背景」).
_LEAD_NAMES_OFFERINGS_RE = re.compile(
    r"(?:以下|次|下記)(?:の|に示す)\s*(?:\d\s*つの)?(?:取組|取り組み|施策|事業|サービス|製品|商品|対策|支援策)|"
    r"\bthe following (?:initiatives|services|products|measures|programmes|programs)\b")


# Lead-ins that say outright the list is one plan's effects, background, roles, costs or steps: no
# spread of fields makes those items offerings. (「お願い」「内容」「対象」 say less, and give way.)
_STRONG_PARTS_RE = re.compile(
    r"効果|目標|kpi|背景|課題|現状|役割|分担|体制|費用|負担|スケジュール|日程|期間|実績|受賞|特長|特徴|機能|仕様|手順|流れ|"
    r"ステップ|内訳|構成|条件|effects?|outcomes?|background|problem|roles?|costs?|timeline|schedule|steps?|features?|"
    r"targets?|goals?|results")


def _lead_line(ctx: str) -> str:
    """The line right above the items (a heading or the lead-in sentence), not the paragraphs before it."""
    parts = [p for p in re.split(r"[。！？!?]\s*|\n|\.\s+", ctx) if p.strip()]
    return parts[-1] if parts else ctx


_CLAUSE_END_RE = re.compile(r"(?:[るうくすつぬむぶぐいたんだ]|ない|ます|です|ません|ました|した)[。.]?$|"
                            r"\b(?:is|are|was|were|will|rises?|falls?|grows?|increases?|decreases?)\b[^,;]*$")


def _spans_fields(s: Series) -> bool:
    """Whether the items point to three or more policy areas, most items to one of their own: the
    fields (and so the counterparts) the series addresses are several, whatever its lead-in says.
    One plan's features, roles or steps seldom spread over three bureaus' fields; a 連携協定 list
    or a hospital's 「以下の取組」 of unrelated measures does."""
    # items written as clauses (「来店客が増える」「送迎が負担になっている」) are effects or background
    # facts, which may well touch several fields; only noun-phrase items name things to do
    if any(_CLAUSE_END_RE.search(re.sub(r"[\(（][^\)）]*[\)）]", "", it.text).strip()) for it in s.items):
        return False
    per_item = [areas_of(it.text) for it in s.items]
    with_area = sum(1 for a in per_item if a)
    return len({a for aa in per_item for a in aa}) >= 3 and 2 * with_area >= len(s.items)


def _parts_of_one_plan(s: Series) -> bool:
    if s.kind not in ("list", "sections") and _labelled_part(s, s.line):
        return True
    ctx = (s.lead or s.context) if s.kind in ("list", "sections") else ""
    if ctx and _PARTS_CTX_RE.search(ctx) and not re.search(r"メニュー|事業内容|サービス内容|what we offer", ctx) \
            and not (_spans_fields(s) and not _STRONG_PARTS_RE.search(_lead_line(ctx))) \
            and not _LEAD_NAMES_OFFERINGS_RE.search(ctx):
        return True
    items = [it.text for it in s.items]
    if sum(1 for t in items if _PLACE_ITEM_RE.search(t) or _WARDS_RE.match(t)) * 2 >= len(items):
        return True
    if sum(1 for t in items if _GROUP_ITEM_RE.search(t)) * 2 >= len(items):
        return True
    # list items written as role or attribute lines (「市：会場の提供」「期間：6か月」)
    return s.kind == "list" and sum(1 for t in items if sg.ROLE_LABEL_RE.search(t)) * 2 >= len(items)


_CJK_RE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


_NAME_LABEL_RE = re.compile(r"^\W*([a-z0-9][\w\-]*|[ァ-ヶー]{2,}|[一-龥]{2,})[ \u3000]+[^：:。]{1,16}?\s*[：:]")


def _brand_family(s: Series) -> set[str]:
    """Brand words shared by the labels of two or more items with different names: 「StudyLoop Maths：」
    「StudyLoop Voice：」 label a family of products (separate offerings), where 「期間：」「市：」 label
    one plan's parts."""
    labels = [m.group(0) for m in (_NAME_LABEL_RE.match(it.text) for it in s.items) if m]
    firsts = [lab.split()[0].strip("・-") for lab in labels]
    return {w for w in set(firsts) if firsts.count(w) >= 2
            and len({lab for lab, f in zip(labels, firsts) if f == w}) >= 2 and not _STRUCTURE_HEAD_RE.search(w)}


# A label that names a product or service of its own, as the draft wrote it: a coined name
# ("HeatWatch", "ParkSmart"; 「AI議事録」「AI-OCR」: an acronym fused to a word) or one that quotes a
# name (「…「モジコイン」」), as opposed to a plan's part (「期間：」「市：」), a feature in plain words
# (「マップ表示：」 "Push alerts:") or a tier of one service.
_COINED_NAME_RE = re.compile(r"[A-Z][a-z0-9]+[A-Z]|^[A-Z]{2,}(?:-|[\u3040-\u30ff\u4e00-\u9fff])|[「『][^」』]+[」』]")
# Tiers of one service (「ライト／スタンダード／プレミアム」 "Starter / Pro / Enterprise") are options of one
# offering, not separate ones.
_TIER_RE = re.compile(r"starter|basic|standard|premium|pro\b|plus|lite|light|enterprise|small|medium|large|"
                      r"gold|silver|bronze|entry|advanced|ライト|ベーシック|スタンダード|プレミアム|プロ|エントリー|"
                      r"ゴールド|シルバー|ブロンズ|松|竹|梅|[sml]サイズ")
_LABEL_RE = re.compile(r"^([^：:。]{1,14})[：:=＝]")


def _named_labels(s: Series, text: str, sold_separately: bool = False) -> set[str]:
    """The (normalised) labels of the items when three or more items carry different coined product
    names: a suite of named modules under one platform is several offerings (rubric §3: services
    listed as equals). In a draft that prices or sells its items one by one, any label that is not a
    plan's part names an offering."""
    labels = []
    for it in s.items:
        raw = unicodedata.normalize("NFKC", sg.strip_bullet(text[it.start:it.end]).strip())
        m = _LABEL_RE.match(re.sub(r"[\(（][^\)）]*[\)）]", "", raw).strip())
        if not m:
            continue
        label = m.group(1).strip()
        folded = label.lower()
        if (sold_separately or _COINED_NAME_RE.search(label)) and not _STRUCTURE_HEAD_RE.search(folded) \
                and not _FEATURE_NAME_RE.search(folded) and not _TIER_RE.search(folded) \
                and not sg.ROLE_LABEL_RE.search(folded + "："):
            labels.append(folded)
    return set(labels) if len(set(labels)) >= 3 and 3 * len(labels) >= 2 * len(s.items) else set()


def _offering_items(s: Series, text: str | None = None, sold_separately: bool = False) -> list[Item]:
    """Items that name something offered: short noun phrases or 「X：…」 labelled menu lines (with the
    draft's ``text``, also lines labelled with coined product names)."""
    out = []
    brands = _brand_family(s)
    named = _named_labels(s, text, sold_separately) if text is not None else set()
    for it in s.items:
        body = re.sub(r"[\(（][^\)）]*[\)）]", "", it.text).strip()
        label = re.match(r"^([^：:。]{1,14})[：:=＝]", body)
        if label and not areas_of(label.group(1)) and not (brands and label.group(1).split()[0] in brands) \
                and label.group(1).strip() not in named:
            continue  # 「実証期間：…」「役割：…」 describe one plan; 「防災：避難所のWi-Fi整備」 is a menu line
        head = label.group(1) if label else body
        # English items run longer; an en dash or curly quote does not make a line Japanese
        if len(body) > (45 if _CJK_RE.search(body) else 90) and not label:
            continue
        if re.search(r"(?:ます|です|した|ません|ください)[。.]?$|\d\s*%|削減|以上|以内", head):
            continue  # a feature or a claim, not an offering
        if _CREDENTIAL_RE.search(body):
            continue  # a track record or an award vouches for the one thing offered; it offers nothing
        out.append(it)
    return out


# Credentials: where the product is listed, adopted or awarded (「カタログに掲載」「導入実績」「優秀賞」
# "award-winning", "certified") — evidence about one offering, never an offering of its own.
_CREDENTIAL_RE = re.compile(
    r"実績|掲載|受賞|[大優秀金銀銅]賞|アワード|認定|認証取得|取得済|採択|選定され|特許|"
    r"\bawards?\b|award-winning|\bcertified\b|\bcertification\b|\badopted by\b|\blisted (?:in|on)\b|\bpatent"
)


# More lines of business besides the main one, offered now (a later framing is an add-on instead).
_ALSO_OFFER_RE = re.compile(
    r"(?:他にも|ほかにも|このほか|加えて)\S{0,30}(?:手がけ|行って|展開|提供|取り扱|運営)|"
    r"\bwe also (?:do|run|offer|provide|sell|make|operate)\b|\bwe (?:do|run|offer) also\b"
)
# Verbs that put several products on the shelf (not 「提供」, which role lines use for one plan's parts).
_SELL_AFTER_RE = re.compile(r"^\S{0,8}?(?:を|など|等)\S{0,6}?(?:展示|販売|取り扱|取扱|手がけ|ラインナップ|揃え|ご紹介|ご案内)|^\S{0,4}\s*(?:are|is) (?:on sale|available|on display)")


def _before(s: Series, draft: Draft, n: int = 80) -> str:
    """The normalised text just before a series (the company that offers it may be named there)."""
    return sg.normalize(draft.judged_text[max(0, s.start - n):s.start])[0]


def _after(s: Series, draft: Draft) -> str:
    """The normalised text right after a series (where its verb is)."""
    return sg.normalize(draft.text[s.end:s.end + 30])[0]


def _name_families(names: set[str]) -> set[str]:
    """Distinct product names, one per family: 「ミハリ」 and its 「ミハリビュー」 are one product's parts."""
    return {n for n in names if not any(o != n and o in n for o in names)}


# Headings that structure one proposal (「1．背景と課題」「■ 役割分担」「(2) 誰が困っているか」), not offerings.
_STRUCTURE_HEAD_RE = re.compile(
    r"背景|課題|現状|提案|概要|目的|役割|分担|費用|負担|体制|スケジュール|日程|期間|目標|kpi|効果|リスク|なぜ|理由|実績|"
    r"会社|団体|法人|連絡|問い合わせ|お願い|特長|特徴|機能|ステップ|step|フェーズ|phase|第\s*\d\s*期|進め方|流れ|手順|まとめ|"
    r"はじめに|おわりに|参考|資料|予算|収支|契約|条件|方法|内容|仕組み|対象|場所|根拠|規模|[?？か]$|"
    r"background|problem|solution|roles?|costs?|timeline|goals?|kpis?|about|why\b"
)
_QUOTED_NAME_RE = re.compile(r"[「『]([^」』]{2,20})[」』]")


_OFFERING_NOUN_RE = re.compile(
    r"製品|商品|サービス|取組|取り組み|事業|メニュー|ソリューション|プロダクト|products?|services|solutions|offerings?"
)


def _section_catalogue(s: Series, separable_draft: bool) -> str:
    """Why paragraphs headed by separate offerings are a catalogue ('' when they are one plan's parts)."""
    heads = [it for it in _offering_items(s) if not _STRUCTURE_HEAD_RE.search(re.sub(r"[\(（][^\)）]*[\)）]", "", it.text))]
    if len(heads) < 3 or 3 * len(heads) < 2 * len(s.items):
        return ""
    if separable_draft:
        return "separable"
    if sum(1 for b in s.bodies if _PRICE_RE.search(b)) >= 2:
        return "priced"
    if len(_name_families({m.group(1) for it in heads for m in _QUOTED_NAME_RE.finditer(it.text)})) >= 2:
        return "named"
    if len({a for it in heads for a in areas_of(it.text)}) >= 3:
        return "areas"
    # 「以下の3点をご提案します」 may introduce one plan's parts; a menu says what it lists (「以下の取組」
    # 「当社の製品」) or runs longer (「次のようなことができます」 + four items)
    if _OFFER_CTX_RE.search(s.context) and (_OFFERING_NOUN_RE.search(s.context) or (
            len(heads) >= 4 and not re.search(r"\d\s*点", s.context))):
        return "company_menu"
    return ""


# 「1)の実施計画」「一については、次のように考えています」「①について詳しく」 "For item 1, the pilot…": a later
# line that takes ONE item of a numbered list and gives it a plan of its own. Parts of one solution
# are planned together; a list whose items can be planned one at a time is a menu (rubric §3 fail,
# §4 "a catalogue that gives a complete trial frame for its first item").
_PICKED_REF_RE = re.compile(
    r"^\W*(?:(?:まず|最初に)(?:は)?\s*)?(?:[\(（]?(?P<n>\d{1,2})\s*[\)）\.．]?|(?P<k>[一二三四五六七八九])|"
    r"(?:案|提案|item|option|proposal|no\.?)\s*(?P<n2>\d{1,2}))\s*"
    r"(?:の(?:実施計画|詳細|進め方|実証|試行|計画|内容|具体|スケジュール|実施|取組|取り組み)|について|につき|に関して|に関する|"
    r"から(?:試|始|実施|着手|取り組)|を(?:先行|優先|先に|まず))|"
    r"^\W*(?:for|pilot (?:for|of)|plan for|details (?:for|of)|starting with)\s+(?:item|option|proposal|no\.?)\s*[\(]?(?P<n3>\d)\b"
)
_PLAN_FRAME_RE = re.compile(r"期間|費用|役割|目標|試行|実証|実施計画|進め方|スケジュール|負担|\bpilot\b|\btrial\b|\bperiod\b|"
                            r"\bcosts?\b|\bbudget\b|\bgoals?\b")
_BACK_REF_ITEM_RE = re.compile(r"^(?:の|について|につき|に関して)")


def _picked_one(s: Series, draft: Draft) -> bool:
    """Whether a line after the series takes one of its items (by number) and plans it alone."""
    if s.kind not in ("list", "sections") or len(s.items) < 3:
        return False
    line_list = sg.lines(draft)
    for i, ln in enumerate(line_list):
        if ln.start < s.items[1].start:
            continue
        m = _PICKED_REF_RE.match(ln.norm)
        if not m:
            continue
        g = m.group("n") or m.group("n2") or m.group("n3")
        n = int(g) if g else _KANJI_DIGITS.index(m.group("k")) + 1
        if not 1 <= n <= len(s.items):
            continue
        frame = " ".join(x.norm for x in line_list[i:i + 5])
        if _PLAN_FRAME_RE.search(frame):
            return True
    return False


# A lead-in that presents the proposer (「■弊社の強み」 "Our track record"): its items vouch for what is
# proposed and offer nothing of their own — unless the lead-in names offerings too (「当社の実績・サービス」)
# or the draft offers to do anything asked (「何なりとお申し付けください」: then the strengths are the menu).
_PROFILE_LEAD_RE = re.compile(r"強み|実績|受賞歴|strengths?|track record|credentials")
_PROFILE_NAMES_OFFERINGS_RE = re.compile(r"サービス|事業|メニュー|商品|製品|ソリューション|できること|services|products|solutions|offer")


def proposer_profile(lead_norm: str, draft: Draft) -> bool:
    """Whether a list's lead-in presents the proposer rather than what it offers (see above)."""
    # the heading right above the items (「■弊社の強み」), not the title line before it
    parts = [p for p in re.split(r"[。！？!?\n]\s*|\s+(?=[^\w\s])", lead_norm or "") if p.strip()]
    lead = parts[-1] if parts else ""
    return bool(_PROFILE_LEAD_RE.search(lead)) and not _PROFILE_NAMES_OFFERINGS_RE.search(lead) \
        and not _ANYTHING_RE.search(draft.normalized.lower())


# Heads that are phases of one plan (「実証」「本格導入」「全市展開」), not separate offerings.
_PHASE_HEAD_RE = re.compile(r"実証|試行|本格|展開|拡大|横展開|フェーズ|段階|年目|第\s*\d\s*期|pilot|roll-?out|scale|phase|stage|year")


def _first_planned_only(s: Series) -> bool:
    """Numbered sections of separate offerings where only the first carries a plan (who, what, cost,
    period) and the others are bare headings or deferred (「2・3の詳細は改めて」): the draft plans one item
    of a menu (rubric §3 fail; §4 "a catalogue that gives a complete trial frame for its first item").
    Parts of one solution are planned together; phases of one plan (実証 → 本格導入) are left alone."""
    if s.kind != "sections" or len(s.items) < 3 or len(s.bodies) != len(s.items):
        return False
    heads = [it.text for it in _offering_items(s)]
    if len(heads) != len(s.items) or any(_STRUCTURE_HEAD_RE.search(_PAREN_ANY_RE.sub("", h)) or _PHASE_HEAD_RE.search(h)
                                         for h in heads):
        return False
    first, rest = s.bodies[0], s.bodies[1:]
    if len(_PLAN_FRAME_RE.findall(first)) < 2:
        return False
    bare = sum(1 for b in rest if len(b.strip()) < 40 and not _PLAN_FRAME_RE.search(b))
    return 2 * bare >= len(rest) and bare >= 1 and all(len(b) < len(first) / 3 for b in rest)


# The city as the subject of the clause that lists the items: "The city provides the locations, the
# permits and …" 「市には会場、データ、広報をお願いします」 lists what the city contributes to one plan.
_CITY_SUBJECT_RE = re.compile(
    r"(?:\bthe city(?: of kitakyushu)?|\bkitakyushu)\s+(?:would |will |could |can )?(?:provides?|offers?|supplies|gives|shares|covers|contributes)\b"
    r"[^.;]*$|(?:貴市|本市|御市|市|自治体|行政)(?:側)?(?:には|は)\S{0,4}$")


def _city_contribution(s: Series, draft: Draft) -> bool:
    if s.kind in ("list", "sections", "options", "ordinal", "added"):
        return False
    return bool(_CITY_SUBJECT_RE.search(_lead_line(_before(s, draft, 60))))


def _without_back_reference(s: Series) -> Series:
    """The series without an item that is a back-reference itself (「1)の実施計画」 read as item 4)."""
    items = tuple(it for it in s.items if not _BACK_REF_ITEM_RE.match(it.text))
    if len(items) == len(s.items) or not items:
        return s
    return replace(s, items=items, bodies=s.bodies[:len(items)] if s.bodies else s.bodies)


# A lead-in that declares several things one offering — a package, suite, platform, 「まるごと」
# service — over items that are each deployable on their own: bundling separate services under one
# name does not make them one solution (rubric §3: services listed as equals).
_BUNDLE_RE = re.compile(
    r"\bone (?:integrated |single )?(?:package|platform|suite|bundle)\b|\bas one (?:package|bundle|offer)\b|"
    r"\ball-in-one\b|\bintegrated (?:package|suite|bundle)\b|"
    r"まるごと|丸ごと|オールインワン|ワンパッケージ|パッケージ(?:で|として|化し)|を(?:一つに|ひとつに|まとめて)(?:した|束ね)|"
    r"(?:サービス|ソリューション|パッケージ|スイート)\S{0,8}(?:内容|中身)は")


# The parts one service is built from (sensors, an app, a dashboard, alerts): a package of them is one
# solution, not a bundle of services.
_COMPONENT_RE = re.compile(
    r"センサー|アプリ|端末|機器|カメラ|画面|ダッシュボード|通知|アラート|サーバー?|システム|"
    r"\bsensors?\b|\bapps?\b|\bdashboards?\b|\bcameras?\b|\balerts?\b|\bdevices?\b|\bportal\b|\bservers?\b")


# What one delivered thing covers, said right after the series in its sentence: its uses reached through a
# single access point (「A・B・Cを一体で管理する…」「A・B・Cなどをワンストップでご利用いただけます」 "book,
# pay and unlock in one app"), or the range of questions one desk receives (「A、B、Cなどの相談が寄せられ」).
_ONE_ACCESS_RE = re.compile(
    r"一体(?:で|的に)\S{0,4}(?:管理|運用|利用|操作|提供する(?:システム|アプリ|基盤|サービス))|一元(?:的に)?(?:管理|化|で)|"
    r"ワンストップで\S{0,2}(?:ご?利用|使え|使う|完結|手続)|"
    # the verb after 「一つのアプリで」 says who does what: residents use or manage (one thing), not the company
    # 「提供」s (「A、B、C、Dを一つのアプリで提供」 is four services delivered in one container)
    r"(?:一つ|ひとつ|1つ|単一)の(?:アプリ|画面|id|カード|アカウント|端末|システム|基盤|プラットフォーム)(?:で|から|上で)\S{0,4}"
    r"(?:管理|ご?利用|使え|使う|操作|確認|完結|手続|申請|予約|検索|決済)|"
    r"(?:一度|1回)の(?:ログイン|本人確認|認証|登録)で|シングルサインオン|single sign-on|"
    r"\b(?:with|via|through) (?:one|a single) (?:login|log-in|sign-in|account|id)\b")
_ASKED_ABOUT_RE = re.compile(r"^\S{0,4}(?:など|等|といった)?(?:について|に関する|に関して|の)?\S{0,2}(?:ご?相談|問い合わせ|お?問合せ|質問|ご?依頼)"
                             r"|^\S{0,12}\b(?:questions?|enquir(?:y|ies)|inquir(?:y|ies)) (?:about|on)\b")


_PAREN_ANY_RE = re.compile(r"[\(（][^\)）]*[\)）]")


def one_offering_range(s: Series, draft: Draft) -> bool:
    """The series is the range of ONE delivered thing, not several things delivered: uses reached through a
    single product or access point, the subjects residents bring to one desk, or the departments one
    service works with (those make the counterpart unclear, rubric §3 partial — not a catalogue). A
    company that offers several things in one stop (「次のサービスをワンストップでご提供」) still delivers
    them separately, so 「提供」 after a list is no single access point."""
    depts = sum(1 for it in s.items if sg.DEPARTMENT_RE.search(_PAREN_ANY_RE.sub("", it.text) + "の"))
    if 2 * depts > len(s.items):
        return True  # 「区役所の住民窓口、教育委員会、保健福祉局…と連携」: whom one service works with
    if s.kind in ("list", "sections", "options", "ordinal", "added"):
        return False
    last = s.items[-1].text
    at = s.context.rfind(last)
    if at < 0:
        return False
    tail = s.context[at + len(last):]
    clause = re.split(r"[。.!?]", tail, maxsplit=1)[0]
    return bool(_ONE_ACCESS_RE.search(clause) or _ASKED_ABOUT_RE.search(clause))


def department_series_units(draft: Draft) -> list[sg.Unit]:
    """Prose sentences that name three or more city departments as equals for one service (「この窓口は、
    区役所の住民窓口、教育委員会、保健福祉局、環境局など関係各局と連携して運営したい」): addressed to all
    of them, it has no one counterpart (rubric §3 partial). A labelled 「連携先：」 line of a plan lists
    partners beside the owner, and is left alone."""
    out: list[sg.Unit] = []
    for s in item_series(draft):
        if s.kind in ("list", "sections", "options", "ordinal", "added"):
            continue
        depts = sum(1 for it in s.items if sg.DEPARTMENT_RE.search(_PAREN_ANY_RE.sub("", it.text) + "の"))
        if depts < 3 or 2 * depts <= len(s.items):
            continue
        out += [u for u in sg.units(draft) if u.start <= s.start < u.end and not u.bullet
                and not _LINE_LABEL_RE.match(u.context or u.norm)]
    return out


def one_offering_sentences(draft: Draft) -> list[tuple[int, int]]:
    """Spans of the sentences whose enumeration is the range of one delivered thing (``one_offering_range``):
    an inline catalogue found there by the shared lead-in rules is that range, not a menu."""
    out = []
    for s in item_series(draft):
        if s.kind not in ("list", "sections", "options", "ordinal", "added") and one_offering_range(s, draft):
            out += [(u.start, u.end) for u in sg.units(draft) if u.start <= s.start < u.end]
    return out


@dataclass(frozen=True)
class CatalogueSeries:
    series: Series
    why: str  # 'areas' | 'separable' | 'company_menu' | 'priced' | 'named' | 'picked' | 'bundled' | 'problems'


# An open-ended offer: the company will take on anything (rubric §3: 「こんなこともあんなこともできます」).
_ANYTHING_RE = re.compile(r"何でも|なんでも|どんなこと(?:で)?も|何なりと|あらゆる(?:ご相談|ご要望|ご依頼|課題)|"
                          r"\banything\b|\bwhatever you need\b")


def catalogue_series(draft: Draft) -> list[CatalogueSeries]:
    """Series that offer separate services/uses as equals (a catalogue, rubric §3 fail)."""
    cached = draft.__dict__.get("_scope_catalogues")
    if cached is not None:
        return cached
    text_norm = draft.normalized.lower()
    separable_draft = bool(_SEPARABLE_RE.search(text_norm))
    later = later_addon_units(draft)
    out: list[CatalogueSeries] = []
    seen: list[tuple[int, int]] = []
    for s in item_series(draft):
        s = _without_back_reference(s)
        if any(u.start <= s.start and s.end <= u.end for u in later):
            continue  # an extension framed as later or optional is an add-on, not a catalogue
        if s.kind == "list" and proposer_profile(s.lead, draft):
            continue
        if _first_planned_only(s):
            if not any(a <= s.start and s.end <= b for a, b in seen):
                out.append(CatalogueSeries(s, "picked"))
                seen.append((s.start, s.end))
            continue
        if _parts_of_one_plan(s) or _city_contribution(s, draft) or one_offering_range(s, draft):
            continue
        if any(u.start <= s.start and s.end <= u.end and sg.COVERAGE_RE.search(u.norm) for u in sg.units(draft)):
            continue  # 「住民票から…福祉の申請まで、あらゆる帳票に対応」: what one product reads
        offered = _offering_items(s, draft.text, separable_draft)
        if len(offered) < 3:
            continue
        ctx = s.context
        unit_text = ctx if s.kind != "list" else ctx + " " + " ".join(it.text for it in s.items)
        offer_ctx = bool(_OFFER_CTX_RE.search(ctx))
        areas = {a for it in offered for a in areas_of(it.text)}
        offered_here = offer_ctx or bool(_COMPANY_RE.search(unit_text)) or bool(_OFFER_VERB_RE.search(ctx))
        priced = sum(1 for it in s.items if _PRICE_RE.search(it.text))
        why = ""
        picked = _picked_one(s, draft)
        if s.kind == "sections":
            why = _section_catalogue(s, separable_draft) or ("picked" if picked else "")
        elif picked:
            why = "picked"
        elif separable_draft and (offer_ctx or s.kind in ("list", "options", "ordinal") or priced >= 2
                                  or (s.kind == "english" and _COMPANY_RE.search(ctx))):  # "our firm runs A, B and C"
            why = "separable"
        elif priced >= 2 and s.kind == "list" and len({it.text[:4] for it in s.items}) == len(s.items):
            why = "priced"
        elif len(areas) >= 3 and offered_here:
            why = "areas"
        elif offer_ctx and (len(offered) >= 4 or s.kind == "ordinal") and \
                s.kind in ("list", "nakaguro", "english", "ordinal") and \
                not re.search(r"を一体化|を搭載|を備え|を組み合わせ|機能", ctx):
            why = "company_menu"
        elif len(offered) >= 4 and (_ANYTHING_RE.search(text_norm) or s.kind == "slash") and not sg.proposal_units(draft):
            # 「AI／IoT／ドローン／DX … 何でもお気軽にご相談ください」: we can do all of this; a slashed line of
            # four or more lines of business in a draft that proposes nothing is the company's menu (a card)
            why = "company_menu"
        elif len(offered) >= 3 and _BUNDLE_RE.search(ctx if s.kind in ("list", "sections") else _before(s, draft, 60) + ctx) \
                and 2 * sum(1 for it in offered if _COMPONENT_RE.search(it.text)) < len(offered):
            why = "bundled"  # 「…まるごと支援サービス。内容はA、B、Cの3つ」 "as one package: 1. … 2. … 3. …"
        elif len(offered) >= 3 and s.kind != "list" and _ALSO_OFFER_RE.search(ctx) and _COMPANY_RE.search(ctx):
            why = "company_menu"  # 「当社は…を運営。他にもA、B、Cも手がけています」 "We also do A, B and C"
        elif len(offered) == 3 and s.kind != "list" and _COMPANY_RE.search(_before(s, draft) + ctx) and _SELL_AFTER_RE.search(
                _after(s, draft)):
            why = "company_menu"  # 「AI議事録、電子契約、庁内チャットを展示いたします」: three products on sale
        if why and not any(a <= s.start and s.end <= b for a, b in seen):
            out.append(CatalogueSeries(s, why))
            seen.append((s.start, s.end))
    out += [c for c in added_products(draft) if not any(a <= c.series.start < b for a, b in seen)]
    if not out:
        out += separate_problems(draft)
    draft.__dict__["_scope_catalogues"] = out
    return out


# Separate problems treated as equals: 「課題A：…」「課題B：…」 paragraphs, or 「二つの課題に同時に取り組む」.
_PROBLEM_LABEL_RE = re.compile(r"^\W*(?:課題|問題|problem|issue)\s*(?:[a-d]|[1-4]|[一二三四])\s*[:：]")
_PROBLEM_COUNT_RE = re.compile(
    r"(?:二つ|2つ|ふたつ|三つ|3つ|複数)の(?:課題|問題)\S{0,12}(?:取り組|扱|解決|同時|抱え|対応)|"
    r"\b(?:two|three|several) (?:separate )?(?:problems|issues)\b"
)


def separate_problems(draft: Draft) -> list[CatalogueSeries]:
    labelled = []
    for ln in sg.lines(draft):
        m = _PROBLEM_LABEL_RE.match(ln.norm)
        if m:
            labelled.append(Item(ln.start, ln.end, ln.norm[m.end():].strip()))
    counted = [u for u in sg.units(draft) if not u.title and _PROBLEM_COUNT_RE.search(u.norm)]
    if len({it.text for it in labelled}) >= 2:
        items = tuple(labelled)
    elif counted and len(labelled) != 1:
        u = counted[0]
        items = (Item(u.start, u.end, u.norm),)
    else:
        return []
    return [CatalogueSeries(Series("problems", items, "", items[0].start, items[-1].end), "problems")]


def generic_menu_extents(draft: Draft) -> list[tuple[int, int]]:
    """Spans of catalogue menus written as headed paragraphs that name no place in the city: their
    「…を提供します」 describe a product line, not a deployment proposed here (sales_pitch)."""
    out = []
    for c in catalogue_series(draft):
        if c.series.kind != "sections":
            continue
        a, b = c.series.extent
        if not any(h.kind not in ("bureau",) for h in place_hits(fold(draft.text[a:b]))):
            out.append((a, b))
    return out


# 「当会の役割｜大会運営、安全管理、…」: a table row whose label names one plan's part.
_TABLE_LABEL_RE = re.compile(r"^\W*([^｜|：:。]{1,14})\s*[｜|]")


def plan_parts(draft: Draft, item_lines: list[sg.Line]) -> bool:
    """Whether lines another detector read as a catalogue are one plan's parts: table rows labelled
    with a part (「役割｜…」), or a list of the people, places or roles of one plan."""
    if not item_lines:
        return False
    if all((m := _TABLE_LABEL_RE.match(ln.norm)) and _STRUCTURE_HEAD_RE.search(m.group(1)) for ln in item_lines):
        return True
    items = [sg.strip_bullet(ln.norm).strip() for ln in item_lines]
    return sum(1 for t in items if _GROUP_ITEM_RE.search(t) or _PLACE_ITEM_RE.search(t)) * 3 >= 2 * len(items)


# 「あわせて、保育所向けの「ほいくポケット」…もご用意しており」 "We also offer two separate products:
# - EventCrew: …": other named products offered now, next to the main one, are a catalogue; the same
# product grown later (「将来的に…にも展開」) stays an add-on.
_ALSO_CUE_RE = re.compile(
    r"あわせて|併せて|加えて|に加え|さらに|また[、,]|他にも|ほかにも|その他|このほか|\balso\b|\bin addition\b|\bseparate (?:products|services)\b"
)
_OFFER_NOW_RE = re.compile(r"ご?用意|ご?提供|ご?提案|販売|取り扱|ラインナップ|\boffer|\bprovide|\bsell")
_FUTURE_RE = re.compile(r"ゆくゆく|将来|今後|いずれ|次の?(?:段階|ステップ|フェーズ)|次第|うまくいけば|視野|\blater\b|\bin (?:the )?future\b|\beventually\b|\bif\b")
_NAME_LINE_RE = re.compile(r"^\W*([A-Z][A-Za-z0-9]+(?:[ \-][A-Z][A-Za-z0-9]+)?)\s*(?::|：| [–—-] )\s*\S")
_CAMEL_NAME_RE = re.compile(r"\b[A-Z][a-z]+[A-Z][A-Za-z]+\b")  # "ParkPal", "DonorPing": an English product name
# Quotes that label an idea: 「…」という入口／選択肢／考え方 "the idea of …" (a product would be 「…」というアプリ).
_CONCEPT_LABEL_RE = re.compile(r"[」』]という(?:新しい|新たな|別の|もう一つの)?(?:入口|入り口|選択肢|考え方|視点|発想|観点|切り口|"
                               r"コンセプト|キーワード|価値観|道筋|選択)|\bthe (?:idea|notion|concept) of\b")
_FEATURE_NAME_RE = re.compile(r"機能|モード|プラン|コース|画面|ボタン|feature|mode|plan")


def _named_mentions(text: str, base: int) -> list[tuple[str, int, int]]:
    return [(m.group(1).lower(), base + m.start(1), base + m.end(1)) for m in _QUOTED_NAME_RE.finditer(text)
            if not _FEATURE_NAME_RE.search(m.group(1))]


def added_products(draft: Draft) -> list[CatalogueSeries]:
    """Other named products offered now beside the main one, for another field or counterpart."""
    text = draft.judged_text
    line_list = sg.lines(draft)
    out: list[CatalogueSeries] = []
    for u in sg.units(draft):
        n = u.norm
        if u.header or u.title or not _ALSO_CUE_RE.search(n) or not _OFFER_NOW_RE.search(n) or _FUTURE_RE.search(n):
            continue
        if _CONCEPT_LABEL_RE.search(n):
            continue  # 「「ゼロからの創業」に加え「承継による創業」という入口を用意」: quoted ideas, not products
        earlier = sg.normalize(text[:u.start])[0]
        main = _named_mentions(text[:u.start], 0) or [
            (m.group().lower(), m.start(), m.end()) for m in _CAMEL_NAME_RE.finditer(text[:u.start])][:1]
        new = [x for x in _named_mentions(text[u.start:u.end], u.start)
               if x[0] not in earlier and not any(m[0] in x[0] for m in _named_mentions(text[:u.start], 0))]
        scope_text = n
        if n.rstrip().endswith((":", "：")):  # "We also offer two separate products:" + "- Name: …" lines
            after = [ln for ln in line_list if ln.start > u.end]
            for ln in after:
                if not ln.bullet:
                    break
                raw = text[ln.start:ln.end]
                m = _NAME_LINE_RE.match(sg.strip_bullet(raw))
                if m:
                    off = raw.find(m.group(1))
                    new.append((m.group(1).lower(), ln.start + off, ln.start + off + len(m.group(1))))
                    scope_text += " " + ln.norm
        names = {x[0] for x in new}
        if not names or not (main or earlier):
            continue
        first_main = main[0] if main else None
        main_areas = areas_of(next((x.norm for x in sg.units(draft) if first_main and x.start <= first_main[1] < x.end), ""))
        new_areas = areas_of(scope_text)
        if len(names) >= 2 or (new_areas and not new_areas <= main_areas):
            items = ([Item(first_main[1], first_main[2], first_main[0])] if first_main else []) + [
                Item(a, b, name) for name, a, b in new]
            out.append(CatalogueSeries(Series("added", tuple(items), n, u.start, u.end), "named"))
    return out


# --------------------------------------------------------------------------------------------
# Add-ons framed as later or optional; counterparts left open
# --------------------------------------------------------------------------------------------

# Widening the scope: another use, field, place or service.
_EXTEND_RE = re.compile(
    r"展開|広げ|広がり|応用|転用|拡大|拡張|横展開|にも(?:対応|活用|使|導入|提供|適用|つなげ|繋げ|つなが|繋が|生か|活か)|へも|"
    r"(?:も|にも)\S{0,6}(?:ご?提供|ご?提案|実施|配信)でき|併設|付設|"
    r"(?:や|と|、)\S{0,24}も\S{0,16}(?:たい|でき(?:る|れば|たら)|られる|可能|予定|考え|検討|お?引き受け|承|対応(?:いたし|し|でき))|"
    r"同じ\S{0,12}(?:で|から|を使)|"
    r"\bextend|\bexpand|\bscale|\bappl(?:y|ied) to|\balso (?:be )?(?:used|offer|provide|run|cover)|\badd(?:ed)? later|"
    r"\b(?:could|can|might|would)\s+(?:later\s+|also\s+|then\s+|eventually\s+)*(?:offer|provide|extend|expand|apply|use|run|add|cover|"
    r"carry|serve|support|host|handle)\b|\bthe same \w+ (?:could|can|might)\b"
)
# Framing it as later, conditional or optional.
_LATER_RE = re.compile(
    r"ゆくゆく|将来|今後|いずれ|次の?(?:段階|ステップ|フェーズ)|(?:結果|成果)(?:次第|を踏まえ|を見て|が出れば)|うまくいけば|"
    r"視野|行く行く|長期的|あわせて|併せて|希望があれば|ご要望に応じ|オプション|"
    # optional, on request: 「ご要望があれば」「必要に応じて」「ご関心に応じて」
    r"(?:要望|希望|ご依頼|ご用命|ご関心|ニーズ)(?:が|の)?(?:あれば|ございましたら|あり次第|に応じ)|必要に応じて|"
    r"\blater\b|\bin (?:the )?future\b|\beventually\b|\bnext (?:phase|step|stage)\b|"
    r"\bif (?:it|the pilot|this) (?:works|succeeds|is successful)\b|\bif successful\b|"
    r"\boptional(?:ly)?\b"
)
_LATER_HEADING_RE = re.compile(r"今後|将来|展望|ロードマップ|次のステップ|発展|拡張|roadmap|future|next steps?|coming soon")
# ...but not the company's plan for its own business elsewhere (「今後全国に展開」) — that is not
# a widening of what is proposed to the city.
_ELSEWHERE_RE = re.compile(r"全国|他の?(?:自治体|都市|地域)で|海外|nationwide|other cities")


# Growing the same service (「成果を見て拡大を協議」「本格導入」) is the trial's next step, not a new scope.
_SCALE_UP_RE = re.compile(r"拡大を(?:協議|検討|判断)|本格(?:導入|実施|運用)|全市|市内全域|市全域|全域(?:へ|に|で)|規模を|台数を|対象を(?:広げ|拡大)|\bscale[ -]up\b|\broll[ -]?out\b")
_NEW_USE_RE = re.compile(r"にも|へも|他の用途|別の|other uses?|\balso\b")


# A side request tacked on (「ついでに公園のカラスも何とかならんか」「別件ですが、…もご相談したく」
# "while we're at it, could you also…"): one main ask plus another, an add-on (partial).
_SIDE_REQUEST_RE = re.compile(
    r"(?:ついでに|ついでと言って|別件(?:で|になりますが|ですが))\S{0,40}も\S{0,24}(?:どうにか|何とか|なんとか|お願い|相談|聞い|検討|ほしい|欲しい|"
    r"もらえ|いただけ|いただき|なら)|"
    r"\bwhile (?:we're|we are) at it\b|\bon a separate (?:note|matter)\b"
)


def later_addon_units(draft: Draft) -> list[sg.Unit]:
    """Sentences that widen the scope with something framed as later or optional."""
    cached = draft.__dict__.get("_scope_later")
    if cached is not None:
        return cached
    out = []
    for u in sg.units(draft):
        if u.header or u.title:
            continue
        n = u.norm
        if _SCALE_UP_RE.search(n) and not _NEW_USE_RE.search(n):
            continue
        if _ABOUT_THE_PLACE_RE.search(sg.strip_bullet(n)) and not _PROPOSER_RE.search(n):
            continue  # what the place may become, not what the proposer adds
        # the later framing may sit in the section heading: 「■ 今後の展開」「■ Roadmap」 + 「…にも対応予定です」
        later_framed = bool(_LATER_RE.search(n) or _LATER_HEADING_RE.search(u.section or ""))
        widened_later = bool(_EXTEND_RE.search(n) and later_framed and not _ELSEWHERE_RE.search(n))
        if widened_later or _SIDE_REQUEST_RE.search(n):
            out.append(u)
    draft.__dict__["_scope_later"] = out
    return out


# 「どちらかの局で」「産業経済局か農林水産部か」 "either department": the counterpart is left open.
_OPEN_COUNTERPART_RE = re.compile(
    # the city asked to route the draft, or the departments given as alternatives: 「適切なご担当部署に
    # おつなぎください」「関係部署の皆様でご検討を」「河川・港湾のいずれのご担当にも」「ご担当が分かれている」
    r"(?:適切な|しかるべき|ふさわしい|関係(?:する)?|関連(?:する)?)\S{0,6}(?:部署|課|局|部局|ご担当|担当|窓口|部門)\S{0,10}"
    r"(?:おつなぎ|お繋ぎ|つない|繋い|ご紹介|お回し|回して|転送|ご検討|お取り?次|取り?次)|"
    r"(?:いずれ|どちら)(?:か)?の\S{0,4}(?:ご担当|担当|部署|課|局|部局)|ご?担当(?:部署|課)?が(?:分かれ|複数|またが)|"
    r"(?:どちらか|いずれか|どこか)の(?:局|部署|課|部局|窓口|担当)|"
    r"[一-龥ァ-ヶー]{2,12}(?:局|部|課)か[、,]?\s*[一-龥ァ-ヶー]{2,12}(?:局|部|課)か|"
    r"(?:どの|どちらの)(?:局|部署|課|窓口)(?:が|に|で)\S{0,10}(?:担当|ご担当|所管|よい|いい)|"
    r"(?:部署|局|課|部局|窓口)\S{0,3}(?:の)?(?:どこ|どちら|いずれ)(?:に|へ|で)\S{0,4}(?:ご?相談|ご?連絡|お問い合わせ|申し込)|"
    r"(?:局|課|部|部署)(?:と|か)[一-龥ァ-ヶー]{1,12}(?:局|課|部|部署)(?:か)?の?(?:どちら|いずれ)(?:で|が|に)|"
    r"(?:どこ|どちら|どの(?:部署|課|局|窓口))(?:に|へ|で)\S{0,4}(?:ご?相談|ご?連絡|お問い合わせ|申し込)\S{0,6}(?:よい|いい|よろし|宜し|べき|でしょうか|か)|"
    r"\beither (?:the )?\w+ (?:department|bureau|division) or\b|\bwhichever (?:department|bureau|team)\b|"
    # 「どちらのご担当におつなぎいただくのがよいか分からず」「ご関心のある部署の方をご紹介ください」: the city
    # is asked to find the counterpart itself
    r"(?:どの|どちらの|どこの)\s*(?:ご?担当(?:課|部署|者|部局)?|部門|部局|セクション)\S{0,16}(?:分から|わから|不明|よい|いい|適切)|"
    r"(?:ご?関心|ご?興味)の(?:ある|おありの|お持ちの)(?:部署|課|局|部局|ご担当|部門)\S{0,6}(?:ご紹介|おつなぎ|お繋ぎ|お教え|教え)|"
    r"\b(?:forward|pass) (?:this|it|our \w+) (?:on )?to (?:the )?(?:relevant|appropriate|right) (?:department|person|team)\b|"
    r"\b(?:any|whatever|whichever) department (?:is|might be|would be) interested\b|"
    # 「窓口がA局・B局のいずれになるか分からない」「どこが担当になるのか未定」 "not sure which department":
    # the draft names candidates but says itself that the counterpart is open
    r"(?:窓口|担当|所管|相手|ご担当)\S{0,40}?(?:いずれ|どこ|どちら|どの(?:局|課|部署))(?:に|が)?(?:なる|担当する|所管する|担当)?(?:の)?か\S{0,4}"
    r"(?:分か[らり]|わか[らり]|判断でき|不明|未定)|"
    r"(?:局|部|課|部署|区役所)(?:に|が)?(?:なる|担当する)(?:の)?か[、,]?\S{0,16}?(?:局|部|課|部署|区役所)(?:に|が)?(?:なる|担当する)(?:の)?か"
    r"\S{0,4}(?:分か[らり]|わか[らり]|不明|未定)|"
    r"\b(?:not sure|unsure|do not know|don't know) (?:which|what) (?:department|bureau|division|office)\b"
)


def open_counterpart_units(draft: Draft) -> list[sg.Unit]:
    return [u for u in sg.units(draft) if _OPEN_COUNTERPART_RE.search(u.norm)]


# Sentences the older add-on rules catch that widen nothing: the proposal itself brought here
# (「市内の企業にもぜひ使っていただきたい」), or a generic claim (「どの公園でも同じように使えます」), which is
# why_this_city's matter. A later/optional framing (「将来は…にも」) still makes an add-on.
def _companion_of_main(u: sg.Unit, draft: Draft) -> bool:
    """「あわせて、保護者用のアプリ「まもるんナビ」もご提供します」 after 「まもるん」: the same product's own
    companion, offered with it for the same use, widens nothing."""
    names = {m.group(1).lower() for m in _QUOTED_NAME_RE.finditer(u.norm)}
    earlier = {x[0] for x in _named_mentions(draft.judged_text[:u.start], 0)}
    if not names or not earlier or re.search(r"にも|へも|他の|別の|other|将来|ゆくゆく|今後", u.norm):
        return False
    return all(any(e in n and e != n for e in earlier) for n in names)


_HERE_TOO_RE = re.compile(r"(?:市内|貴市|本市|御市|北九州|当市|地元)\S{0,14}(?:にも|でも)|(?:in|to) kitakyushu,? too")
_ANY_PLACE_RE = re.compile(r"どの[一-龥ァ-ヶー]{1,6}でも|どこでも|\banywhere\b|\bany (?:city|park|school|town)\b")


# The same product recommended to other kinds of users or facilities (「学校や公民館などにもおすすめです」
# "also ideal for schools and clinics"): other counterparts beside the one addressed, an add-on.
_RECOMMENDED_ALSO_RE = re.compile(
    r"(?:など|等)?にも(?:\S{0,4})(?:おすすめ|お勧め|オススメ|お薦め|ぴったり|向いて|最適)|"
    r"\balso (?:ideal|great|perfect|recommended|suitable|useful) for\b|\bequally (?:suited|useful) (?:to|for)\b")


def recommended_also_units(draft: Draft) -> list[sg.Unit]:
    return [u for u in sg.units(draft) if not u.header and not u.title and _RECOMMENDED_ALSO_RE.search(u.norm)]


# A sentence about the place, not the proposer's plans: 「貴市の響灘地区は…拠点であり、将来は…も期待できる
# 場所と理解しています」 "Kitakyushu is a city where hydrogen could later be made" (why_this_city's matter).
_ABOUT_THE_PLACE_RE = re.compile(
    r"^\W{0,2}(?:貴市|北九州市?|本市|当市|市内|[一-龥ァ-ヶー]{1,10}(?:地区|区|港|駅|地域|エリア))(?:の[一-龥ァ-ヶー]{1,12})?は"
    r"[^。]*(?:場所|拠点|地域|まち|街|都市|エリア|土地)(?:で(?:す|あ)|だ|と(?:理解|考え|認識|承知|思)|として)|"
    r"^\W{0,2}(?:kitakyushu|the city|the area|the port|the ward)\b[^.]{0,20}\bis (?:a|an|the)\b[^.]{0,80}"
    r"\b(?:place|hub|area|city|location) (?:where|that|which)\b")
_PROPOSER_RE = re.compile(r"当社|弊社|当法人|私たち|我々|\bwe\b|\bour\b")


def widens_nothing(u: sg.Unit, draft: Draft | None = None) -> bool:
    n = u.norm
    if draft is not None and _companion_of_main(u, draft):
        return True
    if _ABOUT_THE_PLACE_RE.search(sg.strip_bullet(n)) and not _PROPOSER_RE.search(n):
        return True
    if _LATER_RE.search(n) and not re.search(r"あわせて|併せて", n):
        return False
    if _HERE_TOO_RE.search(n) and not re.search(r"(?:他|ほか)の|別の|other", n):
        return True
    return bool(_ANY_PLACE_RE.search(n))
