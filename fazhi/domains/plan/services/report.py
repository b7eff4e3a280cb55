"""The annual 法治政府建设年度报告: entered texts, generated versions, publication.

Generation is two steps so the page can run it in the background with a
visible status: `annual_report_version_start` creates a pending version (one
short transaction), `annual_report_version_render` builds the data, renders
DOCX and PDF and stores them (or records the error). Every version is kept;
the office marks one final, reports it up and publishes it to the portal.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines.calendar import today

from ..models import AnnualReport, AnnualReportVersion, Plan
from .common import require_manage

log = logging.getLogger(__name__)


def annual_report_get_or_create(*, actor: Any, plan: Plan, year: int) -> AnnualReport:
    require_manage(actor, plan.owner, plan_wide=True)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("年度不正确。")})
    report, _created = AnnualReport.objects.get_or_create(plan=plan, year=int(year))
    return report


def annual_report_texts_save(
    *,
    actor: Any,
    report: AnnualReport,
    shortcomings: str,
    leaders_duties: str,
    next_year_plan: str,
) -> AnnualReport:
    """Save the sections the office writes by hand (the data fills the rest)."""
    require_manage(actor, report.plan.owner, plan_wide=True)
    wanted = {
        "shortcomings": (shortcomings or "").strip(),
        "leaders_duties": (leaders_duties or "").strip(),
        "next_year_plan": (next_year_plan or "").strip(),
    }
    for field, value in wanted.items():
        if len(value) > 20000:
            raise ValidationError({field: _("内容过长（不超过2万字）。")})
    with transaction.atomic():
        changed = [k for k, v in wanted.items() if getattr(report, k) != v]
        if not changed:
            return report
        for k in changed:
            setattr(report, k, wanted[k])
        report.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="plan.report_texts",
            record_type="plan_report",
            record_id=report.pk,
            payload={"changed": changed},
        )
    return report


def annual_report_version_start(
    *, actor: Any, report: AnnualReport
) -> AnnualReportVersion:
    """Reserve the next version number; the documents come from _render."""
    require_manage(actor, report.plan.owner, plan_wide=True)
    with transaction.atomic():
        AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.versions.filter(state=AnnualReportVersion.State.PENDING).exists():
            raise ValidationError({"version": _("上一个版本正在生成，请稍候。")})
        last = report.versions.aggregate(m=Max("version"))["m"] or 0
        version = AnnualReportVersion.objects.create(
            report=report,
            version=last + 1,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return version


def annual_report_version_render(
    *, actor: Any, version: AnnualReportVersion
) -> AnnualReportVersion:
    """Build the data and render both documents; never leaves it pending.

    A final version is rendered without the draft marks and the office's
    reminder box: it is the text reported up and published.
    """
    from ..queries.report import build_annual_report_data
    from ..reports.render import render_annual_docx, render_annual_pdf

    started = time.perf_counter()
    try:
        data = build_annual_report_data(
            version.report, version=version.version, draft=not version.final
        )
        docx = render_annual_docx(data)
        pdf = render_annual_pdf(data)
    except Exception as exc:
        log.exception("annual report version %s failed", version.pk)
        AnnualReportVersion.objects.filter(pk=version.pk).update(
            state=AnnualReportVersion.State.FAILED, error=str(exc)[:2000]
        )
        version.state, version.error = AnnualReportVersion.State.FAILED, str(exc)
        return version
    seconds = time.perf_counter() - started
    sha = hashlib.sha256(docx).hexdigest()
    with transaction.atomic():
        AnnualReportVersion.objects.filter(pk=version.pk).update(
            state=AnnualReportVersion.State.DONE,
            docx=docx,
            pdf=pdf,
            sha256=sha,
            seconds=seconds,
        )
        audit_record(
            actor=actor,
            action="plan.report_generate",
            record_type="plan_report",
            record_id=version.report_id,
            payload={"version": version.version, "sha256": sha, "seconds": seconds},
        )
    version.refresh_from_db()
    return version


def annual_report_generate(*, actor: Any, report: AnnualReport) -> AnnualReportVersion:
    """Both steps at once (the CLI, tests)."""
    version = annual_report_version_start(actor=actor, report=report)
    return annual_report_version_render(actor=actor, version=version)


def run_in_background(actor: Any, version: AnnualReportVersion) -> None:
    """Render in a thread so the request returns and the page polls the status.

    FAZHI_BACKGROUND = "inline" renders in the request instead (tests, and
    deployments that would rather not run threads).
    """
    if getattr(settings, "FAZHI_BACKGROUND", "thread") == "inline":
        annual_report_version_render(actor=actor, version=version)
        return

    def work() -> None:
        try:
            annual_report_version_render(actor=actor, version=version)
        finally:
            close_old_connections()

    threading.Thread(target=work, name=f"report-{version.pk}", daemon=True).start()


def _done_version(report: AnnualReport, number: int) -> AnnualReportVersion:
    version = report.versions.filter(version=number).first()
    if version is None or version.state != AnnualReportVersion.State.DONE:
        raise ValidationError({"version": _("没有这个已生成的版本。")})
    return version


def annual_report_finalise(
    *, actor: Any, report: AnnualReport, version: int, on: date | None = None
) -> AnnualReport:
    """Settle the text the office approved in draft `version` and record that
    it was reported to the level above.

    The final text is rendered as a new version without the draft marks (the
    drafts stay as they were); it is what 公开 later publishes.
    """
    require_manage(actor, report.plan.owner, plan_wide=True)
    _done_version(report, version)  # only a generated draft can be settled
    on = on or today()
    with transaction.atomic():
        AnnualReport.objects.select_for_update().get(pk=report.pk)
        last = report.versions.aggregate(m=Max("version"))["m"] or 0
        report.versions.update(final=False)
        final = AnnualReportVersion.objects.create(
            report=report,
            version=last + 1,
            final=True,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    final = annual_report_version_render(actor=actor, version=final)
    if final.state != AnnualReportVersion.State.DONE:
        raise ValidationError(
            {"version": _("定稿生成失败：%(e)s") % {"e": final.error}}
        )
    with transaction.atomic():
        report.status, report.submitted_on = AnnualReport.Status.SUBMITTED, on
        report.save(update_fields=["status", "submitted_on"])
        audit_record(
            actor=actor,
            action="plan.report_submit",
            record_type="plan_report",
            record_id=report.pk,
            payload={
                "approved_draft": version,
                "final_version": final.version,
                "on": on,
                "sha256": final.sha256,
            },
        )
    return report


def annual_report_publish(
    *, actor: Any, report: AnnualReport, on: date | None = None
) -> AnnualReport:
    """Publish the final version on the public portal."""
    require_manage(actor, report.plan.owner, plan_wide=True)
    final = report.versions.filter(final=True).first()
    if final is None:
        raise ValidationError({"version": _("请先确定并报送定稿版本。")})
    on = on or today()
    with transaction.atomic():
        report.status, report.published_on = AnnualReport.Status.PUBLISHED, on
        report.published_version = final.version
        report.save(update_fields=["status", "published_on", "published_version"])
        audit_record(
            actor=actor,
            action="plan.report_publish",
            record_type="plan_report",
            record_id=report.pk,
            payload={"version": final.version, "on": on, "sha256": final.sha256},
        )
    return report
