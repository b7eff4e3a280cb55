"""Targets against actual values: the dashboard's and the annual report's table.

A target's values live in the kernel indicator it is carried by (its own
manual indicator, or the module metric the office linked). Cells are the
current values for the year of the agencies the user may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from fazhi.kernel.indicators.models import Indicator, IndicatorValue, plain
from fazhi.kernel.indicators.queries import NO_TARGET, value_status
from fazhi.kernel.org.policy import agency_q
from fazhi.kernel.org.roles import INDICATOR_VIEW

from ..models import Plan, Target

STATUS_LABELS = {
    "green": gettext_lazy("达标"),
    "amber": gettext_lazy("预警"),
    "red": gettext_lazy("未达标"),
    "none": gettext_lazy("未填报"),
}


@dataclass
class Cell:
    agency_name: str
    agency_id: int
    value: Decimal
    status: str
    evidence: str

    @property
    def value_display(self) -> str:
        return plain(self.value)


@dataclass
class TargetRow:
    target: Target
    indicator: Indicator | None
    cells: list[Cell] = field(default_factory=list)
    trend: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The worst cell decides; no cell is "none" (nothing reported)."""
        order = ["red", "amber", "green", NO_TARGET]
        statuses = {c.status for c in self.cells}
        for s in order:
            if s in statuses:
                return s if s != NO_TARGET else "none"
        return "none"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def carrier_code(target: Target) -> str:
    return target.indicator_code or target.own_indicator_code


def target_rows(
    user: Any, plan: Plan, year: int, *, everyone: bool = False
) -> list[TargetRow]:
    """Every active target with the year's visible values and a yearly trend.

    `everyone` reads every agency's values regardless of `user`: the annual
    report covers the whole plan, whoever generates it.
    """
    targets = list(
        Target.objects.filter(node__plan=plan, node__is_active=True, is_active=True)
        .select_related("node")
        .order_by("node__position", "pk")
    )
    codes = {carrier_code(t) for t in targets}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    first = plan.year_from or year
    periods = [str(y) for y in range(min(first, year), year + 1)]
    scope = Q() if everyone else agency_q(user, INDICATOR_VIEW)
    values = (
        IndicatorValue.objects.filter(
            scope,
            indicator__code__in=codes,
            period__in=periods,
            is_current=True,
        )
        .select_related("agency", "indicator")
        .order_by("agency__path")
    )
    by_code: dict[str, list[IndicatorValue]] = {}
    for v in values:
        by_code.setdefault(v.indicator.code, []).append(v)
    rows = []
    for t in targets:
        code = carrier_code(t)
        indicator = indicators.get(code)
        row = TargetRow(t, indicator)
        mine = by_code.get(code, [])
        for v in mine:
            if v.period == str(year) and indicator is not None:
                row.cells.append(
                    Cell(
                        v.agency.short_name or v.agency.name,
                        v.agency_id,
                        v.value,
                        value_status(indicator, v.value),
                        v.evidence,
                    )
                )
        for p in periods:
            numbers = [v.value for v in mine if v.period == p]
            mean = sum(numbers) / len(numbers) if numbers else None
            row.trend.append((p, None if mean is None else plain(round(mean, 2))))
        rows.append(row)
    return rows


def status_counts(rows: list[TargetRow]) -> dict[str, int]:
    counts = {"green": 0, "amber": 0, "red": 0, "none": 0}
    for r in rows:
        counts[r.status] += 1
    return counts
