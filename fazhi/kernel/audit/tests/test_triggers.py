"""The database itself refuses to change the record, whatever the ORM does."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from fazhi.kernel.audit import guard
from fazhi.kernel.audit.models import (
    AuditEvent,
    AuditHead,
    Checkpoint,
    CheckpointRecord,
)
from fazhi.kernel.audit.services import audit_record, checkpoint_seal
from fazhi.kernel.audit.verify import verify

from .conftest import sql, tampering


def _refused(action) -> str:
    with pytest.raises(DatabaseError) as info, transaction.atomic():
        action()
    assert "append-only" in str(info.value)
    return str(info.value)


def test_orm_update_and_delete_of_events_are_refused(chains):
    event = AuditEvent.objects.filter(record_type="case").first()
    assert event is not None
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="edited"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    event.action = "edited"
    _refused(event.save)
    _refused(event.delete)
    assert AuditEvent.objects.get(pk=event.pk).action == "case.step1"


def test_checkpoints_and_their_manifests_cannot_be_changed(chains):
    cp = checkpoint_seal()
    assert cp is not None
    _refused(lambda: Checkpoint.objects.filter(pk=cp.pk).update(root="0" * 64))
    _refused(lambda: CheckpointRecord.objects.filter(checkpoint=cp).update(seq=1))
    _refused(lambda: CheckpointRecord.objects.filter(checkpoint=cp).delete())
    _refused(lambda: sql("DELETE FROM audit_checkpoint"))
    with pytest.raises(ProtectedError):  # Django refuses even before the trigger
        Checkpoint.objects.filter(pk=cp.pk).delete()
    assert verify().ok


def test_heads_move_but_cannot_be_deleted(chains):
    _refused(lambda: AuditHead.objects.filter(record_type="case").delete())
    assert AuditHead.objects.filter(record_type="case").count() == 2


def test_truncate_is_refused_on_postgresql(chains):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    for table in ("audit_auditevent", "audit_checkpoint", "audit_audithead"):
        _refused(lambda t=table: sql(f"TRUNCATE {t} CASCADE"))


def test_raw_sql_delete_is_refused_too(chains):
    _refused(lambda: sql("DELETE FROM audit_auditevent WHERE record_type = 'case'"))


def test_verify_warns_when_a_trigger_is_missing(chains):
    assert verify().warnings == []
    with tampering():
        report = verify()
    assert report.ok
    assert any("append-only trigger missing or disabled" in w for w in report.warnings)


def test_flush_escape_applies_only_to_test_databases():
    def fake(vendor: str, name: str, memory: bool = False):
        return SimpleNamespace(
            vendor=vendor, settings_dict={"NAME": name}, is_in_memory_db=lambda: memory
        )

    assert guard.is_test_database(fake("postgresql", "test_fazhi"))
    assert not guard.is_test_database(fake("postgresql", "fazhi"))
    assert guard.is_test_database(fake("sqlite", "/x/y/test_fazhi.sqlite3"))
    assert guard.is_test_database(fake("sqlite", "file:memorydb?mode=memory", True))
    assert not guard.is_test_database(fake("sqlite", "/srv/var/fazhi.sqlite3"))
    production = fake("postgresql", "fazhi")
    with guard.flush_unlocked(production):
        assert guard._flushing() == 0


@pytest.mark.django_db(transaction=True)
def test_flush_of_a_test_database_empties_the_audit_tables():
    audit_record(actor=None, action="x", record_type="case", record_id=1)
    checkpoint_seal()
    # Without post_migrate: its handlers (indicator sync) write new events.
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not AuditEvent.objects.exists()
    assert not Checkpoint.objects.exists()
    assert guard._flushing() == 0
    audit_record(actor=None, action="x", record_type="case", record_id=1)
    _refused(lambda: sql("DELETE FROM audit_audithead"))


def test_the_admin_site_offers_no_way_to_edit_the_record():
    from django.contrib import admin

    for model in (AuditEvent, AuditHead, Checkpoint, CheckpointRecord):
        assert model not in admin.site._registry
