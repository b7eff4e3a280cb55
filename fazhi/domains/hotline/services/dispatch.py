"""At the centre: dispatch by responsibility (按责转办), direct answers,
returns and escalation (退回/提级), merging duplicates."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines import services as clocks
from fazhi.kernel.deadlines.calendar import fmt, today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.notices.services import notice_send
from fazhi.kernel.org.models import Agency, ResponsibilityItem
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.kernel.workflow.alerts import responsible_handlers
from fazhi.kernel.workflow.models import Case

from .. import rules
from ..models import Routing, Ticket
from ..rollup import ticket_sync
from ..workflow import AT_CENTRE, HANDLE
from .common import (
    centre,
    check_day,
    clean_text,
    fire,
    require_dispatcher,
    stopped_on_time,
    tell_caller,
)


def _set_owner(ticket: Ticket, agency: Agency) -> None:
    # The owning agency is not workflow state: it says whose inbox and whose
    # scope the ticket is in, and moves with dispatch and return.
    Case.objects.filter(pk=ticket.pk).update(agency=agency)
    ticket.case.agency = agency


def start_handle_clock(*, actor: Any, ticket: Ticket, on: date) -> None:
    """The type's handling period counts from dispatch (a praise has none)."""
    rule = rules.HANDLE_RULE[ticket.ticket_type]
    if rule:
        clocks.clock_start(
            actor=actor, case=ticket.case, name=HANDLE, start=on, rule_id=rule
        )


def stop_handle_clock(*, actor: Any, ticket: Ticket, on: date) -> None:
    clock = Clock.objects.filter(case_id=ticket.pk, name=HANDLE).first()
    if clock is not None and clock.state != Clock.State.STOPPED:
        clocks.clock_stop(actor=actor, clock=clock, on=max(on, clock.start_date))


def _tell_agencies(
    *, actor: Any, ticket: Ticket, lead: Agency, assist: list[Agency]
) -> None:
    """An inbox notice to the handlers of each agency the ticket went to."""
    sign = Clock.objects.filter(case_id=ticket.pk, name="sign").first()
    due = f"，请于{fmt(sign.due_date)}前签收或退回" if sign else ""
    for agency, role in [(lead, "主办"), *((a, "协办") for a in assist)]:
        for user in responsible_handlers(agency):
            notice_send(
                actor=actor,
                recipient=user,
                channel="inbox",
                subject=f"12345工单待{role}：{ticket.case.number}",
                body=f"{ticket.case.title}{due}。",
                case=ticket.case,
            )


def ticket_dispatch(
    *,
    actor: Any,
    ticket: Ticket,
    agency: Agency,
    assist: list[Agency] | None = None,
    item: ResponsibilityItem | None = None,
    note: str = "",
    on: date | None = None,
) -> Ticket:
    """Send the ticket to `agency` as lead, `assist` as co-handlers."""
    require_dispatcher(actor)
    if ticket.case.state not in AT_CENTRE:
        raise ValidationError({"state": "工单不在热线中心，不能派单"})
    hub = centre()
    assist = [a for a in (assist or []) if a.pk != agency.pk]
    for a in [agency, *assist]:
        if not a.is_active:
            raise ValidationError({"agency": f"{a.name}已停用"})
        if a.pk == hub.pk:
            raise ValidationError({"agency": "不能派给热线中心自身"})
    if item is not None and item.agency_id != agency.pk:
        raise ValidationError({"item": "权责事项不属于主办单位"})
    note = clean_text(note, "note", "派单意见", 500, False)
    on = check_day(on, "on", not_before=ticket.received_on)
    suggested = [s["agency_id"] for s in ticket.suggestion.get("agencies", [])]
    followed = bool(suggested) and suggested[0] == agency.pk
    with transaction.atomic():
        fire(
            actor=actor,
            ticket=ticket,
            transition="dispatch",
            on=on,
            note=note,
            agency=agency.code,
            assist=[a.code for a in assist],
        )
        ticket.routes.filter(active=True).update(active=False)
        by = actor if getattr(actor, "is_authenticated", False) else None
        Routing.objects.create(
            ticket=ticket,
            agency=agency,
            role=Routing.Role.LEAD,
            dispatched_on=on,
            dispatched_by=by,
            followed_suggestion=followed,
            note=note,
        )
        for a in assist:
            Routing.objects.create(
                ticket=ticket,
                agency=a,
                role=Routing.Role.ASSIST,
                dispatched_on=on,
                dispatched_by=by,
                note=note,
            )
        _set_owner(ticket, agency)
        ticket.dispatched_on, ticket.item = on, item
        ticket.save(update_fields=["dispatched_on", "item"])
        ticket_sync(ticket)  # counts move from the centre to the lead agency
        start_handle_clock(actor=actor, ticket=ticket, on=on)
        _tell_agencies(actor=actor, ticket=ticket, lead=agency, assist=assist)
        audit_record(
            actor=actor,
            action="hotline.route",
            record_type="case",
            record_id=ticket.pk,
            payload={
                "lead": agency.code,
                "assist": [a.code for a in assist],
                "item": item.code if item else None,
                "followed_suggestion": followed,
                "suggested": suggested[:3],
            },
        )
    return ticket


