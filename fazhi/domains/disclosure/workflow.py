"""The disclosure request as a state machine (条例 arts. 30-33).

submitted ─receive→ handling ─reply→ replied
             handling ─request_correction→ correcting ─correction_received→ handling
             correcting ─abandon→ abandoned
             handling ─consult→ consulting ─consult_done→ handling
             handling ─extend→ handling          (once, approved)
             any open state ─withdraw*→ withdrawn

An online, fax or ordinary-mail request waits in `submitted` until the office
confirms it (art. 31: the confirmation day is the receipt day); the reply
clock starts on `receive`. Every transition needs the data only the
disclosure services supply, so the generic case page cannot fire one bare.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from fazhi.kernel.org.roles import CASE_HANDLE, CASE_SUPERVISE
from fazhi.kernel.workflow.definitions import (
    CaseType,
    ClockAction,
    Transition,
    register,
)

CODE = "disclosure"
REPLY = "reply"  # the 20-working-day clock (art. 33)
CORRECTION = "correction"  # the applicant's 补正 period (art. 30)
THIRD_PARTY = "third_party"  # the third party's 15 working days (art. 32)

SUBMITTED = "submitted"
HANDLING = "handling"
CORRECTING = "correcting"
CONSULTING = "consulting"
REPLIED = "replied"
ABANDONED = "abandoned"
WITHDRAWN = "withdrawn"
OPEN_STATES = frozenset({SUBMITTED, HANDLING, CORRECTING, CONSULTING})


def via_service(case: Any, payload: dict[str, Any]) -> str | None:
    if not payload.get("disclosure"):
        return str(_("请在“政府信息公开”办理页面执行此操作"))
    return None


def _t(name: str, source: set[str], target: str, perm: str, label: Any, **kw: Any):
    return Transition(name, source, target, perm, label, guards=(via_service,), **kw)


DISCLOSURE = CaseType(
    code=CODE,
    name=_("政府信息公开申请"),
    number_prefix="GK",
    states={
        SUBMITTED: _("待确认收到"),
        HANDLING: _("办理中"),
        CORRECTING: _("待补正"),
        CONSULTING: _("征求意见中"),
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
            clocks=(ClockAction("stop", REPLY), ClockAction("start", CORRECTION)),
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
            "extend",
            {HANDLING},
            HANDLING,
            CASE_SUPERVISE,
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
