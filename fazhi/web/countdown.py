"""The countdown badge of a statutory clock: what a handler reads at a glance.

剩余 N 个工作日 / 今日到期 / 超期 N 个工作日 / 已暂停 / 已停止, plus 暂定 when the
due date is provisional (it reaches into a year whose holiday notice is not
loaded). A working-day clock counts down, and late time up, in working days by
the deadlines calendar (holidays and 调休 included); a natural-day clock counts
calendar days (剩余 N 日, 超期 N 日).
"""

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.kernel.deadlines.calendar import WorkCalendar, today
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.rules import RULES, get_rule

# A page shows many badges; the calendar (two small queries) is loaded once
# per few seconds, not once per badge. Calendar edits are rare and admin-only.
_CAL_CACHE: dict[str, Any] = {}
_CAL_TTL_SECONDS = 10.0


def cached_calendar() -> WorkCalendar:
    now = time.monotonic()
    if _CAL_CACHE.get("at", -1e9) + _CAL_TTL_SECONDS < now:
        _CAL_CACHE.update(cal=WorkCalendar.load(), at=now)
    return _CAL_CACHE["cal"]


def cached_due_soon_limit(on: date) -> date:
    """The last due date counted as "due soon" on `on` (rule alert.due_soon)."""
    from fazhi.kernel.deadlines.sweep import due_soon_limit

    key = f"soon:{on.isoformat()}"
    now = time.monotonic()
    hit = _CAL_CACHE.get(key)
    if hit is None or hit[1] + _CAL_TTL_SECONDS < now:
        hit = (due_soon_limit(on, cached_calendar()), now)
        _CAL_CACHE[key] = hit
    return hit[0]


# Period rule id → name. Names are code (a local override changes a rule's
# days and citation, never its name), so naming a list of clocks costs no
# query: one lookup per rule per row was the N+1 of every list page.
RULE_NAMES: dict[str, str] = {r.id: r.name for r in RULES}


def forget_calendar() -> None:
    _CAL_CACHE.clear()


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str  # ok | warn | due | over | idle
    provisional: bool
    tooltip: str
    due_date: date


def working_days_after(start: date, end: date) -> int:
    """Working days in (start, end] by the deadlines calendar (调休 included)."""
    cal = cached_calendar()
    n, d = 0, start
    while d < end:
        d = date.fromordinal(d.toordinal() + 1)
        n += int(cal.is_working(d))
    return n


def clock_badge(clock: Clock, *, on: date | None = None) -> Badge:
    on = on or today()
    due = clock.due_date
    provisional = bool(clock.provisional)
    tip = ""
    if provisional:
        tip = _(
            "到期日暂定：期限跨入尚未公布放假安排的年度，按法定节假日推算；"
            "公布后将自动重新计算。"
        )
    if clock.state == Clock.State.PAUSED:
        return Badge(_("已暂停"), "idle", provisional, tip, due)
    if clock.state == Clock.State.STOPPED:
        late = clock.stopped_on is not None and clock.stopped_on > due
        text = _("超期办结") if late else _("已停止")
        return Badge(text, "over" if late else "idle", provisional, tip, due)
    if due == on:
        return Badge(_("今日到期"), "due", provisional, tip, due)
    working = clock.unit == Clock.Unit.WORKING
    if due > on:
        if working:
            n = working_days_after(on, due)
            text = ngettext("剩余 %(n)d 个工作日", "剩余 %(n)d 个工作日", n) % {"n": n}
        else:
            n = (due - on).days
            text = ngettext("剩余 %(n)d 日", "剩余 %(n)d 日", n) % {"n": n}
        soon = clock.alert == Clock.Alert.YELLOW or due <= cached_due_soon_limit(on)
        tone = "warn" if soon else "ok"
        return Badge(text, tone, provisional, tip, due)
    if working:
        # Late time in the period's own unit, as the remaining time was. The
        # due date ends at 24:00 (民法典 art. 203): a clock due on a Friday
        # is a working day late on the Saturday, before any working day has
        # passed.
        n = max(1, working_days_after(due, on))
        text = ngettext("超期 %(n)d 个工作日", "超期 %(n)d 个工作日", n) % {"n": n}
    else:
        n = (on - due).days
        text = ngettext("超期 %(n)d 日", "超期 %(n)d 日", n) % {"n": n}
    return Badge(text, "over", provisional, tip, due)


def clock_display_name(clock: Clock) -> str:
    """A clock's human name: its period rule's name when the deadlines app knows
    the rule, else the label its case type gives it, else its own name.

    No query when the clock's case is loaded with it (a list's
    `select_related("case")` or a case's `clocks` manager)."""
    name = RULE_NAMES.get(clock.rule_id, "")
    case = clock.case if not name and clock.case_id else None
    if case is not None:
        from fazhi.kernel.workflow.definitions import get_case_type

        try:
            name = str(get_case_type(case.case_type).clock_labels.get(clock.name, ""))
        except LookupError:
            name = ""
    return str(name or clock.name)


def rule_for(clock: Clock) -> Any:
    """The period rule in force behind a clock (name, local citation ...), or
    None. One query (the local override): for a detail page, not a list."""
    if not clock.rule_id:
        return None
    try:
        return get_rule(clock.rule_id)
    except LookupError:
        return None
