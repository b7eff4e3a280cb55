"""Handling: 补正, third-party consultation, extension, reply, delivery and
the reconsideration or lawsuit brought against a reply."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines.calendar import fmt, today
from fazhi.kernel.deadlines.compute import compute
from fazhi.kernel.deadlines.inputs import check_day
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.rules import get_rule

from .. import categories as cat
from .. import rules
from ..models import Application, Consultation, Correction, Delivery, FollowUp, Reply
from ..workflow import CONSULTING, CONSULTING_AGENCY, CORRECTING, CORRECTION, HANDLING
from .common import fire, notice_number, require_handle, tell_applicant
from .intake import APPLICANT, CONTENT_MAX, save_files


def _state(application: Application, *states: str) -> None:
    if application.case.state not in states:
        raise ValidationError({"state": "当前状态下不能执行该操作"})


def _note(text: Any, field: str, label: str, limit: int = 2000) -> str:
    value = (text or "").strip() if isinstance(text, str) else ""
    if not value:
        raise ValidationError({field: f"请填写{label}"})
    if len(value) > limit:
        raise ValidationError({field: f"{label}不能超过 {limit} 个字"})
    return value


def correction_request(
    *,
    actor: Any,
    application: Application,
    text: str,
    days: int | None = None,
    on: date | None = None,
) -> Correction:
    """Tell the applicant, once, what to correct (条例 art. 30); the reply clock
    waits, and the applicant's own period (set by the agency) starts."""
    _state(application, HANDLING)
    text = _note(text, "text", "补正内容")
    rule = get_rule(rules.CORRECTION_RULE)
    days = rule.days if days is None else days
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValidationError({"days": "补正期限应为整数个工作日"})
    low, high = rule.min_days or 1, rule.max_days or rule.days
    if not low <= days <= high:
        raise ValidationError({"days": f"补正期限应在 {low} 至 {high} 个工作日之间"})
    if application.corrections.exists():
        raise ValidationError(
            {"text": "补正应当一次性告知（《政府信息公开条例》第三十条）"}
        )
    assert application.received_on is not None
    on = check_day(on or today(), "on", not_before=application.received_on)
    notice_due = date.fromisoformat(
        compute(start=application.received_on, rule_id="disclosure.correction_notice")[
            "due"
        ]
    )
    with transaction.atomic():
        correction = Correction.objects.create(
            application=application,
            requested_on=on,
            request_text=text,
            days=days,
            notice_late=on > notice_due,
            doc_number=notice_number(
                agency=application.case.agency, kind="correction", on=on
            ),
        )
        fire(
            actor=actor,
            application=application,
            transition="request_correction",
            on=on,
            note=text,
            correction_days=days,
            notice_late=correction.notice_late,
            doc_number=correction.doc_number,
        )
        tell_applicant(
            actor=actor,
            application=application,
            subject="政府信息公开申请需要补正",
            body=f"您的申请（{application.case.number}）需要补正，请在"
            f"{days}个工作日内登录门户网站查看并补正。",
        )
    return correction


def correction_respond(
    *, application: Application, text: str, files: list[Any] | None = None
) -> Correction:
    """The applicant answers the 补正 notice on the portal. The office then
    confirms receipt (art. 31), which restarts the reply clock."""
    _state(application, CORRECTING)
    text = _note(text, "text", "补正内容", CONTENT_MAX)
    with transaction.atomic():
        correction = (
            Correction.objects.select_for_update()
            .filter(application=application)
            .order_by("-id")
            .first()
        )
        if correction is None or correction.received_on is not None:
            raise ValidationError({"state": "没有待补正的事项"})
        correction.response_text = text
        correction.responded_at = timezone.now()
        correction.save(update_fields=["response_text", "responded_at"])
        names = save_files(application, list(files or []), "applicant")
        audit_record(
            actor=APPLICANT,
            action="disclosure.correction_respond",
            record_type="case",
            record_id=application.pk,
            payload={
                "correction": correction.pk,
                "length": len(text),
                "attachments": names,
            },
        )
    return correction


def correction_receive(
    *,
    actor: Any,
    application: Application,
    received_on: date | None = None,
    text: str = "",
) -> Correction:
    """The 补正 arrived: the reply period runs afresh from this day (art.
    30). `text` records what the applicant added or corrected (on paper, or
    the online answer as checked); the original request stays as it was."""
    _state(application, CORRECTING)
    correction = application.corrections.order_by("-id").first()
    assert correction is not None
    on = check_day(
        received_on or today(), "received_on", not_before=correction.requested_on
    )
    if text.strip():
        correction.response_text = _note(text, "text", "补正内容", CONTENT_MAX)
    if not correction.response_text:
        raise ValidationError({"text": "请填写补正内容"})
    with transaction.atomic():
        correction.received_on = on
        correction.save(update_fields=["received_on", "response_text"])
        fire(
            actor=actor,
            application=application,
            transition="correction_received",
            on=on,
            note="答复期限自收到补正的申请之日起重新计算（《政府信息公开条例》第三十条）",
        )
    return correction


