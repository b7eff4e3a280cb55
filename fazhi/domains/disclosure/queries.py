"""Every read of the disclosure app.

Staff reads take the acting user and see only applications of agencies in
their `case.view` scope; anything else answers 404 exactly like a missing
record. The public lookup needs the tracking number and the last four digits
of the phone number, and returns only masked data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.sweep import due_soon_limit
from fazhi.kernel.org.policy import agency_q, get_scoped_or_404, visible_agencies
from fazhi.kernel.org.roles import CASE_VIEW
from fazhi.kernel.textzh import fold, normalise
from fazhi.kernel.workflow.definitions import get_case_type

from . import categories as cat
from .models import Application
from .workflow import CODE, CORRECTING, REPLY

# Failed public lookups allowed per tracking number per hour: the last four
# digits of a phone are 10,000 guesses, so guessing must be slow.
LOOKUP_LIMIT = 10
LOOKUP_WINDOW = 3600


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "case", "case__agency", "possible_duplicate_of__case"
    ).prefetch_related(
        Prefetch(
            "case__clocks",
            queryset=Clock.objects.exclude(state=Clock.State.STOPPED).order_by(
                "due_date", "pk"
            ),
            to_attr="open_clocks",
        )
    )


def applications_for(
    user: Any,
    *,
    state: str | None = None,
    due: str | None = None,
    agency: str | None = None,
    q: str | None = None,
    duplicates: bool = False,
) -> QuerySet[Application]:
    qs = _base().filter(agency_q(user, CASE_VIEW, field="case__agency"))
    if state:
        qs = qs.filter(case__state=state)
    if agency:
        qs = qs.filter(case__agency__code=agency)
    if duplicates:
        qs = qs.filter(possible_duplicate_of__isnull=False)
    if due in ("overdue", "soon", "urgent"):
        on = today()
        running = Q(case__clocks__state=Clock.State.RUNNING, case__clocks__name=REPLY)
        if due == "overdue":
            qs = qs.filter(running, case__clocks__due_date__lt=on)
        elif due == "soon":
            qs = qs.filter(
                running,
                case__clocks__due_date__gte=on,
                case__clocks__due_date__lte=due_soon_limit(on),
            )
        else:
            qs = qs.filter(running, case__clocks__due_date__lte=due_soon_limit(on))
    if q:
        text = fold(q.strip())[:100]
        qs = qs.filter(Q(case__number__icontains=text) | Q(content__icontains=text))
    return qs.order_by("-case__opened_at")


def application_for(user: Any, number: str) -> Application:
    return get_scoped_or_404(
        user, CASE_VIEW, _base(), field="case__agency", case__number=number
    )


def agency_choices(user: Any) -> list[tuple[str, str]]:
    return list(
        visible_agencies(user, CASE_VIEW).order_by("path").values_list("code", "name")
    )


def state_choices() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in get_case_type(CODE).states.items()]


def state_label(app: Application) -> str:
    return str(get_case_type(CODE).states.get(app.case.state, app.case.state))


def reply_clock(app: Application) -> Clock | None:
    return Clock.objects.filter(case=app.case, name=REPLY).first()


def case_clocks(app: Application) -> list[Clock]:
    return list(Clock.objects.filter(case=app.case).order_by("pk"))


# -- public ------------------------------------------------------------------


def _tail(phone: str) -> str:
    return "".join(ch for ch in fold(phone or "") if ch.isdigit())[-4:]


def public_lookup(number: str, phone_tail: str) -> Application | None:
    """The application with this tracking number whose phone ends in
    `phone_tail`, or None. Throttled per number, so the 4 digits cannot be
    guessed; a wrong number and a wrong tail look the same."""
    number = fold(number or "").strip().upper()[:40]
    tail = _tail(phone_tail)
    key = f"disclosure.lookup.{number}"
    failures = cache.get(key, 0)
    if failures >= LOOKUP_LIMIT or len(tail) != 4 or not number:
        return None
    app = (
        Application.objects.select_related("case", "case__agency")
        .filter(case__number=number, case__case_type=CODE)
        .first()
    )
    if app is None or _tail(app.phone) != tail:
        cache.set(key, failures + 1, LOOKUP_WINDOW)
        return None
    return app


def lookup_blocked(number: str) -> bool:
    number = fold(number or "").strip().upper()[:40]
    return cache.get(f"disclosure.lookup.{number}", 0) >= LOOKUP_LIMIT


def public_view(app: Application) -> dict[str, Any]:
    """What the applicant sees after the lookup: masked, no ID number."""
    case = app.case
    clock = reply_clock(app)
    correction = app.corrections.order_by("-id").first()
    reply = getattr(app, "reply", None)
    fee = app.fees.order_by("-id").first()
    return {
        "number": case.number,
        "fee": {
            "amount": fee.amount,
            "notice_on": fee.notice_on,
            "paid_on": fee.paid_on,
            "due_date": Clock.objects.filter(case=case, name="fee")
            .values_list("due_date", flat=True)
            .first(),
            "pending": case.state == "fee_pending",
            "doc_number": fee.doc_number,
        }
        if fee
        else None,
        "agency": case.agency.name,
        "state": case.state,
        "state_label": state_label(app),
        "applicant": app.masked_name,
        "phone": app.masked_phone,
        "content": app.mask_free(app.content),
        "submitted_on": app.submitted_on,
        "received_on": app.received_on,
        # While a 补正 is awaited there is no reply date: the period starts
        # again from the day the corrected request arrives (条例 art. 30).
        "due_date": clock.due_date
        if clock and not case.closed_at and case.state != CORRECTING
        else None,
        "provisional": bool(clock and clock.provisional),
        "restarts": case.state == CORRECTING,
        "explain": clock.explain()
        if clock and not case.closed_at and case.state != CORRECTING
        else [],
        "correction": {
            "requested_on": correction.requested_on,
            "text": app.mask_free(correction.request_text),
            "days": correction.days,
            "due_date": Clock.objects.filter(case=case, name="correction")
            .values_list("due_date", flat=True)
            .first(),
            "responded": bool(correction.response_text),
            "response": app.mask_free(correction.response_text),
            "received_on": correction.received_on,
            "can_respond": case.state == CORRECTING and correction.received_on is None,
            "doc_number": correction.doc_number,
        }
        if correction
        else None,
        "reply": {
            "result": cat.result_label(reply.result_code),
            "replied_on": reply.replied_on,
            "doc_number": reply.doc_number,
            "body": app.mask_free(reply.body),
            "deliveries": [
                {"method": d.get_method_display(), "on": d.delivered_on}
                for d in reply.deliveries.all()
            ],
            "files": [
                {"pk": a.pk, "name": a.name, "kind": a.kind, "size": a.size}
                for a in app.attachments.filter(source="reply")
            ],
        }
        if reply
        else None,
        "concluded_on": app.concluded_on,
        "result": app.result_label,
        # Each letter's 文号 (empty for a letter issued before notices were
        # numbered, or a reply given none).
        "doc_numbers": {
            "reply": reply.doc_number if reply else "",
            "correction": correction.doc_number if correction else "",
            "extension": app.extension_doc_number,
            "fee": fee.doc_number if fee else "",
        },
        # Letters the applicant can download: the reply, and the notices
        # that changed their deadline (补正, extension).
        "letters": [
            (kind, label)
            for kind, label, present in (
                ("reply", _("答复书"), reply is not None),
                ("correction", _("补正告知书"), correction is not None),
                ("extension", _("延期答复告知书"), app.extended),
                ("fee", _("收费通知书"), fee is not None),
            )
            if present
        ],
    }


def public_agencies() -> QuerySet[Any]:
    from fazhi.kernel.org.models import Agency

    return Agency.objects.filter(is_active=True).order_by("path")


def days_left(due: date | None) -> int | None:
    return (due - today()).days if due else None


# -- proactive disclosure ------------------------------------------------------


def catalogue_for(user: Any, agency: Any) -> QuerySet[Any]:
    """An agency's catalogue entries, if the user may see the agency's cases."""
    from .models import CatalogueEntry

    return CatalogueEntry.objects.filter(
        agency_q(user, CASE_VIEW), agency=agency
    ).order_by("-is_active", "review_on", "name")


def pending_items_for(user: Any, agency: Any) -> QuerySet[Any]:
    from .models import ProactiveItem
    from .workflow import PENDING

    return (
        ProactiveItem.objects.filter(
            agency_q(user, CASE_VIEW, field="case__agency"),
            case__agency=agency,
            case__state=PENDING,
        )
        .select_related("case", "entry")
        .prefetch_related(
            Prefetch(
                "case__clocks",
                queryset=Clock.objects.exclude(state=Clock.State.STOPPED),
                to_attr="open_clocks",
            )
        )
        .order_by("formed_on", "pk")
    )


def public_items(
    *, q: str = "", agency: str = "", focus: str = "", entry: int | None = None
) -> QuerySet[Any]:
    """Published items for the portal, newest first; the search folds script
    and width, so 預算 finds 预算."""
    from .models import ProactiveItem
    from .workflow import PUBLISHED

    qs = ProactiveItem.objects.filter(case__state=PUBLISHED).select_related(
        "case__agency", "entry"
    )
    if q:
        qs = qs.filter(title_key__icontains=normalise(q)[:100])
    if agency:
        qs = qs.filter(case__agency__code=agency)
    if focus:
        qs = qs.filter(entry__focus=focus)
    if entry:
        qs = qs.filter(entry_id=entry)
    return qs.order_by("-published_on", "-pk")


def public_item(number: str) -> Any:
    from django.http import Http404

    from .models import ProactiveItem
    from .workflow import PUBLISHED

    item = (
        ProactiveItem.objects.select_related("case__agency", "entry")
        .filter(case__number=number, case__state=PUBLISHED)
        .first()
    )
    if item is None:
        raise Http404
    return item


def extension_approvers(agency: Any) -> list[str]:
    """Names of the people who may approve an extension for `agency` (条例
    art. 33(2): the head of its disclosure office, or its leader): a grant of
    DISCLOSURE_EXTEND on the agency itself, on an agency above it for its
    whole subtree, or city-wide; the nearest first."""
    from fazhi.kernel.org.models import Membership
    from fazhi.kernel.org.roles import ROLES, permissions_of

    from .workflow import DISCLOSURE_EXTEND

    roles = [code for code in ROLES if DISCLOSURE_EXTEND in permissions_of(code)]
    above = [p for p in _ancestor_paths(agency.path) if p != agency.path]
    rows = (
        Membership.objects.filter(role__in=roles, user__is_active=True)
        .filter(
            Q(agency=agency)
            | Q(agency__path__in=above, scope="subtree")
            | Q(scope="city")
        )
        .select_related("user", "agency")
    )
    nearest = {"own": 0, "subtree": 1, "city": 2}
    ranked = sorted(
        rows[:50],
        key=lambda m: (
            0 if m.agency_id == agency.pk else nearest.get(m.scope, 3),
            -len(m.agency.path),
            m.user.full_name,
        ),
    )
    names: list[str] = []
    for m in ranked:
        name = m.user.full_name or m.user.get_username()
        if name not in names:
            names.append(name)
    return names[:5]


def _ancestor_paths(path: str) -> list[str]:
    from fazhi.kernel.org.services import SEGMENT

    return [path[:i] for i in range(SEGMENT + 1, len(path) + 1, SEGMENT + 1)]
