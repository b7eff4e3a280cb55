"""Who may do what where: one policy for every agency-owned record.

A membership grants its role's permissions on an agency with a scope: the
agency alone, the agency and its subtree, or the whole city. Reads filter with
`agency_q`; single records are fetched with `get_scoped_or_404`, which answers
404 for a record outside the user's scope exactly as for a missing one, so the
existence of a record is not leaked (Zulip's access helpers do the same).

Django's `is_superuser` confers nothing here: under 三员分立 nobody holds all
rights, so the flag is never consulted.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Agency, Membership
from .roles import permissions_of

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Grant:
    scope: str
    agency_id: int
    path: str


def grants(user: Any, perm: str) -> list[Grant]:
    """The grants through which `user` holds `perm` (cached on the user object)."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not user.is_active
    ):
        return []
    cache: dict[str, list[Grant]] | None = getattr(user, "_fazhi_grants", None)
    if cache is None:
        cache = {}
        rows = Membership.objects.filter(user=user, agency__is_active=True).values_list(
            "role", "scope", "agency_id", "agency__path"
        )
        for role, scope, agency_id, path in rows:
            for p in permissions_of(role):
                cache.setdefault(p, []).append(Grant(scope, agency_id, path))
        user._fazhi_grants = cache
    return cache.get(perm, [])


def forget_grants(user: Any) -> None:
    """Drop the cached grants after memberships change."""
    if hasattr(user, "_fazhi_grants"):
        del user._fazhi_grants


def has_perm_anywhere(user: Any, perm: str) -> bool:
    return bool(grants(user, perm))


def can(user: Any, perm: str, agency: Agency | None) -> bool:
    """True if `user` holds `perm` on `agency` through any grant's scope."""
    if agency is None:
        return False
    for g in grants(user, perm):
        if g.scope == Membership.Scope.CITY:
            return True
        if g.scope == Membership.Scope.SUBTREE and agency.path.startswith(g.path):
            return True
        if g.scope == Membership.Scope.OWN and agency.pk == g.agency_id:
            return True
    return False


def agency_q(user: Any, perm: str, field: str = "agency") -> Q:
    """A filter selecting rows whose `field` agency is within the user's scope.

    Matches nothing when the user holds the permission nowhere.
    """
    own: set[int] = set()
    prefixes: list[str] = []
    for g in grants(user, perm):
        if g.scope == Membership.Scope.CITY:
            return Q()
        if g.scope == Membership.Scope.SUBTREE:
            prefixes.append(g.path)
        else:
            own.add(g.agency_id)
    prefix = "" if field == "pk" else f"{field}__"
    q = Q(pk__in=[])
    if own:
        q |= Q(**{f"{field}_id__in" if field != "pk" else "pk__in": sorted(own)})
    for p in prefixes:
        q |= Q(**{f"{prefix}path__startswith": p})
    return q


def visible_agencies(user: Any, perm: str) -> QuerySet[Agency]:
    return Agency.objects.filter(agency_q(user, perm, field="pk"))


def get_scoped_or_404(
    user: Any, perm: str, queryset: QuerySet[M], field: str = "agency", **lookup: Any
) -> M:
    """Fetch one record the user may see; 404 when missing *or* out of scope."""
    obj = queryset.filter(agency_q(user, perm, field=field)).filter(**lookup).first()
    if obj is None:
        raise Http404("No such record.")
    return obj
