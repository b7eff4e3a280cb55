"""Verifying the full-process record, streaming, on any number of events.

Four passes, none of which holds more than a chunk of rows in memory:

1. chains: every event in (record, seq) order — its hash recomputed from its
   content (edited), its seq following the previous one (deleted), its
   prev_hash equal to the previous event's hash and its id above the previous
   one's (reordered); at each record's end, its head row (truncated tail,
   missing or altered head);
2. heads whose record has no event left (a whole chain deleted);
3. checkpoints in order, each recomputed from the events in its id range
   (event deleted or inserted, root forged, chain of roots broken);
4. each checkpoint's manifest: the sealed last event of every record it
   touched must still be there with the same hash — this names a record whose
   events *and* head were deleted.

Events written while the verification runs are left for the next run: only
ids up to the maximum read at the start are checked (on PostgreSQL the whole
run also reads one REPEATABLE READ snapshot).
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, Max, OuterRef

from .guard import missing_triggers
from .hashing import GENESIS, MerkleBuilder, checkpoint_root, event_hash, leaf_hash
from .models import AuditEvent, AuditHead, Checkpoint, CheckpointRecord

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): called after each chunk of a pass."""

T = TypeVar("T")

CHUNK = 2000
BATCH = 500


@dataclass(frozen=True)
class Problem:
    kind: str  # edited | deleted | reordered | truncated | head | checkpoint
    message: str
    record: str | None = None  # "case:12"
    seq: int | None = None
    event_id: int | None = None

    def __str__(self) -> str:
        where = []
        if self.record:
            where.append(self.record)
        if self.seq is not None:
            where.append(f"seq {self.seq}")
        if self.event_id is not None:
            where.append(f"event #{self.event_id}")
        prefix = f"[{self.kind}] " + (" ".join(where) + ": " if where else "")
        return prefix + self.message


@dataclass
class VerifyReport:
    events: int = 0
    records: int = 0
    checkpoints: int = 0
    unsealed: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[str] = field(default_factory=list)
    max_problems: int = 1000

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)

    def summary(self) -> str:
        text = (
            f"{self.events} events in {self.records} records verified, "
            f"{self.checkpoints} checkpoints"
        )
        if self.unsealed:
            text += f" ({self.unsealed} events not yet sealed)"
        if not self.ok:
            text += f"; {self.problem_count} problems found"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "records": self.records,
            "checkpoints": self.checkpoints,
            "unsealed": self.unsealed,
            "problem_count": self.problem_count,
            "problems": [str(p) for p in self.problems],
            "warnings": self.warnings,
            "summary": self.summary(),
        }


def _label(record_type: str, record_id: str) -> str:
    return f"{record_type}:{record_id}"


@dataclass
class _RecordEnd:
    record_type: str
    record_id: str
    seq: int
    hash: str
    event_id: int


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent read for the whole run where the database offers it.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction (also what lets the
    iterators use server-side cursors). SQLite runs in autocommit: a
    transaction would take the write lock (transaction_mode IMMEDIATE) and
    stop every writer for the whole run; the id bound keeps it consistent.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        yield
        return
    fresh = not connection.in_atomic_block
    with transaction.atomic():
        if fresh:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        yield


def verify(
    *,
    expected_roots: Iterable[str] = (),
    progress: Progress | None = None,
    max_problems: int = 1000,
    chunk_size: int = CHUNK,
) -> VerifyReport:
    """Check the whole record; `report.ok` is False when anything was tampered.

    `expected_roots` are checkpoint roots kept outside the system (a third
    party's copy): each must still be in the record. `progress` is called after
    each chunk; at most `max_problems` problems are kept (all are counted).
    """
    report = VerifyReport(max_problems=max_problems)
    tick: Progress = progress or (lambda stage, done, total: None)
    with _snapshot():
        connection = connections[DEFAULT_DB_ALIAS]
        report.warnings += [
            f"append-only trigger missing or disabled: {name}"
            for name in missing_triggers(connection)
        ]
        # Checkpoints first: every event a checkpoint seals was committed
        # before it, so both bounds describe one moment. Checkpoints are not
        # bounded by the events' max id, or deleting the newest events would
        # hide the checkpoints that sealed them.
        max_cp = Checkpoint.objects.aggregate(m=Max("id"))["m"] or 0
        max_id = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
        total = AuditEvent.objects.filter(id__lte=max_id).count()
        _check_chains(report, max_id, total, tick, chunk_size)
        _check_orphan_heads(report)
        roots = _check_checkpoints(report, max_cp, max_id, total, tick, chunk_size)
        for root in expected_roots:
            if root not in roots:
                report.add(
                    Problem("checkpoint", f"root {root} held outside the system is "
                            "not in the record: checkpoints were removed or rewritten")
                )  # fmt: skip
    return report


