"""督办 (supervision notices) and 督察 (inspection campaigns).

A 督办 notice is a kernel case on the recipient unit with the reply clock of
rule plan.supervision_reply; its DOCX is generated from the record. A 督察
campaign lists every department and county-level government under the plan's
owner (督察全覆盖); each finding opens a rectification milestone due by rule
plan.rectification unless the inspectors set another date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines.calendar import fmt, today
from fazhi.kernel.deadlines.compute import compute
from fazhi.kernel.org.models import Agency
from fazhi.kernel.workflow.engine import case_open, case_transition, next_number

from ..models import Campaign, Finding, Milestone, Plan, PlanNode, Supervision, Visit
from ..workflow import SUPERVISION
from .common import clean_text, require_manage, within
from .work import _tell_unit, milestone_open

NOTICE_PREFIX = "法治督办"


def supervision_issue(
    *,
    actor: Any,
    milestone: Milestone,
    problem: str,
    requirement: str,
    on: date | None = None,
) -> Supervision:
    """Send a 督办 notice about a milestone to its unit; the reply clock starts."""
    require_manage(actor, milestone.agency)
    problem = clean_text(problem, "problem", _("督办事由"), limit=2000)
    requirement = clean_text(requirement, "requirement", _("督办要求"), limit=2000)
    if milestone.completed_on is not None:
        raise ValidationError({"milestone": _("该任务已完成，无需督办。")})
    on = on or today()
    with transaction.atomic():
        seq = int(next_number("FZDBWH", on.year).rsplit("-", 1)[1])
        case = case_open(
            actor=actor,
            case_type=SUPERVISION,
            agency=milestone.agency,
            title=f"督办：{milestone.title}"[:255],
            opened_on=on,
        )
        notice = Supervision.objects.create(
            milestone=milestone,
            case=case,
            number=f"{NOTICE_PREFIX}〔{on.year}〕{seq}号",
            problem=problem,
            requirement=requirement,
            issued_on=on,
        )
        audit_record(
            actor=actor,
            action="plan.supervision_issue",
            record_type="case",
            record_id=milestone.case_id,
            payload={"notice": notice.number, "case": case.number},
        )
        _tell_unit(
            actor=actor,
            agency=milestone.agency,
            case=case,
            subject=_("督办通知 %(n)s：%(t)s")
            % {"n": notice.number, "t": milestone.title},
        )
    return notice


def supervision_answer(
    *, actor: Any, supervision: Supervision, answer: str, on: date | None = None
) -> Supervision:
    """The unit reports what it did about the 督办 (stops the reply clock)."""
    answer = clean_text(answer, "answer", _("办理情况"), limit=5000)
    on = on or today()
    with transaction.atomic():
        case_transition(
            actor=actor, case=supervision.case, transition="answer", note=answer, on=on
        )
        Supervision.objects.filter(pk=supervision.pk).update(
            answer=answer, answered_on=on
        )
        supervision.answer, supervision.answered_on = answer, on
    return supervision


def supervision_close(
    *, actor: Any, supervision: Supervision, reopen: bool = False, note: str = ""
) -> Supervision:
    """The office closes the 督办, or asks for a new answer (clock restarts)."""
    case_transition(
        actor=actor,
        case=supervision.case,
        transition="reopen" if reopen else "close",
        note=note,
    )
    return supervision


def campaign_units(owner: Agency) -> list[Agency]:
    """Who a 督察全覆盖 must reach: the owner's departments and the county-level
    governments directly under it."""
    return list(
        Agency.objects.filter(
            parent=owner,
            is_active=True,
            level__in=[Agency.Level.DEPARTMENT, Agency.Level.COUNTY],
        ).order_by("path")
    )


def campaign_create(
    *,
    actor: Any,
    plan: Plan,
    title: str,
    year: int,
    starts_on: date,
    ends_on: date,
    agencies: list[Agency] | None = None,
) -> Campaign:
    require_manage(actor, plan.owner, plan_wide=True)
    title = clean_text(title, "title", _("督察名称"), limit=255)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    units = agencies if agencies is not None else campaign_units(plan.owner)
    if not units:
        raise ValidationError({"agencies": _("请选择督察对象。")})
    for agency in units:
        if not within(agency, plan.owner):
            raise ValidationError(
                {"agencies": _("%(a)s不在本方案范围内。") % {"a": agency.name}}
            )
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title,
            plan=plan,
            year=year,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        Visit.objects.bulk_create([Visit(campaign=campaign, agency=a) for a in units])
        audit_record(
            actor=actor,
            action="plan.campaign_create",
            record_type="plan_campaign",
            record_id=campaign.pk,
            payload={"title": title, "units": [a.code for a in units]},
        )
    return campaign


def visit_record(*, actor: Any, visit: Visit, visited_on: date, summary: str) -> Visit:
    require_manage(actor, visit.agency)
    summary = clean_text(summary, "summary", _("督察情况"), limit=5000)
    campaign = visit.campaign
    if not campaign.starts_on <= visited_on <= campaign.ends_on:
        raise ValidationError(
            {
                "visited_on": _("督察日期应在督察期间（%(a)s至%(b)s）内。")
                % {"a": fmt(campaign.starts_on), "b": fmt(campaign.ends_on)}
            }
        )
    if visited_on > today():
        raise ValidationError({"visited_on": _("督察日期不能晚于今天。")})
    with transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(visited_on=visited_on, summary=summary)
        visit.visited_on, visit.summary = visited_on, summary
        audit_record(
            actor=actor,
            action="plan.visit_record",
            record_type="plan_campaign",
            record_id=campaign.pk,
            payload={"agency": visit.agency.code, "on": visited_on},
        )
    return visit


def finding_add(
    *,
    actor: Any,
    visit: Visit,
    text: str,
    node: PlanNode | None = None,
    due_date: date | None = None,
    on: date | None = None,
) -> Finding:
    """Record a problem found; it becomes a rectification milestone for the unit."""
    require_manage(actor, visit.agency)
    text = clean_text(text, "text", _("发现问题"), limit=2000)
    on = on or today()
    if due_date is None:
        # The period comes from its rule (local override and calendar included).
        due = compute(start=on, rule_id="plan.rectification")["due"]
        due_date = date.fromisoformat(due)
    with transaction.atomic():
        milestone = milestone_open(
            actor=actor,
            agency=visit.agency,
            title=_("督察整改：%(t)s") % {"t": text[:80]},
            due_date=due_date,
            node=node,
            kind=Milestone.Kind.RECTIFICATION,
            opened_on=on,
        )
        finding = Finding.objects.create(
            visit=visit, text=text, rectification=milestone
        )
        audit_record(
            actor=actor,
            action="plan.finding_add",
            record_type="plan_campaign",
            record_id=visit.campaign_id,
            payload={"agency": visit.agency.code, "milestone": milestone.case.number},
        )
    return finding
