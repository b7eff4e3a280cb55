"""Alerts on running clocks: yellow when due soon, red when overdue.

Called by `fazhi sweep` (cron). Every change is a guarded UPDATE ... WHERE
alert != new, so two sweeps running at once each flip a row at most once and
the counts they return add up to the rows that really changed.
"""

from datetime import date

import numpy as np

from . import calendar as _calendar
from .calendar import WorkCalendar
from .models import Clock
from .rules import get_rule
from .vector import due_dates


def due_soon_limit(on: date, calendar: WorkCalendar | None = None) -> date:
    """The last due date that counts as "due soon" on `on`: the N-th working
    day after it, N from the rule alert.due_soon (a local setting)."""
    n = get_rule("alert.due_soon").days
    if n == 0:
        return on
    cal = calendar or WorkCalendar.load()
    due, _ = due_dates(
        cal, np.array([on.toordinal()]), np.array([n]), np.array([False])
    )
    return date.fromordinal(int(due[0]))


def sweep_alerts(*, today: date | None = None) -> dict[str, int]:
    """Set Clock.alert for running clocks; returns how many rows turned each colour."""
    on = today or _calendar.today()
    limit = due_soon_limit(on)
    running = Clock.objects.filter(state=Clock.State.RUNNING)
    red = (
        running.filter(due_date__lt=on)
        .exclude(alert=Clock.Alert.RED)
        .update(alert=Clock.Alert.RED)
    )
    yellow = (
        running.filter(due_date__gte=on, due_date__lte=limit)
        .exclude(alert=Clock.Alert.YELLOW)
        .update(alert=Clock.Alert.YELLOW)
    )
    cleared = (
        running.filter(due_date__gt=limit)
        .exclude(alert=Clock.Alert.NONE)
        .update(alert=Clock.Alert.NONE)
    )
    return {"red": red, "yellow": yellow, "cleared": cleared}
