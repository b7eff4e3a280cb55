"""Staff pages: the queue, registering a letter or visit, the detail page with
its timeline, clocks ("why is it due then?") and one form per next step, the
letters, and the annual report tables.

Views read through `queries` and write through `services`; a refused step is
shown beside its form with the service's own message.
"""

from datetime import date
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

from fazhi.kernel.audit.services import audit_personal_data_view, audit_record
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can, has_perm_anywhere
from fazhi.kernel.org.roles import (
    CASE_HANDLE,
    CASE_VIEW,
    PERSONAL_DATA_VIEW,
)
from fazhi.kernel.workflow.engine import WorkflowError
from fazhi.web.countdown import clock_display_name
from fazhi.web.explain import clock_explanation
from fazhi.web.formkit import apply_errors
from fazhi.web.tables import Column, DataTable, Filter
from fazhi.web.templatetags.fazhi_ui import countdown

from . import categories as cat
from . import forms as f
from . import letters, queries, rules, services
from .actions import ACTIONS, call, make_form, offered
from .models import Application, Attachment, FollowUp
from .workflow import CORRECTING, DISCLOSURE_EXTEND, HANDLING, REPLY


def _require_view(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, CASE_VIEW):
        raise PermissionDenied(_("您没有查看政府信息公开申请的权限"))


def _number_link(app: Application) -> SafeString:
    return format_html(
        '<a class="case-number" href="{}">{}</a>',
        reverse("disclosure:detail", args=[app.case.number]),
        app.case.number,
    )


def _reply_clock(app: Application) -> Any:
    clocks = getattr(app.case, "open_clocks", None) or []
    return next((c for c in clocks if c.name == "reply"), None)


def _due_html(app: Application) -> SafeString:
    clock = _reply_clock(app)
    return (
        countdown(clock, compact=True)
        if clock
        else mark_safe('<span class="muted">—</span>')
    )


def _clipped(text: str) -> SafeString:
    """A long name cut to one line with an ellipsis (class in queue.html),
    the whole of it in the title. Only ever given masked or public text: the
    title is as visible as the cell."""
    return format_html('<span class="dc-clip" title="{}">{}</span>', text, text)


def _flags(app: Application) -> str:
    return _("疑似重复") if app.possible_duplicate_of_id else ""


def _flags_html(app: Application) -> SafeString:
    """疑似重复 with a link to the earlier request, so staff compare the two."""
    earlier = app.possible_duplicate_of
    if earlier is None:
        return mark_safe("")
    return format_html(
        '<span class="badge">{}</span> <a href="{}">{}</a>',
        _("疑似重复"),
        reverse("disclosure:detail", args=[earlier.case.number]),
        earlier.case.number,
    )


COLUMNS = [
    Column(
        "number",
        gettext_lazy("受理编号"),
        value=lambda a: a.case.number,
        html=_number_link,
    ),
    Column(
        "applicant",
        gettext_lazy("申请人"),
        value=lambda a: a.masked_name,
        html=lambda a: _clipped(a.masked_name),
    ),
    Column(
        "type",
        gettext_lazy("申请人类型"),
        value=lambda a: a.get_applicant_type_display(),
    ),
    Column(
        "agency",
        gettext_lazy("受理机关"),
        value=lambda a: a.case.agency.name,
        html=lambda a: _clipped(a.case.agency.name),
    ),
    # Short labels that wrapped one character per line at 1366 px.
    Column(
        "channel",
        gettext_lazy("渠道"),
        value=lambda a: a.get_channel_display(),
        css="nowrap",
    ),
    Column("state", gettext_lazy("状态"), value=queries.state_label, css="nowrap"),
    Column(
        "received_on", gettext_lazy("收到日期"), order_by="received_on", css="nowrap"
    ),
    Column(
        "due",
        gettext_lazy("答复期限"),
        value=lambda a: _reply_clock(a).due_date if _reply_clock(a) else None,
        html=_due_html,
    ),
    # Results run from 予以公开 to a 40-character 其他处理 reason: room to
    # wrap by words, not one character per line.
    Column(
        "result",
        gettext_lazy("办理结果"),
        value=lambda a: a.result_label,
        css="dc-result",
    ),
    Column(
        "flags", gettext_lazy("提示"), value=_flags, html=_flags_html, css="dc-flags"
    ),
]

