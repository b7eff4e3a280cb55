"""Open311 GeoReport v2 over the hotline tickets, rooted at /open311/v2.

Public reads show no personal data: no caller, no phone, the description
and address masked (phone and ID numbers inside the text are starred), and
举报 tickets not at all (a whistle-blower's report is not public). Writes
need an api_key issued with `fazhi apikey create NAME`; a replay with the
same Idempotency-Key header returns the ticket it already made.
"""

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.domains.hotline import categories
from fazhi.domains.hotline.models import Ticket
from fazhi.domains.hotline.rules import TicketType, Urgency
from fazhi.domains.hotline.services.apikeys import apikey_client
from fazhi.domains.hotline.services.intake import ticket_submit
from fazhi.domains.hotline.workflow import HANDLE, HOTLINE, OPEN_STATES
from fazhi.kernel.audit.services import Actor
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.textzh import mask_text

from .render import error, respond, respond_document

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-25T00:00:00+08:00"
SHANGHAI = ZoneInfo("Asia/Shanghai")
FORMATS = ("json", "xml")
DEFAULT_DAYS = 90  # the spec's default window for GET requests
MAX_RESULTS = 1000

# Our field names in validation errors -> the spec's argument names.
FIELD_NAMES = {
    "content": "description",
    "location": "address_string",
    "lon": "long",
    "area": "address_id",
    "urgency": "attribute[urgency]",
    "caller_name": "first_name",
}


def _w3c(value: datetime | None) -> str | None:
    return value.astimezone(SHANGHAI).isoformat(timespec="seconds") if value else None


def _service_row(s: categories.Service) -> dict[str, Any]:
    return {
        "service_code": s.code,
        "service_name": s.name,
        "description": s.description,
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(s.keywords),
        "group": s.group,
    }


def _bad_format(fmt: str) -> HttpResponse | None:
    if fmt not in FORMATS:
        return error("xml", 404, f"不支持的格式：{fmt[:10]}（可用 json 或 xml）")
    return None


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if bad := _bad_format(fmt):
        return bad
    return respond_document(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": "黄石市12345政务服务便民热线 电话12345",
            "key_service": "向市政务服务和大数据管理局申请 api_key",
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": request.build_absolute_uri("/open311/v2"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    if bad := _bad_format(fmt):
        return bad
    return respond(
        fmt, "services", "service", [_service_row(s) for s in categories.SERVICES]
    )


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if bad := _bad_format(fmt):
        return bad
    if code not in categories.BY_CODE:
        return error(fmt, 404, f"没有这个服务：{code[:40]}")
    return respond_document(
        fmt,
        "service_definition",
        {
            "service_code": code,
            "attributes": [
                {
                    "variable": True,
                    "code": "urgency",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "datatype_description": "一般或紧急，默认一般",
                    "order": 1,
                    "description": "紧急程度",
                    "values": [
                        {"key": v, "name": str(label)} for v, label in Urgency.choices
                    ],
                }
            ],
        },
    )


def _public() -> QuerySet[Ticket]:
    return (
        Ticket.objects.exclude(ticket_type=TicketType.REPORT)
        .select_related("case", "case__agency", "area")
        .prefetch_related(
            Prefetch(
                "case__clocks",
                queryset=Clock.objects.filter(name=HANDLE),
                to_attr="handle_clocks",
            )
        )
    )


def _request_row(t: Ticket) -> dict[str, Any]:
    case = t.case
    service = categories.BY_CODE.get(t.service_code)
    due = next(iter(case.handle_clocks), None)
    expected = (
        datetime.combine(due.due_date, time(23, 59, 59), tzinfo=SHANGHAI)
        if due is not None
        else None
    )
    is_open = case.state in OPEN_STATES
    notes = str(HOTLINE.states[case.state])
    if not is_open and t.reply_text:
        notes = f"{notes}：{mask_text(t.reply_text)}"
    return {
        "service_request_id": case.number,
        "status": "open" if is_open else "closed",
        "status_notes": notes,
        "service_name": service.name if service else t.service_code,
        "service_code": t.service_code,
        "description": t.masked_content,
        "agency_responsible": case.agency.name,
        "service_notice": "",
        "requested_datetime": _w3c(case.opened_at),
        "updated_datetime": _w3c(case.updated_at),
        "expected_datetime": _w3c(expected),
        "address": mask_text(t.location),
        "address_id": t.area.code if t.area else "",
        "zipcode": None,
        "lat": float(t.lat) if t.lat is not None else None,
        "long": float(t.lon) if t.lon is not None else None,
        "media_url": None,
    }


def _parse_when(value: str, name: str) -> datetime:
    parsed = parse_datetime(value.strip().replace(" ", "+"))
    if parsed is None:
        raise ValidationError(
            {name: f"{name} 应为 W3C 日期时间，如 2026-11-01T00:00:00Z"}
        )
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=SHANGHAI)
    return parsed


