"""Highlighted snippets: escape the text first, then mark the query words.

Terms are matched on the normalised text (so a Simplified query marks a
Traditional article); when normalising kept the length, positions map back
to the original characters one to one, otherwise the original is searched
for the terms literally.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from fazhi.kernel.textzh import normalise

WIDTH = 120
LEAD = 24


def _spans(haystack: str, terms: list[str]) -> list[tuple[int, int]]:
    taken = [False] * len(haystack)
    spans: list[tuple[int, int]] = []
    for term in terms:  # longest first, so 行政复议 wins over 行政
        if not term:
            continue
        start = haystack.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                spans.append((start, end))
                for i in range(start, end):
                    taken[i] = True
            start = haystack.find(term, end)
    return sorted(spans)


def make_snippet(text: str, terms: list[str], width: int = WIDTH) -> SafeString:
    text = " ".join(text.split())
    folded = normalise(text)
    haystack = folded.lower() if len(folded) == len(text) else text.lower()
    spans = _spans(haystack, terms)
    start = 0
    if spans:
        # The window with the most marks, starting a little before one.
        # Spans are sorted and do not overlap, so the ones inside a window
        # are a run: two bisections count them (a long article has hundreds).
        starts = [a for a, _ in spans]
        ends = [b for _, b in spans]
        best, best_hits = spans[0][0], 0
        for s in starts:
            lo = s - LEAD
            hits = bisect_right(ends, lo + width) - bisect_left(starts, lo)
            if hits > best_hits:
                best, best_hits = s, hits
        start = max(0, best - LEAD)
    end = min(len(text), start + width)
    out: list[str] = ["…" if start else ""]
    pos = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above
