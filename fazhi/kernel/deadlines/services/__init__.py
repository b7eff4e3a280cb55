"""Every write of the deadlines kernel, one transaction and one audit event each.

The workflow engine calls the clock services (`clock_start` ... `clock_stop`);
administrators load calendar years and local period settings; a calendar
change recomputes the open clocks it touches (`clocks_recompute`).
"""

from .calendar import CalendarLoad, calendar_seed, calendar_year_load
from .clocks import clock_extend, clock_pause, clock_resume, clock_start, clock_stop
from .overrides import period_rule_override_clear, period_rule_override_set
from .recompute import clocks_recompute

__all__ = [
    "CalendarLoad",
    "calendar_seed",
    "calendar_year_load",
    "clock_extend",
    "clock_pause",
    "clock_resume",
    "clock_start",
    "clock_stop",
    "clocks_recompute",
    "period_rule_override_clear",
    "period_rule_override_set",
]
