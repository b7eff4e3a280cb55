"""The normative document's filing procedure as a state machine.

drafting ─submit_review→ reviewing ─review_pass→ approved ─publish→ published
          reviewing ─review_return→ drafting        (审核意见：退回修改)
published ─file→ filed ─accept→ accepted             (有件必备、有备必审)
          filed ─request_supplement→ supplementing ─supplement→ filed
          filed ─find_fault→ correcting ─correct→ corrected   (有错必纠)
drafting ─withdraw→ withdrawn
published | filed | supplementing ─repeal_*→ repealed   (废止 ends the procedure)
published | filed | supplementing ─expire_*→ expired    (有效期届满 ends it too)

Clocks: `legality` (国办发〔2018〕115号: 5-15 working days) from the day the
draft is sent for review; `filing` (the province's period, 30 days by default)
from publication; `filing_review` from receipt of the filing, paused while the
drafter supplements (`supplement`); `correction` from the 纠错 notice.
Whether a published document is still in force (有效期, 清理, 废止) is the
document's `validity`, not a case state: the case is the filing procedure.
A document repealed before its filing procedure ended ends it too (state
`repealed`): nothing is left to file or review, so its open clocks stop. So
does one whose 有效期 runs out (state `expired`), ended by the expiry sweep
as a scheduled job: those steps are the calendar's, marked `system`, and no
role holds their permission, so no person fires them.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fazhi.kernel.audit.labels import register_action_labels
from fazhi.kernel.org.roles import CASE_HANDLE, Role, extend_role, register_role
from fazhi.kernel.workflow.definitions import (
    CaseType,
    ClockAction,
    Transition,
    register,
    service_transitions,
)

CODE = "normative"
# Permissions the justice bureau's two jobs need on the drafting agency.
LEGALITY_REVIEW = "normative.legality"
FILING_REVIEW = "normative.filing_review"
# Held by no role: the 有效期 ends by the calendar, not by anyone's decision.
EXPIRY = "normative.expiry"

LEGALITY = "legality"
FILING = "filing"
REVIEW = "filing_review"
SUPPLEMENT = "supplement"
CORRECTION = "correction"

DRAFTING = "drafting"
REVIEWING = "reviewing"
APPROVED = "approved"
PUBLISHED = "published"
FILED = "filed"
SUPPLEMENTING = "supplementing"
ACCEPTED = "accepted"
CORRECTING = "correcting"
CORRECTED = "corrected"
WITHDRAWN = "withdrawn"
REPEALED = "repealed"
EXPIRED = "expired"
OPEN_STATES = frozenset(
    {DRAFTING, REVIEWING, APPROVED, PUBLISHED, FILED, SUPPLEMENTING, CORRECTING}
)
# States in which the document has been published (and is in the platform).
PUBLIC_STATES = frozenset(
    {
        PUBLISHED,
        FILED,
        SUPPLEMENTING,
        ACCEPTED,
        CORRECTING,
        CORRECTED,
        REPEALED,
        EXPIRED,
    }
)
# Each state whose filing procedure is still open when the document stops
# being in force (废止 or 有效期届满), with the clocks running there, which
# the step ending the procedure stops. 纠错中 is not here: a repeal there is
# the correction (纠正方式：废止), and an expiry leaves it to be reported.
_OPEN_FILING: dict[str, tuple[str, tuple[ClockAction, ...]]] = {
    PUBLISHED: ("unfiled", (ClockAction("stop", FILING),)),
    FILED: ("in_review", (ClockAction("stop", REVIEW),)),
    # The review clock is paused while the drafter supplements.
    SUPPLEMENTING: (
        "supplementing",
        (ClockAction("stop", SUPPLEMENT), ClockAction("stop", REVIEW)),
    ),
}
# state -> the step ending its procedure, on a repeal and on expiry.
REPEAL_STEPS = {state: f"repeal_{name}" for state, (name, _c) in _OPEN_FILING.items()}
EXPIRE_STEPS = {state: f"expire_{name}" for state, (name, _c) in _OPEN_FILING.items()}


# Only the services fire these transitions (they check what the step needs).
_t = service_transitions("normative", _("规范性文件办理"))


def _ending(
    steps: dict[str, str],
    target: str,
    permission: str,
    label: str | Promise,
    **kw: bool,
) -> list[Transition]:
    """The steps ending an open filing procedure, one per state in
    `_OPEN_FILING`, each stopping that state's clocks."""
    return [
        _t(
            steps[state],
            {state},
            target,
            permission,
            label,
            clocks=clocks,
            requires_note=True,
            **kw,
        )
        for state, (_name, clocks) in _OPEN_FILING.items()
    ]


