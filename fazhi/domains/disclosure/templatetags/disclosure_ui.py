"""`{% disclosure_countdown clock %}`: the kernel's countdown badge, with an
overdue working-day clock counted in working days like its remaining time.

The kernel badge (fazhi.web.countdown) says 剩余 N 个工作日 before the due
date but 超期 N 日 in calendar days after it; on a queue where every period
is in working days (条例 art. 33) the two read as the same unit and are not.
Until the kernel counts overdue time in the clock's unit, disclosure pages
use this tag; everything else about the badge is the kernel's.
"""

from datetime import date
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock
from fazhi.web import tables
from fazhi.web.countdown import clock_badge, working_days_after
from fazhi.web.templatetags.fazhi_ui import countdown

register = template.Library()


def overdue_working_days(clock: Any, on: date) -> int:
    """Working days past the due date. The due date ends at 24:00 (民法典
    art. 203), so a clock due on Friday is overdue on Saturday although no
    working day has passed yet: it counts as the first one from then."""
    return max(1, working_days_after(clock.due_date, on))


def countdown_html(clock: Any, *, compact: bool = False) -> SafeString:
    if clock is None:
        return mark_safe("")
    on = today()
    badge = clock_badge(clock, on=on)
    running = clock.state == Clock.State.RUNNING
    if not (running and clock.unit == Clock.Unit.WORKING and clock.due_date < on):
        return countdown(clock, compact=compact)
    n = overdue_working_days(clock, on)
    text = ngettext("超期 %(n)d 个工作日", "超期 %(n)d 个工作日", n) % {"n": n}
    provisional = (
        format_html(
            ' <span class="badge badge-provisional" title="{}" tabindex="0">{}</span>',
            badge.tooltip,
            gettext("暂定"),
        )
        if badge.provisional
        else ""
    )
    due = (
        ""
        if compact
        else format_html(
            ' <span class="badge-due">{} {}</span>',
            gettext("到期"),
            tables.cn_date(badge.due_date),
        )
    )
    return format_html(
        '<span class="countdown"><span class="badge badge-over">{}</span>{}{}</span>',
        text,
        provisional,
        due,
    )


@register.simple_tag
def disclosure_countdown(clock: Any, compact: bool = False) -> SafeString:
    return countdown_html(clock, compact=compact)
