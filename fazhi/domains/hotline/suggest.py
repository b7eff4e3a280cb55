"""Which agency should handle a ticket, and why (按责转办的建议).

Two sources, each explained with the words that matched:
- the 权责清单: the ticket's keywords against the names of each agency's
  current responsibility items (a word found in an item name scores its IDF);
- history: agencies that past tickets sharing those keywords were routed to
  (and not returned from), within the last HISTORY_DAYS days.
The dispatcher sees the ranking and confirms or overrides it.

Intake suggests for every ticket, so both sides run from memory held in the
process, checked against the database on every use by one small query
(`catalogue()`), never from a LIKE scan per ticket:
- the catalogue: items are never edited in place (a revision adds a row,
  responsibility.py) and agencies are only ever added, so the largest id of
  each table changes whenever the copy could be out of date; saves and
  deletes seen in this process drop it at once as well;
- history: the latest HISTORY_KEEP lead routings by keyword. New routings are
  read by id above the highest seen; a return edits a routing in place, so
  the rows a suggestion counts are confirmed (not returned) by primary key.
"""

import bisect
import copy
import itertools
import operator
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_delete, post_save

from fazhi.kernel.org.models import Agency, ResponsibilityItem
from fazhi.kernel.textzh import keywords, normalise
from fazhi.kernel.textzh.segment import idf_weight

from . import categories

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


# Words callers use about any matter: they would rank whichever agency's
# items or past tickets happen to contain them (需要 材料 → a licensing item)
# and fill the hot-topic list (建议, 咨询, 街道).
_CALLER_WORDS_TEXT = (
    "需要 材料 严重 建议 咨询 投诉 举报 求助 反映 情况 问题 希望 处理 尽快 "
    "解决 相关 部门 街道 社区 附近 市民 群众 居民 本人 我们 现在 目前 "
    "一直 多次 已经 没有 不能 无法 要求 请求 帮助 联系 回复"
)
_CALLER_WORDS = frozenset(_CALLER_WORDS_TEXT.split())


def ticket_terms(text: str) -> list[str]:
    """The keywords a ticket is matched, grouped and trended by."""
    words = (w.lower() for w in keywords(normalise(text), k=TOP_K + 8))
    return [w for w in words if w not in _CALLER_WORDS][:TOP_K]


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
        self.places = _place_words(agencies)
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
        self.routing_max = 0  # as of the last check (catalogue())

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


_STAMP_SQL = (
    "SELECT (SELECT MAX(id) FROM {items}), (SELECT MAX(id) FROM {agencies}), "
    "(SELECT MAX(id) FROM {routing})"
)
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
    """The catalogue as the database holds it now (one small query to check,
    which also tells the history index whether routings were added)."""
    from .models import Routing

    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(
            _STAMP_SQL.format(
                items=ResponsibilityItem._meta.db_table,
                agencies=Agency._meta.db_table,
                routing=Routing._meta.db_table,
            )
        )
        items_max, agencies_max, routing_max = cursor.fetchone()
    # The database's name keys it too: a test database or a bench database
    # in the same process can hold the same ids.
    stamp = (connection.settings_dict["NAME"], _generation[0], items_max, agencies_max)
    # One copy per thread: a request never sees another thread's half-built one.
    cached: Catalogue | None = getattr(_local, "catalogue", None)
    if cached is None or cached.stamp != stamp:
        cached = _local.catalogue = Catalogue(stamp)
    cached.routing_max = routing_max or 0
    return cached


# --- the two sources ----------------------------------------------------------


_PLACE_SUFFIXES = ("人民政府", "街道办事处", "街道", "乡", "镇", "区", "县", "市")


