"""The workflow engine: states, permissions, guards, clocks and audit together."""

from datetime import date

import pytest

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.audit.services import ANONYMOUS, Actor
from fazhi.kernel.workflow.definitions import (
    CaseType,
    ClockAction,
    Transition,
    get_case_type,
    register,
)
from fazhi.kernel.workflow.engine import (
    GuardFailed,
    IllegalTransition,
    Job,
    TransitionDenied,
    WorkflowError,
    case_open,
    case_transition,
    next_number,
)
from fazhi.kernel.workflow.models import Case


def _no_weekend_closing(case, payload):
    return "须附答复文书" if not payload.get("letter") else None


GUARDED = register(
    CaseType(
        code="test_guarded",
        name="测试件",
        number_prefix="TG",
        states={"open": "办理中", "done": "已办结"},
        initial="open",
        terminal=frozenset({"done"}),
        transitions=[
            Transition(
                "close",
                {"open"},
                "done",
                "case.handle",
                "办结",
                guards=(_no_weekend_closing,),
            )
        ],
    )
)


# A case the calendar may end (its term runs out) as well as a person.
TERMED = register(
    CaseType(
        code="test_termed",
        name="测试期限件",
        number_prefix="TT",
        states={"open": "办理中", "lapsed": "期限届满终止", "done": "已办结"},
        initial="open",
        terminal=frozenset({"lapsed", "done"}),
        on_open=(ClockAction("start", "reply", rule="hotline.complaint"),),
        transitions=[
            Transition(
                "lapse",
                {"open"},
                "lapsed",
                "case.supervise",
                "期限届满，终止办理",
                clocks=(ClockAction("stop", "reply"),),
                requires_note=True,
                system=True,
            ),
            Transition(
                "close",
                {"open"},
                "done",
                "case.handle",
                "办结",
                clocks=(ClockAction("stop", "reply"),),
            ),
        ],
    )
)
SWEEP = Job("test-sweep")


def _termed(people, org):
    return case_open(
        actor=people["dy_handler"],
        case_type="test_termed",
        agency=org["420281"],
        title="期限测试",
        opened_on=date(2026, 3, 2),
    )


def test_a_job_fires_a_system_transition_and_is_recorded_by_its_label(people, org):
    case = _termed(people, org)
    with pytest.raises(GuardFailed):  # the note is still required
        case_transition(actor=SWEEP, case=case, transition="lapse")
    case_transition(
        actor=SWEEP, case=case, transition="lapse", note="期限届满", on=date(2026, 3, 9)
    )
    assert case.state == "lapsed" and case.closed_at is not None
    clock = case.clocks.get(name="reply")
    assert clock.state == "stopped" and clock.stopped_on == date(2026, 3, 9)
    event = AuditEvent.objects.get(record_id=str(case.pk), action="case.lapse")
    assert (event.actor_id, event.actor_label) == (None, "test-sweep")
    assert event.payload["note"] == "期限届满"


def test_a_job_may_fire_no_ordinary_transition(people, org):
    case = _termed(people, org)
    with pytest.raises(TransitionDenied):
        case_transition(actor=SWEEP, case=case, transition="close")
    case.refresh_from_db()
    assert case.state == "open"
    assert not AuditEvent.objects.filter(action="case.close").exists()


def test_no_other_non_user_actor_fires_a_system_transition(people, org):
    case = _termed(people, org)
    for actor in (None, ANONYMOUS, Actor("citizen"), Actor("test-sweep")):
        with pytest.raises(TransitionDenied):
            case_transition(actor=actor, case=case, transition="lapse", note="x")
    case.refresh_from_db()
    assert case.state == "open"


def test_users_still_need_the_permission_of_a_system_transition(people, org):
    case = _termed(people, org)
    # A handler holds case.handle, not the case.supervise the step names.
    with pytest.raises(TransitionDenied):
        case_transition(
            actor=people["dy_handler"], case=case, transition="lapse", note="x"
        )
    case_transition(actor=people["fzb"], case=case, transition="lapse", note="届满")
    assert case.state == "lapsed"


