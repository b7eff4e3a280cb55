"""Bulk recompute of open clocks after the calendar changed.

Reads the clocks in primary-key batches, computes every due date with the
vectorised engine, and writes only the clocks whose due date or provisional
flag changed: one UPDATE ... FROM (VALUES ...) ... RETURNING per chunk
(PostgreSQL and SQLite >= 3.35 both speak it; Django's bulk_update would send
a CASE per row), one INSERT ... SELECT of the `recompute` ledger entries of
the rows written, and one audit event per batch on the calendar's chain
listing each clock with its old and new due date ("id:old>new", "*" marking
a due date that is still provisional).

The UPDATE is guarded by the row's version, so a clock paused, resumed or
extended while the batch was being computed keeps the due date its own write
computed instead of this batch's stale one.
"""

import json
from datetime import date
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from fazhi.kernel.audit.services import audit_record

from ..calendar import WorkCalendar, today
from ..ledger import pauses_from_json
from ..models import Clock, ClockEvent
from ..rules import NATURAL
from ..vector import due_dates, pack_pauses_sparse
from .clocks import actor_id

BATCH = 20_000
CHUNK = 5_000  # rows per UPDATE statement
EPOCH = date(1970, 1, 1).toordinal()  # datetime64[D] counts days from here

# The recomputed values are written as SQL literals rather than bound
# parameters: binding costs more than the UPDATE itself at a million rows,
# and every literal comes from a typed value we computed (int ids and
# versions, date objects, booleans), never from user input. PostgreSQL needs
# the type on a VALUES column (an untyped '2027-01-05' would be text).
_LITERALS = {"postgresql": ("DATE '{}'", "TRUE", "FALSE")}
_PORTABLE = ("'{}'", "1", "0")


def _touching(years: set[int]) -> Q:
    q = Q(pk__in=[])
    for y in sorted(years):
        q |= Q(start_date__lte=date(y, 12, 31), due_date__gte=date(y, 1, 1))
    return q