def _place_words(agencies: list[Agency]) -> frozenset[str]:
    """The names of the areas the agencies govern, with and without their
    suffix (大冶市, 大冶): a place says where, not who is responsible."""
    out: set[str] = set()
    for a in agencies:
        for name in (a.name, a.short_name or ""):
            name = normalise(name).lower()
            for suffix in _PLACE_SUFFIXES:
                if name.endswith("人民政府") and suffix != "人民政府":
                    break
                if name.endswith(suffix) and len(name) > len(suffix) + 1:
                    stem = name[: -len(suffix)]
                    out.add(name)
                    if stem.endswith(("区", "县", "市", "镇", "乡")):
                        out.add(stem)
                        stem = stem[:-1]
                    if len(stem) >= 2:
                        out.add(stem)
                    break
    return frozenset(out)


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


# --- history, indexed in process -------------------------------------------
#
# Cost per ticket: one primary-key lookup of about HISTORY_SAMPLE ids, however
# long the history, where the LIKE over a year of tickets grew with it. The
# sample is the latest routings by id (a routing is written when dispatched).

HISTORY_KEEP = 50_000
GAP_SECONDS = 60.0  # how long an id below the highest seen may still commit
CONFIRM_CHUNK = 550  # a little over HISTORY_SAMPLE: most are not returned

_HISTORY_NEW = (
    "SELECT r.id, r.role, r.agency_id, r.dispatched_on, t.terms FROM {routing} r "
    "JOIN {ticket} t ON t.case_id = r.ticket_id WHERE r.id > %s{gaps} "
    "ORDER BY r.id DESC LIMIT {keep}"
)
# Which of the candidates no longer count: few rows come back, so it costs
# the lookups and not the transfer of the sample. The ids go in as one array
# on PostgreSQL (hundreds of separate parameters cost more than the lookup);
# SQLite takes a list of placeholders.
_HISTORY_GONE = (
    "SELECT r.id FROM {routing} r WHERE {ids} "
    "AND (r.returned_on IS NOT NULL OR r.role <> %s{exclude})"
)
# Routings this process created, in order: an id at or below what an index
# has read means SQLite gave a rolled-back id out again (tests, mostly), and
# that index reads afresh. A delete (a cascade) does the same (id 0).
_made: deque[tuple[int, int]] = deque(maxlen=1000)
_made_seq = itertools.count(1)


def _routing_written(
    sender: Any, instance: Any, created: bool = True, **kw: Any
) -> None:
    if created and connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        _made.append((next(_made_seq), instance.pk))


def _routing_deleted(sender: Any, instance: Any, **kw: Any) -> None:
    _made.append((next(_made_seq), 0))


post_save.connect(_routing_written, sender="hotline.Routing", dispatch_uid="hl.r.s")
post_delete.connect(_routing_deleted, sender="hotline.Routing", dispatch_uid="hl.r.d")


