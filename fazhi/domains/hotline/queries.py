"""Reads: every list and page asks here, scoped to what the user may see.

A ticket is visible to whoever may view cases of its owning agency (the
centre before dispatch, the lead agency after) and to its co-handling
agencies; anything else answers 404 like a missing number.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.sweep import due_soon_limit
from fazhi.kernel.org.policy import agency_q, visible_agencies
from fazhi.kernel.org.roles import CASE_VIEW
from fazhi.kernel.textzh import fold, mask_text

from . import categories
from .models import Routing, Ticket
from .rules import GRADES, TicketType
from .workflow import AT_CENTRE, HANDLE, HOTLINE, OPEN_STATES, SIGN

LOOKUP_LIMIT = 10  # wrong tails per number per hour before lookups stop
LOOKUP_WINDOW = 3600

VIEWS = {
    "centre": "热线中心待派单",
    "mine": "本单位待办",
    "signing": "待签收",
    "overdue": "超期或临期",
    "extensions": "待审批延期",
    "bad": "差评待处理",
    "closed": "已办结",
}


def _base() -> QuerySet[Ticket]:
    return Ticket.objects.select_related(
        "case", "case__agency", "area"
    ).prefetch_related(
        Prefetch(
            "case__clocks",
            queryset=Clock.objects.exclude(state=Clock.State.STOPPED),
            to_attr="open_clocks",
        )
    )


def _scope(user: Any) -> Q:
    mine = agency_q(user, CASE_VIEW, field="case__agency")
    if not mine:
        # City-wide: an empty Q. OR-ing it would drop it, not widen the filter.
        return mine
    assisting = Routing.objects.filter(
        agency_q(user, CASE_VIEW, field="agency"),
        ticket=OuterRef("pk"),
        active=True,
        role=Routing.Role.ASSIST,
    )
    return mine | Q(Exists(assisting))


def tickets_for(user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Ticket]:
    f = filters or {}
    qs = _base().filter(_scope(user))
    view = f.get("view")
    on = today()
    if view == "centre":
        qs = qs.filter(case__state__in=AT_CENTRE)
    elif view == "mine":
        qs = qs.filter(case__state__in=OPEN_STATES - AT_CENTRE)
    elif view == "signing":
        qs = qs.filter(case__state="dispatched")
    elif view == "overdue":
        qs = qs.filter(
            case__clocks__state=Clock.State.RUNNING,
            case__clocks__due_date__lte=due_soon_limit(on),
        ).distinct()
    elif view == "extensions":
        qs = qs.filter(extensions__approved__isnull=True).distinct()
    elif view == "bad":
        qs = qs.filter(
            Q(rectification_pending=True)
            | Q(case__state__in=("rectifying", "appealing"))
        )
    elif view == "closed":
        qs = qs.filter(case__state="closed")
    for key, field in (
        ("type", "ticket_type"),
        ("service", "service_code"),
        ("state", "case__state"),
        ("agency", "case__agency__code"),
        ("urgency", "urgency"),
    ):
        if f.get(key):
            qs = qs.filter(**{field: f[key]})
    if f.get("duplicates"):
        qs = qs.filter(possible_duplicate_of__isnull=False, merged_into__isnull=True)
    if f.get("q"):
        text = fold(str(f["q"]).strip())[:100]
        qs = qs.filter(Q(case__number__icontains=text) | Q(content__icontains=text))
    return qs.order_by("-urgency", "-case__opened_at")


def ticket_for(user: Any, number: str) -> Ticket:
    ticket = tickets_for(user).filter(case__number=number).first()
    if ticket is None:
        raise Http404("No such ticket.")
    return ticket


def open_clock(ticket: Ticket, name: str) -> Clock | None:
    clocks = getattr(ticket.case, "open_clocks", None)
    if clocks is None:
        clocks = list(ticket.case.clocks.exclude(state=Clock.State.STOPPED))
    return next((c for c in clocks if c.name == name), None)


def current_clock(ticket: Ticket) -> Clock | None:
    """The clock that matters now: sign-for before signing, else handling."""
    if ticket.case.state == "dispatched":
        return open_clock(ticket, SIGN)
    return open_clock(ticket, HANDLE) or open_clock(ticket, "rectification")


def state_label(ticket: Ticket) -> str:
    return str(HOTLINE.states.get(ticket.case.state, ticket.case.state))


def state_choices() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in HOTLINE.states.items()]


def agency_choices(user: Any) -> list[tuple[str, str]]:
    return list(
        visible_agencies(user, CASE_VIEW).order_by("path").values_list("code", "name")
    )


def dispatch_targets() -> list[tuple[str, str]]:
    from fazhi.kernel.org.models import Agency

    from .services.common import centre

    hub = centre()
    return list(
        Agency.objects.filter(is_active=True)
        .exclude(pk=hub.pk)
        .order_by("path")
        .values_list("code", "name")
    )


# -- public ------------------------------------------------------------------


def _tail(value: str) -> str:
    return "".join(ch for ch in fold(value or "") if ch.isdigit())[-4:]


def public_lookup(number: str, phone_tail: str) -> Ticket | None:
    """Tracking number + last four phone digits, throttled per number so the
    four digits cannot be guessed; a wrong number and a wrong tail look alike."""
    number = fold(number or "").strip().upper()[:40]
    tail = _tail(phone_tail)
    key = f"hotline.lookup.{number}"
    failures = cache.get(key, 0)
    if failures >= LOOKUP_LIMIT or len(tail) != 4 or not number:
        return None
    ticket = (
        Ticket.objects.select_related("case", "case__agency")
        .filter(case__number=number, phone_tail=tail)
        .first()
    )
    if ticket is None:
        cache.set(key, failures + 1, LOOKUP_WINDOW)
    return ticket


def lookup_blocked(number: str) -> bool:
    number = fold(number or "").strip().upper()[:40]
    return cache.get(f"hotline.lookup.{number}", 0) >= LOOKUP_LIMIT


def public_view(ticket: Ticket) -> dict[str, Any]:
    """What the caller sees: masked, no agency-internal notes."""
    case = ticket.case
    clock = Clock.objects.filter(case_id=ticket.pk, name=HANDLE).first()
    rating = getattr(ticket, "rating", None) if hasattr(ticket, "rating") else None
    service = categories.BY_CODE.get(ticket.service_code)
    return {
        "number": case.number,
        "state": case.state,
        "state_label": state_label(ticket),
        "type": ticket.get_ticket_type_display(),
        "service": service.name if service else ticket.service_code,
        "agency": case.agency.name,
        "caller": ticket.masked_name,
        "phone": ticket.masked_phone,
        "content": ticket.masked_content,
        "location": mask_text(ticket.location),
        "received_on": ticket.received_on,
        "due_date": clock.due_date
        if clock and clock.state != Clock.State.STOPPED
        else None,
        "reply": mask_text(ticket.reply_text) if ticket.reply_text else "",
        "replied_on": ticket.replied_on,
        "can_rate": case.state in ("replied", "closed") and rating is None,
        "rating": GRADES.get(rating.grade) if rating else None,
        "merged_into": ticket.merged_into.case.number if ticket.merged_into else "",
    }


# -- dashboard ---------------------------------------------------------------


def dashboard(user: Any, *, weeks: int = 12, on: date | None = None) -> dict[str, Any]:
    """Volumes by type, agency and week, and this week's rising terms."""
    on = on or today()
    since = on - timedelta(weeks=weeks)
    qs = Ticket.objects.filter(_scope(user), received_on__gte=since)
    by_type = dict(qs.values_list("ticket_type").annotate(n=Count("pk")).order_by())
    labels = dict(TicketType.choices)
    by_agency = list(
        qs.values("case__agency__name").annotate(n=Count("pk")).order_by("-n")[:12]
    )
    by_area = list(
        qs.filter(area__isnull=False)
        .values("area__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:12]
    )
    by_week = list(
        qs.annotate(w=TruncWeek("received_on"))
        .values("w")
        .annotate(n=Count("pk"))
        .order_by("w")
    )
    return {
        "by_type": [
            {"name": str(labels.get(k, k)), "value": v} for k, v in by_type.items()
        ],
        "by_agency": [
            {"name": r["case__agency__name"], "value": r["n"]} for r in by_agency
        ],
        "by_area": [{"name": r["area__name"], "value": r["n"]} for r in by_area],
        "by_week": [
            {
                "week": (
                    r["w"].date() if hasattr(r["w"], "date") else r["w"]
                ).isoformat(),
                "value": r["n"],
            }
            for r in by_week
        ],
        "hot": hot_topics(user, on=on),
        "total": qs.count(),
    }


def hot_topics(user: Any, *, on: date, k: int = 10) -> list[dict[str, Any]]:
    """Top terms of the last 7 days against the 7 days before, with change."""
    qs = Ticket.objects.filter(_scope(user))

    def counts(start: date, end: date) -> Counter[str]:
        c: Counter[str] = Counter()
        terms = qs.filter(received_on__gte=start, received_on__lte=end).values_list(
            "terms", flat=True
        )
        for t in terms.iterator(chunk_size=2000):
            c.update(set(t.split()))
        return c

    this = counts(on - timedelta(days=6), on)
    last = counts(on - timedelta(days=13), on - timedelta(days=7))
    return [
        {
            "term": term,
            "this": n,
            "last": last.get(term, 0),
            "delta": n - last.get(term, 0),
        }
        for term, n in this.most_common(k)
    ]
