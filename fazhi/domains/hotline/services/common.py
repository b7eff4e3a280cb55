"""Helpers the hotline services share."""

import unicodedata
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.kernel.deadlines.inputs import check_day as kernel_check_day
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.notices.services import notice_send
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can
from fazhi.kernel.textzh import validate_phone
from fazhi.kernel.workflow.engine import TransitionDenied, case_transition

from .. import rules
from ..models import Ticket
from ..suggest import Catalogue, catalogue
from ..workflow import HOTLINE_DISPATCH


def centre(cat: Catalogue | None = None) -> Agency:
    """The 12345 centre (settings.HOTLINE_CENTRE_AGENCY, default the city's
    政务服务和大数据管理局)."""
    code = getattr(settings, "HOTLINE_CENTRE_AGENCY", rules.CENTRE_AGENCY_CODE)
    # From the in-process catalogue (suggest.py), checked against the database
    # on each use, so a new or changed agency is seen at once; `cat`: the copy
    # the caller has checked already.
    return (cat or catalogue()).agency(code)


_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def is_dispatcher(actor: Any) -> bool:
    """Holds hotline.dispatch at the centre. Every role carrying the permission
    has it on its own agency too, so the centre's steps check it here, where
    the centre is, and the engine then checks it on the ticket's agency."""
    return can(actor, HOTLINE_DISPATCH, centre())


def require_dispatcher(actor: Any) -> None:
    if not is_dispatcher(actor):
        raise TransitionDenied("只有12345热线中心可以执行此操作")


def clean_text(value: Any, field: str, label: str, limit: int, required: bool) -> str:
    text = value.strip() if isinstance(value, str) else ""
    # Zero-width characters hide text from reviewers; control characters (a
    # NUL breaks PostgreSQL, others make the Open311 XML invalid) mean nothing.
    text = "".join(
        ch
        for ch in text
        if ch not in _INVISIBLE and (ch in "\n\t" or unicodedata.category(ch) != "Cc")
    )
    if required and not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > limit:
        raise ValidationError({field: f"{label}不能超过 {limit} 个字"})
    return text


def fire(
    *,
    actor: Any,
    ticket: Ticket,
    transition: str,
    on: date,
    note: str = "",
    **data: Any,
) -> None:
    """Fire a hotline transition; the marker lets the workflow's guard pass."""
    case_transition(
        actor=actor,
        case=ticket.case,
        transition=transition,
        note=note,
        on=on,
        payload={"hotline": True, **data},
    )
    ticket.case.refresh_from_db()


def stopped_on_time(ticket: Ticket, clock_name: str) -> bool | None:
    clock = Clock.objects.filter(case_id=ticket.pk, name=clock_name).first()
    if clock is None or clock.stopped_on is None:
        return None
    return clock.stopped_on <= clock.due_date


def tell_caller(*, actor: Any, ticket: Ticket, subject: str, body: str) -> None:
    """Text the caller when a mobile is known; a fixed line or a failing
    gateway never blocks the handling itself."""
    try:
        mobile = validate_phone(ticket.phone, allow_fixed=False)
    except ValidationError:
        return
    try:
        with transaction.atomic():
            notice_send(
                actor=actor,
                address=mobile,
                channel="sms",
                subject=subject,
                body=body,
                case=ticket.case,
            )
    except ValidationError:
        return


def check_day(value: Any, field: str, *, not_before: date | None = None) -> date:
    """A typed past day; none given means today (the kernel's check)."""
    return kernel_check_day(value, field, not_before=not_before, empty_is_today=True)
