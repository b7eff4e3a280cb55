"""The 12345 ticket as a state machine.

received ─dispatch→ dispatched ─sign→ handling ─reply→ replied ─visit_close→ closed
received ─answer_direct→ closed                         (直接答复, consultations)
dispatched ─return_ticket→ received | ─return_escalate→ escalated (3rd return, 提级)
escalated ─dispatch→ dispatched
handling ─pause→ paused ─resume→ handling;  handling ─extend→ handling (approved)
replied ─redo→ handling                                 (发回重办)
closed ─rectify→ rectifying ─rectify_done→ closed       (差评整改)
rectifying ─appeal→ appealing ─appeal_uphold→ closed | ─appeal_reject→ rectifying
received ─merge→ merged                                 (duplicate)

The case belongs to the centre until dispatch and to the lead agency after
it, so the engine checks an agency's case.handle on its own tickets and the
centre's hotline.dispatch wherever a ticket is. A dispatcher holds a role
carrying hotline.dispatch at the centre with city scope.

Every transition needs data only the hotline services supply (the routing,
the handle clock's rule by ticket type), so the generic case page cannot fire
one bare.
"""

from django.utils.translation import gettext_lazy as _

from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.kernel.workflow.definitions import (
    CaseType,
    ClockAction,
    register,
    service_transitions,
)

from .rules import RECTIFICATION_RULE, SIGN_RULE

CODE = "hotline"
HOTLINE_DISPATCH = "hotline.dispatch"

SIGN = "sign"  # sign for or return the dispatched ticket
HANDLE = "handle"  # reply within the ticket type's period
RECTIFY = "rectification"  # 差评整改

RECEIVED = "received"
DISPATCHED = "dispatched"
HANDLING = "handling"
PAUSED = "paused"
REPLIED = "replied"
CLOSED = "closed"
RECTIFYING = "rectifying"
APPEALING = "appealing"
ESCALATED = "escalated"
MERGED = "merged"

OPEN_STATES = frozenset({RECEIVED, DISPATCHED, HANDLING, PAUSED, ESCALATED})
AT_CENTRE = frozenset({RECEIVED, ESCALATED})


# Only the services fire these transitions (they check what the step needs).
_t = service_transitions("hotline", _("12345热线工单"))


HOTLINE = CaseType(
    code=CODE,
    name=_("12345热线工单"),
    number_prefix="RX",
    states={
        RECEIVED: _("待派单"),
        DISPATCHED: _("待签收"),
        HANDLING: _("办理中"),
        PAUSED: _("已中止"),
        REPLIED: _("已答复待回访"),
        CLOSED: _("已办结"),
        RECTIFYING: _("差评整改中"),
        APPEALING: _("申诉复核中"),
        ESCALATED: _("已提级待协调"),
        MERGED: _("已合并"),
    },
    initial=RECEIVED,
    terminal=frozenset({CLOSED, MERGED}),
    clock_labels={
        SIGN: _("签收时限"),
        HANDLE: _("办理时限"),
        RECTIFY: _("整改时限"),
    },
    transitions=[
        _t(
            "dispatch",
            {RECEIVED, ESCALATED},
            DISPATCHED,
            HOTLINE_DISPATCH,
            _("派单"),
            clocks=(ClockAction("start", SIGN, rule=SIGN_RULE),),
        ),
        _t("answer_direct", {RECEIVED}, CLOSED, HOTLINE_DISPATCH, _("直接答复")),
        _t(
            "sign",
            {DISPATCHED},
            HANDLING,
            CASE_HANDLE,
            _("签收"),
            clocks=(ClockAction("stop", SIGN),),
        ),
        _t(
            "return_ticket",
            {DISPATCHED},
            RECEIVED,
            CASE_HANDLE,
            _("退回"),
            requires_note=True,
            clocks=(ClockAction("stop", SIGN),),
        ),
        _t(
            "return_escalate",
            {DISPATCHED},
            ESCALATED,
            CASE_HANDLE,
            _("退回并提级"),
            requires_note=True,
            clocks=(ClockAction("stop", SIGN),),
        ),
        _t(
            "pause",
            {HANDLING},
            PAUSED,
            CASE_HANDLE,
            _("中止办理"),
            requires_note=True,
            clocks=(ClockAction("pause", HANDLE),),
        ),
        _t(
            "resume",
            {PAUSED},
            HANDLING,
            CASE_HANDLE,
            _("恢复办理"),
            clocks=(ClockAction("resume", HANDLE),),
        ),
        _t(
            "extend",
            {HANDLING},
            HANDLING,
            HOTLINE_DISPATCH,
            _("批准延期"),
            requires_note=True,
            clocks=(ClockAction("extend", HANDLE),),
        ),
        _t(
            "reply",
            {HANDLING},
            REPLIED,
            CASE_HANDLE,
            _("答复办结"),
            clocks=(ClockAction("stop", HANDLE),),
        ),
        _t("visit_close", {REPLIED}, CLOSED, HOTLINE_DISPATCH, _("回访办结")),
        _t(
            "redo",
            {REPLIED},
            HANDLING,
            HOTLINE_DISPATCH,
            _("发回重办"),
            requires_note=True,
        ),
        _t(
            "rectify",
            {CLOSED},
            RECTIFYING,
            HOTLINE_DISPATCH,
            _("差评转整改"),
            clocks=(ClockAction("start", RECTIFY, rule=RECTIFICATION_RULE),),
        ),
        _t(
            "rectify_done",
            {RECTIFYING},
            CLOSED,
            CASE_HANDLE,
            _("整改反馈"),
            requires_note=True,
            clocks=(ClockAction("stop", RECTIFY),),
        ),
        _t(
            "appeal",
            {RECTIFYING},
            APPEALING,
            CASE_HANDLE,
            _("申诉"),
            requires_note=True,
            clocks=(ClockAction("pause", RECTIFY),),
        ),
        _t(
            "appeal_uphold",
            {APPEALING},
            CLOSED,
            HOTLINE_DISPATCH,
            _("申诉成立"),
            requires_note=True,
            clocks=(ClockAction("stop", RECTIFY),),
        ),
        _t(
            "appeal_reject",
            {APPEALING},
            RECTIFYING,
            HOTLINE_DISPATCH,
            _("申诉不成立"),
            requires_note=True,
            clocks=(ClockAction("resume", RECTIFY),),
        ),
        _t("merge", {RECEIVED, ESCALATED}, MERGED, HOTLINE_DISPATCH, _("合并")),
    ],
)


def register_case_type() -> None:
    register(HOTLINE)
