"""Fixed days of the year a report is due by (e.g. 条例 art. 49's 1月31日).

These are not periods counted from an event, so they are not PeriodRules:
a report for year Y is due on a fixed day of year Y+1. Each carries its
citation like every other legal date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .calendar import fmt


@dataclass(frozen=True)
class YearlyDate:
    code: str
    name: str
    month: int
    day: int
    citation: str
    verify: bool = False

    def for_report_year(self, year: int) -> date:
        """The day in the year after `year` (a 2026 report is due in 2027)."""
        return date(year + 1, self.month, self.day)

    def days_left(self, year: int, on: date) -> int:
        return (self.for_report_year(year) - on).days

    def countdown(self, year: int, on: date) -> str:
        """One sentence: the due day, how far off it is, and the basis."""
        due = self.for_report_year(year)
        left = (due - on).days
        if left > 0:
            when = f"还有 {left} 天"
        elif left == 0:
            when = "今天截止"
        else:
            when = f"已过期 {-left} 天"
        return f"{self.name}：{fmt(due)}前，{when}（依据：{self.citation}）"
