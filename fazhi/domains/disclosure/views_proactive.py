"""Proactive disclosure pages: the staff catalogue (categories with review
dates, items waiting to be published with their 20-working-day countdown)
and the public listing with search, filters and stable URLs."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can, visible_agencies
from fazhi.kernel.org.roles import CASE_HANDLE, CASE_SUPERVISE, CASE_VIEW
from fazhi.kernel.workflow.engine import WorkflowError
from fazhi.web.formkit import apply_errors

from . import categories as cat
from . import forms as f
from . import queries, services
from .models import CatalogueEntry, ProactiveItem
from .report import PROACTIVE_ROWS
from .services.proactive import FIGURE_KEYS


def _agency(request: HttpRequest) -> tuple[Agency, list[Agency]]:
    agencies = list(visible_agencies(request.user, CASE_VIEW).order_by("path"))
    if not agencies:
        raise PermissionDenied(_("您没有查看政府信息公开的权限"))
    code = request.GET.get("agency") or request.POST.get("agency") or agencies[0].code
    agency = next((a for a in agencies if a.code == code), None)
    if agency is None:
        raise Http404
    return agency, agencies


def _back(agency: Agency) -> HttpResponse:
    return redirect(f"{reverse('disclosure:catalogue')}?agency={agency.code}")


def _page(request: HttpRequest, agency: Agency, agencies: list[Agency], **forms: Any):
    entries = list(queries.catalogue_for(request.user, agency))
    active = [(e.pk, e.name) for e in entries if e.is_active]
    day = today()
    ctx = {
        "agency": agency,
        "agencies": agencies,
        "entries": entries,
        "review_due": [e for e in entries if e.is_active and e.review_on <= day],
        "pending": list(queries.pending_items_for(request.user, agency)),
        "can_manage": can(request.user, CASE_SUPERVISE, agency),
        "can_handle": can(request.user, CASE_HANDLE, agency),
        "entry_form": forms.get("entry_form") or f.EntryForm(prefix="entry"),
        "item_form": forms.get("item_form")
        or f.ItemForm(prefix="item", entries=active, initial={"formed_on": day}),
        "review_form": f.ReviewForm(prefix="review"),
        "today": day,
    }
    return render(
        request, "disclosure/catalogue.html", ctx, status=forms.get("status", 200)
    )


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    agency, agencies = _agency(request)
    return _page(request, agency, agencies)


@login_required
@require_POST
def entry_add(request: HttpRequest) -> HttpResponse:
    agency, agencies = _agency(request)
    form = f.EntryForm(request.POST, prefix="entry")
    if form.is_valid():
        try:
            services.catalogue_entry_create(
                actor=request.user, agency=agency, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增目录类别"))
            return _back(agency)
    return _page(request, agency, agencies, entry_form=form, status=400)


@login_required
@require_POST
def entry_review(request: HttpRequest, pk: int) -> HttpResponse:
    agency, _agencies = _agency(request)
    entry = get_object_or_404(queries.catalogue_for(request.user, agency), pk=pk)
    form = f.ReviewForm(request.POST, prefix="review")
    if form.is_valid():
        try:
            services.catalogue_entry_review(
                actor=request.user,
                entry=entry,
                next_review_on=form.cleaned_data["next_review_on"],
                keep=form.cleaned_data["keep"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已完成目录审核"))
    else:
        messages.error(request, _("请填写下次审核日期"))
    return _back(agency)


@login_required
@require_POST
def item_add(request: HttpRequest) -> HttpResponse:
    agency, agencies = _agency(request)
    active = [
        (e.pk, e.name)
        for e in queries.catalogue_for(request.user, agency)
        if e.is_active
    ]
    form = f.ItemForm(request.POST, prefix="item", entries=active)
    if form.is_valid():
        data = dict(form.cleaned_data)
        entry = CatalogueEntry.objects.get(pk=int(data.pop("entry")), agency=agency)
        try:
            item = services.proactive_item_register(
                actor=request.user, entry=entry, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记，编号 %(n)s") % {"n": item.case.number})
            return _back(agency)
    return _page(request, agency, agencies, item_form=form, status=400)


@login_required
@require_POST
def item_publish(request: HttpRequest, number: str) -> HttpResponse:
    agency, _agencies = _agency(request)
    item = get_object_or_404(
        queries.pending_items_for(request.user, agency), case__number=number
    )
    try:
        services.proactive_item_publish(actor=request.user, item=item)
    except (ValidationError, WorkflowError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已公开：%(t)s") % {"t": item.title})
    return _back(agency)


@login_required
@require_POST
def figures(request: HttpRequest) -> HttpResponse:
    """Table 二 figures for one agency and year, from the report page."""
    agency, _agencies = _agency(request)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404 from None
    values = {key: request.POST.get(key, "").strip() for key in FIGURE_KEYS}
    try:
        services.proactive_figure_set(
            actor=request.user, agency=agency, year=year, values=values
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已保存主动公开统计数据"))
    url = reverse("disclosure:report")
    return redirect(f"{url}?agency={agency.code}&year={year}")


def figure_rows() -> list[tuple[str, str]]:
    return [(key, f"{name}·{measure}") for _a, name, measure, key in PROACTIVE_ROWS]


# -- portal --------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    agency = request.GET.get("agency", "")
    focus = request.GET.get("focus", "")
    if focus not in dict(cat.FOCUS_AREAS):
        focus = ""
    items = queries.public_items(q=q, agency=agency, focus=focus)
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosure/portal/proactive_list.html",
        {
            "page": page,
            "q": q,
            "agency_code": agency,
            "focus": focus,
            "focus_areas": cat.FOCUS_AREAS,
            "agencies": queries.public_agencies(),
        },
    )


def public_detail(request: HttpRequest, number: str) -> HttpResponse:
    item: ProactiveItem = queries.public_item(number)
    return render(request, "disclosure/portal/proactive_detail.html", {"item": item})
