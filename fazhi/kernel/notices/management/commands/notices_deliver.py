"""Deliver pending e-mail and SMS notices.

    fazhi notices_deliver [--retry-failed] [--limit N]

Normally the after-commit hook of `notice_send` delivers at once; this picks
up what a crashed process left pending. Safe to run twice at once: each
notice is claimed with a guarded UPDATE before it is sent.
"""

from typing import Any

from django.core.management.base import BaseCommand

from fazhi.kernel.notices.models import Notice
from fazhi.kernel.notices.services import notice_deliver, notice_requeue_failed


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
            self.stdout.write(f"re-queued {n} failed notice(s)")
        ids = list(
            Notice.objects.filter(
                status=Notice.Status.PENDING,
                channel__in=[Notice.Channel.EMAIL, Notice.Channel.SMS],
            )
            .order_by("pk")
            .values_list("pk", flat=True)[: options["limit"]]
        )
        sent = failed = 0
        for pk in ids:
            notice = notice_deliver(actor=None, notice_id=pk)
            if notice is None:
                continue  # another worker claimed it
            if notice.status == Notice.Status.SENT:
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"sent {sent}, failed {failed}")
