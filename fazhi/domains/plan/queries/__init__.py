"""Reading the plan: trees, queues, the dashboard. Every read takes the user.

The plan text itself is visible to all staff who can see cases anywhere (it
is a published document); work records (milestones, reports, 督办) follow
the agency scope of the kernel policy, and out-of-scope records answer 404.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import agency_q, can, get_scoped_or_404, has_perm_anywhere
from fazhi.kernel.org.roles import CASE_VIEW

from ..models import (
    Assignment,
    Campaign,
    Milestone,
    Plan,
    PlanNode,
    ProgressReport,
    Supervision,
    Target,
)
from ..workflow import PLAN_MANAGE


def visible_plans(user: Any) -> QuerySet[Plan]:
    if not has_perm_anywhere(user, CASE_VIEW):
        return Plan.objects.none()
    return Plan.objects.filter(withdrawn_at=None).select_related("owner")


def plan_get(user: Any, pk: int) -> Plan:
    plan = visible_plans(user).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def can_manage(user: Any, plan: Plan) -> bool:
    return can(user, PLAN_MANAGE, plan.owner)


def plan_tree(plan: Plan) -> list[PlanNode]:
    """The active nodes as a tree (roots returned; `.kids_list` on each node),
    with assignments and targets prefetched: four queries whatever the size."""
    nodes = list(
        plan.nodes.filter(is_active=True)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("agency"),
            ),
            Prefetch("targets", queryset=Target.objects.filter(is_active=True)),
        )
    )
    by_parent: dict[int | None, list[PlanNode]] = defaultdict(list)
    for node in nodes:
        by_parent[node.parent_id].append(node)
    for node in nodes:
        node.kids_list = by_parent.get(node.pk, [])  # type: ignore[attr-defined]
    return by_parent.get(None, [])


def tasks(plan: Plan) -> QuerySet[PlanNode]:
    return plan.nodes.filter(is_active=True, kind=PlanNode.Kind.TASK).order_by(
        "position"
    )


def node_get(user: Any, plan: Plan, pk: int) -> PlanNode:
    node = plan.nodes.filter(pk=pk, is_active=True).first()
    if node is None:
        raise Http404("No such node.")
    return node


def milestones_for(user: Any) -> QuerySet[Milestone]:
    """Milestones on agencies the user can see: open ones first (NULLS FIRST
    explicitly: PostgreSQL sorts NULL last, SQLite first), soonest due first."""
    return (
        Milestone.objects.filter(agency_q(user, CASE_VIEW))
        .select_related("agency", "case", "node")
        .prefetch_related("case__clocks")
        .order_by(F("completed_on").asc(nulls_first=True), "due_date", "pk")
    )


def milestone_get(user: Any, pk: int) -> Milestone:
    return get_scoped_or_404(
        user,
        CASE_VIEW,
        Milestone.objects.select_related("agency", "case", "node__plan"),
        pk=pk,
    )


def reports_to_review(user: Any) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(
            agency_q(user, PLAN_MANAGE, field="milestone__agency"),
            status=ProgressReport.Status.SUBMITTED,
        )
        .select_related("milestone__agency", "milestone__node", "submitted_by")
        .order_by("submitted_at")
    )


def supervisions_for(user: Any) -> QuerySet[Supervision]:
    return (
        Supervision.objects.filter(agency_q(user, CASE_VIEW, field="case__agency"))
        .select_related("case__agency", "milestone__node")
        .prefetch_related("case__clocks")
    )


def supervision_get(user: Any, pk: int) -> Supervision:
    return get_scoped_or_404(
        user,
        CASE_VIEW,
        Supervision.objects.select_related("case__agency", "milestone__node__plan"),
        field="case__agency",
        pk=pk,
    )


def campaigns_for(user: Any, plan: Plan) -> QuerySet[Campaign]:
    if not can_manage(user, plan):
        return Campaign.objects.none()
    return plan.campaigns.prefetch_related("visits__agency", "visits__findings")


@dataclass
class UnitRow:
    """One unit's work on the plan: what the dashboard compares."""

    agency: Agency
    tasks: int = 0
    milestones: int = 0
    done: int = 0
    done_on_time: int = 0
    overdue: int = 0
    due_by_now: int = 0
    progress_sum: int = 0
    lead_numbers: list[str] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        if not self.due_by_now:
            return None
        return round(self.done_on_time * 100 / self.due_by_now, 1)

    @property
    def progress(self) -> int:
        return round(self.progress_sum / self.milestones) if self.milestones else 0

    @property
    def status(self) -> str:
        rate = self.on_time_rate
        if self.overdue:
            return "red"
        if rate is None or rate >= 100:
            return "green"
        return "amber"


def unit_rows(user: Any, plan: Plan, on: date | None = None) -> list[UnitRow]:
    """Per responsible unit within the user's scope: tasks, milestones, on-time."""
    on = on or today()
    rows: dict[int, UnitRow] = {}
    assignments = Assignment.objects.filter(
        agency_q(user, CASE_VIEW), node__plan=plan, node__is_active=True
    ).select_related("agency", "node")
    for a in assignments:
        row = rows.setdefault(a.agency_id, UnitRow(a.agency))
        row.tasks += 1
        if a.role == Assignment.Role.LEAD:
            row.lead_numbers.append(a.node.number)
    milestones = Milestone.objects.filter(
        agency_q(user, CASE_VIEW), node__plan=plan
    ).select_related("agency")
    for m in milestones:
        row = rows.setdefault(m.agency_id, UnitRow(m.agency))
        row.milestones += 1
        row.progress_sum += m.progress
        if m.completed_on:
            row.done += 1
        if m.due_date <= on or m.completed_on:
            row.due_by_now += 1
            if m.completed_on and m.completed_on <= m.due_date:
                row.done_on_time += 1
        if not m.completed_on and m.due_date < on:
            row.overdue += 1
    return sorted(rows.values(), key=lambda r: r.agency.path)


def can_manage_city(user: Any) -> bool:
    """May the user import a plan for the city (the tree's root)?"""
    root = Agency.objects.filter(parent=None, is_active=True).order_by("path").first()
    return root is not None and can(user, PLAN_MANAGE, root)


def plan_counts(plan: Plan) -> dict[str, int]:
    """Headline numbers of a plan for its page."""
    active = plan.nodes.filter(is_active=True)
    milestones = Milestone.objects.filter(node__plan=plan)
    on = today()
    return {
        "tasks": active.filter(kind=PlanNode.Kind.TASK).count(),
        "measures": active.filter(kind=PlanNode.Kind.MEASURE).count(),
        "targets": Target.objects.filter(node__in=active, is_active=True).count(),
        "assigned": active.filter(kind=PlanNode.Kind.TASK, assignments__isnull=False)
        .distinct()
        .count(),
        "milestones": milestones.count(),
        "done": milestones.exclude(completed_on=None).count(),
        "overdue": milestones.filter(completed_on=None, due_date__lt=on).count(),
    }


def ancestors(node: PlanNode) -> list[PlanNode]:
    """The chain from the top part down to the node's parent."""
    chain = []
    current = node.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))
