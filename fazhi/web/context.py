"""Template context shared by the staff layout.

Everything here is lazy: a page that does not render the staff chrome (the
portal, the login page, an export) runs none of these queries.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from fazhi.kernel.org import roles
from fazhi.kernel.org.policy import has_perm_anywhere

from . import queries
from .nav import nav_for


def staff_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "staff_nav": SimpleLazyObject(lambda: nav_for(user, request.path)),
        "acting_agency": SimpleLazyObject(lambda: queries.acting_agency(user)),
        "deadline_counts": SimpleLazyObject(lambda: _counts(user)),
        "unread_notices": _LazyValue(lambda: queries.unread_notice_count(user)),
    }


def _counts(user: Any) -> dict[str, Any]:
    # Counters and case search only for those who may view cases (not the
    # 三员 administrators, who see no business data).
    if not has_perm_anywhere(user, roles.CASE_VIEW):
        return {"enabled": False, "due_soon": 0, "overdue": 0}
    return {"enabled": True, **queries.deadline_counts(user)}


class _LazyValue:
    """A lazily computed scalar usable in templates ({{ x.value }})."""

    def __init__(self, fn: Any) -> None:
        self._fn = fn
        self._done = False
        self._value: Any = None

    @property
    def value(self) -> Any:
        if not self._done:
            self._value, self._done = self._fn(), True
        return self._value
