"""Documents in force over time: 有效期 warnings and expiry, 清理 campaigns
(keep / amend / repeal each document) and 后评估 records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines.calendar import WorkCalendar, fmt, today
from fazhi.kernel.deadlines.engine import compute_due
from fazhi.kernel.deadlines.rules import get_rule
from fazhi.kernel.notices.services import notice_send
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE, CASE_SUPERVISE
from fazhi.kernel.workflow.engine import Job

from .. import normative_workflow as wf
from ..models import (
    CleanupCampaign,
    CleanupItem,
    Disposition,
    NormativeDocument,
    PostEvaluation,
    Validity,
)
from .normative import _day, _end_validity, _text, end_filing, normative_repeal

EXPIRY_RULE = "normative.expiry_notice"
# The sweep as a scheduled job: the command runs as it, and whoever starts
# the sweep, the filing procedures it ends are ended in its name (the 有效期
# ran out; nobody decided it, and no person may fire those steps).
SWEEP = Job("normative-sweep")


def expiry_horizon(on: date | None = None) -> date:
    """The last 有效期 date that is warned about on `on` (rule
    normative.expiry_notice, counted by the deadlines kernel)."""
    rule = get_rule(EXPIRY_RULE)
    start = on or today()
    return compute_due(
        start=start,
        days=rule.days,
        unit=rule.unit,
        calendar=WorkCalendar.load(),
        rule=rule,
    ).due


@dataclass
class SweepResult:
    warned: int = 0
    expired: int = 0


def normative_expiry_sweep(*, actor: Any, on: date | None = None) -> SweepResult:
    """Warn drafters of documents whose 有效期 ends within the notice period,
    and mark documents past it 失效 (in the platform too), ending a filing
    procedure still open on them (报送备案, 备案审查, 补正) with its clocks,
    as `SWEEP`, in the same transaction.

    Safe to run twice at once: each row is claimed by a guarded UPDATE and
    only the run that won it acts on it."""
    on = on or today()
    horizon = expiry_horizon(on)
    result = SweepResult()
    in_force = NormativeDocument.objects.filter(validity=Validity.IN_FORCE)
    for nd in in_force.filter(expires_on__lt=on).select_related("case__agency"):
        with transaction.atomic():
            won = NormativeDocument.objects.filter(
                pk=nd.pk, validity=Validity.IN_FORCE
            ).update(validity=Validity.EXPIRED, validity_changed_on=on)
            if not won:
                continue
            nd.refresh_from_db()
            end_filing(
                actor=SWEEP,
                document=nd,
                steps=wf.EXPIRE_STEPS,
                on=on,
                note=f"有效期届满（有效期至{fmt(nd.expires_on)}）",
            )
            _end_validity(nd, Validity.EXPIRED, on, "有效期届满失效")
            audit_record(
                actor=actor,
                action="normative.expire",
                record_type="case",
                record_id=nd.case_id,
                payload={"expires_on": nd.expires_on},
            )
            result.expired += 1
    due = in_force.filter(
        expires_on__gte=on, expires_on__lte=horizon, expiry_notified_on__isnull=True
    ).select_related("case__agency", "case__created_by")
    for nd in due:
        with transaction.atomic():
            won = NormativeDocument.objects.filter(
                pk=nd.pk, expiry_notified_on__isnull=True
            ).update(expiry_notified_on=on)
            if not won:
                continue
            recipient = nd.case.created_by
            if recipient is not None:
                notice_send(
                    actor=actor,
                    recipient=recipient,
                    channel="inbox",
                    subject=f"规范性文件有效期即将届满：{nd.title}"[:120],
                    body=(
                        f"《{nd.title}》（{nd.doc_number}）有效期至{fmt(nd.expires_on)}。"
                        "请在届满前评估，需要继续施行的重新公布或修改，"
                        "不再施行的按规定废止。"
                    ),
                    case=nd.case,
                )
            audit_record(
                actor=actor,
                action="normative.expiry_warn",
                record_type="case",
                record_id=nd.case_id,
                payload={"expires_on": nd.expires_on},
            )
            result.warned += 1
    return result


# -- 清理 -----------------------------------------------------------------------


def cleanup_campaign_create(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    due_on: date,
    basis: str = "",
    started_on: date | None = None,
) -> CleanupCampaign:
    """Open a cleanup of every document in force in `agency`'s subtree."""
    if not can(actor, CASE_SUPERVISE, agency):
        raise PermissionDenied("您无权组织该机构的规范性文件清理")
    name = _text(name, "name", "清理名称", 200)
    basis = _text(basis, "basis", "清理依据", 300, required=False)
    start = _day(started_on, "started_on")
    if not isinstance(due_on, date) or due_on <= start:
        raise ValidationError({"due_on": "完成时限应晚于开始日期"})
    docs = NormativeDocument.objects.filter(
        validity=Validity.IN_FORCE, case__agency__path__startswith=agency.path
    ).order_by("published_on", "pk")
    with transaction.atomic():
        campaign = CleanupCampaign.objects.create(
            name=name, agency=agency, basis=basis, started_on=start, due_on=due_on
        )
        items = CleanupItem.objects.bulk_create(
            CleanupItem(campaign=campaign, document=nd) for nd in docs
        )
        audit_record(
            actor=actor,
            action="normative.cleanup_create",
            record_type="cleanup",
            record_id=campaign.pk,
            payload={"agency": agency.code, "name": name, "documents": len(items)},
        )
    return campaign


