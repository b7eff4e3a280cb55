"""Closing feedback (办结反馈): 回访, 好差评, 发回重办, 差评整改, 申诉复核."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines.calendar import today

from .. import rules
from ..models import Rating, Ticket, Visit
from ..rollup import ticket_sync
from ..workflow import (
    APPEALING,
    CLOSED,
    RECTIFY,
    RECTIFYING,
    REPLIED,
)
from .common import (
    check_day,
    clean_text,
    fire,
    is_dispatcher,
    require_dispatcher,
    stopped_on_time,
)
from .dispatch import start_handle_clock

RATEABLE = frozenset({REPLIED, CLOSED})


def _grade(value: Any) -> int:
    try:
        grade = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"grade": "评价应为 1 至 5"}) from None
    if grade not in rules.GRADES:
        raise ValidationError({"grade": "评价应为 1 至 5"})
    return grade


def rating_submit(
    *,
    actor: Any,
    ticket: Ticket,
    grade: Any,
    comment: str = "",
    channel: str = rules.Channel.PORTAL,
    on: date | None = None,
) -> Rating:
    """One rating per ticket. A 差评 goes into rectification at once when the
    centre records it, or waits in the centre's queue when the citizen gave it
    on the portal (the centre confirms, the period counts from the rating)."""
    grade = _grade(grade)
    comment = clean_text(comment, "comment", "评价意见", 500, False)
    if ticket.case.state not in RATEABLE:
        raise ValidationError({"grade": "工单答复后才能评价"})
    if Rating.objects.filter(ticket=ticket).exists():
        raise ValidationError({"grade": "该工单已评价，每件诉求只能评价一次"})
    on = on or today()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                ticket=ticket,
                grade=grade,
                comment=comment,
                channel=channel,
                rated_on=on,
            )
            ticket_sync(ticket)
            audit_record(
                actor=actor,
                action="hotline.rate",
                record_type="case",
                record_id=ticket.pk,
                payload={"grade": grade, "channel": channel},
            )
            if rating.is_bad:
                ticket.rectification_pending = True
                ticket.save(update_fields=["rectification_pending"])
                if ticket.case.state == CLOSED and is_dispatcher(actor):
                    ticket_rectify(actor=actor, ticket=ticket)
    except IntegrityError:
        raise ValidationError({"grade": "该工单已评价，每件诉求只能评价一次"}) from None
    return rating


def ticket_visit(
    *,
    actor: Any,
    ticket: Ticket,
    reached: bool = True,
    note: str = "",
    grade: Any = None,
    comment: str = "",
    on: date | None = None,
) -> Ticket:
    """回访 closes the ticket; a grade given on the call is the rating."""
    require_dispatcher(actor)
    note = clean_text(note, "note", "回访记录", 1000, False)
    on = check_day(on, "on", not_before=ticket.replied_on)
    if grade not in (None, "") and reached is False:
        raise ValidationError({"grade": "未联系上诉求人，不能代为评价"})
    with transaction.atomic():
        fire(actor=actor, ticket=ticket, transition="visit_close", on=on, note=note)
        Visit.objects.create(
            ticket=ticket,
            visited_on=on,
            reached=reached,
            note=note,
            by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        ticket.closed_on = on
        ticket.save(update_fields=["closed_on"])
        if grade not in (None, ""):
            rating_submit(
                actor=actor,
                ticket=ticket,
                grade=grade,
                comment=comment,
                channel=rules.Channel.PHONE,
                on=on,
            )
        elif ticket.rectification_pending:
            ticket_rectify(actor=actor, ticket=ticket)
    return ticket


def ticket_redo(
    *, actor: Any, ticket: Ticket, reason: str, on: date | None = None
) -> Ticket:
    """发回重办: the reply did not answer; the handling period runs afresh."""
    require_dispatcher(actor)
    reason = clean_text(reason, "reason", "发回理由", 500, True)
    on = check_day(on, "on")
    with transaction.atomic():
        fire(actor=actor, ticket=ticket, transition="redo", on=on, note=reason)
        ticket.redo_count += 1
        ticket.handled_on_time = None
        ticket.save(update_fields=["redo_count", "handled_on_time"])
        ticket_sync(ticket)
        start_handle_clock(actor=actor, ticket=ticket, on=on)
    return ticket


def ticket_rectify(*, actor: Any, ticket: Ticket) -> Ticket:
    """Open the rectification of a 差评, due 15 working days from the rating."""
    require_dispatcher(actor)
    rating = Rating.objects.filter(ticket=ticket).first()
    if rating is None or not rating.is_bad:
        raise ValidationError({"rating": "该工单没有有效的差评"})
    with transaction.atomic():
        fire(
            actor=actor,
            ticket=ticket,
            transition="rectify",
            on=rating.rated_on,
            note=f"差评（{rating.get_grade_display()}）：{rating.comment}"[:500],
        )
        ticket.rectification_pending = False
        ticket.save(update_fields=["rectification_pending"])
    return ticket


def rectification_done(
    *, actor: Any, ticket: Ticket, report: str, on: date | None = None
) -> Ticket:
    report = clean_text(report, "report", "整改情况", rules.TEXT_MAX, True)
    fire(
        actor=actor,
        ticket=ticket,
        transition="rectify_done",
        on=check_day(on, "on"),
        note=report,
    )
    return ticket


def rating_appeal(
    *, actor: Any, ticket: Ticket, reason: str, on: date | None = None
) -> Ticket:
    """The agency says the 差评 was mistaken (e.g. about another matter)."""
    reason = clean_text(reason, "reason", "申诉理由", 500, True)
    if ticket.case.state != RECTIFYING:
        raise ValidationError({"reason": "只有整改中的差评可以申诉"})
    with transaction.atomic():
        fire(
            actor=actor,
            ticket=ticket,
            transition="appeal",
            on=check_day(on, "on"),
            note=reason,
        )
        Rating.objects.filter(ticket=ticket).update(appeal_reason=reason)
    return ticket


def appeal_decide(
    *, actor: Any, ticket: Ticket, uphold: bool, note: str, on: date | None = None
) -> Ticket:
    """申诉复核: upheld voids the rating and ends rectification; refused resumes it."""
    note = clean_text(note, "note", "复核意见", 500, True)
    if ticket.case.state != APPEALING:
        raise ValidationError({"note": "该工单没有待复核的申诉"})
    require_dispatcher(actor)
    with transaction.atomic():
        fire(
            actor=actor,
            ticket=ticket,
            transition="appeal_uphold" if uphold else "appeal_reject",
            on=check_day(on, "on"),
            note=note,
        )
        Rating.objects.filter(ticket=ticket).update(appeal_decision=note, voided=uphold)
        ticket_sync(ticket)
    return ticket


def rectification_on_time(ticket: Ticket) -> bool | None:
    return stopped_on_time(ticket, RECTIFY)