NORMATIVE = CaseType(
    code=CODE,
    name=_("行政规范性文件"),
    number_prefix="GF",
    states={
        DRAFTING: _("起草中"),
        REVIEWING: _("合法性审核中"),
        APPROVED: _("审核通过待公布"),
        PUBLISHED: _("已公布待备案"),
        FILED: _("备案审查中"),
        SUPPLEMENTING: _("待补正"),
        ACCEPTED: _("准予备案"),
        CORRECTING: _("纠错中"),
        CORRECTED: _("已纠正"),
        WITHDRAWN: _("已撤回"),
        REPEALED: _("已废止，备案程序终止"),
        EXPIRED: _("已失效，备案程序终止"),
    },
    initial=DRAFTING,
    terminal=frozenset({ACCEPTED, CORRECTED, WITHDRAWN, REPEALED, EXPIRED}),
    clock_labels={
        LEGALITY: _("合法性审核"),
        FILING: _("报送备案"),
        REVIEW: _("备案审查"),
        SUPPLEMENT: _("备案补正"),
        CORRECTION: _("自行纠正"),
    },
    open_label=_("登记规范性文件草案"),
    transitions=[
        _t(
            "submit_review",
            {DRAFTING},
            REVIEWING,
            CASE_HANDLE,
            _("送合法性审核"),
            # A resubmission after 退回修改 starts the period afresh.
            clocks=(ClockAction("start", LEGALITY, rule="normative.legality_review"),),
        ),
        _t(
            "review_pass",
            {REVIEWING},
            APPROVED,
            LEGALITY_REVIEW,
            _("出具合法性审核意见"),
            clocks=(ClockAction("stop", LEGALITY),),
        ),
        _t(
            "review_return",
            {REVIEWING},
            DRAFTING,
            LEGALITY_REVIEW,
            _("审核退回修改"),
            clocks=(ClockAction("stop", LEGALITY),),
            requires_note=True,
        ),
        _t(
            "publish",
            {APPROVED},
            PUBLISHED,
            CASE_HANDLE,
            _("公布"),
            clocks=(ClockAction("start", FILING, rule="normative.filing"),),
        ),
        _t(
            "file",
            {PUBLISHED},
            FILED,
            CASE_HANDLE,
            _("报送备案"),
            clocks=(
                ClockAction("stop", FILING),
                ClockAction("start", REVIEW, rule="normative.filing_review"),
            ),
        ),
        _t(
            "request_supplement",
            {FILED},
            SUPPLEMENTING,
            FILING_REVIEW,
            _("通知补正"),
            # Time the drafter takes to supplement is not the reviewer's.
            clocks=(
                ClockAction("pause", REVIEW),
                ClockAction("start", SUPPLEMENT, rule="normative.supplement"),
            ),
            requires_note=True,
        ),
        _t(
            "supplement",
            {SUPPLEMENTING},
            FILED,
            CASE_HANDLE,
            _("补充报送"),
            clocks=(ClockAction("stop", SUPPLEMENT), ClockAction("resume", REVIEW)),
        ),
        _t(
            "accept",
            {FILED},
            ACCEPTED,
            FILING_REVIEW,
            _("准予备案"),
            clocks=(ClockAction("stop", REVIEW),),
        ),
        _t(
            "find_fault",
            {FILED},
            CORRECTING,
            FILING_REVIEW,
            _("审查认定违法或不适当"),
            clocks=(
                ClockAction("stop", REVIEW),
                ClockAction("start", CORRECTION, rule="normative.correction"),
            ),
            requires_note=True,
        ),
        _t(
            "correct",
            {CORRECTING},
            CORRECTED,
            CASE_HANDLE,
            _("报告纠正结果"),
            clocks=(ClockAction("stop", CORRECTION),),
            requires_note=True,
        ),
        *_ending(REPEAL_STEPS, REPEALED, CASE_HANDLE, _("废止，终止备案程序")),
        *_ending(
            EXPIRE_STEPS,
            EXPIRED,
            EXPIRY,
            _("有效期届满，终止备案程序"),
            system=True,
        ),
        _t(
            "withdraw",
            {DRAFTING},
            WITHDRAWN,
            CASE_HANDLE,
            _("撤回草案"),
            requires_note=True,
        ),
    ],
)


# Audit actions of the laws services that are not transitions, named at
# start-up so the record never shows their code.
AUDIT_LABELS = {
    "normative.review_period": gettext_noop("确定审核期限"),
}


# 国办发〔2018〕115号: a department's draft is reviewed by the department's
# own legal office (legal_reviewer of that department); a draft issued in the
# name of a government by that government's 司法行政部门. The justice
# bureau's reviewers are members of the bureau, not of the government, so
# they are granted this role on the government with scope 本机构 (own): it
# reaches the government's own drafts and no department's, and only the
# review (the drafts are read under the same grant; no other case is).
GOVERNMENT_REVIEWER = "normative_gov_reviewer"
GOVERNMENT_REVIEWER_ROLE = Role(
    GOVERNMENT_REVIEWER,
    _("政府规范性文件合法性审核"),
    frozenset({LEGALITY_REVIEW}),
    _(
        "司法行政部门审核以本级人民政府名义印发的规范性文件草案"
        "（授予在该人民政府，范围为本机构）"
    ),
)


def register_case_type() -> None:
    register(NORMATIVE)
    register_role(GOVERNMENT_REVIEWER_ROLE)
    register_action_labels(AUDIT_LABELS)
    # The legal office reviews legality; the rule-of-law office (司法局)
    # reviews filings and checks legality of the government's own drafts.
    extend_role("legal_reviewer", {LEGALITY_REVIEW})
    extend_role("rule_of_law_office", {LEGALITY_REVIEW, FILING_REVIEW})
