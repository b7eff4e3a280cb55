"""The staff navigation: one entry per module, shown only to those who may use it.

Each module's URL prefix is fixed in fazhi/urls.py; a module whose pages are
not written yet still appears (to those allowed) but marked "即将开放", so the
navigation never links to a 404.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import Resolver404, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fazhi.kernel.org import roles
from fazhi.kernel.org.policy import has_perm_anywhere


@dataclass(frozen=True)
class Module:
    key: str
    label: str | Promise
    path: str
    icon: str
    # The user sees the entry when holding any of these; empty = every user.
    any_of: frozenset[str] = frozenset()


MODULES: tuple[Module, ...] = (
    Module("home", _("工作台"), "/staff/", "home"),
    Module(
        "plan",
        _("法治政府建设"),
        "/staff/plan/",
        "flag",
        frozenset({roles.CASE_VIEW}),
    ),
    Module(
        "disclosure",
        _("政府信息公开"),
        "/staff/disclosure/",
        "doc",
        frozenset({roles.CASE_VIEW}),
    ),
    Module(
        "hotline",
        _("12345热线"),
        "/staff/hotline/",
        "phone",
        frozenset({roles.CASE_VIEW}),
    ),
    Module(
        "laws",
        _("法规查询"),
        "/staff/laws/",
        "book",
        frozenset({roles.CASE_VIEW}),
    ),
    Module(
        "normative",
        _("规范性文件"),
        "/staff/laws/normative/",
        "doc",
        frozenset({roles.CASE_VIEW}),
    ),
    Module("cases", _("案件"), "/staff/cases/", "folder", frozenset({roles.CASE_VIEW})),
    Module("notices", _("通知"), "/staff/notices/", "bell"),
    Module(
        "indicators",
        _("指标"),
        "/staff/indicators/",
        "chart",
        frozenset({roles.INDICATOR_VIEW}),
    ),
    Module(
        "org",
        _("机构与权责清单"),
        "/staff/org/",
        "org",
        frozenset(
            {
                roles.RESPONSIBILITY_VIEW,
                roles.AGENCIES_MANAGE,
                roles.USERS_MANAGE,
                roles.ROLES_GRANT,
            }
        ),
    ),
    Module(
        "users",
        _("账号管理"),
        "/staff/org/users/",
        "user",
        frozenset({roles.USERS_MANAGE, roles.ROLES_GRANT}),
    ),
    Module(
        "calendar",
        _("工作日历"),
        "/staff/calendar/",
        "calendar",
        frozenset({roles.CALENDAR_MANAGE, roles.CASE_VIEW}),
    ),
    Module(
        "audit", _("审计记录"), "/staff/audit/", "shield", frozenset({roles.AUDIT_READ})
    ),
)


def route_exists(path: str) -> bool:
    """True when `path` resolves to a view (no database access)."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url: str
    icon: str
    active: bool
    available: bool


def nav_for(user: Any, current_path: str) -> list[NavItem]:
    """The modules `user` may open, the one containing `current_path` active."""
    items = []
    visible = [
        m
        for m in MODULES
        if not m.any_of or any(has_perm_anywhere(user, p) for p in m.any_of)
    ]
    # The longest matching prefix is the active module ("/staff/" matches all).
    best = max(
        (m for m in visible if current_path.startswith(m.path)),
        key=lambda m: len(m.path),
        default=None,
    )
    for m in visible:
        items.append(
            NavItem(
                key=m.key,
                label=m.label,
                url=m.path,
                icon=m.icon,
                active=best is not None and m.key == best.key,
                available=route_exists(m.path),
            )
        )
    return items
