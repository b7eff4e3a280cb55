"""The centre's five KPIs, registered as kernel indicators.

Each counts tickets received in the period whose owning agency (the lead
agency once dispatched, the centre before) lies in the agency's subtree; the
on-time flags are fixed on the ticket when its clock stops, so a KPI is a
count, not a clock join. The counts come from the roll-up (rollup.py), kept
exact in each transition's transaction; `adhoc_rate` is the same KPI counted
from the tickets, which the tests hold the roll-up to.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from fazhi.kernel.indicators.periods import period_bounds
from fazhi.kernel.indicators.registry import register_indicator

_BASIS = "国办发〔2020〕53号《关于进一步优化地方政务服务便民热线的指导意见》"
_RATING_BASIS = (
    "国办发〔2019〕51号《关于建立政务服务“好差评”制度提高政务服务水平的意见》"
)

SIGN_ON_TIME = "hotline.sign_on_time_rate"
HANDLE_ON_TIME = "hotline.on_time_rate"
SATISFACTION = "hotline.satisfaction_rate"
REDO = "hotline.redo_rate"
DIRECT = "hotline.direct_answer_rate"


def _rate(part: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.01"))


def tickets_in(agency: Any, period: str) -> QuerySet[Any]:
    """The tickets a KPI counts, for the ad-hoc reference computation."""
    from .models import Ticket

    start, end = period_bounds(period)
    return Ticket.objects.filter(
        case__agency__path__startswith=agency.path,
        received_on__gte=start,
        received_on__lte=end,
        merged_into__isnull=True,
    )


# Each KPI as (part, total): roll-up counters, and the same counts as filters
# over the tickets (the ad-hoc GROUP BY the roll-up must always equal).
RATIOS: dict[str, tuple[str, str]] = {
    SIGN_ON_TIME: ("signed_on_time", "signed"),
    HANDLE_ON_TIME: ("handled_on_time", "handled"),
    SATISFACTION: ("satisfied", "rated"),
    REDO: ("redone", "replied"),
    DIRECT: ("direct", "received"),
}


def _counted(agency: Any, period: str, code: str) -> Decimal | None:
    """Sum two counters of the roll-up: a few hundred rows, not every ticket."""
    from .models import HotlineDaily

    start, end = period_bounds(period)
    part, total = RATIOS[code]
    agg = HotlineDaily.objects.filter(
        agency__path__startswith=agency.path,
        day__gte=start,
        day__lte=end,
        merged=False,
    ).aggregate(part=Sum(part), total=Sum(total))
    return _rate(agg["part"] or 0, agg["total"] or 0)


def adhoc_rate(agency: Any, period: str, code: str) -> Decimal | None:
    """The KPI counted straight from the tickets (tests and the bench)."""
    from .rollup import FLAGS

    agg = tickets_in(agency, period).aggregate(
        **{
            alias: Count("pk", filter=FLAGS[name]) if name in FLAGS else Count("pk")
            for alias, name in zip(("part", "total"), RATIOS[code], strict=True)
        }
    )
    return _rate(agg["part"], agg["total"])


def sign_on_time_rate(agency: Any, period: str) -> Decimal | None:
    return _counted(agency, period, SIGN_ON_TIME)


def on_time_rate(agency: Any, period: str) -> Decimal | None:
    return _counted(agency, period, HANDLE_ON_TIME)


def satisfaction_rate(agency: Any, period: str) -> Decimal | None:
    """非常满意、满意、基本满意 over all valid ratings (voided ones excluded)."""
    return _counted(agency, period, SATISFACTION)


def redo_rate(agency: Any, period: str) -> Decimal | None:
    return _counted(agency, period, REDO)


def direct_answer_rate(agency: Any, period: str) -> Decimal | None:
    return _counted(agency, period, DIRECT)


def register_hotline_indicators() -> None:
    for code, name, comparator, target, compute, basis, description in (
        (
            SIGN_ON_TIME,
            "12345按时签收率",
            ">=",
            98,
            sign_on_time_rate,
            _BASIS,
            "已签收工单中在签收时限内签收的比例",
        ),
        (
            HANDLE_ON_TIME,
            "12345按时办结率",
            ">=",
            95,
            on_time_rate,
            _BASIS,
            "已答复工单中在办理时限（含批准延期、扣除中止时间）内答复的比例",
        ),
        (
            SATISFACTION,
            "12345满意率",
            ">=",
            90,
            satisfaction_rate,
            _RATING_BASIS,
            "有效评价中非常满意、满意、基本满意的比例（申诉成立的差评不计）",
        ),
        (
            REDO,
            "12345发回重办率",
            "<=",
            5,
            redo_rate,
            _BASIS,
            "承办单位答复的工单中被发回重办的比例",
        ),
        (
            DIRECT,
            "12345直接答复率",
            ">=",
            30,
            direct_answer_rate,
            _BASIS,
            "受理工单中由热线中心直接答复办结的比例",
        ),
    ):
        register_indicator(
            code,
            name,
            "%",
            comparator,
            target=target,
            source="metric",
            compute=compute,
            basis=basis,
            description=description,
        )
