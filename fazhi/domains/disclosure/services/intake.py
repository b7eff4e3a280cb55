"""Intake: an application arrives (portal, letter, counter, fax), is checked,
flagged when it repeats an earlier one, and is received on the date art. 31
fixes for its channel."""

import hashlib
import re
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from fazhi.kernel.audit.services import Actor, audit_record
from fazhi.kernel.deadlines.calendar import fmt, today
from fazhi.kernel.deadlines.inputs import check_day
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.kernel.textzh import (
    normalise,
    validate_credit_code,
    validate_id_document,
    validate_phone,
)
from fazhi.kernel.textzh.validators import RESIDENT_ID
from fazhi.kernel.workflow.engine import case_open

from .. import categories as cat
from .. import rules
from ..attachments import check_files
from ..models import Application, Attachment
from ..workflow import (
    CODE,
    CONSULTING,
    CONSULTING_AGENCY,
    CORRECTING,
    FEE_PENDING,
    HANDLING,
    REPLY,
    SUBMITTED,
)
from .common import fire, require_handle, tell_applicant

# The actor recorded for what an applicant does on the portal without login.
APPLICANT = Actor("applicant")

# Each open state has its own withdrawal, stopping the clocks it runs.
WITHDRAW_BY_STATE = {
    SUBMITTED: "withdraw_unreceived",
    HANDLING: "withdraw",
    CORRECTING: "withdraw_correcting",
    CONSULTING: "withdraw_consulting",
    CONSULTING_AGENCY: "withdraw_consulting_agency",
    FEE_PENDING: "withdraw_fee",
}

_PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)
CONTENT_MAX = 5000
# The case title quotes the request up to this many characters.
TITLE_MAX = 60


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def content_key(text: str) -> str:
    """Same request, however typed: script, width, spaces and punctuation fold."""
    return _key(_PUNCT_RE.sub("", normalise(text)).lower())


def applicant_key(
    applicant_type: str, name: str, id_number: str, credit_code: str, phone: str
) -> str:
    if applicant_type == cat.NATURAL and id_number:
        return _key("id", id_number)
    if credit_code:
        return _key("org", credit_code)
    return _key("name", normalise(name), phone)


def _clean_text(value: Any, field: str, label: str, limit: int, required: bool) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > limit:
        raise ValidationError({field: f"{label}不能超过 {limit} 个字"})
    return text


