"""Plans: the list and upload, the tree, and one node with its edits."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.kernel.org.models import Agency

from .. import queries, services
from ..forms import (
    AssignForm,
    MilestoneForm,
    NodeEditForm,
    NodeMergeForm,
    NodeSplitForm,
    PlanUploadForm,
    TargetForm,
)
from ..models import Assignment, Plan, PlanNode, Target
from ..parsing import PlanInputError, parse_plan, read_plan_bytes
from ._util import REFUSALS, require_staff, service_errors

MAX_PLAN_BYTES = 5 * 1024 * 1024


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    plans = list(queries.visible_plans(request.user))
    manager = any(queries.can_manage(request.user, p) for p in plans) or (
        queries.can_manage_city(request.user)
    )
    form = PlanUploadForm()
    if request.method == "POST" and manager:
        form = PlanUploadForm(request.POST, request.FILES)
        if form.is_valid():
            plan = _import(request, form)
            if plan is not None:
                return redirect("plan:plan_detail", plan.pk)
    return render(
        request,
        "plan/plan_list.html",
        {
            "plans": plans,
            "form": form,
            "manager": manager,
            "milestones": queries.milestones_for(request.user).filter(
                completed_on=None
            )[:10],
        },
    )


def _import(request: HttpRequest, form: PlanUploadForm) -> Plan | None:
    upload = form.cleaned_data["file"]
    if upload.size > MAX_PLAN_BYTES:
        form.add_error("file", _("文件超过5MB，不像是一份实施方案。"))
        return None
    try:
        text = read_plan_bytes(upload.read(), upload.name)
        title = form.cleaned_data["title"] or Path(upload.name).stem
        parsed = parse_plan(text, title=title)
        result = services.plan_import(
            actor=request.user,
            parsed=parsed,
            source_name=upload.name,
            source_text=text,
        )
    except PlanInputError as exc:
        form.add_error("file", exc.message)
        return None
    except REFUSALS as exc:
        service_errors(form, exc)
        return None
    if not result.created:
        messages.info(request, _("这份方案已经导入过，已打开原有方案。"))
        return result.plan
    messages.success(
        request,
        _("已导入：%(n)d个条目，%(t)d个目标，%(a)d项分工。")
        % {"n": result.nodes, "t": result.targets, "a": result.assignments},
    )
    if result.unmatched_units:
        messages.warning(
            request,
            _("以下责任单位未能对应到机构，请手工分配：%(u)s")
            % {"u": "、".join(dict.fromkeys(result.unmatched_units))},
        )
    for problem in result.problems[:5]:
        messages.warning(request, problem)
    return result.plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    plan = queries.plan_get(request.user, pk)
    tree = queries.plan_tree(plan)
    return render(
        request,
        "plan/plan_detail.html",
        {
            "plan": plan,
            "tree": tree,
            "manager": queries.can_manage(request.user, plan),
            "counts": queries.plan_counts(plan),
        },
    )


@login_required
@require_POST
def plan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    plan = queries.plan_get(request.user, pk)
    try:
        services.plan_withdraw(
            actor=request.user, plan=plan, reason=request.POST.get("reason", "")
        )
    except REFUSALS as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("plan:plan_detail", plan.pk)
    messages.success(request, _("方案已撤回；记录仍保留在全过程记录中。"))
    return redirect("plan:plan_list")


def _node_context(request: HttpRequest, plan: Plan, node: PlanNode) -> dict:
    units = Agency.objects.filter(pk__in=node.assignments.values("agency_id")).order_by(
        "path"
    )
    siblings = plan.nodes.filter(kind=node.kind, is_active=True).exclude(pk=node.pk)
    return {
        "plan": plan,
        "node": node,
        "manager": queries.can_manage(request.user, plan),
        # Lead units first, then co-responsible, each in tree order.
        "assignments": sorted(
            node.assignments.select_related("agency"),
            key=lambda a: (a.role != Assignment.Role.LEAD, a.agency.path),
        ),
        "targets": node.targets.filter(is_active=True),
        "milestones": queries.milestones_for(request.user)
        .filter(node=node)
        .order_by("due_date", "agency__path"),
        "revisions": node.revs.select_related("actor")[:20],
        "edit_form": NodeEditForm(
            initial={"number": node.number, "title": node.title, "text": node.text}
        ),
        "split_form": NodeSplitForm(
            initial={"first_title": node.title, "first_text": node.text}
        ),
        "merge_form": NodeMergeForm(choices=siblings),
        "assign_form": AssignForm(owner=plan.owner),
        "milestone_form": MilestoneForm(units=units),
        "ancestors": queries.ancestors(node),
    }


@login_required
def node_detail(request: HttpRequest, pk: int, node_pk: int) -> HttpResponse:
    require_staff(request)
    plan = queries.plan_get(request.user, pk)
    node = queries.node_get(request.user, plan, node_pk)
    return render(request, "plan/node_detail.html", _node_context(request, plan, node))


@login_required
@require_POST
def node_action(
    request: HttpRequest, pk: int, node_pk: int, action: str
) -> HttpResponse:
    """One POST endpoint per node edit; a refusal re-renders with the errors."""
    require_staff(request)
    plan = queries.plan_get(request.user, pk)
    node = queries.node_get(request.user, plan, node_pk)
    context = _node_context(request, plan, node)
    user = request.user
    done = _("已保存。")
    try:
        if action == "edit":
            form = context["edit_form"] = NodeEditForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.node_reword(
                    actor=user,
                    node=node,
                    title=d["title"],
                    text=d["text"],
                    number=d["number"],
                    note=d["note"],
                )
                return _back(request, plan, node, done)
        elif action == "split":
            form = context["split_form"] = NodeSplitForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.node_split(
                    actor=user,
                    node=node,
                    parts=[
                        (d["first_title"], d["first_text"]),
                        (d["second_title"], d["second_text"]),
                    ],
                    note=d["note"],
                )
                return _back(request, plan, node, _("已拆分为两条。"))
        elif action == "merge":
            form = context["merge_form"] = NodeMergeForm(
                request.POST,
                choices=plan.nodes.filter(kind=node.kind, is_active=True).exclude(
                    pk=node.pk
                ),
            )
            if form.is_valid():
                into = services.node_merge(
                    actor=user,
                    node=node,
                    into=form.cleaned_data["into"],
                    note=form.cleaned_data["note"],
                )
                return _back(request, plan, into, _("已合并。"))
        elif action == "assign":
            form = context["assign_form"] = AssignForm(request.POST, owner=plan.owner)
            if form.is_valid():
                agency = form.cleaned_data["agency"]
                before = node.assignments.filter(agency=agency).first()
                row = services.task_assign(
                    actor=user, node=node, agency=agency, role=form.cleaned_data["role"]
                )
                if before is None:
                    note = _("已将%(a)s列为%(r)s。")
                elif before.role != row.role:
                    note = _("已将%(a)s改为%(r)s。")
                else:
                    note = _("%(a)s已是%(r)s，未作改动。")
                return _back(
                    request,
                    plan,
                    node,
                    note % {"a": agency.name, "r": row.get_role_display()},
                )
        elif action == "unassign":
            assignment = Assignment.objects.get(
                node=node, pk=request.POST.get("assignment") or 0
            )
            services.task_unassign(actor=user, assignment=assignment)
            return _back(request, plan, node, _("已取消分工。"))
        elif action == "milestone":
            form = context["milestone_form"] = MilestoneForm(
                request.POST, units=context["milestone_form"].fields["agency"].queryset
            )
            if form.is_valid():
                services.milestone_create(
                    actor=user,
                    node=node,
                    agency=form.cleaned_data["agency"],
                    title=form.cleaned_data["title"],
                    due_date=form.cleaned_data["due_date"],
                )
                return _back(request, plan, node, _("已下达节点任务并通知责任单位。"))
        elif action == "target":
            target = Target.objects.get(node=node, pk=request.POST.get("target") or 0)
            form = TargetForm(request.POST)
            context["target_form"] = form
            if form.is_valid():
                services.target_update(actor=user, target=target, **form.cleaned_data)
                messages.success(request, done)
                return redirect("plan:target_detail", plan.pk, target.pk)
        else:
            return redirect("plan:node_detail", plan.pk, node.pk)
    except (Assignment.DoesNotExist, Target.DoesNotExist):
        messages.error(request, _("要操作的记录不存在。"))
        return redirect("plan:node_detail", plan.pk, node.pk)
    except REFUSALS as exc:
        service_errors(form, exc)
    context["open_action"] = action
    return render(request, "plan/node_detail.html", context, status=422)


def _back(
    request: HttpRequest, plan: Plan, node: PlanNode, message: str
) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("plan:node_detail", args=[plan.pk, node.pk]))
