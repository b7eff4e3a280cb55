"""The shared component set, as template tags: ``{% load fazhi_ui %}``.

Tables
    ``{% data_table table %}`` renders a `fazhi.web.tables.DataTable` (bound
    with ``table.bind(qs)``): the filter bar (GET form), total count, the table
    with sortable headers, an empty state, pagination, a page-size switch and
    the "导出 XLSX" link (shown to users holding ``data.export``).

Forms
    ``{% form_fields form %}`` renders a whole form's fields: non-field errors
    on top, then each field with its label, a required marker, help text and
    its errors beside the field (Django's own zh-hans messages, e.g.
    “这个字段是必填项。”). ``{% form_field form.name %}`` renders one field.
    The ``<form>`` element, the CSRF token and buttons stay in the page.

Deadlines
    ``{% countdown clock %}`` renders a clock's badge: 剩余 N 个工作日 / 今日到期
    / 超期 N 日 / 已暂停 / 已停止, with the 暂定 marker (tooltip explains) when the
    due date is provisional. ``{% countdown clock compact=True %}`` omits the
    due date.

Timeline
    ``{% case_timeline case %}`` renders the case's audit events for the
    requesting user (who, when in Asia/Shanghai, what, note);
    ``{% timeline entries %}`` renders entries already built with
    `fazhi.web.timeline.case_timeline`.

Other
    ``{{ value|cn_date }}`` → 2026年11月25日; ``{{ value|cn_datetime }}`` →
    2026年11月25日 14:05 (Asia/Shanghai); ``{% icon "bell" %}`` an inline SVG
    icon; ``{% lang_switch %}`` the 简/繁 switch (POSTs to Django's
    set_language and comes back to the current page).
"""

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from fazhi.web import tables
from fazhi.web.countdown import clock_badge, clock_display_name
from fazhi.web.timeline import case_timeline as build_timeline

register = template.Library()


@register.inclusion_tag("web/components/table.html", takes_context=True)
def data_table(context: template.Context, table: tables.DataTable) -> dict[str, Any]:
    return {"table": table, "request": context.get("request")}


@register.inclusion_tag("web/components/form_fields.html")
def form_fields(form: Any) -> dict[str, Any]:
    return {"form": form}


@register.inclusion_tag("web/components/field.html")
def form_field(field: BoundField) -> dict[str, Any]:
    return {"field": field}


@register.filter
def widget(field: BoundField) -> SafeString:
    """The field's widget with the accessibility attributes of its state."""
    attrs: dict[str, Any] = {}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-errors"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}-help"
    if field.field.required:
        attrs["aria-required"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def countdown(clock: Any, compact: bool = False) -> SafeString:
    if clock is None:
        return mark_safe("")
    b = clock_badge(clock)
    provisional = (
        format_html(
            ' <span class="badge badge-provisional" title="{}" tabindex="0">{}</span>',
            b.tooltip,
            gettext("暂定"),
        )
        if b.provisional
        else ""
    )
    due = (
        ""
        if compact
        else format_html(
            ' <span class="badge-due">{} {}</span>',
            gettext("到期"),
            tables.cn_date(b.due_date),
        )
    )
    return format_html(
        '<span class="countdown"><span class="badge badge-{}">{}</span>{}{}</span>',
        b.tone,
        b.text,
        provisional,
        due,
    )


@register.inclusion_tag("web/components/timeline.html", takes_context=True)
def case_timeline(context: template.Context, case: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"entries": build_timeline(user, case)}


@register.inclusion_tag("web/components/timeline.html")
def timeline(entries: list[Any]) -> dict[str, Any]:
    return {"entries": entries}


@register.inclusion_tag("web/components/lang_switch.html", takes_context=True)
def lang_switch(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    return {
        "next": request.get_full_path() if request else "/",
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def cn_date(value: Any) -> str:
    return tables.cn_date(value) if value else ""


@register.filter
def cn_datetime(value: Any) -> str:
    return tables.cn_datetime(value) if value else ""


@register.filter
def clock_label(clock: Any) -> str:
    return clock_display_name(clock)


@register.filter
def minutes(value: Any) -> int:
    """A timedelta as whole minutes (rounded up), e.g. for the lockout page."""
    try:
        return max(1, -(-int(value.total_seconds()) // 60))
    except AttributeError:
        return 0


_ICONS = {
    "flag": '<path d="M5 21V4"/><path d="M5 4h11l-2 4 2 4H5"/>',
    "home": '<path d="M3 11l9-7 9 7"/><path d="M5 10v10h5v-6h4v6h5V10"/>',
    "folder": '<path d="M3 6h6l2 2h10v11H3z"/>',
    "bell": '<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z"/><path d="M10 20h4"/>',
    "chart": '<path d="M4 20V10M10 20V4M16 20v-7M22 20H2"/>',
    "org": '<rect x="9" y="3" width="6" height="5"/><rect x="3" y="16" width="6" '
    'height="5"/><rect x="15" y="16" width="6" height="5"/>'
    '<path d="M12 8v4M6 16v-4h12v4"/>',
    "calendar": '<rect x="3" y="5" width="18" height="16" rx="2"/>'
    '<path d="M3 10h18M8 3v4M16 3v4"/>',
    "shield": '<path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z"/>'
    '<path d="M9 12l2 2 4-4"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="M20 20l-4-4"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c1-4 4-6 8-6s7 2 8 6"/>',
    "logout": '<path d="M15 4h4v16h-4M10 8l-4 4 4 4M6 12h10"/>',
    "download": '<path d="M12 4v11M7 10l5 5 5-5M4 20h16"/>',
    "globe": '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c3 3 3 15 0 18'
    'M12 3c-3 3-3 15 0 18"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "alert": '<path d="M12 3l10 18H2z"/><path d="M12 10v5M12 18v.5"/>',
    "phone": '<path d="M5 4h4l2 5-3 2a11 11 0 0 0 5 5l2-3 5 2v4a2 2 0 0 1-2 2'
    'A17 17 0 0 1 3 6a2 2 0 0 1 2-2z"/>',
    "doc": '<path d="M6 3h9l4 4v14H6z"/><path d="M14 3v5h5M9 13h7M9 17h7"/>',
    "book": '<path d="M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2z"/><path d="M4 19V5"/>',
    "track": '<circle cx="6" cy="18" r="2"/><circle cx="18" cy="6" r="2"/>'
    '<path d="M8 18h6a4 4 0 0 0 0-8h-4a4 4 0 0 1 0-8h6"/>',
    "menu": '<path d="M4 6h16M4 12h16M4 18h16"/>',
}


@register.simple_tag
def icon(name: str, size: int = 18) -> SafeString:
    body = _ICONS.get(name, "")
    return format_html(
        '<svg class="icon" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="1.8" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true">{}</svg>',
        size,
        size,
        mark_safe(body),  # noqa: S308 - constant markup from _ICONS
    )
