"""Portal template tags: ``{% load portal_ui %}{% portal_footer %}``."""

from typing import Any

from django import template

from fazhi.portal.views import site_info

register = template.Library()


@register.inclusion_tag("portal/_footer.html")
def portal_footer() -> dict[str, Any]:
    return {"site": site_info()}
