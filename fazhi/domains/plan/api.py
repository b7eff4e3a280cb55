"""The plan over the REST API, mounted at /api/plan. Thin: the services write,
the queries read, and a record outside the caller's scope is 404.

GET  /plans                                  plans the caller may read
GET  /plans/{id}                             the tree with targets and units
POST /plans/parse                            upload a text, get the parser's JSON
POST /plans                                  upload and import (201)
POST /nodes/{id}/assign                      lead / co-responsible unit
GET  /milestones?state=&overdue=&plan=       milestones in the caller's scope
POST /milestones                             a dated piece of an assigned task
POST /milestones/{id}/reports                progress with evidence (multipart)
POST /reports/{id}/review                    accept / complete / send_back
GET  /plans/{id}/dashboard?year=             targets vs values, unit rows
POST /supervisions                           a 督办 notice on a milestone
POST /supervisions/{id}/answer               the unit's answer
POST /supervisions/{id}/close                close, or reopen for a new answer
GET  /plans/{id}/report/{year}               annual report status and versions
PUT  /plans/{id}/report/{year}               the texts the office writes
POST /plans/{id}/report/{year}/versions      generate a version (synchronously)
GET  /plans/{id}/report/{year}/versions/{n}.docx|.pdf   download (audited)

Errors: a service's ValidationError answers 422 naming the field,
PermissionDenied 403, a refused workflow step 409 (see fazhi/api.py).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from fazhi.kernel.audit.services import audit_export
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import has_perm_anywhere
from fazhi.kernel.workflow.engine import TransitionDenied
from fazhi.kernel.workflow.queries import state_label

from . import queries, services
from .api_schemas import (
    AnnualReportOut,
    AnswerIn,
    AssignIn,
    AssignmentOut,
    CloseIn,
    DashboardOut,
    ImportOut,
    MilestoneFilters,
    MilestoneIn,
    MilestoneOut,
    MilestonePage,
    PlanDetail,
    PlanOut,
    ReportOut,
    ReviewIn,
    SupervisionIn,
    SupervisionOut,
    TextsIn,
    VersionOut,
)
from .models import (
    AnnualReport,
    AnnualReportVersion,
    Milestone,
    Plan,
    PlanNode,
    ProgressReport,
    Supervision,
)
from .queries.dashboard import status_counts, target_rows
from .rules import EVIDENCE_MAX_BYTES, REPORT_PUBLISH, REPORT_SUBMIT
from .workflow import PLAN_MANAGE

router = Router(tags=["plan"])

PLAN_MAX_BYTES = 5 * 1024 * 1024  # a plan text is tens of KB; this is generous
MAX_LIMIT = 500
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"docx": DOCX, "pdf": "application/pdf"}


def _agency(code: str, field: str) -> Agency:
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise ValidationError({field: _("没有代码为 %(c)s 的机构。") % {"c": code}})
    return agency


def _plan_out(user: Any, plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "title": plan.title,
        "owner_code": plan.owner.code,
        "owner_name": plan.owner.name,
        "year_from": plan.year_from,
        "year_to": plan.year_to,
        "source_name": plan.source_name,
        "created_at": plan.created_at,
        "can_manage": queries.can_manage(user, plan),
    }


def _target_out(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "kind": t.kind,
        "comparator": t.comparator,
        "value": t.value,
        "unit": t.unit,
        "period": t.period,
        "subject": t.subject,
        "text": t.text,
        "deadline_year": t.deadline_year,
        "indicator_code": t.indicator_code or t.own_indicator_code,
    }


def _assignment_out(a: Any) -> dict[str, Any]:
    return {
        "node_id": a.node_id,
        "agency_code": a.agency.code,
        "agency_name": a.agency.name,
        "role": a.role,
    }


def _node_out(node: PlanNode) -> dict[str, Any]:
    return {
        "id": node.pk,
        "kind": node.kind,
        "number": node.number,
        "title": node.title,
        "text": node.text,
        "version": node.version,
        "targets": [_target_out(t) for t in node.targets.all()],
        "assignments": [_assignment_out(a) for a in node.assignments.all()],
        "children": [_node_out(k) for k in node.kids_list],  # type: ignore[attr-defined]
    }


def _milestone_out(m: Milestone, on: date) -> dict[str, Any]:
    clock = next((c for c in m.case.clocks.all() if c.name == "due"), None)
    return {
        "id": m.pk,
        "kind": m.kind,
        "title": m.title,
        "case_number": m.case.number,
        "state": m.case.state,
        "state_label": state_label(m.case),
        "agency_code": m.agency.code,
        "agency_name": m.agency.name,
        "node_id": m.node_id,
        "node_label": m.node.label if m.node else "",
        "due_date": m.due_date,
        "progress": m.progress,
        "completed_on": m.completed_on,
        "overdue": m.completed_on is None and m.due_date < on,
        "alert": clock.alert if clock else "none",
    }


def _report_out(r: ProgressReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "milestone_id": r.milestone_id,
        "text": r.text,
        "progress": r.progress,
        "status": r.status,
        "score": r.score,
        "review_note": r.review_note,
        "submitted_at": r.submitted_at,
        "evidence": [
            {
                "name": e.name,
                "content_type": e.content_type,
                "size": e.size,
                "sha256": e.sha256,
            }
            for e in r.evidence.all()
        ],
    }


def _supervision_out(s: Supervision) -> dict[str, Any]:
    case = s.case
    clock = case.clocks.filter(name="reply").first()
    return {
        "id": s.pk,
        "number": s.number,
        "case_number": case.number,
        "state": case.state,
        "state_label": state_label(case),
        "milestone_id": s.milestone_id,
        "agency_code": case.agency.code,
        "problem": s.problem,
        "requirement": s.requirement,
        "issued_on": s.issued_on,
        "reply_due": clock.due_date if clock else None,
        "answer": s.answer,
        "answered_on": s.answered_on,
    }


def _managed_plan(request: HttpRequest, pk: int) -> Plan:
    """The plan, if the caller runs it; its annual report is the office's draft."""
    plan = queries.plan_get(request.user, pk)
    if not queries.can_manage(request.user, plan):
        raise Http404("No such plan.")
    return plan


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度不正确。")})
    return year


