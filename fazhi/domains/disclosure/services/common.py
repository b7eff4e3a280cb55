"""Helpers the disclosure services share (check_day is the kernel's)."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from fazhi.kernel.notices.services import notice_send
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.kernel.textzh import validate_phone
from fazhi.kernel.workflow.engine import case_transition

from .. import rules
from ..models import Application, NoticeSequence


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


def notice_number(*, agency: Any, kind: str, on: date) -> str:
    """The next 文号 of `kind` notices for `agency` in `on`'s year.

    Call inside the transaction that stores the notice: the UPDATE holds the
    sequence row until commit (PostgreSQL row lock; SQLite's write lock), so
    two handlers never get the same number, and a failed notice gives its
    number back. The first notice of a year creates the row; a concurrent
    creator loses on the unique constraint and bumps the row instead.
    """
    if kind not in rules.NOTICE_DOC_WORDS:
        raise ValueError(kind)
    row = NoticeSequence.objects.filter(agency=agency, year=on.year, kind=kind)
    with transaction.atomic(savepoint=False):
        if not row.update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    NoticeSequence.objects.create(
                        agency=agency, year=on.year, kind=kind, last=1
                    )
            except IntegrityError:
                row.update(last=F("last") + 1)
        last = row.values_list("last", flat=True).get()
    abbr = (agency.short_name or agency.name)[:40]
    return rules.notice_doc_number(abbr, kind, on.year, last)
