"""The exact roll-up behind the 12345 dashboard and KPIs.

Three tables (models.py): HotlineDaily holds the KPI counters per receiving
day, owning agency and merged-or-not; HotlineCount counts tickets per day and
owning agency by type, by area and by keyword; RollupState remembers, per
ticket, which key and flags the roll-up currently counts for it.

`ticket_sync(ticket)` is the one hook every service calls after it changed a
ticket, inside the service's transaction: it locks the ticket's state row,
reads the ticket afresh, and moves its contribution from the old key/flags to
the new ones with additive upserts (INSERT ... ON CONFLICT DO UPDATE SET
n = n + excluded.n, one statement, atomic on PostgreSQL and SQLite). Reading
the ticket from the database rather than the caller's object, under the state
row's lock, keeps the counters exact when two transactions change one ticket:
the second waits, then sees the first's committed state.

`rebuild()` recomputes everything from the tickets with set-based SQL, and
reports where the stored counters differed (they never should).
"""

# SQL is assembled from model table/column names and module constants only;
# every value goes in as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import reduce
from operator import add
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from .models import HotlineCount, HotlineDaily, RollupState, Ticket

# The counters besides `received`, each a flag of one ticket; the bit order is
# the state row's encoding and must not be reordered without a rebuild.
FLAGS: dict[str, Q] = {
    "signed": Q(signed_on_time__isnull=False),
    "signed_on_time": Q(signed_on_time=True),
    "handled": Q(handled_on_time__isnull=False),
    "handled_on_time": Q(handled_on_time=True),
    # 好差评: a rating voided on appeal no longer counts (国办发〔2019〕51号).
    "rated": Q(rating__isnull=False, rating__voided=False),
    "satisfied": Q(rating__grade__gte=3, rating__voided=False),
    # Replied by an agency (not the centre's own 直接答复): the redo base.
    "replied": Q(replied_on__isnull=False, direct_answer=False),
    "redone": Q(redo_count__gt=0),
    "direct": Q(direct_answer=True),
}
COUNTERS = ("received", *FLAGS)
DAILY_KEY = ("day", "agency_id", "merged")
COUNT_KEY = ("dim", "agency_id", "day", "value")


def _flags_expr() -> Any:
    return reduce(
        add,
        (
            Case(When(q, then=Value(1 << i)), default=Value(0))
            for i, q in enumerate(FLAGS.values())
        ),
    )


def _vectors(qs: QuerySet[Ticket]) -> QuerySet[Any]:
    """Per ticket: pk, day, owner, type, area (0 = none), merged, flags."""
    return qs.annotate(
        r_area=Coalesce("area_id", 0),
        r_merged=ExpressionWrapper(
            Q(merged_into__isnull=False), output_field=BooleanField()
        ),
        r_flags=_flags_expr(),
    ).values_list(
        "pk",
        "received_on",
        "case__agency_id",
        "ticket_type",
        "r_area",
        "r_merged",
        "r_flags",
    )


def _counts(flags: int, sign: int) -> list[int]:
    return [sign] + [sign if flags & (1 << i) else 0 for i in range(len(FLAGS))]


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


@functools.lru_cache(maxsize=256)
def _upsert_sql(
    vendor: str, table: str, key: tuple[str, ...], counters: tuple[str, ...], n: int
) -> str:
    """The additive upsert of `n` rows: built once per shape (intake runs it
    on every ticket; assembling it cost as much as running it)."""
    cols = [*key, *counters]
    one = "(" + ", ".join(["%s"] * len(cols)) + ")"
    t = _qn(table)
    sets = ", ".join(f"{_qn(c)} = {t}.{_qn(c)} + excluded.{_qn(c)}" for c in counters)
    return (
        f"INSERT INTO {t} ({', '.join(map(_qn, cols))}) "
        f"VALUES {', '.join([one] * n)} "
        f"ON CONFLICT ({', '.join(map(_qn, key))}) DO UPDATE SET {sets}"
    )


UPSERT_CHUNK = 200  # rows per statement (SQLite caps the parameters at 32,766)


