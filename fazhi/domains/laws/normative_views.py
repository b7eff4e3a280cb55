"""Staff pages of the normative-document procedure, under /staff/laws/normative/.

Thin views: forms read the input, services decide and write, queries scope
the reads (a document outside the user's agencies answers 404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.kernel.audit.services import audit_export
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.ledger import rule_or_none
from fazhi.kernel.deadlines.rules import get_rule
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can, has_perm_anywhere
from fazhi.kernel.org.roles import CASE_HANDLE, CASE_SUPERVISE, EXPORT
from fazhi.kernel.workflow.engine import WorkflowError
from fazhi.web.countdown import clock_display_name
from fazhi.web.explain import clock_explanation
from fazhi.web.formkit import apply_errors
from fazhi.web.tables import DataTable, Filter

from . import normative_forms as f
from . import normative_queries as q
from . import normative_workflow as wf
from .models import NormativeDocument, Validity
from .normative_actions import ACTIONS
from .normative_report import CATALOGUE_COLUMNS, annual_report_docx
from .normative_rules import CITATIONS
from .services import normative as ns
from .services import normative_cleanup as nc


def _require_module(request: HttpRequest) -> None:
    if not q.can_read_any(request.user):
        raise PermissionDenied(_("您没有使用规范性文件管理的权限。"))


def _errors(exc: Exception) -> str:
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


def _named(rows: Any) -> list[NormativeDocument]:
    """Name each open clock from the case type (合法性审核, 报送备案 ...: the
    procedure's words, shorter than the rules' names on a queue)."""
    labels = wf.NORMATIVE.clock_labels
    rows = list(rows)
    for nd in rows:
        for c in nd.case.open_clocks:
            c.label = str(labels.get(c.name, c.name))
    return rows


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_module(request)
    search = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    if state not in dict(q.state_choices()):
        state = ""
    docs = q.documents_for(request.user, q=search or None, state=state or None)
    return render(
        request,
        "laws/normative/index.html",
        {
            "review_queue": _named(q.review_queue(request.user)),
            "filing_queue": _named(q.filing_queue(request.user)),
            "todo": _named(q.drafter_queue(request.user)),
            "corrections": list(q.corrections_for(request.user)[:50]),
            "expiring": list(q.expiring_for(request.user)[:50]),
            "documents": _named(docs[:100]),
            "states": q.state_choices(),
            "state": state,
            "q": search,
            "can_register": has_perm_anywhere(request.user, CASE_HANDLE),
            "can_sweep": has_perm_anywhere(request.user, CASE_SUPERVISE),
            "state_labels": dict(q.state_choices()),
        },
    )


@login_required
def register(request: HttpRequest) -> HttpResponse:
    _require_module(request)
    agencies = q.agency_choices(request.user, CASE_HANDLE)
    if not agencies:
        raise PermissionDenied(_("您没有登记规范性文件的权限。"))
    form = f.RegisterForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = get_object_or_404(Agency, code=data.pop("agency"))
        try:
            nd = ns.normative_register(actor=request.user, agency=agency, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("已登记草案，编号 %(n)s") % {"n": nd.case.number}
            )
            return redirect("laws_staff:normative_detail", number=nd.case.number)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "laws/normative/register.html", {"form": form}, status=status
    )


# -- the detail page and its actions ---------------------------------------------


def _initial(name: str, nd: NormativeDocument) -> dict[str, Any]:
    day = today()
    if name == "revise":
        return {"title": nd.title, "summary": nd.summary, "text": nd.text}
    if name == "publish":
        return {
            "title": ns.final_title(nd.title),
            "doc_number": nd.doc_number,
            "published_on": day,
            "expires_on": ns.validity_end(day),
        }
    if name in ("submit_review", "review_period"):
        clock = nd.case.clocks.filter(name=wf.LEGALITY).first()
        rule_days = get_rule(ns.LEGALITY_RULE).days
        days = clock.budget_days if clock and name == "review_period" else rule_days
        return {"on": day, "review_days": days}
    if name == "evaluate":
        return {"evaluated_on": day}
    return {"on": day}


def _actions(request: HttpRequest, nd: NormativeDocument, bound: Any = None):
    out = []
    for name, (form_cls, _h, perm, states, label) in ACTIONS.items():
        if nd.case.state not in states or not can(request.user, perm, nd.case.agency):
            continue
        if name == "evaluate" and nd.validity != Validity.IN_FORCE:
            continue
        form = (
            bound[1]
            if bound and bound[0] == name
            else form_cls(initial=_initial(name, nd), prefix=name)
        )
        out.append({"name": name, "label": label, "form": form})
    return out


def _clock_item(user: Any, c: Any) -> dict[str, Any]:
    """A clock with the source people read: the procedure's own (CITATIONS),
    not a kernel citation still marked for checking (待核实), which stays in
    the rule data and the administrators' rule list."""
    try:
        explain = clock_explanation(user, c)
    except Http404:
        # A government's reviewer reads its drafts without the government's
        # case.view, which the kernel's explanation asks for: no lines then.
        explain = {"lines": [], "rule": rule_or_none(c.rule_id)}
    rule = explain["rule"]
    citation = CITATIONS.get(c.name, "")
    if rule is not None and rule.verify and citation:
        explain["lines"] = [
            line.replace(rule.citation, citation) for line in explain["lines"]
        ]
    elif rule is not None and not citation:
        citation = rule.citation
    return {
        "clock": c,
        "name": clock_display_name(c),
        "explain": explain,
        "citation": citation,
    }


