import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from fazhi.kernel.audit import services
from fazhi.kernel.audit.hashing import (
    GENESIS,
    MerkleBuilder,
    checkpoint_root,
    leaf_hash,
)
from fazhi.kernel.audit.models import AuditEvent, Checkpoint, CheckpointRecord
from fazhi.kernel.audit.services import audit_record, checkpoint_seal
from fazhi.kernel.audit.verify import verify


def test_seal_covers_every_event_since_the_last_checkpoint(chains):
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    cp = checkpoint_seal(actor=services.Actor("cron"))
    assert cp is not None
    assert (cp.first_event_id, cp.last_event_id, cp.event_count) == (
        ids[0],
        ids[-1],
        len(ids),
    )
    assert cp.prev_root == GENESIS and cp.actor_label == "cron"
    # A third party recomputes the root from the events alone.
    tree = MerkleBuilder()
    for e in AuditEvent.objects.order_by("id"):
        tree.add(
            leaf_hash(
                event_id=e.pk,
                record_type=e.record_type,
                record_id=e.record_id,
                seq=e.seq,
                digest=e.hash,
            )
        )
    assert cp.events_root == tree.root()
    assert cp.root == checkpoint_root(
        prev_root=GENESIS,
        first_event_id=ids[0],
        last_event_id=ids[-1],
        event_count=len(ids),
        events_root=tree.root(),
    )
    # The manifest keeps each record's last sealed event.
    assert (
        CheckpointRecord.objects.get(
            checkpoint=cp, record_type="case", record_id="1"
        ).seq
        == 4
    )
    assert checkpoint_seal() is None  # nothing new


def test_next_checkpoint_chains_the_previous_root(chains):
    first = checkpoint_seal()
    audit_record(actor=None, action="x", record_type="case", record_id=1)
    second = checkpoint_seal()
    assert first and second
    assert second.prev_root == first.root
    assert second.event_count == 1 and second.first_event_id > first.last_event_id
    report = verify()
    assert report.ok and report.checkpoints == 2 and report.unsealed == 0


def test_seal_with_nothing_new_returns_none(db):
    checkpoint_seal()  # whatever migrations wrote
    assert checkpoint_seal() is None


def test_seal_with_only_rolled_back_ids_above_the_last_checkpoint_is_none(
    chains, monkeypatch
):
    checkpoint_seal()
    # A horizon beyond every committed event (ids taken by rolled-back
    # transactions) seals nothing.
    monkeypatch.setattr(services, "_settled_horizon", lambda conn: 10**12)
    assert checkpoint_seal() is None


def _run_threads(targets):
    """Run each target in its own thread (own connection); re-raise failures."""

    def run(fn):
        try:
            return fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        futures = [pool.submit(run, fn) for fn in targets]
        return [f.result(timeout=30) for f in futures]


THREADS_NEED_PG = pytest.mark.skipif(
    "sqlite" in connection.settings_dict["ENGINE"],
    reason="SQLite's in-memory test database answers 'table is locked' instead of "
    "waiting; test_sqlite_file_database_under_concurrent_processes covers SQLite",
)


@THREADS_NEED_PG
@pytest.mark.django_db(transaction=True)
def test_two_seals_at_once_never_seal_an_event_twice():
    for n in range(50):
        audit_record(actor=None, action="x", record_type="case", record_id=n % 7)
    results: list = []
    barrier = threading.Barrier(2)

    def seal():
        barrier.wait()
        results.append(checkpoint_seal())

    _run_threads([seal, seal])
    sealed = [cp for cp in results if cp is not None]
    assert len(sealed) >= 1
    assert sum(cp.event_count for cp in Checkpoint.objects.all()) == (
        AuditEvent.objects.count()
    )
    assert verify().ok


@THREADS_NEED_PG
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_to_one_record_take_distinct_seqs():
    barrier = threading.Barrier(4)

    def append():
        barrier.wait()
        for _ in range(10):
            audit_record(actor=None, action="x", record_type="hot", record_id="1")

    _run_threads([append] * 4)
    seqs = sorted(
        AuditEvent.objects.filter(record_type="hot").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, 41))
    assert verify().ok


@THREADS_NEED_PG
@pytest.mark.django_db(transaction=True)
def test_appends_racing_to_create_a_record_both_land():
    started = threading.Event()

    def first():
        with transaction.atomic():
            audit_record(actor=None, action="a", record_type="new", record_id="1")
            started.set()
            time.sleep(0.5)  # the second writer reaches the head insert meanwhile

    def second():
        started.wait(5)
        audit_record(actor=None, action="b", record_type="new", record_id="1")

    _run_threads([first, second])
    assert list(
        AuditEvent.objects.filter(record_type="new")
        .order_by("seq")
        .values_list("action", "seq")
    ) == [("a", 1), ("b", 2)]
    assert verify().ok


@THREADS_NEED_PG
@pytest.mark.django_db(transaction=True)
def test_seal_gives_up_while_a_writer_holds_unsettled_events(monkeypatch):
    monkeypatch.setattr(services, "SEAL_LOCK_TIMEOUT", "100ms")
    holding, release = threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            audit_record(actor=None, action="slow", record_type="case", record_id="1")
            holding.set()
            release.wait(5)

    t = threading.Thread(target=writer)
    t.start()
    try:
        holding.wait(5)
        with pytest.raises(services.CheckpointBusy):
            checkpoint_seal()
    finally:
        release.set()
        t.join(5)
        connections.close_all()
    assert checkpoint_seal() is not None
