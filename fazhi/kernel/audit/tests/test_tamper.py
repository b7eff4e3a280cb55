"""Each kind of tampering is caught and the record named. The triggers are
bypassed on purpose first (see conftest.tampering)."""

import pytest
from django.core.management import CommandError, call_command

from fazhi.kernel.audit.hashing import event_hash
from fazhi.kernel.audit.models import AuditEvent, AuditHead
from fazhi.kernel.audit.services import audit_record, checkpoint_seal
from fazhi.kernel.audit.verify import verify

from .conftest import sql, tampering


def _event(record_type: str, record_id: str, seq: int) -> AuditEvent:
    return AuditEvent.objects.get(record_type=record_type, record_id=record_id, seq=seq)


def _kinds(report, record: str) -> set[str]:
    return {p.kind for p in report.problems if p.record == record}


def _cli_fails_naming(*needles: str, args: tuple[str, ...] = ()) -> str:
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("audit", "verify", "--no-progress", *args, stdout=out)
    assert info.value.returncode == 1
    text = out.getvalue()
    for needle in needles:
        assert needle in text
    return text


def test_edited_payload_is_named_with_record_seq_and_event_id(chains):
    target = _event("case", "1", 2)
    with tampering():
        sql(
            "UPDATE audit_auditevent SET payload = %s WHERE id = %s",
            ['{"step": 2, "note": "改过"}', target.pk],
        )
    report = verify()
    assert not report.ok
    first = report.problems[0]
    assert (first.kind, first.record, first.seq, first.event_id) == (
        "edited",
        "case:1",
        2,
        target.pk,
    )
    assert _kinds(report, "case:2") == set()
    _cli_fails_naming("case:1 seq 2", f"event #{target.pk}", "hash mismatch")


def test_edited_hash_breaks_its_own_check_and_the_next_link(chains):
    target = _event("case", "1", 2)
    with tampering():
        sql(
            "UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, target.pk]
        )
    report = verify()
    assert [(p.kind, p.seq) for p in report.problems if p.record == "case:1"][:2] == [
        ("edited", 2),
        ("reordered", 3),
    ]


def test_deleted_middle_event_is_a_seq_gap(chains):
    with tampering():
        sql("DELETE FROM audit_auditevent WHERE id = %s", [_event("case", "1", 2).pk])
    report = verify()
    gap = next(p for p in report.problems if p.kind == "deleted")
    assert (gap.record, gap.seq) == ("case:1", 3)
    assert "seq 2 missing" in gap.message
    _cli_fails_naming("case:1 seq 3", "seq 2 missing")


def test_deleted_tail_event_is_caught_by_the_head(chains):
    with tampering():
        sql("DELETE FROM audit_auditevent WHERE id = %s", [_event("case", "1", 4).pk])
    report = verify()
    assert [(p.kind, p.record) for p in report.problems] == [("truncated", "case:1")]
    assert "head says seq 4 but the last event is seq 3" in report.problems[0].message


def test_reordered_events_are_named(chains):
    two, three = _event("case", "1", 2), _event("case", "1", 3)
    with tampering():
        sql("UPDATE audit_auditevent SET seq = 99 WHERE id = %s", [two.pk])
        sql("UPDATE audit_auditevent SET seq = 2 WHERE id = %s", [three.pk])
        sql("UPDATE audit_auditevent SET seq = 3 WHERE id = %s", [two.pk])
    report = verify()
    assert "reordered" in _kinds(report, "case:1")
    assert any(
        p.kind == "reordered"
        and p.seq == 3
        and p.event_id == two.pk
        and "written before seq 2" in p.message
        for p in report.problems
    )
    _cli_fails_naming("case:1 seq 2", "prev_hash does not link")


def test_deleted_head_with_events_remaining_is_named(chains):
    with tampering():
        sql(
            "DELETE FROM audit_audithead WHERE record_type = 'case' AND record_id = '2'"
        )
    report = verify()
    assert [(p.kind, p.record, p.seq) for p in report.problems] == [
        ("head", "case:2", 3)
    ]


