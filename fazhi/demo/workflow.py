"""A small demonstration case type, so the kernel can be seen at work before
the domain modules arrive: a 12345 complaint handled on the statutory clock.

It exercises everything a domain case type uses: states, permissions, a
pause for 补正, an approved extension, a send-back, and a closing stop.
"""

from django.utils.translation import gettext_lazy as _

from fazhi.kernel.org.roles import CASE_HANDLE, CASE_SUPERVISE
from fazhi.kernel.workflow.definitions import (
    CaseType,
    ClockAction,
    Transition,
    register,
)

DEMO = CaseType(
    code="demo",
    name=_("演示办件"),
    number_prefix="YS",
    states={
        "registered": _("已登记"),
        "handling": _("办理中"),
        "waiting": _("待补正"),
        "review": _("待审核"),
        "closed": _("已办结"),
    },
    initial="registered",
    terminal=frozenset({"closed"}),
    on_open=(ClockAction("start", "reply", rule="hotline.complaint"),),
    transitions=[
        Transition("accept", {"registered"}, "handling", CASE_HANDLE, _("签收")),
        Transition(
            "request_info",
            {"handling"},
            "waiting",
            CASE_HANDLE,
            _("要求补正"),
            clocks=(ClockAction("pause", "reply"),),
            requires_note=True,
        ),
        Transition(
            "resume",
            {"waiting"},
            "handling",
            CASE_HANDLE,
            _("补正到达"),
            clocks=(ClockAction("resume", "reply"),),
        ),
        Transition(
            "extend",
            {"handling"},
            "handling",
            CASE_SUPERVISE,
            _("批准延期"),
            clocks=(ClockAction("extend", "reply", rule="hotline.complaint"),),
            requires_note=True,
        ),
        Transition("submit", {"handling"}, "review", CASE_HANDLE, _("提交审核")),
        Transition(
            "send_back",
            {"review"},
            "handling",
            CASE_SUPERVISE,
            _("退回重办"),
            requires_note=True,
        ),
        Transition(
            "approve",
            {"review"},
            "closed",
            CASE_SUPERVISE,
            _("审核办结"),
            clocks=(ClockAction("stop", "reply"),),
        ),
    ],
)


def register_demo_case_type() -> None:
    register(DEMO)
