"""The full-process record (全过程记录): append-only, hash-chained per record.

Each event carries the hash of the previous event of the same record, so an
edited, deleted or reordered event breaks the chain at a precise place.
`AuditHead` remembers the last sequence number and hash of every record, which
is what exposes a truncated tail; `Checkpoint` seals a range of events under a
Merkle root that a third party can keep, and `CheckpointRecord` keeps, for each
record the checkpoint touched, the sequence number and hash it had when sealed,
so that even a record whose events and head were all deleted is named.

The tables refuse UPDATE and DELETE at the database level (triggers installed
by migration 0003); nothing in the application edits or deletes them.
"""

import json

from django.db import models


class AuditEvent(models.Model):
    record_type = models.CharField(max_length=64)
    record_id = models.CharField(max_length=64)
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=64)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "seq"],
                name="audit_event_record_seq",
            )
        ]
        indexes = [
            models.Index(fields=["actor_id", "created_at"]),
            models.Index(fields=["created_at"], name="audit_event_created"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id}#{self.seq} {self.action}"

    @property
    def payload_text(self) -> str:
        """The payload as compact JSON, Chinese left readable."""
        return json.dumps(self.payload, ensure_ascii=False, sort_keys=True)


class AuditHead(models.Model):
    """Last sequence number and hash of each record's chain.

    `prev_hash` is the hash the last event chained to: PostgreSQL moves the head
    and writes the event in one statement, which can read it back from here.
    """

    record_type = models.CharField(max_length=64)
    record_id = models.CharField(max_length=64)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"], name="audit_head_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id}@{self.seq}"


class Checkpoint(models.Model):
    """A Merkle root over the events after the previous checkpoint up to
    `last_event_id` (first_event_id is the smallest id among them).

    `root` chains `prev_root` (the previous checkpoint's root) with this range's
    `events_root`; see `hashing.checkpoint_root`.
    """

    first_event_id = models.BigIntegerField()
    last_event_id = models.BigIntegerField()
    event_count = models.PositiveIntegerField()
    events_root = models.CharField(max_length=64, default="")
    root = models.CharField(max_length=64)
    prev_root = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    actor_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["last_event_id"]

    def __str__(self) -> str:
        return f"checkpoint {self.first_event_id}-{self.last_event_id} {self.root[:12]}"


class CheckpointRecord(models.Model):
    """The head (seq, hash) of one record as sealed by one checkpoint."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="records"
    )
    record_type = models.CharField(max_length=64)
    record_id = models.CharField(max_length=64)
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id}@{self.seq}"