def _csv(request: HttpRequest, name: str) -> list[str]:
    raw = request.GET.get(name, "")
    return [v.strip() for v in raw.split(",") if v.strip()][:MAX_RESULTS]


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    qs = _public()
    ids = _csv(request, "service_request_id")
    if ids:
        # The spec: with ids, every other filter is ignored.
        rows = qs.filter(case__number__in=[i.upper() for i in ids])
        return respond(
            fmt, "service_requests", "request", [_request_row(t) for t in rows]
        )
    try:
        end = (
            _parse_when(request.GET["end_date"], "end_date")
            if request.GET.get("end_date")
            else timezone.now()
        )
        start = (
            _parse_when(request.GET["start_date"], "start_date")
            if request.GET.get("start_date")
            else end - timedelta(days=DEFAULT_DAYS)
        )
    except ValidationError as exc:
        return error(fmt, 400, *exc.messages)
    if start > end:
        return error(fmt, 400, "start_date 不能晚于 end_date")
    qs = qs.filter(case__opened_at__gte=start, case__opened_at__lte=end)
    codes = _csv(request, "service_code")
    if codes:
        qs = qs.filter(service_code__in=codes)
    statuses = set(_csv(request, "status"))
    if statuses - {"open", "closed"}:
        return error(fmt, 400, "status 只能是 open 或 closed")
    if statuses == {"open"}:
        qs = qs.filter(case__state__in=OPEN_STATES)
    elif statuses == {"closed"}:
        qs = qs.exclude(case__state__in=OPEN_STATES)
    rows = qs.order_by("-case__opened_at")[:MAX_RESULTS]
    return respond(fmt, "service_requests", "request", [_request_row(t) for t in rows])


def _post_field_errors(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        f"{FIELD_NAMES.get(field, field)}: {'；'.join(msgs)}"
        for field, msgs in exc.message_dict.items()
    ]


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    client = apikey_client(data.get("api_key"))
    if client is None:
        return error(fmt, 403, "api_key 无效或缺失，不能提交诉求")
    code = data.get("service_code", "").strip()
    if not code:
        return error(fmt, 400, "service_code: 必填")
    if code not in categories.BY_CODE:
        return error(fmt, 404, f"service_code: 没有这个服务：{code[:40]}")
    if not (
        (data.get("lat") and data.get("long"))
        or data.get("address_string", "").strip()
        or data.get("address_id", "").strip()
    ):
        return error(fmt, 400, "lat/long、address_string 或 address_id 至少填写一项")
    name = " ".join(
        p for p in (data.get("last_name", ""), data.get("first_name", "")) if p
    )
    try:
        ticket = ticket_submit(
            actor=Actor(f"open311:{client.name}"[:150]),
            channel="api",
            api_client=client,
            idempotency_key=request.headers.get("Idempotency-Key")
            or data.get("idempotency_key")
            or None,
            service_code=code,
            content=data.get("description", ""),
            location=data.get("address_string", ""),
            area=data.get("address_id") or None,
            lat=data.get("lat"),
            lon=data.get("long"),
            phone=data.get("phone", ""),
            caller_name=name,
            urgency=data.get("attribute[urgency]") or None,
        )
    except ValidationError as exc:
        return error(fmt, 400, *_post_field_errors(exc))
    except PermissionDenied as exc:
        return error(fmt, 403, str(exc))
    return respond(
        fmt,
        "service_requests",
        "request",
        [
            {
                "service_request_id": ticket.case.number,
                "service_notice": "已受理，将按职责转交承办单位办理",
                "account_id": None,
            }
        ],
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if bad := _bad_format(fmt):
        return bad
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if bad := _bad_format(fmt):
        return bad
    ticket = _public().filter(case__number=request_id.upper()).first()
    if ticket is None:
        return error(fmt, 404, f"没有这个诉求：{request_id[:40]}")
    return respond(fmt, "service_requests", "request", [_request_row(ticket)])