def application_abandon(
    *, actor: Any, application: Application, on: date | None = None
) -> Application:
    """No correction within the period set: deemed abandoned (art. 30)."""
    _state(application, CORRECTING)
    clock = Clock.objects.get(case=application.case, name=CORRECTION)
    on = check_day(on or today(), "on")
    if on <= clock.due_date:
        raise ValidationError(
            {"on": f"补正期限至{fmt(clock.due_date)}届满，届满前不能视为放弃"}
        )
    with transaction.atomic():
        application.result_code = "other.abandoned"
        application.concluded_on = on
        application.save(update_fields=["result_code", "concluded_on"])
        fire(
            actor=actor,
            application=application,
            transition="abandon",
            on=on,
            note=cat.result("other.abandoned").letter,
        )
    return application


# kind -> (start transition, finish transition, note on start, note on finish)
_CONSULT = {
    Consultation.Kind.THIRD_PARTY: (
        "consult",
        "consult_done",
        "征求第三方意见（《政府信息公开条例》第三十二条），所需时间不计算在答复期限内",
        "第三方意见已收到（逾期未提出意见的，由行政机关依法决定）",
    ),
    Consultation.Kind.AGENCY: (
        "consult_agency",
        "consult_agency_done",
        "征求共同制作机关意见（《政府信息公开条例》第三十四条），"
        "所需时间不计算在答复期限内",
        "共同制作机关意见已收到（逾期未提出意见的视为同意公开）",
    ),
}


def consultation_start(
    *,
    actor: Any,
    application: Application,
    third_party: str,
    sent_on: date,
    kind: str = Consultation.Kind.THIRD_PARTY,
) -> Consultation:
    """Ask a third party (art. 32) or a co-producing agency (art. 34); the
    time it takes is not counted (art. 33(2))."""
    _state(application, HANDLING)
    if kind not in _CONSULT:
        raise ValidationError({"kind": "请选择征求意见的对象"})
    party = _note(third_party, "third_party", "征求对象名称", 200)
    assert application.received_on is not None
    sent_on = check_day(sent_on, "sent_on", not_before=application.received_on)
    transition, _done, note, _end = _CONSULT[Consultation.Kind(kind)]
    with transaction.atomic():
        consultation = Consultation.objects.create(
            application=application,
            kind=kind,
            third_party=party,
            sent_on=sent_on,
            doc_number=notice_number(
                agency=application.case.agency, kind="consultation", on=sent_on
            ),
        )
        fire(
            actor=actor,
            application=application,
            transition=transition,
            on=sent_on,
            note=note,
            doc_number=consultation.doc_number,
        )
    return consultation


def consultation_finish(
    *, actor: Any, application: Application, answered_on: date, opinion: str = ""
) -> Consultation:
    _state(application, CONSULTING, CONSULTING_AGENCY)
    consultation = application.consultations.order_by("-id").first()
    assert consultation is not None
    answered_on = check_day(answered_on, "answered_on", not_before=consultation.sent_on)
    _start, transition, _note_text, note = _CONSULT[
        Consultation.Kind(consultation.kind)
    ]
    with transaction.atomic():
        consultation.answered_on = answered_on
        consultation.opinion = (opinion or "").strip()[:2000]
        consultation.save(update_fields=["answered_on", "opinion"])
        fire(
            actor=actor,
            application=application,
            transition=transition,
            on=answered_on,
            note=note,
        )
    return consultation


def application_extend(
    *, actor: Any, application: Application, reason: str, days: int | None = None
) -> Application:
    """One extension of at most 20 working days, approved by the head of the
    disclosure office and told to the applicant (art. 33(2))."""
    _state(application, HANDLING)
    reason = _note(reason, "reason", "延期理由", 500)
    limit = get_rule("disclosure.extension").days
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= limit
    ):
        raise ValidationError({"days": f"延长期限应在 1 至 {limit} 个工作日之间"})
    if application.extended:
        raise ValidationError({"days": "答复期限只能延长一次"})
    with transaction.atomic():
        application.extended = True
        application.extension_doc_number = notice_number(
            agency=application.case.agency, kind="extension", on=today()
        )
        application.save(update_fields=["extended", "extension_doc_number"])
        # The full 20 goes through the extension rule, so the explanation
        # cites it; a shorter extension is recorded as its day count.
        fire(
            actor=actor,
            application=application,
            transition="extend",
            on=today(),
            note=reason,
            extension_days=None if days in (None, limit) else days,
            doc_number=application.extension_doc_number,
        )
        tell_applicant(
            actor=actor,
            application=application,
            subject="政府信息公开申请答复期限延长",
            body=f"您的申请（{application.case.number}）答复期限经批准延长"
            f"{days or limit}个工作日。",
        )
    return application