class _Errors:
    """Every field's problem at once: an applicant fixing a form should not
    meet the next mistake only after resubmitting."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def check(self, field: str, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ValidationError as exc:
            self.found.setdefault(field, []).extend(exc.messages)
            return ""

    def raise_any(self) -> None:
        if self.found:
            raise ValidationError(self.found)


def _validate_applicant(
    data: dict[str, Any], errors: _Errors | None = None
) -> dict[str, Any]:
    own = errors is None
    errors = errors or _Errors()
    kind = data.get("applicant_type")
    if kind not in dict(cat.APPLICANT_TYPES):
        raise ValidationError({"applicant_type": "请选择申请人类型"})
    out: dict[str, Any] = {"applicant_type": kind}
    out["applicant_name"] = errors.check(
        "applicant_name",
        _clean_text,
        data.get("applicant_name"),
        "applicant_name",
        "申请人姓名或名称",
        100,
        True,
    )
    # 条例 art. 29: name, proof of identity and contact details are required.
    if kind == cat.NATURAL:
        id_type = data.get("id_type") or RESIDENT_ID
        out["id_type"] = id_type
        out["id_number"] = errors.check(
            "id_number", validate_id_document, id_type, data.get("id_number")
        )
        out["credit_code"] = ""
    else:
        out["credit_code"] = errors.check(
            "credit_code", validate_credit_code, data.get("credit_code")
        )
        out["id_type"] = ""
        out["id_number"] = ""
    out["phone"] = errors.check("phone", validate_phone, data.get("phone"))
    for field, label, limit in (
        ("legal_rep", "法定代表人或负责人", 50),
        ("contact_name", "联系人", 50),
        ("email", "电子邮箱", 254),
        ("address", "通信地址", 200),
        ("provision_form", "提供形式", 50),
        ("obtain_method", "获取方式", 50),
    ):
        out[field] = errors.check(
            field, _clean_text, data.get(field), field, label, limit, False
        )
    if out["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", out["email"]):
        errors.found.setdefault("email", []).append("电子邮箱格式不正确")
    if own:
        errors.raise_any()
    return out


def find_duplicate(
    *, applicant: str, content: str, on: date, exclude: int | None = None
) -> Application | None:
    since = on - timedelta(days=rules.DUPLICATE_WINDOW_DAYS)
    qs = Application.objects.filter(
        applicant_key=applicant, content_key=content, submitted_on__gte=since
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("submitted_on", "pk").first()


def save_files(application: Application, files: list[Any], source: str) -> list[str]:
    # The applicant's uploads and the reply's files have separate quotas, so
    # a full application can still be answered with its documents.
    same = application.attachments.filter(source="reply")
    if source != "reply":
        same = application.attachments.exclude(source="reply")
    checked = check_files(files, already=same.count()) if files else []
    names = []
    for f in checked:
        Attachment.objects.create(
            application=application,
            file=ContentFile(f.data, name=f"{f.sha256[:20]}.{f.kind}"),
            name=f.name,
            kind=f.kind,
            size=f.size,
            sha256=f.sha256,
            source=source,
        )
        names.append(f.name)
    return names


def application_submit(
    *,
    actor: Any,
    agency: Agency,
    channel: str,
    content: str,
    submitted_on: date | None = None,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
    files: list[Any] | None = None,
    **applicant: Any,
) -> Application:
    """Register an application; receive it at once when its channel's receipt
    date is known (at the counter, a registered letter signed for).

    `actor` is a staff member entering a letter or visit (needs case.handle
    on `agency`), or APPLICANT for the portal (online, today, unconfirmed).
    """
    staff = getattr(actor, "is_authenticated", False)
    if staff and not can(actor, CASE_HANDLE, agency):
        raise PermissionDenied("您无权为该机构登记政府信息公开申请")
    if not agency.is_active:
        raise ValidationError({"agency": "该机构已停用"})
    if not staff:
        # The portal cannot vouch for paper dates; the office confirms receipt.
        channel, submitted_on, signed_on, confirmed_on = (
            rules.ONLINE,
            today(),
            None,
            None,
        )
    if channel not in rules.RECEIPT_RULES:
        raise ValidationError({"channel": "请选择提交渠道"})
    submitted_on = check_day(submitted_on or today(), "submitted_on")
    if signed_on is not None:
        signed_on = check_day(signed_on, "signed_on", not_before=submitted_on)
    if confirmed_on is not None:
        confirmed_on = check_day(confirmed_on, "confirmed_on", not_before=submitted_on)
    received_on = rules.receipt_date(
        channel,
        submitted_on=submitted_on,
        signed_on=signed_on,
        confirmed_on=confirmed_on,
    )
    errors = _Errors()
    person = _validate_applicant(applicant, errors)
    text = errors.check(
        "content", _clean_text, content, "content", "所需信息的描述", CONTENT_MAX, True
    )
    errors.raise_any()
    files = list(files or [])
    # The case title shows in lists, notices and the record: mask the
    # applicant's name as well as numbers typed into the request.
    title = Application(
        applicant_type=person["applicant_type"],
        applicant_name=person["applicant_name"],
    ).mask_free(" ".join(text.split()))
    if len(title) > TITLE_MAX:  # cut visibly, not mid-word in silence
        title = title[: TITLE_MAX - 1] + "…"
    with transaction.atomic():
        case = case_open(
            actor=actor,
            case_type=CODE,
            agency=agency,
            title=f"申请公开：{title}",
            opened_on=submitted_on,
        )
        app = Application(
            case=case,
            content=text,
            content_key=content_key(text),
            applicant_key=applicant_key(
                person["applicant_type"],
                person["applicant_name"],
                person["id_number"],
                person["credit_code"],
                person["phone"],
            ),
            channel=channel,
            submitted_on=submitted_on,
            signed_on=signed_on,
            confirmed_on=confirmed_on,
            **person,
        )
        app.possible_duplicate_of = find_duplicate(
            applicant=app.applicant_key, content=app.content_key, on=submitted_on
        )
        app.save()
        names = save_files(app, files, "staff" if staff else "applicant")
        audit_record(
            actor=actor,
            action="disclosure.apply",
            record_type="case",
            record_id=case.pk,
            payload={
                "applicant_type": app.applicant_type,
                "channel": channel,
                "submitted_on": submitted_on,
                "attachments": names,
                "possible_duplicate_of": app.possible_duplicate_of.case.number
                if app.possible_duplicate_of
                else None,
            },
        )
        if received_on is not None:
            _receive(actor=actor, app=app, received_on=received_on)
    return app


def _receive(*, actor: Any, app: Application, received_on: date) -> None:
    app.received_on = received_on
    app.save(update_fields=["received_on", "signed_on", "confirmed_on"])
    rule = rules.RECEIPT_RULES[app.channel]
    fire(
        actor=actor,
        application=app,
        transition="receive",
        on=received_on,
        note=f"{rule.explain}（{rule.citation}）",
        channel=app.channel,
    )
    if rule.date_field == rules.CONFIRMED:
        # Art. 31(2)(3): the receipt day is the day both sides confirm.
        due = Clock.objects.get(case=app.case, name=REPLY).due_date
        tell_applicant(
            actor=actor,
            application=app,
            subject="政府信息公开申请已确认收到",
            body=f"您的申请（{app.case.number}）已于{fmt(received_on)}确认收到，"
            f"答复期限至{fmt(due)}。",
        )


def application_receive(
    *,
    actor: Any,
    application: Application,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
) -> Application:
    """Record the day a pending application counts as received (art. 31) and
    start the reply clock from it."""
    if application.case.state != SUBMITTED:
        raise ValidationError({"state": "该申请已确认收到"})
    app = application
    with transaction.atomic():
        if signed_on is not None:
            app.signed_on = check_day(
                signed_on, "signed_on", not_before=app.submitted_on
            )
        if confirmed_on is not None:
            app.confirmed_on = check_day(
                confirmed_on, "confirmed_on", not_before=app.submitted_on
            )
        received_on = rules.receipt_date(
            app.channel,
            submitted_on=app.submitted_on,
            signed_on=app.signed_on,
            confirmed_on=app.confirmed_on,
        )
        if received_on is None:
            field = rules.RECEIPT_RULES[app.channel].date_field
            raise ValidationError({field: "请填写确定收到申请日期所需的日期"})
        _receive(actor=actor, app=app, received_on=received_on)
    return app


def application_mark_duplicate(
    *, actor: Any, application: Application, duplicate: bool, note: str = ""
) -> Application:
    """Staff decide whether a flagged application is a 重复申请 (art. 36(6))."""
    require_handle(actor, application)
    with transaction.atomic():
        application.duplicate_confirmed = duplicate
        application.save(update_fields=["duplicate_confirmed"])
        audit_record(
            actor=actor,
            action="disclosure.duplicate",
            record_type="case",
            record_id=application.pk,
            payload={
                "duplicate": duplicate,
                "of": application.possible_duplicate_of.case.number
                if application.possible_duplicate_of
                else None,
                "note": note[:500],
            },
        )
    return application


def attachment_add(
    *,
    actor: Any,
    application: Application,
    files: list[Any],
    for_applicant: bool = False,
) -> None:
    """Staff upload files to the record; `for_applicant` marks them as the
    information provided with the reply, which the applicant can download."""
    require_handle(actor, application)
    if for_applicant and not hasattr(application, "reply"):
        raise ValidationError({"for_applicant": "答复后才能上传提供给申请人的答复附件"})
    with transaction.atomic():
        source = "reply" if for_applicant else "staff"
        names = save_files(application, list(files), source)
        audit_record(
            actor=actor,
            action="disclosure.attach",
            record_type="case",
            record_id=application.pk,
            payload={"attachments": names, "for_applicant": for_applicant},
        )


def application_withdraw(
    *, actor: Any, application: Application, note: str, on: date | None = None
) -> Application:
    """The applicant withdrew (in writing); counted as 其他处理 — 其他."""
    state = application.case.state
    transition = WITHDRAW_BY_STATE.get(state)
    if transition is None:
        raise ValidationError({"state": "当前状态下不能登记撤回"})
    on = check_day(on or today(), "on", not_before=application.submitted_on)
    with transaction.atomic():
        application.result_code = "other.other"
        application.concluded_on = on
        application.save(update_fields=["result_code", "concluded_on"])
        fire(
            actor=actor,
            application=application,
            transition=transition,
            on=on,
            note=note,
        )
    return application
