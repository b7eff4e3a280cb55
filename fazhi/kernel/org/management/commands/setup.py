"""`fazhi setup`: the first run of a new installation.

Creates the city (the root of the agency tree) and the three separated
administrators (三员), each with a random initial password printed once and to
be replaced at first sign-in. There is no superuser: from here the system
administrator builds the tree and accounts, the security administrator grants
roles. Running it again on a set-up installation changes nothing.
"""

import secrets
import string
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from fazhi.kernel.org import roles
from fazhi.kernel.org.models import Agency, Membership, User
from fazhi.kernel.org.services import agency_create, membership_grant, user_create

ADMINS = [
    ("sysadmin", "系统管理员", roles.SYSTEM_ADMIN),
    ("secadmin", "安全管理员", roles.SECURITY_ADMIN),
    ("auditadmin", "审计管理员", roles.AUDIT_ADMIN),
]


def _password() -> str:
    """16 characters from every class, so it passes the complexity rule."""
    pools = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "!#%+=?@"]
    chars = [secrets.choice(p) for p in pools]
    chars += [secrets.choice("".join(pools)) for _ in range(12)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


class Command(BaseCommand):
    help = "First run: create the city and the three separated administrators."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--city-code", required=True, help="行政区划代码，如 420200"
        )
        parser.add_argument("--city-name", required=True, help="如 黄石市人民政府")

    def handle(self, *args: Any, **opts: Any) -> None:
        if Membership.objects.filter(role__in=roles.SEPARATED_ADMIN_ROLES).exists():
            self.stdout.write("已完成初始化：三员账号已存在，未作改动。")
            return
        root = Agency.objects.filter(parent__isnull=True).first()
        created: list[tuple[str, str]] = []
        try:
            with transaction.atomic():
                if root is None:
                    root = agency_create(
                        actor=None,
                        code=opts["city_code"],
                        name=opts["city_name"],
                        level="city",
                    )
                for username, full_name, role in ADMINS:
                    name = username
                    if User.objects.filter(username__iexact=name).exists():
                        name = f"{username}_{secrets.token_hex(2)}"
                    password = _password()
                    user = user_create(
                        actor=None,
                        username=name,
                        full_name=full_name,
                        password=password,
                    )
                    # Chosen by a machine and shown on a console: replace it.
                    User.objects.filter(pk=user.pk).update(must_change_password=True)
                    membership_grant(
                        actor=None, user=user, agency=root, role=role, scope="city"
                    )
                    created.append((name, password))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已创建：{root.name}（{root.code}）及三员账号。")
        self.stdout.write("初始密码只显示这一次，首次登录后须修改：")
        for name, password in created:
            self.stdout.write(f"  {name:14} {password}")
