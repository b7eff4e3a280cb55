"""The detail page's steps as data: each action's form, the service it calls,
the permission and states it needs, and its label; plus how a bound form is
handed to its service and which steps the page offers.

The views look actions up here; adding a step means one entry in ACTIONS
(and, when its service takes other arguments, a line in `call`).
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE

from . import forms as f
from . import services
from .models import Application
from .workflow import (
    CONSULTING,
    CONSULTING_AGENCY,
    CORRECTING,
    DISCLOSURE_EXTEND,
    FEE_PENDING,
    HANDLING,
    REPLIED,
    SUBMITTED,
)

# action -> (form, service, permission, states it applies in, label)
ACTIONS: dict[str, tuple[Any, Any, str, set[str], Any]] = {
    "receive": (
        f.ReceiveForm,
        services.application_receive,
        CASE_HANDLE,
        {SUBMITTED},
        gettext_lazy("确认收到申请"),
    ),
    "correction": (
        f.CorrectionForm,
        services.correction_request,
        CASE_HANDLE,
        {HANDLING},
        gettext_lazy("告知补正"),
    ),
    "correction_received": (
        f.CorrectionReceivedForm,
        services.correction_receive,
        CASE_HANDLE,
        {CORRECTING},
        gettext_lazy("收到补正"),
    ),
    "abandon": (
        f.NoteForm,
        services.application_abandon,
        CASE_HANDLE,
        {CORRECTING},
        gettext_lazy("逾期未补正，视为放弃"),
    ),
    "consult": (
        f.ConsultForm,
        services.consultation_start,
        CASE_HANDLE,
        {HANDLING},
        gettext_lazy("征求意见（第三方或共同制作机关）"),
    ),
    "consult_done": (
        f.ConsultDoneForm,
        services.consultation_finish,
        CASE_HANDLE,
        {CONSULTING, CONSULTING_AGENCY},
        gettext_lazy("收到意见"),
    ),
    "fee": (
        f.FeeForm,
        services.fee_notice_issue,
        CASE_HANDLE,
        {HANDLING},
        gettext_lazy("发出收费通知"),
    ),
    "fee_paid": (
        f.FeePaidForm,
        services.fee_paid_confirm,
        CASE_HANDLE,
        {FEE_PENDING},
        gettext_lazy("确认已缴费"),
    ),
    "fee_lapse": (
        f.NoteForm,
        services.fee_lapse,
        CASE_HANDLE,
        {FEE_PENDING},
        gettext_lazy("逾期未缴费，不再处理"),
    ),
    "extend": (
        f.ExtendForm,
        services.application_extend,
        DISCLOSURE_EXTEND,
        {HANDLING},
        gettext_lazy("批准延期答复"),
    ),
    "reply": (
        f.ReplyForm,
        services.reply_issue,
        CASE_HANDLE,
        {HANDLING},
        gettext_lazy("作出答复"),
    ),
    "withdraw": (
        f.NoteForm,
        services.application_withdraw,
        CASE_HANDLE,
        {SUBMITTED, HANDLING, CORRECTING, CONSULTING, CONSULTING_AGENCY, FEE_PENDING},
        gettext_lazy("登记申请人撤回"),
    ),
    "deliver": (
        f.DeliveryForm,
        services.reply_deliver,
        CASE_HANDLE,
        {REPLIED},
        gettext_lazy("登记送达"),
    ),
    "followup": (
        f.FollowUpForm,
        services.followup_record,
        CASE_HANDLE,
        {REPLIED},
        gettext_lazy("登记复议或诉讼"),
    ),
}


def initial_for(name: str) -> dict[str, Any]:
    day = today()
    return {
        "receive": {"confirmed_on": day},
        "correction_received": {"received_on": day},
        "consult": {"sent_on": day},
        "consult_done": {"answered_on": day},
        "reply": {"replied_on": day},
        "fee_paid": {"paid_on": day},
        "deliver": {"delivered_on": day},
        "followup": {"filed_on": day},
    }.get(name, {})


def make_form(name: str, app: Application, *args: Any, **kwargs: Any) -> Any:
    """The action's form; the receive form asks only for the date the
    application's channel is received by (条例 art. 31)."""
    form_cls = ACTIONS[name][0]
    if name == "receive":
        kwargs["channel"] = app.channel
    return form_cls(*args, **kwargs)


def call(
    name: str, request: HttpRequest, app: Application, data: dict[str, Any]
) -> None:
    _form, service, *_rest = ACTIONS[name]
    if name in ("deliver", "followup"):
        service(actor=request.user, reply=app.reply, **data)
    elif name in ("abandon", "fee_lapse"):
        service(actor=request.user, application=app)
    elif name == "withdraw":
        service(actor=request.user, application=app, note=data.get("note", ""))
    else:
        service(actor=request.user, application=app, **data)


def offered(
    request: HttpRequest, app: Application, bound: tuple[str, Any] | None = None
) -> list[dict[str, Any]]:
    out = []
    for name, (_form, _svc, perm, states, label) in ACTIONS.items():
        if app.case.state not in states or not can(request.user, perm, app.case.agency):
            continue
        # One-time steps are not offered again (the service would refuse):
        # one extension (art. 33), one 补正 notice (art. 30), one delivery.
        if name == "extend" and app.extended:
            continue
        if name == "correction" and app.corrections.exists():
            continue
        if (
            name == "deliver"
            and app.case.state == REPLIED
            and app.reply.deliveries.exists()
        ):
            continue
        initial = initial_for(name)
        if name == "fee":
            initial["quantity"] = services.requests_this_month(app)
        if name == "correction_received":
            # What the applicant sent online, for the handler to check; the
            # service keeps it when the field comes back unchanged.
            answer = app.corrections.order_by("-id").first()
            if answer is not None and answer.response_text:
                initial["text"] = answer.response_text
        form = (
            bound[1]
            if bound and bound[0] == name
            else make_form(name, app, initial=initial, prefix=name)
        )
        out.append({"name": name, "label": label, "form": form})
    return out
