"""Reads behind the staff layout and the 工作台 (home page).

Every read takes the acting user and returns only what that user may see:
clocks and cases are filtered by the case's agency under `case.view`.

"Due soon" is a running clock due between today and the deadlines app's
due-soon limit (rule `alert.due_soon`, N working days — the window the sweep
colours yellow); "overdue" is a running clock whose due date has passed. Both
are computed by date, so the counters are right even before the sweep runs.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.notices.models import Notice
from fazhi.kernel.notices.queries import inbox as notices_inbox
from fazhi.kernel.notices.queries import unread_count
from fazhi.kernel.org import roles
from fazhi.kernel.org.models import Agency, Membership
from fazhi.kernel.org.policy import agency_q, has_perm_anywhere
from fazhi.kernel.workflow.models import Case

from .countdown import cached_due_soon_limit


def acting_agency(user: Any) -> Agency | None:
    """The agency the user acts for: the default one, else the first membership's."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.default_agency_id:
        return Agency.objects.filter(pk=user.default_agency_id).first()
    m = (
        Membership.objects.filter(user=user)
        .select_related("agency")
        .order_by("granted_at", "pk")
        .first()
    )
    return m.agency if m else None


def _open_clocks(user: Any) -> QuerySet[Clock]:
    return Clock.objects.filter(
        agency_q(user, roles.CASE_VIEW, field="case__agency"),
        case__isnull=False,
        state=Clock.State.RUNNING,
    )


def _due_soon_q() -> Q:
    # The window is the deadlines rule `alert.due_soon` (N working days), the
    # same one the sweep colours clocks yellow with.
    on = today()
    return Q(due_date__gte=on, due_date__lte=cached_due_soon_limit(on))


def _overdue_q() -> Q:
    return Q(due_date__lt=today())


def deadline_counts(user: Any) -> dict[str, int]:
    """{"due_soon": n, "overdue": n} over the clocks of cases `user` may view."""
    if not has_perm_anywhere(user, roles.CASE_VIEW):
        return {"due_soon": 0, "overdue": 0}
    row = _open_clocks(user).aggregate(
        due_soon=Count("pk", filter=_due_soon_q()),
        overdue=Count("pk", filter=_overdue_q()),
    )
    return {"due_soon": row["due_soon"] or 0, "overdue": row["overdue"] or 0}


def urgent_clocks(user: Any, *, limit: int = 10) -> list[Clock]:
    """Overdue then due-soon clocks (with their cases), most urgent first."""
    if not has_perm_anywhere(user, roles.CASE_VIEW):
        return []
    return list(
        _open_clocks(user)
        .filter(_overdue_q() | _due_soon_q())
        .select_related("case", "case__agency")
        .order_by("due_date", "pk")[:limit]
    )


def case_state_counts(user: Any) -> list[dict[str, Any]]:
    """Open cases the user may view, counted by type and state."""
    if not has_perm_anywhere(user, roles.CASE_VIEW):
        return []
    rows = (
        Case.objects.filter(agency_q(user, roles.CASE_VIEW), closed_at__isnull=True)
        .values("case_type", "state")
        .annotate(n=Count("pk"))
        .order_by("case_type", "state")
    )
    return [dict(r) for r in rows]


def latest_notices(user: Any, *, limit: int = 5) -> list[Notice]:
    """The user's own in-app notices, newest first."""
    return list(notices_inbox(user)[:limit])


def unread_notice_count(user: Any) -> int:
    return unread_count(user)
