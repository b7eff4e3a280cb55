"""`fazhi apikey create NAME | list | revoke NAME`: Open311 client keys."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fazhi.kernel.audit.services import Actor

from ...models import ApiClient
from ...services.apikeys import apikey_create, apikey_revoke

ADMIN = Actor("cli:apikey")


class Command(BaseCommand):
    help = "管理 Open311 接口密钥（创建时只显示一次，仅保存摘要）"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("create").add_argument("name")
        sub.add_parser("revoke").add_argument("name")
        sub.add_parser("list")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "create":
                client, key = apikey_create(actor=ADMIN, name=opts["name"])
                self.stdout.write(
                    f"已创建接口客户端“{client.name}”。密钥只显示这一次："
                )
                self.stdout.write(key)
            elif opts["action"] == "revoke":
                apikey_revoke(actor=ADMIN, name=opts["name"])
                self.stdout.write(f"已停用“{opts['name']}”")
            else:
                for c in ApiClient.objects.order_by("name"):
                    state = "启用" if c.is_active else "停用"
                    self.stdout.write(f"{c.name}\t{c.key_prefix}…\t{state}")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
