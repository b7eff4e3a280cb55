"""The workflow engine drives clocks through the service signatures it expects."""

import pytest

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.workflow.definitions import (
    CaseType,
    ClockAction,
    Transition,
    register,
)
from fazhi.kernel.workflow.engine import case_open, case_transition

from .conftest import D

pytestmark = pytest.mark.django_db

DISCLOSURE = register(
    CaseType(
        code="dl_test_disclosure",
        name="依申请公开（测试）",
        number_prefix="DLT",
        states={"received": "已收到", "consulting": "征求意见", "replied": "已答复"},
        initial="received",
        terminal=frozenset({"replied"}),
        transitions=[
            Transition(
                "consult",
                {"received"},
                "consulting",
                permission="case.handle",
                clocks=(ClockAction("pause", "reply"),),
            ),
            Transition(
                "resume",
                {"consulting"},
                "received",
                permission="case.handle",
                clocks=(ClockAction("resume", "reply"),),
            ),
            Transition(
                "extend",
                {"received"},
                "received",
                permission="case.handle",
                clocks=(ClockAction("extend", "reply"),),
            ),
            Transition(
                "reply",
                {"received"},
                "replied",
                permission="case.handle",
                clocks=(ClockAction("stop", "reply"),),
            ),
        ],
        on_open=(
            ClockAction("start", "reply", rule="disclosure.reply"),
            ClockAction("start", "custom"),
        ),
    )
)


def test_disclosure_case_clock_through_the_engine(org, people):
    actor = people["scj_handler"]
    case = case_open(
        actor=actor,
        case_type=DISCLOSURE.code,
        agency=org["420200-SCJ"],
        title="申请公开某文件",
        opened_on=D("2026-02-10"),
        payload={"custom_days": "5", "custom_unit": "natural"},
    )
    reply = case.clocks.get(name="reply")
    assert reply.due_date == D("2026-03-16")
    # 5 natural days end on Sunday 15 Feb, inside 春节: rolls to Tuesday 24 Feb.
    assert case.clocks.get(name="custom").due_date == D("2026-02-24")
    case_transition(
        actor=actor,
        case=case,
        transition="consult",
        note="征求第三方意见",
        on=D("2026-02-24"),
    )
    case_transition(actor=actor, case=case, transition="resume", on=D("2026-03-03"))
    reply.refresh_from_db()
    # 24 Feb - 2 Mar paused: 6 working days (28 Feb is a 调休 Saturday).
    assert reply.due_date == D("2026-03-24")
    case_transition(
        actor=actor,
        case=case,
        transition="extend",
        note="负责人同意延期",
        on=D("2026-03-05"),
    )
    reply.refresh_from_db()
    # +20 working days; 6 April (清明 bridging Monday) does not count.
    assert reply.extension_days == 20 and reply.due_date == D("2026-04-22")
    case_transition(actor=actor, case=case, transition="reply", on=D("2026-03-20"))
    reply.refresh_from_db()
    assert reply.state == "stopped" and reply.stopped_on == D("2026-03-20")
    actions = list(
        AuditEvent.objects.filter(record_type="case", record_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    # The engine decides how case and clock events interleave; the clock
    # events are on the case's chain, in the order the clocks moved.
    assert [a for a in actions if a.startswith("clock.")] == [
        "clock.start",
        "clock.start",
        "clock.pause",
        "clock.resume",
        "clock.extend",
        "clock.stop",
    ]
    assert {"case.open", "case.consult", "case.reply"} <= set(actions)
