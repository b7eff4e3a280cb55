"""Writes of the normative-document procedure: draft, legality review,
publication (into the query platform), filing, filing review, correction.

Each service checks the actor, validates its input, fires the transition
through the workflow engine (which checks the permission on the drafting
agency, moves the state, runs the clocks and audits) and records its own
details and audit event in the same transaction.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines.calendar import WorkCalendar, fmt, today
from fazhi.kernel.deadlines.engine import compute_due
from fazhi.kernel.deadlines.inputs import check_day
from fazhi.kernel.deadlines.rules import get_rule
from fazhi.kernel.deadlines.services import clock_start
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.kernel.workflow.engine import IllegalTransition, case_open, case_transition
from fazhi.kernel.workflow.services import case_retitle

from .. import normative_workflow as wf
from ..models import NormativeDocument, NormativeOpinion, Validity
from .normative_platform import platform_mark, platform_publish

Opinion = NormativeOpinion.Verdict
TITLE_MAX = 300
# 有效期 (国办发〔2018〕37号: 一般不超过5年), a kernel rule with its citation.
VALIDITY_RULE = "normative.validity"
# 合法性审核: 5-15 working days, the period chosen within the rule's range.
LEGALITY_RULE = "normative.legality_review"
TEXT_MAX = 200_000
# A draft's working title ends in （草案） or （征求意见稿）; the published
# document does not (the mark says the text is not yet adopted).
_DRAFT_MARK = re.compile(r"\s*[（(]\s*(?:草案|征求意见稿|送审稿)\s*[）)]\s*$")


def _text(value: Any, field: str, label: str, limit: int, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > limit:
        raise ValidationError({field: f"{label}不能超过 {limit} 个字"})
    return text


def _day(value: Any, field: str, *, not_before: date | None = None) -> date:
    """A past day typed by a person; none given means today."""
    return check_day(value, field, not_before=not_before, empty_is_today=True)


def final_title(title: str) -> str:
    """The title a draft is published under: without its trailing
    （草案）/(草案)/（征求意见稿） mark (repeated marks included)."""
    title = title.strip()
    while True:
        stripped = _DRAFT_MARK.sub("", title)
        if stripped == title or not stripped:
            return title
        title = stripped


def validity_end(effective: date, years: int | None = None) -> date:
    """The last day of a 有效期 of `years` (the rule's 5 by default) from
    taking effect: kernel rule normative.validity, counted like any period
    in years (民法典 art. 202: 29 Feb → 28 Feb) but never moved off a rest
    day, since it is a term, not a time to act."""
    rule = get_rule(VALIDITY_RULE)
    return compute_due(
        start=effective,
        days=rule.days if years is None else years,
        unit=rule.unit,
        calendar=WorkCalendar.load(),
        rule=rule,
    ).due


def filing_agency_for(agency: Agency) -> Agency:
    """备案审查机关: a department files with its own government; a county or
    township government with the government above it (国办发〔2018〕37号:
    报本级人民政府 / 上一级人民政府备案). The city government's own filing
    goes to the province, outside the tree: it is recorded against itself."""
    if agency.level == "department" and agency.parent_id:
        return agency.parent
    return agency.parent if agency.parent_id else agency


def _fire(
    *,
    actor: Any,
    nd: NormativeDocument,
    transition: str,
    on: date,
    note: str = "",
    **data: Any,
) -> None:
    case_transition(
        actor=actor,
        case=nd.case,
        transition=transition,
        note=note,
        on=on,
        payload={"normative": True, **data},
    )
    nd.case.refresh_from_db()


def _opinion(
    *,
    actor: Any,
    nd: NormativeDocument,
    stage: str,
    verdict: str,
    text: str,
    on: date,
) -> NormativeOpinion:
    return NormativeOpinion.objects.create(
        document=nd,
        stage=stage,
        verdict=verdict,
        text=text,
        given_on=on,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _audit(actor: Any, nd: NormativeDocument, action: str, **payload: Any) -> None:
    audit_record(
        actor=actor,
        action=f"normative.{action}",
        record_type="case",
        record_id=nd.case_id,
        payload=payload,
    )


def _require_handle(actor: Any, nd: NormativeDocument) -> None:
    if not can(actor, CASE_HANDLE, nd.case.agency):
        raise PermissionDenied("您无权办理该机构的规范性文件")


# -- drafting and legality review ----------------------------------------------


def normative_register(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    text: str,
    summary: str = "",
    doc_number: str = "",
    registered_on: date | None = None,
) -> NormativeDocument:
    """Register a draft of `agency` (the drafting agency owns the case)."""
    if not can(actor, CASE_HANDLE, agency):
        raise PermissionDenied("您无权为该机构登记规范性文件")
    title = _text(title, "title", "文件名称", TITLE_MAX)
    text = _text(text, "text", "文件正文", TEXT_MAX)
    summary = _text(summary, "summary", "起草说明", 5000, required=False)
    doc_number = _text(doc_number, "doc_number", "文号", 100, required=False)
    on = _day(registered_on, "registered_on")
    with transaction.atomic():
        case = case_open(
            actor=actor, case_type=wf.CODE, agency=agency, title=title, opened_on=on
        )
        nd = NormativeDocument.objects.create(
            case=case,
            title=title,
            text=text,
            summary=summary,
            doc_number=doc_number,
            filing_agency=filing_agency_for(agency),
            registered_on=on,
        )
        _audit(actor, nd, "register", title=title, doc_number=doc_number)
    return nd


def normative_revise(
    *, actor: Any, document: NormativeDocument, title: str, text: str, summary: str = ""
) -> NormativeDocument:
    """Change the draft (only while it is with the drafter)."""
    _require_handle(actor, document)
    if document.case.state != wf.DRAFTING:
        raise ValidationError({"text": "只有起草中的草案可以修改"})
    title = _text(title, "title", "文件名称", TITLE_MAX)
    text = _text(text, "text", "文件正文", TEXT_MAX)
    with transaction.atomic():
        document.title, document.text = title, text
        document.summary = _text(summary, "summary", "起草说明", 5000, required=False)
        document.save(update_fields=["title", "text", "summary"])
        # The case (inbox, due lists, record) goes by the draft's new name.
        case_retitle(case=document.case, title=title, actor=actor, reason="修改草案")
        _audit(actor, document, "revise", title=title, chars=len(text))
    return document


def review_days_checked(value: Any, field: str = "review_days") -> int | None:
    """A legality review period chosen within the rule's range (国办发〔2018〕
    115号: 一般不少于5个工作日，最长不超过15个工作日); none means the rule's."""
    if value in (None, ""):
        return None
    rule = get_rule(LEGALITY_RULE)
    low, high = rule.min_days or 1, rule.max_days or rule.days
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = None
    if n is None or isinstance(value, bool) or not low <= n <= high:
        raise ValidationError(
            {
                field: f"合法性审核期限应在 {low} 至 {high} 个工作日之间"
                f"（{rule.citation}），收到 {value}"
            }
        )
    return n


