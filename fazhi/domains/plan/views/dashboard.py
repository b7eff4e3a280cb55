"""The plan dashboard (targets vs actual, units, trend) and its drill-downs."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.indicators.models import Indicator, IndicatorValue
from fazhi.kernel.indicators.services import indicator_value_report
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import agency_q
from fazhi.kernel.org.roles import INDICATOR_REPORT, INDICATOR_VIEW

from .. import queries, services
from ..forms import TargetForm
from ..models import Target
from ..queries.dashboard import STATUS_LABELS, carrier_code, status_counts, target_rows
from ._util import REFUSALS, int_or, require_staff, service_errors


def _year(request: HttpRequest) -> int:
    year = int_or(request.GET.get("year"), today().year)
    return year if 2000 <= year <= 2100 else today().year


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    plan = queries.plan_get(request.user, pk)
    year = _year(request)
    rows = target_rows(request.user, plan, year)
    units = queries.unit_rows(request.user, plan)
    counts = status_counts(rows)
    charts = {
        "status": [
            {"name": str(STATUS_LABELS[k]), "value": v, "key": k}
            for k, v in counts.items()
        ],
        "units": {
            "names": [u.agency.short_name or u.agency.name for u in units],
            "on_time": [u.on_time_rate for u in units],
            "progress": [u.progress for u in units],
            "overdue": [u.overdue for u in units],
        },
        "trend": [
            {
                "name": r.target.subject,
                "unit": r.target.unit,
                "data": [[p, v] for p, v in r.trend],
            }
            for r in rows
            # One axis: rates and shares in %, not hours or counts beside them.
            if r.target.unit == "%" and any(v is not None for _, v in r.trend)
        ][:6],
    }
    charts["labels"] = {
        "on_time": _("按时完成率"),
        "progress": _("平均进度"),
        "empty": _("暂无数据"),
    }
    first = plan.year_from or year
    return render(
        request,
        "plan/dashboard.html",
        {
            "plan": plan,
            "year": year,
            "years": list(range(min(first, year), max(plan.year_to or year, year) + 1)),
            "rows": rows,
            "units": units,
            "counts": counts,
            "charts": charts,
            "plan_counts": queries.plan_counts(plan),
            "manager": queries.can_manage(request.user, plan),
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int, agency_pk: int) -> HttpResponse:
    """What is behind a unit's numbers: its tasks, milestones and reports."""
    require_staff(request)
    plan = queries.plan_get(request.user, pk)
    agency = (
        Agency.objects.filter(agency_q(request.user, INDICATOR_VIEW, field="pk"))
        .filter(pk=agency_pk)
        .first()
    )
    if agency is None:
        raise Http404("No such agency.")
    milestones = queries.milestones_for(request.user).filter(
        agency=agency, node__plan=plan
    )
    assignments = agency_assignments(plan, agency)
    row = next(
        (u for u in queries.unit_rows(request.user, plan) if u.agency == agency), None
    )
    return render(
        request,
        "plan/unit_detail.html",
        {
            "plan": plan,
            "agency": agency,
            "milestones": milestones,
            "assignments": assignments,
            "row": row,
            "today": today(),
        },
    )


def agency_assignments(plan, agency):  # type: ignore[no-untyped-def]
    return (
        plan.nodes.filter(is_active=True, assignments__agency=agency)
        .order_by("position")
        .distinct()
    )


class ValueForm(forms.Form):
    agency = forms.ModelChoiceField(label=gettext_lazy("填报单位"), queryset=None)  # type: ignore[arg-type]
    period = forms.CharField(label=gettext_lazy("统计期"), max_length=16)
    value = forms.CharField(label=gettext_lazy("数值"), max_length=20)
    evidence = forms.CharField(
        label=gettext_lazy("佐证材料"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("文件名称、文号或说明"),
    )

    def __init__(self, *args, user, target, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Who reports a target: the plan's owner and the units assigned to
        # its task, as far as the user may report for them.
        node = target.node
        units = {node.plan.owner_id}
        while node is not None:
            units |= set(node.assignments.values_list("agency_id", flat=True))
            node = node.parent
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            agency_q(user, INDICATOR_REPORT, field="pk"), pk__in=units, is_active=True
        ).order_by("path")


@login_required
def target_detail(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    """A target: its indicator, every unit's values with history, and entry."""
    require_staff(request)
    plan = queries.plan_get(request.user, pk)
    target = Target.objects.filter(pk=target_pk, node__plan=plan).first()
    if target is None:
        raise Http404("No such target.")
    manager = queries.can_manage(request.user, plan)
    if request.method == "POST" and request.POST.get("action") == "link" and manager:
        try:
            services.target_link(
                actor=request.user,
                target=target,
                indicator_code=request.POST.get("indicator_code", ""),
            )
        except REFUSALS as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("数据来源已更新。"))
        return redirect("plan:target_detail", plan.pk, target.pk)
    indicator = Indicator.objects.filter(code=carrier_code(target)).first()
    form = ValueForm(
        user=request.user, target=target, initial={"period": str(today().year)}
    )
    manual = indicator is not None and indicator.source == Indicator.Source.MANUAL
    if request.method == "POST" and manual:
        form = ValueForm(request.POST, user=request.user, target=target)
        if form.is_valid():
            try:
                indicator_value_report(
                    actor=request.user,
                    indicator=indicator,
                    agency=form.cleaned_data["agency"],
                    period=form.cleaned_data["period"],
                    value=form.cleaned_data["value"],
                    evidence=form.cleaned_data["evidence"],
                )
            except REFUSALS as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("指标值已填报。"))
                return redirect("plan:target_detail", plan.pk, target.pk)
    values = (
        IndicatorValue.objects.filter(
            agency_q(request.user, INDICATOR_VIEW), indicator=indicator
        )
        .select_related("agency", "reported_by")
        .order_by("-period", "agency__path", "-version")
        if indicator
        else IndicatorValue.objects.none()
    )
    return render(
        request,
        "plan/target_detail.html",
        {
            "plan": plan,
            "target": target,
            "indicator": indicator,
            "values": values[:200],
            "form": form
            if manual and form.fields["agency"].queryset.exists()
            else None,
            "manager": manager,
            "metrics": Indicator.objects.filter(
                origin=Indicator.Origin.CODE, source="metric", is_active=True
            ),
            "suggested": services.suggest_metrics(target) if manager else [],
            "target_form": TargetForm(
                initial={
                    "kind": target.kind,
                    "comparator": target.comparator,
                    "value": target.value_display,
                    "unit": target.unit,
                    "period": target.period,
                    "subject": target.subject,
                }
            ),
        },
        status=422 if form.errors else 200,
    )
