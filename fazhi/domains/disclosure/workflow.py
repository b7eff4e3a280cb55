"""The disclosure request as a state machine (条例 arts. 30-33).

submitted ─receive→ handling ─reply→ replied
             handling ─request_correction→ correcting ─correction_received→ handling
             correcting ─abandon→ abandoned
             handling ─consult→ consulting ─consult_done→ handling
             handling ─consult_agency→ consulting_agency ─consult_agency_done→ handling
             handling ─charge→ fee_pending ─fee_paid→ handling
             fee_pending ─fee_unpaid→ abandoned
             handling ─extend→ handling          (once, approved)
             any open state ─withdraw*→ withdrawn

An online, fax or ordinary-mail request waits in `submitted` until the office
confirms it (art. 31: the confirmation day is the receipt day); the reply
clock starts on `receive`. Every transition needs the data only the
disclosure services supply, so the generic case page cannot fire one bare.
"""

from django.utils.translation import gettext_lazy as _

from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.kernel.workflow.definitions import (
    CaseType,
    ClockAction,
    register,
    service_transitions,
)

# The extension's consent (art. 33(2)); see roles.py for who holds it.
DISCLOSURE_EXTEND = "disclosure.extend"

CODE = "disclosure"
REPLY = "reply"  # the 20-working-day clock (art. 33)
CORRECTION = "correction"  # the applicant's 补正 period (art. 30)
THIRD_PARTY = "third_party"  # the third party's 15 working days (art. 32)
CO_PRODUCER = "co_producer"  # a co-producing agency's 15 working days (art. 34)
FEE = "fee"  # the applicant's 20 working days to pay a processing fee (art. 42)

SUBMITTED = "submitted"
HANDLING = "handling"
CORRECTING = "correcting"
CONSULTING = "consulting"
CONSULTING_AGENCY = "consulting_agency"
FEE_PENDING = "fee_pending"
REPLIED = "replied"
ABANDONED = "abandoned"
WITHDRAWN = "withdrawn"
OPEN_STATES = frozenset(
    {SUBMITTED, HANDLING, CORRECTING, CONSULTING, CONSULTING_AGENCY, FEE_PENDING}
)


# Only the services fire these transitions (they check what the step needs).
_t = service_transitions("disclosure", _("政府信息公开办理"))


