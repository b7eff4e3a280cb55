"""Writes on agencies, users and memberships. Each is one transaction with its
audit event. Permission checks happen here, not in views, so the API, the
pages and the CLI enforce the same rules."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record

from . import roles
from .models import Agency, Membership, User
from .policy import can, forget_grants, has_perm_anywhere

SEGMENT = 4  # digits per path segment: 9,999 children per node is plenty


def _child_path(parent: Agency | None) -> str:
    prefix = parent.path if parent else ""
    siblings = Agency.objects.filter(parent=parent).order_by("-path").first()
    n = int(siblings.path[len(prefix) : len(prefix) + SEGMENT]) + 1 if siblings else 1
    return f"{prefix}{n:0{SEGMENT}d}."


def agency_create(
    *,
    actor: Any,
    code: str,
    name: str,
    level: str,
    parent: Agency | None = None,
    short_name: str = "",
) -> Agency:
    """Add an agency under `parent` (None: a root, i.e. the city itself)."""
    if actor is not None and not (
        can(actor, roles.AGENCIES_MANAGE, parent)
        if parent
        else has_perm_anywhere(actor, roles.AGENCIES_MANAGE)
    ):
        raise PermissionDenied("无权管理机构")
    if level not in Agency.Level.values:
        raise ValidationError({"level": f"未知层级：{level}"})
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ValidationError({"code" if not code else "name": "不能为空"})
    if Agency.objects.filter(code=code).exists():
        raise ValidationError({"code": f"机构代码 {code} 已存在"})
    with transaction.atomic():
        if parent is not None:
            # Lock the parent so two creations under it do not pick one path.
            parent = Agency.objects.select_for_update().get(pk=parent.pk)
        agency = Agency.objects.create(
            code=code,
            name=name,
            short_name=short_name.strip(),
            level=level,
            parent=parent,
            path=_child_path(parent),
            depth=(parent.depth + 1) if parent else 0,
        )
        audit_record(
            actor=actor,
            action="agency.create",
            record_type="agency",
            record_id=agency.pk,
            payload={
                "code": code,
                "name": name,
                "level": level,
                "parent": parent.code if parent else None,
            },
        )
    return agency


def user_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    password: str,
    phone: str = "",
    email: str = "",
    default_agency: Agency | None = None,
) -> User:
    if actor is not None and not has_perm_anywhere(actor, roles.USERS_MANAGE):
        raise PermissionDenied("无权管理账号")
    username = username.strip()
    if not username:
        raise ValidationError({"username": "不能为空"})
    # Case-insensitive: "Zhang" and "zhang" are one person to everyone reading.
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"用户名 {username} 已存在"})
    user = User(
        username=username,
        full_name=full_name.strip(),
        phone=phone,
        email=email,
        default_agency=default_agency,
        # An administrator chose this password: the person replaces it first.
        must_change_password=actor is not None,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor,
            action="user.create",
            record_type="user",
            record_id=user.pk,
            payload={"username": username},
        )
    return user


def membership_grant(
    *,
    actor: Any,
    user: User,
    agency: Agency,
    role: str,
    scope: str = Membership.Scope.OWN,
) -> Membership:
    """Grant a role. The three separated administrator roles exclude each other
    and any business role (三员分立): nobody may hold two of them."""
    if actor is not None and not can(actor, roles.ROLES_GRANT, agency):
        raise PermissionDenied("无权授予角色")
    if role not in roles.ROLES:
        raise ValidationError({"role": f"未知角色：{role}"})
    if scope not in Membership.Scope.values:
        raise ValidationError({"scope": f"未知范围：{scope}"})
    if scope == Membership.Scope.CITY and not _city_level(agency):
        # A county, township or county department holding a city-wide grant
        # would see every agency's cases: only the city and its departments may.
        raise ValidationError(
            {
                "scope": "只有市政府及其部门的角色可以授予“全市”范围，"
                "请选择“本机构”或“本机构及下级”"
            }
        )
    with transaction.atomic():
        # Lock the user row: two concurrent grants must not both pass the check.
        User.objects.select_for_update().get(pk=user.pk)
        held = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        held.discard(role)
        if role in roles.SEPARATED_ADMIN_ROLES and held:
            raise ValidationError(
                {"role": "三员（系统、安全、审计管理员）不得兼任其他角色"}
            )
        if held & roles.SEPARATED_ADMIN_ROLES:
            raise ValidationError({"role": "该用户是三员之一，不得再授予其他角色"})
        membership, created = Membership.objects.get_or_create(
            user=user, agency=agency, role=role, defaults={"scope": scope}
        )
        if not created and membership.scope != scope:
            membership.scope = scope
            membership.save(update_fields=["scope"])
        audit_record(
            actor=actor,
            action="membership.grant",
            record_type="user",
            record_id=user.pk,
            payload={"agency": agency.code, "role": role, "scope": scope},
        )
    forget_grants(user)
    return membership


def _city_level(agency: Agency) -> bool:
    if agency.level == Agency.Level.CITY:
        return True
    parent = agency.parent
    return agency.level == Agency.Level.DEPARTMENT and (
        parent is not None and parent.level == Agency.Level.CITY
    )


def membership_revoke(*, actor: Any, membership: Membership) -> None:
    if actor is not None and not can(actor, roles.ROLES_GRANT, membership.agency):
        raise PermissionDenied("无权撤销角色")
    if (
        actor is not None
        and membership.user_id == actor.pk
        and membership.role in roles.SEPARATED_ADMIN_ROLES
    ):
        raise ValidationError(
            {"role": "不能撤销自己的管理员角色，请由另一名安全管理员操作"}
        )
    with transaction.atomic():
        if (
            membership.role == roles.SECURITY_ADMIN
            and not Membership.objects.select_for_update()
            .filter(role=roles.SECURITY_ADMIN)
            .exclude(pk=membership.pk)
            .exists()
        ):
            # Without a security administrator nobody could grant roles again.
            raise ValidationError({"role": "这是最后一名安全管理员，不能撤销"})
        audit_record(
            actor=actor,
            action="membership.revoke",
            record_type="user",
            record_id=membership.user_id,
            payload={"agency": membership.agency.code, "role": membership.role},
        )
        membership.delete()
    forget_grants(membership.user)


def account_unlock(*, actor: Any, user: User) -> int:
    """Clear the failed-login lock-out of `user` (security administrator)."""
    from axes.utils import reset as axes_reset

    if actor is not None and not has_perm_anywhere(actor, roles.ACCOUNTS_UNLOCK):
        raise PermissionDenied("无权解锁账号")
    with transaction.atomic():
        cleared = axes_reset(username=user.username)
        audit_record(
            actor=actor,
            action="account.unlock",
            record_type="user",
            record_id=user.pk,
            payload={"attempts_cleared": cleared},
        )
    return cleared


def user_change_password(*, actor: Any, user: User, new_password: str) -> User:
    """A person replaces their own password (the caller checked the old one)."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied("只能修改自己的密码")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            actor=actor,
            action="user.password_change",
            record_type="user",
            record_id=user.pk,
            payload={},
        )
    return user


def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Disable an account (a person who left) or enable it again; never delete:
    the full-process record names people by account."""
    if actor is not None and not has_perm_anywhere(actor, roles.USERS_MANAGE):
        raise PermissionDenied("无权管理账号")
    if actor is not None and actor.pk == user.pk:
        raise ValidationError({"is_active": "不能停用自己的账号"})
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        audit_record(
            actor=actor,
            action="user.enable" if active else "user.disable",
            record_type="user",
            record_id=user.pk,
            payload={},
        )
    return user