def normative_submit_review(
    *,
    actor: Any,
    document: NormativeDocument,
    on: date | None = None,
    review_days: int | None = None,
) -> NormativeDocument:
    """Send the draft to the legality review; its clock starts with the
    drafter's period within the rule's 5-15 working days (15 if none)."""
    days = review_days_checked(review_days)
    on = _day(on, "on", not_before=document.registered_on)
    with transaction.atomic():
        # The engine hands `legality_days` to the ranged rule's clock.
        _fire(
            actor=actor,
            nd=document,
            transition="submit_review",
            on=on,
            **({f"{wf.LEGALITY}_days": days} if days is not None else {}),
        )
        document.review_submitted_on = on
        document.save(update_fields=["review_submitted_on"])
    return document


def normative_review_period(
    *, actor: Any, document: NormativeDocument, review_days: int, reason: str = ""
) -> NormativeDocument:
    """The review office, taking up the review, sets its period within the
    rule's range; the clock counts again from the day the draft was sent."""
    if not can(actor, wf.LEGALITY_REVIEW, document.case.agency):
        raise PermissionDenied("您无权确定该文件的合法性审核期限")
    days = review_days_checked(review_days)
    if days is None:
        raise ValidationError({"review_days": "请填写合法性审核期限"})
    reason = _text(reason, "reason", "说明", 500, required=False)
    with transaction.atomic():
        # Locked like a transition, so an opinion given at the same moment
        # cannot stop the clock between this check and the restart.
        case = type(document.case).objects.select_for_update().get(pk=document.case_id)
        if case.state != wf.REVIEWING:
            raise ValidationError({"review_days": "只有审核中的草案可以确定审核期限"})
        assert document.review_submitted_on is not None
        clock_start(
            actor=actor,
            case=case,
            name=wf.LEGALITY,
            start=document.review_submitted_on,
            rule_id=LEGALITY_RULE,
            days=days,
        )
        # `note` is what the record shows under the step: period and reason.
        note = f"审核期限{days}个工作日" + (f"：{reason}" if reason else "")
        _audit(actor, document, "review_period", days=days, reason=reason, note=note)
    return document