def _detail(request: HttpRequest, nd: NormativeDocument, **extra: Any) -> dict:
    clocks = [_clock_item(request.user, c) for c in nd.case.clocks.order_by("pk")]
    return {
        "nd": nd,
        "case": nd.case,
        "state_label": q.state_label(nd),
        "clocks": clocks,
        "opinions": q.opinions(nd),
        "evaluations": list(nd.evaluations.all()),
        "cleanups": list(nd.cleanup_items.select_related("campaign")),
        "actions": _actions(request, nd, extra.pop("bound", None)),
        **extra,
    }


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    nd = q.document_for(request.user, number)
    return render(request, "laws/normative/detail.html", _detail(request, nd))


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    nd = q.document_for(request.user, number)
    if action not in ACTIONS:
        raise Http404
    form_cls, handler, _perm, _states, label = ACTIONS[action]
    form = form_cls(request.POST, prefix=action)
    error = ""
    if form.is_valid():
        try:
            handler(request.user, nd, dict(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        except (WorkflowError, PermissionDenied) as exc:
            error = str(exc)
        else:
            messages.success(request, _("已完成：%(a)s") % {"a": label})
            return redirect("laws_staff:normative_detail", number=number)
    nd = q.document_for(request.user, number)
    ctx = _detail(request, nd, bound=(action, form), action_error=error, failed=action)
    return render(request, "laws/normative/detail.html", ctx, status=400)


@login_required
@require_POST
def sweep(request: HttpRequest) -> HttpResponse:
    """Run the 有效期 check now (the scheduled command does the same)."""
    if not has_perm_anywhere(request.user, CASE_SUPERVISE):
        raise PermissionDenied(_("您无权执行有效期检查。"))
    result = nc.normative_expiry_sweep(actor=request.user)
    messages.success(
        request,
        _("有效期检查完成：提醒 %(w)d 件，失效 %(e)d 件。")
        % {"w": result.warned, "e": result.expired},
    )
    return redirect("laws_staff:normative_index")


# -- catalogue and annual report -------------------------------------------------


def _periods(year: int) -> list[tuple[str, str]]:
    out = []
    for y in (year, year - 1):
        out += [(f"{y}-Q{n}", f"{y}年第{n}季度") for n in (4, 3, 2, 1)]
        out.append((str(y), f"{y}年全年"))
    return out


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _require_module(request)
    now = today()
    periods = _periods(now.year)
    current = f"{now.year}-Q{(now.month - 1) // 3 + 1}"
    table = DataTable(
        request,
        columns=CATALOGUE_COLUMNS,
        filters=[Filter("period", _("备案期间"), choices=periods)],
        export_name="laws_staff:normative_catalogue",
        export_title=_("规范性文件备案目录"),
        default_sort="filed_on",
    )
    period = table.values.get("period") or current
    table.bind(q.catalogue_for(request.user, period))
    if table.export_requested:
        return table.export_response()
    label = dict(periods).get(period, period)
    return render(
        request, "laws/normative/catalogue.html", {"table": table, "label": label}
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    _require_module(request)
    agencies = q.agency_choices(request.user)
    code = request.GET.get("agency") or agencies[0][0]
    agency = get_object_or_404(Agency, code=code)
    if code not in dict(agencies):
        raise Http404
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    figures = q.annual_figures(request.user, agency, year)
    if request.GET.get("format") == "docx":
        if not can(request.user, EXPORT, agency):
            raise PermissionDenied(_("您没有导出数据的权限。"))
        body = annual_report_docx(figures, issued=today())
        audit_export(
            actor=request.user,
            what="normative.annual_report",
            filters={"agency": agency.code, "year": year},
            rows=figures.filed,
        )
        response = HttpResponse(
            body,
            content_type=(
                "application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document"
            ),
        )
        response["Content-Disposition"] = (
            f"attachment; filename=normative-report-{agency.code}-{year}.docx"
        )
        return response
    return render(
        request,
        "laws/normative/report.html",
        {
            "f": figures,
            "agencies": agencies,
            "agency": agency,
            "year": year,
            "years": list(range(today().year, today().year - 5, -1)),
        },
    )


# -- cleanup ---------------------------------------------------------------------


@login_required
def cleanups(request: HttpRequest) -> HttpResponse:
    _require_module(request)
    agencies = q.agency_choices(request.user, CASE_SUPERVISE)
    form = f.CampaignForm(request.POST or None, agencies=agencies)
    if request.method == "POST":
        if not agencies:
            raise PermissionDenied(_("您无权组织规范性文件清理。"))
        if form.is_valid():
            data = dict(form.cleaned_data)
            agency = get_object_or_404(Agency, code=data.pop("agency"))
            try:
                c = nc.cleanup_campaign_create(
                    actor=request.user, agency=agency, **data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("已启动清理，列入 %(n)d 件文件") % {"n": c.items.count()}
                )
                return redirect("laws_staff:normative_cleanup", pk=c.pk)
    return render(
        request,
        "laws/normative/cleanups.html",
        {
            "campaigns": list(q.campaigns_for(request.user)),
            "form": form,
            "can_create": bool(agencies),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def cleanup(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = q.campaign_for(request.user, pk)
    items = q.campaign_items(campaign)
    rows = [
        (
            item,
            can(request.user, CASE_HANDLE, item.document.case.agency)
            and campaign.closed_on is None,
        )
        for item in items
    ]
    return render(
        request,
        "laws/normative/cleanup.html",
        {
            "campaign": campaign,
            "rows": rows,
            "decide_form": f.DecideForm(),
            "can_close": campaign.closed_on is None
            and can(request.user, CASE_SUPERVISE, campaign.agency),
        },
    )


@login_required
@require_POST
def cleanup_decide(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    campaign = q.campaign_for(request.user, pk)
    row = get_object_or_404(
        campaign.items.select_related("document__case__agency"), pk=item
    )
    form = f.DecideForm(request.POST)
    if form.is_valid():
        try:
            nc.cleanup_item_decide(actor=request.user, item=row, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(
                request, _("已记录清理意见：%(t)s") % {"t": row.document.title}
            )
    else:
        messages.error(request, _("请选择清理意见"))
    return redirect("laws_staff:normative_cleanup", pk=pk)


@login_required
@require_POST
def cleanup_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = q.campaign_for(request.user, pk)
    try:
        nc.cleanup_campaign_close(actor=request.user, campaign=campaign)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("清理已完成"))
    return redirect("laws_staff:normative_cleanup", pk=pk)
