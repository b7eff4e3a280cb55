"""Canonical serialisation and hashing of audit events, and the Merkle tree.

What is hashed must be exactly what the database gives back, on SQLite and on
PostgreSQL alike: payloads are round-tripped through JSON before hashing, and
integral floats are hashed as integers because PostgreSQL's jsonb turns
``1e20`` into ``100000000000000000000``.

The Merkle tree follows RFC 6962 (Certificate Transparency): leaves and inner
nodes are domain-separated (0x00 / 0x01 prefixes) and an unbalanced tree splits
at the largest power of two, which is what folding the "mountain peaks" of a
streamed tree from right to left produces. A checkpoint's root chains the
previous checkpoint's root, so holding the latest root vouches for all before.
"""

import hashlib
import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS = "0" * 64


def normalise_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """Round-trip through JSON so that what we hash is what the database returns."""
    return json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder, allow_nan=False))


def _canonical(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_hash_parts(
    *,
    record_type: str,
    record_id: str,
    action: str,
    actor_id: int | None,
    actor_label: str,
    payload: dict[str, Any],
    created_at: datetime,
) -> tuple[str, str]:
    """The canonical body of an event around its seq and prev_hash.

    body = before + str(seq) + between + '"' + prev_hash + '"]' — which lets
    PostgreSQL finish the hash inside the append statement, where the head
    row's seq and hash are known (see services.PG_APPEND).
    """
    before = _dumps([record_type, record_id])[:-1] + ","
    rest = [
        action,
        actor_id,
        actor_label,
        _canonical(payload),
        created_at.isoformat(timespec="microseconds"),
    ]
    between = "," + _dumps(rest)[1:-1] + ","
    return before, between


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
    """sha256 of the JSON array [record_type, record_id, seq, action, actor_id,
    actor_label, payload, created_at, prev_hash] (sorted keys, no spaces)."""
    before, between = event_hash_parts(
        record_type=record_type,
        record_id=record_id,
        action=action,
        actor_id=actor_id,
        actor_label=actor_label,
        payload=payload,
        created_at=created_at,
    )
    return chain_hash(before, seq, between, prev_hash)


def chain_hash(before: str, seq: int, between: str, prev_hash: str) -> str:
    body = f"{before}{seq}{between}{json.dumps(prev_hash)}]"
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def leaf_hash(
    *, event_id: int, record_type: str, record_id: str, seq: int, digest: str
) -> bytes:
    """The Merkle leaf of one event: its place (id, record, seq) and its hash."""
    body = f"{event_id}\x1f{record_type}\x1f{record_id}\x1f{seq}\x1f{digest}"
    return hashlib.sha256(b"\x00" + body.encode("utf-8")).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class MerkleBuilder:
    """Streams leaves in and keeps only O(log n) perfect-subtree peaks."""

    def __init__(self) -> None:
        self._peaks: list[tuple[int, bytes]] = []  # (height, hash), left to right
        self.count = 0

    def add(self, leaf: bytes) -> None:
        self.count += 1
        height, node = 0, leaf
        while self._peaks and self._peaks[-1][0] == height:
            _, left = self._peaks.pop()
            node = _node(left, node)
            height += 1
        self._peaks.append((height, node))

    def root(self) -> str:
        if not self._peaks:
            return hashlib.sha256(b"").hexdigest()
        node = self._peaks[-1][1]
        for _, left in reversed(self._peaks[:-1]):
            node = _node(left, node)
        return node.hex()


def checkpoint_root(
    *,
    prev_root: str,
    first_event_id: int,
    last_event_id: int,
    event_count: int,
    events_root: str,
) -> str:
    """The root a checkpoint publishes: its events' Merkle root chained to the
    previous checkpoint's root."""
    body = (
        f"checkpoint\x1f{prev_root}\x1f{first_event_id}\x1f{last_event_id}"
        f"\x1f{event_count}\x1f{events_root}"
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
