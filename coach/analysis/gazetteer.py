"""A Kitakyushu gazetteer built from ``corpus/kitakyushu/*.md``, and detection of other cities.

why_this_city asks whether a draft ties itself to facts particular to 北九州市: its wards and
areas, facilities, the 新ビジョン strategies, sector plans, bureaus and local data. The names come
from the corpus notes (table cells, 「」-quoted and **bold** names, plan and bureau names) so a
new note adds names without code changes; a short seed list covers well-known places and English
spellings the notes do not mention. The extraction is plain regex over ~100 KB of Markdown (a few
ms) and is cached in memory and, keyed by the notes' hashes, as a small JSON in the data dir.

Other cities are found with Sudachi's 地名 tag (福岡市, 下関市, 久留米市 …), placeholders
(〇〇市) and English "X City"/"City of X", excluding 北九州市, its wards and 福岡県 (its prefecture).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from coach.analysis.draft import Draft
from coach.analysis.layout import fold

GAZETTEER_VERSION = 5

# Places, facilities and local brands the corpus notes do not (yet) name. Each is a real place or
# institution in 北九州市; kept short on purpose — the corpus is the main source.
SEED_PLACES: tuple[str, ...] = (
    "門司港", "門司港レトロ", "関門海峡", "関門", "和布刈", "新門司", "太刀浦", "田野浦", "恒見",
    "小倉駅", "小倉城", "勝山公園", "紫川", "旦過市場", "旦過", "魚町", "銀天街", "リバーウォーク",
    "到津の森", "平尾台", "合馬", "曽根干潟", "城野", "志井", "朽網", "企救",
    "八幡駅", "皿倉山", "東田第一高炉", "枝光", "官営八幡製鐵所", "八幡製鐵所", "八幡製鉄所",
    "黒崎", "黒崎駅", "折尾", "折尾駅", "学研都市", "北九州学術研究都市", "ひびきの", "響灘", "脇田",
    "高塔山", "若戸大橋", "若戸トンネル", "若戸渡船", "洞海湾", "戸畑駅", "周防灘", "豊前海",
    "北九州空港", "北九州港", "北九州モノレール", "筑豊電気鉄道", "筑豊電鉄", "おでかけ交通",
    "ミクニワールドスタジアム", "ギラヴァンツ", "スペースワールド", "産業医科大学", "九州工業大学",
    "北九州市立大学", "西日本総合展示場", "北九州メディアドーム", "環境ミュージアム", "エコタウン",
    "compass小倉", "小倉祇園太鼓", "戸畑祇園", "わっしょい百万夏まつり", "北九州マラソン", "いのちのたび博物館",
    "スペースlabo", "九州鉄道記念館", "関門トンネル", "人道トンネル", "関門橋", "和布刈公園", "藍島", "馬島", "白野江",
    "木屋瀬", "香月", "三萩野", "下曽根", "守恒", "徳力", "井筒屋", "チャチャタウン", "コムシティ", "北九州国際会議場",
    "北九州芸術劇場", "響ホール", "北九州市立美術館", "夜宮公園", "山田緑地", "河内貯水池", "小倉競馬場", "九州歯科大学",
    "九州共立大学", "九州国際大学", "九州女子大学", "北九州工業高等専門学校", "北九州高専", "門司港駅", "若松駅",
    "大里", "門司駅", "門司競輪場", "小倉競輪場", "東田", "スペースワールド駅", "西小倉", "南小倉", "城野駅",
    # Firms headquartered in the city, often cited as its industrial base.
    "安川電機", "ゼンリン", "第一交通産業", "スターフライヤー",
)
# English spellings (drafts may be in English). Matched as whole words, case-insensitively.
SEED_PLACES_EN: tuple[str, ...] = (
    "kokura", "kokurakita", "kokuraminami", "kokura-kita", "kokura-minami", "moji", "mojiko",
    "yahatahigashi", "yahatanishi", "yahata-higashi", "yahata-nishi", "edamitsu", "hibikino", "moji port",
    "yahata", "yawata", "wakamatsu", "tobata", "kurosaki",
    "orio", "sarakura", "mount sarakura", "hibikinada", "hibiki", "kanmon", "kanmon strait",
    "tachiura", "murasaki river", "hiraodai", "higashida", "tanga", "kokura castle", "wakato", "wakato bridge",
    "mojiko retro", "kanmon straits", "space world", "yaskawa", "zenrin", "starflyer", "eco-town", "ecotown",
    "kitakyushu airport", "port of kitakyushu", "kitakyushu port", "kitakyushu science and research park",
)
# Epithets of the city that carry some meaning but not a place: half weight in the judge.
SEED_EPITHETS: tuple[str, ...] = (
    "ものづくりの街", "ものづくりのまち", "ものづくりの都市", "鉄のまち", "鉄の街", "鉄と港", "環境首都",
    "映画の街", "映画のまち", "夜景都市", "公害を克服", "5市合併", "五市合併", "5市対等合併",
)
# Plans and strategies the notes name only in running text.
SEED_PLANS: tuple[str, ...] = (
    "新ビジョン", "北九州市・新ビジョン", "重点戦略", "成長と幸福の好循環", "市政変革", "市政変革推進プラン",
    "市政変革アクションプラン", "分野別計画", "分野別基本計画", "公共施設マネジメント", "公共施設再配置", "施設の再配置",
    "こどもまんなか",
    "みらい政策委員会", "sdgs未来都市", "環境未来都市", "環境モデル都市", "グリーン成長", "国家戦略特区",
    "日本新三大夜景", "新三大夜景", "日本一起業家に優しいまち", "北九州都市圏",
)

# Quoted words in the notes that are ordinary vocabulary or descriptions, not the city's initiatives.
_NOT_INITIATIVES = {
    "グローバル", "つながり", "やりくり", "挑戦", "一歩先", "司令塔", "政策課", "事業クラスター", "事業ポートフォリオ診断書",
    "居住ゾーン", "公園広場ゾーン", "スポーツ施設ゾーン", "コンパクト・プラス・ネットワーク", "次に必要なアクション",
    "より大きな社会的インパクト", "このページの作成者", "経営分析・事業分析報告書", "(未確認)", "子育て支援", "少子高齢化",
}
_INITIATIVE_SUFFIX = ("宣言", "委員会", "プラン", "計画", "戦略", "指針", "本部", "会議", "弁", "ポスト", "マンス", "予算",
                      "都市", "まち", "連携", "遺産", "事業")
_WARD_ROW = re.compile(r"^\|\s*([一-龥]{1,4}区)\s*\|", re.MULTILINE)
_STRATEGY_ROW = re.compile(r"^\|\s*「([^」]{2,12})」\s*\|", re.MULTILINE)
_PLAN_ROW = re.compile(r"^\|\s*([^|]{3,40}?(?:計画|戦略|プラン|ビジョン|指針|構想))(?:\([^)]*\))?\s*\|", re.MULTILINE)
_PLAN_TEXT = re.compile(r"北九州市?[^\s、。,()（）「」|*]{1,24}?(?:計画|戦略|プラン|ビジョン|指針|構想|宣言)")
_BUREAU = re.compile(r"(?:\*\*|^\|\s*)([^*|\s()]{2,12}?(?:局|公室|推進室|委員会))(?:\*\*|\s*\|)", re.MULTILINE)
_QUOTED = re.compile(r"「([^」]{2,20})」")
_BOLD = re.compile(r"\*\*([^*]{2,40})\*\*")
_PLACE_SUFFIX = re.compile(
    r"(?:山|川|港|駅|城|橋|灘|干潟|地区|公園|市場|大橋|空港|海峡|海岸|レトロ|渡船|トンネル|洞|鍾乳洞|"
    r"高炉|製鐵所|学術研究都市|タウン|ターミナル|団地|図書館|スタジアム)$")
_LEADING_NAME = re.compile(r"^[一-龥ァ-ヶー々]+")
_INSTITUTION = re.compile(r"[一-龥ァ-ヶーA-Za-z・]{2,16}(?:センター|研究所|博物館|美術館|ミュージアム|記念館)")
_GENERIC_INSTITUTIONS = {"地域包括支援センター", "テレワークセンター", "生涯学習センター", "データセンター", "コールセンター",
                         "事務センター", "監視センター", "サービスセンター"}
_GENERIC_PREFIX = re.compile(r"^(?:都市|街区|市内|市民|全国|近隣|公共|国際|国内|主要|地方|大型|市営|県営|市有|"
                             r"市の|各|同|当|旧|新た|臨港|港湾|工業|産業|物流|住宅|公園|河川|道路|海上)")


@dataclass
class Gazetteer:
    wards: list[str] = field(default_factory=list)
    ward_short: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    places_en: list[str] = field(default_factory=list)
    strategies: list[str] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    bureaus: list[str] = field(default_factory=list)
    epithets: list[str] = field(default_factory=list)

    @property
    def kinds(self) -> dict[str, list[str]]:
        return {"ward": self.wards, "ward_short": self.ward_short, "place": self.places,
                "strategy": self.strategies, "plan": self.plans, "bureau": self.bureaus,
                "epithet": self.epithets}


@dataclass(frozen=True, slots=True)
class PlaceHit:
    start: int
    end: int
    text: str
    kind: str  # city | ward | ward_short | place | strategy | plan | bureau | epithet


@dataclass(frozen=True, slots=True)
class OtherCityHit:
    start: int
    end: int
    name: str
    kind: str  # municipality | placeholder | prefecture | english


# ---------------------------------------------------------------------------------------------
# Building the gazetteer from the corpus


def _corpus_dir() -> Path:
    from ingest.settings import get_settings

    configured = Path(get_settings().corpus_dir)
    candidates = [configured, Path(__file__).resolve().parents[2] / "corpus"]
    for c in candidates:
        if (c / "kitakyushu").is_dir():
            return c / "kitakyushu"
    return candidates[-1] / "kitakyushu"


def _uniq(items) -> list[str]:
    seen: dict[str, None] = {}
    for it in items:
        it = it.strip()
        if it and it not in seen:
            seen[it] = None
    return list(seen)


def extract_gazetteer(notes: dict[str, str]) -> Gazetteer:
    """Pull names out of the Markdown notes (``name -> text``)."""
    text = "\n".join(notes.values())
    wards = _uniq(_WARD_ROW.findall(text))
    short = []
    for w in wards:
        base = w[:-1]
        short.append(base)
        if len(base) >= 3 and base[-1] in "東西南北":
            short.append(base[:-1])
    strategies = _uniq(_STRATEGY_ROW.findall(text))
    plans = _uniq(p for p in [re.sub(r"\(.*$", "", p) for p in _PLAN_ROW.findall(text)] + _PLAN_TEXT.findall(text)
                  if "、" not in p)
    bureaus = _uniq(b for b in _BUREAU.findall(text) if not b[0].isdigit() and not b.startswith(("改正", "未確認")))
    places: list[str] = []
    # The ward table's "resources" column and bold/quoted names: keep leading names that end like
    # a place (…山, …港, …駅, …公園 …) and do not start with a generic word.
    cells = []
    for row in re.findall(r"^\|[^\n]*区[^\n]*\|$", text, re.MULTILINE):
        cells += row.split("|")
    cells += _BOLD.findall(text) + _QUOTED.findall(text)
    for cell in cells:
        for chunk in re.split(r"[、。,()（）「」\[\]/・]|\s", cell):
            m = _LEADING_NAME.match(chunk)
            if not m:
                continue
            name = m.group()
            if 2 <= len(name) <= 14 and _PLACE_SUFFIX.search(name) and not _GENERIC_PREFIX.match(name):
                places.append(name)
    # Named institutions in running text: 「ロボット・DX推進センター」「門司生涯学習センター」.
    for name in _INSTITUTION.findall(text):
        name = name.lstrip("・")
        if len(name) >= 5 and not _GENERIC_PREFIX.match(name) and name not in _GENERIC_INSTITUTIONS:
            places.append(name)
    # Any compound that starts with a ward name or 北九州 (北九州空港, 小倉城, 門司港駅 …).
    lead = "|".join(sorted(set(short), key=len, reverse=True))
    if lead:
        for m in re.finditer(rf"(?:北九州|{lead})[一-龥ァ-ヶー]{{1,10}}", text):
            name = m.group()
            if _PLACE_SUFFIX.search(name) and not name.endswith(("市", "区")):
                places.append(name)
    # The city's named initiatives, quoted in the notes: 「こどもまんなかcity宣言」「クラ弁」「福北連携」.
    initiatives = []
    for q in _QUOTED.findall(text):
        q = q.strip("*")
        if len(q) < 3 or q in _NOT_INITIATIVES or q.startswith(("なぜ", "どの", "どこ", "この")):
            continue
        if re.search(r"[ァ-ヶa-zA-Z!！]", q) or q.endswith(_INITIATIVE_SUFFIX) or "北九州" in q or "福北" in q:
            initiatives.append(q)
    return Gazetteer(
        wards=wards,
        ward_short=_uniq(short),
        places=_uniq(places + list(SEED_PLACES)),
        places_en=list(SEED_PLACES_EN),
        strategies=strategies,
        plans=_uniq(plans + [i for i in initiatives if i not in places and i not in bureaus] + list(SEED_PLANS)),
        bureaus=bureaus,
        epithets=list(SEED_EPITHETS),
    )


def _cache_path() -> Path | None:
    try:
        from ingest.settings import get_settings

        return Path(get_settings().data_dir) / "gazetteer.json"
    except (ValueError, OSError):  # settings invalid (pydantic) or unreadable: the in-memory cache still works
        return None


@lru_cache(maxsize=4)
def _load(corpus: Path) -> Gazetteer:
    files = sorted(corpus.glob("*.md"))
    notes = {f.name: f.read_text(encoding="utf-8") for f in files}
    key = hashlib.sha256()
    # The extraction code and seed lists are part of the key: editing them invalidates the cache.
    key.update(str(GAZETTEER_VERSION).encode())
    key.update(Path(__file__).read_bytes())
    for name, body in notes.items():
        key.update(name.encode())
        key.update(hashlib.sha256(body.encode()).digest())
    digest = key.hexdigest()
    cache = _cache_path()
    if cache is not None and cache.is_file():
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("key") == digest:
                return Gazetteer(**data["gazetteer"])
        except (OSError, ValueError, TypeError):
            pass
    gaz = extract_gazetteer(notes)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            # Write-then-rename: a concurrent reader sees the old file or the new one, never half.
            tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"key": digest, "gazetteer": gaz.__dict__}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only data dir only costs the few ms of re-extraction
    return gaz


def load_gazetteer() -> Gazetteer:
    return _load(_corpus_dir())


# ---------------------------------------------------------------------------------------------
# Matching


@dataclass
class _Matcher:
    ja: re.Pattern[str]
    en: re.Pattern[str]
    kind_of: dict[str, str]


_CITY_JA = ["北九州市", "北九州", "貴市", "本市", "北九州市役所"]
_CITY_EN = ["kitakyushu", "city of kitakyushu", "kitakyushu city"]
# English renderings of the 新ビジョン and its strategies (drafts translate them freely).
_PLANS_EN = ["new vision", "a city where people can earn", "city where people can earn", "sdgs future city",
             "environmental future city", "green growth strategy"]
# Names that contain a short ward name but are other places (会津若松市, 近江八幡市, 八幡平市 …).
_NOT_OURS = re.compile(r"会津若松|近江八幡|八幡平|八幡浜|若松町|八幡市|小倉山|新小倉")


@lru_cache(maxsize=4)
def _matcher(gaz_id: int) -> _Matcher:
    gaz = load_gazetteer()
    kind_of: dict[str, str] = {}
    for kind, names in gaz.kinds.items():
        for n in names:
            kind_of.setdefault(fold(n), kind)
    for n in _CITY_JA:
        kind_of[fold(n)] = "city"
    names = sorted(kind_of, key=len, reverse=True)
    ja = re.compile("|".join(re.escape(n) for n in names))
    en_kind = {n: "city" for n in _CITY_EN} | {fold(n): "place" for n in gaz.places_en} | \
        {n: "plan" for n in _PLANS_EN}
    kind_of.update(en_kind)
    en = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(en_kind, key=len, reverse=True)) + r")\b")
    return _Matcher(ja, en, kind_of)


def place_hits(folded: str) -> list[PlaceHit]:
    """Every gazetteer name in ``folded`` (a ``layout.fold``-ed text), longest match first."""
    gaz = load_gazetteer()
    m = _matcher(id(gaz))
    hits: list[PlaceHit] = []
    for rx in (m.ja, m.en):
        for x in rx.finditer(folded):
            ctx = folded[max(0, x.start() - 3): x.end() + 2]
            if _NOT_OURS.search(ctx):
                continue
            if x.group() == "本市" and x.start() > 0 and folded[x.start() - 1] in "日資基根":
                continue  # 日本市場, 資本市場
            hits.append(PlaceHit(x.start(), x.end(), x.group(), m.kind_of.get(x.group(), "place")))
    hits.sort(key=lambda h: h.start)
    return hits


# 〇〇市 as an addressee; not the anonymised part of an address (小倉北区○○町1-2-3).
_PLACEHOLDER = re.compile(r"(?<![市区郡町村])(?:[〇○◯△□×]{1,3}|(?<![a-z])x{2,3})\s?(?:市|町|村)"
                          r"(?!民|内|場|販|街|\s?\d|[一二三四五六七八九]丁目)")
_EN_CITY = re.compile(r"\b(?:city of ([a-z][a-z\-]+)|([a-z][a-z\-]+) city)\b")
_EN_NOT_CITY = {"kitakyushu", "the", "a", "this", "your", "our", "each", "any", "every", "smart", "zero-waste",
                "host", "partner", "model", "one", "capital", "inner", "mid-sized", "sister", "port", "whole",
                "same", "japanese", "forward-thinking", "net", "zero", "big", "large", "small", "another",
                "future", "green", "compact", "eco", "garden", "creative", "safe", "digital", "resilient", "global",
                "growth", "learning", "friendly", "livable", "liveable", "historic", "industrial", "designated",
                "ordinance", "core", "major", "regional", "home", "great", "beautiful", "vibrant", "sustainable",
                "dear", "hello", "hi", "to", "from", "with", "for", "and", "in", "at", "of", "new", "old", "inner-city"}
_SUFFIX = ("市", "町", "村", "区", "都", "府", "県")


def other_city_hits(draft: Draft) -> list[OtherCityHit]:
    """Municipalities, prefectures and placeholders that are not 北九州市 or its wards."""
    from coach.analysis.layout import Layout

    text = draft.judged_text
    folded = Layout.of(draft).folded
    gaz = load_gazetteer()
    ours = set(gaz.wards) | {"北九州市"}
    hits: list[OtherCityHit] = []
    toks = draft.tokens
    for i, t in enumerate(toks):
        if t.pos[:3] != ("名詞", "固有名詞", "地名"):
            continue
        name, end = t.surface, t.end
        if not name.endswith(_SUFFIX) and i + 1 < len(toks) and toks[i + 1].start == t.end \
                and toks[i + 1].surface in _SUFFIX:
            name, end = name + toks[i + 1].surface, toks[i + 1].end
        if not name.endswith(_SUFFIX) or name in ours or "北九州" in name:
            continue
        if name.endswith(("都", "府", "県")):
            # 福岡県北九州市 names our own prefecture; 福岡県 alone is still not another city.
            kind = "prefecture"
        else:
            kind = "municipality"
        hits.append(OtherCityHit(t.start, end, name, kind))
    for m in _PLACEHOLDER.finditer(folded):
        hits.append(OtherCityHit(m.start(), m.end(), text[m.start():m.end()], "placeholder"))
    for m in _EN_CITY.finditer(folded):
        name = m.group(1) or m.group(2)
        first = m.start(1) if m.group(1) else m.start(2)
        # A proper name is capitalised in the original ("Fukuoka City"); "future city" is not one.
        if name in _EN_NOT_CITY or not text[first].isupper():
            continue
        hits.append(OtherCityHit(m.start(), m.end(), text[m.start():m.end()], "english"))
    hits.sort(key=lambda h: h.start)
    return hits


def find_places(draft: Draft) -> list[str]:
    """Kitakyushu wards, areas, facilities, strategies, plans and bureaus the draft names."""
    from coach.analysis.layout import Layout

    folded = Layout.of(draft).folded
    return _uniq(draft.text[h.start:h.end] for h in place_hits(folded) if h.kind not in ("city", "bureau"))


def find_other_cities(draft: Draft) -> list[str]:
    """Other municipalities (and placeholders like 〇〇市) the draft names; prefectures excluded."""
    return _uniq(h.name for h in other_city_hits(draft) if h.kind != "prefecture")