# --- pass 1: chains and heads ------------------------------------------------


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _check_chains(
    report: VerifyReport, max_id: int, total: int, tick: Progress, chunk_size: int
) -> None:
    ends = _walk_chains(report, max_id, total, tick, chunk_size)
    for batch in _batched(ends, BATCH):
        _check_heads(report, batch, max_id)
    tick("chains", report.events, total)


def _walk_chains(
    report: VerifyReport, max_id: int, total: int, tick: Progress, chunk_size: int
) -> Iterator[_RecordEnd]:
    """Check every event in (record, seq) order; yield each record's last event."""
    rows = (
        AuditEvent.objects.filter(id__lte=max_id)
        .order_by("record_type", "record_id", "seq")
        .values_list(
            "id", "record_type", "record_id", "seq", "action", "actor_id",
            "actor_label", "payload", "created_at", "prev_hash", "hash",
        )
    )  # fmt: skip
    key: tuple[str, str] | None = None
    expected_seq, prev_hash, prev_id = 1, GENESIS, 0
    end: _RecordEnd | None = None
    for n, row in enumerate(rows.iterator(chunk_size=chunk_size), start=1):
        eid, rtype, rid, seq, action, actor_id, label, payload, created, ph, h = row
        if (rtype, rid) != key:
            if end is not None:
                yield end
            key = (rtype, rid)
            report.records += 1
            expected_seq, prev_hash, prev_id = 1, GENESIS, 0
        record = _label(rtype, rid)
        recomputed = event_hash(
            record_type=rtype, record_id=rid, seq=seq, action=action,
            actor_id=actor_id, actor_label=label, payload=payload,
            created_at=created, prev_hash=ph,
        )  # fmt: skip
        if recomputed != h:
            report.add(
                Problem("edited", "hash mismatch: the event's content is not what "
                        "was written", record, seq, eid)
            )  # fmt: skip
        if seq > expected_seq:
            missing = (
                f"seq {expected_seq}" if seq == expected_seq + 1
                else f"seq {expected_seq}-{seq - 1}"
            )  # fmt: skip
            report.add(
                Problem("deleted", f"{missing} missing before this event",
                        record, seq, eid)
            )  # fmt: skip
        elif ph != prev_hash:
            report.add(
                Problem("reordered", "prev_hash does not link to the preceding "
                        "event (reordered or replaced)", record, seq, eid)
            )  # fmt: skip
        if eid < prev_id:
            report.add(
                Problem("reordered", f"written before seq {seq - 1} "
                        f"(event #{prev_id})", record, seq, eid)
            )  # fmt: skip
        expected_seq, prev_hash, prev_id = seq + 1, h, eid
        end = _RecordEnd(rtype, rid, seq, h, eid)
        report.events += 1
        if n % chunk_size == 0:
            tick("chains", n, total)
    if end is not None:
        yield end


def _select_in(
    select: str, table: str, columns: str, keys: list[tuple[Any, ...]]
) -> list:
    """Rows of `table` whose `columns` tuple is one of `keys`, in one query.

    A row-value IN (VALUES ...) list: one indexed lookup per key on both
    databases, and far cheaper to build than hundreds of ORed ORM lookups.
    """
    width = len(keys[0])
    values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(keys))
    # Names are this module's constants; every value is a parameter.
    sql = f"SELECT {select} FROM {table} WHERE ({columns}) IN (VALUES {values})"  # noqa: S608
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [v for key in keys for v in key])
        return cursor.fetchall()


def _check_heads(report: VerifyReport, ends: list[_RecordEnd], max_id: int) -> None:
    rows = _select_in(
        "record_type, record_id, seq, hash",
        "audit_audithead",
        "record_type, record_id",
        [(e.record_type, e.record_id) for e in ends],
    )
    heads = {
        (t, i): AuditHead(record_type=t, record_id=i, seq=seq, hash=h)
        for t, i, seq, h in rows
    }
    for end in ends:
        record = _label(end.record_type, end.record_id)
        head = heads.get((end.record_type, end.record_id))
        if head is None:
            report.add(
                Problem(
                    "head",
                    f"head row missing (the chain goes to seq {end.seq})",
                    record,
                    end.seq,
                    end.event_id,
                )
            )
        elif head.seq == end.seq:
            if head.hash != end.hash:
                report.add(
                    Problem(
                        "head",
                        "head hash differs from the last event's hash",
                        record,
                        end.seq,
                        end.event_id,
                    )
                )
        elif head.seq < end.seq:
            report.add(
                Problem(
                    "head",
                    f"head says seq {head.seq} but the chain goes to seq {end.seq}",
                    record,
                    end.seq,
                    end.event_id,
                )
            )
        elif not _written_since(head, max_id):
            report.add(
                Problem(
                    "truncated",
                    f"head says seq {head.seq} but the last event is "
                    f"seq {end.seq}: the tail was deleted",
                    record,
                    end.seq,
                    end.event_id,
                )
            )


