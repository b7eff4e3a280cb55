"""Intake: one number for portal, phone and API requests.

Each request is checked field by field (a ValidationError names the field),
gets a tracking number, is flagged when the same caller said much the same
within the window, and waits at the centre for dispatch. A replayed request
with the same idempotency key returns the ticket it already made.
"""

import hashlib
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction

from fazhi.kernel.audit.services import Actor, audit_record
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can
from fazhi.kernel.textzh import mask_text, normalise, validate_phone
from fazhi.kernel.workflow.engine import case_open
from fazhi.kernel.workflow.models import Case

from .. import categories, rules
from ..attachments import check_files
from ..models import ApiClient, Attachment, Ticket
from ..rollup import ticket_added
from ..suggest import Catalogue, catalogue, suggest_agencies, ticket_terms
from ..workflow import CODE, HOTLINE_DISPATCH
from .common import centre, check_day, clean_text

CITIZEN = Actor("citizen")


def caller_key(phone: str) -> str:
    return hashlib.sha256(f"phone\x1f{phone}".encode()).hexdigest() if phone else ""


def similarity(a: str, b: str) -> float:
    sa, sb = set(a.split()), set(b.split())
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


_DUPLICATE_SQL = (
    "SELECT t.case_id, t.terms, c.number FROM {ticket} t "
    "JOIN {case} c ON c.id = t.case_id "
    "WHERE t.caller_key = %s AND t.received_on >= %s "
    "AND t.merged_into_id IS NULL{exclude} "
    "ORDER BY t.received_on, t.case_id LIMIT 50"
)


def find_duplicate(
    *, key: str, terms: str, on: date, exclude: int | None = None
) -> tuple[int, str] | None:
    """The earliest ticket of the same caller in the window with similar text,
    as (ticket id, case number). Fixed SQL text: it runs on every intake."""
    if not key:
        return None
    since = on - timedelta(days=rules.DUPLICATE_WINDOW_DAYS)
    sql = _DUPLICATE_SQL.format(
        ticket=Ticket._meta.db_table,
        case=Case._meta.db_table,
        exclude=" AND t.case_id <> %s" if exclude is not None else "",
    )
    params: list[Any] = [key, since] + ([exclude] if exclude is not None else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for pk, other, number in rows:
        if similarity(other, terms) >= rules.DUPLICATE_SIMILARITY:
            return pk, number
    return None


def _coord(value: Any, field: str, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "坐标应为数字"}) from None
    if not d.is_finite() or not low <= d <= high:
        raise ValidationError({field: f"坐标应在 {low} 与 {high} 之间"})
    return d


