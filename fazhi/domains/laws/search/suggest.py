"""“您是不是要找”: the nearest title by character-bigram overlap.

3,500 titles fit in memory; the table is rebuilt when the number or the
latest change of documents moves (an import), not on every query.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Count, Max

from fazhi.kernel.textzh import normalise

from ..models import Document

NATIONAL_PREFIX = "中华人民共和国"
THRESHOLD = 0.5


def _grams(text: str) -> frozenset[str]:
    text = "".join(text.split())
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset([text])


@lru_cache(maxsize=2)
def _titles(_version: tuple[object, ...]) -> list[tuple[str, frozenset[str]]]:
    out = []
    for title in Document.objects.values_list("title", flat=True).distinct():
        key = normalise(title)
        short = key.removeprefix(NATIONAL_PREFIX)
        out.append((title, _grams(short)))
    return out


def _version() -> tuple[object, ...]:
    agg = Document.objects.aggregate(n=Count("pk"), m=Max("updated_at"))
    return (agg["n"], agg["m"])


def suggest_title(query: str, shown_titles: list[str]) -> str:
    """A title close to `query` that the query does not already name."""
    q = normalise(query).removeprefix(NATIONAL_PREFIX)
    if len(q) < 3:
        return ""
    if any(q in normalise(t) for t in shown_titles):
        return ""
    grams = _grams(q)
    best, best_score = "", 0.0
    for title, tg in _titles(_version()):
        common = len(grams & tg)
        if not common:
            continue
        score = 2 * common / (len(grams) + len(tg))
        if score > best_score:
            best, best_score = title, score
    if best_score < THRESHOLD or q in normalise(best):
        return ""
    return best