def _written_since(head: AuditHead, max_id: int) -> bool:
    """True when the head is ahead only because events arrived during the run."""
    return AuditEvent.objects.filter(
        record_type=head.record_type,
        record_id=head.record_id,
        seq=head.seq,
        hash=head.hash,
        id__gt=max_id,
    ).exists()


# --- pass 2: heads without events --------------------------------------------


def _check_orphan_heads(report: VerifyReport) -> None:
    events = AuditEvent.objects.filter(
        record_type=OuterRef("record_type"), record_id=OuterRef("record_id")
    )
    orphans = (
        AuditHead.objects.filter(~Exists(events))
        .order_by("id")
        .values_list("record_type", "record_id", "seq")
    )
    for record_type, record_id, seq in orphans.iterator(chunk_size=CHUNK):
        report.add(
            Problem(
                "truncated",
                f"head says seq {seq} but no event of the record remains",
                _label(record_type, record_id),
            )
        )


# --- pass 3 and 4: checkpoints and their manifests ---------------------------


def _check_checkpoints(
    report: VerifyReport,
    max_cp: int,
    max_id: int,
    total: int,
    tick: Progress,
    chunk_size: int,
) -> set[str]:
    """Check the checkpoints; return the roots seen."""
    prev_root, prev_last, done = GENESIS, 0, 0
    roots: set[str] = set()
    checkpoints = Checkpoint.objects.filter(id__lte=max_cp).order_by(
        "last_event_id", "id"
    )
    for cp in checkpoints.iterator(chunk_size=100):
        report.checkpoints += 1
        name = f"checkpoint #{cp.pk} (events up to #{cp.last_event_id})"
        if cp.prev_root != prev_root:
            report.add(
                Problem(
                    "checkpoint",
                    f"{name} does not chain the previous checkpoint's root",
                )
            )
        if cp.root != checkpoint_root(
            prev_root=cp.prev_root,
            first_event_id=cp.first_event_id,
            last_event_id=cp.last_event_id,
            event_count=cp.event_count,
            events_root=cp.events_root,
        ):
            report.add(
                Problem(
                    "checkpoint",
                    f"{name}: root does not match its own fields (forged or edited)",
                )
            )
        tree, first_id = MerkleBuilder(), 0
        events = (
            AuditEvent.objects.filter(id__gt=prev_last, id__lte=cp.last_event_id)
            .order_by("id")
            .values_list("id", "record_type", "record_id", "seq", "hash")
        )
        for event_id, record_type, record_id, seq, digest in events.iterator(
            chunk_size=chunk_size
        ):
            first_id = first_id or event_id
            tree.add(
                leaf_hash(
                    event_id=event_id,
                    record_type=record_type,
                    record_id=record_id,
                    seq=seq,
                    digest=digest,
                )
            )
            done += 1
            if done % chunk_size == 0:
                tick("checkpoints", done, total)
        if tree.count != cp.event_count:
            report.add(
                Problem(
                    "checkpoint",
                    f"{name} sealed {cp.event_count} events, "
                    f"{tree.count} remain: events were deleted or inserted",
                )
            )
        elif tree.root() != cp.events_root or first_id != cp.first_event_id:
            report.add(
                Problem(
                    "checkpoint",
                    f"{name}: Merkle root of its events does "
                    "not match: events were altered or replaced",
                )
            )
        _check_manifest(report, cp, name)
        prev_root, prev_last = cp.root, cp.last_event_id
        roots.add(cp.root)
    report.unsealed = AuditEvent.objects.filter(
        id__gt=prev_last, id__lte=max_id
    ).count()
    tick("checkpoints", total, total)
    return roots


def _check_manifest(report: VerifyReport, cp: Checkpoint, name: str) -> None:
    entries = (
        CheckpointRecord.objects.filter(checkpoint=cp)
        .order_by("id")
        .values_list("record_type", "record_id", "seq", "hash")
    )
    for batch in _batched(entries.iterator(chunk_size=BATCH), BATCH):
        _check_manifest_batch(report, batch, name)


def _check_manifest_batch(
    report: VerifyReport, batch: list[tuple[str, str, int, str]], name: str
) -> None:
    rows = _select_in(
        "record_type, record_id, seq, hash, id",
        "audit_auditevent",
        "record_type, record_id, seq",
        [(t, i, s) for t, i, s, _ in batch],
    )
    found = {(t, i, s): (h, pk) for t, i, s, h, pk in rows}
    for record_type, record_id, seq, digest in batch:
        record = _label(record_type, record_id)
        hit = found.get((record_type, record_id, seq))
        if hit is None:
            report.add(
                Problem(
                    "deleted", f"sealed in {name} but the event is gone", record, seq
                )
            )
        elif hit[0] != digest:
            report.add(
                Problem(
                    "edited",
                    f"hash differs from the one sealed in {name}",
                    record,
                    seq,
                    hit[1],
                )
            )
