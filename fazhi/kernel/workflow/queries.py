"""Reads of cases, always as seen by the acting user (scope: `case.view`)."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.sweep import due_soon_limit
from fazhi.kernel.org import roles
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import agency_q, can, get_scoped_or_404, visible_agencies
from fazhi.kernel.textzh.normalise import normalise

from .definitions import CaseType, Transition, get_case_type, registered
from .models import Case

# Filters understood by `cases_for` (all optional):
#   type    case type code          state   state code
#   agency  agency code (the case belongs to it or to its subtree)
#   due     "overdue" | "soon" | "urgent" (either)
#   open    True: not closed
#   q       text in number or title
FILTER_KEYS = ("type", "state", "agency", "due", "open", "q")


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(agency_q(user, roles.CASE_VIEW))


def cases_for(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    """The cases `user` may view, narrowed by `filters` (see FILTER_KEYS).

    Unknown or empty filter values are ignored, so a stale bookmark shows more
    rather than failing.
    """
    filters = filters or {}
    qs = visible_cases(user).select_related("agency")
    if filters.get("type"):
        qs = qs.filter(case_type=filters["type"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("agency"):
        agency = Agency.objects.filter(code=filters["agency"]).first()
        qs = qs.filter(agency__path__startswith=agency.path) if agency else qs.none()
    if filters.get("open"):
        qs = qs.filter(closed_at__isnull=True)
    due = filters.get("due")
    if due in ("overdue", "soon", "urgent"):
        running = Clock.objects.filter(case=OuterRef("pk"), state=Clock.State.RUNNING)
        on = today()
        if due == "overdue":
            running = running.filter(due_date__lt=on)
        elif due == "soon":
            # The window the deadlines sweep colours yellow (alert.due_soon).
            running = running.filter(due_date__gte=on, due_date__lte=due_soon_limit(on))
        else:  # urgent: overdue or due soon
            running = running.filter(due_date__lte=due_soon_limit(on))
        qs = qs.filter(Exists(running))
    text = (filters.get("q") or "").strip()
    if text:
        # Match the text as typed and in Simplified, so 化工廠 finds 化工厂.
        folded = normalise(text)
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(number__icontains=folded)
            | Q(title__icontains=text)
            | Q(title__icontains=folded)
        )
    return qs.order_by("-opened_at", "-pk")


def case_for(user: Any, number: str) -> Case:
    """One case by its public number; 404 if missing or outside the user's scope."""
    return get_scoped_or_404(
        user,
        roles.CASE_VIEW,
        Case.objects.select_related("agency", "created_by"),
        number=number,
    )


def case_clocks(case: Case) -> list[Clock]:
    """The case's clocks with their ledgers, running ones first."""
    order: dict[str, int] = {
        Clock.State.RUNNING: 0,
        Clock.State.PAUSED: 1,
        Clock.State.STOPPED: 2,
    }
    clocks = list(
        Clock.objects.filter(case=case)
        .prefetch_related("events")
        .order_by("due_date", "pk")
    )
    return sorted(clocks, key=lambda c: order.get(c.state, 3))


def case_type_of(case: Case) -> CaseType | None:
    try:
        return get_case_type(case.case_type)
    except LookupError:
        return None


def transitions_for(user: Any, case: Case) -> list[Transition]:
    """The transitions the user may fire on the case now (state and permission).

    Guards are not run here: they may need input, and the engine reports a
    failing guard with its own message when the button is pressed.
    """
    ctype = case_type_of(case)
    if ctype is None:
        return []
    return [
        t for t in ctype.available(case.state) if can(user, t.permission, case.agency)
    ]


def state_label(case: Case) -> str:
    ctype = case_type_of(case)
    return str(ctype.states.get(case.state, case.state)) if ctype else case.state


def type_label(case: Case) -> str:
    ctype = case_type_of(case)
    return str(ctype.name) if ctype else case.case_type


def type_choices() -> list[tuple[str, str]]:
    return [(t.code, str(t.name)) for t in registered()]


def state_choices() -> list[tuple[str, str]]:
    """Every declared state, labelled; a code shared by types is listed once."""
    seen: dict[str, str] = {}
    for t in registered():
        for code, label in t.states.items():
            seen.setdefault(code, str(label))
    return sorted(seen.items(), key=lambda kv: kv[1])


def agency_choices(user: Any) -> list[tuple[str, str]]:
    """Agencies the user may view cases of, indented by depth."""
    rows = list(
        visible_agencies(user, roles.CASE_VIEW).values_list("code", "name", "depth")
    )
    base = min((d for _c, _n, d in rows), default=0)
    return [(code, "\u3000" * (depth - base) + name) for code, name, depth in rows]
