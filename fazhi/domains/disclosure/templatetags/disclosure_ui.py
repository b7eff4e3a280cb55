"""`{% disclosure_countdown clock %}`: the shared countdown badge (overdue
working-day clocks are counted in working days there too), or nothing when
there is no clock."""

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from fazhi.web.templatetags.fazhi_ui import countdown

register = template.Library()


def countdown_html(clock: Any, *, compact: bool = False) -> SafeString:
    if clock is None:
        return mark_safe("")
    return countdown(clock, compact=compact)


@register.simple_tag
def disclosure_countdown(clock: Any, compact: bool = False) -> SafeString:
    return countdown_html(clock, compact=compact)