def reply_issue(
    *,
    actor: Any,
    application: Application,
    result_code: str,
    body: str = "",
    doc_number: str = "",
    replied_on: date | None = None,
    files: list[Any] | None = None,
) -> Reply:
    """Reply to the application with one of the national result types.

    `files` are the information provided (予以公开、部分公开): the applicant
    downloads them with the reply letter on the portal."""
    _state(application, HANDLING)
    if result_code not in dict(cat.REPLY_CHOICES):
        raise ValidationError({"result_code": "请选择答复类型"})
    assert application.received_on is not None
    on = check_day(
        replied_on or today(), "replied_on", not_before=application.submitted_on
    )
    body = (body or "").strip()
    if len(body) > 10000:
        raise ValidationError({"body": "答复正文不能超过 10000 个字"})
    # 条例 art. 36(2)(3): withholding all or part must say why, in words, not
    # only by the category chosen.
    if result_code == "partial" and not body:
        raise ValidationError({"body": "部分公开应当说明不予公开部分的理由"})
    if result_code == "reject.publication" and not body:
        raise ValidationError(
            {"body": "请写明获取该公开出版物的途径（政府信息公开条例第三十九条第二款）"}
        )
    if cat.result(result_code).group == "withhold" and not body:
        raise ValidationError(
            {"body": "不予公开应当说明理由（政府信息公开条例第三十六条）"}
        )
    doc_number = (doc_number or "").strip().replace("[", "〔").replace("]", "〕")
    if len(doc_number) > 60:
        raise ValidationError({"doc_number": "文号不能超过 60 个字"})
    with transaction.atomic():
        reply = Reply.objects.create(
            application=application,
            result_code=result_code,
            doc_number=doc_number,
            body=body,
            replied_on=on,
        )
        application.result_code = result_code
        application.concluded_on = on
        application.save(update_fields=["result_code", "concluded_on"])
        names = save_files(application, list(files or []), "reply")
        fire(
            actor=actor,
            application=application,
            transition="reply",
            on=on,
            note=cat.result_label(result_code),
            result=result_code,
            attachments=names,
        )
        tell_applicant(
            actor=actor,
            application=application,
            subject="政府信息公开申请已答复",
            body=f"您的申请（{application.case.number}）已答复，请登录门户网站查看。",
        )
    return reply


def reply_deliver(
    *,
    actor: Any,
    reply: Reply,
    method: str,
    delivered_on: date,
    reference: str = "",
) -> Delivery:
    application = reply.application
    require_handle(actor, application)
    if method not in Delivery.Method.values:
        raise ValidationError({"method": "请选择送达方式"})
    on = check_day(delivered_on, "delivered_on", not_before=reply.replied_on)
    with transaction.atomic():
        delivery = Delivery.objects.create(
            reply=reply,
            method=method,
            delivered_on=on,
            reference=reference.strip()[:100],
        )
        audit_record(
            actor=actor,
            action="disclosure.deliver",
            record_type="case",
            record_id=application.pk,
            payload={"method": method, "on": on, "reference": delivery.reference},
        )
    return delivery


def followup_record(
    *,
    actor: Any,
    reply: Reply,
    kind: str,
    number: str,
    filed_on: date,
    note: str = "",
) -> FollowUp:
    """A reconsideration or lawsuit about the reply (table 四 of the report)."""
    require_handle(actor, reply.application)
    if kind not in dict(cat.FOLLOWUP_KINDS):
        raise ValidationError({"kind": "请选择行政复议或行政诉讼类别"})
    number = _note(number, "number", "案号", 80)
    on = check_day(filed_on, "filed_on", not_before=reply.replied_on)
    with transaction.atomic():
        followup = FollowUp.objects.create(
            reply=reply, kind=kind, number=number, filed_on=on, note=note.strip()[:255]
        )
        audit_record(
            actor=actor,
            action="disclosure.followup",
            record_type="case",
            record_id=reply.application_id,
            payload={"kind": kind, "number": number, "filed_on": on},
        )
    return followup


def followup_settle(
    *, actor: Any, followup: FollowUp, outcome: str, outcome_on: date
) -> FollowUp:
    require_handle(actor, followup.reply.application)
    if outcome not in dict(cat.OUTCOMES) or outcome == cat.PENDING:
        raise ValidationError({"outcome": "请选择复议或诉讼结果"})
    on = check_day(outcome_on, "outcome_on", not_before=followup.filed_on)
    with transaction.atomic():
        followup.outcome = outcome
        followup.outcome_on = on
        followup.save(update_fields=["outcome", "outcome_on"])
        audit_record(
            actor=actor,
            action="disclosure.followup_settle",
            record_type="case",
            record_id=followup.reply.application_id,
            payload={"number": followup.number, "outcome": outcome, "on": on},
        )
    return followup