def _upsert(
    table: str, key: Sequence[str], counters: Sequence[str], rows: list[tuple]
) -> None:
    """Add `rows` (key values then counter deltas) to `table`.

    Rows go in key order, so two transactions lock shared rows in the same
    order and cannot deadlock each other.
    """
    ordered = sorted(rows, key=lambda r: tuple(str(v) for v in r[: len(key)]))
    for start in range(0, len(ordered), UPSERT_CHUNK):
        part = ordered[start : start + UPSERT_CHUNK]
        sql = _upsert_sql(
            connection.vendor, table, tuple(key), tuple(counters), len(part)
        )
        params: list[Any] = []
        for row in part:
            params.extend(
                connection.ops.adapt_datefield_value(v) if isinstance(v, date) else v
                for v in row
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _hold_agencies(ids: set[int]) -> None:
    """Take now the key-share locks this transaction's foreign keys to the
    agencies would take at commit (they are deferred), before holding any
    roll-up row. The workflow engine locks a case's agency row FOR UPDATE
    during a transition; a transaction that held a roll-up row and only then
    waited for that agency at commit could close a cycle with a transition
    waiting for the same roll-up row (a deadlock seen under concurrent intake
    and dispatch)."""
    if connection.vendor != "postgresql":
        return
    from fazhi.kernel.org.models import Agency

    table = _qn(Agency._meta.db_table)
    _execute(
        f"SELECT 1 FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))}) "
        "ORDER BY id FOR KEY SHARE",
        sorted(ids),
    )


Change = tuple[int, tuple | None, tuple, str | None]  # pk, old, new, terms


def _apply(changes: Sequence[Change]) -> None:
    """Move each ticket's contribution from its old vector to its new one
    (key + flags), all in two upserts.

    A vector is (day, agency, type, area or 0, merged, flags)."""
    agencies = {vec[1] for _, old, new, _ in changes for vec in (old, new) if vec}
    _hold_agencies(agencies)
    daily: dict[tuple[Any, ...], list[int]] = {}
    counts: dict[tuple[Any, ...], int] = {}
    for pk, old, new, terms in changes:
        words: set[str] = set()
        if old is None or tuple(old[:2]) != tuple(new[:2]):
            # Keywords are fixed at intake, so they move only with the day/owner.
            if terms is None:
                terms = Ticket.objects.values_list("terms", flat=True).get(pk=pk)
            words = set(terms.split())
        for vec, sign in ((old, -1), (new, 1)):
            if vec is None:
                continue
            day, agency, kind, area, merged, flags = vec
            into = daily.setdefault((day, agency, merged), [0] * len(COUNTERS))
            for i, d in enumerate(_counts(flags, sign)):
                into[i] += d
            dims = [("type", kind)] + ([("area", str(area))] if area else [])
            dims += [("term", w) for w in words]
            for dim, value in dims:
                # The city-wide row nets to zero when only the owner changed.
                for owner in (agency, HotlineCount.CITY):
                    k = (dim, owner, day, value)
                    counts[k] = counts.get(k, 0) + sign
    _upsert(
        HotlineDaily._meta.db_table,
        DAILY_KEY,
        COUNTERS,
        [(*k, *d) for k, d in daily.items() if any(d)],
    )
    _upsert(
        HotlineCount._meta.db_table,
        COUNT_KEY,
        ("n",),
        [(*k, d) for k, d in counts.items() if d],
    )
    fresh = []
    for pk, old, new, _ in changes:
        state = dict(zip(STATE_FIELDS, new, strict=True))
        if old is None:
            fresh.append(RollupState(ticket_id=pk, **state))
        else:
            RollupState.objects.filter(ticket_id=pk).update(**state)
    RollupState.objects.bulk_create(fresh)


STATE_FIELDS = ("day", "agency_key", "ticket_type", "area_key", "merged", "flags")


def _intake_vector(ticket: Ticket) -> tuple:
    """The vector of a ticket just saved by intake, read off the object: a
    new ticket has no rating to join."""
    flags = sum(
        1 << i
        for i, on in enumerate(
            (
                ticket.signed_on_time is not None,
                ticket.signed_on_time is True,
                ticket.handled_on_time is not None,
                ticket.handled_on_time is True,
                False,
                False,
                ticket.replied_on is not None,
                ticket.redo_count > 0,
                False,
            )
        )
        if on
    )
    return (
        ticket.received_on,
        ticket.case.agency_id,
        ticket.ticket_type,
        ticket.area_id or 0,
        False,
        flags,
    )


def tickets_added(tickets: Sequence[Ticket]) -> None:
    """Count tickets just saved by intake: at the centre, no step taken yet.

    Three statements (PostgreSQL: four) however many tickets, where a sync
    needs six or seven per ticket, as intake is the hot path."""
    plain: list[Change] = []
    for ticket in tickets:
        if ticket.merged_into_id is not None or ticket.direct_answer:
            ticket_sync(ticket)  # not a plain new ticket: take the general path
        else:
            plain.append((ticket.pk, None, _intake_vector(ticket), ticket.terms))
    if plain:
        with transaction.atomic(savepoint=False):
            _apply(plain)


def ticket_added(ticket: Ticket) -> None:
    """Count one ticket just saved by intake (see tickets_added)."""
    tickets_added([ticket])


def ticket_sync(ticket: Ticket | int) -> None:
    """Make the roll-up count `ticket` as it now is. Call it after the change,
    in the same transaction; when nothing counted changed it costs two reads."""
    pk = ticket if isinstance(ticket, int) else ticket.pk
    with transaction.atomic(savepoint=False):
        old = (
            RollupState.objects.select_for_update()
            .filter(ticket_id=pk)
            .values_list(*STATE_FIELDS)
            .first()
        )
        new = tuple(_vectors(Ticket.objects.filter(pk=pk)).get()[1:])
        if old is None or tuple(old) != new:
            _apply([(pk, old, new, None)])


# -- rebuild -------------------------------------------------------------------


FRESH_DAILY = "hotline_fresh_daily"
FRESH_COUNTS = "hotline_fresh_counts"


def _daily_select() -> tuple[str, tuple[Any, ...]]:
    qs = (
        Ticket.objects.order_by()
        .values(
            k_day=F("received_on"),
            k_agency=F("case__agency_id"),
            k_merged=ExpressionWrapper(
                Q(merged_into__isnull=False), output_field=BooleanField()
            ),
        )
        .annotate(
            c_received=Count("pk"),
            **{f"c_{name}": Count("pk", filter=q) for name, q in FLAGS.items()},
        )
    )
    return qs.query.sql_with_params()


def _execute(sql: str, params: Iterable[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


def _scalar(sql: str, params: Iterable[Any] = ()) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchone()[0]


def _fill_fresh_counts() -> None:
    from fazhi.kernel.workflow.models import Case

    ticket, case = _qn(Ticket._meta.db_table), _qn(Case._meta.db_table)
    src = f"FROM {ticket} t JOIN {case} c ON c.id = t.case_id"
    into = f"INSERT INTO {FRESH_COUNTS} (dim, day, agency_id, value, n)"
    _execute(
        f"{into} SELECT 'type', t.received_on, c.agency_id, t.ticket_type, "
        f"COUNT(*) {src} GROUP BY t.received_on, c.agency_id, t.ticket_type"
    )
    _execute(
        f"{into} SELECT 'area', t.received_on, c.agency_id, "
        f"CAST(t.area_id AS TEXT), COUNT(*) {src} WHERE t.area_id IS NOT NULL "
        "GROUP BY t.received_on, c.agency_id, t.area_id"
    )
    if connection.vendor == "postgresql":
        # DISTINCT inside each ticket: hot topics count a ticket once per term.
        _execute(
            f"""{into} SELECT 'term', t.received_on, c.agency_id, w.term, COUNT(*)
            {src} CROSS JOIN LATERAL (
                SELECT DISTINCT x AS term
                FROM unnest(string_to_array(t.terms, ' ')) AS x WHERE x <> ''
            ) w
            GROUP BY 1, 2, 3, 4"""
        )
    else:
        _fill_fresh_terms_sqlite(into)
    # City-wide rows: the same counts with the owner left out.
    _execute(
        f"{into} SELECT dim, day, {HotlineCount.CITY}, value, SUM(n) "
        f"FROM {FRESH_COUNTS} GROUP BY dim, day, value"
    )


def _fill_fresh_terms_sqlite(into: str) -> None:
    """SQLite has no string splitting: count the keywords in Python."""
    counts: Counter[tuple[Any, int, str]] = Counter()
    rows = Ticket.objects.values_list("received_on", "case__agency_id", "terms")
    for day, agency, terms in rows.iterator(chunk_size=5000):
        for term in set(terms.split()):
            counts[(day, agency, term)] += 1
    with connection.cursor() as cursor:
        cursor.executemany(
            f"{into} VALUES ('term', %s, %s, %s, %s)",
            [
                (connection.ops.adapt_datefield_value(d), a, t, n)
                for (d, a, t), n in counts.items()
            ],
        )


def _diff(table: str, fresh: str, cols: Sequence[str], nonzero: Sequence[str]) -> int:
    """Rows in one of the two but not the other (all-zero stored rows ignored:
    a ticket that moved away leaves its old key at zero)."""
    c = ", ".join(map(_qn, cols))
    live = f"SELECT {c} FROM {_qn(table)} WHERE " + " OR ".join(
        f"{_qn(n)} <> 0" for n in nonzero
    )
    return int(
        _scalar(f"SELECT COUNT(*) FROM ({live} EXCEPT {fresh}) a")
        + _scalar(f"SELECT COUNT(*) FROM ({fresh} EXCEPT {live}) b")
    )


def rebuild(
    *, check: bool = True, step: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Recompute the roll-up from the tickets; return differing rows per table.

    Locks the roll-up for the duration: a transition that has changed a
    ticket but not yet synced waits, then syncs against the rebuilt state.
    """
    say = step or (lambda _name: None)
    daily, counts, state = (
        _qn(HotlineDaily._meta.db_table),
        _qn(HotlineCount._meta.db_table),
        _qn(RollupState._meta.db_table),
    )
    daily_cols = [*DAILY_KEY, *COUNTERS]
    fresh_cols = ["k_day", "k_agency", "k_merged", *(f"c_{c}" for c in COUNTERS)]
    count_cols = ", ".join([*COUNT_KEY, "n"])
    out = {"daily": 0, "counts": 0}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _execute(f"LOCK TABLE {state} IN ACCESS EXCLUSIVE MODE")
            _execute(f"LOCK TABLE {daily}, {counts} IN EXCLUSIVE MODE")
        for name in (FRESH_DAILY, FRESH_COUNTS):
            _execute(f"DROP TABLE IF EXISTS {name}")
        say("计数")
        sql, params = _daily_select()
        _execute(f"CREATE TEMPORARY TABLE {FRESH_DAILY} AS {sql}", params)
        _execute(
            f"CREATE TEMPORARY TABLE {FRESH_COUNTS} "
            "(dim varchar(8), day date, agency_id bigint, value text, n bigint)"
        )
        say("分类")
        _fill_fresh_counts()
        if check:
            say("核对")
            out["daily"] = _diff(
                HotlineDaily._meta.db_table,
                f"SELECT {', '.join(fresh_cols)} FROM {FRESH_DAILY}",
                daily_cols,
                COUNTERS,
            )
            out["counts"] = _diff(
                HotlineCount._meta.db_table,
                f"SELECT {count_cols} FROM {FRESH_COUNTS}",
                (*COUNT_KEY, "n"),
                ("n",),
            )
        say("写入")
        _execute(f"DELETE FROM {daily}")
        _execute(
            f"INSERT INTO {daily} ({', '.join(map(_qn, daily_cols))}) "
            f"SELECT {', '.join(fresh_cols)} FROM {FRESH_DAILY}"
        )
        _execute(f"DELETE FROM {counts}")
        _execute(
            f"INSERT INTO {counts} ({count_cols}) "
            f"SELECT {count_cols} FROM {FRESH_COUNTS}"
        )
        say("状态")
        if connection.vendor == "postgresql":
            _execute(f"TRUNCATE {state}")
        else:
            _execute(f"DELETE FROM {state}")
        sql, params = _vectors(Ticket.objects.order_by()).query.sql_with_params()
        _execute(
            f"INSERT INTO {state} (ticket_id, day, agency_key, ticket_type, "
            f"area_key, merged, flags) {sql}",
            params,
        )
        for name in (FRESH_DAILY, FRESH_COUNTS):
            _execute(f"DROP TABLE {name}")
    return out
