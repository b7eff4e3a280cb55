"""fazhi disclosure_demo [--per-agency 30]: demo disclosure requests (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...demo import load_disclosure_demo


class Command(BaseCommand):
    help = "为演示机构生成一年多的政府信息公开申请（已有则跳过）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--per-agency", type=int, default=30)

    def handle(self, *args: Any, **opts: Any) -> None:
        n = load_disclosure_demo(per_agency=opts["per_agency"])
        self.stdout.write(
            f"已生成 {n} 件政府信息公开申请" if n else "演示数据已存在，跳过"
        )