def _write(
    ids: list[int],
    dues: list[str],
    provisional: list[bool],
    versions: list[int],
    *,
    on: date,
    reason: str,
    by: int | None,
) -> list[int]:
    """Set due date (ISO) and provisional where the version still matches, and
    add a `recompute` ledger entry for each row written; returns their ids."""
    qn = connection.ops.quote_name
    table, events = qn(Clock._meta.db_table), qn(ClockEvent._meta.db_table)
    date_fmt, true, false = _LITERALS.get(connection.vendor, _PORTABLE)
    update = (
        f"UPDATE {table} SET {qn('due_date')} = v.column2, "  # noqa: S608
        f"{qn('provisional')} = v.column3, "
        f"{qn('version')} = {table}.{qn('version')} + 1 "
        "FROM (VALUES {values}) AS v "
        f"WHERE {table}.{qn('id')} = v.column1 AND {table}.{qn('version')} = v.column4 "
        f"RETURNING {table}.{qn('id')}"
    )
    cols = ", ".join(
        qn(c)
        for c in (
            "clock_id",
            "kind",
            "on",
            "unit",
            "rule_id",
            "reason",
            "actor_id",
            "due_date",
            "provisional",
            "created_at",
        )
    )
    insert = (
        f"INSERT INTO {events} ({cols}) "  # noqa: S608
        f"SELECT {qn('id')}, %s, %s, '', '', %s, %s, {qn('due_date')}, "
        f"{qn('provisional')}, %s FROM {table} WHERE {qn('id')} IN ({{ids}})"
    )
    params = [
        ClockEvent.Kind.RECOMPUTE,
        connection.ops.adapt_datefield_value(on),
        reason,
        by,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    updated: list[int] = []
    with connection.cursor() as cursor:
        row = "({:d}, " + date_fmt + ", {}, {:d})"
        flags = [true if p else false for p in provisional]
        for i in range(0, len(ids), CHUNK):
            j = i + CHUNK
            values = ", ".join(
                map(row.format, ids[i:j], dues[i:j], flags[i:j], versions[i:j])
            )
            cursor.execute(update.format(values=values))
            won = [int(r[0]) for r in cursor.fetchall()]
            if won:
                cursor.execute(insert.format(ids=", ".join(map(str, won))), params)
            updated.extend(won)
    return updated


def _ordinals(dates: tuple[date, ...]) -> np.ndarray:
    return np.fromiter(map(date.toordinal, dates), np.int64, len(dates))


def _iso(ordinals: np.ndarray) -> list[str]:
    return np.datetime_as_string((ordinals - EPOCH).astype("datetime64[D]")).tolist()


def _candidate_ids(q: Q) -> list[int]:
    return list(Clock.objects.filter(q).order_by("pk").values_list("pk", flat=True))


def clocks_recompute(
    *, actor: Any, years: set[int] | None = None, batch_size: int = BATCH
) -> int:
    """Recompute open clocks (those touching `years`, or all); returns how many
    changed. Safe to run twice at once: each row is written at most once per
    version."""
    calendar = WorkCalendar.load()
    label = ",".join(str(y) for y in sorted(years)) if years else "all"
    reason = f"日历变更（{label}）重算" if years else "日历变更重算"
    q = Q(state__in=[Clock.State.RUNNING, Clock.State.PAUSED])
    if years:
        q &= _touching(years)
    on = today()
    by = actor_id(actor)
    changed = 0
    # One scan for the candidate ids, then each batch is a primary-key range:
    # paging with `pk > last ... LIMIT` let the planner pick the (state,
    # due_date) index and re-read the table for every batch, which made a
    # million clocks take twice as long as half a million.
    candidates = _candidate_ids(q)
    for first in range(0, len(candidates), batch_size):
        lo, hi = (
            candidates[first],
            candidates[min(first + batch_size, len(candidates)) - 1],
        )
        rows = list(
            Clock.objects.filter(q, pk__gte=lo, pk__lte=hi)
            .order_by("pk")
            .values_list(
                "pk",
                "start_date",
                "budget_days",
                "extension_days",
                "unit",
                # As text: most clocks never paused ("[]"), and decoding a
                # million JSON values would cost more than computing them.
                Cast("pauses", TextField()),
                "due_date",
                "provisional",
                "version",
            )
        )
        if not rows:
            continue  # the batch's clocks all closed meanwhile
        pk, start, budget, ext, unit, paused, old_due, old_prov, version = zip(
            *rows, strict=True
        )
        natural = np.array([u == NATURAL for u in unit], dtype=bool)
        pauses = pack_pauses_sparse(
            len(rows),
            {
                i: [
                    (a.toordinal(), b.toordinal())
                    for a, b in pauses_from_json(json.loads(p))
                ]
                for i, p in enumerate(paused)
                if p != "[]"
            },
        )
        due, prov = due_dates(
            calendar,
            _ordinals(start),
            np.array(budget, dtype=np.int64) + np.array(ext, dtype=np.int64),
            natural,
            pauses,
        )
        old = _ordinals(old_due)
        idx = np.nonzero((due != old) | (prov != np.array(old_prov, dtype=bool)))[0]
        if len(idx) == 0:
            continue
        ids = np.array(pk, dtype=np.int64)[idx].tolist()
        new_iso = _iso(due[idx])
        new_prov = prov[idx].tolist()
        with transaction.atomic():
            won = set(
                _write(
                    ids,
                    new_iso,
                    new_prov,
                    np.array(version, dtype=np.int64)[idx].tolist(),
                    on=on,
                    reason=reason,
                    by=by,
                )
            )
            audit_record(
                actor=actor,
                action="clock.recompute",
                record_type="calendar",
                record_id=label,
                payload={
                    "reason": reason,
                    "count": len(won),
                    # "id:old>new" per clock, "*" when still provisional: one
                    # string, because hashing a million small JSON lists would
                    # cost more than the recompute itself.
                    "changes": ",".join(
                        f"{i}:{o}>{n}{'*' if p else ''}"
                        for i, o, n, p in zip(
                            ids, _iso(old[idx]), new_iso, new_prov, strict=True
                        )
                        if i in won
                    ),
                },
            )
        changed += len(won)
    return changed
