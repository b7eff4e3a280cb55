"""Processing fees (条例 art. 42; 国办函〔2020〕109号).

Requests are free. Only when an applicant's requests clearly exceed a
reasonable number or frequency may the agency charge, by the tiers in
rules.py. The notice pauses the reply clock and gives the applicant 20
working days to pay; an unpaid fee ends the request, which the annual report
counts under （六）其他处理 "逾期未按收费通知要求缴纳费用".
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.kernel.deadlines.calendar import fmt, today
from fazhi.kernel.deadlines.inputs import check_day
from fazhi.kernel.deadlines.models import Clock

from .. import rules
from ..models import Application, FeeNotice
from ..workflow import FEE, FEE_PENDING, HANDLING
from .common import fire, notice_number, tell_applicant


def _pending(application: Application) -> FeeNotice:
    if application.case.state != FEE_PENDING:
        raise ValidationError({"state": "当前没有待缴纳的信息处理费"})
    fee = application.fees.order_by("-id").first()
    assert fee is not None
    return fee


def requests_this_month(application: Application) -> int:
    """The applicant's requests to this agency in the month this one was
    received, this one included (the per-request count of 109号)."""
    on = application.received_on or application.submitted_on
    same = Application.objects.filter(
        case__agency=application.case.agency,
        received_on__year=on.year,
        received_on__month=on.month,
        received_on__lte=on,
    )
    key = application.id_number or application.credit_code or application.phone
    if not key:
        return 1
    field = (
        "id_number"
        if application.id_number
        else "credit_code"
        if application.credit_code
        else "phone"
    )
    return max(1, same.filter(**{field: key}).count())


def fee_notice_issue(
    *,
    actor: Any,
    application: Application,
    method: str,
    quantity: int,
    reason: str,
    pay_by: str,
    on: date | None = None,
) -> FeeNotice:
    """Send the fee notice: the amount follows the tiers; nothing is charged
    when the count or the pages stay within the free allowance."""
    if application.case.state != HANDLING:
        raise ValidationError({"state": "当前状态下不能发出收费通知"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "请说明申请数量、频次明显超过合理范围的情况（条例第四十二条）"}
        )
    pay_by = (pay_by or "").strip()
    if not pay_by:
        raise ValidationError({"pay_by": "请写明缴纳方式（收款单位、账户或缴款渠道）"})
    first = 1
    if method == FeeNotice.Method.PER_REQUEST:
        # `quantity` is this month's count up to this request; it is charged
        # at the price of its own place in the month.
        first = quantity
        amount, how = rules.fee_quote(method, 1, first=quantity)
    else:
        amount, how = rules.fee_quote(method, quantity)
    if amount <= 0:
        raise ValidationError(
            {"quantity": f"未超过免费范围，不收取信息处理费（{how}）"}
        )
    assert application.received_on is not None
    on = check_day(on or today(), "on", not_before=application.received_on)
    with transaction.atomic():
        fee = FeeNotice.objects.create(
            application=application,
            method=method,
            quantity=quantity,
            amount=amount,
            reason=reason[:2000],
            pay_by=pay_by[:1000],
            notice_on=on,
            doc_number=notice_number(agency=application.case.agency, kind="fee", on=on),
        )
        fire(
            actor=actor,
            application=application,
            transition="charge",
            on=on,
            note=f"信息处理费 {amount} 元（{how}）",
            amount=str(amount),
            method=method,
            first=first,
            doc_number=fee.doc_number,
        )
        tell_applicant(
            actor=actor,
            application=application,
            subject="政府信息公开申请收费通知",
            body=f"您的申请（{application.case.number}）需缴纳信息处理费{amount}元，"
            "请在收到通知次日起20个工作日内缴纳，详见门户网站。",
        )
    return fee


def fee_paid_confirm(
    *, actor: Any, application: Application, paid_on: date | None = None
) -> FeeNotice:
    """The fee arrived: the reply clock runs on from the day of payment."""
    fee = _pending(application)
    paid_on = check_day(paid_on or today(), "paid_on", not_before=fee.notice_on)
    with transaction.atomic():
        fee.paid_on = paid_on
        fee.save(update_fields=["paid_on"])
        fire(
            actor=actor,
            application=application,
            transition="fee_paid",
            on=paid_on,
            note=f"已缴纳信息处理费 {fee.amount} 元",
        )
    return fee


def fee_lapse(
    *, actor: Any, application: Application, on: date | None = None
) -> FeeNotice:
    """Not paid within the period: deemed abandoned, no further handling."""
    fee = _pending(application)
    on = check_day(on or today(), "on")
    clock = Clock.objects.get(case=application.case, name=FEE)
    if on <= clock.due_date:
        raise ValidationError(
            {"on": f"缴费期限至{fmt(clock.due_date)}届满，届满前不能终止办理"}
        )
    with transaction.atomic():
        fee.lapsed_on = on
        fee.save(update_fields=["lapsed_on"])
        application.result_code = "other.unpaid_fee"
        application.concluded_on = on
        application.save(update_fields=["result_code", "concluded_on"])
        fire(
            actor=actor,
            application=application,
            transition="fee_unpaid",
            on=on,
            note="申请人逾期未按收费通知要求缴纳费用，不再处理该申请",
        )
    return fee
