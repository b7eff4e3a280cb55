"""Assignment, milestones and progress reports.

A milestone is a kernel case of type plan.milestone on the responsible
unit's agency: its due clock, the timeline, the yellow/red sweep and the
督办提醒 to the unit's handlers all come from the kernel. Units report
progress (case.handle on their agency); the office accepts, completes or
sends back (plan.manage), each step a workflow transition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines.calendar import fmt, today
from fazhi.kernel.deadlines.rules import MAX_DAYS
from fazhi.kernel.notices.services import notice_send
from fazhi.kernel.org.models import Agency
from fazhi.kernel.uploads import check_uploads
from fazhi.kernel.workflow.alerts import responsible_handlers
from fazhi.kernel.workflow.engine import case_open, case_transition

from ..models import Assignment, Evidence, Milestone, PlanNode, ProgressReport
from ..rules import COMPLETE, EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES
from ..workflow import MILESTONE
from .common import clean_text, require_manage, within

ASSIGNABLE = (PlanNode.Kind.TASK, PlanNode.Kind.MEASURE)


def task_assign(*, actor: Any, node: PlanNode, agency: Agency, role: str) -> Assignment:
    """Make `agency` lead (牵头) or co-responsible (配合) for a task or measure."""
    require_manage(actor, node.plan.owner, plan_wide=True)
    if node.kind not in ASSIGNABLE or not node.is_active:
        raise ValidationError({"node": _("只能给任务或举措分配责任单位。")})
    if role not in Assignment.Role.values:
        raise ValidationError({"role": _("责任类型应为牵头单位或配合单位。")})
    if not within(agency, node.plan.owner) or not agency.is_active:
        raise ValidationError({"agency": _("责任单位须是本方案制定机关所辖机构。")})
    with transaction.atomic():
        row, created = Assignment.objects.select_for_update().get_or_create(
            node=node, agency=agency, defaults={"role": role}
        )
        if not created and row.role == role:
            return row
        before = None if created else row.role
        row.role = role
        row.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action="plan.assign",
            record_type="plan_node",
            record_id=node.pk,
            payload={"agency": agency.code, "role": role, "before": before},
        )
    return row


def task_unassign(*, actor: Any, assignment: Assignment) -> None:
    node = assignment.node
    require_manage(actor, node.plan.owner, plan_wide=True)
    if Milestone.objects.filter(node=node, agency=assignment.agency).exists():
        raise ValidationError({"agency": _("该单位已有节点任务，不能取消分工。")})
    with transaction.atomic():
        assignment.delete()
        audit_record(
            actor=actor,
            action="plan.unassign",
            record_type="plan_node",
            record_id=node.pk,
            payload={"agency": assignment.agency.code},
        )


def _tell_unit(*, actor: Any, agency: Agency, case: Any, subject: str) -> None:
    for user in responsible_handlers(agency):
        notice_send(
            actor=actor,
            recipient=user,
            channel="inbox",
            subject=subject,
            body=f"{case.title}（{case.number}）",
            case=case,
        )


def milestone_open(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    due_date: date,
    node: PlanNode | None,
    kind: str = Milestone.Kind.MILESTONE,
    opened_on: date | None = None,
) -> Milestone:
    """Open a milestone case for `agency` due on `due_date` (no permission check:
    callers check theirs)."""
    title = clean_text(title, "title", _("节点任务"), limit=200)
    opened_on = opened_on or today()
    if not isinstance(due_date, date):
        raise ValidationError({"due_date": _("请填写完成时限。")})
    if due_date <= opened_on:
        raise ValidationError(
            {"due_date": _("完成时限应晚于下达日期（%(d)s）。") % {"d": fmt(opened_on)}}
        )
    if (due_date - opened_on).days > MAX_DAYS:
        raise ValidationError({"due_date": _("完成时限不能超过十年。")})
    label = node.label if node else _("督察整改")
    with transaction.atomic():
        case = case_open(
            actor=actor,
            case_type=MILESTONE,
            agency=agency,
            title=f"{label}：{title}"[:255],
            opened_on=opened_on,
            payload={
                "due_days": (due_date - opened_on).days,
                "due_unit": "natural",
            },
        )
        # A natural-day period ending on a rest day moves to the next working
        # day (民法典 art. 203); the milestone shows the date the clock keeps.
        clock = case.clocks.get(name="due")
        milestone = Milestone.objects.create(
            node=node,
            agency=agency,
            case=case,
            kind=kind,
            title=title,
            due_date=clock.due_date,
        )
        _tell_unit(
            actor=actor,
            agency=agency,
            case=case,
            subject=_("新的法治政府建设任务：%(t)s，%(d)s前完成")
            % {"t": title, "d": fmt(milestone.due_date)},
        )
    return milestone


def milestone_create(
    *,
    actor: Any,
    node: PlanNode,
    agency: Agency,
    title: str,
    due_date: date,
    opened_on: date | None = None,
) -> Milestone:
    """A dated piece of an assigned task for one of its units."""
    require_manage(actor, node.plan.owner, plan_wide=True)
    if not Assignment.objects.filter(node=node, agency=agency).exists():
        raise ValidationError({"agency": _("请先把该任务分配给这个单位。")})
    return milestone_open(
        actor=actor,
        agency=agency,
        title=title,
        due_date=due_date,
        node=node,
        opened_on=opened_on,
    )


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


# Evidence a unit may attach: documents, scans and photos.
EVIDENCE_KINDS = ("pdf", "ofd", "docx", "xlsx", "ole", "jpeg", "png")


def progress_report_submit(
    *,
    actor: Any,
    milestone: Milestone,
    text: str,
    progress: int | str,
    files: list[Upload] | None = None,
    on: date | None = None,
) -> ProgressReport:
    """A unit reports progress on its milestone, with evidence files."""
    text = clean_text(text, "text", _("进展情况"), limit=5000)
    try:
        percent = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({"progress": _("完成进度应为0到100的整数。")}) from None
    if not 0 <= percent <= COMPLETE:
        raise ValidationError({"progress": _("完成进度应为0到100的整数。")})
    checked = check_uploads(
        [(f.name, f.data) for f in files or []],
        accept=EVIDENCE_KINDS,
        max_files=EVIDENCE_MAX_FILES,
        max_bytes=EVIDENCE_MAX_BYTES,
        field="files",
    )
    with transaction.atomic():
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        report = ProgressReport.objects.create(
            milestone=milestone,
            text=text,
            progress=percent,
            status=ProgressReport.Status.SUBMITTED,
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
            submitted_at=timezone.now(),
        )
        for f in checked:
            Evidence.objects.create(
                report=report,
                name=f.name[:255],
                content_type=f.mime,
                size=f.size,
                sha256=f.sha256,
                data=f.data,
            )
        case_transition(
            actor=actor,
            case=milestone.case,
            transition="report",
            note=text[:500],
            on=on,
            payload={
                "report": report.pk,
                "progress": percent,
                "evidence": [{"name": f.name, "sha256": f.sha256} for f in checked],
            },
        )
    return report


def progress_report_review(
    *,
    actor: Any,
    report: ProgressReport,
    decision: str,
    score: int | str | None = None,
    note: str = "",
    on: date | None = None,
) -> ProgressReport:
    """The office's review: "accept" (keep going), "complete" or "send_back"."""
    milestone = report.milestone
    require_manage(actor, milestone.agency)
    transitions = {
        "accept": "progress_accept",
        "complete": "complete",
        "send_back": "send_back",
    }
    if decision not in transitions:
        raise ValidationError({"decision": _("请选择审核结论。")})
    points = None
    if score not in (None, ""):
        try:
            points = int(score)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationError({"score": _("评分应为0到100的整数。")}) from None
        if not 0 <= points <= 100:
            raise ValidationError({"score": _("评分应为0到100的整数。")})
    if decision == "send_back" and not note.strip():
        raise ValidationError({"note": _("退回时请写明理由。")})
    on = on or today()
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ProgressReport.Status.SUBMITTED:
            raise ValidationError({"decision": _("该报告已经审核过了。")})
        milestone = Milestone.objects.select_for_update().get(pk=report.milestone_id)
        case_transition(
            actor=actor,
            case=milestone.case,
            transition=transitions[decision],
            note=note,
            on=on,
            payload={"report": report.pk, "score": points},
        )
        report.status = (
            ProgressReport.Status.RETURNED
            if decision == "send_back"
            else ProgressReport.Status.ACCEPTED
        )
        report.score, report.review_note = points, note.strip()
        report.reviewed_by = (
            actor if getattr(actor, "is_authenticated", False) else None
        )
        report.reviewed_at = timezone.now()
        report.save()
        if decision != "send_back":
            milestone.progress = COMPLETE if decision == "complete" else report.progress
            if decision == "complete":
                milestone.completed_on = on
            milestone.save(update_fields=["progress", "completed_on"])
        if decision == "send_back":
            _tell_unit(
                actor=actor,
                agency=milestone.agency,
                case=milestone.case,
                subject=_("进展报告被退回：%(t)s") % {"t": milestone.title},
            )
    return report
