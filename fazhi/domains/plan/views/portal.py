"""Public pages: the published annual reports (法治政府建设年度报告)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..models import AnnualReport
from .work import attachment


def _published():  # type: ignore[no-untyped-def]
    return AnnualReport.objects.filter(
        status=AnnualReport.Status.PUBLISHED, published_version__isnull=False
    ).select_related("plan__owner")


def published_reports(request: HttpRequest) -> HttpResponse:
    return render(
        request, "plan/portal_reports.html", {"reports": _published().order_by("-year")}
    )


def published_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _published().filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    version = report.versions.filter(version=report.published_version).first()
    if version is None:
        raise Http404("No such report.")
    name = f"{report.plan.owner.name}{report.year}年法治政府建设年度报告.pdf"
    response = attachment(version.pdf, name, "application/pdf")
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    return response
