"""Writing the full-process record.

`audit_record` is called by every service inside the service's transaction, so
the event commits or rolls back together with the change it describes. The
other writers here are the administrative events every app may need (logins,
exports, views of personal data) and `checkpoint_seal`.

Nothing here edits or deletes an event: there is no such function, and the
database refuses it anyway (migration 0003).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest
from django.utils import timezone

from .hashing import (
    GENESIS,
    MerkleBuilder,
    chain_hash,
    checkpoint_root,
    event_hash_parts,
    leaf_hash,
    normalise_payload,
)
from .models import AuditEvent, Checkpoint, CheckpointRecord

MAX_KEY = 64  # record_type, record_id and action columns
SEAL_CHUNK = 5000
SEAL_LOCK_TIMEOUT = "5s"


@dataclass(frozen=True)
class Actor:
    """A non-user actor (a scheduled job, an anonymous visitor) by its label."""

    audit_label: str
    is_authenticated: bool = False


ANONYMOUS = Actor("anonymous")


class CheckpointBusy(RuntimeError):
    """Writers still hold events a checkpoint would have to include."""


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        label = getattr(actor, "audit_label", "") if actor is not None else ""
        return None, label or "system"
    return actor.pk, actor.get_username()


# The append statements: fixed text, only values are parameters.
_EVENT_COLUMNS = (
    "INSERT INTO audit_auditevent (record_type, record_id, seq, action, actor_id, "
    "actor_label, payload, created_at, prev_hash, hash) "
)
# PostgreSQL: one statement moves the head and writes the event. The upsert
# locks the head row (or waits for a concurrent creator of it, then updates
# the row that one committed), so seq and prev_hash come from the latest head
# under lock; the hash is finished by the database from the canonical body
# parts computed here (hashing.event_hash_parts), so what it stores is exactly
# what `event_hash` recomputes.
PG_APPEND = "".join(
    [
        "WITH h AS (INSERT INTO audit_audithead AS head ",
        "(record_type, record_id, seq, hash, prev_hash) ",
        "VALUES (%(rt)s, %(rid)s, 1, %(first)s, %(genesis)s) ",
        "ON CONFLICT (record_type, record_id) DO UPDATE SET ",
        "seq = head.seq + 1, prev_hash = head.hash, ",
        "hash = encode(sha256(convert_to(%(before)s || (head.seq + 1)::text || ",
        "%(between)s || '\"' || head.hash || '\"]', 'UTF8')), 'hex') ",
        "RETURNING seq, prev_hash, hash) ",
        _EVENT_COLUMNS,
        "SELECT %(rt)s, %(rid)s, h.seq, %(action)s, %(actor_id)s, %(label)s, ",
        "%(payload)s, %(at)s, h.prev_hash, h.hash FROM h ",
        "RETURNING id, seq, prev_hash, hash",
    ]
)
# SQLite: the transaction already holds the database write lock
# (transaction_mode IMMEDIATE), so read-then-write cannot interleave.
SQLITE_HEAD = (
    "SELECT seq, hash FROM audit_audithead WHERE record_type = %s AND record_id = %s"
)
SQLITE_APPEND = _EVENT_COLUMNS + "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
SQLITE_MOVE_HEAD = (
    "INSERT INTO audit_audithead (record_type, record_id, seq, hash, prev_hash) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (record_type, record_id) "
    "DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
    "prev_hash = excluded.prev_hash"
)
# SQLite shortcuts, each decided by the database, never by what we remember:
# a record just created starts its chain only if it has no head yet (DO
# NOTHING: rowcount 0 when it has one), and a chain this connection moved last
# moves again only if its head is still the one we wrote (compare and swap:
# rowcount 0 after a rollback or another writer). Either miss falls back to
# reading the head. Both save the read, and the event row then follows.
SQLITE_START_HEAD = (
    "INSERT INTO audit_audithead (record_type, record_id, seq, hash, prev_hash) "
    "VALUES (%s, %s, 1, %s, %s) ON CONFLICT (record_type, record_id) DO NOTHING"
)
SQLITE_SWAP_HEAD = (
    "UPDATE audit_audithead SET seq = %s, hash = %s, prev_hash = %s "
    "WHERE record_type = %s AND record_id = %s AND seq = %s AND hash = %s"
)
HINTS_MAX = 256  # chains remembered per connection


def _sqlite_append(
    cursor: Any,
    connection: BaseDatabaseWrapper,
    *,
    record_type: str,
    record_id: str,
    before: str,
    between: str,
    new_record: bool,
) -> tuple[int, str, str]:
    """Move the head of the chain and return (seq, prev_hash, hash) of the
    event to write. The transaction holds the database write lock
    (transaction_mode IMMEDIATE), so nothing interleaves."""
    hints: dict[tuple[str, str], tuple[int, str]] = connection.__dict__.setdefault(
        "fazhi_audit_heads", {}
    )
    key = (record_type, record_id)
    # A new record's hint would be stale (an id reused after a rollback).
    known = None if new_record else hints.get(key)
    moved = False
    if new_record:
        seq, prev = 1, GENESIS
        digest = chain_hash(before, seq, between, prev)
        cursor.execute(SQLITE_START_HEAD, [record_type, record_id, digest, prev])
        moved = cursor.rowcount == 1
    elif known is not None:
        seq, prev = known[0] + 1, known[1]
        digest = chain_hash(before, seq, between, prev)
        cursor.execute(
            SQLITE_SWAP_HEAD, [seq, digest, prev, record_type, record_id, *known]
        )
        moved = cursor.rowcount == 1
    if not moved:
        cursor.execute(SQLITE_HEAD, [record_type, record_id])
        head = cursor.fetchone()
        seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
        digest = chain_hash(before, seq, between, prev)
        cursor.execute(SQLITE_MOVE_HEAD, [record_type, record_id, seq, digest, prev])
    if len(hints) >= HINTS_MAX:
        hints.clear()
    hints[key] = (seq, digest)
    return seq, prev, digest


def audit_record(
    *,
    actor: Any,
    action: str,
    record_type: str,
    record_id: Any,
    payload: dict[str, Any] | None = None,
    new_record: bool = False,
) -> AuditEvent:
    """Append one event to the chain of (record_type, record_id).

    `new_record`: the caller has just created the record in this transaction,
    so its chain most likely starts here (a hint only: a chain that exists is
    still appended to correctly).

    Runs inside the caller's transaction (or its own if there is none). The
    record's head row is the lock that orders its chain: PostgreSQL takes it
    in the upsert that moves it, SQLite holds the database write lock for the
    whole transaction. So two writers to one record can never take the same
    sequence number, and writers to different records never wait for each
    other.
    """
    record_id = str(record_id)
    for field, value in (
        ("record_type", record_type),
        ("record_id", record_id),
        ("action", action),
    ):
        if not value or len(value) > MAX_KEY:
            raise ValidationError({field: f"须为 1 至 {MAX_KEY} 个字符"})
    actor_id, actor_label = _actor_fields(actor)
    actor_label = actor_label[:150]
    payload = normalise_payload(payload)
    now = timezone.now()
    connection = connections[DEFAULT_DB_ALIAS]
    before, between = event_hash_parts(
        record_type=record_type,
        record_id=record_id,
        action=action,
        actor_id=actor_id,
        actor_label=actor_label,
        payload=payload,
        created_at=now,
    )
    values = {
        "rt": record_type,
        "rid": record_id,
        "action": action,
        "actor_id": actor_id,
        "label": actor_label,
        "payload": AuditEvent._meta.get_field("payload").get_db_prep_save(
            payload, connection
        ),
        "at": connection.ops.adapt_datetimefield_value(now),
    }
    # savepoint=False: if the event cannot be written, the caller's whole
    # transaction must fail with it, never commit the change unrecorded.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                PG_APPEND,
                {
                    **values,
                    "first": chain_hash(before, 1, between, GENESIS),
                    "genesis": GENESIS,
                    "before": before,
                    "between": between,
                },
            )
            event_id, seq, prev, digest = cursor.fetchone()
        else:
            seq, prev, digest = _sqlite_append(
                cursor,
                connection,
                record_type=record_type,
                record_id=record_id,
                before=before,
                between=between,
                new_record=new_record,
            )
            cursor.execute(
                SQLITE_APPEND,
                [record_type, record_id, seq, action, actor_id, actor_label,
                 values["payload"], values["at"], prev, digest],
            )  # fmt: skip
            event_id = cursor.lastrowid
    event = AuditEvent(
        id=event_id,
        record_type=record_type,
        record_id=record_id,
        seq=seq,
        action=action,
        actor_id=actor_id,
        actor_label=actor_label,
        payload=payload,
        created_at=now,
        prev_hash=prev,
        hash=digest,
    )
    event._state.adding = False
    event._state.db = connection.alias
    return event


# --- checkpoints -------------------------------------------------------------


def _settled_horizon(connection: BaseDatabaseWrapper) -> int:
    """The largest event id below which no event can still appear.

    On PostgreSQL ids come from a sequence and transactions commit in any
    order: id 100 may commit after id 101 has been sealed. SHARE mode waits
    until every transaction that has inserted an event has finished, so every
    id up to the maximum read here is settled. It is taken in its own short
    transaction so writers wait only while it waits, and gives up after
    SEAL_LOCK_TIMEOUT rather than stall them behind a long transaction.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL lock_timeout = '{SEAL_LOCK_TIMEOUT}'")
            try:
                with transaction.atomic():
                    cursor.execute("LOCK TABLE audit_auditevent IN SHARE MODE")
            except OperationalError as exc:  # lock_not_available
                raise CheckpointBusy("仍有事务在写入审计事件，请稍后再封存") from exc
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM audit_auditevent")
        return int(cursor.fetchone()[0])


