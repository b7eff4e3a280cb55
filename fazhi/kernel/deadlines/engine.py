"""The period engine: a due date and the reasons for it, from inputs alone.

Counting follows 民法典 art. 201-203: the start day is not counted; a period
in days ends on its N-th day; a working-day period counts working days only
(调休上班 days count, holidays and ordinary weekends do not); a natural-day
period whose last day is a rest day ends on the next working day. Paused days
(FROM through TO inclusive) count for nothing and are never the due date.
A period in years (art. 202) ends on the corresponding day of its last year
(the month's last day when it has none); from there it is a natural period:
paused days push it on and a rest day rolls over, unless the rule is a term
that does not roll over (`PeriodRule.rolls_over`).

This is the reference implementation that also writes the explanation;
`vector.due_dates` is the fast path and must agree with it (tested).
"""

import calendar as months
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .calendar import ADJUSTED, HOLIDAY, ONE_DAY, Day, WorkCalendar, fmt, fmt_weekday
from .holidays import HOLIDAY_LAW
from .rules import (
    CIVIL_CODE_201,
    CIVIL_CODE_202,
    CIVIL_CODE_203,
    NATURAL,
    UNIT_LABELS,
    YEARS,
    PeriodRule,
)


@dataclass(frozen=True)
class Pause:
    """Days start..end inclusive do not count."""

    start: date
    end: date
    reason: str = ""


@dataclass(frozen=True)
class Extension:
    days: int
    reason: str = ""
    rule_id: str = ""


@dataclass(frozen=True)
class DueResult:
    due: date
    provisional: bool
    explain: list[str] = field(default_factory=list)


def add_years(d: date, years: int) -> date:
    """The corresponding day `years` later; a day the month lacks then
    (29 February) becomes the month's last day (民法典 art. 202)."""
    year = d.year + years
    return d.replace(year=year, day=min(d.day, months.monthrange(year, d.month)[1]))


def merge_pauses(pauses: Iterable[Pause]) -> list[Pause]:
    """Sorted, non-overlapping pauses (overlapping or adjacent ones joined)."""
    merged: list[Pause] = []
    for p in sorted(pauses, key=lambda p: (p.start, p.end)):
        if merged and p.start <= merged[-1].end + ONE_DAY:
            last = merged[-1]
            reasons = "；".join(r for r in (last.reason, p.reason) if r)
            merged[-1] = Pause(last.start, max(last.end, p.end), reasons)
        else:
            merged.append(p)
    return merged


def _span(first: date, last: date) -> str:
    if first == last:
        return fmt(first)
    if first.year == last.year:
        return f"{fmt(first)}至{last.month}月{last.day}日"
    return f"{fmt(first)}至{fmt(last)}"


@dataclass
class _Run:
    """Consecutive days of one named holiday."""

    name: str
    first: date
    last: date


def _add_to_runs(runs: list[_Run], day: Day) -> None:
    if runs and runs[-1].name == day.name and runs[-1].last == day.date - ONE_DAY:
        runs[-1].last = day.date
    else:
        runs.append(_Run(day.name, day.date, day.date))


class _Trace:
    """Collects what the count passed over, for the explanation."""

    def __init__(self) -> None:
        self.holidays: list[_Run] = []
        self.weekends = 0
        self.adjusted: list[Day] = []
        self.paused: dict[Pause, list[int]] = {}  # pause -> [days, working days]
        self.unknown_years: dict[int, list[Day]] = {}

    def rest(self, day: Day) -> None:
        if day.kind == HOLIDAY:
            _add_to_runs(self.holidays, day)
        else:
            self.weekends += 1

    def see(self, day: Day) -> None:
        if day.provisional:
            seen = self.unknown_years.setdefault(day.date.year, [])
            if day.kind == HOLIDAY:
                seen.append(day)


def compute_due(
    *,
    start: date,
    days: int,
    unit: str,
    calendar: WorkCalendar,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
    rule: PeriodRule | None = None,
    paused_since: date | None = None,
) -> DueResult:
    """The due date of a period of `days` (+ extensions) counted after `start`.

    `paused_since` marks a pause not yet resumed: the due date returned is the
    earliest possible one (as if resumed that day) and the explanation says so.
    """
    merged = [p for p in merge_pauses(pauses) if p.end > start]
    total = days + sum(e.days for e in extensions)
    in_years = unit == YEARS
    # A period in years is the natural days up to its corresponding day.
    year_end = add_years(start, total) if in_years else None
    count = (year_end - start).days if year_end else total
    working_unit = unit not in (NATURAL, YEARS)
    rolls = rule is None or rule.rolls_over
    trace = _Trace()

    def paused(d: date) -> Pause | None:
        for p in merged:
            if p.start <= d <= p.end:
                return p
        return None

    d, counted = start, 0
    while counted < count:
        d += ONE_DAY
        day = calendar.day(d)
        trace.see(day)
        p = paused(d)
        if p is not None:
            tally = trace.paused.setdefault(p, [0, 0])
            tally[0] += 1
            tally[1] += int(day.working)
        elif not working_unit or day.working:
            counted += 1
            if working_unit and day.kind == ADJUSTED:
                trace.adjusted.append(day)
        else:
            trace.rest(day)
    nth = d
    rolled: list[Day] = []
    kept_rest = False
    if not working_unit and rolls:
        day = calendar.day(d)
        while not day.working or paused(d) is not None:
            rolled.append(day)
            d += ONE_DAY
            day = calendar.day(d)
            trace.see(day)
    elif not working_unit:
        kept_rest = not calendar.day(d).working
        # Nothing the calendar says can move a term that does not roll over.
        trace.unknown_years.clear()
    lines = _explain(
        start=start,
        days=days,
        unit=unit,
        total=total,
        rule=rule,
        extensions=extensions,
        trace=trace,
        nth=nth,
        due=d,
        rolled=rolled,
        calendar=calendar,
        paused_since=paused_since,
        year_end=year_end,
        kept_rest=kept_rest,
    )
    return DueResult(due=d, provisional=bool(trace.unknown_years), explain=lines)