def test_open_allocates_numbers_and_starts_the_clock(people, org):
    case = case_open(
        actor=people["dy_handler"],
        case_type="demo",
        agency=org["420281"],
        title="路灯不亮",
        opened_on=date(2026, 3, 2),
    )
    assert case.state == "registered"
    assert case.number == "YS-2026-000001"
    clock = case.clocks.get(name="reply")
    assert clock.rule_id == "hotline.complaint" and clock.start_date == date(2026, 3, 2)
    chain = list(
        AuditEvent.objects.filter(record_type="case", record_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert chain == ["case.open", "clock.start"]
    second = case_open(
        actor=people["dy_handler"],
        case_type="demo",
        agency=org["420281"],
        title="井盖缺失",
        opened_on=date(2026, 3, 2),
    )
    assert second.number == "YS-2026-000002"


def test_empty_title_is_refused(people, org):
    with pytest.raises(WorkflowError):
        case_open(
            actor=people["dy_handler"],
            case_type="demo",
            agency=org["420281"],
            title="  ",
        )
    assert not Case.objects.exists()


def test_a_full_path_with_pause_and_stop(people, org):
    dy, fzb = people["dy_handler"], people["fzb"]
    case = case_open(
        actor=dy,
        case_type="demo",
        agency=org["420281002"],
        title="餐馆无证经营",
        opened_on=date(2026, 3, 2),
    )
    case_transition(actor=dy, case=case, transition="accept", on=date(2026, 3, 2))
    due_before = case.clocks.get(name="reply").due_date
    case_transition(
        actor=dy,
        case=case,
        transition="request_info",
        note="请补充地址",
        on=date(2026, 3, 3),
    )
    assert case.state == "waiting"
    assert case.clocks.get(name="reply").state == "paused"
    case_transition(actor=dy, case=case, transition="resume", on=date(2026, 3, 10))
    clock = case.clocks.get(name="reply")
    assert clock.state == "running" and clock.due_date > due_before
    case_transition(actor=dy, case=case, transition="submit", on=date(2026, 3, 11))
    case_transition(actor=fzb, case=case, transition="approve", on=date(2026, 3, 12))
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_at is not None
    assert case.clocks.get(name="reply").state == "stopped"
    actions = list(
        AuditEvent.objects.filter(record_type="case", record_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[0] == "case.open" and actions[-2:] == ["case.approve", "clock.stop"]
    assert {"case.request_info", "case.resume", "case.submit"} <= set(actions)


def test_illegal_transition_is_an_error_not_a_no_op(people, org):
    case = case_open(
        actor=people["dy_handler"], case_type="demo", agency=org["420281"], title="噪声"
    )
    with pytest.raises(IllegalTransition):
        case_transition(actor=people["dy_handler"], case=case, transition="approve")
    with pytest.raises(IllegalTransition):
        case_transition(actor=people["dy_handler"], case=case, transition="teleport")
    case.refresh_from_db()
    assert case.state == "registered"
    events = AuditEvent.objects.filter(record_type="case", record_id=str(case.pk))
    assert list(events.values_list("action", flat=True)) == ["case.open", "clock.start"]


def test_permission_is_checked_on_the_case_agency(people, org):
    case = case_open(
        actor=people["dy_handler"], case_type="demo", agency=org["420281"], title="噪声"
    )
    for username in (
        "jinhu_clerk",
        "outsider",
        "sysadmin",
        "auditadmin",
        "scj_handler",
    ):
        with pytest.raises(TransitionDenied):
            case_transition(actor=people[username], case=case, transition="accept")
    case_transition(actor=people["dy_handler"], case=case, transition="accept")
    case_transition(actor=people["dy_handler"], case=case, transition="submit")
    # Submitting is a handler's; approving needs case.supervise, which they lack.
    with pytest.raises(TransitionDenied):
        case_transition(actor=people["dy_handler"], case=case, transition="approve")


def test_note_and_guards_are_enforced(people, org):
    dy = people["dy_handler"]
    case = case_open(actor=dy, case_type="demo", agency=org["420281"], title="噪声")
    case_transition(actor=dy, case=case, transition="accept")
    with pytest.raises(GuardFailed):
        case_transition(actor=dy, case=case, transition="request_info", note=" ")
    guarded = case_open(
        actor=dy, case_type="test_guarded", agency=org["420281"], title="测试"
    )
    with pytest.raises(GuardFailed, match="答复文书"):
        case_transition(actor=dy, case=guarded, transition="close")
    case_transition(actor=dy, case=guarded, transition="close", payload={"letter": 1})
    assert guarded.state == "done"


def test_extension_moves_the_due_date_with_approval(people, org):
    dy, fzb = people["dy_handler"], people["fzb"]
    case = case_open(
        actor=dy,
        case_type="demo",
        agency=org["420281"],
        title="拖欠工资",
        opened_on=date(2026, 3, 2),
    )
    case_transition(actor=dy, case=case, transition="accept", on=date(2026, 3, 2))
    before = case.clocks.get(name="reply").due_date
    with pytest.raises(TransitionDenied):
        case_transition(actor=dy, case=case, transition="extend", note="情况复杂")
    case_transition(actor=fzb, case=case, transition="extend", note="情况复杂")
    assert case.clocks.get(name="reply").due_date > before


def test_case_type_declarations_are_validated():
    with pytest.raises(ValueError):
        CaseType(
            code="bad",
            name="坏",
            number_prefix="B",
            states={"a": "甲"},
            initial="z",
            transitions=[],
        )
    with pytest.raises(ValueError):
        CaseType(
            code="bad",
            name="坏",
            number_prefix="B",
            states={"a": "甲"},
            initial="a",
            transitions=[Transition("t", {"a"}, "b", "case.handle")],
        )
    with pytest.raises(ValueError):
        CaseType(
            code="bad",
            name="坏",
            number_prefix="B",
            states={"a": "甲"},
            initial="a",
            terminal=frozenset({"q"}),
            transitions=[],
        )
    with pytest.raises(LookupError):
        get_case_type("no_such_type")
    with pytest.raises(ValueError):
        register(
            CaseType(
                code="test_guarded",
                name="另一个",
                number_prefix="X",
                states={"a": "甲"},
                initial="a",
                transitions=[],
            )
        )


def test_missing_clock_is_reported(people, org):
    ctype = register(
        CaseType(
            code="test_noclock",
            name="无计时",
            number_prefix="NC",
            states={"a": "甲", "b": "乙"},
            initial="a",
            transitions=[
                Transition(
                    "go",
                    {"a"},
                    "b",
                    "case.handle",
                    clocks=(ClockAction("stop", "reply"),),
                )
            ],
        )
    )
    case = case_open(
        actor=people["dy_handler"],
        case_type=ctype.code,
        agency=org["420281"],
        title="无计时",
    )
    with pytest.raises(IllegalTransition, match="reply"):
        case_transition(actor=people["dy_handler"], case=case, transition="go")


def test_numbers_are_per_prefix_and_year(db):
    assert next_number("ZZ", 2026) == "ZZ-2026-000001"
    assert next_number("ZZ", 2026) == "ZZ-2026-000002"
    assert next_number("ZZ", 2027) == "ZZ-2027-000001"


def test_a_case_received_earlier_opens_as_of_its_receipt_day(people, org):
    from django.utils import timezone

    case = case_open(
        actor=people["dy_handler"],
        case_type="demo",
        agency=org["420281"],
        title="来信",
        opened_on=date(2026, 3, 2),
    )
    assert timezone.localtime(case.opened_at).date() == date(2026, 3, 2)
    today_case = case_open(
        actor=people["dy_handler"], case_type="demo", agency=org["420281"], title="来电"
    )
    assert abs((timezone.now() - today_case.opened_at).total_seconds()) < 60


def test_cases_open_numbers_and_audits_a_batch_like_one_by_one(people, org):
    from fazhi.kernel.audit.verify import verify
    from fazhi.kernel.workflow.engine import Opening, cases_open

    first = case_open(
        actor=people["dy_handler"],
        case_type="test_guarded",
        agency=org["420281"],
        title="先到的一件",
        opened_on=date(2026, 3, 2),
    )
    cases = cases_open(
        actor=people["dy_handler"],
        case_type="test_guarded",
        agency=org["420281"],
        openings=[
            Opening(" 路灯不亮 ", date(2026, 3, 2)),
            Opening("年底来信", date(2025, 12, 31)),
            Opening("井盖缺失𠀀", date(2026, 3, 3)),
        ],
    )
    assert first.number == "TG-2026-000001"
    assert [c.number for c in cases] == [
        "TG-2026-000002",
        "TG-2025-000001",
        "TG-2026-000003",
    ]
    stored = Case.objects.get(pk=cases[0].pk)
    assert (stored.title, stored.state, stored.created_by) == (
        "路灯不亮",
        "open",
        people["dy_handler"],
    )
    # Received earlier: opened as of the receipt day, as case_open does.
    assert stored.opened_at.date() == date(2026, 3, 2)
    event = AuditEvent.objects.get(record_type="case", record_id=str(cases[1].pk))
    assert event.action == "case.open" and event.seq == 1
    assert event.payload["number"] == "TG-2025-000001"
    assert event.payload["received_on"] == "2025-12-31"
    assert verify().ok


def test_cases_open_refuses_a_blank_title_by_position(people, org):
    from fazhi.kernel.workflow.engine import Opening, cases_open

    with pytest.raises(WorkflowError, match="第 2 件"):
        cases_open(
            actor=people["dy_handler"],
            case_type="test_guarded",
            agency=org["420281"],
            openings=[Opening("有事由"), Opening("   ")],
        )
    assert not Case.objects.exists()


def test_cases_open_of_a_type_with_opening_clocks_starts_each_clock(people, org):
    from fazhi.kernel.workflow.engine import Opening, cases_open

    cases = cases_open(
        actor=people["dy_handler"],
        case_type="demo",
        agency=org["420281"],
        openings=[Opening("路灯不亮", date(2026, 3, 2)), Opening("井盖缺失")],
    )
    assert [c.number[-6:] for c in cases] == ["000001", "000002"]
    assert all(c.clocks.filter(name="reply").exists() for c in cases)


def test_next_numbers_allocates_a_range(db):
    from fazhi.kernel.workflow.engine import next_numbers

    assert next_numbers("ZZ", 2026, 0) == []
    assert next_numbers("ZZ", 2026, 3) == [
        "ZZ-2026-000001",
        "ZZ-2026-000002",
        "ZZ-2026-000003",
    ]
    assert next_number("ZZ", 2026) == "ZZ-2026-000004"
