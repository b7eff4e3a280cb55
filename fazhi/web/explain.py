""" "Why is it due then?" — the reasons behind a clock's due date, for people.

The deadlines app owns the explanation: its period engine recomputes the due
date from the clock's ledger and writes one line per reason (start day not
counted, holidays and weekends skipped, pauses, extensions, provisional
years). The page shows those lines as they are.
"""

from typing import Any

from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.queries import clock_explain


def clock_explanation(user: Any, clock: Clock) -> dict[str, Any]:
    """{"lines": [...], "rule": PeriodRule | None} for a clock `user` may see."""
    result = clock_explain(user, clock.pk)
    return {"lines": [str(x) for x in result.explain], "rule": result.rule}
