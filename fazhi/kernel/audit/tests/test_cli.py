"""`fazhi audit verify | checkpoint | show`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fazhi.kernel.audit import services
from fazhi.kernel.audit.models import AuditEvent, Checkpoint

from .conftest import sql, tampering


def run(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_verify_of_a_clean_record_exits_zero_with_a_summary(chains):
    events, records = (
        AuditEvent.objects.count(),
        len(set(AuditEvent.objects.values_list("record_type", "record_id"))),
    )
    out = run("verify", "--no-progress")
    assert f"{events} events in {records} records verified, 0 checkpoints" in out
    # The run itself is now part of the record.
    last = AuditEvent.objects.filter(action="audit.verify").get()
    assert last.actor_label == "cli" and last.payload["ok"] is True


def test_verify_shows_progress_on_a_terminal(chains, monkeypatch):
    from rich.console import Console

    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    out = run("verify", "--chunk-size", "2")
    assert "records verified" in out


def test_verify_still_reports_when_the_run_cannot_be_recorded(chains):
    # Tampered so badly that even appending to audit:verify fails.
    run("verify", "--no-progress")
    with tampering():
        sql("DELETE FROM audit_audithead WHERE record_type = 'audit'")
    out = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("audit", "verify", "--no-progress", stdout=out)
    assert info.value.returncode == 1
    assert "could not record this verification" in out.getvalue()
    assert "audit:verify" in out.getvalue()


def test_checkpoint_seals_then_finds_nothing(chains):
    out = run("checkpoint")
    cp = Checkpoint.objects.get()
    assert f"checkpoint #{cp.pk}: {cp.event_count} events" in out and cp.root in out
    assert cp.actor_label == "cli"
    assert "nothing to seal" in run("checkpoint")


def test_checkpoint_reports_busy_writers(chains, monkeypatch):
    def busy(connection):
        raise services.CheckpointBusy("仍有事务在写入审计事件，请稍后再封存")

    monkeypatch.setattr(services, "_settled_horizon", busy)
    with pytest.raises(CommandError) as info:
        run("checkpoint")
    assert info.value.returncode == 2


def test_show_prints_a_records_timeline(chains):
    out = run("show", "case", "1")
    assert "case:1" in out and "case.step4" in out and "system" in out


def test_show_of_an_unknown_record_fails(db):
    with pytest.raises(CommandError, match="no events for case:404"):
        run("show", "case", "404")


def test_show_shortens_long_payloads(db):
    services.audit_record(
        actor=None,
        action="x",
        record_type="doc",
        record_id=1,
        payload={"text": "长" * 200},
    )
    assert "…" in run("show", "doc", "1")
