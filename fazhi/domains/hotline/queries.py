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
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.sweep import due_soon_limit
from fazhi.kernel.org.policy import agency_q, visible_agencies
from fazhi.kernel.org.roles import CASE_VIEW
from fazhi.kernel.textzh import fold, mask_text

from . import categories
from .models import HotlineCount, HotlineDaily, Routing, Ticket
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
#
# The dashboard reads the roll-up (rollup.py) for the tickets the user's own
# agencies own, and counts straight from the tickets only those it sees as a
# co-handling (协办) agency of another agency's ticket: few, and found through
# the routing index. `dashboard_adhoc` is the same answer from the tickets
# alone, the reference the tests hold the roll-up to. Ties are broken by name
# so the two agree to the row.


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _top(counts: dict[str, int], k: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


def _assisted_only(user: Any) -> QuerySet[Ticket] | None:
    """Tickets the user sees only as a co-handler, or None: a city-wide user,
    or no co-handling. Found from the routings (index on agency, active), not
    by testing every ticket of the period."""
    mine = agency_q(user, CASE_VIEW, field="case__agency")
    if not mine:
        return None
    assisting = list(
        Routing.objects.filter(
            agency_q(user, CASE_VIEW, field="agency"),
            active=True,
            role=Routing.Role.ASSIST,
        ).values_list("ticket_id", flat=True)
    )
    if not assisting:
        return None
    return Ticket.objects.filter(pk__in=assisting).exclude(mine)


def _in_scope(user: Any) -> list[int] | None:
    """The agencies whose roll-up rows the user reads; None: city-wide.

    A list of ids, not a join on the agency path: the planner then walks the
    roll-up's index once per agency instead of filtering a whole date range."""
    if not agency_q(user, CASE_VIEW, field="agency"):
        return None
    return list(visible_agencies(user, CASE_VIEW).values_list("pk", flat=True))


def _daily_rows(scope: list[int] | None) -> QuerySet[HotlineDaily]:
    rows = HotlineDaily.objects.all()
    return rows if scope is None else rows.filter(agency_id__in=scope)


def _count_rows(scope: list[int] | None) -> QuerySet[HotlineCount]:
    """Type, area and keyword counts in scope: the city-wide rows for a
    city-wide user, else the rows of the agencies in scope."""
    if scope is None:
        return HotlineCount.objects.filter(agency_id=HotlineCount.CITY)
    return HotlineCount.objects.filter(agency_id__in=scope)


def _shape(
    by_type: Counter[str],
    by_agency: Counter[str],
    by_area: Counter[str],
    by_week: Counter[date],
    hot: list[dict[str, Any]],
) -> dict[str, Any]:
    labels = dict(TicketType.choices)
    order = {k: i for i, k in enumerate(labels)}
    return {
        "by_type": [
            {"name": str(labels.get(k, k)), "value": v}
            for k, v in sorted(by_type.items(), key=lambda kv: order.get(kv[0], 99))
            if v
        ],
        "by_agency": [{"name": n, "value": v} for n, v in _top(by_agency, 12) if v],
        "by_area": [{"name": n, "value": v} for n, v in _top(by_area, 12) if v],
        "by_week": [
            {"week": w.isoformat(), "value": v} for w, v in sorted(by_week.items()) if v
        ],
        "hot": hot,
        "total": sum(by_type.values()),
    }


def _ticket_counts(
    qs: QuerySet[Ticket],
) -> tuple[Counter[str], Counter[str], Counter[str], Counter[date]]:
    by_type: Counter[str] = Counter(
        dict(qs.values_list("ticket_type").annotate(n=Count("pk")).order_by())
    )
    by_agency: Counter[str] = Counter(
        dict(qs.values_list("case__agency__name").annotate(n=Count("pk")).order_by())
    )
    by_area: Counter[str] = Counter(
        dict(
            qs.filter(area__isnull=False)
            .values_list("area__name")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    by_week: Counter[date] = Counter()
    for day, n in qs.values_list("received_on").annotate(n=Count("pk")).order_by():
        by_week[_monday(day)] += n
    return by_type, by_agency, by_area, by_week


def _window_start(on: date, weeks: int) -> date:
    """The Monday `weeks` - 1 weeks before this week's: whole weeks only, so
    the first bar of the weekly chart is not a stub of a few days."""
    return _monday(on) - timedelta(weeks=weeks - 1)


def dashboard(user: Any, *, weeks: int = 12, on: date | None = None) -> dict[str, Any]:
    """Volumes by type, agency, area and week, and this week's rising terms."""
    from fazhi.kernel.org.models import Agency

    on = on or today()
    since = _window_start(on, weeks)
    scope = _in_scope(user)
    rows = _daily_rows(scope).filter(day__gte=since)
    by_week: Counter[date] = Counter()
    for day, n in rows.values_list("day").annotate(n=Sum("received")).order_by():
        by_week[_monday(day)] += n
    per_agency = dict(
        rows.values_list("agency_id").annotate(n=Sum("received")).order_by()
    )
    by_type: Counter[str] = Counter()
    per_area: Counter[int] = Counter()
    for dim, value, n in (
        _count_rows(scope)
        .filter(dim__in=("type", "area"), day__gte=since)
        .values_list("dim", "value")
        .annotate(n=Sum("n"))
        .order_by()
    ):
        if dim == "type":
            by_type[value] += n
        else:
            per_area[int(value)] += n
    names = dict(
        Agency.objects.filter(pk__in={*per_agency, *per_area}).values_list("pk", "name")
    )
    # Grouped by name, as the ad-hoc GROUP BY does: two agencies of one name
    # are one bar.
    by_agency: Counter[str] = Counter()
    for pk, n in per_agency.items():
        by_agency[names[pk]] += n
    by_area: Counter[str] = Counter()
    for pk, n in per_area.items():
        by_area[names[pk]] += n
    extra = _assisted_only(user)
    if extra is not None:
        for mine, more in zip(
            (by_type, by_agency, by_area, by_week),
            _ticket_counts(extra.filter(received_on__gte=since)),
            strict=True,
        ):
            mine.update(more)
    return _shape(by_type, by_agency, by_area, by_week, hot_topics(user, on=on))


def dashboard_adhoc(
    user: Any, *, weeks: int = 12, on: date | None = None
) -> dict[str, Any]:
    """`dashboard` counted from the tickets with GROUP BY (the reference)."""
    on = on or today()
    since = _window_start(on, weeks)
    qs = Ticket.objects.filter(_scope(user), received_on__gte=since)
    return _shape(*_ticket_counts(qs), hot_topics_adhoc(user, on=on))


def _hot(this: Counter[str], last: Counter[str], k: int) -> list[dict[str, Any]]:
    return [
        {"term": term, "this": n, "last": last[term], "delta": n - last[term]}
        for term, n in _top(this, k)
        if n
    ]


def _ticket_terms(qs: QuerySet[Ticket], start: date, end: date) -> Counter[str]:
    c: Counter[str] = Counter()
    terms = qs.filter(received_on__gte=start, received_on__lte=end).values_list(
        "terms", flat=True
    )
    for t in terms.iterator(chunk_size=2000):
        c.update(set(t.split()))
    return c


def hot_topics(user: Any, *, on: date, k: int = 10) -> list[dict[str, Any]]:
    """Top terms of the last 7 days against the 7 days before, with change."""
    rows = _count_rows(_in_scope(user)).filter(dim="term")
    extra = _assisted_only(user)
    start, last_start, last_end = (
        on - timedelta(days=6),
        on - timedelta(days=13),
        on - timedelta(days=7),
    )
    week = (
        rows.filter(day__gte=start, day__lte=on)
        .values_list("value")
        .annotate(s=Sum("n"))
        .filter(s__gt=0)
        .order_by()
    )
    if extra is None:
        # The k-th count, then every term reaching it: the top k by (count,
        # term) without sorting thousands of terms by the database's collation.
        head = list(week.order_by("-s")[:k])
        floor = head[-1][1] if len(head) == k else 1
        this: Counter[str] = Counter(dict(week.filter(s__gte=floor)))
    else:
        this = Counter(dict(week))
        this.update(_ticket_terms(extra, start, on))
    top = [term for term, _n in _top(this, k)]
    last: Counter[str] = Counter(
        dict(
            rows.filter(day__gte=last_start, day__lte=last_end, value__in=top)
            .values_list("value")
            .annotate(s=Sum("n"))
            .order_by()
        )
    )
    if extra is not None:
        last.update(
            {
                t: n
                for t, n in _ticket_terms(extra, last_start, last_end).items()
                if t in top
            }
        )
    return _hot(this, last, k)


def hot_topics_adhoc(user: Any, *, on: date, k: int = 10) -> list[dict[str, Any]]:
    qs = Ticket.objects.filter(_scope(user))
    this = _ticket_terms(qs, on - timedelta(days=6), on)
    last = _ticket_terms(qs, on - timedelta(days=13), on - timedelta(days=7))
    return _hot(this, last, k)
