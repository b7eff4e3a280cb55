"""Deliver pending e-mail and SMS notices.

    fazhi notices_deliver [--retry-failed] [--limit N]

Normally the after-commit hook of `notice_send` delivers at once; this picks
up what a crashed process left pending. Safe to run twice at once: each
notice is claimed with a guarded UPDATE before it is sent.
"""

from typing import Any

from django.core.management.base import BaseCommand

from fazhi.kernel.notices.services import notice_deliver_pending, notice_requeue_failed


class Command(BaseCommand):
    help = "Deliver pending e-mail and SMS notices (safe to run concurrently)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--retry-failed", action="store_true", help="re-queue failed notices first"
        )
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry_failed"]:
            n = notice_requeue_failed(actor=None)
            self.stdout.write(f"重新排队发送失败的通知 {n} 件")
        sent, failed = notice_deliver_pending(actor=None, limit=options["limit"])
        self.stdout.write(f"已发送 {sent} 件，失败 {failed} 件")
