"""The 12345 centre's own role: the 话务派单员 who takes calls and dispatches.

Centre staff type in phone calls, work the dispatch queue, answer simple
consultations directly, merge duplicates, approve extensions, close tickets
after the 回访 and turn a 差评 into rectification: all of it hotline.dispatch.
They do not sign for, handle or reply to an agency's ticket (no case.handle),
so a dispatcher can never answer the ticket it dispatched.

Grant it at the centre (settings.HOTLINE_CENTRE_AGENCY) with city scope: a
ticket belongs to the lead agency once dispatched, and the centre still closes
it there. Held at any other agency it is no dispatcher (services check the
permission at the centre, see services.common.is_dispatcher).
"""

from django.utils.translation import gettext_lazy as _

from fazhi.kernel.org.roles import (
    CASE_VIEW,
    INDICATOR_VIEW,
    PERSONAL_DATA_VIEW,
    RESPONSIBILITY_VIEW,
    Role,
    extend_role,
    register_role,
)

from .workflow import HOTLINE_DISPATCH

DISPATCHER = "hotline_dispatcher"

DISPATCHER_ROLE = Role(
    DISPATCHER,
    _("12345话务派单员"),
    # The caller's number is needed to call back for the 回访; the 权责清单
    # explains the suggested routing; the dashboard shows the centre's KPIs.
    frozenset(
        {CASE_VIEW, RESPONSIBILITY_VIEW, INDICATOR_VIEW, PERSONAL_DATA_VIEW}
        | {HOTLINE_DISPATCH}
    ),
    _("12345热线中心：电话受理、派单、直接答复、合并重复件、回访（不办理部门工单）"),
)

# Leaders and the rule-of-law office coordinate: escalated tickets, approved
# extensions, appeals against a rating.
COORDINATORS = ("agency_leader", "rule_of_law_office")


def register_hotline_roles() -> None:
    register_role(DISPATCHER_ROLE)
    for role in COORDINATORS:
        extend_role(role, {HOTLINE_DISPATCH})
