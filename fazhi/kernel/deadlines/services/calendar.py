"""Calendar writes: load a year from the State Council notice, seed built-ins.

Loading a year replaces that year's days, and recomputes (and journals) every
open clock whose window touches the year, in the same transaction: a due
date is never left computed from a calendar that is no longer the one in force.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record

from ..calendar import FIRST_YEAR, LAST_YEAR
from ..holidays import REVISION_IN_FORCE_FROM, statutory_holidays
from ..models import CalendarDay, CalendarYear
from ..seed import seed_builtin
from .recompute import clocks_recompute


@dataclass(frozen=True)
class CalendarLoad:
    year: int
    source: str
    holidays: int
    workdays: int
    replaced: bool
    recomputed: int


def _check_days(
    year: int, field: str, days: Sequence[tuple[date, str]]
) -> dict[date, str]:
    out: dict[date, str] = {}
    for d, name in days:
        if d.year != year:
            raise ValidationError({field: f"{d.isoformat()} 不在 {year} 年内"})
        if d in out:
            raise ValidationError({field: f"{d.isoformat()} 重复出现"})
        out[d] = name.strip()[:64]
    return out


def _check_statutory_days_present(year: int, holidays: dict[date, str]) -> None:
    """A notice always gives every statutory holiday off (the ranges it announces
    contain them), so a file missing one is incomplete, not a new rule; loading
    it would turn a festival into a working day and shorten real deadlines."""
    if year < REVISION_IN_FORCE_FROM:
        return
    missing = sorted(
        (d, name)
        for d, name in statutory_holidays(year).days.items()
        if d not in holidays
    )
    if missing:
        listed = "、".join(f"{name}（{d.isoformat()}）" for d, name in missing[:8])
        raise ValidationError(
            {"holidays": f"缺少法定节假日：{listed}。请按通知列出全部放假日期。"}
        )


def calendar_year_load(
    *,
    actor: Any,
    year: int,
    source: str,
    holidays: Sequence[tuple[date, str]],
    workdays: Sequence[tuple[date, str]],
) -> CalendarLoad:
    """Replace `year`'s holidays and 调休 workdays with those of its notice."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": f"年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间"})
    if not source.strip():
        raise ValidationError({"source": "请写明来源（国务院办公厅通知的文号）"})
    hol = _check_days(year, "holidays", holidays)
    work = _check_days(year, "workdays", workdays)
    if not hol:
        raise ValidationError({"holidays": "节假日列表为空"})
    both = sorted(set(hol) & set(work))
    if both:
        raise ValidationError(
            {"workdays": f"{both[0].isoformat()} 同时列为节假日和调休上班日"}
        )
    _check_statutory_days_present(year, hol)
    weekday = sorted(d for d in work if d.weekday() < 5)
    if weekday:
        raise ValidationError(
            {"workdays": f"{weekday[0].isoformat()} 是工作日，调休上班日应为周六或周日"}
        )
    with transaction.atomic():
        previous = CalendarYear.objects.select_for_update().filter(year=year).first()
        old = list(
            CalendarDay.objects.filter(date__year=year).values_list(
                "date", "kind", "name"
            )
        )
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(date=d, kind=CalendarDay.Kind.HOLIDAY, name=n)
                for d, n in hol.items()
            ]
            + [
                CalendarDay(date=d, kind=CalendarDay.Kind.WORKDAY, name=n)
                for d, n in work.items()
            ]
        )
        CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source.strip()}
        )
        audit_record(
            actor=actor,
            action="calendar.load",
            record_type="calendar",
            record_id=year,
            payload={
                "source": source.strip(),
                "holidays": [[d, n] for d, n in sorted(hol.items())],
                "workdays": [[d, n] for d, n in sorted(work.items())],
                "previous": {
                    "source": previous.source,
                    "days": [[d, k, n] for d, k, n in old],
                }
                if previous
                else None,
            },
        )
        recomputed = clocks_recompute(actor=actor, years={year})
    return CalendarLoad(
        year=year,
        source=source.strip(),
        holidays=len(hol),
        workdays=len(work),
        replaced=previous is not None,
        recomputed=recomputed,
    )


def calendar_seed(*, actor: Any) -> list[int]:
    """Load the built-in years (chinese-calendar) that the database lacks."""
    with transaction.atomic():
        added = seed_builtin(CalendarYear, CalendarDay)
        for year in added:
            audit_record(
                actor=actor,
                action="calendar.seed",
                record_type="calendar",
                record_id=year,
                payload={"source": CalendarYear.objects.get(year=year).source},
            )
        if added:
            clocks_recompute(actor=actor, years=set(added))
    return added