def _version_url(plan_id: int, year: int, v: AnnualReportVersion, ext: str) -> str:
    return f"/api/plan/plans/{plan_id}/report/{year}/versions/{v.version}.{ext}"


def _version_out(plan_id: int, year: int, v: AnnualReportVersion) -> dict[str, Any]:
    done = v.state == AnnualReportVersion.State.DONE
    return {
        "version": v.version,
        "state": v.state,
        "error": v.error,
        "sha256": v.sha256,
        "final": v.final,
        "seconds": v.seconds,
        "created_at": v.created_at,
        "docx_url": _version_url(plan_id, year, v, "docx") if done else None,
        "pdf_url": _version_url(plan_id, year, v, "pdf") if done else None,
    }


def _read_upload(file: UploadedFile) -> tuple[str, str]:
    """(text, name) of an uploaded plan, or a 422 naming the file."""
    from .parsing import PlanInputError, read_plan_bytes

    if file.size is not None and file.size > PLAN_MAX_BYTES:
        raise ValidationError({"file": _("文件过大（不超过5MB）。")})
    data = file.read(PLAN_MAX_BYTES + 1)
    if len(data) > PLAN_MAX_BYTES:
        raise ValidationError({"file": _("文件过大（不超过5MB）。")})
    name = file.name or ""
    try:
        return read_plan_bytes(data, name), name
    except PlanInputError as exc:
        raise ValidationError({"file": exc.message}) from None


def _parse(text: str, title: str, name: str) -> Any:
    """Parse; the title falls back to the file name, as on the command line."""
    from .parsing import PlanInputError, parse_plan

    try:
        return parse_plan(text, title=title or PurePath(name).stem)
    except PlanInputError as exc:
        raise ValidationError({"file": exc.message}) from None


@contextmanager
def _denied_is_403() -> Iterator[None]:
    """The engine refuses a step the caller may not take as a WorkflowError
    (409); to an API caller that is a permission answer."""
    try:
        yield
    except TransitionDenied as exc:
        raise PermissionDenied(str(exc)) from None