class _History:
    def __init__(self, name: str) -> None:
        self.name = name
        self.top = 0  # highest routing id read
        self.gaps: dict[int, float] = {}  # ids below `top` not seen, since when
        # id -> (agency, dispatched_on, the ticket's terms)
        self.rows: dict[int, tuple[int, date, tuple[str, ...]]] = {}
        self.by_term: dict[str, list[int]] = defaultdict(list)  # ascending ids
        self.stale = False
        self.made_seen = _made[-1][0] if _made else 0

    def check_made(self) -> None:
        if not _made or _made[-1][0] <= self.made_seen:
            return
        if _made[0][0] > self.made_seen + 1:
            self.stale = True  # more were made than remembered
        elif any(seq > self.made_seen and pk <= self.top for seq, pk in _made):
            self.stale = True
        self.made_seen = _made[-1][0]

    def refresh(self, cursor: Any, routing_max: int) -> None:
        from .models import Routing, Ticket

        now = time.monotonic()
        self.gaps = {i: t for i, t in self.gaps.items() if now - t < GAP_SECONDS}
        if routing_max <= self.top and not self.gaps:
            return
        sql = _HISTORY_NEW.format(
            routing=Routing._meta.db_table,
            ticket=Ticket._meta.db_table,
            gaps=f" OR r.id IN ({', '.join(['%s'] * len(self.gaps))})"
            if self.gaps
            else "",
            keep=HISTORY_KEEP,
        )
        cursor.execute(sql, [self.top, *self.gaps])
        got = cursor.fetchall()
        seen = set()
        for pk, role, agency_id, day, terms in reversed(got):  # ascending ids
            seen.add(pk)
            self.gaps.pop(pk, None)
            if role != Routing.Role.LEAD or pk in self.rows:
                continue
            if isinstance(day, str):
                day = date.fromisoformat(day)
            words = tuple(sys.intern(w) for w in dict.fromkeys(terms.split()))
            self.rows[pk] = (agency_id, day, words)
            for term in words:
                postings = self.by_term[term]
                if postings and postings[-1] > pk:  # a gap filled late
                    bisect.insort(postings, pk)
                else:
                    postings.append(pk)
        new_top = max([self.top, *seen])
        # PostgreSQL: an id taken by a transaction still open may commit after
        # a higher one was read; look for the recent missing ones a while.
        for pk in range(max(self.top + 1, new_top - 1000), new_top):
            if pk not in seen:
                self.gaps.setdefault(pk, now)
        self.top = new_top

    def candidates(self, words: list[str], since: date) -> Iterator[list[int]]:
        """Held routings sharing a word, latest first (by id: a routing is
        written when it is dispatched), dispatched on or after `since`, in
        runs.

        Reads each word's postings from the end, `take` at a time: an id at
        or above the lowest one read from every list not read to its start
        is in its final place, so those go out first, in order. Each run is
        built with set and list operations, not id by id (it is the hot loop
        of intake)."""
        postings = [self.by_term[w] for w in set(words) if w in self.by_term]
        rows = self.rows
        upper = None  # ids at or above it went out already
        take = CONFIRM_CHUNK
        while True:
            cut = [p for p in postings if len(p) > take]
            bound = max((p[-take] for p in cut), default=-1)
            ids = sorted(set().union(*(p[-take:] for p in postings)))
            lo = bisect.bisect_left(ids, bound)
            hi = len(ids) if upper is None else bisect.bisect_left(ids, upper)
            run = [pk for pk in reversed(ids[lo:hi]) if rows[pk][1] >= since]
            if run:
                yield run
            if not cut:
                return
            upper, take = bound, take * 4


@dataclass
class Confirmed:
    """What the confirming queries answered, kept across one batch: the
    routings asked about and those of them returned since."""

    asked: set[int] = field(default_factory=set)
    gone: set[int] = field(default_factory=set)


_history_local = threading.local()
_AGENCY, _WORDS = operator.itemgetter(0), operator.itemgetter(2)


def _history(routing_max: int) -> tuple[_History, Any]:
    connection = connections[DEFAULT_DB_ALIAS]
    name = str(connection.settings_dict["NAME"])
    held: _History | None = getattr(_history_local, "history", None)
    if held is not None:
        held.check_made()
    # Fewer rows than read before (a test's rollback), an id used again, or
    # more than we keep: read afresh.
    if (
        held is None
        or held.name != name
        or held.stale
        or routing_max < held.top
        or len(held.rows) > HISTORY_KEEP * 1.2
    ):
        held = _history_local.history = _History(name)
    return held, connection


