"""Reading indicators: the table of values a user may see, with their status."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from fazhi.kernel.org.policy import agency_q, has_perm_anywhere
from fazhi.kernel.org.roles import INDICATOR_VIEW

from .models import Indicator, IndicatorValue
from .periods import validate_period

GREEN, AMBER, RED, NO_TARGET = "green", "amber", "red", "none"


def value_status(indicator: Indicator, value: Decimal) -> str:
    """green when the target is met; amber within `amber_margin` (relative to
    the target) of meeting it; red beyond; "none" without a target."""
    target = indicator.target
    if target is None:
        return NO_TARGET
    margin = abs(target) * indicator.amber_margin
    if indicator.comparator == Indicator.Comparator.GE:
        gap = target - value
    elif indicator.comparator == Indicator.Comparator.LE:
        gap = value - target
    else:
        gap = abs(value - target)
    if gap <= 0:
        return GREEN
    return AMBER if gap <= margin else RED


@dataclass
class ValueCell:
    value: IndicatorValue
    status: str


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list[ValueCell] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = {GREEN: 0, AMBER: 0, RED: 0, NO_TARGET: 0}
        for c in self.cells:
            out[c.status] += 1
        return out


def visible_values(user: Any, period: str) -> QuerySet[IndicatorValue]:
    """Current values of `period` for agencies within the user's view scope."""
    return IndicatorValue.objects.filter(
        agency_q(user, INDICATOR_VIEW), period=period, is_current=True
    )


def indicator_table(user: Any, period: str) -> list[IndicatorRow]:
    """Active indicators with the current values the user may see (two queries).

    Empty for a user who holds `indicator.view` nowhere.
    """
    period = validate_period(period)
    if not has_perm_anywhere(user, INDICATOR_VIEW):
        return []
    rows = {i.pk: IndicatorRow(i) for i in Indicator.objects.filter(is_active=True)}
    values = (
        visible_values(user, period)
        .filter(indicator_id__in=list(rows))
        .select_related("agency", "reported_by")
        .order_by("indicator__code", "agency__path")
    )
    for v in values:
        row = rows[v.indicator_id]
        v.indicator = row.indicator  # spare a query per value
        row.cells.append(ValueCell(v, value_status(row.indicator, v.value)))
    return list(rows.values())


def value_history(
    user: Any, indicator: Indicator, agency_id: int, period: str
) -> list[IndicatorValue]:
    """Every version of one cell, newest first, if the user may see the agency."""
    return list(
        IndicatorValue.objects.filter(
            agency_q(user, INDICATOR_VIEW),
            indicator=indicator,
            agency_id=agency_id,
            period=validate_period(period),
        )
        .select_related("reported_by")
        .order_by("-version")
    )
