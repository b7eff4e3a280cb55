"""督办 notices and 督察 campaigns: clocks, notices, coverage, rectification, rates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from fazhi.demo.huangshi import CITY_DEPARTMENTS, COUNTIES
from fazhi.domains.plan import indicators, services
from fazhi.domains.plan.models import Finding, Milestone, Supervision, Visit
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.compute import compute
from fazhi.kernel.deadlines.rules import get_rule
from fazhi.kernel.indicators.models import IndicatorValue
from fazhi.kernel.indicators.services import indicator_values_refresh
from fazhi.kernel.notices.models import Notice
from fazhi.kernel.workflow.engine import WorkflowError

from .test_services import parsed_plan

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


@pytest.fixture
def plan(people):
    return services.plan_import(
        actor=people["fzb"],
        parsed=parsed_plan(),
        source_name="plan.txt",
        source_text="原文",
    ).plan


@pytest.fixture
def t16(plan, people, org):
    node = plan.nodes.get(kind="task", number="16")
    services.task_assign(
        actor=people["fzb"], node=node, agency=org["420200-SCJ"], role="co"
    )
    return node


def milestone(people, org, node, due, title="出庭应诉统计", opened=date(2026, 1, 5)):
    return services.milestone_create(
        actor=people["fzb"],
        node=node,
        agency=org["420200-SCJ"],
        title=title,
        due_date=due,
        opened_on=opened,
    )


def complete(people, m, on):
    report = services.progress_report_submit(
        actor=people["scj_handler"], milestone=m, text="已完成", progress=100, on=on
    )
    services.progress_report_review(
        actor=people["fzb"], report=report, decision="complete", on=on
    )


# --- 督办 ---------------------------------------------------------------------------


def test_supervision_issue_starts_the_reply_clock_and_tells_the_unit(people, org, t16):
    m = milestone(people, org, t16, date(2026, 6, 30))
    scj = people["scj_handler"]
    Notice.objects.all().delete()
    notice = services.supervision_issue(
        actor=people["fzb"],
        milestone=m,
        problem="第一季度未报送进展",
        requirement="十个工作日内书面反馈",
        on=MONDAY,
    )
    assert notice.number == "法治督办〔2026〕1号"
    second = services.supervision_issue(
        actor=people["fzb"],
        milestone=m,
        problem="再次督办",
        requirement="尽快",
        on=MONDAY,
    )
    assert second.number == "法治督办〔2026〕2号"  # numbered per year
    case = notice.case
    assert (case.case_type, case.state, case.agency.code) == (
        "plan.supervision",
        "issued",
        "420200-SCJ",
    )
    clock = case.clocks.get(name="reply")
    expected = compute(start=MONDAY, rule_id="plan.supervision_reply")["due"]
    assert (clock.rule_id, clock.state) == ("plan.supervision_reply", "running")
    assert clock.due_date.isoformat() == expected
    told = Notice.objects.filter(recipient=scj, case=case)
    assert told.count() == 1 and notice.number in told.get().subject
    assert AuditEvent.objects.filter(
        action="plan.supervision_issue", record_id=str(m.case_id)
    ).exists()


def test_answer_reopen_close(people, org, t16):
    m = milestone(people, org, t16, date(2026, 6, 30))
    fzb, scj = people["fzb"], people["scj_handler"]
    notice = services.supervision_issue(
        actor=fzb, milestone=m, problem="滞后", requirement="反馈", on=MONDAY
    )
    with pytest.raises(ValidationError) as err:
        services.supervision_answer(actor=scj, supervision=notice, answer="  ")
    assert "answer" in err.value.message_dict
    with pytest.raises(WorkflowError):  # only the unit answers
        services.supervision_answer(
            actor=people["dy_handler"], supervision=notice, answer="x"
        )
    services.supervision_answer(
        actor=scj, supervision=notice, answer="已制定整改计划", on=date(2026, 3, 9)
    )
    notice = Supervision.objects.get(pk=notice.pk)
    assert (notice.answer, notice.answered_on) == ("已制定整改计划", date(2026, 3, 9))
    clock = notice.case.clocks.get(name="reply")
    assert notice.case.state == "answered" and clock.state == "stopped"
    with pytest.raises(WorkflowError):  # the unit cannot close its own 督办
        services.supervision_close(actor=scj, supervision=notice)
    with pytest.raises(WorkflowError):  # asking again needs a reason
        services.supervision_close(actor=fzb, supervision=notice, reopen=True)
    services.supervision_close(
        actor=fzb, supervision=notice, reopen=True, note="反馈不具体"
    )
    notice.case.refresh_from_db()
    clock.refresh_from_db()
    assert notice.case.state == "issued" and clock.state == "running"
    services.supervision_answer(actor=scj, supervision=notice, answer="已全部整改")
    services.supervision_close(actor=fzb, supervision=notice)
    notice.case.refresh_from_db()
    assert notice.case.state == "closed" and notice.case.closed_at is not None
    with pytest.raises(WorkflowError):
        services.supervision_close(actor=fzb, supervision=notice)


def test_supervision_refusals_name_the_field(people, org, t16):
    m = milestone(people, org, t16, date(2026, 6, 30))
    with pytest.raises(PermissionDenied):
        services.supervision_issue(
            actor=people["scj_handler"], milestone=m, problem="x", requirement="y"
        )
    with pytest.raises(Http404):  # outside every scope: as if absent
        services.supervision_issue(
            actor=people["outsider"], milestone=m, problem="x", requirement="y"
        )
    for kwargs, field in [
        ({"problem": "", "requirement": "y"}, "problem"),
        ({"problem": "x", "requirement": " "}, "requirement"),
        ({"problem": "x" * 2001, "requirement": "y"}, "problem"),
    ]:
        with pytest.raises(ValidationError) as err:
            services.supervision_issue(actor=people["fzb"], milestone=m, **kwargs)
        assert field in err.value.message_dict, kwargs
    complete(people, m, date(2026, 6, 1))
    m.refresh_from_db()
    with pytest.raises(ValidationError) as err:  # nothing left to chase
        services.supervision_issue(
            actor=people["fzb"], milestone=m, problem="x", requirement="y"
        )
    assert "milestone" in err.value.message_dict
    assert Supervision.objects.count() == 0


# --- 督察 ---------------------------------------------------------------------------


def test_campaign_covers_every_department_and_county(people, org, plan):
    expected = {f"420200-{c}" for c, *_ in CITY_DEPARTMENTS} | {c[0] for c in COUNTIES}
    units = services.campaign_units(org["420200"])
    assert {a.code for a in units} == expected
    assert "420281002" not in expected and "420281-SFJ" not in expected  # not below
    campaign = services.campaign_create(
        actor=people["fzb"],
        plan=plan,
        title="2026年度法治政府建设督察",
        year=2026,
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 10, 31),
    )
    assert set(campaign.visits.values_list("agency__code", flat=True)) == expected
    assert not campaign.visits.exclude(visited_on=None).exists()
    event = AuditEvent.objects.get(action="plan.campaign_create")
    assert sorted(event.payload["units"]) == sorted(expected)


def test_campaign_refusals(people, org, plan):
    good = {
        "plan": plan,
        "title": "督察",
        "year": 2026,
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2026, 10, 31),
    }
    for change, field in [
        ({"title": " "}, "title"),
        ({"ends_on": date(2026, 8, 1)}, "ends_on"),
        ({"agencies": []}, "agencies"),
    ]:
        with pytest.raises(ValidationError) as err:
            services.campaign_create(actor=people["fzb"], **{**good, **change})
        assert field in err.value.message_dict, change
    dy_plan = services.plan_import(
        actor=people["fzb"],
        parsed=parsed_plan("大冶市法治政府建设实施方案（2021-2025年）"),
        source_name="dy.txt",
        source_text="大冶原文",
        owner=org["420281"],
    ).plan
    with pytest.raises(ValidationError) as err:  # a city department is not 大冶's
        services.campaign_create(
            actor=people["fzb"],
            **{**good, "plan": dy_plan, "agencies": [org["420200-SCJ"]]},
        )
    assert "agencies" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=people["scj_handler"], **good)
    with pytest.raises(Http404):
        services.campaign_create(actor=people["outsider"], **good)


def test_visit_and_finding_open_a_rectification(people, org, plan, t16):
    campaign = services.campaign_create(
        actor=people["fzb"],
        plan=plan,
        title="督察",
        year=2026,
        starts_on=MONDAY,
        ends_on=date(2026, 4, 30),
    )
    visit = campaign.visits.get(agency=org["420200-SCJ"])
    for outside in (date(2026, 2, 1), date(2026, 5, 1), date(2099, 3, 3)):
        with pytest.raises(ValidationError) as err:  # before, after, future
            services.visit_record(
                actor=people["fzb"], visit=visit, visited_on=outside, summary="x"
            )
        assert "visited_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.visit_record(
            actor=people["fzb"], visit=visit, visited_on=MONDAY, summary=""
        )
    assert "summary" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.visit_record(
            actor=people["scj_handler"], visit=visit, visited_on=MONDAY, summary="x"
        )
    services.visit_record(
        actor=people["fzb"], visit=visit, visited_on=MONDAY, summary="查阅案卷30件"
    )
    visit = Visit.objects.get(pk=visit.pk)
    assert (visit.visited_on, visit.summary) == (MONDAY, "查阅案卷30件")
    Notice.objects.all().delete()
    finding = services.finding_add(
        actor=people["fzb"], visit=visit, text="行政处罚案卷说理不充分", on=MONDAY
    )
    rect = finding.rectification
    days = get_rule("plan.rectification").days
    # 30 natural days from 2 March 2026 is Wednesday 1 April, a working day.
    assert MONDAY + timedelta(days=days) == date(2026, 4, 1)
    assert rect.due_date == date(2026, 4, 1)
    assert rect.case.clocks.get(name="due").due_date == date(2026, 4, 1)
    assert (rect.kind, rect.agency.code, rect.node) == (
        "rectification",
        "420200-SCJ",
        None,
    )
    assert rect.title.startswith("督察整改：") and rect.case.state == "open"
    assert Notice.objects.filter(recipient=people["scj_handler"], case=rect.case)
    own = services.finding_add(
        actor=people["fzb"],
        visit=visit,
        text="执法人员培训不足",
        node=t16,
        due_date=date(2026, 6, 30),
        on=MONDAY,
    )
    assert own.rectification.due_date == date(2026, 6, 30)
    assert own.rectification.node == t16
    with pytest.raises(ValidationError) as err:
        services.finding_add(actor=people["fzb"], visit=visit, text=" ", on=MONDAY)
    assert "text" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.finding_add(
            actor=people["fzb"],
            visit=visit,
            text="x",
            due_date=date(2026, 3, 1),
            on=MONDAY,
        )
    assert "due_date" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.finding_add(actor=people["scj_handler"], visit=visit, text="x")
    assert Finding.objects.count() == 2
    assert Milestone.objects.filter(kind="rectification").count() == 2


# --- the plan's own metrics -----------------------------------------------------------


def test_on_time_and_rectification_rates(people, org, plan, t16):
    scj = org["420200-SCJ"]
    on_time = milestone(people, org, t16, date(2026, 6, 30), "上半年统计")
    late = milestone(people, org, t16, date(2026, 3, 31), "一季度统计")
    milestone(people, org, t16, date(2026, 9, 30), "三季度统计")  # still open
    milestone(people, org, t16, date(2027, 3, 31), "明年的任务")  # other period
    complete(people, on_time, date(2026, 6, 1))
    complete(people, late, date(2026, 4, 15))
    assert indicators.milestone_on_time_rate(scj, "2026") == Decimal("33.33")
    assert indicators.milestone_on_time_rate(scj, "2026-Q2") == Decimal("100.00")
    assert indicators.milestone_on_time_rate(scj, "2026-Q1") == Decimal("0.00")
    assert indicators.milestone_on_time_rate(org["420281"], "2026") is None

    campaign = services.campaign_create(
        actor=people["fzb"],
        plan=plan,
        title="督察",
        year=2026,
        starts_on=MONDAY,
        ends_on=date(2026, 4, 30),
    )
    visit = campaign.visits.get(agency=scj)
    fixed = services.finding_add(actor=people["fzb"], visit=visit, text="甲", on=MONDAY)
    services.finding_add(
        actor=people["fzb"],
        visit=visit,
        text="乙",
        due_date=date(2026, 5, 29),
        on=MONDAY,
    )
    complete(people, fixed.rectification, date(2026, 3, 20))
    assert indicators.rectification_rate(scj, "2026") == Decimal("50.00")
    assert indicators.milestone_on_time_rate(scj, "2026") == Decimal("33.33")

    result = indicator_values_refresh(period="2026")
    assert not [e for e in result.errors if e.startswith("plan.")]
    values = dict(
        IndicatorValue.objects.filter(
            agency=scj,
            period="2026",
            is_current=True,
            indicator__code__startswith="plan.",
        ).values_list("indicator__code", "value")
    )
    assert values == {
        indicators.ON_TIME: Decimal("33.33"),
        indicators.RECTIFIED: Decimal("50.00"),
    }