def _explain(
    *,
    start: date,
    days: int,
    unit: str,
    total: int,
    rule: PeriodRule | None,
    extensions: Sequence[Extension],
    trace: _Trace,
    nth: date,
    due: date,
    rolled: list[Day],
    calendar: WorkCalendar,
    paused_since: date | None,
    year_end: date | None = None,
    kept_rest: bool = False,
) -> list[str]:
    label = UNIT_LABELS[unit]
    working = unit not in (NATURAL, YEARS)
    lines = [f"起算日{fmt_weekday(start)}当日不计入，自次日起算（{CIVIL_CODE_201}）。"]
    if rule is not None:
        basis = f"依据{rule.citation}"
        if rule.local_citation:
            basis += f"，本地规定：{rule.local_citation}"
        # People read the rule by its name; the code stays in the API.
        lines.append(f"期限：{rule.name}，{days}{label}，{basis}。")
    else:
        lines.append(f"期限为{days}{label}。")
    for e in extensions:
        why = f"（{e.reason}）" if e.reason else ""
        lines.append(f"经批准延长{e.days}{label}{why}。")
    if extensions:
        lines.append(f"合计{total}{label}。")
    for pause, (n, w) in trace.paused.items():
        why = f"（{pause.reason}）" if pause.reason else ""
        which = f"其间{w}个工作日" if working else f"共{n}日"
        lines.append(f"{_span(pause.start, pause.end)}暂停计时{why}，{which}不计入。")
    if working:
        for run in trace.holidays:
            lines.append(f"{_span(run.first, run.last)}为{run.name}假期，不计入。")
        for day in trace.adjusted:
            lines.append(f"{fmt_weekday(day.date)}为调休上班日（{day.name}），计入。")
        if trace.weekends:
            lines.append(f"期间内另有{trace.weekends}个周末休息日不计入。")
        lines.append(f"第{total}个工作日为{fmt_weekday(due)}。")
    else:
        if year_end is not None:
            lines.append(_year_end_line(start, total, year_end))
            if nth != year_end:
                lines.append(f"扣除暂停计时的天数，顺延至{fmt_weekday(nth)}。")
        else:
            lines.append(f"第{total}日为{fmt_weekday(nth)}。")
        if kept_rest:
            lines.append("该日为休息日；本期限为有效期限而非办理期限，不顺延。")
        if rolled:
            # The N-th day was counted, so it is not paused: it is a rest day.
            first = rolled[0]
            what = f"{first.name}假期" if first.kind == HOLIDAY else "周末休息日"
            lines.append(
                f"该日为{what}，顺延至其后第一个工作日{fmt_weekday(due)}（{CIVIL_CODE_203}）。"
            )
    lines.append(f"到期日为{fmt_weekday(due)}，当日24时届满。")
    if paused_since is not None:
        lines.append(
            f"计时自{fmt(paused_since)}起暂停，尚未恢复；以上为最早到期日，"
            "恢复计时后按暂停天数顺延。"
        )
    for year, holidays in sorted(trace.unknown_years.items()):
        lines.append(_provisional_line(year, holidays, calendar))
    return lines


def _year_end_line(start: date, years: int, end: date) -> str:
    when = f"{fmt_weekday(end)}（{CIVIL_CODE_202}）"
    if end.day == start.day:
        return f"{years}年期间的最后一日为到期月的对应日{when}。"
    return f"{years}年期间的到期月没有对应日，最后一日为该月末日{when}。"


def _provisional_line(year: int, holidays: list[Day], calendar: WorkCalendar) -> str:
    runs: list[_Run] = []
    for day in holidays:
        _add_to_runs(runs, day)
    assumed = "；".join(f"{_span(r.first, r.last)}（{r.name}）" for r in runs)
    text = (
        f"暂定：{year}年的节假日安排（国务院办公厅通知）尚未载入，"
        f"该年按{HOLIDAY_LAW}规定的法定节日和周末推算，未计调休和补休"
    )
    if assumed:
        text += f"，期间内推定的节日为：{assumed}"
    missing = calendar.statutory(year).missing
    if missing:
        text += f"；{'、'.join(missing)}的农历日期超出可推算范围，未计入"
    return text + "。通知载入后将自动重算。"
