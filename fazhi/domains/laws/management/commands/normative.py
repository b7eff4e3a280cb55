"""Normative documents from the command line.

fazhi normative sweep [--on YYYY-MM-DD]
    warn drafters whose documents' 有效期 ends within the notice period
    (rule normative.expiry_notice) and mark documents past it 失效, in the
    query platform too, ending a filing procedure still open on them. Safe
    to run twice at once (rows are claimed).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.domains.laws.services.normative_cleanup import (
    SWEEP,
    normative_expiry_sweep,
)


class Command(BaseCommand):
    help = "规范性文件：有效期检查（fazhi normative sweep）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="有效期届满提醒与失效处理")
        sweep.add_argument("--on", help="按该日检查（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options.get("on"):
            try:
                on = date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD") from None
        result = normative_expiry_sweep(actor=SWEEP, on=on)
        self.stdout.write(f"提醒 {result.warned} 件，失效 {result.expired} 件。")
