"""Case pages: the list (filter, page, export), the detail and its transitions.

Views only read through `queries` and write through `engine`; a refused
transition is shown beside the buttons with the engine's own message.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.org import roles
from fazhi.kernel.org.policy import has_perm_anywhere
from fazhi.web.countdown import clock_display_name
from fazhi.web.explain import clock_explanation
from fazhi.web.tables import Column, DataTable, Filter
from fazhi.web.templatetags.fazhi_ui import countdown

from . import queries
from .engine import WorkflowError, case_transition
from .models import Case


def _require_case_view(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, roles.CASE_VIEW):
        raise PermissionDenied(_("您没有查看案件的权限"))


def _number_link(case: Case) -> SafeString:
    return format_html(
        '<a class="case-number" href="{}">{}</a>',
        reverse("workflow:case_detail", args=[case.number]),
        case.number,
    )


def _due_badge(case: Case) -> SafeString:
    clocks = getattr(case, "open_clocks", None) or []
    return (
        countdown(clocks[0], compact=True)
        if clocks
        else format_html('<span class="muted">—</span>')
    )


def _due_value(case: Case) -> Any:
    clocks = getattr(case, "open_clocks", None) or []
    return clocks[0].due_date if clocks else None


def _state_html(case: Case) -> SafeString:
    css = "state-pill closed" if case.closed_at else "state-pill"
    return format_html('<span class="{}">{}</span>', css, queries.state_label(case))


CASE_COLUMNS = [
    Column(
        "number",
        gettext_lazy("编号"),
        html=_number_link,
        order_by="number",
    ),
    Column("title", gettext_lazy("事由")),
    Column("type", gettext_lazy("类型"), value=queries.type_label),
    Column("state", gettext_lazy("状态"), value=queries.state_label, html=_state_html),
    Column("agency", gettext_lazy("承办机构"), value=lambda c: c.agency.name),
    Column(
        "due",
        gettext_lazy("期限"),
        value=_due_value,
        html=_due_badge,
        order_by="next_due",
    ),
    Column("opened_at", gettext_lazy("创建时间"), order_by="opened_at"),
]

CASE_FILTERS = [
    Filter(
        "q",
        gettext_lazy("关键词"),
        kind="text",
        placeholder=gettext_lazy("编号或事由"),
    ),
    Filter("type", gettext_lazy("类型"), choices_for=lambda u: queries.type_choices()),
    Filter(
        "state", gettext_lazy("状态"), choices_for=lambda u: queries.state_choices()
    ),
    Filter("agency", gettext_lazy("机构"), choices_for=queries.agency_choices),
    Filter(
        "due",
        gettext_lazy("期限"),
        choices=[
            ("urgent", gettext_lazy("超期或临期")),
            ("overdue", gettext_lazy("超期")),
            ("soon", gettext_lazy("临期")),
        ],
    ),
    Filter("open", gettext_lazy("仅在办"), kind="bool"),
]


def _with_open_clocks(qs: Any) -> Any:
    # next_due: the nearest running clock, so the list can sort by urgency.
    return qs.annotate(
        next_due=Min("clocks__due_date", filter=Q(clocks__state=Clock.State.RUNNING))
    ).prefetch_related(
        Prefetch(
            "clocks",
            queryset=Clock.objects.exclude(state=Clock.State.STOPPED).order_by(
                "due_date", "pk"
            ),
            to_attr="open_clocks",
        )
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _require_case_view(request)
    table = DataTable(
        request,
        columns=CASE_COLUMNS,
        filters=CASE_FILTERS,
        export_name="workflow:case_list",
    )
    table.bind(_with_open_clocks(queries.cases_for(request.user, table.values)))
    if table.export_requested:
        return table.export_response()
    return render(request, "workflow/case_list.html", {"table": table})


def _detail_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    clocks = queries.case_clocks(case)
    return {
        "case": case,
        "case_type": queries.case_type_of(case),
        "state_label": queries.state_label(case),
        "type_label": queries.type_label(case),
        "clocks": [
            {
                "clock": c,
                "name": clock_display_name(c),
                "explain": clock_explanation(request.user, c),
            }
            for c in clocks
        ],
        "transitions": queries.transitions_for(request.user, case),
    }


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = queries.case_for(request.user, number)
    return render(request, "workflow/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_fire(request: HttpRequest, number: str) -> HttpResponse:
    """Fire one transition (POST transition=<name>, note=<text>)."""
    case = queries.case_for(request.user, number)
    name = request.POST.get("transition", "").strip()
    note = request.POST.get("note", "").strip()[:2000]
    error = ""
    if not name:
        error = _("请选择要执行的操作")
    else:
        try:
            case = case_transition(
                actor=request.user, case=case, transition=name, note=note
            )
        except WorkflowError as exc:
            error = str(exc)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    if error:
        ctx = _detail_context(request, case)
        ctx.update(transition_error=error, note=note, failed_transition=name)
        return render(request, "workflow/case_detail.html", ctx, status=400)
    ctype = queries.case_type_of(case)
    t = ctype.by_name.get(name) if ctype else None
    messages.success(
        request,
        _("已执行“%(action)s”，案件当前状态：%(state)s")
        % {
            "action": (t.label or t.name) if t else name,
            "state": queries.state_label(case),
        },
    )
    return redirect("workflow:case_detail", number=case.number)
