"""Which agency should handle a ticket, and why (按责转办的建议).

Two sources, each explained with the words that matched:
- the 权责清单: the ticket's keywords against the names of each agency's
  current responsibility items (a word found in an item name scores its IDF);
- history: agencies that past tickets sharing those keywords were routed to
  (and not returned from), within the last HISTORY_DAYS days.
The dispatcher sees the ranking and confirms or overrides it.

Intake suggests for every ticket, so the catalogue side runs from an
in-process copy of the current items (`catalogue()`), not a LIKE query per
ticket. The copy is checked against the database on every use: items are
never edited in place (a revision adds a row, responsibility.py) and agencies
are only ever added, so the largest id of each table changes whenever what
the copy holds could have; saves and deletes seen in this process drop it at
once as well.
"""

import copy
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_delete, post_save

from fazhi.kernel.org.models import Agency, ResponsibilityItem
from fazhi.kernel.textzh import keywords, normalise
from fazhi.kernel.textzh.segment import idf_weight

HISTORY_DAYS = 365
HISTORY_SAMPLE = 500
ITEM_SAMPLE = 2000  # matching items looked at per ticket, in catalogue order
TOP_K = 12
MEMO_MAX = 50_000  # words remembered per catalogue copy


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


# --- the catalogue, held in process ------------------------------------------


@dataclass(frozen=True)
class _Item:
    pk: int
    name: str
    norm: str  # name_normalised, lower-cased like the ticket's terms
    agency_id: int
    effective_to: date | None


class Catalogue:
    """The current items of active agencies (in the catalogue's own order,
    code then newest version) and every agency's name and id by code."""

    def __init__(self, stamp: tuple[Any, ...]) -> None:
        self.stamp = stamp
        agencies = list(Agency.objects.all())
        self.names: dict[int, str] = {a.pk: a.name for a in agencies}
        self._by_code: dict[str, Agency] = {a.code: a for a in agencies}
        active = {a.pk for a in agencies if a.is_active}
        self.items: tuple[_Item, ...] = tuple(
            _Item(pk, name, (norm or "").lower(), agency_id, effective_to)
            for pk, name, norm, agency_id, effective_to in ResponsibilityItem.objects
            .filter(is_current=True)
            .order_by("code", "-version")
            .values_list("pk", "name", "name_normalised", "agency_id", "effective_to")
            if agency_id in active
        )  # fmt: skip
        self._memo: dict[str, tuple[int, ...]] = {}

    def agency(self, code: str) -> Agency:
        """The agency with `code`, as a copy the caller may keep or change."""
        try:
            return copy.copy(self._by_code[code])
        except KeyError:
            raise Agency.DoesNotExist(f"没有机构 {code}") from None

    def containing(self, word: str) -> tuple[int, ...]:
        """Indexes of the items whose name contains `word` (remembered: the
        words of tickets repeat, so most lookups are a dict hit)."""
        hit = self._memo.get(word)
        if hit is None:
            hit = tuple(i for i, it in enumerate(self.items) if word in it.norm)
            if len(self._memo) >= MEMO_MAX:
                self._memo.clear()
            self._memo[word] = hit
        return hit


_STAMP_SQL = "SELECT (SELECT MAX(id) FROM {items}), (SELECT MAX(id) FROM {agencies})"
_local = threading.local()
_generation = [0]  # bumped by saves and deletes in this process


def _forget(**kwargs: Any) -> None:
    _generation[0] += 1


for _model in (Agency, ResponsibilityItem):
    post_save.connect(_forget, sender=_model, dispatch_uid=f"hotline.suggest.{_model}")
    post_delete.connect(
        _forget, sender=_model, dispatch_uid=f"hotline.suggest.del.{_model}"
    )


def catalogue_forget() -> None:
    """Drop the copy now (after a bulk write that sends no signals)."""
    _forget()


