"""Writes on a case other than its state (which only the engine changes).
Each is one transaction with its audit event."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE

from .models import Case

TITLE_MAX = Case._meta.get_field("title").max_length or 255


def case_retitle(*, case: Case, title: str, actor: Any, reason: str) -> Case:
    """Change the case's title (事由), e.g. a draft published under its final
    name; `reason` says why (may be empty). An unchanged title writes
    nothing. Needs `case.handle` on the case's agency."""
    title = title.strip() if isinstance(title, str) else ""
    if not title:
        raise ValidationError({"title": "事由不能为空"})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"事由不能超过 {TITLE_MAX} 个字"})
    reason = (reason or "").strip()
    with transaction.atomic():
        # Locked like a transition, so two renames cannot both read the
        # old title into their audit events.
        locked = (
            Case.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=case.pk)
        )
        if not can(actor, CASE_HANDLE, locked.agency):
            raise PermissionDenied("您无权修改该案件的事由")
        if locked.title == title:
            return locked
        before = locked.title
        change = f"{before} → {title}"
        locked.title, locked.updated_at = title, timezone.now()
        locked.save(update_fields=["title", "updated_at"])
        audit_record(
            actor=actor,
            action="case.retitle",
            record_type="case",
            record_id=locked.pk,
            # Not from/to: the record reads those as states.
            payload={
                "previous": before,
                "title": title,
                "reason": reason,
                "note": f"{reason}：{change}" if reason else change,
            },
        )
    case.title, case.updated_at = locked.title, locked.updated_at
    return locked