def normative_legality_opinion(
    *,
    actor: Any,
    document: NormativeDocument,
    verdict: str,
    text: str,
    on: date | None = None,
) -> NormativeOpinion:
    """The review office's written opinion (国办发〔2018〕115号: 出具审核意见).

    合法 / 修改后出台 let the drafter publish; 退回修改 sends it back."""
    if verdict not in (Opinion.LAWFUL, Opinion.REVISE, Opinion.RETURN):
        raise ValidationError({"verdict": "请选择审核意见"})
    required = verdict != Opinion.LAWFUL
    text = _text(text, "text", "审核意见", 5000, required=required)
    on = _day(on, "on", not_before=document.review_submitted_on)
    transition = "review_return" if verdict == Opinion.RETURN else "review_pass"
    with transaction.atomic():
        _fire(
            actor=actor,
            nd=document,
            transition=transition,
            on=on,
            note=text,
            verdict=verdict,
        )
        opinion = _opinion(
            actor=actor,
            nd=document,
            stage=NormativeOpinion.Stage.LEGALITY,
            verdict=verdict,
            text=text,
            on=on,
        )
        document.reviewed_on = on
        document.save(update_fields=["reviewed_on"])
    return opinion


def normative_withdraw(
    *, actor: Any, document: NormativeDocument, reason: str
) -> NormativeDocument:
    reason = _text(reason, "reason", "撤回理由", 500)
    with transaction.atomic():
        _fire(actor=actor, nd=document, transition="withdraw", on=today(), note=reason)
    return document


# -- publication and filing ----------------------------------------------------


def normative_publish(
    *,
    actor: Any,
    document: NormativeDocument,
    doc_number: str,
    published_on: date,
    effective_on: date | None = None,
    expires_on: date | None = None,
    text: str | None = None,
    title: str | None = None,
) -> NormativeDocument:
    """Publish (公布): the filing clock starts and the text enters the
    query platform. 有效期 at most the rule normative.validity (5 years)
    from taking effect. The title is the one the drafter confirms, by
    default the draft's without its （草案） mark; a title still marked as a
    draft is refused, since it would stand so in the query platform."""
    doc_number = _text(doc_number, "doc_number", "文号", 100)
    if title:
        title = _text(title, "title", "文件名称", TITLE_MAX)
        if final_title(title) != title:
            raise ValidationError(
                {"title": f"公布的文件名称不应带有草案标记：{final_title(title)}"}
            )
    else:
        title = final_title(document.title)
    on = _day(published_on, "published_on", not_before=document.reviewed_on)
    effective = effective_on or on
    if effective < on:
        raise ValidationError({"effective_on": "施行日期不能早于公布日期"})
    rule = get_rule(VALIDITY_RULE)
    if expires_on is None:
        raise ValidationError({"expires_on": f"请填写有效期（一般不超过{rule.label}）"})
    if expires_on <= effective:
        raise ValidationError({"expires_on": "有效期应晚于施行日期"})
    limit = validity_end(effective)
    if expires_on > limit:
        raise ValidationError(
            {"expires_on": f"有效期一般不超过{rule.label}（至 {limit}）"}
        )
    with transaction.atomic():
        _fire(actor=actor, nd=document, transition="publish", on=on)
        if text is not None:
            document.text = _text(text, "text", "文件正文", TEXT_MAX)
        draft_title, document.title = document.title, title
        document.doc_number = doc_number
        document.published_on, document.effective_on = on, effective
        document.expires_on = expires_on
        document.validity, document.validity_changed_on = Validity.IN_FORCE, on
        document.save()
        # The case (inbox, due lists, record) goes by the published name too.
        case_retitle(case=document.case, title=title, actor=actor, reason="公布")
        platform_publish(document)
        _audit(
            actor,
            document,
            "publish",
            doc_number=doc_number,
            published_on=on,
            expires_on=expires_on,
            platform=document.law_document_id,
            **(
                {"title": title, "draft_title": draft_title}
                if title != draft_title
                else {}
            ),
        )
    return document


