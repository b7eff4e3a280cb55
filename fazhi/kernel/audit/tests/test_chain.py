from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from fazhi.kernel.audit.hashing import GENESIS, MerkleBuilder, event_hash, leaf_hash
from fazhi.kernel.audit.models import AuditEvent, AuditHead
from fazhi.kernel.audit.services import Actor, audit_record
from fazhi.kernel.audit.verify import verify


def _recompute(e: AuditEvent) -> str:
    return event_hash(
        record_type=e.record_type,
        record_id=e.record_id,
        seq=e.seq,
        action=e.action,
        actor_id=e.actor_id,
        actor_label=e.actor_label,
        payload=e.payload,
        created_at=e.created_at,
        prev_hash=e.prev_hash,
    )


@pytest.mark.django_db
def test_events_of_a_record_form_a_hash_chain_with_a_head():
    for n in range(3):
        audit_record(
            actor=None,
            action="case.open" if n == 0 else "case.step",
            record_type="case",
            record_id=7,
            payload={"n": n},
        )
    events = list(
        AuditEvent.objects.filter(record_type="case", record_id="7").order_by("seq")
    )
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    # The hash is recomputable from what the database gives back.
    assert all(_recompute(e) == e.hash for e in events)
    head = AuditHead.objects.get(record_type="case", record_id="7")
    assert (head.seq, head.hash) == (3, events[2].hash)


@pytest.mark.django_db
def test_returned_event_matches_the_stored_row():
    event = audit_record(
        actor=None,
        action="x.y",
        record_type="doc",
        record_id="a",
        payload={"when": datetime(2026, 1, 2, tzinfo=UTC)},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.hash == event.hash == _recompute(stored)
    assert stored.payload == event.payload == {"when": "2026-01-02T00:00:00Z"}
    assert not event._state.adding


@pytest.mark.django_db
def test_chains_of_different_records_are_independent():
    a = audit_record(actor=None, action="a", record_type="case", record_id=1)
    b = audit_record(actor=None, action="a", record_type="case", record_id=2)
    assert a.seq == b.seq == 1 and a.prev_hash == b.prev_hash == GENESIS


@pytest.mark.django_db
def test_actor_is_recorded_as_user_label_or_system(people):
    user = people["fzb"]
    e1 = audit_record(actor=user, action="a", record_type="r", record_id=1)
    e2 = audit_record(actor=None, action="a", record_type="r", record_id=1)
    e3 = audit_record(actor=Actor("sweep"), action="a", record_type="r", record_id=1)
    e4 = audit_record(
        actor=SimpleNamespace(is_authenticated=False),
        action="a",
        record_type="r",
        record_id=1,
    )
    assert (e1.actor_id, e1.actor_label) == (user.pk, "fzb")
    assert (e2.actor_id, e2.actor_label) == (None, "system")
    assert (e3.actor_id, e3.actor_label) == (None, "sweep")
    assert e4.actor_label == "system"


@pytest.mark.django_db
def test_event_rolls_back_with_the_change_it_describes():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="a", record_type="r", record_id=1)
        raise RuntimeError("the service failed after auditing")
    assert not AuditEvent.objects.filter(record_type="r").exists()
    assert not AuditHead.objects.filter(record_type="r").exists()
    again = audit_record(actor=None, action="a", record_type="r", record_id=1)
    assert again.seq == 1


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["record_type", "record_id", "action"])
def test_empty_or_overlong_keys_are_refused_naming_the_field(field):
    args: dict[str, Any] = {
        "actor": None,
        "action": "a",
        "record_type": "r",
        "record_id": "1",
    }
    for bad in ("", "x" * 65):
        with pytest.raises(ValidationError) as info:
            audit_record(**{**args, field: bad})
        assert field in info.value.message_dict


@pytest.mark.django_db
def test_integral_floats_and_unicode_survive_the_database_round_trip():
    audit_record(
        actor=None,
        action="a",
        record_type="r",
        record_id=1,
        payload={"big": 1e20, "half": 0.5, "one": 1.0, "名称": "黄石市"},
    )
    audit_record(actor=None, action="a", record_type="r", record_id=1)
    report = verify()
    assert report.ok, report.problems


@pytest.mark.django_db
def test_clean_record_verifies_with_a_summary(chains):
    events = AuditEvent.objects.count()
    records = AuditHead.objects.count()
    report = verify()
    assert report.ok
    assert report.summary() == (
        f"{events} events in {records} records verified, 0 checkpoints "
        f"({events} events not yet sealed)"
    )


def test_merkle_root_follows_rfc6962_for_unbalanced_trees():
    leaves = [
        leaf_hash(event_id=i, record_type="r", record_id="1", seq=i, digest="0")
        for i in range(1, 4)
    ]
    import hashlib

    def node(a: bytes, b: bytes) -> bytes:
        return hashlib.sha256(b"\x01" + a + b).digest()

    tree = MerkleBuilder()
    for leaf in leaves:
        tree.add(leaf)
    assert tree.root() == node(node(leaves[0], leaves[1]), leaves[2]).hex()
    assert MerkleBuilder().root() == hashlib.sha256(b"").hexdigest()


@pytest.mark.django_db
def test_rows_describe_themselves():
    from fazhi.kernel.audit.services import checkpoint_seal

    event = audit_record(
        actor=None, action="case.open", record_type="case", record_id=3
    )
    cp = checkpoint_seal()
    assert cp is not None
    assert str(AuditEvent.objects.get(pk=event.pk)) == "case:3#1 case.open"
    assert str(AuditHead.objects.get(record_type="case", record_id="3")) == "case:3@1"
    assert str(cp).startswith(f"checkpoint {cp.first_event_id}-{cp.last_event_id} ")
    assert str(cp.records.get(record_type="case", record_id="3")) == "case:3@1"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@given(
    record_id=st.text(min_size=1, max_size=10),
    seq=st.integers(min_value=1, max_value=10**6),
    label=st.text(max_size=10),
    payload=st.dictionaries(st.text(max_size=5), json_values, max_size=4),
)
def test_event_hash_is_sha256_of_the_documented_json_array(
    record_id, seq, label, payload
):
    # The split body PostgreSQL finishes must be byte for byte this array.
    import hashlib
    import json

    at = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=UTC)
    body = json.dumps(
        ["案件", record_id, seq, "case.open", 7, label, payload,
         "2026-11-25T12:00:00.123456+00:00", "ab" * 32],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )  # fmt: skip
    assert event_hash(
        record_type="案件", record_id=record_id, seq=seq, action="case.open",
        actor_id=7, actor_label=label, payload=payload, created_at=at,
        prev_hash="ab" * 32,
    ) == hashlib.sha256(body.encode()).hexdigest()  # fmt: skip


@pytest.mark.django_db
def test_database_computed_hashes_match_python_for_awkward_text():
    texts = ['引号"与\\反斜杠', "%s %(x)s", "emoji 😀", "tab\tnew\nline", "'; --"]
    for n, text in enumerate(texts):
        event = audit_record(
            actor=Actor(text),
            action="a",
            record_type="t",
            record_id=text[:10],
            payload={text: [text, n]},
        )
        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.hash == event.hash == _recompute(stored)