DISCLOSURE = CaseType(
    code=CODE,
    name=_("政府信息公开申请"),
    number_prefix="GK",
    states={
        SUBMITTED: _("待确认收到"),
        HANDLING: _("办理中"),
        CORRECTING: _("待补正"),
        CONSULTING: _("征求意见中"),
        CONSULTING_AGENCY: _("征求其他机关意见中"),
        FEE_PENDING: _("待缴费"),
        REPLIED: _("已答复"),
        ABANDONED: _("视为放弃"),
        WITHDRAWN: _("已撤回"),
    },
    initial=SUBMITTED,
    terminal=frozenset({REPLIED, ABANDONED, WITHDRAWN}),
    clock_labels={
        REPLY: _("依申请公开答复"),
        CORRECTION: _("申请人补正期限"),
        THIRD_PARTY: _("第三方提出意见"),
        CO_PRODUCER: _("共同制作机关提出意见"),
        FEE: _("申请人缴纳信息处理费"),
    },
    transitions=[
        _t(
            "receive",
            {SUBMITTED},
            HANDLING,
            CASE_HANDLE,
            _("确认收到申请"),
            clocks=(ClockAction("start", REPLY, rule="disclosure.reply"),),
        ),
        _t(
            "request_correction",
            {HANDLING},
            CORRECTING,
            CASE_HANDLE,
            _("告知补正"),
            # days/unit of the correction clock come from the payload: the
            # period is the agency's to set (art. 30 "合理的补正期限"). The
            # reply clock stops rather than pauses: art. 30 counts the reply
            # period afresh from the corrected request, so the days already
            # run are not owed back and no due date exists meanwhile.
            clocks=(
                ClockAction("stop", REPLY),
                ClockAction("start", CORRECTION, rule="disclosure.correction_reply"),
            ),
            requires_note=True,
        ),
        _t(
            "correction_received",
            {CORRECTING},
            HANDLING,
            CASE_HANDLE,
            _("收到补正"),
            # Art. 30: the reply period runs afresh from the corrected request.
            clocks=(
                ClockAction("stop", CORRECTION),
                ClockAction("start", REPLY, rule="disclosure.reply"),
            ),
        ),
        _t(
            "abandon",
            {CORRECTING},
            ABANDONED,
            CASE_HANDLE,
            _("逾期未补正，视为放弃"),
            clocks=(ClockAction("stop", CORRECTION),),
        ),
        _t(
            "consult",
            {HANDLING},
            CONSULTING,
            CASE_HANDLE,
            _("征求第三方意见"),
            # Art. 33(2): consultation time is not counted in the reply period.
            clocks=(
                ClockAction("pause", REPLY),
                ClockAction("start", THIRD_PARTY, rule="disclosure.third_party"),
            ),
        ),
        _t(
            "consult_done",
            {CONSULTING},
            HANDLING,
            CASE_HANDLE,
            _("收到第三方意见"),
            clocks=(ClockAction("stop", THIRD_PARTY), ClockAction("resume", REPLY)),
        ),
        _t(
            "consult_agency",
            {HANDLING},
            CONSULTING_AGENCY,
            CASE_HANDLE,
            _("征求共同制作机关意见"),
            # Art. 34: silence after 15 working days counts as consent; art.
            # 33(2): the time is not counted in the reply period.
            clocks=(
                ClockAction("pause", REPLY),
                ClockAction("start", CO_PRODUCER, rule="disclosure.co_producer"),
            ),
        ),
        _t(
            "consult_agency_done",
            {CONSULTING_AGENCY},
            HANDLING,
            CASE_HANDLE,
            _("收到共同制作机关意见"),
            clocks=(ClockAction("stop", CO_PRODUCER), ClockAction("resume", REPLY)),
        ),
        _t(
            "charge",
            {HANDLING},
            FEE_PENDING,
            CASE_HANDLE,
            _("发出收费通知"),
            # Art. 42 and 国办函〔2020〕109号: the applicant has 20 working
            # days to pay; the wait is not counted in the reply period.
            clocks=(
                ClockAction("pause", REPLY),
                ClockAction("start", FEE, rule="disclosure.fee_payment"),
            ),
        ),
        _t(
            "fee_paid",
            {FEE_PENDING},
            HANDLING,
            CASE_HANDLE,
            _("确认已缴费"),
            clocks=(ClockAction("stop", FEE), ClockAction("resume", REPLY)),
        ),
        _t(
            "fee_unpaid",
            {FEE_PENDING},
            ABANDONED,
            CASE_HANDLE,
            _("逾期未缴费，不再处理"),
            clocks=(ClockAction("stop", FEE), ClockAction("stop", REPLY)),
        ),
        _t(
            "extend",
            {HANDLING},
            HANDLING,
            DISCLOSURE_EXTEND,
            _("批准延期答复"),
            clocks=(ClockAction("extend", REPLY),),
            requires_note=True,
        ),
        _t(
            "reply",
            {HANDLING},
            REPLIED,
            CASE_HANDLE,
            _("作出答复"),
            clocks=(ClockAction("stop", REPLY),),
        ),
        _t("withdraw_unreceived", {SUBMITTED}, WITHDRAWN, CASE_HANDLE, _("申请人撤回")),
        _t(
            "withdraw_correcting",
            {CORRECTING},
            WITHDRAWN,
            CASE_HANDLE,
            _("申请人撤回"),
            clocks=(ClockAction("stop", CORRECTION),),
        ),
        _t(
            "withdraw_consulting",
            {CONSULTING},
            WITHDRAWN,
            CASE_HANDLE,
            _("申请人撤回"),
            clocks=(ClockAction("stop", THIRD_PARTY), ClockAction("stop", REPLY)),
        ),
        _t(
            "withdraw_consulting_agency",
            {CONSULTING_AGENCY},
            WITHDRAWN,
            CASE_HANDLE,
            _("申请人撤回"),
            clocks=(ClockAction("stop", CO_PRODUCER), ClockAction("stop", REPLY)),
        ),
        _t(
            "withdraw_fee",
            {FEE_PENDING},
            WITHDRAWN,
            CASE_HANDLE,
            _("申请人撤回"),
            clocks=(ClockAction("stop", FEE), ClockAction("stop", REPLY)),
        ),
        _t(
            "withdraw",
            {HANDLING},
            WITHDRAWN,
            CASE_HANDLE,
            _("申请人撤回"),
            clocks=(ClockAction("stop", REPLY),),
        ),
    ],
)


# Proactive disclosure: one case per piece of information to publish, so the
# due-soon and overdue lists and warnings cover it like any other clock.
PROACTIVE_CODE = "disclosure_proactive"
PUBLISH = "publish"  # the 20-working-day clock (art. 26)
PENDING = "pending"
PUBLISHED = "published"
CANCELLED = "cancelled"

PROACTIVE = CaseType(
    code=PROACTIVE_CODE,
    name=_("主动公开信息"),
    number_prefix="ZD",
    states={PENDING: _("待公开"), PUBLISHED: _("已公开"), CANCELLED: _("已撤销")},
    initial=PENDING,
    terminal=frozenset({PUBLISHED, CANCELLED}),
    clock_labels={PUBLISH: _("主动公开")},
    on_open=(ClockAction("start", PUBLISH, rule="disclosure.proactive"),),
    transitions=[
        _t(
            "publish",
            {PENDING},
            PUBLISHED,
            CASE_HANDLE,
            _("公开"),
            clocks=(ClockAction("stop", PUBLISH),),
        ),
        _t(
            "cancel",
            {PENDING},
            CANCELLED,
            CASE_HANDLE,
            _("撤销登记"),
            clocks=(ClockAction("stop", PUBLISH),),
            requires_note=True,
        ),
    ],
)


def register_case_type() -> None:
    register(DISCLOSURE)
    register(PROACTIVE)
