"""The working-day calendar: which days count.

A day is a working day when it is Monday-Friday and not a holiday, or when it
is an adjusted working day (调休上班). For a year whose State Council notice is
loaded (`CalendarYear`) the stored exceptions (`CalendarDay`) decide; for any
other year the statutory holidays of 全国年节及纪念日放假办法 and weekends
decide, and everything computed from that year is provisional.

`WorkCalendar` is a plain object (no queries after `load()`), so the period
engine stays a pure function of its inputs, and `CalendarTable` is the same
calendar as numpy arrays for the vectorised engine.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.utils import timezone

from .holidays import YearHolidays, statutory_holidays

ONE_DAY = timedelta(days=1)
# Years a date may be given in: lunardate knows 1900-2099, and nothing an
# agency counts today starts before 1950.
FIRST_YEAR, LAST_YEAR = 1950, 2099
WEEKDAY_NAMES = "一二三四五六日"

WORKDAY = "workday"
WEEKEND = "weekend"
HOLIDAY = "holiday"
ADJUSTED = "adjusted"  # 调休上班: a weekend day worked in exchange for a bridging day


def today() -> date:
    """Today's date in Asia/Shanghai, the day statutory periods count in."""
    return timezone.localdate()


def fmt(d: date) -> str:
    """2026年2月14日 — the way dates appear in text people read."""
    return f"{d.year}年{d.month}月{d.day}日"


def fmt_weekday(d: date) -> str:
    return f"{fmt(d)}（星期{WEEKDAY_NAMES[d.weekday()]}）"


@dataclass(frozen=True)
class Day:
    date: date
    working: bool
    kind: str
    name: str
    provisional: bool


@dataclass
class CalendarTable:
    """The calendar between two ordinals as arrays, for searchsorted arithmetic.

    `work` holds the ordinals of the working days in ascending order.
    `before[i]` = searchsorted(work, first + i), the number of working days
    before day first + i, precomputed for every day of the table so that the
    engine's searches are one array lookup each:
    searchsorted(work, x, "left") == before[x - first] and
    searchsorted(work, x, "right") == before[x - first + 1].
    `unknown_cum[i]` counts the days of not-yet-loaded years among the first
    i days, so a window (a, b] touches such a year iff
    unknown_cum[b - first + 1] - unknown_cum[a - first + 1] > 0.
    """

    first: int
    last: int
    work: np.ndarray
    before: np.ndarray
    unknown_cum: np.ndarray


class WorkCalendar:
    """Known years with their holidays/调休, and the statutory rule for the rest."""

    def __init__(
        self,
        *,
        years: Mapping[int, str],
        holidays: Mapping[date, str],
        workdays: Mapping[date, str],
    ) -> None:
        self.years = dict(years)
        # Exceptions of a year whose notice is not loaded are not authoritative.
        self.holidays = {d: n for d, n in holidays.items() if d.year in self.years}
        self.workdays = {d: n for d, n in workdays.items() if d.year in self.years}
        self._tables: dict[tuple[int, int], CalendarTable] = {}

    @classmethod
    def load(cls) -> "WorkCalendar":
        from .models import CalendarDay, CalendarYear

        years = dict(CalendarYear.objects.values_list("year", "source"))
        holidays: dict[date, str] = {}
        workdays: dict[date, str] = {}
        for d, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
            target = holidays if kind == CalendarDay.Kind.HOLIDAY else workdays
            target[d] = name
        return cls(years=years, holidays=holidays, workdays=workdays)

    def known(self, year: int) -> bool:
        return year in self.years

    def statutory(self, year: int) -> YearHolidays:
        return statutory_holidays(year)

    def day(self, d: date) -> Day:
        weekend = d.weekday() >= 5
        if self.known(d.year):
            if d in self.workdays:
                return Day(d, True, ADJUSTED, self.workdays[d], False)
            if d in self.holidays:
                return Day(d, False, HOLIDAY, self.holidays[d], False)
            return Day(d, not weekend, WEEKEND if weekend else WORKDAY, "", False)
        name = self.statutory(d.year).days.get(d)
        if name:
            return Day(d, False, HOLIDAY, name, True)
        return Day(d, not weekend, WEEKEND if weekend else WORKDAY, "", True)

    def is_working(self, d: date) -> bool:
        return self.day(d).working

    def table(self, first_year: int, last_year: int) -> CalendarTable:
        """The calendar of years first_year..last_year as arrays (cached)."""
        key = (first_year, last_year)
        if key not in self._tables:
            self._tables[key] = self._build_table(first_year, last_year)
        return self._tables[key]

    def _build_table(self, first_year: int, last_year: int) -> CalendarTable:
        first = date(first_year, 1, 1).toordinal()
        last = date(last_year, 12, 31).toordinal()
        ords = np.arange(first, last + 1, dtype=np.int64)
        # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is the weekday.
        working = ((ords - 1) % 7) < 5
        unknown = np.zeros(len(ords), dtype=bool)
        for year in range(first_year, last_year + 1):
            if self.known(year):
                continue
            lo = date(year, 1, 1).toordinal() - first
            hi = date(year, 12, 31).toordinal() - first
            unknown[lo : hi + 1] = True
            _set(working, first, self.statutory(year).days, False)
        in_range = range(first_year, last_year + 1)
        _set(working, first, (d for d in self.holidays if d.year in in_range), False)
        _set(working, first, (d for d in self.workdays if d.year in in_range), True)
        work = ords[working]
        before = np.searchsorted(work, np.arange(first, last + 2, dtype=np.int64))
        cum = np.zeros(len(ords) + 1, dtype=np.int64)
        np.cumsum(unknown, out=cum[1:])
        return CalendarTable(
            first=first, last=last, work=work, before=before, unknown_cum=cum
        )


def _set(working: np.ndarray, first: int, days: Iterable[date], value: bool) -> None:
    idx = [d.toordinal() - first for d in days]
    if idx:
        working[np.asarray(idx, dtype=np.int64)] = value