FILTERS = [
    Filter(
        "q",
        gettext_lazy("关键词"),
        kind="text",
        placeholder=gettext_lazy("编号或申请内容"),
    ),
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
    Filter("duplicates", gettext_lazy("仅疑似重复"), kind="bool"),
]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    table = DataTable(
        request, columns=COLUMNS, filters=FILTERS, export_name="disclosure:queue"
    )
    v = table.values
    table.bind(
        queries.applications_for(
            request.user,
            state=v.get("state"),
            due=v.get("due"),
            agency=v.get("agency"),
            q=v.get("q"),
            duplicates=bool(v.get("duplicates")),
        )
    )
    if table.export_requested:
        return table.export_response()
    can_register = has_perm_anywhere(request.user, CASE_HANDLE)
    return render(
        request,
        "disclosure/queue.html",
        {
            "table": table,
            "can_register": can_register,
            "report_due": annual_report_reminder(today()),
        },
    )


def annual_report_reminder(on: date) -> dict[str, Any] | None:
    """In the weeks before 31 January: which year's report is due, and when."""
    rule = rules.ANNUAL_REPORT_DEPARTMENT
    year = on.year - 1 if on.month <= rule.month else on.year
    left = rule.days_left(year, on)
    if not 0 <= left <= rules.ANNUAL_REPORT_REMIND_DAYS:
        return None
    return {"year": year, "text": rule.countdown(year, on), "left": left}