def _require_office(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, PLAN_MANAGE):
        raise PermissionDenied(_("只有法治政府建设领导小组办公室可以执行此操作。"))


# --- plans ------------------------------------------------------------------


@router.get("/plans", response=list[PlanOut], summary="实施方案列表")
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    return [_plan_out(request.user, p) for p in queries.visible_plans(request.user)]


@router.post("/plans/parse", summary="解析方案文本（不保存）")
def parse_plan_file(
    request: HttpRequest,
    file: UploadedFile = File(...),
    title: Form[str] = "",
) -> dict[str, Any]:
    _require_office(request)
    text, name = _read_upload(file)
    return _parse(text, title, name).as_json()


@router.post(
    "/plans", response={200: ImportOut, 201: ImportOut}, summary="导入实施方案"
)
def import_plan(
    request: HttpRequest,
    file: UploadedFile = File(...),
    title: Form[str] = "",
    year_from: Form[int | None] = None,
    year_to: Form[int | None] = None,
) -> Status:
    _require_office(request)
    text, name = _read_upload(file)
    parsed = _parse(text, title, name)
    result = services.plan_import(
        actor=request.user,
        parsed=parsed,
        source_name=name,
        source_text=text,
        year_from=year_from,
        year_to=year_to,
    )
    body = {
        "id": result.plan.pk,
        "created": result.created,
        "title": result.plan.title,
        "nodes": result.nodes,
        "targets": result.targets,
        "assignments": result.assignments,
        "unmatched_units": result.unmatched_units,
        "problems": result.problems,
    }
    # The same text imported again answers the plan already stored.
    return Status(201 if result.created else 200, body)


@router.get("/plans/{plan_id}", response=PlanDetail, summary="方案及任务分解")
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = queries.plan_get(request.user, plan_id)
    return {
        **_plan_out(request.user, plan),
        "preamble": plan.preamble,
        "nodes": [_node_out(n) for n in queries.plan_tree(plan)],
    }


@router.post("/nodes/{node_id}/assign", response=AssignmentOut, summary="分配责任单位")
def assign(request: HttpRequest, node_id: int, data: AssignIn) -> dict[str, Any]:
    node = PlanNode.objects.filter(pk=node_id).select_related("plan").first()
    if node is None:
        raise Http404("No such node.")
    plan = queries.plan_get(request.user, node.plan_id)
    node = queries.node_get(request.user, plan, node_id)
    row = services.task_assign(
        actor=request.user,
        node=node,
        agency=_agency(data.agency, "agency"),
        role=data.role,
    )
    return _assignment_out(row)


# --- milestones and progress -------------------------------------------------


@router.get("/milestones", response=MilestonePage, summary="节点任务（按权限范围）")
def list_milestones(
    request: HttpRequest, filters: Query[MilestoneFilters]
) -> dict[str, Any]:
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise ValidationError(
            {"limit": _("limit 应在 1 到 %(n)d 之间") % {"n": MAX_LIMIT}}
        )
    if filters.offset < 0:
        raise ValidationError({"offset": _("offset 不能为负数")})
    on = today()
    qs = queries.milestones_for(request.user)
    if filters.state:
        qs = qs.filter(case__state=filters.state)
    if filters.plan is not None:
        qs = qs.filter(node__plan_id=filters.plan)
    if filters.overdue is True:
        qs = qs.filter(completed_on=None, due_date__lt=on)
    elif filters.overdue is False:
        qs = qs.exclude(completed_on=None, due_date__lt=on)
    rows = qs[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_milestone_out(m, on) for m in rows]}


@router.post("/milestones", response={201: MilestoneOut}, summary="设立节点任务")
def create_milestone(request: HttpRequest, data: MilestoneIn) -> Status:
    node = PlanNode.objects.filter(pk=data.node).first()
    if node is None:
        raise ValidationError({"node": _("没有这个任务。")})
    plan = queries.plan_get(request.user, node.plan_id)
    node = queries.node_get(request.user, plan, data.node)
    milestone = services.milestone_create(
        actor=request.user,
        node=node,
        agency=_agency(data.agency, "agency"),
        title=data.title,
        due_date=data.due_date,
        opened_on=data.opened_on,
    )
    m = queries.milestone_get(request.user, milestone.pk)
    return Status(201, _milestone_out(m, today()))


