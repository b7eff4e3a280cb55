"""“您是不是要找”: the nearest title by character-bigram overlap.

3,500 titles fit in memory; the table is rebuilt when the number or the
latest change of documents moves (an import), not on every query.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Max

from fazhi.kernel.textzh import normalise

from ..models import Document

NATIONAL_PREFIX = "中华人民共和国"
THRESHOLD = 0.5
VERSION_TTL = 5.0  # seconds between checks for an import


def _grams(text: str) -> frozenset[str]:
    text = "".join(text.split())
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset([text])


@dataclass
class _Table:
    titles: list[tuple[str, str, frozenset[str]]]  # title, normalised, bigrams
    by_gram: dict[str, list[int]]  # bigram -> title positions


@lru_cache(maxsize=2)
def _table(_version: tuple[object, ...]) -> _Table:
    titles, by_gram = [], defaultdict(list)
    for title in Document.objects.values_list("title", flat=True).distinct():
        key = normalise(title)
        grams = _grams(key.removeprefix(NATIONAL_PREFIX))
        for gram in grams:
            by_gram[gram].append(len(titles))
        titles.append((title, key, grams))
    return _Table(titles, dict(by_gram))


_checked: list[float] = [0.0]
_last_version: list[tuple[object, ...]] = [()]


def _version() -> tuple[object, ...]:
    # Asked at most every few seconds: an import is rare, a query is not.
    now = time.monotonic()
    if now - _checked[0] > VERSION_TTL:
        agg = Document.objects.aggregate(n=Count("pk"), m=Max("updated_at"))
        _last_version[0] = (agg["n"], agg["m"])
        _checked[0] = now
    return _last_version[0]


def forget_titles() -> None:
    """Drop the title table now (after an import, and between tests whose
    databases differ within the few seconds the version check is cached)."""
    _checked[0] = 0.0
    _table.cache_clear()


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (titles are short; one row at a time)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def is_misspelt(query: str, title: str) -> bool:
    """The query is `title` with a typing slip: one character wrong, missing
    or extra (two in a title of ten or more), the 中华人民共和国 aside.
    行证处罚法, 消费者权益保户法 and 政府信息公开条列 are; 行政复议条例 (the
    old name of a law now called 行政复议法) is not."""
    q = "".join(normalise(query).split()).removeprefix(NATIONAL_PREFIX)
    t = "".join(normalise(title).split()).removeprefix(NATIONAL_PREFIX)
    if len(q) < 4 or q == t:
        return False
    return _distance(q, t) <= (2 if len(t) >= 10 else 1)


def suggest_title(query: str, shown_titles: list[str]) -> str:
    """A title close to `query` that the query does not already name."""
    q = normalise(query).removeprefix(NATIONAL_PREFIX)
    if len(q) < 3:
        return ""
    if any(q in normalise(t) for t in shown_titles):
        return ""
    grams = _grams(q)
    table = _table(_version())
    common: Counter[int] = Counter()
    for gram in grams:
        common.update(table.by_gram.get(gram, ()))
    best, best_key, best_score = "", "", 0.0
    for pos, n in common.items():
        title, key, tg = table.titles[pos]
        score = 2 * n / (len(grams) + len(tg))
        if score > best_score:
            best, best_key, best_score = title, key, score
    if best_score < THRESHOLD or q in best_key:
        return ""
    return best
