"""有件必备、有备必审、有错必纠 as kernel indicators (plan task 5).

Each counts an agency together with its subtree, over documents whose
relevant event fell in the period; a document still inside its period is
not yet a failure and counts in neither part of a rate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.indicators.periods import period_bounds
from fazhi.kernel.indicators.registry import register_indicator

from .normative_rules import CITATIONS, PLAN_TASK
from .normative_workflow import CORRECTING, FILING, LEGALITY, REVIEW

FILING_RATE = "normative.filing_rate"
FILING_ON_TIME = "normative.filing_on_time_rate"
LEGALITY_ON_TIME = "normative.legality_on_time_rate"
REVIEW_ON_TIME = "normative.review_on_time_rate"
CORRECTION_RATE = "normative.correction_rate"


def _rate(done: int, total: int) -> Decimal | None:
    if total == 0:
        return None
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.01"))


def _docs(agency: Any) -> QuerySet[Any]:
    from .models import NormativeDocument

    return NormativeDocument.objects.filter(case__agency__path__startswith=agency.path)


def _late(name: str, cutoff: Any) -> Exists:
    return Exists(
        Clock.objects.filter(
            case=OuterRef("case"),
            name=name,
            state=Clock.State.RUNNING,
            due_date__lt=cutoff,
        )
    )


def _repealed_late(name: str) -> Exists:
    """The clock was stopped by a repeal or the document's expiry after it
    had run out: the document was already late when its procedure ended
    unfiled."""
    return Exists(
        Clock.objects.filter(
            case=OuterRef("case"),
            name=name,
            state=Clock.State.STOPPED,
            stopped_on__gt=F("due_date"),
        )
    )


def filing_rate(agency: Any, period: str) -> Decimal | None:
    """有件必备: published in the period and filed / (filed + overdue unfiled).
    A document repealed or expired unfiled counts as overdue if its filing
    period had run out by then, and in neither part if it had not."""
    start, end = period_bounds(period)
    rows = _docs(agency).filter(published_on__gte=start, published_on__lte=end)
    filed = rows.filter(filed_on__isnull=False, filed_on__lte=end).count()
    overdue = rows.filter(
        Q(filed_on__isnull=True) | Q(filed_on__gt=end),
        _late(FILING, min(end, today()))
        | (Q(filed_on__isnull=True) & _repealed_late(FILING)),
    ).count()
    return _rate(filed, filed + overdue)


def _on_time(agency: Any, period: str, clock: str, field: str) -> Decimal | None:
    start, end = period_bounds(period)
    # One filter() call, so both conditions apply to the same clock row.
    stopped = {
        f"{field}__gte": start,
        f"{field}__lte": end,
        "case__clocks__name": clock,
        "case__clocks__state": Clock.State.STOPPED,
    }
    total = _docs(agency).filter(**stopped).count()
    on_time = _docs(agency).filter(
        **stopped, case__clocks__stopped_on__lte=F("case__clocks__due_date")
    )
    return _rate(on_time.count(), total)


def filing_on_time_rate(agency: Any, period: str) -> Decimal | None:
    return _on_time(agency, period, FILING, "filed_on")


def legality_on_time_rate(agency: Any, period: str) -> Decimal | None:
    return _on_time(agency, period, LEGALITY, "reviewed_on")


def review_on_time_rate(agency: Any, period: str) -> Decimal | None:
    return _on_time(agency, period, REVIEW, "decided_on")


def correction_rate(agency: Any, period: str) -> Decimal | None:
    """有错必纠: found at fault in the period and corrected / (corrected +
    those whose correction is overdue)."""
    start, end = period_bounds(period)
    rows = _docs(agency).filter(
        decided_on__gte=start,
        decided_on__lte=end,
        filing_result__in=("unlawful", "inappropriate"),
    )
    done = rows.filter(corrected_on__isnull=False).count()
    late = (
        rows.filter(
            corrected_on__isnull=True,
            case__state=CORRECTING,
        )
        .filter(_late("correction", min(end, today())))
        .count()
    )
    return _rate(done, done + late)


def register_normative_indicators() -> None:
    register_indicator(
        FILING_RATE,
        "规范性文件报备率",
        "%",
        ">=",
        target=100,
        source="metric",
        compute=filing_rate,
        basis=PLAN_TASK,
        description="本期公布的规范性文件中已报送备案的比例（尚在报备期限内的不计）",
    )
    register_indicator(
        FILING_ON_TIME,
        "规范性文件按时报备率",
        "%",
        ">=",
        target=100,
        source="metric",
        compute=filing_on_time_rate,
        basis=CITATIONS[FILING],
        description="本期报送备案的文件中在公布后规定期限内报送的比例",
    )
    register_indicator(
        LEGALITY_ON_TIME,
        "合法性审核按时完成率",
        "%",
        ">=",
        target=100,
        source="metric",
        compute=legality_on_time_rate,
        basis=CITATIONS[LEGALITY],
        description="本期完成合法性审核的文件中在15个工作日内出具审核意见的比例",
    )
    register_indicator(
        REVIEW_ON_TIME,
        "备案审查按时办结率",
        "%",
        ">=",
        target=100,
        source="metric",
        compute=review_on_time_rate,
        basis=CITATIONS[REVIEW],
        description="本期作出审查结论的文件中在审查期限内（补正期间不计）办结的比例",
    )
    register_indicator(
        CORRECTION_RATE,
        "备案审查纠错完成率",
        "%",
        ">=",
        target=100,
        source="metric",
        compute=correction_rate,
        basis=PLAN_TASK,
        description="本期审查认定违法或不适当的文件中已纠正的比例（尚在纠正期限内的不计）",
    )
