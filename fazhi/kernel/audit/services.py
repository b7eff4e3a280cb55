"""Writing the full-process record.

`audit_record` is called by every service inside the service's transaction, so
the event commits or rolls back together with the change it describes.
"""

from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone

from .hashing import GENESIS, event_hash, normalise_payload
from .models import AuditEvent, AuditHead


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        label = getattr(actor, "audit_label", "") if actor is not None else ""
        return None, label or "system"
    return actor.pk, actor.get_username()


def audit_record(
    *,
    actor: Any,
    action: str,
    record_type: str,
    record_id: Any,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain of (record_type, record_id).

    The head row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite holds
    the database write lock for the whole transaction) so two concurrent
    writers to the same record cannot both take the same sequence number.
    """
    record_id = str(record_id)
    actor_id, actor_label = _actor_fields(actor)
    payload = normalise_payload(payload)
    now = timezone.now().astimezone(UTC)
    with transaction.atomic():
        head = (
            AuditHead.objects.select_for_update()
            .filter(record_type=record_type, record_id=record_id)
            .first()
        )
        seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
        digest = event_hash(
            record_type=record_type,
            record_id=record_id,
            seq=seq,
            action=action,
            actor_id=actor_id,
            actor_label=actor_label,
            payload=payload,
            created_at=now,
            prev_hash=prev,
        )
        event = AuditEvent.objects.create(
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
        if head:
            AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=digest)
        else:
            AuditHead.objects.create(
                record_type=record_type, record_id=record_id, seq=seq, hash=digest
            )
    return event
