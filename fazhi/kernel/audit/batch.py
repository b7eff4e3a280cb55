"""Appending many events in a few statements, for batch services.

`audit_record` costs two or three statements per event; a service that
registers hundreds of records in one transaction (a batch of 12345 tickets,
an import) pays that hundreds of times. `audit_record_batch` appends the same
events with the same chain, hashes and ordering guarantees in a fixed number
of statements: read (and on PostgreSQL lock) every head involved, chain the
events in Python, move the heads in one upsert, insert the events in one.

The chains are exactly what `audit_record` would have written one by one in
the given order: `verify` cannot tell the two apart.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from .hashing import GENESIS, chain_hash, event_hash_parts, normalise_payload
from .models import AuditEvent
from .services import _EVENT_COLUMNS, MAX_KEY, _actor_fields

# Heads are read, locked and written this many records per statement (each
# record takes two parameters; SQLite's default limit is 32,766).
CHUNK = 500
# PostgreSQL: a record with no chain yet gets a placeholder head (seq 0) so
# that it can be locked like the others; a concurrent writer that creates the
# same chain waits on it, then appends after ours. Never committed as seq 0:
# the upsert below moves every head it placed.
_PG_PLACE = (
    "INSERT INTO audit_audithead (record_type, record_id, seq, hash, prev_hash) "
    "VALUES {rows} ON CONFLICT (record_type, record_id) DO NOTHING"
)
_HEADS = (
    "SELECT record_type, record_id, seq, hash FROM audit_audithead "
    "WHERE (record_type, record_id) IN ({keys}){lock}"
)
_MOVE = (
    "INSERT INTO audit_audithead (record_type, record_id, seq, hash, prev_hash) "
    "VALUES {rows} ON CONFLICT (record_type, record_id) DO UPDATE SET "
    "seq = excluded.seq, hash = excluded.hash, prev_hash = excluded.prev_hash"
)

_INSERT = _EVENT_COLUMNS + "VALUES {rows} RETURNING id"
_ROW = "(" + ", ".join(["%s"] * 10) + ")"


@dataclass(frozen=True)
class EventSpec:
    """One event to append: to the chain of (record_type, record_id)."""

    record_type: str
    record_id: Any
    action: str
    payload: dict[str, Any] | None = None


def _check(spec: EventSpec, index: int) -> tuple[str, str]:
    record_id = str(spec.record_id)
    for field, value in (
        ("record_type", spec.record_type),
        ("record_id", record_id),
        ("action", spec.action),
    ):
        if not value or len(value) > MAX_KEY:
            raise ValidationError({f"{index}: {field}": f"须为 1 至 {MAX_KEY} 个字符"})
    return spec.record_type, record_id


def _chunks(keys: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    return [keys[i : i + CHUNK] for i in range(0, len(keys), CHUNK)]


def _read_heads(
    cursor: Any, vendor: str, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, str]]:
    """The current head of each record (none: no chain yet).

    SQLite: the transaction holds the database write lock, nothing moves.
    PostgreSQL: place and lock every head, in key order (two batches that
    share records lock them in the same order, never in a cycle)."""
    heads: dict[tuple[str, str], tuple[int, str]] = {}
    pg = vendor == "postgresql"
    for part in _chunks(sorted(keys)):
        flat = [v for key in part for v in key]
        if pg:
            cursor.execute(
                _PG_PLACE.format(rows=", ".join(["(%s, %s, 0, %s, %s)"] * len(part))),
                [v for key in part for v in (*key, GENESIS, GENESIS)],
            )
        cursor.execute(
            _HEADS.format(
                keys=", ".join(["(%s, %s)"] * len(part)),
                lock=" ORDER BY record_type, record_id FOR UPDATE" if pg else "",
            ),
            flat,
        )
        for record_type, record_id, seq, digest in cursor.fetchall():
            if seq:  # a placeholder is no chain
                heads[(record_type, record_id)] = (seq, digest)
    return heads


def audit_record_batch(*, actor: Any, events: Sequence[EventSpec]) -> list[AuditEvent]:
    """Append `events` in order, as one actor at one moment, and return them.

    Runs inside the caller's transaction (or its own); if anything fails,
    nothing is written and the caller's transaction fails with it. A bad
    record type, id or action is named with its position in `events`.
    """
    if not events:
        return []
    keys = [_check(spec, i) for i, spec in enumerate(events, start=1)]
    actor_id, actor_label = _actor_fields(actor)
    actor_label = actor_label[:150]
    now = timezone.now()
    connection = connections[DEFAULT_DB_ALIAS]
    out: list[AuditEvent] = []
    # savepoint=False: an event that cannot be written fails the caller's
    # whole transaction, never lets its change commit unrecorded.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        heads = _read_heads(cursor, connection.vendor, list(dict.fromkeys(keys)))
        for spec, (record_type, record_id) in zip(events, keys, strict=True):
            payload = normalise_payload(spec.payload)
            before, between = event_hash_parts(
                record_type=record_type,
                record_id=record_id,
                action=spec.action,
                actor_id=actor_id,
                actor_label=actor_label,
                payload=payload,
                created_at=now,
            )
            seq, prev = heads.get((record_type, record_id), (0, GENESIS))
            digest = chain_hash(before, seq + 1, between, prev)
            heads[(record_type, record_id)] = (seq + 1, digest)
            out.append(
                AuditEvent(
                    record_type=record_type,
                    record_id=record_id,
                    seq=seq + 1,
                    action=spec.action,
                    actor_id=actor_id,
                    actor_label=actor_label,
                    payload=payload,
                    created_at=now,
                    prev_hash=prev,
                    hash=digest,
                )
            )
        moved = {(e.record_type, e.record_id): e for e in out}
        for part in _chunks(sorted(moved)):
            cursor.execute(
                _MOVE.format(rows=", ".join(["(%s, %s, %s, %s, %s)"] * len(part))),
                [
                    v
                    for key in part
                    for v in (
                        *key,
                        moved[key].seq,
                        moved[key].hash,
                        moved[key].prev_hash,
                    )
                ],
            )
        # Events go in list order, so ids follow each chain's sequence. Plain
        # SQL as in audit_record: the ORM's bulk insert cost more than all
        # the hashing.
        prep = AuditEvent._meta.get_field("payload").get_db_prep_save
        at = connection.ops.adapt_datetimefield_value(now)
        for start in range(0, len(out), CHUNK):
            rows = out[start : start + CHUNK]
            cursor.execute(
                _INSERT.format(rows=", ".join([_ROW] * len(rows))),
                [
                    v
                    for e in rows
                    for v in (
                        e.record_type, e.record_id, e.seq, e.action, actor_id,
                        actor_label, prep(e.payload, connection), at,
                        e.prev_hash, e.hash,
                    )
                ],
            )  # fmt: skip
            for event, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                event.pk = event.id = pk
                event._state.adding = False
                event._state.db = connection.alias
    return out