# Why a document whose procedure a repeal or its expiry ended is not filed.
_ENDED = {
    wf.REPEALED: lambda nd: (
        f"该文件已于{fmt(nd.validity_changed_on)}废止，备案程序已终止，不再报送备案"
    ),
    wf.EXPIRED: lambda nd: (
        f"该文件有效期至{fmt(nd.expires_on)}已届满失效，备案程序已终止，不再报送备案"
    ),
}


def normative_file(
    *, actor: Any, document: NormativeDocument, filed_on: date | None = None
) -> NormativeDocument:
    """报送备案: the filing clock stops, the reviewer's clock starts."""
    ended = _ENDED.get(document.case.state)
    if ended:
        # A state, not an input, refuses it: told like a refused step, so a
        # page left open from before the sweep shows why.
        raise IllegalTransition(ended(document))
    on = _day(filed_on, "filed_on", not_before=document.published_on)
    with transaction.atomic():
        _fire(actor=actor, nd=document, transition="file", on=on)
        document.filed_on = on
        document.save(update_fields=["filed_on"])
    return document


def normative_request_supplement(
    *, actor: Any, document: NormativeDocument, text: str, on: date | None = None
) -> NormativeOpinion:
    text = _text(text, "text", "补正内容", 2000)
    on = _day(on, "on", not_before=document.filed_on)
    with transaction.atomic():
        _fire(
            actor=actor, nd=document, transition="request_supplement", on=on, note=text
        )
        return _opinion(
            actor=actor,
            nd=document,
            stage=NormativeOpinion.Stage.FILING,
            verdict=Opinion.SUPPLEMENT,
            text=text,
            on=on,
        )


def normative_supplement(
    *, actor: Any, document: NormativeDocument, text: str = "", on: date | None = None
) -> NormativeDocument:
    """The drafter sends what was asked; the review clock resumes that day."""
    text = _text(text, "text", "补正说明", 2000, required=False)
    on = _day(on, "on", not_before=document.filed_on)
    with transaction.atomic():
        _fire(actor=actor, nd=document, transition="supplement", on=on, note=text)
        _audit(actor, document, "supplement", text=text)
    return document


def normative_accept(
    *, actor: Any, document: NormativeDocument, text: str = "", on: date | None = None
) -> NormativeOpinion:
    text = _text(text, "text", "审查意见", 2000, required=False)
    on = _day(on, "on", not_before=document.filed_on)
    with transaction.atomic():
        _fire(actor=actor, nd=document, transition="accept", on=on, note=text)
        document.filing_result = NormativeDocument.FilingResult.ACCEPTED
        document.decided_on = on
        document.save(update_fields=["filing_result", "decided_on"])
        return _opinion(
            actor=actor,
            nd=document,
            stage=NormativeOpinion.Stage.FILING,
            verdict=Opinion.ACCEPTED,
            text=text,
            on=on,
        )


def normative_find_fault(
    *,
    actor: Any,
    document: NormativeDocument,
    result: str,
    text: str,
    on: date | None = None,
) -> NormativeOpinion:
    """审查认定违法或不适当: the drafter must correct (有错必纠)."""
    if result not in (
        NormativeDocument.FilingResult.UNLAWFUL,
        NormativeDocument.FilingResult.INAPPROPRIATE,
    ):
        raise ValidationError({"result": "请选择违法或不适当"})
    text = _text(text, "text", "审查意见（问题和纠正要求）", 5000)
    on = _day(on, "on", not_before=document.filed_on)
    with transaction.atomic():
        _fire(
            actor=actor,
            nd=document,
            transition="find_fault",
            on=on,
            note=text,
            result=result,
        )
        document.filing_result, document.decided_on = result, on
        document.save(update_fields=["filing_result", "decided_on"])
        return _opinion(
            actor=actor,
            nd=document,
            stage=NormativeOpinion.Stage.FILING,
            verdict=result,
            text=text,
            on=on,
        )