def test_head_that_disagrees_with_the_chain_is_named(chains):
    with tampering():
        sql("UPDATE audit_audithead SET hash = %s WHERE record_id = '1'", ["a" * 64])
        sql("UPDATE audit_audithead SET seq = 1 WHERE record_id = '2'")
    report = verify()
    messages = {p.record: p.message for p in report.problems}
    assert "head hash differs" in messages["case:1"]
    assert "head says seq 1 but the chain goes to seq 3" in messages["case:2"]


def test_whole_chain_deleted_with_head_left_is_named(chains):
    with tampering():
        sql(
            "DELETE FROM audit_auditevent WHERE record_type = 'user' AND seq > 0"
            " AND record_id = '9'"
        )
    report = verify()
    assert [(p.kind, p.record) for p in report.problems] == [("truncated", "user:9")]


def test_record_deleted_with_its_head_after_a_checkpoint_is_named(chains):
    checkpoint_seal()
    with tampering():
        sql(
            "DELETE FROM audit_auditevent WHERE record_type = 'case'"
            " AND record_id = '2'"
        )
        sql(
            "DELETE FROM audit_audithead WHERE record_type = 'case' AND record_id = '2'"
        )
    report = verify()
    kinds = {(p.kind, p.record) for p in report.problems}
    assert ("deleted", "case:2") in kinds  # named from the checkpoint's manifest
    assert any(
        p.kind == "checkpoint"
        and "3 fewer" not in p.message
        and "events were deleted" in p.message
        for p in report.problems
    )
    _cli_fails_naming("case:2 seq 3", "sealed in checkpoint")


def test_chain_rewritten_consistently_after_sealing_is_caught_by_the_checkpoint(chains):
    checkpoint_seal()
    # A careful forger rewrites seq 4 of case:1 and recomputes its hash and the
    # head, so the chain itself checks out; only the sealed root remembers.
    e = _event("case", "1", 4)
    forged = {"step": 4, "note": "伪造"}
    digest = event_hash(
        record_type="case",
        record_id="1",
        seq=4,
        action=e.action,
        actor_id=None,
        actor_label=e.actor_label,
        payload=forged,
        created_at=e.created_at,
        prev_hash=e.prev_hash,
    )
    with tampering():
        sql(
            "UPDATE audit_auditevent SET payload = %s, hash = %s WHERE id = %s",
            ['{"step": 4, "note": "伪造"}', digest, e.pk],
        )
        sql("UPDATE audit_audithead SET hash = %s WHERE record_id = '1'", [digest])
    report = verify()
    assert {(p.kind, p.record, p.seq) for p in report.problems} >= {
        ("edited", "case:1", 4)
    }
    assert any(
        p.kind == "checkpoint" and "Merkle root" in p.message for p in report.problems
    )


def test_forged_checkpoint_root_is_caught(chains):
    first = checkpoint_seal()
    audit_record(actor=None, action="more", record_type="case", record_id=3)
    second = checkpoint_seal()
    assert first and second and second.prev_root == first.root
    with tampering():
        sql("UPDATE audit_checkpoint SET root = %s WHERE id = %s", ["e" * 64, first.pk])
    report = verify()
    messages = [p.message for p in report.problems if p.kind == "checkpoint"]
    assert any(f"checkpoint #{first.pk}" in m and "forged" in m for m in messages)
    assert any(
        f"checkpoint #{second.pk}" in m and "does not chain" in m for m in messages
    )
    _cli_fails_naming(f"checkpoint #{first.pk}")


def test_forged_checkpoint_over_altered_events_is_caught(chains):
    cp = checkpoint_seal()
    assert cp is not None
    with tampering():
        sql(
            "UPDATE audit_checkpoint SET events_root = %s WHERE id = %s",
            ["d" * 64, cp.pk],
        )
    report = verify()
    assert {p.kind for p in report.problems} == {"checkpoint"}
    assert len(report.problems) == 2  # its own root and its events' root disagree