def checkpoint_seal(*, actor: Any = None) -> Checkpoint | None:
    """Seal every event after the last checkpoint under a Merkle root.

    Returns None when there is nothing new. Safe to run twice at once: the
    checkpoint table is locked for the seal (PostgreSQL: SHARE ROW EXCLUSIVE,
    which conflicts with itself; SQLite: the write lock), so a second sealer
    waits, then finds the first one's checkpoint and seals only what is left.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    horizon = _settled_horizon(connection)
    _, actor_label = _actor_fields(actor)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE audit_checkpoint IN SHARE ROW EXCLUSIVE MODE"
                )
        last = Checkpoint.objects.order_by("-last_event_id", "-id").first()
        prev_last = last.last_event_id if last else 0
        prev_root = last.root if last else GENESIS
        if horizon <= prev_last:
            return None
        tree = MerkleBuilder()
        heads: dict[tuple[str, str], tuple[int, str]] = {}
        first_id = last_id = 0
        events = (
            AuditEvent.objects.filter(id__gt=prev_last, id__lte=horizon)
            .order_by("id")
            .values_list("id", "record_type", "record_id", "seq", "hash")
        )
        for event_id, record_type, record_id, seq, digest in events.iterator(
            chunk_size=SEAL_CHUNK
        ):
            first_id = first_id or event_id
            last_id = event_id
            tree.add(
                leaf_hash(
                    event_id=event_id,
                    record_type=record_type,
                    record_id=record_id,
                    seq=seq,
                    digest=digest,
                )
            )
            heads[(record_type, record_id)] = (seq, digest)
        if tree.count == 0:
            return None  # only ids of rolled-back transactions
        events_root = tree.root()
        checkpoint = Checkpoint.objects.create(
            first_event_id=first_id,
            last_event_id=last_id,
            event_count=tree.count,
            events_root=events_root,
            prev_root=prev_root,
            root=checkpoint_root(
                prev_root=prev_root,
                first_event_id=first_id,
                last_event_id=last_id,
                event_count=tree.count,
                events_root=events_root,
            ),
            created_at=timezone.now(),
            actor_label=actor_label,
        )
        CheckpointRecord.objects.bulk_create(
            (
                CheckpointRecord(
                    checkpoint=checkpoint,
                    record_type=record_type,
                    record_id=record_id,
                    seq=seq,
                    hash=digest,
                )
                for (record_type, record_id), (seq, digest) in heads.items()
            ),
            batch_size=SEAL_CHUNK,
        )
    return checkpoint


# --- administrative events ---------------------------------------------------


def _client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a
    # trusted proxy set it, and a forged address is worse than none.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:200]


def audit_login(*, actor: Any, request: HttpRequest | None) -> AuditEvent:
    """A successful sign-in, on the user's own chain."""
    return audit_record(
        actor=actor,
        action="auth.login",
        record_type="user",
        record_id=actor.pk,
        payload={"ip": _client_ip(request), "user_agent": _user_agent(request)},
    )


