"""Milestones, progress reports and their review, and 督办 notices."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fazhi.kernel.audit.services import audit_export
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.web.explain import clock_explanation
from fazhi.web.tables import Column, DataTable, Filter
from fazhi.web.templatetags.fazhi_ui import countdown

from .. import queries, services
from ..forms import AnswerForm, ProgressForm, ReviewForm, SupervisionForm
from ..models import Evidence, Milestone, ProgressReport
from ..workflow import MILESTONE_TYPE, SUPERVISION_TYPE
from ._util import REFUSALS, require_staff, service_errors


def _title_link(m: Milestone) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>', reverse("plan:milestone_detail", args=[m.pk]), m.title
    )


def _due_html(m: Milestone) -> SafeString:
    clocks = [c for c in m.case.clocks.all() if c.name == "due"]
    if m.completed_on or not clocks:
        return format_html('<span class="badge badge-ok">{}</span>', _("已完成"))
    return countdown(clocks[0], compact=True)


def _state(m: Milestone) -> str:
    return str(MILESTONE_TYPE.states.get(m.case.state, m.case.state))


COLUMNS = [
    Column(
        "title", gettext_lazy("节点任务"), html=_title_link, value=lambda m: m.title
    ),
    Column(
        "task",
        gettext_lazy("方案任务"),
        value=lambda m: m.node.label if m.node else _("督察整改"),
    ),
    Column("agency", gettext_lazy("责任单位"), value=lambda m: m.agency.name),
    Column("state", gettext_lazy("状态"), value=_state, css="nowrap"),
    Column("progress", gettext_lazy("进度（%）"), value=lambda m: m.progress),
    Column("due_date", gettext_lazy("完成时限"), order_by="due_date", css="nowrap"),
    Column("due", gettext_lazy("倒计时"), html=_due_html, export=False, css="nowrap"),
]

FILTERS = [
    Filter(
        "q", gettext_lazy("关键词"), kind="text", placeholder=gettext_lazy("任务名称")
    ),
    Filter(
        "state",
        gettext_lazy("状态"),
        choices=[(k, v) for k, v in MILESTONE_TYPE.states.items()],
    ),
    Filter(
        "due",
        gettext_lazy("期限"),
        choices=[
            ("overdue", gettext_lazy("已逾期")),
            ("open", gettext_lazy("未完成")),
        ],
    ),
    Filter(
        "kind",
        gettext_lazy("类别"),
        choices=[(k, v) for k, v in Milestone.Kind.choices],
    ),
]


@login_required
def milestone_list(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    table = DataTable(
        request,
        columns=COLUMNS,
        filters=FILTERS,
        export_name="plan:milestone_list",
        export_title=_("法治政府建设节点任务"),
    )
    qs = queries.milestones_for(request.user)
    v = table.values
    if v.get("q"):
        qs = qs.filter(title__icontains=v["q"])
    if v.get("state"):
        qs = qs.filter(case__state=v["state"])
    if v.get("kind"):
        qs = qs.filter(kind=v["kind"])
    if v.get("due") == "overdue":
        qs = qs.filter(completed_on=None, due_date__lt=today())
    elif v.get("due") == "open":
        qs = qs.filter(completed_on=None)
    table.bind(qs)
    if table.export_requested:
        return table.export_response()
    return render(
        request,
        "plan/milestone_list.html",
        {"table": table, "reviews": queries.reports_to_review(request.user)[:20]},
    )


def _milestone_context(request: HttpRequest, m: Milestone) -> dict[str, Any]:
    user = request.user
    manager = can(user, "plan.manage", m.agency)
    clock = m.case.clocks.filter(name="due").first()
    reports = m.reports.select_related("submitted_by", "reviewed_by").prefetch_related(
        "evidence"
    )
    pending = next((r for r in reports if r.status == "submitted"), None)
    return {
        "m": m,
        "case": m.case,
        "state_label": _state(m),
        "clock": clock,
        "explain": clock_explanation(user, clock) if clock else None,
        "reports": reports,
        "pending": pending,
        "supervisions": m.supervisions.select_related("case"),
        "manager": manager,
        "may_report": m.case.state in ("open", "returned")
        and can(user, CASE_HANDLE, m.agency),
        "progress_form": ProgressForm(initial={"progress": m.progress}),
        "review_form": ReviewForm(),
        "supervision_form": SupervisionForm(
            initial={
                "problem": _("该任务已超过完成时限，尚未报送完成情况。")
                if m.due_date < today()
                else _("该任务临近完成时限，进展滞后。")
            }
        ),
    }


@login_required
def milestone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    m = queries.milestone_get(request.user, pk)
    return render(request, "plan/milestone_detail.html", _milestone_context(request, m))


@login_required
@require_POST
def milestone_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require_staff(request)
    m = queries.milestone_get(request.user, pk)
    context = _milestone_context(request, m)
    user = request.user
    try:
        if action == "report":
            form = context["progress_form"] = ProgressForm(request.POST, request.FILES)
            if form.is_valid():
                uploads = [
                    services.Upload(f.name, f.read())
                    for f in form.cleaned_data["files"]
                ]
                services.progress_report_submit(
                    actor=user,
                    milestone=m,
                    text=form.cleaned_data["text"],
                    progress=form.cleaned_data["progress"],
                    files=uploads,
                )
                messages.success(request, _("进展已报送，等待法治办审核。"))
                return redirect("plan:milestone_detail", m.pk)
        elif action == "review":
            form = context["review_form"] = ReviewForm(request.POST)
            pending = context["pending"]
            if pending is None:
                raise Http404("Nothing to review.")
            if form.is_valid():
                services.progress_report_review(
                    actor=user,
                    report=pending,
                    decision=form.cleaned_data["decision"],
                    score=form.cleaned_data["score"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("审核意见已保存。"))
                return redirect("plan:milestone_detail", m.pk)
        elif action == "supervise":
            form = context["supervision_form"] = SupervisionForm(request.POST)
            if form.is_valid():
                notice = services.supervision_issue(
                    actor=user, milestone=m, **form.cleaned_data
                )
                messages.success(
                    request, _("督办通知 %(n)s 已发出。") % {"n": notice.number}
                )
                return redirect("plan:supervision_detail", notice.pk)
        else:
            raise Http404("No such action.")
    except REFUSALS as exc:
        service_errors(form, exc)
    context["open_action"] = action
    return render(request, "plan/milestone_detail.html", context, status=422)


def attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    require_staff(request)
    m = queries.milestone_get(request.user, pk)
    evidence = Evidence.objects.filter(pk=evidence_pk, report__milestone=m).first()
    if evidence is None:
        raise Http404("No such file.")
    return attachment(evidence.data, evidence.name, "application/octet-stream")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    reports: list[ProgressReport] = list(queries.reports_to_review(request.user))
    return render(request, "plan/review_queue.html", {"reports": reports})


@login_required
def supervision_list(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    rows = queries.supervisions_for(request.user).order_by("-issued_on", "-pk")
    return render(
        request,
        "plan/supervision_list.html",
        {"rows": rows[:200], "states": SUPERVISION_TYPE.states},
    )


@login_required
def supervision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    notice = queries.supervision_get(request.user, pk)
    form = AnswerForm()
    if request.method == "POST":
        action = request.POST.get("action")
        form = AnswerForm(request.POST) if action == "answer" else form
        try:
            if action == "answer" and form.is_valid():
                services.supervision_answer(
                    actor=request.user,
                    supervision=notice,
                    answer=form.cleaned_data["answer"],
                )
                messages.success(request, _("办理情况已反馈。"))
                return redirect("plan:supervision_detail", notice.pk)
            if action in ("close", "reopen"):
                services.supervision_close(
                    actor=request.user,
                    supervision=notice,
                    reopen=action == "reopen",
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("已保存。"))
                return redirect("plan:supervision_detail", notice.pk)
        except REFUSALS as exc:
            service_errors(form, exc)
    clock = notice.case.clocks.filter(name="reply").first()
    return render(
        request,
        "plan/supervision_detail.html",
        {
            "notice": notice,
            "case": notice.case,
            "state_label": SUPERVISION_TYPE.states.get(notice.case.state, ""),
            "clock": clock,
            "explain": clock_explanation(request.user, clock) if clock else None,
            "form": form,
            "manager": can(request.user, "plan.manage", notice.case.agency),
            "may_answer": notice.case.state in ("issued", "answered")
            and can(request.user, CASE_HANDLE, notice.case.agency),
        },
    )


@login_required
def supervision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    notice = queries.supervision_get(request.user, pk)
    from ..queries.notice import supervision_notice_data
    from ..reports.render import render_supervision_docx

    data = render_supervision_docx(supervision_notice_data(notice))
    audit_export(
        actor=request.user,
        what="plan.supervision_notice",
        filters={"notice": notice.number},
        rows=1,
    )
    return attachment(
        data,
        f"{notice.number}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
