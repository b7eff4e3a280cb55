"""Indicator maintenance.

    fazhi indicators sync                  upsert the registered indicators
    fazhi indicators refresh --period P    compute metric indicators for period P
                                           (2026, 2026-Q3 or 2026-11)

Both are idempotent and safe to run twice at once.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fazhi.kernel.indicators.services import indicator_values_refresh, sync_indicators


class Command(BaseCommand):
    help = "Sync registered indicators, or refresh metric indicator values."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("sync", help="upsert registered indicators")
        refresh = sub.add_parser("refresh", help="compute metric indicators")
        refresh.add_argument("--period", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "sync":
            r = sync_indicators(actor=None)
            self.stdout.write(
                f"created {len(r.created)}, updated {len(r.updated)}, "
                f"deactivated {len(r.deactivated)}"
            )
            return
        try:
            result = indicator_values_refresh(actor=None, period=options["period"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"{result.period}: written {result.written}, unchanged {result.unchanged}, "
            f"no value {result.no_value}, errors {len(result.errors)}"
        )
        for e in result.errors:
            self.stderr.write(f"failed: {e}")
