"""Reads of agencies, people and the 权责清单, always for an acting user."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from fazhi.kernel.textzh.normalise import normalise

from . import roles
from .models import Agency, Membership, ResponsibilityItem, User
from .policy import agency_q, get_scoped_or_404, has_perm_anywhere


def agencies_for(user: Any, perm: str = roles.CASE_VIEW) -> QuerySet[Agency]:
    """Agencies within the user's scope for `perm` (the agency tree they may see)."""
    return Agency.objects.filter(agency_q(user, perm, field="pk"))


def agency_tree_for_admin(user: Any) -> QuerySet[Agency]:
    """The whole tree, for the system administrator who maintains it."""
    if not has_perm_anywhere(user, roles.AGENCIES_MANAGE):
        return Agency.objects.none()
    return Agency.objects.all()


def users_for_admin(user: Any, q: str = "") -> QuerySet[User]:
    """Accounts, for the administrators who manage them or grant roles."""
    if not (
        has_perm_anywhere(user, roles.USERS_MANAGE)
        or has_perm_anywhere(user, roles.ROLES_GRANT)
    ):
        return User.objects.none()
    qs = User.objects.order_by("username").prefetch_related("memberships__agency")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return qs


def memberships_of(user: Any, target: User) -> QuerySet[Membership]:
    """A person's roles: for the administrators who manage accounts or grant
    roles, and for the person themself."""
    if not (
        has_perm_anywhere(user, roles.ROLES_GRANT)
        or has_perm_anywhere(user, roles.USERS_MANAGE)
        or user.pk == target.pk
    ):
        return Membership.objects.none()
    return Membership.objects.filter(user=target).select_related("agency")


def responsibility_items(
    user: Any,
    *,
    q: str = "",
    item_type: str = "",
    agency: Agency | None = None,
    on_date: date | None = None,
    history: bool = False,
) -> QuerySet[ResponsibilityItem]:
    """The 权责清单 the user may see: current versions by default, every version
    with `history`. `on_date` keeps the items in force on that day, judged by
    their current version (a later edit that ended an item is what counts)."""
    qs = ResponsibilityItem.objects.filter(
        agency_q(user, roles.RESPONSIBILITY_VIEW)
    ).select_related("agency")
    if not history:
        qs = qs.filter(is_current=True)
    if on_date is not None:
        qs = qs.filter(effective_from__lte=on_date).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on_date)
        )
    if q.strip():
        needle = normalise(q.strip())
        qs = qs.filter(
            Q(name_normalised__icontains=needle)
            | Q(code__icontains=needle)
            | Q(legal_basis__icontains=q.strip())
        )
    if item_type:
        qs = qs.filter(item_type=item_type)
    if agency is not None:
        qs = qs.filter(agency__path__startswith=agency.path)
    return qs.order_by("agency__path", "code", "-version")


def responsibility_item_versions(user: Any, code: str) -> list[ResponsibilityItem]:
    """All versions of one item, newest first; 404 if missing or out of scope."""
    get_scoped_or_404(
        user,
        roles.RESPONSIBILITY_VIEW,
        ResponsibilityItem.objects.all(),
        code=code,
        is_current=True,
    )
    return list(
        ResponsibilityItem.objects.filter(code=code)
        .select_related("agency")
        .order_by("-version")
    )


def public_responsibility_items(
    *, q: str = "", item_type: str = "", agency_code: str = "", on_date: date
) -> QuerySet[ResponsibilityItem]:
    """The published 权责清单: current items in force on `on_date`, for anyone.

    The list is public information (权责清单 are published on the portal), so
    this read takes no user; it carries no personal data."""
    qs = ResponsibilityItem.objects.filter(
        is_current=True, agency__is_active=True, effective_from__lte=on_date
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on_date))
    if q.strip():
        needle = normalise(q.strip())
        qs = qs.filter(
            Q(name_normalised__icontains=needle)
            | Q(code__icontains=needle)
            | Q(legal_basis__icontains=q.strip())
        )
    if item_type:
        qs = qs.filter(item_type=item_type)
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    return qs.select_related("agency").order_by("agency__path", "code")