def _from_history(
    words: list[str],
    on: date,
    exclude: int | None,
    routing_max: int,
    confirmed: "Confirmed | None" = None,
) -> dict[int, Any]:
    """Agencies the latest HISTORY_SAMPLE past tickets sharing a word were
    routed to and not returned from.

    `confirmed` carries the answers of the confirming queries from one
    suggestion to the next within a batch, so a
    routing is confirmed once per batch, not once per ticket; a return
    recorded by another transaction meanwhile shows from the next batch on
    (a suggestion is advice, the dispatcher decides)."""
    from .models import Routing

    if not words:
        return {}
    held, connection = _history(routing_max)
    out: dict[int, dict[str, Any]] = defaultdict(lambda: {"n": 0, "words": set()})
    wanted = set(words)
    counted = 0
    with connection.cursor() as cursor:
        held.refresh(cursor, routing_max)
        todo = itertools.chain.from_iterable(
            held.candidates(words, on - timedelta(days=HISTORY_DAYS))
        )
        rows = held.rows
        memo = Confirmed() if confirmed is None or exclude else confirmed
        while chunk := list(itertools.islice(todo, CONFIRM_CHUNK)):
            ask = sorted(set(chunk).difference(memo.asked))
            if ask:
                pg = connection.vendor == "postgresql"
                cursor.execute(
                    _HISTORY_GONE.format(
                        routing=Routing._meta.db_table,
                        ids="r.id = ANY(%s)"
                        if pg
                        else f"r.id IN ({', '.join(['%s'] * len(ask))})",
                        exclude=" OR r.ticket_id = %s" if exclude is not None else "",
                    ),
                    ([ask] if pg else ask)
                    + [Routing.Role.LEAD.value]
                    + ([exclude] if exclude is not None else []),
                )
                memo.gone.update(pk for (pk,) in cursor.fetchall())
                memo.asked.update(ask)
            # Not returned since, nor the excluded ticket's.
            if not memo.gone.isdisjoint(chunk):
                chunk = [pk for pk in chunk if pk not in memo.gone]
            live = chunk[: HISTORY_SAMPLE - counted]
            counted += len(live)
            if not live:
                continue
            # Grouped by agency with C-level sorting and slicing: this runs
            # over HISTORY_SAMPLE routings for every ticket taken in.
            picked = sorted(map(rows.__getitem__, live), key=_AGENCY)
            for agency_id, group in itertools.groupby(picked, key=_AGENCY):
                term_lists = list(map(_WORDS, group))
                out[agency_id]["n"] += len(term_lists)
                out[agency_id]["words"] |= wanted.intersection(
                    itertools.chain.from_iterable(term_lists)
                )
            if counted >= HISTORY_SAMPLE:
                break
    return out


def suggest_agencies(
    text: str,
    *,
    on: date,
    exclude_ticket: int | None = None,
    limit: int = 3,
    words: list[str] | None = None,
    cat: Catalogue | None = None,
    confirmed: "Confirmed | None" = None,
    service: str = "",
) -> list[dict[str, Any]]:
    """Ranked suggestions, each with its reasons, best first (`words`: the
    text's terms when the caller has them already; `cat`: the catalogue when
    the caller has fetched it already; `confirmed`: see _from_history).

    When nothing in the text matches, the service category the caller chose
    (`service`, a code) speaks for it: its keywords are matched against the
    catalogue instead, and the reason says so."""
    words = ticket_terms(text) if words is None else words
    cat = cat or catalogue()
    words = [w for w in words if w not in cat.places]
    cands = _from_items(cat, words, on)
    history = _from_history(words, on, exclude_ticket, cat.routing_max, confirmed)
    fallback = categories.BY_CODE.get(service) if not cands and not history else None
    if fallback is not None:
        cands = _from_items(cat, list(fallback.keywords), on)
    for agency_id, h in history.items():
        c = cands.setdefault(agency_id, Candidate(agency_id))
        c.history_count = h["n"]
        c.history_words = sorted(h["words"])
        # Each past routing adds a little; a hundred do not drown the list.
        c.score += min(h["n"], 10) * 0.5 * max(1, len(h["words"]))
    ranked = sorted(cands.values(), key=lambda c: (-c.score, c.agency_id))[:limit]
    out = []
    for c in ranked:
        reasons = []
        if fallback is not None:
            reasons.append(
                f"诉求内容未匹配到事项；按所选类别“{fallback.name}”"
                f"（{'、'.join(c.item_words)}）对应权责清单事项“{c.item_name}”"
            )
        elif c.item_words:
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
