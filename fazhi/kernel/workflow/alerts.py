"""Supervision notices (督办提醒): tell a case's handlers when its clock turns
yellow (due soon) or red (overdue).

Run by `fazhi sweep` after the alert colours are set. Each notice is claimed
with a guarded UPDATE of Clock.notified_alert, so two sweeps at once send it
once; a clock that goes back to normal (an extension) can alert again later.
"""

from typing import Any

from django.db import transaction
from django.db.models import F

from fazhi.kernel.deadlines.calendar import fmt
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.notices.services import notice_send
from fazhi.kernel.org.models import Agency, Membership, User
from fazhi.kernel.org.roles import CASE_HANDLE, ROLES
from fazhi.kernel.org.services import SEGMENT

from .definitions import get_case_type


def _handler_roles() -> list[str]:
    """Roles that handle cases, read when needed: domain apps register roles
    of their own after this module is imported."""
    return [code for code, role in ROLES.items() if CASE_HANDLE in role.permissions]


def _handlers(agency: Agency) -> list[User]:
    """Who is told: the handlers of the case's own agency; where it has none,
    those of the nearest agency above whose grant covers its subtree (a county
    handler for a township). City-wide grants are not paged for every case."""
    ancestors = sorted(
        Agency.objects.filter(
            path__in=[
                agency.path[:i]
                for i in range(SEGMENT + 1, len(agency.path) + 1, SEGMENT + 1)
            ]
        ),
        key=lambda a: -a.depth,
    )
    for level in ancestors:
        scopes = ["own", "subtree"] if level.pk == agency.pk else ["subtree"]
        ids = Membership.objects.filter(
            agency=level,
            role__in=_handler_roles(),
            scope__in=scopes,
            user__is_active=True,
        ).values_list("user_id", flat=True)
        users = list(User.objects.filter(pk__in=ids))
        if users:
            return users
    return []


def responsible_handlers(agency: Agency) -> list[User]:
    """Who should hear about a new piece of work for `agency` (see _handlers)."""
    return _handlers(agency)


def _text(clock: Clock) -> tuple[str, str]:
    case = clock.case
    assert case is not None
    kind = get_case_type(case.case_type).name
    if clock.alert == Clock.Alert.RED:
        subject = f"【超期】{case.number} {case.title}"
        body = (
            f"{kind}“{case.title}”已于 {fmt(clock.due_date)} 到期，"
            "仍未办结，请立即办理。"
        )
    else:
        subject = f"【临期】{case.number} {case.title}"
        body = f"{kind}“{case.title}”将于 {fmt(clock.due_date)} 到期，请抓紧办理。"
    return subject, body


def alert_notices_send(*, actor: Any = None, limit: int = 5000) -> int:
    """Send the notices of newly yellow or red clocks; returns how many clocks
    were notified. `limit` bounds one sweep's work; the rest waits for the next."""
    pending = (
        Clock.objects.filter(
            state=Clock.State.RUNNING,
            case__isnull=False,
            alert__in=[Clock.Alert.YELLOW, Clock.Alert.RED],
        )
        .exclude(notified_alert=F("alert"))
        .select_related("case", "case__agency")
        .order_by("due_date")[:limit]
    )
    sent = 0
    for clock in pending:
        with transaction.atomic():
            won = (
                Clock.objects.filter(pk=clock.pk, alert=clock.alert)
                .exclude(notified_alert=clock.alert)
                .update(notified_alert=clock.alert)
            )
            if not won:
                continue  # another sweep took it, or the colour changed meanwhile
            subject, body = _text(clock)
            for user in _handlers(clock.case.agency):  # type: ignore[union-attr]
                notice_send(
                    actor=actor,
                    recipient=user,
                    channel="inbox",
                    subject=subject,
                    body=body,
                    case=clock.case,
                )
            sent += 1
    return sent
