import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from fazhi.kernel.audit import batch
from fazhi.kernel.audit.batch import EventSpec, audit_record_batch
from fazhi.kernel.audit.hashing import GENESIS, event_hash
from fazhi.kernel.audit.models import AuditEvent, AuditHead
from fazhi.kernel.audit.services import Actor, audit_record
from fazhi.kernel.audit.tests.test_seal import THREADS_NEED_PG
from fazhi.kernel.audit.verify import verify


def _chain(record_id: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(record_type="case", record_id=record_id).order_by(
            "seq"
        )
    )


@pytest.mark.django_db
def test_batch_writes_the_chains_one_by_one_appends_would():
    audit_record(actor=None, action="case.open", record_type="case", record_id="1")
    events = audit_record_batch(
        actor=Actor("import:test"),
        events=[
            EventSpec("case", 1, "case.step", {"n": 1}),
            EventSpec("case", 2, "case.open", {"n": 2}),
            EventSpec("case", 2, "case.step", {"n": 3, "文": "𠀀"}),
            EventSpec("case", 1, "case.step"),
        ],
    )
    one, two = _chain("1"), _chain("2")
    assert [e.seq for e in one] == [1, 2, 3]
    assert [e.seq for e in two] == [1, 2]
    assert one[1].prev_hash == one[0].hash and one[2].prev_hash == one[1].hash
    assert two[0].prev_hash == GENESIS and two[1].prev_hash == two[0].hash
    assert two[1].payload == {"n": 3, "文": "𠀀"}
    assert {e.actor_label for e in one[1:] + two} == {"import:test"}
    # What is returned is what is stored, and the stored hash recomputes.
    assert [e.hash for e in events] == [
        one[1].hash,
        two[0].hash,
        two[1].hash,
        one[2].hash,
    ]
    assert all(e.pk for e in events)
    for e in one + two:
        assert e.hash == event_hash(
            record_type=e.record_type, record_id=e.record_id, seq=e.seq,
            action=e.action, actor_id=e.actor_id, actor_label=e.actor_label,
            payload=e.payload, created_at=e.created_at, prev_hash=e.prev_hash,
        )  # fmt: skip
    heads = {
        h.record_id: (h.seq, h.hash)
        for h in AuditHead.objects.filter(record_type="case")
    }
    assert heads == {"1": (3, one[2].hash), "2": (2, two[1].hash)}
    # A later single append continues the batch's chain.
    audit_record(actor=None, action="case.step", record_type="case", record_id="2")
    assert _chain("2")[2].prev_hash == two[1].hash
    report = verify()
    assert report.ok, report.problems


@pytest.mark.django_db
def test_batch_statements_do_not_grow_with_its_size():
    def count(n: int, start: int) -> int:
        with CaptureQueriesContext(connection) as q:
            audit_record_batch(
                actor=None,
                events=[EventSpec("case", start + i, "case.open") for i in range(n)],
            )
        return len(q.captured_queries)

    # SQLite caps the parameters per statement, so the insert of 200 events
    # may take a few statements: never one or more per event.
    # PostgreSQL places the new heads first: one statement more.
    base = 4 if connection.vendor == "postgresql" else 3
    assert count(5, 0) == base
    assert count(200, 100) <= base + 200 * len(AuditEvent._meta.concrete_fields) // 999
    assert AuditEvent.objects.filter(record_type="case").count() == 205


@pytest.mark.django_db
def test_batch_larger_than_a_chunk_is_whole(monkeypatch):
    monkeypatch.setattr(batch, "CHUNK", 3)
    audit_record_batch(
        actor=None, events=[EventSpec("case", i % 7, "x.y") for i in range(20)]
    )
    assert AuditHead.objects.filter(record_type="case").count() == 7
    assert AuditEvent.objects.filter(record_type="case").count() == 20
    assert verify().ok


@pytest.mark.django_db
def test_nothing_to_append_writes_nothing():
    before = AuditEvent.objects.count()
    assert audit_record_batch(actor=None, events=[]) == []
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (EventSpec("", 1, "x.y"), "2: record_type"),
        (EventSpec("case", "", "x.y"), "2: record_id"),
        (EventSpec("case", 1, "x" * 65), "2: action"),
    ],
)
def test_bad_event_is_named_by_position_and_nothing_is_written(spec, field):
    with pytest.raises(ValidationError) as exc:
        audit_record_batch(actor=None, events=[EventSpec("case", 9, "ok.ok"), spec])
    assert field in exc.value.message_dict
    assert not AuditEvent.objects.filter(record_type="case").exists()
    assert not AuditHead.objects.filter(record_type="case").exists()


@pytest.mark.django_db
def test_batch_rolls_back_with_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record_batch(actor=None, events=[EventSpec("case", 1, "case.open")])
        raise RuntimeError
    assert not AuditEvent.objects.filter(record_type="case").exists()
    assert not AuditHead.objects.filter(record_type="case").exists()


@THREADS_NEED_PG
@pytest.mark.django_db(transaction=True)
def test_concurrent_batch_and_single_writer_share_one_chain():
    """A batch and a single append to the same new record: the single one
    waits on the head the batch placed, then chains after it."""
    started, go_on = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def batch_writer() -> None:
        try:
            with transaction.atomic():
                audit_record_batch(
                    actor=None,
                    events=[
                        EventSpec("case", "77", "case.open"),
                        EventSpec("case", "78", "x.y"),
                    ],
                )
                started.set()
                go_on.wait(5)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            started.set()
            connection.close()

    t = threading.Thread(target=batch_writer)
    t.start()
    started.wait(5)

    def single() -> None:
        try:
            audit_record(
                actor=None, action="case.step", record_type="case", record_id="77"
            )
        finally:
            connection.close()

    s = threading.Thread(target=single)
    s.start()
    go_on.set()
    t.join(10)
    s.join(10)
    assert not errors
    chain = _chain("77")
    assert [e.action for e in chain] == ["case.open", "case.step"]
    assert chain[1].prev_hash == chain[0].hash
    assert verify().ok
