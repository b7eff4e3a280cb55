"""Canonical serialisation and hashing of audit events."""

import hashlib
import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64


def normalise_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """Round-trip through JSON so that what we hash is what the database returns."""
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))


def event_hash(
    *,
    record_type: str,
    record_id: str,
    seq: int,
    action: str,
    actor_id: int | None,
    actor_label: str,
    payload: dict[str, Any],
    created_at: datetime,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [
            record_type,
            record_id,
            seq,
            action,
            actor_id,
            actor_label,
            payload,
            created_at.isoformat(timespec="microseconds"),
            prev_hash,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
