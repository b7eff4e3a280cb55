"""Reads of clocks, scoped through their case's agency (`case.view`).

A clock outside the user's scope answers 404 exactly like a missing one.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from fazhi.kernel.org.policy import agency_q, get_scoped_or_404
from fazhi.kernel.org.roles import CASE_VIEW

from .calendar import WorkCalendar, today
from .ledger import clock_result, rule_or_none
from .models import Clock
from .rules import PeriodRule, all_rules
from .sweep import due_soon_limit


def visible_clocks(user: Any) -> QuerySet[Clock]:
    return Clock.objects.filter(
        agency_q(user, CASE_VIEW, field="case__agency"), case__isnull=False
    )


def clocks_due_soon(
    user: Any, *, on: date | None = None, limit: int = 100
) -> list[Clock]:
    """Running clocks the user may see that are overdue or due within the
    alert.due_soon window, most urgent first."""
    on = on or today()
    return list(
        visible_clocks(user)
        .filter(state=Clock.State.RUNNING, due_date__lte=due_soon_limit(on))
        .select_related("case", "case__agency")
        .order_by("due_date", "pk")[:limit]
    )


@dataclass(frozen=True)
class ClockExplanation:
    clock: Clock
    due: date
    provisional: bool
    rule: PeriodRule | None
    explain: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "clock_id": self.clock.pk,
            "name": self.clock.name,
            "state": self.clock.state,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "rule": self.rule.id if self.rule else None,
            "citation": self.rule.citation if self.rule else None,
            "explain": self.explain,
        }


def clock_explain(user: Any, clock_id: int) -> ClockExplanation:
    """Why is this clock due when it is due? Recomputed from its ledger."""
    clock = get_scoped_or_404(
        user,
        CASE_VIEW,
        Clock.objects.filter(case__isnull=False),
        field="case__agency",
        pk=clock_id,
    )
    result = clock_result(clock, WorkCalendar.load())
    return ClockExplanation(
        clock=clock,
        due=result.due,
        provisional=result.provisional,
        rule=rule_or_none(clock.rule_id),
        explain=result.explain,
    )


def period_rules() -> list[PeriodRule]:
    """The period rules in force here (national, with local overrides)."""
    return all_rules()