@router.post(
    "/milestones/{milestone_id}/reports",
    response={201: ReportOut},
    summary="报送进展（可附佐证材料）",
)
def submit_report(
    request: HttpRequest,
    milestone_id: int,
    text: Form[str] = "",
    progress: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status:
    milestone = queries.milestone_get(request.user, milestone_id)
    uploads = []
    for f in files or []:
        # Read one byte past the limit so the service can refuse an oversize file.
        data = f.read(EVIDENCE_MAX_BYTES + 1)
        uploads.append(services.Upload(f.name or "file", data))
    with _denied_is_403():
        report = services.progress_report_submit(
            actor=request.user,
            milestone=milestone,
            text=text,
            progress=progress,
            files=uploads,
        )
    return Status(201, _report_out(report))


@router.post("/reports/{report_id}/review", response=ReportOut, summary="审核进展报告")
def review_report(request: HttpRequest, report_id: int, data: ReviewIn) -> dict:
    report = ProgressReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report.")
    queries.milestone_get(request.user, report.milestone_id)  # 404 out of scope
    report = services.progress_report_review(
        actor=request.user,
        report=report,
        decision=data.decision,
        score=data.score,
        note=data.note,
    )
    return _report_out(report)


# --- dashboard ---------------------------------------------------------------


@router.get("/plans/{plan_id}/dashboard", response=DashboardOut, summary="目标看板")
def dashboard(
    request: HttpRequest, plan_id: int, year: int | None = None
) -> dict[str, Any]:
    plan = queries.plan_get(request.user, plan_id)
    year = _year(year if year is not None else today().year)
    rows = target_rows(request.user, plan, year)
    return {
        "year": year,
        "counts": status_counts(rows),
        "targets": [
            {
                "target": _target_out(r.target),
                "node_label": r.target.node.label,
                "indicator_name": r.indicator.name if r.indicator else "",
                "status": r.status,
                "status_label": r.status_label,
                "cells": [
                    {
                        "agency_id": c.agency_id,
                        "agency_name": c.agency_name,
                        "value": c.value,
                        "status": c.status,
                        "evidence": c.evidence,
                    }
                    for c in r.cells
                ],
                "trend": [{"period": p, "value": v} for p, v in r.trend],
            }
            for r in rows
        ],
        "units": [
            {
                "agency_code": u.agency.code,
                "agency_name": u.agency.name,
                "tasks": u.tasks,
                "milestones": u.milestones,
                "done": u.done,
                "overdue": u.overdue,
                "on_time_rate": u.on_time_rate,
                "progress": u.progress,
                "status": u.status,
            }
            for u in queries.unit_rows(request.user, plan)
        ],
    }


# --- 督办 ---------------------------------------------------------------------


@router.post("/supervisions", response={201: SupervisionOut}, summary="发出督办通知")
def issue_supervision(request: HttpRequest, data: SupervisionIn) -> Status:
    milestone = queries.milestone_get(request.user, data.milestone)
    notice = services.supervision_issue(
        actor=request.user,
        milestone=milestone,
        problem=data.problem,
        requirement=data.requirement,
    )
    return Status(201, _supervision_out(notice))


@router.post(
    "/supervisions/{supervision_id}/answer",
    response=SupervisionOut,
    summary="反馈督办办理情况",
)
def answer_supervision(
    request: HttpRequest, supervision_id: int, data: AnswerIn
) -> dict[str, Any]:
    notice = queries.supervision_get(request.user, supervision_id)
    with _denied_is_403():
        notice = services.supervision_answer(
            actor=request.user, supervision=notice, answer=data.answer
        )
    return _supervision_out(notice)


@router.post(
    "/supervisions/{supervision_id}/close",
    response=SupervisionOut,
    summary="办结督办（或要求重新反馈）",
)
def close_supervision(
    request: HttpRequest, supervision_id: int, data: CloseIn
) -> dict[str, Any]:
    notice = queries.supervision_get(request.user, supervision_id)
    with _denied_is_403():
        notice = services.supervision_close(
            actor=request.user, supervision=notice, reopen=data.reopen, note=data.note
        )
    notice.case.refresh_from_db()
    return _supervision_out(notice)


# --- annual report -------------------------------------------------------------


def _report_body(plan: Plan, year: int, report: AnnualReport | None) -> dict[str, Any]:
    on = today()
    submit, publish = (
        REPORT_SUBMIT.for_report_year(year),
        REPORT_PUBLISH.for_report_year(year),
    )
    versions = list(report.versions.defer("docx", "pdf")) if report else []
    return {
        "plan_id": plan.pk,
        "year": year,
        "exists": report is not None,
        "status": report.status if report else AnnualReport.Status.DRAFT,
        "shortcomings": report.shortcomings if report else "",
        "leaders_duties": report.leaders_duties if report else "",
        "next_year_plan": report.next_year_plan if report else "",
        "submitted_on": report.submitted_on if report else None,
        "published_on": report.published_on if report else None,
        "published_version": report.published_version if report else None,
        "submit_due": submit,
        "publish_due": publish,
        "days_to_submit": (submit - on).days,
        "days_to_publish": (publish - on).days,
        "versions": [_version_out(plan.pk, year, v) for v in versions],
    }


@router.get(
    "/plans/{plan_id}/report/{year}", response=AnnualReportOut, summary="年度报告"
)
def annual_report(request: HttpRequest, plan_id: int, year: int) -> dict[str, Any]:
    plan = _managed_plan(request, plan_id)
    report = AnnualReport.objects.filter(plan=plan, year=_year(year)).first()
    return _report_body(plan, year, report)


@router.put(
    "/plans/{plan_id}/report/{year}",
    response=AnnualReportOut,
    summary="填写年度报告文字部分",
)
def annual_report_texts(
    request: HttpRequest, plan_id: int, year: int, data: TextsIn
) -> dict[str, Any]:
    plan = _managed_plan(request, plan_id)
    report = services.annual_report_get_or_create(
        actor=request.user, plan=plan, year=year
    )
    report = services.annual_report_texts_save(
        actor=request.user, report=report, **data.dict()
    )
    return _report_body(plan, year, report)


@router.post(
    "/plans/{plan_id}/report/{year}/versions",
    response={201: VersionOut},
    summary="生成年度报告新版本（同步，完成后返回）",
)
def annual_report_generate(request: HttpRequest, plan_id: int, year: int) -> Status:
    plan = _managed_plan(request, plan_id)
    report = services.annual_report_get_or_create(
        actor=request.user, plan=plan, year=year
    )
    # A failed render is still a version (state "failed", with the error).
    version = services.annual_report_generate(actor=request.user, report=report)
    return Status(201, _version_out(plan.pk, year, version))


def _download(
    request: HttpRequest, plan_id: int, year: int, n: int, fmt: str
) -> HttpResponse:
    plan = _managed_plan(request, plan_id)
    version = AnnualReportVersion.objects.filter(
        report__plan=plan,
        report__year=year,
        version=n,
        state=AnnualReportVersion.State.DONE,
    ).first()
    if version is None:
        raise Http404("No such version.")
    data = bytes(getattr(version, fmt))
    audit_export(
        actor=request.user,
        what="plan.annual_report",
        filters={"plan": plan.pk, "year": year, "version": n, "format": fmt},
        rows=1,
    )
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, f"法治政府建设年度报告-{year}-v{n}.{fmt}"
    )
    return response


@router.get("/plans/{plan_id}/report/{year}/versions/{n}.docx", summary="下载DOCX")
def download_docx(
    request: HttpRequest, plan_id: int, year: int, n: int
) -> HttpResponse:
    return _download(request, plan_id, year, n, "docx")


@router.get("/plans/{plan_id}/report/{year}/versions/{n}.pdf", summary="下载PDF")
def download_pdf(request: HttpRequest, plan_id: int, year: int, n: int) -> HttpResponse:
    return _download(request, plan_id, year, n, "pdf")
