"""Disclosure over the REST API (mounted at /api/disclosure).

Staff endpoints use the session like the rest of the API and see only their
scope (404 outside it). `/public/...` needs no login: apply, and look up an
application with its number and the last four digits of the phone number.
Bad input answers 422 naming the field; a refused step 409; never a 500.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can, has_perm_anywhere
from fazhi.kernel.org.roles import CASE_VIEW, EXPORT

from . import letters, queries, services
from .models import Application, FollowUp
from .report import SCOPE_LABELS, build_tables, check_balance
from .throttle import submission_allowed, submission_counted

router = Router(tags=["disclosure"])
MAX_LIMIT = 200


class ApplicantIn(Schema):
    applicant_type: str
    applicant_name: str
    id_type: str = "resident_id"
    id_number: str = ""
    credit_code: str = ""
    legal_rep: str = ""
    contact_name: str = ""
    phone: str
    email: str = ""
    address: str = ""
    content: str
    provision_form: str = ""
    obtain_method: str = ""


class PublicApplyIn(ApplicantIn):
    agency: str


class StaffApplyIn(PublicApplyIn):
    channel: str
    submitted_on: date
    signed_on: date | None = None
    confirmed_on: date | None = None


class ApplicationOut(Schema):
    number: str
    agency_code: str
    agency_name: str
    state: str
    state_label: str
    applicant_type: str
    applicant: str
    phone: str
    channel: str
    submitted_on: date
    received_on: date | None
    due_date: date | None
    possible_duplicate_of: str | None
    result_code: str
    concluded_on: date | None


class Page(Schema):
    count: int
    items: list[ApplicationOut]


class Filters(Schema):
    state: str | None = None
    due: str | None = None
    agency: str | None = None
    q: str | None = None
    limit: int = 50
    offset: int = 0


class ReceiveIn(Schema):
    signed_on: date | None = None
    confirmed_on: date | None = None


class CorrectionIn(Schema):
    text: str
    days: int | None = None  # the rule's default (disclosure.correction_reply)
    on: date | None = None


class CorrectionReceivedIn(Schema):
    received_on: date | None = None
    text: str = ""


class ConsultIn(Schema):
    third_party: str
    sent_on: date
    kind: str = "third_party"  # or "agency": a co-producing agency (art. 34)


class FeeIn(Schema):
    method: str  # per_request | per_page (国办函〔2020〕109号)
    quantity: int
    reason: str
    pay_by: str
    on: date | None = None


class FeePaidIn(Schema):
    paid_on: date | None = None


class ConsultDoneIn(Schema):
    answered_on: date
    opinion: str = ""


class ExtendIn(Schema):
    reason: str
    days: int | None = None


class ReplyIn(Schema):
    result_code: str
    body: str = ""
    doc_number: str = ""
    replied_on: date | None = None


class DeliveryIn(Schema):
    method: str
    delivered_on: date
    reference: str = ""


class FollowUpIn(Schema):
    kind: str
    number: str
    filed_on: date
    note: str = ""


class SettleIn(Schema):
    outcome: str
    outcome_on: date


class DuplicateIn(Schema):
    duplicate: bool
    note: str = ""


class NoteIn(Schema):
    note: str = ""
    on: date | None = None


class TrackIn(Schema):
    number: str
    phone_tail: str


class PublicCorrectionIn(TrackIn):
    text: str


def _out(app: Application) -> dict[str, Any]:
    clocks = getattr(app.case, "open_clocks", None)
    if clocks is None:
        clock = queries.reply_clock(app)
        due = clock.due_date if clock and not app.case.closed_at else None
    else:
        due = next((c.due_date for c in clocks if c.name == "reply"), None)
    dup = app.possible_duplicate_of
    return {
        "number": app.case.number,
        "agency_code": app.case.agency.code,
        "agency_name": app.case.agency.name,
        "state": app.case.state,
        "state_label": queries.state_label(app),
        "applicant_type": app.applicant_type,
        "applicant": app.masked_name,
        "phone": app.masked_phone,
        "channel": app.channel,
        "submitted_on": app.submitted_on,
        "received_on": app.received_on,
        "due_date": due,
        "possible_duplicate_of": dup.case.number if dup else None,
        "result_code": app.result_code,
        "concluded_on": app.concluded_on,
    }


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise ValidationError({"agency": f"没有代码为 {code} 的机构"})
    return agency


def _require_view(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, CASE_VIEW):
        raise HttpError(403, "您没有查看政府信息公开申请的权限")


@router.get("/applications", response=Page, summary="依申请公开申请列表")
def list_applications(request: HttpRequest, filters: Query[Filters]) -> dict[str, Any]:
    _require_view(request)
    if not 1 <= filters.limit <= MAX_LIMIT or filters.offset < 0:
        raise ValidationError(
            {"limit": f"limit 应在 1 至 {MAX_LIMIT} 之间，offset 不能为负"}
        )
    qs = queries.applications_for(
        request.user,
        state=filters.state,
        due=filters.due,
        agency=filters.agency,
        q=filters.q,
    )
    rows = qs[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_out(a) for a in rows]}


@router.post(
    "/applications",
    response={201: ApplicationOut},
    summary="登记申请（当面、信函、传真）",
)
def create_application(request: HttpRequest, data: StaffApplyIn) -> Status:
    fields = data.dict()
    agency = _agency(fields.pop("agency"))
    app = services.application_submit(actor=request.user, agency=agency, **fields)
    return Status(201, _out(app))


@router.get("/applications/{number}", response=ApplicationOut)
def get_application(request: HttpRequest, number: str) -> dict[str, Any]:
    return _out(queries.application_for(request.user, number))


def _act(request: HttpRequest, number: str, fn: Any, **kw: Any) -> dict[str, Any]:
    app = queries.application_for(request.user, number)
    fn(actor=request.user, application=app, **kw)
    app.refresh_from_db()
    return _out(app)


@router.post("/applications/{number}/receive", response=ApplicationOut)
def receive(request: HttpRequest, number: str, data: ReceiveIn) -> dict[str, Any]:
    return _act(request, number, services.application_receive, **data.dict())


@router.post("/applications/{number}/correction", response=ApplicationOut)
def correction(request: HttpRequest, number: str, data: CorrectionIn) -> dict[str, Any]:
    return _act(request, number, services.correction_request, **data.dict())


@router.post("/applications/{number}/correction/received", response=ApplicationOut)
def correction_received(
    request: HttpRequest, number: str, data: CorrectionReceivedIn
) -> dict[str, Any]:
    return _act(request, number, services.correction_receive, **data.dict())


@router.post("/applications/{number}/abandon", response=ApplicationOut)
def abandon(request: HttpRequest, number: str, data: NoteIn) -> dict[str, Any]:
    return _act(request, number, services.application_abandon, on=data.on)


@router.post("/applications/{number}/withdraw", response=ApplicationOut)
def withdraw(request: HttpRequest, number: str, data: NoteIn) -> dict[str, Any]:
    return _act(
        request, number, services.application_withdraw, note=data.note, on=data.on
    )


@router.post("/applications/{number}/consultation", response=ApplicationOut)
def consult(request: HttpRequest, number: str, data: ConsultIn) -> dict[str, Any]:
    return _act(request, number, services.consultation_start, **data.dict())


@router.post("/applications/{number}/consultation/done", response=ApplicationOut)
def consult_done(
    request: HttpRequest, number: str, data: ConsultDoneIn
) -> dict[str, Any]:
    return _act(request, number, services.consultation_finish, **data.dict())


@router.post("/applications/{number}/fee", response=ApplicationOut)
def fee(request: HttpRequest, number: str, data: FeeIn) -> dict[str, Any]:
    return _act(request, number, services.fee_notice_issue, **data.dict())


@router.post("/applications/{number}/fee/paid", response=ApplicationOut)
def fee_paid(request: HttpRequest, number: str, data: FeePaidIn) -> dict[str, Any]:
    return _act(request, number, services.fee_paid_confirm, **data.dict())


@router.post("/applications/{number}/fee/lapsed", response=ApplicationOut)
def fee_lapsed(request: HttpRequest, number: str, data: NoteIn) -> dict[str, Any]:
    return _act(request, number, services.fee_lapse, on=data.on)


@router.post("/applications/{number}/extend", response=ApplicationOut)
def extend(request: HttpRequest, number: str, data: ExtendIn) -> dict[str, Any]:
    return _act(request, number, services.application_extend, **data.dict())


@router.post("/applications/{number}/duplicate", response=ApplicationOut)
def duplicate(request: HttpRequest, number: str, data: DuplicateIn) -> dict[str, Any]:
    return _act(request, number, services.application_mark_duplicate, **data.dict())


@router.post("/applications/{number}/reply", response=ApplicationOut)
def reply(request: HttpRequest, number: str, data: ReplyIn) -> dict[str, Any]:
    return _act(request, number, services.reply_issue, **data.dict())


def _reply_of(request: HttpRequest, number: str) -> Any:
    app = queries.application_for(request.user, number)
    reply = getattr(app, "reply", None)
    if reply is None:
        raise HttpError(404, "该申请尚未答复")
    return reply


@router.post("/applications/{number}/deliveries", response={201: dict})
def deliver(request: HttpRequest, number: str, data: DeliveryIn) -> Status:
    d = services.reply_deliver(
        actor=request.user, reply=_reply_of(request, number), **data.dict()
    )
    body = {"id": d.pk, "method": d.method, "delivered_on": d.delivered_on.isoformat()}
    return Status(201, body)


@router.post("/applications/{number}/followups", response={201: dict})
def followup(request: HttpRequest, number: str, data: FollowUpIn) -> Status:
    f = services.followup_record(
        actor=request.user, reply=_reply_of(request, number), **data.dict()
    )
    return Status(
        201, {"id": f.pk, "kind": f.kind, "number": f.number, "outcome": f.outcome}
    )


@router.post("/applications/{number}/followups/{followup_id}/settle", response=dict)
def settle(
    request: HttpRequest, number: str, followup_id: int, data: SettleIn
) -> dict[str, Any]:
    reply_obj = _reply_of(request, number)
    f = get_object_or_404(FollowUp, pk=followup_id, reply=reply_obj)
    f = services.followup_settle(actor=request.user, followup=f, **data.dict())
    return {"id": f.pk, "outcome": f.outcome}


@router.get("/applications/{number}/letters/{kind}")
def letter(
    request: HttpRequest, number: str, kind: str, item: int | None = None
) -> HttpResponse:
    """`item`: the consultation's id, for one letter of several (the latest
    without it)."""
    app = queries.application_for(request.user, number)
    if kind not in letters.KINDS:
        raise HttpError(404, "没有这种文书")
    try:
        data = letters.letter_docx(app, kind, item=item)
    except (LookupError, Application.reply.RelatedObjectDoesNotExist):
        raise HttpError(404, "该申请还没有这份文书") from None
    audit_record(
        actor=request.user,
        action="disclosure.letter",
        record_type="case",
        record_id=app.pk,
        payload={"kind": kind, **({"item": item} if item is not None else {})},
    )
    response = HttpResponse(
        data,
        content_type=letters.DOCX_TYPE,
    )
    name = f"{number}-{kind}" + (f"-{item}" if item is not None else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


@router.get("/report", summary="年度报告统计表（JSON）")
def report(
    request: HttpRequest, agency: str, year: int, scope: str = "own"
) -> dict[str, Any]:
    a = Agency.objects.filter(code=agency).first()
    if a is None or not can(request.user, EXPORT, a):
        raise HttpError(404, "没有该机构或无权查看")
    if not 2008 <= year <= 2100:
        raise ValidationError({"year": "年度应在 2008 至 2100 之间"})
    if scope not in SCOPE_LABELS:
        raise ValidationError({"scope": "统计范围应为 own、departments 或 subtree"})
    t = build_tables(a, year, scope)
    return {
        "scope": scope,
        "agency": a.code,
        "year": year,
        "requests": t.requests,
        "followups": t.followups,
        "problems": check_balance(t),
    }


# -- public (no login) --------------------------------------------------------


class ProactiveOut(Schema):
    number: str
    title: str
    doc_number: str
    agency: str
    category: str
    focus: str
    formed_on: date
    published_on: date | None


@router.get(
    "/public/proactive",
    auth=None,
    response=list[ProactiveOut],
    summary="主动公开信息（检索）",
)
def public_proactive(
    request: HttpRequest,
    q: str = "",
    agency: str = "",
    focus: str = "",
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ValidationError(
            {"limit": f"limit 应在 1 至 {MAX_LIMIT} 之间，offset 不能为负"}
        )
    rows = queries.public_items(q=q[:50], agency=agency, focus=focus)
    return [
        {
            "number": i.case.number,
            "title": i.title,
            "doc_number": i.doc_number,
            "agency": i.case.agency.name,
            "category": i.entry.name,
            "focus": i.entry.focus,
            "formed_on": i.formed_on,
            "published_on": i.published_on,
        }
        for i in rows[offset : offset + limit]
    ]


@router.post(
    "/public/applications", auth=None, response={201: dict}, summary="在线申请"
)
def public_apply(request: HttpRequest, data: PublicApplyIn) -> Status:
    if not submission_allowed(request):
        raise HttpError(429, "提交过于频繁，请一小时后再试")
    fields = data.dict()
    agency = _agency(fields.pop("agency"))
    app = services.application_submit(
        actor=services.APPLICANT, agency=agency, channel="online", **fields
    )
    submission_counted(request)
    return Status(201, {"number": app.case.number, "state": app.case.state})


def _public(data: TrackIn) -> Application:
    app = queries.public_lookup(data.number, data.phone_tail)
    if app is None:
        raise HttpError(404, "受理编号或手机号后四位不正确")
    return app


@router.post("/public/track", auth=None, summary="凭编号和手机号后四位查询")
def public_track(request: HttpRequest, data: TrackIn) -> dict[str, Any]:
    return queries.public_view(_public(data))


@router.post("/public/correction", auth=None, summary="提交补正")
def public_correction(request: HttpRequest, data: PublicCorrectionIn) -> dict[str, Any]:
    app = _public(data)
    services.correction_respond(application=app, text=data.text)
    return queries.public_view(app)
