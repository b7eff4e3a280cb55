"""Bulk recompute of open clocks after the calendar changed.

Reads the clocks in primary-key batches, computes every due date with the
vectorised engine, and writes only the clocks whose due date or provisional
flag changed: one UPDATE ... FROM (VALUES ...) per chunk (PostgreSQL and
SQLite >= 3.33 both speak it; Django's bulk_update would send a CASE per row),
one `recompute` ledger entry per changed clock, and one audit event per batch
on the calendar's chain listing each clock with its old and new due date.

The UPDATE is guarded by the row's version, so a clock paused, resumed or
extended while the batch was being computed keeps the due date its own write
computed instead of this batch's stale one.
"""

from datetime import date
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Q

from fazhi.kernel.audit.services import audit_record

from ..calendar import WorkCalendar, today
from ..ledger import pauses_from_json
from ..models import Clock, ClockEvent
from ..rules import NATURAL
from ..vector import due_dates, pack_pauses
from .clocks import actor_id

BATCH = 20_000
CHUNK = 2_000  # rows per UPDATE: 8,000 parameters, under SQLite's 32,766


def _touching(years: set[int]) -> Q:
    q = Q(pk__in=[])
    for y in sorted(years):
        q |= Q(start_date__lte=date(y, 12, 31), due_date__gte=date(y, 1, 1))
    return q


def _write(rows: list[tuple[int, date, bool, int]]) -> list[int]:
    """Set due date and provisional where the version still matches."""
    qn = connection.ops.quote_name
    table = qn(Clock._meta.db_table)
    updated: list[int] = []
    with connection.cursor() as cursor:
        for i in range(0, len(rows), CHUNK):
            chunk = rows[i : i + CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            # Identifiers are quoted by the backend and every value is bound.
            sql = (
                f"UPDATE {table} SET {qn('due_date')} = v.column2, "  # noqa: S608
                f"{qn('provisional')} = v.column3, "
                f"{qn('version')} = {table}.{qn('version')} + 1 "
                f"FROM (VALUES {values}) AS v "
                f"WHERE {table}.{qn('id')} = v.column1 "
                f"AND {table}.{qn('version')} = v.column4 "
                f"RETURNING {table}.{qn('id')}"
            )
            cursor.execute(sql, [x for row in chunk for x in row])
            updated.extend(r[0] for r in cursor.fetchall())
    return updated


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
    last_pk, changed = 0, 0
    while True:
        rows = list(
            Clock.objects.filter(q, pk__gt=last_pk)
            .order_by("pk")
            .values_list(
                "pk",
                "start_date",
                "budget_days",
                "extension_days",
                "unit",
                "pauses",
                "due_date",
                "provisional",
                "version",
            )[:batch_size]
        )
        if not rows:
            break
        last_pk = rows[-1][0]
        starts = np.fromiter((r[1].toordinal() for r in rows), np.int64, len(rows))
        budgets = np.fromiter((r[2] + r[3] for r in rows), np.int64, len(rows))
        natural = np.fromiter((r[4] == NATURAL for r in rows), bool, len(rows))
        pauses = pack_pauses(
            [
                [(a.toordinal(), b.toordinal()) for a, b in pauses_from_json(r[5])]
                if r[5]
                else []
                for r in rows
            ]
        )
        due, prov = due_dates(calendar, starts, budgets, natural, pauses)
        old_due = np.fromiter((r[6].toordinal() for r in rows), np.int64, len(rows))
        old_prov = np.fromiter((r[7] for r in rows), bool, len(rows))
        idx = np.nonzero((due != old_due) | (prov != old_prov))[0]
        if len(idx) == 0:
            continue
        todo = [
            (rows[i][0], date.fromordinal(int(due[i])), bool(prov[i]), rows[i][8])
            for i in idx.tolist()
        ]
        with transaction.atomic():
            won = set(_write(todo))
            done = [t for t in todo if t[0] in won]
            ClockEvent.objects.bulk_create(
                [
                    ClockEvent(
                        clock_id=pk,
                        kind=ClockEvent.Kind.RECOMPUTE,
                        on=on,
                        reason=reason,
                        actor_id=by,
                        due_date=d,
                        provisional=p,
                    )
                    for pk, d, p, _ in done
                ],
                batch_size=CHUNK,
            )
            old = {rows[i][0]: rows[i][6] for i in idx.tolist()}
            audit_record(
                actor=actor,
                action="clock.recompute",
                record_type="calendar",
                record_id=label,
                payload={
                    "reason": reason,
                    "count": len(done),
                    "clocks": [[pk, old[pk], d, p] for pk, d, p, _ in done],
                },
            )
        changed += len(done)
    return changed
