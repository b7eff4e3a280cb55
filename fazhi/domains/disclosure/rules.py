"""Disclosure rules as data: how each channel fixes the receipt date, and the
platform's own limits (attachments, duplicate window, 补正 period).

Statutory periods themselves (20 working days to reply, 7 for the 补正 notice,
15 for a third party, one extension of 20) live in the deadlines kernel
(rule ids disclosure.*), so every clock and its explanation cite them.
"""

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fazhi.kernel.deadlines.calendar import fmt
from fazhi.kernel.deadlines.yearly import YearlyDate

ART_31 = "《政府信息公开条例》第三十一条"

IN_PERSON = "in_person"
REGISTERED_MAIL = "registered_mail"
ORDINARY_MAIL = "ordinary_mail"
ONLINE = "online"
FAX = "fax"

# Which date is the statutory receipt date (收到申请之日) for each channel.
SUBMITTED = "submitted_on"  # the day the applicant handed it in
SIGNED = "signed_on"  # the day the agency signed for the registered letter
CONFIRMED = "confirmed_on"  # the day the agency and the applicant confirmed


@dataclass(frozen=True)
class ReceiptRule:
    channel: str
    label: object
    date_field: str
    citation: str
    explain: str


RECEIPT_RULES: dict[str, ReceiptRule] = {
    r.channel: r
    for r in (
        ReceiptRule(
            IN_PERSON,
            _("当面提交"),
            SUBMITTED,
            f"{ART_31}第（一）项",
            "当面提交的，以提交之日为收到申请之日",
        ),
        ReceiptRule(
            REGISTERED_MAIL,
            _("邮寄（需签收）"),
            SIGNED,
            f"{ART_31}第（二）项",
            "以邮寄方式提交的，以行政机关签收之日为收到申请之日",
        ),
        ReceiptRule(
            ORDINARY_MAIL,
            _("平常信函"),
            CONFIRMED,
            f"{ART_31}第（二）项",
            "以平常信函等无需签收的邮寄方式提交的，政府信息公开工作机构应当于收到"
            "申请的当日与申请人确认，确认之日为收到申请之日",
        ),
        ReceiptRule(
            ONLINE,
            _("互联网"),
            CONFIRMED,
            f"{ART_31}第（三）项",
            "通过互联网渠道提交的，以双方确认之日为收到申请之日",
        ),
        ReceiptRule(
            FAX,
            _("传真"),
            CONFIRMED,
            f"{ART_31}第（三）项",
            "通过政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日",
        ),
    )
}
CHANNEL_CHOICES = tuple((r.channel, r.label) for r in RECEIPT_RULES.values())

_FIELD_LABELS = {SUBMITTED: "提交日期", SIGNED: "签收日期", CONFIRMED: "确认日期"}


def unused_date_fields(channel: str) -> tuple[str, ...]:
    """The optional dates (签收, 确认) that `channel`'s receipt rule does not
    read: the intake and receive forms neither show nor accept them."""
    rule = RECEIPT_RULES.get(channel)
    return tuple(f for f in (SIGNED, CONFIRMED) if rule is None or f != rule.date_field)


def receipt_date(
    channel: str,
    *,
    submitted_on: date | None,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
) -> date | None:
    """The statutory receipt date for `channel`, or None while it is not known
    yet (a letter not yet signed for, an online request not yet confirmed).

    Raises ValidationError naming the field when the dates contradict each
    other (a letter signed for before it was posted)."""
    rule = RECEIPT_RULES.get(channel)
    if rule is None:
        raise ValidationError({"channel": f"未知的提交渠道：{channel}"})
    if submitted_on is None:
        raise ValidationError({"submitted_on": "请填写提交日期"})
    values = {SUBMITTED: submitted_on, SIGNED: signed_on, CONFIRMED: confirmed_on}
    for name in (SIGNED, CONFIRMED):
        value = values[name]
        # A date the channel's rule does not read would sit on the record as
        # if it counted (a 签收日期 on an online request): refused.
        if value is not None and name != rule.date_field:
            raise ValidationError(
                {
                    name: f"{rule.label}提交的申请不填写{_FIELD_LABELS[name]}："
                    f"{rule.explain}（{rule.citation}）"
                }
            )
        if value is not None and value < submitted_on:
            raise ValidationError(
                {name: f"{_FIELD_LABELS[name]}不能早于提交日期{fmt(submitted_on)}"}
            )
    return values[rule.date_field]


