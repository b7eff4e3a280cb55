"""Which agency should handle a ticket, and why (按责转办的建议).

Two sources, each explained with the words that matched:
- the 权责清单: the ticket's keywords against the names of each agency's
  current responsibility items (a word found in an item name scores its IDF);
- history: agencies that past tickets sharing those keywords were routed to
  (and not returned from), within the last HISTORY_DAYS days.
The dispatcher sees the ranking and confirms or overrides it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q

from fazhi.kernel.org.models import Agency, ResponsibilityItem
from fazhi.kernel.textzh import keywords, normalise
from fazhi.kernel.textzh.segment import idf_weight

HISTORY_DAYS = 365
HISTORY_SAMPLE = 500
TOP_K = 12


@dataclass
class Candidate:
    agency_id: int
    score: float = 0.0
    item_id: int | None = None
    item_name: str = ""
    item_words: list[str] = field(default_factory=list)
    history_count: int = 0
    history_words: list[str] = field(default_factory=list)


def ticket_terms(text: str) -> list[str]:
    """The keywords a ticket is matched, grouped and trended by."""
    return [w.lower() for w in keywords(normalise(text), k=TOP_K)]


def _from_items(words: list[str], on: date) -> dict[int, Candidate]:
    out: dict[int, Candidate] = {}
    if not words:
        return out
    match = reduce(or_, (Q(name_normalised__contains=w) for w in words))
    items = (
        ResponsibilityItem.objects.filter(is_current=True, agency__is_active=True)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .filter(match)
        .values_list("pk", "name", "name_normalised", "agency_id")[:2000]
    )
    for pk, name, norm, agency_id in items:
        hit = [w for w in words if w in norm]
        score = sum(idf_weight(w) for w in hit)
        c = out.setdefault(agency_id, Candidate(agency_id))
        if score > c.score:
            c.score, c.item_id, c.item_name, c.item_words = score, pk, name, hit
    return out


def _from_history(words: list[str], on: date, exclude: int | None) -> dict[int, Any]:
    from .models import Routing

    if not words:
        return {}
    match = reduce(or_, (Q(ticket__terms__contains=w) for w in words))
    rows = (
        Routing.objects.filter(
            role=Routing.Role.LEAD,
            returned_on__isnull=True,
            dispatched_on__gte=on - timedelta(days=HISTORY_DAYS),
        )
        .filter(match)
        .exclude(ticket_id=exclude)
        .order_by("-dispatched_on")
        .values_list("agency_id", "ticket__terms")[:HISTORY_SAMPLE]
    )
    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"n": 0, "words": set()})
    for agency_id, terms in rows:
        shared = set(words) & set(terms.split())
        if shared:
            out[agency_id]["n"] += 1
            out[agency_id]["words"] |= shared
    return out


def suggest_agencies(
    text: str,
    *,
    on: date,
    exclude_ticket: int | None = None,
    limit: int = 3,
    words: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Ranked suggestions, each with its reasons, best first (`words`: the
    text's terms when the caller has them already)."""
    words = ticket_terms(text) if words is None else words
    cands = _from_items(words, on)
    for agency_id, h in _from_history(words, on, exclude_ticket).items():
        c = cands.setdefault(agency_id, Candidate(agency_id))
        c.history_count = h["n"]
        c.history_words = sorted(h["words"])
        # Each past routing adds a little; a hundred do not drown the list.
        c.score += min(h["n"], 10) * 0.5 * max(1, len(h["words"]))
    ranked = sorted(cands.values(), key=lambda c: (-c.score, c.agency_id))[:limit]
    names = dict(
        Agency.objects.filter(pk__in=[c.agency_id for c in ranked]).values_list(
            "pk", "name"
        )
    )
    out = []
    for c in ranked:
        reasons = []
        if c.item_words:
            reasons.append(f"权责清单事项“{c.item_name}”含“{'、'.join(c.item_words)}”")
        if c.history_count:
            reasons.append(
                f"近{HISTORY_DAYS}天含“{'、'.join(c.history_words[:5])}”的"
                f"{c.history_count}件工单派给该单位"
            )
        out.append(
            {
                "agency_id": c.agency_id,
                "agency": names.get(c.agency_id, ""),
                "item_id": c.item_id,
                "item": c.item_name,
                "score": round(c.score, 2),
                "reasons": reasons,
            }
        )
    return out
