"""Plain-language ↔ 行政用語 bridge: everyday words in a question → the administrative terms
the corpus uses for the same thing.

People ask 「お金を出してもらえるか」「どの部署に相談すれば」「試しにやってみたい」; the playbook
answers with 財政負担, 担当部署, 実証実験. BM25 cannot connect them and e5-small connects them
only weakly, so the lexical half of retrieval adds the bridged terms to the query (at a lower
weight than the question's own words; see ``ingest.lexical.query_terms``). The table itself is a
data file, ``plain_to_admin.tsv`` beside this module, documented in its header; it is read once
per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.japanese import nfkc_lower

TABLE = Path(__file__).with_name("plain_to_admin.tsv")


@dataclass(frozen=True)
class BridgeEntry:
    """One concept: the ways people say it, and the corpus's administrative terms for it."""

    plain: tuple[str, ...]
    admin: tuple[str, ...]
    note: str
    line: int


class VocabularyBridge:
    """Finds the entries whose plain wording occurs in a question.

    Japanese keys are matched as substrings of the NFKC-lowered, whitespace-free question (keys
    are written as stems, so conjugation does not matter); ASCII keys as whole words, so that
    "pilot" does not fire inside "autopilot" nor "fee" inside "feedback".
    """

    def __init__(self, entries: list[BridgeEntry]) -> None:
        self.entries = entries
        self._japanese: list[tuple[str, int]] = []
        ascii_keys: dict[str, list[int]] = {}
        for n, entry in enumerate(entries):
            for key in entry.plain:
                if key.isascii():
                    ascii_keys.setdefault(key, []).append(n)
                else:
                    self._japanese.append((key, n))
        self._ascii_entries = ascii_keys
        # One alternation, longest first, so "public money" is tried before "public".
        alternatives = sorted(ascii_keys, key=len, reverse=True)
        self._ascii = (re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(k) for k in alternatives)
                                  + r")(?![a-z0-9])") if alternatives else None)

    def matches(self, question: str) -> list[BridgeEntry]:
        """Entries whose plain wording occurs in ``question``, in table order."""
        text = nfkc_lower(question)
        compact = re.sub(r"\s+", "", text)
        hit: set[int] = {n for key, n in self._japanese if key in compact}
        if self._ascii is not None:
            spaced = re.sub(r"\s+", " ", text)
            for m in self._ascii.finditer(spaced):
                hit.update(self._ascii_entries[m.group(1)])
        return [self.entries[n] for n in sorted(hit)]

    def admin_terms(self, question: str) -> list[str]:
        """The administrative terms bridged from ``question``, without repeats."""
        return list(dict.fromkeys(t for e in self.matches(question) for t in e.admin))


def parse_table(text: str) -> list[BridgeEntry]:
    """Rows of the TSV: ``plain<TAB>admin<TAB>note``; ``#`` lines and blank lines are comments.
    A malformed row is a programming error in a file we ship, so it raises at load time."""
    entries = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        columns = raw.split("\t")
        if len(columns) != 3:
            raise ValueError(f"{TABLE.name}:{number}: expected 3 tab-separated columns, got {len(columns)}")
        plain = tuple(dict.fromkeys(nfkc_lower(k).strip() for k in columns[0].split("|") if k.strip()))
        admin = tuple(dict.fromkeys(t.strip() for t in columns[1].split("|") if t.strip()))
        if not plain or not admin:
            raise ValueError(f"{TABLE.name}:{number}: a row needs plain words and admin terms")
        entries.append(BridgeEntry(plain=plain, admin=admin, note=columns[2].strip(), line=number))
    return entries


@lru_cache(maxsize=1)
def load_bridge() -> VocabularyBridge:
    """The shipped table, read once per process."""
    return VocabularyBridge(parse_table(TABLE.read_text(encoding="utf-8")))
