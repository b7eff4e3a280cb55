"""Reply rate and on-time rate, registered in the kernel for the plan's
"依申请公开答复率100%" target and computed from the applications.

Both count an agency together with its subtree (a county's figure includes its
departments and townships), over applications received in the period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.indicators.periods import period_bounds
from fazhi.kernel.indicators.registry import register_indicator

from .workflow import REPLY

REPLY_RATE = "disclosure.reply_rate"
ON_TIME_RATE = "disclosure.on_time_rate"
_BASIS = "《黄石市法治政府建设实施方案（2021-2025年）》：依申请公开答复率达到100%"


def _rate(done: int, total: int) -> Decimal | None:
    if total == 0:
        return None
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.01"))


def received_in(agency: Any, period: str) -> QuerySet[Any]:
    from .models import Application

    start, end = period_bounds(period)
    return Application.objects.filter(
        case__agency__path__startswith=agency.path,
        received_on__gte=start,
        received_on__lte=end,
    )


def reply_rate(agency: Any, period: str) -> Decimal | None:
    """Concluded / (concluded + those whose reply is already overdue).

    A request still inside its statutory period is not yet a failure, so it
    counts in neither part."""
    rows = received_in(agency, period)
    _start, end = period_bounds(period)
    cutoff = min(end, today())
    concluded = rows.filter(concluded_on__isnull=False, concluded_on__lte=end)
    overdue = rows.filter(
        Q(concluded_on__isnull=True) | Q(concluded_on__gt=end),
        Exists(
            Clock.objects.filter(
                case=OuterRef("case"),
                name=REPLY,
                state=Clock.State.RUNNING,
                due_date__lt=cutoff,
            )
        ),
    )
    done = concluded.count()
    return _rate(done, done + overdue.count())


def on_time_rate(agency: Any, period: str) -> Decimal | None:
    """Replies given by their (paused, extended) due date / all replies."""
    # Only concluded requests: while a 补正 is awaited the reply clock is
    # stopped too (art. 30 restarts it), but nothing has been answered yet.
    rows = received_in(agency, period).filter(
        concluded_on__isnull=False,
        case__clocks__name=REPLY,
        case__clocks__state=Clock.State.STOPPED,
    )
    on_time = rows.filter(case__clocks__stopped_on__lte=F("case__clocks__due_date"))
    return _rate(on_time.count(), rows.count())


def register_disclosure_indicators() -> None:
    register_indicator(
        REPLY_RATE,
        "依申请公开答复率",
        "%",
        ">=",
        target=100,
        source="metric",
        compute=reply_rate,
        basis=_BASIS,
        description="本期收到的申请中已办结的比例（尚在法定期限内的不计）",
    )
    register_indicator(
        ON_TIME_RATE,
        "依申请公开按时答复率",
        "%",
        ">=",
        target=100,
        source="metric",
        compute=on_time_rate,
        basis="《政府信息公开条例》第三十三条",
        description="本期收到并已办结的申请中在法定期限（含依法延长、扣除第三方意见时间）内办结的比例",
    )