def _validate(data: dict[str, Any], *, phone_required: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    service = categories.BY_CODE.get(str(data.get("service_code") or ""))
    if data.get("service_code") and service is None:
        raise ValidationError({"service_code": "没有这个服务类别"})
    ticket_type = data.get("ticket_type") or (service.type if service else None)
    if ticket_type not in rules.TicketType.values:
        raise ValidationError({"ticket_type": "请选择诉求类型"})
    if service is None:
        service = categories.default_service(ticket_type)
    out["ticket_type"], out["service_code"] = ticket_type, service.code
    urgency = data.get("urgency") or rules.Urgency.NORMAL
    if urgency not in rules.Urgency.values:
        raise ValidationError({"urgency": "紧急程度应为一般或紧急"})
    out["urgency"] = urgency
    out["content"] = clean_text(
        data.get("content"), "content", "诉求内容", rules.TEXT_MAX, True
    )
    if len(normalise(out["content"])) < 5 and not ticket_terms(out["content"]):
        raise ValidationError({"content": "请具体描述诉求内容"})
    out["caller_name"] = clean_text(
        data.get("caller_name"), "caller_name", "诉求人姓名", 50, False
    )
    out["location"] = clean_text(
        data.get("location"), "location", "事发地点", 200, False
    )
    phone = data.get("phone")
    if phone or phone_required:
        try:
            out["phone"] = validate_phone(phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    else:
        out["phone"] = ""
    out["lat"] = _coord(data.get("lat"), "lat", -90, 90)
    out["lon"] = _coord(data.get("lon"), "lon", -180, 180)
    area = data.get("area")
    if area is not None and not isinstance(area, Agency):
        area = Agency.objects.filter(code=str(area), is_active=True).first()
        if area is None:
            raise ValidationError({"area": "没有这个区域"})
    out["area"] = area
    return out


def _existing(key: str | None, client: ApiClient | None) -> Ticket | None:
    if not key:
        return None
    return (
        Ticket.objects.select_related("case")
        .filter(idempotency_key=key, api_client=client)
        .first()
    )


def _check_channel(
    actor: Any, channel: str, api_client: ApiClient | None, hub: Agency
) -> bool:
    """Who may file on `channel`; returns whether the actor is staff."""
    if channel not in rules.Channel.values:
        raise ValidationError({"channel": "来源渠道不正确"})
    staff = bool(getattr(actor, "is_authenticated", False))
    if channel == rules.Channel.PHONE and not (
        staff and can(actor, HOTLINE_DISPATCH, hub)
    ):
        raise PermissionDenied("只有热线中心话务员可以登记来电")
    if channel == rules.Channel.API and api_client is None:
        raise PermissionDenied("接口提交须使用有效的 api_key")
    return staff


def _key(value: Any) -> str | None:
    return None if value is None else (str(value).strip()[:100] or None)


def _new_ticket(
    *,
    case: Case,
    channel: str,
    clean: dict[str, Any],
    terms: str,
    on: date,
    idempotency_key: str | None,
    api_client: ApiClient | None,
) -> Ticket:
    return Ticket(
        case=case,
        channel=channel,
        phone_tail=clean["phone"][-4:],
        caller_key=caller_key(clean["phone"]),
        terms=terms,
        received_on=on,
        api_client=api_client,
        idempotency_key=idempotency_key,
        **clean,
    )


def _title(clean: dict[str, Any]) -> str:
    return mask_text(clean["content"].replace("\n", " "))[: rules.TITLE_MAX]


def _submit_payload(
    channel: str, ticket: Ticket, files: list[str], duplicate: str | None
) -> dict[str, Any]:
    return {
        "channel": channel,
        "type": ticket.ticket_type,
        "service": ticket.service_code,
        "urgency": ticket.urgency,
        "attachments": files,
        "possible_duplicate_of": duplicate,
    }


def _create(
    *,
    actor: Any,
    channel: str,
    hub: Agency,
    cat: Catalogue,
    clean: dict[str, Any],
    on: date,
    checked: list[Any],
    idempotency_key: str | None,
    api_client: ApiClient | None,
    service_chosen: bool,
) -> Ticket:
    """Case, ticket, suggestion, duplicate flag, attachments and audit, in the
    caller's transaction."""
    terms = " ".join(ticket_terms(clean["content"]))
    case = case_open(
        actor=actor, case_type=CODE, agency=hub, title=_title(clean), opened_on=on
    )
    ticket = _new_ticket(
        case=case,
        channel=channel,
        clean=clean,
        terms=terms,
        on=on,
        idempotency_key=idempotency_key,
        api_client=api_client,
    )
    duplicate = find_duplicate(key=ticket.caller_key, terms=terms, on=on)
    ticket.possible_duplicate_of_id = duplicate[0] if duplicate else None
    ticket.suggestion = {
        "on": on.isoformat(),
        "agencies": suggest_agencies(
            clean["content"],
            on=on,
            words=terms.split(),
            cat=cat,
            # Only a category the caller chose may speak for the text; the
            # type's default category says nothing about the matter.
            service=clean["service_code"] if service_chosen else "",
        ),
    }
    # The case is new, so its ticket is too: INSERT only (the primary key is
    # the case's, so a plain save would try an UPDATE first).
    ticket.save(force_insert=True)
    for f in checked:
        Attachment.objects.create(
            ticket=ticket,
            file=ContentFile(f.data, name=f"{f.sha256[:20]}.{f.kind}"),
            name=f.name,
            kind=f.kind,
            size=f.size,
            sha256=f.sha256,
        )
    audit_record(
        actor=actor,
        action="hotline.submit",
        record_type="case",
        record_id=case.pk,
        payload=_submit_payload(
            channel,
            ticket,
            [f.name for f in checked],
            duplicate[1] if duplicate else None,
        ),
    )
    ticket_added(ticket)  # the dashboard roll-up, in this transaction
    return ticket


def ticket_submit(
    *,
    actor: Any,
    channel: str,
    files: list[Any] | None = None,
    idempotency_key: str | None = None,
    api_client: ApiClient | None = None,
    received_on: date | None = None,
    **data: Any,
) -> Ticket:
    """Register a request and return its ticket (an earlier one on replay).

    Portal: actor CITIZEN, phone required. Phone: a centre operator types the
    call in. API: an Open311 client (actor Actor("open311:<name>")).
    """
    cat = catalogue()
    hub = centre(cat)
    staff = _check_channel(actor, channel, api_client, hub)
    idempotency_key = _key(idempotency_key)
    # A replay is found by the unique key when its ticket is inserted (below),
    # not by a lookup before every fresh request; one that no longer
    # validates still gets the ticket it made.
    try:
        clean = _validate(data, phone_required=channel != rules.Channel.API)
    except ValidationError:
        found = _existing(idempotency_key, api_client)
        if found is None:
            raise
        return found
    on = check_day(received_on, "received_on") if staff else today()
    checked = check_files(list(files or []))
    try:
        with transaction.atomic():
            return _create(
                actor=actor,
                channel=channel,
                hub=hub,
                cat=cat,
                clean=clean,
                on=on,
                checked=checked,
                idempotency_key=idempotency_key,
                api_client=api_client,
                service_chosen=bool(data.get("service_code")),
            )
    except IntegrityError:
        # A replay, or two copies of one request raced: the first one's
        # ticket stands, and this transaction (case, number, audit) is undone.
        found = _existing(idempotency_key, api_client)
        if found is None:
            raise
        return found