def test_edited_event_is_also_named_by_the_manifest(chains):
    checkpoint_seal()
    with tampering():
        sql(
            "UPDATE audit_auditevent SET hash = %s WHERE record_id = '2' AND seq = 3",
            ["c" * 64],
        )
    report = verify()
    assert any(
        p.kind == "edited" and p.record == "case:2" and "sealed in" in p.message
        for p in report.problems
    )


def test_problem_list_is_capped_but_counted(chains):
    with tampering():
        sql("UPDATE audit_auditevent SET hash = %s", ["b" * 64])
    report = verify(max_problems=3)
    assert len(report.problems) == 3 and report.problem_count > 3
    assert "problems found" in report.summary()
    _cli_fails_naming("... ", "more", args=("--max-problems", "5"))


def test_events_arriving_during_a_run_are_left_for_the_next(chains, monkeypatch):
    # A head that moved on after the run fixed its id bound is not a truncation.
    from fazhi.kernel.audit import verify as verify_module

    real = verify_module._check_heads

    def late_append(report, ends, max_id):
        audit_record(actor=None, action="late", record_type="case", record_id=1)
        return real(report, ends, max_id)

    monkeypatch.setattr(verify_module, "_check_heads", late_append)
    report = verify()
    assert report.ok, report.problems
    assert report.events == AuditEvent.objects.count() - 1
    assert AuditHead.objects.get(record_type="case", record_id="1").seq == 5


def test_wiping_the_whole_record_after_a_checkpoint_is_caught(chains):
    cp = checkpoint_seal()
    assert cp is not None
    with tampering():
        sql("DELETE FROM audit_auditevent")
        sql("DELETE FROM audit_audithead")
    report = verify()
    assert report.events == 0
    assert any(
        p.kind == "checkpoint"
        and f"sealed {cp.event_count} events, 0 remain" in p.message
        for p in report.problems
    )
    assert ("deleted", "case:1") in {(p.kind, p.record) for p in report.problems}


def test_many_records_are_checked_in_batches(chains, monkeypatch):
    from fazhi.kernel.audit import verify as verify_module

    monkeypatch.setattr(verify_module, "BATCH", 2)
    checkpoint_seal()
    with tampering():
        sql(
            "UPDATE audit_auditevent SET hash = %s WHERE record_type = 'case' "
            "AND record_id = '2' AND seq = 3",
            ["9" * 64],
        )
    progress: list[tuple[str, int, int]] = []
    report = verify(chunk_size=2, progress=lambda *a: progress.append(a))
    assert {(p.kind, p.record, p.seq) for p in report.problems} >= {
        ("edited", "case:2", 3),
        ("head", "case:2", 3),
    }
    assert {stage for stage, _, _ in progress} == {"chains", "checkpoints"}
    assert len(progress) > 4


def test_removed_latest_checkpoint_is_caught_by_a_root_held_outside(chains):
    first = checkpoint_seal()
    audit_record(actor=None, action="late", record_type="case", record_id=2)
    latest = checkpoint_seal()
    assert first and latest
    assert verify(expected_roots=[first.root, latest.root]).ok
    # Erase the newest checkpoint and what it sealed: inside the database the
    # rest still checks out; the root a third party kept does not.
    with tampering():
        sql("DELETE FROM audit_checkpointrecord WHERE checkpoint_id = %s", [latest.pk])
        sql("DELETE FROM audit_checkpoint WHERE id = %s", [latest.pk])
        sql("DELETE FROM audit_auditevent WHERE action = 'late'")
        sql(
            "UPDATE audit_audithead SET seq = 3, hash = %s WHERE record_type = 'case'"
            " AND record_id = '2'",
            [_event("case", "2", 3).hash],
        )
    assert verify().ok
    report = verify(expected_roots=[latest.root])
    assert [p.kind for p in report.problems] == ["checkpoint"]
    _cli_fails_naming(latest.root, args=("--expect-root", latest.root))
