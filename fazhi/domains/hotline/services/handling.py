"""In the agency: pause, extension on approval, reply."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.rules import get_rule
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE

from .. import rules
from ..models import ExtensionRequest, Ticket
from ..rollup import ticket_sync
from ..workflow import HANDLE, HANDLING
from .common import (
    check_day,
    clean_text,
    fire,
    require_dispatcher,
    stopped_on_time,
    tell_caller,
)


def ticket_pause(
    *, actor: Any, ticket: Ticket, reason: str, on: date | None = None
) -> Ticket:
    """中止: the count stops (waiting for the caller, a court, a season)."""
    reason = clean_text(reason, "reason", "中止理由", 500, True)
    fire(
        actor=actor,
        ticket=ticket,
        transition="pause",
        on=check_day(on, "on"),
        note=reason,
    )
    return ticket


def ticket_resume(*, actor: Any, ticket: Ticket, on: date | None = None) -> Ticket:
    fire(actor=actor, ticket=ticket, transition="resume", on=check_day(on, "on"))
    return ticket


def extension_request(
    *, actor: Any, ticket: Ticket, days: Any, reason: str
) -> ExtensionRequest:
    """The agency asks the centre for more time; at most the type's own period."""
    if not can(actor, CASE_HANDLE, ticket.case.agency):
        raise PermissionDenied("您无权办理该工单")
    if ticket.case.state != HANDLING:
        raise ValidationError({"state": "只有办理中的工单可以申请延期"})
    rule_id = rules.HANDLE_RULE[ticket.ticket_type]
    if not rule_id:
        raise ValidationError({"days": "该类工单没有办理时限"})
    limit = get_rule(rule_id).days
    try:
        n = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": "延期天数应为整数"}) from None
    if not 1 <= n <= limit:
        raise ValidationError({"days": f"延期天数应在 1 至 {limit} 个工作日之间"})
    reason = clean_text(reason, "reason", "延期理由", 500, True)
    if ticket.extensions.filter(approved__isnull=True).exists():
        raise ValidationError({"days": "已有待审批的延期申请"})
    with transaction.atomic():
        req = ExtensionRequest.objects.create(
            ticket=ticket,
            days=n,
            reason=reason,
            requested_on=today(),
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="hotline.extension_request",
            record_type="case",
            record_id=ticket.pk,
            payload={"days": n, "reason": reason},
        )
    return req


def extension_decide(
    *, actor: Any, request: ExtensionRequest, approve: bool, note: str
) -> ExtensionRequest:
    """The centre approves (the handle clock grows) or refuses."""
    require_dispatcher(actor)
    if request.approved is not None:
        raise ValidationError({"approve": "该延期申请已审批"})
    note = clean_text(note, "note", "审批意见", 500, True)
    ticket = request.ticket
    with transaction.atomic():
        if approve:
            fire(
                actor=actor,
                ticket=ticket,
                transition="extend",
                on=today(),
                note=f"批准延期{request.days}个工作日：{request.reason}；{note}",
                extension_days=request.days,
            )
        else:
            audit_record(
                actor=actor,
                action="hotline.extension_refuse",
                record_type="case",
                record_id=ticket.pk,
                payload={"days": request.days, "note": note},
            )
        request.approved, request.decided_on = approve, today()
        request.decision_note = note
        request.save(update_fields=["approved", "decided_on", "decision_note"])
    return request


def ticket_reply(
    *, actor: Any, ticket: Ticket, text: str, on: date | None = None
) -> Ticket:
    """The lead agency answers the caller; the handle clock stops."""
    text = clean_text(text, "text", "答复内容", rules.TEXT_MAX, True)
    on = check_day(on, "on", not_before=ticket.signed_on)
    with transaction.atomic():
        fire(actor=actor, ticket=ticket, transition="reply", on=on)
        ticket.reply_text, ticket.replied_on = text, on
        ticket.handled_on_time = stopped_on_time(ticket, HANDLE)
        ticket.save(update_fields=["reply_text", "replied_on", "handled_on_time"])
        ticket_sync(ticket)
        tell_caller(
            actor=actor,
            ticket=ticket,
            subject="12345热线答复",
            body=f"您的诉求（{ticket.case.number}）已办理答复，"
            "可凭编号和手机尾号查询并评价。",
        )
    return ticket
