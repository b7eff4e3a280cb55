"""The centre's five KPIs, registered as kernel indicators.

Each counts tickets received in the period whose owning agency (the lead
agency once dispatched, the centre before) lies in the agency's subtree; the
on-time flags are fixed on the ticket when its clock stops, so a KPI is a
count, not a clock join.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

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
    from .models import Ticket

    start, end = period_bounds(period)
    return Ticket.objects.filter(
        case__agency__path__startswith=agency.path,
        received_on__gte=start,
        received_on__lte=end,
        merged_into__isnull=True,
    )


def _flag_rate(agency: Any, period: str, field: str) -> Decimal | None:
    agg = tickets_in(agency, period).aggregate(
        total=Count("pk", filter=Q(**{f"{field}__isnull": False})),
        part=Count("pk", filter=Q(**{field: True})),
    )
    return _rate(agg["part"], agg["total"])


def sign_on_time_rate(agency: Any, period: str) -> Decimal | None:
    return _flag_rate(agency, period, "signed_on_time")


def on_time_rate(agency: Any, period: str) -> Decimal | None:
    return _flag_rate(agency, period, "handled_on_time")


def satisfaction_rate(agency: Any, period: str) -> Decimal | None:
    """非常满意、满意、基本满意 over all valid ratings (voided ones excluded)."""
    agg = tickets_in(agency, period).aggregate(
        total=Count("pk", filter=Q(rating__isnull=False, rating__voided=False)),
        part=Count("pk", filter=Q(rating__grade__gte=3, rating__voided=False)),
    )
    return _rate(agg["part"], agg["total"])


def redo_rate(agency: Any, period: str) -> Decimal | None:
    agg = tickets_in(agency, period).aggregate(
        total=Count("pk", filter=Q(replied_on__isnull=False, direct_answer=False)),
        part=Count("pk", filter=Q(redo_count__gt=0)),
    )
    return _rate(agg["part"], agg["total"])


def direct_answer_rate(agency: Any, period: str) -> Decimal | None:
    agg = tickets_in(agency, period).aggregate(
        total=Count("pk"), part=Count("pk", filter=Q(direct_answer=True))
    )
    return _rate(agg["part"], agg["total"])


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