def normative_correct(
    *,
    actor: Any,
    document: NormativeDocument,
    method: str,
    text: str,
    on: date | None = None,
    new_text: str | None = None,
) -> NormativeOpinion:
    """The drafter reports the correction done: 修改 (the platform gets the
    amended text), 废止 (no longer in force) or 停止执行有关规定."""
    Correction = NormativeDocument.Correction
    if method not in Correction.values:
        raise ValidationError({"method": "请选择纠正方式"})
    text = _text(text, "text", "纠正情况说明", 5000)
    if method == Correction.AMEND:
        new_text = _text(new_text, "new_text", "修改后的正文", TEXT_MAX)
    on = _day(on, "on", not_before=document.decided_on)
    with transaction.atomic():
        _fire(
            actor=actor,
            nd=document,
            transition="correct",
            on=on,
            note=text,
            method=method,
        )
        document.correction, document.corrected_on = method, on
        if method == Correction.AMEND:
            document.text = new_text or document.text
        document.save(update_fields=["correction", "corrected_on", "text"])
        if method == Correction.AMEND:
            platform_publish(document, event="按备案审查意见修改", on=on)
        elif method == Correction.REPEAL:
            _end_validity(document, Validity.REPEALED, on, "纠错废止")
        return _opinion(
            actor=actor,
            nd=document,
            stage=NormativeOpinion.Stage.CORRECTION,
            verdict=Opinion.CORRECTED,
            text=text,
            on=on,
        )


def _end_validity(nd: NormativeDocument, validity: str, on: date, event: str) -> None:
    nd.validity, nd.validity_changed_on = validity, on
    nd.save(update_fields=["validity", "validity_changed_on"])
    platform_mark(nd, event=event, on=on)


def _locked_state(nd: NormativeDocument) -> str:
    """The case's state read under its row lock (in the caller's
    transaction): a step fired at the same moment (报送备案) comes first and
    is seen, or waits for the caller."""
    return type(nd.case).objects.select_for_update().get(pk=nd.case_id).state


def end_filing(
    *,
    actor: Any,
    document: NormativeDocument,
    steps: dict[str, str],
    on: date,
    note: str,
) -> bool:
    """End the filing procedure still open on a document that stops being in
    force, by the step `steps` (wf.REPEAL_STEPS, wf.EXPIRE_STEPS) names for
    its state, which stops the clocks running there (报送备案, 备案审查,
    补正): nothing is left to file or review. False when none was open.
    Called inside the caller's transaction."""
    step = steps.get(_locked_state(document))
    if step is None:
        return False
    _fire(actor=actor, nd=document, transition=step, on=on, note=note)
    return True


def normative_repeal(
    *, actor: Any, document: NormativeDocument, reason: str, on: date | None = None
) -> NormativeDocument:
    """废止 a document in force (a cleanup or post-evaluation decision).

    A filing procedure still open ends with it, its running clocks stopped
    by the workflow (报送备案, 备案审查, 补正: nothing is left to file or
    review); a document being corrected is repealed as its correction
    (纠正方式：废止), which stops the correction clock."""
    _require_handle(actor, document)
    if document.validity != Validity.IN_FORCE:
        raise ValidationError({"validity": "该文件不是现行有效文件"})
    reason = _text(reason, "reason", "废止理由", 500)
    on = _day(on, "on", not_before=document.published_on)
    with transaction.atomic():
        ended = False
        if _locked_state(document) == wf.CORRECTING:
            normative_correct(
                actor=actor,
                document=document,
                method=NormativeDocument.Correction.REPEAL,
                text=f"废止：{reason}",
                on=on,
            )
        else:
            ended = end_filing(
                actor=actor,
                document=document,
                steps=wf.REPEAL_STEPS,
                on=on,
                note=reason,
            )
            _end_validity(document, Validity.REPEALED, on, f"废止：{reason}")
        # The record shows the reason once: under the step that ended the
        # procedure, or else under this event.
        shown = {} if ended else {"note": reason}
        _audit(actor, document, "repeal", reason=reason, on=on, **shown)
    return document
