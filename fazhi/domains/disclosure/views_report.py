"""The annual report page: the three tables of 国办公开办函〔2021〕30号 for an
agency and year, the balance check, the table 二 figures form, and the XLSX
and DOCX downloads (audited as exports)."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fazhi.kernel.audit.services import audit_export
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.policy import can, visible_agencies
from fazhi.kernel.org.roles import CASE_HANDLE, EXPORT

from . import categories as cat
from . import letters, rules
from .report import (
    OWN,
    SCOPE_LABELS,
    SCOPES,
    build_tables,
    check_balance,
    followup_grid,
    proactive_grid,
    render_docx,
    render_xlsx,
    request_grid,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def report(request: HttpRequest) -> HttpResponse:
    agencies = list(visible_agencies(request.user, EXPORT).order_by("path"))
    if not agencies:
        raise PermissionDenied(_("您没有导出数据的权限"))
    code = request.GET.get("agency") or agencies[0].code
    agency = next((a for a in agencies if a.code == code), None)
    if agency is None:
        raise Http404
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        year = today().year
    year = min(max(year, 2008), 2100)
    scope = request.GET.get("scope") or OWN
    if scope not in SCOPE_LABELS:
        scope = OWN
    tables = build_tables(agency, year, scope)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "docx"):
        audit_export(
            actor=request.user,
            what="disclosure.annual_report",
            filters={
                "agency": agency.code,
                "year": year,
                "scope": scope,
                "format": fmt,
            },
            rows=tables.cell("new", "total"),
        )
        body = render_xlsx(tables) if fmt == "xlsx" else render_docx(tables)
        ctype = XLSX_TYPE if fmt == "xlsx" else letters.DOCX_TYPE
        response = HttpResponse(body, content_type=ctype)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(
            f"政府信息公开年度报告-{agency.code}-{scope}-{year}.{fmt}"
        )
        return response
    return render(
        request,
        "disclosure/report.html",
        {
            "agencies": agencies,
            "agency": agency,
            "year": year,
            "scope": scope,
            "scopes": SCOPES,
            "proactive": proactive_grid(tables),
            "can_fill": can(request.user, CASE_HANDLE, agency),
            "requests": request_grid(tables),
            "followups": followup_grid(tables),
            "fee_sentence": tables.fee_sentence(),
            "problems": check_balance(tables),
            "format_name": cat.REPORT_FORMAT,
            "due": [
                r.countdown(year, today())
                for r in (
                    rules.ANNUAL_REPORT_DEPARTMENT,
                    rules.ANNUAL_REPORT_GOVERNMENT,
                )
            ],
        },
    )
