"""Reading the full-process record.

Under 三员分立 only the audit administrator (permission `audit.read`) reads
the record as such; the system and security administrators do not, and
neither does anybody else.

One exception is built in for the apps: a record's own timeline may be shown
to a user who may see the record. The audit kernel cannot know who may see a
case, so the caller decides and says so::

    case = get_scoped_or_404(user, roles.CASE_VIEW, Case.objects, pk=case_id)
    events = record_timeline(user, "case", case.pk, authorised=True)

`authorised=True` means "I, the caller, have just checked that `user` may see
this record"; pass it only after such a check.
"""

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from fazhi.kernel.org import roles
from fazhi.kernel.org.policy import has_perm_anywhere

from .models import AuditEvent, Checkpoint


def can_read_audit(user: Any) -> bool:
    """True for the audit administrator, and for nobody else."""
    return has_perm_anywhere(user, roles.AUDIT_READ)


def require_audit_reader(user: Any) -> None:
    if not can_read_audit(user):
        raise PermissionDenied("只有审计管理员可以查阅审计记录")


def record_timeline(
    user: Any, record_type: str, record_id: Any, *, authorised: bool = False
) -> list[AuditEvent]:
    """The events of one record in order, for a user who may see them.

    The audit administrator sees every record's timeline. Anyone else only
    when the caller passes `authorised=True` after checking the user's access
    to the record itself (see the module docstring); otherwise PermissionDenied.
    """
    if not (authorised or can_read_audit(user)):
        raise PermissionDenied("无权查看该记录的过程记录")
    return list(
        AuditEvent.objects.filter(
            record_type=record_type, record_id=str(record_id)
        ).order_by("seq")
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def search_events(
    user: Any,
    *,
    actor: str = "",
    action: str = "",
    record_type: str = "",
    record_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events matching the filters, newest first; audit administrator only.

    `actor` is the label an event was written with (a username, "system",
    "anonymous"); `action` matches as a prefix ("case." finds every case
    action); dates are calendar days in Asia/Shanghai, both ends included.
    """
    require_audit_reader(user)
    qs = AuditEvent.objects.all()
    if actor:
        # People search by name (陈办理) as often as by account (dy_handler).
        named = (
            get_user_model()
            .objects.filter(full_name=actor)
            .values_list("pk", flat=True)
        )
        qs = qs.filter(Q(actor_label=actor) | Q(actor_id__in=named))
    if action:
        qs = qs.filter(action__startswith=action)
    if record_type:
        qs = qs.filter(record_type=record_type)
    if record_id:
        qs = qs.filter(record_id=record_id)
    if date_from:
        qs = qs.filter(created_at__gte=_local_midnight(date_from))
    if date_to:
        # The day after date_to, from the ordinal: a calendar step, not a period.
        qs = qs.filter(
            created_at__lt=_local_midnight(date.fromordinal(date_to.toordinal() + 1))
        )
    return qs.order_by("-id")


def checkpoint_list(user: Any) -> QuerySet[Checkpoint]:
    require_audit_reader(user)
    return Checkpoint.objects.order_by("-last_event_id", "-id")


def last_verification(user: Any) -> AuditEvent | None:
    """The most recent recorded verification run, if any."""
    require_audit_reader(user)
    return (
        AuditEvent.objects.filter(record_type="audit", record_id="verify")
        .order_by("-seq")
        .first()
    )
