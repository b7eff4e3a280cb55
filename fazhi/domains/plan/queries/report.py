"""Build the annual report's content from the records (no rendering here)."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.indicators.models import plain

from ..models import (
    AnnualReport,
    Assignment,
    Milestone,
    PlanNode,
    ProgressReport,
    Target,
)
from ..reports.data import AnnualReportData, IndicatorRow, PartSection, TaskSummary
from ..rules import REPORT_PUBLISH, REPORT_SUBMIT
from .dashboard import STATUS_LABELS, target_rows

RESULTS_PER_TASK = 6
COMPARATOR_LABELS = {">=": "不低于", "<=": "不高于", "=": "等于"}


def _task_status(milestones: list[Milestone]) -> str:
    if not milestones:
        return "未设节点任务"
    if all(m.completed_on for m in milestones):
        return "已完成"
    if any(not m.completed_on and m.due_date < today() for m in milestones):
        return "存在逾期"
    return "按期推进"


def build_annual_report_data(
    report: AnnualReport, version: int, *, draft: bool = True
) -> AnnualReportData:
    plan = report.plan
    year = report.year
    city = plan.owner.name
    nodes = list(plan.nodes.filter(is_active=True).order_by("position"))
    by_pk = {n.pk: n for n in nodes}

    def task_of(node_id: int | None) -> PlanNode | None:
        node = by_pk.get(node_id) if node_id else None
        while node is not None and node.kind != PlanNode.Kind.TASK:
            node = by_pk.get(node.parent_id) if node.parent_id else None
        return node

    units: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "co": []})
    for a in Assignment.objects.filter(node__plan=plan).select_related("agency"):
        task = task_of(a.node_id)
        if task is not None:
            name = a.agency.short_name or a.agency.name
            if name not in units[task.pk][a.role]:
                units[task.pk][a.role].append(name)
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for m in Milestone.objects.filter(node__plan=plan):
        task = task_of(m.node_id)
        if task is not None:
            milestones[task.pk].append(m)
    results: dict[int, list[str]] = defaultdict(list)
    accepted = (
        ProgressReport.objects.filter(
            milestone__node__plan=plan,
            status=ProgressReport.Status.ACCEPTED,
            submitted_at__year=year,
        )
        .select_related("milestone__agency")
        .order_by("-submitted_at")
    )
    for r in accepted:
        task = task_of(r.milestone.node_id)
        if task is not None and len(results[task.pk]) < RESULTS_PER_TASK:
            agency = r.milestone.agency
            line = f"{agency.short_name or agency.name}：{r.text}"
            if line not in results[task.pk]:  # a unit repeating itself
                results[task.pk].append(line)

    parts: list[PartSection] = []
    current: PartSection | None = None
    for node in nodes:
        if node.kind in (PlanNode.Kind.PART, PlanNode.Kind.SECTION):
            current = PartSection(number=node.number, title=node.title)
            parts.append(current)
        elif node.kind == PlanNode.Kind.TASK and current is not None:
            ms = milestones[node.pk]
            current.tasks.append(
                TaskSummary(
                    number=node.number,
                    title=node.title,
                    lead_units=units[node.pk]["lead"],
                    co_units=units[node.pk]["co"],
                    status_label=_task_status(ms),
                    progress_percent=(
                        round(sum(m.progress for m in ms) / len(ms)) if ms else 0
                    ),
                    results=results[node.pk],
                )
            )
    parts = [p for p in parts if p.tasks]

    indicators: list[IndicatorRow] = []
    for row in target_rows(None, plan, year, everyone=True):
        t, ind = row.target, row.indicator
        basis = f"实施方案 {t.node.label}"
        if t.kind == Target.Kind.DATE:
            shape = ("", "按期完成", f"{t.deadline_year}年前")
        elif ind is None or ind.target is None:
            shape = (t.unit, "定性要求", "")
        else:
            shape = (
                ind.unit,
                COMPARATOR_LABELS.get(ind.comparator, ""),
                ind.target_display,
            )
        common = {
            "name": t.subject,
            "unit": shape[0],
            "comparator_label": shape[1],
            "target": shape[2],
            "basis": basis,
        }
        if not row.cells:
            indicators.append(
                IndicatorRow(
                    **common,
                    actual="",
                    status="none",
                    status_label=str(STATUS_LABELS["none"]),
                    agency_name=city,
                )
            )
        for cell in row.cells:
            actual = plain(cell.value)
            if t.kind == Target.Kind.DATE:
                actual = "已完成" if cell.value >= 1 else "未完成"
            indicators.append(
                IndicatorRow(
                    **common,
                    actual=actual,
                    status=cell.status,
                    status_label=str(STATUS_LABELS[cell.status]),
                    agency_name=cell.agency_name,
                )
            )
    return AnnualReportData(
        year=year,
        city_name=city,
        title=f"{city}{year}年法治政府建设年度报告",
        plan_title=plan.title,
        parts=parts,
        indicators=indicators,
        shortcomings=report.shortcomings,
        leaders_duties=report.leaders_duties,
        next_year_plan=report.next_year_plan,
        version=version,
        draft=draft,
        submit_due=REPORT_SUBMIT.for_report_year(year),
        publish_due=REPORT_PUBLISH.for_report_year(year),
        submit_basis=REPORT_SUBMIT.citation,
        publish_basis=REPORT_PUBLISH.citation,
        generated_at=timezone.now(),
    )
