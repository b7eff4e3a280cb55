"""The annual report page (texts, background generation, versions) and 督察."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.kernel.audit.services import audit_export
from fazhi.kernel.deadlines.calendar import today

from .. import queries, services
from ..forms import CampaignForm, ReportTextsForm, VisitForm
from ..models import AnnualReport, AnnualReportVersion, Visit
from ..rules import REPORT_PUBLISH, REPORT_SUBMIT
from ._util import REFUSALS, int_or, require_staff, service_errors
from .work import attachment

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _managed_plan(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    plan = queries.plan_get(request.user, pk)
    if not queries.can_manage(request.user, plan):
        raise Http404("Not the office.")
    return plan


def _report(request: HttpRequest, pk: int, year: int) -> AnnualReport:
    if not 2000 <= year <= 2100:
        raise Http404("No such year.")
    plan = _managed_plan(request, pk)
    return services.annual_report_get_or_create(
        actor=request.user, plan=plan, year=year
    )


def report_year(on: date) -> int:
    """The year a report is being written for: last year's until it must be
    published (1 April), then this year's draft."""
    published_by = REPORT_PUBLISH.for_report_year(on.year - 1)
    return on.year - 1 if on < published_by else on.year


@login_required
def report_default(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect("plan:report_page", pk, report_year(today()))


@login_required
def report_page(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    require_staff(request)
    report = _report(request, pk, year)
    form = ReportTextsForm(
        initial={
            "leaders_duties": report.leaders_duties,
            "shortcomings": report.shortcomings,
            "next_year_plan": report.next_year_plan,
        }
    )
    if request.method == "POST":
        form = ReportTextsForm(request.POST)
        if form.is_valid():
            try:
                services.annual_report_texts_save(
                    actor=request.user, report=report, **form.cleaned_data
                )
            except REFUSALS as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("已保存。生成新版本后进入报告。"))
                return redirect("plan:report_page", pk, year)
    on = today()
    submit_due = REPORT_SUBMIT.for_report_year(year)
    publish_due = REPORT_PUBLISH.for_report_year(year)
    return render(
        request,
        "plan/report_page.html",
        {
            "plan": report.plan,
            "report": report,
            "year": year,
            "form": form,
            "versions": report.versions.defer("docx", "pdf"),
            "dates": [
                (
                    REPORT_SUBMIT,
                    submit_due,
                    (submit_due - on).days,
                    report.submitted_on,
                ),
                (
                    REPORT_PUBLISH,
                    publish_due,
                    (publish_due - on).days,
                    report.published_on,
                ),
            ],
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def report_generate(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    require_staff(request)
    report = _report(request, pk, year)
    try:
        version = services.annual_report_version_start(
            actor=request.user, report=report
        )
    except REFUSALS as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("plan:report_page", pk, year)
    services.run_in_background(request.user, version)
    messages.info(
        request,
        _("已开始生成第%(v)d版，生成状态见下方版本列表。") % {"v": version.version},
    )
    return redirect("plan:report_page", pk, year)


@login_required
def report_versions(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The versions table alone: htmx polls it while a version is pending."""
    require_staff(request)
    report = _report(request, pk, year)
    return render(
        request,
        "plan/_report_versions.html",
        {
            "plan": report.plan,
            "report": report,
            "year": year,
            "versions": report.versions.defer("docx", "pdf"),
        },
    )


@login_required
def report_download(
    request: HttpRequest, pk: int, year: int, version: int, fmt: str
) -> HttpResponse:
    require_staff(request)
    report = _report(request, pk, year)
    row = report.versions.filter(
        version=version, state=AnnualReportVersion.State.DONE
    ).first()
    if row is None or fmt not in ("docx", "pdf"):
        raise Http404("No such version.")
    audit_export(
        actor=request.user,
        what="plan.annual_report",
        filters={"year": year, "version": version, "format": fmt},
        rows=1,
    )
    name = f"{report.plan.owner.name}{year}年法治政府建设年度报告-第{version}版.{fmt}"
    if fmt == "docx":
        return attachment(row.docx, name, DOCX)
    return attachment(row.pdf, name, "application/pdf")


@login_required
@require_POST
def report_state(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Finalise (报送) a version, or publish the final one to the portal."""
    require_staff(request)
    report = _report(request, pk, year)
    try:
        if request.POST.get("action") == "publish":
            services.annual_report_publish(actor=request.user, report=report)
            messages.success(request, _("年度报告已在门户网站公开。"))
        else:
            services.annual_report_finalise(
                actor=request.user,
                report=report,
                version=int_or(request.POST.get("version"), 0),
            )
            messages.success(
                request, _("已定稿并记录报送；定稿版（无征求意见稿标记）见版本列表。")
            )
    except REFUSALS as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("plan:report_page", pk, year)


@login_required
def campaigns(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    plan = _managed_plan(request, pk)
    form = CampaignForm(initial={"year": today().year})
    if request.method == "POST":
        form = CampaignForm(request.POST)
        if form.is_valid():
            try:
                services.campaign_create(
                    actor=request.user, plan=plan, **form.cleaned_data
                )
            except REFUSALS as exc:
                service_errors(form, exc)
            else:
                messages.success(
                    request, _("督察已建立，督察对象覆盖全部部门和县（市、区）。")
                )
                return redirect("plan:campaigns", plan.pk)
    return render(
        request,
        "plan/campaigns.html",
        {
            "plan": plan,
            "campaigns": queries.campaigns_for(request.user, plan),
            "form": form,
            "visit_form": VisitForm(initial={"visited_on": today()}),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def visit_record(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    require_staff(request)
    plan = _managed_plan(request, pk)
    visit = Visit.objects.filter(pk=visit_pk, campaign__plan=plan).first()
    if visit is None:
        raise Http404("No such visit.")
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            services.visit_record(
                actor=request.user,
                visit=visit,
                visited_on=form.cleaned_data["visited_on"],
                summary=form.cleaned_data["summary"],
            )
            for line in form.cleaned_data["finding"].splitlines():
                if line.strip():
                    services.finding_add(actor=request.user, visit=visit, text=line)
        except REFUSALS as exc:
            service_errors(form, exc)
    if form.errors:
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label if field in form.fields else ''} {e}",
                )
    else:
        messages.success(request, _("已记录督察情况。"))
    return redirect("plan:campaigns", plan.pk)
