"""Clock writes: ledger, derived due date, validation, audit."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines import services
from fazhi.kernel.deadlines.ledger import clock_result, fold
from fazhi.kernel.deadlines.models import Clock, ClockEvent

from .conftest import D

pytestmark = pytest.mark.django_db


def audit_actions(record_type, record_id):
    return list(
        AuditEvent.objects.filter(record_type=record_type, record_id=str(record_id))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_start_with_rule_derives_due_and_audits_on_the_case_chain(people, make_case):
    case = make_case()
    clock = services.clock_start(
        actor=people["scj_handler"],
        case=case,
        name="reply",
        start=D("2026-02-10"),
        rule_id="disclosure.reply",
    )
    clock.refresh_from_db()
    assert (clock.budget_days, clock.unit, clock.rule_id) == (
        20,
        "working",
        "disclosure.reply",
    )
    assert clock.due_date == D("2026-03-16") and not clock.provisional
    event = clock.events.get()
    assert (event.kind, event.on, event.days, event.due_date) == (
        "start",
        D("2026-02-10"),
        20,
        D("2026-03-16"),
    )
    assert event.actor_id == people["scj_handler"].pk
    audit = AuditEvent.objects.get(record_type="case", record_id=str(case.pk))
    assert audit.action == "clock.start"
    assert (
        audit.payload["due"] == "2026-03-16"
        and audit.payload["rule"] == "disclosure.reply"
    )


def test_free_standing_clock_audits_on_its_own_chain():
    clock = services.clock_start(
        actor=None,
        case=None,
        name="x",
        start=D("2026-03-02"),
        days="5",  # type: ignore[arg-type] # workflow payloads carry strings
        unit="natural",
    )
    assert clock.due_date == D("2026-03-09")
    assert audit_actions("clock", clock.pk) == ["clock.start"]


def test_start_validation_names_the_field(make_case):
    case = make_case()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"rule_id": "nope"}, "rule_id"),
        ({"rule_id": "disclosure.reply", "unit": "natural"}, "unit"),
        ({"rule_id": "disclosure.reply", "days": 30}, "days"),
        ({"rule_id": "normative.legality_review", "days": 16}, "days"),
        ({}, "days"),
        ({"days": 5}, "unit"),
        ({"days": -1, "unit": "working"}, "days"),
        ({"days": "abc", "unit": "working"}, "days"),
        ({"days": 2.5, "unit": "working"}, "days"),
        ({"days": True, "unit": "working"}, "days"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.clock_start(
                actor=None, case=case, name="c", start=D("2026-03-02"), **kwargs
            )
        assert field in exc.value.message_dict, kwargs
    with pytest.raises(ValidationError) as exc:
        services.clock_start(
            actor=None,
            case=case,
            name=" ",
            start=D("2026-03-02"),
            days=3,
            unit="working",
        )
    assert "name" in exc.value.message_dict
    assert not Clock.objects.exists()


def test_rule_with_a_range_accepts_days_within_it(make_case):
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="review",
        start=D("2026-03-02"),
        rule_id="normative.legality_review",
        days=5,
        unit="working",
    )
    assert clock.budget_days == 5 and clock.due_date == D("2026-03-09")


def test_starting_an_existing_clock_restarts_it(make_case):
    """政府信息公开条例 art. 30: the reply period runs anew from the correction."""
    case = make_case()
    services.clock_start(
        actor=None,
        case=case,
        name="reply",
        start=D("2026-03-02"),
        rule_id="disclosure.reply",
    )
    clock = services.clock_start(
        actor=None,
        case=case,
        name="reply",
        start=D("2026-03-20"),
        rule_id="disclosure.reply",
    )
    assert Clock.objects.filter(case=case).count() == 1
    clock.refresh_from_db()
    assert clock.start_date == D("2026-03-20") and clock.due_date == D("2026-04-20")
    assert list(clock.events.values_list("kind", "reason")) == [
        ("start", ""),
        ("start", "重新起算"),
    ]


def test_pause_and_resume_exclude_the_paused_days(make_case):
    case = make_case()
    clock = services.clock_start(
        actor=None,
        case=case,
        name="reply",
        start=D("2026-03-02"),
        days=5,
        unit="working",
    )
    assert clock.due_date == D("2026-03-09")
    clock = services.clock_pause(
        actor=None, clock=clock, on=D("2026-03-04"), reason="征求第三方意见"
    )
    assert clock.state == "paused" and clock.pauses == [["2026-03-04", None]]
    assert clock.due_date == D("2026-03-09")  # earliest possible until resumed
    clock = services.clock_resume(actor=None, clock=clock, on=D("2026-03-06"))
    # 4 and 5 March do not count; counting resumes on the 6th.
    assert clock.state == "running" and clock.pauses == [["2026-03-04", "2026-03-05"]]
    assert clock.due_date == D("2026-03-11")
    assert audit_actions("case", case.pk) == [
        "clock.start",
        "clock.pause",
        "clock.resume",
    ]
    result = clock_result(clock)
    assert result.due == clock.due_date
    assert any("征求第三方意见" in x for x in result.explain)


def test_pause_and_resume_on_the_same_day_change_nothing(make_case):
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="c",
        start=D("2026-03-02"),
        days=5,
        unit="working",
    )
    clock = services.clock_pause(actor=None, clock=clock, on=D("2026-03-04"), reason="")
    clock = services.clock_resume(actor=None, clock=clock, on=D("2026-03-04"))
    assert clock.pauses == [] and clock.due_date == D("2026-03-09")


def test_pause_resume_state_and_date_checks(make_case):
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="c",
        start=D("2026-03-02"),
        days=5,
        unit="working",
    )
    with pytest.raises(ValidationError, match="未暂停"):
        services.clock_resume(actor=None, clock=clock, on=D("2026-03-03"))
    with pytest.raises(ValidationError) as exc:
        services.clock_pause(actor=None, clock=clock, on=D("2026-03-01"), reason="")
    assert "on" in exc.value.message_dict
    clock = services.clock_pause(actor=None, clock=clock, on=D("2026-03-04"), reason="")
    with pytest.raises(ValidationError, match="不在计时中"):
        services.clock_pause(actor=None, clock=clock, on=D("2026-03-05"), reason="")
    with pytest.raises(ValidationError, match="早于暂停日期"):
        services.clock_resume(actor=None, clock=clock, on=D("2026-03-03"))
    clock = services.clock_resume(actor=None, clock=clock, on=D("2026-03-06"))
    with pytest.raises(ValidationError, match="早于上次恢复"):
        services.clock_pause(actor=None, clock=clock, on=D("2026-03-05"), reason="")


def test_extend_without_rule_uses_the_clocks_extension_rule_once(make_case, people):
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="reply",
        start=D("2026-02-10"),
        rule_id="disclosure.reply",
    )
    clock = services.clock_extend(
        actor=people["sfj_leader"], clock=clock, reason="经信息公开机构负责人同意"
    )
    assert clock.extension_days == 20
    assert clock.due_date == D("2026-04-14")
    event = clock.events.get(kind="extend")
    assert event.rule_id == "disclosure.extension" and event.days == 20
    with pytest.raises(ValidationError, match="已按规则"):
        services.clock_extend(actor=None, clock=clock, reason="再次")


def test_extend_checks(make_case):
    natural = services.clock_start(
        actor=None,
        case=make_case(),
        name="decision",
        start=D("2026-03-02"),
        rule_id="reconsideration.decision",
    )
    with pytest.raises(ValidationError) as exc:
        services.clock_extend(actor=None, clock=natural, reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.clock_extend(
            actor=None, clock=natural, reason="x", rule_id="disclosure.extension"
        )
    assert "rule_id" in exc.value.message_dict
    natural = services.clock_extend(
        actor=None, clock=natural, reason="情况复杂，负责人批准"
    )
    # 90 days end on Sunday 31 May; 民法典 art. 203 moves it to Monday.
    assert (natural.extension_days, natural.due_date) == (30, D("2026-06-01"))
    bare = services.clock_start(
        actor=None,
        case=make_case(),
        name="x",
        start=D("2026-03-02"),
        days=5,
        unit="working",
    )
    with pytest.raises(ValidationError) as exc:
        services.clock_extend(actor=None, clock=bare, reason="x")
    assert "days" in exc.value.message_dict
    bare = services.clock_extend(actor=None, clock=bare, reason="x", days=2)
    assert bare.due_date == D("2026-03-11")
    services.clock_stop(actor=None, clock=bare, on=D("2026-03-05"))
    with pytest.raises(ValidationError, match="已停止"):
        services.clock_extend(actor=None, clock=bare, reason="x", days=2)


def test_stop_records_the_day_and_clears_the_alert(make_case):
    case = make_case()
    clock = services.clock_start(
        actor=None, case=case, name="c", start=D("2026-03-02"), days=5, unit="working"
    )
    Clock.objects.filter(pk=clock.pk).update(alert="red")
    with pytest.raises(ValidationError) as exc:
        services.clock_stop(actor=None, clock=clock, on=D("2026-03-01"))
    assert "on" in exc.value.message_dict
    clock = services.clock_stop(actor=None, clock=clock, on=D("2026-03-05"))
    assert (clock.state, clock.stopped_on, clock.alert) == (
        "stopped",
        D("2026-03-05"),
        "none",
    )
    with pytest.raises(ValidationError, match="已停止"):
        services.clock_stop(actor=None, clock=clock, on=D("2026-03-06"))
    assert audit_actions("case", case.pk)[-1] == "clock.stop"


def test_stored_fields_are_the_fold_of_the_ledger(make_case):
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="c",
        start=D("2026-02-10"),
        rule_id="disclosure.reply",
    )
    clock = services.clock_pause(
        actor=None, clock=clock, on=D("2026-02-12"), reason="a"
    )
    clock = services.clock_resume(actor=None, clock=clock, on=D("2026-02-26"))
    clock = services.clock_extend(actor=None, clock=clock, reason="b", days=3)
    state = fold(clock.events.order_by("id"))
    assert state.extension_days == clock.extension_days == 3
    assert state.pauses_json() == clock.pauses
    assert clock_result(clock).due == clock.due_date
    assert clock.version == 4


def test_stop_while_paused_keeps_the_ledger_consistent(make_case):
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="c",
        start=D("2026-03-02"),
        days=5,
        unit="working",
    )
    clock = services.clock_pause(actor=None, clock=clock, on=D("2026-03-03"), reason="")
    clock = services.clock_stop(actor=None, clock=clock, on=D("2026-03-04"))
    assert clock.state == "stopped"
    assert ClockEvent.objects.filter(clock=clock).count() == 3


def test_clock_whose_rule_was_retired_keeps_its_budget(make_case):
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="c",
        start=D("2026-03-02"),
        days=5,
        unit="working",
    )
    ClockEvent.objects.filter(clock=clock).update(rule_id="retired.rule")
    Clock.objects.filter(pk=clock.pk).update(rule_id="retired.rule")
    clock.refresh_from_db()
    assert clock_result(clock).due == date(2026, 3, 9)
