"""`fazhi demo`: load the demo city of Huangshi (idempotent) and print the logins."""

import sys
from typing import Any

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from fazhi.demo.huangshi import DEMO_PASSWORD, PERSONAS
from fazhi.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo city 黄石市 with its agencies, people and sample data."

    def handle(self, *args: Any, **options: Any) -> None:
        # Piped or logged (make demo in a CI log), rich assumes 80 columns
        # and cut the roles in the login table short.
        console = Console(width=None if sys.stdout.isatty() else 120)
        summary = load_demo(progress=True)
        console.print(f"[bold green]演示数据已就绪[/]: {summary}")
        table = Table(title=f"演示账号（密码均为 {DEMO_PASSWORD}）")
        for col in ("用户名", "姓名", "身份"):
            table.add_column(col)
        for p in PERSONAS:
            table.add_row(p.username, p.full_name, p.what)
        console.print(table)
