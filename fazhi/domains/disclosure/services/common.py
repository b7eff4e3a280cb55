"""Helpers the disclosure services share (check_day is the kernel's)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.kernel.notices.services import notice_send
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.kernel.textzh import validate_phone
from fazhi.kernel.workflow.engine import case_transition

from ..models import Application


def require_handle(actor: Any, application: Application) -> None:
    if not can(actor, CASE_HANDLE, application.case.agency):
        raise PermissionDenied("您无权办理该机构的政府信息公开申请")


def fire(
    *,
    actor: Any,
    application: Application,
    transition: str,
    on: date,
    note: str = "",
    **data: Any,
) -> None:
    """Fire a disclosure transition; the marker lets the workflow's guard pass."""
    case_transition(
        actor=actor,
        case=application.case,
        transition=transition,
        note=note,
        on=on,
        payload={"disclosure": True, **data},
    )
    application.case.refresh_from_db()


def tell_applicant(
    *, actor: Any, application: Application, subject: str, body: str
) -> None:
    """Text the applicant when the number given is a mobile; a fixed line or a
    failed gateway never blocks the handling itself (the letter is the notice)."""
    try:
        mobile = validate_phone(application.phone, allow_fixed=False)
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
                case=application.case,
            )
    except ValidationError:
        return
