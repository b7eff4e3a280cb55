"""The plan's case types, as data: milestone progress and 督办 notices.

A milestone is reported on by its unit (case.handle on the unit) and reviewed
by the office (plan.manage): accepted when done, returned with reasons. A
督办 notice runs a reply clock the recipient answers; the office closes it.
"""

from django.utils.translation import gettext_lazy as _

from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.kernel.workflow.definitions import (
    CaseType,
    ClockAction,
    Transition,
    register,
)

PLAN_MANAGE = "plan.manage"

MILESTONE = "plan.milestone"
SUPERVISION = "plan.supervision"

MILESTONE_TYPE = CaseType(
    code=MILESTONE,
    name=_("方案节点任务"),
    number_prefix="FZRW",
    states={
        "open": _("推进中"),
        "reported": _("待审核"),
        "returned": _("已退回"),
        "done": _("已完成"),
    },
    initial="open",
    terminal=frozenset({"done"}),
    # The due clock's length is the office's date, passed as due_days.
    on_open=(ClockAction("start", "due"),),
    clock_labels={"due": _("完成时限")},
    open_label=_("下达节点任务"),
    transitions=[
        Transition(
            "report",
            # One report at a time: the office reviews it before the next.
            {"open", "returned"},
            "reported",
            permission=CASE_HANDLE,
            label=_("报送进展"),
        ),
        Transition(
            "progress_accept",
            {"reported"},
            "open",
            permission=PLAN_MANAGE,
            label=_("审核通过（继续推进）"),
        ),
        Transition(
            "complete",
            {"reported"},
            "done",
            permission=PLAN_MANAGE,
            label=_("审核通过（已完成）"),
            clocks=(ClockAction("stop", "due"),),
        ),
        Transition(
            "send_back",
            {"reported"},
            "returned",
            permission=PLAN_MANAGE,
            label=_("退回"),
            requires_note=True,
        ),
    ],
)

SUPERVISION_TYPE = CaseType(
    code=SUPERVISION,
    name=_("督办通知"),
    number_prefix="FZDB",
    states={
        "issued": _("待反馈"),
        "answered": _("已反馈"),
        "closed": _("已办结"),
    },
    initial="issued",
    terminal=frozenset({"closed"}),
    on_open=(ClockAction("start", "reply", rule="plan.supervision_reply"),),
    clock_labels={"reply": _("督办反馈期限")},
    open_label=_("发出督办通知"),
    transitions=[
        Transition(
            "answer",
            {"issued", "answered"},
            "answered",
            permission=CASE_HANDLE,
            label=_("反馈办理情况"),
            requires_note=True,
            clocks=(ClockAction("stop", "reply"),),
        ),
        Transition(
            "close",
            {"answered"},
            "closed",
            permission=PLAN_MANAGE,
            label=_("办结"),
        ),
        Transition(
            "reopen",
            {"answered"},
            "issued",
            permission=PLAN_MANAGE,
            label=_("要求重新反馈"),
            requires_note=True,
            clocks=(ClockAction("start", "reply", rule="plan.supervision_reply"),),
        ),
    ],
)


def register_case_types() -> None:
    register(MILESTONE_TYPE)
    register(SUPERVISION_TYPE)
