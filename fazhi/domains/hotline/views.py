"""Staff pages: the queue (centre, agency, supervisor views of one list), the
operator's intake, the ticket page with one form per next step, and the
dashboard. Views read through `queries` and write through `services`; a
refused step is shown beside its form with the service's own message.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fazhi.kernel.audit.services import audit_personal_data_view
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.indicators.registry import get_spec
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can, has_perm_anywhere, visible_agencies
from fazhi.kernel.org.roles import CASE_HANDLE, CASE_VIEW, PERSONAL_DATA_VIEW
from fazhi.kernel.workflow.engine import WorkflowError
from fazhi.web.countdown import clock_display_name
from fazhi.web.explain import clock_explanation
from fazhi.web.formkit import apply_errors
from fazhi.web.tables import Column, DataTable, Filter
from fazhi.web.templatetags.fazhi_ui import countdown

from . import categories, indicators, queries
from . import forms as f
from .models import Attachment, Ticket
from .rules import TicketType, Urgency
from .services.common import is_dispatcher
from .services.intake import ticket_submit
from .steps import ACTIONS, BY_NAME, no_clock_note, step_form, waiting_for
from .workflow import HOTLINE


def _require_view(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, CASE_VIEW):
        raise PermissionDenied(_("您没有查看12345工单的权限"))


def _number_link(t: Ticket) -> SafeString:
    return format_html(
        '<a class="case-number" href="{}">{}</a>',
        reverse("hotline:detail", args=[t.case.number]),
        t.case.number,
    )


def _due_html(t: Ticket) -> SafeString:
    clock = queries.current_clock(t)
    return (
        countdown(clock, compact=True)
        if clock
        else mark_safe('<span class="muted">—</span>')
    )


def _flags(t: Ticket) -> str:
    out = []
    if t.urgency == Urgency.URGENT:
        out.append(_("紧急"))
    if t.possible_duplicate_of_id and not t.merged_into_id:
        out.append(_("疑似重复"))
    if t.return_count:
        out.append(_("退回%(n)d次") % {"n": t.return_count})
    if t.rectification_pending:
        out.append(_("差评待处理"))
    return "、".join(out)


def _agency_name(t: Ticket) -> str:
    # The short name keeps the column narrow; the export gets the same text.
    a = t.case.agency
    return a.short_name or a.name


def _columns(user: Any, *, export: bool) -> list[Column]:
    """Name and phone are masked on screen for everyone: seeing them is a
    logged reveal on the ticket page. The XLSX export (itself an audit event)
    carries them in full only for a role that may see personal data."""
    full = export and has_perm_anywhere(user, PERSONAL_DATA_VIEW)
    return [
        Column(
            "number",
            gettext_lazy("工单编号"),
            value=lambda t: t.case.number,
            html=_number_link,
        ),
        Column(
            "type",
            gettext_lazy("类型"),
            value=lambda t: t.get_ticket_type_display(),
            css="nowrap",
        ),
        Column(
            "service",
            gettext_lazy("类别"),
            value=lambda t: getattr(categories.BY_CODE.get(t.service_code), "name", ""),
            css="nowrap",
        ),
        Column(
            "title",
            gettext_lazy("诉求摘要"),
            value=lambda t: t.case.title,
            html=lambda t: format_html(
                '<span class="ticket-summary-text" title="{}">{}</span>',
                t.case.title,
                t.case.title,
            ),
            css="ticket-summary",
        ),
        Column(
            "caller",
            gettext_lazy("诉求人"),
            value=(lambda t: t.caller_name) if full else (lambda t: t.masked_name),
            css="nowrap",
        ),
        Column(
            "phone",
            gettext_lazy("联系电话"),
            value=(lambda t: t.phone) if full else (lambda t: t.masked_phone),
            css="nowrap",
        ),
        Column("agency", gettext_lazy("当前单位"), value=_agency_name, css="nowrap"),
        Column("state", gettext_lazy("状态"), value=queries.state_label, css="nowrap"),
        Column(
            "received_on",
            gettext_lazy("受理日期"),
            order_by="received_on",
            css="nowrap",
        ),
        Column(
            "due",
            gettext_lazy("时限"),
            value=lambda t: getattr(queries.current_clock(t), "due_date", None),
            html=_due_html,
        ),
        Column("flags", gettext_lazy("提示"), value=_flags),
    ]


FILTERS = [
    Filter("view", gettext_lazy("视图"), choices=list(queries.VIEWS.items())),
    Filter(
        "q",
        gettext_lazy("关键词"),
        kind="text",
        placeholder=gettext_lazy("编号或诉求内容"),
    ),
    Filter("type", gettext_lazy("类型"), choices=TicketType.choices),
    Filter("service", gettext_lazy("类别"), choices=categories.CHOICES),
    Filter(
        "state", gettext_lazy("状态"), choices_for=lambda u: queries.state_choices()
    ),
    Filter("agency", gettext_lazy("单位"), choices_for=queries.agency_choices),
    Filter("urgency", gettext_lazy("紧急程度"), choices=Urgency.choices),
    Filter("duplicates", gettext_lazy("仅疑似重复"), kind="bool"),
]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    table = DataTable(
        request,
        columns=_columns(request.user, export=request.GET.get("format") == "xlsx"),
        filters=FILTERS,
        export_name="hotline:queue",
    )
    table.bind(queries.tickets_for(request.user, table.values))
    centre = is_dispatcher(request.user)
    if table.export_requested:
        return table.export_response()
    return render(
        request,
        "hotline/queue.html",
        {
            "table": table,
            "dispatcher": centre,
            # An agency never sees the centre's undispatched tickets.
            "views": {
                k: v for k, v in queries.VIEWS.items() if centre or k != "centre"
            },
            "view": table.values.get("view"),
        },
    )


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    if not is_dispatcher(request.user):
        raise PermissionDenied(_("只有热线中心话务员可以登记来电"))
    areas = list(
        Agency.objects.filter(is_active=True, level__in=("county", "township"))
        .order_by("path")
        .values_list("code", "name")
    )
    form = f.OperatorForm(
        request.POST or None,
        request.FILES or None,
        areas=areas,
        initial={"token": f.new_token()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files, token = data.pop("attachments"), data.pop("token")
        data["area"] = data.get("area") or None
        try:
            ticket = ticket_submit(
                actor=request.user,
                channel="phone",
                files=files,
                idempotency_key=f"form:{token}",
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已登记，工单编号 %(n)s") % {"n": ticket.case.number}
            )
            return redirect("hotline:detail", number=ticket.case.number)
    return render(
        request,
        "hotline/intake.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- the ticket page ---------------------------------------------------------


def _detail_context(
    request: HttpRequest,
    t: Ticket,
    bound: Any = None,
    error: str = "",
    failed: str = "",
) -> dict[str, Any]:
    user = request.user
    centre, handles = is_dispatcher(user), can(user, CASE_HANDLE, t.case.agency)
    reveal = request.GET.get("reveal") == "1" and can(
        user, PERSONAL_DATA_VIEW, t.case.agency
    )
    if reveal:
        audit_personal_data_view(
            actor=user,
            record_type="case",
            record_id=t.pk,
            fields=["caller_name", "phone"],
        )
    actions = []
    steps = list(ACTIONS)
    if t.ticket_type == TicketType.CONSULT:
        # A consultation is mostly answered on the call: that form opens first.
        steps.sort(key=lambda a: a.name != "answer")
    duplicate = t.possible_duplicate_of if not t.merged_into_id else None
    if duplicate is not None:
        # The likely step on a flagged duplicate is the merge: first, filled in.
        steps.sort(key=lambda a: a.name != "merge")
    for a in steps:
        # A refused step stays on the page with its message even when the
        # ticket has moved past it.
        if not a.shown(t, user, centre, handles) and not (bound and bound[0] == a.name):
            continue
        form = bound[1] if bound and bound[0] == a.name else step_form(a)
        if a.name == "dispatch" and not form.is_bound:
            top = (t.suggestion.get("agencies") or [{}])[0]
            code = (
                Agency.objects.filter(pk=top.get("agency_id"))
                .values_list("code", flat=True)
                .first()
            )
            if code:
                form.initial = {"agency": code}
        if a.name == "merge" and duplicate is not None and not form.is_bound:
            form.initial = {"into": duplicate.case.number}
        actions.append({"name": a.name, "label": a.label, "form": form})
    clocks = [
        {
            "clock": c,
            # 签收时限/办理时限 first; the rule's own name says which period.
            "name": HOTLINE.clock_labels.get(c.name) or clock_display_name(c),
            "rule_name": clock_display_name(c),
            "explain": clock_explanation(user, c),
        }
        for c in t.case.clocks.order_by("pk")
    ]
    return {
        "t": t,
        "case": t.case,
        "state_label": queries.state_label(t),
        "reveal": reveal,
        "can_reveal": can(user, PERSONAL_DATA_VIEW, t.case.agency),
        "actions": actions,
        "waiting": waiting_for(t),
        "no_clock": no_clock_note(t),
        "action_error": error,
        "failed": failed,
        "clocks": clocks,
        "routes": t.routes.select_related("agency").order_by("id"),
        "suggestions": t.suggestion.get("agencies", []),
        "rating": getattr(t, "rating", None) if hasattr(t, "rating") else None,
        "service": categories.BY_CODE.get(t.service_code),
    }


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    t = queries.ticket_for(request.user, number)
    return render(request, "hotline/detail.html", _detail_context(request, t))


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    t = queries.ticket_for(request.user, number)
    a = BY_NAME.get(action)
    if a is None:
        raise Http404
    form = step_form(a, request.POST)
    error = ""
    if form.is_valid():
        try:
            a.call(request.user, t, dict(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        except (WorkflowError, PermissionDenied) as exc:
            error = str(exc)
        else:
            messages.success(request, _("已完成：%(a)s") % {"a": a.label})
            try:
                queries.ticket_for(request.user, number)
            except Http404:
                # Dispatched or returned out of the user's scope: back to the queue.
                return redirect("hotline:queue")
            return redirect("hotline:detail", number=number)
    t = queries.ticket_for(request.user, number)
    ctx = _detail_context(request, t, bound=(action, form), error=error, failed=action)
    return render(request, "hotline/detail.html", ctx, status=400)


# -- dashboard ---------------------------------------------------------------


COMPARATORS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "==": "＝"}


def _met(value: Any, comparator: str, target: Any) -> bool | None:
    if value is None or target is None:
        return None
    checks = {
        ">=": value >= target,
        "<=": value <= target,
        ">": value > target,
        "<": value < target,
    }
    return checks.get(comparator)


def _shown(value: Any, comparator: str, target: Any) -> Any:
    """`value` to one decimal, or to as many as it takes for the figure shown
    to agree with 达标/未达标 (89.96 % is not "90.0 %, 未达标")."""
    if value is None:
        return None
    met = _met(value, comparator, target)
    for places in (1, 2, 3):
        shown = round(float(value), places)
        if _met(shown, comparator, target) == met:
            return shown
    return value


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    data = queries.dashboard(request.user)
    # KPIs for the widest agency the user sees (the city for the centre).
    agency = visible_agencies(request.user, CASE_VIEW).order_by("path").first()
    period = str(today().year)
    kpis = []
    for code in (
        indicators.SIGN_ON_TIME,
        indicators.HANDLE_ON_TIME,
        indicators.SATISFACTION,
        indicators.REDO,
        indicators.DIRECT,
    ):
        spec = get_spec(code)
        if spec is None or spec.compute is None:
            continue
        value = spec.compute(agency, period) if agency else None
        kpis.append(
            {
                "code": code,
                "name": spec.name,
                "value": _shown(value, spec.comparator, spec.target),
                "target": spec.target,
                "comparator": COMPARATORS.get(spec.comparator, spec.comparator),
                "met": _met(value, spec.comparator, spec.target),
            }
        )
    return render(
        request,
        "hotline/dashboard.html",
        {"data": data, "kpis": kpis, "agency": agency, "period": period},
    )


@login_required
def attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """A caller's photo may show people or plates: personal data, viewed on
    the record."""
    t = queries.ticket_for(request.user, number)
    if not can(request.user, PERSONAL_DATA_VIEW, t.case.agency):
        raise Http404
    att = get_object_or_404(Attachment, pk=pk, ticket=t)
    audit_personal_data_view(
        actor=request.user,
        record_type="case",
        record_id=t.pk,
        fields=[f"attachment:{att.pk}"],
    )
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)
