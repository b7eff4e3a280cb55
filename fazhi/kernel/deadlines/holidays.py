"""Statutory public holidays, used for years whose notice is not loaded yet.

Each year the State Council (国务院办公厅) publishes the holiday arrangement,
with bridging days and adjusted working days (调休). Until that notice is
loaded, a period reaching into the year is computed from the holidays that the
law itself fixes — the rule below — and weekends, with no 调休, and the result
is flagged provisional. The rule is data with its citation so that the next
revision of the 放假办法 is an edit here, not a hunt through the code.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from lunardate import LunarDate

# The first year the 2024 revision governs: a year file from then on must
# list every holiday it fixes (older years followed older versions).
REVISION_IN_FORCE_FROM = 2025

HOLIDAY_LAW = (
    "《全国年节及纪念日放假办法》"
    "（2024年11月10日国务院令第795号修订，2025年1月1日起施行）第二条"
)

Calendar = Literal["solar", "lunar", "qingming"]


@dataclass(frozen=True)
class StatutoryHoliday:
    """One holiday of 全国年节及纪念日放假办法 art. 2 (全体公民放假的节日)."""

    name: str
    calendar: Calendar
    month: int
    day: int
    days: int
    # Days before the anchor date that are also off: 春节 includes 农历除夕.
    days_before: int = 0


STATUTORY_HOLIDAYS: tuple[StatutoryHoliday, ...] = (
    StatutoryHoliday("元旦", "solar", 1, 1, 1),
    # 春节：农历除夕、正月初一至初三，共4天 (the 2024 revision added 除夕).
    StatutoryHoliday("春节", "lunar", 1, 1, 3, days_before=1),
    # 清明节：放假1天（农历清明当日）— the solar term, computed below.
    StatutoryHoliday("清明节", "qingming", 4, 0, 1),
    # 劳动节：放假2天（5月1日、2日）.
    StatutoryHoliday("劳动节", "solar", 5, 1, 2),
    StatutoryHoliday("端午节", "lunar", 5, 5, 1),
    StatutoryHoliday("中秋节", "lunar", 8, 15, 1),
    # 国庆节：放假3天（10月1日、2日、3日）.
    StatutoryHoliday("国庆节", "solar", 10, 1, 3),
)


def qingming(year: int) -> date:
    """The 清明 solar term (the day 清明节 falls on) for 1901-2100.

    寿星公式 [Y×D+C]−L with D=0.2422, C=4.81 (21st century) or 5.59 (20th),
    L=[Y/4], Y the last two digits; in integers to avoid float rounding.
    Checked against chinese_calendar's solar terms for 2004-2099 in the tests.
    """
    y = year % 100
    c = 48100 if year > 2000 else 55900
    if year == 2000:
        y, c = 100, 55900  # 2000 is the last year of the 20th-century constants
    return date(year, 4, (y * 2422 + c) // 10000 - y // 4)


@dataclass(frozen=True)
class YearHolidays:
    """The statutory rest days of one year, and what could not be computed."""

    year: int
    days: dict[date, str]
    missing: tuple[str, ...]


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> YearHolidays:
    """The holidays 全国年节及纪念日放假办法 fixes for `year` (no 调休, no bridging).

    Lunar dates come from `lunardate`, which knows 1900-2099; a lunar holiday
    outside that range is listed in `missing` rather than guessed.
    """
    days: dict[date, str] = {}
    missing: list[str] = []
    for h in STATUTORY_HOLIDAYS:
        if h.calendar == "solar":
            anchor = date(year, h.month, h.day)
        elif h.calendar == "qingming":
            anchor = qingming(year)
        else:
            try:
                anchor = LunarDate(year, h.month, h.day).to_solar_date()
            except ValueError:
                missing.append(h.name)
                continue
        first = anchor - timedelta(days=h.days_before)
        for i in range(h.days_before + h.days):
            days[first + timedelta(days=i)] = h.name
    return YearHolidays(year=year, days=days, missing=tuple(missing))