def cleanup_item_decide(
    *,
    actor: Any,
    item: CleanupItem,
    decision: str,
    note: str = "",
    on: date | None = None,
) -> CleanupItem:
    """The drafting agency's decision on one listed document. 废止 ends its
    validity at once; 修改 is recorded (the amendment is a new draft)."""
    nd = item.document
    if not can(actor, CASE_HANDLE, nd.case.agency):
        raise PermissionDenied("您无权对该文件提出清理意见")
    if item.campaign.closed_on is not None:
        raise ValidationError({"decision": "该清理已完成"})
    if decision not in (Disposition.KEEP, Disposition.AMEND, Disposition.REPEAL):
        raise ValidationError({"decision": "请选择继续有效、修改或废止"})
    note = _text(note, "note", "理由", 500, required=decision != Disposition.KEEP)
    on = _day(on, "on", not_before=item.campaign.started_on)
    with transaction.atomic():
        if decision == Disposition.REPEAL and nd.validity == Validity.IN_FORCE:
            normative_repeal(actor=actor, document=nd, reason=f"清理：{note}", on=on)
        item.decision, item.note, item.decided_on = decision, note, on
        item.save(update_fields=["decision", "note", "decided_on"])
        audit_record(
            actor=actor,
            action="normative.cleanup_decide",
            record_type="cleanup",
            record_id=item.campaign_id,
            payload={"case": nd.case.number, "decision": decision, "note": note},
        )
    return item


def cleanup_campaign_close(
    *, actor: Any, campaign: CleanupCampaign, on: date | None = None
) -> CleanupCampaign:
    if not can(actor, CASE_SUPERVISE, campaign.agency):
        raise PermissionDenied("您无权完成该清理")
    if campaign.closed_on is not None:
        raise ValidationError({"campaign": "该清理已完成"})
    pending = campaign.items.filter(decision=Disposition.PENDING).count()
    if pending:
        raise ValidationError({"campaign": f"还有 {pending} 件文件未提出清理意见"})
    on = _day(on, "on", not_before=campaign.started_on)
    with transaction.atomic():
        campaign.closed_on = on
        campaign.save(update_fields=["closed_on"])
        counts = {
            d: campaign.items.filter(decision=d).count()
            for d in (Disposition.KEEP, Disposition.AMEND, Disposition.REPEAL)
        }
        audit_record(
            actor=actor,
            action="normative.cleanup_close",
            record_type="cleanup",
            record_id=campaign.pk,
            payload={"closed_on": on, **counts},
        )
    return campaign


# -- 后评估 ---------------------------------------------------------------------


def post_evaluation_record(
    *,
    actor: Any,
    document: NormativeDocument,
    conclusion: str,
    summary: str,
    evaluated_on: date | None = None,
) -> PostEvaluation:
    """Record a post-evaluation; a 废止 conclusion ends the validity."""
    if not can(actor, CASE_HANDLE, document.case.agency):
        raise PermissionDenied("您无权为该文件记录后评估")
    if document.published_on is None:
        raise ValidationError({"conclusion": "文件尚未公布，不能进行后评估"})
    if conclusion not in (Disposition.KEEP, Disposition.AMEND, Disposition.REPEAL):
        raise ValidationError({"conclusion": "请选择评估结论"})
    summary = _text(summary, "summary", "评估报告摘要", 5000)
    on = _day(evaluated_on, "evaluated_on", not_before=document.published_on)
    with transaction.atomic():
        evaluation = PostEvaluation.objects.create(
            document=document,
            conclusion=conclusion,
            summary=summary,
            evaluated_on=on,
            author=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if conclusion == Disposition.REPEAL and document.validity == Validity.IN_FORCE:
            normative_repeal(
                actor=actor, document=document, reason="后评估结论：废止", on=on
            )
        audit_record(
            actor=actor,
            action="normative.evaluate",
            record_type="case",
            record_id=document.case_id,
            payload={"conclusion": conclusion, "evaluated_on": on},
        )
    return evaluation