def ticket_answer_direct(
    *, actor: Any, ticket: Ticket, answer: str, on: date | None = None
) -> Ticket:
    """The centre answers a consultation itself (直接答复) and closes it."""
    require_dispatcher(actor)
    if ticket.ticket_type != rules.TicketType.CONSULT:
        raise ValidationError({"answer": "只有咨询类工单可以直接答复"})
    answer = clean_text(answer, "answer", "答复内容", rules.TEXT_MAX, True)
    on = check_day(on, "on", not_before=ticket.received_on)
    with transaction.atomic():
        fire(actor=actor, ticket=ticket, transition="answer_direct", on=on, note="")
        ticket.direct_answer = True
        ticket.reply_text, ticket.replied_on, ticket.closed_on = answer, on, on
        ticket.handled_on_time = True
        ticket.save(
            update_fields=[
                "direct_answer",
                "reply_text",
                "replied_on",
                "closed_on",
                "handled_on_time",
            ]
        )
        ticket_sync(ticket)
        tell_caller(
            actor=actor,
            ticket=ticket,
            subject="12345热线答复",
            body=f"您的诉求（{ticket.case.number}）已答复，可凭编号和手机尾号查询。",
        )
    return ticket


def ticket_sign(*, actor: Any, ticket: Ticket, on: date | None = None) -> Ticket:
    on = check_day(on, "on", not_before=ticket.dispatched_on)
    with transaction.atomic():
        fire(actor=actor, ticket=ticket, transition="sign", on=on)
        ticket.signed_on = on
        ticket.signed_on_time = stopped_on_time(ticket, "sign")
        ticket.save(update_fields=["signed_on", "signed_on_time"])
        ticket_sync(ticket)
    return ticket


def ticket_return(
    *, actor: Any, ticket: Ticket, reason: str, on: date | None = None
) -> Ticket:
    """The agency says the ticket is not theirs (退回). The third return of one
    ticket goes to the centre's coordinator instead of the dispatch queue."""
    reason = clean_text(reason, "reason", "退回理由", 500, True)
    on = check_day(on, "on", not_before=ticket.dispatched_on)
    count = ticket.return_count + 1
    escalate = count >= rules.RETURNS_BEFORE_ESCALATION
    with transaction.atomic():
        fire(
            actor=actor,
            ticket=ticket,
            transition="return_escalate" if escalate else "return_ticket",
            on=on,
            note=reason,
            returns=count,
        )
        stop_handle_clock(actor=actor, ticket=ticket, on=on)
        ticket.routes.filter(active=True).update(
            active=False, return_reason=reason, returned_on=on
        )
        _set_owner(ticket, centre())
        ticket.return_count = count
        ticket.save(update_fields=["return_count"])
        ticket_sync(ticket)  # back to the centre's counts
    return ticket


def ticket_merge(
    *, actor: Any, ticket: Ticket, into: Ticket, on: date | None = None
) -> Ticket:
    """Fold a duplicate into the ticket it repeats; both keep their history."""
    require_dispatcher(actor)
    if into.pk == ticket.pk:
        raise ValidationError({"into": "不能合并到自身"})
    if into.merged_into_id is not None:
        raise ValidationError({"into": "目标工单已被合并，请合并到其主工单"})
    if ticket.merged.exists():
        raise ValidationError({"ticket": "该工单已有被合并的工单，请反向合并"})
    on = check_day(on, "on")
    with transaction.atomic():
        fire(
            actor=actor,
            ticket=ticket,
            transition="merge",
            on=on,
            note=f"并入 {into.case.number}",
            into=into.case.number,
        )
        ticket.merged_into = into
        ticket.save(update_fields=["merged_into"])
        ticket_sync(ticket)
        audit_record(
            actor=actor,
            action="hotline.merge_in",
            record_type="case",
            record_id=into.pk,
            payload={"merged": ticket.case.number},
        )
    return ticket


def assist_opinion(*, actor: Any, ticket: Ticket, opinion: str) -> Routing:
    """A co-handling agency gives its opinion to the lead (协办意见)."""
    opinion = clean_text(opinion, "opinion", "协办意见", rules.TEXT_MAX, True)
    route = next(
        (
            r
            for r in ticket.routes.filter(active=True, role=Routing.Role.ASSIST)
            .select_related("agency")
            .order_by("id")
            if can(actor, CASE_HANDLE, r.agency)
        ),
        None,
    )
    if route is None:
        raise PermissionDenied("您所在单位不是该工单的协办单位")
    with transaction.atomic():
        route.opinion = opinion
        route.save(update_fields=["opinion"])
        audit_record(
            actor=actor,
            action="hotline.assist",
            record_type="case",
            record_id=ticket.pk,
            payload={"agency": route.agency.code, "on": today()},
        )
    return route
