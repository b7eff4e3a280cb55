"""Roles and the permissions they carry, as data.

Permissions are short strings checked by `fazhi.kernel.org.policy`. Domain apps
add their own permission names to these roles with `extend_role` from their
AppConfig.ready(), or a role of their own with `register_role` (a 12345 centre
dispatcher is no kernel role); the kernel names only kernel permissions.

The three separated administrators (三员分立, GB/T 22239-2019 等保 2.0) are
mutually exclusive and carry no business permission at all: the system
administrator manages accounts and the agency tree, the security administrator
grants roles and unlocks accounts, the audit administrator reads the record.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Kernel permissions.
CASE_VIEW = "case.view"
CASE_HANDLE = "case.handle"
CASE_SUPERVISE = "case.supervise"
PERSONAL_DATA_VIEW = "personal_data.view"
EXPORT = "data.export"
RESPONSIBILITY_VIEW = "responsibility.view"
RESPONSIBILITY_MANAGE = "responsibility.manage"
INDICATOR_VIEW = "indicator.view"
INDICATOR_REPORT = "indicator.report"
CALENDAR_MANAGE = "calendar.manage"
USERS_MANAGE = "users.manage"
AGENCIES_MANAGE = "agencies.manage"
ROLES_GRANT = "roles.grant"
ACCOUNTS_UNLOCK = "accounts.unlock"
AUDIT_READ = "audit.read"

SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
AUDIT_ADMIN = "audit_admin"
SEPARATED_ADMIN_ROLES = frozenset({SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN})

_STAFF_READ = {CASE_VIEW, RESPONSIBILITY_VIEW, INDICATOR_VIEW}


@dataclass(frozen=True)
class Role:
    code: str
    name: str | Promise
    permissions: frozenset[str] = field(default_factory=frozenset)
    description: str | Promise = ""


ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role(
            "rule_of_law_office",
            _("法治办工作人员"),
            frozenset(
                _STAFF_READ
                | {CASE_HANDLE, CASE_SUPERVISE, PERSONAL_DATA_VIEW, EXPORT}
                | {RESPONSIBILITY_MANAGE, INDICATOR_REPORT, CALENDAR_MANAGE}
            ),
            _("法治政府建设领导小组办公室：督办、督察、指标与年度报告"),
        ),
        Role(
            "agency_leader",
            _("机构负责人"),
            frozenset(
                _STAFF_READ
                | {CASE_HANDLE, CASE_SUPERVISE, PERSONAL_DATA_VIEW, EXPORT}
                | {INDICATOR_REPORT}
            ),
            _("审批、延期、督办本机构案件"),
        ),
        Role(
            "handler",
            _("承办人"),
            frozenset(_STAFF_READ | {CASE_HANDLE, PERSONAL_DATA_VIEW, EXPORT}),
            _("办理本机构案件"),
        ),
        Role(
            "clerk",
            _("经办员"),
            frozenset(_STAFF_READ | {CASE_HANDLE}),
            _("登记、录入，不见完整个人信息"),
        ),
        Role(
            "responsibility_editor",
            _("权责清单维护员"),
            frozenset({RESPONSIBILITY_VIEW, RESPONSIBILITY_MANAGE, EXPORT}),
            _("维护本机构权责清单"),
        ),
        Role(
            "legal_reviewer",
            _("法制审核人员"),
            frozenset(_STAFF_READ | {CASE_HANDLE, PERSONAL_DATA_VIEW}),
            _("重大执法决定法制审核、规范性文件合法性审核"),
        ),
        Role(
            "observer",
            _("查阅人员"),
            frozenset(_STAFF_READ),
            _("只读"),
        ),
        Role(
            SYSTEM_ADMIN,
            _("系统管理员"),
            frozenset({USERS_MANAGE, AGENCIES_MANAGE}),
            _("管理账号与机构树，不能查看业务数据和审计记录"),
        ),
        Role(
            SECURITY_ADMIN,
            _("安全管理员"),
            frozenset({ROLES_GRANT, ACCOUNTS_UNLOCK}),
            _("授予角色、解锁账号"),
        ),
        Role(
            AUDIT_ADMIN,
            _("审计管理员"),
            frozenset({AUDIT_READ}),
            _("只读全过程记录"),
        ),
    ]
}


def role_choices() -> list[tuple[str, str | Promise]]:
    """Every role, the kernel's and those domain apps registered. Models and
    forms take this callable, so their choices follow `register_role` and a
    domain's role never changes a kernel migration."""
    return [(code, role.name) for code, role in ROLES.items()]


def permissions_of(role_code: str) -> frozenset[str]:
    role = ROLES.get(role_code)
    return role.permissions if role else frozenset()


def extend_role(role_code: str, permissions: Iterable[str]) -> None:
    """Give a kernel role a domain app's permissions (call from AppConfig.ready).

    Idempotent. The three separated administrators never receive business
    permissions, so extending them is a configuration error.
    """
    if role_code in SEPARATED_ADMIN_ROLES:
        raise ValueError(f"{role_code} is a separated administrator role")
    role = ROLES[role_code]
    ROLES[role_code] = replace(role, permissions=role.permissions | set(permissions))


def register_role(role: Role) -> None:
    """Add a domain app's own role (call from AppConfig.ready).

    Idempotent: registering the same role again keeps it. Another role under
    a code already taken, or a code too long for Membership.role, is a
    configuration error.
    """
    if len(role.code) > 32:
        raise ValueError(f"role code {role.code!r} is longer than 32 characters")
    existing = ROLES.get(role.code)
    if existing is not None:
        if existing.name != role.name:
            raise ValueError(f"role {role.code} is already registered")
        ROLES[role.code] = replace(
            existing, permissions=existing.permissions | role.permissions
        )
        return
    ROLES[role.code] = role
