"""The steps on a ticket's page: one small form per next step, who sees it,
and which service it calls. The view shows the steps `shown` for the user and
posts to `act`; a service's refusal comes back beside its form.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE

from . import forms as f
from . import queries
from .models import Routing, Ticket
from .rules import TicketType
from .services import dispatch, feedback, handling
from .workflow import AT_CENTRE, HOTLINE


class Empty(forms.Form):
    pass


class DirectForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("答复内容"), widget=forms.Textarea(attrs={"rows": 4})
    )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=gettext_lazy("并入工单编号"),
        max_length=40,
        help_text=gettext_lazy("同一诉求的原工单编号，如 RX-2026-000001"),
    )


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("审批"),
        coerce=lambda v: v == "1",
        choices=[("1", gettext_lazy("同意")), ("0", gettext_lazy("不同意"))],
    )
    note = forms.CharField(label=gettext_lazy("审批意见"), max_length=500)


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    form: type[forms.Form]
    shown: Callable[[Ticket, Any, bool, bool], bool]  # ticket, user, centre, handles
    call: Callable[[Any, Ticket, dict[str, Any]], Any]


def _dispatch(user: Any, t: Ticket, d: dict[str, Any]) -> Any:
    agency = Agency.objects.get(code=d["agency"])
    assist = list(Agency.objects.filter(code__in=d.get("assist") or []))
    return dispatch.ticket_dispatch(
        actor=user, ticket=t, agency=agency, assist=assist, note=d.get("note", "")
    )


def _merge(user: Any, t: Ticket, d: dict[str, Any]) -> Any:
    into = Ticket.objects.filter(case__number=d["into"].strip().upper()).first()
    if into is None:
        raise ValidationError({"into": _("没有这个工单")})
    return dispatch.ticket_merge(actor=user, ticket=t, into=into)


def _pending(t: Ticket) -> Any:
    return t.extensions.filter(approved__isnull=True).first()


def _decide(user: Any, t: Ticket, d: dict[str, Any]) -> Any:
    req = _pending(t)
    if req is None:
        raise ValidationError({"note": _("没有待审批的延期申请")})
    return handling.extension_decide(
        actor=user, request=req, approve=d["approve"], note=d["note"]
    )


def _is_assist(t: Ticket, user: Any) -> bool:
    return any(
        can(user, CASE_HANDLE, r.agency)
        for r in t.routes.filter(active=True, role=Routing.Role.ASSIST).select_related(
            "agency"
        )
    )


S = lambda *states: lambda t, u, c, h: t.case.state in states  # noqa: E731

ACTIONS = [
    Action(
        "dispatch",
        gettext_lazy("派单"),
        f.DispatchForm,
        lambda t, u, c, h: c and t.case.state in ("received", "escalated"),
        _dispatch,
    ),
    Action(
        "answer",
        gettext_lazy("直接答复"),
        DirectForm,
        lambda t, u, c, h: (
            c and t.case.state == "received" and t.ticket_type == TicketType.CONSULT
        ),
        lambda u, t, d: dispatch.ticket_answer_direct(
            actor=u, ticket=t, answer=d["answer"]
        ),
    ),
    Action(
        "merge",
        gettext_lazy("合并重复工单"),
        MergeForm,
        lambda t, u, c, h: c and t.case.state in ("received", "escalated"),
        _merge,
    ),
    Action(
        "sign",
        gettext_lazy("签收"),
        Empty,
        lambda t, u, c, h: h and t.case.state == "dispatched",
        lambda u, t, d: dispatch.ticket_sign(actor=u, ticket=t),
    ),
    Action(
        "return",
        gettext_lazy("退回"),
        f.NoteForm,
        lambda t, u, c, h: h and t.case.state == "dispatched",
        lambda u, t, d: dispatch.ticket_return(actor=u, ticket=t, reason=d["note"]),
    ),
    Action(
        "reply",
        gettext_lazy("答复办结"),
        f.NoteForm,
        lambda t, u, c, h: h and t.case.state == "handling",
        lambda u, t, d: handling.ticket_reply(actor=u, ticket=t, text=d["note"]),
    ),
    Action(
        "extension",
        gettext_lazy("申请延期"),
        f.ExtensionForm,
        lambda t, u, c, h: h and t.case.state == "handling" and _pending(t) is None,
        lambda u, t, d: handling.extension_request(
            actor=u, ticket=t, days=d["days"], reason=d["reason"]
        ),
    ),
    Action(
        "decide",
        gettext_lazy("审批延期"),
        DecideForm,
        lambda t, u, c, h: c and _pending(t) is not None,
        _decide,
    ),
    Action(
        "pause",
        gettext_lazy("中止办理"),
        f.NoteForm,
        lambda t, u, c, h: h and t.case.state == "handling",
        lambda u, t, d: handling.ticket_pause(actor=u, ticket=t, reason=d["note"]),
    ),
    Action(
        "resume",
        gettext_lazy("恢复办理"),
        Empty,
        lambda t, u, c, h: h and t.case.state == "paused",
        lambda u, t, d: handling.ticket_resume(actor=u, ticket=t),
    ),
    Action(
        "assist",
        gettext_lazy("协办意见"),
        f.NoteForm,
        lambda t, u, c, h: (
            t.case.state in ("dispatched", "handling") and _is_assist(t, u)
        ),
        lambda u, t, d: dispatch.assist_opinion(actor=u, ticket=t, opinion=d["note"]),
    ),
    Action(
        "visit",
        gettext_lazy("回访"),
        f.VisitForm,
        lambda t, u, c, h: c and t.case.state == "replied",
        lambda u, t, d: feedback.ticket_visit(
            actor=u, ticket=t, reached=d["reached"], note=d["note"], grade=d["grade"]
        ),
    ),
    Action(
        "redo",
        gettext_lazy("发回重办"),
        f.NoteForm,
        lambda t, u, c, h: c and t.case.state == "replied",
        lambda u, t, d: feedback.ticket_redo(actor=u, ticket=t, reason=d["note"]),
    ),
    Action(
        "rectify",
        gettext_lazy("差评转整改"),
        Empty,
        lambda t, u, c, h: c and t.case.state == "closed" and t.rectification_pending,
        lambda u, t, d: feedback.ticket_rectify(actor=u, ticket=t),
    ),
    Action(
        "rectify_done",
        gettext_lazy("整改反馈"),
        f.NoteForm,
        lambda t, u, c, h: h and t.case.state == "rectifying",
        lambda u, t, d: feedback.rectification_done(
            actor=u, ticket=t, report=d["note"]
        ),
    ),
    Action(
        "appeal",
        gettext_lazy("申诉"),
        f.NoteForm,
        lambda t, u, c, h: h and t.case.state == "rectifying",
        lambda u, t, d: feedback.rating_appeal(actor=u, ticket=t, reason=d["note"]),
    ),
    Action(
        "appeal_decide",
        gettext_lazy("申诉复核"),
        DecideForm,
        lambda t, u, c, h: c and t.case.state == "appealing",
        lambda u, t, d: feedback.appeal_decide(
            actor=u, ticket=t, uphold=d["approve"], note=d["note"]
        ),
    ),
]
BY_NAME = {a.name: a for a in ACTIONS}


# What the one text box of a NoteForm step holds, so "说明" never stands alone.
NOTE_LABELS = {
    "return": gettext_lazy("退回理由"),
    "reply": gettext_lazy("答复内容"),
    "pause": gettext_lazy("中止理由"),
    "assist": gettext_lazy("协办意见"),
    "redo": gettext_lazy("发回理由"),
    "rectify_done": gettext_lazy("整改情况"),
    "appeal": gettext_lazy("申诉理由"),
}
NOTE_HELP = {
    "reply": gettext_lazy("答复将以短信告知市民，并在查询页面公开（个人信息脱敏）"),
    "return": gettext_lazy("请写明不属本单位职责的依据或建议的承办单位"),
}


def step_form(action: Action, data: Any = None) -> forms.Form:
    if action.form is f.DispatchForm:
        return f.DispatchForm(
            data, prefix=action.name, targets=queries.dispatch_targets()
        )
    form = action.form(data, prefix=action.name)
    if action.name in NOTE_LABELS and "note" in form.fields:
        form.fields["note"].label = NOTE_LABELS[action.name]
        form.fields["note"].help_text = NOTE_HELP.get(action.name, "")
    return form


def waiting_for(t: Ticket) -> str:
    """What the page says when the user has no step: who acts next."""
    state = t.case.state
    if t.merged_into_id:
        return _("已并入%(n)s，随该工单一并办理。") % {"n": t.merged_into.case.number}
    if state in HOTLINE.terminal:
        return _("已办结。")
    if state in AT_CENTRE:
        return _("等待12345热线中心派单。")
    if state == "replied":
        return _("已答复，等待热线中心回访。")
    return _("等待%(a)s办理（%(s)s）。") % {
        "a": t.case.agency.name,
        "s": queries.state_label(t),
    }


def no_clock_note(t: Ticket) -> str:
    """Why the ticket page shows no period."""
    if t.case.state in AT_CENTRE:
        return _("派单后开始计算签收和办理时限。")
    if t.merged_into_id:
        return _("已合并的工单不单独计算时限。")
    if t.direct_answer:
        return _("直接答复的咨询当场办结，不计算时限。")
    return _("本工单不计算办理时限。")
