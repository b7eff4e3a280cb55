"""The plan's own metrics, computed from its records and registered in the kernel.

Targets imported from a plan are data and become manual indicators through
`indicator_define` (see services/targets.py); these two are code because they
measure the office's own work on every unit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import F, Q

from fazhi.kernel.indicators.periods import period_bounds
from fazhi.kernel.indicators.registry import register_indicator

ON_TIME = "plan.milestone_on_time_rate"
RECTIFIED = "plan.rectification_rate"
_BASIS = "黄石市法治政府建设实施方案三“加强督办检查，确保各项任务如期完成”"


def _rate(done: int, total: int) -> Decimal | None:
    if total == 0:
        return None
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.01"))


def due_in(agency: Any, period: str, kind: str) -> Any:
    """The unit's milestones of `kind` due within the period (drill-down rows)."""
    from .models import Milestone

    start, end = period_bounds(period)
    return Milestone.objects.filter(
        agency=agency, kind=kind, due_date__gte=start, due_date__lte=end
    )


def milestone_on_time_rate(agency: Any, period: str) -> Decimal | None:
    """Share of the unit's milestones due in the period completed by their date."""
    rows = due_in(agency, period, "milestone")
    on_time = rows.filter(completed_on__isnull=False, completed_on__lte=F("due_date"))
    return _rate(on_time.count(), rows.count())


def rectification_rate(agency: Any, period: str) -> Decimal | None:
    """Share of the unit's 督察 findings due in the period that are rectified."""
    rows = due_in(agency, period, "rectification")
    return _rate(rows.filter(~Q(completed_on=None)).count(), rows.count())


def register_plan_indicators() -> None:
    register_indicator(
        ON_TIME,
        "法治政府建设任务按时完成率",
        "%",
        ">=",
        target=100,
        source="metric",
        compute=milestone_on_time_rate,
        basis=_BASIS,
        description="本期到期的节点任务中按期完成的比例",
    )
    register_indicator(
        RECTIFIED,
        "法治督察发现问题整改完成率",
        "%",
        ">=",
        target=100,
        source="metric",
        compute=rectification_rate,
        basis="黄石市法治政府建设实施方案三“实现法治建设督察全覆盖”",
        description="本期到期的督察整改事项中已完成整改的比例",
    )