def catalogue() -> Catalogue:
    """The catalogue as the database holds it now (one small query to check)."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(
            _STAMP_SQL.format(
                items=ResponsibilityItem._meta.db_table,
                agencies=Agency._meta.db_table,
            )
        )
        row = cursor.fetchone()
    # The database's name keys it too: a test database or a bench database
    # in the same process can hold the same ids.
    stamp = (connection.settings_dict["NAME"], _generation[0], *row)
    # One copy per thread: a request never sees another thread's half-built one.
    cached: Catalogue | None = getattr(_local, "catalogue", None)
    if cached is None or cached.stamp != stamp:
        cached = _local.catalogue = Catalogue(stamp)
    return cached


# --- the two sources ----------------------------------------------------------


def _from_items(cat: Catalogue, words: list[str], on: date) -> dict[int, Candidate]:
    out: dict[int, Candidate] = {}
    if not words:
        return out
    rows = sorted({i for w in words for i in cat.containing(w)})
    seen = 0
    for i in rows:
        it = cat.items[i]
        if it.effective_to is not None and it.effective_to < on:
            continue
        seen += 1
        if seen > ITEM_SAMPLE:
            break
        hit = [w for w in words if w in it.norm]
        score = sum(idf_weight(w) for w in hit)
        c = out.setdefault(it.agency_id, Candidate(it.agency_id))
        if score > c.score:
            c.score, c.item_id, c.item_name, c.item_words = score, it.pk, it.name, hit
    return out


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Fixed text around the placeholders; only the number of LIKEs varies.
_HISTORY_SQL = (
    "SELECT r.agency_id, t.terms FROM {routing} r "
    "JOIN {ticket} t ON t.case_id = r.ticket_id "
    "WHERE r.role = %s AND r.returned_on IS NULL AND r.dispatched_on >= %s "
    "AND ({match}){exclude} ORDER BY r.dispatched_on DESC LIMIT {limit}"
)


def _history_sql(n_words: int, exclude: bool) -> str:
    from .models import Routing, Ticket

    return _HISTORY_SQL.format(
        routing=Routing._meta.db_table,
        ticket=Ticket._meta.db_table,
        match=" OR ".join(["t.terms LIKE %s ESCAPE '\\'"] * n_words),
        exclude=" AND r.ticket_id <> %s" if exclude else "",
        limit=HISTORY_SAMPLE,
    )


def _from_history(words: list[str], on: date, exclude: int | None) -> dict[int, Any]:
    """Past lead routings sharing a word (one statement of fixed text, built
    here because compiling the ORM's OR of LIKEs cost more than running it)."""
    from .models import Routing

    if not words:
        return {}
    params: list[Any] = [
        Routing.Role.LEAD.value,
        on - timedelta(days=HISTORY_DAYS),
        *(_like(w) for w in words),
    ]
    if exclude is not None:
        params.append(exclude)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_history_sql(len(words), exclude is not None), params)
        rows = cursor.fetchall()
    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"n": 0, "words": set()})
    wanted = set(words)
    for agency_id, terms in rows:
        shared = wanted & set(terms.split())
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
    cat: Catalogue | None = None,
) -> list[dict[str, Any]]:
    """Ranked suggestions, each with its reasons, best first (`words`: the
    text's terms when the caller has them already; `cat`: the catalogue when
    the caller has fetched it already)."""
    words = ticket_terms(text) if words is None else words
    cat = cat or catalogue()
    cands = _from_items(cat, words, on)
    for agency_id, h in _from_history(words, on, exclude_ticket).items():
        c = cands.setdefault(agency_id, Candidate(agency_id))
        c.history_count = h["n"]
        c.history_words = sorted(h["words"])
        # Each past routing adds a little; a hundred do not drown the list.
        c.score += min(h["n"], 10) * 0.5 * max(1, len(h["words"]))
    ranked = sorted(cands.values(), key=lambda c: (-c.score, c.agency_id))[:limit]
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
                "agency": cat.names.get(c.agency_id, ""),
                "item_id": c.item_id,
                "item": c.item_name,
                "score": round(c.score, 2),
                "reasons": reasons,
            }
        )
    return out