def _handle_agencies(user: Any) -> list[tuple[str, str]]:
    from fazhi.kernel.org.policy import visible_agencies

    return list(
        visible_agencies(user, CASE_HANDLE).order_by("path").values_list("code", "name")
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    agencies = _handle_agencies(request.user)
    if not agencies:
        raise PermissionDenied(_("您没有登记申请的权限"))
    form = f.StaffApplyForm(
        request.POST or None,
        request.FILES or None,
        agencies=agencies,
        initial={"submitted_on": today(), "channel": "in_person"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments")
        agency = Agency.objects.get(code=data.pop("agency"))
        try:
            app = services.application_submit(
                actor=request.user, agency=agency, files=files, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已登记，受理编号 %(n)s") % {"n": app.case.number}
            )
            return redirect("disclosure:detail", number=app.case.number)
    # (channel, date field) pairs the page hides while that channel is chosen.
    hidden = [
        (ch, name)
        for ch in rules.RECEIPT_RULES
        for name in rules.unused_date_fields(ch)
    ]
    return render(
        request, "disclosure/register.html", {"form": form, "hidden_dates": hidden}
    )


# -- detail and actions -------------------------------------------------------


LETTER_LABELS = {
    "reply": gettext_lazy("答复书"),
    "correction": gettext_lazy("补正告知书"),
    "extension": gettext_lazy("延期答复告知书"),
    "consultation": gettext_lazy("征求意见书"),
    "fee": gettext_lazy("收费通知书"),
}


def _letters(app: Application, reply: Any) -> list[dict[str, Any]]:
    """The letters on the page, each with its 文号; one consultation letter
    per party consulted (art. 32, 34), not only the latest."""
    out: list[dict[str, Any]] = []
    if reply:
        out.append({"kind": "reply", "doc_number": reply.doc_number})
    for c in app.corrections.all():
        out.append({"kind": "correction", "doc_number": c.doc_number})
    if app.extended:
        out.append({"kind": "extension", "doc_number": app.extension_doc_number})
    for k in app.consultations.all():
        out.append(
            {
                "kind": "consultation",
                "item": k.pk,
                "party": k.third_party,
                "doc_number": k.doc_number,
            }
        )
    for fee in app.fees.order_by("-id")[:1]:
        out.append({"kind": "fee", "doc_number": fee.doc_number})
    for entry in out:
        entry["label"] = LETTER_LABELS[entry["kind"]]
    return out


def _detail_context(
    request: HttpRequest, app: Application, **extra: Any
) -> dict[str, Any]:
    reveal = request.GET.get("reveal") == "1" and can(
        request.user, PERSONAL_DATA_VIEW, app.case.agency
    )
    if reveal:
        audit_personal_data_view(
            actor=request.user,
            record_type="case",
            record_id=app.pk,
            fields=["applicant_name", "id_number", "phone"],
        )
    correcting = app.case.state == CORRECTING
    clocks = [
        {
            "clock": c,
            "name": clock_display_name(c),
            "explain": clock_explanation(request.user, c),
            # While a 补正 is awaited the reply period has no due date: it
            # runs afresh from the corrected request (条例 art. 30).
            "restarts": correcting and c.name == REPLY,
        }
        for c in queries.case_clocks(app)
    ]
    reply = getattr(app, "reply", None)
    return {
        "app": app,
        "case": app.case,
        "state_label": queries.state_label(app),
        # The stored title is cut at 60 characters; the page shows the whole
        # request on one line, cut by CSS with an ellipsis, the rest in title.
        "heading": _("申请公开：")
        + " ".join((app.content if reveal else app.mask_free(app.content)).split()),
        "reveal": reveal,
        # Free text is masked like the fields unless personal data is revealed.
        "masker": None if reveal else app,
        "can_reveal": can(request.user, PERSONAL_DATA_VIEW, app.case.agency),
        "can_handle": can(request.user, CASE_HANDLE, app.case.agency),
        "clocks": clocks,
        "reply": reply,
        # A handler who cannot approve an extension is told who can (the head
        # of the disclosure office, 条例 art. 33(2)) instead of seeing nothing.
        "extension_hint": queries.extension_approvers(app.case.agency)
        if app.case.state == HANDLING
        and not app.extended
        and can(request.user, CASE_HANDLE, app.case.agency)
        and not can(request.user, DISCLOSURE_EXTEND, app.case.agency)
        else None,
        "actions": offered(request, app, extra.pop("bound", None)),
        "letters": _letters(app, reply),
        "settle_forms": [
            (fu, f.SettleForm(prefix=f"settle{fu.pk}", initial={"outcome_on": today()}))
            for fu in (reply.followups.all() if reply else [])
            if fu.outcome == cat.PENDING
        ]
        if reply and can(request.user, CASE_HANDLE, app.case.agency)
        else [],
        "result_label": cat.result_label,
        **extra,
    }


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    app = queries.application_for(request.user, number)
    return render(request, "disclosure/detail.html", _detail_context(request, app))


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    app = queries.application_for(request.user, number)
    if action not in ACTIONS:
        raise Http404
    form = make_form(action, app, request.POST, request.FILES, prefix=action)
    error = ""
    if form.is_valid():
        try:
            call(action, request, app, dict(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        except (WorkflowError, PermissionDenied) as exc:
            error = str(exc)
        else:
            messages.success(request, _("已完成：%(a)s") % {"a": ACTIONS[action][4]})
            return redirect("disclosure:detail", number=number)
    app = queries.application_for(request.user, number)
    ctx = _detail_context(
        request, app, bound=(action, form), action_error=error, failed=action
    )
    return render(request, "disclosure/detail.html", ctx, status=400)


@login_required
@require_POST
def mark_duplicate(request: HttpRequest, number: str) -> HttpResponse:
    app = queries.application_for(request.user, number)
    services.application_mark_duplicate(
        actor=request.user,
        application=app,
        duplicate=request.POST.get("duplicate") == "1",
    )
    messages.success(request, _("已记录重复申请认定"))
    return redirect("disclosure:detail", number=number)


@login_required
@require_POST
def settle(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Record how a reconsideration or lawsuit about the reply ended."""
    app = queries.application_for(request.user, number)
    reply = getattr(app, "reply", None)
    if reply is None:
        raise Http404
    followup = get_object_or_404(FollowUp, pk=pk, reply=reply)
    form = f.SettleForm(request.POST, prefix=f"settle{pk}")
    if form.is_valid():
        try:
            services.followup_settle(
                actor=request.user, followup=followup, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已登记复议或诉讼结果"))
    else:
        messages.error(request, _("请选择结果并填写结果日期"))
    return redirect("disclosure:detail", number=number)


@login_required
@require_POST
def attach(request: HttpRequest, number: str) -> HttpResponse:
    app = queries.application_for(request.user, number)
    form = f.AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                application=app,
                files=form.cleaned_data["attachments"],
                for_applicant=form.cleaned_data["for_applicant"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("附件已上传"))
    else:
        messages.error(request, _("请选择要上传的文件"))
    return redirect("disclosure:detail", number=number)


@login_required
def letter(
    request: HttpRequest, number: str, kind: str, item: int | None = None
) -> HttpResponse:
    """A letter as DOCX; `item` picks one consultation letter of several."""
    app = queries.application_for(request.user, number)
    if kind not in letters.KINDS:
        raise Http404
    try:
        data = letters.letter_docx(app, kind, item=item)
    except (LookupError, Application.reply.RelatedObjectDoesNotExist):
        raise Http404 from None
    audit_record(
        actor=request.user,
        action="disclosure.letter",
        record_type="case",
        record_id=app.pk,
        payload={"kind": kind, **({"item": item} if item is not None else {})},
    )
    response = HttpResponse(
        data,
        content_type=letters.DOCX_TYPE,
    )
    name = f"{number}-{kind}" + (f"-{item}" if item is not None else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


@login_required
def attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """Attachments often carry an ID scan: personal data, viewed on the record."""
    app = queries.application_for(request.user, number)
    if not can(request.user, PERSONAL_DATA_VIEW, app.case.agency):
        raise Http404
    att = get_object_or_404(Attachment, pk=pk, application=app)
    audit_personal_data_view(
        actor=request.user,
        record_type="case",
        record_id=app.pk,
        fields=[f"attachment:{att.pk}"],
    )
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)