def audit_logout(*, actor: Any, request: HttpRequest | None) -> AuditEvent | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None  # logging out while not logged in changes nothing
    return audit_record(
        actor=actor,
        action="auth.logout",
        record_type="user",
        record_id=actor.pk,
        payload={"ip": _client_ip(request)},
    )


def audit_login_failed(*, username: str, request: HttpRequest | None) -> AuditEvent:
    """A failed sign-in: the username tried and where from, never the password.

    A known username goes on that user's chain (so the account's history shows
    the attempts); an unknown one on a chain of its own.
    """
    from fazhi.kernel.org.models import User  # the kernel's user model

    username = (username or "")[:150]
    user_id = (
        User.objects.filter(username=username).values_list("pk", flat=True).first()
        if username
        else None
    )
    if user_id is not None:
        record_type, record_id = "user", str(user_id)
    else:
        record_type, record_id = "login", (username or "(empty)")[:MAX_KEY]
    return audit_record(
        actor=ANONYMOUS,
        action="auth.login_failed",
        record_type=record_type,
        record_id=record_id,
        payload={
            "username": username,
            "ip": _client_ip(request),
            "user_agent": _user_agent(request),
        },
    )


def audit_export(
    *, actor: Any, what: str, filters: dict[str, Any], rows: int
) -> AuditEvent:
    """Record that `actor` exported `rows` rows of `what` selected by `filters`.

    Call it in the request that produces the file. `what` names the list, e.g.
    "hotline.tickets"; the export chain of each list is its own record.
    """
    if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
        raise ValidationError({"rows": "导出行数须为非负整数"})
    if not isinstance(filters, dict):
        raise ValidationError({"filters": "筛选条件须为字典"})
    return audit_record(
        actor=actor,
        action="data.export",
        record_type="export",
        record_id=what,
        payload={"what": what, "filters": filters, "rows": rows},
    )


def audit_personal_data_view(
    *, actor: Any, record_type: str, record_id: Any, fields: list[str]
) -> AuditEvent:
    """Record that `actor` saw the unmasked personal data `fields` of a record.

    The event goes on the viewed record's own chain, so its timeline shows who
    looked at whose data.
    """
    if not isinstance(fields, list | tuple) or not fields:
        raise ValidationError({"fields": "须列出查看的个人信息字段"})
    if not all(isinstance(f, str) and f for f in fields):
        raise ValidationError({"fields": "字段名须为非空字符串"})
    return audit_record(
        actor=actor,
        action="personal_data.view",
        record_type=record_type,
        record_id=record_id,
        payload={"fields": sorted(set(fields))},
    )


def audit_verify_recorded(*, actor: Any, summary: dict[str, Any]) -> AuditEvent:
    """Keep the outcome of a verification run in the record itself (counts and
    the first problems; the full list is what the run printed)."""
    problems = list(summary.get("problems", []))
    return audit_record(
        actor=actor,
        action="audit.verify",
        record_type="audit",
        record_id="verify",
        payload={**summary, "problems": problems[:20]},
    )
