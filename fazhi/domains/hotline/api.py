"""The hotline over the REST API (mounted at /api/hotline).

Staff endpoints use the session and see only their scope (404 outside it);
personal data is masked unless the role may see it on the ticket's agency.
`/public/...` needs no login. A POST carrying an Idempotency-Key header is
made once: a replay answers the ticket it already made. Bad input answers
422 naming the field; a refused step 409 or 403; never a 500.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from fazhi.kernel.org.policy import can, has_perm_anywhere
from fazhi.kernel.org.roles import CASE_VIEW, PERSONAL_DATA_VIEW

from . import queries
from .models import Ticket
from .services.intake import CITIZEN, ticket_submit
from .services.intake_batch import IMPORT_MAX, tickets_import
from .suggest import suggest_agencies
from .throttle import submission_allowed

router = Router(tags=["hotline"])
MAX_LIMIT = 200


class TicketIn(Schema):
    ticket_type: str = ""
    service_code: str = ""
    urgency: str = "normal"
    content: str
    phone: str
    caller_name: str = ""
    location: str = ""
    area: str | None = None


class TicketOut(Schema):
    number: str
    state: str
    state_label: str
    ticket_type: str
    service_code: str
    urgency: str
    agency_code: str
    agency_name: str
    caller: str
    phone: str
    content: str
    received_on: date
    due_date: date | None
    possible_duplicate_of: str | None
    suggestion: list[dict[str, Any]]


class Page(Schema):
    count: int
    items: list[TicketOut]


class Filters(Schema):
    view: str | None = None
    type: str | None = None
    state: str | None = None
    q: str | None = None
    limit: int = 50
    offset: int = 0


class BatchRowIn(TicketIn):
    received_on: date | None = None
    idempotency_key: str | None = None


class BatchIn(Schema):
    rows: list[BatchRowIn]


class ActionIn(Schema):
    data: dict[str, Any] = {}


class Created(Schema):
    number: str
    state: str


class PublicOut(Schema):
    number: str
    state: str
    state_label: str
    agency: str
    content: str
    reply: str
    due_date: date | None


def _out(user: Any, t: Ticket) -> dict[str, Any]:
    full = can(user, PERSONAL_DATA_VIEW, t.case.agency)
    clock = queries.current_clock(t)
    return {
        "number": t.case.number,
        "state": t.case.state,
        "state_label": queries.state_label(t),
        "ticket_type": t.ticket_type,
        "service_code": t.service_code,
        "urgency": t.urgency,
        "agency_code": t.case.agency.code,
        "agency_name": t.case.agency.name,
        "caller": t.caller_name if full else t.masked_name,
        "phone": t.phone if full else t.masked_phone,
        "content": t.content if full else t.masked_content,
        "received_on": t.received_on,
        "due_date": clock.due_date if clock else None,
        "possible_duplicate_of": t.possible_duplicate_of.case.number
        if t.possible_duplicate_of
        else None,
        "suggestion": t.suggestion.get("agencies", []),
    }


def _require_view(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, CASE_VIEW):
        raise HttpError(403, "您没有查看12345工单的权限")


@router.get("/tickets", response=Page)
def ticket_list(request: HttpRequest, filters: Query[Filters]) -> dict[str, Any]:
    _require_view(request)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    qs = queries.tickets_for(request.user, filters.dict())
    rows = qs.select_related("possible_duplicate_of__case")[
        max(0, filters.offset) : max(0, filters.offset) + limit
    ]
    return {"count": qs.count(), "items": [_out(request.user, t) for t in rows]}


@router.post("/tickets/batch", response={201: list[Created]})
def ticket_batch(request: HttpRequest, data: BatchIn) -> Status:
    # Declared before /tickets/{number}, which would take "batch" for a number.
    """Calls typed into a sheet, a transfer from another platform: up to
    IMPORT_MAX rows, all or none, in row order. A row whose
    `idempotency_key` already made a ticket answers that ticket, so a batch
    sent again makes nothing twice. A bad row answers 422 naming its row
    number and field."""
    if len(data.rows) > IMPORT_MAX:
        raise ValidationError({"rows": f"每批最多 {IMPORT_MAX} 条"})
    rows = [
        {**r.dict(), "idempotency_key": f"op:{r.idempotency_key}"[:100]}
        if r.idempotency_key
        else r.dict()
        for r in data.rows
    ]
    made = tickets_import(actor=request.user, rows=rows, channel="phone")
    return Status(201, [{"number": t.case.number, "state": t.case.state} for t in made])


@router.get("/tickets/{number}", response=TicketOut)
def ticket_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return _out(request.user, queries.ticket_for(request.user, number))


@router.post("/tickets", response={201: TicketOut})
def ticket_create(request: HttpRequest, data: TicketIn) -> Status:
    """A call typed in by a centre operator."""
    t = ticket_submit(
        actor=request.user,
        channel="phone",
        idempotency_key=_key(request, "op"),
        **data.dict(),
    )
    return Status(201, _out(request.user, t))


@router.post("/tickets/{number}/actions/{action}", response=TicketOut)
def ticket_action(
    request: HttpRequest, number: str, action: str, body: ActionIn
) -> dict[str, Any]:
    """Fire a step by the name the ticket page uses (dispatch, sign, return,
    reply, extension, decide, pause, resume, visit, redo, rectify ...)."""
    from .steps import BY_NAME
    from .steps import step_form as _form

    t = queries.ticket_for(request.user, number)
    a = BY_NAME.get(action)
    if a is None:
        raise HttpError(404, f"没有这个操作：{action[:40]}")
    form = _form(a, {f"{a.name}-{k}": v for k, v in body.data.items()})
    if not form.is_valid():
        raise ValidationError(
            {k.removeprefix(f"{a.name}-"): v for k, v in form.errors.items()}
        )
    a.call(request.user, t, dict(form.cleaned_data))
    # The step may move the ticket out of the actor's scope (dispatch,
    # return); the answer is the ticket as the step left it.
    t = Ticket.objects.select_related("case", "case__agency").get(pk=t.pk)
    return _out(request.user, t)


@router.get("/suggest")
def suggest(request: HttpRequest, text: str) -> list[dict[str, Any]]:
    _require_view(request)
    from fazhi.kernel.deadlines.calendar import today

    return suggest_agencies(text[:2000], on=today())


def _key(request: HttpRequest, scope: str) -> str | None:
    raw = request.headers.get("Idempotency-Key", "").strip()
    return f"{scope}:{raw}"[:100] if raw else None


@router.post("/public/tickets", auth=None, response={201: Created})
def public_create(request: HttpRequest, data: TicketIn) -> Status:
    if not submission_allowed(request):
        raise HttpError(429, "提交过于频繁，请稍后再试")
    fields = data.dict()
    fields.pop("area", None)
    fields.pop("urgency", None)
    t = ticket_submit(
        actor=CITIZEN, channel="portal", idempotency_key=_key(request, "pub"), **fields
    )
    return Status(201, {"number": t.case.number, "state": t.case.state})


@router.get("/public/track", auth=None, response=PublicOut)
def public_track(request: HttpRequest, number: str, phone_tail: str) -> dict[str, Any]:
    t = queries.public_lookup(number, phone_tail)
    if t is None:
        raise HttpError(404, "工单编号或手机号后四位不正确")
    v = queries.public_view(t)
    return {
        "number": v["number"],
        "state": v["state"],
        "state_label": v["state_label"],
        "agency": v["agency"],
        "content": v["content"],
        "reply": v["reply"],
        "due_date": v["due_date"],
    }