# -- the annual report (条例 art. 49) -----------------------------------------
# Departments send theirs to the disclosure authority and publish it by 31
# January; the government's own report is published by 31 March.
ANNUAL_REPORT_DEPARTMENT = YearlyDate(
    "disclosure.annual_report.department",
    "部门年度报告提交并公布",
    1,
    31,
    "《政府信息公开条例》第四十九条第一款",
)
ANNUAL_REPORT_GOVERNMENT = YearlyDate(
    "disclosure.annual_report.government",
    "本级政府年度报告公布",
    3,
    31,
    "《政府信息公开条例》第四十九条第二款",
)
# The queue starts reminding the office this many days before 31 January,
# early enough to close the year's open requests (a platform choice).
ANNUAL_REPORT_REMIND_DAYS = 62


# -- platform limits (not law; each says why) ---------------------------------

# Attachments: enough for a scanned ID and a few pages of supporting letters;
# the type is decided by the file's first bytes, never by its name.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5

# The applicant's 补正 period (条例 art. 30 "合理的补正期限") is the kernel
# rule disclosure.correction_reply: a default and a range, set locally.
CORRECTION_RULE = "disclosure.correction_reply"

# An application is flagged as a possible repeat of one from the same
# applicant with the same normalised content received within this many days;
# staff decide (条例 art. 36(6) has no window, the flag only helps them look).
DUPLICATE_WINDOW_DAYS = 365


# -- 文号 of the notices (not law: local practice) ----------------------------
# The 补正, extension, fee and consultation letters are documents of their
# own, numbered per agency and year like any outgoing document (GB/T
# 9704-2012 7.2.4: 〔year〕 in hexagonal brackets, no leading zeros):
# 黄司公开补正〔2026〕3号. The reply keeps the 文号 its handler gives it.
NOTICE_DOC_WORDS = {
    "correction": "补正",
    "extension": "延期",
    "fee": "收费",
    # One letter per party consulted (第三方, art. 32; 共同制作机关, art. 34).
    "consultation": "征询",
}


def notice_doc_number(agency_abbr: str, kind: str, year: int, n: int) -> str:
    return f"{agency_abbr}公开{NOTICE_DOC_WORDS[kind]}〔{year}〕{n}号"


# -- processing fees (条例 art. 42) -------------------------------------------
# 《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）: an agency may charge
# only when the number or frequency of requests is clearly beyond reason,
# either per request (the same applicant's requests in one calendar month) or
# per page of one request. Each tier: (first unit it applies to, yuan per
# unit); a unit below the first tier is free. Marked verify, like the rule.
FEE_BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
FEE_VERIFY = True
PER_REQUEST_FREE = 10
PER_PAGE_FREE = 30
PER_PAGE_TIERS = ((31, Decimal(10)), (101, Decimal(20)), (201, Decimal(40)))


def per_request_price(n: int) -> Decimal:
    """Yuan for the applicant's n-th request of the month: 11-30 cost 100,
    and from the 31st the price rises by 100 for every further 10."""
    if n <= PER_REQUEST_FREE:
        return Decimal(0)
    if n <= 30:
        return Decimal(100)
    return Decimal(100) * (2 + (n - 31) // 10)


def fee_quote(method: str, quantity: int, *, first: int = 1) -> tuple[Decimal, str]:
    """(amount, how it was reached). `per_request`: `quantity` requests this
    month numbered from `first`; `per_page`: `quantity` pages of one request."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValidationError({"quantity": "件数或页数应为正整数"})
    if method == "per_request":
        last = first + quantity - 1
        total = sum((per_request_price(n) for n in range(first, last + 1)), Decimal(0))
        which = f"第{first}件" if first == last else f"第{first}至第{last}件"
        how = (
            f"本月{which}申请；每月{PER_REQUEST_FREE}件以内不收费，"
            "第11至30件每件100元，第31件起每增加10件每件提高100元"
        )
        return total, how
    if method == "per_page":
        total = Decimal(0)
        bounds = [*PER_PAGE_TIERS, (10**9, Decimal(0))]
        for (start, price), (nxt, _p) in itertools.pairwise(bounds):
            pages = max(0, min(quantity, nxt - 1) - start + 1)
            total += pages * price
        how = (
            f"共{quantity}页；{PER_PAGE_FREE}页以内不收费，31至100页每页10元，"
            "101至200页每页20元，201页起每页40元"
        )
        return total, how
    raise ValidationError({"method": "请选择计收方式"})
